/*
 * modules.ts
 *
 * The modules a scenario can import, created on first import and registered in sys.modules in
 * import order (which is the order `finalize_remove_modules` walks at shutdown). Also the
 * sys.stdout / sys.stderr file objects.
 */

import type * as ast from '../parser/ast';
import { PyObject, ObjFlag } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyStr, codePointCount } from '../runtime/values';
import { PyDict } from '../runtime/containers';
import { PyModule } from '../runtime/frames';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import type { OutStream } from '../interp/output';
import { ProcessExit, PyRaise } from '../interp/signals';
import { arity, toInt, toCInt } from './args';
import { INT_STR_DIGITS_THRESHOLD } from '../interp/longobject';
import { createGcModule } from './gcModule';
import { createAtexitModule } from './atexitModule';
import { createWeakrefModule } from './weakrefModule';
import { createFunctoolsModule } from '../modules/functools';
import { createCollectionsModule } from '../modules/collections';
import { createContextlibModule } from '../modules/contextlib';
import { createTypesModule } from '../modules/types';
import { createItertoolsModule } from '../modules/itertools';
import { createCopyModule } from '../modules/copy';
import { createJsonModule } from '../modules/json';
import { createRandomModule } from '../modules/random';
import { createTypingModule } from '../modules/typing';
import { createLoggingModule } from '../modules/logging';
import { createTracebackModule } from '../modules/tracebackModule';
import { createOperatorModule } from '../modules/operator';
import { createWarningsModule } from '../modules/warnings';
import { createThreadingModule } from '../threads/threadingModule';
import { createQueueModule } from '../threads/queueModule';
import { createTimeModule } from '../threads/virtualClock';
import { createThreadModule } from '../threads/threadModule';
import { chargeImport } from '../gc/collector';
import { EventKind } from '../events';
import { errorType, msg } from '../messages';
import { createOsModule } from './osModule';
import { materializeFrame } from '../interp/calls';
import { createIoModule } from '../io/builtins';
import { newStructSeqType, newStructSeq } from './structseq';
import { createConcurrentModule, createFuturesModule } from '../threads/futuresThread';

/** sys.stdout / sys.stderr: file objects over the simulated streams (never freed). */
export class OutStreamObject extends PyObject {
    /** 2.7's `file.softspace` (printStatement.ts); cleared by write(). */
    softspace = 0;

    constructor(
        type: PyType,
        readonly stream: OutStream,
    ) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

type Fn = (args: PyObject[], kwargs: KwArgs) => PyObject;

export function defineFn(it: Interpreter, m: PyModule, name: string, fn: Fn): void {
    const b = it.builtin(name, (_self, args, kwargs) => fn(args, kwargs));
    m.dict.set(it.heap, it.str(name), b);
}

export function setModuleAttr(it: Interpreter, m: PyModule, name: string, v: PyObject): void {
    m.dict.set(it.heap, it.str(name), v);
    it.decref(v);
}

const FACTORIES: Record<string, (it: Interpreter) => PyModule> = {
    __future__: createFutureModule,
    gc: createGcModule,
    atexit: createAtexitModule,
    weakref: createWeakrefModule,
    os: createOsModule,
    io: createIoModule,
    functools: createFunctoolsModule,
    collections: createCollectionsModule,
    contextlib: createContextlibModule,
    types: createTypesModule,
    itertools: createItertoolsModule,
    copy: createCopyModule,
    json: createJsonModule,
    random: createRandomModule,
    typing: createTypingModule,
    logging: createLoggingModule,
    traceback: createTracebackModule,
    operator: createOperatorModule,
    warnings: createWarningsModule,
    threading: createThreadingModule,
    queue: createQueueModule,
    Queue: createQueueModule,
    time: createTimeModule,
    _thread: createThreadModule,
    thread: createThreadModule,
    concurrent: createConcurrentModule,
    'concurrent.futures': createFuturesModule,
};

const PY2_ONLY = new Set(['Queue', 'thread']);

/** A submodule the engine models (`concurrent.futures`), which `from package import name` imports. */
export function isSubmodule(name: string): boolean {
    return name.includes('.') && name in FACTORIES;
}
const PY3_ONLY = new Set(['queue', '_thread']);

/** `import name`: the module (new reference), created and registered on first import. */
export function importModule(it: Interpreter, name: string, at: ast.Range, parentDone = false): PyModule {
    const py2 = it.profile.major === 2;
    const canonical = name === '__builtin__' && py2 ? 'builtins' : name;
    if ((name === '__builtin__' && !py2) || (name === 'builtins' && py2)) {
        throw it.error(py2 ? 'ImportError' : 'ModuleNotFoundError', py2 ? `No module named ${name}` : `No module named '${name}'`);
    }
    const key = canonical === 'builtins' ? (py2 ? '__builtin__' : 'builtins') : canonical;
    const existing = it.modules.getStr(key);
    if (existing) return it.incref(existing) as PyModule;
    if (canonical === 'os.path') {
        // `import os.path as p`: os is imported, and its `path` attribute is the module (posixpath).
        const os = importModule(it, 'os', at);
        const path = os.dict.getStr('path') as PyModule;
        it.incref(path);
        it.decref(os);
        return path;
    }
    if (canonical.startsWith('os.')) {
        throw it.error(errorType(it.profile, 'moduleNotFound'), py2 ? `No module named ${name.slice(3)}` : `No module named '${name}'`);
    }
    // A submodule of a package (concurrent.futures): the package first; the submodule is bound as its attribute.
    if (py2 && (canonical === 'concurrent' || canonical.startsWith('concurrent.'))) throw it.error('ImportError', `No module named ${name}`);
    const dot = canonical.lastIndexOf('.');
    const parent = dot > 0 && !parentDone && FACTORIES[canonical] ? importModule(it, canonical.slice(0, dot), at) : null;
    if (parent) {
        try {
            const sub = importModule(it, canonical, at, true);
            parent.dict.set(it.heap, it.str(canonical.slice(dot + 1)), sub);
            return sub;
        } finally {
            it.decref(parent);
        }
    }
    const factory = FACTORIES[canonical];
    // Modules that exist under one name per major version (queue/Queue, _thread/thread).
    if (py2 ? PY3_ONLY.has(canonical) : PY2_ONLY.has(canonical)) {
        throw it.error(py2 ? 'ImportError' : 'ModuleNotFoundError', py2 ? `No module named ${name}` : `No module named '${name}'`);
    }
    if (!factory) {
        void at;
        throw it.error(py2 ? 'ImportError' : 'ModuleNotFoundError', py2 ? `No module named ${name}` : `No module named '${name}'`);
    }
    it.log.push(EventKind.ModuleImport, it.step, it.line, it.col, 0, 1, key);
    let m: PyModule;
    const listsBefore = it.heap.freeLists?.state() ?? null;
    try {
        m = factory(it);
    } finally {
        // Closed on an exception too, so what the program allocates afterwards stays its own.
        it.log.push(EventKind.ModuleImport, it.step, it.line, it.col, 0, 0, key);
    }
    // (3.x: the command-line options imported `warnings` at start-up, so importing it costs nothing.)
    if (!(canonical === 'warnings' && !py2 && it.io.flags.argv.length)) chargeImport(it, canonical, m.dict, listsBefore);
    it.modules.set(it.heap, it.str(key), m);
    return m;
}

// ------------------------------------------------------------------------------------------------
// sys

export function createSysModule(it: Interpreter, stdoutObj: OutStreamObject, stderrObj: OutStreamObject): PyModule {
    const m = it.newModule('sys');
    const p = it.profile;
    defineFn(it, m, 'getrefcount', (args) => {
        arity(it, 'getrefcount', args, 1, 1);
        const o = args[0];
        if (o.flags & ObjFlag.Atomic) return it.int(p.immortalObjects ? 4294967295 : 1000);
        return it.int(o.rc);
    });
    // sys__getframe_impl: the frame object of the frame `depth` calls up (materialized on demand,
    // 3.11+'s _PyFrame_GetFrameObject); it keeps that frame's locals alive once the call returns.
    defineFn(it, m, '_getframe', (args) => {
        arity(it, '_getframe', args, 0, 1);
        let depth = args.length ? toCInt(it, args[0], it.profile.major === 2 ? 'getargs' : 'clinic') : 0;
        let f = it.frame;
        while (depth > 0 && f !== null) {
            f = f.back;
            depth--;
        }
        if (f === null) throw it.error('ValueError', 'call stack is not deep enough');
        return it.incref(materializeFrame(it, f));
    });
    defineFn(it, m, 'exit', (args) => {
        arity(it, 'exit', args, 0, 1);
        const e = it.newException(it.T.SystemExit, args.length && args[0] !== it.None ? args : args);
        throw new PyRaise(e);
    });
    defineFn(it, m, 'exc_info', () => {
        const cur = it.handled[it.handled.length - 1];
        if (!cur) return it.tuple([it.None, it.None, it.None]);
        const tb = cur.traceback ?? it.handledTbs[it.handledTbs.length - 1] ?? it.None;
        return it.tuple([it.incref(cur.type), it.incref(cur), it.incref(tb)]);
    });
    defineFn(it, m, 'getrecursionlimit', () => it.int(it.recursionLimit));
    defineFn(it, m, 'setrecursionlimit', (args) => {
        arity(it, 'setrecursionlimit', args, 1, 1);
        const limit = toCInt(it, args[0], it.profile.clinicIntArgs ? 'clinic' : 'getargs');
        if (limit < 1) throw it.error('ValueError', msg(it.profile, 'recursionLimitTooLow'));
        it.recursionLimit = limit;
        return it.None;
    });
    defineFn(it, m, 'intern', (args) => it.incref(args[0]));
    // The int/str digit limit (longobject.ts checks it): only versions that have it.
    it.intMaxStrDigits = p.intMaxStrDigits;
    if (p.intMaxStrDigits) {
        defineFn(it, m, 'get_int_max_str_digits', () => it.int(it.intMaxStrDigits));
        defineFn(it, m, 'set_int_max_str_digits', (args, kwargs) => {
            const v = args[0] ?? kwargs?.get('maxdigits');
            if (!v || args.length + (kwargs?.size ?? 0) !== 1) throw it.error('TypeError', "set_int_max_str_digits() missing required argument 'maxdigits' (pos 1)");
            const n = toCInt(it, v, 'clinic');
            if (n !== 0 && n < INT_STR_DIGITS_THRESHOLD) throw it.error('ValueError', `maxdigits must be 0 or larger than ${INT_STR_DIGITS_THRESHOLD}`);
            it.intMaxStrDigits = n;
            return it.None;
        });
    }
    const viType = newStructSeqType(it, 'sys', 'version_info', ['major', 'minor', 'micro', 'releaselevel', 'serial']);
    const vi = newStructSeq(it, viType, [it.int(p.major), it.int(p.minor), it.int(Number(p.fullVersion.split('.')[2] ?? 0)), it.str('final'), it.int(0)]);
    setModuleAttr(it, m, 'version_info', vi);
    setModuleAttr(it, m, 'version', it.str(`${p.fullVersion} (simulated by ExitScope)`));
    setModuleAttr(it, m, 'hexversion', it.int(p.major * 0x1000000 + p.minor * 0x10000));
    setModuleAttr(it, m, 'platform', it.str(p.major === 2 ? 'linux2' : 'linux'));
    setModuleAttr(it, m, 'byteorder', it.str('little'));
    setModuleAttr(it, m, 'maxsize', it.int(9223372036854775807n));
    setModuleAttr(it, m, 'argv', it.list([it.str(it.fileName)]));
    setModuleAttr(it, m, 'path', it.list([]));
    setModuleAttr(it, m, 'modules', it.incref(it.modules));
    m.dict.set(it.heap, it.str('stdout'), stdoutObj);
    m.dict.set(it.heap, it.str('stderr'), stderrObj);
    m.dict.set(it.heap, it.str('__stdout__'), stdoutObj);
    m.dict.set(it.heap, it.str('__stderr__'), stderrObj);
    return m;
}

/** io.TextIOWrapper for stdout/stderr with write() and flush(). */
export function createStreamType(it: Interpreter): PyType {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    // 2.7's sys.stdout is a `file` (a built-in type); 3.x's an `_io.TextIOWrapper`.
    const typeName = it.profile.typeNames.TextIOWrapper ?? 'TextIOWrapper';
    const t = new PyType(it.T.type, typeName, it.T.object, d, 'native', false);
    t.mro = [t, it.T.object];
    if (typeName === 'TextIOWrapper') t.module = '_io';
    t.id = it.heap.newId();
    const method = (name: string, fn: (self: OutStreamObject, args: PyObject[]) => PyObject): void => {
        d.set(it.heap, it.str(name), it.builtin(name, (self, args) => fn(self as OutStreamObject, args), typeName, true));
    };
    method('write', (self, args) => {
        arity(it, 'write', args, 1, 1);
        const s = args[0];
        if (!(s instanceof PyStr)) throw it.error('TypeError', `write() argument must be str, not ${s.type.name}`);
        self.softspace = 0;
        self.stream.write(s.v);
        return it.int(codePointCount(s.v));
    });
    method('flush', (self) => {
        self.stream.flush();
        return it.None;
    });
    method('isatty', () => it.False);
    method('fileno', (self) => it.int(self.stream.fd));
    return t;
}

// ------------------------------------------------------------------------------------------------
// __future__

/**
 * `from __future__ import x` is also a real import: the module `__future__` joins sys.modules (so
 * it is removed and wiped at shutdown like any other) and `x` is bound to its _Feature object in
 * the importing namespace (2.7: one more key in the hash-ordered `__main__` dict). The features
 * are opaque here (nothing in a scenario inspects them); what the import allocates is charged as
 * measured (profiles.ts importAllocations).
 */
const FUTURE_FEATURES = ['nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function', 'unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations'];

function createFutureModule(it: Interpreter): PyModule {
    const m = it.newModule('__future__');
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const featureType = new PyType(it.T.type, '_Feature', it.T.object, d, 'native', false);
    featureType.mro = [featureType, it.T.object];
    featureType.module = '__future__';
    featureType.id = it.heap.newId();
    for (const name of FUTURE_FEATURES) {
        const f = new PyObject(featureType);
        f.flags |= ObjFlag.Atomic;
        f.id = it.heap.newId();
        m.dict.set(it.heap, it.str(name), f);
    }
    return m;
}

export { PyInt };
