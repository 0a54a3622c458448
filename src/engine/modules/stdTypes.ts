/*
 * stdTypes.ts
 *
 * Building the C types of standard-library modules (Modules/_functoolsmodule.c,
 * Modules/_collectionsmodule.c…): a static type object with native methods and read-only
 * members, and its tp_new registered where `T(...)` finds it (builtins/methods.ts
 * constructBuiltin). The objects themselves are runtime/extobject.ts subclasses.
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict } from '../runtime/containers';
import { PyProperty, type KwArgs } from '../runtime/callables';
import { ObjFlag } from '../runtime/object';
import type { Interpreter } from '../interp/interpreter';

export type Method = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;
export type Ctor = (args: PyObject[], kwargs: KwArgs) => PyObject;

export interface TypeSpec {
    name: string;
    module: string;
    base?: PyType;
    methods?: Record<string, Method>;
    /** Read-only members and getters: name -> getter (new reference). */
    members?: Record<string, (self: PyObject) => PyObject>;
    /** Writable members (T_OBJECT without READONLY): name -> setter of a member also in `members` (value borrowed). */
    setters?: Record<string, (self: PyObject, value: PyObject) => void>;
    /** tp_new (with tp_init): `T(args)`. */
    ctor?: Ctor;
    repr?: (self: PyObject, seen: Set<PyObject>) => string;
}

/** A static (never freed) type, as the C module defines it. */
export function stdType(it: Interpreter, spec: TypeSpec): PyType {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const base = spec.base ?? it.T.object;
    const t = new PyType(it.T.type, spec.name, base, d, base === it.T.object ? 'instance' : base.layout, false);
    t.mro = [t, ...base.mro];
    t.module = spec.module;
    t.id = it.heap.newId();
    for (const [name, fn] of Object.entries(spec.methods ?? {})) {
        d.set(it.heap, it.str(name), it.builtin(name, (self, args, kwargs) => fn(self!, args, kwargs), spec.name, true));
    }
    for (const [name, get] of Object.entries(spec.members ?? {})) {
        const fget = it.builtin(name, (_s, args) => get(args[0]));
        const set = spec.setters?.[name];
        const fset = set
            ? it.builtin(name, (_s, args) => {
                  set(args[0], args[1]);
                  return it.None;
              })
            : null;
        const p = new PyProperty(it.T.property, fget, fset, null);
        p.flags |= ObjFlag.Atomic;
        p.id = it.heap.newId();
        d.set(it.heap, it.str(name), p);
    }
    if (spec.repr) t.nativeRepr = spec.repr;
    if (spec.ctor) nativeConstructors(it).set(t, spec.ctor);
    return t;
}

/** The constructors of native types, looked up by builtins/methods.ts constructBuiltin. */
export function nativeConstructors(it: Interpreter): Map<PyType, Ctor> {
    let m = it.moduleState.get('native.new') as Map<PyType, Ctor> | undefined;
    if (!m) {
        m = new Map();
        it.moduleState.set('native.new', m);
    }
    return m;
}
