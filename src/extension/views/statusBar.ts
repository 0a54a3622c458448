/*
 * statusBar.ts
 *
 * A status bar item with the profile of the active scenario; clicking it picks another.
 */

import * as vscode from 'vscode';
import { isScenario, settingsFor } from '../config';

export function registerStatusBar(): vscode.Disposable {
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
    return vscode.Disposable.from(
        item,
        vscode.window.onDidChangeActiveTextEditor(update),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration('exitscope')) update();
        }),
        vscode.workspace.onDidChangeTextDocument((e) => {
            if (e.document === vscode.window.activeTextEditor?.document) update();
        }),
    );
}
