/*
 * config.ts
 *
 * The extension's settings (exitscope.*) and the per-file annotation that overrides them.
 */

import * as vscode from 'vscode';
import { PROFILES, DEFAULT_PROFILE } from '../engine/profiles';
import { MAX_STEPS_LIMIT } from '../engine/interp/budget';
import { parseAnnotations, effectiveSettings, type FileAnnotations } from './annotations';

export const LANGUAGE_ID = 'pyscenario';
export const PROFILE_NAMES: readonly string[] = Object.keys(PROFILES);
/** A profile as quick picks name it: `Python 3.13`, `PyPy`, `Jython`. */
export function profileLabel(v: string): string {
    return /^\d/.test(v) ? `Python ${v}` : v === 'pypy' ? 'PyPy' : 'Jython';
}
/** No statement budget by default: the time budget stops what would not end. */
export const DEFAULT_MAX_STEPS = 0;
/** The editor's time budget: short, so typing stays responsive ("run to the end" lifts it once). */
export const DEFAULT_TIME_BUDGET_SECONDS = 5;

export interface BudgetSettings {
    python: string;
    /** Statement budget, 0 for none. */
    maxSteps: number;
    /** Wall-clock budget of one simulation. */
    timeLimitMs: number;
}

export interface DocumentSettings {
    python: string;
    maxSteps: number;
    timeLimitMs: number;
    /** The profile comes from a `# exitscope: python=…` comment. */
    fromFile: boolean;
    annotations: FileAnnotations;
}

export function configuredSettings(scope?: vscode.Uri): BudgetSettings {
    const c = vscode.workspace.getConfiguration('exitscope', scope);
    const python = c.get<string>('pythonVersion', DEFAULT_PROFILE);
    const maxSteps = c.get<number>('maxSteps', DEFAULT_MAX_STEPS);
    const seconds = c.get<number>('timeBudgetSeconds', DEFAULT_TIME_BUDGET_SECONDS);
    return {
        python: PROFILE_NAMES.includes(python) ? python : DEFAULT_PROFILE,
        maxSteps: Number.isInteger(maxSteps) && maxSteps > 0 && maxSteps <= MAX_STEPS_LIMIT ? maxSteps : DEFAULT_MAX_STEPS,
        timeLimitMs: Math.round(1000 * (Number.isFinite(seconds) && seconds > 0 && seconds <= 3600 ? seconds : DEFAULT_TIME_BUDGET_SECONDS)),
    };
}

export function settingsFor(document: vscode.TextDocument): DocumentSettings {
    const annotations = parseAnnotations(document.getText(new vscode.Range(0, 0, 10, 0)), PROFILE_NAMES);
    return { ...effectiveSettings(annotations, configuredSettings(document.uri)), annotations };
}

export function inlineHintsEnabled(): boolean {
    return vscode.workspace.getConfiguration('exitscope').get<boolean>('inlineHints', true);
}

export function isScenario(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
    return document?.languageId === LANGUAGE_ID;
}
