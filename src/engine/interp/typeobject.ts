/*
 * typeobject.ts
 *
 * Objects/typeobject.c's type machinery: type_call (`C(...)`: `__new__`, then `__init__`, or a
 * metaclass's `__call__`), type_new (a class from a name, bases and a namespace: the class
 * statement, three-argument `type()`, a metaclass's `type.__new__(mcs, …)`), the solid base a
 * class's instances take their storage from, and PEP 487's `__set_name__` / `__init_subclass__`.
 *
 * What decides lifetimes here: a class is a heap type that refers to itself through `__mro__` (a
 * cycle from birth), every instance holds a reference to its class, `__set_name__` hooks and
 * `__init_subclass__` registries keep their own references, and a metaclass instance is a class
 * with all of that.
 */

import { mangle } from '../parser/mangle';
import { msg } from '../messages';
import { PyObject, ObjFlag } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { PyInstance, PyException } from '../runtime/instances';
import { PyFunction, PyBuiltin, PyMethodWrapper, type KwArgs } from '../runtime/callables';
import { PyListSub, PyDictSub, PySetSub, PyTupleSub, PyStrSub, PyIntSub, PyFloatSub, PyBytesSub } from '../runtime/subtypes';
import { SlotTable27 } from '../runtime/dict27';
import type { Interpreter } from './interpreter';
import { call, callFunctionSelf, hasSlots } from './calls';
import { bindDescriptor, newBoundMethod } from './attrs';
import { callBoundHook } from './lookupSpecial';
import { typeMethod } from './slots';
import { registerAllocInstance } from './setobject';
import { installKeyProtocol } from './hash';
import { constructBuiltin } from '../builtins/methods';
import { PyDescriptor } from '../runtime/descriptors';
import { FreeKind, FreeLists } from '../runtime/freelists';
import { bestBase, c3Tail } from './mro';

/** Built-in types a class may derive from (their instances' storage is modelled: runtime/subtypes.ts). */
const SUBCLASSABLE: ReadonlySet<string> = new Set(['object', 'exception', 'list', 'dict', 'set', 'frozenset', 'tuple', 'str', 'int', 'float', 'bytes', 'type']);

/** The nearest built-in (static) type in `t`'s MRO: whose instance layout `t`'s instances have. */
export function solidBase(t: PyType): PyType {
    const mro = t.mro;
    for (let i = 0; i < mro.length; i++) if (!mro[i].isHeap) return mro[i];
    return mro[mro.length - 1];
}

/** Can a class derive from the built-in type `base`? (Others are refused as not modelled.) */
export function isSubclassable(base: PyType): boolean {
    return base.isHeap || SUBCLASSABLE.has(base.layout) || base.subclassNew;
}

// ------------------------------------------------------------------------------------------------
// allocation (tp_alloc of a heap type)

/**
 * A new, empty instance of heap type `t` with its solid base's storage: `value` is the content
 * for immutable bases (the str, int, float, bytes, or the tuple's items, taken over). New reference.
 */
export function allocInstance(it: Interpreter, t: PyType, value?: unknown): PyObject {
    const base = t.builtinBase;
    if (base === null) {
        const o = it.instance(t);
        if (hasSlots(t)) o.slots = new Array<PyObject | null>(t.totalSlots).fill(null);
        return o;
    }
    let o: PyObject & { slots: (PyObject | null)[] | null };
    const own = base.allocSubtype;
    if (own) o = own(t) as PyObject & { slots: (PyObject | null)[] | null };
    else switch (base.layout) {
        case 'list':
            o = new PyListSub(t, []);
            break;
        case 'dict': {
            const d = new PyDictSub(t);
            if (!it.profile.dictInsertionOrdered) d.slots27 = new SlotTable27(it.sets.dictHash27, it.sets.dictOrderShown);
            o = d;
            break;
        }
        case 'set':
        case 'frozenset':
            o = new PySetSub(t, it.sets);
            break;
        case 'tuple':
            o = new PyTupleSub(t, (value as PyObject[] | undefined) ?? []);
            break;
        case 'str':
            o = new PyStrSub(t, (value as string | undefined) ?? '');
            break;
        case 'int':
            o = new PyIntSub(t, (value as number | bigint | undefined) ?? 0);
            break;
        case 'float':
            o = new PyFloatSub(t, (value as number | undefined) ?? 0);
            break;
        case 'bytes':
            o = new PyBytesSub(t, (value as Uint8Array | undefined) ?? new Uint8Array());
            break;
        default:
            throw new Error(`internal: no subtype storage for ${base.name}`);
    }
    if (hasSlots(t)) o.slots = new Array<PyObject | null>(t.totalSlots).fill(null);
    it.heap.incref(t);
    // (dicts start untracked; a dict subclass instance, like any heap type's, is tracked.)
    it.heap.register(o);
    if (o instanceof PyTupleSub) for (let i = 0; i < o.items.length; i++) it.heap.adopt(o, o.items[i], `[${i}]`);
    return o;
}

registerAllocInstance(allocInstance);

// ------------------------------------------------------------------------------------------------
// type_call

/** `t(*args, **kwargs)`: a metaclass's `__call__` if it defines one, else type_call. */
export function callClass(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    const meta = t.type;
    if (meta.isHeap) {
        const c = typeMethod(meta, '__call__');
        if (c !== null) return callWithSelf(it, c, t, args, kwargs);
    }
    return typeCall(it, t, args, kwargs);
}

/** Calls `m` (a method found on a type) with `self` prepended, keyword arguments included. */
export function callWithSelf(it: Interpreter, m: PyObject, self: PyObject, args: PyObject[], kwargs: KwArgs): PyObject {
    if (m instanceof PyFunction) return callFunctionSelf(it, m, self, args, false, kwargs);
    if (m instanceof PyMethodWrapper) {
        if (m.isClassMethod) return call(it, m.func!, [self instanceof PyType ? self : self.type, ...args], kwargs);
        return call(it, m.func!, args, kwargs);
    }
    if (m instanceof PyBuiltin && m.isMethodDescriptor) return m.impl(self, args, kwargs);
    return call(it, m, [self, ...args], kwargs);
}

/**
 * type_call (`type.__call__`): `obj = t.__new__(t, *args, **kwargs)`, then, when `obj` is an
 * instance of `t`, `type(obj).__init__(obj, *args, **kwargs)`. Built-in types construct natively.
 */
export function typeCall(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    if (!t.isHeap) return constructBuiltin(it, t, args, kwargs);
    const newFn = t.lookup('__new__');
    let obj: PyObject;
    if (newFn instanceof PyMethodWrapper) obj = call(it, newFn.func!, [t, ...args], kwargs);
    else if (newFn !== null) obj = call(it, newFn, [t, ...args], kwargs);
    else obj = objectNew(it, t, args, kwargs);
    if (!obj.type.isSubtypeOf(t)) return obj;
    const init = obj.type.lookup('__init__');
    if (init === null) return obj;
    let r: PyObject;
    try {
        r = callWithSelf(it, init, obj, args, kwargs);
    } catch (e) {
        it.decref(obj);
        throw e;
    }
    if (r !== it.None) {
        it.decref(r);
        it.decref(obj);
        throw it.error('TypeError', `__init__() should return None, not '${r.type.name}'`);
    }
    return obj;
}

/** Does `t` override `__new__` / `__init__` (something other than object's)? */
function overrides(it: Interpreter, t: PyType, name: '__new__' | '__init__'): boolean {
    return t.lookup(name) !== it.T.object.dict.getStr(name);
}

/** object_new: the excess-argument rules, then a plain instance (of a class whose solid base is object or an exception). */
export function objectNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    if (args.length || (kwargs && kwargs.size)) {
        const newOver = overrides(it, t, '__new__');
        const initOver = overrides(it, t, '__init__');
        if (it.profile.objectArgsStyle === 'py2') {
            if (!(newOver && initOver) && (newOver || !initOver)) throw it.error('TypeError', 'object() takes no parameters');
        } else {
            if (newOver) throw it.error('TypeError', 'object.__new__() takes exactly one argument (the type to instantiate)');
            if (!initOver) throw it.error('TypeError', msg(it.profile, 'takesNoArguments', t.name));
        }
    }
    const base = solidBase(t);
    if (base !== it.T.object && !base.isSubtypeOf(it.T.BaseException)) {
        throw it.error('TypeError', `object.__new__(${t.name}) is not safe, use ${it.profile.objectArgsStyle === 'py2' ? base.name : t.name}.__new__()`);
    }
    if (!t.isHeap && t !== it.T.object) throw it.error('TypeError', `object.__new__(${t.name}) is not safe, use ${t.name}.__new__()`);
    const o = allocInstance(it, t);
    if (o instanceof PyException) {
        // BaseException_new stores every positional argument as `args`.
        o.args = it.tuple(args.map((a) => it.incref(a)));
        it.heap.adopt(o, o.args, 'args');
    }
    return o;
}

/** object_init: accepts extra arguments only when the class overrides `__new__` (and not `__init__`). */
export function objectInit(it: Interpreter, self: PyObject, args: PyObject[], kwargs: KwArgs): void {
    if (!args.length && !(kwargs && kwargs.size)) return;
    const t = self.type;
    const newOver = overrides(it, t, '__new__');
    const initOver = overrides(it, t, '__init__');
    if (it.profile.objectArgsStyle === 'py2') {
        if (!(initOver && newOver) && (initOver || !newOver)) throw it.error('TypeError', 'object.__init__() takes no parameters');
        return;
    }
    if (initOver) throw it.error('TypeError', 'object.__init__() takes exactly one argument (the instance to initialize)');
    if (!newOver) throw it.error('TypeError', msg(it.profile, 'takesNoArguments', t.name));
}

// ------------------------------------------------------------------------------------------------
// type_new

/** The most derived metaclass of `meta` and the bases' metaclasses (_PyType_CalculateMetaclass). */
export function calculateMetaclass(it: Interpreter, meta: PyType, bases: PyType[]): PyType {
    let winner = meta;
    for (const b of bases) {
        // 2.7: a classic base has no say (its ob_type is classobj).
        if (b.classic) continue;
        const bt = b.type;
        if (winner.isSubtypeOf(bt)) continue;
        if (bt.isSubtypeOf(winner)) {
            winner = bt;
            continue;
        }
        throw it.error('TypeError', 'metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases');
    }
    return winner;
}

/**
 * type_new: a new heap type `name` of metaclass `meta` with base `base`, its dict a copy of `ns`
 * (without `__qualname__` and `__classcell__`). Then, 3.6+, `__set_name__` on the namespace's
 * values and the base's `__init_subclass__(**kwargs)`. New reference.
 *
 * With what CPython allocates for it: the bases tuple (`basesTuple`, taken over; (base,) when not
 * given), the sorted slot-name tuple (through a list), the MRO tuple, the member descriptors of
 * the slots and the getset descriptors of `__dict__`/`__weakref__` the class adds, and the weakref
 * to it in its base's tp_subclasses (that one in a dict created for the base's first subclass).
 */
export function typeNew(it: Interpreter, meta: PyType, name: string, base: PyType, ns: PyDict, kwargs: KwArgs, basesTuple: PyTuple | null = null): PyType {
    if (!isSubclassable(base)) {
        if (basesTuple) it.decref(basesTuple);
        throw it.error('TypeError', `type '${base.name}' is not an acceptable base type`);
    }
    // Several bases: tp_base is best_base's choice, the MRO their C3 merge (mro.ts).
    const bases = basesTuple !== null && basesTuple.items.length > 1 ? (basesTuple.items as PyType[]) : null;
    let mroTail: PyType[];
    try {
        if (bases !== null) base = bestBase(it, bases);
        mroTail = bases !== null ? c3Tail(it, bases) : base.mro;
    } catch (e) {
        if (basesTuple) it.decref(basesTuple);
        throw e;
    }
    const heap = it.heap;
    if (!basesTuple) basesTuple = internalTuple(it, [base]);
    const slots = ns.getStr('__slots__');
    let slotNames: string[] | null = null;
    let slotTupleKind = FreeKind.None;
    if (slots) {
        slotNames = slots instanceof PyStr ? [slots.v] : slots instanceof PyList || slots instanceof PyTuple ? slots.items.map((x) => (x as PyStr).v) : [];
        // The names other than __dict__/__weakref__ go through a list (mangled, sorted) into the
        // tuple ht_slots, which lives as long as the class.
        const kept = slotNames.filter((n) => n !== '__dict__' && n !== '__weakref__').length;
        heap.allocInternal(FreeKind.List);
        slotTupleKind = FreeLists.tupleKind(kept);
        heap.allocInternal(slotTupleKind);
        heap.freeInternal(FreeKind.List);
    }
    const dict = it.dict();
    dict.namespace = true;
    let qualname = name;
    for (const e of ns.entries()) {
        const k = (e.k as PyStr).v;
        if (k === '__qualname__') {
            if (e.v instanceof PyStr) qualname = e.v.v;
            continue;
        }
        if (k === '__classcell__') continue;
        const v = implicitWrapper(it, k, e.v);
        dict.set(it.heap, e.k, v);
        if (v !== e.v) it.decref(v);
    }
    if (!dict.getStr('__module__')) {
        const modName = it.frame?.globals.getStr('__name__');
        if (modName) dict.set(it.heap, it.str('__module__'), modName);
    }
    const solid = solidBase(base);
    const layout = base.isSubtypeOf(it.T.BaseException) ? 'exception' : solid.layout === 'object' ? 'instance' : solid.layout;
    const t = new PyType(meta, name, base, dict, layout, true);
    t.qualname = qualname;
    const mod = dict.getStr('__module__');
    if (mod instanceof PyStr) t.module = mod.v;
    t.mro = [t, ...mroTail];
    t.builtinBase = base.builtinBase ?? (layout === 'instance' || layout === 'exception' ? null : solid);
    installKeyProtocol(it, t);
    it.heap.incref(meta);
    it.heap.register(t);
    it.heap.adopt(t, dict, '__dict__');
    if (meta.isHeap) it.heap.adopt(t, meta, '__class__');
    if (base.isHeap) it.heap.acquire(t, base, '__base__');
    t.basesTuple = basesTuple;
    heap.adopt(t, basesTuple, '__bases__');
    t.slotTupleKind = slotTupleKind;
    // What instances carry: a dict and a weakref list unless __slots__ leaves them out.
    const baseHasDict = base.isHeap ? base.instancesHaveDict : layout === 'exception';
    const baseHasWeak = base.isHeap ? base.instancesHaveWeakref : false;
    const addDict = !baseHasDict && (!slotNames || slotNames.includes('__dict__'));
    const addWeak = !baseHasWeak && (!slotNames || slotNames.includes('__weakref__'));
    if (slotNames) t.slotNames = sortedSlotNames(name, slotNames.filter((n) => n !== '__dict__' && n !== '__weakref__'));
    t.instancesHaveDict = baseHasDict || addDict;
    t.instancesHaveWeakref = baseHasWeak || addWeak;
    // PyType_Ready: the MRO tuple (it holds the type itself: classes are always part of a cycle),
    // then the slots' members and the getsets into the dict.
    t.mroTuple = internalTuple(it, t.mro);
    heap.adopt(t, t.mroTuple, '__mro__');
    const descriptors: PyDescriptor[] = [];
    for (const n of t.slotNames ?? []) descriptors.push(newDescriptor(it, 'member_descriptor', t, n));
    if (addDict) descriptors.push(newDescriptor(it, 'getset_descriptor', t, '__dict__'));
    if (addWeak) descriptors.push(newDescriptor(it, 'getset_descriptor', t, '__weakref__'));
    fillTypeDict(it, t, descriptors);
    // add_subclass: a weakref to the new class in each base's subclass registry (2.7 a list, 3.x a
    // dict), which a heap base creates for its first subclass.
    t.subclassRefKinds = [];
    for (const b of bases ?? [base]) {
        if (b.isHeap && !b.hasSubclasses) {
            b.hasSubclasses = true;
            b.subclassRegistryKind = it.profile.major === 2 ? FreeKind.List : FreeKind.Dict;
            heap.allocInternal(b.subclassRegistryKind);
        }
        heap.allocInternal();
        t.subclassRefKinds.push(FreeKind.None);
    }
    if (it.profile.initSubclass) {
        try {
            setNames(it, t);
            initSubclass(it, t, kwargs);
        } catch (e) {
            it.decref(t);
            throw e;
        }
    } else if (kwargs && kwargs.size) {
        it.decref(t);
        throw it.error('TypeError', 'type() takes 1 or 3 arguments');
    }
    return t;
}

/**
 * PyType_Ready's entries in a new class's dict, after the namespace's: the slots' member
 * descriptors and the `__dict__`/`__weakref__` getsets (`descriptors`, taken over), `__doc__` None
 * when the body had no docstring (type_dict_set_doc), then, 3.x, `__hash__` None for a class
 * defining `__eq__` but not `__hash__` (type_ready_set_hash: unhashable).
 */
function fillTypeDict(it: Interpreter, t: PyType, descriptors: readonly PyDescriptor[]): void {
    const heap = it.heap;
    const dict = t.dict;
    for (const d of descriptors) {
        dict.set(heap, it.str(d.attr), d);
        it.decref(d);
    }
    // A class dict keeps GC objects for good: tracked from the start.
    if (descriptors.length) {
        dict.keepTracked = true;
        heap.track(dict);
    }
    if (!dict.getStr('__doc__')) dict.set(heap, it.str('__doc__'), it.None);
    if (it.profile.eqWithoutHashUnhashable && dict.getStr('__eq__') && !dict.getStr('__hash__')) dict.set(heap, it.str('__hash__'), it.None);
}

/** A tuple of class internals (tp_bases, tp_mro): see ObjFlag.Internal. New reference. */
export function internalTuple(it: Interpreter, items: PyObject[]): PyTuple {
    const t = new PyTuple(it.T.tuple, items.map((x) => it.incref(x)));
    t.flags |= ObjFlag.Internal;
    return it.heap.register(t);
}

/** A getset or member descriptor of `owner` (their types are static, created once per run). */
function newDescriptor(it: Interpreter, typeName: 'getset_descriptor' | 'member_descriptor', owner: PyType, attr: string): PyDescriptor {
    const key = `type.${typeName}`;
    let dt = it.moduleState.get(key) as PyType | undefined;
    if (!dt) {
        const d = new PyDict(it.T.dict);
        dt = new PyType(it.T.type, typeName, it.T.object, d, 'native', false);
        dt.mro = [dt, it.T.object];
        dt.id = it.heap.newId();
        it.moduleState.set(key, dt);
    }
    const o = new PyDescriptor(dt, null, attr);
    o.flags |= ObjFlag.Internal;
    it.heap.register(o);
    o.owner = owner;
    it.heap.acquire(o, owner, '__objclass__');
    return o;
}

/**
 * A class one of the interpreter's own modules creates and drops while it is imported, leaving it
 * as cyclic garbage (types.py: `class _C: def _m(self): pass` … `del _C`, run by `import weakref`
 * from 3.9 on): the same seven objects a class statement makes (the method, the bases tuple, the
 * class dict, the class, its MRO and its `__dict__`/`__weakref__` descriptors), all internal
 * (ObjFlag.Internal), so only the collector's counts see them.
 */
export function dropInternalClass(it: Interpreter, module: string, name: string, methods: readonly string[], globals: PyDict, meanwhile: () => void): void {
    const heap = it.heap;
    const fns = methods.map((m) => {
        const fn = new PyFunction(it.T.function, { name: m, qualname: `${name}.${m}` }, null, m);
        fn.flags |= ObjFlag.Internal;
        heap.register(fn);
        fn.globals = it.incref(globals);
        return fn;
    });
    const base = it.T.object;
    const bases = internalTuple(it, [base]);
    const dict = new PyDict(it.T.dict);
    dict.namespace = true;
    dict.flags |= ObjFlag.Internal;
    heap.register(dict, false);
    dict.set(heap, it.str('__module__'), it.str(module));
    methods.forEach((m, i) => {
        dict.set(heap, it.str(m), fns[i]);
        it.decref(fns[i]);
    });
    const t = new PyType(it.T.type, name, base, dict, 'instance', true);
    t.flags |= ObjFlag.Internal;
    t.module = module;
    t.mro = [t, base];
    heap.register(t);
    t.basesTuple = bases;
    t.mroTuple = internalTuple(it, t.mro);
    fillTypeDict(it, t, [newDescriptor(it, 'getset_descriptor', t, '__dict__'), newDescriptor(it, 'getset_descriptor', t, '__weakref__')]);
    heap.allocInternal();
    t.subclassRefKinds = [FreeKind.None];
    meanwhile();
    // `del _C`: only the cycle keeps it now.
    it.decref(t);
}

/**
 * type_new wraps a plain function as `__new__` in staticmethod and as `__init_subclass__` /
 * `__class_getitem__` in classmethod: a new reference to the wrapper, else `v` itself (borrowed).
 */
function implicitWrapper(it: Interpreter, key: string, v: PyObject): PyObject {
    if (!(v instanceof PyFunction)) return v;
    if (key === '__new__') return wrapMethod(it, v, false);
    if ((key === '__init_subclass__' && it.profile.initSubclass) || (key === '__class_getitem__' && it.profile.classGetItem)) return wrapMethod(it, v, true);
    return v;
}

function wrapMethod(it: Interpreter, f: PyFunction, isClass: boolean): PyObject {
    const w = it.heap.register(new PyMethodWrapper(isClass ? it.T.classmethod : it.T.staticmethod, null, isClass));
    w.func = f;
    it.heap.acquire(w, f, '__func__');
    return w;
}

/**
 * type_new_set_names: `v.__set_name__(cls, name)` for each value of the class dict, in dict order,
 * the hook bound by _PyObject_LookupSpecial (a bound method while it runs).
 */
function setNames(it: Interpreter, t: PyType): void {
    const entries = Array.from(t.dict.entries()).map((e) => [e.k, e.v] as const);
    for (const [k, v] of entries) it.incref(v);
    try {
        for (const [k, v] of entries) {
            const m = v.type.isHeap ? typeMethod(v.type, '__set_name__') : null;
            if (m === null) continue;
            it.decref(callBoundHook(it, bindDescriptor(it, m, v, v.type), [t, k]));
        }
    } finally {
        for (const [, v] of entries) it.decref(v);
    }
}

/**
 * type_new_init_subclass: `super(cls, cls).__init_subclass__(**kwargs)`: super's getattr binds a
 * Python hook (a classmethod) to the new class, a bound method alive while it runs.
 */
function initSubclass(it: Interpreter, t: PyType, kwargs: KwArgs): void {
    const mro = t.mro;
    for (let i = 1; i < mro.length; i++) {
        const m = mro[i].dict.getStr('__init_subclass__');
        if (m === null) continue;
        let r: PyObject;
        // (object's own C hook, bound as a builtin_function_or_method, runs no Python code: called directly.)
        if (m instanceof PyMethodWrapper && m.isClassMethod && m.func instanceof PyFunction) r = callBoundHook(it, newBoundMethod(it, m.func, t), [], kwargs);
        else if (m instanceof PyMethodWrapper) r = call(it, m.func!, m.isClassMethod ? [t] : [], kwargs);
        else if (m instanceof PyBuiltin) r = m.impl(t, [], kwargs);
        else r = call(it, m, [], kwargs);
        it.decref(r);
        return;
    }
}

export { PyInstance, PyDictSub, PySetSub };

/**
 * type_new's slot list: the names are mangled (_Py_Mangle) and sorted (PyList_Sort) before they
 * become the members, so an instance's slots are laid out, traversed and released by clear_slots
 * in that order, not in the order `__slots__` lists them (`C.__slots__` itself keeps the names as
 * written). Code inside the class reads them mangled too (parser/mangle.ts).
 */
function sortedSlotNames(className: string, names: string[]): string[] {
    const mangled = names.map((n) => mangle(className, n));
    return mangled.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // as ops.ts compares str (identifiers: BMP)
}

