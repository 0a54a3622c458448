/*
 * rng.ts
 *
 * The fuzzer's seeded random source (mulberry32): the same seed gives the same program on every
 * machine and Node version, so a seed number is enough to name a program.
 */

export class Rng {
    private s: number;

    constructor(seed: number) {
        // Spread small consecutive seeds apart (splitmix-style) so seeds 0, 1, 2… do not start alike.
        let x = (seed ^ 0x9e3779b9) >>> 0;
        x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
        x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
        this.s = (x ^ (x >>> 16)) >>> 0;
    }

    /** A float in [0, 1). */
    next(): number {
        let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** An integer in [0, n). */
    int(n: number): number {
        return Math.floor(this.next() * n);
    }

    /** An integer in [lo, hi]. */
    range(lo: number, hi: number): number {
        return lo + this.int(hi - lo + 1);
    }

    chance(p: number): boolean {
        return this.next() < p;
    }

    pick<T>(items: readonly T[]): T {
        return items[this.int(items.length)];
    }

    /** One of `items`, each chosen with probability proportional to its weight. */
    weighted<T>(items: readonly (readonly [T, number])[]): T {
        let total = 0;
        for (const [, w] of items) total += w;
        let r = this.next() * total;
        for (const [v, w] of items) {
            r -= w;
            if (r < 0) return v;
        }
        return items[items.length - 1][0];
    }

    shuffle<T>(items: readonly T[]): T[] {
        const a = [...items];
        for (let i = a.length - 1; i > 0; i--) {
            const j = this.int(i + 1);
            [a[i], a[j]] = [a[j], a[i]];
        }
        return a;
    }
}
