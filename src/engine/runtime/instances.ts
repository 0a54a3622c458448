/*
 * instances.ts
 *
 * Instances of classes defined by a scenario, and exception objects.
 *
 * Attribute storage follows the profile: ≤3.10 a real `__dict__` (a dict object of its own, GC
 * counted, released in insertion order); 3.11+ "inline values" released in the class's shared-keys
 * order. Both are held in a PyDict; for 3.11+ that dict is *embedded* (not an object of its own
 * until `__dict__` is asked for).
 */

import { PyObject, type Refs, type Visit } from './object';
import type { PyType } from './types';
import { PyDict, PyTuple, type DictEntry } from './containers';

export class PyInstance extends PyObject {
    /** Attribute storage; null until the first attribute store (or when the class has no __dict__). */
    attrs: PyDict | null = null;
    /** `__slots__` values, most-derived class first, each class's slots in declaration order. */
    slots: (PyObject | null)[] | null = null;

    override isGcType(): boolean {
        return true;
    }

    /** Attribute names in the order their values are released (and visited). */
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
    override traverse(visit: Visit): void {
        this.traverseOwn(visit);
        if (this.type.isHeap) visit(this.type, '__class__');
    }

    protected traverseOwn(visit: Visit): void {
        if (this.slots) this.visitSlots(visit);
        const attrs = this.attrs;
        if (attrs) {
            if (attrs.embeddedIn === this) {
                // Usually the attributes were set in shared-keys order: no sort needed.
                if (attrs.outOfKeyOrder) for (const e of this.attrOrder()) visit(e.v, (e.k as unknown as { v: string }).v);
                else for (const e of attrs.map.values()) visit(e.v, (e.k as unknown as { v: string }).v);
            } else {
                visit(attrs, '__dict__');
            }
        }
    }

    private visitSlots(visit: Visit): void {
        const names = slotNamesOf(this.type);
        const slots = this.slots!;
        for (let i = 0; i < slots.length; i++) {
            const v = slots[i];
            if (v) visit(v, names[i] ?? `slot${i}`);
        }
    }

    /** subtype_clear: slots, then the dict. The type stays (it is released by dealloc). */
    override clear(r: Refs): void {
        this.clearSlots(r);
        this.releaseAttrs(r);
    }

    /** subtype_dealloc after the finalizer: clear_slots, the dict, then the type. */
    override releaseChildren(r: Refs): void {
        this.clearSlots(r);
        this.releaseAttrs(r);
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

    protected releaseAttrs(r: Refs): void {
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

/** Slot names of an instance of `t`, in slot-array order (most-derived class first). */
export function slotNamesOf(t: PyType): string[] {
    const names: string[] = [];
    for (const c of t.mro) if (c.slotNames) names.push(...c.slotNames);
    return names;
}

/** BaseException and its subclasses (BaseException_clear order: dict, args, notes, traceback, cause, context). */
export class PyException extends PyInstance {
    args: PyTuple | null = null;
    traceback: PyObject | null = null;
    cause: PyObject | null = null;
    context: PyObject | null = null;
    suppressContext = false;

    /** subtype_traverse visits the type first (the base's traverse is not a heap type's), then BaseException_traverse. */
    override traverse(visit: Visit): void {
        if (this.slots) super.traverseOwn(visit);
        if (this.type.isHeap) visit(this.type, '__class__');
        if (this.attrs) visit(this.attrs, '__dict__');
        if (this.args) visit(this.args, 'args');
        if (this.traceback) visit(this.traceback, '__traceback__');
        if (this.cause) visit(this.cause, '__cause__');
        if (this.context) visit(this.context, '__context__');
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

    private clearException(r: Refs): void {
        const attrs = this.attrs;
        this.attrs = null;
        if (attrs) r.release(this, attrs, '__dict__');
        const { args, traceback, cause, context } = this;
        this.args = null;
        this.traceback = null;
        this.cause = null;
        this.context = null;
        if (args) r.release(this, args, 'args');
        if (traceback) r.release(this, traceback, '__traceback__');
        if (cause) r.release(this, cause, '__cause__');
        if (context) r.release(this, context, '__context__');
    }
}
