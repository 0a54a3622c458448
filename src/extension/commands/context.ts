/*
 * context.ts
 *
 * What every command factory receives, and how commands find the scenario they act on.
 */

import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/analysisService';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import { isScenario } from '../config';
import type { ObjectCommandArgs } from '../views/hoverModel';

export interface Ctx {
    context: vscode.ExtensionContext;
    extensionUri: vscode.Uri;
    service: AnalysisService;
    documents: ReadonlyDocuments;
}

export type Cmd = (...args: any[]) => unknown;

/** The scenario named by `args.uri` (a string or a Uri), else the active or last visible scenario editor. */
export async function targetDocument(args?: Partial<ObjectCommandArgs> | vscode.Uri): Promise<vscode.TextDocument | undefined> {
    const raw = args instanceof vscode.Uri ? args : args?.uri;
    if (raw) {
        const uri = typeof raw === 'string' ? vscode.Uri.parse(raw) : (raw as vscode.Uri);
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (open) return open;
        // A command argument never opens anything but a scenario (links are ours, but commands
        // can be called by anyone).
        if (!uri.path.endsWith('.pyscn')) return undefined;
        return vscode.workspace.openTextDocument(uri);
    }
    const active = vscode.window.activeTextEditor?.document;
    if (isScenario(active)) return active;
    return vscode.window.visibleTextEditors.map((e) => e.document).find(isScenario);
}

export function noScenario(): undefined {
    void vscode.window.showInformationMessage('ExitScope: open a Python scenario (*.pyscn) first.');
    return undefined;
}

/** Normalizes command arguments: hover links pass one object, code lenses and menus may pass a Uri. */
export function objectArgs(a: unknown): Partial<ObjectCommandArgs> | vscode.Uri | undefined {
    if (a instanceof vscode.Uri) return a;
    if (a && typeof a === 'object') return a as Partial<ObjectCommandArgs>;
    return undefined;
}
