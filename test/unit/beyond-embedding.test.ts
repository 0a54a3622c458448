// Issue 8, embedded interpreters: test/embedding/host.c runs a scenario N times in one process
// (Py_InitializeFromConfig / PyRun_SimpleFile / Py_FinalizeEx); its stdout must equal what the
// engine's embedded profile predicts (`simulate(src, { python: '3.11', embedded: 3 })`).
//
// Built here with gcc against libpython 3.11: pyenv's shared build (~/.pyenv/versions/3.11.*,
// matching the 3.11 profile's 3.11.7 recordings) when present, else Debian's
// (`python3.11-config --embed`; packages gcc libpython3.11-dev). Skipped, saying why, without them.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { formatText } from '../../src/report/formats/text';
import { PROFILES } from '../../src/engine/profiles';

const HERE = path.resolve(__dirname, '../embedding');
const SCENARIOS = readdirSync(path.join(HERE, 'scenarios')).filter((f) => f.endsWith('.pyscn')).sort();
const CYCLES = 3;

interface Host {
    exe: string;
    env: NodeJS.ProcessEnv;
    python: string;
}

function which(cmd: string): string | null {
    const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
}

/** Builds the host once; returns null and a reason when it cannot. */
function buildHost(): { host: Host | null; why: string } {
    if (!which('gcc')) return { host: null, why: 'gcc is not installed (apt-get install gcc)' };
    const out = mkdtempSync(path.join(tmpdir(), 'exitscope-host-'));
    const candidates: { config: string; home: string | null; label: string }[] = [];
    const pyenv = path.join(homedir(), '.pyenv/versions');
    if (existsSync(pyenv)) {
        for (const v of readdirSync(pyenv).filter((n) => /^3\.11\.\d+$/.test(n)).sort().reverse()) {
            const dir = path.join(pyenv, v);
            const shared = readdirSync(path.join(dir, 'lib')).some((f) => /^libpython3\.11\.so/.test(f));
            if (shared && existsSync(path.join(dir, 'bin/python3.11-config'))) candidates.push({ config: path.join(dir, 'bin/python3.11-config'), home: dir, label: `pyenv ${v}` });
        }
    }
    if (existsSync('/usr/bin/python3.11-config')) candidates.push({ config: '/usr/bin/python3.11-config', home: null, label: 'Debian libpython3.11' });
    if (!candidates.length) return { host: null, why: 'no libpython3.11 to embed (apt-get install libpython3.11-dev, or a pyenv 3.11 built with --enable-shared)' };
    const problems: string[] = [];
    for (const c of candidates) {
        try {
            const flags = execFileSync(c.config, ['--cflags', '--ldflags', '--embed'], { encoding: 'utf8' }).trim().split(/\s+/);
            const libdir = execFileSync(c.config, ['--prefix'], { encoding: 'utf8' }).trim() + '/lib';
            const exe = path.join(out, 'host');
            execFileSync('gcc', ['-o', exe, path.join(HERE, 'host.c'), ...flags, `-Wl,-rpath,${libdir}`], { stdio: 'pipe' });
            const env: NodeJS.ProcessEnv = {};
            for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PYTHON')) env[k] = v;
            if (c.home) env.PYTHONHOME = c.home;
            return { host: { exe, env, python: c.label }, why: '' };
        } catch (e) {
            problems.push(`${c.label}: ${(e as Error).message.split('\n')[0]}`);
        }
    }
    return { host: null, why: `could not build test/embedding/host.c: ${problems.join('; ')}` };
}

const { host, why } = buildHost();
if (!host) console.warn(`beyond-embedding: host test skipped: ${why}`);

/** What host.c prints, as the engine predicts it. */
function predicted(source: string, file: string): string {
    const r = simulate(source, { python: '3.11', embedded: CYCLES, fileName: file });
    expect(r.errors).toEqual([]);
    let out = '';
    for (const c of r.cycles!) {
        out += `--- cycle ${c.cycle} ---\n${c.stdout}`;
        if (!c.endedProcess) out += `--- run ${c.cycle}: ${c.runResult} ---\n`;
    }
    return out;
}

describe('embedded interpreter (host.c vs --python 3.11 --embedded 3)', () => {
    it.skipIf(!host).each(SCENARIOS)('%s: stdout of every cycle matches the real host', (name) => {
        const file = path.join(HERE, 'scenarios', name);
        const r = spawnSync(host!.exe, [file, String(CYCLES)], { env: host!.env, encoding: 'utf8', timeout: 60_000 });
        expect(r.status, r.stderr).toBe(0);
        expect(predicted(readFileSync(file, 'utf8'), file)).toBe(r.stdout);
    });

    // Audit #56: the per-cycle constant the embedded note quotes is what Valgrind finds a cycle of
    // an empty script leaves allocated (PYTHONMALLOC=malloc, so every object is a malloc block).
    it.skipIf(!host || !which('valgrind'))('the per-cycle bytes CPython itself keeps (embedCycleLeakBytes) are what Valgrind measures', () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'exitscope-embed-'));
        const file = path.join(dir, 'empty.py');
        writeFileSync(file, 'pass\n');
        const inUse = (cycles: number): number => {
            const r = spawnSync('valgrind', ['--leak-check=summary', host!.exe, file, String(cycles)], { env: { ...host!.env, PYTHONMALLOC: 'malloc' }, encoding: 'utf8', timeout: 300_000 });
            const m = /in use at exit: ([\d,]+) bytes/.exec(r.stderr);
            expect(m, r.stderr).not.toBeNull();
            return Number(m![1].replace(/,/g, ''));
        };
        const one = inUse(1);
        const three = inUse(3);
        expect((three - one) / 2).toBe(PROFILES['3.11'].memory.embedCycleLeakBytes);
        const note = buildReport('pass\n', simulate('pass\n', { python: '3.11', embedded: 2 })).embedded!.note;
        expect(note).toContain('itself frees everything a cycle of an empty script allocates');
    }, 600_000);

    it('the report shows what each cycle leaves behind and why', () => {
        const src = [
            'import gc',
            'class Kept:',
            '    pass',
            'k = Kept()  # exitscope: c-alloc 4096 "static cache" freed=never',
            'k.self = k',
            'gc.freeze()',
            'print("frozen")',
            '',
        ].join('\n');
        const result = simulate(src, { python: '3.11', embedded: 3 });
        const rep = buildReport(src, result);
        const e = rep.embedded!;
        expect(e.cycles.map((c) => c.cycle)).toEqual([1, 2, 3]);
        // The frozen cycle is never collected, the native block never freed: every cycle leaks both.
        for (const c of e.cycles) {
            expect(c.survivors).toBeGreaterThanOrEqual(1);
            expect(c.nativeLostBytes).toBe(4096);
            expect(c.staticBytes).toBe(PROFILES['3.11'].memory.embedCycleLeakBytes);
        }
        expect(e.cycles[2].cumulativeBytes).toBe(3 * e.cycles[0].leakedBytes);
        const cause = e.causes.find((c) => c.type === 'Kept');
        expect(cause?.line).toBe(4);
        expect(cause?.perCycle).toEqual([1, 1, 1]);
        expect(e.causes.find((c) => c.type === 'native')?.perCycle).toEqual([1, 1, 1]);
        // The text report says it too (the example's header tells users to run `report --embedded 3`).
        const text = formatText(rep);
        expect(text).toContain('Embedded: 3 cycles in one process');
        expect(text).toMatch(/cycle 3: leaves \d+(\.\d)? (B|KiB): \d+ objects? \([^)]*\), 4\.0 KiB of native blocks; /);
        expect(text).toContain('line 4: static cache (native), 4.0 KiB each, left per cycle: 1, 1, 1');
        expect(formatText({ ...rep, embedded: undefined })).not.toContain('Embedded:');
    });

    it('SystemExit ends the host process: later cycles never run', () => {
        const r = simulate('print("hi")\nraise SystemExit(3)\n', { python: '3.11', embedded: 3 });
        expect(r.cycles!.length).toBe(1);
        expect(r.cycles![0].endedProcess).toBe(true);
        expect(r.exitCode).toBe(3);
        expect(r.stdout).toBe('hi\n');
    });

    it('an uncaught exception makes PyRun_SimpleFile return -1 and the next cycle runs', () => {
        const r = simulate('print("x")\nraise ValueError(1)\n', { python: '3.11', embedded: 2 });
        expect(r.cycles!.map((c) => c.runResult)).toEqual([-1, -1]);
        expect(r.stdout).toBe('x\nx\n');
    });
});
