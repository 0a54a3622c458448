/*
 * longobject.ts
 *
 * Three-argument pow() as CPython computes it: long_pow with a modulus works modulo |m| at every
 * step (pow(2, 10**18, 1000) never builds 2**10**18), a negative exponent takes the modular
 * inverse (3.8+, bpo-36027) or is refused (2.7), and the result has the modulus's sign.
 * ternary_op decides which operand's slot runs: a class's __pow__(other, mod) on the left, never
 * __rpow__ with a modulus.
 */

import type { PyObject } from '../runtime/object';
import { PyInt, PyFloat, normInt } from '../runtime/values';
import { PyInstance } from '../runtime/instances';
import type { Interpreter } from './interpreter';
import { userMethod, callMethod } from './slots';
import { msg } from '../messages';
import { EngineStop } from './signals';

const MAXINT_27 = (1n << 63n) - 1n;

/**
 * 2.7's int_add, int_mul… overflow into a `long` (PyLong): an int beyond sys.maxint is a long,
 * whose repr ends in `L` (format.ts) but whose type — `type(x)`, `x.__class__`, `isinstance(x,
 * int)` is False — the engine does not model: those stop the run instead of answering `int`.
 * (Small longs, `10L` and `long()`, are refused statically.)
 */
export function refuseLongType27(it: Interpreter, o: PyObject): void {
    if (!(o instanceof PyInt) || typeof o.v !== 'bigint' || it.profile.major !== 2) return;
    if (o.v <= MAXINT_27 && o.v >= -MAXINT_27 - 1n) return;
    throw new EngineStop({ kind: 'unsupported', message: "not supported in scenarios yet: the type of an int beyond sys.maxint on Python 2.7 (a 'long')", line: it.line || 1, col: it.col || 1 });
}

/** Modular inverse of a modulo m (m > 0), or null when gcd(a, m) != 1. */
function modInverse(a: bigint, m: bigint): bigint | null {
    let [r0, r1] = [((a % m) + m) % m, m];
    let [s0, s1] = [1n, 0n];
    while (r1 !== 0n) {
        const q = r0 / r1;
        [r0, r1] = [r1, r0 - q * r1];
        [s0, s1] = [s1, s0 - q * s1];
    }
    return r0 === 1n ? ((s0 % m) + m) % m : null;
}

/** long_pow(a, b, m) for ints. */
function longPowMod(it: Interpreter, a: bigint, b: bigint, m: bigint): PyObject {
    if (m === 0n) throw it.error('ValueError', 'pow() 3rd argument cannot be 0');
    const negativeOutput = m < 0n;
    if (negativeOutput) m = -m;
    if (b < 0n) {
        if (!it.profile.powModInverse) throw it.error('TypeError', 'pow() 2nd argument cannot be negative when 3rd argument specified');
        const inv = modInverse(a, m);
        if (inv === null) throw it.error('ValueError', 'base is not invertible for the given modulus');
        a = inv;
        b = -b;
    }
    if (m === 1n) return it.int(0);
    let base = ((a % m) + m) % m;
    let r = 1n;
    while (b > 0n) {
        if (b & 1n) r = (r * base) % m;
        base = (base * base) % m;
        b >>= 1n;
    }
    if (negativeOutput && r !== 0n) r -= m;
    return it.int(normInt(r));
}

/** pow(a, b, m) with m not None: ternary_op over the three operands' nb_power. */
export function ternaryPow(it: Interpreter, a: PyObject, b: PyObject, m: PyObject): PyObject {
    // slot_nb_power: only the left operand's class may answer, with __pow__(other, mod).
    if (a.type.isHeap || a instanceof PyInstance) {
        const f = userMethod(it, a, '__pow__');
        if (f !== null) {
            const r = callMethod(it, f, a, [b, m]);
            if (r !== it.NotImplemented) return r;
        }
    }
    if (a instanceof PyInt && b instanceof PyInt && m instanceof PyInt) return longPowMod(it, BigInt(a.v), BigInt(b.v), BigInt(m.v));
    const numeric = (o: PyObject) => o instanceof PyInt || o instanceof PyFloat;
    // float_pow with a modulus (reached when a float is among the numbers).
    if (numeric(a) && numeric(b) && (a instanceof PyFloat || b instanceof PyFloat || m instanceof PyFloat)) {
        throw it.error('TypeError', 'pow() 3rd argument not allowed unless all arguments are integers');
    }
    throw it.error('TypeError', msg(it.profile, 'ternaryPowOperands', a.type.name, b.type.name, m.type.name));
}

/**
 * long_to_decimal_string's check: a decimal rendering of more digits than
 * sys.get_int_max_str_digits() is a ValueError (only bigints can be that long).
 */
export function checkDecimalDigits(it: Interpreter, v: number | bigint, text: string): void {
    if (typeof v === 'number' || !it.intMaxStrDigits) return;
    const digits = text.length - (text[0] === '-' ? 1 : 0);
    if (digits > it.intMaxStrDigits) throw it.error('ValueError', msg(it.profile, 'intStrLimit', String(it.intMaxStrDigits)));
}

/** PyLong_FromString's check: more digits than the limit in a base that is not a power of two. */
export function checkStringDigits(it: Interpreter, digits: number, base: number): void {
    if (!it.intMaxStrDigits || (base & (base - 1)) === 0 || digits <= it.intMaxStrDigits) return;
    throw it.error('ValueError', msg(it.profile, 'strIntLimit', String(it.intMaxStrDigits), String(digits)));
}

/** The smallest limit sys.set_int_max_str_digits accepts besides 0 (sys.int_info.str_digits_check_threshold). */
export const INT_STR_DIGITS_THRESHOLD = 640;
