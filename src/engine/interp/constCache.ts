/*
 * constCache.ts
 *
 * The 3.x compiler's constant cache (Python/compile.c `c_const_cache`, merge_consts_recursive,
 * merge_const_tuple/merge_const_one, `_PyCompile_ConstCacheMergeOne`) and the keys it is made of
 * (Objects/codeobject.c `_PyCode_ConstantKey`), replayed against the tuple free lists:
 *   - a str, int, None, Ellipsis or code object is its own key: nothing allocated;
 *   - a bool, float, bytes or complex is keyed by a `(type, value)` 2-tuple (-0.0 and the signed
 *     complex zeros by a 3-tuple);
 *   - a tuple by `(keys, tuple)`: a new tuple of its items' keys (made recursively) and a 2-tuple.
 * The first key of a value stays in the cache, which the compiler frees only when the whole module
 * is compiled (compiler_free); a later equal key is freed at once and the cached value used instead
 * (a second `(None,)` co_consts tuple, a second names tuple `('name',)`, a second keyword-names
 * tuple: the new tuple is freed too). Every tuple made while compiling is a GC allocation the free
 * lists may supply, so how many of them the module needs moves `gc.get_count()` at the first
 * statement by tens.
 */

import type { TuplePools } from './compilerKeys';

/** A constant as the compiler sees it: its identity for the cache, and the tuple object if it is one. */
export type Const =
    /** Its own key (str, int, None, Ellipsis, code). */
    | { kind: 'atom'; canon: string }
    /** Keyed by a (type, value) tuple of `keyItems` items (bool, float, bytes, complex). */
    | { kind: 'boxed'; canon: string; keyItems: number }
    | { kind: 'tuple'; canon: string; obj: TupleObj; items: Const[] };

/** A tuple object made while compiling, reference counted so it goes back to its free list when the last holder lets go. */
export class TupleObj {
    rc = 1;
    constructor(
        readonly size: number,
        /** The tuple objects it holds a reference to (keys of items, the keyed tuple). */
        readonly held: TupleObj[],
    ) {}
}

export class ConstCache {
    private readonly cache = new Map<string, TupleObj | null>();

    constructor(private readonly pools: TuplePools) {}

    /** PyTuple_New(n) (+ the references it takes). */
    newTuple(size: number, held: TupleObj[] = []): TupleObj {
        this.pools.alloc(size);
        for (const h of held) h.rc++;
        return new TupleObj(size, held);
    }

    decref(t: TupleObj | null): void {
        if (!t || --t.rc > 0) return;
        this.pools.release(t.size);
        for (const h of t.held) this.decref(h);
    }

    /** A tuple constant over `items` (made by the caller: the AST optimizer, the compiler). */
    tuple(items: Const[]): Const {
        const obj = this.newTuple(items.length, items.flatMap((c) => (c.kind === 'tuple' ? [c.obj] : [])));
        return { kind: 'tuple', canon: tupleCanon(items), obj, items };
    }

    /** _PyCode_ConstantKey: a new key (null for a value that is its own key). */
    key(c: Const): TupleObj | null {
        if (c.kind === 'atom') return null;
        if (c.kind === 'boxed') return this.newTuple(c.keyItems);
        // PyTuple_New(len), then each item's key, stolen by PyTuple_SET_ITEM.
        this.pools.alloc(c.items.length);
        const itemKeys = c.items.map((i) => this.key(i)).filter((k): k is TupleObj => k !== null);
        const keys = new TupleObj(c.items.length, itemKeys);
        const pair = this.newTuple(2, [keys, c.obj]);
        keys.rc--;
        return pair;
    }

    /**
     * merge_consts_recursive (3.8–3.13 compiler_add_const): registers `c`'s key, or finds an
     * equal one. Returns the constant to use: the cached one when it was there.
     */
    merge(c: Const): Const {
        if (c.canon === 'None' || c.canon === 'Ellipsis') return c;
        const key = this.key(c);
        if (this.cache.has(c.canon)) {
            this.decref(key);
            return this.cached(c);
        }
        this.cache.set(c.canon, key);
        if (c.kind === 'tuple') {
            // Its items are merged too; an item equal to a cached constant is replaced by it.
            c.items.forEach((item, i) => {
                const u = this.merge(item);
                if (u !== item && item.kind === 'tuple' && u.kind === 'tuple') {
                    u.obj.rc++;
                    c.obj.held[c.obj.held.indexOf(item.obj)] = u.obj;
                    this.decref(item.obj);
                    c.items[i] = u;
                }
            });
        }
        return c;
    }

    /**
     * merge_const_one / merge_const_tuple: `obj` (a co_* tuple the caller owns, or bytes: keyItems
     * 2) is keyed and registered, or dropped for the cached equal one. Returns whether it was new.
     */
    mergeOne(c: Const): boolean {
        const key = this.key(c);
        if (this.cache.has(c.canon)) {
            this.decref(key);
            if (c.kind === 'tuple') this.decref(c.obj);
            return false;
        }
        this.cache.set(c.canon, key);
        return true;
    }

    private cached(c: Const): Const {
        const key = this.cache.get(c.canon);
        // (A tuple's cached key holds the first such tuple: (keys, tuple).)
        if (c.kind === 'tuple' && key) return { ...c, obj: key.held[1] };
        return c;
    }

    /** compiler_free: the cache's keys go (and the tuples only they held). */
    free(): void {
        for (const key of this.cache.values()) this.decref(key);
        this.cache.clear();
    }
}

export function tupleCanon(items: readonly Const[]): string {
    return `(${items.map((i) => i.canon).join(',')})`;
}
