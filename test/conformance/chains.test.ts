/*
 * chains.test.ts
 *
 * The report's chains ("what keeps this object alive?") against real CPython. For every scenario
 * and version recorded by scripts/record-chains.mjs, the engine's report is rebuilt and every chain
 * CPython can follow (objects freed during shutdown, held when the program finished running, by a
 * plain path from a module: `registry.items[2]`, `sys.keep`, `N.cache['k']`) must lead, in CPython,
 * to an object of the type the report names. Only CPython's answers are stored; the engine side is
 * computed here. A path CPython cannot follow fails, unless listed below with the reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { evaluableChains } from '../../src/report/chainProbe';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RECORDED = JSON.parse(fs.readFileSync(path.join(HERE, 'expected-chains.json'), 'utf8')) as Record<string, Record<string, Record<string, [string, string]>>>;

/**
 * Chains whose path names a reference CPython keeps under another name. Each is still checked: it
 * must fail in CPython exactly as recorded (a listed path that starts resolving fails the suite).
 */
const NAMED_DIFFERENTLY: { path: RegExp; versions: string[]; reason: string }[] = [
    {
        path: /^weakref\._finalize_registry$/,
        versions: ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'],
        reason: 'the engine keeps weakref.finalize\'s registry as a module global; CPython keeps it as the class attribute weakref.finalize._registry (same dict, same lifetime: both go with the weakref module)',
    },
    {
        path: /(^|\.|\])__callback__(\.|\[|$)/,
        versions: ['2.7'],
        reason: 'a 2.7 weakref holds its callback in a C field (wr_callback) with no Python attribute; __callback__ exists from 3.4',
    },
    {
        path: /__closure__\[\d+\]\.(?!cell_contents\b)[A-Za-z_]\w*/,
        versions: ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'],
        reason: "a closure cell's reference is labelled with its variable name (the name the reader knows); CPython's attribute for it is cell_contents",
    },
];

interface Case {
    scenario: string;
    version: string;
    paths: Record<string, [string, string]>;
}
const cases: Case[] = [];
for (const [scenario, byVersion] of Object.entries(RECORDED)) for (const [version, paths] of Object.entries(byVersion)) cases.push({ scenario, version, paths });

describe('chains against CPython (test/conformance/expected-chains.json)', () => {
    it('the recording covers many chains', () => {
        const n = cases.reduce((s, c) => s + Object.keys(c.paths).length, 0);
        expect(cases.length).toBeGreaterThan(500);
        expect(n).toBeGreaterThan(5000);
    });

    for (const c of cases) {
        it(`${c.scenario} [${c.version}]`, () => {
            const source = fs.readFileSync(path.join(HERE, 'scenarios', c.scenario), 'utf8');
            const res = simulate(source, { python: c.version, fileName: c.scenario });
            const chains = evaluableChains(buildReport(source, res, { graph: false }));
            const mine = new Set(chains.map((x) => x.path));
            // Same set of paths as when recorded (else re-run `node scripts/record-chains.mjs`).
            expect([...mine].sort()).toEqual(Object.keys(c.paths).sort());
            for (const ch of chains) {
                const [type, cls] = c.paths[ch.path];
                const listed = NAMED_DIFFERENTLY.find((k) => k.path.test(ch.path) && k.versions.includes(c.version));
                if (listed) {
                    expect(type, `${ch.path}: listed as named differently (${listed.reason}) but CPython resolves it`).toMatch(/^!/);
                    continue;
                }
                expect([type, cls], `${ch.path} leads to a ${type} in CPython ${c.version}`).toContain(ch.type);
            }
        });
    }
});
