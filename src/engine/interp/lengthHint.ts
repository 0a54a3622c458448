/*
 * lengthHint.ts
 *
 * PyObject_LengthHint (Objects/abstract.c; 2.7: _PyObject_LengthHint): before a C function builds
 * a list or a tuple from an iterable it asks the iterable how many items to make room for: its
 * `__len__` when its type has one, else its `__length_hint__` (bound by _PyObject_LookupSpecial,
 * so a Python method becomes a `method` object alive while it runs), else a default. A class whose
 * `__len__` or `__length_hint__` prints, allocates or raises shows it.
 *
 * Who asks, measured on 2.7 and 3.8-3.13 (a class whose methods print):
 * - list_extend (list.extend, `+=` on a list, list(), sorted(), `[*x]`, `(*x,)`, `f(a, *x)`, 3.x
 *   bytes() of an iterable, the rest of a starred unpacking target) and PySequence_Tuple (tuple(),
 *   `f(*x)`): an exact list or tuple is copied without either; anything else, subclasses included,
 *   gets iter() first, then the hint, then is iterated.
 * - 3.8-3.9 list.__init__ asks `__len__` once more before all that (list_preallocate_exact).
 * - 2.7's zip() asks every argument first (stopping at the first without a hint), map() and filter()
 *   each argument right after its iter().
 * Not asked: set(), frozenset(), dict(), min(), max(), sum(), enumerate(), str.join() and slice
 * assignment (PySequence_Fast), bytearray(), deque(), a plain unpacking.
 *
 * The native iterators whose `__length_hint__` runs Python code: reversed (reversed_len asks the
 * sequence's `__len__`) and the sequence iterator of the `__getitem__` protocol (iter_len, when the
 * sequence has a `__len__`); enumobject.ts and installSeqIterLengthHint below.
 */

import type { PyObject } from '../runtime/object';
import type { Interpreter } from './interpreter';
import { PyInt, PyFloat, PyComplex, PyStr, PyBytes } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet } from '../runtime/containers';
import { PyInstance } from '../runtime/instances';
import { PyIter, PyRange } from '../runtime/iterators';
import { userMethod, callMethod, lenResult } from './slots';
import { getIter, drain, nativeLength } from './ops';
import { indexLabel } from '../runtime/containers';
import { lookupSpecialBound, callBoundHook } from './lookupSpecial';
import { PyRaise, dropRaise } from './signals';
import { unsupportedAt } from '../names/refuse';
import { MAX_ITEMS } from './budget';

const SSIZE_MAX = (1n << 63n) - 1n;

/** Is `e` a Python exception of one of `names` (a subclass counts)? */
function raised(it: Interpreter, e: unknown, names: readonly ('TypeError' | 'AttributeError')[]): e is PyRaise {
    return e instanceof PyRaise && names.some((n) => e.exc.type.isSubtypeOf(it.T[n]));
}

/** The built-in types with an sq_length/mp_length the engine models (a hint from them runs no Python code). */
function hasNativeLength(o: PyObject): boolean {
    return o instanceof PyStr || o instanceof PyList || o instanceof PyTuple || o instanceof PyDict || o instanceof PySet || o instanceof PyBytes || o instanceof PyRange || (o instanceof PyIter && o.kind.startsWith('view_'));
}

/**
 * PyObject_Size as PyObject_LengthHint calls it: the class's `__len__` (null: the type has no length
 * slot). Errors propagate; the caller clears those that mean "no hint".
 */
function objectSize(it: Interpreter, o: PyObject): number | null {
    if (o.type.isHeap || o instanceof PyInstance) {
        const m = userMethod(it, o, '__len__');
        if (m !== null) return lenResult(it, callMethod(it, m, o, []));
    }
    return hasNativeLength(o) ? nativeLength(it, o) : null;
}

/**
 * PyObject_LengthHint(o, dflt): the number of items `o` says it has (`dflt` when it says nothing).
 * Raises what CPython raises; null profile row (PyPy, Jython): `dflt` without asking.
 */
export function lengthHint(it: Interpreter, o: PyObject, dflt: number): number {
    const api = it.profile.lengthHint.api;
    if (api === null) return dflt;
    const clears = api === '2.7' ? (['TypeError', 'AttributeError'] as const) : (['TypeError'] as const);
    try {
        const n = objectSize(it, o);
        if (n !== null) return n;
    } catch (e) {
        if (!raised(it, e, clears)) throw e;
        dropRaise(it, e);
    }
    // 2.7: an old-style instance is asked its __len__ only.
    if (o.type.classic) return dflt;
    const bound = lookupSpecialBound(it, o, '__length_hint__');
    if (bound === null) return dflt;
    let r: PyObject;
    try {
        r = callBoundHook(it, bound, []);
    } catch (e) {
        if (!raised(it, e, clears)) throw e;
        dropRaise(it, e);
        return dflt;
    }
    try {
        return api === '2.7' ? hintResult27(it, r, dflt) : hintResult3(it, r, dflt);
    } finally {
        it.decref(r);
    }
}

/** 3.x: NotImplemented means no hint; else an int (PyLong_Check) that fits a Py_ssize_t and is not negative. */
function hintResult3(it: Interpreter, r: PyObject, dflt: number): number {
    if (r === it.NotImplemented) return dflt;
    if (!(r instanceof PyInt)) throw it.error('TypeError', `__length_hint__ must be an integer, not ${r.type.name}`);
    const v = BigInt(r.v);
    if (v > SSIZE_MAX || v < -SSIZE_MAX - 1n) throw it.error('OverflowError', 'Python int too large to convert to C ssize_t');
    if (v < 0n) throw it.error('ValueError', '__length_hint__() should return >= 0');
    return Number(v);
}

/** 2.7: `PyNumber_Check(ro) ? PyInt_AsSsize_t(ro) : defaultvalue`. */
function hintResult27(it: Interpreter, r: PyObject, dflt: number): number {
    if (r instanceof PyInt) {
        const v = BigInt(r.v);
        if (v > SSIZE_MAX || v < -SSIZE_MAX - 1n) throw it.error('OverflowError', 'long int too large to convert to int');
        // A negative hint reaches list_resize/PyTuple_New as a size (a SystemError or worse).
        if (v < 0n) throw unsupportedAt(it, 'a negative __length_hint__ on Python 2.7');
        return Number(v);
    }
    // PyInt_AsSsize_t of another number goes through its nb_int (a float truncated, a class's __int__).
    if (r instanceof PyFloat || r instanceof PyComplex || ((r.type.isHeap || r instanceof PyInstance) && (userMethod(it, r, '__int__') !== null || userMethod(it, r, '__float__') !== null))) {
        throw unsupportedAt(it, `a __length_hint__ returning a ${r.type.name} on Python 2.7`);
    }
    return dflt;
}

/**
 * The room a hint of `n` items makes CPython allocate (list_resize, PyTuple_New): a MemoryError
 * where no allocator could give it; beyond what the engine holds, whether it succeeds depends on
 * the machine's memory, so the simulation stops there. Nothing is reserved otherwise: CPython
 * gives back what the items did not use.
 */
function preallocate(it: Interpreter, n: number, what: string): void {
    if (n > MAX_ITEMS) it.reserveItems(n, what);
}

/** iter(o), then its hint (the iterator is dropped if the hint raises), then every item. */
function iterHintDrain(it: Interpreter, o: PyObject, dflt: number, have: number, what: string): PyObject[] {
    const iter = getIter(it, o);
    try {
        preallocate(it, have + lengthHint(it, o, dflt), what);
    } catch (e) {
        it.decref(iter);
        throw e;
    }
    return drain(it, iter, what);
}

/**
 * list_extend(l, o) (list.extend, `+=` on a list): the list itself copied as it is, anything else
 * as listExtendItems takes it; the items appended, after a check that the engine can hold them.
 */
export function listExtend(it: Interpreter, l: PyList, o: PyObject): void {
    const xs = o === l ? l.items.map((x) => it.incref(x)) : listExtendItems(it, o, l.items.length);
    if (l.items.length + xs.length > 1 << 16) {
        try {
            it.reserveItems(l.items.length + xs.length, 'a list');
        } catch (e) {
            for (const x of xs) it.decref(x);
            throw e;
        }
    }
    for (const x of xs) {
        it.heap.adopt(l, x, indexLabel(l.items.length));
        l.items.push(x);
    }
}

/**
 * list_extend's items of `o` (new references): an exact list or tuple copied, anything else
 * iterated after its length hint. `have`: the items the list already holds.
 */
export function listExtendItems(it: Interpreter, o: PyObject, have = 0): PyObject[] {
    if (o.type === it.T.list || o.type === it.T.tuple) return (o as PyList | PyTuple).items.map((x) => it.incref(x));
    return iterHintDrain(it, o, 8, have, 'a list');
}

/** PySequence_Tuple's items of `o`: an exact tuple or list copied, anything else iterated after its hint. */
export function sequenceTupleItems(it: Interpreter, o: PyObject): PyObject[] {
    if (o.type === it.T.list || o.type === it.T.tuple) return (o as PyList | PyTuple).items.map((x) => it.incref(x));
    return iterHintDrain(it, o, 10, 0, 'a tuple');
}

/**
 * PySequence_Fast's items of `o` (str.join, slice assignment): an exact list or tuple read as it
 * is; anything else becomes PySequence_List of its iterator, whose length hint is asked (a
 * `__getitem__` sequence's `__len__` runs through the sequence iterator's).
 */
export function sequenceFastItems(it: Interpreter, o: PyObject): PyObject[] {
    if (o.type === it.T.list || o.type === it.T.tuple) return (o as PyList | PyTuple).items.map((x) => it.incref(x));
    const iter = getIter(it, o);
    try {
        return listExtendItems(it, iter);
    } finally {
        it.decref(iter);
    }
}

/**
 * list.__init__'s items of `o` (list___init___impl): 3.8-3.9 first ask `o`'s length to preallocate
 * (a TypeError means no length), then list_extend.
 */
export function listInitItems(it: Interpreter, o: PyObject): PyObject[] {
    if (it.profile.lengthHint.listInitLen) {
        try {
            const n = objectSize(it, o);
            if (n !== null && n > 0) preallocate(it, n, 'a list');
        } catch (e) {
            if (!raised(it, e, ['TypeError'])) throw e;
            dropRaise(it, e);
        }
    }
    return listExtendItems(it, o);
}

/** iter_len (Objects/iterobject.c): the sequence iterator's `__length_hint__`, its sequence's length less the items taken. */
export function seqIterLengthHint(it: Interpreter, si: PyIter): PyObject {
    const seq = si.seq;
    if (seq === null) return it.int(0);
    let size: number | null;
    if (it.profile.major === 2) {
        size = objectSize(it, seq);
        if (size === null) throw it.error('TypeError', `object of type '${seq.type.name}' has no len()`);
    } else {
        size = objectSize(it, seq);
        if (size === null) return it.incref(it.NotImplemented);
    }
    const left = size - si.index;
    return it.int(left >= 0 ? left : 0);
}

export { objectSize as sequenceSize };
