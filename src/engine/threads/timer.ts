/*
 * timer.ts
 *
 * Lib/threading.py's Timer: a Thread whose run() waits `interval` seconds on its `finished` Event
 * (on the virtual clock) and then calls `function(*args, **kwargs)` unless cancel() set the Event
 * first. What makes it a lifetime topic: the function, its args list and kwargs dict are plain
 * attributes of the Timer (Timer.run never deletes them, unlike Thread.run's `del self._target,
 * self._args, self._kwargs`), so they live as long as the Timer object does; and a Timer that is
 * neither cancelled nor joined is a non-daemon thread that threading._shutdown waits for at exit.
 *
 * 3.x: `class Timer(Thread)`, `args=None`/`kwargs=None` replaced by a fresh `[]`/`{}`.
 * 2.7: `Timer(*args, **kwargs)` is a function returning a `_Timer`, whose defaults `args=[]`,
 * `kwargs={}` are shared by every Timer made without them.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyTuple, PyDict, PyList } from '../runtime/containers';
import type { PyStr } from '../runtime/values';
import type { KwArgs } from '../runtime/callables';
import type { PyModule, PyTraceback } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { Resumable } from '../interp/resumable';
import { PyRaise } from '../interp/signals';
import { getAttr, setAttr } from '../interp/attrs';
import { typeNew } from '../interp/typeobject';
import { call } from '../interp/calls';
import { truthy } from '../interp/ops';
import { setModuleAttr } from '../builtins/modules';
import { stopUnsupported, type Scheduler } from './scheduler';
import { callInThread } from './threadcall';
import { blockingMethod, params } from './threadingModule';

/** Adds Timer (2.7: the Timer function and the _Timer class) to the threading module. */
export function installTimer(it: Interpreter, sched: Scheduler, m: PyModule, threadType: PyType): void {
    const py2 = it.profile.major === 2;
    // 2.7's shared default arguments, made once with the class, as a def's defaults are.
    const shared = py2 ? { args: it.list([]), kwargs: it.dict() } : null;
    const ns = it.dict();
    ns.set(it.heap, it.str('__module__'), it.str('threading'));
    const init = it.builtin(
        '__init__',
        (self, args, kwargs) => {
            const [interval, fn, fargs, fkwargs] = params(it, '__init__', args, kwargs, ['interval', 'function', 'args', 'kwargs']);
            if (interval === undefined || fn === undefined) {
                throw it.error('TypeError', `__init__() missing ${interval === undefined ? "2 required positional arguments: 'interval' and 'function'" : "1 required positional argument: 'function'"}`);
            }
            // Thread.__init__(self)
            const tinit = getAttr(it, threadType, '__init__');
            try {
                it.decref(call(it, tinit, [self!], null));
            } finally {
                it.decref(tinit);
            }
            setAttr(it, self!, 'interval', interval);
            setAttr(it, self!, 'function', fn);
            const given = (v: PyObject | undefined): v is PyObject => v !== undefined && (py2 || v !== it.None);
            if (given(fargs)) setAttr(it, self!, 'args', fargs);
            else if (shared) setAttr(it, self!, 'args', shared.args);
            else {
                const l = it.list([]);
                setAttr(it, self!, 'args', l);
                it.decref(l);
            }
            if (given(fkwargs)) setAttr(it, self!, 'kwargs', fkwargs);
            else if (shared) setAttr(it, self!, 'kwargs', shared.kwargs);
            else {
                const d = it.dict();
                setAttr(it, self!, 'kwargs', d);
                it.decref(d);
            }
            const ev = call(it, m.dict.getStr('Event')!, [], null);
            setAttr(it, self!, 'finished', ev);
            it.decref(ev);
            return it.None;
        },
        py2 ? '_Timer' : 'Timer',
        true,
    );
    ns.set(it.heap, it.str('__init__'), init);
    const cancel = it.builtin(
        'cancel',
        (self) => {
            const ev = getAttr(it, self!, 'finished');
            try {
                it.decref(callMethod(it, ev, 'set'));
            } finally {
                it.decref(ev);
            }
            return it.None;
        },
        py2 ? '_Timer' : 'Timer',
        true,
    );
    ns.set(it.heap, it.str('cancel'), cancel);
    ns.set(it.heap, it.str('run'), blockingMethod(it, sched, 'run', py2 ? '_Timer' : 'Timer', (self) => timerRun(it, self)));
    const t = typeNew(it, it.T.type, py2 ? '_Timer' : 'Timer', threadType, ns, null);
    it.decref(ns);
    if (shared) {
        // Held by __init__'s defaults for the life of the class.
        it.heap.adopt(t, shared.args, '(__init__ default args)');
        it.heap.adopt(t, shared.kwargs, '(__init__ default kwargs)');
    }
    if (!py2) {
        setModuleAttr(it, m, 'Timer', t);
        return;
    }
    setModuleAttr(it, m, '_Timer', t);
    setModuleAttr(
        it,
        m,
        'Timer',
        it.builtin('Timer', (_s, args, kwargs) => call(it, t, args, kwargs)),
    );
}

/** Timer.run: `self.finished.wait(self.interval)`, then the call unless cancelled, then `self.finished.set()`. */
function* timerRun(it: Interpreter, self: PyObject): Resumable<PyObject> {
    const ev = getAttr(it, self, 'finished');
    try {
        const interval = getAttr(it, self, 'interval');
        const wait = getAttr(it, ev, 'wait');
        try {
            it.decref(yield* callInThread(it, wait, [interval], null));
        } finally {
            it.decref(wait);
            it.decref(interval);
        }
        const isSet = callMethod(it, ev, 'is_set');
        const cancelled = truthy(it, isSet);
        it.decref(isSet);
        if (!cancelled) {
            const fn = getAttr(it, self, 'function');
            const a = getAttr(it, self, 'args');
            const k = getAttr(it, self, 'kwargs');
            try {
                const pos = a instanceof PyTuple || a instanceof PyList ? a.items.slice() : null;
                if (pos === null || !(k instanceof PyDict)) throw stopUnsupported(it, 'Timer args that are not a list or tuple, or kwargs that are not a dict');
                const kw: KwArgs = k.size ? new Map(Array.from(k.entries(), (e) => [(e.k as PyStr).v, e.v])) : null;
                it.decref(yield* callInThread(it, fn, pos, kw));
            } catch (e) {
                // The traceback would show threading.py's Timer.run frame at its line per version:
                // not recorded, so not guessed.
                if (e instanceof PyRaise) {
                    // Reported where it was raised: the innermost traceback entry (2.7: the raise's own).
                    let tb = ((e.tb ?? (e.exc as PyObject & { traceback?: PyObject | null }).traceback) ?? null) as PyTraceback | null;
                    while (tb?.next) tb = tb.next;
                    if (tb) it.line = tb.line;
                    throw stopUnsupported(it, 'an exception escaping a threading.Timer function');
                }
                throw e;
            } finally {
                it.decref(fn);
                it.decref(a);
                it.decref(k);
            }
        }
        it.decref(callMethod(it, ev, 'set'));
    } finally {
        it.decref(ev);
    }
    return it.None;
}

function callMethod(it: Interpreter, o: PyObject, name: string): PyObject {
    const f = getAttr(it, o, name);
    try {
        return call(it, f, [], null);
    } finally {
        it.decref(f);
    }
}
