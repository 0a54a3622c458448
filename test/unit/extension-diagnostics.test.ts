import { describe, expect, it } from 'vitest';
import { diagnosticsFor, ENGINE_ERROR_CODES, failureToDiagnostic, reportToDiagnostics } from '../../src/extension/views/diagnosticsModel';
import { codeEnd, spanAt } from '../../src/extension/views/sourceSpans';
import { parseAnnotations } from '../../src/extension/annotations';
import { CYCLE_COLLECTED, CYCLE_IN_GLOBALS, KEPT_ON_SYS, reportOf, resultOf } from './extension-helpers';

const lines = (s: string) => s.split('\n');

describe('spanAt', () => {
    const src = lines("a = Node('a')  # expect: freed\nx = [1, (2, 3)] + y\n    s = 'text'\n");
    it('covers a call from its column', () => {
        expect(spanAt(src, 1, 5)).toEqual({ startLine: 0, startCol: 4, endLine: 0, endCol: 13 });
    });
    it('covers a bracketed display', () => {
        expect(spanAt(src, 2, 5)).toEqual({ startLine: 1, startCol: 4, endLine: 1, endCol: 15 });
    });
    it('falls back to the code of the line (no comment) for unknown columns and clamps lines', () => {
        expect(spanAt(src, 1, 0)).toEqual({ startLine: 0, startCol: 0, endLine: 0, endCol: 13 });
        expect(spanAt(src, 0, 0).startLine).toBe(0);
        expect(spanAt(src, 99, 3).startLine).toBe(src.length - 1);
        expect(spanAt(src, 3, 9)).toEqual({ startLine: 2, startCol: 8, endLine: 2, endCol: 14 });
    });
    it('ignores # inside strings', () => {
        expect(codeEnd("x = '#' + y  # c")).toBe(11);
    });
});

describe('reportToDiagnostics', () => {
    it('cycle in module globals: Information on 3.13 (finalized at shutdown), Warnings on 2.7 (never freed)', () => {
        const d313 = reportToDiagnostics(reportOf(CYCLE_IN_GLOBALS, '3.13'), lines(CYCLE_IN_GLOBALS));
        expect(d313.filter((d) => d.severity === 'warning')).toEqual([]);
        const info = d313.filter((d) => d.severity === 'information');
        expect(info.map((d) => d.span.startLine).sort((x, y) => x - y)).toEqual([9, 10]);
        expect(info[0].code.value).toBe('finalizer-at-shutdown');
        expect(info[0].code.target).toMatch(/^https:\/\/docs\.python\.org\//);

        const d27 = reportToDiagnostics(reportOf(CYCLE_IN_GLOBALS, '2.7'), lines(CYCLE_IN_GLOBALS));
        // One warning for the cycle (issue 14 item 5), its other member a related location.
        const w = d27.filter((d) => d.severity === 'warning' && (d.span.startLine === 9 || d.span.startLine === 10));
        expect(w.length).toBe(1);
        expect(w[0].related.some((r) => r.span.startLine === 10)).toBe(true);
        expect(w[0].code.value).toMatch(/^survives-exit\//);
        expect(w[0].message).toMatch(/never freed/);
        expect(w[0].span).toMatchObject({ startCol: 4, endCol: 13 });
    });

    it('late lifetimes are Information with related locations; failed expectations are their own Error', () => {
        const r = reportOf(CYCLE_COLLECTED);
        const d = reportToDiagnostics(r, lines(CYCLE_COLLECTED));
        const late = d.filter((x) => x.code.value.startsWith('late/'));
        expect(late.length).toBeGreaterThan(0);
        expect(late.every((x) => x.severity === 'information')).toBe(true);
        expect(late[0].related.map((x) => x.message)).toContain('last outside reference dropped here');
        expect(late[0].related.every((x) => x.span.startLine >= 0)).toBe(true);
        const failed = d.filter((x) => x.code.value === 'expectation-mismatch');
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ severity: 'error', span: { startLine: 9 } });
        expect(failed[0].message).toMatch(/expected freed/);
    });

    it('related information walks the reference chain of a survivor', () => {
        const r = reportOf(KEPT_ON_SYS, '2.7');
        const d = reportToDiagnostics(r, lines(KEPT_ON_SYS));
        for (const x of d) for (const rel of x.related) expect(rel.span.startLine).toBeGreaterThanOrEqual(0);
        const withChain = d.filter((x) => x.related.some((rel) => rel.message.includes('→')));
        expect(withChain.length).toBeGreaterThan(0);
    });

    it('syntax errors are Errors at their line and column', () => {
        const src = 'x = 1\ny = (1,\n';
        const d = reportToDiagnostics(reportOf(src), lines(src));
        expect(d.length).toBeGreaterThan(0);
        expect(d[0]).toMatchObject({ severity: 'error', code: ENGINE_ERROR_CODES.syntax });
        expect(d[0].span.startLine).toBe(1);
    });

    it('an exhausted step budget is an Error that says how to raise it', () => {
        const src = 'i = 0\nwhile True:\n    i += 1\n';
        const r = reportOf(src, '3.13', { maxSteps: 2000 });
        const d = reportToDiagnostics(r, lines(src));
        const budget = d.find((x) => x.code.value === 'step-budget');
        expect(budget).toBeTruthy();
        expect(budget!.severity).toBe('error');
        expect(budget!.message).toMatch(/exitscope\.maxSteps/);
        expect(budget!.span.startLine).toBeGreaterThanOrEqual(1);
    });

    it('unsupported constructs are Errors (when the engine refuses one)', () => {
        const r = reportOf('x = 1\n');
        r.errors = [{ kind: 'unsupported', message: 'async generators', line: 1, col: 1 }];
        const d = reportToDiagnostics(r, ['x = 1']);
        expect(d[0]).toMatchObject({ severity: 'error', code: ENGINE_ERROR_CODES.unsupported });
        expect(d[0].message).toMatch(/cannot simulate this: async generators/);
    });
});

describe('diagnosticsFor', () => {
    it('a worker failure is one Error at line 1', () => {
        const d = diagnosticsFor({ kind: 'failure', message: 'the analysis worker crashed: boom', python: '3.13', maxSteps: 1 }, '\n\nx = 1');
        expect(d).toHaveLength(1);
        expect(d[0]).toMatchObject({ severity: 'error', span: { startLine: 0 }, code: { value: 'analysis-failed' } });
        expect(d[0].message).toMatch(/crashed: boom/);
        expect(failureToDiagnostic('x', ['']).span).toEqual({ startLine: 0, startCol: 0, endLine: 0, endCol: 0 });
    });

    it('adds a Warning for a bad # exitscope: annotation', () => {
        const src = '# exitscope: python=4.0\nx = 1\n';
        const d = diagnosticsFor(resultOf(src), src, parseAnnotations(src, ['3.13']));
        expect(d).toContainEqual(expect.objectContaining({ severity: 'warning', span: expect.objectContaining({ startLine: 0 }), code: ENGINE_ERROR_CODES.annotation }));
    });
});
