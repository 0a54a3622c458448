/*
 * retainers.ts
 *
 * "Why is this still alive at step N?": who references an object at the moment shown (its
 * retainers), recursively to the roots, and the shortest chain from a root, as Chrome DevTools'
 * Retainers view does, over the live references of the timeline. Namespace dicts are folded
 * into their owner (`__main__.__dict__['x']` is `__main__ —x→`). Weak references keep nothing
 * alive and are left out. Pure: no DOM.
 */

import { EDGE_WEAK, type HeapModel } from './heapModel';
import type { Timeline } from './timeline';

export interface Retainer {
    /** Model edge index of the reference. */
    e: number;
    /** The holder (folded to its owner). */
    from: number;
    /** The reference's name: attribute, key, index, local or global name. */
    label: string;
    /** Source line where the reference was made (0: unknown). */
    line: number;
    /** The holder is a root (module globals, frame, sys, builtins, atexit…). */
    root: boolean;
}

export interface RetainerPath {
    /** The root the chain starts from, or -1 when no root holds the object. */
    root: number;
    /** Edges root → … → object (model edge indices), shortest first found. */
    edges: number[];
    /** Nodes on the chain, root first, the object last. */
    nodes: number[];
    /** No root reaches it: unreachable garbage (waiting for a collection), or held by a reference
     *  the log does not show (no retainer at all: the interpreter's own state). */
    unreachable: boolean;
    unrecorded: boolean;
}

const rep = (model: HeapModel, tl: Timeline, v: number): number => {
    const w = model.nodes[v].owner;
    return w !== v && tl.isNodeLive(w) ? w : v;
};

/** Live strong references into v (and into the dicts folded into v), holders folded. */
export function retainersOf(model: HeapModel, tl: Timeline, v: number): Retainer[] {
    const out: Retainer[] = [];
    const targets = [v];
    // the namespace dicts folded into v are held through v itself
    for (let k = model.outStart[v]; k < model.outStart[v + 1]; k++) {
        const w = model.eTo[model.outList[k]];
        if (w !== v && model.nodes[w].owner === v) targets.push(w);
    }
    for (const t of targets) {
        for (let k = model.inStart[t]; k < model.inStart[t + 1]; k++) {
            const e = model.inList[k];
            if (!tl.isEdgeLive(e) || model.eFlags[e] & EDGE_WEAK) continue;
            const s = model.eFrom[e];
            if (!tl.isNodeLive(s)) continue;
            const from = rep(model, tl, s);
            if (from === v) continue; // v's own namespace dict
            out.push({ e, from, label: model.edgeLabel(e), line: model.eLine[e], root: !!model.nodes[from].root });
        }
    }
    // roots first, then by holder creation: stable across renders
    out.sort((a, b) => Number(b.root) - Number(a.root) || model.nodes[a.from].bornAt - model.nodes[b.from].bornAt || a.e - b.e);
    return out;
}

/** The shortest chain of live strong references from a root to v (backwards breadth-first). */
export function shortestRetainerPath(model: HeapModel, tl: Timeline, v: number): RetainerPath {
    if (model.nodes[v].root) return { root: v, edges: [], nodes: [v], unreachable: false, unrecorded: false };
    const via = new Map<number, number>(); // node → edge towards v
    via.set(v, -1);
    const queue = [v];
    let anyRetainer = false;
    for (let q = 0; q < queue.length; q++) {
        const u = queue[q];
        for (const r of retainersOf(model, tl, u)) {
            anyRetainer = true;
            if (via.has(r.from)) continue;
            via.set(r.from, r.e);
            if (r.root) {
                const edges: number[] = [];
                const nodes: number[] = [r.from];
                let x = r.from;
                for (;;) {
                    const e = via.get(x)!;
                    if (e < 0) break;
                    edges.push(e);
                    x = rep(model, tl, model.eTo[e]);
                    nodes.push(x);
                }
                return { root: r.from, edges, nodes, unreachable: false, unrecorded: false };
            }
            queue.push(r.from);
        }
    }
    return { root: -1, edges: [], nodes: [v], unreachable: anyRetainer, unrecorded: !anyRetainer };
}
