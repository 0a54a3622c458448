/*
 * gcModule.ts — placeholder: the `gc` module (replaced by the collector work).
 */
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';

export function createGcModule(it: Interpreter): PyModule {
    return it.newModule('gc');
}
