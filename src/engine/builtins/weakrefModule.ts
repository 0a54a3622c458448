/*
 * weakrefModule.ts
 *
 * The `weakref` module: ref and proxy (Objects/weakrefobject.c), getweakrefcount/getweakrefs, and
 * the pure-Python parts of Lib/weakref.py modelled natively with their observable behaviour:
 *   - finalize: a registry (a real dict held by the module, so it lives and dies with it), the
 *     weakref whose callback is the finalize object itself, alive/peek/detach/atexit/__call__, and
 *     `_exitfunc` registered with atexit on the first finalize() (fixing its LIFO slot): at exit it
 *     runs the pending atexit=True finalizers newest first (gc disabled meanwhile), then `_shutdown`;
 *   - WeakValueDictionary, WeakKeyDictionary, WeakSet: entries held through weakrefs whose callbacks
 *     remove them, so they vanish when the referents die (refcount or GC).
 */

import { PyObject, ObjFlag, type Refs, type Visit } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { typeOf } from '../interp/classobject';
import { unsupportedAt } from '../names/refuse';
import { PyDict, PyTuple, keyOf, indexIfUserKey, AbsentKey, type HashKey, type HashTable, type UserKeyIndex, type UserHash } from '../runtime/containers';
import { unhashable } from '../interp/eval';
import { PyInstance, type PyException } from '../runtime/instances';
import { PyProperty, type KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { getAttr, setAttr, lookupAttr } from '../interp/attrs';
import { getIter, compareObj, forEachItem } from '../interp/ops';
import { repr, addr } from '../interp/format';
import { pushStdlibEntry, pushStdlibEntryOnRaise } from '../interp/stdlibFrames';
import { weakrefPyOf, weakKeyPyOf } from '../profiles';
import { PyRaise, dropRaise } from '../interp/signals';
import { formatException } from '../interp/traceback';
import { defineFn, setModuleAttr, importModule } from './modules';
import { arity } from './args';
import { PyWeakref, checkWeakrefable, insertRef, basicRef, unlinkRef } from '../gc/weakrefs';
import { WeakKeyTable, refHash } from './weakrefKeys';
import { registerExitFunc } from './atexitModule';
import { installWeakMethod } from './weakMethod';
import { nativeConstructors } from '../modules/stdTypes';
import { newWrapper } from './slotWrappers';
import { hasSlots } from '../interp/calls';
import { FreeKind } from '../runtime/freelists';
import { allocTuple, freeTuple, viaTpCall, withKwnames, inLibraryFrame, tupleOf } from '../interp/callTemporaries';
import { initWeakContainer, inWeakContainerFrame, refInLibrary, valueDictSetItem, type ContainerInternals } from './weakContainerAllocations';

type Method = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;

/** A static (never freed) type with native methods. */
export function nativeType(it: Interpreter, name: string, module: string, methods: Record<string, Method>, props: Record<string, [(self: PyObject) => PyObject, ((self: PyObject, v: PyObject) => void)?]> = {}): PyType {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const t = new PyType(it.T.type, name, it.T.object, d, 'instance', false);
    t.mro = [t, it.T.object];
    t.module = module;
    t.id = it.heap.newId();
    for (const [mname, fn] of Object.entries(methods)) {
        d.set(it.heap, it.str(mname), it.builtin(mname, (self, args, kwargs) => fn(self!, args, kwargs), name, true));
    }
    for (const [pname, [get, set]] of Object.entries(props)) {
        const fget = it.builtin(pname, (_s, args) => get(args[0]));
        const fset = set
            ? it.builtin(pname, (_s, args) => {
                  set(args[0], args[1]);
                  return it.None;
              })
            : null;
        const p = new PyProperty(it.T.property, fget, fset, null);
        p.flags |= ObjFlag.Atomic;
        p.id = it.heap.newId();
        d.set(it.heap, it.str(pname), p);
    }
    return t;
}


// ------------------------------------------------------------------------------------------------
// ref and proxy

interface WeakTypes {
    ref: PyType;
    proxy: PyType;
    callableProxy: PyType;
}

function deadProxy(it: Interpreter): PyRaise {
    return it.error('ReferenceError', 'weakly-referenced object no longer exists');
}

function createWeakTypes(it: Interpreter): WeakTypes {
    const cached = it.moduleState.get('weakref.types') as WeakTypes | undefined;
    if (cached) return cached;
    const target = (self: PyObject): PyObject => {
        const r = (self as PyWeakref).referent;
        if (!r) throw deadProxy(it);
        return r;
    };
    const names = it.profile.weakrefTypes;
    const ref = nativeType(
        it,
        names.ref,
        names.module,
        {
            __call__: (self, args) => {
                arity(it, 'weakref', args, 0, 0);
                return it.incref((self as PyWeakref).referent ?? it.None);
            },
            __eq__: (self, args) => {
                const a = self as PyWeakref;
                const b = args[0];
                if (!(b instanceof PyWeakref) || b.isProxy) return it.incref(it.NotImplemented);
                // weakref_richcompare: PyObject_RichCompare of the referents (no identity shortcut).
                if (a.referent && b.referent) return compareObj(it, 'Eq', a.referent, b.referent);
                return it.bool(a === b);
            },
            __hash__: (self) => {
                const w = self as PyWeakref;
                if (w.hash) return it.incref(w.hash);
                if (!w.referent) throw it.error('TypeError', 'weak object has gone away');
                const h = call(it, it.builtinsDict.getStr('hash')!, [w.referent], null);
                w.hash = h;
                return it.incref(h);
            },
        },
        { __callback__: [(self) => it.incref((self as PyWeakref).callback ?? it.None)] },
    );
    const proxyMethods: Record<string, Method> = {
        __getattr__: (self, args) => getAttr(it, target(self), (args[0] as unknown as { v: string }).v),
        __setattr__: (self, args) => {
            setAttr(it, target(self), (args[0] as unknown as { v: string }).v, args[1]);
            return it.None;
        },
        __str__: (self) => call(it, it.builtinsDict.getStr('str')!, [target(self)], null),
        __len__: (self) => call(it, it.builtinsDict.getStr('len')!, [target(self)], null),
        // proxy_iter / proxy_iternext: iteration goes to the referent.
        __iter__: (self) => getIter(it, target(self)),
        [it.profile.nextMethod]: (self) => call(it, it.builtinsDict.getStr('next')!, [target(self)], null),
    };
    const proxy = nativeType(it, names.proxy, names.module, proxyMethods);
    const callableProxy = nativeType(it, names.callableProxy, names.module, {
        ...proxyMethods,
        __call__: (self, args, kwargs) => call(it, target(self), args, kwargs),
    });
    const types = { ref, proxy, callableProxy };
    it.moduleState.set('weakref.types', types);
    const ctors = nativeConstructors(it);
    // `ref(o[, callback])`: the weakref type has no vectorcall; _PyObject_MakeTpCall packs the arguments.
    ctors.set(ref, (args, kwargs) =>
        viaTpCall(it, args.length, kwargs?.size ?? 0, () => {
            arity(it, 'ref', args, 1, 2);
            return newRef(it, args[0], args[1] && args[1] !== it.None ? args[1] : null);
        }),
    );
    installRefSubclassing(it, ref);
    it.moduleState.set('weakref.repr', (o: PyObject): string | null => {
        if (!(o instanceof PyWeakref)) return null;
        const addr = (x: PyObject): string => '0x' + (0x7f0000000000 + x.id * 16).toString(16);
        if (o.isProxy) return o.referent ? `<weakproxy at ${addr(o)}; to '${typeOf(it, o.referent).name}' at ${addr(o.referent)}>` : `<weakproxy at ${addr(o)}; dead>`;
        if (!o.referent) return `<weakref at ${addr(o)}; dead>`;
        const name = referentName(it, o.referent);
        return `<weakref at ${addr(o)}; to '${typeOf(it, o.referent).name}' at ${addr(o.referent)}${name === null ? '' : ` (${name})`}>`;
    });
    return types;
}

/**
 * The `(name)` weakref_repr adds: the referent's `__name__` when it is a str (3.x looks it up on the
 * type, _PyObject_LookupSpecial; 2.7 with PyObject_GetAttrString). Read here for the objects whose
 * `__name__` is a native field (classes, functions, generators); an instance's class-level
 * `__name__` string counts too, as the type lookup finds it.
 */
function referentName(it: Interpreter, o: PyObject): string | null {
    const layout = o.type.layout;
    if (o instanceof PyType || layout === 'function' || layout === 'generator' || layout === 'builtin') {
        const v = getAttr(it, o, '__name__');
        const name = v instanceof PyStr ? v.v : null;
        it.decref(v);
        return name;
    }
    for (const c of o.type.mro) {
        if (!c.isHeap) continue;
        const v = c.dict.getStr('__name__');
        if (v) return v instanceof PyStr ? v.v : null;
    }
    return null;
}

/**
 * `class R(weakref.ref)`: weakref___new__ and weakref___init__ in the type's dict, so type_call of
 * a subclass makes a PyWeakref of that class (with the `__dict__` a heap type adds) and runs a
 * Python `__init__` that may call `super().__init__(ob, callback)`. Both parse (ob[, callback])
 * with PyArg_UnpackTuple and ignore keyword arguments, as CPython's do (so a subclass's `__init__`
 * may take its own). A subclass instance is never the shared basic ref, even without a callback.
 */
function installRefSubclassing(it: Interpreter, ref: PyType): void {
    ref.subclassNew = true;
    newWrapper(it, ref, (cls, args) => {
        arity(it, '__new__', args, 1, 2);
        const callback = args[1] && args[1] !== it.None ? args[1] : null;
        if (cls === ref) return newRef(it, args[0], callback);
        checkWeakrefable(it, args[0]);
        const wr = new PyWeakref(cls, args[0], callback, false);
        if (hasSlots(cls)) wr.slots = new Array<PyObject | null>(cls.totalSlots).fill(null);
        it.heap.incref(cls);
        it.heap.register(wr);
        if (callback) it.heap.acquire(wr, callback, '__callback__');
        insertRef(args[0], wr, false);
        return wr;
    });
    ref.dict.set(
        it.heap,
        it.str('__init__'),
        it.builtin(
            '__init__',
            (self, args) => {
                arity(it, '__init__', args, 1, 2);
                void self;
                return it.None;
            },
            ref.name,
            true,
        ),
    );
}

/** weakref.ref(o[, callback]): the shared basic ref when there is no callback. New reference. */
export function newRef(it: Interpreter, o: PyObject, callback: PyObject | null, keyed = false): PyWeakref {
    const types = createWeakTypes(it);
    checkWeakrefable(it, o);
    if (!callback && !keyed) {
        const shared = basicRef(o, false);
        if (shared) return it.incref(shared);
    }
    const wr = it.heap.register(new PyWeakref(types.ref, o, callback, false));
    if (keyed) (wr as { keyed?: boolean }).keyed = true;
    if (callback) it.heap.acquire(wr, callback, '__callback__');
    insertRef(o, wr, !callback && !keyed);
    return wr;
}

function newProxy(it: Interpreter, o: PyObject, callback: PyObject | null): PyWeakref {
    const types = createWeakTypes(it);
    checkWeakrefable(it, o);
    if (!callback) {
        const shared = basicRef(o, true);
        if (shared) return it.incref(shared);
    }
    const callable = o.type.lookup('__call__') !== null || o.type.layout === 'function';
    const wr = it.heap.register(new PyWeakref(callable ? types.callableProxy : types.proxy, o, callback, true));
    if (callback) it.heap.acquire(wr, callback, '__callback__');
    insertRef(o, wr, !callback);
    return wr;
}

// ------------------------------------------------------------------------------------------------
// weak containers

/** A container whose entries are held through weakrefs with a removing callback. */
abstract class WeakContainer extends PyInstance {
    /** The objects its Python `__init__` made and its dealloc frees (builtins/weakContainerAllocations.ts). */
    internals: ContainerInternals | null = null;
    /** Strong references the container holds, per entry (traverse/clear/dealloc them). */
    abstract heldRefs(): [PyObject, string][];
    abstract dropAll(): [PyObject, string][];
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        for (const [o] of this.heldRefs()) visit(o);
    }
    override clear(r: Refs): void {
        this.release(r, this.dropAll());
    }
    /**
     * The container dies: its `__dict__` goes, and with it `self.data`, whose dealloc drops each
     * entry's key, then its value (free_keys_object; a WeakSet's set: each ref).
     */
    override releaseChildren(r: Refs): void {
        const own = this.internals;
        this.internals = null;
        if (own) for (const k of own.before) r.freeInternal(k);
        this.release(r, this.deallocOrder(this.dropAll()));
        if (own) for (const k of own.after) r.freeInternal(k);
        super.releaseChildren(r);
    }
    /** dropAll's references in the order the data's dealloc drops them (already so unless overridden). */
    protected deallocOrder(refs: [PyObject, string][]): [PyObject, string][] {
        return refs;
    }
    private release(r: Refs, refs: [PyObject, string][]): void {
        for (const [o, label] of refs) {
            if (o instanceof PyWeakref) unlinkRef(o);
            r.release(this, o, label);
        }
    }
}

interface ValueEntry {
    key: PyObject;
    wr: PyWeakref;
}

/**
 * A WeakValueDictionary's `self.data`, a dict: a key whose class defines `__hash__` is hashed once
 * when stored and found again by its hash and `__eq__` (interp/hash.ts), so a key whose hash
 * changed is not found any more, as in CPython's dict.
 */
class ValueEntries extends Map<HashKey, ValueEntry> {
    constructor(private readonly table: PyWeakValueDict) {
        super();
    }
    override set(hk: HashKey, e: ValueEntry): this {
        if (hk instanceof AbsentKey) throw hk.refusal();
        const added = !this.has(hk);
        super.set(hk, e);
        if (added && this.table) {
            this.table.mutations++;
            indexIfUserKey(this.table, hk);
        }
        return this;
    }
    override delete(hk: HashKey): boolean {
        const e = this.get(hk);
        if (!e) return false;
        super.delete(hk);
        this.table.mutations++;
        this.table.userKeys?.remove(e.key);
        return true;
    }
    override clear(): void {
        super.clear();
        this.table.mutations++;
        this.table.userKeys = null;
    }
}

class PyWeakValueDict extends WeakContainer implements HashTable {
    readonly data: Map<HashKey, ValueEntry> = new ValueEntries(this);
    userKeys: UserKeyIndex | null = null;
    mutations = 0;
    storedKey(hk: HashKey): PyObject | null {
        return this.data.get(hk)?.key ?? null;
    }
    heldRefs(): [PyObject, string][] {
        const out: [PyObject, string][] = [];
        for (const e of this.data.values()) out.push([e.wr, '(ref)'], [e.key, '(key)']);
        return out;
    }
    dropAll(): [PyObject, string][] {
        const out = this.heldRefs();
        this.data.clear();
        return out;
    }
    /** heldRefs lists each entry's KeyedRef before its key (dict_traverse's order); dealloc drops the key first. */
    protected override deallocOrder(refs: [PyObject, string][]): [PyObject, string][] {
        const out: [PyObject, string][] = [];
        for (let i = 0; i < refs.length; i += 2) out.push(refs[i + 1]!, refs[i]!);
        return out;
    }
}

class PyWeakKeyDict extends WeakContainer {
    readonly data = new WeakKeyTable<PyObject>();
    heldRefs(): [PyObject, string][] {
        const out: [PyObject, string][] = [];
        for (const [wr, value] of this.data.entries) out.push([wr, '(key ref)'], [value, '(value)']);
        return out;
    }
    dropAll(): [PyObject, string][] {
        const out = this.heldRefs();
        this.data.clear();
        return out;
    }
}

class PyWeakSet extends WeakContainer {
    readonly data = new WeakKeyTable<null>();
    heldRefs(): [PyObject, string][] {
        return Array.from(this.data.entries.keys(), (w) => [w, '(ref)'] as [PyObject, string]);
    }
    dropAll(): [PyObject, string][] {
        const out = this.heldRefs();
        this.data.clear();
        return out;
    }
}

/** The key of `k` in a weak container's table (`owner`: a WeakValueDictionary's data, which keys user `__hash__` keys as a dict). */
function hashOf(it: Interpreter, k: PyObject, owner: HashTable | null = null): HashKey {
    try {
        return keyOf(k, owner);
    } catch (e) {
        throw unhashable(it, e, k);
    }
}

function createWeakContainers(it: Interpreter, m: PyModule): void {
    const heap = it.heap;
    const listOf = (items: PyObject[]): PyObject => it.list(items.map((x) => it.incref(x)));
    const removers = new WeakMap<PyObject, PyObject>();

    // ---- WeakValueDictionary
    // `_remove_dead_weakref(self.data, wr.key)`: the KeyedRef's key is looked up in the dict (its
    // `__hash__` and `__eq__` run again) and the entry found is deleted if its ref is dead; a key
    // not found (its hash changed meanwhile) is ignored, and its entry stays.
    const wvdRemove = (d: PyWeakValueDict) =>
        it.builtin('remove', (_s, args) => inWeakContainerFrame(it, 'WeakValueDictionary.__init__.<locals>.remove', () => {
            const key = (args[0] as PyWeakref).keyedKey;
            if (!key) return it.None;
            it.incref(key);
            try {
                const hk = hashOf(it, key, d);
                const e = d.data.get(hk);
                if (e && !e.wr.referent) {
                    d.data.delete(hk);
                    heap.release(d, e.wr, '(ref)');
                    heap.release(d, e.key, '(key)');
                }
            } finally {
                it.decref(key);
            }
            return it.None;
        }));
    /** `self.data[key] = KeyedRef(value, self._remove, key)`. */
    const wvdSet = (d: PyWeakValueDict, key: PyObject, value: PyObject): void => {
        const hk = hashOf(it, key, d);
        const old = d.data.get(hk);
        const wr = newRef(it, value, removers.get(d)!, true);
        wr.keyedKey = key;
        heap.acquire(wr, key, 'key');
        heap.adopt(d, wr, '(ref)');
        if (old) {
            const prev = old.wr;
            old.wr = wr;
            unlinkRef(prev);
            heap.release(d, prev, '(ref)');
        } else {
            heap.acquire(d, key, '(key)');
            d.data.set(hk, { key, wr });
        }
    };
    /** An entry taken out of the dict: its KeyedRef dies; the key is handed to the caller (a new reference). */
    const wvdDrop = (d: PyWeakValueDict, e: ValueEntry): PyObject => {
        const key = it.incref(e.key);
        unlinkRef(e.wr);
        heap.release(d, e.wr, '(ref)');
        heap.release(d, e.key, '(key)');
        return key;
    };
    /** copy(): a new WeakValueDictionary with the live entries, in order. */
    const wvdCopy = (d: PyWeakValueDict): PyObject => {
        const fresh = nativeConstructors(it).get(wvd)!([], null) as PyWeakValueDict;
        for (const e of [...d.data.values()]) if (e.wr.referent) wvdSet(fresh, e.key, e.wr.referent);
        return fresh;
    };
    const wvd = nativeType(it, 'WeakValueDictionary', 'weakref', {
        __setitem__: (self, args) => {
            valueDictSetItem(it, () => wvdSet(self as PyWeakValueDict, args[0], args[1]));
            return it.None;
        },
        __getitem__: (self, args) => {
            const e = (self as PyWeakValueDict).data.get(hashOf(it, args[0], self as PyWeakValueDict));
            const o = e?.wr.referent;
            if (!o) throw new PyRaise(it.newException(it.T.KeyError, [args[0]]));
            return it.incref(o);
        },
        __delitem__: (self, args) => {
            const d = self as PyWeakValueDict;
            const hk = hashOf(it, args[0], self as PyWeakValueDict);
            const e = d.data.get(hk);
            if (!e) throw new PyRaise(it.newException(it.T.KeyError, [args[0]]));
            d.data.delete(hk);
            it.decref(wvdDrop(d, e));
            return it.None;
        },
        // `key, wr = self.data.popitem()` until a live one: dead entries popped on the way are dropped.
        popitem: (self, args) => popLive(it, 'WeakValueDictionary', args, (self as PyWeakValueDict).data, (_k, e) => e.wr, (_k, e) => wvdDrop(self as PyWeakValueDict, e), (o, key) => [key, o]),
        // `o = self.data.pop(key)()`: KeyError (or the default) for a missing or dead entry.
        pop: (self, args) => {
            arity(it, 'pop', args, 1, 2);
            const d = self as PyWeakValueDict;
            const hk = hashOf(it, args[0], self as PyWeakValueDict);
            const e = d.data.get(hk);
            if (!e && args.length < 2) throw new PyRaise(it.newException(it.T.KeyError, [args[0]]));
            if (!e) return it.incref(args[1]);
            d.data.delete(hk);
            const o = e.wr.referent ? it.incref(e.wr.referent) : null;
            it.decref(wvdDrop(d, e));
            if (o) return o;
            if (args.length < 2) throw new PyRaise(it.newException(it.T.KeyError, [args[0]]));
            return it.incref(args[1]);
        },
        // A live value is returned; otherwise `self.data[key] = KeyedRef(default, ...)`.
        setdefault: (self, args) => {
            arity(it, 'setdefault', args, 1, 2);
            const d = self as PyWeakValueDict;
            const o = d.data.get(hashOf(it, args[0], self as PyWeakValueDict))?.wr.referent;
            if (o) return it.incref(o);
            const dflt = args[1] ?? it.None;
            wvdSet(d, args[0], dflt);
            return it.incref(dflt);
        },
        copy: (self, args) => {
            arity(it, 'copy', args, 0, 0);
            return wvdCopy(self as PyWeakValueDict);
        },
        __copy__: (self) => wvdCopy(self as PyWeakValueDict),
        __contains__: (self, args) => {
            const e = (self as PyWeakValueDict).data.get(hashOf(it, args[0], self as PyWeakValueDict));
            return it.bool(!!e?.wr.referent);
        },
        __len__: (self) => inWeakContainerFrame(it, 'WeakValueDictionary.__len__', () => it.int((self as PyWeakValueDict).data.size)),
        __iter__: (self) => iterOver(it, listOf(Array.from((self as PyWeakValueDict).data.values(), (e) => e.key))),
        get: (self, args) => {
            arity(it, 'get', args, 1, 2);
            const e = (self as PyWeakValueDict).data.get(hashOf(it, args[0], self as PyWeakValueDict));
            const o = e?.wr.referent;
            return it.incref(o ?? args[1] ?? it.None);
        },
        keys: (self) => listOf(Array.from((self as PyWeakValueDict).data.values(), (e) => e.key)),
        values: (self) => listOf(Array.from((self as PyWeakValueDict).data.values(), (e) => e.wr.referent).filter((x): x is PyObject => !!x)),
        items: (self) =>
            it.list(
                Array.from((self as PyWeakValueDict).data.values())
                    .filter((e) => e.wr.referent)
                    .map((e) => it.tuple([it.incref(e.key), it.incref(e.wr.referent!)])),
            ),
    });
    nativeConstructors(it).set(wvd, (args) => {
        arity(it, 'WeakValueDictionary', args, 0, 1);
        const d = it.heap.register(new PyWeakValueDict(wvd));
        removers.set(d, wvdRemove(d));
        d.internals = initWeakContainer(it, 'WeakValueDictionary');
        return d;
    });
    setModuleAttr(it, m, 'WeakValueDictionary', wvd);

    // ---- WeakKeyDictionary: `self.data`, a dict keyed by `ref(key, self._remove)` (weakrefKeys.ts)
    const wkdRemove = (d: PyWeakKeyDict) =>
        it.builtin('remove', (_s, args) => inWeakContainerFrame(it, 'WeakKeyDictionary.__init__.<locals>.remove', () => {
            // `del self.data[k]`: the dead ref itself, found by identity (a KeyError is ignored).
            const wr = args[0] as PyWeakref;
            const value = d.data.entries.get(wr);
            if (value !== undefined && d.data.delete(wr)) {
                heap.release(d, wr, '(key ref)');
                heap.release(d, value, '(value)');
            }
            return it.None;
        }));
    /** `ref(key)` looked up in `data`: `fn` gets the stored ref equal to it (or null); the probe is dropped after. */
    const withProbe = <T>(data: WeakKeyTable<unknown>, key: PyObject, fn: (found: PyWeakref | null, probe: PyWeakref) => T): T => {
        const probe = newRef(it, key, null);
        try {
            return fn(data.find(it, probe, refHash(it, probe)), probe);
        } finally {
            it.decref(probe);
        }
    };
    /** `ref(key, self._remove)`, hashed and looked up in `data` (dropped again if either raises). */
    const newKeyRef = (data: WeakKeyTable<unknown>, owner: PyObject, k: PyObject): { wr: PyWeakref; h: UserHash; found: PyWeakref | null } => {
        const wr = newRef(it, k, removers.get(owner)!, true);
        try {
            const h = refHash(it, wr);
            return { wr, h, found: data.find(it, wr, h) };
        } catch (e) {
            it.decref(wr);
            throw e;
        }
    };
    /** `data[ref(key, self._remove)] = value` (insertdict: an equal stored key keeps its ref, the new one is dropped). */
    const wkdSet = (d: PyWeakKeyDict, k: PyObject, v: PyObject): void => {
        const { wr, h, found } = newKeyRef(d.data, d, k);
        if (found) {
            const old = d.data.entries.get(found)!;
            d.data.entries.set(found, v);
            heap.acquire(d, v, '(value)');
            heap.release(d, old, '(value)');
            it.decref(wr);
            return;
        }
        heap.adopt(d, wr, '(key ref)');
        heap.acquire(d, v, '(value)');
        d.data.insert(wr, h, v);
    };
    /** An entry taken out: its ref dies; the value is handed to the caller (a new reference). */
    const wkdDrop = (d: PyWeakKeyDict, wr: PyWeakref, value: PyObject): PyObject => {
        it.incref(value);
        unlinkRef(wr);
        heap.release(d, wr, '(key ref)');
        heap.release(d, value, '(value)');
        return value;
    };
    /** `update(dict)`: `dict.items()` (a dict made of it first when it has no `items`), each pair stored. */
    const wkdUpdate = (d: PyWeakKeyDict, src: PyObject, kwargs: KwArgs): void => {
        if (kwargs && kwargs.size > 0) throw unsupportedAt(it, 'WeakKeyDictionary with keyword arguments');
        // `if not hasattr(dict, "items"): dict = type({})(dict)`, then `dict.items()`.
        const hasItems = lookupAttr(it, src, 'items');
        if (hasItems) it.decref(hasItems);
        const mapping = hasItems ? it.incref(src) : call(it, it.T.dict, [src], null);
        try {
            const itemsFn = getAttr(it, mapping, 'items');
            let items: PyObject;
            try {
                items = call(it, itemsFn, [], null);
            } finally {
                it.decref(itemsFn);
            }
            try {
                forEachItem(it, items, (pair) => {
                    try {
                        if (!(pair instanceof PyTuple) || pair.items.length !== 2) throw unsupportedAt(it, 'WeakKeyDictionary.update from items that are not pairs');
                        wkdSet(d, pair.items[0]!, pair.items[1]!);
                    } finally {
                        it.decref(pair);
                    }
                });
            } finally {
                it.decref(items);
            }
        } finally {
            it.decref(mapping);
        }
    };
    const wkdCopy = (d: PyWeakKeyDict): PyObject => {
        const fresh = nativeConstructors(it).get(wkd)!([], null) as PyWeakKeyDict;
        for (const [wr, value] of [...d.data.entries]) if (wr.referent) wkdSet(fresh, wr.referent, value);
        return fresh;
    };
    const wkd = nativeType(it, 'WeakKeyDictionary', 'weakref', {
        __setitem__: (self, args) => {
            refInLibrary(it, 'WeakKeyDictionary.__setitem__', () => wkdSet(self as PyWeakKeyDict, args[0], args[1]));
            return it.None;
        },
        __getitem__: (self, args) =>
            withProbe((self as PyWeakKeyDict).data, args[0], (found, probe) => {
                if (!found) throw lookupError(it, 'getitem', probe, [self, args[0]]);
                return it.incref((self as PyWeakKeyDict).data.entries.get(found)!);
            }),
        __delitem__: (self, args) => {
            const d = self as PyWeakKeyDict;
            return withProbe(d.data, args[0], (found, probe) => {
                if (!found) throw lookupError(it, 'delitem', probe, [self, args[0]]);
                const value = d.data.entries.get(found)!;
                d.data.delete(found);
                it.decref(wkdDrop(d, found, value));
                return it.None;
            });
        },
        // `key, value = self.data.popitem()` until the key is alive.
        popitem: (self, args) => popLive(it, 'WeakKeyDictionary', args, (self as PyWeakKeyDict).data, (wr) => wr, (wr, value) => wkdDrop(self as PyWeakKeyDict, wr, value), (o, value) => [o, value]),
        // `self.data.pop(ref(key), *args)`: dict.pop answers an empty dict before hashing.
        pop: (self, args) => {
            arity(it, 'pop', args, 1, 2);
            const d = self as PyWeakKeyDict;
            const probe = newRef(it, args[0], null);
            try {
                const found = d.data.size === 0 ? null : d.data.find(it, probe, refHash(it, probe));
                if (!found) {
                    if (args.length > 1) return it.incref(args[1]);
                    throw lookupError(it, 'pop', probe, [self, args[0]]);
                }
                const value = d.data.entries.get(found)!;
                d.data.delete(found);
                return wkdDrop(d, found, value);
            } finally {
                it.decref(probe);
            }
        },
        // `self.data.setdefault(ref(key, self._remove), default)`.
        setdefault: (self, args) => {
            arity(it, 'setdefault', args, 1, 2);
            const d = self as PyWeakKeyDict;
            const dflt = args[1] ?? it.None;
            const { wr, h, found } = newKeyRef(d.data, d, args[0]);
            if (found) {
                const value = it.incref(d.data.entries.get(found)!);
                it.decref(wr);
                return value;
            }
            heap.adopt(d, wr, '(key ref)');
            heap.acquire(d, dflt, '(value)');
            d.data.insert(wr, h, dflt);
            return it.incref(dflt);
        },
        update: (self, args, kwargs) => {
            arity(it, 'update', args, 0, 1);
            if (args[0] && args[0] !== it.None) wkdUpdate(self as PyWeakKeyDict, args[0], null);
            if (kwargs && kwargs.size > 0) throw unsupportedAt(it, 'WeakKeyDictionary.update with keyword arguments');
            return it.None;
        },
        copy: (self, args) => {
            arity(it, 'copy', args, 0, 0);
            return wkdCopy(self as PyWeakKeyDict);
        },
        __copy__: (self) => wkdCopy(self as PyWeakKeyDict),
        // `try: wr = ref(key) except TypeError: return False; return wr in self.data`.
        __contains__: (self, args) => {
            if (!canRef(it, args[0])) return it.False;
            return withProbe((self as PyWeakKeyDict).data, args[0], (found) => it.bool(!!found));
        },
        __len__: (self) => inWeakContainerFrame(it, 'WeakKeyDictionary.__len__', () => it.int((self as PyWeakKeyDict).data.size)),
        __iter__: (self) => iterOver(it, listOf(liveReferents((self as PyWeakKeyDict).data))),
        // `self.data.get(ref(key), default)`.
        get: (self, args) => {
            arity(it, 'get', args, 1, 2);
            const d = self as PyWeakKeyDict;
            return withProbe(d.data, args[0], (found) => it.incref(found ? d.data.entries.get(found)! : (args[1] ?? it.None)));
        },
        keys: (self) => listOf(liveReferents((self as PyWeakKeyDict).data)),
        values: (self) => listOf(Array.from((self as PyWeakKeyDict).data.entries.values())),
        items: (self) =>
            it.list(
                Array.from((self as PyWeakKeyDict).data.entries)
                    .filter(([wr]) => wr.referent)
                    .map(([wr, value]) => it.tuple([it.incref(wr.referent!), it.incref(value)])),
            ),
    });
    nativeConstructors(it).set(wkd, (args, kwargs) => {
        arity(it, 'WeakKeyDictionary', args, 0, 1);
        const d = it.heap.register(new PyWeakKeyDict(wkd));
        removers.set(d, wkdRemove(d));
        d.internals = initWeakContainer(it, 'WeakKeyDictionary');
        if ((args[0] && args[0] !== it.None) || (kwargs && kwargs.size > 0)) {
            try {
                wkdUpdate(d, args[0] && args[0] !== it.None ? args[0] : it.None, kwargs);
            } catch (e) {
                it.decref(d);
                throw e;
            }
        }
        return d;
    });
    setModuleAttr(it, m, 'WeakKeyDictionary', wkd);

    // ---- WeakSet: `self.data`, a set of `ref(item, self._remove)` (weakrefKeys.ts)
    const wsRemove = (s: PyWeakSet) =>
        it.builtin('_remove', (_s, args) => inWeakContainerFrame(it, 'WeakSet.__init__.<locals>._remove', () => {
            const wr = args[0] as PyWeakref;
            if (s.data.delete(wr)) heap.release(s, wr, '(ref)');
            return it.None;
        }));
    /** `self.data.add(ref(item, self._remove))`: an equal stored item keeps its ref, the new one is dropped. */
    const wsAdd = (s: PyWeakSet, o: PyObject): void => {
        const { wr, h, found } = newKeyRef(s.data, s, o);
        if (found) {
            it.decref(wr);
            return;
        }
        heap.adopt(s, wr, '(ref)');
        s.data.insert(wr, h, null);
    };
    /** `self.data.discard(ref(item))`: the stored ref found (now dropped), or null; `fn` sees the probe first. */
    const wsDiscard = (s: PyWeakSet, o: PyObject, missing: ((probe: PyWeakref) => void) | null): void => {
        withProbe(s.data, o, (found, probe) => {
            if (!found) {
                if (missing) missing(probe);
                return;
            }
            s.data.delete(found);
            unlinkRef(found);
            heap.release(s, found, '(ref)');
        });
    };
    const wsUpdate = (s: PyWeakSet, other: PyObject): void =>
        forEachItem(it, other, (x) => {
            try {
                wsAdd(s, x);
            } finally {
                it.decref(x);
            }
        });
    const ws = nativeType(it, 'WeakSet', '_weakrefset', {
        add: (self, args) => {
            arity(it, 'add', args, 1, 1);
            refInLibrary(it, 'WeakSet.add', () => wsAdd(self as PyWeakSet, args[0]));
            return it.None;
        },
        discard: (self, args) => {
            arity(it, 'discard', args, 1, 1);
            wsDiscard(self as PyWeakSet, args[0], null);
            return it.None;
        },
        remove: (self, args) => {
            arity(it, 'remove', args, 1, 1);
            wsDiscard(self as PyWeakSet, args[0], (probe) => {
                throw lookupError(it, 'remove', probe, [self, args[0]]);
            });
            return it.None;
        },
        update: (self, args) => {
            arity(it, 'update', args, 1, 1);
            wsUpdate(self as PyWeakSet, args[0]);
            return it.None;
        },
        // `try: wr = ref(item) except TypeError: return False; return wr in self.data`.
        __contains__: (self, args) => {
            if (!canRef(it, args[0])) return it.False;
            return withProbe((self as PyWeakSet).data, args[0], (found) => it.bool(!!found));
        },
        __len__: (self) => inWeakContainerFrame(it, 'WeakSet.__len__', () => it.int((self as PyWeakSet).data.size)),
        __iter__: (self) => iterOver(it, listOf(liveReferents((self as PyWeakSet).data))),
    });
    nativeConstructors(it).set(ws, (args) => {
        arity(it, 'WeakSet', args, 0, 1);
        const s = it.heap.register(new PyWeakSet(ws));
        removers.set(s, wsRemove(s));
        s.internals = initWeakContainer(it, 'WeakSet');
        if (args[0] && args[0] !== it.None) {
            try {
                wsUpdate(s, args[0]);
            } catch (e) {
                it.decref(s);
                throw e;
            }
        }
        return s;
    });
    setModuleAttr(it, m, 'WeakSet', ws);
}

/** The referents of a weak table's live refs, in order. */
function liveReferents(data: WeakKeyTable<unknown>): PyObject[] {
    const out: PyObject[] = [];
    for (const wr of data.entries.keys()) if (wr.referent) out.push(wr.referent);
    return out;
}

/** Would `ref(o)` succeed? (`except TypeError: return False`; a refused built-in type still stops the run.) */
function canRef(it: Interpreter, o: PyObject): boolean {
    try {
        checkWeakrefable(it, o);
        return true;
    } catch (e) {
        if (e instanceof PyRaise && e.exc.type === it.T.TypeError) {
            dropRaise(it, e);
            return false;
        }
        throw e;
    }
}

/**
 * The KeyError `self.data` raises for `ref(key)` (the ref is its argument), with the entry of the
 * Lib/weakref.py or _weakrefset.py method it leaves, whose frame holds `self` and the key.
 */
function lookupError(it: Interpreter, method: 'getitem' | 'delitem' | 'pop' | 'remove', probe: PyWeakref, locals: PyObject[]): PyRaise {
    const r = new PyRaise(it.newException(it.T.KeyError, [probe]));
    const lines = weakKeyPyOf(it.profile);
    if (lines) {
        const src = WEAK_LOOKUP_SOURCE[method];
        const at = { file: method === 'remove' ? '<stdlib>/_weakrefset.py' : '<stdlib>/weakref.py', line: lines[method], name: src.name, source: src.source, carets: lines.carets?.[src.source] ?? null };
        pushStdlibEntryOnRaise(it, r, at, locals.map((o) => it.incref(o)));
    }
    return r;
}

const WEAK_LOOKUP_SOURCE = {
    getitem: { name: '__getitem__', source: 'return self.data[ref(key)]' },
    delitem: { name: '__delitem__', source: 'del self.data[ref(key)]' },
    pop: { name: 'pop', source: 'return self.data.pop(ref(key), *args)' },
    remove: { name: 'remove', source: 'self.data.remove(ref(item))' },
} as const;

/**
 * popitem of a weak dict: its dict's popitem (the last inserted entry) until one whose weak
 * reference is alive; `drop` takes an entry out (its weakref dies) and gives back the strong part.
 */
function popLive<K, E>(it: Interpreter, cls: string, args: PyObject[], data: { [Symbol.iterator](): Iterator<[K, E]>; delete(k: K): boolean }, ref: (k: K, e: E) => PyWeakref, drop: (k: K, e: E) => PyObject, pair: (referent: PyObject, held: PyObject) => PyObject[]): PyObject {
    arity(it, 'popitem', args, 0, 0);
    if (it.profile.major === 2) throw unsupportedAt(it, `${cls}.popitem on Python 2.7 (its dict gives the first entry in hash-table order)`);
    for (;;) {
        let last: [K, E] | null = null;
        for (const e of data) last = e;
        if (!last) throw new PyRaise(it.newException(it.T.KeyError, [it.str('popitem(): dictionary is empty')]));
        data.delete(last[0]);
        const referent = ref(last[0], last[1]).referent;
        const o = referent ? it.incref(referent) : null;
        const held = drop(last[0], last[1]);
        if (o) return it.tuple(pair(o, held));
        it.decref(held);
    }
}

function iterOver(it: Interpreter, list: PyObject): PyObject {
    const i = getIter(it, list);
    it.decref(list);
    return i;
}

// ------------------------------------------------------------------------------------------------
// finalize

/** Lib/weakref.py's frame `name` at its line in `exc`'s traceback (interp/stdlibFrames.ts). */
function weakrefEntry(it: Interpreter, exc: PyException, which: 'callLine' | 'exitfuncLine', name: string, source: string): void {
    const wp = weakrefPyOf(it.profile);
    if (!wp) return;
    pushStdlibEntry(it, exc, { file: '<stdlib>/weakref.py', line: wp[which], name, source, carets: wp.carets?.[source] ?? null });
}

/** The Python functions of Lib/weakref.py's finalize, as keys for their ≤3.10 zombie frames. */
const FIN_CODE = {
    init: { code: 'finalize.__init__' },
    call: { code: 'finalize.__call__' },
    detach: { code: 'finalize.detach' },
    peek: { code: 'finalize.peek' },
    alive: { code: 'finalize.alive' },
    atexitGet: { code: 'finalize.atexit (getter)' },
    atexitSet: { code: 'finalize.atexit (setter)' },
} as const;

interface FinalizeState {
    /** finalize._registry: a real dict {finalize: finalize._Info}. */
    registry: PyDict;
    registered: boolean;
    shutdown: boolean;
    dirty: boolean;
    nextIndex: number;
}

/**
 * A finalize object: `class finalize: __slots__ = ()`, no field of its own (its state is in the
 * registry's _Info), but a GC object all the same, as every instance of a heap type is (type_new
 * sets Py_TPFLAGS_HAVE_GC on them all).
 */
class PyFinalize extends PyInstance {
    atexitFlag = true;
    index = 0;
    override isGcType(): boolean {
        return true;
    }
    override traverse(_visit: Visit): void {}
    override clear(_r: Refs): void {}
    override releaseChildren(_r: Refs): void {}
}

/**
 * finalize._Info (`__slots__ = ("weakref", "func", "args", "kwargs", "atexit", "index")`): a GC
 * instance, its slots traversed, cleared and released in the sorted order type_new gives them
 * (args, func, kwargs, weakref; atexit and index hold no object the engine keeps).
 */
class PyFinalizeInfo extends PyObject {
    constructor(
        type: PyType,
        public weakref: PyWeakref | null,
        public func: PyObject | null,
        public args: PyTuple | null,
        public kwargs: PyObject | null,
    ) {
        super(type);
    }
    override isGcType(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.args) visit(this.args);
        if (this.func) visit(this.func);
        if (this.kwargs) visit(this.kwargs);
        if (this.weakref) visit(this.weakref);
    }
    override clear(r: Refs): void {
        const { args, func, kwargs, weakref } = this;
        this.args = this.func = this.kwargs = this.weakref = null;
        r.release(this, args, 'args');
        r.release(this, func, 'func');
        r.release(this, kwargs, 'kwargs');
        r.release(this, weakref, 'weakref');
    }
}

function createFinalize(it: Interpreter, m: PyModule): void {
    const registry = it.dict();
    const st: FinalizeState = { registry, registered: false, shutdown: false, dirty: false, nextIndex: 0 };
    setModuleAttr(it, m, '_finalize_registry', registry);
    const infoType = nativeType(it, '_Info', 'weakref', {});
    infoType.qualname = 'finalize._Info';
    const info = (f: PyObject): PyFinalizeInfo | null => registry.get(f) as PyFinalizeInfo | null;
    /** `self._registry.pop(self, None)`: the _Info, now the caller's reference. */
    const pop = (f: PyObject): PyFinalizeInfo | null => {
        const e = registry.pop(f);
        if (!e) return null;
        it.decref(e.k);
        it.heap.forget(registry, e.v, registry.labelFor(e.k));
        return e.v as PyFinalizeInfo;
    };
    /** `(obj, info.func, info.args, info.kwargs or {})` while the referent lives (detach, peek). */
    const liveTuple = (inf: PyFinalizeInfo): PyObject | null => {
        const obj = inf.weakref?.referent;
        if (!obj) return null;
        return it.tuple([it.incref(obj), it.incref(inf.func!), it.incref(inf.args!), inf.kwargs === it.None ? it.dict() : it.incref(inf.kwargs!)]);
    };
    /**
     * __call__: `info = self._registry.pop(self, None)`, then, unless shut down,
     * `info.func(*info.args, **(info.kwargs or {}))`; the _Info dies with the frame's locals.
     */
    const callIt = (f: PyObject): PyObject =>
        inLibraryFrame(it, FIN_CODE.call, () => {
            const inf = pop(f);
            if (!inf) return it.None;
            try {
                if (st.shutdown) return it.None;
                const kw = inf.kwargs instanceof PyDict ? inf.kwargs : null;
                const kwargs = kw ? new Map(Array.from(kw.entries(), (e) => [(e.k as unknown as { v: string }).v, e.v])) : null;
                // 3.9+ `**x` in a call: BUILD_MAP, then DICT_MERGE of x (`{}` made for a None
                // kwargs, freed by the merge); 3.8 passes x itself (`{}` when None).
                const merged = it.profile.minor >= 9;
                if (merged) it.heap.allocInternal(FreeKind.Dict);
                if (!kw) it.heap.allocInternal(FreeKind.Dict);
                if (!kw && merged) it.heap.freeInternal(FreeKind.Dict);
                try {
                    return withKwnames(it, kwargs?.size ?? 0, () => call(it, inf.func!, inf.args!.items.slice(), kwargs));
                } catch (e) {
                    // The exception passes through __call__'s frame (Lib/weakref.py).
                    if (e instanceof PyRaise) weakrefEntry(it, e.exc, 'callLine', '__call__', 'return info.func(*info.args, **(info.kwargs or {}))');
                    throw e;
                } finally {
                    if (merged || !kw) it.heap.freeInternal(FreeKind.Dict);
                }
            } finally {
                it.decref(inf);
            }
        });
    const exitfunc = it.builtin('_exitfunc', () => {
        let reenable = false;
        try {
            if (registry.size) {
                const gcm = importModule(it, 'gc', { line: it.line, col: it.col } as never);
                it.decref(gcm);
                if (it.heap.enabled) {
                    reenable = true;
                    it.heap.enabled = false;
                }
                let pending: PyObject[] | null = null;
                for (;;) {
                    if (pending === null || st.dirty) {
                        const L = Array.from(registry.entries())
                            .map((e) => e.k as PyFinalize)
                            .filter((f) => f.atexitFlag)
                            .sort((a, b) => a.index - b.index);
                        pending = L;
                        st.dirty = false;
                    }
                    if (!pending.length) break;
                    const f = pending.pop()!;
                    it.incref(f);
                    try {
                        it.decref(callIt(f));
                    } catch (e) {
                        if (!(e instanceof PyRaise)) throw e;
                        // `except Exception: sys.excepthook(*sys.exc_info())`, from _exitfunc's `f()`.
                        weakrefEntry(it, e.exc, 'exitfuncLine', '_exitfunc', 'f()');
                        it.stderr.write(formatException(it, e.exc, undefined, null, '', 'excepthook'));
                        it.decref(e.exc);
                    } finally {
                        it.decref(f);
                    }
                }
            }
        } finally {
            st.shutdown = true;
            if (reenable) it.heap.enabled = true;
        }
        return it.None;
    });
    const fin = nativeType(
        it,
        'finalize',
        'weakref',
        {
            // `f()`: _PyObject_MakeTpCall with no argument (the empty tuple); slot_tp_call runs __call__.
            __call__: (self, args) => {
                arity(it, '__call__', args, 0, 1);
                return callIt(self);
            },
            detach: (self) =>
                inLibraryFrame(it, FIN_CODE.detach, () => {
                    const inf = info(self);
                    if (!inf) return it.None;
                    const t = liveTuple(inf);
                    if (!t) return it.None;
                    const popped = pop(self);
                    if (popped) it.decref(popped);
                    return t;
                }),
            // `<finalize object at 0x…; dead>`, or `; for 'A' at 0x…>` while the referent lives.
            __repr__: (self) => {
                const obj = info(self)?.weakref?.referent ?? null;
                const head = `<${self.type.name} object at ${addr(self)}`;
                return it.str(obj ? `${head}; for '${obj.type.name}' at ${addr(obj)}>` : `${head}; dead>`);
            },
            peek: (self) =>
                inLibraryFrame(it, FIN_CODE.peek, () => {
                    const inf = info(self);
                    if (!inf) return it.None;
                    return liveTuple(inf) ?? it.None;
                }),
        },
        {
            alive: [(self) => inLibraryFrame(it, FIN_CODE.alive, () => it.bool(registry.get(self) !== null))],
            atexit: [
                (self) => inLibraryFrame(it, FIN_CODE.atexitGet, () => it.bool(registry.get(self) !== null && (self as PyFinalize).atexitFlag)),
                (self, v) =>
                    inLibraryFrame(it, FIN_CODE.atexitSet, () => {
                        if (registry.get(self)) (self as PyFinalize).atexitFlag = v !== it.False && v !== it.None && !(v === it.int(0));
                    }),
            ],
        },
    );
    /**
     * finalize.__init__(self, obj, func, /, *args, **kwargs), with what it allocates: the **kwargs
     * dict (always; freed with the frame when empty: `info.kwargs = kwargs or None`), the *args
     * tuple, on the first call the bound `self._exitfunc` atexit keeps, the _Info, and
     * `ref(obj, self)` (through _PyObject_MakeTpCall: a 2-tuple for the call).
     */
    const init = (f: PyFinalize, args: PyObject[], kwargs: KwArgs): void => {
        const nkw = kwargs?.size ?? 0;
        let kw: PyDict | null = it.dict();
        for (const [k, v] of kwargs ?? []) kw.set(it.heap, it.str(k), v);
        let fargs: PyTuple;
        const extra = (): PyTuple => tupleOf(it, args.slice(2).map((a) => it.incref(a)));
        if (it.profile.stdlib.finalizeInitUnpacksArgs) {
            // `(*args, **kwargs)`: the *args tuple holds self too; `self, obj, func, *args = args`
            // (UNPACK_EX: a tuple iterator, the rest as a list), then `args = tuple(args)`.
            allocTuple(it, args.length + 1);
            it.heap.allocInternal();
            it.heap.allocInternal(FreeKind.List);
            it.heap.freeInternal();
            freeTuple(it, args.length + 1);
            fargs = viaTpCall(it, 1, 0, extra);
            it.heap.freeInternal(FreeKind.List);
        } else fargs = extra();
        try {
            if (!st.registered) {
                const am = importModule(it, 'atexit', { line: it.line, col: it.col } as never);
                it.decref(am);
                // atexit.register(self._exitfunc): the bound classmethod, kept by atexit, and the
                // METH_VARARGS call's 1-tuple.
                it.heap.allocInternal(FreeKind.Method);
                allocTuple(it, 1);
                registerExitFunc(it, exitfunc, [], null);
                freeTuple(it, 1);
                st.registered = true;
            }
            const inf = it.heap.register(new PyFinalizeInfo(infoType, null, null, null, null));
            try {
                inf.weakref = viaTpCall(it, 2, 0, () => newRef(it, args[0], f, true));
            } catch (e) {
                it.decref(inf);
                throw e;
            }
            it.heap.adopt(inf, inf.weakref, 'weakref');
            inf.func = it.incref(args[1]);
            it.heap.adopt(inf, inf.func, 'func');
            inf.args = fargs;
            it.heap.adopt(inf, fargs, 'args');
            inf.kwargs = nkw ? kw : it.None;
            if (nkw) it.heap.adopt(inf, kw, 'kwargs');
            else it.decref(kw);
            kw = null;
            f.index = st.nextIndex++;
            registry.set(it.heap, f, inf);
            it.decref(inf);
            st.dirty = true;
        } catch (e) {
            // ref(obj, self) refused obj: the frame's locals go (kwargs, then args).
            if (kw) it.decref(kw);
            it.decref(fargs);
            throw e;
        }
    };
    nativeConstructors(it).set(fin, (args, kwargs) => {
        const nkw = kwargs?.size ?? 0;
        return viaTpCall(it, args.length, nkw, () => {
            const f = it.heap.register(new PyFinalize(fin));
            try {
                // slot_tp_init: __init__ called with self prepended (keywords as kwnames).
                withKwnames(it, nkw, () =>
                    inLibraryFrame(it, FIN_CODE.init, () => {
                        if (args.length < 2) throw it.error('TypeError', `finalize.__init__() missing required positional argument`);
                        init(f, args, kwargs);
                    }),
                );
            } catch (e) {
                it.decref(f);
                throw e;
            }
            return f;
        });
    });
    setModuleAttr(it, m, 'finalize', fin);
}

// ------------------------------------------------------------------------------------------------
// the module

/**
 * A built-in type is weakly referenced by the interpreter itself before the program starts (abc's
 * registries hold `dict`, `list`… in WeakSets, the type cache its subclasses), a count that depends
 * on what start-up imported: the engine does not model those, so it refuses rather than undercount.
 */
function refuseInterpreterRefs(it: Interpreter, o: PyObject, fn: string): void {
    if (o.flags & ObjFlag.Atomic && o instanceof PyType) throw unsupportedAt(it, `weakref.${fn} of a built-in type (the interpreter's own weak references to it)`);
}

export function createWeakrefModule(it: Interpreter): PyModule {
    const m = it.newModule('weakref');
    const types = createWeakTypes(it);
    setModuleAttr(it, m, 'ref', types.ref);
    setModuleAttr(it, m, 'ReferenceType', types.ref);
    setModuleAttr(it, m, 'ProxyType', types.proxy);
    setModuleAttr(it, m, 'CallableProxyType', types.callableProxy);
    // `proxy(o[, callback])`: ≤3.10 a METH_VARARGS built-in, its arguments packed in a tuple.
    defineFn(it, m, 'proxy', (args) =>
        viaTpCall(it, it.profile.weakrefProxyPacksArguments ? args.length : 0, 0, () => {
            arity(it, 'proxy', args, 1, 2);
            return newProxy(it, args[0], args[1] && args[1] !== it.None ? args[1] : null);
        }),
    );
    defineFn(it, m, 'getweakrefcount', (args) => {
        arity(it, 'getweakrefcount', args, 1, 1);
        refuseInterpreterRefs(it, args[0], 'getweakrefcount');
        return it.int(args[0].weakrefs?.length ?? 0);
    });
    defineFn(it, m, 'getweakrefs', (args) => {
        arity(it, 'getweakrefs', args, 1, 1);
        refuseInterpreterRefs(it, args[0], 'getweakrefs');
        return it.list((args[0].weakrefs ?? []).map((w) => it.incref(w)));
    });
    createWeakContainers(it, m);
    if (it.profile.major === 3) createFinalize(it, m);
    if (it.profile.major === 3) installWeakMethod(it, m, types.ref, nativeConstructors(it));
    void repr;
    return m;
}
