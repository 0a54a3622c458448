/*
 * heap.ts
 *
 * Reference counting and deallocation, as CPython does them:
 *   - Py_DECREF reaching zero calls the type's dealloc at once;
 *   - subtype_dealloc runs the finalizer first (PEP 442, once), lets a resurrected object live,
 *     clears weak references (3.x after `__del__`, 2.7 before), then releases what it holds;
 *   - the trashcan (Py_TRASHCAN_BEGIN) defers deallocations nested too deep to a LIFO "delete
 *     later" list, which is what bounds C recursion, and our JS recursion, on long chains (and
 *     `__del__` chains); how deep is too deep is the profile's `trashcan` (a nesting counter up to
 *     3.12, the C recursion budget in 3.13);
 *   - deallocations nested deeper than DEEP_DEALLOC (3.13's trashcan lets ~9,950 nest) run on an
 *     explicit stack instead of the JS one: a dealloc's releases are queued while its
 *     releaseChildren runs, then taken in order, each child's whole dealloc (its own queue) before
 *     the next release, and the rest of the dealloc (free lists, counts, the trashcan's END) when
 *     its queue is empty: the order of every step is the recursive one;
 *   - GC-capable allocations and deallocations move `generations[0].count`, which triggers
 *     automatic collections.
 * The heap also owns the GC generation lists (collector.ts walks them) and writes the event log.
 */

import { EventKind, EventLog, DeathCause } from '../events';
import type { Profile } from '../profiles';
import { PyObject, ObjFlag, GEN_UNTRACKED, type Refs } from './object';
import { GcHeads, GcList } from './gcHeads';
import { FreeKind, type FreeLists } from './freelists';

/** What the heap needs from the interpreter while deallocating. */
export interface HeapHooks {
    /** Does `o`'s type define a finalizer (`__del__`, a generator's tp_finalize / tp_del)? */
    hasFinalizer(o: PyObject): boolean;
    /** 2.7 gcmodule has_finalizer: does `o` make its cycle uncollectable (gc.garbage)? */
    hasLegacyFinalizer(o: PyObject): boolean;
    /** Calls `o.__del__()` (errors are reported as unraisable); `o` is kept alive by the caller. */
    runFinalizer(o: PyObject): void;
    /** Clears weak references to a dying object and calls their callbacks (PyObject_ClearWeakRefs). */
    clearWeakrefs(o: PyObject): void;
    /** An allocation crossed the gen0 threshold (≤3.11: collect now; 3.12+: schedule). */
    onThresholdCrossed(): void;
}

/** Where the run is (the interpreter's step, line and column): events are stamped with it. */
export interface Clock {
    readonly step: number;
    readonly line: number;
    readonly col: number;
}

export class Heap implements Refs {
    private nextId = 1;
    /** The GC headers of this heap's objects. */
    readonly gc = new GcHeads();
    readonly gens: GcList[];
    readonly permanent: GcList;
    /** generations[i].count: gen0 counts allocations minus deallocations; gen1/gen2 count collections. */
    readonly counts = [0, 0, 0];
    thresholds: [number, number, number];
    enabled = true;
    collecting = false;
    recordEdges: boolean;
    hooks!: HeapHooks;
    /** Read (not copied) for every event: allocating a position per event was measurable. */
    clock: Clock = { step: 0, line: 0, col: 0 };
    /**
     * Trashcan state: what the profile's counter has used (`nesting`: tstate->trash_delete_nesting;
     * `c-stack`: Py_C_RECURSION_LIMIT minus tstate->c_recursion_remaining, the module's own eval
     * entry included), and tstate->delete_later.
     */
    private trashUsed: number;
    /** A dealloc starting with `trashUsed` at or past this is deposited. */
    private readonly trashDepositAt: number;
    /** END destroys the chain once `trashUsed` is at or below this. */
    private readonly trashDestroyAt: number;
    /** 2.7 subtype_dealloc's bracket (profiles.ts TrashcanProfile). */
    private readonly trashSubtypeBracket: boolean;
    /** C units a finalizer's entry into the eval loop spends (0 where the counter ignores it). */
    private readonly finalizerEntryUnits: number;
    private readonly trashLater: PyObject[] = [];
    /** Recursive deallocations now on the JS stack (past DEEP_DEALLOC they go iterative). */
    private deallocDepth = 0;
    /** The iterative deallocations in progress (runFrames), innermost last. */
    private readonly deallocFrames: DeallocFrame[] = [];
    /** The frame whose releaseChildren is running: its releases are queued, not done. */
    private capture: DeallocFrame | null = null;
    /** The next deallocBody was started by runFrames: it pushes its frame and returns. */
    private pushOnly = false;

    // ---- Issue 8 hooks (null for ordinary CPython runs: one test each on their paths).
    /**
     * Tracing-GC profiles (gc/tracing.ts): a reference count reaching zero hands the object to this
     * hook, which returns true when it keeps the object as garbage pending a later collection.
     */
    deferFree: ((o: PyObject) => boolean) | null = null;
    /** Native blocks (engine/native.ts): told about every object freed while blocks are attached. */
    onFree: ((o: PyObject) => void) | null = null;
    /** Native blocks: objects registered while an annotated statement runs are collected here. */
    allocWatch: PyObject[] | null = null;
    /** CPython's free lists (runtime/freelists.ts): reuse does not move the gen0 count. */
    freeLists: FreeLists | null = null;

    constructor(
        readonly profile: Profile,
        readonly log: EventLog,
        // (Sentinels were objects once; they are GC header slots now and need none.)
        _sentinelFactory: () => PyObject,
        recordEdges: boolean,
    ) {
        this.gens = [new GcList(this.gc), new GcList(this.gc), new GcList(this.gc)];
        this.permanent = new GcList(this.gc);
        this.thresholds = [...profile.thresholds];
        this.recordEdges = recordEdges;
        const t = profile.trashcan;
        if (t.counter === 'nesting') {
            this.trashUsed = 0;
            this.trashDepositAt = t.unwindLevel;
            this.trashDestroyAt = 0;
            this.trashSubtypeBracket = t.subtypeBracket;
            this.finalizerEntryUnits = 0;
        } else {
            this.trashUsed = t.evalEntryUnits;
            this.trashDepositAt = t.limit - t.headroom;
            this.trashDestroyAt = t.limit - 2 * t.headroom - 1;
            this.trashSubtypeBracket = false;
            this.finalizerEntryUnits = t.evalEntryUnits;
        }
    }

    newId(): number {
        return this.nextId++;
    }

    // ------------------------------------------------------------------ allocation

    /**
     * Registers a newly created object: an id, an Alloc event, and, for GC types, the gen0 count
     * (which may start a collection before the object is tracked, as gc_alloc does).
     * `track` says whether the type tracks at creation (dicts start untracked); `counted` false:
     * CPython allocated it before the start-up counts were taken (`__main__`'s frame object, ≤3.10).
     */
    register<T extends PyObject>(o: T, track = true, counted = true): T {
        o.id = this.nextId++;
        if (o.flags & ObjFlag.Atomic) return o;
        if (this.allocWatch !== null) this.allocWatch.push(o); // Issue 8 hook (native.ts)
        const pos = this.clock;
        if (!(o.flags & ObjFlag.Internal)) this.log.push(EventKind.Alloc, pos.step, pos.line, pos.col, o.id, o.type.id, o.type.name);
        if (o.isGcType()) {
            if (counted && (this.freeLists === null || !this.freeLists.take(o))) this.countAllocation();
            if (track) this.track(o);
        }
        return o;
    }

    /**
     * A GC allocation CPython makes that the engine does not keep as an object (an import's
     * objects, a class's slot-name tuple…): counted unless a free list of `kind` supplies it.
     */
    allocInternal(kind: FreeKind = FreeKind.None): void {
        if (kind === FreeKind.None || this.freeLists === null || !this.freeLists.takeKind(kind)) this.countAllocation();
    }

    /** The matching deallocation: a free list of `kind` may keep it (no decrement). */
    freeInternal(kind: FreeKind = FreeKind.None): void {
        if (this.capture !== null) return void this.capture.ops.push(QueuedOp.FreeInternal, kind, null, null);
        if (kind === FreeKind.None || this.freeLists === null || !this.freeLists.giveKind(kind)) this.countDeallocation();
    }

    /**
     * ≤3.10: the frame object a Python function of the standard library runs in, which the engine
     * models natively (`code`: that function, by identity): its zombie frame or the frame list
     * supplies it, else it is counted. `freeFrame` is the matching frame_dealloc.
     */
    allocFrame(code: object): void {
        if (this.freeLists === null || !this.freeLists.takeFrame(code)) this.countAllocation();
    }

    freeFrame(code: object): void {
        if (this.capture !== null) return void this.capture.ops.push(QueuedOp.FreeFrame, code, null, null);
        if (this.freeLists === null || !this.freeLists.giveFrame(code)) this.countDeallocation();
    }

    /** `_PyObject_GC_Link`: count a GC allocation (also used for internal allocations we do not model as objects). */
    countAllocation(): void {
        this.counts[0]++;
        if (this.counts[0] > this.thresholds[0] && this.enabled && this.thresholds[0] && !this.collecting) {
            this.hooks.onThresholdCrossed();
        }
    }

    /** `PyObject_GC_Del`: an internal GC object we do not model was freed. */
    countDeallocation(): void {
        if (this.counts[0] > 0) this.counts[0]--;
    }

    track(o: PyObject): void {
        if (o.gen !== GEN_UNTRACKED || !o.isGcType() || o.flags & ObjFlag.Freed) return;
        o.gen = 0;
        if (o.gcSlot === 0) this.gc.attach(o);
        this.gens[0].append(o);
    }

    untrack(o: PyObject): void {
        if (o.gen === GEN_UNTRACKED) return;
        this.gc.unlink(o.gcSlot);
        o.gen = GEN_UNTRACKED;
    }

    // ------------------------------------------------------------------ reference counting

    incref(o: PyObject): void {
        if (!(o.flags & ObjFlag.Atomic)) o.rc++;
    }

    decref(o: PyObject): void {
        if (o.flags & ObjFlag.Atomic) return;
        if (this.capture !== null) return void this.capture.ops.push(QueuedOp.Decref, o, null, null);
        if (--o.rc === 0) this.dealloc(o, DeathCause.Refcount);
    }

    acquire(owner: PyObject, child: PyObject, label: string): void {
        if (child.flags & ObjFlag.Atomic) return;
        child.rc++;
        if (this.recordEdges) this.edge(EventKind.RefAdd, owner, child, label);
    }

    release(owner: PyObject, child: PyObject | null, label: string): void {
        if (!child || child.flags & ObjFlag.Atomic) return;
        if (this.capture !== null) return void this.capture.ops.push(QueuedOp.Release, owner, child, label);
        if (this.recordEdges) this.edge(EventKind.RefDel, owner, child, label);
        if (--child.rc === 0) this.dealloc(child, DeathCause.Refcount);
    }

    forget(owner: PyObject, child: PyObject, label: string): void {
        if (child.flags & ObjFlag.Atomic) return;
        if (this.capture !== null) return void this.capture.ops.push(QueuedOp.Forget, owner, child, label);
        if (this.recordEdges) this.edge(EventKind.RefDel, owner, child, label);
    }

    /** Records an edge that already holds its reference (e.g. a value moved from the stack into a slot). */
    adopt(owner: PyObject, child: PyObject, label: string): void {
        if (child.flags & ObjFlag.Atomic) return;
        if (this.recordEdges) this.edge(EventKind.RefAdd, owner, child, label);
    }

    /** Edge events from a non-object owner (a frame's locals): `ownerId` is the frame's node id. */
    edgeFrom(kind: EventKind.RefAdd | EventKind.RefDel, ownerId: number, child: PyObject, label: string): void {
        if (!this.recordEdges || child.flags & ObjFlag.Atomic) return;
        const pos = this.clock;
        this.log.push(kind, pos.step, pos.line, pos.col, ownerId, child.id, label);
    }

    private edge(kind: EventKind, owner: PyObject, child: PyObject, label: string): void {
        if ((owner.flags | child.flags) & ObjFlag.Internal) return;
        const pos = this.clock;
        // Only dicts can be embedded in an instance (3.11+ values dict): test the layout first, so
        // that this read of a dict-only field does not go megamorphic over every owner's shape.
        const src = owner.type !== null && owner.type.layout === 'dict' ? ((owner as { embeddedIn?: PyObject | null }).embeddedIn ?? owner) : owner;
        this.log.push(kind, pos.step, pos.line, pos.col, src.id, child.id, label);
    }

    // ------------------------------------------------------------------ deallocation

    /** Types whose dealloc is wrapped in Py_TRASHCAN_BEGIN/END (2.7's instance_dealloc, of a classic class's instance, is not). */
    private usesTrashcan(o: PyObject): boolean {
        return o.isGcType() && !o.type.classic;
    }

    dealloc(o: PyObject, cause: DeathCause): void {
        if (o.flags & ObjFlag.Freed) return;
        // Issue 8 hook: tracing-GC profiles defer the free to a later collection (gc/tracing.ts).
        if (this.deferFree !== null && !this.clearingGarbage && cause === DeathCause.Refcount && this.deferFree(o)) return;
        this.trashcanDealloc(o, cause);
    }

    /**
     * A type's dealloc inside Py_TRASHCAN_BEGIN/END: deposited when it starts too deep, else run,
     * and on the way out the delete-later list is emptied once the stack is shallow again.
     */
    private trashcanDealloc(o: PyObject, cause: DeathCause): void {
        if (!this.usesTrashcan(o)) {
            this.deallocBody(o, cause, false, false);
            return;
        }
        // 2.7 subtype_dealloc: ++nesting; BEGIN; --nesting … ++nesting; END; --nesting.
        const bracket = this.trashSubtypeBracket && o.type.isHeap;
        if (this.trashUsed + (bracket ? 1 : 0) >= this.trashDepositAt) {
            this.pushOnly = false;
            this.untrack(o);
            o.flags |= ObjFlag.TrashDeferred;
            this.trashLater.push(o);
            return;
        }
        this.trashUsed++;
        this.deallocBody(o, cause, true, bracket);
    }

    /** Py_TRASHCAN_END (after the dealloc's last step); `driven`: met by runFrames, which takes the chain on its own stack. */
    private trashEnd(bracket: boolean, driven: boolean): void {
        this.trashUsed--;
        if (bracket || this.trashUsed > this.trashDestroyAt || !this.trashLater.length) return;
        if (driven) this.startTrashChain();
        else this.destroyTrashChain();
    }

    /**
     * _PyTrash_thread_destroy_chain: pops the delete-later list (LIFO) until it is empty, calling each
     * object's whole dealloc (its BEGIN again). The counter holds one level meanwhile: 2.7–3.12's
     * nesting, so a dealloc it runs cannot start another destroy; 3.13's C budget
     * (`c_recursion_remaining--` around the loop), so each deposited object starts one unit deeper
     * and a chain is freed in runs of 50 (49 nested, then the one that deposits the next), as
     * measured (refcount/trashcan_chain_order). 3.13's END destroys only with the headroom doubled.
     */
    private destroyTrashChain(): void {
        const base = this.deallocFrames.length;
        this.startTrashChain();
        this.runFrames(base);
    }

    private startTrashChain(): void {
        const hold = 1;
        this.trashUsed += hold;
        this.deallocFrames.push({ chain: true, hold, o: null, isGc: false, freeKind: FreeKind.None, trash: false, bracket: false, ops: [], next: 0 });
    }

    /**
     * The iterative deallocations down to `base` frames: the top frame's next queued release (a
     * child whose count reaches zero pushes its own frame), or, its queue done, the rest of its
     * dealloc; a chain frame deallocates the next deposited object until the list is empty.
     */
    private runFrames(base: number): void {
        const frames = this.deallocFrames;
        while (frames.length > base) {
            const f = frames[frames.length - 1]!;
            if (f.chain) {
                const o = this.trashLater.pop();
                if (o !== undefined) {
                    o.flags &= ~ObjFlag.TrashDeferred;
                    this.pushOnly = true;
                    this.trashcanDealloc(o, DeathCause.Refcount);
                    this.pushOnly = false;
                    continue;
                }
                frames.pop();
                this.trashUsed -= f.hold;
                continue;
            }
            const ops = f.ops;
            if (f.next < ops.length) {
                const i = f.next;
                f.next += 4;
                switch (ops[i] as QueuedOp) {
                    case QueuedOp.Release:
                    case QueuedOp.Decref: {
                        const child = ops[i + 2 - (ops[i] === QueuedOp.Decref ? 1 : 0)] as PyObject;
                        if (ops[i] === QueuedOp.Release && this.recordEdges) this.edge(EventKind.RefDel, ops[i + 1] as PyObject, child, ops[i + 3] as string);
                        if (--child.rc === 0) {
                            this.pushOnly = true;
                            this.dealloc(child, DeathCause.Refcount);
                            this.pushOnly = false;
                        }
                        break;
                    }
                    case QueuedOp.Forget:
                        this.forget(ops[i + 1] as PyObject, ops[i + 2] as PyObject, ops[i + 3] as string);
                        break;
                    case QueuedOp.FreeInternal:
                        this.freeInternal(ops[i + 1] as FreeKind);
                        break;
                    case QueuedOp.FreeFrame:
                        this.freeFrame(ops[i + 1] as object);
                        break;
                }
                continue;
            }
            frames.pop();
            this.deallocEnd(f.o!, f.isGc, f.freeKind);
            if (f.trash) this.trashEnd(f.bracket, true);
        }
    }

    /** Set by the collector while it clears garbage, so deaths are attributed to the GC. */
    clearingGarbage = false;

    /** A dealloc's body; `trash`: inside BEGIN/END (END runs after its last step). */
    private deallocBody(o: PyObject, cause: DeathCause, trash: boolean, bracket: boolean): void {
        const pushOnly = this.pushOnly;
        this.pushOnly = false;
        const isGc = o.isGcType();
        if (this.clearingGarbage) cause = DeathCause.GcClear;
        this.untrack(o);
        const hooks = this.hooks;
        if (hooks.hasFinalizer(o)) {
            const p = this.profile;
            // gen_dealloc clears weak references before finalizing, in every version.
            const weakFirst = !p.delBeforeWeakrefCallbacks || o.type.layout === 'generator';
            if (weakFirst) hooks.clearWeakrefs(o);
            if (!(p.finalizeOnce && o.flags & ObjFlag.Finalized)) {
                // PyObject_CallFinalizerFromDealloc: temporarily resurrect, finalize, see if it stays alive.
                o.rc = 1;
                this.track(o);
                // (3.13: calling `__del__` from C enters the eval loop: PY_EVAL_C_STACK_UNITS.)
                this.trashUsed += this.finalizerEntryUnits;
                hooks.runFinalizer(o);
                this.trashUsed -= this.finalizerEntryUnits;
                if (p.finalizeOnce) o.flags |= ObjFlag.Finalized;
                if (--o.rc !== 0) {
                    const pos = this.clock;
                    this.log.push(EventKind.Resurrect, pos.step, pos.line, pos.col, o.id, 0, null);
                    if (trash) this.trashEnd(bracket, pushOnly);
                    return;
                }
                this.untrack(o);
            }
            if (!weakFirst) hooks.clearWeakrefs(o);
        } else if (o.weakrefs) {
            hooks.clearWeakrefs(o);
        }
        const pos = this.clock;
        if (!(o.flags & ObjFlag.Internal)) this.log.push(EventKind.Dealloc, pos.step, pos.line, pos.col, o.id, cause, null);
        if (this.onFree !== null) this.onFree(o); // Issue 8 hook (native.ts)
        // (Its free list is known before its items go: a tuple's size, say.)
        const freeKind = isGc && this.freeLists !== null ? this.freeLists.kindOf(o) : FreeKind.None;
        if (pushOnly || this.deallocDepth >= DEEP_DEALLOC) {
            const f: DeallocFrame = { chain: false, hold: 0, o, isGc, freeKind, trash, bracket, ops: [], next: 0 };
            const outer = this.capture;
            this.capture = f;
            try {
                o.releaseChildren(this);
            } finally {
                this.capture = outer;
            }
            this.deallocFrames.push(f);
            if (!pushOnly) this.runFrames(this.deallocFrames.length - 1);
            return;
        }
        this.deallocDepth++;
        try {
            o.releaseChildren(this);
        } finally {
            this.deallocDepth--;
        }
        this.deallocEnd(o, isGc, freeKind);
        if (trash) this.trashEnd(bracket, false);
    }

    /** The dealloc's last steps, once what it held is released: the memory goes back (a free list, or the count). */
    private deallocEnd(o: PyObject, isGc: boolean, freeKind: FreeKind): void {
        o.flags |= ObjFlag.Freed;
        // Its GC header slot goes back to the pool (one still linked, which only a bug could
        // leave, keeps it, as a freed object left in a list did).
        if (o.gcSlot !== 0 && o.gen === GEN_UNTRACKED) this.gc.release(o, this.collecting);
        if (isGc && (freeKind === FreeKind.None || !this.freeLists!.give(o, freeKind))) this.countDeallocation();
    }
}

/** Nested deallocations past this many run on the heap's own stack (runFrames), not the JS one. */
const DEEP_DEALLOC = 200;

/** A release a dealloc made while its frame was capturing (four slots each in DeallocFrame.ops). */
const enum QueuedOp {
    Release,
    Decref,
    Forget,
    FreeInternal,
    FreeFrame,
}

/** An iterative dealloc: its object's queued releases and what its last steps need; or (chain) a destroy of the delete-later list. */
interface DeallocFrame {
    chain: boolean;
    /** A chain's hold on the trashcan counter. */
    hold: number;
    o: PyObject | null;
    isGc: boolean;
    freeKind: FreeKind;
    trash: boolean;
    bracket: boolean;
    /** [op, a, b, c] per queued step: Release (owner, child, label), Decref (o), Forget (owner, child, label), FreeInternal (kind), FreeFrame (code). */
    ops: unknown[];
    next: number;
}
