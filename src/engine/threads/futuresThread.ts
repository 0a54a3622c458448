/*
 * futuresThread.ts
 *
 * Lib/concurrent/futures/thread.py (3.x) over the deterministic thread model, and the
 * `concurrent` / `concurrent.futures` packages that reach it.
 *
 * ThreadPoolExecutor keeps what CPython's keeps in its `__dict__`: `_work_queue` (a
 * queue.SimpleQueue of _WorkItem objects, each holding its Future, the function and the call's
 * arguments), `_idle_semaphore`, `_threads` (a set of the worker Thread objects), `_shutdown`,
 * `_shutdown_lock`, the name prefix, the initializer. `submit()` makes a Future and a _WorkItem,
 * puts it on the queue and, unless a worker is idle (`_idle_semaphore.acquire(timeout=0)`), starts a
 * worker: `threading.Thread(name=prefix_N, target=_worker, args=(weakref.ref(self, weakref_cb),
 * work_queue, initializer, initargs))` — the weakref's callback holds the work queue and puts
 * None on it when the executor dies, waking the workers so they end. Each worker is recorded in
 * the module's `_threads_queues` (a WeakKeyDictionary thread -> work queue).
 *
 * The exit hook per version: 3.8 registers `_python_exit` with atexit when the module is loaded
 * (its workers are daemon threads, so threading._shutdown does not wait for them; the atexit
 * handler does, after the handlers registered later); 3.9+ registers it with
 * `threading._register_atexit`, called by threading._shutdown before it joins the (now
 * non-daemon) workers, so before every atexit handler — and a submit() from an atexit handler
 * then raises "cannot schedule new futures after interpreter shutdown". `_python_exit` puts None
 * on every worker's queue and joins them: a worker takes None, sees `_shutdown`, puts None back
 * for the next one and returns.
 *
 * The worker loop is each version's: ≤3.11 a worker releases `_idle_semaphore` after every work
 * item; 3.12+ only when it finds the queue empty (`get_nowait` first).
 *
 * Module loading is lazy as in CPython (`concurrent.futures.__getattr__`): the thread module, its
 * globals and its exit hook come with the first lookup of `ThreadPoolExecutor`.
 *
 * Not modelled (refused): ProcessPoolExecutor, an initializer that raises (BrokenThreadPool via
 * LOGGER.critical), an exception escaping a worker (LOGGER.critical).
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyStr, PyInt } from '../runtime/values';
import { PyTuple, PyDict, PySet } from '../runtime/containers';
import { PyBuiltin, type KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { PyRaise, dropRaise } from '../interp/signals';
import { getAttr, setAttr } from '../interp/attrs';
import { typeNew } from '../interp/typeobject';
import { call } from '../interp/calls';
import { truthy, getIter, iterNext, isCallable } from '../interp/ops';
import { setItem } from '../interp/items';
import { setModuleAttr, importModule } from '../builtins/modules';
import { registerExitFunc } from '../builtins/atexitModule';
import { newRef } from '../builtins/weakrefModule';
import { schedulerOf, stopUnsupported, type Scheduler } from './scheduler';
import { blockingMethod, params } from './threadingModule';
import { callInThread } from './threadcall';
import { PySemaphore } from './syncPrimitives';
import { PyQueue } from './queueModule';
import { threadingAtexits } from './shutdown';
import { installFuturesBase, futuresState, callMethod, finishFuture, setRunningOrNotifyCancel, cancelFuture, pushStdlibEntry, raiseAt, futuresPy, classNamespace, callMethodInThread, type FuturesState } from './futuresBase';

interface ThreadModuleState {
    workItemType: PyType;
    /** thread.py's `_shutdown` global. */
    shutdown: boolean;
    /** `_threads_queues`: WeakKeyDictionary thread -> work queue. */
    threadsQueues: PyObject;
    counter: number;
    worker: PyBuiltin;
}

function at(it: Interpreter): { line: number; col: number; endLine: number; endCol: number } {
    return { line: it.line, col: it.col, endLine: it.line, endCol: it.col };
}

/** `import concurrent`: the namespace of the package (its `futures` comes with `import concurrent.futures`). */
export function createConcurrentModule(it: Interpreter): PyModule {
    if (it.profile.major === 2) throw it.error('ImportError', 'No module named concurrent');
    const m = it.newModule('concurrent');
    m.partial = true;
    return m;
}

/** `import concurrent.futures`: _base's names now, thread.py's on first use of ThreadPoolExecutor. */
export function createFuturesModule(it: Interpreter): PyModule {
    const sched = schedulerOf(it);
    // _base imports logging (which imports threading) and makes LOGGER = getLogger("concurrent.futures").
    const logging = importModule(it, 'logging', at(it));
    const threading = importModule(it, 'threading', at(it));
    it.decref(callMethod(it, logging, 'getLogger', [it.str('concurrent.futures')]));
    it.decref(logging);
    const m = it.newModule('concurrent.futures');
    m.partial = true;
    const st = installFuturesBase(it, m, threading, sched);
    it.decref(threading);
    // PEP 562's module __getattr__: ThreadPoolExecutor loads concurrent.futures.thread.
    m.lazyAttr = (name) => {
        if (name === 'ThreadPoolExecutor') {
            const t = loadThreadModule(it, st, sched);
            setModuleAttr(it, m, 'ThreadPoolExecutor', it.incref(t));
            return it.incref(t);
        }
        if (name === 'ProcessPoolExecutor') throw stopUnsupported(it, 'concurrent.futures.ProcessPoolExecutor');
        return null;
    };
    return m;
}

function threadState(it: Interpreter): ThreadModuleState {
    return it.moduleState.get('concurrent.futures.thread') as ThreadModuleState;
}

/** concurrent/futures/thread.py: its globals, its exit hook, _WorkItem and ThreadPoolExecutor. */
function loadThreadModule(it: Interpreter, st: FuturesState, sched: Scheduler): PyType {
    for (const dep of ['queue', 'itertools', 'weakref', 'os']) it.decref(importModule(it, dep, at(it)));
    const weakref = it.modules.getStr('weakref') as PyModule;
    const threadsQueues = callMethod(it, weakref, 'WeakKeyDictionary');
    it.heap.adopt(st.module, threadsQueues, '(thread._threads_queues)');
    const worker = it.builtin('_worker', () => {
        throw stopUnsupported(it, "calling concurrent.futures.thread's _worker directly");
    });
    worker.resumable = (_self, args) => workerLoop(it, st, args);
    const workItemType = createWorkItemType(it, st);
    // thread.py's globals, held by the module (the types before anything else can allocate).
    it.heap.adopt(st.module, workItemType, '(thread._WorkItem)');
    const ts: ThreadModuleState = { workItemType, shutdown: false, threadsQueues, counter: 0, worker };
    it.moduleState.set('concurrent.futures.thread', ts);
    const pythonExit = it.builtin('_python_exit', () => {
        pythonExitHook(it, ts);
        return it.None;
    });
    if (it.profile.minor >= 9) {
        // threading._register_atexit(_python_exit)
        const hooks = threadingAtexits(it);
        if (hooks.shuttingDown) throw it.error('RuntimeError', "can't register atexit after shutdown");
        hooks.calls.push(() => pythonExitHook(it, ts));
    } else {
        it.decref(importModule(it, 'atexit', at(it)));
        registerExitFunc(it, pythonExit, [], null);
    }
    return createExecutorType(it, st, ts, sched);
}

/** _python_exit: `_shutdown = True`, None on every worker's queue, then each worker joined. */
function pythonExitHook(it: Interpreter, ts: ThreadModuleState): void {
    ts.shutdown = true;
    const items = callMethod(it, ts.threadsQueues, 'items');
    const iter = getIter(it, items);
    it.decref(items);
    const pairs: PyObject[] = [];
    try {
        for (let p = iterNext(it, iter); p !== null; p = iterNext(it, iter)) pairs.push(p);
    } finally {
        it.decref(iter);
    }
    try {
        for (const p of pairs) it.decref(callMethod(it, (p as PyTuple).items[1], 'put', [it.None]));
        for (const p of pairs) it.decref(callMethod(it, (p as PyTuple).items[0], 'join'));
    } finally {
        for (const p of pairs) it.decref(p);
    }
}

function createWorkItemType(it: Interpreter, st: FuturesState): PyType {
    const { ns, def } = classNamespace(it, 'concurrent.futures.thread', '_WorkItem');
    def('__init__', (self, args, kwargs) => {
        const [future, fn, a, k] = params(it, '__init__', args, kwargs, ['future', 'fn', 'args', 'kwargs']);
        if (k === undefined) throw it.error('TypeError', '__init__() missing required positional arguments');
        setAttr(it, self, 'future', future!);
        setAttr(it, self, 'fn', fn!);
        setAttr(it, self, 'args', a!);
        setAttr(it, self, 'kwargs', k);
        return it.None;
    });
    ns.set(it.heap, it.str('run'), blockingMethod(it, st.sched, 'run', '_WorkItem', (self) => workItemRun(it, self)));
    const t = typeNew(it, it.T.type, '_WorkItem', it.T.object, ns, null);
    it.decref(ns);
    return t;
}

/** _WorkItem.run: the call, its result or exception given to the future. */
function* workItemRun(it: Interpreter, self: PyObject): Resumable<PyObject> {
    const future = getAttr(it, self, 'future');
    try {
        if (!setRunningOrNotifyCancel(it, future)) return it.None;
        const fn = getAttr(it, self, 'fn');
        const a = getAttr(it, self, 'args');
        const k = getAttr(it, self, 'kwargs');
        let result: PyObject;
        try {
            if (!(a instanceof PyTuple) || !(k instanceof PyDict)) throw stopUnsupported(it, 'a _WorkItem whose args is not a tuple or kwargs not a dict');
            const kw: KwArgs = k.size ? new Map(Array.from(k.entries(), (e) => [(e.k as PyStr).v, e.v])) : null;
            result = yield* callInThread(it, fn, a.items.slice(), kw);
        } catch (e) {
            if (!(e instanceof PyRaise)) throw e;
            // `except BaseException as exc: self.future.set_exception(exc)`: the exception keeps
            // its traceback (run's entry, then the call's frames and their locals).
            pushStdlibEntry(it, e.exc, 'thread', futuresPy(it).workItemRun, 'run', 'result = self.fn(*self.args, **self.kwargs)');
            try {
                finishFuture(it, future, '_exception', e.exc);
            } finally {
                dropRaise(it, e);
            }
            return it.None;
        } finally {
            it.decref(fn);
            it.decref(a);
            it.decref(k);
        }
        try {
            finishFuture(it, future, '_result', result);
        } finally {
            it.decref(result);
        }
    } finally {
        it.decref(future);
    }
    return it.None;
}

/** `executor_reference()`: the executor (new reference) or null when it is gone. */
function deref(it: Interpreter, ref: PyObject): PyObject | null {
    const o = call(it, ref, [], null);
    if (o === it.None) {
        it.decref(o);
        return null;
    }
    return o;
}

function releaseIdle(it: Interpreter, ref: PyObject): void {
    const ex = deref(it, ref);
    if (!ex) return;
    try {
        const sem = getAttr(it, ex, '_idle_semaphore');
        try {
            it.decref(callMethod(it, sem, 'release'));
        } finally {
            it.decref(sem);
        }
    } finally {
        it.decref(ex);
    }
}

/** _worker(executor_reference, work_queue, initializer, initargs): the loop each worker thread runs. */
function* workerLoop(it: Interpreter, st: FuturesState, args: PyObject[]): Resumable<PyObject> {
    const [ref, q, initializer, initargs] = args;
    const ts = threadState(it);
    const queue = q as PyQueue;
    if (initializer !== it.None) {
        const ia = initargs instanceof PyTuple ? initargs.items.slice() : null;
        if (ia === null) throw stopUnsupported(it, 'a ThreadPoolExecutor initargs that is not a tuple');
        try {
            it.decref(yield* callInThread(it, initializer, ia, null));
        } catch (e) {
            if (e instanceof PyRaise) throw stopUnsupported(it, 'an exception escaping a ThreadPoolExecutor initializer (LOGGER.critical, then BrokenThreadPool)');
            throw e;
        }
    }
    try {
        const get = getAttr(it, queue, 'get');
        try {
            for (;;) {
                let item: PyObject;
                if (it.profile.minor >= 12 && queue.items.length) item = callMethod(it, queue, 'get_nowait');
                else {
                    // ≤3.11 went idle after its last item (below); 3.12+ when the queue is empty.
                    if (it.profile.minor >= 12) releaseIdle(it, ref);
                    item = yield* callInThread(it, get, [], new Map([['block', it.True]]));
                }
                if (item !== it.None) {
                    try {
                        it.decref(yield* callMethodInThread(it, item, 'run'));
                    } finally {
                        // `del work_item`
                        it.decref(item);
                    }
                    if (it.profile.minor < 12) releaseIdle(it, ref);
                    continue;
                }
                it.decref(item);
                const ex = deref(it, ref);
                try {
                    let exShutdown = false;
                    if (ex) {
                        const f = getAttr(it, ex, '_shutdown');
                        exShutdown = truthy(it, f);
                        it.decref(f);
                    }
                    if (ts.shutdown || ex === null || exShutdown) {
                        if (ex) setAttr(it, ex, '_shutdown', it.True);
                        // Notice other workers
                        it.decref(callMethod(it, queue, 'put', [it.None]));
                        return it.None;
                    }
                } finally {
                    it.decref(ex);
                }
            }
        } finally {
            it.decref(get);
        }
    } catch (e) {
        if (e instanceof PyRaise) throw stopUnsupported(it, 'an exception escaping a ThreadPoolExecutor worker (LOGGER.critical)');
        throw e;
    }
}

function createExecutorType(it: Interpreter, st: FuturesState, ts: ThreadModuleState, sched: Scheduler): PyType {
    const { ns, def: method } = classNamespace(it, 'concurrent.futures.thread', 'ThreadPoolExecutor');
    const threading = st.threading;
    method('__init__', (self, args, kwargs) => {
        const [mw, prefix, initializer, initargs] = params(it, '__init__', args, kwargs, ['max_workers', 'thread_name_prefix', 'initializer', 'initargs']);
        let maxWorkers: PyObject;
        if (mw === undefined || mw === it.None) {
            // min(32, (os.cpu_count() or 1) + 4): the machine's, not modelled.
            maxWorkers = it.int(MAX_WORKERS_DEFAULT);
        } else {
            if (!(mw instanceof PyInt)) throw stopUnsupported(it, 'ThreadPoolExecutor(max_workers=) that is not an int');
            if (mw.v <= 0) throw raiseAt(it, it.T.ValueError, [it.str('max_workers must be greater than 0')], 'thread', futuresPy(it).init[0], '__init__', 'raise ValueError("max_workers must be greater than 0")', [it.incref(self)]);
            maxWorkers = mw;
        }
        if (initializer !== undefined && initializer !== it.None && !isCallable(it, initializer)) {
            throw raiseAt(it, it.T.TypeError, [it.str('initializer must be a callable')], 'thread', futuresPy(it).init[1], '__init__', 'raise TypeError("initializer must be a callable")', [it.incref(self)]);
        }
        setAttr(it, self, '_max_workers', maxWorkers);
        const q = callMethod(it, it.modules.getStr('queue')!, 'SimpleQueue');
        setAttr(it, self, '_work_queue', q);
        it.decref(q);
        const sem = callMethod(it, threading, 'Semaphore', [it.int(0)]);
        setAttr(it, self, '_idle_semaphore', sem);
        it.decref(sem);
        const threads = it.set();
        setAttr(it, self, '_threads', threads);
        it.decref(threads);
        setAttr(it, self, '_broken', it.False);
        setAttr(it, self, '_shutdown', it.False);
        const lock = callMethod(it, threading, 'Lock');
        setAttr(it, self, '_shutdown_lock', lock);
        it.decref(lock);
        const p = prefix !== undefined && truthy(it, prefix) ? prefix : it.str(`ThreadPoolExecutor-${ts.counter++}`);
        setAttr(it, self, '_thread_name_prefix', p);
        setAttr(it, self, '_initializer', initializer ?? it.None);
        if (initargs === undefined) {
            const t = it.tuple([]);
            setAttr(it, self, '_initargs', t);
            it.decref(t);
        } else setAttr(it, self, '_initargs', initargs);
        return it.None;
    });
    ns.set(
        it.heap,
        it.str('submit'),
        blockingMethod(it, sched, 'submit', 'ThreadPoolExecutor', function* (self, args, kwargs) {
            if (!args.length) throw it.error('TypeError', `submit() missing 1 required positional argument: 'fn'`);
            const broken = getAttr(it, self, '_broken');
            it.decref(broken);
            if (truthy(it, broken)) throw stopUnsupported(it, 'submit() to a broken ThreadPoolExecutor');
            const sd = getAttr(it, self, '_shutdown');
            it.decref(sd);
            const after = truthy(it, sd) ? 0 : ts.shutdown ? 1 : -1;
            if (after >= 0) {
                // The RuntimeError's traceback keeps submit's frame: self, fn, the *args tuple and the **kwargs dict.
                const holds = [it.incref(self), it.incref(args[0]), it.tuple(args.slice(1).map((x) => it.incref(x))), kwargsDict(it, kwargs)];
                const fp = futuresPy(it);
                const msg = after === 0 ? 'cannot schedule new futures after shutdown' : 'cannot schedule new futures after interpreter shutdown';
                const src = after === 0 ? "raise RuntimeError('cannot schedule new futures after shutdown')" : "raise RuntimeError('cannot schedule new futures after '";
                throw raiseAt(it, it.T.RuntimeError, [it.str(msg)], 'thread', fp.submit[after as 0 | 1], 'submit', src, holds);
            }
            const f = call(it, st.futureType, [], null);
            try {
                const a = it.tuple(args.slice(1).map((x) => it.incref(x)));
                const k = kwargsDict(it, kwargs);
                const w = call(it, ts.workItemType, [f, args[0], a, k], null);
                it.decref(a);
                it.decref(k);
                const q = getAttr(it, self, '_work_queue');
                try {
                    it.decref(callMethod(it, q, 'put', [w]));
                } finally {
                    it.decref(q);
                    it.decref(w);
                }
                yield* adjustThreadCount(it, ts, self);
            } catch (e) {
                it.decref(f);
                throw e;
            }
            return f;
        }),
    );
    ns.set(
        it.heap,
        it.str('shutdown'),
        blockingMethod(it, sched, 'shutdown', 'ThreadPoolExecutor', function* (self, args, kwargs) {
            const names = it.profile.minor >= 9 ? ['wait', 'cancel_futures'] : ['wait'];
            if (args.length > 1) throw it.error('TypeError', `shutdown() takes from 1 to 2 positional arguments but ${args.length + 1} were given`);
            const [wait, cancelFutures] = params(it, 'shutdown', args, kwargs, names);
            setAttr(it, self, '_shutdown', it.True);
            const q = getAttr(it, self, '_work_queue') as PyQueue;
            try {
                if (cancelFutures !== undefined && truthy(it, cancelFutures)) {
                    // Drain the work queue, cancelling each item's future.
                    while (q.items.length) {
                        const w = callMethod(it, q, 'get_nowait');
                        try {
                            if (w !== it.None) {
                                const f = getAttr(it, w, 'future');
                                cancelFuture(it, f);
                                it.decref(f);
                            }
                        } finally {
                            it.decref(w);
                        }
                    }
                }
                it.decref(callMethod(it, q, 'put', [it.None]));
            } finally {
                it.decref(q);
            }
            if (wait === undefined || truthy(it, wait)) {
                const threads = getAttr(it, self, '_threads') as PySet;
                try {
                    for (const t of threads.items()) it.decref(yield* callMethodInThread(it, t, 'join'));
                } finally {
                    it.decref(threads);
                }
            }
            return it.None;
        }),
    );
    const t = typeNew(it, it.T.type, 'ThreadPoolExecutor', st.executorType, ns, null);
    it.decref(ns);
    return t;
}

function kwargsDict(it: Interpreter, kwargs: KwArgs): PyDict {
    const k = it.dict();
    if (kwargs) for (const [kk, v] of kwargs) k.set(it.heap, it.str(kk), v);
    return k;
}

/** The default max_workers, min(32, os.cpu_count() + 4), for the 2-core machine the recordings come from. */
const MAX_WORKERS_DEFAULT = 6;

/** _adjust_thread_count: an idle worker takes the item; else a new worker while there is room. */
function* adjustThreadCount(it: Interpreter, ts: ThreadModuleState, self: PyObject): Resumable<void> {
    // `self._idle_semaphore.acquire(timeout=0)` never waits (nor lets another thread run).
    const sem = getAttr(it, self, '_idle_semaphore');
    it.decref(sem);
    if (sem instanceof PySemaphore && sem.value > 0) {
        sem.value--;
        return;
    }
    const threads = getAttr(it, self, '_threads') as PySet;
    const maxWorkers = getAttr(it, self, '_max_workers');
    try {
        const n = threads.size;
        if (!(maxWorkers instanceof PyInt) || n >= Number(maxWorkers.v)) return;
        const q = getAttr(it, self, '_work_queue');
        const prefix = getAttr(it, self, '_thread_name_prefix');
        try {
            if (!(prefix instanceof PyStr)) throw stopUnsupported(it, 'a thread_name_prefix that is not a str');
            // weakref_cb(_, q=self._work_queue): q.put(None) when the executor dies.
            const cb = it.heap.register(
                new PyBuiltin(
                    it.T.builtin_function_or_method,
                    'weakref_cb',
                    (qq) => {
                        it.decref(callMethod(it, qq!, 'put', [it.None]));
                        return it.None;
                    },
                    q,
                ),
            );
            it.heap.acquire(cb, q, '__self__');
            const ref = newRef(it, self, cb);
            it.decref(cb);
            const targs = it.tuple([ref, it.incref(q), getAttr(it, self, '_initializer'), getAttr(it, self, '_initargs')]);
            const threadType = getAttr(it, futuresState(it).threading, 'Thread');
            const t = call(
                it,
                threadType,
                [],
                new Map<string, PyObject>([
                    ['name', it.str(`${prefix.v}_${n}`)],
                    ['target', ts.worker],
                    ['args', targs],
                ]),
            );
            it.decref(threadType);
            it.decref(targs);
            try {
                // ≤3.8: `t.daemon = True`.
                if (it.profile.minor < 9) setAttr(it, t, 'daemon', it.True);
                it.decref(yield* callMethodInThread(it, t, 'start'));
                it.decref(callMethod(it, threads, 'add', [t]));
                setItem(it, ts.threadsQueues, t, q);
            } finally {
                it.decref(t);
            }
        } finally {
            it.decref(q);
            it.decref(prefix);
        }
    } finally {
        it.decref(threads);
        it.decref(maxWorkers);
    }
}
