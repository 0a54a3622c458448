/*
 * Robustness properties: whatever the input, `parse` and `analyzeScopes` return (never throw), fast,
 * with every diagnostic inside the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NESTING_REFUSED, parse } from '../../src/engine/parser/parser';
import { analyzeScopes } from '../../src/engine/parser/scopes';

// Speed is measured by benchmarks, not asserted here; a hang is caught by the test timeout.
function check(src: string): void {
    const r = parse(src);
    const scopes = analyzeScopes(r.module);
    const lineCount = src.split(/\r\n|\r|\n/).length;
    for (const d of [...r.diagnostics, ...scopes.diagnostics]) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.line).toBeLessThanOrEqual(lineCount + 1);
        expect(d.col).toBeGreaterThanOrEqual(1);
        expect(d.message.length).toBeGreaterThan(0);
    }
}

const PIECES = [
    'def', 'class', 'if', 'elif', 'else', 'for', 'while', 'in', 'not', 'and', 'or', 'is', 'lambda', 'return', 'yield',
    'try', 'except', 'finally', 'with', 'as', 'import', 'from', 'global', 'nonlocal', 'del', 'pass', 'break', 'async',
    'await', 'match', 'case', 'type', 'None', 'True', '(', ')', '[', ']', '{', '}', ':', ',', ';', '.', '=', '==', ':=',
    '+', '-', '*', '**', '/', '//', '@', '->', '...', '"s"', "'''t'''", 'f"{x}"', 'f"{', 'b"x"', '1', '0x1', '1.5j',
    'x', 'y', '\n', '\n    ', '\n\t', '\\\n', '#c', ' ', '\r\n', '"', "'", '\\', 'é', '€', '\u00a0',
];

const fixtureSources: string[] = readdirSync(join(__dirname, 'fixtures/ast'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => (JSON.parse(readFileSync(join(__dirname, 'fixtures/ast', f), 'utf8')) as { source: string }).source);

const mutation = fc
    .tuple(fc.constantFrom(...fixtureSources), fc.nat(), fc.nat(), fc.nat(), fc.constantFrom('delete', 'duplicate', 'swap'))
    .map(([src, a, b, c, op]) => {
        const n = src.length + 1;
        const [i, j] = [a % n, b % n].sort((x, y) => x - y);
        const k = c % n;
        const slice = src.slice(i, j);
        if (op === 'delete') return src.slice(0, i) + src.slice(j);
        if (op === 'duplicate') return src.slice(0, j) + slice + src.slice(j);
        const rest = src.slice(0, i) + src.slice(j);
        const at = k % (rest.length + 1);
        return rest.slice(0, at) + slice + rest.slice(at);
    });

describe('parser fuzzing', () => {
    it('survives random strings (unicode, brackets, quotes, tabs, CRLF)', () => {
        const chars = fc.constantFrom('(', ')', '[', ']', '{', '}', '"', "'", '\t', '\r\n', '\n', ' ', '\\', '#', ':', '=', 'a', '1', 'é', '😀', '\0', 'f', 'r', 'b');
        fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: chars, maxLength: 200 })), check), { numRuns: 500 });
    });
    it('survives token soups of keywords and punctuation', () => {
        fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((a) => a.join(' ')), check), { numRuns: 500 });
        fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((a) => a.join('')), check), { numRuns: 500 });
    });
    it('survives mutations of the fixture programs', () => {
        fc.assert(fc.property(mutation, check), { numRuns: 1000 });
    });
    it('gives a diagnostic, not a stack overflow, for 10,000 nested parentheses', () => {
        for (const src of ['('.repeat(10_000), 'x = ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000), '[' .repeat(10_000) + ']'.repeat(10_000)]) {
            const r = parse(src);
            expect(r.diagnostics.length).toBeGreaterThan(0);
            check(src);
        }
    });
    it('gives a diagnostic for other deep nesting', () => {
        for (const src of ['x = ' + '-'.repeat(10_000) + '1', 'x = ' + 'not '.repeat(10_000) + 'y', 'x = ' + 'lambda: '.repeat(5_000) + '1', 'x = 2' + ' ** 2'.repeat(5_000)]) {
            const r = parse(src);
            expect(r.diagnostics.map((d) => d.message)).toContain(NESTING_REFUSED);
            check(src);
        }
    });
    it('handles long flat chains and elif chains', () => {
        check('x = ' + Array.from({ length: 900 }, (_, i) => `a${i}`).join(' + ') + '\n');
        expect(parse('x = ' + Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' + ')).diagnostics[0].message).toBe(NESTING_REFUSED);
        check('x = ' + 'a.'.repeat(5_000) + 'b');
        check('if a:\n    pass\n' + 'elif b:\n    pass\n'.repeat(20_000));
    });
    it('parses a 5 MB input', () => {
        const unit = fixtureSources.join('\n') + '\n';
        const src = unit.repeat(Math.ceil(5_000_000 / unit.length));
        const r = parse(src);
        analyzeScopes(r.module);
        expect(r.module.body.length).toBeGreaterThan(10_000);
    });
});
