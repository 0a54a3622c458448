/*
 * compare.ts
 *
 * Comparing one run of the engine with one run of CPython: stdout exactly, the exit status, and
 * stderr with what legitimately varies masked (object addresses; the directory of the file in
 * traceback lines, which CPython 3.9+ prints absolute).
 */

export interface RunOutput {
    stdout: string;
    stderr: string;
    exitCode: number;
}

export type Stream = 'stdout' | 'exit' | 'stderr';

/** Addresses and file directories masked. */
export function normaliseStderr(stderr: string): string {
    return stderr.replace(/0x[0-9a-fA-F]+/g, '0x…').replace(/File "(?:[^"]*\/)?([^"/]+)"/g, 'File "$1"');
}

/** Which streams differ (empty: the runs agree). */
export function differingStreams(engine: RunOutput, cpython: RunOutput): Stream[] {
    const out: Stream[] = [];
    if (engine.stdout !== cpython.stdout) out.push('stdout');
    if (engine.exitCode !== cpython.exitCode) out.push('exit');
    if (normaliseStderr(engine.stderr) !== normaliseStderr(cpython.stderr)) out.push('stderr');
    return out;
}

/** Do two CPython runs (two hash seeds) agree? */
export function sameOutput(a: RunOutput, b: RunOutput): boolean {
    return a.stdout === b.stdout && a.exitCode === b.exitCode && normaliseStderr(a.stderr) === normaliseStderr(b.stderr);
}

/** Exception type names CPython reported on stderr (a reduction must not introduce new ones). */
export function exceptionNames(stderr: string): Set<string> {
    const names = new Set<string>();
    for (const m of stderr.matchAll(/^(?:[\w.]+\.)?([A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning))\b/gm)) names.add(m[1]);
    return names;
}

/** A short unified view of where two outputs first part ways (for the failure files). */
export function firstDifference(a: string, b: string, labelA: string, labelB: string): string {
    const la = a.split('\n');
    const lb = b.split('\n');
    for (let i = 0; i < Math.max(la.length, lb.length); i++) {
        if (la[i] !== lb[i]) return `line ${i + 1}: ${labelA} ${JSON.stringify(la[i] ?? '<none>')} vs ${labelB} ${JSON.stringify(lb[i] ?? '<none>')}`;
    }
    return 'identical';
}
