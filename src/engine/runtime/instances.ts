/*
 * instances.ts
 *
 * Instances of classes defined by a scenario, and exception objects.
 *
 * Attribute storage follows the profile: ≤3.10 a real `__dict__` (a dict object of its own, GC
 * counted, released in insertion order); 3.11+ "inline values" (PyDictValues) laid out by the
 * class's shared keys and released in shared-keys order. Inline values are plain arrays on the
 * instance: no dict, Map or entry objects per instance, which is most of what a 3.11+ instance
 * costs. They become a dict only when `__dict__` is asked for (materialized, as CPython does) or
 * when the class's shared keys are full (an *embedded* PyDict, still released in shared-keys order).
 */

import { PyObject, ObjFlag, type Refs, type Visit } from './object';
import type { PyType } from './types';
import { PyDict, PyTuple, type DictEntry } from './containers';
import type { PyStr } from './values';

export class PyInstance extends PyObject {
    /**
     * A real `__dict__` (≤3.10, exceptions, or a materialized 3.11+ one), or an embedded dict
     * (`embeddedIn === this`) holding 3.11+ values that no longer fit the shared keys. null while
     * the instance has no dict (and, 3.11+, while its attributes are inline values).
     */
    attrs: PyDict | null = null;
    /**
     * 3.11+ inline values, by shared-keys index i: `inline[2i]` is the key object the first store
     * used (what a materialized `__dict__` hands out), `inline[2i + 1]` the value; null pairs are
     * absent attributes. Index order is shared-keys order, the order they are visited and released.
     * null until the first attribute store; an empty array once cleared (tp_clear), like the empty
     * embedded dict it stands for.
     */
    inline: (PyObject | null)[] | null = null;
    /**
     * Insertion order of the inline values (shared-keys indices), which a materialized `__dict__`
     * keeps; null while it is index order, as it is when attributes are set in the same order as
     * the class first saw them.
     */
    inlineOrder: number[] | null = null;
    /**
     * Bit i (i < 31) set: inline value i is an object the cyclic GC never deals with (an atomic
     * non-GC value: int, str, None…). The collector's traversal skips those without reading them:
     * on a long-lived heap every such read is a cache miss of its own (a 300,000-node linked list
     * of `Node(i, next)` spent most of each collection reading the ints), and the value objects
     * are exactly what the collector would ignore anyway.
     */
    inlineNoGc = 0;
    /** `__slots__` values, most-derived class first, each class's slots in declaration order. */
    slots: (PyObject | null)[] | null = null;

    /** Every class's instances are GC objects except `object()`'s own: object has no Py_TPFLAGS_HAVE_GC (never tracked, never counted). */
    override isGcType(): boolean {
        return this.type.layout !== 'object';
    }

    /**
     * Was it made by object_new, which gives 3.11+ instances inline values? A native type's own
     * `__new__` (BaseException_new, weakref___new__) only allocates: a subclass instance's
     * attributes go to a dict object made at the first store.
     */
    madeByObjectNew(): boolean {
        return true;
    }

    /** The instance attribute `name` (borrowed reference), or null. */
    attrValue(name: string): PyObject | null {
        const iv = this.inline;
        if (iv !== null) {
            const i = this.type.sharedKeys.indexOf(name);
            return i < 0 || 2 * i + 1 >= iv.length ? null : iv[2 * i + 1];
        }
        const attrs = this.attrs;
        return attrs === null ? null : attrs.getStr(name);
    }

    /** Stores inline value `i` (shared-keys index; `key` is the name's str): insertdict's order of reference operations. */
    storeInline(r: Refs, i: number, key: PyStr, value: PyObject): void {
        const at = 2 * i;
        let iv = this.inline;
        if (iv === null) iv = this.inline = newInline(Math.max(2 * this.type.sharedKeys.length, at + 2));
        while (iv.length < at + 2) iv.push(null);
        const old = iv[at + 1];
        if (i < 31) {
            if (value.flags & ObjFlag.Atomic && !value.isGcType()) this.inlineNoGc |= 1 << i;
            else this.inlineNoGc &= ~(1 << i);
        }
        if (old !== null) {
            iv[at + 1] = value;
            r.acquire(this, value, key.v);
            r.release(this, old, key.v);
            return;
        }
        if (this.inlineOrder !== null) this.inlineOrder.push(i);
        else if (hasValueAfter(iv, i)) this.inlineOrder = [...presentIndices(iv), i];
        iv[at] = key;
        iv[at + 1] = value;
        r.incref(key);
        r.acquire(this, value, key.v);
    }

    /** `del obj.name` on inline values (delitem_common: the key, then the value). */
    deleteInline(r: Refs, i: number): boolean {
        const iv = this.inline;
        const at = 2 * i;
        if (iv === null || i < 0 || at + 1 >= iv.length || iv[at + 1] === null) return false;
        const key = iv[at] as PyStr;
        const value = iv[at + 1]!;
        iv[at] = iv[at + 1] = null;
        if (i < 31) this.inlineNoGc &= ~(1 << i);
        const order = this.inlineOrder;
        if (order !== null) order.splice(order.indexOf(i), 1);
        r.decref(key);
        r.release(this, value, key.v);
        return true;
    }

    /**
     * Moves the inline values into an embedded dict (insertion order kept), for `__dict__` or a
     * name the shared keys have no room for. The instance keeps no inline values afterwards.
     */
    inlineToDict(dictType: PyType): PyDict {
        const d = new PyDict(dictType);
        d.embeddedIn = this;
        d.namespace = true;
        const iv = this.inline;
        if (iv !== null) {
            const order = this.inlineOrder ?? presentIndices(iv);
            for (const i of order) {
                const k = iv[2 * i] as PyStr;
                d.map.set(k.v, { k, v: iv[2 * i + 1]! });
                d.version++;
            }
            // Map order is shared-keys order unless insertion order says otherwise (see setAttr).
            if (this.inlineOrder !== null) d.outOfKeyOrder = true;
            else if (order.length) d.lastKeyRank = order[order.length - 1];
        }
        this.inline = null;
        this.inlineOrder = null;
        this.inlineNoGc = 0;
        return d;
    }

    /** Attribute names in the order their values are released (and visited): embedded dicts only. */
    attrOrder(): DictEntry[] {
        const entries = this.attrs ? Array.from(this.attrs.entries()) : [];
        if (this.attrs && this.attrs.embeddedIn === this && this.attrs.outOfKeyOrder) {
            const order = this.type.sharedKeys;
            const rank = (name: string): number => {
                const i = order.indexOf(name);
                return i < 0 ? order.length : i;
            };
            const named = entries.map((e, i) => ({ e, i, r: rank((e.k as unknown as { v?: string }).v ?? '') }));
            named.sort((a, b) => a.r - b.r || a.i - b.i);
            return named.map((x) => x.e);
        }
        return entries;
    }

    /** subtype_traverse: slots, then the dict (or inline values), then the (heap) type. */
    override traverse(visit: Visit, gcOnly = false): void {
        this.traverseOwn(visit, gcOnly);
        if (this.type.isHeap) visit(this.type);
    }

    protected traverseOwn(visit: Visit, gcOnly = false): void {
        if (this.slots) this.visitSlots(visit);
        const iv = this.inline;
        if (iv !== null) {
            const skip = gcOnly ? this.inlineNoGc : 0;
            for (let i = 1; i < iv.length; i += 2) {
                const v = iv[i];
                if (v === null) continue;
                const j = i >> 1;
                if (j < 31 && (skip >> j) & 1) continue;
                visit(v);
            }
            return;
        }
        const attrs = this.attrs;
        if (attrs) {
            if (attrs.embeddedIn === this) {
                // Usually the attributes were set in shared-keys order: no sort needed.
                if (attrs.outOfKeyOrder) for (const e of this.attrOrder()) visit(e.v);
                else for (const e of attrs.map.values()) visit(e.v);
            } else {
                visit(attrs);
            }
        }
    }

    private visitSlots(visit: Visit): void {
        const slots = this.slots!;
        for (let i = 0; i < slots.length; i++) {
            const v = slots[i];
            if (v) visit(v);
        }
    }

    /** subtype_clear: slots, then the dict. The type stays (it is released by dealloc). */
    override clear(r: Refs): void {
        this.clearSlots(r);
        this.releaseAttrs(r, true);
    }

    /** subtype_dealloc after the finalizer: clear_slots, the dict, then the type. */
    override releaseChildren(r: Refs): void {
        this.clearSlots(r);
        this.releaseAttrs(r, false);
        r.release(this, this.type, '__class__');
    }

    protected clearSlots(r: Refs): void {
        const slots = this.slots;
        if (!slots) return;
        const names = slotNamesOf(this.type);
        for (let i = 0; i < slots.length; i++) {
            const v = slots[i];
            if (v) {
                slots[i] = null;
                r.release(this, v, names[i] ?? `slot${i}`);
            }
        }
    }

    /** Releases the attributes, detached first; `keepEmpty`: the instance may live on (tp_clear) with empty inline values. */
    protected releaseAttrs(r: Refs, keepEmpty: boolean): void {
        const iv = this.inline;
        if (iv !== null) {
            this.inline = keepEmpty ? [] : null;
            this.inlineOrder = null;
            this.inlineNoGc = 0;
            for (let i = 0; i < iv.length; i += 2) {
                const v = iv[i + 1];
                if (v === null) continue;
                const k = iv[i] as PyStr;
                r.decref(k);
                r.release(this, v, k.v);
            }
            return;
        }
        const attrs = this.attrs;
        if (!attrs) return;
        if (attrs.embeddedIn === this) {
            const order = this.attrOrder();
            attrs.map.clear();
            for (const e of order) {
                r.decref(e.k);
                r.release(this, e.v, (e.k as unknown as { v: string }).v);
            }
        } else {
            this.attrs = null;
            r.release(this, attrs, '__dict__');
        }
    }
}

/**
 * Empty inline values for `n` slots, sized for the class's shared keys. Array literals rather than
 * `new Array(n)`: V8 tracks a literal's allocation site and pretenures arrays that stay alive (as
 * instances' values do), and `new Array(n).fill(null)` measured clearly slower; a growing `[]`
 * would reserve 17 slots per instance.
 */
function newInline(n: number): (PyObject | null)[] {
    switch (n) {
        case 2:
            return [null, null];
        case 4:
            return [null, null, null, null];
        case 6:
            return [null, null, null, null, null, null];
        case 8:
            return [null, null, null, null, null, null, null, null];
    }
    const a: (PyObject | null)[] = [];
    for (let i = 0; i < n; i++) a.push(null);
    return a;
}

/** Is there an inline value after index `i`? */
function hasValueAfter(iv: (PyObject | null)[], i: number): boolean {
    for (let j = 2 * i + 3; j < iv.length; j += 2) if (iv[j] !== null) return true;
    return false;
}

/** Indices of the inline values present, in index order. */
function presentIndices(iv: (PyObject | null)[]): number[] {
    const out: number[] = [];
    for (let j = 1; j < iv.length; j += 2) if (iv[j] !== null) out.push(j >> 1);
    return out;
}

/** Slot names of an instance of `t`, in slot-array order (most-derived class first). */
export function slotNamesOf(t: PyType): string[] {
    const names: string[] = [];
    for (const c of t.mro) if (c.slotNames) names.push(...c.slotNames);
    return names;
}

const NO_FIELDS: readonly string[] = [];

/**
 * BaseException and its subclasses (BaseException_clear order: dict, args, traceback, cause,
 * context). `fields` are the members of a subclass's C struct (OSError's errno, strerror,
 * filename…; builtins/exceptions.ts), traversed and cleared before BaseException's own.
 */
export class PyException extends PyInstance {
    override madeByObjectNew(): boolean {
        return false;
    }
    args: PyTuple | null = null;
    traceback: PyObject | null = null;
    cause: PyObject | null = null;
    context: PyObject | null = null;
    suppressContext = false;
    /**
     * 2.7: raised by C code (PyErr_SetString / PyErr_SetObject) and not yet normalized, so the
     * pending value is the bare message ('message': its one argument), or a tuple ('args': a missing
     * dict key, which C code wraps in a 1-tuple), not an instance; an except clause normalizes it.
     * Only PyErr_WriteUnraisable shows the difference (`Exception T: 'msg' in …`).
     */
    unnormalized: 'message' | 'args' | null = null;
    /** Struct members, or null while none is set; `fieldNames[i]` names `fields[i]` (exceptions.ts structOf). */
    fields: (PyObject | null)[] | null = null;
    fieldNames: readonly string[] = NO_FIELDS;
    /** 2.7: BaseException.message. */
    message: PyObject | null = null;

    /** subtype_traverse visits the type first (the base's traverse is not a heap type's), then the struct's members, then BaseException_traverse. */
    override traverse(visit: Visit): void {
        if (this.slots) super.traverseOwn(visit);
        if (this.type.isHeap) visit(this.type);
        const fields = this.fields;
        if (fields) for (let i = 0; i < fields.length; i++) if (fields[i]) visit(fields[i]!);
        if (this.attrs) visit(this.attrs);
        if (this.args) visit(this.args);
        if (this.message) visit(this.message);
        if (this.traceback) visit(this.traceback);
        if (this.cause) visit(this.cause);
        if (this.context) visit(this.context);
    }

    override clear(r: Refs): void {
        this.clearSlots(r);
        this.clearException(r);
    }

    override releaseChildren(r: Refs): void {
        this.clearSlots(r);
        this.clearException(r);
        if (this.type.isHeap) r.release(this, this.type, '__class__');
    }

    /** The struct's *_clear (its members in order), then BaseException_clear. */
    private clearException(r: Refs): void {
        const fields = this.fields;
        if (fields) {
            for (let i = 0; i < fields.length; i++) {
                const v = fields[i];
                if (v) {
                    fields[i] = null;
                    r.release(this, v, this.fieldNames[i]);
                }
            }
        }
        const attrs = this.attrs;
        this.attrs = null;
        if (attrs) r.release(this, attrs, '__dict__');
        const { args, message, traceback, cause, context } = this;
        this.args = null;
        this.message = null;
        this.traceback = null;
        this.cause = null;
        this.context = null;
        if (args) r.release(this, args, 'args');
        if (message) r.release(this, message, 'message');
        if (traceback) r.release(this, traceback, '__traceback__');
        if (cause) r.release(this, cause, '__cause__');
        if (context) r.release(this, context, '__context__');
    }
}
