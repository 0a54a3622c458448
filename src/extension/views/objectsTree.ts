/*
 * objectsTree.ts
 *
 * The Objects view: the active scenario's objects grouped by fate (objectsModel.ts); selecting an
 * object reveals its allocation line.
 */

import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/analysisService';
import { isScenario } from '../config';
import { fateGroups, type FateGroup, type ObjectNode } from './objectsModel';

type Item = { kind: 'group'; group: FateGroup; uri: vscode.Uri } | { kind: 'object'; node: ObjectNode; uri: vscode.Uri };

const FATE_ICON: Record<string, string> = {
    'survives-exit': 'warning',
    'finalized-at-shutdown': 'debug-stop',
    'freed-at-shutdown': 'circle-slash',
    collected: 'sync',
    freed: 'pass',
};

export class ObjectsTreeProvider implements vscode.TreeDataProvider<Item> {
    private readonly _changed = new vscode.EventEmitter<Item | undefined>();
    readonly onDidChangeTreeData = this._changed.event;
    private _uri: vscode.Uri | undefined;

    constructor(private readonly _service: AnalysisService) {}

    /** Shows the objects of `uri` (the active scenario). */
    show(uri: vscode.Uri | undefined): void {
        this._uri = uri;
        this._changed.fire(undefined);
    }

    get uri(): vscode.Uri | undefined {
        return this._uri;
    }

    getTreeItem(item: Item): vscode.TreeItem {
        if (item.kind === 'group') {
            const t = new vscode.TreeItem(item.group.title, item.group.fate === 'survives-exit' || item.group.fate === 'finalized-at-shutdown' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
            t.description = String(item.group.objects.length);
            t.iconPath = new vscode.ThemeIcon(FATE_ICON[item.group.fate] ?? 'circle-outline');
            t.id = `${item.uri.toString()}#${item.group.fate}`;
            return t;
        }
        const n = item.node;
        const t = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
        t.description = n.description;
        t.tooltip = n.tooltip;
        t.id = `${item.uri.toString()}#${n.id}`;
        const pos = new vscode.Position(Math.max(n.line - 1, 0), Math.max(n.column - 1, 0));
        t.command = { command: 'vscode.open', title: 'Reveal allocation', arguments: [item.uri, { selection: new vscode.Range(pos, pos) }] };
        return t;
    }

    getChildren(item?: Item): Item[] {
        const uri = this._uri;
        if (!uri) return [];
        if (item) return item.kind === 'group' ? item.group.objects.map((node) => ({ kind: 'object', node, uri })) : [];
        const u = this._service.latest(uri);
        if (!u || u.result.kind !== 'report') return [];
        return fateGroups(u.result.report).map((group) => ({ kind: 'group', group, uri }));
    }

    dispose(): void {
        this._changed.dispose();
    }
}

export function registerObjectsTree(service: AnalysisService): { provider: ObjectsTreeProvider; disposable: vscode.Disposable } {
    const provider = new ObjectsTreeProvider(service);
    const view = vscode.window.createTreeView('exitscope.objects', { treeDataProvider: provider, showCollapseAll: true });
    const follow = (e: vscode.TextEditor | undefined) => {
        if (isScenario(e?.document)) provider.show(e!.document.uri);
    };
    follow(vscode.window.activeTextEditor);
    const disposable = vscode.Disposable.from(
        provider,
        view,
        vscode.window.onDidChangeActiveTextEditor(follow),
        service.onDidUpdate((u) => {
            if (!provider.uri || provider.uri.toString() === u.document.uri.toString()) provider.show(u.document.uri);
            const s = u.result.kind === 'report' ? u.result.report.summary : undefined;
            view.description = s ? `Python ${u.result.python}` : undefined;
            view.badge = s && s.surviving ? { value: s.surviving, tooltip: `${s.surviving} objects survive exit` } : undefined;
        }),
    );
    return { provider, disposable };
}
