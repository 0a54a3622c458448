/*
 * traceback.ts
 *
 * Printing exceptions the way PyErr_Print / PyErr_WriteUnraisable do (the conformance suite
 * compares stderr with CPython's, addresses masked).
 */

import type { PyObject } from '../runtime/object';
import { PyException } from '../runtime/instances';
import { PyTraceback } from '../runtime/frames';
import { PyStr } from '../runtime/values';
import type { Interpreter } from './interpreter';
import { str, repr } from './format';
import { sourceWithCarets } from './tracebackCarets';
import { PyRaise, dropRaise } from './signals';
import { OutStreamObject } from '../builtins/modules';
import { writeTo } from '../builtins/functions';
import { exceptionNotes } from '../builtins/exceptions';
import { tracebackFromFrame } from './calls';
import { suggestionTrailer } from './tracebackSuggestions';
import { callUnraisableHook, unraisableHook } from './unraisableHook';

/** Which printer formats a traceback: the C one (PyErr_Display, unraisable) or sys.excepthook's. */
export type TracebackPrinter = 'c' | 'excepthook';

function tracebackLines(it: Interpreter, tb: PyTraceback | null, printer: TracebackPrinter): string {
    let out = '';
    const seen = new Set<PyTraceback>();
    for (let t = tb; t && !seen.has(t); t = t.next) {
        seen.add(t);
        out += tracebackEntry(it, t, printer);
    }
    return out;
}

/** The frame's co_name (the engine keeps the qualified name: `A.f` is printed `f`). */
export function frameCodeName(it: Interpreter, t: PyTraceback): string {
    if (t.stdlib) return t.stdlib.name;
    const name = t.frame?.data.name ?? '?';
    return name.includes('.') && !name.startsWith('<') ? name.split('.').pop()! : name;
}

/** The file a traceback entry names (a standard-library entry's own: interp/stdlibFrames.ts). */
export function entryFile(it: Interpreter, t: PyTraceback): string {
    return t.stdlib?.file ?? t.frame?.data.filename ?? it.fileName;
}

/** One entry: `  File "…", line N, in f` and its source line (with the printer's carets). */
export function tracebackEntry(it: Interpreter, t: PyTraceback, printer: TracebackPrinter): string {
    // A line of standard-library code the engine runs natively (interp/stdlibFrames.ts).
    if (t.stdlib) {
        const carets = t.stdlib.carets && it.profile.tracebackCarets[printer] ? `    ${t.stdlib.carets}\n` : '';
        return `  File "${t.stdlib.file}", line ${t.line}, in ${t.stdlib.name}\n    ${t.stdlib.source}\n` + carets;
    }
    let out = `  File "${t.frame?.data.filename ?? it.fileName}", line ${t.line}, in ${frameCodeName(it, t)}\n`;
    if (it.sourceReadable && sourceLineFits(it)) out += sourceWithCarets(it.sourceLines, t.line, t.node, it.profile.tracebackCarets[printer]);
    return out;
}

/**
 * Showing a source line runs Python code (opening and decoding the file): printed deep in a
 * recursion (a failing `__del__` at the recursion limit), the line is silently left out.
 */
function sourceLineFits(it: Interpreter): boolean {
    return it.depth + it.profile.sourceLineFrames <= it.recursionLimit;
}

/** The last line: `ValueError: message` (or just the type name when the message is empty). */
/**
 * `Type: message`. PyErr_Display leaves out the `: ` when str() of the exception is empty
 * (`TypeError`); the unraisable hook's write_unraisable_exc_file writes it whatever follows
 * (`TypeError: `): `unraisable`.
 */
export function exceptionSummary(it: Interpreter, e: PyObject, unraisable = false): string {
    const t = e.type;
    const qualified = t.isHeap && t.module !== 'builtins' && !(t.module === '__main__' && it.profile.exceptionNameOmitsMain);
    const name = qualified ? `${t.module}.${t.qualname}` : t.isHeap ? t.qualname : t.name;
    let msg: string;
    try {
        msg = str(it, e);
    } catch {
        msg = `<exception str() failed>`;
    }
    return msg || unraisable ? `${name}: ${msg}` : name;
}

/**
 * `Type: message` for the event log, without running Python code (no __str__ is called: the
 * message only when the exception's one argument is a str).
 */
export function exceptionLogLine(e: PyException): string {
    const t = e.type;
    const args = e.unnormalized === 'message' || e.args?.items.length === 1 ? (e.args?.items[0] ?? null) : null;
    const msg = args instanceof PyStr ? args.v : '';
    return msg ? `${t.isHeap ? t.qualname : t.name}: ${msg}` : t.isHeap ? t.qualname : t.name;
}

/**
 * PyErr_Display with the cause/context chain (`suggest`: it is PyErr_Display, not the unraisable
 * hook, so a NameError or AttributeError gets its "Did you mean"). `outer` is a frame's text (`  File …\n    line\n`)
 * printed above the exception's own traceback entries: a caller written in Python that the engine
 * models natively (2.7's Lib/atexit.py).
 */
export function formatException(it: Interpreter, e: PyException, seen = new Set<PyException>(), tb27: PyObject | null = null, outer = '', printer: TracebackPrinter = 'c', suggest = false, unraisable = false): string {
    seen.add(e);
    let out = '';
    if (it.profile.major === 3) {
        const cause = e.cause as PyException | null;
        const ctx = e.context as PyException | null;
        if (cause && !seen.has(cause)) {
            out += formatException(it, cause, seen, null, '', printer, suggest) + '\nThe above exception was the direct cause of the following exception:\n\n';
        } else if (ctx && !e.suppressContext && !seen.has(ctx)) {
            out += formatException(it, ctx, seen, null, '', printer, suggest) + '\nDuring handling of the above exception, another exception occurred:\n\n';
        }
    }
    const tb = (e.traceback ?? tb27) as PyTraceback | null;
    if (tb || outer) out += 'Traceback (most recent call last):\n' + outer + tracebackLines(it, tb, printer);
    // PyErr_Display (not the unraisable hook) adds "Did you mean …?" (3.10+).
    out += exceptionSummary(it, e, unraisable) + (suggest ? suggestionTrailer(it, e) : '') + '\n';
    // 3.11+ print_exception_notes: each note of `__notes__` on its own line(s).
    if (it.T.BaseException.dict.getStr('add_note')) for (const note of exceptionNotes(it, e)) out += note + '\n';
    return out;
}

export interface UnraisableOptions {
    /** The first words of the 3.x header (`Exception ignored in`, `Exception ignored in atexit callback`). */
    what?: string;
    /** 2.7: the traceback that travelled with the raise. */
    tb27?: PyObject | null;
    /** 2.7 `__del__`: the instance; slot_tp_del reports the *bound* method (`<bound method N.__del__ of …>`). */
    boundTo?: PyObject | null;
    /** Write it here even if the program replaced sys.unraisablehook (the hook's own failure). */
    defaultHook?: boolean;
}

/**
 * PyErr_WriteUnraisable for an exception raised in `__del__`, a weakref or a gc callback. It writes
 * to whatever sys.stderr is at that moment, and nothing at all once it is None: 3.x wipes sys before
 * the last collections (a failing `__del__` there is silent), and 2.7's writes to None fail silently.
 * 3.x: `Exception ignored in: <obj>` and the traceback. 2.7: one line,
 * `Exception T: value in <obj> ignored`, value being the repr of the exception instance, or of the
 * bare value C code raised (a message string) when no except clause normalized it.
 */
export function writeUnraisable(it: Interpreter, e: PyException, where: PyObject | null, opts: UnraisableOptions = {}): void {
    if (it.profile.major === 3 && !opts.defaultHook && unraisableHook(it)) {
        if (it.profile.unraisableTracebackFromFrame && !e.traceback) tracebackFromFrame(it, e);
        const errMsg = opts.what && opts.what !== 'Exception ignored in' ? opts.what : null;
        callUnraisableHook(it, e, where, errMsg, (x, hook) => writeUnraisable(it, x, hook, { defaultHook: true, what: 'Exception ignored in sys.unraisablehook' }));
        return;
    }
    const file = it.sysModule.dict.getStr('stderr');
    if (!file || file === it.None) return;
    let text: string;
    if (it.profile.major === 2) {
        const obj = opts.boundTo && where ? `<bound method ${opts.boundTo.type.name}.${(where as { name?: string }).name ?? '__del__'} of ${safeRepr(it, opts.boundTo)}>` : where ? safeRepr(it, where) : 'None';
        text = `Exception ${unraisableType27(e)}${unraisableValue27(it, e)} in ${obj} ignored\n`;
    } else {
        const what = opts.what ?? 'Exception ignored in';
        if (it.profile.unraisableTracebackFromFrame && !e.traceback && !opts.tb27) tracebackFromFrame(it, e);
        text = (where ? `${what}: ${safeRepr(it, where)}\n` : `${what}:\n`) + formatException(it, e, new Set(), opts.tb27 ?? null, '', 'c', false, true);
    }
    if (file instanceof OutStreamObject) {
        file.stream.write(text);
        return;
    }
    try {
        writeTo(it, file, text);
    } catch (x) {
        if (!(x instanceof PyRaise)) throw x;
        dropRaise(it, x);
    }
}

/** 2.7: the class name, module-qualified unless it is a built-in exception (module `exceptions`). */
function unraisableType27(e: PyException): string {
    const t = e.type;
    return t.isHeap && t.module !== 'builtins' && t.module !== 'exceptions' ? `${t.module}.${t.name}` : t.name;
}

/** 2.7: `: repr(value)`, where value is the instance, or for an unnormalized exception its bare C value. */
function unraisableValue27(it: Interpreter, e: PyException): string {
    if (!e.unnormalized) return `: ${safeRepr(it, e)}`;
    const args = e.args?.items ?? [];
    if (args.length === 0) return '';
    return `: ${safeRepr(it, e.unnormalized === 'message' && args.length === 1 ? args[0] : e.args!)}`;
}

function safeRepr(it: Interpreter, o: PyObject): string {
    try {
        return repr(it, o);
    } catch {
        return '<object repr() failed>';
    }
}
