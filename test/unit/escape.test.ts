/*
 * The escaping modules (src/escape/*) and every output format fed the red-team's names: a name
 * with backticks and a Markdown image/command link (X1), control characters in dict keys (X2),
 * a file name that is not a URI (X6). Whatever the program names must come out as text.
 */
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { visible } from '../../src/escape/visible';
import { mdText, mdCode, commandUri, mdCommandLink } from '../../src/escape/markdown';
import { termText } from '../../src/escape/terminal';
import { dotString } from '../../src/escape/dot';
import { xmlText } from '../../src/escape/xml';
import { htmlText, jsonForScript } from '../../src/escape/html';
import { sarifUri } from '../../src/escape/sarif';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { formatReport } from '../../src/report/formats/index';
import { hoverMarkdown, HOVER_COMMANDS } from '../../src/extension/views/hoverModel';
import { versionsMarkdown } from '../../src/extension/views/versionsModel';
import { reportToDiagnostics } from '../../src/extension/views/diagnosticsModel';
import { fateGroups } from '../../src/extension/views/objectsModel';
import { toSvg } from '../../webview/graph/svgExport';

const markdown = new MarkdownIt();

/** The elements a Markdown renderer makes of `md` that could load or run something. */
function activeElements(md: string): string[] {
    const html = markdown.render(md);
    return [...html.matchAll(/<(img|a|script|iframe|svg)\b[^>]*>/g)].map((m) => m[0]);
}

const X1_NAME = '`` ![t](https://evil.example/t.png) [open](command:exitscope.explainVersions?%5B%7B%22uri%22%3A%22file%3A%2F%2F%2Fetc%2Fpasswd%22%7D%5D) ``';
const X1 = `class Node:
    pass

P = ${JSON.stringify(X1_NAME)}
n = Node()
setattr(n, P, Node())
`;

const X2 = `import sys
class Obj:
    pass
sys.keep = {"\\x1b[2J\\x1b]0;pwned\\x07\\x00": Obj()}
d = {"<script>alert(1)</script>\\u202e": Obj(), 'a"b\\\\c\\n{x}': Obj()}
sys.d = d
`;

function reportOf(src: string, file = 'inj.pyscn') {
    const result = simulate(src, { python: '3.13', fileName: file });
    return buildReport(src, result, { file, graph: true });
}

/** Control characters other than the newlines and tabs a format writes itself. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('visible()', () => {
    it('writes non-printable characters as Python escapes and leaves printable text alone', () => {
        expect(visible('plain text, é ü 中')).toBe('plain text, é ü 中');
        expect(visible('\x1b[2J\x07\x00')).toBe('\\x1b[2J\\x07\\x00');
        expect(visible('a\nb\tc\r')).toBe('a\\nb\\tc\\r');
        expect(visible('\u202eevil\u00a0\u2028')).toBe('\\u202eevil\\xa0\\u2028');
        expect(visible('\ud800x\u{e0001}')).toBe('\\ud800x\\U000e0001');
    });
});

describe('Markdown', () => {
    it('mdText renders as the same text, with nothing active', () => {
        for (const s of [X1_NAME, '<img src=x onerror=alert(1)>', '&lt;b&gt;', '**bold** _it_ # h', 'https://evil.example/x www.evil.com', '$(alert) 1. x', 'a\n\n<script>x</script>']) {
            const md = mdText(s);
            expect(activeElements(md)).toEqual([]);
            const rendered = markdown.renderInline(md);
            // The text reads back as itself (entities decoded), with invisible characters escaped.
            expect(rendered.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')).toBe(visible(s));
        }
    });

    it('mdCode uses a code span only where nothing can close it', () => {
        expect(mdCode('sys.keep')).toBe('`sys.keep`');
        expect(mdCode('a`b')).toBe(mdText('a`b'));
        expect(mdCode('a|b')).toBe(mdText('a|b'));
        expect(activeElements(`**${mdCode(X1_NAME)}**`)).toEqual([]);
    });

    it('command links run only the commands allowed, with the arguments given', () => {
        const uri = commandUri('exitscope.showHeapGraph', [{ uri: 'file:///w/a.pyscn', line: 3 }], HOVER_COMMANDS);
        expect(JSON.parse(decodeURIComponent(uri.slice(uri.indexOf('?') + 1)))).toEqual([{ uri: 'file:///w/a.pyscn', line: 3 }]);
        expect(() => commandUri('workbench.action.terminal.new', [], HOVER_COMMANDS)).toThrow(/not a command/);
        expect(mdCommandLink('[x](y)', 'exitscope.showHeapGraph', [], HOVER_COMMANDS)).toMatch(/^\[\\\[x\\\]\\\(y\\\)\]\(command:exitscope\.showHeapGraph\?/);
    });

    it('X1: a hover on the name with backticks shows no image and no link but our commands', () => {
        const report = reportOf(X1);
        let hovered = 0;
        for (let line = 1; line <= 6; line++) {
            const md = hoverMarkdown(report, line, 'file:///w/x1.pyscn');
            if (!md) continue;
            hovered++;
            for (const el of activeElements(md)) {
                expect(el).not.toMatch(/<img|evil|passwd/);
                const href = /href="([^"]*)"/.exec(el)?.[1] ?? '';
                expect(href.startsWith('command:') ? HOVER_COMMANDS.some((c) => href.startsWith(`command:${c}?`)) : href.startsWith('https://docs.python.org/')).toBe(true);
                if (href.startsWith('command:')) {
                    const args = JSON.parse(decodeURIComponent(href.slice(href.indexOf('?') + 1)));
                    expect(args[0].uri).toBe('file:///w/x1.pyscn');
                }
            }
        }
        expect(hovered).toBeGreaterThan(0);
        // The name is in the report (so the hover had it to show).
        expect(report.objects.some((o) => o.label.includes('evil.example'))).toBe(true);
        const versions = versionsMarkdown({ ...report, versions: [] }, '`` ![x](https://evil.example/f.png) ``.pyscn');
        expect(activeElements(versions)).toEqual([]);
    });
});

describe('every output format, fed control characters and markup in names (X2)', () => {
    const report = reportOf(X2, 'a b#c<d>".pyscn');
    const labels = report.objects.map((o) => o.label).join('\n');

    it('the report holds the raw names (so the formats have something to escape)', () => {
        expect(labels).toContain('\x1b[2J');
        expect(labels).toContain('<script>');
    });

    it('text: no control character reaches the terminal, with or without colour', () => {
        for (const color of [false, true]) {
            const text = formatReport(report, 'text', { color });
            const withoutOurColours = text.replace(/\x1b\[[0-9;]*m/g, '');
            expect(withoutOurColours).not.toMatch(RAW_CONTROL);
            expect(withoutOurColours).toContain('\\x1b[2J\\x1b]0;pwned\\x07\\x00');
        }
        expect(termText('\x1b]0;t\x07')).toBe('\\x1b]0;t\\x07');
    });

    it('dot: quoted IDs with no control characters and nothing unescaped', () => {
        const dot = formatReport(report, 'dot');
        expect(dot).not.toMatch(RAW_CONTROL);
        for (const m of dot.matchAll(/label="((?:[^"\\]|\\.)*)"/g)) expect(m[1]).not.toMatch(/(^|[^\\])"/);
        expect(dotString('a"b\\N\nc\x00')).toBe('"a\\"b\\\\N\\nc\\\\x00"');
    });

    it('sarif: a percent-encoded URI and messages without control characters', () => {
        const sarif = JSON.parse(formatReport(report, 'sarif'));
        const uri = sarif.runs[0].artifacts[0].location.uri as string;
        expect(uri).toBe('a%20b%23c%3Cd%3E%22.pyscn');
        expect(JSON.stringify(sarif)).not.toMatch(/\\u001b|\\u0000|\\u0007/);
        expect(sarifUri('/tmp/x y/a.pyscn')).toBe('file:///tmp/x%20y/a.pyscn');
        expect(sarifUri('C:\\w\\a b.pyscn')).toBe('file:///C:/w/a%20b.pyscn');
    });

    it('html: program data only as text', () => {
        const html = formatReport(report, 'html');
        expect(html).not.toMatch(RAW_CONTROL);
        expect(html).not.toContain('<script>');
        expect(html).toContain('&lt;script&gt;');
        expect(htmlText('<a href="x">\x00')).toBe('&lt;a href=&quot;x&quot;&gt;\\x00');
        expect(jsonForScript({ s: '</script><!--\u2028' })).not.toMatch(/<|\u2028/);
    });

    it('the standalone page is all ASCII: embedded JSON escaped, the stylesheet without other characters', () => {
        const v = { s: 'x\u2019s \u2014 \u26a0 \u{1f600} </script>\u2028\u00e9', n: [1, 'caf\u00e9'] };
        const text = jsonForScript(v);
        expect(text).toMatch(/^[\x00-\x7f]*$/);
        expect(JSON.parse(text)).toEqual(v);
        expect(fs.readFileSync(path.join(__dirname, '../../media/webview.css'), 'utf8')).toMatch(/^[\x00-\x7f]*$/);
    });

    it('svg export: well-formed XML text', () => {
        const svg = toSvg(
            [{ x: 10, y: 10, w: 80, h: 30, shape: 'ellipse', fill: '#fff', fillOpacity: 1, stroke: '#000', strokeWidth: 1, strokeStyle: 'solid', opacity: 1, label: 'k\x00\x1b<b>&"\'', color: '#000', compound: false }],
            [{ x1: 0, y1: 0, x2: 5, y2: 5, color: '#000', width: 1, style: 'solid', label: '[\x1b]', opacity: 1, arrow: true }],
            '#fff',
            '#000',
        );
        expect(svg).not.toMatch(RAW_CONTROL);
        expect(svg).toContain('k\\x00\\x1b&lt;b&gt;&amp;&quot;&#39;');
        expect(xmlText('\x1b<')).toBe('\\x1b&lt;');
    });

    it('editor views: diagnostics and tree items are plain text without control characters', () => {
        const diags = reportToDiagnostics(report, X2.split('\n'));
        expect(diags.length).toBeGreaterThan(0);
        for (const d of diags) {
            expect(d.message).not.toMatch(RAW_CONTROL);
            for (const r of d.related) expect(r.message).not.toMatch(RAW_CONTROL);
        }
        const nodes = fateGroups(report).flatMap((g) => g.objects);
        expect(nodes.length).toBeGreaterThan(0);
        for (const n of nodes) expect(`${n.label} ${n.description} ${n.tooltip}`).not.toMatch(RAW_CONTROL);
    });
});
