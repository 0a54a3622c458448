/*
 * tracebackModule.ts
 *
 * The `traceback` module (Lib/traceback.py, pure Python): printing and formatting the handled
 * exception or a given one, and extracting a traceback's entries. 3.x builds a
 * TracebackException (the chain through `__cause__`/`__context__`, each part cut to `limit`
 * entries, a run of more than three identical entries collapsed into `[Previous line repeated N
 * more times]`, the type named `module.qualname` unless it is `builtins` or `__main__`, 3.12+
 * the "Did you mean" of a NameError/AttributeError, 3.11+ the notes); the entries are printed as
 * sys.excepthook's printer prints them (interp/traceback.ts: 3.11+ carets). 2.7's walks the
 * traceback itself: no chain, `limit` counts from the top only, the type's bare `__name__`,
 * extract_tb gives 4-tuples. What these functions allocate internally (TracebackException,
 * FrameSummary objects, linecache's cache of the file's lines) is not modelled as objects; what
 * they return is (a str, a list of str, a StackSummary of FrameSummary objects).
 * A SyntaxError's special format is refused.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import { PyException } from '../runtime/instances';
import { PyTraceback, type PyModule } from '../runtime/frames';
import type { PyType } from '../runtime/types';
import { PyList } from '../runtime/containers';
import { PyBuiltin, type KwArgs } from '../runtime/callables';
import { PyExtObject } from '../runtime/extobject';
import { PyInt } from '../runtime/values';
import type { Interpreter } from '../interp/interpreter';
import { str } from '../interp/format';
import { truthy, getIter } from '../interp/ops';
import { getItem } from '../interp/items';
import { PyRaise, EngineStop, dropRaise } from '../interp/signals';
import { getAttr } from '../interp/attrs';
import { call } from '../interp/calls';
import { tracebackEntry, frameCodeName, entryFile } from '../interp/traceback';
import { suggestionTrailer } from '../interp/tracebackSuggestions';
import { exceptionNotes } from '../builtins/exceptions';
import { writeTo } from '../builtins/functions';
import { setModuleAttr } from '../builtins/modules';
import { stdType, recordedIn, pyFunctionType } from './stdTypes';

function refuse(it: Interpreter, what: string): never {
    throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line: it.line || 1, col: it.col || 1 });
}

/**
 * Binds a Python function's parameters (positional-or-keyword `params`, then keyword-only `kwOnly`);
 * a call CPython would reject is refused rather than given an approximate TypeError.
 */
function bind(it: Interpreter, fname: string, args: PyObject[], kwargs: KwArgs, params: string[], required: number, kwOnly: string[] = []): Map<string, PyObject> {
    const out = new Map<string, PyObject>();
    if (args.length > params.length) refuse(it, `traceback.${fname}() with ${args.length} positional arguments`);
    args.forEach((a, i) => out.set(params[i]!, a));
    for (const [k, v] of kwargs ?? []) {
        if ((!params.includes(k) && !kwOnly.includes(k)) || out.has(k)) refuse(it, `traceback.${fname}() with the keyword argument '${k}'`);
        out.set(k, v);
    }
    for (let i = 0; i < required; i++) if (!out.has(params[i]!)) refuse(it, `traceback.${fname}() without '${params[i]}'`);
    return out;
}

/** The exception being handled and its traceback (sys.exc_info()[1:]). */
function handled(it: Interpreter): [PyObject, PyObject] {
    const cur = it.handled[it.handled.length - 1];
    if (!cur) return [it.None, it.None];
    return [cur, cur.traceback ?? it.handledTbs[it.handledTbs.length - 1] ?? it.None];
}

/** The entries of a traceback (tb_next order), cut to `limit` as extract_tb / StackSummary.extract do. */
function entries(it: Interpreter, tb: PyObject | null, limitArg: PyObject | null): PyTraceback[] {
    const all: PyTraceback[] = [];
    const seen = new Set<PyTraceback>();
    for (let t = tb instanceof PyTraceback ? tb : null; t && !seen.has(t); t = t.next) {
        seen.add(t);
        all.push(t);
    }
    let limit: number | null = null;
    const given = limitArg && limitArg !== it.None ? limitArg : (it.sysModule.dict.getStr('tracebacklimit') ?? null);
    if (given) {
        if (!(given instanceof PyInt)) refuse(it, 'a traceback limit that is not an int');
        limit = Number((given as PyInt).v);
        // StackSummary.extract: sys.tracebacklimit below 0 means 0 (a given negative limit keeps the last entries).
        if (!limitArg || limitArg === it.None) limit = Math.max(0, limit);
    }
    if (limit === null) return all;
    // 2.7 counts from the top only: a negative limit prints nothing.
    if (it.profile.major === 2) return all.slice(0, Math.max(0, limit));
    return limit >= 0 ? all.slice(0, limit) : all.slice(Math.max(0, all.length + limit));
}

/** StackSummary.format (3.x): more than three identical entries in a row are collapsed. */
function formatEntries(it: Interpreter, tbs: PyTraceback[]): string[] {
    const out: string[] = [];
    if (it.profile.major === 2) {
        for (const t of tbs) out.push(tracebackEntry(it, t, 'excepthook'));
        return out;
    }
    let last: string | null = null;
    let count = 0;
    const flush = (): void => {
        if (count > 3) {
            const n = count - 3;
            out.push(`  [Previous line repeated ${n} more time${n > 1 ? 's' : ''}]\n`);
        }
    };
    for (const t of tbs) {
        const key = `${entryFile(it, t)}\0${t.line}\0${frameCodeName(it, t)}`;
        if (key !== last) {
            flush();
            last = key;
            count = 0;
        }
        count++;
        if (count > 3) continue;
        out.push(tracebackEntry(it, t, 'excepthook'));
    }
    flush();
    return out;
}

/** `str(value)`, or what _some_str / _safe_string put in its place when it raises. */
function valueText(it: Interpreter, value: PyObject): string {
    try {
        return str(it, value);
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        dropRaise(it, e);
        return it.profile.major === 3 && it.profile.minor >= 11 ? '<exception str() failed>' : `<unprintable ${value.type.name} object>`;
    }
}

/** format_exception_only: the last line(s), `Type: message` (3.11+: and the notes). */
function exceptionOnly(it: Interpreter, value: PyObject): string[] {
    const t = value.type;
    if (value instanceof PyException && t.isSubtypeOf(it.T.SyntaxError)) refuse(it, "the traceback module's format of a SyntaxError");
    if (it.profile.major === 2) {
        if (value === it.None) return ['None\n'];
        const text = valueText(it, value);
        return [text ? `${t.name}: ${text}\n` : `${t.name}\n`];
    }
    const qual = t.isHeap ? t.qualname : t.name;
    const name = t.module !== 'builtins' && t.module !== '__main__' ? `${t.module}.${qual}` : qual;
    let text = valueText(it, value);
    // 3.12+: TracebackException computes the suggestion itself (3.10/3.11 only the C printer did).
    if (it.profile.minor >= 12 && value instanceof PyException) text += suggestionTrailer(it, value);
    const lines = [text ? `${name}: ${text}\n` : `${name}\n`];
    if (value instanceof PyException && it.T.BaseException.dict.getStr('add_note')) for (const note of exceptionNotes(it, value)) lines.push(note + '\n');
    return lines;
}

const CAUSE = '\nThe above exception was the direct cause of the following exception:\n\n';
const CONTEXT = '\nDuring handling of the above exception, another exception occurred:\n\n';

/** TracebackException(type(value), value, tb, limit).format(chain): the lines print_exception prints. */
function formatException(it: Interpreter, value: PyObject, tb: PyObject | null, limit: PyObject | null, chain: boolean, seen = new Set<PyObject>()): string[] {
    seen.add(value);
    const out: string[] = [];
    if (it.profile.major === 3 && chain && value instanceof PyException) {
        const cause = value.cause;
        const ctx = value.context;
        if (cause && cause !== it.None && !seen.has(cause)) {
            out.push(...formatException(it, cause, (cause as PyException).traceback, limit, chain, seen), CAUSE);
        } else if (ctx && ctx !== it.None && !seen.has(ctx) && !value.suppressContext) {
            out.push(...formatException(it, ctx, (ctx as PyException).traceback, limit, chain, seen), CONTEXT);
        }
    }
    const stack = formatEntries(it, entries(it, tb, limit));
    // 3.x prints the header only above a non-empty stack; 2.7 whenever there is a traceback.
    if (it.profile.major === 2 ? tb instanceof PyTraceback : stack.length) out.push('Traceback (most recent call last):\n', ...stack);
    out.push(...exceptionOnly(it, value));
    return out;
}

/** print_exception / format_exception's (value, tb) per version's signature, and the rest of the arguments. */
function exceptionArgs(it: Interpreter, fname: string, args: PyObject[], kwargs: KwArgs, withFile: boolean): { value: PyObject; tb: PyObject | null; a: Map<string, PyObject> } {
    const rest = withFile ? ['limit', 'file', 'chain'] : ['limit', 'chain'];
    if (it.profile.major === 3 && it.profile.minor >= 10) {
        // (exc, /, value=_sentinel, tb=_sentinel, limit=None, …): exc alone stands for its own traceback.
        const a = bind(it, fname, args, kwargs, ['exc', 'value', 'tb', ...rest], 1);
        const hasValue = a.has('value');
        if (hasValue !== a.has('tb')) refuse(it, `traceback.${fname}() with only one of value and tb`);
        if (!hasValue) {
            const exc = a.get('exc')!;
            return { value: exc, tb: exc instanceof PyException ? exc.traceback : null, a };
        }
        return { value: a.get('value')!, tb: a.get('tb')!, a };
    }
    const a = bind(it, fname, args, kwargs, ['etype', 'value', 'tb', ...rest], 3);
    return { value: a.get('value')!, tb: a.get('tb')!, a };
}

function chainOf(it: Interpreter, a: Map<string, PyObject>): boolean {
    const c = a.get('chain');
    return c ? truthy(it, c) : true;
}

/** print(line, file=file, end="") for each line (3.x: two writes each), or 2.7's file.write(line). */
function printLines(it: Interpreter, lines: string[], file: PyObject | null | undefined): void {
    const target = file && file !== it.None ? file : it.sysModule.dict.getStr('stderr');
    if (!target) refuse(it, 'the traceback module without sys.stderr');
    for (const line of lines) writeTo(it, target, line, it.profile.major === 2 ? 1 : 2);
}

/** A FrameSummary (3.x): a filename, line number, function name and source line. */
class PyFrameSummary extends PyExtObject {
    constructor(
        type: PyType,
        public filename: string,
        public lineno: number,
        public name: string,
        public line: string,
    ) {
        super(type);
    }
    override traverse(_visit: Visit): void {}
    override clear(_r: Refs): void {}
}

export function createTracebackModule(it: Interpreter): PyModule {
    const m = it.newModule('traceback');
    const py2 = it.profile.major === 2;
    const sourceLine = (t: PyTraceback): string => t.stdlib?.source ?? (it.sourceLines[t.line - 1] ?? '').trim();
    const fs = (self: PyObject): PyFrameSummary => self as PyFrameSummary;
    const frameSummary = py2
        ? null
        : stdType(it, {
              name: 'FrameSummary',
              module: 'traceback',
              members: {
                  filename: (self) => it.str(fs(self).filename),
                  lineno: (self) => it.int(fs(self).lineno),
                  name: (self) => it.str(fs(self).name),
                  line: (self) => it.str(fs(self).line),
                  locals: () => it.None,
              },
              repr: (self) => `<FrameSummary file ${fs(self).filename}, line ${fs(self).lineno} in ${fs(self).name}>`,
          });
    if (frameSummary) {
        const tupleOf = (o: PyObject): PyObject => it.tuple([it.str(fs(o).filename), it.int(fs(o).lineno), it.str(fs(o).name), it.str(fs(o).line)]);
        frameSummary.extSlots = {
            length: () => 4,
            iter: (o) => {
                const t = tupleOf(o);
                try {
                    return getIter(it, t);
                } finally {
                    it.decref(t);
                }
            },
            getItem: (o, key) => {
                const t = tupleOf(o);
                try {
                    return getItem(it, t, key);
                } finally {
                    it.decref(t);
                }
            },
        };
    }
    const stackSummary = py2 ? null : stdType(it, { name: 'StackSummary', module: 'traceback', base: it.T.list });

    /** extract_tb: a StackSummary of FrameSummary objects (2.7: a list of 4-tuples). */
    const extract = (tb: PyObject, limit: PyObject | null): PyObject => {
        const items = entries(it, tb, limit).map((t): PyObject => {
            const file = entryFile(it, t);
            const name = frameCodeName(it, t);
            const line = sourceLine(t);
            if (py2) return it.tuple([it.str(file), it.int(t.line), it.str(name), line ? it.str(line) : it.incref(it.None)]);
            return it.heap.register(new PyFrameSummary(frameSummary!, file, t.line, name, line));
        });
        if (py2) return it.list(items);
        const l = it.heap.register(new PyList(stackSummary!, items));
        items.forEach((x, i) => it.heap.adopt(l, x, `[${i}]`));
        return l;
    };

    const fns: Record<string, (args: PyObject[], kwargs: KwArgs) => PyObject> = {
        print_exc: (args, kwargs) => {
            const a = bind(it, 'print_exc', args, kwargs, ['limit', 'file', 'chain'], 0);
            const [value, tb] = handled(it);
            printLines(it, formatException(it, value, tb, a.get('limit') ?? null, chainOf(it, a)), a.get('file'));
            return it.None;
        },
        format_exc: (args, kwargs) => {
            const a = bind(it, 'format_exc', args, kwargs, ['limit', 'chain'], 0);
            const [value, tb] = handled(it);
            return it.str(formatException(it, value, tb, a.get('limit') ?? null, chainOf(it, a)).join(''));
        },
        print_exception: (args, kwargs) => {
            const { value, tb, a } = exceptionArgs(it, 'print_exception', args, kwargs, true);
            printLines(it, formatException(it, value, tb, a.get('limit') ?? null, chainOf(it, a)), a.get('file'));
            return it.None;
        },
        format_exception: (args, kwargs) => {
            const { value, tb, a } = exceptionArgs(it, 'format_exception', args, kwargs, false);
            return it.list(formatException(it, value, tb, a.get('limit') ?? null, chainOf(it, a)).map((s) => it.str(s)));
        },
        format_exception_only: (args, kwargs) => {
            const a = bind(it, 'format_exception_only', args, kwargs, py2 || it.profile.minor < 10 ? ['etype', 'value'] : ['exc', 'value'], py2 || it.profile.minor < 10 ? 2 : 1);
            return it.list(exceptionOnly(it, a.get('value') ?? a.get('exc')!).map((s) => it.str(s)));
        },
        print_tb: (args, kwargs) => {
            const a = bind(it, 'print_tb', args, kwargs, ['tb', 'limit', 'file'], 1);
            printLines(it, formatEntries(it, entries(it, a.get('tb')!, a.get('limit') ?? null)), a.get('file'));
            return it.None;
        },
        format_tb: (args, kwargs) => {
            const a = bind(it, 'format_tb', args, kwargs, ['tb', 'limit'], 1);
            return it.list(formatEntries(it, entries(it, a.get('tb')!, a.get('limit') ?? null)).map((s) => it.str(s)));
        },
        extract_tb: (args, kwargs) => {
            const a = bind(it, 'extract_tb', args, kwargs, ['tb', 'limit'], 1);
            return extract(a.get('tb')!, a.get('limit') ?? null);
        },
        clear_frames: (args, kwargs) => {
            // tb.tb_frame.clear() for each entry, a RuntimeError (a frame still executing) ignored.
            const a = bind(it, 'clear_frames', args, kwargs, ['tb'], 1);
            for (const t of entries(it, a.get('tb')!, null)) {
                if (t.stdlib?.holds.length) {
                    // A standard-library frame the engine runs natively: clearing it drops its locals.
                    const holds = t.stdlib.holds;
                    t.stdlib.holds = [];
                    for (const o of holds) it.heap.release(t, o, `(${t.stdlib.name} frame)`);
                }
                if (!t.frame) continue;
                const clear = getAttr(it, t.frame, 'clear');
                try {
                    it.decref(call(it, clear, [], null));
                } catch (e) {
                    if (!(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.RuntimeError)) throw e;
                    dropRaise(it, e);
                } finally {
                    it.decref(clear);
                }
            }
            return it.None;
        },
    };
    // Lib/traceback.py's functions are Python functions: type `function`, as the names test checks.
    const fnType = pyFunctionType(it);
    for (const [name, fn] of Object.entries(fns)) {
        if (!recordedIn(it, 'traceback', name)) continue;
        setModuleAttr(it, m, name, it.heap.register(new PyBuiltin(fnType, name, (_self, args, kwargs) => fn(args, kwargs))));
    }
    if (frameSummary && recordedIn(it, 'traceback', 'FrameSummary')) m.dict.set(it.heap, it.str('FrameSummary'), frameSummary);
    if (stackSummary && recordedIn(it, 'traceback', 'StackSummary')) m.dict.set(it.heap, it.str('StackSummary'), stackSummary);
    return m;
}
