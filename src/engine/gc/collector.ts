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
import { GcList, unlink } from '../runtime/heap';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { EventKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { PyRaise } from '../interp/signals';
import { writeUnraisable } from '../interp/traceback';
import { handleWeakrefs, PyWeakref } from './weakrefs';

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
}

const STATES = new WeakMap<Interpreter, GcState>();

export function gcState(it: Interpreter): GcState {
    let s = STATES.get(it);
    if (!s) {
        s = { garbage: it.list([]), callbacks: it.list([]), debug: 0, longLivedPending: 0, longLivedTotal: 0, collections: 0 };
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
    unlink(o);
    list.append(o);
    o.gen = gen;
}

// ------------------------------------------------------------------------------------------------
// reachability
//
// The passes below follow the GC list once (update/subtract refs) and record its order in an
// array; move_unreachable then walks that array and relinks the lists once at the end. Following
// `gcNext` is a chain of dependent loads, and a long-lived heap's objects are scattered in V8's
// memory: on a 300,000-object list each hop is a cache (and TLB) miss that nothing can overlap,
// while the same objects read from an array are independent loads the CPU overlaps. The lists end
// in exactly the order the one-move-at-a-time algorithm gives (see moveUnreachable).

/**
 * A scratch array that keeps its capacity between collections: growing a 300,000-slot array
 * from empty on every full collection allocated (and copied) megabytes each time. `reset` nulls
 * the used slots so that freed objects are not kept alive in the JS heap.
 */
class ObjStack {
    items: (PyObject | null)[] = [];
    n = 0;
    push(o: PyObject): void {
        if (this.n < this.items.length) this.items[this.n] = o;
        else this.items.push(o);
        this.n++;
    }
    at(i: number): PyObject {
        return this.items[i]!;
    }
    reset(): void {
        this.items.fill(null, 0, this.n);
        this.n = 0;
    }
}

/** Scratch arrays of the collection in progress (collections never nest: `heap.collecting`). */
const walkOrder = new ObjStack();
const markedScratch = new ObjStack();
const survivorScratch = new ObjStack();

/**
 * What the first move_unreachable of a collection leaves for the later phases (collectMain resets
 * it): `members`, the unreachable list's members in list order; `weak`, those of them that are
 * weakrefs or have weakrefs (the only ones handle_weakrefs does anything with); `fin`, those with
 * a finalizer still to run (finalize_garbage's work), or null when not asked for.
 */
interface Snapshot {
    members: ObjStack;
    weak: PyObject[];
    fin: PyObject[] | null;
}
const snapshot: Snapshot = { members: new ObjStack(), weak: [], fin: null };

function resetSnapshot(): void {
    snapshot.members.reset();
    snapshot.weak.length = 0;
    snapshot.fin = null;
}

/**
 * update_refs + subtract_refs in a single walk, for a full collection while nothing is frozen:
 * every tracked object is then in `young`, so whether a child takes part is just whether it is
 * tracked, and a child the walk has not reached yet gets its gc_refs (= refcount) when first
 * seen. One pass less over the whole heap than the two below. (No object carries the COLLECTING
 * flag between collections.) Appends `young`'s members, in list order, to `order`.
 */
function updateAndSubtractRefsFull(young: GcList, order: ObjStack): void {
    const visit = (child: PyObject): void => {
        if (child.gen === GEN_UNTRACKED) return;
        if (!(child.flags & ObjFlag.Collecting)) {
            child.gcRefs = child.rc;
            child.flags |= ObjFlag.Collecting;
        }
        child.gcRefs--;
    };
    for (let o = young.head.gcNext!; o !== young.head; o = o.gcNext!) {
        order.push(o);
        if (!(o.flags & ObjFlag.Collecting)) {
            o.gcRefs = o.rc;
            o.flags |= ObjFlag.Collecting;
        }
        o.traverse(visit, true);
    }
}

/**
 * update_refs + subtract_refs: gc_refs = refcount minus references from inside `young`.
 * Appends `young`'s members, in list order, to `order`.
 */
function updateAndSubtractRefs(young: GcList, order: ObjStack): void {
    for (let o = young.head.gcNext!; o !== young.head; o = o.gcNext!) {
        order.push(o);
        o.gcRefs = o.rc;
        o.flags |= ObjFlag.Collecting;
    }
    const visit = (child: PyObject): void => {
        if (child.flags & ObjFlag.Collecting) child.gcRefs--;
    };
    for (let i = 0; i < order.n; i++) order.at(i).traverse(visit, true);
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

/** Links `items` (in order) as the whole content of `list`. */
function relinkAll(list: GcList, items: ObjStack): void {
    const head = list.head;
    let prev = head;
    for (let i = 0; i < items.n; i++) {
        const o = items.at(i);
        prev.gcNext = o;
        o.gcPrev = prev;
        prev = o;
    }
    prev.gcNext = head;
    head.gcPrev = prev;
}

/**
 * move_unreachable: survivors stay (rescued ones go to the tail); the rest end in `unreachable`.
 * Returns how many survivors are still tracked (gc_list_size of `young` afterwards). `order` holds
 * `young`'s members in list order (from the update/subtract pass); `dicts`, when given, receives
 * the survivors that are exact dicts, in list order (for untrack_dicts, see collectMain).
 *
 * CPython moves each zero-gc_refs object to `unreachable` at once and moves it back to the tail of
 * `young` if something reachable turns out to reference it. Here such an object is only marked
 * where it stays linked and is remembered; a rescue appends it to the walk (the tail). Once the
 * walk is over, `young` must be the survivors in walk order (the unmarked ones in list order,
 * then the rescued ones in rescue order) and `unreachable` the marked objects never rescued, in
 * the order they were marked: exactly CPython's lists. When few objects were marked they are
 * moved one by one; when many were (a linked list: every node but the head looks unreachable
 * until its predecessor is rescued) both lists are relinked from the arrays in one pass instead.
 */
function moveUnreachable(it: Interpreter, young: GcList, unreachable: GcList, order: ObjStack, gen: number, untrack: Untrack, dicts: PyDict[] | null, snap: Snapshot | null = null): number {
    const marked = markedScratch;
    const survivors = survivorScratch;
    let rescued = 0;
    const visitReachable = (child: PyObject): void => {
        if (!(child.flags & ObjFlag.Collecting)) return;
        if (child.gcRefs === IN_UNREACHABLE) {
            // Rescued: it goes to the tail of young, where the walk reaches it again.
            order.push(child);
            child.gen = gen;
            child.gcRefs = 1;
            rescued++;
        } else if (child.gcRefs === 0) {
            child.gcRefs = 1;
        }
    };
    const dictType = it.T.dict;
    const listed = order.n;
    try {
        for (let i = 0; i < order.n; i++) {
            const o = order.at(i);
            if (o.gcRefs > 0) {
                o.traverse(visitReachable, true);
                o.flags &= ~ObjFlag.Collecting;
                if (untrack !== Untrack.None) {
                    // (`o` is still linked where it was: marking and rescuing do not move anything.)
                    if (o instanceof PyTuple) {
                        if (tupleMayUntrack(o)) it.heap.untrack(o);
                    } else if (untrack === Untrack.TuplesAndDicts && o instanceof PyDict && o.type === dictType) {
                        if (dictMayUntrack(o)) it.heap.untrack(o);
                    }
                }
                if (o.gen !== GEN_UNTRACKED) {
                    survivors.push(o);
                    if (dicts !== null && o instanceof PyDict && o.type === dictType) dicts.push(o);
                }
            } else {
                o.gcRefs = IN_UNREACHABLE;
                marked.push(o);
            }
        }
        // `young` still holds everything it held except what was untracked on the way, in list
        // order; `unreachable` is empty (a fresh list in every caller).
        if (marked.n - rescued > survivors.n) {
            // Mostly garbage (a collection at shutdown): take the survivors out; what stays
            // linked is then exactly the unreachable set in list order, which is marking order.
            for (let i = 0; i < survivors.n; i++) unlink(survivors.at(i));
            unreachable.merge(young);
            for (let i = 0; i < survivors.n; i++) young.append(survivors.at(i));
            for (let i = 0; i < marked.n; i++) {
                const u = marked.at(i);
                // clear_unreachable_mask: members keep the COLLECTING flag, lose the "unreachable" mark.
                if (u.gcRefs === IN_UNREACHABLE) {
                    u.gcRefs = 0;
                    if (snap !== null) snapMember(it, snap, u);
                }
            }
            return survivors.n;
        }
        if (marked.n * 2 <= survivors.n) {
            for (let i = 0; i < marked.n; i++) {
                const u = marked.at(i);
                if (u.gen !== GEN_UNTRACKED) unlink(u); // (a rescued tuple may have been untracked)
            }
            for (let i = listed; i < order.n; i++) {
                const o = order.at(i);
                if (o.gen !== GEN_UNTRACKED) young.append(o);
            }
        } else {
            relinkAll(young, survivors);
        }
        if (rescued === marked.n) {
            unreachable.head.gcNext = unreachable.head.gcPrev = unreachable.head;
        } else {
            let n = 0;
            for (let i = 0; i < marked.n; i++) {
                const u = marked.at(i);
                if (u.gcRefs !== IN_UNREACHABLE) continue; // rescued
                // clear_unreachable_mask: members keep the COLLECTING flag, lose the "unreachable" mark.
                u.gcRefs = 0;
                marked.items[n++] = u;
                if (snap !== null) snapMember(it, snap, u);
            }
            marked.items.fill(null, n, marked.n);
            marked.n = n;
            relinkAll(unreachable, marked);
        }
        return survivors.n;
    } finally {
        order.reset();
        marked.reset();
        survivors.reset();
    }
}

/**
 * Records an unreachable object (they come in list order) in the snapshot. Reading its weakrefs
 * and finalizer here costs nothing more: clear_unreachable_mask has just written to it.
 */
function snapMember(it: Interpreter, snap: Snapshot, u: PyObject): void {
    snap.members.push(u);
    if (u.weakrefs !== null || u instanceof PyWeakref) snap.weak.push(u);
    if (snap.fin !== null && !(u.flags & ObjFlag.Finalized) && it.heap.hooks.hasFinalizer(u)) snap.fin.push(u);
}

/**
 * deduce_unreachable; returns the number of survivors left tracked in `young`. `wholeHeap`: young
 * holds every tracked object (a full collection, nothing frozen). `snap`: filled with what the
 * unreachable list holds (see Snapshot).
 */
function deduceUnreachable(it: Interpreter, young: GcList, unreachable: GcList, gen: number, untrack: Untrack, wholeHeap = false, dicts: PyDict[] | null = null, snap: Snapshot | null = null): number {
    const order = walkOrder;
    if (wholeHeap) updateAndSubtractRefsFull(young, order);
    else updateAndSubtractRefs(young, order);
    return moveUnreachable(it, young, unreachable, order, gen, untrack, dicts, snap);
}

/**
 * handle_resurrected_objects (3.9+) after finalizers ran: gc_refs of the garbage recomputed, and
 * what a finalizer made reachable again moves back to `unreachable`'s survivors (the caller moves
 * them to the old generation); the rest goes to `still`. Returns how many objects are in `still`.
 *
 * The same as clearing the members' COLLECTING flag, deduce_unreachable(unreachable, still) and
 * clearing it again, in fewer passes over the (at shutdown, very long) garbage list:
 *   - clearing the flag before deduce_unreachable is a no-op: update_refs sets it again on
 *     exactly the same objects (the list's members) and touches nothing else;
 *   - every member's gc_refs is 0 here (clear_unreachable_mask left them so and nothing but the
 *     collector writes gc_refs), so update_refs (gc_refs = refcount) and subtract_refs can run
 *     in the same walk as `gc_refs += refcount`: the result is the same whatever the order of
 *     the decrements (objects that are not members are only decremented, as before);
 *   - when every member ends with gc_refs 0, move_unreachable would mark them all (nothing to
 *     traverse, nothing rescued), leave them in list order in `still` with gc_refs 0 and the
 *     COLLECTING flag, and `unreachable` empty: done here as one merge. Otherwise the general
 *     move_unreachable runs on the walk order collected here;
 *   - clearing the flag afterwards is a no-op: move_unreachable clears it on every survivor, and
 *     survivors are all `unreachable` holds.
 */
function handleResurrected(it: Interpreter, unreachable: GcList, still: GcList, gen: number): number {
    const order = walkOrder;
    const visit = (child: PyObject): void => {
        if (child.flags & ObjFlag.Collecting) child.gcRefs--;
    };
    for (let o = unreachable.head.gcNext!; o !== unreachable.head; o = o.gcNext!) {
        order.push(o);
        o.gcRefs += o.rc;
        o.flags |= ObjFlag.Collecting;
        o.traverse(visit, true);
    }
    const n = order.n;
    let reachable = false;
    for (let i = 0; i < n; i++) {
        if (order.at(i).gcRefs !== 0) {
            reachable = true;
            break;
        }
    }
    if (!reachable) {
        order.reset();
        still.merge(unreachable);
        return n;
    }
    const survivors = moveUnreachable(it, unreachable, still, order, gen, Untrack.None, null);
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
    if (d.embeddedIn) return false;
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

    const unreachable = new GcList(new PyObject(it.T.object));
    // Survivors' tuples are untracked on the way (2.7: dicts too, as its move_unreachable does).
    const wholeHeap = generation === 2 && heap.permanent.isEmpty();
    const dicts: PyDict[] | null = young === old && p.major === 3 ? [] : null;
    const snap = snapshot;
    snap.fin = p.finalizeOnce ? [] : null;
    let survivors = deduceUnreachable(it, young, unreachable, generation, p.major === 2 ? Untrack.TuplesAndDicts : Untrack.Tuples, wholeHeap, dicts, snap);
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
    const finalizers = new GcList(new PyObject(it.T.object));
    // How many of `unreachable`'s members moved to `finalizers` (all of them carried the
    // COLLECTING flag, which only `unreachable`'s members still do here).
    let moved = 0;
    if (p.legacyDelCyclesUncollectable) {
        let o = unreachable.head.gcNext!;
        while (o !== unreachable.head) {
            const next = o.gcNext!;
            if (heap.hooks.hasFinalizer(o)) {
                o.flags &= ~ObjFlag.Collecting;
                moveTo(o, finalizers, generation);
                moved++;
            }
            o = next;
        }
        const visitMove = (child: PyObject): void => {
            if (child.flags & ObjFlag.Collecting) {
                child.flags &= ~ObjFlag.Collecting;
                moveTo(child, finalizers, generation);
                moved++;
            }
        };
        for (let f = finalizers.head.gcNext!; f !== finalizers.head; f = f.gcNext!) f.traverse(visitMove, true);
    }

    let m = 0;
    // gc_list_size(unreachable) without walking it: the snapshot recorded every member
    // move_unreachable left in it, and since then only the legacy-finalizer pass above took any
    // out (no Python code has run and nothing was freed: hasFinalizer only looks at the type).
    if (!p.finalizeOnce) m += snap.members.n - moved;

    // handle_weakrefs: before any finalizer. Python code run from here on (weakref callbacks,
    // finalizers) and any deallocation leave events in the log.
    const logMark = it.log.length;
    // The snapshot's weakref candidates are `unreachable`'s members (those still carrying the
    // COLLECTING flag: 2.7's legacy finalizers took theirs off) with anything to clear.
    m += handleWeakrefs(it, unreachable, old, oldGen, snap.weak);

    let toDelete = unreachable;
    let keepAll = false;
    if (p.finalizeOnce) {
        // Nothing has happened since the snapshot when the log did not move (no weakref callback
        // ran, nothing was freed): `unreachable` is still exactly its members, in order, and no
        // Python code can have changed which of them have a finalizer to run.
        const unchanged = it.log.length === logMark && finalizers.isEmpty() && snap.fin !== null;
        const size = unchanged ? finalizeGarbage(it, unreachable, snap.fin, snap.members.n) : finalizeGarbage(it, unreachable, null, 0); // -1: finalizers ran
        if (p.handlesResurrection && it.log.length === logMark) {
            // No callback or finalizer ran and nothing was freed: no reference count changed, so
            // handle_resurrected_objects would find every object unreachable again, in list order.
            m += size >= 0 ? size : unreachable.size();
        } else if (p.handlesResurrection) {
            // handle_resurrected_objects: what a finalizer made reachable again survives.
            const still = new GcList(new PyObject(it.T.object));
            const n = handleResurrected(it, unreachable, still, generation);
            relabel(unreachable, oldGen);
            old.merge(unreachable);
            toDelete = still;
            m += n;
        } else if (anyResurrected(unreachable)) {
            // 3.7/3.8 check_garbage: keep the whole set (revive_garbage), count nothing.
            keepAll = true;
            for (let u = unreachable.head.gcNext!; u !== unreachable.head; u = u.gcNext!) u.flags &= ~ObjFlag.Collecting;
            relabel(unreachable, oldGen);
            old.merge(unreachable);
        } else {
            m += unreachable.size();
        }
    }
    if (!keepAll) deleteGarbage(it, toDelete, old, oldGen);

    // Uncollectable: legacy finalizers go to gc.garbage.
    let n = 0;
    for (let f = finalizers.head.gcNext!; f !== finalizers.head; f = f.gcNext!) {
        n++;
        it.log.push(EventKind.Uncollectable, pos.step, pos.line, pos.col, f.id, 1, null);
    }
    {
        const items = finalizers.toArray();
        for (const o of items) {
            if (st.debug & DEBUG_SAVEALL || heap.hooks.hasFinalizer(o)) appendGarbage(it, o);
        }
        relabel(finalizers, oldGen);
        old.merge(finalizers);
    }
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

/** check_garbage (3.8): does anything in the garbage have references from outside it now? */
function anyResurrected(list: GcList): boolean {
    for (let o = list.head.gcNext!; o !== list.head; o = o.gcNext!) o.gcRefs = o.rc;
    const visit = (child: PyObject): void => {
        if (child.flags & ObjFlag.Collecting) child.gcRefs--;
    };
    for (let o = list.head.gcNext!; o !== list.head; o = o.gcNext!) o.traverse(visit, true);
    for (let o = list.head.gcNext!; o !== list.head; o = o.gcNext!) if (o.gcRefs !== 0) return true;
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
    const head = collectable.head;
    let found: PyObject;
    if (toFinalize !== null) {
        if (toFinalize.length === 0) return count;
        found = toFinalize[0];
    } else {
        // Nothing to finalize (the usual case): the pass below would leave the list as it is, so
        // only look, and count the list on the way (the caller needs its size).
        let size = 0;
        let o = head.gcNext!;
        for (; o !== head; o = o.gcNext!) {
            if (!(o.flags & ObjFlag.Finalized) && heap.hooks.hasFinalizer(o)) break;
            size++;
        }
        if (o === head) return size;
        found = o;
    }
    const seen = new GcList(new PyObject(it.T.object));
    // Everything before `found` has nothing to finalize and no Python code has run since that was
    // checked: the loop below would move it to `seen` as one run, which this does without
    // checking it again.
    if (found !== head.gcNext) spliceToEnd(head.gcNext!, found.gcPrev!, seen);
    while (!collectable.isEmpty()) {
        // The run of objects with nothing to finalize moves to `seen` in one splice: no Python
        // code runs between them, so checking them one at a time as they reach the front would
        // find the same, and a long list of garbage costs no per-object unlink/append.
        const first = head.gcNext!;
        let o = first;
        while (o !== head && (o.flags & ObjFlag.Finalized || !heap.hooks.hasFinalizer(o))) o = o.gcNext!;
        if (o !== first) spliceToEnd(first, o.gcPrev!, seen);
        if (o === head) break;
        const gen = o.gen;
        unlink(o);
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
    return -1;
}

/** Moves the linked run `first`…`last` (in that order) to the end of `to`. */
function spliceToEnd(first: PyObject, last: PyObject, to: GcList): void {
    const before = first.gcPrev!;
    const after = last.gcNext!;
    before.gcNext = after;
    after.gcPrev = before;
    const tail = to.head.gcPrev!;
    tail.gcNext = first;
    first.gcPrev = tail;
    last.gcNext = to.head;
    to.head.gcPrev = last;
}

/** delete_garbage: tp_clear in list order; survivors move to the old generation. */
function deleteGarbage(it: Interpreter, collectable: GcList, old: GcList, oldGen: number): void {
    const heap = it.heap;
    const st = gcState(it);
    const was = heap.clearingGarbage;
    heap.clearingGarbage = true;
    try {
        while (!collectable.isEmpty()) {
            const o = collectable.head.gcNext!;
            if (st.debug & DEBUG_SAVEALL) {
                appendGarbage(it, o);
            } else {
                heap.incref(o);
                o.clear(heap);
                heap.decref(o);
            }
            if (collectable.head.gcNext === o) {
                o.flags &= ~ObjFlag.Collecting;
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

// ------------------------------------------------------------------------------------------------
// gc module helpers

/** gc.freeze(): every generation moves into the permanent generation. */
export function freeze(it: Interpreter): void {
    const heap = it.heap;
    for (let i = 0; i < 3; i++) {
        relabel(heap.gens[i], GEN_PERMANENT);
        heap.permanent.merge(heap.gens[i]);
        heap.counts[i] = 0;
    }
}

/** gc.unfreeze(): the permanent generation goes back to the oldest one. */
export function unfreeze(it: Interpreter): void {
    const heap = it.heap;
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
    let o = young.head.gcNext!;
    while (o !== young.head) {
        const next = o.gcNext!;
        if (o !== main && o !== main.dict) moveTo(o, heap.gens[1], 1);
        o = next;
    }
    const st = gcState(it);
    st.longLivedTotal = 0;
    const c = it.profile.startupGcCounts;
    heap.counts[0] = c[0];
    heap.counts[1] = c[1];
    heap.counts[2] = c[2];
}

/** Allocations a module import makes that the engine does not model as objects (measured per version). */
export function chargeImport(it: Interpreter, name: string): void {
    const costs = it.profile.importAllocations;
    const charged = (it.moduleState.get('gc.importsCharged') as Set<string> | undefined) ?? new Set<string>();
    it.moduleState.set('gc.importsCharged', charged);
    const entry = costs[name];
    if (!entry) return;
    const units = [...(entry.deps ?? []), name];
    for (const u of units) {
        if (charged.has(u)) continue;
        charged.add(u);
        const n = u === name ? entry.allocs : (costs[u]?.allocs ?? 0);
        for (let i = 0; i < n; i++) {
            it.heap.countAllocation();
            if (it.gcPending) it.evalBreaker();
        }
    }
}
