// The run's in-memory directory (src/engine/io/memdir.ts): paths, errno values, descriptors,
// tmpfs listing order.
import { describe, expect, it } from 'vitest';
import { MemDir, OsError, PathRefused, SCENARIO_DIR, ENOENT, EEXIST, EISDIR, ENOTDIR, ENOTEMPTY, EBADF } from '../../src/engine/io/memdir';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
function errno(fn: () => unknown): number | string {
    try {
        fn();
        return 'ok';
    } catch (e) {
        if (e instanceof OsError) return e.errno;
        if (e instanceof PathRefused) return 'refused';
        throw e;
    }
}

describe('MemDir', () => {
    it('opens, writes, seeks and reads through descriptors with their own offsets', () => {
        const d = new MemDir();
        const w = d.open('a.txt', { read: false, write: true, create: true, exclusive: false, truncate: true, append: false });
        expect(w).toBe(3);
        expect(d.write(w, bytes('hello world'))).toBe(11);
        const r = d.open('a.txt', { read: true, write: false, create: false, exclusive: false, truncate: false, append: false });
        expect(r).toBe(4);
        expect(text(d.read(r, 5))).toBe('hello');
        expect(d.seek(r, -5, 2)).toBe(6);
        expect(text(d.read(r, -1))).toBe('world');
        expect(d.read(r, 10).length).toBe(0);
        d.close(w);
        // The lowest free descriptor is reused.
        expect(d.open('b', { read: false, write: true, create: true, exclusive: false, truncate: false, append: false })).toBe(3);
        expect(errno(() => d.read(w + 10, 1))).toBe(EBADF);
        expect(errno(() => d.write(r, bytes('x')))).toBe(EBADF);
    });

    it('appends at the end and fills a hole with zeros', () => {
        const d = new MemDir();
        d.addFile('log', bytes('ab'));
        const a = d.open('log', { read: false, write: true, create: true, exclusive: false, truncate: false, append: true });
        d.seek(a, 0, 0);
        d.write(a, bytes('c'));
        expect(text(d.stat('log').kind === 'file' ? (d.stat('log') as { data: Uint8Array }).data : new Uint8Array())).toBe('abc');
        const w = d.open('log', { read: false, write: true, create: false, exclusive: false, truncate: false, append: false });
        d.seek(w, 5, 0);
        d.write(w, bytes('!'));
        expect(Array.from((d.stat('log') as { data: Uint8Array }).data)).toEqual([97, 98, 99, 0, 0, 33]);
    });

    it('answers with the errno values of Linux', () => {
        const d = new MemDir();
        d.addFile('f', bytes('x'));
        d.addDir('dir');
        d.addFile('dir/inner', bytes('y'));
        const ro = { read: true, write: false, create: false, exclusive: false, truncate: false, append: false };
        expect(errno(() => d.open('missing', ro))).toBe(ENOENT);
        expect(errno(() => d.open('', ro))).toBe(ENOENT);
        expect(errno(() => d.open('nodir/x', { ...ro, create: true, write: true }))).toBe(ENOENT);
        expect(errno(() => d.open('f/x', ro))).toBe(ENOTDIR);
        expect(errno(() => d.open('f/', ro))).toBe(ENOTDIR);
        expect(errno(() => d.open('dir', ro))).toBe(EISDIR);
        expect(errno(() => d.open('f', { ...ro, create: true, exclusive: true }))).toBe(EEXIST);
        expect(errno(() => d.unlink('dir'))).toBe(EISDIR);
        expect(errno(() => d.rmdir('dir'))).toBe(ENOTEMPTY);
        expect(errno(() => d.rmdir('f'))).toBe(ENOTDIR);
        expect(errno(() => d.mkdir('dir'))).toBe(EEXIST);
        expect(errno(() => d.listdir('f'))).toBe(ENOTDIR);
        expect(errno(() => d.rename('f', 'dir'))).toBe(EISDIR);
        expect(errno(() => d.rename('missing', 'g'))).toBe(ENOENT);
        const e = (() => {
            try {
                d.rename('missing', 'g');
            } catch (x) {
                return x as OsError;
            }
        })()!;
        expect([e.filename, e.filename2]).toEqual(['missing', 'g']);
    });

    it('lists the newest entry first, as tmpfs does; a created or renamed entry becomes the newest', () => {
        const d = new MemDir();
        for (const n of ['b', 'a', 'c']) d.addFile(n, bytes(''));
        expect(d.listdir('.')).toEqual(['c', 'a', 'b']);
        d.rename('b', 'e');
        expect(d.listdir('.')).toEqual(['e', 'c', 'a']);
        d.rename('a', 'c');
        expect(d.listdir('.')).toEqual(['c', 'e']);
        d.mkdir('sub');
        expect(errno(() => d.listdir(''))).toBe(ENOENT);
        expect(d.listdir(SCENARIO_DIR)).toEqual(['sub', 'c', 'e']);
    });

    it('follows absolute paths inside the scenario directory and refuses every other one', () => {
        const d = new MemDir();
        d.addFile('x', bytes('1'));
        expect(d.lookup(`${SCENARIO_DIR}/x`)?.kind).toBe('file');
        expect(d.lookup(`${SCENARIO_DIR}//./x`)?.kind).toBe('file');
        expect(d.relativePath(`${SCENARIO_DIR}/a/../x`)).toBe('x');
        expect(errno(() => d.lookup('/etc/passwd'))).toBe('refused');
        expect(errno(() => d.lookup('/tmp/exitscopeX/x'))).toBe('refused');
        expect(errno(() => d.lookup('../x'))).toBe('refused');
        expect(errno(() => d.open('/tmp/file', { read: false, write: true, create: true, exclusive: false, truncate: true, append: false }))).toBe('refused');
    });

    it('keeps an unlinked file readable through an open descriptor', () => {
        const d = new MemDir();
        d.addFile('gone', bytes('still here'));
        const fd = d.open('gone', { read: true, write: false, create: false, exclusive: false, truncate: false, append: false });
        d.unlink('gone');
        expect(d.lookup('gone')).toBeNull();
        expect(text(d.read(fd, -1))).toBe('still here');
        expect(d.entries()).toEqual([]);
    });

    it('lists its final entries parents first', () => {
        const d = new MemDir();
        d.addFile('sub/deep/f', bytes('z'));
        d.addDir('empty');
        expect(d.entries().map((e) => [e.path, e.kind])).toEqual([
            ['sub', 'dir'],
            ['sub/deep', 'dir'],
            ['sub/deep/f', 'file'],
            ['empty', 'dir'],
        ]);
    });
});
