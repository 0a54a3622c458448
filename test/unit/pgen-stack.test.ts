/*
 * The parser stack of 2.7's and 3.8's LL(1) parser (src/engine/parser/pgenStack.ts), checked
 * against the concrete syntax trees of the real interpreters: test/unit/fixtures/pgen-depth.json
 * holds, for every scenario, corpus program and example, and for snippets of each construct, the
 * depth each top-level statement needs, recorded by scripts/record-pgen-depth.mjs with 2.7's and
 * 3.8's own `parser` module. The overflow's output, at the nesting where each interpreter
 * overflows, is checked end to end by the conformance scenarios language/pgen_stack_*.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/engine/parser/parser';
import { pgenStatementDepths, type PgenGrammar } from '../../src/engine/parser/pgenStack';

const root = join(__dirname, '../..');
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/pgen-depth.json'), 'utf8')) as {
    files: Record<string, Record<PgenGrammar, [number, number][] | null>>;
    snippets: Record<string, { source: string } & Record<PgenGrammar, [number, number][] | null>>;
};

function ours(source: string, grammar: PgenGrammar): [number, number][] | null {
    const r = parse(source, { python2: grammar === '2.7' });
    if (r.diagnostics.length) return null;
    return [...pgenStatementDepths(r.module, source.split(/\r\n|\r|\n/), grammar)].sort((a, b) => a[0] - b[0]);
}

function compare(grammar: PgenGrammar, cases: [string, string, [number, number][]][]): { compared: number; wrong: string[] } {
    const wrong: string[] = [];
    let compared = 0;
    for (const [name, source, expected] of cases) {
        const got = ours(source, grammar);
        if (!got) continue; // a program our parser refuses under this grammar (e.g. a refused construct)
        compared++;
        const want = [...expected].sort((a, b) => a[0] - b[0]);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
            const diff = want.filter(([line, depth]) => got.find(([l]) => l === line)?.[1] !== depth).slice(0, 3);
            wrong.push(`${name}: line ${diff.map(([l, d]) => `${l} CPython ${d}, ours ${got.find(([x]) => x === l)?.[1]}`).join('; ')}`);
        }
    }
    return { compared, wrong };
}

describe('pgen parser stack depth = the real concrete syntax tree', () => {
    for (const grammar of ['2.7', '3.8'] as PgenGrammar[]) {
        it(`every construct snippet (${grammar})`, () => {
            const cases = Object.entries(fixture.snippets)
                .filter(([, s]) => s[grammar])
                .map(([name, s]) => [name, s.source, s[grammar]!] as [string, string, [number, number][]]);
            const { compared, wrong } = compare(grammar, cases);
            expect(wrong).toEqual([]);
            expect(compared).toBeGreaterThan(20);
        });
        it(`every scenario, corpus program and example ${grammar} parses (${grammar})`, () => {
            const cases = Object.entries(fixture.files)
                .filter(([file, v]) => v[grammar] && existsSync(join(root, file)))
                .map(([file, v]) => [file, readFileSync(join(root, file), 'utf8'), v[grammar]!] as [string, string, [number, number][]]);
            const { compared, wrong } = compare(grammar, cases);
            expect(wrong).toEqual([]);
            expect(compared).toBeGreaterThan(400);
        });
    }
});
