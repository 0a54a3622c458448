/*
 * printStatement.ts
 *
 * Python 2.7's print statement, as ceval.c runs it: PRINT_ITEM[_TO] for each value (evaluated
 * just before it is printed, so `print a, f()` prints `a` before calling `f`), then
 * PRINT_NEWLINE[_TO] unless the statement ends with a comma. The stream's "softspace" flag
 * (PyFile_SoftSpace) is what puts one space between the items of `print a,` and `print b`: an item
 * is preceded by a space when the flag is set, and sets it unless it is a string ending in
 * whitespace other than ' '; a newline, and any `file.write()`, clears it. Py_FlushLine (run when
 * `__main__` ends and before a traceback is printed) writes the newline still owed.
 */

import type * as ast from '../parser/ast';
import type { PyObject } from '../runtime/object';
import { PyStr, PyInt } from '../runtime/values';
import type { Interpreter } from './interpreter';
import type { Frame } from './frame';
import { evalExpr } from './eval';
import { str } from './format';
import { getAttr, getAttrOrNull, setAttr } from './attrs';
import { PyRaise, dropRaise } from './signals';
import { OutStreamObject } from '../builtins/modules';
import { FileObject27 } from '../io/fileobject';
import { writeTo } from '../builtins/functions';

export function execPrint(it: Interpreter, f: Frame, s: ast.Print): void {
    const stream = s.dest ? evalExpr(it, f, s.dest) : null;
    try {
        for (const e of s.values) {
            const v = evalExpr(it, f, e);
            try {
                printItem(it, stream, v);
            } finally {
                it.decref(v);
            }
        }
        if (s.nl) printNewline(it, stream);
    } finally {
        if (stream) it.decref(stream);
    }
}

/** The stream a print writes to: `>>None` and no `>>` both mean sys.stdout. */
function target(it: Interpreter, stream: PyObject | null): PyObject {
    if (stream && stream !== it.None) return stream;
    const w = it.sysModule.dict.getStr('stdout');
    if (!w) throw it.error('RuntimeError', 'lost sys.stdout');
    return w;
}

/**
 * PyFile_WriteObject / PyFile_WriteString: a stream that is not a file is written through its
 * `write` attribute, None included — unlike 3.x's print(), which returns when sys.stdout is None,
 * 2.7's print statement then fails with AttributeError (a `__del__` printing after sys.stdout was
 * wiped reports "Exception AttributeError: ... ignored").
 */
function write27(it: Interpreter, w: PyObject, text: () => string): void {
    // The attribute is looked up before the value is converted (no __str__ runs).
    if (w === it.None) it.decref(getAttr(it, w, 'write'));
    writeTo(it, w, text());
}

function printItem(it: Interpreter, stream: PyObject | null, v: PyObject): void {
    const w = it.incref(target(it, stream));
    try {
        if (softSpace(it, w, 0)) write27(it, w, () => ' ');
        write27(it, w, () => str(it, v));
        if (v instanceof PyStr) {
            const last = v.v.charAt(v.v.length - 1);
            if (last === '' || last === ' ' || !/[\t\n\v\f\r]/.test(last)) softSpace(it, w, 1);
        } else {
            softSpace(it, w, 1);
        }
    } finally {
        it.decref(w);
    }
}

function printNewline(it: Interpreter, stream: PyObject | null): void {
    const w = it.incref(target(it, stream));
    try {
        write27(it, w, () => '\n');
        softSpace(it, w, 0);
    } finally {
        it.decref(w);
    }
}

/** Py_FlushLine: the newline a `print x,` still owes sys.stdout. */
export function flushLine(it: Interpreter): void {
    const w = it.sysModule.dict.getStr('stdout');
    if (!w || w === it.None) return;
    try {
        if (softSpace(it, w, 0)) writeTo(it, w, '\n');
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        dropRaise(it, e);
    }
}

/**
 * PyFile_SoftSpace: sets the flag, returns the old one. A `file` keeps it in the object; anything
 * else gets a `softspace` attribute (errors cleared), so printing to an instance stores an int in
 * its `__dict__`.
 */
function softSpace(it: Interpreter, f: PyObject, flag: number): number {
    if (f instanceof OutStreamObject || f instanceof FileObject27) {
        const old = f.softspace;
        f.softspace = flag;
        return old;
    }
    let old = 0;
    try {
        const v = getAttrOrNull(it, f, 'softspace');
        if (v) {
            if (v instanceof PyInt) old = Number(v.v);
            it.decref(v);
        }
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        dropRaise(it, e);
    }
    try {
        const n = it.int(flag);
        setAttr(it, f, 'softspace', n);
        it.decref(n);
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        dropRaise(it, e);
    }
    return old;
}
