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
import { PyProperty, type PyBuiltin, type KwArgs } from '../runtime/callables';
import { addr } from '../interp/format';
import { ObjFlag } from '../runtime/object';
import type { Interpreter } from '../interp/interpreter';
import { namesFor } from '../names/table';

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
    // tp_name, which error messages and reprs of bound methods show: `collections.deque`.
    t.tpName = `${spec.module}.${spec.name}`;
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

/** Does the profile's real `module` have `name` (names/cpython-names.json)? Names added in later versions are bound only there. */
export function recordedIn(it: Interpreter, module: string, name: string): boolean {
    return namesFor(it.profile.name).modules.get(module)?.has(name) ?? false;
}

/**
 * A class a standard module defines in Python (Lib/contextlib.py's `closing`, Lib/functools.py's
 * `cached_property`): a heap class (its instances have a `__dict__`, it takes attributes like a
 * scenario's class) that is never freed, whose methods are native functions.
 */
export function pythonClass(it: Interpreter, module: string, name: string, doc: string | null, methods: Record<string, Method>): PyType {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const t = new PyType(it.T.type, name, it.T.object, d, 'instance', true);
    t.flags |= ObjFlag.Atomic;
    t.id = it.heap.newId();
    t.mro = [t, it.T.object];
    t.module = module;
    t.instancesHaveDict = true;
    d.set(it.heap, it.str('__module__'), it.str(module));
    d.set(it.heap, it.str('__doc__'), doc === null ? it.None : it.str(doc));
    for (const [mname, fn] of Object.entries(methods)) {
        d.set(it.heap, it.str(mname), it.builtin(mname, (self, args, kwargs) => fn(self!, args, kwargs), name, true));
    }
    return t;
}

/**
 * The type of a standard module's Python functions modelled natively (contextlib's `helper`,
 * functools' `_le_from_lt`): named `function` as CPython's are, with a function's repr.
 */
export function pyFunctionType(it: Interpreter): PyType {
    let t = it.moduleState.get('std.functionType') as PyType | undefined;
    if (t) return t;
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    t = new PyType(it.T.type, 'function', it.T.object, d, 'builtin', false);
    t.mro = [t, it.T.object];
    t.module = it.T.function.module;
    t.id = it.heap.newId();
    t.nativeRepr = (o) => `<function ${(o as PyBuiltin).name} at ${addr(o)}>`;
    it.moduleState.set('std.functionType', t);
    return t;
}
