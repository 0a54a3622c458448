/*
 * items.ts
 *
 * Subscription: BINARY_SUBSCR, STORE_SUBSCR and DELETE_SUBSCR on the built-in containers (with
 * slices), or the `__getitem__` family on instances. A slice assignment releases the replaced
 * items after the new ones are in (list_ass_slice recycles them last, in order).
 */

import { msg } from '../messages';
import { PyObject } from '../runtime/object';
import { PyInt, PyStr, PyBytes } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet, keyLabel, indexLabel } from '../runtime/containers';
import { PyInstance } from '../runtime/instances';
import { PyRange, PySlice } from '../runtime/iterators';
import type { Interpreter } from './interpreter';
import { call } from './calls';
import { callBoundHook, callSpecialBound } from './lookupSpecial';
import { bindDescriptor } from './attrs';
import { userMethod, callMethod } from './slots';
import { PyType } from '../runtime/types';
import { unsupported } from './eval';
import { sequenceFastItems } from './lengthHint';
import { repr } from './format';
import { setDictItem, unhashable } from './eval';
import { PyRaise } from './signals';

function index(it: Interpreter, o: PyObject, what: string): number {
    if (o instanceof PyInt && !o.type.isHeap) return Number(o.v);
    const m = userMethod(it, o, '__index__');
    if (m === null && o instanceof PyInt) return Number(o.v);
    const r = m !== null ? callMethod(it, m, o, []) : null;
    if (r instanceof PyInt) return Number(r.v);
    throw it.error('TypeError', `${what} indices must be integers or slices, not ${o.type.name}`);
}

/** PySlice_GetIndicesEx: start, stop, step and length for a sequence of `len` items. */
export function sliceIndices(it: Interpreter, s: PySlice, len: number): [number, number, number, number] {
    const step = s.stepObj === it.None ? 1 : index(it, s.stepObj, 'slice');
    if (step === 0) throw it.error('ValueError', 'slice step cannot be zero');
    const conv = (o: PyObject, dflt: number, lo: number, hi: number): number => {
        if (o === it.None) return dflt;
        let v = index(it, o, 'slice');
        if (v < 0) v += len;
        return Math.min(Math.max(v, lo), hi);
    };
    const start = step > 0 ? conv(s.lower, 0, 0, len) : conv(s.lower, len - 1, -1, len - 1);
    const stop = step > 0 ? conv(s.upper, len, 0, len) : conv(s.upper, -1, -1, len - 1);
    let n = 0;
    if (step > 0 ? start < stop : start > stop) n = Math.floor((stop - start - Math.sign(step)) / step) + 1;
    return [start, stop, step, Math.max(0, n)];
}

function sliceList<T>(items: T[], it: Interpreter, s: PySlice): T[] {
    const [start, , step, n] = sliceIndices(it, s, items.length);
    const out: T[] = [];
    for (let i = 0, j = start; i < n; i++, j += step) out.push(items[j]);
    return out;
}

function seqIndex(it: Interpreter, key: PyObject, len: number, what: string): number {
    let i = index(it, key, what);
    if (i < 0) i += len;
    if (i < 0 || i >= len) throw it.error('IndexError', `${what} index out of range`);
    return i;
}

export function getItem(it: Interpreter, c: PyObject, key: PyObject): PyObject {
    if (c.type.isHeap || c instanceof PyInstance) {
        const m = userMethod(it, c, '__getitem__');
        if (m !== null) return callMethod(it, m, c, [key]);
    }
    return nativeGetItem(it, c, key);
}

/** BINARY_SUBSCR on the built-in types (what `list.__getitem__` and friends do): no `__getitem__` dispatch. */
export function nativeGetItem(it: Interpreter, c: PyObject, key: PyObject): PyObject {
    if (c instanceof PyList || c instanceof PyTuple) {
        const what = c instanceof PyList ? 'list' : 'tuple';
        if (key instanceof PySlice) {
            const items = sliceList(c.items, it, key).map((x) => it.incref(x));
            return c instanceof PyList ? it.list(items) : it.tuple(items);
        }
        return it.incref(c.items[seqIndex(it, key, c.items.length, what)]);
    }
    if (c instanceof PyDict) {
        let v: PyObject | null;
        try {
            v = c.get(key);
        } catch (e) {
            throw unhashable(it, e, key);
        }
        if (v) return it.incref(v);
        // dict_subscript calls __missing__ on any dict subclass: a class's, or a C one's (defaultdict),
        // bound by _PyObject_LookupSpecial.
        const missing = c.type !== it.T.dict ? callSpecialBound(it, c, '__missing__', [key]) : null;
        if (missing) return missing;
        throw keyError(it, key);
    }
    if (c instanceof PyStr) {
        const chars = [...c.v];
        if (key instanceof PySlice) return it.str(sliceList(chars, it, key).join(''));
        return it.str(chars[seqIndex(it, key, chars.length, 'string')]);
    }
    if (c instanceof PyBytes) {
        if (key instanceof PySlice) return it.bytes(Uint8Array.from(sliceList(Array.from(c.v), it, key)));
        return it.int(c.v[seqIndex(it, key, c.v.length, 'index')]);
    }
    if (c instanceof PyRange) {
        // range_subscript -> compute_range_item: the index in long arithmetic, any size.
        if (!(key instanceof PyInt)) index(it, key, 'range object');
        let i = BigInt((key as PyInt).v);
        if (i < 0n) i += c.length;
        if (i < 0n || i >= c.length) throw it.error('IndexError', 'range object index out of range');
        return it.int(c.item(i));
    }
    if (c instanceof PyType) return classGetItem(it, c, key);
    const ext = c.type.extSlots?.getItem;
    if (ext) return ext(c, key);
    // 2.7 PyObject_GetItem: a type with sequence slots (every class's instances) and an integer key
    // go on to PySequence_GetItem, which words it differently.
    const sequenceSlots = c.type.isHeap && key instanceof PyInt;
    throw it.error('TypeError', msg(it.profile, 'notSubscriptable', c.type.name, sequenceSlots ? '1' : '0'));
}

/** The built-in types that have `__class_getitem__` from 3.9 (PEP 585). */
const GENERIC_BUILTINS = new Set(['list', 'dict', 'tuple', 'set', 'frozenset', 'type', 'enumerate', 'reversed', 'zip', 'map', 'filter']);

/**
 * `C[key]` for a class: its `__class_getitem__` (3.7+, an implicit classmethod), else not
 * subscriptable. PyObject_GetItem gets it with a getattr on the class (_PyObject_LookupAttr): the
 * classmethod bound to the class, a bound method alive while it runs.
 */
function classGetItem(it: Interpreter, c: PyType, key: PyObject): PyObject {
    const m = c.lookup('__class_getitem__');
    if (m !== null && it.profile.classGetItem) return callBoundHook(it, bindDescriptor(it, m, null, c), [key]);
    if (!c.isHeap && it.profile.builtinGenericAlias && GENERIC_BUILTINS.has(c.name)) throw unsupported({ line: it.line, col: it.col, endLine: it.line, endCol: it.col }, `subscripting the built-in type '${c.name}' (types.GenericAlias)`);
    throw it.error('TypeError', msg(it.profile, 'typeNotSubscriptable', c.name));
}

export function keyError(it: Interpreter, key: PyObject): PyRaise {
    const e = it.newException(it.T.KeyError, [key]);
    e.unnormalized = 'args';
    return new PyRaise(e);
}

/** `c[key] = value` (value borrowed). */
export function setItem(it: Interpreter, c: PyObject, key: PyObject, value: PyObject): void {
    if (c.type.isHeap || c instanceof PyInstance) {
        const m = userMethod(it, c, '__setitem__');
        if (m !== null) {
            it.decref(callMethod(it, m, c, [key, value]));
            return;
        }
    }
    nativeSetItem(it, c, key, value);
}

/** STORE_SUBSCR on the built-in types (`list.__setitem__`, `dict.__setitem__`). */
export function nativeSetItem(it: Interpreter, c: PyObject, key: PyObject, value: PyObject): void {
    if (c instanceof PyList) {
        if (key instanceof PySlice) return assignSlice(it, c, key, value);
        const i = seqIndex(it, key, c.items.length, 'list assignment');
        const old = c.items[i];
        c.items[i] = value;
        it.heap.acquire(c, value, indexLabel(i));
        it.heap.release(c, old, indexLabel(i));
        return;
    }
    if (c instanceof PyDict) {
        setDictItem(it, c, key, value);
        return;
    }
    const ext = c.type.extSlots?.setItem;
    if (ext) return ext(c, key, value);
    throw it.error('TypeError', `'${c.type.name}' object does not support item assignment`);
}

function assignSlice(it: Interpreter, l: PyList, s: PySlice, value: PyObject): void {
    const incoming = sequenceFastItems(it, value);
    const [start, stop, step, n] = sliceIndices(it, s, l.items.length);
    if (step === 1) {
        const hi = Math.max(start, stop);
        const removed = l.items.splice(start, hi - start, ...incoming);
        incoming.forEach((x, k) => it.heap.adopt(l, x, indexLabel(start + k)));
        // list_ass_slice recycles the replaced items, then releases them last to first.
        for (let k = removed.length - 1; k >= 0; k--) it.heap.release(l, removed[k], indexLabel(start + k));
        return;
    }
    if (incoming.length !== n) {
        for (const x of incoming) it.decref(x);
        throw it.error('ValueError', `attempt to assign sequence of size ${incoming.length} to extended slice of size ${n}`);
    }
    const removed: PyObject[] = [];
    for (let k = 0, j = start; k < n; k++, j += step) {
        removed.push(l.items[j]);
        l.items[j] = incoming[k];
        it.heap.adopt(l, incoming[k], indexLabel(j));
    }
    for (const x of removed) it.heap.release(l, x, '[slice]');
}

export function delItem(it: Interpreter, c: PyObject, key: PyObject): void {
    if (c.type.isHeap || c instanceof PyInstance) {
        const m = userMethod(it, c, '__delitem__');
        if (m !== null) {
            it.decref(callMethod(it, m, c, [key]));
            return;
        }
    }
    nativeDelItem(it, c, key);
}

/** DELETE_SUBSCR on the built-in types. */
export function nativeDelItem(it: Interpreter, c: PyObject, key: PyObject): void {
    if (c instanceof PyList) {
        if (key instanceof PySlice) {
            const [start, , step, n] = sliceIndices(it, key, c.items.length);
            const idx: number[] = [];
            for (let k = 0, j = start; k < n; k++, j += step) idx.push(j);
            // Slice order: items in the order the slice visits them.
            const removed = idx.map((j) => c.items[j]);
            const gone = new Set(idx);
            c.items = c.items.filter((_, j) => !gone.has(j));
            if (step === 1) {
                // list_ass_slice: released last to first.
                for (let k = removed.length - 1; k >= 0; k--) it.heap.release(c, removed[k], indexLabel(idx[k]));
            } else {
                for (let k = 0; k < removed.length; k++) it.heap.release(c, removed[k], indexLabel(idx[k]));
            }
            return;
        }
        const i = seqIndex(it, key, c.items.length, 'list assignment');
        const [old] = c.items.splice(i, 1);
        it.heap.release(c, old, indexLabel(i));
        return;
    }
    if (c instanceof PyDict) {
        let ok: boolean;
        try {
            ok = c.delete(it.heap, key);
        } catch (e) {
            throw unhashable(it, e, key);
        }
        if (!ok) throw keyError(it, key);
        return;
    }
    const ext = c.type.extSlots?.setItem;
    if (ext) return ext(c, key, null);
    // PyObject_DelItem: an index on a type with sequence slots goes to PySequence_DelItem, which
    // words it "doesn't"; any other key (or a type without them: int) "does not".
    const viaSequence = key instanceof PyInt && hasSequenceSlots(c);
    throw it.error('TypeError', `'${c.type.name}' object ${viaSequence ? "doesn't" : 'does not'} support item deletion`);
}

/** Does the type have tp_as_sequence (the built-in sequences, sets and mapping proxies for sq_contains, every class)? */
function hasSequenceSlots(c: PyObject): boolean {
    return c.type.isHeap || c instanceof PyTuple || c instanceof PyStr || c instanceof PyBytes || c instanceof PySet || c instanceof PyRange || c.type.extSlots?.contains !== undefined;
}

export { keyLabel, repr };
