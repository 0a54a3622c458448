/*
 * analyzeSource.ts
 *
 * What the worker does with one request: simulate, then build the report. Never throws: any
 * failure (an engine bug, an oversized file) becomes a `failure` response. No `vscode`, no
 * `worker_threads`, so tests call it directly.
 */

import { simulate } from '../../engine/index';
import { buildReport } from '../../report/report';
import { memoryBudget } from '../../host/memoryBudget';
import type { AnalyzeRequest, AnalyzeResponse } from './protocol';

/** The simulation may fill this share of the worker's heap; building the report needs about as much again. */
const SIMULATION_SHARE = 0.45;

export function analyzeSource(req: AnalyzeRequest): AnalyzeResponse {
    const started = performance.now();
    try {
        // An oversized scenario, like every budget, is an EngineError the report carries (the engine checks).
        const maxSteps = req.maxSteps > 0 ? req.maxSteps : undefined;
        const result = simulate(req.source, { python: req.python, maxSteps, timeLimitMs: req.timeLimitMs, fileName: req.fileName, memory: memoryBudget(SIMULATION_SHARE) });
        const report = buildReport(req.source, result, {
            file: req.fileName,
            graph: req.graph ?? true,
            compareWith: req.compareWith,
            maxSteps,
            timeLimitMs: req.timeLimitMs,
        });
        return { type: 'result', id: req.id, report, ms: performance.now() - started };
    } catch (e) {
        const err = e as Error;
        return { type: 'failure', id: req.id, message: `internal error while simulating: ${err?.message ?? String(e)}` };
    }
}
