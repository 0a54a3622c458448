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
 */

import type { PyObject } from '../runtime/object';
import { PySet, PyDict } from '../runtime/containers';
import type { Interpreter } from './interpreter';

/** make_new_set_basetype: a new set, or frozenset when `so` is one. */
function newLike(it: Interpreter, so: PySet): PySet {
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
