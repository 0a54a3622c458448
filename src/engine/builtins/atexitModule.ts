/*
 * atexitModule.ts
 *
 * The `atexit` module. 3.x (Modules/atexitmodule.c): callbacks are kept with their args and kwargs
 * in interpreter state; `atexit_callfuncs` calls them last-registered-first over the range that
 * existed when it started (so registrations made during exit never run), reports an exception per
 * profile and goes on, then `atexit_cleanup` frees every entry in registration order.
 * 2.7 (Lib/atexit.py): `_run_exitfuncs` pops until the list is empty (late registrations run),
 * each handler's arguments die when the next one is popped, and the last exception is re-raised.
 */

import type { PyObject } from '../runtime/object';
import { FrameData, PyFrameObject, PyTraceback, type PyModule } from '../runtime/frames';
import { PyDict, PyTuple } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import { EventKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { equals } from '../interp/ops';
import { repr } from '../interp/format';
import { PyRaise } from '../interp/signals';
import { formatException, writeUnraisable } from '../interp/traceback';
import { defineFn } from './modules';
import { arity } from './args';
import { allocTuple, freeTuple, tupleOf } from '../interp/callTemporaries';
import { namesFor } from '../names/table';

interface Entry {
    func: PyObject;
    args: PyTuple;
    kwargs: PyDict | null;
}

interface AtexitState {
    callbacks: (Entry | null)[];
}

function state(it: Interpreter): AtexitState {
    let s = it.moduleState.get('atexit') as AtexitState | undefined;
    if (!s) {
        s = { callbacks: [] };
        it.moduleState.set('atexit', s);
    }
    return s;
}

/** atexit.register(func, *args, **kwargs) (the references are taken here; no arguments: the empty tuple). */
export function registerExitFunc(it: Interpreter, func: PyObject, args: PyObject[], kwargs: KwArgs): void {
    const st = state(it);
    const t = tupleOf(it, args.map((a) => it.incref(a)));
    let kw: PyDict | null = null;
    if (kwargs && kwargs.size) {
        kw = it.dict();
        for (const [k, v] of kwargs) kw.set(it.heap, it.str(k), v);
    }
    st.callbacks.push({ func: it.incref(func), args: t, kwargs: kw });
}

function freeEntry(it: Interpreter, e: Entry): void {
    it.decref(e.func);
    it.decref(e.args);
    if (e.kwargs) it.decref(e.kwargs);
}

function kwMap(e: Entry): KwArgs {
    if (!e.kwargs) return null;
    return new Map(Array.from(e.kwargs.entries(), (x) => [(x.k as unknown as { v: string }).v, x.v]));
}

function callEntry(it: Interpreter, e: Entry): void {
    const pos = it.position();
    it.log.push(EventKind.AtexitCall, pos.step, pos.line, pos.col, e.func.id, 0, null);
    it.decref(call(it, e.func, e.args.items.slice(), kwMap(e)));
}

/**
 * 2.7: Lib/atexit.py's traceback.print_exc() (and, for the re-raised last error, PyErr_Print): the
 * handler was called from `_run_exitfuncs`, a Python frame of the standard library.
 */
export function formatException27(it: Interpreter, r: PyRaise): string {
    // The re-raised last error's traceback starts with that frame's own entry (keepRunExitfuncsFrame).
    const tb = r.tb instanceof PyTraceback && r.tb.frame?.data.filename === ATEXIT_PY_FILE ? r.tb.next : r.tb;
    return formatException(it, r.exc, new Set(), tb, ATEXIT_PY_FRAME);
}

const ATEXIT_PY_FILE = '<stdlib>/atexit.py';

/** 2.7.18 Lib/atexit.py line 24, where `_run_exitfuncs` calls each handler. */
const RUN_EXITFUNCS_CALL_LINE = 24;
const ATEXIT_PY_FRAME = `  File "${ATEXIT_PY_FILE}", line ${RUN_EXITFUNCS_CALL_LINE}, in _run_exitfuncs\n    func(*targs, **kargs)\n`;

/** Reports an exception raised by a handler, per profile (3.x). */
function reportError(it: Interpreter, exc: PyRaise, func: PyObject): void {
    const style = it.profile.atexitErrorStyle;
    const e = exc.exc;
    const isExit = e.type.isSubtypeOf(it.T.SystemExit);
    if (style === 'run_exitfuncs') {
        if (!isExit) it.stderr.write('Error in atexit._run_exitfuncs:\n' + formatException(it, e));
    } else if (style === 'unraisable-colon') {
        writeUnraisable(it, e, func, { what: 'Exception ignored in atexit callback' });
    } else {
        let r: string;
        try {
            r = repr(it, func);
        } catch {
            r = '<object repr() failed>';
        }
        // 3.13 PyErr_FormatUnraisable: the hook's writer, which writes `Type: ` even for an empty message.
        it.stderr.write(`Exception ignored in atexit callback ${r}:\n` + formatException(it, e, new Set(), null, '', 'c', false, true));
    }
}

/**
 * Runs the handlers (3.x atexit_callfuncs / 2.7 _run_exitfuncs). Returns, for 2.7, the exception
 * to re-raise (an owned reference) or null.
 */
export function runExitFuncs(it: Interpreter): PyRaise | null {
    const st = state(it);
    if (it.profile.atexitRunsLateRegistrations) {
        let last: PyRaise | null = null;
        let prev: Entry | null = null;
        while (st.callbacks.length) {
            const e = st.callbacks.pop();
            if (prev) freeEntry(it, prev);
            prev = null;
            if (!e) continue;
            prev = e;
            try {
                callEntry(it, e);
            } catch (x) {
                if (!(x instanceof PyRaise)) throw x;
                if (!x.exc.type.isSubtypeOf(it.T.SystemExit)) it.stderr.write('Error in atexit._run_exitfuncs:\n' + formatException27(it, x));
                if (last) it.decref(last.exc);
                last = x;
            }
        }
        if (prev && last) keepRunExitfuncsFrame(it, prev, last);
        else if (prev) freeEntry(it, prev);
        return last;
    }
    const n = st.callbacks.length;
    for (let i = n - 1; i >= 0; i--) {
        const e = st.callbacks[i];
        if (!e) continue;
        const f = it.incref(e.func);
        try {
            callEntry(it, e);
        } catch (x) {
            if (!(x instanceof PyRaise)) throw x;
            reportError(it, x, f);
            it.decref(x.exc);
        } finally {
            it.decref(f);
        }
    }
    clearAll(it);
    return null;
}

/**
 * 2.7's Lib/atexit.py, when a handler raised: `_run_exitfuncs` ends with `exc_info` (type, value,
 * traceback) in a local, and that traceback's first entry is `_run_exitfuncs`'s own frame, which
 * also still holds the last handler popped (`func`, `targs`, `kargs`): frame → exc_info →
 * traceback → frame, a cycle. Only the cyclic GC can free it, so what it holds lives until the
 * next collection that finds it garbage: the shutdown's PyGC_Collect when the last error was a
 * SystemExit (handle_system_exit drops it), never when PyErr_Print kept the traceback in
 * sys.last_traceback (cleared only after that collection, and 2.7 collects no more).
 * The frame object and traceback entry are made here; the raise's traceback becomes the cycle's.
 */
function keepRunExitfuncsFrame(it: Interpreter, e: Entry, r: PyRaise): void {
    const data = new FrameData('_run_exitfuncs', ['func', 'targs', 'kargs', 'exc_info'], it.builtinsDict, null, ATEXIT_PY_FILE);
    data.finished = true;
    data.line = RUN_EXITFUNCS_RAISE_LINE;
    const fo = it.heap.register(new PyFrameObject(it.T.frame, data));
    data.frameObj = fo;
    const kwargs = e.kwargs ?? it.dict();
    const locals: PyObject[] = [e.func, e.args, kwargs];
    locals.forEach((v, i) => {
        data.locals[i] = v;
        it.heap.adopt(fo, v, data.names[i]);
    });
    // Its entry was made when the handler's exception passed through the frame, at the call.
    const tb = it.heap.register(new PyTraceback(it.T.traceback, r.tb as PyTraceback | null, fo, RUN_EXITFUNCS_CALL_LINE));
    it.heap.adopt(tb, it.incref(fo), 'tb_frame');
    if (r.tb) it.heap.adopt(tb, r.tb, 'tb_next');
    const excInfo = it.tuple([it.incref(r.exc.type), it.incref(r.exc), tb]);
    data.locals[3] = excInfo;
    it.heap.adopt(fo, excInfo, 'exc_info');
    // The frame is referenced only by its traceback entry; the raise carries that traceback on.
    r.tb = it.incref(tb);
    it.decref(fo);
}

/** 2.7.18 Lib/atexit.py line 32: `raise exc_info[0], exc_info[1], exc_info[2]`. */
const RUN_EXITFUNCS_RAISE_LINE = 32;

/** _PyAtExit_Fini (3.10+ interpreter_clear): entries registered during shutdown, never run, are freed. */
export function atexitFini(it: Interpreter): void {
    clearAll(it);
}

/** atexit_cleanup: frees every entry in registration order. */
function clearAll(it: Interpreter): void {
    const st = state(it);
    const cbs = st.callbacks;
    st.callbacks = [];
    for (const e of cbs) if (e) freeEntry(it, e);
}

export function createAtexitModule(it: Interpreter): PyModule {
    const m = it.newModule('atexit');
    const st = state(it);
    defineFn(it, m, 'register', (args, kwargs) => {
        if (!args.length) throw it.error('TypeError', it.profile.major === 2 ? 'register() takes at least 1 argument (0 given)' : 'register() takes at least 1 argument (0 given)');
        const func = args[0];
        if (!isCallable(it, func)) throw it.error('TypeError', 'the first argument must be callable');
        // 3.x: METH_VARARGS (no vectorcall), so the call packs its arguments in a tuple for the
        // call (interp/callTemporaries.ts); its keyword dict is the one atexit keeps.
        const packed = it.profile.major === 3 ? args.length : 0;
        allocTuple(it, packed);
        try {
            registerExitFunc(it, func, args.slice(1), kwargs);
        } finally {
            freeTuple(it, packed);
        }
        return it.incref(func);
    });
    // 3.x's C module; 2.7's Lib/atexit.py has neither unregister nor _clear/_ncallbacks (an AttributeError there).
    const recorded = namesFor(it.profile.name).modules.get('atexit');
    if (!recorded || recorded.has('unregister')) defineFn(it, m, 'unregister', (args) => {
        arity(it, 'unregister', args, 1, 1);
        const func = args[0];
        if (it.profile.atexitRunsLateRegistrations) {
            st.callbacks = st.callbacks.filter((e) => {
                if (e && equals(it, e.func, func)) {
                    freeEntry(it, e);
                    return false;
                }
                return true;
            });
        } else {
            for (let i = 0; i < st.callbacks.length; i++) {
                const e = st.callbacks[i];
                if (e && equals(it, e.func, func)) {
                    st.callbacks[i] = null;
                    freeEntry(it, e);
                }
            }
        }
        return it.None;
    });
    defineFn(it, m, '_run_exitfuncs', () => {
        const r = runExitFuncs(it);
        if (r) throw r;
        return it.None;
    });
    if (!recorded || recorded.has('_clear')) {
        defineFn(it, m, '_clear', () => {
            clearAll(it);
            return it.None;
        });
    }
    if (!recorded || recorded.has('_ncallbacks')) defineFn(it, m, '_ncallbacks', () => it.int(st.callbacks.filter((e) => e).length));
    return m;
}

function isCallable(it: Interpreter, o: PyObject): boolean {
    const l = o.type.layout;
    if (l === 'function' || l === 'builtin' || l === 'method' || l === 'type') return true;
    return o.type.lookup('__call__') !== null;
}
