/*
 * bufferedio.ts
 *
 * Modules/_io/bufferedio.c: BufferedReader, BufferedWriter, BufferedRandom over a FileIO. The
 * buffer is `buffer_size` bytes (open() gives st_blksize: 4096). What decides when written bytes
 * reach the file is _bufferedwriter_write:
 *   - bytes that fit in the free part of the buffer are only copied there (3.13: unless the write
 *     is at least a whole buffer);
 *   - otherwise the buffer is written out first, then the new bytes are written straight to the
 *     file when they are more than a buffer (3.13: at least one), else they become the buffer.
 * flush(), close(), seek(), tell() of a text layer, a read on a BufferedRandom, and the finalizer
 * (through close) write the buffer out. close() on a buffered object whose FileIO is already
 * closed returns at once: the buffer is never written. The bytes still in it when the object is
 * freed, or when the process ends, are lost (FileLost events, io/state.ts).
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { PyRaise } from '../interp/signals';
import { PyByteArray } from '../runtime/bytearrayobject';
import { repr } from '../interp/format';
import { IOObject, refuseIo, closedError, unsupportedOperation, optSize, intArg, maxArgs, iobaseMethods, makeIoType, type IoTypes } from './iobase';
import { FileIOObject, bytesArg, readintoArg } from './fileio';
import type { BufferHolder } from './state';

const EMPTY = new Uint8Array(0);

export type BufferedKind = 'BufferedReader' | 'BufferedWriter' | 'BufferedRandom';

export class BufferedObject extends IOObject implements BufferHolder {
    raw: FileIOObject | null;
    readonly readable: boolean;
    readonly writable: boolean;
    readonly flushedByLibcExit = false;
    /** Bytes the program wrote that are not in the file yet. */
    private wbuf: Uint8Array;
    private wlen = 0;
    /** Bytes read ahead from the file, and how many of them were consumed. */
    private rbuf: Uint8Array = EMPTY;
    private rpos = 0;

    constructor(
        type: PyType,
        private readonly it: Interpreter,
        raw: FileIOObject,
        readonly bufferSize: number,
        readonly kind: BufferedKind,
    ) {
        super(type);
        this.raw = raw;
        this.readable = kind !== 'BufferedWriter';
        this.writable = kind !== 'BufferedReader';
        this.wbuf = new Uint8Array(this.writable ? bufferSize : 0);
    }

    get path(): string {
        return this.raw?.path ?? '';
    }

    pendingBytes(): number {
        return this.wlen;
    }

    isClosed(): boolean {
        return !this.raw || this.raw.isClosed();
    }

    /** buffered_traverse: raw, dict. */
    override traverse(visit: Visit): void {
        if (this.raw) visit(this.raw);
        if (this.dict) visit(this.dict);
    }

    override clear(r: Refs): void {
        const { raw, dict } = this;
        this.raw = null;
        this.dict = null;
        if (raw) r.release(this, raw, 'raw');
        if (dict) r.release(this, dict, '__dict__');
    }

    /** buffered_dealloc: what the buffer still holds is gone with it. */
    override releaseChildren(r: Refs): void {
        const it = this.it;
        if (this.wlen) it.io.logLost(it, this, this.wlen, this.isClosed() ? 'closed-under-it' : 'freed-unflushed');
        this.wlen = 0;
        it.io.holders.delete(this);
        this.clear(r);
    }

    reprText(it: Interpreter): string {
        const name = this.raw?.nameObject();
        return name ? `<_io.${this.kind} name=${repr(it, name)}>` : `<_io.${this.kind}>`;
    }

    private checkClosed(it: Interpreter, message: string): void {
        if (this.isClosed()) throw closedError(it, message);
    }

    private get rawFile(): FileIOObject {
        return this.raw!;
    }

    /** The read-ahead is dropped and the file positioned where the program is (RAW_OFFSET). */
    private dropReadAhead(it: Interpreter): void {
        const ahead = this.rbuf.length - this.rpos;
        this.rbuf = EMPTY;
        this.rpos = 0;
        if (ahead) this.rawFile.rawSeek(it, -ahead, 1);
    }

    /** _bufferedwriter_flush_unlocked: the buffer goes to the file. */
    writeOut(it: Interpreter): void {
        if (!this.wlen) return;
        const data = this.wbuf.slice(0, this.wlen);
        this.rawFile.rawWrite(it, data);
        this.wlen = 0;
    }

    /** _bufferedwriter_write. */
    write(it: Interpreter, b: Uint8Array): number {
        this.checkClosed(it, 'write to closed file');
        if (this.rbuf.length) this.dropReadAhead(it);
        const p = it.profile;
        const whole = p.bufferedWriteThroughAtSize ? b.length >= this.bufferSize : b.length > this.bufferSize;
        if (b.length <= this.bufferSize - this.wlen && !(p.bufferedWriteThroughAtSize && whole)) {
            this.wbuf.set(b, this.wlen);
            this.wlen += b.length;
            return b.length;
        }
        this.writeOut(it);
        if (whole) {
            this.rawFile.rawWrite(it, b);
        } else {
            this.wbuf.set(b, 0);
            this.wlen = b.length;
        }
        return b.length;
    }

    /** buffered_flush_and_rewind_unlocked. */
    flush(it: Interpreter, message = 'flush of closed file'): void {
        this.checkClosed(it, message);
        this.writeOut(it);
        if (this.readable && this.rbuf.length) this.dropReadAhead(it);
    }

    private take(n: number): Uint8Array {
        const out = this.rbuf.subarray(this.rpos, this.rpos + n);
        this.rpos += out.length;
        if (this.rpos >= this.rbuf.length) {
            this.rbuf = EMPTY;
            this.rpos = 0;
        }
        return out;
    }

    private beforeRead(it: Interpreter): void {
        if (!this.readable) throw unsupportedOperation(it, 'read');
        this.checkClosed(it, 'read of closed file');
        // A BufferedRandom writes its buffer out before it reads.
        if (this.wlen) this.writeOut(it);
    }

    /** read(n): n < 0 reads to the end. */
    read(it: Interpreter, n: number): Uint8Array {
        this.beforeRead(it);
        if (n < -1) throw it.error('ValueError', 'read length must be non-negative or -1');
        if (n < 0) return concat([this.take(Infinity).slice(), this.rawFile.rawRead(it, -1)]);
        const parts: Uint8Array[] = [this.take(n).slice()];
        let remaining = n - parts[0].length;
        while (remaining > 0) {
            if (remaining > this.bufferSize) {
                const chunk = this.rawFile.rawRead(it, remaining);
                if (!chunk.length) break;
                parts.push(chunk);
                remaining -= chunk.length;
                continue;
            }
            const fill = this.rawFile.rawRead(it, this.bufferSize);
            if (!fill.length) break;
            this.rbuf = fill;
            this.rpos = 0;
            const got = this.take(remaining).slice();
            parts.push(got);
            remaining -= got.length;
        }
        return concat(parts);
    }

    /** read1(n): buffered bytes if there are any, else one read of the file (3.7+). */
    read1(it: Interpreter, n: number): Uint8Array {
        this.beforeRead(it);
        if (n < 0) n = this.bufferSize;
        if (n === 0) return EMPTY;
        if (this.rbuf.length - this.rpos > 0) return this.take(n).slice();
        return this.rawFile.rawRead(it, n);
    }

    readline(it: Interpreter, limit: number): PyObject {
        this.beforeRead(it);
        const out: number[] = [];
        for (;;) {
            if (this.rpos >= this.rbuf.length) {
                const fill = this.rawFile.rawRead(it, this.bufferSize);
                if (!fill.length) break;
                this.rbuf = fill;
                this.rpos = 0;
            }
            const c = this.rbuf[this.rpos++];
            out.push(c);
            if (c === 10 || (limit >= 0 && out.length >= limit)) break;
        }
        if (this.rpos >= this.rbuf.length) {
            this.rbuf = EMPTY;
            this.rpos = 0;
        }
        return it.bytes(Uint8Array.from(out));
    }

    seek(it: Interpreter, target: number, whence: number): number {
        if (whence < 0 || whence > 2) throw it.error('ValueError', `whence value ${whence} unsupported`);
        this.checkClosed(it, 'seek of closed file');
        this.writeOut(it);
        if (whence === 1) target -= this.rbuf.length - this.rpos;
        this.rbuf = EMPTY;
        this.rpos = 0;
        return this.rawFile.rawSeek(it, target, whence);
    }

    tell(it: Interpreter): number {
        return this.rawFile.rawTell(it) - (this.rbuf.length - this.rpos) + this.wlen;
    }

    truncate(it: Interpreter, size: number | null): number {
        this.checkClosed(it, 'truncate of closed file');
        if (!this.writable && it.profile.bufferedTruncateChecksWritable) throw unsupportedOperation(it, 'truncate');
        this.flush(it);
        const n = this.rawFile.rawTruncate(it, size ?? this.tell(it));
        return n;
    }

    /** buffered_close. */
    close(it: Interpreter): void {
        if (this.isClosed()) return;
        if (this.finalizing) this.rawFile.deallocWarn(it, this);
        let failure: unknown = null;
        try {
            this.flush(it);
        } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            failure = e;
        }
        this.rawFile.close(it);
        if (failure) throw failure;
    }
}

function concat(parts: Uint8Array[]): Uint8Array {
    if (parts.length === 1) return parts[0];
    const n = parts.reduce((a, p) => a + p.length, 0);
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
        out.set(p, at);
        at += p.length;
    }
    return out;
}

export function installBuffered(it: Interpreter, types: IoTypes): void {
    const b = (self: PyObject): BufferedObject => self as BufferedObject;
    const common = {
        ...iobaseMethods(it),
        flush: (self: PyObject) => {
            b(self).flush(it);
            return it.None;
        },
        seek: (self: PyObject, args: PyObject[]) => {
            maxArgs(it, 'seek', args, 2);
            return it.int(b(self).seek(it, intArg(it, args[0], 0), intArg(it, args[1], 0)));
        },
        tell: (self: PyObject) => it.int(b(self).tell(it)),
        truncate: (self: PyObject, args: PyObject[]) => {
            maxArgs(it, 'truncate', args, 1);
            return it.int(b(self).truncate(it, args[0] && args[0] !== it.None ? intArg(it, args[0], 0) : null));
        },
        fileno: (self: PyObject) => {
            const o = b(self);
            if (o.isClosed()) throw closedError(it, 'I/O operation on closed file');
            return it.int(o.raw!.fd);
        },
        readable: (self: PyObject) => {
            if (b(self).isClosed()) throw closedError(it, 'I/O operation on closed file');
            return it.bool(b(self).readable);
        },
        writable: (self: PyObject) => {
            if (b(self).isClosed()) throw closedError(it, 'I/O operation on closed file');
            return it.bool(b(self).writable);
        },
        seekable: (self: PyObject) => {
            if (b(self).isClosed()) throw closedError(it, 'I/O operation on closed file');
            return it.True;
        },
        _dealloc_warn: (self: PyObject, args: PyObject[]) => {
            b(self).raw?.deallocWarn(it, args[0]);
            return it.None;
        },
    };
    const reading = {
        read: (self: PyObject, args: PyObject[], kwargs: KwArgs) => {
            maxArgs(it, 'read', args, 1);
            return it.bytes(b(self).read(it, optSize(it, args, 0, kwargs)));
        },
        read1: (self: PyObject, args: PyObject[], kwargs: KwArgs) => {
            maxArgs(it, 'read1', args, 1);
            return it.bytes(b(self).read1(it, optSize(it, args, 0, kwargs)));
        },
        readline: (self: PyObject, args: PyObject[], kwargs: KwArgs) => {
            maxArgs(it, 'readline', args, 1);
            return b(self).readline(it, optSize(it, args, 0, kwargs));
        },
        // _buffered_readinto_generic: the buffered bytes, then reads until the buffer is full or
        // the file ends, which is what read(len) returns.
        readinto: (self: PyObject, args: PyObject[]) => {
            maxArgs(it, 'readinto', args, 1);
            const into = readintoArg(it, args[0], 'bufferedReadintoArg');
            if (b(self).isClosed()) throw closedError(it, 'readinto of closed file');
            const data = b(self).read(it, into.v.length);
            into.v.set(data);
            return it.int(data.length);
        },
    };
    const notReading = {
        read: () => {
            throw unsupportedOperation(it, 'read');
        },
        read1: () => {
            throw unsupportedOperation(it, 'read1');
        },
        // BufferedIOBase.readinto (_bufferediobase_readinto_generic) calls self.read(len).
        readinto: (_self: PyObject, args: PyObject[]) => {
            maxArgs(it, 'readinto', args, 1);
            if (!(args[0] instanceof PyByteArray)) throw refuseIo(it, 'BufferedWriter.readinto of an object that is no bytearray');
            throw unsupportedOperation(it, 'read');
        },
    };
    const writing = {
        write: (self: PyObject, args: PyObject[]) => {
            maxArgs(it, 'write', args, 1);
            const o = b(self);
            // Argument Clinic converts the argument first, then the closed check.
            const data = bytesArg(it, args[0]);
            return it.int(o.write(it, data));
        },
    };
    const notWriting = {
        write: () => {
            throw unsupportedOperation(it, 'write');
        },
    };
    const getters = {
        closed: (self: PyObject) => it.bool(b(self).isClosed()),
        raw: (self: PyObject) => it.incref(b(self).raw ?? it.None),
        name: (self: PyObject) => {
            const n = b(self).raw?.nameObject();
            if (!n) throw it.error('AttributeError', `'_io.FileIO' object has no attribute 'name'`);
            return it.incref(n);
        },
        mode: (self: PyObject) => it.str(b(self).raw?.mode ?? ''),
        _finalizing: (self: PyObject) => it.bool(b(self).finalizing),
    };
    const refused = ['readinto1', 'detach', '__getstate__', '__reduce__', '__reduce_ex__', '__sizeof__'];
    // peek is a reader's (bufferedreader_methods, bufferedrandom_methods): a BufferedWriter has none.
    const readerRefused = ['peek', ...refused];
    types.BufferedReader = makeIoType(it, { name: 'BufferedReader', base: types.BufferedIOBase, methods: { ...common, ...reading, ...notWriting }, getters, refused: readerRefused });
    types.BufferedWriter = makeIoType(it, { name: 'BufferedWriter', base: types.BufferedIOBase, methods: { ...common, ...notReading, ...writing }, getters, refused });
    types.BufferedRandom = makeIoType(it, { name: 'BufferedRandom', base: types.BufferedIOBase, methods: { ...common, ...reading, ...writing }, getters, refused: readerRefused });
}
