/*
 * native.ts
 *
 * Memory allocated by C code (Issue 8, item 3). A scenario declares it with a comment on a statement
 * (trailing, or alone on the line before it):
 *
 *     buf = Compressor()   # exitscope: c-alloc 4096 "zlib buffer" freed=with
 *
 * Each time the statement completes, a native block of that size is allocated: an Alloc event with
 * type name 'native' followed by a NativeAlloc event (size, label, mode, owner). The owner is the
 * first object the statement allocated that is still alive when it completes (the object it
 * creates); a RefAdd edge owner → block records that the object points at the block.
 *
 *   freed=with     the block is freed (Dealloc, cause NativeFree) when its owner is freed
 *   freed=at-exit  freed by an atexit-like C hook at the very end of Py_FinalizeEx (not on os._exit)
 *   freed=never    never freed: the OS reclaims it when the process ends; a leak checker or an
 *                  embedding host that keeps running does not
 *
 * A size may end in K or M (KiB, MiB). The label is optional (default "native block").
 */

import type * as ast from './parser/ast';
import type { Comment } from './parser/tokens';
import type { EngineError } from './api';
import type { PyObject } from './runtime/object';
import { ObjFlag } from './runtime/object';
import { DeathCause, EventKind } from './events';
import type { Interpreter } from './interp/interpreter';
import type { Frame } from './interp/frame';
import { parseAnnotations, type NativeAnnotation, type NativeFreed } from './annotations';

export type { NativeAnnotation, NativeFreed } from './annotations';

/** The `# exitscope: c-alloc …` comments (annotations.ts parses them); malformed ones are errors of kind 'syntax'. */
export function parseNativeAnnotations(source: string, comments: readonly Comment[]): { annotations: NativeAnnotation[]; errors: EngineError[] } {
    const a = parseAnnotations(source, [], comments);
    const errors: EngineError[] = a.problems
        .filter((p) => p.message.startsWith('c-alloc'))
        .map((p) => ({ kind: 'syntax', message: p.message, line: p.line, col: p.col }));
    return { annotations: a.cAllocs, errors };
}

interface Block {
    id: number;
    size: number;
    label: string;
    freed: NativeFreed;
    owner: PyObject | null;
    live: boolean;
}

/** The interpreter's native-block state; `it.native` is set only when the scenario declares blocks. */
export class NativeRuntime {
    readonly byLine = new Map<number, NativeAnnotation[]>();
    private readonly running = new Set<ast.Stmt>();
    private readonly blocks: Block[] = [];
    private readonly owned = new Map<PyObject, Block[]>();

    constructor(
        private readonly it: Interpreter,
        annotations: readonly NativeAnnotation[],
    ) {
        for (const a of annotations) {
            const l = this.byLine.get(a.line) ?? [];
            l.push(a);
            this.byLine.set(a.line, l);
        }
        it.heap.onFree = (o) => this.ownerFreed(o);
    }

    /** Does statement `s` carry an annotation that is not already being handled? (execStmt's hook test) */
    wants(s: ast.Stmt): boolean {
        return this.byLine.has(s.line) && !this.running.has(s);
    }

    /** Runs `s` through `exec` while watching its allocations, then allocates its blocks. */
    exec<F>(f: Frame, s: ast.Stmt, exec: (s: ast.Stmt) => F): F {
        const heap = this.it.heap;
        const watch: PyObject[] = [];
        const prev = heap.allocWatch;
        heap.allocWatch = watch;
        this.running.add(s);
        let flow: F;
        try {
            flow = exec(s);
        } finally {
            this.running.delete(s);
            heap.allocWatch = prev;
            if (prev) prev.push(...watch);
        }
        void f;
        const owner = watch.find((o) => !(o.flags & ObjFlag.Freed) && o.rc > 0) ?? null;
        for (const a of this.byLine.get(s.line)!) this.allocate(a, owner, s);
        return flow;
    }

    private allocate(a: NativeAnnotation, owner: PyObject | null, s: ast.Stmt): void {
        const it = this.it;
        const heap = it.heap;
        const id = heap.newId();
        const line = s.line;
        const col = s.col;
        it.log.push(EventKind.Alloc, it.step, line, col, id, 0, 'native');
        it.log.push(EventKind.NativeAlloc, it.step, line, col, id, a.size, `${a.label}\u0000${a.freed}\u0000${owner ? owner.id : 0}`);
        it.log.push(EventKind.Label, it.step, line, col, id, 0, a.label);
        const b: Block = { id, size: a.size, label: a.label, freed: a.freed, owner, live: true };
        this.blocks.push(b);
        if (owner) {
            if (heap.recordEdges) it.log.push(EventKind.RefAdd, it.step, line, col, owner.id, id, a.label);
            const l = this.owned.get(owner) ?? [];
            l.push(b);
            this.owned.set(owner, l);
        } else if (a.freed === 'with') {
            // Nothing of the statement outlives it: the block goes with its temporaries.
            this.free(b);
        }
    }

    private free(b: Block): void {
        if (!b.live) return;
        b.live = false;
        const p = this.it.position();
        this.it.log.push(EventKind.Dealloc, p.step, p.line, p.col, b.id, DeathCause.NativeFree, null);
    }

    private ownerFreed(o: PyObject): void {
        const blocks = this.owned.get(o);
        if (!blocks) return;
        this.owned.delete(o);
        const p = this.it.position();
        for (const b of blocks) {
            if (this.it.heap.recordEdges) this.it.log.push(EventKind.RefDel, p.step, p.line, p.col, o.id, b.id, b.label);
            b.owner = null;
            if (b.freed === 'with') this.free(b);
        }
    }

    /** The atexit-like C hooks at the end of Py_FinalizeEx: blocks declared freed=at-exit go. */
    releaseAtExit(): void {
        for (const b of this.blocks) if (b.freed === 'at-exit') this.free(b);
    }

    /** Blocks still allocated (tests). */
    liveBlocks(): { id: number; size: number; label: string; freed: NativeFreed; owner: number | null }[] {
        return this.blocks.filter((b) => b.live).map((b) => ({ id: b.id, size: b.size, label: b.label, freed: b.freed, owner: b.owner ? b.owner.id : null }));
    }
}
