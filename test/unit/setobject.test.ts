import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { PROFILES } from '../../src/engine/profiles';
import { SetTable, splitHash, scratch, type SetContext } from '../../src/engine/runtime/setobject';
import type { PyObject } from '../../src/engine/runtime/object';

/** A table of int keys (ints hash to themselves) under a version's rules. */
function intTable(version: string): SetTable {
    const ctx: SetContext = {
        rules: PROFILES[version]!.sets,
        quiet: 0,
        dictHash27: () => null,
        hash(_o, hk) {
            splitHash(hk as number);
            return true;
        },
        orderShown() {},
        dictOrderShown() {},
    };
    return new SetTable(ctx, new Map());
}
const obj = (n: number) => ({ n }) as unknown as PyObject;
const order = (t: SetTable) => t.items().map((o) => (o as unknown as { n: number }).n);
function add(t: SetTable, ...ns: number[]): void {
    for (const n of ns) if (!t.index.has(n)) t.insert(n, obj(n), undefined);
}
function discard(t: SetTable, n: number): void {
    const j = t.index.get(n);
    if (j !== undefined) t.removeAt(j);
}

describe('setobject.ts: the slot layout of Objects/setobject.c', () => {
    it('probes linearly then perturbs on 3.x, and grows at fill*5 >= mask*3', () => {
        const t = intTable('3.13');
        add(t, 3, 1, 2, 17);
        expect(t.mask).toBe(7);
        // 17 & 7 = 1: slot 1 taken, 1 + 9 > 7 so no linear probes: perturb 0, i = 1*5+1 = 6.
        expect(order(t)).toEqual([1, 2, 3, 17]);
        add(t, 9);
        // Five items fill 5*5 >= 21: rebuilt for 5*4 = 20 items, 32 slots.
        expect(t.mask).toBe(31);
        expect(order(t)).toEqual([1, 2, 3, 9, 17]);
    });
    it('reuses the last dummy on the probe path on 3.10+, the first on 2.7, none on 3.9', () => {
        const layout = (v: string) => {
            const t = intTable(v);
            add(t, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            discard(t, 1);
            discard(t, 5);
            add(t, 33);
            return order(t);
        };
        expect(layout('3.13')).toEqual([0, 2, 3, 4, 33, 6, 7, 8, 9]);
        expect(layout('3.8')).toEqual([0, 2, 3, 4, 33, 6, 7, 8, 9]);
        expect(layout('3.9')).toEqual([0, 2, 3, 4, 6, 7, 8, 9, 33]);
        expect(layout('2.7')).toEqual([0, 33, 2, 3, 4, 6, 7, 8, 9]);
    });
    it('pops from a search finger (3.x) or from slot 0 then the finger in its hash field (2.7)', () => {
        for (const [v, want] of [
            ['3.13', [1, 2, 3, 4]],
            ['2.7', [1, 2, 3, 4]],
        ] as const) {
            const t = intTable(v);
            add(t, 1, 2, 3, 4);
            const got: number[] = [];
            while (t.used) {
                const j = t.popSlot();
                got.push((t.removeAt(j) as unknown as { n: number }).n);
                t.afterPop();
            }
            expect(got, v).toEqual(want);
        }
    });
    it('splits 64-bit hashes into two halves (negative and big ones too)', () => {
        splitHash(-2);
        expect([scratch.lo, scratch.hi]).toEqual([-2, -1]);
        splitHash(2n ** 61n + 5n);
        expect([scratch.lo, scratch.hi]).toEqual([5, 0x20000000]);
    });
});

describe('sets: the order caveat', () => {
    const report = (src: string, python = '3.13') => buildReport(src, simulate(src, { python, fileName: 't.pyscn' }), { file: 't.pyscn', graph: false });
    it('notes a printed or iterated set of str on 3.x, not sorted() of it, and not on 2.7', () => {
        const src = 's = {"b", "a", "c"}\nprint(s)\nprint(sorted(s))\nfor x in s:\n    pass\n';
        const r = report(src);
        expect(r.findings.filter((f) => f.kind === 'set-order').map((f) => f.line)).toEqual([2, 4]);
        expect(r.caveats.some((c) => c.startsWith('Sets: the order shown at lines 2, 4 is one possible order'))).toBe(true);
        expect(report('from __future__ import print_function\n' + src, '2.7').findings.filter((f) => f.kind === 'set-order')).toEqual([]);
    });
    it('notes a set of objects hashed by identity on every version, and says nothing about ints', () => {
        const src = 'class A(object):\n    pass\ns = set([A(), A()])\nprint(len(list(s)))\nprint(list({3, 1, 2}))\n';
        for (const v of ['2.7', '3.8', '3.13']) expect(report(src, v).findings.filter((f) => f.kind === 'set-order').map((f) => f.line), v).toEqual([4]);
    });
    it('notes a set whose dealloc runs two or more __del__ of identity-hashed items, where it dies', () => {
        const src = 'class A(object):\n    def __del__(self):\n        print("del")\ns = set([A(), A()])\ndel s\nt = set([A()])\ndel t\n';
        for (const v of ['2.7', '3.13']) {
            const f = report(src, v).findings.filter((x) => x.kind === 'set-order');
            expect(f.map((x) => x.line), v).toEqual([5]);
            expect(f[0].message).toContain('running their __del__ methods');
        }
    });
    it('says nothing on the recorded set scenarios (their orders are CPython’s in every run)', () => {
        const dir = path.join(__dirname, '..', 'conformance', 'scenarios', 'sets');
        for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.pyscn'))) {
            const src = fs.readFileSync(path.join(dir, f), 'utf8');
            const v = f.endsWith('_27.pyscn') ? '2.7' : '3.13';
            expect(report(src, v).findings.filter((x) => x.kind === 'set-order'), f).toEqual([]);
        }
    });
});

describe('sets: a set key retried as a temporary frozenset (set_contains, set_discard_key)', () => {
    const report = (src: string, python: string) => buildReport(src, simulate(src, { python, fileName: 't.pyscn' }), { file: 't.pyscn', graph: false });
    it('allocates a frozenset copy of the key at the lookup and frees it there, for in, remove and discard', () => {
        const src = 'from __future__ import print_function\nk = set([1, 2])\ns = set([frozenset([1, 2]), 3])\nprint(k in s)\ns.discard(set([3]))\ns.remove(k)\nprint(s)\n';
        for (const v of ['2.7', '3.9', '3.13']) {
            const r = report(src, v);
            expect(r.stdout, v).toBe(v === '2.7' ? 'True\nset([3])\n' : 'True\n{3}\n');
            const temps = r.objects.filter((o) => o.type === 'frozenset' && o.allocLine !== 3);
            expect(temps.map((o) => [o.allocLine, o.fate, o.death?.line]), v).toEqual([
                [4, 'freed', 4],
                [5, 'freed', 5],
                [6, 'freed', 6],
            ]);
        }
    });
    it('does not retry a key that is not a set, nor another error than TypeError', () => {
        const src = 'class V(set):\n    def __hash__(self):\n        raise ValueError("v")\ns = {1}\ntry:\n    V() in s\nexcept ValueError as e:\n    print(e)\ntry:\n    [1] in s\nexcept TypeError as e:\n    print(e)\n';
        const r = report(src, '3.13');
        expect(r.stdout).toBe("v\nunhashable type: 'list'\n");
        expect(r.objects.filter((o) => o.type === 'frozenset')).toEqual([]);
    });
});

describe('sets: the methods with any iterable (interp/setobject.ts)', () => {
    const run = (src: string, python: string) => simulate(src, { python, fileName: 't.pyscn' }).stdout;
    const gen = 'from __future__ import print_function\ndef g(*xs):\n    for x in xs:\n        print("next", x)\n        yield x\n';
    it('issuperset of an iterable: a temporary set of all of it up to 3.10, item by item from 3.11', () => {
        const src = gen + 'print({1, 2}.issuperset(g(1, 3, 2)))\n';
        expect(run(src, '3.10')).toBe('next 1\nnext 3\nnext 2\nFalse\n');
        expect(run(src, '3.11')).toBe('next 1\nnext 3\nFalse\n');
    });
    it('issubset of an iterable: a temporary set up to 3.11, from 3.12 only until every item was found', () => {
        const src = gen + 'print({1, 2}.issubset(g(3, 2, 1, 4)))\n';
        expect(run(src, '3.11')).toBe('next 3\nnext 2\nnext 1\nnext 4\nTrue\n');
        expect(run(src, '3.12')).toBe('next 3\nnext 2\nnext 1\nTrue\n');
    });
    it('keeps the object setobject.c adds, and makes a subclass result on 2.7 only', () => {
        const src = 'from __future__ import print_function\nclass S(set):\n    pass\nprint(list({1}.intersection([1.0])), list({1}.union([1.0])), type(S([1]).union([2])).__name__)\n';
        expect(run(src, '2.7')).toBe('[1.0] [1] S\n');
        expect(run(src, '3.13')).toBe('[1.0] [1] set\n');
    });
});

describe('sets: the empty frozenset singleton (2.7–3.9)', () => {
    const report = (src: string, python: string) => buildReport(src, simulate(src, { python, fileName: 't.pyscn' }), { file: 't.pyscn', graph: false });
    const src = 'from __future__ import print_function\na = frozenset()\nb = frozenset([])\nprint(a is b, frozenset([1]) - frozenset([1]) is a)\ndel a, b\n';
    it('is one object kept by the interpreter (not reported as the line\'s), an empty result built then freed', () => {
        for (const v of ['2.7', '3.9']) {
            const r = report(src, v);
            expect(r.stdout, v).toBe('True False\n');
            // frozenset(): the singleton, the interpreter's; frozenset([]): an empty set built, then freed for it.
            expect(r.objects.filter((o) => o.type === 'frozenset' && o.allocLine <= 3).map((o) => [o.allocLine, o.fate, o.death?.line]), v).toEqual([[3, 'freed', 3]]);
            expect(r.findings.filter((f) => f.line === 2 || f.line === 3), v).toEqual([]);
        }
    });
    it('is gone from 3.10: each empty frozenset is freed with its last name', () => {
        const r = report(src, '3.10');
        expect(r.stdout).toBe('False False\n');
        expect(r.objects.filter((o) => o.type === 'frozenset' && o.allocLine >= 2 && o.allocLine <= 3).map((o) => [o.allocLine, o.fate, o.death?.line])).toEqual([
            [2, 'freed', 5],
            [3, 'freed', 5],
        ]);
    });
});

describe('2.7 dicts: the order caveat for keys hashed by identity', () => {
    const report = (src: string, python: string) => buildReport(src, simulate(src, { python, fileName: 't.pyscn' }), { file: 't.pyscn', graph: false });
    const src =
        'from __future__ import print_function\nclass A(object):\n    def __del__(self):\n        print("del")\n' +
        'd = {A(): 1, A(): 2}\nfor k in d:\n    pass\nprint(len(d))\ne = {"a": 1, "b": 2, 3: 4}\nprint(e, list(e))\n' +
        'f = {1: A(), 2: A()}\ndel f\ng = {A(): 1}\nprint(g)\nh = {A(): A(), A(): A()}\ndel h\nd.popitem()\n';
    it('notes the walks of a 2.7 dict whose keys hash by address: iteration, repr, popitem, a dealloc running two __del__', () => {
        const r = report(src, '2.7');
        const f = r.findings.filter((x) => x.kind === 'set-order');
        expect(f.map((x) => x.line)).toEqual([6, 16, 17]);
        expect(f[0].message).toContain('a dict is iterated here');
        expect(f[1].message).toContain('a dict frees its entries here');
        expect(r.caveats.some((c) => c.startsWith('Dicts: the order shown at lines 6, 16, 17 is one possible order'))).toBe(true);
    });
    it('says nothing on 3.x, whose dicts keep insertion order', () => {
        expect(report(src, '3.13').findings.filter((x) => x.kind === 'set-order')).toEqual([]);
    });
});
