/*
 * annotations.ts
 *
 * Per-file settings written as a comment in the first lines of a scenario:
 *
 *     # exitscope: python=2.7
 *     # exitscope: python=3.12, max-steps=200000
 *
 * Pure (no `vscode`): the analysis service reads these before picking a profile.
 */

import { parseAnnotations as parseAll, ANNOTATION_LINES } from '../engine/annotations';

export { ANNOTATION_LINES };

export interface FileAnnotations {
    /** `python=V`: the profile for this file, overriding `exitscope.pythonVersion`. */
    python?: string;
    /** `max-steps=N`: the step budget for this file, overriding `exitscope.maxSteps`. */
    maxSteps?: number;
    /** Problems with the settings themselves (unknown key, bad value), 1-based line. */
    problems: { line: number; message: string }[];
}

/**
 * The settings of a file, read by the engine's one annotation parser (engine/annotations.ts).
 * `profiles` is the list of valid Python versions (an unknown one is reported, not used). Problems
 * with file, flags and c-alloc annotations are not listed here: the engine reports them as errors
 * of the run (they would otherwise be shown twice).
 */
export function parseAnnotations(source: string, profiles: readonly string[]): FileAnnotations {
    const a = parseAll(source, profiles);
    const out: FileAnnotations = { problems: a.problems.filter((p) => p.scope === 'settings').map((p) => ({ line: p.line, message: p.message })) };
    if (a.python !== undefined) out.python = a.python;
    if (a.maxSteps !== undefined) out.maxSteps = a.maxSteps;
    return out;
}

/** The profile and budget to use: the file's annotations win over the settings. */
export function effectiveSettings<S extends { python: string; maxSteps: number }>(annotations: FileAnnotations, settings: S): S & { fromFile: boolean } {
    return {
        ...settings,
        python: annotations.python ?? settings.python,
        maxSteps: annotations.maxSteps ?? settings.maxSteps,
        fromFile: annotations.python !== undefined,
    };
}
