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
import { heapPageHtml } from './html';
import { htmlText, jsonTextForScript } from '../../escape/html';
import { jsonChunks } from '../../report/formats/json';

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
    const nonce = randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
    const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src data: blob:; script-src 'nonce-${nonce}';`;
    const theme = options.theme ?? 'light';
    const bodyClass = theme === 'dark' ? 'vscode-dark' : theme === 'high-contrast' ? 'vscode-high-contrast vscode-dark' : 'vscode-light';
    const file = options.fileName ?? report.file;
    // Where the JSON goes: a marker no stylesheet, script or escaped file name can contain.
    const marker = `\u0000exitscope-report-${nonce}\u0000`;
    const page = heapPageHtml({
        csp,
        title: options.title ?? `ExitScope heap graph: ${file}`,
        head: `<style nonce="${nonce}">
${assets.css.replace(/<\/(style)/gi, '<\\/$1')}
</style>`,
        bodyClass,
        body: `<script type="application/json" id="exitscope-report" data-file="${htmlText(file)}">${marker}</script>
<script nonce="${nonce}">
${scriptText(assets.script)}
</script>`,
    });
    const at = page.indexOf(marker);
    yield page.slice(0, at);
    for (const piece of jsonChunks(report, false)) yield jsonTextForScript(piece);
    yield page.slice(at + marker.length);
}
