/*
 * nodeCache.ts
 *
 * Small caches kept on AST nodes themselves, for values the interpreter would otherwise look up
 * in a Map on every evaluation (interned name strings, converted int constants; name resolutions
 * are cached the same way in code.ts). A property read on the node is much cheaper than a Map
 * lookup keyed by a string or an object, and these lookups happen for nearly every statement.
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

/** Strings up to this length are interned by `Interpreter.str` (one object per value for the whole run). */
export const STR_INTERN_MAX = 20;

/** A node that can remember the interned str of its one name (attribute name, stored name, str constant). */
interface StrHolder {
    strIt?: Interpreter;
    strObj?: PyStr;
}

/**
 * `it.str(attr)` for an Attribute node, remembered on the node. Only strings `it.str` interns
 * (≤ STR_INTERN_MAX characters) are remembered: a longer one is a new object (with a new id) on
 * every call, and still is.
 */
export function attrNameStr(it: Interpreter, node: ast.Attribute): PyStr {
    const h = node as StrHolder;
    if (h.strIt === it) return h.strObj!;
    const v = it.str(node.attr);
    if (node.attr.length <= STR_INTERN_MAX) {
        h.strIt = it;
        h.strObj = v;
    }
    return v;
}

/** `it.str(id)` for a Name node (see attrNameStr). */
export function nameStr(it: Interpreter, node: ast.Name): PyStr {
    const h = node as StrHolder;
    if (h.strIt === it) return h.strObj!;
    const v = it.str(node.id);
    if (node.id.length <= STR_INTERN_MAX) {
        h.strIt = it;
        h.strObj = v;
    }
    return v;
}

/** `it.str(value)` for a str Constant node (see attrNameStr). */
export function constStr(it: Interpreter, node: ast.Constant, value: string): PyStr {
    const h = node as StrHolder;
    if (h.strIt === it) return h.strObj!;
    const v = it.str(value);
    if (value.length <= STR_INTERN_MAX) {
        h.strIt = it;
        h.strObj = v;
    }
    return v;
}
