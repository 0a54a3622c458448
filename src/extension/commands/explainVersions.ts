/*
 * explainVersions.ts — exitscope.explainVersions [{uri, objectId, line}]
 *
 * Simulates the scenario under every other profile (2.7 … 3.13) in the worker and shows how
 * the object's fate, and every other object's, differs (text from versionsModel.ts).
 */

import * as vscode from 'vscode';
import { PROFILE_NAMES, settingsFor } from '../config';
import { fileNameOf } from '../analysis/analysisService';
import { versionsMarkdown } from '../views/versionsModel';
import { noScenario, objectArgs, targetDocument, type Cmd, type Ctx } from './context';

export function explainVersions(ctx: Ctx): Cmd {
    return async (raw?: unknown) => {
        const args = objectArgs(raw);
        const document = await targetDocument(args);
        if (!document) return noScenario();
        const current = settingsFor(document).python;
        const others = PROFILE_NAMES.filter((v) => v !== current);
        const report = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: `ExitScope: simulating on ${others.join(', ')}` },
            () => ctx.service.compare(document, others),
        );
        if (typeof report === 'string') {
            void vscode.window.showErrorMessage(`ExitScope: could not compare versions: ${report}`);
            return undefined;
        }
        let objectId = args && !(args instanceof vscode.Uri) ? args.objectId : undefined;
        if (objectId === undefined && args && !(args instanceof vscode.Uri) && args.line) {
            objectId = report.objects.find((o) => o.owner === 'user' && o.allocLine === args.line)?.id;
        }
        const markdown = versionsMarkdown(report, fileNameOf(document.uri), objectId);
        await ctx.documents.show(`${fileNameOf(document.uri)} — versions.md`, markdown, 'markdown');
        return markdown;
    };
}
