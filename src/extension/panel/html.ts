/*
 * html.ts
 *
 * The heap panel's HTML: a strict CSP (nothing remote, no inline code or style; scripts need the
 * nonce), the bundled dist/webview.js and media/webview.css, and the empty
 * `#__________cytoscape_stylesheet` element that stops cytoscape injecting a <style> of its own
 * (the rule it would add is in webview.css). No `vscode` import: unit-testable.
 */

import { escapeHtml, htmlText } from '../../escape/html';

export interface WebviewHtmlInput {
    /** webview.cspSource */
    cspSource: string;
    /** webview.asWebviewUri(dist/webview.js) */
    scriptUri: string;
    /** webview.asWebviewUri(media/webview.css) */
    styleUri: string;
    nonce: string;
    title?: string;
}

export function getNonce(): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    const bytes = new Uint8Array(32);
    globalThis.crypto.getRandomValues(bytes);
    for (const b of bytes) s += chars[b % chars.length];
    return s;
}


/**
 * The page both the editor panel and the standalone HTML report use: the CSP, the viewport, the
 * empty cytoscape stylesheet marker and `#app` (or `app`: the standalone comparison's two panes).
 * `head`, `app` and `body` are trusted markup (the callers escape what they put in them); `title`
 * is escaped here.
 */
export function heapPageHtml(p: { csp: string; title: string; head: string; bodyClass?: string; body: string; app?: string }): string {
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(p.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta id="__________cytoscape_stylesheet">
<title>${htmlText(p.title)}</title>
${p.head}
</head>
<body${p.bodyClass ? ` class="${p.bodyClass}"` : ''}>
${p.app ?? '<div id="app"></div>'}
${p.body}
</body>
</html>`;
}

export function webviewHtml(i: WebviewHtmlInput): string {
    return heapPageHtml({
        csp: `default-src 'none'; style-src ${i.cspSource}; img-src ${i.cspSource} data:; font-src ${i.cspSource}; script-src 'nonce-${i.nonce}';`,
        title: i.title ?? 'ExitScope heap graph',
        head: `<link rel="stylesheet" href="${escapeHtml(i.styleUri)}">`,
        body: `<script nonce="${i.nonce}" src="${escapeHtml(i.scriptUri)}"></script>`,
    });
}
