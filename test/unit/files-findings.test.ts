// "Why was my file never flushed?": the file-unflushed findings, checked against the final
// directories CPython left (test/conformance/expected/files/*.json, recorded by the recorder):
// a file gets a finding on a version exactly when the engine lost bytes of it there, and what the
// program wrote minus what was lost is what CPython's file holds.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { formatText } from '../../src/report/formats/text';

const ROOT = path.join(__dirname, '..', 'conformance');
interface Recorded {
    results: Record<string, { files?: Record<string, string | { base64: string } | null> }>;
}

function recorded(name: string): Recorded {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'expected', 'files', `${name}.pyscn.json`), 'utf8')) as Recorded;
}

function reportOf(name: string, version: string, compareWith?: string[]) {
    const file = path.join(ROOT, 'scenarios', 'files', `${name}.pyscn`);
    const source = fs.readFileSync(file, 'utf8');
    const r = simulate(source, { python: version, fileName: `${name}.pyscn` });
    return buildReport(source, r, { file: `${name}.pyscn`, compareWith, graph: false });
}

const byteLength = (v: string | { base64: string } | null | undefined): number => (typeof v === 'string' ? new TextEncoder().encode(v).length : v ? atob(v.base64).length : 0);

// Scenarios where bytes are lost on some version and kept on others, by every cause.
const CASES: [string, string][] = [
    ['buffering_os_exit', 'os-exit'],
    ['cycle_at_exit', 'closed-under-it'],
    ['cycle_loses_data', 'closed-under-it'],
    ['unflushed_saveall', 'closed-under-it'],
    ['unflushed_frozen', 'never-freed'],
];

describe('file-unflushed findings agree with the final directories CPython left', () => {
    for (const [name, cause] of CASES) {
        const rec = recorded(name);
        for (const version of Object.keys(rec.results)) {
            it(`${name} on ${version}`, () => {
                const rep = reportOf(name, version);
                const cpython = rec.results[version].files ?? {};
                const findings = rep.findings.filter((f) => f.kind.startsWith('file-unflushed/'));
                for (const f of rep.files?.files ?? []) {
                    if (f.kind !== 'file' || f.origin !== 'created') continue;
                    // Everything written either reached CPython's file or is reported lost.
                    expect(f.writtenBytes, f.path).toBe(byteLength(cpython[f.path]));
                    const mine = findings.filter((x) => x.message.includes(`to '${f.path}'`));
                    expect(mine.length, f.path).toBe(f.lost.length);
                    for (const x of mine) expect(x.kind).toBe(`file-unflushed/${cause}`);
                }
                const lostSomewhere = (rep.files?.lostBytes ?? 0) > 0;
                expect(findings.length > 0).toBe(lostSomewhere);
            });
        }
    }

    it('names the mechanism: os._exit and its line; the FileIO finalized first; why the object survives', () => {
        const osExit = reportOf('buffering_os_exit', '3.12').findings.find((f) => f.message.includes("'small.txt'"))!;
        expect(osExit.message).toMatch(/^13 bytes written to 'small\.txt' through small \(TextIOWrapper, opened at line 5\) never reached the file: os\._exit\(\) at line 16/);
        expect(osExit.related).toEqual([{ line: 16, column: 1, message: 'os._exit() ends the process here' }]);
        const cycle = reportOf('cycle_loses_data', '3.13').findings.find((f) => f.kind === 'file-unflushed/closed-under-it')!;
        expect(cycle.message).toMatch(/the collection at line 16 found it, with its FileIO h\.log\.buffer\.raw, in cyclic garbage and finalized the FileIO first/);
        expect(cycle.message).toMatch(/'cycle\.txt' ends empty\.$/);
        const frozen = reportOf('unflushed_frozen', '3.8').findings.find((f) => f.kind === 'file-unflushed/never-freed')!;
        expect(frozen.message).toMatch(/h\.f is never freed \(frozen by gc\.freeze\(\)\)/);
        expect(frozen.severity).toBe('warning');
    });

    it('2.7 loses nothing where 3.x does, and the version note comes from simulating it', () => {
        expect(reportOf('cycle_at_exit', '2.7').findings.filter((f) => f.kind.startsWith('file-unflushed/'))).toEqual([]);
        const rep = reportOf('cycle_at_exit', '3.12', ['2.7', '3.8']);
        const f = rep.findings.find((x) => x.kind === 'file-unflushed/closed-under-it')!;
        expect(f.explanation.versions).toBe(`Simulated: 2.7: 'exit.txt' ends with 15 bytes "left in a cycle".`);
        expect(rep.versions!.find((v) => v.profile === '2.7')!.files).toEqual([{ path: 'exit.txt', bytes: 0, otherBytes: 15, otherText: 'left in a cycle' }]);
        expect(rep.versions!.find((v) => v.profile === '3.8')!.files).toBeUndefined();
        expect(formatText(rep)).toMatch(/file exit\.txt: 0 B here, 15 B on 2\.7/);
    });

    it('counts the findings in the summary', () => {
        const rep = reportOf('buffering_os_exit', '3.13');
        const n = rep.findings.filter((f) => f.kind.startsWith('file-unflushed/')).length;
        expect(n).toBe(2);
        expect(rep.summary.findings.warning).toBe(rep.findings.filter((f) => f.severity === 'warning').length);
    });
});
