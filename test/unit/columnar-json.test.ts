/*
 * columnar-json.test.ts
 *
 * The heap graph page's packed report (src/report/columnarJson.ts): whatever is packed comes back
 * as the same JSON text, for any JSON value and for the reports of the examples and a slice of the
 * conformance corpus on every profile; and packing is what makes the page small.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate, ENABLED_PROFILES } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { packJson, unpackJson, type Packed } from '../../src/report/columnarJson';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..', '..');

/** Packed, written as the page writes it, read back and unpacked: the JSON text. */
function roundTrip(v: unknown): string {
    return JSON.stringify(unpackJson(JSON.parse(JSON.stringify(packJson(v))) as Packed));
}

describe('columnar JSON round trip', () => {
    it('any JSON value', () => {
        fc.assert(
            fc.property(fc.jsonValue(), (v) => {
                expect(roundTrip(v)).toBe(JSON.stringify(v));
            }),
            { numRuns: 2000 },
        );
    });

    it('rows of objects with optional keys, repeated rows, nulls and undefined', () => {
        const row = fc.record({ a: fc.integer({ min: -3, max: 3 }), b: fc.option(fc.constantFrom('x', 'y', 'z'), { nil: undefined }), c: fc.option(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }), { nil: null }) }, { requiredKeys: ['a'] });
        const rows = fc.array(fc.oneof({ weight: 6, arbitrary: row }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(undefined) }), { maxLength: 40 });
        fc.assert(
            fc.property(fc.array(fc.oneof(rows, fc.constant(null)), { maxLength: 12 }), (v) => {
                expect(roundTrip({ v, w: v.flat() })).toBe(JSON.stringify({ v, w: v.flat() }));
            }),
            { numRuns: 1500 },
        );
    });

    it('lists that start as earlier ones do (chains of references) share those starts', () => {
        const link = (i: number) => ({ from: i, edge: `e${i % 3}`, to: i + 1 });
        const chains: ({ link: number }[] | null)[] = [];
        const lists: (ReturnType<typeof link>[] | null)[] = [[]];
        for (let i = 1; i < 60; i++) lists.push(i % 13 === 0 ? null : [...(lists[Math.floor((i - 1) / 2)] ?? []), link(i)]);
        for (let i = 0; i < 5; i++) chains.push(i === 2 ? null : [{ link: i }, { link: i + 1 }]);
        const v = { objects: lists.map((chain, id) => ({ id, chain })), chains };
        expect(roundTrip(v)).toBe(JSON.stringify(v));
        expect(JSON.stringify(packJson(v))).toContain('["t",');
    });

    it('keys keep their order (__proto__ is a key like any other), a repeated string column and integers that grow', () => {
        const proto = JSON.parse('[{"__proto__": 1, "a": [{"__proto__": null}]}, {"__proto__": 2, "a": []}]');
        expect(roundTrip({ proto })).toBe(JSON.stringify({ proto }));
        const v = { z: 1, a: [...Array(40).keys()].map((i) => ({ q: 100000 + i * 7, b: i % 3 ? 'same' : null, a: -0, n: NaN })), s: ['a', 'b', 'a', 'a', 'b', 'a', 'a', 'a', null] };
        expect(roundTrip(v)).toBe(JSON.stringify(v));
        const packed = JSON.stringify(packJson(v));
        expect(packed).toContain('"i"');
        expect(packed).toContain('"s"');
    });
});

function reportOf(source: string, file: string, python?: string) {
    const r = simulate(source, { fileName: file, python, maxSteps: 5_000_000 });
    return buildReport(source, r, { file });
}

describe('reports packed for the heap graph page', () => {
    const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.pyscn'));
    const scenarioDir = path.join(ROOT, 'test', 'conformance', 'scenarios');
    const scenarios: string[] = [];
    for (const d of fs.readdirSync(scenarioDir).sort()) {
        const files = fs.readdirSync(path.join(scenarioDir, d)).filter((f) => f.endsWith('.pyscn')).sort();
        // A slice of every directory of the corpus: the first three scenarios of each.
        scenarios.push(...files.slice(0, 3).map((f) => path.join(scenarioDir, d, f)));
    }

    it.each(examples)('%s on 2.7, 3.13 and a tracing-GC profile', (f) => {
        const source = fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8');
        for (const v of ['2.7', '3.13', ENABLED_PROFILES[ENABLED_PROFILES.length - 1]]) {
            const report = reportOf(source, f, v);
            expect(roundTrip(report)).toBe(JSON.stringify(report));
        }
    });

    it('a slice of the conformance corpus on 2.7 and 3.13', () => {
        expect(scenarios.length).toBeGreaterThan(20);
        for (const s of scenarios) {
            const source = fs.readFileSync(s, 'utf8');
            for (const v of ['2.7', '3.13']) {
                const report = reportOf(source, path.basename(s), v);
                expect(roundTrip(report), `${s} on ${v}`).toBe(JSON.stringify(report));
            }
        }
    });

    it('a heap of 4,000 objects (a tree of nodes and their lists of children) is a sixth of its JSON', () => {
        const tree = `class Node:
    def __init__(self, parent):
        self.parent = parent
        self.children = []


root = Node(None)
level = [root]
while len(level) < 1024:
    below = []
    for p in level:
        for k in range(2):
            c = Node(p)
            p.children.append(c)
            below.append(c)
    level = below
level = below = p = c = None
`;
        const report = reportOf(tree, 'tree.pyscn');
        const json = JSON.stringify(report);
        expect(roundTrip(report)).toBe(json);
        expect(JSON.stringify(packJson(report)).length * 6).toBeLessThan(json.length);
    });
});
