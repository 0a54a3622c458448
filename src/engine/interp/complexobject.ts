/*
 * complexobject.ts
 *
 * The `complex` type as Objects/complexobject.c defines it, for the values programs write: the
 * imaginary literal, complex(real, imag) of numbers, `+ - * /` with ints, floats and complexes
 * (_Py_c_sum, _Py_c_diff, _Py_c_prod, _Py_c_quot's scaled division), unary minus and plus, abs
 * (hypot), truth, `==` with the other numbers, complex_hash (the parts' float hashes combined
 * with _PyHASH_IMAG), complex_repr (each part as repr prints a float, without a `.0`; the real
 * part and parentheses only when it is not +0), `real`, `imag` and `conjugate()`. A complex is an
 * atomic value like a float: never tracked, never counted.
 *
 * Refused rather than guessed: `**` (c_pow/c_powi rounding), division involving an infinity or a
 * NaN (3.12's C99 Annex G recovery), complex(str), and 2.7 (its compiler folds `-5j` into a
 * constant with a +0 real part, and str() formats with '%.12g').
 */

import type { PyObject } from '../runtime/object';
import type { OperatorName } from '../parser/ast';
import { PyInt, PyFloat, PyComplex, PyStr } from '../runtime/values';
import { PyProperty } from '../runtime/callables';
import { ObjFlag } from '../runtime/object';
import type { Interpreter } from './interpreter';
import { floatRepr } from './format';
import { msg } from '../messages';
import { unsupportedAt } from '../names/refuse';
import { install } from '../builtins/methods';
import { arity } from '../builtins/args';
import { nativeConstructors } from '../modules/stdTypes';

/** The parts of a number operand (an int or a float is a complex with a +0 imaginary part), or null. */
function parts(o: PyObject): [number, number] | null {
    if (o instanceof PyComplex) return [o.re, o.im];
    if (o instanceof PyFloat) return [o.v, 0];
    if (o instanceof PyInt) return [Number(o.v), 0];
    return null;
}

/** Stops a run that met a complex on 2.7 (see the header). */
export function refuseComplex27(it: Interpreter): void {
    if (it.profile.major === 2) throw unsupportedAt(it, 'complex numbers on Python 2.7');
}

/**
 * `a op b` where one operand is a complex (complex_add, complex_sub, complex_mul, complex_div;
 * the other converted by to_complex), or null when the operation is not complex's (the caller
 * raises the generic TypeError, as 3.10+ do for `//`, `%` and divmod).
 */
export function complexArith(it: Interpreter, op: OperatorName, a: PyObject, b: PyObject): PyObject | null {
    const x = parts(a);
    const y = parts(b);
    if (x === null || y === null) return null;
    const [ar, ai] = x;
    const [br, bi] = y;
    switch (op) {
        case 'Add':
            return it.complex(ar + br, ai + bi);
        case 'Sub':
            return it.complex(ar - br, ai - bi);
        case 'Mult':
            return it.complex(ar * br - ai * bi, ar * bi + ai * br);
        case 'Div':
            return quotient(it, ar, ai, br, bi);
        case 'FloorDiv':
        case 'Mod':
            // 3.8/3.9 still had complex_int_div and complex_remainder, raising their own TypeError.
            if (it.profile.complexFloorDivRaises) throw it.error('TypeError', msg(it.profile, op === 'Mod' ? 'complexMod' : 'complexFloorDiv'));
            return null;
        case 'Pow':
            throw unsupportedAt(it, 'a power of a complex number');
        default:
            return null;
    }
}

/** _Py_c_quot: Smith's algorithm, scaling by the larger of the divisor's parts. */
function quotient(it: Interpreter, ar: number, ai: number, br: number, bi: number): PyObject {
    if (![ar, ai, br, bi].every(Number.isFinite)) throw unsupportedAt(it, 'complex division with an infinite or NaN part');
    const absBr = Math.abs(br);
    const absBi = Math.abs(bi);
    if (absBr >= absBi) {
        if (absBr === 0) throw it.error('ZeroDivisionError', 'complex division by zero');
        const ratio = bi / br;
        const denom = br + bi * ratio;
        return it.complex((ar + ai * ratio) / denom, (ai - ar * ratio) / denom);
    }
    const ratio = br / bi;
    const denom = br * ratio + bi;
    return it.complex((ar * ratio + ai) / denom, (ai * ratio - ar) / denom);
}

/** A float part as PyOS_double_to_string(x, 'r', 0, flags) writes it: repr without the added `.0`; `sign`: Py_DTSF_SIGN. */
function part(x: number, sign: boolean): string {
    let s = floatRepr(x);
    if (s.endsWith('.0')) s = s.slice(0, -2);
    return sign && !s.startsWith('-') ? '+' + s : s;
}

/** complex_repr: `5j` when the real part is +0, else `(1+5j)`. */
export function complexRepr(c: PyComplex): string {
    if (c.re === 0 && !Object.is(c.re, -0)) return part(c.im, false) + 'j';
    return `(${part(c.re, false)}${part(c.im, true)}j)`;
}

/** complex_hash: hash(real) + 1000003 * hash(imag) in unsigned 64-bit arithmetic, -1 becoming -2. */
export function complexHash(hashReal: number | bigint, hashImag: number | bigint): number | bigint {
    const U64 = (1n << 64n) - 1n;
    let h = BigInt.asIntN(64, (BigInt(hashReal) + 1000003n * BigInt(hashImag)) & U64);
    if (h === -1n) h = -2n;
    const n = Number(h);
    return Number.isSafeInteger(n) ? n : h;
}

/** complex's constructor, attributes and methods. */
export function installComplex(it: Interpreter): void {
    const t = it.T.complex;
    nativeConstructors(it).set(t, (args, kwargs) => {
        if (kwargs?.size) throw unsupportedAt(it, 'complex() with keyword arguments');
        arity(it, 'complex', args, 0, 2);
        refuseComplex27(it);
        const [r, i] = [args[0] ?? it.int(0), args[1] ?? it.int(0)];
        if (r instanceof PyStr || i instanceof PyStr) throw unsupportedAt(it, 'complex() of a str');
        const x = parts(r);
        const y = parts(i);
        if (x === null || y === null || r.type.isHeap || i.type.isHeap) throw unsupportedAt(it, 'complex() of an object that is no int, float or complex');
        // complex_new: real + imag * 1j, where (x0 + x1 j) * 1j is (-x1 + x0 j).
        return it.complex(x[0] - y[1], x[1] + y[0]);
    });
    for (const name of ['real', 'imag'] as const) {
        const fget = it.builtin(name, (_s, args) => it.float((args[0] as PyComplex)[name === 'real' ? 're' : 'im']));
        const p = new PyProperty(it.T.property, fget, null, null);
        p.flags |= ObjFlag.Atomic;
        p.id = it.heap.newId();
        t.dict.set(it.heap, it.str(name), p);
    }
    install(it, t, {
        conjugate(self, args) {
            arity(it, 'conjugate', args, 0, 0);
            const c = self as PyComplex;
            return it.complex(c.re, -c.im);
        },
    });
}
