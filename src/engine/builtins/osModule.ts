/*
 * osModule.ts
 *
 * The `os` module (Modules/posixmodule.c) and `os.path` (Lib/posixpath.py) over the run's
 * in-memory directory (io/memdir.ts): getcwd, listdir, remove/unlink, rename/replace, mkdir,
 * makedirs, rmdir; exists, isfile, isdir, getsize, join, split, basename, dirname, splitext,
 * normpath, abspath, isabs. Failures are the OSError CPython raises (2.7: OSError without file
 * names for rename). `_exit`, `getpid` and `write` as before. Nothing here reaches the real disk.
 */

import type { PyObject } from '../runtime/object';
import { PyStr, PyInt } from '../runtime/values';
import type { PyModule } from '../runtime/frames';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { ProcessExit } from '../interp/signals';
import { truthy } from '../interp/ops';
import { arity, toInt, toCInt } from './args';
import { defineFn, setModuleAttr } from './modules';
import { SCENARIO_DIR, OsError, EEXIST, PathRefused } from '../io/memdir';
import { sysCall, osFailure } from '../io/oserror';
import { refuseIo } from '../io/iobase';

function pathArg(it: Interpreter, fname: string, o: PyObject | undefined, argName = 'path'): PyStr {
    if (o instanceof PyStr) {
        if (o.v.includes('\0')) throw it.error('ValueError', 'embedded null byte');
        return o;
    }
    if (!o) throw it.error('TypeError', `${fname}() missing required argument '${argName}' (pos 1)`);
    if (o instanceof PyInt) throw refuseIo(it, `os.${fname}() of a file descriptor`);
    throw it.error('TypeError', `${fname}: ${argName} should be string, bytes or os.PathLike, not ${o.type.name}`);
}

// ------------------------------------------------------------------------------------------------
// posixpath: string functions, as Lib/posixpath.py computes them

export function pathJoin(a: string, parts: string[]): string {
    let path = a;
    for (const b of parts) {
        if (b.startsWith('/')) path = b;
        else if (!path || path.endsWith('/')) path += b;
        else path += '/' + b;
    }
    return path;
}

export function pathSplit(p: string): [string, string] {
    const i = p.lastIndexOf('/') + 1;
    let head = p.slice(0, i);
    const tail = p.slice(i);
    if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
    return [head, tail];
}

export function pathSplitext(p: string): [string, string] {
    const sep = p.lastIndexOf('/');
    const dot = p.lastIndexOf('.');
    if (dot > sep) {
        for (let i = sep + 1; i < dot; i++) if (p[i] !== '.') return [p.slice(0, dot), p.slice(dot)];
    }
    return [p, ''];
}

export function pathNorm(path: string): string {
    if (path === '') return '.';
    let initial = path.startsWith('/') ? 1 : 0;
    // POSIX allows one or two initial slashes, but treats three or more as a single slash.
    if (initial && path.startsWith('//') && !path.startsWith('///')) initial = 2;
    const out: string[] = [];
    for (const comp of path.split('/')) {
        if (comp === '' || comp === '.') continue;
        if (comp !== '..' || (!initial && !out.length) || (out.length && out[out.length - 1] === '..')) out.push(comp);
        else if (out.length) out.pop();
    }
    const p = '/'.repeat(initial) + out.join('/');
    return p || '.';
}

// ------------------------------------------------------------------------------------------------

export function createOsModule(it: Interpreter): PyModule {
    const m = it.newModule('os');
    const py2 = it.profile.major === 2;
    const dir = it.io.dir;
    const str = (s: string): PyObject => it.str(s);
    defineFn(it, m, '_exit', (args) => {
        arity(it, '_exit', args, 1, 1);
        throw new ProcessExit(toCInt(it, args[0], it.profile.clinicIntArgs ? 'clinic' : 'getargs'), it.line, it.col);
    });
    defineFn(it, m, 'getpid', () => it.int(4242));
    defineFn(it, m, 'write', (args) => {
        arity(it, 'write', args, 2, 2);
        const fd = toInt(it, args[0]);
        const data = args[1];
        const text = data instanceof PyStr ? data.v : new TextDecoder().decode((data as unknown as { v: Uint8Array }).v);
        if (fd !== 1 && fd !== 2) throw refuseIo(it, `os.write() to file descriptor ${fd}`);
        // os.write bypasses Python's buffer: it reaches the file descriptor at once.
        const stream = fd === 2 ? it.stderr : it.stdout;
        stream.writeRaw(text);
        return it.int(text.length);
    });
    defineFn(it, m, 'getcwd', (args) => {
        arity(it, 'getcwd', args, 0, 0);
        return str(SCENARIO_DIR);
    });
    if (py2) defineFn(it, m, 'getcwdu', () => str(SCENARIO_DIR));
    defineFn(it, m, 'listdir', (args) => {
        if (py2) arity(it, 'listdir', args, 1, 1);
        else arity(it, 'listdir', args, 0, 1);
        const p = args.length && args[0] !== it.None ? pathArg(it, 'listdir', args[0]) : (str('.') as PyStr);
        return it.list(sysCall(it, 'OSError', () => dir.listdir(p.v), p).map(str));
    });
    const unlink = (name: string) => (args: PyObject[]): PyObject => {
        arity(it, name, args, 1, 1);
        const p = pathArg(it, name, args[0]);
        sysCall(it, 'OSError', () => dir.unlink(p.v), p);
        return it.None;
    };
    defineFn(it, m, 'remove', unlink('remove'));
    defineFn(it, m, 'unlink', unlink('unlink'));
    const rename = (name: string) => (args: PyObject[]): PyObject => {
        arity(it, name, args, 2, 2);
        const src = pathArg(it, name, args[0], 'src');
        const dst = pathArg(it, name, args[1], 'dst');
        try {
            dir.rename(src.v, dst.v);
        } catch (e) {
            // 2.7's posix_2str raises OSError without the file names.
            if (py2 && e instanceof OsError) osFailure(it, new OsError(e.errno), 'OSError');
            osFailure(it, e, 'OSError', src, dst);
        }
        return it.None;
    };
    defineFn(it, m, 'rename', rename('rename'));
    if (!py2) defineFn(it, m, 'replace', rename('replace'));
    defineFn(it, m, 'mkdir', (args) => {
        arity(it, 'mkdir', args, 1, 2);
        const p = pathArg(it, 'mkdir', args[0]);
        sysCall(it, 'OSError', () => dir.mkdir(p.v), p);
        return it.None;
    });
    defineFn(it, m, 'rmdir', (args) => {
        arity(it, 'rmdir', args, 1, 1);
        const p = pathArg(it, 'rmdir', args[0]);
        sysCall(it, 'OSError', () => dir.rmdir(p.v), p);
        return it.None;
    });
    const makedirs = it.builtin('makedirs', (_s, args, kwargs: KwArgs) => {
        arity(it, 'makedirs', args, 1, 3);
        const p = pathArg(it, 'makedirs', args[0]);
        const existOk = !py2 && truthy(it, args[2] ?? kwargs?.get('exist_ok') ?? it.False);
        // Lib/os.py makedirs: the missing parents first, then the leaf.
        const [head] = pathSplit(p.v);
        if (head && head !== p.v && dir.lookup(head) === null) {
            const sub = str(head);
            it.decref(makedirs.impl(null, [sub], null));
        }
        try {
            dir.mkdir(p.v);
        } catch (e) {
            if (!(existOk && e instanceof OsError && e.errno === EEXIST && dir.lookup(p.v)?.kind === 'dir')) osFailure(it, e, 'OSError', p);
        }
        return it.None;
    });
    m.dict.set(it.heap, it.str('makedirs'), makedirs);
    setModuleAttr(it, m, 'path', createPathModule(it));
    setModuleAttr(it, m, 'sep', str('/'));
    setModuleAttr(it, m, 'curdir', str('.'));
    setModuleAttr(it, m, 'pardir', str('..'));
    setModuleAttr(it, m, 'linesep', str('\n'));
    setModuleAttr(it, m, 'name', str('posix'));
    return m;
}

/** os.path: posixpath. */
function createPathModule(it: Interpreter): PyModule {
    const m = it.newModule('posixpath');
    const dir = it.io.dir;
    const s = (name: string, o: PyObject | undefined): string => {
        if (o instanceof PyStr) return o.v;
        throw it.error('TypeError', `expected str, bytes or os.PathLike object, not ${o ? o.type.name : 'NoneType'}`);
    };
    /** genericpath.exists/isfile/isdir: an OSError or ValueError from stat() is False. */
    const test = (name: string, pred: (kind: 'file' | 'dir') => boolean): void => {
        defineFn(it, m, name, (args) => {
            arity(it, name, args, 1, 1);
            const p = s(name, args[0]);
            if (p.includes('\0')) return it.False;
            try {
                const node = dir.lookup(p);
                return it.bool(node !== null && pred(node.kind));
            } catch (e) {
                if (e instanceof PathRefused) throw refuseIo(it, e.message);
                throw e;
            }
        });
    };
    test('exists', () => true);
    test('isfile', (k) => k === 'file');
    test('isdir', (k) => k === 'dir');
    defineFn(it, m, 'getsize', (args) => {
        arity(it, 'getsize', args, 1, 1);
        const p = pathArg(it, 'stat', args[0]);
        const node = sysCall(it, 'OSError', () => dir.stat(p.v), p);
        return it.int(node.kind === 'file' ? node.size : 4096);
    });
    defineFn(it, m, 'join', (args) => {
        if (!args.length) throw it.error('TypeError', 'join() missing 1 required positional argument: \'a\'');
        return it.str(pathJoin(s('join', args[0]), args.slice(1).map((a) => s('join', a))));
    });
    defineFn(it, m, 'split', (args) => {
        arity(it, 'split', args, 1, 1);
        const [h, t] = pathSplit(s('split', args[0]));
        return it.tuple([it.str(h), it.str(t)]);
    });
    defineFn(it, m, 'splitext', (args) => {
        arity(it, 'splitext', args, 1, 1);
        const [h, t] = pathSplitext(s('splitext', args[0]));
        return it.tuple([it.str(h), it.str(t)]);
    });
    defineFn(it, m, 'basename', (args) => {
        arity(it, 'basename', args, 1, 1);
        return it.str(pathSplit(s('basename', args[0]))[1]);
    });
    defineFn(it, m, 'dirname', (args) => {
        arity(it, 'dirname', args, 1, 1);
        return it.str(pathSplit(s('dirname', args[0]))[0]);
    });
    defineFn(it, m, 'normpath', (args) => {
        arity(it, 'normpath', args, 1, 1);
        return it.str(pathNorm(s('normpath', args[0])));
    });
    defineFn(it, m, 'isabs', (args) => {
        arity(it, 'isabs', args, 1, 1);
        return it.bool(s('isabs', args[0]).startsWith('/'));
    });
    defineFn(it, m, 'abspath', (args) => {
        arity(it, 'abspath', args, 1, 1);
        const p = s('abspath', args[0]);
        return it.str(pathNorm(p.startsWith('/') ? p : pathJoin(SCENARIO_DIR, [p])));
    });
    setModuleAttr(it, m, 'sep', it.str('/'));
    return m;
}
