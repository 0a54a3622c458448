/*
 * heapModel.ts
 *
 * The Report's heap graph (src/report/types.ts HeapGraph: nodes with lifetimes, edges as
 * [addedAt, removedAt) intervals in event time) turned into indexed tables the view works on:
 * node kinds and roots, the user's ObjectReport per node, namespace-dict folding, and
 * column-wise edges. Pure: no DOM, no cytoscape; vitest runs it in node.
 */

import type { ObjectReport, Report } from '../../src/report/types';
import { isStructuralLabel, isWeakLabel, kindOfType, type NodeKind, type RootKind } from './kinds';

/** "Never": the death time of a survivor, the removal time of an edge still there at the end. */
export const NEVER = 0x7fffffff;

export const EDGE_WEAK = 1;
export const EDGE_STRUCTURAL = 2;

export interface MNode {
    /** Object (or frame) id from the engine. */
    id: number;
    kind: NodeKind;
    type: string;
    label: string;
    bornAt: number;
    /** Event index of its death, or NEVER. */
    diedAt: number;
    /** The root this node stands for, or null. */
    root: RootKind | null;
    /** The user's object report (null for interpreter objects and frames). */
    obj: ObjectReport | null;
    survives: boolean;
    allocLine: number;
    /** Index of the node this one is folded into (a module's or class's `__dict__` → its owner); its own index otherwise. */
    owner: number;
    /** What the node is to a reader: a root (globals, frame, sys…), one of the program's objects,
     *  a definition the program made (function, class, method, their namespaces), or the interpreter's. */
    role: NodeRole;
    /** 1-based rank among the program's objects of its type (by creation), 0 for others: `Node #42`. */
    ordinal: number;
    /** A frame's thread, when not the main thread: its stack is that thread's. */
    thread?: string;
}

export type NodeRole = 'root' | 'program' | 'definition' | 'interp';

const DEFINITION_KINDS = new Set<NodeKind>(['function', 'class', 'method', 'cell', 'module', 'frame']);

/** Definitions and their plumbing: the code objects' namespaces, defaults and closures. */
function roleOf(kind: NodeKind, root: RootKind | null, obj: ObjectReport | null): NodeRole {
    if (root) return 'root';
    if (!obj || obj.owner !== 'user') return 'interp';
    if (DEFINITION_KINDS.has(kind)) return 'definition';
    const l = obj.label;
    if (kind === 'dict' && (l.endsWith('.__dict__') || l.startsWith('<dict@'))) return 'definition';
    if (kind === 'tuple' && /__(defaults|closure|bases|mro)__$/.test(l)) return 'definition';
    return 'program';
}

export class HeapModel {
    readonly nodes: MNode[] = [];
    readonly byId = new Map<number, number>();
    readonly eventCount: number;
    readonly edgeCount: number;
    readonly eFrom: Int32Array;
    readonly eTo: Int32Array;
    readonly eAdd: Int32Array;
    /** Removal time, NEVER when still there at the end. */
    readonly eDel: Int32Array;
    readonly eLabel: Int32Array;
    readonly eLine: Int32Array;
    readonly eFlags: Uint8Array;
    readonly labels: string[];
    /** Node indices on the chains that explain survivors (for the "only survivors" filter). */
    readonly survivorChainNodes = new Set<number>();
    /** Program objects per type name (for `Node #42` only when there are several). */
    readonly typeCount = new Map<string, number>();
    /** Allocation sites (line, column, type) of the program's objects: a big heap is drawn one
     *  node per site ("660 × Node · line 16"). siteOf: index into sites, -1 for other nodes. */
    readonly sites: { line: number; column: number; type: string; first: number; count: number }[] = [];
    readonly siteOf: Int32Array;
    /** Out-edges over the whole run (CSR over edge indices, in creation order). */
    readonly outStart: Int32Array;
    readonly outList: Int32Array;
    readonly inStart: Int32Array;
    readonly inList: Int32Array;

    constructor(readonly report: Report) {
        const g = report.graph;
        const objById = new Map<number, ObjectReport>();
        for (const o of report.objects) objById.set(o.id, o);
        this.eventCount = g ? g.eventCount : 0;
        this.labels = g ? g.labels : [];
        const gn = g ? g.nodes : [];
        const perType = new Map<string, number>();
        for (let i = 0; i < gn.length; i++) {
            const n = gn[i];
            const obj = objById.get(n.id) ?? null;
            const kind: NodeKind = n.kind === 'frame' ? 'frame' : kindOfType(n.type);
            const root = rootOf(n.kind === 'frame', n.type, n.label);
            const role = roleOf(kind, root, obj);
            let ordinal = 0;
            if (role === 'program') {
                ordinal = (perType.get(n.type) ?? 0) + 1;
                perType.set(n.type, ordinal);
            }
            const node: MNode = {
                id: n.id,
                kind,
                type: n.type,
                label: obj?.label ?? n.label,
                bornAt: n.bornAt,
                diedAt: n.diedAt === null ? NEVER : n.diedAt,
                root,
                obj,
                survives: obj ? obj.survivesExit : false,
                allocLine: obj ? obj.allocLine : 0,
                owner: i,
                role,
                ordinal,
            };
            if (n.thread !== undefined) node.thread = n.thread;
            this.nodes.push(node);
            this.byId.set(n.id, i);
        }
        const E = g ? g.edges.from.length : 0;
        this.eFrom = new Int32Array(E);
        this.eTo = new Int32Array(E);
        this.eAdd = new Int32Array(E);
        this.eDel = new Int32Array(E);
        this.eLabel = new Int32Array(E);
        this.eLine = new Int32Array(E);
        this.eFlags = new Uint8Array(E);
        const flagOfLabel = this.labels.map((l) => (isWeakLabel(l) ? EDGE_WEAK : 0) | (isStructuralLabel(l) ? EDGE_STRUCTURAL : 0));
        let k = 0;
        for (let e = 0; e < E && g; e++) {
            const s = this.byId.get(g.edges.from[e]);
            const t = this.byId.get(g.edges.to[e]);
            if (s === undefined || t === undefined) continue; // an end the graph does not know
            this.eFrom[k] = s;
            this.eTo[k] = t;
            this.eAdd[k] = g.edges.addedAt[e];
            this.eDel[k] = g.edges.removedAt[e] < 0 ? NEVER : g.edges.removedAt[e];
            this.eLabel[k] = g.edges.label[e];
            this.eLine[k] = g.edges.line[e];
            this.eFlags[k] = flagOfLabel[g.edges.label[e]] ?? 0;
            k++;
        }
        this.edgeCount = k;
        // Namespace dicts: `M.__dict__` of a module or class is drawn as part of its owner.
        const dictLabel = this.labels.indexOf('__dict__');
        for (let e = 0; e < k; e++) {
            if (this.eLabel[e] !== dictLabel) continue;
            const o = this.nodes[this.eFrom[e]];
            const d = this.nodes[this.eTo[e]];
            if ((o.kind === 'module' || o.kind === 'class') && d.kind === 'dict' && d.owner === this.eTo[e]) d.owner = this.eFrom[e];
        }
        const csr = (ends: Int32Array) => {
            const start = new Int32Array(this.nodes.length + 1);
            for (let e = 0; e < k; e++) start[ends[e] + 1]++;
            for (let i = 0; i < this.nodes.length; i++) start[i + 1] += start[i];
            const list = new Int32Array(k);
            const fill = start.slice(0, this.nodes.length);
            for (let e = 0; e < k; e++) list[fill[ends[e]]++] = e;
            return { start, list };
        };
        const out = csr(this.eFrom);
        this.outStart = out.start;
        this.outList = out.list;
        const inn = csr(this.eTo);
        this.inStart = inn.start;
        this.inList = inn.list;
        // A program that only defines (functions, classes): its definitions are what it made.
        if (!this.nodes.some((n) => n.role === 'program')) {
            const perDef = new Map<string, number>();
            for (const n of this.nodes) {
                if (n.role !== 'definition' || n.kind === 'module') continue;
                n.role = 'program';
                n.ordinal = (perDef.get(n.type) ?? 0) + 1;
                perDef.set(n.type, n.ordinal);
            }
        }
        for (const n of this.nodes) if (n.role === 'program') this.typeCount.set(n.type, (this.typeCount.get(n.type) ?? 0) + 1);
        this.siteOf = new Int32Array(this.nodes.length).fill(-1);
        const siteByKey = new Map<string, number>();
        for (let v = 0; v < this.nodes.length; v++) {
            const n = this.nodes[v];
            if (n.role !== 'program' || !n.obj) continue;
            const key = `${n.obj.allocLine}:${n.obj.allocColumn}:${n.type}`;
            let si = siteByKey.get(key);
            if (si === undefined) {
                siteByKey.set(key, (si = this.sites.length));
                this.sites.push({ line: n.obj.allocLine, column: n.obj.allocColumn, type: n.type, first: v, count: 0 });
            }
            this.sites[si].count++;
            this.siteOf[v] = si;
        }
        for (const o of report.objects) {
            if (!o.survivesExit) continue;
            for (const l of o.chain ?? []) {
                const a = this.byId.get(l.from);
                if (a !== undefined) this.survivorChainNodes.add(a);
                const b = this.byId.get(l.to);
                if (b !== undefined) this.survivorChainNodes.add(b);
            }
            const r = o.chainInfo?.root ? this.byId.get(o.chainInfo.root.id) : undefined;
            if (r !== undefined) this.survivorChainNodes.add(r);
        }
    }

    edgeLabel(e: number): string {
        return this.labels[this.eLabel[e]] ?? '?';
    }

    /** Every time at which something about node v changes (birth, death, references in and out,
     *  finalizers, weakref callbacks…), sorted: "jump to the next event of the selected object". */
    eventsOf(v: number): number[] {
        const n = this.nodes[v];
        const ts = new Set<number>([n.bornAt]);
        if (n.diedAt !== NEVER) ts.add(n.diedAt);
        for (const [start, list] of [
            [this.outStart, this.outList],
            [this.inStart, this.inList],
        ] as const) {
            for (let k = start[v]; k < start[v + 1]; k++) {
                const e = list[k];
                ts.add(this.eAdd[e]);
                if (this.eDel[e] !== NEVER) ts.add(this.eDel[e]);
            }
        }
        for (const f of n.obj?.finalizers ?? []) ts.add(f.at);
        for (const ev of n.obj?.events ?? []) ts.add(ev.at);
        return [...ts].filter((t) => t >= 0 && t < this.eventCount).sort((a, b) => a - b);
    }
}

function rootOf(isFrame: boolean, type: string, label: string): RootKind | null {
    if (isFrame) return 'frame';
    if (type === 'module') {
        if (label === 'sys') return 'sys';
        if (label === 'builtins' || label === '__builtin__') return 'builtins';
        if (label === 'atexit') return 'atexit';
        return 'globals';
    }
    if (type === 'dict' && label === 'sys.modules') return 'modules';
    if (type === 'traceback') return 'traceback';
    return null;
}
