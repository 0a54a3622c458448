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

import { MAX_STEPS_LIMIT } from '../engine/interp/budget';

/** Only the first lines are searched, so a comment deep in a file cannot change the profile. */
export const ANNOTATION_LINES = 10;

export interface FileAnnotations {
    /** `python=V`: the profile for this file, overriding `exitscope.pythonVersion`. */
    python?: string;
    /** `max-steps=N`: the step budget for this file, overriding `exitscope.maxSteps`. */
    maxSteps?: number;
    /** Problems with the annotation itself (unknown key, bad value), 1-based line. */
    problems: { line: number; message: string }[];
}

const ANNOTATION_RE = /^\s*#\s*exitscope\s*:\s*(.*)$/i;

/**
 * Reads `# exitscope: key=value, …` comments from the first ANNOTATION_LINES lines.
 * `profiles` is the list of valid Python versions (an unknown one is reported, not used).
 */
export function parseAnnotations(source: string, profiles: readonly string[]): FileAnnotations {
    const out: FileAnnotations = { problems: [] };
    const lines = source.split(/\r?\n/, ANNOTATION_LINES);
    lines.forEach((text, i) => {
        const m = ANNOTATION_RE.exec(text);
        if (!m) return;
        const line = i + 1;
        for (const part of m[1].split(/[,\s]+/).filter(Boolean)) {
            const [rawKey, value = ''] = part.split('=', 2).map((s) => s.trim());
            const key = rawKey.toLowerCase().replace(/_/g, '-');
            if (key === 'python') {
                const v = value.replace(/^(?:python|py|cpython)/i, '');
                if (profiles.includes(v)) out.python = v;
                else out.problems.push({ line, message: `unknown Python version '${value}' (choose one of ${profiles.join(', ')})` });
            } else if (key === 'max-steps') {
                // Bounded like the setting (X4): a file must not buy itself an unbounded run.
                const n = Number(value.replace(/_/g, ''));
                if (Number.isInteger(n) && n > 0 && n <= MAX_STEPS_LIMIT) out.maxSteps = n;
                else out.problems.push({ line, message: `max-steps takes a whole number from 1 to ${MAX_STEPS_LIMIT.toLocaleString('en-US')}, not '${value}'` });
            } else {
                out.problems.push({ line, message: `unknown exitscope setting '${rawKey}' (use python=VERSION or max-steps=N)` });
            }
        }
    });
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
