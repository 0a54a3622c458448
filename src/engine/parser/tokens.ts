/*
 * tokens.ts
 *
 * The tokens produced by tokenizer.ts. Kinds follow CPython's `token` module where they exist
 * (NAME, NUMBER, STRING, OP, NEWLINE, NL, INDENT, DEDENT, ENDMARKER); `Keyword` is split from
 * `Name` for the hard keywords only (soft keywords such as `match` and `type` stay names), and
 * `Error` stands in for text the tokenizer already reported, so that the parser can skip it
 * without reporting a second error at the same place.
 */

import type { ConstantValue, Range } from './ast';

export type TokenKind =
    | 'Name'
    | 'Keyword'
    | 'Number'
    | 'String'
    | 'Op'
    | 'Newline'
    | 'NL'
    | 'Indent'
    | 'Dedent'
    | 'EndOfFile'
    | 'Error';

/** String prefix flags, decoded from any mix of r/b/u/f in either case. */
export interface StringFlags {
    raw: boolean;
    bytes: boolean;
    format: boolean;
    unicode: boolean;
    /** 1 or 3. */
    quoteLength: number;
    quote: '"' | "'";
}

export interface Token extends Range {
    kind: TokenKind;
    /** Offsets into the source (UTF-16 code units), end exclusive. */
    start: number;
    end: number;
    /** Source text of the token (for Name/Keyword/Op this is the identifier or operator). */
    text: string;
    /** Number tokens: the literal's value. */
    number?: ConstantValue;
    /** String tokens: prefix and quotes, and where the body lies in the source. */
    string?: StringToken;
}

export interface StringToken {
    flags: StringFlags;
    /** Offsets of the body (between the quotes). */
    bodyStart: number;
    bodyEnd: number;
    /** Decoded value for non-f-strings (string for str, Uint8Array for bytes). f-strings: undefined. */
    value?: string | Uint8Array;
    /** An f-string only 3.12's tokenizer reads as one (PEP 701), and why. */
    pep701?: Pep701;
}

/**
 * What makes an f-string PEP 701 syntax: `quote`, the older tokenizers end the string early (at
 * `at`, after the quote a nested string reuses); `backslash`, `comment`, `newline`: one inside a
 * replacement field (at `at`; a newline makes a single-quoted string unterminated to them).
 */
export interface Pep701 {
    kind: 'quote' | 'backslash' | 'comment' | 'newline';
    at: number;
}

/** A `#` comment, kept aside for tools (the text excludes the `#`). */
export interface Comment {
    line: number;
    col: number;
    text: string;
}

/** Python 3 hard keywords. `True`/`False`/`None` are keywords too (they parse as constants). */
export const KEYWORDS: ReadonlySet<string> = new Set([
    'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
    'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
    'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
