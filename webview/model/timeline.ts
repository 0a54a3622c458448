/*
 * timeline.ts
 *
 * The heap at any event index, fast. Births, deaths and reference changes are one sorted list of
 * operations; the live sets (sparse sets: O(1) add/remove, O(live) iteration) are moved by
 * replaying operations forwards or backwards from where they are, or, for long jumps, from the
 * nearest checkpoint (bitsets saved every K operations). Any seek costs at most K operations
 * plus O(live) to rebuild from a checkpoint. Pure: no DOM.
 */

import { NEVER, type HeapModel } from './heapModel';
import type { PhaseSpan } from '../../src/report/types';
import { stableOrder } from './countingSort';

const OP_NODE_ADD = 0;
const OP_NODE_DEL = 1;
const OP_EDGE_ADD = 2;
const OP_EDGE_DEL = 3;

class SparseSet {
    readonly list: Int32Array;
    readonly pos: Int32Array;
    size = 0;
    constructor(n: number) {
        this.list = new Int32Array(n);
        this.pos = new Int32Array(n).fill(-1);
    }
    add(i: number): void {
        if (this.pos[i] >= 0) return;
        this.pos[i] = this.size;
        this.list[this.size++] = i;
    }
    delete(i: number): void {
        const p = this.pos[i];
        if (p < 0) return;
        const last = this.list[--this.size];
        this.list[p] = last;
        this.pos[last] = p;
        this.pos[i] = -1;
    }
    has(i: number): boolean {
        return this.pos[i] >= 0;
    }
    clear(): void {
        for (let k = 0; k < this.size; k++) this.pos[this.list[k]] = -1;
        this.size = 0;
    }
    toBits(): Uint32Array {
        const b = new Uint32Array((this.list.length + 31) >>> 5);
        for (let k = 0; k < this.size; k++) {
            const i = this.list[k];
            b[i >>> 5] |= 1 << (i & 31);
        }
        return b;
    }
    fromBits(b: Uint32Array): void {
        this.clear();
        for (let w = 0; w < b.length; w++) {
            let x = b[w];
            while (x) {
                const bit = 31 - Math.clz32(x & -x);
                this.add((w << 5) | bit);
                x &= x - 1;
            }
        }
    }
}

/** Operations sorted by time; within one time, additions (even codes) before deletions (odd), then as pushed. */
export function sortOperations(times: ArrayLike<number>, codes: ArrayLike<number>): { times: Int32Array; codes: Int32Array } {
    const n = times.length;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = times[i] * 2 + (codes[i] & 1);
    const order = stableOrder(keys);
    const t = new Int32Array(n);
    const c = new Int32Array(n);
    for (let k = 0; k < n; k++) {
        const i = order[k];
        t[k] = times[i];
        c[k] = codes[i];
    }
    return { times: t, codes: c };
}

export interface Changes {
    born: number[];
    died: number[];
    edgesAdded: number[];
    edgesRemoved: number[];
}

export class Timeline {
    /** Operation times (sorted) and codes ((index << 2) | op). */
    readonly opTime: Int32Array;
    readonly opCode: Int32Array;
    /** Times at which the heap or the phase changes, or a collection starts or ends: where step forward/back stop. */
    readonly stops: Int32Array;
    readonly nodes: SparseSet;
    readonly edges: SparseSet;
    /** Checkpoint spacing (operations). */
    readonly K: number;
    private readonly cpNodes: Uint32Array[] = [];
    private readonly cpEdges: Uint32Array[] = [];
    /** Operations applied: opTime[0 .. applied) ≤ now. */
    private applied = 0;
    private now = -1;
    /** (event, step) points for stepAt, made on its first call (the hover card): not before the first paint. */
    private stepPts: { at: Int32Array; step: Int32Array } | null = null;
    /** Statistics, for tests and the benchmark. */
    lastSeekOps = 0;

    constructor(readonly model: HeapModel, private readonly phases: PhaseSpan[] = [], checkpointEvery = 0, extraStops: readonly number[] = []) {
        const nN = model.nodes.length;
        const nE = model.edgeCount;
        // At most a birth and a death per node, an addition and a removal per reference.
        let cap = 0;
        for (let v = 0; v < nN; v++) cap += model.nodes[v].diedAt !== NEVER ? 2 : 1;
        for (let e = 0; e < nE; e++) cap += model.eDel[e] !== NEVER ? 2 : 1;
        const times = new Int32Array(cap);
        const codes = new Int32Array(cap);
        let count = 0;
        const push = (t: number, code: number) => {
            times[count] = t;
            codes[count++] = code;
        };
        for (let v = 0; v < nN; v++) {
            const n = model.nodes[v];
            push(n.bornAt, (v << 2) | OP_NODE_ADD);
            if (n.diedAt !== NEVER) push(n.diedAt, (v << 2) | OP_NODE_DEL);
        }
        for (let e = 0; e < nE; e++) {
            const add = model.eAdd[e];
            const del = model.eDel[e];
            if (del !== NEVER && del <= add) continue; // never visible
            push(add, (e << 2) | OP_EDGE_ADD);
            if (del !== NEVER) push(del, (e << 2) | OP_EDGE_DEL);
        }
        // By time; within one time, additions before deletions (a node born and freed at once is
        // never shown live), then in the order pushed.
        const sorted = sortOperations(times.subarray(0, count), codes.subarray(0, count));
        this.opTime = sorted.times;
        this.opCode = sorted.codes;
        const stopSet: number[] = [];
        for (let i = 0; i < this.opTime.length; i++) if (i === 0 || this.opTime[i] !== this.opTime[i - 1]) stopSet.push(this.opTime[i]);
        for (const p of phases) stopSet.push(p.startAt);
        for (const t of extraStops) stopSet.push(t);
        if (model.eventCount > 0) stopSet.push(model.eventCount - 1, 0);
        this.stops = Int32Array.from(new Set(stopSet.filter((t) => t >= 0 && t < Math.max(1, model.eventCount)))).sort();
        this.nodes = new SparseSet(nN);
        this.edges = new SparseSet(nE);
        // Checkpoints: at most ~256 of them, whatever the run's length.
        this.K = checkpointEvery > 0 ? checkpointEvery : Math.max(1024, Math.ceil(this.opTime.length / 256));
        for (let i = 0; i < this.opTime.length; i++) {
            if (i % this.K === 0) {
                this.cpNodes.push(this.nodes.toBits());
                this.cpEdges.push(this.edges.toBits());
            }
            this.apply(i, true);
        }
        this.applied = this.opTime.length;
        this.now = model.eventCount;
    }

    private apply(i: number, forward: boolean): void {
        const c = this.opCode[i];
        const idx = c >> 2;
        const op = c & 3;
        const add = (op === OP_NODE_ADD || op === OP_EDGE_ADD) === forward;
        const set = op < 2 ? this.nodes : this.edges;
        if (add) set.add(idx);
        else set.delete(idx);
    }

    /** Number of operations with time ≤ t. */
    private upper(t: number): number {
        let lo = 0;
        let hi = this.opTime.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.opTime[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    get time(): number {
        return this.now;
    }

    /** Moves the live sets to event index t (everything that happened at or before t). */
    seek(t: number): void {
        const target = this.upper(t);
        const dist = Math.abs(target - this.applied);
        let ops = 0;
        if (dist > this.K) {
            const cp = Math.min(Math.floor(target / this.K), this.cpNodes.length - 1);
            this.nodes.fromBits(this.cpNodes[cp]);
            this.edges.fromBits(this.cpEdges[cp]);
            this.applied = cp * this.K;
        }
        while (this.applied < target) {
            this.apply(this.applied++, true);
            ops++;
        }
        while (this.applied > target) {
            this.apply(--this.applied, false);
            ops++;
        }
        this.lastSeekOps = ops;
        this.now = t;
    }

    isNodeLive(v: number): boolean {
        return this.nodes.has(v);
    }

    isEdgeLive(e: number): boolean {
        return this.edges.has(e);
    }

    /** What changed in (t0, t1]: births, deaths, references added and removed (capped). */
    changesBetween(t0: number, t1: number, cap = 5000): Changes {
        const ch: Changes = { born: [], died: [], edgesAdded: [], edgesRemoved: [] };
        if (t1 <= t0) return ch;
        const a = this.upper(t0);
        const b = Math.min(this.upper(t1), a + cap);
        for (let i = a; i < b; i++) {
            const c = this.opCode[i];
            const idx = c >> 2;
            switch (c & 3) {
                case OP_NODE_ADD:
                    ch.born.push(idx);
                    break;
                case OP_NODE_DEL:
                    ch.died.push(idx);
                    break;
                case OP_EDGE_ADD:
                    ch.edgesAdded.push(idx);
                    break;
                default:
                    ch.edgesRemoved.push(idx);
            }
        }
        return ch;
    }

    /** The next stop after t (or t itself at the end). */
    nextStop(t: number): number {
        const s = this.stops;
        let lo = 0;
        let hi = s.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (s[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo < s.length ? s[lo] : t;
    }

    /** The previous stop before t (or t itself at the start). */
    prevStop(t: number): number {
        const s = this.stops;
        let lo = 0;
        let hi = s.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (s[mid] < t) lo = mid + 1;
            else hi = mid;
        }
        return lo > 0 ? s[lo - 1] : t;
    }

    /** The statement count (step) at event index t, from the report's known points. */
    stepAt(t: number): number {
        const { at, step } = (this.stepPts ??= stepPoints(this.model, this.phases));
        let lo = 0;
        let hi = at.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (at[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo > 0 ? step[lo - 1] : 0;
    }
}

/** (event index, step) pairs known from the report: object births and deaths, phases. */
function stepPoints(model: HeapModel, phases: PhaseSpan[]): { at: Int32Array; step: Int32Array } {
    const pts: [number, number][] = [];
    for (const p of phases) pts.push([p.startAt, p.startStep], [p.endAt, p.endStep]);
    for (const n of model.nodes) {
        const o = n.obj;
        if (!o) continue;
        pts.push([o.allocAt, o.allocStep]);
        if (o.death) pts.push([o.death.at, o.death.step]);
    }
    pts.sort((a, b) => a[0] - b[0]);
    const at = new Int32Array(pts.length);
    const step = new Int32Array(pts.length);
    let max = 0;
    for (let i = 0; i < pts.length; i++) {
        max = Math.max(max, pts[i][1]);
        at[i] = pts[i][0];
        step[i] = max;
    }
    return { at, step };
}
