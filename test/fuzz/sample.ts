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
            for (const v of VERSIONS[dialect]) {
                const py = pys.get(v);
                if (!py) throw new Error(`no CPython ${v}`);
                const r = await cpythonOutput(runner, py, g.source, RECORD_SEEDS);
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
