/*
 * layout.ts
 *
 * Positions computed once for every node that is ever alive, so that nothing jumps while the
 * timeline moves (objects are shown and hidden, never moved). Layered by distance from the roots
 * over the whole run; within a layer, each node takes the free row nearest its parent's row, and
 * a row is free again once its previous occupant has died (interval colouring by lifetime). A loop
 * that makes and frees 100,000 objects therefore uses a handful of rows, not 100,000.
 * O((N + E) · R) with R the search radius. Pure: no DOM.
 *
 * The force-directed layout (webview/graph/layouts.ts) starts from these positions.
 */

import { EDGE_WEAK, NEVER, type HeapModel } from './heapModel';

export interface Positions {
    x: Float64Array;
    y: Float64Array;
    /** Layer (distance from the roots) per node. */
    layer: Int32Array;
    /** A big heap laid out by allocation site: where each site's "N × Type" node goes. */
    siteX?: Float64Array;
    siteY?: Float64Array;
}

export const COL_WIDTH = 250;
export const ROW_HEIGHT = 78;
/** Rows per column before a layer wraps into another column. */
export const ROWS_PER_COLUMN = 36;
const SEARCH_RADIUS = 48;

/**
 * Which nodes can ever be drawn with internals folded (view.ts): the program's objects, and
 * whatever holds one of them at some moment (its holder's holder too), up to a root. The layout
 * places these; the rest gets a column of its own, off to the left, for "show internals".
 */
export function displayable(model: HeapModel, fold = true, internals = false): Uint8Array {
    const N = model.nodes.length;
    const out = new Uint8Array(N);
    const rep = (v: number) => (fold ? model.nodes[v].owner : v);
    if (internals) {
        for (let v = 0; v < N; v++) if (rep(v) === v) out[v] = 1;
        return out;
    }
    const work: number[] = [];
    for (let v = 0; v < N; v++) {
        if (rep(v) === v && model.nodes[v].role === 'program') {
            out[v] = 1;
            work.push(v);
        }
    }
    while (work.length) {
        const d = work.pop()!;
        const targets = [d];
        for (let k = model.outStart[d]; k < model.outStart[d + 1]; k++) {
            const w = model.eTo[model.outList[k]];
            if (w !== d && rep(w) === d) targets.push(w);
        }
        for (const t of targets) {
            for (let k = model.inStart[t]; k < model.inStart[t + 1]; k++) {
                const e = model.inList[k];
                if (model.eFlags[e] & EDGE_WEAK) continue;
                const s = rep(model.eFrom[e]);
                if (out[s]) continue;
                out[s] = 1;
                if (!model.nodes[s].root) work.push(s);
            }
        }
    }
    return out;
}

/** Node indices the layout places: the representative of each node (namespace dicts fold into
 *  their owner), among `include` (all when null); the others are stacked in a column at the left. */
export function layeredLayout(model: HeapModel, fold = true, include: Uint8Array | null = null): Positions {
    const N = model.nodes.length;
    const base = (v: number) => (fold ? model.nodes[v].owner : v);
    const rep = (v: number) => base(v);
    const inc = (v: number) => !include || include[base(v)] === 1;
    const layer = new Int32Array(N).fill(-1);
    const parent = durableParents(model, fold, include);
    // Children lists of the parent forest (node order: deterministic).
    const childStart = new Int32Array(N + 1);
    for (let v = 0; v < N; v++) if (parent[v] >= 0) childStart[parent[v] + 1]++;
    for (let v = 0; v < N; v++) childStart[v + 1] += childStart[v];
    const childList = new Int32Array(childStart[N]);
    const fill = childStart.slice(0, N);
    for (let v = 0; v < N; v++) if (parent[v] >= 0) childList[fill[parent[v]]++] = v;
    // Breadth-first down the forest from the roots (frames and modules first).
    const queue = new Int32Array(N);
    let qh = 0;
    let qt = 0;
    const roots: number[] = [];
    for (let v = 0; v < N; v++) if (rep(v) === v && inc(v) && model.nodes[v].root && model.nodes[v].root !== 'traceback') roots.push(v);
    roots.sort((a, b) => rootRank(model, a) - rootRank(model, b) || model.nodes[a].bornAt - model.nodes[b].bornAt);
    for (const r of roots) {
        layer[r] = 0;
        queue[qt++] = r;
    }
    const bfs = () => {
        while (qh < qt) {
            const u = queue[qh++];
            for (let k = childStart[u]; k < childStart[u + 1]; k++) {
                const w = childList[k];
                if (layer[w] >= 0) continue;
                layer[w] = layer[u] + 1;
                queue[qt++] = w;
            }
        }
    };
    bfs();
    // Nodes no root reaches through durable holders (held by the interpreter, or garbage
    // cycles): a layer of their own, by birth.
    const rest: number[] = [];
    for (let v = 0; v < N; v++) if (rep(v) === v && inc(v) && layer[v] < 0) rest.push(v);
    rest.sort((a, b) => model.nodes[a].bornAt - model.nodes[b].bornAt);
    for (const v of rest) {
        if (layer[v] >= 0) continue;
        layer[v] = 1;
        parent[v] = -1;
        queue[qt++] = v;
        bfs();
    }
    // Rows: per layer, in birth order, the free row nearest the parent's row.
    let maxLayer = 0;
    for (let v = 0; v < N; v++) if (layer[v] > maxLayer) maxLayer = layer[v];
    const byLayer: number[][] = Array.from({ length: maxLayer + 1 }, () => []);
    for (let v = 0; v < N; v++) if (rep(v) === v && layer[v] >= 0) byLayer[layer[v]].push(v);
    const row = new Int32Array(N);
    const rowsUsed = new Int32Array(maxLayer + 1);
    for (let L = 0; L <= maxLayer; L++) {
        const vs = byLayer[L];
        vs.sort((a, b) => model.nodes[a].bornAt - model.nodes[b].bornAt || (L === 0 ? rootRank(model, a) - rootRank(model, b) : 0) || a - b);
        const freeAt: number[] = []; // per row: the time its occupant dies
        const heap = new MinHeap(); // rows by freeAt (lazy: stale entries are skipped)
        for (const v of vs) {
            const n = model.nodes[v];
            const want = parent[v] >= 0 ? row[parent[v]] : 0;
            let chosen = -1;
            for (let d = 0; d <= SEARCH_RADIUS && chosen < 0; d++) {
                for (const r of d === 0 ? [want] : [want + d, want - d]) {
                    if (r < 0) continue;
                    if (r >= freeAt.length || freeAt[r] <= n.bornAt) {
                        chosen = r;
                        break;
                    }
                }
            }
            if (chosen < 0) {
                // Nothing free nearby: the row freed earliest, if free, else a new one.
                while (heap.size && freeAt[heap.topRow()] !== heap.topKey()) heap.pop();
                chosen = heap.size && heap.topKey() <= n.bornAt ? heap.topRow() : freeAt.length;
            }
            while (freeAt.length <= chosen) freeAt.push(-1);
            freeAt[chosen] = lifetimeEnd(model, v, fold);
            heap.push(freeAt[chosen], chosen);
            row[v] = chosen;
        }
        rowsUsed[L] = freeAt.length;
    }
    // Columns: a layer with many rows wraps into several columns.
    const colStart = new Float64Array(maxLayer + 2);
    for (let L = 0; L <= maxLayer; L++) colStart[L + 1] = colStart[L] + Math.max(1, Math.ceil(rowsUsed[L] / ROWS_PER_COLUMN)) * COL_WIDTH;
    const x = new Float64Array(N);
    const y = new Float64Array(N);
    let aside = 0;
    for (let v = 0; v < N; v++) {
        const r = rep(v);
        const L = layer[r];
        if (L < 0) {
            // not displayable with internals folded: a column left of the roots
            if (r === v) {
                x[v] = -COL_WIDTH;
                y[v] = aside++ * ROW_HEIGHT;
            }
            continue;
        }
        const rr = row[r];
        x[v] = colStart[L] + Math.floor(rr / ROWS_PER_COLUMN) * COL_WIDTH;
        y[v] = (rr % ROWS_PER_COLUMN) * ROW_HEIGHT;
    }
    for (let v = 0; v < N; v++) {
        const r = rep(v);
        if (r !== v && layer[r] < 0) {
            x[v] = x[r];
            y[v] = y[r];
        }
    }
    return { x, y, layer };
}

/**
 * Each node's durable holder: of the references to it (whole run, strong, between placed nodes),
 * the one that existed longest, so a list that keeps 300 objects is their parent, not the loop
 * variable that named each for one iteration. -1 for roots and for what nothing placed holds.
 */
export function durableParents(model: HeapModel, fold = true, include: Uint8Array | null = null): Int32Array {
    const N = model.nodes.length;
    const rep = (v: number) => (fold ? model.nodes[v].owner : v);
    const inc = (v: number) => !include || include[rep(v)] === 1;
    const parent = new Int32Array(N).fill(-1);
    const best = new Float64Array(N).fill(-1);
    const end = Math.max(1, model.eventCount);
    for (let e = 0; e < model.edgeCount; e++) {
        if (model.eFlags[e] & EDGE_WEAK) continue;
        const s = rep(model.eFrom[e]);
        const d = rep(model.eTo[e]);
        if (s === d || !inc(s) || !inc(d) || model.nodes[d].root) continue;
        const life = (model.eDel[e] === NEVER ? end : model.eDel[e]) - model.eAdd[e];
        if (life > best[d]) {
            best[d] = life;
            parent[d] = s;
        }
    }
    return parent;
}

function rootRank(model: HeapModel, v: number): number {
    switch (model.nodes[v].root) {
        case 'globals':
            return model.nodes[v].label === '__main__' ? 0 : 2;
        case 'frame':
            return 1;
        case 'atexit':
            return 3;
        case 'sys':
            return 4;
        case 'builtins':
            return 5;
        case 'modules':
            return 6;
        default:
            return 7;
    }
}

/** The death of a node, extended to the deaths of the dicts folded into it. */
function lifetimeEnd(model: HeapModel, v: number, fold: boolean): number {
    let end = model.nodes[v].diedAt;
    if (fold) {
        for (let k = model.outStart[v]; k < model.outStart[v + 1]; k++) {
            const w = model.eTo[model.outList[k]];
            if (w !== v && model.nodes[w].owner === v) end = Math.max(end, model.nodes[w].diedAt);
        }
    }
    return end === NEVER ? NEVER : end + 1;
}

/** Calls f for every edge (whole run) out of u and out of the dicts folded into u; weak edges included. */
export function visitOut(model: HeapModel, u: number, fold: boolean, f: (e: number) => void): void {
    for (let k = model.outStart[u]; k < model.outStart[u + 1]; k++) {
        const e = model.outList[k];
        const w = model.eTo[e];
        if (fold && w !== u && model.nodes[w].owner === u) {
            for (let kk = model.outStart[w]; kk < model.outStart[w + 1]; kk++) f(model.outList[kk]);
        } else f(e);
    }
}

/** A binary min-heap of (key, row) pairs. */
class MinHeap {
    private keys: number[] = [];
    private rows: number[] = [];
    get size(): number {
        return this.keys.length;
    }
    topKey(): number {
        return this.keys[0];
    }
    topRow(): number {
        return this.rows[0];
    }
    push(key: number, row: number): void {
        const k = this.keys;
        const r = this.rows;
        let i = k.length;
        k.push(key);
        r.push(row);
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (k[p] <= k[i]) break;
            [k[p], k[i]] = [k[i], k[p]];
            [r[p], r[i]] = [r[i], r[p]];
            i = p;
        }
    }
    pop(): void {
        const k = this.keys;
        const r = this.rows;
        const lastK = k.pop()!;
        const lastR = r.pop()!;
        if (!k.length) return;
        k[0] = lastK;
        r[0] = lastR;
        let i = 0;
        for (;;) {
            const a = 2 * i + 1;
            const b = a + 1;
            let m = i;
            if (a < k.length && k[a] < k[m]) m = a;
            if (b < k.length && k[b] < k[m]) m = b;
            if (m === i) break;
            [k[m], k[i]] = [k[i], k[m]];
            [r[m], r[i]] = [r[i], r[m]];
            i = m;
        }
    }
}
