/*
 * workerClient.ts
 *
 * Sends analysis requests to one worker thread, one at a time, and keeps the host safe from it:
 *
 * - a newer request for the same document replaces a queued one, and cancels a running one
 *   (its result is dropped; if it has already run for `staleRestartMs` the worker is terminated
 *   and restarted rather than left to finish);
 * - a run longer than its time budget plus a slack is terminated and reported as a failure;
 * - a crash (an `error` or `exit` event) fails the running request and the next request gets a
 *   fresh worker.
 *
 * The worker is created through a factory, so tests drive it with a fake (no `vscode`, no
 * `worker_threads` import here).
 */

import type { AnalyzeRequest, AnalyzeResponse } from './protocol';

export interface WorkerLike {
    postMessage(message: AnalyzeRequest): void;
    on(event: 'message', listener: (message: AnalyzeResponse) => void): unknown;
    on(event: 'error', listener: (error: Error) => void): unknown;
    on(event: 'exit', listener: (code: number) => void): unknown;
    terminate(): unknown;
}

/** Thrown (rejected) when a newer request for the same key made this one pointless. */
export class CancelledError extends Error {
    constructor() {
        super('cancelled by a newer request');
        this.name = 'CancelledError';
    }
}

export interface Timers {
    now(): number;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface WorkerClientOptions {
    /**
     * A run longer than this is stopped and fails. Default: the run's own time budget plus
     * TIMEOUT_SLACK_MS (the engine stops itself at its budget; the rest is the report).
     */
    timeoutMs?: number;
    /** A cancelled run that has taken this long already is stopped by restarting the worker (default 300 ms). */
    staleRestartMs?: number;
    timers?: Timers;
}

type Payload = Omit<AnalyzeRequest, 'type' | 'id'>;

/** Time a run gets beyond its simulation's budget before the worker is terminated (building the report). */
export const TIMEOUT_SLACK_MS = 30_000;
/** The engine's default time budget, for payloads that do not give one. */
const DEFAULT_RUN_MS = 60_000;

interface Job {
    id: number;
    key: string;
    payload: Payload;
    resolve(r: AnalyzeResponse): void;
    reject(e: Error): void;
    startedAt: number;
    /** Cancelled while running: its response is dropped. */
    dropped: boolean;
    timer: unknown;
}

export class WorkerClient {
    private _worker: WorkerLike | undefined;
    private _current: Job | undefined;
    private readonly _queue: Job[] = [];
    private _nextId = 1;
    private _disposed = false;
    private readonly _timeoutMs: number | undefined;
    private readonly _staleRestartMs: number;
    private readonly _timers: Timers;
    /** Workers started so far (tests and the benchmark read it). */
    workersStarted = 0;

    constructor(private readonly _factory: () => WorkerLike, options: WorkerClientOptions = {}) {
        this._timeoutMs = options.timeoutMs;
        this._staleRestartMs = options.staleRestartMs ?? 300;
        this._timers = options.timers ?? realTimers;
    }

    /** Analyzes `payload`; `key` identifies the document (a newer run for it cancels this one). */
    run(key: string, payload: Payload): Promise<AnalyzeResponse> {
        if (this._disposed) return Promise.reject(new Error('the analysis worker was shut down'));
        for (let i = this._queue.length - 1; i >= 0; i--) {
            if (this._queue[i].key === key) this._queue.splice(i, 1)[0].reject(new CancelledError());
        }
        const cur = this._current;
        if (cur && cur.key === key && !cur.dropped) {
            cur.dropped = true;
            cur.reject(new CancelledError());
            if (this._timers.now() - cur.startedAt >= this._staleRestartMs) this._restart();
        }
        return new Promise<AnalyzeResponse>((resolve, reject) => {
            this._queue.push({ id: this._nextId++, key, payload, resolve, reject, startedAt: 0, dropped: false, timer: undefined });
            this._pump();
        });
    }

    dispose(): void {
        this._disposed = true;
        for (const j of this._queue.splice(0)) j.reject(new CancelledError());
        if (this._current) {
            this._timers.clearTimeout(this._current.timer);
            if (!this._current.dropped) this._current.reject(new CancelledError());
            this._current = undefined;
        }
        this._kill();
    }

    private _pump(): void {
        if (this._current || this._disposed || !this._queue.length) return;
        const worker = this._ensureWorker();
        if (!worker) return;
        const job = this._queue.shift()!;
        this._current = job;
        job.startedAt = this._timers.now();
        job.timer = this._timers.setTimeout(() => this._onTimeout(job), this._timeoutOf(job));
        try {
            worker.postMessage({ type: 'analyze', id: job.id, ...job.payload });
        } catch (e) {
            this._fail(job, `could not send the scenario to the analysis worker: ${(e as Error).message}`);
            this._restart();
        }
    }

    private _ensureWorker(): WorkerLike | undefined {
        if (this._worker) return this._worker;
        let worker: WorkerLike;
        try {
            worker = this._factory();
        } catch (e) {
            const message = `could not start the analysis worker: ${(e as Error).message}`;
            for (const j of this._queue.splice(0)) j.reject(new Error(message));
            return undefined;
        }
        this.workersStarted++;
        this._worker = worker;
        worker.on('message', (m) => {
            if (this._worker !== worker) return;
            this._onMessage(m);
        });
        worker.on('error', (e) => {
            if (this._worker !== worker) return;
            const code = (e as Error & { code?: string })?.code;
            this._onCrash(
                code === 'ERR_WORKER_OUT_OF_MEMORY'
                    ? 'the simulation ran out of memory in the analysis worker, which was restarted (the scenario allocates more than the worker may hold)'
                    : `the analysis worker crashed: ${e?.message ?? String(e)} (a new worker takes the next request)`,
            );
        });
        worker.on('exit', (code) => {
            if (this._worker !== worker) return;
            this._onCrash(`the analysis worker exited unexpectedly (exit code ${code})`);
        });
        return worker;
    }

    private _onMessage(m: AnalyzeResponse): void {
        const job = this._current;
        if (!job || m?.id !== job.id) return;
        this._timers.clearTimeout(job.timer);
        this._current = undefined;
        if (!job.dropped) job.resolve(m);
        this._pump();
    }

    private _onCrash(message: string): void {
        this._worker = undefined;
        const job = this._current;
        if (job) this._fail(job, message);
        this._pump();
    }

    private _timeoutOf(job: Job): number {
        return this._timeoutMs ?? (job.payload.timeLimitMs ?? DEFAULT_RUN_MS) + TIMEOUT_SLACK_MS;
    }

    private _onTimeout(job: Job): void {
        if (this._current !== job) return;
        this._fail(job, `the analysis did not finish within ${Math.round(this._timeoutOf(job) / 1000)} s and the worker was restarted (lower exitscope.timeBudgetSeconds?)`);
        this._restart();
    }

    private _fail(job: Job, message: string): void {
        this._timers.clearTimeout(job.timer);
        if (this._current === job) this._current = undefined;
        if (!job.dropped) job.reject(new Error(message));
    }

    /** Terminates the worker (dropping the running job) and goes on with the queue on a new one. */
    private _restart(): void {
        const job = this._current;
        if (job) {
            this._timers.clearTimeout(job.timer);
            this._current = undefined;
        }
        this._kill();
        this._pump();
    }

    private _kill(): void {
        const w = this._worker;
        this._worker = undefined;
        if (!w) return;
        try {
            const p = w.terminate() as Promise<number> | undefined;
            p?.catch?.(() => undefined);
        } catch {
            // already gone
        }
    }
}
