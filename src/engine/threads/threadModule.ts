/*
 * threadModule.ts
 *
 * The low-level `_thread` module (2.7: `thread`): start_new_thread, allocate_lock, get_ident,
 * LockType. A thread started this way is not a threading.Thread: threading._shutdown does not
 * wait for it, so at exit it is frozen like a daemon thread. Its function and arguments are held
 * by the thread until the function returns (t_bootstate).
 */

import type { PyObject } from '../runtime/object';
import { PyTuple, PyDict } from '../runtime/containers';
import { PyStr } from '../runtime/values';
import type { KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { PyRaise } from '../interp/signals';
import { defineFn, setModuleAttr } from '../builtins/modules';
import { schedulerOf, stopUnsupported, SimThread, ThreadStage, type Scheduler } from './scheduler';
import { callInThread } from './threadcall';
import { lockKit } from './syncPrimitives';
import { clearThreadLocals, installThreadLocal } from './threadLocal';

export function createThreadModule(it: Interpreter): PyModule {
    const sched = schedulerOf(it);
    const py2 = it.profile.major === 2;
    const m = it.newModule(py2 ? 'thread' : '_thread');
    m.partial = true;
    const kit = lockKit(it, sched);
    defineFn(it, m, 'allocate_lock', (args) => {
        if (args.length) throw it.error('TypeError', 'allocate_lock() takes no arguments');
        return kit.newLock();
    });
    setModuleAttr(it, m, 'LockType', it.incref(kit.lockType));
    defineFn(it, m, 'get_ident', () => it.int(sched.current.ident));
    installThreadLocal(it, m, '_local');
    defineFn(it, m, 'start_new_thread', (args) => {
        if (args.length < 2 || args.length > 3) throw it.error('TypeError', `start_new_thread expected at least 2 arguments, got ${args.length}`);
        const [func, fargs, fkw] = args;
        if (!(fargs instanceof PyTuple)) throw it.error('TypeError', '2nd arg must be a tuple');
        if (fkw !== undefined && !(fkw instanceof PyDict)) throw it.error('TypeError', 'optional 3rd arg must be a dictionary');
        const sim = new SimThread(sched.newIdent(), `<_thread ${sched.threads.length + 1}>`, true, null);
        // t_bootstate holds the function and its arguments until the thread ends.
        it.incref(func);
        it.incref(fargs);
        if (fkw) it.incref(fkw);
        sim.body = bootstrap(it, sched, sim, func, fargs, (fkw as PyDict | undefined) ?? null);
        sched.add(sim);
        // start_new_thread returns at once; the new thread runs when this one blocks.
        return it.int(sim.ident);
    });
    return m;
}

function* bootstrap(it: Interpreter, sched: Scheduler, sim: SimThread, func: PyObject, args: PyTuple, kw: PyDict | null): Resumable<void> {
    void sched;
    try {
        let kwargs: KwArgs = null;
        if (kw && kw.size) kwargs = new Map(Array.from(kw.entries(), (e) => [(e.k as PyStr).v, e.v]));
        it.decref(yield* callInThread(it, func, args.items.slice(), kwargs));
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        // SystemExit ends the thread quietly; anything else is reported as unraisable by CPython.
        if (!e.exc.type.isSubtypeOf(it.T.SystemExit)) throw stopUnsupported(it, 'an exception escaping a _thread.start_new_thread function');
        it.decref(e.exc);
    }
    it.decref(func);
    it.decref(args);
    if (kw) it.decref(kw);
    clearThreadLocals(it, sim);
    sim.stage = ThreadStage.Done;
}
