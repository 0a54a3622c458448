/*
 * tracebackCarets.ts
 *
 * PEP 657 (3.11+): a traceback entry underlines the expression that raised, from the
 * instruction's source positions. Two printers do it differently:
 *   - the C printer (Python/traceback.c: print_error_location_carets), used for every traceback
 *     in 3.11/3.12 and for unraisable / atexit errors in 3.13 (where it prints no carets at all);
 *   - the traceback module (StackSummary.format_frame_summary), used by 3.13's sys.excepthook.
 * Both skip the carets when the expression spans the whole stripped line and has no anchors.
 * Anchors split the range: `~` for operands, `^` for the operator of a binary operation, the
 * `[...]` of a subscript and (traceback module only) the `(...)` of a call.
 */

import type * as ast from '../parser/ast';
import { parse } from '../parser/parser';
import type { CaretStyle } from '../profiles';

const INDENT = '    ';

/** [start, end) of the `^` part inside the node, as 0-based offsets in its first line, or null. */
function anchors(node: ast.Range, line: string, style: CaretStyle): [number, number] | null {
    const n = node as ast.Expr;
    const end = node.endLine === node.line ? node.endCol - 1 : line.length;
    if (n.kind === 'BinOp') {
        if (n.left.endLine !== node.line) return null;
        let p = n.left.endCol - 1;
        while (p < end && (line[p] === ' ' || line[p] === ')')) p++;
        let q = p;
        while (q < end && '+-*/%@&|^<>='.includes(line[q])) q++;
        return q > p ? [p, q] : null;
    }
    const opener = n.kind === 'Subscript' ? '[' : n.kind === 'Call' && style.callAnchors ? '(' : null;
    if (!opener) return null;
    const head = n.kind === 'Subscript' ? n.value : (n as ast.Call).func;
    if (head.endLine !== node.line) return null;
    let p = head.endCol - 1;
    while (p < end && line[p] !== opener) p++;
    return p < end ? [p, end] : null;
}

/**
 * The source line(s) of a traceback entry with their caret lines (each line ends with `\n`), as
 * `style` prints them; `source` is the file's lines, `line` the entry's line.
 */
export function sourceWithCarets(source: readonly string[], line: number, node: ast.Range | null, style: CaretStyle | null): string {
    const text = source[line - 1];
    if (text === undefined || !text.trim()) return '';
    const stripped = text.trim();
    const first = INDENT + stripped + '\n';
    if (!style || !node || node.line !== line) return first;
    const lead = text.length - text.trimStart().length;
    const start = node.col - 1;
    const multi = node.endLine > node.line;
    const end = multi ? text.trimEnd().length : node.endCol - 1;
    if (end <= start) return first;
    const lines: string[] = [];
    for (let l = node.line; l <= node.endLine; l++) lines.push(source[l - 1] ?? '');
    const dedent = Math.min(...lines.filter((x) => x.trim()).map((x) => x.length - x.trimStart().length));
    if (style.callStatementElision && isCallStatement(lines, dedent, node)) return multi && style.multiLine ? lines.map((x) => INDENT + x.slice(dedent).trimEnd() + '\n').join('') : first;
    const anchor = anchors(node, text, style);
    if (!anchor && start <= lead && end >= lead + stripped.length && !multi) return first;
    // Past the first line a range's anchor (a call's or subscript's brackets) covers everything.
    const caretsFor = (from: number, to: number, isFirst: boolean): string => {
        let s = '';
        for (let i = from; i < to; i++) s += anchor && isFirst && (i < anchor[0] || i >= anchor[1]) ? '~' : '^';
        return s;
    };
    if (!multi || !style.multiLine) return first + INDENT + ' '.repeat(start - lead) + caretsFor(start, end, true) + '\n';
    // The traceback module (3.13) prints every line of the range, dedented together, each underlined.
    let out = '';
    lines.forEach((lt, k) => {
        const from = k === 0 ? start : lt.length - lt.trimStart().length;
        const to = k === lines.length - 1 ? node.endCol - 1 : lt.trimEnd().length;
        out += INDENT + lt.slice(dedent).trimEnd() + '\n';
        if (to > from) out += INDENT + ' '.repeat(from - dedent) + caretsFor(from, to, k === 0) + '\n';
    });
    return out;
}

/**
 * `_should_show_carets`: the range's lines parse to `name = call(...)` or `return name(...)` whose
 * call is exactly the range.
 */
function isCallStatement(lines: string[], dedent: number, node: ast.Range): boolean {
    let text = lines.map((x) => x.slice(dedent)).join('\n') + '\n';
    // Our parser refuses `return` outside a function (CPython's ast.parse does not): read it as an
    // assignment of the same width.
    const isReturn = /^return\b/.test(text);
    if (isReturn) text = '_ret =' + text.slice(6);
    const parsed = parse(text);
    if (parsed.diagnostics.length || !parsed.module.body.length) return false;
    const st = parsed.module.body[0];
    if (st.kind !== 'Assign' || st.targets.length !== 1 || st.targets[0].kind !== 'Name' || st.value.kind !== 'Call') return false;
    if (isReturn && st.value.func.kind !== 'Name') return false;
    const value = st.value;
    return value.line === 1 && value.endLine === lines.length && value.col - 1 === node.col - 1 - dedent && value.endCol - 1 === node.endCol - 1 - dedent;
}
