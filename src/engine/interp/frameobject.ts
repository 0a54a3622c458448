/*
 * frameobject.ts
 *
 * The frame type's methods (Objects/frameobject.c). `frame.clear()` (frame_clear):
 *   - a frame still running on a thread's stack (the current frame or one of its callers):
 *     RuntimeError "cannot clear an executing frame", on every version;
 *   - a frame that has returned (owned by its frame object, as a traceback keeps it): frame_tp_clear
 *     releases its locals front to back, then its value stack; the frame object lives on;
 *   - a generator's frame: refused (3.8–3.12 finalize the generator first, 3.13 refuses a
 *     suspended one: not modelled yet), except while the generator runs (executing, as above).
 */

import { PyFrameObject } from '../runtime/frames';
import type { PyObject } from '../runtime/object';
import { materializeFrame } from './calls';
import type { Interpreter } from './interpreter';
import { arity } from '../builtins/args';
import { unsupportedAt } from '../names/refuse';
import { PyGenerator, GenState } from './genobject';
import { codeObject } from './codeobject';
import { CodeInfo } from './code';
import type { PyCell } from '../runtime/callables';
import { newFrameLocalsProxy } from './framelocalsproxy';

export function installFrameType(it: Interpreter): void {
    // frame.clear() is 3.4's: 2.7's frame has no such attribute.
    if (it.profile.major === 2) return;
    const t = it.T.frame;
    t.dict.set(
        it.heap,
        it.str('clear'),
        it.builtin(
            'clear',
            (self, args) => {
                if (!(self instanceof PyFrameObject)) throw it.error('TypeError', `descriptor 'clear' requires a 'frame' object`);
                arity(it, 'clear', args, 0, 0);
                frameClear(it, self);
                return it.None;
            },
            'frame',
            true,
        ),
    );
}

function frameClear(it: Interpreter, fo: PyFrameObject): void {
    const data = fo.data;
    const gen = data.gen;
    if (gen instanceof PyGenerator) {
        if (gen.state === GenState.Running) throw it.error('RuntimeError', 'cannot clear an executing frame');
        throw unsupportedAt(it, "frame.clear() of a generator's frame (it finalizes the generator first; 3.13 refuses a suspended one)");
    }
    if (!data.finished) throw it.error('RuntimeError', 'cannot clear an executing frame');
    fo.clear(it.heap);
}

/**
 * `frame.f_back`. ≤3.10: the strong reference every frame object holds to its caller's (made
 * here when the engine had not made the caller's yet: a module frame). 3.11+ (PyFrame_GetBack): a
 * running frame's caller, its frame object made on demand. A frame that has returned keeps the
 * caller's frame object (3.11+: linked by take_ownership), and a 3.11+ generator's frame has none
 * while suspended: not modelled, so refused rather than answered None.
 */
export function frameBack(it: Interpreter, fo: PyFrameObject): PyObject {
    if (fo.back) return it.incref(fo.back);
    const data = fo.data;
    if (data.back === null) return it.None;
    if (data.gen !== null) {
        if (it.profile.frameObjectPerCall) return it.None;
        throw unsupportedAt(it, "f_back of a generator's frame (3.11+)");
    }
    if (data.finished) throw unsupportedAt(it, "f_back of a frame that has returned (the caller's frame object it keeps)");
    const back = materializeFrame(it, data.back);
    if (it.profile.frameObjectPerCall) fo.back = it.incref(back);
    return it.incref(back);
}

/** `frame.f_code`: the code object the frame runs; a frame the engine runs natively is refused. */
export function frameCode(it: Interpreter, fo: PyFrameObject): PyObject {
    const code = codeObject(it, fo.codeKey);
    if (!code) throw unsupportedAt(it, `f_code of the frame of ${fo.data.name} (a frame the engine runs natively)`);
    return code;
}

/**
 * `frame.f_locals`. A module's or class body's frame: its namespace dict. A function's frame
 * (≤3.12, PyFrame_FastToLocalsWithError): a dict the frame keeps (made at the first access),
 * updated from the fast locals at each access, in localsplus order: a name bound now is set (a
 * cell or free variable to its cell's content), an unbound one deleted. 3.13 (PEP 667) returns a
 * new FrameLocalsProxy instead (interp/framelocalsproxy.ts).
 */
export function frameLocals(it: Interpreter, fo: PyFrameObject): PyObject {
    const d = fo.data;
    if (d.localsDict) return it.incref(d.localsDict);
    if (it.profile.major === 3 && it.profile.minor >= 13) return newFrameLocalsProxy(it, fo);
    const vars = frameVariables(it, fo);
    let dict = fo.fastLocals;
    if (!dict) {
        dict = it.dict();
        fo.fastLocals = dict;
        it.heap.adopt(fo, dict, 'f_locals');
    }
    for (const [name, v] of vars) {
        const key = it.str(name);
        if (v) dict.set(it.heap, key, v);
        else if (dict.get(key) !== null) dict.delete(it.heap, key);
        it.decref(key);
    }
    return it.incref(dict);
}

/**
 * A function frame's variables in localsplus order, each with its value (borrowed; a cell or free
 * variable's content) or null when unbound: what ≤3.12's f_locals dict and 3.13's FrameLocalsProxy show.
 */
export function frameVariables(it: Interpreter, fo: PyFrameObject): [string, PyObject | null][] {
    const d = fo.data;
    const info = fo.codeKey;
    if (!(info instanceof CodeInfo)) throw unsupportedAt(it, `f_locals of the frame of ${d.name} (a frame the engine runs natively)`);
    const out: [string, PyObject | null][] = [];
    for (let i = 0; i < d.names.length; i++) {
        let v = d.locals[i] ?? null;
        if (v && info.isCell[i]) v = (v as PyCell).ref;
        out.push([d.names[i]!, v]);
    }
    return out;
}
