/*
 * refusals.ts
 *
 * The static half of "no invented Python errors": before a scenario runs, every name it reaches
 * that the profile's interpreter defines (names/table.ts) but the engine does not implement
 * (names/implemented.ts) is reported at its position as `not supported in scenarios yet: NAME`:
 *
 *   - a load the scope analysis resolves to the builtin (not bound in any enclosing function, not
 *     bound at module level nor declared `global` anywhere): `input`, `memoryview`;
 *   - an attribute of a module bound only by import statements (`gc.get_stats`, `os.path.join`
 *     through `import os`, `g.get_stats` after `import gc as g`) and `from gc import get_stats`;
 *   - an attribute of a built-in class named by its builtin (`dict.fromkeys`) or of a literal's
 *     value (`'x'.casefold`, `[].copy` on 2.7).
 *
 * What only the run can tell (a name rebound elsewhere, `getattr(gc, name)`, an object passed
 * around) is refused by names/refuse.ts when the lookup fails.
 */

import type * as ast from '../parser/ast';
import { forEachChildExpr, type Scope, type ScopeTable } from '../parser/scopes';
import type { EngineError } from '../api';
import { namesFor, classKey, recordedAttributes, type ProfileNames } from './table';
import { implementedFor, type Implemented, type LiteralKind } from './implemented';
import { UNSUPPORTED } from './refuse';
import { PROFILES } from '../profiles';
import { inferType } from '../parser/compileWarnings';

/** A binding kind: `module:NAME` for an import of that module, 'other' for anything else. */
type Binding = string;
const OTHER = 'other';

interface Check {
    scope: Scope;
    node: ast.Name | ast.Attribute;
}

export function findRefusals(module: ast.Module, scopes: ScopeTable, profile: string): EngineError[] {
    const pass = new RefusalPass(scopes, namesFor(profile), implementedFor(profile), PROFILES[profile].major === 2);
    pass.stmts(module.body, scopes.module);
    return pass.check();
}

class RefusalPass {
    private readonly bindings = new Map<Scope, Map<string, Set<Binding>>>();
    private readonly loads: Check[] = [];
    private readonly fromImports: { stmt: ast.ImportFrom; alias: ast.Alias }[] = [];
    private readonly errors: EngineError[] = [];

    constructor(
        private readonly scopes: ScopeTable,
        private readonly names: ProfileNames,
        private readonly impl: Implemented,
        /** 2.7 (and Jython): `b''` is a str, a long int literal a long. */
        private readonly py2: boolean,
    ) {}

    // ---------------------------------------------------------------- pass 1: bindings and loads

    private bind(scope: Scope, name: string, kind: Binding): void {
        let m = this.bindings.get(scope);
        if (!m) this.bindings.set(scope, (m = new Map()));
        let s = m.get(name);
        if (!s) m.set(name, (s = new Set()));
        s.add(kind);
    }

    private scopeOf(node: ast.Node, outer: Scope): Scope {
        return this.scopes.of(node) ?? outer;
    }

    stmts(body: ast.Stmt[], scope: Scope): void {
        for (const s of body) this.stmt(s, scope);
    }

    private stmt(s: ast.Stmt, scope: Scope): void {
        switch (s.kind) {
            case 'FunctionDef':
                this.bind(scope, s.bindName ?? s.name, OTHER);
                this.args(s.args, scope);
                this.exprs(s.decorators, scope);
                this.stmts(s.body, this.scopeOf(s, scope));
                return;
            case 'ClassDef':
                this.bind(scope, s.bindName ?? s.name, OTHER);
                this.exprs(s.bases, scope);
                for (const k of s.keywords) this.expr(k.value, scope);
                this.exprs(s.decorators, scope);
                this.stmts(s.body, this.scopeOf(s, scope));
                return;
            case 'Return':
                if (s.value) this.expr(s.value, scope);
                return;
            case 'Delete':
                this.exprs(s.targets, scope);
                return;
            case 'Assign':
                this.exprs(s.targets, scope);
                this.expr(s.value, scope);
                return;
            case 'AugAssign':
                this.expr(s.target, scope);
                this.expr(s.value, scope);
                return;
            case 'AnnAssign':
                this.expr(s.target, scope);
                this.expr(s.annotation, scope);
                if (s.value) this.expr(s.value, scope);
                return;
            case 'For':
                this.expr(s.target, scope);
                this.expr(s.iter, scope);
                this.stmts(s.body, scope);
                this.stmts(s.orelse, scope);
                return;
            case 'While':
                this.expr(s.test, scope);
                this.stmts(s.body, scope);
                this.stmts(s.orelse, scope);
                return;
            case 'If':
                this.expr(s.test, scope);
                this.stmts(s.body, scope);
                this.stmts(s.orelse, scope);
                return;
            case 'With':
                for (const item of s.items) {
                    this.expr(item.contextExpr, scope);
                    if (item.optionalVars) this.expr(item.optionalVars, scope);
                }
                this.stmts(s.body, scope);
                return;
            case 'Raise':
                if (s.exc) this.expr(s.exc, scope);
                if (s.cause) this.expr(s.cause, scope);
                if (s.value) this.expr(s.value, scope);
                return;
            case 'Print':
                if (s.dest) this.expr(s.dest, scope);
                for (const v of s.values) this.expr(v, scope);
                return;
            case 'Try':
                this.stmts(s.body, scope);
                for (const h of s.handlers) {
                    if (h.type) this.expr(h.type, scope);
                    if (h.name) this.bind(scope, h.name, OTHER);
                    this.stmts(h.body, scope);
                }
                this.stmts(s.orelse, scope);
                this.stmts(s.finalbody, scope);
                return;
            case 'Assert':
                this.expr(s.test, scope);
                if (s.msg) this.expr(s.msg, scope);
                return;
            case 'Import':
                for (const a of s.names) {
                    if (a.asname) this.bind(scope, a.asname, `module:${a.name}`);
                    else this.bind(scope, a.name.split('.')[0], `module:${a.name.split('.')[0]}`);
                }
                return;
            case 'ImportFrom':
                for (const a of s.names) {
                    if (a.name === '*') continue;
                    const sub = `${s.module}.${a.name}`;
                    this.bind(scope, a.asname ?? a.name, this.names.modules.has(sub) ? `module:${sub}` : OTHER);
                    this.fromImports.push({ stmt: s, alias: a });
                }
                return;
            case 'Global':
                // Stores to these names bind module globals.
                for (const n of s.names) this.bind(this.scopes.module, n, OTHER);
                return;
            case 'Nonlocal':
                for (const n of s.names) for (let p = scope.parent; p; p = p.parent) this.bind(p, n, OTHER);
                return;
            case 'Expr':
                this.expr(s.value, scope);
                return;
        }
    }

    private args(a: ast.Arguments, scope: Scope): void {
        this.exprs(a.defaults, scope);
        for (const d of a.kwDefaults) if (d) this.expr(d, scope);
    }

    private exprs(es: ast.Expr[], scope: Scope): void {
        for (const e of es) this.expr(e, scope);
    }

    private expr(e: ast.Expr, scope: Scope): void {
        switch (e.kind) {
            case 'Name':
                if (e.ctx === 'Load') this.loads.push({ scope, node: e });
                else this.bind(this.globalTarget(scope, e.id), e.id, OTHER);
                return;
            case 'Attribute':
                this.expr(e.value, scope);
                if (e.ctx === 'Load') this.loads.push({ scope, node: e });
                return;
            case 'NamedExpr':
                this.expr(e.value, scope);
                // A walrus in a comprehension binds in the enclosing function (or module).
                for (let s: Scope | null = scope; s; s = s.parent) {
                    this.bind(s, e.target.id, OTHER);
                    if (s.kind !== 'comprehension') break;
                }
                return;
            case 'Lambda':
                this.args(e.args, scope);
                this.expr(e.body, this.scopeOf(e, scope));
                return;
            case 'ListComp':
            case 'SetComp':
            case 'GeneratorExp':
            case 'DictComp': {
                if (!e.generators.length) return;
                this.expr(e.generators[0].iter, scope);
                const inner = this.scopeOf(e, scope);
                e.generators.forEach((g, k) => {
                    this.expr(g.target, inner);
                    if (k > 0) this.expr(g.iter, inner);
                    this.exprs(g.ifs, inner);
                });
                if (e.kind === 'DictComp') {
                    this.expr(e.key, inner);
                    this.expr(e.value, inner);
                } else {
                    this.expr(e.elt, inner);
                }
                return;
            }
            default:
                forEachChildExpr(e, (c) => this.expr(c, scope));
        }
    }

    /** Where a store to `name` in `scope` binds: the module for names declared global there. */
    private globalTarget(scope: Scope, name: string): Scope {
        return scope.kind !== 'module' && scope.kind !== 'class' && scope.globals.has(name) && !scope.locals.has(name) ? this.scopes.module : scope;
    }

    // ---------------------------------------------------------------- pass 2: the checks

    /** The scope whose binding a load of `name` in `scope` reads, or 'global' (module globals, then builtins). */
    private resolve(scope: Scope, name: string): Scope | 'global' {
        if (scope.kind === 'module') return 'global';
        if (scope.locals.has(name)) return scope;
        if (scope.freevars.includes(name)) {
            for (let p = scope.parent; p; p = p.parent) {
                if (p.kind === 'class' || p.kind === 'module') continue;
                if (p.locals.has(name)) return p;
            }
        }
        return 'global';
    }

    private bindingsOf(scope: Scope | 'global', name: string): Set<Binding> | undefined {
        return this.bindings.get(scope === 'global' ? this.scopes.module : scope)?.get(name);
    }

    /** The module an expression certainly is (`gc`, `os.path`), or null. */
    private moduleOf(e: ast.Expr, scope: Scope): string | null {
        if (e.kind === 'Name') {
            const b = this.bindingsOf(this.resolve(scope, e.id), e.id);
            if (!b || b.size !== 1) return null;
            const [kind] = b;
            return kind.startsWith('module:') ? kind.slice(7) : null;
        }
        if (e.kind === 'Attribute') {
            const outer = this.moduleOf(e.value, scope);
            const sub = outer ? `${outer}.${e.attr}` : null;
            return sub && this.names.modules.has(sub) && this.impl.module(sub) ? sub : null;
        }
        return null;
    }

    /** Is `name` loaded in `scope` the builtin (bound nowhere it could be found first)? */
    private isBuiltinLoad(scope: Scope, name: string): boolean {
        return this.resolve(scope, name) === 'global' && !this.bindingsOf('global', name);
    }

    check(): EngineError[] {
        for (const { stmt, alias } of this.fromImports) {
            const recorded = this.moduleNames(stmt.module);
            const impl = this.impl.module(stmt.module);
            if (recorded?.(alias.name) && impl && !impl.has(alias.name)) this.refuse(alias, `${stmt.module}.${alias.name}`);
        }
        for (const { scope, node } of this.loads) {
            if (node.kind === 'Name') {
                const n = node.id;
                if (this.isBuiltinLoad(scope, n) && (this.names.builtins.has(n) || this.names.site.has(n)) && !this.impl.builtins.has(n)) this.refuse(node, n);
                continue;
            }
            this.checkAttribute(node, scope);
        }
        this.errors.sort((a, b) => a.line - b.line || a.col - b.col);
        return this.errors;
    }

    private checkAttribute(node: ast.Attribute, scope: Scope): void {
        const attr = node.attr;
        const v = node.value;
        const mod = this.moduleOf(v, scope);
        if (mod) {
            const impl = this.impl.module(mod);
            if (impl && !impl.has(attr) && this.moduleNames(mod)?.(attr)) this.refuse(node, `${mod}.${attr}`);
            return;
        }
        if (v.kind === 'Name' && this.isBuiltinLoad(scope, v.id) && this.impl.builtins.has(v.id)) {
            const key = classKey(this.names.builtins.get(v.id) ?? '');
            if (!key || this.impl.builtinAttr(v.id, attr)) return;
            const owner = this.owner(key, attr) ?? this.owner('type', attr);
            if (owner) this.refuse(node, `${owner}.${attr}`);
            return;
        }
        const kind = literalKind(v, this.py2);
        if (kind && !this.impl.literalAttr(kind, attr)) {
            const owner = this.owner(kind === 'bytes' && this.py2 ? 'str' : kind, attr);
            if (owner) this.refuse(node, `${owner}.${attr}`);
        }
    }

    /** The recorded class of `key`'s MRO that defines `attr`, by name, or null. */
    private owner(key: string, attr: string): string | null {
        if (!recordedAttributes(this.names, key).has(attr)) return null;
        for (const k of this.names.types.get(key)!.mro) if (this.names.types.get(k)?.own.has(attr)) return this.names.types.get(k)!.name;
        return key;
    }

    private moduleNames(module: string): ((n: string) => boolean) | null {
        if (module === 'builtins' || module === '__builtin__') return (n) => this.names.builtins.has(n) || this.names.site.has(n);
        const m = this.names.modules.get(module);
        return m ? (n) => m.has(n) : null;
    }

    private refuse(at: ast.Range, what: string): void {
        this.errors.push({ kind: 'unsupported', message: UNSUPPORTED + what, line: at.line, col: at.col, endLine: at.endLine, endCol: at.endCol });
    }
}

const LITERAL_KINDS: ReadonlySet<string> = new Set<LiteralKind>(['str', 'bytes', 'int', 'float', 'list', 'tuple', 'dict', 'set']);

/** The class of a literal's value, when the expression is one (the compiler's infer_type). */
function literalKind(e: ast.Expr, py2: boolean): LiteralKind | null {
    const k = inferType(e);
    if (k === null || !LITERAL_KINDS.has(k)) return null;
    // 2.7: an int literal past sys.maxint is a long.
    if (k === 'int' && py2 && e.kind === 'Constant' && e.value.type === 'int' && (e.value.value > 9223372036854775807n || e.value.value < -9223372036854775808n)) return null;
    return k as LiteralKind;
}
