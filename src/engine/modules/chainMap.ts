/*
 * chainMap.ts
 *
 * collections.ChainMap (Lib/collections/__init__.py, 3.3+): a Python class whose only state is
 * `self.maps`, a list of the mappings in its instance `__dict__`, read again by every method (a
 * program may replace or mutate it). Lookups try each mapping in turn (`mapping[key]`, a KeyError
 * caught: a defaultdict's `__missing__` runs), then `self.__missing__(key)` (a subclass may define
 * one); writes, deletions and pops go to `maps[0]`, whose KeyError becomes ChainMap's own, raised
 * while it is handled (so its `__context__`), each with the frames of collections/__init__.py at
 * the profile's lines (profiles.ts CHAINMAP_PY). `__iter__` merges the mappings last first into a
 * new dict (3.9+: `dict.fromkeys(mapping)` of each), `__len__` is `len(set().union(*maps))`, and
 * `__repr__` guards recursion as `reprlib.recursive_repr` does.
 * The class is made once with the module (a heap class, here with `object` as its base: the
 * Mapping and MutableMapping mixins it inherits in CPython — keys, items, values, __eq__, update,
 * setdefault — stop the run where they are called, as its own methods the engine does not model do:
 * fromkeys, `|` and `|=`).
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { PyException } from '../runtime/instances';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { getAttr, setAttr } from '../interp/attrs';
import { getItem, setItem, delItem } from '../interp/items';
import { contains, forEachItem, getIter, iterNext, length, truthy } from '../interp/ops';
import { repr } from '../interp/format';
import { PyRaise, dropRaise } from '../interp/signals';
import { raiseNew } from '../interp/exec';
import { pushStdlibEntry } from '../interp/stdlibFrames';
import { chainMapPyOf, type ChainMapPy } from '../profiles';
import { unsupportedAt } from '../names/refuse';
import { arity } from '../builtins/args';
import { pythonHeapClass } from './counter';

const FILE = '<stdlib>/collections/__init__.py';
const SRC = {
    missing: 'raise KeyError(key)',
    getitem: 'return self.__missing__(key)            # support subclasses that define __missing__',
    delitem: 'del self.maps[0][key]',
    pop: 'return self.maps[0].pop(key, *args)',
    popitem: 'return self.maps[0].popitem()',
    popitemRaise: "raise KeyError('No keys found in the first mapping.')",
} as const;

const DOC = ` A ChainMap groups multiple dicts (or other mappings) together
    to create a single, updateable view.

    The underlying mappings are stored in a list.  That list is public and can
    be accessed or updated using the *maps* attribute.  There is no other
    state.

    Lookups search the underlying mappings successively until a key is found.
    In contrast, writes, updates, and deletions only operate on the first
    mapping.

    `;

type Method = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;

/** Is `e` a KeyError raise (what `except KeyError:` catches)? */
function isKeyError(it: Interpreter, e: unknown): e is PyRaise {
    return e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.KeyError);
}

export function createChainMap(it: Interpreter): PyType | null {
    const lines = chainMapPyOf(it.profile);
    if (!lines) return null;
    const at = (line: number, name: string, source: string) => ({ file: FILE, line, name, source, carets: lines.carets?.[source] ?? null });
    /** `self.maps` (new reference). */
    const maps = (self: PyObject): PyObject => getAttr(it, self, 'maps');
    /** The items of `self.maps` (new references, the caller drops them). */
    const mapsItems = (self: PyObject): PyObject[] => {
        const m = maps(self);
        const out: PyObject[] = [];
        try {
            forEachItem(it, m, (x) => out.push(x));
        } finally {
            it.decref(m);
        }
        return out;
    };
    /** `self.maps[0]` (new reference). */
    const first = (self: PyObject): PyObject => {
        const m = maps(self);
        const zero = it.int(0);
        try {
            return getItem(it, m, zero);
        } finally {
            it.decref(zero);
            it.decref(m);
        }
    };
    /** `self.__class__(*args)` (args borrowed). */
    const remake = (self: PyObject, args: PyObject[]): PyObject => call(it, self.type, args, null);
    /**
     * `try: <maps[0] op> except KeyError: raise KeyError(text)`: the first KeyError (with the
     * method's frame at `line`) becomes the new one's context; the new one leaves from `line + 2`.
     */
    const firstMapOp = (method: 'delitem' | 'pop' | 'popitem', name: string, locals: PyObject[], text: () => string, raiseSource: string, op: () => PyObject): PyObject => {
        const line = lines[method];
        try {
            return op();
        } catch (e) {
            if (!isKeyError(it, e)) throw e;
            // (Both entries are the method's one frame, which holds its locals.)
            pushStdlibEntry(it, e.exc, at(line, name, SRC[method]), locals.map((o) => it.incref(o)));
            // The handler runs with the first one as the exception being handled.
            it.handled.push(e.exc);
            let r: PyRaise;
            try {
                r = raiseNew(it, it.newException(it.T.KeyError, [it.str(text())]));
            } finally {
                it.handled.pop();
                dropRaise(it, e);
            }
            pushStdlibEntry(it, r.exc as PyException, at(line + 2, name, raiseSource), locals.map((o) => it.incref(o)));
            throw r;
        }
    };
    const notFoundSource = it.profile.minor === 8 ? "raise KeyError('Key not found in the first mapping: {!r}'.format(key))" : "raise KeyError(f'Key not found in the first mapping: {key!r}')";
    const running = new Set<PyObject>();
    const refuse = (name: string): Method => () => {
        throw unsupportedAt(it, `ChainMap.${name} (the Mapping and MutableMapping mixins of collections.abc)`);
    };
    const methods: Record<string, Method> = {
        __init__: (self, args) => {
            // `self.maps = list(maps) or [{}]`
            const list = it.list(args.length ? args.map((a) => it.incref(a)) : [it.dict()]);
            try {
                setAttr(it, self, 'maps', list);
            } finally {
                it.decref(list);
            }
            return it.None;
        },
        __missing__: (self, args) => {
            arity(it, '__missing__', args, 1, 1);
            const r = raiseNew(it, it.newException(it.T.KeyError, [args[0]]));
            pushStdlibEntry(it, r.exc as PyException, at(lines.missing, '__missing__', SRC.missing), [it.incref(self), it.incref(args[0])]);
            throw r;
        },
        __getitem__: (self, args) => {
            arity(it, '__getitem__', args, 1, 1);
            const key = args[0];
            // The frame's locals: self, key and the loop's `mapping` (the last one tried).
            let last: PyObject | null = null;
            const m = maps(self);
            try {
                const iter = getIter(it, m);
                try {
                    for (let mapping = iterNext(it, iter); mapping; mapping = iterNext(it, iter)) {
                        if (last) it.decref(last);
                        last = mapping;
                        let v: PyObject;
                        try {
                            v = getItem(it, mapping, key);
                        } catch (e) {
                            if (!isKeyError(it, e)) throw e;
                            dropRaise(it, e);
                            continue;
                        }
                        it.decref(mapping);
                        last = null;
                        return v;
                    }
                } finally {
                    it.decref(iter);
                }
            } catch (e) {
                if (last) it.decref(last);
                throw e;
            } finally {
                it.decref(m);
            }
            const missing = getAttr(it, self, '__missing__');
            try {
                return call(it, missing, [key], null);
            } catch (e) {
                if (e instanceof PyRaise) pushStdlibEntry(it, e.exc, at(lines.getitem, '__getitem__', SRC.getitem), [it.incref(self), it.incref(key), ...(last ? [it.incref(last)] : [])]);
                throw e;
            } finally {
                it.decref(missing);
                if (last) it.decref(last);
            }
        },
        // `return self[key] if key in self else default`
        get: (self, args) => {
            arity(it, 'get', args, 1, 2);
            if (contains(it, self, args[0])) return getItem(it, self, args[0]);
            return it.incref(args[1] ?? it.None);
        },
        // `len(set().union(*self.maps))`: each mapping's keys, iterated, in one set.
        __len__: (self) => {
            const items = mapsItems(self);
            const s = call(it, it.T.set, [], null);
            try {
                const add = getAttr(it, s, 'add');
                try {
                    for (const m of items)
                        forEachItem(it, m, (k) => {
                            try {
                                it.decref(call(it, add, [k], null));
                            } finally {
                                it.decref(k);
                            }
                        });
                } finally {
                    it.decref(add);
                }
                return it.int(length(it, s));
            } finally {
                it.decref(s);
                for (const x of items) it.decref(x);
            }
        },
        // `d = {}`, each mapping (3.9+: dict.fromkeys of it) merged last first, `iter(d)`.
        __iter__: (self) => iterMerged(it, lines, mapsItems(self)),
        // `any(key in m for m in self.maps)`
        __contains__: (self, args) => {
            arity(it, '__contains__', args, 1, 1);
            const items = mapsItems(self);
            try {
                for (const m of items) if (contains(it, m, args[0])) return it.True;
                return it.False;
            } finally {
                for (const x of items) it.decref(x);
            }
        },
        // `any(self.maps)`
        __bool__: (self) => {
            const items = mapsItems(self);
            try {
                for (const m of items) if (truthy(it, m)) return it.True;
                return it.False;
            } finally {
                for (const x of items) it.decref(x);
            }
        },
        // `f'{self.__class__.__name__}({", ".join(map(repr, self.maps))})'` under recursive_repr.
        __repr__: (self) => {
            if (running.has(self)) return it.str('...');
            running.add(self);
            const items = mapsItems(self);
            try {
                return it.str(`${self.type.name}(${items.map((m) => repr(it, m)).join(', ')})`);
            } finally {
                running.delete(self);
                for (const x of items) it.decref(x);
            }
        },
        // `self.__class__(self.maps[0].copy(), *self.maps[1:])`
        copy: (self, args) => {
            arity(it, 'copy', args, 0, 0);
            return copyOf(self);
        },
        __copy__: (self) => copyOf(self),
        new_child: (self, args, kwargs) => {
            arity(it, 'new_child', args, 0, 1);
            const hasKw = !!kwargs && kwargs.size > 0;
            if (hasKw && !lines.newChildKwargs) throw it.error('TypeError', `new_child() got an unexpected keyword argument '${[...kwargs!.keys()][0]}'`);
            let m = args[0] ?? it.None;
            if (m === it.None) {
                const d = it.dict();
                if (hasKw) for (const [k, v] of kwargs!) setItem(it, d, it.str(k), v);
                m = d;
            } else {
                it.incref(m);
                if (hasKw) {
                    const kw = it.dict();
                    for (const [k, v] of kwargs!) setItem(it, kw, it.str(k), v);
                    const update = getAttr(it, m, 'update');
                    try {
                        it.decref(call(it, update, [kw], null));
                    } finally {
                        it.decref(update);
                        it.decref(kw);
                    }
                }
            }
            const items = mapsItems(self);
            try {
                return remake(self, [m, ...items]);
            } finally {
                it.decref(m);
                for (const x of items) it.decref(x);
            }
        },
        __setitem__: (self, args) => {
            const f = first(self);
            try {
                setItem(it, f, args[0], args[1]);
            } finally {
                it.decref(f);
            }
            return it.None;
        },
        __delitem__: (self, args) =>
            firstMapOp('delitem', '__delitem__', [self, args[0]], () => `Key not found in the first mapping: ${repr(it, args[0])}`, notFoundSource, () => {
                const f = first(self);
                try {
                    delItem(it, f, args[0]);
                } finally {
                    it.decref(f);
                }
                return it.None;
            }),
        popitem: (self, args) => {
            arity(it, 'popitem', args, 0, 0);
            return firstMapOp('popitem', 'popitem', [self], () => 'No keys found in the first mapping.', SRC.popitemRaise, () => callOnFirst(self, 'popitem', []));
        },
        pop: (self, args) => {
            arity(it, 'pop', args, 1, Infinity);
            return firstMapOp('pop', 'pop', [self, args[0]], () => `Key not found in the first mapping: ${repr(it, args[0])}`, notFoundSource, () => callOnFirst(self, 'pop', args));
        },
        clear: (self, args) => {
            arity(it, 'clear', args, 0, 0);
            return callOnFirst(self, 'clear', []);
        },
        keys: refuse('keys'),
        items: refuse('items'),
        values: refuse('values'),
        __eq__: refuse('__eq__'),
        __ne__: refuse('__ne__'),
        update: refuse('update'),
        setdefault: refuse('setdefault'),
        __ror__: refuse('__ror__'),
    };
    /** `self.maps[0].NAME(*args)`. */
    const callOnFirst = (self: PyObject, name: string, args: PyObject[]): PyObject => {
        const f = first(self);
        try {
            const fn = getAttr(it, f, name);
            try {
                return call(it, fn, args, null);
            } finally {
                it.decref(fn);
            }
        } finally {
            it.decref(f);
        }
    };
    const copyOf = (self: PyObject): PyObject => {
        const items = mapsItems(self);
        try {
            const head = callOnFirst(self, 'copy', []);
            try {
                return remake(self, [head, ...items.slice(1)]);
            } finally {
                it.decref(head);
            }
        } finally {
            for (const x of items) it.decref(x);
        }
    };
    const parents = it.builtin('parents', (_s, args) => {
        const items = mapsItems(args[0]);
        try {
            return remake(args[0], items.slice(1));
        } finally {
            for (const x of items) it.decref(x);
        }
    });
    const prop = call(it, it.T.property, [parents], null);
    it.decref(parents);
    const t = pythonHeapClass(it, 'collections', 'ChainMap', it.T.object, DOC, methods, { parents: prop, __hash__: it.None, __reversed__: it.None });
    it.decref(prop);
    return t;
}

/** ChainMap.__iter__: `d = {}`; for each mapping, last first: `d.update(mapping)` (3.8) or of `dict.fromkeys(mapping)`; `iter(d)`. Takes `items` over. */
function iterMerged(it: Interpreter, lines: ChainMapPy, items: PyObject[]): PyObject {
    const d = it.dict();
    try {
        const update = getAttr(it, d, 'update');
        try {
            for (const m of items.slice().reverse()) {
                // 3.9+: the keys only (`dict.fromkeys(mapping)`, its values None), the mapping iterated once.
                if (lines.iterFromkeys) forEachItem(it, m, (k) => {
                    try {
                        setItem(it, d, k, it.None);
                    } finally {
                        it.decref(k);
                    }
                });
                else it.decref(call(it, update, [m], null));
            }
        } finally {
            it.decref(update);
        }
        return getIter(it, d);
    } finally {
        it.decref(d);
        for (const x of items) it.decref(x);
    }
}

