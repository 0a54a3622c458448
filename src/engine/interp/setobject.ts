/*
 * setobject.ts
 *
 * The set algebra of Objects/setobject.c, step by step, because each step's order is observable:
 * which set is walked (in its slot order), which one is copied (set_merge keeps or rebuilds the
 * slots), which item object lands in the result (an intersection keeps the smaller set's), and in
 * which order items a difference or an in-place operation drops are released.
 *
 *   a | b      set_or: copy of a (set_merge into an empty set), then set_merge of b
 *   a & b      set_intersection: the smaller set walked (b when sizes are equal), its items that
 *              the other contains added to a new set
 *   a - b      set_difference: a walked, items not in b added to a new set; 3.x, when a is more
 *              than four times larger: copy of a, then b's items discarded from it
 *   a ^ b      set_symmetric_difference: copy of b, then a walked: each item discarded if there,
 *              else added
 *   a |= b, a -= b, a ^= b: the same updates in place; a &= b computes a & b and swaps the two
 *   tables (set_swap_bodies), so a's old items are released with the temporary, in a's old slot order.
 *
 * The methods take any iterable (builtins/setMethods.ts): a set or frozenset is walked by slot with
 * its stored hashes as above; an exact dict by its entries and their stored hashes where setobject.c
 * has a dict path (update, difference, symmetric_difference_update); anything else is iterated,
 * each item hashed once (PyObject_Hash) and looked up or added with that hash. A new set is of
 * `so`'s type on 2.7 (make_new_set(Py_TYPE(so))), set or frozenset on 3.x (make_new_set_basetype).
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PySet, PyDict, UnhashableError, hashRunsPython, type UserHash } from '../runtime/containers';
import { PyRaise, dropRaise } from './signals';
import type { Interpreter } from './interpreter';
import { forEachItem } from './ops';
import { pyHash } from './hash';
import { unhashable } from './eval';

/** typeobject.ts's allocInstance, registered by it (importing it here would close an import cycle). */
let allocInstance: ((it: Interpreter, t: PyType) => PyObject) | null = null;
export function registerAllocInstance(f: (it: Interpreter, t: PyType) => PyObject): void {
    allocInstance = f;
}

/** 3.x make_new_set_basetype: a new set, or frozenset when `so` is one; 2.7 make_new_set(Py_TYPE(so)): a subclass's instance (no __init__). */
function newLike(it: Interpreter, so: PySet): PySet {
    if (it.profile.sets.resultType === 'type' && so.type.isHeap) return allocInstance!(it, so.type) as PySet;
    return it.set(so.type.isSubtypeOf(it.T.frozenset));
}

/** set_copy: a new set of `so`'s type family, filled by set_merge. */
export function setCopy(it: Interpreter, so: PySet): PySet {
    const s = newLike(it, so);
    s.merge(it.heap, so);
    return s;
}

/** The items of `s` in slot order (a walk by set_next). */
function walk(s: PySet): PyObject[] {
    return s.items();
}

export function setUnion(it: Interpreter, a: PySet, b: PySet): PySet {
    const r = setCopy(it, a);
    if (b !== a) r.merge(it.heap, b);
    return r;
}

export function setIntersection(it: Interpreter, so: PySet, other: PySet): PySet {
    if (so === other) return setCopy(it, so);
    const result = newLike(it, so);
    let big = so;
    let small = other;
    if (small.size > big.size) {
        big = other;
        small = so;
    }
    try {
        for (const x of walk(small)) {
            const h = small.storedHash(x);
            if (big.has(x, h)) result.add(it.heap, x, h);
        }
    } catch (e) {
        it.decref(result);
        throw e;
    }
    return result;
}

/** set_difference_update_internal: `other`'s items discarded from `so` in `other`'s slot order, then dummies purged. */
export function setDifferenceUpdate(it: Interpreter, so: PySet, other: PySet): void {
    if (so === other) {
        so.clear(it.heap);
        return;
    }
    let walked = other;
    let tmp: PySet | null = null;
    // 3.x: an `other` more than eight times larger is replaced by the intersection.
    if (it.profile.sets.differenceShortcuts && other.size >> 3 > so.size) walked = tmp = setIntersection(it, so, other);
    try {
        for (const x of walk(walked)) {
            const k = so.take(x, walked.storedHash(x));
            if (k !== null) it.heap.release(so, k, '{item}');
        }
    } finally {
        if (tmp !== null) it.decref(tmp);
    }
    so.table.purgeDummies();
}

export function setDifference(it: Interpreter, so: PySet, other: PySet): PySet {
    if (it.profile.sets.differenceShortcuts && so.size >> 2 > other.size) {
        const r = setCopy(it, so);
        setDifferenceUpdate(it, r, other);
        return r;
    }
    const result = newLike(it, so);
    try {
        for (const x of walk(so)) {
            const h = so.storedHash(x);
            if (!other.has(x, h)) result.add(it.heap, x, h);
        }
    } catch (e) {
        it.decref(result);
        throw e;
    }
    return result;
}

/** set_symmetric_difference_update with a set: each of `other`'s items discarded from `so` if there, else added. */
export function setSymmetricDifferenceUpdate(it: Interpreter, so: PySet, other: PySet): void {
    if (so === other) {
        so.clear(it.heap);
        return;
    }
    // (`other` is kept alive by the caller while it is walked.)
    for (const x of walk(other)) {
        const h = other.storedHash(x);
        const k = so.take(x, h);
        if (k !== null) it.heap.release(so, k, '{item}');
        else so.add(it.heap, x, h);
    }
}

export function setSymmetricDifference(it: Interpreter, so: PySet, other: PySet): PySet {
    const r = newLike(it, so);
    r.merge(it.heap, other);
    try {
        setSymmetricDifferenceUpdate(it, r, so);
    } catch (e) {
        it.decref(r);
        throw e;
    }
    return r;
}

/** set_intersection_update: the intersection's table swapped into `so`; the old items go with the temporary. */
export function setIntersectionUpdate(it: Interpreter, so: PySet, other: PySet): void {
    const tmp = setIntersection(it, so, other);
    swapBodies(it, so, tmp);
    it.decref(tmp);
}

/** set_swap_bodies: the two sets exchange tables (each one's references move with its items). */
function swapBodies(it: Interpreter, a: PySet, b: PySet): void {
    const h = it.heap;
    const ai = a.items();
    const bi = b.items();
    for (const x of ai) h.forget(a, x, '{item}');
    for (const x of bi) h.forget(b, x, '{item}');
    a.swapTable(b);
    for (const x of bi) h.adopt(a, x, '{item}');
    for (const x of ai) h.adopt(b, x, '{item}');
}

/** The in-place operators of a set (set_ior, set_iand, set_isub, set_ixor); the result is `so` (a new reference). */
export function setInPlace(it: Interpreter, op: 'BitOr' | 'BitAnd' | 'Sub' | 'BitXor', so: PySet, other: PySet): PyObject {
    if (op === 'BitOr') so.merge(it.heap, other);
    else if (op === 'BitAnd') setIntersectionUpdate(it, so, other);
    else if (op === 'Sub') setDifferenceUpdate(it, so, other);
    else setSymmetricDifferenceUpdate(it, so, other);
    return it.incref(so);
}

export function setBinary(it: Interpreter, op: 'BitOr' | 'BitAnd' | 'Sub' | 'BitXor', a: PySet, b: PySet): PySet {
    if (op === 'BitOr') return setUnion(it, a, b);
    if (op === 'BitAnd') return setIntersection(it, a, b);
    if (op === 'Sub') return setDifference(it, a, b);
    return setSymmetricDifference(it, a, b);
}

/**
 * set_update_internal of an exact dict: one resize up front for all its keys, then each added with
 * its stored hash, in the dict's order.
 */
export function setUpdateFromDict(it: Interpreter, so: PySet, d: PyDict): void {
    so.table.reserve(d.size);
    for (const e of d.entries()) so.add(it.heap, e.k, d.storedHash(e.k));
}

/**
 * set_contains's, set_remove's and set_discard's retry: a key that is a set (PySet_Check: set or a
 * subclass, not a frozenset) whose hash failed with a TypeError is looked up again as a temporary
 * frozenset copy of it (`make_new_set(&PyFrozenSet_Type, key)`: a GC-tracked allocation, filled by
 * set_merge), freed as soon as the lookup is done. Every version 2.7–3.13 copies.
 */
export function withSetKey<T>(it: Interpreter, key: PyObject, lookup: (k: PyObject) => T): T {
    try {
        return lookup(key);
    } catch (e) {
        if (!(key instanceof PySet) || !key.type.isSubtypeOf(it.T.set)) throw e;
        if (e instanceof UnhashableError) {
            // (the error was never raised as a Python exception)
        } else if (e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.TypeError)) {
            dropRaise(it, e);
        } else throw e;
    }
    const tmp = it.set(true);
    try {
        tmp.merge(it.heap, key);
        return lookup(tmp);
    } finally {
        it.decref(tmp);
    }
}


// ------------------------------------------------------------------------------------------------
// The methods: any iterable as the other operand.

/** PyObject_Hash(key) once, for a key whose hash runs Python code (undefined: keyOf hashes natively); TypeError for an unhashable one. */
function hashOnce(it: Interpreter, key: PyObject): UserHash | undefined {
    return hashRunsPython(key) ? pyHash(it, key) : undefined;
}

/** Runs `f`, turning an unhashable key's error into CPython's TypeError. */
function hashing<T>(it: Interpreter, key: PyObject, f: () => T): T {
    try {
        return f();
    } catch (e) {
        throw unhashable(it, e, key);
    }
}

/** The items of any iterable, one at a time, each released after `fn` (which may keep its own reference). */
function eachKey(it: Interpreter, other: PyObject, fn: (key: PyObject) => boolean | void): void {
    // A `true` from fn stops the walk (the iterator is released as CPython's early return does).
    const stop = {};
    try {
        forEachItem(it, other, (key) => {
            let done: boolean | void;
            try {
                done = fn(key);
            } finally {
                it.decref(key);
            }
            if (done === true) throw stop;
        });
    } catch (e) {
        if (e !== stop) throw e;
    }
}

/** A new set (of `so`'s type family) that is freed again when filling it fails. */
function fill(it: Interpreter, r: PySet, body: () => void): PySet {
    try {
        body();
    } catch (e) {
        it.decref(r);
        throw e;
    }
    return r;
}

/** set_update_internal: a set's slots (set_merge), an exact dict's keys with their hashes, or each item of an iterable added as it is taken. */
export function setUpdateInternal(it: Interpreter, so: PySet, other: PyObject): void {
    if (other instanceof PySet) return so.merge(it.heap, other);
    if (other instanceof PyDict && other.type === it.T.dict) return setUpdateFromDict(it, so, other);
    eachKey(it, other, (key) => {
        hashing(it, key, () => so.add(it.heap, key));
    });
}

/** set_copy (frozenset.copy returns an exact frozenset itself). */
export function setCopyMethod(it: Interpreter, so: PySet): PySet {
    if (so.type === it.T.frozenset) return it.incref(so);
    return setCopy(it, so);
}

/** set_union: a copy of `so`, then each other (not `so` itself) merged in. */
export function setUnionMulti(it: Interpreter, so: PySet, others: PyObject[]): PySet {
    const r = setCopy(it, so);
    return fill(it, r, () => {
        for (const o of others) if (o !== so) setUpdateInternal(it, r, o);
    });
}

/** set_intersection with any iterable: a set as above; else each item hashed, kept if `so` has it. */
export function setIntersectionAny(it: Interpreter, so: PySet, other: PyObject): PySet {
    if (other instanceof PySet) return setIntersection(it, so, other);
    const r = newLike(it, so);
    return fill(it, r, () =>
        eachKey(it, other, (key) => {
            hashing(it, key, () => {
                const h = hashOnce(it, key);
                if (so.has(key, h)) r.add(it.heap, key, h);
            });
        }),
    );
}

/** set_intersection_multi: a copy for no argument, else the running result intersected with each. */
export function setIntersectionMulti(it: Interpreter, so: PySet, others: PyObject[]): PySet {
    if (others.length === 0) return setCopy(it, so);
    let r: PySet = it.incref(so);
    for (const o of others) {
        let nr: PySet;
        try {
            nr = setIntersectionAny(it, r, o);
        } catch (e) {
            it.decref(r);
            throw e;
        }
        it.decref(r);
        r = nr;
    }
    return r;
}

/** set_intersection_update_multi: the intersection's table swapped into `so`, the old one released with the temporary. */
export function setIntersectionUpdateMulti(it: Interpreter, so: PySet, others: PyObject[]): void {
    const tmp = setIntersectionMulti(it, so, others);
    swapBodies(it, so, tmp);
    it.decref(tmp);
}

/** set_difference_update_internal with any iterable: a set as above; else each item discarded as it is taken (set_discard_key: no frozenset retry), then dummies purged. */
export function setDifferenceUpdateAny(it: Interpreter, so: PySet, other: PyObject): void {
    if (other instanceof PySet) return setDifferenceUpdate(it, so, other);
    eachKey(it, other, (key) => {
        hashing(it, key, () => so.discard(it.heap, key));
    });
    so.table.purgeDummies();
}

/** set_difference with any operand: a copy then difference_update for an iterable (and 3.x when `so` is more than four times larger); else `so` walked against the set or dict. */
export function setDifferenceAny(it: Interpreter, so: PySet, other: PyObject): PySet {
    const isDict = other instanceof PyDict && other.type === it.T.dict;
    if (other instanceof PySet) return setDifference(it, so, other);
    if (!isDict || (it.profile.sets.differenceShortcuts && so.size >> 2 > (other as PyDict).size)) {
        const r = setCopy(it, so);
        return fill(it, r, () => setDifferenceUpdateAny(it, r, other));
    }
    const d = other as PyDict;
    const r = newLike(it, so);
    return fill(it, r, () => {
        for (const x of so.items()) {
            const h = so.storedHash(x);
            if (d.get(x, h) === null) r.add(it.heap, x, h);
        }
    });
}

/** set_difference_multi: a copy for no argument, else the difference with the first, then the others discarded from it. */
export function setDifferenceMulti(it: Interpreter, so: PySet, others: PyObject[]): PySet {
    if (others.length === 0) return setCopy(it, so);
    const r = setDifferenceAny(it, so, others[0]);
    return fill(it, r, () => {
        for (let i = 1; i < others.length; i++) setDifferenceUpdateAny(it, r, others[i]);
    });
}

/** set_symmetric_difference_update with any operand: a dict's entries with their hashes, a set's slots, else a temporary set of the iterable's items (freed after). */
export function setSymmetricDifferenceUpdateAny(it: Interpreter, so: PySet, other: PyObject): void {
    if (other === so) return so.clear(it.heap);
    if (other instanceof PyDict && other.type === it.T.dict) {
        for (const e of Array.from(other.entries())) {
            const h = other.storedHash(e.k);
            it.incref(e.k);
            try {
                const k = so.take(e.k, h);
                if (k !== null) it.heap.release(so, k, '{item}');
                else so.add(it.heap, e.k, h);
            } finally {
                it.decref(e.k);
            }
        }
        return;
    }
    if (other instanceof PySet) return setSymmetricDifferenceUpdate(it, so, other);
    const tmp = newLike(it, so);
    try {
        setUpdateInternal(it, tmp, other);
        setSymmetricDifferenceUpdate(it, so, tmp);
    } finally {
        it.decref(tmp);
    }
}

/** set_symmetric_difference: a new set of `other`'s items (set_update_internal), then `so`'s toggled in it. */
export function setSymmetricDifferenceAny(it: Interpreter, so: PySet, other: PyObject): PySet {
    const r = newLike(it, so);
    return fill(it, r, () => {
        setUpdateInternal(it, r, other);
        setSymmetricDifferenceUpdate(it, r, so);
    });
}

/** set_issubset of two sets: sizes first, then each of `so`'s items looked up in `other` with its stored hash. */
function subsetOfSet(so: PySet, other: PySet): boolean {
    if (so.size > other.size) return false;
    for (const x of so.items()) if (!other.has(x, so.storedHash(x))) return false;
    return true;
}

/** A temporary exact set of an iterable's items (make_new_set(&PySet_Type, other)), given to `f` and freed after. */
function withTempSet<T>(it: Interpreter, other: PyObject, f: (t: PySet) => T): T {
    const tmp = it.set();
    try {
        setUpdateInternal(it, tmp, other);
        return f(tmp);
    } finally {
        it.decref(tmp);
    }
}

/**
 * set_issubset: an iterable that is not a set is made a temporary set first (≤3.11), or (3.12+)
 * its items that `so` has are gathered into a new set, each hashed once, until that set is as
 * large as `so` (the rest of the iterable is not taken).
 */
export function setIsSubset(it: Interpreter, so: PySet, other: PyObject): boolean {
    if (other instanceof PySet) return subsetOfSet(so, other);
    if (!it.profile.sets.issubsetStops) return withTempSet(it, other, (t) => subsetOfSet(so, t));
    const found = newLike(it, so);
    try {
        eachKey(it, other, (key) =>
            hashing(it, key, () => {
                const h = hashOnce(it, key);
                if (!so.has(key, h)) return false;
                found.add(it.heap, key, h);
                return found.size === so.size;
            }),
        );
        return found.size === so.size;
    } finally {
        it.decref(found);
    }
}

/** set_issuperset: a set is asked issubset the other way; an iterable is a temporary set (≤3.10) or looked up item by item until one is missing (3.11+). */
export function setIsSuperset(it: Interpreter, so: PySet, other: PyObject): boolean {
    if (other instanceof PySet) return subsetOfSet(other, so);
    if (!it.profile.sets.issupersetIterates) return withTempSet(it, other, (t) => subsetOfSet(t, so));
    let all = true;
    eachKey(it, other, (key) => {
        if (!hashing(it, key, () => so.has(key))) {
            all = false;
            return true;
        }
    });
    return all;
}

/** set_isdisjoint: an exact set or frozenset by walking the smaller one; anything else iterated, stopping at the first item `so` has. */
export function setIsDisjoint(it: Interpreter, so: PySet, other: PyObject): boolean {
    if (other === so) return so.size === 0;
    if (other instanceof PySet && (other.type === it.T.set || other.type === it.T.frozenset)) {
        let big = so;
        let small = other;
        if (small.size > big.size) {
            big = other;
            small = so;
        }
        for (const x of small.items()) if (big.has(x, small.storedHash(x))) return false;
        return true;
    }
    let disjoint = true;
    eachKey(it, other, (key) => {
        if (hashing(it, key, () => so.has(key))) {
            disjoint = false;
            return true;
        }
    });
    return disjoint;
}


/**
 * frozenset_new for the exact type: frozenset(f) of an exact frozenset is f; 2.7–3.9 return the
 * empty frozenset singleton (emptyfrozenset: made on first use, kept by the interpreter until it is
 * finalized) for no argument, and in place of an empty result (built, then freed); 3.10+ make a new one.
 */
export function frozensetNew(it: Interpreter, args: PyObject[]): PySet {
    if (args.length && args[0].type === it.T.frozenset) return it.incref(args[0] as PySet);
    if (args.length) {
        const r = it.set(true);
        fill(it, r, () => setUpdateInternal(it, r, args[0]));
        if (r.size || it.profile.sets.emptyFrozensetSingleton === 'none') return r;
        it.decref(r);
    } else if (it.profile.sets.emptyFrozensetSingleton === 'none') return it.set(true);
    let e = it.moduleState.get('frozenset.empty') as PySet | undefined;
    if (!e) {
        // The interpreter's object (its reference is released only by emptyFrozensetFini): made
        // without a source line, as the report counts the interpreter's own objects.
        const line = it.line;
        it.line = 0;
        try {
            e = it.set(true);
        } finally {
            it.line = line;
        }
        it.moduleState.set('frozenset.empty', e);
    }
    return it.incref(e);
}

/** 3.8/3.9 _PySet_Fini (finalize_interp_types, after the last collection): the singleton's reference dropped. 2.7's PySet_Fini runs later than anything can observe. */
export function emptyFrozensetFini(it: Interpreter): void {
    const e = it.moduleState.get('frozenset.empty') as PySet | undefined;
    if (!e || it.profile.sets.emptyFrozensetSingleton !== 'fini') return;
    it.moduleState.delete('frozenset.empty');
    it.decref(e);
}
