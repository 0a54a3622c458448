/*
 * main.ts
 *
 * Running `__main__` and what follows it: PyRun_SimpleFile's handling of an uncaught exception
 * (PyErr_Print sets sys.last_*; SystemExit is disposed of before shutdown and sets the exit
 * status; 3.x flushes sys.stderr and sys.stdout first), then Py_FinalizeEx, then the process's
 * exit() (io/state.ts: what file buffers still hold). os._exit skips everything, including
 * flushing what is still buffered, in sys.stdout and in file objects. 3.8+: an uncaught
 * KeyboardInterrupt ends the process by SIGINT once Py_FinalizeEx is done (Py_RunMain's
 * exit_sigint), which the result's exit code says as a negative signal number.
 */

import type * as ast from '../parser/ast';
import type { EngineError } from '../api';
import { PyException as PyExceptionClass, type PyException } from '../runtime/instances';
import type { PyObject } from '../runtime/object';
import { PyTraceback } from '../runtime/frames';
import { importModule } from '../builtins/modules';
import type { Interpreter } from './interpreter';
import { Frame } from './frame';
import { codeFor } from './exec';
import { PyRaise, EngineStop, ProcessExit, dropRaise } from './signals';
import { getAttr } from './attrs';
import { call, runFrame } from './calls';
import { formatException } from './traceback';
import { profileSyntaxError, formatCompileError } from './compileErrors';
import { str } from './format';
import { finalizeInterpreter } from '../gc/finalize';
import { systemExitStatus } from '../builtins/exceptions';
import { EventKind } from '../events';
import { engineLimitError } from './budget';
import { flushLine } from './printStatement';

/** The signal Py_RunMain's exit_sigint kills the process with. */
const SIGINT = 2;

export interface RunOutcome {
    /** The process's exit status, or minus the number of the signal that killed it (as subprocess's returncode). */
    exitCode: number;
    error: EngineError | null;
}

export function runMain(it: Interpreter, module: ast.Module): RunOutcome {
    for (const f of module.futures) it.futures.add(f);
    let exitCode = 0;
    let uncaught: PyRaise | null = null;
    try {
        const compileError = profileSyntaxError(it, module);
        if (compileError) {
            // Nothing runs: the module does not compile under this profile.
            it.setPhase('running');
            it.stderr.write(formatCompileError(it, compileError));
            finalizeInterpreter(it);
            it.stdout.flush();
            return { exitCode: 1, error: null };
        }
        try {
            const code = codeFor(it, module, null);
            const frame = new Frame(code, it.mainModule.dict, null);
            frame.nodeId = it.heap.newId();
            it.log.push(EventKind.FrameEnter, 0, 1, 1, frame.nodeId, 0, '<module>');
            frame.localsDict = it.incref(it.mainModule.dict);
            // (≤3.10: its frame object exists already, made on demand: interp/calls.ts materializeFrame.)
            if (it.profile.frameObjectPerCall) frame.objectPreallocated = true;
            it.setPhase('running');
            try {
                it.decref(runFrame(it, code, frame));
            } finally {
                // The last line __main__ ran (its frame's f_lineno): where "the end of the program" is.
                it.mainEndLine = frame.line;
            }
        } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            uncaught = e;
        }
        if (it.profile.flushIoAfterMain) flushIo(it);
        // PyRun_SimpleFileExFlags (2.7): Py_FlushLine, whether __main__ ended or raised.
        if (it.profile.grammar === 'python2') flushLine(it);
        // run_eval_code_obj: _Py_UnhandledKeyboardInterrupt is set for exactly KeyboardInterrupt.
        const killedBySigint = !!uncaught && it.profile.uncaughtKeyboardInterruptKills && uncaught.exc.type === it.T.KeyboardInterrupt;
        if (uncaught) exitCode = handleUncaught(it, uncaught);
        const atexitCode = finalizeInterpreter(it);
        if (typeof atexitCode === 'number') exitCode = atexitCode;
        it.stdout.flush();
        // exit(): 2.7's stdio buffers are flushed by libc; 3.x io buffers still held are lost (as
        // they are when exit_sigint() kills the process instead).
        it.io.endOfProcess(it, 'exit');
        // Py_RunMain after Py_FinalizeEx: exit_sigint() restores SIGINT's default action and
        // kills the process with it, whatever status finalization left.
        if (killedBySigint) return { exitCode: -SIGINT, error: null };
        return { exitCode, error: null };
    } catch (e) {
        if (e instanceof ProcessExit) {
            // The frames unwound on the way here; the events of the exit belong to its call.
            if (e.line) {
                it.line = e.line;
                it.col = e.col;
            }
            it.setPhase('os-exit');
            it.io.endOfProcess(it, 'os-exit');
            it.setPhase('after-exit');
            return { exitCode: e.code & 0xff, error: null };
        }
        if (e instanceof EngineStop) {
            it.stdout.flush();
            it.log.push(EventKind.Error, it.step, e.error.line, e.error.col, 0, 0, e.error.message);
            return { exitCode: 2, error: e.error };
        }
        if (e instanceof PyRaise) {
            // An exception escaping shutdown itself (should not happen): report it like CPython would.
            it.stderr.write(formatException(it, e.exc, new Set(), null, '', 'c', true));
            it.stdout.flush();
            return { exitCode: 1, error: null };
        }
        // The engine outgrew JavaScript (a RangeError: stack, string, BigInt, Map), or an engine
        // bug: reported where it happened (the innermost frame noted it while unwinding).
        it.stdout.flush();
        const line = it.faultLine || it.line || 1;
        const col = it.faultLine ? it.faultCol : it.col || 1;
        const error: EngineError = engineLimitError(e, line, col) ?? { kind: 'internal', message: `internal engine error: ${(e as Error)?.message ?? String(e)}`, line, col };
        it.log.push(EventKind.Error, it.step, error.line, error.col, 0, 0, error.message);
        return { exitCode: 2, error };
    }
}

/**
 * pythonrun.c flush_io(), run once `__main__` has finished and before its exception is reported
 * (3.x): `sys.stderr.flush()` then `sys.stdout.flush()` on whatever those names hold now, errors
 * ignored. Output printed by `__main__` therefore survives an `os._exit` in an atexit handler.
 */
function flushIo(it: Interpreter): void {
    for (const name of ['stderr', 'stdout']) {
        const f = it.sysModule.dict.getStr(name);
        if (!f || f === it.None) continue;
        try {
            const flush = getAttr(it, f, 'flush');
            try {
                it.decref(call(it, flush, [], null));
            } finally {
                it.decref(flush);
            }
        } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            dropRaise(it, e);
        }
    }
}

/** SystemExit sets the status (and is freed now); anything else is printed and kept in sys.last_*. */
function handleUncaught(it: Interpreter, r: PyRaise): number {
    const exc: PyException = r.exc;
    const tb27 = r.tb;
    r.tb = null;
    if (exc.type.isSubtypeOf(it.T.SystemExit)) {
        const status = systemExitStatus(it, exc);
        it.setPhase('system-exit');
        it.decref(exc);
        if (tb27) it.decref(tb27);
        return status;
    }
    it.log.push(EventKind.Error, it.step, it.line, it.col, exc.id, 0, null);
    const sysd = it.sysModule.dict;
    const setSys = (name: string, v: import('../runtime/object').PyObject): void => {
        sysd.set(it.heap, it.str(name), v);
    };
    // PyErr_PrintEx(1): sys.last_type / last_value / last_traceback (and last_exc in 3.12+).
    setSys('last_type', exc.type);
    setSys('last_value', exc);
    setSys('last_traceback', exc.traceback ?? tb27 ?? it.None);
    if (it.profile.setsLastExc) setSys('last_exc', exc);
    if (it.profile.errDisplayAllocations) chargeErrDisplay(it, exc);
    it.stderr.write(formatException(it, exc, new Set(), tb27, '', 'excepthook', true));
    it.decref(exc);
    if (tb27) it.decref(tb27);
    return 1;
}

/**
 * 3.13's _PyErr_Display: `import traceback` (a module the program may already have), then
 * `_print_exception_bltin`'s own allocations, counted one by one: collections may run (with their
 * callbacks) before the traceback is written.
 */
function chargeErrDisplay(it: Interpreter, exc: PyException): void {
    const cost = it.profile.errDisplayAllocations!;
    it.decref(importModule(it, 'traceback', { line: it.line, col: it.col, endLine: it.line, endCol: it.col }));
    let entries = 0;
    const seen = new Set<PyObject>();
    for (let e: PyObject | null = exc; e instanceof PyExceptionClass && !seen.has(e); ) {
        seen.add(e);
        for (let tb = e.traceback; tb instanceof PyTraceback; tb = tb.next) entries++;
        e = e.cause ?? (e.suppressContext ? null : e.context);
    }
    const n = cost.base + cost.perEntry * entries;
    for (let i = 0; i < n; i++) {
        it.heap.countAllocation();
        if (it.gcPending) it.evalBreaker();
    }
}

