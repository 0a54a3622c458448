/*
 * budgetText.ts
 *
 * How the editor tells that a run was cut by one of its budgets, and what to do about it: the
 * diagnostic's wording, the code lens and the status bar item ("run to the end"). Pure.
 */

import type { Report } from '../../report/types';

type EngineError = Report['errors'][number];

export const RUN_TO_END = 'exitscope.runToEnd';

/** The budget stop that cut this run short (a time or statement budget the user can lift), if any. */
export function cutBy(report: Report): EngineError | undefined {
    return report.errors.find((e) => e.kind === 'budget' && (e.budget === 'time' || e.budget === 'steps'));
}

/** The diagnostic message of a budget or limit stop, with how to go further. */
export function budgetMessage(e: EngineError): string {
    switch (e.budget) {
        case 'time':
            return `The run was cut: ${e.message}. The editor's budget is exitscope.timeBudgetSeconds; "ExitScope: Run to the End" runs this version without it.`;
        case 'steps':
            return `The run was cut: ${e.message}. Raise exitscope.maxSteps or \`# exitscope: max-steps=N\`, or use "ExitScope: Run to the End".`;
        case 'memory':
            return `The run was stopped: ${e.message}. Simulate fewer or smaller objects (the CLI's --max-memory allows more).`;
        case 'limit':
            return `The run was stopped: ${e.message}.`;
        default:
            return `${e.message} (raise exitscope.maxSteps or add \`# exitscope: max-steps=N\`)`;
    }
}

/** The status bar text of a cut run. */
export function cutStatus(e: EngineError): string {
    return `$(watch) ExitScope: run cut at line ${e.line} — run to the end`;
}
