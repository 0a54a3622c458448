/*
 * heap.ts — the heap at one moment, rebuilt from Report.graph (edge intervals), as the DOT and
 * HTML views draw it: namespace dicts (`__dict__` of modules, classes, instances) folded into
 * their owner, interpreter objects hidden except modules and frames that reference the program's
 * objects.
 */
import type { Report } from '../types';

export interface ViewNode {
    id: number;
    label: string;
    type: string;
    kind: 'object' | 'module' | 'frame';
    fate: string | null;
    survives: boolean;
}

export interface ViewEdge {
    from: number;
    to: number;
    label: string;
    line: number;
}

export interface HeapView {
    at: number;
    nodes: ViewNode[];
    edges: ViewEdge[];
    truncated: number;
}

/** The last event of the program proper (before shutdown starts), or the last event. */
export function runEndAt(r: Report): number {
    const sh = r.timeline.find((p) => p.phase !== 'running' && p.phase !== 'startup' && p.startAt > 0 && r.timeline.some((q) => q.phase === 'running' && q.startAt < p.startAt));
    const n = r.graph?.eventCount ?? 0;
    return sh ? Math.max(0, sh.startAt - 1) : Math.max(0, n - 1);
}

export function heapAt(r: Report, at: number = runEndAt(r), maxNodes = 300): HeapView {
    const g = r.graph;
    if (!g) return { at, nodes: [], edges: [], truncated: 0 };
    const objs = new Map(r.objects.map((o) => [o.id, o]));
    const info = new Map(g.nodes.map((n) => [n.id, n]));
    const alive = (id: number) => {
        const n = info.get(id);
        return !!n && n.bornAt <= at && (n.diedAt === null || n.diedAt > at);
    };
    const E = g.edges;
    const live: number[] = [];
    for (let i = 0; i < E.from.length; i++) {
        if (E.addedAt[i] > at || (E.removedAt[i] !== -1 && E.removedAt[i] <= at)) continue;
        if (!alive(E.from[i]) || !alive(E.to[i])) continue;
        live.push(i);
    }
    // Fold namespace dicts into their owners.
    const owner = new Map<number, number>();
    for (const i of live) {
        if (g.labels[E.label[i]] === '__dict__' && info.get(E.to[i])?.type === 'dict') owner.set(E.to[i], E.from[i]);
    }
    const rep = (id: number) => owner.get(id) ?? id;
    const wanted = (id: number) => {
        const n = info.get(id);
        if (!n) return false;
        if (objs.has(id)) return true;
        return n.kind === 'frame' || n.type === 'module';
    };
    const nodes = new Map<number, ViewNode>();
    const edges: ViewEdge[] = [];
    let truncated = 0;
    const addNode = (id: number): boolean => {
        if (nodes.has(id)) return true;
        if (nodes.size >= maxNodes) {
            truncated++;
            return false;
        }
        const n = info.get(id)!;
        const o = objs.get(id);
        nodes.set(id, {
            id,
            label: n.label,
            type: n.type,
            kind: n.kind === 'frame' ? 'frame' : n.type === 'module' ? 'module' : 'object',
            fate: o ? o.fate : null,
            survives: !!o?.survivesExit,
        });
        return true;
    };
    for (const i of live) {
        if (g.labels[E.label[i]] === '__dict__' && owner.get(E.to[i]) === E.from[i]) continue;
        const from = rep(E.from[i]);
        const to = rep(E.to[i]);
        if (!wanted(to) || !objs.has(E.to[i]) && !objs.has(to)) continue;
        if (!wanted(from)) continue;
        if (!addNode(from) || !addNode(to)) continue;
        edges.push({ from, to, label: g.labels[E.label[i]], line: E.line[i] });
    }
    // Objects alive with no drawn edge still appear.
    for (const o of r.objects) if (alive(o.id) && !owner.has(o.id) && !nodes.has(o.id)) addNode(o.id);
    return { at, nodes: [...nodes.values()], edges, truncated };
}

/** Node fill colour per fate, shared by the DOT and HTML views. */
export const FATE_FILL: Record<string, string> = {
    freed: '#d9f2d9',
    collected: '#d9e8f7',
    'finalized-at-shutdown': '#fff2cc',
    'freed-at-shutdown': '#f2f2f2',
    'survives-exit': '#f8cecc',
};
