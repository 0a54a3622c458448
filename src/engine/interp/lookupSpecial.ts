/*
 * lookupSpecial.ts
 *
 * _PyObject_LookupSpecial (Objects/typeobject.c): a special method found on the object's type and
 * bound to the object through its descriptor's tp_descr_get, so that a Python function becomes a
 * bound `method` and a C method descriptor a `builtin_function_or_method` bound to the object.
 * The C code that looks a hook up this way holds that bound object while the hook runs and drops
 * it after the call: PyObject_Format's `__format__`, PyObject_LengthHint's `__length_hint__`,
 * dict_subscript's `__missing__`, reversed()'s `__reversed__`, type_new's `__set_name__` (all
 * versions, 2.7 included). type_new_init_subclass gets `__init_subclass__` from `super(cls, cls)`,
 * whose getattr binds the classmethod to the new class the same way. Code running in the hook sees the bound object (gc.get_objects, a
 * weakref probe): checked on 2.7 and 3.8-3.13 by looking for a method bound to `self` from inside
 * each hook.
 *
 * The slot functions of 3.x (slot_tp_call, slot_nb_*, slot_tp_hash…) call through
 * lookup_maybe_method, which does not bind a Python function: those are called unbound
 * (calls.ts callBound).
 */

import type { PyObject } from '../runtime/object';
import { PyBuiltin } from '../runtime/callables';
import type { Interpreter } from './interpreter';
import type { KwArgs } from '../runtime/callables';
import { bindDescriptor, lookupSpecial } from './attrs';
import { call } from './calls';

/**
 * `obj`'s special method `name`, bound as _PyObject_LookupSpecial binds it (a new reference), or
 * null when the type has none. A built-in type's own slot wrapper counts as none here: the caller
 * runs the native behaviour instead (the bound C method it would make runs no Python code, so
 * nothing can see it).
 */
export function lookupSpecialBound(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    const m = lookupSpecial(it, obj, name);
    if (!m || (m instanceof PyBuiltin && m.slotWrapper)) return null;
    return bindDescriptor(it, m, obj, obj.type);
}

/** Calls a bound hook (from lookupSpecialBound, bindDescriptor) and drops it: the result, a new reference. */
export function callBoundHook(it: Interpreter, bound: PyObject, args: PyObject[], kwargs: KwArgs = null): PyObject {
    try {
        return call(it, bound, args, kwargs);
    } finally {
        it.decref(bound);
    }
}

/** `obj.name(*args)` through _PyObject_LookupSpecial: the result, or null when the type has no such method. */
export function callSpecialBound(it: Interpreter, obj: PyObject, name: string, args: PyObject[]): PyObject | null {
    const bound = lookupSpecialBound(it, obj, name);
    return bound === null ? null : callBoundHook(it, bound, args);
}
