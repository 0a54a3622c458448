/*
 * args.ts
 *
 * Argument checking for native functions, with CPython's error messages.
 */

import type { PyObject } from '../runtime/object';
import type { KwArgs } from '../runtime/callables';
import { PyInt, PyFloat, PyStr } from '../runtime/values';
import { msg } from '../messages';
import type { Interpreter } from '../interp/interpreter';

export function arity(it: Interpreter, name: string, args: PyObject[], min: number, max: number): void {
    if (args.length >= min && args.length <= max) return;
    if (min === max) {
        if (min === 0) throw it.error('TypeError', `${name}() takes no arguments (${args.length} given)`);
        if (min === 1) throw it.error('TypeError', `${name}() takes exactly one argument (${args.length} given)`);
        throw it.error('TypeError', msg(it.profile, 'unpackCount', name, '', min, args.length));
    }
    // PyArg_UnpackTuple (2.7 always says "arguments").
    if (args.length < min) throw it.error('TypeError', msg(it.profile, 'unpackCount', name, 'at least ', min, args.length));
    throw it.error('TypeError', msg(it.profile, 'unpackCount', name, 'at most ', max, args.length));
}

export function noKwargs(it: Interpreter, name: string, kwargs: KwArgs): void {
    if (kwargs && kwargs.size) throw it.error('TypeError', `${name}() takes no keyword arguments`);
}

export function kw(kwargs: KwArgs, name: string): PyObject | null {
    return kwargs?.get(name) ?? null;
}

export function onlyKw(it: Interpreter, fname: string, kwargs: KwArgs, allowed: string[]): void {
    if (!kwargs) return;
    for (const k of kwargs.keys()) {
        if (!allowed.includes(k)) throw it.error('TypeError', `'${k}' is an invalid keyword argument for ${fname}()`);
    }
}

export function toInt(it: Interpreter, o: PyObject, what = 'an integer'): number {
    if (o instanceof PyInt) return Number(o.v);
    throw it.error('TypeError', `'${o.type.name}' object cannot be interpreted as ${what}`);
}

const LONG_MAX = (1n << 63n) - 1n;
const INT_MAX = (1n << 31n) - 1n;

/**
 * A C int argument. `getargs`: PyArg_ParseTuple's "i" (PyLong_AsLong, then the int range with
 * its own words); `clinic`: Argument Clinic's _PyLong_AsInt (one message for both). A float is
 * refused with the version's words.
 */
export function toCInt(it: Interpreter, o: PyObject, conversion: 'getargs' | 'clinic'): number {
    if (o instanceof PyFloat) throw it.error('TypeError', msg(it.profile, 'intArgGotFloat'));
    const n = toInt(it, o);
    const v = BigInt((o as PyInt).v);
    if (v > INT_MAX || v < -INT_MAX - 1n) {
        if (conversion === 'clinic') throw it.error('OverflowError', 'Python int too large to convert to C int');
        if (v > LONG_MAX || v < -LONG_MAX - 1n) throw it.error('OverflowError', 'Python int too large to convert to C long');
        throw it.error('OverflowError', v > 0n ? 'signed integer is greater than maximum' : 'signed integer is less than minimum');
    }
    return n;
}

/**
 * PyNumber_AsSsize_t(o, OverflowError): an int as a C ssize_t (sequence repeat counts and the
 * like); a value beyond 64 bits is `OverflowError: cannot fit 'int' into an index-sized integer`.
 */
export function toSsize(it: Interpreter, o: PyObject): number {
    if (!(o instanceof PyInt)) throw it.error('TypeError', `'${o.type.name}' object cannot be interpreted as an integer`);
    const v = o.v;
    if (typeof v === 'bigint' && (v >= 1n << 63n || v < -(1n << 63n))) throw it.error('OverflowError', msg(it.profile, 'indexOverflow'));
    return Number(v);
}

export function toStr(it: Interpreter, o: PyObject, fname: string): string {
    if (o instanceof PyStr) return o.v;
    throw it.error('TypeError', `${fname}() argument must be str, not ${o.type.name}`);
}

export function toNum(o: PyObject): number | null {
    if (o instanceof PyInt || o instanceof PyFloat) return Number(o.v);
    return null;
}
