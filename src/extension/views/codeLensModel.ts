/*
 * codeLensModel.ts
 *
 * The lenses at the top of a scenario: the counts (created, freed, collected, finalized at
 * shutdown, surviving), the profile in use (click: pick another) and "Show heap graph". Pure.
 */

import type { AnalysisResult } from '../analysis/protocol';
import { RUN_TO_END, cutBy } from './budgetText';

export interface LensData {
    title: string;
    tooltip: string;
    command: string;
    arguments: unknown[];
}

export function summaryTitle(result: AnalysisResult): string {
    if (result.kind === 'failure') return '$(error) ExitScope: analysis failed';
    const r = result.report;
    const cut = cutBy(r);
    if (cut) return `$(watch) ExitScope: run cut at line ${cut.line} (${cut.budget === 'time' ? 'time' : 'step'} budget)`;
    if (r.errors.length) return `$(error) ExitScope: not simulated (${r.errors[0].kind} error at line ${r.errors[0].line})`;
    const s = r.summary;
    return `${s.created} created · ${s.freed} freed · ${s.collected} collected · ${s.finalizedAtShutdown} finalized at shutdown · ${s.freedAtShutdown} freed at shutdown · ${s.surviving} surviving`;
}

export function codeLenses(result: AnalysisResult, uri: string, fromFile: boolean): LensData[] {
    const args = [{ uri }];
    const profile = `Python ${result.python}${fromFile ? ' (set in file)' : ''}`;
    const lenses: LensData[] = [
        { title: `$(versions) ${profile}`, tooltip: 'The CPython version simulated; click to choose another', command: 'exitscope.selectPythonVersion', arguments: [] },
        {
            title: summaryTitle(result),
            tooltip: result.kind === 'report' ? `${result.report.summary.finalizersRun} finalizers ran, ${result.report.summary.collections} collections, ${result.report.summary.steps} steps, simulated in ${Math.round(result.ms)} ms` : result.message,
            command: 'workbench.view.extension.exitscope',
            arguments: [],
        },
    ];
    const cut = result.kind === 'report' ? cutBy(result.report) : undefined;
    if (cut) {
        lenses.push({ title: '$(debug-continue) Run to the end', tooltip: `The run was cut at line ${cut.line} by the editor's budget: simulate this version without it`, command: RUN_TO_END, arguments: args });
    }
    if (result.kind === 'report' && !result.report.errors.length) {
        lenses.push({ title: '$(type-hierarchy) Show heap graph', tooltip: 'Open the heap graph of this scenario', command: 'exitscope.showHeapGraph', arguments: args });
    }
    return lenses;
}
