/*
 * types.ts
 *
 * Type objects. A PyType is both a simulated object (classes defined by a scenario are heap types:
 * refcounted, GC-tracked, and held alive by their instances) and the engine's dispatch record
 * (its `layout` tells which native struct its instances use).
 */

import { PyObject, ObjFlag, type Refs, type Visit } from './object';
import { typeCache, type PyDict, type KeyProtocol } from './containers';

/** Which native struct instances of a type use (the C "layout" in CPython terms). */
export type Layout =
    | 'object'
    | 'instance'
    | 'exception'
    | 'int'
    | 'bool'
    | 'float'
    | 'complex'
    | 'str'
    | 'bytes'
    | 'none'
    | 'ellipsis'
    | 'notimplemented'
    | 'list'
    | 'tuple'
    | 'dict'
    | 'set'
    | 'frozenset'
    | 'type'
    | 'function'
    | 'builtin'
    | 'method'
    | 'cell'
    | 'module'
    | 'frame'
    | 'traceback'
    | 'iterator'
    | 'generator'
    | 'range'
    | 'slice'
    | 'property'
    | 'staticmethod'
    | 'classmethod'
    | 'super'
    | 'weakref'
    | 'code'
    /** file objects: 3.x io classes (io/*.ts), 2.7's `file` (io/fileobject.ts) */
    | 'io'
    | 'native';

/**
 * The sq_/mp_/tp_iter slots of a standard-library C type (modules/*.ts), asked by the interpreter
 * only after the built-in types it knows did not match (so the common paths pay nothing).
 */
export interface ExtSlots {
    length?: (o: PyObject) => number;
    getItem?: (o: PyObject, key: PyObject) => PyObject;
    /** `value` null: `del o[key]`. */
    setItem?: (o: PyObject, key: PyObject, value: PyObject | null) => void;
    iter?: (o: PyObject) => PyObject;
    /** sq_concat / sq_inplace_concat (`o + b`, `o += b`): a new reference. */
    concat?: (o: PyObject, b: PyObject, inplace: boolean) => PyObject;
    /** sq_repeat / sq_inplace_repeat (`o * n`, `o *= n`; n never negative): a new reference. */
    repeat?: (o: PyObject, n: number, inplace: boolean) => PyObject;
    /** sq_contains: `item in o`. */
    contains?: (o: PyObject, item: PyObject) => boolean;
    /** tp_richcompare of a value type: `o` against `b` (negative, 0, positive), or null for NotImplemented. */
    compare?: (o: PyObject, b: PyObject) => number | null;
}

export class PyType extends PyObject {
    /** Method resolution order, this type first. */
    mro: PyType[] = [];
    /** Names declared in `__slots__` by this class itself (null: no `__slots__`). */
    slotNames: string[] | null = null;
    /** 2.7: a classic class (interp/classobject.ts). */
    classic = false;
    /** Index of this class's first slot in an instance's slot array (bases' slots come first). */
    slotOffset = 0;
    /** Do instances have a `__dict__`? */
    instancesHaveDict = true;
    /**
     * Heap types deriving from a built-in type other than object (`class L(list)`): that built-in
     * type (the "solid base" whose storage instances carry; runtime/subtypes.ts), else null.
     */
    builtinBase: PyType | null = null;
    /**
     * `T(...)`'s fast path (interp/calls.ts plainInit): the Python `__init__` type_call would run on
     * a plain new instance, or null when it does more; valid while `lookupEpoch()` is `plainInitEpoch`.
     */
    plainInit: PyObject | null = null;
    plainInitEpoch = -1;
    /**
     * Which attribute and descriptor hooks the class defines in Python (interp/slots.ts typeHooks:
     * `__getattribute__`, `__getattr__`, `__setattr__`, `__delattr__`, `__get__`, `__set__`,
     * `__delete__`), valid while `lookupEpoch()` is `hooksEpoch`.
     */
    hooks = 0;
    hooksEpoch = -1;
    /** Shared-keys order (3.11+): attribute names in the order the class first saw them. */
    sharedKeys: string[] = [];
    qualname: string;
    module = '__main__';
    /** A C type's sequence and mapping slots (standard-library types: collections.deque…), or null. */
    extSlots: ExtSlots | null = null;
    /** A C type whose subclasses' instances carry its own storage (OrderedDict): makes the instance. */
    allocSubtype: ((t: PyType) => PyObject) | null = null;
    /**
     * A C type whose `__new__` makes its subclasses' instances itself (weakref.ref: a PyWeakref of
     * the subclass), so a class may derive from it though its layout is not one of the modelled
     * built-in storages (interp/typeobject.ts isSubclassable).
     */
    subclassNew = false;
    /** A C type's own tp_repr (standard-library types: functools.partial…), or null. */
    nativeRepr: ((o: PyObject, seen: Set<PyObject>) => string) | null = null;
    /** How instances are dict keys and set items when the class may define `__hash__` (heap types). */
    keyProtocol: KeyProtocol | null = null;
    /** tp_name when it is not `__name__` (C types of a module: `_io.TextIOWrapper`), for error messages. */
    tpName: string | null = null;
    /** Which CPython free list recycles this exact type's instances (runtime/freelists.ts FreeKind; -1: none). */
    freeKind = -1;
    /** Do instances support weak references (a `__weakref__` slot somewhere in the MRO)? */
    instancesHaveWeakref = true;
    /** tp_bases of a heap type: the bases tuple. */
    basesTuple: PyObject | null = null;
    /** tp_mro of a heap type: the MRO tuple, which holds the type itself (classes are always in a cycle). */
    mroTuple: PyObject | null = null;
    /**
     * The getset (`__dict__`, `__weakref__`) and member (slot) descriptors PyType_Ready puts in a
     * heap type's dict. Their dict entries are not modelled (attribute access handles those names
     * itself); they are held here so the collector counts and frees them where CPython does: the
     * dict holds them (and stays tracked: `dict.keepTracked`), each refers back to the type.
     */
    /**
     * Internal allocations type_dealloc frees that we keep no object for, by free-list kind: the
     * weakref in the base's tp_subclasses (removed first), the slot-name tuple ht_slots (last).
     */
    subclassRefKinds: number[] | null = null;
    /** Has a subclass registry (tp_subclasses) been created for this heap type? Its free-list kind. */
    hasSubclasses = false;
    subclassRegistryKind = -1;
    slotTupleKind = -1;
    /**
     * `lookup` results (null: not found). They depend only on the MRO and the contents of its
     * types' dicts, so they stay valid while the MRO array and, for each of its types, the dict
     * object and its `typeTag` are unchanged (CPython's per-type version tags: a change to one
     * class invalidates that class and its subclasses only). `typeCache.version` (bumped by any
     * type dict change) lets the usual case skip checking the tags.
     */
    private readonly lookupCache = new Map<string, PyObject | null>();
    private lookupVersion = -1;
    private lookupMro: PyType[] | null = null;
    private lookupDicts: PyDict[] = [];
    private lookupTags: number[] = [];
    /** Bumped whenever `lookupCache` is emptied (see lookupEpoch). */
    private epoch = 0;

    constructor(
        metatype: PyType | null,
        public name: string,
        public base: PyType | null,
        public dict: PyDict,
        public layout: Layout,
        public isHeap: boolean,
    ) {
        // The metatype of `type` is itself; it is patched after construction.
        super(metatype as PyType);
        this.qualname = name;
        dict.isTypeDict = true;
        if (!isHeap) this.flags |= ObjFlag.Atomic;
    }

    override isGcType(): boolean {
        return this.isHeap;
    }

    /** Looks a name up along the MRO without invoking descriptors (`_PyType_Lookup`). */
    lookup(name: string): PyObject | null {
        if (this.lookupVersion !== typeCache.version || this.lookupMro !== this.mro) this.revalidateLookups();
        let v = this.lookupCache.get(name);
        if (v === undefined) {
            v = null;
            for (const t of this.mro) {
                v = t.dict.getStr(name);
                if (v) break;
            }
            this.lookupCache.set(name, v);
        }
        return v;
    }

    /**
     * Changes whenever what `lookup` finds may have changed (the cache was emptied): callers that
     * remember something derived from lookups (attribute site caches) compare epochs.
     */
    lookupEpoch(): number {
        if (this.lookupVersion !== typeCache.version || this.lookupMro !== this.mro) this.revalidateLookups();
        return this.epoch;
    }

    /** Some type dict changed (or the MRO did): empties the cache unless it was none of this MRO's. */
    private revalidateLookups(): void {
        if (this.lookupMro !== this.mro || !this.mroDictsUnchanged()) {
            this.lookupCache.clear();
            this.epoch++;
            this.lookupMro = this.mro;
            const mro = this.mro;
            // Refilled in place: a class attribute written in a loop (a counter on the class)
            // empties the cache every iteration, and two new arrays each time were garbage.
            if (this.lookupDicts.length !== mro.length) {
                this.lookupDicts = mro.map((t) => t.dict);
                this.lookupTags = mro.map((t) => t.dict.typeTag);
            }
            const dicts = this.lookupDicts;
            const tags = this.lookupTags;
            for (let i = 0; i < mro.length; i++) {
                dicts[i] = mro[i].dict;
                tags[i] = mro[i].dict.typeTag;
            }
        }
        this.lookupVersion = typeCache.version;
    }

    /** Are the MRO's dicts (same MRO array) the ones the cache was filled from, with no change since? */
    private mroDictsUnchanged(): boolean {
        const mro = this.mro;
        const dicts = this.lookupDicts;
        const tags = this.lookupTags;
        if (mro.length !== dicts.length) return false;
        for (let i = 0; i < mro.length; i++) {
            const d = mro[i].dict;
            if (d !== dicts[i] || d.typeTag !== tags[i]) return false;
        }
        return true;
    }

    isSubtypeOf(other: PyType): boolean {
        if (this === other) return true;
        // A plain loop (MROs are short): inlined, where `includes` is a builtin call. Every
        // instance creation asks this (is the class an exception class?).
        const mro = this.mro;
        for (let i = 0; i < mro.length; i++) if (mro[i] === other) return true;
        return false;
    }

    /** Total number of slots an instance of this type carries (own + bases'). */
    get totalSlots(): number {
        let n = 0;
        for (const t of this.mro) n += t.slotNames?.length ?? 0;
        return n;
    }

    /** type_traverse: the dict, the MRO tuple (which holds the type), the bases, the base; a heap metaclass last. */
    override traverse(visit: Visit): void {
        visit(this.dict);
        if (this.mroTuple) visit(this.mroTuple);
        if (this.basesTuple) visit(this.basesTuple);
        if (this.base && this.base.isHeap) visit(this.base);
        if (this.type.isHeap) visit(this.type);
    }

    /** type_clear: empties the class dict (the usual way a class cycle is broken) and drops the MRO. */
    override clear(r: Refs): void {
        this.dict.clearItems(r);
        const mro = this.mroTuple;
        this.mroTuple = null;
        if (mro) r.release(this, mro, '__mro__');
    }

    /** type_dealloc: remove_all_subclasses, then base, dict, bases, MRO, ht_slots. */
    override releaseChildren(r: Refs): void {
        const refs = this.subclassRefKinds;
        this.subclassRefKinds = null;
        if (refs) for (const k of refs) r.freeInternal(k);
        if (this.base && this.base.isHeap) r.release(this, this.base, '__base__');
        r.release(this, this.dict, '__dict__');
        const bases = this.basesTuple;
        this.basesTuple = null;
        if (bases) r.release(this, bases, '__bases__');
        const mro = this.mroTuple;
        this.mroTuple = null;
        if (mro) r.release(this, mro, '__mro__');
        if (this.hasSubclasses) r.freeInternal(this.subclassRegistryKind);
        if (this.slotTupleKind !== -1) r.freeInternal(this.slotTupleKind);
        // A class whose metaclass is a heap type holds it, as any instance holds its class:
        // subtype_dealloc releases it after type_dealloc.
        if (this.type.isHeap) r.release(this, this.type, '__class__');
    }
}
