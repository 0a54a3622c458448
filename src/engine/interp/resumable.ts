/*
 * resumable.ts
 *
 * The resumable execution mode: running a frame that can be suspended in the middle and resumed
 * later (CPython's YIELD_VALUE, RESUME and SEND: the frame lives on in its generator between them).
 *
 * DESIGN (also for the engineer who runs a whole thread's stack this way, issue 16)
 *
 * The interpreter normally compiles each AST node to a synchronous closure (eval.ts, exec.ts): fast,
 * but a closure cannot stop halfway and continue later. Here a code body is compiled a second way,
 * to JavaScript generator functions: a statement becomes `(it, f) => Generator<PyObject, Flow,
 * PyObject>` and an expression `(it, f) => Generator<PyObject, PyObject, PyObject>`. A Python
 * suspension point is a JS `yield`: the value yielded out is an owned reference handed to whoever
 * resumed the frame, and the value `next(v)` passes back in is an owned reference that becomes the
 * result of the Python expression; `throw(raise)` raises a PyRaise at that point (gen.throw, close).
 *
 *   - Only the sub-trees that can suspend are compiled this way (`suspends`, memoised per node);
 *     every other sub-tree runs its ordinary synchronous closure, so the cost of being resumable is
 *     paid only along the path from the body down to each suspension point, and code that never
 *     runs resumably (every function without a yield) pays nothing at all: the synchronous
 *     compiler and the call path are unchanged.
 *   - Python-visible state never lives in JavaScript variables across a suspension: the frame's
 *     locals, its value stack (`f.stack`: what CPython would have on the stack there, e.g. a for
 *     loop's iterator, a with's bound __exit__, a call's pushed arguments), and the exceptions being
 *     handled (`it.handled`, saved into the generator while it is suspended) hold every reference.
 *     The collector traverses them, the report draws them, and a frame that is never resumed can be
 *     cleared by releasing them, exactly as _PyFrame_ClearLocals does: the abandoned JS generator
 *     is then simply dropped (its `finally` blocks must not, and do not, release anything). JS
 *     variables may hold references only between two suspension points.
 *   - The resumable statements mirror exec.ts statement by statement (same stack discipline, same
 *     release order, same exception handling); try/with keep the exception-handler depth the
 *     finalizer shortcuts need (2.7 PyGen_NeedsFinalizing, 3.13 gen_close).
 *
 * What the threads engineer reuses: the compiler is parameterised by what "can suspend" means
 * (`Suspension`); generators use "contains a yield of this scope". A thread that must be able to
 * block inside nested Python calls needs "contains a call" (and the blocking builtins), plus one
 * more resumable node: a Call whose callee is a Python function runs the callee's frame through
 * `frameBody(code)` with `yield*` instead of `runFrame`, so a block deep in the stack suspends every
 * frame above it; each JS generator on the way is one Python frame. The thread's scheduler then
 * plays the role genobject.ts's gen_send_ex plays for a generator: it pushes the frame chain on the
 * interpreter (`it.frame`, `it.depth`, the handled exceptions), calls `next()`, and on a suspension
 * pops it again. Frames run synchronously (the fast closures) where no suspension can happen.
 */

import type * as ast from '../parser/ast';
import { PyObject } from '../runtime/object';
import type { Interpreter } from './interpreter';
import type { Frame } from './frame';
import type { CodeInfo } from './code';
import { Flow, PyRaise, dropRaise } from './signals';
import { exprFn, unsupported, calleeFn, finishCall, type ExprFn } from './eval';
import { stmtFn, storeFn, storeName, enterStmt, matchesHandler, pushHandledFor, endHandler, runFinallySync, beginWith, exitNormally, exitOnException, atWithExit, loopIterator, type StmtFn, type StoreFn } from './exec';
import { sendInto, takeSubResult } from './genobject';
import { addTraceback, unwindStack } from './calls';
import { binaryOp, unaryOp, compareObj, truthy, getIter, iterNext } from './ops';
import { getAttr } from './attrs';
import { getItem } from './items';
import type { KwArgs } from '../runtime/callables';
import { storeTarget } from './exec';
import { finishCallInThread, beginWithInThread } from '../threads/threadcall';

/** A resumable computation: yields owned values out, receives owned values in, returns T. */
export type Resumable<T> = Generator<PyObject, T, PyObject>;
export type RStmtFn = (it: Interpreter, f: Frame) => Resumable<Flow>;
export type RExprFn = (it: Interpreter, f: Frame) => Resumable<PyObject>;

/** The generator running frame `f` (resumable code runs only in generator frames for now). */
interface GenState {
    yieldFrom: PyObject | null;
    yfResume: number;
    blocks27: number;
    handlers3: number;
}
/** A thread's frames (threads/threadcall.ts) have no generator: their counters are never read. */
const THREAD_FRAME: GenState = { yieldFrom: null, yfResume: 0, blocks27: 0, handlers3: 0 };
function genOf(f: Frame): GenState {
    return (f.gen as unknown as GenState | null) ?? THREAD_FRAME;
}

// ------------------------------------------------------------------------------------------------
// what can suspend

interface SuspendMemo {
    /** 1: contains a suspension point of this scope's code; 0: does not. */
    sus?: 0 | 1;
    rsf?: RStmtFn;
    rxf?: RExprFn;
    /** The same three for the thread mode (a node compiled both ways keeps both). */
    thr?: SuspendMemo;
}

/**
 * What "can suspend" means while compiling: a generator body suspends at its yields; a thread's
 * code (threads/threadcall.ts) at any call that may block (a Python function whose body may
 * block, or a blocking built-in). Set only for the duration of one synchronous compilation.
 */
let threadMode = false;

function memo(node: ast.Node): SuspendMemo {
    const h = node as SuspendMemo;
    return threadMode ? (h.thr ??= {}) : h;
}

/** Compiles `code`'s body for a thread (every call is a possible suspension point). */
export function compileThreadBody(code: CodeInfo, body: ast.Stmt[]): RStmtFn {
    const saved = threadMode;
    threadMode = true;
    try {
        const b = rblock(body);
        return (it, f) => runR(it, f, b);
    } finally {
        threadMode = saved;
    }
}

/**
 * Can evaluating `node` suspend the frame: does it contain a `yield` / `yield from` evaluated by
 * this scope's code? Nested scopes do not count, except the parts the enclosing code evaluates
 * (default values, decorators, class bases, a comprehension's first iterable).
 */
export function suspends(node: ast.Node): boolean {
    const h = memo(node);
    if (h.sus === undefined) h.sus = (threadMode ? threadScan(node) : scan(node)) ? 1 : 0;
    return h.sus === 1;
}

function scan(node: ast.Node): boolean {
    const n = node as ast.Node & Record<string, unknown>;
    switch (n.kind) {
        case 'Yield':
        case 'YieldFrom':
            return true;
        case 'FunctionDef': {
            const d = node as ast.FunctionDef;
            return d.decorators.some(suspends) || argsSuspend(d.args);
        }
        case 'Lambda':
            return argsSuspend((node as ast.Lambda).args);
        case 'ClassDef': {
            const c = node as ast.ClassDef;
            return c.decorators.some(suspends) || c.bases.some(suspends) || c.keywords.some((k) => suspends(k.value));
        }
        case 'ListComp':
        case 'SetComp':
        case 'DictComp':
        case 'GeneratorExp':
            return suspends((node as ast.ListComp).generators[0].iter);
    }
    for (const key in n) {
        if (key === 'line' || key === 'col' || key === 'endLine' || key === 'endCol' || key === 'kind') continue;
        const v = n[key];
        if (Array.isArray(v)) {
            for (const x of v) if (x && typeof x === 'object' && 'kind' in x && suspends(x as ast.Node)) return true;
        } else if (v && typeof v === 'object' && 'kind' in (v as object) && suspends(v as ast.Node)) return true;
    }
    return false;
}

/**
 * Thread mode: can this node block? A call can (unless it uses *args/**kwargs, which the
 * resumable call does not handle: it then runs synchronously, and a block inside it is refused at
 * run time); so can the statements and expressions the resumable compiler handles when a part of
 * theirs can, as long as none of their parts it cannot suspend in (targets, handler types, with
 * items, chained comparisons, starred displays) can block. Everything else runs synchronously.
 */
function threadScan(node: ast.Node): boolean {
    const any = (xs: (ast.Node | null | undefined)[]): boolean => xs.some((x) => !!x && suspends(x));
    switch (node.kind) {
        case 'Call': {
            const c = node as ast.Call;
            return !c.args.some((a) => a.kind === 'Starred') && !c.keywords.some((k) => k.arg === null);
        }
        case 'Expr':
            return suspends((node as ast.ExprStmt).value);
        case 'Return':
            return !!(node as ast.Return).value && suspends((node as ast.Return).value!);
        case 'Assign': {
            const a = node as ast.Assign;
            return suspends(a.value) && !any(a.targets);
        }
        case 'AugAssign': {
            const a = node as ast.AugAssign;
            return a.target.kind === 'Name' && suspends(a.value);
        }
        case 'If':
        case 'While': {
            const s = node as ast.If;
            return suspends(s.test) || any(s.body) || any(s.orelse);
        }
        case 'For': {
            const s = node as ast.For;
            return !suspends(s.target) && (suspends(s.iter) || any(s.body) || any(s.orelse));
        }
        case 'Try': {
            const s = node as ast.Try;
            if (s.handlers.some((h) => h.type && suspends(h.type))) return false;
            return any(s.body) || any(s.orelse) || any(s.finalbody) || s.handlers.some((h) => any(h.body));
        }
        case 'With': {
            const s = node as ast.With;
            if (s.items.some((i) => suspends(i.contextExpr) || (i.optionalVars && suspends(i.optionalVars)))) return false;
            // Entering can block (a lock's __enter__): every with statement can suspend.
            return true;
        }
        case 'BinOp': {
            const e = node as ast.BinOp;
            return suspends(e.left) || suspends(e.right);
        }
        case 'UnaryOp':
            return suspends((node as ast.UnaryOp).operand);
        case 'Compare': {
            const e = node as ast.Compare;
            return e.ops.length === 1 && (suspends(e.left) || suspends(e.comparators[0]));
        }
        case 'BoolOp':
            return any((node as ast.BoolOp).values);
        case 'IfExp': {
            const e = node as ast.IfExp;
            return suspends(e.test) || suspends(e.body) || suspends(e.orelse);
        }
        case 'Attribute':
            return suspends((node as ast.Attribute).value);
        case 'Subscript': {
            const e = node as ast.Subscript;
            return suspends(e.value) || suspends(e.slice);
        }
        case 'Tuple':
        case 'List': {
            const e = node as ast.TupleExpr;
            return !e.elts.some((x) => x.kind === 'Starred') && any(e.elts);
        }
        case 'NamedExpr':
            return suspends((node as ast.NamedExpr).value);
        default:
            return false;
    }
}

function argsSuspend(a: ast.Arguments): boolean {
    return a.defaults.some(suspends) || a.kwDefaults.some((d) => d !== null && suspends(d));
}

// ------------------------------------------------------------------------------------------------
// bodies and blocks

interface CodeBody {
    genBody?: RStmtFn;
}

/** The resumable body of a generator's code (compiled once per code object). */
export function generatorBody(code: CodeInfo): RStmtFn {
    const h = code as CodeBody;
    if (h.genBody === undefined) {
        const n = code.node;
        if (n.kind === 'GeneratorExp') h.genBody = genexpBody(n);
        else if (n.kind === 'FunctionDef') {
            const b = rblock(n.body);
            h.genBody = (it, f) => runR(it, f, b);
        } else if (n.kind === 'Lambda') {
            // `lambda: (yield x)`: the body's value is the generator's return value.
            const ret: ast.Return = { kind: 'Return', value: n.body, line: n.body.line, col: n.body.col, endLine: n.body.endLine, endCol: n.body.endCol };
            const b = rblock([ret]);
            h.genBody = (it, f) => runR(it, f, b);
        } else throw new Error(`internal: no generator body for ${n.kind}`);
    }
    return h.genBody;
}

/** A block's statements: the synchronous closure of each one that cannot suspend, else its resumable one. */
interface RBlock {
    sync: (StmtFn | null)[];
    res: (RStmtFn | null)[];
}

function rblock(body: ast.Stmt[]): RBlock {
    const sync: (StmtFn | null)[] = [];
    const res: (RStmtFn | null)[] = [];
    for (const s of body) {
        if (suspends(s)) {
            sync.push(null);
            res.push(rstmt(s));
        } else {
            sync.push(stmtFn(s));
            res.push(null);
        }
    }
    return { sync, res };
}

function* runR(it: Interpreter, f: Frame, b: RBlock): Resumable<Flow> {
    const { sync, res } = b;
    for (let i = 0; i < sync.length; i++) {
        const s = sync[i];
        const flow = s !== null ? s(it, f) : yield* res[i]!(it, f);
        if (flow !== Flow.Normal) return flow;
    }
    return Flow.Normal;
}

// ------------------------------------------------------------------------------------------------
// statements

function rstmt(s: ast.Stmt): RStmtFn {
    const h = memo(s);
    if (h.rsf === undefined) h.rsf = compileRStmt(s);
    return h.rsf;
}

function compileRStmt(s: ast.Stmt): RStmtFn {
    const line = s.line;
    const col = s.col;
    switch (s.kind) {
        case 'Expr': {
            const v = rexpr(s.value);
            return function* (it, f) {
                enterStmt(it, f, s, line, col);
                it.decref(yield* v(it, f));
                return Flow.Normal;
            };
        }
        case 'Assign': {
            const v = rexpr(s.value);
            for (const t of s.targets) if (suspends(t)) throw unsupported(t, 'yield inside an assignment target');
            const stores = s.targets.map(storeFn);
            const n = stores.length;
            return function* (it, f) {
                enterStmt(it, f, s, line, col);
                const value = yield* v(it, f);
                for (let i = 0; i < n - 1; i++) it.incref(value);
                for (let i = 0; i < n; i++) stores[i](it, f, value);
                return Flow.Normal;
            };
        }
        case 'AugAssign':
            return compileRAugAssign(s);
        case 'Return': {
            const v = rexpr(s.value!);
            return function* (it, f) {
                enterStmt(it, f, s, line, col);
                f.retval = yield* v(it, f);
                return Flow.Return;
            };
        }
        case 'If': {
            const test = part(s.test);
            const body = rblock(s.body);
            const orelse = rblock(s.orelse);
            return function* (it, f) {
                enterStmt(it, f, s, line, col);
                const t = test.r !== null ? yield* test.r(it, f) : test.s!(it, f);
                const b = truthy(it, t);
                it.decref(t);
                return yield* runR(it, f, b ? body : orelse);
            };
        }
        case 'While': {
            const test = part(s.test);
            const body = rblock(s.body);
            const orelse = rblock(s.orelse);
            return function* (it, f) {
                enterStmt(it, f, s, line, col);
                for (;;) {
                    it.evalBreaker();
                    const t = test.r !== null ? yield* test.r(it, f) : test.s!(it, f);
                    const b = truthy(it, t);
                    it.decref(t);
                    if (!b) return yield* runR(it, f, orelse);
                    const flow = yield* runR(it, f, body);
                    if (flow === Flow.Break) return Flow.Normal;
                    if (flow === Flow.Return) return flow;
                    it.tickAt(line, col);
                }
            };
        }
        case 'For':
            return compileRFor(s);
        case 'Try':
            return compileRTry(s);
        case 'With':
            return compileRWith(s);
        default:
            throw unsupported(s, `yield inside ${stmtName(s)}`);
    }
}

function stmtName(s: ast.Stmt): string {
    switch (s.kind) {
        case 'FunctionDef':
            return 'a def statement (defaults, decorators)';
        case 'ClassDef':
            return 'a class statement (bases, decorators)';
        default:
            return `a ${s.kind.toLowerCase()} statement`;
    }
}

/** `x += yield …` (a Name target; as compileAugAssign in exec.ts). */
function compileRAugAssign(s: ast.AugAssign): RStmtFn {
    const t = s.target;
    if (t.kind !== 'Name') throw unsupported(s, 'yield inside an augmented assignment to an attribute or item');
    const cur = exprFn(t);
    const rhs = rexpr(s.value);
    const store = storeFn(t);
    return function* (it, f) {
        enterStmt(it, f, s, s.line, s.col);
        const c = cur(it, f);
        f.stack.push(c);
        const r = yield* rhs(it, f);
        f.stack.pop();
        it.line = s.line;
        it.col = s.col;
        let out: PyObject;
        try {
            out = binaryOp(it, s.op, c, r, true);
        } finally {
            it.decref(c);
            it.decref(r);
        }
        store(it, f, out);
        return Flow.Normal;
    };
}

function compileRFor(s: ast.For): RStmtFn {
    if (suspends(s.target)) throw unsupported(s.target, 'yield inside a for target');
    const iterP = part(s.iter);
    const store: StoreFn = storeFn(s.target);
    const body = rblock(s.body);
    const orelse = rblock(s.orelse);
    const iterNode = s.iter;
    const line = s.line;
    const col = s.col;
    return function* (it, f) {
        enterStmt(it, f, s, line, col);
        // The iterator stays on the value stack for the whole loop (a suspended frame holds it there).
        const iter = loopIterator(it, f, iterP.r !== null ? yield* iterP.r(it, f) : iterP.s!(it, f), iterNode);
        const depth = f.stack.length;
        for (;;) {
            const x = iterNext(it, iter);
            if (!x) {
                f.stack.length = depth - 1;
                it.decref(iter);
                return yield* runR(it, f, orelse);
            }
            it.tickAt(line, col);
            store(it, f, x);
            const flow = yield* runR(it, f, body);
            if (flow === Flow.Break || flow === Flow.Return) {
                f.stack.length = depth - 1;
                it.decref(iter);
                return flow === Flow.Break ? Flow.Normal : flow;
            }
            it.evalBreaker();
        }
    };
}

// ---- try

/**
 * try/except/else/finally, as execTry does it. The handler depth around each part (for the
 * finalizer shortcuts): 2.7 counts SETUP_EXCEPT/SETUP_FINALLY blocks (the try body is inside both,
 * the except and else bodies inside the finally's only); 3.11+ counts exception-table handlers
 * (the try body, the except bodies (their cleanup), the else body when there is a finally, and a
 * finally body run for an exception).
 */
function compileRTry(s: ast.Try): RStmtFn {
    const body = rblock(s.body);
    const orelse = rblock(s.orelse);
    const finalbody = rblock(s.finalbody);
    const handlers = s.handlers.map((h) => {
        if (h.type && suspends(h.type)) throw unsupported(h.type, 'yield inside an except clause');
        return { h, body: rblock(h.body) };
    });
    const hasFinally = s.finalbody.length > 0;
    const hasExcept = s.handlers.length > 0;
    const bodyBlocks27 = (hasExcept ? 1 : 0) + (hasFinally ? 1 : 0);
    const bodyHandlers3 = (hasExcept ? 1 : 0) + (hasFinally ? 1 : 0);
    const fin = hasFinally ? 1 : 0;
    return function* (it, f) {
        enterStmt(it, f, s, s.line, s.col);
        const depth = f.stack.length;
        let r = yield* region(it, f, depth, bodyBlocks27, bodyHandlers3, () => runR(it, f, body));
        if (r instanceof PyRaise) {
            const e = r;
            let handler: (typeof handlers)[number] | null;
            try {
                handler = findHandler(it, f, handlers, e);
            } catch (inner) {
                if (!(inner instanceof PyRaise)) throw inner;
                addTraceback(it, inner, f);
                unwindStack(it, f, depth);
                return yield* rFinally(it, f, finalbody, hasFinally, Flow.Normal, inner);
            }
            if (handler === null) return yield* rFinally(it, f, finalbody, hasFinally, Flow.Normal, e);
            const h = handler;
            r = yield* region(it, f, depth, fin, 1 + fin, () => rHandler(it, f, h.h, h.body, e));
            if (r instanceof PyRaise) return yield* rFinally(it, f, finalbody, hasFinally, Flow.Normal, r);
            return yield* rFinally(it, f, finalbody, hasFinally, r, null);
        }
        if (r === Flow.Normal && s.orelse.length) {
            r = yield* region(it, f, depth, fin, fin, () => runR(it, f, orelse));
            if (r instanceof PyRaise) return yield* rFinally(it, f, finalbody, hasFinally, Flow.Normal, r);
        }
        return yield* rFinally(it, f, finalbody, hasFinally, r, null);
    };
}

/**
 * Runs `part` inside exception handlers (2.7 blocks and 3.11+ handler depth raised by `add27` and
 * `add3` meanwhile). A Python exception it raises is caught, given this frame's traceback entry
 * and the stack unwound to `depth`, and answered instead of a Flow.
 */
function* region(it: Interpreter, f: Frame, depth: number, add27: number, add3: number, part: () => Resumable<Flow>): Resumable<Flow | PyRaise> {
    const g = genOf(f);
    const b27 = g.blocks27;
    const h3 = g.handlers3;
    g.blocks27 = b27 + add27;
    g.handlers3 = h3 + add3;
    try {
        return yield* part();
    } catch (e) {
        if (!(e instanceof PyRaise)) throw e;
        addTraceback(it, e, f);
        unwindStack(it, f, depth);
        return e;
    } finally {
        g.blocks27 = b27;
        g.handlers3 = h3;
    }
}

function findHandler<H extends { h: ast.ExceptHandler }>(it: Interpreter, f: Frame, handlers: H[], r: PyRaise): H | null {
    for (const x of handlers) {
        if (!x.h.type) return x;
        it.tick(x.h);
        if (matchesHandler(it, f, x.h, r)) return x;
    }
    return null;
}

/** runHandler: the exception is being handled (exc_info) while the body runs; `e = None; del e` after. */
function* rHandler(it: Interpreter, f: Frame, h: ast.ExceptHandler, body: RBlock, r: PyRaise): Resumable<Flow> {
    pushHandledFor(it, f, r.exc, r.tb);
    r.tb = null;
    if (h.name) storeName(it, f, h.name, it.incref(r.exc), h);
    let flow: Flow;
    try {
        flow = yield* runR(it, f, body);
    } catch (e) {
        endHandler(it, f, h);
        throw e;
    }
    endHandler(it, f, h);
    return flow;
}

/**
 * The finally body. A pending exception is being handled while it runs (its reference sits on the
 * value stack, not in a JS variable: the frame may be suspended in the finally body), then raised
 * again unless the body returns, breaks or continues. A pending return value waits on the stack too.
 */
function* rFinally(it: Interpreter, f: Frame, finalbody: RBlock, hasFinally: boolean, flow: Flow, pending: PyRaise | null): Resumable<Flow> {
    if (!hasFinally) {
        if (pending) throw pending;
        return flow;
    }
    if (!finalbody.res.some((x) => x !== null)) return runFinallySync(it, f, finalbody.sync as StmtFn[], flow, pending);
    const g = genOf(f);
    const depth = f.stack.length;
    const savedRet = flow === Flow.Return ? f.retval : null;
    f.retval = null;
    if (savedRet) f.stack.push(savedRet);
    let pendingTb: PyObject | null = null;
    if (pending) {
        it.pushHandled(it.incref(pending.exc), f, pending.tb ? it.incref(pending.tb) : null);
        // The raise's own references wait on the stack.
        f.stack.push(pending.exc);
        pendingTb = pending.tb;
        if (pendingTb) f.stack.push(pendingTb);
        pending.tb = null;
        g.handlers3++;
    }
    let fflow: Flow;
    try {
        fflow = yield* runR(it, f, finalbody);
    } catch (e) {
        if (pending) {
            g.handlers3--;
            it.popHandled();
        }
        // The stack (the pending exception, the return value) is unwound by whoever handles `e`.
        throw e;
    }
    if (pending) {
        g.handlers3--;
        it.popHandled();
    }
    // Take the waiting references back off the stack.
    if (pendingTb) f.stack.pop();
    if (pending) f.stack.pop();
    if (savedRet) f.stack.pop();
    f.stack.length = depth;
    if (fflow !== Flow.Normal) {
        if (pending) {
            pending.tb = pendingTb;
            dropRaise(it, pending);
        }
        if (savedRet) it.decref(savedRet);
        return fflow;
    }
    if (pending) {
        pending.tb = pendingTb;
        throw pending;
    }
    if (flow === Flow.Return) f.retval = savedRet;
    return flow;
}

// ---- with

function compileRWith(s: ast.With): RStmtFn {
    for (const item of s.items) {
        if (suspends(item.contextExpr) || (item.optionalVars && suspends(item.optionalVars))) throw unsupported(item, 'yield inside a with item');
    }
    const body = rblock(s.body);
    const tm = threadMode;
    return function* (it, f) {
        enterStmt(it, f, s, s.line, s.col);
        return yield* rWith(it, f, s, 0, body, tm);
    };
}

/** execWith, resumable: the bound __exit__ waits on the stack for the whole body. */
function* rWith(it: Interpreter, f: Frame, s: ast.With, i: number, body: RBlock, tm: boolean): Resumable<Flow> {
    if (i >= s.items.length) return yield* runR(it, f, body);
    // In a thread, `__enter__` may block (a lock's).
    const w = tm ? yield* beginWithInThread(it, f, s.items[i]) : beginWith(it, f, s.items[i]);
    const r = yield* region(it, f, f.stack.length, 1, 1, () => rWith(it, f, s, i + 1, body, tm));
    if (r instanceof PyRaise) {
        atWithExit(it, s, true);
        if (exitOnException(it, f, w, r)) return Flow.Normal;
        throw r;
    }
    atWithExit(it, s, false);
    exitNormally(it, f, w);
    return r;
}

// ------------------------------------------------------------------------------------------------
// expressions

/** A sub-expression: its synchronous closure when it cannot suspend, else its resumable one. */
interface Part {
    s: ExprFn | null;
    r: RExprFn | null;
}

function part(e: ast.Expr): Part {
    return suspends(e) ? { s: null, r: rexpr(e) } : { s: exprFn(e), r: null };
}

/** The resumable closure of an expression (one that cannot suspend runs its synchronous closure). */
function rexpr(e: ast.Expr): RExprFn {
    const h = memo(e);
    if (h.rxf === undefined) {
        if (!suspends(e)) {
            const fn = exprFn(e);
            // eslint-disable-next-line require-yield
            h.rxf = function* (it, f) {
                return fn(it, f);
            };
        } else h.rxf = compileRExpr(e);
    }
    return h.rxf;
}

function* ev(it: Interpreter, f: Frame, p: Part): Resumable<PyObject> {
    return p.r !== null ? yield* p.r(it, f) : p.s!(it, f);
}

function compileRExpr(e: ast.Expr): RExprFn {
    switch (e.kind) {
        case 'Yield': {
            const value = e.value ? part(e.value) : null;
            return function* (it, f) {
                const v = value === null ? it.None : yield* ev(it, f, value);
                it.at(e);
                f.line = e.line;
                f.col = e.col;
                // YIELD_VALUE: the value goes to whoever resumed the frame; what comes back is the result.
                return yield v;
            };
        }
        case 'YieldFrom':
            return compileYieldFrom(e);
        case 'Call':
            return threadMode ? compileThreadCall(e) : compileRCall(e);
        case 'BinOp':
            return operands(e, e.left, e.right, (it, l, r) => binaryOp(it, e.op, l, r));
        case 'UnaryOp': {
            const operand = rexpr(e.operand);
            return function* (it, f) {
                const v = yield* operand(it, f);
                try {
                    return unaryOp(it, e.op, v);
                } finally {
                    it.decref(v);
                }
            };
        }
        case 'Compare':
            if (e.ops.length !== 1) throw unsupported(e, 'yield inside a chained comparison');
            return operands(e, e.left, e.comparators[0], (it, l, r) => compareObj(it, e.ops[0], l, r));
        case 'BoolOp': {
            const values = e.values.map(part);
            const isAnd = e.op === 'And';
            return function* (it, f) {
                let v = yield* ev(it, f, values[0]);
                for (let i = 1; i < values.length; i++) {
                    const t = truthy(it, v);
                    if (isAnd ? !t : t) return v;
                    it.decref(v);
                    v = yield* ev(it, f, values[i]);
                }
                return v;
            };
        }
        case 'IfExp': {
            const test = part(e.test);
            const body = part(e.body);
            const orelse = part(e.orelse);
            return function* (it, f) {
                const t = yield* ev(it, f, test);
                const b = truthy(it, t);
                it.decref(t);
                return yield* ev(it, f, b ? body : orelse);
            };
        }
        case 'Attribute': {
            const owner = rexpr(e.value);
            return function* (it, f) {
                const o = yield* owner(it, f);
                it.at(e);
                try {
                    return getAttr(it, o, e.attr);
                } finally {
                    it.decref(o);
                }
            };
        }
        case 'Subscript':
            return operands(e, e.value, e.slice, getItem);
        case 'Tuple':
        case 'List': {
            if (e.elts.some((x) => x.kind === 'Starred')) throw unsupported(e, 'yield inside a starred display');
            const elts = e.elts.map(part);
            const isList = e.kind === 'List';
            return function* (it, f) {
                const base = f.stack.length;
                for (const p of elts) f.stack.push(yield* ev(it, f, p));
                const items = f.stack.splice(base);
                it.at(e);
                return isList ? it.list(items) : it.tuple(items);
            };
        }
        case 'NamedExpr': {
            const value = rexpr(e.value);
            return function* (it, f) {
                const v = yield* value(it, f);
                it.incref(v);
                storeTarget(it, f, e.target, v);
                return v;
            };
        }
        default:
            throw unsupported(e, `yield inside ${e.kind === 'JoinedStr' || e.kind === 'FormattedValue' ? 'an f-string' : `a ${e.kind} expression`}`);
    }
}

/**
 * Two operands evaluated left to right (the left one held on the value stack meanwhile), then the
 * operation, then both released (BINARY_OP, COMPARE_OP, BINARY_SUBSCR).
 */
function operands(e: ast.Expr, a: ast.Expr, b: ast.Expr, op: (it: Interpreter, l: PyObject, r: PyObject) => PyObject): RExprFn {
    const left = part(a);
    const right = part(b);
    return function* (it, f) {
        const l = yield* ev(it, f, left);
        f.stack.push(l);
        const r = yield* ev(it, f, right);
        f.stack.pop();
        it.at(e);
        try {
            return op(it, l, r);
        } finally {
            it.decref(l);
            it.decref(r);
        }
    };
}

/** A call some of whose arguments can suspend (the callee is pushed first, as compileCall does). */
function compileRCall(e: ast.Call): RExprFn {
    if (suspends(e.func)) throw unsupported(e.func, 'yield inside the callee of a call');
    for (const a of e.args) if (a.kind === 'Starred') throw unsupported(a, 'yield inside a call with *args');
    for (const k of e.keywords) if (k.arg === null) throw unsupported(k, 'yield inside a call with **kwargs');
    // eslint-disable-next-line require-yield
    return compileCallWith(e, calleeFn(e.func, e), function* (it, f, base, kwargs) {
        return finishCall(it, f, base, kwargs);
    });
}

/** Pushes the callee, then the arguments (each resumable where it can suspend), then `finish`. */
function compileCallWith(e: ast.Call, callee: ReturnType<typeof calleeFn>, finish: (it: Interpreter, f: Frame, base: number, kwargs: KwArgs) => Resumable<PyObject>): RExprFn {
    const args = e.args.map(part);
    const kwNames = e.keywords.map((k) => k.arg!);
    const kws = e.keywords.map((k) => part(k.value));
    return function* (it, f) {
        const base = f.stack.length;
        callee(it, f);
        for (const p of args) f.stack.push(yield* ev(it, f, p));
        let kwargs: KwArgs = null;
        if (kws.length) {
            kwargs = new Map();
            for (let i = 0; i < kws.length; i++) {
                const v = yield* ev(it, f, kws[i]);
                f.stack.push(v);
                kwargs.set(kwNames[i], v);
            }
        }
        it.at(e);
        return yield* finish(it, f, base, kwargs);
    };
}

/**
 * A call in a thread's code (any callee: it may block): the callee and arguments are pushed as
 * compileCall does (the callee synchronously), then threadcall.ts runs a Python callee's frame
 * resumably and a blocking built-in's resumable form; anything else is called synchronously.
 */
function compileThreadCall(e: ast.Call): RExprFn {
    return compileCallWith(e, calleeFn(e.func, e), finishCallInThread);
}

/**
 * `yield from x` (PEP 380): the subiterator waits on the value stack (gi_yieldfrom reads it there);
 * each value it yields is passed out, each value sent in is passed on (send, or __next__ for None);
 * its return value (StopIteration.value) is the expression's value. throw() and close() are
 * delegated by genobject.ts before the frame is resumed; when they finish the subiterator, the
 * frame is resumed in YieldFromResume.Done mode with the result.
 */
function compileYieldFrom(e: ast.YieldFrom): RExprFn {
    const value = part(e.value);
    return function* (it, f) {
        const iterable = yield* ev(it, f, value);
        it.at(e);
        f.line = e.line;
        f.col = e.col;
        let iter: PyObject;
        try {
            // GET_YIELD_FROM_ITER: a generator is used as it is, anything else through iter().
            iter = getIter(it, iterable);
        } finally {
            it.decref(iterable);
        }
        f.stack.push(iter);
        const depth = f.stack.length;
        const g = genOf(f);
        let sent: PyObject = it.None;
        for (;;) {
            let out: PyObject | null;
            try {
                out = sendInto(it, iter, sent);
            } finally {
                it.decref(sent);
            }
            if (out === null) {
                // The subiterator finished: its value is the result; it leaves the stack.
                f.stack.length = depth - 1;
                it.decref(iter);
                return takeSubResult(it);
            }
            g.yieldFrom = iter;
            g.yfResume = 0;
            try {
                sent = yield out;
            } catch (err) {
                g.yieldFrom = null;
                throw err;
            }
            g.yieldFrom = null;
            if (g.yfResume !== 0) {
                // A delegated throw() finished the subiterator: `sent` is its result (2: ≤3.11's
                // _gen_throw already took it off the stack).
                if (g.yfResume === 1) {
                    f.stack.length = depth - 1;
                    it.decref(iter);
                }
                g.yfResume = 0;
                return sent;
            }
        }
    };
}

// ------------------------------------------------------------------------------------------------
// generator expressions

/**
 * A generator expression's body: the comprehension loop with YIELD_VALUE (and POP_TOP of what is
 * sent) for each element. The first iterator is the local `.0`; the inner ones wait on the stack.
 */
function genexpBody(node: ast.GeneratorExp): RStmtFn {
    const gens = node.generators;
    const elt = exprFn(node.elt);
    for (const g of gens) for (const c of g.ifs) if (suspends(c)) throw unsupported(c, 'yield inside a generator expression');
    const ifs = gens.map((g) => g.ifs.map(exprFn));
    const iters = gens.map((g) => exprFn(g.iter));
    const stores = gens.map((g) => storeFn(g.target));
    function* loop(it: Interpreter, f: Frame, level: number, iter: PyObject): Resumable<void> {
        const g = gens[level];
        outer: for (;;) {
            const x = iterNext(it, iter);
            if (!x) return;
            it.tick(g);
            f.line = g.line;
            f.col = g.col;
            stores[level](it, f, x);
            for (const cond of ifs[level]) {
                const c = cond(it, f);
                const t = truthy(it, c);
                it.decref(c);
                if (!t) continue outer;
            }
            if (level + 1 < gens.length) {
                const inner = iters[level + 1](it, f);
                f.stack.push(inner);
                const innerIter = getIter(it, inner);
                f.stack.pop();
                it.decref(inner);
                f.stack.push(innerIter);
                yield* loop(it, f, level + 1, innerIter);
                it.decref(f.stack.pop()!);
                continue;
            }
            const v = elt(it, f);
            it.at(node);
            it.decref(yield v);
        }
    }
    return function* (it, f) {
        yield* loop(it, f, 0, f.locals[0]!);
        return Flow.Normal;
    };
}

