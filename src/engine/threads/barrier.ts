/*
 * barrier.ts
 *
 * threading.Barrier (3.x; Lib/threading.py) over the deterministic thread model: the state machine
 * of threading.py — `_state` 0 filling, 1 draining, -1 resetting, -2 broken — under the barrier's
 * Condition, natively. wait() takes the Condition's lock, waits while the barrier drains or resets
 * (_enter), takes the next index; the last party runs `action` (holding the lock: the other parties
 * stay blocked meanwhile) and starts the draining (notify_all), the others wait_for the state to
 * leave 0 (a timeout breaks the barrier); each leaving party counts down and the last one out
 * refills it (_exit). The woken parties go on in notify order, each taking the lock back in turn.
 * The barrier holds its action, as `self._action` does. BrokenBarrierError is threading's
 * RuntimeError subclass. (2.7 has no Barrier.)
 */

import { PyObject, type Refs, type Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { PyRaise } from '../interp/signals';
import { typeNew } from '../interp/typeobject';
import { nativeType } from '../builtins/weakrefModule';
import { nativeConstructors } from '../modules/stdTypes';
import { toInt, toNum } from '../builtins/args';
import { setModuleAttr } from '../builtins/modules';
import { stopUnsupported, type Scheduler } from './scheduler';
import { blockingMethod, params, deadlineOf } from './threadingModule';
import { callInThread } from './threadcall';

const FILLING = 0;
const DRAINING = 1;
const RESETTING = -1;
const BROKEN = -2;

interface Waiter {
    notified: boolean;
}

class PyBarrier extends PyObject {
    state = FILLING;
    count = 0;
    /** The Condition's lock is held (by the party running wait()'s body or reset/abort). */
    locked = false;
    waiters: Waiter[] = [];
    constructor(
        type: PyType,
        readonly parties: number,
        public action: PyObject | null,
        /** The default timeout (seconds), or null. */
        readonly timeout: number | null,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.action) visit(this.action);
    }
    override clear(r: Refs): void {
        const a = this.action;
        this.action = null;
        if (a) r.release(this, a, '_action');
    }
}

export function installBarrier(it: Interpreter, sched: Scheduler, m: PyModule): void {
    const ns = it.dict();
    ns.set(it.heap, it.str('__module__'), it.str('threading'));
    const broken = typeNew(it, it.T.type, 'BrokenBarrierError', it.T.RuntimeError, ns, null);
    it.decref(ns);
    setModuleAttr(it, m, 'BrokenBarrierError', broken);
    const raiseBroken = (): PyRaise => new PyRaise(it.newException(broken, []));

    function* lock(b: PyBarrier): Resumable<void> {
        yield* sched.wait({ ready: () => !b.locked, deadline: Infinity, what: "waits for a Barrier's lock" });
        b.locked = true;
    }
    function notifyAll(b: PyBarrier): void {
        for (const w of b.waiters.splice(0)) w.notified = true;
    }
    /** Condition.wait: the lock is let go until notified (or the deadline), then taken back. */
    function* condWait(b: PyBarrier, deadline: number): Resumable<boolean> {
        const w: Waiter = { notified: false };
        b.waiters.push(w);
        b.locked = false;
        const ok = yield* sched.wait({ ready: () => w.notified, deadline, what: 'waits on a Barrier' });
        if (!ok) {
            const i = b.waiters.indexOf(w);
            if (i >= 0) b.waiters.splice(i, 1);
        }
        yield* lock(b);
        return ok;
    }
    function breakIt(b: PyBarrier): void {
        b.state = BROKEN;
        notifyAll(b);
    }

    function* wait(b: PyBarrier, deadline: number): Resumable<PyObject> {
        yield* lock(b);
        try {
            // _enter: block while the barrier drains or resets.
            while (b.state === RESETTING || b.state === DRAINING) yield* condWait(b, Infinity);
            if (b.state < 0) throw raiseBroken();
            const index = b.count++;
            try {
                if (index + 1 === b.parties) {
                    // _release: the action runs in the last party, the lock held.
                    try {
                        if (b.action) it.decref(yield* callInThread(it, b.action, [], null));
                        b.state = DRAINING;
                        notifyAll(b);
                    } catch (e) {
                        if (e instanceof PyRaise) breakIt(b);
                        throw e;
                    }
                } else {
                    // _wait: Condition.wait_for(lambda: self._state != 0, timeout).
                    while (b.state === FILLING) {
                        if (sched.clock >= deadline) break;
                        yield* condWait(b, deadline);
                    }
                    if (b.state === FILLING) {
                        breakIt(b);
                        throw raiseBroken();
                    }
                    if (b.state < 0) throw raiseBroken();
                }
                return it.int(index);
            } finally {
                b.count--;
                // _exit: the last one out of a drain or a reset refills the barrier.
                if (b.count === 0 && (b.state === RESETTING || b.state === DRAINING)) {
                    b.state = FILLING;
                    notifyAll(b);
                }
            }
        } finally {
            b.locked = false;
        }
    }

    const t = nativeType(it, 'Barrier', 'threading', {}, {
        parties: [(self) => it.int((self as PyBarrier).parties)],
        n_waiting: [(self) => it.int((self as PyBarrier).state === FILLING ? (self as PyBarrier).count : 0)],
        broken: [(self) => it.bool((self as PyBarrier).state === BROKEN)],
    });
    const op = (name: string, f: (b: PyBarrier, args: PyObject[], kwargs: Parameters<typeof params>[3]) => Resumable<PyObject>): void => {
        t.dict.set(it.heap, it.str(name), blockingMethod(it, sched, name, 'Barrier', (self, args, kwargs) => f(self as PyBarrier, args, kwargs)));
    };
    op('wait', (b, args, kwargs) => {
        const [timeout] = params(it, 'wait', args, kwargs, ['timeout']);
        const deadline = timeout === undefined || timeout === it.None ? (b.timeout === null ? Infinity : sched.clock + b.timeout) : deadlineOf(it, sched, timeout, true);
        return wait(b, deadline);
    });
    op('reset', function* (b) {
        yield* lock(b);
        if (b.count > 0) {
            // Waking the parties: the last one out refills it.
            if (b.state === FILLING || b.state === BROKEN) b.state = RESETTING;
        } else b.state = FILLING;
        notifyAll(b);
        b.locked = false;
        return it.None;
    });
    op('abort', function* (b) {
        yield* lock(b);
        breakIt(b);
        b.locked = false;
        return it.None;
    });
    nativeConstructors(it).set(t, (args, kwargs) => {
        const [parties, action, timeout] = params(it, 'Barrier', args, kwargs, ['parties', 'action', 'timeout']);
        if (parties === undefined) throw it.error('TypeError', `${it.profile.argErrorsNameQualname ? 'Barrier.' : ''}__init__() missing 1 required positional argument: 'parties'`);
        const n = toInt(it, parties);
        if (n < 1) {
            if (it.profile.threadingPy.barrierChecksParties) throw it.error('ValueError', 'parties must be > 0');
            throw stopUnsupported(it, 'a Barrier of fewer than one party');
        }
        const a = action === undefined || action === it.None ? null : action;
        let to: number | null = null;
        if (timeout !== undefined && timeout !== it.None) {
            to = toNum(timeout);
            if (to === null) throw it.error('TypeError', `'${timeout.type.name}' object cannot be interpreted as a timeout`);
        }
        const b = it.heap.register(new PyBarrier(t, n, a, to));
        if (a) it.heap.acquire(b, a, '_action');
        return b;
    });
    setModuleAttr(it, m, 'Barrier', t);
}
