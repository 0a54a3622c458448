/*
 * shutdown.ts
 *
 * What Py_FinalizeEx does about threads. First `wait_for_thread_shutdown`: when `threading` is in
 * sys.modules, `threading._shutdown()` joins every non-daemon thread (daemon threads run meanwhile
 * when they can) — before the atexit handlers, on every version (2.7 included). After the atexit
 * handlers, `_PyRuntimeState_SetFinalizing`: a daemon thread still alive never runs again (3.x
 * exits or hangs it when it next takes the GIL; 2.7 lets it run into the teardown, which the model
 * does not: it freezes it there too). Its frames, everything they hold and any lock it holds are
 * never released: the report says "frozen in daemon thread T at line N".
 */

import type { Interpreter } from '../interp/interpreter';
import { schedulerIfAny } from './scheduler';
import { EventKind } from '../events';
import { clearThreadLocals, clearAllThreadLocals } from './threadLocal';

export function waitForThreadShutdown(it: Interpreter): void {
    const sched = schedulerIfAny(it);
    if (!sched || !it.modules.getStr('threading')) return;
    if (sched.current !== sched.main) return;
    it.setPhase('wait-for-threads');
    // 3.9+ threading._shutdown: `_SHUTTING_DOWN = True`, then the functions given to
    // threading._register_atexit, last registered first, before the non-daemon threads are joined
    // (concurrent.futures.thread's _python_exit joins the executors' workers there).
    const hooks = threadingAtexits(it);
    hooks.shuttingDown = true;
    for (let i = hooks.calls.length - 1; i >= 0; i--) hooks.calls[i]();
    sched.joinNonDaemonThreads();
}

interface ThreadingAtexits {
    calls: (() => void)[];
    shuttingDown: boolean;
}

/** threading._threading_atexits (3.9+) and `_SHUTTING_DOWN`. */
export function threadingAtexits(it: Interpreter): ThreadingAtexits {
    let h = it.moduleState.get('threading.atexits') as ThreadingAtexits | undefined;
    if (!h) {
        h = { calls: [], shuttingDown: false };
        it.moduleState.set('threading.atexits', h);
    }
    return h;
}

export function freezeDaemonThreads(it: Interpreter): void {
    const sched = schedulerIfAny(it);
    if (!sched) return;
    const frozen = sched.freezeDaemons();
    if (!frozen.length) return;
    it.setPhase('daemon-freeze');
    for (const t of frozen) {
        // Every frame of its stack stays as it is: each is a root of what it holds, forever.
        for (let f = t.frame; f !== null; f = f.back) {
            it.log.push(EventKind.ThreadFrozen, it.step, t.line, t.col, f.nodeId, 0, t.name);
        }
        if (t.rootNode) it.log.push(EventKind.ThreadFrozen, it.step, t.line, t.col, t.rootNode, 0, t.name);
    }
    // 3.9+ _PyThreadState_DeleteExcept: their thread states (not their frames) are cleared now.
    if (it.profile.threadLocal.daemonStatesClearedAfterAtexit) for (const t of frozen) clearThreadLocals(it, t);
}

/** PyInterpreterState_Clear: the thread states still there, the main thread's among them. */
export function clearThreadStates(it: Interpreter): void {
    if (schedulerIfAny(it)) clearAllThreadLocals(it);
}
