/*
 * sourceSpans.ts
 *
 * Turns the report's 1-based (line, column) points into 0-based ranges an editor can underline:
 * from the point to the end of the expression that starts there (a dotted name and its call or
 * subscript, or a bracketed display), never past the line. Pure.
 */

export interface Span {
    /** 0-based. */
    startLine: number;
    startCol: number;
    endLine: number;
    endCol: number;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** End column (0-based, exclusive) of the bracket group starting at `i`, or -1 when unbalanced on this line. */
function matchBrackets(text: string, i: number): number {
    const stack: string[] = [];
    let quote = '';
    for (let k = i; k < text.length; k++) {
        const c = text[k];
        if (quote) {
            if (c === '\\') k++;
            else if (c === quote) quote = '';
            continue;
        }
        if (c === '"' || c === "'") quote = c;
        else if (c === '#') return -1;
        else if (OPEN[c]) stack.push(OPEN[c]);
        else if (c === ')' || c === ']' || c === '}') {
            if (stack.pop() !== c) return -1;
            if (!stack.length) return k + 1;
        }
    }
    return -1;
}

/** The code part of a line (without a trailing comment and trailing blanks). */
export function codeEnd(text: string): number {
    let quote = '';
    for (let k = 0; k < text.length; k++) {
        const c = text[k];
        if (quote) {
            if (c === '\\') k++;
            else if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '#') return text.slice(0, k).trimEnd().length;
    }
    return text.trimEnd().length;
}

/** The expression starting at 1-based (line, column); a whole-line span when the column is unknown. */
export function spanAt(lines: readonly string[], line: number, column: number): Span {
    const ln = Math.min(Math.max(line, 1), Math.max(lines.length, 1)) - 1;
    const text = lines[ln] ?? '';
    const indent = text.length - text.trimStart().length;
    if (column < 1 || column - 1 >= text.length) {
        return { startLine: ln, startCol: indent, endLine: ln, endCol: Math.max(codeEnd(text), indent) };
    }
    const start = column - 1;
    let k = start;
    while (k < text.length && /[\w.]/.test(text[k])) k++;
    while (k < text.length && OPEN[text[k]]) {
        const end = matchBrackets(text, k);
        if (end < 0) break;
        k = end;
        while (k < text.length && /[\w.]/.test(text[k])) k++;
    }
    if (k === start) {
        // A string or an operator: underline up to the end of the code on the line.
        k = Math.max(codeEnd(text), start + 1);
    }
    return { startLine: ln, startCol: start, endLine: ln, endCol: Math.min(k, text.length) };
}
