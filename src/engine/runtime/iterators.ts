/*
 * iterators.ts
 *
 * Iterator and view objects. What matters for lifetimes: an iterator holds its sequence until it is
 * exhausted (listiter_next, tupleiter_next and dictiter_* drop it at once), and dict-items
 * iterators reuse one result tuple while nobody else holds it.
 */

import { PyObject, ObjFlag, type Refs, type Visit } from './object';
import type { PyType } from './types';
import type { PyTuple, DictEntry } from './containers';
import type { Interpreter } from '../interp/interpreter';
import { normInt } from './values';

/**
 * The engine's iterator protocol, CPython's tp_iter / tp_iternext. Every consumer (for loops,
 * comprehensions, unpacking, list()/tuple()/sorted()/join…, `in`, `yield from`, the builtins) goes
 * through three functions of interp/ops.ts:
 *   getIter(it, o)             iter(o): a new reference to an iterator;
 *   iterNext(it, i)            tp_iternext as FOR_ITER uses it: a new reference, or null when
 *                              exhausted; a StopIteration raised by Python code ends the iteration,
 *                              and a generator's return value is dropped;
 *   iterNextOrStop(it, i)      as `next(i)` sees it: null when exhausted with no value, but a
 *                              StopIteration raised by Python code (or carrying a generator's return
 *                              value) propagates as it is.
 * The built-in sequence iterators are PyIter kinds (switch in iterNext). Other iterators the engine
 * implements natively (generators, map, filter…) subclass PyNativeIter: getIter returns them as
 * they are, iterNext/iterNextOrStop call `iterNext`.
 */
export abstract class PyNativeIter extends PyObject {
    /**
     * tp_iternext: a new reference, or null when exhausted. `raiseStop`: an iterator that ends with a
     * value (a generator's `return v`) raises StopIteration(v) instead of answering null, as
     * gen_iternext leaves it set for `next()` to see; without it the value is dropped (FOR_ITER).
     */
    abstract iterNext(it: Interpreter, raiseStop: boolean): PyObject | null;
}

export type IterKind =
    | 'list'
    | 'list_reverse'
    | 'tuple'
    | 'str'
    | 'set'
    | 'dict_keys'
    | 'dict_values'
    | 'dict_items'
    | 'range'
    /** longrange_iterator: a range whose items do not all fit a C long (bigint arithmetic). */
    | 'longrange'
    | 'enumerate'
    | 'zip'
    | 'reversed'
    | 'view_keys'
    | 'view_values'
    | 'view_items'
    /** seqiterobject (`iterator`): the old sequence protocol over `__getitem__`. */
    | 'seq';

export class PyIter extends PyObject {
    index = 0;
    /** range iterators. */
    start = 0;
    stop = 0;
    stepBy = 1;
    /** longrange iterators: the range itself (start, step) and the next index as bigints. */
    longRange: PyRange | null = null;
    longIndex = 0n;
    /** Set iterators snapshot the items (mutation is detected by size). */
    snapshot: PyObject[] | null = null;
    /**
     * Dict iterators snapshot the entries: while the dict's size and version are unchanged they are
     * its entries (a value overwritten in place is read from the entry), so no key is looked up again
     * (a lookup would call a user `__hash__`).
     */
    entries: DictEntry[] | null = null;
    expectedVersion = 0;
    expectedSize = 0;
    /** dict items: the reusable result tuple. */
    result: PyTuple | null = null;

    constructor(
        type: PyType,
        public readonly kind: IterKind,
        public seq: PyObject | null,
        gc: boolean,
    ) {
        super(type);
        if (!gc) this.flags |= ObjFlag.Atomic;
    }

    override isGcType(): boolean {
        return !(this.flags & ObjFlag.Atomic);
    }

    override traverse(visit: Visit): void {
        if (this.seq) visit(this.seq);
        if (this.result) visit(this.result);
    }

    override clear(r: Refs): void {
        const seq = this.seq;
        this.seq = null;
        if (seq) r.release(this, seq, '(seq)');
        const res = this.result;
        this.result = null;
        if (res) r.release(this, res, '(result)');
    }
}

/**
 * range(start, stop, step): not a container; never tracked. Its bounds are Python ints of any size
 * (rangeobject.c keeps PyLong objects and computes length and items in long arithmetic), so they are
 * bigints here; iteration takes the C-long fast path when everything fits (range_iter versus
 * longrange_iter), see getIter.
 */
export class PyRange extends PyObject {
    /** compute_range_length: the number of items, exact. */
    readonly length: bigint;
    constructor(
        type: PyType,
        public readonly start: bigint,
        public readonly stop: bigint,
        public readonly step: bigint,
    ) {
        super(type);
        this.flags |= ObjFlag.Atomic;
        if (step > 0n) this.length = stop > start ? (stop - start - 1n) / step + 1n : 0n;
        else this.length = stop < start ? (start - stop - 1n) / -step + 1n : 0n;
    }
    /** compute_item: start + i * step for 0 <= i < length. */
    item(i: bigint): number | bigint {
        return normInt(this.start + i * this.step);
    }
}

export class PySlice extends PyObject {
    constructor(
        type: PyType,
        public readonly lower: PyObject,
        public readonly upper: PyObject,
        public readonly stepObj: PyObject,
    ) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}
