/*
 * compareVersions.ts — exitscope.compareVersions [{uri, profile}]
 *
 * Opens the scenario's heap graph twice, side by side: on its own profile and on another one
 * (quick pick, or the argument), the two panes kept in step (panel/comparePanes.ts) and the
 * objects whose fate differs outlined in both.
 */

import * as vscode from 'vscode';
import { PROFILE_NAMES, profileLabel, settingsFor } from '../config';
import { HeapPanel } from '../panel/heapPanel';
import { ComparePanes } from '../panel/comparePanes';
import { panelReports } from './showHeapGraph';
import { noScenario, objectArgs, targetDocument, type Cmd, type Ctx } from './context';

/** The profile a comparison suggests first: across the 2/3 divide, else the newest other. */
export function suggestedProfile(current: string): string {
    if (current !== '2.7') return '2.7';
    return PROFILE_NAMES.filter((v) => /^3\./.test(v)).at(-1) ?? '3.13';
}

export function compareVersions(ctx: Ctx): Cmd {
    return async (raw?: unknown) => {
        const document = await targetDocument(objectArgs(raw));
        if (!document) return noScenario();
        const current = settingsFor(document).python;
        let profile = raw && typeof raw === 'object' && typeof (raw as { profile?: unknown }).profile === 'string' ? (raw as { profile: string }).profile : undefined;
        if (profile === undefined) {
            const first = suggestedProfile(current);
            const others = PROFILE_NAMES.filter((v) => v !== current).sort((a, b) => (a === first ? -1 : b === first ? 1 : 0));
            const picked = await vscode.window.showQuickPick(
                others.map((v) => ({ label: profileLabel(v), version: v })),
                { title: `ExitScope: compare the heap graph on Python ${current} with…` },
            );
            profile = picked?.version;
        }
        if (profile === undefined) return undefined;
        if (!PROFILE_NAMES.includes(profile) || profile === current) {
            void vscode.window.showErrorMessage(`ExitScope: cannot compare with '${profile}' (choose one of ${PROFILE_NAMES.filter((v) => v !== current).join(', ')})`);
            return undefined;
        }
        const reports = panelReports(ctx.service);
        const main = HeapPanel.createOrShow(ctx.context, document, reports, { onDidUpdate: ctx.service.onDidUpdate });
        const column = main.panel.viewColumn ? ((main.panel.viewColumn + 1) as vscode.ViewColumn) : vscode.ViewColumn.Beside;
        const other = HeapPanel.createCompare(ctx.context, document, reports, profile, column, { onDidUpdate: ctx.service.onDidUpdate });
        new ComparePanes(main, other, current, profile);
        return { compared: [current, profile], uri: document.uri.toString() };
    };
}
