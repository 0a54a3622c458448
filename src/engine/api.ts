/*
 * api.ts
 *
 * The engine's public contract: what the CLI, the extension and the tests call.
 * Everything here is plain data so that a result can cross a worker boundary.
 */

/** A problem that stops simulation before or during the run (not a Python exception). */
export interface EngineError {
    kind: 'syntax' | 'unsupported' | 'budget' | 'internal';
    message: string;
    line: number;
    col: number;
    endLine?: number;
    endCol?: number;
}

export interface SimulateOptions {
    /** Profile name: '2.7', '3.8' … '3.13'. Default '3.13'. */
    python?: string;
    /** Step budget; a run that exceeds it stops with an EngineError of kind 'budget'. Default 1,000,000. */
    maxSteps?: number;
    /** File name used in tracebacks (`File "…", line N`). Default 'scenario.pyscn'. */
    fileName?: string;
    /** Record reference-edge events (needed for chains and the heap graph). Default true. */
    recordEdges?: boolean;
    /** Return the event log (column-wise). Default true; `exitscope run` does not need it. */
    keepEvents?: boolean;
}

export interface SimulationResult {
    profile: string;
    stdout: string;
    stderr: string;
    exitCode: number;
    /** Set when the scenario could not be simulated to its end (exitCode is then 2). */
    errors: EngineError[];
}
