/*
 * bltinIterators.ts
 *
 * Python/bltinmodule.c's map, filter and zip: lazy iterator objects in 3.x, list builders in 2.7.
 * What they hold, in CPython's allocation order:
 *   map(f, *its):     a tuple of the iterators (allocated first, then each iterator), then the map
 *                     object; it holds the tuple and f (map_dealloc: iters, then func).
 *   filter(f, it):    the iterator, then the filter object (filter_dealloc: func, then it).
 *   zip(*its):        the tuple of iterators, the iterators, a result tuple of Nones, then the zip
 *                     object (zip_dealloc: ittuple, then result); the result tuple is reused while
 *                     nobody else holds it; `strict=True` (3.10+) checks the lengths at the end.
 * None of them lets go of anything when exhausted.
 * 2.7: map and zip return lists, filter a list (or a str/tuple for a str/tuple argument); map
 * pads the shorter iterables with None and calls f with an argument tuple per item.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyNativeIter } from '../runtime/iterators';
import { PyStr } from '../runtime/values';
import { PyTuple, PyList, indexLabel } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { getIter, iterNext, truthy } from '../interp/ops';
import { call } from '../interp/calls';
import { msg } from '../messages';
import { PyRaise, dropRaise } from '../interp/signals';
import { lengthHint } from '../interp/lengthHint';
import { installIterMethods } from './iterslots';
import { noKwargs } from './args';
import { suggestName } from '../interp/suggestions';

export class PyMap extends PyNativeIter {
    override iterNext(it: Interpreter): PyObject | null {
        return mapNext(it, this);
    }
    iters: PyTuple | null = null;
    func: PyObject | null = null;
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.iters) visit(this.iters);
        if (this.func) visit(this.func);
    }
    override clear(r: Refs): void {
        const { iters, func } = this;
        this.iters = null;
        this.func = null;
        if (iters) r.release(this, iters, '(iters)');
        if (func) r.release(this, func, '(func)');
    }
}

export class PyFilter extends PyNativeIter {
    override iterNext(it: Interpreter): PyObject | null {
        return filterNext(it, this);
    }
    func: PyObject | null = null;
    iter: PyObject | null = null;
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.func) visit(this.func);
        if (this.iter) visit(this.iter);
    }
    override clear(r: Refs): void {
        const { func, iter } = this;
        this.func = null;
        this.iter = null;
        if (func) r.release(this, func, '(func)');
        if (iter) r.release(this, iter, '(it)');
    }
}

export class PyZip extends PyNativeIter {
    override iterNext(it: Interpreter): PyObject | null {
        return zipNext(it, this);
    }
    ittuple: PyTuple | null = null;
    result: PyTuple | null = null;
    strict = false;
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.ittuple) visit(this.ittuple);
        if (this.result) visit(this.result);
    }
    override clear(r: Refs): void {
        const { ittuple, result } = this;
        this.ittuple = null;
        this.result = null;
        if (ittuple) r.release(this, ittuple, '(ittuple)');
        if (result) r.release(this, result, '(result)');
    }
}

/**
 * iter(x), where 2.7's map and zip replace a TypeError with their own message (`notIterable`:
 * the argument's 0-based position -> message).
 */
function iterOf(it: Interpreter, x: PyObject, k: number, notIterable?: (k: number) => string): PyObject {
    if (!notIterable) return getIter(it, x);
    try {
        return getIter(it, x);
    } catch (e) {
        if (!(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.TypeError)) throw e;
        dropRaise(it, e);
        throw it.error('TypeError', notIterable(k));
    }
}

/** A new tuple of iter(x) for each x: the tuple is allocated first, as PyTuple_New is. */
export function iteratorTuple(it: Interpreter, iterables: PyObject[], notIterable?: (k: number) => string): PyTuple {
    const t = it.tuple([]);
    try {
        for (const x of iterables) {
            const i = iterOf(it, x, t.items.length, notIterable);
            it.heap.adopt(t, i, indexLabel(t.items.length));
            t.items.push(i);
        }
    } catch (e) {
        it.decref(t);
        throw e;
    }
    return t;
}

function register<T extends PyObject>(it: Interpreter, t: PyType, o: T): T {
    it.heap.register(o);
    if (t.isHeap) it.heap.incref(t);
    return o;
}

// ------------------------------------------------------------------------------------------------
// map

export function mapNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    noKwargs(it, 'map', kwargs);
    if (args.length < 2) throw it.error('TypeError', msg(it.profile, 'mapTooFewArgs'));
    const iters = iteratorTuple(it, args.slice(1));
    const m = register(it, t, new PyMap(t));
    m.iters = iters;
    it.heap.adopt(m, iters, '(iters)');
    m.func = args[0];
    it.heap.acquire(m, args[0], '(func)');
    return m;
}

function mapNext(it: Interpreter, m: PyMap): PyObject | null {
    if (!m.iters || !m.func) return null;
    const vals: PyObject[] = [];
    try {
        for (const i of m.iters.items) {
            const v = iterNext(it, i);
            if (!v) return null;
            vals.push(v);
        }
        return call(it, m.func, vals, null);
    } finally {
        for (const v of vals) it.decref(v);
    }
}

// ------------------------------------------------------------------------------------------------
// filter

function filterArgs(it: Interpreter, args: PyObject[], kwargs: KwArgs): void {
    noKwargs(it, 'filter', kwargs);
    if (args.length !== 2) throw it.error('TypeError', msg(it.profile, 'unpackCount', 'filter', '', 2, args.length));
}

/** filter(None, …) and filter(bool, …) test the items themselves. */
function filterKeeps(it: Interpreter, func: PyObject, item: PyObject): boolean {
    if (func === it.None || func === it.T.bool) return truthy(it, item);
    const good = call(it, func, [item], null);
    try {
        return truthy(it, good);
    } finally {
        it.decref(good);
    }
}

export function filterNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    filterArgs(it, args, kwargs);
    const iter = getIter(it, args[1]);
    const f = register(it, t, new PyFilter(t));
    f.func = args[0];
    it.heap.acquire(f, args[0], '(func)');
    f.iter = iter;
    it.heap.adopt(f, iter, '(it)');
    return f;
}

function filterNext(it: Interpreter, f: PyFilter): PyObject | null {
    if (!f.iter || !f.func) return null;
    for (;;) {
        const item = iterNext(it, f.iter);
        if (!item) return null;
        let ok: boolean;
        try {
            ok = filterKeeps(it, f.func, item);
        } catch (e) {
            it.decref(item);
            throw e;
        }
        if (ok) return item;
        it.decref(item);
    }
}

// ------------------------------------------------------------------------------------------------
// zip

function zipStrict(it: Interpreter, kwargs: KwArgs): boolean {
    if (!kwargs || !kwargs.size) return false;
    for (const k of kwargs.keys()) {
        if (k === 'strict' && it.profile.zipStrict) continue;
        const hint = it.profile.zipStrict ? suggestName(['strict'], k) : null;
        throw it.error('TypeError', msg(it.profile, 'zipKeyword', k, hint ? `. Did you mean '${hint}'?` : ''));
    }
    return truthy(it, kwargs.get('strict')!);
}

export function zipNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    const strict = zipStrict(it, kwargs);
    const zo = newZip(it, t, args);
    zo.strict = strict;
    return zo;
}

/**
 * 2.7 itertools.izip(*iterables): 3.x's zip before `strict` (izip_new/izip_next: the same
 * fields, allocation order and result tuple reuse, never re-tracked on 2.7), with its own words.
 */
export function izipNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    if (kwargs && kwargs.size) throw it.error('TypeError', 'izip() does not take keyword arguments');
    return newZip(it, t, args, (k) => `izip argument #${k + 1} must support iteration`);
}

/** zip_new: the iterators' tuple, a result tuple of Nones, then the zip object (none of them without arguments). */
function newZip(it: Interpreter, t: PyType, args: PyObject[], notIterable?: (k: number) => string): PyZip {
    if (!args.length) return register(it, t, new PyZip(t));
    const ittuple = iteratorTuple(it, args, notIterable);
    const result = it.tuple(args.map(() => it.None));
    const zo = register(it, t, new PyZip(t));
    zo.ittuple = ittuple;
    it.heap.adopt(zo, ittuple, '(ittuple)');
    zo.result = result;
    it.heap.adopt(zo, result, '(result)');
    return zo;
}

function zipNext(it: Interpreter, z: PyZip): PyObject | null {
    if (!z.ittuple || !z.result) return null;
    const iters = z.ittuple.items;
    const n = iters.length;
    // zip_next: the result tuple is reused when only the zip holds it, else a new one is filled.
    const reuse = z.result.rc === 1;
    const result = reuse ? it.incref(z.result) : it.tuple(iters.map(() => it.None));
    for (let i = 0; i < n; i++) {
        const item = iterNext(it, iters[i]);
        if (!item) {
            it.decref(result);
            if (z.strict) zipCheckLengths(it, iters, i);
            return null;
        }
        const old = result.items[i];
        result.items[i] = item;
        it.heap.adopt(result, item, indexLabel(i));
        it.heap.release(result, old, indexLabel(i));
    }
    if (reuse && result.gen === -1 && it.profile.recycledTupleRetracked) it.heap.track(result);
    return result;
}

/** zip(strict=True): iterator `i` ran out first; every other one must be exhausted too. */
function zipCheckLengths(it: Interpreter, iters: PyObject[], i: number): void {
    const plural = (k: number): string => (k === 1 ? ' ' : 's 1-');
    if (i) throw it.error('ValueError', `zip() argument ${i + 1} is shorter than argument${plural(i)}${i}`);
    for (let k = 1; k < iters.length; k++) {
        const item = iterNext(it, iters[k]);
        if (item) {
            it.decref(item);
            throw it.error('ValueError', `zip() argument ${k + 1} is longer than argument${plural(k)}${k}`);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// 2.7: the list builders

/** 2.7 builtin_map: iterators first, then the result list, an argument tuple per step. */
export function map27(it: Interpreter, args: PyObject[], kwargs: KwArgs): PyObject {
    noKwargs(it, 'map', kwargs);
    if (args.length < 2) throw it.error('TypeError', msg(it.profile, 'mapTooFewArgs'));
    const func = args[0];
    const iters: PyObject[] = [];
    try {
        // Each argument's iterator, then its length hint (lengthHint.ts) for the result's size.
        args.slice(1).forEach((x, k) => {
            iters.push(iterOf(it, x, k, (n) => `argument ${n + 2} to map() must support iteration`));
            lengthHint(it, x, 8);
        });
        const result = it.list([]);
        try {
            const done = iters.map(() => false);
            for (;;) {
                const single = func === it.None && iters.length === 1;
                const items: PyObject[] = [];
                let active = 0;
                for (let j = 0; j < iters.length; j++) {
                    const v = done[j] ? null : iterNext(it, iters[j]);
                    if (v) active++;
                    else done[j] = true;
                    items.push(v ?? it.None);
                }
                if (!active) {
                    for (const v of items) it.decref(v);
                    break;
                }
                const alist = single ? items[0] : it.tuple(items);
                let value: PyObject;
                if (func === it.None) value = alist;
                else {
                    try {
                        value = call(it, func, single ? [alist] : (alist as PyTuple).items, null);
                    } finally {
                        it.decref(alist);
                    }
                }
                it.heap.adopt(result, value, indexLabel(result.items.length));
                result.items.push(value);
            }
        } catch (e) {
            it.decref(result);
            throw e;
        }
        return result;
    } finally {
        for (const i of iters) it.decref(i);
    }
}

/** 2.7 builtin_filter: a str or tuple for a str or tuple, else a list. */
export function filter27(it: Interpreter, args: PyObject[], kwargs: KwArgs): PyObject {
    filterArgs(it, args, kwargs);
    const [func, seq] = args;
    if (seq instanceof PyStr || seq instanceof PyTuple) {
        const kept: PyObject[] = [];
        const items = seq instanceof PyStr ? [...seq.v].map((c) => it.str(c)) : seq.items.map((x) => it.incref(x));
        try {
            for (const x of items) if (filterKeeps(it, func, x)) kept.push(it.incref(x));
        } finally {
            for (const x of items) it.decref(x);
        }
        return seq instanceof PyStr ? it.str(kept.map((c) => (c as PyStr).v).join('')) : it.tuple(kept);
    }
    const iter = getIter(it, seq);
    try {
        lengthHint(it, seq, 8);
        const result = it.list([]);
        try {
            for (let item = iterNext(it, iter); item; item = iterNext(it, iter)) {
                let ok: boolean;
                try {
                    ok = filterKeeps(it, func, item);
                } catch (e) {
                    it.decref(item);
                    throw e;
                }
                if (!ok) {
                    it.decref(item);
                    continue;
                }
                it.heap.adopt(result, item, indexLabel(result.items.length));
                result.items.push(item);
            }
        } catch (e) {
            it.decref(result);
            throw e;
        }
        return result;
    } finally {
        it.decref(iter);
    }
}

/** 2.7 builtin_zip: the result list, the tuple of iterators, then a tuple per row. */
export function zip27(it: Interpreter, args: PyObject[], kwargs: KwArgs): PyObject {
    noKwargs(it, 'zip', kwargs);
    const result = it.list([]);
    if (!args.length) return result;
    let itlist: PyTuple;
    try {
        // The result's size: the shortest argument's hint, asked in order until one has none.
        for (const x of args) if (lengthHint(it, x, -2) < 0) break;
        itlist = iteratorTuple(it, args, (n) => `zip argument #${n + 1} must support iteration`);
    } catch (e) {
        it.decref(result);
        throw e;
    }
    try {
        for (;;) {
            const row = it.tuple(args.map(() => it.None));
            for (let j = 0; j < args.length; j++) {
                const v = iterNext(it, itlist.items[j]);
                if (!v) {
                    it.decref(row);
                    return result;
                }
                row.items[j] = v;
                it.heap.adopt(row, v, indexLabel(j));
            }
            it.heap.adopt(result, row, indexLabel(result.items.length));
            result.items.push(row);
        }
    } catch (e) {
        it.decref(result);
        throw e;
    } finally {
        it.decref(itlist);
    }
}

export function installBltinIterators(it: Interpreter): void {
    installIterMethods(it, it.T.map);
    installIterMethods(it, it.T.filter);
    installIterMethods(it, it.T.zip);
}

export { PyList };
