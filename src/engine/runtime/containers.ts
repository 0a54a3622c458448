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
import { PyInt, PyFloat, PyStr, PyBytes } from './values';
import { SlotTable27 } from './dict27';

/** A hashable identity for dict and set keys: equal Python keys map to the same JS Map key. */
export type HashKey = string | number | bigint | PyObject;

export class UnhashableError extends Error {
    constructor(public readonly obj: PyObject) {
        super('unhashable');
    }
}

/**
 * Numbers that compare equal share a key (1 == 1.0 == True); strings are their own JS string
 * (a Map never confuses 1 and '1'); tuples and bytes compose a string behind a NUL marker that
 * no scenario string starts with; anything else hashes by identity.
 */
export function keyOf(o: PyObject): HashKey {
    if (o instanceof PyStr) return o.v;
    if (o instanceof PyInt) return typeof o.v === 'number' ? o.v : o.v;
    if (o instanceof PyFloat) {
        if (Number.isInteger(o.v) && !Number.isSafeInteger(o.v)) return BigInt(o.v);
        return o.v;
    }
    if (o instanceof PyBytes) return '\u0000b' + Array.from(o.v).join(',');
    if (o instanceof PyTuple) return '\u0000t(' + o.items.map((x) => encodeKey(keyOf(x))).join(',') + ')';
    if (o instanceof PyList || o instanceof PyDict || o instanceof PySet) throw new UnhashableError(o);
    return o;
}

function encodeKey(k: HashKey): string {
    if (typeof k === 'string') return JSON.stringify(k);
    if (typeof k === 'number') return 'n' + k;
    if (typeof k === 'bigint') return 'n' + k.toString();
    return 'o' + k.id;
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

    get(key: PyObject): PyObject | null {
        const e = this.map.get(keyOf(key));
        return e ? e.v : null;
    }

    /** `d[key] = value` (insertdict): new references are taken; an old value is released after the store. */
    set(r: Refs, key: PyObject, value: PyObject): void {
        const hk = keyOf(key);
        const e = this.map.get(hk);
        if (e) {
            this.replace(r, e, value);
            return;
        }
        if (this.isTypeDict) {
            typeCache.version++;
            this.typeTag++;
        }
        r.incref(key);
        this.map.set(hk, { k: key, v: value });
        this.slots27?.insert(hk);
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

    /** Removes `key` and returns the entry (its references now belong to the caller), or null. */
    pop(key: PyObject): DictEntry | null {
        const hk = keyOf(key);
        const e = this.map.get(hk);
        if (!e) return null;
        if (this.isTypeDict) {
            typeCache.version++;
            this.typeTag++;
        }
        this.map.delete(hk);
        this.slots27?.remove(hk);
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

    /** Entries in iteration order: insertion order (3.6+), or 2.7's hash-table slot order. */
    entries(): Iterable<DictEntry> {
        const t = this.slots27;
        if (!t) return this.map.values();
        return t.keys().map((k) => this.map.get(k)!);
    }

    /** PyDict_Clear / free_keys_object: entries in order, key then value. */
    clearItems(r: Refs): void {
        if (this.map.size === 0) return;
        if (this.isTypeDict) {
            typeCache.version++;
            this.typeTag++;
        }
        // (A loop rather than Array.from over the iterator: every dict's dealloc comes here.)
        const entries: DictEntry[] = [];
        for (const e of this.entries()) entries.push(e);
        this.map.clear();
        this.slots27?.clear();
        this.version++;
        for (const e of entries) {
            r.decref(e.k);
            r.release(this, e.v, this.labelFor(e.k));
        }
    }

    /** dict_traverse: value then key, entry order (string keys are not visited: they are atomic). */
    override traverse(visit: Visit): void {
        for (const e of this.entries()) {
            visit(e.v);
            if (!(e.k.flags & ObjFlag.Atomic)) visit(e.k);
        }
    }
    override clear(r: Refs): void {
        this.clearItems(r);
    }
}

/** set and frozenset. Items are kept in insertion order. */
export class PySet extends PyObject {
    readonly map = new Map<HashKey, PyObject>();
    override isGcType(): boolean {
        return true;
    }
    get size(): number {
        return this.map.size;
    }
    has(key: PyObject): boolean {
        return this.map.has(keyOf(key));
    }
    add(r: Refs, key: PyObject): void {
        const hk = keyOf(key);
        if (this.map.has(hk)) return;
        r.acquire(this, key, '{item}');
        this.map.set(hk, key);
    }
    discard(r: Refs, key: PyObject): boolean {
        const hk = keyOf(key);
        const k = this.map.get(hk);
        if (!k) return false;
        this.map.delete(hk);
        r.release(this, k, '{item}');
        return true;
    }
    override traverse(visit: Visit): void {
        for (const k of this.map.values()) visit(k);
    }
    override clear(r: Refs): void {
        const items = Array.from(this.map.values());
        this.map.clear();
        for (const k of items) r.release(this, k, '{item}');
    }
}
