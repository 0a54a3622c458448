/*
 * memdir.ts
 *
 * The run's directory: an in-memory file system standing in for the disk, so that a simulation
 * never reads or writes a real file (the extension must stay safe in untrusted workspaces). It is
 * what the kernel is to CPython: inodes with bytes, directories, and file descriptors with their
 * own offsets, answering with errno values (the io layers above turn them into OSError).
 *
 * The directory is SCENARIO_DIR (`os.getcwd()`): it holds the scenario itself under its file name
 * and the files and directories the scenario declares (`# exitscope: file|dir`, annotations.ts).
 * Absolute paths inside SCENARIO_DIR work; any other absolute path, and `..` above it, is refused
 * (PathRefused: the run stops with "not supported in scenarios yet"), never looked up on the disk.
 *
 * Behaviour copied from Linux tmpfs (the recorder runs scenarios that use files on tmpfs,
 * scripts/scenario-dir.mjs): a listing names the newest entry first, and a created or renamed entry
 * becomes the newest; st_blksize is 4096. The conformance suite compares the final contents.
 */

/** `os.getcwd()` of every run (the recorder replaces its real directory's path with this one). */
export const SCENARIO_DIR = '/tmp/exitscope';

/** st_blksize of a tmpfs file: the buffer size `open()` picks (_io_open_impl's `buffering = st_blksize`). */
export const BLKSIZE = 4096;

export const ENOENT = 2;
export const EBADF = 9;
export const EEXIST = 17;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENOTEMPTY = 39;

/** strerror() of glibc. */
export const STRERROR: Readonly<Record<number, string>> = {
    [ENOENT]: 'No such file or directory',
    [EBADF]: 'Bad file descriptor',
    [EEXIST]: 'File exists',
    [ENOTDIR]: 'Not a directory',
    [EISDIR]: 'Is a directory',
    [EINVAL]: 'Invalid argument',
    [ENOTEMPTY]: 'Directory not empty',
};

/** A failed system call: `errno`, and the paths CPython puts in the OSError (filename, filename2). */
export class OsError extends Error {
    constructor(
        readonly errno: number,
        readonly filename: string | null = null,
        readonly filename2: string | null = null,
    ) {
        super(STRERROR[errno] ?? `errno ${errno}`);
    }
}

/** A path the simulation will not follow (outside the scenario's directory). */
export class PathRefused extends Error {
    constructor(readonly path: string) {
        super(`the path '${path}' (outside the scenario's directory ${SCENARIO_DIR})`);
    }
}

export class FileNode {
    readonly kind = 'file';
    private bytes: Uint8Array;
    size: number;
    constructor(data: Uint8Array = new Uint8Array(0)) {
        this.bytes = data.slice();
        this.size = data.length;
    }
    get data(): Uint8Array {
        return this.bytes.subarray(0, this.size);
    }
    read(pos: number, n: number): Uint8Array {
        if (pos >= this.size) return new Uint8Array(0);
        return this.bytes.slice(pos, Math.min(this.size, pos + n));
    }
    write(pos: number, b: Uint8Array): void {
        const end = pos + b.length;
        if (end > this.bytes.length) {
            const grown = new Uint8Array(Math.max(end, this.bytes.length * 2, 64));
            grown.set(this.bytes.subarray(0, this.size));
            this.bytes = grown;
        }
        // A write past the end leaves a hole of zero bytes (the fresh array is zeroed).
        if (pos > this.size) this.bytes.fill(0, this.size, pos);
        this.bytes.set(b, pos);
        this.size = Math.max(this.size, end);
    }
    truncate(n: number): void {
        if (n > this.bytes.length) this.write(n, new Uint8Array(0));
        else if (n > this.size) this.bytes.fill(0, this.size, n);
        this.size = n;
    }
}

export class DirNode {
    readonly kind = 'dir';
    /** Oldest first (Map insertion order); a listing reverses it. */
    readonly entries = new Map<string, FileNode | DirNode>();
    constructor(readonly parent: DirNode | null) {}
    /** Adds or moves `name` to be the newest entry. */
    link(name: string, node: FileNode | DirNode): void {
        this.entries.delete(name);
        this.entries.set(name, node);
    }
}

export type Node = FileNode | DirNode;

/** An open file description (what a file descriptor refers to): the inode, the offset, the access mode. */
export interface OpenFile {
    node: FileNode;
    pos: number;
    readable: boolean;
    writable: boolean;
    append: boolean;
}

export interface OpenFlags {
    read: boolean;
    write: boolean;
    create: boolean;
    exclusive: boolean;
    truncate: boolean;
    append: boolean;
}

/** One entry of the final directory (SimulationResult.files). */
export interface DirEntry {
    /** Relative to SCENARIO_DIR, `/`-separated. */
    path: string;
    kind: 'file' | 'dir';
    /** Files: the bytes. */
    data?: Uint8Array;
}

export class MemDir {
    readonly root = new DirNode(null);
    private readonly fds = new Map<number, OpenFile>();

    // ------------------------------------------------------------------ paths

    /**
     * Splits `path` (as the program gave it) into the directory that holds its last component and
     * that component ('' for the directory itself). Throws OsError for a missing or non-directory
     * parent, PathRefused outside the directory.
     */
    private locate(path: string): { dir: DirNode; name: string } {
        if (path === '') throw new OsError(ENOENT, path);
        let rest = path;
        if (path.startsWith('/')) {
            const norm = path.replace(/\/+/g, '/');
            if (norm !== SCENARIO_DIR && !norm.startsWith(SCENARIO_DIR + '/')) throw new PathRefused(path);
            rest = norm.slice(SCENARIO_DIR.length);
        }
        const parts = rest.split('/').filter((p) => p !== '' && p !== '.');
        let dir = this.root;
        for (let i = 0; i < parts.length - 1; i++) {
            const p = parts[i];
            if (p === '..') {
                if (!dir.parent) throw new PathRefused(path);
                dir = dir.parent;
                continue;
            }
            const next = dir.entries.get(p);
            if (!next) throw new OsError(ENOENT, path);
            if (next.kind !== 'dir') throw new OsError(ENOTDIR, path);
            dir = next;
        }
        let name = parts.length ? parts[parts.length - 1] : '';
        if (name === '..') {
            if (!dir.parent) throw new PathRefused(path);
            dir = dir.parent;
            name = '';
        }
        return { dir, name };
    }

    /** The node at `path`, or null when it does not exist (errors of the parents still throw, except ENOENT/ENOTDIR). */
    lookup(path: string): Node | null {
        try {
            return this.find(path);
        } catch (e) {
            if (e instanceof OsError) return null;
            throw e;
        }
    }

    private find(path: string): Node {
        const { dir, name } = this.locate(path);
        if (name === '') return dir;
        const node = dir.entries.get(name);
        if (!node) throw new OsError(ENOENT, path);
        // "file/" names a directory: ENOTDIR for a file.
        if (node.kind === 'file' && /\/\.?$/.test(path)) throw new OsError(ENOTDIR, path);
        return node;
    }

    /**
     * `path` relative to the directory, normalized lexically (`./a/../b` → `b`): the name events
     * and reports use for a file. The directory itself is ''.
     */
    relativePath(path: string): string {
        let rest = path.replace(/\/+/g, '/');
        if (rest.startsWith('/')) rest = rest === SCENARIO_DIR ? '' : rest.slice(SCENARIO_DIR.length + 1);
        const out: string[] = [];
        for (const p of rest.split('/')) {
            if (p === '' || p === '.') continue;
            if (p === '..') out.pop();
            else out.push(p);
        }
        return out.join('/');
    }

    /** Throws PathRefused when `path` leaves the directory (callers that only test existence use this first). */
    checkInside(path: string): void {
        try {
            this.locate(path);
        } catch (e) {
            if (e instanceof PathRefused) throw e;
        }
    }

    // ------------------------------------------------------------------ set-up

    /** Creates a file (and its missing parents) before the run: the scenario and declared files. */
    addFile(path: string, data: Uint8Array): void {
        const { dir, name } = this.makeParents(path);
        dir.link(name, new FileNode(data));
    }

    addDir(path: string): void {
        const { dir, name } = this.makeParents(path);
        if (dir.entries.get(name)?.kind !== 'dir') dir.link(name, new DirNode(dir));
    }

    private makeParents(path: string): { dir: DirNode; name: string } {
        const parts = path.split('/');
        let dir = this.root;
        for (const p of parts.slice(0, -1)) {
            let next = dir.entries.get(p);
            if (!next || next.kind !== 'dir') {
                next = new DirNode(dir);
                dir.link(p, next);
            }
            dir = next;
        }
        return { dir, name: parts[parts.length - 1] };
    }

    // ------------------------------------------------------------------ file descriptors

    /** open(2). Returns the lowest free descriptor from 3 (0–2 are the standard streams). */
    open(path: string, f: OpenFlags): number {
        const { dir, name } = this.locate(path);
        let node = name === '' ? dir : dir.entries.get(name);
        if (node && f.create && f.exclusive) throw new OsError(EEXIST, path);
        if (!node) {
            if (!f.create) throw new OsError(ENOENT, path);
            node = new FileNode();
            dir.link(name, node);
        }
        if (node.kind === 'dir') {
            // O_RDONLY on a directory succeeds in the kernel; FileIO's fstat then refuses it with EISDIR.
            throw new OsError(EISDIR, path);
        }
        if (/\/\.?$/.test(path)) throw new OsError(ENOTDIR, path);
        if (f.truncate) node.truncate(0);
        let fd = 3;
        while (this.fds.has(fd)) fd++;
        this.fds.set(fd, { node, pos: 0, readable: f.read, writable: f.write, append: f.append });
        return fd;
    }

    private desc(fd: number): OpenFile {
        const d = this.fds.get(fd);
        if (!d) throw new OsError(EBADF);
        return d;
    }

    isOpen(fd: number): boolean {
        return this.fds.has(fd);
    }

    read(fd: number, n: number): Uint8Array {
        const d = this.desc(fd);
        if (!d.readable) throw new OsError(EBADF);
        const b = d.node.read(d.pos, n < 0 ? Number.MAX_SAFE_INTEGER : n);
        d.pos += b.length;
        return b;
    }

    write(fd: number, b: Uint8Array): number {
        const d = this.desc(fd);
        if (!d.writable) throw new OsError(EBADF);
        if (d.append) d.pos = d.node.size;
        d.node.write(d.pos, b);
        d.pos += b.length;
        return b.length;
    }

    /** lseek(2): whence 0 (start), 1 (current), 2 (end). */
    seek(fd: number, offset: number, whence: number): number {
        const d = this.desc(fd);
        const base = whence === 0 ? 0 : whence === 1 ? d.pos : d.node.size;
        const pos = base + offset;
        if (pos < 0 || whence < 0 || whence > 2) throw new OsError(EINVAL);
        d.pos = pos;
        return pos;
    }

    size(fd: number): number {
        return this.desc(fd).node.size;
    }

    truncate(fd: number, n: number): void {
        const d = this.desc(fd);
        if (!d.writable) throw new OsError(EINVAL);
        d.node.truncate(n);
    }

    close(fd: number): void {
        if (!this.fds.delete(fd)) throw new OsError(EBADF);
    }

    // ------------------------------------------------------------------ directory operations

    stat(path: string): Node {
        return this.find(path);
    }

    /** Names in `path`, newest first (tmpfs order). */
    listdir(path: string): string[] {
        const node = this.find(path);
        if (node.kind !== 'dir') throw new OsError(ENOTDIR, path);
        return [...node.entries.keys()].reverse();
    }

    mkdir(path: string): void {
        const { dir, name } = this.locate(path);
        if (name === '' || dir.entries.has(name)) throw new OsError(EEXIST, path);
        dir.link(name, new DirNode(dir));
    }

    rmdir(path: string): void {
        const { dir, name } = this.locate(path);
        const node = name === '' ? dir : dir.entries.get(name);
        if (!node) throw new OsError(ENOENT, path);
        if (node.kind !== 'dir') throw new OsError(ENOTDIR, path);
        if (node.entries.size) throw new OsError(ENOTEMPTY, path);
        if (node === this.root || name === '') throw new OsError(EINVAL, path);
        dir.entries.delete(name);
    }

    /** unlink(2): a directory answers EISDIR (Linux). Open descriptors keep the inode. */
    unlink(path: string): void {
        const { dir, name } = this.locate(path);
        const node = name === '' ? dir : dir.entries.get(name);
        if (!node) throw new OsError(ENOENT, path);
        if (node.kind === 'dir') throw new OsError(EISDIR, path);
        dir.entries.delete(name);
    }

    /** rename(2), replacing a file or an empty directory at the destination. */
    rename(src: string, dst: string): void {
        const from = this.locateOr2(src, src, dst);
        const node = from.name === '' ? from.dir : from.dir.entries.get(from.name);
        if (!node || from.name === '') throw new OsError(node ? EINVAL : ENOENT, src, dst);
        const to = this.locateOr2(dst, src, dst);
        if (to.name === '') throw new OsError(EEXIST, src, dst);
        const target = to.dir.entries.get(to.name);
        if (target === node) return;
        if (target) {
            if (node.kind === 'file' && target.kind === 'dir') throw new OsError(EISDIR, src, dst);
            if (node.kind === 'dir' && target.kind === 'file') throw new OsError(ENOTDIR, src, dst);
            if (target.kind === 'dir' && target.entries.size) throw new OsError(ENOTEMPTY, src, dst);
        }
        if (node.kind === 'dir') {
            for (let d: DirNode | null = to.dir; d; d = d.parent) if (d === node) throw new OsError(EINVAL, src, dst);
        }
        from.dir.entries.delete(from.name);
        to.dir.link(to.name, node);
        if (node.kind === 'dir') (node as { parent: DirNode | null }).parent = to.dir;
    }

    /** locate() for two-path calls: errors name both paths, as CPython's OSError does. */
    private locateOr2(path: string, src: string, dst: string): { dir: DirNode; name: string } {
        try {
            return this.locate(path);
        } catch (e) {
            if (e instanceof OsError) throw new OsError(e.errno, src, dst);
            throw e;
        }
    }

    // ------------------------------------------------------------------ the result

    /** Every entry, parents before children, each directory's entries oldest first. */
    entries(): DirEntry[] {
        const out: DirEntry[] = [];
        const walk = (dir: DirNode, prefix: string): void => {
            for (const [name, node] of dir.entries) {
                const path = prefix + name;
                if (node.kind === 'dir') {
                    out.push({ path, kind: 'dir' });
                    walk(node, path + '/');
                } else {
                    out.push({ path, kind: 'file', data: node.data.slice() });
                }
            }
        };
        walk(this.root, '');
        return out;
    }
}
