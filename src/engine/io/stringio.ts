/*
 * stringio.ts
 *
 * Modules/_io/stringio.c and bytesio.c: in-memory streams. The buffer is the object's own memory
 * (no other object holds the text): a write at a position past the end pads with NULs, getvalue()
 * builds a new str/bytes of the whole buffer, close() frees the buffer, after which every method
 * raises `ValueError: I/O operation on closed file`. Both are GC-tracked io objects with an
 * instance `__dict__` and IOBase's finalizer (iobase_finalize closes an unclosed one silently).
 * StringIO's `newline` argument is modelled for its default ('\n': no translation) only.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyStr, PyBytes } from '../runtime/values';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { addr } from '../interp/format';
import { nativeConstructors } from '../modules/stdTypes';
import { IOObject, closedError, optSize, intArg, maxArgs, iobaseMethods, makeIoType, refuseIo, ioTypes, type IoMethod } from './iobase';

/** stringio.c / bytesio.c CHECK_CLOSED: no period. */
const CLOSED = 'I/O operation on closed file';

/** What StringIO and BytesIO share: a buffer of code points or bytes and a position. */
abstract class MemoryIO<T extends number> extends IOObject {
    buf: T[] | null = [];
    pos = 0;

    isClosed(): boolean {
        return this.buf === null;
    }

    override checkOpen(it: Interpreter): void {
        if (this.buf === null) throw closedError(it, CLOSED);
    }

    close(): void {
        this.buf = null;
    }

    override nativeIter(it: Interpreter): PyObject {
        this.open(it);
        return it.incref(this);
    }

    override reprText(): string {
        return `<_io.${this.type.name} object at ${addr(this)}>`;
    }

    open(it: Interpreter): T[] {
        if (this.buf === null) throw closedError(it, CLOSED);
        return this.buf;
    }

    /** write_str / write_bytes: overwrite at pos, padding a gap with zeros. */
    writeUnits(it: Interpreter, units: T[]): number {
        const buf = this.open(it);
        if (!units.length) return 0;
        while (buf.length < this.pos) buf.push(0 as T);
        buf.splice(this.pos, Math.min(units.length, buf.length - this.pos), ...units);
        this.pos += units.length;
        return units.length;
    }

    readUnits(it: Interpreter, size: number): T[] {
        const buf = this.open(it);
        const start = Math.min(this.pos, buf.length);
        const end = size < 0 ? buf.length : Math.min(buf.length, start + size);
        this.pos = Math.max(this.pos, end);
        return buf.slice(start, end);
    }

    /** readline: up to and including the next '\n' (10), at most `limit` units. */
    lineUnits(it: Interpreter, limit: number): T[] {
        const buf = this.open(it);
        const start = Math.min(this.pos, buf.length);
        let end = start;
        while (end < buf.length && (limit < 0 || end - start < limit)) {
            if (buf[end++] === 10) break;
        }
        this.pos = Math.max(this.pos, end);
        return buf.slice(start, end);
    }
}

class StringIOObject extends MemoryIO<number> {
    readline(it: Interpreter, limit: number): PyObject {
        return it.str(String.fromCodePoint(...this.lineUnits(it, limit)));
    }
}

class BytesIOObject extends MemoryIO<number> {
    readline(it: Interpreter, limit: number): PyObject {
        return it.bytes(Uint8Array.from(this.lineUnits(it, limit)));
    }
}

function codePoints(s: string): number[] {
    const out: number[] = [];
    for (const ch of s) out.push(ch.codePointAt(0)!);
    return out;
}

function bytesOf(it: Interpreter, o: PyObject): number[] {
    if (o instanceof PyBytes) return Array.from(o.v);
    throw it.error('TypeError', `a bytes-like object is required, not '${o.type.name}'`);
}

/** The methods both classes have, over the unit converters of each. */
function memoryMethods(it: Interpreter, toUnits: (o: PyObject) => number[], fromUnits: (u: number[]) => PyObject): Record<string, IoMethod> {
    const m = (self: PyObject): MemoryIO<number> => self as MemoryIO<number>;
    return {
        ...iobaseMethods(it),
        getvalue: (self) => fromUnits([...m(self).open(it)]),
        write: (self, args) => {
            maxArgs(it, 'write', args, 1);
            const o = m(self);
            o.open(it);
            return it.int(o.writeUnits(it, toUnits(args[0])));
        },
        read: (self, args, kwargs) => {
            maxArgs(it, 'read', args, 1);
            const o = m(self);
            o.open(it);
            return fromUnits(o.readUnits(it, optSize(it, args, 0, kwargs)));
        },
        readline: (self, args, kwargs) => {
            maxArgs(it, 'readline', args, 1);
            const o = m(self);
            o.open(it);
            return fromUnits(o.lineUnits(it, optSize(it, args, 0, kwargs)));
        },
        tell: (self) => {
            const o = m(self);
            o.open(it);
            return it.int(o.pos);
        },
        seek: (self, args) => {
            maxArgs(it, 'seek', args, 2);
            const o = m(self);
            const buf = o.open(it);
            let pos = intArg(it, args[0], 0);
            const whence = intArg(it, args[1], 0);
            if (whence < 0 || whence > 2) throw it.error('ValueError', `Invalid whence (${whence}, should be 0, 1 or 2)`);
            if (o instanceof StringIOObject) {
                if (pos < 0 && whence === 0) throw it.error('ValueError', `Negative seek position ${pos}`);
                if (whence !== 0 && pos !== 0) throw it.error('OSError', "Can't do nonzero cur-relative seeks");
                if (whence === 1) pos = o.pos;
                else if (whence === 2) pos = buf.length;
            } else {
                if (whence === 1) pos += o.pos;
                else if (whence === 2) pos += buf.length;
                if (pos < 0) {
                    if (whence === 0) throw it.error('ValueError', `negative seek value ${pos}`);
                    pos = 0;
                }
            }
            o.pos = pos;
            return it.int(pos);
        },
        truncate: (self, args) => {
            maxArgs(it, 'truncate', args, 1);
            const o = m(self);
            const buf = o.open(it);
            const size = args[0] && args[0] !== it.None ? intArg(it, args[0], 0) : o.pos;
            if (size < 0) throw it.error('ValueError', `Negative size value ${size}`);
            if (size < buf.length) buf.length = size;
            return it.int(size);
        },
        readable: (self) => (m(self).open(it), it.True),
        writable: (self) => (m(self).open(it), it.True),
        seekable: (self) => (m(self).open(it), it.True),
        flush: (self) => (m(self).open(it), it.None),
    };
}

/** io.StringIO and io.BytesIO (3.x), created with the io types. */
export function installMemoryIO(it: Interpreter): { StringIO: PyType; BytesIO: PyType } {
    const cached = it.moduleState.get('io.memory') as { StringIO: PyType; BytesIO: PyType } | undefined;
    if (cached) return cached;
    const types = ioTypes(it);
    const str = (u: number[]): PyObject => it.str(String.fromCodePoint(...u));
    const strUnits = (o: PyObject): number[] => {
        if (o instanceof PyStr) return codePoints(o.v);
        throw it.error('TypeError', `string argument expected, got '${o.type.name}'`);
    };
    const StringIO = makeIoType(it, {
        name: 'StringIO',
        base: types.TextIOBase,
        methods: memoryMethods(it, strUnits, str),
        getters: {
            closed: (self) => it.bool((self as StringIOObject).buf === null),
            line_buffering: (self) => ((self as StringIOObject).open(it), it.False),
            newlines: (self) => ((self as StringIOObject).open(it), it.None),
        },
    });
    const bytes = (u: number[]): PyObject => it.bytes(Uint8Array.from(u));
    const BytesIO = makeIoType(it, {
        name: 'BytesIO',
        base: types.BufferedIOBase,
        methods: {
            ...memoryMethods(it, (o) => bytesOf(it, o), bytes),
            read1: (self, args, kwargs) => {
                const o = self as BytesIOObject;
                o.open(it);
                return bytes(o.readUnits(it, optSize(it, args, 0, kwargs)));
            },
            getbuffer: () => {
                throw refuseIo(it, 'BytesIO.getbuffer (memoryview)');
            },
        },
        getters: { closed: (self) => it.bool((self as BytesIOObject).buf === null) },
    });
    const ctors = nativeConstructors(it);
    ctors.set(StringIO, (args: PyObject[], kwargs: KwArgs) => {
        maxArgs(it, 'StringIO', args, 2);
        const initial = args[0] ?? kwargs?.get('initial_value') ?? null;
        const newline = args[1] ?? kwargs?.get('newline') ?? null;
        if (newline !== null && !(newline instanceof PyStr && newline.v === '\n')) throw refuseIo(it, "StringIO's newline translation (newline other than '\\n')");
        if (initial !== null && initial !== it.None && !(initial instanceof PyStr)) throw it.error('TypeError', `initial_value must be str or None, not ${initial.type.name}`);
        const o = it.heap.register(new StringIOObject(StringIO));
        if (initial instanceof PyStr) o.buf = codePoints(initial.v);
        return o;
    });
    ctors.set(BytesIO, (args: PyObject[], kwargs: KwArgs) => {
        maxArgs(it, 'BytesIO', args, 1);
        const initial = args[0] ?? kwargs?.get('initial_bytes') ?? null;
        const o = it.heap.register(new BytesIOObject(BytesIO));
        if (initial !== null && initial !== it.None) o.buf = bytesOf(it, initial);
        return o;
    });
    const out = { StringIO, BytesIO };
    it.moduleState.set('io.memory', out);
    return out;
}
