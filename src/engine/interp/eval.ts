/*
 * eval.ts
 *
 * Expression evaluation, following the bytecode CPython emits for each node: operands are
 * evaluated left to right onto the value stack, the operation runs, then its inputs are released
 * (BINARY_OP: left then right; LOAD_ATTR: the owner; CALL: per profile, see calls.ts).
 * Every function returns a new reference. Each node is compiled to a closure when first evaluated
 * (exprFn), which then does exactly what walking the node did.
 */

import { msg } from '../messages';
import type * as ast from '../parser/ast';
import { PyObject, ObjFlag } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyStr } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet, indexLabel, UnhashableError, keyOf, type UserHash } from '../runtime/containers';
import { SetTable } from '../runtime/setobject';
import { PyFunction, PyCell, PyMethod, type KwArgs } from '../runtime/callables';
import { PySlice } from '../runtime/iterators';
import { Frame } from './frame';
import { EventKind } from '../events';
import type { Interpreter } from './interpreter';
import { NameKind, CodeInfo } from './code';
import { EngineStop, PyRaise } from './signals';
import { call, callOwned, callFunction, newFrame, runFrame, makeCells, bindClosure } from './calls';
import { getAttr, getAttrCached, loadMethod, AttrSiteCache } from './attrs';
import { binaryOp, unaryOp, compareObj, truthy, getIter, iterNext, collect, forEachItem } from './ops';
import { listExtendItems } from './lengthHint';
import { getItem } from './items';
import { formatValue } from './formatValue';
import { percentFormatAsJoinedStr } from './astOpt';
import { storeTarget, codeFor } from './exec';
import { str as pyStr, repr as pyRepr } from './format';
import { strConstFn, loadNameDicts, NameDictCache } from './nodeCache';
import { nameError } from '../builtins/exceptions';
import { refuseBuiltinName } from '../names/refuse';
import { refuseComplex27 } from './complexobject';

/** A compiled expression: evaluates its node as `evalExpr` does (a new reference). */
export type ExprFn = (it: Interpreter, f: Frame) => PyObject;

interface ExprHolder {
    ef?: ExprFn;
}

/**
 * The node's compiled closure, made on its first evaluation. A closure captures what it needs
 * from its node when compiled (its children's closures, names, positions), so evaluating no longer
 * reads node fields or dispatches on `kind` through nodes of every shape (megamorphic loads); the
 * frequent kinds have closures of their own, the others call the node kind's helper. Compiling
 * touches no interpreter and allocates no Python object: closures take the interpreter as an
 * argument, and a cache one keeps for an interpreter is checked against it.
 */
export function exprFn(node: ast.Expr): ExprFn {
    const h = node as ExprHolder;
    let fn = h.ef;
    if (fn === undefined) fn = h.ef = compileExpr(node);
    return fn;
}

export function evalExpr(it: Interpreter, f: Frame, node: ast.Expr): PyObject {
    return exprFn(node)(it, f);
}

/**
 * A constant: evaluating one can neither raise nor allocate anything the collector sees (constant
 * objects are atomic), so whether a value is held on the value stack meanwhile cannot be observed.
 */
export function isInert(e: ast.Expr): boolean {
    return e.kind === 'Constant' && e.value.type !== 'complex';
}

/**
 * Evaluates `fn` with `held` on the value stack, where an exception raised meanwhile releases it
 * (and a frame object's traversal sees it). For an inert operand (see isInert) the push and pop
 * are skipped: nothing could see them.
 */
export function evalHolding(it: Interpreter, f: Frame, held: PyObject, fn: ExprFn, inert: boolean): PyObject {
    if (inert) return fn(it, f);
    f.stack.push(held);
    const v = fn(it, f);
    f.stack.pop();
    return v;
}

/**
 * For a Name: its value when it is a bound fast local of the running code (borrowed), else null.
 * Loading a bound fast local can neither raise nor allocate: callers skip holding a value on the
 * stack around it (see evalHolding) and take the reference themselves.
 */
export function fastLocalFn(node: ast.Name): (f: Frame) => PyObject | null {
    let rc: CodeInfo | null = null;
    let fast = false;
    let index = 0;
    return (f) => {
        const code = f.nameCode;
        if (code !== rc) {
            const r = code.resolve(node);
            rc = code;
            fast = r.kind === NameKind.Fast;
            index = r.index;
        }
        return fast ? f.locals[index] : null;
    };
}

function compileExpr(node: ast.Expr): ExprFn {
    switch (node.kind) {
        case 'Constant':
            return compileConstant(node);
        case 'Name':
            return compileName(node);
        case 'Call':
            return compileCall(node);
        case 'Attribute': {
            const ownerFn = exprFn(node.value);
            const attr = node.attr;
            const line = node.line;
            const col = node.col;
            const cache = new AttrSiteCache();
            return (it, f) => {
                const owner = ownerFn(it, f);
                it.line = line;
                it.col = col;
                it.node = node;
                try {
                    return getAttrCached(it, cache, owner, attr);
                } finally {
                    it.decref(owner);
                }
            };
        }
        case 'BinOp': {
            const leftFn = exprFn(node.left);
            const rightFn = exprFn(node.right);
            const rightInert = isInert(node.right);
            const op = node.op;
            const line = node.line;
            const col = node.col;
            return (it, f) => {
                if (op === 'Mod' && it.profile.percentFormatAsFString) {
                    const js = percentFormatAsJoinedStr(node);
                    if (js) return joinedStr(it, f, js);
                }
                const left = leftFn(it, f);
                const right = evalHolding(it, f, left, rightFn, rightInert);
                it.line = line;
                it.col = col;
                it.node = node;
                try {
                    return binaryOp(it, op, left, right);
                } finally {
                    it.decref(left);
                    it.decref(right);
                }
            };
        }
        case 'UnaryOp': {
            const operandFn = exprFn(node.operand);
            const op = node.op;
            return (it, f) => {
                const v = operandFn(it, f);
                try {
                    return unaryOp(it, op, v);
                } finally {
                    it.decref(v);
                }
            };
        }
        case 'BoolOp': {
            const valueFns = node.values.map(exprFn);
            const isAnd = node.op === 'And';
            return (it, f) => boolOp(it, f, valueFns, isAnd);
        }
        case 'Compare': {
            const leftFn = exprFn(node.left);
            const comparatorFns = node.comparators.map(exprFn);
            const inert = node.comparators.map(isInert);
            return (it, f) => compareChain(it, f, node, leftFn, comparatorFns, inert);
        }
        case 'IfExp': {
            const testFn = exprFn(node.test);
            const bodyFn = exprFn(node.body);
            const orelseFn = exprFn(node.orelse);
            return (it, f) => {
                const t = testFn(it, f);
                const b = truthy(it, t);
                it.decref(t);
                return b ? bodyFn(it, f) : orelseFn(it, f);
            };
        }
        case 'List':
            return compileSeq(node, 'list');
        case 'Tuple':
            if (node.elts.every((e) => e.kind === 'Constant')) return (it, f) => constTuple(it, f, node);
            return compileSeq(node, 'tuple');
        case 'Set':
            return (it, f) => buildSet(it, f, node);
        case 'Dict':
            return (it, f) => buildDict(it, f, node);
        case 'Subscript': {
            const containerFn = exprFn(node.value);
            // (A Slice key is evaluated by the Slice node's own closure.)
            const keyFn = exprFn(node.slice);
            const keyInert = isInert(node.slice);
            const line = node.line;
            const col = node.col;
            return (it, f) => {
                const container = containerFn(it, f);
                const key = evalHolding(it, f, container, keyFn, keyInert);
                it.line = line;
                it.col = col;
                it.node = node;
                try {
                    return getItem(it, container, key);
                } finally {
                    it.decref(container);
                    it.decref(key);
                }
            };
        }
        case 'Slice':
            return (it, f) => evalSlice(it, f, node);
        case 'JoinedStr':
            return (it, f) => joinedStr(it, f, node);
        case 'FormattedValue':
            return (it, f) => it.str(formatted(it, f, node));
        case 'Lambda':
            return (it, f) => makeFunction(it, f, node, node.args, []);
        case 'ListComp':
        case 'SetComp':
        case 'DictComp':
            return (it, f) => comprehension(it, f, node);
        case 'NamedExpr': {
            const valueFn = exprFn(node.value);
            return (it, f) => {
                const v = valueFn(it, f);
                it.incref(v);
                storeTarget(it, f, node.target, v);
                return v;
            };
        }
        case 'Starred':
            // Displays, calls, subscripts and targets consume their starred items; the parser
            // refuses a bare one (the compiler's "can't use starred expression here").
            return () => {
                throw unsupported(node, 'a starred expression in this position');
            };
        case 'GeneratorExp':
            return (it, f) => generatorExpression(it, f, node);
        case 'Yield':
        case 'YieldFrom':
            // Only resumable code (resumable.ts) evaluates these; a synchronous closure never does.
            return () => {
                throw new Error('internal: yield outside resumable code');
            };
    }
}

export function unsupported(node: ast.Range, what: string): EngineStop {
    return new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line: node.line, col: node.col });
}

// ------------------------------------------------------------------------------------------------
// constants and names

const constCache = new WeakMap<ast.Node, Map<Interpreter, PyObject>>();

/** A constant of `node`'s code (co_consts): made once per run, never freed (ObjFlag.Atomic). */
export function cached(it: Interpreter, node: ast.Node, make: () => PyObject): PyObject {
    let m = constCache.get(node);
    if (!m) {
        m = new Map();
        constCache.set(node, m);
    }
    let v = m.get(it);
    if (!v) {
        v = make();
        // Constants live as long as the code object: never freed during a run.
        v.flags |= ObjFlag.Atomic;
        m.set(it, v);
    }
    return v;
}

const MIN_SAFE_BIG = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

function compileConstant(node: ast.Constant): ExprFn {
    const c = node.value;
    switch (c.type) {
        case 'int': {
            // The value as `it.int` takes it (a number while exact), converted once. it.int still
            // runs every time: a large int is a new object (with a new id) per evaluation.
            const n = c.value >= MIN_SAFE_BIG && c.value <= MAX_SAFE_BIG ? Number(c.value) : c.value;
            return (it) => it.int(n);
        }
        case 'float': {
            const v = c.value;
            return (it) => it.float(v);
        }
        case 'str':
            return strConstFn(c.value);
        case 'bytes': {
            const b = c.value;
            // 2.7: b'…' is just a str.
            return (it) => (it.profile.bytesAreStr ? it.str(String.fromCharCode(...b)) : it.bytes(b));
        }
        case 'bool': {
            const b = c.value;
            return (it) => it.bool(b);
        }
        case 'None':
            return (it) => it.None;
        case 'Ellipsis':
            return (it) => it.Ellipsis;
        case 'complex': {
            const imag = c.imag;
            return (it) => {
                refuseComplex27(it);
                return it.complex(0, imag);
            };
        }
    }
}

function constTuple(it: Interpreter, f: Frame, node: ast.TupleExpr): PyObject {
    return cached(it, node, () => {
        const t = new PyTuple(
            it.T.tuple,
            node.elts.map((e) => exprFn(e)(it, f)),
        );
        t.id = it.heap.newId();
        return t;
    });
}

function compileName(node: ast.Name): ExprFn {
    // The resolution for the code object last seen (per run, a Name node is only ever evaluated
    // under one code object: its scope's).
    let rc: CodeInfo | null = null;
    let kind = NameKind.Fast;
    let index = 0;
    const dicts = new NameDictCache(node.id);
    return (it, f) => {
        const code = f.nameCode;
        if (code !== rc) {
            const r = code.resolve(node);
            rc = code;
            kind = r.kind;
            index = r.index;
        }
        if (kind === NameKind.Fast) {
            const v = f.locals[index];
            if (v) return it.incref(v);
        }
        return loadResolved(it, f, node, code, kind, index, dicts);
    };
}

export function loadName(it: Interpreter, f: Frame, node: ast.Name): PyObject {
    return exprFn(node)(it, f);
}

/** LOAD_FAST / LOAD_DEREF / LOAD_GLOBAL / LOAD_NAME of a name resolved as (kind, index) in `code`. */
function loadResolved(it: Interpreter, f: Frame, node: ast.Name, code: CodeInfo, kind: NameKind, index: number, dicts: NameDictCache): PyObject {
    switch (kind) {
        case NameKind.Fast: {
            const v = f.locals[index];
            if (!v) {
                it.at(node);
                throw it.error('UnboundLocalError', unboundMessage(it, node.id));
            }
            return it.incref(v);
        }
        case NameKind.Deref: {
            const cell = f.locals[index] as PyCell | null;
            const v = cell?.ref;
            if (!v) {
                it.at(node);
                const free = code.freeSlots.includes(index);
                if (free) throw nameError(it, freeVarMessage(it, node.id), node.id);
                throw it.error('UnboundLocalError', unboundMessage(it, node.id));
            }
            return it.incref(v);
        }
        case NameKind.Comp: {
            const v = f.compValue(node.id);
            if (!v) throw it.error('UnboundLocalError', unboundMessage(it, node.id));
            return it.incref(v);
        }
        case NameKind.Global: {
            const v = loadNameDicts(it, dicts, null, f.globals, it.builtinsDict);
            if (!v) {
                it.at(node);
                refuseBuiltinName(it, node.id);
                throw nameError(it, msg(it.profile, 'globalNotDefined', node.id), node.id);
            }
            return it.incref(v);
        }
        case NameKind.Name: {
            const v = loadNameDicts(it, dicts, f.localsDict, f.globals, it.builtinsDict);
            if (!v) {
                it.at(node);
                refuseBuiltinName(it, node.id);
                throw nameError(it, `name '${node.id}' is not defined`, node.id);
            }
            return it.incref(v);
        }
    }
    throw new Error('internal: bad name kind');
}

function unboundMessage(it: Interpreter, name: string): string {
    return msg(it.profile, 'unboundLocal', name);
}

function freeVarMessage(it: Interpreter, name: string): string {
    return msg(it.profile, 'unboundFree', name);
}

// ------------------------------------------------------------------------------------------------
// operators

function boolOp(it: Interpreter, f: Frame, valueFns: ExprFn[], isAnd: boolean): PyObject {
    let v = valueFns[0](it, f);
    for (let i = 1; i < valueFns.length; i++) {
        const t = truthy(it, v);
        if (isAnd ? !t : t) return v;
        it.decref(v);
        v = valueFns[i](it, f);
    }
    return v;
}

function compareChain(it: Interpreter, f: Frame, node: ast.Compare, leftFn: ExprFn, comparatorFns: ExprFn[], inert: boolean[]): PyObject {
    let left = leftFn(it, f);
    const ops = node.ops;
    for (let i = 0; i < ops.length; i++) {
        const right = evalHolding(it, f, left, comparatorFns[i], inert[i]);
        it.at(node);
        let res: PyObject;
        try {
            res = compareObj(it, ops[i], left, right);
        } catch (e) {
            it.decref(left);
            it.decref(right);
            throw e;
        }
        it.decref(left);
        if (i === ops.length - 1) {
            it.decref(right);
            return res;
        }
        if (!truthy(it, res)) {
            it.decref(right);
            return res;
        }
        it.decref(res);
        left = right;
    }
    return left;
}

// ------------------------------------------------------------------------------------------------
// displays

function pushAll(it: Interpreter, f: Frame, elts: ast.Expr[], how: 'list' | 'call' | 'set' = 'list'): number {
    const base = f.stack.length;
    for (const e of elts) {
        if (e.kind === 'Starred') {
            const v = evalExpr(it, f, e.value);
            f.stack.push(v);
            // list_extend (list and tuple displays, 3.x calls) or PySequence_Tuple: iter() and the
            // length hint; 2.7's ext_do_call takes any tuple, a subclass too, as it is; a set
            // display's set_update just iterates.
            const items =
                how === 'set' ? collect(it, v) : how === 'call' && it.profile.starArgsTupleSubclass && v instanceof PyTuple ? v.items.map((x) => it.incref(x)) : listExtendItems(it, v);
            f.stack.pop();
            it.decref(v);
            for (const x of items) f.stack.push(x);
        } else {
            f.stack.push(evalExpr(it, f, e));
        }
    }
    return base;
}

/**
 * `stack.splice(base)` by hand: the values from `base` up, in order, removed from the stack.
 * (splice is a slow generic builtin for the handful of values a display or call moves.)
 */
function takeFrom(stack: PyObject[], base: number): PyObject[] {
    const top = stack.length;
    let out: PyObject[];
    // Literals of the exact size for the usual few values (the first push to a `[]` reserves 16 slots).
    switch (top - base) {
        case 1:
            out = [stack[base]];
            break;
        case 2:
            out = [stack[base], stack[base + 1]];
            break;
        case 3:
            out = [stack[base], stack[base + 1], stack[base + 2]];
            break;
        default:
            out = [];
            for (let i = base; i < top; i++) out.push(stack[i]);
    }
    for (let i = base; i < top; i++) stack.pop();
    return out;
}

/** A list or tuple display: its items pushed one by one (pushAll when some are starred), then built. */
function compileSeq(node: ast.ListExpr | ast.TupleExpr, kind: 'list' | 'tuple'): ExprFn {
    if (node.elts.some((e) => e.kind === 'Starred')) return (it, f) => buildSeq(it, f, pushAll(it, f, node.elts), node, kind);
    const eltFns = node.elts.map(exprFn);
    return (it, f) => {
        const base = f.stack.length;
        for (let i = 0; i < eltFns.length; i++) f.stack.push(eltFns[i](it, f));
        return buildSeq(it, f, base, node, kind);
    };
}

/** BUILD_LIST / BUILD_TUPLE of the values pushed since `base`. */
function buildSeq(it: Interpreter, f: Frame, base: number, node: ast.Range, kind: 'list' | 'tuple'): PyObject {
    const items = takeFrom(f.stack, base);
    it.at(node);
    return kind === 'list' ? it.list(items) : it.tuple(items);
}

function buildSet(it: Interpreter, f: Frame, node: ast.SetExpr): PyObject {
    if (node.elts.some((e) => e.kind === 'Starred')) return buildSetStarred(it, f, node);
    const base = pushAll(it, f, node.elts, 'set');
    it.at(node);
    const s = it.set();
    const items = takeFrom(f.stack, base);
    try {
        const rules = it.profile.sets;
        // 3.x: a display of constants the compiler folded into a frozenset constant.
        if (rules.order === 'table' && it.profile.major === 3 && (node.isIter || (rules.displayFolded && node.elts.length > 2)) && node.elts.every(foldsToConstant)) {
            s.fillFrom(it.heap, frozensetConstant(it, items), node.isIter === true);
        } else for (const x of items) s.add(it.heap, x);
    } finally {
        for (const x of items) it.decref(x);
    }
    return s;
}

/** After ast_opt's constant folding, is `e` a constant (a literal, a signed number, a tuple of constants)? */
function foldsToConstant(e: ast.Expr): boolean {
    if (e.kind === 'Constant') return true;
    if (e.kind === 'UnaryOp' && e.op !== 'Not') return numericConstant(e.operand);
    if (e.kind === 'Tuple') return e.elts.every(foldsToConstant);
    // fold_binop of numbers (a result past safe_power's and safe_multiply's limits stays unfolded: not modelled).
    if (e.kind === 'BinOp' && e.op !== 'MatMult') return numericConstant(e.left) && numericConstant(e.right);
    return false;
}

function numericConstant(e: ast.Expr): boolean {
    if (e.kind === 'Constant') return e.value.type === 'int' || e.value.type === 'float' || e.value.type === 'complex' || e.value.type === 'bool';
    return (e.kind === 'UnaryOp' || e.kind === 'BinOp') && foldsToConstant(e);
}

/**
 * The table of a frozenset constant (3.x compiler): made from the items in source order, then
 * made again from its own slot order by merge_consts_recursive (compile.c).
 */
function frozensetConstant(it: Interpreter, items: PyObject[]): SetTable {
    const first = new SetTable(it.sets, new Map());
    for (const x of items) {
        const hk = keyOf(x);
        if (!first.index.has(hk)) first.insert(hk, x, undefined);
    }
    const merged = new SetTable(it.sets, new Map());
    for (const x of first.items()) merged.insert(keyOf(x), x, undefined);
    return merged;
}

/**
 * A set display with a starred item: BUILD_SET then SET_UPDATE (3.8: BUILD_SET_UNPACK), so the set
 * exists while a starred iterable is iterated (its __iter__ runs then), and each item goes in as
 * it comes.
 */
function buildSetStarred(it: Interpreter, f: Frame, node: ast.SetExpr): PyObject {
    const base = f.stack.length;
    for (const e of node.elts) f.stack.push(evalExpr(it, f, e.kind === 'Starred' ? e.value : e));
    it.at(node);
    const vals = takeFrom(f.stack, base);
    const s = it.set();
    f.stack.push(s);
    try {
        node.elts.forEach((e, i) => {
            if (e.kind !== 'Starred') s.add(it.heap, vals[i]);
            else {
                forEachItem(it, vals[i], (x) => {
                    try {
                        s.add(it.heap, x);
                    } finally {
                        it.decref(x);
                    }
                });
            }
        });
    } catch (e) {
        f.stack.pop();
        it.decref(s);
        throw e;
    } finally {
        for (const v of vals) it.decref(v);
    }
    f.stack.pop();
    return s;
}

function buildDict(it: Interpreter, f: Frame, node: ast.DictExpr): PyObject {
    const base = f.stack.length;
    let hasUnpack = false;
    for (let i = 0; i < node.keys.length; i++) if (node.keys[i] === null) hasUnpack = true;
    if (hasUnpack) {
        // BUILD_MAP 0 then DICT_UPDATE / MAP_ADD: the dict exists first.
        const d = it.dict();
        f.stack.push(d);
        for (let i = 0; i < node.keys.length; i++) {
            const k = node.keys[i];
            if (k === null) {
                const m = evalExpr(it, f, node.values[i]);
                if (!(m instanceof PyDict)) {
                    it.decref(m);
                    throw it.error('TypeError', `'${m.type.name}' object is not a mapping`);
                }
                const clone = d.clonesFrom(m, it.profile.dictClones.merge);
                for (const e of m.entries()) d.set(it.heap, e.k, e.v, m.storedHash(e.k), clone);
                it.decref(m);
            } else {
                const kv = evalExpr(it, f, k);
                f.stack.push(kv);
                const vv = evalExpr(it, f, node.values[i]);
                f.stack.pop();
                setDictItem(it, d, kv, vv);
                it.decref(kv);
                it.decref(vv);
            }
        }
        return f.stack.pop()!;
    }
    for (let i = 0; i < node.keys.length; i++) {
        f.stack.push(evalExpr(it, f, node.keys[i]!));
        f.stack.push(evalExpr(it, f, node.values[i]));
    }
    it.at(node);
    const items = takeFrom(f.stack, base);
    const d = it.dict();
    try {
        for (let i = 0; i < items.length; i += 2) setDictItem(it, d, items[i], items[i + 1]);
    } catch (e) {
        it.decref(d);
        for (const x of items) it.decref(x);
        throw e;
    }
    for (const x of items) it.decref(x);
    return d;
}

/** `d[k] = v` with TypeError for an unhashable key; `hash`, `distinct`: see PyDict.set (merging from another dict). */
export function setDictItem(it: Interpreter, d: PyDict, k: PyObject, v: PyObject, hash?: UserHash, distinct = false): void {
    try {
        d.set(it.heap, k, v, hash, distinct);
    } catch (e) {
        throw unhashable(it, e, k);
    }
}

/** An UnhashableError from key resolution as Python's TypeError; anything else passes through. */
export function unhashable(it: Interpreter, e: unknown, k: PyObject): unknown {
    if (e instanceof UnhashableError) return it.error('TypeError', `unhashable type: '${e.obj.type.tpName ?? e.obj.type.name}'`);
    return e;
}

/** A Slice node (a subscript's key): its three parts, in order; a missing one is None. */
function evalSlice(it: Interpreter, f: Frame, node: ast.Slice): PyObject {
    const part = (e: ast.Expr | null): PyObject => {
        if (!e) return it.None;
        const v = evalExpr(it, f, e);
        f.stack.push(v);
        return v;
    };
    const base = f.stack.length;
    const lo = part(node.lower);
    const hi = part(node.upper);
    const st = part(node.step);
    f.stack.length = base;
    return new PySlice(it.T.slice, lo, hi, st);
}

// ------------------------------------------------------------------------------------------------
// f-strings

function formatted(it: Interpreter, f: Frame, node: ast.FormattedValue): string {
    const v = evalExpr(it, f, node.value);
    try {
        let target = v;
        let conv: PyObject | null = null;
        if (node.conversion === 114 || node.conversion === 97) conv = it.str(pyRepr(it, v));
        else if (node.conversion === 115) conv = it.str(pyStr(it, v));
        if (conv) target = conv;
        const spec = node.formatSpec ? joinedText(it, f, node.formatSpec) : '';
        return formatValue(it, target, spec);
    } finally {
        it.decref(v);
    }
}

function joinedText(it: Interpreter, f: Frame, node: ast.JoinedStr): string {
    let s = '';
    for (const part of node.values) {
        if (part.kind === 'Constant') s += part.value.type === 'str' ? part.value.value : '';
        else s += formatted(it, f, part);
    }
    return s;
}

function joinedStr(it: Interpreter, f: Frame, node: ast.JoinedStr): PyObject {
    return it.str(joinedText(it, f, node));
}

// ------------------------------------------------------------------------------------------------
// calls

/**
 * Compiled callee of a call: evaluates the callable (LOAD_METHOD for `obj.name(...)`) and pushes
 * it, then `self` when LOAD_METHOD found a method; answers whether `self` was pushed.
 */
export type CalleeFn = (it: Interpreter, f: Frame) => boolean;

export function calleeFn(func: ast.Expr, call: ast.Call | null = null): CalleeFn {
    if (func.kind === 'Attribute') {
        const ownerFn = exprFn(func.value);
        const attr = func.attr;
        return (it, f) => {
            const owner = ownerFn(it, f);
            f.stack.push(owner);
            it.at(func);
            const m = call === null || isMethodCall(it, call) ? loadMethod(it, owner, attr) : null;
            if (m === null) {
                const v = getAttr(it, owner, attr);
                f.stack.pop();
                it.decref(owner);
                f.stack.push(v);
                return false;
            }
            it.incref(owner);
            f.stack.pop();
            it.decref(owner);
            f.stack.push(m);
            f.stack.push(owner);
            return true;
        };
    }
    const fnFn = exprFn(func);
    return (it, f) => {
        f.stack.push(fnFn(it, f));
        return false;
    };
}

/** Does the compiler make `node` a method call (LOAD_METHOD) rather than load a bound method first? */
function isMethodCall(it: Interpreter, node: ast.Call): boolean {
    const mc = it.profile.methodCall;
    for (const a of node.args) if (a.kind === 'Starred') return false;
    for (const k of node.keywords) if (k.arg === null) return false;
    const nk = node.keywords.length;
    if (nk && !mc.keywords) return false;
    return mc.maxStack === null || node.args.length + nk + (nk ? 1 : 0) < mc.maxStack;
}

function compileCall(node: ast.Call): ExprFn {
    const callee = calleeFn(node.func, node);
    let hasStar = false;
    for (const a of node.args) if (a.kind === 'Starred') hasStar = true;
    for (const k of node.keywords) if (k.arg === null) hasStar = true;
    if (hasStar) {
        return (it, f) => {
            const base = f.stack.length;
            const hasSelf = callee(it, f);
            return callEx(it, f, node, base, hasSelf);
        };
    }
    const argFns = node.args.map(exprFn);
    const kwNames = node.keywords.map((k) => k.arg!);
    const kwFns = node.keywords.map((k) => exprFn(k.value));
    return (it, f) => {
        const base = f.stack.length;
        callee(it, f);
        for (let i = 0; i < argFns.length; i++) f.stack.push(argFns[i](it, f));
        let kwargs: KwArgs = null;
        if (kwFns.length) {
            kwargs = new Map();
            for (let i = 0; i < kwFns.length; i++) {
                const v = kwFns[i](it, f);
                f.stack.push(v);
                kwargs.set(kwNames[i], v);
            }
        }
        it.at(node);
        const fn = f.stack[base];
        const r = finishCall(it, f, base, kwargs);
        if (it.gcPending) checkPeriodicAfterCall(it, fn);
        return r;
    };
}

/**
 * 3.12+ CALL ends with CHECK_EVAL_BREAKER (3.13 `_CHECK_PERIODIC`) when the callee is not a
 * Python function (those are entered inline, and their RESUME checks): a collection an allocation
 * scheduled (gcAtEvalBreaker) runs as soon as a call to a built-in, a class or a method
 * descriptor returns. Only reached with a collection pending.
 */
function checkPeriodicAfterCall(it: Interpreter, fn: PyObject): void {
    if (fn instanceof PyFunction || (fn instanceof PyMethod && fn.func instanceof PyFunction)) return;
    it.evalBreaker();
}

/**
 * CALL_FUNCTION_EX (a call with `*args` or `**kwargs`): the callable (and `self`) are on the
 * stack from `base`; positional arguments become a tuple, keywords a dict.
 */
function callEx(it: Interpreter, f: Frame, node: ast.Call, base: number, hasSelf: boolean): PyObject {
    const fn = f.stack[base];
    const self = hasSelf ? f.stack[base + 1] : null;
    // CALL_FUNCTION_EX: positional arguments become a tuple, keywords a dict.
    pushAll(it, f, node.args, 'call');
    const posItems = f.stack.splice(base + 1 + (self ? 1 : 0));
    const kwd = new Map<string, PyObject>();
    const kwRefs: PyObject[] = [];
    const args = self ? [f.stack.pop()!, ...posItems] : posItems;
    const argTuple = it.tuple(args);
    f.stack.push(argTuple);
    for (const k of node.keywords) {
        const v = evalExpr(it, f, k.value);
        kwRefs.push(v);
        if (k.arg !== null) kwd.set(k.arg, v);
        else if (v instanceof PyDict) {
            for (const e of v.entries()) {
                if (!(e.k instanceof PyStr)) throw it.error('TypeError', 'keywords must be strings');
                kwd.set(e.k.v, e.v);
            }
        } else throw it.error('TypeError', `argument after ** must be a mapping, not ${v.type.name}`);
    }
    it.at(node);
    let r: PyObject;
    // 2.7 CALL_FUNCTION_VAR/_KW, as call_function: a bound method's slot becomes a reference to its
    // self, which goes first among the arguments, and the method is released before the call.
    let callee = fn;
    let callArgs = argTuple.items;
    let held: PyObject = fn;
    if (it.profile.boundMethodCallHoldsSelf && fn instanceof PyMethod && fn.self) {
        held = it.incref(fn.self);
        callee = it.incref(fn.func!);
        callArgs = [fn.self, ...argTuple.items];
        it.decref(fn);
    }
    try {
        r = call(it, callee, callArgs, kwd.size ? kwd : null);
    } finally {
        f.stack.length = base;
        it.decref(held);
        if (callee !== fn) it.decref(callee);
        it.decref(argTuple);
        for (const k of kwRefs) it.decref(k);
    }
    // (fn was released above; the check only asks what kind of callable it was.)
    if (it.gcPending) checkPeriodicAfterCall(it, fn);
    return r;
}

/** CALL: the callable (and `self`), then the arguments, then the keyword values are on the stack from `base`. */
export function finishCall(it: Interpreter, f: Frame, base: number, kwargs: KwArgs): PyObject {
    const fn = f.stack[base];
    const argStart = base + 1;
    const nPos = f.stack.length - argStart - (kwargs ? kwargs.size : 0);
    if (it.profile.argsStolenIntoFrame) {
        // 3.11+ CALL: the arguments leave the stack; a Python callee steals them, anything else
        // has them released front to back afterwards; then the callable is released.
        // f.stack.splice(argStart) then pop the callable (see takeFrom).
        let moved = takeFrom(f.stack, argStart);
        f.stack.pop();
        if (fn instanceof PyMethod && fn.self) {
            // CALL of a bound method (one LOAD_ATTR made, or a stored one): its self and function
            // replace it on the stack and it is released before the call.
            const self = it.incref(fn.self);
            const func = it.incref(fn.func!);
            it.decref(fn);
            moved = [self, ...moved];
            return finishCallOwned(it, func, moved, nPos + 1, kwargs);
        }
        return finishCallOwned(it, fn, moved, nPos, kwargs);
    }
    return finishCallBorrowed(it, f, base, fn, argStart, nPos, kwargs);
}

/** 3.11+ CALL of `fn` with the arguments `moved` off the stack (owned; the first `nPos` positional); `fn` released after. */
function finishCallOwned(it: Interpreter, fn: PyObject, moved: PyObject[], nPos: number, kwargs: KwArgs): PyObject {
    const pos = kwargs ? moved.slice(0, nPos) : moved;
    if (fn instanceof PyFunction) {
        try {
            // Keyword values are stolen along with the positional ones.
            return kwargs ? callOwnedKw(it, fn, pos, kwargs) : callOwned(it, fn, pos, null);
        } finally {
            it.decref(fn);
        }
    }
    // Any other callee borrows the arguments: CALL releases the callable first, then the
    // arguments front to back (a temporary partial or methodcaller dies before them).
    try {
        return call(it, fn, pos, kwargs);
    } finally {
        it.decref(fn);
        for (const a of moved) it.decref(a);
    }
}

/** ≤3.10 CALL_FUNCTION: the callee borrows; afterwards the stack is popped top-down, the callable last. */
function finishCallBorrowed(it: Interpreter, f: Frame, base: number, fn: PyObject, argStart: number, nPos: number, kwargs: KwArgs): PyObject {
    const args = f.stack.slice(argStart, argStart + nPos);
    let callee = fn;
    let heldFunc: PyObject | null = null;
    if (it.profile.boundMethodCallHoldsSelf && fn instanceof PyMethod && fn.self) {
        // 2.7 call_function: the bound method's slot on the stack becomes a new reference to its
        // self; the method object is released now (it may die), its function held for the call.
        const self = it.incref(fn.self);
        heldFunc = it.incref(fn.func!);
        f.stack[base] = self;
        it.decref(fn);
        args.unshift(self);
        callee = heldFunc;
    }
    try {
        return call(it, callee, args, kwargs);
    } finally {
        const st = f.stack;
        while (st.length > base) it.decref(st.pop()!);
        if (heldFunc) it.decref(heldFunc);
    }
}

function callOwnedKw(it: Interpreter, fn: PyFunction, pos: PyObject[], kwargs: Map<string, PyObject>): PyObject {
    return callFunction(it, fn, pos, true, kwargs);
}

// ------------------------------------------------------------------------------------------------
// functions and comprehensions

/** MAKE_FUNCTION: defaults tuple, keyword defaults dict, closure tuple of cells. */
export function makeFunction(
    it: Interpreter,
    f: Frame,
    node: ast.FunctionDef | ast.Lambda,
    args: ast.Arguments,
    _decorators: PyObject[],
): PyFunction {
    const code = codeFor(it, node, f.code);
    let defaults: PyTuple | null = null;
    let kwdefaults: PyDict | null = null;
    const base = f.stack.length;
    if (args.defaults.length) {
        for (const d of args.defaults) f.stack.push(evalExpr(it, f, d));
        defaults = it.tuple(takeFrom(f.stack, base));
        f.stack.push(defaults);
    }
    if (args.kwDefaults.some((d) => d)) {
        kwdefaults = it.dict();
        f.stack.push(kwdefaults);
        args.kwonlyargs.forEach((a, i) => {
            const d = args.kwDefaults[i];
            if (!d) return;
            const v = evalExpr(it, f, d);
            kwdefaults!.set(it.heap, it.str(a.name), v);
            it.decref(v);
        });
    }
    let closure: PyTuple | null = null;
    if (code.freeSlots.length) {
        const cells = code.scope.freevars.map((name) => {
            const cell = closureCell(it, f, name);
            return it.incref(cell);
        });
        closure = it.tuple(cells);
    }
    f.stack.length = base;
    it.at(node);
    const fn = it.heap.register(new PyFunction(it.T.function, code, f.globals, code.name));
    it.heap.acquire(fn, f.globals, '__globals__');
    if (defaults) {
        fn.defaults = defaults;
        it.heap.adopt(fn, defaults, '__defaults__');
    }
    if (kwdefaults) {
        fn.kwdefaults = kwdefaults;
        it.heap.adopt(fn, kwdefaults, '__kwdefaults__');
    }
    if (closure) {
        fn.closure = closure;
        it.heap.adopt(fn, closure, '__closure__');
    }
    return fn;
}

/** The cell for a free variable of a nested scope, found in the defining frame. */
function closureCell(it: Interpreter, f: Frame, name: string): PyObject {
    const compCell = f.compCell(name);
    if (compCell) return compCell;
    if (f.code.isFast) return f.locals[f.code.slot(name)]!;
    // Class bodies: the `__class__` cell, or a free variable passed through from the enclosing function.
    const cell = f.classCell(name);
    if (!cell) throw new Error(`internal: no cell ${name}`);
    return cell;
}

function comprehension(it: Interpreter, f: Frame, node: ast.ListComp | ast.SetComp | ast.DictComp): PyObject {
    const gens = node.generators;
    // The first iterable is evaluated in the enclosing scope (GET_ITER before the call).
    const firstIterable = evalExpr(it, f, gens[0].iter);
    f.stack.push(firstIterable);
    const iter = getIter(it, firstIterable);
    f.stack.pop();
    it.decref(firstIterable);
    if (it.profile.comprehensionFrames && !codeFor(it, node, f.nameCode).inlined) {
        // ≤3.11: a function object and a frame of its own (`<listcomp>`), called with the iterator.
        f.stack.push(iter);
        const fn = makeFunctionForComp(it, f, node);
        f.stack.pop();
        f.stack.push(fn);
        const code = fn.code as CodeInfo;
        const frame = newFrame(it, code, fn);
        frame.locals[0] = iter;
        it.heap.edgeFrom(EventKind.RefAdd, frame.nodeId, iter, '.0');
        makeCells(it, code, frame);
        bindClosure(it, fn, code, frame);
        if (!it.profile.argsStolenIntoFrame) {
            // ≤3.10 the caller keeps its own reference on the stack until the call returns.
            it.incref(iter);
            f.stack.push(iter);
        }
        try {
            frame.compBody = () => runCompLoop(it, frame, node, 0, null);
            return runFrame(it, code, frame);
        } finally {
            if (!it.profile.argsStolenIntoFrame) it.decref(f.stack.pop()!);
            f.stack.pop();
            it.decref(fn);
        }
    }
    // 3.12+ (PEP 709): inlined in the current frame; targets live in hidden fast locals,
    // cleared (restored) when the comprehension ends.
    f.stack.push(iter);
    const scope = codeFor(it, node, f.nameCode);
    if (scope.leaks) return runCompLoop(it, f, node, 0, iter);
    f.pushComp(it, scope);
    try {
        return runCompLoop(it, f, node, 0, iter);
    } finally {
        f.popComp(it);
    }
}

function makeFunctionForComp(it: Interpreter, f: Frame, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp): PyFunction {
    const code = codeFor(it, node, f.code);
    let closure: PyTuple | null = null;
    if (code.freeSlots.length) closure = it.tuple(code.scope.freevars.map((n) => it.incref(closureCell(it, f, n))));
    const fn = it.heap.register(new PyFunction(it.T.function, code, f.globals, code.name));
    it.heap.acquire(fn, f.globals, '__globals__');
    if (closure) {
        fn.closure = closure;
        it.heap.adopt(fn, closure, '__closure__');
    }
    return fn;
}

/**
 * The comprehension loop. `inlineIter` is the first iterator when running inline (it sits on the
 * stack and END_FOR pops it); with a frame, the iterator is local '.0'.
 */
function runCompLoop(it: Interpreter, f: Frame, node: ast.ListComp | ast.SetComp | ast.DictComp, _level: number, inlineIter: PyObject | null): PyObject {
    const result: PyObject = node.kind === 'ListComp' ? it.list([]) : node.kind === 'SetComp' ? it.set() : it.dict();
    f.stack.push(result);
    const firstIter = inlineIter ?? f.locals[0]!;
    const loop = (level: number, iter: PyObject): void => {
        const g = node.generators[level];
        for (;;) {
            const x = iterNext(it, iter);
            if (!x) break;
            it.tick(g);
            storeTarget(it, f, g.target, x);
            let ok = true;
            for (const cond of g.ifs) {
                const c = evalExpr(it, f, cond);
                const t = truthy(it, c);
                it.decref(c);
                if (!t) {
                    ok = false;
                    break;
                }
            }
            if (!ok) continue;
            if (level + 1 < node.generators.length) {
                const inner = evalExpr(it, f, node.generators[level + 1].iter);
                f.stack.push(inner);
                const innerIter = getIter(it, inner);
                f.stack.pop();
                it.decref(inner);
                f.stack.push(innerIter);
                loop(level + 1, innerIter);
                it.decref(f.stack.pop()!);
                continue;
            }
            appendResult(it, f, node, result);
        }
    };
    loop(0, firstIter);
    f.stack.pop();
    if (inlineIter) it.decref(f.stack.pop()!);
    return result;
}

/**
 * A generator expression: MAKE_FUNCTION for its code (before the first iterable, as CPython
 * compiles it), GET_ITER on the first iterable (evaluated here, eagerly), then the call that makes
 * the generator (calls.ts: a generator function's call answers the generator). ≤3.10 the caller's
 * stack keeps its reference to the iterator during the call; 3.11+ the frame steals it.
 */
function generatorExpression(it: Interpreter, f: Frame, node: ast.GeneratorExp): PyObject {
    const fn = makeFunctionForComp(it, f, node);
    f.stack.push(fn);
    const iterable = evalExpr(it, f, node.generators[0].iter);
    f.stack.push(iterable);
    const iter = getIter(it, iterable);
    f.stack.pop();
    it.decref(iterable);
    it.at(node);
    try {
        if (it.profile.argsStolenIntoFrame) return callFunction(it, fn, [iter], true, null);
        f.stack.push(iter);
        try {
            return callFunction(it, fn, [iter], false, null);
        } finally {
            f.stack.pop();
            it.decref(iter);
        }
    } finally {
        f.stack.pop();
        it.decref(fn);
    }
}

function appendResult(it: Interpreter, f: Frame, node: ast.ListComp | ast.SetComp | ast.DictComp, result: PyObject): void {
    if (node.kind === 'DictComp') {
        const k = evalExpr(it, f, node.key);
        f.stack.push(k);
        const v = evalExpr(it, f, node.value);
        f.stack.pop();
        try {
            setDictItem(it, result as PyDict, k, v);
        } finally {
            it.decref(k);
            it.decref(v);
        }
        return;
    }
    const v = evalExpr(it, f, node.elt);
    if (result instanceof PyList) {
        // LIST_APPEND steals the value.
        if ((result.items.length & 0xfff) === 0xfff) it.grewTo(result.items.length + 1, 'a list');
        it.heap.adopt(result, v, indexLabel(result.items.length));
        result.items.push(v);
    } else {
        try {
            (result as PySet).add(it.heap, v);
        } finally {
            it.decref(v);
        }
    }
}

export { PyRaise, PyType, PyInt };
