/*
 * copy.ts
 *
 * The `copy` module (Lib/copy.py, pure Python), for the objects the engine models:
 *   - copy(x): list/dict/set by their copy(); the immutable types (and classes, functions) are
 *     returned as they are; a class's `__copy__` is called; an instance of a plain class is
 *     reconstructed (`cls.__new__(cls)`, then its `__dict__` updated with the original's).
 *   - deepcopy(x, memo=None): the memo dict maps id(original) -> copy (a list, dict or instance is
 *     entered before its contents are copied, so cycles come out as cycles), and keeps every
 *     original it copied alive in a list at memo[id(memo)] (`_keep_alive`) until the memo dies:
 *     with deepcopy's own memo, when the call returns. A tuple is copied only when an item's copy
 *     differs; `__deepcopy__(memo)` is called when the object has one; an instance is
 *     reconstructed with a deep copy of its `__dict__` (which the memo also keeps).
 * Everything else (subclasses of built-in types, `__slots__`, `__reduce__`, `__getstate__`…)
 * stops the run: copyreg's protocols are not modelled.
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyList, PyTuple, PyDict, PySet } from '../runtime/containers';
import { PyInstance } from '../runtime/instances';
import { PyStr } from '../runtime/values';
import { PyFunction, PyBuiltin, PyMethod, PyProperty } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { getAttr, lookupAttr, setAttr } from '../interp/attrs';
import { unsupportedAt } from '../names/refuse';
import { arity } from '../builtins/args';
import { defineFn } from '../builtins/modules';

/** The layouts copy.py treats as immutable (`_copy_immutable`, `_deepcopy_atomic`). */
const ATOMIC = new Set(['none', 'int', 'bool', 'float', 'complex', 'str', 'bytes', 'ellipsis', 'notimplemented', 'code', 'type', 'range', 'function', 'builtin', 'property']);

function isAtomic(it: Interpreter, x: PyObject): boolean {
    if (x instanceof PyType || x instanceof PyFunction || x instanceof PyBuiltin || x instanceof PyProperty) return true;
    return !x.type.isHeap && ATOMIC.has(x.type.layout) && x.type === exactBuiltin(it, x.type);
}

/** The built-in type itself (not a subclass). */
function exactBuiltin(it: Interpreter, t: PyType): PyType {
    return t.isHeap ? it.T.object : t;
}

/** A plain class's instance: what object.__reduce_ex__(4) reconstructs from its `__dict__`. */
function isPlainInstance(x: PyObject): x is PyInstance {
    return x instanceof PyInstance && x.type.isHeap && x.type.builtinBase === null && !x.type.slotNames?.length;
}

function refuse(it: Interpreter, fn: string, x: PyObject): never {
    throw unsupportedAt(it, `copy.${fn} of a '${x.type.name}' object (copyreg's reduce protocol is not modelled)`);
}

/** `cls.__new__(cls)` (copyreg.__newobj__). */
function newEmpty(it: Interpreter, cls: PyType): PyObject {
    const newFn = getAttr(it, cls, '__new__');
    try {
        return call(it, newFn, [cls], null);
    } finally {
        it.decref(newFn);
    }
}

/** `y.__dict__.update(state)`. */
function updateDict(it: Interpreter, y: PyObject, state: PyObject): void {
    if (!(state instanceof PyDict)) return;
    for (const e of [...state.entries()]) {
        if (!(e.k instanceof PyStr)) throw unsupportedAt(it, 'copy of an instance __dict__ with a key that is not a str');
        setAttr(it, y, e.k.v, e.v);
    }
}

/** copy.copy(x): a new reference. */
function shallow(it: Interpreter, x: PyObject): PyObject {
    const t = x.type;
    // list.copy (2.7: x[:]), dict.copy, set.copy.
    if (x instanceof PyList && t === it.T.list) return it.list(x.items.map((v) => it.incref(v)));
    if (!t.isHeap && (x instanceof PyDict || x instanceof PySet) && t === exactBuiltin(it, t)) {
        const m = getAttr(it, x, 'copy');
        try {
            return call(it, m, [], null);
        } finally {
            it.decref(m);
        }
    }
    if (isAtomic(it, x) || (x instanceof PyTuple && t === it.T.tuple) || x.type.layout === 'frozenset' && !t.isHeap) return it.incref(x);
    const copier = t.isHeap ? lookupAttr(it, t, '__copy__') : null;
    if (copier) {
        try {
            return call(it, copier, [x], null);
        } finally {
            it.decref(copier);
        }
    }
    if (!isPlainInstance(x)) refuse(it, 'copy', x);
    const y = newEmpty(it, t);
    // object.__reduce_ex__(4)'s state: the instance's __dict__ (read: materialized), None when empty.
    const state = getAttr(it, x, '__dict__');
    try {
        updateDict(it, y, state);
    } finally {
        it.decref(state);
    }
    return y;
}

class Deep {
    constructor(
        readonly it: Interpreter,
        readonly memo: PyDict,
    ) {}

    private idOf(x: PyObject): PyObject {
        const idFn = this.it.builtinsDict.getStr('id')!;
        return call(this.it, idFn, [x], null);
    }

    private memoGet(x: PyObject): PyObject | null {
        const k = this.idOf(x);
        try {
            const v = this.memo.get(k);
            return v ? this.it.incref(v) : null;
        } finally {
            this.it.decref(k);
        }
    }

    private memoSet(x: PyObject, y: PyObject): void {
        const k = this.idOf(x);
        this.memo.set(this.it.heap, k, y);
        this.it.decref(k);
    }

    /** _keep_alive: memo[id(memo)] is a list of every original copied. */
    private keepAlive(x: PyObject): void {
        const it = this.it;
        const k = this.idOf(this.memo);
        try {
            const l = this.memo.get(k);
            if (l instanceof PyList) {
                l.items.push(it.incref(x));
                it.heap.adopt(l, x, `[${l.items.length - 1}]`);
            } else {
                const nl = it.list([it.incref(x)]);
                this.memo.set(it.heap, k, nl);
                it.decref(nl);
            }
        } finally {
            it.decref(k);
        }
    }

    /** deepcopy(x, memo): a new reference. */
    copy(x: PyObject): PyObject {
        const it = this.it;
        const found = this.memoGet(x);
        if (found) return found;
        const t = x.type;
        let y: PyObject;
        if (isAtomic(it, x)) y = it.incref(x);
        else if (x instanceof PyList && t === it.T.list) {
            y = it.list([]);
            this.memoSet(x, y);
            for (const a of [...x.items]) {
                const c = this.copy(a);
                (y as PyList).items.push(c);
                it.heap.adopt(y, c, `[${(y as PyList).items.length - 1}]`);
            }
        } else if (x instanceof PyTuple && t === it.T.tuple) {
            const items = x.items.map((a) => this.copy(a));
            const again = this.memoGet(x);
            if (again) {
                for (const c of items) it.decref(c);
                return again;
            }
            if (items.every((c, i) => c === x.items[i])) {
                for (const c of items) it.decref(c);
                y = it.incref(x);
            } else y = it.tuple(items);
        } else if (x instanceof PyDict && t === it.T.dict) {
            const d = it.dict();
            y = d;
            this.memoSet(x, y);
            for (const e of [...x.entries()]) {
                const k = this.copy(e.k);
                const v = this.copy(e.v);
                d.set(it.heap, k, v);
                it.decref(k);
                it.decref(v);
            }
        } else if (x instanceof PyMethod && x.func && x.self) {
            const self = this.copy(x.self);
            try {
                y = call(it, t, [x.func, self], null);
            } finally {
                it.decref(self);
            }
        } else {
            const copier = lookupAttr(it, x, '__deepcopy__');
            if (copier) {
                try {
                    y = call(it, copier, [this.memo], null);
                } finally {
                    it.decref(copier);
                }
            } else {
                if (!isPlainInstance(x)) refuse(it, 'deepcopy', x);
                // _reconstruct(x, memo, copyreg.__newobj__, (cls,), state)
                y = newEmpty(it, t);
                this.memoSet(x, y);
                const state = getAttr(it, x, '__dict__');
                if (state instanceof PyDict && state.size) {
                    try {
                        const copied = this.copy(state);
                        try {
                            updateDict(it, y, copied);
                        } finally {
                            it.decref(copied);
                        }
                    } finally {
                        it.decref(state);
                    }
                } else it.decref(state);
            }
        }
        if (y !== x) {
            this.memoSet(x, y);
            this.keepAlive(x);
        }
        return y;
    }
}

export function createCopyModule(it: Interpreter): PyModule {
    const m = it.newModule('copy');
    defineFn(it, m, 'copy', (args) => {
        arity(it, 'copy', args, 1, 1);
        return shallow(it, args[0]);
    });
    defineFn(it, m, 'deepcopy', (args, kwargs) => {
        arity(it, 'deepcopy', args, 1, 2);
        const given = args[1] ?? kwargs?.get('memo') ?? it.None;
        if (given !== it.None && !(given instanceof PyDict)) throw unsupportedAt(it, `copy.deepcopy with a memo that is a '${given.type.name}'`);
        const memo = given === it.None ? it.dict() : (it.incref(given) as PyDict);
        try {
            return new Deep(it, memo).copy(args[0]);
        } finally {
            it.decref(memo);
        }
    });
    return m;
}
