/*
 * phaseNames.ts
 *
 * The words a user reads for the engine's phase names (src/engine/events.ts Phase), shared by
 * the heap graph, the hovers and the Problems rows, so no view shows `teardown-gc` or
 * `delete-special`; and how the process ended (exitStatusText). Pure: no DOM, no vscode.
 */

/** Plain names, lower case, for "freed during …" / "at …". */
export const PHASE_TEXT: Record<string, string> = {
    'start-up': 'start-up',
    startup: 'start-up',
    running: 'the program',
    'system-exit': 'sys.exit()',
    'wait-for-threads': 'waiting for threads',
    atexit: 'atexit handlers',
    'daemon-freeze': 'daemon threads frozen',
    'pre-teardown-gc': 'the shutdown collection',
    'delete-special': 'module teardown',
    'remove-modules': 'module teardown',
    'restore-builtins': 'module teardown',
    'teardown-gc': 'the teardown collection',
    'wipe-modules': 'module globals cleared',
    'wipe-sys-builtins': 'sys and builtins wiped',
    'final-gc': 'the final collection',
    'interpreter-clear': 'interpreter state cleared',
    'interpreter-clear-gc': 'the last collection',
    'gc-fini': 'gc.garbage released',
    'clear-sys-dict': 'sys dict cleared',
    'os-exit': 'os._exit()',
    'after-exit': 'after exit',
};

/** A phase's plain name (unknown names are returned with dashes as spaces). */
export function phaseText(phase: string | null | undefined): string {
    if (!phase) return 'shutdown';
    return PHASE_TEXT[phase] ?? phase.replace(/-/g, ' ');
}

/** Short names for the phase strip's chips (a narrow panel has room for a word or two). */
export const PHASE_CHIP: Record<string, string> = {
    running: 'program end',
    'system-exit': 'sys.exit',
    'wait-for-threads': 'wait for threads',
    atexit: 'atexit',
    'daemon-freeze': 'daemons frozen',
    'pre-teardown-gc': 'shutdown GC',
    'delete-special': 'teardown',
    'remove-modules': 'teardown',
    'restore-builtins': 'teardown',
    'teardown-gc': 'teardown GC',
    'wipe-modules': 'globals cleared',
    'wipe-sys-builtins': 'sys wiped',
    'final-gc': 'final GC',
    'interpreter-clear': 'interpreter cleared',
    'interpreter-clear-gc': 'last GC',
    'gc-fini': 'gc.garbage freed',
    'clear-sys-dict': 'sys dict cleared',
    'os-exit': 'os._exit',
    'after-exit': 'after exit',
};

export function phaseChip(phase: string): string {
    return PHASE_CHIP[phase] ?? phase.replace(/-/g, ' ');
}

/** Signals a simulated process can end by (a negative exit code: minus the signal's number). */
const SIGNAL_NAMES: Record<number, string> = { 2: 'SIGINT' };

/** How the process ended, for a title: `exit status 1`, or `killed by SIGINT` (3.8+'s uncaught KeyboardInterrupt). */
export function exitStatusText(exitCode: number): string {
    if (exitCode >= 0) return `exit status ${exitCode}`;
    return `killed by ${SIGNAL_NAMES[-exitCode] ?? `signal ${-exitCode}`}`;
}
