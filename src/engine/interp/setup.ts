/*
 * setup.ts
 *
 * Interpreter start-up: the builtins dict, sys, sys.modules, and `__main__`, in the order CPython
 * creates them; and the heap hooks (finalizers, weakref clearing, GC triggers).
 */

import { errorType } from '../messages';
import { PyObject, ObjFlag } from '../runtime/object';
import type { PyDict } from '../runtime/containers';
import type { PyStr } from '../runtime/values';
import { namesFor, classKey } from '../names/table';
import { PyInstance } from '../runtime/instances';
import { PyException } from '../runtime/instances';
import { EventKind, type FinalizerKind } from '../events';
import type { Interpreter } from './interpreter';
import { installBuiltinFunctions } from '../builtins/functions';
import { installMethods } from '../builtins/methods';
import { installByteArray } from '../builtins/bytearrayobject';
import { installComplex } from './complexobject';
import { installSlotWrappers } from '../builtins/slotWrappers';
import { createSysModule, createStreamType, OutStreamObject } from '../builtins/modules';
import { callBound } from './calls';
import { PyRaise, dropRaise } from './signals';
import { exceptionLogLine, writeUnraisable } from './traceback';
import { clearWeakrefs } from '../gc/weakrefs';
import { collectGenerations, applyStartupLayout } from '../gc/collector';
import { chargeCompile } from './compile';
import { snapshotBuiltins } from '../gc/finalize';
import { PyGenerator, installGeneratorType, genFinalize, genNeedsFinalizing, genHasFinalizer } from './genobject';
import { installOpen } from '../io/builtins';
import { installFrameType } from './frameobject';
import { iobaseFinalize, type IOObject } from '../io/iobase';
import { FreeLists, FreeKind } from '../runtime/freelists';
import type { PyTuple } from '../runtime/containers';
import type { PyFrameObject } from '../runtime/frames';

export function setUpInterpreter(it: Interpreter): void {
    installHooks(it);
    installMethods(it);
    installByteArray(it);
    installComplex(it);
    installGeneratorType(it);
    installFrameType(it);
    installSlotWrappers(it);
    // sys.modules first (sys and builtins are its first entries, as at CPython start-up).
    it.modules = it.dict();
    it.modules.namespace = true;
    const b = it.newModule(it.profile.major === 2 ? '__builtin__' : 'builtins');
    it.builtinsModule = b;
    it.builtinsDict = b.dict;
    const d = b.dict;
    installBuiltinFunctions(it, d);
    installBuiltinNames(it, d);
    installOpen(it, d);
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
    if (it.profile.major === 2) {
        // 2.7: PyModule_New sets __name__, __doc__ and __package__; initmain adds __builtins__,
        // PyRun_SimpleFileExFlags __file__. The order and the key count place each name in the
        // hash table (dict27.ts), which decides the order module teardown wipes the globals in.
        main.dict.set(it.heap, it.str('__doc__'), it.None);
        main.dict.set(it.heap, it.str('__package__'), it.None);
        main.dict.set(it.heap, it.str('__builtins__'), b);
    } else {
        main.dict.set(it.heap, it.str('__builtins__'), b);
        main.dict.set(it.heap, it.str('__doc__'), it.None);
    }
    main.dict.set(it.heap, it.str('__file__'), it.str(it.fileName));
    it.modules.set(it.heap, it.str('__main__'), main);
    it.decref(main);
    it.decref(sys);
    it.decref(b);
    // Start-up state the collector and shutdown need: generations and counts, the builtins copy.
    applyStartupLayout(it);
    snapshotBuiltins(it);
    // From here on allocations are the program's: the free lists start as CPython's are then.
    if (!it.profile.tracingGc) {
        installFreeLists(it);
        chargeCompile(it);
    }
    if (!it.profile.tracingGc && it.profile.major === 3) {
        it.stdout.pendingList = (created) => (created ? it.heap.allocInternal(FreeKind.List) : it.heap.freeInternal(FreeKind.List));
    }
}

/** The free lists (runtime/freelists.ts) with this version's capacities and start-up occupancy. */
function installFreeLists(it: Interpreter): void {
    const T = it.T;
    const cap = it.profile.freeLists.capacity;
    T.list.freeKind = FreeKind.List;
    T.dict.freeKind = FreeKind.Dict;
    T.tuple.freeKind = FreeKind.Tuple;
    T.frame.freeKind = cap.frame ? FreeKind.Frame : FreeKind.None;
    T.method.freeKind = cap.method ? FreeKind.Method : FreeKind.None;
    T.builtin_function_or_method.freeKind = cap.cfunction ? FreeKind.CFunction : FreeKind.None;
    it.heap.freeLists = new FreeLists(
        it.profile.freeLists,
        (o) => {
            const k = o.type.freeKind;
            return k === FreeKind.Tuple ? FreeLists.tupleKind((o as PyTuple).items.length) : k;
        },
        (o) => (o as PyFrameObject).codeKey,
    );
}

/**
 * The built-in types and constants, bound under the names the profile's interpreter binds them
 * (names/cpython-names.json: 3.x's IOError is OSError), and only those: a name the engine has but
 * the version lacks is removed (the version raises NameError for it), a name the version has and
 * the engine does not implement stays unbound and is refused (names/refusals.ts).
 */
function installBuiltinNames(it: Interpreter, d: PyDict): void {
    const names = namesFor(it.profile.name);
    const T = it.T;
    for (const [name, desc] of names.builtins) {
        const key = classKey(desc);
        if (!key) continue;
        const t = T[key];
        if (t && (BUILTIN_TYPES.has(key) || t.isSubtypeOf(T.BaseException))) d.set(it.heap, it.str(name), t);
    }
    const constants: [string, PyObject][] = [
        ['None', it.None],
        ['True', it.True],
        ['False', it.False],
        ['Ellipsis', it.Ellipsis],
        ['NotImplemented', it.NotImplemented],
        ['__debug__', it.True],
    ];
    for (const [name, v] of constants) if (names.builtins.has(name)) d.set(it.heap, it.str(name), v);
    for (const e of Array.from(d.entries())) {
        const name = (e.k as PyStr).v;
        if (!names.builtins.has(name) && !names.site.has(name)) d.delete(it.heap, e.k);
    }
}

/** The built-in types scenarios can use by name (the engine's other types are reached through values). */
const BUILTIN_TYPES: ReadonlySet<string> = new Set([
    'object', 'type', 'int', 'bool', 'float', 'complex', 'str', 'bytes', 'bytearray', 'list', 'tuple', 'dict', 'set', 'frozenset',
    'range', 'slice', 'property', 'staticmethod', 'classmethod', 'super',
    'enumerate', 'reversed', 'zip', 'map', 'filter',
]);

function installHooks(it: Interpreter): void {
    const genType = it.T.generator;
    it.setHooks({
        // Any instance of a heap type (a plain class, a list subclass, a class made by a metaclass) may
        // have a __del__; an io object has tp_finalize (iobase_finalize). (The generator test compares
        // the type, cheaper than a second instanceof on every dealloc.)
        hasFinalizer: (o) =>
            o.type === genType ? genHasFinalizer(it, o as PyGenerator) : (o.flags & ObjFlag.NativeFinalizer) !== 0 || (o.type.isHeap && o.type.lookup('__del__') !== null),
        // 2.7 gcmodule has_finalizer: a generator counts only while PyGen_NeedsFinalizing (2.7's io
        // types have no tp_del).
        hasLegacyFinalizer: (o) => (o instanceof PyGenerator ? genNeedsFinalizing(o) : o.type.isHeap && o.type.lookup('__del__') !== null),
        runFinalizer: (o) => (o instanceof PyGenerator ? genFinalize(it, o) : o.flags & ObjFlag.NativeFinalizer ? iobaseFinalize(it, o as IOObject) : runDel(it, o)),
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
    const extra = it.profile.finalizerCallDepth - 1;
    if (extra === 0) {
        runAsFinalizer(it, o, del, o, () => it.decref(callBound(it, del, o, [])));
        return;
    }
    // 2.7: PyObject_Call of the bound method checks the depth first, then the function's call and
    // its frame count too (profiles.ts finalizerCallDepth).
    runAsFinalizer(it, o, del, o, () => {
        if (it.depth + 1 > it.recursionLimit) throw it.error(errorType(it.profile, 'recursion'), 'maximum recursion depth exceeded while calling a Python object');
        it.depth += extra;
        try {
            it.decref(callBound(it, del, o, []));
        } finally {
            it.depth -= extra;
        }
    });
}

/**
 * A finalizer of `o` runs (`__del__`, a generator's close): its events bracket what it does, and
 * an exception it raises is reported as unraisable ("Exception ignored in: `where`", 2.7 `__del__`:
 * the method bound to `boundTo`) and swallowed.
 */
export function runAsFinalizer(it: Interpreter, o: PyObject, where: PyObject, boundTo: PyObject | null, body: () => void, kind: FinalizerKind = '__del__'): void {
    const { line, col, node } = it;
    it.log.push(EventKind.FinalizerStart, it.step, line, col, o.id, 0, kind);
    let failed: string | null = null;
    try {
        body();
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        failed = exceptionLogLine(e.exc);
        writeUnraisable(it, e.exc, where, { tb27: e.tb, boundTo });
        dropRaise(it, e);
    } finally {
        it.line = line;
        it.col = col;
        it.node = node;
        it.log.push(EventKind.FinalizerEnd, it.step, line, col, o.id, failed === null ? 0 : 1, failed);
    }
}

export { ObjFlag, PyException };
