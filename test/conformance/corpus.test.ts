/*
 * corpus.test.ts
 *
 * Invariants of the conformance corpus: every scenario has a recording and
 * every recording a scenario, every scenario records at least Python 3.13
 * (unless its `# versions:` header leaves 3.13 out: Python-2-only syntax
 * is recorded on 2.7 alone), and the corpus is not accidentally emptied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { targetVersions } from '../../scripts/record-cpython.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIO_ROOT = path.join(HERE, 'scenarios');
const EXPECTED_ROOT = path.join(HERE, 'expected');
const MIN_SCENARIOS = 80;

function list(dir: string, suffix: string, acc: string[] = [], base = dir): string[] {
    if (!fs.existsSync(dir)) return acc;
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) list(p, suffix, acc, base);
        else if (ent.isFile() && ent.name.endsWith(suffix)) acc.push(path.relative(base, p).split(path.sep).join('/'));
    }
    return acc.sort();
}

const scenarios = list(SCENARIO_ROOT, '.pyscn');
const expected = list(EXPECTED_ROOT, '.pyscn.json').map((f) => f.replace(/\.json$/, ''));

describe('conformance corpus', () => {
    it(`has at least ${MIN_SCENARIOS} scenarios`, () => {
        expect(scenarios.length).toBeGreaterThanOrEqual(MIN_SCENARIOS);
    });

    it('every scenario has an expected file', () => {
        const have = new Set(expected);
        const missing = scenarios.filter((s) => !have.has(s));
        expect(missing, 'scenarios without a recording (run node scripts/record-cpython.mjs)').toEqual([]);
    });

    it('every expected file has a scenario', () => {
        const have = new Set(scenarios);
        const orphans = expected.filter((s) => !have.has(s));
        expect(orphans, 'recordings whose scenario is gone').toEqual([]);
    });

    it('every recording is well-formed and includes Python 3.13 (when its header targets it)', () => {
        const problems: string[] = [];
        for (const rel of expected) {
            let rec: { scenario?: unknown; results?: Record<string, { stdout?: unknown; exitCode?: unknown; python?: unknown }> };
            try {
                rec = JSON.parse(fs.readFileSync(path.join(EXPECTED_ROOT, rel + '.json'), 'utf8'));
            } catch (e) {
                problems.push(`${rel}: invalid JSON (${(e as Error).message})`);
                continue;
            }
            if (rec.scenario !== rel) problems.push(`${rel}: "scenario" field is ${JSON.stringify(rec.scenario)}`);
            const results = rec.results ?? {};
            const source = fs.existsSync(path.join(SCENARIO_ROOT, rel)) ? fs.readFileSync(path.join(SCENARIO_ROOT, rel), 'utf8') : '';
            const targets = (targetVersions(source) as { versions: string[] }).versions;
            if (!results['3.13'] && targets.includes('3.13')) problems.push(`${rel}: no 3.13 result`);
            if (!results['3.13'] && !targets.length) problems.push(`${rel}: no 3.13 result and no versions`);
            for (const [v, r] of Object.entries(results)) {
                if (typeof r.stdout !== 'string' || typeof r.exitCode !== 'number' || typeof r.python !== 'string') {
                    problems.push(`${rel}: result for ${v} lacks python/stdout/exitCode`);
                } else if (!r.python.startsWith(v + '.') && !(/^[a-z]/.test(v) && r.python.startsWith(v + ' '))) {
                    // (tracing-GC runtimes record "pypy 7.3.11", "jython 2.7.3-DEV")
                    problems.push(`${rel}: result for ${v} was recorded with ${r.python}`);
                }
            }
        }
        expect(problems).toEqual([]);
    });
});
