/*
 * analysisService.ts
 *
 * Keeps an up-to-date report for every open scenario: analyses on open, debounced (250 ms) on
 * edit, again when a setting changes; results cached per (document version, profile, step
 * budget); runs in the worker (dist/worker.js) through WorkerClient. Views subscribe to
 * onDidUpdate, providers await `ensure(document)`.
 */

import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { Debouncer } from './debouncer';
import { ResultCache, cacheKey, type CacheKey } from './resultCache';
import { CancelledError, WorkerClient, type WorkerLike } from './workerClient';
import type { AnalysisResult } from './protocol';
import type { Report } from '../../report/types';
import { isScenario, settingsFor, type DocumentSettings } from '../config';

export const DEBOUNCE_MS = 250;
/**
 * The analysis worker's resources: a heap whose exhaustion fails the worker (not the extension
 * host), and a stack deep enough for CPython's recursion limits (the engine needs about 1.6 KB of
 * stack per Python frame).
 */
export const WORKER_HEAP_MB = 2048;
export const WORKER_STACK_MB = 256;
/** "Run to the end": the time budget of that one run (the CLI's default). */
export const RUN_TO_END_MS = 60_000;

export interface AnalysisUpdate {
    document: vscode.TextDocument;
    result: AnalysisResult;
    settings: DocumentSettings;
}

export class AnalysisService implements vscode.Disposable {
    private readonly _client: WorkerClient;
    private readonly _debouncer = new Debouncer<string>(DEBOUNCE_MS);
    private readonly _cache = new ResultCache<AnalysisResult>(64);
    private readonly _inflight = new Map<string, Promise<AnalysisResult>>();
    private readonly _latest = new Map<string, AnalysisUpdate>();
    /** Documents (by URI) to run to the end at this version: no statement budget, a long time budget. */
    private readonly _runToEnd = new Map<string, number>();
    private readonly _onDidUpdate = new vscode.EventEmitter<AnalysisUpdate>();
    private readonly _disposables: vscode.Disposable[] = [];
    readonly onDidUpdate = this._onDidUpdate.event;

    constructor(extensionUri: vscode.Uri) {
        const script = vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath;
        this._client = new WorkerClient(() => new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, stackSizeMb: WORKER_STACK_MB } }) as unknown as WorkerLike);
    }

    start(): void {
        const ws = vscode.workspace;
        this._disposables.push(
            ws.onDidOpenTextDocument((d) => this._schedule(d, 0)),
            ws.onDidChangeTextDocument((e) => {
                if (e.contentChanges.length) this._schedule(e.document, DEBOUNCE_MS);
            }),
            ws.onDidCloseTextDocument((d) => this._forget(d)),
            ws.onDidChangeConfiguration((e) => {
                if (['pythonVersion', 'maxSteps', 'timeBudgetSeconds'].some((k) => e.affectsConfiguration(`exitscope.${k}`))) this.refreshAll();
            }),
        );
        for (const d of ws.textDocuments) this._schedule(d, 0);
    }

    /** The last published result of a document (may be for an older version while typing). */
    latest(uri: vscode.Uri): AnalysisUpdate | undefined {
        return this._latest.get(uri.toString());
    }

    /** "Run to the end": simulates this version of the document again without the editor's short budgets. */
    runToEnd(document: vscode.TextDocument): Promise<AnalysisResult> {
        this._runToEnd.set(document.uri.toString(), document.version);
        return this.ensure(document);
    }

    /** The settings of a document, with "run to the end" applied when it was asked for this version. */
    settingsOf(document: vscode.TextDocument): DocumentSettings {
        const settings = settingsFor(document);
        if (this._runToEnd.get(document.uri.toString()) !== document.version) return settings;
        return { ...settings, maxSteps: 0, timeLimitMs: Math.max(settings.timeLimitMs, RUN_TO_END_MS) };
    }

    /** Re-analyses every open scenario (settings changed, or the user asked). */
    refreshAll(clearCache = false): void {
        if (clearCache) this._cache.clear();
        for (const d of vscode.workspace.textDocuments) this._schedule(d, 0);
    }

    /**
     * The result for the document's current text and settings (cached, shared, or run now).
     * `graph`: include the heap graph (costs about as much as the rest of the report on large
     * scenarios, so edits run without it; the graph panel and exports ask for it).
     */
    async ensure(document: vscode.TextDocument, options: { graph?: boolean } = {}): Promise<AnalysisResult> {
        const graph = options.graph ?? false;
        for (;;) {
            const settings = this.settingsOf(document);
            const key: CacheKey = { uri: document.uri.toString(), version: document.version, python: settings.python, maxSteps: settings.maxSteps, timeLimitMs: settings.timeLimitMs, graph };
            if (!graph) {
                // A report with the graph answers a request without it too.
                const full = this._cache.get({ ...key, graph: true });
                if (full) {
                    this._publish(document, key, full, settings);
                    return full;
                }
            }
            const cached = this._cache.get(key);
            if (cached) {
                this._publish(document, key, cached, settings);
                return cached;
            }
            const k = cacheKey(key);
            let p = this._inflight.get(k);
            if (!p) {
                if (!graph) this._debouncer.cancel(key.uri);
                p = this._run(document, key, settings);
                this._inflight.set(k, p);
                void p.then(
                    () => this._inflight.delete(k),
                    () => this._inflight.delete(k),
                );
            }
            try {
                return await p;
            } catch (e) {
                if (!(e instanceof CancelledError)) throw e;
                // A newer run for this document replaced ours: wait for the current one instead.
            }
        }
    }

    /** The document's report with its heap graph on another profile (the second pane of
     *  Compare Python Versions); not cached or published: the document's diagnostics stay its own profile's. */
    async reportOn(document: vscode.TextDocument, python: string): Promise<Report | string> {
        const settings = this.settingsOf(document);
        try {
            const r = await this._client.run(`${document.uri.toString()}#graph@${python}`, {
                source: document.getText(),
                python,
                maxSteps: settings.maxSteps,
                timeLimitMs: settings.timeLimitMs,
                fileName: fileNameOf(document.uri),
                graph: true,
            });
            return r.type === 'result' ? r.report : r.message;
        } catch (e) {
            return (e as Error).message;
        }
    }

    /** Simulates the document under `compareWith` as well (Explain on other versions); not cached. */
    async compare(document: vscode.TextDocument, compareWith: string[]): Promise<Report | string> {
        const settings = this.settingsOf(document);
        try {
            const r = await this._client.run(`${document.uri.toString()}#versions`, {
                source: document.getText(),
                python: settings.python,
                maxSteps: settings.maxSteps,
                timeLimitMs: settings.timeLimitMs,
                fileName: fileNameOf(document.uri),
                compareWith,
                graph: false,
            });
            return r.type === 'result' ? r.report : r.message;
        } catch (e) {
            return (e as Error).message;
        }
    }

    private async _run(document: vscode.TextDocument, key: CacheKey, settings: DocumentSettings): Promise<AnalysisResult> {
        const base = { python: settings.python, maxSteps: settings.maxSteps, timeLimitMs: settings.timeLimitMs };
        let result: AnalysisResult;
        try {
            const r = await this._client.run(key.graph ? `${key.uri}#graph` : key.uri, { source: document.getText(), ...base, fileName: fileNameOf(document.uri), graph: key.graph ?? false });
            result = r.type === 'result' ? { kind: 'report', report: r.report, ms: r.ms, ...base } : { kind: 'failure', message: r.message, ...base };
        } catch (e) {
            if (e instanceof CancelledError) throw e;
            result = { kind: 'failure', message: (e as Error)?.message ?? String(e), ...base };
        }
        this._cache.set(key, result);
        this._publish(document, key, result, settings);
        return result;
    }

    /** Makes `result` the document's current one (unless it is already, or the text moved on). */
    private _publish(document: vscode.TextDocument, key: CacheKey, result: AnalysisResult, settings: DocumentSettings): void {
        if (document.isClosed || document.version !== key.version) return;
        if (this._latest.get(key.uri)?.result === result) return;
        const update: AnalysisUpdate = { document, result, settings };
        this._latest.set(key.uri, update);
        this._onDidUpdate.fire(update);
    }

    private _schedule(document: vscode.TextDocument, delayMs: number): void {
        if (!isScenario(document)) return;
        this._debouncer.schedule(document.uri.toString(), () => {
            this.ensure(document).catch(() => undefined);
        }, delayMs);
    }

    private _forget(document: vscode.TextDocument): void {
        const uri = document.uri.toString();
        this._runToEnd.delete(uri);
        this._debouncer.cancel(uri);
        this._cache.deleteDocument(uri);
        this._latest.delete(uri);
    }

    dispose(): void {
        this._debouncer.dispose();
        this._client.dispose();
        this._onDidUpdate.dispose();
        for (const d of this._disposables) d.dispose();
    }
}

export function fileNameOf(uri: vscode.Uri): string {
    const base = uri.path.split('/').pop() || 'scenario.pyscn';
    return base;
}
