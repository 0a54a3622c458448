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

import { NEVER, type HeapModel } from './heapModel';

export interface Positions {
    x: Float64Array;
    y: Float64Array;
    /** Layer (distance from the roots) per node. */
    layer: Int32Array;
}

export const COL_WIDTH = 230;
export const ROW_HEIGHT = 64;
/** Rows per column before a layer wraps into another column. */
export const ROWS_PER_COLUMN = 36;
const SEARCH_RADIUS = 48;

/** Node indices the layout places: the representative of each node (namespace dicts fold into their owner). */
export function layeredLayout(model: HeapModel, fold = true): Positions {
    const N = model.nodes.length;
    const rep = (v: number) => (fold ? model.nodes[v].owner : v);
    const layer = new Int32Array(N).fill(-1);
    const parent = new Int32Array(N).fill(-1);
    // BFS over the whole run's strong edges from the roots (frames and modules first).
    const queue = new Int32Array(N);
    let qh = 0;
    let qt = 0;
    const roots: number[] = [];
    for (let v = 0; v < N; v++) if (rep(v) === v && model.nodes[v].root && model.nodes[v].root !== 'traceback') roots.push(v);
    roots.sort((a, b) => rootRank(model, a) - rootRank(model, b) || model.nodes[a].bornAt - model.nodes[b].bornAt);
    for (const r of roots) {
        layer[r] = 0;
        queue[qt++] = r;
    }
    const bfs = () => {
        while (qh < qt) {
            const u = queue[qh++];
            // Out-edges of u and of the dicts folded into it.
            visitOut(model, u, fold, (e) => {
                const w = rep(model.eTo[e]);
                if (layer[w] >= 0 || w === u) return;
                layer[w] = layer[u] + 1;
                parent[w] = u;
                queue[qt++] = w;
            });
        }
    };
    bfs();
    // Nodes nothing reaches (held by the interpreter, or garbage cycles): a layer of their own, by birth.
    const rest: number[] = [];
    for (let v = 0; v < N; v++) if (rep(v) === v && layer[v] < 0) rest.push(v);
    rest.sort((a, b) => model.nodes[a].bornAt - model.nodes[b].bornAt);
    for (const v of rest) {
        if (layer[v] >= 0) continue;
        layer[v] = 1;
        queue[qt++] = v;
        bfs();
    }
    // Rows: per layer, in birth order, the free row nearest the parent's row.
    let maxLayer = 0;
    for (let v = 0; v < N; v++) if (layer[v] > maxLayer) maxLayer = layer[v];
    const byLayer: number[][] = Array.from({ length: maxLayer + 1 }, () => []);
    for (let v = 0; v < N; v++) if (rep(v) === v) byLayer[layer[v]].push(v);
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
    for (let v = 0; v < N; v++) {
        const r = rep(v);
        const L = layer[r];
        const rr = row[r];
        x[v] = colStart[L] + Math.floor(rr / ROWS_PER_COLUMN) * COL_WIDTH;
        y[v] = (rr % ROWS_PER_COLUMN) * ROW_HEIGHT;
    }
    return { x, y, layer };
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
