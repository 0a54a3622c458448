/*
 * calls.ts
 *
 * Calling: Python functions (frames, argument binding, frame release at return), built-ins,
 * bound methods and classes (type_call: __new__ then __init__).
 *
 * Argument references: ≤3.10 the caller keeps its stack references and the callee frame takes new
 * ones (released by frame_dealloc, then the caller pops its own: "z y x b a"); 3.11+ the callee
 * frame steals them ("a b z y x"). `callOwned` is the 3.11+ entry for a CALL whose arguments come
 * straight off the value stack.
 */

import { msg, errorType } from '../messages';
import { PyObject, ObjFlag } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyTuple, PyDict } from '../runtime/containers';
import { PyInstance, PyException } from '../runtime/instances';
import { PyFunction, PyBuiltin, PyMethod, PyCell, PyMethodWrapper, type KwArgs } from '../runtime/callables';
import { FrameData, PyFrameObject, PyTraceback } from '../runtime/frames';
import { Frame } from './frame';
import { EventKind } from '../events';
import type { Interpreter } from './interpreter';
import { CodeInfo } from './code';
import { PyRaise, Flow, EngineStop, ProcessExit } from './signals';
import { blockFns, runBlock, type StmtFn } from './exec';
import { lookupSpecial } from './attrs';
import { constructBuiltin } from '../builtins/methods';
import { exceptionNew } from '../builtins/exceptions';
import { makeGenerator } from './genobject';
import { callClass, typeCall, callWithSelf } from './typeobject';
import { beginTpCall, endTpCall } from './callTemporaries';

export function call(it: Interpreter, callable: PyObject, args: PyObject[], kwargs: KwArgs): PyObject {
    if (callable instanceof PyFunction) return callFunction(it, callable, args, false, kwargs);
    if (callable instanceof PyBuiltin) return callBuiltin(it, callable, args, kwargs);
    if (callable instanceof PyMethod) {
        const func = callable.func!;
        // A Python function gets `self` bound as its first argument without building [self, ...args].
        if (func instanceof PyFunction) return callFunctionSelf(it, func, callable.self!, args, false, kwargs);
        const full = [callable.self!, ...args];
        return call(it, func, full, kwargs);
    }
    if (callable instanceof PyType) return callType(it, callable, args, kwargs);
    const dunder = lookupSpecial(it, callable, '__call__');
    if (dunder && !(dunder instanceof PyBuiltin && dunder.slotWrapper)) {
        if (!(dunder instanceof PyFunction) || !callable.type.isHeap) return callWithSelf(it, dunder, callable, args, kwargs);
        // An instance of a class defining __call__: its type has no vectorcall, so the call goes
        // through _PyObject_MakeTpCall (interp/callTemporaries.ts) to slot_tp_call.
        const nargs = args.length;
        const nkw = kwargs?.size ?? 0;
        beginTpCall(it, nargs, nkw);
        try {
            return callWithSelf(it, dunder, callable, args, kwargs);
        } finally {
            endTpCall(it, nargs, nkw);
        }
    }
    throw it.error('TypeError', `'${callable.type.name}' object is not callable`);
}

/** 3.11+ CALL with arguments moved off the value stack (the references are consumed). */
export function callOwned(it: Interpreter, callable: PyObject, args: PyObject[], kwargs: KwArgs): PyObject {
    if (callable instanceof PyFunction) return callFunction(it, callable, args, true, kwargs);
    try {
        return call(it, callable, args, kwargs);
    } finally {
        // CALL frees the arguments front to back after a non-Python call.
        for (let i = 0; i < args.length; i++) it.decref(args[i]);
    }
}

function callBuiltin(it: Interpreter, fn: PyBuiltin, args: PyObject[], kwargs: KwArgs): PyObject {
    if (fn.isMethodDescriptor && !fn.self) {
        // An unbound method descriptor (`list.append(l, x)`, `object.__init__(self)`): first argument is self.
        if (!args.length) throw it.error('TypeError', `unbound method ${fn.ownerName ?? ''}.${fn.name}() needs an argument`);
        return fn.impl(args[0], args.slice(1), kwargs);
    }
    return fn.impl(fn.self, args, kwargs);
}

/**
 * `T(...)`: type_call runs __new__, then __init__ if the result is an instance of the class. A
 * class has no vectorcall: the call goes through _PyObject_MakeTpCall (interp/callTemporaries.ts).
 */
export function callType(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    if (!t.isHeap) return constructBuiltin(it, t, args, kwargs);
    // (viaTpCall's bracket written out: a closure per class call was a tenth of the run's allocations.)
    const nargs = args.length;
    const nkw = kwargs?.size ?? 0;
    beginTpCall(it, nargs, nkw);
    try {
        if (t.type.isHeap) return callClass(it, t, args, kwargs);
        const plain = plainInit(it, t);
        if (plain !== null) return runInit(it, it.plainInstance(t), plain, args, kwargs);
        return typeCall(it, t, args, kwargs);
    } finally {
        endTpCall(it, nargs, nkw);
    }
}

/**
 * The Python `__init__` when `t(...)` is only "a plain instance, then its `__init__`" (no Python
 * `__new__`, not an exception class, no `__slots__`), else null. Cached on the class while its
 * lookups are unchanged: the lookups and MRO walks it saves were a measurable part of every
 * instance creation.
 */
function plainInit(it: Interpreter, t: PyType): PyFunction | null {
    const epoch = t.lookupEpoch();
    if (t.plainInitEpoch !== epoch) {
        t.plainInit = findPlainInit(it, t);
        t.plainInitEpoch = epoch;
    }
    return t.plainInit as PyFunction | null;
}

function findPlainInit(it: Interpreter, t: PyType): PyFunction | null {
    const newFn = t.lookup('__new__');
    if (newFn !== null && newFn !== it.T.object.dict.getStr('__new__')) return null;
    if (t.builtinBase !== null || t.isSubtypeOf(it.T.BaseException) || hasSlots(t)) return null;
    const init = t.lookup('__init__');
    return init instanceof PyFunction ? init : null;
}

/** type_call's `__init__` call on the new instance `obj` (a new reference, dropped on failure); returns `obj`. */
function runInit(it: Interpreter, obj: PyObject, init: PyFunction, args: PyObject[], kwargs: KwArgs): PyObject {
    let r: PyObject;
    try {
        r = callFunctionSelf(it, init, obj, args, false, kwargs);
    } catch (e) {
        it.decref(obj);
        throw e;
    }
    if (r !== it.None) {
        it.decref(r);
        it.decref(obj);
        throw it.error('TypeError', `__init__() should return None, not '${r.type.name}'`);
    }
    return obj;
}

// ------------------------------------------------------------------------------------------------
// Python functions

export function callFunction(it: Interpreter, fn: PyFunction, args: PyObject[], owned: boolean, kwargs: KwArgs): PyObject {
    return callFunctionSelf(it, fn, null, args, owned, kwargs);
}

/**
 * `callFunction(it, fn, [self, ...args], owned, kwargs)` without building that array (bound
 * methods, `__init__` from type_call, special methods): `self`, when not null, is bound as the
 * first argument.
 */
export function callFunctionSelf(it: Interpreter, fn: PyFunction, self: PyObject | null, args: PyObject[], owned: boolean, kwargs: KwArgs): PyObject {
    const code = fn.code as CodeInfo;
    const frame = newFrame(it, code, fn);
    try {
        bindArguments(it, fn, code, frame, self, args, owned, kwargs);
    } catch (e) {
        releaseFrame(it, frame);
        throw e;
    }
    // A generator function's call answers the generator, which owns the frame (genobject.ts).
    if (code.isGenerator) return makeGenerator(it, code, frame, fn);
    return runFrame(it, code, frame);
}

/** Does any class of `t`'s MRO declare `__slots__`? (A loop: no closure per instance created.) */
export function hasSlots(t: PyType): boolean {
    const mro = t.mro;
    for (let i = 0; i < mro.length; i++) if (mro[i].slotNames) return true;
    return false;
}

export function newFrame(it: Interpreter, code: CodeInfo, fn: PyFunction | null): Frame {
    const globals = fn?.globals ?? it.mainModule.dict;
    const frame = new Frame(code, globals, it.frame);
    // ≤3.10 a generator's frame is its frame object from the start (the generator owns it): the
    // object is the frame's node in the log. Every other frame is a node of its own.
    const objectNode = code.isGenerator && it.profile.frameObjectPerCall;
    if (!objectNode) frame.nodeId = it.heap.newId();
    // 3.11+ frames own a reference to their function (f_funcobj); ≤3.10 frames do not.
    if (fn && it.profile.argsStolenIntoFrame) frame.func = it.incref(fn);
    if (it.profile.frameObjectPerCall) {
        const fo = materializeFrame(it, frame);
        if (objectNode) {
            frame.nodeId = fo.id;
            return frame;
        }
    }
    // b: 1 for a generator's frame, which is on the thread's stack only while resumed (GenResume).
    it.log.push(EventKind.FrameEnter, it.step, it.line, it.col, frame.nodeId, code.isGenerator ? 1 : 0, code.qualname);
    return frame;
}

/**
 * _PyTraceBack_FromFrame for PyErr_WriteUnraisable (3.8+): an exception reported without a
 * traceback gets the running frame's entry as its `__traceback__` (a frame object and a traceback
 * object, freed with the exception).
 */
export function tracebackFromFrame(it: Interpreter, exc: PyException): void {
    const frame = it.frame;
    if (!frame || exc.traceback) return;
    const fo = materializeFrame(it, frame);
    it.incref(fo);
    const tb = it.heap.register(new PyTraceback(it.T.traceback, null, fo, frame.line));
    tb.node = it.node;
    it.heap.adopt(tb, fo, 'tb_frame');
    exc.traceback = tb;
    it.heap.adopt(exc, tb, '__traceback__');
}

/** Gives a frame its frame object (a traceback needs one; ≤3.10 every call has one). */
export function materializeFrame(it: Interpreter, frame: FrameData): PyFrameObject {
    if (frame.frameObj) return frame.frameObj;
    const fo = new PyFrameObject(it.T.frame, frame);
    fo.codeKey = (frame as { code?: object }).code ?? null;
    fo.traversesOnlyOwnedFrame = !it.profile.frameObjectPerCall;
    // 3.8+: untracked while the frame runs (releaseFrame tracks it), except ≤3.10 a generator's.
    const p = it.profile;
    it.heap.register(fo, !p.runningFrameUntracked || (p.frameObjectPerCall && (frame as { code?: CodeInfo }).code?.isGenerator === true), !frame.objectPreallocated);
    frame.frameObj = fo;
    if (it.profile.frameObjectPerCall && frame.back?.frameObj) {
        fo.back = it.incref(frame.back.frameObj);
    }
    return fo;
}

function storeLocal(it: Interpreter, frame: Frame, slot: number, v: PyObject, owned: boolean): void {
    if (!owned) it.heap.incref(v);
    frame.locals[slot] = v;
    it.heap.edgeFrom(EventKind.RefAdd, frame.nodeId, v, frame.names[slot]);
}

/** `f()` as argument errors name the callee (built only when one is raised). */
function calleeName(it: Interpreter, fn: PyFunction): string {
    return `${it.profile.argErrorsNameQualname ? fn.qualname : fn.name}()`;
}

/**
 * initialize_locals: positional, *args, keywords, **kwargs, then defaults for what is missing.
 * The positional arguments are `first` (when not null) followed by `args`.
 */
export function bindArguments(
    it: Interpreter,
    fn: PyFunction,
    code: CodeInfo,
    frame: Frame,
    first: PyObject | null,
    args: PyObject[],
    owned: boolean,
    kwargs: KwArgs,
): void {
    const p = code.params;
    const npos = p.positional.length;
    if (first !== null && (p.varargName !== null || args.length + 1 > npos)) {
        // *args or too many arguments: those paths index one argument array, so build it.
        args = [first, ...args];
        first = null;
    }
    // Here `first` (if any) is bound to positional parameter 0 (npos > 0), args[i] to i + skip.
    const skip = first !== null ? 1 : 0;
    const nargs = args.length + skip;
    const nkw = kwargs ? kwargs.size : 0;
    if (npos === 0 && p.varargName === null && p.kwargName === null && p.kwOnly.length === 0 && nargs + nkw > 0) {
        const m = msg(it.profile, 'functionTakesNoArguments', calleeName(it, fn), nargs + nkw);
        if (m) {
            if (owned) {
                for (const a of args) it.decref(a);
                if (kwargs) for (const v of kwargs.values()) it.decref(v);
            }
            throw it.error('TypeError', m);
        }
    }
    if (first !== null) storeLocal(it, frame, 0, first, owned);
    for (let i = skip; i < nargs && i < npos; i++) storeLocal(it, frame, i, args[i - skip], owned);
    if (p.varargName !== null) {
        const extra = args.slice(npos);
        if (!owned) for (const a of extra) it.heap.incref(a);
        storeLocal(it, frame, code.paramSlot(p.varargName), it.tuple(extra), true);
    }
    const tooMany = p.varargName === null && nargs > npos;
    const tooManyError = (): PyRaise => {
        if (owned) for (let i = npos; i < nargs; i++) it.decref(args[i - skip]);
        const given = nargs;
        const takes = npos;
        const defs = fn.defaults?.items.length ?? 0;
        const range = defs ? `from ${takes - defs} to ${takes}` : `${takes}`;
        return it.error('TypeError', msg(it.profile, 'tooManyPositional', calleeName(it, fn), range, given, takes, defs ? 1 : 0, takes === 1 && !defs ? 0 : 1, nkw));
    };
    if (tooMany && it.profile.positionalCountBeforeKeywords) throw tooManyError();
    let kwdict: PyDict | null = null;
    if (p.kwargName !== null) {
        kwdict = it.dict();
        storeLocal(it, frame, code.paramSlot(p.kwargName), kwdict, true);
    }
    if (kwargs) {
        // With `owned`, the keyword values' references are consumed too (3.11+ CALL_KW steals them).
        const pending = owned ? new Set(kwargs.values()) : null;
        try {
            for (const [name, v] of kwargs) {
                const pi = p.positional.indexOf(name);
                const isKwOnly = p.kwOnly.includes(name);
                if ((pi >= p.posOnlyCount && pi >= 0) || isKwOnly) {
                    const slot = code.paramSlot(name);
                    if (frame.locals[slot]) throw it.error('TypeError', `${calleeName(it, fn)} got multiple values for argument '${name}'`);
                    storeLocal(it, frame, slot, v, owned);
                } else if (kwdict) {
                    kwdict.set(it.heap, it.str(name), v);
                    if (owned) it.decref(v);
                } else {
                    throw it.error('TypeError', `${calleeName(it, fn)} got an unexpected keyword argument '${name}'`);
                }
                pending?.delete(v);
            }
        } catch (e) {
            if (pending) for (const v of pending) it.decref(v);
            // 3.x: the positional arguments past the parameters were never bound.
            if (tooMany && owned) for (let i = npos; i < nargs; i++) it.decref(args[i - skip]);
            throw e;
        }
    }
    if (tooMany) throw tooManyError();
    // Defaults fill what is still missing.
    let missing: string[] | null = null;
    if (nargs < npos) {
        const defaults = fn.defaults?.items ?? [];
        const firstDefault = npos - defaults.length;
        for (let i = nargs; i < npos; i++) {
            if (frame.locals[i]) continue;
            if (i >= firstDefault) storeLocal(it, frame, i, defaults[i - firstDefault], false);
            else (missing ??= []).push(p.positional[i]);
        }
    }
    if (missing) {
        const names = missing.map((m) => `'${m}'`);
        const list = names.length === 1 ? names[0] : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
        const takes = npos - (fn.defaults?.items.length ?? 0);
        throw it.error('TypeError', msg(it.profile, 'missingPositional', calleeName(it, fn), missing.length, list, takes, nargs + (kwargs?.size ?? 0)));
    }
    let kwMissing: string[] | null = null;
    for (let i = 0; i < p.kwOnly.length; i++) {
        const k = p.kwOnly[i];
        const slot = code.paramSlot(k);
        if (frame.locals[slot]) continue;
        const d = fn.kwdefaults?.getStr(k);
        if (d) storeLocal(it, frame, slot, d, false);
        else (kwMissing ??= []).push(k);
    }
    if (kwMissing) {
        throw it.error('TypeError', `${calleeName(it, fn)} missing ${kwMissing.length} required keyword-only argument${kwMissing.length > 1 ? 's' : ''}: ${kwMissing.map((m) => `'${m}'`).join(' and ')}`);
    }
    // Cells: MAKE_CELL (3.11+ in place) or ≤3.10 cells with arguments moved in; then the closure's free vars.
    makeCells(it, code, frame);
    bindClosure(it, fn, code, frame);
}

/** COPY_FREE_VARS: the function's closure cells into the frame's free-variable slots. */
export function bindClosure(it: Interpreter, fn: PyFunction, code: CodeInfo, frame: Frame): void {
    if (!fn.closure) return;
    const cells = fn.closure.items;
    for (let i = 0; i < code.freeSlots.length; i++) storeLocal(it, frame, code.freeSlots[i], cells[i], false);
}

export function makeCells(it: Interpreter, code: CodeInfo, frame: Frame): void {
    if (!code.cellSlots.length) return;
    const argCell = code.argSlotOfCell;
    for (const slot of code.cellSlots) {
        let initial: PyObject | null = null;
        if (it.profile.argsStolenIntoFrame) {
            initial = frame.locals[slot];
        } else {
            const argSlot = argCell.get(slot);
            if (argSlot !== undefined) {
                initial = frame.locals[argSlot];
                frame.locals[argSlot] = null;
            }
        }
        const cell = it.heap.register(new PyCell(it.T.cell, initial, frame.names[slot]));
        if (initial) it.heap.adopt(cell, initial, frame.names[slot]);
        frame.locals[slot] = cell;
    }
}

/** Runs a frame's code to completion and releases the frame; returns the return value (new reference). */
export function runFrame(it: Interpreter, code: CodeInfo, frame: Frame): PyObject {
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
    try {
        if (frame.compBody) {
            ret = frame.compBody();
        } else {
            it.evalBreaker();
            const flow = runBlock(it, frame, bodyFnsOf(code));
            if (flow === Flow.Return) ret = frame.retval ?? it.None;
        }
    } catch (e) {
        if (e instanceof PyRaise) {
            addTraceback(it, e, frame);
            unwindStack(it, frame, 0);
        } else if (it.faultLine === 0 && !(e instanceof EngineStop) && !(e instanceof ProcessExit)) {
            // A JavaScript error: remember where (no allocation here, the stack may be exhausted).
            it.faultLine = it.line || 1;
            it.faultCol = it.col || 1;
        }
        it.depth--;
        it.frame = saved;
        restoreHandled(it, handledDepth);
        releaseFrame(it, frame);
        it.line = savedLine;
        it.col = savedCol;
        it.node = savedNode;
        throw e;
    }
    it.depth--;
    it.frame = saved;
    restoreHandled(it, handledDepth);
    releaseFrame(it, frame);
    it.line = savedLine;
    it.col = savedCol;
    it.node = savedNode;
    return ret;
}

/** The code's body, compiled once per code object (a lambda's is one `return` statement). */
function bodyFnsOf(code: CodeInfo): StmtFn[] {
    let fns = code.bodyFns;
    if (fns === null) fns = code.bodyFns = blockFns(bodyOf(code));
    return fns;
}

export function bodyOf(code: CodeInfo): import('../parser/ast').Stmt[] {
    const n = code.node;
    if (n.kind === 'Lambda') {
        const ret: import('../parser/ast').Return = { kind: 'Return', value: n.body, line: n.body.line, col: n.body.col, endLine: n.body.endLine, endCol: n.body.endCol };
        return [ret];
    }
    if (n.kind === 'FunctionDef' || n.kind === 'ClassDef' || n.kind === 'Module') return n.body;
    throw new Error('internal: comprehension bodies are run by eval');
}

/** Exceptions being handled when a frame exits are dropped (2.7 keeps the last one until return). */
export function restoreHandled(it: Interpreter, depth: number): void {
    while (it.handled.length > depth) it.popHandled();
}

/** Pops the value stack down to `depth`, releasing top-down (exception unwinding). */
export function unwindStack(it: Interpreter, frame: FrameData, depth: number): void {
    const st = frame.stack;
    while (st.length > depth) it.decref(st.pop()!);
}

/** PyTraceBack_Here: adds this frame to the exception's traceback, once per frame per raise. */
export function addTraceback(it: Interpreter, r: PyRaise, frame: FrameData): void {
    const marker = r as { tbFrame?: FrameData };
    if (marker.tbFrame === frame) return;
    marker.tbFrame = frame;
    const exc = r.exc;
    const fo = materializeFrame(it, frame);
    it.incref(fo);
    // 3.x keeps the traceback on the exception (__traceback__); 2.7 in the thread state.
    const onExc = it.profile.exceptionHasTraceback;
    const prev = (onExc ? exc.traceback : r.tb) as PyTraceback | null;
    const tb = it.heap.register(new PyTraceback(it.T.traceback, prev, fo, frame.line));
    tb.node = it.node;
    it.heap.adopt(tb, fo, 'tb_frame');
    if (prev) {
        if (onExc) it.heap.forget(exc, prev, '__traceback__');
        it.heap.adopt(tb, prev, 'tb_next');
    }
    if (onExc) {
        exc.traceback = tb;
        it.heap.adopt(exc, tb, '__traceback__');
    } else {
        r.tb = tb;
    }
}

/**
 * Frame exit. A frame object still referenced elsewhere (a traceback) takes the locals over
 * (3.11+ take_ownership; ≤3.10 the frame object *is* the frame). Otherwise the locals are released
 * front to back, then the stack, then (3.11+) f_locals and the function.
 */
export function releaseFrame(it: Interpreter, frame: FrameData): void {
    if (frame.finished) return;
    frame.finished = true;
    const nodeId = frame.nodeId;
    it.log.push(EventKind.FrameExit, it.step, it.line, it.col, nodeId, 0, null);
    const fo = frame.frameObj;
    if (fo) {
        if (it.profile.frameObjectPerCall || fo.rc > 1) {
            // The frame object owns the locals from now on; when something else keeps it (a
            // traceback), the log says so: the frame node's references end here, the frame
            // object's start (the report's chains go saved → __traceback__ → tb_frame → local).
            // ≤3.10 after the eval loop, 3.11+ take_ownership: a frame object something still
            // holds is tracked now, at the end of generation 0.
            if (fo.rc > 1) it.heap.track(fo);
            if (fo.rc > 1 && it.heap.recordEdges) {
                const { locals, names } = frame;
                for (let i = 0; i < locals.length; i++) {
                    const v = locals[i];
                    if (v) it.heap.adopt(fo, v, names[i] ?? `.${i}`);
                }
            }
            frame.frameObj = null;
            it.decref(fo);
            return;
        }
        frame.frameObj = null;
        fo.data = new FrameData(frame.name, [], frame.globals, null, frame.filename);
        it.decref(fo);
    }
    releaseFastLocals(it, frame);
    unwindStack(it, frame, 0);
    releaseFrameRefs(it, frame);
}

/** After the locals: f_locals, then (3.11+) the function the frame references. */
export function releaseFrameRefs(it: Interpreter, frame: FrameData): void {
    const ld = frame.localsDict;
    if (ld) {
        frame.localsDict = null;
        it.decref(ld);
    }
    const fn = frame.func;
    frame.func = null;
    if (fn) it.decref(fn);
}

/** The frame's fast locals, front to back (frame_dealloc, _PyFrame_ClearLocals). */
export function releaseFastLocals(it: Interpreter, frame: FrameData): void {
    const names = frame.names;
    const nodeId = frame.nodeId;
    for (let i = 0; i < frame.locals.length; i++) {
        const v = frame.locals[i];
        if (v) {
            frame.locals[i] = null;
            it.heap.edgeFrom(EventKind.RefDel, nodeId, v, names[i]);
            it.decref(v);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Helpers used across the interpreter

/**
 * Calls `obj.name(*args)` looked up on the type (special method lookup); null when absent or when
 * it is a built-in type's own slot wrapper (the caller's native path is that slot; see slots.ts).
 */
export function callSpecial(it: Interpreter, obj: PyObject, name: string, args: PyObject[]): PyObject | null {
    const m = lookupSpecial(it, obj, name);
    if (!m || (m instanceof PyBuiltin && m.slotWrapper)) return null;
    return callBound(it, m, obj, args);
}

/** Calls a function found on the type with `self` prepended (no bound-method allocation). */
export function callBound(it: Interpreter, m: PyObject, self: PyObject, args: PyObject[]): PyObject {
    if (m instanceof PyFunction) return callFunctionSelf(it, m, self, args, false, null);
    if (m instanceof PyBuiltin && m.isMethodDescriptor) return m.impl(self, args, null);
    if (m instanceof PyMethodWrapper) {
        if (m.isClassMethod) return call(it, m.func!, [self.type, ...args], null);
        return call(it, m.func!, args, null);
    }
    return call(it, m, args, null);
}

export function isException(it: Interpreter, o: PyObject): o is PyException {
    return o instanceof PyException;
}

export function asTuple(o: PyObject): PyTuple | null {
    return o instanceof PyTuple ? o : null;
}

export { PyInstance };
