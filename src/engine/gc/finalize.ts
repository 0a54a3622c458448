/*
 * finalize.ts
 *
 * Interpreter shutdown, step by step as CPython does it.
 *
 * 3.x Py_FinalizeEx: atexit → flush → pre-teardown full collection (only if gc is enabled; with
 * gc.callbacks) → finalize_modules: delete_special (builtins._, sys.path/argv/…/last_* set to None,
 * std streams restored) → remove modules in sys.modules order (a module whose refcount hits zero
 * dies on the spot; module_dealloc does not wipe its dict) → clear sys.modules → restore builtins
 * from the start-up copy → collect (no callbacks, even when disabled) → wipe the modules still alive
 * in reverse import order (_PyModule_ClearDict: single-underscore names first, then the rest except
 * __builtins__) → wipe sys, then builtins → collect once more.
 *
 * 2.7 Py_Finalize: sys.exitfunc (atexit; its last error re-raised) → flush → PyGC_Collect (even when
 * disabled) → PyImport_Cleanup: delete specials, wipe __main__ first, "cleanup[1]" modules with
 * refcount 1 repeatedly, "cleanup[2]" the rest, then sys and __builtin__. No collection afterwards.
 */

import type { PyObject } from '../runtime/object';
import { ObjFlag } from '../runtime/object';
import { PyDict } from '../runtime/containers';
import { PyModule } from '../runtime/frames';
import { PyStr } from '../runtime/values';
import type { Interpreter } from '../interp/interpreter';
import { PyRaise, dropRaise } from '../interp/signals';
import { formatException } from '../interp/traceback';
import { waitForThreadShutdown, freezeDaemonThreads, clearThreadStates } from '../threads/shutdown';
import { collectGeneration, gcFini } from './collector';
import { emptyFrozensetFini } from '../interp/setobject';
import { atexitFini, formatException27, runExitFuncs } from '../builtins/atexitModule';
import { flushLine } from '../interp/printStatement';
import { systemExitStatus } from '../builtins/exceptions';
import { finalizeTracing } from './tracing';

/** The builtins dict as it was at the end of start-up (interp->builtins_copy). */
export function snapshotBuiltins(it: Interpreter): void {
    const copy: [PyObject, PyObject][] = [];
    for (const e of it.builtinsDict.entries()) copy.push([it.incref(e.k), it.incref(e.v)]);
    it.moduleState.set('builtins.copy', copy);
}

/** Runs Py_FinalizeEx; returns a new exit status when shutdown changes it (2.7 atexit SystemExit). */
export function finalizeInterpreter(it: Interpreter): number | void {
    waitForThreadShutdown(it);
    if (it.profile.tracingGc) return finalizeTracing(it);
    if (it.profile.major === 2) return finalize27(it);
    finalize3(it);
}

function setNone(it: Interpreter, d: PyDict, name: string): void {
    d.set(it.heap, it.str(name), it.None);
}

/**
 * _PyModule_ClearDict / _PyModule_Clear: single-underscore names first, then all but __builtins__.
 * Each pass is a PyDict_Next walk: a name a finalizer adds during the wipe is wiped by the same
 * pass when it lands after the current position (an object a `__del__` stores on sys while sys is
 * being wiped dies in that wipe).
 */
export function clearModuleDict(it: Interpreter, d: PyDict): void {
    const pass = (first: boolean): void => {
        d.forEachLive((e) => {
            const k = e.k;
            if (!(k instanceof PyStr) || e.v === it.None) return;
            const name = k.v;
            if (first) {
                if (name[0] === '_' && name[1] !== '_') d.set(it.heap, k, it.None);
            } else if (name !== '__builtins__') {
                d.set(it.heap, k, it.None);
            }
        });
    };
    pass(true);
    pass(false);
}

const SYS_DELETES_3 = ['path', 'argv', 'ps1', 'ps2', 'last_exc', 'last_type', 'last_value', 'last_traceback', 'path_hooks', 'path_importer_cache', 'meta_path', '__interactivehook__'];
const SYS_DELETES_2 = ['path', 'argv', 'ps1', 'ps2', 'exitfunc', 'exc_type', 'exc_value', 'exc_traceback', 'last_type', 'last_value', 'last_traceback', 'path_hooks', 'path_importer_cache', 'meta_path', 'flags', 'float_info'];

function deleteSpecial(it: Interpreter): void {
    it.setPhase('delete-special');
    setNone(it, it.builtinsDict, '_');
    const sysd = it.sysModule.dict;
    const names = it.profile.major === 2 ? SYS_DELETES_2 : SYS_DELETES_3.filter((n) => n !== 'last_exc' || it.profile.setsLastExc);
    for (const n of names) setNone(it, sysd, n);
    for (const [name, orig] of [
        ['stdin', '__stdin__'],
        ['stdout', '__stdout__'],
        ['stderr', '__stderr__'],
    ]) {
        const v = sysd.getStr(orig) ?? it.None;
        sysd.set(it.heap, it.str(name), v);
    }
}

function finalize3(it: Interpreter): void {
    const heap = it.heap;
    it.setPhase('atexit');
    runExitFuncs(it);
    freezeDaemonThreads(it);
    it.stdout.flush();
    if (heap.enabled) {
        it.setPhase('pre-teardown-gc');
        collectGeneration(it, 2, 'shutdown', true);
    }
    deleteSpecial(it);

    // finalize_remove_modules: every sys.modules value set to None in import order. `io` (imported
    // by init_stdio) goes first, and with it the import _Py_DisplaySourceLine needs: tracebacks
    // printed from here on have no source lines.
    it.setPhase('remove-modules');
    it.sourceReadable = false;
    const modules = it.modules;
    const weaklist: [string, PyModule][] = [];
    for (const e of Array.from(modules.entries())) {
        const v = modules.get(e.k);
        if (v instanceof PyModule) weaklist.push([(e.k as PyStr).v, v]);
        if (v) modules.set(heap, e.k, it.None);
        // The `warnings` module the command-line options imported comes right after __main__.
        if ((e.k as PyStr).v === '__main__') it.io.warningsModuleRemoved = true;
    }
    modules.clearItems(heap);

    it.setPhase('restore-builtins');
    restoreBuiltins(it);

    it.setPhase('teardown-gc');
    collectGeneration(it, 2, 'shutdown', false);

    it.setPhase('wipe-modules');
    for (let i = weaklist.length - 1; i >= 0; i--) {
        const mod = weaklist[i][1];
        if (mod.flags & ObjFlag.Freed) continue;
        if (mod.dict === it.builtinsDict || mod.dict === it.sysModule.dict) continue;
        heap.incref(mod);
        clearModuleDict(it, mod.dict);
        heap.decref(mod);
    }

    it.setPhase('wipe-sys-builtins');
    clearModuleDict(it, it.sysModule.dict);
    clearModuleDict(it, it.builtinsDict);

    it.setPhase('final-gc');
    // By the last collection the std streams no longer work: a finalizer writing to a stdout it kept
    // a reference to (a default argument) writes nothing (FINDINGS §4, sys_attr_keep_late_write).
    it.stdout.flush();
    const write = it.stdout.write;
    it.stdout.write = () => {};
    try {
        collectGeneration(it, 2, 'shutdown', false);
        finalizeInterpClear(it);
    } finally {
        it.stdout.write = write;
    }
    it.native?.releaseAtExit();
    it.setPhase('after-exit');
}

/**
 * What Py_FinalizeEx releases after finalize_modules' last collection.
 * 3.10+ interpreter_clear: thread states, codec registry, interp->dict, the atexit state
 * (handlers registered during shutdown, never run, are freed), then "Last garbage collection on
 * this interpreter", then _PyGC_Fini, then PyDict_Clear of the sys and builtins dicts (what a
 * finalizer stored there after the wipe). 3.8/3.9: no collection, and the sys dict is only
 * decref'd; _PyGC_Fini comes last.
 * _PyGC_Fini drops gc.garbage and gc.callbacks: what only they held is freed by its reference
 * count (its `__del__` runs with nothing left), a cycle among them never.
 */
function finalizeInterpClear(it: Interpreter): void {
    const p = it.profile;
    if (p.interpreterClearCollects) {
        it.setPhase('interpreter-clear');
        // interpreter_clear starts with PyThreadState_Clear of every thread state.
        clearThreadStates(it);
        atexitFini(it);
        it.setPhase('interpreter-clear-gc');
        collectGeneration(it, 2, 'shutdown', false);
    }
    it.setPhase('gc-fini');
    // 3.8/3.9 PyInterpreterState_Clear (thread states first), then _PyGC_Fini: no collection between.
    if (!p.interpreterClearCollects) clearThreadStates(it);
    gcFini(it);
    emptyFrozensetFini(it);
    if (p.clearsSysDictAtEnd) {
        it.setPhase('clear-sys-dict');
        it.sysModule.dict.clearItems(it.heap);
        it.builtinsDict.clearItems(it.heap);
    }
}

function restoreBuiltins(it: Interpreter): void {
    const copy = (it.moduleState.get('builtins.copy') as [PyObject, PyObject][] | undefined) ?? [];
    const d = it.builtinsDict;
    // finalize_restore_builtins: the current contents are copied first and released only after the
    // start-up copy is back, so a user object stored in builtins dies with builtins intact.
    const held: PyObject[] = [];
    for (const e of d.entries()) held.push(it.incref(e.k), it.incref(e.v));
    d.clearItems(it.heap);
    for (const [k, v] of copy) d.set(it.heap, k, v);
    for (const o of held) it.decref(o);
}

function finalize27(it: Interpreter): number | void {
    const heap = it.heap;
    let status: number | void = undefined;
    it.setPhase('atexit');
    const err = runExitFuncs(it);
    freezeDaemonThreads(it);
    if (err) {
        const e = err.exc;
        if (e.type.isSubtypeOf(it.T.SystemExit)) {
            status = systemExitStatus(it, e);
            // handle_system_exit clears the exception before Py_Exit (whose nested Py_Finalize
            // is the shutdown that follows): the handler's frames are released.
            dropRaise(it, err);
        } else {
            // PyErr_Print: sys.last_type/last_value/last_traceback hold the error through the
            // shutdown collection, so the `_run_exitfuncs` frame cycle (keepRunExitfuncsFrame) is
            // still reachable then; delete-special drops them and 2.7 collects no more.
            const sysd = it.sysModule.dict;
            sysd.set(it.heap, it.str('last_type'), e.type);
            sysd.set(it.heap, it.str('last_value'), e);
            sysd.set(it.heap, it.str('last_traceback'), err.tb ?? it.None);
            it.stderr.write('Error in sys.exitfunc:\n' + formatException27(it, err));
            dropRaise(it, err);
        }
    }
    // call_sys_exitfunc ends with Py_FlushLine: the newline a handler's `print x,` owes.
    flushLine(it);
    it.stdout.flush();
    it.setPhase('pre-teardown-gc');
    collectGeneration(it, 2, 'shutdown', false);
    deleteSpecial(it);

    // PyImport_Cleanup: __main__ first, then modules with refcount 1 repeatedly, then the rest.
    it.setPhase('wipe-modules');
    const modules = it.modules;
    const wipe = (key: PyObject, m: PyModule): void => {
        heap.incref(m);
        clearModuleDict(it, m.dict);
        modules.set(heap, key, it.None);
        heap.decref(m);
    };
    const mainKey = it.str('__main__');
    const main = modules.get(mainKey);
    if (main instanceof PyModule) wipe(mainKey, main);
    const special = (name: string): boolean => name === '__builtin__' || name === 'sys';
    for (;;) {
        let done = 0;
        for (const e of Array.from(modules.entries())) {
            const v = modules.get(e.k);
            if (!(v instanceof PyModule) || v.rc !== 1 || special((e.k as PyStr).v)) continue;
            wipe(e.k, v);
            done++;
        }
        if (!done) break;
    }
    for (const e of Array.from(modules.entries())) {
        const v = modules.get(e.k);
        if (!(v instanceof PyModule) || special((e.k as PyStr).v)) continue;
        wipe(e.k, v);
    }
    it.setPhase('wipe-sys-builtins');
    for (const name of ['sys', '__builtin__']) {
        const k = it.str(name);
        const v = modules.get(k);
        if (v instanceof PyModule) wipe(k, v);
    }
    modules.clearItems(heap);
    // PyInterpreterState_Clear.
    clearThreadStates(it);
    it.native?.releaseAtExit();
    it.setPhase('after-exit');
    return status;
}

export { PyRaise };
