/*
 * subtypes.ts
 *
 * Instances of classes that derive from a built-in type (`class L(list)`, `class D(dict)`,
 * `class T(tuple)`, `class S(str)`…): the built-in object's own storage (list items, dict entries,
 * the string) plus what the heap type adds, a `__dict__` (tp_dictoffset / the managed dict) and
 * `__slots__` values. Their GC and dealloc orders are typeobject.c's subtype_* functions:
 *   - subtype_traverse: slots, the dict, the type, then the base's tp_traverse (the items);
 *   - subtype_clear: slots, the dict, then the base's tp_clear;
 *   - subtype_dealloc: (finalizer, weakrefs), slots, the dict, then the base's tp_dealloc (which
 *     releases the items), then the type.
 * Such instances are always GC types (type_new adds Py_TPFLAGS_HAVE_GC to a heap type with a
 * dict or slots), so a subclass of str or int is counted and collected, unlike the str itself.
 * Their `__dict__` is always a real dict object (measured: the first attribute store allocates
 * a GC object on every profile, unlike a plain class's 3.11+ inline values).
 */

import { PyObject, ObjFlag, type Refs, type Visit } from './object';
import type { PyType } from './types';
import { PyList, PyTuple, PyDict, PySet } from './containers';
import { PyInt, PyFloat, PyStr, PyBytes } from './values';
import { slotNamesOf } from './instances';

/** What a heap type adds to a built-in instance: its `__dict__` and `__slots__` values. */
export interface SubtypeParts {
    attrs: PyDict | null;
    slots: (PyObject | null)[] | null;
}

function traverseParts(o: PyObject & SubtypeParts, visit: Visit): void {
    const slots = o.slots;
    if (slots) for (let i = 0; i < slots.length; i++) if (slots[i]) visit(slots[i]!);
    if (o.attrs) visit(o.attrs);
    visit(o.type);
}

/** clear_slots, then the dict (subtype_clear and subtype_dealloc share this order). */
function clearParts(o: PyObject & SubtypeParts, r: Refs): void {
    const slots = o.slots;
    if (slots) {
        const names = slotNamesOf(o.type);
        for (let i = 0; i < slots.length; i++) {
            const v = slots[i];
            if (v) {
                slots[i] = null;
                r.release(o, v, names[i] ?? `slot${i}`);
            }
        }
    }
    const d = o.attrs;
    if (d) {
        o.attrs = null;
        r.release(o, d, '__dict__');
    }
}

export class PyListSub extends PyList implements SubtypeParts {
    attrs: PyDict | null = null;
    slots: (PyObject | null)[] | null = null;
    override traverse(visit: Visit): void {
        traverseParts(this, visit);
        super.traverse(visit);
    }
    override clear(r: Refs): void {
        clearParts(this, r);
        super.clear(r);
    }
    override releaseChildren(r: Refs): void {
        this.clear(r);
        r.release(this, this.type, '__class__');
    }
}

export class PyDictSub extends PyDict implements SubtypeParts {
    attrs: PyDict | null = null;
    slots: (PyObject | null)[] | null = null;
    override traverse(visit: Visit): void {
        traverseParts(this, visit);
        super.traverse(visit);
    }
    override clear(r: Refs): void {
        clearParts(this, r);
        super.clear(r);
    }
    override releaseChildren(r: Refs): void {
        this.clear(r);
        r.release(this, this.type, '__class__');
    }
}

export class PySetSub extends PySet implements SubtypeParts {
    attrs: PyDict | null = null;
    slots: (PyObject | null)[] | null = null;
    override traverse(visit: Visit): void {
        traverseParts(this, visit);
        super.traverse(visit);
    }
    override clear(r: Refs): void {
        clearParts(this, r);
        super.clear(r);
    }
    override releaseChildren(r: Refs): void {
        this.clear(r);
        r.release(this, this.type, '__class__');
    }
}

export class PyTupleSub extends PyTuple implements SubtypeParts {
    attrs: PyDict | null = null;
    slots: (PyObject | null)[] | null = null;
    override traverse(visit: Visit): void {
        traverseParts(this, visit);
        super.traverse(visit);
    }
    /** Tuples have no tp_clear: subtype_clear clears only what the subclass added. */
    override clear(r: Refs): void {
        clearParts(this, r);
    }
    override releaseChildren(r: Refs): void {
        clearParts(this, r);
        super.releaseChildren(r);
        r.release(this, this.type, '__class__');
    }
}

/** Subclasses of the atomic built-ins (str, int, float, bytes): counted, GC-tracked objects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function atomicSubtype<B extends new (...a: any[]) => PyObject>(Base: B) {
    class Sub extends Base implements SubtypeParts {
        attrs: PyDict | null = null;
        slots: (PyObject | null)[] | null = null;
        override isGcType(): boolean {
            return true;
        }
        override traverse(visit: Visit): void {
            traverseParts(this, visit);
        }
        override clear(r: Refs): void {
            clearParts(this, r);
        }
        override releaseChildren(r: Refs): void {
            clearParts(this, r);
            r.release(this, this.type, '__class__');
        }
    }
    return Sub;
}

export class PyStrSub extends atomicSubtype(PyStr) {
    constructor(type: PyType, v: string) {
        super(type, v);
        this.flags &= ~ObjFlag.Atomic;
    }
}

export class PyIntSub extends atomicSubtype(PyInt) {
    constructor(type: PyType, v: number | bigint) {
        super(type, v);
        this.flags &= ~ObjFlag.Atomic;
    }
}

export class PyFloatSub extends atomicSubtype(PyFloat) {
    constructor(type: PyType, v: number) {
        super(type, v);
        this.flags &= ~ObjFlag.Atomic;
    }
}

export class PyBytesSub extends atomicSubtype(PyBytes) {
    constructor(type: PyType, v: Uint8Array) {
        super(type, v);
        this.flags &= ~ObjFlag.Atomic;
    }
}

/** Is `o` an instance of a heap type deriving from a built-in type other than object (one of the classes above)? */
export function isSubtypeInstance(o: PyObject): o is PyObject & SubtypeParts {
    return o.type.builtinBase !== null;
}
