/*
 * countingSort.ts
 *
 * A stable order of integer keys, for the tables the panel sorts when a report arrives (the
 * timeline's operations, the line index's points): their keys are event indices, a few per
 * object and reference, so a counting sort (one pass to count, one to place) replaces a
 * comparison sort that calls back into JavaScript for every comparison. Keys spread much wider
 * than their number take the comparison sort. Pure.
 */

/** The indices 0..n-1 ordered by key, equal keys in index order. */
export function stableOrder(keys: ArrayLike<number>): Int32Array {
    const n = keys.length;
    const order = new Int32Array(n);
    let lo = 0;
    let hi = -1;
    for (let i = 0; i < n; i++) {
        const k = keys[i];
        if (i === 0 || k < lo) lo = k;
        if (i === 0 || k > hi) hi = k;
    }
    const range = n ? hi - lo + 1 : 0;
    if (range > 16 * n + (1 << 20)) {
        const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
        order.set(idx);
        return order;
    }
    const start = new Int32Array(range + 1);
    for (let i = 0; i < n; i++) start[keys[i] - lo + 1]++;
    for (let k = 0; k < range; k++) start[k + 1] += start[k];
    for (let i = 0; i < n; i++) order[start[keys[i] - lo]++] = i;
    return order;
}
