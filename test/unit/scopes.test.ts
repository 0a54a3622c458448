import { describe, expect, it } from 'vitest';
import type { Module } from '../../src/engine/parser/ast';
import { parse } from '../../src/engine/parser/parser';
import { analyzeScopes, type Scope } from '../../src/engine/parser/scopes';

const table = (src: string) => {
    const r = parse(src);
    expect(r.diagnostics).toEqual([]);
    return analyzeScopes(r.module);
};
const all = (s: Scope): Scope[] => s.children.flatMap((c) => [c, ...all(c)]);
const scopeErrors = (src: string): string[] =>
    analyzeScopes(parse(src).module).diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`);

/*
 * Expected co_varnames / co_cellvars / co_freevars, printed by CPython 3.10.13 with
 *   ~/.pyenv/versions/3.10.13/bin/python -S sc.py scopes.py
 * where sc.py is:
 *   import sys, types
 *   src = open(sys.argv[1]).read()
 *   co = compile(src, 's', 'exec')
 *   def walk(c, depth=0):
 *       for k in c.co_consts:
 *           if isinstance(k, types.CodeType):
 *               print(k.co_name, k.co_varnames, k.co_cellvars, k.co_freevars)
 *               walk(k)
 *   walk(co)
 */
const CPYTHON_SOURCE = `def params(a, b, /, c, d=1, *args, e, f=2, **kw):
    x = y = 1
    z = (w := 3)
    def g():
        return a + x + kw
    for i in range(3):
        del i
    try:
        pass
    except Exception as err:
        pass
    import os.path as p, sys
    with open(1) as (h1, h2):
        pass
    lst = [q + x for q in a if q for r in q]
    d = {k: v for k, v in b}
    lam = lambda m, n=x: m + n + c
    return g
def order():
    u = v
    v = 1
def cls_outer():
    class C:
        def m(self):
            return super().m()
        def n(self):
            return __class__
    return C
def closure():
    val = 1
    class Inner:
        val2 = val
        def meth(self):
            return val
    def mid():
        def inner():
            nonlocal val
            val = 2
        return inner
    return Inner, mid
def aug():
    total = 0
    total += n
    n = 1
    def k(): return total
def walrus():
    return [y := x for x in range(3)], y
def gl():
    global G
    G = 1
    local = G
`;

// name, co_varnames, co_cellvars, co_freevars (pre-order over nested code objects), printed by CPython 3.10.
const CPYTHON_310: [string, string[], string[], string[]][] = [
    ['params', ['a', 'b', 'c', 'd', 'e', 'f', 'args', 'kw', 'y', 'w', 'z', 'g', 'i', 'err', 'p', 'sys', 'h1', 'h2', 'lst', 'lam'], ['a', 'c', 'kw', 'x'], []],
    ['g', [], [], ['a', 'kw', 'x']],
    ['<listcomp>', ['.0', 'q', 'r'], [], ['x']],
    ['<dictcomp>', ['.0', 'k', 'v'], [], []],
    ['<lambda>', ['m', 'n'], [], ['c']],
    ['order', ['v', 'u'], [], []],
    ['cls_outer', ['C'], [], []],
    ['C', [], ['__class__'], []],
    ['m', ['self'], [], ['__class__']],
    ['n', ['self'], [], ['__class__']],
    ['closure', ['Inner', 'mid'], ['val'], []],
    ['Inner', [], [], ['val']],
    ['meth', ['self'], [], ['val']],
    ['mid', ['inner'], [], ['val']],
    ['inner', [], [], ['val']],
    ['aug', ['n', 'k'], ['total'], []],
    ['k', [], [], ['total']],
    ['walrus', [], ['y'], []],
    ['<listcomp>', ['.0', 'x'], [], ['y']],
    ['gl', ['local'], [], []],
];

describe('scopes: layout matches CPython 3.10 code objects', () => {
    const scopes = all(table(CPYTHON_SOURCE).module);
    it('finds every function, lambda, class and comprehension scope in order', () => {
        expect(scopes.map((s) => s.name)).toEqual(CPYTHON_310.map((row) => row[0]));
    });
    CPYTHON_310.forEach(([name, varnames, cellvars, freevars], k) => {
        it(`${k}: ${name}`, () => {
            expect({ varnames: scopes[k].varnames, cellvars: scopes[k].cellvars, freevars: scopes[k].freevars }).toEqual({ varnames, cellvars, freevars });
        });
    });
});

describe('scopes: resolution', () => {
    it('describes the module scope', () => {
        const t = table('import gc\nx = 1\ndef f(): pass\nclass C: pass\nprint(x)\n');
        expect(t.module).toMatchObject({ kind: 'module', name: '<module>', parent: null, varnames: [] });
        expect([...t.module.locals]).toEqual(['gc', 'x', 'f', 'C']);
        expect(t.module.globals.has('print')).toBe(true);
        expect(t.module.children.map((c) => [c.kind, c.name])).toEqual([['function', 'f'], ['class', 'C']]);
    });
    it('maps nodes to scopes', () => {
        const r = parse('def f():\n    g = lambda: [x for x in y]\n');
        const t = analyzeScopes(r.module);
        const f = r.module.body[0];
        expect(t.of(f)?.name).toBe('f');
        expect(t.of(r.module)?.kind).toBe('module');
        const lambda = t.of(f)!.children[0];
        expect(lambda.name).toBe('<lambda>');
        expect(lambda.children[0]).toMatchObject({ kind: 'comprehension', name: '<listcomp>', varnames: ['.0', 'x'] });
        expect(lambda.children[0].parent).toBe(lambda);
    });
    it('skips class scopes when resolving free names', () => {
        const t = table('def f():\n    class C:\n        x = 1\n        def m(self):\n            return x\n');
        const m = all(t.module).find((s) => s.name === 'm')!;
        expect(m.freevars).toEqual([]);
        expect(m.globals.has('x')).toBe(true);
    });
    it('evaluates the first iterable, defaults and decorators in the enclosing scope', () => {
        const t = table('def f(a):\n    @dec(a)\n    def g(b=a): pass\n    return [x for x in a for y in b]\n');
        const f = t.module.children[0];
        expect(f.cellvars).toEqual([]);
        const comp = f.children[1];
        expect(comp.freevars).toEqual([]);
        expect(comp.globals.has('b')).toBe(true);
        expect(f.locals.has('g')).toBe(true);
    });
    it('records explicit and implicit globals', () => {
        const t = table('def f():\n    global g\n    g = 1\n    return h\n');
        const f = t.module.children[0];
        expect([...f.globals].sort()).toEqual(['g', 'h']);
        expect(f.locals.has('g')).toBe(false);
        expect(f.varnames).toEqual([]);
    });
    it('binds walrus targets of a comprehension in the enclosing function', () => {
        const t = table('def f():\n    [y := x for x in z]\n    return y\n');
        const f = t.module.children[0];
        expect(f.cellvars).toEqual(['y']);
        expect(f.children[0].freevars).toEqual(['y']);
    });
});

describe('scopes: errors', () => {
    it('reports names used or assigned before a global declaration', () => {
        expect(scopeErrors('def f():\n    print(x)\n    global x\n')).toEqual(["3:5 name 'x' is used prior to global declaration"]);
        expect(scopeErrors('def f():\n    x = 1\n    global x\n')).toEqual(["3:5 name 'x' is assigned to before global declaration"]);
        expect(scopeErrors('def f(x):\n    global x\n')).toEqual(["2:5 name 'x' is parameter and global"]);
    });
    it('reports bad nonlocal declarations', () => {
        expect(scopeErrors('def f():\n    nonlocal q\n')).toEqual(["2:5 no binding for nonlocal 'q' found"]);
        expect(scopeErrors('x = 1\ndef f():\n    def g():\n        nonlocal x\n')).toEqual(["4:9 no binding for nonlocal 'x' found"]);
        expect(scopeErrors('nonlocal x\n')).toEqual(['1:1 nonlocal declaration not allowed at module level']);
        expect(scopeErrors('def f():\n    x = 1\n    class C:\n        def m(self):\n            nonlocal x\n')).toEqual([]);
    });
    it('reports walrus misuse in comprehensions', () => {
        expect(scopeErrors('[x := 1 for x in y]')).toEqual(["1:2 assignment expression cannot rebind comprehension iteration variable 'x'"]);
        expect(scopeErrors('class C:\n    [y := 1 for x in z]\n')).toEqual(['2:6 assignment expression within a comprehension cannot be used in a class body']);
    });
});
