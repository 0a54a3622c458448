import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';

const run = (src: string, python = '3.13') => simulate(src, { python, fileName: 't.pyscn' });
const report = (src: string, python = '3.13') => buildReport(src, run(src, python), { file: 't.pyscn', graph: false });

describe('time on the virtual clock (threads/virtualClock.ts)', () => {
    it('starts time.time() at the virtual epoch and the others at 0; each reading moves the clock by 1 µs; sleep moves it', () => {
        const src = 'import time\nprint(time.time(), time.monotonic(), time.perf_counter())\ntime.sleep(2)\nprint(time.monotonic(), time.monotonic_ns(), time.time_ns())\n';
        expect(run(src).stdout).toBe('1767225600.0 1e-06 2e-06\n2.000003 2000004000 1767225602000005000\n');
        // 2.7 has time.time only: the others are CPython's AttributeError.
        const r27 = run('import time\nprint(time.time())\ntime.monotonic\n', '2.7');
        expect(r27.stdout).toBe('1767225600.0\n');
        expect(r27.stderr).toMatch(/AttributeError: 'module' object has no attribute 'monotonic'/);
    });

    it('notes every line that reads the clock, with a caveat, and nothing where none does', () => {
        const r = report('import time\nt0 = time.time()\ntime.sleep(1)\nprint(time.time() - t0 >= 1)\n');
        expect(r.findings.filter((f) => f.kind === 'clock-value').map((f) => [f.line, f.severity])).toEqual([
            [2, 'note'],
            [4, 'note'],
        ]);
        expect(r.caveats.some((c) => c.startsWith('Clock: lines 2, 4 read'))).toBe(true);
        const quiet = report('import time\ntime.sleep(1)\nprint(1)\n');
        expect(quiet.findings.filter((f) => f.kind === 'clock-value')).toEqual([]);
        expect(quiet.caveats.some((c) => c.startsWith('Clock'))).toBe(false);
    });

    it('ends a loop that waits for a deadline, as CPython\'s does', () => {
        const r = run('import time\nend = time.monotonic() + 0.001\nn = 0\nwhile time.monotonic() < end:\n    n += 1\nprint(n)\n');
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe('999\n');
    });

    it('words argument errors as each version does', () => {
        expect(run('import time\ntime.time(1)\n', '3.8').stderr).toMatch(/TypeError: time\(\) takes no arguments \(1 given\)/);
        expect(run('import time\ntime.time(1)\n', '3.12').stderr).toMatch(/TypeError: time\.time\(\) takes no arguments \(1 given\)/);
    });
});
