/*
 * bytearrayobject.ts
 *
 * The `bytearray` type as Objects/bytearrayobject.c defines it: bytearray___init__ (an int count
 * of zeros, an object exporting a buffer, a str with an encoding, an iterable of ints), its
 * sequence slots (bytearray_subscript, bytearray_ass_subscript: items are ints, slices are new
 * bytearrays, a slice assignment resizes, an extended one must match in size), concatenation and
 * repetition (in place for `+=`/`*=`), bytearray_richcompare over the buffers of both operands,
 * bytearray_contains, the bytearray_iterator (it holds the bytearray until exhausted), and the
 * methods programs use. What CPython words differently per version (a non-int item, extending with
 * a non-iterable) is refused rather than guessed.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { KwArgs } from '../runtime/callables';
import { PyInt, PyStr } from '../runtime/values';
import { PyList, PyTuple } from '../runtime/containers';
import { PySlice, PyNativeIter } from '../runtime/iterators';
import { PyByteArray, bufferOf } from '../runtime/bytearrayobject';
import type { Refs, Visit } from '../runtime/object';
import type { Interpreter } from '../interp/interpreter';
import { getIter, iterNext } from '../interp/ops';
import { sliceIndices } from '../interp/items';
import { unsupportedAt } from '../names/refuse';
import { nativeConstructors } from '../modules/stdTypes';
import { arity, noKwargs, toSsize } from './args';
import { install } from './methods';
import { msg } from '../messages';
import { PyRaise, dropRaise } from '../interp/signals';

/** bytearray_iterator: holds the bytearray until it is exhausted (bytearrayiter_next drops it then). */
class PyByteArrayIter extends PyNativeIter {
    index = 0;
    constructor(
        type: PyType,
        public seq: PyByteArray | null,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.seq) visit(this.seq);
    }
    override clear(r: Refs): void {
        const s = this.seq;
        this.seq = null;
        if (s) r.release(this, s, '(it_seq)');
    }
    iterNext(it: Interpreter): PyObject | null {
        const s = this.seq;
        if (s === null) return null;
        if (this.index < s.v.length) return it.int(s.v[this.index++]);
        this.seq = null;
        it.heap.release(this, s, '(it_seq)');
        return null;
    }
}

export function installByteArray(it: Interpreter): void {
    const T = it.T;
    const t = T.bytearray;
    const iterType = T.bytearray_iterator;
    const h = it.heap;
    const make = (v: Uint8Array): PyByteArray => h.register(new PyByteArray(t, v));
    const ba = (o: PyObject): PyByteArray => o as PyByteArray;

    /**
     * _getbytevalue: an int in range(0, 256). 3.x's PyLong_AsLongAndOverflow refuses another object
     * (one with `__index__` is not modelled: refused); 2.7 also takes a one-character str (refused).
     */
    const byteValue = (o: PyObject): number => {
        if (o.type.isHeap || (it.profile.major === 2 && !(o instanceof PyInt))) throw unsupportedAt(it, `a bytearray item that is not an int ('${o.type.name}')`);
        if (!(o instanceof PyInt)) throw it.error('TypeError', `'${o.type.name}' object cannot be interpreted as an integer`);
        const v = Number(o.v);
        if (!(v >= 0 && v < 256)) throw it.error('ValueError', 'byte must be in range(0, 256)');
        return v;
    };
    /**
     * The bytes of an iterable of ints (bytearray___init__'s slow path, bytearray_extend). 3.x words
     * a TypeError of PyObject_GetIter its own way (`notIterable`); 2.7 lets it through.
     */
    const fromIterable = (o: PyObject, notIterable?: string): Uint8Array => {
        // An exact list or tuple read directly (a subclass is iterated: its __iter__ runs).
        if (o.type === it.T.list || o.type === it.T.tuple) return Uint8Array.from((o as PyList | PyTuple).items, byteValue);
        let iter: PyObject;
        try {
            iter = getIter(it, o);
        } catch (e) {
            if (notIterable === undefined || it.profile.major === 2 || !(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.TypeError)) throw e;
            dropRaise(it, e);
            throw it.error('TypeError', notIterable);
        }
        const out: number[] = [];
        try {
            for (let x = iterNext(it, iter); x !== null; x = iterNext(it, iter)) {
                try {
                    out.push(byteValue(x));
                } finally {
                    it.decref(x);
                }
            }
        } finally {
            it.decref(iter);
        }
        return Uint8Array.from(out);
    };
    const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
        const r = new Uint8Array(a.length + b.length);
        r.set(a);
        r.set(b, a.length);
        return r;
    };
    const repeat = (b: Uint8Array, n: number): Uint8Array => {
        if (b.length * n > 1 << 20) it.reserveString(b.length * n);
        const r = new Uint8Array(Math.max(0, n) * b.length);
        for (let i = 0; i < n; i++) r.set(b, i * b.length);
        return r;
    };
    /** An int index of the sequence slots (a class's `__index__` is not modelled here: refused). */
    const intKey = (key: PyObject): number => {
        if (key instanceof PyInt && !key.type.isHeap) return Number(key.v);
        if (key instanceof PyInt) throw unsupportedAt(it, 'a bytearray index of an int subclass');
        throw it.error('TypeError', msg(it.profile, 'bytearrayIndices', key.type.name));
    };
    const itemIndex = (o: PyByteArray, key: PyObject): number => {
        let i = intKey(key);
        if (i < 0) i += o.v.length;
        if (i < 0 || i >= o.v.length) throw it.error('IndexError', 'bytearray index out of range');
        return i;
    };
    /** The bytes a slice assignment stores (bytearray_ass_subscript: a number or str is refused, anything else made a bytearray). */
    const assignedBytes = (values: PyObject): Uint8Array => {
        if (values instanceof PyByteArray) return values.v.slice();
        if (values instanceof PyInt || values instanceof PyStr) {
            if (values instanceof PyStr && it.profile.bytesAreStr) return bufferOf(it, values) ?? fromIterable(values);
            throw it.error('TypeError', 'can assign only bytes, buffers, or iterables of ints in range(0, 256)');
        }
        return bufferOf(it, values) ?? fromIterable(values);
    };
    /** bytearray_ass_subscript: `o[key] = values`, or `del o[key]` (values null). */
    const assign = (o: PyByteArray, key: PyObject, values: PyObject | null): void => {
        if (!(key instanceof PySlice)) {
            const v = values === null ? -1 : byteValue(values);
            const i = itemIndex(o, key);
            if (values === null) o.v = concat(o.v.subarray(0, i), o.v.subarray(i + 1));
            else o.v[i] = v;
            return;
        }
        const bytes = values === null ? new Uint8Array() : assignedBytes(values);
        let [start, stop, step, n] = sliceIndices(it, key, o.v.length);
        // Make sure b[5:2] = ... inserts before 5, not before 2.
        if ((step < 0 && start < stop) || (step > 0 && start > stop)) stop = start;
        if (step === 1) {
            o.v = concat(concat(o.v.subarray(0, start), bytes), o.v.subarray(stop));
            return;
        }
        if (values === null || bytes.length === 0) {
            const drop = new Set<number>();
            for (let i = 0, j = start; i < n; i++, j += step) drop.add(j);
            o.v = o.v.filter((_, i) => !drop.has(i));
            return;
        }
        if (bytes.length !== n) throw it.error('ValueError', `attempt to assign bytes of size ${bytes.length} to extended slice of size ${n}`);
        for (let i = 0, j = start; i < n; i++, j += step) o.v[j] = bytes[i];
    };
    /** A `sub` argument of find/count/index: a byte value or the bytes of a buffer. */
    const subBytes = (sub: PyObject): Uint8Array => {
        if (sub instanceof PyInt) return Uint8Array.of(byteValue(sub));
        const b = bufferOf(it, sub);
        if (b === null) throw unsupportedAt(it, `a bytearray search for a '${sub.type.name}'`);
        return b;
    };
    /** ADJUST_INDICES of the optional start and end arguments. */
    const range = (len: number, args: PyObject[], from: number): [number, number] => {
        const get = (o: PyObject | undefined, dflt: number): number => {
            if (o === undefined || o === it.None) return dflt;
            let v = toSsize(it, o);
            if (v < 0) v = Math.max(0, v + len);
            return Math.min(v, len);
        };
        return [get(args[from], 0), get(args[from + 1], len)];
    };
    const indexOf = (hay: Uint8Array, needle: Uint8Array, start: number, end: number, last: boolean): number => {
        if (end - start < needle.length) return -1;
        const match = (i: number): boolean => needle.every((c, k) => hay[i + k] === c);
        if (last) {
            for (let i = end - needle.length; i >= start; i--) if (match(i)) return i;
        } else {
            for (let i = start; i + needle.length <= end; i++) if (match(i)) return i;
        }
        return -1;
    };
    const find = (self: PyObject, args: PyObject[], name: string, last: boolean): number => {
        arity(it, name, args, 1, 3);
        const v = ba(self).v;
        const [start, end] = range(v.length, args, 1);
        return indexOf(v, subBytes(args[0]), start, end, last);
    };
    const affix = (self: PyObject, args: PyObject[], name: string, suffix: boolean): PyObject => {
        arity(it, name, args, 1, 3);
        const v = ba(self).v;
        const [start, end] = range(v.length, args, 1);
        const candidates = args[0] instanceof PyTuple ? args[0].items : [args[0]];
        for (const c of candidates) {
            const b = bufferOf(it, c);
            if (b === null) throw unsupportedAt(it, `bytearray.${name} of a '${c.type.name}'`);
            if (end - start < b.length) continue;
            const at = suffix ? end - b.length : start;
            if (b.every((x, k) => v[at + k] === x)) return it.True;
        }
        return it.False;
    };

    install(it, t, {
        append(self, args) {
            arity(it, 'append', args, 1, 1);
            const o = ba(self);
            o.v = concat(o.v, Uint8Array.of(byteValue(args[0])));
            return it.None;
        },
        extend(self, args) {
            arity(it, 'extend', args, 1, 1);
            const o = ba(self);
            const src = args[0];
            o.v = concat(o.v, bufferOf(it, src)?.slice() ?? fromIterable(src, `can't extend bytearray with ${src.type.name}`));
            return it.None;
        },
        insert(self, args) {
            arity(it, 'insert', args, 2, 2);
            const o = ba(self);
            const n = o.v.length;
            let i = toSsize(it, args[0]);
            if (i < 0) i = Math.max(0, i + n);
            if (i > n) i = n;
            o.v = concat(concat(o.v.subarray(0, i), Uint8Array.of(byteValue(args[1]))), o.v.subarray(i));
            return it.None;
        },
        pop(self, args) {
            arity(it, 'pop', args, 0, 1);
            const o = ba(self);
            const n = o.v.length;
            if (n === 0) throw it.error('IndexError', 'pop from empty bytearray');
            let i = args.length ? toSsize(it, args[0]) : -1;
            if (i < 0) i += n;
            if (i < 0 || i >= n) throw it.error('IndexError', 'pop index out of range');
            const v = o.v[i];
            o.v = concat(o.v.subarray(0, i), o.v.subarray(i + 1));
            return it.int(v);
        },
        remove(self, args) {
            arity(it, 'remove', args, 1, 1);
            const o = ba(self);
            const i = o.v.indexOf(byteValue(args[0]));
            if (i < 0) throw it.error('ValueError', 'value not found in bytearray');
            o.v = concat(o.v.subarray(0, i), o.v.subarray(i + 1));
            return it.None;
        },
        clear(self, args) {
            arity(it, 'clear', args, 0, 0);
            ba(self).v = new Uint8Array();
            return it.None;
        },
        copy(self, args) {
            arity(it, 'copy', args, 0, 0);
            return make(ba(self).v.slice());
        },
        reverse(self, args) {
            arity(it, 'reverse', args, 0, 0);
            ba(self).v.reverse();
            return it.None;
        },
        count(self, args) {
            arity(it, 'count', args, 1, 3);
            const v = ba(self).v;
            const sub = subBytes(args[0]);
            const [start, end] = range(v.length, args, 1);
            if (sub.length === 0) return it.int(Math.max(0, end - start + 1));
            let n = 0;
            for (let i = indexOf(v, sub, start, end, false); i >= 0; i = indexOf(v, sub, i + sub.length, end, false)) n++;
            return it.int(n);
        },
        find: (self, args) => it.int(find(self, args, 'find', false)),
        rfind: (self, args) => it.int(find(self, args, 'rfind', true)),
        index(self, args) {
            const i = find(self, args, 'index', false);
            if (i < 0) throw it.error('ValueError', 'subsection not found');
            return it.int(i);
        },
        startswith: (self, args) => affix(self, args, 'startswith', false),
        endswith: (self, args) => affix(self, args, 'endswith', true),
        hex(self, args) {
            if (args.length) throw unsupportedAt(it, 'bytearray.hex with a separator');
            return it.str(Array.from(ba(self).v, (c) => c.toString(16).padStart(2, '0')).join(''));
        },
        decode(self, args, kwargs: KwArgs) {
            // 2.7's decode makes a unicode object, a type the engine does not model.
            if (it.profile.major === 2) throw unsupportedAt(it, 'bytearray.decode on Python 2.7 (a unicode result)');
            arity(it, 'decode', args, 0, 2);
            const enc = args[0] ?? kwargs?.get('encoding');
            const errors = args[1] ?? kwargs?.get('errors');
            const name = enc instanceof PyStr ? enc.v.toLowerCase().replace(/_/g, '-') : 'utf-8';
            if ((enc !== undefined && !(enc instanceof PyStr)) || errors !== undefined || !['utf-8', 'utf8', 'ascii', 'latin-1', 'latin1', 'iso-8859-1'].includes(name)) {
                throw unsupportedAt(it, 'bytearray.decode with this encoding or errors argument');
            }
            const v = ba(self).v;
            if (name.startsWith('latin') || name === 'iso-8859-1') return it.str(String.fromCharCode(...v));
            if (name === 'ascii' ? v.some((c) => c > 0x7f) : !isUtf8(v)) throw unsupportedAt(it, 'a UnicodeDecodeError of bytearray.decode');
            return it.str(new TextDecoder('utf-8').decode(v));
        },
    });

    t.extSlots = {
        length: (o) => ba(o).v.length,
        iter: (o) => {
            const i = h.register(new PyByteArrayIter(iterType, ba(o)));
            h.acquire(i, o, '(it_seq)');
            return i;
        },
        getItem: (o, key) => {
            const v = ba(o).v;
            if (key instanceof PySlice) {
                const [start, , step, n] = sliceIndices(it, key, v.length);
                const out = new Uint8Array(n);
                for (let i = 0, j = start; i < n; i++, j += step) out[i] = v[j];
                return make(out);
            }
            return it.int(v[itemIndex(ba(o), key)]);
        },
        setItem: (o, key, value) => assign(ba(o), key, value),
        // bytearray_contains: an int is a byte value, anything else a buffer searched as a substring.
        contains: (o, item) => {
            const v = ba(o).v;
            if (item instanceof PyInt) return v.includes(byteValue(item));
            const b = bufferOf(it, item);
            if (b === null && it.profile.major === 2) throw unsupportedAt(it, `'in' of a '${item.type.name}' in a bytearray on Python 2.7`);
            if (b === null) throw it.error('TypeError', `a bytes-like object is required, not '${item.type.name}'`);
            return indexOf(v, b, 0, v.length, false) >= 0;
        },
        // PyByteArray_Concat / bytearray_iconcat: the other operand must export a buffer.
        concat: (a, b, inplace) => {
            const vb = bufferOf(it, b);
            if (vb === null) throw it.error('TypeError', msg(it.profile, 'bytearrayConcat', a.type.name, b.type.name));
            if (!inplace) return make(concat(ba(a).v, vb));
            ba(a).v = concat(ba(a).v, vb);
            return it.incref(a);
        },
        repeat: (o, n, inplace) => {
            if (!inplace) return make(repeat(ba(o).v, n));
            ba(o).v = repeat(ba(o).v, n);
            return it.incref(o);
        },
        // bytearray_richcompare: both operands export a buffer (else NotImplemented), compared as memcmp, then by length.
        compare: (a, b) => {
            const vb = bufferOf(it, b);
            if (vb === null) return null;
            const va = ba(a).v;
            const n = Math.min(va.length, vb.length);
            for (let i = 0; i < n; i++) if (va[i] !== vb[i]) return va[i] - vb[i];
            return va.length - vb.length;
        },
    };

    nativeConstructors(it).set(t, (args, kwargs) => make(initialBytes(it, args, kwargs, fromIterable)));
}

/** bytearray___init__'s argument handling: the new bytearray's bytes. */
function initialBytes(it: Interpreter, args: PyObject[], kwargs: KwArgs, fromIterable: (o: PyObject, notIterable: string) => Uint8Array): Uint8Array {
    arity(it, 'bytearray', args, 0, 3);
    const source = args[0] ?? kwargs?.get('source') ?? null;
    const encoding = args[1] ?? kwargs?.get('encoding') ?? null;
    const errors = args[2] ?? kwargs?.get('errors') ?? null;
    if (kwargs) for (const k of kwargs.keys()) if (!['source', 'encoding', 'errors'].includes(k)) noKwargs(it, 'bytearray', kwargs);
    if (source === null) {
        if (encoding !== null || errors !== null) throw it.error('TypeError', encoding !== null ? 'encoding without a string argument' : 'errors without a string argument');
        return new Uint8Array();
    }
    if (source instanceof PyStr && !it.profile.bytesAreStr) {
        if (encoding === null) throw it.error('TypeError', 'string argument without an encoding');
        const name = encoding instanceof PyStr ? encoding.v.toLowerCase().replace(/_/g, '-') : '';
        if (errors !== null || !['utf-8', 'utf8'].includes(name)) throw unsupportedAt(it, 'bytearray() of a str with this encoding or errors argument');
        return new TextEncoder().encode(source.v);
    }
    if (encoding !== null || errors !== null) throw it.error('TypeError', encoding !== null ? 'encoding without a string argument' : 'errors without a string argument');
    if (source instanceof PyInt) {
        const n = toSsize(it, source);
        if (n < 0) throw it.error('ValueError', 'negative count');
        if (n > 1 << 20) it.reserveString(n);
        return new Uint8Array(n);
    }
    const b = bufferOf(it, source);
    if (b !== null) return b.slice();
    return fromIterable(source, `cannot convert '${source.type.name}' object to bytearray`);
}

/** Is `b` well-formed UTF-8 (what the strict utf-8 decoder accepts)? */
function isUtf8(b: Uint8Array): boolean {
    try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
        return true;
    } catch {
        return false;
    }
}
