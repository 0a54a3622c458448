/*
 * random.ts
 *
 * The `random` module: Modules/_randommodule.c's Mersenne Twister (MT19937: init_by_array seeding
 * from the 32-bit words of abs(seed), genrand_uint32, random() from two draws, getrandbits) under
 * Lib/random.py's methods, so a seeded generator gives CPython's numbers: 3.x `_randbelow` draws
 * `getrandbits(n.bit_length())` until below n (choice, randrange, randint, shuffle); 2.7 scales
 * `random()` instead. A generator that was never seeded with an int (`random.random()` before
 * `random.seed(n)`, `Random()`; CPython seeds those from os.urandom) stops the run where it
 * draws, and so does a seed that is not an int (3.x hashes str/bytes seeds with SHA-512).
 * A Random object holds no other object; its state is its own memory.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyInt, PyFloat } from '../runtime/values';
import { PyList } from '../runtime/containers';
import type { PyModule } from '../runtime/frames';
import { PyExtObject } from '../runtime/extobject';
import type { Interpreter } from '../interp/interpreter';
import { getItem } from '../interp/items';
import { length } from '../interp/ops';
import { unsupportedAt } from '../names/refuse';
import { arity } from '../builtins/args';
import { stdType, recordedIn } from './stdTypes';

const N = 624;
const M = 397;

/** MT19937 as _randommodule.c implements it. */
class MersenneTwister {
    private mt = new Uint32Array(N);
    private index = N + 1;

    private initGenrand(s: number): void {
        const mt = this.mt;
        mt[0] = s >>> 0;
        for (let i = 1; i < N; i++) {
            const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
            mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
        }
        this.index = N;
    }

    /** init_by_array(key). */
    seedWords(key: number[]): void {
        this.initGenrand(19650218);
        const mt = this.mt;
        let i = 1;
        let j = 0;
        for (let k = Math.max(N, key.length); k; k--) {
            const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
            mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (let k = N - 1; k; k--) {
            const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
            mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
        this.index = N;
    }

    /** genrand_uint32. */
    next32(): number {
        const mt = this.mt;
        if (this.index >= N) {
            let kk = 0;
            const mag = (y: number): number => (y & 1 ? 0x9908b0df : 0);
            for (; kk < N - M; kk++) {
                const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ mag(y);
            }
            for (; kk < N - 1; kk++) {
                const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ mag(y);
            }
            const y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ mag(y);
            this.index = 0;
        }
        let y = mt[this.index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y >>> 0;
    }

    /** random_random: 53 bits from two draws. */
    random(): number {
        const a = this.next32() >>> 5;
        const b = this.next32() >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** getrandbits(k): 32-bit words, least significant first, the last one shifted down. */
    getrandbits(k: number): bigint {
        if (k <= 32) return BigInt(k === 0 ? 0 : this.next32() >>> (32 - k));
        let r = 0n;
        let shift = 0n;
        for (let left = k; left > 0; left -= 32) {
            let w = this.next32();
            if (left < 32) w >>>= 32 - left;
            r |= BigInt(w) << shift;
            shift += 32n;
        }
        return r;
    }
}

class PyRandom extends PyExtObject {
    /** null until seeded with an int. */
    mt: MersenneTwister | null = null;
    override get hasDict(): boolean {
        return true;
    }
}

function bitLength(n: bigint): number {
    return n <= 0n ? 0 : n.toString(2).length;
}

export function createRandomModule(it: Interpreter): PyModule {
    const m = it.newModule('random');
    const py2 = it.profile.major === 2;
    const gen = (self: PyObject): MersenneTwister => {
        const g = (self as PyRandom).mt;
        if (!g) throw unsupportedAt(it, 'random numbers from a generator not seeded with an int (CPython seeds it from os.urandom)');
        return g;
    };
    const seed = (self: PyObject, a: PyObject | undefined): void => {
        if (a === undefined || a === it.None) {
            (self as PyRandom).mt = null;
            return;
        }
        if (!(a instanceof PyInt) || a.type === it.T.bool) throw unsupportedAt(it, `random.seed of a '${a.type.name}' (only int seeds are modelled)`);
        let n = BigInt(a.v);
        if (n < 0n) n = -n;
        const key: number[] = [];
        while (n > 0n) {
            key.push(Number(n & 0xffffffffn));
            n >>= 32n;
        }
        if (!key.length) key.push(0);
        const g = new MersenneTwister();
        g.seedWords(key);
        (self as PyRandom).mt = g;
    };
    const toBig = (o: PyObject, what: string): bigint => {
        if (o instanceof PyInt) return BigInt(o.v);
        if (o instanceof PyFloat && Number.isInteger(o.v) && py2) return BigInt(o.v);
        throw unsupportedAt(it, `random.${what} of a '${o.type.name}'`);
    };
    /** 3.x _randbelow_with_getrandbits; 2.7 int(random() * n) (n below 2**53). */
    const randbelow = (self: PyObject, n: bigint): bigint => {
        const g = gen(self);
        if (py2) {
            if (n >= 2n ** 53n) throw unsupportedAt(it, 'random ranges beyond 2**53 on Python 2.7');
            return BigInt(Math.floor(g.random() * Number(n)));
        }
        if (n === 0n) return 0n;
        const k = bitLength(n);
        let r = g.getrandbits(k);
        while (r >= n) r = g.getrandbits(k);
        return r;
    };
    const intOf = (v: bigint): PyObject => it.int(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
    const randrange = (self: PyObject, args: PyObject[]): PyObject => {
        arity(it, 'randrange', args, 1, 3);
        const start = toBig(args[0], 'randrange');
        if (args.length === 1 || args[1] === it.None) {
            if (start > 0n) return intOf(randbelow(self, start));
            throw it.error('ValueError', py2 ? 'empty range for randrange()' : 'empty range for randrange()');
        }
        const stop = toBig(args[1], 'randrange');
        const step = args.length > 2 ? toBig(args[2], 'randrange') : 1n;
        const width = stop - start;
        if (step === 1n) {
            if (width > 0n) return intOf(start + randbelow(self, width));
            throw it.error('ValueError', `empty range for randrange() (${start}, ${stop}, ${width})`);
        }
        if (step === 0n) throw it.error('ValueError', 'zero step for randrange()');
        const n = step > 0n ? (width + step - 1n) / step : (width + step + 1n) / step;
        if (n <= 0n) throw it.error('ValueError', 'empty range for randrange()');
        return intOf(start + step * randbelow(self, n));
    };
    const methods: Record<string, (self: PyObject, args: PyObject[]) => PyObject> = {
        seed: (self, args) => {
            arity(it, 'seed', args, 0, 2);
            seed(self, args[0]);
            return it.None;
        },
        random: (self, args) => {
            arity(it, 'random', args, 0, 0);
            return it.float(gen(self).random());
        },
        getrandbits: (self, args) => {
            arity(it, 'getrandbits', args, 1, 1);
            const k = Number(toBig(args[0], 'getrandbits'));
            if (k < 0) throw it.error('ValueError', 'number of bits must be non-negative');
            if (k === 0 && py2) throw it.error('ValueError', 'number of bits must be greater than zero');
            return intOf(gen(self).getrandbits(k));
        },
        randrange: (self, args) => randrange(self, args),
        randint: (self, args) => {
            arity(it, 'randint', args, 2, 2);
            const b = it.int(toBig(args[1], 'randint') + 1n);
            try {
                return randrange(self, [args[0], b]);
            } finally {
                it.decref(b);
            }
        },
        uniform: (self, args) => {
            arity(it, 'uniform', args, 2, 2);
            const [a, b] = args.map((x) => Number((x as PyInt | PyFloat).v));
            return it.float(a + (b - a) * gen(self).random());
        },
        choice: (self, args) => {
            arity(it, 'choice', args, 1, 1);
            const seq = args[0];
            const n = length(it, seq);
            if (!py2 && n === 0) throw it.error('IndexError', 'Cannot choose from an empty sequence');
            const i = it.int(randbelow(self, BigInt(n)));
            try {
                return getItem(it, seq, i);
            } finally {
                it.decref(i);
            }
        },
        shuffle: (self, args) => {
            arity(it, 'shuffle', args, 1, 1);
            const x = args[0];
            if (!(x instanceof PyList) || x.type !== it.T.list) throw unsupportedAt(it, `random.shuffle of a '${x.type.name}'`);
            for (let i = x.items.length - 1; i > 0; i--) {
                const j = Number(randbelow(self, BigInt(i + 1)));
                const t = x.items[i];
                x.items[i] = x.items[j];
                x.items[j] = t;
            }
            return it.None;
        },
    };
    const t: PyType = stdType(it, {
        name: 'Random',
        module: 'random',
        methods: Object.fromEntries(
            Object.entries(methods)
                .filter(([name]) => recordedIn(it, 'random', name))
                .map(([name, fn]) => [name, (self: PyObject, args: PyObject[]) => fn(self, args)]),
        ),
        ctor: (args) => {
            arity(it, 'Random', args, 0, 1);
            const r = it.heap.register(new PyRandom(t));
            seed(r, args[0]);
            return r;
        },
    });
    m.dict.set(it.heap, it.str('Random'), t);
    // The module's functions: the bound methods of a hidden instance (`_inst`), seeded only by seed(n).
    const inst = it.heap.register(new PyRandom(t));
    for (const [name, fn] of Object.entries(methods)) {
        if (!recordedIn(it, 'random', name)) continue;
        m.dict.set(it.heap, it.str(name), it.builtin(name, (_s, args) => fn(inst, args)));
    }
    m.dict.set(it.heap, it.str('_inst'), inst);
    it.decref(inst);
    return m;
}
