/*
 * finalize.ts — placeholder for Py_FinalizeEx (interpreter shutdown).
 */
import type { Interpreter } from '../interp/interpreter';

export function finalizeInterpreter(it: Interpreter): void {
    it.setPhase('after-exit');
}
