/*
 * weakrefs.ts — placeholder for PyObject_ClearWeakRefs.
 */
import type { PyObject } from '../runtime/object';
import type { Interpreter } from '../interp/interpreter';

export function clearWeakrefs(_it: Interpreter, o: PyObject): void {
    o.weakrefs = null;
}
