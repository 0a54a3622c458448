/*
 * oserror.ts
 *
 * A failed system call of the run's directory (memdir.ts OsError) becomes the OSError CPython
 * raises (PyErr_SetFromErrnoWithFilenameObject): FileNotFoundError(2, 'No such file or
 * directory') with `filename`, printed `[Errno 2] No such file or directory: 'counterfile'`; 2.7
 * raises IOError from open() and file objects, OSError from the os module. A path outside the
 * directory (PathRefused) stops the run instead: the engine never looks at the real disk.
 */

import type { PyObject } from '../runtime/object';
import type { Interpreter } from '../interp/interpreter';
import { PyRaise } from '../interp/signals';
import { OsError, PathRefused } from './memdir';
import { refuseIo } from './iobase';
import { oserrorFromErrno } from '../builtins/exceptions';

export type Py2OsClass = 'IOError' | 'OSError';

/** The Python exception (or refusal) for a failure of the run's directory; anything else is rethrown. */
export function osFailure(it: Interpreter, e: unknown, py2Class: Py2OsClass, filename?: PyObject, filename2?: PyObject): never {
    if (e instanceof OsError) {
        const f1 = e.filename === null ? null : (filename ?? it.str(e.filename));
        const f2 = e.filename2 === null ? null : (filename2 ?? it.str(e.filename2));
        throw oserrorFromErrno(it, e.errno, f1, f2, py2Class) as PyRaise;
    }
    if (e instanceof PathRefused) throw refuseIo(it, e.message);
    throw e;
}

/** Runs a call on the run's directory, turning its failures into Python exceptions or refusals. */
export function sysCall<T>(it: Interpreter, py2Class: Py2OsClass, fn: () => T, filename?: PyObject, filename2?: PyObject): T {
    try {
        return fn();
    } catch (e) {
        return osFailure(it, e, py2Class, filename, filename2);
    }
}
