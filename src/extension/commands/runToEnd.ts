/*
 * runToEnd.ts — exitscope.runToEnd [{uri}]
 *
 * Simulates the current version of a scenario once more without the editor's short budgets (no
 * statement budget; the CLI's time budget): what the status bar item, the code lens and the cut
 * run's diagnostic offer. The next edit goes back to the usual budgets.
 */

import { noScenario, objectArgs, targetDocument, type Cmd, type Ctx } from './context';

export function runToEnd(ctx: Ctx): Cmd {
    return async (raw?: unknown) => {
        const document = await targetDocument(objectArgs(raw));
        if (!document) return noScenario();
        const result = await ctx.service.runToEnd(document);
        return { uri: document.uri.toString(), kind: result.kind, errors: result.kind === 'report' ? result.report.errors : [] };
    };
}
