/*
 * standaloneHtml.ts
 *
 * One self-contained HTML file with the interactive heap graph: the webview bundle
 * (dist/webview.js), its stylesheet (media/webview.css) and the report JSON, inlined. Used by the
 * CLI (`--format html` can call buildStandaloneHtml), the browser tests and the benchmark. The
 * page has its own strict CSP (inline script and style allowed by nonce only; nothing remote).
 * No `vscode` import.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Report } from '../../report/types';
import type { StandaloneComparison } from '../../protocol';
import { compareReports } from '../../report/compareReports';
import { heapPageHtml } from './html';
import { htmlText, jsonTextForScript } from '../../escape/html';
import { jsonChunks } from '../../report/formats/json';
import { packJson } from '../../report/columnarJson';

/**
 * Reports of at most this many objects are embedded packed (src/report/columnarJson.ts: a seventh of
 * the JSON's size at 2,000 objects, which the browser must read before it paints anything); a
 * larger one is streamed as plain JSON, as packing holds the whole of it in memory at once.
 */
export const PACK_OBJECTS_LIMIT = 50_000;

export interface StandaloneAssets {
    /** dist/webview.js */
    script: string;
    /** media/webview.css */
    css: string;
}

export interface StandaloneOptions {
    title?: string;
    /** Colour scheme of the page (default: light). */
    theme?: 'light' | 'dark' | 'high-contrast';
    /** File name shown in the panel (default: report.file). */
    fileName?: string;
}

/** Reads the bundle and stylesheet from the extension (or package) root. */
export function readStandaloneAssets(root: string): StandaloneAssets {
    return {
        script: fs.readFileSync(path.join(root, 'dist', 'webview.js'), 'utf8'),
        css: fs.readFileSync(path.join(root, 'media', 'webview.css'), 'utf8'),
    };
}

/** Script text safe inside a <script> element. */
function scriptText(s: string): string {
    return s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function buildStandaloneHtml(report: Report, assets: StandaloneAssets, options: StandaloneOptions = {}): string {
    return [...standaloneHtmlChunks(report, assets, options)].join('');
}

/**
 * The page in pieces, the report's JSON streamed in the middle: a run of several hundred thousand
 * objects makes a page longer than V8's longest string, which a writer can still write piece by piece.
 */
export function* standaloneHtmlChunks(report: Report, assets: StandaloneAssets, options: StandaloneOptions = {}): Generator<string> {
    const file = options.fileName ?? report.file;
    yield* pageChunks(assets, options, `ExitScope heap graph: ${file}`, [{ id: 'exitscope-report', file, report }]);
}

/**
 * `exitscope report --format html --compare V`: the scenario on two profiles side by side, as the
 * editor's ExitScope: Compare Heap Graphs on Two Python Versions shows it. Both reports and their
 * comparison (src/report/compareReports.ts, computed here once) are embedded; the page's script
 * (webview/comparePage.ts) mounts one heap graph per report and keeps them in step.
 */
export function* standaloneCompareHtmlChunks(a: Report, b: Report, assets: StandaloneAssets, options: StandaloneOptions = {}): Generator<string> {
    const file = options.fileName ?? a.file;
    const c = compareReports(a, b);
    const comparison: StandaloneComparison = { profiles: [a.profile, b.profile], pairs: [...c.aToB], aDiffers: c.aDiffers, bDiffers: c.bDiffers };
    const pane = (key: 'a' | 'b', r: Report): string =>
        `<section class="compare-pane" aria-label="Python ${htmlText(r.profile)}"><h1 class="compare-title">Python ${htmlText(r.profile)}</h1><div class="exitscope-app" data-pane="${key}"></div></section>`;
    yield* pageChunks(assets, options, `ExitScope heap graphs: ${file} on Python ${a.profile} and ${b.profile}`, [
        { id: 'exitscope-report-a', file, report: a },
        { id: 'exitscope-report-b', file, report: b },
    ], `<main class="compare-page">${pane('a', a)}${pane('b', b)}</main>`, JSON.stringify(comparison));
}

function* pageChunks(assets: StandaloneAssets, options: StandaloneOptions, title: string, reports: { id: string; file: string; report: Report }[], app?: string, comparison?: string): Generator<string> {
    const nonce = randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
    const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src data: blob:; script-src 'nonce-${nonce}';`;
    const theme = options.theme ?? 'light';
    const bodyClass = theme === 'dark' ? 'vscode-dark' : theme === 'high-contrast' ? 'vscode-high-contrast vscode-dark' : 'vscode-light';
    // Where each report's JSON goes: a marker no stylesheet, script or escaped file name can contain.
    const marker = (i: number): string => `\u0000exitscope-report-${nonce}-${i}\u0000`;
    const packed = reports.map((r) => r.report.objects.length <= PACK_OBJECTS_LIMIT);
    const data = reports.map((r, i) => `<script type="application/json" id="${r.id}" data-file="${htmlText(r.file)}"${packed[i] ? ' data-encoding="columnar"' : ''}>${marker(i)}</script>\n`).join('');
    const page = heapPageHtml({
        csp,
        title: options.title ?? title,
        head: `<style nonce="${nonce}">
${assets.css.replace(/<\/(style)/gi, '<\\/$1')}
</style>`,
        bodyClass,
        app,
        body: `${data}${comparison === undefined ? '' : `<script type="application/json" id="exitscope-comparison">${jsonTextForScript(comparison)}</script>\n`}<script nonce="${nonce}">
${scriptText(assets.script)}
</script>`,
    });
    let from = 0;
    for (let i = 0; i < reports.length; i++) {
        const at = page.indexOf(marker(i), from);
        yield page.slice(from, at);
        if (packed[i]) yield jsonTextForScript(JSON.stringify(packJson(reports[i].report)));
        else for (const piece of jsonChunks(reports[i].report, false)) yield jsonTextForScript(piece);
        from = at + marker(i).length;
    }
    yield page.slice(from);
}
