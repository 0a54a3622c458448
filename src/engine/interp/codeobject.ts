/*
 * codeobject.ts
 *
 * Code objects (Objects/codeobject.c) as a frame shows them: `frame.f_code` is the code object of
 * the body the frame runs, one per compiled body (the same object every time it is asked for),
 * with `co_name`, `co_qualname` (3.11+), `co_filename` (the name the script was run by, as
 * `__file__`) and `co_firstlineno` (compiler_function: a decorated def's or class's first
 * decorator line; a module's per Profile.moduleFirstLineIsFirstStatement). The engine's heap holds no code objects: they are constants of
 * the enclosing code, never GC-tracked, and what lifetimes depend on is the frames and functions
 * that run them; so each is a static object, made when first asked for. Its other attributes
 * (co_varnames, co_consts…) are refused by the names table where they are looked up.
 */

import { ObjFlag, PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { CodeInfo } from './code';
import type { Interpreter } from './interpreter';

export class PyCode extends PyObject {
    constructor(
        type: PyType,
        readonly info: CodeInfo,
    ) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

const codes = new WeakMap<CodeInfo, PyCode>();

/** The code object of a compiled body (the same object every time), or null for a frame the engine runs natively. */
export function codeObject(it: Interpreter, key: object | null): PyCode | null {
    if (!(key instanceof CodeInfo)) return null;
    let c = codes.get(key);
    if (!c) {
        c = new PyCode(it.T.code, key);
        c.id = it.heap.newId();
        codes.set(key, c);
    }
    return c;
}

/**
 * co_firstlineno: a def's or class's first decorator line, the lambda's or comprehension's line; a
 * module's is its first statement's line up to 3.9, 1 since (and for an empty one).
 */
export function firstLineno(it: Interpreter, info: CodeInfo): number {
    const node = info.node;
    if (node.kind === 'Module') return it.profile.moduleFirstLineIsFirstStatement ? (node.body[0]?.line ?? 1) : 1;
    if ((node.kind === 'FunctionDef' || node.kind === 'ClassDef') && node.decorators.length) return node.decorators[0]!.line;
    return node.line;
}

/** code_repr. */
export function codeRepr(it: Interpreter, code: PyCode, address: string): string {
    return `<code object ${code.info.name} at ${address}, file "${code.info.filename}", line ${firstLineno(it, code.info)}>`;
}

/** A code object's attribute, or null when the engine does not model it. */
export function codeAttr(it: Interpreter, code: PyCode, name: string): PyObject | null {
    const info = code.info;
    switch (name) {
        case 'co_name':
            return it.str(info.name);
        case 'co_qualname':
            return it.profile.major === 3 && it.profile.minor >= 11 ? it.str(info.qualname) : null;
        case 'co_filename':
            return it.str(info.filename);
        case 'co_firstlineno':
            return it.int(firstLineno(it, info));
    }
    return null;
}
