/*
 * exec.ts
 *
 * Statement execution, mirroring the bytecode CPython compiles each statement to:
 *   - stores bind the new value first and release the old one after (STORE_*);
 *   - a for loop holds its iterator on the stack; `break` and `return` pop it;
 *   - `except E as e` ends with `e = None; del e` (3.x); the handled exception is held by
 *     exc_info until the handler ends (POP_EXCEPT);
 *   - `with` holds the bound `__exit__` on the stack for the whole block.
 * As expressions are (eval.ts), the frequent statements and assignment targets are compiled to
 * closures when first run (stmtFn, storeFn); the others run through execOther.
 */

import { msg, errorType } from '../messages';
import type * as ast from '../parser/ast';
import { forEachChildExpr } from '../parser/scopes';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { PyException } from '../runtime/instances';
import { PyFunction, PyBuiltin, PyCell } from '../runtime/callables';
import type { PyTraceback } from '../runtime/frames';
import type { Interpreter } from './interpreter';
import { Frame } from './frame';
import { CodeInfo, NameKind } from './code';
import { Flow, PyRaise, dropRaise, EngineStop } from './signals';
import { evalExpr, exprFn, evalHolding, isInert, fastLocalFn, makeFunction, unsupported } from './eval';
import { call, callBound, addTraceback, unwindStack, runFrame } from './calls';
import { getAttr, setAttr, setAttrCached, delAttr, newBoundMethod, bindDescriptor, lookupSpecial, AttrSiteCache } from './attrs';
import { binaryOp, truthy, getIter, iterNext, collect } from './ops';
import { listExtendItems } from './lengthHint';
import { getItem, setItem, delItem } from './items';
import { importModule, isSubmodule } from '../builtins/modules';
import { buildClass } from './classes';
import { execPrint } from './printStatement';
import { EventKind } from '../events';
import { nameStr, storeNameDict, NameDictCache } from './nodeCache';

/** A compiled statement (see exprFn in eval.ts): runs its node as `execStmt` does. */
export type StmtFn = (it: Interpreter, f: Frame) => Flow;

/** A compiled assignment target: stores the owned reference `v`, as `storeTarget` does. */
export type StoreFn = (it: Interpreter, f: Frame, v: PyObject) => void;

interface StmtHolder {
    sf?: StmtFn;
}

interface BlockHolder {
    fns?: StmtFn[];
}

interface StoreHolder {
    stf?: StoreFn;
}

/** The statement's compiled closure, made on its first execution. */
export function stmtFn(s: ast.Stmt): StmtFn {
    const h = s as StmtHolder;
    let fn = h.sf;
    if (fn === undefined) fn = h.sf = compileStmt(s);
    return fn;
}

/** A block's statements compiled, remembered on the block's array. */
export function blockFns(body: ast.Stmt[]): StmtFn[] {
    const h = body as BlockHolder;
    let fns = h.fns;
    if (fns === undefined) fns = h.fns = body.map(stmtFn);
    return fns;
}

export function execBlock(it: Interpreter, f: Frame, body: ast.Stmt[]): Flow {
    return runBlock(it, f, blockFns(body));
}

export function runBlock(it: Interpreter, f: Frame, fns: StmtFn[]): Flow {
    for (let i = 0; i < fns.length; i++) {
        const flow = fns[i](it, f);
        if (flow !== Flow.Normal) return flow;
    }
    return Flow.Normal;
}

export function execStmt(it: Interpreter, f: Frame, s: ast.Stmt): Flow {
    return stmtFn(s)(it, f);
}

/**
 * Every compiled statement starts the same way. The Issue 8 hook comes first (a statement
 * annotated `# exitscope: c-alloc` also allocates native blocks: `native.wants(s)` is checked
 * by the closure, which then returns `execNative`); then `enter` counts the step and records the
 * position on the interpreter and the frame.
 */
function execNative(it: Interpreter, f: Frame, s: ast.Stmt): Flow {
    return it.native!.exec(f, s, (t) => execStmt(it, f, t));
}

function enter(it: Interpreter, f: Frame, line: number, col: number): void {
    it.tickAt(line, col);
    f.line = line;
    f.col = col;
}

/** `enter` for a resumable statement (resumable.ts); a c-alloc annotation there is not simulated. */
export function enterStmt(it: Interpreter, f: Frame, s: ast.Stmt, line: number, col: number): void {
    if (it.native !== null && it.native.wants(s)) throw unsupported(s, 'a c-alloc annotation on a statement that yields');
    enter(it, f, line, col);
}

function compileStmt(s: ast.Stmt): StmtFn {
    const line = s.line;
    const col = s.col;
    switch (s.kind) {
        case 'Expr': {
            const valueFn = exprFn(s.value);
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                it.decref(valueFn(it, f));
                return Flow.Normal;
            };
        }
        case 'Assign': {
            const valueFn = exprFn(s.value);
            const stores = s.targets.map(storeFn);
            const n = stores.length;
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                const v = valueFn(it, f);
                for (let i = 0; i < n - 1; i++) it.incref(v);
                for (let i = 0; i < n; i++) stores[i](it, f, v);
                return Flow.Normal;
            };
        }
        case 'AugAssign': {
            const aug = compileAugAssign(s);
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                aug(it, f);
                return Flow.Normal;
            };
        }
        case 'If': {
            const testFn = exprFn(s.test);
            const body = blockFns(s.body);
            const orelse = blockFns(s.orelse);
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                const t = testFn(it, f);
                const b = truthy(it, t);
                it.decref(t);
                return runBlock(it, f, b ? body : orelse);
            };
        }
        case 'Return': {
            const valueFn = s.value ? exprFn(s.value) : null;
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                f.retval = valueFn !== null ? valueFn(it, f) : it.None;
                return Flow.Return;
            };
        }
        case 'While': {
            const loop = compileWhile(s);
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                return loop(it, f);
            };
        }
        case 'For': {
            const loop = compileFor(s);
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                return loop(it, f);
            };
        }
        default:
            return (it, f) => {
                if (it.native !== null && it.native.wants(s)) return execNative(it, f, s);
                enter(it, f, line, col);
                return execOther(it, f, s);
            };
    }
}

/** The statements that have no closure of their own. */
function execOther(it: Interpreter, f: Frame, s: ast.Stmt): Flow {
    switch (s.kind) {
        case 'AnnAssign':
            if (s.value) storeTarget(it, f, s.target, evalExpr(it, f, s.value));
            return Flow.Normal;
        case 'Delete':
            for (const t of s.targets) deleteTarget(it, f, t);
            return Flow.Normal;
        case 'Print':
            execPrint(it, f, s);
            return Flow.Normal;
        case 'Pass':
        case 'Global':
        case 'Nonlocal':
            return Flow.Normal;
        case 'Break':
            return Flow.Break;
        case 'Continue':
            return Flow.Continue;
        case 'Raise':
            throw raiseStmt(it, f, s);
        case 'Try':
            return execTry(it, f, s);
        case 'With':
            return execWith(it, f, s, 0);
        case 'Assert': {
            const t = evalExpr(it, f, s.test);
            const ok = truthy(it, t);
            it.decref(t);
            if (!ok) {
                const args = s.msg ? [evalExpr(it, f, s.msg)] : [];
                const e = it.newException(it.T.AssertionError, args);
                for (const a of args) it.decref(a);
                it.at(s);
                throw raiseNew(it, e);
            }
            return Flow.Normal;
        }
        case 'FunctionDef': {
            const base = f.stack.length;
            for (const d of s.decorators) f.stack.push(evalExpr(it, f, d));
            let fn: PyObject = makeFunction(it, f, s, s.args, []);
            fn = applyDecorators(it, f, base, fn, s, [...s.args.defaults, ...s.args.kwDefaults]);
            storeName(it, f, s.bindName ?? s.name, fn, s);
            return Flow.Normal;
        }
        case 'ClassDef': {
            const base = f.stack.length;
            for (const d of s.decorators) f.stack.push(evalExpr(it, f, d));
            let cls: PyObject = buildClass(it, f, s);
            cls = applyDecorators(it, f, base, cls, s, [...s.bases, ...s.keywords.map((k) => k.value)]);
            storeName(it, f, s.bindName ?? s.name, cls, s);
            return Flow.Normal;
        }
        case 'Import':
            for (const a of s.names) {
                const top = a.name.split('.')[0];
                // `import a.b` imports a.b (binding it on a), then binds `a`.
                if (!a.asname && top !== a.name && top !== 'os') it.decref(importModule(it, a.name, s));
                const m = importModule(it, a.asname ? a.name : top, s);
                storeName(it, f, a.asname ?? top, m, s);
            }
            return Flow.Normal;
        case 'ImportFrom': {
            if (s.module === '__future__') for (const a of s.names) it.futures.add(a.name);
            const m = importModule(it, s.module, s);
            try {
                for (const a of s.names) {
                    let v: PyObject;
                    try {
                        v = getAttr(it, m, a.name);
                    } catch (e) {
                        if (e instanceof PyRaise && e.exc.type === it.T.AttributeError && isSubmodule(`${s.module}.${a.name}`)) {
                            // _handle_fromlist: `from package import submodule` imports it.
                            dropRaise(it, e);
                            v = importModule(it, `${s.module}.${a.name}`, s);
                            storeName(it, f, a.asname ?? a.name, v, s);
                            continue;
                        }
                        if (e instanceof PyRaise && e.exc.type === it.T.AttributeError) {
                            dropRaise(it, e);
                            throw it.error('ImportError', `cannot import name '${a.name}' from '${s.module}'`);
                        }
                        throw e;
                    }
                    storeName(it, f, a.asname ?? a.name, v, s);
                }
            } finally {
                it.decref(m);
            }
            return Flow.Normal;
        }
        default:
            throw new Error(`internal: ${s.kind} statements are compiled`);
    }
}

/**
 * Calls the decorators pushed since `base`, innermost (last) first, each at the position the
 * profile's compiler gives its call (Profile.decoratorCallLine; `header`: the defaults or bases
 * evaluated after the decorators); the statement's own position is restored after them.
 */
function applyDecorators(it: Interpreter, f: Frame, base: number, obj: PyObject, s: ast.FunctionDef | ast.ClassDef, header: (ast.Expr | null)[]): PyObject {
    const mode = it.profile.decoratorCallLine;
    const lastLine = mode === 'last-expression' ? lastExpressionLine(s, header) : 0;
    let i = s.decorators.length;
    while (f.stack.length > base) {
        const d = f.stack.pop()!;
        f.stack.push(d);
        const node = s.decorators[--i];
        if (mode === 'decorator') {
            it.at(node);
            f.line = node.line;
            f.col = node.col;
        } else if (mode === 'last-expression') {
            it.line = f.line = lastLine;
        }
        let r: PyObject;
        try {
            r = call(it, d, [obj], null);
        } finally {
            it.decref(obj);
            f.stack.pop();
            it.decref(d);
        }
        obj = r;
    }
    it.at(s);
    f.line = s.line;
    f.col = s.col;
    return obj;
}

/** 2.7's line after a decorated statement's header: the latest line an expression in it starts on. */
function lastExpressionLine(s: ast.FunctionDef | ast.ClassDef, header: (ast.Expr | null)[]): number {
    let line = s.decorators.length ? s.decorators[0].line : s.line;
    const visit = (e: ast.Expr): void => {
        if (e.line > line) line = e.line;
        forEachChildExpr(e, visit);
    };
    for (const e of [...s.decorators, ...header]) if (e) visit(e);
    return line;
}

// ------------------------------------------------------------------------------------------------
// names and targets

/** STORE_NAME / STORE_FAST / … for a plain name: takes over the reference `v`. */
export function storeName(it: Interpreter, f: Frame, name: string, v: PyObject, at: ast.Range): void {
    const code = f.nameCode;
    const r = code.resolveName(name);
    storeResolved(it, f, r.kind, r.index, name, v, at, null);
}

/** `site`: the cache of the compiled Name store, if any (see nodeCache.ts). */
function storeResolved(it: Interpreter, f: Frame, kind: NameKind, index: number, name: string, v: PyObject, at: ast.Range, site: NameDictCache | null): void {
    switch (kind) {
        case NameKind.Fast: {
            const old = f.locals[index];
            f.locals[index] = v;
            it.heap.edgeFrom(EventKind.RefAdd, f.nodeId, v, name);
            if (old) {
                it.heap.edgeFrom(EventKind.RefDel, f.nodeId, old, name);
                it.decref(old);
            }
            return;
        }
        case NameKind.Deref: {
            const cell = f.locals[index] as PyCell;
            const old = cell.ref;
            cell.ref = v;
            it.heap.adopt(cell, v, name);
            if (old) it.heap.release(cell, old, name);
            return;
        }
        case NameKind.Comp: {
            const old = f.setCompValue(name, v);
            if (old) it.decref(old);
            return;
        }
        case NameKind.Global:
        case NameKind.Name: {
            const d = kind === NameKind.Global ? f.globals : f.localsDict ?? f.globals;
            it.at(at);
            if (site !== null) storeNameDict(it, site, d, nameStr(it, site), v);
            else d.set(it.heap, it.str(name), v);
            it.decref(v);
            return;
        }
    }
}

/** Assigns the owned reference `v` to an assignment target. */
export function storeTarget(it: Interpreter, f: Frame, t: ast.Expr, v: PyObject): void {
    storeFn(t)(it, f, v);
}

/** The target's compiled store, made on its first use. */
export function storeFn(t: ast.Expr): StoreFn {
    const h = t as StoreHolder;
    let fn = h.stf;
    if (fn === undefined) fn = h.stf = compileStore(t);
    return fn;
}

function compileStore(t: ast.Expr): StoreFn {
    switch (t.kind) {
        case 'Name': {
            // The resolution for the code object last seen (see compileName in eval.ts).
            let rc: CodeInfo | null = null;
            let kind = NameKind.Fast;
            let index = 0;
            const id = t.id;
            const site = new NameDictCache(id);
            return (it, f, v) => {
                const code = f.nameCode;
                if (code !== rc) {
                    const r = code.resolve(t);
                    rc = code;
                    kind = r.kind;
                    index = r.index;
                }
                storeResolved(it, f, kind, index, id, v, t, site);
            };
        }
        case 'Attribute': {
            const ownerFn = exprFn(t.value);
            const ownerLocal = t.value.kind === 'Name' ? fastLocalFn(t.value) : null;
            const attr = t.attr;
            const line = t.line;
            const col = t.col;
            const cache = new AttrSiteCache();
            return (it, f, v) => {
                // `self.x = v`: a bound fast local owner is loaded without holding `v` on the stack (see fastLocalFn).
                const local = ownerLocal !== null ? ownerLocal(f) : null;
                const owner = local !== null ? it.incref(local) : evalHolding(it, f, v, ownerFn, false);
                it.line = line;
                it.col = col;
                it.node = t;
                try {
                    setAttrCached(it, cache, owner, attr, v, t);
                } finally {
                    it.decref(v);
                    it.decref(owner);
                }
            };
        }
        case 'Subscript': {
            const ownerFn = exprFn(t.value);
            const keyFn = exprFn(t.slice);
            return (it, f, v) => {
                f.stack.push(v);
                const owner = ownerFn(it, f);
                f.stack.push(owner);
                const key = keyFn(it, f);
                f.stack.pop();
                f.stack.pop();
                it.at(t);
                try {
                    setItem(it, owner, key, v);
                } finally {
                    it.decref(v);
                    it.decref(owner);
                    it.decref(key);
                }
            };
        }
        case 'Tuple':
        case 'List':
            return (it, f, v) => unpack(it, f, t.elts, v, t);
        case 'Starred':
            return (it) => {
                throw it.error('SyntaxError', 'starred assignment target must be in a list or tuple');
            };
        default:
            return (it, _f, v) => {
                it.decref(v);
                throw unsupported(t, `assignment to ${t.kind}`);
            };
    }
}

/** unpack_iterable with a starred target: `before` items one by one, then list_extend of the iterator (fewer: those). */
function unpackStarItems(it: Interpreter, v: PyObject, before: number): PyObject[] {
    const iter = getIter(it, v);
    const items: PyObject[] = [];
    try {
        for (let i = 0; i < before; i++) {
            const x = iterNext(it, iter);
            if (x === null) return items;
            items.push(x);
        }
        for (const x of listExtendItems(it, iter)) items.push(x);
        return items;
    } catch (e) {
        for (const x of items) it.decref(x);
        throw e;
    } finally {
        it.decref(iter);
    }
}

/** UNPACK_SEQUENCE / UNPACK_EX: the sequence is released before the targets are stored. */
function unpack(it: Interpreter, f: Frame, elts: ast.Expr[], v: PyObject, at: ast.Range): void {
    let items: PyObject[];
    const star = elts.findIndex((e) => e.kind === 'Starred');
    if (v.type === it.T.tuple || v.type === it.T.list) {
        items = (v as PyTuple | PyList).items.map((x) => it.incref(x));
    } else {
        f.stack.push(v);
        try {
            // unpack_iterable: without a starred target it asks an iterator for one item more than
            // there are targets (a generator is not run to its end); with one it takes the items
            // before the star, then PySequence_List of the iterator the rest (its length hint asked).
            items = star < 0 ? collect(it, v, elts.length + 1) : unpackStarItems(it, v, star);
        } finally {
            f.stack.pop();
        }
    }
    if (star < 0 && items.length !== elts.length) {
        for (const x of items) it.decref(x);
        it.decref(v);
        it.at(at);
        if (items.length > elts.length) throw it.error('ValueError', msg(it.profile, 'tooManyToUnpack', elts.length));
        throw it.error('ValueError', msg(it.profile, 'notEnoughToUnpack', elts.length, items.length));
    }
    if (star >= 0) {
        const after = elts.length - star - 1;
        if (items.length < elts.length - 1) {
            for (const x of items) it.decref(x);
            it.decref(v);
            throw it.error('ValueError', `not enough values to unpack (expected at least ${elts.length - 1}, got ${items.length})`);
        }
        const middle = it.list(items.splice(star, items.length - star - after));
        items.splice(star, 0, middle);
    }
    it.decref(v);
    // The stack holds the items until each is stored, first target first.
    const base = f.stack.length;
    for (let i = items.length - 1; i >= 0; i--) f.stack.push(items[i]);
    for (let i = 0; i < elts.length; i++) {
        const x = f.stack.pop()!;
        const target = elts[i].kind === 'Starred' ? (elts[i] as ast.Starred).value : elts[i];
        storeTarget(it, f, target, x);
    }
    f.stack.length = base;
}

function deleteTarget(it: Interpreter, f: Frame, t: ast.Expr): void {
    switch (t.kind) {
        case 'Name': {
            const r = f.nameCode.resolve(t);
            it.at(t);
            if (r.kind === NameKind.Fast) {
                const old = f.locals[r.index];
                if (!old) throw it.error('UnboundLocalError', msg(it.profile, 'unboundLocal', t.id));
                f.locals[r.index] = null;
                it.heap.edgeFrom(EventKind.RefDel, f.nodeId, old, t.id);
                it.decref(old);
                return;
            }
            if (r.kind === NameKind.Deref) {
                const cell = f.locals[r.index] as PyCell;
                const old = cell.ref;
                if (!old) throw it.error('NameError', `free variable '${t.id}' referenced before assignment in enclosing scope`);
                cell.ref = null;
                it.heap.release(cell, old, t.id);
                return;
            }
            if (r.kind === NameKind.Comp) {
                const old = f.setCompValue(t.id, null);
                if (old) it.decref(old);
                return;
            }
            const d = r.kind === NameKind.Global ? f.globals : f.localsDict ?? f.globals;
            if (!d.delete(it.heap, it.str(t.id))) throw it.error('NameError', `name '${t.id}' is not defined`);
            return;
        }
        case 'Attribute': {
            const owner = evalExpr(it, f, t.value);
            it.at(t);
            try {
                delAttr(it, owner, t.attr);
            } finally {
                it.decref(owner);
            }
            return;
        }
        case 'Subscript': {
            const owner = evalExpr(it, f, t.value);
            f.stack.push(owner);
            const key = evalExpr(it, f, t.slice);
            f.stack.pop();
            it.at(t);
            try {
                delItem(it, owner, key);
            } finally {
                it.decref(owner);
                it.decref(key);
            }
            return;
        }
        case 'Tuple':
        case 'List':
            for (const e of t.elts) deleteTarget(it, f, e);
            return;
        default:
            throw unsupported(t, `del of ${t.kind}`);
    }
}

/** An augmented assignment's closure: a Name target is compiled, the others run `augAssign`. */
function compileAugAssign(s: ast.AugAssign): (it: Interpreter, f: Frame) => void {
    const t = s.target;
    if (t.kind !== 'Name') return (it, f) => augAssign(it, f, s);
    const curFn = exprFn(t);
    const rhsFn = exprFn(s.value);
    const rhsInert = isInert(s.value);
    const store = storeFn(t);
    const op = s.op;
    const line = s.line;
    const col = s.col;
    return (it, f) => {
        const cur = curFn(it, f);
        const rhs = evalHolding(it, f, cur, rhsFn, rhsInert);
        it.line = line;
        it.col = col;
        it.node = s;
        let r: PyObject;
        try {
            r = binaryOp(it, op, cur, rhs, true);
        } finally {
            it.decref(cur);
            it.decref(rhs);
        }
        store(it, f, r);
    };
}

/** `a.x += v`, `a[k] += v` (a Name target is compiled by compileAugAssign). */
function augAssign(it: Interpreter, f: Frame, s: ast.AugAssign): void {
    const t = s.target;
    if (t.kind === 'Attribute') {
        const owner = evalExpr(it, f, t.value);
        f.stack.push(owner);
        const cur = getAttr(it, owner, t.attr);
        f.stack.push(cur);
        const rhs = evalExpr(it, f, s.value);
        f.stack.pop();
        let r: PyObject;
        try {
            r = binaryOp(it, s.op, cur, rhs, true);
        } finally {
            it.decref(cur);
            it.decref(rhs);
        }
        f.stack.pop();
        try {
            setAttr(it, owner, t.attr, r, t);
        } finally {
            it.decref(r);
            it.decref(owner);
        }
        return;
    }
    if (t.kind === 'Subscript') {
        const owner = evalExpr(it, f, t.value);
        f.stack.push(owner);
        const key = evalExpr(it, f, t.slice);
        f.stack.push(key);
        const cur = getItem(it, owner, key);
        f.stack.push(cur);
        const rhs = evalExpr(it, f, s.value);
        f.stack.pop();
        let r: PyObject;
        try {
            r = binaryOp(it, s.op, cur, rhs, true);
        } finally {
            it.decref(cur);
            it.decref(rhs);
        }
        f.stack.pop();
        f.stack.pop();
        try {
            setItem(it, owner, key, r);
        } finally {
            it.decref(r);
            it.decref(owner);
            it.decref(key);
        }
        return;
    }
    throw unsupported(t, `augmented assignment to ${t.kind}`);
}

// ------------------------------------------------------------------------------------------------
// loops

function compileWhile(s: ast.While): StmtFn {
    const testFn = exprFn(s.test);
    const body = blockFns(s.body);
    const orelse = blockFns(s.orelse);
    const line = s.line;
    const col = s.col;
    return (it, f) => {
        for (;;) {
            it.evalBreaker();
            const t = testFn(it, f);
            const b = truthy(it, t);
            it.decref(t);
            if (!b) return runBlock(it, f, orelse);
            const flow = runBlock(it, f, body);
            if (flow === Flow.Break) return Flow.Normal;
            if (flow === Flow.Return) return flow;
            it.tickAt(line, col);
        }
    };
}

function compileFor(s: ast.For): StmtFn {
    const iterFn = exprFn(s.iter);
    const store = storeFn(s.target);
    const body = blockFns(s.body);
    const orelse = blockFns(s.orelse);
    const iterNode = s.iter;
    const line = s.line;
    const col = s.col;
    return (it, f) => {
        const iter = loopIterator(it, f, iterFn(it, f), iterNode);
        const depth = f.stack.length;
        for (let first = true; ; first = false) {
            // Each iteration starts at the header's line (FOR_ITER): the iterator's __next__ runs
            // there, and so does the release of the exhausted iterator (and of what it held).
            if (!first) it.tickAt(line, col);
            const x = iterNext(it, iter);
            if (!x) {
                // END_FOR: the exhausted iterator is popped, then the else clause runs.
                f.stack.length = depth - 1;
                it.decref(iter);
                return runBlock(it, f, orelse);
            }
            store(it, f, x);
            const flow = runBlock(it, f, body);
            if (flow === Flow.Break || flow === Flow.Return) {
                f.stack.length = depth - 1;
                it.decref(iter);
                return flow === Flow.Break ? Flow.Normal : flow;
            }
            it.evalBreaker();
        }
    };
}

/** GET_ITER for a for loop (the iterable is released): the iterator stays on the value stack for the loop. */
export function loopIterator(it: Interpreter, f: Frame, iterable: PyObject, iterNode: ast.Range): PyObject {
    f.stack.push(iterable);
    it.at(iterNode);
    const iter = getIter(it, iterable);
    f.stack.pop();
    it.decref(iterable);
    f.stack.push(iter);
    return iter;
}

// ------------------------------------------------------------------------------------------------
// exceptions

/** Sets `__context__` to the exception being handled, as _PyErr_SetObject does. */
export function raiseNew(it: Interpreter, exc: PyException): PyRaise {
    const cur = it.handled.length ? it.handled[it.handled.length - 1] : null;
    if (cur && cur !== exc && it.profile.major === 3 && !exc.context) {
        // Avoid a cycle in the context chain.
        let o: PyException | null = cur;
        let cycle = false;
        while (o) {
            if (o === exc) {
                cycle = true;
                break;
            }
            o = o.context as PyException | null;
        }
        if (!cycle) {
            exc.context = it.incref(cur);
            it.heap.adopt(exc, cur, '__context__');
        }
    }
    return new PyRaise(exc);
}

function instantiateException(it: Interpreter, v: PyObject): PyException {
    // 2.7 raises classic classes and instances too (classobject.ts): not modelled.
    if (v.type.classic || (v instanceof PyType && v.classic)) throw new EngineStop({ kind: 'unsupported', message: 'not supported in scenarios yet: raising an old-style class or instance (Python 2.7)', line: it.line || 1, col: it.col || 1 });
    if (v instanceof PyType) {
        if (!v.isSubtypeOf(it.T.BaseException)) {
            it.decref(v);
            throw it.error('TypeError', 'exceptions must derive from BaseException');
        }
        const e = call(it, v, [], null);
        it.decref(v);
        if (!(e instanceof PyException)) throw it.error('TypeError', 'exceptions must derive from BaseException');
        return e;
    }
    if (!(v instanceof PyException)) {
        it.decref(v);
        throw it.error('TypeError', 'exceptions must derive from BaseException');
    }
    return v;
}

/**
 * 2.7's `raise E, V` (RAISE_VARARGS 2, do_raise and PyErr_NormalizeException): a class is called
 * with V (its items when V is a tuple, nothing when None) unless V is already an instance of it;
 * an instance takes no separate value. Both references are consumed.
 */
function raiseVarargs27(it: Interpreter, type: PyObject, value: PyObject): PyException {
    if (!(type instanceof PyType)) {
        if (value !== it.None) {
            it.decref(type);
            it.decref(value);
            throw it.error('TypeError', 'instance exception may not have a separate value');
        }
        it.decref(value);
        return instantiateException(it, type);
    }
    if (value instanceof PyException && value.type.isSubtypeOf(type)) {
        it.decref(type);
        return value;
    }
    if (!type.isSubtypeOf(it.T.BaseException)) {
        it.decref(value);
        return instantiateException(it, type);
    }
    const args = value === it.None ? [] : value instanceof PyTuple ? value.items : [value];
    let e: PyObject;
    try {
        e = call(it, type, args, null);
    } finally {
        it.decref(type);
        it.decref(value);
    }
    if (!(e instanceof PyException)) {
        it.decref(e);
        throw it.error('TypeError', 'exceptions must derive from BaseException');
    }
    return e;
}

function raiseStmt(it: Interpreter, f: Frame, s: ast.Raise): PyRaise {
    if (!s.exc) {
        const cur = it.handled[it.handled.length - 1];
        if (!cur) throw it.error(it.profile.major === 2 ? 'TypeError' : 'RuntimeError', msg(it.profile, 'reraiseNothing'));
        const r = new PyRaise(it.incref(cur));
        const tb = it.handledTbs[it.handledTbs.length - 1];
        if (tb) r.tb = it.incref(tb);
        (r as { tbFrame?: Frame }).tbFrame = f;
        return r;
    }
    const exc = s.value ? raiseVarargs27(it, evalExpr(it, f, s.exc), evalExpr(it, f, s.value)) : instantiateException(it, evalExpr(it, f, s.exc));
    if (s.cause) {
        let cause: PyObject | null = evalExpr(it, f, s.cause);
        if (cause === it.None) {
            cause = null;
        } else if (cause instanceof PyType) {
            cause = instantiateException(it, cause);
        } else if (!(cause instanceof PyException)) {
            it.decref(cause);
            it.decref(exc);
            throw it.error('TypeError', 'exception causes must derive from BaseException');
        }
        const old = exc.cause;
        exc.cause = cause;
        if (cause) it.heap.adopt(exc, cause, '__cause__');
        exc.suppressContext = true;
        if (old) it.heap.release(exc, old, '__cause__');
    }
    it.at(s);
    return raiseNew(it, exc);
}

/** Does exception `e` match the class (or tuple of classes) `t`? */
function matches(it: Interpreter, e: PyException, t: PyObject): boolean {
    if (t instanceof PyTuple) return t.items.some((x) => matches(it, e, x));
    if (t instanceof PyType) return e.type.isSubtypeOf(t);
    throw it.error('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
}

function execTry(it: Interpreter, f: Frame, s: ast.Try): Flow {
    const depth = f.stack.length;
    let flow: Flow;
    try {
        flow = execBlock(it, f, s.body);
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        addTraceback(it, e, f);
        unwindStack(it, f, depth);
        return handleException(it, f, s, e, depth);
    }
    if (flow === Flow.Normal && s.orelse.length) {
        try {
            flow = execBlock(it, f, s.orelse);
        } catch (e) {
            if (!(e instanceof PyRaise) || !s.finalbody.length) throw e;
            addTraceback(it, e, f);
            unwindStack(it, f, depth);
            return runFinally(it, f, s, Flow.Normal, e);
        }
    }
    return runFinally(it, f, s, flow, null);
}

/**
 * Runs the matching handler, or lets the exception continue; the finally body runs once in every
 * case: after the handler, with the exception still propagating when none matches, or with the
 * exception a handler (or a handler's clause) raised.
 */
function handleException(it: Interpreter, f: Frame, s: ast.Try, r: PyRaise, depth: number): Flow {
    // 2.7: entering an except block normalizes the pending exception (PyErr_NormalizeException).
    if (s.handlers.length) r.exc.unnormalized = null;
    let handler: ast.ExceptHandler | null = null;
    try {
        for (const h of s.handlers) {
            if (!h.type) {
                handler = h;
                break;
            }
            it.tick(h);
            if (matchesHandler(it, f, h, r)) {
                handler = h;
                break;
            }
        }
    } catch (inner) {
        if (!(inner instanceof PyRaise) || !s.finalbody.length) throw inner;
        addTraceback(it, inner, f);
        unwindStack(it, f, depth);
        return runFinally(it, f, s, Flow.Normal, inner);
    }
    if (handler === null) return runFinally(it, f, s, Flow.Normal, r);
    if (!s.finalbody.length) return runHandler(it, f, handler, r);
    let flow: Flow;
    try {
        flow = runHandler(it, f, handler, r);
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        addTraceback(it, e, f);
        unwindStack(it, f, depth);
        return runFinally(it, f, s, Flow.Normal, e);
    }
    return runFinally(it, f, s, flow, null);
}

/** Does handler `h`'s clause match the exception of `r`? An error evaluating the clause drops `r`. */
export function matchesHandler(it: Interpreter, f: Frame, h: ast.ExceptHandler, r: PyRaise): boolean {
    let ok: boolean;
    try {
        const t = evalExpr(it, f, h.type!);
        ok = matches(it, r.exc, t);
        it.decref(t);
    } catch (inner) {
        dropRaise(it, r);
        throw inner;
    }
    return ok;
}

function runHandler(it: Interpreter, f: Frame, h: ast.ExceptHandler, r: PyRaise): Flow {
    const exc = r.exc;
    // PUSH_EXC_INFO: the exception is "being handled" (sys.exc_info) and owns the raise's reference.
    pushHandledFor(it, f, exc, r.tb);
    r.tb = null;
    if (h.name) storeName(it, f, h.name, it.incref(exc), h);
    let flow: Flow;
    try {
        flow = execBlock(it, f, h.body);
    } catch (e) {
        endHandler(it, f, h);
        throw e;
    }
    endHandler(it, f, h);
    return flow;
}

/** POP_EXCEPT, then (3.x) `name = None; del name`. 2.7 keeps both until the frame exits. */
export function endHandler(it: Interpreter, f: Frame, h: ast.ExceptHandler): void {
    if (!it.profile.exceptNameCleared) return;
    it.popHandled();
    if (h.name) {
        const r = f.nameCode.resolveName(h.name);
        if (r.kind === NameKind.Fast) {
            const old = f.locals[r.index];
            f.locals[r.index] = null;
            if (old) {
                it.heap.edgeFrom(EventKind.RefDel, f.nodeId, old, h.name);
                it.decref(old);
            }
        } else if (r.kind === NameKind.Deref) {
            const cell = f.locals[r.index] as PyCell;
            const old = cell.ref;
            cell.ref = null;
            if (old) it.heap.release(cell, old, h.name);
        } else {
            storeName(it, f, h.name, it.None, h);
            const d = r.kind === NameKind.Global ? f.globals : f.localsDict ?? f.globals;
            d.delete(it.heap, it.str(h.name));
        }
    }
}

/** 2.7 keeps one handled exception per frame (set_exc_info replaces it); 3.x stacks them. */
export function pushHandledFor(it: Interpreter, f: Frame, exc: PyException, tb: PyObject | null): void {
    if (!it.profile.exceptNameCleared && it.handledFrames[it.handledFrames.length - 1] === f) {
        // set_exc_info: the new exception replaces the one this frame was holding.
        const oldExc = it.handled.pop()!;
        it.handledFrames.pop();
        const oldTb = it.handledTbs.pop();
        it.pushHandled(exc, f, tb);
        it.decref(oldExc);
        if (oldTb) it.decref(oldTb);
        return;
    }
    it.pushHandled(exc, f, tb);
}

/**
 * `finally`: runs after the try/except/else; `pending` is an exception still propagating
 * (it is "being handled" while the finally body runs, and re-raised after unless the body
 * returns, breaks or continues).
 */
function runFinally(it: Interpreter, f: Frame, s: ast.Try, flow: Flow, pending: PyRaise | null): Flow {
    if (!s.finalbody.length) {
        if (pending) throw pending;
        return flow;
    }
    return runFinallySync(it, f, blockFns(s.finalbody), flow, pending);
}

/** runFinally for a compiled finally body (also resumable.ts's, when that body cannot suspend). */
export function runFinallySync(it: Interpreter, f: Frame, finalbody: StmtFn[], flow: Flow, pending: PyRaise | null): Flow {
    const savedRet = flow === Flow.Return ? f.retval : null;
    if (pending) it.pushHandled(it.incref(pending.exc), f, pending.tb ? it.incref(pending.tb) : null);
    let fflow: Flow;
    try {
        fflow = runBlock(it, f, finalbody);
    } catch (e) {
        if (pending) {
            it.popHandled();
            dropRaise(it, pending);
        }
        if (savedRet) it.decref(savedRet);
        throw e;
    }
    if (pending) it.popHandled();
    if (fflow !== Flow.Normal) {
        if (pending) dropRaise(it, pending);
        if (savedRet) it.decref(savedRet);
        return fflow;
    }
    if (pending) throw pending;
    if (flow === Flow.Return) f.retval = savedRet;
    return flow;
}

// ------------------------------------------------------------------------------------------------
// with

function execWith(it: Interpreter, f: Frame, s: ast.With, i: number): Flow {
    if (i >= s.items.length) return execBlock(it, f, s.body);
    const item = s.items[i];
    const w = beginWith(it, f, item);
    const depth = f.stack.length;
    let flow: Flow;
    try {
        flow = execWith(it, f, s, i + 1);
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        addTraceback(it, e, f);
        unwindStack(it, f, depth);
        atWithExit(it, s, true);
        if (exitOnException(it, f, w, e)) return Flow.Normal;
        throw e;
    }
    atWithExit(it, s, false);
    exitNormally(it, f, w);
    return flow;
}

/**
 * The line the exit runs at (Profile.withExitLine): 3.10+ the `with` statement's (a new line
 * event, as CPython's tracer sees it); before, the body's last line, where an exception that left
 * the body earlier moves it too. (Each item of a multi-item with exits at the same line.)
 */
export function atWithExit(it: Interpreter, s: ast.With, raised: boolean): void {
    if (it.profile.withExitLine === 'with-statement') {
        it.tickAt(s.line, s.col);
        return;
    }
    if (!raised) return;
    const last = lastSimpleStatement(s.body);
    if (last && last.line !== it.line) it.tickAt(last.line, last.col);
}

/** The statement whose bytecode comes last in a block (the innermost last statement of a compound one). */
function lastSimpleStatement(body: ast.Stmt[]): ast.Stmt | null {
    let s: ast.Stmt | undefined = body[body.length - 1];
    for (;;) {
        if (!s) return null;
        const n = s as unknown as Record<string, unknown>;
        const next = (['finalbody', 'orelse', 'body'] as const).map((k) => n[k]).find((b): b is ast.Stmt[] => Array.isArray(b) && b.length > 0);
        if (!next || s.kind === 'FunctionDef' || s.kind === 'ClassDef') return s;
        s = next[next.length - 1];
    }
}

/** What BEFORE_WITH leaves on the stack: the exit to call (and, for a built-in __exit__, its self). */
export interface WithExit {
    exit: PyObject;
    exitFn: PyObject;
    bound: boolean;
}

/**
 * BEFORE_WITH, then the `as` target: the bound __exit__ stays on the value stack for the whole
 * block (a built-in __exit__ keeps the manager there under it, as its bound method would), the
 * manager is released, __enter__'s result is stored.
 */
export function beginWith(it: Interpreter, f: Frame, item: ast.WithItem): WithExit {
    const p = withPrologue(it, f, item);
    let res: PyObject;
    try {
        res = callBound(it, p.enterFn, p.mgr, []);
    } catch (e) {
        withEnterFailed(it, f, p);
        throw e;
    }
    return withEntered(it, f, item, p, res);
}

/** SETUP_WITH up to the `__enter__` call: the manager, its `__enter__`, and `__exit__` pushed. */
export interface WithPrologue {
    mgr: PyObject;
    enterFn: PyObject;
    /**
     * The bound method special_lookup made of a Python `__enter__` (alive until the call returns);
     * the engine calls enterFn with mgr, which is the same call.
     */
    enterBound: PyObject | null;
    w: WithExit;
}

export function withPrologue(it: Interpreter, f: Frame, item: ast.WithItem): WithPrologue {
    const mgr = evalExpr(it, f, item.contextExpr);
    it.at(item);
    const enterFn = lookupSpecial(it, mgr, '__enter__');
    const exitFn = lookupSpecial(it, mgr, '__exit__');
    if (!enterFn || !exitFn) {
        it.decref(mgr);
        throw it.error(errorType(it.profile, 'notContextManager'), msg(it.profile, 'notContextManager', mgr.type.name, enterFn ? '0' : '1', exitFn ? '0' : '1'));
    }
    // SETUP_WITH / BEFORE_WITH bind both (special_lookup: tp_descr_get makes a Python function a
    // bound method, a C method descriptor — an io object's, a lock's — a builtin_function_or_method
    // bound to the manager); 3.x looks __enter__ up first, 2.7 __exit__.
    const enterFirst = it.profile.major !== 2;
    const enterBound = enterFirst ? bindSpecial(it, enterFn, mgr) : null;
    const exitBound = bindSpecial(it, exitFn, mgr);
    const bound = exitBound !== null;
    const exit = exitBound ?? it.incref(exitFn);
    if (!bound) f.stack.push(it.incref(mgr));
    f.stack.push(exit);
    return { mgr, enterFn, enterBound: enterFirst ? enterBound : bindSpecial(it, enterFn, mgr), w: { exit, exitFn, bound } };
}

/** special_lookup's binding of a function or C method descriptor found on the type; null for anything else. */
function bindSpecial(it: Interpreter, fn: PyObject, mgr: PyObject): PyObject | null {
    if (fn instanceof PyFunction) return newBoundMethod(it, fn, mgr);
    if (fn instanceof PyBuiltin && fn.isMethodDescriptor) return bindDescriptor(it, fn, mgr, mgr.type);
    return null;
}

export function withEnterFailed(it: Interpreter, f: Frame, p: WithPrologue): void {
    if (p.enterBound) it.decref(p.enterBound);
    it.decref(p.mgr);
    dropWith(it, f, p.w);
}

/** `__enter__` returned `res`: bound to the `as` target (or dropped). */
export function withEntered(it: Interpreter, f: Frame, item: ast.WithItem, p: WithPrologue, res: PyObject): WithExit {
    if (p.enterBound) it.decref(p.enterBound);
    it.decref(p.mgr);
    if (item.optionalVars) storeTarget(it, f, item.optionalVars, res);
    else it.decref(res);
    return p.w;
}

function callExit(it: Interpreter, f: Frame, w: WithExit, args: PyObject[]): PyObject {
    if (w.bound) return call(it, w.exit, args, null);
    return callBound(it, w.exitFn, f.stack[f.stack.length - 2], args);
}

/** The with is over: its exit (and manager) leave the stack. */
function dropWith(it: Interpreter, f: Frame, w: WithExit): void {
    f.stack.pop();
    it.decref(w.exit);
    if (!w.bound) it.decref(f.stack.pop()!);
}

/** `__exit__(None, None, None)` at the end of the block. */
export function exitNormally(it: Interpreter, f: Frame, w: WithExit): void {
    try {
        it.decref(callExit(it, f, w, [it.None, it.None, it.None]));
    } finally {
        dropWith(it, f, w);
    }
}

/**
 * WITH_EXCEPT_START: `__exit__(type, value, tb)` while the exception is being handled. Answers
 * whether it suppressed the exception (then dropped); an error raised by __exit__ replaces it.
 */
export function exitOnException(it: Interpreter, f: Frame, w: WithExit, e: PyRaise): boolean {
    const exc = e.exc;
    const keeps = it.profile.withExitSetsExcInfo;
    if (keeps) pushHandledFor(it, f, it.incref(exc), e.tb ? it.incref(e.tb) : null);
    else it.pushHandled(it.incref(exc), f, e.tb ? it.incref(e.tb) : null);
    let suppress: boolean;
    try {
        const tb = exc.traceback ?? e.tb ?? it.None;
        const r = callExit(it, f, w, [exc.type, exc, tb]);
        suppress = truthy(it, r);
        it.decref(r);
    } catch (inner) {
        if (!keeps) it.popHandled();
        dropRaise(it, e);
        dropWith(it, f, w);
        throw inner;
    }
    if (!keeps) it.popHandled();
    // 3.10+: the exception goes on with RERAISE, which restores the frame's instruction (and line)
    // to where it was raised: the exit and manager are released there.
    if (!suppress && it.profile.withExitLine === 'with-statement') {
        const tb = (it.profile.exceptionHasTraceback ? exc.traceback : e.tb) as PyTraceback | null;
        if (tb && tb.line !== it.line) it.tickAt(tb.line, it.col);
    }
    dropWith(it, f, w);
    if (suppress) dropRaise(it, e);
    return suppress;
}

// ------------------------------------------------------------------------------------------------
// code objects

/** The CodeInfo of a scope node (functions, lambdas, classes, comprehensions), created once per run. */
export function codeFor(it: Interpreter, node: CodeInfo['node'], parent: CodeInfo | null): CodeInfo {
    let c = it.codes.get(node);
    if (c) return c;
    const scope = it.scopes.of(node);
    if (!scope) throw new Error(`internal: no scope for ${node.kind} at ${node.line}:${node.col}`);
    const name =
        node.kind === 'FunctionDef' || node.kind === 'ClassDef'
            ? node.name
            : node.kind === 'Lambda'
              ? '<lambda>'
              : node.kind === 'ListComp'
                ? '<listcomp>'
                : node.kind === 'SetComp'
                  ? '<setcomp>'
                  : node.kind === 'DictComp'
                    ? '<dictcomp>'
                    : node.kind === 'GeneratorExp'
                      ? '<genexpr>'
                      : '<module>';
    let qualname = name;
    if (parent && parent.scope.kind !== 'module') {
        qualname = parent.scope.kind === 'class' ? `${parent.qualname}.${name}` : `${parent.qualname}.<locals>.${name}`;
    }
    c = new CodeInfo(scope, node, name, qualname, it.fileName, it.profile, parent);
    it.codes.set(node, c);
    return c;
}

export { runFrame, PyStr, PyDict };
