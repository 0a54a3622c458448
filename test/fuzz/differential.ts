/*
 * differential.ts
 *
 * One program on one profile: CPython under two hash seeds (a program whose output depends on the
 * seed is nondeterministic and skipped), then the engine, then the comparison.
 */

import type { CPythonRunner, CPythonRun, Interpreter } from './cpython';
import { runEngine, type EngineRun } from './engine';
import { differingStreams, sameOutput, type Stream } from './compare';

export const HASH_SEEDS = ['0', '1'] as const;

export type Verdict =
    | { kind: 'match' }
    | { kind: 'differ'; streams: Stream[]; engine: EngineRun; cpython: CPythonRun }
    /** CPython's output depends on the hash seed (set or 2.7 dict order of strings…). */
    | { kind: 'nondeterministic' }
    /** The engine refused a construct: the generator wrote something outside the supported subset. */
    | { kind: 'unsupported'; message: string; line: number }
    /** CPython rejected the program (SyntaxError): a generator bug. */
    | { kind: 'invalid'; detail: string }
    | { kind: 'timeout' };

/** CPython's run under the first seed; null when the seeds disagree. */
export async function cpythonOutput(runner: CPythonRunner, py: Interpreter, source: string, seeds: readonly string[] = HASH_SEEDS): Promise<CPythonRun | 'nondeterministic' | 'timeout'> {
    const runs = await Promise.all(seeds.map((s) => runner.run(py, source, s)));
    if (runs.some((r) => r.timedOut)) return 'timeout';
    for (const r of runs.slice(1)) if (!sameOutput(runs[0], r)) return 'nondeterministic';
    return runs[0];
}

export async function check(runner: CPythonRunner, py: Interpreter, profile: string, source: string, seeds: readonly string[] = HASH_SEEDS): Promise<Verdict> {
    const cp = await cpythonOutput(runner, py, source, seeds);
    if (cp === 'timeout') return { kind: 'timeout' };
    if (cp === 'nondeterministic') return { kind: 'nondeterministic' };
    if (/^\s*(SyntaxError|IndentationError|TabError)\b/m.test(cp.stderr) && cp.exitCode === 1 && !cp.stdout) {
        return { kind: 'invalid', detail: cp.stderr.trim().split('\n').slice(-3).join(' | ') };
    }
    const engine = runEngine(source, profile);
    if (engine.error?.kind === 'unsupported') return { kind: 'unsupported', message: engine.error.message, line: engine.error.line };
    const streams = differingStreams(engine, cp);
    return streams.length ? { kind: 'differ', streams, engine, cpython: cp } : { kind: 'match' };
}
