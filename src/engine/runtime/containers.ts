/*
 * containers.ts
 *
 * list, tuple, dict, set: the orders in which CPython visits (tp_traverse), clears (tp_clear) and
 * releases (tp_dealloc) their items are what makes `__del__` output come out in CPython's order:
 *   list_dealloc / tupledealloc: last → first;  list_traverse / tupletraverse: last → first;
 *   dict (3.6+): entries in insertion order, key then value on dealloc, value then key on traverse.
 */

import { PyObject, ObjFlag, type Refs, type Visit } from './object';
import type { PyType } from './types';
import { PyInt, PyFloat, PyComplex, PyStr, PyBytes } from './values';
import { SlotTable27 } from './dict27';
import { NativeObject } from './nativeObject';
import { SetTable, type SetContext } from './setobject';

/** A hashable identity for dict and set keys: equal Python keys map to the same JS Map key. */
export type HashKey = string | number | bigint | PyObject | AbsentKey;

/**
 * What a lookup resolves a key whose class defines `__hash__` to when that very object is stored
 * in the table under another hash (its `__hash__` changed since it was stored): lookdict compares
 * the stored hashes first, so CPython's lookup misses it. No map holds this key; storing under it
 * (CPython would make a second entry for the same object) is refused: `refusal()` is the engine's
 * error to throw.
 */
export class AbsentKey {
    constructor(readonly refusal: () => unknown) {}
}

export class UnhashableError extends Error {
    constructor(public readonly obj: PyObject) {
        super('unhashable');
    }
}

/** A user-defined hash value (`__hash__`'s result reduced as CPython's `hash()` does). */
export type UserHash = number | bigint;

/**
 * How instances of a heap type are keys (interp/userKeys.ts implements it; null on built-in types,
 * whose instances are keyed below). `resolve` returns null when the class hashes by identity;
 * otherwise it calls `__hash__` (unless `hash` is given: copies reuse the stored one) and returns
 * the key `owner` already holds that is equal to `o` (same hash, then identity or `__eq__`, as
 * lookdict/set_lookkey compare), or `o` itself with `pendingUserKey` set for insertion.
 */
export interface KeyProtocol {
    /** The map key of `o` (a stored equal key, an equal int key's value, or `o` itself when new); null: hash by value or identity. */
    resolve(o: PyObject, owner: HashTable | null, hash?: UserHash): HashKey | null;
    /** Do instances of `t` hash through a Python `__hash__`? */
    hashesInPython(t: PyType): boolean;
    /**
     * The map key of a tuple holding such an instance: hashed as tuplehash does (calling the items'
     * `__hash__`) and compared with the stored keys of equal hash as tuple equality does (item by
     * item, identity first, then `__eq__`), like a user key.
     */
    resolveTuple(o: PyObject, owner: HashTable | null, hash?: UserHash): HashKey;
}

/** A dict or set: what key resolution needs to see of it. */
export interface HashTable {
    userKeys: UserKeyIndex | null;
    /** Changes on insertion and deletion (a lookup restarts when `__eq__` mutated the table). */
    readonly mutations: number;
    /** The stored key object under a built-in key (an int a user hash may equal), or null. */
    storedKey(hk: HashKey): PyObject | null;
}

/**
 * The keys of one dict or set whose class defines `__hash__`, by hash value: only keys of equal
 * hash are compared (CPython compares stored hashes before calling `__eq__`), in insertion order.
 */
export class UserKeyIndex {
    readonly byHash = new Map<UserHash, PyObject[]>();
    readonly hashOf = new Map<PyObject, UserHash>();
    add(o: PyObject, h: UserHash): void {
        this.hashOf.set(o, h);
        const b = this.byHash.get(h);
        if (b) b.push(o);
        else this.byHash.set(h, [o]);
    }
    remove(o: PyObject): void {
        const h = this.hashOf.get(o);
        if (h === undefined) return;
        this.hashOf.delete(o);
        const b = this.byHash.get(h)!;
        b.splice(b.indexOf(o), 1);
        if (!b.length) this.byHash.delete(h);
    }
}

/**
 * The key `resolve` just returned as new (not equal to a stored one), with its hash: the
 * dict or set inserting it indexes it (no Python code runs between the two).
 */
export const pendingUserKey: { key: PyObject | null; hash: UserHash } = { key: null, hash: 0 };

/** After a store: index `hk` if it is the user-hashed key just resolved as new. */
export function indexIfUserKey(t: HashTable, hk: HashKey): void {
    if (pendingUserKey.key === null || pendingUserKey.key !== hk) return;
    (t.userKeys ??= new UserKeyIndex()).add(hk, pendingUserKey.hash);
    pendingUserKey.key = null;
}

/**
 * Numbers that compare equal share a key (1 == 1.0 == True); strings are their own JS string
 * (a Map never confuses 1 and '1'); tuples and bytes compose a string behind a NUL marker that
 * no scenario string starts with; instances of classes with `__hash__` resolve through their
 * type's KeyProtocol against `owner`'s keys; anything else hashes by identity.
 */
export function keyOf(o: PyObject, owner: HashTable | null = null, hash?: UserHash): HashKey {
    // Heap types (a class, or a subclass of str, tuple, list…) may hash through their own __hash__.
    const kp = o.type.keyProtocol;
    if (kp !== null) {
        const k = kp.resolve(o, owner, hash);
        if (k !== null) return k;
    }
    if (o instanceof PyStr) return o.v;
    if (o instanceof PyInt) return typeof o.v === 'number' ? o.v : o.v;
    if (o instanceof PyFloat) {
        if (Number.isInteger(o.v) && !Number.isSafeInteger(o.v)) return BigInt(o.v);
        return o.v;
    }
    if (o instanceof PyBytes) return '\u0000b' + Array.from(o.v).join(',');
    // A complex equal to a float or an int shares its key (complex_hash agrees with theirs).
    if (o instanceof PyComplex) return o.im === 0 ? (Number.isInteger(o.re) && !Number.isSafeInteger(o.re) ? BigInt(o.re) : o.re) : `\u0000c${o.re},${o.im}`;
    if (o instanceof PyTuple) {
        const kp = pythonHashedItem(o);
        if (kp !== null) return kp.resolveTuple(o, owner, hash);
        return '\u0000t(' + o.items.map((x) => encodeKey(keyOf(x))).join(',') + ')';
    }
    // A frozenset equals any frozenset of equal items: its key lists theirs, in a canonical order.
    if (o instanceof PySet && isFrozenSet(o)) return '\u0000f{' + o.items().map((x) => encodeKey(keyOf(x))).sort().join(',') + '}';
    if (o instanceof PyList || o instanceof PyDict || o instanceof PySet) throw new UnhashableError(o);
    if (o instanceof NativeObject && o.hashNotImplemented) throw new UnhashableError(o.unhashableAs());
    return o;
}

/** Would dropping one reference to `o` free it and run a `__del__`? */
function dies(o: PyObject): boolean {
    return o.rc === 1 && o.type.lookup('__del__') !== null;
}

/** Is `s` a frozenset (or an instance of a subclass of it)? */
export function isFrozenSet(s: PySet): boolean {
    for (const t of s.type.mro) if (!t.isHeap && t.name === 'frozenset') return true;
    return false;
}

/** Does hashing `o` run Python code (a class's `__hash__`, itself or an item of a tuple)? */
export function hashRunsPython(o: PyObject): boolean {
    const kp = o.type.keyProtocol;
    if (kp !== null && kp.hashesInPython(o.type)) return true;
    return o instanceof PyTuple && pythonHashedItem(o) !== null;
}

/** The key protocol of an item (in nested tuples too) whose class hashes in Python, or null. */
function pythonHashedItem(t: PyTuple): KeyProtocol | null {
    for (const x of t.items) {
        const kp = x.type.keyProtocol;
        if (kp !== null && kp.hashesInPython(x.type)) return kp;
        if (x instanceof PyTuple) {
            const inner = pythonHashedItem(x);
            if (inner !== null) return inner;
        }
    }
    return null;
}

function encodeKey(k: HashKey): string {
    if (typeof k === 'string') return JSON.stringify(k);
    if (typeof k === 'number') return 'n' + k;
    if (typeof k === 'bigint') return 'n' + k.toString();
    // An item's key is resolved without an owner table: never an AbsentKey.
    return 'o' + (k as PyObject).id;
}

/** Is this object something a dict must be GC-tracked for (`_PyObject_GC_MAY_BE_TRACKED`)? */
export function mayBeTracked(o: PyObject): boolean {
    if (!o.isGcType()) return false;
    if (o instanceof PyTuple) return o.gen !== -1;
    return true;
}

/** Edge labels `[0]`, `[1]`, … made once (item labels are asked for on every store and release). */
const indexLabels: string[] = [];
const INDEX_LABELS_MAX = 4096;

/** The edge label of sequence item `i`: `[${i}]`. */
export function indexLabel(i: number): string {
    if (i >= 0 && i < INDEX_LABELS_MAX) {
        let l = indexLabels[i];
        if (l === undefined) {
            // Filled in order, so that the array stays packed.
            for (let j = indexLabels.length; j <= i; j++) indexLabels.push(`[${j}]`);
            l = indexLabels[i];
        }
        return l;
    }
    return `[${i}]`;
}

export class PyList extends PyObject {
    constructor(type: PyType, public items: PyObject[]) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        const items = this.items;
        for (let i = items.length - 1; i >= 0; i--) visit(items[i]);
    }
    override clear(r: Refs): void {
        const items = this.items;
        this.items = [];
        for (let i = items.length - 1; i >= 0; i--) r.release(this, items[i], indexLabel(i));
    }
}

export class PyTuple extends PyObject {
    constructor(type: PyType, public items: PyObject[]) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        const items = this.items;
        for (let i = items.length - 1; i >= 0; i--) visit(items[i]);
    }
    /** Tuples have no tp_clear; only their dealloc releases items (last → first). */
    override clear(_r: Refs): void {}
    override releaseChildren(r: Refs): void {
        const items = this.items;
        this.items = [];
        for (let i = items.length - 1; i >= 0; i--) r.release(this, items[i], indexLabel(i));
    }
}

export interface DictEntry {
    k: PyObject;
    v: PyObject;
}

/** Edge label for a dict entry: `['name']` or `[3]`; string keys of namespaces are labelled bare. */
export function keyLabel(k: PyObject): string {
    if (k instanceof PyStr) return `['${k.v}']`;
    if (k instanceof PyInt || k instanceof PyFloat) return `[${String(k.v)}]`;
    return `[${k.type.name}]`;
}

/**
 * The version of every type's attribute lookup cache (CPython's method cache and type version
 * tags): any change to a type's dict bumps it (PyType_Modified), so `PyType.lookup` can remember
 * what it found along the MRO until then.
 */
export const typeCache = { version: 0 };

export class PyDict extends PyObject {
    readonly map = new Map<HashKey, DictEntry>();
    /** This dict is a type's `__dict__`: changing it invalidates type lookups (see `typeCache`). */
    isTypeDict = false;
    /** Namespaces (module globals, class dicts, instance dicts) label edges by bare name. */
    namespace = false;
    /** A class dict holding descriptors (typeobject.ts fillTypeDict): tracked for good, as they are GC objects. */
    keepTracked = false;
    /**
     * Bumped on every insertion or deletion (not on a value overwritten in place); iterators use
     * it to detect mutation. While it is unchanged, every key maps to the same `DictEntry` object,
     * so an entry found earlier can be read or overwritten without a lookup (see nodeCache.ts).
     */
    version = 0;
    /** Type dicts: bumped on every change (overwrites too), for `PyType.lookup`'s cache. */
    typeTag = 0;
    /** 3.11+ inline instance values: this dict is storage inside that instance, not an object of its own. */
    embeddedIn: PyObject | null = null;
    /** Inline values (3.11+): set once a key was added out of the class's shared-keys order. */
    outOfKeyOrder = false;
    /** Inline values: shared-keys rank of the last key added. */
    lastKeyRank = -1;
    /** 2.7: the hash table whose slot order is the iteration and dealloc order. */
    slots27: SlotTable27 | null = null;
    /** Keys whose class defines `__hash__` (null until one is stored). */
    userKeys: UserKeyIndex | null = null;
    /** A key was deleted since the dict was created or cleared (its table is no longer "clean"). */
    hadDeletion = false;
    /**
     * 3.x: a key other than an exact str was stored since the dict was created or cleared: its
     * table is "general" (3.8-3.10 dk_lookup == lookdict, 3.11+ !DK_IS_UNICODE), and dict_traverse
     * then visits each key too.
     */
    generalKeys = false;
    /**
     * A split table (3.11+, the `__dict__` of a built-in type's subclass instance): its keys are the
     * class's shared keys, and dict_dealloc / dict_traverse walk the values in that key order, not
     * in insertion order. null for every other dict (and once the table is combined).
     */
    sharedKeysOf: { readonly sharedKeys: string[] } | null = null;

    get mutations(): number {
        return this.version;
    }

    storedKey(hk: HashKey): PyObject | null {
        return this.map.get(hk)?.k ?? null;
    }

    override isGcType(): boolean {
        return true;
    }

    get size(): number {
        return this.map.size;
    }

    labelFor(k: PyObject): string {
        return this.namespace && k instanceof PyStr ? k.v : keyLabel(k);
    }

    getStr(name: string): PyObject | null {
        const e = this.map.get(name);
        return e ? e.v : null;
    }

    /** `hash`: the stored hash of a user-hashed key taken from another table (no `__hash__` call). */
    get(key: PyObject, hash?: UserHash): PyObject | null {
        const e = this.map.get(keyOf(key, this, hash));
        return e ? e.v : null;
    }

    /** The hash stored for a key whose class defines `__hash__` (copies and merges reuse it). */
    storedHash(key: PyObject): UserHash | undefined {
        return this.userKeys?.hashOf.get(key);
    }

    /** Copying `src` into this dict: are the keys cloned without comparing (`enabled` by the profile, empty target, clean source)? */
    clonesFrom(src: PyDict, enabled: boolean): boolean {
        return enabled && this.map.size === 0 && !src.hadDeletion;
    }

    /**
     * `d[key] = value` (insertdict): new references are taken; an old value is released after the store.
     * `hash`: the stored hash of a user-hashed key copied from another dict; `distinct`: the keys
     * are being cloned from a clean dict into this empty one (clone_combined_dict), so none is compared.
     */
    set(r: Refs, key: PyObject, value: PyObject, hash?: UserHash, distinct = false): void {
        let hk: HashKey;
        if (distinct && hash !== undefined) {
            pendingUserKey.key = key;
            pendingUserKey.hash = hash;
            hk = key;
        } else hk = keyOf(key, this, hash);
        const e = this.map.get(hk);
        if (e) {
            this.replace(r, e, value);
            return;
        }
        if (hk instanceof AbsentKey) throw hk.refusal();
        if (this.isTypeDict) {
            typeCache.version++;
            this.typeTag++;
        }
        r.incref(key);
        this.map.set(hk, { k: key, v: value });
        if (!(key instanceof PyStr) || key.type.isHeap) this.generalKeys = true;
        indexIfUserKey(this, hk);
        this.slots27?.insert(hk, this.userKeys?.hashOf.get(key), key);
        this.version++;
        r.acquire(this, value, this.labelFor(key));
        if (this.gen === -1 && !this.embeddedIn && (mayBeTracked(key) || mayBeTracked(value))) r.track(this);
    }

    /**
     * `set` for a key already present, given its entry (`e` must be this dict's current entry for
     * that key: found by `map.get`, or remembered while `version` has not changed).
     */
    replace(r: Refs, e: DictEntry, value: PyObject): void {
        if (this.isTypeDict) {
            typeCache.version++;
            this.typeTag++;
        }
        const old = e.v;
        e.v = value;
        r.acquire(this, value, this.labelFor(e.k));
        // MAINTAIN_TRACKING applies to replacements too.
        if (this.gen === -1 && !this.embeddedIn && mayBeTracked(value)) r.track(this);
        r.release(this, old, this.labelFor(e.k));
    }

    /** Removes `key` and returns the entry (its references now belong to the caller), or null. `hash`: a known hash (_PyDict_Pop_KnownHash). */
    pop(key: PyObject, hash?: UserHash): DictEntry | null {
        const hk = keyOf(key, this, hash);
        const e = this.map.get(hk);
        if (!e) return null;
        this.hadDeletion = true;
        const userHash = this.userKeys?.hashOf.get(e.k);
        this.userKeys?.remove(e.k);
        if (this.isTypeDict) {
            typeCache.version++;
            this.typeTag++;
        }
        this.map.delete(hk);
        this.slots27?.remove(hk, userHash, e.k);
        this.version++;
        return e;
    }

    /** `del d[key]`: delitem_common decrefs the key, then the value. */
    delete(r: Refs, key: PyObject): boolean {
        const e = this.pop(key);
        if (!e) return false;
        r.decref(e.k);
        r.release(this, e.v, this.labelFor(e.k));
        return true;
    }

    /** An OrderedDict's linked order of its entries (modules/odictobject.ts); null for a dict. */
    get linkedOrder(): readonly DictEntry[] | null {
        return null;
    }

    /**
     * The entry popitem() takes: the last inserted (3.7+, LIFO), or 2.7's slot search from the
     * finger (dict27.ts popitemSlot; `pop` then records the finger with popitemDone).
     */
    popitemEntry(): { e: DictEntry; slot: number } | null {
        const t = this.slots27;
        if (!t) {
            const last = Array.from(this.map.values()).pop();
            return last ? { e: last, slot: -1 } : null;
        }
        if (t.orderUnknown) t.orderShown?.(this, 'pop');
        const i = t.popitemSlot();
        return i < 0 ? null : { e: this.map.get(t.keyAt(i)!)!, slot: i };
    }

    /** 2.7: the finger popitem leaves in slot 0's hash field once the entry in `slot` is gone. */
    popitemDone(slot: number): void {
        if (slot >= 0) this.slots27?.setPopitemFinger(slot);
    }

    /** Entries in iteration order: insertion order (3.6+), or 2.7's hash-table slot order. */
    entries(): Iterable<DictEntry> {
        const t = this.slots27;
        if (!t) return this.map.values();
        return t.keys().map((k) => this.map.get(k)!);
    }

    /**
     * PyDict_Next over a dict that changes meanwhile: by position, so an entry added during the walk
     * is visited too when it lands after the current position (3.6+: always, new entries are
     * appended; 2.7: when its hash-table slot comes later).
     */
    forEachLive(fn: (e: DictEntry) => void): void {
        const t = this.slots27;
        if (!t) {
            // A Map iterator visits entries added during iteration, in insertion order.
            for (const e of this.map.values()) fn(e);
            return;
        }
        for (let i = 0; i < t.capacity; i++) {
            const k = t.keyAt(i);
            const e = k === undefined ? undefined : this.map.get(k);
            if (e) fn(e);
        }
    }

    /** PyDict_Clear / free_keys_object: entries in order, key then value. */
    clearItems(r: Refs): void {
        if (this.map.size === 0) return;
        if (this.isTypeDict) {
            typeCache.version++;
            this.typeTag++;
        }
        // (A loop rather than Array.from over the iterator: every dict's dealloc comes here.)
        const entries: DictEntry[] = this.sharedKeysOf !== null ? this.splitOrder() : [];
        if (this.sharedKeysOf === null) for (const e of this.entries()) entries.push(e);
        // 2.7: two or more entries that die here and run a `__del__`, in an order that depends on addresses.
        const t27 = this.slots27;
        if (t27 !== null && t27.orderUnknown && t27.orderShown !== null && entries.filter((e) => dies(e.k) || dies(e.v)).length > 1) t27.orderShown(this, 'release');
        this.map.clear();
        this.userKeys = null;
        this.hadDeletion = false;
        this.generalKeys = false;
        this.slots27?.clear();
        this.version++;
        for (const e of entries) {
            r.decref(e.k);
            r.release(this, e.v, this.labelFor(e.k));
        }
    }

    /** A split table's entries in shared-keys order. */
    private splitOrder(): DictEntry[] {
        const keys = this.sharedKeysOf!.sharedKeys;
        const rank = (e: DictEntry): number => {
            const i = e.k instanceof PyStr ? keys.indexOf(e.k.v) : -1;
            return i < 0 ? keys.length : i;
        };
        return Array.from(this.map.values()).sort((a, b) => rank(a) - rank(b));
    }

    /**
     * dict_traverse. 3.x: a table of exact str keys visits its values only; a general one each
     * value then its key, in entry order. 2.7: each key then its value, in slot order. The
     * collector's walks (`gcOnly`) skip atomic keys (never tracked); gc.get_referents sees them.
     */
    override traverse(visit: Visit, gcOnly?: boolean): void {
        if (this.sharedKeysOf !== null) {
            for (const e of this.splitOrder()) visit(e.v);
            return;
        }
        const keysFirst = this.slots27 !== null;
        for (const e of this.entries()) {
            const key = !(e.k.flags & ObjFlag.Atomic) || (!gcOnly && (keysFirst || this.generalKeys));
            if (keysFirst && key) visit(e.k);
            visit(e.v);
            if (!keysFirst && key) visit(e.k);
        }
    }
    override clear(r: Refs): void {
        this.clearItems(r);
    }
}

/**
 * set and frozenset: their items live in a hash table laid out as setobject.c lays it out
 * (setobject.ts), whose slot order is the order of iteration, repr, pop(), traverse, clear and
 * dealloc. `map` finds an item's slot by its key.
 */
export class PySet extends PyObject {
    /** Map key → slot of `table`. */
    map = new Map<HashKey, number>();
    table: SetTable;
    /** Items whose class defines `__hash__` (null until one is added). */
    userKeys: UserKeyIndex | null = null;
    /** Bumped on every insertion and deletion. */
    mutations = 0;
    /** frozenset_hash's cached value. */
    cachedHash: bigint | null = null;
    constructor(type: PyType, ctx: SetContext) {
        super(type);
        this.table = new SetTable(ctx, this.map);
    }
    override isGcType(): boolean {
        return true;
    }
    get size(): number {
        return this.table.used;
    }
    storedKey(hk: HashKey): PyObject | null {
        const j = this.map.get(hk);
        return j === undefined ? null : this.table.objs[j]!;
    }
    has(key: PyObject, hash?: UserHash): boolean {
        return this.map.has(keyOf(key, this, hash));
    }
    /** Adds `key` (a new reference is taken); `hash`: the stored hash when copying from another table. */
    add(r: Refs, key: PyObject, hash?: UserHash): void {
        const hk = keyOf(key, this, hash);
        if (this.map.has(hk)) return;
        if (hk instanceof AbsentKey) throw hk.refusal();
        r.acquire(this, key, '{item}');
        indexIfUserKey(this, hk);
        this.table.insert(hk, key, this.userKeys?.hashOf.get(key));
        this.mutations++;
    }
    /**
     * set_merge: the items of `other` not in this set, with their stored hashes (no `__hash__`
     * call), laid out as the version's set_merge lays them out.
     */
    merge(r: Refs, other: PySet): void {
        if (other === this || other.size === 0) return;
        // A user-hashed item is compared with the stored ones of equal hash (its `__eq__` may run), as set_add_entry does.
        const isNew = (o: PyObject, hk: HashKey): boolean => {
            const h = other.storedHash(o);
            if (h === undefined) return !this.map.has(hk);
            const k = keyOf(o, this, h);
            pendingUserKey.key = null;
            if (k instanceof AbsentKey || this.map.has(k)) return false;
            (this.userKeys ??= new UserKeyIndex()).add(o, h);
            return true;
        };
        const added = this.table.mergeFrom(other.table, isNew);
        for (const o of added) {
            r.acquire(this, o, '{item}');
            const h = other.storedHash(o);
            if (h !== undefined && !this.userKeys?.hashOf.has(o)) (this.userKeys ??= new UserKeyIndex()).add(o, h);
        }
        if (added.length) this.mutations++;
    }
    /**
     * The items of a table of constants (a folded display's frozenset constant, interp/setobject.ts):
     * merged as set_merge does, or (`copy`) laid out exactly as in it (an iterable the compiler folded).
     */
    fillFrom(r: Refs, t: SetTable, copy: boolean): void {
        const added = copy ? this.table.copyFrom(t) : this.table.mergeFrom(t, (_o, hk) => !this.map.has(hk));
        for (const o of added) r.acquire(this, o, '{item}');
        if (added.length) this.mutations++;
    }
    /** The hash stored for an item whose class defines `__hash__` (copies reuse it). */
    storedHash(key: PyObject): UserHash | undefined {
        return this.userKeys?.hashOf.get(key);
    }
    discard(r: Refs, key: PyObject): boolean {
        const j = this.map.get(keyOf(key, this));
        if (j === undefined) return false;
        const k = this.table.removeAt(j);
        this.mutations++;
        this.userKeys?.remove(k);
        r.release(this, k, '{item}');
        return true;
    }
    /** set_discard_entry with the hash stored in another table (no `__hash__` call); returns the item (its reference now the caller's) or null. */
    take(key: PyObject, hash?: UserHash): PyObject | null {
        const j = this.map.get(keyOf(key, this, hash));
        if (j === undefined) return null;
        const k = this.table.removeAt(j);
        this.mutations++;
        this.userKeys?.remove(k);
        return k;
    }
    /** set_pop: removes and returns the item at the search finger (its reference now belongs to the caller), or null. */
    popFirst(): PyObject | null {
        const t = this.table;
        if (t.used === 0) return null;
        if (t.orderUnknown) t.ctx.orderShown(this, 'pop');
        const k = t.removeAt(t.popSlot());
        t.afterPop();
        this.mutations++;
        this.userKeys?.remove(k);
        return k;
    }
    /** set_swap_bodies: the tables (and their keys) change places; each set keeps its pop finger. The caller moves the references. */
    swapTable(o: PySet): void {
        const fa = this.table.finger;
        const fb = o.table.finger;
        [this.table, o.table] = [o.table, this.table];
        [this.map, o.map] = [o.map, this.map];
        [this.userKeys, o.userKeys] = [o.userKeys, this.userKeys];
        this.table.finger = fa;
        o.table.finger = fb;
        this.mutations++;
        o.mutations++;
        this.cachedHash = o.cachedHash = null;
    }
    /** The items in slot order (iteration order). */
    items(): PyObject[] {
        return this.table.items();
    }
    override traverse(visit: Visit): void {
        const t = this.table;
        const objs = t.objs;
        for (let j = t.nextActive(0); j >= 0; j = t.nextActive(j + 1)) visit(objs[j]!);
    }
    override clear(r: Refs): void {
        if (this.table.used === 0 && this.table.fill === 0) return;
        // Two or more items that die here and run a `__del__`: the order of those runs is the table's.
        const t = this.table;
        if (t.orderUnknown && t.items().filter((x) => x.rc === 1 && x.type.lookup('__del__') !== null).length > 1) t.ctx.orderShown(this, 'release');
        const items = this.table.takeAll();
        this.userKeys = null;
        this.mutations++;
        for (const k of items) r.release(this, k, '{item}');
    }
}
