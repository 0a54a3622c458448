/*
 * descriptors.ts
 *
 * The descriptors PyType_Ready creates for a class: a getset_descriptor for `__dict__` and one for
 * `__weakref__` when the class adds them, and a member_descriptor per `__slots__` name. They are
 * GC objects that refer back to their class (d_type), so a class is always part of a cycle, and
 * `gc.collect()` counts them when a class becomes garbage.
 */

import { PyObject, type Refs, type Visit } from './object';
import type { PyType } from './types';

export class PyDescriptor extends PyObject {
    constructor(
        type: PyType,
        /** d_type: the class that owns it. */
        public owner: PyType | null,
        /** The attribute name (`__dict__`, `__weakref__`, a slot). */
        readonly attr: string,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.owner) visit(this.owner);
    }
    override releaseChildren(r: Refs): void {
        const t = this.owner;
        this.owner = null;
        if (t) r.release(this, t, '__objclass__');
    }
}
