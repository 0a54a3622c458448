/*
 * atexitModule.ts — placeholder: the `atexit` module (replaced by the shutdown work).
 */
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';

export function createAtexitModule(it: Interpreter): PyModule {
    return it.newModule('atexit');
}
