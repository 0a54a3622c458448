/*
 * signals.ts
 *
 * Non-local exits used by the interpreter. Python exceptions travel as thrown PyRaise values (not
 * JS Errors: no stack capture on the hot path). Engine stops (step budget, unsupported construct at
 * run time, os._exit) travel as EngineStop / ProcessExit.
 */

import type { PyException } from '../runtime/instances';
import type { PyObject } from '../runtime/object';
import type { EngineError } from '../api';

/** A Python exception propagating; `exc` is an owned reference. */
export class PyRaise {
    /** 2.7 only: the traceback travels with the raise (and then sys.exc_info), not on the exception. */
    tb: PyObject | null = null;
    constructor(public exc: PyException) {}
}

/** Drops a caught exception that nobody will see again: its reference, and (2.7) its traceback. */
export function dropRaise(it: { decref(o: PyObject | null): void }, r: PyRaise): void {
    it.decref(r.exc);
    if (r.tb) {
        it.decref(r.tb);
        r.tb = null;
    }
}

/** The simulation cannot continue (budget exhausted, unsupported construct reached). */
export class EngineStop {
    constructor(public readonly error: EngineError) {}
}

/** `os._exit(n)`: leave at once, skipping everything. `line`/`col`: where it was called. */
export class ProcessExit {
    constructor(
        public readonly code: number,
        public readonly line = 0,
        public readonly col = 0,
    ) {}
}

/** Block completion codes for statements (return/break/continue are not exceptions). */
export const enum Flow {
    Normal = 0,
    Break = 1,
    Continue = 2,
    Return = 3,
}
