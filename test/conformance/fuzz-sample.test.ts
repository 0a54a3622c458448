/*
 * fuzz-sample.test.ts
 *
 * The differential fuzzer's CI sample (issue 19): programs the generator wrote (test/fuzz/sample/,
 * at least 300 per profile), with CPython's outputs recorded by `npm run fuzz -- --record-sample`.
 * Each runs on the engine and must match CPython (stdout, exit status, stderr with addresses
 * masked), except the cases test/fuzz/sample/known-divergences.json lists with the family they
 * belong to; a listed case that starts matching fails too, so the list only shrinks
 * (`npm run fuzz -- --sample-divergences` rewrites it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SAMPLE_SIZE, loadSample, sampleVerdict, type KnownDivergences } from '../fuzz/sample';

const SAMPLE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fuzz', 'sample');
const sample = loadSample(SAMPLE_DIR);
const known = JSON.parse(fs.readFileSync(path.join(SAMPLE_DIR, 'known-divergences.json'), 'utf8')) as KnownDivergences;

describe('fuzzer CI sample', () => {
    it('has at least SAMPLE_SIZE programs for every profile', () => {
        for (const v of ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13']) {
            expect(sample.filter((s) => s.recording.results[v]).length, v).toBeGreaterThanOrEqual(SAMPLE_SIZE);
        }
    });

    it('lists only cases that exist', () => {
        for (const [scenario, versions] of Object.entries(known)) {
            const s = sample.find((x) => x.recording.scenario === scenario);
            expect(s, scenario).toBeDefined();
            for (const v of Object.keys(versions)) expect(s!.recording.results[v], `${scenario} ${v}`).toBeDefined();
        }
    });

    // Chunks of programs per test: each stays far below the test timeout on a loaded machine.
    const CHUNK = 50;
    for (const v of ['3.13', '3.12', '3.11', '3.10', '3.9', '3.8', '2.7']) {
        const cases = sample.filter((s) => s.recording.results[v]);
        for (let from = 0; from < cases.length; from += CHUNK) {
            const chunk = cases.slice(from, from + CHUNK);
            it(`CPython ${v}: programs ${from + 1}-${from + chunk.length} match, except the known divergences`, () => {
                const wrong: string[] = [];
                for (const s of chunk) {
                    const rec = s.recording.results[v];
                    const verdict = sampleVerdict(s.source, v, rec);
                    const listed = known[s.recording.scenario]?.[v];
                    if (verdict && !listed) wrong.push(`${s.recording.scenario}: ${verdict}`);
                    else if (!verdict && listed) wrong.push(`${s.recording.scenario}: listed as a known divergence (${listed}) but matches now: remove it`);
                }
                expect(wrong, wrong.slice(0, 20).join('\n')).toEqual([]);
            });
        }
    }
});
