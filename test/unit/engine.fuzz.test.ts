/*
 * The engine never throws and never hangs: random and mutated scenarios give a result or a
 * positioned error within the step budget.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../src/engine/index';

const CORPUS_DIR = join(__dirname, '../conformance/scenarios');
const corpus: string[] = [];
for (const dir of readdirSync(CORPUS_DIR)) {
    for (const f of readdirSync(join(CORPUS_DIR, dir))) {
        if (f.endsWith('.pyscn')) corpus.push(readFileSync(join(CORPUS_DIR, dir, f), 'utf8'));
    }
}

function checkResult(source: string, maxSteps = 20_000): void {
    // A hang would be caught by the test timeout; speed is measured by `npm run bench`.
    const r = simulate(source, { maxSteps });
    expect(typeof r.stdout).toBe('string');
    expect(Number.isInteger(r.exitCode)).toBe(true);
    const lines = source.split(/\r\n|\r|\n/).length;
    for (const e of r.errors) {
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.line).toBeLessThanOrEqual(lines + 1);
        expect(e.col).toBeGreaterThanOrEqual(1);
        expect(e.message.length).toBeGreaterThan(0);
        // An engine bug surfaces as kind 'internal': the fuzzer treats it as a failure.
        expect(e.kind, `${e.message} at ${e.line}:${e.col}`).not.toBe('internal');
    }
    if (r.errors.length) expect(r.exitCode).toBe(2);
}

describe('engine robustness', () => {
    it('mutated corpus scenarios simulate or fail with a positioned error', () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: corpus.length - 1 }),
                fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('delete', 'duplicate', 'swap', 'insert')), { minLength: 1, maxLength: 3 }),
                fc.string({ maxLength: 12 }),
                (idx, edits, junk) => {
                    let s = corpus[idx];
                    for (const [at, len, op] of edits) {
                        const i = at % Math.max(1, s.length);
                        const piece = s.slice(i, i + len);
                        if (op === 'delete') s = s.slice(0, i) + s.slice(i + len);
                        else if (op === 'duplicate') s = s.slice(0, i) + piece + s.slice(i);
                        else if (op === 'insert') s = s.slice(0, i) + junk + s.slice(i);
                        else s = piece + s.slice(0, i) + s.slice(i + len);
                    }
                    checkResult(s);
                },
            ),
            { numRuns: 300 },
        );
    });

    it('a refusal met while printing the uncaught exception is at the line that raised (fuzz seed -1690741106)', () => {
        // 3.10+ computes "Did you mean" from dir() of the object, which the engine refuses for an lru_cache wrapper.
        const src = 'import functools\n@functools.lru_cache(maxsize=None)\ndef square(x):\n    return x * x\nsquare(2)\nprint(square.c2)\n';
        for (const python of ['3.10', '3.12', '3.13']) {
            const r = simulate(src, { python });
            expect(r.errors.map((e) => [e.kind, e.line, e.col])).toEqual([['unsupported', 6, 7]]);
        }
        checkResult(src);
    });

    it('every line-prefix of a scenario is handled', () => {
        const src = corpus.find((c) => c.includes('class') && c.includes('def ')) ?? corpus[0];
        const lines = src.split('\n');
        for (let i = 0; i <= lines.length; i++) checkResult(lines.slice(0, i).join('\n'));
    });

    it('random statement soups run without engine errors', () => {
        const stmt = fc.constantFrom(
            'x = [1, 2, 3]',
            'y = {"a": x}',
            'x.append(y)',
            'del x',
            'class C:\n    pass',
            'c = C()',
            'c.self = c',
            'import gc',
            'gc.collect()',
            'def f(a, *b, **k):\n    return a',
            'z = f(1, 2, q=3)',
            'try:\n    1/0\nexcept ZeroDivisionError as e:\n    saved = e',
            'for i in range(3):\n    x = [i]',
            'print(len([1, 2]))',
            'w = [k for k in range(4) if k % 2]',
            'while False:\n    pass',
            'with open_() as f:\n    pass',
            'raise ValueError("boom")',
            'import sys\nsys.keep = [1]',
            'import atexit\natexit.register(print, "bye")',
        );
        fc.assert(
            fc.property(fc.array(stmt, { minLength: 1, maxLength: 12 }), (stmts) => checkResult(stmts.join('\n') + '\n')),
            { numRuns: 300 },
        );
    });

    it('an infinite loop stops at the step budget with a positioned error', () => {
        const r = simulate('x = 0\nwhile True:\n    x += 1\n', { maxSteps: 10_000 });
        expect(r.exitCode).toBe(2);
        expect(r.errors[0].kind).toBe('budget');
        expect(r.errors[0].line).toBeGreaterThanOrEqual(2);
        expect(r.errors[0].message).toMatch(/step budget/);
    });

    it('unbounded recursion is a RecursionError, not a crash', () => {
        const r = simulate('def f(n):\n    return f(n + 1)\nf(0)\n', { maxSteps: 1_000_000 });
        expect(r.errors).toEqual([]);
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(/RecursionError/);
    });

    it('a 5 MB scenario is handled', () => {
        const big = 'x = 1\n'.repeat(900_000);
        // Size, not speed, is the point (speed is `npm run bench`'s): no wall-clock budget, so a
        // loaded machine cannot turn this into a time-budget stop.
        const r = simulate(big, { maxSteps: 2_000_000, timeLimitMs: Infinity });
        expect(r.errors).toEqual([]);
        expect(r.exitCode).toBe(0);
    }, 240_000);

    it('random bytes give syntax errors, never exceptions', () => {
        fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => checkResult(s)), { numRuns: 300 });
    });
});
