/*
 * tokenizer.ts
 *
 * A Python 3 tokenizer modelled on CPython's Parser/tokenizer.c: an indentation stack that turns
 * leading whitespace into INDENT/DEDENT (tabs advance to the next multiple of 8, and a second
 * "alternate" column with tabs counting 1 detects inconsistent tab/space mixes, as CPython does),
 * NEWLINE for the end of a logical line and NL for blank lines and newlines inside brackets,
 * implicit joining inside brackets and backslash continuation.
 *
 * It never throws. Every problem becomes a diagnostic, and an `Error` token is left in the stream
 * so that the parser skips the rest of the logical line without reporting the same problem twice.
 *
 * Columns are 1-based and count UTF-16 code units (CPython counts UTF-8 bytes; for ASCII source
 * both agree).
 */

import type { ConstantValue, ParseDiagnostic } from './ast';
import { KEYWORDS, type Comment, type Pep701, type StringFlags, type Token, type TokenKind } from './tokens';

export interface TokenizeResult {
    tokens: Token[];
    comments: Comment[];
    diagnostics: ParseDiagnostic[];
    /** Number of physical lines (a final line without newline counts). */
    lineCount: number;
}

/** Used by the parser to tokenize the expression parts of f-strings in place. */
export interface SubTokenizeOptions {
    start: number;
    end: number;
    line: number;
    lineStart: number;
}

/** CPython's MAXINDENT and MAXLEVEL. */
const MAX_INDENT = 100;
const MAX_BRACKETS = 200;
const TAB_SIZE = 8;

const enum Ch {
    Tab = 9,
    LineFeed = 10,
    FormFeed = 12,
    CarriageReturn = 13,
    Space = 32,
    Bang = 33,
    DoubleQuote = 34,
    Hash = 35,
    SingleQuote = 39,
    Dot = 46,
    Zero = 48,
    Nine = 57,
    Backslash = 92,
    Underscore = 95,
}

const THREE_CHAR_OPS = new Set(['**=', '//=', '>>=', '<<=', '...']);
const TWO_CHAR_OPS = new Set([
    '**', '//', '>>', '<<', '<=', '>=', '==', '!=', '->', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', ':=',
]);
const ONE_CHAR_OPS = new Set('+-*/%@&|^~<>()[]{},:.;=!');
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Names a number may run into without a space (`1if x else 2`), accepted by CPython with a warning. */
const NUMBER_FOLLOWERS = ['and', 'else', 'for', 'if', 'in', 'is', 'not', 'or'];

/** Where the first comment, backslash and newline of an f-string's replacement fields are. */
interface FStringNotes {
    /** A nested string of the f-string's own quotes left open: where it starts. */
    expectingBrace?: number;
    comment?: number;
    backslash?: number;
    newline?: number;
}

interface IndentLevel {
    col: number;
    altcol: number;
    /** Pushed to recover from a bad dedent: popping it emits no DEDENT (no INDENT was emitted). */
    synthetic: boolean;
}

interface OpenBracket {
    ch: string;
    line: number;
    col: number;
}

export function isIdentifierStartCode(c: number): boolean {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === Ch.Underscore;
}

export function isIdentifierCharCode(c: number): boolean {
    return isIdentifierStartCode(c) || (c >= Ch.Zero && c <= Ch.Nine);
}

const NON_ASCII_START = /^[\p{XID_Start}]$/u;
const NON_ASCII_CONTINUE = /^[\p{XID_Continue}]$/u;

function isDigit(c: number): boolean {
    return c >= Ch.Zero && c <= Ch.Nine;
}

function isHexDigit(c: number): boolean {
    return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * `python2`: Python 2.7's tokenizer (Parser/tokenizer.c of 2.7): `<>` and the backtick are
 * operators, `0777` is an octal literal, `10L` a long one, and `ur''` a string prefix.
 */
export function tokenize(source: string, sub?: SubTokenizeOptions, python2 = false): TokenizeResult {
    return new Tokenizer(source, sub, python2).run();
}

class Tokenizer {
    private readonly _src: string;
    private _pos: number;
    private readonly _end: number;
    private _line: number;
    private _lineStart: number;
    private readonly _tokens: Token[] = [];
    private readonly _comments: Comment[] = [];
    private readonly _diagnostics: ParseDiagnostic[] = [];
    private readonly _indents: IndentLevel[] = [{ col: 0, altcol: 0, synthetic: false }];
    private readonly _brackets: OpenBracket[] = [];
    private _atLineStart = true;
    /** Sub-tokenizers (f-string expressions) behave as if inside one pair of brackets. */
    private readonly _isSub: boolean;
    /** True once the current logical line has a token (so NEWLINE is due at its end). */
    private _lineHasContent = false;

    constructor(source: string, sub: SubTokenizeOptions | undefined, private readonly _python2: boolean) {
        this._src = source;
        this._isSub = sub !== undefined;
        this._pos = sub ? sub.start : 0;
        this._end = sub ? sub.end : source.length;
        this._line = sub ? sub.line : 1;
        this._lineStart = sub ? sub.lineStart : 0;
        this._atLineStart = !this._isSub;
        // A UTF-8 byte order mark is not part of the program.
        if (!sub && source.charCodeAt(0) === 0xfeff) {
            this._pos = 1;
            this._lineStart = 1;
        }
    }

    run(): TokenizeResult {
        while (this._step()) {
            // each step consumes at least one character or finishes
        }
        this._finish();
        return {
            tokens: this._tokens,
            comments: this._comments,
            diagnostics: this._diagnostics,
            lineCount: this._line,
        };
    }

    private get _inBrackets(): boolean {
        return this._isSub || this._brackets.length > 0;
    }

    /** Scans one token (or one blank line); returns false at the end of input. */
    private _step(): boolean {
        if (this._atLineStart) {
            this._atLineStart = false;
            if (this._handleLineStart()) {
                return this._pos < this._end;
            }
        }
        this._skipSpaces();
        if (this._pos >= this._end) {
            return false;
        }
        const c = this._src.charCodeAt(this._pos);
        if (c === Ch.Hash) {
            this._scanComment();
        } else if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
            this._scanNewline(this._inBrackets ? 'NL' : 'Newline');
        } else if (c === Ch.Backslash) {
            this._scanContinuation();
        } else if (isDigit(c) || (c === Ch.Dot && isDigit(this._src.charCodeAt(this._pos + 1)))) {
            this._scanNumber();
        } else if (c === Ch.SingleQuote || c === Ch.DoubleQuote) {
            this._scanString(this._pos, this._pos);
        } else if (isIdentifierStartCode(c) || c >= 128) {
            this._scanNameOrString();
        } else {
            this._scanOperator();
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Lines and indentation

    /**
     * Measures the indentation of a new physical line. Blank and comment-only lines produce NL and
     * never touch the indentation stack. Returns true when the whole line was consumed.
     */
    private _handleLineStart(): boolean {
        let col = 0;
        let altcol = 0;
        let p = this._pos;
        for (; p < this._end; p++) {
            const c = this._src.charCodeAt(p);
            if (c === Ch.Space) {
                col++;
                altcol++;
            } else if (c === Ch.Tab) {
                col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE;
                altcol++;
            } else if (c === Ch.FormFeed) {
                col = altcol = 0;
            } else {
                break;
            }
        }
        this._pos = p;
        const c = p < this._end ? this._src.charCodeAt(p) : -1;
        if (c === -1 || c === Ch.Hash || c === Ch.LineFeed || c === Ch.CarriageReturn) {
            if (c === Ch.Hash) {
                this._scanComment();
            }
            if (this._pos < this._end) {
                this._scanNewline('NL');
            }
            return true;
        }
        if (!this._inBrackets) {
            this._applyIndentation(col, altcol);
        }
        return false;
    }

    private _applyIndentation(col: number, altcol: number): void {
        const top = this._indents[this._indents.length - 1];
        if (col === top.col) {
            if (altcol !== top.altcol) {
                this._tabError();
            }
            return;
        }
        if (col > top.col) {
            if (this._indents.length >= MAX_INDENT) {
                this._errorToken('too many levels of indentation', this._pos, this._pos + 1);
                return;
            }
            if (altcol <= top.altcol) {
                this._tabError();
            }
            this._indents.push({ col, altcol, synthetic: false });
            this._pushToken('Indent', this._lineStart, this._pos);
            return;
        }
        while (this._indents.length > 1 && col < this._indents[this._indents.length - 1].col) {
            const popped = this._indents.pop()!;
            if (!popped.synthetic) {
                this._pushToken('Dedent', this._pos, this._pos);
            }
        }
        const now = this._indents[this._indents.length - 1];
        if (col !== now.col) {
            // Keep going as if this column were a level of its own, so later lines agree with it.
            this._indents.push({ col, altcol, synthetic: true });
            this._errorToken('unindent does not match any outer indentation level', this._pos, this._pos + 1);
        } else if (altcol !== now.altcol) {
            this._tabError();
        }
    }

    private _tabError(): void {
        this._errorToken('inconsistent use of tabs and spaces in indentation', this._pos, this._pos + 1);
    }

    private _scanNewline(kind: 'NL' | 'Newline'): void {
        const start = this._pos;
        const c = this._src.charCodeAt(this._pos);
        this._pos += c === Ch.CarriageReturn && this._src.charCodeAt(this._pos + 1) === Ch.LineFeed ? 2 : 1;
        if (kind === 'Newline' && !this._lineHasContent) {
            kind = 'NL';
        }
        this._pushToken(kind, start, this._pos);
        if (kind === 'Newline') {
            this._lineHasContent = false;
        }
        this._newLine();
        this._atLineStart = true;
    }

    /** Records that a physical line ended just before `_pos`. */
    private _newLine(): void {
        this._line++;
        this._lineStart = this._pos;
    }

    private _scanContinuation(): void {
        const start = this._pos;
        this._pos++;
        const c = this._src.charCodeAt(this._pos);
        if (c === Ch.CarriageReturn || c === Ch.LineFeed) {
            const col = start - this._lineStart + 1;
            const line = this._line;
            this._pos += c === Ch.CarriageReturn && this._src.charCodeAt(this._pos + 1) === Ch.LineFeed ? 2 : 1;
            this._newLine();
            if (this._pos >= this._end && !this._isSub) {
                this._diagnostic('unexpected EOF while parsing', line, col, line, col + 1);
                this._pushTokenAt('Error', start, start + 1, line, col);
            }
            return;
        }
        if (this._pos >= this._end) {
            this._errorToken('unexpected EOF while parsing', start, start + 1);
            return;
        }
        this._errorToken('unexpected character after line continuation character', start, start + 1);
    }

    private _skipSpaces(): void {
        while (this._pos < this._end) {
            const c = this._src.charCodeAt(this._pos);
            if (c !== Ch.Space && c !== Ch.Tab && c !== Ch.FormFeed) {
                return;
            }
            this._pos++;
        }
    }

    private _scanComment(): void {
        const start = this._pos;
        while (this._pos < this._end) {
            const c = this._src.charCodeAt(this._pos);
            if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
                break;
            }
            this._pos++;
        }
        this._comments.push({
            line: this._line,
            col: start - this._lineStart + 1,
            text: this._src.slice(start + 1, this._pos),
        });
    }

    /** End of input: close the last logical line, report unclosed brackets, emit DEDENTs. */
    private _finish(): void {
        if (this._isSub) {
            this._pushToken('EndOfFile', this._pos, this._pos);
            return;
        }
        if (this._brackets.length > 0) {
            const open = this._brackets[0];
            this._diagnostic(`'${open.ch}' was never closed`, open.line, open.col, open.line, open.col + 1);
            this._pushToken('Error', this._pos, this._pos);
            this._lineHasContent = true;
        }
        if (this._lineHasContent) {
            this._pushToken('Newline', this._pos, this._pos);
            this._lineHasContent = false;
        }
        while (this._indents.length > 1) {
            if (!this._indents.pop()!.synthetic) {
                this._pushToken('Dedent', this._pos, this._pos);
            }
        }
        this._pushToken('EndOfFile', this._pos, this._pos);
    }

    // ------------------------------------------------------------------------------------------
    // Names

    private _scanNameOrString(): void {
        const start = this._pos;
        let ascii = true;
        while (this._pos < this._end) {
            const c = this._src.charCodeAt(this._pos);
            if (isIdentifierCharCode(c)) {
                this._pos++;
                continue;
            }
            if (c < 128) {
                break;
            }
            const cp = this._src.codePointAt(this._pos)!;
            const ch = String.fromCodePoint(cp);
            const ok = this._pos === start ? NON_ASCII_START.test(ch) : NON_ASCII_CONTINUE.test(ch);
            if (!ok) {
                break;
            }
            ascii = false;
            this._pos += ch.length;
        }
        if (this._pos === start) {
            this._invalidCharacter();
            return;
        }
        const q = this._src.charCodeAt(this._pos);
        if ((q === Ch.SingleQuote || q === Ch.DoubleQuote) && this._pos - start <= 2 && ascii) {
            if (parseStringPrefix(this._src.slice(start, this._pos), this._python2) !== null) {
                this._scanString(start, this._pos);
                return;
            }
        }
        let text = this._src.slice(start, this._pos);
        if (!ascii) {
            // Python identifiers are compared after NFKC normalization (PEP 3131).
            text = text.normalize('NFKC');
        }
        // 2.7: True and False are names of __builtin__ (assignable, LOAD_NAME'd); None is not.
        const keyword = KEYWORDS.has(text) && !(this._python2 && (text === 'True' || text === 'False'));
        this._pushToken(keyword ? 'Keyword' : 'Name', start, this._pos, text);
    }

    private _invalidCharacter(): void {
        const start = this._pos;
        const cp = this._src.codePointAt(start)!;
        const ch = String.fromCodePoint(cp);
        this._pos += ch.length;
        const hex = cp.toString(16).toUpperCase().padStart(4, '0');
        if (cp === 0) {
            this._errorToken('source code cannot contain null bytes', start, this._pos);
        } else if (cp < 32 || cp === 127 || (cp >= 0x80 && cp <= 0xa0) || cp === 0xad) {
            this._errorToken(`invalid non-printable character U+${hex}`, start, this._pos);
        } else if (cp < 128) {
            this._errorToken('invalid syntax', start, this._pos);
        } else {
            this._errorToken(`invalid character '${ch}' (U+${hex})`, start, this._pos);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Operators and brackets

    private _scanOperator(): void {
        const start = this._pos;
        const s3 = this._src.substr(start, 3);
        let len = 0;
        if (this._python2 && (s3.startsWith('<>') || s3.charAt(0) === '`')) {
            len = s3.charAt(0) === '`' ? 1 : 2;
        } else if (THREE_CHAR_OPS.has(s3)) {
            len = 3;
        } else if (TWO_CHAR_OPS.has(s3.slice(0, 2))) {
            len = 2;
        } else if (ONE_CHAR_OPS.has(s3.charAt(0))) {
            len = 1;
        }
        if (len === 0) {
            this._invalidCharacter();
            return;
        }
        const op = s3.slice(0, len);
        this._pos += len;
        if (len === 1 && !this._trackBracket(op, start)) {
            return;
        }
        this._pushToken('Op', start, this._pos, op);
    }

    /** Maintains the bracket stack; returns false when the bracket was reported as an error token. */
    private _trackBracket(op: string, start: number): boolean {
        if (op === '(' || op === '[' || op === '{') {
            // Brackets past the limit are still counted so that the matching closers balance.
            // tok_get refuses a bracket when MAXLEVEL are already open: 200 nest, the 201st fails.
            this._brackets.push({ ch: op, line: this._line, col: start - this._lineStart + 1 });
            if (this._brackets.length === MAX_BRACKETS + 1) {
                this._errorToken('too many nested parentheses', start, this._pos);
                return false;
            }
            return true;
        }
        const opener = CLOSERS[op];
        if (opener === undefined) {
            return true;
        }
        const top = this._brackets[this._brackets.length - 1];
        if (top === undefined) {
            if (this._isSub) {
                return true;
            }
            this._errorToken(`unmatched '${op}'`, start, this._pos);
            return false;
        }
        if (top.ch !== opener) {
            const msg =
                top.line !== this._line
                    ? `closing parenthesis '${op}' does not match opening parenthesis '${top.ch}' on line ${top.line}`
                    : `closing parenthesis '${op}' does not match opening parenthesis '${top.ch}'`;
            this._brackets.pop();
            this._errorToken(msg, start, this._pos);
            return false;
        }
        this._brackets.pop();
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Numbers

    private _scanNumber(): void {
        const start = this._pos;
        const c = this._src.charCodeAt(start);
        const next = this._src.charCodeAt(start + 1) | 0x20;
        if (c === Ch.Zero && (next === 120 || next === 111 || next === 98)) {
            this._scanRadixNumber(start, next === 120 ? 16 : next === 111 ? 8 : 2);
            return;
        }
        if (this._python2 && c === Ch.Zero && isDigit(this._src.charCodeAt(start + 1)) && this._scanOctal27(start)) return;
        let ok = this._scanDigitPart();
        let isFloat = false;
        if (this._src.charCodeAt(this._pos) === Ch.Dot) {
            isFloat = true;
            this._pos++;
            if (isDigit(this._src.charCodeAt(this._pos))) {
                ok = this._scanDigitPart() && ok;
            }
        }
        const e = this._src.charCodeAt(this._pos) | 0x20;
        if (e === 101) {
            const save = this._pos;
            this._pos++;
            const sign = this._src.charCodeAt(this._pos);
            if (sign === 43 || sign === 45) {
                this._pos++;
            }
            if (isDigit(this._src.charCodeAt(this._pos))) {
                isFloat = true;
                ok = this._scanDigitPart() && ok;
            } else {
                // `1else` is `1` followed by `else`; anything else is reported by _checkNumberEnd.
                this._pos = save;
            }
        }
        let imaginary = false;
        if ((this._src.charCodeAt(this._pos) | 0x20) === 106) {
            imaginary = true;
            this._pos++;
        }
        const kindName = imaginary ? 'imaginary' : 'decimal';
        if (!ok || !this._checkNumberEnd()) {
            this._skipNameChars();
            this._errorToken(`invalid ${kindName} literal`, start, this._pos);
            return;
        }
        const text = this._src.slice(start, this._pos);
        if (this._python2 && /[lL]$/.test(text)) {
            if (isFloat || imaginary) this._errorToken('invalid syntax', start, this._pos);
            else this._pushToken('Number', start, this._pos, text).number = { type: 'int', value: BigInt(text.slice(0, -1).replace(/_/g, '')), long: true };
            return;
        }
        const clean = text.replace(/_/g, '');
        let value: ConstantValue;
        if (imaginary) {
            value = { type: 'complex', imag: Number(clean.slice(0, -1)) };
        } else if (isFloat) {
            value = { type: 'float', value: Number(clean) };
        } else {
            if (clean.length > 1 && clean.charCodeAt(0) === Ch.Zero && /[1-9]/.test(clean)) {
                this._errorToken(
                    'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
                    start,
                    this._pos,
                );
                return;
            }
            value = { type: 'int', value: BigInt(clean) };
        }
        this._pushToken('Number', start, this._pos, text).number = value;
    }

    /** digitpart: digit (["_"] digit)*. Returns false on a misplaced underscore. */
    private _scanDigitPart(): boolean {
        let ok = true;
        let prevUnderscore = false;
        while (this._pos < this._end) {
            const c = this._src.charCodeAt(this._pos);
            if (isDigit(c)) {
                prevUnderscore = false;
            } else if (c === Ch.Underscore) {
                if (prevUnderscore) {
                    ok = false;
                }
                prevUnderscore = true;
            } else {
                break;
            }
            this._pos++;
        }
        return ok && !prevUnderscore;
    }

    private _scanRadixNumber(start: number, radix: number): void {
        this._pos = start + 2;
        const name = radix === 16 ? 'hexadecimal' : radix === 8 ? 'octal' : 'binary';
        let digits = 0;
        let ok = true;
        let prevUnderscore = true; // an underscore may follow the prefix directly: 0x_ff
        while (this._pos < this._end) {
            const c = this._src.charCodeAt(this._pos);
            if (c === Ch.Underscore) {
                if (prevUnderscore && digits > 0) {
                    ok = false;
                }
                if (prevUnderscore && digits === 0 && this._pos !== start + 2) {
                    ok = false;
                }
                prevUnderscore = true;
            } else if (radix === 16 ? isHexDigit(c) : c >= Ch.Zero && c < Ch.Zero + radix) {
                digits++;
                prevUnderscore = false;
            } else {
                break;
            }
            this._pos++;
        }
        if (digits === 0 || prevUnderscore || !ok || !this._checkNumberEnd()) {
            this._skipNameChars();
            this._errorToken(`invalid ${name} literal`, start, this._pos);
            return;
        }
        const text = this._src.slice(start, this._pos);
        const long = this._python2 && /[lL]$/.test(text);
        const digitsText = (long ? text.slice(0, -1) : text).replace(/_/g, '');
        this._pushToken('Number', start, this._pos, text).number = long ? { type: 'int', value: BigInt(digitsText), long } : { type: 'int', value: BigInt(digitsText) };
    }

    /**
     * 2.7's `0777`: an octal literal (digits 0-7 only; `08` is "invalid token"). Returns false for a
     * float such as `0777.5` or `09e1`, which the decimal scanner reads.
     */
    private _scanOctal27(start: number): boolean {
        let p = start + 1;
        while (isDigit(this._src.charCodeAt(p))) p++;
        const after = this._src.charCodeAt(p) | 0x20;
        if (this._src.charCodeAt(p) === Ch.Dot || after === 101 || after === 106) return false;
        this._pos = p;
        const long = (this._src.charCodeAt(p) | 0x20) === 108;
        if (long) this._pos++;
        const text = this._src.slice(start, this._pos);
        if (/[89]/.test(text) || !this._checkNumberEnd()) {
            this._skipNameChars();
            this._errorToken('invalid token', start, this._pos);
            return true;
        }
        const value = BigInt('0o' + (text.slice(1).replace(/[lL]$/, '') || '0'));
        this._pushToken('Number', start, this._pos, text).number = long ? { type: 'int', value, long } : { type: 'int', value };
        return true;
    }

    /** A number may not run into a name or digit, except the keywords CPython tolerates (and 2.7's `L` suffix). */
    private _checkNumberEnd(): boolean {
        if (this._python2 && (this._src.charCodeAt(this._pos) | 0x20) === 108 /* l */ && !isIdentifierCharCode(this._src.charCodeAt(this._pos + 1))) {
            this._pos++;
            return true;
        }
        const c = this._src.charCodeAt(this._pos);
        if (!(isIdentifierCharCode(c) || c >= 128)) {
            return true;
        }
        if (c >= 128 && !NON_ASCII_CONTINUE.test(String.fromCodePoint(this._src.codePointAt(this._pos)!))) {
            return true;
        }
        for (const kw of NUMBER_FOLLOWERS) {
            if (this._src.startsWith(kw, this._pos)) {
                return true;
            }
        }
        return false;
    }

    private _skipNameChars(): void {
        while (this._pos < this._end && isIdentifierCharCode(this._src.charCodeAt(this._pos))) {
            this._pos++;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Strings

    /** `start` is where the prefix begins, `quoteAt` the opening quote. */
    private _scanString(start: number, quoteAt: number): void {
        const startLine = this._line;
        const startLineStart = this._lineStart;
        const flags = parseStringPrefix(this._src.slice(start, quoteAt), this._python2)!;
        const q = this._src.charCodeAt(quoteAt);
        flags.quote = q === Ch.DoubleQuote ? '"' : "'";
        flags.quoteLength =
            this._src.charCodeAt(quoteAt + 1) === q && this._src.charCodeAt(quoteAt + 2) === q ? 3 : 1;
        const bodyStart = quoteAt + flags.quoteLength;
        this._pos = bodyStart;
        if (flags.format && !this._python2) {
            this._scanFString(start, quoteAt, flags, startLine, startLineStart);
            return;
        }
        for (;;) {
            if (this._pos >= this._end) {
                this._unterminatedString(start, startLine, startLineStart, flags.quoteLength === 3);
                return;
            }
            const c = this._src.charCodeAt(this._pos);
            if (c === q) {
                if (flags.quoteLength === 1) {
                    break;
                }
                if (this._src.charCodeAt(this._pos + 1) === q && this._src.charCodeAt(this._pos + 2) === q) {
                    break;
                }
                this._pos++;
            } else if (c === Ch.Backslash) {
                this._pos++;
                const n = this._src.charCodeAt(this._pos);
                if (n === Ch.CarriageReturn || n === Ch.LineFeed) {
                    this._pos += n === Ch.CarriageReturn && this._src.charCodeAt(this._pos + 1) === Ch.LineFeed ? 2 : 1;
                    this._newLine();
                } else if (this._pos < this._end) {
                    this._pos++;
                }
            } else if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
                if (flags.quoteLength === 1) {
                    this._unterminatedString(start, startLine, startLineStart, false);
                    return;
                }
                this._pos += c === Ch.CarriageReturn && this._src.charCodeAt(this._pos + 1) === Ch.LineFeed ? 2 : 1;
                this._newLine();
            } else {
                this._pos++;
            }
        }
        const bodyEnd = this._pos;
        this._pos += flags.quoteLength;
        const token = this._pushTokenAt('String', start, this._pos, startLine, start - startLineStart + 1);
        token.string = { flags, bodyStart, bodyEnd };
        if (!flags.format) {
            token.string.value = decodeStringBody(this._src, bodyStart, bodyEnd, flags, (msg, at, unsupported) =>
                this._diagnosticAtOffset(msg, at, startLine, startLineStart, unsupported),
            );
        }
    }

    /**
     * An f-string as 3.12's tokenizer reads it (PEP 701): inside a replacement field, strings of
     * any quotes (the f-string's own included) nest, and comments, backslashes and newlines are
     * allowed. What older tokenizers would have read differently is noted on the token
     * (StringToken.pep701) for the parser to gate.
     */
    private _scanFString(start: number, quoteAt: number, flags: StringFlags, startLine: number, startLineStart: number): void {
        const q = this._src.charCodeAt(quoteAt);
        const triple = flags.quoteLength === 3;
        const bodyStart = this._pos;
        const notes: FStringNotes = {};
        if (!this._scanFStringBody(q, triple, notes)) {
            if (notes.expectingBrace === undefined) {
                this._unterminatedString(start, startLine, startLineStart, triple);
                return;
            }
            this._pos = notes.expectingBrace;
            this._lineStart = startLineStart;
            this._line = startLine;
            this._errorToken("f-string: expecting '}'", start, this._pos);
            this._diagnostics[this._diagnostics.length - 1].col = this._pos - startLineStart + 1;
            this._skipRestOfLine();
            return;
        }
        const bodyEnd = this._pos;
        this._pos += flags.quoteLength;
        const token = this._pushTokenAt('String', start, this._pos, startLine, start - startLineStart + 1);
        token.string = { flags, bodyStart, bodyEnd };
        const oldEnd = this._oldStringEnd(bodyStart, q, triple);
        const pep701: Pep701 | null =
            oldEnd < 0 ? { kind: 'newline', at: notes.newline ?? bodyStart }
                : oldEnd !== this._pos ? { kind: 'quote', at: oldEnd }
                    : notes.backslash !== undefined ? { kind: 'backslash', at: notes.backslash }
                        : notes.comment !== undefined ? { kind: 'comment', at: notes.comment } : null;
        if (pep701) token.string.pep701 = pep701;
    }

    /** The body up to its closing quote (left at `_pos`); false when unterminated. */
    private _scanFStringBody(q: number, triple: boolean, notes: FStringNotes): boolean {
        for (;;) {
            if (this._pos >= this._end) return false;
            const c = this._src.charCodeAt(this._pos);
            if (c === q && (!triple || (this._src.charCodeAt(this._pos + 1) === q && this._src.charCodeAt(this._pos + 2) === q))) return true;
            if (c === Ch.Backslash) {
                this._pos++;
                if (!this._skipNewline()) this._pos++;
            } else if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
                if (!triple) return false;
                this._skipNewline();
            } else if (c === 123 /* { */) {
                this._pos++;
                if (this._src.charCodeAt(this._pos) === 123) this._pos++;
                else if (!this._scanFStringField(q, triple, notes)) return false;
            } else {
                this._pos++;
            }
        }
    }

    /** A replacement field after its `{`, up to and including its `}` (a format spec's fields nest). */
    private _scanFStringField(q: number, triple: boolean, notes: FStringNotes): boolean {
        let depth = 0;
        const fieldStart = this._pos;
        for (;;) {
            if (this._pos >= this._end) return false;
            const c = this._src.charCodeAt(this._pos);
            if (c === Ch.SingleQuote || c === Ch.DoubleQuote) {
                let p = this._pos;
                while (p > fieldStart && /[a-zA-Z]/.test(this._src.charAt(p - 1))) p--;
                const nested = parseStringPrefix(this._src.slice(p, this._pos)) ?? parseStringPrefix('')!;
                const at = this._pos;
                if (!this._scanNestedString(nested.format, nested.raw, notes)) {
                    // 3.12's tokenizer: a string left open inside a field, of the f-string's own
                    // quotes, is the f-string's end with the field still open.
                    const nestedTriple = this._src.charCodeAt(at + 1) === c && this._src.charCodeAt(at + 2) === c;
                    if (c === q && nestedTriple === triple) notes.expectingBrace ??= at;
                    return false;
                }
            } else if (c === Ch.Hash) {
                notes.comment ??= this._pos;
                while (this._pos < this._end && this._src.charCodeAt(this._pos) !== Ch.LineFeed && this._src.charCodeAt(this._pos) !== Ch.CarriageReturn) this._pos++;
            } else if (c === Ch.Backslash) {
                notes.backslash ??= this._pos;
                this._pos++;
            } else if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
                if (!triple) notes.newline ??= this._pos;
                this._skipNewline();
            } else if (c === 40 || c === 91 || c === 123) {
                depth++;
                this._pos++;
            } else if (c === 41 || c === 93) {
                depth--;
                this._pos++;
            } else if (c === 125) {
                this._pos++;
                if (depth-- === 0) return true;
            } else if (c === 58 /* : */ && depth === 0) {
                this._pos++;
                return this._scanFStringSpec(q, triple, notes);
            } else {
                this._pos++;
            }
        }
    }

    /** A format spec: literal text with nested fields, up to and including the field's `}`. */
    private _scanFStringSpec(q: number, triple: boolean, notes: FStringNotes): boolean {
        for (;;) {
            if (this._pos >= this._end) return false;
            const c = this._src.charCodeAt(this._pos);
            if (c === 125) {
                this._pos++;
                return true;
            }
            // The f-string's own closing quote ends it here (the parser reports the open field).
            if (c === q && (!triple || (this._src.charCodeAt(this._pos + 1) === q && this._src.charCodeAt(this._pos + 2) === q))) return true;
            if (c === 123) {
                this._pos++;
                if (!this._scanFStringField(q, triple, notes)) return false;
            } else if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
                if (!triple) return false;
                this._skipNewline();
            } else {
                this._pos += c === Ch.Backslash ? 2 : 1;
            }
        }
    }

    /** A string nested in a replacement field, from its opening quote to after its closing one. */
    private _scanNestedString(format: boolean, raw: boolean, notes: FStringNotes): boolean {
        const q = this._src.charCodeAt(this._pos);
        const triple = this._src.charCodeAt(this._pos + 1) === q && this._src.charCodeAt(this._pos + 2) === q;
        this._pos += triple ? 3 : 1;
        if (format) {
            if (!this._scanFStringBody(q, triple, notes)) return false;
            this._pos += triple ? 3 : 1;
            return true;
        }
        void raw;
        for (;;) {
            if (this._pos >= this._end) return false;
            const c = this._src.charCodeAt(this._pos);
            if (c === q && (!triple || (this._src.charCodeAt(this._pos + 1) === q && this._src.charCodeAt(this._pos + 2) === q))) {
                this._pos += triple ? 3 : 1;
                return true;
            }
            if (c === Ch.Backslash) {
                notes.backslash ??= this._pos;
                this._pos++;
                if (!this._skipNewline()) this._pos++;
            } else if (c === Ch.LineFeed || c === Ch.CarriageReturn) {
                if (!triple) return false;
                this._skipNewline();
            } else {
                this._pos++;
            }
        }
    }

    private _skipRestOfLine(): void {
        while (this._pos < this._end && this._src.charCodeAt(this._pos) !== Ch.LineFeed && this._src.charCodeAt(this._pos) !== Ch.CarriageReturn) this._pos++;
    }

    /** Consumes a newline at `_pos` (counting the line); false if there is none. */
    private _skipNewline(): boolean {
        const c = this._src.charCodeAt(this._pos);
        if (c !== Ch.LineFeed && c !== Ch.CarriageReturn) return false;
        this._pos += c === Ch.CarriageReturn && this._src.charCodeAt(this._pos + 1) === Ch.LineFeed ? 2 : 1;
        this._newLine();
        return true;
    }

    /** Where the tokenizers before 3.12 end the string (after its closing quote), or -1 (unterminated). */
    private _oldStringEnd(bodyStart: number, q: number, triple: boolean): number {
        for (let p = bodyStart; p < this._end; p++) {
            const c = this._src.charCodeAt(p);
            if (c === Ch.Backslash) p++;
            else if (c === q && (!triple || (this._src.charCodeAt(p + 1) === q && this._src.charCodeAt(p + 2) === q))) return p + (triple ? 3 : 1);
            else if (!triple && (c === Ch.LineFeed || c === Ch.CarriageReturn)) return -1;
        }
        return -1;
    }

    private _unterminatedString(start: number, startLine: number, startLineStart: number, triple: boolean): void {
        const what = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
        const col = start - startLineStart + 1;
        this._diagnostic(`${what} (detected at line ${this._line})`, startLine, col, startLine, col + 1);
        const token = this._pushTokenAt('Error', start, this._pos, startLine, col);
        token.text = '';
    }

    /** Position of an offset that lies within a string starting on `line` (which may span lines). */
    private _diagnosticAtOffset(message: string, at: number, line: number, lineStart: number, unsupported = false): void {
        for (let p = lineStart; p < at; p++) {
            const c = this._src.charCodeAt(p);
            if (c === Ch.LineFeed || (c === Ch.CarriageReturn && this._src.charCodeAt(p + 1) !== Ch.LineFeed)) {
                line++;
                lineStart = p + 1;
            }
        }
        const col = at - lineStart + 1;
        this._diagnostic(message, line, col, line, col + 1, unsupported ? 'unsupported' : 'syntax');
    }

    // ------------------------------------------------------------------------------------------
    // Output

    private _pushToken(kind: TokenKind, start: number, end: number, text?: string): Token {
        return this._pushTokenAt(kind, start, end, this._line, start - this._lineStart + 1, text);
    }

    private _pushTokenAt(kind: TokenKind, start: number, end: number, line: number, col: number, text?: string): Token {
        const token: Token = {
            kind,
            start,
            end,
            line,
            col,
            endLine: this._line,
            endCol: end - this._lineStart + 1,
            text: text ?? this._src.slice(start, end),
        };
        if (kind !== 'NL' && kind !== 'Newline' && kind !== 'Dedent' && kind !== 'Indent') {
            this._lineHasContent = true;
        }
        this._tokens.push(token);
        return token;
    }

    private _errorToken(message: string, start: number, end: number): void {
        const col = start - this._lineStart + 1;
        this._diagnostic(message, this._line, col, this._line, end - this._lineStart + 1);
        this._pushToken('Error', start, end);
    }

    private _diagnostic(
        message: string,
        line: number,
        col: number,
        endLine: number,
        endCol: number,
        category: 'syntax' | 'unsupported' = 'syntax',
    ): void {
        this._diagnostics.push({ severity: 'error', category, message, line, col, endLine, endCol });
    }
}

/**
 * Decodes a string prefix (any case, any order of the legal combinations); null if not a prefix.
 * Python 2 also has `ur` (a raw unicode literal: the parser refuses it, see Parser._string27).
 */
export function parseStringPrefix(prefix: string, python2 = false): StringFlags | null {
    const flags: StringFlags = { raw: false, bytes: false, format: false, unicode: false, quoteLength: 1, quote: '"' };
    if (python2 && prefix.length === 2 && (prefix.charCodeAt(0) | 0x20) === 117 && (prefix.charCodeAt(1) | 0x20) === 114) {
        return { ...flags, raw: true, unicode: true };
    }
    for (let i = 0; i < prefix.length; i++) {
        const c = prefix.charCodeAt(i) | 0x20;
        if (c === 114 && !flags.raw && !flags.unicode) {
            flags.raw = true;
        } else if (c === 98 && !flags.bytes && !flags.format && !flags.unicode) {
            flags.bytes = true;
        } else if (c === 102 && !flags.format && !flags.bytes && !flags.unicode) {
            flags.format = true;
        } else if (c === 117 && prefix.length === 1) {
            flags.unicode = true;
        } else {
            return null;
        }
    }
    return flags;
}

const SIMPLE_ESCAPES: Record<string, number> = {
    '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11,
};

/**
 * Decodes the body of a string literal (escapes, and newlines normalized to `\n` as CPython's
 * universal newlines do). Problems are reported through `report` with the offset of the escape.
 */
export function decodeStringBody(
    src: string,
    start: number,
    end: number,
    flags: Pick<StringFlags, 'raw' | 'bytes'>,
    report: (message: string, at: number, unsupported?: boolean) => void,
): string | Uint8Array {
    const units: number[] = [];
    const push = (cp: number): void => {
        if (cp > 0xffff) {
            cp -= 0x10000;
            units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
        } else {
            units.push(cp);
        }
    };
    let p = start;
    let reportedNonAscii = false;
    while (p < end) {
        const c = src.charCodeAt(p);
        if (c === Ch.CarriageReturn) {
            push(Ch.LineFeed);
            p += src.charCodeAt(p + 1) === Ch.LineFeed ? 2 : 1;
            continue;
        }
        if (c !== Ch.Backslash || flags.raw) {
            if (flags.bytes && c >= 128 && !reportedNonAscii) {
                reportedNonAscii = true;
                report('bytes can only contain ASCII literal characters', p);
            }
            push(c);
            p++;
            continue;
        }
        p = decodeEscape(src, p, end, flags.bytes, push, report);
    }
    if (flags.bytes) {
        return Uint8Array.from(units, (u) => u & 0xff);
    }
    let out = '';
    for (let i = 0; i < units.length; i += 8192) {
        out += String.fromCharCode(...units.slice(i, i + 8192));
    }
    return out;
}

/** Decodes one escape starting at the backslash at `p`; returns the offset after it. */
function decodeEscape(
    src: string,
    p: number,
    end: number,
    bytes: boolean,
    push: (cp: number) => void,
    report: (message: string, at: number, unsupported?: boolean) => void,
): number {
    const at = p;
    p++;
    if (p >= end) {
        push(Ch.Backslash);
        return p;
    }
    const e = src.charAt(p);
    const ec = src.charCodeAt(p);
    if (ec === Ch.LineFeed) {
        return p + 1;
    }
    if (ec === Ch.CarriageReturn) {
        return p + (src.charCodeAt(p + 1) === Ch.LineFeed ? 2 : 1);
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
        push(simple);
        return p + 1;
    }
    if (ec >= Ch.Zero && ec <= Ch.Zero + 7) {
        let v = 0;
        let n = 0;
        while (n < 3 && p < end && src.charCodeAt(p) >= Ch.Zero && src.charCodeAt(p) <= Ch.Zero + 7) {
            v = v * 8 + src.charCodeAt(p) - Ch.Zero;
            p++;
            n++;
        }
        push(v);
        return p;
    }
    const hexLen = e === 'x' ? 2 : !bytes && e === 'u' ? 4 : !bytes && e === 'U' ? 8 : 0;
    if (hexLen > 0) {
        let v = 0;
        for (let i = 1; i <= hexLen; i++) {
            const h = src.charCodeAt(p + i);
            if (p + i >= end || !isHexDigit(h)) {
                const what = e === 'x' ? '\\xXX' : e === 'u' ? '\\uXXXX' : '\\UXXXXXXXX';
                report(
                    bytes
                        ? `(value error) invalid \\x escape at position ${at}`
                        : `(unicode error) 'unicodeescape' codec can't decode bytes: truncated ${what} escape`,
                    at,
                );
                return p + i;
            }
            v = v * 16 + parseInt(src.charAt(p + i), 16);
        }
        if (v > 0x10ffff) {
            report("(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character", at);
            return p + hexLen + 1;
        }
        push(v);
        return p + hexLen + 1;
    }
    if (!bytes && e === 'N') {
        // Named escapes need the Unicode name table; scenarios rarely use them.
        const close = src.indexOf('}', p);
        const stop = close < 0 || close >= end ? end : close + 1;
        report('not supported in scenarios yet: \\N{...} escapes', at, true);
        return stop;
    }
    // Unknown escapes keep their backslash (CPython warns but accepts them).
    push(Ch.Backslash);
    return p;
}

/** Tokens the parser looks at; NL tokens only matter to tools. */
export function significantTokens(tokens: Token[]): Token[] {
    return tokens.filter((t) => t.kind !== 'NL');
}

/** Exposed for the parser: is `c` a character that may continue an identifier? */
export function isNameContinueChar(ch: string): boolean {
    const c = ch.charCodeAt(0);
    return isIdentifierCharCode(c) || (c >= 128 && NON_ASCII_CONTINUE.test(ch));
}

export { Ch as CharCode };
