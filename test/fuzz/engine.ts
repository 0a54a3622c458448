/*
 * engine.ts
 *
 * Running a generated program on the engine, in-process (what `exitscope run` does, without the
 * event log).
 */

import { simulate } from '../../src/engine/index';
import type { RunOutput } from './compare';

/** The file name programs run under (tracebacks name it; CPython runs the same file name). */
export const PROGRAM_FILE = 'prog.py';

export interface EngineRun extends RunOutput {
    /** The engine could not simulate the program (kind: unsupported, syntax, budget, internal). */
    error: { kind: string; message: string; line: number } | null;
}

export function runEngine(source: string, profile: string): EngineRun {
    const r = simulate(source, { python: profile, fileName: PROGRAM_FILE, recordEdges: false, keepEvents: false });
    const e = r.errors[0];
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, error: e ? { kind: e.kind, message: e.message, line: e.line } : null };
}
