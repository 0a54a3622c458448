/*
 * crash-injection.fuzz.test.ts
 *
 * Issue 20 item 5: the red-team's families as properties. Generated scenarios put hostile text
 * (control characters, backticks, `<`, `]`, `$`, newlines, Markdown and HTML, lone surrogates) into
 * every place a program names something that reaches a report (dict keys, attribute names, function
 * and class names, printed and raised strings, annotations, the file name), next to huge
 * allocations and deep nesting in the parser and at run time. Every result must end with exit 0, 1
 * or 2 and positioned errors (never an internal one), and every output format must carry the text
 * as data: no raw control character in text, terminal, DOT, SARIF, HTML, SVG, diagnostics or tree
 * items, well-formed XML, parseable JSON, no element in hover Markdown but our own command links.
 * The command line is driven with invalid encodings and BOMs, very long lines, pipes closed early
 * and output paths it cannot write: no Node stack trace, no abort.
 *
 * CI runs a fixed seed and a modest count. A longer run:
 *   EXITSCOPE_FUZZ_LONG=1 [EXITSCOPE_FUZZ_SEED=n] npx vitest run --config test/vitest.config.ts test/unit/crash-injection.fuzz.test.ts
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { formatReport } from '../../src/report/formats/index';
import { hoverMarkdown, HOVER_COMMANDS } from '../../src/extension/views/hoverModel';
import { mdCommandLink } from '../../src/escape/markdown';
import { reportToDiagnostics } from '../../src/extension/views/diagnosticsModel';
import { fateGroups } from '../../src/extension/views/objectsModel';
import { toSvg } from '../../webview/graph/svgExport';

const LONG = process.env.EXITSCOPE_FUZZ_LONG === '1';
const SEED = Number(process.env.EXITSCOPE_FUZZ_SEED ?? 20_201_207);
const RUNS = LONG ? 500 : 16;
const CLI_RUNS = LONG ? 80 : 6;
const PROFILES = ['2.7', '3.8', '3.10', '3.12', '3.13'] as const;

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const built = fs.existsSync(CLI) && fs.existsSync(path.join(ROOT, 'dist', 'cli-worker.js'));
const DOT = ['/usr/bin/dot', '/usr/local/bin/dot'].find((p) => fs.existsSync(p)) ?? null;

// ---------------------------------------------------------------- hostile text

/** A marker element: it must never appear raw in HTML, SVG or rendered Markdown. */
const MARK = '<zq9 a=1>';
const PIECES = [
    'a', 'b', ' ', '`', '``', '```', '<', '>', ']', '[', '(', ')', '$', '${x}', '$(id)', '\n', '\r', '\r\n', '\t',
    '\x00', '\x07', '\x08', '\x0b', '\x0c', '\x1b[2J', '\x1b]0;t\x07', '\x7f', '\x85', '\x9b', '\u2028', '\u2029',
    '\u202e', '\u2066', '\ufeff', '"', "'", '\\', '&', '&amp;', '&#60;', '<!--', '-->', '</script>', '</style>',
    '<img src=x onerror=alert(1)>', '![i](https://evil.example/i.png)', '[l](command:workbench.action.terminal.new)',
    '<https://evil.example>', '*', '_', '#', '|', '{', '}', '%', '%2F', 'é', '中', '\ud800', '\udfff', '\u{1f600}',
    MARK,
];
const hostile = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));

/** A Python literal for any JavaScript string (escapes keep the source ASCII). */
function pyStr(s: string): string {
    let out = "'";
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const ch = s[i];
        if (ch === "'" || ch === '\\') out += '\\' + ch;
        else if (c >= 0x20 && c < 0x7f) out += ch;
        else if (c < 0x100) out += '\\x' + c.toString(16).padStart(2, '0');
        else out += '\\u' + c.toString(16).padStart(4, '0');
    }
    return out + "'";
}

/** A literal holding the text raw where Python allows it (only quotes, backslashes and line ends escaped). */
function pyRawStr(s: string): string {
    return "'" + s.replace(/[\\']/g, (m) => '\\' + m).replace(/\r/g, '\\r').replace(/\n/g, '\\n') + "'";
}

/** One statement group naming something with hostile text, or a huge or deep construct. */
const statement = (i: number) =>
    fc.oneof(
        hostile.map((p) => `sys.keep${i} = {${pyStr(p)}: Obj()}`),
        hostile.map((p) => `sys.raw${i} = {${pyRawStr(p)}: [Obj()]}`),
        hostile.map((p) => `o${i} = Obj()\nsetattr(o${i}, ${pyStr(p)}, Obj())\nsys.o${i} = o${i}`),
        hostile.map((p) => `def f${i}():\n    pass\nf${i}.__name__ = ${pyStr(p.replace(/\x00/g, ''))}\nsys.f${i} = f${i}`),
        hostile.map((p) => `C${i} = type(${pyStr(p.replace(/[\x00\ud800-\udfff]/g, '') || 'C')}, (Obj,), {})\nsys.c${i} = C${i}()`),
        hostile.map((p) => `print(${pyStr(p.replace(/[\ud800-\udfff]/g, ''))})`),
        hostile.map((p) => `try:\n    raise ValueError(${pyStr(p)})\nexcept ValueError as e${i}:\n    sys.e${i} = e${i}`),
        hostile.map((p) => `# exitscope: c-alloc 4096 ${JSON.stringify(p.replace(/[\r\n\u2028\u2029\x85\x0b\x0c\x1c-\x1e]/g, ''))} freed=never\nsys.n${i} = Obj()`),
        hostile.map((p) => `x${i} = Obj()  # expect: ${p.replace(/[\r\n]/g, '')}`),
        hostile.map((p) => `atexit.register(print, ${pyStr(p.replace(/[\ud800-\udfff]/g, ''))})`),
        hostile.map((p) => `w${i} = weakref.finalize(Obj(), print, ${pyStr(p.replace(/[\ud800-\udfff]/g, ''))})`),
        // Huge allocations: over the engine's limits, over CPython's address space, or fine.
        fc.constantFrom('3', '10**3', '2**26 + 1', '10**9', '2**31', '10**12', '2**61', '2**63', '10**30', '-5').map((n) => `try:\n    big${i} = [None] * (${n})\nexcept (MemoryError, OverflowError):\n    pass`),
        fc.constantFrom('3', '10**6', '2**28', '10**12').map((n) => `s${i} = 'ab' * (${n})`),
        fc.constantFrom('list(range(10**10))', '10 ** 10 ** 10', '1 << 10**10', 'pow(2, 10**18, 1000)', '(10**100000) % 7', '"%*d" % (5, 1)', "'{:>{}}'.format(1, 10**10)").map((e) => `r${i} = ${e}`),
        // Deep nesting: parser (brackets, indentation) and run time (nested lists, recursion).
        fc.integer({ min: 1, max: 400 }).map((d) => `p${i} = ${'('.repeat(d)}1${')'.repeat(d)}`),
        fc.integer({ min: 1, max: 300 }).map((d) => `q${i} = ${'['.repeat(d)}${']'.repeat(d)}`),
        fc.integer({ min: 1, max: 120 }).map((d) => Array.from({ length: d }, (_, k) => `${' '.repeat(k)}if True:`).join('\n') + `\n${' '.repeat(d)}pass`),
        fc.integer({ min: 1, max: 20_000 }).map((n) => `nest${i} = None\nfor k in range(${n}):\n    nest${i} = [nest${i}]\ndel nest${i}`),
        fc.integer({ min: 10, max: 3000 }).map((n) => `def rec${i}(n):\n    return n if n == 0 else rec${i}(n - 1)\ntry:\n    rec${i}(${n})\nexcept RecursionError:\n    print('deep')`),
        fc.integer({ min: 1_000, max: 5_000 }).map((n) => `long${i} = ${pyStr('x'.repeat(n))} * 40`),
    );

const scenario = fc
    .tuple(fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => statement(i)))), fc.constantFrom(...PROFILES), hostile, fc.boolean())
    .map(([stmts, python, name, uncaught]) => ({
        python,
        fileName: name.replace(/[\x00/\\\ud800-\udfff]/g, '_').slice(0, 40) + '.pyscn',
        source:
            'from __future__ import print_function\nimport sys, atexit, weakref\n\nclass Obj(object):\n    pass\n\n' +
            stmts.join('\n') +
            (uncaught ? `\nraise KeyError(${pyStr(name.replace(/[\ud800-\udfff]/g, ''))})\n` : '\n'),
    }));

// ---------------------------------------------------------------- what "escaped" means per format

/** Control characters a format must never carry raw (tab and newline are the formats' own). */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Our own colours in terminal text. */
const SGR = /\x1b\[[0-9;]*m/g;

/** A small well-formedness check: tags nest, text and attribute values hold only entities. */
function xmlProblem(xml: string): string | null {
    if (RAW_CONTROL.test(xml.replace(/\r/g, ''))) return 'a raw control character';
    const TEXT = /^(?:[^&<]|&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)*$/;
    const TAG = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"(?:[^"<&]|&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)*"|'(?:[^'<&]|&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)*'))*)\s*(\/?)>/;
    const stack: string[] = [];
    let i = 0;
    while (i < xml.length) {
        const lt = xml.indexOf('<', i);
        const text = xml.slice(i, lt < 0 ? xml.length : lt);
        if (!TEXT.test(text)) return `unescaped text ${JSON.stringify(text.slice(0, 60))}`;
        if (lt < 0) break;
        const rest = xml.slice(lt, lt + 100_000);
        if (rest.startsWith('<?')) i = xml.indexOf('?>', lt) + 2;
        else if (rest.startsWith('<!--')) i = xml.indexOf('-->', lt) + 3;
        else if (rest.startsWith('<!DOCTYPE')) i = xml.indexOf('>', lt) + 1;
        else {
            const m = TAG.exec(rest);
            if (!m) return `a malformed tag at ${JSON.stringify(rest.slice(0, 60))}`;
            if (m[1]) {
                if (stack.pop() !== m[2]) return `</${m[2]}> closes nothing open`;
            } else if (!m[4]) stack.push(m[2]);
            i = lt + m[0].length;
        }
        if (i <= lt) return 'an unterminated declaration';
    }
    return stack.length ? `<${stack[stack.length - 1]}> never closed` : null;
}

const markdown = new MarkdownIt({ html: true, linkify: true });

/** Elements a Markdown renderer (with HTML allowed, stricter than the editor) makes that are not ours. */
function foreignElements(md: string, uri: string): string[] {
    const html = markdown.render(md);
    const bad: string[] = [];
    for (const m of html.matchAll(/<(img|a|script|iframe|svg|style|zq9|object|embed|form|input)\b[^>]*>/g)) {
        const el = m[0];
        const href = m[1] === 'a' ? (/href="([^"]*)"/.exec(el)?.[1] ?? '') : null;
        if (href !== null && href.startsWith('https://docs.python.org/')) continue;
        if (href !== null && HOVER_COMMANDS.some((c) => href.startsWith(`command:${c}?`))) {
            let args: unknown = null;
            try {
                args = JSON.parse(decodeURIComponent(href.slice(href.indexOf('?') + 1).replace(/&amp;/g, '&')));
            } catch {
                // A destination cut short by a character of the file name: the link is broken.
            }
            if (Array.isArray(args) && args.every((a: { uri?: string }) => a.uri === undefined || a.uri === uri)) continue;
        }
        bad.push(el);
    }
    return bad;
}

function checkFormats(source: string, python: string, fileName: string): void {
    const result = simulate(source, { python, fileName, maxSteps: 20_000 });
    const where = `${fileName} on ${python}:\n${source.slice(0, 2000)}`;
    expect([0, 1, 2], where).toContain(result.exitCode);
    const lines = source.split(/\r\n|\r|\n/).length;
    for (const e of result.errors) {
        expect(e.kind, `${e.message} — ${where}`).not.toBe('internal');
        expect(e.line, where).toBeGreaterThanOrEqual(1);
        expect(e.line, where).toBeLessThanOrEqual(lines + 1);
        expect(e.col, where).toBeGreaterThanOrEqual(1);
        expect(e.message, where).not.toMatch(RAW_CONTROL);
    }
    if (result.errors.length) expect(result.exitCode, where).toBe(2);

    const report = buildReport(source, result, { file: fileName, graph: true });
    for (const color of [false, true]) {
        const text = formatReport(report, 'text', { color }).replace(SGR, '');
        expect(text, `text report — ${where}`).not.toMatch(RAW_CONTROL);
    }
    expect(() => JSON.parse(formatReport(report, 'json')), where).not.toThrow();
    const sarifText = formatReport(report, 'sarif');
    const sarif = JSON.parse(sarifText);
    expect(sarifText, `sarif — ${where}`).not.toMatch(/\\u00[01][0-9a-f]|\\u007f/);
    for (const a of sarif.runs[0].artifacts ?? []) expect(a.location.uri, where).toMatch(/^[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/);
    const dot = formatReport(report, 'dot');
    expect(dot, `dot — ${where}`).not.toMatch(RAW_CONTROL);
    for (const m of dot.matchAll(/label="((?:[^"\\]|\\.)*)"/g)) expect(m[1]).not.toMatch(/[\r\n]/);
    const html = formatReport(report, 'html');
    expect(html, `html — ${where}`).not.toMatch(RAW_CONTROL);
    expect(html, `html — ${where}`).not.toContain('<zq9');
    expect(html.split('</script>').length, `html — ${where}`).toBe(html.split('<script').length);
    const nodes = report.graph?.nodes ?? [];
    const svg = toSvg(
        nodes.slice(0, 200).map((n, k) => ({ x: k * 10, y: 10, w: 80, h: 30, shape: 'ellipse', fill: '#fff', fillOpacity: 1, stroke: '#000', strokeWidth: 1, strokeStyle: 'solid', opacity: 1, label: n.label, color: '#000', compound: false })),
        (report.graph?.labels ?? []).slice(0, 200).map((label) => ({ x1: 0, y1: 0, x2: 5, y2: 5, color: '#000', width: 1, style: 'solid', label, opacity: 1, arrow: true })),
        '#fff',
        '#000',
    );
    expect(xmlProblem(svg), `svg — ${where}`).toBeNull();
    const uri = `file:///w/${encodeURIComponent(fileName)}`;
    for (let line = 1; line <= lines; line++) {
        const md = hoverMarkdown(report, line, uri);
        if (!md) continue;
        expect(md, `hover ${line} — ${where}`).not.toMatch(RAW_CONTROL);
        expect(foreignElements(md, uri), `hover ${line} — ${where}`).toEqual([]);
    }
    for (const d of reportToDiagnostics(report, source.split(/\r\n|\r|\n/))) {
        expect(d.message, where).not.toMatch(RAW_CONTROL);
        for (const r of d.related) expect(r.message, where).not.toMatch(RAW_CONTROL);
    }
    for (const n of fateGroups(report).flatMap((g) => g.objects)) expect(`${n.label} ${n.description} ${n.tooltip}`, where).not.toMatch(RAW_CONTROL);
    if (DOT !== null && dot.length < 200_000) checkDot(dot, where);
}

/** Graphviz reads the DOT and writes well-formed SVG from it. */
function checkDot(dot: string, where: string): void {
    const r = spawnSync(DOT!, ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, `dot -Tsvg: ${r.stderr} — ${where}`).toBe(0);
    const svg = r.stdout.replace(/<!DOCTYPE[^>]*>/, '');
    expect(xmlProblem(svg), `graphviz svg — ${where}`).toBeNull();
}

describe('crash and injection fuzzing (issue 20 item 5)', () => {
    it('the checks catch what they are for', () => {
        expect(xmlProblem('<svg><text>a &amp; b</text></svg>')).toBeNull();
        expect(xmlProblem('<svg><text>a < b</text></svg>')).toMatch(/malformed|unescaped/);
        expect(xmlProblem('<svg><text>a\x1bb</text></svg>')).toMatch(/control/);
        expect(xmlProblem('<svg><text a="x"y">t</text></svg>')).not.toBeNull();
        expect(foreignElements('![x](https://evil.example/i.png) <img src=x>', 'file:///w/a')).toHaveLength(2);
        expect(foreignElements('[x](command:exitscope.showHeapGraph?%5B%7B%22uri%22%3A%22file%3A%2F%2F%2Fetc%2Fpasswd%22%7D%5D)', 'file:///w/a')).toHaveLength(1);
        expect(pyStr("a'\\\x00\u2028")).toBe("'a\\'\\\\\\x00\\u2028'");
        // A file name with `)` once ended the hover's command link early (found by this fuzzer).
        const link = mdCommandLink('Show', 'exitscope.showHeapGraph', [{ uri: 'file:///w/a)b(c!.pyscn' }], HOVER_COMMANDS);
        expect(foreignElements(link, 'file:///w/a)b(c!.pyscn')).toEqual([]);
        expect(link.slice(link.indexOf('](') + 2, -1)).not.toMatch(/[()]/);
    });

    it('generated scenarios: exit 0/1/2, positioned errors, every format escaped', () => {
        fc.assert(
            fc.property(scenario, ({ source, python, fileName }) => checkFormats(source, python, fileName)),
            { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
    }, LONG ? 3_600_000 : 300_000);
});

// ---------------------------------------------------------------- the command line

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-fuzz-'));

/** Bytes for a scenario file: encodings and BOMs, long lines, nesting, or a generated scenario. */
const fileBytes = fc.oneof(
    scenario.map((s) => Buffer.from(s.source, 'utf8')),
    fc.tuple(fc.constantFrom('\xef\xbb\xbf', '\xff\xfe', '\xfe\xff', '\xff\xfe\x00\x00', '\xef\xbb', '\xff', '\xc3\x28', '\xed\xa0\x80', '\xf4\x90\x80\x80', '\x00'), fc.nat({ max: 30 })).map(([bytes, at]) => {
        const src = Buffer.from('print("a")\nx = [1]\nprint(len(x))\n', 'latin1');
        const i = Math.min(at, src.length);
        return Buffer.concat([src.subarray(0, i), Buffer.from(bytes, 'latin1'), src.subarray(i)]);
    }),
    fc.constantFrom('latin-1', 'bogus', 'utf-16', 'cp1252', 'utf-8-sig', '', 'ascii').map((enc) => Buffer.from(`# -*- coding: ${enc} -*-\nprint("\xe9")\n`, 'latin1')),
    fc.integer({ min: 10_000, max: 2_000_000 }).map((n) => Buffer.from(`x = "${'a'.repeat(n)}"\nprint(len(x))\n`)),
    fc.integer({ min: 100, max: 50_000 }).map((n) => Buffer.from(`x = 1${' + 1'.repeat(n)}\nprint(x)\n`)),
    fc.integer({ min: 50, max: 5_000 }).map((d) => Buffer.from(`x = ${'('.repeat(d)}1${')'.repeat(d)}\n`)),
);
const output = fc.constantFrom('stdout', 'pipe-closed', 'missing-dir', 'a-directory', 'dev-full');
const command = fc.constantFrom(['run'], ['report'], ['report', '--format', 'json'], ['report', '--format', 'sarif'], ['report', '--format', 'dot'], ['report', '--format', 'html'], ['check']);

/** No crash: one of our exit statuses, no signal, no JavaScript stack trace, our own errors escaped. */
function expectCleanCli(status: number | null, signal: string | null, stderr: string, where: string): void {
    expect(signal, where).toBeNull();
    expect([0, 1, 2], `${where}\n${stderr.slice(0, 2000)}`).toContain(status);
    expect(stderr, where).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|Error: EPIPE|Unhandled 'error'|FATAL ERROR|node:internal|RangeError|TypeError: Cannot/);
    for (const line of stderr.split('\n')) if (/^(exitscope: |[^\n]*:\d+:\d+: error: )/.test(line)) expect(line, where).not.toMatch(RAW_CONTROL);
}

describe.skipIf(!built)('crash fuzzing of the command line (issue 20 item 5)', () => {
    it('odd bytes, long lines, deep nesting, closed pipes and unwritable outputs end cleanly', () => {
        const cases = fc.sample(fc.tuple(fileBytes, command, output), { seed: SEED, numRuns: CLI_RUNS });
        cases.forEach(([bytes, cmd, out], k) => {
            const file = path.join(dir, `case${k}.pyscn`);
            fs.writeFileSync(file, bytes);
            const args = [CLI, ...cmd, file, '--max-seconds', '20'];
            const where = `case ${k}: ${cmd.join(' ')} → ${out}, ${bytes.length} bytes: ${JSON.stringify(bytes.subarray(0, 120).toString('latin1'))}`;
            if (out === 'pipe-closed') {
                const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
                const r = spawnSync('/bin/sh', ['-c', `'${process.execPath}' ${quoted} | head -c 1 > /dev/null`], { encoding: 'utf8', timeout: 120_000 });
                expect(r.status, where).toBe(0);
                expectCleanCli(0, r.signal, r.stderr, where);
                return;
            }
            if (out !== 'stdout' && cmd[0] === 'report') {
                const target = out === 'missing-dir' ? path.join(dir, 'no', 'such', 'dir', 'r.out') : out === 'a-directory' ? dir : '/dev/full';
                args.push('-o', target);
            }
            const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
            expectCleanCli(r.status, r.signal, r.stderr, where);
            if (args.includes('-o') && r.status !== 2) expect(r.stderr, where).toBe('');
            if (args.includes('-o') && /cannot write/.test(r.stderr)) expect(r.status, where).toBe(2);
        });
    }, LONG ? 3_600_000 : 300_000);
});
