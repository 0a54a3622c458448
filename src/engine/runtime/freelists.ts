/*
 * freelists.ts
 *
 * CPython's free lists: a deallocated list, dict, small tuple (one list per size), and, up to 3.10,
 * frame (first the code object's zombie frame, then a shared list), 2.7/3.8 bound method and bound
 * built-in method, is kept for reuse instead of going back to the allocator
 * (Objects/listobject.c free_list, dictobject.c, tupleobject.c free_list[size], frameobject.c
 * co_zombieframe + free_list, classobject.c, methodobject.c). Reusing one skips _PyObject_GC_Link,
 * so the collector's generation-0 count does not move; putting one back skips PyObject_GC_Del, so
 * it is not decremented either. That is why `gc.get_count()` and the moment of an automatic
 * collection depend on what the program freed before. How full each list is when `__main__` starts
 * and after each import is measured per version (profiles.ts `freeLists`).
 */

import type { PyObject } from './object';

export const enum FreeKind {
    None = -1,
    List = 0,
    Dict = 1,
    Method = 2,
    CFunction = 3,
    Frame = 4,
    /** Tuples of n items (1 ≤ n < TUPLE_SIZES) use kind Tuple + n - 1. */
    Tuple = 5,
}

/** PyTuple_MAXSAVESIZE: tuples of up to 19 items have free lists; the empty tuple is a singleton. */
export const TUPLE_SIZES = 20;
const KINDS = FreeKind.Tuple + TUPLE_SIZES - 1;

/** Occupancy of the lists, in FreeKind order for the first five, then tuples by size. */
export interface FreeListState {
    list: number;
    dict: number;
    /** Tuples of 1, 2, 3… items (missing sizes: empty). */
    tuple: readonly number[];
    frame?: number;
    method?: number;
    cfunction?: number;
}

/**
 * How an import that runs a lot of Python code (weakref, os) goes through a kind's free list. Its
 * allocations and frees come in an order that does not depend on how full the list is; what does is
 * how many of its allocations the list cannot supply (fresh objects, each counted in gen0) and what
 * the list holds afterwards. Per kind, `depth`: how far below its starting occupancy the import
 * draws the list at most (from a start at or above it the list never runs dry; from below, it
 * allocates depth - start fresh objects); `empty`: what the list holds afterwards when it started
 * empty (afterwards it holds max(start + empty - depth, empty)). Measured per version by
 * scripts/measure-import-walks.py (sys._debugmallocstats() around the import, the lists drained,
 * then filled).
 */
export interface FreeListWalk {
    empty: FreeListState;
    depth: FreeListState;
    /** ≤3.10: the shared frame list afterwards (importlib's nested calls leave five frames there). */
    frame?: number;
    /**
     * The import's own count (profiles.ts ImportCost.allocs) after the imports before it in the
     * sequence (without the dependencies they already imported), measured like `allocs`: the gc
     * disabled, `import gc` then the sequence, CPython's count difference.
     */
    allocs?: number;
}

/** A version's free lists: their capacities (0: no such list) and their state at start-up. */
export interface FreeListProfile {
    capacity: { list: number; dict: number; tuple: number; frame: number; method: number; cfunction: number };
    /** Does a full collection empty the list and dict free lists too (3.x), or only the others (2.7)? */
    collectClearsListsAndDicts: boolean;
    /** When `__main__` runs its first statement after `import gc` (python -S). */
    initial: FreeListState;
    /**
     * After the imports that run a lot of Python code (their churn leaves the lists in a state of
     * their own), by the sequence of such imports so far: 'weakref', 'os', 'os+weakref'…
     */
    afterImports: Readonly<Record<string, FreeListState>>;
    /** The imports' walks (3.x weakref and os), by the sequence of such imports: 'os+weakref'… */
    walks?: Readonly<Record<string, FreeListWalk>>;
    /**
     * By module name, the walks of imports that go the same way wherever they come (a built-in
     * module such as atexit: importlib's few calls), measured from start-up's lists; they do not
     * change the walks of the imports above.
     */
    standaloneWalks?: Readonly<Record<string, FreeListWalk>>;
}

/** What has a free list: the kind of an object (only exact built-in types have one). */
export type KindOf = (o: PyObject) => FreeKind;

export class FreeLists {
    private readonly numfree = new Int32Array(KINDS);
    private readonly cap = new Int32Array(KINDS);
    /** Code objects (by identity) whose zombie frame is free. */
    private readonly zombies = new Set<object>();

    constructor(
        readonly profile: FreeListProfile,
        readonly kindOf: (o: PyObject) => FreeKind,
        readonly zombieKey: (o: PyObject) => object | null,
    ) {
        const c = profile.capacity;
        this.cap[FreeKind.List] = c.list;
        this.cap[FreeKind.Dict] = c.dict;
        this.cap[FreeKind.Method] = c.method;
        this.cap[FreeKind.CFunction] = c.cfunction;
        this.cap[FreeKind.Frame] = c.frame;
        for (let n = 1; n < TUPLE_SIZES; n++) this.cap[FreeKind.Tuple + n - 1] = c.tuple;
        this.set(profile.initial);
    }

    /** Sets how full the lists are (start-up, or after an import's churn). */
    set(s: FreeListState): void {
        const put = (k: number, n: number | undefined): void => {
            if (n !== undefined) this.numfree[k] = Math.min(n, this.cap[k]);
        };
        put(FreeKind.List, s.list);
        put(FreeKind.Dict, s.dict);
        put(FreeKind.Frame, s.frame);
        put(FreeKind.Method, s.method);
        put(FreeKind.CFunction, s.cfunction);
        for (let n = 1; n < TUPLE_SIZES; n++) put(FreeKind.Tuple + n - 1, s.tuple[n - 1] ?? 0);
    }

    /**
     * _PyGC_ClearAllFreeLists (2.7/3.8 clear_freelists): a full collection releases every list's
     * entries (the zombie frames stay); returns how many objects that frees (PyObject_GC_Del each).
     */
    clear(): number {
        let n = 0;
        const from = this.profile.collectClearsListsAndDicts ? 0 : FreeKind.Method;
        for (let k = from; k < this.numfree.length; k++) {
            n += this.numfree[k];
            this.numfree[k] = 0;
        }
        return n;
    }

    /** The kind of a tuple of `n` items; None for the empty tuple (a singleton, never allocated). */
    static tupleKind(n: number): FreeKind {
        return n >= 1 && n < TUPLE_SIZES ? FreeKind.Tuple + n - 1 : FreeKind.None;
    }

    /** An allocation of `o`: true when a free list supplies it (no count). */
    take(o: PyObject): boolean {
        const k = this.kindOf(o);
        if (k === FreeKind.None) return false;
        if (k === FreeKind.Frame) return this.takeFrame(this.zombieKey(o));
        return this.takeKind(k);
    }

    /** A frame for the code `key` (frameobject.c frame_alloc): its zombie frame when free, else the frame list. */
    takeFrame(key: object | null): boolean {
        if (key !== null && this.zombies.delete(key)) return true;
        return this.takeKind(FreeKind.Frame);
    }

    /** A frame of the code `key` freed: it becomes the code's zombie frame, else goes to the frame list. */
    giveFrame(key: object | null): boolean {
        if (key !== null && !this.zombies.has(key)) {
            this.zombies.add(key);
            return true;
        }
        return this.giveKind(FreeKind.Frame);
    }

    /** A deallocation of `o` (of kind `k`, taken before its items were released): true when a free list keeps it (no decrement). */
    give(o: PyObject, k: FreeKind): boolean {
        if (k === FreeKind.None) return false;
        if (k === FreeKind.Frame) return this.giveFrame(this.zombieKey(o));
        return this.giveKind(k);
    }

    /**
     * An import's walk (FreeListWalk) from the lists as they are: leaves them as the import does and
     * returns how many more fresh objects it allocates than from `ref`, the state its measured count
     * (profiles.ts ImportCost.allocs) starts from (negative: the lists supply that many more).
     */
    walk(w: FreeListWalk, ref: FreeListState): number {
        let more = 0;
        const step = (k: number, depth: number, empty: number, from: number): void => {
            const start = this.numfree[k];
            more += Math.max(0, depth - start) - Math.max(0, depth - Math.min(from, this.cap[k]));
            this.numfree[k] = Math.min(this.cap[k], Math.max(start + empty - depth, empty));
        };
        step(FreeKind.List, w.depth.list, w.empty.list, ref.list);
        step(FreeKind.Dict, w.depth.dict, w.empty.dict, ref.dict);
        for (let n = 1; n < TUPLE_SIZES; n++) step(FreeKind.Tuple + n - 1, w.depth.tuple[n - 1] ?? 0, w.empty.tuple[n - 1] ?? 0, ref.tuple[n - 1] ?? 0);
        if (w.frame !== undefined) this.numfree[FreeKind.Frame] = Math.min(w.frame, this.cap[FreeKind.Frame]);
        return more;
    }

    /** The state the lists are in (list, dict, tuples). */
    state(): FreeListState {
        const tuple: number[] = [];
        for (let n = 1; n < TUPLE_SIZES; n++) tuple.push(this.numfree[FreeKind.Tuple + n - 1]);
        return { list: this.numfree[FreeKind.List], dict: this.numfree[FreeKind.Dict], tuple };
    }

    /** How many objects of kind `k` the list holds. */
    occupancy(k: FreeKind): number {
        return this.numfree[k];
    }

    /** Sets how many objects of kind `k` the list holds (compiling `__main__` leaves them: interp/compilerKeys.ts). */
    setOccupancy(k: FreeKind, n: number): void {
        this.numfree[k] = Math.min(n, this.cap[k]);
    }

    takeKind(k: FreeKind): boolean {
        if (this.numfree[k] > 0) {
            this.numfree[k]--;
            return true;
        }
        return false;
    }

    giveKind(k: FreeKind): boolean {
        if (this.numfree[k] < this.cap[k]) {
            this.numfree[k]++;
            return true;
        }
        return false;
    }
}
