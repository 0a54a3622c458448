/*
 * fates.test.ts
 *
 * Every object's fate against real CPython: the recordings' `fates` (scripts/fates/: an
 * instrumented run reports when each observable object died — which statement and collection
 * while running, which shutdown step, or never) compared with the report's fate, phase and death
 * for the same objects. Keys and fates: scripts/fates/fates.ts.
 *
 * Objects CPython cannot watch (no weakref support: lists, dicts, tuples…; or dead before any
 * statement ended) are not compared: the summary counts them. Accepted mismatches are listed with
 * their reason in known-fate-divergences.json; a listed case that starts matching fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { PROFILES } from '../../src/engine/profiles';
import { buildReport } from '../../src/report/report';
import { cpythonLines, engineFates, keying27, probeFinder, valueProbeLines } from '../../scripts/fates/fates';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIOS = path.join(HERE, 'scenarios');
const EXPECTED = path.join(HERE, 'expected');

interface Recorded {
    fates?: { objects?: Record<string, string>; unusable?: string };
}

interface Divergence {
    versions: string[];
    reason: string;
}

const divergences = JSON.parse(fs.readFileSync(path.join(HERE, 'known-fate-divergences.json'), 'utf8')) as Record<string, Divergence>;

function listJson(dir: string, acc: string[] = []): string[] {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) listJson(p, acc);
        else if (ent.name.endsWith('.pyscn.json')) acc.push(p);
    }
    return acc;
}

const cases: { scenario: string; version: string; objects: Record<string, string> }[] = [];
const unusable: string[] = [];
for (const file of listJson(EXPECTED).sort()) {
    const scenario = path.relative(EXPECTED, file).split(path.sep).join('/').replace(/\.json$/, '');
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: Record<string, Recorded> };
    for (const [version, r] of Object.entries(rec.results)) {
        if (!r.fates) continue;
        if (r.fates.unusable) unusable.push(`${scenario} ${version}: ${r.fates.unusable}`);
        else if (r.fates.objects) cases.push({ scenario, version, objects: r.fates.objects });
    }
}

const totals = { compared: 0, mismatched: 0, unobserved: 0 };

/** The mismatches of one case, as lines. */
function compare(scenario: string, version: string, recorded: Record<string, string>): string[] {
    const source = fs.readFileSync(path.join(SCENARIOS, scenario), 'utf8');
    const profile = PROFILES[version]!;
    const result = simulate(source, { python: version, fileName: path.basename(scenario) });
    const report = buildReport(source, result, { graph: false, maxChains: 0, memory: false });
    const probes = probeFinder(source, result.events);
    const engine = engineFates(report, {
        typeName: (t) => profile.typeNames[t] ?? t,
        lineOf27: profile.major === 2 ? keying27(source, result.events, probes) : undefined,
        lineAt: cpythonLines(result.events),
        valueProbes: valueProbeLines(source),
        seen: { log: result.events, probes },
    });
    const out: string[] = [];
    for (const [key, fate] of Object.entries(recorded)) {
        totals.compared++;
        const mine = engine[key];
        if (mine !== fate) out.push(`  ${key}: CPython ${fate}, engine ${mine ?? '(no such object)'}`);
    }
    totals.unobserved += Object.keys(engine).filter((k) => !(k in recorded)).length;
    totals.mismatched += out.length;
    return out;
}

describe('fates against CPython', () => {
    it.each(cases.map((c) => [`${c.scenario} python ${c.version}`, c] as const))('%s', (_name, c) => {
        const problems = compare(c.scenario, c.version, c.objects);
        const known = divergences[c.scenario];
        if (known && known.versions.includes(c.version)) {
            if (!problems.length) throw new Error(`${c.scenario} on ${c.version}: every fate now matches CPython; remove it from known-fate-divergences.json`);
            return;
        }
        if (problems.length) {
            const e = new Error(`${c.scenario} on Python ${c.version}: fates differ from CPython (key LINE:TYPE#K):\n${problems.join('\n')}`);
            e.stack = e.message;
            throw e;
        }
    });
    afterAll(() => {
        // eslint-disable-next-line no-console
        console.log(`fates: ${totals.compared} CPython-observed objects compared, ${totals.mismatched} differ; ${totals.unobserved} engine objects CPython's probe could not see; ${unusable.length} recordings without usable fates`);
    });
});
