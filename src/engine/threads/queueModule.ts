/*
 * queueModule.ts
 *
 * The `queue` module (2.7: `Queue`) over the deterministic thread model: Queue (a deque, FIFO),
 * LifoQueue (a list), PriorityQueue (a list kept as a heap by heapq's siftdown/siftup, so equal
 * priorities come out in CPython's order) and SimpleQueue (3.x: _queue.SimpleQueue), with
 * Empty/Full. get/put/join are blocking points (scheduler.ts).
 *
 * The queue holds its items (edges labelled `queue`); when it dies they are released as its
 * container releases them: a deque front to back, a list back to front (list_dealloc), and
 * SimpleQueue as its storage does per version (a list until 3.12, a ring buffer front to back
 * in 3.13).
 */

import { PyObject, type Refs, type Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { PyModule } from '../runtime/frames';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { PyRaise } from '../interp/signals';
import { truthy, compareObj } from '../interp/ops';
import { typeNew } from '../interp/typeobject';
import { nativeType } from '../builtins/weakrefModule';
import { nativeConstructors } from '../modules/stdTypes';
import { toInt } from '../builtins/args';
import { setModuleAttr } from '../builtins/modules';
import { schedulerOf, type Scheduler } from './scheduler';
import { blockingMethod, params, deadlineOf } from './threadingModule';

type Kind = 'fifo' | 'lifo' | 'priority' | 'simple';

export class PyQueue extends PyObject {
    items: PyObject[] = [];
    unfinished = 0;
    constructor(
        type: PyType,
        readonly kind: Kind,
        readonly maxsize: number,
        /** Released front to back when the queue dies (a deque, 3.13's ring buffer), else back to front (a list). */
        readonly releasesInOrder: boolean,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        for (const x of this.items) visit(x);
    }
    override clear(r: Refs): void {
        const items = this.items;
        this.items = [];
        if (this.releasesInOrder) for (let i = 0; i < items.length; i++) r.release(this, items[i], 'queue');
        else for (let i = items.length - 1; i >= 0; i--) r.release(this, items[i], 'queue');
    }
}

/** heapq._siftdown: the new item at `pos` moves up while it is smaller than its parent. */
function siftdown(it: Interpreter, heap: PyObject[], start: number, pos: number): void {
    const item = heap[pos];
    while (pos > start) {
        const parentpos = (pos - 1) >> 1;
        const parent = heap[parentpos];
        if (lessThan(it, item, parent)) {
            heap[pos] = parent;
            pos = parentpos;
            continue;
        }
        break;
    }
    heap[pos] = item;
}

/** heapq._siftup: the hole at `pos` goes down to a leaf along smaller children, then siftdown. */
function siftup(it: Interpreter, heap: PyObject[], pos: number): void {
    const endpos = heap.length;
    const startpos = pos;
    const item = heap[pos];
    let childpos = 2 * pos + 1;
    while (childpos < endpos) {
        const rightpos = childpos + 1;
        if (rightpos < endpos && !lessThan(it, heap[childpos], heap[rightpos])) childpos = rightpos;
        heap[pos] = heap[childpos];
        pos = childpos;
        childpos = 2 * pos + 1;
    }
    heap[pos] = item;
    siftdown(it, heap, startpos, pos);
}

function lessThan(it: Interpreter, a: PyObject, b: PyObject): boolean {
    const r = compareObj(it, 'Lt', a, b);
    try {
        return truthy(it, r);
    } finally {
        it.decref(r);
    }
}

export function createQueueModule(it: Interpreter): PyModule {
    const sched = schedulerOf(it);
    const py2 = it.profile.major === 2;
    const m = it.newModule(py2 ? 'Queue' : 'queue');
    m.partial = true;
    const excType = (name: string, module: string): PyType => {
        const ns = it.dict();
        ns.set(it.heap, it.str('__module__'), it.str(module));
        const t = typeNew(it, it.T.type, name, it.T.Exception, ns, null);
        it.decref(ns);
        setModuleAttr(it, m, name, t);
        return t;
    };
    // 3.x: Empty comes from _queue (SimpleQueue's C module), Full is queue's own.
    const Empty = excType('Empty', py2 ? 'Queue' : '_queue');
    const Full = excType('Full', py2 ? 'Queue' : 'queue');
    const raise = (t: PyType): PyRaise => new PyRaise(it.newException(t, []));

    const put = (q: PyQueue, item: PyObject): void => {
        it.heap.acquire(q, item, 'queue');
        q.items.push(item);
        if (q.kind === 'priority') siftdown(it, q.items, 0, q.items.length - 1);
        if (q.kind !== 'simple') q.unfinished++;
    };
    /** The next item (its reference moves to the caller). */
    const take = (q: PyQueue): PyObject => {
        let x: PyObject;
        if (q.kind === 'fifo' || q.kind === 'simple') x = q.items.shift()!;
        else if (q.kind === 'lifo') x = q.items.pop()!;
        else {
            // heapq.heappop: the last item fills the root and sifts up.
            const last = q.items.pop()!;
            if (q.items.length) {
                x = q.items[0];
                q.items[0] = last;
                siftup(it, q.items, 0);
            } else x = last;
        }
        it.heap.forget(q, x, 'queue');
        return x;
    };
    const full = (q: PyQueue): boolean => q.maxsize > 0 && q.items.length >= q.maxsize;

    function* getOp(q: PyQueue, block: boolean, timeout: PyObject | undefined): Resumable<PyObject> {
        if (!block) {
            if (!q.items.length) throw raise(Empty);
            return take(q);
        }
        const deadline = deadlineOf(it, sched, timeout, false);
        const ok = yield* sched.wait({ ready: () => q.items.length > 0, deadline, what: 'waits for an item (Queue.get)' });
        if (!ok) throw raise(Empty);
        return take(q);
    }
    function* putOp(q: PyQueue, item: PyObject, block: boolean, timeout: PyObject | undefined): Resumable<PyObject> {
        if (full(q)) {
            if (!block) throw raise(Full);
            const deadline = deadlineOf(it, sched, timeout, false);
            const ok = yield* sched.wait({ ready: () => !full(q), deadline, what: 'waits for room (Queue.put)' });
            if (!ok) throw raise(Full);
        }
        put(q, item);
        return it.None;
    }

    const ctors = nativeConstructors(it);
    const queueType = (name: string, kind: Kind, container: string): void => {
        const simple = kind === 'simple';
        const t = nativeType(it, name, simple ? '_queue' : container, {
            qsize: (self) => it.int((self as PyQueue).items.length),
            empty: (self) => it.bool((self as PyQueue).items.length === 0),
            ...(simple
                ? {}
                : {
                      full: (self: PyObject) => it.bool(full(self as PyQueue)),
                      task_done: (self: PyObject) => {
                          const q = self as PyQueue;
                          if (q.unfinished <= 0) throw it.error('ValueError', 'task_done() called too many times');
                          q.unfinished--;
                          return it.None;
                      },
                  }),
        });
        t.dict.set(
            it.heap,
            it.str('get'),
            blockingMethod(it, sched, 'get', name, function* (self, args, kwargs) {
                const [b, tm] = params(it, 'get', args, kwargs, ['block', 'timeout']);
                return yield* getOp(self as PyQueue, b === undefined || truthy(it, b), tm);
            }),
        );
        t.dict.set(
            it.heap,
            it.str('put'),
            blockingMethod(it, sched, 'put', name, function* (self, args, kwargs) {
                const [item, b, tm] = params(it, 'put', args, kwargs, ['item', 'block', 'timeout']);
                if (item === undefined) throw it.error('TypeError', "put() missing 1 required positional argument: 'item'");
                return yield* putOp(self as PyQueue, item, b === undefined || truthy(it, b), tm);
            }),
        );
        t.dict.set(
            it.heap,
            it.str('get_nowait'),
            blockingMethod(it, sched, 'get_nowait', name, (self) => getOp(self as PyQueue, false, undefined)),
        );
        t.dict.set(
            it.heap,
            it.str('put_nowait'),
            blockingMethod(it, sched, 'put_nowait', name, (self, args) => putOp(self as PyQueue, args[0], false, undefined)),
        );
        if (!simple) {
            t.dict.set(
                it.heap,
                it.str('join'),
                blockingMethod(it, sched, 'join', name, function* (self) {
                    const q = self as PyQueue;
                    yield* sched.wait({ ready: () => q.unfinished === 0, deadline: Infinity, what: 'waits for every item to be done (Queue.join)' });
                    return it.None;
                }),
            );
        }
        const inOrder = kind === 'fifo' || (simple && it.profile.simpleQueueRingBuffer);
        ctors.set(t, (args, kwargs) => {
            const [ms] = params(it, name, args, kwargs, simple ? [] : ['maxsize']);
            const maxsize = ms === undefined ? 0 : toInt(it, ms);
            return it.heap.register(new PyQueue(t, kind, maxsize, inOrder));
        });
        setModuleAttr(it, m, name, t);
    };
    const modName = py2 ? 'Queue' : 'queue';
    queueType('Queue', 'fifo', modName);
    queueType('LifoQueue', 'lifo', modName);
    queueType('PriorityQueue', 'priority', modName);
    if (!py2) queueType('SimpleQueue', 'simple', '_queue');
    void (null as unknown as Scheduler);
    return m;
}
