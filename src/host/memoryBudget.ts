/*
 * memoryBudget.ts — what a Node host (the CLI worker, the editor's analysis worker) tells the engine
 * about memory: the budget of a simulation is a share of this thread's heap limit, measured as V8 sees it
 * (the JavaScript heap plus external memory such as the event log's typed arrays). The engine asks
 * `used()` every few thousand statements and before building anything large (engine/interp/budget.ts).
 */

import * as v8 from 'node:v8';
import type { MemoryBudget } from '../engine/api';

export function memoryBudget(share: number): MemoryBudget {
    const limitBytes = Math.floor(v8.getHeapStatistics().heap_size_limit * share);
    return {
        limitBytes,
        used: () => {
            const h = v8.getHeapStatistics();
            return h.used_heap_size + h.external_memory;
        },
    };
}
