/*
 * stdlibFrames.ts
 *
 * Traceback entries for lines of the standard library's Python code that the engine runs
 * natively (Lib/weakref.py's finalize, Lib/concurrent/futures): `File "<stdlib>/weakref.py",
 * line N, in __call__`, its source line and, where the printer draws them (3.11+; 3.13's C
 * printer, used for unraisable exceptions, draws none), the carets CPython draws under it. An
 * entry is put in front of the exception's traceback as PyTraceBack_Here does for a frame the
 * exception passes through; `holds` is what that frame keeps alive for as long as the traceback
 * lives (taken over).
 */

import type { PyObject } from '../runtime/object';
import { PyTraceback } from '../runtime/frames';
import type { PyException } from '../runtime/instances';
import type { Interpreter } from './interpreter';
import type { PyRaise } from './signals';

export interface StdlibLine {
    /** As the recorder shows it: `<stdlib>/weakref.py`. */
    file: string;
    line: number;
    /** The function (co_name). */
    name: string;
    source: string;
    /** The carets under the source line (after its 4-space indent), or null. */
    carets: string | null;
}

export function pushStdlibEntry(it: Interpreter, exc: PyException, at: StdlibLine, holds: PyObject[] = []): void {
    const prev = exc.traceback as PyTraceback | null;
    const tb = it.heap.register(new PyTraceback(it.T.traceback, prev, null, at.line));
    tb.stdlib = { file: at.file, name: at.name, source: at.source, carets: at.carets, holds };
    for (const o of holds) it.heap.adopt(tb, o, `(${at.name} frame)`);
    if (prev) {
        it.heap.forget(exc, prev, '__traceback__');
        it.heap.adopt(tb, prev, 'tb_next');
    }
    exc.traceback = tb;
    it.heap.adopt(exc, tb, '__traceback__');
}

/**
 * pushStdlibEntry for an exception being raised: 2.7 keeps the traceback in the thread state (the
 * raise carries it, then sys.exc_info), not on the exception.
 */
export function pushStdlibEntryOnRaise(it: Interpreter, r: PyRaise, at: StdlibLine, holds: PyObject[] = []): void {
    if (it.profile.exceptionHasTraceback) return pushStdlibEntry(it, r.exc, at, holds);
    const prev = r.tb as PyTraceback | null;
    const tb = it.heap.register(new PyTraceback(it.T.traceback, prev, null, at.line));
    tb.stdlib = { file: at.file, name: at.name, source: at.source, carets: at.carets, holds };
    for (const o of holds) it.heap.adopt(tb, o, `(${at.name} frame)`);
    if (prev) it.heap.adopt(tb, prev, 'tb_next');
    r.tb = tb;
}
