/*
 * descrobject.ts
 *
 * `property` (Objects/descrobject.c): property(fget, fset, fdel, doc), and its getter / setter /
 * deleter methods, which make a new property (property_copy) with one function replaced: the
 * `@x.setter` decorator chain leaves the class holding only the last property, the earlier ones
 * freed as each decorator returns. (Attribute access through a property is interp/attrs.ts.)
 */

import { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyProperty, type KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { arity, kw } from './args';

/** property(fget=None, fset=None, fdel=None, doc=None) of type `t` (property or a subclass). New reference. */
export function newProperty(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyProperty {
    arity(it, 'property', args, 0, 4);
    const names = ['fget', 'fset', 'fdel', 'doc'];
    if (kwargs) for (const k of kwargs.keys()) if (!names.includes(k)) throw it.error('TypeError', `'${k}' is an invalid keyword argument for property()`);
    const pick = (i: number): PyObject | null => {
        const o = args[i] ?? kw(kwargs, names[i]);
        return o && o !== it.None ? o : null;
    };
    return makeProperty(it, t, pick(0), pick(1), pick(2), pick(3));
}

function makeProperty(it: Interpreter, t: PyType, fget: PyObject | null, fset: PyObject | null, fdel: PyObject | null, doc: PyObject | null): PyProperty {
    const p = it.heap.register(new PyProperty(t, null, null, null));
    if (fget) {
        p.fget = fget;
        it.heap.acquire(p, fget, 'fget');
    }
    if (fset) {
        p.fset = fset;
        it.heap.acquire(p, fset, 'fset');
    }
    if (fdel) {
        p.fdel = fdel;
        it.heap.acquire(p, fdel, 'fdel');
    }
    if (doc) {
        p.doc = doc;
        it.heap.acquire(p, doc, '__doc__');
    }
    return p;
}

/** property_copy: a new property like `p` with one of its functions replaced (None clears it). */
function copyWith(it: Interpreter, p: PyProperty, field: 'fget' | 'fset' | 'fdel', f: PyObject): PyProperty {
    const v = f === it.None ? null : f;
    return makeProperty(it, p.type, field === 'fget' ? v : p.fget, field === 'fset' ? v : p.fset, field === 'fdel' ? v : p.fdel, p.doc);
}

/** Installs property.getter / setter / deleter. */
export function installPropertyMethods(it: Interpreter): void {
    const t = it.T.property;
    for (const field of ['fget', 'fset', 'fdel'] as const) {
        const name = field === 'fget' ? 'getter' : field === 'fset' ? 'setter' : 'deleter';
        const b = it.builtin(
            name,
            (self, args) => {
                arity(it, name, args, 1, 1);
                return copyWith(it, self as PyProperty, field, args[0]);
            },
            'property',
            true,
        );
        t.dict.set(it.heap, it.str(name), b);
    }
}
