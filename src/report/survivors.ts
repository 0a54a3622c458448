/*
 * survivors.ts
 *
 * Why an object is still allocated when the interpreter is gone, and which objects lived far
 * longer than they were reachable ("late lifetimes"):
 *   - survivors: held by interpreter state never cleared (a `sys` attribute…), a frame that never
 *     returned, a holder the log does not show (C-level registries), created by a finalizer after
 *     the last collection, an uncollectable cycle (2.7 `__del__` in a cycle → gc.garbage),
 *     gc.garbage via DEBUG_SAVEALL, resurrected by a finalizer, frozen by gc.freeze(), a cycle
 *     nothing collected, the run ended by os._exit or stopped by the engine;
 *   - cycle garbage: unreachable from every root at event S, freed by a collection at T;
 *   - held until shutdown by a default argument, a class-level registry or a saved traceback.
 * Reachability comes from the reference edges alone (graph.ts).
 */

import { DeathCause, EventKind } from '../engine/events';
import { NEVER, isClassTypeName, isShutdownPhase, labelIndexOf, phaseAt, type Decoded } from './decode';
import type { HeapIndex, Reach } from './graph';
import type { Lifetime } from './lifetimes';
import type { SurvivorReason } from './types';

export type LateKind = 'saved-traceback' | 'bound-method-cycle' | 'closure-cycle' | 'reference-cycle' | 'default-argument' | 'class-registry';

export interface CycleGroup {
    kind: LateKind;
    /** Event index at which the group became unreachable (last outside reference dropped), or null. */
    since: number | null;
    /** When it died (first member's death), or NEVER for leaked groups. */
    died: number;
    collection: number | null;
}

export interface SurvivorAnalysis {
    endReach: Reach | null;
    /** Why each survivor is still there, by object node (null: not a survivor). */
    reasons: (SurvivorReason | null)[];
    /** Cycle groups: collected by the GC (while running or at shutdown) and leaked ones. */
    groups: CycleGroup[];
    /** By object node: its cycle group (index into groups), or -1. */
    groupOf: Int32Array;
    /** By object node: objects dying at shutdown whose chain at the end of the run passes through a notable holder (else null). */
    heldUntilShutdown: (LateKind | null)[];
    runEnd: number;
    runEndReach: Reach | null;
    /**
     * By object node, for survivors: the object whose fate decided this one's (one finding per
     * cause): the frozen, gc.garbage or revived object it hangs off, or the object directly under
     * the root that holds it at exit; -1 for survivors reported per allocation site.
     */
    causeOf: Int32Array;
}

const F_RESURRECTED = 1;
const F_GARBAGE = 2;
const F_DEFAULTS = 4;
const F_CLASSATTR = 8;
const F_TRACEBACK = 16;

const TRACEBACK_EDGES = new Set(['__traceback__', 'tb_frame', 'tb_next', 'last_traceback', 'last_value', 'last_exc', 'f_back']);

/** A class attribute that is itself a function or class is just the class's own code. */
const CLASS_CODE_TYPES = new Set(['function', 'type', 'classobj', 'dict', 'classmethod', 'staticmethod', 'property', 'tuple', 'cell']);

/**
 * Per node flags OR-ed down the BFS tree of `reach` (each node inherits its parent's), computed
 * for the nodes asked about and their ancestors only, memoized. `seed(node, parentEdge)` gives a
 * node's own flags (parentEdge -1 for a root).
 */
class InheritedFlags {
    private readonly memo: Uint8Array;
    private readonly done: Uint8Array;
    private readonly path: number[] = [];

    constructor(
        private readonly g: HeapIndex,
        private readonly reach: Reach,
        private readonly seed: (node: number, e: number) => number,
    ) {
        this.memo = new Uint8Array(g.nodeCount);
        this.done = new Uint8Array(g.nodeCount);
    }

    of(v: number): number {
        const { g, memo, done, path } = this;
        const parentEdge = this.reach.parentEdge;
        if (done[v]) return memo[v];
        let u = v;
        path.length = 0;
        while (!done[u]) {
            path.push(u);
            const e = parentEdge[u];
            if (e < 0) break;
            u = g.srcNode(e);
            if (u < 0) break;
        }
        for (let k = path.length - 1; k >= 0; k--) {
            const x = path[k];
            const e = parentEdge[x];
            let f = this.seed(x, e);
            if (e >= 0) {
                const p = g.srcNode(e);
                if (p >= 0) f |= memo[p];
            }
            memo[x] = f;
            done[x] = 1;
        }
        return memo[v];
    }
}

function typesWithDel(d: Decoded, g: HeapIndex): Set<number> {
    const nObj = d.objects.length;
    const dictOwner = new Map<number, number>();
    const E = d.edges;
    const DICT = labelIndexOf(E, '__dict__');
    const DEL = labelIndexOf(E, '__del__');
    for (let e = 0; e < E.count; e++) {
        if (E.labelIndex[e] !== DICT) continue;
        const s = g.srcNode(e);
        if (s >= 0 && s < nObj && isClassTypeName(d.objects.type(s))) dictOwner.set(E.tgt[e], d.objects.id[s]);
    }
    const out = new Set<number>();
    for (let e = 0; e < E.count; e++) {
        if (E.labelIndex[e] !== DEL) continue;
        const owner = dictOwner.get(E.src[e]);
        if (owner !== undefined) out.add(owner);
        else if (g.srcNode(e) >= 0 && g.srcNode(e) < nObj && isClassTypeName(d.objects.type(g.srcNode(e)))) out.add(E.src[e]);
    }
    return out;
}

// What makes a cycle group a saved traceback, a bound-method or a closure cycle (a member's type
// or a reference inside the group); the first that applies, in this order, names the group.
const K_TRACEBACK = 1;
const K_METHOD = 2;
const K_CLOSURE = 4;

function kindBitsOfType(type: string): number {
    if (type === 'traceback' || type === 'frame') return K_TRACEBACK;
    if (type === 'method' || type === 'instancemethod') return K_METHOD;
    return type === 'cell' ? K_CLOSURE : 0;
}

function kindBitsOfLabel(label: string): number {
    if (label === 'tb_frame' || label === '__traceback__') return K_TRACEBACK;
    if (label === '__self__') return K_METHOD;
    return label === '__closure__' || label === 'cell_contents' ? K_CLOSURE : 0;
}

function kindOfBits(bits: number): LateKind {
    if (bits & K_TRACEBACK) return 'saved-traceback';
    if (bits & K_METHOD) return 'bound-method-cycle';
    return bits & K_CLOSURE ? 'closure-cycle' : 'reference-cycle';
}


/** What the analysis reads of every object, gathered in one pass over the records. */
interface ObjectScan {
    /** By object node: the collection a GC death died in, else -1 (cycle-group keys before leaks are added). */
    groupKey: Int32Array;
    /** By object node: kindBitsOfType of GC deaths and survivors (the objects cycle groups hold). */
    typeBits: Uint8Array;
    /** Object nodes never freed. */
    survivors: number[];
    userSurvivor: boolean;
    /** User objects alive when the program finished running (`runEnd`) that die during shutdown. */
    shutdownDeaths: number[];
}

function scanObjects(d: Decoded, lifetimes: Lifetime[], runEnd: number, shutdown: boolean): ObjectScan {
    const nObj = d.objects.length;
    const groupKey = new Int32Array(nObj).fill(-1);
    const typeBits = new Uint8Array(nObj);
    const survivors: number[] = [];
    const shutdownDeaths: number[] = [];
    let userSurvivor = false;
    const { collection, cause, death, alloc } = d.objects;
    for (let v = 0; v < nObj; v++) {
        const gcDeath = collection[v] >= 0 && cause[v] === DeathCause.GcClear;
        if (gcDeath) groupKey[v] = collection[v];
        if (death[v] === NEVER) {
            survivors.push(v);
            if (lifetimes[v].owner === 'user') userSurvivor = true;
        } else if (shutdown && death[v] > runEnd && alloc[v] <= runEnd && lifetimes[v].owner === 'user') shutdownDeaths.push(v);
        if (gcDeath || death[v] === NEVER) typeBits[v] = kindBitsOfType(d.objects.type(v));
    }
    return { groupKey, typeBits, survivors, userSurvivor, shutdownDeaths };
}

/**
 * Cycle groups: objects that died in the same collection, or leaked unreachable objects, split
 * into weakly connected components of the edges among them (frames are never in one). One loop
 * per function: each is compiled on its own while it runs (a long run's loops take millions of turns).
 */
function cycleGroups(d: Decoded, g: HeapIndex, scan: ObjectScan, endReach: Reach | null): { groups: CycleGroup[]; groupOf: Int32Array } {
    const nObj = d.objects.length;
    const groupKey = scan.groupKey;
    if (endReach) for (const v of endReach.unreachable) if (v < nObj) groupKey[v] = d.collections.length;
    const components = new Components(nObj);
    unionSameKey(d, g, groupKey, components);
    const groupOf = new Int32Array(nObj).fill(-1);
    const groups: CycleGroup[] = [];
    const kindBits = assignGroups(d, scan, components, groupOf, groups);
    sinceAndKinds(d, g, groupOf, groups, kindBits);
    return { groups, groupOf };
}

/** Union-find over object nodes. */
class Components {
    private readonly parent: Int32Array;
    constructor(n: number) {
        this.parent = new Int32Array(n);
        for (let i = 0; i < n; i++) this.parent[i] = i;
    }
    find(x: number): number {
        const parent = this.parent;
        while (parent[x] !== x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }
    union(a: number, b: number): void {
        const ra = this.find(a);
        const rb = this.find(b);
        if (ra !== rb) this.parent[ra] = rb;
    }
}

/** Joins the two ends of every edge between objects with the same group key. */
function unionSameKey(d: Decoded, g: HeapIndex, groupKey: Int32Array, components: Components): void {
    const nObj = d.objects.length;
    for (let e = 0; e < d.edges.count; e++) {
        const s = g.srcNode(e);
        const t = g.tgtNode(e);
        if (s < 0 || t < 0 || s >= nObj || t >= nObj || groupKey[s] < 0 || groupKey[s] !== groupKey[t]) continue;
        components.union(s, t);
    }
}

/** One group per component of keyed objects (in node order); returns each group's kind bits from its members' types. */
function assignGroups(d: Decoded, scan: ObjectScan, components: Components, groupOf: Int32Array, groups: CycleGroup[]): number[] {
    const nObj = d.objects.length;
    const LEAK = d.collections.length;
    const kindBits: number[] = [];
    const groupByRoot = new Int32Array(nObj).fill(-1);
    for (let v = 0; v < nObj; v++) {
        const k = scan.groupKey[v];
        if (k < 0) continue;
        const r = components.find(v);
        let gi = groupByRoot[r];
        if (gi < 0) {
            gi = groupByRoot[r] = groups.length;
            groups.push({ kind: 'reference-cycle', since: null, died: k === LEAK ? NEVER : d.objects.death[v], collection: k === LEAK ? null : k });
            kindBits.push(0);
        }
        groupOf[v] = gi;
        kindBits[gi] |= scan.typeBits[v];
    }
    return kindBits;
}

/**
 * since: the last removal of a reference from outside the group into it, before it died; and the
 * group's kind, from its members' types and the references among them.
 */
function sinceAndKinds(d: Decoded, g: HeapIndex, groupOf: Int32Array, groups: CycleGroup[], kindBits: number[]): void {
    const nObj = d.objects.length;
    const E = d.edges;
    const limit = groups.map((grp) => (grp.collection !== null ? d.collections[grp.collection].start : d.length));
    const labelBits = E.labelTable.map(kindBitsOfLabel);
    for (let e = 0; e < E.count; e++) {
        const t = g.tgtNode(e);
        if (t < 0 || t >= nObj) continue;
        const gi = groupOf[t];
        if (gi < 0) continue;
        const s = g.srcNode(e);
        if (s >= 0 && s < nObj && groupOf[s] === gi) {
            kindBits[gi] |= labelBits[E.labelIndex[e]];
            continue;
        }
        const del = E.del[e];
        const grp = groups[gi];
        if (del !== NEVER && del <= limit[gi] && (grp.since === null || del > grp.since)) grp.since = del;
    }
    for (let gi = 0; gi < groups.length; gi++) groups[gi].kind = kindOfBits(kindBits[gi]);
}

/** 2.7: whether an object's class defines __del__ (the classes computed on first use). */
class LegacyDel {
    private delTypes: Set<number> | null = null;
    constructor(
        private readonly d: Decoded,
        private readonly g: HeapIndex,
    ) {}

    typeHasDel(v: number): boolean {
        return (this.delTypes ??= typesWithDel(this.d, this.g)).has(this.d.objects.typeId[v]);
    }
}

/** What decided a survivor's fate, found from the objects the engine logged it for (LeakSeeds). */
const SEED_FROZEN = 1;
const SEED_GARBAGE = 2;
const SEED_REVIVED = 3;

/**
 * The objects a logged mechanism kept, and everything they hold at the end of the run: frozen by
 * gc.freeze() (Freeze events: never examined by a collection, shutdown included), put in
 * gc.garbage (Uncollectable: 2.7's legacy finalizers or DEBUG_SAVEALL), kept by the last
 * collection that found them garbage (Revived: a finalizer referenced the set, 3.8 keeps all of
 * it). Breadth-first over the survivors' references at the end, one mechanism after the other in
 * that order, so an object held through a frozen dict is frozen's (audit M2, #9, #17: a global
 * created after gc.freeze() lives in the frozen `__main__` dict).
 */
class LeakSeeds {
    readonly cause: Uint8Array;
    /** By node: the logged object whose mechanism reached it (itself for a seed), or -1. */
    readonly seedOf: Int32Array;

    constructor(d: Decoded, g: HeapIndex, survivors: number[], end: number) {
        const nObj = d.objects.length;
        this.cause = new Uint8Array(nObj);
        this.seedOf = new Int32Array(nObj).fill(-1);
        const queue: number[] = [];
        const seedsOf = (c: number): number[] => {
            const out: number[] = [];
            for (const v of survivors) {
                const rare = d.objects.rare(v);
                if (c === SEED_FROZEN ? rare !== null && rare.frozenAt >= 0 : c === SEED_GARBAGE ? d.objects.uncollectable[v] >= 0 : rare?.revived != null) out.push(v);
            }
            return out;
        };
        for (const c of [SEED_FROZEN, SEED_GARBAGE, SEED_REVIVED]) {
            queue.length = 0;
            for (const v of seedsOf(c)) {
                if (this.cause[v]) continue;
                this.cause[v] = c;
                this.seedOf[v] = v;
                queue.push(v);
            }
            const reach = (u: number, t: number) => {
                if (t < 0 || t >= nObj || this.cause[t] || d.objects.death[t] !== NEVER) return;
                this.cause[t] = c;
                this.seedOf[t] = this.seedOf[u];
                queue.push(t);
            };
            for (let h = 0; h < queue.length; h++) {
                const u = queue[h];
                for (let k = g.outBegin(u); k < g.outEnd(u); k++) {
                    const e = g.outEdge(k);
                    if (g.edgeAliveAt(e, end)) reach(u, g.tgtNode(e));
                }
                // An instance holds its (heap) class, which the log records as no edge: gc.garbage[0]
                // keeps its class, and through its methods' __globals__ all of __main__ (p09).
                const cls = g.nodeOf(d.objects.typeId[u]);
                if (cls >= 0 && cls < nObj && d.objects.alloc[cls] >= d.runningStart) reach(u, cls);
            }
        }
    }
}

/**
 * Why an object in gc.garbage is there: on 2.7 an object whose class has __del__ was appended
 * because the collector cannot finalize it (an uncollectable cycle, or hanging off one); anything
 * else was put there by DEBUG_SAVEALL (audit #14: not every 2.7 gc.garbage entry is SAVEALL's).
 */
function garbageReason(d: Decoded, seed: number, legacyDel: LegacyDel, major: number): SurvivorReason {
    if (major !== 2 || seed < 0) return 'gc-garbage';
    // A member of the uncollectable set that was not appended (its Uncollectable says so) is kept by
    // the entries that were: DEBUG_SAVEALL would have appended it too.
    if (!d.objects.rare(seed)?.toGarbage) return 'uncollectable-cycle';
    return legacyDel.typeHasDel(seed) ? 'uncollectable-cycle' : 'gc-garbage';
}

/** Tracing runtimes: the objects whose reference count reached zero while a collection was pending (PendingGarbage). */
function pendingGarbage(d: Decoded): Set<number> {
    const out = new Set<number>();
    const { kind, a } = d.log;
    for (let i = 0; i < d.length; i++) if (kind[i] === EventKind.PendingGarbage) out.add(a[i]);
    return out;
}

/**
 * The nearest object on v's chain at the end (itself first) that is a gc.garbage entry, else the
 * nearest one the collector found uncollectable, or -1.
 */
function garbageAncestor(d: Decoded, g: HeapIndex, reach: Reach, v: number): number {
    const nObj = d.objects.length;
    let found = -1;
    for (let u = v, guard = 0; u >= 0 && u < nObj && guard < nObj; guard++) {
        if (d.objects.uncollectable[u] >= 0) {
            if (d.objects.rare(u)?.toGarbage) return u;
            if (found < 0) found = u;
        }
        const e = reach.parentEdge[u];
        if (e < 0) break;
        u = g.srcNode(e);
    }
    return found;
}

function survivorReasons(
    d: Decoded,
    g: HeapIndex,
    survivors: number[],
    endReach: Reach | null,
    flags: InheritedFlags | null,
    legacyDel: LegacyDel,
    opts: { stopped: boolean; major: number; tracing: boolean },
    causeOf: Int32Array,
): (SurvivorReason | null)[] {
    const reasons: (SurvivorReason | null)[] = new Array(d.objects.length).fill(null);
    const osExit = d.phases.some((p) => p.phase === 'os-exit');
    let lastGcStart = -1;
    for (const c of d.collections) if (c.start > lastGcStart) lastGcStart = c.start;
    const dictLabel = labelIndexOf(d.edges, '__dict__');
    let pending: Set<number> | null = null;
    const seeds = survivors.length && !opts.stopped && !osExit && !opts.tracing ? new LeakSeeds(d, g, survivors, Math.max(0, d.length - 1)) : null;
    for (const v of survivors) {
        const alloc = d.objects.alloc[v];
        let reason: SurvivorReason;
        const f = flags ? flags.of(v) : 0;
        const reachable = endReach !== null && endReach.rootOf[v] >= 0;
        const cause = seeds ? seeds.cause[v] : 0;
        if (opts.stopped) reason = 'run-stopped';
        else if (osExit) reason = 'os-exit';
        // A tracing runtime frees nothing at exit: what is unreachable waits for a collection that
        // never comes; the rest is simply alive when the process ends (audit #5, #9).
        else if (opts.tracing) {
            // Garbage: unreachable, or held only by an object whose count reached zero (PendingGarbage).
            pending ??= pendingGarbage(d);
            const root = reachable ? endReach!.rootOf[v] : -1;
            reason = root < 0 || pending.has(d.objects.id[v]) || (endReach!.roots.get(root)?.kind === 'unrecorded' && pending.has(d.objects.id[root])) ? 'pending-collection' : 'alive-at-exit';
        }
        else if (reachable && f & F_GARBAGE) {
            causeOf[v] = garbageAncestor(d, g, endReach!, v);
            reason = garbageReason(d, causeOf[v], legacyDel, opts.major);
        } else if (cause === SEED_FROZEN) {
            causeOf[v] = seeds!.seedOf[v];
            reason = 'frozen';
        } else if (cause === SEED_GARBAGE) {
            causeOf[v] = seeds!.seedOf[v];
            reason = garbageReason(d, causeOf[v], legacyDel, opts.major);
        }
        else if (f & F_RESURRECTED) reason = 'resurrected';
        else if (lastGcStart >= 0 && alloc > lastGcStart && isShutdownPhase(phaseAt(d, alloc))) reason = 'created-after-last-gc';
        else if (cause === SEED_REVIVED && !reachable) reason = 'revived';
        else if (!reachable) reason = 'leaked-cycle';
        else reason = rootReason(d, endReach!, v);
        // A c-alloc block no object holds is kept by the C code that never frees it, not by an
        // interpreter registry (the native section says what a leak checker reports).
        if (reason === 'unrecorded-holder' && d.objects.type(v) === 'native') reason = 'native-unfreed';
        // Reported with what holds it at exit (2.7's classes, held by nothing recorded, apart).
        if (causeOf[v] < 0 && reachable && reason !== 'leaked-cycle') causeOf[v] = topBelowRoot(d, g, endReach!, v, dictLabel);
        reasons[v] = reason;
    }
    return reasons;
}

/**
 * The holder a chain starts with: the node directly under the root on v's chain in `reach`, past a
 * module's own `__dict__` (sys → sys.__dict__ → keep: `sys.keep`); v itself when it is the root or
 * right under it.
 */
export function topBelowRoot(d: Decoded, g: HeapIndex, reach: Reach, v: number, dictLabel = labelIndexOf(d.edges, '__dict__')): number {
    let u = v;
    for (let guard = 0; guard < g.nodeCount; guard++) {
        const e = reach.parentEdge[u];
        if (e < 0) return u;
        const p = g.srcNode(e);
        if (p < 0 || p === reach.rootOf[u]) return u;
        const pe = reach.parentEdge[p];
        if (pe >= 0 && g.srcNode(pe) === reach.rootOf[u] && d.edges.labelIndex[pe] === dictLabel) return u;
        u = p;
    }
    return u;
}

/** A survivor reachable at exit: what kind of root holds it. */
function rootReason(d: Decoded, endReach: Reach, v: number): SurvivorReason {
    const root = endReach.roots.get(endReach.rootOf[v]);
    if (!root) return 'unrecorded-holder';
    if (root.kind === 'frame') return d.frozenFrames.has(root.id) ? 'daemon-thread' : 'live-frame';
    // A class references itself (its __mro__, its methods' __globals__ or closures): one that no
    // recorded reference holds at exit is that cycle, left by a shutdown with no collection after
    // module cleanup (2.7), not a C-level registry.
    if (root.kind === 'unrecorded') return isClassTypeName(d.objects.type(root.node)) ? 'leaked-cycle' : 'unrecorded-holder';
    if (root.kind === 'interpreter' || root.id === d.sysModule) return 'held-by-sys';
    if (root.id === d.builtinsModule) return 'held-by-builtins';
    return 'held-by-module';
}

/** What a reference's label makes of what it holds (F_DEFAULTS, F_TRACEBACK), or LABEL_DICT for `__dict__` (a class attribute when the holder is a class). */
const LABEL_DICT = 128;

function holderFlagOfLabel(lbl: string): number {
    if (lbl === '__defaults__' || lbl === '__kwdefaults__') return F_DEFAULTS;
    if (TRACEBACK_EDGES.has(lbl)) return F_TRACEBACK;
    return lbl === '__dict__' ? LABEL_DICT : 0;
}

/** Held until shutdown by a notable holder: the chain at the end of the run of each object that dies during shutdown. */
function heldUntilShutdownOf(d: Decoded, g: HeapIndex, runEnd: number, shutdownDeaths: number[]): Pick<SurvivorAnalysis, 'heldUntilShutdown' | 'runEndReach'> {
    const nObj = d.objects.length;
    const held: (LateKind | null)[] = new Array(nObj).fill(null);
    if (!shutdownDeaths.length) return { heldUntilShutdown: held, runEndReach: null };
    const runEndReach = g.reachAt(runEnd);
    const E = d.edges;
    // Classified once per distinct label: the seed below runs for every ancestor of 10⁵ objects.
    const labelFlags = E.labelTable.map(holderFlagOfLabel);
    const delLabel = labelIndexOf(E, '__del__');
    const parentEdge = runEndReach.parentEdge;
    const fl = new InheritedFlags(g, runEndReach, (_v, e) => {
        if (e < 0) return 0;
        const f = labelFlags[E.labelIndex[e]];
        const s = g.srcNode(e);
        if (f === LABEL_DICT) return s >= 0 && s < nObj && isClassTypeName(d.objects.type(s)) ? F_CLASSATTR : 0;
        // The defaults tuple (dict) itself is the interpreter's container (`def f(x=None)` has one
        // too): what the program chose is what it holds, unless the function is a __del__ (binding
        // globals as default arguments is the documented shutdown-safe idiom; audit #27).
        if (f === F_DEFAULTS) return 0;
        const te = s >= 0 ? parentEdge[s] : -1;
        if (te < 0 || labelFlags[E.labelIndex[te]] !== F_DEFAULTS) return f;
        const fn = g.srcNode(te);
        const fe = fn >= 0 ? parentEdge[fn] : -1;
        return fe >= 0 && E.labelIndex[fe] === delLabel ? f : f | F_DEFAULTS;
    });
    for (const v of shutdownDeaths) {
        const f = fl.of(v);
        if (f & F_TRACEBACK) held[v] = 'saved-traceback';
        else if (f & F_DEFAULTS) held[v] = 'default-argument';
        else if (f & F_CLASSATTR && !CLASS_CODE_TYPES.has(d.objects.type(v))) held[v] = 'class-registry';
    }
    return { heldUntilShutdown: held, runEndReach };
}

export function analyzeSurvivors(d: Decoded, g: HeapIndex, lifetimes: Lifetime[], opts: { stopped: boolean; major: number; tracing: boolean }): SurvivorAnalysis {
    const end = Math.max(0, d.length - 1);
    const firstShutdown = d.phases.find((p) => isShutdownPhase(p.phase) && p.start >= d.runningStart && p.phase !== 'startup');
    const runEnd = firstShutdown ? Math.max(0, firstShutdown.start - 1) : end;
    const scan = scanObjects(d, lifetimes, runEnd, firstShutdown !== undefined);
    const endReach = scan.userSurvivor ? g.reachAt(end) : null;
    const { groups, groupOf } = cycleGroups(d, g, scan, endReach);
    const nObj = d.objects.length;
    const flags = endReach
        ? new InheritedFlags(g, endReach, (v) => {
              if (v >= nObj) return 0;
              return (d.objects.rare(v)?.resurrections ? F_RESURRECTED : 0) | (d.objects.uncollectable[v] >= 0 ? F_GARBAGE : 0);
          })
        : null;
    const causeOf = new Int32Array(nObj).fill(-1);
    const reasons = survivorReasons(d, g, scan.survivors, endReach, flags, new LegacyDel(d, g), opts, causeOf);
    return { endReach, reasons, groups, groupOf, runEnd, causeOf, ...heldUntilShutdownOf(d, g, runEnd, scan.shutdownDeaths) };
}
