/*
 * compileWarnings.ts
 *
 * The SyntaxWarnings CPython's compiler prints while compiling the script, before it runs
 * (Python/compile.c: check_caller, check_subscripter, check_index, check_compare, and the
 * parenthesised-assert check of compiler_assert). They go to stderr as the warnings module
 * formats them: `FILE:LINE: SyntaxWarning: message` and the stripped source line.
 *
 * Which of them a version has is the profile's `syntaxWarnings`. The compiler sees the AST after
 * constant folding (3.8+): a tuple of constants and a negated number are constants there.
 */

import type * as ast from './ast';
import type { SyntaxWarningRules } from '../profiles';

export interface CompileWarning {
    line: number;
    message: string;
}

type Expr = ast.Expr;

/** The constant an expression folds to (its type name), or null: infer_type on a Constant. */
function constantType(e: Expr): string | null {
    switch (e.kind) {
        case 'Constant':
            switch (e.value.type) {
                case 'None':
                    return 'NoneType';
                case 'Ellipsis':
                    return 'ellipsis';
                default:
                    return e.value.type;
            }
        case 'UnaryOp':
            // -1, +2.0, ~3 fold to constants.
            return e.op !== 'Not' && (e.operand.kind === 'Constant' || e.operand.kind === 'UnaryOp') ? constantType(e.operand) : null;
        case 'Tuple':
            return e.elts.every((x) => constantType(x) !== null) ? 'tuple' : null;
        default:
            return null;
    }
}

/** infer_type: the type an expression's value certainly has, or null. */
export function inferType(e: Expr): string | null {
    const c = constantType(e);
    if (c) return c;
    switch (e.kind) {
        case 'Tuple':
            return 'tuple';
        case 'List':
        case 'ListComp':
            return 'list';
        case 'Dict':
        case 'DictComp':
            return 'dict';
        case 'Set':
        case 'SetComp':
            return 'set';
        case 'GeneratorExp':
            return 'generator';
        case 'Lambda':
            return 'function';
        case 'JoinedStr':
        case 'FormattedValue':
            return 'str';
        default:
            return null;
    }
}

const MISSED_COMMA = 'perhaps you missed a comma?';

/** check_caller: calling a display or a literal. */
function checkCaller(e: Expr): string | null {
    const k = e.kind;
    const c = constantType(e);
    if (c || k === 'Tuple' || k === 'List' || k === 'ListComp' || k === 'Dict' || k === 'DictComp' || k === 'Set' || k === 'SetComp' || k === 'GeneratorExp' || k === 'JoinedStr' || k === 'FormattedValue') {
        return `'${inferType(e)}' object is not callable; ${MISSED_COMMA}`;
    }
    return null;
}

/** check_subscripter: subscripting None, a number, a set, a generator or a lambda. */
function checkSubscripter(e: Expr): string | null {
    const c = constantType(e);
    const k = e.kind;
    const bad = c !== null ? c === 'NoneType' || c === 'ellipsis' || c === 'int' || c === 'bool' || c === 'float' || c === 'complex' : k === 'Set' || k === 'SetComp' || k === 'GeneratorExp' || k === 'Lambda';
    return bad ? `'${inferType(e)}' object is not subscriptable; ${MISSED_COMMA}` : null;
}

/** check_index: a str/bytes/tuple/list display indexed by something that is not an int or a slice. */
function checkIndex(e: Expr, index: Expr): string | null {
    const c = constantType(e);
    const k = e.kind;
    const sequence = c !== null ? c === 'str' || c === 'bytes' || c === 'tuple' : k === 'Tuple' || k === 'List' || k === 'ListComp' || k === 'JoinedStr' || k === 'FormattedValue';
    if (!sequence) return null;
    const it = inferType(index);
    if (it === null || it === 'int' || it === 'bool') return null;
    return `${inferType(e)} indices must be integers or slices, not ${it}; ${MISSED_COMMA}`;
}

/** check_is_arg: `is` against a literal other than None, True, False, `...`. */
function isLiteral(e: Expr): string | null {
    const c = constantType(e);
    return c !== null && c !== 'NoneType' && c !== 'bool' && c !== 'ellipsis' ? c : null;
}

function checkCompare(e: ast.Compare, rules: SyntaxWarningRules): string | null {
    let left: Expr = e.left;
    for (let i = 0; i < e.ops.length; i++) {
        const op = e.ops[i];
        const right = e.comparators[i];
        if (op === 'Is' || op === 'IsNot') {
            const lit = isLiteral(left) ?? isLiteral(right);
            if (lit !== null) {
                const [word, eq] = op === 'Is' ? ['is', '=='] : ['is not', '!='];
                return rules.isLiteralNamesType ? `"${word}" with '${lit}' literal. Did you mean "${eq}"?` : `"${word}" with a literal. Did you mean "${eq}"?`;
            }
        }
        left = right;
    }
    return null;
}

/** The warnings compiling `module` prints, in compilation order. */
export function compileWarnings(module: ast.Module, rules: SyntaxWarningRules): CompileWarning[] {
    const out: CompileWarning[] = [];
    const warn = (node: ast.Range, message: string | null): void => {
        if (message) out.push({ line: node.line, message });
    };
    const visit = (n: unknown): void => {
        if (Array.isArray(n)) {
            for (const x of n) visit(x);
            return;
        }
        if (!n || typeof n !== 'object' || !('kind' in n)) return;
        const node = n as ast.Node;
        switch (node.kind) {
            case 'Assert':
                if (node.test.kind === 'Tuple' && node.test.elts.length > 0 && (rules.assertConstantTuple || constantType(node.test) === null)) {
                    warn(node, 'assertion is always true, perhaps remove parentheses?');
                }
                break;
            case 'Assign':
                // compiler_visit_stmt: the value is compiled before the targets.
                visit(node.value);
                visit(node.targets);
                return;
            case 'Call':
                if (rules.literalChecks) warn(node, checkCaller(node.func));
                break;
            case 'Subscript':
                if (rules.literalChecks && node.ctx === 'Load') warn(node, checkSubscripter(node.value) ?? checkIndex(node.value, node.slice));
                break;
            case 'Compare':
                if (rules.literalChecks) warn(node, checkCompare(node, rules));
                break;
        }
        if (node.kind === 'Name' || node.kind === 'Constant') return;
        const fields = node as unknown as Record<string, unknown>;
        for (const key in fields) {
            const v = fields[key];
            if (v && typeof v === 'object') visit(v);
        }
    };
    visit(module.body);
    return out;
}

/** As the warnings module prints one: `FILE:LINE: SyntaxWarning: message` and the source line. */
export function formatCompileWarning(fileName: string, w: CompileWarning, sourceLines: readonly string[]): string {
    const src = (sourceLines[w.line - 1] ?? '').trim();
    return `${fileName}:${w.line}: SyntaxWarning: ${w.message}\n` + (src ? `  ${src}\n` : '');
}
