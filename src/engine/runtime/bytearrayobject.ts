/*
 * bytearrayobject.ts
 *
 * The storage of a `bytearray` (Objects/bytearrayobject.c's PyByteArrayObject) and the buffer
 * protocol's simple contiguous view (PyObject_GetBuffer with PyBUF_SIMPLE) of the types that export
 * one. A bytearray holds no references: it is refcounted and freed at its last reference like any
 * object, but it is not a GC type (PyObject_New, never tracked: gc.is_tracked answers False), so it
 * can never be part of a cycle. Its methods and slots are builtins/bytearrayobject.ts.
 */

import { NativeObject } from './nativeObject';
import { PyBytes, PyStr } from './values';
import type { PyObject } from './object';
import type { PyType } from './types';
import type { Interpreter } from '../interp/interpreter';

export class PyByteArray extends NativeObject {
    constructor(
        type: PyType,
        /** The bytes, exactly Py_SIZE of them (a resize replaces the array: ob_alloc's slack is not modelled). */
        public v: Uint8Array,
    ) {
        super(type);
    }

    override reprText(it: Interpreter): string {
        // bytearray_repr: the class name, then the bytes' repr with its `b` prefix in every version,
        // a single quote escaped even inside double quotes.
        return `${this.type.name}(${bytesLiteral(this.v, true)})`;
    }

    /** tp_hash is PyObject_HashNotImplemented: `unhashable type: 'bytearray'`. */
    override get hashNotImplemented(): boolean {
        return true;
    }
}

/**
 * PyObject_GetBuffer(o, PyBUF_SIMPLE): the bytes of an object exporting a contiguous buffer (bytes,
 * bytearray; 2.7's str, which bytes literals are there), or null when its type has no
 * tp_as_buffer. The view is the object's own storage: read it before anything can change it.
 */
export function bufferOf(it: Interpreter, o: PyObject): Uint8Array | null {
    if (o instanceof PyBytes || o instanceof PyByteArray) return o.v;
    if (o instanceof PyStr && it.profile.bytesAreStr) {
        const out = new Uint8Array(o.v.length);
        for (let i = 0; i < o.v.length; i++) {
            const c = o.v.charCodeAt(i);
            // A character past Latin-1 cannot be one byte of a 2.7 str: not a buffer the engine knows.
            if (c > 0xff) return null;
            out[i] = c;
        }
        return out;
    }
    return null;
}

/**
 * The `b'…'` literal of some bytes, quoted as bytes_repr quotes them (single quotes unless only they
 * occur); `escapeSingle`: bytearray_repr's, which escapes a single quote whichever quote it chose.
 */
export function bytesLiteral(b: Uint8Array, escapeSingle = false): string {
    let hasSingle = false;
    let hasDouble = false;
    for (const c of b) {
        if (c === 0x27) hasSingle = true;
        if (c === 0x22) hasDouble = true;
    }
    const q = hasSingle && !hasDouble ? '"' : "'";
    let s = '';
    for (const c of b) {
        const ch = String.fromCharCode(c);
        if (ch === q || ch === '\\' || (escapeSingle && c === 0x27)) s += '\\' + ch;
        else if (c === 10) s += '\\n';
        else if (c === 13) s += '\\r';
        else if (c === 9) s += '\\t';
        else if (c < 0x20 || c >= 0x7f) s += '\\x' + c.toString(16).padStart(2, '0');
        else s += ch;
    }
    return 'b' + q + s + q;
}
