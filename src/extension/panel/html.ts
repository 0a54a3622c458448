/*
 * html.ts
 *
 * The heap panel's HTML: a strict CSP (nothing remote, no inline code or style; scripts need the
 * nonce), the bundled dist/webview.js and media/webview.css, and the empty
 * `#__________cytoscape_stylesheet` element that stops cytoscape injecting a <style> of its own
 * (the rule it would add is in webview.css). No `vscode` import: unit-testable.
 */

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

export function escapeHtml(s: string): string {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function webviewHtml(i: WebviewHtmlInput): string {
    const csp = `default-src 'none'; style-src ${i.cspSource}; img-src ${i.cspSource} data:; font-src ${i.cspSource}; script-src 'nonce-${i.nonce}';`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta id="__________cytoscape_stylesheet">
<link rel="stylesheet" href="${escapeHtml(i.styleUri)}">
<title>${escapeHtml(i.title ?? 'ExitScope heap graph')}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${i.nonce}" src="${escapeHtml(i.scriptUri)}"></script>
</body>
</html>`;
}
