/*
 * pgenStack.ts
 *
 * The stack of CPython's LL(1) parser (Parser/parser.c, the "pgen" parser of 2.7 and 3.8; 3.9
 * replaced it by the PEG parser). It pushes one entry for every nonterminal it enters and pops it
 * when the nonterminal is complete, so while a token is read the stack holds exactly the
 * nonterminals above that token in the concrete syntax tree — and the tree keeps every level of
 * the grammar, even a `test` that is just a name: 15 nonterminals (`test`, `or_test`, … `atom`)
 * lie between a statement's expression and the name in it. s_push refuses the entry past MAXSTACK
 * (1,500 in 2.7, 1,700 in 3.8) with "s_push: parser stack overflow" on stderr and a MemoryError:
 * about 99 nested parentheses, where 3.9+ take 200.
 *
 * This module computes that depth over our syntax tree, rule by rule of each version's Grammar
 * (the comments quote the rule each step follows). It is checked against the trees the real
 * interpreters build: scripts/record-pgen-depth.mjs records, with 2.7's and 3.8's own `parser`
 * module, the depth of every top-level statement of every scenario and corpus program, and
 * test/unit/pgen-stack.test.ts compares.
 *
 * 3.8 compiles an f-string's fields with a second parse of `(expr)` in eval mode (fstring_compile_expr):
 * a fresh stack, so each field is measured on its own.
 */

import type * as ast from './ast';
import { parenLayers } from './parser';

/** Which grammar's rules: 2.7's or 3.8's (the two differ in a few chains; see the flags). */
export type PgenGrammar = '2.7' | '3.8';

/** The ladder of single-child nonterminals from `test` down to `atom`, by level. */
const TEST = 0, OR_TEST = 1, AND_TEST = 2, NOT_TEST = 3, COMPARISON = 4, EXPR = 5, XOR_EXPR = 6, AND_EXPR = 7;
const SHIFT_EXPR = 8, ARITH_EXPR = 9, TERM = 10, FACTOR = 11, POWER = 12;

/** The level of each binary operator's nonterminal (`arith_expr: term (('+'|'-') term)*`, …). */
const BINARY_LEVEL: Record<ast.OperatorName, number> = {
    BitOr: EXPR, BitXor: XOR_EXPR, BitAnd: AND_EXPR, LShift: SHIFT_EXPR, RShift: SHIFT_EXPR,
    Add: ARITH_EXPR, Sub: ARITH_EXPR, Mult: TERM, MatMult: TERM, Div: TERM, FloorDiv: TERM, Mod: TERM,
    Pow: POWER,
};

export interface PgenDepth {
    /** The deepest stack the main parse needs. */
    depth: number;
    /** The line of the first top-level statement whose parse needs more than `limit`, if any. */
    overflowLine: number | null;
}

/** The stack each top-level statement needs, by its first line (several statements on a line: the largest). */
export function pgenStatementDepths(module: ast.Module, lines: readonly string[], grammar: PgenGrammar): Map<number, number> {
    const walker = new PgenWalker(lines, grammar);
    const rows = new Map<number, number>();
    walker.body(module.body, 1, (s, depth) => {
        const line = firstLine(s);
        rows.set(line, Math.max(rows.get(line) ?? 0, depth));
    });
    return rows;
}

/**
 * Whether the module overflows a parser stack of `limit` entries: the main parse, or (3.8) the
 * parse of one f-string field.
 */
export function pgenOverflow(module: ast.Module, lines: readonly string[], grammar: PgenGrammar, limit: number): PgenDepth {
    const walker = new PgenWalker(lines, grammar);
    let depth = 0;
    let overflowLine: number | null = null;
    walker.body(module.body, 1, (s, d) => {
        const need = Math.max(d, walker.takeFieldDepth());
        depth = Math.max(depth, need);
        if (need > limit && overflowLine === null) overflowLine = firstLine(s);
    });
    return { depth, overflowLine };
}

class PgenWalker {
    private readonly _lines: readonly string[];
    private readonly _py2: boolean;
    /** `atom`'s level: 3.8 has `atom_expr: [AWAIT] atom trailer*` between power and atom. */
    private readonly _atom: number;
    /** The level of a call/attribute/subscript chain's own node: 3.8's atom_expr, 2.7's power. */
    private readonly _primary: number;
    /** The deepest f-string field parse seen since the last takeFieldDepth (3.8). */
    private _fieldDepth = 0;

    /** `lines`: the source's lines (statement prefixes tell `a; b` and `if a: b` apart). */
    constructor(lines: readonly string[], grammar: PgenGrammar) {
        this._lines = lines;
        this._py2 = grammar === '2.7';
        this._atom = this._py2 ? 13 : 14;
        this._primary = this._py2 ? POWER : 13;
    }

    takeFieldDepth(): number {
        const d = this._fieldDepth;
        this._fieldDepth = 0;
        return d;
    }

    // ------------------------------------------------------------------------------------------
    // Statements. `d` is the depth of the parent (file_input = 1, or a suite).

    /** The statements of file_input or of an indented suite at depth `d`, reporting each one's depth. */
    body(stmts: ast.Stmt[], d: number, each?: (s: ast.Stmt, depth: number) => void): number {
        let max = d;
        // `a; b` share one simple_stmt: a statement after `;` is where the one before it was.
        let simpleAt = d + 3;
        for (let i = 0; i < stmts.length; i++) {
            const s = stmts[i];
            const before = this._textBefore(s);
            let depth: number;
            if (before.endsWith(';')) depth = this._small(s, simpleAt);
            else if (before !== '' && i === 0) {
                // suite: simple_stmt | NEWLINE INDENT stmt+ DEDENT — a body on its header's line.
                simpleAt = d + 2;
                depth = this._small(s, simpleAt);
            } else if (isCompound(s)) depth = this._compound(s, d + 2);
            else {
                // stmt: simple_stmt | compound_stmt;  simple_stmt: small_stmt (';' small_stmt)* NEWLINE
                simpleAt = d + 3;
                depth = this._small(s, simpleAt);
            }
            each?.(s, depth);
            if (depth > max) max = depth;
        }
        return max;
    }

    private _textBefore(s: ast.Stmt): string {
        return (this._lines[s.line - 1] ?? '').slice(0, s.col - 1).trim();
    }

    /** A small statement under small_stmt at depth `sm` (its own nonterminal at sm + 1). */
    private _small(s: ast.Stmt, sm: number): number {
        const x = sm + 1;
        switch (s.kind) {
            case 'Expr':
                // yield_stmt: yield_expr (under flow_stmt); expr_stmt: testlist_star_expr ...
                if (isYield(s.value) && parenLayers(s.value) === 0) return this._yieldExpr(s.value, x + 2);
                return this._testlist(s.value, x + 1, true);
            case 'Assign': {
                let max = x;
                for (const t of s.targets) max = Math.max(max, this._testlist(t, x + 1, true));
                const v = isYield(s.value) && parenLayers(s.value) === 0 ? this._yieldExpr(s.value, x + 1) : this._testlist(s.value, x + 1, true);
                return Math.max(max, v);
            }
            case 'AugAssign': {
                // expr_stmt: testlist_star_expr augassign (yield_expr|testlist)
                const t = this._testlist(s.target, x + 1, true);
                const v = isYield(s.value) && parenLayers(s.value) === 0 ? this._yieldExpr(s.value, x + 1) : this._testlist(s.value, x + 1, false);
                return Math.max(t, x + 1, v);
            }
            case 'AnnAssign': {
                // annassign: ':' test ['=' (yield_expr|testlist_star_expr)]
                let max = Math.max(this._testlist(s.target, x + 1, true), this._walk(s.annotation, x + 1, TEST));
                if (s.value) max = Math.max(max, isYield(s.value) && parenLayers(s.value) === 0 ? this._yieldExpr(s.value, x + 2) : this._testlist(s.value, x + 2, true));
                return max;
            }
            case 'Delete': {
                // del_stmt: 'del' exprlist
                let max = x + 1;
                for (const t of s.targets) max = Math.max(max, this._starOr(t, x + 1, EXPR));
                return max;
            }
            case 'Pass':
            case 'Global':
            case 'Nonlocal':
                return x;
            case 'Break':
            case 'Continue':
                return x + 1; // flow_stmt: break_stmt | ...
            case 'Return':
                // return_stmt: 'return' [testlist_star_expr]  (2.7: [testlist])
                return s.value ? this._testlist(s.value, x + 2, !this._py2) : x + 1;
            case 'Raise': {
                // raise_stmt: 'raise' [test ['from' test]]  (2.7: [test [',' test [',' test]]])
                let max = x + 1;
                for (const e of [s.exc, s.cause, s.value ?? null]) if (e) max = Math.max(max, this._walk(e, x + 1, TEST));
                return max;
            }
            case 'Import':
                // import_name: 'import' dotted_as_names; dotted_as_name: dotted_name ['as' NAME]
                return x + 4;
            case 'ImportFrom':
                // import_from: 'from' ... dotted_name ... 'import' ('*' | import_as_names); import_as_name: NAME ['as' NAME]
                return s.names.length === 1 && s.names[0].name === '*' ? (s.module ? x + 2 : x + 1) : x + 3;
            case 'Assert': {
                let max = this._walk(s.test, x, TEST);
                if (s.msg) max = Math.max(max, this._walk(s.msg, x, TEST));
                return max;
            }
            case 'Print': {
                // print_stmt: 'print' ( [ test (',' test)* [','] ] | '>>' test [ (',' test)+ [','] ] )
                let max = x;
                for (const v of s.dest ? [s.dest, ...s.values] : s.values) max = Math.max(max, this._walk(v, x, TEST));
                return max;
            }
            default:
                return x;
        }
    }

    /** A compound statement whose compound_stmt is at depth `cs` (its own nonterminal at cs + 1). */
    private _compound(s: ast.Stmt, cs: number): number {
        const c = cs + 1;
        switch (s.kind) {
            case 'If':
            case 'While': {
                // if_stmt: 'if' namedexpr_test ':' suite ('elif' namedexpr_test ':' suite)* ['else' ':' suite]
                let max = Math.max(this._condition(s.test, c), this._suite(s.body, c + 1));
                let orelse = s.orelse;
                while (s.kind === 'If' && orelse.length === 1 && orelse[0].kind === 'If' && this._isElif(orelse[0])) {
                    const elif = orelse[0];
                    max = Math.max(max, this._condition(elif.test, c), this._suite(elif.body, c + 1));
                    orelse = elif.orelse;
                }
                if (orelse.length) max = Math.max(max, this._suite(orelse, c + 1));
                return max;
            }
            case 'For': {
                // for_stmt: 'for' exprlist 'in' testlist ':' suite ['else' ':' suite]
                let max = Math.max(this._exprlist(s.target, c + 1), this._testlist(s.iter, c + 1, false), this._suite(s.body, c + 1));
                if (s.orelse.length) max = Math.max(max, this._suite(s.orelse, c + 1));
                return max;
            }
            case 'Try': {
                let max = this._suite(s.body, c + 1);
                for (const h of s.handlers) {
                    // except_clause: 'except' [test ['as' NAME]]
                    max = Math.max(max, h.type ? this._walk(h.type, c + 1, TEST) : c + 1, this._suite(h.body, c + 1));
                }
                if (s.orelse.length) max = Math.max(max, this._suite(s.orelse, c + 1));
                if (s.finalbody.length) max = Math.max(max, this._suite(s.finalbody, c + 1));
                return max;
            }
            case 'With': {
                // with_item: test ['as' expr]
                let max = this._suite(s.body, c + 1);
                for (const item of s.items) {
                    max = Math.max(max, this._walk(item.contextExpr, c + 1, TEST));
                    if (item.optionalVars) max = Math.max(max, this._walk(item.optionalVars, c + 1, EXPR));
                }
                return max;
            }
            case 'FunctionDef':
            case 'ClassDef': {
                // decorated: decorators (classdef | funcdef | async_funcdef); decorators: decorator+
                let def = c;
                let max = c;
                if (s.decorators.length) {
                    def = c + 1;
                    for (const dec of s.decorators) max = Math.max(max, this._decorator(dec, c + 2));
                }
                if (s.kind === 'FunctionDef') {
                    // funcdef: 'def' NAME parameters ['->' test] ':' func_body_suite; parameters: '(' [typedargslist] ')'
                    max = Math.max(max, this._arguments(s.args, def + 2), this._suite(s.body, def + 1));
                } else {
                    // classdef: 'class' NAME ['(' [arglist] ')'] ':' suite  (2.7: ['(' [testlist] ')'])
                    max = Math.max(max, def, this._suite(s.body, def + 1));
                    if (s.bases.length || s.keywords.length) {
                        if (this._py2) for (const b of s.bases) max = Math.max(max, this._walk(b, def + 1, TEST));
                        else max = Math.max(max, this._arglist(s.bases, s.keywords, def));
                    }
                }
                return max;
            }
            default:
                return c;
        }
    }

    /** if/while conditions: 3.8's namedexpr_test, 2.7's test. */
    private _condition(e: ast.Expr, parent: number): number {
        return this._namedexprTest(e, parent, parenLayers(e));
    }

    private _isElif(s: ast.If): boolean {
        return (this._lines[s.line - 1] ?? '').startsWith('elif', s.col - 1);
    }

    /** suite (or func_body_suite) at depth `su`. */
    private _suite(body: ast.Stmt[], su: number): number {
        return Math.max(su, this.body(body, su));
    }

    /** decorator: '@' dotted_name [ '(' [arglist] ')' ] NEWLINE, at depth `dc`. */
    private _decorator(e: ast.Expr, dc: number): number {
        if (e.kind === 'Call') return Math.max(dc + 1, this._arglist(e.args, e.keywords, dc));
        return dc + 1;
    }

    /** typedargslist / varargslist at depth `a` (only when the function has parameters). */
    private _arguments(args: ast.Arguments, a: number): number {
        const named = args.posonlyargs.length + args.args.length + args.kwonlyargs.length;
        if (!named && !args.vararg && !args.kwarg) return a - 1;
        // 3.8: tfpdef/vfpdef under every named parameter, `*args` and `**kw` included; 2.7: fpdef, but `*args`/`**kw` are bare NAMEs.
        let max = named || !this._py2 ? a + 1 : a;
        for (const e of [...args.defaults, ...args.kwDefaults]) if (e) max = Math.max(max, this._walk(e, a, TEST));
        return max;
    }

    // ------------------------------------------------------------------------------------------
    // Lists of expressions

    /**
     * testlist_star_expr / testlist (and exprlist-like lists) under a nonterminal at depth `l`: an
     * unparenthesized tuple's items are its children; anything else is one child.
     */
    private _testlist(e: ast.Expr, l: number, star: boolean): number {
        if (e.kind === 'Tuple' && parenLayers(e) === 0) {
            let max = l;
            for (const x of e.elts) max = Math.max(max, star ? this._starOr(x, l, TEST) : this._walk(x, l, TEST));
            return max;
        }
        return star ? this._starOr(e, l, TEST) : this._walk(e, l, TEST);
    }

    /** exprlist: (expr|star_expr) (',' (expr|star_expr))* [','], the list itself at depth `l`. */
    private _exprlist(e: ast.Expr, l: number): number {
        if (e.kind === 'Tuple' && parenLayers(e) === 0) {
            let max = l;
            for (const x of e.elts) max = Math.max(max, this._starOr(x, l, EXPR));
            return max;
        }
        return this._starOr(e, l, EXPR);
    }

    /** star_expr: '*' expr where the grammar allows one, else `entry`'s chain. */
    private _starOr(e: ast.Expr, parent: number, entry: number): number {
        if (e.kind === 'Starred' && parenLayers(e) === 0) return this._walk(e.value, parent + 1, EXPR);
        return this._walk(e, parent, entry);
    }

    /** namedexpr_test: test [':=' test] (3.8), or just test (2.7), under `parent`. */
    private _namedexprTest(e: ast.Expr, parent: number, layers: number): number {
        if (this._py2) return this._walk(e, parent, TEST, layers);
        const n = parent + 1;
        if (e.kind === 'NamedExpr' && layers === 0) return Math.max(this._walk(e.target, n, TEST), this._walk(e.value, n, TEST));
        return this._walk(e, n, TEST, layers);
    }

    /** The items of a `[...]` display or a parenthesized tuple: testlist_comp (2.7's lists: listmaker) at depth `l`. */
    private _displayItems(elts: ast.Expr[], l: number): number {
        let max = l;
        for (const x of elts) {
            if (x.kind === 'Starred' && parenLayers(x) === 0) max = Math.max(max, this._walk(x.value, l + 1, EXPR));
            else max = Math.max(max, this._namedexprTest(x, l, parenLayers(x)));
        }
        return max;
    }

    // ------------------------------------------------------------------------------------------
    // Expressions

    /**
     * The deepest token of `e`, parsed where the grammar asks for the ladder's level `entry`
     * (`test`, `or_test`, `expr`, …) under a nonterminal at depth `parent`.
     */
    private _walk(e: ast.Expr, parent: number, entry: number, layers = parenLayers(e)): number {
        const own = ownsParens(e) ? 1 : 0;
        if (layers > own) {
            // atom: '(' [yield_expr|testlist_comp] ')' — the chain down to atom, then testlist_comp.
            const atom = parent + (this._atom - entry + 1);
            return this._namedexprTest(e, atom + 1, layers - 1);
        }
        const level = this._level(e, own === 1 && layers === 1);
        const d = parent + Math.max(1, level - entry + 1);
        return this._node(e, d, level);
    }

    /** The ladder level of `e`'s own nonterminal. */
    private _level(e: ast.Expr, parenthesized: boolean): number {
        if (parenthesized) return this._atom;
        switch (e.kind) {
            case 'BoolOp': return e.op === 'Or' ? OR_TEST : AND_TEST;
            case 'UnaryOp': return e.op === 'Not' ? NOT_TEST : e.op === 'Convert' ? this._atom : FACTOR;
            case 'Compare': return COMPARISON;
            case 'BinOp': return BINARY_LEVEL[e.op];
            case 'Lambda':
            case 'IfExp':
            case 'NamedExpr':
                return TEST;
            case 'Call':
            case 'Attribute':
            case 'Subscript':
                return this._primary;
            case 'Starred': return EXPR;
            default: return this._atom;
        }
    }

    /** `e`'s children, its own nonterminal (at `level`) being at depth `d`. */
    private _node(e: ast.Expr, d: number, level: number): number {
        switch (e.kind) {
            case 'BoolOp': {
                // or_test: and_test ('or' and_test)*;  and_test: not_test ('and' not_test)*
                let max = d;
                for (const v of e.values) max = Math.max(max, this._walk(v, d, level + 1));
                return max;
            }
            case 'UnaryOp':
                if (e.op === 'Not') return this._walk(e.operand, d, NOT_TEST); // not_test: 'not' not_test | comparison
                if (e.op === 'Convert') return this._testlist(e.operand, d + 1, false); // atom: '`' testlist1 '`'
                return this._walk(e.operand, d, FACTOR); // factor: ('+'|'-'|'~') factor | power
            case 'Compare': {
                // comparison: expr (comp_op expr)*
                let max = Math.max(d + 1, this._walk(e.left, d, EXPR));
                for (const c of e.comparators) max = Math.max(max, this._walk(c, d, EXPR));
                return max;
            }
            case 'BinOp': {
                if (e.op === 'Pow') {
                    // power: atom_expr ['**' factor]  (2.7: atom trailer* ['**' factor])
                    const left = this._py2 && isPrimary(e.left) && parenLayers(e.left) === 0
                        ? this._primaryChain(e.left, d)
                        : this._walk(e.left, d, this._py2 ? this._atom : this._primary);
                    return Math.max(left, this._walk(e.right, d, FACTOR));
                }
                // arith_expr: term (('+'|'-') term)* — a left-nested chain of one level is one node.
                let max = d;
                let x: ast.Expr = e;
                while (x.kind === 'BinOp' && BINARY_LEVEL[x.op] === level && (x === e || parenLayers(x) === 0) && x.op !== 'Pow') {
                    max = Math.max(max, this._walk(x.right, d, level + 1));
                    x = x.left;
                }
                return Math.max(max, this._walk(x, d, level + 1));
            }
            case 'IfExp':
                // test: or_test ['if' or_test 'else' test] | lambdef
                return Math.max(this._walk(e.body, d, OR_TEST), this._walk(e.test, d, OR_TEST), this._walk(e.orelse, d, TEST));
            case 'Lambda':
                // lambdef: 'lambda' [varargslist] ':' test
                return Math.max(d + 1, this._arguments(e.args, d + 2), this._walk(e.body, d + 1, TEST));
            case 'NamedExpr':
                return Math.max(this._walk(e.target, d, TEST), this._walk(e.value, d, TEST));
            case 'Call':
            case 'Attribute':
            case 'Subscript':
                return this._primaryChain(e, d);
            case 'Starred':
                return this._walk(e.value, d, EXPR);
            case 'List':
                if (!e.elts.length) return d;
                if (this._py2) return this._plainItems(e.elts, d + 1); // listmaker: test ( list_for | (',' test)* [','] )
                return this._displayItems(e.elts, d + 1);
            case 'Tuple':
                if (!e.elts.length) return d;
                return this._py2 ? this._plainItems(e.elts, d + 1) : this._displayItems(e.elts, d + 1);
            case 'Set': {
                // dictorsetmaker: ... (test | star_expr) (comp_for | (',' (test | star_expr))* [','])
                let max = d + 1;
                for (const x of e.elts) max = Math.max(max, this._starOr(x, d + 1, TEST));
                return max;
            }
            case 'Dict': {
                if (!e.keys.length) return d;
                // dictorsetmaker: (test ':' test | '**' expr) ...
                let max = d + 1;
                for (let i = 0; i < e.keys.length; i++) {
                    const k = e.keys[i];
                    if (k) max = Math.max(max, this._walk(k, d + 1, TEST), this._walk(e.values[i], d + 1, TEST));
                    else max = Math.max(max, this._walk(e.values[i], d + 1, EXPR));
                }
                return max;
            }
            case 'ListComp':
                if (this._py2) return Math.max(this._walk(e.elt, d + 1, TEST), this._listFor(e.generators, d + 1));
                return Math.max(this._namedexprTest(e.elt, d + 1, parenLayers(e.elt)), this._compFor(e.generators, d + 1));
            case 'GeneratorExp':
                // testlist_comp: (namedexpr_test|star_expr) ( comp_for | ... )
                return Math.max(this._namedexprTest(e.elt, d + 1, parenLayers(e.elt)), this._compFor(e.generators, d + 1));
            case 'SetComp':
                return Math.max(this._walk(e.elt, d + 1, TEST), this._compFor(e.generators, d + 1));
            case 'DictComp':
                return Math.max(this._walk(e.key, d + 1, TEST), this._walk(e.value, d + 1, TEST), this._compFor(e.generators, d + 1));
            case 'Yield':
            case 'YieldFrom':
                return this._yieldExpr(e, d + 1); // atom: '(' yield_expr ')'
            case 'JoinedStr':
                this._fields(e);
                return d;
            default:
                return d;
        }
    }

    /** 2.7's listmaker / testlist_comp items: plain tests. */
    private _plainItems(elts: ast.Expr[], l: number): number {
        let max = l;
        for (const x of elts) max = Math.max(max, this._walk(x, l, TEST));
        return max;
    }

    /** yield_expr at depth `y`: 'yield' [yield_arg]; yield_arg: 'from' test | testlist_star_expr (2.7: 'yield' [testlist]). */
    private _yieldExpr(e: ast.Yield | ast.YieldFrom, y: number): number {
        if (e.kind === 'YieldFrom') return this._walk(e.value, y + 1, TEST);
        if (!e.value) return y;
        return this._py2 ? this._testlist(e.value, y + 1, false) : this._testlist(e.value, y + 2, true);
    }

    /** atom trailer*: the chain's own node (atom_expr / power) at depth `d`; atom and trailers at d + 1. */
    private _primaryChain(e: ast.Expr, d: number): number {
        let max = d + 1;
        let x: ast.Expr = e;
        while (isPrimary(x) && (x === e || parenLayers(x) === 0)) {
            const t = d + 1; // trailer
            if (x.kind === 'Attribute') max = Math.max(max, t);
            else if (x.kind === 'Call') max = Math.max(max, this._arglist(x.args, x.keywords, t));
            else if (x.kind === 'Subscript') max = Math.max(max, this._subscripts(x.slice, t));
            x = x.kind === 'Call' ? x.func : x.value;
        }
        return Math.max(max, this._walk(x, d, this._atom));
    }

    /** arglist under `t` (a trailer, a decorator or a classdef): argument: test [comp_for] | test '=' test | '**' test | '*' test. */
    private _arglist(args: ast.Expr[], keywords: ast.Keyword[], t: number): number {
        if (!args.length && !keywords.length) return t;
        const a = t + 1;
        const arg = a + 1;
        let max = a;
        for (const x of args) {
            if (x.kind === 'Starred' && parenLayers(x) === 0) max = Math.max(max, this._walk(x.value, this._py2 ? a : arg, TEST));
            else if (x.kind === 'GeneratorExp' && parenLayers(x) === 0) max = Math.max(max, this._walk(x.elt, arg, TEST), this._compFor(x.generators, arg));
            else if (x.kind === 'NamedExpr' && parenLayers(x) === 0) max = Math.max(max, this._walk(x.target, arg, TEST), this._walk(x.value, arg, TEST));
            else max = Math.max(max, this._walk(x, arg, TEST));
        }
        for (const k of keywords) {
            // `name=value`: the name is parsed as a whole test (argument: test '=' test).
            if (k.arg !== null) max = Math.max(max, arg + (this._atom - TEST + 1), this._walk(k.value, arg, TEST));
            else max = Math.max(max, this._walk(k.value, this._py2 ? a : arg, TEST));
        }
        return max;
    }

    /** '[' subscriptlist ']' under trailer `t`: subscript: test | [test] ':' [test] [sliceop]. */
    private _subscripts(slice: ast.Expr, t: number): number {
        const list = t + 1;
        const items = slice.kind === 'Tuple' && parenLayers(slice) === 0 ? slice.elts : [slice];
        let max = list;
        for (const x of items) {
            const sub = list + 1;
            if (x.kind === 'Slice') {
                max = Math.max(max, sub);
                if (x.lower) max = Math.max(max, this._walk(x.lower, sub, TEST));
                if (x.upper) max = Math.max(max, this._walk(x.upper, sub, TEST));
                if (x.step) max = Math.max(max, this._walk(x.step, sub + 1, TEST)); // sliceop: ':' [test]
            } else max = Math.max(max, this._walk(x, sub, TEST));
        }
        return max;
    }

    /**
     * comp_for under `p`: 3.8's comp_for: [ASYNC] sync_comp_for; sync_comp_for: 'for' exprlist 'in'
     * or_test [comp_iter]; comp_iter: comp_for | comp_if; comp_if: 'if' test_nocond [comp_iter]
     * (2.7: comp_for: 'for' exprlist 'in' or_test [comp_iter]; comp_if: 'if' old_test [comp_iter]).
     */
    private _compFor(gens: ast.Comprehension[], p: number): number {
        let max = p;
        let parent = p;
        for (const g of gens) {
            const f = parent + (this._py2 ? 1 : 2);
            max = Math.max(max, f, this._exprlist(g.target, f + 1), this._walk(g.iter, f, OR_TEST));
            let cur = f;
            for (const cond of g.ifs) {
                // comp_iter, comp_if, then test_nocond / old_test above or_test.
                max = Math.max(max, this._walk(cond, cur + 3, OR_TEST));
                cur += 2;
            }
            parent = cur + 1; // the next comp_for sits in a comp_iter
        }
        return max;
    }

    /**
     * 2.7's list comprehensions: list_for: 'for' exprlist 'in' testlist_safe [list_iter];
     * list_iter: list_for | list_if; list_if: 'if' old_test [list_iter]; testlist_safe: old_test ...
     */
    private _listFor(gens: ast.Comprehension[], p: number): number {
        let max = p;
        let parent = p;
        for (const g of gens) {
            const f = parent + 1;
            const iter = g.iter.kind === 'Tuple' && parenLayers(g.iter) === 0 ? g.iter.elts : [g.iter];
            max = Math.max(max, f, this._exprlist(g.target, f + 1));
            for (const x of iter) max = Math.max(max, this._walk(x, f + 2, OR_TEST));
            let cur = f;
            for (const cond of g.ifs) {
                max = Math.max(max, this._walk(cond, cur + 3, OR_TEST));
                cur += 2;
            }
            parent = cur + 1;
        }
        return max;
    }

    /** 3.8 parses each field as `(expr)` in eval mode (eval_input: testlist NEWLINE* ENDMARKER), on its own stack. */
    private _fields(e: ast.JoinedStr): void {
        if (this._py2) return;
        for (const part of e.values) {
            if (part.kind !== 'FormattedValue') continue;
            const depth = this._walk(part.value, 2, TEST, parenLayers(part.value) + 1);
            if (depth > this._fieldDepth) this._fieldDepth = depth;
            if (part.formatSpec) this._fields(part.formatSpec);
        }
    }
}

/** A statement's first line: a decorated definition starts at its first decorator. */
function firstLine(s: ast.Stmt): number {
    return (s.kind === 'FunctionDef' || s.kind === 'ClassDef') && s.decorators.length ? s.decorators[0].line : s.line;
}

function isCompound(s: ast.Stmt): boolean {
    switch (s.kind) {
        case 'If': case 'While': case 'For': case 'Try': case 'With': case 'FunctionDef': case 'ClassDef':
            return true;
        default:
            return false;
    }
}

function isYield(e: ast.Expr): e is ast.Yield | ast.YieldFrom {
    return e.kind === 'Yield' || e.kind === 'YieldFrom';
}

function isPrimary(e: ast.Expr): e is ast.Call | ast.Attribute | ast.Subscript {
    return e.kind === 'Call' || e.kind === 'Attribute' || e.kind === 'Subscript';
}

/** Nodes whose innermost parentheses are their own atom: `()`, `(a, b)`, `(x for x in y)`, `(yield)`. */
function ownsParens(e: ast.Expr): boolean {
    return (e.kind === 'Tuple' || e.kind === 'GeneratorExp' || e.kind === 'Yield' || e.kind === 'YieldFrom') && parenLayers(e) > 0;
}
