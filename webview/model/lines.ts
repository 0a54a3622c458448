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
        const at: number[] = [];
        const line: number[] = [];
        const point = (t: number, l: number) => {
            at.push(t);
            line.push(l);
        };
        for (const o of report.objects) {
            if (o.allocLine > 0) point(o.allocAt, o.allocLine);
            if (o.death && o.death.line > 0) point(o.death.at, o.death.line);
            for (const f of o.finalizers) if (f.line > 0) point(f.at, f.line);
        }
        for (const c of report.collections) if (c.line > 0) point(c.startAt, c.line);
        for (let e = 0; e < model.edgeCount; e++) if (model.eLine[e] > 0) point(model.eAdd[e], model.eLine[e]);
        // By time, stably: of the points at one time, the last added gives the line there.
        const order = stableOrder(at);
        this.at = Int32Array.from(order, (i) => at[i]);
        this.line = Int32Array.from(order, (i) => line[i]);
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
