/*
 * legacyStatements.ts
 *
 * CPython 3.8 and 3.9's custom message for Python 2's print and exec statements (Objects/
 * exceptions.c, SyntaxError_init → _report_missing_parentheses, issue #21669). It is not a grammar
 * rule: every SyntaxError (not its IndentationError/TabError subclasses) whose source line has no
 * `(` and starts, after blanks or after its first `:`, with `print ` or `exec ` gets its message
 * replaced. The print suggestion is the rest of the line up to a `;`, stripped, with ` end=" "`
 * when it ends in a comma. 3.10+ dropped it for grammar rules (invalid_legacy_expression), whose
 * `Did you mean print(...)?` the parser gives itself.
 */

/** _report_missing_parentheses: the replaced message for an error on `line`, or null. */
export function legacyStatementMessage(line: string): string | null {
    if (line.includes('(')) return null;
    const simple = checkLegacyStatements(line, 0);
    if (simple !== null) return simple;
    const colon = line.indexOf(':');
    return colon >= 0 ? checkLegacyStatements(line, colon + 1) : null;
}

/** _check_for_legacy_statements: `print ` or `exec ` at `start` once blanks are skipped. */
function checkLegacyStatements(text: string, start: number): string | null {
    while (start < text.length && (text[start] === ' ' || text[start] === '\t')) start++;
    if (start === text.length) return null;
    if (text.startsWith('print ', start)) return printStatementMessage(text, start);
    if (text.startsWith('exec ', start)) return "Missing parentheses in call to 'exec'";
    return null;
}

/** _set_legacy_print_statement_msg: the arguments after `print `, up to a `;`, stripped of " \t\r\n". */
function printStatementMessage(text: string, start: number): string {
    const from = start + 6;
    const semicolon = text.indexOf(';', from);
    const data = text.slice(from, semicolon < 0 ? text.length : semicolon).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    const end = data.endsWith(',') ? ' end=" "' : '';
    return `Missing parentheses in call to 'print'. Did you mean print(${data}${end})?`;
}
