/*
 * scc.ts
 *
 * Strongly connected components (Tarjan's algorithm, iterative: a linked list of 100,000 objects
 * must not overflow the stack). Input: n vertices and a CSR adjacency. Pure.
 */

export interface SccResult {
    /** Component index per vertex. */
    comp: Int32Array;
    count: number;
    /** Vertices per component. */
    size: Int32Array;
    /** Whether a component is a cycle (size ≥ 2, or one vertex with a self-reference). */
    cyclic: Uint8Array;
}

export function stronglyConnected(n: number, start: Int32Array, adj: Int32Array): SccResult {
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack = new Int32Array(n);
    let sp = 0;
    const comp = new Int32Array(n).fill(-1);
    const callV = new Int32Array(n);
    const callK = new Int32Array(n);
    let counter = 0;
    let count = 0;
    const sizes: number[] = [];
    const cyclic: number[] = [];
    for (let root = 0; root < n; root++) {
        if (index[root] >= 0) continue;
        let depth = 0;
        callV[0] = root;
        callK[0] = start[root];
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        onStack[root] = 1;
        while (depth >= 0) {
            const v = callV[depth];
            const k = callK[depth];
            if (k < start[v + 1]) {
                callK[depth] = k + 1;
                const w = adj[k];
                if (index[w] < 0) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    onStack[w] = 1;
                    depth++;
                    callV[depth] = w;
                    callK[depth] = start[w];
                } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
                continue;
            }
            if (low[v] === index[v]) {
                let size = 0;
                let w: number;
                do {
                    w = stack[--sp];
                    onStack[w] = 0;
                    comp[w] = count;
                    size++;
                } while (w !== v);
                sizes.push(size);
                let self = 0;
                if (size === 1) for (let kk = start[v]; kk < start[v + 1]; kk++) if (adj[kk] === v) self = 1;
                cyclic.push(size > 1 || self ? 1 : 0);
                count++;
            }
            depth--;
            if (depth >= 0) {
                const u = callV[depth];
                if (low[v] < low[u]) low[u] = low[v];
            }
        }
    }
    return { comp, count, size: Int32Array.from(sizes), cyclic: Uint8Array.from(cyclic) };
}

/** Builds a CSR adjacency from edge lists (vertices 0..n-1). */
export function csrOf(n: number, from: ArrayLike<number>, to: ArrayLike<number>): { start: Int32Array; adj: Int32Array } {
    const start = new Int32Array(n + 1);
    for (let i = 0; i < from.length; i++) start[from[i] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const adj = new Int32Array(from.length);
    const fill = start.slice(0, n);
    for (let i = 0; i < from.length; i++) adj[fill[from[i]]++] = to[i];
    return { start, adj };
}
