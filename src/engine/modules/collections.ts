/*
 * collections.ts
 *
 * The `collections` module: Lib/collections/__init__.py over Modules/_collectionsmodule.c.
 *
 *   - `deque` (C): items in blocks of 64; deque_traverse visits them left to right, and
 *     deque_clear (the dealloc and `clear()`) empties the deque first, then releases the old items
 *     left to right. With `maxlen`, an append that overflows drops the item at the other end at
 *     once (deque_append_internal: append, then popleft and decref). Iterators hold the deque and
 *     raise RuntimeError when it changed size under them.
 *   - `defaultdict` (C): a dict subclass with `default_factory`; `d[missing]` calls
 *     `__missing__`, which stores and returns `default_factory()`. defdict_traverse visits the
 *     factory then the items; defdict_dealloc releases the factory, then the dict (its items in
 *     order). Tracked from creation (dict_new tracks every subtype instance).
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import { PyDict } from '../runtime/containers';
import { SlotTable27 } from '../runtime/dict27';
import { PyInt } from '../runtime/values';
import type { KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { PyType } from '../runtime/types';
import { PyExtObject } from '../runtime/extobject';
import { PyNativeIter } from '../runtime/iterators';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { repr } from '../interp/format';
import { getIter, iterNext, equals } from '../interp/ops';
import { keyError } from '../interp/items';
import { PyRaise } from '../interp/signals';
import { arity, toSsize } from '../builtins/args';
import { stdType } from './stdTypes';
import { PyLruCacheWrapper } from './functools';
import { createCounter } from './counter';
import { createChainMap } from './chainMap';
import { createNamedtuple } from './namedtuple';
import { createOrderedDictType } from './odictobject';
import { recordedIn } from './stdTypes';

// ------------------------------------------------------------------------------------------------
// deque

export class PyDeque extends PyExtObject {
    items: PyObject[] = [];
    /** Bumped by every change of size (deque->state), for the iterators. */
    state = 0;
    constructor(
        type: PyType,
        /** -1: unbounded. */
        public maxlen: number,
    ) {
        super(type);
    }
    override get comparedItems(): readonly PyObject[] {
        return this.items;
    }
    override traverse(visit: Visit): void {
        const items = this.items;
        for (let i = 0; i < items.length; i++) visit(items[i]);
    }
    /** deque_clear: the deque is emptied first, then the old items are released left to right. */
    override clear(r: Refs): void {
        const old = this.items;
        this.items = [];
        this.state++;
        for (let i = 0; i < old.length; i++) r.release(this, old[i], '[' + i + ']');
    }
}

class PyDequeIter extends PyNativeIter {
    index = 0;
    constructor(
        type: PyType,
        public deque: PyDeque | null,
        readonly state: number,
        readonly reverse: boolean,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.deque) visit(this.deque);
    }
    override clear(r: Refs): void {
        const d = this.deque;
        this.deque = null;
        if (d) r.release(this, d, 'deque');
    }
    iterNext(it: Interpreter): PyObject | null {
        const d = this.deque;
        if (d === null) return null;
        if (d.state !== this.state) {
            throw it.error('RuntimeError', 'deque mutated during iteration');
        }
        const n = d.items.length;
        if (this.index >= n) return null;
        const v = d.items[this.reverse ? n - 1 - this.index : this.index];
        this.index++;
        return it.incref(v);
    }
}

function dequeIndex(it: Interpreter, d: PyDeque, key: PyObject): number {
    if (!(key instanceof PyInt)) throw it.error('TypeError', `sequence index must be integer, not '${key.type.name}'`);
    let i = Number(key.v);
    const n = d.items.length;
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw it.error('IndexError', 'deque index out of range');
    return i;
}

function createDequeType(it: Interpreter): PyType {
    const label = (i: number): string => '[' + i + ']';
    /** Appends on the right (or left), then trims the other end past maxlen. */
    const push = (d: PyDeque, v: PyObject, left: boolean): void => {
        if (d.maxlen === 0) return;
        it.incref(v);
        if (left) d.items.unshift(v);
        else d.items.push(v);
        d.state++;
        it.heap.adopt(d, v, label(left ? 0 : d.items.length - 1));
        if (d.maxlen >= 0 && d.items.length > d.maxlen) {
            const old = left ? d.items.pop()! : d.items.shift()!;
            d.state++;
            it.heap.release(d, old, left ? label(d.items.length) : label(0));
        }
    };
    const pop = (d: PyDeque, left: boolean): PyObject => {
        if (!d.items.length) throw it.error('IndexError', `pop from an empty deque`);
        const v = left ? d.items.shift()! : d.items.pop()!;
        d.state++;
        it.heap.forget(d, v, left ? label(0) : label(d.items.length));
        return v;
    };
    /** deque(iterable=(), maxlen=None)'s arguments: the iterable (or null) and the maxlen (-1: unbounded). */
    const dequeArgs = (args: PyObject[], kwargs: KwArgs): [PyObject | null, number] => {
        arity(it, 'deque', args, 0, 2);
        const iterable = args[0] ?? kwargs?.get('iterable') ?? null;
        const ml = args[1] ?? kwargs?.get('maxlen') ?? it.None;
        let maxlen = -1;
        if (ml !== it.None) {
            maxlen = toSsize(it, ml);
            if (maxlen < 0) throw it.error('ValueError', 'maxlen must be non-negative');
        }
        return [iterable, maxlen];
    };
    const extend = (d: PyDeque, src: PyObject, left: boolean): void => {
        // deque_extend of itself: a copy of the items first.
        const iter = getIter(it, src === d ? it.list(d.items.map((x) => it.incref(x))) : src);
        try {
            for (let x = iterNext(it, iter); x !== null; x = iterNext(it, iter)) {
                push(d, x, left);
                it.decref(x);
            }
        } finally {
            it.decref(iter);
        }
    };
    const iterType = stdType(it, { name: '_deque_iterator', module: '_collections' });
    const revIterType = stdType(it, { name: '_deque_reverse_iterator', module: '_collections' });
    const newIter = (d: PyDeque, reverse: boolean): PyDequeIter => {
        const i = it.heap.register(new PyDequeIter(reverse ? revIterType : iterType, d, d.state, reverse));
        it.heap.acquire(i, d, 'deque');
        return i;
    };
    const t: PyType = stdType(it, {
        name: 'deque',
        module: 'collections',
        methods: {
            // deque_init, called again on an existing deque: clear it, take the new maxlen, extend.
            __init__: (self, args, kwargs) => {
                const d = self as PyDeque;
                const [iterable, maxlen] = dequeArgs(args, kwargs);
                if (d.items.length) d.clear(it.heap);
                d.maxlen = maxlen;
                if (iterable !== null && iterable !== it.None) extend(d, iterable, false);
                return it.None;
            },
            append: (self, args) => {
                arity(it, 'append', args, 1, 1);
                push(self as PyDeque, args[0], false);
                return it.None;
            },
            appendleft: (self, args) => {
                arity(it, 'appendleft', args, 1, 1);
                push(self as PyDeque, args[0], true);
                return it.None;
            },
            pop: (self, args) => {
                arity(it, 'pop', args, 0, 0);
                return pop(self as PyDeque, false);
            },
            popleft: (self, args) => {
                arity(it, 'popleft', args, 0, 0);
                return pop(self as PyDeque, true);
            },
            extend: (self, args) => {
                arity(it, 'extend', args, 1, 1);
                extend(self as PyDeque, args[0], false);
                return it.None;
            },
            extendleft: (self, args) => {
                arity(it, 'extendleft', args, 1, 1);
                extend(self as PyDeque, args[0], true);
                return it.None;
            },
            clear: (self, args) => {
                arity(it, 'clear', args, 0, 0);
                (self as PyDeque).clear(it.heap);
                return it.None;
            },
            count: (self, args) => {
                arity(it, 'count', args, 1, 1);
                const d = self as PyDeque;
                let n = 0;
                for (const x of [...d.items]) if (equals(it, x, args[0])) n++;
                return it.int(n);
            },
            remove: (self, args) => {
                arity(it, 'remove', args, 1, 1);
                const d = self as PyDeque;
                for (let i = 0; i < d.items.length; i++) {
                    if (equals(it, d.items[i], args[0])) {
                        const [v] = d.items.splice(i, 1);
                        d.state++;
                        it.heap.release(d, v, label(i));
                        return it.None;
                    }
                }
                throw it.error('ValueError', it.profile.major === 2 ? 'deque.remove(x): x not in deque' : it.profile.minor >= 13 ? `${repr(it, args[0])} is not in deque` : 'deque.remove(x): x not in deque');
            },
            rotate: (self, args) => {
                arity(it, 'rotate', args, 0, 1);
                const d = self as PyDeque;
                const n = d.items.length;
                if (n > 1) {
                    let k = args.length ? toSsize(it, args[0]) : 1;
                    k = ((k % n) + n) % n;
                    if (k) d.items = [...d.items.slice(n - k), ...d.items.slice(0, n - k)];
                }
                return it.None;
            },
            reverse: (self, args) => {
                arity(it, 'reverse', args, 0, 0);
                (self as PyDeque).items.reverse();
                return it.None;
            },
            __reversed__: (self) => newIter(self as PyDeque, true),
            __iter__: (self) => newIter(self as PyDeque, false),
            __len__: (self) => it.int((self as PyDeque).items.length),
        },
        members: {
            maxlen: (self) => {
                const m = (self as PyDeque).maxlen;
                return m < 0 ? it.None : it.int(m);
            },
        },
        ctor: (args, kwargs) => {
            const [iterable, maxlen] = dequeArgs(args, kwargs);
            // deque_new allocates the (tracked) deque; deque_init extends it.
            const d = it.heap.register(new PyDeque(t, maxlen));
            if (iterable !== null && iterable !== it.None) {
                try {
                    extend(d, iterable, false);
                } catch (e) {
                    it.decref(d);
                    throw e;
                }
            }
            return d;
        },
        repr: (self, seen) => {
            const d = self as PyDeque;
            if (seen.has(d)) return '[...]';
            seen.add(d);
            try {
                const body = '[' + d.items.map((x) => repr(it, x, seen)).join(', ') + ']';
                return d.maxlen >= 0 ? `deque(${body}, maxlen=${d.maxlen})` : `deque(${body})`;
            } finally {
                seen.delete(d);
            }
        },
    });
    t.extSlots = {
        length: (o) => (o as PyDeque).items.length,
        iter: (o) => newIter(o as PyDeque, false),
        getItem: (o, key) => {
            const d = o as PyDeque;
            return it.incref(d.items[dequeIndex(it, d, key)]);
        },
        setItem: (o, key, value) => {
            const d = o as PyDeque;
            const i = dequeIndex(it, d, key);
            const old = d.items[i];
            if (value === null) {
                d.items.splice(i, 1);
                d.state++;
                it.heap.release(d, old, label(i));
                return;
            }
            d.items[i] = it.incref(value);
            it.heap.adopt(d, value, label(i));
            it.heap.release(d, old, label(i));
        },
    };
    return t;
}

// ------------------------------------------------------------------------------------------------
// defaultdict

export class PyDefaultDict extends PyDict {
    factory: PyObject | null = null;
    override traverse(visit: Visit): void {
        if (this.factory) visit(this.factory);
        super.traverse(visit);
    }
    override clear(r: Refs): void {
        const f = this.factory;
        this.factory = null;
        if (f) r.release(this, f, 'default_factory');
        super.clear(r);
    }
    /** defdict_dealloc: the factory, then dict_dealloc (the items in order). */
    override releaseChildren(r: Refs): void {
        const f = this.factory;
        this.factory = null;
        if (f) r.release(this, f, 'default_factory');
        super.releaseChildren(r);
    }
}

function isCallable(o: PyObject): boolean {
    const l = o.type.layout;
    if (l === 'function' || l === 'builtin' || l === 'method' || l === 'type') return true;
    return o.type.lookup('__call__') !== null || o instanceof PyLruCacheWrapper;
}

function createDefaultDictType(it: Interpreter): PyType {
    const dictUpdate = it.T.dict.dict.getStr('update')!;
    const t: PyType = stdType(it, {
        name: 'defaultdict',
        module: 'collections',
        base: it.T.dict,
        methods: {
            __missing__: (self, args) => {
                arity(it, '__missing__', args, 1, 1);
                const d = self as PyDefaultDict;
                const key = args[0];
                if (d.factory === null || d.factory === it.None) throw keyError(it, key);
                const v = call(it, d.factory, [], null);
                try {
                    d.set(it.heap, key, v);
                } catch (e) {
                    it.decref(v);
                    throw e;
                }
                return v;
            },
        },
        members: {
            default_factory: (self) => it.incref((self as PyDefaultDict).factory ?? it.None),
        },
        setters: {
            // A T_OBJECT member: the new factory is stored, then the old one released.
            default_factory: (self, value) => {
                const d = self as PyDefaultDict;
                const old = d.factory;
                it.heap.acquire(d, value, 'default_factory');
                d.factory = value;
                if (old) it.heap.release(d, old, 'default_factory');
            },
        },
        ctor: (args: PyObject[], kwargs: KwArgs) => {
            const factory = args[0] ?? it.None;
            if (factory !== it.None && !isCallable(factory)) throw it.error('TypeError', 'first argument must be callable or None');
            const d = new PyDefaultDict(t);
            if (!it.profile.dictInsertionOrdered) d.slots27 = new SlotTable27(it.sets.dictHash27, it.sets.dictOrderShown);
            it.heap.register(d);
            d.factory = factory;
            it.heap.acquire(d, factory, 'default_factory');
            if (args.length > 1 || (kwargs && kwargs.size)) {
                try {
                    it.decref(call(it, dictUpdate, [d, ...args.slice(1)], kwargs));
                } catch (e) {
                    if (e instanceof PyRaise) it.decref(d);
                    throw e;
                }
            }
            return d;
        },
        repr: (self, seen) => {
            const d = self as PyDefaultDict;
            if (seen.has(d)) return '...';
            seen.add(d);
            try {
                const f = d.factory === null ? 'None' : repr(it, d.factory, seen);
                const body = '{' + Array.from(d.entries(), (e) => repr(it, e.k, seen) + ': ' + repr(it, e.v, seen)).join(', ') + '}';
                return `defaultdict(${f}, ${body})`;
            } finally {
                seen.delete(d);
            }
        },
    });
    return t;
}

// ------------------------------------------------------------------------------------------------
// the module

export function createCollectionsModule(it: Interpreter): PyModule {
    const m = it.newModule('collections');
    m.dict.set(it.heap, it.str('deque'), createDequeType(it));
    m.dict.set(it.heap, it.str('defaultdict'), createDefaultDictType(it));
    if (it.profile.stdlib.odictRepr) m.dict.set(it.heap, it.str('OrderedDict'), createOrderedDictType(it));
    // Lib/collections/__init__.py's Python-level names (2.7's namedtuple, built by exec, is refused).
    const counter = createCounter(it);
    m.dict.set(it.heap, it.str('Counter'), counter);
    it.decref(counter);
    const chainMap = createChainMap(it);
    if (chainMap) {
        m.dict.set(it.heap, it.str('ChainMap'), chainMap);
        it.decref(chainMap);
    }
    if (it.profile.stdlib.namedtuple) {
        const nt = createNamedtuple(it);
        m.dict.set(it.heap, it.str('namedtuple'), nt);
        it.decref(nt);
    }
    void recordedIn;
    return m;
}
