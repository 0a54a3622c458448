/*
 * scopes.ts
 *
 * Scope analysis as CPython's Python/symtable.c does it (3.8–3.11 rules: comprehensions get their
 * own function-like scope), followed by the name layout that Python/compile.c gives each code object:
 *
 *   1. A symtable pass, in the order symtable.c visits the tree, records for every scope which names
 *      are bound, used, declared global/nonlocal, or parameters, and reports misplaced declarations.
 *   2. An analysis pass (symtable.c's analyze_block) resolves each name to local, cell, free or
 *      global, skipping class scopes when nested functions look for bindings.
 *   3. A compile-order pass fills `varnames` the way compile.c does: parameters first, then every
 *      other fast local in the order the compiler first emits an instruction naming it (for
 *      `a = b` the value is compiled before the target, so `b` comes before `a`).
 */

import { NESTING_REFUSED } from './parser';
import type {
    Arguments,
    Comprehension,
    Expr,
    ExceptHandler,
    Module,
    Node,
    ParseDiagnostic,
    Range,
    Stmt,
} from './ast';

export interface Scope {
    kind: 'module' | 'function' | 'class' | 'comprehension';
    name: string;
    node: Node;
    parent: Scope | null;
    /** co_varnames order (empty for module and class scopes, whose names are not fast locals). */
    varnames: string[];
    /**
     * `varnames` with the cell variables merged in where compile.c first emits them: the order
     * 3.12+ gives a cell that only inlined comprehensions needed, which becomes a plain local (PEP 709).
     */
    fastOrder: string[];
    /** Names bound here and used by a nested scope, sorted (plus `__class__` for classes that need it). */
    cellvars: string[];
    /** Names resolved in an enclosing function scope, sorted. */
    freevars: string[];
    /** Declared `global` here, or free names not bound in any enclosing function scope. */
    globals: Set<string>;
    /** Every name bound in (and local to) this scope; for the module, its globals. */
    locals: Set<string>;
    children: Scope[];
    /** A `yield` or `yield from` in this scope's own code makes calling it create a generator. */
    generator: boolean;
    /** Where a `return value` first appears (2.7 refuses it inside a generator), or null. */
    returnValueAt: Range | null;
    /** Where a `yield from` first appears (a syntax error under 2.7), or null. */
    yieldFromAt: Range | null;
}

export interface ScopeTable {
    module: Scope;
    of(node: Node): Scope | undefined;
    diagnostics: ParseDiagnostic[];
}

// Symbol flags (symtable.h).
const DEF_GLOBAL = 1;
const DEF_LOCAL = 2;
const DEF_PARAM = 4;
const DEF_NONLOCAL = 8;
const USE = 16;
const DEF_FREE_CLASS = 32;
const DEF_IMPORT = 64;
const DEF_ANNOT = 128;
const DEF_COMP_ITER = 256;
const DEF_BOUND = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

const enum Resolution {
    Local,
    GlobalExplicit,
    GlobalImplicit,
    Free,
    Cell,
}

type ScopeNode = Node & Range;

/** Per-scope bookkeeping during analysis. */
interface Block {
    scope: Scope;
    symbols: Map<string, number>;
    resolution: Map<string, Resolution>;
    params: string[];
    needsClassClosure: boolean;
    /** True while visiting the targets of a comprehension's `for` clauses. */
    inCompIter: boolean;
    blocks: Block[];
}

export function analyzeScopes(module: Module): ScopeTable {
    try {
        return new ScopeAnalyzer().run(module);
    } catch (e) {
        // Only a pathological tree (deeper than the parser's limits) can get here; never throw.
        const at = { line: module.line, col: module.col, endLine: module.line, endCol: module.col };
        const fallback = new ScopeAnalyzer().run({ ...module, body: [] });
        if (e instanceof RangeError) fallback.diagnostics.push({ severity: 'error', category: 'unsupported', message: NESTING_REFUSED, ...at });
        else fallback.diagnostics.push({ severity: 'error', category: 'syntax', message: `internal scope analysis error: ${String(e)}`, ...at });
        return fallback;
    }
}

class ScopeAnalyzer {
    private readonly _diagnostics: ParseDiagnostic[] = [];
    private readonly _byNode = new Map<Node, Block>();
    private _stack: Block[] = [];

    run(module: Module): ScopeTable {
        const root = this._newBlock('module', '<module>', module, null);
        this._stack = [root];
        this._visitStmts(module.body);
        this._analyze(root, null, new Set(), new Set());
        this._finish(root);
        const byNode = this._byNode;
        return {
            module: root.scope,
            of: (node: Node) => byNode.get(node)?.scope,
            diagnostics: this._diagnostics,
        };
    }

    private get _cur(): Block {
        return this._stack[this._stack.length - 1];
    }

    private _newBlock(kind: Scope['kind'], name: string, node: ScopeNode, parent: Block | null): Block {
        const scope: Scope = {
            kind,
            name,
            node,
            parent: parent ? parent.scope : null,
            varnames: [],
            fastOrder: [],
            cellvars: [],
            freevars: [],
            globals: new Set(),
            locals: new Set(),
            children: [],
            generator: false,
            returnValueAt: null,
            yieldFromAt: null,
        };
        const block: Block = {
            scope,
            symbols: new Map(),
            resolution: new Map(),
            params: [],
            needsClassClosure: false,
            inCompIter: false,
            blocks: [],
        };
        if (parent) {
            parent.scope.children.push(scope);
            parent.blocks.push(block);
        }
        this._byNode.set(node, block);
        return block;
    }

    private _error(message: string, at: Range): void {
        this._diagnostics.push({
            severity: 'error',
            category: 'syntax',
            message,
            line: at.line,
            col: at.col,
            endLine: at.endLine,
            endCol: at.endCol,
        });
    }

    private _addDef(name: string, flag: number, block: Block = this._cur): void {
        let flags = block.symbols.get(name) ?? 0;
        if (flag === DEF_PARAM && flags & DEF_PARAM) {
            // Duplicate parameters are reported by the parser.
            return;
        }
        flags |= flag;
        if (flag === DEF_LOCAL && block.inCompIter) flags |= DEF_COMP_ITER;
        block.symbols.set(name, flags);
    }

    // ------------------------------------------------------------------------------------------
    // Pass 1: the symtable walk (symtable.c's visiting order)

    private _visitStmts(stmts: Stmt[]): void {
        for (const s of stmts) this._visitStmt(s);
    }

    private _visitStmt(s: Stmt): void {
        switch (s.kind) {
            case 'FunctionDef': {
                this._addDef(s.bindName ?? s.name, DEF_LOCAL);
                this._visitDefaults(s.args);
                this._visitExprs(s.decorators);
                const block = this._newBlock('function', s.name, s, this._cur);
                this._enterFunction(block, s.args, () => this._visitStmts(s.body));
                return;
            }
            case 'ClassDef': {
                this._addDef(s.bindName ?? s.name, DEF_LOCAL);
                this._visitExprs(s.bases);
                for (const k of s.keywords) this._visitExpr(k.value);
                this._visitExprs(s.decorators);
                const block = this._newBlock('class', s.name, s, this._cur);
                this._stack.push(block);
                this._visitStmts(s.body);
                this._stack.pop();
                return;
            }
            case 'Return':
                if (s.value) {
                    this._visitExpr(s.value);
                    this._cur.scope.returnValueAt ??= s;
                }
                return;
            case 'Delete':
                this._visitExprs(s.targets);
                return;
            case 'Assign':
                this._visitExprs(s.targets);
                this._visitExpr(s.value);
                return;
            case 'AugAssign':
                this._visitExpr(s.target);
                this._visitExpr(s.value);
                return;
            case 'AnnAssign':
                if (s.target.kind === 'Name') {
                    this._checkAnnotatedName(s.target.id, s);
                    this._addDef(s.target.id, DEF_LOCAL | DEF_ANNOT);
                } else {
                    this._visitExpr(s.target);
                }
                this._visitExpr(s.annotation);
                if (s.value) this._visitExpr(s.value);
                return;
            case 'For':
                this._visitExpr(s.target);
                this._visitExpr(s.iter);
                this._visitStmts(s.body);
                this._visitStmts(s.orelse);
                return;
            case 'While':
                this._visitExpr(s.test);
                this._visitStmts(s.body);
                this._visitStmts(s.orelse);
                return;
            case 'If': {
                // elif chains are nested Ifs; walk them iteratively so long chains cannot overflow.
                let node: Stmt = s;
                while (node.kind === 'If') {
                    this._visitExpr(node.test);
                    this._visitStmts(node.body);
                    if (node.orelse.length === 1 && node.orelse[0].kind === 'If') {
                        node = node.orelse[0];
                    } else {
                        this._visitStmts(node.orelse);
                        break;
                    }
                }
                return;
            }
            case 'With':
                for (const item of s.items) {
                    this._visitExpr(item.contextExpr);
                    if (item.optionalVars) this._visitExpr(item.optionalVars);
                }
                this._visitStmts(s.body);
                return;
            case 'Raise':
                if (s.exc) this._visitExpr(s.exc);
                if (s.cause) this._visitExpr(s.cause);
                if (s.value) this._visitExpr(s.value);
                return;
            case 'Print':
                if (s.dest) this._visitExpr(s.dest);
                for (const v of s.values) this._visitExpr(v);
                return;
            case 'Try':
                this._visitStmts(s.body);
                for (const h of s.handlers) this._visitHandler(h);
                this._visitStmts(s.orelse);
                this._visitStmts(s.finalbody);
                return;
            case 'Assert':
                this._visitExpr(s.test);
                if (s.msg) this._visitExpr(s.msg);
                return;
            case 'Import':
            case 'ImportFrom':
                for (const a of s.names) {
                    if (a.name !== '*') this._addDef(a.asname ?? a.name.split('.')[0], DEF_IMPORT);
                }
                return;
            case 'Global':
                for (const name of s.names) this._declareGlobal(name, s);
                return;
            case 'Nonlocal':
                for (const name of s.names) this._declareNonlocal(name, s);
                return;
            case 'Expr':
                this._visitExpr(s.value);
                return;
            case 'Pass':
            case 'Break':
            case 'Continue':
                return;
        }
    }

    private _visitHandler(h: ExceptHandler): void {
        if (h.type) this._visitExpr(h.type);
        if (h.name) this._addDef(h.name, DEF_LOCAL);
        this._visitStmts(h.body);
    }

    private _checkAnnotatedName(name: string, at: Range): void {
        const flags = this._cur.symbols.get(name) ?? 0;
        if (flags & (DEF_GLOBAL | DEF_NONLOCAL) && this._cur.scope.kind !== 'module') {
            this._error(`annotated name '${name}' can't be ${flags & DEF_GLOBAL ? 'global' : 'nonlocal'}`, at);
        }
    }

    // symtable.c: GLOBAL_PARAM / GLOBAL_AFTER_USE / GLOBAL_ANNOT / GLOBAL_AFTER_ASSIGN
    private _declareGlobal(name: string, at: Range): void {
        const flags = this._cur.symbols.get(name) ?? 0;
        if (flags & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT | DEF_IMPORT)) {
            const message =
                flags & DEF_PARAM ? `name '${name}' is parameter and global`
                    : flags & USE ? `name '${name}' is used prior to global declaration`
                        : flags & DEF_ANNOT ? `annotated name '${name}' can't be global`
                            : `name '${name}' is assigned to before global declaration`;
            this._error(message, at);
        }
        if (flags & DEF_NONLOCAL) this._error(`name '${name}' is nonlocal and global`, at);
        this._addDef(name, DEF_GLOBAL);
    }

    private _declareNonlocal(name: string, at: Range): void {
        if (this._cur.scope.kind === 'module') {
            this._error('nonlocal declaration not allowed at module level', at);
            return;
        }
        const flags = this._cur.symbols.get(name) ?? 0;
        if (flags & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT | DEF_IMPORT)) {
            const message =
                flags & DEF_PARAM ? `name '${name}' is parameter and nonlocal`
                    : flags & USE ? `name '${name}' is used prior to nonlocal declaration`
                        : flags & DEF_ANNOT ? `annotated name '${name}' can't be nonlocal`
                            : `name '${name}' is assigned to before nonlocal declaration`;
            this._error(message, at);
        }
        if (flags & DEF_GLOBAL) this._error(`name '${name}' is nonlocal and global`, at);
        this._addDef(name, DEF_NONLOCAL);
        this._nonlocalSites.set(this._key(this._cur, name), at);
    }

    private readonly _nonlocalSites = new Map<string, Range>();

    private _key(block: Block, name: string): string {
        return `${this._blockId(block)}\u0000${name}`;
    }

    private readonly _ids = new Map<Block, number>();

    private _blockId(block: Block): number {
        let id = this._ids.get(block);
        if (id === undefined) {
            id = this._ids.size;
            this._ids.set(block, id);
        }
        return id;
    }

    private _visitDefaults(args: Arguments): void {
        this._visitExprs(args.defaults);
        for (const d of args.kwDefaults) if (d) this._visitExpr(d);
    }

    private _enterFunction(block: Block, args: Arguments, body: () => void): void {
        this._stack.push(block);
        // symtable_visit_arguments: posonly, args, kwonly, then *args, then **kwargs.
        const params = [...args.posonlyargs, ...args.args, ...args.kwonlyargs];
        if (args.vararg) params.push(args.vararg);
        if (args.kwarg) params.push(args.kwarg);
        for (const p of params) {
            if (!block.params.includes(p.name)) block.params.push(p.name);
            this._addDef(p.name, DEF_PARAM);
        }
        body();
        this._stack.pop();
    }

    private _visitExprs(exprs: Expr[]): void {
        for (const e of exprs) this._visitExpr(e);
    }

    private _visitExpr(e: Expr): void {
        switch (e.kind) {
            case 'Name':
                if (e.ctx === 'Load') {
                    this._addDef(e.id, USE);
                    // symtable.c: a function that loads `super` implicitly uses the `__class__` cell.
                    if (e.id === 'super' && this._cur.scope.kind !== 'module' && this._cur.scope.kind !== 'class') this._addDef('__class__', USE);
                } else {
                    this._addDef(e.id, DEF_LOCAL);
                }
                return;
            case 'NamedExpr':
                this._visitExpr(e.value);
                this._bindNamedExprTarget(e.target.id, e.target);
                return;
            case 'Lambda': {
                this._visitDefaults(e.args);
                const block = this._newBlock('function', '<lambda>', e, this._cur);
                this._enterFunction(block, e.args, () => this._visitExpr(e.body));
                return;
            }
            case 'ListComp':
                this._visitComprehension(e, '<listcomp>', e.generators, [e.elt]);
                return;
            case 'SetComp':
                this._visitComprehension(e, '<setcomp>', e.generators, [e.elt]);
                return;
            case 'GeneratorExp':
                this._visitComprehension(e, '<genexpr>', e.generators, [e.elt]);
                return;
            case 'DictComp':
                // symtable.c visits the value before the key.
                this._visitComprehension(e, '<dictcomp>', e.generators, [e.value, e.key]);
                return;
            case 'Yield':
            case 'YieldFrom':
                if (e.value) this._visitExpr(e.value);
                this._markGenerator(e);
                return;
            default:
                forEachChildExpr(e, (c) => this._visitExpr(c));
        }
    }

    /** symtable.c sets ste_generator; compile.c refuses a yield outside a function body. */
    private _markGenerator(e: Expr): void {
        const scope = this._cur.scope;
        if (scope.kind === 'comprehension') {
            const what = scope.name === '<genexpr>' ? 'generator expression' : scope.name === '<listcomp>' ? 'list comprehension' : scope.name === '<setcomp>' ? 'set comprehension' : 'dict comprehension';
            this._error(`'yield' inside ${what}`, e);
            return;
        }
        if (scope.kind !== 'function') {
            this._error("'yield' outside function", e);
            return;
        }
        scope.generator = true;
        if (e.kind === 'YieldFrom') scope.yieldFromAt ??= e;
    }

    /** The first iterable is evaluated in the enclosing scope; everything else in the comprehension's. */
    private _visitComprehension(node: Expr, name: string, generators: Comprehension[], elts: Expr[]): void {
        if (generators.length === 0) return;
        this._visitExpr(generators[0].iter);
        const block = this._newBlock('comprehension', name, node, this._cur);
        this._stack.push(block);
        block.params.push('.0');
        this._addDef('.0', DEF_PARAM);
        generators.forEach((g, k) => {
            block.inCompIter = true;
            this._visitExpr(g.target);
            block.inCompIter = false;
            if (k > 0) this._visitExpr(g.iter);
            this._visitExprs(g.ifs);
        });
        this._visitExprs(elts);
        this._stack.pop();
    }

    /** PEP 572: a walrus in a comprehension binds in the nearest enclosing function or module scope. */
    private _bindNamedExprTarget(name: string, at: Range): void {
        const cur = this._cur;
        if (cur.scope.kind !== 'comprehension') {
            this._addDef(name, DEF_LOCAL);
            return;
        }
        for (let k = this._stack.length - 1; k >= 0; k--) {
            const block = this._stack[k];
            if (block.scope.kind === 'comprehension') {
                if ((block.symbols.get(name) ?? 0) & DEF_COMP_ITER) {
                    this._error(`assignment expression cannot rebind comprehension iteration variable '${name}'`, at);
                    return;
                }
                continue;
            }
            if (block.scope.kind === 'class') {
                this._error('assignment expression within a comprehension cannot be used in a class body', at);
                return;
            }
            if (block.scope.kind === 'function') {
                this._addDef(name, DEF_NONLOCAL, cur);
                this._addDef(name, DEF_LOCAL, block);
            } else {
                this._addDef(name, DEF_GLOBAL, cur);
                this._addDef(name, DEF_LOCAL, block);
            }
            return;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Pass 2: resolution (symtable.c analyze_block / analyze_name / analyze_cells / update_symbols)

    /** Returns the names free in this block (to be resolved by its parents). */
    private _analyze(block: Block, bound: Set<string> | null, global: Set<string>, free: Set<string>): void {
        const kind = block.scope.kind;
        const local = new Set<string>();
        const newGlobal = new Set<string>();
        const newBound = new Set<string>();
        const newFree = new Set<string>();
        if (kind === 'class') {
            for (const g of global) newGlobal.add(g);
            if (bound) for (const b of bound) newBound.add(b);
        }
        for (const [name, flags] of block.symbols) {
            this._analyzeName(block, name, flags, bound, local, free, global);
        }
        if (kind !== 'class') {
            if (kind === 'function' || kind === 'comprehension') for (const l of local) newBound.add(l);
            if (bound) for (const b of bound) newBound.add(b);
            for (const g of global) newGlobal.add(g);
        } else {
            newBound.add('__class__');
        }
        for (const child of block.blocks) {
            // Children get copies: their analysis must not leak into siblings.
            const childFree = new Set<string>();
            this._analyze(child, new Set(newBound), new Set(newGlobal), childFree);
            for (const f of childFree) newFree.add(f);
        }
        if (kind === 'function' || kind === 'comprehension') {
            for (const name of [...newFree]) {
                if (block.resolution.get(name) === Resolution.Local) {
                    block.resolution.set(name, Resolution.Cell);
                    newFree.delete(name);
                }
            }
        }
        if (kind === 'class' && newFree.delete('__class__')) block.needsClassClosure = true;
        this._updateSymbols(block, bound, newFree);
        for (const f of newFree) free.add(f);
    }

    private _analyzeName(
        block: Block,
        name: string,
        flags: number,
        bound: Set<string> | null,
        local: Set<string>,
        free: Set<string>,
        global: Set<string>,
    ): void {
        if (flags & DEF_GLOBAL) {
            block.resolution.set(name, Resolution.GlobalExplicit);
            global.add(name);
            bound?.delete(name);
        } else if (flags & DEF_NONLOCAL) {
            if (!bound || !bound.has(name)) {
                const at = this._nonlocalSites.get(this._key(block, name)) ?? (block.scope.node as Range);
                this._error(`no binding for nonlocal '${name}' found`, at);
                block.resolution.set(name, Resolution.GlobalImplicit);
                return;
            }
            block.resolution.set(name, Resolution.Free);
            free.add(name);
        } else if (flags & DEF_BOUND) {
            block.resolution.set(name, Resolution.Local);
            local.add(name);
            global.delete(name);
        } else if (bound && bound.has(name)) {
            block.resolution.set(name, Resolution.Free);
            free.add(name);
        } else {
            block.resolution.set(name, Resolution.GlobalImplicit);
        }
    }

    /** Free names of children that pass through this block become free here too. */
    private _updateSymbols(block: Block, bound: Set<string> | null, free: Set<string>): void {
        for (const name of free) {
            const flags = block.symbols.get(name);
            if (flags !== undefined) {
                if (block.scope.kind === 'class' && flags & DEF_BOUND) {
                    block.symbols.set(name, flags | DEF_FREE_CLASS);
                }
                continue;
            }
            if (bound && !bound.has(name)) continue;
            block.symbols.set(name, 0);
            block.resolution.set(name, Resolution.Free);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Pass 3: fill in the Scope records

    private _finish(block: Block): void {
        const s = block.scope;
        const cells: string[] = [];
        const frees: string[] = [];
        for (const [name, res] of block.resolution) {
            switch (res) {
                case Resolution.Local:
                    s.locals.add(name);
                    break;
                case Resolution.Cell:
                    s.locals.add(name);
                    cells.push(name);
                    break;
                case Resolution.Free:
                    frees.push(name);
                    break;
                case Resolution.GlobalExplicit:
                case Resolution.GlobalImplicit:
                    s.globals.add(name);
                    break;
            }
            const flags = block.symbols.get(name) ?? 0;
            if (s.kind === 'class' && flags & DEF_FREE_CLASS) frees.push(name);
        }
        if (block.needsClassClosure) cells.push('__class__');
        s.cellvars = sortNames(cells);
        s.freevars = sortNames([...new Set(frees)]);
        if (s.kind === 'function' || s.kind === 'comprehension') {
            const c = new VarnamesCollector(block, this._byNode);
            s.varnames = c.collect();
            s.fastOrder = c.fastOrder;
        }
        for (const child of block.blocks) this._finish(child);
    }
}

/** CPython sorts cell and free names (dictbytype) by code point; JS string order matches for the BMP. */
function sortNames(names: string[]): string[] {
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * co_varnames: parameters, then each fast local in the order compile.c first emits an instruction
 * for it. This walks the scope's own code in compilation order and stops at nested scopes (whose
 * defaults and first iterables, evaluated here, are still visited).
 */
class VarnamesCollector {
    private readonly _names: string[] = [];
    private readonly _seen = new Set<string>();
    /** Locals and cells in first-emission order (see Scope.fastOrder). */
    readonly fastOrder: string[] = [];

    constructor(
        private readonly _block: Block,
        private readonly _byNode: Map<Node, Block>,
    ) {}

    collect(): string[] {
        for (const p of this._block.params) this._add(p);
        const node = this._block.scope.node;
        switch (node.kind) {
            case 'FunctionDef':
                this._stmts(node.body);
                break;
            case 'Lambda':
                this._expr(node.body);
                break;
            case 'ListComp':
            case 'SetComp':
            case 'GeneratorExp':
                this._comprehensionBody(node.generators, [node.elt]);
                break;
            case 'DictComp':
                this._comprehensionBody(node.generators, [node.key, node.value]);
                break;
        }
        return this._names;
    }

    private _add(name: string): void {
        if (this._seen.has(name)) return;
        const res = this._block.resolution.get(name);
        const param = this._block.params.includes(name);
        if (res !== Resolution.Local && res !== Resolution.Cell && !param) return;
        this._seen.add(name);
        this.fastOrder.push(name);
        if (res === Resolution.Local || param) this._names.push(name);
    }

    private _comprehensionBody(generators: Comprehension[], elts: Expr[]): void {
        generators.forEach((g, k) => {
            if (k > 0) this._expr(g.iter);
            this._expr(g.target);
            for (const i of g.ifs) this._expr(i);
        });
        for (const e of elts) this._expr(e);
    }

    private _stmts(stmts: Stmt[]): void {
        for (const s of stmts) this._stmt(s);
    }

    private _stmt(s: Stmt): void {
        switch (s.kind) {
            case 'FunctionDef':
                this._exprs(s.decorators);
                this._defaults(s.args);
                this._add(s.bindName ?? s.name);
                return;
            case 'ClassDef':
                this._exprs(s.decorators);
                this._exprs(s.bases);
                for (const k of s.keywords) this._expr(k.value);
                this._add(s.bindName ?? s.name);
                return;
            case 'Return':
                if (s.value) this._expr(s.value);
                return;
            case 'Delete':
                this._exprs(s.targets);
                return;
            case 'Assign':
                this._expr(s.value);
                this._exprs(s.targets);
                return;
            case 'AugAssign':
                this._expr(s.target);
                this._expr(s.value);
                return;
            case 'AnnAssign':
                if (s.value) this._expr(s.value);
                this._expr(s.target);
                return;
            case 'For':
                this._expr(s.iter);
                this._expr(s.target);
                this._stmts(s.body);
                this._stmts(s.orelse);
                return;
            case 'While':
                this._expr(s.test);
                this._stmts(s.body);
                this._stmts(s.orelse);
                return;
            case 'If': {
                let node: Stmt = s;
                while (node.kind === 'If') {
                    this._expr(node.test);
                    this._stmts(node.body);
                    if (node.orelse.length === 1 && node.orelse[0].kind === 'If') {
                        node = node.orelse[0];
                    } else {
                        this._stmts(node.orelse);
                        break;
                    }
                }
                return;
            }
            case 'With':
                for (const item of s.items) {
                    this._expr(item.contextExpr);
                    if (item.optionalVars) this._expr(item.optionalVars);
                }
                this._stmts(s.body);
                return;
            case 'Raise':
                if (s.exc) this._expr(s.exc);
                if (s.cause) this._expr(s.cause);
                if (s.value) this._expr(s.value);
                return;
            case 'Print':
                if (s.dest) this._expr(s.dest);
                for (const v of s.values) this._expr(v);
                return;
            case 'Try':
                this._stmts(s.body);
                for (const h of s.handlers) {
                    if (h.type) this._expr(h.type);
                    if (h.name) this._add(h.name);
                    this._stmts(h.body);
                }
                this._stmts(s.orelse);
                this._stmts(s.finalbody);
                return;
            case 'Assert':
                this._expr(s.test);
                if (s.msg) this._expr(s.msg);
                return;
            case 'Import':
            case 'ImportFrom':
                for (const a of s.names) if (a.name !== '*') this._add(a.asname ?? a.name.split('.')[0]);
                return;
            case 'Expr':
                this._expr(s.value);
                return;
            default:
                return;
        }
    }

    private _defaults(args: Arguments): void {
        this._exprs(args.defaults);
        for (const d of args.kwDefaults) if (d) this._expr(d);
    }

    private _exprs(exprs: Expr[]): void {
        for (const e of exprs) this._expr(e);
    }

    private _expr(e: Expr): void {
        switch (e.kind) {
            case 'Name':
                this._add(e.id);
                return;
            case 'NamedExpr':
                this._expr(e.value);
                this._expr(e.target);
                return;
            case 'Lambda':
                this._defaults(e.args);
                return;
            case 'ListComp':
            case 'SetComp':
            case 'DictComp':
            case 'GeneratorExp':
                // Only the first iterable belongs to this scope's code.
                if (e.generators.length > 0 && this._byNode.has(e)) this._expr(e.generators[0].iter);
                return;
            default:
                forEachChildExpr(e, (c) => this._expr(c));
        }
    }
}

/** The sub-expressions of `e` in CPython's evaluation order (scope-creating nodes handled by callers). */
export function forEachChildExpr(e: Expr, f: (c: Expr) => void): void {
    switch (e.kind) {
        case 'BoolOp':
            e.values.forEach(f);
            return;
        case 'NamedExpr':
            f(e.value);
            f(e.target);
            return;
        case 'BinOp':
            f(e.left);
            f(e.right);
            return;
        case 'UnaryOp':
            f(e.operand);
            return;
        case 'IfExp':
            f(e.test);
            f(e.body);
            f(e.orelse);
            return;
        case 'Dict':
            e.values.forEach((v, k) => {
                const key = e.keys[k];
                if (key) f(key);
                f(v);
            });
            return;
        case 'Set':
        case 'List':
        case 'Tuple':
            e.elts.forEach(f);
            return;
        case 'Compare':
            f(e.left);
            e.comparators.forEach(f);
            return;
        case 'Call':
            f(e.func);
            e.args.forEach(f);
            for (const k of e.keywords) f(k.value);
            return;
        case 'FormattedValue':
            f(e.value);
            if (e.formatSpec) f(e.formatSpec);
            return;
        case 'JoinedStr':
            e.values.forEach(f);
            return;
        case 'Attribute':
        case 'Starred':
            f(e.value);
            return;
        case 'Yield':
            if (e.value) f(e.value);
            return;
        case 'YieldFrom':
            f(e.value);
            return;
        case 'Subscript':
            f(e.value);
            f(e.slice);
            return;
        case 'Slice':
            if (e.lower) f(e.lower);
            if (e.upper) f(e.upper);
            if (e.step) f(e.step);
            return;
        case 'Constant':
        case 'Name':
        case 'Lambda':
        case 'ListComp':
        case 'SetComp':
        case 'DictComp':
        case 'GeneratorExp':
            return;
    }
}
