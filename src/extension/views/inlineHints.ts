/*
 * inlineHints.ts
 *
 * Decorations after the end of lines that allocate objects ("freed at line 42", "survives
 * exit"), from inlineHintsModel.ts; switched by `exitscope.inlineHints`.
 */

import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/analysisService';
import { inlineHintsEnabled, isScenario } from '../config';
import { inlineHints } from './inlineHintsModel';

export function registerInlineHints(service: AnalysisService): vscode.Disposable {
    const plain = vscode.window.createTextEditorDecorationType({
        after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    const survivor = vscode.window.createTextEditorDecorationType({
        after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorWarning.foreground'), fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });

    const paint = (editor: vscode.TextEditor) => {
        if (!isScenario(editor.document)) return;
        const u = service.latest(editor.document.uri);
        if (!inlineHintsEnabled() || !u || u.result.kind !== 'report') {
            editor.setDecorations(plain, []);
            editor.setDecorations(survivor, []);
            return;
        }
        const doc = editor.document;
        const normal: vscode.DecorationOptions[] = [];
        const warn: vscode.DecorationOptions[] = [];
        for (const h of inlineHints(u.result.report)) {
            if (h.line < 1 || h.line > doc.lineCount) continue;
            const end = doc.lineAt(h.line - 1).range.end;
            const option = { range: new vscode.Range(end, end), renderOptions: { after: { contentText: h.text } } };
            (h.fate === 'survives-exit' ? warn : normal).push(option);
        }
        editor.setDecorations(plain, normal);
        editor.setDecorations(survivor, warn);
    };
    const paintAll = () => vscode.window.visibleTextEditors.forEach(paint);

    return vscode.Disposable.from(
        plain,
        survivor,
        service.onDidUpdate((u) => vscode.window.visibleTextEditors.filter((e) => e.document === u.document).forEach(paint)),
        vscode.window.onDidChangeVisibleTextEditors(paintAll),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration('exitscope.inlineHints')) paintAll();
        }),
    );
}
