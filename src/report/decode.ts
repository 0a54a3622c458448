/*
 * decode.ts
 *
 * One pass over the engine's column-wise event log that turns it into tables the report works on:
 * objects (birth, death, cause, finalizer runs, weakref callbacks, atexit calls…), frames, phases,
 * collections, and reference edges as lifetime intervals [added, removed) in event-index time.
 * Everything in src/report derives from this; nothing re-simulates.
 *
 * Time: an event index `t` (0-based). "Alive at t" means born at or before t and not dead at or
 * before t. Steps (statements executed) are kept alongside for display.
 */

import { EventKind, DeathCause, eventString, type EventLogData, type FinalizerKind } from '../engine/events';

export const NO_EVENT = -1;
/** "Never": the removal time of an edge still present at the end, the death time of a survivor. */
export const NEVER = 0x7fffffff;

export interface FinalizerRun {
    /** FinalizerStart event index. */
    start: number;
    /** Which finalizer ran (the event's mechanism). */
    kind: FinalizerKind;
    end: number;
    /** Text the finalizer wrote (stdout and stderr). */
    output: string;
    /** The exception it raised (`Type: message`), or null. */
    failed: string | null;
    /** Collection running when it started (index), or -1 for a refcount death. */
    collection: number;
    /** The last edge events that removed / added a reference to the object before the finalizer
     *  started (-1: none): what dropped its count to zero then, before the finalizer's own `self`. */
    delBefore: number;
    addBefore: number;
}

/** The fields most objects never set: kept only for the few objects that have one. */
export interface RareFields {
    finalizers: FinalizerRun[] | null;
    resurrections: number[] | null;
    /** WeakrefCallback events where this object is the referent (b) or the weakref (a). */
    weakrefCallbacks: number[] | null;
    /** AtexitCall events where this object is the callable. */
    atexitCalls: number[] | null;
    /** Whether its Uncollectable event sent it to gc.garbage. */
    toGarbage: boolean;
    /** Label from a Label event (engine-provided), if any. */
    engineLabel: string | null;
    /** The Freeze event that put it in the permanent generation, or -1 (never, or unfrozen since). */
    frozenAt: number;
    /** Revived events: a collection found it garbage but it survived (a finalizer, DEBUG_SAVEALL). */
    revived: number[] | null;
}

/**
 * Every object of the run, column-wise, index = node: a long run has hundreds of thousands of
 * objects, and one long-lived record each was tens of megabytes that every scavenge copied.
 */
export class ObjectTable {
    length = 0;
    readonly id: Int32Array;
    /** The engine's type id (Alloc's b). */
    readonly typeId: Int32Array;
    /** The type's name as an index into typeTable (see type()). */
    readonly typeIndex: Int32Array;
    readonly typeTable: string[] = [];
    /** Alloc event index. */
    readonly alloc: Int32Array;
    /** Dealloc event index, or NEVER. */
    readonly death: Int32Array;
    /** DeathCause, -1 while alive. */
    readonly cause: Int32Array;
    /** Collection index (into Decoded.collections) active when it died, or -1. */
    readonly collection: Int32Array;
    /** Uncollectable event index, or -1. */
    readonly uncollectable: Int32Array;
    /** For a refcount death: the RefDel edge event that dropped the last recorded reference, or -1. */
    readonly lastRef: Int32Array;
    /** By node: its index in rareList + 1 (0: none of the rare fields set). */
    private readonly rareIndex: Int32Array;
    private readonly rareList: RareFields[] = [];

    constructor(capacity: number) {
        this.id = new Int32Array(capacity);
        this.typeId = new Int32Array(capacity);
        this.typeIndex = new Int32Array(capacity);
        this.alloc = new Int32Array(capacity);
        this.death = new Int32Array(capacity).fill(NEVER);
        this.cause = new Int32Array(capacity).fill(-1);
        this.collection = new Int32Array(capacity).fill(-1);
        this.uncollectable = new Int32Array(capacity).fill(-1);
        this.lastRef = new Int32Array(capacity).fill(-1);
        this.rareIndex = new Int32Array(capacity);
    }

    /** Adds an object; returns its node. */
    add(id: number, typeIndex: number, typeId: number, alloc: number): number {
        const i = this.length++;
        this.id[i] = id;
        this.typeIndex[i] = typeIndex;
        this.typeId[i] = typeId;
        this.alloc[i] = alloc;
        return i;
    }

    /** The type name of node i. */
    type(i: number): string {
        return this.typeTable[this.typeIndex[i]];
    }

    /** Node i's rare fields, or null when it has none. */
    rare(i: number): RareFields | null {
        const r = this.rareIndex[i];
        return r === 0 ? null : this.rareList[r - 1];
    }

    /** Node i's rare fields, made on first use. */
    rareFor(i: number): RareFields {
        const r = this.rareIndex[i];
        if (r > 0) return this.rareList[r - 1];
        const f: RareFields = { finalizers: null, resurrections: null, weakrefCallbacks: null, atexitCalls: null, toGarbage: false, engineLabel: null, frozenAt: -1, revived: null };
        this.rareList.push(f);
        this.rareIndex[i] = this.rareList.length;
        return f;
    }
}

/**
 * Type names as small integers: the string table's index (+ 1, 0 for a missing string, read as
 * '?') → the type's index in the table, equal names under one index; -1 until first seen.
 */
class TypeNames {
    private readonly ofString: Int32Array;
    private readonly index = new Map<string, number>();

    constructor(private readonly log: EventLogData, private readonly table: string[]) {
        this.ofString = new Int32Array(log.strings.length + 1).fill(-1);
    }

    /** The type index of the Alloc event i's type name. */
    of(i: number): number {
        const k = this.log.sIdx[i] + 1;
        const t = this.ofString[k];
        return t >= 0 ? t : (this.ofString[k] = this.intern(eventString(this.log, i) ?? '?'));
    }

    private intern(name: string): number {
        let t = this.index.get(name);
        if (t === undefined) {
            t = this.table.length;
            this.table.push(name);
            this.index.set(name, t);
        }
        return t;
    }
}

/**
 * Every frame of the run, column-wise: a long run has hundreds of thousands of calls, and one small
 * object per frame was a measurable share of the report's garbage-collection time.
 */
export interface FrameTable {
    length: number;
    id: Int32Array;
    /** FrameEnter event index. */
    enter: Int32Array;
    /** FrameExit event index, or NEVER. */
    exit: Int32Array;
    qualname: string[];
}

export interface PhaseRec {
    phase: string;
    start: number;
    /** Exclusive end (next phase's start, or the log length). */
    end: number;
}

export interface CollectionRec {
    index: number;
    start: number;
    end: number;
    generation: number;
    reason: string;
    collected: number;
    uncollectable: number;
}

export interface ErrorRec {
    at: number;
    message: string | null;
    excId: number;
}

export interface Edges {
    count: number;
    src: Int32Array;
    tgt: Int32Array;
    add: Int32Array;
    del: Int32Array;
    /**
     * Each edge's label as an index into labelTable (equal labels, equal index): loops over millions
     * of edges compare numbers, and no array of a million strings is kept (edgeLabel reads one).
     */
    labelIndex: Int32Array;
    /** The distinct labels, each once. */
    labelTable: string[];
    /** Each end's node (index into objects, or objects.length + frame index), -1 when neither. */
    srcNode: Int32Array;
    tgtNode: Int32Array;
}

/** Edge e's label. */
export function edgeLabel(E: Edges, e: number): string {
    return E.labelTable[E.labelIndex[e]];
}

/** The labelTable index of `label`, or -1 when no edge has it (so that no labelIndex equals it). */
export function labelIndexOf(E: Edges, label: string): number {
    return E.labelTable.indexOf(label);
}

export interface Decoded {
    log: EventLogData;
    length: number;
    objects: ObjectTable;
    /** id → index into objects (or frames as -2 - frameIndex); -1 when unknown. */
    slotOf: (id: number) => number;
    /** The table behind slotOf, for loops over millions of ids: slots[id] for 0 ≤ id ≤ maxId. */
    slots: Int32Array;
    frames: FrameTable;
    phases: PhaseRec[];
    collections: CollectionRec[];
    errors: ErrorRec[];
    /** Freeze events (one per object moved into the permanent generation), in log order. */
    freezes: number[];
    /** Frames of daemon threads frozen at finalization (ThreadFrozen): frame id → the thread and where it stopped. */
    frozenFrames: Map<number, { thread: string; line: number }>;
    /** ThreadRace events (indices, in log order): output that preemption could reorder. */
    races: number[];
    /** SetOrder events (indices, in log order): a set shown in an order CPython's hashes may change. */
    setOrders: number[];
    /** ClockRead events (indices, in log order): a reading of the virtual clock (s: the function). */
    clockReads: number[];
    /** Thread names by number (ThreadSwitch: 0 is the main thread), and what happened off the main
     *  thread: node → the thread that allocated it / freed it; frame index → the thread it ran on. */
    threads: { names: string[]; allocated: Map<number, number>; freed: Map<number, number>; frames: Map<number, number> };
    edges: Edges;
    /**
     * The Alloc, NativeAlloc, Dealloc and PhaseChange events (indices, in log order): all that the
     * memory model reads, a sixth of a long run's events, so it does not walk the log again.
     */
    memoryEvents: Int32Array;
    /** The dict that holds the modules (sys.modules), the sys and builtins modules (-1 if unseen). */
    sysModulesDict: number;
    sysModule: number;
    builtinsModule: number;
    /** module object id → module name (from its sys.modules entry, or a Label event). */
    moduleNames: Map<number, string>;
    /** The event index at which the program starts running (the 'running' PhaseChange), 0 if none. */
    runningStart: number;
    /**
     * Imports of modelled standard-library modules (ModuleImport events), outermost only, as
     * [begin, end) event-index pairs in log order: what is allocated inside is the module's own.
     */
    importSpans: number[];
    maxId: number;
}

/**
 * Open-addressing hash table (src, tgt) → the most recent open edge; older open edges with the same
 * ends are chained through `next` (a stack). Typed arrays only: millions of edges, no Map churn.
 */
function hash2(s: number, t: number): number {
    let h = (Math.imul(s, 0x9e3779b1) + t) | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
}

class OpenEdges {
    private cap: number;
    /**
     * Slots of three: source, target, edge index + 1 (0 = empty slot; -1 = deleted). Interleaved so
     * that a probe touches one cache line: the table holds every open edge of a large run.
     */
    private tab: Int32Array;
    private used = 0;
    /** The next older open edge with the same ends, + 1 (0: none): zero-filled as allocated, no -1 fill of millions of entries. */
    private readonly next: Int32Array;

    constructor(edgeCount: number) {
        this.cap = 1024;
        this.tab = new Int32Array(this.cap * 3);
        this.next = new Int32Array(Math.max(1, edgeCount));
    }

    /** Slot index (×3) of the key (s, t), or of the slot where it would go. */
    private slot(s: number, t: number): number {
        const mask = this.cap - 1;
        const tab = this.tab;
        let h = hash2(s, t) & mask;
        let firstDeleted = -1;
        for (;;) {
            const x = h * 3;
            const v = tab[x + 2];
            if (v === 0) return firstDeleted >= 0 ? firstDeleted : x;
            if (v === -1) {
                if (firstDeleted < 0) firstDeleted = x;
            } else if (tab[x] === s && tab[x + 1] === t) return x;
            h = (h + 1) & mask;
        }
    }

    private find(s: number, t: number): number {
        const mask = this.cap - 1;
        const tab = this.tab;
        let h = hash2(s, t) & mask;
        for (;;) {
            const x = h * 3;
            const v = tab[x + 2];
            if (v === 0) return -1;
            if (v > 0 && tab[x] === s && tab[x + 1] === t) return x;
            h = (h + 1) & mask;
        }
    }

    private grow(): void {
        const old = this.tab;
        const oldCap = this.cap;
        let live = 0;
        for (let i = 0; i < oldCap; i++) if (old[i * 3 + 2] > 0) live++;
        this.cap = live * 4 > oldCap ? oldCap * 2 : oldCap;
        this.tab = new Int32Array(this.cap * 3);
        this.used = 0;
        for (let i = 0; i < oldCap; i++) {
            const v = old[i * 3 + 2];
            if (v <= 0) continue;
            const x = this.slot(old[i * 3], old[i * 3 + 1]);
            this.tab[x] = old[i * 3];
            this.tab[x + 1] = old[i * 3 + 1];
            this.tab[x + 2] = v;
            this.used++;
        }
    }

    push(s: number, t: number, e: number): void {
        if ((this.used + 1) * 2 > this.cap) this.grow();
        const x = this.slot(s, t);
        const tab = this.tab;
        const v = tab[x + 2];
        if (v > 0) this.next[e] = v;
        else {
            tab[x] = s;
            tab[x + 1] = t;
            if (v === 0) this.used++;
        }
        tab[x + 2] = e + 1;
    }

    /** Removes and returns an open edge (s → t), preferring one whose label (index) is `label`; -1 if none. */
    pop(s: number, t: number, label: number, labels: Int32Array): number {
        const x = this.find(s, t);
        if (x < 0) return -1;
        const tab = this.tab;
        const head = tab[x + 2] - 1;
        let e = head;
        let prev = -1;
        if (labels[head] !== label) {
            for (let p = head, q = this.next[head] - 1; q >= 0; p = q, q = this.next[q] - 1) {
                if (labels[q] === label) {
                    e = q;
                    prev = p;
                    break;
                }
            }
        }
        if (prev >= 0) this.next[prev] = this.next[e];
        else if (this.next[head] > 0) tab[x + 2] = this.next[head];
        else tab[x + 2] = -1;
        this.next[e] = 0;
        return e;
    }
}

/** Open edges kept per target before it moves to the hash table. */
const BUCKET = 4;

/**
 * Open edges keyed by target first. Most objects have a few references recorded at a time (a
 * linked-list node: the global that named it, the next node, a parameter): those edges sit in a
 * small per-target bucket, so pairing a RefDel with its RefAdd touches memory near the other
 * recent events instead of a random slot of a large table. A target with more open edges moves
 * them to the hash table (until it has none again), which handles any pattern. Both give the same
 * answer: of the open edges (s → t), the newest with the same label, else the newest.
 *
 * Buckets are numbered in the order targets are first seen, not by id: ids are sparse (atomic
 * objects use them too), and a table by id was four times larger, and touched at random.
 */
class OpenEdgesByTarget {
    /** By id: its bucket number + 1 (0: never a target). */
    private readonly keyOf: Int32Array;
    private keys = 0;
    private count: Int32Array;
    private bucket: Int32Array;
    /** 1 while the target's open edges live in `multi`. */
    private inMulti: Uint8Array;
    private readonly multi: OpenEdges;

    constructor(maxId: number, expectedTargets: number, edgeCount: number, private readonly srcOf: Int32Array) {
        this.keyOf = new Int32Array(maxId + 1);
        const cap = Math.max(16, expectedTargets);
        this.count = new Int32Array(cap);
        this.bucket = new Int32Array(cap * BUCKET);
        this.inMulti = new Uint8Array(cap);
        this.multi = new OpenEdges(edgeCount);
    }

    /** The bucket number of target t, numbering it if new. */
    private keyFor(t: number): number {
        const k = this.keyOf[t];
        if (k > 0) return k - 1;
        if (this.keys === this.count.length) this.grow();
        this.keyOf[t] = ++this.keys;
        return this.keys - 1;
    }

    private grow(): void {
        const cap = this.count.length * 2;
        const count = new Int32Array(cap);
        count.set(this.count);
        const bucket = new Int32Array(cap * BUCKET);
        bucket.set(this.bucket);
        const inMulti = new Uint8Array(cap);
        inMulti.set(this.inMulti);
        this.count = count;
        this.bucket = bucket;
        this.inMulti = inMulti;
    }

    push(s: number, t: number, e: number): void {
        const k = this.keyFor(t);
        const c = this.count[k];
        this.count[k] = c + 1;
        if (this.inMulti[k]) return this.multi.push(s, t, e);
        const base = k * BUCKET;
        if (c < BUCKET) {
            this.bucket[base + c] = e;
            return;
        }
        // Overflow: the bucket goes to the table oldest first, so the table's order is by age too.
        for (let j = 0; j < BUCKET; j++) this.multi.push(this.srcOf[this.bucket[base + j]], t, this.bucket[base + j]);
        this.inMulti[k] = 1;
        this.multi.push(s, t, e);
    }

    pop(s: number, t: number, label: number, labels: Int32Array): number {
        const k = this.keyOf[t] - 1;
        if (k < 0) return -1;
        const c = this.count[k];
        if (c === 0) return -1;
        if (this.inMulti[k]) {
            const e = this.multi.pop(s, t, label, labels);
            if (e >= 0 && (this.count[k] = c - 1) === 0) this.inMulti[k] = 0;
            return e;
        }
        const base = k * BUCKET;
        const bk = this.bucket;
        let pick = -1;
        for (let j = c - 1; j >= 0; j--) {
            const e = bk[base + j];
            if (this.srcOf[e] !== s) continue;
            if (pick < 0) pick = j;
            if (labels[e] === label) {
                pick = j;
                break;
            }
        }
        if (pick < 0) return -1;
        const e = bk[base + pick];
        for (let j = pick; j < c - 1; j++) bk[base + j] = bk[base + j + 1];
        this.count[k] = c - 1;
        return e;
    }
}

/** Room for every EventKind (events.ts numbers them from 1; 31 is the largest today). */
const KIND_SLOTS = 64;

/** Kinds whose b field is an object id (the others hold counts, causes, sizes…). */
const B_IS_ID = new Int32Array(KIND_SLOTS);
B_IS_ID[EventKind.Alloc] = B_IS_ID[EventKind.RefAdd] = B_IS_ID[EventKind.RefDel] = -1;

/**
 * Events by kind and the largest object id. Branches that depend on the kind (a random pattern over
 * millions of events) are table lookups instead; a kind outside the tables counts nowhere.
 */
function scan(log: EventLogData): { maxId: number; kindCount: Int32Array } {
    const { kind, a, b } = log;
    const n = kind.length;
    const kindCount = new Int32Array(KIND_SLOTS);
    let maxId = 0;
    for (let i = 0; i < n; i++) {
        const k = kind[i];
        kindCount[k]++;
        const x = a[i];
        if (x > maxId) maxId = x;
        const y = b[i] & B_IS_ID[k];
        if (y > maxId) maxId = y;
    }
    return { maxId, kindCount };
}

/**
 * Edge labels as small integers: the string table's index → label index, with every equal string
 * (and a missing string, which reads as '') under one index, so equal labels compare as numbers.
 */
function labelIds(strings: string[]): { ofString: Int32Array; table: string[] } {
    const ofString = new Int32Array(strings.length + 1);
    const table = [''];
    const index = new Map<string, number>([['', 0]]);
    for (let k = 0; k < strings.length; k++) {
        let id = index.get(strings[k]);
        if (id === undefined) {
            id = table.length;
            table.push(strings[k]);
            index.set(strings[k], id);
        }
        ofString[k + 1] = id;
    }
    return { ofString, table };
}

export function decode(log: EventLogData): Decoded {
    const n = log.kind.length;
    const { kind, a, b, sIdx } = log;
    const { maxId, kindCount } = scan(log);
    const refAdds = kindCount[EventKind.RefAdd];
    const frameCount = kindCount[EventKind.FrameEnter];
    const labelsOf = labelIds(log.strings);
    const slots = new Int32Array(maxId + 1).fill(-1);
    const objects = new ObjectTable(kindCount[EventKind.Alloc]);
    const typeNames = new TypeNames(log, objects.typeTable);
    const frames: FrameTable = { length: 0, id: new Int32Array(frameCount), enter: new Int32Array(frameCount), exit: new Int32Array(frameCount).fill(NEVER), qualname: new Array<string>(frameCount) };
    const phases: PhaseRec[] = [];
    const collections: CollectionRec[] = [];
    const gcStack: CollectionRec[] = [];
    const finStack: { id: number; run: FinalizerRun }[] = [];
    const errors: ErrorRec[] = [];
    const freezes: number[] = [];
    const importSpans: number[] = [];
    let importDepth = 0;
    const frozenFrames = new Map<number, { thread: string; line: number }>();
    const races: number[] = [];
    const setOrders: number[] = [];
    const clockReads: number[] = [];
    const threads: Decoded['threads'] = { names: ['MainThread'], allocated: new Map(), freed: new Map(), frames: new Map() };
    let thread = 0;
    const moduleNames = new Map<number, string>();
    const edges: Edges = {
        count: 0,
        src: new Int32Array(refAdds),
        tgt: new Int32Array(refAdds),
        add: new Int32Array(refAdds),
        // 0 until a RefDel or the end of the run sets it (no edge is removed at event 0: it was added before).
        del: new Int32Array(refAdds),
        labelIndex: new Int32Array(refAdds),
        labelTable: labelsOf.table,
        // Slots while decoding (taken when the edge is added), nodes once the objects are all known.
        srcNode: new Int32Array(refAdds),
        tgtNode: new Int32Array(refAdds),
    };
    const memoryEvents = new Int32Array(
        kindCount[EventKind.Alloc] + kindCount[EventKind.NativeAlloc] + kindCount[EventKind.Dealloc] + kindCount[EventKind.PhaseChange],
    );
    let memoryEventCount = 0;
    const open = new OpenEdgesByTarget(maxId, kindCount[EventKind.Alloc] + frameCount, refAdds, edges.src);
    // The last edge event that removed (added) a reference to each id, + 1 (0: none; no -1 fill).
    const lastDelOf = new Int32Array(maxId + 1);
    const lastAddOf = new Int32Array(maxId + 1);
    let sysModulesDict = -1;
    let runningStart = 0;
    const slotOf = (id: number): number => (id >= 0 && id <= maxId ? slots[id] : -1);
    /** The node of object `id`, or -1 (a frame, an atomic object, an id never allocated). */
    const nodeOf = (id: number): number => {
        const sl = slotOf(id);
        return sl >= 0 ? sl : -1;
    };
    const isModule = (node: number): boolean => node >= 0 && objects.type(node) === 'module';

    for (let i = 0; i < n; i++) {
        switch (kind[i]) {
            case EventKind.Alloc:
                slots[a[i]] = objects.add(a[i], typeNames.of(i), b[i], i);
                memoryEvents[memoryEventCount++] = i;
                if (thread !== 0) threads.allocated.set(slots[a[i]], thread);
                break;
            case EventKind.NativeAlloc:
                memoryEvents[memoryEventCount++] = i;
                break;
            case EventKind.Dealloc: {
                memoryEvents[memoryEventCount++] = i;
                const o = nodeOf(a[i]);
                if (o < 0) break;
                if (thread !== 0) threads.freed.set(o, thread);
                objects.death[o] = i;
                objects.cause[o] = b[i];
                if (gcStack.length) objects.collection[o] = gcStack[gcStack.length - 1].index;
                if (b[i] === DeathCause.Refcount) {
                    // The reference whose removal started this death: the last RefDel to it, if no
                    // RefAdd came after it and it happened in the statement that started the death.
                    // A finalizer that ran at this death (not resurrecting the object) had its own
                    // references to it (`self`); what started the death is what came before it.
                    const rare = objects.rare(o);
                    const run = rare?.finalizers?.[rare.finalizers.length - 1];
                    const revived = run && rare?.resurrections?.some((r) => r > run.start);
                    const before = run && !revived && run.end !== NO_EVENT;
                    const d = before ? run.delBefore : lastDelOf[a[i]] - 1;
                    const lastAdd = before ? run.addBefore : lastAddOf[a[i]] - 1;
                    const trigger = before ? run.start : i;
                    if (d >= 0 && d > lastAdd && log.step[d] === log.step[trigger] && d <= trigger) objects.lastRef[o] = d;
                }
                break;
            }
            case EventKind.FinalizerStart: {
                const o = nodeOf(a[i]);
                if (o < 0) break;
                const run: FinalizerRun = {
                    start: i,
                    kind: (eventString(log, i) ?? '__del__') as FinalizerKind,
                    end: NO_EVENT,
                    output: '',
                    failed: null,
                    collection: gcStack.length ? gcStack[gcStack.length - 1].index : -1,
                    delBefore: lastDelOf[a[i]] - 1,
                    addBefore: lastAddOf[a[i]] - 1,
                };
                (objects.rareFor(o).finalizers ??= []).push(run);
                finStack.push({ id: a[i], run });
                break;
            }
            case EventKind.FinalizerEnd: {
                for (let j = finStack.length - 1; j >= 0; j--) {
                    if (finStack[j].id === a[i]) {
                        finStack[j].run.end = i;
                        if (b[i] === 1) finStack[j].run.failed = eventString(log, i) ?? '';
                        finStack.length = j;
                        break;
                    }
                }
                break;
            }
            case EventKind.Output:
                if (finStack.length) finStack[finStack.length - 1].run.output += eventString(log, i) ?? '';
                break;
            case EventKind.GcStart: {
                const c: CollectionRec = {
                    index: collections.length,
                    start: i,
                    end: NO_EVENT,
                    generation: b[i],
                    reason: normalizeReason(eventString(log, i)),
                    collected: 0,
                    uncollectable: 0,
                };
                collections.push(c);
                gcStack.push(c);
                break;
            }
            case EventKind.GcEnd: {
                const c = gcStack.pop();
                if (c) {
                    c.end = i;
                    c.collected = a[i];
                    c.uncollectable = b[i];
                }
                break;
            }
            case EventKind.PhaseChange: {
                memoryEvents[memoryEventCount++] = i;
                const p = eventString(log, i) ?? '?';
                if (phases.length) phases[phases.length - 1].end = i;
                phases.push({ phase: p, start: i, end: n });
                if (p === 'running' && runningStart === 0) runningStart = i;
                break;
            }
            case EventKind.Error:
                errors.push({ at: i, message: eventString(log, i), excId: a[i] });
                break;
            case EventKind.RefAdd: {
                const src = a[i];
                const tgt = b[i];
                const e = edges.count++;
                edges.src[e] = src;
                edges.tgt[e] = tgt;
                edges.add[e] = i;
                edges.labelIndex[e] = labelsOf.ofString[sIdx[i] + 1];
                edges.srcNode[e] = slotOf(src);
                edges.tgtNode[e] = slotOf(tgt);
                open.push(src, tgt, e);
                lastAddOf[tgt] = i + 1;
                if (sysModulesDict < 0 && isModule(nodeOf(tgt))) sysModulesDict = src;
                if (src === sysModulesDict && isModule(nodeOf(tgt)) && !moduleNames.has(tgt)) moduleNames.set(tgt, eventString(log, i) ?? '?');
                break;
            }
            case EventKind.RefDel: {
                const src = a[i];
                const tgt = b[i];
                lastDelOf[tgt] = i + 1;
                const e = open.pop(src, tgt, labelsOf.ofString[sIdx[i] + 1], edges.labelIndex);
                if (e < 0) break; // a reference taken without an edge event (e.g. __class__)
                edges.del[e] = i;
                break;
            }
            case EventKind.WeakrefCallback: {
                const r = nodeOf(b[i]);
                if (r >= 0) (objects.rareFor(r).weakrefCallbacks ??= []).push(i);
                const w = nodeOf(a[i]);
                if (w >= 0 && w !== r) (objects.rareFor(w).weakrefCallbacks ??= []).push(i);
                break;
            }
            case EventKind.AtexitCall: {
                const o = nodeOf(a[i]);
                if (o >= 0) (objects.rareFor(o).atexitCalls ??= []).push(i);
                break;
            }
            case EventKind.Resurrect: {
                const o = nodeOf(a[i]);
                if (o >= 0) (objects.rareFor(o).resurrections ??= []).push(i);
                break;
            }
            case EventKind.Uncollectable: {
                const o = nodeOf(a[i]);
                if (o >= 0) {
                    objects.uncollectable[o] = i;
                    objects.rareFor(o).toGarbage = b[i] === 1;
                }
                break;
            }
            case EventKind.Label: {
                const o = nodeOf(a[i]);
                if (o >= 0 && (objects.rare(o)?.engineLabel ?? null) === null) objects.rareFor(o).engineLabel = eventString(log, i);
                if (isModule(o) && eventString(log, i) && !moduleNames.has(a[i])) moduleNames.set(a[i], eventString(log, i)!);
                break;
            }
            case EventKind.FrameEnter: {
                const fi = frames.length++;
                frames.id[fi] = a[i];
                frames.qualname[fi] = eventString(log, i) ?? '?';
                frames.enter[fi] = i;
                if (a[i] <= maxId) slots[a[i]] = -2 - fi;
                if (thread !== 0) threads.frames.set(fi, thread);
                break;
            }
            case EventKind.FrameExit: {
                const sl = a[i] <= maxId ? slots[a[i]] : -1;
                if (sl <= -2 && frames.exit[-2 - sl] === NEVER) frames.exit[-2 - sl] = i;
                break;
            }
            case EventKind.Freeze: {
                freezes.push(i);
                const o = nodeOf(a[i]);
                if (o >= 0) objects.rareFor(o).frozenAt = i;
                break;
            }
            case EventKind.ThreadFrozen:
                frozenFrames.set(a[i], { thread: eventString(log, i) ?? '?', line: log.line[i] });
                break;
            case EventKind.ThreadRace:
                races.push(i);
                break;
            case EventKind.SetOrder:
                setOrders.push(i);
                break;
            case EventKind.ClockRead:
                clockReads.push(i);
                break;
            case EventKind.ThreadSwitch:
                thread = a[i];
                threads.names[thread] = eventString(log, i) ?? `thread ${thread}`;
                break;
            case EventKind.Revived: {
                const o = nodeOf(a[i]);
                if (o >= 0) (objects.rareFor(o).revived ??= []).push(i);
                // DEBUG_SAVEALL appended it to gc.garbage.
                if (o >= 0 && b[i] === 1) {
                    objects.uncollectable[o] = i;
                    objects.rareFor(o).toGarbage = true;
                }
                break;
            }
            case EventKind.ModuleImport:
                if (b[i] === 1) {
                    if (importDepth++ === 0) importSpans.push(i);
                } else if (importDepth > 0 && --importDepth === 0) importSpans.push(i);
                break;
            case EventKind.Unfreeze: {
                const o = nodeOf(a[i]);
                if (o >= 0 && objects.rare(o)) objects.rareFor(o).frozenAt = -1;
                break;
            }
        }
    }

    slotsToNodes(edges.srcNode, edges.src, edges.count, slotOf, objects.length);
    slotsToNodes(edges.tgtNode, edges.tgt, edges.count, slotOf, objects.length);
    closeOpenEdges(edges, objects, frames);

    let sysModule = -1;
    let builtinsModule = -1;
    for (const [id, name] of moduleNames) {
        if (name === 'sys' && sysModule < 0) sysModule = id;
        if ((name === 'builtins' || name === '__builtin__') && builtinsModule < 0) builtinsModule = id;
    }

    return {
        log,
        length: n,
        objects,
        slotOf,
        slots,
        frames,
        phases,
        collections,
        errors,
        freezes,
        frozenFrames,
        races,
        setOrders,
        clockReads,
        threads,
        edges,
        memoryEvents,
        sysModulesDict,
        sysModule,
        builtinsModule,
        moduleNames,
        runningStart,
        importSpans,
        maxId,
    };
}

/**
 * Edge ends from the slot taken when the edge was added to a node (objects first, then frames).
 * Ids are never reused, so a slot once set never changes: only an end allocated after the edge
 * (slot -1 then) is looked up again, and the pass reads the columns in order, no random lookups.
 */
function slotsToNodes(ends: Int32Array, ids: Int32Array, count: number, slotOf: (id: number) => number, nObj: number): void {
    for (let e = 0; e < count; e++) {
        let sl = ends[e];
        if (sl === -1) sl = slotOf(ids[e]);
        ends[e] = sl >= 0 ? sl : sl <= -2 ? nObj - 2 - sl : -1;
    }
}

/** Edges whose source or target died (or whose frame exited) without a matching RefDel end then. */
function closeOpenEdges(edges: Edges, objects: ObjectTable, frames: FrameTable): void {
    const nObj = objects.length;
    for (let e = 0; e < edges.count; e++) {
        if (edges.del[e] !== 0) continue;
        const s = edges.srcNode[e];
        let end = NEVER;
        if (s >= nObj) end = frames.exit[s - nObj];
        else if (s >= 0) end = objects.death[s];
        const t = edges.tgtNode[e];
        if (t >= 0 && t < nObj && objects.death[t] < end) end = objects.death[t];
        edges.del[e] = end;
    }
}

function normalizeReason(r: string | null): string {
    if (r === 'gc.collect' || r === 'manual' || r === 'collect') return 'manual';
    return r ?? 'automatic';
}

/** The phase in force at event index t. */
export function phaseAt(d: Decoded, t: number): string {
    const ps = d.phases;
    let lo = 0;
    let hi = ps.length - 1;
    let ans = -1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (ps[mid].start <= t) {
            ans = mid;
            lo = mid + 1;
        } else hi = mid - 1;
    }
    return ans < 0 ? 'startup' : ps[ans].phase;
}

/**
 * Is an object of this type name a class? `type` (a class without a metaclass of its own) or,
 * on 2.7, `classobj` (a classic class: it holds its instances' class the same way, ob_type).
 */
export function isClassTypeName(t: string): boolean {
    return t === 'type' || t === 'classobj';
}

/** Phases during which the program itself runs; everything after is shutdown. */
export function isShutdownPhase(p: string): boolean {
    return p !== 'running' && p !== 'startup';
}

/** The last event index whose step is ≤ `step` (for "at step S" queries). */
export function eventAtStep(d: Decoded, step: number): number {
    const st = d.log.step;
    let lo = 0;
    let hi = d.length - 1;
    let ans = -1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (st[mid] <= step) {
            ans = mid;
            lo = mid + 1;
        } else hi = mid - 1;
    }
    return ans;
}
