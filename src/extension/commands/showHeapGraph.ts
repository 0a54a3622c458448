/*
 * showHeapGraph.ts — exitscope.showHeapGraph [{uri, objectId, line}]
 *
 * Opens the heap graph panel (src/extension/panel/heapPanel.ts) on a scenario, with one object
 * selected when called from a hover link or the Objects view.
 */

import * as vscode from 'vscode';
import { HeapPanel, type GetReport } from '../panel/heapPanel';
import type { AnalysisService } from '../analysis/analysisService';
import { noScenario, objectArgs, targetDocument, type Cmd, type Ctx } from './context';

/** The panel's report source: the analysis service, with the heap graph (on another profile for
 *  the second pane of a comparison). */
export function panelReports(service: AnalysisService): GetReport {
    return async (document, profile) => {
        if (profile) {
            const r = await service.reportOn(document, profile);
            return typeof r === 'string' ? { error: r } : r;
        }
        const result = await service.ensure(document, { graph: true });
        return result.kind === 'report' ? result.report : { error: result.message };
    };
}

export function showHeapGraph(ctx: Ctx): Cmd {
    return async (raw?: unknown) => {
        const args = objectArgs(raw);
        const document = await targetDocument(args);
        if (!document) return noScenario();
        let objectId = args && !(args instanceof vscode.Uri) ? args.objectId : undefined;
        if (objectId === undefined && args && !(args instanceof vscode.Uri) && args.line) {
            const result = await ctx.service.ensure(document);
            if (result.kind === 'report') objectId = result.report.objects.find((o) => o.owner === 'user' && o.allocLine === args.line)?.id;
        }
        HeapPanel.createOrShow(ctx.context, document, panelReports(ctx.service), { objectId, onDidUpdate: ctx.service.onDidUpdate });
        return { shown: 'panel', uri: document.uri.toString(), objectId };
    };
}
