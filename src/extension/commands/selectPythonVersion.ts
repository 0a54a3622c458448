/*
 * selectPythonVersion.ts — exitscope.selectPythonVersion [version]
 *
 * Picks the profile (quick pick, or the argument) and stores it in `exitscope.pythonVersion`:
 * in the workspace settings if they already set it, else in the user settings.
 */

import * as vscode from 'vscode';
import { PROFILE_NAMES, configuredSettings, settingsFor, isScenario, profileLabel } from '../config';
import type { Cmd } from './context';

const NOTES: Record<string, string> = {
    '2.7': 'no PEP 442; globals become None at exit; cycles with __del__ go to gc.garbage',
    '3.8': 'PEP 442 finalizers; frames are objects',
    '3.11': 'lazy frames, inline instance values',
    '3.12': 'immortal objects, inlined comprehensions',
    '3.13': 'default',
    pypy: 'tracing GC: freed at a later collection; finalizers late or never, none at exit',
    jython: 'JVM GC: finalizers at an unspecified time or never, none at exit',
};

export function selectPythonVersion(): Cmd {
    return async (version?: unknown) => {
        const doc = vscode.window.activeTextEditor?.document;
        const current = configuredSettings(doc?.uri).python;
        let chosen = typeof version === 'string' ? version : undefined;
        if (chosen === undefined) {
            const picked = await vscode.window.showQuickPick(
                [...PROFILE_NAMES].reverse().map((v) => ({ label: profileLabel(v), description: v === current ? '(current)' : undefined, detail: NOTES[v], version: v })),
                { title: 'ExitScope: simulate which CPython version?', placeHolder: `currently ${current}` },
            );
            chosen = picked?.version;
        }
        if (chosen === undefined) return undefined;
        if (!PROFILE_NAMES.includes(chosen)) {
            void vscode.window.showErrorMessage(`ExitScope: unknown Python version '${chosen}' (choose one of ${PROFILE_NAMES.join(', ')})`);
            return undefined;
        }
        const config = vscode.workspace.getConfiguration('exitscope', doc?.uri);
        const inspected = config.inspect<string>('pythonVersion');
        const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder : inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
        await config.update('pythonVersion', chosen, target);
        if (isScenario(doc) && settingsFor(doc).fromFile) {
            void vscode.window.showInformationMessage(`ExitScope: this file sets its own version with '# exitscope: python=…'; other scenarios now use ${chosen}.`);
        }
        return chosen;
    };
}
