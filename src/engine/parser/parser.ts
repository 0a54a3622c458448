/*
 * parser.ts
 *
 * A recursive-descent parser for scenarios, in the style of pyright's parser: one `_parseX()` per
 * grammar production (the production is quoted above each method). The grammar is CPython 3.8–3.13's
 * (python.gram) restricted to the nodes of ast.ts; positions follow CPython 3.13's `ast` with
 * 1-based columns.
 *
 * The parser never throws. A syntax error inside a statement aborts that statement (internally, with
 * a ParseAbort exception caught at statement level), is recorded as a diagnostic, and parsing resumes
 * at the next logical line (skipping the indented block of a broken compound-statement header), so
 * that independent errors in one file are all reported. Valid Python that scenarios cannot simulate
 * is parsed normally and reported with category 'unsupported'.
 */

import { legacyStatementMessage } from './legacyStatements';
import type {
    GatedSyntax,
    SyntaxFeature,
    Alias,
    Arg,
    Arguments,
    ClassDef,
    CmpOpName,
    Comprehension,
    Constant,
    ConstantValue,
    ExceptHandler,
    Expr,
    ExprContext,
    FormattedValue,
    FunctionDef,
    If,
    JoinedStr,
    Keyword,
    Module,
    Name,
    OperatorName,
    ParseDiagnostic,
    ParseResult,
    Range,
    Stmt,
    TupleExpr,
    WithItem,
} from './ast';
import { SUPPORTED_MODULES } from '../modules/supported';
import { decodeStringBody, tokenize } from './tokenizer';
import type { Comment, Token } from './tokens';

export interface ParseOutput extends ParseResult {
    comments: Comment[];
}

const UNSUPPORTED = 'not supported in scenarios yet: ';

/** Nesting beyond this is reported instead of risking a JavaScript stack overflow (200 brackets, the tokenizer's MAXLEVEL, stay below it). */
const MAX_DEPTH = 1000;

/**
 * Left-nested chains (`a + b + ...`, `a.b.c...`) cost the parser no stack, but every tree walker
 * recurses once per link; CPython's compiler likewise gives up on very deep trees.
 */
const MAX_CHAIN = 1000;

/** What a scenario nested deeper than MAX_DEPTH or chained longer than MAX_CHAIN is told. */
const NESTING = 'expressions nested or chained more than 1,000 levels deep';
export const NESTING_REFUSED = UNSUPPORTED + NESTING;

const AUG_ASSIGN_OPS: Record<string, OperatorName> = {
    '+=': 'Add', '-=': 'Sub', '*=': 'Mult', '@=': 'MatMult', '/=': 'Div', '%=': 'Mod', '**=': 'Pow',
    '<<=': 'LShift', '>>=': 'RShift', '|=': 'BitOr', '^=': 'BitXor', '&=': 'BitAnd', '//=': 'FloorDiv',
};

const COMPARE_OPS: Record<string, CmpOpName> = {
    '==': 'Eq', '!=': 'NotEq', '<': 'Lt', '<=': 'LtE', '>': 'Gt', '>=': 'GtE',
};

const FUTURE_FEATURES = new Set([
    'nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function',
    'unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations',
]);

/** Thrown to abandon the current statement; `reported` is false for errors the tokenizer already gave. */
class ParseAbort extends Error {}

export interface ParseOptions {
    /**
     * Python 2.7's grammar (Profile.grammar): the print and exec statements, `except E, e`,
     * `raise E, V`, backticks, `<>`, `0777`, `10L`, `ur''`; Python 3's own syntax is parsed but
     * gated (Module.gated), so the 2.7 profile refuses it with 2.7's SyntaxError.
     */
    python2?: boolean;
    /**
     * The 3.x minor version whose SyntaxError wording the diagnostics use where versions differ
     * (3.8/3.9's legacy print/exec messages and `invalid syntax` where 3.10+ says more; 3.11+'s
     * parenthesized parameters). Absent: the newest wording.
     */
    minor?: number;
}

export function parse(source: string, options: ParseOptions = {}): ParseOutput {
    const python2 = options.python2 === true;
    const lexed = tokenize(source, undefined, python2);
    const diagnostics: ParseDiagnostic[] = [...lexed.diagnostics];
    const minor = python2 ? 7 : options.minor ?? Number.MAX_SAFE_INTEGER;
    const parser = new Parser(source, lexed.tokens, diagnostics, new Set(), python2, minor);
    let module: Module;
    try {
        module = parser.parseModule();
    } catch (e) {
        // Defensive: any bug or resource exhaustion becomes a diagnostic, never an exception.
        const at = parser.currentToken();
        if (e instanceof RangeError) diagnostics.push({ severity: 'error', category: 'unsupported', message: NESTING_REFUSED, ...rangeOf(at) });
        else diagnostics.push({ severity: 'error', category: 'syntax', message: `internal parser error: ${String(e)}`, ...rangeOf(at) });
        module = { kind: 'Module', body: [], futures: [], line: 1, col: 1, endLine: 1, endCol: 1 };
    }
    if (!python2 && minor < 10) olderWording(source, diagnostics, minor);
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    return { module, diagnostics, comments: lexed.comments };
}

/**
 * 3.8/3.9's SyntaxError messages where the diagnostics carry 3.10+'s: the tokenizer's
 * verify_end_of_number errors (`10L`: "invalid decimal literal") are 3.10's, before which the
 * parser failed on the next token ("invalid syntax"); and SyntaxError_init's legacy print/exec
 * message replaces whatever a SyntaxError on such a line says (legacyStatements.ts).
 */
function olderWording(source: string, diagnostics: ParseDiagnostic[], minor: number): void {
    void minor;
    const lines = source.split(/\r\n|\r|\n/);
    for (const d of diagnostics) {
        if (d.category !== 'syntax' || /indent/.test(d.message)) continue;
        if (/^invalid (decimal|hexadecimal|octal|binary) literal$/.test(d.message)) d.message = 'invalid syntax';
        const legacy = legacyStatementMessage(lines[d.line - 1] ?? '');
        if (legacy !== null) d.message = legacy;
    }
}

function rangeOf(r: Range): Range {
    return { line: r.line, col: r.col, endLine: r.endLine, endCol: r.endCol };
}

/**
 * Extents of parenthesized expressions, parentheses included. The node keeps its own range (as in
 * CPython), but an enclosing node starts or ends at the parentheses: `(a) + b` starts at `(`.
 */
const parenthesized = new WeakMap<object, Range>();

/**
 * How many pairs of parentheses enclose exactly this expression, its own included (a tuple's, a
 * generator expression's, a parenthesized yield's). The LL(1) parser of 2.7 and 3.8 pushes a
 * chain of nonterminals for every pair (pgenStack.ts), so its stack depends on them.
 */
const parenPairs = new WeakMap<object, number>();

/** The pairs of parentheses around an expression (see parenPairs). */
export function parenLayers(e: Expr): number {
    return parenPairs.get(e) ?? 0;
}

function addParens(e: Expr): Expr {
    parenPairs.set(e, (parenPairs.get(e) ?? 0) + 1);
    return e;
}

function span(start: Range, end: Range): Range {
    const s = parenthesized.get(start) ?? start;
    const e = parenthesized.get(end) ?? end;
    return { line: s.line, col: s.col, endLine: e.endLine, endCol: e.endCol };
}

/** CPython's `_PyPegen_get_expr_name`: how an expression is named in "cannot assign to ..." messages. */
function exprName(e: Expr): string {
    switch (e.kind) {
        case 'Attribute': return 'attribute';
        case 'Subscript': return 'subscript';
        case 'Starred': return 'starred';
        case 'Name': return 'name';
        case 'List': return 'list';
        case 'Tuple': return 'tuple';
        case 'Lambda': return 'lambda';
        case 'Call': return 'function call';
        case 'BoolOp': case 'BinOp': case 'UnaryOp': return 'expression';
        case 'GeneratorExp': return 'generator expression';
        case 'Yield': case 'YieldFrom': return 'yield expression';
        case 'ListComp': return 'list comprehension';
        case 'SetComp': return 'set comprehension';
        case 'DictComp': return 'dict comprehension';
        case 'Dict': return 'dict literal';
        case 'Set': return 'set display';
        case 'JoinedStr': case 'FormattedValue': return 'f-string expression';
        case 'Compare': return 'comparison';
        case 'IfExp': return 'conditional expression';
        case 'NamedExpr': return 'named expression';
        case 'Slice': return 'slice';
        case 'Constant': {
            const v = e.value;
            if (v.type === 'None') return 'None';
            if (v.type === 'bool') return v.value ? 'True' : 'False';
            if (v.type === 'Ellipsis') return 'ellipsis';
            return 'literal';
        }
    }
}

interface FStringPart {
    node: Constant | FormattedValue;
}

class Parser {
    private _i = 0;
    private _depth = 0;
    private _loopDepth = 0;
    private _functionDepth = 0;
    private _futures: string[] = [];
    private _gated: GatedSyntax[] = [];
    private _longDecimalLiterals: { line: number; col: number; digits: number }[] = [];
    /** False once a statement other than a docstring or a future import has been seen. */
    private _futureAllowed = true;
    private _lineStarts: number[] | undefined;

    constructor(
        private readonly _src: string,
        tokens: Token[],
        private readonly _diagnostics: ParseDiagnostic[],
        private readonly _reported: Set<string> = new Set(),
        /** Python 2.7's grammar (ParseOptions.python2). */
        private readonly _py2 = false,
        /** ParseOptions.minor (7 for 2.7). */
        private readonly _minor = Number.MAX_SAFE_INTEGER,
    ) {
        this._tokens = tokens.filter((t) => t.kind !== 'NL');
    }

    private readonly _tokens: Token[];

    currentToken(): Token {
        return this._peek();
    }

    // ------------------------------------------------------------------------------------------
    // Token helpers

    private _peek(offset = 0): Token {
        const i = Math.min(this._i + offset, this._tokens.length - 1);
        return this._tokens[i];
    }

    private _advance(): Token {
        const t = this._tokens[this._i];
        if (this._i < this._tokens.length - 1) {
            this._i++;
        }
        return t;
    }

    private _previous(): Token {
        return this._tokens[Math.max(0, this._i - 1)];
    }

    private _isOp(text: string, offset = 0): boolean {
        const t = this._peek(offset);
        return t.kind === 'Op' && t.text === text;
    }

    private _isKeyword(text: string, offset = 0): boolean {
        const t = this._peek(offset);
        return t.kind === 'Keyword' && t.text === text;
    }

    private _consumeOp(text: string): Token | undefined {
        return this._isOp(text) ? this._advance() : undefined;
    }

    private _consumeKeyword(text: string): Token | undefined {
        return this._isKeyword(text) ? this._advance() : undefined;
    }

    private _expectOp(text: string, message = `expected '${text}'`): Token {
        if (!this._isOp(text)) {
            this._fail(message, this._peek());
        }
        return this._advance();
    }

    private _expectKeyword(text: string): Token {
        if (!this._isKeyword(text)) {
            this._fail(`expected '${text}'`, this._peek());
        }
        return this._advance();
    }

    private _expectName(): Token {
        if (this._peek().kind !== 'Name') {
            this._fail('invalid syntax', this._peek());
        }
        return this._advance();
    }

    // ------------------------------------------------------------------------------------------
    // Diagnostics

    /** Records a syntax error (unless the tokenizer already reported this line's problem) and aborts the statement. */
    private _fail(message: string, at: Range): never {
        if (this._peek().kind !== 'Error') {
            this._addDiagnostic('syntax', message, at);
        }
        throw new ParseAbort(message);
    }

    /** A syntax error that does not stop the statement (the tree stays usable). */
    /** Syntax only newer versions compile (see Module.gated). */
    private _gate(feature: SyntaxFeature, at: Range): void {
        this._gated.push({ feature, line: at.line, col: at.col });
    }

    /**
     * Python 3 syntax met by the 2.7 parse: 2.7's parser fails at token `at`, its caret under the
     * token's last character (`first`: under its first, where 2.7 has no such token and reads
     * the first character of a 3.x operator such as `->` or `:=` as one of its own).
     */
    private _gate27(feature: SyntaxFeature, at: Token, first = false): void {
        if (!this._py2) return;
        if (first) this._gated.push({ feature, line: at.line, col: at.col });
        else this._gated.push({ feature, line: at.endLine, col: at.endCol - 1 });
    }

    /** Is `print` a statement here (2.7 without `from __future__ import print_function`)? */
    private _printIsStatement(): boolean {
        return this._py2 && !this._futures.includes('print_function');
    }

    /** star_expressions where a bare `*x` is no value: the compiler's "can't use starred expression here". */
    private _noBareStar(e: Expr | null): void {
        if (e && e.kind === 'Starred') this._error("can't use starred expression here", e);
    }

    private _error(message: string, at: Range): void {
        this._addDiagnostic('syntax', message, at);
    }

    private _unsupported(what: string, at: Range): void {
        this._addDiagnostic('unsupported', UNSUPPORTED + what, at);
    }

    private _addDiagnostic(category: 'syntax' | 'unsupported', message: string, at: Range): void {
        // One diagnostic per position and category: a later consequence of the same problem adds nothing.
        const key = `${category}:${at.line}:${at.col}`;
        if (this._reported.has(key)) return;
        this._reported.add(key);
        this._diagnostics.push({ severity: 'error', category, message, ...rangeOf(at) });
    }

    /**
     * CPython compiles some programs nested deeper than MAX_DEPTH (3.13 takes 3,000 `not`s; 3.11
     * stops earlier with a RecursionError during compilation): not a SyntaxError of theirs, so the
     * parse stops with a refusal, not one.
     */
    private _refuseNesting(at: Range): never {
        this._unsupported(NESTING, at);
        throw new ParseAbort(NESTING_REFUSED);
    }

    /** Guards recursion: deeply nested input becomes a diagnostic instead of a stack overflow. */
    private _enter(): void {
        if (++this._depth > MAX_DEPTH) this._refuseNesting(this._peek());
    }

    private _leave(): void {
        this._depth--;
    }

    // ------------------------------------------------------------------------------------------
    // Module and blocks

    // file: [statements] ENDMARKER
    parseModule(): Module {
        const body: Stmt[] = [];
        while (this._peek().kind !== 'EndOfFile') {
            if (this._peek().kind === 'Dedent') {
                this._advance(); // cannot normally happen; keeps the loop moving
                continue;
            }
            this._parseStatementSafe(body);
        }
        const end = this._peek();
        const endLine = end.line;
        const endCol = end.col;
        return { kind: 'Module', body, futures: this._futures, gated: this._gated, longDecimalLiterals: this._longDecimalLiterals, line: 1, col: 1, endLine, endCol };
    }

    /** Parses one statement into `out`; on a syntax error, skips to the next logical line. */
    private _parseStatementSafe(out: Stmt[]): void {
        const start = this._i;
        const depth = this._depth;
        const loops = this._loopDepth;
        const functions = this._functionDepth;
        try {
            this._parseStatement(out);
        } catch (e) {
            if (!(e instanceof ParseAbort)) {
                throw e;
            }
            this._depth = depth;
            this._loopDepth = loops;
            this._functionDepth = functions;
            this._skipToNextStatement();
        }
        if (this._i === start && this._peek().kind !== 'EndOfFile' && this._peek().kind !== 'Dedent') {
            this._advance();
        }
    }

    /** Error recovery: skip the rest of the logical line, and the block that a broken header opened. */
    private _skipToNextStatement(): void {
        for (;;) {
            const k = this._peek().kind;
            if (k === 'Newline') {
                this._advance();
                break;
            }
            if (k === 'EndOfFile' || k === 'Dedent' || k === 'Indent') {
                break;
            }
            this._advance();
        }
        if (this._peek().kind === 'Indent') {
            this._skipBlock();
        }
    }

    private _skipBlock(): void {
        let level = 0;
        do {
            const k = this._advance().kind;
            if (k === 'Indent') level++;
            else if (k === 'Dedent') level--;
            else if (k === 'EndOfFile') return;
        } while (level > 0);
    }

    // block: NEWLINE INDENT statements DEDENT | simple_stmts
    private _parseBlock(what: string, header: Token): Stmt[] {
        this._expectOp(':', `expected ':'`);
        const body: Stmt[] = [];
        if (this._peek().kind !== 'Newline') {
            this._parseSimpleStatements(body);
            return body;
        }
        this._advance();
        if (this._peek().kind !== 'Indent') {
            const next = this._peek();
            this._error(`expected an indented block after ${what} on line ${header.line}`, next);
            const pass: Stmt = { kind: 'Pass', ...rangeOf(this._previous()) };
            return [pass];
        }
        this._advance();
        while (this._peek().kind !== 'Dedent' && this._peek().kind !== 'EndOfFile') {
            this._parseStatementSafe(body);
        }
        if (this._peek().kind === 'Dedent') {
            this._advance();
        }
        if (body.length === 0) {
            body.push({ kind: 'Pass', ...rangeOf(header) });
        }
        return body;
    }

    private _lastEnd(stmts: Stmt[], fallback: Range): Range {
        return stmts.length > 0 ? stmts[stmts.length - 1] : fallback;
    }

    // ------------------------------------------------------------------------------------------
    // Statements

    // statement: compound_stmt | simple_stmts
    private _parseStatement(out: Stmt[]): void {
        const t = this._peek();
        if (t.kind === 'Indent') {
            this._parseUnexpectedIndent(out);
            return;
        }
        if (t.kind === 'Error') {
            this._fail('invalid syntax', t);
        }
        if (t.kind === 'Keyword') {
            const stmt = this._parseCompoundStatement(t);
            if (stmt) {
                this._noteNonFutureStatement(stmt);
                out.push(stmt);
                return;
            }
        } else if (t.kind === 'Op' && t.text === '@') {
            const stmt = this._parseDecorated();
            this._noteNonFutureStatement(stmt);
            out.push(stmt);
            return;
        } else if (t.kind === 'Name' && this._trySoftKeywordStatement(t)) {
            return;
        }
        this._parseSimpleStatements(out);
    }

    /** An indented block where none was expected: report it, but still parse what it contains. */
    private _parseUnexpectedIndent(out: Stmt[]): void {
        const indent = this._advance();
        const next = this._peek();
        this._error('unexpected indent', { line: next.line, col: next.col, endLine: next.line, endCol: next.col + 1 });
        void indent;
        while (this._peek().kind !== 'Dedent' && this._peek().kind !== 'EndOfFile') {
            this._parseStatementSafe(out);
        }
        if (this._peek().kind === 'Dedent') {
            this._advance();
        }
    }

    private _parseCompoundStatement(t: Token): Stmt | undefined {
        switch (t.text) {
            case 'if': return this._parseIf();
            case 'while': return this._parseWhile();
            case 'for': return this._parseFor(null);
            case 'try': return this._parseTry();
            case 'with': return this._parseWith(null);
            case 'def': return this._parseFunctionDef([], null);
            case 'class': return this._parseClassDef([]);
            case 'async': return this._parseAsync([]);
        }
        return undefined;
    }

    private _noteNonFutureStatement(stmt: Stmt): void {
        const isDocstring =
            stmt.kind === 'Expr' && stmt.value.kind === 'Constant' && stmt.value.value.type === 'str';
        const isFuture = stmt.kind === 'ImportFrom' && stmt.module === '__future__' && stmt.level === 0;
        if (!isFuture && !(isDocstring && this._futureAllowed)) {
            this._futureAllowed = false;
        }
    }

    /**
     * `match` and `type` are soft keywords: they start a statement only when what follows says so.
     * Both are reported as unsupported and skipped (their bodies are not simulated).
     */
    private _trySoftKeywordStatement(t: Token): boolean {
        if (t.text === 'match' && this._looksLikeMatchStatement()) {
            this._unsupported('match statements', t);
            this._skipToNextStatement();
            return true;
        }
        if (t.text === 'type' && this._peek(1).kind === 'Name' && (this._isOp('=', 2) || this._isOp('[', 2))) {
            this._unsupported('type alias statements', t);
            this._skipToNextStatement();
            return true;
        }
        return false;
    }

    /** `match <subject>:` NEWLINE INDENT `case` — anything else is an ordinary use of the name. */
    private _looksLikeMatchStatement(): boolean {
        const next = this._peek(1);
        if (next.kind === 'Newline' || next.kind === 'EndOfFile') return false;
        if (next.kind === 'Op' && !['(', '[', '{', '-', '*', '~'].includes(next.text)) return false;
        for (let k = 1; ; k++) {
            const tok = this._peek(k);
            if (tok.kind === 'Newline' || tok.kind === 'EndOfFile') {
                const before = this._peek(k - 1);
                const after = this._peek(k + 1);
                const afterNext = this._peek(k + 2);
                return (
                    before.kind === 'Op' && before.text === ':' && after.kind === 'Indent' &&
                    afterNext.kind === 'Name' && afterNext.text === 'case'
                );
            }
            if (this._i + k >= this._tokens.length) return false;
        }
    }

    // simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
    private _parseSimpleStatements(out: Stmt[]): void {
        // Statements join `out` only once the whole line parsed, so a broken line leaves no trace.
        const line: Stmt[] = [];
        for (;;) {
            const stmt = this._parseSimpleStatement();
            this._noteNonFutureStatement(stmt);
            line.push(stmt);
            if (!this._consumeOp(';')) break;
            if (this._peek().kind === 'Newline' || this._peek().kind === 'EndOfFile') break;
        }
        const t = this._peek();
        if (t.kind === 'Newline') {
            this._advance();
        } else if (t.kind !== 'EndOfFile') {
            this._fail(this._invalidSyntaxMessage(t), t);
        }
        out.push(...line);
    }

    /** CPython's most common hints for a token that cannot continue a statement. */
    private _invalidSyntaxMessage(t: Token): string {
        const prev = this._previous();
        // 3.10's invalid_legacy_expression (3.8/3.9 reword it: legacyStatements.ts).
        if (prev.kind === 'Name' && (prev.text === 'print' || prev.text === 'exec') && (t.kind === 'String' || t.kind === 'Name' || t.kind === 'Number')) {
            return `Missing parentheses in call to '${prev.text}'. Did you mean ${prev.text}(...)?`;
        }
        if (t.kind === 'Op' && t.text === ':=') {
            return 'invalid syntax';
        }
        return 'invalid syntax';
    }

    // simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt | 'pass'
    //     | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue' | global_stmt | nonlocal_stmt
    private _parseSimpleStatement(): Stmt {
        const t = this._peek();
        if (this._py2 && t.kind === 'Name') {
            if (t.text === 'print' && this._printIsStatement()) return this._parsePrint();
            if (t.text === 'exec') return this._parseExec();
        }
        if (t.kind === 'Keyword') {
            switch (t.text) {
                case 'pass': this._advance(); return { kind: 'Pass', ...rangeOf(t) };
                case 'break':
                    this._advance();
                    if (this._loopDepth === 0) this._error("'break' outside loop", t);
                    return { kind: 'Break', ...rangeOf(t) };
                case 'continue':
                    this._advance();
                    if (this._loopDepth === 0) this._error("'continue' not properly in loop", t);
                    return { kind: 'Continue', ...rangeOf(t) };
                case 'return': return this._parseReturn();
                case 'raise': return this._parseRaise();
                case 'del': return this._parseDel();
                case 'assert': return this._parseAssert();
                case 'global': case 'nonlocal': return this._parseGlobalOrNonlocal();
                case 'import': return this._parseImport();
                case 'from': return this._parseFromImport();
            }
        }
        return this._parseExpressionStatement();
    }

    // 2.7 print_stmt: 'print' ( [ test (',' test)* [','] ] | '>>' test [ (',' test)+ [','] ] )
    private _parsePrint(): Stmt {
        const t = this._advance();
        let dest: Expr | null = null;
        const values: Expr[] = [];
        let nl = true;
        let end: Range = t;
        if (this._consumeOp('>>')) {
            dest = this._parseExpression();
            end = dest;
            if (!this._consumeOp(',')) return { kind: 'Print', dest, values, nl, ...span(t, end) };
        }
        while (!this._atStatementEnd()) {
            const v = this._parsePrintItem();
            values.push(v);
            end = v;
            nl = true;
            if (!this._consumeOp(',')) break;
            nl = false;
        }
        return { kind: 'Print', dest, values, nl, ...span(t, end) };
    }

    /**
     * A value of the print statement. `print(1, end='')` (Python 3's call without the future
     * import) is a parenthesized tuple to 2.7, whose parser stops at the `=` (or a `*`): gated,
     * and skipped here (nothing of the module runs).
     */
    private _parsePrintItem(): Expr {
        const open = this._peek();
        if (open.kind === 'Op' && open.text === '(') {
            let depth = 0;
            for (let k = 0; ; k++) {
                const tok = this._peek(k);
                if (tok.kind === 'EndOfFile' || tok.kind === 'Newline') break;
                if (tok.kind !== 'Op') continue;
                if (tok.text === '(' || tok.text === '[' || tok.text === '{') depth++;
                else if (tok.text === ')' || tok.text === ']' || tok.text === '}') {
                    if (--depth === 0) break;
                } else if (depth === 1) {
                    const prev = this._peek(k - 1);
                    const call = tok.text === '=' || ((tok.text === '*' || tok.text === '**') && prev.kind === 'Op' && (prev.text === '(' || prev.text === ','));
                    if (call) {
                        this._gate27('printFunction', tok);
                        for (let d = 0; ; ) {
                            const s = this._advance();
                            if (s.kind === 'EndOfFile' || s.kind === 'Newline') this._fail('invalid syntax', s);
                            if (s.kind === 'Op' && (s.text === '(' || s.text === '[' || s.text === '{')) d++;
                            if (s.kind === 'Op' && (s.text === ')' || s.text === ']' || s.text === '}') && --d === 0) break;
                        }
                        return { kind: 'Constant', value: { type: 'None' }, ...span(open, this._previous()) };
                    }
                }
            }
        }
        return this._parseExpression();
    }

    /** 2.7's exec statement: refused (the engine does not compile strings). */
    private _parseExec(): Stmt {
        const t = this._advance();
        this._unsupported('the exec statement', t);
        while (!this._atStatementEnd()) this._advance();
        return { kind: 'Pass', ...rangeOf(t) };
    }

    // return_stmt: 'return' [star_expressions]
    private _parseReturn(): Stmt {
        const t = this._advance();
        if (this._functionDepth === 0) this._error("'return' outside function", t);
        const value = this._atStatementEnd() ? null : this._parseStarExpressions();
        this._noBareStar(value);
        return { kind: 'Return', value, ...span(t, value ?? t) };
    }

    private _atStatementEnd(): boolean {
        const t = this._peek();
        return t.kind === 'Newline' || t.kind === 'EndOfFile' || (t.kind === 'Op' && t.text === ';');
    }

    // raise_stmt: 'raise' expression ['from' expression] | 'raise'
    private _parseRaise(): Stmt {
        const t = this._advance();
        if (this._atStatementEnd()) return { kind: 'Raise', exc: null, cause: null, ...rangeOf(t) };
        const exc = this._parseExpression();
        if (this._py2 && this._consumeOp(',')) {
            // 2.7: `raise E, V` and `raise E, V, tb`.
            const value = this._parseExpression();
            if (this._isOp(',')) {
                this._unsupported('raise with a traceback (raise E, V, tb)', this._advance());
                this._parseExpression();
            }
            return { kind: 'Raise', exc, cause: null, value, ...span(t, value) };
        }
        const from = this._peek();
        const cause = this._consumeKeyword('from') ? this._parseExpression() : null;
        if (cause) this._gate27('raiseFrom', from);
        return { kind: 'Raise', exc, cause, ...span(t, cause ?? exc) };
    }

    // del_stmt: 'del' del_targets
    private _parseDel(): Stmt {
        const t = this._advance();
        const targets: Expr[] = [];
        do {
            if (this._atStatementEnd()) break;
            const e = this._parseBitwiseOrStar();
            this._setContext(e, 'Del');
            targets.push(e);
        } while (this._consumeOp(','));
        if (targets.length === 0) this._fail('invalid syntax', this._peek());
        return { kind: 'Delete', targets, ...span(t, this._previous()) };
    }

    // assert_stmt: 'assert' expression [',' expression]
    private _parseAssert(): Stmt {
        const t = this._advance();
        const test = this._parseExpression();
        const msg = this._consumeOp(',') ? this._parseExpression() : null;
        return { kind: 'Assert', test, msg, ...span(t, msg ?? test) };
    }

    // global_stmt: 'global' ','.NAME+   nonlocal_stmt: 'nonlocal' ','.NAME+
    private _parseGlobalOrNonlocal(): Stmt {
        const t = this._advance();
        const names: string[] = [];
        do {
            const name = this._expectName();
            // 2.7: `nonlocal` is a name, and a second name cannot follow it.
            if (t.text === 'nonlocal' && names.length === 0) this._gate27('nonlocal', name);
            names.push(name.text);
        } while (this._consumeOp(','));
        const range = span(t, this._previous());
        return t.text === 'global' ? { kind: 'Global', names, ...range } : { kind: 'Nonlocal', names, ...range };
    }

    // import_name: 'import' dotted_as_names
    private _parseImport(): Stmt {
        const t = this._advance();
        const names: Alias[] = [];
        do {
            const first = this._peek();
            const name = this._parseDottedName();
            let asname: string | null = null;
            if (this._consumeKeyword('as')) asname = this._expectName().text;
            names.push({ kind: 'alias', name, asname, ...span(first, this._previous()) });
            this._checkModuleSupported(name, t);
        } while (this._consumeOp(','));
        return { kind: 'Import', names, ...span(t, this._previous()) };
    }

    // dotted_name: dotted_name '.' NAME | NAME
    private _parseDottedName(): string {
        let name = this._expectName().text;
        while (this._consumeOp('.')) name += '.' + this._expectName().text;
        return name;
    }

    private _checkModuleSupported(dotted: string, at: Range): void {
        const top = dotted.split('.')[0];
        if (!SUPPORTED_MODULES.has(top)) this._unsupported(`import ${top}`, at);
    }

    // import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
    //            | 'from' ('.' | '...')+ 'import' import_from_targets
    private _parseFromImport(): Stmt {
        const t = this._advance();
        let level = 0;
        for (;;) {
            if (this._consumeOp('.')) level++;
            else if (this._consumeOp('...')) level += 3;
            else break;
        }
        const module = level > 0 && this._isKeyword('import') ? '' : this._parseDottedName();
        this._expectKeyword('import');
        const names = this._parseImportFromTargets();
        const node: Stmt = { kind: 'ImportFrom', module, names, level, ...span(t, this._previous()) };
        if (level > 0) this._unsupported('relative imports', t);
        else this._checkModuleSupported(module, t);
        if (module === '__future__' && level === 0) this._recordFutures(names, t);
        for (const a of names) if (a.name === '*') this._unsupported('star imports', a);
        return node;
    }

    // import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names !',' | '*'
    private _parseImportFromTargets(): Alias[] {
        const star = this._consumeOp('*');
        if (star) return [{ kind: 'alias', name: '*', asname: null, ...rangeOf(star) }];
        const paren = this._consumeOp('(');
        const names: Alias[] = [];
        for (;;) {
            const first = this._expectName();
            let asname: string | null = null;
            if (this._consumeKeyword('as')) asname = this._expectName().text;
            names.push({ kind: 'alias', name: first.text, asname, ...span(first, this._previous()) });
            if (!this._consumeOp(',')) break;
            if (paren && this._isOp(')')) break;
            if (!paren && this._atStatementEnd()) {
                this._fail('trailing comma not allowed without surrounding parentheses', this._previous());
            }
        }
        if (paren) this._expectOp(')', "expected ')'");
        return names;
    }

    private _recordFutures(names: Alias[], at: Token): void {
        if (!this._futureAllowed) {
            this._error('from __future__ imports must occur at the beginning of the file', at);
        }
        for (const a of names) {
            if (a.name === 'braces') this._error('not a chance', a);
            else if (!FUTURE_FEATURES.has(a.name)) this._error(`future feature ${a.name} is not defined`, a);
            else if (!this._futures.includes(a.name)) this._futures.push(a.name);
            // 2.7's str/unicode split is not modelled: every literal would be a unicode object.
            if (this._py2 && a.name === 'unicode_literals') this._unsupported("unicode literals (from __future__ import unicode_literals) on Python 2.7", a);
        }
    }

    // assignment / augassign / annotated assignment / star_expressions
    private _parseExpressionStatement(): Stmt {
        const first = this._peek();
        const lhs = this._parseYieldOrStarExpressions();
        if (this._isOp(':') ) {
            this._gate27('annotations', this._peek());
            return this._parseAnnAssign(lhs);
        }
        const aug = this._peek();
        if (aug.kind === 'Op' && AUG_ASSIGN_OPS[aug.text] !== undefined) {
            this._advance();
            this._checkAugTarget(lhs);
            const value = this._parseYieldOrStarExpressions();
            return { kind: 'AugAssign', target: lhs, op: AUG_ASSIGN_OPS[aug.text], value, ...span(lhs, value) };
        }
        if (this._isOp('=')) {
            const targets: Expr[] = [lhs];
            let value = lhs;
            while (this._consumeOp('=')) {
                value = this._parseYieldOrStarExpressions();
                targets.push(value);
            }
            targets.pop();
            this._noBareStar(value);
            for (const target of targets) this._setContext(target, 'Store', true, true);
            return { kind: 'Assign', targets, value, ...span(first, value) };
        }
        if (lhs.kind === 'Starred') this._fail("can't use starred expression here", lhs);
        return { kind: 'Expr', value: lhs, ...span(lhs, lhs) };
    }

    // annotated_rhs after: (NAME | '(' single_target ')' | single_subscript_attribute_target) ':' expression ['=' annotated_rhs]
    private _parseAnnAssign(target: Expr): Stmt {
        if (target.kind === 'Tuple') this._fail('only single target (not tuple) can be annotated', target);
        if (target.kind === 'List') this._fail('only single target (not list) can be annotated', target);
        if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
            this._fail(`illegal target for annotation`, target);
        }
        this._advance();
        const annotation = this._parseExpression();
        const value = this._consumeOp('=') ? this._parseYieldOrStarExpressions() : null;
        this._setContext(target, 'Store');
        return { kind: 'AnnAssign', target, annotation, value, ...span(target, value ?? annotation) };
    }

    private _checkAugTarget(e: Expr): void {
        if (e.kind === 'Name' || e.kind === 'Attribute' || e.kind === 'Subscript') {
            this._setContext(e, 'Store');
            return;
        }
        this._fail(`'${exprName(e)}' is an illegal expression for augmented assignment`, e);
    }

    /**
     * Turns a parsed expression into an assignment (or del) target, as CPython's
     * `_PyPegen_set_expr_context`, reporting what cannot be a target.
     */
    private _setContext(e: Expr, ctx: ExprContext, topLevel = false, assign = false): void {
        switch (e.kind) {
            case 'Name':
                if (ctx !== 'Load' && e.id === '__debug__') this._fail(`cannot ${ctx === 'Del' ? 'delete' : 'assign to'} __debug__`, e);
                e.ctx = ctx;
                return;
            case 'Attribute':
            case 'Subscript':
                e.ctx = ctx;
                return;
            case 'Starred':
                if (ctx === 'Del') this._fail('cannot delete starred', e);
                if (topLevel) this._fail('starred assignment target must be in a list or tuple', e);
                e.ctx = ctx;
                this._setContext(e.value, ctx);
                return;
            case 'Tuple':
            case 'List': {
                e.ctx = ctx;
                let starred = 0;
                for (const elt of e.elts) {
                    if (elt.kind === 'Starred' && ++starred > 1) this._fail('multiple starred expressions in assignment', elt);
                    this._setContext(elt, ctx);
                }
                return;
            }
        }
        const verb = ctx === 'Del' ? 'delete' : 'assign to';
        // CPython adds this hint for the targets of a plain `=` only.
        const suggestion = assign && (e.kind === 'Constant' || e.kind === 'Call' || e.kind === 'Compare')
            ? " here. Maybe you meant '==' instead of '='?"
            : '';
        this._fail(`cannot ${verb} ${exprName(e)}${suggestion}`, e);
    }

    // ------------------------------------------------------------------------------------------
    // Compound statements

    // if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
    // elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block])
    // Built iteratively so that long elif chains cannot exhaust the stack.
    private _parseIf(): Stmt {
        const chain: If[] = [];
        let keyword = this._advance();
        for (;;) {
            const test = this._parseNamedExpression();
            const body = this._parseBlock(`'${keyword.text}' statement`, keyword);
            const node: If = { kind: 'If', test, body, orelse: [], ...span(keyword, this._lastEnd(body, keyword)) };
            if (chain.length > 0) chain[chain.length - 1].orelse = [node];
            chain.push(node);
            if (this._isKeyword('elif')) {
                keyword = this._advance();
                continue;
            }
            const elseTok = this._consumeKeyword('else');
            if (elseTok) node.orelse = this._parseBlock("'else' statement", elseTok);
            break;
        }
        // Each If ends where its last branch ends.
        for (let k = chain.length - 1; k >= 0; k--) {
            const node = chain[k];
            const last = this._lastEnd(node.orelse.length > 0 ? node.orelse : node.body, node);
            node.endLine = last.endLine;
            node.endCol = last.endCol;
        }
        return chain[0];
    }

    // while_stmt: 'while' named_expression ':' block [else_block]
    private _parseWhile(): Stmt {
        const t = this._advance();
        const test = this._parseNamedExpression();
        this._loopDepth++;
        const body = this._parseBlock("'while' statement", t);
        this._loopDepth--;
        const elseTok = this._consumeKeyword('else');
        const orelse = elseTok ? this._parseBlock("'else' statement", elseTok) : [];
        return { kind: 'While', test, body, orelse, ...span(t, this._lastEnd(orelse.length ? orelse : body, t)) };
    }

    // for_stmt: 'for' star_targets 'in' ~ star_expressions ':' block [else_block]
    private _parseFor(asyncTok: Token | null): Stmt {
        const t = this._advance();
        const target = this._parseTargetList();
        this._setContext(target, 'Store');
        this._expectKeyword('in');
        const iter = this._parseStarExpressions();
        this._noBareStar(iter);
        this._loopDepth++;
        const body = this._parseBlock("'for' statement", t);
        this._loopDepth--;
        const elseTok = this._consumeKeyword('else');
        const orelse = elseTok ? this._parseBlock("'else' statement", elseTok) : [];
        if (iter.kind === 'Set') iter.isIter = true;
        return { kind: 'For', target, iter, body, orelse, ...span(asyncTok ?? t, this._lastEnd(orelse.length ? orelse : body, t)) };
    }

    // star_targets (without 'in'): star_target (',' star_target)* [',']
    private _parseTargetList(): Expr {
        const first = this._parseBitwiseOrStar();
        if (!this._isOp(',')) return first;
        const elts = [first];
        while (this._consumeOp(',')) {
            if (this._isKeyword('in') || this._isOp('=')) break;
            elts.push(this._parseBitwiseOrStar());
        }
        return { kind: 'Tuple', elts, ctx: 'Store', ...span(first, this._previous()) };
    }

    /** star_target: '*' bitwise_or | bitwise_or */
    private _parseBitwiseOrStar(): Expr {
        const star = this._consumeOp('*');
        if (star) this._gate27('starred', star);
        const value = this._parseBitwiseOr();
        return star ? { kind: 'Starred', value, ctx: 'Load', ...span(star, value) } : value;
    }

    // try_stmt: 'try' ':' block finally_block | 'try' ':' block except_block+ [else_block] [finally_block]
    private _parseTry(): Stmt {
        const t = this._advance();
        const body = this._parseBlock("'try' statement", t);
        const handlers: ExceptHandler[] = [];
        while (this._isKeyword('except')) handlers.push(this._parseExceptHandler());
        let orelse: Stmt[] = [];
        const elseTok = handlers.length > 0 ? this._consumeKeyword('else') : undefined;
        if (elseTok) orelse = this._parseBlock("'else' statement", elseTok);
        let finalbody: Stmt[] = [];
        const finallyTok = this._consumeKeyword('finally');
        if (finallyTok) finalbody = this._parseBlock("'finally' statement", finallyTok);
        if (handlers.length === 0 && !finallyTok) this._fail("expected 'except' or 'finally' block", this._peek());
        const lastBlock = finalbody.length ? finalbody : orelse.length ? orelse : [];
        const end: Range = lastBlock.length ? this._lastEnd(lastBlock, t) : handlers.length ? handlers[handlers.length - 1] : this._lastEnd(body, t);
        return { kind: 'Try', body, handlers, orelse, finalbody, ...span(t, end) };
    }

    // except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
    private _parseExceptHandler(): ExceptHandler {
        const t = this._advance();
        const star = this._consumeOp('*');
        if (star && this._py2) this._gate27('exceptStar', star);
        else if (star) this._unsupported('except*', t);
        let type: Expr | null = null;
        let name: string | null = null;
        if (!this._isOp(':')) {
            type = this._parseExpression();
            if (this._py2 && this._consumeOp(',')) {
                // 2.7: `except E, e:` binds like `except E as e:`.
                const target = this._peek();
                if (target.kind !== 'Name') this._unsupported('an except target other than a name', target);
                name = this._expectName().text;
            } else if (this._isOp(',')) {
                const rest = this._parseTupleRest(type);
                // 3.10's invalid_except_stmt; before, the parser stopped at the comma.
                this._fail(this._minor >= 10 ? 'multiple exception types must be parenthesized' : 'invalid syntax', rest);
            }
            if (this._consumeKeyword('as')) name = this._expectName().text;
        }
        const body = this._parseBlock("'except' statement", t);
        return { kind: 'ExceptHandler', type, name, body, ...span(t, this._lastEnd(body, t)) };
    }

    /** Parses `, b, c` after `a` (used only to give an error its full range). */
    private _parseTupleRest(first: Expr): Range {
        let last: Range = first;
        while (this._consumeOp(',')) {
            if (this._isOp(':') || this._isKeyword('as')) break;
            last = this._parseExpression();
        }
        return span(first, last);
    }

    // with_stmt: 'with' '(' ','.with_item+ ','? ')' ':' block | 'with' ','.with_item+ ':' block
    private _parseWith(asyncTok: Token | null): Stmt {
        const t = this._advance();
        let items: WithItem[] | undefined;
        if (this._isOp('(')) items = this._tryParenthesizedWithItems();
        if (!items) {
            items = [];
            do {
                items.push(this._parseWithItem());
            } while (this._consumeOp(','));
        }
        const body = this._parseBlock("'with' statement", t);
        return { kind: 'With', items, body, ...span(asyncTok ?? t, this._lastEnd(body, t)) };
    }

    /** `with (a as b, c):` (3.9+); backtracks when the parentheses turn out to belong to an expression. */
    private _tryParenthesizedWithItems(): WithItem[] | undefined {
        const save = this._i;
        const saveDiagnostics = this._diagnostics.length;
        try {
            this._advance();
            const items: WithItem[] = [];
            do {
                if (this._isOp(')')) break;
                items.push(this._parseWithItem());
            } while (this._consumeOp(','));
            this._expectOp(')');
            if (!this._isOp(':') || items.length === 0) throw new ParseAbort('not a with-item list');
            // 3.8 (and 2.7) read the parentheses as an expression and stop at the first `as`.
            for (let k = save; k < this._i; k++) {
                const tok = this._tokens[k];
                if (tok.kind === 'Keyword' && tok.text === 'as') {
                    if (this._py2) this._gate27('parenthesizedWith', tok);
                    else this._gate('parenthesizedWith', tok);
                    break;
                }
            }
            return items;
        } catch (e) {
            if (!(e instanceof ParseAbort)) throw e;
            this._i = save;
            this._diagnostics.length = saveDiagnostics;
            return undefined;
        }
    }

    // with_item: expression 'as' star_target &(',' | ')' | ':') | expression
    private _parseWithItem(): WithItem {
        const contextExpr = this._parseExpression();
        let optionalVars: Expr | null = null;
        if (this._consumeKeyword('as')) {
            optionalVars = this._parseBitwiseOrStar();
            this._setContext(optionalVars, 'Store', true);
        }
        return { kind: 'withitem', contextExpr, optionalVars, ...span(contextExpr, optionalVars ?? contextExpr) };
    }

    // 'async' (function_def | for_stmt | with_stmt): parsed as the synchronous form, reported unsupported.
    private _parseAsync(decorators: Expr[]): Stmt {
        const t = this._advance();
        if (this._py2) {
            // 2.7: `async` is a name, followed by a keyword its grammar cannot take.
            this._gate27('async', this._peek());
            if (this._isKeyword('def')) return this._parseFunctionDef(decorators, t);
            if (this._isKeyword('for')) return this._parseFor(t);
            if (this._isKeyword('with')) return this._parseWith(t);
        }
        if (this._isKeyword('def')) {
            this._unsupported('async def', t);
            return this._parseFunctionDef(decorators, t);
        }
        if (this._isKeyword('for')) {
            this._unsupported('async for', t);
            return this._parseFor(t);
        }
        if (this._isKeyword('with')) {
            this._unsupported('async with', t);
            return this._parseWith(t);
        }
        this._fail('invalid syntax', this._peek());
    }

    // decorators: ('@' named_expression NEWLINE)+ (class_def | function_def)
    private _parseDecorated(): Stmt {
        const decorators: Expr[] = [];
        while (this._consumeOp('@')) {
            decorators.push(this._parseNamedExpression());
            if (this._peek().kind !== 'Newline') this._fail('invalid syntax', this._peek());
            this._advance();
        }
        if (this._isKeyword('def')) return this._parseFunctionDef(decorators, null);
        if (this._isKeyword('class')) return this._parseClassDef(decorators);
        if (this._isKeyword('async')) return this._parseAsync(decorators);
        this._fail('invalid syntax', this._peek());
    }

    // function_def: 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':' [func_type_comment] block
    private _parseFunctionDef(decorators: Expr[], asyncTok: Token | null): FunctionDef {
        const t = this._advance();
        const name = this._expectName();
        this._skipTypeParams();
        const open = this._expectOp('(', "expected '('");
        const args = this._parseParameters(')', open, true);
        this._expectOp(')', "expected ')'");
        const arrow = this._peek();
        if (this._consumeOp('->')) {
            this._gate27('annotations', arrow, true);
            this._parseExpression();
        }
        const loops = this._loopDepth;
        this._loopDepth = 0;
        this._functionDepth++;
        let body: Stmt[];
        try {
            body = this._parseBlock(`function definition`, t);
        } finally {
            this._functionDepth--;
            this._loopDepth = loops;
        }
        const start = asyncTok ?? t;
        return {
            kind: 'FunctionDef',
            name: name.text,
            args,
            body,
            decorators,
            defLine: t.line,
            ...span(start, this._lastEnd(body, t)),
        };
    }

    /** `def f[T]()` / `class C[T]:` (3.12 type parameters): reported and skipped. */
    private _skipTypeParams(): void {
        const open = this._peek();
        if (!this._isOp('[')) return;
        this._unsupported('type parameter lists', open);
        let level = 0;
        do {
            const tok = this._advance();
            if (tok.kind === 'Op' && tok.text === '[') level++;
            else if (tok.kind === 'Op' && tok.text === ']') level--;
            else if (tok.kind === 'Newline' || tok.kind === 'EndOfFile') this._fail("'[' was never closed", open);
        } while (level > 0);
    }

    // params: parameters (the argument list of def and lambda; lambda has no annotations)
    // parameters: slash_no_default param_no_default* param_with_default* [star_etc] | ...
    private _parseParameters(closer: string, open: Range, allowAnnotations: boolean): Arguments {
        const posonlyargs: Arg[] = [];
        const args: Arg[] = [];
        const defaults: Expr[] = [];
        const kwonlyargs: Arg[] = [];
        const kwDefaults: (Expr | null)[] = [];
        let vararg: Arg | null = null;
        let kwarg: Arg | null = null;
        let sawStar = false;
        let sawSlash = false;
        let bareStar: Token | null = null;
        const seen = new Set<string>();
        const first = this._peek();
        while (!this._isOp(closer)) {
            const t = this._peek();
            if (kwarg) this._fail('arguments cannot follow var-keyword argument', t);
            if (this._py2 && t.kind === 'Op' && t.text === '(') {
                this._unsupported('tuple parameters (Python 2)', t);
                this._skipTupleParameter();
            } else if (t.kind === 'Op' && t.text === '(' && this._minor >= 11) {
                // 3.11's invalid_parameters / invalid_lambda_parameters (before: invalid syntax).
                this._fail(closer === ':' ? 'Lambda expression parameters cannot be parenthesized' : 'Function parameters cannot be parenthesized', t);
            } else if (this._consumeOp('/')) {
                this._gate27('posOnlyParams', t);
                if (sawSlash) this._fail('/ may appear only once', t);
                if (sawStar) this._fail('/ must be ahead of *', t);
                if (args.length === 0) this._fail('at least one argument must precede /', t);
                sawSlash = true;
                posonlyargs.push(...args.splice(0));
            } else if (this._consumeOp('*')) {
                if (sawStar) this._fail('* argument may appear only once', t);
                sawStar = true;
                if (this._isOp(',') || this._isOp(closer)) {
                    bareStar = t;
                    this._gate27('kwOnlyParams', this._peek());
                } else {
                    vararg = this._parseParam(allowAnnotations, seen);
                }
            } else if (this._consumeOp('**')) {
                kwarg = this._parseParam(allowAnnotations, seen);
            } else {
                if (vararg) this._gate27('kwOnlyParams', this._peek());
                const arg = this._parseParam(allowAnnotations, seen);
                const def = this._consumeOp('=') ? this._parseExpression() : null;
                if (sawStar) {
                    kwonlyargs.push(arg);
                    kwDefaults.push(def);
                } else if (def) {
                    defaults.push(def);
                    args.push(arg);
                } else {
                    if (defaults.length > 0) this._fail('non-default argument follows default argument', arg);
                    args.push(arg);
                }
            }
            if (!this._consumeOp(',')) break;
        }
        if (bareStar && kwonlyargs.length === 0) this._fail('named arguments must follow bare *', bareStar);
        const last = this._previous();
        const range = this._isOp(closer) && first === this._peek()
            ? { line: open.endLine, col: open.endCol, endLine: open.endLine, endCol: open.endCol }
            : span(first, last);
        return { kind: 'arguments', posonlyargs, args, vararg, kwonlyargs, kwDefaults, kwarg, defaults, ...range };
    }

    // param: NAME [':' expression]
    private _parseParam(allowAnnotations: boolean, seen: Set<string>): Arg {
        const name = this._expectName();
        if (seen.has(name.text)) this._error(`duplicate argument '${name.text}' in function definition`, name);
        seen.add(name.text);
        let end: Range = name;
        if (allowAnnotations && this._isOp(':')) {
            this._gate27('annotations', this._advance());
            end = this._parseExpression();
        }
        return { kind: 'arg', name: name.text, ...span(name, end) };
    }

    /** Skips 2.7's `(a, b)` parameter (refused) to its closing parenthesis. */
    private _skipTupleParameter(): void {
        let depth = 0;
        for (;;) {
            const tok = this._advance();
            if (tok.kind === 'EndOfFile' || tok.kind === 'Newline') this._fail('invalid syntax', tok);
            if (tok.kind === 'Op' && tok.text === '(') depth++;
            if (tok.kind === 'Op' && tok.text === ')' && --depth === 0) return;
        }
    }

    // class_def: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block
    private _parseClassDef(decorators: Expr[]): ClassDef {
        const t = this._advance();
        const name = this._expectName();
        this._skipTypeParams();
        let bases: Expr[] = [];
        let keywords: Keyword[] = [];
        const open = this._consumeOp('(');
        if (open) {
            const first = this._i;
            ({ args: bases, keywords } = this._parseCallArguments());
            if (this._py2 && keywords.length) {
                // 2.7's classdef takes a testlist: it stops at the first `=` (or `**`).
                for (let k = first; k < this._i; k++) {
                    const tok = this._tokens[k];
                    if (tok.kind === 'Op' && (tok.text === '=' || tok.text === '**')) {
                        this._gate27('classKeywords', tok);
                        break;
                    }
                }
            }
            this._expectOp(')', "expected ')'");
        }
        const loops = this._loopDepth;
        const functions = this._functionDepth;
        this._loopDepth = 0;
        this._functionDepth = 0;
        let body: Stmt[];
        try {
            body = this._parseBlock('class definition', t);
        } finally {
            this._loopDepth = loops;
            this._functionDepth = functions;
        }
        return { kind: 'ClassDef', name: name.text, bases, keywords, body, decorators, ...span(t, this._lastEnd(body, t)) };
    }

    // ------------------------------------------------------------------------------------------
    // Expressions

    // yield_expr | star_expressions
    private _parseYieldOrStarExpressions(): Expr {
        if (this._isKeyword('yield')) return this._parseYield();
        return this._parseStarExpressions();
    }

    // yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
    private _parseYield(): Expr {
        const t = this._advance();
        if (this._consumeKeyword('from')) {
            const value = this._parseExpression();
            return { kind: 'YieldFrom', value, ...span(t, value) };
        }
        const end = this._peek();
        if (this._atStatementEnd() || (end.kind === 'Op' && (end.text === ')' || end.text === '=' || end.text === '}' || end.text === ']'))) {
            return { kind: 'Yield', value: null, ...rangeOf(t) };
        }
        const value = this._parseStarExpressions();
        this._noBareStar(value);
        return { kind: 'Yield', value, ...span(t, value) };
    }

    // star_expressions: star_expression (',' star_expression)* [',']
    private _parseStarExpressions(): Expr {
        const first = this._parseStarExpression();
        if (!this._isOp(',')) return first;
        const elts = [first];
        while (this._consumeOp(',')) {
            if (!this._startsExpression()) break;
            elts.push(this._parseStarExpression());
        }
        const tuple: TupleExpr = { kind: 'Tuple', elts, ctx: 'Load', ...span(first, this._previous()) };
        return tuple;
    }

    /** Can the current token begin an expression? (decides whether a trailing comma ends a tuple) */
    private _startsExpression(): boolean {
        const t = this._peek();
        switch (t.kind) {
            case 'Name': case 'Number': case 'String': return true;
            case 'Keyword': return ['None', 'True', 'False', 'not', 'lambda', 'await', 'yield'].includes(t.text);
            case 'Op': return ['(', '[', '{', '-', '+', '~', '*', '...', '**'].includes(t.text) && t.text !== '**';
            default: return false;
        }
    }

    // star_expression: '*' bitwise_or | expression
    private _parseStarExpression(): Expr {
        const star = this._consumeOp('*');
        if (star) {
            this._gate27('starred', star);
            const value = this._parseBitwiseOr();
            return { kind: 'Starred', value, ctx: 'Load', ...span(star, value) };
        }
        return this._parseExpression();
    }

    // star_named_expression: '*' bitwise_or | named_expression
    private _parseStarNamedExpression(): Expr {
        const star = this._consumeOp('*');
        if (star) {
            this._gate27('starred', star);
            const value = this._parseBitwiseOr();
            return { kind: 'Starred', value, ctx: 'Load', ...span(star, value) };
        }
        return this._parseNamedExpression();
    }

    // named_expression: NAME ':=' expression | expression !':='
    private _parseNamedExpression(): Expr {
        const target = this._parseExpression();
        const walrus = this._peek();
        if (!this._consumeOp(':=')) return target;
        this._gate27('walrus', walrus, true);
        if (target.kind !== 'Name') this._fail(`cannot use assignment expressions with ${exprName(target)}`, target);
        const value = this._parseExpression();
        target.ctx = 'Store';
        void walrus;
        return { kind: 'NamedExpr', target, value, ...span(target, value) };
    }

    // expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
    private _parseExpression(): Expr {
        this._enter();
        try {
            if (this._isKeyword('lambda')) return this._parseLambda();
            const body = this._parseDisjunction();
            if (!this._consumeKeyword('if')) return body;
            const test = this._parseDisjunction();
            if (!this._consumeKeyword('else')) this._fail("expected 'else' after 'if' expression", this._peek());
            const orelse = this._parseExpression();
            return { kind: 'IfExp', test, body, orelse, ...span(body, orelse) };
        } finally {
            this._leave();
        }
    }

    // lambdef: 'lambda' [lambda_params] ':' expression
    private _parseLambda(): Expr {
        const t = this._advance();
        const args = this._parseParameters(':', t, false);
        this._expectOp(':', "expected ':'");
        const body = this._parseExpression();
        return { kind: 'Lambda', args, body, ...span(t, body) };
    }

    // disjunction: conjunction ('or' conjunction)+ | conjunction
    private _parseDisjunction(): Expr {
        const first = this._parseConjunction();
        if (!this._isKeyword('or')) return first;
        const values = [first];
        while (this._consumeKeyword('or')) values.push(this._parseConjunction());
        return { kind: 'BoolOp', op: 'Or', values, ...span(first, values[values.length - 1]) };
    }

    // conjunction: inversion ('and' inversion)+ | inversion
    private _parseConjunction(): Expr {
        const first = this._parseInversion();
        if (!this._isKeyword('and')) return first;
        const values = [first];
        while (this._consumeKeyword('and')) values.push(this._parseInversion());
        return { kind: 'BoolOp', op: 'And', values, ...span(first, values[values.length - 1]) };
    }

    // inversion: 'not' inversion | comparison
    private _parseInversion(): Expr {
        const t = this._consumeKeyword('not');
        if (!t) return this._parseComparison();
        this._enter();
        try {
            const operand = this._parseInversion();
            return { kind: 'UnaryOp', op: 'Not', operand, ...span(t, operand) };
        } finally {
            this._leave();
        }
    }

    // comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or
    private _parseComparison(): Expr {
        const left = this._parseBitwiseOr();
        const ops: CmpOpName[] = [];
        const comparators: Expr[] = [];
        for (;;) {
            const op = this._parseCompareOp();
            if (!op) break;
            ops.push(op);
            comparators.push(this._parseBitwiseOr());
        }
        if (ops.length === 0) return left;
        return { kind: 'Compare', left, ops, comparators, ...span(left, comparators[comparators.length - 1]) };
    }

    private _parseCompareOp(): CmpOpName | undefined {
        const t = this._peek();
        if (t.kind === 'Op') {
            // `<>` is 2.7's `!=` (only its tokenizer makes the token).
            const op = t.text === '<>' ? 'NotEq' : COMPARE_OPS[t.text];
            if (op) this._advance();
            return op;
        }
        if (t.kind !== 'Keyword') return undefined;
        if (t.text === 'in') {
            this._advance();
            return 'In';
        }
        if (t.text === 'not' && this._isKeyword('in', 1)) {
            this._advance();
            this._advance();
            return 'NotIn';
        }
        if (t.text === 'is') {
            this._advance();
            return this._consumeKeyword('not') ? 'IsNot' : 'Is';
        }
        return undefined;
    }

    /** Left-associative binary levels, from loosest to tightest. */
    private _parseBinary(level: number): Expr {
        if (level === BINARY_LEVELS.length) return this._parseFactor();
        let left = this._parseBinary(level + 1);
        const ops = BINARY_LEVELS[level];
        for (let links = 0; ; links++) {
            const t = this._peek();
            const op = t.kind === 'Op' ? ops[t.text] : undefined;
            if (!op) return left;
            if (links === MAX_CHAIN) this._refuseNesting(t);
            if (op === 'MatMult') this._gate27('matMult', t);
            this._advance();
            const right = this._parseBinary(level + 1);
            left = { kind: 'BinOp', left, op, right, ...span(left, right) };
        }
    }

    // bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor  (and the levels below it)
    private _parseBitwiseOr(): Expr {
        return this._parseBinary(0);
    }

    // factor: '+' factor | '-' factor | '~' factor | power
    private _parseFactor(): Expr {
        const t = this._peek();
        if (t.kind === 'Op' && (t.text === '+' || t.text === '-' || t.text === '~')) {
            this._advance();
            this._enter();
            try {
                const operand = this._parseFactor();
                const op = t.text === '+' ? 'UAdd' : t.text === '-' ? 'USub' : 'Invert';
                return { kind: 'UnaryOp', op, operand, ...span(t, operand) };
            } finally {
                this._leave();
            }
        }
        return this._parsePower();
    }

    // power: await_primary '**' factor | await_primary
    private _parsePower(): Expr {
        const left = this._parseAwaitPrimary();
        if (!this._consumeOp('**')) return left;
        this._enter();
        try {
            const right = this._parseFactor();
            return { kind: 'BinOp', left, op: 'Pow', right, ...span(left, right) };
        } finally {
            this._leave();
        }
    }

    // await_primary: 'await' primary | primary
    private _parseAwaitPrimary(): Expr {
        const t = this._consumeKeyword('await');
        if (t && this._py2) this._gate27('async', this._peek());
        else if (t) this._unsupported('await', t);
        return this._parsePrimary();
    }

    // primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')' | primary '[' slices ']' | atom
    private _parsePrimary(): Expr {
        let e = this._parseAtom();
        for (let links = 0; ; links++) {
            if (links === MAX_CHAIN) this._refuseNesting(this._peek());
            if (this._consumeOp('.')) {
                const name = this._expectName();
                e = { kind: 'Attribute', value: e, attr: name.text, ctx: 'Load', ...span(e, name) };
            } else if (this._isOp('(')) {
                this._advance();
                const { args, keywords } = this._parseCallArguments();
                const close = this._expectOp(')', "'(' was never closed");
                e = { kind: 'Call', func: e, args, keywords, ...span(e, close) };
                this._widenSoleGenerator(args, e);
            } else if (this._isOp('[')) {
                this._advance();
                const slice = this._parseSlices();
                const close = this._expectOp(']', "expected ']'");
                e = { kind: 'Subscript', value: e, slice, ctx: 'Load', ...span(e, close) };
            } else {
                return e;
            }
        }
    }

    /** `f(x for x in y)`: CPython positions the generator over the call's parentheses. */
    private _widenSoleGenerator(args: Expr[], call: Range): void {
        const g = args[0];
        if (args.length === 1 && g.kind === 'GeneratorExp' && (g as { bare?: boolean }).bare) {
            delete (g as { bare?: boolean }).bare;
            const open = this._findOpenParen(call, g);
            g.line = open.line;
            g.col = open.col;
            g.endLine = call.endLine;
            g.endCol = call.endCol;
        }
    }

    private _findOpenParen(call: Range, g: Range): Range {
        // The '(' is the last '(' token before the generator's element.
        for (let k = this._i - 1; k >= 0; k--) {
            const t = this._tokens[k];
            if (t.kind === 'Op' && t.text === '(' && (t.line < g.line || (t.line === g.line && t.col < g.col))) {
                return t;
            }
        }
        return call;
    }

    // arguments: args [','] &')'
    // args: ','.(starred_expression | (assignment_expression | expression !':=') !'=')+ [',' kwargs] | kwargs
    private _parseCallArguments(): { args: Expr[]; keywords: Keyword[] } {
        const args: Expr[] = [];
        const keywords: Keyword[] = [];
        let sawKeywordUnpack = false;
        while (!this._isOp(')')) {
            const t = this._peek();
            // 2.7's arglist: `*args` once, then keywords, then `**kwargs` last.
            if (this._py2 && sawKeywordUnpack) this._gate27('unpacking', this._previous());
            if (this._consumeOp('**')) {
                const value = this._parseExpression();
                keywords.push({ kind: 'keyword', arg: null, value, ...span(t, value) });
                sawKeywordUnpack = true;
            } else if (this._consumeOp('*')) {
                if (args.some((a) => a.kind === 'Starred')) this._gate27('unpacking', t);
                const value = this._parseExpression();
                if (sawKeywordUnpack) this._fail('iterable argument unpacking follows keyword argument unpacking', span(t, value));
                args.push({ kind: 'Starred', value, ctx: 'Load', ...span(t, value) });
            } else if (t.kind === 'Name' && this._isOp('=', 1)) {
                this._advance();
                this._advance();
                const value = this._parseExpression();
                // The compiler's check (ast.c ast_for_call, 3.9+ compile.c validate_keywords).
                if (keywords.some((k) => k.arg === t.text)) this._error(`keyword argument repeated: ${t.text}`, span(t, value));
                keywords.push({ kind: 'keyword', arg: t.text, value, ...span(t, value) });
            } else {
                let value = this._parseNamedExpression();
                if (this._isKeyword('for') || this._isKeyword('async')) {
                    value = this._parseComprehensionTail('GeneratorExp', value, null, value);
                    (value as { bare?: boolean }).bare = true;
                    if (args.length > 0 || keywords.length > 0 || this._isOp(',') && !this._isOp(')', 1)) {
                        this._fail('Generator expression must be parenthesized', value);
                    }
                }
                if (this._isOp('=')) {
                    this._fail('expression cannot contain assignment, perhaps you meant "=="?', span(value, this._peek()));
                }
                if (this._py2 && args.some((a) => a.kind === 'Starred')) this._gated.push({ feature: 'positionalAfterStar', line: value.line, col: 0 });
                if (keywords.length > 0) {
                    this._fail(
                        sawKeywordUnpack
                            ? 'positional argument follows keyword argument unpacking'
                            : 'positional argument follows keyword argument',
                        value,
                    );
                }
                args.push(value);
            }
            if (!this._consumeOp(',')) break;
        }
        return { args, keywords };
    }

    // slices: slice !',' | ','.(slice | starred_expression)+ [',']
    // (3.11, PEP 646: a starred item makes the subscript a tuple; older grammars refuse it)
    private _parseSlices(): Expr {
        const open = this._i - 1;
        const first = this._parseSlice();
        const afterFirst = this._peek();
        if (!this._isOp(',')) {
            if (first.kind !== 'Starred') return first;
            this._gateStarredSubscript(first, open, afterFirst, true);
            return { kind: 'Tuple', elts: [first], ctx: 'Load', ...span(first, first) };
        }
        const elts = [first];
        while (this._consumeOp(',')) {
            if (this._isOp(']')) break;
            elts.push(this._parseSlice());
        }
        const star = elts.find((e) => e.kind === 'Starred');
        if (star) this._gateStarredSubscript(star, open, afterFirst, star === first);
        return { kind: 'Tuple', elts, ctx: 'Load', ...span(first, this._previous()) };
    }

    /**
     * `d[*a]` before 3.11 (PEP 646), where each parser puts its caret (measured on 40 forms):
     * 2.7's and 3.8's LL(1) parsers stop at the star; 3.9's PEG parser reports the furthest token
     * it fetched, the one after the first item when that item is starred; 3.10 at the star at
     * statement level, but inside brackets its second pass (the invalid_* rules) fetches further
     * in ways that depend on the context (the subscript's `]`, the end of a call's argument, the
     * star in a comprehension): refused there rather than guessed.
     */
    private _gateStarredSubscript(star: Expr, open: number, afterFirst: Token, first: boolean): void {
        const at = (r: Range) => ({ message: 'invalid syntax', line: r.line, col: r.col });
        const styles: NonNullable<GatedSyntax['styles']> = {
            '3.8': at(star),
            '3.9': first ? at(afterFirst) : at(star),
            '3.10': this._insideBrackets(open) ? null : at(star),
        };
        this._gated.push({ feature: 'starredSubscript', line: star.line, col: star.col, styles, refused: 'a starred subscript inside brackets' });
    }

    /** Is the token at `index` inside an open bracket of its logical line? */
    private _insideBrackets(index: number): boolean {
        let closed = 0;
        for (let k = index - 1; k >= 0; k--) {
            const t = this._tokens[k];
            if (t.kind === 'Newline' || t.kind === 'Indent' || t.kind === 'Dedent') return false;
            if (t.kind !== 'Op') continue;
            if (t.text === ')' || t.text === ']' || t.text === '}') closed++;
            else if (t.text === '(' || t.text === '[' || t.text === '{') {
                if (closed === 0) return true;
                closed--;
            }
        }
        return false;
    }

    // slice: [expression] ':' [expression] [':' [expression]] | named_expression
    private _parseSlice(): Expr {
        const start = this._peek();
        if (this._isOp('*')) return this._parseStarNamedExpression();
        const lower = this._isOp(':') ? null : this._parseNamedExpression();
        if (!this._consumeOp(':')) return lower!;
        const upper = this._isOp(':') || this._isOp(']') || this._isOp(',') ? null : this._parseExpression();
        let step: Expr | null = null;
        if (this._consumeOp(':')) {
            step = this._isOp(']') || this._isOp(',') ? null : this._parseExpression();
        }
        return { kind: 'Slice', lower, upper, step, ...span(start, this._previous()) };
    }

    // atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | (tuple | group | genexp)
    //     | (list | listcomp) | (dict | set | dictcomp | setcomp) | '...'
    private _parseAtom(): Expr {
        const t = this._peek();
        switch (t.kind) {
            case 'Name':
                this._advance();
                if (t.text === 'print' && this._printIsStatement()) this._gate27('printFunction', t);
                return { kind: 'Name', id: t.text, ctx: 'Load', ...rangeOf(t) };
            case 'Number':
                this._advance();
                if (t.text.includes('_')) this._gate27('underscoreNumber', t);
                // 2.7's long type is not modelled (the literal's repr and type would be wrong).
                if (t.number?.type === 'int' && t.number.long) this._unsupported(`long literals (${t.text}) on Python 2.7`, t);
                if (t.number?.type === 'int' && t.text.length > 640 && /^[1-9][0-9_]*$/.test(t.text)) {
                    this._longDecimalLiterals.push({ line: t.line, col: t.col, digits: t.text.replace(/_/g, '').length });
                }
                return { kind: 'Constant', value: t.number!, ...rangeOf(t) };
            case 'String':
                return this._parseStrings();
            case 'Keyword': {
                const value: ConstantValue | undefined =
                    t.text === 'None' ? { type: 'None' }
                        : t.text === 'True' ? { type: 'bool', value: true }
                            : t.text === 'False' ? { type: 'bool', value: false } : undefined;
                if (value) {
                    this._advance();
                    return { kind: 'Constant', value, ...rangeOf(t) };
                }
                break;
            }
            case 'Op':
                switch (t.text) {
                    case '(': return this._parseParenthesized();
                    case '[': return this._parseList();
                    case '{': return this._parseBraces();
                    case '`': return this._parseBackticks();
                    case '...':
                        this._advance();
                        return { kind: 'Constant', value: { type: 'Ellipsis' }, ...rangeOf(t) };
                }
                break;
        }
        if (t.kind === 'Newline' || t.kind === 'EndOfFile') this._fail('invalid syntax', t);
        this._fail('invalid syntax', t);
    }

    // 2.7 atom: '`' testlist1 '`' (UNARY_CONVERT: the repr of the value, a tuple for several)
    private _parseBackticks(): Expr {
        const open = this._advance();
        const first = this._parseExpression();
        let operand: Expr = first;
        if (this._isOp(',')) {
            const elts = [first];
            while (this._consumeOp(',') && !this._isOp('`')) elts.push(this._parseExpression());
            operand = { kind: 'Tuple', elts, ctx: 'Load', ...span(first, this._previous()) };
        }
        const close = this._expectOp('`');
        return { kind: 'UnaryOp', op: 'Convert', operand, ...span(open, close) };
    }

    // tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
    // group: '(' (yield_expr | named_expression) ')'
    // genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')'
    private _parseParenthesized(): Expr {
        const open = this._advance();
        this._enter();
        try {
            if (this._isOp(')')) {
                const close = this._advance();
                return addParens({ kind: 'Tuple', elts: [], ctx: 'Load', ...span(open, close) });
            }
            if (this._isKeyword('yield')) {
                const y = this._parseYield();
                this._expectOp(')', "'(' was never closed");
                return addParens(y);
            }
            const first = this._parseStarNamedExpression();
            if (this._isKeyword('for') || this._isKeyword('async')) {
                const g = this._parseComprehensionTail('GeneratorExp', first, null, open);
                const close = this._expectOp(')', "'(' was never closed");
                g.endLine = close.endLine;
                g.endCol = close.endCol;
                return addParens(g);
            }
            if (!this._isOp(',')) {
                const close = this._expectOp(')', "'(' was never closed");
                if (first.kind === 'Starred') this._fail("can't use starred expression here", first);
                parenthesized.set(first, span(open, close));
                return addParens(first);
            }
            const elts = [first];
            while (this._consumeOp(',')) {
                if (this._isOp(')')) break;
                elts.push(this._parseStarNamedExpression());
            }
            const close = this._expectOp(')', "'(' was never closed");
            return addParens({ kind: 'Tuple', elts, ctx: 'Load', ...span(open, close) });
        } finally {
            this._leave();
        }
    }

    // list: '[' [star_named_expressions] ']'   listcomp: '[' named_expression for_if_clauses ']'
    private _parseList(): Expr {
        const open = this._advance();
        this._enter();
        try {
            const elts: Expr[] = [];
            if (!this._isOp(']')) {
                const first = this._parseStarNamedExpression();
                if (this._isKeyword('for') || this._isKeyword('async')) {
                    const comp = this._parseComprehensionTail('ListComp', first, null, open);
                    const close = this._expectOp(']', "'[' was never closed");
                    comp.endLine = close.endLine;
                    comp.endCol = close.endCol;
                    return comp;
                }
                elts.push(first);
                while (this._consumeOp(',')) {
                    if (this._isOp(']')) break;
                    elts.push(this._parseStarNamedExpression());
                }
            }
            const close = this._expectOp(']', "'[' was never closed");
            return { kind: 'List', elts, ctx: 'Load', ...span(open, close) };
        } finally {
            this._leave();
        }
    }

    // dict: '{' [double_starred_kvpairs] '}'   set: '{' star_named_expressions '}'
    // dictcomp: '{' kvpair for_if_clauses '}'  setcomp: '{' named_expression for_if_clauses '}'
    private _parseBraces(): Expr {
        const open = this._advance();
        this._enter();
        try {
            if (this._isOp('}')) {
                const close = this._advance();
                return { kind: 'Dict', keys: [], values: [], ...span(open, close) };
            }
            if (this._isOp('**')) {
                this._gate27('unpacking', this._peek());
                return this._parseDictRest(open, null, null);
            }
            const first = this._parseStarNamedExpression();
            if (this._consumeOp(':')) {
                const value = this._parseExpression();
                if (this._isKeyword('for') || this._isKeyword('async')) {
                    const comp = this._parseComprehensionTail('DictComp', first, value, open);
                    const close = this._expectOp('}', "'{' was never closed");
                    comp.endLine = close.endLine;
                    comp.endCol = close.endCol;
                    return comp;
                }
                return this._parseDictRest(open, first, value);
            }
            if (this._isKeyword('for') || this._isKeyword('async')) {
                const comp = this._parseComprehensionTail('SetComp', first, null, open);
                const close = this._expectOp('}', "'{' was never closed");
                comp.endLine = close.endLine;
                comp.endCol = close.endCol;
                return comp;
            }
            const elts = [first];
            while (this._consumeOp(',')) {
                if (this._isOp('}')) break;
                elts.push(this._parseStarNamedExpression());
            }
            const close = this._expectOp('}', "'{' was never closed");
            return { kind: 'Set', elts, ...span(open, close) };
        } finally {
            this._leave();
        }
    }

    // double_starred_kvpair: '**' bitwise_or | kvpair
    private _parseDictRest(open: Token, firstKey: Expr | null, firstValue: Expr | null): Expr {
        const keys: (Expr | null)[] = [];
        const values: Expr[] = [];
        if (firstValue) {
            keys.push(firstKey);
            values.push(firstValue);
            if (!this._consumeOp(',')) {
                const close = this._expectOp('}', "'{' was never closed");
                return { kind: 'Dict', keys, values, ...span(open, close) };
            }
        }
        while (!this._isOp('}')) {
            if (this._consumeOp('**')) {
                keys.push(null);
                values.push(this._parseBitwiseOr());
            } else {
                keys.push(this._parseExpression());
                this._expectOp(':', "':' expected after dictionary key");
                values.push(this._parseExpression());
            }
            if (!this._consumeOp(',')) break;
        }
        const close = this._expectOp('}', "'{' was never closed");
        return { kind: 'Dict', keys, values, ...span(open, close) };
    }

    // for_if_clauses: ('async'? 'for' star_targets 'in' ~ disjunction ('if' disjunction)*)+
    private _parseComprehensionTail(
        kind: 'ListComp' | 'SetComp' | 'GeneratorExp' | 'DictComp',
        elt: Expr,
        value: Expr | null,
        start: Range,
    ): Expr {
        if (elt.kind === 'Starred') {
            this._fail(kind === 'ListComp' ? 'iterable unpacking cannot be used in comprehension' : 'invalid syntax', elt);
        }
        const generators: Comprehension[] = [];
        while (this._isKeyword('for') || this._isKeyword('async')) {
            const asyncTok = this._consumeKeyword('async');
            if (asyncTok) this._unsupported('asynchronous comprehensions', asyncTok);
            const forTok = this._expectKeyword('for');
            const target = this._parseTargetList();
            this._setContext(target, 'Store');
            this._expectKeyword('in');
            const iter = this._parseDisjunction();
            const ifs: Expr[] = [];
            while (this._consumeKeyword('if')) ifs.push(this._parseDisjunction());
            if (iter.kind === 'Set') iter.isIter = true;
            generators.push({ kind: 'comprehension', target, iter, ifs, ...span(asyncTok ?? forTok, this._previous()) });
        }
        const range = span(start, this._previous());
        switch (kind) {
            case 'ListComp': return { kind, elt, generators, ...range };
            case 'SetComp': return { kind, elt, generators, ...range };
            case 'DictComp': return { kind, key: elt, value: value!, generators, ...range };
            case 'GeneratorExp':
                return { kind, elt, generators, ...range };
        }
    }

    // ------------------------------------------------------------------------------------------
    // Strings

    // strings: STRING+  (adjacent literals are concatenated; any f-string makes the result a JoinedStr)
    private _parseStrings(): Expr {
        const tokens: Token[] = [];
        while (this._peek().kind === 'String') tokens.push(this._advance());
        const first = tokens[0];
        const last = tokens[tokens.length - 1];
        const range = span(first, last);
        if (this._py2) return this._parseStrings27(tokens, range);
        for (const t of tokens) if (t.string!.pep701) this._gatePep701(t, this._peek());
        const isBytes = first.string!.flags.bytes;
        for (const t of tokens) {
            if (t.string!.flags.bytes !== isBytes) this._fail('cannot mix bytes and nonbytes literals', t);
        }
        if (isBytes) return { kind: 'Constant', value: { type: 'bytes', value: concatBytes(tokens) }, ...range };
        if (!tokens.some((t) => t.string!.flags.format)) {
            let value = '';
            for (const t of tokens) value += t.string!.value as string;
            return { kind: 'Constant', value: { type: 'str', value }, ...range };
        }
        const parts: FStringPart[] = [];
        for (const t of tokens) {
            if (t.string!.flags.format) {
                this._parseFStringBody(t, t.string!.bodyStart, t.string!.bodyEnd, parts, 0);
            } else {
                parts.push({ node: { kind: 'Constant', value: { type: 'str', value: t.string!.value as string }, ...rangeOf(t) } });
            }
        }
        return { kind: 'JoinedStr', values: mergeConstants(parts), ...range };
    }

    /**
     * A PEP 701 f-string (3.12+), as each older compiler refuses it (tokenizer.ts notes why):
     * where the old tokenizer ends the string early, the error is at the token that follows
     * ("expecting '}'" for the field left open; a field left with an open bracket is not
     * reproduced: refused); a backslash or `#` in a field is ast.c's error (3.8: at the string;
     * 3.9+: at the token after the strings); a newline in a
     * single-quoted field leaves the string unterminated.
     */
    private _gatePep701(t: Token, next: Token): void {
        const why = t.string!.pep701!;
        const at = (message: string, line: number, col: number) => ({ message, line, col });
        let styles: NonNullable<GatedSyntax['styles']>;
        if (why.kind === 'quote') {
            let p = why.at;
            while (this._src.charAt(p) === ' ' || this._src.charAt(p) === '\t') p++;
            const pos = this._posAt(p);
            const open = fieldBracketsOpen(this._src.slice(t.string!.bodyStart, why.at - 1));
            const pegen = open ? null : at("f-string: expecting '}'", pos.line, pos.col);
            styles = { '3.8': at('invalid syntax', pos.line, pos.col), '3.9': pegen, '3.10': pegen };
        } else if (why.kind === 'backslash' || why.kind === 'comment') {
            const message = why.kind === 'backslash' ? 'f-string expression part cannot include a backslash' : "f-string expression part cannot include '#'";
            const later = at(message, next.line, next.col);
            styles = { '3.8': at(message, t.line, t.col), '3.9': later, '3.10': later };
        } else {
            const lineEnd = this._posAt(why.at);
            styles = {
                '3.8': at('EOL while scanning string literal', t.line, lineEnd.col - 1),
                '3.9': at('EOL while scanning string literal', t.line, lineEnd.col),
                '3.10': at(`unterminated string literal (detected at line ${t.line})`, t.line, t.col),
            };
        }
        this._gated.push({ feature: 'pep701', line: t.line, col: t.col, styles });
    }

    /**
     * 2.7's string literals: `b''` is `''` (both str), adjacent literals of any prefixes join.
     * f-strings and `rb''` are Python 3 (gated; parsed as 3.x does, nothing runs).
     */
    private _parseStrings27(tokens: Token[], range: Range): Expr {
        for (const t of tokens) {
            const flags = t.string!.flags;
            if (flags.format) this._gate27('fstring', t);
            else if (flags.bytes && /^[rR]/.test(t.text)) this._gate27('stringPrefix', t);
            if (flags.unicode) this._unsupported("unicode literals (u'…') on Python 2.7", t);
        }
        if (tokens.some((t) => t.string!.flags.format)) return { kind: 'Constant', value: { type: 'str', value: '' }, ...range };
        if (tokens.every((t) => t.string!.flags.bytes)) return { kind: 'Constant', value: { type: 'bytes', value: concatBytes(tokens) }, ...range };
        let value = '';
        for (const t of tokens) {
            const v = t.string!.value!;
            value += typeof v === 'string' ? v : new TextDecoder().decode(v);
        }
        return { kind: 'Constant', value: { type: 'str', value }, ...range };
    }

    /** Line and column of a source offset (for positions inside f-strings). */
    private _posAt(offset: number): { line: number; col: number } {
        if (!this._lineStarts) this._lineStarts = computeLineStarts(this._src);
        const starts = this._lineStarts;
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return { line: lo + 1, col: offset - starts[lo] + 1 };
    }

    private _rangeAt(start: number, end: number): Range {
        const a = this._posAt(start);
        const b = this._posAt(end);
        return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
    }

    /**
     * Splits an f-string body (pre-3.12 rules) into literal and `{field}` parts. Returns the offset
     * where scanning stopped (at the closing `}` of a format spec when `inSpec`).
     */
    private _parseFStringBody(token: Token, start: number, end: number, parts: FStringPart[], nesting: number): number {
        const raw = token.string!.flags.raw;
        let p = start;
        let literalStart = p;
        let literal = '';
        const flush = (upTo: number, nextStart: number): void => {
            if (upTo > literalStart) {
                literal += this._decodeFStringLiteral(token, literalStart, upTo, raw);
            }
            literalStart = nextStart;
        };
        const emitLiteral = (from: number, to: number): void => {
            if (literal.length > 0) {
                parts.push({ node: { kind: 'Constant', value: { type: 'str', value: literal }, ...this._rangeAt(from, to) } });
            }
            literal = '';
        };
        let literalRangeStart = p;
        while (p < end) {
            const c = this._src.charCodeAt(p);
            if (c === 92 /* \ */ && !raw) {
                const n = this._src.charCodeAt(p + 1);
                if (n === 78 /* N */ && this._src.charCodeAt(p + 2) === 123 /* { */) {
                    const close = this._src.indexOf('}', p);
                    p = close < 0 || close >= end ? end : close + 1;
                } else {
                    p += n === 123 || n === 125 ? 1 : 2;
                }
                continue;
            }
            if (c === 123 /* { */) {
                if (this._src.charCodeAt(p + 1) === 123 && nesting === 0) {
                    flush(p + 1, p + 2);
                    p += 2;
                    continue;
                }
                flush(p, p);
                emitLiteral(literalRangeStart, p);
                p = this._parseFStringField(token, p, end, parts, nesting);
                literalStart = literalRangeStart = p;
                continue;
            }
            if (c === 125 /* } */) {
                if (nesting > 0) break; // end of a format spec
                if (this._src.charCodeAt(p + 1) === 125) {
                    flush(p + 1, p + 2);
                    p += 2;
                    continue;
                }
                this._fail("f-string: single '}' is not allowed", this._rangeAt(p, p + 1));
            }
            p++;
        }
        flush(p, p);
        emitLiteral(literalRangeStart, p);
        return p;
    }

    private _decodeFStringLiteral(token: Token, start: number, end: number, raw: boolean): string {
        const value = decodeStringBody(this._src, start, end, { raw, bytes: false }, (message, at, unsupported) => {
            if (unsupported) this._unsupported(message.slice(UNSUPPORTED.length), this._rangeAt(at, at + 1));
            else this._error(message, this._rangeAt(at, at + 1));
        });
        void token;
        return value as string;
    }

    /** One `{expr[=][!conv][:spec]}` starting at the `{` at `open`; returns the offset after its `}`. */
    private _parseFStringField(token: Token, open: number, end: number, parts: FStringPart[], nesting: number): number {
        if (nesting >= 2) this._fail('f-string: expressions nested too deeply', this._rangeAt(open, open + 1));
        const exprStart = open + 1;
        const exprEnd = this._scanFStringExpression(exprStart, end, token);
        const text = this._src.slice(exprStart, exprEnd);
        if (text.trim() === '') {
            this._fail('f-string: empty expression not allowed', this._rangeAt(open, exprEnd + 1));
        }
        const value = this._parseSubExpression(exprStart, exprEnd);
        let p = exprEnd;
        let debugText: string | null = null;
        if (this._src.charCodeAt(p) === 61 /* = */) {
            p++;
            while (p < end && (this._src.charCodeAt(p) === 32 || this._src.charCodeAt(p) === 9)) p++;
            debugText = this._src.slice(exprStart, p);
        }
        let conversion = -1;
        if (this._src.charCodeAt(p) === 33 /* ! */) {
            const conv = this._src.charAt(p + 1);
            const after = this._src.charCodeAt(p + 2);
            if ((conv !== 's' && conv !== 'r' && conv !== 'a') || (after !== 58 && after !== 125)) {
                this._fail("f-string: invalid conversion character: expected 's', 'r', or 'a'", this._rangeAt(p, p + 2));
            }
            conversion = conv.charCodeAt(0);
            p += 2;
        }
        let formatSpec: JoinedStr | null = null;
        if (this._src.charCodeAt(p) === 58 /* : */) {
            const specParts: FStringPart[] = [];
            const specEnd = this._parseFStringBody(token, p + 1, end, specParts, nesting + 1);
            formatSpec = { kind: 'JoinedStr', values: mergeConstants(specParts), ...this._rangeAt(p, specEnd) };
            p = specEnd;
        }
        if (p >= end || this._src.charCodeAt(p) !== 125) {
            this._fail("f-string: expecting '}'", this._rangeAt(open, open + 1));
        }
        p++;
        if (debugText !== null) {
            parts.push({ node: { kind: 'Constant', value: { type: 'str', value: debugText }, ...this._rangeAt(exprStart, exprStart + debugText.length) } });
            if (conversion === -1 && formatSpec === null) conversion = 114;
        }
        parts.push({ node: { kind: 'FormattedValue', value, conversion, formatSpec, ...this._rangeAt(open, p) } });
        return p;
    }

    /**
     * Finds where a field's expression ends: a top-level `}`, `!` (not `!=`), `:` or debug `=`.
     * Nested strings (of any quotes), comments and backslashes are read as 3.12 does (PEP 701);
     * older profiles refuse such f-strings (the token's pep701 gate, _gatePep701).
     */
    private _scanFStringExpression(start: number, end: number, token: Token): number {
        void token;
        let depth = 0;
        let p = start;
        while (p < end) {
            const ch = this._src.charAt(p);
            if (ch === '#') {
                while (p < end && this._src.charAt(p) !== '\n' && this._src.charAt(p) !== '\r') p++;
                continue;
            }
            if (ch === "'" || ch === '"') {
                let s = p;
                while (s > start && /[a-zA-Z]/.test(this._src.charAt(s - 1))) s--;
                p = this._skipNestedString(p, end, /[fF]/.test(this._src.slice(s, p)));
                continue;
            }
            if (ch === '(' || ch === '[' || ch === '{') depth++;
            else if (ch === ')' || ch === ']' || (ch === '}' && depth > 0)) depth--;
            else if (depth === 0) {
                const next = this._src.charAt(p + 1);
                if (ch === '}' || ch === ':') return p;
                if (ch === '!' && next !== '=') return p;
                if ((ch === '=' || ch === '!' || ch === '<' || ch === '>') && next === '=') {
                    p += 2;
                    continue;
                }
                if (ch === '=') return p;
            }
            p++;
        }
        this._fail("f-string: expecting '}'", this._rangeAt(start - 1, start));
    }

    /** The offset after a string nested in a field (an f-string's own fields may nest strings of its quotes). */
    private _skipNestedString(p: number, end: number, format: boolean): number {
        const q = this._src.charAt(p);
        const triple = this._src.startsWith(q + q + q, p);
        const closer = triple ? q + q + q : q;
        let i = p + closer.length;
        let depth = 0;
        while (i < end) {
            const c = this._src.charAt(i);
            if (c === '\\') {
                i += 2;
                continue;
            }
            if (depth === 0 && this._src.startsWith(closer, i)) return i + closer.length;
            if (format && depth > 0 && (c === "'" || c === '"')) {
                let s = i;
                while (/[a-zA-Z]/.test(this._src.charAt(s - 1))) s--;
                i = this._skipNestedString(i, end, /[fF]/.test(this._src.slice(s, i)));
                continue;
            }
            if (format && c === '{') {
                if (depth === 0 && this._src.charAt(i + 1) === '{') i++;
                else depth++;
            } else if (format && c === '}' && depth > 0) depth--;
            i++;
        }
        this._fail('f-string: unterminated string', this._rangeAt(p, p + 1));
    }

    /** Parses the expression of an f-string field in place (its tokens keep their real positions). */
    private _parseSubExpression(start: number, end: number): Expr {
        const where = this._posAt(start);
        const lexed = tokenize(this._src, { start, end, line: where.line, lineStart: start - where.col + 1 });
        for (const d of lexed.diagnostics) this._diagnostics.push(d);
        const sub = new Parser(this._src, lexed.tokens, this._diagnostics, this._reported);
        sub._depth = this._depth;
        sub._lineStarts = this._lineStarts;
        sub._functionDepth = this._functionDepth;
        const value = sub._parseYieldOrStarExpressions();
        if (sub._peek().kind !== 'EndOfFile') sub._fail('f-string: invalid syntax', sub._peek());
        return value;
    }
}

/** Is a bracket still open in the last replacement field of an f-string body cut short? */
function fieldBracketsOpen(body: string): boolean {
    let fields = 0;
    let brackets = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body.charAt(i);
        if (fields === 0) {
            if (c === '{' && body.charAt(i + 1) === '{') i++;
            else if (c === '{') {
                fields = 1;
                brackets = 0;
            }
        } else if (c === '(' || c === '[' || c === '{') brackets++;
        else if (c === ')' || c === ']') brackets--;
        else if (c === '}') {
            if (brackets > 0) brackets--;
            else fields = 0;
        }
    }
    return fields > 0 && brackets > 0;
}

/** Binary operator tables, loosest first: | ^ & << >> + - * / // % @. */
const BINARY_LEVELS: Record<string, OperatorName>[] = [
    { '|': 'BitOr' },
    { '^': 'BitXor' },
    { '&': 'BitAnd' },
    { '<<': 'LShift', '>>': 'RShift' },
    { '+': 'Add', '-': 'Sub' },
    { '*': 'Mult', '/': 'Div', '//': 'FloorDiv', '%': 'Mod', '@': 'MatMult' },
];

function concatBytes(tokens: Token[]): Uint8Array {
    const pieces = tokens.map((t) => t.string!.value as Uint8Array);
    const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let k = 0;
    for (const p of pieces) {
        out.set(p, k);
        k += p.length;
    }
    return out;
}

/** Adjacent literal parts of a JoinedStr become one Constant spanning them, as in CPython. */
function mergeConstants(parts: FStringPart[]): (Constant | FormattedValue)[] {
    const out: (Constant | FormattedValue)[] = [];
    for (const { node } of parts) {
        const prev = out[out.length - 1];
        if (node.kind === 'Constant' && prev && prev.kind === 'Constant' && prev.value.type === 'str' && node.value.type === 'str') {
            out[out.length - 1] = {
                kind: 'Constant',
                value: { type: 'str', value: prev.value.value + node.value.value },
                ...span(prev, node),
            };
        } else if (node.kind !== 'Constant' || node.value.type !== 'str' || node.value.value !== '') {
            out.push(node);
        }
    }
    return out;
}

function computeLineStarts(src: string): number[] {
    const starts = [0];
    for (let i = 0; i < src.length; i++) {
        const c = src.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
            if (src.charCodeAt(i + 1) === 10) i++;
            starts.push(i + 1);
        }
    }
    return starts;
}
