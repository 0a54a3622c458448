/*
 * weakContainerAllocations.ts
 *
 * What Lib/weakref.py's WeakValueDictionary and WeakKeyDictionary and Lib/_weakrefset.py's WeakSet
 * allocate as CPython runs them. The engine keeps the containers and their entries as native
 * objects (builtins/weakrefModule.ts); CPython runs their Python code, whose frames (≤3.10: the
 * code's zombie frame, else the frame free list), instance `__dict__` (≤3.10), closures, lists,
 * sets, bound methods and call temporaries each move the collector's generation-0 count unless a
 * free list supplies them (runtime/freelists.ts), and leave the free lists fuller or emptier. A
 * program printing gc.get_count() or gc.collect() after making or filling one sees them.
 *
 * Each container's own objects are listed per kind in the order its dealloc frees them (the
 * instance dict's values in insertion order: a function's defaults tuple and its ref, the
 * function, then the list, the set; `self.data` holds the entries).
 *
 * Measured on 3.8-3.13 (gc.get_count() per operation after a full collection emptied the free
 * lists: conformance scenario gc/weak_container_allocations). 2.7's weakref.py differs (a
 * UserDict subclass, `__init__(*args, **kw)`) and gets the same sequences, which come closer to
 * it than none but not exactly. Not modelled yet: the `keys()`/`items()`/`__iter__` generators
 * with their _IterationGuard (the engine answers a list).
 */

import { FreeKind, FreeLists } from '../runtime/freelists';
import type { Interpreter } from '../interp/interpreter';
import { allocTuple, freeTuple, inLibraryFrame } from '../interp/callTemporaries';

export type WeakContainerKind = 'WeakValueDictionary' | 'WeakKeyDictionary' | 'WeakSet';

/** The container's own objects, freed by its dealloc before (`before`) and after (`after`) its entries. */
export interface ContainerInternals {
    before: FreeKind[];
    after: FreeKind[];
}

/** Keys for the ≤3.10 zombie frames of the library's functions (one per code object, shared by every container). */
const CODE: Record<string, object> = {};
function code(name: string): object {
    return (CODE[name] ??= { code: name });
}

const GC = FreeKind.None;

function frame(it: Interpreter, name: string): void {
    if (it.profile.frameObjectPerCall) it.heap.allocFrame(code(name));
}

function unframe(it: Interpreter, name: string): void {
    if (it.profile.frameObjectPerCall) it.heap.freeFrame(code(name));
}

/** `body` run as the library function `name` (≤3.10 its frame around it). */
export function inWeakContainerFrame<T>(it: Interpreter, name: string, body: () => T): T {
    return inLibraryFrame(it, code(name), body);
}

/** `ref(self)` for the removal closure's default: the type call's 1-tuple, the container's basic ref. */
function selfRef(it: Interpreter): void {
    allocTuple(it, 1);
    it.heap.allocInternal();
    freeTuple(it, 1);
}

/** `for k, v in d.items()` over an empty dict: the view, its iterator with its result 2-tuple. */
function emptyItemsLoop(it: Interpreter): void {
    const h = it.heap;
    h.allocInternal();
    h.allocInternal();
    allocTuple(it, 2);
    h.freeInternal();
    freeTuple(it, 2);
    h.freeInternal();
}

/**
 * `WeakValueDictionary()`: `__init__(self, other=(), /, **kw)` makes the `remove` closure (its
 * defaults `(ref(self), _remove_dead_weakref)`), `_pending_removals`, `_iterating`, `data`, then
 * calls `self.update(other, **kw)` (a bound method; the call's 1-tuple, 3.9+ its BUILD_MAP dict),
 * whose `dict(other)` and two empty `.items()` loops come and go.
 */
function initValueDict(it: Interpreter): ContainerInternals {
    const h = it.heap;
    const p = it.profile;
    const instDict = p.instanceDictIsObject;
    const buildMap = p.minor >= 9;
    frame(it, 'WeakValueDictionary.__init__');
    h.allocInternal(FreeKind.Dict); // **kw
    selfRef(it);
    allocTuple(it, 2); // remove's defaults
    h.allocInternal(); // remove
    if (instDict) h.allocInternal(FreeKind.Dict);
    h.allocInternal(FreeKind.List); // _pending_removals
    h.allocInternal(); // _iterating
    h.allocInternal(FreeKind.Dict); // data
    h.allocInternal(FreeKind.Method); // self.update
    allocTuple(it, 1);
    if (buildMap) h.allocInternal(FreeKind.Dict);
    frame(it, 'WeakValueDictionary.update');
    h.allocInternal(FreeKind.Dict); // **kwargs
    // other = dict(other): ≤3.8 through _PyObject_MakeTpCall; dict_new's tp_alloc (no free list).
    if (!buildMap) allocTuple(it, 1);
    h.allocInternal();
    h.allocInternal(); // the tuple's iterator (PyDict_MergeFromSeq2)
    h.freeInternal();
    if (!buildMap) freeTuple(it, 1);
    emptyItemsLoop(it);
    emptyItemsLoop(it);
    h.freeInternal(FreeKind.Dict); // other
    h.freeInternal(FreeKind.Dict); // kwargs
    unframe(it, 'WeakValueDictionary.update');
    h.freeInternal(FreeKind.Method);
    freeTuple(it, 1);
    if (buildMap) h.freeInternal(FreeKind.Dict);
    h.freeInternal(FreeKind.Dict); // kw
    unframe(it, 'WeakValueDictionary.__init__');
    return {
        before: [GC, FreeLists.tupleKind(2), GC, FreeKind.List, GC],
        after: instDict ? [FreeKind.Dict, FreeKind.Dict] : [FreeKind.Dict],
    };
}

/**
 * `WeakKeyDictionary()` / `WeakSet()`: `self.data = {}` (a dict) or `set()`, then the `remove`
 * (`_remove`) closure with its defaults `(ref(self),)`, `_pending_removals` and `_iterating`.
 */
function initKeyedContainer(it: Interpreter, name: string, data: FreeKind): ContainerInternals {
    const h = it.heap;
    const instDict = it.profile.instanceDictIsObject;
    frame(it, name);
    h.allocInternal(data);
    if (instDict) h.allocInternal(FreeKind.Dict);
    selfRef(it);
    allocTuple(it, 1);
    h.allocInternal(); // remove
    h.allocInternal(FreeKind.List);
    h.allocInternal();
    unframe(it, name);
    const own = [GC, FreeLists.tupleKind(1), GC, FreeKind.List, GC];
    return { before: [], after: [data, ...own, ...(instDict ? [FreeKind.Dict] : [])] };
}

/** What `__init__` allocates for a new container (called once the instance itself is registered). */
export function initWeakContainer(it: Interpreter, kind: WeakContainerKind): ContainerInternals {
    if (kind === 'WeakValueDictionary') return initValueDict(it);
    if (kind === 'WeakKeyDictionary') return initKeyedContainer(it, 'WeakKeyDictionary.__init__', FreeKind.Dict);
    return initKeyedContainer(it, 'WeakSet.__init__', GC);
}

/**
 * `self.data[key] = KeyedRef(value, self._remove, key)` (WeakValueDictionary.__setitem__): the
 * class call's 3-tuple; KeyedRef.__new__'s `ref.__new__(type, ob, callback)` (a METH_VARARGS
 * built-in: its 3-tuple, and tp_new_wrapper's slice of 2); KeyedRef.__init__'s
 * `super().__init__(ob, callback)`. `body` makes the KeyedRef and stores it.
 */
export function valueDictSetItem<T>(it: Interpreter, body: () => T): T {
    const h = it.heap;
    const superObject = it.profile.minor < 12;
    frame(it, 'WeakValueDictionary.__setitem__');
    allocTuple(it, 3);
    frame(it, 'KeyedRef.__new__');
    allocTuple(it, 3);
    allocTuple(it, 2);
    let r: T;
    try {
        r = body();
    } finally {
        freeTuple(it, 2);
        freeTuple(it, 3);
        unframe(it, 'KeyedRef.__new__');
    }
    frame(it, 'KeyedRef.__init__');
    if (superObject) {
        // super() then its bound `__init__` (a method-wrapper), called through _PyObject_MakeTpCall.
        h.allocInternal();
        h.allocInternal();
        h.freeInternal();
        allocTuple(it, 2);
        freeTuple(it, 2);
        h.freeInternal();
    } else {
        // 3.12+: LOAD_SUPER_ATTR finds the slot wrapper unbound; calling it packs (self, ob, callback)
        // and wrapperdescr_call slices off self.
        allocTuple(it, 3);
        allocTuple(it, 2);
        freeTuple(it, 2);
        freeTuple(it, 3);
    }
    unframe(it, 'KeyedRef.__init__');
    freeTuple(it, 3);
    unframe(it, 'WeakValueDictionary.__setitem__');
    return r;
}

/**
 * `ref(key, self._remove)` inside the library function `name` (WeakKeyDictionary.__setitem__,
 * WeakSet.add): the weakref type's call packs its two arguments. `body` makes the ref and stores it.
 */
export function refInLibrary<T>(it: Interpreter, name: string, body: () => T): T {
    frame(it, name);
    allocTuple(it, 2);
    try {
        return body();
    } finally {
        freeTuple(it, 2);
        unframe(it, name);
    }
}
