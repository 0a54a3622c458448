/*
 * compilerConsts.ts
 *
 * The tuples 3.x's compiler makes while it compiles `__main__` (Python/ast_opt.c, symtable.c,
 * compile.c, and from 3.12 flowgraph.c/assemble.c), replayed in compile order through the constant
 * cache (constCache.ts) against the tuple free lists:
 *   - ast_opt.c folds a tuple display of constants, and the list of constants a `for` or an `in`
 *     iterates, into a tuple constant (fold_tuple, fold_iter), held by the AST's arena until the
 *     program has run;
 *   - symtable.c records each `global`/`nonlocal` name as a (name, lineno, col…) tuple;
 *   - compile.c loads each constant through the cache (compiler_add_const), and makes a tuple
 *     constant for a call's keyword names, a dict display's constant keys, the names of a
 *     `from … import`, a function's keyword-only defaults' names, 3.13's `__static_attributes__`;
 *     constant positional defaults become one tuple (3.8/3.9's peephole optimizer, 3.10+'s CFG
 *     fold);
 *   - makecode: each code object's names, varnames/cellvars/freevars (3.8–3.10) or
 *     localsplusnames (3.11+) and consts tuples, each merged with an equal one made before, and
 *     (3.10+) its bytecode, line table and exception table, bytes keyed by a 2-tuple.
 * Which bytes are equal is decided from what they encode: the instructions (kinds and oparg
 * indices) and, for the line table, the positions relative to the code's first line.
 */

import type { Expr, Stmt, Arguments, Comprehension, Module, ConstantValue, ClassDef, Range } from '../parser/ast';
import type { Scope, ScopeTable } from '../parser/scopes';
import { ConstCache, type Const } from './constCache';
import { truthy, type TuplePools } from './compilerKeys';
import { staticAttributes } from './classes';

/** What differs between the 3.x compilers (profiles.ts `compilerAllocations.constCache`). */
export interface ConstCacheProfile {
    /** The count the start-up program's own compile already put in startupGcCounts. */
    tupleBase: number;
    /** makecode's co_* tuples: 3.8–3.10 names, varnames, cellvars, freevars; 3.11+ names, then localsplusnames. */
    codeTuples: 'varnames' | 'localsplus';
    /** Bytes merged through the cache per code object, in assemble's order. */
    mergedBytes: readonly ('bytecode' | 'linetable' | 'exceptiontable')[];
    /** Constant positional defaults: 3.8/3.9 peephole appends the tuple unmerged; 3.10+ add_const. */
    tupleFold: 'peephole' | 'cfg';
    /** 3.12+ remove_unused_consts: constants only a fold used leave co_consts (but the first, a docstring's place). */
    removeUnusedConsts: boolean;
    /** 3.9+: a list or set display of three or more constants extends from a constant tuple. */
    constDisplays: boolean;
    /** 3.11+: the line table holds columns too (PEP 657); 3.10's only lines. */
    linetableColumns: boolean;
    /** ≤3.10: MAKE_FUNCTION takes the qualified name as a constant. */
    qualnameConst: boolean;
    /** symtable's directive tuple: (name, lineno, col) ≤3.9, + end positions 3.10+. */
    directiveSize: number;
    /** 3.12+: list, set and dict comprehensions are inlined (PEP 709). */
    inlinedComprehensions: boolean;
    /** 3.13: class bodies store __firstlineno__ and __static_attributes__. */
    classBodyMetadata: boolean;
}

interface Unit {
    scope: Scope;
    firstLine: number;
    /** u_consts: the list co_consts is made from, in insertion order, with how many loads use each. */
    consts: Map<string, { c: Const; uses: number }>;
    names: string[];
    /** Fast locals beyond the scope's (3.12+ inlined comprehensions' variables). */
    extraFast: string[];
    /** Tuples made by folding, which the consts list owns until co_consts is made. */
    folded: Const[];
    ops: string[];
    pos: string[];
    handlers: boolean;
}

const NONE: Const = { kind: 'atom', canon: 'None' };

function constOf(v: ConstantValue, negate = false): Const {
    switch (v.type) {
        case 'int':
            return { kind: 'atom', canon: `i${negate ? -v.value : v.value}` };
        case 'str':
            return { kind: 'atom', canon: `s${JSON.stringify(v.value)}` };
        case 'None':
            return NONE;
        case 'Ellipsis':
            return { kind: 'atom', canon: 'Ellipsis' };
        case 'bool':
            return { kind: 'boxed', canon: `b${v.value}`, keyItems: 2 };
        case 'float': {
            const x = negate ? -v.value : v.value;
            return { kind: 'boxed', canon: `f${Object.is(x, -0) ? '-0' : x}`, keyItems: Object.is(x, -0) ? 3 : 2 };
        }
        case 'complex':
            return { kind: 'boxed', canon: `c${negate ? -v.imag : v.imag}`, keyItems: 2 };
        case 'bytes':
            return { kind: 'boxed', canon: `y${Array.from(v.value).join(',')}`, keyItems: 2 };
    }
}

function str(s: string): Const {
    return { kind: 'atom', canon: `s${JSON.stringify(s)}` };
}

function isDocstring(s: Stmt | undefined): boolean {
    return !!s && s.kind === 'Expr' && s.value.kind === 'Constant' && s.value.value.type === 'str';
}

/** Replays the compile of `module` (3.8–3.13) against `pools`. */
export class Compile3 {
    private readonly cache: ConstCache;
    private readonly stack: Unit[] = [];
    /** ast_opt.c's folded constants, by node. */
    private readonly folded = new Map<Expr, Const>();
    private codeIds = 0;

    constructor(
        private readonly scopes: ScopeTable,
        pools: TuplePools,
        private readonly p: ConstCacheProfile,
    ) {
        this.cache = new ConstCache(pools);
    }

    run(module: Module): void {
        this.optimize(module);
        const directives = this.directives(module);
        const u = this.enter(this.scopes.module, module.line);
        this.body(module.body);
        this.addConst(NONE); // assemble(c, addNone): a module never ends in a return
        this.exit(u);
        // compiler_free: the symtable (its directive tuples) and the constant cache.
        for (const d of directives) this.cache.decref(d.kind === 'tuple' ? d.obj : null);
        this.cache.free();
    }

    // ---- ast_opt.c

    /** The folded constant of `e` (a constant, a negative number, a tuple of constants), or null. */
    private constant(e: Expr): Const | null {
        if (e.kind === 'Constant') return constOf(e.value);
        if (e.kind === 'UnaryOp' && e.op === 'USub' && e.operand.kind === 'Constant' && ['int', 'float', 'complex'].includes(e.operand.value.type)) return constOf(e.operand.value, true);
        return this.folded.get(e) ?? null;
    }

    private foldTuple(e: Expr, elts: Expr[]): void {
        const items = elts.map((x) => this.constant(x));
        if (items.every((x): x is Const => x !== null)) this.folded.set(e, this.cache.tuple(items));
    }

    /** Bottom-up, as astfold_expr visits: a tuple of constants, and fold_iter's lists. */
    private optimize(node: unknown): void {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) {
            for (const n of node) this.optimize(n);
            return;
        }
        const n = node as { kind?: string } & Record<string, unknown>;
        for (const k of Object.keys(n)) if (k !== 'kind' && typeof n[k] === 'object') this.optimize(n[k]);
        const e = n as unknown as Expr;
        if (e.kind === 'Tuple' && e.ctx === 'Load') this.foldTuple(e, e.elts);
        else if (e.kind === 'Compare') e.comparators.forEach((c, i) => (e.ops[i] === 'In' || e.ops[i] === 'NotIn') && this.foldIter(c));
        else if ((n.kind === 'For' || n.kind === 'comprehension') && n.iter) this.foldIter(n.iter as Expr);
    }

    private foldIter(e: Expr): void {
        // A list of constants becomes a tuple (a set, a frozenset: not modelled, rare here).
        if (e.kind === 'List') this.foldTuple(e, e.elts);
    }

    /** symtable_record_directive: one tuple per global/nonlocal name, until the symtable is freed. */
    private directives(node: unknown, out: Const[] = []): Const[] {
        if (!node || typeof node !== 'object') return out;
        if (Array.isArray(node)) {
            for (const n of node) this.directives(n, out);
            return out;
        }
        const n = node as { kind?: string; names?: unknown } & Record<string, unknown>;
        if ((n.kind === 'Global' || n.kind === 'Nonlocal') && Array.isArray(n.names)) {
            for (let i = 0; i < n.names.length; i++) out.push(this.cache.tuple(new Array(this.p.directiveSize).fill(NONE)));
            return out;
        }
        for (const k of Object.keys(n)) if (typeof n[k] === 'object') this.directives(n[k], out);
        return out;
    }

    // ---- compile.c

    private get u(): Unit {
        return this.stack[this.stack.length - 1];
    }

    private enter(scope: Scope, firstLine: number): Unit {
        const u: Unit = { scope, firstLine, consts: new Map(), names: [], extraFast: [], folded: [], ops: [], pos: [], handlers: false };
        this.stack.push(u);
        return u;
    }

    /** compiler_add_const: through the cache; the unit's list keeps the first of equal constants. */
    private addConst(c: Const): void {
        const merged = this.cache.merge(c);
        const u = this.u;
        let entry = u.consts.get(merged.canon);
        if (!entry) u.consts.set(merged.canon, (entry = { c: merged, uses: 0 }));
        entry.uses++;
        u.ops.push(`c${[...u.consts.keys()].indexOf(merged.canon)}`);
    }

    /** ADDOP_LOAD_CONST_NEW: a tuple the compiler made for this load, dropped after it. */
    private addNewTuple(items: Const[]): void {
        const c = this.cache.tuple(items);
        this.addConst(c);
        if (c.kind === 'tuple') this.cache.decref(c.obj);
    }

    private op(o: string, at?: Range): void {
        const u = this.u;
        u.ops.push(o);
        if (at) u.pos.push(this.p.linetableColumns ? `${at.line - u.firstLine}:${at.col}:${at.endLine - u.firstLine}:${at.endCol}` : `${at.line - u.firstLine}`);
    }

    private name(id: string, at?: Range): void {
        const u = this.u;
        const s = u.scope;
        let o: string;
        if (s.cellvars.includes(id) || s.freevars.includes(id)) o = `d${id}`;
        else if (s.kind !== 'module' && s.kind !== 'class' && ((s.locals.has(id) && !s.globals.has(id)) || u.extraFast.includes(id))) o = `f${s.varnames.indexOf(id)}`;
        else if (s.kind === 'module' && u.extraFast.includes(id)) o = `f${u.extraFast.indexOf(id)}`;
        else o = `n${this.addName(id)}`;
        this.op(o, at);
    }

    private addName(id: string): number {
        const names = this.u.names;
        let i = names.indexOf(id);
        if (i < 0) i = names.push(id) - 1;
        return i;
    }

    /** assemble + makecode, then the unit is freed. Returns the code object's constant. */
    private exit(u: Unit): Const {
        const cache = this.cache;
        const p = this.p;
        const bytes = (what: string): Const => ({ kind: 'boxed', canon: `y${what}`, keyItems: 2 });
        const canonOps = u.ops.join(' ');
        const table: Record<string, string> = {
            bytecode: canonOps,
            linetable: `${canonOps}|${u.pos.join(' ')}`,
            exceptiontable: u.handlers ? `x${canonOps}|${u.pos.join(' ')}` : '',
        };
        if (p.tupleFold === 'cfg') this.foldDefaults(u, true);
        for (const b of p.mergedBytes) cache.mergeOne(bytes(table[b]));
        const s = u.scope;
        const fast = [...s.varnames, ...u.extraFast];
        const strs = (xs: string[]): Const[] => xs.map(str);
        const tuple = (xs: string[]): Const => cache.tuple(strs(xs));
        if (p.codeTuples === 'varnames') {
            const made = [tuple(u.names), tuple(fast), tuple(s.cellvars), tuple(s.freevars)];
            for (const t of made) cache.mergeOne(t);
            if (p.tupleFold === 'peephole') this.foldDefaults(u, false);
        } else cache.mergeOne(tuple(u.names));
        let consts = [...u.consts.values()];
        if (p.removeUnusedConsts) consts = consts.filter((e, i) => i === 0 || e.uses > 0);
        const items = consts.map((e) => e.c);
        const co = cache.tuple(items);
        for (const f of u.folded) if (f.kind === 'tuple') cache.decref(f.obj); // the consts list goes
        cache.mergeOne(co);
        if (p.codeTuples === 'localsplus') {
            const cells = s.cellvars.filter((c) => !fast.includes(c));
            cache.mergeOne(tuple([...fast, ...cells, ...s.freevars]));
        }
        this.stack.pop();
        return { kind: 'atom', canon: `code${this.codeIds++}` };
    }

    /** Positional defaults that are all constants: one tuple constant (BUILD_TUPLE folded). */
    private pendingDefaults: { unit: Unit; items: Const[] }[] = [];

    private foldDefaults(u: Unit, merge: boolean): void {
        for (const d of this.pendingDefaults.filter((x) => x.unit === u)) {
            for (const i of d.items) {
                const e = u.consts.get(this.cache.merge(i).canon);
                if (e) e.uses--;
            }
            const c = this.cache.tuple(d.items);
            if (merge) {
                const m = this.cache.merge(c);
                if (!u.consts.has(m.canon)) {
                    u.consts.set(m.canon, { c: m, uses: 1 });
                    if (m.kind === 'tuple') m.obj.rc++;
                    u.folded.push(m);
                }
                if (c.kind === 'tuple') this.cache.decref(c.obj);
            } else {
                u.consts.set(`${c.canon}#${u.consts.size}`, { c, uses: 1 });
                u.folded.push(c);
            }
        }
        this.pendingDefaults = this.pendingDefaults.filter((x) => x.unit !== u);
    }

    private body(stmts: Stmt[]): void {
        let i = 0;
        if (isDocstring(stmts[0])) {
            this.expr((stmts[0] as { value: Expr }).value);
            this.name('__doc__');
            i = 1;
        }
        for (; i < stmts.length; i++) this.stmt(stmts[i]);
    }

    private stmts(ss: Stmt[]): void {
        for (const s of ss) this.stmt(s);
    }

    /** compiler_default_arguments, then the function's own unit. */
    private defaults(a: Arguments): void {
        if (a.defaults.length) {
            for (const d of a.defaults) this.expr(d);
            const items = a.defaults.map((d) => this.constant(d));
            if (items.every((x): x is Const => x !== null)) this.pendingDefaults.push({ unit: this.u, items });
            this.op(`T${a.defaults.length}`);
        }
        const kw = a.kwonlyargs.filter((_, i) => a.kwDefaults[i]);
        if (kw.length) {
            a.kwonlyargs.forEach((_, i) => {
                const d = a.kwDefaults[i];
                if (d) this.expr(d);
            });
            this.addNewTuple(kw.map((x) => str(x.name)));
            this.op(`K${kw.length}`);
        }
    }

    private makeFunction(scope: Scope | undefined, code: Const, qualname: string): void {
        if (scope) for (const f of scope.freevars) this.op(`L${f}`);
        this.addConst(code);
        if (this.p.qualnameConst) this.addConst(str(qualname));
        this.op('F');
    }

    private qualname(name: string): string {
        const parts: string[] = [];
        for (let s = this.u.scope; s.kind !== 'module'; s = s.parent!) parts.unshift(s.kind === 'function' ? `${s.name}.<locals>` : s.name);
        return [...parts, name].join('.');
    }

    private functionDef(s: Extract<Stmt, { kind: 'FunctionDef' }>): void {
        for (const d of s.decorators) this.expr(d);
        this.defaults(s.args);
        const scope = this.scopes.of(s);
        let code: Const = { kind: 'atom', canon: `code?${this.codeIds++}` };
        if (scope) {
            const u = this.enter(scope, s.defLine);
            const doc = isDocstring(s.body[0]);
            this.addConst(doc ? constOf(((s.body[0] as { value: Expr }).value as { value: ConstantValue }).value) : NONE);
            this.stmts(doc ? s.body.slice(1) : s.body);
            if (s.body[s.body.length - 1]?.kind !== 'Return') this.addConst(NONE);
            code = this.exit(u);
        }
        this.makeFunction(scope, code, this.qualname(s.name));
        this.name(s.bindName ?? s.name, s);
    }

    private classDef(s: ClassDef): void {
        for (const d of s.decorators) this.expr(d);
        this.op('B');
        const scope = this.scopes.of(s);
        let code: Const = { kind: 'atom', canon: `code?${this.codeIds++}` };
        const qualname = this.qualname(s.name);
        if (scope) {
            const u = this.enter(scope, s.decorators.length ? s.decorators[0].line : s.line);
            this.name('__name__', s);
            this.name('__module__', s);
            this.addConst(str(qualname));
            this.name('__qualname__', s);
            if (this.p.classBodyMetadata) {
                this.addConst({ kind: 'atom', canon: `i${u.firstLine}` });
                this.name('__firstlineno__', s);
            }
            this.body(s.body);
            if (this.p.classBodyMetadata) {
                this.addNewTuple(staticAttributes(s).map(str));
                this.name('__static_attributes__', s);
            }
            if (scope.cellvars.includes('__class__')) this.op('Lc');
            else this.addConst(NONE);
            code = this.exit(u);
        }
        this.makeFunction(scope, code, qualname);
        this.addConst(str(s.name));
        for (const b of s.bases) this.expr(b);
        this.call([], s.keywords, s);
        this.name(s.bindName ?? s.name, s);
    }

    private stmt(s: Stmt): void {
        switch (s.kind) {
            case 'FunctionDef':
                this.functionDef(s);
                return;
            case 'ClassDef':
                this.classDef(s);
                return;
            case 'Return':
                if (s.value) this.expr(s.value);
                else this.addConst(NONE);
                this.op('R', s);
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
                    this.op(`a${this.addName(s.target.attr)}`, s.target);
                    this.expr(s.value);
                    this.op(`A${this.addName(s.target.attr)}`, s);
                } else if (s.target.kind === 'Subscript') {
                    this.expr(s.target.value);
                    this.expr(s.target.slice);
                    this.expr(s.value);
                } else {
                    this.expr(s.target);
                    this.expr(s.value);
                    this.expr(s.target);
                }
                this.op(`I${s.op}`, s);
                return;
            case 'AnnAssign':
                if (s.value) this.expr(s.value);
                this.expr(s.target);
                return;
            case 'For':
                this.expr(s.iter);
                this.op('Fo', s);
                this.expr(s.target);
                this.stmts(s.body);
                this.stmts(s.orelse);
                return;
            case 'While':
            case 'If': {
                const t = s.test;
                const c = t.kind === 'Constant' ? truthy(t.value) : null;
                if (c === false) this.stmts(s.orelse);
                else {
                    if (c === null) this.expr(t);
                    this.op(s.kind, s);
                    this.stmts(s.body);
                    if (s.kind === 'If' || c === null) this.stmts(s.orelse);
                }
                return;
            }
            case 'With':
                this.u.handlers = true;
                for (const item of s.items) {
                    this.expr(item.contextExpr);
                    this.op('W', item);
                    if (item.optionalVars) this.expr(item.optionalVars);
                }
                this.stmts(s.body);
                for (let i = 0; i < s.items.length; i++) this.addConst(NONE);
                return;
            case 'Raise':
                if (s.exc) this.expr(s.exc);
                if (s.cause) this.expr(s.cause);
                this.op('Ra', s);
                return;
            case 'Try':
                this.u.handlers = true;
                this.stmts(s.body);
                for (const h of s.handlers) {
                    if (h.type) this.expr(h.type);
                    this.op('E', h);
                    if (h.name) this.name(h.name, h);
                    this.stmts(h.body);
                    if (h.name) {
                        this.addConst(NONE);
                        this.name(h.name, h);
                        this.name(h.name, h);
                    }
                }
                this.stmts(s.orelse);
                this.stmts(s.finalbody);
                return;
            case 'Assert':
                this.expr(s.test);
                this.op(`n${this.addName('AssertionError')}`, s);
                if (s.msg) this.expr(s.msg);
                return;
            case 'Import':
                for (const a of s.names) {
                    this.addConst({ kind: 'atom', canon: 'i0' });
                    this.addConst(NONE);
                    this.op(`M${this.addName(a.name)}`, s);
                    const parts = a.name.split('.');
                    if (a.asname) {
                        for (const p of parts.slice(1)) this.op(`a${this.addName(p)}`);
                        this.name(a.asname, s);
                    } else this.name(parts[0], s);
                }
                return;
            case 'ImportFrom':
                this.addConst({ kind: 'atom', canon: `i${s.level}` });
                this.addNewTuple(s.names.map((a) => str(a.name)));
                this.op(`M${this.addName(s.module)}`, s);
                for (const a of s.names) {
                    if (a.name === '*') continue;
                    this.op(`m${this.addName(a.name)}`, s);
                    this.name(a.asname ?? a.name, s);
                }
                return;
            case 'Expr':
                if (s.value.kind !== 'Constant') {
                    this.expr(s.value);
                    this.op('P', s);
                }
                return;
            default:
                this.op(s.kind, s);
                return;
        }
    }

    /** compiler_call_helper: positional arguments, then keyword names as one tuple constant. */
    private call(args: Expr[], keywords: { arg: string | null; value: Expr }[], at: Range): void {
        for (const a of args) this.expr(a.kind === 'Starred' ? a.value : a);
        const ex = args.some((a) => a.kind === 'Starred') || keywords.some((k) => k.arg === null);
        if (!ex && keywords.length) {
            for (const k of keywords) this.expr(k.value);
            this.addNewTuple(keywords.map((k) => str(k.arg!)));
        } else if (ex) {
            // CALL_FUNCTION_EX: runs of keywords become dicts (compiler_subkwargs: a key tuple for more than one).
            let run: { arg: string | null; value: Expr }[] = [];
            const flush = (): void => {
                if (run.length > 1) {
                    for (const k of run) this.expr(k.value);
                    this.addNewTuple(run.map((k) => str(k.arg!)));
                } else
                    for (const k of run) {
                        this.addConst(str(k.arg!));
                        this.expr(k.value);
                    }
                run = [];
            };
            for (const k of keywords) {
                if (k.arg === null) {
                    flush();
                    this.expr(k.value);
                } else run.push(k);
            }
            flush();
        }
        this.op(`C${args.length},${keywords.length}`, at);
    }

    private comprehension(gens: Comprehension[], elts: Expr[]): void {
        gens.forEach((g, i) => {
            if (i > 0 || this.p.inlinedComprehensions) this.expr(g.iter);
            else this.op('f0');
            this.op('Fo', g);
            this.expr(g.target);
            for (const c of g.ifs) this.expr(c);
        });
        for (const e of elts) this.expr(e);
    }

    private expr(e: Expr): void {
        const folded = this.constant(e);
        if (folded) {
            this.addConst(folded);
            this.op('', e);
            return;
        }
        switch (e.kind) {
            case 'Name':
                this.name(e.id, e);
                return;
            case 'Attribute':
                this.expr(e.value);
                this.op(`a${this.addName(e.attr)}${e.ctx}`, e);
                return;
            case 'Subscript':
                this.expr(e.value);
                this.expr(e.slice);
                this.op(`S${e.ctx}`, e);
                return;
            case 'Slice':
                for (const x of [e.lower, e.upper]) {
                    if (x) this.expr(x);
                    else this.addConst(NONE);
                }
                if (e.step) this.expr(e.step);
                this.op('Sl', e);
                return;
            case 'UnaryOp':
                this.expr(e.operand);
                this.op(`U${e.op}`, e);
                return;
            case 'BinOp':
                this.expr(e.left);
                this.expr(e.right);
                this.op(`O${e.op}`, e);
                return;
            case 'BoolOp':
                for (const v of e.values) this.expr(v);
                this.op(`Bo${e.op}`, e);
                return;
            case 'NamedExpr':
                this.expr(e.value);
                this.expr(e.target);
                return;
            case 'Compare':
                this.expr(e.left);
                for (const c of e.comparators) this.expr(c);
                this.op(`Cm${e.ops.join()}`, e);
                return;
            case 'Call':
                this.expr(e.func);
                this.call(e.args, e.keywords, e);
                return;
            case 'Starred':
                this.expr(e.value);
                return;
            case 'Tuple':
            case 'List':
            case 'Set':
                this.display(e.kind, e.elts, e);
                return;
            case 'Dict': {
                // compiler_subdict: more than one key, all constants: BUILD_CONST_KEY_MAP with a key tuple.
                const keys = e.keys.map((k) => (k ? this.constant(k) : null));
                if (e.keys.length > 1 && keys.every((k): k is Const => k !== null) && e.keys.every((k) => k!.kind === 'Constant')) {
                    for (const v of e.values) this.expr(v);
                    this.addNewTuple(keys);
                } else
                    e.values.forEach((v, i) => {
                        const k = e.keys[i];
                        if (k) this.expr(k);
                        this.expr(v);
                    });
                this.op(`D${e.keys.length}`, e);
                return;
            }
            case 'IfExp':
                this.expr(e.test);
                this.expr(e.body);
                this.expr(e.orelse);
                return;
            case 'JoinedStr':
                for (const v of e.values) this.expr(v);
                this.op(`J${e.values.length}`, e);
                return;
            case 'FormattedValue':
                this.expr(e.value);
                if (e.formatSpec) this.expr(e.formatSpec);
                this.op(`Fv${e.conversion}`, e);
                return;
            case 'Lambda': {
                this.defaults(e.args);
                const scope = this.scopes.of(e);
                let code: Const = { kind: 'atom', canon: `code?${this.codeIds++}` };
                if (scope) {
                    const u = this.enter(scope, e.line);
                    this.addConst(NONE); // (no docstring)
                    this.expr(e.body);
                    this.op('R', e);
                    code = this.exit(u);
                }
                this.makeFunction(scope, code, this.qualname('<lambda>'));
                return;
            }
            case 'ListComp':
            case 'SetComp':
            case 'DictComp':
            case 'GeneratorExp': {
                const elts = e.kind === 'DictComp' ? [e.key, e.value] : [e.elt];
                const scope = this.scopes.of(e);
                if (this.p.inlinedComprehensions && e.kind !== 'GeneratorExp') {
                    // PEP 709: compiled into the enclosing unit; its variables are fast locals there.
                    const u = this.u;
                    if (scope) for (const v of scope.locals) if (!u.extraFast.includes(v) && !u.scope.varnames.includes(v)) u.extraFast.push(v);
                    u.handlers = true;
                    const saved = u.scope;
                    if (scope) u.scope = scope;
                    this.comprehension(e.generators, elts);
                    u.scope = saved;
                    this.op(e.kind, e);
                    return;
                }
                let code: Const = { kind: 'atom', canon: `code?${this.codeIds++}` };
                if (scope) {
                    const u = this.enter(scope, e.line);
                    this.comprehension(e.generators, elts);
                    if (e.kind === 'GeneratorExp') this.addConst(NONE);
                    this.op(e.kind, e);
                    code = this.exit(u);
                }
                const name = { ListComp: '<listcomp>', SetComp: '<setcomp>', DictComp: '<dictcomp>', GeneratorExp: '<genexpr>' }[e.kind];
                this.makeFunction(scope, code, this.qualname(name));
                this.expr(e.generators[0].iter);
                this.op('C1,0', e);
                return;
            }
            case 'Yield':
                if (e.value) this.expr(e.value);
                else this.addConst(NONE);
                this.op('Y', e);
                return;
            case 'YieldFrom':
                this.expr(e.value);
                this.addConst(NONE);
                this.op('YF', e);
                return;
            default:
                this.op(e.kind, e);
                return;
        }
    }

    /** A list or set display of three or more constants (3.9+): built from one tuple constant. */
    private display(kind: string, elts: Expr[], at: Expr): void {
        const items = elts.map((x) => this.constant(x));
        if (kind !== 'Tuple' && this.p.constDisplays && elts.length > 2 && items.every((x): x is Const => x !== null)) {
            if (kind === 'List') this.addNewTuple(items);
            this.op(`${kind}c`, at);
            return;
        }
        for (const x of elts) this.expr(x);
        this.op(`${kind}${elts.length}`, at);
    }
}

