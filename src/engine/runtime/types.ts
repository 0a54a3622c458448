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

export class PyType extends PyObject {
    /** Method resolution order, this type first. */
    mro: PyType[] = [];
    /** Names declared in `__slots__` by this class itself (null: no `__slots__`). */
    slotNames: string[] | null = null;
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
    /** How instances are dict keys and set items when the class may define `__hash__` (heap types). */
    keyProtocol: KeyProtocol | null = null;
    /** tp_name when it is not `__name__` (C types of a module: `_io.TextIOWrapper`), for error messages. */
    tpName: string | null = null;
    /** Heap types reference themselves through `__mro__` (a cycle: classes die only by GC or at shutdown). */
    mroHeld = false;
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
            const dicts: PyDict[] = [];
            const tags: number[] = [];
            for (let i = 0; i < mro.length; i++) {
                dicts.push(mro[i].dict);
                tags.push(mro[i].dict.typeTag);
            }
            this.lookupDicts = dicts;
            this.lookupTags = tags;
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

    /** type_traverse: dict, then the MRO tuple (which contains the type itself), then the base; a heap metaclass last. */
    override traverse(visit: Visit): void {
        visit(this.dict);
        if (this.mroHeld) visit(this);
        if (this.base && this.base.isHeap) visit(this.base);
        if (this.type.isHeap) visit(this.type);
    }

    /** type_clear: empties the class dict (the usual way a class cycle is broken). */
    override clear(r: Refs): void {
        this.dict.clearItems(r);
        if (this.mroHeld) {
            this.mroHeld = false;
            r.release(this, this, '__mro__');
        }
    }

    override releaseChildren(r: Refs): void {
        if (this.base && this.base.isHeap) r.release(this, this.base, '__base__');
        r.release(this, this.dict, '__dict__');
        // A class whose metaclass is a heap type holds it, as any instance holds its class.
        if (this.type.isHeap) r.release(this, this.type, '__class__');
    }
}
