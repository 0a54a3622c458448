/*
 * config.ts
 *
 * The extension's settings (exitscope.*) and the per-file annotation that overrides them.
 */

import * as vscode from 'vscode';
import { PROFILES, DEFAULT_PROFILE } from '../engine/profiles';
import { parseAnnotations, effectiveSettings, type FileAnnotations } from './annotations';

export const LANGUAGE_ID = 'pyscenario';
export const PROFILE_NAMES: readonly string[] = Object.keys(PROFILES);
export const DEFAULT_MAX_STEPS = 1_000_000;

export interface DocumentSettings {
    python: string;
    maxSteps: number;
    /** The profile comes from a `# exitscope: python=…` comment. */
    fromFile: boolean;
    annotations: FileAnnotations;
}

export function configuredSettings(scope?: vscode.Uri): { python: string; maxSteps: number } {
    const c = vscode.workspace.getConfiguration('exitscope', scope);
    const python = c.get<string>('pythonVersion', DEFAULT_PROFILE);
    const maxSteps = c.get<number>('maxSteps', DEFAULT_MAX_STEPS);
    return {
        python: PROFILE_NAMES.includes(python) ? python : DEFAULT_PROFILE,
        maxSteps: Number.isInteger(maxSteps) && maxSteps > 0 ? maxSteps : DEFAULT_MAX_STEPS,
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
