import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/engine';

// A class's __dict__ is a mappingproxy (builtins/mappingproxy.ts); its recorded behaviour is the
// conformance scenario datamodel/class_dict_proxy. These are the cases the engine must refuse
// rather than answer wrongly.
describe('mappingproxy of a class dict', () => {
    it("a built-in type's __dict__ answers only what the engine models: a name CPython's has stops the run", () => {
        const cases: [string, string, number][] = [
            ["x = 1\nprint('fromkeys' in dict.__dict__)\n", "dict.__dict__['fromkeys']", 2],
            ["x = 1\ny = dict.__dict__['fromkeys']\n", "dict.__dict__['fromkeys']", 2],
            ["x = 1\nprint(dict.__dict__.get('fromkeys'))\n", "dict.__dict__['fromkeys']", 2],
            ['x = 1\nprint(len(list.__dict__))\n', "the whole __dict__ of built-in type 'list'", 2],
            ['x = 1\nprint(sorted(list.__dict__))\n', "the whole __dict__ of built-in type 'list'", 2],
            ['class C(object):\n    pass\nprint(C.__dict__ < C.__dict__)\n', 'ordering comparisons of a mappingproxy', 3],
        ];
        for (const python of ['2.7', '3.8', '3.13']) {
            for (const [src, what, line] of cases) {
                const r = simulate(src, { python });
                expect(r.errors.map((e) => [e.kind, e.message, e.line]), `${python}: ${src}`).toEqual([['unsupported', `not supported in scenarios yet: ${what}`, line]]);
            }
        }
    });

    it("answers a built-in type's dict for names it has, and a name CPython's lacks as CPython does", () => {
        const r = simulate("print('append' in list.__dict__, list.__dict__.get('nothing'), 'nothing' in list.__dict__)\n", { python: '3.13' });
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe('True None False\n');
    });
});
