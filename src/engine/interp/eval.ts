/*
 * eval.ts
 *
 * Expression evaluation, following the bytecode CPython emits for each node: operands are
 * evaluated left to right onto the value stack, the operation runs, then its inputs are released
 * (BINARY_OP: left then right; LOAD_ATTR: the owner; CALL: per profile, see calls.ts).
 * Every function returns a new reference.
 */

import { msg } from '../messages';
import type * as ast from '../parser/ast';
import { PyObject, ObjFlag } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyStr } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet } from '../runtime/containers';
import { PyFunction, PyCell, PyMethod, type KwArgs } from '../runtime/callables';
import { PySlice } from '../runtime/iterators';
import { Frame } from './frame';
import { EventKind } from '../events';
import type { Interpreter } from './interpreter';
import { NameKind, CodeInfo } from './code';
import { EngineStop, PyRaise } from './signals';
import { call, callOwned, callFunction, newFrame, runFrame, makeCells } from './calls';
import { getAttr, loadMethod } from './attrs';
import { binaryOp, unaryOp, compareObj, truthy, getIter, iterNext, collect } from './ops';
import { getItem } from './items';
import { formatValue } from './formatValue';
import { percentFormatAsJoinedStr } from './astOpt';
import { storeTarget, codeFor } from './exec';
import { str as pyStr, repr as pyRepr } from './format';
import { constStr, loadNameDicts } from './nodeCache';

export function evalExpr(it: Interpreter, f: Frame, node: ast.Expr): PyObject {
    switch (node.kind) {
        case 'Constant':
            return constant(it, node);
        case 'Name':
            return loadName(it, f, node);
        // (Cases are tested in order: the most frequent kinds come first.)
        case 'Call':
            return evalCall(it, f, node);
        case 'Attribute': {
            const owner = evalExpr(it, f, node.value);
            it.at(node);
            try {
                return getAttr(it, owner, node.attr);
            } finally {
                it.decref(owner);
            }
        }
        case 'BinOp': {
            if (node.op === 'Mod' && it.profile.percentFormatAsFString) {
                const js = percentFormatAsJoinedStr(node);
                if (js) return joinedStr(it, f, js);
            }
            const left = evalExpr(it, f, node.left);
            f.stack.push(left);
            const right = evalExpr(it, f, node.right);
            f.stack.pop();
            it.at(node);
            try {
                return binaryOp(it, node.op, left, right);
            } finally {
                it.decref(left);
                it.decref(right);
            }
        }
        case 'UnaryOp': {
            const v = evalExpr(it, f, node.operand);
            try {
                return unaryOp(it, node.op, v);
            } finally {
                it.decref(v);
            }
        }
        case 'BoolOp':
            return boolOp(it, f, node);
        case 'Compare':
            return compareChain(it, f, node);
        case 'IfExp': {
            const t = evalExpr(it, f, node.test);
            const b = truthy(it, t);
            it.decref(t);
            return evalExpr(it, f, b ? node.body : node.orelse);
        }
        case 'List':
            return buildSeq(it, f, node.elts, node, 'list');
        case 'Tuple':
            if (node.elts.every((e) => e.kind === 'Constant')) return constTuple(it, node);
            return buildSeq(it, f, node.elts, node, 'tuple');
        case 'Set':
            return buildSet(it, f, node);
        case 'Dict':
            return buildDict(it, f, node);
        case 'Subscript': {
            const container = evalExpr(it, f, node.value);
            f.stack.push(container);
            const key = evalSliceOrExpr(it, f, node.slice);
            f.stack.pop();
            it.at(node);
            try {
                return getItem(it, container, key);
            } finally {
                it.decref(container);
                it.decref(key);
            }
        }
        case 'Slice':
            return evalSliceOrExpr(it, f, node);
        case 'JoinedStr':
            return joinedStr(it, f, node);
        case 'FormattedValue':
            return it.str(formatted(it, f, node));
        case 'Lambda':
            return makeFunction(it, f, node, node.args, []);
        case 'ListComp':
        case 'SetComp':
        case 'DictComp':
            return comprehension(it, f, node);
        case 'NamedExpr': {
            const v = evalExpr(it, f, node.value);
            it.incref(v);
            storeTarget(it, f, node.target, v);
            return v;
        }
        case 'Starred':
            throw it.error('SyntaxError', "can't use starred expression here");
        case 'GeneratorExp':
            throw unsupported(node, 'generator expressions');
    }
}

export function unsupported(node: ast.Range, what: string): EngineStop {
    return new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line: node.line, col: node.col });
}

// ------------------------------------------------------------------------------------------------
// constants and names

const constCache = new WeakMap<ast.Node, Map<Interpreter, PyObject>>();

function cached(it: Interpreter, node: ast.Node, make: () => PyObject): PyObject {
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

/** An int constant's value as `it.int` takes it (a number while exact), converted once per node. */
function intConstValue(node: ast.Constant, v: bigint): number | bigint {
    const h = node as { intValue?: number | bigint };
    let n = h.intValue;
    if (n === undefined) n = h.intValue = v >= MIN_SAFE_BIG && v <= MAX_SAFE_BIG ? Number(v) : v;
    return n;
}

function constant(it: Interpreter, node: ast.Constant): PyObject {
    const c = node.value;
    switch (c.type) {
        case 'int':
            // it.int still runs every time: a large int is a new object (with a new id) per evaluation.
            return it.int(intConstValue(node, c.value));
        case 'float':
            return it.float(c.value);
        case 'str':
            return constStr(it, node, c.value);
        case 'bytes':
            // 2.7: b'…' is just a str.
            return it.profile.bytesAreStr ? it.str(String.fromCharCode(...c.value)) : it.bytes(c.value);
        case 'bool':
            return it.bool(c.value);
        case 'None':
            return it.None;
        case 'Ellipsis':
            return it.Ellipsis;
        case 'complex':
            throw unsupported(node, 'complex numbers');
    }
}

function constTuple(it: Interpreter, node: ast.TupleExpr): PyObject {
    return cached(it, node, () => {
        const t = new PyTuple(it.T.tuple, node.elts.map((e) => constant(it, e as ast.Constant)));
        t.id = it.heap.newId();
        return t;
    });
}

export function loadName(it: Interpreter, f: Frame, node: ast.Name): PyObject {
    const code = f.nameCode;
    const r = code.resolve(node);
    switch (r.kind) {
        case NameKind.Fast: {
            const v = f.locals[r.index];
            if (!v) {
                it.at(node);
                throw it.error('UnboundLocalError', unboundMessage(it, node.id));
            }
            return it.incref(v);
        }
        case NameKind.Deref: {
            const cell = f.locals[r.index] as PyCell | null;
            const v = cell?.ref;
            if (!v) {
                it.at(node);
                const free = code.freeSlots.includes(r.index);
                if (free) throw it.error('NameError', freeVarMessage(it, node.id));
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
            const v = loadNameDicts(it, node, null, f.globals, it.builtinsDict);
            if (!v) {
                it.at(node);
                throw it.error('NameError', msg(it.profile, 'globalNotDefined', node.id));
            }
            return it.incref(v);
        }
        case NameKind.Name: {
            const v = loadNameDicts(it, node, f.localsDict, f.globals, it.builtinsDict);
            if (!v) {
                it.at(node);
                throw it.error('NameError', `name '${node.id}' is not defined`);
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

function boolOp(it: Interpreter, f: Frame, node: ast.BoolOp): PyObject {
    const values = node.values;
    let v = evalExpr(it, f, values[0]);
    for (let i = 1; i < values.length; i++) {
        const t = truthy(it, v);
        if (node.op === 'And' ? !t : t) return v;
        it.decref(v);
        v = evalExpr(it, f, values[i]);
    }
    return v;
}

function compareChain(it: Interpreter, f: Frame, node: ast.Compare): PyObject {
    let left = evalExpr(it, f, node.left);
    for (let i = 0; i < node.ops.length; i++) {
        f.stack.push(left);
        const right = evalExpr(it, f, node.comparators[i]);
        f.stack.pop();
        it.at(node);
        let res: PyObject;
        try {
            res = compareObj(it, node.ops[i], left, right);
        } catch (e) {
            it.decref(left);
            it.decref(right);
            throw e;
        }
        it.decref(left);
        if (i === node.ops.length - 1) {
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

function pushAll(it: Interpreter, f: Frame, elts: ast.Expr[]): number {
    const base = f.stack.length;
    for (const e of elts) {
        if (e.kind === 'Starred') {
            const v = evalExpr(it, f, e.value);
            f.stack.push(v);
            const items = collect(it, v);
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
    const out: PyObject[] = [];
    for (let i = base; i < top; i++) out.push(stack[i]);
    for (let i = base; i < top; i++) stack.pop();
    return out;
}

function buildSeq(it: Interpreter, f: Frame, elts: ast.Expr[], node: ast.Range, kind: 'list' | 'tuple'): PyObject {
    const base = pushAll(it, f, elts);
    const items = takeFrom(f.stack, base);
    it.at(node);
    return kind === 'list' ? it.list(items) : it.tuple(items);
}

function buildSet(it: Interpreter, f: Frame, node: ast.SetExpr): PyObject {
    const base = pushAll(it, f, node.elts);
    it.at(node);
    const s = it.set();
    const items = takeFrom(f.stack, base);
    try {
        for (const x of items) s.add(it.heap, x);
    } finally {
        for (const x of items) it.decref(x);
    }
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
                for (const e of m.entries()) d.set(it.heap, e.k, e.v);
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

export function setDictItem(it: Interpreter, d: PyDict, k: PyObject, v: PyObject): void {
    try {
        d.set(it.heap, k, v);
    } catch (e) {
        if ((e as Error).message === 'unhashable') throw it.error('TypeError', `unhashable type: '${k.type.name}'`);
        throw e;
    }
}

function evalSliceOrExpr(it: Interpreter, f: Frame, node: ast.Expr): PyObject {
    if (node.kind !== 'Slice') return evalExpr(it, f, node);
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

function evalCall(it: Interpreter, f: Frame, node: ast.Call): PyObject {
    const base = f.stack.length;
    let self: PyObject | null = null;
    let fn: PyObject;
    if (node.func.kind === 'Attribute') {
        const owner = evalExpr(it, f, node.func.value);
        f.stack.push(owner);
        it.at(node.func);
        const [m, s] = loadMethod(it, owner, node.func.attr);
        f.stack.pop();
        it.decref(owner);
        fn = m;
        self = s;
    } else {
        fn = evalExpr(it, f, node.func);
    }
    f.stack.push(fn);
    if (self) f.stack.push(self);
    // Plain loops rather than .some(closure): this runs for every call.
    let hasStar = false;
    const argNodes = node.args;
    for (let i = 0; i < argNodes.length; i++) {
        if (argNodes[i].kind === 'Starred') {
            hasStar = true;
            break;
        }
    }
    if (!hasStar) {
        const kws = node.keywords;
        for (let i = 0; i < kws.length; i++) {
            if (kws[i].arg === null) {
                hasStar = true;
                break;
            }
        }
    }
    let kwargs: KwArgs = null;
    if (hasStar) {
        // CALL_FUNCTION_EX: positional arguments become a tuple, keywords a dict.
        pushAll(it, f, node.args);
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
        try {
            return call(it, fn, argTuple.items, kwd.size ? kwd : null);
        } finally {
            f.stack.length = base;
            it.decref(fn);
            it.decref(argTuple);
            for (const k of kwRefs) it.decref(k);
        }
    }
    for (let i = 0; i < argNodes.length; i++) f.stack.push(evalExpr(it, f, argNodes[i]));
    if (node.keywords.length) {
        kwargs = new Map();
        for (const k of node.keywords) {
            const v = evalExpr(it, f, k.value);
            f.stack.push(v);
            kwargs.set(k.arg!, v);
        }
    }
    it.at(node);
    const argStart = base + 1;
    const nPos = f.stack.length - argStart - (kwargs ? kwargs.size : 0);
    if (it.profile.argsStolenIntoFrame) {
        // 3.11+ CALL: the arguments leave the stack; a Python callee steals them, anything else
        // has them released front to back afterwards; then the callable is released.
        // f.stack.splice(argStart) then pop the callable (see takeFrom).
        const moved = takeFrom(f.stack, argStart);
        f.stack.pop();
        const pos = kwargs ? moved.slice(0, nPos) : moved;
        try {
            if (kwargs) {
                if (fn instanceof PyFunction) {
                    // Keyword values are stolen along with the positional ones.
                    return callOwnedKw(it, fn, pos, kwargs);
                }
                try {
                    return call(it, fn, pos, kwargs);
                } finally {
                    for (const a of moved) it.decref(a);
                }
            }
            return callOwned(it, fn, pos, null);
        } finally {
            it.decref(fn);
        }
    }
    // ≤3.10: the callee borrows; afterwards the stack is popped top-down, the callable last.
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

function makeFunctionForComp(it: Interpreter, f: Frame, node: ast.ListComp | ast.SetComp | ast.DictComp): PyFunction {
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
        it.heap.adopt(result, v, `[${result.items.length}]`);
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
