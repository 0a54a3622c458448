/*
 * report.ts — `exitscope report` and `exitscope check`.
 *
 *   exitscope report FILE [--python V] [--format text|json|sarif|dot|html] [-o OUT] [--max-steps N]
 *                         [--color|--no-color] [--compare V1,V2…]
 *   exitscope check FILE... [--python V] [--max-steps N]
 *
 * report: writes the report (stdout or OUT); exit 0, or 2 when the scenario cannot be simulated
 * (`FILE:LINE:COL: error: message` on stderr) or the command line is wrong.
 * check: one line per file; exit 1 when any scenario has objects that survive exit or a failing
 * `# expect:` comment, 2 when one cannot be simulated, 0 otherwise.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../engine/index';
import type { SimulateOptions } from '../engine/api';
import { PROFILES } from '../engine/profiles';
import { buildReport } from '../report/report';
import { formatReport } from '../report/formats/index';
import { jsonChunks } from '../report/formats/json';
import { readStandaloneAssets, standaloneCompareHtmlChunks, standaloneHtmlChunks, type StandaloneAssets } from '../extension/panel/standaloneHtml';
import { parseOptions, type FailOn, type Opts } from './args';
import type { Finding, Report, Severity } from '../report/types';
import { CliError, ClosedOutput, engineErrorLines, fdIo, openOutput, readScenario, type CliIo } from './io';
import { SIMULATION_SHARE } from './limits';
import { memoryBudget } from '../host/memoryBudget';

let assets: StandaloneAssets | null | undefined;
/** The webview bundle and stylesheet next to the built CLI (dist/cli-worker.js → dist/webview.js, media/webview.css). */
function interactiveAssets(): StandaloneAssets | null {
    if (assets !== undefined) return assets;
    // From the bundle (dist/) the package root is one level up; from the sources (src/cli/), two.
    const root = [path.join(__dirname, '..'), path.join(__dirname, '..', '..')].find((r) => fs.existsSync(path.join(r, 'dist', 'webview.js')));
    try {
        assets = root ? readStandaloneAssets(root) : null;
    } catch {
        assets = null;
    }
    return assets;
}

/** Past this many objects the interactive HTML page is slow to open (the heap graph view summarises from 20,000). */
export const LARGE_HTML_OBJECTS = 100_000;

/** What `--format html` says on stderr about a page of `objects` objects, or null. */
export function largeHtmlWarning(objects: number): string | null {
    if (objects <= LARGE_HTML_OBJECTS) return null;
    return `the page holds all ${objects.toLocaleString('en-US')} objects of this run; a browser will be slow to open it (--format json or text suit runs this large)`;
}

/** The options every simulation of a command gets. */
export function simulateOptions(o: Opts, file: string, share: number): SimulateOptions {
    return { python: o.python, maxSteps: o.maxSteps, timeLimitMs: o.timeLimitMs, fileName: file, memory: memoryBudget(share) };
}

/** Runs a command body: CliError → `exitscope: message`, exit 2; a closed stdout → quiet exit. */
export function guard(io: CliIo, run: () => number): number {
    try {
        return run();
    } catch (e) {
        if (e instanceof CliError) {
            io.err(`exitscope: ${e.message}\n`);
            return 2;
        }
        if (e instanceof ClosedOutput) return 0;
        throw e;
    }
}

function parse(argv: string[], command: 'report' | 'check'): Opts {
    const o = parseOptions([command, ...argv]);
    if (!o.files.length) throw new CliError(`${command} needs a FILE`);
    if (command === 'report' && o.files.length !== 1) throw new CliError('report takes exactly one FILE');
    return o;
}

export function runReport(argv: string[], io: CliIo = fdIo): number {
    return guard(io, () => {
        const o = parse(argv, 'report');
        const file = o.files[0];
        const read = readScenario(file, o.python);
        if ('error' in read) {
            io.err(engineErrorLines(file, [read.error]));
            return 2;
        }
        const source = read.text;
        // EXITSCOPE_TIMING=1: where the time goes, on stderr (`npm run bench` shows it).
        const timing = process.env.EXITSCOPE_TIMING === '1';
        let t0 = performance.now();
        const lap = (what: string): void => {
            if (!timing) return;
            const t = performance.now();
            io.err(`exitscope: ${what} ${(t - t0).toFixed(0)} ms\n`);
            t0 = t;
        };
        const result = simulate(source, { ...simulateOptions(o, file, SIMULATION_SHARE.report), recordEdges: true, embedded: o.embedded });
        lap('simulate');
        // Text and SARIF show no heap graph: do not build one (it is most of a large run's report).
        const graph = o.format !== 'text' && o.format !== 'sarif';
        const report = buildReport(source, result, { file, compareWith: o.compare, maxSteps: o.maxSteps, graph });
        lap('report');
        const color = o.color ?? (o.out === null && o.format === 'text' && fdIsTerminal(io) && !process.env.NO_COLOR);
        const target = openOutput(o.out, io);
        try {
            if (o.format === 'json') {
                // Written in pieces: a large run's JSON does not fit in one string.
                for (const chunk of jsonChunks(report)) target.write(chunk);
            } else if (o.format === 'html' && interactiveAssets()) {
                // The same interactive heap graph as the editor panel, in one self-contained file;
                // with --compare, the first other version beside it, as the editor's compare command shows.
                const warning = largeHtmlWarning(report.objects.length);
                if (warning) io.err(`exitscope: warning: ${warning}\n`);
                const other = o.compare.find((v) => v !== report.profile);
                const beside = other === undefined ? null : besideReport(source, file, o, other, report.profile, io);
                if (beside) lap(`simulate and report on ${other}`);
                const chunks = beside ? standaloneCompareHtmlChunks(report, beside, interactiveAssets()!, { fileName: report.file }) : standaloneHtmlChunks(report, interactiveAssets()!, { fileName: report.file });
                for (const chunk of chunks) target.write(chunk);
            } else {
                target.write(formatReport(report, o.format, { color }));
            }
        } finally {
            target.close();
        }
        lap(`format ${o.format}`);
        io.err(engineErrorLines(file, result.errors));
        return result.errors.length ? 2 : 0;
    });
}

/** The report on `version` for the side-by-side page, or null (said on stderr) when the scenario
 *  cannot be simulated there: the page then shows the main profile alone. */
function besideReport(source: string, file: string, o: Opts, version: string, mainProfile: string, io: CliIo): Report | null {
    const r = simulate(source, { ...simulateOptions({ ...o, python: version }, file, SIMULATION_SHARE.report), recordEdges: true, embedded: o.embedded });
    if (r.errors.length) {
        io.err(`exitscope: warning: the page shows Python ${mainProfile} alone: on Python ${version} the scenario cannot be simulated:\n${engineErrorLines(file, r.errors)}`);
        return null;
    }
    return buildReport(source, r, { file, compareWith: [mainProfile], maxSteps: o.maxSteps, graph: true });
}

/** Colour by default only on a terminal (and never when a test captures the output). */
function fdIsTerminal(io: CliIo): boolean {
    return io === fdIo && !!process.stdout.isTTY;
}

const SEVERITY_RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };
const FAIL_ON_RANK: Record<FailOn, number> = { info: 1, warning: 2, error: 3 };

/** `2 warnings, 1 note` */
function findingCounts(findings: readonly Finding[]): string {
    const n: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
    for (const f of findings) n[f.severity]++;
    return (['error', 'warning', 'note'] as const).filter((k) => n[k]).map((k) => `${n[k]} ${k}${n[k] === 1 ? '' : 's'}`).join(', ');
}

export function runCheck(argv: string[], io: CliIo = fdIo): number {
    return guard(io, () => {
        const o = parse(argv, 'check');
        let status = 0;
        for (const file of o.files) {
            const read = readScenario(file, o.python);
            if ('error' in read) {
                io.err(engineErrorLines(file, [read.error]));
                status = 2;
                continue;
            }
            const source = read.text;
            const result = simulate(source, { ...simulateOptions(o, file, SIMULATION_SHARE.report), recordEdges: true });
            if (result.errors.length) {
                io.err(engineErrorLines(file, result.errors));
                status = 2;
                continue;
            }
            const r = buildReport(source, result, { file, graph: false, maxChains: 50 });
            const s = r.summary;
            const failed = r.expectations.filter((e) => e.status !== 'ok');
            // The gate is the findings at or above --fail-on, at the severities the editor shows
            // (error: failed expectations; warning: survives exit, outlives the program, a
            // finalizer that fails or never runs, written bytes that never reach their file
            // (file-unflushed); note/Information: late lifetimes).
            // Issue 8: what never fails a scenario — objects that survive exit on a tracing-GC
            // runtime (nothing is freed at exit there, by design) and native blocks the scenario
            // declares freed=never. A finding gates unless every object it names is one of those.
            const exempt = new Set((r.native?.blocks ?? []).filter((b) => b.freed === 'never').map((b) => b.id));
            if (PROFILES[o.python]?.tracingGc != null) for (const x of r.objects) if (x.survivesExit) exempt.add(x.id);
            const gates = (f: Finding): boolean => SEVERITY_RANK[f.severity] >= FAIL_ON_RANK[o.failOn] && !(f.objects.length > 0 && f.objects.every((id) => exempt.has(id)));
            const failing = r.findings.filter(gates);
            const bad = failing.length > 0;
            const parts = [`${s.created} objects`, `${s.surviving} survive exit`];
            if (r.findings.length) parts.push(findingCounts(r.findings));
            if (r.expectations.length) parts.push(`${failed.length ? `${failed.length} of ${r.expectations.length} expectations fail` : `${r.expectations.length} expectations ok`}`);
            if (r.files?.lostBytes) parts.push(`${r.files.lostBytes} bytes never reach their files`);
            let detail = '';
            if (bad) {
                const first = [...failing].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.line - b.line)[0];
                detail = ` — line ${first.line}: ${first.severity}: ${first.message}`;
            }
            io.out(`${file}: ${bad ? 'FAIL' : 'ok'} (Python ${r.profile}: ${parts.join(', ')})${detail}\n`);
            if (bad && status === 0) status = 1;
        }
        return status;
    });
}
