/*
 * api.ts
 *
 * The engine's public contract: what the CLI, the extension and the tests call.
 * Everything here is plain data so that a result can cross a worker boundary.
 */

/** A problem that stops simulation before or during the run (not a Python exception). */
export interface EngineError {
    kind: 'syntax' | 'unsupported' | 'budget' | 'internal';
    /**
     * Budget stops: which budget (the statement budget asked for, the wall-clock budget, the
     * memory budget) or `limit` (something the engine itself cannot hold: a list of 2**26 items,
     * a string of 2**29 characters, a recursion deeper than its stack).
     */
    budget?: 'steps' | 'time' | 'memory' | 'limit';
    message: string;
    line: number;
    col: number;
    endLine?: number;
    endCol?: number;
}

export interface SimulateOptions {
    /** Profile name: '2.7', '3.8' … '3.13'. Default '3.13'. */
    python?: string;
    /**
     * Statement budget: a run that executes more statements stops with an EngineError of kind
     * 'budget'. Default: none (the time budget stops runs that would not end).
     */
    maxSteps?: number;
    /** Wall-clock budget in milliseconds: a run still going after it stops at the line it was executing. Default 60,000. */
    timeLimitMs?: number;
    /**
     * Memory budget, measured by the host (the engine imports nothing from Node): a run whose
     * memory passes `limitBytes` stops, as does one line that asks for more than is left. Not
     * plain data: the host (CLI, worker) creates it where the run happens. Default: none.
     */
    memory?: MemoryBudget;
    /** File name used in tracebacks (`File "…", line N`). Default 'scenario.pyscn'. */
    fileName?: string;
    /** Record reference-edge events (needed for chains and the heap graph). Default true. */
    recordEdges?: boolean;
    /** Return the event log (column-wise). Default true; `exitscope run` does not need it. */
    keepEvents?: boolean;
    /**
     * Embedded interpreter (Issue 8): run the scenario this many times in one process, with
     * Py_FinalizeEx/Py_InitializeEx between runs, as an application embedding Python does
     * (`exitscope run --embedded N`). A SystemExit or os._exit in a run ends the whole process
     * (Py_Exit), so later runs do not happen. Default: not embedded (one ordinary process).
     */
    embedded?: number;
}

/** What the host tells the engine about memory: the budget, and how much the process uses now (bytes). */
export interface MemoryBudget {
    limitBytes: number;
    used(): number;
}

/** One Py_InitializeEx … PyRun_SimpleFile … Py_FinalizeEx cycle of an embedded run. */
export interface EmbedCycle {
    cycle: number;
    stdout: string;
    stderr: string;
    /** PyRun_SimpleFile's result: 0, or -1 after an uncaught exception. */
    runResult: 0 | -1;
    /** The run ended the process (SystemExit → Py_Exit, os._exit, or an engine error): no later cycles. */
    endedProcess: boolean;
}

export interface SimulationResult {
    profile: string;
    stdout: string;
    stderr: string;
    /**
     * The process's exit status; negative when a signal ends it, minus the signal's number as
     * subprocess's returncode and the recorder say it (-2: SIGINT, after an uncaught
     * KeyboardInterrupt on 3.8+).
     */
    exitCode: number;
    /** Set when the scenario could not be simulated to its end (exitCode is then 2). */
    errors: EngineError[];
    /** Embedded runs only: one entry per cycle that ran (stdout/stderr above are their concatenation). */
    cycles?: EmbedCycle[];
    /** The last line `__main__` ran before it ended (returned, raised or exited), 0 if it never ran. */
    mainEndLine?: number;
    /**
     * The run's directory at the end (io/memdir.ts), as the recorder records CPython's: every entry
     * except the scenario itself while it is unchanged, parents first. Absent when the run did not
     * start (an error before the first statement).
     */
    files?: FileEntry[];
}

/** An entry of the run's directory after the run. */
export interface FileEntry {
    /** Relative to the scenario's directory (`os.getcwd()`, /tmp/exitscope), `/`-separated. */
    path: string;
    /** 'removed': the scenario itself, deleted by the run. */
    kind: 'file' | 'dir' | 'removed';
    /** Files: the final bytes. */
    data?: Uint8Array;
}
