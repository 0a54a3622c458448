/*
 * newScenario.ts — exitscope.newScenario
 *
 * Opens an untitled scenario from the template.
 */

import * as vscode from 'vscode';
import { LANGUAGE_ID, configuredSettings } from '../config';
import { scenarioTemplate } from '../language/scenarioTemplate';
import type { Cmd } from './context';

export function newScenario(): Cmd {
    return async () => {
        const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: scenarioTemplate(configuredSettings().python) });
        await vscode.window.showTextDocument(document);
        return document.uri.toString();
    };
}
