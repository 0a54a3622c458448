/*
 * readonlyDocuments.ts
 *
 * Read-only virtual documents (scheme `exitscope-view`) for generated text: the versions
 * explanation, the heap graph as DOT when the graph panel is not available.
 */

import * as vscode from 'vscode';

export const VIEW_SCHEME = 'exitscope-view';

export class ReadonlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private readonly _contents = new Map<string, string>();
    private readonly _changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this._changed.event;
    private readonly _registration = vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, this);

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this._contents.get(uri.toString()) ?? '';
    }

    /** Stores `content` under `name` (e.g. `cycle.pyscn — versions.md`) and opens it beside the editor. */
    async show(name: string, content: string, language?: string): Promise<vscode.TextDocument> {
        const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${name}` });
        this._contents.set(uri.toString(), content);
        this._changed.fire(uri);
        let doc = await vscode.workspace.openTextDocument(uri);
        if (language && doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
        return doc;
    }

    dispose(): void {
        this._registration.dispose();
        this._changed.dispose();
    }
}
