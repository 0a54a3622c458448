/*
 * fileobject.ts
 *
 * Objects/fileobject.c of 2.7: the built-in `file` type, which open() returns. It wraps a C stdio
 * FILE (stdio.ts): bytes reach the file when glibc's buffer writes them out, on flush(), seek(),
 * close(), when the object is freed (file_dealloc fcloses), and for a file never freed, when the
 * process exit()s (libc flushes every open stream); only os._exit() loses them. A `file` is not
 * GC-tracked and has no finalizer: in a cycle it is never collected itself, it dies with the
 * objects that hold it, and nothing warns about an unclosed file.
 */

import type { PyObject, Refs } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyStr, PyBytes } from '../runtime/values';
import { PyDict } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import { NativeObject } from '../runtime/nativeObject';
import type { Interpreter } from '../interp/interpreter';
import { repr } from '../interp/format';
import { collect } from '../interp/ops';
import { PyRaise } from '../interp/signals';
import { StdioBuffer } from './stdio';
import { BLKSIZE, OsError, EISDIR, EINVAL } from './memdir';
import { osFailure, sysCall } from './oserror';
import { refuseIo, maxArgs, nativeProperty, fileProtocolMethods } from './iobase';
import type { BufferHolder } from './state';
import { chargeAllocations } from './open';

const CLOSED = 'I/O operation on closed file';

/** 2.7 str is bytes: the engine keeps it as text, written and read as utf-8. */
const enc = new TextEncoder();

export class FileObject27 extends NativeObject implements BufferHolder {
    fd = -1;
    readable = false;
    writable = false;
    path = '';
    readonly flushedByLibcExit = true;
    softspace = 0;
    private out: StdioBuffer | null = null;

    constructor(
        type: PyType,
        private readonly it: Interpreter,
        readonly name: PyStr,
        readonly mode: string,
    ) {
        super(type);
    }

    get closed(): boolean {
        return this.fd < 0;
    }

    pendingBytes(): number {
        return this.out?.pending ?? 0;
    }

    isClosed(): boolean {
        return this.closed;
    }

    flushAtExit(): void {
        this.out?.flush();
    }

    reprText(): string {
        const addr = `0x${(0x7f0000000000 + this.id * 16).toString(16)}`;
        return `<${this.closed ? 'closed' : 'open'} file ${repr(this.it, this.name)}, mode '${this.mode}' at ${addr}>`;
    }

    /** fopen(): the mode's first letter, then '+' (and glibc's 'x': O_EXCL). */
    open(it: Interpreter, buffering: number): void {
        const first = this.mode.replace(/^U/, 'r')[0];
        const plus = this.mode.includes('+');
        this.readable = first === 'r' || plus;
        this.writable = first !== 'r' || plus;
        const dir = it.io.dir;
        const name = this.name.v;
        this.fd = sysCall(
            it,
            'IOError',
            () => {
                try {
                    return dir.open(name, { read: this.readable, write: this.writable, create: first !== 'r', exclusive: this.mode.slice(1).includes('x'), truncate: first === 'w', append: first === 'a' });
                } catch (e) {
                    // fopen(dir, "r") succeeds; file_init's fstat then refuses a directory.
                    if (e instanceof OsError && e.errno === EISDIR) throw new OsError(EISDIR, name);
                    throw e;
                }
            },
            this.name,
        );
        this.path = dir.relativePath(name);
        const fd = this.fd;
        const size = buffering > 1 ? buffering : BLKSIZE;
        this.out = new StdioBuffer(size, buffering === 0 ? 'none' : buffering === 1 ? 'line' : 'full', (b) => {
            dir.write(fd, b);
            it.io.logWrite(it, this.id, this.path, b.length);
        });
        if (this.writable) it.io.holders.add(this);
    }

    checkOpen(it: Interpreter): void {
        this.check(it, null);
    }

    check(it: Interpreter, need: 'reading' | 'writing' | null): void {
        if (this.fd < 0) throw it.error('ValueError', CLOSED);
        if (need === 'reading' && !this.readable) throw ioError(it, 'File not open for reading');
        if (need === 'writing' && !this.writable) throw ioError(it, 'File not open for writing');
    }

    write(it: Interpreter, s: string): void {
        this.check(it, 'writing');
        this.out!.write(enc.encode(s));
    }

    /** Reads go to the file itself after the write buffer is flushed (glibc switches to get mode). */
    read(it: Interpreter, n: number): string {
        this.check(it, 'reading');
        this.out!.flush();
        const fd = this.fd;
        return decode(it, sysCall(it, 'IOError', () => it.io.dir.read(fd, n)));
    }

    readline(it: Interpreter, limit: number): string {
        this.check(it, 'reading');
        this.out!.flush();
        const dir = it.io.dir;
        const bytes: number[] = [];
        while (limit < 0 || bytes.length < limit) {
            const b = dir.read(this.fd, 1);
            if (!b.length) break;
            bytes.push(b[0]);
            if (b[0] === 10) break;
        }
        return decode(it, Uint8Array.from(bytes));
    }

    flush(it: Interpreter): void {
        this.check(it, null);
        this.out!.flush();
    }

    seek(it: Interpreter, offset: number, whence: number): void {
        this.check(it, null);
        this.out!.flush();
        if (whence < 0 || whence > 2) throw osError27(it, EINVAL);
        const fd = this.fd;
        sysCall(it, 'IOError', () => it.io.dir.seek(fd, offset, whence));
    }

    tell(it: Interpreter): number {
        this.check(it, null);
        return it.io.dir.seek(this.fd, 0, 1) + this.out!.pending;
    }

    truncate(it: Interpreter, size: number | null): void {
        this.check(it, 'writing');
        this.out!.flush();
        const n = size ?? it.io.dir.seek(this.fd, 0, 1);
        const fd = this.fd;
        sysCall(it, 'IOError', () => it.io.dir.truncate(fd, n));
    }

    /** fclose(): flush, then close(2). */
    close(it: Interpreter): void {
        if (this.fd < 0) return;
        chargeAllocations(it, it.profile.fileAllocations.close);
        this.out!.flush();
        it.io.dir.close(this.fd);
        this.fd = -1;
        it.io.holders.delete(this);
    }

    override nativeIter(it: Interpreter): PyObject {
        this.check(it, null);
        return it.incref(this);
    }

    override nativeNext(it: Interpreter): PyObject | null {
        const line = this.readline(it, -1);
        return line ? it.str(line) : null;
    }

    /** file_dealloc: fclose (the buffer is written out now). */
    override releaseChildren(_r: Refs): void {
        if (this.fd >= 0) this.close(this.it);
    }
}

function ioError(it: Interpreter, message: string): PyRaise {
    return it.error('IOError', message);
}

function osError27(it: Interpreter, errno: number): never {
    return osFailure(it, new OsError(errno), 'IOError');
}

function decode(it: Interpreter, b: Uint8Array): string {
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
        throw refuseIo(it, 'reading bytes that are not utf-8 into a 2.7 str');
    }
}

function strArg(it: Interpreter, o: PyObject | undefined): string {
    if (o instanceof PyStr) return o.v;
    if (o instanceof PyBytes) return new TextDecoder().decode(o.v);
    throw it.error('TypeError', 'expected a string or other character buffer object');
}

function size(it: Interpreter, o: PyObject | undefined): number {
    if (!o || o === it.None) return -1;
    if (o instanceof PyInt) return Number(o.v);
    throw it.error('TypeError', 'an integer is required');
}

/** file(name, mode='r', buffering=-1): _PyFile_SanitizeMode's check, then fopen. */
export function openFile27(it: Interpreter, type: PyType, args: PyObject[], kwargs: KwArgs): FileObject27 {
    const params = ['name', 'mode', 'buffering'];
    const a = new Map<string, PyObject>();
    args.forEach((v, i) => a.set(params[i], v));
    for (const [k, v] of kwargs ?? []) {
        if (!params.includes(k)) throw it.error('TypeError', `'${k}' is an invalid keyword argument for this function`);
        a.set(k, v);
    }
    if (args.length > 3) throw it.error('TypeError', `file() takes at most 3 arguments (${args.length} given)`);
    const name = a.get('name');
    if (!name) throw it.error('TypeError', "Required argument 'name' (pos 1) not found");
    if (!(name instanceof PyStr)) throw it.error('TypeError', `coercing to Unicode: need string or buffer, ${name.type.name} found`);
    const modeObj = a.get('mode');
    const mode = modeObj instanceof PyStr ? modeObj.v : 'r';
    if (!'rwaU'.includes(mode[0] ?? '')) throw it.error('ValueError', `mode string must begin with one of 'r', 'w', 'a' or 'U', not '${mode}'`);
    if (mode.startsWith('U') || mode.includes('U')) throw refuseIo(it, "file mode 'U' (universal newlines)");
    const buffering = size(it, a.get('buffering'));
    chargeAllocations(it, it.profile.fileAllocations.openText);
    const f = it.heap.register(new FileObject27(type, it, name, mode));
    try {
        f.open(it, buffering);
    } catch (e) {
        it.decref(f);
        throw e;
    }
    return f;
}

export function makeFileType27(it: Interpreter): PyType {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const t = new PyType(it.T.type, 'file', it.T.object, d, 'io', false);
    t.mro = [t, it.T.object];
    t.module = '__builtin__';
    t.id = it.heap.newId();
    const f = (self: PyObject): FileObject27 => self as FileObject27;
    const methods: Record<string, (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject> = {
        write: (self, args) => {
            maxArgs(it, 'write', args, 1);
            // file_write clears the print statement's softspace.
            f(self).softspace = 0;
            f(self).write(it, strArg(it, args[0]));
            return it.None;
        },
        writelines: (self, args) => {
            const o = f(self);
            o.check(it, 'writing');
            const lines = collect(it, args[0]);
            try {
                for (const l of lines) o.write(it, strArg(it, l));
            } finally {
                for (const l of lines) it.decref(l);
            }
            return it.None;
        },
        read: (self, args) => it.str(f(self).read(it, size(it, args[0]))),
        readline: (self, args) => it.str(f(self).readline(it, size(it, args[0]))),
        readlines: (self) => {
            const out: PyObject[] = [];
            for (let l = f(self).readline(it, -1); l; l = f(self).readline(it, -1)) out.push(it.str(l));
            return it.list(out);
        },
        flush: (self) => {
            f(self).flush(it);
            return it.None;
        },
        seek: (self, args) => {
            f(self).seek(it, size(it, args[0]), args[1] ? size(it, args[1]) : 0);
            return it.None;
        },
        tell: (self) => it.int(f(self).tell(it)),
        truncate: (self, args) => {
            f(self).truncate(it, args[0] && args[0] !== it.None ? size(it, args[0]) : null);
            return it.None;
        },
        close: (self) => {
            f(self).close(it);
            return it.None;
        },
        fileno: (self) => {
            f(self).check(it, null);
            return it.int(f(self).fd);
        },
        isatty: (self) => {
            f(self).check(it, null);
            return it.False;
        },
        ...fileProtocolMethods(it, 'next'),
        xreadlines: (self) => f(self).nativeIter(it),
    };
    for (const [name, fn] of Object.entries(methods)) d.set(it.heap, it.str(name), it.builtin(name, (self, args, kwargs) => fn(self!, args, kwargs), 'file', true));
    // file methods the engine does not model: using one stops the run (never an AttributeError).
    for (const name of ['readinto']) {
        d.set(it.heap, it.str(name), it.builtin(name, () => {
            throw refuseIo(it, `file.${name}`);
        }, 'file', true));
    }
    const getters: Record<string, (self: FileObject27) => PyObject> = {
        closed: (self) => it.bool(self.closed),
        name: (self) => it.incref(self.name),
        mode: (self) => it.str(self.mode),
        encoding: () => it.None,
        errors: () => it.None,
        newlines: () => it.None,
        softspace: (self) => it.int(self.softspace),
    };
    for (const [name, get] of Object.entries(getters)) {
        d.set(it.heap, it.str(name), nativeProperty(it, name, (o) => get(o as FileObject27)));
    }
    return t;
}
