/*
 * commands/index.ts
 *
 * The command table: every contributed command and its factory (rust-analyzer's main.ts style).
 */

import * as vscode from 'vscode';
import type { Cmd, Ctx } from './context';
import { showHeapGraph } from './showHeapGraph';
import { selectPythonVersion } from './selectPythonVersion';
import { exportReport } from './exportReport';
import { newScenario } from './newScenario';
import { explainVersions } from './explainVersions';
import { openExample } from './openExample';
import { runToEnd } from './runToEnd';
import { compareVersions } from './compareVersions';

export const COMMANDS: Record<string, (ctx: Ctx) => Cmd> = {
    'exitscope.showHeapGraph': showHeapGraph,
    'exitscope.selectPythonVersion': selectPythonVersion,
    'exitscope.exportReport': exportReport,
    'exitscope.newScenario': newScenario,
    'exitscope.explainVersions': explainVersions,
    'exitscope.openExample': openExample,
    'exitscope.runToEnd': runToEnd,
    'exitscope.compareVersions': compareVersions,
    'exitscope.refresh': (ctx) => () => {
        ctx.service.refreshAll(/* clearCache */ true);
        return true;
    },
};

export function registerCommands(ctx: Ctx): vscode.Disposable {
    return vscode.Disposable.from(...Object.entries(COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(ctx))));
}
