/*
 * floatobject.ts
 *
 * The float arithmetic that JavaScript's operators do not give as CPython does: float_pow (C's
 * pow() with CPython's special cases and errno checks), PyLong_AsDouble (an OverflowError, not
 * inf, for an int beyond the float range) and long_true_divide (correctly rounded for ints of any
 * size). V8's Math.pow is not correctly rounded (10 ** -5 is 9.999999999999999e-06), glibc's pow
 * is for the integer powers scenarios use, so those are computed exactly and rounded once.
 */

import type { Interpreter } from './interpreter';
import { msg } from '../messages';
import { PyRaise } from './signals';
import { unsupported } from './eval';

/** PyLong_AsDouble: an int as a float, OverflowError when it is out of range. */
export function intToFloat(it: Interpreter, v: number | bigint): number {
    const x = Number(v);
    if (!Number.isFinite(x)) throw it.error('OverflowError', msg(it.profile, 'intTooLargeForFloat'));
    return x;
}

/** x = m * 2**e with m an integer (x finite, non-zero). */
function decompose(x: number): [bigint, number] {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Math.abs(x));
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const biased = hi >>> 20;
    let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let e: number;
    if (biased === 0) e = -1074;
    else {
        m |= 1n << 52n;
        e = biased - 1075;
    }
    return [m, e];
}

function bitLength(v: bigint): number {
    return v.toString(2).length;
}

/** num / den * 2**exp2 rounded once to the nearest float (num, den > 0). */
export function ratioToFloat(num: bigint, den: bigint, exp2: number): number {
    // A 64-bit quotient with a sticky bit for the remainder rounds correctly in Number().
    const shift = 64 - (bitLength(num) - bitLength(den));
    if (shift > 0) num <<= BigInt(shift);
    else den <<= BigInt(-shift);
    let q = num / den;
    if (num % den !== 0n) q |= 1n;
    let r = Number(q);
    let k = exp2 - shift;
    // Scale by 2**k in steps that stay exact (2**±1023 is representable).
    while (k > 1000 && Number.isFinite(r)) {
        r *= 2 ** 1000;
        k -= 1000;
    }
    while (k < -1000 && r !== 0) {
        r *= 2 ** -1000;
        k += 1000;
    }
    return r * 2 ** k;
}

/** The largest |exponent| computed exactly (bits of the power stay in the tens of thousands). */
const EXACT_POW_LIMIT = 1100;

/** C's pow(x, n) for an integer n, correctly rounded. */
function intPow(x: number, n: number): number {
    if (n === 1) return x;
    if (n === 2) return x * x;
    const [m, e] = decompose(x);
    const neg = x < 0 && n % 2 !== 0;
    const p = m ** BigInt(Math.abs(n));
    const r = n > 0 ? ratioToFloat(p, 1n, e * n) : ratioToFloat(1n, p, e * n);
    return neg ? -r : r;
}

/**
 * float_pow (two arguments): the special cases it handles before calling C's pow(), then
 * _Py_ADJUST_ERANGE1: an infinite result from finite operands is OverflowError(ERANGE).
 */
export function floatPow(it: Interpreter, iv: number, iw: number): number {
    if (iw === 0) return 1.0;
    if (Number.isNaN(iv)) return iv;
    if (Number.isNaN(iw)) return iv === 1.0 ? 1.0 : iw;
    if (!Number.isFinite(iw)) {
        const a = Math.abs(iv);
        if (a === 1.0) return 1.0;
        return iw > 0 === a > 1.0 ? Math.abs(iw) : 0.0;
    }
    if (!Number.isFinite(iv)) return Math.pow(iv, iw);
    if (iv === 0.0) {
        if (iw < 0) throw it.error('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        return Math.pow(iv, iw);
    }
    const integral = Number.isInteger(iw);
    if (iv < 0 && !integral) {
        if (it.profile.major === 2) throw it.error('ValueError', 'negative number cannot be raised to a fractional power');
        throw unsupported({ line: it.line, col: it.col, endLine: it.line, endCol: it.col }, 'complex numbers (a negative number to a fractional power)');
    }
    if (iv === 1.0) return 1.0;
    const r = integral && Math.abs(iw) <= EXACT_POW_LIMIT ? intPow(iv, iw) : Math.pow(iv, iw);
    if (!Number.isFinite(r)) {
        // PyErr_SetFromErrno(OverflowError): args (errno, strerror(errno)).
        const e = it.newException(it.T.OverflowError, [it.int(34), it.str('Numerical result out of range')]);
        e.unnormalized = 'args';
        throw new PyRaise(e);
    }
    return r;
}

/** long_true_divide: a / b correctly rounded (b non-zero), OverflowError past the float range. */
export function intTrueDivide(it: Interpreter, a: number | bigint, b: number | bigint): number {
    if (typeof a === 'number' && typeof b === 'number') return a / b;
    const A = BigInt(a);
    const B = BigInt(b);
    if (A === 0n) return B < 0n ? -0 : 0;
    const neg = A < 0n !== B < 0n;
    const r = ratioToFloat(A < 0n ? -A : A, B < 0n ? -B : B, 0);
    if (!Number.isFinite(r)) throw it.error('OverflowError', msg(it.profile, 'intDivisionTooLarge'));
    return neg ? -r : r;
}
