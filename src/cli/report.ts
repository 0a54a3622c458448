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
import { simulate, DEFAULT_MAX_STEPS } from '../engine/index';
import { PROFILES, DEFAULT_PROFILE } from '../engine/profiles';
import { buildReport } from '../report/report';
import { FORMATS, formatReport, type FormatName } from '../report/formats/index';
import { jsonChunks } from '../report/formats/json';
import { buildStandaloneHtml, readStandaloneAssets, type StandaloneAssets } from '../extension/panel/standaloneHtml';
import * as path from 'node:path';

let assets: StandaloneAssets | null | undefined;
/** The webview bundle and stylesheet next to the built CLI (dist/cli.js → dist/webview.js, media/webview.css). */
function interactiveAssets(): StandaloneAssets | null {
    if (assets !== undefined) return assets;
    // From the bundle (dist/cli.js) the package root is one level up; from the sources, two.
    const root = [path.join(__dirname, '..'), path.join(__dirname, '..', '..')].find((r) => fs.existsSync(path.join(r, 'dist', 'webview.js')));
    try {
        assets = root ? readStandaloneAssets(root) : null;
    } catch {
        assets = null;
    }
    return assets;
}

class UsageError extends Error {}

/** Past this many objects the interactive HTML page is slow to open (the heap graph view summarises from 20,000). */
export const LARGE_HTML_OBJECTS = 100_000;

/** What `--format html` says on stderr about a page of `objects` objects, or null. */
export function largeHtmlWarning(objects: number): string | null {
    if (objects <= LARGE_HTML_OBJECTS) return null;
    return `the page holds all ${objects.toLocaleString('en-US')} objects of this run; a browser will be slow to open it (--format json or text suit runs this large)`;
}

interface Opts {
    files: string[];
    python: string;
    format: FormatName;
    out: string | null;
    maxSteps: number;
    color: boolean | null;
    compare: string[];
    embedded: number | undefined;
}

function parse(argv: string[], command: string): Opts {
    const o: Opts = { files: [], python: DEFAULT_PROFILE, format: 'text', out: null, maxSteps: DEFAULT_MAX_STEPS, color: null, compare: [], embedded: undefined };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const eq = a.indexOf('=');
        const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
        const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
        const value = (): string => {
            if (inline !== undefined) return inline;
            const v = argv[++i];
            if (v === undefined) throw new UsageError(`${a} needs a value`);
            return v;
        };
        switch (name) {
            case '--python':
                o.python = value();
                break;
            case '--format':
            case '-f': {
                const f = value();
                if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format '${f}' (choose one of ${FORMATS.join(', ')})`);
                o.format = f as FormatName;
                break;
            }
            case '-o':
            case '--output':
                o.out = value();
                break;
            case '--max-steps':
                o.maxSteps = Number(value());
                break;
            case '--color':
                o.color = true;
                break;
            case '--no-color':
                o.color = false;
                break;
            case '--embedded':
                o.embedded = Number(value());
                break;
            case '--compare':
                o.compare = value().split(',').map((s) => s.trim()).filter(Boolean);
                break;
            default:
                if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
                o.files.push(a);
        }
    }
    if (!PROFILES[o.python]) throw new UsageError(`unknown Python version '${o.python}' (choose one of ${Object.keys(PROFILES).join(', ')})`);
    for (const v of o.compare) if (!PROFILES[v]) throw new UsageError(`unknown Python version '${v}' in --compare`);
    if (!Number.isInteger(o.maxSteps) || o.maxSteps <= 0) throw new UsageError('--max-steps takes a positive whole number');
    if (o.embedded !== undefined && (!Number.isInteger(o.embedded) || o.embedded < 1 || o.embedded > 50)) throw new UsageError('--embedded takes a whole number of cycles from 1 to 50');
    if (o.embedded !== undefined && PROFILES[o.python]?.runtime !== 'cpython') throw new UsageError(`--embedded models CPython's Py_InitializeEx/Py_FinalizeEx; not available for ${o.python}`);
    if (!o.files.length) throw new UsageError(`${command} needs a FILE`);
    if (command === 'report' && o.files.length !== 1) throw new UsageError('report takes exactly one FILE');
    return o;
}

function read(file: string): string {
    try {
        return fs.readFileSync(file, 'utf8');
    } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
}

function guard(run: () => number): number {
    try {
        return run();
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`exitscope: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

export function runReport(argv: string[]): number {
    return guard(() => {
        const o = parse(argv, 'report');
        const file = o.files[0];
        const source = read(file);
        // EXITSCOPE_TIMING=1: where the time goes, on stderr (`npm run bench` shows it).
        const timing = process.env.EXITSCOPE_TIMING === '1';
        let t0 = performance.now();
        const lap = (what: string): void => {
            if (!timing) return;
            const t = performance.now();
            process.stderr.write(`exitscope: ${what} ${(t - t0).toFixed(0)} ms\n`);
            t0 = t;
        };
        const result = simulate(source, { python: o.python, maxSteps: o.maxSteps, fileName: file, recordEdges: true, embedded: o.embedded });
        lap('simulate');
        // Text and SARIF show no heap graph: do not build one (it is most of a large run's report).
        const graph = o.format !== 'text' && o.format !== 'sarif';
        const report = buildReport(source, result, { file, compareWith: o.compare, maxSteps: o.maxSteps, graph });
        lap('report');
        const color = o.color ?? (o.out === null && o.format === 'text' && !!process.stdout.isTTY && !process.env.NO_COLOR);
        if (o.format === 'json') {
            // Written in pieces: a large run's JSON does not fit in one string.
            const fd = o.out ? fs.openSync(o.out, 'w') : 1;
            try {
                for (const chunk of jsonChunks(report)) fs.writeSync(fd, chunk);
            } finally {
                if (o.out) fs.closeSync(fd);
            }
        } else if (o.format === 'html' && interactiveAssets()) {
            // The same interactive heap graph as the editor panel, in one self-contained file.
            const warning = largeHtmlWarning(report.objects.length);
            if (warning) process.stderr.write(`exitscope: warning: ${warning}\n`);
            const text = buildStandaloneHtml(report, interactiveAssets()!, { fileName: report.file });
            if (o.out) fs.writeFileSync(o.out, text);
            else process.stdout.write(text);
        } else {
            const text = formatReport(report, o.format, { color });
            if (o.out) fs.writeFileSync(o.out, text);
            else process.stdout.write(text);
        }
        lap(`format ${o.format}`);
        for (const e of result.errors) process.stderr.write(`${file}:${e.line}:${e.col}: error: ${e.message}\n`);
        return result.errors.length ? 2 : 0;
    });
}

export function runCheck(argv: string[]): number {
    return guard(() => {
        const o = parse(argv, 'check');
        let status = 0;
        for (const file of o.files) {
            const source = read(file);
            const result = simulate(source, { python: o.python, maxSteps: o.maxSteps, fileName: file, recordEdges: true });
            if (result.errors.length) {
                for (const e of result.errors) process.stderr.write(`${file}:${e.line}:${e.col}: error: ${e.message}\n`);
                status = 2;
                continue;
            }
            const r = buildReport(source, result, { file, graph: false, maxChains: 50 });
            const s = r.summary;
            const failed = r.expectations.filter((e) => e.status !== 'ok');
            // Issue 8: survivors that do not make a scenario fail — every survivor on a tracing-GC
            // runtime (nothing is freed at exit there, by design) and native blocks declared freed=never.
            const tracing = PROFILES[o.python]?.tracingGc != null;
            const declared = new Set((r.native?.blocks ?? []).filter((b) => b.freed === 'never').map((b) => b.id));
            const unexpected = tracing ? [] : r.objects.filter((x) => x.survivesExit && !declared.has(x.id));
            const bad = unexpected.length > 0 || failed.length > 0;
            const parts = [`${s.created} objects`, `${s.surviving} survive exit`];
            if (r.expectations.length) parts.push(`${failed.length ? `${failed.length} of ${r.expectations.length} expectations fail` : `${r.expectations.length} expectations ok`}`);
            let detail = '';
            if (bad) {
                const first = failed.length ? `line ${failed[0].line}: ${failed[0].message}` : (() => {
                    const sv = unexpected[0];
                    return `line ${sv.allocLine}: ${sv.label} (${sv.survivorReason}${sv.chainInfo?.root ? `, ${sv.chainInfo.path}` : ''})`;
                })();
                detail = ` — ${first}`;
            }
            process.stdout.write(`${file}: ${bad ? 'FAIL' : 'ok'} (Python ${r.profile}: ${parts.join(', ')})${detail}\n`);
            if (bad && status === 0) status = 1;
        }
        return status;
    });
}
