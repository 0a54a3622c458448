/*
 * worker.ts → dist/worker.js
 *
 * The analysis worker: runs the engine and the report off the extension host's main thread.
 * One request at a time; the host terminates and restarts the worker to cancel a run.
 */

import { parentPort } from 'node:worker_threads';
import { analyzeSource } from './analysis/analyzeSource';
import type { AnalyzeRequest } from './analysis/protocol';

parentPort?.on('message', (req: AnalyzeRequest) => {
    if (req?.type !== 'analyze') return;
    parentPort?.postMessage(analyzeSource(req));
});
