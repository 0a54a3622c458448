/*
 * compileErrors.ts
 *
 * SyntaxErrors a profile's compiler raises for a scenario that other profiles accept: the file is
 * valid Python for some versions only (the parser and scope analysis accept the union). CPython
 * compiles the whole main module before running any of it, so such an error means nothing runs:
 * PyErr_Print shows the SyntaxError and the interpreter shuts down (exit status 1).
 *
 * Generators under 2.7: `yield from` is a parse error ("invalid syntax" at `from`), and a
 * `return value` in a generator is refused by symtable.c ("'return' with argument inside
 * generator"); the parser's error comes first.
 */

import type * as ast from '../parser/ast';
import type { Scope } from '../parser/scopes';
import type { Interpreter } from './interpreter';
import { msg } from '../messages';
import { EngineStop } from './signals';
import { pgenOverflow } from '../parser/pgenStack';

export interface CompileError {
    message: string;
    line: number;
    /** 1-based column for the caret, or 0 for none. */
    col: number;
    /** What is printed instead of a SyntaxError (the parser stack's MemoryError). */
    stderr?: string;
}

/** What an older compiler says about a feature it lacks (message; the caret is the parser's column). */
const GATED_MESSAGES: Record<ast.SyntaxFeature, string> = {
    starredSubscript: 'invalid syntax',
    // Python 3 syntax under 2.7 (parse(..., { python2: true })): its parser's one message.
    fstring: 'invalid syntax',
    stringPrefix: 'invalid syntax',
    underscoreNumber: 'invalid syntax',
    kwOnlyParams: 'invalid syntax',
    posOnlyParams: 'invalid syntax',
    annotations: 'invalid syntax',
    nonlocal: 'invalid syntax',
    raiseFrom: 'invalid syntax',
    starred: 'invalid syntax',
    unpacking: 'invalid syntax',
    walrus: 'invalid syntax',
    matMult: 'invalid syntax',
    classKeywords: 'invalid syntax',
    async: 'invalid syntax',
    parenthesizedWith: 'invalid syntax',
    exceptStar: 'invalid syntax',
    printFunction: 'invalid syntax',
    pep701: 'invalid syntax', // (each gate carries its own, per compiler style)
    positionalAfterStar: 'only named arguments may follow *expression',
};

/** The first SyntaxError this profile's compiler raises for the scenario, or null. */
export function profileSyntaxError(it: Interpreter, module: ast.Module): CompileError | null {
    const gated = module.gated?.find((g) => !it.profile.syntax.has(g.feature));
    const generators = generatorSyntaxError(it);
    const overflow = parserStackOverflow(it, module);
    if (overflow) {
        // The parser reads in source order: a syntax error of an earlier statement is met first.
        const parseError = [gated, generators?.col ? generators : null].find((e) => e && e.line < overflow.line);
        if (!parseError) return overflow;
    }
    const literal = longLiteralError(it, module);
    if (literal) return literal;
    if (gated && (!generators || gated.line < generators.line || (gated.line === generators.line && gated.col < generators.col))) {
        if (gated.styles) {
            const e = gated.styles[it.profile.fstringErrors];
            if (!e) throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: the SyntaxError Python ${it.profile.fullVersion} gives for ${gated.refused ?? 'this f-string (PEP 701 syntax)'}`, line: gated.line, col: gated.col });
            return e;
        }
        return { message: GATED_MESSAGES[gated.feature], line: gated.line, col: gated.col };
    }
    return generators;
}

/**
 * Parser/parser.c's s_push refusing an entry past MAXSTACK (2.7, 3.8; pgenStack.ts): it prints
 * its message itself, and the parse fails with a MemoryError, which PyErr_Print shows without a
 * traceback. (3.8 parses an f-string's field again on a stack of its own: same message.)
 */
function parserStackOverflow(it: Interpreter, module: ast.Module): CompileError | null {
    const limit = it.profile.pgenParserStack;
    if (!limit) return null;
    const { overflowLine } = pgenOverflow(module, it.sourceLines, it.profile.grammar === 'python2' ? '2.7' : '3.8', limit);
    if (overflowLine === null) return null;
    return { message: 'parser stack overflow', line: overflowLine, col: 0, stderr: 's_push: parser stack overflow\nMemoryError\n' };
}

/** The compiler's PyLong_FromString of a decimal literal over the default int/str digit limit. */
function longLiteralError(it: Interpreter, module: ast.Module): CompileError | null {
    const limit = it.profile.intMaxStrDigits;
    const lit = limit ? module.longDecimalLiterals?.find((l) => l.digits > limit) : undefined;
    if (!lit) return null;
    const message = msg(it.profile, 'strIntLimit', String(limit), String(lit.digits)) + ' - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.';
    const caret = it.profile.intLiteralLimitCaret;
    const indent = (it.sourceLines[lit.line - 1] ?? '').length - (it.sourceLines[lit.line - 1] ?? '').replace(/^\s+/, '').length;
    return { message, line: lit.line, col: caret === 'literal' ? lit.col : caret === 'line-start' ? indent + 1 : 0 };
}

function generatorSyntaxError(it: Interpreter): CompileError | null {
    if (it.profile.generatorReturnValue) return null;
    let yieldFrom: ast.Range | null = null;
    let returnValue: ast.Range | null = null;
    const visit = (s: Scope): void => {
        if (s.yieldFromAt && (!yieldFrom || before(s.yieldFromAt, yieldFrom))) yieldFrom = s.yieldFromAt;
        if (s.generator && s.returnValueAt && (!returnValue || before(s.returnValueAt, returnValue))) returnValue = s.returnValueAt;
        s.children.forEach(visit);
    };
    visit(it.scopes.module);
    const yf = yieldFrom as ast.Range | null;
    if (yf) return { message: 'invalid syntax', line: yf.line, col: yf.col + 'yield fro'.length };
    const rv = returnValue as ast.Range | null;
    if (rv) return { message: "'return' with argument inside generator", line: rv.line, col: 0 };
    return null;
}

function before(a: ast.Range, b: ast.Range): boolean {
    return a.line < b.line || (a.line === b.line && a.col < b.col);
}

/** What PyErr_Print writes for a SyntaxError raised while compiling the main module. */
export function formatCompileError(it: Interpreter, e: CompileError): string {
    if (e.stderr !== undefined) return e.stderr;
    const src = it.sourceLines[e.line - 1] ?? '';
    const trimmed = src.replace(/^\s+/, '');
    let out = `  File "${it.fileName}", line ${e.line}\n    ${trimmed}\n`;
    if (e.col > 0) out += `    ${' '.repeat(Math.max(0, e.col - 1 - (src.length - trimmed.length)))}^\n`;
    return out + `SyntaxError: ${e.message}\n`;
}
