// The io model through the engine: the final directory in the result, FileWrite/FileLost events,
// refusals instead of invented errors, and the guarantee that no real file is read or written.
import { describe, expect, it, vi, afterEach } from 'vitest';
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simulate, type FileEntry } from '../../src/engine/index';
import { EventKind, eventString } from '../../src/engine/events';
import { buildReport } from '../../src/report/report';
import { formatText } from '../../src/report/formats/text';

const text = (e: FileEntry | undefined): string | undefined => (e?.data ? new TextDecoder().decode(e.data) : undefined);
const files = (r: ReturnType<typeof simulate>): Record<string, string | undefined> => Object.fromEntries((r.files ?? []).map((e) => [e.path, e.kind === 'file' ? text(e) : e.kind]));

describe('the run directory in the result', () => {
    it('holds declared files, what the run wrote, and not the unchanged scenario', () => {
        const r = simulate('# exitscope: file in.txt "41"\n# exitscope: dir d\nopen("out.txt", "w").write(open("in.txt").read() + "!")\n', { python: '3.13', fileName: 's.pyscn' });
        expect(r.errors).toEqual([]);
        expect(files(r)).toEqual({ 'in.txt': '41', d: 'dir', 'out.txt': '41!' });
    });

    it('lists the scenario when the run changed or removed it', () => {
        const changed = simulate('open("s.pyscn", "a").write("#")\n', { fileName: 's.pyscn' });
        expect(files(changed)['s.pyscn']).toBe('open("s.pyscn", "a").write("#")\n#');
        const removed = simulate('import os\nos.remove("s.pyscn")\n', { fileName: 'dir/s.pyscn' });
        expect(removed.files).toEqual([{ path: 's.pyscn', kind: 'removed' }]);
    });

    it('reads the scenario itself from the directory', () => {
        const r = simulate('print(open("me.pyscn").readline(), end="")\n', { fileName: 'me.pyscn' });
        expect(r.stdout).toBe('print(open("me.pyscn").readline(), end="")\n');
    });
});

describe('events and losses', () => {
    const kinds = (r: ReturnType<typeof simulate>, k: EventKind): [number, number, string | null][] => {
        const out: [number, number, string | null][] = [];
        for (let i = 0; i < r.events.kind.length; i++) if (r.events.kind[i] === k) out.push([r.events.line[i], r.events.b[i], eventString(r.events, i)]);
        return out;
    };

    it('logs each write(2) with its line, and buffered bytes lost at os._exit', () => {
        const src = 'import os\nf = open("a.txt", "w")\nf.write("x" * 10)\nf.flush()\nf.write("lost")\nos._exit(0)\n';
        const r = simulate(src, { python: '3.13' });
        expect(kinds(r, EventKind.FileWrite)).toEqual([[4, 10, 'a.txt']]);
        expect(kinds(r, EventKind.FileLost)).toEqual([[6, 4, 'a.txt\u0000os-exit']]);
        expect(files(r)).toEqual({ 'a.txt': 'xxxxxxxxxx' });
    });

    it('2.7: exit() flushes stdio buffers of files never freed; os._exit loses them', () => {
        const keep = 'import sys\nsys.f = open("a.txt", "w")\nsys.f.write("kept")\nclass C(object):\n    def __del__(self): pass\nc = C()\nc.me = c\nc.f = sys.f\n';
        expect(files(simulate(keep, { python: '2.7' }))['a.txt']).toBe('kept');
        const exit = 'import os\nf = open("a.txt", "w")\nf.write("gone")\nos._exit(0)\n';
        expect(files(simulate(exit, { python: '2.7' }))['a.txt']).toBe('');
    });

    it('the report shows what was written, when, and what was lost', () => {
        const src = 'import gc\nclass H:\n    pass\nh = H()\nh.f = open("c.txt", "w")\nh.f.write("text")\nh.h = h\ndel h\ngc.collect()\ng = open("d.txt", "w")\ng.write("global")\n';
        const r = simulate(src, { python: '3.12' });
        const rep = buildReport(src, r);
        const c = rep.files!.files.find((f) => f.path === 'c.txt')!;
        const d = rep.files!.files.find((f) => f.path === 'd.txt')!;
        expect([c.writtenBytes, c.lostBytes, c.lost[0].line, c.lost[0].by]).toEqual([0, 4, 9, 'h.f']);
        expect([c.lost[0].cause, c.lost[0].reason]).toEqual(['closed-under-it', 'the file below it was closed first, so its close() wrote nothing']);
        expect([d.writtenBytes, d.writes[0].phase, d.text]).toEqual([6, 'remove-modules', 'global']);
        const txt = formatText(rep);
        expect(txt).toMatch(/Files \(in \/tmp\/exitscope\)/);
        expect(txt).toMatch(/lost 4 B at line 9 \(running\), h\.f: the file below it was closed first/);
    });
});

describe('what is refused instead of raising an invented Python error', () => {
    const refusal = (src: string, python = '3.13'): string => {
        const r = simulate(src, { python });
        expect(r.exitCode).toBe(2);
        return r.errors[0]?.kind + ': ' + r.errors[0]?.message;
    };
    it('paths outside the scenario directory', () => {
        expect(refusal('open("/etc/passwd")\n')).toMatch(/^unsupported: not supported in scenarios yet: the path '\/etc\/passwd'/);
        expect(refusal('import os\nos.path.exists("/etc")\n')).toMatch(/outside the scenario's directory/);
        expect(refusal('open("../x", "w")\n')).toMatch(/the path '..\/x'/);
    });
    it('encodings, file descriptors, opener and -X dev on 2.7', () => {
        expect(refusal('open("x", "w", encoding="latin-1")\n')).toMatch(/only utf-8/);
        expect(refusal('open(3)\n')).toMatch(/file descriptor/);
        expect(refusal('open("x", "w").reconfigure()\n')).toMatch(/TextIOWrapper\.reconfigure/);
        expect(refusal('# exitscope: flags -X dev\nfrom __future__ import print_function\n', '2.7')).toMatch(/-X dev on Python 2.7/);
    });
    it("attributes CPython's file classes have and the engine does not model", () => {
        expect(refusal('open("x", "w")._checkClosed()\n')).toMatch(/not supported in scenarios yet: _IOBase\._checkClosed$/);
        expect(refusal('open("x", "wb")._checkWritable()\n', '3.8')).toMatch(/_IOBase\._checkWritable$/);
        expect(refusal('from __future__ import print_function\nopen("x", "w").readinto(None)\n', '2.7')).toMatch(/not supported in scenarios yet: file\.readinto$/);
    });
    it('bad annotations stop the run at their line', () => {
        const r = simulate('x = 1\n# exitscope: file /abs "x"\n');
        expect([r.exitCode, r.errors[0].line, r.errors[0].kind]).toEqual([2, 2, 'syntax']);
        expect(simulate('# exitscope: file s.pyscn "x"\n', { fileName: 's.pyscn' }).errors[0].message).toMatch(/already holds the scenario itself/);
    });
});

describe('no real file is ever read or written', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-nodisk-'));
    const secret = path.join(tmp, 'secret.txt');
    fs.writeFileSync(secret, 'real bytes');
    afterEach(() => vi.restoreAllMocks());

    it('never calls the file system, never sees real files, never creates one', () => {
        const spies = ['openSync', 'readFileSync', 'writeFileSync', 'existsSync', 'statSync', 'readdirSync', 'mkdirSync', 'unlinkSync', 'renameSync', 'open', 'readFile', 'writeFile'].map((m) =>
            vi.spyOn(fs, m as 'openSync'),
        );
        const name = `exitscope-probe-${process.pid}.txt`;
        const src = [
            'import os',
            `f = open(${JSON.stringify(name)}, "w")`,
            'f.write("simulated")',
            'f.close()',
            'print(os.path.exists("secret.txt"), sorted(os.listdir(".")))',
            'try:',
            '    open("secret.txt")',
            'except OSError:',
            '    print("not found")',
            `os.rename(${JSON.stringify(name)}, "moved.txt")`,
            'os.mkdir("made")',
        ].join('\n');
        const r = simulate(src + '\n', { python: '3.13', fileName: path.join(tmp, 's.pyscn') });
        expect(r.stdout).toBe(`False ['${name}', 's.pyscn']\nnot found\n`);
        for (const s of spies) expect(s, `fs.${s.getMockName()}`).not.toHaveBeenCalled();
        // Nothing appeared in the scenario's real folder, in the working directory or the temp dir.
        expect(fs.readdirSync(tmp).sort()).toEqual(['secret.txt']);
        expect(fs.existsSync(path.join(process.cwd(), name))).toBe(false);
        expect(fs.existsSync(path.join(process.cwd(), 'moved.txt'))).toBe(false);
        expect(fs.readFileSync(secret, 'utf8')).toBe('real bytes');
        expect(files(r)).toEqual({ 'moved.txt': 'simulated', made: 'dir' });
    });

    it('refuses the absolute path of a real file instead of reading it', () => {
        const r = simulate(`print(open(${JSON.stringify(secret)}).read())\n`);
        expect(r.stdout).toBe('');
        expect(r.errors[0].message).toMatch(/outside the scenario's directory/);
    });
});
