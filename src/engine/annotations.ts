/*
 * annotations.ts
 *
 * The one parser of `# exitscope:` comments. The engine, the extension (profile and step budget of
 * a file) and the conformance recorder (scripts/record-cpython.mjs: which files to create and
 * which options to give CPython) all read scenarios through it.
 *
 *   # exitscope: python=2.7, max-steps=200000        settings (first ANNOTATION_LINES lines only)
 *   # exitscope: file counterfile "41"               a file in the run's directory (io/memdir.ts)
 *   # exitscope: file data.bin b"\x00\xff"           … with bytes
 *   # exitscope: file "my notes.txt" "a\n" "b\n"     … a quoted name; adjacent literals concatenate
 *   # exitscope: file empty.txt                      … empty
 *   # exitscope: dir out                             an empty directory
 *   # exitscope: flags -W default                    interpreter options (-W ACTION, -X dev)
 *   x = Compressor()  # exitscope: c-alloc 4096 "zlib buffer" freed=with     (engine/native.ts)
 *
 * File contents are Python string literals with Python's escapes (decoded by the tokenizer's own
 * decodeStringBody): a str is stored as UTF-8, bytes as they are.
 *
 * Pure: no Node, no `vscode`.
 */

import { tokenize, decodeStringBody, parseStringPrefix } from './parser/tokenizer';
import type { Comment } from './parser/tokens';
import { MAX_STEPS_LIMIT } from './interp/budget';

/** Settings (`python=`, `max-steps=`) are read from the first lines only, so a comment deep in a file cannot change the profile. */
export const ANNOTATION_LINES = 10;

export interface DeclaredFile {
    /** Relative path inside the run's directory, `/`-separated, normalized (no `.`/`..`, no empty parts). */
    path: string;
    data: Uint8Array;
    line: number;
}

export interface DeclaredDir {
    path: string;
    line: number;
}

/** `-W ACTION`: the warnings filter action the command line installs first. */
export type WarningAction = 'default' | 'always' | 'ignore' | 'module' | 'once' | 'error';

export interface InterpreterFlags {
    /** `-W ACTION` (also set by `-X dev`, which means `-W default` plus dev mode). */
    warnings: WarningAction | null;
    /** `-X dev` (Python 3.7+): dev mode. */
    devMode: boolean;
    /** The options exactly as CPython is to be started with them (the recorder passes these). */
    argv: string[];
    /** Line of the `flags` annotation (0: none). */
    line: number;
}

export type NativeFreed = 'never' | 'at-exit' | 'with';

/** `# exitscope: c-alloc SIZE "label" freed=…` (engine/native.ts). */
export interface NativeAnnotation {
    /** Line of the statement the annotation applies to. */
    line: number;
    /** Line of the comment itself. */
    commentLine: number;
    size: number;
    label: string;
    freed: NativeFreed;
}

export interface AnnotationProblem {
    line: number;
    col: number;
    message: string;
    /**
     * 'settings': a problem with `python=`/`max-steps=` (the editor shows it; a run ignores the
     * setting). 'run': the scenario cannot be simulated as written (the engine stops with it).
     */
    scope: 'settings' | 'run';
}

export interface Annotations {
    python?: string;
    maxSteps?: number;
    files: DeclaredFile[];
    dirs: DeclaredDir[];
    flags: InterpreterFlags;
    cAllocs: NativeAnnotation[];
    problems: AnnotationProblem[];
}

const PREFIX_RE = /^exitscope\s*:\s*/i;
const WARNING_ACTIONS: readonly WarningAction[] = ['default', 'always', 'ignore', 'module', 'once', 'error'];

/**
 * Every `# exitscope:` comment of `source`. `comments` (the tokenizer's, which knows a `#` inside
 * a string from a comment) is computed when not given. `profiles`: the valid `python=` values.
 */
export function parseAnnotations(source: string, profiles: readonly string[], comments?: readonly Comment[]): Annotations {
    const out: Annotations = { files: [], dirs: [], flags: { warnings: null, devMode: false, argv: [], line: 0 }, cAllocs: [], problems: [] };
    const lines = source.split(/\r\n|\r|\n/);
    for (const c of comments ?? tokenize(source).comments) {
        const text = c.text.replace(/^#/, '').trim();
        const m = PREFIX_RE.exec(text);
        if (!m) continue;
        const body = text.slice(m[0].length);
        const word = /^[A-Za-z][\w-]*/.exec(body)?.[0]?.toLowerCase() ?? '';
        const rest = body.slice(word.length);
        const problem = (message: string, scope: AnnotationProblem['scope'] = 'run'): void => {
            out.problems.push({ line: c.line, col: c.col, message, scope });
        };
        const wholeLine = (lines[c.line - 1] ?? '').slice(0, Math.max(0, c.col - 1)).trim() === '';
        if (word === 'c-alloc') {
            parseCAlloc(rest, c, lines, out, problem);
        } else if (word === 'file' || word === 'dir' || word === 'flags') {
            if (!wholeLine) {
                problem(`the ${word} annotation takes a line of its own`);
                continue;
            }
            if (word === 'file') parseFile(rest, c.line, out, problem);
            else if (word === 'dir') parseDir(rest, c.line, out, problem);
            else parseFlags(rest, c.line, out, problem);
        } else if (c.line <= ANNOTATION_LINES) {
            parseSettings(body, profiles, out, (msg) => problem(msg, 'settings'));
        } else if (/^[\w-]+\s*=/.test(body)) {
            // Settings further down are ignored, as before (only the header picks a profile).
        } else {
            problem(`unknown exitscope annotation '${word || body}' (use file, dir, flags, c-alloc, or python=/max-steps= in the first ${ANNOTATION_LINES} lines)`);
        }
    }
    checkTree(out);
    return out;
}

function parseSettings(body: string, profiles: readonly string[], out: Annotations, problem: (m: string) => void): void {
    for (const part of body.split(/[,\s]+/).filter(Boolean)) {
        const [rawKey, value = ''] = part.split('=', 2).map((s) => s.trim());
        const key = rawKey.toLowerCase().replace(/_/g, '-');
        if (key === 'python') {
            const v = value.replace(/^(?:python|py|cpython)/i, '');
            if (profiles.includes(v)) out.python = v;
            else problem(`unknown Python version '${value}' (choose one of ${profiles.join(', ')})`);
        } else if (key === 'max-steps') {
            const n = Number(value.replace(/_/g, ''));
            // Bounded like the setting (X4): a file must not buy itself an unbounded run.
            if (Number.isInteger(n) && n > 0 && n <= MAX_STEPS_LIMIT) out.maxSteps = n;
            else problem(`max-steps takes a whole number from 1 to ${MAX_STEPS_LIMIT.toLocaleString('en-US')}, not '${value}'`);
        } else {
            problem(`unknown exitscope setting '${rawKey}' (use python=VERSION or max-steps=N)`);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// file, dir

/** Reads one Python string literal at the start of `s` (after blanks): its value and what follows, or an error. */
function readLiteral(s: string): { value: string | Uint8Array; rest: string } | { error: string } | null {
    const m = /^\s*([A-Za-z]{0,2})('''|"""|'|")/.exec(s);
    if (!m) return null;
    const flags = parseStringPrefix(m[1]);
    if (!flags || flags.format) return { error: `'${m[1]}' is not a string prefix an annotation takes (use "…" or b"…")` };
    const q = m[2];
    const bodyStart = m[0].length;
    let p = bodyStart;
    for (;;) {
        if (p >= s.length) return { error: `unterminated string ${q}…` };
        if (!flags.raw && s[p] === '\\') {
            p += 2;
            continue;
        }
        if (s.startsWith(q, p)) break;
        p++;
    }
    let error: string | null = null;
    const value = decodeStringBody(s, bodyStart, p, flags, (message) => {
        error ??= message;
    });
    if (error) return { error };
    return { value, rest: s.slice(p + q.length) };
}

/** `a/./b//c` → `a/b/c`; null when the path is absolute, empty, or leaves the directory. */
export function normalizeDeclaredPath(p: string): string | null {
    if (p.startsWith('/') || p.includes('\0')) return null;
    const parts: string[] = [];
    for (const part of p.split('/')) {
        if (part === '' || part === '.') continue;
        if (part === '..') return null;
        parts.push(part);
    }
    return parts.length ? parts.join('/') : null;
}

function readName(rest: string, what: string, problem: (m: string) => void): { name: string; rest: string } | null {
    const lit = readLiteral(rest);
    let raw: string;
    if (lit && 'error' in lit) {
        problem(`${what}: ${lit.error}`);
        return null;
    } else if (lit) {
        if (typeof lit.value !== 'string') {
            problem(`${what}: the name is a str, not bytes`);
            return null;
        }
        raw = lit.value;
        rest = lit.rest;
    } else {
        const m = /^\s*(\S+)/.exec(rest);
        if (!m) {
            problem(`${what}: missing name (expected: # exitscope: ${what} NAME${what === 'file' ? ' "content"' : ''})`);
            return null;
        }
        raw = m[1];
        rest = rest.slice(m[0].length);
    }
    const name = normalizeDeclaredPath(raw);
    if (name === null) {
        problem(`${what}: '${raw}' is not a path inside the scenario's directory (a relative path without '..')`);
        return null;
    }
    return { name, rest };
}

function parseFile(rest: string, line: number, out: Annotations, problem: (m: string) => void): void {
    const n = readName(rest, 'file', problem);
    if (!n) return;
    const chunks: Uint8Array[] = [];
    let kind: 'str' | 'bytes' | null = null;
    let s = n.rest;
    for (;;) {
        const lit = readLiteral(s);
        if (lit === null) break;
        if ('error' in lit) {
            problem(`file ${n.name}: ${lit.error}`);
            return;
        }
        const k = typeof lit.value === 'string' ? 'str' : 'bytes';
        if (kind && kind !== k) {
            problem(`file ${n.name}: cannot mix str and bytes literals`);
            return;
        }
        kind = k;
        chunks.push(typeof lit.value === 'string' ? new TextEncoder().encode(lit.value) : lit.value);
        s = lit.rest;
    }
    if (s.trim() !== '') {
        problem(`file ${n.name}: the content is a Python string literal ("…" or b"…"), not '${s.trim()}'`);
        return;
    }
    const size = chunks.reduce((a, c) => a + c.length, 0);
    const data = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
        data.set(c, at);
        at += c.length;
    }
    out.files.push({ path: n.name, data, line });
}

function parseDir(rest: string, line: number, out: Annotations, problem: (m: string) => void): void {
    const n = readName(rest, 'dir', problem);
    if (!n) return;
    if (n.rest.trim() !== '') {
        problem(`dir ${n.name}: unexpected '${n.rest.trim()}' (a directory has no content; declare its files with # exitscope: file ${n.name}/NAME "…")`);
        return;
    }
    out.dirs.push({ path: n.name, line });
}

/** Two declarations of one path, or a file where a directory is needed, are errors. */
function checkTree(out: Annotations): void {
    const kinds = new Map<string, 'file' | 'dir'>();
    const bad = (line: number, message: string): void => {
        out.problems.push({ line, col: 1, message, scope: 'run' });
    };
    const declare = (path: string, kind: 'file' | 'dir', line: number): void => {
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) {
            const parent = parts.slice(0, i).join('/');
            if (kinds.get(parent) === 'file') return bad(line, `${kind} ${path}: ${parent} is declared as a file`);
            kinds.set(parent, 'dir');
        }
        const had = kinds.get(path);
        if (had === 'file' || (had === 'dir' && kind === 'file')) return bad(line, `${kind} ${path}: declared twice`);
        kinds.set(path, kind);
    };
    for (const d of out.dirs) declare(d.path, 'dir', d.line);
    for (const f of out.files) declare(f.path, 'file', f.line);
}

// ------------------------------------------------------------------------------------------------
// flags

function parseFlags(rest: string, line: number, out: Annotations, problem: (m: string) => void): void {
    const words = rest.trim().split(/\s+/).filter(Boolean);
    if (out.flags.line) {
        problem(`flags: given twice (lines ${out.flags.line} and ${line}); put every option in one annotation`);
        return;
    }
    if (!words.length) {
        problem('flags: no options (expected: # exitscope: flags -W default, or -X dev)');
        return;
    }
    const f: InterpreterFlags = { warnings: null, devMode: false, argv: [], line };
    for (let i = 0; i < words.length; i++) {
        const w = words[i];
        const opt = /^-([WX])(.*)$/.exec(w);
        const value = opt ? (opt[2] !== '' ? opt[2] : words[++i]) : undefined;
        if (opt && value === undefined) {
            problem(`flags: ${w} needs a value`);
            return;
        }
        if (opt?.[1] === 'W') {
            const action = WARNING_ACTIONS.find((a) => a === value || (value!.length > 0 && a.startsWith(value!) && !value!.includes(':')));
            if (!action) {
                problem(`flags: not supported in scenarios yet: -W ${value} (one of ${WARNING_ACTIONS.join(', ')})`);
                return;
            }
            if (action === 'error') {
                problem('flags: not supported in scenarios yet: -W error');
                return;
            }
            if (f.warnings) {
                problem('flags: one -W option at most');
                return;
            }
            f.warnings = action;
            f.argv.push('-W', action);
        } else if (opt?.[1] === 'X') {
            if (value !== 'dev') {
                problem(`flags: not supported in scenarios yet: -X ${value}`);
                return;
            }
            f.devMode = true;
            f.argv.push('-X', 'dev');
        } else {
            problem(`flags: not supported in scenarios yet: ${w} (supported: -W ACTION, -X dev)`);
            return;
        }
    }
    // -X dev installs `default::Warning` unless -W says otherwise (Python/initconfig.c).
    if (f.devMode && !f.warnings) f.warnings = 'default';
    out.flags = f;
}

// ------------------------------------------------------------------------------------------------
// c-alloc

function parseCAlloc(rest: string, c: Comment, lines: string[], out: Annotations, problem: (m: string) => void): void {
    const sm = /^\s*(\d+)\s*([KkMm](?:i?B)?)?/.exec(rest);
    const lm = /"([^"]*)"/.exec(rest);
    const fm = /\bfreed\s*=\s*([\w-]+)/.exec(rest);
    const bad = (msg: string): void => problem(`c-alloc annotation: ${msg} (expected: # exitscope: c-alloc SIZE "label" freed=never|at-exit|with)`);
    if (!sm) return bad('missing size');
    let size = Number(sm[1]);
    const unit = (sm[2] ?? '').toUpperCase()[0];
    if (unit === 'K') size *= 1024;
    else if (unit === 'M') size *= 1024 * 1024;
    const freed = (fm?.[1] ?? 'never') as NativeFreed;
    if (freed !== 'never' && freed !== 'at-exit' && freed !== 'with') return bad(`unknown freed=${fm?.[1]}`);
    // A comment alone on its line applies to the next line that holds code.
    let line = c.line;
    const before = (lines[c.line - 1] ?? '').slice(0, Math.max(0, c.col - 1));
    if (before.trim() === '') {
        line = c.line + 1;
        while (line <= lines.length && /^\s*(#.*)?$/.test(lines[line - 1] ?? '')) line++;
    }
    out.cAllocs.push({ line, commentLine: c.line, size, label: lm?.[1] ?? 'native block', freed });
}

// ------------------------------------------------------------------------------------------------

/**
 * Does a scenario use the file system (so that the recorder runs it in a fresh directory and
 * records the directory's final contents)? Declared files or flags, or any call that could open,
 * list or change files.
 */
export function usesFiles(source: string, a: Annotations): boolean {
    if (a.files.length || a.dirs.length) return true;
    return /\b(?:open|file)\s*\(|\bos\s*\.\s*(?:path|remove|unlink|rename|replace|listdir|getcwd|getcwdu|mkdir|makedirs|rmdir|stat)\b|\bimport\s+io\b|\bfrom\s+os\b/.test(source);
}
