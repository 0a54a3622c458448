/*
 * classobject.ts
 *
 * 2.7's classic ("old-style") classes, Objects/classobject.c: a class statement without bases
 * (and no `__metaclass__` in its body or its module's globals), or with classic bases only,
 * builds a `classobj` (PyClass_New, here classicClassNew: the body's namespace itself becomes the
 * class dict, and nothing refers back to the class, so unlike a new-style class it is freed by
 * its reference count: runtime/classobject.ts), whose instances are all of the one type
 * `instance` (PyInstance_NewRaw makes the instance dict first; instance_dealloc releases the class
 * before the dict; neither has a tp_clear). What else differs and shows is here: `type()` of one,
 * the reprs (`<__main__.A instance at 0x…>`, `<class __main__.A at 0x…>`, str `__main__.A`),
 * `__bases__` without `object`, `issubclass(A, object)` False, super() refusing one. What the
 * engine would get silently wrong about them is refused when the class is built.
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict, PyTuple } from '../runtime/containers';
import { PyStr } from '../runtime/values';
import { PyProperty } from '../runtime/callables';
import type { Interpreter } from './interpreter';
import type * as ast from '../parser/ast';
import { unsupported } from './eval';
import { PyClassObject } from '../runtime/classobject';
import { FreeLists } from '../runtime/freelists';
import { emptyTuple } from './callTemporaries';
import { installKeyProtocol } from './hash';
import { WEAKREFABLE_STD_TYPES } from '../gc/weakrefs';

/** Do these bases (and no metaclass) make a classic class under this profile? */
export function isClassicClass(it: Interpreter, bases: readonly PyObject[], metaclass: PyObject | null): boolean {
    if (!it.profile.classicClasses || metaclass !== null) return false;
    return bases.every((b) => b instanceof PyType && b.classic);
}

/** What a classic class body defines that classobject.c does not honour: refused, not run wrongly. */
export function refuseClassicBody(node: ast.ClassDef, ns: PyDict): void {
    for (const name of ['__slots__', '__new__', '__getattribute__']) {
        if (ns.getStr(name)) throw unsupported(node, `${name} in an old-style class (Python 2.7; derive from object)`);
    }
    for (const e of ns.entries()) {
        const v = e.v;
        if (v instanceof PyProperty && (v.fset || v.fdel)) throw unsupported(node, 'a property setter or deleter in an old-style class (Python 2.7; derive from object)');
    }
}

const TYPES = new WeakMap<Interpreter, { instance: PyType; classobj: PyType }>();

/**
 * build_class calling PyClass_Type (its arguments packed in a 3-tuple while class_new runs), then
 * PyClass_New: `__doc__` None and `__module__` added to the namespace when absent, and a class
 * object holding the bases tuple (BUILD_TUPLE's: the empty-tuple singleton without bases), the
 * namespace dict itself and the name. `basesTuple` is taken over; `ns` borrowed. New reference.
 */
export function classicClassNew(it: Interpreter, name: string, bases: readonly PyType[], basesTuple: PyTuple | null, ns: PyDict): PyType {
    const heap = it.heap;
    const args = FreeLists.tupleKind(3);
    heap.allocInternal(args);
    try {
        if (!ns.getStr('__doc__')) ns.set(heap, it.str('__doc__'), it.None);
        const mod = ns.getStr('__module__') ?? it.frame?.globals.getStr('__name__') ?? null;
        if (mod !== null && !ns.getStr('__module__')) ns.set(heap, it.str('__module__'), mod);
        // Lookups still walk `mro`: a classic base's (depth-first, the same for single inheritance,
        // the only kind modelled: mro.ts), and object's last for what the engine's own methods need.
        const base = bases.length ? bases[0] : it.T.object;
        // Its ob_type is PyClass_Type (`classobj`), a static type.
        const t = new PyClassObject(classicTypes(it).classobj, name, base, ns);
        if (mod instanceof PyStr) t.module = mod.v;
        t.mro = [t, ...base.mro];
        t.builtinBase = null;
        t.instancesHaveDict = true;
        t.instancesHaveWeakref = true;
        installKeyProtocol(it, t);
        heap.register(t);
        t.basesTuple = basesTuple ?? emptyTuple(it);
        heap.adopt(t, t.basesTuple, '__bases__');
        heap.acquire(t, ns, '__dict__');
        return t;
    } finally {
        heap.freeInternal(args);
    }
}

/** types.InstanceType and types.ClassType: built on first use. */
function classicTypes(it: Interpreter): { instance: PyType; classobj: PyType } {
    let t = TYPES.get(it);
    if (!t) {
        const make = (name: string): PyType => {
            const d = new PyDict(it.T.dict);
            d.namespace = true;
            const type = new PyType(it.T.type, name, it.T.object, d, 'native', false);
            type.mro = [type, it.T.object];
            type.id = it.heap.newId();
            return type;
        };
        t = { instance: make('instance'), classobj: make('classobj') };
        // 2.7's PyClassObject has a weak-reference list (cl_weakreflist).
        WEAKREFABLE_STD_TYPES.add(t.classobj);
        TYPES.set(it, t);
    }
    return t;
}

/** `type(o)`: `instance` for an instance of a classic class, `classobj` for one (borrowed). */
export function typeOf(it: Interpreter, o: PyObject): PyType {
    if (o.type.classic) return classicTypes(it).instance;
    if (o instanceof PyType && o.classic) return classicTypes(it).classobj;
    return o.type;
}

/** instance_repr and class_repr without a `__repr__` (null: not classic). */
export function classicRepr(o: PyObject, addr: string): string | null {
    if (o instanceof PyType && o.classic) return `<class ${o.module}.${o.name} at ${addr}>`;
    if (o.type.classic) return `<${o.type.module}.${o.type.name} instance at ${addr}>`;
    return null;
}
