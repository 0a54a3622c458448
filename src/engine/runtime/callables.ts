/*
 * callables.ts
 *
 * Functions, cells, bound methods, built-in functions, and the descriptor wrappers
 * (property, staticmethod, classmethod, super). Release orders follow func_clear / func_dealloc,
 * method_dealloc, cell_dealloc and friends.
 */

import { PyObject, ObjFlag, type Refs, type Visit } from './object';
import type { PyType } from './types';
import type { PyDict, PyTuple } from './containers';

/** What the interpreter needs to run a function: filled in by the compiler stage (interp/code.ts). */
export interface CodeRef {
    readonly name: string;
    readonly qualname: string;
}

export class PyFunction extends PyObject {
    defaults: PyTuple | null = null;
    kwdefaults: PyDict | null = null;
    closure: PyTuple | null = null;
    dict: PyDict | null = null;
    /**
     * func_doc and func_module once written (`f.__doc__ = …`, update_wrapper); until then they are
     * read from the code's docstring and the globals' `__name__` (interp/attrs.ts).
     */
    doc: PyObject | null = null;
    module: PyObject | null = null;
    qualname: string;

    constructor(
        type: PyType,
        public code: CodeRef,
        public globals: PyDict | null,
        public name: string,
    ) {
        super(type);
        this.qualname = code.qualname;
    }

    override isGcType(): boolean {
        return true;
    }

    /** func_traverse: code, globals, (builtins, module), defaults, kwdefaults, (doc, name), dict, closure. */
    override traverse(visit: Visit): void {
        if (this.globals) visit(this.globals);
        if (this.module) visit(this.module);
        if (this.defaults) visit(this.defaults);
        if (this.kwdefaults) visit(this.kwdefaults);
        if (this.doc) visit(this.doc);
        if (this.dict) visit(this.dict);
        if (this.closure) visit(this.closure);
    }

    /** func_clear: globals, (builtins), module, defaults, kwdefaults, doc, dict, closure. */
    override clear(r: Refs): void {
        const { globals, module, defaults, kwdefaults, doc, dict, closure } = this;
        this.globals = null;
        this.module = null;
        this.defaults = null;
        this.kwdefaults = null;
        this.doc = null;
        this.dict = null;
        this.closure = null;
        if (globals) r.release(this, globals, '__globals__');
        if (module) r.release(this, module, '__module__');
        if (defaults) r.release(this, defaults, '__defaults__');
        if (kwdefaults) r.release(this, kwdefaults, '__kwdefaults__');
        if (doc) r.release(this, doc, '__doc__');
        if (dict) r.release(this, dict, '__dict__');
        if (closure) r.release(this, closure, '__closure__');
    }
}

export class PyCell extends PyObject {
    constructor(
        type: PyType,
        public ref: PyObject | null,
        public varName: string,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.ref) visit(this.ref);
    }
    override clear(r: Refs): void {
        const v = this.ref;
        this.ref = null;
        if (v) r.release(this, v, this.varName);
    }
}

/** A bound method: `obj.meth` evaluated without an immediate call (method_dealloc: func, then self). */
export class PyMethod extends PyObject {
    constructor(
        type: PyType,
        public func: PyObject | null,
        public self: PyObject | null,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.func) visit(this.func);
        if (this.self) visit(this.self);
    }
    override clear(r: Refs): void {
        const { func, self } = this;
        this.func = null;
        this.self = null;
        if (func) r.release(this, func, '__func__');
        if (self) r.release(this, self, '__self__');
    }
}

export type KwArgs = Map<string, PyObject> | null;

/** Native implementation: `self` is null for plain functions. Arguments are borrowed; returns a new reference. */
export type NativeImpl = (self: PyObject | null, args: PyObject[], kwargs: KwArgs) => PyObject;

/**
 * A built-in function or method descriptor. Unbound ones are static (atomic); binding one to an
 * object (`lst.append` evaluated without a call) allocates a GC object holding `self`.
 */
export class PyBuiltin extends PyObject {
    constructor(
        type: PyType,
        public name: string,
        public impl: NativeImpl,
        public self: PyObject | null = null,
        /** A method descriptor found in a type's dict binds to instances on attribute access. */
        public isMethodDescriptor = false,
        /** `__qualname__`-like owner name for reprs (e.g. 'list'). */
        public ownerName: string | null = null,
    ) {
        super(type);
        if (!self) this.flags |= ObjFlag.Atomic;
    }
    /**
     * A built-in type's special method (CPython's "slot wrapper", `list.__len__`): the operation it
     * wraps runs natively when a subclass inherits it, so slot dispatch (interp/slots.ts) skips it;
     * calling it explicitly (`list.__getitem__(self, i)`, `super().__init__()`) runs the native code.
     */
    slotWrapper = false;
    /**
     * A built-in that can block (a lock's acquire, a queue's get, join, sleep) or call Python code
     * that can (Thread.run): how a thread runs it resumably (threads/threadcall.ts). Its `impl` is
     * what every other caller gets (on the main thread it waits by running the other threads).
     */
    resumable: ((self: PyObject | null, args: PyObject[], kwargs: KwArgs) => Generator<PyObject, PyObject, PyObject>) | null = null;
    override isGcType(): boolean {
        return this.self !== null;
    }
    override traverse(visit: Visit): void {
        if (this.self) visit(this.self);
    }
    override clear(r: Refs): void {
        const s = this.self;
        this.self = null;
        if (s) r.release(this, s, '__self__');
    }
}

/** property(fget, fset, fdel, doc) (property_traverse / property_clear: fget, fset, fdel, doc). */
export class PyProperty extends PyObject {
    doc: PyObject | null = null;
    constructor(
        type: PyType,
        public fget: PyObject | null,
        public fset: PyObject | null,
        public fdel: PyObject | null,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.fget) visit(this.fget);
        if (this.fset) visit(this.fset);
        if (this.fdel) visit(this.fdel);
        if (this.doc) visit(this.doc);
    }
    override clear(r: Refs): void {
        const { fget, fset, fdel, doc } = this;
        this.fget = this.fset = this.fdel = this.doc = null;
        if (fget) r.release(this, fget, 'fget');
        if (fset) r.release(this, fset, 'fset');
        if (fdel) r.release(this, fdel, 'fdel');
        if (doc) r.release(this, doc, '__doc__');
    }
}

/** staticmethod(f) and classmethod(f). */
export class PyMethodWrapper extends PyObject {
    constructor(
        type: PyType,
        public func: PyObject | null,
        public readonly isClassMethod: boolean,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.func) visit(this.func);
    }
    override clear(r: Refs): void {
        const f = this.func;
        this.func = null;
        if (f) r.release(this, f, '__func__');
    }
}

/** super(type, obj). */
export class PySuper extends PyObject {
    constructor(
        type: PyType,
        public startType: PyType,
        public obj: PyObject | null,
        public objType: PyType | null,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.obj) visit(this.obj);
        visit(this.startType);
        if (this.objType) visit(this.objType);
    }
    override clear(r: Refs): void {
        const { obj, objType } = this;
        this.obj = null;
        this.objType = null;
        if (obj) r.release(this, obj, '__self__');
        r.release(this, this.startType, '__thisclass__');
        if (objType) r.release(this, objType, '__self_class__');
    }
}
