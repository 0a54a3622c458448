import { describe, expect, it } from 'vitest';
import { xxTupleHash } from '../../src/engine/interp/hash';

/** Objects/tupleobject.c's tuplehash (3.8+) in 64-bit BigInt arithmetic, as it reads there. */
function reference(items: (number | bigint)[]): number | bigint {
    const U64 = (1n << 64n) - 1n;
    const P1 = 11400714785074694791n;
    const P2 = 14029467366897019727n;
    const P5 = 2870177450012600261n;
    let acc = P5;
    for (const h of items) {
        acc = (acc + BigInt.asUintN(64, BigInt(h)) * P2) & U64;
        acc = ((acc << 31n) | (acc >> 33n)) & U64;
        acc = (acc * P1) & U64;
    }
    acc = (acc + (BigInt(items.length) ^ (P5 ^ 3527539n))) & U64;
    if (acc === U64) return 1546275796;
    let h = BigInt.asIntN(64, acc);
    if (h === -1n) h = -2n;
    const n = Number(h);
    return Number.isSafeInteger(n) ? n : h;
}

describe('tuplehash in 32-bit halves (interp/hash.ts)', () => {
    it('equals the 64-bit arithmetic for item hashes of every size and sign', () => {
        let seed = 12345;
        const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
        const edges = [0, 1, -2, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, (1n << 63n) - 1n, -(1n << 63n), 2305843009213693950];
        const pick = (): number | bigint => {
            const r = rnd();
            if (r < 0.2) return Math.floor(rnd() * 100) - 50;
            if (r < 0.4) return Math.floor((rnd() - 0.5) * 2 ** 53);
            if (r < 0.5) return edges[Math.floor(rnd() * edges.length)];
            if (r < 0.8) {
                let b = 0n;
                for (let i = 0; i < 4; i++) b = (b << 16n) | BigInt(Math.floor(rnd() * 65536));
                return BigInt.asIntN(64, b);
            }
            return Math.floor((rnd() - 0.5) * 2 ** 40);
        };
        let differ = 0;
        for (let n = 0; n < 20000; n++) {
            const items = Array.from({ length: Math.floor(rnd() * 6) }, pick);
            if (xxTupleHash(items) !== reference(items)) differ++;
        }
        expect(differ).toBe(0);
        for (const e of edges) expect(xxTupleHash([e, e])).toBe(reference([e, e]));
        expect(xxTupleHash([])).toBe(reference([]));
    });
});
