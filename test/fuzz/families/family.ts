/*
 * family.ts
 *
 * A family writes one kind of statement (a cycle, a weakref with a callback, an atexit handler…)
 * into a Program. Adding a mechanism to the fuzzer is adding one family module and listing it in
 * families/index.ts.
 */

import type { Dialect, Program } from '../program';

export interface Family {
    /** Short name, used in statistics and in `--families`. */
    name: string;
    /** Relative weight when the generator picks the next statement. */
    weight: number;
    /** Dialects the family writes (default: both). */
    dialects?: readonly Dialect[];
    /** The family may also write inside a function body. */
    inFunction?: boolean;
    /** Writes its statements; returns false when it had nothing to do (e.g. no live name to drop). */
    emit(p: Program): boolean;
}
