/*
 * redteam-syntax.test.ts
 *
 * Issue 20's syntax findings that are static errors (exit 2, positioned as CPython's caret) or a
 * profile's compile-time SyntaxError; the wrong results are recorded scenarios
 * (test/conformance/scenarios/language/redteam_*).
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';

function errors(src: string, python = '3.13'): string[] {
    return simulate(src, { python, fileName: 'r.pyscn' }).errors.map((e) => `${e.line}:${e.col} ${e.kind}: ${e.message}`);
}

describe('red-team syntax', () => {
    it('S11: a repeated keyword argument is the compiler’s SyntaxError, at the second one', () => {
        const r = simulate('print(1)\nf(a=1, b=2, a=2)\n', { python: '3.13', fileName: 'r.pyscn' });
        expect(r.exitCode).toBe(2);
        expect(r.stdout).toBe('');
        expect(errors('print(1)\nf(a=1, b=2, a=2)\n')).toEqual(['2:13 syntax: keyword argument repeated: a']);
        expect(errors('class C(metaclass=type, metaclass=type): pass\n')).toEqual(['1:25 syntax: keyword argument repeated: metaclass']);
        expect(errors('f(a=1, **{"a": 2})\n')).toEqual([]);
    });
    it('S13: 200 nested brackets are valid (MAXLEVEL), the 201st is refused at its column', () => {
        const nest = (n: number) => 'x = ' + '('.repeat(n) + '1' + ')'.repeat(n) + '\nprint(x)\n';
        expect(simulate(nest(200), { python: '3.13' }).stdout).toBe('1\n');
        expect(errors(nest(201))).toEqual(['1:205 syntax: too many nested parentheses']);
    });
    it('I1: a bare starred expression is a static error wherever a value is expected, never a run-time exception', () => {
        expect(errors('a = [1]\nx = *a\n')).toEqual(["2:5 syntax: can't use starred expression here"]);
        expect(errors('a = [1]\ndef f():\n    return *a\nf()\n')).toEqual(["3:12 syntax: can't use starred expression here"]);
        expect(errors('for x in *a:\n    pass\n')).toEqual(["1:10 syntax: can't use starred expression here"]);
        expect(errors('def g():\n    yield *a\n')).toEqual(["2:11 syntax: can't use starred expression here"]);
        expect(errors('a = [1]\nx = *a,\nprint(*a)\n')).toEqual([]);
    });
    it('I1: d[*a] runs from 3.11 and is the module’s SyntaxError before (nothing runs)', () => {
        const src = 'print("start")\na = [1]\nd = {}\nd[*a] = 1\nprint(d)\n';
        expect(simulate(src, { python: '3.11' }).stdout).toBe('start\n{(1,): 1}\n');
        const old = simulate(src, { python: '3.10' });
        expect(old.stdout).toBe('');
        expect(old.exitCode).toBe(1);
        expect(old.stderr).toContain('SyntaxError: invalid syntax');
    });
});

describe('red-team tracebacks', () => {
    it('S14: with lone CR line endings a traceback shows the source line (linecache’s universal newlines)', () => {
        const r = simulate('x = 1\ry = 2\rraise ValueError("boom")\r', { python: '3.13', fileName: 'cr.pyscn' });
        expect(r.stderr).toBe('Traceback (most recent call last):\n  File "cr.pyscn", line 3, in <module>\n    raise ValueError("boom")\nValueError: boom\n');
    });
});

describe('red-team int/str digit limit', () => {
    it('S5: a decimal literal over the default limit is the module’s SyntaxError where the version has the limit (nothing runs)', () => {
        const src = 'print(1)\nx = ' + '1'.repeat(4301) + '\nprint(x > 0)\n';
        const r = simulate(src, { python: '3.13', fileName: 'lit.pyscn' });
        expect(r.exitCode).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain('SyntaxError: Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.\n');
        expect(simulate(src, { python: '2.7' }).stdout).toBe('1\nTrue\n');
        expect(simulate('x = ' + '1'.repeat(4300) + '\nprint(x > 0)\n', { python: '3.13' }).stdout).toBe('True\n');
    });
});
