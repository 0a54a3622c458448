/*
 * textio.ts
 *
 * Modules/_io/textio.c: TextIOWrapper over a buffered object, with the codec objects it owns.
 *
 * Writing: write() encodes the text and keeps the bytes in `pending_bytes` (up to the chunk size,
 * 8192) before handing them to the buffer: 3.8–3.12 hand the pending bytes over first when the new
 * ones would take them past the chunk, 3.13 appends and hands everything over once the chunk is
 * full (profiles.ts textFlushBeforeOverflow). So a text file holds up to 8192 bytes in this layer
 * plus 4096 in the buffer below. flush(), tell(), seek(), a read, close() and the finalizer (through
 * close) hand them down; line buffering (buffering=1) flushes at each newline.
 *
 * Reading: read_chunk() asks the buffer for read1(8192) and decodes it (utf-8, with universal
 * newlines through an IncrementalNewlineDecoder unless newline= says otherwise); tell() is the byte
 * position where the decoder started plus the bytes of the characters consumed.
 *
 * The objects (textiowrapper_init, in CPython's allocation order): the decoder (readable: a
 * utf_8.IncrementalDecoder instance, wrapped in an _io.IncrementalNewlineDecoder for universal
 * newlines), the encoder (writable: a utf_8.IncrementalEncoder instance), and the instance dict
 * that open() creates by setting `mode`. Encodings other than utf-8 are refused.
 */

import { PyObject, type Refs, type Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import type { PyDict } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { PyRaise } from '../interp/signals';
import { repr } from '../interp/format';
import { IOObject, checkClosed, unsupportedOperation, refuseIo, optSize, intArg, maxArgs, iobaseMethods, makeIoType, type IoTypes } from './iobase';
import type { BufferedObject } from './bufferedio';
import type { FileIOObject } from './fileio';
import type { BufferHolder } from './state';

/** _io.TextIOWrapper's _CHUNK_SIZE. */
export const CHUNK_SIZE = 8192;

/** The encodings the engine implements, by their normalized names (all utf-8). */
const UTF8_NAMES = new Set(['utf8', 'u8', 'utf', 'cp65001', 'utf8_ucs2', 'utf8_ucs4']);

/** Is `name` an alias of utf_8 (encodings.normalize_encoding, then the aliases table)? */
export function isUtf8(name: string): boolean {
    const k = name.trim().toLowerCase().replace(/[-\s]+/g, '_');
    return k === 'utf_8' || UTF8_NAMES.has(k);
}

// ------------------------------------------------------------------------------------------------
// codecs

const encoder = new TextEncoder();

/** utf-8 encode, strict. A lone surrogate would be a UnicodeEncodeError: not modelled. */
export function encodeUtf8(it: Interpreter, s: string): Uint8Array {
    if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) throw refuseIo(it, 'encoding a lone surrogate (UnicodeEncodeError)');
    return encoder.encode(s);
}

/** An incremental strict utf-8 decoder: a sequence cut at the end of a chunk waits for the next. */
export class Utf8Decoder {
    private carry: Uint8Array = new Uint8Array(0);

    reset(): void {
        this.carry = new Uint8Array(0);
    }

    decode(it: Interpreter, input: Uint8Array, final: boolean): string {
        let b = input;
        if (this.carry.length) {
            b = new Uint8Array(this.carry.length + input.length);
            b.set(this.carry);
            b.set(input, this.carry.length);
        }
        let end = b.length;
        if (!final) end = completeLength(b);
        this.carry = b.slice(end);
        try {
            return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b.subarray(0, end));
        } catch {
            throw refuseIo(it, 'reading bytes that are not utf-8 in text mode (UnicodeDecodeError)');
        }
    }

    get pendingBytes(): number {
        return this.carry.length;
    }
}

/** How many bytes of `b` end on a character boundary (a trailing incomplete sequence waits). */
function completeLength(b: Uint8Array): number {
    const n = b.length;
    for (let back = 1; back <= 3 && back <= n; back++) {
        const c = b[n - back];
        if ((c & 0xc0) === 0x80) continue;
        const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        return need > back ? n - back : n;
    }
    return n;
}

/** _io.IncrementalNewlineDecoder: '\r' held back until the next chunk shows whether '\n' follows. */
export class NewlineState {
    pendingCR = false;
    constructor(readonly translate: boolean) {}

    decode(text: string, final: boolean): string {
        let out = text;
        if (this.pendingCR && (out.length || final)) {
            out = '\r' + out;
            this.pendingCR = false;
        }
        if (out.endsWith('\r') && !final) {
            out = out.slice(0, -1);
            this.pendingCR = true;
        }
        if (this.translate) out = out.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
        return out;
    }
}

/**
 * A codec object textiowrapper_init creates: an instance of encodings.utf_8.IncrementalEncoder or
 * IncrementalDecoder (a Python class: GC-tracked; ≤3.10 its attributes live in a separate dict),
 * or an _io.IncrementalNewlineDecoder wrapping the decoder (a GC type from 3.12).
 */
export class CodecObject extends PyObject {
    dict: PyDict | null = null;
    inner: CodecObject | null = null;

    constructor(
        type: PyType,
        private readonly gc: boolean,
    ) {
        super(type);
    }

    override isGcType(): boolean {
        return this.gc;
    }

    override traverse(visit: Visit): void {
        if (this.inner) visit(this.inner);
        if (this.dict) visit(this.dict);
    }

    override clear(r: Refs): void {
        const { inner, dict } = this;
        this.inner = null;
        this.dict = null;
        if (inner) r.release(this, inner, '(decoder)');
        if (dict) r.release(this, dict, '__dict__');
    }
}

function newCodec(it: Interpreter, type: PyType, attrs: [string, PyObject][] | null, gc = true): CodecObject {
    const c = it.heap.register(new CodecObject(type, gc));
    // ≤3.10 an instance's attributes are a dict object; later they are inline values.
    if (attrs && it.profile.instanceDictIsObject) {
        const d = it.dict();
        d.namespace = true;
        for (const [k, v] of attrs) d.set(it.heap, it.str(k), v);
        c.dict = d;
        it.heap.adopt(c, d, '__dict__');
    }
    return c;
}

// ------------------------------------------------------------------------------------------------
// TextIOWrapper

export interface TextOptions {
    encoding: string;
    newline: string | null;
    lineBuffering: boolean;
    writeThrough: boolean;
}

export class TextIOObject extends IOObject implements BufferHolder {
    buffer: BufferedObject | null;
    /** textio->raw: the FileIO, cached for the closed checks. */
    raw: FileIOObject | null;
    encoderObj: CodecObject | null = null;
    decoderObj: CodecObject | null = null;
    readonly flushedByLibcExit = false;
    readonly encoding: string;
    readonly lineBuffering: boolean;
    readonly writeThrough: boolean;
    private readonly writenl: string | null;
    private readonly readuniversal: boolean;
    private readonly readnl: string | null;
    /** Encoded text not handed to the buffer yet. */
    private pending: Uint8Array[] = [];
    private pendingCount = 0;
    /** Decoded text and how much of it was returned. */
    private decoded = '';
    private decodedUsed = 0;
    /** Byte position where the current decoded chunk starts and the chunk's bytes (tell()). */
    private snapshot: { start: number; bytes: Uint8Array } | null = null;
    private readonly utf8 = new Utf8Decoder();
    private readonly newlines: NewlineState | null;
    /** next() disables tell() until the iteration ends (textiowrapper_iternext). */
    private telling = true;

    constructor(
        type: PyType,
        private readonly it: Interpreter,
        buffer: BufferedObject,
        opts: TextOptions,
    ) {
        super(type);
        this.buffer = buffer;
        this.raw = buffer.raw;
        this.encoding = opts.encoding;
        this.lineBuffering = opts.lineBuffering;
        this.writeThrough = opts.writeThrough;
        const nl = opts.newline;
        this.readuniversal = nl === null || nl === '';
        this.readnl = nl;
        // writetranslate: newline None or non-empty; writenl only when it is not "\n" (POSIX).
        this.writenl = nl !== null && nl !== '' && nl !== '\n' ? nl : null;
        this.newlines = this.readuniversal ? new NewlineState(nl === null) : null;
    }

    get path(): string {
        return this.raw?.path ?? '';
    }

    /** Reads go through an IncrementalNewlineDecoder (newline None or ''). */
    get universalNewlines(): boolean {
        return this.readuniversal;
    }

    pendingBytes(): number {
        return this.pendingCount;
    }

    isClosed(): boolean {
        return !this.buffer || this.buffer.isClosed();
    }

    /** textiowrapper_traverse: buffer, encoder, decoder, raw, dict. */
    override traverse(visit: Visit): void {
        if (this.buffer) visit(this.buffer);
        if (this.encoderObj) visit(this.encoderObj);
        if (this.decoderObj) visit(this.decoderObj);
        if (this.raw) visit(this.raw);
        if (this.dict) visit(this.dict);
    }

    /** textiowrapper_clear: _textiowrapper_clear (buffer, encoder, decoder, raw), then the dict. */
    override clear(r: Refs): void {
        const { buffer, encoderObj, decoderObj, raw, dict } = this;
        this.buffer = null;
        this.encoderObj = null;
        this.decoderObj = null;
        this.raw = null;
        this.dict = null;
        if (buffer) r.release(this, buffer, 'buffer');
        if (encoderObj) r.release(this, encoderObj, '(encoder)');
        if (decoderObj) r.release(this, decoderObj, '(decoder)');
        if (raw) r.release(this, raw, '(raw)');
        if (dict) r.release(this, dict, '__dict__');
    }

    /** textiowrapper_dealloc: pending text is gone with the object. */
    override releaseChildren(r: Refs): void {
        const it = this.it;
        if (this.pendingCount) it.io.logLost(it, this, this.pendingCount, this.isClosed() ? 'closed-under-it' : 'freed-unflushed');
        it.io.holders.delete(this);
        this.pendingCount = 0;
        this.pending = [];
        this.clear(r);
    }

    reprText(it: Interpreter): string {
        let out = '<_io.TextIOWrapper';
        const name = this.raw?.nameObject();
        if (name) out += ` name=${repr(it, name)}`;
        const mode = this.dict?.getStr('mode');
        if (mode) out += ` mode=${repr(it, mode)}`;
        return `${out} encoding=${repr(it, it.str(this.encoding))}>`;
    }

    private check(it: Interpreter): BufferedObject {
        checkClosed(it, this);
        return this.buffer!;
    }

    // ---- writing

    /** _textiowrapper_writeflush: the pending bytes go to the buffer. */
    private writeflush(it: Interpreter): void {
        if (!this.pendingCount) return;
        const parts = this.pending;
        const n = this.pendingCount;
        this.pending = [];
        this.pendingCount = 0;
        const b = new Uint8Array(n);
        let at = 0;
        for (const p of parts) {
            b.set(p, at);
            at += p.length;
        }
        this.buffer!.write(it, b);
    }

    write(it: Interpreter, text: string): number {
        const buffer = this.check(it);
        if (!buffer.writable) throw unsupportedOperation(it, 'not writable');
        const haslf = (this.writenl !== null || this.lineBuffering) && text.includes('\n');
        let t = text;
        if (haslf && this.writenl !== null) t = t.split('\n').join(this.writenl);
        const needflush = this.lineBuffering && (haslf || t.includes('\r'));
        const b = encodeUtf8(it, t);
        if (it.profile.textFlushBeforeOverflow && this.pendingCount + b.length > CHUNK_SIZE) this.writeflush(it);
        this.pending.push(b);
        this.pendingCount += b.length;
        if (this.pendingCount >= CHUNK_SIZE || needflush || this.writeThrough) this.writeflush(it);
        if (needflush) buffer.flush(it);
        this.snapshot = null;
        this.resetDecoder();
        return [...text].length;
    }

    flush(it: Interpreter): void {
        const buffer = this.check(it);
        this.telling = true;
        this.writeflush(it);
        buffer.flush(it);
    }

    /** textiowrapper_close. */
    close(it: Interpreter): void {
        if (this.isClosed()) return;
        const buffer = this.buffer!;
        if (this.finalizing) buffer.raw?.deallocWarn(it, this);
        let failure: unknown = null;
        try {
            this.flush(it);
        } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            failure = e;
        }
        buffer.close(it);
        if (failure) throw failure;
    }

    // ---- reading

    private resetDecoder(): void {
        this.decoded = '';
        this.decodedUsed = 0;
        this.utf8.reset();
        if (this.newlines) this.newlines.pendingCR = false;
    }

    private decodeBytes(it: Interpreter, b: Uint8Array, final: boolean): string {
        const s = this.utf8.decode(it, b, final);
        return this.newlines ? this.newlines.decode(s, final) : s;
    }

    private beforeRead(it: Interpreter): BufferedObject {
        const buffer = this.check(it);
        if (!buffer.readable) throw unsupportedOperation(it, 'not readable');
        this.writeflush(it);
        return buffer;
    }

    /** textiowrapper_read_chunk: one read1() of the buffer, decoded; false at the end of the file. */
    private readChunk(it: Interpreter, sizeHint: number): boolean {
        const buffer = this.buffer!;
        const start = buffer.tell(it) - this.utf8.pendingBytes;
        const input = buffer.read1(it, Math.max(CHUNK_SIZE, sizeHint));
        const eof = input.length === 0;
        const text = this.decodeBytes(it, input, eof);
        this.decoded = text;
        this.decodedUsed = 0;
        this.snapshot = { start, bytes: input };
        return !eof || text.length > 0;
    }

    private takeDecoded(n: number): string {
        const avail = this.decoded.length - this.decodedUsed;
        const k = n < 0 || n > avail ? avail : n;
        const s = this.decoded.slice(this.decodedUsed, this.decodedUsed + k);
        this.decodedUsed += k;
        return s;
    }

    read(it: Interpreter, n: number): string {
        const buffer = this.beforeRead(it);
        if (n < 0) {
            const rest = this.takeDecoded(-1);
            const all = this.decodeBytes(it, buffer.read(it, -1), true);
            this.decoded = '';
            this.decodedUsed = 0;
            this.snapshot = null;
            return rest + all;
        }
        let out = this.takeDecoded(n);
        while (out.length < n) {
            if (!this.readChunk(it, n - out.length)) break;
            out += this.takeDecoded(n - out.length);
        }
        return out;
    }

    readline(it: Interpreter, limit: number): PyObject {
        return it.str(this.readlineText(it, limit));
    }

    private lineEnd(s: string, from: number): number {
        if (this.readuniversal && this.readnl === '') {
            for (let i = from; i < s.length; i++) {
                const c = s[i];
                if (c === '\n') return i + 1;
                if (c === '\r') {
                    if (i + 1 < s.length) return s[i + 1] === '\n' ? i + 2 : i + 1;
                    // '\r' at the end: the decoder keeps a pending '\r', so this cannot happen mid-file.
                    return i + 1;
                }
            }
            return -1;
        }
        const nl = this.readnl && this.readnl !== '' ? this.readnl : '\n';
        const at = s.indexOf(nl, from);
        return at < 0 ? -1 : at + nl.length;
    }

    private readlineText(it: Interpreter, limit: number): string {
        this.beforeRead(it);
        let line = '';
        for (;;) {
            const avail = this.decoded.slice(this.decodedUsed);
            const end = this.lineEnd(line + avail, line.length);
            if (end >= 0) {
                const take = end - line.length;
                const n = limit >= 0 ? Math.min(take, limit - line.length) : take;
                line += this.takeDecoded(n);
                return line;
            }
            if (limit >= 0 && line.length + avail.length >= limit) {
                line += this.takeDecoded(limit - line.length);
                return line;
            }
            line += this.takeDecoded(-1);
            if (!this.readChunk(it, 0)) return line;
        }
    }

    override nativeNext(it: Interpreter): PyObject | null {
        this.telling = false;
        const line = this.readlineText(it, -1);
        if (!line) {
            this.snapshot = null;
            this.telling = true;
            return null;
        }
        return it.str(line);
    }

    // ---- positions

    tell(it: Interpreter): number {
        const buffer = this.check(it);
        if (!this.telling) throw new PyRaise(it.newException(it.T.OSError, [it.str('telling position disabled by next() call')]));
        this.writeflush(it);
        buffer.flush(it);
        if (!this.snapshot || !this.decoderObj) return buffer.tell(it);
        // The bytes of the chunk that decode to the characters consumed so far.
        const probe = new Utf8Decoder();
        const nl = this.newlines ? new NewlineState(this.newlines.translate) : null;
        const chunk = this.snapshot.bytes;
        let chars = 0;
        for (let i = 0; i <= chunk.length; i++) {
            if (chars >= this.decodedUsed) return this.snapshot.start + i;
            if (i === chunk.length) break;
            const s = probe.decode(it, chunk.subarray(i, i + 1), false);
            chars += nl ? nl.decode(s, false).length : s.length;
        }
        return this.snapshot.start + chunk.length;
    }

    seek(it: Interpreter, cookie: number, whence: number): number {
        const buffer = this.check(it);
        if (whence === 1) {
            if (cookie !== 0) throw unsupportedOperation(it, "can't do nonzero cur-relative seeks");
            return this.tell(it);
        }
        if (whence === 2) {
            if (cookie !== 0) throw unsupportedOperation(it, "can't do nonzero end-relative seeks");
            this.flush(it);
            this.resetDecoder();
            this.snapshot = null;
            return buffer.seek(it, 0, 2);
        }
        if (whence !== 0) throw it.error('ValueError', `invalid whence (${whence}, should be 0, 1 or 2)`);
        if (cookie < 0) throw it.error('ValueError', `negative seek position ${cookie}`);
        this.flush(it);
        this.resetDecoder();
        buffer.seek(it, cookie, 0);
        this.snapshot = null;
        return cookie;
    }

    truncate(it: Interpreter, pos: number | null): number {
        const buffer = this.check(it);
        this.flush(it);
        return buffer.truncate(it, pos);
    }
}

export function installTextIO(it: Interpreter, types: IoTypes): void {
    const t = (self: PyObject): TextIOObject => self as TextIOObject;
    types.TextIOWrapper = makeIoType(it, {
        name: 'TextIOWrapper',
        base: types.TextIOBase,
        methods: {
            ...iobaseMethods(it),
            write: (self, args) => {
                maxArgs(it, 'write', args, 1);
                const s = args[0];
                if (!(s instanceof PyStr)) throw it.error('TypeError', `write() argument must be str, not ${s.type.name}`);
                return it.int(t(self).write(it, s.v));
            },
            read: (self, args, kwargs: KwArgs) => {
                maxArgs(it, 'read', args, 1);
                return it.str(t(self).read(it, optSize(it, args, 0, kwargs)));
            },
            readline: (self, args, kwargs: KwArgs) => {
                maxArgs(it, 'readline', args, 1);
                return t(self).readline(it, optSize(it, args, 0, kwargs));
            },
            flush: (self) => {
                t(self).flush(it);
                return it.None;
            },
            tell: (self) => it.int(t(self).tell(it)),
            seek: (self, args) => {
                maxArgs(it, 'seek', args, 2);
                return it.int(t(self).seek(it, intArg(it, args[0], 0), intArg(it, args[1], 0)));
            },
            truncate: (self, args) => {
                maxArgs(it, 'truncate', args, 1);
                return it.int(t(self).truncate(it, args[0] && args[0] !== it.None ? intArg(it, args[0], 0) : null));
            },
            fileno: (self) => {
                checkClosed(it, t(self));
                return it.int(t(self).raw!.fd);
            },
            readable: (self) => {
                checkClosed(it, t(self));
                return it.bool(t(self).buffer!.readable);
            },
            writable: (self) => {
                checkClosed(it, t(self));
                return it.bool(t(self).buffer!.writable);
            },
            seekable: (self) => {
                checkClosed(it, t(self));
                return it.True;
            },
        },
        getters: {
            closed: (self) => it.bool(t(self).isClosed()),
            name: (self) => {
                const n = t(self).raw?.nameObject();
                if (!n) throw it.error('AttributeError', `'_io.FileIO' object has no attribute 'name'`);
                return it.incref(n);
            },
            encoding: (self) => it.str(t(self).encoding),
            errors: () => it.str('strict'),
            buffer: (self) => it.incref(t(self).buffer ?? it.None),
            line_buffering: (self) => it.bool(t(self).lineBuffering),
            write_through: (self) => it.bool(t(self).writeThrough),
            _finalizing: (self) => it.bool(t(self).finalizing),
            _CHUNK_SIZE: () => it.int(CHUNK_SIZE),
        },
        refused: ['newlines', 'detach', 'reconfigure', '__getstate__', '__reduce__', '__reduce_ex__'],
    });
    const plain = (name: string, module: string): PyType => makeIoType(it, { name, base: it.T.object, module });
    types.IncrementalNewlineDecoder = makeIoType(it, { name: 'IncrementalNewlineDecoder', base: it.T.object, refused: ['decode', 'getstate', 'setstate', 'reset', 'newlines'] });
    types.IncrementalEncoder = plain('IncrementalEncoder', 'encodings.utf_8');
    types.IncrementalDecoder = plain('IncrementalDecoder', 'encodings.utf_8');
}

/**
 * textiowrapper_init's objects after the wrapper itself: the decoder (readable), then the encoder
 * (writable), each an instance with its attributes (errors, buffer).
 */
export function attachCodecs(it: Interpreter, w: TextIOObject, buffer: BufferedObject, types: IoTypes): void {
    if (buffer.readable) {
        const dec = newCodec(it, types.IncrementalDecoder, [
            ['errors', it.str('strict')],
            ['buffer', it.bytes(new Uint8Array(0))],
        ]);
        if (w.universalNewlines) {
            const nl = newCodec(it, types.IncrementalNewlineDecoder, null, it.profile.newlineDecoderIsGc);
            nl.inner = dec;
            it.heap.adopt(nl, dec, '(decoder)');
            w.decoderObj = nl;
        } else {
            w.decoderObj = dec;
        }
        it.heap.adopt(w, w.decoderObj, '(decoder)');
    }
    if (buffer.writable) {
        w.encoderObj = newCodec(it, types.IncrementalEncoder, [
            ['errors', it.str('strict')],
            ['buffer', it.str('')],
        ]);
        it.heap.adopt(w, w.encoderObj, '(encoder)');
    }
}
