/*
 * iterslots.ts
 *
 * The Python-level face of CPython's tp_iter / tp_iternext for the iterator types the engine
 * implements natively (runtime/iterators.ts: PyNativeIter subclasses such as map, filter, zip,
 * enumerate, reversed, callable_iterator, and PyIter kinds such as the sequence iterator):
 * `__iter__` (PyObject_SelfIter) and `__next__` (2.7: `next`), which raise StopIteration when the
 * iterator is exhausted. iter(), next(), for loops and the builtins do not go through these
 * methods: they call interp/ops.ts getIter / iterNext directly.
 *
 * Also the result-tuple reuse of enumerate and dict items iterators (a new tuple only when
 * someone else still holds the last one).
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { PyTuple } from '../runtime/containers';
import { indexLabel } from '../runtime/containers';
import type { Interpreter } from '../interp/interpreter';
import { iterNextOrStop } from '../interp/ops';
import { arity } from './args';

/** Gives the iterator type `t` its `__iter__` and `__next__` (2.7: `next`) methods. */
export function installIterMethods(it: Interpreter, t: PyType): void {
    const method = (name: string, fn: (self: PyObject) => PyObject): void => {
        t.dict.set(
            it.heap,
            it.str(name),
            it.builtin(
                name,
                (self, args) => {
                    arity(it, name, args, 0, 0);
                    return fn(self!);
                },
                t.name,
                true,
            ),
        );
    };
    method('__iter__', (self) => it.incref(self));
    method(it.profile.nextMethod, (self) => {
        const v = iterNextOrStop(it, self);
        if (v === null) throw it.error('StopIteration');
        return v;
    });
}

/**
 * A result tuple for the next step of an iterator that reuses its last one (enumerate, dict
 * items; zip interleaves its own): when only the iterator holds `result`, the new items are stored,
 * then the old ones released, and it is returned again; otherwise a new tuple takes them. 3.x
 * re-tracks a reused tuple the collector untracked (bpo-42536); 2.7 does not.
 */
export function reuseResult(it: Interpreter, result: PyTuple | null, items: PyObject[]): PyTuple {
    if (result && result.rc === 1) {
        it.incref(result);
        const old = result.items.slice();
        for (let i = 0; i < items.length; i++) {
            result.items[i] = items[i];
            it.heap.adopt(result, items[i], indexLabel(i));
        }
        for (let i = 0; i < old.length; i++) it.heap.release(result, old[i], indexLabel(i));
        if (result.gen === -1 && it.profile.recycledTupleRetracked) it.heap.track(result);
        return result;
    }
    return it.tuple(items);
}
