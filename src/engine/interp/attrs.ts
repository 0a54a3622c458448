/*
 * attrs.ts
 *
 * Attribute access: PyObject_GenericGetAttr / SetAttr and type_getattro, with data descriptors
 * (property, __slots__), instance attributes, then non-data descriptors (functions become bound
 * methods: an allocation, unless LOAD_METHOD avoids it), plus the special attributes scenarios use.
 */

import { msg } from '../messages';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict, PyTuple } from '../runtime/containers';
import { PyInstance, PyException, slotNamesOf } from '../runtime/instances';
import { PyFunction, PyBuiltin, PyMethod, PyProperty, PyMethodWrapper, PyCell, PySuper } from '../runtime/callables';
import { PyModule, PyFrameObject, PyTraceback } from '../runtime/frames';
import { PyGenerator, generatorAttr } from './genobject';
import { PyStr } from '../runtime/values';
import type { Interpreter } from './interpreter';
import { call, callBound, hasSlots } from './calls';
import { attrNameStr } from './nodeCache';
import { exceptionGetAttr, exceptionSetAttr, attributeErrorContext, tpName } from '../builtins/exceptions';
import { PyRaise } from './signals';
import type * as ast from '../parser/ast';

const SHARED_KEYS_MAX = 30;

/** _PyType_Lookup on the object's type (special-method lookup skips the instance). */
export function lookupSpecial(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    return obj.type.lookup(name);
}

function attributeError(it: Interpreter, obj: PyObject, name: string): never {
    let r: PyRaise;
    if (obj instanceof PyType) r = it.error('AttributeError', `type object '${obj.name}' has no attribute '${name}'`);
    else if (obj instanceof PyModule) r = it.error('AttributeError', msg(it.profile, 'moduleNoAttribute', obj.name, name));
    else r = it.error('AttributeError', `'${tpName(it, obj.type)}' object has no attribute '${name}'`);
    throw attributeErrorContext(it, r, obj, name);
}

/** Binds a class attribute found by lookup to `obj` (descriptor __get__). New reference. */
export function bindDescriptor(it: Interpreter, descr: PyObject, obj: PyObject | null, owner: PyType): PyObject {
    if (descr instanceof PyFunction) {
        if (!obj) return it.incref(descr);
        return newBoundMethod(it, descr, obj);
    }
    if (descr instanceof PyMethodWrapper) {
        if (descr.isClassMethod) return newBoundMethod(it, descr.func!, owner);
        return it.incref(descr.func!);
    }
    if (descr instanceof PyBuiltin && descr.isMethodDescriptor && obj) {
        const b = it.heap.register(new PyBuiltin(it.T.builtin_function_or_method, descr.name, descr.impl, obj, false, descr.ownerName));
        it.heap.acquire(b, obj, '__self__');
        return b;
    }
    if (descr instanceof PyProperty && obj) {
        if (!descr.fget) throw it.error('AttributeError', `property of '${owner.name}' object has no getter`);
        return call(it, descr.fget, [obj], null);
    }
    return it.incref(descr);
}

export function newBoundMethod(it: Interpreter, func: PyObject, self: PyObject): PyMethod {
    const m = it.heap.register(new PyMethod(it.T.method, null, null));
    m.func = func;
    m.self = self;
    it.heap.acquire(m, func, '__func__');
    it.heap.acquire(m, self, '__self__');
    return m;
}

/** Where a `__slots__` name lives in the instance's slot array, or -1. */
function slotIndex(t: PyType, name: string): number {
    if (!hasSlots(t)) return -1;
    return slotNamesOf(t).indexOf(name);
}

// ------------------------------------------------------------------------------------------------
// get

export function getAttr(it: Interpreter, obj: PyObject, name: string): PyObject {
    const r = getAttrOrNull(it, obj, name);
    if (r) return r;
    // __getattr__ is the last resort for instances.
    if (obj instanceof PyInstance) {
        const ga = obj.type.lookup('__getattr__');
        if (ga) {
            try {
                return callBound(it, ga, obj, [it.str(name)]);
            } catch (e) {
                throw e instanceof PyRaise ? attributeErrorContext(it, e, obj, name) : e;
            }
        }
    }
    attributeError(it, obj, name);
}

/** Attribute lookup that answers null instead of raising AttributeError. New reference. */
export function getAttrOrNull(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    // Instances first (the common case): they are none of type, module or super, so skipping
    // those tests changes nothing.
    if (obj instanceof PyInstance) return instanceGetAttr(it, obj, name);
    if (obj instanceof PyType) return typeGetAttr(it, obj, name);
    if (obj instanceof PyModule) {
        if (name === '__dict__') return it.incref(obj.dict);
        const v = obj.dict.getStr(name);
        return v ? it.incref(v) : null;
    }
    if (obj instanceof PySuper) return superGetAttr(it, obj, name);
    const special = specialAttr(it, obj, name);
    if (special) return special;
    const t = obj.type;
    const descr = t.lookup(name);
    if (descr instanceof PyProperty) return bindDescriptor(it, descr, obj, t);
    // (Instances were handled by instanceGetAttr.)
    if (obj instanceof PyFunction && obj.dict) {
        const v = obj.dict.getStr(name);
        if (v) return it.incref(v);
    }
    if (descr) return bindDescriptor(it, descr, obj, t);
    return null;
}

/** getAttrOrNull for an instance: the generic path below, with the instance-only branches. */
function instanceGetAttr(it: Interpreter, obj: PyInstance, name: string): PyObject | null {
    const special = specialAttr(it, obj, name);
    if (special) return special;
    const t = obj.type;
    const descr = t.lookup(name);
    if (descr instanceof PyProperty) return bindDescriptor(it, descr, obj, t);
    const si = obj.slots ? slotIndex(t, name) : -1;
    if (si >= 0) {
        const v = obj.slots![si];
        if (!v) return null;
        return it.incref(v);
    }
    const v = obj.attrValue(name);
    if (v) return it.incref(v);
    if (descr) return bindDescriptor(it, descr, obj, t);
    return null;
}

/** super(T, obj).name: look along obj's MRO after T, then bind to obj. */
function superGetAttr(it: Interpreter, s: PySuper, name: string): PyObject | null {
    const mro = (s.objType ?? s.startType).mro;
    const start = mro.indexOf(s.startType);
    for (let i = start + 1; i < mro.length; i++) {
        const v = mro[i].dict.getStr(name);
        if (v) {
            const self = s.obj instanceof PyType && s.objType === s.obj ? null : s.obj;
            if (v instanceof PyMethodWrapper && v.isClassMethod) return newBoundMethod(it, v.func!, s.objType!);
            return bindDescriptor(it, v, self, s.objType!);
        }
    }
    if (name === '__class__') return it.incref(s.type);
    return null;
}

function typeGetAttr(it: Interpreter, t: PyType, name: string): PyObject | null {
    switch (name) {
        case '__name__':
            return it.str(t.name);
        case '__qualname__':
            return it.str(t.qualname);
        case '__dict__':
            return it.incref(t.dict);
        case '__mro__':
            return tupleOfTypes(it, t.mro);
        case '__bases__':
            return tupleOfTypes(it, t.base ? [t.base] : []);
        case '__base__':
            return t.base ? it.incref(t.base) : it.None;
        case '__class__':
            return it.incref(t.type);
    }
    const v = t.lookup(name);
    if (!v) {
        if (name === '__module__') return it.str(t.module);
        if (name === '__doc__') return it.None;
        return null;
    }
    return bindDescriptor(it, v, null, t);
}

function tupleOfTypes(it: Interpreter, ts: PyType[]): PyTuple {
    return it.tuple(ts.map((x) => it.incref(x)));
}

function specialAttr(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    if (name === '__class__') return it.incref(obj.type);
    if (obj instanceof PyInstance) {
        if (name === '__dict__') return instanceDict(it, obj);
        if (obj instanceof PyException) return exceptionGetAttr(it, obj, name);
        return null;
    }
    if (obj instanceof PyFunction) {
        switch (name) {
            case '__name__':
                return it.str(obj.name);
            case '__qualname__':
                return it.str(obj.qualname);
            case '__defaults__':
                return obj.defaults ? it.incref(obj.defaults) : it.None;
            case '__closure__':
                return obj.closure ? it.incref(obj.closure) : it.None;
            case '__globals__':
                return obj.globals ? it.incref(obj.globals) : it.None;
            case '__module__':
                return it.str('__main__');
            case '__dict__':
                if (!obj.dict) {
                    obj.dict = it.dict();
                    obj.dict.namespace = true;
                    it.heap.adopt(obj, obj.dict, '__dict__');
                }
                return it.incref(obj.dict);
        }
        return null;
    }
    if (obj instanceof PyMethod) {
        if (name === '__self__') return it.incref(obj.self!);
        if (name === '__func__') return it.incref(obj.func!);
        if (name === '__name__' || name === '__qualname__') return getAttr(it, obj.func!, name);
        return null;
    }
    if (obj instanceof PyBuiltin) {
        if (name === '__name__' || name === '__qualname__') return it.str(obj.name);
        if (name === '__self__') return obj.self ? it.incref(obj.self) : it.None;
        return null;
    }
    if (obj instanceof PyCell && name === 'cell_contents') {
        if (!obj.ref) throw it.error('ValueError', 'Cell is empty');
        return it.incref(obj.ref);
    }
    if (obj instanceof PyTraceback) {
        if (name === 'tb_next') return obj.next ? it.incref(obj.next) : it.None;
        if (name === 'tb_frame') return obj.frame ? it.incref(obj.frame) : it.None;
        if (name === 'tb_lineno') return it.int(obj.line);
        return null;
    }
    if (obj instanceof PyFrameObject) {
        if (name === 'f_lineno') return it.int(obj.data.line);
        if (name === 'f_back') return obj.back ? it.incref(obj.back) : it.None;
        if (name === 'f_globals') return it.incref(obj.data.globals);
        return null;
    }
    if (obj instanceof PyProperty) {
        if (name === 'fget') return it.incref(obj.fget ?? it.None);
        if (name === 'fset') return it.incref(obj.fset ?? it.None);
        return null;
    }
    if (obj instanceof PyMethodWrapper && name === '__func__') return it.incref(obj.func!);
    if (obj instanceof PyGenerator) return generatorAttr(it, obj, name);
    return null;
}

/** `obj.__dict__`: ≤3.10 the real dict; 3.11+ materializes the inline values as a dict object. */
function instanceDict(it: Interpreter, obj: PyInstance): PyObject {
    if (!obj.type.instancesHaveDict) attributeError(it, obj, '__dict__');
    ensureAttrs(it, obj);
    const d = obj.attrs!;
    if (d.embeddedIn === obj) {
        // _PyObject_MaterializeManagedDict: the values stay inline (and keep their release order),
        // but a dict object now exists and is referenced by the instance.
        d.embeddedIn = null;
        (d as { materializedFor?: PyInstance }).materializedFor = obj;
        it.heap.register(d, false);
        for (const e of d.entries()) {
            it.heap.forget(obj, e.v, (e.k as PyStr).v);
            it.heap.adopt(d, e.v, (e.k as PyStr).v);
        }
        it.heap.adopt(obj, d, '__dict__');
        for (const e of d.entries()) if (e.v.isGcType()) it.heap.track(d);
    }
    return it.incref(d);
}

/** Do `obj`'s attributes start as 3.11+ inline values (rather than a dict object)? */
function hasInlineValues(it: Interpreter, obj: PyInstance): boolean {
    return !it.profile.instanceDictIsObject && !(obj instanceof PyException);
}

function ensureAttrs(it: Interpreter, obj: PyInstance): PyDict {
    if (obj.attrs) return obj.attrs;
    let d: PyDict;
    if (hasInlineValues(it, obj)) {
        // The inline values (if any) move into an embedded dict.
        d = obj.inlineToDict(it.T.dict);
    } else {
        d = it.dict();
        it.heap.adopt(obj, d, '__dict__');
    }
    d.namespace = true;
    obj.attrs = d;
    return d;
}

// ------------------------------------------------------------------------------------------------
// set / del

/**
 * `obj.name = value` (value borrowed: the object takes its own reference). `site` is the AST node
 * of the store, if any: the name's interned str is remembered on it (see nodeCache.ts).
 */
export function setAttr(it: Interpreter, obj: PyObject, name: string, value: PyObject, site: ast.Attribute | null = null): void {
    if (obj instanceof PyType) {
        if (!obj.isHeap) throw it.error('TypeError', `cannot set '${name}' attribute of immutable type '${obj.name}'`);
        obj.dict.set(it.heap, nameKey(it, name, site), value);
        return;
    }
    if (obj instanceof PyModule) {
        obj.dict.set(it.heap, nameKey(it, name, site), value);
        return;
    }
    const t = obj.type;
    const descr = t.lookup(name);
    if (descr instanceof PyProperty) {
        if (!descr.fset) throw it.error('AttributeError', propertyNoSetter(it, name, t));
        it.decref(call(it, descr.fset, [obj, value], null));
        return;
    }
    if (obj instanceof PyException && exceptionSetAttr(it, obj, name, value)) return;
    if (obj instanceof PyInstance && !t.isHeap) {
        // Native instance types (weakref proxies) may define their own __setattr__.
        const sa = t.dict.getStr('__setattr__');
        if (sa instanceof PyBuiltin && sa.isMethodDescriptor) {
            it.decref(sa.impl(obj, [nameKey(it, name, site), value], null));
            return;
        }
    }
    if (obj instanceof PyInstance) {
        const si = obj.slots ? slotIndex(t, name) : -1;
        if (si >= 0) {
            const old = obj.slots![si];
            obj.slots![si] = value;
            it.heap.acquire(obj, value, name);
            if (old) it.heap.release(obj, old, name);
            return;
        }
        if (!t.instancesHaveDict) {
            throw it.error('AttributeError', `'${t.name}' object has no attribute '${name}'${it.profile.minor >= 13 && it.profile.major === 3 ? ' and no __dict__ for setting new attributes' : ''}`);
        }
        if (obj.attrs === null && hasInlineValues(it, obj)) {
            // 3.11+ inline values: the name's shared-keys index (the class learns new names in
            // the order it first sees them) is where the value lives.
            let i = t.sharedKeys.indexOf(name);
            if (i < 0 && t.sharedKeys.length < SHARED_KEYS_MAX) {
                i = t.sharedKeys.length;
                t.sharedKeys.push(name);
            }
            if (i >= 0) {
                obj.storeInline(it.heap, i, nameKey(it, name, site), value);
                return;
            }
            // Shared keys full: the values move to an embedded dict (below), in shared-keys order.
        }
        const d = ensureAttrs(it, obj);
        if (d.embeddedIn === obj && !d.map.has(name)) {
            let rank = t.sharedKeys.indexOf(name);
            if (rank < 0 && t.sharedKeys.length < SHARED_KEYS_MAX) {
                rank = t.sharedKeys.length;
                t.sharedKeys.push(name);
            }
            // Release order is shared-keys order; remember when insertion order stops matching it.
            if (rank < 0) rank = SHARED_KEYS_MAX + d.map.size;
            if (rank < d.lastKeyRank) d.outOfKeyOrder = true;
            else d.lastKeyRank = rank;
        }
        d.set(it.heap, nameKey(it, name, site), value);
        return;
    }
    if (obj instanceof PyFunction) {
        if (name === '__defaults__') throw it.error('TypeError', 'setting __defaults__ is not supported in scenarios yet');
        if (!obj.dict) {
            obj.dict = it.dict();
            obj.dict.namespace = true;
            it.heap.adopt(obj, obj.dict, '__dict__');
        }
        obj.dict.set(it.heap, nameKey(it, name, site), value);
        return;
    }
    throw it.error('AttributeError', `'${t.name}' object has no attribute '${name}'`);
}

/** The str of an attribute name (`it.str(name)`), remembered on the store's node when there is one. */
function nameKey(it: Interpreter, name: string, site: ast.Attribute | null): PyStr {
    return site !== null ? attrNameStr(it, site) : it.str(name);
}

function propertyNoSetter(it: Interpreter, name: string, t: PyType): string {
    return msg(it.profile, 'propertyNoSetter', name, t.name);
}

export function delAttr(it: Interpreter, obj: PyObject, name: string): void {
    if (obj instanceof PyType || obj instanceof PyModule) {
        const d = obj instanceof PyType ? obj.dict : obj.dict;
        if (!d.delete(it.heap, it.str(name))) attributeError(it, obj, name);
        return;
    }
    const t = obj.type;
    const descr = t.lookup(name);
    if (descr instanceof PyProperty) {
        if (!descr.fdel) throw it.error('AttributeError', `can't delete attribute`);
        it.decref(call(it, descr.fdel, [obj], null));
        return;
    }
    if (obj instanceof PyException && exceptionSetAttr(it, obj, name, null)) return;
    if (obj instanceof PyInstance) {
        const si = obj.slots ? slotIndex(t, name) : -1;
        if (si >= 0) {
            const old = obj.slots![si];
            if (!old) attributeError(it, obj, name);
            obj.slots![si] = null;
            it.heap.release(obj, old, name);
            return;
        }
        if (obj.inline !== null) {
            const key = it.str(name);
            if (obj.deleteInline(it.heap, t.sharedKeys.indexOf(key.v))) return;
        } else if (obj.attrs && obj.attrs.delete(it.heap, it.str(name))) return;
    }
    if (obj instanceof PyFunction && obj.dict && obj.dict.delete(it.heap, it.str(name))) return;
    attributeError(it, obj, name);
}

// ------------------------------------------------------------------------------------------------
// LOAD_METHOD

/**
 * `obj.name(...)`: with LOAD_METHOD (3.7+) a plain function found on the type is called with `obj`
 * as first argument and no bound method is allocated. Returns that function (a new reference; the
 * caller takes a new reference to `obj` as `self`), or null when the attribute is to be loaded as
 * usual (getAttr).
 */
export function loadMethod(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    // Only objects using the generic getattr qualify (type, module and super have their own).
    if (it.profile.loadMethod && !(obj instanceof PyType) && !(obj instanceof PyModule) && !(obj instanceof PySuper)) {
        const descr = obj.type.lookup(name);
        if (descr && (descr instanceof PyFunction || (descr instanceof PyBuiltin && descr.isMethodDescriptor))) {
            const shadow = obj instanceof PyInstance ? obj.attrValue(name) : null;
            if (!shadow) return it.incref(descr);
        }
    }
    return null;
}

// ------------------------------------------------------------------------------------------------
// inline caches

/**
 * A compiled attribute load or store's cache (CPython's LOAD_ATTR_INSTANCE_VALUE /
 * STORE_ATTR_INSTANCE_VALUE specializations): on instances of `type` (plain instances of a class,
 * with no `__slots__` values and their attributes as 3.11+ inline values), attribute `name` is
 * inline value `index` and getAttr / setAttr would do nothing but read or store it. That holds
 * while what the class's lookups find is unchanged (its `lookupEpoch`); a shared-keys index
 * never changes once a name has one.
 */
export class AttrSiteCache {
    it: Interpreter | null = null;
    type: PyType | null = null;
    /** `type.lookupEpoch()` when filled. */
    epoch = -1;
    index = 0;
}

/** Is `c` filled for `obj`'s class, and still valid? */
function cacheHolds(it: Interpreter, c: AttrSiteCache, obj: PyObject): boolean {
    const t = obj.type;
    return t === c.type && c.it === it && t.lookupEpoch() === c.epoch;
}

/**
 * Fills `c` for `obj` and `name` when the generic paths would use inline value `name`: `obj` a
 * plain instance of a heap class with a `__dict__` (3.11+ inline values), `name` no special
 * attribute, the class's attribute no property, and `name` already a shared key. Only looks.
 */
function fillAttrCache(it: Interpreter, c: AttrSiteCache, obj: PyObject, name: string): boolean {
    if (!(obj instanceof PyInstance) || obj instanceof PyException || name === '__class__' || name === '__dict__') return false;
    const t = obj.type;
    if (!t.isHeap || !t.instancesHaveDict || it.profile.instanceDictIsObject) return false;
    if (t.lookup(name) instanceof PyProperty) return false;
    const i = t.sharedKeys.indexOf(name);
    if (i < 0) return false;
    c.it = it;
    c.type = t;
    c.epoch = t.lookupEpoch();
    c.index = i;
    return true;
}

/** `getAttr(it, obj, name)` through the site's cache. */
export function getAttrCached(it: Interpreter, c: AttrSiteCache, obj: PyObject, name: string): PyObject {
    if ((cacheHolds(it, c, obj) || fillAttrCache(it, c, obj, name)) && obj instanceof PyInstance && obj.slots === null) {
        const iv = obj.inline;
        const j = 2 * c.index + 1;
        if (iv !== null && j < iv.length) {
            const v = iv[j];
            if (v !== null) return it.incref(v);
        }
    }
    return getAttr(it, obj, name);
}

/** `setAttr(it, obj, name, value, site)` through the site's cache. */
export function setAttrCached(it: Interpreter, c: AttrSiteCache, obj: PyObject, name: string, value: PyObject, site: ast.Attribute): void {
    if ((cacheHolds(it, c, obj) || fillAttrCache(it, c, obj, name)) && obj instanceof PyInstance && obj.slots === null && obj.attrs === null) {
        obj.storeInline(it.heap, c.index, attrNameStr(it, site), value);
        return;
    }
    setAttr(it, obj, name, value, site);
}
