/*
 * analyzeSource.ts
 *
 * What the worker does with one request: simulate, then build the report. Never throws: any
 * failure (an engine bug, an oversized file) becomes a `failure` response. No `vscode`, no
 * `worker_threads`, so tests call it directly.
 */

import { simulate } from '../../engine/index';
import { buildReport } from '../../report/report';
import { MAX_SOURCE_BYTES, type AnalyzeRequest, type AnalyzeResponse } from './protocol';

export function analyzeSource(req: AnalyzeRequest): AnalyzeResponse {
    const started = performance.now();
    try {
        if (req.source.length > MAX_SOURCE_BYTES) {
            const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
            return { type: 'failure', id: req.id, message: `scenario too large to simulate (${mb(req.source.length)} MB; the limit is ${mb(MAX_SOURCE_BYTES)} MB)` };
        }
        const result = simulate(req.source, { python: req.python, maxSteps: req.maxSteps, fileName: req.fileName });
        const report = buildReport(req.source, result, {
            file: req.fileName,
            graph: req.graph ?? true,
            compareWith: req.compareWith,
            maxSteps: req.maxSteps,
        });
        return { type: 'result', id: req.id, report, ms: performance.now() - started };
    } catch (e) {
        const err = e as Error;
        return { type: 'failure', id: req.id, message: `internal error while simulating: ${err?.message ?? String(e)}` };
    }
}
