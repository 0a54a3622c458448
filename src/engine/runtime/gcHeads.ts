/*
 * gcHeads.ts
 *
 * The GC headers of a heap's objects (CPython's PyGC_Head: the generation list links, gc_refs and
 * the collector's marks), kept in typed arrays indexed by a per-object slot rather than in the
 * objects, and the generation lists built on them (GcList). heap.ts tracks and untracks objects
 * through them; gc/collector.ts walks, marks and relinks them.
 */

import type { PyObject } from './object';

/** `to`, holding `from`'s entries first (an array grown). */
function widened<T extends Int32Array | Uint8Array>(from: T, to: T): T {
    to.set(from);
    return to;
}

/**
 * The GC headers (CPython's PyGC_Head) of one heap's objects, struct-of-arrays: an object's
 * header is the entries at its `gcSlot` in each array. A heap of 300,000 objects walked through
 * links stored in the objects themselves is a chain of dependent cache (and TLB) misses over
 * ~100 MB of scattered JS objects; here list walks, splices and gc_refs updates touch a few MB of
 * dense arrays, and the collector loads an object only to traverse it, through loads that do not
 * depend on each other.
 *
 * A slot is given to an object when it is first tracked and taken back when it is freed, so the
 * arrays stay about the size of the live GC objects. List sentinels take slots too (with no
 * object). Slot 0 is never given out: it stands for "no header yet", and its collecting mark
 * stays 0, so an object that was never tracked reads as not collecting without a test.
 *
 * Growing replaces the arrays: code that keeps them in locals may only do so while nothing can
 * allocate a slot (no Python code runs, nothing gets tracked, no list is created).
 */
export class GcHeads {
    /** List links, by slot (a sentinel's are its list's last and first members). */
    next: Int32Array;
    prev: Int32Array;
    /** gc_refs: the collector's scratch count. */
    refs: Int32Array;
    /** 1 while the object takes part in the collection in progress (PREV_MASK_COLLECTING). */
    collecting: Uint8Array;
    /** slot → object; null for slot 0, sentinels and free slots. */
    readonly objs: (PyObject | null)[] = [null];
    private used = 1;
    private readonly free: number[] = [];
    /**
     * Objects freed while a collection runs: their slots are given back only once it is over, so
     * that during a collection a slot stands for one object (the collector compares slots, and a
     * freed member keeps its marks, as CPython's freed memory would, until the collection is done).
     */
    private readonly dead: PyObject[] = [];

    constructor(capacity = 1024) {
        this.next = new Int32Array(capacity);
        this.prev = new Int32Array(capacity);
        this.refs = new Int32Array(capacity);
        this.collecting = new Uint8Array(capacity);
    }

    private take(): number {
        if (this.free.length > 0) return this.free.pop()!;
        const s = this.used++;
        if (s >= this.next.length) this.grow();
        this.objs.push(null);
        return s;
    }

    private grow(): void {
        const cap = this.next.length * 2;
        this.next = widened(this.next, new Int32Array(cap));
        this.prev = widened(this.prev, new Int32Array(cap));
        this.refs = widened(this.refs, new Int32Array(cap));
        this.collecting = widened(this.collecting, new Uint8Array(cap));
    }

    /** Gives `o` its header (not linked anywhere yet). */
    attach(o: PyObject): void {
        const s = this.take();
        this.objs[s] = o;
        o.gcSlot = s;
    }

    /** A sentinel's slot, linked to itself (an empty list). */
    sentinel(): number {
        const s = this.take();
        this.next[s] = this.prev[s] = s;
        return s;
    }

    /**
     * `o` was freed (and is not linked): its slot goes back to the pool, at once or, while a
     * collection runs (`deferred`), once it is over (recycleDead).
     */
    release(o: PyObject, deferred: boolean): void {
        if (deferred) this.dead.push(o);
        else this.recycle(o.gcSlot);
    }

    /** Gives back the slots of the objects freed during the collection that just ended. */
    recycleDead(): void {
        const dead = this.dead;
        for (let i = 0; i < dead.length; i++) {
            const s = dead[i].gcSlot;
            if (s !== 0) this.recycle(s); // (0: listed twice, already given back)
        }
        dead.length = 0;
    }

    /** A sentinel whose list is empty is no longer needed. */
    dropSentinel(s: number): void {
        this.recycle(s);
    }

    private recycle(s: number): void {
        const o = this.objs[s];
        if (o !== null) o.gcSlot = 0;
        this.objs[s] = null;
        this.next[s] = this.prev[s] = this.refs[s] = 0;
        this.collecting[s] = 0;
        this.free.push(s);
    }

    /** gc_list_remove. */
    unlink(s: number): void {
        const next = this.next;
        const prev = this.prev;
        const p = prev[s];
        const n = next[s];
        next[p] = n;
        prev[n] = p;
        next[s] = prev[s] = 0;
    }

    /** gc_list_append: links slot `s` last in the list whose sentinel is `head`. */
    linkLast(head: number, s: number): void {
        const next = this.next;
        const prev = this.prev;
        const last = prev[head];
        prev[s] = last;
        next[s] = head;
        next[last] = s;
        prev[head] = s;
    }

    /** Moves the linked run `first`…`last` (in that order) to the end of the list at `head`. */
    spliceToEnd(first: number, last: number, head: number): void {
        const next = this.next;
        const prev = this.prev;
        const before = prev[first];
        const after = next[last];
        next[before] = after;
        prev[after] = before;
        const tail = prev[head];
        next[tail] = first;
        prev[first] = tail;
        next[last] = head;
        prev[head] = last;
    }
}

/** A doubly-linked list of GC headers with a sentinel, as CPython's PyGC_Head lists. */
export class GcList {
    /** The sentinel's slot. */
    readonly head: number;
    constructor(readonly heads: GcHeads) {
        this.head = heads.sentinel();
    }
    isEmpty(): boolean {
        return this.heads.next[this.head] === this.head;
    }
    append(o: PyObject): void {
        this.heads.linkLast(this.head, o.gcSlot);
    }
    /** gc_list_merge: appends all of `from` to the end of this list and empties `from`. */
    merge(from: GcList): void {
        if (from.isEmpty()) return;
        const next = this.heads.next;
        const prev = this.heads.prev;
        const head = this.head;
        const fh = from.head;
        const tail = prev[head];
        const first = next[fh];
        const last = prev[fh];
        next[tail] = first;
        prev[first] = tail;
        next[last] = head;
        prev[head] = last;
        next[fh] = prev[fh] = fh;
    }
    toArray(): PyObject[] {
        const out: PyObject[] = [];
        const { next, objs } = this.heads;
        for (let s = next[this.head]; s !== this.head; s = next[s]) out.push(objs[s]!);
        return out;
    }
    size(): number {
        let n = 0;
        const next = this.heads.next;
        for (let s = next[this.head]; s !== this.head; s = next[s]) n++;
        return n;
    }
    /**
     * Gives the sentinel's slot back once the list is no longer used. Only an empty list's: one
     * left holding objects (a collection abandoned by an exception) stays as it is, as an
     * abandoned list did when its sentinel was an object.
     */
    dispose(): void {
        if (this.isEmpty()) this.heads.dropSentinel(this.head);
    }
}
