/*
 * object.ts
 *
 * The base of every simulated object: identity, reference count, GC header and weakref list.
 * Each concrete type (containers.ts, callables.ts, …) says, like CPython's type slots, what it
 * references (`traverse`, tp_traverse order), how the GC breaks it (`clear`, tp_clear) and in
 * which order its dealloc releases what it holds (`releaseChildren`, tp_dealloc).
 */

import type { PyType } from './types';

/** Object flags (bit set). */
export const enum ObjFlag {
    /** Never counted: ints, strings, None… (3.12+ makes them immortal; we never free them in any version). */
    Atomic = 1 << 0,
    /** PEP 442: tp_finalize already ran. */
    Finalized = 1 << 1,
    /** Memory released; any further use is an engine bug. */
    Freed = 1 << 2,
    /** Reachable from gc.garbage through DEBUG_SAVEALL / legacy finalizers. */
    InGarbage = 1 << 3,
    // (1 << 4 was the collector's COLLECTING mark: it now lives in the GC header, GcHeads.collecting.)
    /** Placed on the trashcan's delete-later list. */
    TrashDeferred = 1 << 5,
    /**
     * A C type's tp_finalize (3.x io objects: iobase_finalize closes the file). Tested before the
     * `__del__` lookup, so objects without it pay one bit test.
     */
    NativeFinalizer = 1 << 6,
    /**
     * Interpreter-internal (a class's bases and MRO tuples, its `__dict__`/`__weakref__`/slot
     * descriptors): counted, tracked and collected like any object, so `gc.get_count()` and
     * `gc.collect()` see what CPython's do, but not logged: reports show the program's objects.
     */
    Internal = 1 << 7,
}

/** The generation an object's GC header is linked into; -1 when untracked. */
export const GEN_UNTRACKED = -1;
export const GEN_PERMANENT = 3;

/**
 * A reference-visiting callback (tp_traverse's visitproc). It takes only the object, as in
 * CPython: the collector needs no edge names, and building labels for every item of every
 * container on every collection was a large part of its cost. Edge names live in the event log
 * (RefAdd/RefDel), written by `Refs.acquire`/`release`.
 */
export type Visit = (child: PyObject) => void;

/** Reference operations objects need from the heap (implemented by Heap). */
export interface Refs {
    incref(o: PyObject): void;
    decref(o: PyObject): void;
    /** `owner` now references `child` through `label`: incref and record the edge. */
    acquire(owner: PyObject, child: PyObject, label: string): void;
    /** `owner` stopped referencing `child` through `label`: record the edge, then decref. */
    release(owner: PyObject, child: PyObject | null, label: string): void;
    /** Like `release` for a reference whose target was already stolen elsewhere: only records the edge. */
    forget(owner: PyObject, child: PyObject, label: string): void;
    /** GC-track a container that was created untracked (dicts: MAINTAIN_TRACKING). */
    track(o: PyObject): void;
    /** Frees an internal allocation we keep no object for (runtime/freelists.ts kind, or -1). */
    freeInternal(kind?: number): void;
}

export class PyObject {
    /** Allocation serial number; also what `id()` is derived from. */
    id = 0;
    rc = 1;
    flags = 0;
    /**
     * Where this object's GC header (CPython's PyGC_Head: list links, gc_refs, the collecting
     * mark) sits in its heap's GcHeads arrays (runtime/gcHeads.ts); 0 until it is first tracked, and
     * again once it is freed and its slot reused. The header is kept out of the object so that the
     * collector's list walks and gc_refs updates touch a few dense arrays instead of every object.
     */
    gcSlot = 0;
    gen = GEN_UNTRACKED;
    /**
     * Weak references to this object, in CPython's list order (head first). null (from the
     * prototype, below) until the first one: most objects never get one, and a field of their own
     * was 8 bytes on each of them.
     */
    declare weakrefs: PyObject[] | null;

    constructor(public type: PyType) {}

    /** Does this type take part in cyclic GC (PyObject_IS_GC)? */
    isGcType(): boolean {
        return false;
    }

    /**
     * tp_traverse: visit every strong reference, in CPython's order. `gcOnly` (the cyclic
     * collector's walks): references to objects that are not GC types (ints, strings…: never
     * tracked, never part of a collection, so every collector visit ignores them) may be skipped,
     * which a type can do without reading them. Types that ignore the flag visit them all.
     */
    traverse(_visit: Visit, _gcOnly?: boolean): void {}

    /** tp_clear: drop the references that can be part of a cycle (the collector's breaker). */
    clear(_r: Refs): void {}

    /** tp_dealloc's release order. Default: what `clear` drops. */
    releaseChildren(r: Refs): void {
        this.clear(r);
    }

    get isAtomic(): boolean {
        return (this.flags & ObjFlag.Atomic) !== 0;
    }
}
(PyObject.prototype as { weakrefs: PyObject[] | null }).weakrefs = null;
