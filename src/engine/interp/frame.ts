/*
 * frame.ts
 *
 * The interpreter's frame: FrameData (the references a frame holds) plus what only the interpreter
 * needs: the code being run, inlined comprehension scopes (3.12+), class-body cells.
 */

import { FrameData } from '../runtime/frames';
import type { PyObject } from '../runtime/object';
import { PyCell } from '../runtime/callables';
import type { PyDict } from '../runtime/containers';
import type { CodeInfo } from './code';
import type { Interpreter } from './interpreter';

/** An inlined comprehension's hidden fast locals (PEP 709), cleared when it ends. */
interface CompScope {
    code: CodeInfo;
    values: Map<string, PyObject>;
    /** Targets captured by nested functions live in cells (one per comprehension run). */
    cells: Map<string, PyCell>;
}

export class Frame extends FrameData {
    // (null from the prototype, below: few frames set these, see FrameData's localsDict.)
    declare private comps: CompScope[] | null;
    /** Class bodies: the `__class__` cell and free variables passed through, by name. */
    declare cells: Map<string, PyObject> | null;
    /** ≤3.11 comprehension frames run this instead of a statement body. */
    declare compBody: (() => PyObject) | null;

    constructor(
        readonly code: CodeInfo,
        globals: PyDict,
        back: FrameData | null,
    ) {
        super(code.qualname, code.names, globals, back, code.filename);
    }

    /** The code whose rules resolve names right now (an inlined comprehension's, or the frame's). */
    get nameCode(): CodeInfo {
        const c = this.comps;
        return c && c.length ? c[c.length - 1].code : this.code;
    }

    pushComp(it: Interpreter, code: CodeInfo): void {
        const cells = new Map<string, PyCell>();
        for (const name of code.scope.cellvars) cells.set(name, it.heap.register(new PyCell(it.T.cell, null, name)));
        (this.comps ??= []).push({ code, values: new Map(), cells });
    }

    /** Ends an inlined comprehension: its targets are restored (released), then its cells. */
    popComp(it: Interpreter): void {
        const scope = this.comps!.pop()!;
        for (const v of scope.values.values()) it.decref(v);
        for (const c of scope.cells.values()) it.decref(c);
    }

    private owner(name: string): CompScope | null {
        const c = this.comps;
        if (!c) return null;
        for (let i = c.length - 1; i >= 0; i--) if (c[i].code.scope.locals.has(name)) return c[i];
        return null;
    }

    compValue(name: string): PyObject | null {
        const o = this.owner(name);
        if (!o) return null;
        const cell = o.cells.get(name);
        return cell ? cell.ref : (o.values.get(name) ?? null);
    }

    /** The cell of an inlined comprehension's captured target, if `name` is one. */
    compCell(name: string): PyCell | null {
        return this.owner(name)?.cells.get(name) ?? null;
    }

    /** Stores into the innermost inlined comprehension that owns `name`; returns the old value. */
    setCompValue(name: string, v: PyObject | null): PyObject | null {
        const o = this.owner(name);
        if (!o) throw new Error(`internal: no comprehension owns ${name}`);
        const cell = o.cells.get(name);
        if (cell) {
            const old = cell.ref;
            cell.ref = v;
            return old;
        }
        const old = o.values.get(name) ?? null;
        if (v) o.values.set(name, v);
        else o.values.delete(name);
        return old;
    }

    classCell(name: string): PyObject | null {
        return this.cells?.get(name) ?? null;
    }
}
Object.assign(Frame.prototype, { comps: null, cells: null, compBody: null });
