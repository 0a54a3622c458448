/*
 * threadcall.ts
 *
 * The calls a thread other than the main one makes, run resumably (the design is resumable.ts's):
 * a thread's whole Python stack must be able to stop where it blocks (a lock's acquire, a queue's
 * get, join, sleep) and go on later, as CPython's thread does when it releases the GIL in a
 * blocking call. Each Python frame of the thread is one JS generator (its body compiled in the
 * thread mode, where every call is a possible suspension point); a blocking built-in yields to the
 * scheduler (scheduler.ts) until what it waits for is there.
 *
 * The reference discipline is finishCall's and runFrame's (eval.ts, calls.ts), step by step, so a
 * thread's frames release what they hold in the same order as the main thread's. What runs
 * synchronously inside a thread (a finalizer, a callback from a built-in, a *args call) cannot
 * block: if it has to, the run stops with "not supported" (scheduler.ts blockSync).
 */

import { PyObject } from '../runtime/object';
import { PyFunction, PyBuiltin, PyMethod, type KwArgs } from '../runtime/callables';
import type * as ast from '../parser/ast';
import type { Interpreter } from '../interp/interpreter';
import type { Frame } from '../interp/frame';
import type { CodeInfo } from '../interp/code';
import { PyRaise, Flow, EngineStop, ProcessExit } from '../interp/signals';
import { finishCall } from '../interp/eval';
import { newFrame, bindArguments, releaseFrame, addTraceback, unwindStack, restoreHandled, bodyOf, callBound, call } from '../interp/calls';
import { makeGenerator } from '../interp/genobject';
import { compileThreadBody, type Resumable, type RStmtFn } from '../interp/resumable';
import { withPrologue, withEnterFailed, withEntered, type WithExit } from '../interp/exec';
import { errorType } from '../messages';

interface ThreadBodyMemo {
    threadBody?: RStmtFn;
}

function threadBodyOf(code: CodeInfo): RStmtFn {
    const h = code as unknown as ThreadBodyMemo;
    return (h.threadBody ??= compileThreadBody(code, bodyOf(code)));
}

/** Would calling `fn` from a thread run anything resumably? (Else it is called synchronously.) */
function runsResumably(fn: PyObject): boolean {
    if (fn instanceof PyFunction) return !(fn.code as CodeInfo).isGenerator;
    if (fn instanceof PyMethod) return fn.func instanceof PyFunction && !(fn.func.code as CodeInfo).isGenerator;
    return fn instanceof PyBuiltin && fn.resumable !== null;
}

/** finishCall (eval.ts) for a thread: the callee at `f.stack[base]`, its arguments above it. */
export function* finishCallInThread(it: Interpreter, f: Frame, base: number, kwargs: KwArgs): Resumable<PyObject> {
    const fn = f.stack[base];
    if (!runsResumably(fn)) return finishCall(it, f, base, kwargs);
    const argStart = base + 1;
    const nPos = f.stack.length - argStart - (kwargs ? kwargs.size : 0);
    if (it.profile.argsStolenIntoFrame) {
        const moved = f.stack.splice(argStart);
        f.stack.pop();
        const pos = kwargs ? moved.slice(0, nPos) : moved;
        try {
            if (fn instanceof PyFunction) return yield* callFunctionInThread(it, fn, null, pos, true, kwargs);
            try {
                return yield* callInThread(it, fn, pos, kwargs);
            } finally {
                for (const a of moved) it.decref(a);
            }
        } finally {
            it.decref(fn);
        }
    }
    const args = f.stack.slice(argStart, argStart + nPos);
    let callee = fn;
    let heldFunc: PyObject | null = null;
    if (it.profile.boundMethodCallHoldsSelf && fn instanceof PyMethod && fn.self) {
        const self = it.incref(fn.self);
        heldFunc = it.incref(fn.func!);
        f.stack[base] = self;
        it.decref(fn);
        args.unshift(self);
        callee = heldFunc;
    }
    try {
        return yield* callInThread(it, callee, args, kwargs);
    } finally {
        const st = f.stack;
        while (st.length > base) it.decref(st.pop()!);
        if (heldFunc) it.decref(heldFunc);
    }
}

/** call() (calls.ts) for a thread: arguments borrowed. */
export function* callInThread(it: Interpreter, fn: PyObject, args: PyObject[], kwargs: KwArgs): Resumable<PyObject> {
    if (fn instanceof PyFunction && !(fn.code as CodeInfo).isGenerator) return yield* callFunctionInThread(it, fn, null, args, false, kwargs);
    if (fn instanceof PyMethod && fn.func instanceof PyFunction && !(fn.func.code as CodeInfo).isGenerator) {
        return yield* callFunctionInThread(it, fn.func, fn.self!, args, false, kwargs);
    }
    if (fn instanceof PyBuiltin && fn.resumable !== null) {
        if (fn.isMethodDescriptor && !fn.self) {
            if (!args.length) throw it.error('TypeError', `unbound method ${fn.ownerName ?? ''}.${fn.name}() needs an argument`);
            return yield* fn.resumable(args[0], args.slice(1), kwargs);
        }
        return yield* fn.resumable(fn.self, args, kwargs);
    }
    return call(it, fn, args, kwargs);
}

/** callFunctionSelf (calls.ts) for a thread. */
export function* callFunctionInThread(it: Interpreter, fn: PyFunction, self: PyObject | null, args: PyObject[], owned: boolean, kwargs: KwArgs): Resumable<PyObject> {
    const code = fn.code as CodeInfo;
    const frame = newFrame(it, code, fn);
    try {
        bindArguments(it, fn, code, frame, self, args, owned, kwargs);
    } catch (e) {
        releaseFrame(it, frame);
        throw e;
    }
    if (code.isGenerator) return makeGenerator(it, code, frame, fn);
    return yield* runFrameInThread(it, code, frame);
}

/**
 * runFrame (calls.ts) for a thread. While the thread is suspended the scheduler swaps the
 * interpreter's frame, depth and handled exceptions out and back in, so on return they are this
 * thread's again; a frozen daemon thread never returns, and its frames keep what they hold.
 */
function* runFrameInThread(it: Interpreter, code: CodeInfo, frame: Frame): Resumable<PyObject> {
    if (it.depth >= it.recursionLimit) {
        releaseFrame(it, frame);
        throw it.error(errorType(it.profile, 'recursion'), 'maximum recursion depth exceeded');
    }
    const saved = it.frame;
    const savedLine = it.line;
    const savedCol = it.col;
    const savedNode = it.node;
    it.frame = frame;
    it.depth++;
    const handledDepth = it.handled.length;
    let ret: PyObject = it.None;
    const leave = (): void => {
        it.depth--;
        it.frame = saved;
        restoreHandled(it, handledDepth);
        releaseFrame(it, frame);
        it.line = savedLine;
        it.col = savedCol;
        it.node = savedNode;
    };
    try {
        it.evalBreaker();
        const flow = yield* threadBodyOf(code)(it, frame);
        if (flow === Flow.Return) ret = frame.retval ?? it.None;
    } catch (e) {
        if (e instanceof PyRaise) {
            addTraceback(it, e, frame);
            unwindStack(it, frame, 0);
        } else if (it.faultLine === 0 && !(e instanceof EngineStop) && !(e instanceof ProcessExit)) {
            it.faultLine = it.line || 1;
            it.faultCol = it.col || 1;
        }
        leave();
        throw e;
    }
    leave();
    return ret;
}

/** beginWith (exec.ts) for a thread: `__enter__` may block (a lock's) or run Python code that may. */
export function* beginWithInThread(it: Interpreter, f: Frame, item: ast.WithItem): Resumable<WithExit> {
    const p = withPrologue(it, f, item);
    let res: PyObject;
    try {
        const e = p.enterFn;
        if (e instanceof PyFunction && !(e.code as CodeInfo).isGenerator) res = yield* callFunctionInThread(it, e, p.mgr, [], false, null);
        else if (e instanceof PyBuiltin && e.isMethodDescriptor && e.resumable !== null) res = yield* e.resumable(p.mgr, [], null);
        else res = callBound(it, e, p.mgr, []);
    } catch (e) {
        withEnterFailed(it, f, p);
        throw e;
    }
    return withEntered(it, f, item, p, res);
}
