/*
 * contextlib.ts
 *
 * The `contextlib` module (Lib/contextlib.py, pure Python): its classes are Python classes, so
 * their instances are ordinary instances whose `__dict__` holds what the methods store there —
 * the references that decide lifetimes:
 *
 *   - `@contextmanager`: calling the decorated function builds a `_GeneratorContextManager`
 *     whose `__init__` stores gen (the generator, created at once), func, args, kwds and
 *     `__doc__`; `__enter__` deletes args, kwds and func (3.8+: "do not keep args and kwds alive")
 *     and returns next(gen); `__exit__` resumes the generator (normal exit: it must finish) or
 *     throws the exception into it (suppressed when the generator swallows it and finishes).
 *   - `closing(thing)`: `thing` in the instance dict; `__exit__` calls `thing.close()`.
 *   - `suppress(*exceptions)`: `_exceptions` tuple; `__exit__` answers issubclass.
 *   - `ExitStack`: `_exit_callbacks`, a collections.deque of `(is_sync, callback)` tuples:
 *     `callback(f, *a, **k)` pushes a wrapper closure over f, a and k; `enter_context(cm)` calls
 *     `type(cm).__enter__(cm)` and pushes the bound `__exit__`; `push(x)` pushes `x.__exit__`
 *     bound, or x itself. `close()`/`__exit__` pop and call them last in, first out. An ExitStack
 *     never closed runs nothing: the deque and what it holds are freed with the stack.
 *
 * The classes are built once, as static (never freed) types; the methods are native functions,
 * so a traceback through them has no contextlib.py frames (CPython shows them).
 */

import { ObjFlag, type PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict, PyTuple } from '../runtime/containers';
import { PyStr } from '../runtime/values';
import { PyBuiltin, PyCell, type KwArgs } from '../runtime/callables';
import { PyException } from '../runtime/instances';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { call, callBound } from '../interp/calls';
import { getAttr, setAttr, delAttr, newBoundMethod, functionDoc, lookupSpecial } from '../interp/attrs';
import { iterNext, truthy } from '../interp/ops';
import { addr } from '../interp/format';
import { PyRaise, dropRaise, EngineStop } from '../interp/signals';
import { importModule, setModuleAttr } from '../builtins/modules';
import { arity } from '../builtins/args';
import { recordedIn, pythonClass, pyFunctionType, type Method } from './stdTypes';

/** A class of Lib/contextlib.py: a (never freed) class whose methods are native functions. */
function pyClass(it: Interpreter, name: string, doc: string | null, methods: Record<string, Method>): PyType {
    return pythonClass(it, 'contextlib', name, doc, methods);
}

function attr(it: Interpreter, o: PyObject, name: string): PyObject {
    return getAttr(it, o, name);
}

/** `raise RuntimeError(msg) from None`. */
function runtimeErrorFromNone(it: Interpreter, message: string): PyRaise {
    const r = it.error('RuntimeError', message);
    r.exc.suppressContext = true;
    return r;
}

function isSubclassOf(it: Interpreter, t: PyObject, of: PyObject): boolean {
    if (!(t instanceof PyType)) return false;
    if (of instanceof PyType) return t.isSubtypeOf(of);
    if (of instanceof PyTuple) return of.items.some((x) => isSubclassOf(it, t, x));
    throw it.error('TypeError', 'issubclass() arg 2 must be a class, a tuple of classes, or a union');
}

// ------------------------------------------------------------------------------------------------
// contextmanager

interface ContextlibState {
    /**
     * The type of contextlib's Python functions modelled natively (contextmanager's `helper`,
     * ExitStack's `_exit_wrapper`): named `function` as CPython's are, with a function's repr.
     */
    functionType: PyType;
}

function createGeneratorCM(it: Interpreter): PyType {
    const p = it.profile.stdlib;
    const t: PyType = pyClass(it, p.generatorCMStoresCall ? '_GeneratorContextManager' : 'GeneratorContextManager', p.generatorCMStoresCall ? 'Helper for @contextmanager decorator.' : 'Helper for @contextmanager decorator.', {
        __enter__: (self) => {
            if (p.generatorCMStoresCall) {
                // del self.args, self.kwds, self.func
                delAttr(it, self, 'args');
                delAttr(it, self, 'kwds');
                delAttr(it, self, 'func');
            }
            const gen = attr(it, self, 'gen');
            try {
                const v = iterNext(it, gen);
                if (v === null) throw runtimeErrorFromNone(it, "generator didn't yield");
                return v;
            } finally {
                it.decref(gen);
            }
        },
        __exit__: (self, args) => {
            arity(it, '__exit__', args, 3, 3);
            const [typ, value0, tb] = args;
            const gen = attr(it, self, 'gen');
            try {
                if (typ === it.None) {
                    const v = iterNext(it, gen);
                    if (v === null) return p.generatorCMStoresCall ? it.False : it.None;
                    it.decref(v);
                    const err = it.error('RuntimeError', "generator didn't stop");
                    if (it.profile.throwSignatureDeprecated) closeGen(it, gen);
                    throw err;
                }
                let value = value0;
                let made: PyObject | null = null;
                if (value === it.None) value = made = call(it, typ, [], null);
                try {
                    const thrower = attr(it, gen, 'throw');
                    let r: PyObject;
                    try {
                        r = it.profile.throwSignatureDeprecated ? call(it, thrower, [value], null) : call(it, thrower, [typ, value, tb], null);
                    } catch (e) {
                        if (!(e instanceof PyRaise)) throw e;
                        const exc = e.exc;
                        if (exc.type.isSubtypeOf(it.T.StopIteration)) {
                            const suppressed = exc !== value;
                            dropRaise(it, e);
                            return it.bool(suppressed);
                        }
                        if (exc === value) {
                            // The generator let it through: the with statement re-raises it, with
                            // the traceback it had (3.x `exc.__traceback__ = traceback`: the frames
                            // of __exit__ and the generator are dropped, and with them its locals).
                            dropRaise(it, e);
                            if (p.generatorCMStoresCall) setAttr(it, exc, '__traceback__', tb);
                            return p.generatorCMStoresCall ? it.False : it.None;
                        }
                        const stopThrown = p.cmStopIterationSubclasses ? value.type.isSubtypeOf(it.T.StopIteration) : typ === it.T.StopIteration;
                        if (p.generatorCMStoresCall && exc.type.isSubtypeOf(it.T.RuntimeError) && stopThrown && exc.cause === value) {
                            dropRaise(it, e);
                            setAttr(it, value, '__traceback__', tb);
                            return it.False;
                        }
                        throw e;
                    } finally {
                        it.decref(thrower);
                    }
                    it.decref(r);
                    const err = it.error('RuntimeError', "generator didn't stop after throw()");
                    if (it.profile.throwSignatureDeprecated) closeGen(it, gen);
                    throw err;
                } finally {
                    if (made) it.decref(made);
                }
            } finally {
                it.decref(gen);
            }
        },
        // _GeneratorContextManagerBase.__init__(self, func, args, kwds) (3.x), called by
        // contextmanager's helper, _recreate_cm, or a program that constructs or subclasses the
        // class; 2.7's GeneratorContextManager.__init__(self, gen) only stores the generator.
        __init__: (self, args) => {
            if (!p.generatorCMStoresCall) {
                arity(it, '__init__', args, 1, 1);
                setAttr(it, self, 'gen', args[0]);
                return it.None;
            }
            arity(it, '__init__', args, 3, 3);
            initGeneratorCM(it, self, args[0], args[1], args[2]);
            return it.None;
        },
    });
    // 3.x: ContextDecorator.__call__, a @contextmanager object used as a decorator (2.7 has none).
    if (p.generatorCMStoresCall) {
        t.dict.set(it.heap, it.str('_recreate_cm'), it.builtin('_recreate_cm', (self) => recreateCM(it, self!), t.name, true));
        t.dict.set(
            it.heap,
            it.str('__call__'),
            it.builtin(
                '__call__',
                (self, args) => {
                    arity(it, '__call__', args, 1, 1);
                    return decoratedByCM(it, self!, args[0]);
                },
                t.name,
                true,
            ),
        );
    }
    return t;
}

function closeGen(it: Interpreter, gen: PyObject): void {
    const close = attr(it, gen, 'close');
    try {
        it.decref(call(it, close, [], null));
    } finally {
        it.decref(close);
    }
}

/** A dict of str keys as call keywords (`**kwds`). */
function keywordsOf(it: Interpreter, d: PyObject): KwArgs {
    if (!(d instanceof PyDict)) throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: _GeneratorContextManager with kwds that are not a dict', line: it.line, col: it.col });
    if (!d.size) return null;
    const out = new Map<string, PyObject>();
    for (const e of d.entries()) {
        if (!(e.k instanceof PyStr)) throw it.error('TypeError', 'keywords must be strings');
        out.set(e.k.v, e.v);
    }
    return out;
}

/**
 * _GeneratorContextManagerBase.__init__ (3.x): `self.gen = func(*args, **kwds)`, then func, args
 * and kwds stored as given, and `__doc__` (the function's, else the class's).
 */
function initGeneratorCM(it: Interpreter, cm: PyObject, f: PyObject, a: PyObject, k: PyObject): void {
    if (!(a instanceof PyTuple)) throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: _GeneratorContextManager with args that are not a tuple', line: it.line, col: it.col });
    const gen = call(it, f, a.items, keywordsOf(it, k));
    setAttr(it, cm, 'gen', gen);
    it.decref(gen);
    setAttr(it, cm, 'func', f);
    setAttr(it, cm, 'args', a);
    setAttr(it, cm, 'kwds', k);
    let doc: PyObject = f.type === it.T.function ? functionDoc(it, f as import('../runtime/callables').PyFunction) : it.incref(it.None);
    if (doc === it.None) {
        it.decref(doc);
        doc = getAttr(it, cm.type, '__doc__');
    }
    setAttr(it, cm, '__doc__', doc);
    it.decref(doc);
}

/** _GeneratorContextManager._recreate_cm: `self.__class__(self.func, self.args, self.kwds)`. */
function recreateCM(it: Interpreter, self: PyObject): PyObject {
    const parts = ['func', 'args', 'kwds'].map((n) => attr(it, self, n));
    try {
        return call(it, self.type, parts, null);
    } finally {
        for (const x of parts) it.decref(x);
    }
}

/**
 * ContextDecorator.__call__(self, func): `inner`, a closure over self and func (`@wraps(func)`:
 * named after it) whose every call runs `with self._recreate_cm(): return func(*args, **kwds)`,
 * a fresh manager each time, so the decorated function may recurse.
 */
function decoratedByCM(it: Interpreter, self: PyObject, func: PyObject): PyObject {
    const st = it.moduleState.get('contextlib') as ContextlibState;
    const name = 'name' in func && typeof (func as { name: unknown }).name === 'string' ? (func as { name: string }).name : 'inner';
    const cell = (n: string, v: PyObject): PyCell => {
        const c = it.heap.register(new PyCell(it.T.cell, it.incref(v), n));
        it.heap.adopt(c, v, n);
        return c;
    };
    // The closure's cells in co_freevars order: func, self.
    const closure = it.tuple([cell('func', func), cell('self', self)]);
    const inner = it.heap.register(
        new PyBuiltin(
            st.functionType,
            name,
            (cl, args, kwargs) => {
                const [f, cmSelf] = (cl as PyTuple).items.map((c) => (c as PyCell).ref!);
                // inner is a Python frame of contextlib.py: when it returns, the caller's line is current again.
                const { line, col, node } = it;
                const recreate = attr(it, cmSelf, '_recreate_cm');
                let cm: PyObject;
                try {
                    cm = call(it, recreate, [], null);
                } finally {
                    it.decref(recreate);
                }
                try {
                    return withNative(it, cm, () => call(it, f, args, kwargs));
                } finally {
                    it.line = line;
                    it.col = col;
                    it.node = node;
                    it.decref(cm);
                }
            },
            closure,
            false,
        ),
    );
    it.heap.adopt(inner, closure, '__closure__');
    return inner;
}

/**
 * `with cm: return body()` run by a Python function of contextlib: __enter__, then __exit__ with
 * the exception being handled (sys.exc_info() shows it) or with Nones; a true answer suppresses it.
 */
function withNative(it: Interpreter, cm: PyObject, body: () => PyObject): PyObject {
    const enter = lookupSpecial(it, cm, '__enter__');
    const exit = lookupSpecial(it, cm, '__exit__');
    if (!enter || !exit) throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: a ContextDecorator whose _recreate_cm is not a context manager', line: it.line, col: it.col });
    it.decref(callBound(it, enter, cm, []));
    let result: PyObject;
    try {
        result = body();
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        const frame = it.frame;
        if (!frame) throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: a decorated function called outside any frame', line: it.line, col: it.col });
        const exc = e.exc;
        it.pushHandled(it.incref(exc), frame, null);
        let suppress: boolean;
        try {
            const r = callBound(it, exit, cm, [exc.type, exc, exc.traceback ?? it.None]);
            suppress = truthy(it, r);
            it.decref(r);
        } catch (inner) {
            dropRaise(it, e);
            throw inner;
        } finally {
            it.popHandled();
        }
        if (!suppress) throw e;
        dropRaise(it, e);
        return it.incref(it.None);
    }
    try {
        it.decref(callBound(it, exit, cm, [it.None, it.None, it.None]));
    } catch (e) {
        it.decref(result);
        throw e;
    }
    return result;
}

/** `contextmanager(func)`: `helper`, which keeps func (its closure) and builds the manager. */
function contextmanager(it: Interpreter, gcm: PyType, func: PyObject): PyObject {
    const name = func.type.lookup('__call__') === null && 'name' in func ? String((func as { name: unknown }).name) : 'helper';
    const helper = it.heap.register(
        new PyBuiltin(
            (it.moduleState.get('contextlib') as ContextlibState).functionType,
            name,
            (self, args, kwargs) => {
                const f = self!;
                if (!it.profile.stdlib.generatorCMStoresCall) {
                    // 2.7: GeneratorContextManager(func(*args, **kwds)).
                    const cm = it.plainInstance(gcm);
                    try {
                        const gen = call(it, f, args, kwargs);
                        setAttr(it, cm, 'gen', gen);
                        it.decref(gen);
                    } catch (e) {
                        it.decref(cm);
                        throw e;
                    }
                    return cm;
                }
                // 3.x: _GeneratorContextManager(func, args, kwds), over helper's args tuple and kwds dict.
                const a = it.tuple(args.map((x) => it.incref(x)));
                const k = it.dict();
                if (kwargs) for (const [kk, v] of kwargs) k.set(it.heap, it.str(kk), v);
                const cm = it.plainInstance(gcm);
                try {
                    initGeneratorCM(it, cm, f, a, k);
                } catch (e) {
                    it.decref(cm);
                    throw e;
                } finally {
                    it.decref(a);
                    it.decref(k);
                }
                return cm;
            },
            func,
            false,
        ),
    );
    // 3.x: helper.__wrapped__ (update_wrapper) and its closure; 2.7: only the closure.
    it.heap.acquire(helper, func, it.profile.stdlib.setsWrapped ? '__wrapped__' : '<closure>');
    return helper;
}

// ------------------------------------------------------------------------------------------------
// closing, suppress, nullcontext

function createClosing(it: Interpreter): PyType {
    return pyClass(it, 'closing', null, {
        __init__: (self, args) => {
            arity(it, 'closing', args, 1, 1);
            setAttr(it, self, 'thing', args[0]);
            return it.None;
        },
        __enter__: (self) => attr(it, self, 'thing'),
        __exit__: (self) => {
            const thing = attr(it, self, 'thing');
            try {
                const close = attr(it, thing, 'close');
                try {
                    it.decref(call(it, close, [], null));
                } finally {
                    it.decref(close);
                }
            } finally {
                it.decref(thing);
            }
            return it.None;
        },
    });
}

function createSuppress(it: Interpreter): PyType {
    return pyClass(it, 'suppress', null, {
        __init__: (self, args) => {
            const t = it.tuple(args.map((x) => it.incref(x)));
            setAttr(it, self, '_exceptions', t);
            it.decref(t);
            return it.None;
        },
        __enter__: () => it.None,
        __exit__: (self, args) => {
            arity(it, '__exit__', args, 3, 3);
            const exctype = args[0];
            if (exctype === it.None) return it.profile.minor >= 12 || it.profile.major === 2 ? it.None : it.False;
            const exceptions = attr(it, self, '_exceptions');
            try {
                if (isSubclassOf(it, exctype, exceptions)) return it.True;
                if (it.profile.minor >= 12 && it.T.BaseExceptionGroup && exctype instanceof PyType && exctype.isSubtypeOf(it.T.BaseExceptionGroup)) {
                    throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: contextlib.suppress of an exception group', line: it.line, col: it.col });
                }
                return it.False;
            } finally {
                it.decref(exceptions);
            }
        },
    });
}

/** nullcontext(enter_result=None) (3.7+): `enter_result` in the instance dict, given back by `__enter__`. */
function createNullcontext(it: Interpreter): PyType {
    return pyClass(it, 'nullcontext', null, {
        __init__: (self, args, kwargs) => {
            arity(it, '__init__', args, 0, 1);
            setAttr(it, self, 'enter_result', args[0] ?? kwargs?.get('enter_result') ?? it.None);
            return it.None;
        },
        __enter__: (self) => attr(it, self, 'enter_result'),
        __exit__: () => it.None,
    });
}

/**
 * redirect_stdout / redirect_stderr (_RedirectStream): `_new_target` and a list `_old_targets`
 * in the instance dict (a list, so the manager is re-entrant); `__enter__` pushes the current
 * `sys.<stream>` on it and binds the new target there, `__exit__` pops it back.
 */
function createRedirect(it: Interpreter, name: string, stream: string): PyType {
    const sys = (): PyObject => it.sysModule;
    const t = pyClass(it, name, null, {
        __init__: (self, args) => {
            arity(it, '__init__', args, 1, 1);
            setAttr(it, self, '_new_target', args[0]);
            const olds = it.list([]);
            setAttr(it, self, '_old_targets', olds);
            it.decref(olds);
            return it.None;
        },
        __enter__: (self) => {
            const olds = attr(it, self, '_old_targets');
            try {
                const cur = getAttr(it, sys(), stream);
                try {
                    it.decref(callMethod(it, olds, 'append', [cur]));
                } finally {
                    it.decref(cur);
                }
            } finally {
                it.decref(olds);
            }
            const target = attr(it, self, '_new_target');
            setAttr(it, sys(), stream, target);
            return target;
        },
        __exit__: (self) => {
            const olds = attr(it, self, '_old_targets');
            try {
                const old = callMethod(it, olds, 'pop', []);
                try {
                    setAttr(it, sys(), stream, old);
                } finally {
                    it.decref(old);
                }
            } finally {
                it.decref(olds);
            }
            return it.None;
        },
    });
    t.dict.set(it.heap, it.str('_stream'), it.str(stream));
    return t;
}

/** `o.name(*args)`: a new reference to the result. */
function callMethod(it: Interpreter, o: PyObject, name: string, args: PyObject[]): PyObject {
    const m = getAttr(it, o, name);
    try {
        return call(it, m, args, null);
    } finally {
        it.decref(m);
    }
}

// ------------------------------------------------------------------------------------------------
// ExitStack

function createExitStack(it: Interpreter, deque: PyType): PyType {
    const st = it.moduleState.get('contextlib') as ContextlibState;
    const callbacks = (self: PyObject): PyObject => attr(it, self, '_exit_callbacks');
    const pushCallback = (self: PyObject, cb: PyObject): void => {
        const dq = callbacks(self);
        try {
            const append = attr(it, dq, 'append');
            const entry = it.tuple([it.True, it.incref(cb)]);
            try {
                it.decref(call(it, append, [entry], null));
            } finally {
                it.decref(entry);
                it.decref(append);
            }
        } finally {
            it.decref(dq);
        }
    };
    const newDeque = (): PyObject => call(it, deque, [], null);
    /**
     * ExitStack._fix_exception_context: walk the new exception's context chain to the exception
     * `__exit__` was called for (`frameExc`) and put the previous callback's exception (`old`) in
     * its place (None after a suppressing callback); a chain that already reaches `old` stays. (No
     * context at all: `old` becomes it.)
     */
    const fixExceptionContext = (newExc: PyException, old: PyException | null, frameExc: PyObject): void => {
        let n = newExc;
        for (;;) {
            const c = n.context;
            if (c === null) {
                if (n !== newExc || old === null) return;
                break;
            }
            if (c === old) return;
            if (c === frameExc) break;
            if (!(c instanceof PyException)) return;
            n = c;
        }
        const replaced = n.context;
        n.context = old;
        if (old) it.heap.acquire(n, old, '__context__');
        if (replaced) it.heap.release(n, replaced, '__context__');
    };
    const exitImpl = (self: PyObject, excDetails: PyObject[]): PyObject => {
        const received = excDetails[0] !== it.None;
        const frameExc = excDetails[1];
        let details = excDetails.map((x) => it.incref(x));
        let suppressed = false;
        let pendingRaise: PyRaise | null = null;
        const dq = callbacks(self);
        try {
            const pop = attr(it, dq, 'pop');
            try {
                while (truthy(it, dq)) {
                    const entry = call(it, pop, [], null) as PyTuple;
                    const cb = it.incref(entry.items[1]);
                    it.decref(entry);
                    try {
                        const r = call(it, cb, details, null);
                        const t = truthy(it, r);
                        it.decref(r);
                        if (t) {
                            suppressed = true;
                            pendingRaise = null;
                            for (const x of details) it.decref(x);
                            details = [it.None, it.None, it.None];
                        }
                    } catch (e) {
                        if (!(e instanceof PyRaise)) throw e;
                        // _fix_exception_context: the new exception's context is the one being handled.
                        const old = details[1];
                        if (e.exc !== old) fixExceptionContext(e.exc, old instanceof PyException ? old : null, frameExc);
                        for (const x of details) it.decref(x);
                        details = [it.incref(e.exc.type), it.incref(e.exc), e.exc.traceback ? it.incref(e.exc.traceback) : it.None];
                        if (pendingRaise) dropRaise(it, pendingRaise);
                        pendingRaise = e;
                        suppressed = false;
                    } finally {
                        it.decref(cb);
                    }
                }
            } finally {
                it.decref(pop);
            }
        } finally {
            it.decref(dq);
            for (const x of details) it.decref(x);
        }
        if (pendingRaise) throw pendingRaise;
        return it.bool(received && suppressed);
    };
    const t: PyType = pyClass(it, 'ExitStack', null, {
        __init__: (self) => {
            const dq = newDeque();
            setAttr(it, self, '_exit_callbacks', dq);
            it.decref(dq);
            return it.None;
        },
        __enter__: (self) => it.incref(self),
        __exit__: (self, args) => exitImpl(self, args),
        close: (self) => {
            it.decref(exitImpl(self, [it.None, it.None, it.None]));
            return it.None;
        },
        pop_all: (self) => {
            const fresh = call(it, t, [], null);
            const dq = callbacks(self);
            setAttr(it, fresh, '_exit_callbacks', dq);
            it.decref(dq);
            const empty = newDeque();
            setAttr(it, self, '_exit_callbacks', empty);
            it.decref(empty);
            return fresh;
        },
        push: (self, args) => {
            arity(it, 'push', args, 1, 1);
            const exit = args[0];
            const m = exit.type.lookup('__exit__');
            if (m === null) pushCallback(self, exit);
            else {
                const bound = newBoundMethod(it, m, exit);
                pushCallback(self, bound);
                it.decref(bound);
            }
            return it.incref(exit);
        },
        enter_context: (self, args) => {
            arity(it, 'enter_context', args, 1, 1);
            const cm = args[0];
            const exit = cm.type.lookup('__exit__');
            const enter = cm.type.lookup('__enter__');
            if (exit === null || enter === null) {
                const what = `'${cm.type.module === '__main__' || cm.type.module === 'builtins' ? '' : cm.type.module + '.'}${cm.type.qualname}' object does not support the context manager protocol`;
                if (it.profile.minor >= 11) throw it.error('TypeError', what);
                throw it.error('AttributeError', enter === null ? '__enter__' : '__exit__');
            }
            const result = call(it, enter, [cm], null);
            const bound = newBoundMethod(it, exit, cm);
            pushCallback(self, bound);
            it.decref(bound);
            return result;
        },
        callback: (self, args, kwargs) => {
            if (!args.length) throw it.error('TypeError', "ExitStack.callback() missing 1 required positional argument: 'callback'");
            const [fn, ...rest] = args;
            // _create_cb_wrapper: a closure over callback, args and kwds.
            const kw = it.dict();
            if (kwargs) for (const [k, v] of kwargs) kw.set(it.heap, it.str(k), v);
            const cell = (name: string, v: PyObject): PyCell => {
                const c = it.heap.register(new PyCell(it.T.cell, v, name));
                it.heap.adopt(c, v, name);
                return c;
            };
            // The closure's cells in co_freevars order: args, callback, kwds.
            const closure = it.tuple([cell('args', it.tuple(rest.map((x) => it.incref(x)))), cell('callback', it.incref(fn)), cell('kwds', kw)]);
            const wrapper = it.heap.register(
                new PyBuiltin(
                    st.functionType,
                    '_exit_wrapper',
                    (cl) => {
                        const [a, f, k] = (cl as PyTuple).items.map((c) => (c as PyCell).ref!);
                        const kws: KwArgs = (k as PyDict).size ? new Map(Array.from((k as PyDict).entries(), (e) => [(e.k as PyStr).v, e.v] as [string, PyObject])) : null;
                        it.decref(call(it, f, (a as PyTuple).items, kws));
                        return it.None;
                    },
                    closure,
                    false,
                ),
            );
            it.heap.adopt(wrapper, closure, '__closure__');
            pushCallback(self, wrapper);
            it.decref(wrapper);
            return it.incref(fn);
        },
    });
    return t;
}

// ------------------------------------------------------------------------------------------------
// the module

export function createContextlibModule(it: Interpreter): PyModule {
    // `from collections import deque` (and functools): they join sys.modules first, as in CPython.
    // (2.7's contextlib imports only functools among these.)
    const at = { line: it.line, col: it.col, endLine: it.line, endCol: it.col };
    let deque: PyType | null = null;
    if (it.profile.stdlib.exitStack) {
        const collections = importModule(it, 'collections', at);
        deque = collections.dict.getStr('deque') as PyType;
        it.decref(collections);
    }
    it.decref(importModule(it, 'functools', at));
    const m = it.newModule('contextlib');
    it.moduleState.set('contextlib', { functionType: pyFunctionType(it) } satisfies ContextlibState);
    const gcm = createGeneratorCM(it);
    m.dict.set(it.heap, it.str('_GeneratorContextManager'), gcm);
    setModuleAttr(
        it,
        m,
        'contextmanager',
        it.builtin('contextmanager', (_s, args) => {
            arity(it, 'contextmanager', args, 1, 1);
            return contextmanager(it, gcm, args[0]);
        }),
    );
    m.dict.set(it.heap, it.str('closing'), createClosing(it));
    if (it.profile.stdlib.exitStack) {
        m.dict.set(it.heap, it.str('suppress'), createSuppress(it));
        m.dict.set(it.heap, it.str('ExitStack'), createExitStack(it, deque!));
    }
    // Classes added after 2.7, present where the profile's contextlib has them (recorded names).
    if (recordedIn(it, 'contextlib', 'nullcontext')) m.dict.set(it.heap, it.str('nullcontext'), createNullcontext(it));
    if (recordedIn(it, 'contextlib', 'redirect_stdout')) m.dict.set(it.heap, it.str('redirect_stdout'), createRedirect(it, 'redirect_stdout', 'stdout'));
    if (recordedIn(it, 'contextlib', 'redirect_stderr')) m.dict.set(it.heap, it.str('redirect_stderr'), createRedirect(it, 'redirect_stderr', 'stderr'));
    return m;
}
