/*
 * syncPrimitives.ts
 *
 * The synchronisation objects of `threading` over the deterministic thread model: Lock
 * (_thread.lock), RLock, Event, Condition, Semaphore and BoundedSemaphore. Their waits are the
 * blocking points where threads switch (scheduler.ts). CPython writes Event, Condition and the
 * semaphores in Python over a Condition's waiter locks; here their state is native, with the same
 * observable rules: a Condition's waiters are woken first-come first-served, wait() releases the
 * lock (an RLock entirely) and takes it back before returning, notify() needs the lock.
 */

import { PyObject, type Refs, type Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { truthy } from '../interp/ops';
import { nativeType } from '../builtins/weakrefModule';
import { nativeConstructors } from '../modules/stdTypes';
import { toInt } from '../builtins/args';
import { setModuleAttr } from '../builtins/modules';
import { stopUnsupported, type Scheduler, type SimThread } from './scheduler';
import { blockingMethod, params, deadlineOf } from './threadingModule';

/** A lock, an RLock (owner and count) or a semaphore (value). */
export class PyLockObject extends PyObject {
    locked = false;
    owner: SimThread | null = null;
    count = 0;
    constructor(
        type: PyType,
        readonly kind: 'lock' | 'rlock',
    ) {
        super(type);
    }
}

export class PySemaphore extends PyObject {
    constructor(
        type: PyType,
        public value: number,
        readonly bound: number | null,
    ) {
        super(type);
    }
}

export class PyEvent extends PyObject {
    flag = false;
}

interface CondWaiter {
    notified: boolean;
}

export class PyCondition extends PyObject {
    waiters: CondWaiter[] = [];
    constructor(
        type: PyType,
        public lock: PyLockObject | null,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.lock) visit(this.lock);
    }
    override clear(r: Refs): void {
        const l = this.lock;
        this.lock = null;
        if (l) r.release(this, l, '_lock');
    }
}

type Method = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;
type Op = (self: PyObject, args: PyObject[], kwargs: KwArgs) => Resumable<PyObject>;

function addBlocking(it: Interpreter, sched: Scheduler, t: PyType, ops: Record<string, Op>): void {
    for (const [name, op] of Object.entries(ops)) t.dict.set(it.heap, it.str(name), blockingMethod(it, sched, name, t.name, op));
}

/** The lock types and their operations (shared by threading and _thread; made once per interpreter). */
export interface LockKit {
    lockType: PyType;
    rlockType: PyType;
    newLock(): PyLockObject;
    newRLock(): PyLockObject;
    acquireLock(l: PyLockObject, blocking: boolean, deadline: number): Resumable<boolean>;
    releaseLock(l: PyLockObject): void;
    acquireOp: Op;
}

export function lockKit(it: Interpreter, sched: Scheduler): LockKit {
    const cached = it.moduleState.get('threads.locks') as LockKit | undefined;
    if (cached) return cached;
    const py2 = it.profile.major === 2;
    // ---- locks
    /** acquire(blocking=True, timeout=-1) of a lock or RLock: answers whether it was taken. */
    function* acquireLock(l: PyLockObject, blocking: boolean, deadline: number): Resumable<boolean> {
        const me = sched.current;
        if (l.kind === 'rlock' && l.owner === me) {
            l.count++;
            return true;
        }
        if (l.locked) {
            if (!blocking) return false;
            const ok = yield* sched.wait({ ready: () => !l.locked, deadline, what: `waits for ${l.kind === 'rlock' ? 'an RLock' : 'a lock'}` });
            if (!ok) return false;
        }
        l.locked = true;
        l.owner = me;
        l.count = 1;
        return true;
    }
    function releaseLock(l: PyLockObject): void {
        if (l.kind === 'rlock') {
            if (l.owner !== sched.current) throw it.error('RuntimeError', 'cannot release un-acquired lock');
            if (--l.count > 0) return;
        } else if (!l.locked) {
            if (py2) throw stopUnsupported(it, 'release of an unlocked lock (thread.error)');
            throw it.error('RuntimeError', 'release unlocked lock');
        }
        l.locked = false;
        l.owner = null;
        l.count = 0;
    }
    const acquireOp = (names: string[]): Op =>
        function* (self, args, kwargs) {
            const [b, t] = params(it, 'acquire', args, kwargs, names);
            const blocking = b === undefined ? true : truthy(it, b);
            if (!blocking && t !== undefined && toNumOrNull(it, t) !== -1) throw it.error('ValueError', "can't specify a timeout for a non-blocking call");
            const deadline = deadlineOf(it, sched, t, true);
            return it.bool(yield* acquireLock(self as PyLockObject, blocking, deadline));
        };
    const acquireNames = py2 ? ['blocking'] : ['blocking', 'timeout'];
    const lockMethods = (): Record<string, Method> => ({
        release: (self) => {
            releaseLock(self as PyLockObject);
            return it.None;
        },
        __exit__: (self) => {
            releaseLock(self as PyLockObject);
            return it.None;
        },
    });
    const lockType = nativeType(it, 'lock', py2 ? 'thread' : '_thread', {
        ...lockMethods(),
        locked: (self) => it.bool((self as PyLockObject).locked),
    });
    addBlocking(it, sched, lockType, {
        acquire: acquireOp(acquireNames),
        __enter__: function* (self) {
            yield* acquireLock(self as PyLockObject, true, Infinity);
            return it.bool(true);
        },
    });
    const newLock = (): PyLockObject => it.heap.register(new PyLockObject(lockType, 'lock'));
    const rlockType = nativeType(it, py2 ? '_RLock' : 'RLock', py2 ? 'threading' : '_thread', lockMethods());
    addBlocking(it, sched, rlockType, {
        acquire: acquireOp(acquireNames),
        __enter__: function* (self) {
            yield* acquireLock(self as PyLockObject, true, Infinity);
            return it.bool(true);
        },
    });
    const newRLock = (): PyLockObject => it.heap.register(new PyLockObject(rlockType, 'rlock'));
    const kit: LockKit = { lockType, rlockType, newLock, newRLock, acquireLock, releaseLock, acquireOp: acquireOp(acquireNames) };
    it.moduleState.set('threads.locks', kit);
    return kit;
}

export function installSyncPrimitives(it: Interpreter, sched: Scheduler, m: PyModule): void {
    const py2 = it.profile.major === 2;
    const ctors = nativeConstructors(it);

    const { newLock, newRLock, acquireLock, releaseLock } = lockKit(it, sched);
    const acquireNames = py2 ? ['blocking'] : ['blocking', 'timeout'];
    const acquireOp = (): Op => lockKit(it, sched).acquireOp;
    const fn = (name: string, f: () => PyObject): void => {
        setModuleAttr(it, m, name, it.builtin(name, (_s, args) => {
            if (args.length) throw it.error('TypeError', `${name}() takes no arguments`);
            return f();
        }));
    };
    fn('Lock', newLock);
    fn('RLock', newRLock);

    // ---- Event
    const eventType = nativeType(it, py2 ? '_Event' : 'Event', 'threading', {
        set: (self) => {
            (self as PyEvent).flag = true;
            return it.None;
        },
        clear: (self) => {
            (self as PyEvent).flag = false;
            return it.None;
        },
        is_set: (self) => it.bool((self as PyEvent).flag),
        ...(py2 ? { isSet: (self: PyObject) => it.bool((self as PyEvent).flag) } : {}),
    });
    addBlocking(it, sched, eventType, {
        wait: function* (self, args, kwargs) {
            const [t] = params(it, 'wait', args, kwargs, ['timeout']);
            const e = self as PyEvent;
            const deadline = deadlineOf(it, sched, t, true);
            yield* sched.wait({ ready: () => e.flag, deadline, what: 'waits for an Event' });
            return it.bool(e.flag);
        },
    });
    ctors.set(eventType, (args) => {
        if (args.length) throw it.error('TypeError', 'Event() takes no arguments');
        return it.heap.register(new PyEvent(eventType));
    });
    setModuleAttr(it, m, 'Event', eventType);

    // ---- Condition
    const owned = (c: PyCondition): boolean => {
        const l = c.lock!;
        return l.kind === 'rlock' ? l.owner === sched.current : l.locked;
    };
    const condType = nativeType(it, py2 ? '_Condition' : 'Condition', 'threading', {
        release: (self) => {
            releaseLock((self as PyCondition).lock!);
            return it.None;
        },
        __exit__: (self) => {
            releaseLock((self as PyCondition).lock!);
            return it.None;
        },
        notify: (self, args, kwargs) => {
            const [n] = params(it, 'notify', args, kwargs, ['n']);
            const c = self as PyCondition;
            if (!owned(c)) throw it.error('RuntimeError', 'cannot notify on un-acquired lock');
            let k = n === undefined ? 1 : toInt(it, n);
            while (k-- > 0 && c.waiters.length) c.waiters.shift()!.notified = true;
            return it.None;
        },
        notify_all: (self) => {
            const c = self as PyCondition;
            if (!owned(c)) throw it.error('RuntimeError', 'cannot notify on un-acquired lock');
            for (const w of c.waiters.splice(0)) w.notified = true;
            return it.None;
        },
        ...(py2
            ? {
                  notifyAll: (self: PyObject) => {
                      const c = self as PyCondition;
                      if (!owned(c)) throw it.error('RuntimeError', 'cannot notify on un-acquired lock');
                      for (const w of c.waiters.splice(0)) w.notified = true;
                      return it.None;
                  },
              }
            : {}),
    });
    addBlocking(it, sched, condType, {
        acquire: function* (self, args, kwargs) {
            return yield* acquireOp()((self as PyCondition).lock!, args, kwargs);
        },
        __enter__: function* (self) {
            yield* acquireLock((self as PyCondition).lock!, true, Infinity);
            return it.bool(true);
        },
        wait: function* (self, args, kwargs) {
            const [t] = params(it, 'wait', args, kwargs, ['timeout']);
            const c = self as PyCondition;
            if (!owned(c)) throw it.error('RuntimeError', 'cannot wait on un-acquired lock');
            const deadline = deadlineOf(it, sched, t, true);
            const w: CondWaiter = { notified: false };
            c.waiters.push(w);
            // _release_save: the lock is let go entirely (an RLock's count kept aside).
            const l = c.lock!;
            const count = l.count;
            l.locked = false;
            l.owner = null;
            l.count = 0;
            const ok = yield* sched.wait({ ready: () => w.notified, deadline, what: 'waits on a Condition' });
            if (!ok) {
                const i = c.waiters.indexOf(w);
                if (i >= 0) c.waiters.splice(i, 1);
            }
            // _acquire_restore
            yield* sched.wait({ ready: () => !l.locked, deadline: Infinity, what: "waits to take back a Condition's lock" });
            l.locked = true;
            l.owner = sched.current;
            l.count = count;
            return py2 ? it.None : it.bool(ok);
        },
    });
    ctors.set(condType, (args, kwargs) => {
        const [lock] = params(it, 'Condition', args, kwargs, ['lock']);
        let l: PyLockObject;
        if (lock === undefined || lock === it.None) l = newRLock();
        else if (lock instanceof PyLockObject) l = it.incref(lock);
        else throw stopUnsupported(it, 'a Condition over something other than a Lock or RLock');
        const c = it.heap.register(new PyCondition(condType, null));
        c.lock = l;
        it.heap.adopt(c, l, '_lock');
        return c;
    });
    setModuleAttr(it, m, 'Condition', condType);

    // ---- Semaphore, BoundedSemaphore
    const semType = (name: string, bounded: boolean): PyType => {
        const t = nativeType(it, py2 ? `_${name}` : name, 'threading', {
            release: (self, args, kwargs) => {
                const [n] = params(it, 'release', args, kwargs, py2 ? [] : ['n']);
                const s = self as PySemaphore;
                const k = n === undefined ? 1 : toInt(it, n);
                if (k < 1) throw it.error('ValueError', 'n must be one or more');
                if (s.bound !== null && s.value + k > s.bound) throw it.error('ValueError', 'Semaphore released too many times');
                s.value += k;
                return it.None;
            },
            __exit__: (self) => {
                const s = self as PySemaphore;
                if (s.bound !== null && s.value + 1 > s.bound) throw it.error('ValueError', 'Semaphore released too many times');
                s.value++;
                return it.None;
            },
        });
        function* acquireSem(s: PySemaphore, blocking: boolean, deadline: number): Resumable<boolean> {
            if (s.value === 0) {
                if (!blocking) return false;
                const ok = yield* sched.wait({ ready: () => s.value > 0, deadline, what: 'waits for a Semaphore' });
                if (!ok) return false;
            }
            s.value--;
            return true;
        }
        addBlocking(it, sched, t, {
            acquire: function* (self, args, kwargs) {
                const [b, tm] = params(it, 'acquire', args, kwargs, acquireNames);
                const blocking = b === undefined ? true : truthy(it, b);
                const deadline = deadlineOf(it, sched, tm, false);
                return it.bool(yield* acquireSem(self as PySemaphore, blocking, deadline));
            },
            __enter__: function* (self) {
                return it.bool(yield* acquireSem(self as PySemaphore, true, Infinity));
            },
        });
        ctors.set(t, (args, kwargs) => {
            const [v] = params(it, name, args, kwargs, ['value']);
            const n = v === undefined ? 1 : toInt(it, v);
            if (n < 0) throw it.error('ValueError', 'semaphore initial value must be >= 0');
            return it.heap.register(new PySemaphore(t, n, bounded ? n : null));
        });
        setModuleAttr(it, m, name, t);
        return t;
    };
    semType('Semaphore', false);
    semType('BoundedSemaphore', true);
}

function toNumOrNull(it: Interpreter, o: PyObject): number | null {
    void it;
    const v = (o as { v?: unknown }).v;
    return typeof v === 'number' ? v : null;
}

