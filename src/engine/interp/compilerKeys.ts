/*
 * compilerKeys.ts
 *
 * The tuples 2.7's Python/compile.c makes while it compiles `__main__`, replayed in compile order
 * against the tuple free lists (Objects/tupleobject.c free_list[size]) so the gen0 count and the
 * free lists at the first statement are CPython's:
 *   - compiler_add_o: every constant and name a code unit uses is looked up in the unit's dict
 *     (u_consts, u_names, u_varnames, u_cellvars, u_freevars) under a new `(object, type)` 2-tuple
 *     key; a first use keeps the key in the dict until the unit is freed, a later use frees it at
 *     once. list2dict/dictbytype make the keys of the parameters, cells and free variables when the
 *     unit is entered; compiler_lookup_arg makes (and frees) one per closure variable.
 *   - makecode (assemble): per code object the co_consts, co_names, co_varnames, co_cellvars and
 *     co_freevars tuples (consts built through a temporary tuple and a list: PyCode_Optimize wants
 *     a list), plus the tuples the peephole optimizer folds from constants (and `()` for a class
 *     without bases: BUILD_TUPLE 0 after no LOAD_CONST folds too).
 *   - compiler_exit_scope: the unit's keys go back to the 2-tuple free list.
 * A tuple the free list supplies is not counted; one it cannot keep (20 items or more) is
 * PyObject_GC_Del'd. The count can pass the gen0 threshold while compiling: CPython then collects
 * generation 0 before the program runs (compileCollections).
 */

import { docstringOf } from '../parser/docstring';
import type { Expr, Stmt, Arguments, Comprehension, Module, ConstantValue } from '../parser/ast';
import type { Scope, ScopeTable } from '../parser/scopes';
import { TUPLE_SIZES } from '../runtime/freelists';

/** Free-list capacity per tuple size (PyTuple_MAXFREELIST). */
const TUPLE_CAP = 2000;

/** Tuple pools by size (index = items) and the gen0 count they move. */
export class TuplePools {
    readonly free: Int32Array;
    count = 0;
    /** Called after each counted allocation (for the threshold). */
    onAlloc: (() => void) | null = null;

    constructor(initial: readonly number[]) {
        this.free = new Int32Array(TUPLE_SIZES);
        for (let n = 1; n < TUPLE_SIZES; n++) this.free[n] = initial[n - 1] ?? 0;
    }

    alloc(n: number): void {
        if (n === 0) return; // the empty tuple is a singleton
        if (n < TUPLE_SIZES && this.free[n] > 0) this.free[n]--;
        else {
            this.count++;
            this.onAlloc?.();
        }
    }

    release(n: number): void {
        if (n === 0) return;
        if (n < TUPLE_SIZES && this.free[n] < TUPLE_CAP) this.free[n]++;
        else this.count--;
    }
}

interface Unit {
    scope: Scope;
    consts: Set<string>;
    names: Set<string>;
    varnames: Set<string>;
    cells: Set<string>;
    frees: Set<string>;
    /** Sizes of the tuples the peephole optimizer folds (appended to co_consts). */
    folded: number[];
    /** LOAD_NAME/LOAD_GLOBAL None seen: the peephole optimizer appends None to co_consts if missing. */
    noneName: boolean;
}



function constKey(v: ConstantValue, negate = false): string {
    switch (v.type) {
        case 'int':
            return `i${negate ? -v.value : v.value}`;
        case 'float':
            return `f${negate ? -v.value : v.value}`;
        case 'complex':
            return `c${v.imag}`;
        case 'str':
            return `s${v.value}`;
        case 'bytes':
            return `b${Array.from(v.value).join(',')}`;
        default:
            return v.type;
    }
}

/** A constant the peephole optimizer sees as LOAD_CONST (2.7: numbers, strings, None after its rewrite, folded tuples). */
function isFoldable(e: Expr): boolean {
    if (e.kind === 'Constant') return e.value.type !== 'bool' && e.value.type !== 'Ellipsis';
    if (e.kind === 'UnaryOp' && e.op === 'USub' && e.operand.kind === 'Constant') return e.operand.value.type === 'int' || e.operand.value.type === 'float';
    if (e.kind === 'Tuple') return e.elts.every(isFoldable);
    return false;
}

/** Replays 2.7's compile of `module` against `pools`. */
export class Compile27 {
    private readonly stack: Unit[] = [];
    private codeIds = 0;

    constructor(
        private readonly scopes: ScopeTable,
        private readonly pools: TuplePools,
    ) {}

    run(module: Module): void {
        const u = this.enter(this.scopes.module, []);
        this.body(module.body);
        this.addConst('None'); // assemble(c, addNone): the module never ends in a return
        this.exit(u);
    }

    private get u(): Unit {
        return this.stack[this.stack.length - 1];
    }

    /** compiler_add_o: a new (object, type) key; kept if the object is new to the dict. */
    private add(dict: Set<string>, key: string): void {
        this.pools.alloc(2);
        if (dict.has(key)) this.pools.release(2);
        else dict.add(key);
    }

    private addConst(key: string): void {
        this.add(this.u.consts, key);
    }

    private enter(scope: Scope, params: string[]): Unit {
        const u: Unit = { scope, consts: new Set(), names: new Set(), varnames: new Set(), cells: new Set(), frees: new Set(), folded: [], noneName: false };
        this.stack.push(u);
        // list2dict(ste_varnames), dictbytype(CELL), dictbytype(FREE).
        for (const p of params) this.add(u.varnames, p);
        for (const c of [...scope.cellvars].sort()) this.add(u.cells, c);
        for (const f of [...scope.freevars].sort()) this.add(u.frees, f);
        return u;
    }

    /** makecode, then compiler_unit_free. */
    private exit(u: Unit): void {
        const p = this.pools;
        const nconsts = u.consts.size;
        p.alloc(nconsts); // dict_keys_inorder(u_consts), made into a list for PyCode_Optimize
        p.release(nconsts);
        p.alloc(u.names.size);
        p.alloc(u.varnames.size);
        p.alloc(u.cells.size);
        p.alloc(u.frees.size);
        for (const n of u.folded) p.alloc(n);
        const extraNone = u.noneName && !u.consts.has('None') ? 1 : 0;
        p.alloc(nconsts + u.folded.length + extraNone); // PyList_AsTuple(consts)
        const keys = u.consts.size + u.names.size + u.varnames.size + u.cells.size + u.frees.size;
        for (let i = 0; i < keys; i++) p.release(2);
        this.stack.pop();
    }

    /** compiler_nameop: which dict the name's opcode indexes. */
    private name(id: string): void {
        const u = this.u;
        const s = u.scope;
        if (s.cellvars.includes(id)) this.add(u.cells, id);
        else if (s.freevars.includes(id)) this.add(u.frees, id);
        else if (s.kind !== 'module' && s.kind !== 'class' && s.locals.has(id) && !s.globals.has(id)) this.add(u.varnames, id);
        else this.add(u.names, id);
    }

    private childScope(node: Stmt | Expr): Scope | undefined {
        return this.scopes.of(node);
    }

    /** compiler_make_closure: LOAD_CLOSURE per free variable (compiler_lookup_arg), then LOAD_CONST code. */
    private makeClosure(scope: Scope | undefined): void {
        if (scope) for (let i = 0; i < scope.freevars.length; i++) {
            this.pools.alloc(2);
            this.pools.release(2);
        }
        this.addConst(`code${this.codeIds++}`);
    }

    private params(a: Arguments): string[] {
        const out = a.args.map((x) => x.name);
        if (a.vararg) out.push(a.vararg.name);
        if (a.kwarg) out.push(a.kwarg.name);
        return out;
    }

    private body(stmts: Stmt[]): void {
        let i = 0;
        const doc = docstringOf(stmts);
        if (doc) {
            this.expr(doc);
            this.name('__doc__');
            i = 1;
        }
        for (; i < stmts.length; i++) this.stmt(stmts[i]);
    }

    private stmts(ss: Stmt[]): void {
        for (const s of ss) this.stmt(s);
    }

    private stmt(s: Stmt): void {
        switch (s.kind) {
            case 'FunctionDef': {
                for (const d of s.decorators) this.expr(d);
                for (const d of s.args.defaults) this.expr(d);
                const scope = this.childScope(s);
                if (scope) {
                    const u = this.enter(scope, this.params(s.args));
                    const doc = docstringOf(s.body);
                    this.addConst(doc ? constKey(doc.value) : 'None');
                    this.stmts(doc ? s.body.slice(1) : s.body);
                    if (s.body[s.body.length - 1]?.kind !== 'Return') this.addConst('None');
                    this.exit(u);
                }
                this.makeClosure(scope);
                this.name(s.bindName ?? s.name);
                return;
            }
            case 'ClassDef': {
                for (const d of s.decorators) this.expr(d);
                this.addConst(`s${s.name}`);
                for (const b of s.bases) this.expr(b);
                if (s.bases.length === 0) this.u.folded.push(0);
                const scope = this.childScope(s);
                if (scope) {
                    const u = this.enter(scope, []);
                    this.name('__name__');
                    this.name('__module__');
                    this.body(s.body);
                    this.exit(u);
                }
                this.makeClosure(scope);
                this.name(s.bindName ?? s.name);
                return;
            }
            case 'Return':
                if (s.value) this.expr(s.value);
                else this.addConst('None');
                return;
            case 'Delete':
                for (const t of s.targets) this.expr(t);
                return;
            case 'Assign':
                this.expr(s.value);
                for (const t of s.targets) this.expr(t);
                return;
            case 'AugAssign':
                if (s.target.kind === 'Attribute') {
                    this.expr(s.target.value);
                    this.add(this.u.names, s.target.attr);
                    this.expr(s.value);
                    this.add(this.u.names, s.target.attr);
                } else if (s.target.kind === 'Subscript') {
                    this.expr(s.target.value);
                    this.expr(s.target.slice);
                    this.expr(s.value);
                } else {
                    this.expr(s.target);
                    this.expr(s.value);
                    this.expr(s.target);
                }
                return;
            case 'AnnAssign':
                if (s.value) this.expr(s.value);
                this.expr(s.target);
                return;
            case 'For':
                this.expr(s.iter);
                this.expr(s.target);
                this.stmts(s.body);
                this.stmts(s.orelse);
                return;
            case 'While':
            case 'If': {
                // expr_constant: numbers and strings are constant tests (True/False are names in 2.7).
                const t = s.test;
                const constant = t.kind === 'Constant' && t.value.type !== 'bool' && t.value.type !== 'None' ? truthy(t.value) : null;
                if (constant === false) this.stmts(s.orelse);
                else {
                    if (constant === null) this.expr(t);
                    this.stmts(s.body);
                    if (s.kind === 'If' || constant === null) this.stmts(s.orelse);
                }
                return;
            }
            case 'With':
                for (const item of s.items) {
                    this.expr(item.contextExpr);
                    if (item.optionalVars) this.expr(item.optionalVars);
                }
                this.stmts(s.body);
                for (let i = 0; i < s.items.length; i++) this.addConst('None');
                return;
            case 'Raise':
                if (s.exc) this.expr(s.exc);
                if (s.value) this.expr(s.value);
                return;
            case 'Try':
                this.stmts(s.body);
                for (const h of s.handlers) {
                    if (h.type) this.expr(h.type);
                    if (h.name) this.name(h.name);
                    this.stmts(h.body);
                }
                this.stmts(s.orelse);
                if (s.finalbody.length) {
                    this.addConst('None');
                    this.stmts(s.finalbody);
                }
                return;
            case 'Assert':
                this.expr(s.test);
                this.add(this.u.names, 'AssertionError');
                if (s.msg) this.expr(s.msg);
                return;
            case 'Import':
                for (const a of s.names) {
                    this.addConst('i-1');
                    this.addConst('None');
                    this.add(this.u.names, a.name);
                    const parts = a.name.split('.');
                    if (a.asname) {
                        for (const p of parts.slice(1)) this.add(this.u.names, p);
                        this.name(a.asname);
                    } else this.name(parts[0]);
                }
                return;
            case 'ImportFrom': {
                const n = s.names.length;
                this.pools.alloc(n); // the fromlist tuple
                this.addConst(`i${s.level === 0 ? -1 : s.level}`);
                const key = `t${s.names.map((a) => a.name).join(',')}`;
                const had = this.u.consts.has(key);
                this.addConst(key);
                if (had) this.pools.release(n);
                this.add(this.u.names, s.module);
                for (const a of s.names) {
                    if (a.name === '*') continue;
                    this.add(this.u.names, a.name);
                    this.name(a.asname ?? a.name);
                }
                return;
            }
            case 'Expr':
                if (s.value.kind !== 'Constant' || s.value.value.type === 'bool' || s.value.value.type === 'None') this.expr(s.value);
                return;
            case 'Print':
                if (s.dest) this.expr(s.dest);
                for (const v of s.values) this.expr(v);
                return;
            default:
                return;
        }
    }

    private comprehension(gens: Comprehension[], elts: Expr[], inline: boolean): void {
        gens.forEach((g, i) => {
            if (i > 0 || inline) this.expr(g.iter);
            else this.name('.0');
            this.expr(g.target);
            for (const c of g.ifs) this.expr(c);
        });
        for (const e of elts) this.expr(e);
    }

    private expr(e: Expr): void {
        switch (e.kind) {
            case 'Constant': {
                const v = e.value;
                if (v.type === 'None') {
                    this.name('None');
                    this.u.noneName = true;
                } else if (v.type === 'bool') this.name(v.value ? 'True' : 'False');
                else this.addConst(constKey(v));
                return;
            }
            case 'Name':
                this.name(e.id);
                return;
            case 'Attribute':
                this.expr(e.value);
                this.add(this.u.names, e.attr);
                return;
            case 'Subscript':
                this.expr(e.value);
                this.expr(e.slice);
                return;
            case 'Slice':
                // compiler_simple_slice (no step): only the bounds; with a step, None for a missing bound.
                if (e.step) {
                    if (e.lower) this.expr(e.lower);
                    else this.addConst('None');
                    if (e.upper) this.expr(e.upper);
                    else this.addConst('None');
                    this.expr(e.step);
                } else {
                    if (e.lower) this.expr(e.lower);
                    if (e.upper) this.expr(e.upper);
                }
                return;
            case 'UnaryOp':
                if (e.op === 'USub' && e.operand.kind === 'Constant' && (e.operand.value.type === 'int' || e.operand.value.type === 'float')) {
                    this.addConst(constKey(e.operand.value, true)); // ast_for_factor: a negative literal
                    return;
                }
                this.expr(e.operand);
                return;
            case 'BinOp':
                this.expr(e.left);
                this.expr(e.right);
                return;
            case 'BoolOp':
                for (const v of e.values) this.expr(v);
                return;
            case 'Compare':
                this.expr(e.left);
                e.comparators.forEach((c, i) => {
                    if ((e.ops[i] === 'In' || e.ops[i] === 'NotIn') && c.kind === 'List' && c.elts.every(isFoldable)) {
                        for (const x of c.elts) this.expr(x);
                        this.u.folded.push(c.elts.length);
                    } else this.expr(c);
                });
                return;
            case 'Call':
                this.expr(e.func);
                for (const a of e.args) this.expr(a.kind === 'Starred' ? a.value : a);
                for (const k of e.keywords) {
                    if (k.arg !== null) this.addConst(`s${k.arg}`);
                    this.expr(k.value);
                }
                return;
            case 'Starred':
                this.expr(e.value);
                return;
            case 'Tuple':
                for (const x of e.elts) this.expr(x);
                if (e.ctx === 'Load' && e.elts.every(isFoldable)) this.u.folded.push(e.elts.length);
                return;
            case 'List':
            case 'Set':
                for (const x of e.elts) this.expr(x);
                return;
            case 'Dict':
                e.values.forEach((v, i) => {
                    this.expr(v);
                    const k = e.keys[i];
                    if (k) this.expr(k);
                });
                return;
            case 'IfExp':
                this.expr(e.test);
                this.expr(e.body);
                this.expr(e.orelse);
                return;
            case 'Lambda': {
                for (const d of e.args.defaults) this.expr(d);
                const scope = this.childScope(e);
                if (scope) {
                    const u = this.enter(scope, this.params(e.args));
                    this.addConst('None');
                    this.expr(e.body);
                    this.exit(u);
                }
                this.makeClosure(scope);
                return;
            }
            case 'ListComp':
                this.comprehension(e.generators, [e.elt], true);
                return;
            case 'GeneratorExp':
            case 'SetComp':
            case 'DictComp': {
                const scope = this.childScope(e);
                if (scope) {
                    const u = this.enter(scope, ['.0']);
                    this.comprehension(e.generators, e.kind === 'DictComp' ? [e.value, e.key] : [e.elt], false);
                    if (e.kind === 'GeneratorExp') this.addConst('None');
                    this.exit(u);
                }
                this.makeClosure(scope);
                this.expr(e.generators[0].iter);
                return;
            }
            case 'Yield':
                if (e.value) this.expr(e.value);
                else this.addConst('None');
                return;
            default:
                return;
        }
    }
}

/** expr_constant / the constant test of an if or while (the compilers drop a false branch). */
export function truthy(v: ConstantValue): boolean {
    switch (v.type) {
        case 'int':
            return v.value !== 0n;
        case 'float':
            return v.value !== 0;
        case 'str':
            return v.value.length > 0;
        case 'bytes':
            return v.value.length > 0;
        case 'bool':
            return v.value;
        case 'None':
            return false;
        default:
            return true;
    }
}
