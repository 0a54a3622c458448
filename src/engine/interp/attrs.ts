/*
 * attrs.ts
 *
 * Attribute access: PyObject_GenericGetAttr / SetAttr and type_getattro, with data descriptors
 * (property, __slots__), instance attributes, then non-data descriptors (functions become bound
 * methods: an allocation, unless LOAD_METHOD avoids it), plus the special attributes scenarios use.
 */

import { newMappingProxy } from '../builtins/mappingproxy';
import { docstringOf } from '../parser/docstring';
import { refuseLongType27 } from './longobject';
import { NativeObject } from '../runtime/nativeObject';
import { msg } from '../messages';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict, PyTuple } from '../runtime/containers';
import { PyInstance, PyException, slotNamesOf } from '../runtime/instances';
import { PyFunction, PyBuiltin, PyMethod, PyProperty, PyMethodWrapper, PyCell, PySuper } from '../runtime/callables';
import { PyModule, PyFrameObject, PyTraceback } from '../runtime/frames';
import { PyGenerator, generatorAttr } from './genobject';
import { PyStr } from '../runtime/values';
import { PyDescriptor } from '../runtime/descriptors';
import type { Interpreter } from './interpreter';
import { call, callBound, hasSlots } from './calls';
import { userMethod, callMethod, typeMethod, typeHooks, Hook } from './slots';
import { PyRaise, EngineStop, dropRaise } from './signals';
import { isSubtypeInstance, type SubtypeParts } from '../runtime/subtypes';
import { PyExtObject } from '../runtime/extobject';
import { refuseUnmodelled } from '../modules/unmodelled';
import { attrNameStr } from './nodeCache';
import { CodeInfo } from './code';
import { frameBack, frameCode, frameLocals } from './frameobject';
import { PyCode, codeAttr } from './codeobject';
import { exceptionGetAttr, exceptionSetAttr, attributeErrorContext, tpName } from '../builtins/exceptions';
import { refuseAttribute } from '../names/refuse';
import type * as ast from '../parser/ast';

const SHARED_KEYS_MAX = 30;

/** _PyType_Lookup on the object's type (special-method lookup skips the instance). */
export function lookupSpecial(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    return obj.type.lookup(name);
}

function attributeError(it: Interpreter, obj: PyObject, name: string): never {
    refuseUnmodelled(it, obj, name);
    if (obj instanceof PyModule && obj.partial) {
        throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: ${obj.name}.${name}`, line: it.line || 1, col: it.col || 1 });
    }
    let r: PyRaise;
    if (obj instanceof PyType) r = it.error('AttributeError', `type object '${obj.name}' has no attribute '${name}'`);
    else if (obj instanceof PyModule) r = it.error('AttributeError', msg(it.profile, 'moduleNoAttribute', obj.name, name));
    else r = it.error('AttributeError', `'${tpName(it, obj.type)}' object has no attribute '${name}'`);
    throw attributeErrorContext(it, r, obj, name);
}

/** Binds a class attribute found by lookup to `obj` (descriptor __get__). New reference. */
export function bindDescriptor(it: Interpreter, descr: PyObject, obj: PyObject | null, owner: PyType): PyObject {
    if (descr.type.isHeap && (typeHooks(descr.type) & Hook.DescrGet) !== 0) {
        // A Python descriptor: `type(descr).__get__(descr, obj, owner)` (obj None on the class).
        return callMethod(it, typeMethod(descr.type, '__get__')!, descr, [obj ?? it.None, owner]);
    }
    if (descr instanceof PyFunction) {
        if (!obj) return it.incref(descr);
        return newBoundMethod(it, descr, obj);
    }
    if (descr instanceof PyMethodWrapper) {
        if (descr.isClassMethod) return newBoundMethod(it, descr.func!, owner);
        return it.incref(descr.func!);
    }
    if (descr instanceof PyBuiltin && descr.isMethodDescriptor && obj) {
        // wrapper_descr_get makes a method-wrapper (no free list); a method descriptor, a
        // builtin_function_or_method (PyCFunction, from its free list where the version has one).
        const bound = descr.type === it.T.wrapper_descriptor ? it.T['method-wrapper'] : it.T.builtin_function_or_method;
        const b = it.heap.register(new PyBuiltin(bound, descr.name, descr.impl, obj, false, descr.ownerName));
        b.resumable = descr.resumable;
        it.heap.acquire(b, obj, '__self__');
        return b;
    }
    if (descr instanceof PyExtObject && descr.bindsAsMethod && obj) return newBoundMethod(it, descr, obj);
    if (descr instanceof PyDescriptor && obj) return descriptorGet(it, descr, obj);
    if (descr instanceof PyProperty && obj) {
        if (!descr.fget) throw it.error('AttributeError', `property of '${owner.name}' object has no getter`);
        return call(it, descr.fget, [obj], null);
    }
    return it.incref(descr);
}

/**
 * A getset or member descriptor of a class's dict read through an instance. `__dict__` and slots
 * are answered before their descriptors are looked at (instanceGetAttr); what reaches here is
 * `__weakref__` (subtype_getweakref: the head of the instance's weak-reference list, or None).
 */
function descriptorGet(it: Interpreter, descr: PyDescriptor, obj: PyObject): PyObject {
    if (descr.attr === '__weakref__' && descr.type.name === 'getset_descriptor') {
        const head = obj.weakrefs?.[0];
        return it.incref(head ?? it.None);
    }
    throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: calling the ${descr.type.name} ${descr.attr} directly`, line: it.line || 1, col: it.col || 1 });
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
    const t = obj.type;
    if ((t.isHeap || obj instanceof PyInstance) && (typeHooks(t) & (Hook.GetAttribute | Hook.GetAttr)) !== 0) return hookedGetAttr(it, obj, name);
    const r = genericGetAttr(it, obj, name);
    if (r) return r;
    refuseAttribute(it, obj, name);
    attributeError(it, obj, name);
}

/**
 * Attribute lookup that answers null instead of raising AttributeError (a class's own
 * `__getattribute__`/`__getattr__` still raise theirs). New reference.
 */
export function getAttrOrNull(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    const v = lookupAttr(it, obj, name);
    // A name the profile's interpreter would have found (names/refuse.ts) stops the run instead.
    if (v === null) refuseAttribute(it, obj, name);
    return v;
}

/** The lookup itself (what the engine implements): a new reference, or null. */
export function lookupAttr(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    const t = obj.type;
    if ((t.isHeap || obj instanceof PyInstance) && (typeHooks(t) & (Hook.GetAttribute | Hook.GetAttr)) !== 0) return hookedGetAttr(it, obj, name);
    return genericGetAttr(it, obj, name);
}

/**
 * slot_tp_getattr_hook: the class's `__getattribute__` (or the generic lookup), and when that
 * raises AttributeError (or finds nothing), its `__getattr__`.
 */
function hookedGetAttr(it: Interpreter, obj: PyObject, name: string): PyObject {
    try {
        return hookedGetAttrInner(it, obj, name);
    } catch (e) {
        // (3.10+: an AttributeError raised by the class's hooks gets its name and obj too.)
        throw e instanceof PyRaise ? attributeErrorContext(it, e, obj, name) : e;
    }
}

function hookedGetAttrInner(it: Interpreter, obj: PyObject, name: string): PyObject {
    const ga = userMethod(it, obj, '__getattribute__');
    const fallback = userMethod(it, obj, '__getattr__');
    if (ga === null) {
        const r = genericGetAttr(it, obj, name);
        if (r) return r;
        if (fallback === null) {
            refuseAttribute(it, obj, name);
            attributeError(it, obj, name);
        }
        return callMethod(it, fallback, obj, [it.str(name)]);
    }
    try {
        return callMethod(it, ga, obj, [it.str(name)]);
    } catch (e) {
        if (fallback === null || !(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.AttributeError)) throw e;
        dropRaise(it, e);
        return callMethod(it, fallback, obj, [it.str(name)]);
    }
}

/** PyObject_GenericGetAttr (and the native types' own getattro): null when the attribute is missing. New reference. */
export function genericGetAttr(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    // Instances first (the common case): they are none of type, module or super, so skipping
    // those tests changes nothing.
    if (obj instanceof PyInstance) return instanceGetAttr(it, obj, name);
    if (obj instanceof PyType) return typeGetAttr(it, obj, name);
    if (obj instanceof PyModule) {
        if (name === '__dict__') return it.incref(obj.dict);
        if (name === '__class__') return it.incref(obj.type);
        const v = obj.dict.getStr(name);
        if (v) return it.incref(v);
        return obj.lazyAttr ? obj.lazyAttr(name) : null;
    }
    if (obj instanceof PySuper) return superGetAttr(it, obj, name);
    if (isSubtypeInstance(obj)) return subtypeGetAttr(it, obj, name);
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
    if (obj instanceof NativeObject) {
        const v = obj.existingDict()?.getStr(name);
        if (v) return it.incref(v);
    }
    if (descr) return bindDescriptor(it, descr, obj, t);
    return null;
}

/** Is `descr` (a class attribute) a data descriptor with a getter: a property, or a Python class with `__get__` and `__set__`/`__delete__`? */
function isDataDescriptor(descr: PyObject): boolean {
    if (descr instanceof PyProperty) return true;
    if (!descr.type.isHeap) return false;
    const h = typeHooks(descr.type);
    return (h & Hook.DescrGet) !== 0 && (h & (Hook.DescrSet | Hook.DescrDelete)) !== 0;
}

/** genericGetAttr for an instance: the generic path below, with the instance-only branches. */
function instanceGetAttr(it: Interpreter, obj: PyInstance, name: string): PyObject | null {
    const special = specialAttr(it, obj, name);
    if (special) return special;
    const t = obj.type;
    const descr = t.lookup(name);
    if (descr !== null && isDataDescriptor(descr)) return bindDescriptor(it, descr, obj, t);
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

/** genericGetAttr for an instance of a built-in type's subclass (runtime/subtypes.ts): its dict and slots. */
function subtypeGetAttr(it: Interpreter, obj: PyObject & SubtypeParts, name: string): PyObject | null {
    if (name === '__class__') return it.incref(obj.type);
    const t = obj.type;
    if (name === '__dict__' && t.instancesHaveDict) return it.incref(subtypeDict(it, obj));
    const descr = t.lookup(name);
    if (descr !== null && isDataDescriptor(descr)) return bindDescriptor(it, descr, obj, t);
    const si = obj.slots ? slotIndex(t, name) : -1;
    if (si >= 0) {
        const v = obj.slots![si];
        return v ? it.incref(v) : null;
    }
    const v = obj.attrs !== null ? obj.attrs.getStr(name) : null;
    if (v) return it.incref(v);
    if (descr) return bindDescriptor(it, descr, obj, t);
    return null;
}

/**
 * The `__dict__` of a built-in type's subclass instance: a real dict object, created on first use;
 * from 3.11 (per the profile and the base) a split table over the class's shared keys.
 */
function subtypeDict(it: Interpreter, obj: PyObject & SubtypeParts): PyDict {
    let d = obj.attrs;
    if (d === null) {
        d = it.dict();
        d.namespace = true;
        const split = it.profile.subtypeDictSharedKeys;
        const itemless = obj.type.builtinBase !== null && ITEMSIZE0.has(obj.type.builtinBase.layout);
        if (split === 'always' || (split === 'itemsize0' && itemless)) d.sharedKeysOf = obj.type;
        obj.attrs = d;
        it.heap.adopt(obj, d, '__dict__');
    }
    return d;
}

/** Built-in types whose instances have no variable-size part (tp_itemsize 0): their subclasses got a managed dict in 3.11. */
const ITEMSIZE0: ReadonlySet<string> = new Set(['list', 'dict', 'set', 'frozenset', 'str', 'float']);

/** insert_into_dictkeys: a new attribute name joins the class's shared keys while there is room; else the table is combined. */
function noteSharedKey(d: PyDict, t: PyType, name: string): void {
    if (d.sharedKeysOf === null || t.sharedKeys.includes(name)) return;
    if (t.sharedKeys.length < SHARED_KEYS_MAX) t.sharedKeys.push(name);
    else d.sharedKeysOf = null;
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
            // PEP 3155 (3.3+); 2.7's classes have none.
            if (!it.profile.classBodyQualname) break;
            return it.str(t.qualname);
        case '__dict__':
            // type_dict: a new read-only proxy each time (2.7's classic classes give the dict itself).
            return t.classic ? it.incref(t.dict) : newMappingProxy(it, t.dict, t);
        case '__mro__':
            return t.mroTuple ? it.incref(t.mroTuple) : tupleOfTypes(it, t.mro);
        case '__bases__':
            return t.basesTuple ? it.incref(t.basesTuple) : tupleOfTypes(it, t.base ? [t.base] : []);
        case '__base__':
            return t.base ? it.incref(t.base) : it.None;
        case '__class__':
            return it.incref(t.type);
    }
    // type_getattro: a data descriptor of the metaclass, then the class's MRO (descriptors bound to
    // no instance), then the metaclass's other attributes bound to the class.
    const meta = t.type;
    const metaAttr = meta.isHeap ? meta.lookup(name) : null;
    if (metaAttr !== null && isDataDescriptor(metaAttr)) return bindDescriptor(it, metaAttr, t, meta);
    const v = t.lookup(name);
    if (v) return bindDescriptor(it, v, null, t);
    if (metaAttr !== null) return bindDescriptor(it, metaAttr, t, meta);
    if (name === '__module__') return it.str(t.module);
    if (name === '__doc__') return it.None;
    return null;
}

function tupleOfTypes(it: Interpreter, ts: PyType[]): PyTuple {
    return it.tuple(ts.map((x) => it.incref(x)));
}

function specialAttr(it: Interpreter, obj: PyObject, name: string): PyObject | null {
    if (name === '__class__') {
        refuseLongType27(it, obj);
        return it.incref(obj.type);
    }
    if (obj instanceof PyInstance) {
        if (name === '__dict__') return instanceDict(it, obj);
        if (obj instanceof PyException) return exceptionGetAttr(it, obj, name);
        return null;
    }
    // A C type with tp_dictoffset (functools.partial, types.SimpleNamespace): its dict, made on first use.
    if (name === '__dict__' && obj instanceof NativeObject) {
        const d = obj.instanceDict(it);
        if (d) return it.incref(d);
    }
    if (obj instanceof PyFunction) {
        switch (name) {
            case '__name__':
                return it.str(obj.name);
            case '__qualname__':
                if (!it.profile.classBodyQualname) return null;
                return it.str(obj.qualname);
            case '__defaults__':
                return obj.defaults ? it.incref(obj.defaults) : it.None;
            case '__closure__':
                return obj.closure ? it.incref(obj.closure) : it.None;
            case '__globals__':
                return obj.globals ? it.incref(obj.globals) : it.None;
            case '__module__':
                if (obj.module) return it.incref(obj.module);
                return it.incref(obj.globals?.getStr('__name__') ?? it.None);
            case '__doc__':
                return obj.doc ? it.incref(obj.doc) : functionDoc(it, obj);
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
        if (name === '__name__') return it.str(obj.name);
        if (name === '__qualname__') return it.profile.classBodyQualname ? it.str(builtinQualname(obj)) : null;
        if (name === '__self__') return obj.self ? it.incref(obj.self) : it.None;
        return null;
    }
    if (obj instanceof PyCell && name === 'cell_contents') {
        if (!obj.ref) throw it.error('ValueError', 'Cell is empty');
        return it.incref(obj.ref);
    }
    if (obj instanceof PyTraceback) {
        if (name === 'tb_next') return obj.next ? it.incref(obj.next) : it.None;
        if (name === 'tb_frame') {
            if (obj.stdlib) throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: the frame of a traceback entry in ${obj.stdlib.file} (code the engine runs natively)`, line: it.line || 1, col: it.col || 1 });
            return obj.frame ? it.incref(obj.frame) : it.None;
        }
        if (name === 'tb_lineno') return it.int(obj.line);
        return null;
    }
    if (obj instanceof PyFrameObject) {
        if (name === 'f_lineno') return it.int(obj.data.line);
        if (name === 'f_back') return frameBack(it, obj);
        if (name === 'f_globals') return it.incref(obj.data.globals);
        if (name === 'f_code') return frameCode(it, obj);
        if (name === 'f_locals') return frameLocals(it, obj);
        return null;
    }
    if (obj instanceof PyCode) return codeAttr(it, obj, name);
    if (obj instanceof PyProperty) {
        if (name === 'fget') return it.incref(obj.fget ?? it.None);
        if (name === 'fset') return it.incref(obj.fset ?? it.None);
        if (name === 'fdel') return it.incref(obj.fdel ?? it.None);
        if (name === '__doc__') return it.incref(obj.doc ?? it.None);
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
    return !it.profile.instanceDictIsObject && obj.madeByObjectNew();
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
    const t = obj.type;
    if ((t.isHeap || obj instanceof PyInstance) && (typeHooks(t) & Hook.SetAttr) !== 0) {
        // slot_tp_setattro: the class's __setattr__ (which usually ends in object.__setattr__).
        it.decref(callMethod(it, userMethod(it, obj, '__setattr__')!, obj, [nameKey(it, name, site), value]));
        return;
    }
    genericSetAttr(it, obj, name, value, site);
}

/**
 * sys attributes CPython's own C code calls and the engine does not look up: replacing one would
 * change what it prints. (sys.unraisablehook is looked up: interp/unraisableHook.ts.)
 */
const SYS_HOOKS = new Set(['excepthook']);

/** PyObject_GenericSetAttr (and the native types' setattro): what `object.__setattr__` does. */
export function genericSetAttr(it: Interpreter, obj: PyObject, name: string, value: PyObject, site: ast.Attribute | null = null): void {
    if (obj instanceof PyType) {
        if (!obj.isHeap) throw it.error('TypeError', `cannot set '${name}' attribute of immutable type '${obj.name}'`);
        obj.dict.set(it.heap, nameKey(it, name, site), value);
        return;
    }
    if (obj instanceof PyModule) {
        // Hooks the interpreter itself calls: replacing one would change what it prints.
        if (obj.name === 'sys' && SYS_HOOKS.has(name)) {
            throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: replacing sys.${name}`, line: it.line || 1, col: it.col || 1 });
        }
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
    if (descr !== null && descr.type.isHeap && (typeHooks(descr.type) & Hook.DescrSet) !== 0) {
        it.decref(callMethod(it, typeMethod(descr.type, '__set__')!, descr, [obj, value]));
        return;
    }
    if (isSubtypeInstance(obj)) {
        subtypeSetAttr(it, obj, name, value, site);
        return;
    }
    if (obj instanceof PyException && exceptionSetAttr(it, obj, name, value)) return;
    if (obj instanceof PyInstance && !t.isHeap && t !== it.T.object) {
        // Native instance types (weakref proxies) may define their own __setattr__ (object's own
        // is this function: a bare `object()` goes on below).
        const sa = t.dict.getStr('__setattr__');
        if (sa instanceof PyBuiltin && sa.isMethodDescriptor) {
            it.decref(sa.impl(obj, [nameKey(it, name, site), value], null));
            return;
        }
    }
    if (obj instanceof PyInstance) {
        const si = obj.slots ? slotIndex(t, name) : -1;
        if (si >= 0) return storeSlot(it, obj, si, name, value);
        // A bare object() has no __dict__ either.
        if (!t.instancesHaveDict || t === it.T.object) throw it.error('AttributeError', msg(it.profile, 'noAttributeNoDict', t.name, name));
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
        if (setFunctionField(it, obj, name, value)) return;
        if (!obj.dict) {
            obj.dict = it.dict();
            obj.dict.namespace = true;
            it.heap.adopt(obj, obj.dict, '__dict__');
        }
        obj.dict.set(it.heap, nameKey(it, name, site), value);
        return;
    }
    const nd = obj instanceof NativeObject ? obj.instanceDict(it) : null;
    if (nd) {
        nd.set(it.heap, nameKey(it, name, site), value);
        return;
    }
    throw it.error('AttributeError', msg(it.profile, 'noAttributeNoDict', tpName(it, t), name));
}

/** The docstring a `def` compiles to (its first statement, when it is a string literal), or None. */
export function functionDoc(it: Interpreter, f: PyFunction): PyObject {
    const code = f.code;
    if (code instanceof CodeInfo && code.node.kind === 'FunctionDef') {
        const doc = docstringOf(code.node.body);
        if (doc) return it.str(doc.value.value);
    }
    return it.None;
}

/** meth_get__qualname__: a method bound to an object or a class is `Type.name`; a module's function, its name. */
function builtinQualname(b: PyBuiltin): string {
    const self = b.self;
    // A descriptor (`str.join`, `object.__init__`): descr_get_qualname, its type's qualname too.
    if (self === null) return b.ownerName !== null ? `${b.ownerName}.${b.name}` : b.name;
    if (self instanceof PyModule) return b.name;
    return `${(self instanceof PyType ? self : self.type).qualname}.${b.name}`;
}

/** func_set_name, func_set_qualname, func_set_dict and the members func_doc, func_module: true when `name` is one. */
function setFunctionField(it: Interpreter, f: PyFunction, name: string, value: PyObject): boolean {
    switch (name) {
        case '__name__':
        case '__qualname__':
            if (!(value instanceof PyStr)) throw it.error('TypeError', `${name} must be set to a string object`);
            if (name === '__name__') f.name = value.v;
            else f.qualname = value.v;
            return true;
        case '__dict__': {
            if (!(value instanceof PyDict)) throw it.error('TypeError', `__dict__ must be set to a dictionary, not a '${value.type.name}'`);
            const old = f.dict;
            it.heap.acquire(f, value, '__dict__');
            f.dict = value;
            if (old) it.heap.release(f, old, '__dict__');
            return true;
        }
        case '__doc__':
        case '__module__': {
            const key = name === '__doc__' ? 'doc' : 'module';
            // Until written, the value is read from the code and globals (no edge of the function's).
            const old = f[key];
            it.heap.acquire(f, value, name);
            f[key] = value;
            if (old) it.heap.release(f, old, name);
            return true;
        }
    }
    return false;
}

/** genericSetAttr for an instance of a built-in type's subclass: a `__slots__` slot, else its dict. */
function subtypeSetAttr(it: Interpreter, obj: PyObject & SubtypeParts, name: string, value: PyObject, site: ast.Attribute | null): void {
    const t = obj.type;
    const si = obj.slots ? slotIndex(t, name) : -1;
    if (si >= 0) return storeSlot(it, obj, si, name, value);
    if (!t.instancesHaveDict) throw it.error('AttributeError', msg(it.profile, 'noAttributeNoDict', t.name, name));
    const d = subtypeDict(it, obj);
    noteSharedKey(d, t, name);
    d.set(it.heap, nameKey(it, name, site), value);
}

/** A `__slots__` member store (member_set): the new value is held, then the old one released. */
function storeSlot(it: Interpreter, obj: PyObject & { slots: (PyObject | null)[] | null }, si: number, name: string, value: PyObject): void {
    const old = obj.slots![si];
    obj.slots![si] = value;
    it.heap.acquire(obj, value, name);
    if (old) it.heap.release(obj, old, name);
}

/** The str of an attribute name (`it.str(name)`), remembered on the store's node when there is one. */
function nameKey(it: Interpreter, name: string, site: ast.Attribute | null): PyStr {
    return site !== null ? attrNameStr(it, site) : it.str(name);
}

function propertyNoSetter(it: Interpreter, name: string, t: PyType): string {
    return msg(it.profile, 'propertyNoSetter', name, t.name);
}

export function delAttr(it: Interpreter, obj: PyObject, name: string): void {
    const t = obj.type;
    if ((t.isHeap || obj instanceof PyInstance) && (typeHooks(t) & Hook.DelAttr) !== 0) {
        it.decref(callMethod(it, userMethod(it, obj, '__delattr__')!, obj, [it.str(name)]));
        return;
    }
    genericDelAttr(it, obj, name);
}

/** PyObject_GenericSetAttr with a NULL value: what `object.__delattr__` does. */
export function genericDelAttr(it: Interpreter, obj: PyObject, name: string): void {
    if (obj instanceof PyType || obj instanceof PyModule) {
        const d = obj instanceof PyType ? obj.dict : obj.dict;
        if (!d.delete(it.heap, it.str(name))) attributeError(it, obj, name);
        return;
    }
    const t = obj.type;
    const descr = t.lookup(name);
    if (descr instanceof PyProperty) {
        if (!descr.fdel) throw it.error('AttributeError', msg(it.profile, 'propertyNoDeleter', name, t.name));
        it.decref(call(it, descr.fdel, [obj], null));
        return;
    }
    if (descr !== null && descr.type.isHeap && (typeHooks(descr.type) & Hook.DescrDelete) !== 0) {
        it.decref(callMethod(it, typeMethod(descr.type, '__delete__')!, descr, [obj]));
        return;
    }
    if (isSubtypeInstance(obj)) {
        const si = obj.slots ? slotIndex(t, name) : -1;
        if (si >= 0) {
            const old = obj.slots![si];
            if (!old) attributeError(it, obj, name);
            obj.slots![si] = null;
            it.heap.release(obj, old, name);
            return;
        }
        if (obj.attrs && obj.attrs.delete(it.heap, it.str(name))) return;
        attributeError(it, obj, name);
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
    if (obj instanceof NativeObject) {
        const d = obj.existingDict();
        if (d && d.delete(it.heap, it.str(name))) return;
    }
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
        // A class with __getattribute__ or __getattr__ has its own tp_getattro: no LOAD_METHOD shortcut.
        if ((obj.type.isHeap || obj instanceof PyInstance) && (typeHooks(obj.type) & (Hook.GetAttribute | Hook.GetAttr)) !== 0) return null;
        const descr = obj.type.lookup(name);
        if (descr && (descr instanceof PyFunction || (descr instanceof PyBuiltin && descr.isMethodDescriptor))) {
            const shadow = obj instanceof PyInstance ? obj.attrValue(name) : isSubtypeInstance(obj) && obj.attrs !== null ? obj.attrs.getStr(name) : null;
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
    if (!(obj instanceof PyInstance) || !obj.madeByObjectNew() || name === '__class__' || name === '__dict__') return false;
    const t = obj.type;
    if (!t.isHeap || !t.instancesHaveDict || it.profile.instanceDictIsObject) return false;
    // Attribute hooks of the class, or a descriptor for `name` (a property, a Python descriptor): generic path.
    if (typeHooks(t) !== 0) return false;
    const descr = t.lookup(name);
    if (descr instanceof PyProperty || (descr !== null && descr.type.isHeap)) return false;
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
