/*
 * slotWrappers.ts
 *
 * The special methods of the built-in types as Python sees them: `object.__new__`,
 * `list.__init__`, `dict.__getitem__`, `type.__call__`… (CPython's tp_new wrappers and "slot
 * wrappers"). A subclass that does not override one inherits the native slot (interp/slots.ts
 * skips these); a subclass that overrides one reaches the native behaviour through them:
 * `super().__init__(items)`, `list.__getitem__(self, i)`, `object.__setattr__(self, k, v)`,
 * `super().__new__(cls)`. Each runs the native operation on `self` without dispatching to the
 * subclass's own method again.
 */

import { refuseLongType27 } from '../interp/longobject';
import { typeOf } from '../interp/classobject';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyFloat, PyStr, PyBytes } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet } from '../runtime/containers';
import { PyException } from '../runtime/instances';
import { PyBuiltin, PyMethodWrapper, type KwArgs } from '../runtime/callables';
import { ObjFlag } from '../runtime/object';
import { msg } from '../messages';
import type { Interpreter } from '../interp/interpreter';
import { nativeGetItem, nativeSetItem, nativeDelItem } from '../interp/items';
import { nativeLength, nativeContains, nativeGetIter, nativeEquals, nativeBinaryOp, collect } from '../interp/ops';
import { listInitItems, sequenceTupleItems } from '../interp/lengthHint';
import { nativeRepr, str } from '../interp/format';
import { formatValue } from '../interp/formatValue';
import { genericGetAttr, genericSetAttr, genericDelAttr } from '../interp/attrs';
import { allocInstance, objectNew, objectInit, typeCall, typeNew, solidBase } from '../interp/typeobject';
import { setDictItem, unsupported } from '../interp/eval';
import { pyHash } from '../interp/hash';
import { constructBuiltin, addEach, newSetFrom } from './methods';
import { frozensetNew } from '../interp/setobject';
import { refuseAttribute } from '../names/refuse';
import { arity } from './args';
import { installPropertyMethods } from './descrobject';

type Impl = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;

/**
 * The special methods that CPython's types define in tp_methods (a method_descriptor, bound as a
 * builtin_function_or_method), not as slot wrappers (a wrapper_descriptor, bound as a
 * method-wrapper): the same on 2.7 and 3.8–3.13.
 */
const C_METHODS = new Set(['object.__format__', 'list.__getitem__', 'dict.__getitem__', 'dict.__contains__', 'set.__contains__', 'frozenset.__contains__']);

/** A slot wrapper of `t` (a method descriptor: `self` is checked to be an instance of `t`). */
function slot(it: Interpreter, t: PyType, name: string, impl: Impl): void {
    const b = it.builtin(
        name,
        (self, args, kwargs) => {
            if (!self || !self.type.isSubtypeOf(t)) {
                throw it.error('TypeError', `descriptor '${name}' requires a '${t.name}' object but received a '${self?.type.name ?? 'NoneType'}'`);
            }
            return impl(self, args, kwargs);
        },
        t.name,
        true,
    );
    b.slotWrapper = true;
    b.type = C_METHODS.has(`${t.name}.${name}`) ? it.T.method_descriptor : it.T.wrapper_descriptor;
    t.dict.set(it.heap, it.str(name), b);
}

/** Which built-in type's tp_new a type ends up with: exception classes share BaseException's. */
function newOwner(it: Interpreter, t: PyType): PyType {
    return t.isSubtypeOf(it.T.BaseException) ? it.T.BaseException : t;
}

/**
 * tp_new_wrapper: `T.__new__(cls, …)` (a plain function, `cls` explicit). `cls` must be a subtype
 * of T whose nearest class without a Python `__new__` uses T's native __new__.
 */
export function newWrapper(it: Interpreter, t: PyType, impl: (cls: PyType, args: PyObject[], kwargs: KwArgs) => PyObject): void {
    const b = it.builtin(
        '__new__',
        (_self, args, kwargs) => {
            if (!args.length) throw it.error('TypeError', `${t.name}.__new__(): not enough arguments`);
            const cls = args[0];
            if (!(cls instanceof PyType)) throw it.error('TypeError', `${t.name}.__new__(X): X is not a type object (${cls.type.name})`);
            if (!cls.isSubtypeOf(t)) throw it.error('TypeError', `${t.name}.__new__(${cls.name}): ${cls.name} is not a subtype of ${t.name}`);
            // The most derived base whose tp_new is not slot_tp_new (2.7: the first static base).
            let staticBase: PyType = cls;
            for (const c of cls.mro) {
                staticBase = c;
                if (!c.isHeap) break;
                if (!it.profile.newSafetyUsesHeapBase) continue;
                const found = c.lookup('__new__');
                if (found === null || found instanceof PyBuiltin) break;
            }
            if (newOwner(it, solidBase(staticBase)) !== newOwner(it, t)) {
                throw it.error('TypeError', `${t.name}.__new__(${cls.name}) is not safe, use ${staticBase.name}.__new__()`);
            }
            return impl(cls, args.slice(1), kwargs);
        },
        t.name,
        false,
    );
    b.slotWrapper = true;
    t.dict.set(it.heap, it.str('__new__'), b);
}

/** Installs the built-in types' `__new__`, `__init__` and special methods (after methods.ts). */
export function installSlotWrappers(it: Interpreter): void {
    const T = it.T;

    // ---- object
    newWrapper(it, T.object, (cls, args, kwargs) => (cls.isHeap ? objectNew(it, cls, args, kwargs) : constructBuiltin(it, cls, args, kwargs)));
    slot(it, T.object, '__init__', (self, args, kwargs) => {
        objectInit(it, self, args, kwargs);
        return it.None;
    });
    slot(it, T.object, '__repr__', (self) => it.str(nativeRepr(it, self)));
    slot(it, T.object, '__str__', (self) => it.str(str(it, self)));
    slot(it, T.object, '__eq__', (self, args) => (self === args[0] ? it.True : it.NotImplemented));
    slot(it, T.object, '__ne__', (self, args) => (self === args[0] ? it.False : it.NotImplemented));
    slot(it, T.object, '__hash__', (self) => it.int(pyHash(it, self)));
    slot(it, T.object, '__format__', (self, args) => it.str(formatValue(it, self, (args[0] as PyStr).v)));
    slot(it, T.object, '__getattribute__', (self, args) => {
        const name = attrName(it, args[0]);
        const v = genericGetAttr(it, self, name);
        if (v === null) refuseAttribute(it, self, name);
        if (v === null) throw it.error('AttributeError', `'${self.type.name}' object has no attribute '${name}'`);
        return v;
    });
    slot(it, T.object, '__setattr__', (self, args) => {
        arity(it, '__setattr__', args, 2, 2);
        genericSetAttr(it, self, attrName(it, args[0]), args[1]);
        return it.None;
    });
    slot(it, T.object, '__delattr__', (self, args) => {
        genericDelAttr(it, self, attrName(it, args[0]));
        return it.None;
    });
    if (it.profile.initSubclass) {
        // object.__init_subclass__: a classmethod (bound to the new class, also through super()) accepting no keywords.
        const f = it.builtin('__init_subclass__', (_self, args, kwargs) => {
            if (args.length > 1 || (kwargs && kwargs.size)) throw it.error('TypeError', msg(it.profile, 'initSubclassNoKeywords', (args[0] as PyType | undefined)?.name ?? ''));
            return it.None;
        });
        const w = new PyMethodWrapper(T.classmethod, f, true);
        w.flags |= ObjFlag.Atomic;
        w.id = it.heap.newId();
        T.object.dict.set(it.heap, it.str('__init_subclass__'), w);
    }

    // (BaseException and its subclasses have their own __new__: builtins/exceptions.ts.)

    // ---- type
    newWrapper(it, T.type, (meta, args, kwargs) => {
        if (args.length === 1 && meta === T.type) {
            refuseLongType27(it, args[0]);
            return it.incref(typeOf(it, args[0]));
        }
        if (args.length !== 3) throw it.error('TypeError', 'type() takes 1 or 3 arguments');
        return newClass(it, meta, args, kwargs);
    });
    slot(it, T.type, '__init__', (_self, args) => {
        if (args.length !== 1 && args.length !== 3) throw it.error('TypeError', 'type.__init__() takes 1 or 3 arguments');
        return it.None;
    });
    slot(it, T.type, '__call__', (self, args, kwargs) => typeCall(it, self as PyType, args, kwargs));

    // ---- containers: new empty (list, dict, set) or filled (tuple, frozenset); init fills.
    for (const t of [T.list, T.dict, T.set]) {
        newWrapper(it, t, (cls) => (cls.isHeap ? allocInstance(it, cls) : t === T.list ? it.list([]) : t === T.dict ? it.dict() : it.set()));
    }
    newWrapper(it, T.tuple, (cls, args) => {
        const items = args.length ? sequenceTupleItems(it, args[0]) : [];
        return cls.isHeap ? allocInstance(it, cls, items) : it.tuple(items);
    });
    newWrapper(it, T.frozenset, (cls, args) => {
        // frozenset_new: the exact type's identities and 2.7–3.9's empty singleton (interp/setobject.ts).
        if (!cls.isHeap) return frozensetNew(it, args);
        const s = allocInstance(it, cls) as PySet;
        return args.length ? newSetFrom(it, s, args[0]) : s;
    });
    slot(it, T.list, '__init__', (self, args) => {
        arity(it, 'list', args, 0, 1);
        const l = self as PyList;
        if (l.items.length) l.clear(it.heap);
        if (args.length) for (const x of listInitItems(it, args[0])) {
            it.heap.adopt(l, x, `[${l.items.length}]`);
            l.items.push(x);
        }
        return it.None;
    });
    slot(it, T.dict, '__init__', (self, args, kwargs) => {
        arity(it, 'dict', args, 0, 1);
        const d = self as PyDict;
        if (args.length) {
            const src = constructBuiltin(it, T.dict, [args[0]], null) as PyDict;
            for (const e of src.entries()) setDictItem(it, d, e.k, e.v);
            it.decref(src);
        }
        if (kwargs) for (const [k, v] of kwargs) setDictItem(it, d, it.str(k), v);
        return it.None;
    });
    slot(it, T.set, '__init__', (self, args) => {
        arity(it, 'set', args, 0, 1);
        const s = self as PySet;
        if (s.size) s.clear(it.heap);
        if (args.length) addEach(it, s, args[0]);
        return it.None;
    });

    // ---- immutable values: the value is made by the built-in constructor, then wrapped.
    const valueNew = (t: PyType, value: (o: PyObject) => unknown): void => {
        newWrapper(it, t, (cls, args, kwargs) => {
            const v = constructBuiltin(it, t, args, kwargs);
            if (!cls.isHeap) return v;
            try {
                return allocInstance(it, cls, value(v));
            } finally {
                it.decref(v);
            }
        });
    };
    valueNew(T.str, (v) => (v as PyStr).v);
    valueNew(T.int, (v) => (v as PyInt).v);
    valueNew(T.float, (v) => (v as PyFloat).v);
    valueNew(T.bytes, (v) => (v as PyBytes).v);

    // ---- the special methods subclasses call through super() or by name.
    for (const t of [T.list, T.tuple, T.dict, T.str, T.bytes, T.bytearray]) {
        slot(it, t, '__getitem__', (self, args) => nativeGetItem(it, self, one(it, '__getitem__', args)));
    }
    for (const t of [T.list, T.dict, T.bytearray]) {
        slot(it, t, '__setitem__', (self, args) => {
            arity(it, '__setitem__', args, 2, 2);
            nativeSetItem(it, self, args[0], args[1]);
            return it.None;
        });
        slot(it, t, '__delitem__', (self, args) => {
            nativeDelItem(it, self, one(it, '__delitem__', args));
            return it.None;
        });
    }
    for (const t of [T.list, T.tuple, T.dict, T.set, T.frozenset, T.str, T.bytes, T.bytearray]) {
        slot(it, t, '__len__', (self) => it.int(nativeLength(it, self)));
        slot(it, t, '__contains__', (self, args) => it.bool(nativeContains(it, self, one(it, '__contains__', args))));
        slot(it, t, '__iter__', (self) => nativeGetIter(it, self));
        slot(it, t, '__repr__', (self) => it.str(nativeRepr(it, self)));
    }
    for (const t of [T.list, T.tuple, T.dict, T.set, T.frozenset, T.str, T.bytes, T.int, T.float]) {
        slot(it, t, '__eq__', (self, args) => {
            const o = one(it, '__eq__', args);
            return comparable(t, o) ? it.bool(nativeEquals(it, self, o)) : it.NotImplemented;
        });
    }
    for (const t of [T.int, T.float]) slot(it, t, '__repr__', (self) => it.str(nativeRepr(it, self)));
    for (const t of [T.tuple, T.str, T.bytes, T.int, T.float, T.frozenset]) slot(it, t, '__hash__', (self) => it.int(pyHash(it, self)));
    for (const t of [T.list, T.tuple, T.str, T.bytes, T.bytearray, T.int, T.float]) slot(it, t, '__add__', (self, args) => nativeBinaryOp(it, 'Add', self, one(it, '__add__', args)));
    for (const t of [T.list, T.tuple, T.str, T.bytearray, T.int, T.float]) slot(it, t, '__mul__', (self, args) => nativeBinaryOp(it, 'Mult', self, one(it, '__mul__', args)));
    slot(it, T.list, '__iadd__', (self, args) => nativeBinaryOp(it, 'Add', self, one(it, '__iadd__', args), true));
    installPropertyMethods(it);
}

/** Does the built-in `t.__eq__` compare with `o` (else NotImplemented, as the C slot answers)? */
function comparable(t: PyType, o: PyObject): boolean {
    switch (t.layout) {
        case 'int':
        case 'float':
            return o instanceof PyInt || o instanceof PyFloat;
        case 'list':
            return o instanceof PyList;
        case 'tuple':
            return o instanceof PyTuple;
        case 'dict':
            return o instanceof PyDict;
        case 'set':
        case 'frozenset':
            return o instanceof PySet;
        case 'str':
            return o instanceof PyStr;
        case 'bytes':
            return o instanceof PyBytes;
    }
    return false;
}

function one(it: Interpreter, name: string, args: PyObject[]): PyObject {
    if (args.length !== 1) throw it.error('TypeError', `expected 1 argument, got ${args.length}`);
    return args[0];
}

function attrName(it: Interpreter, o: PyObject | undefined): string {
    if (o instanceof PyStr) return o.v;
    throw it.error('TypeError', `attribute name must be string, not '${o?.type.name ?? 'NoneType'}'`);
}

/** `type(name, bases, dict)` / `type.__new__(meta, name, bases, dict)`: a new class (type_new). */
export function newClass(it: Interpreter, meta: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    const [name, bases, ns] = args;
    if (!(name instanceof PyStr)) throw it.error('TypeError', `type.__new__() argument 1 must be str, not ${name.type.name}`);
    if (!(bases instanceof PyTuple)) throw it.error('TypeError', `type.__new__() argument 2 must be tuple, not ${bases.type.name}`);
    if (!(ns instanceof PyDict)) throw it.error('TypeError', `type.__new__() argument 3 must be dict, not ${ns.type.name}`);
    if (bases.items.length > 1) throw unsupported({ line: it.line, col: it.col, endLine: it.line, endCol: it.col }, 'multiple inheritance');
    const base = bases.items.length ? bases.items[0] : it.T.object;
    if (!(base instanceof PyType)) throw it.error('TypeError', `bases must be types`);
    return typeNew(it, meta, name.v, base, ns, kwargs);
}

export { PyBuiltin };
