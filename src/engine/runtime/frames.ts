/*
 * frames.ts
 *
 * Execution frames and the objects that keep them alive after they return: frame objects and
 * tracebacks. A frame's references live in `FrameData` (CPython's `_PyInterpreterFrame` /
 * `f_localsplus`); a PyFrameObject is created when something needs the frame as an object
 * (a traceback, `sys._getframe`) or, in ≤3.10, for every call.
 */

import { PyObject, type Refs, type Visit } from './object';
import type { PyType } from './types';
import type { PyDict } from './containers';

export class FrameData {
    /** Fast locals (functions): parameters, other locals in co_varnames order, then cells, then free vars. */
    locals: (PyObject | null)[];
    /** The value stack: temporaries alive while a statement is evaluated. */
    readonly stack: PyObject[] = [];
    /** The function object being run (3.11+ frames own a reference: f_funcobj). */
    func: PyObject | null = null;
    /** Module and class bodies keep their names in a dict (f_locals). (null: see FrameData's prototype below.) */
    declare localsDict: PyDict | null;
    frameObj: PyFrameObject | null = null;
    /** Line being executed (for tracebacks and events). */
    line = 0;
    col = 0;
    /** Set once the frame has returned (its references moved to the frame object or released). */
    finished = false;
    /** Graph node id of this frame (frames are roots in the heap graph even when not objects). */
    nodeId = 0;
    /** The value being returned (owned) while the frame unwinds. */
    retval: PyObject | null = null;
    /** The generator whose frame this is (interp/genobject.ts), or null. */
    declare gen: PyObject | null;
    /** 3.11+: the generator embeds this frame and owns its locals (a frame object made for it does not). */
    declare genOwnsLocals: boolean;
    /**
     * ≤3.10 and 2.7: `__main__`'s frame, whose frame object PyEval_EvalCode allocated before the
     * first statement (start-up's counts include it); made on demand here, it is not counted again.
     */
    declare objectPreallocated: boolean;

    constructor(
        public readonly name: string,
        public readonly names: readonly string[],
        public readonly globals: PyDict,
        public back: FrameData | null,
        public readonly filename: string,
    ) {
        this.locals = nullArray(names.length);
    }
}

// What only module and class bodies (localsDict), generators (gen, genOwnsLocals) and __main__ (objectPreallocated) set: their
// defaults come from the prototype, so an ordinary call's frame carries no field for them (every
// call makes a frame: 8 bytes each was measurable in a long run's allocations). A store happens
// only where the value is set or was set (never a null over the prototype's null).
Object.assign(FrameData.prototype, { localsDict: null, gen: null, genOwnsLocals: false, objectPreallocated: false });

/**
 * An all-null array for a frame's locals. Array literals for the usual sizes (as newInline in
 * instances.ts): cheaper than copying a template with `slice`, which was measurable per call.
 */
function nullArray(n: number): (PyObject | null)[] {
    switch (n) {
        case 0:
            return [];
        case 1:
            return [null];
        case 2:
            return [null, null];
        case 3:
            return [null, null, null];
        case 4:
            return [null, null, null, null];
        case 5:
            return [null, null, null, null, null];
        case 6:
            return [null, null, null, null, null, null];
    }
    const a: (PyObject | null)[] = [];
    for (let i = 0; i < n; i++) a.push(null);
    return a;
}

export class PyFrameObject extends PyObject {
    /** ≤3.10: a strong reference to the caller's frame object. */
    back: PyFrameObject | null = null;
    /** The code object it runs (identity only): ≤3.10 keeps one freed frame per code (co_zombieframe). */
    codeKey: object | null = null;
    /**
     * A function frame's f_locals dict (≤3.12), made by the first `frame.f_locals`
     * (PyFrame_FastToLocalsWithError) and kept by the frame, which updates it at each access.
     */
    fastLocals: PyDict | null = null;
    /**
     * 3.11+: the frame object is separate from the frame it shows (a _PyInterpreterFrame on the
     * thread's stack or in a generator) and frame_traverse visits that frame's references only once
     * the object owns it (FRAME_OWNED_BY_FRAME_OBJECT: the frame has returned); ≤3.10 the object is
     * the frame and always traverses it.
     */
    traversesOnlyOwnedFrame = false;

    constructor(
        type: PyType,
        public data: FrameData,
    ) {
        super(type);
    }

    override isGcType(): boolean {
        return true;
    }

    /** frame_traverse: f_back, (code, globals…), f_locals, then localsplus (locals, cells, stack). */
    override traverse(visit: Visit): void {
        if (this.back) visit(this.back);
        const d = this.data;
        // 3.11+: a running frame's references (its f_locals dict included) are the thread's, not the object's.
        if (this.traversesOnlyOwnedFrame && !d.finished) return;
        if (this.fastLocals) visit(this.fastLocals);
        // 3.11+: a frame owned by a generator is traversed by the generator (frame_tp_traverse).
        if (d.genOwnsLocals) return;
        if (d.func) visit(d.func);
        if (d.localsDict) visit(d.localsDict);
        for (let i = 0; i < d.locals.length; i++) {
            const v = d.locals[i];
            if (v) visit(v);
        }
        for (const v of d.stack) visit(v);
    }

    /** frame_tp_clear: locals front to back, then the stack. */
    override clear(r: Refs): void {
        this.releaseLocals(r);
    }

    releaseLocals(r: Refs): void {
        const d = this.data;
        const names = d.names;
        for (let i = 0; i < d.locals.length; i++) {
            const v = d.locals[i];
            if (v) {
                d.locals[i] = null;
                r.release(this, v, names[i]);
            }
        }
        // The stack bottom to top (frame_dealloc, frame_tp_clear).
        const st = d.stack.splice(0);
        for (const v of st) r.release(this, v, '(stack)');
    }

    /** frame_dealloc: f_funcobj and f_locals (3.11+), locals front to back, stack, then f_back. */
    override releaseChildren(r: Refs): void {
        const d = this.data;
        if (d.frameObj === this) d.frameObj = null;
        const func = d.func;
        d.func = null;
        if (func) r.release(this, func, 'f_func');
        const ld = d.localsDict;
        if (ld) {
            d.localsDict = null;
            r.release(this, ld, 'f_locals');
        }
        const fl = this.fastLocals;
        this.fastLocals = null;
        if (fl) r.release(this, fl, 'f_locals');
        this.releaseLocals(r);
        const back = this.back;
        this.back = null;
        if (back) r.release(this, back, 'f_back');
    }
}

export class PyTraceback extends PyObject {
    /** The expression that raised (3.11+ carets), or null: the statement. */
    node: import('../parser/ast').Range | null = null;
    /**
     * An entry for a line of standard-library Python code the engine runs natively (frame null):
     * the file as the recorder shows it (`<stdlib>/concurrent/futures/_base.py`), the function,
     * the source line and the carets under it (3.11+), and the references its frame holds (the
     * function's arguments: a frame object the engine does not make, kept alive by the traceback
     * as CPython's is).
     */
    stdlib: { file: string; name: string; source: string; carets: string | null; holds: PyObject[] } | null = null;
    constructor(
        type: PyType,
        public next: PyTraceback | null,
        public frame: PyFrameObject | null,
        public line: number,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.next) visit(this.next);
        if (this.frame) visit(this.frame);
        if (this.stdlib) for (const o of this.stdlib.holds) visit(o);
    }
    /** tb_dealloc / tb_clear: tb_next before tb_frame, so the innermost frame's locals die first. */
    override clear(r: Refs): void {
        const { next, frame } = this;
        this.next = null;
        this.frame = null;
        if (next) r.release(this, next, 'tb_next');
        if (frame) r.release(this, frame, 'tb_frame');
        if (this.stdlib?.holds.length) {
            const holds = this.stdlib.holds;
            this.stdlib.holds = [];
            for (const o of holds) r.release(this, o, `(${this.stdlib.name} frame)`);
        }
    }
}

export class PyModule extends PyObject {
    /**
     * The module implements only part of CPython's (threads/threadingModule.ts): a name it lacks is
     * "not supported in scenarios yet", never an AttributeError the real module would not raise.
     */
    partial = false;
    /**
     * PEP 562's module `__getattr__` for a name not in the dict (concurrent.futures loads its
     * executors on first use): a new reference, or null when the module has no such attribute.
     */
    lazyAttr: ((name: string) => PyObject | null) | null = null;
    constructor(
        type: PyType,
        public name: string,
        public dict: PyDict,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        visit(this.dict);
    }
    /** module_clear drops md_dict; module_dealloc (3.4+) only decrefs it, never wipes it. */
    override clear(r: Refs): void {
        r.release(this, this.dict, '__dict__');
    }
}
