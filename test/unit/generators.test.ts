/*
 * generators.test.ts
 *
 * The edges of generator support that conformance recordings cannot show: static errors for a
 * yield where CPython's compiler refuses one, positioned "not supported" stops for the forms of
 * yield the resumable compiler does not simulate, the 2.7 compile-time SyntaxErrors (stderr and
 * status), and the event log's ownership of a suspended generator's frame.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { EventKind } from '../../src/engine/events';

function run(src: string, python = '3.13') {
    return simulate(src, { python, fileName: 'g.pyscn' });
}

describe('generators: static errors', () => {
    it('refuses a yield outside a function with CPython’s message', () => {
        const r = run('x = 1\nyield x\n');
        expect(r.exitCode).toBe(2);
        expect(r.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual(["2:1 'yield' outside function"]);
    });
    it('refuses a yield in a class body and inside comprehensions', () => {
        const r = run('class C:\n    yield 1\ndef f():\n    return [(yield) for x in y]\ndef g():\n    return ((yield) for x in y)\n');
        expect(r.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
            "2:5 'yield' outside function",
            "4:14 'yield' inside list comprehension",
            "6:14 'yield' inside generator expression",
        ]);
    });
});

describe('generators: unsupported forms stop at their position', () => {
    it('a yield inside an f-string', () => {
        const r = run("def g():\n    s = f'{(yield)}'\nnext(g())\n");
        expect(r.exitCode).toBe(2);
        expect(r.errors[0]).toMatchObject({ kind: 'unsupported', line: 2, message: 'not supported in scenarios yet: yield inside an f-string' });
    });
    it('gi_code', () => {
        const r = run('def g():\n    yield 1\nprint(g().gi_code)\n');
        expect(r.exitCode).toBe(2);
        expect(r.errors[0].message).toBe('not supported in scenarios yet: gi_code');
    });
});

describe('generators: 2.7 compile-time SyntaxErrors', () => {
    it("'return' with argument inside generator: nothing runs, status 1", () => {
        const r = run("print('start')\ndef g():\n    yield 1\n    return 5\n", '2.7');
        expect(r.stdout).toBe('');
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toBe('  File "g.pyscn", line 4\n    return 5\nSyntaxError: \'return\' with argument inside generator\n');
    });
    it('yield from is invalid syntax (before any symtable error)', () => {
        const r = run("def g():\n    yield 1\n    return 5\ndef h():\n    x = yield from [1]\n", '2.7');
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toBe('  File "g.pyscn", line 5\n    x = yield from [1]\n                 ^\nSyntaxError: invalid syntax\n');
    });
    it('3.x accepts both', () => {
        const r = run("def g():\n    x = yield from [1]\n    return 5\nprint(list(g()))\n", '3.8');
        expect(r.stdout).toBe('[1]\n');
    });
});

describe('generators: the suspended frame in the event log', () => {
    it('is owned by its generator (a gi_frame edge) from creation until it is cleared', () => {
        const r = run('def g(a):\n    b = a\n    yield 1\nx = g([1])\nnext(x)\ndel x\n', '3.13');
        const ev = r.events;
        const frameEnter = [...ev.kind.keys()].filter((i) => ev.kind[i] === EventKind.FrameEnter);
        const genFrame = frameEnter.map((i) => ev.a[i]).find((_, k) => k > 0)!;
        const owner = [...ev.kind.keys()].filter((i) => (ev.kind[i] === EventKind.RefAdd || ev.kind[i] === EventKind.RefDel) && ev.b[i] === genFrame);
        expect(owner.map((i) => ev.kind[i])).toEqual([EventKind.RefAdd, EventKind.RefDel]);
        const exit = [...ev.kind.keys()].find((i) => ev.kind[i] === EventKind.FrameExit && ev.a[i] === genFrame)!;
        // The frame ends when the generator is freed (after `del x`), not when next() returns.
        expect(exit).toBeGreaterThan(owner[1] - 1);
        expect(ev.line[exit]).toBe(6);
    });
    it('≤3.10: the frame object is the frame’s node (no separate frame)', () => {
        const r = run('def g(a):\n    yield a\nx = g([1])\nnext(x)\n', '3.10');
        const ev = r.events;
        const enters = [...ev.kind.keys()].filter((i) => ev.kind[i] === EventKind.FrameEnter);
        expect(enters.length).toBe(1);
    });
});
