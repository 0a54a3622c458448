/*
 * unraisableHook.ts
 *
 * sys.unraisablehook (3.8+, Python/errors.c _PyErr_WriteUnraisableMsg): an exception nobody can
 * catch (in `__del__`, a weakref or gc callback, an atexit callback) is packed into a
 * `UnraisableHookArgs` struct sequence (exc_type, exc_value, exc_traceback, err_msg, object) and
 * given to whatever `sys.unraisablehook` is. The engine's sys has no default hook object, so a
 * value found there is the program's: it is called with the arguments (which hold the exception,
 * its traceback and the object until the call returns, longer if the hook keeps them). A hook
 * that raises is itself reported by the default hook, as "Exception ignored in sys.unraisablehook:
 * <hook>". No hook
 * (never set, deleted, None, or sys already wiped at shutdown): the default writer.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { PyException } from '../runtime/instances';
import type { Interpreter } from './interpreter';
import { call } from './calls';
import { PyRaise } from './signals';
import { newStructSeqType, newStructSeq } from '../builtins/structseq';

const FIELDS = ['exc_type', 'exc_value', 'exc_traceback', 'err_msg', 'object'] as const;

function argsType(it: Interpreter): PyType {
    let t = it.moduleState.get('sys.UnraisableHookArgs') as PyType | undefined;
    if (!t) {
        t = newStructSeqType(it, 'sys', 'UnraisableHookArgs', FIELDS);
        it.moduleState.set('sys.UnraisableHookArgs', t);
    }
    return t;
}

/** The program's sys.unraisablehook (3.x), or null: the default writer. */
export function unraisableHook(it: Interpreter): PyObject | null {
    if (it.profile.major !== 3) return null;
    const hook = it.sysModule.dict.getStr('unraisablehook');
    return hook && hook !== it.None ? hook : null;
}

/**
 * Calls the program's sys.unraisablehook (unraisableHook(it) is not null); a hook that raises
 * has its own error written by `writeDefault` in its place. `errMsg`: the header other than
 * "Exception ignored in" (None in the arguments otherwise).
 */
export function callUnraisableHook(it: Interpreter, e: PyException, where: PyObject | null, errMsg: string | null, writeDefault: (e: PyException, where: PyObject | null) => void): void {
    const hook = unraisableHook(it)!;
    const args = newStructSeq(it, argsType(it), [it.incref(e.type), it.incref(e), it.incref(e.traceback ?? it.None), errMsg === null ? it.incref(it.None) : it.str(errMsg), it.incref(where ?? it.None)]);
    it.incref(hook);
    try {
        it.decref(call(it, hook, [args], null));
    } catch (x) {
        if (!(x instanceof PyRaise)) throw x;
        // "sys.unraisablehook failed: log its error using default hook" (obj = hook, err_msg = NULL).
        it.decref(args);
        writeDefault(x.exc, hook);
        it.decref(x.exc);
        it.decref(hook);
        return;
    }
    it.decref(args);
    it.decref(hook);
}
