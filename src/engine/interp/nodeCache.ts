/*
 * nodeCache.ts
 *
 * Small caches for values the interpreter would otherwise look up in a Map on every evaluation
 * (interned name strings, where a name was found in its dicts), kept on AST nodes or by the
 * closures compiled for them (eval.ts, exec.ts; name resolutions are cached the same way in
 * code.ts). A property read is much cheaper than a Map lookup keyed by a string or an object, and
 * these lookups happen for nearly every statement.
 *
 * Every cached value is exactly what the lookup it replaces returns, and is filled at the moment
 * that lookup first runs (never earlier), so object ids are handed out in the same order as
 * before. Entries that depend on the interpreter remember which one they are for and are ignored
 * (recomputed) for any other.
 *
 * There is one accessor per node kind (rather than one shared helper) so that each property
 * access site only ever sees nodes of one kind and stays monomorphic.
 */

import type * as ast from '../parser/ast';
import type { Interpreter } from './interpreter';
import type { PyStr } from '../runtime/values';
import type { PyObject } from '../runtime/object';
import type { PyDict, DictEntry } from '../runtime/containers';

/** Strings up to this length are interned by `Interpreter.str` (one object per value for the whole run). */
export const STR_INTERN_MAX = 20;

/** A node that can remember the interned str of its one name (attribute name, stored name, str constant). */
interface StrHolder {
    strIt?: Interpreter | null;
    strObj?: PyStr | null;
}

/** The slow path of the accessors below: intern, and remember what `it.str` interns. */
function remember(it: Interpreter, h: StrHolder, value: string): PyStr {
    const v = it.str(value);
    if (value.length <= STR_INTERN_MAX) {
        h.strIt = it;
        h.strObj = v;
    }
    return v;
}

/**
 * `it.str(attr)` for an Attribute node, remembered on the node. Only strings `it.str` interns
 * (≤ STR_INTERN_MAX characters) are remembered: a longer one is a new object (with a new id) on
 * every call, and still is.
 */
export function attrNameStr(it: Interpreter, node: ast.Attribute): PyStr {
    const h = node as StrHolder;
    return h.strIt === it ? h.strObj! : remember(it, h, node.attr);
}

/**
 * A str constant's compiled closure: `it.str(value)`, remembering what `it.str` interns (see
 * attrNameStr) for the interpreter that last evaluated it.
 */
export function strConstFn(value: string): (it: Interpreter) => PyStr {
    let sIt: Interpreter | null = null;
    let sObj: PyStr | null = null;
    return (it) => {
        if (sIt === it) return sObj!;
        const v = it.str(value);
        if (value.length <= STR_INTERN_MAX) {
            sIt = it;
            sObj = v;
        }
        return v;
    };
}

/**
 * What a compiled Name load or store remembers: where its dict lookups last found the name
 * (LOAD_NAME / LOAD_GLOBAL) and which entry its dict store last overwrote (STORE_NAME /
 * STORE_GLOBAL), in the manner of CPython's LOAD_GLOBAL inline cache: a dict's `version` changes
 * on every insertion and deletion (not on an overwrite, which updates the entry in place), so
 * while the dicts are the same objects with the same versions, each holds the same `DictEntry`
 * objects for the same keys and lookups would find exactly what they found before. Dicts belong
 * to one interpreter; the owner is checked too. Also the name's interned str (see attrNameStr).
 */
export class NameDictCache {
    /** Load: the interpreter, the dicts searched (locals dict or null, globals, builtins), their versions. */
    it: Interpreter | null = null;
    l: PyDict | null = null;
    g: PyDict | null = null;
    b: PyDict | null = null;
    lv = 0;
    gv = 0;
    bv = 0;
    /** Load: the dict the name was found in (0 locals dict, 1 globals, 2 builtins) and its entry. */
    depth = 0;
    e: DictEntry | null = null;
    /** Store: the interpreter, the dict stored to, its version and the name's entry in it. */
    sIt: Interpreter | null = null;
    sd: PyDict | null = null;
    sv = 0;
    se: DictEntry | null = null;
    /** `it.str(id)` as last interned, and for which interpreter. */
    strIt: Interpreter | null = null;
    strObj: PyStr | null = null;

    constructor(readonly id: string) {}
}

/** `it.str(c.id)`, remembered (see attrNameStr). */
export function nameStr(it: Interpreter, c: NameDictCache): PyStr {
    return c.strIt === it ? c.strObj! : remember(it, c, c.id);
}

/**
 * `l?.getStr(id) ?? g.getStr(id) ?? b.getStr(id)` for a Name (`l`: the frame's locals dict, or
 * null to skip it), remembered in `c`. The dicts after the one the name was found in were not
 * searched, so their versions do not matter.
 */
export function loadNameDicts(it: Interpreter, c: NameDictCache, l: PyDict | null, g: PyDict, b: PyDict): PyObject | null {
    if (c.it === it && c.l === l && c.g === g && c.b === b) {
        if (c.depth === 0) {
            if (l!.version === c.lv) return c.e!.v;
        } else if ((l === null || l.version === c.lv) && g.version === c.gv && (c.depth === 1 || b.version === c.bv)) {
            return c.e!.v;
        }
    }
    const id = c.id;
    let depth = 0;
    let e = l !== null ? l.map.get(id) : undefined;
    if (e === undefined) {
        depth = 1;
        e = g.map.get(id);
        if (e === undefined) {
            depth = 2;
            e = b.map.get(id);
            if (e === undefined) return null;
        }
    }
    c.it = it;
    c.l = l;
    c.g = g;
    c.b = b;
    c.lv = l !== null ? l.version : 0;
    c.gv = g.version;
    c.bv = b.version;
    c.depth = depth;
    c.e = e;
    return e.v;
}

/**
 * `d.set(it.heap, key, v)` for a Name's store (`key`: the name as a str), with the name's entry
 * remembered in `c`: while `d` keeps its version, the store is an overwrite of that entry
 * (`PyDict.replace`, what `set` does for a key present).
 */
export function storeNameDict(it: Interpreter, c: NameDictCache, d: PyDict, key: PyStr, v: PyObject): void {
    if (c.sIt === it && c.sd === d && c.sv === d.version) {
        d.replace(it.heap, c.se!, v);
        return;
    }
    d.set(it.heap, key, v);
    // Whatever the store set off (a finalizer may have changed the dict), this is the entry now.
    const e = d.map.get(c.id);
    if (e === undefined) return;
    c.sIt = it;
    c.sd = d;
    c.sv = d.version;
    c.se = e;
}
