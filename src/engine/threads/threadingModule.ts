/*
 * threadingModule.ts
 *
 * Lib/threading.py's Thread and the module functions around it, over the deterministic thread
 * model (scheduler.ts). Thread is a class like CPython's (a heap type: subclass it, override run);
 * its private attributes `_target`, `_args`, `_kwargs` (2.7: `_Thread__target`, …) live in the
 * instance dict, so the report sees what a Thread holds and when run() lets go of it (run's
 * `finally: del self._target, self._args, self._kwargs`). While a thread runs, the thread holds its
 * Thread object (the `_bootstrap` frame's `self` and `_active[ident]`), until it ends — forever for
 * a daemon thread frozen at exit.
 *
 * _bootstrap_inner: the thread is "started" (start() returns in the starting thread once the new
 * one ran until it blocked or ended), run() runs, an exception escaping it goes to
 * threading.excepthook (3.8+; 2.7 prints it itself), then the thread is gone (join returns).
 */

import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { PyTuple, PyDict } from '../runtime/containers';
import { PyBuiltin, type KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { PyRaise, dropRaise } from '../interp/signals';
import { EventKind } from '../events';
import { getAttr, setAttr, getAttrOrNull, delAttr } from '../interp/attrs';
import { typeNew } from '../interp/typeobject';
import { call } from '../interp/calls';
import { truthy } from '../interp/ops';
import { formatException } from '../interp/traceback';
import { defineFn, setModuleAttr } from '../builtins/modules';
import { toNum } from '../builtins/args';
import { Scheduler, SimThread, ThreadStage, schedulerOf, stopUnsupported, type Waiter } from './scheduler';
import { callInThread } from './threadcall';
import { installSyncPrimitives } from './syncPrimitives';
import { installTimer } from './timer';
import { clearThreadLocals, installThreadLocal } from './threadLocal';
import { installBarrier } from './barrier';

type Op = (self: PyObject, args: PyObject[], kwargs: KwArgs) => Resumable<PyObject>;

/**
 * A method that may block: `impl` runs it to the end at once (on the main thread a wait runs the
 * other threads; elsewhere a wait cannot happen synchronously and the run stops), `resumable` is
 * what a thread's code calls (threadcall.ts). `isMethod` false: a module function (time.sleep).
 */
export function blockingMethod(it: Interpreter, sched: Scheduler, name: string, owner: string, op: Op, isMethod = true): PyBuiltin {
    const b = it.builtin(
        name,
        (self, args, kwargs) => {
            const g = op(self!, args, kwargs);
            const r = g.next(it.None);
            if (r.done) return r.value;
            throw sched.refusal(sched.current.wait);
        },
        owner,
        isMethod,
    );
    b.resumable = (self, args, kwargs) => op(self!, args, kwargs);
    return b;
}

/** Binds positional and keyword arguments to `names` (undefined: not given). */
export function params(it: Interpreter, fname: string, args: PyObject[], kwargs: KwArgs, names: string[]): (PyObject | undefined)[] {
    if (args.length > names.length) throw it.error('TypeError', `${fname}() takes at most ${names.length} arguments (${args.length} given)`);
    const out: (PyObject | undefined)[] = names.map((_, i) => args[i]);
    if (kwargs) {
        for (const [k, v] of kwargs) {
            const i = names.indexOf(k);
            if (i < 0) throw it.error('TypeError', `${fname}() got an unexpected keyword argument '${k}'`);
            if (out[i] !== undefined) throw it.error('TypeError', `${fname}() got multiple values for argument '${k}'`);
            out[i] = v;
        }
    }
    return out;
}

/** A timeout argument: the deadline on the virtual clock (Infinity for None / absent / negative when allowed). */
export function deadlineOf(it: Interpreter, sched: Scheduler, t: PyObject | undefined, negativeMeansForever: boolean): number {
    if (t === undefined || t === it.None) return Infinity;
    const v = toNum(t);
    if (v === null) throw it.error('TypeError', `'${t.type.name}' object cannot be interpreted as a timeout`);
    if (v < 0) {
        if (negativeMeansForever) return Infinity;
        throw it.error('ValueError', "'timeout' must be a non-negative number");
    }
    return sched.clock + v;
}

// ------------------------------------------------------------------------------------------------
// Thread

interface ThreadInfo {
    sim: SimThread;
    /** start() was called. */
    launched: boolean;
    /** _bootstrap_inner set `_started`. */
    started: boolean;
}

function infos(it: Interpreter): WeakMap<PyObject, ThreadInfo> {
    let m = it.moduleState.get('threading.infos') as WeakMap<PyObject, ThreadInfo> | undefined;
    if (!m) {
        m = new WeakMap();
        it.moduleState.set('threading.infos', m);
    }
    return m;
}

function infoOf(it: Interpreter, self: PyObject, what: string): ThreadInfo {
    const i = infos(it).get(self);
    if (!i) throw it.error('RuntimeError', `${what}: thread.__init__() not called`);
    return i;
}

interface ThreadingState {
    threadType: PyType;
    counter: number;
    module: PyModule;
    /** The built-in threading.excepthook (3.8+). */
    defaultHook: PyObject | null;
}

function state(it: Interpreter): ThreadingState {
    return it.moduleState.get('threading') as ThreadingState;
}

function threadName(it: Interpreter, name: PyObject | undefined, target: PyObject | undefined): string {
    if (name !== undefined && name !== it.None) {
        if (name instanceof PyStr) return name.v;
        throw stopUnsupported(it, 'a thread name that is not a str');
    }
    const st = state(it);
    const n = ++st.counter;
    let s = `Thread-${n}`;
    if (it.profile.threadingPy.nameShowsTarget && target !== undefined && target !== it.None) {
        const tn = getAttrOrNull(it, target, '__name__');
        if (tn instanceof PyStr) s += ` (${tn.v})`;
        if (tn) it.decref(tn);
    }
    return s;
}

function threadInit(it: Interpreter, sched: Scheduler, self: PyObject, args: PyObject[], kwargs: KwArgs): PyObject {
    const py2 = it.profile.major === 2;
    const names = py2 ? ['group', 'target', 'name', 'args', 'kwargs', 'verbose'] : ['group', 'target', 'name', 'args', 'kwargs', 'daemon'];
    if (!py2 && args.length > 5) throw it.error('TypeError', `__init__() takes from 1 to 6 positional arguments but ${args.length + 1} were given`);
    const [group, target, name, targs, tkwargs, daemon] = params(it, '__init__', args, kwargs, names);
    if (group !== undefined && group !== it.None) throw stopUnsupported(it, 'Thread(group=...)');
    const pre = it.profile.threadingPy.privatePrefix;
    const nm = threadName(it, name, target);
    const isDaemon = !py2 && daemon !== undefined && daemon !== it.None ? truthy(it, daemon) : sched.current.daemon;
    setAttr(it, self, `${pre}target`, target ?? it.None);
    setAttr(it, self, `${pre}name`, it.str(nm));
    const a = targs ?? it.tuple([]);
    setAttr(it, self, `${pre}args`, a);
    if (!targs) it.decref(a);
    const k = tkwargs !== undefined && tkwargs !== it.None ? it.incref(tkwargs) : it.dict();
    setAttr(it, self, `${pre}kwargs`, k);
    it.decref(k);
    const sim = new SimThread(0, nm, isDaemon, self);
    infos(it).set(self, { sim, launched: false, started: false });
    return it.None;
}

/** start(): the new thread runs (until it blocks or ends) before start() returns. */
function* threadStart(it: Interpreter, sched: Scheduler, self: PyObject): Resumable<PyObject> {
    const info = infoOf(it, self, 'start');
    if (info.launched) throw it.error('RuntimeError', 'threads can only be started once');
    info.launched = true;
    const sim = info.sim;
    sim.ident = sched.newIdent();
    // _active[ident] / the _bootstrap frame: the thread holds its Thread object while it runs.
    it.incref(self);
    sim.body = bootstrap(it, sched, sim, info);
    sched.add(sim);
    // self._started.wait()
    yield* sched.wait({ ready: () => info.started, deadline: Infinity, what: `waits for ${sim.name} to start` });
    return it.None;
}

/** _bootstrap / _bootstrap_inner. */
function* bootstrap(it: Interpreter, sched: Scheduler, sim: SimThread, info: ThreadInfo): Resumable<void> {
    const self = sim.obj!;
    info.started = true;
    // threading.py's _bootstrap_inner frame, as a frame node of the log: it holds `self` (and,
    // during the call, the bound `self.run`), so what a frozen thread keeps is rooted in it.
    const node = it.heap.newId();
    sim.rootNode = node;
    it.log.push(EventKind.FrameEnter, it.step, it.line, it.col, node, 0, it.profile.threadingPy.bootstrapInner.name);
    it.heap.edgeFrom(EventKind.RefAdd, node, self, 'self');
    try {
        const run = getAttr(it, self, 'run');
        it.heap.edgeFrom(EventKind.RefAdd, node, run, 'self.run');
        try {
            it.decref(yield* callInThread(it, run, [], null));
        } finally {
            it.heap.edgeFrom(EventKind.RefDel, node, run, 'self.run');
            it.decref(run);
        }
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        reportThreadException(it, sched, sim, e);
    }
    // _delete(): the thread is gone; its Thread object is let go.
    sim.stage = ThreadStage.Done;
    it.heap.edgeFrom(EventKind.RefDel, node, self, 'self');
    it.log.push(EventKind.FrameExit, it.step, it.line, it.col, node, 0, null);
    it.decref(self);
    // thread_run: PyThreadState_Clear, before the thread state lock join() waits for is released.
    clearThreadLocals(it, sim);
}

/** The two threading.py frames above a thread's target in its traceback (Thread.run, _bootstrap_inner). */
function stdlibFrames(it: Interpreter, viaRun: boolean): string {
    const tp = it.profile.threadingPy;
    let s = `  File "<stdlib>/threading.py", line ${tp.bootstrapInner.line}, in ${tp.bootstrapInner.name}\n    self.run()\n`;
    if (tp.carets) s += `    ${tp.carets.bootstrap}\n`;
    if (viaRun) {
        // The source line as written (2.7's `self.__target` is mangled only in the bytecode).
        const pre = tp.privatePrefix === '_Thread__' ? '__' : tp.privatePrefix;
        s += `  File "<stdlib>/threading.py", line ${tp.runLine}, in run\n    self.${pre}target(*self.${pre}args, **self.${pre}kwargs)\n`;
        if (tp.carets) s += `    ${tp.carets.run}\n`;
    }
    return s;
}

/** An exception escaped run(): threading.excepthook (3.8+), or 2.7's own report. */
function reportThreadException(it: Interpreter, sched: Scheduler, sim: SimThread, r: PyRaise): void {
    const st = state(it);
    const exc = r.exc;
    const viaRun = getAttrOrNull(it, sim.obj!, 'run');
    let isDefaultRun = false;
    if (viaRun) {
        isDefaultRun = viaRun instanceof PyBuiltin && viaRun.name === 'run';
        it.decref(viaRun);
    }
    if (!it.profile.threadingPy.excepthook) {
        // 2.7 __bootstrap_inner: SystemExit is ignored; else "Exception in thread N:\n" + format_exc() + "\n".
        if (!exc.type.isSubtypeOf(it.T.SystemExit)) {
            it.stderr.write(`Exception in thread ${sim.name}:\n` + formatException(it, exc, new Set(), r.tb, stdlibFrames(it, isDefaultRun)) + '\n');
        }
        dropRaise(it, r);
        return;
    }
    const hook = st.module.dict.getStr('excepthook');
    if (hook === null || hook === st.defaultHook) {
        if (!exc.type.isSubtypeOf(it.T.SystemExit)) {
            it.stderr.write(`Exception in thread ${sim.name}:\n` + formatException(it, exc, new Set(), null, stdlibFrames(it, isDefaultRun), 'excepthook', true));
        }
        dropRaise(it, r);
        return;
    }
    // A Python excepthook gets _thread._ExceptHookArgs(exc_type, exc_value, exc_traceback, thread).
    const hookArgs = exceptHookArgs(it, st, exc, sim.obj!);
    dropRaise(it, r);
    try {
        it.incref(hook);
        try {
            it.decref(call(it, hook, [hookArgs], null));
        } finally {
            it.decref(hook);
            it.decref(hookArgs);
        }
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        // The hook itself failed: sys.excepthook reports it (PyErr_Print path of _make_invoke_excepthook).
        it.stderr.write(formatException(it, e.exc, new Set(), null, '', 'c', true));
        dropRaise(it, e);
    }
    void sched;
}

function exceptHookArgs(it: Interpreter, st: ThreadingState, exc: PyObject, thread: PyObject): PyObject {
    let t = it.moduleState.get('threading.ExceptHookArgs') as PyType | undefined;
    if (!t) {
        const ns = it.dict();
        ns.set(it.heap, it.str('__module__'), it.str('_thread'));
        t = typeNew(it, it.T.type, '_ExceptHookArgs', it.T.object, ns, null);
        it.decref(ns);
        it.moduleState.set('threading.ExceptHookArgs', t);
    }
    void st;
    const o = it.instance(t);
    const e = exc as PyObject & { traceback?: PyObject | null };
    setAttr(it, o, 'exc_type', exc.type);
    setAttr(it, o, 'exc_value', exc);
    setAttr(it, o, 'exc_traceback', e.traceback ?? it.None);
    setAttr(it, o, 'thread', thread);
    return o;
}

function threadRepr(it: Interpreter, self: PyObject): PyObject {
    const info = infos(it).get(self);
    const pre = it.profile.threadingPy.privatePrefix;
    const nameObj = getAttrOrNull(it, self, `${pre}name`);
    const name = nameObj instanceof PyStr ? nameObj.v : '?';
    if (nameObj) it.decref(nameObj);
    let status = 'initial';
    if (info?.started) status = 'started';
    if (info && schedulerOf(it).isStopped(info.sim)) status = 'stopped';
    if (info?.sim.daemon) status += ' daemon';
    if (info?.launched) status += ` ${info.sim.ident}`;
    return it.str(`<${self.type.name}(${name}, ${status})>`);
}

function createThreadType(it: Interpreter, sched: Scheduler): PyType {
    const ns = it.dict();
    const def = (name: string, fn: (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject): PyBuiltin => {
        const b = it.builtin(name, (self, args, kwargs) => fn(self!, args, kwargs), 'Thread', true);
        ns.set(it.heap, it.str(name), b);
        return b;
    };
    ns.set(it.heap, it.str('__module__'), it.str('threading'));
    def('__init__', (self, args, kwargs) => threadInit(it, sched, self, args, kwargs));
    ns.set(it.heap, it.str('start'), blockingMethod(it, sched, 'start', 'Thread', (self) => threadStart(it, sched, self)));
    ns.set(it.heap, it.str('run'), blockingMethod(it, sched, 'run', 'Thread', (self) => threadRun(it, self)));
    ns.set(
        it.heap,
        it.str('join'),
        blockingMethod(it, sched, 'join', 'Thread', function* (self, args, kwargs) {
            const [timeout] = params(it, 'join', args, kwargs, ['timeout']);
            const info = infoOf(it, self, 'join');
            if (!info.launched) throw it.error('RuntimeError', 'cannot join thread before it is started');
            if (info.sim === sched.current) throw it.error('RuntimeError', 'cannot join current thread');
            const deadline = deadlineOf(it, sched, timeout, true);
            const sim = info.sim;
            yield* sched.wait({ ready: () => sched.isStopped(sim), deadline, what: `waits for ${sim.name} to end (join)` });
            return it.None;
        }),
    );
    const isAlive = (self: PyObject): PyObject => {
        const info = infoOf(it, self, 'is_alive');
        return it.bool(info.started && !sched.isStopped(info.sim));
    };
    def('is_alive', (self) => isAlive(self));
    if (it.profile.major === 2) def('isAlive', (self) => isAlive(self));
    def('__repr__', (self) => threadRepr(it, self));
    // Thread's old-style accessors (deprecated in 3.10): not modelled, said so when called.
    for (const old of ['getName', 'setName', 'isDaemon', 'setDaemon']) {
        def(old, () => {
            throw stopUnsupported(it, `Thread.${old}() (use the name / daemon attributes)`);
        });
    }
    const prop = (name: string, get: (self: PyObject) => PyObject, set: ((self: PyObject, v: PyObject) => void) | null): void => {
        const fget = it.builtin(name, (_s, args) => get(args[0]));
        const fset = set
            ? it.builtin(name, (_s, args) => {
                  set(args[0], args[1]);
                  return it.None;
              })
            : it.None;
        const p = call(it, it.T.property, [fget, fset], null);
        ns.set(it.heap, it.str(name), p);
        it.decref(p);
    };
    prop(
        'name',
        (self) => it.str(infoOf(it, self, 'name').sim.name),
        (self, v) => {
            if (!(v instanceof PyStr)) throw stopUnsupported(it, 'a thread name that is not a str');
            infoOf(it, self, 'name').sim.name = v.v;
            setAttr(it, self, `${it.profile.threadingPy.privatePrefix}name`, v);
        },
    );
    prop(
        'daemon',
        (self) => it.bool(infoOf(it, self, 'daemon').sim.daemon),
        (self, v) => {
            const info = infoOf(it, self, 'daemon');
            if (info.launched) throw it.error('RuntimeError', 'cannot set daemon status of active thread');
            info.sim.daemon = truthy(it, v);
        },
    );
    if (it.profile.major === 3) {
        prop(
            'native_id',
            () => {
                throw stopUnsupported(it, 'Thread.native_id');
            },
            null,
        );
    }
    prop('ident', (self) => (infoOf(it, self, 'ident').launched ? it.int(infoOf(it, self, 'ident').sim.ident) : it.None), null);
    const t = typeNew(it, it.T.type, 'Thread', it.T.object, ns, null);
    it.decref(ns);
    return t;
}

/** Thread.run: the target with its arguments, then `del self._target, self._args, self._kwargs`. */
function* threadRun(it: Interpreter, self: PyObject): Resumable<PyObject> {
    const pre = it.profile.threadingPy.privatePrefix;
    try {
        const target = getAttr(it, self, `${pre}target`);
        try {
            if (it.profile.threadingPy.runTestsNotNone ? target !== it.None : truthy(it, target)) {
                const a = getAttr(it, self, `${pre}args`);
                const k = getAttr(it, self, `${pre}kwargs`);
                try {
                    const pos = a instanceof PyTuple ? a.items.slice() : [];
                    let kw: KwArgs = null;
                    if (k instanceof PyDict && k.size) kw = new Map(Array.from(k.entries(), (e) => [(e.k as PyStr).v, e.v]));
                    it.decref(yield* callInThread(it, target, pos, kw));
                } finally {
                    it.decref(a);
                    it.decref(k);
                }
            }
        } finally {
            it.decref(target);
        }
    } finally {
        for (const n of ['target', 'args', 'kwargs']) delAttr(it, self, `${pre}${n}`);
    }
    return it.None;
}

// ------------------------------------------------------------------------------------------------
// the module

export function createThreadingModule(it: Interpreter): PyModule {
    const sched = schedulerOf(it);
    const m = it.newModule('threading');
    m.partial = true;
    const threadType = createThreadType(it, sched);
    const st: ThreadingState = { threadType, counter: 0, module: m, defaultHook: null };
    it.moduleState.set('threading', st);
    setModuleAttr(it, m, 'Thread', threadType);
    // The main thread's Thread object (_MainThread), held by the module as threading._main_thread.
    const ns = it.dict();
    ns.set(it.heap, it.str('__module__'), it.str('threading'));
    const mainType = typeNew(it, it.T.type, '_MainThread', threadType, ns, null);
    it.decref(ns);
    const mainObj = it.instance(mainType);
    it.decref(mainType);
    const mainInfo: ThreadInfo = { sim: sched.main, launched: true, started: true };
    sched.main.obj = mainObj;
    infos(it).set(mainObj, mainInfo);
    setAttr(it, mainObj, `${it.profile.threadingPy.privatePrefix}name`, it.str('MainThread'));
    setModuleAttr(it, m, '_main_thread', mainObj);

    const current = (): PyObject => {
        const o = sched.current.obj;
        if (!o) throw stopUnsupported(it, 'threading.current_thread() in a _thread thread (a _DummyThread)');
        return it.incref(o);
    };
    const live = (): SimThread[] => [sched.main, ...sched.threads.filter((t) => t.stage !== ThreadStage.Done)];
    defineFn(it, m, 'current_thread', () => current());
    if (it.profile.major === 2) defineFn(it, m, 'currentThread', () => current());
    if (it.profile.major === 3) {
        defineFn(it, m, 'main_thread', () => it.incref(mainObj));
        defineFn(it, m, 'get_ident', () => it.int(sched.current.ident));
    }
    defineFn(it, m, 'active_count', () => it.int(live().length));
    if (it.profile.major === 2) defineFn(it, m, 'activeCount', () => it.int(live().length));
    defineFn(it, m, 'enumerate', () => it.list(live().map((t) => it.incref(t.obj!))));
    if (it.profile.threadingPy.excepthook) {
        // threading.excepthook is the built-in default (also kept as __excepthook__, 3.10+).
        const hook = it.builtin('excepthook', () => {
            throw stopUnsupported(it, 'calling threading.excepthook directly');
        });
        st.defaultHook = hook;
        m.dict.set(it.heap, it.str('excepthook'), hook);
        if (it.profile.minor >= 10) m.dict.set(it.heap, it.str('__excepthook__'), hook);
    }
    installSyncPrimitives(it, sched, m);
    installTimer(it, sched, m, threadType);
    installThreadLocal(it, m, 'local');
    if (it.profile.major === 3) installBarrier(it, sched, m);
    return m;
}

export type { Waiter };
