/*
 * limits.ts — the resources the command runs with (read by the launcher before anything else
 * loads, so: no engine import here).
 *
 * The command runs in a worker thread: its JavaScript stack can be made large (the engine
 * evaluates Python calls recursively, about 1.6 KB of stack per Python frame, so CPython's
 * default recursion limit of 1000 needs more than the main thread's 1 MB, and programs that
 * raise the limit need far more), and running out of heap there fails the worker, which the
 * launcher reports, instead of aborting the process.
 */

/** The worker's stack: room for about 300,000 nested Python calls (reserved, committed as used). */
export const STACK_MB = 512;
export const MIN_MEMORY_MB = 256;
export const MAX_MEMORY_MB = 64 * 1024;
/** Shares of the heap the simulation may fill: `run` keeps nothing else; a report about as much again. */
export const SIMULATION_SHARE = { run: 0.8, report: 0.45 } as const;

/** `--max-memory MB` from the raw arguments (the launcher sizes the worker with it), else undefined. */
export function requestedMemoryMb(argv: readonly string[]): number | undefined {
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const v = a === '--max-memory' ? argv[i + 1] : a.startsWith('--max-memory=') ? a.slice('--max-memory='.length) : undefined;
        if (v === undefined) continue;
        const n = Number(v.replace(/_/g, ''));
        // A bad value is reported by the option parser in the worker.
        if (Number.isInteger(n) && n >= MIN_MEMORY_MB && n <= MAX_MEMORY_MB) return n;
    }
    return undefined;
}
