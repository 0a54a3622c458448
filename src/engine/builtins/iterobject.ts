/*
 * iterobject.ts
 *
 * Objects/iterobject.c: the callable iterator (`iter(f, sentinel)`: it holds both and calls f()
 * until a value equal to the sentinel, then releases them, callable first). (The sequence
 * iterator is a PyIter kind, 'seq': interp/ops.ts.)
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import { PyNativeIter, PyIter } from '../runtime/iterators';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { equals } from '../interp/ops';
import { PyRaise, dropRaise } from '../interp/signals';
import { installIterMethods } from './iterslots';
import { seqIterLengthHint } from '../interp/lengthHint';

export class PyCallIter extends PyNativeIter {
    override iterNext(it: Interpreter): PyObject | null {
        return callIterNext(it, this);
    }
    callable: PyObject | null = null;
    sentinel: PyObject | null = null;
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.callable) visit(this.callable);
        if (this.sentinel) visit(this.sentinel);
    }
    override clear(r: Refs): void {
        const { callable, sentinel } = this;
        this.callable = null;
        this.sentinel = null;
        if (callable) r.release(this, callable, '(it_callable)');
        if (sentinel) r.release(this, sentinel, '(it_sentinel)');
    }
}

/** PyCallIter_New. */
export function newCallIter(it: Interpreter, callable: PyObject, sentinel: PyObject): PyCallIter {
    const ci = it.heap.register(new PyCallIter(it.T.callable_iterator));
    ci.callable = callable;
    it.heap.acquire(ci, callable, '(it_callable)');
    ci.sentinel = sentinel;
    it.heap.acquire(ci, sentinel, '(it_sentinel)');
    return ci;
}

function isStop(it: Interpreter, e: unknown): e is PyRaise {
    return e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.StopIteration);
}

function callIterNext(it: Interpreter, ci: PyCallIter): PyObject | null {
    const f = ci.callable;
    if (!f) return null;
    let result: PyObject | null = null;
    try {
        result = call(it, f, [], null);
    } catch (e) {
        if (!isStop(it, e)) throw e;
        dropRaise(it, e);
    }
    if (result !== null) {
        let same: boolean;
        try {
            same = equals(it, ci.sentinel!, result);
        } catch (e) {
            it.decref(result);
            throw e;
        }
        if (!same) return result;
    }
    // The end: the callable and the sentinel are released, then the last result.
    ci.clear(it.heap);
    it.decref(result);
    return null;
}

export function installIterObjects(it: Interpreter): void {
    installIterMethods(it, it.T.iterator);
    // iter_len: the sequence iterator's hint asks the sequence's __len__ (lengthHint.ts).
    it.T.iterator.dict.set(it.heap, it.str('__length_hint__'), it.builtin('__length_hint__', (self) => seqIterLengthHint(it, self as PyIter), 'iterator', true));
    installIterMethods(it, it.T.callable_iterator);
}
