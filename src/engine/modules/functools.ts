/*
 * functools.ts
 *
 * The `functools` module: Lib/functools.py over Modules/_functoolsmodule.c.
 *
 *   - `partial` (C): a struct holding fn, args (a tuple), kw (a dict; 2.7: None when empty) and a
 *     lazily created `__dict__`. partial_traverse visits fn, args, kw, dict; partial_clear and
 *     partial_dealloc release them in that order. 3.x partial_new flattens a partial of a partial.
 *   - `_lru_cache_wrapper` (C, 3.2+; 2.7 has no lru_cache): a dict `cache` and, for a bounded
 *     cache, a circular list of `_lru_list_elem` links (not GC objects) each holding key and
 *     result. The dict maps key -> link (bounded) or key -> result (maxsize=None). The key is the
 *     call's args tuple, or the single argument itself when it is an exact int or str; keyword
 *     arguments and `typed` build a new tuple. lru_cache_tp_traverse visits every link's key and
 *     result, then cache, func, kwd_mark, cache_info_type, dict; lru_cache_tp_clear (also the
 *     dealloc) unlinks the list, releases cache, func, kwd_mark, cache_info_type, dict, then the
 *     links oldest first (each releasing key then result). Evicting a link releases its old key
 *     and result when the new ones are stored. tp_descr_get binds the wrapper as a method, so on
 *     a method the cache holds `self` in every key.
 *   - `update_wrapper`/`wraps` (Python): copy WRAPPER_ASSIGNMENTS, update `__dict__`, set
 *     `__wrapped__` (3.x); `wraps` returns `partial(update_wrapper, wrapped=…, assigned=…, updated=…)`.
 *   - `lru_cache(maxsize, typed)` returns `decorating_function` (a closure), which builds the
 *     wrapper, sets `cache_parameters` (3.9+) and calls update_wrapper; `lru_cache(f)` (3.8+)
 *     does the same at once. `cache(f)` (3.9+) is `lru_cache(maxsize=None)(f)`.
 *   - `reduce`.
 */

import { WEAKREFABLE_STD_TYPES } from '../gc/weakrefs';
import { ObjFlag, type PyObject, type Refs, type Visit } from '../runtime/object';
import { PyInstance } from '../runtime/instances';
import { PyTuple, PyDict, hashRunsPython, type UserHash } from '../runtime/containers';
import { PyInt, PyStr } from '../runtime/values';
import { PyFunction, type KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { PyType } from '../runtime/types';
import { PyExtObject } from '../runtime/extobject';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { genericGetAttr, getAttr, setAttr, lookupAttr, functionDoc } from '../interp/attrs';
import { repr } from '../interp/format';
import { getIter, iterNext } from '../interp/ops';
import { pyHash } from '../interp/hash';
import { PyRaise, dropRaise, EngineStop } from '../interp/signals';
import { CodeInfo } from '../interp/code';
import { defineFn, setModuleAttr } from '../builtins/modules';
import { arity } from '../builtins/args';
import { stdType, recordedIn } from './stdTypes';
import { installTotalOrdering } from './totalOrdering';
import { createCachedProperty } from './cachedProperty';

// ------------------------------------------------------------------------------------------------
// partial

export class PyPartial extends PyExtObject {
    constructor(
        type: PyType,
        public fn: PyObject | null,
        public args: PyTuple | null,
        /** A dict (3.x), or None when no keyword was given (2.7). */
        public kw: PyObject | null,
    ) {
        super(type);
    }
    override get hasDict(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.fn) visit(this.fn);
        if (this.args) visit(this.args);
        if (this.kw) visit(this.kw);
        this.visitAttrs(visit);
    }
    /** partial_clear / partial_dealloc: fn, args, kw, dict. */
    override clear(r: Refs): void {
        const { fn, args, kw } = this;
        this.fn = this.args = this.kw = null;
        if (fn) r.release(this, fn, 'func');
        if (args) r.release(this, args, 'args');
        if (kw) r.release(this, kw, 'keywords');
        this.clearAttrs(r);
    }
}

function isCallable(o: PyObject): boolean {
    const l = o.type.layout;
    if (l === 'function' || l === 'builtin' || l === 'method' || l === 'type') return true;
    return o.type.lookup('__call__') !== null;
}

function kwargsDict(it: Interpreter, kwargs: KwArgs): PyDict {
    const d = it.dict();
    if (kwargs) for (const [k, v] of kwargs) d.set(it.heap, it.str(k), v);
    return d;
}

function createPartialType(it: Interpreter): PyType {
    const p = it.profile.stdlib;
    const t: PyType = stdType(it, {
        name: 'partial',
        module: 'functools',
        methods: {
            __call__: (self, args, kwargs) => partialCall(it, self as PyPartial, args, kwargs),
        },
        members: {
            func: (self) => it.incref((self as PyPartial).fn ?? it.None),
            args: (self) => it.incref((self as PyPartial).args ?? it.None),
            keywords: (self) => it.incref((self as PyPartial).kw ?? it.None),
        },
        ctor: (args, kwargs) => {
            if (args.length < 1) throw it.error('TypeError', p.partialKeywordsNone ? 'type \'partial\' takes at least one argument' : "type 'partial' takes at least one argument");
            let fn = args[0];
            if (!isCallable(fn)) throw it.error('TypeError', 'the first argument must be callable');
            let head: PyObject[] = [];
            let headKw: PyDict | null = null;
            if (p.partialFlattens && fn instanceof PyPartial && fn.type === t && fn.attrs === null) {
                head = fn.args!.items;
                headKw = fn.kw as PyDict;
                fn = fn.fn!;
            }
            const o = it.heap.register(new PyPartial(t, fn, null, null));
            it.heap.acquire(o, fn, 'func');
            o.args = it.tuple([...head, ...args.slice(1)].map((a) => it.incref(a)));
            it.heap.adopt(o, o.args, 'args');
            if (p.partialKeywordsNone && !(kwargs && kwargs.size)) {
                o.kw = it.None;
            } else {
                const kw = it.dict();
                if (headKw) for (const e of headKw.entries()) kw.set(it.heap, e.k, e.v);
                if (kwargs) for (const [k, v] of kwargs) kw.set(it.heap, it.str(k), v);
                o.kw = kw;
                it.heap.adopt(o, kw, 'keywords');
            }
            return o;
        },
        repr: p.partialRepr
            ? (self, seen) => {
                  const o = self as PyPartial;
                  if (seen.has(o)) return '...';
                  seen.add(o);
                  try {
                      const parts = [repr(it, o.fn!, seen), ...o.args!.items.map((a) => repr(it, a, seen))];
                      if (o.kw instanceof PyDict) for (const e of o.kw.entries()) parts.push(`${(e.k as PyStr).v}=${repr(it, e.v, seen)}`);
                      return `functools.partial(${parts.join(', ')})`;
                  } finally {
                      seen.delete(o);
                  }
              }
            : undefined,
    });
    return t;
}

/** partial_call: fn(*pto.args, *args, **{**pto.kw, **kwargs}). */
function partialCall(it: Interpreter, self: PyPartial, args: PyObject[], kwargs: KwArgs): PyObject {
    const fn = self.fn!;
    const all = [...self.args!.items, ...args];
    let kw: KwArgs = kwargs;
    if (self.kw instanceof PyDict && self.kw.size) {
        kw = new Map();
        for (const e of self.kw.entries()) kw.set((e.k as PyStr).v, e.v);
        if (kwargs) for (const [k, v] of kwargs) kw.set(k, v);
    }
    // The callee may drop the partial (and with it fn and args): hold them for the call.
    it.incref(self);
    try {
        return call(it, fn, all, kw);
    } finally {
        it.decref(self);
    }
}

// ------------------------------------------------------------------------------------------------
// _lru_cache_wrapper

/** `_lru_list_elem`: a plain (non-GC) object holding one cache entry's key and result. */
class LruLink extends PyExtObject {
    prev: LruLink | null = null;
    next: LruLink | null = null;
    constructor(
        type: PyType,
        public key: PyObject | null,
        public result: PyObject | null,
        /** link->hash: the key's hash, computed once by the call (only kept when it ran Python code). */
        public hash: UserHash | undefined,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return false;
    }
    override traverse(visit: Visit): void {
        if (this.key) visit(this.key);
        if (this.result) visit(this.result);
    }
    /** lru_list_elem_dealloc: key, then result. */
    override clear(r: Refs): void {
        const { key, result } = this;
        this.key = this.result = null;
        if (key) r.release(this, key, '<key>');
        if (result) r.release(this, result, '<result>');
    }
}

type CacheKind = 'uncached' | 'infinite' | 'bounded';

export class PyLruCacheWrapper extends PyExtObject {
    hits = 0;
    misses = 0;
    /** Oldest first (root.next … root.prev). Borrowed in CPython; here the list's own references. */
    readonly links: LruLink[] = [];
    constructor(
        type: PyType,
        public func: PyObject | null,
        public cache: PyDict | null,
        public kwdMark: PyObject | null,
        readonly kind: CacheKind,
        readonly maxsize: number,
        readonly typed: boolean,
    ) {
        super(type);
    }
    override get hasDict(): boolean {
        return true;
    }
    override get bindsAsMethod(): boolean {
        return true;
    }
    /** lru_cache_tp_traverse: each link's key and result, then cache, func, kwd_mark, dict. */
    override traverse(visit: Visit): void {
        for (const l of this.links) {
            if (l.key) visit(l.key);
            if (l.result) visit(l.result);
        }
        if (this.cache) visit(this.cache);
        if (this.func) visit(this.func);
        if (this.kwdMark) visit(this.kwdMark);
        this.visitAttrs(visit);
    }
    /** lru_cache_tp_clear: unlink the list; cache, func, kwd_mark, (types), dict; then the links oldest first. */
    override clear(r: Refs): void {
        const links = this.links.splice(0);
        const { cache, func, kwdMark } = this;
        this.cache = this.func = this.kwdMark = null;
        if (cache) r.release(this, cache, '<cache>');
        if (func) r.release(this, func, '__wrapped__');
        if (kwdMark) r.release(this, kwdMark, '<kwd_mark>');
        this.clearAttrs(r);
        for (const l of links) r.release(this, l, '<link>');
    }
}

interface FunctoolsState {
    partial: PyType;
    lruWrapper: PyType;
    link: PyType;
    cacheInfo: PyType;
    kwdMark: PyObject;
    updateWrapper: PyObject;
}

/** lru_cache_make_key: the single exact int/str argument, the args tuple, or a tuple with the keywords (and types when typed). */
function makeKey(it: Interpreter, w: PyLruCacheWrapper, args: PyObject[], kwargs: KwArgs): PyObject {
    const nkw = kwargs ? kwargs.size : 0;
    if (!w.typed && !nkw) {
        if (args.length === 1) {
            const a = args[0];
            if ((a instanceof PyStr && a.type === it.T.str) || (a instanceof PyInt && a.type === it.T.int)) return it.incref(a);
        }
        return it.tuple(args.map((a) => it.incref(a)));
    }
    const items: PyObject[] = args.map((a) => it.incref(a));
    if (nkw) {
        items.push(it.incref(w.kwdMark!));
        for (const [k, v] of kwargs!) items.push(it.str(k), it.incref(v));
    }
    if (w.typed) {
        for (const a of args) items.push(it.incref(a.type));
        if (nkw) for (const v of kwargs!.values()) items.push(it.incref(v.type));
    }
    return it.tuple(items);
}

function lruCall(it: Interpreter, w: PyLruCacheWrapper, args: PyObject[], kwargs: KwArgs): PyObject {
    if (w.kind === 'uncached') {
        w.misses++;
        return call(it, w.func!, args, kwargs);
    }
    const key = makeKey(it, w, args, kwargs);
    const cache = w.cache!;
    let found: PyObject | null;
    // PyObject_Hash(key) once; the cache is then read and written with that hash (_KnownHash), so a
    // key whose class defines __hash__ has it called once per call.
    let hash: UserHash | undefined;
    try {
        if (hashRunsPython(key)) hash = pyHash(it, key);
        found = cache.get(key, hash);
    } catch (e) {
        it.decref(key);
        throw e;
    }
    if (found !== null) {
        w.hits++;
        if (w.kind === 'bounded') {
            // lru_cache_extract_link + lru_cache_append_link: the link becomes the newest.
            const link = found as LruLink;
            const i = w.links.indexOf(link);
            if (i >= 0) {
                w.links.splice(i, 1);
                w.links.push(link);
            }
            found = link.result!;
        }
        it.incref(found);
        it.decref(key);
        return found;
    }
    w.misses++;
    let result: PyObject;
    // The wrapper (and its cache) may be dropped by the call itself.
    it.incref(w);
    try {
        result = call(it, w.func!, args, kwargs);
    } catch (e) {
        it.decref(key);
        it.decref(w);
        throw e;
    }
    try {
        if (w.cache === null) {
            it.decref(key);
            return result;
        }
        if (w.kind === 'infinite') {
            cache.set(it.heap, key, result, hash);
            it.decref(key);
            return result;
        }
        return boundedUpdate(it, w, key, hash, result);
    } finally {
        it.decref(w);
    }
}

/** bounded_lru_cache_update_lock_held: a new link while there is room, else the oldest link reused. */
function boundedUpdate(it: Interpreter, w: PyLruCacheWrapper, key: PyObject, hash: UserHash | undefined, result: PyObject): PyObject {
    const cache = w.cache!;
    if (cache.get(key, hash) !== null) {
        // Added during the call: keep the cached link, return the computed result.
        it.decref(key);
        return result;
    }
    const st = it.moduleState.get('functools') as FunctoolsState;
    if (cache.size < w.maxsize || w.links.length === 0) {
        const link = it.heap.register(new LruLink(st.link, key, result, hash));
        it.heap.adopt(link, key, '<key>');
        it.heap.acquire(link, result, '<result>');
        cache.set(it.heap, key, link, hash);
        w.links.push(link);
        it.heap.adopt(w, link, '<link>');
        return result;
    }
    // Evict the oldest: pop it from the dict (the list keeps its reference), store the new key and
    // result in it, put it back under the new key, then release the old key and result.
    const link = w.links.shift()!;
    const popped = cache.pop(link.key!, link.hash);
    if (popped === null) {
        it.heap.release(w, link, '<link>');
        it.decref(key);
        return result;
    }
    const oldKey = link.key!;
    const oldResult = link.result!;
    link.key = key;
    link.result = result;
    link.hash = hash;
    it.heap.adopt(link, key, '<key>');
    it.heap.acquire(link, result, '<result>');
    cache.set(it.heap, key, link, hash);
    w.links.push(link);
    // Py_DECREF(popresult) (the dict's reference to the link: its key went with it), oldkey, oldresult.
    it.heap.forget(cache, link, cache.labelFor(popped.k));
    it.decref(link);
    it.decref(popped.k);
    it.heap.release(link, oldKey, '<key>');
    it.heap.release(link, oldResult, '<result>');
    return result;
}

function newLruWrapper(it: Interpreter, st: FunctoolsState, func: PyObject, maxsizeObj: PyObject, typed: boolean): PyLruCacheWrapper {
    let kind: CacheKind;
    let maxsize = -1;
    if (maxsizeObj === it.None) kind = 'infinite';
    else if (maxsizeObj instanceof PyInt) {
        maxsize = Math.max(0, Number(maxsizeObj.v));
        kind = maxsize === 0 ? 'uncached' : 'bounded';
    } else throw it.error('TypeError', 'maxsize should be integer or None');
    const cache = it.dict();
    const w = it.heap.register(new PyLruCacheWrapper(st.lruWrapper, func, cache, st.kwdMark, kind, maxsize, typed));
    it.heap.adopt(w, cache, '<cache>');
    it.heap.acquire(w, func, '__wrapped__');
    it.heap.acquire(w, st.kwdMark, '<kwd_mark>');
    return w;
}

/** `wrapper.cache_parameters = lambda: {'maxsize': maxsize, 'typed': typed}` (3.9+). */
function setCacheParameters(it: Interpreter, w: PyLruCacheWrapper, maxsizeObj: PyObject, typed: boolean): void {
    if (!it.profile.stdlib.cacheParameters) return;
    const fn = it.builtin('<lambda>', () => {
        const d = it.dict();
        d.set(it.heap, it.str('maxsize'), maxsizeObj);
        d.set(it.heap, it.str('typed'), it.bool(typed));
        return d;
    });
    setAttr(it, w, 'cache_parameters', fn);
    it.decref(fn);
}

function createLruTypes(it: Interpreter): { wrapper: PyType; link: PyType; cacheInfo: PyType } {
    const cacheInfo = stdType(it, {
        name: 'CacheInfo',
        module: 'functools',
        base: it.T.tuple,
        members: Object.fromEntries(['hits', 'misses', 'maxsize', 'currsize'].map((n, i) => [n, (self: PyObject) => it.incref((self as PyTuple).items[i])])),
        repr: (self, seen) => {
            const items = (self as PyTuple).items;
            return `CacheInfo(${['hits', 'misses', 'maxsize', 'currsize'].map((n, i) => `${n}=${repr(it, items[i], seen)}`).join(', ')})`;
        },
    });
    const wrapper = stdType(it, {
        name: '_lru_cache_wrapper',
        module: 'functools',
        methods: {
            __call__: (self, args, kwargs) => lruCall(it, self as PyLruCacheWrapper, args, kwargs),
            cache_info: (self, args) => {
                arity(it, 'cache_info', args, 0, 0);
                const w = self as PyLruCacheWrapper;
                const t = it.heap.register(new PyTuple(cacheInfo, [it.int(w.hits), it.int(w.misses), w.kind === 'infinite' ? it.None : it.int(w.maxsize), it.int(w.cache ? w.cache.size : 0)]));
                return t;
            },
            cache_clear: (self, args) => {
                arity(it, 'cache_clear', args, 0, 0);
                const w = self as PyLruCacheWrapper;
                const links = w.links.splice(0);
                w.hits = w.misses = 0;
                w.cache?.clearItems(it.heap);
                for (const l of links) it.heap.release(w, l, '<link>');
                return it.None;
            },
        },
    });
    // lru_cache_wrapper has a weakreflist (a cached function can be referred to weakly, as a function can).
    WEAKREFABLE_STD_TYPES.add(wrapper);
    const link = stdType(it, { name: '_lru_list_elem', module: 'functools' });
    return { wrapper, link, cacheInfo };
}

// ------------------------------------------------------------------------------------------------
// update_wrapper and wraps

/** getattr(wrapped, attr), or null for an AttributeError (which update_wrapper skips on 3.x). */
function wrappedAttr(it: Interpreter, wrapped: PyObject, attr: string): PyObject | null {
    if (wrapped instanceof PyFunction) {
        switch (attr) {
            case '__doc__':
                return functionDoc(it, wrapped);
            case '__module__': {
                const m = wrapped.globals?.getStr('__name__');
                return m ? it.incref(m) : it.None;
            }
            case '__annotations__':
                // func_get_annotations: a new empty dict when the def had none. (The parser keeps
                // no annotations: an annotated function's would be missing here.)
                return it.dict();
            case '__type_params__':
                return it.tuple([]);
        }
    }
    if (attr === '__doc__' && wrapped.type.isHeap) {
        // Every class has a __doc__ in CPython (None without a docstring); the engine's class
        // dicts store one only when written, so a missing one is the class's None.
        const doc = lookupAttr(it, wrapped, '__doc__');
        return doc ?? it.None;
    }
    try {
        return getAttr(it, wrapped, attr);
    } catch (e) {
        if (!(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.AttributeError) || !it.profile.stdlib.setsWrapped) throw e;
        dropRaise(it, e);
        return null;
    }
}

/** setattr(wrapper, attr, value). */
function setWrapperAttr(it: Interpreter, wrapper: PyObject, attr: string, value: PyObject): void {
    // __annotations__ and __type_params__ are fields of a function in CPython that the engine does
    // not keep (reading them back is refused elsewhere); the others are (interp/attrs.ts).
    if (wrapper instanceof PyFunction && (attr === '__annotations__' || attr === '__type_params__')) return;
    setAttr(it, wrapper, attr, value);
}

/** Lib/functools.py update_wrapper(wrapper, wrapped, assigned, updated). New reference to wrapper. */
export function updateWrapper(it: Interpreter, wrapper: PyObject, wrapped: PyObject, assigned: PyObject | null, updated: PyObject | null): PyObject {
    const p = it.profile.stdlib;
    const names = (o: PyObject | null, dflt: readonly string[]): string[] => {
        if (o === null) return [...dflt];
        const out: string[] = [];
        const iter = getIter(it, o);
        try {
            for (let x = iterNext(it, iter); x !== null; x = iterNext(it, iter)) {
                if (!(x instanceof PyStr)) {
                    it.decref(x);
                    throw it.error('TypeError', `attribute name must be string, not '${x.type.name}'`);
                }
                out.push(x.v);
                it.decref(x);
            }
        } finally {
            it.decref(iter);
        }
        return out;
    };
    for (const attr of names(assigned, p.wrapperAssignments)) {
        const v = wrappedAttr(it, wrapped, attr);
        if (v === null) continue;
        try {
            setWrapperAttr(it, wrapper, attr, v);
        } finally {
            it.decref(v);
        }
    }
    for (const attr of names(updated, ['__dict__'])) {
        const target = wrapper instanceof PyExtObject && attr === '__dict__' ? it.incref(wrapper.instanceDict(it)!) : getAttr(it, wrapper, attr);
        try {
            const src = genericGetAttr(it, wrapped, attr);
            if (src === null && !p.setsWrapped) throw it.error('AttributeError', `'${wrapped.type.name}' object has no attribute '${attr}'`);
            if (src !== null) {
                try {
                    if (!(target instanceof PyDict) || !(src instanceof PyDict)) {
                        throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: functools.update_wrapper of a non-dict ${attr}`, line: it.line, col: it.col });
                    }
                    for (const e of [...src.entries()]) target.set(it.heap, e.k, e.v);
                } finally {
                    it.decref(src);
                }
            }
        } finally {
            it.decref(target);
        }
    }
    if (p.setsWrapped) setWrapperAttr(it, wrapper, '__wrapped__', wrapped);
    return it.incref(wrapper);
}

// ------------------------------------------------------------------------------------------------
// the module

export function createFunctoolsModule(it: Interpreter): PyModule {
    const m = it.newModule('functools');
    const p = it.profile.stdlib;
    const partial = createPartialType(it);
    const lru = createLruTypes(it);
    // kwd_mark: module state in C, never freed with the program's objects.
    const kwdMark = new PyInstance(it.T.object);
    kwdMark.flags |= ObjFlag.Atomic;
    it.heap.register(kwdMark);
    const updateWrapperFn = it.builtin('update_wrapper', (_s, args, kwargs) => {
        const get = (i: number, name: string): PyObject | null => args[i] ?? kwargs?.get(name) ?? null;
        const wrapper = get(0, 'wrapper');
        const wrapped = get(1, 'wrapped');
        if (!wrapper || !wrapped) throw it.error('TypeError', `update_wrapper() missing 1 required positional argument: '${wrapper ? 'wrapped' : 'wrapper'}'`);
        return updateWrapper(it, wrapper, wrapped, get(2, 'assigned'), get(3, 'updated'));
    });
    const st: FunctoolsState = { partial, lruWrapper: lru.wrapper, link: lru.link, cacheInfo: lru.cacheInfo, kwdMark, updateWrapper: updateWrapperFn };
    it.moduleState.set('functools', st);
    setModuleAttr(it, m, 'update_wrapper', updateWrapperFn);
    m.dict.set(it.heap, it.str('partial'), partial);
    const assignedTuple = it.tuple(p.wrapperAssignments.map((s) => it.str(s)));
    const updatesTuple = it.tuple([it.str('__dict__')]);
    // (Borrowed below: the module's dict holds them, as update_wrapper's defaults do in CPython.)
    setModuleAttr(it, m, 'WRAPPER_ASSIGNMENTS', assignedTuple);
    setModuleAttr(it, m, 'WRAPPER_UPDATES', updatesTuple);
    defineFn(it, m, 'wraps', (args, kwargs) => {
        const wrapped = args[0] ?? kwargs?.get('wrapped');
        if (!wrapped) throw it.error('TypeError', "wraps() missing 1 required positional argument: 'wrapped'");
        const kw = new Map<string, PyObject>([
            ['wrapped', wrapped],
            ['assigned', args[1] ?? kwargs?.get('assigned') ?? assignedTuple],
            ['updated', args[2] ?? kwargs?.get('updated') ?? updatesTuple],
        ]);
        return call(it, partial, [updateWrapperFn], kw);
    });
    defineFn(it, m, 'reduce', (args) => {
        arity(it, 'reduce', args, 2, 3);
        const fn = args[0];
        const iter = getIter(it, args[1]);
        try {
            let acc: PyObject | null = args.length > 2 ? it.incref(args[2]) : null;
            for (let x = iterNext(it, iter); x !== null; x = iterNext(it, iter)) {
                if (acc === null) {
                    acc = x;
                    continue;
                }
                try {
                    const next = call(it, fn, [acc, x], null);
                    it.decref(acc);
                    acc = next;
                } finally {
                    it.decref(x);
                }
            }
            if (acc === null) throw it.error('TypeError', 'reduce() of empty sequence with no initial value');
            return acc;
        } finally {
            it.decref(iter);
        }
    });
    if (p.lruCache) {
        m.dict.set(it.heap, it.str('_lru_cache_wrapper'), lru.wrapper);
        const decorate = (fn: PyObject, maxsize: PyObject, typed: boolean): PyObject => {
            if (!isCallable(fn)) throw it.error('TypeError', 'the first argument must be callable');
            const w = newLruWrapper(it, st, fn, maxsize, typed);
            try {
                setCacheParameters(it, w, maxsize, typed);
                it.decref(updateWrapper(it, w, fn, null, null));
            } catch (e) {
                it.decref(w);
                throw e;
            }
            return w;
        };
        defineFn(it, m, 'lru_cache', (args, kwargs) => {
            arity(it, 'lru_cache', args, 0, 2);
            let maxsize: PyObject = args[0] ?? kwargs?.get('maxsize') ?? it.int(128);
            const typedObj = args[1] ?? kwargs?.get('typed') ?? it.False;
            const typed = typedObj !== it.False && typedObj !== it.None && !(typedObj instanceof PyInt && typedObj.v === 0);
            if (maxsize instanceof PyInt && maxsize.type !== it.T.bool) {
                if (Number(maxsize.v) < 0) maxsize = it.int(0);
            } else if (isCallable(maxsize) && typedObj.type === it.T.bool) {
                return decorate(maxsize, it.int(128), typed);
            } else if (maxsize !== it.None) {
                throw it.error('TypeError', 'Expected first argument to be an integer, a callable, or None');
            }
            const size = maxsize;
            // decorating_function: a closure over maxsize and typed.
            return it.builtin('decorating_function', (_s, dargs) => {
                arity(it, 'decorating_function', dargs, 1, 1);
                return decorate(dargs[0], size, typed);
            });
        });
        if (p.cacheParameters) {
            defineFn(it, m, 'cache', (args) => {
                arity(it, 'cache', args, 1, 1);
                return decorate(args[0], it.None, false);
            });
        }
    }
    installTotalOrdering(it, m);
    if (recordedIn(it, 'functools', 'cached_property')) m.dict.set(it.heap, it.str('cached_property'), createCachedProperty(it));
    return m;
}
