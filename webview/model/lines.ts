/*
 * lines.ts
 *
 * The source line the program is at, at any event: the readout speaks of lines and phases, not
 * of the engine's step and event numbers. The report has no line per event; it has the line of
 * every allocation, death, reference, finalizer run and collection, which is enough to say
 * "line 21" at each moment where something visible happens. Pure.
 */

import type { Report } from '../../src/report/types';
import type { HeapModel } from './heapModel';
import { stableOrder } from './countingSort';

export class LineIndex {
    private readonly at: Int32Array;
    private readonly line: Int32Array;

    constructor(report: Report, model: HeapModel) {
        let cap = report.collections.length + model.edgeCount;
        for (const o of report.objects) cap += 2 + o.finalizers.length;
        const at = new Int32Array(cap);
        const line = new Int32Array(cap);
        let n = 0;
        const point = (t: number, l: number) => {
            at[n] = t;
            line[n++] = l;
        };
        for (const o of report.objects) {
            if (o.allocLine > 0) point(o.allocAt, o.allocLine);
            if (o.death && o.death.line > 0) point(o.death.at, o.death.line);
            for (const f of o.finalizers) if (f.line > 0) point(f.at, f.line);
        }
        for (const c of report.collections) if (c.line > 0) point(c.startAt, c.line);
        for (let e = 0; e < model.edgeCount; e++) if (model.eLine[e] > 0) point(model.eAdd[e], model.eLine[e]);
        // By time, stably: of the points at one time, the last added gives the line there.
        const order = stableOrder(at.subarray(0, n));
        this.at = new Int32Array(n);
        this.line = new Int32Array(n);
        for (let k = 0; k < n; k++) {
            this.at[k] = at[order[k]];
            this.line[k] = line[order[k]];
        }
    }

    /** The line of the last thing that happened at or before event t (0 before the first). */
    lineAt(t: number): number {
        let lo = 0;
        let hi = this.at.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.at[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo > 0 ? this.line[lo - 1] : 0;
    }
}
