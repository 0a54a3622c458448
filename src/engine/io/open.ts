/*
 * open.ts
 *
 * Modules/_io/_iomodule.c `_io_open_impl`, the builtin open() of 3.x: the mode is checked with
 * CPython's messages, then the layers are built in CPython's order: FileIO (the file is opened,
 * created or truncated here), a BufferedReader/Writer/Random of st_blksize bytes (unless
 * buffering=0 in binary mode), and for text a TextIOWrapper, whose `mode` attribute open() sets
 * last (creating the wrapper's __dict__). If a later layer fails, the ones already built are
 * closed. Three heap objects, each GC-tracked and with a finalizer, plus the codec objects.
 */

import type { PyObject } from '../runtime/object';
import { PyInt, PyStr, PyBytes } from '../runtime/values';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { PyRaise, dropRaise } from '../interp/signals';
import { truthy } from '../interp/ops';
import { makeIoType, ioTypes, refuseIo, type IoTypes, type IOObject } from './iobase';
import { FileIOObject, installFileIO } from './fileio';
import { BufferedObject, installBuffered, type BufferedKind } from './bufferedio';
import { TextIOObject, installTextIO, attachCodecs, isUtf8 } from './textio';
import { BLKSIZE } from './memdir';
import { chargeImport } from '../gc/collector';

/** GC allocations of C code the engine does not build as objects (profiles.ts fileAllocations). */
export function chargeAllocations(it: Interpreter, n: number): void {
    for (let i = 0; i < n; i++) it.heap.countAllocation();
}

/** The abstract bases and io.UnsupportedOperation, then each layer's classes. */
function installIoTypes(it: Interpreter, types: IoTypes): void {
    // _IOBase's private checks (iobase_methods) are not modelled: using one stops the run.
    types.IOBase = makeIoType(it, { name: '_IOBase', base: it.T.object, refused: ['_checkClosed', '_checkReadable', '_checkSeekable', '_checkWritable'] });
    types.RawIOBase = makeIoType(it, { name: '_RawIOBase', base: types.IOBase });
    types.BufferedIOBase = makeIoType(it, { name: '_BufferedIOBase', base: types.IOBase });
    types.TextIOBase = makeIoType(it, { name: '_TextIOBase', base: types.IOBase });
    // class UnsupportedOperation(OSError, ValueError), defined by the io module.
    const uo = makeIoType(it, { name: 'UnsupportedOperation', base: it.T.OSError, module: 'io' });
    uo.layout = 'exception';
    uo.mro = [uo, ...it.T.OSError.mro.filter((t) => t !== it.T.Exception && t !== it.T.BaseException && t !== it.T.object), it.T.ValueError, it.T.Exception, it.T.BaseException, it.T.object];
    types.UnsupportedOperation = uo;
    installFileIO(it, types);
    installBuffered(it, types);
    installTextIO(it, types);
}

export function registerIo(it: Interpreter): void {
    it.moduleState.set('io.install', installIoTypes);
}

interface Mode {
    creating: boolean;
    reading: boolean;
    writing: boolean;
    appending: boolean;
    updating: boolean;
    text: boolean;
    binary: boolean;
}

/** The mode string's letters, with _io_open_impl's checks and messages. */
function parseMode(it: Interpreter, mode: string): Mode {
    const m: Mode = { creating: false, reading: false, writing: false, appending: false, updating: false, text: false, binary: false };
    const invalid = (): PyRaise => it.error('ValueError', `invalid mode: '${mode}'`);
    for (let i = 0; i < mode.length; i++) {
        const c = mode[i];
        switch (c) {
            case 'x':
                m.creating = true;
                break;
            case 'r':
                m.reading = true;
                break;
            case 'w':
                m.writing = true;
                break;
            case 'a':
                m.appending = true;
                break;
            case '+':
                m.updating = true;
                break;
            case 't':
                m.text = true;
                break;
            case 'b':
                m.binary = true;
                break;
            case 'U':
                if (it.profile.openRejectsU) throw invalid();
                throw refuseIo(it, "open() mode 'U' (deprecated; a DeprecationWarning)");
            default:
                throw invalid();
        }
        if (mode.indexOf(c, i + 1) >= 0) throw invalid();
    }
    if (m.text && m.binary) throw it.error('ValueError', "can't have text and binary mode at once");
    if (Number(m.creating) + Number(m.reading) + Number(m.writing) + Number(m.appending) > 1) {
        throw it.error('ValueError', 'must have exactly one of create/read/write/append mode');
    }
    return m;
}

const PARAMS = ['file', 'mode', 'buffering', 'encoding', 'errors', 'newline', 'closefd', 'opener'];

/** open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None). */
export function ioOpen(it: Interpreter, args: PyObject[], kwargs: KwArgs): PyObject {
    if (args.length > PARAMS.length) throw it.error('TypeError', `open() takes at most 8 arguments (${args.length} given)`);
    const a = new Map<string, PyObject>();
    args.forEach((v, i) => a.set(PARAMS[i], v));
    for (const [k, v] of kwargs ?? []) {
        if (!PARAMS.includes(k)) throw it.error('TypeError', `'${k}' is an invalid keyword argument for open()`);
        if (a.has(k)) throw it.error('TypeError', `argument for open() given by name ('${k}') and position (${PARAMS.indexOf(k) + 1})`);
        a.set(k, v);
    }
    const file = a.get('file');
    if (!file) throw it.error('TypeError', "open() missing required argument 'file' (pos 1)");
    const str = (name: string): string | null => {
        const v = a.get(name);
        if (!v || v === it.None) return null;
        if (v instanceof PyStr) return v.v;
        throw it.error('TypeError', `open() argument '${name}' must be str${name === 'mode' ? '' : ' or None'}, not ${v.type.name}`);
    };
    const mode = str('mode') ?? 'r';
    const bufObj = a.get('buffering');
    let buffering = -1;
    if (bufObj) {
        if (!(bufObj instanceof PyInt) || bufObj.type === it.T.bool) throw it.error('TypeError', `'${bufObj.type.name}' object cannot be interpreted as an integer`);
        buffering = Number(bufObj.v);
    }
    const encoding = str('encoding');
    const errors = str('errors');
    const newline = str('newline');
    if (a.get('opener') && a.get('opener') !== it.None) throw refuseIo(it, 'open(opener=…)');
    if (a.get('closefd') && !truthy(it, a.get('closefd')!)) throw refuseIo(it, 'open(closefd=False)');

    const m = parseMode(it, mode);
    if (m.binary && encoding !== null) throw it.error('ValueError', "binary mode doesn't take an encoding argument");
    if (m.binary && errors !== null) throw it.error('ValueError', "binary mode doesn't take an errors argument");
    if (m.binary && newline !== null) throw it.error('ValueError', "binary mode doesn't take a newline argument");
    if (m.binary && buffering === 1) throw refuseIo(it, "open(…, 'b', buffering=1) (a RuntimeWarning: line buffering is not supported in binary mode)");

    // The file's name: a path (str); bytes paths and file descriptors are not modelled.
    if (file instanceof PyBytes) throw refuseIo(it, 'open() of a bytes path');
    if (file instanceof PyInt) throw refuseIo(it, 'open() of a file descriptor');
    if (!(file instanceof PyStr)) throw it.error('TypeError', `expected str, bytes or os.PathLike object, not ${file.type.name}`);
    if (file.v.includes('\0')) throw it.error('ValueError', 'embedded null byte');

    const types = ioTypes(it);
    chargeAllocations(it, m.binary ? it.profile.fileAllocations.openBinary : it.profile.fileAllocations.openText);
    // 3.8/3.9: the first text open asks the locale for its encoding, which imports _bootlocale.
    if (!m.binary) chargeImport(it, '_bootlocale');
    // FileIO(file, rawmode): "Must have exactly one of …" when no mode letter was given.
    if (!(m.creating || m.reading || m.writing || m.appending)) {
        throw it.error('ValueError', 'Must have exactly one of create/read/write/append mode and at most one plus');
    }
    const raw = it.heap.register(new FileIOObject(types.FileIO));
    raw.readable = m.reading || m.updating;
    raw.writable = m.writing || m.appending || m.creating || m.updating;
    raw.appending = m.appending;
    raw.created = m.creating;
    let result: IOObject = raw;
    try {
        raw.openFile(it, file, {
            read: raw.readable,
            write: raw.writable,
            create: !m.reading,
            exclusive: m.creating,
            truncate: m.writing,
            append: m.appending,
        });
        // fileio_init sets `name` (creating the instance dict).
        raw.instanceDict(it)!.set(it.heap, it.str('name'), file);

        let lineBuffering = false;
        if (buffering === 1) {
            buffering = -1;
            lineBuffering = true;
        }
        if (buffering < 0) buffering = BLKSIZE;
        if (buffering === 0) {
            if (!m.binary) throw it.error('ValueError', "can't have unbuffered text I/O");
            return raw;
        }
        const kind: BufferedKind = m.updating ? 'BufferedRandom' : m.creating || m.writing || m.appending ? 'BufferedWriter' : 'BufferedReader';
        const buffer = it.heap.register(new BufferedObject(types[kind], it, raw, buffering, kind));
        it.heap.adopt(buffer, raw, 'raw');
        if (it.profile.bufferedHasDict) buffer.instanceDict(it);
        if (buffer.writable) it.io.holders.add(buffer);
        result = buffer;
        if (m.binary) return buffer;

        if (encoding !== null && !isUtf8(encoding)) throw refuseIo(it, `open(encoding=${JSON.stringify(encoding)}) (only utf-8 is modelled)`);
        if (errors !== null && errors !== 'strict') throw refuseIo(it, `open(errors=${JSON.stringify(errors)})`);
        if (newline !== null && newline !== '' && newline !== '\n' && newline !== '\r' && newline !== '\r\n') {
            throw it.error('ValueError', `illegal newline value: ${newline}`);
        }
        // The locale's encoding under the recorder's C.UTF-8 locale is 'UTF-8'.
        const w = it.heap.register(new TextIOObject(types.TextIOWrapper, it, buffer, { encoding: encoding ?? 'UTF-8', newline, lineBuffering, writeThrough: false }));
        it.heap.adopt(w, buffer, 'buffer');
        attachCodecs(it, w, buffer, types);
        it.heap.incref(raw);
        it.heap.adopt(w, raw, '(raw)');
        if (buffer.writable) it.io.holders.add(w);
        result = w;
        w.instanceDict(it)!.set(it.heap, it.str('mode'), it.str(mode));
        return w;
    } catch (e) {
        if (e instanceof PyRaise && !result.isClosed(it)) {
            // _io_open_impl's error path closes what it built before letting go of it.
            try {
                result.close(it);
            } catch (inner) {
                if (!(inner instanceof PyRaise)) throw inner;
                dropRaise(it, inner);
            }
        }
        it.decref(result);
        throw e;
    }
}
