/*
 * enumobject.ts
 *
 * Objects/enumobject.c: enumerate and reversed.
 *
 *   enumerate(iterable, start=0): enum_new allocates the object, then takes iter(iterable), then
 *   its (None, None) result tuple, reused by enum_next while nobody else holds it. It keeps the
 *   iterator after exhaustion. enum_dealloc releases the iterator, then the result.
 *   reversed(seq): __reversed__ when the type has one (list, range, dict: their own reverse
 *   iterators), else a reversed object holding the sequence, which reversed_next releases once
 *   it runs past the start.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet } from '../runtime/containers';
import { PyIter, PyRange, PyNativeIter } from '../runtime/iterators';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { getIter, iterNext, length, newDictIter } from '../interp/ops';
import { getItem } from '../interp/items';
import { callSpecialBound } from '../interp/lookupSpecial';
import { sequenceSize } from '../interp/lengthHint';
import { lookupSpecial } from '../interp/attrs';
import { PyRaise, dropRaise } from '../interp/signals';
import { msg } from '../messages';
import { installIterMethods, reuseResult } from './iterslots';
import { kw } from './args';
import { namesFor } from '../names/table';

export class PyEnumerate extends PyNativeIter {
    override iterNext(it: Interpreter): PyObject | null {
        return enumerateNext(it, this);
    }
    sit: PyObject | null = null;
    result: PyTuple | null = null;
    index: number | bigint = 0;

    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.sit) visit(this.sit);
        if (this.result) visit(this.result);
    }
    override clear(r: Refs): void {
        const { sit, result } = this;
        this.sit = null;
        this.result = null;
        if (sit) r.release(this, sit, '(en_sit)');
        if (result) r.release(this, result, '(en_result)');
    }
}

export class PyReversed extends PyNativeIter {
    override iterNext(it: Interpreter): PyObject | null {
        return reversedNext(it, this);
    }
    seq: PyObject | null = null;
    index = -1;

    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.seq) visit(this.seq);
    }
    override clear(r: Refs): void {
        const s = this.seq;
        this.seq = null;
        if (s) r.release(this, s, '(seq)');
    }
}

/** enumerate(iterable, start=0) on the type `t`. */
export function enumerateNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    const iterable = args[0] ?? kw(kwargs, it.profile.major === 2 ? 'sequence' : 'iterable');
    const startObj = args[1] ?? kw(kwargs, 'start');
    // 2.7 names the first parameter `sequence`.
    const first = it.profile.major === 2 ? 'sequence' : 'iterable';
    if (kwargs) for (const k of kwargs.keys()) if (k !== first && k !== 'start') throw it.error('TypeError', msg(it.profile, 'badKeyword', 'enumerate', k, ''));
    if (args.length + (kwargs?.size ?? 0) > 2) throw it.error('TypeError', msg(it.profile, 'takesAtMost', 'enumerate', 2, args.length + (kwargs?.size ?? 0)));
    if (!iterable) throw it.error('TypeError', msg(it.profile, 'missingArg', 'enumerate', first, 1));
    let start: number | bigint = 0;
    if (startObj) {
        if (!(startObj instanceof PyInt)) throw it.error('TypeError', msg(it.profile, 'notAnIndex', startObj.type.name));
        start = startObj.v;
    }
    const en = it.heap.register(new PyEnumerate(t));
    if (t.isHeap) it.heap.incref(t);
    try {
        en.sit = getIter(it, iterable);
    } catch (e) {
        it.decref(en);
        throw e;
    }
    it.heap.adopt(en, en.sit, '(en_sit)');
    en.index = start;
    en.result = it.tuple([it.None, it.None]);
    it.heap.adopt(en, en.result, '(en_result)');
    return en;
}

function enumerateNext(it: Interpreter, en: PyEnumerate): PyObject | null {
    if (!en.sit) return null;
    const item = iterNext(it, en.sit);
    if (!item) return null;
    const i = en.index;
    en.index = typeof i === 'number' && Number.isSafeInteger(i + 1) ? i + 1 : BigInt(i) + 1n;
    return reuseResult(it, en.result, [it.int(i), item]);
}

/** reversed(seq): `seq.__reversed__()`, or a reversed object over a sequence. */
export function reversedNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    if (kwargs && kwargs.size) throw it.error('TypeError', msg(it.profile, 'excNoKeywords', 'reversed()', 'reversed'));
    if (args.length !== 1) throw it.error('TypeError', msg(it.profile, 'unpackCount', 'reversed', '', 1, args.length));
    const seq = args[0];
    const native = nativeReversed(it, seq);
    if (native) return native;
    const m = lookupSpecial(it, seq, '__reversed__');
    if (m === it.None) throw notReversible(it, seq);
    // reversed_new_impl: `__reversed__` through _PyObject_LookupSpecial (a bound method while it runs).
    if (m) return callSpecialBound(it, seq, '__reversed__', [])!;
    if (!isSequence(it, seq)) throw notReversible(it, seq);
    const n = length(it, seq);
    const ro = it.heap.register(new PyReversed(t));
    if (t.isHeap) it.heap.incref(t);
    ro.index = n - 1;
    ro.seq = seq;
    it.heap.acquire(ro, seq, '(seq)');
    return ro;
}

function notReversible(it: Interpreter, seq: PyObject): PyRaise {
    return it.error('TypeError', msg(it.profile, 'notReversible', seq.type.name));
}

/** PySequence_Check: a type with sq_item (not a dict or set). */
function isSequence(it: Interpreter, o: PyObject): boolean {
    if (o instanceof PyDict || o instanceof PySet) return false;
    if (o instanceof PyTuple || o instanceof PyList || o instanceof PyRange) return true;
    if (o.type === it.T.str || o.type === it.T.bytes) return true;
    return lookupSpecial(it, o, '__getitem__') !== null && !o.type.isSubtypeOf(it.T.dict);
}

/**
 * The built-in types whose __reversed__ returns an iterator of their own: reversed() takes that
 * path for the exact types; `self` of the `__reversed__` method itself may be a subclass's instance
 * (`subclass`), which gets the same iterator.
 */
function nativeReversed(it: Interpreter, seq: PyObject, subclass = false): PyObject | null {
    if (seq instanceof PyList && (subclass || seq.type === it.T.list)) {
        const r = it.heap.register(new PyIter(it.T.list_reverseiterator, 'list_reverse', null, true));
        r.seq = seq;
        it.heap.acquire(r, seq, '(seq)');
        return r;
    }
    if (seq instanceof PyRange) {
        // range.__reversed__ (range_reverse): the iterator of the same items from the last one,
        // stepping back — a range_iterator when it fits a C long, else a longrange_iterator.
        const last = seq.start + (seq.length - 1n) * seq.step;
        return getIter(it, new PyRange(it.T.range, last, last - seq.length * seq.step, -seq.step));
    }
    if (seq instanceof PyDict && (subclass || seq.type === it.T.dict) && it.T.dict.dict.getStr('__reversed__')) return newDictIter(it, seq, 'dict_keys', true);
    if (seq instanceof PyIter && (seq.kind === 'view_keys' || seq.kind === 'view_values' || seq.kind === 'view_items') && seq.type.dict.getStr('__reversed__')) {
        const kind = seq.kind === 'view_keys' ? 'dict_keys' : seq.kind === 'view_values' ? 'dict_values' : 'dict_items';
        return newDictIter(it, seq.seq as PyDict, kind, true);
    }
    return null;
}

function reversedNext(it: Interpreter, ro: PyReversed): PyObject | null {
    const seq = ro.seq;
    if (ro.index >= 0 && seq) {
        const i = ro.index;
        try {
            const item = getItem(it, seq, it.int(i));
            ro.index--;
            return item;
        } catch (e) {
            if (!(e instanceof PyRaise) || !(e.exc.type.isSubtypeOf(it.T.IndexError) || e.exc.type.isSubtypeOf(it.T.StopIteration))) throw e;
            dropRaise(it, e);
        }
    }
    ro.index = -1;
    if (seq) {
        ro.seq = null;
        it.heap.release(ro, seq, '(seq)');
    }
    return null;
}

/** Installs the slots and the methods of enumerate and reversed (and `__reversed__` of list, range, dict). */
export function installEnumObjects(it: Interpreter): void {
    const T = it.T;
    installIterMethods(it, T.enumerate);
    installIterMethods(it, T.reversed);
    T.reversed.dict.set(
        it.heap,
        it.str('__length_hint__'),
        it.builtin('__length_hint__', (self) => {
            // reversed_len: the sequence's length asked again (its __len__ runs), the position capped by it.
            const ro = self as PyReversed;
            if (!ro.seq) return it.int(0);
            const size = sequenceSize(it, ro.seq);
            if (size === null) throw it.error('TypeError', `object of type '${ro.seq.type.name}' has no len()`);
            const position = ro.index + 1;
            return it.int(size < position ? 0 : position);
        }, 'reversed', true),
    );
    // __reversed__ of the types that have one in this version (dict and its views: 3.8+).
    const names = namesFor(it.profile.name);
    for (const t of [T.list, T.range, T.dict, T.dict_keys, T.dict_values, T.dict_items]) {
        if (!names.types.get(t.name)?.own.has('__reversed__')) continue;
        t.dict.set(it.heap, it.str('__reversed__'), it.builtin('__reversed__', (self) => nativeReversed(it, self!, true)!, t.name, true));
    }
}
