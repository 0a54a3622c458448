/*
 * corpus.test.ts
 *
 * The real-program corpus (Issue 13 item 7, Issue 15): programs about object lifetimes taken from
 * CPython's Lib/test, the library docs and Q&A threads (test/corpus/scenarios/, each with its
 * source in a comment), recorded from real interpreters by
 * `node scripts/record-cpython.mjs --root test/corpus --no-fates`. Every recorded (program,
 * version) case runs through the engine and is classified:
 *
 * - match: stdout, stderr, exit code and final files are CPython's;
 * - refused: the run stopped with the engine's `not supported in scenarios yet: X`, after printing
 *   nothing CPython did not print first (what it printed is a prefix of CPython's output);
 * - listed: a mismatch listed in divergences.json with its reason (a listed case that matches or
 *   is refused now fails the test: the list is stale);
 * - anything else fails the test, and an invented error (the engine's run raised a Python
 *   exception CPython's did not) fails it even when listed.
 *
 * The match rate (matches / cases) is printed per profile; it must not drop below the floors in
 * divergences.json. The refusals and listed mismatches are counted by the feature they need and
 * printed as a ranked gap list (README.md keeps the ranked list).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate, ENABLED_PROFILES } from '../../src/engine/index';
import { compareVersions, engineStderr, loadRecordings, recordedFiles, type RecordedRun } from '../conformance/recordings';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIO_ROOT = path.join(HERE, 'scenarios');
const EXPECTED_ROOT = path.join(HERE, 'expected');
/** A corpus program that runs longer than this is a budget stop (listed like any other mismatch). */
const TIME_LIMIT_MS = 20_000;

interface Listed {
    versions: string[];
    /** The mechanism the case needs (the gap list counts programs per feature). */
    feature: string;
    reason: string;
}
interface Divergences {
    floors: Record<string, number>;
    cases: Record<string, Listed>;
}
const divergencesFile = path.join(HERE, 'divergences.json');
const divergences = JSON.parse(fs.readFileSync(divergencesFile, 'utf8')) as Divergences;

type Outcome =
    | { kind: 'match' }
    | { kind: 'refused'; features: string[] }
    | { kind: 'listed'; feature: string }
    | { kind: 'failed'; message: string };

const REFUSAL = /not supported in scenarios yet: (.*)$/;

/** Exception type names on the lines of a stderr that end a traceback or an "Exception ignored" report. */
function raisedTypes(stderr: string): Set<string> {
    const out = new Set<string>();
    for (const line of stderr.split('\n')) {
        const m = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration))(?::|$)/.exec(line);
        if (m) out.add(m[1]!.replace(/^.*\./, ''));
    }
    return out;
}

function differences(run: RecordedRun, r: ReturnType<typeof simulate>): string[] {
    const d: string[] = [];
    if (r.stdout !== run.stdout) d.push('stdout');
    if (r.exitCode !== run.exitCode) d.push(`exit code ${r.exitCode} (CPython ${run.exitCode})`);
    if (run.stderr !== undefined && engineStderr(r.stderr) !== run.stderr) d.push('stderr');
    if (run.files !== undefined && JSON.stringify(recordedFiles(r.files ?? [])) !== JSON.stringify(run.files)) d.push('final files');
    return d;
}

function firstLineDiff(a: string, b: string): string {
    const la = a.split('\n');
    const lb = b.split('\n');
    for (let i = 0; i < Math.max(la.length, lb.length); i++) {
        if (la[i] !== lb[i]) return `line ${i + 1}: CPython ${JSON.stringify(la[i] ?? '<end>')}, engine ${JSON.stringify(lb[i] ?? '<end>')}`;
    }
    return 'identical';
}

function classify(scenario: string, version: string, run: RecordedRun): Outcome {
    const source = fs.readFileSync(path.join(SCENARIO_ROOT, scenario), 'utf8');
    const listed = divergences.cases[scenario];
    const isListed = !!listed && listed.versions.includes(version);
    let r: ReturnType<typeof simulate>;
    try {
        r = simulate(source, { python: version, fileName: path.basename(scenario), timeLimitMs: TIME_LIMIT_MS, recordEdges: false, keepEvents: false });
    } catch (e) {
        if (isListed) return { kind: 'listed', feature: listed.feature };
        return { kind: 'failed', message: `the engine threw ${(e as Error)?.stack ?? String(e)}` };
    }
    const diffs = differences(run, r);
    if (diffs.length === 0) {
        if (isListed) return { kind: 'failed', message: 'now matches CPython: remove it from test/corpus/divergences.json' };
        return { kind: 'match' };
    }
    // An invented error: a Python exception in the engine's stderr that CPython's does not show.
    const cpythonRaised = raisedTypes(run.stderr ?? '');
    const invented = [...raisedTypes(engineStderr(r.stderr))].filter((t) => !cpythonRaised.has(t));
    if (invented.length && !r.errors.length) {
        return { kind: 'failed', message: `invented error: the engine raised ${invented.join(', ')}, CPython did not\n${r.stderr}` };
    }
    // Refused: every engine error is a `not supported` one (a static check reports each such line).
    const refused = r.errors.length > 0 ? r.errors.map((e) => (e.kind === 'unsupported' ? REFUSAL.exec(e.message)?.[1] : undefined)) : [];
    // "a program that never ends" is a claim about CPython, which the recording shows ended: a mismatch.
    const claimsHang = refused.some((f) => f?.startsWith('a program that never ends'));
    if (refused.length && refused.every((f) => f !== undefined) && !claimsHang && run.stdout.startsWith(r.stdout)) {
        if (isListed) return { kind: 'failed', message: `now refused (${refused.join('; ')}): remove it from test/corpus/divergences.json` };
        return { kind: 'refused', features: [...new Set(refused as string[])] };
    }
    if (isListed) return { kind: 'listed', feature: listed.feature };
    const detail = [
        `differs from CPython ${run.python} in ${diffs.join(', ')}`,
        ...r.errors.map((e) => `engine ${e.kind} error at ${e.line}:${e.col}: ${e.message}`),
        diffs.includes('stdout') ? `stdout ${firstLineDiff(run.stdout, r.stdout)}` : '',
        diffs.includes('stderr') ? `stderr ${firstLineDiff(run.stderr ?? '', engineStderr(r.stderr))}` : '',
    ].filter(Boolean);
    return { kind: 'failed', message: `${detail.join('\n')}\n(model the mechanism, or list the case with its reason in test/corpus/divergences.json)` };
}

const recordings = loadRecordings(EXPECTED_ROOT);
const enabled = new Set<string>(ENABLED_PROFILES);
const outcomes = new Map<string, Outcome>(); // `${scenario} ${version}` -> outcome

/** Refused features may carry a name or a path; the gap list groups them by their first words. */
function featureKey(feature: string): string {
    return feature.replace(/\s*\(.*$/, '').replace(/ on Python [\d.]+$/, '').trim();
}

describe('real-program corpus', () => {
    it('has at least 120 programs, each with its source in a comment at the top', () => {
        expect(recordings.length).toBeGreaterThanOrEqual(120);
        const unattributed = recordings
            .map((r) => r.scenario)
            .filter((s) => !/^# Source: \S/.test(fs.readFileSync(path.join(SCENARIO_ROOT, s), 'utf8')));
        expect(unattributed, 'programs without a "# Source:" first line').toEqual([]);
    });

    it('lists only recorded cases', () => {
        const recorded = new Map(recordings.map((r) => [r.scenario, Object.keys(r.results)]));
        const stale = Object.entries(divergences.cases)
            .filter(([s, d]) => !recorded.has(s) || d.versions.some((v) => !recorded.get(s)!.includes(v)))
            .map(([s]) => s);
        expect(stale).toEqual([]);
    });

    describe.each(recordings.map((rec) => [rec.scenario, rec] as const))('%s', (_name, rec) => {
        const versions = Object.keys(rec.results).filter((v) => enabled.has(v)).sort(compareVersions);
        it.each(versions)('python %s', (version) => {
            const outcome = classify(rec.scenario, version, rec.results[version]!);
            outcomes.set(`${rec.scenario} ${version}`, outcome);
            if (outcome.kind === 'failed') {
                const error = new Error(`${rec.scenario} on Python ${version}: ${outcome.message}`);
                error.stack = error.message;
                throw error;
            }
        });
    });

    it('keeps its match rate at or above the recorded floors', () => {
        const all = [...outcomes.entries()];
        expect(all.length).toBeGreaterThan(0);
        const perProfile = new Map<string, { cases: number; match: number; refused: number; listed: number; failed: number }>();
        for (const [key, o] of all) {
            const v = key.slice(key.lastIndexOf(' ') + 1);
            for (const k of [v, 'overall']) {
                const s = perProfile.get(k) ?? { cases: 0, match: 0, refused: 0, listed: 0, failed: 0 };
                s.cases++;
                s[o.kind]++;
                perProfile.set(k, s);
            }
        }
        const lines: string[] = ['real-program corpus: match rate per profile'];
        const below: string[] = [];
        for (const [k, s] of [...perProfile.entries()].sort((a, b) => (a[0] === 'overall' ? 1 : b[0] === 'overall' ? -1 : compareVersions(a[0], b[0])))) {
            const rate = s.match / s.cases;
            lines.push(`  ${k.padEnd(8)} ${(100 * rate).toFixed(1).padStart(5)}%  (${s.match}/${s.cases} match, ${s.refused} refused, ${s.listed} listed, ${s.failed} failing)`);
            const floor = divergences.floors[k];
            if (floor === undefined) below.push(`${k}: no floor recorded in test/corpus/divergences.json`);
            else if (rate + 1e-9 < floor) below.push(`${k}: ${(100 * rate).toFixed(1)}% is below the floor ${(100 * floor).toFixed(1)}%`);
        }
        // The gap list: programs per feature they need (refusals and listed mismatches).
        const programsPer = new Map<string, Set<string>>();
        for (const [key, o] of all) {
            const features = o.kind === 'refused' ? o.features : o.kind === 'listed' ? [o.feature] : [];
            for (const f of new Set(features.map(featureKey))) {
                const set = programsPer.get(f) ?? new Set<string>();
                set.add(key.slice(0, key.lastIndexOf(' ')));
                programsPer.set(f, set);
            }
        }
        lines.push('gaps (feature: programs it would unblock):');
        for (const [f, set] of [...programsPer.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))) {
            lines.push(`  ${String(set.size).padStart(3)}  ${f}`);
        }
        console.log(lines.join('\n'));
        expect(below).toEqual([]);
    });
});

afterAll(() => {
    if (process.env.EXITSCOPE_CORPUS_REPORT) {
        const out: Record<string, Outcome> = Object.fromEntries([...outcomes.entries()].sort());
        fs.writeFileSync(process.env.EXITSCOPE_CORPUS_REPORT, JSON.stringify(out, null, 1) + '\n');
    }
});
