/*
 * slots.ts
 *
 * Special-method dispatch: typeobject.c's slot_* functions. A class that defines `__len__`,
 * `__getitem__`, `__add__`… (itself or through a heap base) has that C slot replaced by a function
 * calling its Python method; a class that does not inherits its base's native slot (a `list`
 * subclass without `__len__` has list_length). Here: the Python method a type's slot calls, or null
 * when the native behaviour applies, and the result checks CPython's slot functions make.
 *
 * The built-in types' own special methods (`object.__repr__`, `list.__getitem__`: "slot wrappers",
 * PyBuiltin.slotWrapper) are what a subclass inherits as the native slot: dispatch skips them, so
 * the operation runs its native path instead of calling through the wrapper.
 */

import { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyInt } from '../runtime/values';
import { PyBuiltin } from '../runtime/callables';
import { PyInstance } from '../runtime/instances';
import type { Interpreter } from './interpreter';
import { msg } from '../messages';
import { callBound } from './calls';

/** The method type `t` has for special method `name`, or null (absent, or a built-in type's slot wrapper). */
export function typeMethod(t: PyType, name: string): PyObject | null {
    const m = t.lookup(name);
    if (m === null || (m instanceof PyBuiltin && m.slotWrapper)) return null;
    return m;
}

/** Bits of PyType.hooks: the attribute-access slots a class overrides, and the descriptor protocol it implements. */
export const enum Hook {
    GetAttribute = 1,
    GetAttr = 2,
    SetAttr = 4,
    DelAttr = 8,
    DescrGet = 16,
    DescrSet = 32,
    DescrDelete = 64,
}

/**
 * The attribute access an instance of `t` needs beyond PyObject_GenericGetAttr / SetAttr, or 0 (the
 * usual case). Heap types, and the native instance types whose dict holds their slots (weakref
 * proxies forward attribute access through `__getattr__`/`__setattr__` builtins).
 */
export function typeHooks(t: PyType): number {
    const e = t.lookupEpoch();
    if (t.hooksEpoch !== e) {
        let h = 0;
        if (t.isHeap || t.layout === 'instance') {
            if (typeMethod(t, '__getattribute__') !== null) h |= Hook.GetAttribute;
            if (typeMethod(t, '__getattr__') !== null) h |= Hook.GetAttr;
            if (typeMethod(t, '__setattr__') !== null) h |= Hook.SetAttr;
            if (typeMethod(t, '__delattr__') !== null) h |= Hook.DelAttr;
            if (typeMethod(t, '__get__') !== null) h |= Hook.DescrGet;
            if (typeMethod(t, '__set__') !== null) h |= Hook.DescrSet;
            if (typeMethod(t, '__delete__') !== null) h |= Hook.DescrDelete;
        }
        t.hooks = h;
        t.hooksEpoch = e;
    }
    return t.hooks;
}

/**
 * The method `o`'s type defines for the special method `name` (its slot calls it), or null when
 * the slot is native (not defined, or a built-in type's own slot wrapper). Only heap types and
 * native instance types (weakref proxies: their type dict holds their slots) can have one.
 */
export function userMethod(it: Interpreter, o: PyObject, name: string): PyObject | null {
    const t = o.type;
    if (!t.isHeap && !(o instanceof PyInstance)) return null;
    return typeMethod(t, name);
}

/** Calls special method `m` (found on `self`'s type) with `self` first: a new reference. */
export function callMethod(it: Interpreter, m: PyObject, self: PyObject, args: PyObject[]): PyObject {
    return callBound(it, m, self, args);
}

/** PyNumber_AsSsize_t of a `__len__` result (slot_sq_length): a non-negative int, else TypeError/ValueError. */
export function lenResult(it: Interpreter, r: PyObject): number {
    try {
        if (!(r instanceof PyInt)) throw it.error('TypeError', msg(it.profile, 'notAnInteger', r.type.name));
        const n = Number(r.v);
        if (n < 0) throw it.error('ValueError', '__len__() should return >= 0');
        return n;
    } finally {
        it.decref(r);
    }
}

/**
 * slot_nb_bool: `__bool__` (2.7 `__nonzero__`), else `__len__`; null when the class defines
 * neither (the native truth of the base applies).
 */
export function userTruth(it: Interpreter, o: PyObject): boolean | null {
    const b = userMethod(it, o, it.profile.truthMethod);
    if (b !== null) {
        const r = callMethod(it, b, o, []);
        if (r === it.True || r === it.False) return r === it.True;
        if (it.profile.truthMayBeInt && r instanceof PyInt && r.type === it.T.int) {
            const t = r.v !== 0 && r.v !== 0n;
            it.decref(r);
            return t;
        }
        it.decref(r);
        throw it.error('TypeError', it.profile.truthMayBeInt ? `__nonzero__ should return bool or int, returned ${r.type.name}` : `__bool__ should return bool, returned ${r.type.name}`);
    }
    const l = userMethod(it, o, '__len__');
    if (l !== null) return lenResult(it, callMethod(it, l, o, [])) !== 0;
    return null;
}
