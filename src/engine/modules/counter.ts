/*
 * counter.ts
 *
 * collections.Counter (Lib/collections/__init__.py): a Python class deriving from dict, so a
 * Counter is a dict subclass instance (runtime/subtypes.ts: the dict's entries plus an instance
 * `__dict__`) holding each element as a key and its count as the value. `__missing__` answers 0
 * without storing it; `update` counts an iterable (_count_elements: `self[elem] = self.get(elem,
 * 0) + 1`) or adds a mapping's counts; `most_common` sorts the items by count, stable, largest
 * first; the repr lists them in that order. The class is made once with the module (type_new, a
 * heap class like the one collections/__init__.py defines), its methods native. Methods of the real
 * class the engine does not model (the arithmetic and comparison operators, `elements`…) stop the
 * run where they are called.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyDict, PyTuple } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { setItem } from '../interp/items';
import { binaryOp, compare, contains, getIter, iterNext, truthy } from '../interp/ops';
import { repr } from '../interp/format';
import { typeNew } from '../interp/typeobject';
import { PyRaise, dropRaise } from '../interp/signals';
import { unsupportedAt } from '../names/refuse';
import { namesFor } from '../names/table';
import { arity } from '../builtins/args';

type Method = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;

/**
 * A class a standard module defines in Python, made with type_new (a heap class with `base`):
 * `methods` are native; the other names of the recorded class (`module.name` in
 * names/cpython-names.json) stop the run when called.
 */
export function pythonHeapClass(it: Interpreter, module: string, name: string, base: PyType, doc: string | null, methods: Record<string, Method>, attrs: Record<string, PyObject> = {}): PyType {
    const ns = it.dict();
    ns.namespace = true;
    const put = (k: string, v: PyObject): void => {
        ns.set(it.heap, it.str(k), v);
        it.decref(v);
    };
    put('__module__', it.str(module));
    put('__qualname__', it.str(name));
    if (doc !== null) put('__doc__', it.str(doc));
    for (const [k, v] of Object.entries(attrs)) ns.set(it.heap, it.str(k), v);
    for (const [mname, fn] of Object.entries(methods)) put(mname, it.builtin(mname, (self, args, kwargs) => fn(self!, args, kwargs), name, true));
    const own = namesFor(it.profile.name).types.get(`${module}.${name}`)?.own;
    for (const k of own ?? []) {
        if (ns.getStr(k) !== null || k.startsWith('__') && !/^__(add|sub|or|and|pos|neg|iadd|isub|ior|iand|eq|ne|lt|le|gt|ge|reduce)__$/.test(k)) continue;
        put(k, it.builtin(k, () => {
            throw unsupportedAt(it, `${module}.${name}.${k}`);
        }, name, true));
    }
    const t = typeNew(it, it.T.type, name, base, ns, null);
    it.decref(ns);
    return t;
}

/** `self.get(key, 0)`: dict.get (no `__missing__`). */
function countOf(it: Interpreter, self: PyObject, key: PyObject): PyObject {
    const v = (self as PyDict).get(key);
    return v ? it.incref(v) : it.int(0);
}

/** Counter.update / subtract over `iterable` (a mapping's counts, or one per element), then the keywords. */
function addCounts(it: Interpreter, self: PyObject, iterable: PyObject | null, kwargs: KwArgs, sign: 'Add' | 'Sub', dictUpdate: PyObject): void {
    const store = (key: PyObject, delta: PyObject): void => {
        const cur = countOf(it, self, key);
        try {
            // update: count + self_get(elem, 0); subtract: self_get(elem, 0) - count.
            const v = sign === 'Add' ? binaryOp(it, 'Add', delta, cur) : binaryOp(it, 'Sub', cur, delta);
            try {
                setItem(it, self, key, v);
            } finally {
                it.decref(v);
            }
        } finally {
            it.decref(cur);
        }
    };
    if (iterable !== null && iterable !== it.None) {
        if (iterable instanceof PyDict) {
            if (sign === 'Add' && !truthy(it, self)) {
                // super().update(iterable): the fast path when the counter is empty.
                it.decref(call(it, dictUpdate, [self, iterable], null));
            } else {
                for (const e of [...iterable.entries()]) store(e.k, e.v);
            }
        } else {
            const one = it.int(1);
            const iter = getIter(it, iterable);
            try {
                for (let x = iterNext(it, iter); x !== null; x = iterNext(it, iter)) {
                    try {
                        store(x, one);
                    } finally {
                        it.decref(x);
                    }
                }
            } finally {
                it.decref(iter);
            }
        }
    }
    if (kwargs && kwargs.size) {
        const d = it.dict();
        try {
            for (const [k, v] of kwargs) d.set(it.heap, it.str(k), v);
            addCounts(it, self, d, null, sign, dictUpdate);
        } finally {
            it.decref(d);
        }
    }
}

/** most_common(): the items as (key, count) tuples, largest count first, ties in dict order. */
function mostCommon(it: Interpreter, self: PyDict, n: number | null): PyObject[] {
    const items = [...self.entries()].map((e) => ({ k: e.k, v: e.v }));
    items.sort((a, b) => (compare(it, 'Lt', a.v, b.v) ? 1 : compare(it, 'Lt', b.v, a.v) ? -1 : 0));
    const kept = n === null ? items : items.slice(0, Math.max(0, n));
    return kept.map((e) => it.tuple([it.incref(e.k), it.incref(e.v)]));
}

export function createCounter(it: Interpreter): PyType {
    const dictUpdate = it.T.dict.dict.getStr('update')!;
    const dictDelItem = it.T.dict.dict.getStr('__delitem__');
    const t: PyType = pythonHeapClass(it, 'collections', 'Counter', it.T.dict, null, {
        __init__: (self, args, kwargs) => {
            arity(it, '__init__', args, 0, 1);
            addCounts(it, self, args[0] ?? null, kwargs, 'Add', dictUpdate);
            return it.None;
        },
        __missing__: (_self, args) => {
            arity(it, '__missing__', args, 1, 1);
            return it.int(0);
        },
        update: (self, args, kwargs) => {
            arity(it, 'update', args, 0, 1);
            addCounts(it, self, args[0] ?? null, kwargs, 'Add', dictUpdate);
            return it.None;
        },
        subtract: (self, args, kwargs) => {
            arity(it, 'subtract', args, 0, 1);
            addCounts(it, self, args[0] ?? null, kwargs, 'Sub', dictUpdate);
            return it.None;
        },
        most_common: (self, args, kwargs) => {
            arity(it, 'most_common', args, 0, 1);
            const nObj = args[0] ?? kwargs?.get('n') ?? it.None;
            if (nObj !== it.None && !(nObj.type === it.T.int)) throw unsupportedAt(it, 'Counter.most_common(n) with n not an int');
            const n = nObj === it.None ? null : Number((nObj as unknown as { v: number | bigint }).v);
            return it.list(mostCommon(it, self as PyDict, n));
        },
        copy: (self) => call(it, self.type, [self], null),
        __delitem__: (self, args) => {
            arity(it, '__delitem__', args, 1, 1);
            if (contains(it, self, args[0]) && dictDelItem) it.decref(call(it, dictDelItem, [self, args[0]], null));
            return it.None;
        },
        __repr__: (self) => {
            const name = self.type.name;
            if (!truthy(it, self)) return it.str(`${name}()`);
            let body: string;
            try {
                const items = mostCommon(it, self as PyDict, null);
                body = '{' + items.map((x) => `${repr(it, (x as PyTuple).items[0])}: ${repr(it, (x as PyTuple).items[1])}`).join(', ') + '}';
                for (const x of items) it.decref(x);
            } catch (e) {
                // except TypeError: counts that do not order; the dict's own repr.
                if (!(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.TypeError)) throw e;
                dropRaise(it, e);
                body = '{' + [...(self as PyDict).entries()].map((x) => `${repr(it, x.k)}: ${repr(it, x.v)}`).join(', ') + '}';
            }
            return it.str(`${name}(${body})`);
        },
        ...(namesFor(it.profile.name).types.get('collections.Counter')?.own.has('total')
            ? {
                  total: (self: PyObject): PyObject => {
                      let acc: PyObject = it.int(0);
                      for (const e of [...(self as PyDict).entries()]) {
                          const next = binaryOp(it, 'Add', acc, e.v);
                          it.decref(acc);
                          acc = next;
                      }
                      return acc;
                  },
              }
            : {}),
    });
    return t;
}
