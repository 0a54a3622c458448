/*
 * conformance.test.ts
 *
 * Runs every recorded scenario through the engine and compares stdout, stderr and
 * the exit code with what real CPython produced (test/conformance/expected/**, written
 * by scripts/record-cpython.mjs; its stderr has memory addresses masked as `0x…`). One test per (scenario, version); versions the
 * engine does not enable yet (ENABLED_PROFILES) are reported as skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { simulate, ENABLED_PROFILES, type FileEntry } from '../../src/engine/index';
import { compareVersions, engineStderr, loadRecordings, recordedFiles, type RecordedRun } from './recordings';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIO_ROOT = path.join(HERE, 'scenarios');
const EXPECTED_ROOT = path.join(HERE, 'expected');

interface Case {
    scenario: string;
    version: string;
    run: RecordedRun;
}

/** Quote a line so that trailing spaces and empty lines stay visible. */
function show(line: string): string {
    return line === '' ? '⏎' : line.replace(/ +$/, (s) => '·'.repeat(s.length));
}

/**
 * A line diff (LCS) shown like `diff -u` with 3 lines of context.
 * Scenario outputs are small, so the quadratic table is fine.
 */
export function unifiedDiff(expected: string, actual: string, context = 3): string {
    const a = expected.split('\n');
    const b = actual.split('\n');
    // Outputs normally end with a newline: drop the final '' and say so when only one side has it.
    const aNl = a[a.length - 1] === '';
    const bNl = b[b.length - 1] === '';
    if (aNl) a.pop();
    if (bNl) b.pop();
    if (aNl !== bNl) (aNl ? b : a).push('\\ No newline at end of output');
    const n = a.length;
    const m = b.length;
    if (n * m > 4_000_000) {
        return `(outputs too large to diff: ${n} vs ${m} lines)`;
    }
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) {
            lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
        }
    }
    type Op = { kind: ' ' | '-' | '+'; text: string; ai: number; bi: number };
    const ops: Op[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] === b[j]) {
            ops.push({ kind: ' ', text: a[i]!, ai: i, bi: j });
            i++;
            j++;
        } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
            ops.push({ kind: '+', text: b[j]!, ai: i, bi: j });
            j++;
        } else {
            ops.push({ kind: '-', text: a[i]!, ai: i, bi: j });
            i++;
        }
    }
    // Group changes into hunks with context.
    const out: string[] = [];
    let k = 0;
    while (k < ops.length) {
        if (ops[k]!.kind === ' ') {
            k++;
            continue;
        }
        let start = Math.max(0, k - context);
        let end = k;
        // Extend while changes are within 2*context of each other.
        let last = k;
        while (end < ops.length) {
            if (ops[end]!.kind !== ' ') last = end;
            if (end - last > 2 * context) break;
            end++;
        }
        end = Math.min(ops.length, last + context + 1);
        const hunk = ops.slice(start, end);
        const aStart = hunk[0]!.ai + 1;
        const bStart = hunk[0]!.bi + 1;
        const aLen = hunk.filter((o) => o.kind !== '+').length;
        const bLen = hunk.filter((o) => o.kind !== '-').length;
        out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
        for (const o of hunk) out.push(`${o.kind} ${show(o.text)}`);
        k = end;
        start = end;
    }
    return out.join('\n');
}

function failureMessage(c: Case, result: { stdout: string; stderr: string; exitCode: number; errors: readonly { kind: string; message: string; line: number; col: number }[]; files?: FileEntry[] }): string | null {
    const lines: string[] = [];
    const stdoutDiffers = result.stdout !== c.run.stdout;
    const exitDiffers = result.exitCode !== c.run.exitCode;
    const stderr = engineStderr(result.stderr);
    const stderrDiffers = c.run.stderr !== undefined && stderr !== c.run.stderr;
    const engineFiles = c.run.files && JSON.stringify(recordedFiles(result.files ?? []));
    const filesDiffer = c.run.files !== undefined && engineFiles !== JSON.stringify(c.run.files);
    if (!stdoutDiffers && !exitDiffers && !stderrDiffers && !filesDiffer) return null;
    lines.push(`${c.scenario} on Python ${c.version} (recorded with CPython ${c.run.python}):`);
    if (exitDiffers) lines.push(`  exit code: expected ${c.run.exitCode}, engine ${result.exitCode}`);
    if (filesDiffer) lines.push(`  final files differ:\n    CPython ${JSON.stringify(c.run.files)}\n    engine  ${engineFiles}`);
    if (stdoutDiffers) {
        lines.push('  stdout differs (- CPython, + engine):');
        lines.push(
            unifiedDiff(c.run.stdout, result.stdout)
                .split('\n')
                .map((l) => '    ' + l)
                .join('\n'),
        );
    }
    if (stderrDiffers) {
        lines.push('  stderr differs (- CPython, + engine):');
        lines.push(
            unifiedDiff(c.run.stderr!, stderr)
                .split('\n')
                .map((l) => '    ' + l)
                .join('\n'),
        );
    }
    if (result.errors.length) {
        lines.push('  engine errors:');
        for (const e of result.errors) lines.push(`    ${e.kind} at ${e.line}:${e.col}: ${e.message}`);
    }
    return lines.join('\n');
}

const recordings = loadRecordings(EXPECTED_ROOT);

interface Divergence {
    versions: string[];
    reason: string;
}
/** Cases that depend on CPython internals the engine does not model (see known-divergences.json). */
const divergences = JSON.parse(fs.readFileSync(path.join(HERE, 'known-divergences.json'), 'utf8')) as Record<string, Divergence>;
function divergence(scenario: string, version: string): Divergence | null {
    const d = divergences[scenario];
    return d && d.versions.includes(version) ? d : null;
}
// EXITSCOPE_PROFILES=3.12,3.11 runs those profiles instead of ENABLED_PROFILES (to try a profile before enabling it).
const override = process.env.EXITSCOPE_PROFILES?.split(',').map((s) => s.trim()).filter(Boolean);
const enabled = new Set<string>(override && override.length ? override : ENABLED_PROFILES);

function runCase(c: Case): void {
    const scenarioFile = path.join(SCENARIO_ROOT, c.scenario);
    if (!fs.existsSync(scenarioFile)) {
        throw new Error(`${c.scenario}: scenario file missing (${scenarioFile})`);
    }
    const source = fs.readFileSync(scenarioFile, 'utf8');
    let result: ReturnType<typeof simulate>;
    try {
        result = simulate(source, { python: c.version, fileName: path.basename(c.scenario) });
    } catch (e) {
        const err = e as Error;
        const msg = `${c.scenario} on Python ${c.version}: the engine threw ${err?.name ?? 'an error'}: ${err?.message ?? String(e)}`;
        const error = new Error(msg, { cause: e });
        error.stack = `${msg}\n${(err?.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
        throw error;
    }
    const msg = failureMessage(c, result);
    const known = divergence(c.scenario, c.version);
    if (known) {
        // A known divergence must still diverge: if it now matches, the list is stale.
        if (!msg) throw new Error(`${c.scenario} on Python ${c.version} now matches CPython: remove it from known-divergences.json`);
        return;
    }
    if (msg) {
        const error = new Error(msg);
        error.stack = msg; // the message is the useful part; no harness stack
        throw error;
    }
}

describe('conformance with CPython', () => {
    if (recordings.length === 0) {
        it('has recordings', () => {
            throw new Error(`no expected files under ${EXPECTED_ROOT}; run: node scripts/record-cpython.mjs`);
        });
        return;
    }
    // '%s' rather than '$scenario': vitest quotes and truncates $-interpolated strings.
    describe.each(recordings.map((rec) => [rec.scenario, rec] as const))('%s', (_name, rec) => {
        const cases: Case[] = Object.keys(rec.results)
            .sort(compareVersions)
            .map((version) => ({ scenario: rec.scenario, version, run: rec.results[version]! }));
        const run = cases
            .filter((c) => enabled.has(c.version))
            .map((c) => [divergence(c.scenario, c.version) ? `${c.version} (known divergence: ${divergence(c.scenario, c.version)!.reason.slice(0, 60)}…)` : c.version, c] as const);
        const skipped = cases.filter((c) => !enabled.has(c.version)).map((c) => [c.version, c] as const);
        if (run.length) it.each(run)('python %s', (_v, c) => runCase(c));
        if (skipped.length) it.skip.each(skipped)('python %s (profile not enabled)', () => {});
    });
});
