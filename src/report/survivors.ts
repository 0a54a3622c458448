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

import { NEVER, isShutdownPhase, phaseAt, type Decoded } from './decode';
import type { HeapIndex, Reach } from './graph';
import type { Lifetime } from './lifetimes';
import type { SurvivorReason } from './types';

export type LateKind = 'saved-traceback' | 'bound-method-cycle' | 'closure-cycle' | 'reference-cycle' | 'default-argument' | 'class-registry';

export interface CycleGroup {
    /** Members (object nodes). */
    nodes: number[];
    kind: LateKind;
    /** Event index at which the group became unreachable (last outside reference dropped), or null. */
    since: number | null;
    /** When it died (first member's death), or NEVER for leaked groups. */
    died: number;
    collection: number | null;
}

export interface SurvivorAnalysis {
    endReach: Reach | null;
    reasons: Map<number, SurvivorReason>;
    /** Cycle groups: collected by the GC (while running or at shutdown) and leaked ones. */
    groups: CycleGroup[];
    groupOf: Int32Array;
    /** Objects dying at shutdown whose chain at the end of the run passes through a notable holder. */
    heldUntilShutdown: Map<number, LateKind>;
    runEnd: number;
    runEndReach: Reach | null;
}

const F_RESURRECTED = 1;
const F_GARBAGE = 2;
const F_DEFAULTS = 4;
const F_CLASSATTR = 8;
const F_TRACEBACK = 16;

const TRACEBACK_EDGES = new Set(['__traceback__', 'tb_frame', 'tb_next', 'last_traceback', 'last_value', 'last_exc', 'f_back']);

/** Per node flags OR-ed down the BFS tree (each node inherits its parent's), memoized. */
function inheritedFlags(d: Decoded, g: HeapIndex, reach: Reach, own: (node: number) => number, edgeFlags: (e: number) => number): Uint8Array {
    const N = g.nodeCount;
    const memo = new Uint8Array(N);
    const done = new Uint8Array(N);
    const path: number[] = [];
    for (let v = 0; v < N; v++) {
        if (done[v]) continue;
        let u = v;
        path.length = 0;
        while (!done[u]) {
            path.push(u);
            const e = reach.parentEdge[u];
            if (e < 0) break;
            u = g.srcNode(e);
            if (u < 0) break;
        }
        for (let k = path.length - 1; k >= 0; k--) {
            const x = path[k];
            const e = reach.parentEdge[x];
            let f = own(x);
            if (e >= 0) {
                const p = g.srcNode(e);
                if (p >= 0 && done[p]) f |= memo[p];
                f |= edgeFlags(e);
            }
            memo[x] = f;
            done[x] = 1;
        }
    }
    void d;
    return memo;
}

function typesWithDel(d: Decoded, g: HeapIndex): Set<number> {
    const nObj = d.objects.length;
    const dictOwner = new Map<number, number>();
    const E = d.edges;
    for (let e = 0; e < E.count; e++) {
        if (E.label[e] !== '__dict__') continue;
        const s = g.srcNode(e);
        if (s >= 0 && s < nObj && d.objects[s].type === 'type') dictOwner.set(E.tgt[e], d.objects[s].id);
    }
    const out = new Set<number>();
    for (let e = 0; e < E.count; e++) {
        if (E.label[e] !== '__del__') continue;
        const owner = dictOwner.get(E.src[e]);
        if (owner !== undefined) out.add(owner);
        else if (g.srcNode(e) >= 0 && g.srcNode(e) < nObj && d.objects[g.srcNode(e)].type === 'type') out.add(E.src[e]);
    }
    return out;
}

export function analyzeSurvivors(d: Decoded, g: HeapIndex, lifetimes: Lifetime[], opts: { stopped: boolean; major: number }): SurvivorAnalysis {
    const nObj = d.objects.length;
    const N = g.nodeCount;
    const end = Math.max(0, d.length - 1);
    const hasSurvivor = lifetimes.some((l) => l.rec.death === NEVER && l.owner === 'user');
    const endReach = hasSurvivor ? g.reachAt(end) : null;

    // ---- cycle groups: nodes that died in the same collection, or leaked unreachable nodes,
    // split into weakly connected components of the edges among them.
    const groupKey = new Int32Array(N).fill(-1);
    for (let i = 0; i < nObj; i++) {
        const o = d.objects[i];
        if (o.collection >= 0 && o.cause === 1) groupKey[i] = o.collection;
    }
    const LEAK = d.collections.length;
    if (endReach) for (const v of endReach.unreachable) if (v < nObj) groupKey[v] = LEAK;
    const parent = new Int32Array(N);
    for (let i = 0; i < N; i++) parent[i] = i;
    const find = (x: number): number => {
        while (parent[x] !== x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    };
    const E = d.edges;
    for (let e = 0; e < E.count; e++) {
        const s = g.srcNode(e);
        const t = g.tgtNode(e);
        if (s < 0 || t < 0 || groupKey[s] < 0 || groupKey[s] !== groupKey[t]) continue;
        const a = find(s);
        const b = find(t);
        if (a !== b) parent[a] = b;
    }
    const groupOf = new Int32Array(N).fill(-1);
    const groups: CycleGroup[] = [];
    const groupByRoot = new Map<number, number>();
    for (let v = 0; v < nObj; v++) {
        if (groupKey[v] < 0) continue;
        const r = find(v);
        let gi = groupByRoot.get(r);
        if (gi === undefined) {
            gi = groups.length;
            groupByRoot.set(r, gi);
            const k = groupKey[v];
            groups.push({ nodes: [], kind: 'reference-cycle', since: null, died: k === LEAK ? NEVER : d.objects[v].death, collection: k === LEAK ? null : k });
        }
        groupOf[v] = gi;
        groups[gi].nodes.push(v);
    }
    // since: the last removal of a reference from outside the group into it, before it died.
    const labelsOf: Set<string>[] = groups.map(() => new Set<string>());
    for (let e = 0; e < E.count; e++) {
        const t = g.tgtNode(e);
        if (t < 0 || t >= nObj) continue;
        const gi = groupOf[t];
        if (gi < 0) continue;
        const s = g.srcNode(e);
        const grp = groups[gi];
        if (s >= 0 && groupOf[s] === gi) {
            labelsOf[gi].add(E.label[e]);
            continue;
        }
        const del = E.del[e];
        const limit = grp.collection !== null ? d.collections[grp.collection].start : d.length;
        if (del !== NEVER && del <= limit && (grp.since === null || del > grp.since)) grp.since = del;
    }
    for (let gi = 0; gi < groups.length; gi++) {
        const grp = groups[gi];
        const types = new Set(grp.nodes.map((v) => d.objects[v].type));
        const lbl = labelsOf[gi];
        if (types.has('traceback') || types.has('frame') || lbl.has('tb_frame') || lbl.has('__traceback__')) grp.kind = 'saved-traceback';
        else if (types.has('method') || types.has('instancemethod') || lbl.has('__self__')) grp.kind = 'bound-method-cycle';
        else if (types.has('cell') || lbl.has('__closure__') || lbl.has('cell_contents')) grp.kind = 'closure-cycle';
        else grp.kind = 'reference-cycle';
    }

    // ---- survivors
    const reasons = new Map<number, SurvivorReason>();
    const osExit = d.phases.some((p) => p.phase === 'os-exit');
    const lastFreeze = d.freezes.length ? d.freezes[d.freezes.length - 1] : -1;
    let lastGcStart = -1;
    for (const c of d.collections) if (c.start > lastGcStart) lastGcStart = c.start;
    const delTypes = opts.major === 2 ? typesWithDel(d, g) : new Set<number>();
    let flags: Uint8Array | null = null;
    if (endReach) {
        flags = inheritedFlags(
            d,
            g,
            endReach,
            (v) => {
                if (v >= nObj) return 0;
                const o = d.objects[v];
                return (o.resurrections ? F_RESURRECTED : 0) | (o.uncollectable >= 0 ? F_GARBAGE : 0);
            },
            () => 0,
        );
    }
    for (const l of lifetimes) {
        const o = l.rec;
        if (o.death !== NEVER) continue;
        const v = l.node;
        let reason: SurvivorReason;
        const f = flags ? flags[v] : 0;
        if (opts.stopped) reason = 'run-stopped';
        else if (osExit) reason = 'os-exit';
        else if (f & F_GARBAGE) {
            const gi = groupOf[v];
            const members = gi >= 0 ? groups[gi].nodes : [v];
            const legacy = opts.major === 2 && members.some((m) => delTypes.has(d.objects[m].typeId));
            reason = legacy || (opts.major === 2 && o.toGarbage && !o.finalizers) ? 'uncollectable-cycle' : 'gc-garbage';
        } else if (lastFreeze >= 0 && o.alloc < lastFreeze) reason = 'frozen';
        else if (f & F_RESURRECTED) reason = 'resurrected';
        else if (lastGcStart >= 0 && o.alloc > lastGcStart && isShutdownPhase(phaseAt(d, o.alloc))) reason = 'created-after-last-gc';
        else if (!endReach || endReach.rootOf[v] < 0) reason = 'leaked-cycle';
        else {
            const root = endReach.roots.get(endReach.rootOf[v]);
            if (!root) reason = 'unrecorded-holder';
            else if (root.kind === 'frame') reason = 'live-frame';
            else if (root.kind === 'unrecorded') reason = 'unrecorded-holder';
            else if (root.kind === 'interpreter' || root.id === d.sysModule) reason = 'held-by-sys';
            else if (root.id === d.builtinsModule) reason = 'held-by-builtins';
            else reason = 'held-by-module';
        }
        reasons.set(o.id, reason);
    }

    // ---- held until shutdown by a notable holder (chain at the end of the run)
    const heldUntilShutdown = new Map<number, LateKind>();
    const firstShutdown = d.phases.find((p) => isShutdownPhase(p.phase) && p.start >= d.runningStart && p.phase !== 'startup');
    const runEnd = firstShutdown ? Math.max(0, firstShutdown.start - 1) : end;
    let runEndReach: Reach | null = null;
    const shutdownDeaths = lifetimes.filter((l) => l.owner === 'user' && l.rec.death !== NEVER && l.rec.death > runEnd && l.rec.alloc <= runEnd);
    if (firstShutdown && shutdownDeaths.length) {
        runEndReach = g.reachAt(runEnd);
        const fl = inheritedFlags(
            d,
            g,
            runEndReach,
            () => 0,
            (e) => {
                const lbl = E.label[e];
                if (lbl === '__defaults__' || lbl === '__kwdefaults__') return F_DEFAULTS;
                if (TRACEBACK_EDGES.has(lbl)) return F_TRACEBACK;
                const s = g.srcNode(e);
                const t = g.tgtNode(e);
                if (lbl === '__dict__' && s >= 0 && s < nObj && d.objects[s].type === 'type') return F_CLASSATTR;
                void t;
                return 0;
            },
        );
        for (const l of shutdownDeaths) {
            const f = fl[l.node];
            // A class attribute that is itself a function or class is just the class's own code.
            if (f & F_TRACEBACK) heldUntilShutdown.set(l.rec.id, 'saved-traceback');
            else if (f & F_DEFAULTS) heldUntilShutdown.set(l.rec.id, 'default-argument');
            else if (f & F_CLASSATTR && !['function', 'type', 'dict', 'classmethod', 'staticmethod', 'property', 'tuple', 'cell'].includes(l.rec.type)) heldUntilShutdown.set(l.rec.id, 'class-registry');
        }
    }
    return { endReach, reasons, groups, groupOf, heldUntilShutdown, runEnd, runEndReach };
}
