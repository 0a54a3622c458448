/*
 * graph.ts
 *
 * The heap at any moment, rebuilt from reference-edge intervals (decode.ts). Every edge has the
 * event index at which it was added and removed, so the heap at time t is "edges with
 * add ≤ t < del between nodes alive at t": no replay from the start and no snapshots to keep.
 * Per-node edge lists (CSR, in add order) make a backwards search from one object (the chain that
 * keeps it) touch only its ancestors; a forward search from the roots (who is reachable at t) is
 * one linear pass over the edges added so far.
 *
 * Nodes are objects (index = position in Decoded.objects) and frames (objects.length + frame index):
 * a live frame's locals are roots, as are sys, builtins, sys.modules and every module object.
 * Weak references never count (they cannot keep anything alive).
 */

import { NEVER, type Decoded } from './decode';

export type RootKind = 'module' | 'frame' | 'interpreter' | 'unrecorded';

export interface RootRef {
    kind: RootKind;
    node: number;
    id: number;
    name: string;
}

export interface Reach {
    t: number;
    /** Edge index by which each node was first reached, -1 for roots and unreached nodes. */
    parentEdge: Int32Array;
    /** Root node each node was reached from, -1 when not reachable from any root. */
    rootOf: Int32Array;
    /** Roots by node. */
    roots: Map<number, RootRef>;
    /** Alive nodes reachable only from nothing (unreachable cycles and what hangs off them). */
    unreachable: number[];
}

/** Edge labels that stand for weak references (never strong, so never part of a chain). */
export function isWeakEdge(label: string): boolean {
    return label.startsWith('(weak') || label === '__weakref__' || label === 'wr_object' || label.startsWith('~');
}

export class HeapIndex {
    readonly nodeCount: number;
    private readonly inStart: Int32Array;
    private readonly inList: Int32Array;
    private readonly outStart: Int32Array;
    private readonly outList: Int32Array;
    private readonly weak: Uint8Array;
    private readonly edgeSrcNode: Int32Array;
    private readonly edgeTgtNode: Int32Array;
    private readonly cache = new Map<number, Reach>();

    constructor(readonly d: Decoded) {
        const nObj = d.objects.length;
        this.nodeCount = nObj + d.frames.length;
        const E = d.edges.count;
        this.edgeSrcNode = new Int32Array(E);
        this.edgeTgtNode = new Int32Array(E);
        this.weak = new Uint8Array(E);
        const inCount = new Int32Array(this.nodeCount + 1);
        const outCount = new Int32Array(this.nodeCount + 1);
        // A few dozen distinct labels over millions of edges: classify each label once.
        const weakLabel = new Map<string, boolean>();
        for (let e = 0; e < E; e++) {
            const sn = this.nodeOf(d.edges.src[e]);
            const tn = this.nodeOf(d.edges.tgt[e]);
            this.edgeSrcNode[e] = sn;
            this.edgeTgtNode[e] = tn;
            const label = d.edges.label[e];
            let weak = weakLabel.get(label);
            if (weak === undefined) weakLabel.set(label, (weak = isWeakEdge(label)));
            if (weak) this.weak[e] = 1;
            if (sn >= 0) outCount[sn + 1]++;
            if (tn >= 0) inCount[tn + 1]++;
        }
        for (let i = 0; i < this.nodeCount; i++) {
            inCount[i + 1] += inCount[i];
            outCount[i + 1] += outCount[i];
        }
        this.inStart = inCount.slice();
        this.outStart = outCount.slice();
        this.inList = new Int32Array(inCount[this.nodeCount]);
        this.outList = new Int32Array(outCount[this.nodeCount]);
        const inFill = inCount.slice(0, this.nodeCount);
        const outFill = outCount.slice(0, this.nodeCount);
        for (let e = 0; e < E; e++) {
            const sn = this.edgeSrcNode[e];
            const tn = this.edgeTgtNode[e];
            if (sn >= 0) this.outList[outFill[sn]++] = e;
            if (tn >= 0) this.inList[inFill[tn]++] = e;
        }
    }

    nodeOf(id: number): number {
        const sl = this.d.slotOf(id);
        if (sl >= 0) return sl;
        if (sl <= -2) return this.d.objects.length + (-2 - sl);
        return -1;
    }

    idOf(node: number): number {
        const nObj = this.d.objects.length;
        return node < nObj ? this.d.objects[node].id : this.d.frames.id[node - nObj];
    }

    isFrame(node: number): boolean {
        return node >= this.d.objects.length;
    }

    born(node: number): number {
        const nObj = this.d.objects.length;
        return node < nObj ? this.d.objects[node].alloc : this.d.frames.enter[node - nObj];
    }

    died(node: number): number {
        const nObj = this.d.objects.length;
        return node < nObj ? this.d.objects[node].death : this.d.frames.exit[node - nObj];
    }

    aliveAt(node: number, t: number): boolean {
        return this.born(node) <= t && this.died(node) > t;
    }

    edgeAliveAt(e: number, t: number): boolean {
        const E = this.d.edges;
        if (this.weak[e] || E.add[e] > t || E.del[e] <= t) return false;
        const sn = this.edgeSrcNode[e];
        const tn = this.edgeTgtNode[e];
        return sn >= 0 && tn >= 0 && this.died(sn) > t && this.died(tn) > t;
    }

    srcNode(e: number): number {
        return this.edgeSrcNode[e];
    }

    tgtNode(e: number): number {
        return this.edgeTgtNode[e];
    }

    /** Strong edges out of `node` alive at t, in the order they were added. */
    outEdgesAt(node: number, t: number): number[] {
        const out: number[] = [];
        for (let k = this.outStart[node]; k < this.outStart[node + 1]; k++) {
            const e = this.outList[k];
            if (this.d.edges.add[e] > t) break;
            if (this.edgeAliveAt(e, t)) out.push(e);
        }
        return out;
    }

    /** Strong edges into `node` alive at t. */
    inEdgesAt(node: number, t: number): number[] {
        const out: number[] = [];
        for (let k = this.inStart[node]; k < this.inStart[node + 1]; k++) {
            const e = this.inList[k];
            if (this.d.edges.add[e] > t) break;
            if (this.edgeAliveAt(e, t)) out.push(e);
        }
        return out;
    }

    /** Every edge (weak ones included) out of `node`, over the whole run. */
    allOutEdges(node: number): Int32Array {
        return this.outList.subarray(this.outStart[node], this.outStart[node + 1]);
    }

    /** The named root a node stands for at t, or null (implicit roots are found by searches). */
    namedRoot(node: number, t: number): RootRef | null {
        if (!this.aliveAt(node, t)) return null;
        const d = this.d;
        const nObj = d.objects.length;
        if (node >= nObj) {
            const f = node - nObj;
            return { kind: 'frame', node, id: d.frames.id[f], name: `${d.frames.qualname[f]}()` };
        }
        const o = d.objects[node];
        if (o.id === d.sysModulesDict) return { kind: 'interpreter', node, id: o.id, name: 'sys.modules' };
        const m = d.moduleNames.get(o.id);
        if (m !== undefined) return { kind: 'module', node, id: o.id, name: m };
        return null;
    }

    /** Named roots alive at t, in a stable order: sys, builtins, other modules, sys.modules, frames (innermost last). */
    rootsAt(t: number): RootRef[] {
        const d = this.d;
        const out: RootRef[] = [];
        const push = (id: number) => {
            const node = this.nodeOf(id);
            if (node < 0) return;
            const r = this.namedRoot(node, t);
            if (r && !out.some((x) => x.node === node)) out.push(r);
        };
        push(d.sysModule);
        push(d.builtinsModule);
        for (const id of d.moduleNames.keys()) push(id);
        push(d.sysModulesDict);
        const nObj = d.objects.length;
        const F = d.frames;
        for (let i = 0; i < F.length; i++) {
            if (F.enter[i] <= t && F.exit[i] > t) out.push({ kind: 'frame', node: nObj + i, id: F.id[i], name: `${F.qualname[i]}()` });
        }
        return out;
    }

    /**
     * Forward reachability at t (BFS from the named roots, then from alive nodes that nothing
     * recorded references: they are held by the interpreter's C state or a temporary). Cached.
     */
    reachAt(t: number): Reach {
        const hit = this.cache.get(t);
        if (hit) return hit;
        const d = this.d;
        const N = this.nodeCount;
        const E = d.edges;
        // Alive out-adjacency at t (CSR).
        const cnt = new Int32Array(N + 1);
        const aliveEdges: number[] = [];
        for (let e = 0; e < E.count; e++) {
            if (E.add[e] > t) break;
            if (!this.edgeAliveAt(e, t)) continue;
            aliveEdges.push(e);
            cnt[this.edgeSrcNode[e] + 1]++;
        }
        for (let i = 0; i < N; i++) cnt[i + 1] += cnt[i];
        const adj = new Int32Array(aliveEdges.length);
        const fill = cnt.slice(0, N);
        const indeg = new Int32Array(N);
        for (const e of aliveEdges) {
            adj[fill[this.edgeSrcNode[e]]++] = e;
            indeg[this.edgeTgtNode[e]]++;
        }
        const parentEdge = new Int32Array(N).fill(-1);
        const rootOf = new Int32Array(N).fill(-1);
        const roots = new Map<number, RootRef>();
        const queue = new Int32Array(N);
        let qh = 0;
        let qt = 0;
        const bfs = () => {
            while (qh < qt) {
                const u = queue[qh++];
                for (let k = cnt[u]; k < cnt[u + 1]; k++) {
                    const e = adj[k];
                    const v = this.edgeTgtNode[e];
                    if (rootOf[v] >= 0) continue;
                    rootOf[v] = rootOf[u];
                    parentEdge[v] = e;
                    queue[qt++] = v;
                }
            }
        };
        for (const r of this.rootsAt(t)) {
            if (rootOf[r.node] >= 0) continue;
            roots.set(r.node, r);
            rootOf[r.node] = r.node;
            queue[qt++] = r.node;
        }
        bfs();
        for (let v = 0; v < N; v++) {
            if (rootOf[v] >= 0 || indeg[v] !== 0 || !this.aliveAt(v, t)) continue;
            roots.set(v, { kind: 'unrecorded', node: v, id: this.idOf(v), name: this.idOf(v).toString() });
            rootOf[v] = v;
            queue[qt++] = v;
            bfs();
        }
        const unreachable: number[] = [];
        for (let v = 0; v < N; v++) if (rootOf[v] < 0 && this.aliveAt(v, t)) unreachable.push(v);
        const r: Reach = { t, parentEdge, rootOf, roots, unreachable };
        if (this.cache.size >= 4) this.cache.delete(this.cache.keys().next().value as number);
        this.cache.set(t, r);
        return r;
    }

    /**
     * The shortest chain of strong references from a root to `node` at t (backwards BFS over its
     * ancestors only). Returns the root and the edges root→…→node, or null if the node is not alive
     * or sits only in unreachable cycles (then `cycle` in the result names that).
     */
    chainAt(node: number, t: number): { root: RootRef; edges: number[] } | { root: null; edges: [] } | null {
        if (node < 0 || !this.aliveAt(node, t)) return null;
        const self = this.namedRoot(node, t);
        if (self) return { root: self, edges: [] };
        const via = new Map<number, number>(); // node → edge toward the target
        via.set(node, -1);
        const queue: number[] = [node];
        for (let qh = 0; qh < queue.length; qh++) {
            const u = queue[qh];
            const ins = this.inEdgesAt(u, t);
            if (ins.length === 0 && u !== node) return { root: this.implicitRoot(u), edges: this.walk(u, via) };
            if (ins.length === 0 && u === node) return { root: this.implicitRoot(u), edges: [] };
            for (const e of ins) {
                const s = this.edgeSrcNode[e];
                if (via.has(s)) continue;
                via.set(s, e);
                const r = this.namedRoot(s, t);
                if (r) return { root: r, edges: this.walk(s, via) };
                queue.push(s);
            }
        }
        return { root: null, edges: [] };
    }

    private implicitRoot(node: number): RootRef {
        return { kind: 'unrecorded', node, id: this.idOf(node), name: String(this.idOf(node)) };
    }

    private walk(from: number, via: Map<number, number>): number[] {
        const out: number[] = [];
        let u = from;
        for (;;) {
            const e = via.get(u);
            if (e === undefined || e < 0) break;
            out.push(e);
            u = this.edgeTgtNode[e];
        }
        return out;
    }
}
