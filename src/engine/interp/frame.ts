/*
 * frame.ts
 *
 * The interpreter's frame: FrameData (the references a frame holds) plus what only the interpreter
 * needs: the code being run, inlined comprehension scopes (3.12+), class-body cells.
 */

import { FrameData } from '../runtime/frames';
import type { PyObject } from '../runtime/object';
import type { PyDict } from '../runtime/containers';
import type { CodeInfo } from './code';
import type { Interpreter } from './interpreter';

/** An inlined comprehension's hidden fast locals (PEP 709), cleared when it ends. */
interface CompScope {
    code: CodeInfo;
    values: Map<string, PyObject>;
}

export class Frame extends FrameData {
    private comps: CompScope[] | null = null;
    /** Class bodies: the `__class__` cell and free variables passed through, by name. */
    cells: Map<string, PyObject> | null = null;
    /** ≤3.11 comprehension frames run this instead of a statement body. */
    compBody: (() => PyObject) | null = null;

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

    pushComp(code: CodeInfo): void {
        (this.comps ??= []).push({ code, values: new Map() });
    }

    /** Ends an inlined comprehension: its targets are restored (released), last bound first. */
    popComp(it: Interpreter): void {
        const scope = this.comps!.pop()!;
        for (const v of scope.values.values()) it.decref(v);
    }

    compValue(name: string): PyObject | null {
        const c = this.comps;
        if (!c) return null;
        for (let i = c.length - 1; i >= 0; i--) {
            const v = c[i].values.get(name);
            if (v) return v;
            if (c[i].code.scope.locals.has(name)) return null;
        }
        return null;
    }

    /** Stores into the innermost inlined comprehension that owns `name`; returns the old value. */
    setCompValue(name: string, v: PyObject): PyObject | null {
        const c = this.comps!;
        for (let i = c.length - 1; i >= 0; i--) {
            if (c[i].code.scope.locals.has(name)) {
                const old = c[i].values.get(name) ?? null;
                c[i].values.set(name, v);
                return old;
            }
        }
        throw new Error(`internal: no comprehension owns ${name}`);
    }

    classCell(name: string): PyObject | null {
        return this.cells?.get(name) ?? null;
    }
}
