/*
 * callTemporaries.ts
 *
 * What CPython's call machinery allocates for a call and frees after it: the engine keeps no
 * objects for them, but each one moves the collector's generation-0 count unless a free list
 * supplies it (runtime/freelists.ts), and leaves the free lists fuller when it did not, so a
 * program printing gc.get_count() or gc.collect() after such a call sees them:
 *   - _PyObject_MakeTpCall (2.7: PyObject_Call from CALL_FUNCTION): calling an object whose type
 *     has no vectorcall (a class, a weakref type, an instance with __call__) packs the positional
 *     arguments into a tuple and the keyword arguments into a dict for tp_call, freed after the
 *     call, the tuple first;
 *   - _PyStack_UnpackDict: keyword arguments handed from a dict to a vectorcall callee (slot_tp_init
 *     calling __init__, CALL_FUNCTION_EX) become a tuple of their names for the call;
 *   - ≤3.10 the frame object a Python function of the standard library that the engine models
 *     natively (Lib/weakref.py's finalize…) runs in (frameobject.c: its code's zombie frame when
 *     free, else the frame free list), freed after its locals.
 */

import { FreeKind, FreeLists } from '../runtime/freelists';
import { ObjFlag, type PyObject } from '../runtime/object';
import { PyTuple } from '../runtime/containers';
import type { Interpreter } from './interpreter';

/** The empty tuple: a singleton CPython never allocates (_PyTuple_FromArray or PyTuple_GetSlice of nothing). */
export function emptyTuple(it: Interpreter): PyTuple {
    let t = it.moduleState.get('tuple.empty') as PyTuple | undefined;
    if (!t) {
        t = new PyTuple(it.T.tuple, []);
        t.flags |= ObjFlag.Atomic;
        t.id = it.heap.newId();
        it.moduleState.set('tuple.empty', t);
    }
    return t;
}

/** A tuple of `items` (new references taken over), the empty one being the singleton. */
export function tupleOf(it: Interpreter, items: PyObject[]): PyTuple {
    return items.length ? it.tuple(items) : emptyTuple(it);
}

/** A tuple of `n` items allocated (the empty tuple is a singleton: nothing is). */
export function allocTuple(it: Interpreter, n: number): void {
    const k = FreeLists.tupleKind(n);
    if (k !== FreeKind.None) it.heap.allocInternal(k);
}

export function freeTuple(it: Interpreter, n: number): void {
    const k = FreeLists.tupleKind(n);
    if (k !== FreeKind.None) it.heap.freeInternal(k);
}

/** `body` called through _PyObject_MakeTpCall with `nargs` positional and `nkw` keyword arguments. */
export function viaTpCall<T>(it: Interpreter, nargs: number, nkw: number, body: () => T): T {
    beginTpCall(it, nargs, nkw);
    try {
        return body();
    } finally {
        endTpCall(it, nargs, nkw);
    }
}

/**
 * viaTpCall's two halves, for a hot caller (every class call) that brackets its own body in
 * try/finally rather than allocating a closure per call.
 */
export function beginTpCall(it: Interpreter, nargs: number, nkw: number): void {
    allocTuple(it, nargs);
    if (nkw) it.heap.allocInternal(FreeKind.Dict);
}

export function endTpCall(it: Interpreter, nargs: number, nkw: number): void {
    freeTuple(it, nargs);
    if (nkw) it.heap.freeInternal(FreeKind.Dict);
}

/** `body` called with `nkw` keyword arguments unpacked from a dict (_PyStack_UnpackDict's kwnames). */
export function withKwnames<T>(it: Interpreter, nkw: number, body: () => T): T {
    allocTuple(it, nkw);
    try {
        return body();
    } finally {
        freeTuple(it, nkw);
    }
}

/** `body` run as the Python function `code` (a key naming it): ≤3.10 in a frame object. */
export function inLibraryFrame<T>(it: Interpreter, code: object, body: () => T): T {
    if (!it.profile.frameObjectPerCall) return body();
    it.heap.allocFrame(code);
    try {
        return body();
    } finally {
        it.heap.freeFrame(code);
    }
}
