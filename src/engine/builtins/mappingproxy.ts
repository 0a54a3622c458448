/*
 * mappingproxy.ts
 *
 * The read-only view a class's `__dict__` gives (Objects/descrobject.c: mappingproxy, 2.7's
 * dictproxy). type_dict builds a new one on every read of `C.__dict__` (PyDictProxy_New: a
 * GC-tracked object holding one reference to the mapping), so `C.__dict__ is C.__dict__` is False
 * and each read moves the collector's count. It has no tp_clear (a cycle through it is broken at
 * the dict), and its dealloc releases the mapping. Every operation is the mapping's: `[]`, `in`,
 * `len`, iteration, `get`/`keys`/`values`/`items`/`copy` call the mapping's methods (3.8 and 2.7 by
 * getattr, which binds a method; 3.9+ by the vectorcall method protocol, which does not), `str()`
 * is the mapping's (so `print(C.__dict__)` shows a dict), `==` compares the mapping, and 3.9+'s
 * `|` unwraps either side. Item assignment and deletion fail as CPython words it. What differs per
 * version is profiles.ts `mappingProxy`. `types.MappingProxyType(mapping)` makes one over any
 * mapping (3.x).
 */

import { PyObject, type Refs, type Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyDict, PyList, PyTuple } from '../runtime/containers';
import { PyExtObject } from '../runtime/extobject';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { stdType } from '../modules/stdTypes';
import { call } from '../interp/calls';
import { getAttr, loadMethod } from '../interp/attrs';
import { getItem } from '../interp/items';
import { binaryOp, contains, getIter, length } from '../interp/ops';
import { repr, str } from '../interp/format';
import { typeKey, unsupportedAt } from '../names/refuse';
import { namesFor } from '../names/table';
import { PyStr } from '../runtime/values';
import { arity } from './args';

export class PyMappingProxy extends PyExtObject {
    constructor(
        type: PyType,
        readonly mapping: PyObject,
        /** 3.12+: hash() is the mapping's (a dict: "unhashable type: 'dict'"). */
        private readonly hashesMapping: boolean,
        /**
         * A built-in type whose `__dict__` this is: the engine fills such dicts with what it
         * models, not with everything CPython's has, so only lookups of what it has are answered.
         */
        readonly builtinOwner: PyType | null = null,
    ) {
        super(type);
    }
    override get hashNotImplemented(): boolean {
        return true;
    }
    override unhashableAs(): PyObject {
        return this.hashesMapping ? this.mapping : this;
    }
    override strText(it: Interpreter): string {
        return str(it, mappingProxyWhole(it, this));
    }
    override traverse(visit: Visit): void {
        visit(this.mapping);
    }
    /** No tp_clear. */
    override clear(_r: Refs): void {}
    /** mappingproxy_dealloc. */
    override releaseChildren(r: Refs): void {
        r.release(this, this.mapping, 'mapping');
    }
}

/** A new proxy of `mapping` (PyDictProxy_New), `owner` the class whose `__dict__` it is. New reference; `mapping` is borrowed. */
export function newMappingProxy(it: Interpreter, mapping: PyObject, owner: PyType | null = null): PyMappingProxy {
    const builtin = owner !== null && !owner.isHeap ? owner : null;
    const p = it.heap.register(new PyMappingProxy(mappingProxyType(it), mapping, it.profile.mappingProxy.hashesMapping, builtin));
    it.heap.acquire(p, mapping, 'mapping');
    return p;
}

/** The proxy's mapping, for an operation that needs all of it: refused for a built-in type's dict (see builtinOwner). */
export function mappingProxyWhole(it: Interpreter, p: PyMappingProxy): PyObject {
    if (p.builtinOwner !== null) throw unsupportedAt(it, `the whole __dict__ of built-in type '${p.builtinOwner.name}'`);
    return p.mapping;
}

/**
 * `key` is missing from a built-in type's dict: when CPython's type has it (names/cpython-names.json),
 * the run stops rather than answer a KeyError or False CPython would not.
 */
function refuseUnmodelledKey(it: Interpreter, p: PyMappingProxy, key: PyObject): void {
    const t = p.builtinOwner;
    if (t === null || !(key instanceof PyStr)) return;
    const rec = namesFor(it.profile.name).types.get(typeKey(t));
    if (rec?.own.has(key.v)) throw unsupportedAt(it, `${t.name}.__dict__['${key.v}']`);
}

/** `p[key]` (PyObject_GetItem of the mapping). New reference. */
function proxyGetItem(it: Interpreter, p: PyMappingProxy, key: PyObject): PyObject {
    if (p.builtinOwner !== null && p.mapping instanceof PyDict && !p.mapping.get(key)) refuseUnmodelledKey(it, p, key);
    return getItem(it, p.mapping, key);
}

/** `key in p`. */
function proxyContains(it: Interpreter, p: PyMappingProxy, key: PyObject): boolean {
    const r = contains(it, p.mapping, key);
    if (!r) refuseUnmodelledKey(it, p, key);
    return r;
}

/** `self.mapping.name(*args)` as the proxy calls it (see the header). New reference. */
function callOnMapping(it: Interpreter, p: PyMappingProxy, name: string, args: PyObject[]): PyObject {
    // A built-in type's dict: `get` answers only what the engine's dict has (refuseUnmodelledKey).
    if (name !== 'get') mappingProxyWhole(it, p);
    else if (p.builtinOwner !== null && !proxyContains(it, p, args[0])) return it.incref(args[1]);
    const m = p.mapping;
    if (!it.profile.mappingProxy.callBindsMethod) {
        const f = loadMethod(it, m, name);
        if (f !== null) {
            try {
                return call(it, f, [m, ...args], null);
            } finally {
                it.decref(f);
            }
        }
    }
    const bound = getAttr(it, m, name);
    try {
        return call(it, bound, args, null);
    } finally {
        it.decref(bound);
    }
}

/** The proxy type of the profile (mappingproxy; 2.7 dictproxy), made once. */
export function mappingProxyType(it: Interpreter): PyType {
    const cached = it.moduleState.get('mappingproxy.type') as PyType | undefined;
    if (cached) return cached;
    const row = it.profile.mappingProxy;
    const self = (o: PyObject): PyMappingProxy => o as PyMappingProxy;
    const forward = (name: string, n: number) => (o: PyObject, args: PyObject[]) => {
        arity(it, name, args, n, n);
        return callOnMapping(it, self(o), name, args);
    };
    const methods: Record<string, (o: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject> = {
        get: (o, args) => {
            arity(it, 'get', args, 1, 2);
            return callOnMapping(it, self(o), 'get', [args[0], args[1] ?? it.None]);
        },
        keys: forward('keys', 0),
        values: forward('values', 0),
        items: forward('items', 0),
        copy: forward('copy', 0),
        __getitem__: (o, args) => {
            arity(it, '__getitem__', args, 1, 1);
            return proxyGetItem(it, self(o), args[0]);
        },
        __contains__: (o, args) => {
            arity(it, '__contains__', args, 1, 1);
            return it.bool(proxyContains(it, self(o), args[0]));
        },
        __len__: (o) => it.int(length(it, mappingProxyWhole(it, self(o)))),
        __iter__: (o) => getIter(it, mappingProxyWhole(it, self(o))),
    };
    if (row.py2Methods) {
        methods.has_key = (o, args) => {
            arity(it, 'has_key', args, 1, 1);
            return it.bool(proxyContains(it, self(o), args[0]));
        };
        for (const name of ['iterkeys', 'itervalues', 'iteritems']) methods[name] = forward(name, 0);
    }
    if (row.unionAndReversed) methods.__reversed__ = forward('__reversed__', 0);
    const t = stdType(it, {
        name: row.typeName,
        module: it.profile.major === 2 ? '__builtin__' : 'builtins',
        methods,
        ctor: row.constructible
            ? (args, kwargs) => {
                  if (kwargs?.size) throw unsupportedAt(it, 'mappingproxy() with keyword arguments');
                  arity(it, 'mappingproxy', args, 1, 1);
                  const m = args[0];
                  // mappingproxy_check_mapping: a mapping, and neither a list nor a tuple.
                  if (m instanceof PyList || m instanceof PyTuple || !isMapping(it, m)) throw it.error('TypeError', `mappingproxy() argument must be a mapping, not ${m.type.name}`);
                  return newMappingProxy(it, m);
              }
            : undefined,
        repr: (o, seen) => `${row.reprName}(${repr(it, mappingProxyWhole(it, self(o)), seen)})`,
    });
    t.tpName = row.typeName;
    t.extSlots = {
        length: (o) => length(it, mappingProxyWhole(it, self(o))),
        getItem: (o, key) => proxyGetItem(it, self(o), key),
        contains: (o, item) => proxyContains(it, self(o), item),
        iter: (o) => getIter(it, mappingProxyWhole(it, self(o))),
        // No mp_ass_subscript: item assignment and deletion fail in PyObject_SetItem/DelItem.
    };
    it.moduleState.set('mappingproxy.type', t);
    return t;
}

/** PyMapping_Check: the type has mp_subscript (a dict, or a class defining `__getitem__`). */
function isMapping(it: Interpreter, o: PyObject): boolean {
    if (o instanceof PyDict || o instanceof PyMappingProxy) return true;
    return o.type.lookup('__getitem__') !== null;
}

/** 3.9+ mappingproxy_or: either side unwrapped, then `|` of what is left; null when neither side is a proxy. */
export function mappingProxyOr(it: Interpreter, a: PyObject, b: PyObject, inplace: boolean): PyObject | null {
    if (!(a instanceof PyMappingProxy || b instanceof PyMappingProxy) || !it.profile.mappingProxy.unionAndReversed) return null;
    if (inplace && a instanceof PyMappingProxy) throw it.error('TypeError', `'|=' is not supported by ${a.type.name}; use '|' instead`);
    return binaryOp(it, 'BitOr', a instanceof PyMappingProxy ? mappingProxyWhole(it, a) : a, b instanceof PyMappingProxy ? mappingProxyWhole(it, b) : b);
}
