import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/engine/parser/tokenizer';
import type { Token } from '../../src/engine/parser/tokens';

const kinds = (src: string): string[] => tokenize(src).tokens.map((t) => (t.kind === 'Op' || t.kind === 'Name' || t.kind === 'Keyword' ? t.text : t.kind));
const first = (src: string): Token => tokenize(src).tokens[0];
const diags = (src: string): string[] => tokenize(src).diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`);

describe('tokenizer: layout', () => {
    it('emits INDENT/DEDENT, NEWLINE for logical lines and NL for blank lines', () => {
        expect(kinds('if x:\n    y\n\n# c\nz\n')).toEqual([
            'if', 'x', ':', 'Newline', 'Indent', 'y', 'Newline', 'NL', 'NL', 'Dedent', 'z', 'Newline', 'EndOfFile',
        ]);
    });
    it('joins lines inside brackets (NL, no indentation) and after a backslash', () => {
        expect(kinds('f(a,\n      b)\nx = 1 + \\\n  2\n')).toEqual([
            'f', '(', 'a', ',', 'NL', 'b', ')', 'Newline', 'x', '=', 'Number', '+', 'Number', 'Newline', 'EndOfFile',
        ]);
    });
    it('adds the final NEWLINE and DEDENTs at end of file without trailing newline', () => {
        expect(kinds('def f():\n  if x:\n    pass')).toEqual([
            'def', 'f', '(', ')', ':', 'Newline', 'Indent', 'if', 'x', ':', 'Newline', 'Indent', 'pass', 'Newline', 'Dedent', 'Dedent', 'EndOfFile',
        ]);
    });
    it('expands tabs to multiples of 8 like CPython', () => {
        // a tab (col 8) and 8 spaces are the same level when consistent... here tab then 8 spaces differ in altcol
        expect(diags('if x:\n\ty\n        z\n')).toEqual(['3:9 inconsistent use of tabs and spaces in indentation']);
        expect(diags('if x:\n \ty\n \tz\n')).toEqual([]);
    });
    it('handles \\r\\n and \\r line endings', () => {
        const t = tokenize('a\r\nb\rc').tokens.filter((k) => k.kind === 'Name');
        expect(t.map((k) => [k.text, k.line, k.col])).toEqual([['a', 1, 1], ['b', 2, 1], ['c', 3, 1]]);
    });
    it('keeps comments aside with positions and without the #', () => {
        expect(tokenize('x = 1  # hi\n# two\n').comments).toEqual([
            { line: 1, col: 8, text: ' hi' },
            { line: 2, col: 1, text: ' two' },
        ]);
    });
    it('gives tokens 1-based ranges', () => {
        const t = tokenize('foo = "a\nb"').tokens;
        expect(t[0]).toMatchObject({ kind: 'Name', line: 1, col: 1, endLine: 1, endCol: 4 });
        expect(t[2]).toMatchObject({ kind: 'Error', line: 1, col: 7 });
        const s = tokenize('x = """a\nb"""').tokens[2];
        expect(s).toMatchObject({ kind: 'String', line: 1, col: 5, endLine: 2, endCol: 5 });
    });
});

describe('tokenizer: names, numbers, operators', () => {
    it('reads unicode identifiers (NFKC) and keywords', () => {
        const t = tokenize('café ﬁ if').tokens;
        expect(t.slice(0, 3).map((k) => [k.kind, k.text])).toEqual([['Name', 'café'], ['Name', 'fi'], ['Keyword', 'if']]);
    });
    it('reads ints as bigint in every base, with underscores', () => {
        const vals = tokenize('0x_1F 0o17 0b101 1_000 0 00 123456789012345678901234567890').tokens
            .filter((t) => t.kind === 'Number').map((t) => t.number);
        expect(vals).toEqual([31n, 15n, 5n, 1000n, 0n, 0n, 123456789012345678901234567890n].map((value) => ({ type: 'int', value })));
    });
    it('reads floats and imaginary numbers', () => {
        const vals = tokenize('1.5 .5 1. 1e3 1.5E-2 2j 1.5J 1_0.0_1').tokens.filter((t) => t.kind === 'Number').map((t) => t.number);
        expect(vals).toEqual([
            { type: 'float', value: 1.5 }, { type: 'float', value: 0.5 }, { type: 'float', value: 1 }, { type: 'float', value: 1000 },
            { type: 'float', value: 0.015 }, { type: 'complex', imag: 2 }, { type: 'complex', imag: 1.5 }, { type: 'float', value: 10.01 },
        ]);
    });
    it('lets a number run into the keywords CPython tolerates', () => {
        expect(kinds('1if x else 2')).toEqual(['Number', 'if', 'x', 'else', 'Number', 'Newline', 'EndOfFile']);
    });
    it('reports bad numbers', () => {
        expect(diags('0777')).toEqual(['1:1 leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers']);
        expect(diags('x = 1__0')).toEqual(['1:5 invalid decimal literal']);
        expect(diags('1_')).toEqual(['1:1 invalid decimal literal']);
        expect(diags('0x')).toEqual(['1:1 invalid hexadecimal literal']);
        expect(diags('0b12')).toEqual(['1:1 invalid binary literal']);
        expect(diags('0o8')).toEqual(['1:1 invalid octal literal']);
        expect(diags('1abc')).toEqual(['1:1 invalid decimal literal']);
        expect(diags('1jx')).toEqual(['1:1 invalid imaginary literal']);
    });
    it('takes the longest operator', () => {
        expect(kinds('a **= b // c ... -> := != <<=')).toEqual(['a', '**=', 'b', '//', 'c', '...', '->', ':=', '!=', '<<=', 'Newline', 'EndOfFile']);
    });
});

describe('tokenizer: strings', () => {
    const value = (src: string): unknown => first(src).string?.value;
    it('decodes escapes', () => {
        expect(value(String.raw`'a\n\t\\\'\"\x41\u00e9\U0001F600\101\
b'`)).toBe('a\n\t\\\'"Aé😀Ab');
        expect(value(String.raw`'\q'`)).toBe('\\q');
    });
    it('handles every prefix in any case', () => {
        for (const p of ['r', 'R', 'u', 'U', 'b', 'B', 'br', 'Rb', 'bR', 'f', 'F', 'fr', 'Rf', 'rF']) {
            const t = first(`${p}'x'`);
            expect(t.kind, p).toBe('String');
            expect(t.string!.flags.bytes).toBe(p.toLowerCase().includes('b'));
            expect(t.string!.flags.format).toBe(p.toLowerCase().includes('f'));
            expect(t.string!.flags.raw).toBe(p.toLowerCase().includes('r'));
        }
        expect(first('ub"x"').kind).toBe('Name');
    });
    it('keeps raw strings raw, including an escaped quote', () => {
        expect(value(String.raw`r'a\n\''`)).toBe(String.raw`a\n\'`);
    });
    it('decodes bytes', () => {
        expect(value(String.raw`b'a\x00\xff\101'`)).toEqual(Uint8Array.from([97, 0, 255, 65]));
        expect(diags("b'é'")).toEqual(['1:3 bytes can only contain ASCII literal characters']);
    });
    it('reads triple-quoted strings across lines (newlines normalized)', () => {
        expect(value('"""a\r\nb\'c"""')).toBe("a\nb'c");
    });
    it('reports unterminated strings at the string start and goes on', () => {
        const r = tokenize("x = 'abc\ny = 1\n");
        expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual(['1:5 unterminated string literal (detected at line 1)']);
        expect(r.tokens.filter((t) => t.kind === 'Name').map((t) => t.text)).toEqual(['x', 'y']);
        expect(diags('x = """abc\n\n')).toEqual(['1:5 unterminated triple-quoted string literal (detected at line 3)']);
    });
    it('reports bad escapes', () => {
        expect(diags(String.raw`'ab\x4'`)[0]).toMatch(/^1:4 .*truncated \\xXX escape/);
    });
});

describe('tokenizer: errors', () => {
    it('reports indentation problems', () => {
        expect(diags('if x:\n    a\n  b\n')).toEqual(['3:3 unindent does not match any outer indentation level']);
    });
    it('reports stray and non-printable characters', () => {
        expect(diags('x = €')).toEqual(["1:5 invalid character '€' (U+20AC)"]);
        expect(diags('x = $')).toEqual(['1:5 invalid syntax']);
        expect(diags('x\u00a0= 1')).toEqual(['1:2 invalid non-printable character U+00A0']);
        expect(diags('x = \0')).toEqual(['1:5 source code cannot contain null bytes']);
    });
    it('reports brackets', () => {
        expect(diags('x = )')).toEqual(["1:5 unmatched ')'"]);
        expect(diags('x = (]')).toEqual(["1:6 closing parenthesis ']' does not match opening parenthesis '('"]);
        expect(diags('x = (\n1,\n')).toEqual(["1:5 '(' was never closed"]);
    });
    it('reports continuation problems', () => {
        expect(diags('x = 1 \\ y')).toEqual(['1:7 unexpected character after line continuation character']);
        expect(diags('x = \\')).toEqual(['1:5 unexpected EOF while parsing']);
    });
    it('limits nesting', () => {
        expect(diags('('.repeat(300))).toContain('1:201 too many nested parentheses');
        const deep = Array.from({ length: 101 }, (_, i) => ' '.repeat(i) + 'if x:').join('\n') + '\n' + ' '.repeat(101) + 'pass\n';
        expect(diags(deep).some((d) => d.endsWith('too many levels of indentation'))).toBe(true);
    });
});
