/*
 * beyond.ts
 *
 * Issue 8, "beyond one CPython process": the report sections derived from the event log for
 *   - tracing-GC runtimes (PyPy, Jython): objects pending collection, resources still open over time;
 *   - native blocks (`# exitscope: c-alloc`): how a leak checker classifies them at exit;
 *   - pymalloc: live object bytes versus memory held from the OS (arenas), over the run and at exit;
 *   - embedded interpreters (`embedded: N`): what each Py_FinalizeEx cycle leaves behind.
 * Everything here reads EventLogData (and the profile table); nothing re-simulates.
 */

import { EventKind, DeathCause, eventString, type EventLogData } from '../engine/events';
import type { Profile } from '../engine/profiles';
import { DOCS_PYPY_GC, type Explanation, type Finding, type ObjectReport } from './types';
import { analyze } from './report';
import { phaseText } from './phaseNames';
import type { ObjectTable } from './decode';

// ------------------------------------------------------------------------------------------------
// tracing GC

export interface PendingObject {
    id: number;
    type: string;
    label: string;
    allocLine: number;
    /** Event index and line where its count reached zero (it became unreachable). */
    unreachableAt: number;
    unreachableLine: number;
    hasFinalizer: boolean;
    /** Freed by an explicit gc.collect() (event index), or null: still pending at exit. */
    collectedAt: number | null;
    /** What the report can say about when it is finalized/freed. */
    when: string;
}

export interface TracingSection {
    runtime: string;
    collector: string;
    /** Objects whose count reached zero (user objects only). */
    pending: PendingObject[];
    /** Column-wise series, one point per change: unreachable-but-not-freed objects, and those of them with a finalizer not yet run ("resources still open"). */
    series: { at: number[]; step: number[]; line: number[]; pending: number[]; openResources: number[] };
    /** Peak of openResources, and how many are still pending at exit. */
    peakOpenResources: number;
    pendingAtExit: number;
    note: string;
}

export const MAY_RUN_LATER = 'may run at any later collection, or never';

export function tracingSection(log: EventLogData, profile: Profile, objects: ObjectReport[]): TracingSection | null {
    const tg = profile.tracingGc;
    if (!tg) return null;
    const byId = new Map(objects.map((o) => [o.id, o]));
    const pending = new Map<number, PendingObject>();
    const series: TracingSection['series'] = { at: [], step: [], line: [], pending: [], openResources: [] };
    let cur = 0;
    let open = 0;
    let peak = 0;
    const push = (i: number): void => {
        series.at.push(i);
        series.step.push(log.step[i]);
        series.line.push(log.line[i]);
        series.pending.push(cur);
        series.openResources.push(open);
        if (open > peak) peak = open;
    };
    for (let i = 0; i < log.kind.length; i++) {
        const k = log.kind[i];
        if (k === EventKind.PendingGarbage) {
            const o = byId.get(log.a[i]);
            if (!o || pending.has(o.id)) continue;
            const fin = log.b[i] === 1;
            pending.set(o.id, { id: o.id, type: o.type, label: o.label, allocLine: o.allocLine, unreachableAt: i, unreachableLine: log.line[i], hasFinalizer: fin, collectedAt: null, when: '' });
            cur++;
            if (fin) open++;
            push(i);
        } else if (k === EventKind.Dealloc) {
            const p = pending.get(log.a[i]);
            if (!p || p.collectedAt !== null) continue;
            p.collectedAt = i;
            cur--;
            if (p.hasFinalizer) open--;
            push(i);
        } else if (k === EventKind.FinalizerEnd) {
            // A finalizer that ran closes the resource even if the object is kept one more collection.
            const p = pending.get(log.a[i]);
            if (p && p.hasFinalizer && p.collectedAt === null) {
                p.hasFinalizer = false;
                open--;
                push(i);
            }
        }
    }
    let atExit = 0;
    for (const p of pending.values()) {
        if (p.collectedAt !== null) p.when = `freed by the explicit gc.collect() at line ${log.line[p.collectedAt]}`;
        else {
            atExit++;
            p.when = tg.collectRunsFinalizers
                ? `unreachable since line ${p.unreachableLine}; not freed by any explicit collection: its memory and ${p.hasFinalizer ? 'its __del__' : 'finalization'} ${MAY_RUN_LATER} (${profile.runtime} does not finalize at exit)`
                : `unreachable since line ${p.unreachableLine}; ${tg.collector} ${MAY_RUN_LATER} (gc.collect() is only a hint)`;
        }
    }
    return {
        runtime: profile.runtime,
        collector: tg.collector,
        pending: [...pending.values()],
        series,
        peakOpenResources: peak,
        pendingAtExit: atExit,
        note: `No automatic collection is simulated: on ${profile.runtime} an object whose last reference goes away is freed, and its finalizer run, at some later collection (${MAY_RUN_LATER}). At exit ${tg.atexitHandlersRun ? 'atexit handlers run' : `${profile.runtime} (as packaged in Debian, measured) runs no atexit handler at all`}; __del__ of objects still alive does not run.`,
    };
}

export const PENDING_EXPLANATION: Explanation = {
    title: 'Still open until a collection runs (tracing GC)',
    text: 'On PyPy and Jython objects are not freed when their last reference goes away, but at some later garbage collection; a finalizer (__del__, or a file closing itself) runs then, or never if no collection happens before exit. CPython closes the previous resource at once when the name is rebound; a tracing runtime keeps every one of them open.',
    fix: 'Close resources explicitly: use `with` (a context manager) or call close() in a try/finally. That is the only portable answer; gc.collect() helps on PyPy but is only a hint on Jython.',
    docs: [DOCS_PYPY_GC],
};

export function pendingFindings(t: TracingSection): Finding[] {
    const byLine = new Map<number, PendingObject[]>();
    for (const p of t.pending) {
        if (!p.hasFinalizer && p.collectedAt !== null) continue;
        if (!p.hasFinalizer) continue;
        const l = byLine.get(p.allocLine) ?? [];
        l.push(p);
        byLine.set(p.allocLine, l);
    }
    const out: Finding[] = [];
    for (const [line, ps] of byLine) {
        const n = ps.length;
        const stillOpen = ps.filter((p) => p.collectedAt === null).length;
        out.push({
            kind: 'pending-finalization',
            severity: 'warning',
            message: `${n === 1 ? `${ps[0].label} (${ps[0].type}) became` : `${n} ${ps[0].type} objects allocated here became`} unreachable but ${t.runtime} does not finalize on the spot: __del__ ${MAY_RUN_LATER}${stillOpen ? ` (${stillOpen} still open at exit)` : ''}; at most ${t.peakOpenResources} were open at once`,
            line,
            column: 1,
            objects: ps.slice(0, 100).map((p) => p.id),
            objectCount: n,
            related: ps.slice(0, 5).map((p) => ({ line: p.unreachableLine, column: 1, message: `last reference to ${p.label} dropped here` })),
            explanation: PENDING_EXPLANATION,
        });
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
// native blocks

/**
 * What becomes of a native block at exit. `still-reachable`: its owner is never freed, so memory a
 * leak checker scans still points at it. `owner-freed`: its owner was freed without freeing it (or
 * it never had one): a leak of the C code, which Valgrind calls definitely lost or still reachable
 * depending on whether the freed owner's memory still holds the pointer at exit (neither reused nor
 * returned to the OS); both happen on 3.13, whether the owner died while running or at shutdown
 * (audit #54's probe and scripts/probes/native_owner_freed.py), and this model does not track memory
 * contents, so the report names both.
 */
export type LeakClass = 'freed' | 'freed-at-exit' | 'still-reachable' | 'owner-freed';

export interface NativeBlockReport {
    id: number;
    label: string;
    size: number;
    freed: 'never' | 'at-exit' | 'with';
    line: number;
    /** The object that pointed at it when it was allocated (0: none). */
    owner: number;
    ownerLabel: string | null;
    /** How Valgrind / LeakSanitizer classify it when the process ends. */
    atExit: LeakClass;
    freedAt: number | null;
    /** The shutdown phase that freed the owner, when it died during shutdown (else null). */
    ownerFreedIn: string | null;
    /** The line whose statement freed the owner, when it died while the program ran (else null). */
    ownerFreedLine: number | null;
}

export interface NativeSection {
    blocks: NativeBlockReport[];
    totals: Record<LeakClass, { blocks: number; bytes: number }>;
    note: string;
}

const NATIVE_NOTE =
    'The operating system reclaims every block when the process ends, so a one-shot script loses nothing. A leak checker (Valgrind, LeakSanitizer) reports the blocks still allocated at exit: "still reachable" while memory it scans holds a pointer to them (a live object\u2019s, or a freed object\u2019s that nothing reused and pymalloc did not return to the OS), "definitely lost" otherwise. So a block whose owner was freed shows as either, depending on what happened to the owner\u2019s memory afterwards: Valgrind on CPython 3.13 reports both, for owners freed while running and at shutdown alike. An application that embeds Python and calls Py_FinalizeEx without exiting keeps them, and loses more with each initialize/finalize cycle.';

export function nativeSection(log: EventLogData, objects: ObjectReport[]): NativeSection | null {
    // Most runs declare no native block: do not index hundreds of thousands of objects for nothing.
    // A NativeAlloc always follows the Alloc of its block, of type 'native' (engine/native.ts): a log
    // whose strings lack that name has none, and the strings table is short where the log is not.
    if (!log.strings.includes('native') || !log.kind.includes(EventKind.NativeAlloc)) return null;
    const byId = new Map(objects.map((o) => [o.id, o]));
    const blocks: NativeBlockReport[] = [];
    const idx = new Map<number, NativeBlockReport>();
    for (let i = 0; i < log.kind.length; i++) {
        const k = log.kind[i];
        if (k === EventKind.NativeAlloc) {
            const [label, freed, owner] = (eventString(log, i) ?? '').split('\u0000');
            const ow = Number(owner) || 0;
            const b: NativeBlockReport = { id: log.a[i], label, size: log.b[i], freed: freed as NativeBlockReport['freed'], line: log.line[i], owner: ow, ownerLabel: byId.get(ow)?.label ?? null, atExit: 'owner-freed', freedAt: null, ownerFreedIn: null, ownerFreedLine: null };
            blocks.push(b);
            idx.set(b.id, b);
        } else if (k === EventKind.Dealloc && log.b[i] === DeathCause.NativeFree) {
            const b = idx.get(log.a[i]);
            if (b) b.freedAt = i;
        }
    }
    if (!blocks.length) return null;
    const totals = { freed: { blocks: 0, bytes: 0 }, 'freed-at-exit': { blocks: 0, bytes: 0 }, 'still-reachable': { blocks: 0, bytes: 0 }, 'owner-freed': { blocks: 0, bytes: 0 } };
    for (const b of blocks) {
        if (b.freedAt !== null) b.atExit = b.freed === 'at-exit' ? 'freed-at-exit' : 'freed';
        else {
            const owner = b.owner ? byId.get(b.owner) : undefined;
            // Still reachable: the owner is never freed, so its memory points at the block at exit;
            // that holds for garbage a tracing GC never collected too (its memory is not reclaimed:
            // Valgrind on pypy3 7.3.11, scripts/probes/native_owner_freed.py). An owner freed
            // without freeing the block leaves it to chance (LeakClass).
            if (owner?.survivesExit) b.atExit = 'still-reachable';
            else if (owner) {
                const late = owner.phase !== null && owner.phase !== 'running' && owner.phase !== 'startup';
                if (late) b.ownerFreedIn = owner.phase;
                else b.ownerFreedLine = owner.death?.line || null;
            }
        }
        totals[b.atExit].blocks++;
        totals[b.atExit].bytes += b.size;
    }
    return { blocks, totals, note: NATIVE_NOTE };
}

export const NATIVE_LEAK_EXPLANATION: Explanation = {
    title: 'Native memory never freed',
    text: NATIVE_NOTE,
    fix: 'Release the C resource explicitly (a close() method, a context manager, or weakref.finalize), and do not rely on process exit when Python is embedded.',
    docs: [{ title: 'Py_FinalizeEx: bugs and caveats', url: 'https://docs.python.org/3/c-api/init.html#c.Py_FinalizeEx' }],
};

/** When the block's owner was freed without freeing it. */
function ownerFreedWhen(b: NativeBlockReport): string {
    if (!b.owner) return 'nothing in the program pointed at them';
    const who = b.ownerLabel ?? 'their owner';
    if (b.ownerFreedIn) return `${who} was freed during shutdown (${phaseText(b.ownerFreedIn)}) without freeing them`;
    return `${who} was freed${b.ownerFreedLine ? ` at line ${b.ownerFreedLine}` : ''} without freeing them`;
}

export function nativeFindings(n: NativeSection): Finding[] {
    const out: Finding[] = [];
    for (const b of n.blocks) {
        if (b.atExit !== 'owner-freed' && b.atExit !== 'still-reachable') continue;
        const reachable = b.atExit === 'still-reachable';
        out.push({
            kind: `native/${b.atExit}`,
            // A leak while the program runs (each owner freed this way loses its block) is a warning;
            // one left when the process ends costs a one-shot script nothing.
            severity: !reachable && !b.ownerFreedIn ? 'warning' : 'note',
            message: reachable
                ? `${b.size} bytes "${b.label}" allocated by C code are never freed: a leak checker reports them as still reachable (${b.ownerLabel ?? 'a live object'} points at them at exit); the OS reclaims them when the process ends, an embedding host does not`
                : `${b.size} bytes "${b.label}" allocated by C code are never freed: ${ownerFreedWhen(b)}; a leak checker reports them as definitely lost, or as still reachable if the freed memory still holds the pointer at exit; the OS reclaims them when the process ends, an embedding host does not`,
            line: b.line,
            column: 1,
            objects: [b.id],
            objectCount: 1,
            related: [],
            explanation: NATIVE_LEAK_EXPLANATION,
        });
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
// pymalloc

export interface MemorySection {
    arenaSize: number;
    poolSize: number;
    alignment: number;
    /**
     * Column-wise series: a point at each allocation or free (objects and native blocks) that changes
     * held memory (arenas, pools, malloc), and at the last one before each phase change. Step
     * functions: each value holds until the next point.
     */
    series: { at: number[]; liveBytes: number[]; heldBytes: number[]; arenas: number[]; pools: number[] };
    atExit: { liveBytes: number; heldBytes: number; arenas: number; pools: number; mallocBytes: number };
    peak: { liveBytes: number; heldBytes: number };
    /** Start-up state the model starts from (measured, profiles.ts). */
    startup: { arenas: number; pools: number };
    note: string;
}

/** Size of one object of `type` in this profile (sys.getsizeof, GC header included). */
/** Type names a version uses for a type the size table knows under another name. */
const SIZE_KEYS: Record<string, string> = { ReferenceType: 'weakref', instancemethod: 'method' };

export function objectSize(profile: Profile, type: string): number {
    const s = profile.memory.sizes;
    return s[SIZE_KEYS[type] ?? type] ?? s.instance ?? 48;
}

/**
 * A model of obmalloc: size classes of `alignment` bytes up to 512; a used pool serves one class;
 * a new pool comes from the arena with the fewest free pools (usable_arenas order); an empty pool
 * returns to its arena; an arena whose pools are all free goes back to the OS. Larger requests
 * (native blocks, big objects) go to malloc and are returned at once.
 */
interface Pool {
    cls: number;
    arena: number;
    used: number;
    cap: number;
    /** Creation order: of a class's pools with free blocks, the oldest serves the next request. */
    seq: number;
    inHeap: boolean;
    empty: boolean;
    /** Position in Obmalloc's list of pools. */
    index: number;
}

/** Min-heap of pools by `seq` (lazy: full and emptied pools are dropped when they reach the top). */
class PoolHeap {
    private items: Pool[] = [];
    push(p: Pool): void {
        const h = this.items;
        let i = h.length;
        h.push(p);
        while (i > 0) {
            const up = (i - 1) >> 1;
            if (h[up].seq <= p.seq) break;
            h[i] = h[up];
            i = up;
        }
        h[i] = p;
        p.inHeap = true;
    }
    /** The oldest pool that still has a free block, or null. */
    firstUsable(): Pool | null {
        const h = this.items;
        while (h.length) {
            const top = h[0];
            if (!top.empty && top.used < top.cap) return top;
            top.inHeap = false;
            const last = h.pop()!;
            if (h.length) {
                let i = 0;
                for (;;) {
                    const l = 2 * i + 1;
                    if (l >= h.length) break;
                    const c = l + 1 < h.length && h[l + 1].seq < h[l].seq ? l + 1 : l;
                    if (h[c].seq >= last.seq) break;
                    h[i] = h[c];
                    i = c;
                }
                h[i] = last;
            }
        }
        return null;
    }
}

class Obmalloc {
    private arenas: { free: number; pools: number }[] = [];
    /** class → its pools with free blocks (CPython's usedpools[class]). */
    private heaps: (PoolHeap | undefined)[] = [];
    /** Every pool made, and by object id the index + 1 of its pool (0: not a pymalloc block): hundreds of thousands of objects, no pointers to trace. */
    private allPools: Pool[] = [];
    private where: Int32Array;
    private seq = 0;
    live = 0;
    malloc = 0;
    /** Pools in use, and arenas holding at least one (kept as counters: read at every point). */
    poolCount = 0;
    arenasHeld = 0;
    constructor(
        private readonly p: Profile['memory'],
        maxId: number,
    ) {
        this.where = new Int32Array(maxId + 1);
    }
    alloc(id: number, size: number): void {
        this.live += size;
        if (size > this.p.smallThreshold) {
            this.malloc += size;
            return;
        }
        const cls = Math.ceil(Math.max(size, 1) / this.p.alignment);
        const heap = (this.heaps[cls] ??= new PoolHeap());
        const pool = heap.firstUsable() ?? this.newPool(heap, cls);
        pool.used++;
        if (id >= this.where.length) this.growWhere(id);
        this.where[id] = pool.index + 1;
    }
    /** A new pool for class `cls`, from the arena with the fewest free pools (a new arena when all are full). */
    private newPool(heap: PoolHeap, cls: number): Pool {
        const perArena = Math.floor(this.p.arenaSize / this.p.poolSize);
        let ai = -1;
        let best = Infinity;
        for (let i = 0; i < this.arenas.length; i++) {
            const a = this.arenas[i];
            if (a.pools < perArena && perArena - a.pools < best) {
                best = perArena - a.pools;
                ai = i;
            }
        }
        if (ai < 0) {
            this.arenas.push({ free: 0, pools: 0 });
            ai = this.arenas.length - 1;
        }
        if (this.arenas[ai].pools++ === 0) this.arenasHeld++;
        const blk = cls * this.p.alignment;
        const pool: Pool = { cls, arena: ai, used: 0, cap: Math.floor((this.p.poolSize - 48) / blk), seq: this.seq++, inHeap: false, empty: false, index: this.allPools.length };
        this.allPools.push(pool);
        this.poolCount++;
        heap.push(pool);
        return pool;
    }
    private growWhere(id: number): void {
        const w = new Int32Array(Math.max(id + 1, this.where.length * 2));
        w.set(this.where);
        this.where = w;
    }
    /** Frees a block `alloc` gave out with the same id and size. */
    free(id: number, size: number): void {
        this.live -= size;
        if (size > this.p.smallThreshold) {
            this.malloc -= size;
            return;
        }
        const pi = id < this.where.length ? this.where[id] : 0;
        if (pi === 0) return;
        const pool = this.allPools[pi - 1];
        this.where[id] = 0;
        pool.used--;
        if (pool.used === 0) {
            // An empty pool goes back to its arena (the heap drops it lazily).
            pool.empty = true;
            this.poolCount--;
            const a = this.arenas[pool.arena];
            a.pools--;
            if (a.pools === 0) {
                // free_arena: returned to the OS (keep the slot so arena indices stay valid).
                a.free = -1;
                this.arenasHeld--;
            }
        } else if (!pool.inHeap) {
            // It was full: it can serve requests again.
            this.heaps[pool.cls]!.push(pool);
        }
    }
}

/** sizeOfString: a type name not seen yet. */
const UNSIZED = -2;

/**
 * `events`: the log's Alloc, NativeAlloc, Dealloc and PhaseChange event indices in log order
 * (Decoded.memoryEvents; the other kinds change nothing here); `maxId`: the largest object id in
 * the log (Decoded.maxId).
 */
export function memorySection(log: EventLogData, events: Int32Array, profile: Profile, maxId: number): MemorySection | null {
    const m = profile.memory;
    if (!m.pymalloc) return null;
    const heap = new Obmalloc(m, maxId);
    const series: MemorySection['series'] = { at: [], liveBytes: [], heldBytes: [], arenas: [], pools: [] };
    let peakLive = 0;
    let peakHeld = 0;
    // One point per change of held memory (arenas, pools, malloc): the series are step functions
    // that stay exact between points, and a 300,000-object run gives thousands of points, not a
    // million. Live bytes are exact at each point; their peak is tracked at every event.
    let lastArenas = -1;
    let lastPools = -1;
    let lastMalloc = -1;
    // The last memory event not yet a point (-1: none): written out at each phase change and at
    // the end, so the state at the end of every phase (e.g. when the program stops running) is exact.
    let unwritten = -1;
    const write = (i: number): void => {
        const arenas = heap.arenasHeld;
        const held = arenas * m.arenaSize + heap.malloc;
        unwritten = -1;
        lastArenas = arenas;
        lastPools = heap.poolCount;
        lastMalloc = heap.malloc;
        series.at.push(i);
        series.liveBytes.push(heap.live);
        series.heldBytes.push(held);
        series.arenas.push(arenas);
        series.pools.push(heap.poolCount);
        if (held > peakHeld) peakHeld = held;
    };
    const point = (i: number): void => {
        if (heap.live > peakLive) peakLive = heap.live;
        if (heap.arenasHeld === lastArenas && heap.poolCount === lastPools && heap.malloc === lastMalloc) unwritten = i;
        else write(i);
    };
    // Object id → its size (0: not sized, e.g. created before the log starts); per distinct type
    // name string (events' string index) → its size.
    const sizes = new Int32Array(maxId + 1);
    // By string index + 1 (0: no string): UNSIZED until first seen.
    const sizeOfString = new Int32Array(log.strings.length + 1).fill(UNSIZED);
    const { kind, a, b, sIdx } = log;
    for (let j = 0; j < events.length; j++) {
        const i = events[j];
        const k = kind[i];
        if (k === EventKind.Alloc) {
            const si = sIdx[i];
            let size = sizeOfString[si + 1];
            if (size === UNSIZED) {
                const type = si < 0 ? null : log.strings[si];
                // 'native' blocks are sized by the NativeAlloc that follows (-1: skip).
                size = type === 'native' ? -1 : objectSize(profile, type ?? 'object');
                sizeOfString[si + 1] = size;
            }
            if (size < 0) continue;
            sizes[a[i]] = size;
            heap.alloc(a[i], size);
            point(i);
        } else if (k === EventKind.NativeAlloc) {
            sizes[a[i]] = b[i];
            heap.alloc(a[i], b[i]);
            point(i);
        } else if (k === EventKind.Dealloc) {
            const size = sizes[a[i]];
            if (size === 0) continue;
            sizes[a[i]] = 0;
            heap.free(a[i], size);
            point(i);
        } else if (k === EventKind.PhaseChange && unwritten >= 0) {
            write(unwritten);
        }
    }
    if (unwritten >= 0) write(unwritten);
    const arenas = heap.arenasHeld;
    return {
        arenaSize: m.arenaSize,
        poolSize: m.poolSize,
        alignment: m.alignment,
        series,
        atExit: { liveBytes: heap.live, heldBytes: arenas * m.arenaSize + heap.malloc, arenas, pools: heap.poolCount, mallocBytes: heap.malloc },
        peak: { liveBytes: peakLive, heldBytes: peakHeld },
        startup: { arenas: m.startupArenas, pools: m.startupPools },
        note: `Objects up to ${m.smallThreshold} bytes live in ${m.poolSize / 1024} KiB pools inside ${m.arenaSize / 1024} KiB arenas; an arena goes back to the OS only when all its pools are empty, so one live object keeps its whole arena. Sizes: sys.getsizeof per type (GC header included), on top of the ${m.startupArenas} arena(s) CPython holds at start-up. Nothing frees the arenas at exit: the OS does.`,
    };
}

// ------------------------------------------------------------------------------------------------
// embedded interpreters

export interface EmbedCycleReport {
    cycle: number;
    /** Objects of this cycle never freed (survivors, uncollectable): the memory stays with the process. */
    survivors: number;
    survivorBytes: number;
    uncollectable: number;
    /** Native blocks never freed in this cycle. */
    nativeLostBytes: number;
    /** Per-cycle constant of the profile (interned strings, static state), or null when unmeasured. */
    staticBytes: number | null;
    /** Total bytes this cycle leaves behind, and the running total after it. */
    leakedBytes: number;
    cumulativeBytes: number;
    stdout: string;
    runResult: 0 | -1;
    endedProcess: boolean;
}

export interface EmbeddedSection {
    cycles: EmbedCycleReport[];
    /** Allocation sites whose objects or blocks outlive a cycle, with their count per cycle. */
    causes: { line: number; type: string; label: string; perCycle: number[]; bytesPerCycle: number }[];
    note: string;
}

export function embeddedSection(
    profile: Profile,
    cycles: NonNullable<import('../engine/api').SimulationResult['cycles']>,
    cycleEvents: EventLogData[],
): EmbeddedSection {
    const out: EmbedCycleReport[] = [];
    const causes = new Map<string, EmbeddedSection['causes'][number]>();
    let cumulative = 0;
    cycles.forEach((c, ci) => {
        const ev = cycleEvents[ci];
        const ctx = analyze({ events: ev });
        let survivors = 0;
        let bytes = 0;
        let nativeLost = 0;
        const native = new Map<number, number>();
        for (let i = 0; i < ev.kind.length; i++) if (ev.kind[i] === EventKind.NativeAlloc) native.set(ev.a[i], ev.b[i]);
        for (const l of ctx.lifetimes) {
            if (l.owner !== 'user' || l.fate !== 'survives-exit') continue;
            const isNative = native.has(l.id);
            const size = isNative ? native.get(l.id)! : objectSize(profile, l.type);
            if (isNative) nativeLost += size;
            else {
                survivors++;
                bytes += size;
            }
            const line = ev.line[l.allocAt];
            const key = `${line}\u0000${l.type}`;
            let cause = causes.get(key);
            if (!cause) causes.set(key, (cause = { line, type: l.type, label: l.label, perCycle: new Array(cycles.length).fill(0), bytesPerCycle: 0 }));
            cause.perCycle[ci]++;
            if (ci === 0) cause.bytesPerCycle += size;
        }
        const uncollectable = countUncollectable(ctx.decoded.objects);
        const staticBytes = profile.memory.embedCycleLeakBytes;
        const leaked = bytes + nativeLost + (staticBytes ?? 0);
        cumulative += leaked;
        out.push({ cycle: c.cycle, survivors, survivorBytes: bytes, uncollectable, nativeLostBytes: nativeLost, staticBytes, leakedBytes: leaked, cumulativeBytes: cumulative, stdout: c.stdout, runResult: c.runResult, endedProcess: c.endedProcess });
    });
    return {
        cycles: out,
        causes: [...causes.values()].sort((a, b) => a.line - b.line),
        note: `Each cycle is Py_InitializeEx, PyRun_SimpleFile, Py_FinalizeEx in one process. Objects a cycle never frees, and native blocks nobody frees, stay allocated for the life of the host process and add up cycle after cycle${embedConstantNote(profile)}.`,
    };
}

/** What CPython itself keeps per cycle, as measured (Profile.memory.embedCycleLeakBytes); nothing said when unmeasured. */
function embedConstantNote(profile: Profile): string {
    const b = profile.memory.embedCycleLeakBytes;
    if (b === null) return '';
    if (b === 0) return `; CPython ${profile.name} itself frees everything a cycle of an empty script allocates (measured with Valgrind, test/embedding/host.c)`;
    return `, on top of about ${b} bytes per cycle CPython ${profile.name} itself keeps (measured with Valgrind, test/embedding/host.c)`;
}

/** How many objects had an Uncollectable event. */
function countUncollectable(objects: ObjectTable): number {
    let n = 0;
    for (let i = 0; i < objects.length; i++) if (objects.uncollectable[i] >= 0) n++;
    return n;
}
