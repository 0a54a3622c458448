/*
 * setobject.ts
 *
 * The hash table of a set or frozenset, as Objects/setobject.c lays it out: iteration, repr,
 * pop(), the collector's traverse, clear and dealloc all walk it by slot, so the slot an item
 * lands in decides the order every one of them shows. An open-addressing table of 8 slots
 * (PySet_MINSIZE) to start with; a deleted slot becomes a dummy; `fill` counts used and dummy
 * slots, `used` the items.
 *
 * 3.x (set_add_entry, set_insert_clean): from slot `hash & mask`, up to LINEAR_PROBES (9) next slots
 * when they fit before the end of the table, then `perturb >>= 5; i = (i*5 + 1 + perturb) & mask`.
 * A new item takes the last dummy on its path (3.9: none, it goes to the first empty slot); when
 * it takes an empty slot and `fill*5 >= mask*3`, the table is rebuilt (set_table_resize) with room
 * for `used*4` (`used*2` above 50,000) by set_insert_clean in slot order. A dummy's hash is -1.
 *
 * 2.7 (set_lookkey, set_insert_key): no linear probes; `i = i*5 + perturb + 1; perturb >>= 5`
 * (perturb shifted after the step); the first dummy on the path is reused; the table is rebuilt
 * when an insertion made `fill*3 >= size*2`. A dummy keeps its item's hash, and pop() keeps its
 * search finger in slot 0's hash field.
 *
 * Insertion order (PyPy's and Jython's profiles): items are appended; the table only grows.
 *
 * The rules per version are the profile's `sets` row (profiles.ts); a set's `SetContext` (one per
 * interpreter) gives them and hashes keys as the profile's PyObject_Hash does.
 */

import type { PyObject } from './object';
import type { HashKey, UserHash } from './containers';

/** How a version's setobject.c lays out its table (profiles.ts `sets`). */
export interface SetRules {
    /** 'table': CPython's hash-table slot order; 'insertion': items kept in insertion order (PyPy, Jython). */
    order: 'table' | 'insertion';
    /** LINEAR_PROBES: slots tried after `i` before perturbing (3.x: 9; 2.7: 0). */
    linearProbes: number;
    /** 3.x shifts perturb before each step; 2.7 after (its first step adds the whole hash). */
    shiftFirst: boolean;
    /**
     * The dummy on its probe path a new item takes: 'last' (3.x: set_add_entry's freeslot is
     * overwritten by each dummy passed), 'first' (2.7's set_lookkey keeps the first), 'never' (3.9).
     */
    reuseDummies: 'first' | 'last' | 'never';
    /** When the table grows: 3.x `fill*5 >= mask*3` on taking an empty slot; 2.7 `fill*3 >= size*2` after any insertion. */
    growth: 'fifths' | 'thirds';
    /** set_merge into an empty table copies the slots (same size, no dummies) or uses set_insert_clean (3.x); 2.7 inserts each item. */
    mergeIntoEmpty: boolean;
    /** set_pop's search finger: `so->finger` (3.x) or slot 0's hash field (2.7). */
    pop: 'finger' | 'slot0';
    /** A display of more than two constants is a frozenset constant merged into the new set (3.9+ compiler). */
    displayFolded: boolean;
    /** frozenset_hash: 3.x's shuffled xor of every entry, 2.7's multiply-xor over the items. */
    frozensetHash: 'shuffle' | 'classic';
    /**
     * set_difference of sets: 3.x copies the left set and discards the right one's items when the
     * left is more than four times larger, and difference_update intersects first when the right is
     * more than eight times larger; 2.7 does neither.
     */
    differenceShortcuts: boolean;
    /** difference_update rebuilds the table once dummies are more than a quarter of it (3.x: `fill - used > mask/4`) or a fifth (2.7: `(fill - used)*5 >= mask`). */
    dummyPurge: 'quarter' | 'fifth';
    /**
     * The type of a new set an operation makes from `so` (copy, union, intersection, difference,
     * symmetric_difference, the temporary of symmetric_difference_update): 2.7's
     * make_new_set(Py_TYPE(so)) keeps a subclass ('type'), 3.x's make_new_set_basetype gives set or frozenset.
     */
    resultType: 'type' | 'basetype';
    /** set.issuperset of an iterable that is not a set: 3.11+ looks each item up as it is taken (stopping at the first missing one); before, a temporary set of all of them. */
    issupersetIterates: boolean;
    /**
     * set.issubset of an iterable that is not a set: 3.12+ gathers the items `so` has into a new
     * set (the intersection) and stops as soon as it is as large as `so`; before, a temporary set of
     * all of them, then the subset test.
     */
    issubsetStops: boolean;
    /**
     * 2.7–3.9: `frozenset()` (and a frozenset of an empty iterable) is one shared object, kept by
     * the interpreter: 'fini' (3.8/3.9) frees it in _PySet_Fini after the last collection, 'kept'
     * (2.7) later than anything observes; 'none': 3.10 removed it.
     */
    emptyFrozensetSingleton: 'none' | 'kept' | 'fini';
}

/** What a table needs of its interpreter. */
export interface SetContext {
    readonly rules: SetRules;
    /**
     * Writes the hash of `o` (map key `hk`; `user`: the hash stored for a key whose class defines
     * `__hash__`) into `scratch` as two 32-bit halves; returns whether CPython's value is known
     * (not a per-process randomized str/bytes hash, not an address).
     */
    hash(o: PyObject, hk: HashKey, user: UserHash | undefined): boolean;
    /** 2.7 dicts (runtime/dict27.ts): a key's hash as a 64-bit signed value. */
    readonly dictHash27: (o: PyObject) => bigint | null;
    /** Above 0 while a built-in whose result does not show the order (sorted without a key, min, max, any, all) iterates. */
    quiet: number;
    /** An ordered walk of a set that holds items of unknown hash is about to show their order. */
    orderShown(s: { readonly table: SetTable }, what: 'iterate' | 'repr' | 'pop' | 'release'): void;
    /** The same for a 2.7 dict (runtime/dict27.ts) with keys hashed by identity. */
    readonly dictOrderShown: (d: PyObject, what: 'iterate' | 'repr' | 'pop' | 'release') => void;
}

/** The hash `SetContext.hash` computed: low and high 32 bits. */
export const scratch = { lo: 0, hi: 0 };

/** Splits a hash value into `scratch`. */
export function splitHash(h: number | bigint): void {
    if (typeof h === 'number' && h >= -0x80000000 && h <= 0x7fffffff) {
        scratch.lo = h | 0;
        scratch.hi = h < 0 ? -1 : 0;
        return;
    }
    const u = BigInt.asUintN(64, BigInt(h));
    scratch.lo = Number(u & 0xffffffffn) | 0;
    scratch.hi = Number(u >> 32n) | 0;
}

const MINSIZE = 8;
const DUMMY: unique symbol = Symbol('dummy');
type Slot = HashKey | typeof DUMMY | undefined;

export class SetTable {
    /** The map key in each slot (undefined: never used; DUMMY: deleted). */
    keys: Slot[] = new Array<Slot>(MINSIZE);
    /** The item in each active slot. */
    objs: (PyObject | undefined)[] = new Array<PyObject | undefined>(MINSIZE);
    /** Each slot's hash, low and high 32 bits (a 3.x dummy's is -1; an empty slot's 0). */
    lo = new Int32Array(MINSIZE);
    hi = new Int32Array(MINSIZE);
    /** 1 where the item's hash is not CPython's (randomized or an address). */
    unknownAt = new Uint8Array(MINSIZE);
    mask = MINSIZE - 1;
    fill = 0;
    used = 0;
    /** Items whose hash the engine cannot know. */
    unknown = 0;
    /** set_pop's search finger (3.x). */
    finger = 0;

    constructor(
        readonly ctx: SetContext,
        /** Map key → slot: kept in step with the slots. */
        readonly index: Map<HashKey, number>,
    ) {}

    get rules(): SetRules {
        return this.ctx.rules;
    }

    /** Is the order an ordered walk shows not CPython's (an item's hash is unknown, and there are two or more)? */
    get orderUnknown(): boolean {
        return this.unknown > 0 && this.used > 1 && this.ctx.rules.order === 'table';
    }

    /** The slot a new item of hash (lo, hi) goes to: the first dummy on its path (if reused) or the first empty slot. */
    private findSlot(lo: number, hi: number): number {
        const keys = this.keys;
        const mask = this.mask;
        const r = this.ctx.rules;
        if (r.order === 'insertion') return this.fill;
        const lp = r.linearProbes;
        const reuse = r.reuseDummies;
        const last = reuse === 'last';
        let i = lo & mask;
        let pLo = lo >>> 0;
        let pHi = hi >>> 0;
        let free = -1;
        for (;;) {
            const probes = lp !== 0 && i + lp <= mask ? lp : 0;
            for (let j = i; j <= i + probes; j++) {
                const k = keys[j];
                if (k === undefined) return free >= 0 ? free : j;
                if (k === DUMMY && reuse !== 'never' && (free < 0 || last)) free = j;
            }
            if (r.shiftFirst) {
                pLo = ((pLo >>> 5) | (pHi << 27)) >>> 0;
                pHi >>>= 5;
                i = (i * 5 + 1 + pLo) & mask;
            } else {
                i = (i * 5 + 1 + pLo) & mask;
                pLo = ((pLo >>> 5) | (pHi << 27)) >>> 0;
                pHi >>>= 5;
            }
        }
    }

    private put(slot: number, hk: HashKey, o: PyObject, lo: number, hi: number, unknown: number): void {
        this.keys[slot] = hk;
        this.objs[slot] = o;
        this.lo[slot] = lo;
        this.hi[slot] = hi;
        this.unknownAt[slot] = unknown;
        this.unknown += unknown;
        this.index.set(hk, slot);
    }

    /** set_add_entry for an item not in the table (the caller looked it up): the table may grow. */
    insert(hk: HashKey, o: PyObject, user: UserHash | undefined): void {
        const known = this.ctx.hash(o, hk, user);
        this.insertHashed(hk, o, scratch.lo, scratch.hi, known ? 0 : 1);
    }

    private insertHashed(hk: HashKey, o: PyObject, lo: number, hi: number, unknown: number, grow = true): void {
        const r = this.ctx.rules;
        if (r.order === 'insertion' && this.fill > this.mask) this.resize(this.used * 2);
        const slot = this.findSlot(lo, hi);
        const fresh = this.keys[slot] === undefined;
        this.put(slot, hk, o, lo, hi, unknown);
        this.used++;
        if (fresh) this.fill++;
        if (!grow || r.order === 'insertion') return;
        if (r.growth === 'fifths' ? fresh && this.fill * 5 >= this.mask * 3 : this.fill * 3 >= (this.mask + 1) * 2) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
    }

    /** set_discard_entry: the slot becomes a dummy; returns the item (its reference goes to the caller). */
    removeAt(slot: number): PyObject {
        const o = this.objs[slot]!;
        this.index.delete(this.keys[slot] as HashKey);
        this.keys[slot] = DUMMY;
        this.objs[slot] = undefined;
        this.unknown -= this.unknownAt[slot];
        this.unknownAt[slot] = 0;
        if (this.ctx.rules.pop === 'finger') {
            this.lo[slot] = -1;
            this.hi[slot] = -1;
        }
        this.used--;
        return o;
    }

    /** set_table_resize: a table with room for `minused`, the items reinserted in slot order (set_insert_clean). */
    resize(minused: number): void {
        let size = MINSIZE;
        while (size <= minused) size <<= 1;
        if (size === MINSIZE && this.mask === MINSIZE - 1 && this.fill === this.used) return;
        const keys = this.keys;
        const objs = this.objs;
        const lo = this.lo;
        const hi = this.hi;
        const unk = this.unknownAt;
        const n = keys.length;
        this.alloc(size);
        for (let j = 0; j < n; j++) {
            const k = keys[j];
            if (k === undefined || k === DUMMY) continue;
            const slot = this.findSlot(lo[j], hi[j]);
            this.put(slot, k, objs[j]!, lo[j], hi[j], unk[j]);
            this.fill++;
            this.used++;
        }
    }

    private alloc(size: number): void {
        this.keys = new Array<Slot>(size);
        this.objs = new Array<PyObject | undefined>(size);
        this.lo = new Int32Array(size);
        this.hi = new Int32Array(size);
        this.unknownAt = new Uint8Array(size);
        this.mask = size - 1;
        this.fill = 0;
        this.used = 0;
        this.unknown = 0;
    }

    /** set_merge's and set_update_internal's "one big resize at the start" before adding `n` items. */
    reserve(n: number): void {
        const r = this.ctx.rules;
        if (r.order !== 'table') return;
        if (r.growth === 'fifths' ? (this.fill + n) * 5 >= this.mask * 3 : (this.fill + n) * 3 >= (this.mask + 1) * 2) this.resize((this.used + n) * 2);
    }

    /** The end of set_difference_update_internal: a table with many dummies is rebuilt. */
    purgeDummies(): void {
        if (this.ctx.rules.order !== 'table') return;
        const dummies = this.fill - this.used;
        if (this.ctx.rules.dummyPurge === 'quarter' ? dummies <= Math.floor(this.mask / 4) : dummies * 5 < this.mask) return;
        this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
    }

    /** set_clear_internal: the table emptied to its minimum size first; returns the items in slot order (the caller releases them). */
    takeAll(): PyObject[] {
        const out = this.items();
        this.alloc(MINSIZE);
        this.index.clear();
        return out;
    }

    /** The first active slot at or after `pos`, or -1 (set_next / setiter_iternext). */
    nextActive(pos: number): number {
        const keys = this.keys;
        for (let j = pos; j < keys.length; j++) {
            const k = keys[j];
            if (k !== undefined && k !== DUMMY) return j;
        }
        return -1;
    }

    /** The items in slot order. */
    items(): PyObject[] {
        const out: PyObject[] = [];
        const objs = this.objs;
        const keys = this.keys;
        for (let j = 0; j < keys.length; j++) {
            const k = keys[j];
            if (k !== undefined && k !== DUMMY) out.push(objs[j]!);
        }
        return out;
    }

    /** set_pop: the slot of the item pop() takes (the table is not empty), the finger moved past it. */
    popSlot(): number {
        const keys = this.keys;
        const mask = this.mask;
        const active = (j: number): boolean => keys[j] !== undefined && keys[j] !== DUMMY;
        if (this.ctx.rules.pop === 'finger') {
            let j = this.finger & mask;
            while (!active(j)) j = j + 1 > mask ? 0 : j + 1;
            this.finger = j + 1;
            return j;
        }
        // 2.7: slot 0 if it holds an item, else from the finger kept in slot 0's hash field.
        let j = 0;
        if (!active(0)) {
            j = this.hi[0] === 0 && this.lo[0] >= 1 && this.lo[0] <= mask ? this.lo[0] : 1;
            while (!active(j)) j = j + 1 > mask ? 1 : j + 1;
        }
        // (set_pop writes the finger after the item is taken out: `so->table[0].hash = i + 1`.)
        this.pendingFinger = j + 1;
        return j;
    }
    private pendingFinger = 0;

    /** 2.7: after popSlot's item was removed, slot 0's hash field holds the finger. */
    afterPop(): void {
        if (this.ctx.rules.pop !== 'slot0') return;
        this.lo[0] = this.pendingFinger;
        this.hi[0] = 0;
    }

    /**
     * set_merge of `other`'s items (not in this table: `fresh` tells which; the caller checks
     * membership), as the version does it: one resize up front, then a copy of the slots, clean
     * insertions, or one insertion per item in `other`'s slot order.
     */
    mergeFrom(other: SetTable, isNew: (o: PyObject, hk: HashKey) => boolean): PyObject[] {
        const r = this.ctx.rules;
        const added: PyObject[] = [];
        if (other === this || other.used === 0) return added;
        this.reserve(other.used);
        const ok = other.keys;
        if (r.order === 'table' && r.mergeIntoEmpty && this.fill === 0) {
            const copy = this.mask === other.mask && other.fill === other.used;
            for (let j = 0; j < ok.length; j++) {
                const k = ok[j];
                if (k === undefined || k === DUMMY) continue;
                const o = other.objs[j]!;
                const slot = copy ? j : this.findSlot(other.lo[j], other.hi[j]);
                this.put(slot, k, o, other.lo[j], other.hi[j], other.unknownAt[j]);
                this.fill++;
                this.used++;
                added.push(o);
            }
            return added;
        }
        for (let j = 0; j < ok.length; j++) {
            const k = ok[j];
            if (k === undefined || k === DUMMY) continue;
            const o = other.objs[j]!;
            if (!isNew(o, k)) continue;
            // 2.7's set_merge inserts without growing (it resized up front).
            this.insertHashed(k, o, other.lo[j], other.hi[j], other.unknownAt[j], r.mergeIntoEmpty);
            added.push(o);
        }
        return added;
    }

    /** This empty table made an exact copy of `other` (its size, slots and hashes); returns the items. */
    copyFrom(other: SetTable): PyObject[] {
        this.alloc(other.mask + 1);
        this.keys = other.keys.slice();
        this.objs = other.objs.slice();
        this.lo.set(other.lo);
        this.hi.set(other.hi);
        this.unknownAt.set(other.unknownAt);
        this.fill = other.fill;
        this.used = other.used;
        this.unknown = other.unknown;
        const out: PyObject[] = [];
        for (let j = 0; j < this.keys.length; j++) {
            const k = this.keys[j];
            if (k === undefined || k === DUMMY) continue;
            this.index.set(k, j);
            out.push(this.objs[j]!);
        }
        return out;
    }

    /** frozenset_hash (order-independent): 3.x shuffles and xors every entry's hash, 2.7 mixes each item's into a product. */
    frozensetHash(): bigint {
        const U = (1n << 64n) - 1n;
        const keys = this.keys;
        let hash: bigint;
        if (this.ctx.rules.frozensetHash === 'shuffle') {
            hash = 0n;
            for (let j = 0; j < keys.length; j++) {
                const k = keys[j];
                if (k === undefined || k === DUMMY) continue;
                const h = (BigInt(this.hi[j] >>> 0) << 32n) | BigInt(this.lo[j] >>> 0);
                hash ^= (((h ^ 89869747n) ^ ((h << 16n) & U)) * 3644798167n) & U;
            }
            hash ^= ((BigInt(this.used) + 1n) * 1927868237n) & U;
            hash ^= (hash >> 11n) ^ (hash >> 25n);
            hash = (hash * 69069n + 907133923n) & U;
            if (hash === U) hash = 590923713n;
            return BigInt.asIntN(64, hash);
        }
        hash = (1927868237n * (BigInt(this.used) + 1n)) & U;
        for (let j = 0; j < keys.length; j++) {
            const k = keys[j];
            if (k === undefined || k === DUMMY) continue;
            const h = (BigInt(this.hi[j] >>> 0) << 32n) | BigInt(this.lo[j] >>> 0);
            hash ^= ((h ^ ((h << 16n) & U) ^ 89869747n) * 3644798167n) & U;
        }
        hash = (hash * 69069n + 907133923n) & U;
        if (hash === U) hash = 590923713n;
        return BigInt.asIntN(64, hash);
    }
}
