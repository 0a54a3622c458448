/*
 * framelocalsproxy.ts
 *
 * 3.13's `frame.f_locals` of a function's frame (PEP 667, Objects/frameobject.c framelocalsproxy):
 * each read makes a new GC-tracked FrameLocalsProxy holding one reference to the frame object, and
 * every operation reads the frame's variables as they are now (no snapshot kept by the frame, as
 * ≤3.12's f_locals dict is). Names come in localsplus order (locals and arguments, then cells,
 * then free variables), unbound ones left out, a cell or free variable by its content.
 *   - `[]`, `in`, `get`, `len`, `bool` read the variables; a missing name raises
 *     KeyError("local variable ''name'' is not defined"): CPython's format is "'%R'".
 *   - `keys()`, `values()` and `items()` are new lists (of names, values, (name, value) tuples);
 *     iteration goes over the keys list; `copy()` and `repr()` go through a new dict; `==` against a
 *     dict compares that dict, against another proxy whether both show the same frame.
 *   - Unhashable. Writing a variable (`p['x'] = 1`, which writes through to the frame) and
 *     the extra names a write can add are not modelled: assignment and deletion are refused.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyFrameObject } from '../runtime/frames';
import type { PyType } from '../runtime/types';
import { PyDict } from '../runtime/containers';
import { PyExtObject } from '../runtime/extobject';
import { PyStr } from '../runtime/values';
import type { Interpreter } from './interpreter';
import { repr } from './format';
import { equals, getIter } from './ops';
import { frameVariables } from './frameobject';
import { unsupportedAt } from '../names/refuse';
import { stdType } from '../modules/stdTypes';
import { arity } from '../builtins/args';

export class PyFrameLocalsProxy extends PyExtObject {
    constructor(
        type: PyType,
        readonly frame: PyFrameObject,
    ) {
        super(type);
    }
    override get hashNotImplemented(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        visit(this.frame);
    }
    override clear(r: Refs): void {
        this.releaseChildren(r);
    }
    /** framelocalsproxy_dealloc. */
    override releaseChildren(r: Refs): void {
        r.release(this, this.frame, 'frame');
    }
}

/** The frame's bound variables in localsplus order: [name, value (borrowed)]. */
function boundVariables(it: Interpreter, p: PyFrameLocalsProxy): [string, PyObject][] {
    return frameVariables(it, p.frame).filter((e): e is [string, PyObject] => e[1] !== null);
}

/** The value bound to `key` in the frame (borrowed), or null. */
function lookup(it: Interpreter, p: PyFrameLocalsProxy, key: PyObject): PyObject | null {
    if (!(key instanceof PyStr)) return null;
    return frameVariables(it, p.frame).find(([name]) => name === key.v)?.[1] ?? null;
}

/** framelocalsproxy_getitem: a new reference, or KeyError. */
function getItem(it: Interpreter, p: PyFrameLocalsProxy, key: PyObject): PyObject {
    const v = lookup(it, p, key);
    if (v === null) throw it.error('KeyError', `local variable '${repr(it, key)}' is not defined`);
    return it.incref(v);
}

/** framelocalsproxy_to_dict (copy(), repr, `==`): a new dict of the bound variables. */
export function frameLocalsDict(it: Interpreter, p: PyFrameLocalsProxy): PyDict {
    const d = it.dict();
    for (const [name, v] of boundVariables(it, p)) {
        const k = it.str(name);
        d.set(it.heap, k, v);
        it.decref(k);
    }
    return d;
}

/** framelocalsproxy_richcompare's `==`: the same frame, or (against a dict) a new dict of the variables compared. */
export function frameLocalsEquals(it: Interpreter, a: PyObject, b: PyObject): boolean {
    if (a instanceof PyFrameLocalsProxy && b instanceof PyFrameLocalsProxy) return a.frame === b.frame;
    const p = (a instanceof PyFrameLocalsProxy ? a : b) as PyFrameLocalsProxy;
    const other = p === a ? b : a;
    if (!(other instanceof PyDict)) return false;
    const d = frameLocalsDict(it, p);
    try {
        return equals(it, d, other);
    } finally {
        it.decref(d);
    }
}

function keysList(it: Interpreter, p: PyFrameLocalsProxy): PyObject {
    return it.list(boundVariables(it, p).map(([name]) => it.str(name)));
}

/** `frame.f_locals` of a function's frame on 3.13: a new proxy (new reference). */
export function newFrameLocalsProxy(it: Interpreter, fo: PyFrameObject): PyObject {
    const p = it.heap.register(new PyFrameLocalsProxy(frameLocalsProxyType(it), fo));
    it.heap.acquire(p, fo, 'frame');
    return p;
}

function frameLocalsProxyType(it: Interpreter): PyType {
    const cached = it.moduleState.get('framelocalsproxy.type') as PyType | undefined;
    if (cached) return cached;
    const self = (o: PyObject): PyFrameLocalsProxy => o as PyFrameLocalsProxy;
    const t = stdType(it, {
        name: 'FrameLocalsProxy',
        module: 'builtins',
        methods: {
            keys: (o, args) => {
                arity(it, 'keys', args, 0, 0);
                return keysList(it, self(o));
            },
            values: (o, args) => {
                arity(it, 'values', args, 0, 0);
                return it.list(boundVariables(it, self(o)).map(([, v]) => it.incref(v)));
            },
            items: (o, args) => {
                arity(it, 'items', args, 0, 0);
                return it.list(boundVariables(it, self(o)).map(([name, v]) => it.tuple([it.str(name), it.incref(v)])));
            },
            get: (o, args) => {
                arity(it, 'get', args, 1, 2);
                const v = lookup(it, self(o), args[0]);
                return it.incref(v ?? args[1] ?? it.None);
            },
            copy: (o, args) => {
                arity(it, 'copy', args, 0, 0);
                return frameLocalsDict(it, self(o));
            },
            __getitem__: (o, args) => {
                arity(it, '__getitem__', args, 1, 1);
                return getItem(it, self(o), args[0]);
            },
            __contains__: (o, args) => {
                arity(it, '__contains__', args, 1, 1);
                return it.bool(lookup(it, self(o), args[0]) !== null);
            },
            __len__: (o) => it.int(boundVariables(it, self(o)).length),
            __iter__: (o) => proxyIter(it, self(o)),
        },
        repr: (o, seen) => {
            if (seen.has(o)) return '{...}';
            seen.add(o);
            const d = frameLocalsDict(it, self(o));
            try {
                return repr(it, d, seen);
            } finally {
                it.decref(d);
                seen.delete(o);
            }
        },
    });
    t.tpName = 'FrameLocalsProxy';
    t.extSlots = {
        length: (o) => boundVariables(it, self(o)).length,
        getItem: (o, key) => getItem(it, self(o), key),
        setItem: () => {
            throw unsupportedAt(it, "writing or deleting a variable through 3.13's FrameLocalsProxy");
        },
        contains: (o, key) => lookup(it, self(o), key) !== null,
        iter: (o) => proxyIter(it, self(o)),
    };
    it.moduleState.set('framelocalsproxy.type', t);
    return t;
}

/** framelocalsproxy_iter: an iterator over a new list of the names. */
function proxyIter(it: Interpreter, p: PyFrameLocalsProxy): PyObject {
    const keys = keysList(it, p);
    try {
        return getIter(it, keys);
    } finally {
        it.decref(keys);
    }
}

