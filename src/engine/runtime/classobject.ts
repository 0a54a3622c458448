/*
 * classobject.ts
 *
 * 2.7's classic class object, Objects/classobject.c's PyClassObject (built by
 * interp/classobject.ts classicClassNew). Unlike a new-style class it is no cycle of its own: it
 * holds its bases tuple (cl_bases), its namespace dict itself (cl_dict, not a copy) and its name,
 * and nothing that points back at it (no MRO tuple, no getset descriptors, no entry in a base's
 * subclass list), so a classic class whose last reference goes is freed at once by its reference
 * count. It has no tp_clear: a collection breaks a cycle through one by clearing its dict.
 */

import type { PyObject, Refs, Visit } from './object';
import type { PyDict } from './containers';
import { PyType } from './types';
import { PyInstance } from './instances';

export class PyClassObject extends PyType {
    constructor(metatype: PyType, name: string, base: PyType, dict: PyDict) {
        super(metatype, name, base, dict, 'instance', true);
        this.classic = true;
    }

    /** class_traverse: cl_bases, cl_dict (the name is a string: nothing the collector follows). */
    override traverse(visit: Visit): void {
        if (this.basesTuple) visit(this.basesTuple);
        visit(this.dict);
    }

    /** PyClass_Type has no tp_clear. */
    override clear(_r: Refs): void {}

    /** class_dealloc: cl_bases, then cl_dict. */
    override releaseChildren(r: Refs): void {
        const bases = this.basesTuple;
        this.basesTuple = null;
        if (bases) r.release(this, bases as PyObject, '__bases__');
        r.release(this, this.dict, '__dict__');
    }
}

/**
 * An instance of a classic class (PyInstanceObject): its dict is made before it
 * (PyInstance_NewRaw) and is always a dict object.
 */
export class PyClassicInstance extends PyInstance {
    /** instance_traverse: in_class, then in_dict. */
    override traverse(visit: Visit): void {
        visit(this.type);
        if (this.attrs) visit(this.attrs);
    }

    /** PyInstance_Type has no tp_clear: a cycle through an instance is broken at its dict. */
    override clear(_r: Refs): void {}

    /** instance_dealloc after __del__: in_class, then in_dict. */
    override releaseChildren(r: Refs): void {
        r.release(this, this.type, '__class__');
        this.releaseAttrs(r, false);
    }
}
