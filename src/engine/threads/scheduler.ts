/*
 * scheduler.ts
 *
 * The deterministic thread model. CPython runs one thread at a time (the GIL) and switches where a
 * thread blocks (it releases the GIL around a lock wait, a sleep, …) and, besides, every
 * sys.getswitchinterval() (5 ms) when another thread asks for the GIL. Here threads switch only
 * where one blocks or ends: the running thread keeps going until it waits for something that is
 * not there. What that leaves undecided — two threads runnable at once whose output could be
 * interleaved by preemption — is reported by races.ts instead of being presented as the truth.
 *
 * The main thread runs the interpreter's ordinary synchronous code: when it blocks, it runs the
 * other threads from inside its blocking call until what it waits for is there (`waitSync`). Every
 * other thread is a resumable computation (threadcall.ts) that yields here when it blocks
 * (`waitInThread`); switching to it swaps the interpreter's per-thread state (frame, depth, the
 * exceptions being handled, position) in and out, as PyThreadState_Swap does. Time is virtual:
 * when every thread waits and some wait has a deadline (sleep, a timeout), the clock jumps there.
 * When every thread waits forever, CPython would hang: the run stops and says so.
 */

import type { PyObject } from '../runtime/object';
import type { PyException } from '../runtime/instances';
import type { FrameData } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { EngineStop } from '../interp/signals';
import { EventKind } from '../events';
import { RaceWatch } from './races';

/** What a blocked thread waits for. */
export interface Waiter {
    /** Is it there now? (Must not change anything.) */
    ready(): boolean;
    /** Virtual time at which the wait times out (Infinity: never). */
    deadline: number;
    /** Said when the program deadlocks: "waits for Thread-1 to end" etc. */
    what: string;
}

export const enum ThreadStage {
    /** start() called, not yet run. */
    New = 0,
    /** Has run; runnable or blocked on `wait`. */
    Alive = 1,
    /** run() returned or raised; the thread is gone. */
    Done = 2,
    /** A daemon thread still alive at finalization: never runs again. */
    Frozen = 3,
}

/** One thread of the simulated process (CPython's PyThreadState plus the threading.Thread's flags). */
export class SimThread {
    stage = ThreadStage.New;
    body: Resumable<void> | null = null;
    wait: Waiter | null = null;
    /** Saved while not running: the innermost frame, depth, handled exceptions, position. */
    frame: FrameData | null = null;
    depth = 0;
    handled: PyException[] = [];
    handledFrames: FrameData[] = [];
    handledTbs: (PyObject | null)[] = [];
    line = 0;
    col = 0;
    node: Interpreter['node'] = null;
    /** The log's frame node standing for threading.py's _bootstrap_inner (0: none). */
    rootNode = 0;
    /** Counts the times it blocked: a "runnable stretch" is one value (races.ts). */
    stretch = 0;
    constructor(
        public ident: number,
        public name: string,
        public daemon: boolean,
        /** The threading.Thread object (null for a _thread.start_new_thread thread). */
        public obj: PyObject | null,
    ) {}
}

export class Scheduler {
    readonly main: SimThread;
    /** Threads other than main, in start order. */
    readonly threads: SimThread[] = [];
    current: SimThread;
    /** Virtual time (seconds). */
    clock = 0;
    private nextIdent = 1;
    /** Where the round robin goes on from (index into `threads`). */
    private cursor = 0;
    private races: RaceWatch | null = null;
    /**
     * threading._shutdown has marked the main thread stopped (3.x: its tstate lock released and
     * `_stop()`; 2.7 `_exitfunc`'s `__stop()`) before it joins the others: a thread joining the
     * main thread wakes up, and `is_alive()` is False.
     */
    mainStopped = false;
    constructor(readonly it: Interpreter) {
        this.main = new SimThread(this.newIdent(), 'MainThread', false, null);
        this.current = this.main;
    }

    newIdent(): number {
        // Like a pthread_t: a large number, never printed reproducibly by CPython.
        return 139_000_000_000_000 + 4096 * 1024 * this.nextIdent++;
    }

    /** Has the thread ended (a Thread's `_is_stopped`)? The main thread: once threading._shutdown stopped it. */
    isStopped(t: SimThread): boolean {
        return t.stage === ThreadStage.Done || (t === this.main && this.mainStopped);
    }

    /** A started thread joins the schedule (it first runs when the running thread blocks). */
    add(t: SimThread): void {
        this.threads.push(t);
        this.watchRaces();
    }

    isRunnable(t: SimThread): boolean {
        if (t.stage === ThreadStage.New) return true;
        if (t.stage !== ThreadStage.Alive) return false;
        const w = t.wait;
        return w === null || w.ready() || this.clock >= w.deadline;
    }

    alive(): SimThread[] {
        return this.threads.filter((t) => t.stage === ThreadStage.New || t.stage === ThreadStage.Alive);
    }

    /** Could `t` run now if the running thread were preempted? (races.ts) */
    runnableNow(t: SimThread): boolean {
        if (t === this.main) {
            const w = this.main.wait;
            return w === null ? this.current !== this.main : w.ready() || this.clock >= w.deadline;
        }
        return this.isRunnable(t);
    }

    /**
     * The main thread (or code the scheduler runs synchronously) waits for `w`: other threads run
     * meanwhile. Answers true when `w` is ready, false when its deadline passed first. A thread
     * other than main cannot wait here (it is inside something run synchronously): if it would have
     * to, the run stops.
     */
    waitSync(w: Waiter): boolean {
        if (w.ready()) return true;
        if (this.current !== this.main) {
            if (this.clock >= w.deadline) return false;
            throw this.refusal(w);
        }
        this.main.stretch++;
        this.main.wait = w;
        try {
            return this.runOthersUntil(w);
        } finally {
            this.main.wait = null;
        }
    }

    private runOthersUntil(w: Waiter): boolean {
        // The other threads go first: the main thread goes on only when none of them can run
        // (who gets the GIL when several wait for it is not deterministic in CPython; races.ts
        // reports the output that depends on it).
        for (;;) {
            const t = this.pickRunnable();
            if (t !== null) {
                this.runSlice(t);
                continue;
            }
            if (w.ready()) return true;
            if (this.clock >= w.deadline) return false;
            this.advanceClock(w);
        }
    }

    /** A thread other than main would have to wait inside something the engine runs synchronously. */
    refusal(w: Waiter | null): EngineStop {
        const it = this.it;
        return new EngineStop({
            kind: 'unsupported',
            message: `not supported in scenarios yet: a thread blocking inside code the engine runs synchronously (${this.current.name} ${w?.what ?? 'waits'} inside a *args/**kwargs call, a comprehension, a generator, a callback from a built-in or a finalizer)`,
            line: it.line || 1,
            col: it.col || 1,
        });
    }

    /** A thread other than main waits for `w` (yields to the scheduler until ready or timed out). */
    *waitInThread(w: Waiter): Resumable<boolean> {
        const t = this.current;
        for (;;) {
            if (w.ready()) return true;
            if (this.clock >= w.deadline) return false;
            t.wait = w;
            t.stretch++;
            const it = this.it;
            yield it.None;
            t.wait = null;
        }
    }

    /** A wait for `w` from whichever thread is running: the resumable form in a thread, else waitSync. */
    *wait(w: Waiter): Resumable<boolean> {
        // Any synchronising call orders what the thread writes after it against what others
        // wrote before it (a join of an ended thread, an Event already set): a new stretch.
        this.current.stretch++;
        if (this.current === this.main) return this.waitSync(w);
        return yield* this.waitInThread(w);
    }

    private pickRunnable(): SimThread | null {
        const n = this.threads.length;
        for (let k = 0; k < n; k++) {
            const i = (this.cursor + k) % n;
            const t = this.threads[i];
            if (this.isRunnable(t)) {
                this.cursor = i + 1;
                return t;
            }
        }
        return null;
    }

    /** Nobody can run: the clock jumps to the nearest deadline, or the program never ends. */
    private advanceClock(mainWait: Waiter): void {
        let next = mainWait.deadline;
        for (const t of this.threads) if (t.stage === ThreadStage.Alive && t.wait) next = Math.min(next, t.wait.deadline);
        if (next === Infinity) throw this.deadlock(mainWait);
        if (next > this.clock) this.clock = next;
    }

    private deadlock(mainWait: Waiter): EngineStop {
        const it = this.it;
        const parts = [`the main thread ${mainWait.what}`];
        for (const t of this.threads) if (t.stage === ThreadStage.Alive && t.wait) parts.push(`${t.name} ${t.wait.what} (line ${t.line})`);
        return new EngineStop({
            kind: 'unsupported',
            message: `not supported in scenarios yet: a program that never ends (CPython would hang here: every thread waits forever: ${parts.join('; ')})`,
            line: it.line || 1,
            col: it.col || 1,
        });
    }

    /** Runs `t` until it blocks or ends (it holds "the GIL" meanwhile). */
    runSlice(t: SimThread): void {
        const it = this.it;
        const from = this.current;
        this.saveState(from);
        this.loadState(t);
        this.current = t;
        this.logSwitch(t);
        if (t.stage === ThreadStage.New) t.stage = ThreadStage.Alive;
        try {
            const r = t.body!.next(it.None);
            if (r.done) t.stage = ThreadStage.Done;
        } finally {
            this.saveState(t);
            this.loadState(from);
            this.current = from;
            this.logSwitch(from);
        }
    }

    /** The report attributes what follows to `t` (each object's thread, a frame's thread). */
    private logSwitch(t: SimThread): void {
        const n = t === this.main ? 0 : this.threads.indexOf(t) + 1;
        this.it.log.push(EventKind.ThreadSwitch, this.it.step, this.it.line, this.it.col, n, 0, t.name);
    }

    private saveState(t: SimThread): void {
        const it = this.it;
        t.frame = it.frame;
        t.depth = it.depth;
        t.line = it.line;
        t.col = it.col;
        t.node = it.node;
        t.handled = it.handled.splice(0);
        t.handledFrames = it.handledFrames.splice(0);
        t.handledTbs = it.handledTbs.splice(0);
    }

    private loadState(t: SimThread): void {
        const it = this.it;
        it.frame = t.frame;
        it.depth = t.depth;
        it.line = t.line;
        it.col = t.col;
        it.node = t.node;
        it.handled.push(...t.handled);
        it.handledFrames.push(...t.handledFrames);
        it.handledTbs.push(...t.handledTbs);
        t.handled = [];
        t.handledFrames = [];
        t.handledTbs = [];
    }

    /**
     * threading._shutdown (wait_for_thread_shutdown): the main thread marks itself stopped, then
     * waits for every non-daemon thread to end (daemon threads run meanwhile when they can). Then
     * every thread still alive — daemons only — is frozen: it never runs again, and its frames keep
     * what they hold.
     */
    joinNonDaemonThreads(): void {
        this.mainStopped = true;
        this.waitSync({
            ready: () => this.threads.every((t) => t.daemon || t.stage === ThreadStage.Done),
            deadline: Infinity,
            what: 'waits (threading._shutdown) for the non-daemon threads to end',
        });
    }

    /** The daemon threads still alive at finalization: frozen where they are. */
    freezeDaemons(): SimThread[] {
        const frozen: SimThread[] = [];
        for (const t of this.threads) {
            if (t.stage === ThreadStage.New || t.stage === ThreadStage.Alive) {
                t.stage = ThreadStage.Frozen;
                frozen.push(t);
            }
        }
        return frozen;
    }

    /** Watches output for writes that preemption could reorder (from the first thread started). */
    watchRaces(): void {
        if (this.races) return;
        this.races = new RaceWatch(this.it, this);
        this.races.install();
    }
}

/** The run stops: `what` is not modelled (where the interpreter is now). */
export function stopUnsupported(it: Interpreter, what: string): EngineStop {
    return new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line: it.line || 1, col: it.col || 1 });
}

/** The interpreter's scheduler, made when the first thread module is imported (null before). */
export function schedulerOf(it: Interpreter): Scheduler {
    let s = it.moduleState.get('threads') as Scheduler | undefined;
    if (!s) {
        s = new Scheduler(it);
        it.moduleState.set('threads', s);
    }
    return s;
}

export function schedulerIfAny(it: Interpreter): Scheduler | null {
    return (it.moduleState.get('threads') as Scheduler | undefined) ?? null;
}
