/*
 * weakrefKeys.ts
 *
 * The tables keyed by weak references that Lib/weakref.py and Lib/_weakrefset.py build: a
 * WeakKeyDictionary's `self.data` (a dict, `self.data[ref(key, self._remove)] = value`) and a
 * WeakSet's (a set, `self.data.add(ref(item, self._remove))`). Every method that looks a key up
 * makes a new `ref(key)` and lets lookdict / set_lookkey find it, which they do through
 * weakref_hash and weakref_richcompare (Objects/weakrefobject.c):
 *   - a ref's hash is its referent's, computed the first time it is asked for and cached in the ref
 *     (so each lookup calls the key's `__hash__` again, unless `ref(key)` is the shared basic ref
 *     already hashed); a dead ref never hashed raises TypeError('weak object has gone away');
 *   - the stored refs of equal hash are compared in turn: identity of the refs first (the lookup
 *     ref is never a stored one, which all have a callback), then, both alive, the referents with
 *     PyObject_RichCompare, holding both meanwhile (3.x). The stored key's `__eq__` therefore runs
 *     even when the key looked up is that very object; a dead ref equals only itself;
 *   - the lookup starts again when that comparison took the stored entry out of the table
 *     (`ep->me_key != startkey`: its slot is a dummy now); an entry of another key taken out
 *     meanwhile is skipped, as its dummy slot is.
 * Entries of equal hash are met in insertion order, as the engine's dicts meet them (the probe
 * sequence is the same for them; a deleted slot reused, or a resize during the comparison, is not
 * modelled).
 */

import type { PyObject } from '../runtime/object';
import { PyInt } from '../runtime/values';
import { UserKeyIndex, type UserHash } from '../runtime/containers';
import type { Interpreter } from '../interp/interpreter';
import { compareObj, truthy } from '../interp/ops';
import { pyHash } from '../interp/hash';
import type { PyWeakref } from '../gc/weakrefs';

/** weakref_hash: the referent's hash, cached in the ref. */
export function refHash(it: Interpreter, wr: PyWeakref): UserHash {
    if (wr.hash instanceof PyInt) return wr.hash.v;
    if (!wr.referent) throw it.error('TypeError', 'weak object has gone away');
    const h = pyHash(it, wr.referent);
    wr.hash = it.int(h);
    return h;
}

/** A dict or set whose keys are weak references with a callback (the table holds each ref). */
export class WeakKeyTable<V> {
    /** The stored refs and what each maps to, in insertion order. */
    readonly entries = new Map<PyWeakref, V>();
    private readonly index = new UserKeyIndex();

    [Symbol.iterator](): Iterator<[PyWeakref, V]> {
        return this.entries.entries();
    }
    get size(): number {
        return this.entries.size;
    }
    insert(wr: PyWeakref, h: UserHash, v: V): void {
        this.entries.set(wr, v);
        this.index.add(wr, h);
    }
    delete(wr: PyWeakref): boolean {
        if (!this.entries.delete(wr)) return false;
        this.index.remove(wr);
        return true;
    }
    clear(): void {
        this.entries.clear();
        this.index.byHash.clear();
        this.index.hashOf.clear();
    }

    /** lookdict / set_lookkey for `probe` of hash `h`: the stored ref equal to it, or null. */
    find(it: Interpreter, probe: PyWeakref, h: UserHash): PyWeakref | null {
        for (;;) {
            const same = this.index.byHash.get(h);
            if (!same) return null;
            let restart = false;
            for (const stored of same.slice() as PyWeakref[]) {
                if (!this.entries.has(stored)) continue;
                if (stored === probe) return stored;
                const eq = refsEqual(it, stored, probe);
                if (!this.entries.has(stored)) {
                    restart = true;
                    break;
                }
                if (eq) return stored;
            }
            if (!restart) return null;
        }
    }
}

/** PyObject_RichCompareBool(stored, probe, Py_EQ) of two distinct refs: weakref_richcompare. */
function refsEqual(it: Interpreter, stored: PyWeakref, probe: PyWeakref): boolean {
    const a = stored.referent;
    const b = probe.referent;
    if (!a || !b) return false;
    // The lookup holds the stored key (startkey), weakref_richcompare both referents.
    it.incref(stored);
    it.incref(a);
    it.incref(b);
    try {
        const r = compareObj(it, 'Eq', a, b);
        try {
            return truthy(it, r);
        } finally {
            it.decref(r);
        }
    } finally {
        it.decref(a);
        it.decref(b);
        it.decref(stored);
    }
}
