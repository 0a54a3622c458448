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

import { NEVER, type Decoded, type Edges } from './decode';

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
    private readonly nObj: number;
    /** Birth and death (event index) of every node: read for each edge a search tests. */
    private readonly bornAt: Int32Array;
    private readonly diedAt: Int32Array;
    private readonly edgeAdd: Int32Array;
    private readonly edgeDel: Int32Array;
    private readonly outStart: Int32Array;
    private readonly outList: Int32Array;
    /** Built on the first backwards search (chainAt): a report never needs it. */
    private inAdj: { start: Int32Array; list: Int32Array } | null = null;
    private readonly weak: Uint8Array;
    private readonly edgeSrcNode: Int32Array;
    private readonly edgeTgtNode: Int32Array;
    private readonly cache = new Map<number, Reach>();

    constructor(readonly d: Decoded) {
        const nObj = (this.nObj = d.objects.length);
        this.nodeCount = nObj + d.frames.length;
        this.bornAt = new Int32Array(this.nodeCount);
        this.diedAt = new Int32Array(this.nodeCount);
        this.fillLifetimes();
        const E = d.edges;
        this.edgeAdd = E.add;
        this.edgeDel = E.del;
        this.edgeSrcNode = E.srcNode;
        this.edgeTgtNode = E.tgtNode;
        this.weak = weakEdges(E);
        const out = groupEdges(this.edgeSrcNode, this.nodeCount);
        this.outStart = out.start;
        this.outList = out.list;
    }

    private fillLifetimes(): void {
        const { objects, frames } = this.d;
        this.bornAt.set(objects.alloc.subarray(0, this.nObj));
        this.diedAt.set(objects.death.subarray(0, this.nObj));
        this.bornAt.set(frames.enter.subarray(0, frames.length), this.nObj);
        this.diedAt.set(frames.exit.subarray(0, frames.length), this.nObj);
    }

    private inAdjacency(): { start: Int32Array; list: Int32Array } {
        return (this.inAdj ??= groupEdges(this.edgeTgtNode, this.nodeCount));
    }

    nodeOf(id: number): number {
        const sl = this.d.slotOf(id);
        if (sl >= 0) return sl;
        if (sl <= -2) return this.nObj + (-2 - sl);
        return -1;
    }

    idOf(node: number): number {
        return node < this.nObj ? this.d.objects.id[node] : this.d.frames.id[node - this.nObj];
    }

    isFrame(node: number): boolean {
        return node >= this.nObj;
    }

    born(node: number): number {
        return this.bornAt[node];
    }

    died(node: number): number {
        return this.diedAt[node];
    }

    aliveAt(node: number, t: number): boolean {
        return this.bornAt[node] <= t && this.diedAt[node] > t;
    }

    edgeAliveAt(e: number, t: number): boolean {
        if (this.weak[e] || this.edgeAdd[e] > t || this.edgeDel[e] <= t) return false;
        const sn = this.edgeSrcNode[e];
        const tn = this.edgeTgtNode[e];
        return sn >= 0 && tn >= 0 && this.diedAt[sn] > t && this.diedAt[tn] > t;
    }

    srcNode(e: number): number {
        return this.edgeSrcNode[e];
    }

    tgtNode(e: number): number {
        return this.edgeTgtNode[e];
    }

    /** Strong edges out of `node` alive at t, in the order they were added. */
    outEdgesAt(node: number, t: number): number[] {
        return this.edgesAt(this.outStart, this.outList, node, t);
    }

    /** Strong edges into `node` alive at t. */
    inEdgesAt(node: number, t: number): number[] {
        const adj = this.inAdjacency();
        return this.edgesAt(adj.start, adj.list, node, t);
    }

    private edgesAt(start: Int32Array, list: Int32Array, node: number, t: number): number[] {
        const out: number[] = [];
        for (let k = start[node]; k < start[node + 1]; k++) {
            const e = list[k];
            if (this.edgeAdd[e] > t) break;
            if (this.edgeAliveAt(e, t)) out.push(e);
        }
        return out;
    }

    /** Position range in `outEdge` of every edge out of `node` (add order): walks without allocating. */
    outBegin(node: number): number {
        return this.outStart[node];
    }

    outEnd(node: number): number {
        return this.outStart[node + 1];
    }

    outEdge(k: number): number {
        return this.outList[k];
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
        const id = d.objects.id[node];
        if (id === d.sysModulesDict) return { kind: 'interpreter', node, id, name: 'sys.modules' };
        const m = d.moduleNames.get(id);
        if (m !== undefined) return { kind: 'module', node, id, name: m };
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
        const N = this.nodeCount;
        const referenced = this.referencedAt(t);
        const parentEdge = new Int32Array(N).fill(-1);
        const rootOf = new Int32Array(N).fill(-1);
        const roots = new Map<number, RootRef>();
        const queue = new Int32Array(N);
        let qt = 0;
        let qh = 0;
        const bfs = () => {
            qh = this.spread(t, queue, qh, qt, parentEdge, rootOf);
            qt = qh;
        };
        for (const r of this.rootsAt(t)) {
            if (rootOf[r.node] >= 0) continue;
            roots.set(r.node, r);
            rootOf[r.node] = r.node;
            queue[qt++] = r.node;
        }
        bfs();
        for (let v = 0; v < N; v++) {
            if (rootOf[v] >= 0 || referenced[v] !== 0 || !this.aliveAt(v, t)) continue;
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

    /** 1 for each node that some strong edge alive at t points to. */
    private referencedAt(t: number): Uint8Array {
        const out = new Uint8Array(this.nodeCount);
        const n = this.d.edges.count;
        for (let e = 0; e < n && this.edgeAdd[e] <= t; e++) if (this.edgeAliveAt(e, t)) out[this.edgeTgtNode[e]] = 1;
        return out;
    }

    /**
     * Breadth-first from queue[qh..qt): each node's alive strong out-edges in the order they were
     * added (the per-node lists are in add order, so no per-t adjacency is built). Returns the new
     * queue end.
     */
    private spread(t: number, queue: Int32Array, qh: number, qt: number, parentEdge: Int32Array, rootOf: Int32Array): number {
        const { outStart, outList, edgeAdd, edgeTgtNode } = this;
        while (qh < qt) {
            const u = queue[qh++];
            const end = outStart[u + 1];
            for (let k = outStart[u]; k < end; k++) {
                const e = outList[k];
                if (edgeAdd[e] > t) break;
                if (!this.edgeAliveAt(e, t)) continue;
                const v = edgeTgtNode[e];
                if (rootOf[v] >= 0) continue;
                rootOf[v] = rootOf[u];
                parentEdge[v] = e;
                queue[qt++] = v;
            }
        }
        return qt;
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

/** Edges grouped by one end's node (CSR, counting sort: each group in add order); -1 ends are left out. */
function groupEdges(nodeOfEdge: Int32Array, nodeCount: number): { start: Int32Array; list: Int32Array } {
    const start = new Int32Array(nodeCount + 1);
    const n = nodeOfEdge.length;
    for (let e = 0; e < n; e++) {
        const v = nodeOfEdge[e];
        if (v >= 0) start[v + 1]++;
    }
    for (let i = 0; i < nodeCount; i++) start[i + 1] += start[i];
    const list = new Int32Array(start[nodeCount]);
    const fill = start.slice(0, nodeCount);
    for (let e = 0; e < n; e++) {
        const v = nodeOfEdge[e];
        if (v >= 0) list[fill[v]++] = e;
    }
    return { start, list };
}

/** 1 for each weak edge. A few dozen distinct labels over millions of edges: each label is classified once. */
function weakEdges(E: Edges): Uint8Array {
    const weakLabel = new Uint8Array(E.labelTable.length);
    for (let k = 0; k < weakLabel.length; k++) weakLabel[k] = isWeakEdge(E.labelTable[k]) ? 1 : 0;
    const out = new Uint8Array(E.count);
    for (let e = 0; e < E.count; e++) out[e] = weakLabel[E.labelIndex[e]];
    return out;
}
