/*
 * protocol.ts
 *
 * Every message between the extension host and the analysis worker (dist/worker.js).
 * Plain data only: a Report crosses the thread boundary by structured clone.
 */

import type { Report } from '../../report/types';

/** Host → worker: simulate `source` and build its report. */
export interface AnalyzeRequest {
    type: 'analyze';
    id: number;
    source: string;
    python: string;
    /** Statement budget (0 or absent: none). */
    maxSteps: number;
    /** Wall-clock budget of the simulation (absent: the engine's default). */
    timeLimitMs?: number;
    fileName: string;
    /** Other profiles to simulate and diff against (Explain on other versions). */
    compareWith?: string[];
    /** Include the heap graph (default true). */
    graph?: boolean;
}

/** Worker → host: the outcome of one AnalyzeRequest. */
export type AnalyzeResponse =
    | { type: 'result'; id: number; report: Report; ms: number }
    | { type: 'failure'; id: number; message: string };

/** What the service hands to views: a report, or why there is none. */
export type AnalysisResult =
    | { kind: 'report'; report: Report; python: string; maxSteps: number; timeLimitMs?: number; ms: number }
    | { kind: 'failure'; message: string; python: string; maxSteps: number; timeLimitMs?: number };

/** Scenarios larger than this are refused with a diagnostic rather than simulated (the CLI's limit too). */
export { MAX_SOURCE_BYTES } from '../../engine/interp/budget';
