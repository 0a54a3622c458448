/*
 * futuresBase.ts
 *
 * Lib/concurrent/futures/_base.py (3.x) over the deterministic thread model: Future and Executor,
 * and the module's exceptions. A Future's state lives in its instance `__dict__` as CPython's
 * does (`_condition` a threading.Condition, `_state`, `_result`, `_exception`, `_waiters`,
 * `_done_callbacks`), so the report sees what a Future keeps: its result or its exception — and
 * through the exception's traceback the frames of the call that raised, with their locals — for
 * as long as the Future lives. `result()` and `exception()` wait on the virtual clock until the
 * Future is done (set_result, set_exception, cancel notify its condition).
 *
 * `result()` re-raises the stored exception (`raise self._exception` in `__get_result`): the
 * exception keeps the traceback it had and gains `__get_result`'s and `result`'s entries on top,
 * at each version's line (profiles.ts `FUTURES_PY`), then the caller's; calling result() twice
 * makes it longer each time, as in CPython.
 *
 * Not modelled (refused): wait, as_completed, a done-callback that raises (_base.LOGGER.exception
 * logs it), negative timeouts. Executor.map's result iterator is a native iterator, not a
 * generator object: dropped before its end it does not cancel the futures left.
 */

import { PyObject, type Refs, type Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { PyList, type PyDict } from '../runtime/containers';
import type { PyModule } from '../runtime/frames';
import { pushStdlibEntry as pushLine } from '../interp/stdlibFrames';
import type { KwArgs } from '../runtime/callables';
import type { PyException } from '../runtime/instances';
import { PyNativeIter } from '../runtime/iterators';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { PyRaise } from '../interp/signals';
import { getAttr, setAttr } from '../interp/attrs';
import { typeNew } from '../interp/typeobject';
import { call } from '../interp/calls';
import { truthy, getIter, iterNext } from '../interp/ops';
import { addr } from '../interp/format';
import { setModuleAttr } from '../builtins/modules';
import { toNum } from '../builtins/args';
import { installIterMethods } from '../builtins/iterslots';
import { stdType } from '../modules/stdTypes';
import { stopUnsupported, type Scheduler } from './scheduler';
import { blockingMethod, params } from './threadingModule';
import { callInThread } from './threadcall';
import { futuresPyOf, type FuturesPy } from '../profiles';

const PENDING = 'PENDING';
const RUNNING = 'RUNNING';
const CANCELLED = 'CANCELLED';
const CANCELLED_AND_NOTIFIED = 'CANCELLED_AND_NOTIFIED';
const FINISHED = 'FINISHED';
const DESCRIPTION: Record<string, string> = { PENDING: 'pending', RUNNING: 'running', CANCELLED: 'cancelled', CANCELLED_AND_NOTIFIED: 'cancelled', FINISHED: 'finished' };

export interface FuturesState {
    module: PyModule;
    threading: PyModule;
    futureType: PyType;
    executorType: PyType;
    cancelledError: PyType;
    timeoutError: PyType;
    invalidStateError: PyType;
    brokenExecutor: PyType;
    sched: Scheduler;
}

export function futuresState(it: Interpreter): FuturesState {
    return it.moduleState.get('concurrent.futures') as FuturesState;
}

export function callMethod(it: Interpreter, o: PyObject, name: string, args: PyObject[] = [], kwargs: KwArgs = null): PyObject {
    const f = getAttr(it, o, name);
    try {
        return call(it, f, args, kwargs);
    } finally {
        it.decref(f);
    }
}

/** `o.name(*args, **kwargs)` from a thread's resumable code (the call may block). */
export function* callMethodInThread(it: Interpreter, o: PyObject, name: string, args: PyObject[] = [], kwargs: KwArgs = null): Resumable<PyObject> {
    const f = getAttr(it, o, name);
    try {
        return yield* callInThread(it, f, args, kwargs);
    } finally {
        it.decref(f);
    }
}

/** A class namespace for `module` and a definer of its native methods (owner: the class name). */
export function classNamespace(it: Interpreter, module: string, owner: string): { ns: PyDict; def: (name: string, fn: (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject) => void } {
    const ns = it.dict();
    ns.set(it.heap, it.str('__module__'), it.str(module));
    const def = (name: string, fn: (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject): void => {
        ns.set(
            it.heap,
            it.str(name),
            it.builtin(name, (self, args, kwargs) => fn(self!, args, kwargs), owner, true),
        );
    };
    return { ns, def };
}

/** A Future's `_state` ('PENDING'…). */
export function stateOf(it: Interpreter, f: PyObject): string {
    const s = getAttr(it, f, '_state');
    it.decref(s);
    if (!(s instanceof PyStr)) throw stopUnsupported(it, "a Future whose _state is not one of _base's states");
    return s.v;
}

function setState(it: Interpreter, f: PyObject, s: string): void {
    setAttr(it, f, '_state', it.str(s));
}

export function isDone(it: Interpreter, f: PyObject): boolean {
    const s = stateOf(it, f);
    return s === CANCELLED || s === CANCELLED_AND_NOTIFIED || s === FINISHED;
}

/** An entry of _base.py or thread.py in `exc`'s traceback (interp/stdlibFrames.ts). */
export function pushStdlibEntry(it: Interpreter, exc: PyException, file: 'base' | 'thread', line: number, name: string, source: string, holds: PyObject[] = []): void {
    const at = { file: `<stdlib>/concurrent/futures/${file === 'base' ? '_base' : 'thread'}.py`, line, name, source, carets: futuresPyOf(it.profile)?.carets?.[source] ?? null };
    pushLine(it, exc, at, holds);
}

/** `raise E(*args)` at a line of the standard library: the exception with that line's entry. */
export function raiseAt(it: Interpreter, type: PyType, args: PyObject[], file: 'base' | 'thread', line: number, name: string, source: string, holds: PyObject[] = []): PyRaise {
    const e = it.newException(type, args);
    pushStdlibEntry(it, e, file, line, name, source, holds);
    return new PyRaise(e);
}

export function futuresPy(it: Interpreter): FuturesPy {
    return futuresPyOf(it.profile) as FuturesPy;
}

/** _invoke_callbacks: each done-callback with the future, in the order they were added. */
function invokeCallbacks(it: Interpreter, f: PyObject): void {
    const cbs = getAttr(it, f, '_done_callbacks');
    try {
        if (!(cbs instanceof PyList)) throw stopUnsupported(it, 'a Future whose _done_callbacks is not a list');
        for (let i = 0; i < cbs.items.length; i++) runCallback(it, cbs.items[i], f);
    } finally {
        it.decref(cbs);
    }
}

function runCallback(it: Interpreter, cb: PyObject, f: PyObject): void {
    it.incref(cb);
    try {
        it.decref(call(it, cb, [f], null));
    } catch (e) {
        if (e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.Exception)) {
            throw stopUnsupported(it, "an exception escaping a Future's done-callback (concurrent.futures logs it with LOGGER.exception)");
        }
        throw e;
    } finally {
        it.decref(cb);
    }
}

/** set_result / set_exception: the value stored, FINISHED, the waiters notified, then the callbacks. */
export function finishFuture(it: Interpreter, f: PyObject, name: '_result' | '_exception', v: PyObject): void {
    const st = futuresState(it);
    const s = stateOf(it, f);
    if (s === CANCELLED || s === CANCELLED_AND_NOTIFIED || s === FINISHED) {
        const r = callMethod(it, f, '__repr__');
        const msg = `${s}: ${(r as PyStr).v}`;
        it.decref(r);
        const fp = futuresPy(it);
        throw raiseAt(it, st.invalidStateError, [it.str(msg)], 'base', name === '_result' ? fp.setResult : fp.setException, name === '_result' ? 'set_result' : 'set_exception', "raise InvalidStateError('{}: {!r}'.format(self._state, self))");
    }
    setAttr(it, f, name, v);
    setState(it, f, FINISHED);
    // (`for waiter in self._waiters`: wait/as_completed are refused, so there are none.)
    invokeCallbacks(it, f);
}

/** set_running_or_notify_cancel: False for a cancelled future (now CANCELLED_AND_NOTIFIED), else RUNNING. */
export function setRunningOrNotifyCancel(it: Interpreter, f: PyObject): boolean {
    const s = stateOf(it, f);
    if (s === CANCELLED) {
        setState(it, f, CANCELLED_AND_NOTIFIED);
        return false;
    }
    if (s === PENDING) {
        setState(it, f, RUNNING);
        return true;
    }
    throw stopUnsupported(it, 'a Future in an unexpected state (LOGGER.critical, then RuntimeError)');
}

/** Future.cancel: False once running or finished, else CANCELLED (waiters notified, callbacks run). */
export function cancelFuture(it: Interpreter, f: PyObject): boolean {
    const s = stateOf(it, f);
    if (s === RUNNING || s === FINISHED) return false;
    if (s === CANCELLED || s === CANCELLED_AND_NOTIFIED) return true;
    setState(it, f, CANCELLED);
    invokeCallbacks(it, f);
    return true;
}

/** A timeout argument of result()/exception(): the deadline on the virtual clock. */
function deadline(it: Interpreter, st: FuturesState, t: PyObject | undefined): number {
    if (t === undefined || t === it.None) return Infinity;
    const v = toNum(t);
    if (v === null || v < 0) throw stopUnsupported(it, 'a Future timeout that is not a non-negative number');
    return st.sched.clock + v;
}

/** Future.result(timeout) (and `exception`): waits until done; the result, or the exception raised. */
function* resultOp(it: Interpreter, f: PyObject, timeout: PyObject | undefined, wantException: boolean): Resumable<PyObject> {
    const st = futuresState(it);
    const fp = futuresPy(it);
    const lines = wantException ? fp.exception : fp.result;
    const fname = wantException ? 'exception' : 'result';
    let s = stateOf(it, f);
    let which: 0 | 1 = 0;
    if (s !== CANCELLED && s !== CANCELLED_AND_NOTIFIED && s !== FINISHED) {
        const dl = deadline(it, st, timeout);
        // self._condition.wait(timeout): set_result, set_exception and cancel notify it.
        yield* st.sched.wait({ ready: () => isDone(it, f), deadline: dl, what: `waits for a Future (${fname})` });
        s = stateOf(it, f);
        which = 1;
    }
    if (s === CANCELLED || s === CANCELLED_AND_NOTIFIED) throw raiseAt(it, st.cancelledError, [], 'base', lines.cancelled[which], fname, 'raise CancelledError()');
    if (s !== FINISHED) throw raiseAt(it, st.timeoutError, [], 'base', lines.timeout, fname, 'raise TimeoutError()');
    const exc = getAttr(it, f, '_exception');
    if (wantException) return exc;
    // __get_result: `if self._exception: raise self._exception`.
    if (exc !== it.None && truthy(it, exc)) {
        const e = exc as PyException;
        pushStdlibEntry(it, e, 'base', fp.getResult, '__get_result', 'raise self._exception');
        pushStdlibEntry(it, e, 'base', fp.result.getResult[which], 'result', 'return self.__get_result()');
        throw new PyRaise(e);
    }
    it.decref(exc);
    return getAttr(it, f, '_result');
}

function futureRepr(it: Interpreter, f: PyObject): string {
    const s = stateOf(it, f);
    const head = `<${f.type.name} at ${addr(f)} state=${DESCRIPTION[s] ?? s}`;
    if (s !== FINISHED) return head + '>';
    const exc = getAttr(it, f, '_exception');
    try {
        if (exc !== it.None && truthy(it, exc)) return `${head} raised ${exc.type.name}>`;
    } finally {
        it.decref(exc);
    }
    const r = getAttr(it, f, '_result');
    it.decref(r);
    return `${head} returned ${r.type.name}>`;
}

function createFutureType(it: Interpreter, st: FuturesState): PyType {
    const { ns, def } = classNamespace(it, 'concurrent.futures._base', 'Future');
    const noArgs = (name: string, args: PyObject[], kwargs: KwArgs): void => {
        if (args.length || kwargs?.size) throw it.error('TypeError', `${name}() takes 1 positional argument but ${args.length + 1} were given`);
    };
    def('__init__', (self, args, kwargs) => {
        noArgs('__init__', args, kwargs);
        const cond = callMethod(it, st.threading, 'Condition');
        setAttr(it, self, '_condition', cond);
        it.decref(cond);
        setState(it, self, PENDING);
        setAttr(it, self, '_result', it.None);
        setAttr(it, self, '_exception', it.None);
        for (const n of ['_waiters', '_done_callbacks']) {
            const l = it.list([]);
            setAttr(it, self, n, l);
            it.decref(l);
        }
        return it.None;
    });
    def('__repr__', (self) => it.str(futureRepr(it, self)));
    def('cancel', (self, args, kwargs) => {
        noArgs('cancel', args, kwargs);
        return it.bool(cancelFuture(it, self));
    });
    def('cancelled', (self) => {
        const s = stateOf(it, self);
        return it.bool(s === CANCELLED || s === CANCELLED_AND_NOTIFIED);
    });
    def('running', (self) => it.bool(stateOf(it, self) === RUNNING));
    def('done', (self) => it.bool(isDone(it, self)));
    def('add_done_callback', (self, args, kwargs) => {
        const [fn] = params(it, 'add_done_callback', args, kwargs, ['fn']);
        if (fn === undefined) throw it.error('TypeError', "add_done_callback() missing 1 required positional argument: 'fn'");
        if (!isDone(it, self)) {
            const cbs = getAttr(it, self, '_done_callbacks');
            try {
                it.decref(callMethod(it, cbs, 'append', [fn]));
            } finally {
                it.decref(cbs);
            }
            return it.None;
        }
        runCallback(it, fn, self);
        return it.None;
    });
    ns.set(
        it.heap,
        it.str('result'),
        blockingMethod(it, st.sched, 'result', 'Future', (self, args, kwargs) => {
            const [timeout] = params(it, 'result', args, kwargs, ['timeout']);
            return resultOp(it, self, timeout, false);
        }),
    );
    ns.set(
        it.heap,
        it.str('exception'),
        blockingMethod(it, st.sched, 'exception', 'Future', (self, args, kwargs) => {
            const [timeout] = params(it, 'exception', args, kwargs, ['timeout']);
            return resultOp(it, self, timeout, true);
        }),
    );
    def('set_running_or_notify_cancel', (self) => it.bool(setRunningOrNotifyCancel(it, self)));
    def('set_result', (self, args, kwargs) => {
        const [r] = params(it, 'set_result', args, kwargs, ['result']);
        if (r === undefined) throw it.error('TypeError', "set_result() missing 1 required positional argument: 'result'");
        finishFuture(it, self, '_result', r);
        return it.None;
    });
    def('set_exception', (self, args, kwargs) => {
        const [e] = params(it, 'set_exception', args, kwargs, ['exception']);
        if (e === undefined) throw it.error('TypeError', "set_exception() missing 1 required positional argument: 'exception'");
        finishFuture(it, self, '_exception', e);
        return it.None;
    });
    const t = typeNew(it, it.T.type, 'Future', it.T.object, ns, null);
    it.decref(ns);
    return t;
}

// ------------------------------------------------------------------------------------------------
// Executor.map's result_iterator

/**
 * `result_iterator()`: the futures, reversed, popped one by one; each `__next__` waits for the
 * last one's result (3.10+ through _result_or_cancel, which cancels it on the way out).
 */
class MapResultIterator extends PyNativeIter {
    constructor(
        type: PyType,
        public fs: PyObject[],
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        for (const f of this.fs) visit(f);
    }
    override clear(r: Refs): void {
        const fs = this.fs;
        this.fs = [];
        for (const f of fs) r.release(this, f, '(fs)');
    }
    iterNext(it: Interpreter): PyObject | null {
        if (!this.fs.length) return null;
        const f = this.fs.pop()!;
        it.heap.forget(this, f, '(fs)');
        const fp = futuresPy(it);
        try {
            const g = resultOp(it, f, undefined, false);
            const r = g.next(it.None);
            if (!r.done) throw futuresState(it).sched.refusal(futuresState(it).sched.current.wait);
            return r.value;
        } catch (e) {
            if (e instanceof PyRaise) {
                if (fp.resultOrCancel !== null) {
                    pushStdlibEntry(it, e.exc, 'base', fp.resultOrCancel, '_result_or_cancel', 'return fut.result(timeout)');
                    pushStdlibEntry(it, e.exc, 'base', fp.mapYield, 'result_iterator', 'yield _result_or_cancel(fs.pop())');
                } else pushStdlibEntry(it, e.exc, 'base', fp.mapYield, 'result_iterator', 'yield fs.pop().result()');
                // The generator's `finally`: the futures left are cancelled.
                for (const g of this.fs) cancelFuture(it, g);
            }
            throw e;
        } finally {
            // 3.10+ _result_or_cancel: `finally: fut.cancel()` (a no-op on a finished future).
            if (fp.resultOrCancel !== null) cancelFuture(it, f);
            it.decref(f);
        }
    }
}

function createExecutorType(it: Interpreter, st: FuturesState): PyType {
    const { ns, def } = classNamespace(it, 'concurrent.futures._base', 'Executor');
    const iterType = stdType(it, { name: 'result_iterator', module: 'concurrent.futures._base' });
    installIterMethods(it, iterType);
    def('submit', () => {
        throw it.error('NotImplementedError');
    });
    def('map', (self, args, kwargs) => {
        if (!args.length) throw it.error('TypeError', "map() missing 1 required positional argument: 'fn'");
        if (kwargs) {
            for (const [k, v] of kwargs) {
                if (k === 'timeout' && v !== it.None) throw stopUnsupported(it, 'Executor.map(timeout=…)');
                if (k !== 'timeout' && k !== 'chunksize') throw it.error('TypeError', `map() got an unexpected keyword argument '${k}'`);
            }
        }
        const fn = args[0];
        // fs = [self.submit(fn, *args) for args in zip(*iterables)]
        const iters = args.slice(1).map((a) => getIter(it, a));
        const fs: PyObject[] = [];
        try {
            if (iters.length) {
                for (;;) {
                    const row: PyObject[] = [];
                    let done = false;
                    for (const i of iters) {
                        const v = iterNext(it, i);
                        if (v === null) {
                            done = true;
                            break;
                        }
                        row.push(v);
                    }
                    if (done) {
                        for (const v of row) it.decref(v);
                        break;
                    }
                    try {
                        fs.push(callMethod(it, self, 'submit', [fn, ...row]));
                    } finally {
                        for (const v of row) it.decref(v);
                    }
                }
            }
        } catch (e) {
            for (const f of fs) it.decref(f);
            throw e;
        } finally {
            for (const i of iters) it.decref(i);
        }
        fs.reverse();
        const r = it.heap.register(new MapResultIterator(iterType, []));
        for (const f of fs) {
            r.fs.push(f);
            it.heap.adopt(r, f, '(fs)');
        }
        return r;
    });
    def('shutdown', () => it.None);
    def('__enter__', (self) => it.incref(self));
    ns.set(
        it.heap,
        it.str('__exit__'),
        blockingMethod(it, st.sched, '__exit__', 'Executor', function* (self) {
            // self.shutdown(wait=True); return False
            it.decref(yield* callMethodInThread(it, self, 'shutdown', [], new Map([['wait', it.True]])));
            return it.False;
        }),
    );
    const t = typeNew(it, it.T.type, 'Executor', it.T.object, ns, null);
    it.decref(ns);
    return t;
}

function exceptionType(it: Interpreter, name: string, base: PyType, module: string): PyType {
    const ns = it.dict();
    ns.set(it.heap, it.str('__module__'), it.str(module));
    const t = typeNew(it, it.T.type, name, base, ns, null);
    it.decref(ns);
    return t;
}

/** The `concurrent.futures._base` part of `concurrent.futures`: constants, exceptions, Future, Executor. */
export function installFuturesBase(it: Interpreter, m: PyModule, threading: PyModule, sched: Scheduler): FuturesState {
    const B = 'concurrent.futures._base';
    for (const c of ['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED']) setModuleAttr(it, m, c, it.str(c));
    const error = exceptionType(it, 'Error', it.T.Exception, B);
    const cancelledError = exceptionType(it, 'CancelledError', error, B);
    // 3.11+: `TimeoutError = TimeoutError`, the built-in one.
    const timeoutError = it.profile.minor >= 11 ? it.incref(it.excType('TimeoutError')) : exceptionType(it, 'TimeoutError', error, B);
    const invalidStateError = exceptionType(it, 'InvalidStateError', error, B);
    const brokenExecutor = exceptionType(it, 'BrokenExecutor', it.T.RuntimeError, B);
    const st: FuturesState = {
        module: m,
        threading,
        futureType: null as unknown as PyType,
        executorType: null as unknown as PyType,
        cancelledError,
        timeoutError,
        invalidStateError,
        brokenExecutor,
        sched,
    };
    it.moduleState.set('concurrent.futures', st);
    st.futureType = createFutureType(it, st);
    st.executorType = createExecutorType(it, st);
    // The module holds them; the state borrows.
    setModuleAttr(it, m, 'CancelledError', cancelledError);
    setModuleAttr(it, m, 'TimeoutError', timeoutError);
    setModuleAttr(it, m, 'InvalidStateError', invalidStateError);
    setModuleAttr(it, m, 'BrokenExecutor', brokenExecutor);
    setModuleAttr(it, m, 'Future', st.futureType);
    setModuleAttr(it, m, 'Executor', st.executorType);
    it.decref(error);
    return st;
}
