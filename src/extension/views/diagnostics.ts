/*
 * diagnostics.ts
 *
 * Publishes diagnosticsModel's data as vscode.Diagnostics (source `exitscope`) whenever the
 * analysis service has a new result; clears them when the document closes.
 */

import * as vscode from 'vscode';
import type { AnalysisService, AnalysisUpdate } from '../analysis/analysisService';
import { DIAGNOSTIC_SOURCE, diagnosticsFor, type DiagnosticData, type SeverityName } from './diagnosticsModel';
import type { Span } from './sourceSpans';

const SEVERITY: Record<SeverityName, vscode.DiagnosticSeverity> = {
    error: vscode.DiagnosticSeverity.Error,
    warning: vscode.DiagnosticSeverity.Warning,
    information: vscode.DiagnosticSeverity.Information,
    hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(s: Span): vscode.Range {
    return new vscode.Range(s.startLine, s.startCol, s.endLine, s.endCol);
}

export function toDiagnostic(d: DiagnosticData, uri: vscode.Uri): vscode.Diagnostic {
    const diag = new vscode.Diagnostic(toRange(d.span), d.message, SEVERITY[d.severity]);
    diag.source = DIAGNOSTIC_SOURCE;
    diag.code = { value: d.code.value, target: vscode.Uri.parse(d.code.target) };
    if (d.related.length) diag.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.span)), r.message));
    return diag;
}

export function registerDiagnostics(service: AnalysisService): vscode.Disposable {
    const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
    const publish = (u: AnalysisUpdate) => {
        const data = diagnosticsFor(u.result, u.document.getText(), u.settings.annotations);
        collection.set(u.document.uri, data.map((d) => toDiagnostic(d, u.document.uri)));
    };
    return vscode.Disposable.from(
        collection,
        service.onDidUpdate(publish),
        vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    );
}
