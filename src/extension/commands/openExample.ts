/*
 * openExample.ts — exitscope.openExample [name]
 *
 * Opens one of the gallery scenarios (examples/*.pyscn, shipped with the extension) as an
 * untitled copy to play with. Read through the workspace file system API.
 */

import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../config';
import type { Cmd, Ctx } from './context';

async function exampleFolders(ctx: Ctx): Promise<vscode.Uri[]> {
    const candidates = [vscode.Uri.joinPath(ctx.extensionUri, 'examples'), ...(vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, 'examples'))];
    const out: vscode.Uri[] = [];
    for (const c of candidates) {
        try {
            if ((await vscode.workspace.fs.stat(c)).type & vscode.FileType.Directory) out.push(c);
        } catch {
            // not there
        }
    }
    return out;
}

export async function listExamples(ctx: Ctx): Promise<{ name: string; uri: vscode.Uri }[]> {
    for (const folder of await exampleFolders(ctx)) {
        const entries = await vscode.workspace.fs.readDirectory(folder);
        const found = entries.filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.pyscn')).map(([n]) => ({ name: n.replace(/\.pyscn$/, ''), uri: vscode.Uri.joinPath(folder, n) }));
        if (found.length) return found.sort((a, b) => a.name.localeCompare(b.name));
    }
    return [];
}

export function openExample(ctx: Ctx): Cmd {
    return async (nameArg?: unknown) => {
        const examples = await listExamples(ctx);
        if (!examples.length) {
            void vscode.window.showErrorMessage('ExitScope: the example scenarios are not installed with this copy of the extension.');
            return undefined;
        }
        let chosen = typeof nameArg === 'string' ? examples.find((e) => e.name === nameArg.replace(/\.pyscn$/, '')) : undefined;
        if (!chosen && typeof nameArg === 'string') {
            void vscode.window.showErrorMessage(`ExitScope: no example named '${nameArg}'.`);
            return undefined;
        }
        if (!chosen) {
            const picked = await vscode.window.showQuickPick(examples.map((e) => ({ label: e.name, example: e })), { title: 'ExitScope: open an example scenario' });
            chosen = picked?.example;
        }
        if (!chosen) return undefined;
        const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(chosen.uri));
        const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content });
        await vscode.window.showTextDocument(document);
        return document.uri.toString();
    };
}
