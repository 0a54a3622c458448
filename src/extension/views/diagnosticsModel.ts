/*
 * diagnosticsModel.ts
 *
 * Report → diagnostic data (plain objects; views/diagnostics.ts turns them into vscode.Diagnostic).
 *
 *   findings          warning → Warning (survives exit), note → Information (late lifetimes,
 *                     shutdown finalizers), error → Error (failed expectations)
 *   engine errors     syntax / unsupported construct / step budget → Error at their position
 *   annotation typos  Warning on the `# exitscope:` line
 *   worker failure    Error at line 1
 *
 * Each diagnostic's code links to its documentation; related information walks the reference
 * chain (each edge where it was created) and the finalizer runs.
 */

import type { FileAnnotations } from '../annotations';
import type { AnalysisResult } from '../analysis/protocol';
import type { Finding, ObjectReport, Report } from '../../report/types';
import { fixLine } from './lifetimeText';
import { spanAt, type Span } from './sourceSpans';
import { visible } from '../../escape/visible';
import { budgetMessage } from './budgetText';

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedData {
    span: Span;
    message: string;
}

export interface DiagnosticData {
    span: Span;
    severity: SeverityName;
    message: string;
    code: { value: string; target: string };
    related: RelatedData[];
}

export const DIAGNOSTIC_SOURCE = 'exitscope';

const FAQ_URL = 'https://docs.python.org/3/faq/design.html#why-isn-t-all-memory-freed-when-cpython-exits';

/** Documentation for problems that stop a simulation (no Finding, so no explanation to link). */
export const ENGINE_ERROR_CODES: Record<string, { value: string; target: string }> = {
    syntax: { value: 'syntax-error', target: 'https://docs.python.org/3/reference/grammar.html' },
    unsupported: { value: 'unsupported-construct', target: 'https://docs.python.org/3/reference/index.html' },
    budget: { value: 'step-budget', target: FAQ_URL },
    'time-budget': { value: 'time-budget', target: FAQ_URL },
    'memory-budget': { value: 'memory-budget', target: FAQ_URL },
    'simulation-limit': { value: 'simulation-limit', target: FAQ_URL },
    internal: { value: 'internal-error', target: FAQ_URL },
    'analysis-failed': { value: 'analysis-failed', target: FAQ_URL },
    annotation: { value: 'annotation', target: FAQ_URL },
};

const SEVERITY: Record<Finding['severity'], SeverityName> = { error: 'error', warning: 'warning', note: 'information' };

/**
 * A Problems row, fix first (the row is cut at its end, so the end is for what is already on
 * screen): the line to change and the fix, then what the finding is about and its title.
 * Each fact once; the words are the finding's.
 */
export function findingMessage(f: Finding, o: ObjectReport | undefined): string {
    const e = f.explanation;
    // The message states the finding itself (report.ts makeFinding); the title would say it again.
    const about = f.message;
    if (!e.fix) return about;
    const at = fixLine(f, o);
    return `${at > 0 && at !== f.line ? `Change line ${at}: ` : 'Fix: '}${e.fix} (${about})`;
}

export function findingToDiagnostic(f: Finding, lines: readonly string[], o?: ObjectReport): DiagnosticData {
    const doc = f.explanation.docs[0];
    return {
        span: spanAt(lines, f.line, f.column),
        severity: SEVERITY[f.severity],
        message: visible(f.kind === 'expectation-mismatch' ? f.message : findingMessage(f, o)),
        code: { value: f.kind, target: doc?.url ?? FAQ_URL },
        related: f.related.map((r) => ({ span: spanAt(lines, r.line, r.column), message: visible(r.message) })),
    };
}

/** The documentation code of an engine error (budget stops by budget). */
function engineErrorCode(e: Report['errors'][number]): { value: string; target: string } {
    if (e.kind === 'budget') {
        const byBudget: Record<string, string> = { time: 'time-budget', memory: 'memory-budget', limit: 'simulation-limit' };
        return ENGINE_ERROR_CODES[byBudget[e.budget ?? ''] ?? 'budget'];
    }
    return ENGINE_ERROR_CODES[e.kind] ?? ENGINE_ERROR_CODES.internal;
}

function engineErrorMessage(e: Report['errors'][number]): string {
    switch (e.kind) {
        case 'budget':
            return budgetMessage(e);
        case 'unsupported':
            return `ExitScope cannot simulate this: ${e.message}`;
        default:
            return e.message;
    }
}

export function reportToDiagnostics(report: Report, lines: readonly string[]): DiagnosticData[] {
    const out: DiagnosticData[] = [];
    for (const e of report.errors) {
        const span = spanAt(lines, e.line, e.col);
        out.push({
            span,
            severity: 'error',
            message: visible(engineErrorMessage(e)),
            code: engineErrorCode(e),
            related: [],
        });
    }
    const byId = new Map(report.objects.map((o) => [o.id, o]));
    for (const f of report.findings) out.push(findingToDiagnostic(f, lines, byId.get(f.objects[0])));
    return out;
}

export function failureToDiagnostic(message: string, lines: readonly string[]): DiagnosticData {
    return {
        span: spanAt(lines, 1, 0),
        severity: 'error',
        message: `ExitScope could not analyze this scenario: ${message}`,
        code: ENGINE_ERROR_CODES['analysis-failed'],
        related: [],
    };
}

/** Every diagnostic of one document. */
export function diagnosticsFor(result: AnalysisResult, source: string, annotations?: FileAnnotations): DiagnosticData[] {
    const lines = source.split(/\r?\n/);
    const out = result.kind === 'report' ? reportToDiagnostics(result.report, lines) : [failureToDiagnostic(result.message, lines)];
    for (const p of annotations?.problems ?? []) {
        out.push({ span: spanAt(lines, p.line, 0), severity: 'warning', message: p.message, code: ENGINE_ERROR_CODES.annotation, related: [] });
    }
    return out;
}
