/*
 * itertools.ts
 *
 * The `itertools` module (Modules/itertoolsmodule.c): C iterator objects, each GC-tracked, holding
 * what its struct holds:
 *
 *   - count(start, step): the next value and the step (count_next returns the value, then
 *     stores value + step).
 *   - cycle(iterable): the iterator and a list `saved` of every item it gave; once the iterator is
 *     exhausted it is released and the saved items are repeated (so they all live as long as the
 *     cycle does).
 *   - repeat(object, times): the object.
 *   - chain(*iterables) / chain.from_iterable(it): `source`, an iterator over the iterables, and
 *     `active`, the current one; each is released as soon as it is exhausted.
 *   - islice(iterable, [start,] stop [, step]): the iterator, released (Py_CLEAR) when the slice
 *     ends, so an exhausted islice no longer keeps its source alive.
 *   - tee(iterable, n): n `_tee` objects sharing a linked list of `_tee_dataobject`s, each holding
 *     the source iterator and a buffer of up to 57 values (LINKCELLS) read from it, and the next
 *     link. A tee holds the link it reads from; a link holds its values, its iterator and the next
 *     link: a value lives until every tee has moved past its link. teedataobject_clear releases
 *     the iterator, then the values, then the next link.
 *   - zip_longest(*iterables, fillvalue=None): a tuple of the iterators (an exhausted one is
 *     replaced by None: released at once), the fill value and a result tuple reused while only the
 *     zip_longest holds it.
 *
 *   - starmap(func, it), takewhile, dropwhile, filterfalse (2.7 ifilterfalse): the function and
 *     the iterator (released in that order); takewhile keeps its source after it stops.
 *   - compress(data, selectors): both iterators; accumulate(iterable, func, initial=): the function,
 *     the running total (each new total replaces the old one), the initial value (None once given)
 *     and the iterator.
 *   - groupby(iterable, key) (3.x): the iterator, the key function, the target key, the key and
 *     value read ahead, and the last `_grouper` (borrowed); a `_grouper` holds the groupby and its
 *     target key, takes the value read ahead (the groupby's current key cleared) and gives nothing
 *     once the groupby has moved on.
 *
 *     2.7's groupby has no `currgrouper`: an older grouper gives values again whenever the
 *     groupby's current key equals its target key.
 *   - product(*iterables, repeat=), combinations(iterable, r), combinations_with_replacement,
 *     permutations(iterable, r=None): the pool (a tuple copy of the input; product: a tuple of
 *     them, a repeated pool shared), the indices and the result tuple last returned, reused while
 *     only the iterator holds it (else copied first), 3.x re-tracking it if the collector had
 *     untracked it (bpo-42536); the dealloc releases the pool, then the result.
 *   - 2.7's imap (the iterators' tuple and the function; a new argument tuple per item), ifilter
 *     (as filterfalse) and izip (3.x zip's object: builtins/bltinIterators.ts).
 *
 * Not modelled (refused by name: names/cpython-names.json): pairwise, batched.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyInt, PyFloat } from '../runtime/values';
import { PyList, PyTuple, indexLabel } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import { PyNativeIter } from '../runtime/iterators';
import type { Interpreter } from '../interp/interpreter';
import { repr } from '../interp/format';
import { getIter, iterNext, binaryOp, truthy, equals, collect } from '../interp/ops';
import { lookupAttr } from '../interp/attrs';
import { call } from '../interp/calls';
import { arity, noKwargs, toSsize } from '../builtins/args';
import { iteratorTuple, izipNew } from '../builtins/bltinIterators';
import { sequenceTupleItems } from '../interp/lengthHint';
import { installIterMethods } from '../builtins/iterslots';
import { unsupportedAt } from '../names/refuse';
import { stdType, recordedIn } from './stdTypes';

/** An itertools object: GC-tracked, its references released by `clear` (also its dealloc). */
/**
 * An edge label for a C field: itertools objects expose none of their fields to Python, so a
 * chain shows them in parentheses (`it(saved)`), never as an attribute Python code could type.
 * Item labels (`[0]`) stay as they are.
 */
function cField(name: string): string {
    return name.startsWith('[') ? name : `(${name})`;
}

abstract class ItertoolsIter extends PyNativeIter {
    override isGcType(): boolean {
        return true;
    }
    /** Field name -> reference, in tp_traverse / tp_clear order. */
    protected abstract fields(): [string, PyObject | null][];
    protected abstract drop(name: string): void;
    override traverse(visit: Visit): void {
        for (const [, v] of this.fields()) if (v) visit(v);
    }
    override clear(r: Refs): void {
        for (const [name, v] of this.fields()) {
            if (!v) continue;
            this.drop(name);
            r.release(this, v, cField(name));
        }
    }
}

// ------------------------------------------------------------------------------------------------
// count, repeat, cycle

class CountObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public cnt: PyObject | null,
        public step: PyObject | null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['long_cnt', this.cnt],
            ['long_step', this.step],
        ];
    }
    protected drop(name: string): void {
        if (name === 'long_cnt') this.cnt = null;
        else this.step = null;
    }
    iterNext(it: Interpreter): PyObject | null {
        const v = this.cnt!;
        const next = binaryOp(it, 'Add', v, this.step!);
        this.cnt = next;
        it.heap.adopt(this, next, '(long_cnt)');
        it.heap.forget(this, v, 'long_cnt');
        return v;
    }
}

class RepeatObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public element: PyObject | null,
        /** -1: forever. */
        public cnt: number,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [['element', this.element]];
    }
    protected drop(): void {
        this.element = null;
    }
    iterNext(it: Interpreter): PyObject | null {
        if (this.cnt === 0 || !this.element) return null;
        if (this.cnt > 0) this.cnt--;
        return it.incref(this.element);
    }
}

class CycleObject extends ItertoolsIter {
    index = 0;
    constructor(
        type: PyType,
        public iter: PyObject | null,
        public saved: PyList | null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['it', this.iter],
            ['saved', this.saved],
        ];
    }
    protected drop(name: string): void {
        if (name === 'it') this.iter = null;
        else this.saved = null;
    }
    iterNext(it: Interpreter): PyObject | null {
        if (this.iter) {
            const item = iterNext(it, this.iter);
            if (item !== null) {
                const s = this.saved!;
                s.items.push(it.incref(item));
                it.heap.adopt(s, item, indexLabel(s.items.length - 1));
                return item;
            }
            const i = this.iter;
            this.iter = null;
            it.heap.release(this, i, '(it)');
        }
        const s = this.saved;
        if (!s || !s.items.length) return null;
        const v = s.items[this.index];
        this.index = (this.index + 1) % s.items.length;
        return it.incref(v);
    }
}

// ------------------------------------------------------------------------------------------------
// chain, islice

class ChainObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public source: PyObject | null,
        public active: PyObject | null = null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['source', this.source],
            ['active', this.active],
        ];
    }
    protected drop(name: string): void {
        if (name === 'source') this.source = null;
        else this.active = null;
    }
    private clearField(it: Interpreter, name: 'source' | 'active'): void {
        const v = this[name];
        if (!v) return;
        this[name] = null;
        it.heap.release(this, v, cField(name));
    }
    iterNext(it: Interpreter): PyObject | null {
        while (this.source) {
            if (!this.active) {
                const iterable = iterNext(it, this.source);
                if (iterable === null) {
                    this.clearField(it, 'source');
                    return null;
                }
                let active: PyObject;
                try {
                    active = getIter(it, iterable);
                } catch (e) {
                    this.clearField(it, 'source');
                    throw e;
                } finally {
                    it.decref(iterable);
                }
                this.active = active;
                it.heap.adopt(this, active, '(active)');
            }
            const item = iterNext(it, this.active);
            if (item !== null) return item;
            this.clearField(it, 'active');
        }
        return null;
    }
}

class IsliceObject extends ItertoolsIter {
    cnt = 0;
    constructor(
        type: PyType,
        public iter: PyObject | null,
        public next: number,
        /** -1: no stop. */
        public stop: number,
        public step: number,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [['it', this.iter]];
    }
    protected drop(): void {
        this.iter = null;
    }
    /** `empty:` Py_CLEAR(lz->it). */
    private empty(it: Interpreter): null {
        const i = this.iter;
        if (i) {
            this.iter = null;
            it.heap.release(this, i, '(it)');
        }
        return null;
    }
    iterNext(it: Interpreter): PyObject | null {
        const src = this.iter;
        if (!src) return null;
        while (this.cnt < this.next) {
            const item = iterNext(it, src);
            if (item === null) return this.empty(it);
            it.decref(item);
            this.cnt++;
        }
        if (this.stop !== -1 && this.cnt >= this.stop) return this.empty(it);
        const item = iterNext(it, src);
        if (item === null) return this.empty(it);
        this.cnt++;
        const old = this.next;
        this.next += this.step;
        if (this.next < old || (this.stop !== -1 && this.next > this.stop)) this.next = this.stop;
        return item;
    }
}

// ------------------------------------------------------------------------------------------------
// tee

/** LINKCELLS: the values one teedataobject buffers. */
const LINKCELLS = 57;

class TeeDataObject extends ItertoolsIter {
    values: PyObject[] = [];
    running = false;
    constructor(
        type: PyType,
        public iter: PyObject | null,
        public nextlink: TeeDataObject | null = null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [['it', this.iter], ...this.values.map((v, i): [string, PyObject | null] => [indexLabel(i), v]), ['nextlink', this.nextlink]];
    }
    protected drop(name: string): void {
        if (name === 'it') this.iter = null;
        else if (name === 'nextlink') this.nextlink = null;
    }
    override clear(r: Refs): void {
        super.clear(r);
        this.values = [];
    }
    iterNext(): PyObject | null {
        return null;
    }
}

class TeeObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public dataobj: TeeDataObject | null,
        public index: number,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [['dataobj', this.dataobj]];
    }
    protected drop(): void {
        this.dataobj = null;
    }
    iterNext(it: Interpreter): PyObject | null {
        let d = this.dataobj;
        if (!d) return null;
        if (this.index >= LINKCELLS) {
            // teedataobject_jumplink: the next link, made on first use.
            if (!d.nextlink) {
                const link = it.heap.register(new TeeDataObject(d.type, it.incref(d.iter!)));
                it.heap.adopt(link, d.iter!, '(it)');
                d.nextlink = link;
                it.heap.adopt(d, link, '(nextlink)');
            }
            const next = d.nextlink;
            it.heap.acquire(this, next, 'dataobj');
            this.dataobj = next;
            this.index = 0;
            it.heap.release(this, d, '(dataobj)');
            d = next;
        }
        // teedataobject_getitem
        let value: PyObject;
        if (this.index < d.values.length) value = d.values[this.index];
        else {
            if (d.running) throw it.error('RuntimeError', 'cannot re-enter the tee iterator');
            d.running = true;
            let v: PyObject | null;
            try {
                v = iterNext(it, d.iter!);
            } finally {
                d.running = false;
            }
            if (v === null) return null;
            d.values.push(v);
            it.heap.adopt(d, v, indexLabel(d.values.length - 1));
            value = v;
        }
        this.index++;
        return it.incref(value);
    }
}

// ------------------------------------------------------------------------------------------------
// zip_longest

class ZipLongestObject extends ItertoolsIter {
    numactive: number;
    constructor(
        type: PyType,
        public ittuple: PyTuple | null,
        public fillvalue: PyObject | null,
        public result: PyTuple | null = null,
    ) {
        super(type);
        this.numactive = ittuple!.items.length;
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['ittuple', this.ittuple],
            ['result', this.result],
            ['fillvalue', this.fillvalue],
        ];
    }
    protected drop(name: string): void {
        if (name === 'ittuple') this.ittuple = null;
        else if (name === 'result') this.result = null;
        else this.fillvalue = null;
    }
    /** The next item of source i: its value, the fill value once it is exhausted, or null when it was the last active one. */
    private item(it: Interpreter, t: PyTuple, i: number): PyObject | null {
        const src = t.items[i];
        if (src === it.None) return it.incref(this.fillvalue!);
        const v = iterNext(it, src);
        if (v !== null) return v;
        this.numactive--;
        if (this.numactive === 0) return null;
        // PyTuple_SET_ITEM(lz->ittuple, i, NULL); Py_DECREF(it) (None here).
        t.items[i] = it.None;
        it.heap.release(t, src, indexLabel(i));
        return it.incref(this.fillvalue!);
    }
    iterNext(it: Interpreter): PyObject | null {
        const t = this.ittuple;
        const n = t?.items.length ?? 0;
        if (!t || n === 0 || this.numactive === 0) return null;
        const result = this.result!;
        if (result.rc === 1) {
            // Reused: each item replaces the old one at once (the old one released there).
            it.incref(result);
            for (let i = 0; i < n; i++) {
                const v = this.item(it, t, i);
                if (v === null) {
                    this.numactive = 0;
                    it.decref(result);
                    return null;
                }
                const old = result.items[i];
                result.items[i] = v;
                it.heap.adopt(result, v, indexLabel(i));
                it.heap.release(result, old, indexLabel(i));
            }
            return result;
        }
        const items: PyObject[] = [];
        for (let i = 0; i < n; i++) {
            const v = this.item(it, t, i);
            if (v === null) {
                this.numactive = 0;
                for (const x of items) it.decref(x);
                return null;
            }
            items.push(v);
        }
        const fresh = it.tuple(items);
        return fresh;
    }
}

// ------------------------------------------------------------------------------------------------
// starmap, takewhile, dropwhile, filterfalse, compress, accumulate

type FuncIterKind = 'starmap' | 'takewhile' | 'dropwhile' | 'filterfalse' | 'filter';

/** An iterator applying `func` to the items of `it` (starmap, takewhile, dropwhile, filterfalse, 2.7's ifilter); its dealloc releases func, then it. */
class FuncIterObject extends ItertoolsIter {
    /** takewhile: stopped (the source is kept); dropwhile: started. */
    flag = false;
    constructor(
        type: PyType,
        readonly kind: FuncIterKind,
        public func: PyObject | null,
        public iter: PyObject | null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['func', this.func],
            ['it', this.iter],
        ];
    }
    protected drop(name: string): void {
        if (name === 'func') this.func = null;
        else this.iter = null;
    }
    /** Is func(item) true (filterfalse, ifilter: None or bool tests the item itself)? */
    private test(it: Interpreter, item: PyObject): boolean {
        if ((this.kind === 'filterfalse' || this.kind === 'filter') && (this.func === it.None || this.func === it.T.bool)) return truthy(it, item);
        const r = call(it, this.func!, [item], null);
        try {
            return truthy(it, r);
        } finally {
            it.decref(r);
        }
    }
    iterNext(it: Interpreter): PyObject | null {
        if (!this.iter || (this.kind === 'takewhile' && this.flag)) return null;
        for (;;) {
            const item = iterNext(it, this.iter);
            if (item === null) return null;
            if (this.kind === 'starmap') {
                // The arguments tuple: the item itself when it is an exact tuple, else tuple(item).
                let args = item;
                if (!(item instanceof PyTuple) || item.type !== it.T.tuple) {
                    try {
                        args = it.tuple(collect(it, item));
                    } finally {
                        it.decref(item);
                    }
                }
                try {
                    return call(it, this.func!, [...(args as PyTuple).items], null);
                } finally {
                    it.decref(args);
                }
            }
            if (this.kind === 'dropwhile' && this.flag) return item;
            let ok: boolean;
            try {
                ok = this.test(it, item);
            } catch (e) {
                it.decref(item);
                throw e;
            }
            if (this.kind === 'takewhile') {
                if (ok) return item;
                it.decref(item);
                this.flag = true;
                return null;
            }
            if (this.kind === 'dropwhile' && !ok) {
                this.flag = true;
                return item;
            }
            if (this.kind === 'filterfalse' && !ok) return item;
            if (this.kind === 'filter' && ok) return item;
            it.decref(item);
        }
    }
}

class CompressObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public data: PyObject | null,
        public selectors: PyObject | null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['data', this.data],
            ['selectors', this.selectors],
        ];
    }
    protected drop(name: string): void {
        if (name === 'data') this.data = null;
        else this.selectors = null;
    }
    iterNext(it: Interpreter): PyObject | null {
        if (!this.data || !this.selectors) return null;
        for (;;) {
            const datum = iterNext(it, this.data);
            if (datum === null) return null;
            const selector = iterNext(it, this.selectors);
            if (selector === null) {
                it.decref(datum);
                return null;
            }
            let ok: boolean;
            try {
                ok = truthy(it, selector);
            } catch (e) {
                it.decref(datum);
                throw e;
            } finally {
                it.decref(selector);
            }
            if (ok) return datum;
            it.decref(datum);
        }
    }
}

/** accumulate(iterable, func=None, *, initial=None): the running total is held between items. */
class AccumulateObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public binop: PyObject | null,
        public total: PyObject | null,
        public initial: PyObject | null,
        public iter: PyObject | null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['binop', this.binop],
            ['total', this.total],
            ['initial', this.initial],
            ['it', this.iter],
        ];
    }
    protected drop(name: string): void {
        if (name === 'binop') this.binop = null;
        else if (name === 'total') this.total = null;
        else if (name === 'initial') this.initial = null;
        else this.iter = null;
    }
    private setTotal(it: Interpreter, v: PyObject): PyObject {
        const old = this.total;
        this.total = it.incref(v);
        it.heap.adopt(this, v, '(total)');
        if (old) it.heap.release(this, old, '(total)');
        return v;
    }
    iterNext(it: Interpreter): PyObject | null {
        if (this.initial && this.initial !== it.None) {
            // The initial value is the first total; the field goes back to None.
            const first = this.initial;
            this.initial = it.None;
            it.heap.acquire(this, it.None, '(initial)');
            this.total = first;
            it.heap.forget(this, first, '(initial)');
            it.heap.adopt(this, first, '(total)');
            return it.incref(first);
        }
        if (!this.iter) return null;
        const val = iterNext(it, this.iter);
        if (val === null) return null;
        if (this.total === null) {
            this.setTotal(it, val);
            return val;
        }
        let next: PyObject;
        try {
            next = this.binop === null || this.binop === it.None ? binaryOp(it, 'Add', this.total, val) : call(it, this.binop, [this.total, val], null);
        } finally {
            it.decref(val);
        }
        this.setTotal(it, next);
        return next;
    }
}

// ------------------------------------------------------------------------------------------------
// groupby

/**
 * groupby(iterable, key=None): the source, the key function, the target key of the group being
 * given, the current key and value read ahead, and (borrowed) the current `_grouper`. A grouper
 * holds the groupby and its target key; once the groupby moves on, an older grouper gives nothing.
 */
class GroupbyObject extends ItertoolsIter {
    tgtkey: PyObject | null = null;
    currkey: PyObject | null = null;
    currvalue: PyObject | null = null;
    /** The grouper made last (a borrowed reference: only compared). */
    currgrouper: PyObject | null = null;
    constructor(
        type: PyType,
        public iter: PyObject | null,
        public keyfunc: PyObject | null,
        readonly grouperType: PyType,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['it', this.iter],
            ['keyfunc', this.keyfunc],
            ['tgtkey', this.tgtkey],
            ['currkey', this.currkey],
            ['currvalue', this.currvalue],
        ];
    }
    protected drop(name: string): void {
        if (name === 'it') this.iter = null;
        else if (name === 'keyfunc') this.keyfunc = null;
        else if (name === 'tgtkey') this.tgtkey = null;
        else if (name === 'currkey') this.currkey = null;
        else this.currvalue = null;
    }
    /** Replaces a field's reference (the new value owned), releasing the old one after. */
    set(it: Interpreter, name: 'tgtkey' | 'currkey' | 'currvalue', v: PyObject | null): void {
        const old = this[name];
        this[name] = v;
        if (v) it.heap.adopt(this, v, `(${name})`);
        if (old) it.heap.release(this, old, `(${name})`);
    }
    /** groupby_step: reads the next value and its key; false when the source is exhausted. */
    step(it: Interpreter): boolean {
        if (!this.iter) return false;
        const value = iterNext(it, this.iter);
        if (value === null) return false;
        let key: PyObject;
        try {
            key = this.keyfunc === null || this.keyfunc === it.None ? it.incref(value) : call(it, this.keyfunc, [value], null);
        } catch (e) {
            it.decref(value);
            throw e;
        }
        // currvalue = newvalue; Py_XSETREF(currkey, newkey); Py_XDECREF(oldvalue)
        const oldValue = this.currvalue;
        this.currvalue = value;
        it.heap.adopt(this, value, '(currvalue)');
        this.set(it, 'currkey', key);
        if (oldValue) it.heap.release(this, oldValue, '(currvalue)');
        return true;
    }
    iterNext(it: Interpreter): PyObject | null {
        this.currgrouper = null;
        for (;;) {
            if (this.currkey === null) {
                // (read the first value)
            } else if (this.tgtkey === null) break;
            else if (!equals(it, this.tgtkey, this.currkey)) break;
            if (!this.step(it)) return null;
        }
        this.set(it, 'tgtkey', it.incref(this.currkey!));
        const grouper = it.heap.register(new GrouperObject(this.grouperType, it.incref(this), it.incref(this.tgtkey!)));
        it.heap.adopt(grouper, this, '(parent)');
        it.heap.adopt(grouper, this.tgtkey!, '(tgtkey)');
        this.currgrouper = grouper;
        return it.tuple([it.incref(this.currkey!), grouper]);
    }
}

class GrouperObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public parent: GroupbyObject | null,
        public tgtkey: PyObject | null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['parent', this.parent],
            ['tgtkey', this.tgtkey],
        ];
    }
    protected drop(name: string): void {
        if (name === 'parent') this.parent = null;
        else this.tgtkey = null;
    }
    iterNext(it: Interpreter): PyObject | null {
        const gbo = this.parent;
        // 3.x: a grouper the groupby has moved past gives nothing; 2.7 compares its key with the current one.
        if (!gbo || (gbo.currgrouper !== this && it.profile.stdlib.itertools.grouperCheck)) return null;
        if (gbo.currvalue === null && !gbo.step(it)) return null;
        if (!equals(it, this.tgtkey!, gbo.currkey!)) return null;
        // The value is handed over; the current key is cleared.
        const r = gbo.currvalue!;
        gbo.currvalue = null;
        it.heap.forget(gbo, r, '(currvalue)');
        gbo.set(it, 'currkey', null);
        return r;
    }
}

// ------------------------------------------------------------------------------------------------
// product, combinations, combinations_with_replacement, permutations

type CombinatoricKind = 'product' | 'combinations' | 'cwr' | 'permutations';

/**
 * The combinatoric iterators: the pool tuple (product: a tuple of pool tuples), the indices (and
 * permutations' cycles: C arrays, not objects) and the result tuple last returned. Each step
 * reuses the result tuple when only the iterator holds it (else copies it first, releasing the old
 * one), then replaces the items whose index moved, each new item stored before the old one is
 * released; 3.x re-tracks a reused tuple the collector untracked (bpo-42536), 2.7 does not. The
 * dealloc releases the pool, then the result; an exhausted iterator keeps both.
 */
class CombinatoricObject extends ItertoolsIter {
    result: PyTuple | null = null;
    stopped: boolean;
    readonly indices: number[];
    readonly cycles: number[];
    constructor(
        type: PyType,
        readonly kind: CombinatoricKind,
        /** product: the tuple of pools; the others: the pool. */
        public pool: PyTuple | null,
        /** The result's length (product: the number of pools). */
        readonly r: number,
    ) {
        super(type);
        const n = pool!.items.length;
        if (kind === 'product') {
            this.indices = new Array<number>(r).fill(0);
            this.cycles = [];
            this.stopped = false;
        } else if (kind === 'cwr') {
            this.indices = new Array<number>(r).fill(0);
            this.cycles = [];
            this.stopped = n === 0 && r > 0;
        } else if (kind === 'permutations') {
            this.indices = Array.from({ length: n }, (_, i) => i);
            this.cycles = Array.from({ length: r }, (_, i) => n - i);
            this.stopped = r > n;
        } else {
            this.indices = Array.from({ length: r }, (_, i) => i);
            this.cycles = [];
            this.stopped = r > n;
        }
    }
    private get fieldName(): string {
        return this.kind === 'product' ? 'pools' : 'pool';
    }
    protected fields(): [string, PyObject | null][] {
        return [
            [this.fieldName, this.pool],
            ['result', this.result],
        ];
    }
    protected drop(name: string): void {
        if (name === 'result') this.result = null;
        else this.pool = null;
    }
    /** The element at `index` of pool `i` (product: of the i-th pool; the others: of the pool). */
    private elem(i: number, index: number): PyObject {
        const pool = this.kind === 'product' ? (this.pool!.items[i] as PyTuple) : this.pool!;
        return pool.items[index];
    }
    /** PyTuple_SET_ITEM(result, i, elem) after Py_INCREF(elem), then Py_DECREF(oldelem). */
    private put(it: Interpreter, result: PyTuple, i: number, elem: PyObject): void {
        const old = result.items[i];
        result.items[i] = elem;
        it.heap.acquire(result, elem, indexLabel(i));
        it.heap.release(result, old, indexLabel(i));
    }
    /** The first pass: a new result tuple from the indices; null when a product pool is empty. */
    private first(it: Interpreter): PyTuple | null {
        const items: PyObject[] = [];
        let empty = false;
        for (let i = 0; i < this.r; i++) {
            if (this.kind === 'product' && (this.pool!.items[i] as PyTuple).items.length === 0) {
                empty = true;
                break;
            }
            const index = this.kind === 'cwr' ? 0 : this.indices[i];
            items.push(it.incref(this.elem(i, index)));
        }
        // The result is stored before a product's empty pool is found: it keeps what it holds.
        const result = it.tuple(items);
        this.result = result;
        it.heap.adopt(this, result, '(result)');
        return empty ? null : result;
    }
    /** Copies the previous result tuple unless only the iterator holds it (then re-tracks it on 3.x). */
    private ownResult(it: Interpreter): PyTuple {
        const result = this.result!;
        if (result.rc > 1) {
            const copy = it.tuple(result.items.map((x) => it.incref(x)));
            this.result = copy;
            it.heap.adopt(this, copy, '(result)');
            it.heap.release(this, result, '(result)');
            return copy;
        }
        if (result.gen === -1 && it.profile.recycledTupleRetracked) it.heap.track(result);
        return result;
    }
    /** The odometer step of each kind on `result`; false when every index is at its maximum. */
    private advance(it: Interpreter, result: PyTuple): boolean {
        const { indices, r } = this;
        const n = this.kind === 'product' ? 0 : this.pool!.items.length;
        if (this.kind === 'product') {
            for (let i = r - 1; i >= 0; i--) {
                const size = (this.pool!.items[i] as PyTuple).items.length;
                indices[i]++;
                if (indices[i] === size) {
                    indices[i] = 0;
                    this.put(it, result, i, this.elem(i, 0));
                } else {
                    this.put(it, result, i, this.elem(i, indices[i]));
                    return true;
                }
            }
            return false;
        }
        if (this.kind === 'combinations') {
            let i = r - 1;
            while (i >= 0 && indices[i] === i + n - r) i--;
            if (i < 0) return false;
            indices[i]++;
            for (let j = i + 1; j < r; j++) indices[j] = indices[j - 1] + 1;
            for (; i < r; i++) this.put(it, result, i, this.elem(i, indices[i]));
            return true;
        }
        if (this.kind === 'cwr') {
            let i = r - 1;
            while (i >= 0 && indices[i] === n - 1) i--;
            if (i < 0) return false;
            const index = indices[i] + 1;
            const e = this.elem(i, index);
            for (; i < r; i++) {
                indices[i] = index;
                this.put(it, result, i, e);
            }
            return true;
        }
        const cycles = this.cycles;
        for (let i = r - 1; i >= 0; i--) {
            cycles[i]--;
            if (cycles[i] === 0) {
                // indices[i:] = indices[i+1:] + indices[i:i+1]
                const index = indices[i];
                for (let j = i; j < n - 1; j++) indices[j] = indices[j + 1];
                indices[n - 1] = index;
                cycles[i] = n - i;
            } else {
                const j = cycles[i];
                const index = indices[i];
                indices[i] = indices[n - j];
                indices[n - j] = index;
                for (let k = i; k < r; k++) this.put(it, result, k, this.elem(k, indices[k]));
                return true;
            }
        }
        return false;
    }
    iterNext(it: Interpreter): PyObject | null {
        if (this.stopped || !this.pool) return null;
        let result: PyTuple | null;
        if (this.result === null) result = this.first(it);
        else if (this.kind === 'permutations' && this.pool.items.length === 0) result = null;
        else {
            result = this.ownResult(it);
            if (!this.advance(it, result)) result = null;
        }
        if (result === null) {
            this.stopped = true;
            return null;
        }
        return it.incref(result);
    }
}

// ------------------------------------------------------------------------------------------------
// 2.7: imap

/** 2.7 imap(func, *iterables): the tuple of iterators and the function (imap_dealloc: iters, then func). */
class ImapObject extends ItertoolsIter {
    constructor(
        type: PyType,
        public iters: PyTuple | null,
        public func: PyObject | null,
    ) {
        super(type);
    }
    protected fields(): [string, PyObject | null][] {
        return [
            ['iters', this.iters],
            ['func', this.func],
        ];
    }
    protected drop(name: string): void {
        if (name === 'iters') this.iters = null;
        else this.func = null;
    }
    iterNext(it: Interpreter): PyObject | null {
        if (!this.iters || !this.func) return null;
        // imap_next: the argument tuple is made first, then filled; with func None it is the item.
        const n = this.iters.items.length;
        const argtuple = it.tuple(this.iters.items.map(() => it.None));
        for (let i = 0; i < n; i++) {
            let v: PyObject | null;
            try {
                v = iterNext(it, this.iters.items[i]);
            } catch (e) {
                it.decref(argtuple);
                throw e;
            }
            if (v === null) {
                it.decref(argtuple);
                return null;
            }
            const old = argtuple.items[i];
            argtuple.items[i] = v;
            it.heap.adopt(argtuple, v, indexLabel(i));
            it.heap.release(argtuple, old, indexLabel(i));
        }
        if (this.func === it.None) return argtuple;
        try {
            return call(it, this.func, [...argtuple.items], null);
        } finally {
            it.decref(argtuple);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// argument helpers

/** An islice index: None (-1) or an int in 0..sys.maxsize. */
function sliceIndex(it: Interpreter, o: PyObject, message: string): number {
    if (o === it.None) return -1;
    if (o instanceof PyInt && o.type !== it.T.bool) {
        const v = Number(o.v);
        if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) return v;
        if (v >= 0) throw unsupportedAt(it, 'itertools.islice with an index beyond 2**53');
    } else if (o instanceof PyInt) return Number(o.v);
    throw it.error('ValueError', message);
}

/** A static type whose instances iterate natively (`__iter__`, `__next__`). */
function iterType(it: Interpreter, name: string, spec: Partial<Parameters<typeof stdType>[1]> = {}): PyType {
    const t = stdType(it, { name, module: 'itertools', ...spec });
    installIterMethods(it, t);
    return t;
}

// ------------------------------------------------------------------------------------------------
// the module

export function createItertoolsModule(it: Interpreter): PyModule {
    const m = it.newModule('itertools');
    const p = it.profile.stdlib.itertools;
    const has = (name: string): boolean => recordedIn(it, 'itertools', name);
    const set = (name: string, t: PyType): void => {
        if (has(name)) m.dict.set(it.heap, it.str(name), t);
    };

    const count: PyType = iterType(it, 'count', {
        ctor: (args, kwargs) => {
            arity(it, 'count', args, 0, 2);
            const start = args[0] ?? kwargs?.get('start') ?? it.int(0);
            const step = args[1] ?? kwargs?.get('step') ?? it.int(1);
            for (const x of [start, step]) {
                if (!(x instanceof PyInt) && !(x instanceof PyFloat)) throw unsupportedAt(it, `itertools.count of a '${x.type.name}'`);
            }
            const c = it.heap.register(new CountObject(count, it.incref(start), it.incref(step)));
            it.heap.adopt(c, start, '(long_cnt)');
            it.heap.adopt(c, step, '(long_step)');
            return c;
        },
        repr: (self) => {
            const c = self as CountObject;
            const step = c.step!;
            const unit = step instanceof PyInt && step.type !== it.T.bool && Number(step.v) === 1;
            return unit ? `count(${repr(it, c.cnt!)})` : `count(${repr(it, c.cnt!)}, ${repr(it, step)})`;
        },
    });
    set('count', count);

    const repeat: PyType = iterType(it, 'repeat', {
        ctor: (args, kwargs) => {
            arity(it, 'repeat', args, 1, 2);
            const element = args[0];
            const times = args[1] ?? kwargs?.get('times') ?? null;
            let cnt = -1;
            if (times !== null) {
                if (!(times instanceof PyInt)) throw it.error('TypeError', `'${times.type.name}' object cannot be interpreted as an integer`);
                cnt = Math.max(0, Number(times.v));
            }
            const r = it.heap.register(new RepeatObject(repeat, it.incref(element), cnt));
            it.heap.adopt(r, element, '(element)');
            return r;
        },
        repr: (self) => {
            const r = self as RepeatObject;
            return r.cnt < 0 ? `repeat(${repr(it, r.element!)})` : `repeat(${repr(it, r.element!)}, ${r.cnt})`;
        },
    });
    set('repeat', repeat);

    const cycle: PyType = iterType(it, 'cycle', {
        ctor: (args, kwargs) => {
            noKwargs(it, 'cycle', kwargs);
            arity(it, 'cycle', args, 1, 1);
            const src = getIter(it, args[0]);
            const saved = it.list([]);
            const c = it.heap.register(new CycleObject(cycle, src, saved));
            it.heap.adopt(c, src, '(it)');
            it.heap.adopt(c, saved, '(saved)');
            return c;
        },
    });
    set('cycle', cycle);

    const newChain = (t: PyType, source: PyObject): ChainObject => {
        const c = it.heap.register(new ChainObject(t, source));
        it.heap.adopt(c, source, '(source)');
        return c;
    };
    const chain: PyType = iterType(it, 'chain', {
        ctor: (args, kwargs) => {
            noKwargs(it, 'chain', kwargs);
            // chain_new: source = iter(args), a tuple_iterator over the arguments tuple.
            const argsTuple = it.tuple(args.map((a) => it.incref(a)));
            const source = getIter(it, argsTuple);
            it.decref(argsTuple);
            return newChain(chain, source);
        },
    });
    // chain.from_iterable: a classmethod.
    const fromIterable = it.builtin('from_iterable', (_s, args) => {
        arity(it, 'from_iterable', args, 1, 1);
        return newChain(chain, getIter(it, args[0]));
    });
    chain.dict.set(it.heap, it.str('from_iterable'), fromIterable);
    set('chain', chain);

    const islice: PyType = iterType(it, 'islice', {
        ctor: (args, kwargs) => {
            noKwargs(it, 'islice', kwargs);
            arity(it, 'islice', args, 2, 4);
            const stopMsg = `Stop argument for islice() must be None or an integer: 0 <= x <= ${p.maxsizeName}.`;
            const idxMsg = `Indices for islice() must be None or an integer: 0 <= x <= ${p.maxsizeName}.`;
            let start = 0;
            let stop = -1;
            let step = 1;
            if (args.length === 2) {
                stop = sliceIndex(it, args[1], stopMsg);
                if (stop < -1 || (args[1] !== it.None && stop < 0)) throw it.error('ValueError', stopMsg);
            } else {
                const a = sliceIndex(it, args[1], idxMsg);
                const b = sliceIndex(it, args[2], idxMsg);
                if ((args[1] !== it.None && a < 0) || (args[2] !== it.None && b < 0)) throw it.error('ValueError', idxMsg);
                start = args[1] === it.None ? 0 : a;
                stop = b;
            }
            if (args.length === 4 && args[3] !== it.None) {
                const s = args[3];
                step = s instanceof PyInt ? Number(s.v) : -1;
                if (step < 1) throw it.error('ValueError', 'Step for islice() must be a positive integer or None.');
            }
            const src = getIter(it, args[0]);
            const o = it.heap.register(new IsliceObject(islice, src, start, stop, step));
            it.heap.adopt(o, src, '(it)');
            return o;
        },
    });
    set('islice', islice);

    const dataType = stdType(it, { name: p.teeDataName, module: 'itertools' });
    const tee: PyType = iterType(it, p.teeName, {
        methods: {
            __copy__: (self) => {
                const t = self as TeeObject;
                const c = it.heap.register(new TeeObject(tee, t.dataobj, t.index));
                if (t.dataobj) it.heap.acquire(c, t.dataobj, 'dataobj');
                return c;
            },
        },
    });
    /** tee_fromiterable: a new tee over a new first link. */
    const teeFromIterable = (iterable: PyObject): TeeObject => {
        const src = getIter(it, iterable);
        if (src instanceof TeeObject) return src;
        const d = it.heap.register(new TeeDataObject(dataType, src));
        it.heap.adopt(d, src, '(it)');
        const t = it.heap.register(new TeeObject(tee, d, 0));
        it.heap.adopt(t, d, '(dataobj)');
        return t;
    };
    if (has('tee')) {
        m.dict.set(it.heap, it.str('tee'), it.builtin('tee', (_s, args) => {
            arity(it, 'tee', args, 1, 2);
            const n = args.length > 1 ? Number((args[1] as PyInt).v) : 2;
            if (args.length > 1 && !(args[1] instanceof PyInt)) throw it.error('TypeError', `'${args[1].type.name}' object cannot be interpreted as an integer`);
            if (n < 0) throw it.error('ValueError', 'n must be >= 0');
            if (n === 0) return it.tuple([]);
            const first = getIter(it, args[0]);
            let copyable: PyObject;
            // An iterator with __copy__ is copied; anything else is wrapped in a tee first.
            const copyFn = first instanceof TeeObject ? null : lookupAttr(it, first, '__copy__');
            if (copyFn) {
                it.decref(copyFn);
                it.decref(first);
                throw unsupportedAt(it, 'itertools.tee of an iterator with __copy__');
            }
            if (first instanceof TeeObject) copyable = first;
            else {
                copyable = teeFromIterable(first);
                it.decref(first);
            }
            const items: PyObject[] = [copyable];
            const copy = tee.dict.getStr('__copy__')!;
            for (let i = 1; i < n; i++) items.push(call(it, copy, [copyable], null));
            return it.tuple(items);
        }));
    }

    /** Positional-or-keyword arguments by name (the C functions' keyword lists); unknown keywords refused. */
    const named = (fname: string, names: string[], args: PyObject[], kwargs: KwArgs, min: number): (PyObject | undefined)[] => {
        arity(it, fname, args, 0, names.length);
        const out: (PyObject | undefined)[] = names.map((_, i) => args[i]);
        for (const [k, v] of kwargs ?? []) {
            const i = names.indexOf(k);
            if (i < 0 || out[i] !== undefined) throw unsupportedAt(it, `itertools.${fname} with the keyword argument ${k}`);
            out[i] = v;
        }
        if (out.slice(0, min).some((x) => x === undefined)) throw unsupportedAt(it, `itertools.${fname} without its arguments`);
        return out;
    };
    const funcIter = (name: string, kind: FuncIterKind): void => {
        if (!has(name)) return;
        const t: PyType = iterType(it, name, {
            ctor: (args, kwargs) => {
                noKwargs(it, name, kwargs);
                arity(it, name, args, 2, 2);
                const src = getIter(it, args[1]);
                const o = it.heap.register(new FuncIterObject(t, kind, it.incref(args[0]), src));
                it.heap.adopt(o, args[0], '(func)');
                it.heap.adopt(o, src, '(it)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str(name), t);
    };
    funcIter('starmap', 'starmap');
    funcIter('takewhile', 'takewhile');
    funcIter('dropwhile', 'dropwhile');
    funcIter(p.filterfalseName, 'filterfalse');

    if (has('compress')) {
        const compress: PyType = iterType(it, 'compress', {
            ctor: (args, kwargs) => {
                const [data, selectors] = named('compress', ['data', 'selectors'], args, kwargs, 2);
                const d = getIter(it, data!);
                let sel: PyObject;
                try {
                    sel = getIter(it, selectors!);
                } catch (e) {
                    it.decref(d);
                    throw e;
                }
                const o = it.heap.register(new CompressObject(compress, d, sel));
                it.heap.adopt(o, d, '(data)');
                it.heap.adopt(o, sel, '(selectors)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str('compress'), compress);
    }

    if (has('accumulate')) {
        const accumulate: PyType = iterType(it, 'accumulate', {
            ctor: (args, kwargs) => {
                const [iterable, func, initial] = named('accumulate', ['iterable', 'func', 'initial'], args, kwargs, 1);
                if (args.length > 2) throw unsupportedAt(it, 'itertools.accumulate with a third positional argument');
                const src = getIter(it, iterable!);
                const binop = func === undefined || func === it.None ? null : it.incref(func);
                const init = initial === undefined ? it.None : it.incref(initial);
                const o = it.heap.register(new AccumulateObject(accumulate, binop, null, init, src));
                if (binop) it.heap.adopt(o, binop, '(binop)');
                it.heap.adopt(o, init, '(initial)');
                it.heap.adopt(o, src, '(it)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str('accumulate'), accumulate);
    }

    if (has('groupby')) {
        const grouper = iterType(it, '_grouper');
        const groupby: PyType = iterType(it, 'groupby', {
            ctor: (args, kwargs) => {
                const [iterable, key] = named('groupby', ['iterable', 'key'], args, kwargs, 1);
                const src = getIter(it, iterable!);
                const keyfunc = key === undefined ? it.None : it.incref(key);
                const o = it.heap.register(new GroupbyObject(groupby, src, keyfunc, grouper));
                it.heap.adopt(o, src, '(it)');
                it.heap.adopt(o, keyfunc, '(keyfunc)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str('groupby'), groupby);
    }

    if (has(p.zipLongestName)) {
        const zl: PyType = iterType(it, p.zipLongestName, {
            ctor: (args, kwargs) => {
                let fill: PyObject = it.None;
                for (const [k, v] of kwargs ?? []) {
                    if (k !== 'fillvalue') throw it.error('TypeError', `${p.zipLongestName}() got an unexpected keyword argument '${k}'`);
                    fill = v;
                }
                const got: PyObject[] = [];
                try {
                    for (const a of args) got.push(getIter(it, a));
                } catch (e) {
                    for (const x of got) it.decref(x);
                    throw e;
                }
                const iters = it.tuple(got);
                // The result tuple, of Nones, is made with the object and reused while only it holds it.
                const result = it.tuple(iters.items.map(() => it.None));
                const o = it.heap.register(new ZipLongestObject(zl, iters, fill, result));
                it.heap.adopt(o, iters, '(ittuple)');
                it.heap.adopt(o, result, '(result)');
                it.heap.acquire(o, fill, '(fillvalue)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str(p.zipLongestName), zl);
    }

    /** PySequence_Tuple: an exact tuple itself, anything else copied into a new tuple. */
    const sequenceTuple = (o: PyObject): PyTuple => {
        if (o instanceof PyTuple && o.type === it.T.tuple) return it.incref(o);
        return it.tuple(sequenceTupleItems(it, o));
    };
    /** The `r` argument: an int (2.7: "an integer is required"; 3.x permutations: "Expected int as r"). */
    const rArg = (fname: string, o: PyObject): number => {
        if (o instanceof PyFloat) throw unsupportedAt(it, `itertools.${fname} with a float r`);
        if (!(o instanceof PyInt)) {
            if (it.profile.major === 2) throw it.error('TypeError', 'an integer is required');
            if (fname === 'permutations') throw it.error('TypeError', 'Expected int as r');
            return toSsize(it, o);
        }
        return toSsize(it, o);
    };
    const combinatoric = (name: string, kind: CombinatoricKind): void => {
        if (!has(name)) return;
        const t: PyType = iterType(it, name, {
            ctor: (args, kwargs) => {
                const [iterable, robj] = named(name, ['iterable', 'r'], args, kwargs, kind === 'permutations' ? 1 : 2);
                const pool = sequenceTuple(iterable!);
                let r: number;
                try {
                    r = robj === undefined || (kind === 'permutations' && robj === it.None) ? pool.items.length : rArg(name, robj);
                    if (r < 0) throw it.error('ValueError', 'r must be non-negative');
                } catch (e) {
                    it.decref(pool);
                    throw e;
                }
                const o = it.heap.register(new CombinatoricObject(t, kind, pool, r));
                it.heap.adopt(o, pool, '(pool)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str(name), t);
    };
    combinatoric('combinations', 'combinations');
    combinatoric('combinations_with_replacement', 'cwr');
    combinatoric('permutations', 'permutations');

    if (has('product')) {
        const product: PyType = iterType(it, 'product', {
            ctor: (args, kwargs) => {
                let repeat = 1;
                for (const [k, v] of kwargs ?? []) {
                    if (k !== 'repeat') throw unsupportedAt(it, `itertools.product with the keyword argument ${k}`);
                    if (!(v instanceof PyInt)) throw unsupportedAt(it, `itertools.product with a '${v.type.name}' repeat`);
                    repeat = toSsize(it, v);
                    if (repeat < 0) throw it.error('ValueError', 'repeat argument cannot be negative');
                }
                const nargs = repeat === 0 ? 0 : args.length;
                if (nargs * repeat > 1 << 16) throw unsupportedAt(it, 'itertools.product of more than 65536 pools');
                // product_new: the pools tuple first, each argument's tuple, then the repeats of them.
                const pools = it.tuple([]);
                try {
                    for (let i = 0; i < nargs; i++) {
                        const pool = sequenceTuple(args[i]);
                        it.heap.adopt(pools, pool, indexLabel(i));
                        pools.items.push(pool);
                    }
                } catch (e) {
                    it.decref(pools);
                    throw e;
                }
                for (let i = nargs; i < nargs * repeat; i++) {
                    const pool = pools.items[i - nargs];
                    it.heap.acquire(pools, pool, indexLabel(i));
                    pools.items.push(pool);
                }
                const o = it.heap.register(new CombinatoricObject(product, 'product', pools, pools.items.length));
                it.heap.adopt(o, pools, '(pools)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str('product'), product);
    }

    // 2.7: imap, ifilter, izip (3.x's map, filter and zip are the builtins).
    if (has('imap')) {
        const imap: PyType = iterType(it, 'imap', {
            ctor: (args, kwargs) => {
                if (kwargs && kwargs.size) throw it.error('TypeError', 'imap() does not take keyword arguments');
                if (args.length < 2) throw it.error('TypeError', 'imap() must have at least two arguments.');
                const iters = iteratorTuple(it, args.slice(1));
                const o = it.heap.register(new ImapObject(imap, iters, it.incref(args[0])));
                it.heap.adopt(o, iters, '(iters)');
                it.heap.adopt(o, args[0], '(func)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str('imap'), imap);
    }
    if (has('ifilter')) {
        const ifilter: PyType = iterType(it, 'ifilter', {
            ctor: (args, kwargs) => {
                if (kwargs && kwargs.size) throw it.error('TypeError', 'ifilter() does not take keyword arguments');
                arity(it, 'ifilter', args, 2, 2);
                const src = getIter(it, args[1]);
                const o = it.heap.register(new FuncIterObject(ifilter, 'filter', it.incref(args[0]), src));
                it.heap.adopt(o, args[0], '(func)');
                it.heap.adopt(o, src, '(it)');
                return o;
            },
        });
        m.dict.set(it.heap, it.str('ifilter'), ifilter);
    }
    if (has('izip')) {
        const izip: PyType = iterType(it, 'izip', { ctor: (args, kwargs) => izipNew(it, izip, args, kwargs) });
        m.dict.set(it.heap, it.str('izip'), izip);
    }
    return m;
}
