/*
 * hash.ts
 *
 * PyObject_Hash and the key comparison of lookdict / set_lookkey for instances of classes that
 * define `__hash__` in Python:
 *
 * - `hash(o)` calls the class's `__hash__` (slot_tp_hash): the result must be an int, a big one is
 *   reduced as `hash(int)` does, and -1 becomes -2. A class whose `__hash__` is None (3.x sets it
 *   so when the class body defines `__eq__` without `__hash__`: type_ready_set_hash) is unhashable.
 * - A dict or set calls `__hash__` once per insertion or lookup, then compares the key with each
 *   stored key of equal hash: identity first, then `stored == key` (PyObject_RichCompare); when that
 *   comparison changed the table, the lookup starts again, as CPython's does. A stored key whose
 *   `__hash__` now gives another value is not found, even looked up by itself.
 * Classes that keep object's `__hash__` hash by identity (no Python code runs).
 */

import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyFloat, PyComplex, PyStr, PyBytes } from '../runtime/values';
import { complexHash } from './complexobject';
import { PyTuple, PyList, PyDict, PySet, isFrozenSet, UnhashableError, AbsentKey, pendingUserKey, type HashKey, type HashTable, type KeyProtocol, type UserHash } from '../runtime/containers';
import type { Interpreter } from './interpreter';
import { PyBuiltin } from '../runtime/callables';
import { PyInstance } from '../runtime/instances';
import { NativeObject } from '../runtime/nativeObject';
import { typeMethod } from './slots';
import { EngineStop } from './signals';
import type { Profile } from '../profiles';
import { strHash27, keyHashUnknown } from '../runtime/dict27';
import { splitHash, scratch, type SetContext } from '../runtime/setobject';
import { EventKind } from '../events';
import { callSpecial } from './calls';
import { equals } from './ops';

/** 2**61 - 1: CPython's modulus for numeric hashes (64-bit builds). */
const HASH_MODULUS = (1n << 61n) - 1n;
const U64 = (1n << 64n) - 1n;

const enum HashKind {
    Identity,
    User,
    Unhashable,
}

type Numbers = Profile['hashing']['numbers'];

/** A hash as a JS number when it is one exactly, else a bigint (-1 becomes -2, as every tp_hash does). */
function hashValue(h: bigint): UserHash {
    if (h === -1n) h = -2n;
    const n = Number(h);
    return Number.isSafeInteger(n) ? n : h;
}

/** hash(int): 3.x long_hash (modulo 2**61 - 1, keeping the sign); 2.7 int_hash / long_hash. */
export function intHash(v: number | bigint, numbers: Numbers): UserHash {
    if (typeof v === 'number' && Math.abs(v) < 2 ** 52) return v === -1 ? -2 : v;
    const b = BigInt(v);
    if (numbers === 'modular') return hashValue(b < 0n ? -(-b % HASH_MODULUS) : b % HASH_MODULUS);
    if (b >= -(1n << 63n) && b < 1n << 63n) return hashValue(b);
    return longHash27(b);
}

/** 2.7 long_hash: 30-bit digits from the most significant, each rotating the sum left by 30. */
function longHash27(b: bigint): UserHash {
    let a = b < 0n ? -b : b;
    const digits: bigint[] = [];
    for (; a > 0n; a >>= 30n) digits.push(a & ((1n << 30n) - 1n));
    let x = 0n;
    for (let i = digits.length - 1; i >= 0; i--) {
        x = ((x << 30n) | (x >> 34n)) & U64;
        x = (x + digits[i]) & U64;
        if (x < digits[i]) x = (x + 1n) & U64;
    }
    if (b < 0n) x = (-x) & U64;
    return hashValue(BigInt.asIntN(64, x));
}

/** frexp: x = m * 2**e with 0.5 <= |m| < 1 (scaling by two is exact). */
function frexp(x: number): [number, number] {
    let m = x;
    let e = 0;
    while (Math.abs(m) >= 1) {
        m /= 2;
        e++;
    }
    while (Math.abs(m) < 0.5) {
        m *= 2;
        e--;
    }
    return [m, e];
}

/** _Py_HashDouble: integral values hash like ints; 3.x reduces the binary fraction modulo 2**61 - 1, 2.7 mixes frexp's parts. */
export function floatHash(x: number, numbers: Numbers): UserHash | null {
    if (Number.isNaN(x)) return null;
    if (!Number.isFinite(x)) return x > 0 ? 314159 : numbers === 'modular' ? -314159 : -271828;
    if (Number.isInteger(x)) {
        // 2.7: past LONG_MAX/2 the value is hashed as a long.
        if (numbers === 'py27' && Math.abs(x) > 2 ** 62) return longHash27(BigInt(x));
        return intHash(BigInt(x), numbers);
    }
    if (numbers === 'py27') {
        // The top 32 bits of the mantissa, the next 32, and the exponent.
        const [mantissa, expo] = frexp(x);
        let m = mantissa * 2147483648;
        const hipart = Math.trunc(m);
        m = (m - hipart) * 2147483648;
        return hashValue(BigInt.asIntN(64, BigInt(hipart) + BigInt(Math.trunc(m)) + (BigInt(expo) << 15n)));
    }
    // |x| = m * 2**e exactly with m an integer; 2**e modulo 2**61 - 1 is a rotation by e mod 61.
    let e = 0;
    let m = Math.abs(x);
    while (!Number.isInteger(m)) {
        m *= 2;
        e--;
    }
    let h = BigInt(m) % HASH_MODULUS;
    const k = BigInt(((e % 61) + 61) % 61);
    h = ((h << k) | (h >> (61n - k))) & HASH_MODULUS;
    return hashValue(x < 0 ? -h : h);
}

/** tuplehash: 3.8+ xxHash over the items' hashes; 2.7 the classic multiply-xor. */
function tupleHash(items: UserHash[], style: Profile['hashing']['tuples']): UserHash {
    if (style === 'classic') {
        let x = 0x345678n;
        let mult = 1000003n;
        let len = items.length;
        for (const h of items) {
            len--;
            x = ((x ^ BigInt.asUintN(64, BigInt(h))) * mult) & U64;
            mult = (mult + 82520n + BigInt(len + len)) & U64;
        }
        x = (x + 97531n) & U64;
        return hashValue(BigInt.asIntN(64, x));
    }
    xxTupleHalves(items);
    const hi = xx.hi;
    const lo = xx.lo;
    if (hi === 0xffffffff && lo === 0xffffffff) return 1546275796;
    const v = (hi | 0) * TWO32 + lo;
    if (Number.isSafeInteger(v)) return v === -1 ? -2 : v;
    return (BigInt(hi | 0) << 32n) | BigInt(lo);
}

const TWO32 = 4294967296;
/** The 64-bit results below as unsigned 32-bit halves. */
const mul = { hi: 0, lo: 0 };
const xx = { hi: 0, lo: 0 };

/** (ahi, alo) * (bhi, blo) modulo 2**64 into `mul`, exactly: 16-bit partial products in doubles, the high words by Math.imul. */
function mul64(ahi: number, alo: number, bhi: number, blo: number): void {
    const a0 = alo & 0xffff;
    const a1 = alo >>> 16;
    const b0 = blo & 0xffff;
    const b1 = blo >>> 16;
    const mid = a0 * b1 + a1 * b0;
    const low = a0 * b0 + (mid % 65536) * 65536;
    mul.lo = low >>> 0;
    mul.hi = (a1 * b1 + Math.floor(mid / 65536) + Math.floor(low / TWO32) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) >>> 0;
}

/**
 * 3.8+ tuplehash (Objects/tupleobject.c, xxHash's round) over the items' hashes into `xx`, in
 * 32-bit halves: `acc = P5; acc += h * P2; acc = rotl(acc, 31); acc *= P1` per item, then
 * `acc += len ^ (P5 ^ 3527539)`, with P1 = 0x9E3779B185EBCA87, P2 = 0xC2B2AE3D27D4EB4F,
 * P5 = 0x27D4EB2F165667C5 (a set hashes every tuple it stores: no BigInt per item).
 */
function xxTupleHalves(items: readonly UserHash[]): void {
    let hi = 0x27d4eb2f;
    let lo = 0x165667c5;
    for (const h of items) {
        let xh: number;
        let xl: number;
        if (typeof h === 'number') {
            xl = h >>> 0;
            xh = Math.floor(h / TWO32) >>> 0;
        } else {
            const u = BigInt.asUintN(64, h);
            xl = Number(u & 0xffffffffn);
            xh = Number(u >> 32n);
        }
        mul64(xh, xl, 0xc2b2ae3d, 0x27d4eb4f);
        const s = lo + mul.lo;
        lo = s >>> 0;
        hi = (hi + mul.hi + (s >= TWO32 ? 1 : 0)) >>> 0;
        const rh = ((hi << 31) | (lo >>> 1)) >>> 0;
        lo = ((lo << 31) | (hi >>> 1)) >>> 0;
        hi = rh;
        mul64(hi, lo, 0x9e3779b1, 0x85ebca87);
        hi = mul.hi;
        lo = mul.lo;
    }
    // P5 ^ 3527539 = 0x27D4EB2F_1663B4B6
    const s = lo + ((0x1663b4b6 ^ items.length) >>> 0);
    xx.lo = s >>> 0;
    xx.hi = (hi + 0x27d4eb2f + (s >= TWO32 ? 1 : 0)) >>> 0;
}

/** The 3.8+ hash of a tuple whose items hash to `items`, for tests (tuplehash's own value). */
export function xxTupleHash(items: readonly UserHash[]): UserHash {
    return tupleHash(items as UserHash[], 'xxhash');
}

/** Installs the key protocol on a heap type (every class: `__hash__` may be assigned later). */
export function installKeyProtocol(it: Interpreter, t: PyType): void {
    t.keyProtocol = keyProtocolOf(it);
}

const protocols = new WeakMap<Interpreter, KeyProtocol>();

function keyProtocolOf(it: Interpreter): KeyProtocol {
    let p = protocols.get(it);
    if (!p) protocols.set(it, (p = new UserKeys(it)));
    return p;
}

class UserKeys implements KeyProtocol {
    private readonly kinds = new Map<PyType, { epoch: number; kind: HashKind }>();
    constructor(private readonly it: Interpreter) {}

    kind(t: PyType): HashKind {
        const epoch = t.lookupEpoch();
        const c = this.kinds.get(t);
        if (c && c.epoch === epoch) return c.kind;
        const h = t.lookup('__hash__');
        // A built-in type's own __hash__ (object's, str's on a str subclass…) is its native tp_hash:
        // the key hashes by identity or by value (keyOf), with no Python code.
        const native = h === null || (h instanceof PyBuiltin && h.slotWrapper);
        const kind = h === this.it.None ? HashKind.Unhashable : native ? HashKind.Identity : HashKind.User;
        this.kinds.set(t, { epoch, kind });
        return kind;
    }

    hashesInPython(t: PyType): boolean {
        return this.kind(t) === HashKind.User;
    }

    resolve(o: PyObject, owner: HashTable | null, hash?: UserHash): HashKey | null {
        const it = this.it;
        const kind = this.kind(o.type);
        if (kind === HashKind.Identity) return null;
        if (kind === HashKind.Unhashable) throw new UnhashableError(o);
        const h = hash ?? userHash(it, o);
        if (owner === null) throw this.ownerless(o.type);
        return this.find(o, owner, h);
    }

    resolveTuple(o: PyObject, owner: HashTable | null, hash?: UserHash): HashKey {
        const h = hash ?? pyHash(this.it, o);
        if (owner === null) throw this.ownerless(o.type);
        return this.find(o, owner, h);
    }

    /** A key resolved outside any dict or set (a weak container's own keying): not modelled. */
    private ownerless(t: PyType): EngineStop {
        const it = this.it;
        return new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: an instance of a class with __hash__ as a weak container key ('${t.name}')`, line: it.line, col: it.col });
    }

    /** lookdict / set_lookkey for a key of Python-defined hash `h`: the stored equal key, or `o` pending insertion. */
    private find(o: PyObject, owner: HashTable, h: UserHash): HashKey {
        const it = this.it;
        for (;;) {
            const same = owner.userKeys?.byHash.get(h);
            let restart = false;
            if (same) {
                for (const stored of same.slice()) {
                    if (stored === o) return stored;
                    const before = owner.mutations;
                    const eq = equals(it, stored, o);
                    if (owner.mutations !== before) {
                        restart = true;
                        break;
                    }
                    if (eq) return stored;
                }
            }
            if (!restart) break;
        }
        // A stored int with this hash (ints hash to themselves): `stored == o` decides, as for any key of equal hash.
        const intKey = owner.storedKey(h);
        if (intKey !== null && intKey instanceof PyInt && equals(it, intKey, o)) return h;
        // `o` itself is stored, under the hash it had then: this lookup misses it.
        if (owner.userKeys?.hashOf.has(o)) {
            pendingUserKey.key = null;
            return new AbsentKey(() => new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: storing a key again after its __hash__ changed ('${o.type.name}': CPython makes a second entry for the same object)`, line: it.line, col: it.col }));
        }
        pendingUserKey.key = o;
        pendingUserKey.hash = h;
        return o;
    }
}

/** slot_tp_hash: the class's `__hash__`, checked and reduced. */
function userHash(it: Interpreter, o: PyObject): UserHash {
    const r = callSpecial(it, o, '__hash__', []);
    if (!r) throw new UnhashableError(o);
    if (!(r instanceof PyInt)) {
        it.decref(r);
        throw it.error('TypeError', '__hash__ method should return an integer');
    }
    const h = intHash(r.v, it.profile.hashing.numbers);
    it.decref(r);
    return h;
}

/** PyObject_Hash: `hash(o)` (TypeError for unhashable objects). */
export function pyHash(it: Interpreter, o: PyObject): UserHash {
    const hashing = it.profile.hashing;
    // A class's own __hash__ (or None) comes before its base's: a str subclass may define one.
    const kp = o.type.keyProtocol;
    if (kp !== null && (o instanceof PyStr || o instanceof PyInt || o instanceof PyFloat || o instanceof PyTuple || o instanceof PyBytes)) {
        const kind = (kp as UserKeys).kind(o.type);
        if (kind === HashKind.Unhashable) throw it.error('TypeError', `unhashable type: '${o.type.name}'`);
        if (kind === HashKind.User) return userHash(it, o);
    }
    if (o instanceof PyInt) return intHash(o.v, hashing.numbers);
    if (o instanceof PyFloat) {
        const h = floatHash(o.v, hashing.numbers);
        if (h !== null) return h;
        if (!hashing.nanByIdentity) return 0;
    } else if (o instanceof PyComplex) {
        const re = floatHash(o.re, hashing.numbers);
        const im = floatHash(o.im, hashing.numbers);
        if (re === null || im === null) throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: hash() of a complex with a NaN part', line: it.line, col: it.col });
        return complexHash(re, im);
    } else if (o instanceof PyStr) {
        return hashing.numbers === 'py27' ? hashValue(strHash27(o.v)) : strHash(o.v);
    } else if (o instanceof PyBytes) {
        return strHash(String.fromCharCode(...o.v));
    } else if (o instanceof PyTuple) {
        return tupleHash(o.items.map((x) => pyHash(it, x)), hashing.tuples);
    } else if (o instanceof PyList || o instanceof PyDict || (o instanceof PySet && !isFrozenSet(o)) || (o instanceof NativeObject && o.hashNotImplemented)) {
        // (tp_name: a C type of a module is named with it, `types.SimpleNamespace`; 3.12+'s mappingproxy names its mapping.)
        const named = o instanceof NativeObject ? o.unhashableAs() : o;
        throw it.error('TypeError', `unhashable type: '${named.type.tpName ?? named.type.name}'`);
    } else if (o instanceof PySet) {
        // frozenset_hash: order-independent, from the items' stored hashes (runtime/setobject.ts).
        return hashValue((o.cachedHash ??= o.table.frozensetHash()));
    } else if (o === it.None && hashing.noneConstant) {
        return 0xfca86420;
    } else {
        const kp = o.type.keyProtocol;
        if (kp) {
            const kind = (kp as UserKeys).kind(o.type);
            if (kind === HashKind.Unhashable) throw it.error('TypeError', `unhashable type: '${o.type.name}'`);
            if (kind === HashKind.User) return userHash(it, o);
        } else if (o instanceof PyInstance && typeMethod(o.type, '__hash__') !== null) {
            // A native instance type's own __hash__ (weakref.ref hashes its referent).
            return userHash(it, o);
        }
    }
    // _Py_HashPointer: the address (see id()) rotated by 4 bits; addresses are 16-byte aligned.
    return 0x7f000000000 + o.id;
}

/** A stand-in for string hashes (CPython's are randomized per process, so no output depends on them). */
function strHash(s: string): number {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h === -1 ? -2 : h;
}

/** Is `hash(o)` the same in every CPython process (not a randomized str/bytes hash, not an address)? */
function hashKnown(it: Interpreter, o: PyObject): boolean {
    if (o instanceof PyInt || o instanceof PyFloat || o instanceof PyComplex) return !(o instanceof PyFloat && Number.isNaN(o.v) && it.profile.hashing.nanByIdentity);
    if (o instanceof PyStr || o instanceof PyBytes) return it.profile.major === 2;
    if (o instanceof PyTuple) return o.items.every((x) => hashKnown(it, x));
    if (o instanceof PySet) return o.table.unknown === 0;
    if (o === it.None) return it.profile.hashing.noneConstant;
    return false;
}

const SHOWN = { iterate: 0, repr: 1, pop: 2, release: 3 } as const;

/** The hashing and order-watch of an interpreter's sets (runtime/setobject.ts SetContext). */
export function setContext(it: Interpreter): SetContext {
    let lastLine = -1;
    let lastSet = -1;
    const ctx: SetContext = {
        rules: it.profile.sets,
        quiet: 0,
        dictHash27(o) {
            keyHashUnknown.v = !ctx.hash(o, o, undefined);
            return (BigInt(scratch.hi) << 32n) | BigInt(scratch.lo >>> 0);
        },
        hash(o, _hk, user) {
            if (user !== undefined) {
                splitHash(user);
                return true;
            }
            // Keys hashed in Python carry their stored hash (`user`); these hash natively.
            if (o instanceof PySet) {
                splitHash(pyHash(it, o));
                return o.table.unknown === 0;
            }
            if (o instanceof PyTuple && o.type.keyProtocol === null && it.profile.hashing.tuples === 'xxhash') {
                // pyHash's tuple hash straight into the halves (no BigInt for the result either).
                xxTupleHalves(o.items.map((x) => pyHash(it, x)));
                if (xx.hi === 0xffffffff && xx.lo === 0xffffffff) splitHash(1546275796);
                else {
                    scratch.lo = xx.lo | 0;
                    scratch.hi = xx.hi | 0;
                }
                return hashKnown(it, o);
            }
            if (o instanceof PyInt || o instanceof PyFloat || o instanceof PyComplex || o instanceof PyStr || o instanceof PyBytes || o instanceof PyTuple || o === it.None) {
                splitHash(pyHash(it, o));
                return hashKnown(it, o);
            }
            splitHash(0x7f000000000 + o.id);
            return false;
        },
        dictOrderShown(d, what) {
            if (ctx.quiet > 0) return;
            if (d.id === lastSet && it.line === lastLine) return;
            lastSet = d.id;
            lastLine = it.line;
            // 2.7 hashes strings the same in every run: only an address makes a dict's order unknowable.
            it.log.push(EventKind.SetOrder, it.step, it.line, it.col, d.id, SHOWN[what] + 4, 'identity');
        },
        orderShown(s, what) {
            if (ctx.quiet > 0) return;
            const id = (s as unknown as PyObject).id;
            if (id === lastSet && it.line === lastLine) return;
            lastSet = id;
            lastLine = it.line;
            // What makes the order unknowable: a randomized str/bytes hash, or an address.
            const t = s.table;
            let cause = 'identity';
            for (let j = 0; j < t.unknownAt.length; j++) {
                if (!t.unknownAt[j]) continue;
                const o = t.objs[j]!;
                if (o instanceof PyStr || o instanceof PyBytes || (o instanceof PyTuple && o.items.some((x) => x instanceof PyStr || x instanceof PyBytes))) {
                    cause = o instanceof PyBytes ? 'bytes' : 'str';
                    break;
                }
            }
            it.log.push(EventKind.SetOrder, it.step, it.line, it.col, id, SHOWN[what], cause);
        },
    };
    return ctx;
}
