/*
 * recordings.ts
 *
 * What scripts/record-cpython.mjs writes (one JSON per scenario: stdout, exit code, normalised
 * stderr and final files per interpreter) and how the engine's result is put in the same form,
 * shared by the conformance suite and the real-program corpus (test/corpus/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileEntry } from '../../src/engine/index';

export interface RecordedRun {
    python: string;
    stdout: string;
    exitCode: number;
    /** Normalised by the recorder (normaliseStderr): addresses `0x…`, file names relative. */
    stderr?: string;
    /** Scenarios that use files: the run directory's final entries (scripts/scenario-dir.mjs snapshot). */
    files?: Record<string, RecordedFile>;
}

export type RecordedFile = string | { base64: string } | { dir: true } | null;

export interface Recording {
    scenario: string;
    results: Record<string, RecordedRun>;
}

function listJson(dir: string, acc: string[] = []): string[] {
    if (!fs.existsSync(dir)) return acc;
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) listJson(p, acc);
        else if (ent.isFile() && ent.name.endsWith('.pyscn.json')) acc.push(p);
    }
    return acc;
}

/** Every recording under `expectedRoot`, sorted by path. */
export function loadRecordings(expectedRoot: string): Recording[] {
    return listJson(expectedRoot)
        .sort()
        .map((file) => {
            const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as Recording;
            const rel = path.relative(expectedRoot, file).split(path.sep).join('/').replace(/\.json$/, '');
            return { scenario: rec.scenario ?? rel, results: rec.results ?? {} };
        });
}

/** Newest CPython first; tracing-GC runtimes (pypy, jython) after the CPython versions. */
export function compareVersions(a: string, b: string): number {
    const ra = /^\d/.test(a) ? 0 : 1;
    const rb = /^\d/.test(b) ? 0 : 1;
    if (ra !== rb || ra === 1) return ra - rb || a.localeCompare(b);
    const [a1, a2] = a.split('.').map(Number);
    const [b1, b2] = b.split('.').map(Number);
    return (b1 ?? 0) - (a1 ?? 0) || (b2 ?? 0) - (a2 ?? 0);
}

/** The engine's stderr as the recorder normalises CPython's: only its addresses vary. */
export function engineStderr(stderr: string): string {
    return stderr.replace(/0x[0-9a-fA-F]+/g, '0x…');
}

/** The engine's final directory in the recorder's form (path → text, { base64 }, { dir: true }, null: removed). */
export function recordedFiles(entries: readonly FileEntry[]): Record<string, RecordedFile> {
    const out: Record<string, RecordedFile> = {};
    for (const e of entries) {
        if (e.kind === 'dir') out[e.path] = { dir: true };
        else if (e.kind === 'removed') out[e.path] = null;
        else {
            const data = Buffer.from(e.data!);
            const text = data.toString('utf8');
            out[e.path] = Buffer.from(text, 'utf8').equals(data) ? text : { base64: data.toString('base64') };
        }
    }
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
}
