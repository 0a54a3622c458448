/*
 * exportReport.ts — exitscope.exportReport [format] [target uri]
 *
 * Writes the lifetime report as JSON, SARIF, DOT or HTML (report/formats) through a save dialog,
 * with the workspace file system API (works in virtual workspaces).
 */

import * as vscode from 'vscode';
import { formatReport, type FormatName } from '../../report/formats/index';
import { fileNameOf } from '../analysis/analysisService';
import { noScenario, targetDocument, type Cmd, type Ctx } from './context';

export const EXPORT_FORMATS: { format: FormatName; label: string; ext: string }[] = [
    { format: 'json', label: 'JSON (the full report)', ext: 'json' },
    { format: 'sarif', label: 'SARIF (findings, for code scanning)', ext: 'sarif' },
    { format: 'dot', label: 'DOT (the heap graph, for Graphviz)', ext: 'dot' },
    { format: 'html', label: 'HTML (a self-contained page)', ext: 'html' },
];

export function exportReport(ctx: Ctx): Cmd {
    return async (formatArg?: unknown, targetArg?: unknown) => {
        const document = await targetDocument();
        if (!document) return noScenario();
        let spec = EXPORT_FORMATS.find((f) => f.format === formatArg);
        if (!spec) {
            const picked = await vscode.window.showQuickPick(EXPORT_FORMATS.map((f) => ({ label: f.format.toUpperCase(), description: f.label, spec: f })), { title: 'ExitScope: export the lifetime report as' });
            spec = picked?.spec;
        }
        if (!spec) return undefined;
        const result = await ctx.service.ensure(document, { graph: true });
        if (result.kind !== 'report') {
            void vscode.window.showErrorMessage(`ExitScope: nothing to export: ${result.message}`);
            return undefined;
        }
        let target = typeof targetArg === 'string' ? vscode.Uri.parse(targetArg) : targetArg instanceof vscode.Uri ? targetArg : undefined;
        if (!target) {
            const base = fileNameOf(document.uri).replace(/\.pyscn$/, '');
            const dir = document.uri.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(document.uri, '..');
            target = await vscode.window.showSaveDialog({
                defaultUri: dir ? vscode.Uri.joinPath(dir, `${base}.lifetimes.${spec.ext}`) : undefined,
                filters: { [spec.format.toUpperCase()]: [spec.ext] },
                title: 'Export the ExitScope report',
            });
        }
        if (!target) return undefined;
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(formatReport(result.report, spec.format)));
        return target.toString();
    };
}
