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
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOVER_COMMANDS } from '../../src/extension/views/hoverModel';
import { RAW_CONTROL, checkFormats, foreignElements, xmlProblem } from './output-checks';
import { mdCommandLink } from '../../src/escape/markdown';

const LONG = process.env.EXITSCOPE_FUZZ_LONG === '1';
const SEED = Number(process.env.EXITSCOPE_FUZZ_SEED ?? 20_201_207);
const RUNS = LONG ? 500 : 16;
const CLI_RUNS = LONG ? 80 : 6;
const PROFILES = ['2.7', '3.8', '3.10', '3.12', '3.13'] as const;

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const built = fs.existsSync(CLI) && fs.existsSync(path.join(ROOT, 'dist', 'cli-worker.js'));

// ---------------------------------------------------------------- hostile text

/** A marker element: it must never appear raw in HTML, SVG or rendered Markdown. */
const MARK = '<zq9 a=1>'; // (output-checks.ts looks for `<zq9`)
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
