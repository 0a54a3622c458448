/*
 * A process CPython ends by a signal: 3.8+ kill themselves with SIGINT after an uncaught
 * KeyboardInterrupt (Py_RunMain's exit_sigint), exactly that class and only once Py_FinalizeEx is
 * done. The result says it as subprocess's returncode (-2), `exitscope run` exits as a shell
 * reports it (130), the report's title says `killed by SIGINT`. The outputs themselves are checked
 * against CPython by the conformance scenarios shutdown/keyboard_interrupt_*.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';
import { runCli } from '../../src/cli/commands';
import { buildReport } from '../../src/report/report';
import { formatText } from '../../src/report/formats/text';

const INTERRUPTED = 'import atexit\natexit.register(print, "atexit")\nraise KeyboardInterrupt\n';

function runExit(source: string, python: string): { status: number; stdout: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-signal-'));
    const file = path.join(dir, 's.pyscn');
    fs.writeFileSync(file, source);
    let stdout = '';
    const status = runCli(['run', file, '--python', python], { out: (t) => (stdout += t), err: () => {} });
    fs.rmSync(dir, { recursive: true });
    return { status, stdout };
}

describe('an uncaught KeyboardInterrupt', () => {
    it('kills 3.8+ by SIGINT after the atexit handlers; 2.7 exits 1', () => {
        for (const v of ['3.8', '3.13']) {
            const r = simulate(INTERRUPTED, { python: v });
            expect(r.stdout).toBe('atexit\n');
            expect(r.exitCode).toBe(-2);
        }
        const r27 = simulate('raise KeyboardInterrupt\n', { python: '2.7' });
        expect(r27.exitCode).toBe(1);
    });

    it('a subclass, or one caught and another error raised, ends with status 1', () => {
        expect(simulate('class K(KeyboardInterrupt): pass\nraise K\n', { python: '3.13' }).exitCode).toBe(1);
        expect(simulate('try:\n    raise KeyboardInterrupt\nexcept KeyboardInterrupt:\n    raise ValueError\n', { python: '3.13' }).exitCode).toBe(1);
    });

    it('exitscope run exits 130, as a shell reports the signal', () => {
        expect(runExit(INTERRUPTED, '3.13')).toEqual({ status: 130, stdout: 'atexit\n' });
        expect(runExit('raise KeyboardInterrupt\n', '2.7').status).toBe(1);
    });

    it('the report says the process was killed by SIGINT', () => {
        const r = simulate(INTERRUPTED, { python: '3.13' });
        expect(formatText(buildReport(INTERRUPTED, r), { color: false }).split('\n')[0]).toMatch(/— Python 3\.13 — killed by SIGINT$/);
    });
});
