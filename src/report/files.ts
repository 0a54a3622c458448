/*
 * files.ts
 *
 * The report's `files` section: the run's directory (engine/io/memdir.ts) file by file: what the
 * scenario declared, what the program wrote there and when (FileWrite events: the line and the
 * phase, so a write made by a finalizer at shutdown shows as such), what never reached the file
 * and why (FileLost events: buffered bytes left behind by os._exit, by an object never freed, or by
 * a buffer freed after its file was closed under it in a collection), and the final contents
 * (SimulationResult.files). Null when the run did not touch the directory.
 */

import { EventKind, eventString, type EventLogData } from '../engine/events';
import type { FileEntry } from '../engine/api';
import { parseAnnotations } from '../engine/annotations';
import { SCENARIO_DIR } from '../engine/io/memdir';
import type { PhaseRec } from './decode';
import type { ObjectReport } from './types';

/** Final contents longer than this are cut in the report (the JSON result keeps sizes). */
const PREVIEW_CHARS = 2000;
/** Write and loss records listed per file (the totals count all). */
const MAX_RECORDS = 50;

export interface FileDataRecord {
    line: number;
    phase: string;
    bytes: number;
    /** The object whose write(2) or whose buffer it was (its label, or its type). */
    by: string;
}

export interface FileLossRecord extends FileDataRecord {
    reason: string;
}

export interface FileReport {
    /** Relative to the run's directory. */
    path: string;
    kind: 'file' | 'dir';
    /** 'declared' by a `# exitscope: file|dir` annotation, or 'created' by the run. */
    origin: 'declared' | 'created';
    declaredBytes?: number;
    /** Is it there at the end (false: removed or renamed away)? */
    present: boolean;
    /** Final size (files that are present). */
    bytes?: number;
    /** The final content as text when it is utf-8 (cut to PREVIEW_CHARS), else base64. */
    text?: string;
    base64?: string;
    truncated?: boolean;
    writtenBytes: number;
    lostBytes: number;
    writes: FileDataRecord[];
    lost: FileLossRecord[];
}

export interface FilesSection {
    /** os.getcwd() of every run. */
    directory: string;
    files: FileReport[];
    writtenBytes: number;
    lostBytes: number;
}

export function filesSection(source: string, log: EventLogData, phases: readonly PhaseRec[], objects: readonly ObjectReport[], final: readonly FileEntry[] | undefined): FilesSection | null {
    const ann = parseAnnotations(source, []);
    const hasEvents = log.kind.includes(EventKind.FileWrite) || log.kind.includes(EventKind.FileLost);
    if (!ann.files.length && !ann.dirs.length && !hasEvents && !(final && final.length)) return null;
    const byPath = new Map<string, FileReport>();
    const get = (path: string, kind: 'file' | 'dir' = 'file'): FileReport => {
        let f = byPath.get(path);
        if (!f) {
            f = { path, kind, origin: 'created', present: false, writtenBytes: 0, lostBytes: 0, writes: [], lost: [] };
            byPath.set(path, f);
        }
        return f;
    };
    for (const d of ann.dirs) get(d.path, 'dir').origin = 'declared';
    for (const f of ann.files) {
        const r = get(f.path);
        r.origin = 'declared';
        r.declaredBytes = f.data.length;
    }
    const labels = new Map<number, string>();
    for (const o of objects) labels.set(o.id, o.label);
    let phase = 0;
    for (let i = 0; i < log.kind.length; i++) {
        const k = log.kind[i];
        if (k !== EventKind.FileWrite && k !== EventKind.FileLost) continue;
        while (phase + 1 < phases.length && phases[phase + 1].start <= i) phase++;
        const s = eventString(log, i) ?? '';
        const [path, reason] = k === EventKind.FileLost ? s.split('\u0000') : [s, ''];
        const rec: FileDataRecord = { line: log.line[i], phase: phases[phase]?.phase ?? 'running', bytes: log.b[i], by: labels.get(log.a[i]) ?? `object #${log.a[i]}` };
        const f = get(path);
        if (k === EventKind.FileWrite) {
            f.writtenBytes += rec.bytes;
            const last = f.writes[f.writes.length - 1];
            // Consecutive writes from one line, phase and object are one record.
            if (last && last.line === rec.line && last.phase === rec.phase && last.by === rec.by) last.bytes += rec.bytes;
            else if (f.writes.length < MAX_RECORDS) f.writes.push(rec);
        } else {
            f.lostBytes += rec.bytes;
            if (f.lost.length < MAX_RECORDS) f.lost.push({ ...rec, reason });
        }
    }
    for (const e of final ?? []) {
        if (e.kind === 'removed') continue;
        const f = get(e.path, e.kind);
        f.kind = e.kind;
        f.present = true;
        if (e.kind === 'file') fillContent(f, e.data!);
    }
    const files = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
    return {
        directory: SCENARIO_DIR,
        files,
        writtenBytes: files.reduce((n, f) => n + f.writtenBytes, 0),
        lostBytes: files.reduce((n, f) => n + f.lostBytes, 0),
    };
}

function fillContent(f: FileReport, data: Uint8Array): void {
    f.bytes = data.length;
    let text: string | null;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
        text = null;
    }
    if (text === null) {
        const cut = data.subarray(0, PREVIEW_CHARS);
        f.base64 = btoa(String.fromCharCode(...cut));
        if (cut.length < data.length) f.truncated = true;
        return;
    }
    f.text = text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text;
    if (text.length > PREVIEW_CHARS) f.truncated = true;
}
