/*
 * genobject.ts
 *
 * Generator objects, as CPython's Objects/genobject.c makes them: the object that owns a
 * suspended frame, `send` / `throw` / `close` / `__next__` (gen_send_ex, _gen_throw, gen_close,
 * gen_iternext), and their end of life (_PyGen_Finalize on 3.x, gen_del and
 * PyGen_NeedsFinalizing on 2.7, gen_dealloc). The frame itself is run resumably by
 * resumable.ts (the design of suspension is documented there).
 *
 * Ownership, per version (what the collector traverses and what the report draws):
 *   - ≤3.10 and 2.7: the generator owns a frame *object* (gi_frame), which owns the locals and the
 *     value stack; gen_dealloc drops gi_frame and frame_dealloc releases them (locals front to back,
 *     then the stack bottom to top).
 *   - 3.11+: the frame is embedded in the generator (gi_iframe); the generator's traverse visits its
 *     locals and stack, and clearing it (_PyFrame_ClearExceptCode) releases them. A frame object made
 *     for it meanwhile (a traceback, `gi_frame`) does not own them until the frame is cleared
 *     while it is still referenced (take_ownership).
 * In the event log the frame is a frame node (FrameEnter … FrameExit) whose locals are its edges,
 * as for any call; while the generator owns it, an edge `gi_frame` from the generator to that node
 * says so, and a frame with an owner is not a root (report/graph.ts). Generator frames on ≤3.10
 * and 2.7 are the frame object itself: their node is that object.
 *
 * Finalization: a suspended generator is closed (GeneratorExit thrown in, its `finally` and `with`
 * exits run) when it is deallocated, by the collector (PEP 442 on 3.x), or at shutdown, wherever
 * its last reference goes. 2.7 clears its weak references first, then gen_del closes it; in a
 * cycle, one suspended inside a try/except/finally or with block has a legacy finalizer and is
 * uncollectable (gc.garbage). 3.x gen_dealloc also clears weakrefs before finalizing.
 */

import { msg } from '../messages';
import { PyObject, ObjFlag, type Refs, type Visit } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyTuple } from '../runtime/containers';
import { PyException } from '../runtime/instances';
import { PyFunction, type KwArgs } from '../runtime/callables';
import { FrameData, PyTraceback } from '../runtime/frames';
import { PyNativeIter } from '../runtime/iterators';
import { EventKind } from '../events';
import type { Interpreter } from './interpreter';
import type { Frame } from './frame';
import type { CodeInfo } from './code';
import { PyRaise, EngineStop, Flow, dropRaise } from './signals';
import { addTraceback, call, callBound, materializeFrame, restoreHandled, releaseFastLocals, releaseFrameRefs } from './calls';
import { getAttrOrNull, lookupSpecial } from './attrs';
import { iterNextOrStop } from './ops';
import { generatorBody, type Resumable } from './resumable';
import { runAsFinalizer } from './setup';
import { repr } from './format';
import { arity } from '../builtins/args';

/** gi_frame_state (3.11+; the same stages for the older f_stacktop / f_lasti tests). */
export const enum GenState {
    /** Created, not started (FRAME_CREATED; ≤3.10: f_lasti == -1). */
    Created = 0,
    /** Suspended at a yield (FRAME_SUSPENDED). */
    Suspended = 1,
    /** Running (gi_running, FRAME_EXECUTING). */
    Running = 2,
    /** Finished: returned, raised, or closed (FRAME_COMPLETED / FRAME_CLEARED; ≤3.10 gi_frame NULL). */
    Completed = 3,
}

/** How a suspended `yield from` is resumed (see resumable.ts): send into the subiterator, or it finished. */
export const enum YieldFromResume {
    Send = 0,
    /** The subiterator was finished by a delegated throw/close: the sent value is the `yield from` result. */
    Done = 1,
    /** Done, and _gen_throw already popped the subiterator off the frame's stack (≤3.11). */
    DonePopped = 2,
}

export class PyGenerator extends PyNativeIter {
    state = GenState.Created;
    /** The running body; null until first resumed. */
    body: Resumable<Flow> | null = null;
    /** gi_exc_state: exceptions being handled in the generator while it is suspended (innermost last). */
    savedExc: PyException[] = [];
    savedTbs: (PyObject | null)[] = [];
    /** The iterator a `yield from` delegates to (it also sits on the frame's value stack), or null. */
    yieldFrom: PyObject | null = null;
    /** How the body's current `yield from` is resumed next. */
    yfResume = YieldFromResume.Send;
    /**
     * Exception handlers around the suspension point, as the two finalizer shortcuts count them:
     * `blocks27`, 2.7's non-loop blocks (SETUP_EXCEPT/FINALLY/WITH: PyGen_NeedsFinalizing);
     * `handlers3`, 3.11+'s exception-table depth beyond the generator's own (3.13 gen_close).
     * Kept by resumable.ts around try/with/except bodies.
     */
    blocks27 = 0;
    handlers3 = 0;
    /** 3.13 close() cleared the locals without throwing (the frame itself waits for gen_dealloc). */
    localsCleared = false;
    /** The interpreter (gen_dealloc runs Python-visible releases through it). */
    interp: Interpreter | null = null;

    constructor(
        type: PyType,
        /** The generator's frame, until it is cleared. */
        public frame: Frame | null,
        public readonly name: string,
        public readonly qualname: string,
        /** 3.11+: the frame is embedded (the generator owns the locals); ≤3.10: gi_frame is a frame object. */
        public readonly embedsFrame: boolean,
    ) {
        super(type);
    }

    override isGcType(): boolean {
        return true;
    }

    /** gen_traverse: 3.11+ the frame's references (_PyFrame_Traverse) then gi_exc_state; ≤3.10 gi_frame. */
    override traverse(visit: Visit): void {
        const f = this.frame;
        if (f !== null) {
            if (f.frameObj) visit(f.frameObj);
            if (this.embedsFrame) {
                if (f.localsDict) visit(f.localsDict);
                if (f.func) visit(f.func);
                for (let i = 0; i < f.locals.length; i++) {
                    const v = f.locals[i];
                    if (v) visit(v);
                }
                for (const v of f.stack) visit(v);
            }
        }
        for (const e of this.savedExc) visit(e);
        for (const t of this.savedTbs) if (t) visit(t);
    }

    /** Generators have no tp_clear: the collector breaks their cycles by finalizing them (PEP 442). */
    override clear(_r: Refs): void {}

    /** gen_dealloc after the finalizer: the frame, then the exception state (it: see genDealloc). */
    override releaseChildren(r: Refs): void {
        if (this.interp) clearFrame(this.interp, this, true);
        releaseSavedExc(r, this);
    }

    /** gen_iternext: FOR_ITER drops a return value; `next()` sees it as StopIteration(value). */
    override iterNext(it: Interpreter, raiseStop: boolean): PyObject | null {
        let v: PyObject | null;
        try {
            v = genSendEx(it, this, it.None, null, false);
        } catch (e) {
            // 2.7 (no PEP 479): a StopIteration escaping the generator ends the iteration.
            if (raiseStop || !(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.StopIteration)) throw e;
            dropRaise(it, e);
            return null;
        }
        if (v !== null) return v;
        const ret = takeReturned(it);
        if (raiseStop && ret !== it.None) throw stopIteration(it, ret);
        it.decref(ret);
        return null;
    }
}

function releaseSavedExc(r: Refs, gen: PyGenerator): void {
    const excs = gen.savedExc;
    const tbs = gen.savedTbs;
    gen.savedExc = [];
    gen.savedTbs = [];
    for (let i = 0; i < excs.length; i++) {
        r.release(gen, excs[i], 'gi_exc_state');
        const tb = tbs[i];
        if (tb) r.release(gen, tb, 'gi_exc_state');
    }
}

// ------------------------------------------------------------------------------------------------
// creation

/**
 * A call of a generator function: the frame `frame` (arguments bound) becomes the generator's
 * (≤3.10 _PyEval_EvalCode: Py_CLEAR(f->f_back), PyGen_NewWithQualName, then the frame is tracked;
 * 3.11+ RETURN_GENERATOR: _Py_MakeCoro moves the frame into the new generator).
 */
export function makeGenerator(it: Interpreter, code: CodeInfo, frame: Frame, fn: PyFunction): PyGenerator {
    const embeds = !it.profile.frameObjectPerCall;
    const gen = new PyGenerator(it.T.generator, frame, fn.name, fn.qualname, embeds);
    frame.back = null;
    // A frame that has not started is at its code's first line (co_firstlineno).
    frame.line = code.node.line;
    gen.interp = it;
    it.heap.register(gen);
    frame.gen = gen;
    frame.genOwnsLocals = embeds;
    const fo = frame.frameObj;
    if (!embeds && fo) {
        const back = fo.back;
        fo.back = null;
        if (back) it.decref(back);
        // The frame is tracked after the generator (list order for the collector).
        it.heap.untrack(fo);
        it.heap.track(fo);
        it.heap.adopt(gen, fo, 'gi_frame');
    } else {
        linkFrame(it, gen, frame, EventKind.RefAdd);
    }
    return gen;
}

/** The `gi_frame` edge from the generator to its frame node (the generator owns the frame). */
function linkFrame(it: Interpreter, gen: PyGenerator, frame: Frame, kind: EventKind.RefAdd | EventKind.RefDel): void {
    if (!it.heap.recordEdges) return;
    it.log.push(kind, it.step, it.line, it.col, gen.id, frame.nodeId, 'gi_frame');
}

// ------------------------------------------------------------------------------------------------
// gen_send_ex

/** What the generator returned (owned) when genSendEx answered null; taken at once by the caller. */
let returned: PyObject | null = null;

export function takeReturned(it: Interpreter): PyObject {
    const r = returned ?? it.None;
    returned = null;
    return r;
}

/**
 * gen_send_ex: resumes the generator with `arg` (an owned reference: the value of the `yield`) or,
 * when `exc` is given, by raising it at the `yield`. Answers the next yielded value (owned), or null
 * when the generator finished by returning (its value is then takeReturned's). An exception
 * escaping the generator propagates (3.7+: a StopIteration becomes RuntimeError, PEP 479).
 */
export function genSendEx(it: Interpreter, gen: PyGenerator, arg: PyObject, exc: PyRaise | null, closing: boolean): PyObject | null {
    void closing;
    if (gen.state === GenState.Running) {
        it.decref(arg);
        if (exc) dropRaise(it, exc);
        throw it.error('ValueError', 'generator already executing');
    }
    if (gen.state === GenState.Completed) {
        it.decref(arg);
        // An exhausted generator: a thrown exception propagates as it is.
        if (exc) throw exc;
        returned = null;
        return null;
    }
    const frame = gen.frame!;
    if (gen.state === GenState.Created) {
        if (arg !== it.None && exc === null) {
            it.decref(arg);
            throw it.error('TypeError', "can't send non-None value to a just-started generator");
        }
        it.decref(arg);
        arg = it.None;
        gen.body = generatorBody(frame.code)(it, frame);
    }
    if (it.depth >= it.recursionLimit) {
        it.decref(arg);
        if (exc) dropRaise(it, exc);
        throw it.error('RecursionError', 'maximum recursion depth exceeded');
    }
    // The frame goes on the thread's stack: it returns to its most recent caller.
    const caller = it.frame as Frame | null;
    frame.back = caller;
    const fo = frame.frameObj;
    if (fo && !gen.embedsFrame && caller?.frameObj) fo.back = it.incref(caller.frameObj);
    it.frame = frame;
    it.depth++;
    it.log.push(EventKind.GenResume, it.step, it.line, it.col, frame.nodeId, frame.line, null);
    const savedLine = it.line;
    const savedCol = it.col;
    const savedNode = it.node;
    // gi_exc_state becomes the thread's innermost exception state.
    const base = it.handled.length;
    if (gen.savedExc.length) {
        const excs = gen.savedExc;
        const tbs = gen.savedTbs;
        gen.savedExc = [];
        gen.savedTbs = [];
        for (let i = 0; i < excs.length; i++) it.pushHandled(excs[i], frame, tbs[i]);
    }
    gen.state = GenState.Running;
    let r: IteratorResult<PyObject, Flow>;
    try {
        r = exc !== null ? gen.body!.throw(exc) : gen.body!.next(arg);
    } catch (e) {
        // exception_unwind pops the value stack while the frame is still the running one: what it
        // held (a for loop's iterator) dies inside the generator, at the line the exception left it.
        if (e instanceof PyRaise) {
            addTraceback(it, e, frame);
            unwindGenStack(it, frame);
        }
        leaveFrame(it, gen, frame, caller, savedLine, savedCol, savedNode);
        if (!(e instanceof PyRaise)) {
            gen.state = GenState.Completed;
            throw e;
        }
        restoreHandled(it, base);
        gen.state = GenState.Completed;
        let raised: PyRaise = e;
        if (it.profile.generatorStopAsRuntimeError && e.exc.type.isSubtypeOf(it.T.StopIteration)) raised = stopAsRuntimeError(it, e);
        // The generator cannot be resumed: its frame is released (3.11+ clear_gen_frame; ≤3.10 gi_frame = NULL).
        clearFrame(it, gen, false);
        throw raised;
    }
    // 2.7 fast_yield: reset_exc_info drops the exceptions it was handling while its frame is still
    // the thread's current frame.
    if (!r.done && !it.profile.genKeepsExcState) restoreHandled(it, base);
    leaveFrame(it, gen, frame, caller, savedLine, savedCol, savedNode);
    if (r.done) {
        restoreHandled(it, base);
        gen.state = GenState.Completed;
        const ret = r.value === Flow.Return ? (frame.retval ?? it.None) : it.None;
        frame.retval = null;
        clearFrame(it, gen, false);
        returned = ret;
        return null;
    }
    // Suspended: the exceptions it is handling stay with it (3.x).
    while (it.handled.length > base) {
        gen.savedExc.unshift(it.handled.pop()!);
        it.handledFrames.pop();
        gen.savedTbs.unshift(it.handledTbs.pop() ?? null);
    }
    gen.state = GenState.Suspended;
    return r.value;
}

/** The frame leaves the thread's stack (≤3.10: Py_CLEAR(f->f_back)). */
function leaveFrame(it: Interpreter, gen: PyGenerator, frame: Frame, caller: Frame | null, line: number, col: number, node: Interpreter['node']): void {
    it.log.push(EventKind.GenSuspend, it.step, it.line, it.col, frame.nodeId, 0, null);
    it.depth--;
    it.frame = caller;
    frame.back = null;
    const fo = frame.frameObj;
    if (fo && !gen.embedsFrame && fo.back) {
        const back = fo.back;
        fo.back = null;
        it.decref(back);
    }
    it.line = line;
    it.col = col;
    it.node = node;
}

/** An exception leaving the frame pops the value stack top-down (exception_unwind). */
function unwindGenStack(it: Interpreter, frame: Frame): void {
    const st = frame.stack;
    while (st.length) it.decref(st.pop()!);
}

/** _PyErr_FormatFromCause(RuntimeError, "generator raised StopIteration"). */
function stopAsRuntimeError(it: Interpreter, r: PyRaise): PyRaise {
    const stop = r.exc;
    const rt = it.newException(it.T.RuntimeError, [it.str('generator raised StopIteration')]);
    // __cause__ and __context__ both the StopIteration (the raise's reference moves to __context__).
    rt.context = stop;
    it.heap.adopt(rt, stop, '__context__');
    rt.cause = it.incref(stop);
    it.heap.adopt(rt, stop, '__cause__');
    rt.suppressContext = true;
    const out = new PyRaise(rt);
    out.tb = r.tb;
    r.tb = null;
    if (it.profile.exceptionHasTraceback && stop.traceback) {
        rt.traceback = it.incref(stop.traceback);
        it.heap.adopt(rt, stop.traceback, '__traceback__');
    }
    return out;
}

/**
 * The frame is done with. 3.11+ (_PyFrame_ClearExceptCode): the frame object first (when still
 * referenced elsewhere it takes the locals over: take_ownership), then the locals front to back and
 * the stack bottom to top, f_locals, the function. ≤3.10: gi_frame is dropped, and frame_dealloc
 * does the same when that was the last reference (the frame object is the frame's node).
 * `dealloc`: gen_dealloc's clearing (a 3.13 close may have cleared the locals already).
 */
function clearFrame(it: Interpreter, gen: PyGenerator, dealloc: boolean): void {
    const frame = gen.frame;
    if (frame === null) return;
    gen.frame = null;
    gen.body = null;
    frame.gen = null;
    frame.genOwnsLocals = false;
    frame.finished = true;
    const fo = frame.frameObj;
    if (!gen.embedsFrame) {
        frame.frameObj = null;
        if (fo) it.heap.release(gen, fo, 'gi_frame');
        return;
    }
    if (!dealloc || !gen.localsCleared) {
        linkFrame(it, gen, frame, EventKind.RefDel);
        it.log.push(EventKind.FrameExit, it.step, it.line, it.col, frame.nodeId, 0, null);
    }
    if (fo) {
        frame.frameObj = null;
        if (fo.rc > 1) {
            // take_ownership: the frame object keeps the locals (a traceback still references it);
            // their edges move to it. It is tracked from now on (runningFrameUntracked).
            it.heap.track(fo);
            for (let i = 0; i < frame.locals.length; i++) {
                const v = frame.locals[i];
                if (v) it.heap.adopt(fo, v, frame.names[i]);
            }
            for (const v of frame.stack) it.heap.adopt(fo, v, '(stack)');
            it.decref(fo);
            return;
        }
        fo.data = new FrameData(frame.name, [], frame.globals, null, frame.filename);
        it.decref(fo);
    }
    clearLocals(it, frame);
    releaseFrameRefs(it, frame);
}

/** _PyFrame_ClearLocals: locals front to back, then the value stack bottom to top. */
function clearLocals(it: Interpreter, frame: Frame): void {
    releaseFastLocals(it, frame);
    const st = frame.stack.splice(0);
    for (const v of st) it.decref(v);
}

// ------------------------------------------------------------------------------------------------
// send, throw, close

/** StopIteration(value) (the generator's return value, owned, moves into args). */
function stopIteration(it: Interpreter, value: PyObject): PyRaise {
    const e = it.newException(it.T.StopIteration, [value]);
    it.decref(value);
    return new PyRaise(e);
}

/** gen.send(v) (gen_send): the next yielded value, or StopIteration([value]) when it finishes. */
export function genSend(it: Interpreter, gen: PyGenerator, v: PyObject): PyObject {
    const r = genSendEx(it, gen, it.incref(v), null, false);
    if (r !== null) return r;
    const ret = takeReturned(it);
    if (ret === it.None) throw it.error('StopIteration');
    throw stopIteration(it, ret);
}

/** `yield from`'s send into any iterator: a generator directly, else send() or __next__. */
export function sendInto(it: Interpreter, iter: PyObject, v: PyObject): PyObject | null {
    if (iter instanceof PyGenerator) {
        const r = genSendEx(it, iter, it.incref(v), null, false);
        if (r !== null) return r;
        returned = takeReturned(it);
        return null;
    }
    let r: PyObject | null;
    try {
        if (v === it.None) r = iterNextOrStop(it, iter);
        else {
            const send = getAttrOrNull(it, iter, 'send');
            if (!send) throw it.error('AttributeError', `'${iter.type.name}' object has no attribute 'send'`);
            try {
                r = call(it, send, [v], null);
            } finally {
                it.decref(send);
            }
        }
    } catch (e) {
        if (e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.StopIteration)) {
            returned = stopValue(it, e.exc);
            dropRaise(it, e);
            return null;
        }
        throw e;
    }
    if (r === null) returned = it.None;
    return r;
}

/** _PyGen_FetchStopIterationValue: StopIteration.value (its first argument, or None). */
function stopValue(it: Interpreter, e: PyException): PyObject {
    const a = e.args?.items ?? [];
    return it.incref(a.length ? a[0] : it.None);
}

/** Takes what sendInto stashed when it answered null (the subiterator's result, owned). */
export function takeSubResult(it: Interpreter): PyObject {
    return takeReturned(it);
}

/** gen.throw(typ[, val[, tb]]) (_gen_throw with close_on_genexit). */
export function genThrow(it: Interpreter, gen: PyGenerator, typ: PyObject, val: PyObject | null, tb: PyObject | null): PyObject {
    const yf = gen.yieldFrom;
    if (yf !== null) {
        if (isGeneratorExitClass(it, typ)) {
            // Close the subiterator, then throw GeneratorExit here (or the error closing it).
            const err = closeSubiterator(it, gen, yf);
            if (err !== null) return resumeValue(it, gen, genSendEx(it, gen, it.None, err, false));
            return throwHere(it, gen, typ, val, tb);
        }
        let ret: PyObject | null;
        gen.state = GenState.Running;
        try {
            if (yf instanceof PyGenerator) {
                ret = genThrow(it, yf, typ, val, tb);
            } else {
                const meth = getAttrOrNull(it, yf, 'throw');
                if (meth === null) {
                    gen.state = GenState.Suspended;
                    return throwHere(it, gen, typ, val, tb);
                }
                try {
                    ret = call(it, meth, tb ? [typ, val ?? it.None, tb] : val ? [typ, val] : [typ], null);
                } finally {
                    it.decref(meth);
                }
            }
        } catch (e) {
            gen.state = GenState.Suspended;
            if (!(e instanceof PyRaise)) throw e;
            // The subiterator finished: the `yield from` ends with its value, or raises here.
            const popped = it.profile.genThrowPopsSubiterator && popSubiterator(it, gen, yf);
            if (e.exc.type.isSubtypeOf(it.T.StopIteration)) {
                const v = stopValue(it, e.exc);
                dropRaise(it, e);
                gen.yfResume = popped ? YieldFromResume.DonePopped : YieldFromResume.Done;
                return resumeValue(it, gen, genSendEx(it, gen, v, null, false));
            }
            return resumeValue(it, gen, genSendEx(it, gen, it.None, e, false));
        }
        gen.state = GenState.Suspended;
        return ret;
    }
    return throwHere(it, gen, typ, val, tb);
}

/** ≤3.11 _gen_throw's "Pop subiterator from stack", before the frame is resumed. */
function popSubiterator(it: Interpreter, gen: PyGenerator, yf: PyObject): boolean {
    const st = gen.frame?.stack;
    if (!st || st[st.length - 1] !== yf) return false;
    st.pop();
    gen.yieldFrom = null;
    it.decref(yf);
    return true;
}

function isGeneratorExitClass(it: Interpreter, typ: PyObject): boolean {
    const t = typ instanceof PyType ? typ : typ.type;
    return t.isSubtypeOf(it.T.GeneratorExit);
}

/** throw_here: the exception normalized (PyErr_NormalizeException) and raised at the yield. */
function throwHere(it: Interpreter, gen: PyGenerator, typ: PyObject, val: PyObject | null, tb: PyObject | null): PyObject {
    if (tb === it.None) tb = null;
    else if (tb !== null && !(tb instanceof PyTraceback)) throw it.error('TypeError', 'throw() third argument must be a traceback object');
    let exc: PyException;
    if (typ instanceof PyType && typ.isSubtypeOf(it.T.BaseException)) {
        if (val instanceof PyException && val.type.isSubtypeOf(typ)) exc = it.incref(val);
        else {
            const args = val === null || val === it.None ? [] : val instanceof PyTuple ? val.items : [val];
            const made = call(it, typ, args, null);
            if (!(made instanceof PyException)) {
                it.decref(made);
                throw it.error('TypeError', msg(it.profile, 'throwNotException', (typ as PyType).name));
            }
            exc = made;
        }
    } else if (typ instanceof PyException) {
        if (val !== null && val !== it.None) throw it.error('TypeError', 'instance exception may not have a separate value');
        exc = it.incref(typ);
    } else {
        throw it.error('TypeError', msg(it.profile, 'throwNotException', typ.type.name));
    }
    const r = new PyRaise(exc);
    if (tb !== null) {
        if (it.profile.exceptionHasTraceback) {
            const old = exc.traceback;
            exc.traceback = it.incref(tb);
            it.heap.adopt(exc, tb, '__traceback__');
            if (old) it.heap.release(exc, old, '__traceback__');
        } else r.tb = it.incref(tb);
    }
    return resumeValue(it, gen, genSendEx(it, gen, it.None, r, false));
}

/** The yielded value, or StopIteration when the generator returned (gen_throw's caller view). */
function resumeValue(it: Interpreter, _gen: PyGenerator, v: PyObject | null): PyObject {
    if (v !== null) return v;
    const ret = takeReturned(it);
    if (ret === it.None) throw it.error('StopIteration');
    throw stopIteration(it, ret);
}

/** The delegating generator runs while its subiterator is closed; the error closing it, if any. */
function closeSubiterator(it: Interpreter, gen: PyGenerator, yf: PyObject): PyRaise | null {
    gen.state = GenState.Running;
    try {
        closeIter(it, yf);
        return null;
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        return e;
    } finally {
        gen.state = GenState.Suspended;
    }
}

/** gen_close_iter: closes a `yield from` subiterator (a generator directly, else its close()). */
function closeIter(it: Interpreter, yf: PyObject): void {
    if (yf instanceof PyGenerator) {
        const r = genClose(it, yf);
        it.decref(r);
        return;
    }
    const close = getAttrOrNull(it, yf, 'close');
    if (!close) return;
    try {
        it.decref(call(it, close, [], null));
    } finally {
        it.decref(close);
    }
}

/**
 * gen_close: GeneratorExit thrown in at the yield (after closing a `yield from` subiterator);
 * yielding again is a RuntimeError. Returns None (3.13: the value the generator returned).
 * 3.12+: a generator never started is only marked finished (its frame lives until it is freed);
 * 3.13: one suspended outside every try/with/except block has its locals cleared, nothing thrown.
 */
export function genClose(it: Interpreter, gen: PyGenerator): PyObject {
    const p = it.profile;
    if (gen.state === GenState.Created && p.genCloseCreatedNoThrow) {
        gen.state = GenState.Completed;
        return it.None;
    }
    if (gen.state === GenState.Completed) return it.None;
    const yf = gen.yieldFrom;
    const err = yf !== null ? closeSubiterator(it, gen, yf) : null;
    if (err === null && p.genCloseClearsOutsideTry && gen.state === GenState.Suspended && gen.handlers3 === 0) {
        // _PyFrame_ClearLocals: locals and stack now; the frame object and function at gen_dealloc.
        gen.state = GenState.Completed;
        gen.localsCleared = true;
        gen.body = null;
        const frame = gen.frame!;
        frame.genOwnsLocals = false;
        linkFrame(it, gen, frame, EventKind.RefDel);
        it.log.push(EventKind.FrameExit, it.step, it.line, it.col, frame.nodeId, 0, null);
        clearLocals(it, frame);
        releaseSavedExc(it.heap, gen);
        return it.None;
    }
    const exc = err ?? new PyRaise(it.newException(it.T.GeneratorExit, []));
    let v: PyObject | null;
    try {
        v = genSendEx(it, gen, it.None, exc, true);
    } catch (e) {
        if (e instanceof PyRaise && (e.exc.type.isSubtypeOf(it.T.StopIteration) || e.exc.type.isSubtypeOf(it.T.GeneratorExit))) {
            dropRaise(it, e);
            return it.None;
        }
        throw e;
    }
    if (v !== null) {
        it.decref(v);
        throw it.error('RuntimeError', 'generator ignored GeneratorExit');
    }
    const ret = takeReturned(it);
    if (p.genCloseReturnsValue) return ret;
    it.decref(ret);
    return it.None;
}

// ------------------------------------------------------------------------------------------------
// finalization

/** Is the generator paused with a frame to close (2.7 gen_del / 3.x _PyGen_Finalize's test)? */
export function genIsPaused(gen: PyGenerator, it: Interpreter): boolean {
    if (gen.frame === null || gen.state === GenState.Completed) return false;
    // 3.12+: a never-started generator is closed without running anything.
    return !(gen.state === GenState.Created && it.profile.genCloseCreatedNoThrow);
}

/**
 * Does the generator have a finalizer to run at dealloc? 3.x: tp_finalize is always there (it
 * does nothing unless the generator is paused); 2.7 gen_dealloc calls tp_del only when paused.
 */
export function genHasFinalizer(it: Interpreter, gen: PyGenerator): boolean {
    return it.profile.finalizeOnce || genIsPaused(gen, it);
}

/** 2.7 PyGen_NeedsFinalizing: paused inside a block other than a loop (try/except/finally/with). */
export function genNeedsFinalizing(gen: PyGenerator): boolean {
    return gen.frame !== null && gen.state === GenState.Suspended && gen.blocks27 > 0;
}

/**
 * _PyGen_Finalize / gen_del: closes a paused generator; an error (a RuntimeError for a generator
 * that yielded again, or what its finally raised) is reported as unraisable.
 */
export function genFinalize(it: Interpreter, gen: PyGenerator): void {
    if (!genIsPaused(gen, it)) {
        // 3.12+ never started: gen_close marks it finished (the frame is cleared by gen_dealloc).
        if (gen.state === GenState.Created) gen.state = GenState.Completed;
        return;
    }
    runAsFinalizer(it, gen, gen, null, () => {
        try {
            it.decref(genClose(it, gen));
        } catch (e) {
            // PyErr_WriteUnraisable: an exception raised by C code (no traceback: "generator
            // ignored GeneratorExit") is shown with the frame running when the generator died.
            if (e instanceof PyRaise && it.profile.exceptionHasTraceback && !e.exc.traceback && it.frame) addTraceback(it, e, it.frame);
            throw e;
        }
    }, 'gen_close');
}

/** The frame is released at gen_dealloc (what close left of it). */
export function genReleaseFrame(it: Interpreter, gen: PyGenerator): void {
    clearFrame(it, gen, true);
}

// ------------------------------------------------------------------------------------------------
// the generator type: methods and attributes

export function installGeneratorType(it: Interpreter): void {
    const t = it.T.generator;
    const def = (name: string, fn: (gen: PyGenerator, args: PyObject[], kwargs: KwArgs) => PyObject): void => {
        t.dict.set(
            it.heap,
            it.str(name),
            it.builtin(
                name,
                (self, args, kwargs) => {
                    if (!(self instanceof PyGenerator)) throw it.error('TypeError', `descriptor '${name}' requires a 'generator' object`);
                    return fn(self, args, kwargs);
                },
                'generator',
                true,
            ),
        );
    };
    def('send', (g, args) => {
        arity(it, 'send', args, 1, 1);
        return genSend(it, g, args[0]);
    });
    def('throw', (g, args) => {
        arity(it, 'throw', args, 1, 3);
        if (args.length > 1 && it.profile.throwSignatureDeprecated) {
            warnOnce(it, 'DeprecationWarning', 'the (type, exc, tb) signature of throw() is deprecated, use the single-arg signature instead.');
        }
        return genThrow(it, g, args[0], args[1] ?? null, args[2] ?? null);
    });
    def('close', (g, args) => {
        arity(it, 'close', args, 0, 0);
        return genClose(it, g);
    });
    def(it.profile.major === 2 ? 'next' : '__next__', (g, args) => {
        arity(it, it.profile.major === 2 ? 'next' : '__next__', args, 0, 0);
        const v = g.iterNext(it, true);
        if (v === null) throw it.error('StopIteration');
        return v;
    });
    def('__iter__', (g) => it.incref(g));
}

/**
 * PyErr_WarnEx(category, message, 1) under the default filters: shown (once per line) when the
 * calling frame's module is __main__ (`default::DeprecationWarning:__main__`), as the warnings
 * module formats it: `FILE:LINE: Category: message` and the stripped source line.
 */
function warnOnce(it: Interpreter, category: string, message: string): void {
    const f = it.frame;
    if (f === null || f.globals !== it.mainModule.dict) return;
    let shown = it.moduleState.get('warnings.onceregistry') as Set<string> | undefined;
    if (!shown) it.moduleState.set('warnings.onceregistry', (shown = new Set()));
    const key = `${category}\u0000${message}\u0000${f.line}`;
    if (shown.has(key)) return;
    shown.add(key);
    const src = (it.sourceLines[f.line - 1] ?? '').trim();
    it.stderr.write(`${it.fileName}:${f.line}: ${category}: ${message}\n` + (src ? `  ${src}\n` : ''));
}

/** gi_running, gi_frame, gi_yieldfrom, gi_suspended (3.11+), __name__, __qualname__; null for others. */
export function generatorAttr(it: Interpreter, gen: PyGenerator, name: string): PyObject | null {
    switch (name) {
        case 'gi_running':
            return it.bool(gen.state === GenState.Running);
        case 'gi_suspended':
            return it.profile.minor >= 11 && it.profile.major === 3 ? it.bool(gen.state === GenState.Suspended) : null;
        case 'gi_frame': {
            const f = gen.frame;
            if (f === null || gen.state === GenState.Completed) return it.None;
            return it.incref(materializeFrame(it, f));
        }
        case 'gi_yieldfrom':
            return it.profile.major === 3 ? it.incref(gen.yieldFrom ?? it.None) : null;
        case '__name__':
            return it.str(gen.name);
        case '__qualname__':
            return it.profile.major === 3 ? it.str(gen.qualname) : null;
        case 'gi_code':
            throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: gi_code', line: it.line, col: it.col });
    }
    return null;
}

/** `<generator object NAME at 0x…>` (3.x names the qualname). */
export function generatorRepr(it: Interpreter, gen: PyGenerator, addr: string): string {
    return `<generator object ${it.profile.major === 3 ? gen.qualname : gen.name} at ${addr}>`;
}

export { callBound, lookupSpecial, ObjFlag, repr };
