/*
 * extobject.ts
 *
 * Objects of the C types that standard-library modules define (functools.partial,
 * functools._lru_cache_wrapper, collections.deque…): NativeObjects that are GC-tracked, may have
 * an instance `__dict__` (tp_dictoffset) created on first use, may bind as methods when found on
 * a class (tp_descr_get: lru_cache), and take their repr from their type (PyType.nativeRepr, also
 * used by the tuple- and dict-based ones). Each concrete type says what it references
 * (`traverse`), how the collector breaks it (`clear`) and its dealloc order (`releaseChildren`),
 * as the C functions of its module do.
 */

import { type PyObject, type Refs, type Visit } from './object';
import type { PyDict } from './containers';
import { NativeObject } from './nativeObject';
import type { Interpreter } from '../interp/interpreter';
import { addr } from '../interp/format';

export abstract class PyExtObject extends NativeObject {
    /** tp_dictoffset: the `__dict__` (null until an attribute is stored or `__dict__` is read). */
    attrs: PyDict | null = null;

    override isGcType(): boolean {
        return true;
    }

    /** A type whose `==` compares its items in order (deque_richcompare); null: identity. */
    get comparedItems(): readonly PyObject[] | null {
        return null;
    }

    /** Does the type have a `__dict__` slot? */
    get hasDict(): boolean {
        return false;
    }

    /** tp_descr_get: found on a class, is this object bound to the instance as a method? */
    get bindsAsMethod(): boolean {
        return false;
    }

    override reprText(it: Interpreter): string {
        const own = this.type.nativeRepr;
        if (own !== null) return own(this, new Set());
        return `<${this.type.module}.${this.type.name} object at ${addr(this)}>`;
    }

    override existingDict(): PyDict | null {
        return this.attrs;
    }

    override instanceDict(it: Interpreter): PyDict | null {
        if (!this.hasDict) return null;
        let d = this.attrs;
        if (d === null) {
            d = it.dict();
            d.namespace = true;
            this.attrs = d;
            it.heap.adopt(this, d, '__dict__');
        }
        return d;
    }

    protected visitAttrs(visit: Visit): void {
        if (this.attrs) visit(this.attrs);
    }

    protected clearAttrs(r: Refs): void {
        const d = this.attrs;
        if (d) {
            this.attrs = null;
            r.release(this, d, '__dict__');
        }
    }
}
