/*
 * values.ts
 *
 * Atomic values: int, bool, float, complex, str, bytes, None, Ellipsis, NotImplemented. They hold no
 * references, take no part in cycles, and their lifetimes are not interesting to a user, so the
 * engine never refcounts them (flag Atomic). `sys.getrefcount` on them answers per profile.
 */

import { PyObject, ObjFlag } from './object';
import type { PyType } from './types';

export class PyInt extends PyObject {
    constructor(type: PyType, public v: number | bigint) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

export class PyFloat extends PyObject {
    constructor(type: PyType, public v: number) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

/** A complex number (interp/complexobject.ts): two float parts. */
export class PyComplex extends PyObject {
    constructor(
        type: PyType,
        public re: number,
        public im: number,
    ) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

export class PyStr extends PyObject {
    constructor(type: PyType, public v: string) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * The length of a str as Python counts it (code points): the JS length less one per surrogate pair,
 * without building an array of the characters (`[...s].length` of a 100 MB string is seconds).
 */
export function codePointCount(s: string): number {
    if (!/[\uD800-\uDBFF]/.test(s)) return s.length;
    return s.length - (s.match(SURROGATE_PAIR)?.length ?? 0);
}

export class PyBytes extends PyObject {
    constructor(type: PyType, public v: Uint8Array) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

/** None, Ellipsis, NotImplemented: singletons with no state. */
export class PySingleton extends PyObject {
    constructor(type: PyType, public readonly name: string) {
        super(type);
        this.flags |= ObjFlag.Atomic;
    }
}

/** Normalizes a Python int result: JS numbers while exact, bigint beyond 2^53. */
export function normInt(v: number | bigint): number | bigint {
    if (typeof v === 'bigint') {
        if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
        return v;
    }
    return v;
}
