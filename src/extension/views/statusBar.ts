/*
 * statusBar.ts
 *
 * A status bar item with the profile of the active scenario; clicking it picks another. A second
 * item appears when the active scenario's last run was cut by a budget: clicking it runs that
 * version to the end.
 */

import * as vscode from 'vscode';
import { isScenario, settingsFor } from '../config';
import type { AnalysisService } from '../analysis/analysisService';
import { RUN_TO_END, cutBy, cutStatus } from './budgetText';

export function registerStatusBar(service: AnalysisService): vscode.Disposable {
    const cutItem = vscode.window.createStatusBarItem('exitscope.cut', vscode.StatusBarAlignment.Right, 99);
    cutItem.name = 'ExitScope Run Cut';
    const updateCut = () => {
        const doc = vscode.window.activeTextEditor?.document;
        const result = isScenario(doc) ? service.latest(doc.uri)?.result : undefined;
        const cut = result?.kind === 'report' ? cutBy(result.report) : undefined;
        if (!doc || !cut) {
            cutItem.hide();
            return;
        }
        cutItem.text = cutStatus(cut);
        cutItem.tooltip = `${cut.message}. Click to simulate this version without the editor's budgets.`;
        cutItem.command = { title: 'Run to the end', command: RUN_TO_END, arguments: [{ uri: doc.uri.toString() }] };
        cutItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        cutItem.show();
    };
    const item = vscode.window.createStatusBarItem('exitscope.profile', vscode.StatusBarAlignment.Right, 100);
    item.name = 'ExitScope Python Version';
    item.command = 'exitscope.selectPythonVersion';
    const update = () => {
        const doc = vscode.window.activeTextEditor?.document;
        if (!isScenario(doc)) {
            item.hide();
            return;
        }
        const s = settingsFor(doc);
        item.text = `$(versions) Python ${s.python}`;
        item.tooltip = s.fromFile ? `ExitScope simulates CPython ${s.python} (set by \`# exitscope: python=\` in this file)` : `ExitScope simulates CPython ${s.python}. Click to choose another version.`;
        item.show();
    };
    update();
    updateCut();
    return vscode.Disposable.from(
        item,
        cutItem,
        service.onDidUpdate(updateCut),
        vscode.window.onDidChangeActiveTextEditor(updateCut),
        vscode.window.onDidChangeActiveTextEditor(update),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration('exitscope')) update();
        }),
        vscode.workspace.onDidChangeTextDocument((e) => {
            if (e.document === vscode.window.activeTextEditor?.document) update();
        }),
    );
}
