/*
 * collector.ts
 *
 * The cyclic garbage collector, modelled on CPython's gc_collect_main (Modules/gcmodule.c up to
 * 3.12, Python/gc.c in 3.13; `collect()` in 2.7):
 *
 *   1. merge the younger generations into the one collected (gen0, then gen1, appended: a full
 *      collection scans gen2 + gen0 + gen1);
 *   2. update_refs / subtract_refs through each type's `traverse`;
 *   3. move_unreachable: zero-gc_refs objects move tentatively to `unreachable`; traversing a
 *      reachable object rescues them back to the TAIL of the young list (this is what perturbs
 *      list order);
 *   4. untrack tuples (and, in full collections, dicts) holding only atoms; survivors move up;
 *   5. legacy finalizers (2.7 `__del__`): those objects and everything they reach are uncollectable;
 *   6. handle_weakrefs: clear weakrefs to unreachable objects, call callbacks of reachable weakrefs;
 *   7. finalize_garbage (PEP 442): `__del__` once per object, in list order, graph intact;
 *   8. resurrection (3.9+: re-run the reachability pass on the garbage; 3.8: keep everything);
 *   9. delete_garbage: tp_clear in list order (DEBUG_SAVEALL: to gc.garbage instead);
 *  10. gc.garbage for legacy finalizers; statistics; gc.callbacks around it all.
 */

import { PyObject, ObjFlag, GEN_UNTRACKED, GEN_PERMANENT } from '../runtime/object';
import { GcList, type GcHeads } from '../runtime/gcHeads';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { EventKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { PyRaise } from '../interp/signals';
import { writeUnraisable } from '../interp/traceback';
import { handleWeakrefs, PyWeakref } from './weakrefs';
import { dropInternalClass } from '../interp/typeobject';
import { takeCompileSpare } from '../interp/compile';
import { FreeKind, FreeLists, TUPLE_SIZES, type FreeListState } from '../runtime/freelists';

export type CollectReason = 'automatic' | 'manual' | 'shutdown';

export const DEBUG_STATS = 1;
export const DEBUG_COLLECTABLE = 2;
export const DEBUG_UNCOLLECTABLE = 4;
export const DEBUG_INSTANCES = 8;
export const DEBUG_OBJECTS = 16;
export const DEBUG_SAVEALL = 32;
export const DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;

/** The collector's interpreter state (CPython's struct _gc_runtime_state). */
export interface GcState {
    /** gc.garbage (a real list object, created at interpreter start-up). */
    garbage: PyList;
    /** gc.callbacks. */
    callbacks: PyList;
    debug: number;
    longLivedPending: number;
    longLivedTotal: number;
    /** Collections run so far (code-object constant tuples are untracked by the first one). */
    collections: number;
    /** gc.get_stats(): per generation, [collections, collected, uncollectable] (generation_stats). */
    stats: [number, number, number][];
}

const STATES = new WeakMap<Interpreter, GcState>();

export function gcState(it: Interpreter): GcState {
    let s = STATES.get(it);
    if (!s) {
        const [c0, m0] = it.profile.startupGcStats;
        s = { garbage: it.list([]), callbacks: it.list([]), debug: 0, longLivedPending: 0, longLivedTotal: 0, collections: 0, stats: [[c0, m0, 0], [0, 0, 0], [0, 0, 0]] };
        STATES.set(it, s);
    }
    return s;
}

/** Marks an object whose gc_refs dropped to zero during move_unreachable (NEXT_MASK_UNREACHABLE). */
const IN_UNREACHABLE = -0x40000000;

/**
 * An object's `gen` only says "tracked" (≥ 0) versus untracked (-1): which generation it is in is
 * given by the list that holds it, as in CPython, so moving whole lists needs no relabelling pass.
 */
function relabel(_list: GcList, _gen: number): void {}

function moveTo(o: PyObject, list: GcList, gen: number): void {
    list.heads.unlink(o.gcSlot);
    list.append(o);
    o.gen = gen;
}

// ------------------------------------------------------------------------------------------------
// reachability
//
// The GC headers (list links, gc_refs, the collecting mark) live in the heap's GcHeads arrays,
// indexed by each object's slot (runtime/gcHeads.ts): walking a list, recording its order, marking
// and relinking touch only those dense arrays. An object is loaded only to read its refcount and
// traverse it, and those loads do not depend on each other (the next slot comes from the array,
// not from the object), so the CPU overlaps them; on a 300,000-object heap following links stored
// in the objects was a cache and TLB miss per hop that nothing could overlap.
//
// The passes below follow the GC list once (update/subtract refs) and record its order (slots) in
// an array, with the children each object's traverse visited (see `walk`); move_unreachable then
// walks that array, reading the recorded children instead of traversing the objects again, and
// relinks the lists once at the end. The lists end in exactly the order the one-move-at-a-time
// algorithm gives (see moveUnreachable).
//
// The passes keep GcHeads' arrays in locals: nothing they call can allocate a slot (no Python
// code runs, nothing gets tracked), which is what would replace the arrays.

/** A scratch array of ints that keeps its capacity between collections. */
class IntStack {
    items: Int32Array = new Int32Array(1024);
    n = 0;
    push(s: number): void {
        if (this.n === this.items.length) this.grow();
        this.items[this.n++] = s;
    }
    /** Doubles the capacity; returns the new `items` (hot loops fill a local copy of it, then set `n`). */
    grow(): Int32Array {
        const grown = new Int32Array(this.items.length * 2);
        grown.set(this.items);
        return (this.items = grown);
    }
    reserve(capacity: number): Int32Array {
        while (this.items.length < capacity) this.grow();
        return this.items;
    }
    reset(): void {
        this.n = 0;
    }
}

/**
 * What a reachability walk (update/subtract refs, or handle_resurrected's) records for the
 * move_unreachable that follows, by position in the walk: `order`, the walked slots in list order
 * (move_unreachable appends the rescued ones); `childStart[p]`…`childStart[p + 1]`, the range of
 * `children` holding the slots of the children the traverse of the object at position p visited,
 * in visit order (only children with a GC header: no other object can carry the collecting mark);
 * `special[p]`, 1 for a tuple or an exact dict (move_unreachable needs the object itself: it may
 * untrack it, or list it for untrack_dicts). `position[s]` is slot s's position, valid only when
 * `order` holds s there.
 *
 * No Python code runs between the walk and move_unreachable and nothing changes any reference, so
 * traversing an object again would visit the same children in the same order; each visit's effect
 * depends only on the child's header, read when the recorded child is replayed. move_unreachable
 * thus loads only the objects it may untrack, and those it records as unreachable.
 */
const walk = {
    order: new IntStack(),
    children: new IntStack(),
    childStart: new IntStack(),
    special: new Uint8Array(1024),
    position: new Int32Array(1024),
};

/** Makes the walk's per-slot and per-position arrays large enough for `heads`' slots. */
function prepareWalk(heads: GcHeads): void {
    // (Empty already unless a collection was abandoned by an exception.)
    resetWalk();
    const cap = heads.next.length;
    if (walk.position.length < cap) {
        // (No copy needed: a position is only trusted when `order` confirms it.)
        walk.position = new Int32Array(cap);
        walk.special = new Uint8Array(cap);
    }
}

function resetWalk(): void {
    walk.order.reset();
    walk.children.reset();
    walk.childStart.reset();
}

/** move_unreachable's own scratch arrays (collections never nest: `heap.collecting`). */
const markedScratch = new IntStack();
const survivorScratch = new IntStack();

/**
 * What `instanceof` says of the objects made by each JS class (1: a PyTuple, 2: a PyDict, 0:
 * neither): `instanceof` on objects of every shape was most of the cost of the young collections'
 * walk. One class, one prototype chain, one answer.
 */
const classKinds = new Map<unknown, number>();
let lastClass: unknown = null;
let lastKind = 0;

/** Does move_unreachable need `o` itself (see `walk.special`)? */
function isSpecial(o: PyObject, dictType: PyObject): number {
    const c = o.constructor;
    let kind: number | undefined;
    if (c === lastClass) {
        kind = lastKind;
    } else {
        kind = classKinds.get(c);
        if (kind === undefined) {
            kind = o instanceof PyTuple ? 1 : o instanceof PyDict ? 2 : 0;
            classKinds.set(c, kind);
        }
        lastClass = c;
        lastKind = kind;
    }
    return kind === 1 || (kind === 2 && o.type === dictType) ? 1 : 0;
}

/**
 * What the first move_unreachable of a collection leaves for the later phases (collectMain resets
 * it): `members`, how many members the unreachable list has; `weak`, those of them (in list
 * order) that are weakrefs or have weakrefs (the only ones handle_weakrefs does anything with);
 * `fin`, those with a finalizer still to run (finalize_garbage's work), or null when not asked for.
 */
interface Snapshot {
    members: number;
    weak: PyObject[];
    fin: PyObject[] | null;
}
const snapshot: Snapshot = { members: 0, weak: [], fin: null };

function resetSnapshot(): void {
    snapshot.members = 0;
    snapshot.weak.length = 0;
    snapshot.fin = null;
}

/**
 * update_refs + subtract_refs in a single walk, for a full collection while nothing is frozen:
 * every tracked object is then in `young`, so whether a child takes part is just whether it is
 * tracked, and a child the walk has not reached yet gets its gc_refs (= refcount) when first
 * seen. One pass less over the whole heap than the two below. (No object carries the collecting
 * mark between collections.) Records the walk (see `walk`).
 */
function updateAndSubtractRefsFull(young: GcList, dictType: PyObject): void {
    const heads = young.heads;
    prepareWalk(heads);
    const { next, refs, collecting, objs } = heads;
    const { order, children, childStart, special, position } = walk;
    // (The walk's arrays are filled through locals, grown by hand: this loop runs once per
    // object and once per reference of the whole heap.)
    let kids = children.items;
    let nk = 0;
    const visit = (child: PyObject): void => {
        const s = child.gcSlot;
        if (s === 0) return; // never tracked: not part of any collection
        if (nk === kids.length) kids = children.grow();
        kids[nk++] = s;
        if (child.gen === GEN_UNTRACKED) return;
        if (collecting[s] === 0) {
            refs[s] = child.rc;
            collecting[s] = 1;
        }
        refs[s]--;
    };
    let items = order.items;
    let starts = childStart.items;
    let p = 0;
    const head = young.head;
    for (let s = next[head]; s !== head; s = next[s]) {
        if (p === items.length) items = order.grow();
        if (p === starts.length) starts = childStart.grow();
        items[p] = s;
        position[s] = p;
        starts[p] = nk;
        const o = objs[s]!;
        special[p] = isSpecial(o, dictType);
        if (collecting[s] === 0) {
            refs[s] = o.rc;
            collecting[s] = 1;
        }
        o.traverse(visit, true);
        p++;
    }
    childStart.reserve(p + 1)[p] = nk;
    order.n = p;
    childStart.n = p + 1;
    children.n = nk;
}

/**
 * update_refs + subtract_refs: gc_refs = refcount minus references from inside `young`.
 * Records the walk (see `walk`).
 *
 * The first loop only marks (the arrays alone); each object's refcount is added when it is
 * traversed: additions and subtractions commute, and nothing reads gc_refs in between.
 */
function updateAndSubtractRefs(young: GcList, dictType: PyObject): void {
    const heads = young.heads;
    prepareWalk(heads);
    const { next, refs, collecting, objs } = heads;
    const { order, children, childStart, special, position } = walk;
    const head = young.head;
    let items = order.items;
    let n = 0;
    for (let s = next[head]; s !== head; s = next[s]) {
        if (n === items.length) items = order.grow();
        items[n] = s;
        position[s] = n++;
        refs[s] = 0;
        collecting[s] = 1;
    }
    order.n = n;
    let kids = children.items;
    let nk = 0;
    const visit = (child: PyObject): void => {
        const s = child.gcSlot;
        if (s === 0) return;
        if (nk === kids.length) kids = children.grow();
        kids[nk++] = s;
        if (collecting[s] !== 0) refs[s]--;
    };
    const starts = childStart.reserve(n + 1);
    for (let p = 0; p < n; p++) {
        const s = items[p];
        const o = objs[s]!;
        starts[p] = nk;
        special[p] = isSpecial(o, dictType);
        refs[s] += o.rc;
        o.traverse(visit, true);
    }
    starts[n] = nk;
    childStart.n = n + 1;
    children.n = nk;
}

/**
 * What move_unreachable also does to each survivor as it reaches it. CPython untracks tuples
 * (untrack_tuples, and 2.7 dicts too) in a pass of its own over the survivors; this walk reaches
 * them in the same order with the same tracking state, so doing it here gives the same result
 * without walking the (possibly very long) list again.
 */
const enum Untrack {
    None,
    Tuples,
    TuplesAndDicts,
}

/** Links `items` (slots, in order) as the whole content of `list`. */
function relinkAll(list: GcList, items: IntStack): void {
    const { next, prev } = list.heads;
    const head = list.head;
    const a = items.items;
    let p = head;
    for (let i = 0; i < items.n; i++) {
        const s = a[i];
        next[p] = s;
        prev[s] = p;
        p = s;
    }
    next[p] = head;
    prev[head] = p;
}

/**
 * move_unreachable: survivors stay (rescued ones go to the tail); the rest end in `unreachable`.
 * Returns how many survivors are still tracked (gc_list_size of `young` afterwards). `walk` holds
 * `young`'s members in list order and their children (from the update/subtract pass); `dicts`,
 * when given, receives the survivors that are exact dicts, in list order (for untrack_dicts, see
 * collectMain).
 *
 * CPython moves each zero-gc_refs object to `unreachable` at once and moves it back to the tail of
 * `young` if something reachable turns out to reference it. Here such an object is only marked
 * where it stays linked and is remembered; a rescue appends it to the walk (the tail). Once the
 * walk is over, `young` must be the survivors in walk order (the unmarked ones in list order,
 * then the rescued ones in rescue order) and `unreachable` the marked objects never rescued, in
 * the order they were marked: exactly CPython's lists. When few objects were marked they are
 * moved one by one; when many were (a linked list: every node but the head looks unreachable
 * until its predecessor is rescued) both lists are relinked from the arrays in one pass instead.
 *
 * CPython also relabels a rescued object's generation; `gen` here only says whether an object is
 * tracked, and a rescued object is a walked one not untracked yet (only survivors are untracked,
 * and a survivor is never marked again), so it is tracked already: nothing to write.
 */
function moveUnreachable(it: Interpreter, young: GcList, unreachable: GcList, untrack: Untrack, dicts: PyDict[] | null, snap: Snapshot | null = null): number {
    const heads = young.heads;
    const { refs, collecting, objs } = heads;
    const { order, special, position } = walk;
    const children = walk.children.items;
    const childStart = walk.childStart.items;
    const marked = markedScratch;
    const survivors = survivorScratch;
    let rescued = 0;
    const reach = (s: number): void => {
        if (collecting[s] === 0) return;
        const r = refs[s];
        if (r === IN_UNREACHABLE) {
            // Rescued: it goes to the tail of young, where the walk reaches it again.
            order.push(s);
            refs[s] = 1;
            rescued++;
        } else if (r === 0) {
            refs[s] = 1;
        }
    };
    const visitReachable = (child: PyObject): void => reach(child.gcSlot);
    const dictType = it.T.dict;
    const listed = order.n;
    try {
        for (let i = 0; i < order.n; i++) {
            // (`order.items`, not a local: a rescue may grow it.)
            const s = order.items[i];
            if (refs[s] <= 0) {
                refs[s] = IN_UNREACHABLE;
                marked.push(s);
                continue;
            }
            // Its position in the walk: a rescued object was walked too (except in handle_resurrected's
            // pass, an object outside the list carrying a stale mark: traversed, as CPython does).
            let p = i;
            if (i >= listed) {
                p = position[s];
                if (p >= listed || order.items[p] !== s) p = -1;
            }
            let o: PyObject;
            if (p >= 0) {
                const end = childStart[p + 1];
                for (let c = childStart[p]; c < end; c++) reach(children[c]);
                collecting[s] = 0;
                if (special[p] === 0) {
                    // Neither untracked here nor an exact dict: still tracked (only this loop
                    // untracks, and only tuples and dicts).
                    survivors.push(s);
                    continue;
                }
                o = objs[s]!;
            } else {
                o = objs[s]!;
                o.traverse(visitReachable, true);
                collecting[s] = 0;
            }
            if (untrack !== Untrack.None) {
                // (`o` is still linked where it was: marking and rescuing do not move anything.)
                if (o instanceof PyTuple) {
                    if (tupleMayUntrack(o)) it.heap.untrack(o);
                } else if (untrack === Untrack.TuplesAndDicts && o instanceof PyDict && o.type === dictType) {
                    if (dictMayUntrack(o)) it.heap.untrack(o);
                }
            }
            if (o.gen !== GEN_UNTRACKED) {
                survivors.push(s);
                if (dicts !== null && o instanceof PyDict && o.type === dictType) dicts.push(o);
            }
        }
        const m = marked.items;
        const sv = survivors.items;
        // `young` still holds everything it held except what was untracked on the way, in list
        // order; `unreachable` is empty (a fresh list in every caller).
        if (marked.n - rescued > survivors.n) {
            // Mostly garbage (a collection at shutdown): take the survivors out; what stays
            // linked is then exactly the unreachable set in list order, which is marking order.
            for (let i = 0; i < survivors.n; i++) heads.unlink(sv[i]);
            unreachable.merge(young);
            for (let i = 0; i < survivors.n; i++) heads.linkLast(young.head, sv[i]);
            for (let i = 0; i < marked.n; i++) {
                const u = m[i];
                // clear_unreachable_mask: members keep the collecting mark, lose the "unreachable" one.
                if (refs[u] === IN_UNREACHABLE) {
                    refs[u] = 0;
                    if (snap !== null) snapMember(it, snap, objs[u]!);
                }
            }
            return survivors.n;
        }
        if (marked.n * 2 <= survivors.n) {
            for (let i = 0; i < marked.n; i++) {
                const u = m[i];
                if (objs[u]!.gen !== GEN_UNTRACKED) heads.unlink(u); // (a rescued tuple may have been untracked)
            }
            const o = order.items;
            for (let i = listed; i < order.n; i++) {
                const s = o[i];
                if (objs[s]!.gen !== GEN_UNTRACKED) heads.linkLast(young.head, s);
            }
        } else {
            relinkAll(young, survivors);
        }
        if (rescued === marked.n) {
            heads.next[unreachable.head] = heads.prev[unreachable.head] = unreachable.head;
        } else {
            let n = 0;
            for (let i = 0; i < marked.n; i++) {
                const u = m[i];
                if (refs[u] !== IN_UNREACHABLE) continue; // rescued
                // clear_unreachable_mask: members keep the collecting mark, lose the "unreachable" one.
                refs[u] = 0;
                m[n++] = u;
                if (snap !== null) snapMember(it, snap, objs[u]!);
            }
            marked.n = n;
            relinkAll(unreachable, marked);
        }
        return survivors.n;
    } finally {
        resetWalk();
        marked.reset();
        survivors.reset();
    }
}

/** Records an unreachable object (they come in list order) in the snapshot. */
function snapMember(it: Interpreter, snap: Snapshot, u: PyObject): void {
    snap.members++;
    if (u.weakrefs !== null || u instanceof PyWeakref) snap.weak.push(u);
    if (snap.fin !== null && !(u.flags & ObjFlag.Finalized) && it.heap.hooks.hasFinalizer(u)) snap.fin.push(u);
}

/**
 * deduce_unreachable; returns the number of survivors left tracked in `young`. `wholeHeap`: young
 * holds every tracked object (a full collection, nothing frozen). `snap`: filled with what the
 * unreachable list holds (see Snapshot).
 */
function deduceUnreachable(it: Interpreter, young: GcList, unreachable: GcList, untrack: Untrack, wholeHeap = false, dicts: PyDict[] | null = null, snap: Snapshot | null = null): number {
    if (wholeHeap) updateAndSubtractRefsFull(young, it.T.dict);
    else updateAndSubtractRefs(young, it.T.dict);
    return moveUnreachable(it, young, unreachable, untrack, dicts, snap);
}

/**
 * handle_resurrected_objects (3.9+) after finalizers ran: gc_refs of the garbage recomputed, and
 * what a finalizer made reachable again moves back to `unreachable`'s survivors (the caller moves
 * them to the old generation); the rest goes to `still`. Returns how many objects are in `still`.
 *
 * The same as clearing the members' collecting mark, deduce_unreachable(unreachable, still) and
 * clearing it again, in fewer passes over the (at shutdown, very long) garbage list:
 *   - clearing the mark before deduce_unreachable is a no-op: update_refs sets it again on
 *     exactly the same objects (the list's members) and touches nothing else;
 *   - every member's gc_refs is 0 here (clear_unreachable_mask left them so and nothing but the
 *     collector writes gc_refs), so update_refs (gc_refs = refcount) and subtract_refs can run
 *     in the same walk as `gc_refs += refcount`: the result is the same whatever the order of
 *     the decrements (objects that are not members are only decremented, as before);
 *   - when every member ends with gc_refs 0, move_unreachable would mark them all (nothing to
 *     traverse, nothing rescued), leave them in list order in `still` with gc_refs 0 and the
 *     collecting mark, and `unreachable` empty: done here as one merge. Otherwise the general
 *     move_unreachable runs on the walk recorded here;
 *   - clearing the mark afterwards is a no-op: move_unreachable clears it on every survivor, and
 *     survivors are all `unreachable` holds.
 */
function handleResurrected(it: Interpreter, unreachable: GcList, still: GcList): number {
    const heads = unreachable.heads;
    prepareWalk(heads);
    const { next, refs, collecting, objs } = heads;
    const { order, children, childStart, special, position } = walk;
    const dictType = it.T.dict;
    const visit = (child: PyObject): void => {
        const s = child.gcSlot;
        if (s === 0) return;
        children.push(s);
        if (collecting[s] !== 0) refs[s]--;
    };
    const head = unreachable.head;
    for (let s = next[head]; s !== head; s = next[s]) {
        const p = order.n;
        order.push(s);
        position[s] = p;
        childStart.push(children.n);
        const o = objs[s]!;
        special[p] = isSpecial(o, dictType);
        refs[s] += o.rc;
        collecting[s] = 1;
        o.traverse(visit, true);
    }
    childStart.push(children.n);
    const n = order.n;
    const items = order.items;
    let reachable = false;
    for (let i = 0; i < n; i++) {
        if (refs[items[i]] !== 0) {
            reachable = true;
            break;
        }
    }
    if (!reachable) {
        resetWalk();
        still.merge(unreachable);
        return n;
    }
    const survivors = moveUnreachable(it, unreachable, still, Untrack.None, null);
    return n - survivors;
}

/** _PyObject_GC_MAY_BE_TRACKED */
function mayBeTracked(o: PyObject): boolean {
    if (!o.isGcType() || o.flags & ObjFlag.Atomic) return false;
    if (o instanceof PyTuple) return o.gen !== GEN_UNTRACKED;
    return true;
}

/** _PyTuple_MaybeUntrack's test: does the tuple hold nothing that may be tracked? */
function tupleMayUntrack(t: PyTuple): boolean {
    const items = t.items;
    for (let i = 0; i < items.length; i++) if (mayBeTracked(items[i])) return false;
    return true;
}

/** _PyDict_MaybeUntrack's test. */
function dictMayUntrack(d: PyDict): boolean {
    if (d.embeddedIn || d.keepTracked) return false;
    for (const e of d.entries()) if (mayBeTracked(e.v) || mayBeTracked(e.k)) return false;
    return true;
}

/**
 * untrack_dicts (3.x full collections) over the survivors that are exact dicts, which
 * move_unreachable collected in list order; returns how many objects stay in `young`. Whether a
 * dict can be untracked depends only on its items' tracking (a dict item always "may be
 * tracked"; tuples were settled by move_unreachable), so checking the collected dicts gives what
 * a walk of the whole list would.
 */
function untrackDicts(it: Interpreter, dicts: PyDict[], survivors: number): number {
    for (let i = 0; i < dicts.length; i++) {
        const d = dicts[i];
        if (dictMayUntrack(d)) {
            it.heap.untrack(d);
            survivors--;
        }
    }
    return survivors;
}

// ------------------------------------------------------------------------------------------------
// the collection

/** Runs gc.callbacks (invoke_gc_callback); errors are unraisable. */
function invokeCallbacks(it: Interpreter, phase: 'start' | 'stop', generation: number, collected: number, uncollectable: number): void {
    const st = gcState(it);
    if (st.callbacks.items.length === 0) return;
    const info = it.dict();
    info.set(it.heap, it.str('generation'), it.int(generation));
    info.set(it.heap, it.str('collected'), it.int(collected));
    info.set(it.heap, it.str('uncollectable'), it.int(uncollectable));
    const phaseStr = it.str(phase);
    for (let i = 0; i < st.callbacks.items.length; i++) {
        const cb = it.incref(st.callbacks.items[i]);
        try {
            it.decref(call(it, cb, [phaseStr, info], null));
        } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            writeUnraisable(it, e.exc, cb);
            it.decref(e.exc);
        } finally {
            it.decref(cb);
        }
    }
    it.decref(info);
}

/**
 * gc.collect(generation) / the automatic and shutdown paths. Returns the number of unreachable
 * objects found (collected + uncollectable); 0 when a collection is already running.
 */
export function collectGeneration(it: Interpreter, generation: number, reason: CollectReason, withCallbacks = true): number {
    const heap = it.heap;
    if (heap.collecting) return 0;
    heap.collecting = true;
    let total = 0;
    try {
        if (withCallbacks) invokeCallbacks(it, 'start', generation, 0, 0);
        const [m, n] = collectMain(it, generation, reason);
        total = m + n;
        if (withCallbacks) invokeCallbacks(it, 'stop', generation, m, n);
    } finally {
        heap.collecting = false;
        resetSnapshot();
        heap.gc.recycleDead();
    }
    return total;
}

/** gc_collect_main: returns [collected, uncollectable]. */
function collectMain(it: Interpreter, generation: number, reason: CollectReason): [number, number] {
    const heap = it.heap;
    const p = it.profile;
    const st = gcState(it);
    const pos = it.position();
    it.log.push(EventKind.GcStart, pos.step, pos.line, pos.col, 0, generation, reason);

    st.collections++;
    if (generation + 1 < 3) heap.counts[generation + 1]++;
    for (let i = 0; i <= generation; i++) heap.counts[i] = 0;

    const young = heap.gens[generation];
    for (let i = 0; i < generation; i++) young.merge(heap.gens[i]);
    relabel(young, generation);
    const old = generation < 2 ? heap.gens[generation + 1] : young;
    const oldGen = generation < 2 ? generation + 1 : generation;

    const unreachable = new GcList(heap.gc);
    // Survivors' tuples are untracked on the way (2.7: dicts too, as its move_unreachable does).
    const wholeHeap = generation === 2 && heap.permanent.isEmpty();
    const dicts: PyDict[] | null = young === old && p.major === 3 ? [] : null;
    const snap = snapshot;
    snap.fin = p.finalizeOnce ? [] : null;
    let survivors = deduceUnreachable(it, young, unreachable, p.major === 2 ? Untrack.TuplesAndDicts : Untrack.Tuples, wholeHeap, dicts, snap);
    if (young !== old) {
        if (generation === 1) st.longLivedPending += survivors;
        relabel(young, oldGen);
        old.merge(young);
    } else {
        if (dicts !== null) survivors = untrackDicts(it, dicts, survivors);
        st.longLivedPending = 0;
        st.longLivedTotal = survivors;
    }

    // Legacy finalizers (2.7 __del__): uncollectable, with everything reachable from them.
    const finalizers = new GcList(heap.gc);
    // How many of `unreachable`'s members moved to `finalizers` (all of them carried the
    // collecting mark, which only `unreachable`'s members still do here).
    let moved = 0;
    if (p.legacyDelCyclesUncollectable) {
        // (No Python code runs here: hasFinalizer only looks at the type.)
        const { next, collecting, objs } = heap.gc;
        let s = next[unreachable.head];
        while (s !== unreachable.head) {
            const after = next[s];
            const o = objs[s]!;
            if (heap.hooks.hasLegacyFinalizer(o)) {
                collecting[s] = 0;
                moveTo(o, finalizers, generation);
                moved++;
            }
            s = after;
        }
        const visitMove = (child: PyObject): void => {
            const cs = child.gcSlot;
            if (collecting[cs] !== 0) {
                collecting[cs] = 0;
                moveTo(child, finalizers, generation);
                moved++;
            }
        };
        for (let f = next[finalizers.head]; f !== finalizers.head; f = next[f]) objs[f]!.traverse(visitMove, true);
    }

    let m = 0;
    // gc_list_size(unreachable) without walking it: the snapshot recorded every member
    // move_unreachable left in it, and since then only the legacy-finalizer pass above took any
    // out (no Python code has run and nothing was freed: hasFinalizer only looks at the type).
    if (!p.finalizeOnce) m += snap.members - moved;

    // handle_weakrefs: before any finalizer. Python code run from here on (weakref callbacks,
    // finalizers) and any deallocation leave events in the log.
    const logMark = it.log.length;
    // The snapshot's weakref candidates are `unreachable`'s members (those still carrying the
    // collecting mark: 2.7's legacy finalizers took theirs off) with anything to clear.
    m += handleWeakrefs(it, unreachable, old, oldGen, snap.weak);

    let toDelete = unreachable;
    let still: GcList | null = null;
    let keepAll = false;
    if (p.finalizeOnce) {
        // Nothing has happened since the snapshot when the log did not move (no weakref callback
        // ran, nothing was freed): `unreachable` is still exactly its members, in order, and no
        // Python code can have changed which of them have a finalizer to run.
        const unchanged = it.log.length === logMark && finalizers.isEmpty() && snap.fin !== null;
        const size = unchanged ? finalizeGarbage(it, unreachable, snap.fin, snap.members) : finalizeGarbage(it, unreachable, null, 0); // -1: finalizers ran
        if (p.handlesResurrection && it.log.length === logMark) {
            // No callback or finalizer ran and nothing was freed: no reference count changed, so
            // handle_resurrected_objects would find every object unreachable again, in list order.
            m += size >= 0 ? size : unreachable.size();
        } else if (p.handlesResurrection) {
            // handle_resurrected_objects: what a finalizer made reachable again survives.
            still = new GcList(heap.gc);
            const n = handleResurrected(it, unreachable, still);
            logRevived(it, unreachable);
            relabel(unreachable, oldGen);
            old.merge(unreachable);
            toDelete = still;
            m += n;
        } else if (anyResurrected(unreachable)) {
            // 3.7/3.8 check_garbage: keep the whole set (revive_garbage), count nothing.
            keepAll = true;
            logRevived(it, unreachable);
            const { next, collecting } = heap.gc;
            for (let u = next[unreachable.head]; u !== unreachable.head; u = next[u]) collecting[u] = 0;
            relabel(unreachable, oldGen);
            old.merge(unreachable);
        } else {
            m += unreachable.size();
        }
    }
    if (!keepAll) deleteGarbage(it, toDelete, old, oldGen);

    // Uncollectable: legacy finalizers go to gc.garbage.
    let n = 0;
    {
        const items = finalizers.toArray();
        for (const f of items) {
            n++;
            // b: whether it goes to gc.garbage (2.7 appends only the objects with __del__; the rest
            // of the set stays alive through them).
            const appended = st.debug & DEBUG_SAVEALL || heap.hooks.hasLegacyFinalizer(f) ? 1 : 0;
            if (!(f.flags & ObjFlag.Internal)) it.log.push(EventKind.Uncollectable, pos.step, pos.line, pos.col, f.id, appended, null);
        }
        for (const o of items) {
            if (st.debug & DEBUG_SAVEALL || heap.hooks.hasLegacyFinalizer(o)) appendGarbage(it, o);
        }
        relabel(finalizers, oldGen);
        old.merge(finalizers);
    }
    // Only a collection of the oldest generation empties the free lists (runtime/freelists.ts).
    if (generation === 2 && heap.freeLists !== null) {
        for (let k = heap.freeLists.clear(); k > 0; k--) heap.countDeallocation();
    }
    // The working lists are empty again: their sentinels' slots go back.
    unreachable.dispose();
    finalizers.dispose();
    if (still !== null) still.dispose();
    const stats = st.stats[generation];
    stats[0]++;
    stats[1] += m;
    stats[2] += n;
    const end = it.position();
    it.log.push(EventKind.GcEnd, end.step, end.line, end.col, m, n, null);
    return [m, n];
}

function appendGarbage(it: Interpreter, o: PyObject): void {
    const g = gcState(it).garbage;
    g.items.push(o);
    it.heap.acquire(g, o, `[${g.items.length - 1}]`);
    o.flags |= ObjFlag.InGarbage;
}

/** Objects this collection found unreachable (their weakrefs cleared) but does not free: a finalizer made them reachable again. */
function logRevived(it: Interpreter, list: GcList): void {
    const pos = it.position();
    const { next, objs } = list.heads;
    for (let s = next[list.head]; s !== list.head; s = next[s]) it.log.push(EventKind.Revived, pos.step, pos.line, pos.col, objs[s]!.id, 0, null);
}

/** check_garbage (3.8): does anything in the garbage have references from outside it now? */
function anyResurrected(list: GcList): boolean {
    const { next, refs, collecting, objs } = list.heads;
    const head = list.head;
    for (let s = next[head]; s !== head; s = next[s]) refs[s] = objs[s]!.rc;
    const visit = (child: PyObject): void => {
        const s = child.gcSlot;
        if (collecting[s] !== 0) refs[s]--;
    };
    for (let s = next[head]; s !== head; s = next[s]) objs[s]!.traverse(visit, true);
    for (let s = next[head]; s !== head; s = next[s]) if (refs[s] !== 0) return true;
    return false;
}

/**
 * finalize_garbage: tp_finalize (`__del__`) once per object, in list order, before any clearing.
 * Returns the list's size when there was nothing to finalize, -1 when finalizers ran.
 * `toFinalize`, when given, lists (in list order) the members with a finalizer to run and `count`
 * is the list's size, both as the snapshot found them with nothing changed since (see collectMain):
 * then the list need not be walked to find them.
 */
function finalizeGarbage(it: Interpreter, collectable: GcList, toFinalize: PyObject[] | null, count: number): number {
    const heap = it.heap;
    // (Finalizers run Python code, which may grow the header arrays: read them from `g` each time.)
    const g = heap.gc;
    const head = collectable.head;
    let found: number;
    if (toFinalize !== null) {
        if (toFinalize.length === 0) return count;
        found = toFinalize[0].gcSlot;
    } else {
        // Nothing to finalize (the usual case): the pass below would leave the list as it is, so
        // only look, and count the list on the way (the caller needs its size).
        let size = 0;
        let s = g.next[head];
        for (; s !== head; s = g.next[s]) {
            const o = g.objs[s]!;
            if (!(o.flags & ObjFlag.Finalized) && heap.hooks.hasFinalizer(o)) break;
            size++;
        }
        if (s === head) return size;
        found = s;
    }
    const seen = new GcList(g);
    // Everything before `found` has nothing to finalize and no Python code has run since that was
    // checked: the loop below would move it to `seen` as one run, which this does without
    // checking it again.
    if (found !== g.next[head]) g.spliceToEnd(g.next[head], g.prev[found], seen.head);
    while (!collectable.isEmpty()) {
        // The run of objects with nothing to finalize moves to `seen` in one splice: no Python
        // code runs between them, so checking them one at a time as they reach the front would
        // find the same, and a long list of garbage costs no per-object unlink/append.
        const first = g.next[head];
        let s = first;
        while (s !== head) {
            const o = g.objs[s]!;
            if (!(o.flags & ObjFlag.Finalized || !heap.hooks.hasFinalizer(o))) break;
            s = g.next[s];
        }
        if (s !== first) g.spliceToEnd(first, g.prev[s], seen.head);
        if (s === head) break;
        const o = g.objs[s]!;
        const gen = o.gen;
        g.unlink(s);
        seen.append(o);
        o.gen = gen;
        if (!(o.flags & ObjFlag.Finalized) && heap.hooks.hasFinalizer(o)) {
            o.flags |= ObjFlag.Finalized;
            heap.incref(o);
            heap.hooks.runFinalizer(o);
            heap.decref(o);
        }
    }
    collectable.merge(seen);
    seen.dispose();
    return -1;
}

/** delete_garbage: tp_clear in list order; survivors move to the old generation. */
function deleteGarbage(it: Interpreter, collectable: GcList, old: GcList, oldGen: number): void {
    const heap = it.heap;
    const g = heap.gc;
    const st = gcState(it);
    const was = heap.clearingGarbage;
    heap.clearingGarbage = true;
    try {
        while (!collectable.isEmpty()) {
            // (A slot stands for one object until the collection ends: slots of objects freed
            // meanwhile are not reused before, see GcHeads.release.)
            const s = g.next[collectable.head];
            const o = g.objs[s]!;
            if (st.debug & DEBUG_SAVEALL) {
                const pos = it.position();
                it.log.push(EventKind.Revived, pos.step, pos.line, pos.col, o.id, 1, null);
                appendGarbage(it, o);
            } else {
                heap.incref(o);
                o.clear(heap);
                heap.decref(o);
            }
            if (g.next[collectable.head] === s) {
                g.collecting[s] = 0;
                moveTo(o, old, oldGen);
            }
        }
    } finally {
        heap.clearingGarbage = was;
    }
}

// ------------------------------------------------------------------------------------------------
// automatic collections

/** gc_select_generation / collect_generations: the oldest generation over its threshold. */
export function selectGeneration(it: Interpreter): number {
    const heap = it.heap;
    const st = gcState(it);
    for (let i = 2; i >= 0; i--) {
        if (heap.counts[i] > heap.thresholds[i]) {
            if (i === 2 && st.longLivedPending < st.longLivedTotal / 4) continue;
            return i;
        }
    }
    return -1;
}

/** collect_generations: called when the gen0 count crosses its threshold (or at the eval breaker in 3.12+). */
export function collectGenerations(it: Interpreter): void {
    const heap = it.heap;
    if (heap.collecting || !heap.enabled) return;
    const g = selectGeneration(it);
    if (g < 0) return;
    collectGeneration(it, g, 'automatic');
}

/**
 * _PyGC_Fini: Py_CLEAR(gc.garbage), Py_CLEAR(gc.callbacks). The gc module's dict was wiped
 * before, so these are normally the last references: list_dealloc releases the items.
 * No collection runs after this.
 */
export function gcFini(it: Interpreter): void {
    const st = gcState(it);
    it.decref(st.garbage);
    it.decref(st.callbacks);
}

// ------------------------------------------------------------------------------------------------
// gc module helpers

/** gc.freeze(): every generation moves into the permanent generation (logged per object: never collected from now on). */
export function freeze(it: Interpreter): void {
    const heap = it.heap;
    const pos = it.position();
    for (let i = 0; i < 3; i++) for (const o of heap.gens[i].toArray()) it.log.push(EventKind.Freeze, pos.step, pos.line, pos.col, o.id, 0, null);
    for (let i = 0; i < 3; i++) {
        relabel(heap.gens[i], GEN_PERMANENT);
        heap.permanent.merge(heap.gens[i]);
        heap.counts[i] = 0;
    }
}

/** gc.unfreeze(): the permanent generation goes back to the oldest one. */
export function unfreeze(it: Interpreter): void {
    const heap = it.heap;
    const pos = it.position();
    for (const o of heap.permanent.toArray()) it.log.push(EventKind.Unfreeze, pos.step, pos.line, pos.col, o.id, 0, null);
    relabel(heap.permanent, 2);
    heap.gens[2].merge(heap.permanent);
}

/** Objects tracked by the collector, in list order (gc.get_objects). */
export function trackedObjects(it: Interpreter, generation: number | null): PyObject[] {
    const heap = it.heap;
    if (generation !== null) return heap.gens[generation].toArray();
    return [...heap.gens[0].toArray(), ...heap.gens[1].toArray(), ...heap.gens[2].toArray()];
}

/** Start-up: the generation counts CPython has at the first statement, and where start-up objects sit. */
export function applyStartupLayout(it: Interpreter): void {
    const heap = it.heap;
    const main = it.mainModule;
    gcState(it);
    // interp->sysdict and interp->builtins: the interpreter's own references to these two dicts.
    heap.incref(it.sysModule.dict);
    heap.incref(it.builtinsDict);
    // Everything the start-up created sits in gen1, except __main__'s module and dict (created late).
    const young = heap.gens[0];
    const g = heap.gc;
    let s = g.next[young.head];
    while (s !== young.head) {
        const after = g.next[s];
        const o = g.objs[s]!;
        if (o !== main && o !== main.dict) moveTo(o, heap.gens[1], 1);
        s = after;
    }
    const st = gcState(it);
    st.longLivedTotal = 0;
    const c = it.profile.startupGcCounts;
    heap.counts[0] = c[0];
    heap.counts[1] = c[1];
    heap.counts[2] = c[2];
}

/**
 * Collections of generation 0 that compiling `__main__` started (its allocations passed the
 * threshold, interp/compilerKeys.ts): each merges the young objects into generation 1 and counts
 * one collection of it (collect(0)); start-up leaves no garbage for them to find.
 */
export function compileCollections(it: Interpreter, n: number): void {
    const heap = it.heap;
    const young = heap.gens[0];
    const g = heap.gc;
    let s = g.next[young.head];
    while (s !== young.head) {
        const after = g.next[s];
        moveTo(g.objs[s]!, heap.gens[1], 1);
        s = after;
    }
    heap.counts[1] += n;
}

/**
 * Allocations a module import makes that the engine does not model as objects (measured per
 * version), and the state its churn leaves the free lists in (measured after the imports that run
 * Python code: weakref, os). `globals`: the new module's dict, which the functions of a class the
 * import leaves as garbage refer to (the imports without such garbage need none).
 */
export function chargeImport(it: Interpreter, name: string, globals: PyDict | null = null, listsBefore: FreeListState | null = null): void {
    const costs = it.profile.importAllocations;
    const charged = (it.moduleState.get('gc.importsCharged') as Set<string> | undefined) ?? new Set<string>();
    it.moduleState.set('gc.importsCharged', charged);
    const entry = costs[name];
    if (!entry) return;
    // An import that churns through many objects (its free-list state afterwards was measured)
    // first draws on what compiling __main__ left in the free lists beyond a program without
    // blocks: as many fewer fresh allocations (interp/compile.ts).
    const fl0 = it.heap.freeLists;
    const seq0 = (it.moduleState.get('gc.freeListImports') as string[] | undefined) ?? [];
    const fp = it.profile.freeLists;
    const standalone = fp.standaloneWalks?.[name];
    const walk = fl0 && !charged.has(name) ? (fp.walks?.[[...seq0, name].join('+')] ?? standalone) : undefined;
    const extras = fl0 && !walk && entry.absorbs && !charged.has(name) ? absorbFreeLists(fl0, it.profile.freeLists.afterImports[seq0.join('+')] ?? it.profile.freeLists.initial, entry.absorbs) : null;
    // A measured walk (runtime/freelists.ts FreeListWalk) leaves the lists as the import does from
    // their state before it (`listsBefore`: before the module object was made, which the walk
    // includes): `spare` is what they supply beyond the state `allocs` was measured from.
    const walkFrom = walk ? { start: listsBefore ?? fl0!.state(), ref: walk === standalone ? fp.initial : walkStart(it, seq0) } : null;
    let spare = walkFrom ? -fl0!.walk(walk!, walkFrom.ref) : extras ? extras.taken : it.heap.freeLists && it.profile.freeLists.afterImports[name] && !charged.has(name) ? takeCompileSpare(it) : 0;
    const allocate = (n: number): void => {
        const fromSpare = Math.min(spare, n);
        spare -= fromSpare;
        n -= fromSpare;
        for (let i = 0; i < n; i++) {
            it.heap.countAllocation();
            if (it.gcPending) it.evalBreaker();
        }
    };
    if (charged.has(name)) return;
    charged.add(name);
    // (Fewer free objects than the measured start: that many more fresh allocations, first.)
    if (spare < 0) {
        const more = -spare;
        spare = 0;
        allocate(more);
    }
    const g = entry.garbage;
    let own = walk?.allocs ?? entry.allocs;
    if (g) {
        if (!globals) throw new Error(`internal: chargeImport('${name}') needs the module's dict`);
        const before = ((it.moduleState.get('gc.freeListImports') as string[] | undefined) ?? []).join('+');
        const at = g.at[before] ?? g.at[''];
        allocate(at);
        dropInternalClass(it, g.module, g.name, g.methods, globals, () => allocate(g.aliveFor));
        own -= at + g.aliveFor;
    }
    for (const dep of entry.deps ?? []) {
        if (charged.has(dep)) continue;
        charged.add(dep);
        allocate(costs[dep]?.allocs ?? 0);
    }
    allocate(own);
    // (What the module keeps is part of a measured walk.)
    for (let i = 0; i < (walk ? 0 : (entry.keeps?.dict ?? 0)); i++) it.heap.allocInternal(FreeKind.Dict);
    for (let i = 0; i < (walk ? 0 : (entry.keeps?.list ?? 0)); i++) it.heap.allocInternal(FreeKind.List);
    const fl = it.heap.freeLists;
    const after = it.profile.freeLists.afterImports;
    if (walkFrom) {
        // (Set at the end: what the charges above allocated is part of the measured walk.)
        fl!.set(walkFrom.start);
        fl!.walk(walk!, walkFrom.ref);
        if (walk !== standalone) it.moduleState.set('gc.freeListImports', [...seq0, name]);
    } else if (fl && after[name]) {
        // (The imports that churn: their sequence so far picks the measured state.)
        const seq = (it.moduleState.get('gc.freeListImports') as string[] | undefined) ?? [];
        const key = [...seq, name].join('+');
        fl.set(after[key] ?? after[name]);
        if (name !== '__future__') it.moduleState.set('gc.freeListImports', [...seq, name]);
        // What the import did not take of the extras is still free after it.
        if (extras) for (const [k, n] of extras.left) fl.setOccupancy(k, fl.occupancy(k) + n);
    }
}

/**
 * The free-list state an import's count (ImportCost.allocs) was measured from: start-up's, walked
 * through the churning imports before it (FreeListProfile.walks).
 */
function walkStart(it: Interpreter, seq: readonly string[]): FreeListState {
    const p = it.profile.freeLists;
    const fl = new FreeLists(p, () => FreeKind.None, () => null);
    for (let i = 0; i < seq.length; i++) {
        const w = p.walks?.[seq.slice(0, i + 1).join('+')];
        if (w) fl.walk(w, p.initial);
    }
    return fl.state();
}

/**
 * ImportCost.absorbs: the free objects beyond the state the import was measured from (`ref`) that
 * its churn takes, kind by kind; they leave the lists now (the import's own after-state, when
 * measured, replaces the rest and `left` is added back to it).
 */
function absorbFreeLists(fl: FreeLists, ref: FreeListState, absorbs: FreeListState): { taken: number; left: [FreeKind, number][] } {
    const kinds: [FreeKind, number, number][] = [
        [FreeKind.List, ref.list, absorbs.list],
        [FreeKind.Dict, ref.dict, absorbs.dict],
    ];
    for (let n = 1; n < TUPLE_SIZES; n++) kinds.push([FreeLists.tupleKind(n), ref.tuple[n - 1] ?? 0, absorbs.tuple[n - 1] ?? 0]);
    let taken = 0;
    const left: [FreeKind, number][] = [];
    for (const [k, r, a] of kinds) {
        const extra = fl.occupancy(k) - r;
        if (extra <= 0) continue;
        const t = Math.min(extra, a);
        taken += t;
        fl.setOccupancy(k, fl.occupancy(k) - t);
        if (extra > t) left.push([k, extra - t]);
    }
    return { taken, left };
}
