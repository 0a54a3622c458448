/*
 * del-chain.test.ts
 *
 * Red-team S10: a `__del__` that drops a new instance of its class. Each call nests one more
 * dealloc, and what stops the chain is the profile's trashcan (profiles.ts TrashcanProfile):
 * 3.8–3.12 and 2.7's new-style classes defer the dealloc 50 (49) deep, so CPython loops for ever;
 * 2.7's classic classes have no trashcan and end with RuntimeError (refcount/del_chain_classic.pyscn)
 * (checked: `timeout 10 python3.X -S s10.py` is killed on 3.8, 3.9, 3.10, 3.11, 3.12 and 2.7 with
 * `class A(object)`, which prints "end" first); 3.13 counts C stack units, so the recursion limit
 * comes first (recorded: refcount/del_chain_recursion.pyscn). The recorded scenarios that need a
 * stack deeper than vitest's worker thread are run here through the CLI (known-divergences.json
 * lists them for the in-process conformance run).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const S10 = 'class A:\n    def __del__(self):\n        A()\nA()\nprint("end")\n';

describe('S10: a __del__ that creates an instance of its class', () => {
    it('3.8–3.12 loop for ever as CPython does: the budget stops the run inside __del__, nothing printed', () => {
        for (const python of ['3.8', '3.9', '3.10', '3.11', '3.12']) {
            const r = simulate(S10, { python, fileName: 's10.pyscn', maxSteps: 10_000 });
            expect(r.stdout, python).toBe('');
            expect(r.exitCode, python).toBe(2);
            expect(r.errors.map((e) => `${e.line}:${e.col} ${e.kind}`), python).toEqual(['3:9 budget']);
        }
    });

    it('3.13: __del__ number 1000 raises RecursionError, reported as unraisable, and the program goes on', () => {
        const r = simulate(S10, { python: '3.13', fileName: 's10.pyscn' });
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe('end\n');
        expect(r.exitCode).toBe(0);
        expect(r.stderr.replace(/0x[0-9a-f]+/, '0x…')).toBe(
            'Exception ignored in: <function A.__del__ at 0x…>\nTraceback (most recent call last):\n  File "s10.pyscn", line 3, in __del__\nRecursionError: maximum recursion depth exceeded\n',
        );
    });

    it('2.7 (the reproducer\'s classic class): no trashcan in instance_dealloc, three depth units a call: RuntimeError at call 334', () => {
        const r = simulate(S10, { python: '2.7', fileName: 's10.pyscn' });
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe('end\n');
        expect(r.stderr.replace(/0x[0-9a-f]+/, '0x…')).toBe(
            "Exception RuntimeError: 'maximum recursion depth exceeded while calling a Python object' in <bound method A.__del__ of <__main__.A instance at 0x…>> ignored\n",
        );
    });

    it('2.7 (a new-style class): subtype_dealloc never empties the trash itself, so "end" is printed before the endless chain resumes', () => {
        const src = 'from __future__ import print_function\nclass A(object):\n    def __del__(self):\n        A()\nA()\nprint("end")\n';
        const r = simulate(src, { python: '2.7', fileName: 's10.pyscn', maxSteps: 10_000 });
        expect(r.stdout).toBe('end\n');
        expect(r.errors.map((e) => e.kind)).toEqual(['budget']);
    });
});

describe.skipIf(!fs.existsSync(CLI))('recorded scenarios deeper than the test thread\'s stack, through the CLI', () => {
    it('refcount/del_chain_c_stack.pyscn: 3.13 defers at 3,316 levels, 3.12 at 50, as recorded', () => {
        const scenario = path.join(ROOT, 'test/conformance/scenarios/refcount/del_chain_c_stack.pyscn');
        const recorded = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/conformance/expected/refcount/del_chain_c_stack.pyscn.json'), 'utf8'));
        for (const python of ['3.13', '3.12']) {
            const r = spawnSync(process.execPath, [CLI, 'run', scenario, '--python', python], { encoding: 'utf8', timeout: 120_000 });
            expect(r.stderr, python).toBe('');
            expect(r.stdout, python).toBe(recorded.results[python].stdout);
            expect(r.status, python).toBe(recorded.results[python].exitCode);
        }
    });

    it('gc/trashcan_long_cycle.pyscn: 3.13 nests about 9,950 deallocations before the trashcan defers, as recorded', () => {
        const scenario = path.join(ROOT, 'test/conformance/scenarios/gc/trashcan_long_cycle.pyscn');
        const recorded = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/conformance/expected/gc/trashcan_long_cycle.pyscn.json'), 'utf8'));
        const r = spawnSync(process.execPath, [CLI, 'run', scenario, '--python', '3.13'], { encoding: 'utf8', timeout: 120_000 });
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(recorded.results['3.13'].stdout);
        expect(r.status).toBe(recorded.results['3.13'].exitCode);
    });
});
