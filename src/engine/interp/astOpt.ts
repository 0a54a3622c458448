/*
 * astOpt.ts
 *
 * Compile-time rewrites CPython's AST optimizer (Python/ast_opt.c) makes that change lifetimes.
 * 3.11+ turns `'%s and %r' % (a, b)` into an f-string when the format uses only %s/%r/%a with
 * simple width/precision: each item is then formatted as soon as it is evaluated, so temporaries
 * die one by one instead of all at once after the tuple is built.
 */

import type * as ast from '../parser/ast';

const MAXDIGITS = 3;
const cache = new WeakMap<ast.BinOp, ast.JoinedStr | null>();

/** The f-string CPython compiles `fmt % (…)` to, or null when it keeps the `%` operation. */
export function percentFormatAsJoinedStr(node: ast.BinOp): ast.JoinedStr | null {
    if (cache.has(node)) return cache.get(node)!;
    const r = rewrite(node);
    cache.set(node, r);
    return r;
}

function rewrite(node: ast.BinOp): ast.JoinedStr | null {
    if (node.op !== 'Mod' || node.left.kind !== 'Constant' || node.left.value.type !== 'str') return null;
    if (node.right.kind !== 'Tuple' || node.right.elts.some((e) => e.kind === 'Starred')) return null;
    const fmt = node.left.value.value;
    const elts = node.right.elts;
    const parts: (ast.Constant | ast.FormattedValue)[] = [];
    let pos = 0;
    let cnt = 0;
    const at = { line: node.line, col: node.col, endLine: node.endLine, endCol: node.endCol };
    for (;;) {
        // parse_literal: text up to the next lone '%', with '%%' meaning '%'.
        let lit = '';
        while (pos < fmt.length) {
            if (fmt[pos] === '%') {
                if (fmt[pos + 1] === '%') {
                    lit += '%';
                    pos += 2;
                    continue;
                }
                break;
            }
            lit += fmt[pos++];
        }
        if (lit) parts.push({ kind: 'Constant', value: { type: 'str', value: lit }, ...at });
        if (pos >= fmt.length) break;
        if (cnt >= elts.length) return null;
        pos++;
        const spec = parseSpec(fmt, pos);
        if (!spec) return null;
        pos = spec.pos;
        if (spec.conv !== 's' && spec.conv !== 'r' && spec.conv !== 'a') return null;
        let specText = '';
        if (!spec.ljust && spec.width > 0) specText += '>';
        if (spec.width >= 0) specText += String(spec.width);
        if (spec.prec >= 0) specText += '.' + String(spec.prec);
        const arg = elts[cnt++];
        parts.push({
            kind: 'FormattedValue',
            value: arg,
            conversion: spec.conv.charCodeAt(0),
            formatSpec: specText ? { kind: 'JoinedStr', values: [{ kind: 'Constant', value: { type: 'str', value: specText }, ...at }], ...at } : null,
            line: arg.line,
            col: arg.col,
            endLine: arg.endLine,
            endCol: arg.endCol,
        });
    }
    if (cnt < elts.length) return null;
    return { kind: 'JoinedStr', values: parts, ...at };
}

/** simple_format_arg_parse: flags, up to 2 width digits, optional precision, one conversion char. */
function parseSpec(fmt: string, pos: number): { pos: number; conv: string; ljust: boolean; width: number; prec: number } | null {
    let ljust = false;
    let width = -1;
    let prec = -1;
    let ch: string;
    const next = (): boolean => {
        if (pos >= fmt.length) return false;
        ch = fmt[pos++];
        return true;
    };
    for (;;) {
        if (!next()) return null;
        if (ch! === '-') ljust = true;
        else if (ch! === '+' || ch! === ' ' || ch! === '#' || ch! === '0') continue;
        else break;
    }
    if (ch! >= '0' && ch! <= '9') {
        width = 0;
        let digits = 0;
        while (ch! >= '0' && ch! <= '9') {
            width = width * 10 + Number(ch!);
            if (!next()) return null;
            if (++digits >= MAXDIGITS) return null;
        }
    }
    if (ch! === '.') {
        if (!next()) return null;
        prec = 0;
        let digits = 0;
        while (ch! >= '0' && ch! <= '9') {
            prec = prec * 10 + Number(ch!);
            if (!next()) return null;
            if (++digits >= MAXDIGITS) return null;
        }
    }
    return { pos, conv: ch!, ljust, width, prec };
}
