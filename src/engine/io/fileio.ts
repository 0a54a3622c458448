/*
 * fileio.ts
 *
 * Modules/_io/fileio.c: `_io.FileIO`, the raw layer. It owns the file descriptor; every read and
 * write is one system call on the run's directory (memdir.ts), so bytes written here are in the
 * file at once (a FileWrite event). Its `__dict__` holds `name`. close() is IOBase.close, then,
 * when called by the finalizer, `_dealloc_warn` ("unclosed file <…>", with this object as the
 * source), then close(2). `_dealloc_warn(source)` is also how the buffered and text layers warn:
 * the warning names the object whose finalizer found the file open.
 */

import type { PyObject } from '../runtime/object';
import { PyStr } from '../runtime/values';
import { PyByteArray, bufferOf } from '../runtime/bytearrayobject';
import { msg } from '../messages';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { repr } from '../interp/format';
import { warn } from '../interp/warnings';
import { IOObject, refuseIo, closedError, unsupportedOperation, optSize, intArg, maxArgs, iobaseMethods, makeIoType, type IoTypes } from './iobase';
import { sysCall } from './oserror';
import { BLKSIZE, type OpenFlags } from './memdir';

/** err_closed() of fileio.c: no period, unlike the other layers. */
const CLOSED = 'I/O operation on closed file';

export class FileIOObject extends IOObject {
    fd = -1;
    readable = false;
    writable = false;
    appending = false;
    created = false;
    closefd = true;
    /** The file as the program named it, relative to the run's directory (events and reports). */
    path = '';

    isClosed(): boolean {
        return this.fd < 0;
    }

    /** mode_string(). */
    get mode(): string {
        if (this.created) return this.readable ? 'xb+' : 'xb';
        if (this.appending) return this.readable ? 'ab+' : 'ab';
        if (this.readable) return this.writable ? 'rb+' : 'rb';
        return 'wb';
    }

    nameObject(): PyObject | null {
        return this.dict?.getStr('name') ?? null;
    }

    reprText(it: Interpreter): string {
        if (this.fd < 0) return '<_io.FileIO [closed]>';
        const name = this.nameObject();
        const closefd = this.closefd ? 'True' : 'False';
        if (!name) return `<_io.FileIO fd=${this.fd} mode='${this.mode}' closefd=${closefd}>`;
        return `<_io.FileIO name=${repr(it, name)} mode='${this.mode}' closefd=${closefd}>`;
    }

    /** open(2) on the run's directory (fileio_init). */
    openFile(it: Interpreter, name: PyStr, flags: OpenFlags): void {
        const dir = it.io.dir;
        this.fd = sysCall(it, 'OSError', () => dir.open(name.v, flags), name);
        this.path = dir.relativePath(name.v);
        // fileio_init: an appending file is positioned at its end at once.
        if (this.appending) dir.seek(this.fd, 0, 2);
    }

    private check(it: Interpreter, mode: 'reading' | 'writing' | null): void {
        if (this.fd < 0) throw closedError(it, CLOSED);
        if (mode === 'reading' && !this.readable) throw unsupportedOperation(it, 'File not open for reading');
        if (mode === 'writing' && !this.writable) throw unsupportedOperation(it, 'File not open for writing');
    }

    /** read(2); n < 0 reads to the end (readall). */
    rawRead(it: Interpreter, n: number): Uint8Array {
        this.check(it, 'reading');
        const fd = this.fd;
        return sysCall(it, 'OSError', () => it.io.dir.read(fd, n));
    }

    /** write(2): the bytes are in the file from now on. */
    rawWrite(it: Interpreter, b: Uint8Array): number {
        this.check(it, 'writing');
        const fd = this.fd;
        const n = sysCall(it, 'OSError', () => it.io.dir.write(fd, b));
        it.io.logWrite(it, this.id, this.path, n);
        return n;
    }

    rawSeek(it: Interpreter, pos: number, whence: number): number {
        this.check(it, null);
        const fd = this.fd;
        return sysCall(it, 'OSError', () => it.io.dir.seek(fd, pos, whence));
    }

    rawTell(it: Interpreter): number {
        return this.rawSeek(it, 0, 1);
    }

    rawTruncate(it: Interpreter, size: number | null): number {
        this.check(it, 'writing');
        const n = size ?? this.rawTell(it);
        const fd = this.fd;
        sysCall(it, 'OSError', () => it.io.dir.truncate(fd, n));
        return n;
    }

    /** `_dealloc_warn(source)`: the ResourceWarning of a file its finalizer found open. */
    deallocWarn(it: Interpreter, source: PyObject): void {
        if (this.fd >= 0 && this.closefd) warn(it, 'ResourceWarning', `unclosed file ${repr(it, source)}`, source);
    }

    close(it: Interpreter): void {
        // RawIOBase.close → IOBase.close: nothing to flush; closed from here on.
        if (this.fd < 0) return;
        if (!this.closefd) {
            this.fd = -1;
            return;
        }
        if (this.finalizing) this.deallocWarn(it, this);
        const fd = this.fd;
        this.fd = -1;
        sysCall(it, 'OSError', () => it.io.dir.close(fd));
    }

    /** RawIOBase/IOBase.readline: byte by byte up to b'\n'. */
    readline(it: Interpreter, limit: number): PyObject {
        const out: number[] = [];
        while (limit < 0 || out.length < limit) {
            const b = this.rawRead(it, 1);
            if (!b.length) break;
            out.push(b[0]);
            if (b[0] === 10) break;
        }
        return it.bytes(Uint8Array.from(out));
    }
}

/** `bytes`-like argument of write() ("y*": an object exporting a buffer, bytes or bytearray; memoryview is not modelled). */
export function bytesArg(it: Interpreter, o: PyObject): Uint8Array {
    const view = bufferOf(it, o);
    if (view !== null) return view.slice();
    throw it.error('TypeError', `a bytes-like object is required, not '${o.type.name}'`);
}

/**
 * The argument of readinto() ("w*": a writable buffer, here a bytearray). 2.7's readinto answers a
 * `long`, a type the engine does not model: refused there.
 */
export function readintoArg(it: Interpreter, o: PyObject, messageId: 'fileioReadintoArg' | 'bufferedReadintoArg'): PyByteArray {
    if (it.profile.major === 2) throw refuseIo(it, 'readinto on Python 2.7 (it returns a long)');
    if (o instanceof PyByteArray) return o;
    throw it.error('TypeError', msg(it.profile, messageId, o.type.name));
}

export function installFileIO(it: Interpreter, types: IoTypes): void {
    const f = (self: PyObject): FileIOObject => self as FileIOObject;
    types.FileIO = makeIoType(it, {
        name: 'FileIO',
        base: types.RawIOBase,
        methods: {
            ...iobaseMethods(it),
            read: (self, args, kwargs: KwArgs) => {
                maxArgs(it, 'read', args, 1);
                return it.bytes(f(self).rawRead(it, optSize(it, args, 0, kwargs)));
            },
            readall: (self) => it.bytes(f(self).rawRead(it, -1)),
            // _io_FileIO_readinto_impl: one read(2) of at most the buffer's length, copied into it.
            readinto: (self, args) => {
                maxArgs(it, 'readinto', args, 1);
                const into = readintoArg(it, args[0], 'fileioReadintoArg');
                const data = f(self).rawRead(it, into.v.length);
                into.v.set(data);
                return it.int(data.length);
            },
            write: (self, args) => {
                maxArgs(it, 'write', args, 1);
                return it.int(f(self).rawWrite(it, bytesArg(it, args[0])));
            },
            seek: (self, args) => {
                maxArgs(it, 'seek', args, 2);
                const o = f(self);
                if (o.fd < 0) throw closedError(it, CLOSED);
                return it.int(o.rawSeek(it, intArg(it, args[0], 0), intArg(it, args[1], 0)));
            },
            tell: (self) => it.int(f(self).rawTell(it)),
            truncate: (self, args) => {
                maxArgs(it, 'truncate', args, 1);
                const size = args[0] && args[0] !== it.None ? intArg(it, args[0], 0) : null;
                return it.int(f(self).rawTruncate(it, size));
            },
            fileno: (self) => {
                if (f(self).fd < 0) throw closedError(it, CLOSED);
                return it.int(f(self).fd);
            },
            readable: (self) => {
                if (f(self).fd < 0) throw closedError(it, CLOSED);
                return it.bool(f(self).readable);
            },
            writable: (self) => {
                if (f(self).fd < 0) throw closedError(it, CLOSED);
                return it.bool(f(self).writable);
            },
            seekable: (self) => {
                if (f(self).fd < 0) throw closedError(it, CLOSED);
                return it.True;
            },
            isatty: (self) => {
                if (f(self).fd < 0) throw closedError(it, CLOSED);
                return it.False;
            },
            _dealloc_warn: (self, args) => {
                f(self).deallocWarn(it, args[0]);
                return it.None;
            },
        },
        getters: {
            closed: (self) => it.bool(f(self).fd < 0),
            closefd: (self) => it.bool(f(self).closefd),
            mode: (self) => it.str(f(self).mode),
            _blksize: () => it.int(BLKSIZE),
            _finalizing: (self) => it.bool(f(self).finalizing),
        },
        refused: ['__getstate__', '__reduce__', '__reduce_ex__'],
    });
}
