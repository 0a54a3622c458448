// Helpers for suites that run inside the extension host (lsp-sample's helper.ts, in plain JS so
// the suites need no build step). Works the same under code-server and @vscode/test-electron.
'use strict';

const vscode = require('vscode');

/** URI of a file in the workspace folder the host was opened on (test/integration/workspace). */
function getDocUri(relativePath) {
    const folders = vscode.workspace.workspaceFolders;
    if (!folders || folders.length === 0) throw new Error('the host was started without a workspace folder');
    return vscode.Uri.joinPath(folders[0].uri, ...relativePath.split('/'));
}

/** Opens and shows a workspace file; resolves to its editor. */
async function openDoc(relativePath) {
    const document = await vscode.workspace.openTextDocument(getDocUri(relativePath));
    return vscode.window.showTextDocument(document);
}

/** Polls `probe` until it returns a truthy value, or throws after `timeoutMs`. */
async function waitFor(what, probe, timeoutMs = 10000, intervalMs = 50) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise(resolve => setTimeout(resolve, intervalMs));
    }
}

/** Diagnostics of `uri`, once there is at least one. */
function waitForDiagnostics(uri, timeoutMs) {
    return waitFor(`diagnostics on ${uri.path}`, () => {
        const diagnostics = vscode.languages.getDiagnostics(uri);
        return diagnostics.length > 0 ? diagnostics : undefined;
    }, timeoutMs);
}

module.exports = { getDocUri, openDoc, waitFor, waitForDiagnostics };
