/*
 * classobject.ts
 *
 * 2.7's classic ("old-style") classes, Objects/classobject.c: a class statement without bases
 * (and no `__metaclass__` in its body or its module's globals), or with classic bases only,
 * builds a `classobj`, whose instances are all of the one type `instance`. The engine builds
 * them as it builds other classes (their instances' lifetimes, __del__, cycles and gc.garbage are
 * the same in 2.7) and marks them (PyType.classic): what differs and shows is here: `type()` of
 * one, the reprs (`<__main__.A instance at 0x…>`, `<class __main__.A at 0x…>`, str `__main__.A`),
 * `__bases__` without `object`, `issubclass(A, object)` False, super() refusing one. What the
 * engine would get silently wrong about them is refused when the class is built.
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict } from '../runtime/containers';
import { PyProperty } from '../runtime/callables';
import type { Interpreter } from './interpreter';
import type * as ast from '../parser/ast';
import { unsupported } from './eval';

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
