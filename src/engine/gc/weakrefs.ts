/*
 * weakrefs.ts
 *
 * Weak reference objects and their clearing, as Objects/weakrefobject.c and the collector do it:
 *   - each referent keeps its weakrefs in list order: the shared callback-less `ref` first, then the
 *     callback-less proxy, then refs/proxies with callbacks, NEWEST FIRST (insert_after / insert_head);
 *   - PyObject_ClearWeakRefs (refcount death): clear every weakref, then call the callbacks in list
 *     order (so newest first); a callback's exception is unraisable;
 *   - handle_weakrefs (GC): clear weakrefs to every unreachable object; only weakrefs that are
 *     themselves reachable get their callback called, before any finalizer of that collection.
 */

import { PyObject, ObjFlag, type Refs, type Visit } from '../runtime/object';
import { GcList } from '../runtime/gcHeads';
import { PyInstance } from '../runtime/instances';
import { isSubtypeInstance } from '../runtime/subtypes';
import type { PyType } from '../runtime/types';
import { EventKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { PyRaise, dropRaise, EngineStop } from '../interp/signals';
import { writeUnraisable } from '../interp/traceback';
import { tpName } from '../builtins/exceptions';
import { allocTuple, freeTuple } from '../interp/callTemporaries';

/**
 * weakref.ref / weakref.proxy (PyWeakReference). An instance-like object so that the interpreter's
 * special-method dispatch (`__call__`, `__getattr__` for proxies) finds the type's methods.
 */
export class PyWeakref extends PyInstance {
    referent: PyObject | null;
    callback: PyObject | null;
    /** Cached hash of the referent (weakref_hash). */
    hash: PyObject | null = null;
    /**
     * A WeakValueDictionary's KeyedRef (Lib/weakref.py, a ref subclass with `__slots__ = "key",`):
     * the key it was made for, which its removal callback looks up again. It may be another object
     * than the dict's stored key (an equal key stored again keeps the first one in the dict).
     */
    keyedKey: PyObject | null = null;

    constructor(
        type: import('../runtime/types').PyType,
        referent: PyObject,
        callback: PyObject | null,
        readonly isProxy: boolean,
    ) {
        super(type);
        this.referent = referent;
        this.callback = callback;
    }

    override isGcType(): boolean {
        return true;
    }
    override madeByObjectNew(): boolean {
        return false;
    }
    /**
     * gc_traverse: only the callback. An instance of a subclass (`class R(weakref.ref)`):
     * subtype_traverse first (slots, `__dict__`, the class), then the base's gc_traverse.
     */
    override traverse(visit: Visit, gcOnly = false): void {
        if (this.type.isHeap) super.traverse(visit, gcOnly);
        if (this.keyedKey) visit(this.keyedKey);
        if (this.callback) visit(this.callback);
    }
    /** gc_clear: clear the reference, then the callback (a subclass's subtype_clear: slots and `__dict__` first; a KeyedRef's key slot). */
    override clear(r: Refs): void {
        if (this.type.isHeap) super.clear(r);
        const key = this.keyedKey;
        this.keyedKey = null;
        if (key) r.release(this, key, 'key');
        this.clearRef(r);
    }
    private clearRef(r: Refs): void {
        unlinkRef(this);
        const cb = this.callback;
        this.callback = null;
        if (cb) r.release(this, cb, '__callback__');
    }
    /**
     * weakref_dealloc: clear_weakref (unlinks and drops the callback). A subclass's subtype_dealloc:
     * its slots and `__dict__`, then weakref_dealloc, then the class.
     */
    override releaseChildren(r: Refs): void {
        if (!this.type.isHeap) return this.clear(r);
        this.clearSlots(r);
        this.releaseAttrs(r, false);
        this.clearRef(r);
        r.release(this, this.type, '__class__');
    }
}

/** Removes a weakref from its referent's list and forgets the referent (clear_weakref without the callback). */
export function unlinkRef(wr: PyWeakref): void {
    const o = wr.referent;
    if (!o) return;
    wr.referent = null;
    const list = o.weakrefs;
    if (list) {
        const i = list.indexOf(wr);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) o.weakrefs = null;
    }
}

/**
 * The C types of standard modules whose objects have a weak-reference list (tp_weaklistoffset):
 * functools._lru_cache_wrapper. Their deallocs clear the weak references first.
 */
export const WEAKREFABLE_STD_TYPES = new WeakSet<PyType>();

/** Can `o` be weakly referenced (tp_weaklistoffset)? */
export function supportsWeakrefs(it: Interpreter, o: PyObject): boolean {
    if (WEAKREFABLE_STD_TYPES.has(o.type)) return true;
    // A built-in type object (static, never freed: its weakrefs are never cleared before exit,
    // where 3.12+'s _PyStaticType_ClearWeakRefs clears them without callbacks). Other atomic
    // objects (ints, strings, None…) have no weak-reference slot.
    if (o.flags & ObjFlag.Atomic) return o.type.isSubtypeOf(it.T.type);
    if (o instanceof PyInstance) {
        const t = o.type;
        // object() and the built-in exceptions have no tp_weaklistoffset (a class deriving from
        // them gets a __weakref__ slot: the heap-type branch below).
        if (!t.isHeap) return t.layout !== 'object' && t.layout !== 'exception' && !(o instanceof PyWeakref);
        // __slots__ without __weakref__ (and without a base providing one).
        const hasSlots = t.mro.some((c) => c.slotNames);
        if (!hasSlots) return true;
        const declared = (t as { weakrefSlot?: boolean }).weakrefSlot;
        return declared !== false;
    }
    if (isSubtypeInstance(o)) {
        // A heap type adds __weakref__ (unless its __slots__ leave it out).
        const t = o.type;
        if (!t.mro.some((c) => c.slotNames)) return true;
        return (t as { weakrefSlot?: boolean }).weakrefSlot !== false;
    }
    const layout = o.type.layout;
    return layout === 'function' || layout === 'type' || layout === 'set' || layout === 'frozenset' || layout === 'method' || layout === 'code' || layout === 'generator' || layout === 'io';
}

/**
 * Built-in types whose objects have no weak-reference slot in CPython (tp_weaklistoffset 0), so
 * `weakref.ref` raises TypeError; exceptions (BaseException) too. Objects of any other built-in
 * type CPython can refer to weakly (static types, lru_cache wrappers, WeakMethod…): where the
 * engine does not model that, it refuses rather than invent the TypeError.
 */
const NO_WEAKREF_SLOT = new Set([
    'int', 'bool', 'float', 'complex', 'str', 'bytes', 'bytearray', 'tuple', 'list', 'dict', 'NoneType',
    'NotImplementedType', 'ellipsis', 'range', 'slice', 'object', 'long', 'unicode', 'memoryview',
    'weakref', 'weakproxy', 'weakcallableproxy', 'property', 'cell',
]);

/** weakref.ref/proxy/WeakMethod's check of the referent: TypeError where CPython raises it. */
export function checkWeakrefable(it: Interpreter, o: PyObject): void {
    if (supportsWeakrefs(it, o)) return;
    if (!o.type.isHeap && !NO_WEAKREF_SLOT.has(o.type.name) && !o.type.isSubtypeOf(it.T.BaseException)) {
        throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: a weak reference to a '${o.type.name}' object`, line: it.line || 1, col: it.col || 1 });
    }
    // (tp_name: 2.7's built-in exceptions are `exceptions.ValueError`.)
    throw it.error('TypeError', `cannot create weak reference to '${tpName(it, o.type)}' object`);
}

/** Where a new weakref goes in the referent's list (weakref___new__ / insert_head / insert_after). */
export function insertRef(o: PyObject, wr: PyWeakref, basic: boolean): void {
    const list = (o.weakrefs ??= []);
    if (basic) {
        // callback-less ref: the head; callback-less proxy: after the basic ref.
        if (!wr.isProxy) list.unshift(wr);
        else {
            const i = list.length && isBasic(list[0] as PyWeakref, false) ? 1 : 0;
            list.splice(i, 0, wr);
        }
        return;
    }
    let i = 0;
    if (list.length && isBasic(list[0] as PyWeakref, false)) i = 1;
    if (list.length > i && isBasic(list[i] as PyWeakref, true)) i++;
    list.splice(i, 0, wr);
}

function isBasic(wr: PyWeakref, proxy: boolean): boolean {
    // get_basic_refs: the head is shared only when it is an exact ref or proxy (not a subclass's).
    return wr.callback === null && wr.isProxy === proxy && !(wr as { keyed?: boolean }).keyed && !wr.type.isHeap;
}

/** The shared callback-less ref (or proxy) of `o`, if any (get_basic_refs). */
export function basicRef(o: PyObject, proxy: boolean): PyWeakref | null {
    const list = o.weakrefs;
    if (!list) return null;
    for (const w of list as PyWeakref[]) {
        if (w.callback) break;
        if (isBasic(w, proxy)) return w;
    }
    return null;
}

function callCallback(it: Interpreter, wr: PyWeakref, callback: PyObject): void {
    const pos = it.position();
    it.log.push(EventKind.WeakrefCallback, pos.step, pos.line, pos.col, wr.id, 0, null);
    try {
        it.decref(call(it, callback, [wr], null));
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        writeUnraisable(it, e.exc, callback, { tb27: e.tb });
        dropRaise(it, e);
    }
}

/**
 * PyObject_ClearWeakRefs: the referent is dying by refcount. The callback-less shared ref and
 * proxy at the head of the list are cleared first; of the rest, a single weakref has its callback
 * called directly, while several are cleared all at once into a tuple of (ref, callback) pairs
 * (PyTuple_New(count * 2): one allocation, a free list's when it has one of that size), a ref
 * nobody holds any more dropping its callback at once; then every callback runs, and the tuple's
 * dealloc releases its items last first (each ref's callback, then the ref).
 */
export function clearWeakrefs(it: Interpreter, o: PyObject): void {
    const list = o.weakrefs;
    if (!list || !list.length) {
        // (Only an object that had a list holds the field: null comes from the prototype.)
        if (list) o.weakrefs = null;
        return;
    }
    const refs = list.slice() as PyWeakref[];
    let head = 0;
    while (head < 2 && head < refs.length && !refs[head].callback) unlinkRef(refs[head++]);
    const count = refs.length - head;
    if (count === 1) {
        const wr = refs[head];
        const cb = wr.callback;
        wr.callback = null;
        unlinkRef(wr);
        o.weakrefs = null;
        if (!cb) return;
        if (wr.rc > 0) {
            it.heap.incref(wr);
            callCallback(it, wr, cb);
            it.heap.forget(wr, cb, '__callback__');
            it.decref(cb);
            it.decref(wr);
        } else {
            it.heap.forget(wr, cb, '__callback__');
            it.decref(cb);
        }
        return;
    }
    if (count === 0) {
        o.weakrefs = null;
        return;
    }
    allocTuple(it, count * 2);
    const pairs: [PyWeakref | null, PyObject | null][] = [];
    for (let i = head; i < refs.length; i++) {
        const wr = refs[i];
        const cb = wr.callback;
        wr.callback = null;
        unlinkRef(wr);
        if (wr.rc > 0) {
            it.heap.incref(wr);
            pairs.push([wr, cb]);
        } else {
            if (cb) {
                it.heap.forget(wr, cb, '__callback__');
                it.decref(cb);
            }
            pairs.push([null, null]);
        }
    }
    o.weakrefs = null;
    for (const [wr, cb] of pairs) if (wr && cb) callCallback(it, wr, cb);
    for (let i = pairs.length - 1; i >= 0; i--) {
        const [wr, cb] = pairs[i];
        if (cb) {
            it.heap.forget(wr!, cb, '__callback__');
            it.decref(cb);
        }
        if (wr) it.decref(wr);
    }
    freeTuple(it, count * 2);
}

/**
 * handle_weakrefs: clears every weakref to an unreachable object (and every weakref that is itself
 * garbage), then calls the callbacks of the reachable weakrefs; those weakrefs move to `old`.
 * Returns how many of those weakrefs were freed by their callback.
 *
 * `candidates` (the collector's snapshot): in list order, every member of `unreachable` that is a
 * weakref or had weakrefs when the list was built, and possibly objects that have left it since
 * (they have lost the collecting mark, which every member keeps). No Python code runs in the first
 * loop and nothing gains a weakref without it, so visiting only those finds what walking the whole
 * list would; the others would be skipped anyway.
 */
export function handleWeakrefs(it: Interpreter, _unreachable: GcList, old: GcList, oldGen: number, candidates: readonly PyObject[]): number {
    const toCall: PyWeakref[] = [];
    const gc = it.heap.gc;
    // (No Python code runs in this loop: the header arrays cannot be replaced meanwhile.)
    const collecting = gc.collecting;
    for (let i = 0; i < candidates.length; i++) {
        const o = candidates[i];
        if (collecting[o.gcSlot] === 0) continue;
        if (o instanceof PyWeakref) unlinkRef(o);
        const list = o.weakrefs;
        if (!list) continue;
        for (const wr of list.slice() as PyWeakref[]) {
            unlinkRef(wr);
            if (!wr.callback) continue;
            if (collecting[wr.gcSlot] !== 0) continue;
            it.heap.incref(wr);
            toCall.push(wr);
        }
        o.weakrefs = null;
    }
    // The weakrefs whose callbacks will run sit on their own list (wrcb_to_call) meanwhile.
    const wrcb = new GcList(gc);
    for (const wr of toCall) {
        if (wr.gen !== -1) {
            const g = wr.gen;
            gc.unlink(wr.gcSlot);
            wrcb.append(wr);
            wr.gen = g;
        }
    }
    let freed = 0;
    for (const wr of toCall) {
        const cb = wr.callback;
        if (cb) {
            it.heap.incref(cb);
            callCallback(it, wr, cb);
            it.decref(cb);
        }
        const tracked = wr.gen !== -1 && !(wr.flags & ObjFlag.Freed);
        it.decref(wr);
        if (wr.flags & ObjFlag.Freed) freed++;
        else if (tracked && wr.gen !== -1) {
            gc.unlink(wr.gcSlot);
            old.append(wr);
            wr.gen = oldGen;
        }
    }
    wrcb.dispose();
    return freed;
}
