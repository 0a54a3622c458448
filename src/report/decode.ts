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

import { EventKind, DeathCause, eventString, type EventLogData } from '../engine/events';

export const NO_EVENT = -1;
/** "Never": the removal time of an edge still present at the end, the death time of a survivor. */
export const NEVER = 0x7fffffff;

export interface FinalizerRun {
    /** FinalizerStart event index. */
    start: number;
    end: number;
    /** Text the finalizer wrote (stdout and stderr). */
    output: string;
    /** Collection running when it started (index), or -1 for a refcount death. */
    collection: number;
}

export interface ObjRec {
    id: number;
    type: string;
    typeId: number;
    alloc: number;
    /** Dealloc event index, or NEVER. */
    death: number;
    /** DeathCause, -1 while alive. */
    cause: number;
    /** Collection index (into Decoded.collections) active when it died, or -1. */
    collection: number;
    finalizers: FinalizerRun[] | null;
    resurrections: number[] | null;
    /** WeakrefCallback events where this object is the referent (b) or the weakref (a). */
    weakrefCallbacks: number[] | null;
    /** AtexitCall events where this object is the callable. */
    atexitCalls: number[] | null;
    /** Uncollectable event index, -1 if none; `toGarbage` when it went to gc.garbage. */
    uncollectable: number;
    toGarbage: boolean;
    /** For a refcount death: the RefDel edge event that dropped the last recorded reference, or -1. */
    lastRef: number;
    /** Label from a Label event (engine-provided), if any. */
    engineLabel: string | null;
}

/**
 * An object's record. The fields most objects never set (finalizer runs, resurrections, callbacks,
 * gc.garbage, an engine label) live on the prototype until set, and are then set together, so
 * that every record has one of two shapes: a long run has hundreds of thousands of records, and
 * nine slots instead of fifteen is a third less long-lived allocation for the scavenger to copy.
 */
class ObjRecord implements ObjRec {
    death = NEVER;
    cause = -1;
    collection = -1;
    uncollectable = -1;
    lastRef = -1;
    declare finalizers: FinalizerRun[] | null;
    declare resurrections: number[] | null;
    declare weakrefCallbacks: number[] | null;
    declare atexitCalls: number[] | null;
    declare toGarbage: boolean;
    declare engineLabel: string | null;

    constructor(
        readonly id: number,
        readonly type: string,
        readonly typeId: number,
        readonly alloc: number,
    ) {}
}

const RARE_DEFAULTS = { finalizers: null, resurrections: null, weakrefCallbacks: null, atexitCalls: null, toGarbage: false, engineLabel: null };
Object.assign(ObjRecord.prototype, RARE_DEFAULTS);

/** The record with its rare fields as its own (all of them, in one order: one shape). */
function withRare(o: ObjRec): ObjRec {
    if (!Object.prototype.hasOwnProperty.call(o, 'finalizers')) Object.assign(o, RARE_DEFAULTS);
    return o;
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
    label: string[];
    /** Each edge's label as an index into labelTable (equal labels, equal index): loops over millions of edges compare numbers. */
    labelIndex: Int32Array;
    /** The distinct labels: labelTable[labelIndex[e]] === label[e]. */
    labelTable: string[];
}

export interface Decoded {
    log: EventLogData;
    length: number;
    objects: ObjRec[];
    /** id → index into objects (or frames as -2 - frameIndex); -1 when unknown. */
    slotOf: (id: number) => number;
    /** The table behind slotOf, for loops over millions of ids: slots[id] for 0 ≤ id ≤ maxId. */
    slots: Int32Array;
    objectById: (id: number) => ObjRec | undefined;
    frames: FrameTable;
    phases: PhaseRec[];
    collections: CollectionRec[];
    errors: ErrorRec[];
    freezes: number[];
    edges: Edges;
    /** The dict that holds the modules (sys.modules), the sys and builtins modules (-1 if unseen). */
    sysModulesDict: number;
    sysModule: number;
    builtinsModule: number;
    /** module object id → module name (from its sys.modules entry, or a Label event). */
    moduleNames: Map<number, string>;
    /** The event index at which the program starts running (the 'running' PhaseChange), 0 if none. */
    runningStart: number;
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
    readonly next: Int32Array;

    constructor(edgeCount: number) {
        this.cap = 1024;
        this.tab = new Int32Array(this.cap * 3);
        this.next = new Int32Array(Math.max(1, edgeCount)).fill(-1);
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
        if (v > 0) this.next[e] = v - 1;
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
            for (let p = head, q = this.next[head]; q >= 0; p = q, q = this.next[q]) {
                if (labels[q] === label) {
                    e = q;
                    prev = p;
                    break;
                }
            }
        }
        if (prev >= 0) this.next[prev] = this.next[e];
        else if (this.next[head] >= 0) tab[x + 2] = this.next[head] + 1;
        else tab[x + 2] = -1;
        this.next[e] = -1;
        return e;
    }
}

/** Open edges kept per target before it moves to the hash table. */
const BUCKET = 4;

/**
 * Open edges keyed by target first. Most objects have a few references recorded at a time (a
 * linked-list node: the global that named it, the next node, a parameter): those edges sit in a
 * small per-target bucket indexed by object id, so pairing a RefDel with its RefAdd touches memory
 * near the other recent events instead of a random slot of a large table. A target with more open
 * edges moves them to the hash table (until it has none again), which handles any pattern. Both
 * give the same answer: of the open edges (s → t), the newest with the same label, else the newest.
 */
class OpenEdgesByTarget {
    private readonly count: Int32Array;
    private readonly bucket: Int32Array;
    /** 1 while the target's open edges live in `multi`. */
    private readonly inMulti: Uint8Array;
    private readonly multi: OpenEdges;

    constructor(maxId: number, edgeCount: number, private readonly srcOf: Int32Array) {
        this.count = new Int32Array(maxId + 1);
        this.bucket = new Int32Array((maxId + 1) * BUCKET);
        this.inMulti = new Uint8Array(maxId + 1);
        this.multi = new OpenEdges(edgeCount);
    }

    push(s: number, t: number, e: number): void {
        const c = this.count[t];
        this.count[t] = c + 1;
        if (this.inMulti[t]) return this.multi.push(s, t, e);
        const base = t * BUCKET;
        if (c < BUCKET) {
            this.bucket[base + c] = e;
            return;
        }
        // Overflow: the bucket goes to the table oldest first, so the table's order is by age too.
        for (let j = 0; j < BUCKET; j++) this.multi.push(this.srcOf[this.bucket[base + j]], t, this.bucket[base + j]);
        this.inMulti[t] = 1;
        this.multi.push(s, t, e);
    }

    pop(s: number, t: number, label: number, labels: Int32Array): number {
        const c = this.count[t];
        if (c === 0) return -1;
        if (this.inMulti[t]) {
            const e = this.multi.pop(s, t, label, labels);
            if (e >= 0 && (this.count[t] = c - 1) === 0) this.inMulti[t] = 0;
            return e;
        }
        const base = t * BUCKET;
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
        this.count[t] = c - 1;
        return e;
    }
}

/** Kinds whose b field is an object id (the others hold counts, causes, sizes…). */
const B_IS_ID = new Int32Array(32);
B_IS_ID[EventKind.Alloc] = B_IS_ID[EventKind.RefAdd] = B_IS_ID[EventKind.RefDel] = -1;

/**
 * Events by kind and the largest object id. Branches that depend on the kind (a random pattern over
 * millions of events) are table lookups instead; a kind outside the tables counts nowhere.
 */
function scan(log: EventLogData): { maxId: number; kindCount: Int32Array } {
    const { kind, a, b } = log;
    const n = kind.length;
    const kindCount = new Int32Array(32);
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
    const objects: ObjRec[] = [];
    const frames: FrameTable = { length: 0, id: new Int32Array(frameCount), enter: new Int32Array(frameCount), exit: new Int32Array(frameCount).fill(NEVER), qualname: new Array<string>(frameCount) };
    const phases: PhaseRec[] = [];
    const collections: CollectionRec[] = [];
    const gcStack: CollectionRec[] = [];
    const finStack: { rec: ObjRec; run: FinalizerRun }[] = [];
    const errors: ErrorRec[] = [];
    const freezes: number[] = [];
    const moduleNames = new Map<number, string>();
    const edges: Edges = {
        count: 0,
        src: new Int32Array(refAdds),
        tgt: new Int32Array(refAdds),
        add: new Int32Array(refAdds),
        del: new Int32Array(refAdds).fill(NEVER),
        label: new Array<string>(refAdds),
        labelIndex: new Int32Array(refAdds),
        labelTable: labelsOf.table,
    };
    // Open edges by (src, tgt): a hash table of stacks (nextOpen chains multi-edges).
    const open = new OpenEdgesByTarget(maxId, refAdds, edges.src);
    // Last edge event that removed a reference to each object (index into the log).
    const lastDelOf = new Int32Array(maxId + 1).fill(-1);
    const lastAddOf = new Int32Array(maxId + 1).fill(-1);
    let sysModulesDict = -1;
    let runningStart = 0;
    const rec = (id: number): ObjRec | undefined => {
        const sl = id >= 0 && id <= maxId ? slots[id] : -1;
        return sl >= 0 ? objects[sl] : undefined;
    };

    for (let i = 0; i < n; i++) {
        switch (kind[i]) {
            case EventKind.Alloc: {
                const id = a[i];
                const o: ObjRec = new ObjRecord(id, eventString(log, i) ?? '?', b[i], i);
                slots[id] = objects.length;
                objects.push(o);
                break;
            }
            case EventKind.Dealloc: {
                const o = rec(a[i]);
                if (!o) break;
                o.death = i;
                o.cause = b[i];
                if (gcStack.length) o.collection = gcStack[gcStack.length - 1].index;
                if (b[i] === DeathCause.Refcount) {
                    // The reference whose removal started this death: the last RefDel to it, if no
                    // RefAdd came after it and it happened in the statement that started the death.
                    const d = lastDelOf[o.id];
                    const fin = o.finalizers ? o.finalizers[o.finalizers.length - 1].start : -1;
                    const trigger = fin > lastAddOf[o.id] ? fin : i;
                    if (d >= 0 && d > lastAddOf[o.id] && log.step[d] === log.step[trigger] && d <= trigger) o.lastRef = d;
                }
                break;
            }
            case EventKind.FinalizerStart: {
                const o = rec(a[i]);
                if (!o) break;
                const run: FinalizerRun = { start: i, end: NO_EVENT, output: '', collection: gcStack.length ? gcStack[gcStack.length - 1].index : -1 };
                (withRare(o).finalizers ??= []).push(run);
                finStack.push({ rec: o, run });
                break;
            }
            case EventKind.FinalizerEnd: {
                for (let j = finStack.length - 1; j >= 0; j--) {
                    if (finStack[j].rec.id === a[i]) {
                        finStack[j].run.end = i;
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
                const li = labelsOf.ofString[sIdx[i] + 1];
                edges.labelIndex[e] = li;
                edges.label[e] = labelsOf.table[li];
                open.push(src, tgt, e);
                lastAddOf[tgt] = i;
                if (sysModulesDict < 0) {
                    const t = rec(tgt);
                    if (t && t.type === 'module') sysModulesDict = src;
                }
                if (src === sysModulesDict) {
                    const t = rec(tgt);
                    if (t && t.type === 'module' && !moduleNames.has(tgt)) moduleNames.set(tgt, eventString(log, i) ?? '?');
                }
                break;
            }
            case EventKind.RefDel: {
                const src = a[i];
                const tgt = b[i];
                lastDelOf[tgt] = i;
                const e = open.pop(src, tgt, labelsOf.ofString[sIdx[i] + 1], edges.labelIndex);
                if (e < 0) break; // a reference taken without an edge event (e.g. __class__)
                edges.del[e] = i;
                break;
            }
            case EventKind.WeakrefCallback: {
                const r = rec(b[i]);
                if (r) (withRare(r).weakrefCallbacks ??= []).push(i);
                const w = rec(a[i]);
                if (w && w !== r) (withRare(w).weakrefCallbacks ??= []).push(i);
                break;
            }
            case EventKind.AtexitCall: {
                const o = rec(a[i]);
                if (o) (withRare(o).atexitCalls ??= []).push(i);
                break;
            }
            case EventKind.Resurrect: {
                const o = rec(a[i]);
                if (o) (withRare(o).resurrections ??= []).push(i);
                break;
            }
            case EventKind.Uncollectable: {
                const o = rec(a[i]);
                if (o) {
                    o.uncollectable = i;
                    withRare(o).toGarbage = b[i] === 1;
                }
                break;
            }
            case EventKind.Label: {
                const o = rec(a[i]);
                if (o && o.engineLabel === null) withRare(o).engineLabel = eventString(log, i);
                if (o && o.type === 'module' && eventString(log, i) && !moduleNames.has(o.id)) moduleNames.set(o.id, eventString(log, i)!);
                break;
            }
            case EventKind.FrameEnter: {
                const fi = frames.length++;
                frames.id[fi] = a[i];
                frames.qualname[fi] = eventString(log, i) ?? '?';
                frames.enter[fi] = i;
                if (a[i] <= maxId) slots[a[i]] = -2 - fi;
                break;
            }
            case EventKind.FrameExit: {
                const sl = a[i] <= maxId ? slots[a[i]] : -1;
                if (sl <= -2 && frames.exit[-2 - sl] === NEVER) frames.exit[-2 - sl] = i;
                break;
            }
            case EventKind.Freeze:
                freezes.push(i);
                break;
        }
    }

    // Edges whose source or target died (or whose frame exited) without a matching RefDel end then.
    for (let e = 0; e < edges.count; e++) {
        if (edges.del[e] !== NEVER) continue;
        const sl = edges.src[e] <= maxId ? slots[edges.src[e]] : -1;
        let end = NEVER;
        if (sl >= 0) end = objects[sl].death;
        else if (sl <= -2) end = frames.exit[-2 - sl];
        const t = rec(edges.tgt[e]);
        if (t && t.death < end) end = t.death;
        edges.del[e] = end;
    }

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
        slotOf: (id) => (id >= 0 && id <= maxId ? slots[id] : -1),
        slots,
        objectById: rec,
        frames,
        phases,
        collections,
        errors,
        freezes,
        edges,
        sysModulesDict,
        sysModule,
        builtinsModule,
        moduleNames,
        runningStart,
        maxId,
    };
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
