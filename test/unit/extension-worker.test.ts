// The analysis worker: bad input always yields a result or a failure, never a throw; the real
// dist/worker.js answers through WorkerClient when it has been built.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyzeSource } from '../../src/extension/analysis/analyzeSource';
import { MAX_SOURCE_BYTES, type AnalyzeRequest } from '../../src/extension/analysis/protocol';
import { WorkerClient, type WorkerLike } from '../../src/extension/analysis/workerClient';
import { diagnosticsFor } from '../../src/extension/views/diagnosticsModel';
import type { AnalysisResult } from '../../src/extension/analysis/protocol';

const req = (source: string, extra: Partial<AnalyzeRequest> = {}): AnalyzeRequest => ({ type: 'analyze', id: 1, source, python: '3.13', maxSteps: 100_000, fileName: 'x.pyscn', ...extra });

function diagnosticsOf(source: string, extra: Partial<AnalyzeRequest> = {}) {
    const r = analyzeSource(req(source, extra));
    const result: AnalysisResult = r.type === 'result' ? { kind: 'report', report: r.report, python: '3.13', maxSteps: 1, ms: r.ms } : { kind: 'failure', message: r.message, python: '3.13', maxSteps: 1 };
    return diagnosticsFor(result, source);
}

function seeded(seed: number) {
    let s = seed >>> 0;
    return () => {
        s = (s * 1664525 + 1013904223) >>> 0;
        return s;
    };
}

describe('analyzeSource on bad input', () => {
    it('random bytes give Error diagnostics, never a throw', () => {
        const rnd = seeded(42);
        for (let n = 0; n < 30; n++) {
            const bytes = Array.from({ length: 1 + (rnd() % 400) }, () => rnd() % 256);
            const text = new TextDecoder().decode(new Uint8Array(bytes));
            const d = diagnosticsOf(text);
            expect(d.some((x) => x.severity === 'error')).toBe(true);
        }
    });

    it('a file past the size limit (the same in the CLI) is refused with an Error at line 1', () => {
        const big = 'x = 1\n'.repeat(Math.ceil((MAX_SOURCE_BYTES + 1) / 6));
        expect(big.length).toBeGreaterThan(MAX_SOURCE_BYTES);
        const d = diagnosticsOf(big);
        expect(d).toHaveLength(1);
        expect(d[0]).toMatchObject({ severity: 'error', span: { startLine: 0 } });
        expect(d[0].message).toMatch(/too large/);
    });

    it('an endless loop stops at the step budget with an Error', () => {
        const d = diagnosticsOf('while True:\n    pass\n', { maxSteps: 5000 });
        expect(d.find((x) => x.code.value === 'step-budget')).toMatchObject({ severity: 'error' });
    });

    it('unknown profiles, empty files and NUL bytes do not throw', () => {
        expect(analyzeSource(req('x = 1\n', { python: '9.9' })).type).toBe('result');
        expect(diagnosticsOf('x = 1\n', { python: '9.9' })[0].message).toMatch(/unknown Python version/);
        expect(analyzeSource(req('')).type).toBe('result');
        expect(diagnosticsOf('x = "\u0000"\n\u0000\n').length).toBeGreaterThan(0);
    });

    it('deep nesting and a deep recursion give diagnostics', () => {
        expect(diagnosticsOf(`x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`).length).toBeGreaterThanOrEqual(0);
        const d = diagnosticsOf('def f(n):\n    return f(n + 1)\n\nf(0)\n');
        expect(Array.isArray(d)).toBe(true);
    });

    it('the report crosses a thread boundary (structured clone)', () => {
        const r = analyzeSource(req('class A:\n    pass\n\na = A()\n'));
        expect(r.type).toBe('result');
        expect(structuredClone(r)).toEqual(r);
    });
});

const WORKER = path.resolve(__dirname, '../../dist/worker.js');

describe.skipIf(!existsSync(WORKER))('dist/worker.js through WorkerClient', () => {
    it('analyzes in a worker thread and survives a crash', async () => {
        const client = new WorkerClient(() => new Worker(WORKER) as unknown as WorkerLike);
        try {
            const r = await client.run('a', { source: 'class A:\n    pass\n\na = A()  # expect: at-shutdown\n', python: '3.13', maxSteps: 10_000, fileName: 'a.pyscn' });
            expect(r.type).toBe('result');
            if (r.type === 'result') expect(r.report.expectations[0].status).toBe('ok');
            const bad = await client.run('a', { source: '\u0000\u00ff(((', python: '2.7', maxSteps: 10_000, fileName: 'b.pyscn' });
            expect(bad.type).toBe('result');
            if (bad.type === 'result') expect(bad.report.errors.length).toBeGreaterThan(0);
        } finally {
            client.dispose();
        }
        // A worker script that dies: the failure comes back as an Error, not an exception in the host.
        const crashing = new WorkerClient(() => new Worker('process.exit(3)', { eval: true }) as unknown as WorkerLike);
        await expect(crashing.run('a', { source: 'x = 1', python: '3.13', maxSteps: 10, fileName: 'c.pyscn' })).rejects.toThrow(/exit code 3/);
        crashing.dispose();
    });
});
