/*
 * intFormat.ts
 *
 * hex(), oct() and bin() (Python/bltinmodule.c over Objects/longobject.c's _PyLong_Format).
 * 3.x: all three take any object with __index__ (PyNumber_Index) and write 0x / 0o / 0b.
 * 2.7: hex() and oct() ask the number's nb_hex / nb_oct (int and long only; a class's __hex__ /
 * __oct__), write oct with a bare leading 0 ('0377', and '0' for zero) and add 'L' to a long;
 * bin() uses PyNumber_Index as 3.x does, with no 'L'.
 */

import type { PyObject } from '../runtime/object';
import { PyInt } from '../runtime/values';
import type { Interpreter } from '../interp/interpreter';
import { userMethod, callMethod } from '../interp/slots';
import { msg } from '../messages';
import { arity, noKwargs } from './args';
import type { KwArgs } from '../runtime/callables';

/** PyNumber_Index: the integer value of `o` (an int, or what its class's `__index__` returns). */
export function numberIndex(it: Interpreter, o: PyObject): bigint {
    if (o instanceof PyInt && !o.type.isHeap) return BigInt(o.v);
    const m = userMethod(it, o, '__index__');
    if (m === null) {
        if (o instanceof PyInt) return BigInt(o.v);
        throw it.error('TypeError', msg(it.profile, 'notAnIndex', o.type.name));
    }
    const r = callMethod(it, m, o, []);
    try {
        if (!(r instanceof PyInt)) throw it.error('TypeError', `__index__ returned non-int (type ${r.type.name})`);
        return BigInt(r.v);
    } finally {
        it.decref(r);
    }
}

/** 2.7: a long (PyLong, past a C long here) gets an 'L'. */
function isLong27(v: bigint): boolean {
    return v >= 1n << 63n || v < -(1n << 63n);
}

function format(v: bigint, radix: number, prefix: string): string {
    return (v < 0n ? '-' : '') + prefix + (v < 0n ? -v : v).toString(radix);
}

/** hex() or oct() under 2.7: int and long natively, else the class's __hex__ / __oct__. */
function hexOct27(it: Interpreter, name: 'hex' | 'oct', o: PyObject): PyObject {
    const m = userMethod(it, o, `__${name}__`);
    if (m !== null) return callMethod(it, m, o, []);
    // (bool is an int subclass: its nb_hex is int's.)
    if (!(o instanceof PyInt)) throw it.error('TypeError', `${name}() argument can't be converted to ${name}`);
    const v = BigInt(o.v);
    const L = isLong27(v) ? 'L' : '';
    if (name === 'hex') return it.str(format(v, 16, '0x') + L);
    return it.str((v === 0n ? '0' : format(v, 8, '0')) + L);
}

export function installIntFormat(it: Interpreter, def: (name: string, fn: (args: PyObject[], kwargs: KwArgs) => PyObject) => void): void {
    const py2 = it.profile.major === 2;
    def('hex', (args, kwargs) => {
        noKwargs(it, 'hex', kwargs);
        arity(it, 'hex', args, 1, 1);
        return py2 ? hexOct27(it, 'hex', args[0]) : it.str(format(numberIndex(it, args[0]), 16, '0x'));
    });
    def('oct', (args, kwargs) => {
        noKwargs(it, 'oct', kwargs);
        arity(it, 'oct', args, 1, 1);
        return py2 ? hexOct27(it, 'oct', args[0]) : it.str(format(numberIndex(it, args[0]), 8, '0o'));
    });
    def('bin', (args, kwargs) => {
        noKwargs(it, 'bin', kwargs);
        arity(it, 'bin', args, 1, 1);
        return it.str(format(numberIndex(it, args[0]), 2, '0b'));
    });
}
