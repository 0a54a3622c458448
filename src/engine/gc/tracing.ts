/*
 * tracing.ts
 *
 * Tracing-GC runtimes (PyPy, Jython; Profile.tracingGc). Reference counts are still kept, because
 * they tell the report exactly when an object became unreachable, but a count reaching zero does
 * not free anything: the object becomes *unreachable garbage pending collection* (a PendingGarbage
 * event) and stays allocated, its `__del__` not run, until a collection finds it.
 *
 * No automatic collection is simulated: when the nursery fills up (PyPy) or the JVM decides to
 * collect (Jython) depends on memory sizes and timing the scenario does not fix. The report says
 * "may run at any later collection, or never" for such objects instead of inventing a time.
 *
 * An explicit `gc.collect()`:
 *   - PyPy (measured with pypy3 7.3.11, test/conformance/scenarios/tracing/): every object
 *     unreachable from the roots is garbage (counts reaching zero and cycles alike). Finalizers run
 *     at once, in allocation order, with PyPy's finalizer ordering (pypy/doc/discussion/
 *     finalizer-order.rst): a finalizable object reachable from another finalizable garbage object
 *     is kept, with everything it reaches, for a later collection; of a cycle of finalizable
 *     objects one (the oldest) is finalized per collection. The rest of the garbage is freed.
 *   - Jython: System.gc() is a hint; finalizers run on the JVM's finalizer thread at an
 *     unspecified later time. The engine frees nothing and runs no finalizer.
 *
 * At exit (both): atexit handlers run and output is flushed; nothing else. Objects still alive
 * and garbage never collected are not finalized (`__del__` does not run at exit).
 */

import type { PyObject } from '../runtime/object';
import { ObjFlag, GEN_UNTRACKED } from '../runtime/object';
import { DeathCause, EventKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import { runExitFuncs } from '../builtins/atexitModule';
import { formatException } from '../interp/traceback';
import { freezeDaemonThreads } from '../threads/shutdown';

interface TracingState {
    /** Objects whose count reached zero and that no collection freed yet (insertion order). */
    pending: Set<PyObject>;
    /** Finalizable objects a collection kept for a later one (their finalizers run after new ones). */
    deferred: Set<PyObject>;
}

const STATES = new WeakMap<Interpreter, TracingState>();

function state(it: Interpreter): TracingState {
    let s = STATES.get(it);
    if (!s) {
        s = { pending: new Set(), deferred: new Set() };
        STATES.set(it, s);
    }
    return s;
}

/** Called once after start-up for tracing profiles: from now on, counts reaching zero defer. */
export function installTracingGc(it: Interpreter): void {
    const st = state(it);
    it.heap.deferFree = (o: PyObject): boolean => {
        // Frame objects model CPython's per-call frame allocations; PyPy's JIT and Jython keep
        // frames off the collected heap, so a finished frame does not linger holding its locals.
        if (o.type.name === 'frame') return false;
        if (st.pending.has(o)) return true;
        st.pending.add(o);
        const p = it.position();
        it.log.push(EventKind.PendingGarbage, p.step, p.line, p.col, o.id, it.heap.hooks.hasFinalizer(o) ? 1 : 0, null);
        return true;
    };
}

/** Objects pending collection right now (for tests and gc.get_objects-like queries). */
export function pendingGarbage(it: Interpreter): PyObject[] {
    return [...state(it).pending].filter((o) => !(o.flags & ObjFlag.Freed) && o.rc === 0);
}

/** Every object the collector can see: tracked GC objects plus untracked pending ones, by id. */
function universe(it: Interpreter): PyObject[] {
    const heap = it.heap;
    const seen = new Set<PyObject>();
    for (const g of heap.gens) for (const o of g.toArray()) seen.add(o);
    for (const o of state(it).pending) if (!(o.flags & ObjFlag.Freed)) seen.add(o);
    // Untracked containers (dicts and tuples holding no GC object yet, instance dicts) are part of
    // the heap a tracing collector walks: add everything untracked reachable from the set.
    const queue = [...seen];
    while (queue.length) {
        queue.pop()!.traverse((c) => {
            if (seen.has(c) || c.flags & (ObjFlag.Atomic | ObjFlag.Freed) || c.gen !== GEN_UNTRACKED) return;
            seen.add(c);
            queue.push(c);
        });
    }
    return [...seen].sort((a, b) => a.id - b.id);
}

/** The garbage: objects of `all` not reachable from a reference held outside `all`. */
function findGarbage(all: PyObject[]): Set<PyObject> {
    const inSet = new Set(all);
    const refs = new Map<PyObject, number>();
    for (const o of all) refs.set(o, o.rc);
    for (const o of all) {
        o.traverse((c) => {
            const r = refs.get(c);
            if (r !== undefined) refs.set(c, r - 1);
        });
    }
    const reached = new Set<PyObject>();
    const stack: PyObject[] = [];
    for (const o of all) {
        if ((refs.get(o) ?? 0) > 0) {
            reached.add(o);
            stack.push(o);
        }
    }
    while (stack.length) {
        stack.pop()!.traverse((c) => {
            if (inSet.has(c) && !reached.has(c)) {
                reached.add(c);
                stack.push(c);
            }
        });
    }
    return new Set(all.filter((o) => !reached.has(o)));
}

/** Everything reachable from `from` (not including it unless a cycle leads back) inside `within`. */
function reachFrom(from: PyObject, within: Set<PyObject>): Set<PyObject> {
    const out = new Set<PyObject>();
    const stack = [from];
    while (stack.length) {
        stack.pop()!.traverse((c) => {
            if (within.has(c) && !out.has(c)) {
                out.add(c);
                stack.push(c);
            }
        });
    }
    return out;
}

/** `gc.collect()` on a tracing profile; returns what it returns (None or a number). */
export function tracingCollect(it: Interpreter): PyObject {
    const tg = it.profile.tracingGc!;
    const heap = it.heap;
    const result = tg.collectResult === 'none' ? it.None : it.int(tg.collectResult);
    if (heap.collecting) return result;
    const p0 = it.position();
    it.log.push(EventKind.GcStart, p0.step, p0.line, p0.col, 0, 2, 'manual');
    if (!tg.collectRunsFinalizers) {
        const p1 = it.position();
        it.log.push(EventKind.GcEnd, p1.step, p1.line, p1.col, 0, 0, null);
        return result;
    }
    heap.collecting = true;
    let freed = 0;
    try {
        const garbage = findGarbage(universe(it));
        const hooks = heap.hooks;
        const finalizable = [...garbage].filter((o) => hooks.hasFinalizer(o) && !(it.profile.finalizeOnce && o.flags & ObjFlag.Finalized));
        const reach = new Map<PyObject, Set<PyObject>>();
        for (const f of finalizable) reach.set(f, reachFrom(f, garbage));
        const runNow: PyObject[] = [];
        const deferred: PyObject[] = [];
        for (const f of finalizable) {
            let run = true;
            for (const g of finalizable) {
                if (g === f || !reach.get(g)!.has(f)) continue;
                // g reaches f: f waits, unless they are one cycle and f is its oldest member.
                if (!reach.get(f)!.has(g) || g.id < f.id) {
                    run = false;
                    break;
                }
            }
            (run ? runNow : deferred).push(f);
        }
        // Measured order: allocation order, objects an earlier collection kept (already in PyPy's
        // old generation) after the others. (Not modelled: pypy3 7.3.11 sometimes finalizes a
        // later-allocated object first, e.g. the last items of a list dying with it, which depends
        // on nursery addresses; the conformance scenarios avoid those cases.)
        const st0 = state(it);
        const late = (o: PyObject): boolean => st0.deferred.has(o);
        runNow.sort((a, b) => Number(late(a)) - Number(late(b)) || a.id - b.id);
        for (const o of deferred) st0.deferred.add(o);
        for (const o of runNow) st0.deferred.delete(o);
        for (const o of runNow) {
            heap.incref(o);
            hooks.runFinalizer(o);
            if (it.profile.finalizeOnce) o.flags |= ObjFlag.Finalized;
            o.rc--; // drop our reference without re-entering dealloc: reachability is recomputed below
        }
        // Kept for a later collection: deferred finalizable objects and all they reach.
        const keep = new Set<PyObject>(deferred);
        for (const d of deferred) for (const o of reach.get(d)!) keep.add(o);
        const still = findGarbage(universe(it));
        const toFree = [...garbage].filter((o) => still.has(o) && !keep.has(o) && !(o.flags & ObjFlag.Freed));
        // What is kept must survive the frees below: hold it, and let go afterwards (outside the
        // clearing, so whatever only the freed garbage referenced becomes pending garbage again).
        for (const o of keep) heap.incref(o);
        const was = heap.clearingGarbage;
        heap.clearingGarbage = true;
        try {
            for (const o of toFree) {
                if (o.flags & ObjFlag.Freed) continue;
                if (o.rc === 0) heap.dealloc(o, DeathCause.GcClear);
                else {
                    heap.incref(o);
                    o.clear(heap);
                    heap.decref(o);
                }
            }
        } finally {
            heap.clearingGarbage = was;
        }
        for (const o of [...keep].sort((a, b) => a.id - b.id)) heap.decref(o);
        const st = state(it);
        for (const o of toFree) {
            if (o.flags & ObjFlag.Freed) {
                freed++;
                st.pending.delete(o);
            }
        }
    } finally {
        heap.collecting = false;
        // Slots of the objects freed meanwhile (GcHeads.release).
        heap.gc.recycleDead();
    }
    const p1 = it.position();
    it.log.push(EventKind.GcEnd, p1.step, p1.line, p1.col, freed, 0, null);
    return result;
}

/** Exit on a tracing runtime: atexit handlers (where the runtime runs them), flush, and nothing else (no finalizers, no teardown). */
export function finalizeTracing(it: Interpreter): void {
    it.setPhase('atexit');
    const err = it.profile.tracingGc?.atexitHandlersRun === false ? null : runExitFuncs(it);
    freezeDaemonThreads(it);
    if (err) {
        // 2.7-style runtimes (Jython) hand back the last handler error, as finalize27 does.
        if (!err.exc.type.isSubtypeOf(it.T.SystemExit)) it.stderr.write('Error in sys.exitfunc:\n' + formatException(it, err.exc));
        it.decref(err.exc);
    }
    it.stdout.flush();
    it.native?.releaseAtExit();
    it.setPhase('after-exit');
}
