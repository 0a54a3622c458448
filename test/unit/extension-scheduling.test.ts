import { describe, expect, it } from 'vitest';
import { Debouncer } from '../../src/extension/analysis/debouncer';
import { ResultCache } from '../../src/extension/analysis/resultCache';
import { CancelledError, WorkerClient, type Timers, type WorkerLike } from '../../src/extension/analysis/workerClient';
import type { AnalyzeRequest, AnalyzeResponse } from '../../src/extension/analysis/protocol';

/** A fake clock: timers run when `advance` passes their deadline. */
class FakeClock implements Timers {
    t = 0;
    private _next = 1;
    private readonly _timers = new Map<number, { at: number; fn: () => void }>();
    now = () => this.t;
    setTimeout = (fn: () => void, ms: number) => {
        const id = this._next++;
        this._timers.set(id, { at: this.t + ms, fn });
        return id;
    };
    clearTimeout = (h: unknown) => {
        this._timers.delete(h as number);
    };
    advance(ms: number) {
        const end = this.t + ms;
        for (;;) {
            const due = [...this._timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
            if (!due) break;
            this._timers.delete(due[0]);
            this.t = due[1].at;
            due[1].fn();
        }
        this.t = end;
    }
}

/** A fake worker: records requests; the test answers, crashes or hangs it. */
class FakeWorker implements WorkerLike {
    readonly received: AnalyzeRequest[] = [];
    terminated = false;
    private readonly _l: Record<string, ((x: any) => void)[]> = { message: [], error: [], exit: [] };
    postMessage(m: AnalyzeRequest) {
        this.received.push(m);
    }
    on(event: string, listener: (x: any) => void) {
        this._l[event].push(listener);
        return this;
    }
    terminate() {
        this.terminated = true;
        return Promise.resolve(1);
    }
    reply(id: number, extra: Partial<AnalyzeResponse> = {}) {
        for (const l of this._l.message) l({ type: 'failure', id, message: `done ${id}`, ...extra });
    }
    emit(event: 'error' | 'exit', value: unknown) {
        for (const l of this._l[event]) l(value);
    }
}

const payload = (source: string) => ({ source, python: '3.13', maxSteps: 1000, fileName: 'a.pyscn' });
const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(options: { timeoutMs?: number; staleRestartMs?: number } = {}) {
    const clock = new FakeClock();
    const workers: FakeWorker[] = [];
    const client = new WorkerClient(() => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
    }, { timers: clock, ...options });
    return { clock, workers, client };
}

describe('Debouncer', () => {
    it('runs once after the key is quiet, restarting the wait on each schedule', () => {
        const clock = new FakeClock();
        const d = new Debouncer<string>(250, clock);
        const runs: string[] = [];
        d.schedule('a', () => runs.push('a1'));
        clock.advance(200);
        d.schedule('a', () => runs.push('a2'));
        clock.advance(200);
        expect(runs).toEqual([]);
        expect(d.pending('a')).toBe(true);
        clock.advance(50);
        expect(runs).toEqual(['a2']);
        expect(d.pending('a')).toBe(false);
    });

    it('keeps keys independent, supports cancel, per-call delays and dispose', () => {
        const clock = new FakeClock();
        const d = new Debouncer<string>(250, clock);
        const runs: string[] = [];
        d.schedule('a', () => runs.push('a'));
        d.schedule('b', () => runs.push('b'), 0);
        d.schedule('c', () => runs.push('c'));
        d.cancel('a');
        clock.advance(0);
        expect(runs).toEqual(['b']);
        d.dispose();
        clock.advance(1000);
        expect(runs).toEqual(['b']);
    });
});

describe('ResultCache', () => {
    const k = (uri: string, version: number, python = '3.13', maxSteps = 1000) => ({ uri, version, python, maxSteps });

    it('keys on document, version, profile and budget', () => {
        const c = new ResultCache<string>();
        c.set(k('a', 1), 'a1');
        expect(c.get(k('a', 1))).toBe('a1');
        expect(c.get(k('a', 2))).toBeUndefined();
        expect(c.get(k('a', 1, '2.7'))).toBeUndefined();
        expect(c.get(k('a', 1, '3.13', 5))).toBeUndefined();
    });

    it('evicts the least recently used entry and forgets documents', () => {
        const c = new ResultCache<string>(2);
        c.set(k('a', 1), 'a');
        c.set(k('b', 1), 'b');
        c.get(k('a', 1));
        c.set(k('c', 1), 'c');
        expect(c.get(k('b', 1))).toBeUndefined();
        expect(c.get(k('a', 1))).toBe('a');
        c.deleteDocument('a');
        expect(c.size).toBe(1);
    });
});

describe('WorkerClient', () => {
    it('runs one request at a time, in order', async () => {
        const { workers, client } = setup();
        const p1 = client.run('a', payload('1'));
        const p2 = client.run('b', payload('2'));
        expect(workers.length).toBe(1);
        expect(workers[0].received.map((r) => r.source)).toEqual(['1']);
        workers[0].reply(workers[0].received[0].id);
        await expect(p1).resolves.toMatchObject({ message: 'done 1' });
        expect(workers[0].received.map((r) => r.source)).toEqual(['1', '2']);
        workers[0].reply(workers[0].received[1].id);
        await expect(p2).resolves.toMatchObject({ message: 'done 2' });
    });

    it('a newer request for the same key replaces a queued one', async () => {
        const { workers, client } = setup();
        const p0 = client.run('other', payload('0'));
        const p1 = client.run('a', payload('1'));
        const p2 = client.run('a', payload('2'));
        await expect(p1).rejects.toBeInstanceOf(CancelledError);
        workers[0].reply(workers[0].received[0].id);
        await p0;
        expect(workers[0].received.map((r) => r.source)).toEqual(['0', '2']);
        workers[0].reply(workers[0].received[1].id);
        await expect(p2).resolves.toMatchObject({ id: workers[0].received[1].id });
    });

    it('drops the result of a superseded short run without restarting the worker', async () => {
        const { clock, workers, client } = setup({ staleRestartMs: 300 });
        const p1 = client.run('a', payload('1'));
        clock.advance(100);
        const p2 = client.run('a', payload('2'));
        await expect(p1).rejects.toBeInstanceOf(CancelledError);
        expect(workers[0].terminated).toBe(false);
        workers[0].reply(workers[0].received[0].id); // the stale result: dropped
        await settle();
        expect(workers[0].received.map((r) => r.source)).toEqual(['1', '2']);
        workers[0].reply(workers[0].received[1].id);
        await expect(p2).resolves.toMatchObject({ message: 'done 2' });
        expect(client.workersStarted).toBe(1);
    });

    it('terminates and restarts the worker when a superseded run has been running long', async () => {
        const { clock, workers, client } = setup({ staleRestartMs: 300 });
        const p1 = client.run('a', payload('1'));
        clock.advance(1000);
        const p2 = client.run('a', payload('2'));
        await expect(p1).rejects.toBeInstanceOf(CancelledError);
        expect(workers[0].terminated).toBe(true);
        expect(workers.length).toBe(2);
        expect(workers[1].received.map((r) => r.source)).toEqual(['2']);
        workers[0].reply(workers[0].received[0].id); // a late message from the dead worker: ignored
        workers[1].reply(workers[1].received[0].id);
        await expect(p2).resolves.toMatchObject({ message: 'done 2' });
    });

    it('turns a crash into a failure and starts a fresh worker for the next request', async () => {
        const { workers, client } = setup();
        const p1 = client.run('a', payload('1'));
        workers[0].emit('error', new Error('out of memory'));
        await expect(p1).rejects.toThrow(/crashed: out of memory/);
        const p2 = client.run('a', payload('2'));
        expect(workers.length).toBe(2);
        workers[1].reply(workers[1].received[0].id);
        await expect(p2).resolves.toBeTruthy();
        const p3 = client.run('a', payload('3'));
        workers[1].emit('exit', 134);
        await expect(p3).rejects.toThrow(/exit code 134/);
    });

    it('stops a run that outlives the timeout', async () => {
        const { clock, workers, client } = setup({ timeoutMs: 5000 });
        const p1 = client.run('a', payload('1'));
        const p2 = client.run('b', payload('2'));
        clock.advance(5000);
        await expect(p1).rejects.toThrow(/did not finish within 5 s/);
        expect(workers[0].terminated).toBe(true);
        expect(workers[1].received.map((r) => r.source)).toEqual(['2']);
        workers[1].reply(workers[1].received[0].id);
        await expect(p2).resolves.toBeTruthy();
    });

    it('reports a worker that cannot start, and rejects everything after dispose', async () => {
        const client = new WorkerClient(() => {
            throw new Error('no such file');
        });
        await expect(client.run('a', payload('1'))).rejects.toThrow(/could not start the analysis worker: no such file/);
        const { client: c2 } = setup();
        const pending = c2.run('a', payload('1'));
        c2.dispose();
        await expect(pending).rejects.toBeInstanceOf(CancelledError);
        await expect(c2.run('a', payload('2'))).rejects.toThrow(/shut down/);
    });
});
