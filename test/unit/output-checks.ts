/*
 * output-checks.ts
 *
 * What "escaped" means for each output format, shared by the crash-and-injection fuzzer and the
 * red-team acceptance test: whatever a program names (dict keys, attribute and function names,
 * printed strings, annotations, the file name) reaches text, terminal, JSON, SARIF, DOT, HTML, SVG,
 * hover Markdown, diagnostics and tree items as data, never as markup or control sequences.
 */
import { expect } from 'vitest';
import MarkdownIt from 'markdown-it';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { formatReport } from '../../src/report/formats/index';
import { hoverMarkdown, HOVER_COMMANDS } from '../../src/extension/views/hoverModel';
import { reportToDiagnostics } from '../../src/extension/views/diagnosticsModel';
import { fateGroups } from '../../src/extension/views/objectsModel';
import { toSvg } from '../../webview/graph/svgExport';

const DOT = ['/usr/bin/dot', '/usr/local/bin/dot'].find((p) => fs.existsSync(p)) ?? null;

// ---------------------------------------------------------------- what "escaped" means per format

/** Control characters a format must never carry raw (tab and newline are the formats' own). */
export const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Our own colours in terminal text. */
const SGR = /\x1b\[[0-9;]*m/g;

/** A small well-formedness check: tags nest, text and attribute values hold only entities. */
export function xmlProblem(xml: string): string | null {
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
export function foreignElements(md: string, uri: string): string[] {
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

export function checkFormats(source: string, python: string, fileName: string, maxSteps = 20_000): void {
    const result = simulate(source, { python, fileName, maxSteps });
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
    // A JSON escape of a control character (an odd run of backslashes before `u00xx`), not the text `\u001b`.
    expect(sarifText, `sarif — ${where}`).not.toMatch(/(?:^|[^\\])(?:\\\\)*\\u00[01][0-9a-f]|(?:^|[^\\])(?:\\\\)*\\u007f/);
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

