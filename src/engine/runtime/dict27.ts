/*
 * dict27.ts
 *
 * Python 2.7's dict iterates (and deallocates) in hash-table slot order, not insertion order.
 * This mirrors Objects/dictobject.c of 2.7: an open-addressing table of 8 slots to start with,
 * probing `i = 5*i + perturb + 1; perturb >>= 5`, deleted slots left as dummies, and a resize to
 * 4 × used (2 × above 50,000) when the table is two-thirds full, reinserting in slot order.
 *
 * Hashes: the interpreter's (`hashKey`, interp/hash.ts setContext: ints, longs, floats, tuples
 * and strings as 2.7 hashes them; strings with the secret prefix/suffix zero, PYTHONHASHSEED=0 as
 * the conformance recorder checks); instances of classes defining `__hash__` use its result.
 * Identity-hashed objects get a stable stand-in: their order in CPython depends on addresses.
 * Without `hashKey` (tables made outside an interpreter), a stand-in for every key but ints and strings.
 */

import type { HashKey } from './containers';
import type { PyObject } from './object';

const MINSIZE = 8;
const PERTURB_SHIFT = 5n;
const MASK64 = (1n << 64n) - 1n;
const DUMMY = Symbol('dummy');

type Slot = HashKey | typeof DUMMY | undefined;

function toSigned64(x: bigint): bigint {
    x &= MASK64;
    return x >= 1n << 63n ? x - (1n << 64n) : x;
}

/** 2.7 string_hash with a zero hash secret. */
export function strHash27(s: string): bigint {
    const bytes = new TextEncoder().encode(s);
    if (bytes.length === 0) return 0n;
    let x = BigInt(bytes[0]) << 7n;
    for (const b of bytes) x = toSigned64(1000003n * x) ^ BigInt(b);
    x ^= BigInt(bytes.length);
    x = toSigned64(x);
    return x === -1n ? -2n : x;
}

function hashOf(k: HashKey): bigint {
    if (typeof k === 'number') {
        if (Number.isInteger(k)) return k === -1 ? -2n : BigInt(k);
        return BigInt(Math.floor(k * 1000003)) || 1n;
    }
    if (typeof k === 'bigint') return k === -1n ? -2n : toSigned64(k);
    if (typeof k === 'string') return k.startsWith('\u0000') ? strHash27(k.slice(1)) : strHash27(k);
    // A stored key: never an AbsentKey (storing under one is refused).
    return BigInt((k as PyObject).id) << 4n;
}

function hashOfUser(h: number | bigint): bigint {
    return toSigned64(BigInt(h));
}

/** The hash of a stored key object, as PyObject_Hash computes it (null: use the stand-in); it sets `keyHashUnknown` when the value is a stand-in for an address. */
export type KeyHasher = (o: PyObject) => bigint | null;

/** Written by a KeyHasher: was the last hash a stand-in (an identity hash, that is an address in CPython)? */
export const keyHashUnknown = { v: false };

export class SlotTable27 {
    constructor(
        private readonly hashKey: KeyHasher | null = null,
        /** An ordered walk of the dict is about to show an order that depends on addresses (interp/hash.ts setContext). */
        readonly orderShown: ((d: PyObject, what: 'iterate' | 'repr' | 'pop' | 'release') => void) | null = null,
    ) {}

    private slots: Slot[] = new Array<Slot>(MINSIZE);
    private hashes: bigint[] = new Array<bigint>(MINSIZE);
    /** 1 where the key's hash is a stand-in for its address (its slot, so the order, is not CPython's). */
    private unknownAt: number[] = new Array<number>(MINSIZE);
    private fill = 0;
    private used = 0;
    /** Keys whose hash is a stand-in. */
    unknown = 0;

    /** Does the order of a walk depend on addresses (two or more keys, one of them hashed by identity)? */
    get orderUnknown(): boolean {
        return this.unknown > 0 && this.used > 1;
    }

    private get mask(): bigint {
        return BigInt(this.slots.length - 1);
    }

    /** lookdict: the slot holding `k`, or where it would go (first dummy on the probe path, else the empty slot). */
    private find(k: HashKey, hash: bigint): number {
        const mask = this.mask;
        let i = hash & mask;
        let idx = Number(i);
        let slot = this.slots[idx];
        if (slot === undefined || slot === k) return idx;
        let freeslot = slot === DUMMY ? idx : -1;
        for (let perturb = hash & MASK64; ; perturb >>= PERTURB_SHIFT) {
            i = ((i << 2n) + i + perturb + 1n) & MASK64;
            idx = Number(i & mask);
            slot = this.slots[idx];
            if (slot === undefined) return freeslot >= 0 ? freeslot : idx;
            if (slot === k) return idx;
            if (slot === DUMMY && freeslot < 0) freeslot = idx;
        }
    }

    /** The hash of `k`; `lastUnknown` says whether it stands in for an address. */
    private hash(k: HashKey, userHash: number | bigint | undefined, o: PyObject | undefined): bigint {
        this.lastUnknown = 0;
        if (userHash !== undefined) return hashOfUser(userHash);
        if (o !== undefined && this.hashKey !== null) {
            keyHashUnknown.v = false;
            const h = this.hashKey(o);
            if (h !== null) {
                this.lastUnknown = keyHashUnknown.v ? 1 : 0;
                return h;
            }
        }
        if (typeof k === 'object') this.lastUnknown = 1;
        return hashOf(k);
    }
    private lastUnknown = 0;

    /** `userHash`: the key's `__hash__` result, for an instance of a class that defines one; `o`: the key object. */
    insert(k: HashKey, userHash?: number | bigint, o?: PyObject): void {
        const h = this.hash(k, userHash, o);
        const idx = this.find(k, h);
        const slot = this.slots[idx];
        if (slot === k) return;
        if (slot === undefined) this.fill++;
        this.slots[idx] = k;
        this.hashes[idx] = h;
        this.unknownAt[idx] = this.lastUnknown;
        this.unknown += this.lastUnknown;
        this.used++;
        // PyDict_SetItem: resize when the table is two-thirds full after an insertion.
        if (this.fill * 3 >= this.slots.length * 2) this.resize((this.used > 50000 ? 2 : 4) * this.used);
    }

    remove(k: HashKey, userHash?: number | bigint, o?: PyObject): void {
        const idx = this.find(k, this.hash(k, userHash, o));
        if (this.slots[idx] !== k) return;
        this.slots[idx] = DUMMY;
        this.unknown -= this.unknownAt[idx] ?? 0;
        this.unknownAt[idx] = 0;
        this.used--;
    }

    clear(): void {
        this.slots = new Array<Slot>(MINSIZE);
        this.hashes = new Array<bigint>(MINSIZE);
        this.unknownAt = new Array<number>(MINSIZE);
        this.fill = 0;
        this.used = 0;
        this.unknown = 0;
    }

    private resize(minused: number): void {
        let size = MINSIZE;
        while (size <= minused) size <<= 1;
        const oldSlots = this.slots;
        const oldHashes = this.hashes;
        const oldUnknown = this.unknownAt;
        this.slots = new Array<Slot>(size);
        this.hashes = new Array<bigint>(size);
        this.unknownAt = new Array<number>(size);
        this.fill = 0;
        this.used = 0;
        for (let j = 0; j < oldSlots.length; j++) {
            const k = oldSlots[j];
            if (k === undefined || k === DUMMY) continue;
            // insertdict_clean: probe for an empty slot (there are no dummies in a fresh table).
            const mask = BigInt(size - 1);
            const h = oldHashes[j];
            let i = h & mask;
            let idx = Number(i);
            for (let perturb = h & MASK64; this.slots[idx] !== undefined; perturb >>= PERTURB_SHIFT) {
                i = ((i << 2n) + i + perturb + 1n) & MASK64;
                idx = Number(i & mask);
            }
            this.slots[idx] = k;
            this.hashes[idx] = h;
            this.unknownAt[idx] = oldUnknown[j] ?? 0;
            this.fill++;
            this.used++;
        }
    }

    /**
     * dict_popitem's choice: slot 0 when it holds a key, else a search from the finger kept in slot
     * 0's hash field (wrapped into 1..mask; 0 in a fresh table, the hash of a key deleted from slot
     * 0, or the last popitem's slot + 1), skipping slot 0. -1 when the dict is empty.
     */
    popitemSlot(): number {
        if (this.used === 0) return -1;
        const s0 = this.slots[0];
        if (s0 !== undefined && s0 !== DUMMY) return 0;
        const mask = this.slots.length - 1;
        const h = this.hashes[0] ?? 0n;
        let i = h > BigInt(mask) || h < 1n ? 1 : Number(h);
        for (;;) {
            const k = this.slots[i];
            if (k !== undefined && k !== DUMMY) return i;
            if (++i > mask) i = 1;
        }
    }

    /** After popitem emptied slot i: `mp->ma_table[0].me_hash = i + 1`, where the next search starts. */
    setPopitemFinger(i: number): void {
        this.hashes[0] = BigInt(i + 1);
    }

    /** Slots in the table now (it grows when keys are added). */
    get capacity(): number {
        return this.slots.length;
    }

    /** The key in slot i, or undefined (empty or deleted). */
    keyAt(i: number): HashKey | undefined {
        const k = this.slots[i];
        return k === DUMMY ? undefined : k;
    }

    /** Keys in slot order. */
    keys(): HashKey[] {
        const out: HashKey[] = [];
        for (const k of this.slots) if (k !== undefined && k !== DUMMY) out.push(k);
        return out;
    }
}
