/*
 * threadLocal.ts
 *
 * `threading.local` (`_thread._local`, 2.7 `thread._local`: Modules/_threadmodule.c). Each thread
 * that touches a local gets its own attribute dict (the "ldict"), made on first access (local_new
 * makes the creating thread's at once), and what keeps that dict alive is per version:
 *
 * The local's `dummies` (≤3.12, 2.7) / `localdicts` (3.13) dict holds each ldict, its only
 * reference: local_traverse reaches them, so a cycle through a local is garbage the collector frees,
 * and local_clear frees them in first-use order. What frees one thread's ldicts when its thread
 * state is cleared differs:
 *
 *   - ≤3.12 and 2.7: the thread state's dict maps the local's key to a `_localdummy` (it borrows
 *     the ldict) that `dummies` knows by a weakref with a callback. PyThreadState_Clear frees that
 *     dict in insertion order: each dummy's callback (_localdummy_destroyed) deletes its `dummies`
 *     entry, freeing the ldict: the thread's locals in the order it first used them.
 *   - 3.13: the thread state's `threading_local_sentinel` carries one callback weakref per local the
 *     thread used, head-inserted; PyThreadState_Clear frees the sentinel and the callbacks
 *     (clear_locals) pop the ldicts: the last used first.
 *
 * A thread state is cleared when its thread ends (thread_run, before join() returns), the main
 * thread's at interpreter clear (after the last module teardown), and a daemon thread frozen at
 * exit by _PyThreadState_DeleteExcept right after the atexit handlers (3.9+; 3.8 at interpreter
 * clear). Refused: a subclass of local (its __init__ runs again in each thread: not modelled), and
 * on 2.7 a local used from another thread (2.7's thread state is cleared after join() returns, when
 * that thread next gets the GIL: a race the recorder cannot pin down).
 */

import { PyObject, ObjFlag, type Refs, type Visit } from '../runtime/object';
import { PyDict } from '../runtime/containers';
import { PyType } from '../runtime/types';
import type { PyModule } from '../runtime/frames';
import { PyExtObject } from '../runtime/extobject';
import { FreeKind } from '../runtime/freelists';
import type { Interpreter } from '../interp/interpreter';
import { stdType } from '../modules/stdTypes';
import { schedulerOf, stopUnsupported, type Scheduler, type SimThread } from './scheduler';

/**
 * One of the C objects behind a local that a program never names (the `dummies` dict, a weakref, a
 * callback PyCFunction, its argument tuple, 3.13's thread_watchdogs set), holding what the C object
 * holds. The dicts, weakrefs and tuples are internal (ObjFlag.Internal: counted, tracked and
 * collected as CPython's are, not logged); the callbacks and the set are logged objects, as
 * CPython's gc.get_objects() shows them and a weakref can watch them die.
 */
class LocalPart extends PyObject {
    readonly children: PyObject[] = [];
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        for (const c of this.children) visit(c);
    }
    override clear(r: Refs): void {
        const old = this.children.splice(0);
        for (const c of old) r.release(this, c, '');
    }
    hold(it: Interpreter, c: PyObject): void {
        it.heap.acquire(this, c, '');
        this.children.push(c);
    }
    drop(it: Interpreter, c: PyObject): void {
        const i = this.children.indexOf(c);
        if (i < 0) return;
        this.children.splice(i, 1);
        it.heap.release(this, c, '');
    }
}

type PartKind = 'dict' | 'set' | 'weakref' | 'builtin_function_or_method' | 'tuple';

/** A new internal part of type `kind` (the type named as CPython's, with its free list). */
function part(it: Interpreter, kind: PartKind, tracked = true): LocalPart {
    const key = `threading.localPart.${kind}`;
    let t = it.moduleState.get(key) as PyType | undefined;
    if (!t) {
        t = new PyType(it.T.type, kind, it.T.object, new PyDict(it.T.dict), 'native', false);
        t.mro = [t, it.T.object];
        t.id = it.heap.newId();
        t.freeKind = kind === 'dict' ? FreeKind.Dict : kind === 'builtin_function_or_method' ? FreeKind.CFunction : kind === 'tuple' ? FreeKind.Tuple + 1 : FreeKind.None;
        it.moduleState.set(key, t);
    }
    const o = new LocalPart(t);
    if (kind !== 'set' && kind !== 'builtin_function_or_method') o.flags |= ObjFlag.Internal;
    return it.heap.register(o, tracked);
}

/** What one thread's use of a local added besides its ldict: the `dummies` key (≤3.12) or the thread_watchdogs weakref (3.13). */
interface ThreadUse {
    ldict: PyDict;
    wr: LocalPart;
}

export class PyThreadLocal extends PyExtObject {
    /** Each thread's ldict, in the order of `dummies` / `localdicts` (first use). */
    readonly dicts = new Map<SimThread, ThreadUse>();
    /** `dummies` (≤3.12) / `localdicts` (3.13): its weakref keys (≤3.12); the ldicts are held here directly. */
    container: LocalPart | null;
    /** ≤3.12: wr_callback (holding a weakref to the local); 3.13: thread_watchdogs (the sentinel weakrefs). */
    aux: LocalPart | null;
    /** local_clear ran: no ldict is made any more. */
    cleared = false;
    constructor(
        type: PyType,
        readonly sched: Scheduler,
    ) {
        super(type);
        const it = sched.it;
        this.container = part(it, 'dict');
        if (it.profile.threadLocal.sentinels) this.aux = part(it, 'set');
        else {
            // PyCFunction_NewEx(&wr_callback_def, weakref(self)): not traversed by local_traverse.
            const selfWr = part(it, 'weakref');
            this.aux = part(it, 'builtin_function_or_method');
            this.aux.hold(it, selfWr);
            it.decref(selfWr);
        }
    }

    override traverse(visit: Visit): void {
        if (this.container) visit(this.container);
        for (const u of this.dicts.values()) visit(u.ldict);
        if (this.aux && this.sched.it.profile.threadLocal.sentinels) visit(this.aux);
    }

    /**
     * local_clear: `dummies` / `localdicts` goes first, freeing the ldicts in first-use order
     * (≤3.12 then drops wr_callback and pops the now bare dummies from the thread states; 3.13
     * drops thread_watchdogs).
     */
    override clear(r: Refs): void {
        if (this.cleared) return;
        this.cleared = true;
        const it = this.sched.it;
        const sentinels = it.profile.threadLocal.sentinels;
        const uses = Array.from(this.dicts);
        this.dicts.clear();
        const container = this.container;
        this.container = null;
        for (const [t, u] of uses) {
            forgetInThread(it, t, this);
            if (!sentinels) container?.drop(it, u.wr);
            r.release(this, u.ldict, ldictLabel(t));
        }
        if (container) r.release(this, container, '');
        const aux = this.aux;
        this.aux = null;
        if (aux) r.release(this, aux, '');
    }

    /** The running thread's ldict (_ldict), made on first use. */
    ldict(): PyDict {
        const it = this.sched.it;
        const t = this.sched.current;
        const u = this.dicts.get(t);
        if (u) return u.ldict;
        if (this.cleared) throw stopUnsupported(it, 'a threading.local used while it is being freed');
        if (it.profile.major === 2 && t !== this.sched.main) throw stopUnsupported(it, 'a threading.local used from a thread other than the main thread on Python 2.7 (its dict is freed when that thread next takes the GIL after join() returned)');
        return createLdict(it, this, t);
    }

    override existingDict(): PyDict | null {
        return this.ldict();
    }

    override instanceDict(): PyDict | null {
        return this.ldict();
    }
}

function ldictLabel(t: SimThread): string {
    return `__dict__ (${t.name})`;
}

interface ThreadState {
    /** The locals the thread used, in first-use order. */
    locals: PyThreadLocal[];
    /** ≤3.12: the thread state's dict (PyThreadState_GetDict), made on first use. */
    tdict: LocalPart | null;
}

function threadStates(it: Interpreter): Map<SimThread, ThreadState> {
    let m = it.moduleState.get('threading.localsByThread') as Map<SimThread, ThreadState> | undefined;
    if (!m) {
        m = new Map();
        it.moduleState.set('threading.localsByThread', m);
    }
    return m;
}

function forgetInThread(it: Interpreter, t: SimThread, local: PyThreadLocal): void {
    const list = threadStates(it).get(t)?.locals;
    const i = list ? list.indexOf(local) : -1;
    if (i >= 0) list!.splice(i, 1);
}

/** _local_create_dummy (≤3.12) / create_localsdict (3.13): the thread's ldict. */
function createLdict(it: Interpreter, local: PyThreadLocal, t: SimThread): PyDict {
    const states = threadStates(it);
    const sentinels = it.profile.threadLocal.sentinels;
    let st = states.get(t);
    if (!st) {
        // ≤3.12 the thread state's dict (str keys, non-GC dummies: never tracked); 3.13 the key and
        // sentinel dummies (not GC objects).
        st = { locals: [], tdict: sentinels ? null : part(it, 'dict', false) };
        states.set(t, st);
    }
    const d = it.dict();
    let wr: LocalPart;
    if (sentinels) {
        // create_sentinel_wr: weakref(sentinel, clear_locals bound to (weakref(local), key)).
        const selfWr = part(it, 'weakref');
        const args = part(it, 'tuple');
        args.hold(it, selfWr);
        it.decref(selfWr);
        const cb = part(it, 'builtin_function_or_method');
        cb.hold(it, args);
        it.decref(args);
        wr = part(it, 'weakref');
        wr.hold(it, cb);
        it.decref(cb);
        local.aux!.hold(it, wr);
        it.decref(wr);
    } else {
        // weakref(dummy, wr_callback), the key of `dummies`.
        wr = part(it, 'weakref');
        wr.hold(it, local.aux!);
        local.container!.hold(it, wr);
        it.decref(wr);
    }
    local.dicts.set(t, { ldict: d, wr });
    // `dummies` / `localdicts` holds the only reference (≤3.12's dummy borrows it).
    it.heap.adopt(local, d, ldictLabel(t));
    st.locals.push(local);
    return d;
}

/** PyThreadState_Clear of thread `t`: the ldicts of every local it used are freed. */
export function clearThreadLocals(it: Interpreter, t: SimThread): void {
    const states = threadStates(it);
    const st = states.get(t);
    if (!st) return;
    states.delete(t);
    const sentinels = it.profile.threadLocal.sentinels;
    // 3.13: the sentinel's callbacks run newest weakref first; ≤3.12: the dict's insertion order.
    const order = sentinels ? [...st.locals].reverse() : st.locals;
    for (const local of order) {
        const u = local.dicts.get(t);
        if (!u) continue;
        local.dicts.delete(t);
        // ≤3.12 the dummy's weakref callback (_localdummy_destroyed) deletes the `dummies` entry;
        // 3.13 the sentinel's (clear_locals) pops the `localdicts` one, then discards its weakref.
        // The weakref itself goes once its callback returned.
        it.incref(u.wr);
        if (sentinels) local.aux?.drop(it, u.wr);
        else local.container?.drop(it, u.wr);
        it.heap.release(local, u.ldict, ldictLabel(t));
        it.decref(u.wr);
    }
    if (st.tdict) it.decref(st.tdict);
}

/** Interpreter clear: every thread state still there (frozen daemon threads' ≤3.8, then the main thread's). */
export function clearAllThreadLocals(it: Interpreter): void {
    if (!it.moduleState.get('threading.localsByThread')) return;
    // The interpreter's thread list is newest first (new_threadstate inserts at the head).
    const sched = schedulerOf(it);
    for (const t of [...sched.threads].reverse().concat([sched.main])) clearThreadLocals(it, t);
}

/** The `_local` type, shared by `_thread` and `threading`. */
export function threadLocalType(it: Interpreter): PyType {
    const cached = it.moduleState.get('threading.localType') as PyType | undefined;
    if (cached) return cached;
    const sched = schedulerOf(it);
    const py2 = it.profile.major === 2;
    const t = stdType(it, {
        name: '_local',
        module: py2 ? 'thread' : '_thread',
        members: {
            __dict__: (self) => it.incref((self as PyThreadLocal).ldict()),
        },
        setters: {
            __dict__: (self) => {
                (self as PyThreadLocal).ldict();
                throw it.error('AttributeError', `'${t.tpName}' object attribute '__dict__' is read-only`);
            },
        },
        ctor: (args, kwargs) => {
            if (it.profile.tracingGc) throw stopUnsupported(it, `threading.local on ${it.profile.name}`);
            // local_new of the base type (its tp_init is object's): no arguments.
            if (args.length || kwargs?.size) throw it.error('TypeError', 'Initialization arguments are not supported');
            const o = it.heap.register(new PyThreadLocal(t, sched));
            o.ldict();
            return o;
        },
    });
    it.moduleState.set('threading.localType', t);
    return t;
}

/** Binds `name` (`_local` on _thread, `local` on threading) to the type in `m`. */
export function installThreadLocal(it: Interpreter, m: PyModule, name: string): void {
    m.dict.set(it.heap, it.str(name), threadLocalType(it));
}
