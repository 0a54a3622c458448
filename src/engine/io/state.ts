/*
 * state.ts
 *
 * The file-system side of one run: the in-memory directory (memdir.ts), the interpreter options of
 * the scenario's `# exitscope: flags` annotation, and the file objects that hold data not yet
 * written (a TextIOWrapper's pending bytes, a BufferedWriter's buffer, 2.7's stdio buffer). When
 * the process ends, what those still hold never reaches the file: `endOfProcess` logs it as lost
 * (os._exit, or an object never freed), except that 2.7's exit() flushes every open stdio stream.
 */

import type { InterpreterFlags } from '../annotations';
import { EventKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import { MemDir, type DirEntry } from './memdir';

/**
 * Why bytes a program wrote never reached their file (FileLost events carry it; the report's
 * `file-unflushed/*` findings explain each):
 *   os-exit          os._exit() ended the process with them still buffered;
 *   never-freed      the file object was never deallocated, so no close() or finalizer ran;
 *   closed-under-it  the raw file below it was closed first (a 3.x collection finalized the
 *                    FileIO first): its close() and finalizer then see a closed file and write
 *                    nothing, whether it is freed (the cycle's garbage) or kept (gc.garbage);
 *   freed-unflushed  freed with the buffer never written (its finalizer failed or did not run).
 */
export type LostCause = 'os-exit' | 'never-freed' | 'closed-under-it' | 'freed-unflushed';

/** A file object with a buffer of bytes that have not reached the file yet. */
export interface BufferHolder {
    /** Object id (events name it). */
    readonly id: number;
    /** The file it writes to, as opened (relative to the run's directory). */
    readonly path: string;
    /** Bytes written by the program that are not in the file yet. */
    pendingBytes(): number;
    /** Is the file below it closed (then neither close() nor a finalizer can write the buffer)? */
    isClosed(): boolean;
    /** 2.7 only: exit() flushes stdio streams (fflush of every open FILE). */
    readonly flushedByLibcExit: boolean;
    /** Writes the buffer out (2.7's exit-time fflush). */
    flushAtExit?(): void;
}

export class IoState {
    readonly dir = new MemDir();
    /** Buffers that may hold unwritten bytes (registered when they are created, removed when freed). */
    readonly holders = new Set<BufferHolder>();
    /**
     * The Python `warnings` module (imported at start-up by -W/-X dev, registered in sys.modules
     * right after __main__) has been removed by finalize_remove_modules (interp/warnings.ts).
     */
    warningsModuleRemoved = false;
    /** warnings' formatter has imported tracemalloc (and linecache): later imports are not needed. */
    tracemallocImported = false;

    constructor(
        readonly flags: InterpreterFlags,
        /** The scenario's own name in the directory and its bytes (to tell whether the run changed it). */
        readonly scenarioName: string,
        readonly scenarioData: Uint8Array,
    ) {}

    /** Logs bytes that reached a file (a write(2) on it). */
    logWrite(it: Interpreter, objectId: number, path: string, n: number): void {
        if (n <= 0) return;
        const p = it.position();
        it.log.push(EventKind.FileWrite, p.step, p.line, p.col, objectId, n, path);
    }

    /** Logs bytes that will never reach their file, and why. */
    logLost(it: Interpreter, h: BufferHolder, n: number, cause: LostCause): void {
        if (n <= 0) return;
        const p = it.position();
        it.log.push(EventKind.FileLost, p.step, p.line, p.col, h.id, n, `${h.path}\u0000${cause}`);
    }

    /**
     * The process ends: after Py_FinalizeEx (normal exit) or at os._exit. Buffers still holding
     * data lose it, except 2.7's stdio buffers on a normal exit (libc's exit() flushes them).
     */
    endOfProcess(it: Interpreter, how: 'exit' | 'os-exit'): void {
        for (const h of this.holders) {
            const n = h.pendingBytes();
            if (!n) continue;
            if (how === 'exit' && h.flushedByLibcExit && h.flushAtExit) h.flushAtExit();
            else this.logLost(it, h, n, how === 'os-exit' ? 'os-exit' : h.isClosed() ? 'closed-under-it' : 'never-freed');
        }
        this.holders.clear();
    }

    /**
     * The final directory as the conformance recorder records it: every entry but the scenario
     * itself while it is unchanged (null in `removed` when the run deleted it).
     */
    finalEntries(): { entries: DirEntry[]; scenarioRemoved: boolean } {
        const entries: DirEntry[] = [];
        let seen = false;
        for (const e of this.dir.entries()) {
            if (e.path === this.scenarioName && e.kind === 'file') {
                seen = true;
                if (sameBytes(e.data!, this.scenarioData)) continue;
            }
            entries.push(e);
        }
        return { entries, scenarioRemoved: !seen };
    }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}
