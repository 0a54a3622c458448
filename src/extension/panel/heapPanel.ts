/*
 * heapPanel.ts
 *
 * The heap graph panel controller (one panel, CatCodingPanel-style): creates or reveals the
 * webview, feeds it the Report of the scenario it follows, and carries out what the webview asks
 * (reveal a line, save an image or the report). Every message is typed in src/protocol.ts and
 * validated on receipt.
 *
 *   HeapPanel.createOrShow(context, document, getReport, options?)
 *   HeapPanel.registerSerializer(context, getReport)   // restore after a window reload
 *
 * The panel follows the active scenario editor, refreshes (debounced) when the scenario changes,
 * tells the webview where the cursor is and what the colour theme is. The webview keeps its own
 * view state (zoom, selection, step) with getState/setState, so hide/show and reloads keep it.
 */

import * as vscode from 'vscode';
import { parseWebviewMessage, MAX_SAVE_BYTES, type HostToWebview, type ReportFormat, type ThemeKind, type WebviewToHost } from '../../protocol';
import type { Report } from '../../report/types';
import { formatReport } from '../../report/formats/index';
import { Disposable } from './disposable';
import { getNonce, webviewHtml } from './html';

/** What getReport returns: a report, a reason there is none, or nothing (not a scenario). */
export type ReportResult = Report | { error: string } | undefined;

/** Supplies the report of a scenario (the extension's analysis service, usually cached): on the
 *  document's own profile, or on `profile` (the second pane of a comparison). */
export type GetReport = (document: vscode.TextDocument, profile?: string) => Promise<ReportResult> | ReportResult;

/** What the user selected in a pane, and the phase it shows (for a comparing pane to follow). */
export interface PaneSelection {
    objectId: number | null;
    phase: string;
}

export interface HeapPanelOptions {
    /** Select this object (and move the timeline to `at`, or to where it is alive). */
    objectId?: number;
    at?: number;
    /** Default: beside the active editor. */
    viewColumn?: vscode.ViewColumn;
    /** Refresh when this fires for the panel's document (e.g. AnalysisService.onDidUpdate);
     *  without it the panel re-asks getReport 300 ms after each edit. */
    onDidUpdate?: vscode.Event<{ document: vscode.TextDocument }>;
    /** Simulate on this profile instead of the document's (the second pane of a comparison). */
    profile?: string;
}

const REFRESH_DELAY_MS = 300;

export function isScenarioDocument(d: vscode.TextDocument): boolean {
    return d.languageId === 'pyscenario' || d.fileName.endsWith('.pyscn');
}

function themeKind(k: vscode.ColorThemeKind): ThemeKind {
    switch (k) {
        case vscode.ColorThemeKind.Light:
            return 'light';
        case vscode.ColorThemeKind.HighContrast:
            return 'high-contrast';
        case vscode.ColorThemeKind.HighContrastLight:
            return 'high-contrast-light';
        default:
            return 'dark';
    }
}

export class HeapPanel extends Disposable {
    static readonly viewType = 'exitscope.heapGraph';
    /** The second pane of Compare Python Versions: its own view type, so a window reload restores
     *  only the main panel (a comparison is asked for, not restored). */
    static readonly compareViewType = 'exitscope.heapGraphCompare';
    static currentPanel: HeapPanel | undefined;
    static comparePanel: HeapPanel | undefined;

    private readonly _onDidRefresh = this._register(new vscode.EventEmitter<void>());
    /** A report (or its absence) was sent to the webview. */
    readonly onDidRefresh = this._onDidRefresh.event;
    private readonly _onDidSelect = this._register(new vscode.EventEmitter<PaneSelection>());
    /** The user selected an object or moved to a phase (only while comparing). */
    readonly onDidSelect = this._onDidSelect.event;
    private readonly _onDidDispose = this._register(new vscode.EventEmitter<void>());
    readonly onDidDispose = this._onDidDispose.event;
    private readonly _profile: string | undefined;
    private _titleSuffix = '';

    private _document: vscode.TextDocument;
    private _report: Report | null = null;
    private _ready = false;
    private _refreshTimer: ReturnType<typeof setTimeout> | undefined;
    private _pending: HostToWebview[] = [];
    private _generation = 0;
    private _output: vscode.OutputChannel | undefined;

    /** Opens the panel on `document` (or reveals it and switches it to `document`). */
    static createOrShow(context: vscode.ExtensionContext, document: vscode.TextDocument, getReport: GetReport, options: HeapPanelOptions = {}): HeapPanel {
        const column = options.viewColumn ?? vscode.ViewColumn.Beside;
        const existing = HeapPanel.currentPanel;
        if (existing && !existing.isDisposed) {
            existing._panel.reveal(column, true);
            existing._setDocument(document, options);
            return existing;
        }
        const panel = vscode.window.createWebviewPanel(HeapPanel.viewType, HeapPanel._title(document), { viewColumn: column, preserveFocus: true }, HeapPanel.webviewOptions(context.extensionUri));
        HeapPanel.currentPanel = new HeapPanel(panel, context, getReport, document, options);
        return HeapPanel.currentPanel;
    }

    /** Opens (or reveals and retargets) the second pane, simulating `document` on `profile`. */
    static createCompare(context: vscode.ExtensionContext, document: vscode.TextDocument, getReport: GetReport, profile: string, viewColumn: vscode.ViewColumn, options: HeapPanelOptions = {}): HeapPanel {
        HeapPanel.comparePanel?.dispose();
        const panel = vscode.window.createWebviewPanel(HeapPanel.compareViewType, HeapPanel._title(document), { viewColumn, preserveFocus: true }, HeapPanel.webviewOptions(context.extensionUri));
        HeapPanel.comparePanel = new HeapPanel(panel, context, getReport, document, { ...options, profile });
        return HeapPanel.comparePanel;
    }

    /** Restores panels after a window reload (activation event `onWebviewPanel:exitscope.heapGraph`). */
    static registerSerializer(context: vscode.ExtensionContext, getReport: GetReport, options: Omit<HeapPanelOptions, 'objectId' | 'at' | 'viewColumn'> = {}): vscode.Disposable {
        return vscode.window.registerWebviewPanelSerializer(HeapPanel.viewType, {
            async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
                const uri = typeof state === 'object' && state !== null && typeof (state as { uri?: unknown }).uri === 'string' ? (state as { uri: string }).uri : '';
                let document: vscode.TextDocument | undefined;
                try {
                    if (uri) document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
                } catch {
                    document = undefined;
                }
                document ??= vscode.window.activeTextEditor?.document;
                if (!document) {
                    panel.dispose();
                    return;
                }
                HeapPanel.revive(panel, context, getReport, document, options);
            },
        });
    }

    static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, getReport: GetReport, document: vscode.TextDocument, options: HeapPanelOptions = {}): HeapPanel {
        panel.webview.options = HeapPanel.webviewOptions(context.extensionUri);
        HeapPanel.currentPanel?.dispose();
        HeapPanel.currentPanel = new HeapPanel(panel, context, getReport, document, options);
        return HeapPanel.currentPanel;
    }

    static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
        return {
            enableScripts: true,
            localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
            retainContextWhenHidden: false,
            enableFindWidget: false,
        };
    }

    private static _title(d: vscode.TextDocument): string {
        return `Heap: ${d.uri.path.split('/').pop() ?? 'scenario'}`;
    }

    private constructor(
        private readonly _panel: vscode.WebviewPanel,
        private readonly _context: vscode.ExtensionContext,
        private readonly _getReport: GetReport,
        document: vscode.TextDocument,
        options: HeapPanelOptions,
    ) {
        super();
        this._document = document;
        this._profile = options.profile;
        if (options.profile) this.setTitleSuffix(`Python ${options.profile}`);
        const webview = _panel.webview;
        webview.html = webviewHtml({
            cspSource: webview.cspSource,
            scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(_context.extensionUri, 'dist', 'webview.js')).toString(),
            styleUri: webview.asWebviewUri(vscode.Uri.joinPath(_context.extensionUri, 'media', 'webview.css')).toString(),
            nonce: getNonce(),
        });
        this._register(_panel.onDidDispose(() => this.dispose()));
        this._register(webview.onDidReceiveMessage((m: unknown) => void this._onMessage(m)));
        this._register(
            vscode.window.onDidChangeActiveTextEditor((e) => {
                if (e && isScenarioDocument(e.document) && e.document.uri.toString() !== this._document.uri.toString()) this._setDocument(e.document, {});
            }),
        );
        if (options.onDidUpdate) {
            this._register(
                options.onDidUpdate((u) => {
                    if (u.document.uri.toString() === this._document.uri.toString()) this._scheduleRefresh(0);
                }),
            );
        } else {
            this._register(
                vscode.workspace.onDidChangeTextDocument((e) => {
                    if (e.contentChanges.length && e.document.uri.toString() === this._document.uri.toString()) this._scheduleRefresh(REFRESH_DELAY_MS);
                }),
            );
        }
        this._register(
            vscode.window.onDidChangeTextEditorSelection((e) => {
                if (e.textEditor.document.uri.toString() !== this._document.uri.toString()) return;
                this._post({ type: 'cursor', uri: this._document.uri.toString(), line: e.selections[0].active.line + 1 });
            }),
        );
        this._register(vscode.window.onDidChangeActiveColorTheme((t) => this._post({ type: 'theme', kind: themeKind(t.kind) })));
        this._register({ dispose: () => this._refreshTimer && clearTimeout(this._refreshTimer) });
        if (options.objectId !== undefined) this._pending.push({ type: 'selectObject', objectId: options.objectId, at: options.at });
    }

    get document(): vscode.TextDocument {
        return this._document;
    }

    get panel(): vscode.WebviewPanel {
        return this._panel;
    }

    /** The last report sent to the webview, if any. */
    get report(): Report | null {
        return this._report;
    }

    /** `Heap: x.pyscn — Python 2.7` while comparing ('' for none). */
    setTitleSuffix(suffix: string): void {
        this._titleSuffix = suffix;
        this._panel.title = HeapPanel._title(this._document) + (suffix ? ` — ${suffix}` : '');
    }

    /** Marks the objects whose fate differs on the other pane's profile (null: comparison over). */
    compareWith(otherProfile: string | null, differs: { id: number; otherFate: string }[]): void {
        this._post({ type: 'compare', otherProfile, differs });
    }

    /** Shows what the other pane's user selected: its phase, then the matching object. */
    follow(phase: string | null, objectId: number | null): void {
        if (phase) this._post({ type: 'seekPhase', phase });
        if (objectId !== null) this._post({ type: 'selectObject', objectId });
    }

    /** Posts a message now if the webview is ready, else after its `ready`. */
    private _post(msg: HostToWebview): void {
        if (this._ready) void this._panel.webview.postMessage(msg);
        else if (msg.type !== 'cursor' && msg.type !== 'theme') this._pending.push(msg);
    }

    private _setDocument(document: vscode.TextDocument, options: HeapPanelOptions): void {
        const same = document.uri.toString() === this._document.uri.toString();
        this._document = document;
        this.setTitleSuffix(this._titleSuffix);
        void this.refresh(same).then(() => {
            if (options.objectId !== undefined) this._post({ type: 'selectObject', objectId: options.objectId, at: options.at });
        });
    }

    private _scheduleRefresh(delay: number): void {
        if (this._refreshTimer) clearTimeout(this._refreshTimer);
        this._refreshTimer = setTimeout(() => {
            this._refreshTimer = undefined;
            void this.refresh(true);
        }, delay);
    }

    /** Asks for the report again and sends it. `preserveView`: keep zoom, selection and step. */
    async refresh(preserveView = true): Promise<void> {
        const gen = ++this._generation;
        const doc = this._document;
        let result: ReportResult;
        try {
            result = await this._getReport(doc, this._profile);
        } catch (e) {
            result = { error: e instanceof Error ? e.message : String(e) };
        }
        if (gen !== this._generation || this.isDisposed) return; // a newer refresh won
        const isReport = !!result && !('error' in result);
        if (isReport) this._report = result as Report;
        const msg: HostToWebview = {
            type: 'report',
            uri: doc.uri.toString(),
            fileName: doc.uri.path,
            version: doc.version,
            report: isReport ? (result as Report) : null,
            error: isReport ? undefined : result && 'error' in result ? result.error : 'This file is not a scenario.',
            preserveView,
        };
        this._pending = this._pending.filter((m) => m.type !== 'report');
        if (this._ready) void this._panel.webview.postMessage(msg);
        else this._pending.unshift(msg);
        this._onDidRefresh.fire();
    }

    private async _onMessage(raw: unknown): Promise<void> {
        const parsed = parseWebviewMessage(raw);
        if (!parsed.ok) {
            this._log('warn', `ignored a message from the heap graph: ${parsed.error}`);
            return;
        }
        const m: WebviewToHost = parsed.message;
        switch (m.type) {
            case 'ready': {
                this._ready = true;
                void this._panel.webview.postMessage({ type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) } satisfies HostToWebview);
                const pending = this._pending;
                this._pending = [];
                if (!pending.some((p) => p.type === 'report')) await this.refresh(true);
                for (const p of pending) void this._panel.webview.postMessage(p);
                break;
            }
            case 'refresh':
                await this.refresh(true);
                break;
            case 'revealLine':
                await this._reveal(m.line, m.column, m.preserveFocus);
                break;
            case 'saveImage':
                await this._saveImage(m.requestId, m.fileName, m.data, m.encoding, m.format);
                break;
            case 'exportReport':
                await this._exportReport(m.requestId, m.format);
                break;
            case 'log':
                this._log(m.level, m.message);
                break;
            case 'selection':
                this._onDidSelect.fire({ objectId: m.objectId, phase: m.phase });
                break;
        }
    }

    private async _reveal(line: number, column: number, preserveFocus: boolean): Promise<void> {
        if (line < 1) return;
        const pos = new vscode.Position(Math.min(line - 1, Math.max(0, this._document.lineCount - 1)), Math.max(0, column - 1));
        const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this._document.uri.toString());
        const editor = await vscode.window.showTextDocument(this._document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus, selection: new vscode.Range(pos, pos) });
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }

    private _defaultUri(fileName: string): vscode.Uri | undefined {
        const base = fileName.replace(/[\\/:*?"<>|]/g, '_');
        const dir = this._document.uri.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(this._document.uri, '..');
        return dir ? vscode.Uri.joinPath(dir, base) : undefined;
    }

    private async _saveImage(requestId: number, fileName: string, data: string, encoding: 'base64' | 'utf8', format: 'png' | 'svg'): Promise<void> {
        const bytes = encoding === 'base64' ? Buffer.from(data, 'base64') : new TextEncoder().encode(data);
        if (bytes.byteLength > MAX_SAVE_BYTES) {
            this._post({ type: 'result', requestId, ok: false, message: 'The image is too large to save' });
            return;
        }
        const target = await vscode.window.showSaveDialog({ defaultUri: this._defaultUri(fileName), filters: { [format.toUpperCase()]: [format] }, title: 'Save the heap graph image' });
        if (!target) {
            this._post({ type: 'result', requestId, ok: false, message: 'Cancelled' });
            return;
        }
        await vscode.workspace.fs.writeFile(target, bytes);
        this._post({ type: 'result', requestId, ok: true, message: `Saved ${target.path.split('/').pop()}` });
    }

    private async _exportReport(requestId: number, format: ReportFormat): Promise<void> {
        if (!this._report) {
            this._post({ type: 'result', requestId, ok: false, message: 'No report to export' });
            return;
        }
        const ext = format === 'text' ? 'txt' : format;
        const base = (this._document.uri.path.split('/').pop() ?? 'scenario').replace(/\.pyscn$/, '');
        const target = await vscode.window.showSaveDialog({ defaultUri: this._defaultUri(`${base}.lifetimes.${ext}`), filters: { [format.toUpperCase()]: [ext] }, title: 'Export the ExitScope report' });
        if (!target) {
            this._post({ type: 'result', requestId, ok: false, message: 'Cancelled' });
            return;
        }
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(formatReport(this._report, format)));
        this._post({ type: 'result', requestId, ok: true, message: `Saved ${target.path.split('/').pop()}` });
    }

    private _log(level: string, message: string): void {
        this._output ??= this._register(vscode.window.createOutputChannel('ExitScope Heap Graph'));
        this._output.appendLine(`[${level}] ${message}`);
    }

    override dispose(): void {
        if (this.isDisposed) return;
        if (HeapPanel.currentPanel === this) HeapPanel.currentPanel = undefined;
        if (HeapPanel.comparePanel === this) HeapPanel.comparePanel = undefined;
        this._onDidDispose.fire();
        this._panel.dispose();
        super.dispose();
    }
}
