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
import type { LostCause } from '../engine/io/state';
import type { PhaseRec } from './decode';
import { FINDING_KINDS, lowerFirst } from './explain';
import type { Finding, ObjectReport, VersionDiff } from './types';

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
    /** Why (engine/io/state.ts LostCause), and the same in words. */
    cause: LostCause;
    reason: string;
    /** The object whose buffer held the bytes. */
    id: number;
}

/** LostCause in words (the report's `reason`). */
const LOST_REASONS: Record<LostCause, string> = {
    'os-exit': 'os._exit() ends the process without flushing',
    'never-freed': 'the file object was never freed, so nothing flushed it',
    'closed-under-it': 'the file below it was closed first, so its close() wrote nothing',
    'freed-unflushed': 'freed with the buffer never written',
};

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
        const [path, cause] = k === EventKind.FileLost ? (s.split('\u0000') as [string, LostCause]) : [s, null];
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
            if (f.lost.length < MAX_RECORDS) f.lost.push({ ...rec, cause: cause!, reason: LOST_REASONS[cause!] ?? cause!, id: log.a[i] });
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

// ------------------------------------------------------------------------------------------------
// "Why was my file never flushed?"

/**
 * One `file-unflushed/<cause>` finding per buffer that lost bytes: which file, which object held
 * them (and where it was opened), the mechanism that kept them from the file (derived from the
 * loss's cause and the holder's own fate: its death, the collection that finalized its FileIO
 * first, or why it survived), and what the file holds at the end.
 */
export function fileFindings(section: FilesSection, objects: readonly ObjectReport[]): Finding[] {
    const lost = section.files.flatMap((f) => f.lost.map((l) => ({ file: f, l })));
    if (!lost.length) return [];
    const byId = new Map<number, ObjectReport>();
    const ids = new Set(lost.map((x) => x.l.id));
    for (const o of objects) if (ids.has(o.id) || o.type === 'FileIO') byId.set(o.id, o);
    const out: Finding[] = [];
    for (const { file, l } of lost) {
        const holder = byId.get(l.id);
        const kind = FINDING_KINDS[`file-unflushed/${l.cause}`];
        if (!kind) continue;
        const who = holder ? `${holder.label} (${holder.type}, opened at line ${holder.allocLine})` : l.by;
        const left = !file.present ? `'${file.path}' is gone at the end` : file.bytes ? `'${file.path}' ends with ${plural(file.bytes, 'byte')}${file.text !== undefined && file.text.length <= 60 ? ` ${JSON.stringify(file.text)}` : ''}` : `'${file.path}' ends empty`;
        const related: Finding['related'] = [];
        let why: string;
        switch (l.cause) {
            case 'os-exit':
                why = `os._exit()${l.line ? ` at line ${l.line}` : ''} ended the process while they were still in its buffer: no close(), no finalizer, no flush ran`;
                if (l.line) related.push({ line: l.line, column: 1, message: 'os._exit() ends the process here' });
                break;
            case 'never-freed': {
                const sk = holder?.survivorReason ? FINDING_KINDS[`survives-exit/${holder.survivorReason}`] : undefined;
                why = `${holder?.label ?? 'the file object'} is never freed${sk ? ` (${lowerFirst(sk.explanation.title)})` : ''}, so neither its close() nor its finalizer runs, and a Python 3 file object has no exit-time flush (2.7's C stdio buffers are flushed by exit())`;
                break;
            }
            case 'closed-under-it': {
                const raw = holder ? rawBelow(holder, byId) : null;
                const fin = raw?.finalizers[0];
                if (raw && fin) {
                    const when = fin.phase === 'running' ? `at line ${fin.line}` : `during shutdown (${fin.phase})`;
                    why = `the collection ${when} found it, with its FileIO ${raw.label}, in cyclic garbage and finalized the FileIO first (the collector walks its list in creation order, and the FileIO was created first): that closed the file, so ${holder!.label}'s finalizer then saw a closed file and wrote nothing`;
                    if (fin.line) related.push({ line: fin.line, column: fin.column || 1, message: `the collection that finalized ${raw.label} first` });
                    related.push({ line: raw.allocLine, column: raw.allocColumn, message: `${raw.label} (FileIO) created here` });
                } else {
                    why = `the file below it was closed first, so its close() saw a closed file and wrote nothing`;
                }
                if (holder?.survivesExit) why += `; ${holder.label} itself is never freed`;
                break;
            }
            default:
                why = `${holder?.label ?? 'the file object'} was freed with them still in its buffer`;
        }
        out.push({
            kind: kind.id,
            severity: kind.severity,
            message: `${plural(l.bytes, 'byte')} written to '${file.path}' through ${who} never reached the file: ${why}. ${left}.`,
            line: holder?.allocLine ?? l.line,
            column: holder?.allocColumn ?? 1,
            objects: holder ? [holder.id] : [],
            objectCount: holder ? 1 : 0,
            related,
            explanation: kind.explanation,
        });
    }
    return out;
}

/** The FileIO under a buffered or text object: the last one created at the same place before it (open() creates it first). */
function rawBelow(holder: ObjectReport, byId: ReadonlyMap<number, ObjectReport>): ObjectReport | null {
    let best: ObjectReport | null = null;
    for (const o of byId.values()) {
        if (o.type !== 'FileIO' || o.id > holder.id || o.allocLine !== holder.allocLine || o.allocColumn !== holder.allocColumn) continue;
        if (!best || o.id > best.id) best = o;
    }
    return best;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The versions note of the file findings, from simulating the other profiles (VersionDiff.files):
 * what each file holds there when it differs.
 */
export function fileVersionsNote(path: string, versions: readonly VersionDiff[]): string | null {
    const notes: string[] = [];
    for (const v of versions) {
        const d = v.files?.find((f) => f.path === path);
        if (!d) continue;
        notes.push(d.otherBytes === null ? `${v.profile}: '${path}' does not exist` : `${v.profile}: '${path}' ends with ${plural(d.otherBytes, 'byte')}${d.otherText !== undefined && d.otherText.length <= 60 ? ` ${JSON.stringify(d.otherText)}` : ''}`);
    }
    return notes.length ? `Simulated: ${notes.join('; ')}.` : null;
}

/** Files whose final content differs between two runs (explainOnOtherVersions). */
export function fileDifferences(mine: FilesSection | undefined, theirs: FilesSection | undefined): NonNullable<VersionDiff['files']> {
    const out: NonNullable<VersionDiff['files']> = [];
    const content = (f: FileReport | undefined): string | null => (f && f.present && f.kind === 'file' ? (f.text ?? f.base64 ?? '') : null);
    const other = new Map((theirs?.files ?? []).map((f) => [f.path, f]));
    const paths = new Set([...(mine?.files ?? []).map((f) => f.path), ...other.keys()]);
    const here = new Map((mine?.files ?? []).map((f) => [f.path, f]));
    for (const p of [...paths].sort()) {
        const a = here.get(p);
        const b = other.get(p);
        if (content(a) === content(b)) continue;
        out.push({ path: p, bytes: a && a.present ? (a.bytes ?? 0) : null, otherBytes: b && b.present ? (b.bytes ?? 0) : null, ...(b?.text !== undefined ? { otherText: b.text } : {}) });
    }
    return out;
}
