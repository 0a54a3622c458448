/*
 * codeLens.ts
 *
 * The summary lenses on the first line of a scenario (text from codeLensModel.ts).
 */

import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/analysisService';
import { LANGUAGE_ID } from '../config';
import { codeLenses } from './codeLensModel';

export function registerCodeLenses(service: AnalysisService): vscode.Disposable {
    const changed = new vscode.EventEmitter<void>();
    const provider: vscode.CodeLensProvider = {
        onDidChangeCodeLenses: changed.event,
        async provideCodeLenses(document) {
            const result = await service.ensure(document);
            const fromFile = service.latest(document.uri)?.settings.fromFile ?? false;
            const top = new vscode.Range(0, 0, 0, 0);
            return codeLenses(result, document.uri.toString(), fromFile).map(
                (l) => new vscode.CodeLens(top, { title: l.title, tooltip: l.tooltip, command: l.command, arguments: l.arguments }),
            );
        },
    };
    return vscode.Disposable.from(changed, service.onDidUpdate(() => changed.fire()), vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, provider));
}
