/*
 * ops.ts
 *
 * Truth, arithmetic, comparison, containment and iteration: the value semantics of the subset.
 * Results are new references; operands are borrowed.
 */

import { PyMappingProxy, mappingProxyOr, mappingProxyWhole } from '../builtins/mappingproxy';
import { PyFrameLocalsProxy, frameLocalsEquals } from './framelocalsproxy';
import { NativeObject } from '../runtime/nativeObject';
import { PyByteArray, bufferOf } from '../runtime/bytearrayobject';
import { msg } from '../messages';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyFloat, PyComplex, PyStr, PyBytes, normInt, codePointCount } from '../runtime/values';
import { complexArith } from './complexobject';
import { PyList, PyTuple, PyDict, PySet, keyOf, UnhashableError, indexLabel } from '../runtime/containers';
import { setBinary, setInPlace, withSetKey } from './setobject';
import { PyInstance } from '../runtime/instances';
import { PyExtObject } from '../runtime/extobject';
import { PyFunction, PyBuiltin, PyMethod } from '../runtime/callables';
import { PyIter, PyRange, PyNativeIter } from '../runtime/iterators';
import type { OperatorName, CmpOpName } from '../parser/ast';
import type { Interpreter } from './interpreter';
import { callSpecial, call } from './calls';
import { lookupSpecial } from './attrs';
import { userMethod, userTruth, callMethod, lenResult } from './slots';
import { getItem } from './items';
import { percentFormat, repr } from './format';
import { PyRaise, dropRaise } from './signals';
import { toSsize } from '../builtins/args';
import { unsupportedAt } from '../names/refuse';
import { floatPow, intToFloat, intTrueDivide } from './floatobject';
import { reuseResult } from '../builtins/iterslots';
import { listExtend } from './lengthHint';

// ------------------------------------------------------------------------------------------------
// truth

export function truthy(it: Interpreter, o: PyObject): boolean {
    if (o === it.True) return true;
    if (o === it.False || o === it.None) return false;
    // A class's __bool__ / __len__ (slot_nb_bool) comes before its base's native truth.
    if (o.type.isHeap || o instanceof PyInstance) {
        const u = userTruth(it, o);
        if (u !== null) return u;
    }
    if (o instanceof PyInt) return o.v !== 0 && o.v !== 0n;
    if (o instanceof PyFloat) return o.v !== 0;
    if (o instanceof PyComplex) return o.re !== 0 || o.im !== 0;
    if (o instanceof PyStr) return o.v.length > 0;
    if (o instanceof PyList || o instanceof PyTuple) return o.items.length > 0;
    if (o instanceof PyDict || o instanceof PySet) return o.size > 0;
    if (o instanceof PyBytes) return o.v.length > 0;
    if (o instanceof PyRange) return o.length > 0;
    const ext = o.type.extSlots?.length;
    if (ext) return ext(o) > 0;
    return true;
}

// ------------------------------------------------------------------------------------------------
// numbers

function isInt(o: PyObject): o is PyInt {
    return o instanceof PyInt;
}

function big(v: number | bigint): bigint {
    return typeof v === 'bigint' ? v : BigInt(v);
}

function intResult(it: Interpreter, v: number | bigint): PyInt {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) return it.int(normInt(BigInt(v)));
    return it.int(normInt(v));
}

function floorDivInt(it: Interpreter, a: number | bigint, b: number | bigint): PyInt {
    if (b === 0 || b === 0n) throw it.error('ZeroDivisionError', msg(it.profile, 'intDivisionByZero'));
    if (typeof a === 'number' && typeof b === 'number') return intResult(it, Math.floor(a / b));
    const A = big(a);
    const B = big(b);
    let q = A / B;
    if ((A % B !== 0n) && ((A < 0n) !== (B < 0n))) q -= 1n;
    return it.int(normInt(q));
}

function modInt(it: Interpreter, a: number | bigint, b: number | bigint): PyInt {
    if (b === 0 || b === 0n) throw it.error('ZeroDivisionError', msg(it.profile, 'intModuloByZero'));
    if (typeof a === 'number' && typeof b === 'number') {
        const m = a % b;
        return it.int(m !== 0 && m < 0 !== b < 0 ? m + b : m);
    }
    const A = big(a);
    const B = big(b);
    let m = A % B;
    if (m !== 0n && (m < 0n) !== (B < 0n)) m += B;
    return it.int(normInt(m));
}

function num(o: PyObject): number | null {
    if (o instanceof PyInt) return Number(o.v);
    if (o instanceof PyFloat) return o.v;
    return null;
}

function floatMod(a: number, b: number): number {
    const m = a % b;
    return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}

function intArith(it: Interpreter, op: OperatorName, a: number | bigint, b: number | bigint): PyObject | null {
    const bothNum = typeof a === 'number' && typeof b === 'number';
    switch (op) {
        case 'Add':
            return bothNum ? intResult(it, (a as number) + (b as number)) : it.int(normInt(big(a) + big(b)));
        case 'Sub':
            return bothNum ? intResult(it, (a as number) - (b as number)) : it.int(normInt(big(a) - big(b)));
        case 'Mult': {
            if (bothNum) {
                const r = (a as number) * (b as number);
                if (Number.isSafeInteger(r)) return it.int(r);
            }
            return it.int(normInt(big(a) * big(b)));
        }
        case 'FloorDiv':
            return floorDivInt(it, a, b);
        case 'Mod':
            return modInt(it, a, b);
        case 'Div': {
            if (b === 0 || b === 0n) throw it.error('ZeroDivisionError', msg(it.profile, 'trueDivisionByZero'));
            if (it.profile.major === 2 && !trueDivision(it)) return floorDivInt(it, a, b);
            return it.float(intTrueDivide(it, a, b));
        }
        case 'Pow': {
            if ((typeof b === 'number' && b < 0) || (typeof b === 'bigint' && b < 0n)) {
                // long_pow with a negative exponent: float_pow of both as floats.
                return it.float(floatPow(it, intToFloat(it, a), intToFloat(it, b)));
            }
            return it.int(normInt(big(a) ** big(b)));
        }
        case 'LShift':
            return it.int(normInt(big(a) << big(b)));
        case 'RShift':
            return it.int(normInt(big(a) >> big(b)));
        case 'BitAnd':
            return it.int(normInt(big(a) & big(b)));
        case 'BitOr':
            return it.int(normInt(big(a) | big(b)));
        case 'BitXor':
            return it.int(normInt(big(a) ^ big(b)));
        default:
            return null;
    }
}

function trueDivision(it: Interpreter): boolean {
    return it.futures.has('division');
}

function floatArith(it: Interpreter, op: OperatorName, a: number, b: number): PyObject | null {
    switch (op) {
        case 'Add':
            return it.float(a + b);
        case 'Sub':
            return it.float(a - b);
        case 'Mult':
            return it.float(a * b);
        case 'Div':
            if (b === 0) throw it.error('ZeroDivisionError', 'float division by zero');
            return it.float(a / b);
        case 'FloorDiv':
            if (b === 0) throw it.error('ZeroDivisionError', 'float floor division by zero');
            return it.float(Math.floor(a / b));
        case 'Mod':
            if (b === 0) throw it.error('ZeroDivisionError', 'float modulo');
            return it.float(floatMod(a, b));
        case 'Pow':
            return it.float(floatPow(it, a, b));
        default:
            return null;
    }
}

const DUNDER: Record<OperatorName, string> = {
    Add: 'add',
    Sub: 'sub',
    Mult: 'mul',
    MatMult: 'matmul',
    Div: 'truediv',
    Mod: 'mod',
    Pow: 'pow',
    LShift: 'lshift',
    RShift: 'rshift',
    BitOr: 'or',
    BitXor: 'xor',
    BitAnd: 'and',
    FloorDiv: 'floordiv',
};

const SYMBOL: Record<OperatorName, string> = {
    Add: '+',
    Sub: '-',
    Mult: '*',
    MatMult: '@',
    Div: '/',
    Mod: '%',
    Pow: '** or pow()',
    LShift: '<<',
    RShift: '>>',
    BitOr: '|',
    BitXor: '^',
    BitAnd: '&',
    FloorDiv: '//',
};

/** `a op b` (and `a op= b` when inplace). Operands borrowed, result new. */
export function binaryOp(it: Interpreter, op: OperatorName, a: PyObject, b: PyObject, inplace = false): PyObject {
    // A class's operator methods come before the native slots of its base (an int subclass
    // without __add__ adds natively and returns an int).
    if (a.type.isHeap || b.type.isHeap || a instanceof PyInstance || b instanceof PyInstance) {
        const r = userBinaryOp(it, op, a, b, inplace);
        if (r !== null) return r;
    }
    return nativeBinaryOp(it, op, a, b, inplace);
}

/** `a op b` by the built-in types' own slots (`int.__add__`, `list.__iadd__`…); TypeError when they do not apply. */
export function nativeBinaryOp(it: Interpreter, op: OperatorName, a: PyObject, b: PyObject, inplace = false): PyObject {
    if (isInt(a) && isInt(b)) {
        const r = intArith(it, op, a.v, b.v);
        if (r) return r;
    }
    if (a instanceof PyComplex || b instanceof PyComplex) {
        const r = complexArith(it, op, a, b);
        if (r) return r;
    }
    const na = num(a);
    const nb = num(b);
    if (na !== null && nb !== null && (a instanceof PyFloat || b instanceof PyFloat)) {
        // An int operand is converted by PyLong_AsDouble (OverflowError rather than inf).
        if (!Number.isFinite(na) && a instanceof PyInt) intToFloat(it, a.v);
        if (!Number.isFinite(nb) && b instanceof PyInt) intToFloat(it, b.v);
        const r = floatArith(it, op, na, nb);
        if (r) return r;
    }
    const builtin = builtinSeqOp(it, op, a, b, inplace);
    if (builtin) return builtin;
    const sym = SYMBOL[op] + (inplace ? '=' : '');
    if (op === 'Mult' && (isSeq(a) || isSeq(b))) throw it.error('TypeError', `can't multiply sequence by non-int of type '${(isSeq(a) ? b : a).type.name}'`);
    if (op === 'Add' && a instanceof PyStr) throw it.error('TypeError', msg(it.profile, 'strConcat', b.type.name));
    throw it.error('TypeError', `unsupported operand type(s) for ${sym}: '${a.type.name}' and '${b.type.name}'`);
}

/**
 * binary_iop1 / binary_op1 with the slot_nb_* functions of heap types: `__iop__` (in place), then
 * the reflected method of a right operand whose class is a subclass of the left's and overrides
 * it, then `__op__`, then the right operand's `__rop__`. null when every method present answered
 * NotImplemented (or none is defined): the native slots decide.
 */
function userBinaryOp(it: Interpreter, op: OperatorName, a: PyObject, b: PyObject, inplace: boolean): PyObject | null {
    const name = DUNDER[op];
    const NI = it.NotImplemented;
    if (inplace) {
        const im = userMethod(it, a, `__i${name}__`);
        if (im !== null) {
            const r = callMethod(it, im, a, [b]);
            if (r !== NI) return r;
        }
    }
    const ta = a.type;
    const tb = b.type;
    const fwd = userMethod(it, a, `__${name}__`);
    let refl = ta !== tb ? userMethod(it, b, `__r${name}__`) : null;
    if (refl !== null && fwd !== null && tb.isSubtypeOf(ta) && refl !== ta.lookup(`__r${name}__`)) {
        const r = callMethod(it, refl, b, [a]);
        if (r !== NI) return r;
        refl = null;
    }
    if (fwd !== null) {
        const r = callMethod(it, fwd, a, [b]);
        if (r !== NI) return r;
    }
    if (refl !== null) {
        const r = callMethod(it, refl, b, [a]);
        if (r !== NI) return r;
    }
    return null;
}

function isSeq(o: PyObject): boolean {
    return o instanceof PyStr || o instanceof PyList || o instanceof PyTuple || o instanceof PyBytes || o.type.extSlots?.repeat !== undefined;
}

/** The count of `seq * n` (sequence_repeat: an index-sized integer), or null when `o` is not an int. */
function repeatCount(it: Interpreter, o: PyObject): number | null {
    return o instanceof PyInt ? Math.max(0, toSsize(it, o)) : null;
}

function builtinSeqOp(it: Interpreter, op: OperatorName, a: PyObject, b: PyObject, inplace: boolean): PyObject | null {
    if (op === 'Add') {
        const concat = a.type.extSlots?.concat;
        if (concat) return concat(a, b, inplace);
        // 2.7's string_concat hands a bytearray right operand to PyByteArray_Concat (a bytearray result).
        if (a instanceof PyStr && b instanceof PyByteArray) throw unsupportedAt(it, 'str + bytearray on Python 2.7');
        if (a instanceof PyStr && b instanceof PyStr) {
            if (a.v.length + b.v.length > 1 << 20) it.reserveString(a.v.length + b.v.length);
            return it.str(a.v + b.v);
        }
        if (inplace && a instanceof PyList) {
            // list_inplace_concat: list_extend of any iterable (lengthHint.ts).
            listExtend(it, a, b);
            return it.incref(a);
        }
        if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
            if (a.items.length + b.items.length > 1 << 16) it.reserveItems(a.items.length + b.items.length, a instanceof PyList ? 'a list' : 'a tuple');
        }
        if (a instanceof PyList && b instanceof PyList) {
            return it.list([...a.items, ...b.items].map((x) => it.incref(x)));
        }
        if (a instanceof PyTuple && b instanceof PyTuple) return it.tuple([...a.items, ...b.items].map((x) => it.incref(x)));
        // bytes_concat: the right operand may be any object exporting a buffer (a bytearray too).
        const vb = a instanceof PyBytes ? bufferOf(it, b) : null;
        if (a instanceof PyBytes && vb !== null) {
            const r = new Uint8Array(a.v.length + vb.length);
            r.set(a.v);
            r.set(vb, a.v.length);
            return it.bytes(r);
        }
    }
    if (op === 'Mult') {
        const repeatA = a.type.extSlots?.repeat;
        if (repeatA && b instanceof PyInt) return repeatA(a, repeatCount(it, b)!, inplace);
        const repeatB = b.type.extSlots?.repeat;
        if (repeatB && a instanceof PyInt) return repeatB(b, repeatCount(it, a)!, false);
        const [seq, n] = isSeq(a) && b instanceof PyInt ? [a, repeatCount(it, b)!] : isSeq(b) && a instanceof PyInt ? [b, repeatCount(it, a)!] : [null, 0];
        if (seq instanceof PyStr) {
            // CPython refuses (MemoryError) what no allocator could give; the engine what it cannot hold.
            const len = seq.v.length * n;
            if (len > 1 << 20) it.reserveString(len);
            return it.str(n > 0 ? seq.v.repeat(n) : '');
        }
        if (seq instanceof PyBytes) {
            const len = seq.v.length * n;
            if (len > 1 << 20) it.reserveString(len);
            const r = new Uint8Array(Math.max(0, n) * seq.v.length);
            for (let i = 0; i < n; i++) r.set(seq.v, i * seq.v.length);
            return it.bytes(r);
        }
        if (seq instanceof PyList || seq instanceof PyTuple) {
            const len = seq.items.length * n;
            if (len > 1 << 16) it.reserveItems(len, seq instanceof PyList ? 'a list' : 'a tuple');
            const items: PyObject[] = [];
            for (let i = 0; i < n; i++) for (const x of seq.items) items.push(it.incref(x));
            if (seq instanceof PyList && inplace && seq === a) {
                const old = seq.items;
                seq.items = [];
                for (const x of items) {
                    it.heap.adopt(seq, x, indexLabel(seq.items.length));
                    seq.items.push(x);
                }
                for (let i = old.length - 1; i >= 0; i--) it.heap.release(seq, old[i], indexLabel(i));
                return it.incref(seq);
            }
            return seq instanceof PyList ? it.list(items) : it.tuple(items);
        }
    }
    if (op === 'Mod' && a instanceof PyStr) return it.str(percentFormat(it, a.v, b));
    if (op === 'BitOr') {
        const r = mappingProxyOr(it, a, b, inplace);
        if (r) return r;
    }
    if (op === 'BitOr' && a instanceof PyDict && b instanceof PyDict && !(it.profile.major === 3 && it.profile.minor < 9)) {
        const d = it.dict();
        const clone = d.clonesFrom(a, it.profile.dictClones.copy);
        for (const e of a.entries()) d.set(it.heap, e.k, e.v, a.storedHash(e.k), clone);
        for (const e of b.entries()) d.set(it.heap, e.k, e.v, b.storedHash(e.k));
        return d;
    }
    if (a instanceof PySet && b instanceof PySet && (op === 'BitOr' || op === 'BitAnd' || op === 'Sub' || op === 'BitXor')) {
        // set_ior & co. update a set in place (a frozenset has none: a new one is made).
        if (inplace && !a.type.isSubtypeOf(it.T.frozenset)) return setInPlace(it, op, a, b);
        return setBinary(it, op, a, b);
    }
    return null;
}

export function unaryOp(it: Interpreter, op: 'Invert' | 'Not' | 'UAdd' | 'USub' | 'Convert', o: PyObject): PyObject {
    if (op === 'Not') return it.bool(!truthy(it, o));
    // 2.7's backticks (UNARY_CONVERT): PyObject_Repr.
    if (op === 'Convert') return it.str(repr(it, o));
    const name = op === 'USub' ? '__neg__' : op === 'UAdd' ? '__pos__' : '__invert__';
    if (o.type.isHeap || o instanceof PyInstance) {
        const m = userMethod(it, o, name);
        if (m !== null) return callMethod(it, m, o, []);
    }
    if (o instanceof PyInt) {
        // (bool and int subclasses: the result is a plain int.)
        if (op === 'USub') return it.int(normInt(typeof o.v === 'number' ? -o.v : -o.v));
        if (op === 'UAdd') return it.int(o.v);
        return it.int(normInt(typeof o.v === 'number' ? -o.v - 1 : -o.v - 1n));
    }
    if (o instanceof PyFloat) {
        if (op === 'USub') return it.float(-o.v);
        if (op === 'UAdd') return it.float(o.v);
    }
    if (o instanceof PyComplex) {
        if (op === 'USub') return it.complex(-o.re, -o.im);
        if (op === 'UAdd') return it.complex(o.re, o.im);
    }
    const sym = op === 'USub' ? '-' : op === 'UAdd' ? '+' : '~';
    throw it.error('TypeError', `bad operand type for unary ${sym}: '${o.type.name}'`);
}

// ------------------------------------------------------------------------------------------------
// comparison

/** PyObject_RichCompareBool(a, b, Py_EQ): identity implies equality. */
export function equals(it: Interpreter, a: PyObject, b: PyObject): boolean {
    if (a === b) return true;
    if (a.type.isHeap || b.type.isHeap || a instanceof PyInstance || b instanceof PyInstance) {
        const r = richCompareUser(it, 'Eq', a, b);
        if (r !== null) {
            const t = truthy(it, r);
            it.decref(r);
            return t;
        }
    }
    return nativeEquals(it, a, b);
}

/** `equals` once the operands' own `__eq__` methods had their say: the built-in types' equality, else identity. */
export function nativeEquals(it: Interpreter, a: PyObject, b: PyObject): boolean {
    if (a === b) return true;
    const na = num(a);
    const nb = num(b);
    if (na !== null && nb !== null) {
        if (a instanceof PyInt && b instanceof PyInt) return big(a.v) === big(b.v);
        return na === nb;
    }
    if (a instanceof PyStr && b instanceof PyStr) return a.v === b.v;
    // complex_richcompare: equal parts, an int or a float having a zero imaginary part.
    if (a instanceof PyComplex || b instanceof PyComplex) {
        const [x, y] = [a, b].map((o) => (o instanceof PyComplex ? [o.re, o.im] : num(o) !== null ? [num(o)!, 0] : null));
        return x !== null && y !== null && x[0] === y[0] && x[1] === y[1];
    }
    if (a instanceof PyBytes && b instanceof PyBytes) return a.v.length === b.v.length && a.v.every((x, i) => x === b.v[i]);
    if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
        if (a.items.length !== b.items.length) return false;
        for (let i = 0; i < a.items.length; i++) if (!equals(it, a.items[i], b.items[i])) return false;
        return true;
    }
    if (a instanceof PyDict && b instanceof PyDict) {
        if (a.size !== b.size) return false;
        for (const e of a.entries()) {
            const v = b.get(e.k, a.storedHash(e.k));
            if (!v || !equals(it, e.v, v)) return false;
        }
        // odict_richcompare: two OrderedDicts are also compared key by key in their linked order.
        const la = a.linkedOrder;
        const lb = b.linkedOrder;
        if (la && lb) for (let i = 0; i < la.length; i++) if (!equals(it, la[i].k, lb[i].k)) return false;
        return true;
    }
    if (a instanceof PySet && b instanceof PySet) {
        if (a.size !== b.size) return false;
        for (const x of a.items()) if (!b.has(x, a.storedHash(x))) return false;
        return true;
    }
    // framelocalsproxy_richcompare: two proxies of the same frame; against a dict, a new dict of the variables.
    if (a instanceof PyFrameLocalsProxy || b instanceof PyFrameLocalsProxy) return frameLocalsEquals(it, a, b);
    // mappingproxy_richcompare: the mapping compared with the other side.
    if (a instanceof PyMappingProxy) return equals(it, mappingProxyWhole(it, a), b);
    if (b instanceof PyMappingProxy) return equals(it, a, mappingProxyWhole(it, b));
    if (a instanceof PyExtObject && b instanceof PyExtObject && a.type === b.type) {
        const ia = a.comparedItems;
        const ib = b.comparedItems;
        if (ia === null || ib === null || ia.length !== ib.length) return false;
        for (let i = 0; i < ia.length; i++) if (!equals(it, ia[i]!, ib[i]!)) return false;
        return true;
    }
    if (a instanceof PyMethod && b instanceof PyMethod) {
        // method_richcompare: equal functions bound to the same `__self__` (2.7: an equal one).
        if (!a.func || !b.func || !equals(it, a.func, b.func)) return false;
        if (!a.self || !b.self) return a.self === b.self;
        return it.profile.methodEqSelfByIdentity ? a.self === b.self : equals(it, a.self, b.self);
    }
    // meth_richcompare: the same C function bound to the same object.
    if (a instanceof PyBuiltin && b instanceof PyBuiltin) return a.self !== null && a.self === b.self && a.impl === b.impl;
    const c = valueCompare(a, b);
    return c !== null && c === 0;
}

const CMP_DUNDER: Record<string, [string, string]> = {
    Eq: ['__eq__', '__eq__'],
    NotEq: ['__ne__', '__ne__'],
    Lt: ['__lt__', '__gt__'],
    LtE: ['__le__', '__ge__'],
    Gt: ['__gt__', '__lt__'],
    GtE: ['__ge__', '__le__'],
};

/**
 * do_richcompare with the slot_tp_richcompare of heap types: the reflected method of a right
 * operand whose class is a proper subclass of the left's first, then the left's method, then the
 * reflected one (same type too); NotEq falls back to the inverted `__eq__` (3.x object.__ne__).
 * null when no method answered (the native comparison decides).
 */
function richCompareUser(it: Interpreter, op: string, a: PyObject, b: PyObject): PyObject | null {
    const [fwd, refl] = CMP_DUNDER[op];
    const NI = it.NotImplemented;
    const ta = a.type;
    const tb = b.type;
    let mb = userMethod(it, b, refl);
    if (mb !== null && ta !== tb && tb.isSubtypeOf(ta)) {
        const r = callMethod(it, mb, b, [a]);
        if (r !== NI) return r;
        mb = null;
    }
    const ma = userMethod(it, a, fwd);
    if (ma !== null) {
        const r = callMethod(it, ma, a, [b]);
        if (r !== NI) return r;
    }
    if (mb !== null) {
        const r = callMethod(it, mb, b, [a]);
        if (r !== NI) return r;
    }
    if (op === 'NotEq' && it.profile.neDelegatesToEq) {
        const eq = richCompareUser(it, 'Eq', a, b);
        if (eq) {
            const t = truthy(it, eq);
            it.decref(eq);
            return it.bool(!t);
        }
    }
    return null;
}

function order(it: Interpreter, a: PyObject, b: PyObject, op: string): number | null {
    // mappingproxy_richcompare hands `<` to the mapping (2.7: dicts order by size, then items).
    if (a instanceof PyMappingProxy || b instanceof PyMappingProxy) throw unsupportedAt(it, 'ordering comparisons of a mappingproxy');
    const na = num(a);
    const nb = num(b);
    if (na !== null && nb !== null) {
        if (a instanceof PyInt && b instanceof PyInt) {
            const x = big(a.v);
            const y = big(b.v);
            return x < y ? -1 : x > y ? 1 : 0;
        }
        return na < nb ? -1 : na > nb ? 1 : na === nb ? 0 : NaN;
    }
    if (a instanceof PyStr && b instanceof PyStr) return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
        const n = Math.min(a.items.length, b.items.length);
        for (let i = 0; i < n; i++) {
            if (!equals(it, a.items[i], b.items[i])) {
                return compare(it, 'Lt', a.items[i], b.items[i]) ? -1 : 1;
            }
        }
        return a.items.length - b.items.length;
    }
    void op;
    return valueCompare(a, b);
}

/** The tp_richcompare of a value type (bytearray) on either side: the left operand's first, then the reflected one; null: NotImplemented. */
function valueCompare(a: PyObject, b: PyObject): number | null {
    const ca = a.type.extSlots?.compare;
    const r = ca ? ca(a, b) : null;
    if (r !== null) return r;
    const cb = b.type.extSlots?.compare;
    const s = cb ? cb(b, a) : null;
    return s === null ? null : -s;
}

/** Rich comparison returning a Python bool as a JS boolean. */
export function compare(it: Interpreter, op: CmpOpName, a: PyObject, b: PyObject): boolean {
    const r = compareObj(it, op, a, b);
    const t = truthy(it, r);
    it.decref(r);
    return t;
}

/** Rich comparison: new reference (user __eq__ may return anything). */
export function compareObj(it: Interpreter, op: CmpOpName, a: PyObject, b: PyObject): PyObject {
    switch (op) {
        case 'Is':
            return it.bool(a === b);
        case 'IsNot':
            return it.bool(a !== b);
        case 'In':
            return it.bool(contains(it, b, a));
        case 'NotIn':
            return it.bool(!contains(it, b, a));
    }
    if (a.type.isHeap || b.type.isHeap || a instanceof PyInstance || b instanceof PyInstance) {
        const r = richCompareUser(it, op, a, b);
        if (r) return r;
    }
    if (op === 'Eq') return it.bool(nativeEquals(it, a, b));
    if (op === 'NotEq') return it.bool(!nativeEquals(it, a, b));
    const c = order(it, a, b, op);
    if (c === null) {
        if (it.profile.major === 2) return it.bool(py2Order(a, b, op));
        const sym = op === 'Lt' ? '<' : op === 'LtE' ? '<=' : op === 'Gt' ? '>' : '>=';
        throw it.error('TypeError', `'${sym}' not supported between instances of '${a.type.name}' and '${b.type.name}'`);
    }
    switch (op) {
        case 'Lt':
            return it.bool(c < 0);
        case 'LtE':
            return it.bool(c <= 0);
        case 'Gt':
            return it.bool(c > 0);
        default:
            return it.bool(c >= 0);
    }
}

/**
 * 2.7's default_3way_compare: the same type by address; None below anything; else by type name,
 * a number's name being "" (PyNumber_Check: numbers are smaller than other objects).
 */
function py2Order(a: PyObject, b: PyObject, op: string): boolean {
    const numberName = (o: PyObject): string => (num(o) !== null ? '' : o.type.name);
    let c: number;
    if (a.type === b.type) c = a.id - b.id;
    else if (a.type.layout === 'none') c = -1;
    else if (b.type.layout === 'none') c = 1;
    else {
        const x = numberName(a);
        const y = numberName(b);
        c = x < y ? -1 : x > y ? 1 : a.type.id - b.type.id;
    }
    return op === 'Lt' ? c < 0 : op === 'LtE' ? c <= 0 : op === 'Gt' ? c > 0 : c >= 0;
}

export function contains(it: Interpreter, container: PyObject, item: PyObject): boolean {
    if (container.type.isHeap || container instanceof PyInstance) {
        const m = userMethod(it, container, '__contains__');
        if (m !== null) {
            const r = callMethod(it, m, container, [item]);
            const t = truthy(it, r);
            it.decref(r);
            return t;
        }
    }
    return nativeContains(it, container, item);
}

/** `item in container` without the container's own `__contains__` (the built-in types', then iteration). */
export function nativeContains(it: Interpreter, container: PyObject, item: PyObject): boolean {
    const sqContains = container.type.extSlots?.contains;
    if (sqContains) return sqContains(container, item);
    if (container instanceof PyStr) {
        if (!(item instanceof PyStr)) throw it.error('TypeError', `'in <string>' requires string as left operand, not ${item.type.name}`);
        return container.v.includes(item.v);
    }
    if (container instanceof PyList || container instanceof PyTuple) {
        const items = container.items;
        if (items.length > 4096) it.work(items.length);
        for (const x of items) if (equals(it, x, item)) return true;
        return false;
    }
    try {
        if (container instanceof PyDict) return container.get(item) !== null;
        if (container instanceof PySet) return withSetKey(it, item, (k) => container.has(k));
    } catch (e) {
        if (e instanceof UnhashableError) throw it.error('TypeError', `unhashable type: '${e.obj.type.name}'`);
        throw e;
    }
    if (container instanceof PyRange && item instanceof PyInt) {
        // range_contains_long: within the bounds and on a step.
        const v = BigInt(item.v);
        const { start, stop, step } = container;
        if (step > 0n ? v < start || v >= stop : v > start || v <= stop) return false;
        return (v - start) % step === 0n;
    }
    // _PySequence_IterSearch: iterate (through __iter__ or the __getitem__ sequence protocol).
    if (!isIterable(it, container)) throw it.error('TypeError', `argument of type '${container.type.name}' is not iterable`);
    const iter = getIter(it, container);
    try {
        for (let x = iterNext(it, iter); x; x = iterNext(it, iter)) {
            it.work(1);
            const eq = equals(it, x, item);
            it.decref(x);
            if (eq) return true;
        }
    } finally {
        it.decref(iter);
    }
    return false;
}

/** Hash key for dict/set use, turning unhashable objects into TypeError. */
export function hashKey(it: Interpreter, o: PyObject): void {
    try {
        keyOf(o);
    } catch (e) {
        if (e instanceof UnhashableError) throw it.error('TypeError', `unhashable type: '${e.obj.type.name}'`);
        throw e;
    }
}

// ------------------------------------------------------------------------------------------------
// iteration

function newIter(it: Interpreter, type: PyType, kind: PyIter['kind'], seq: PyObject | null, gc = true): PyIter {
    const i = it.heap.register(new PyIter(type, kind, null, gc));
    if (seq) {
        i.seq = seq;
        it.heap.acquire(i, seq, '(seq)');
    }
    return i;
}

/** Would `iter(o)` find a way to iterate (a native iterator, `__iter__`, or `__getitem__`)? */
function isIterable(it: Interpreter, o: PyObject): boolean {
    if (o instanceof PyList || o instanceof PyTuple || o instanceof PyStr || o instanceof PyDict || o instanceof PySet || o instanceof PyRange || o instanceof PyIter || o instanceof PyNativeIter) return true;
    if (o.type.extSlots?.iter) return true;
    return userMethod(it, o, '__iter__') !== null || userMethod(it, o, '__getitem__') !== null;
}

/** iter(o): new reference to an iterator. */
export function getIter(it: Interpreter, o: PyObject): PyObject {
    const T = it.T;
    if (o.type.isHeap || o instanceof PyInstance) {
        // slot_tp_iter: the class's __iter__ (None: not iterable); its result must be an iterator.
        const m = userMethod(it, o, '__iter__');
        if (m === it.None && it.profile.iterNoneNotIterable) throw it.error('TypeError', `'${o.type.name}' object is not iterable`);
        if (m !== null) {
            const r = callMethod(it, m, o, []);
            if (!(r instanceof PyIter) && !(r instanceof PyNativeIter) && userMethod(it, r, it.profile.nextMethod) === null) {
                it.decref(r);
                throw it.error('TypeError', `iter() returned non-iterator of type '${r.type.name}'`);
            }
            return r;
        }
    }
    return nativeGetIter(it, o);
}

function isAscii(s: string): boolean {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
    return true;
}

/** iter() of the built-in types (`list.__iter__`…), else the `__getitem__` sequence protocol. */
export function nativeGetIter(it: Interpreter, o: PyObject): PyObject {
    const T = it.T;
    if (o instanceof PyList) return newIter(it, T.list_iterator, 'list', o);
    if (o instanceof PyTuple) return newIter(it, T.tuple_iterator, 'tuple', o);
    if (o instanceof PyStr) return newIter(it, it.profile.strAsciiIterator && isAscii(o.v) ? T.str_ascii_iterator : T.str_iterator, 'str', o, false);
    if (o instanceof PyDict) return newDictIter(it, o, 'dict_keys', false);
    if (o instanceof PySet) {
        // setiter: walks the live table by slot index while the set's size is unchanged.
        if (o.table.orderUnknown) it.sets.orderShown(o, 'iterate');
        const i = newIter(it, T.set_iterator, 'set', o);
        i.expectedSize = o.size;
        return i;
    }
    if (o instanceof PyRange) {
        // range_iter: the C-long iterator when start, step, length and the last item fit (here:
        // are exact JS numbers), else longrange_iter's PyLong arithmetic.
        const last = o.start + o.length * o.step;
        if (isSafeBig(o.start) && isSafeBig(o.step) && isSafeBig(o.length) && isSafeBig(last)) {
            const i = newIter(it, T.range_iterator, 'range', null, false);
            i.start = Number(o.start);
            i.stop = Number(o.length);
            i.stepBy = Number(o.step);
            return i;
        }
        const i = newIter(it, T.longrange_iterator, 'longrange', null, false);
        i.longRange = o;
        return i;
    }
    if (o instanceof PyIter) {
        if (o.kind === 'view_keys' || o.kind === 'view_values' || o.kind === 'view_items') {
            return newDictIter(it, o.seq as PyDict, o.kind === 'view_keys' ? 'dict_keys' : o.kind === 'view_values' ? 'dict_values' : 'dict_items', false);
        }
        return it.incref(o);
    }
    if (o instanceof PyNativeIter) return it.incref(o);
    // A C type the engine implements (the io classes): its own tp_iter.
    if (o instanceof NativeObject) {
        const r = o.nativeIter(it);
        if (r) return r;
    }
    const ext = o.type.extSlots?.iter;
    if (ext) return ext(o);
    // PySeqIter_New: the old sequence protocol, `__getitem__(0)`, `(1)`… until IndexError.
    if (userMethod(it, o, '__getitem__') !== null) return newIter(it, T.iterator, 'seq', o);
    throw it.error('TypeError', `'${o.type.name}' object is not iterable`);
}

/** A dict iterator (keys, values or items; dict_reverse*iterator when `reversed`) over `d`. */
export function newDictIter(it: Interpreter, d: PyDict, kind: 'dict_keys' | 'dict_values' | 'dict_items', reversed: boolean): PyIter {
    const T = it.T;
    const type = reversed
        ? kind === 'dict_keys' ? T.dict_reversekeyiterator : kind === 'dict_values' ? T.dict_reversevalueiterator : T.dict_reverseitemiterator
        : kind === 'dict_keys' ? T.dict_keyiterator : kind === 'dict_values' ? T.dict_valueiterator : T.dict_itemiterator;
    if (d.slots27?.orderUnknown) it.sets.dictOrderShown(d, 'iterate');
    const i = newIter(it, type, kind, d);
    i.expectedVersion = d.version;
    i.expectedSize = d.size;
    i.entries = Array.from(d.entries());
    if (reversed) i.entries.reverse();
    if (kind === 'dict_items') {
        // dictiter_new: the reusable result tuple, created untracked.
        i.result = it.tuple([it.None, it.None]);
        it.heap.untrack(i.result);
        it.heap.adopt(i, i.result, '(result)');
    }
    return i;
}

/** Drops an iterator's sequence when exhausted (listiter_next, tupleiter_next, dictiter_*). */
function exhaust(it: Interpreter, i: PyIter): null {
    const s = i.seq;
    if (s) {
        i.seq = null;
        it.heap.release(i, s, '(seq)');
    }
    return null;
}

/** next(iterator): a new reference, or null when exhausted. */
export function iterNext(it: Interpreter, iter: PyObject): PyObject | null {
    if (iter instanceof PyIter) {
        const s = iter.seq;
        switch (iter.kind) {
            case 'list':
            case 'tuple': {
                if (!s) return null;
                const items = (s as PyList).items;
                if (iter.index < items.length) return it.incref(items[iter.index++]);
                return exhaust(it, iter);
            }
            case 'list_reverse': {
                if (!s) return null;
                const items = (s as PyList).items;
                const idx = items.length - 1 - iter.index++;
                if (idx >= 0) return it.incref(items[idx]);
                return exhaust(it, iter);
            }
            case 'str': {
                const v = (s as PyStr | null)?.v;
                if (v === undefined) return null;
                if (iter.index < v.length) {
                    const cp = v.codePointAt(iter.index)!;
                    const ch = String.fromCodePoint(cp);
                    iter.index += ch.length;
                    return it.str(ch);
                }
                return exhaust(it, iter);
            }
            case 'range': {
                if (iter.index >= iter.stop) return null;
                return it.int(iter.start + iter.stepBy * iter.index++);
            }
            case 'longrange': {
                const r = iter.longRange!;
                if (iter.longIndex >= r.length) return null;
                return it.int(r.item(iter.longIndex++));
            }
            case 'set': {
                if (!s) return null;
                const set = s as PySet;
                if (set.size !== iter.expectedSize) {
                    iter.expectedSize = -1; // (sticky, as si_used = -1)
                    throw it.error('RuntimeError', 'Set changed size during iteration');
                }
                const j = set.table.nextActive(iter.index);
                if (j >= 0) {
                    iter.index = j + 1;
                    return it.incref(set.table.objs[j]!);
                }
                return exhaust(it, iter);
            }
            case 'dict_keys':
            case 'dict_values':
            case 'dict_items': {
                if (!s) return null;
                const d = s as PyDict;
                if (d.size !== iter.expectedSize) throw it.error('RuntimeError', 'dictionary changed size during iteration');
                if (d.version !== iter.expectedVersion) throw it.error('RuntimeError', 'dictionary keys changed during iteration');
                const entries = iter.entries!;
                if (iter.index < entries.length) {
                    const e = entries[iter.index++];
                    if (iter.kind === 'dict_keys') return it.incref(e.k);
                    if (iter.kind === 'dict_values') return it.incref(e.v);
                    return reuseResult(it, iter.result, [it.incref(e.k), it.incref(e.v)]);
                }
                return exhaust(it, iter);
            }
            case 'seq': {
                // iter_iternext: __getitem__(index); IndexError or StopIteration ends it (and drops the sequence).
                if (!s) return null;
                const m = userMethod(it, s, '__getitem__');
                let v: PyObject;
                try {
                    v = m !== null ? callMethod(it, m, s, [it.int(iter.index)]) : getItem(it, s, it.int(iter.index));
                } catch (e) {
                    if (e instanceof PyRaise && (e.exc.type.isSubtypeOf(it.T.IndexError) || e.exc.type.isSubtypeOf(it.T.StopIteration))) {
                        dropRaise(it, e);
                        return exhaust(it, iter);
                    }
                    throw e;
                }
                iter.index++;
                return v;
            }
            default:
                throw it.error('TypeError', msg(it.profile, 'notAnIterator', iter.type.name));
        }
    }
    if (iter instanceof PyNativeIter) return iter.iterNext(it, false);
    if (iter instanceof NativeObject) return iter.nativeNext(it);
    const m = userMethod(it, iter, it.profile.nextMethod);
    if (m === null) throw it.error('TypeError', msg(it.profile, 'notAnIterator', iter.type.name));
    try {
        return callMethod(it, m, iter, []);
    } catch (e) {
        if (e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.StopIteration)) {
            dropRaise(it, e);
            return null;
        }
        throw e;
    }
}

/** PyIter_Check: does `o` have a tp_iternext (a built-in or native iterator, or a class's `__next__`)? */
export function isIterator(it: Interpreter, o: PyObject): boolean {
    if (o instanceof PyIter) return !o.kind.startsWith('view_');
    if (o instanceof PyNativeIter) return true;
    return userMethod(it, o, it.profile.nextMethod) !== null;
}

/** PyCallable_Check. */
export function isCallable(it: Interpreter, o: PyObject): boolean {
    return o instanceof PyFunction || o instanceof PyBuiltin || o instanceof PyMethod || o instanceof PyType || o.type.lookup('__call__') !== null;
}

/**
 * `next(iter)` (builtin_next): like iterNext, but a StopIteration raised by the iterator propagates
 * unchanged (the same exception object, with its value), as does a generator's return value
 * (StopIteration(value)). Null: exhausted without an exception (next() raises StopIteration() or
 * returns its default).
 */
export function iterNextOrStop(it: Interpreter, iter: PyObject): PyObject | null {
    if (iter instanceof PyNativeIter) return iter.iterNext(it, true);
    if (iter instanceof PyInstance) {
        const nextName = it.profile.major === 2 ? 'next' : '__next__';
        const r = callSpecial(it, iter, nextName, []);
        if (r) return r;
    }
    return iterNext(it, iter);
}

/**
 * Every item of an iterable as PySequence_Fast or a plain iteration takes them (new references; at
 * most `max` from an iterator), without a length hint (list(), tuple(), list.extend and the starred
 * forms ask one first: lengthHint.ts). A range's length is known in advance: a huge one is refused
 * at once; other iterables are checked as they grow.
 */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
function isSafeBig(v: bigint): boolean {
    return v <= MAX_SAFE && v >= -MAX_SAFE;
}

export function collect(it: Interpreter, o: PyObject, max = Infinity): PyObject[] {
    // PySequence_Fast: an exact list or tuple is read as it is; a subclass is iterated (its __iter__ runs).
    if (o.type === it.T.list || o.type === it.T.tuple) return (o as PyList | PyTuple).items.map((x) => it.incref(x));
    if (o instanceof PyRange && Math.min(Number(o.length), max) > 1 << 16) it.reserveItems(Math.min(Number(o.length), max), 'a list');
    return drain(it, getIter(it, o), 'a list', max);
}

/** Every item of the iterator `iter` (new references; at most `max`), `iter` dropped on the way out. */
export function drain(it: Interpreter, iter: PyObject, what: string, max = Infinity): PyObject[] {
    const out: PyObject[] = [];
    try {
        for (let x = out.length < max ? iterNext(it, iter) : null; x; x = out.length < max ? iterNext(it, iter) : null) {
            // A built-in loop runs no statement: it is element work for the budgets.
            if ((out.push(x) & 0xfff) === 0) it.grewTo(out.length, what);
        }
    } catch (e) {
        for (const x of out) it.decref(x);
        throw e;
    } finally {
        it.decref(iter);
    }
    return out;
}

/**
 * PyIter_Next over `o` one item at a time, as set_update_internal takes them: `fn` gets a new
 * reference to each and must drop it, even when it raises (the items after a failing one are
 * never taken); the iterator is dropped on the way out.
 */
export function forEachItem(it: Interpreter, o: PyObject, fn: (x: PyObject) => void): void {
    const iter = getIter(it, o);
    try {
        for (let x = iterNext(it, iter); x; x = iterNext(it, iter)) fn(x);
    } finally {
        it.decref(iter);
    }
}

export function dictView(it: Interpreter, d: PyDict, kind: 'view_keys' | 'view_values' | 'view_items'): PyIter {
    const type = kind === 'view_keys' ? it.T.dict_keys : kind === 'view_values' ? it.T.dict_values : it.T.dict_items;
    return newIter(it, type, kind, d);
}

export function length(it: Interpreter, o: PyObject): number {
    if (o.type.isHeap || o instanceof PyInstance) {
        const m = userMethod(it, o, '__len__');
        if (m !== null) return lenResult(it, callMethod(it, m, o, []));
    }
    return nativeLength(it, o);
}

/** len() of the built-in types (`list.__len__` and friends). */
export function nativeLength(it: Interpreter, o: PyObject): number {
    if (o instanceof PyStr) return codePointCount(o.v);
    if (o instanceof PyList || o instanceof PyTuple) return o.items.length;
    if (o instanceof PyDict || o instanceof PySet) return o.size;
    if (o instanceof PyBytes) return o.v.length;
    if (o instanceof PyRange) {
        // range_length: PyLong_AsSsize_t of the exact length.
        if (o.length >= 1n << 63n) throw it.error('OverflowError', 'Python int too large to convert to C ssize_t');
        return Number(o.length);
    }
    if (o instanceof PyIter && o.kind.startsWith('view_')) return (o.seq as PyDict).size;
    const ext = o.type.extSlots?.length;
    if (ext) return ext(o);
    throw it.error('TypeError', `object of type '${o.type.name}' has no len()`);
}

export { call };
