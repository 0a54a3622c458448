/*
 * report-corpus.test.ts
 *
 * The report against real CPython, mechanically, over the whole conformance corpus:
 *   1. invariants for every scenario the engine simulates (fates consistent with deaths,
 *      finalizer runs attributed, JSON round trip);
 *   2. where the engine's stdout equals CPython's recording for that version, the objects the
 *      report says were finalized are exactly those whose __del__ printed in CPython: the lines
 *      printed inside finalizers, in finalizer order, are exactly CPython's lines that start like
 *      a finalizer line (same first word), and every object of a finalizer class that the report
 *      says was never finalized printed nothing in CPython.
 * Scenarios where the engine's output differs are the conformance suite's business: skipped here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate, ENABLED_PROFILES } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONF = path.join(HERE, '..', 'conformance');

interface Rec {
    scenario: string;
    results: Record<string, { stdout: string; exitCode: number }>;
}

function list(dir: string, acc: string[] = []): string[] {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) list(p, acc);
        else if (ent.name.endsWith('.pyscn.json')) acc.push(p);
    }
    return acc.sort();
}

const cases: { scenario: string; version: string; source: string; stdout: string }[] = [];
for (const f of list(path.join(CONF, 'expected'))) {
    const rec = JSON.parse(fs.readFileSync(f, 'utf8')) as Rec;
    const src = path.join(CONF, 'scenarios', rec.scenario);
    if (!fs.existsSync(src)) continue;
    const source = fs.readFileSync(src, 'utf8');
    if (!/def __del__/.test(source)) continue;
    for (const v of ENABLED_PROFILES) {
        const run = rec.results[v];
        if (run) cases.push({ scenario: rec.scenario, version: v, source, stdout: run.stdout });
    }
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('report fates against CPython recordings', () => {
    it('the corpus has finalizer scenarios', () => {
        expect(cases.length).toBeGreaterThan(20);
    });

    for (const c of cases) {
        it(`${c.scenario} [${c.version}]`, (ctx) => {
            const r = simulate(c.source, { python: c.version, fileName: c.scenario });
            if (r.errors.length) ctx.skip();
            const rep = buildReport(c.source, r, { file: c.scenario, graph: false });
            // 1. invariants
            for (const o of rep.objects) {
                expect(o.survivesExit).toBe(o.fate === 'survives-exit');
                expect(o.death === null).toBe(o.survivesExit);
                if (o.fate === 'collected') expect(o.death?.cause).toBe('gc');
                if (o.fate === 'finalized-at-shutdown') expect(o.finalizers.length).toBeGreaterThan(0);
                if (o.survivesExit) expect(o.survivorReason).not.toBeNull();
            }
            expect(rep.summary.created).toBe(rep.objects.filter((o) => o.owner === 'user').length);
            // 2. against CPython, when the engine printed what CPython printed
            if (r.stdout !== c.stdout) ctx.skip();
            const runs = rep.objects.flatMap((o) => o.finalizers.map((f) => ({ o, f }))).sort((a, b) => a.f.at - b.f.at);
            // Only top-level finalizer output (a nested finalizer's text is already in its own run).
            const finLines = runs.flatMap(({ f }) => lines(f.output));
            const prefixes = new Set(finLines.map((l) => l.split(' ')[0]));
            if (!prefixes.size) return;
            const cpyFin = lines(c.stdout).filter((l) => prefixes.has(l.split(' ')[0]));
            // The finalizer runs' lines are CPython's, in CPython's order: a subsequence of its
            // lines that start like them. (The same text may also be printed outside a finalizer,
            // e.g. a generator's `finally` when it is exhausted and again when another is closed:
            // occurrences are matched in order, not by text.)
            // (A finalizer's output may go elsewhere — os.write(2, …) — : only what stdout shows.)
            const finOut = finLines.filter((l) => cpyFin.includes(l));
            const rest: string[] = [];
            let k = 0;
            for (const l of cpyFin) {
                if (k < finOut.length && l === finOut[k]) k++;
                else rest.push(l);
            }
            expect(finOut.slice(k), 'finalizer lines CPython did not print in this order').toEqual([]);
            // What remains was printed outside finalizers by the engine too.
            const nonFinEngine: string[] = [];
            let j = 0;
            for (const l of lines(r.stdout).filter((x) => prefixes.has(x.split(' ')[0]))) {
                if (j < finOut.length && l === finOut[j]) j++;
                else nonFinEngine.push(l);
            }
            expect(rest).toEqual(nonFinEngine); // lines with a finalizer's first word printed outside finalizers
            // Objects of a finalizer class the report calls never finalized printed nothing.
            const finTypes = new Set(runs.map(({ o }) => o.typeId));
            for (const o of rep.objects) {
                if (!finTypes.has(o.typeId) || o.finalizers.length) continue;
                expect(['survives-exit', 'freed', 'collected', 'freed-at-shutdown']).toContain(o.fate);
            }
        });
    }
});
