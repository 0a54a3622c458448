/*
 * extension.ts → dist/extension.js
 *
 * Activation: the analysis service (engine + report in a worker thread) and everything that
 * shows its results: diagnostics, hovers, code lenses, inline hints, the Objects view, the status
 * bar item, the heap graph panel (panel/, restored after reloads) and the commands. ExitScope never runs the user's code, so it is safe in untrusted
 * and virtual workspaces.
 */

import * as vscode from 'vscode';
import { AnalysisService } from './analysis/analysisService';
import { registerCommands } from './commands/index';
import type { Ctx } from './commands/context';
import { registerDiagnostics } from './views/diagnostics';
import { registerHovers } from './views/hovers';
import { registerCodeLenses } from './views/codeLens';
import { registerInlineHints } from './views/inlineHints';
import { registerObjectsTree, type ObjectsTreeProvider } from './views/objectsTree';
import { registerStatusBar } from './views/statusBar';
import { ReadonlyDocuments } from './views/readonlyDocuments';
import { HeapPanel } from './panel/heapPanel';
import { panelReports } from './commands/showHeapGraph';

/** What `activate` returns (integration tests read it). */
export interface ExitScopeApi {
    service: AnalysisService;
    objects: ObjectsTreeProvider;
}

export function activate(context: vscode.ExtensionContext): ExitScopeApi {
    const service = new AnalysisService(context.extensionUri);
    const documents = new ReadonlyDocuments();
    const ctx: Ctx = { context, extensionUri: context.extensionUri, service, documents };
    const tree = registerObjectsTree(service);
    context.subscriptions.push(
        service,
        documents,
        registerDiagnostics(service),
        registerHovers(service),
        registerCodeLenses(service),
        registerInlineHints(service),
        tree.disposable,
        registerStatusBar(service),
        registerCommands(ctx),
        HeapPanel.registerSerializer(context, panelReports(service), { onDidUpdate: service.onDidUpdate }),
    );
    service.start();
    return { service, objects: tree.provider };
}

export function deactivate(): void {
    // Everything is disposed through context.subscriptions.
}
