/*
 * python2-syntax.test.ts
 *
 * The 2.7 grammar (parse(..., { python2: true }), chosen by Profile.grammar) beyond what the
 * conformance recordings show (test/conformance/scenarios/py2syntax/): the Python 2 forms the
 * engine refuses, statically and at their position, instead of giving a wrong value; that the
 * same source keeps Python 3's grammar on the 3.x profiles; and where the 2.7 gates point.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { parse } from '../../src/engine/parser/parser';

function run(src: string, python = '2.7') {
    return simulate(src, { python, fileName: 'p.pyscn' });
}

describe('2.7 grammar: refused forms stop statically at their position', () => {
    const cases: [string, string, number, number][] = [
        ['x = 1\ny = 10L\n', 'long literals (10L) on Python 2.7', 2, 5],
        ['y = 0777L\n', 'long literals (0777L) on Python 2.7', 1, 5],
        ["x = u'\\xe9'\n", "unicode literals (u'…') on Python 2.7", 1, 5],
        ["x = ur'a'\n", "unicode literals (u'…') on Python 2.7", 1, 5],
        ['from __future__ import unicode_literals\nx = "a"\n', 'unicode literals (from __future__ import unicode_literals) on Python 2.7', 1, 24],
        ['exec "x = 1"\n', 'the exec statement', 1, 1],
        ['def f(a, (b, c)):\n    pass\n', 'tuple parameters (Python 2)', 1, 10],
        ['import sys\ntry:\n    pass\nexcept ValueError, (a, b):\n    pass\n', 'an except target other than a name', 4, 20],
        ['raise ValueError, "x", None\n', 'raise with a traceback (raise E, V, tb)', 1, 22],
    ];
    for (const [src, what, line, col] of cases) {
        it(what, () => {
            const r = run(src);
            expect(r.exitCode).toBe(2);
            expect(r.stdout).toBe('');
            expect(r.errors[0]).toMatchObject({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line, col });
        });
    }
});

describe('the grammar follows the profile', () => {
    it('the print statement is a syntax error on 3.x, with 3.x’s hint', () => {
        const r = run('print "x"\n', '3.13');
        expect(r.exitCode).toBe(2);
        expect(r.errors[0]).toMatchObject({ kind: 'syntax', line: 1 });
        expect(r.errors[0].message).toContain("Missing parentheses in call to 'print'");
    });
    it('u-literals, `nonlocal` and f-strings stay Python 3 on 3.x', () => {
        const r = run("def f():\n    n = u'a'\n    def g():\n        nonlocal n\n        n += 'b'\n    g()\n    return f'{n}'\nprint(f())\n", '3.13');
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe('ab\n');
    });
    it('print is a name again after `from __future__ import print_function` on 2.7', () => {
        const r = run('from __future__ import print_function\np = print\np("a", "b", sep="-")\n');
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe('a-b\n');
    });
    it('`<>`, backticks and `0777` are tokens of the 2.7 grammar only', () => {
        expect(parse('x = 1 <> 2\n', { python2: true }).diagnostics).toEqual([]);
        expect(parse('x = 1 <> 2\n').diagnostics.length).toBeGreaterThan(0);
        expect(parse('x = `1`\n').diagnostics.length).toBeGreaterThan(0);
        expect(parse('x = 0777\n').diagnostics[0].message).toContain('leading zeros');
        expect(parse('x = 08\n', { python2: true }).diagnostics[0].message).toBe('invalid token');
    });
});

describe('Python 3 syntax under 2.7: gated where 2.7’s parser stops', () => {
    const gate = (src: string) => parse(src, { python2: true }).module.gated?.[0];
    it('a token 2.7 has: the caret under its last character', () => {
        expect(gate('x = f"{1}"\n')).toEqual({ feature: 'fstring', line: 1, col: 10 });
        expect(gate('try:\n    pass\nexcept ValueError:\n    raise KeyError() from None\n')).toEqual({ feature: 'raiseFrom', line: 4, col: 25 });
        expect(gate('x = {**a}\n')).toEqual({ feature: 'unpacking', line: 1, col: 7 });
    });
    it('an operator 2.7 splits: the caret under its first character', () => {
        expect(gate('def f(a) -> int:\n    pass\n')).toEqual({ feature: 'annotations', line: 1, col: 10 });
        expect(gate('if (n := 3):\n    pass\n')).toEqual({ feature: 'walrus', line: 1, col: 7 });
    });
    it('nothing is gated in a plain 2.7 program', () => {
        expect(gate('print "a", `1`, 1 <> 2\ntry:\n    raise ValueError, "m"\nexcept ValueError, e:\n    print e\n')).toBeUndefined();
    });
});

describe('2.7 long: an int beyond sys.maxint shows its value, and its type is refused', () => {
    it('the repr and arithmetic stay exact', () => {
        const r = run('x = 2 ** 70\nprint repr(x), x, x - 2 ** 70 + 1, type(2 ** 62)\n');
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe("1180591620717411303424L 1180591620717411303424 1 <type 'int'>\n");
    });
    for (const src of ['type(2 ** 70)', '(2 ** 70).__class__', 'isinstance(-2 ** 64, int)']) {
        it(src, () => {
            const r = run(`x = 1\nprint ${src}\n`);
            expect(r.exitCode).toBe(2);
            expect(r.stdout).toBe('');
            expect(r.errors[0]).toMatchObject({ kind: 'unsupported', line: 2, message: "not supported in scenarios yet: the type of an int beyond sys.maxint on Python 2.7 (a 'long')" });
        });
    }
    it('3.x has one int type', () => {
        const r = run('print(type(2 ** 70), isinstance(2 ** 70, int))\n', '3.13');
        expect(r.stdout).toBe("<class 'int'> True\n");
    });
});

describe('2.7 classic classes: what classobject.c does differently is refused, not run wrongly', () => {
    const cases: [string, string, number][] = [
        ['class A:\n    __slots__ = ("x",)\n', '__slots__ in an old-style class (Python 2.7; derive from object)', 1],
        ['class A:\n    def __new__(cls):\n        return 1\n', '__new__ in an old-style class (Python 2.7; derive from object)', 1],
        ['class A:\n    def __getattribute__(self, n):\n        return 1\n', '__getattribute__ in an old-style class (Python 2.7; derive from object)', 1],
        ['class A:\n    def g(self):\n        return 1\n    def s(self, v):\n        pass\n    p = property(g, s)\n', 'a property setter or deleter in an old-style class (Python 2.7; derive from object)', 1],
        ['class E:\n    pass\nx = 1\nraise E()\n', 'raising an old-style class or instance (Python 2.7)', 4],
    ];
    for (const [src, what, line] of cases) {
        it(what, () => {
            const r = run(src);
            expect(r.exitCode).toBe(2);
            expect(r.errors[0]).toMatchObject({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line });
        });
    }
    it('the same class derived from object, or on 3.x, runs', () => {
        expect(run('class A(object):\n    __slots__ = ("x",)\nprint A.__slots__\n').stdout).toBe("('x',)\n");
        expect(run('class A:\n    __slots__ = ("x",)\nprint(A.__slots__, type(A()).__name__)\n', '3.13').stdout).toBe("('x',) A\n");
    });
});
