/*
 * weakrefModule.ts — placeholder: the `weakref` module (replaced by the weakref work).
 */
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';

export function createWeakrefModule(it: Interpreter): PyModule {
    return it.newModule('weakref');
}
