/*
 * ast.ts
 *
 * The syntax tree of a scenario. Node names and fields follow CPython's own `ast` module
 * (Python/Python.asdl) so that the interpreter can be read side by side with CPython's compiler:
 * where CPython emits a bytecode for a field, we evaluate that field at the same moment.
 *
 * Every node carries its source range. Lines are 1-based; columns are 1-based too (CPython's
 * `col_offset` is 0-based; we add one so that `FILE:LINE:COL` messages read like an editor's).
 */

export interface Range {
    line: number;
    col: number;
    endLine: number;
    endCol: number;
}

interface NodeBase extends Range {}

// ----------------------------------------------------------------------------------------------
// Module

export interface Module extends NodeBase {
    kind: 'Module';
    body: Stmt[];
    /** `from __future__ import ...` names seen at the top (e.g. `print_function`). */
    futures: string[];
    /**
     * Syntax the parser accepts (the union of the profiles' grammars) that only some versions'
     * compilers do, in source order: a profile without the feature refuses the first one
     * (compileErrors.ts, with that version's message and caret column).
     */
    gated?: GatedSyntax[];
    /** Decimal int literals of more digits than any int/str limit allows (see Profile.intMaxStrDigits), in source order. */
    longDecimalLiterals?: { line: number; col: number; digits: number }[];
}

/**
 * The grammar features that arrived after 2.7 or 3.8 (Profile.syntax lists the ones a version has).
 * The Python 3 features are gated only by the 2.7 parse (parse(..., { python2: true })): 2.7's
 * LL(1) parser stops at the first token its grammar cannot take, so each gate's column is that
 * token's last character (or its first, where 2.7 splits a 3.x operator such as `->` or `:=`).
 */
export type SyntaxFeature =
    /** PEP 646 (3.11): `d[*a]`, `d[1, *a]`. */
    | 'starredSubscript'
    /** 3.x: f-strings (3.6), `rb''`, `1_000` (3.6). */
    | 'fstring' | 'stringPrefix' | 'underscoreNumber'
    /** 3.x: keyword-only and positional-only parameters, annotations. */
    | 'kwOnlyParams' | 'posOnlyParams' | 'annotations'
    /** 3.x: `nonlocal`, `raise … from`, starred targets and displays (PEP 3132, 448), `**` in displays and calls, walrus, `@`. */
    | 'nonlocal' | 'raiseFrom' | 'starred' | 'unpacking' | 'walrus' | 'matMult'
    /** 3.x: class keywords (`metaclass=`), `async`/`await`, parenthesized with-items, `except*`. */
    | 'classKeywords' | 'async' | 'parenthesizedWith' | 'exceptStar'
    /** 2.7 without `from __future__ import print_function`: `print` is a statement, not a name. */
    | 'printFunction'
    /** 2.7's ast.c: a positional argument after `*args` (no caret). */
    | 'positionalAfterStar'
    /** PEP 701 (3.12): f-strings nesting their own quotes, with backslashes, comments or newlines in a field. */
    | 'pep701';

/**
 * How a compiler before 3.12 reports a PEP 701 f-string (Profile.fstringErrors): 3.8's ast.c and
 * LL(1) parser, 3.9's PEG parser over the old tokenizer, 3.10–3.11's with its new messages.
 */
export type FStringErrorStyle = '3.8' | '3.9' | '3.10';

export interface GatedSyntax {
    feature: SyntaxFeature;
    line: number;
    /** 1-based caret column of the older compilers' error (0: none). */
    col: number;
    /** The error per compiler style (PEP 701 f-strings, starred subscripts; null: one the engine does not reproduce, refused). */
    styles?: Record<FStringErrorStyle, { message: string; line: number; col: number } | null>;
    /** What the refusal calls the construct when a style is null (default: a PEP 701 f-string). */
    refused?: string;
}

// ----------------------------------------------------------------------------------------------
// Statements

export type Stmt =
    | FunctionDef
    | ClassDef
    | Return
    | Delete
    | Assign
    | AugAssign
    | AnnAssign
    | For
    | While
    | If
    | With
    | Raise
    | Try
    | Assert
    | Import
    | ImportFrom
    | Global
    | Nonlocal
    | ExprStmt
    | Print
    | Pass
    | Break
    | Continue;

export interface Arg extends NodeBase {
    kind: 'arg';
    name: string;
}

/** Mirrors `ast.arguments`. `defaults` align with the *last* `args`; `kwDefaults` with `kwonlyargs` (null = required). */
export interface Arguments extends NodeBase {
    kind: 'arguments';
    posonlyargs: Arg[];
    args: Arg[];
    vararg: Arg | null;
    kwonlyargs: Arg[];
    kwDefaults: (Expr | null)[];
    kwarg: Arg | null;
    defaults: Expr[];
}

export interface FunctionDef extends NodeBase {
    kind: 'FunctionDef';
    name: string;
    /** The name the statement binds when private name mangling changes it (`__f` in class C: `_C__f`; parser/mangle.ts). */
    bindName?: string;
    args: Arguments;
    body: Stmt[];
    decorators: Expr[];
    /** Position of the `def` keyword line (decorators may start earlier). */
    defLine: number;
}

export interface Keyword extends NodeBase {
    kind: 'keyword';
    /** null for `**mapping` in a call. */
    arg: string | null;
    value: Expr;
}

export interface ClassDef extends NodeBase {
    kind: 'ClassDef';
    name: string;
    /** The name the statement binds when private name mangling changes it (parser/mangle.ts). */
    bindName?: string;
    bases: Expr[];
    keywords: Keyword[];
    body: Stmt[];
    decorators: Expr[];
}

export interface Return extends NodeBase {
    kind: 'Return';
    value: Expr | null;
}

export interface Delete extends NodeBase {
    kind: 'Delete';
    targets: Expr[];
}

/** `a = b = value`: targets are assigned left to right, as CPython does (DUP_TOP per extra target). */
export interface Assign extends NodeBase {
    kind: 'Assign';
    targets: Expr[];
    value: Expr;
}

export type OperatorName =
    | 'Add'
    | 'Sub'
    | 'Mult'
    | 'MatMult'
    | 'Div'
    | 'Mod'
    | 'Pow'
    | 'LShift'
    | 'RShift'
    | 'BitOr'
    | 'BitXor'
    | 'BitAnd'
    | 'FloorDiv';

export interface AugAssign extends NodeBase {
    kind: 'AugAssign';
    target: Expr;
    op: OperatorName;
    value: Expr;
}

/** `x: int = 3` (annotation evaluated and discarded at module level only if simple; we never store annotations). */
export interface AnnAssign extends NodeBase {
    kind: 'AnnAssign';
    target: Expr;
    annotation: Expr;
    value: Expr | null;
}

export interface For extends NodeBase {
    kind: 'For';
    target: Expr;
    iter: Expr;
    body: Stmt[];
    orelse: Stmt[];
}

export interface While extends NodeBase {
    kind: 'While';
    test: Expr;
    body: Stmt[];
    orelse: Stmt[];
}

export interface If extends NodeBase {
    kind: 'If';
    test: Expr;
    body: Stmt[];
    /** `elif` chains are nested Ifs in orelse, as in CPython's ast. */
    orelse: Stmt[];
}

export interface WithItem extends NodeBase {
    kind: 'withitem';
    contextExpr: Expr;
    optionalVars: Expr | null;
}

export interface With extends NodeBase {
    kind: 'With';
    items: WithItem[];
    body: Stmt[];
}

export interface Raise extends NodeBase {
    kind: 'Raise';
    exc: Expr | null;
    cause: Expr | null;
    /** 2.7's `raise E, V`: the value the exception class is instantiated with (RAISE_VARARGS 2). */
    value?: Expr | null;
}

export interface ExceptHandler extends NodeBase {
    kind: 'ExceptHandler';
    type: Expr | null;
    name: string | null;
    body: Stmt[];
}

export interface Try extends NodeBase {
    kind: 'Try';
    body: Stmt[];
    handlers: ExceptHandler[];
    orelse: Stmt[];
    finalbody: Stmt[];
}

export interface Assert extends NodeBase {
    kind: 'Assert';
    test: Expr;
    msg: Expr | null;
}

export interface Alias extends NodeBase {
    kind: 'alias';
    /** Dotted name for `import a.b`; plain name in `from m import name`; `*` for star imports. */
    name: string;
    asname: string | null;
}

export interface Import extends NodeBase {
    kind: 'Import';
    names: Alias[];
}

export interface ImportFrom extends NodeBase {
    kind: 'ImportFrom';
    module: string;
    names: Alias[];
    level: number;
}

export interface Global extends NodeBase {
    kind: 'Global';
    names: string[];
}

export interface Nonlocal extends NodeBase {
    kind: 'Nonlocal';
    names: string[];
}

/**
 * 2.7's print statement (PRINT_ITEM[_TO] per value, PRINT_NEWLINE[_TO] unless a trailing comma):
 * `dest` is the stream after `>>` (null: sys.stdout).
 */
export interface Print extends NodeBase {
    kind: 'Print';
    dest: Expr | null;
    values: Expr[];
    nl: boolean;
}

export interface ExprStmt extends NodeBase {
    kind: 'Expr';
    value: Expr;
}

export interface Pass extends NodeBase {
    kind: 'Pass';
}

export interface Break extends NodeBase {
    kind: 'Break';
}

export interface Continue extends NodeBase {
    kind: 'Continue';
}

// ----------------------------------------------------------------------------------------------
// Expressions

export type Expr =
    | BoolOp
    | NamedExpr
    | BinOp
    | UnaryOp
    | Lambda
    | IfExp
    | DictExpr
    | SetExpr
    | ListComp
    | SetComp
    | DictComp
    | GeneratorExp
    | Yield
    | YieldFrom
    | Compare
    | Call
    | FormattedValue
    | JoinedStr
    | Constant
    | Attribute
    | Subscript
    | Starred
    | Name
    | ListExpr
    | TupleExpr
    | Slice;

/** Load / Store / Del, as in CPython's `expr_context`. */
export type ExprContext = 'Load' | 'Store' | 'Del';

export interface BoolOp extends NodeBase {
    kind: 'BoolOp';
    op: 'And' | 'Or';
    values: Expr[];
}

export interface NamedExpr extends NodeBase {
    kind: 'NamedExpr';
    target: Name;
    value: Expr;
}

export interface BinOp extends NodeBase {
    kind: 'BinOp';
    left: Expr;
    op: OperatorName;
    right: Expr;
}

export interface UnaryOp extends NodeBase {
    kind: 'UnaryOp';
    /** `Convert`: 2.7's backticks, `\`x\`` (UNARY_CONVERT, the object's repr). */
    op: 'Invert' | 'Not' | 'UAdd' | 'USub' | 'Convert';
    operand: Expr;
}

export interface Lambda extends NodeBase {
    kind: 'Lambda';
    args: Arguments;
    body: Expr;
}

export interface IfExp extends NodeBase {
    kind: 'IfExp';
    test: Expr;
    body: Expr;
    orelse: Expr;
}

/** `{k: v, **m}`: a null key marks a `**m` unpacking entry. */
export interface DictExpr extends NodeBase {
    kind: 'Dict';
    keys: (Expr | null)[];
    values: Expr[];
}

export interface SetExpr extends NodeBase {
    kind: 'Set';
    elts: Expr[];
    /** The iterable of a `for` or a comprehension: 3.x's ast_opt (fold_iter) makes a display of constants a frozenset constant. */
    isIter?: boolean;
}

export interface Comprehension extends NodeBase {
    kind: 'comprehension';
    target: Expr;
    iter: Expr;
    ifs: Expr[];
}

export interface ListComp extends NodeBase {
    kind: 'ListComp';
    elt: Expr;
    generators: Comprehension[];
}

export interface SetComp extends NodeBase {
    kind: 'SetComp';
    elt: Expr;
    generators: Comprehension[];
}

export interface DictComp extends NodeBase {
    kind: 'DictComp';
    key: Expr;
    value: Expr;
    generators: Comprehension[];
}

export interface GeneratorExp extends NodeBase {
    kind: 'GeneratorExp';
    elt: Expr;
    generators: Comprehension[];
}

/** `yield` / `yield value`: makes the enclosing function a generator. */
export interface Yield extends NodeBase {
    kind: 'Yield';
    value: Expr | null;
}

/** `yield from iterable` (3.3+, PEP 380). */
export interface YieldFrom extends NodeBase {
    kind: 'YieldFrom';
    value: Expr;
}

export type CmpOpName = 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE' | 'Is' | 'IsNot' | 'In' | 'NotIn';

export interface Compare extends NodeBase {
    kind: 'Compare';
    left: Expr;
    ops: CmpOpName[];
    comparators: Expr[];
}

export interface Call extends NodeBase {
    kind: 'Call';
    func: Expr;
    /** May contain Starred for `*args`. */
    args: Expr[];
    keywords: Keyword[];
}

/** One `{value!conv:spec}` of an f-string. conversion: -1 none, 115 's', 114 'r', 97 'a'. */
export interface FormattedValue extends NodeBase {
    kind: 'FormattedValue';
    value: Expr;
    conversion: number;
    formatSpec: JoinedStr | null;
}

/** An f-string: Constant(str) parts and FormattedValue parts. */
export interface JoinedStr extends NodeBase {
    kind: 'JoinedStr';
    values: (Constant | FormattedValue)[];
}

export type ConstantValue =
    /** `long`: 2.7's `10L` literal (a `long` object, whatever its size). */
    | { type: 'int'; value: bigint; long?: boolean }
    | { type: 'float'; value: number }
    | { type: 'complex'; imag: number }
    | { type: 'str'; value: string }
    | { type: 'bytes'; value: Uint8Array }
    | { type: 'bool'; value: boolean }
    | { type: 'None' }
    | { type: 'Ellipsis' };

export interface Constant extends NodeBase {
    kind: 'Constant';
    value: ConstantValue;
}

export interface Attribute extends NodeBase {
    kind: 'Attribute';
    value: Expr;
    attr: string;
    ctx: ExprContext;
}

export interface Subscript extends NodeBase {
    kind: 'Subscript';
    value: Expr;
    slice: Expr;
    ctx: ExprContext;
}

export interface Starred extends NodeBase {
    kind: 'Starred';
    value: Expr;
    ctx: ExprContext;
}

export interface Name extends NodeBase {
    kind: 'Name';
    id: string;
    ctx: ExprContext;
}

export interface ListExpr extends NodeBase {
    kind: 'List';
    elts: Expr[];
    ctx: ExprContext;
}

export interface TupleExpr extends NodeBase {
    kind: 'Tuple';
    elts: Expr[];
    ctx: ExprContext;
}

export interface Slice extends NodeBase {
    kind: 'Slice';
    lower: Expr | null;
    upper: Expr | null;
    step: Expr | null;
}

export type Node =
    | Module
    | Stmt
    | Expr
    | Arg
    | Arguments
    | Keyword
    | WithItem
    | ExceptHandler
    | Alias
    | Comprehension;

// ----------------------------------------------------------------------------------------------
// Parse results

/**
 * 'syntax' for what CPython would reject; 'unsupported' for valid Python that scenarios cannot use yet
 * (message starts with "not supported in scenarios yet: ").
 */
export interface ParseDiagnostic extends Range {
    severity: 'error';
    category: 'syntax' | 'unsupported';
    message: string;
}

export interface ParseResult {
    module: Module;
    diagnostics: ParseDiagnostic[];
}
