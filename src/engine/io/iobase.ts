/*
 * iobase.ts
 *
 * Modules/_io/iobase.c: what the 3.x io classes share.
 *   - IOObject: an io object is a GC-tracked heap object with an instance __dict__, weak
 *     references and a tp_finalize, iobase_finalize: if the object is not closed, it sets
 *     `_finalizing` and calls close() (which then warns "unclosed file" through FileIO's
 *     `_dealloc_warn` and flushes). Errors from that close() are swallowed, or printed as
 *     unraisable in dev mode (-X dev). The heap calls it like `__del__` (ObjFlag.NativeFinalizer):
 *     at the last reference, in a collection (PEP 442, in the unreachable list's order: a FileIO
 *     finalized before its buffer closes the file under it, and the buffered data is lost), or
 *     never (an object that survives the process).
 *   - the type objects (`_io.FileIO`, …) with their methods, and `io.UnsupportedOperation`;
 *   - IOBase's methods: __enter__/__exit__, __iter__/__next__, readlines, writelines, the
 *     `closed` checks with their messages.
 */

import { ObjFlag, type PyObject, type Refs, type Visit } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict } from '../runtime/containers';
import { PyBytes, PyInt, PyStr } from '../runtime/values';
import { getAttr } from '../interp/attrs';
import { call } from '../interp/calls';
import { PyProperty, type PyBuiltin, type KwArgs } from '../runtime/callables';
import { NativeObject } from '../runtime/nativeObject';
import { EventKind, type FinalizerKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import { PyRaise, EngineStop, dropRaise } from '../interp/signals';
import { writeUnraisable } from '../interp/traceback';
import { collect } from '../interp/ops';

export type IoMethod = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;
export type IoGetter = (self: PyObject) => PyObject;

export abstract class IOObject extends NativeObject {
    /** The instance `__dict__` (FileIO's holds `name`, TextIOWrapper's `mode`), or null. */
    dict: PyDict | null = null;
    /** `_finalizing`: close() was called by iobase_finalize (it then warns about the unclosed file). */
    finalizing = false;

    constructor(type: PyType) {
        super(type);
        this.flags |= ObjFlag.NativeFinalizer;
    }

    override isGcType(): boolean {
        return true;
    }

    abstract isClosed(it: Interpreter): boolean;

    checkOpen(it: Interpreter): void {
        checkClosed(it, this);
    }

    /** The type's close(). */
    abstract close(it: Interpreter): void;

    /** readline() for iteration: '' / b'' at the end. */
    abstract readline(it: Interpreter, limit: number): PyObject;

    /** fileio_traverse, stringio_traverse…: the instance dict (the layers holding more override). */
    override traverse(visit: Visit): void {
        if (this.dict) visit(this.dict);
    }

    override clear(r: Refs): void {
        const d = this.dict;
        this.dict = null;
        if (d) r.release(this, d, '__dict__');
    }

    override existingDict(): PyDict | null {
        return this.dict;
    }

    override instanceDict(it: Interpreter): PyDict | null {
        if (!this.dict) {
            this.dict = it.dict();
            this.dict.namespace = true;
            it.heap.adopt(this, this.dict, '__dict__');
        }
        return this.dict;
    }

    /** iobase_iter: the object itself, after the closed check. */
    override nativeIter(it: Interpreter): PyObject {
        checkClosed(it, this);
        return it.incref(this);
    }

    /** iobase_iternext: readline(); an empty line ends the iteration. */
    override nativeNext(it: Interpreter): PyObject | null {
        const line = this.readline(it, -1);
        if (isEmpty(line)) {
            it.decref(line);
            return null;
        }
        return line;
    }
}

function isEmpty(o: PyObject): boolean {
    if (o instanceof PyStr) return o.v.length === 0;
    return (o as { v?: Uint8Array }).v?.length === 0;
}

// ------------------------------------------------------------------------------------------------
// errors

/** `ValueError: I/O operation on closed file.` (the message of each class: FileIO has no period). */
export function closedError(it: Interpreter, message = 'I/O operation on closed file.'): PyRaise {
    return it.error('ValueError', message);
}

export function checkClosed(it: Interpreter, o: IOObject, message?: string): void {
    if (o.isClosed(it)) throw closedError(it, message);
}

/** `io.UnsupportedOperation: message`. */
export function unsupportedOperation(it: Interpreter, message: string): PyRaise {
    return new PyRaise(it.newException(ioTypes(it).UnsupportedOperation, [it.str(message)]));
}

/** A feature of the io classes the engine does not model: the run stops (never a Python error). */
export function refuseIo(it: Interpreter, what: string): EngineStop {
    return new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line: it.line || 1, col: it.col || 1 });
}

// ------------------------------------------------------------------------------------------------
// argument helpers (Argument Clinic's converters, with their messages)

/** `size=-1`: an int or None (_Py_convert_optional_to_ssize_t). */
export function optSize(it: Interpreter, args: PyObject[], i: number, kwargs: KwArgs, name = 'size'): number {
    const o = args[i] ?? kwargs?.get(name) ?? null;
    if (!o || o === it.None) return -1;
    if (o instanceof PyInt) return Number(o.v);
    throw it.error('TypeError', `argument should be integer or None, not '${o.type.name}'`);
}

export function intArg(it: Interpreter, o: PyObject | undefined, dflt: number): number {
    if (!o) return dflt;
    if (o instanceof PyInt) return Number(o.v);
    throw it.error('TypeError', `'${o.type.name}' object cannot be interpreted as an integer`);
}

export function maxArgs(it: Interpreter, name: string, args: PyObject[], max: number): void {
    if (args.length <= max) return;
    if (max === 0) throw it.error('TypeError', `${name}() takes no arguments (${args.length} given)`);
    throw it.error('TypeError', `${name} expected at most ${max} argument${max > 1 ? 's' : ''}, got ${args.length}`);
}

// ------------------------------------------------------------------------------------------------
// iobase_finalize

/** Runs an io object's tp_finalize (the heap's runFinalizer hook for ObjFlag.NativeFinalizer). */
export function iobaseFinalize(it: Interpreter, o: IOObject): void {
    const { line, col } = it;
    it.log.push(EventKind.FinalizerStart, it.step, line, col, o.id, 0, 'iobase_finalize' satisfies FinalizerKind);
    try {
        if (o.isClosed(it)) return;
        o.finalizing = true;
        try {
            o.close(it);
        } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            // iobase_finalize: silenced, except in dev mode (PyErr_WriteUnraisable).
            if (it.io.flags.devMode) writeUnraisable(it, e.exc, o, { tb27: e.tb });
            dropRaise(it, e);
        }
    } finally {
        it.line = line;
        it.col = col;
        it.log.push(EventKind.FinalizerEnd, it.step, line, col, o.id, 0, null);
    }
}

// ------------------------------------------------------------------------------------------------
// types

export interface IoTypeSpec {
    name: string;
    base: PyType;
    /** The module in repr and tp_name (`_io`, `io`, `encodings.utf_8`). */
    module?: string;
    methods?: Record<string, IoMethod>;
    getters?: Record<string, IoGetter>;
    /** Attributes CPython's class has that the engine does not model: using one stops the run. */
    refused?: readonly string[];
}

/** A static type (never freed) whose instances use the 'io' layout. */
export function makeIoType(it: Interpreter, spec: IoTypeSpec): PyType {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const t = new PyType(it.T.type, spec.name, spec.base, d, 'io', false);
    t.mro = [t, ...spec.base.mro];
    t.module = spec.module ?? '_io';
    t.tpName = `${t.module}.${spec.name}`;
    t.id = it.heap.newId();
    for (const name of spec.refused ?? []) {
        d.set(it.heap, it.str(name), it.builtin(name, () => {
            throw refuseIo(it, `${spec.name}.${name}`);
        }, spec.name, true));
    }
    for (const [name, fn] of Object.entries(spec.methods ?? {})) {
        d.set(it.heap, it.str(name), it.builtin(name, (self, args, kwargs) => fn(self!, args, kwargs), spec.name, true));
    }
    for (const [name, get] of Object.entries(spec.getters ?? {})) d.set(it.heap, it.str(name), nativeProperty(it, name, get));
    return t;
}

/** A read-only attribute of a C type (a getset descriptor; a static property here). */
export function nativeProperty(it: Interpreter, name: string, get: IoGetter): PyProperty {
    const p = new PyProperty(it.T.property, it.builtin(name, (_s, args) => get(args[0])), null, null);
    p.flags |= ObjFlag.Atomic;
    p.id = it.heap.newId();
    return p;
}

export interface IoTypes {
    IOBase: PyType;
    RawIOBase: PyType;
    BufferedIOBase: PyType;
    TextIOBase: PyType;
    FileIO: PyType;
    BufferedReader: PyType;
    BufferedWriter: PyType;
    BufferedRandom: PyType;
    TextIOWrapper: PyType;
    IncrementalNewlineDecoder: PyType;
    IncrementalEncoder: PyType;
    IncrementalDecoder: PyType;
    UnsupportedOperation: PyType;
}

/** The io types of this interpreter, created on first use (installers: fileio.ts, bufferedio.ts, textio.ts). */
export function ioTypes(it: Interpreter): IoTypes {
    const cached = it.moduleState.get('io.types') as IoTypes | undefined;
    if (cached) return cached;
    const types = {} as IoTypes;
    it.moduleState.set('io.types', types);
    const install = it.moduleState.get('io.install') as ((it: Interpreter, t: IoTypes) => void) | undefined;
    if (!install) throw new Error('internal: io types requested before io/open.ts registered them');
    install(it, types);
    return types;
}

/** What a file object of either kind (3.x io, 2.7 `file`) offers the protocol methods below. */
export interface FileProtocol {
    /** Raises the closed-file ValueError of its class. */
    checkOpen(it: Interpreter): void;
    close(it: Interpreter): void;
    nativeIter(it: Interpreter): PyObject | null;
    nativeNext(it: Interpreter): PyObject | null;
}

/** The context manager and the iterator (`__next__`, 2.7 `next`), shared by both kinds of file object. */
export function fileProtocolMethods(it: Interpreter, nextName: string): Record<string, IoMethod> {
    const f = (self: PyObject): FileProtocol => self as unknown as FileProtocol;
    return {
        __enter__: (self) => {
            f(self).checkOpen(it);
            return it.incref(self);
        },
        __exit__: (self) => {
            f(self).close(it);
            return it.None;
        },
        __iter__: (self) => f(self).nativeIter(it)!,
        [nextName]: (self) => {
            const line = f(self).nativeNext(it);
            if (!line) throw new PyRaise(it.newException(it.T.StopIteration, []));
            return line;
        },
    };
}

/** IOBase's own methods, inherited by every io class. */
export function iobaseMethods(it: Interpreter): Record<string, IoMethod> {
    const io = (self: PyObject): IOObject => self as IOObject;
    return {
        ...fileProtocolMethods(it, '__next__'),
        close: (self) => {
            io(self).close(it);
            return it.None;
        },
        readlines: (self, args, kwargs) => {
            const hint = optSize(it, args, 0, kwargs, 'hint');
            const o = io(self);
            checkClosed(it, o);
            const lines: PyObject[] = [];
            let total = 0;
            for (let line = o.nativeNext(it); line; line = o.nativeNext(it)) {
                lines.push(line);
                total += (line as unknown as { v: { length: number } }).v.length;
                if (hint > 0 && total >= hint) break;
            }
            return it.list(lines);
        },
        // _io__IOBase_readline_impl, for the classes without a readline of their own (FileIO,
        // BufferedWriter): self.read(1) through the method (an override runs; a writer's read
        // raises its UnsupportedOperation) until b'\n' or `size` bytes. Read-ahead through a
        // peek() method is not modelled (only a user's subclass could have one here).
        readline: (self, args, kwargs) => {
            maxArgs(it, 'readline', args, 1);
            const limit = optSize(it, args, 0, kwargs);
            if (self.type.lookup('peek')) throw refuseIo(it, `${self.type.name}.readline() of an object with peek()`);
            const out: number[] = [];
            while (limit < 0 || out.length < limit) {
                const read = getAttr(it, self, 'read');
                let b: PyObject;
                try {
                    b = call(it, read, [it.int(1)], null);
                } finally {
                    it.decref(read);
                }
                if (!(b instanceof PyBytes)) {
                    it.decref(b);
                    throw refuseIo(it, `${self.type.name}.readline() over a read() that returns ${b.type.name}`);
                }
                const n = b.v.length;
                for (let i = 0; i < n; i++) out.push(b.v[i]);
                it.decref(b);
                if (!n || out[out.length - 1] === 10) break;
            }
            return it.bytes(Uint8Array.from(out));
        },
        writelines: (self, args) => {
            maxArgs(it, 'writelines', args, 1);
            const o = io(self);
            checkClosed(it, o);
            const write = (o.type.lookup('write') as PyBuiltin).impl;
            const lines = collect(it, args[0]);
            try {
                for (const line of lines) it.decref(write(o, [line], null));
            } finally {
                for (const line of lines) it.decref(line);
            }
            return it.None;
        },
        isatty: (self) => {
            checkClosed(it, io(self));
            return it.False;
        },
    };
}
