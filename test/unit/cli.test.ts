/*
 * The built command line (dist/cli.js) on the red-team's inputs that crashed it or lost work
 * (C1-C6, I2, I3, S4, X4) and on issue 17's budgets: every run ends with CPython's output or a
 * positioned `FILE:LINE:COL: error:` and exit 2, never a Node stack trace or an abort.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const built = fs.existsSync(CLI) && fs.existsSync(path.join(ROOT, 'dist', 'cli-worker.js'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-cli-'));

function scenario(name: string, text: string | Buffer): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
}

function cli(args: string[], opts: { shell?: string } = {}) {
    const r = opts.shell
        ? spawnSync('/bin/sh', ['-c', opts.shell], { encoding: 'utf8', timeout: 120_000 })
        : spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** No crash: an exit status of ours, no signal, no JavaScript stack trace. */
function expectClean(r: ReturnType<typeof cli>): void {
    expect(r.signal).toBeNull();
    expect([0, 1, 2, 9]).toContain(r.status);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|Error: EPIPE|Unhandled 'error'|FATAL ERROR|node:internal/);
}

describe.skipIf(!built)('exitscope CLI on inputs that crashed it (red team)', () => {
    it('C1/C2/I3: a list or string larger than the engine can hold is a positioned error, at once', () => {
        for (const [name, src, line] of [
            ['c1.pyscn', 'x = [None] * 140000000\nprint(len(x))\n', 1],
            ['c2.pyscn', 'x = list(range(10**10))\n', 1],
            ['i3.pyscn', 'a = 1\ns = "ab" * (2**29)\nprint(len(s))\n', 2],
        ] as const) {
            const r = cli(['run', scenario(name, src)]);
            expectClean(r);
            expect(r.status).toBe(2);
            expect(r.stderr).toMatch(new RegExp(`${name}:${line}:\\d+: error: simulation limit: this line makes a (list|string) of`));
        }
    });

    it('CPython raises MemoryError (OverflowError) first where no allocator could give the memory', () => {
        const r = cli(['run', scenario('me.pyscn', 'try:\n    [None] * 2**61\nexcept MemoryError as e:\n    print("MemoryError", repr(e))\ntry:\n    [None] * 2**63\nexcept OverflowError as e:\n    print(e)\n')]);
        expectClean(r);
        expect(r.stdout).toBe("MemoryError MemoryError()\ncannot fit 'int' into an index-sized integer\n");
    });

    it('I2: recursion to CPython\'s limit and past the main thread\'s stack', () => {
        const caught = cli(['run', scenario('i2.pyscn', 'def f():\n    f()\ntry:\n    f()\nexcept RecursionError as e:\n    print("caught", e)\n')]);
        expect(caught.stdout).toBe('caught maximum recursion depth exceeded\n');
        const deep = cli(['run', scenario('i2c.pyscn', 'import sys\nsys.setrecursionlimit(100000)\ndef f(n):\n    if n == 0:\n        return 0\n    return f(n - 1) + 1\nprint(f(20000))\n')]);
        expectClean(deep);
        expect(deep.stdout).toBe('20000\n');
    });

    it('C5: an output file that cannot be written is a message, exit 2', () => {
        const src = scenario('c5.pyscn', 'class N: pass\nn = N()\n');
        for (const out of ['/nonexistent-dir/x.html', dir]) {
            for (const format of ['html', 'json', 'text']) {
                const r = cli(['report', src, '--format', format, '-o', out]);
                expectClean(r);
                expect(r.status).toBe(2);
                expect(r.stderr).toMatch(/^exitscope: cannot write .*: (no such file or directory \(ENOENT\)|it is a directory \(EISDIR\))\n$/);
            }
        }
    });

    it('C6: a reader that closes the pipe early ends the output quietly', () => {
        const src = scenario('c6.pyscn', 'print("x" * 10**7)\nfor i in range(1000):\n    print(i)\n');
        for (const cmd of ['run', 'report --format json']) {
            const r = cli([], { shell: `"${process.execPath}" "${CLI}" ${cmd} "${src}" | head -c 10 > /dev/null` });
            expect(r.stderr).toBe('');
        }
    });

    it('C3: a scenario past the size limit (the editor\'s too) is refused with a message', () => {
        const big = scenario('c3.pyscn', 'x = 1\n'.repeat(1_500_000));
        const r = cli(['run', big]);
        expectClean(r);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/larger than 8 MB/);
        const dev = cli(['run', '/dev/zero']);
        expect(dev.status).toBe(2);
        expect(dev.stderr).toMatch(/larger than 8 MB/);
    });

    it('S4: source bytes are decoded as CPython decodes them (PEP 263)', () => {
        const bad = cli(['run', scenario('s4.pyscn', Buffer.from('x = 1\nprint("\xff\xfe")\n', 'latin1'))]);
        expect(bad.status).toBe(2);
        expect(bad.stderr).toMatch(/s4\.pyscn:2:1: error: Non-UTF-8 code starting with '\\xff' in file .*s4\.pyscn on line 2, but no encoding declared/);
        const bogus = cli(['run', scenario('s4b.pyscn', '# -*- coding: bogus -*-\nprint(1)\n')]);
        expect(bogus.stderr).toMatch(/s4b\.pyscn:1:1: error: encoding problem: bogus/);
        const latin1 = cli(['run', scenario('s4c.pyscn', Buffer.from('# coding: latin-1\nprint("\xe9", len("\xe9"))\n', 'latin1'))]);
        expect(latin1.stdout).toBe('é 1\n');
    });
});

describe.skipIf(!built)('exitscope CLI budgets (issue 17)', () => {
    it('the churn program finishes with default options and prints what CPython 3.13 prints', () => {
        const r = cli(['run', path.join(ROOT, 'scripts', 'bench', 'churn.pyscn')]);
        expect(r.stderr).toBe('');
        // python3.13 -S scripts/bench/churn.pyscn
        expect(r.stdout).toBe('40000 300000 True\n');
    });

    it('an endless loop stops at the time budget, at the line it was executing', () => {
        const r = cli(['run', scenario('loop.pyscn', 'x = 0\nwhile True:\n    x += 1\n'), '--max-seconds', '1']);
        expectClean(r);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/loop\.pyscn:[23]:\d+: error: time budget exhausted: stopped after 1 s of simulation/);
    });

    it('a list doubling forever stops with a clear message, not an abort', () => {
        const r = cli(['run', scenario('double.pyscn', 'x = [0]\nwhile True:\n    x = x + x\n'), '--max-seconds', '30']);
        expectClean(r);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/double\.pyscn:3:\d+: error: (simulation limit|memory budget exhausted|time budget exhausted)/);
    });

    it('--max-steps keeps working, with an upper bound (X4)', () => {
        const src = scenario('steps.pyscn', 'while True:\n    pass\n');
        const r = cli(['run', src, '--max-steps', '5000']);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/steps\.pyscn:[12]:\d+: error: step budget exhausted after 5,000 steps/);
        const tooMany = cli(['run', src, '--max-steps', '2000000000']);
        expect(tooMany.status).toBe(2);
        expect(tooMany.stderr).toMatch(/--max-steps takes a whole number from 1 to 1,000,000,000/);
    });
});
