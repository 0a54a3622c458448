/*
 * setup.ts
 *
 * Interpreter start-up: the builtins dict, sys, sys.modules, and `__main__`, in the order CPython
 * creates them; and the heap hooks (finalizers, weakref clearing, GC triggers).
 */

import { PyObject, ObjFlag } from '../runtime/object';
import { PyInstance } from '../runtime/instances';
import { PyException } from '../runtime/instances';
import { EventKind } from '../events';
import type { Interpreter } from './interpreter';
import { installBuiltinFunctions } from '../builtins/functions';
import { installMethods } from '../builtins/methods';
import { createSysModule, createStreamType, OutStreamObject } from '../builtins/modules';
import { callBound } from './calls';
import { PyRaise, dropRaise } from './signals';
import { writeUnraisable } from './traceback';
import { clearWeakrefs } from '../gc/weakrefs';
import { collectGenerations, applyStartupLayout } from '../gc/collector';
import { snapshotBuiltins } from '../gc/finalize';

export function setUpInterpreter(it: Interpreter): void {
    installHooks(it);
    const T = it.T;
    installMethods(it);
    // sys.modules first (sys and builtins are its first entries, as at CPython start-up).
    it.modules = it.dict();
    it.modules.namespace = true;
    const b = it.newModule(it.profile.major === 2 ? '__builtin__' : 'builtins');
    it.builtinsModule = b;
    it.builtinsDict = b.dict;
    const d = b.dict;
    for (const [name, t] of Object.entries(T)) {
        if (name === 'native' || name.endsWith('iterator') || name.startsWith('dict_') || name === 'NoneType' || name === 'ellipsis' || name === 'NotImplementedType' || name === 'function' || name === 'builtin_function_or_method' || name === 'method' || name === 'cell' || name === 'module' || name === 'frame' || name === 'traceback' || name === 'code' || name === 'weakref' || name === 'weakproxy' || name === 'list_reverseiterator') continue;
        if (name === 'reversed' || name === 'enumerate' || name === 'zip') continue;
        d.set(it.heap, it.str(name), t);
    }
    d.set(it.heap, it.str('None'), it.None);
    d.set(it.heap, it.str('True'), it.True);
    d.set(it.heap, it.str('False'), it.False);
    d.set(it.heap, it.str('Ellipsis'), it.Ellipsis);
    d.set(it.heap, it.str('NotImplemented'), it.NotImplemented);
    d.set(it.heap, it.str('__debug__'), it.True);
    if (it.profile.major === 3) d.set(it.heap, it.str('EOFError'), it.T.RuntimeError);
    installBuiltinFunctions(it, d);
    const streamType = createStreamType(it);
    const out = new OutStreamObject(streamType, it.stdout);
    out.id = it.heap.newId();
    const err = new OutStreamObject(streamType, it.stderr);
    err.id = it.heap.newId();
    const sys = createSysModule(it, out, err);
    it.sysModule = sys;
    it.modules.set(it.heap, it.str('sys'), sys);
    it.modules.set(it.heap, it.str(b.name), b);
    const main = it.newModule('__main__');
    it.mainModule = main;
    main.dict.set(it.heap, it.str('__builtins__'), b);
    main.dict.set(it.heap, it.str('__doc__'), it.None);
    main.dict.set(it.heap, it.str('__file__'), it.str(it.fileName));
    it.modules.set(it.heap, it.str('__main__'), main);
    it.decref(main);
    it.decref(sys);
    it.decref(b);
    // Start-up state the collector and shutdown need: generations and counts, the builtins copy.
    applyStartupLayout(it);
    snapshotBuiltins(it);
}

function installHooks(it: Interpreter): void {
    it.setHooks({
        hasFinalizer: (o) => o instanceof PyInstance && o.type.isHeap && o.type.lookup('__del__') !== null,
        runFinalizer: (o) => runDel(it, o),
        clearWeakrefs: (o) => clearWeakrefs(it, o),
        onThresholdCrossed: () => {
            if (it.profile.gcAtEvalBreaker) it.gcPending = true;
            else collectGenerations(it);
        },
    });
    it.heap.clock = it;
    it.runScheduledGc = () => collectGenerations(it);
}

/** slot_tp_finalize: calls `__del__`; an exception is printed as unraisable and swallowed. */
export function runDel(it: Interpreter, o: PyObject): void {
    const del = o.type.lookup('__del__');
    if (!del) return;
    const { line, col, node } = it;
    it.log.push(EventKind.FinalizerStart, it.step, line, col, o.id, 0, null);
    try {
        it.decref(callBound(it, del, o, []));
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        writeUnraisable(it, e.exc, del, { tb27: e.tb, boundTo: o });
        dropRaise(it, e);
    } finally {
        it.line = line;
        it.col = col;
        it.node = node;
        it.log.push(EventKind.FinalizerEnd, it.step, line, col, o.id, 0, null);
    }
}

export { ObjFlag, PyException };
