/*
 * sample.ts
 *
 * The CI sample: a fixed set of generated programs per profile with CPython's outputs, committed
 * under test/fuzz/sample/ and checked by sample.test.ts in `npm test`. Recorded the way the
 * recorder records conformance scenarios (`python -S`, PYTHON* unset, PYTHONHASHSEED 0, 1 and
 * 4242; a program whose output depends on the seed is left out).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from './generate';
import type { CPythonRunner, Interpreter } from './cpython';
import { cpythonOutput } from './differential';
import type { Dialect } from './program';
import { runEngine } from './engine';
import { differingStreams, firstDifference, normaliseStderr, type RunOutput } from './compare';

/** Programs per profile in the sample. */
export const SAMPLE_SIZE = 300;
const RECORD_SEEDS = ['0', '1', '4242'];
/** Seeds of the sample's programs start here (far from the seeds people fuzz with first). */
export const SAMPLE_FIRST_SEED = 1_000_000;

const VERSIONS: Record<Dialect, string[]> = { py2: ['2.7'], py3: ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'] };

export interface SampleRecording {
    scenario: string;
    seed: number;
    results: Record<string, { python: string; stdout: string; exitCode: number; stderr: string }>;
}

export async function recordSample(runner: CPythonRunner, pys: Map<string, Interpreter>, repo: string): Promise<number> {
    for (const dialect of ['py2', 'py3'] as Dialect[]) {
        const dir = path.join(repo, 'test', 'fuzz', 'sample', dialect);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        let kept = 0;
        let skipped = 0;
        for (let seed = SAMPLE_FIRST_SEED; kept < SAMPLE_SIZE; seed++) {
            const g = generate(seed, dialect);
            const rec: SampleRecording = { scenario: `${dialect}/${seed}.pyscn`, seed, results: {} };
            let ok = true;
            // Every version at once (the runner keeps at most --jobs interpreters running).
            const runs = await Promise.all(
                VERSIONS[dialect].map((v) => {
                    const py = pys.get(v);
                    if (!py) throw new Error(`no CPython ${v}`);
                    return cpythonOutput(runner, py, g.source, RECORD_SEEDS).then((r) => [v, py, r] as const);
                }),
            );
            for (const [v, py, r] of runs) {
                if (typeof r === 'string') {
                    ok = false;
                    break;
                }
                rec.results[v] = { python: py.full, stdout: r.stdout, exitCode: r.exitCode, stderr: r.stderr };
            }
            if (!ok) {
                skipped++;
                continue;
            }
            fs.writeFileSync(path.join(dir, `${seed}.pyscn`), g.source);
            fs.writeFileSync(path.join(dir, `${seed}.pyscn.json`), JSON.stringify(rec, null, 2) + '\n');
            kept++;
        }
        console.log(`${dialect}: ${kept} programs recorded on ${VERSIONS[dialect].join(' ')}, ${skipped} nondeterministic ones left out`);
    }
    return 0;
}

/** One program of the sample: its source and CPython's recorded outputs. */
export interface SampleProgram {
    source: string;
    recording: SampleRecording;
}

/** Sample scenario (py3/1000004.pyscn) → profile → the family it belongs to (where it first differs). */
export type KnownDivergences = Record<string, Record<string, string>>;

export function loadSample(dir: string): SampleProgram[] {
    const out: SampleProgram[] = [];
    for (const dialect of ['py2', 'py3']) {
        const d = path.join(dir, dialect);
        if (!fs.existsSync(d)) continue;
        for (const f of fs.readdirSync(d).sort()) {
            if (!f.endsWith('.pyscn')) continue;
            const recording = JSON.parse(fs.readFileSync(path.join(d, `${f}.json`), 'utf8')) as SampleRecording;
            out.push({ source: fs.readFileSync(path.join(d, f), 'utf8'), recording });
        }
    }
    return out;
}

/** null when the engine matches CPython's recorded run, else where they first part ways (numbers kept). */
export function sampleVerdict(source: string, profile: string, rec: RunOutput): string | null {
    const run = runEngine(source, profile);
    if (run.error?.kind === 'unsupported') return `refused: ${run.error.message}`;
    const differ = differingStreams(run, rec);
    if (!differ.length) return null;
    const where =
        differ[0] === 'stdout'
            ? firstDifference(run.stdout, rec.stdout, 'engine', 'python')
            : differ[0] === 'stderr'
              ? firstDifference(normaliseStderr(run.stderr), normaliseStderr(rec.stderr), 'engine', 'python')
              : `exit: engine ${run.exitCode} vs python ${rec.exitCode}`;
    return `${differ.join(', ')} differ: ${where}`;
}

/** Rewrites known-divergences.json from what the engine does now: the family is where a case first differs, numbers masked. */
export function writeSampleDivergences(dir: string): number {
    const known: KnownDivergences = {};
    const perProfile = new Map<string, [number, number]>();
    for (const s of loadSample(dir)) {
        for (const [v, rec] of Object.entries(s.recording.results)) {
            const verdict = sampleVerdict(s.source, v, rec);
            const e = perProfile.get(v) ?? [0, 0];
            e[0]++;
            if (verdict) {
                e[1]++;
                (known[s.recording.scenario] ??= {})[v] = verdict.replace(/^line \d+: /, '').replace(/: line \d+: /, ': ').replace(/\d+/g, '#').slice(0, 200);
            }
            perProfile.set(v, e);
        }
    }
    fs.writeFileSync(path.join(dir, 'known-divergences.json'), JSON.stringify(known, null, 1) + '\n');
    for (const [v, [n, d]] of [...perProfile.entries()].sort()) console.log(`${v}: ${d} of ${n} sample programs differ (${((100 * d) / n).toFixed(1)}%)`);
    return 0;
}
