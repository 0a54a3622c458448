/*
 * report.test.ts — lifetimes, labels, chains, survivors, expectations and the output formats,
 * on small scenarios run through the real engine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { EventKind, EventLog, eventString } from '../../src/engine/events';
import { NEVER, decode } from '../../src/report/decode';
import { buildReport, buildReportWithContext, chainAt } from '../../src/report/report';
import { formatDot } from '../../src/report/formats/dot';
import { formatHtml } from '../../src/report/formats/html';
import { formatText } from '../../src/report/formats/text';
import { toSarif } from '../../src/report/formats/sarif';
import { FINDING_KINDS } from '../../src/report/explain';
import { MAX_LABEL_HOPS } from '../../src/report/labels';
import type { ObjectReport, Report } from '../../src/report/types';

function report(src: string, python = '3.13'): Report {
    const r = simulate(src, { python });
    expect(r.errors, 'scenario must simulate').toEqual([]);
    return buildReport(src, r, { file: 't.pyscn' });
}

function byLabel(r: Report, label: string): ObjectReport {
    const o = r.objects.find((x) => x.label === label);
    if (!o) throw new Error(`no object labelled ${label}: ${r.objects.map((x) => x.label).join(', ')}`);
    return o;
}

describe('who made an object', () => {
    // Importing a modelled module allocates its classes and functions at the import's line, and
    // shutdown's own calls allocate at line 0: neither is the program's, as in CPython.
    const src = ['import collections', 'import threading', 'class N:', '    pass', 'c = collections.Counter("ab")', 'n = N()', 'import functools', 'p = functools.partial(N)'].join('\n');
    const r = report(src);

    it('counts what importing a modelled module allocates as the interpreter\'s', () => {
        const mine = r.objects.filter((o) => o.owner === 'user');
        expect(mine.filter((o) => /^(collections|threading|functools)\./.test(o.label)).map((o) => o.label)).toEqual([]);
        expect(mine.filter((o) => o.allocLine === 0).map((o) => o.label)).toEqual([]);
    });

    it('still counts what the program makes after and between imports as its own', () => {
        for (const label of ['N', 'c', 'n', 'p']) expect(byLabel(r, label).owner, label).toBe('user');
        expect(r.objects.filter((o) => o.owner === 'user' && [1, 2, 7].includes(o.allocLine))).toEqual([]);
    });
});

describe('chain paths say only what Python code can type', () => {
    // A frame reached through a traceback holds its locals in f_locals, not as attributes; a
    // TextIOWrapper's cached FileIO and an iterator's fields are C fields with no Python name.
    const src = ['class N:', '    pass', 'def f():', '    local = N()', "    raise ValueError('x')", 'saved = []', 'try:', '    f()', 'except ValueError as e:', '    saved.append(e)', "fh = open('x.txt', 'w')", 'it = enumerate([N()])'].join('\n');
    const r = report(src);
    const paths = r.objects.filter((o) => o.owner === 'user' && o.chainInfo).map((o) => `${o.type} ${o.chainInfo!.path}`);

    it('reads a frame object\'s locals through f_locals', () => {
        expect(paths).toContain("N saved[0].__traceback__.tb_next.tb_frame.f_locals['local']");
        expect(byLabel(r, "saved[0].__traceback__.tb_next…(+1).f_locals['local']").type).toBe('N');
    });

    it('puts C fields in parentheses', () => {
        expect(paths).toContain('FileIO fh(raw)');
        expect(paths).toContain('BufferedWriter fh.buffer');
        expect(paths).toContain('N it(en_sit)(seq)[0]');
        expect(paths.filter((p) => /\.(raw|en_sit|seq|result)\b/.test(p) && !p.includes('buffer.raw'))).toEqual([]);
    });
});

describe('lifetimes and labels', () => {
    const src = [
        'class N:',
        '    pass',
        'x = N()',
        'x.child = [N(), N()]',
        'd = {"k": N()}',
        'def f(a):',
        '    b = N()',
        '    return 1',
        'f(x)',
        'del x',
        'del d',
    ].join('\n');
    const r = report(src);

    it('labels objects by the first name or path they were bound to', () => {
        const labels = r.objects.filter((o) => o.type === 'N').map((o) => o.label);
        expect(labels).toEqual(['x', 'x.child[0]', 'x.child[1]', "d['k']", 'f:b']);
        expect(byLabel(r, 'x.child').type).toBe('list');
    });

    it('records the allocation site and the statement and reference that freed it', () => {
        const x = byLabel(r, 'x');
        expect([x.allocLine, x.allocColumn]).toEqual([3, 5]);
        expect(x.fate).toBe('freed');
        expect(x.survivesExit).toBe(false);
        expect(x.death?.line).toBe(10);
        expect(x.death?.cause).toBe('refcount');
        expect(x.death?.lastReference?.edge).toBe('x');
        const b = byLabel(r, 'f:b');
        expect(b.death?.line).toBe(8);
        expect(b.death?.lastReference?.fromLabel).toBe('f()');
        expect(b.explanation).toMatch(/local b of f\(\)/);
        const k = byLabel(r, "d['k']");
        expect(k.death?.line).toBe(11);
        expect(k.death?.lastReference?.edge).toBe("['k']");
    });

    it('summarises the run', () => {
        expect(r.summary.created).toBe(r.objects.filter((o) => o.owner === 'user').length);
        expect(r.summary.freed).toBeGreaterThanOrEqual(6);
        expect(r.timeline[0].phase).toBe('running');
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    });

    it('shortens a label deeper than MAX_LABEL_HOPS links, keeping its length bounded down a linked list', () => {
        const list = report(['class N:', '    pass', 'head = None', 'for i in range(50):', '    n = N()', '    n.next = head', '    head = n', 'del n'].join('\n'));
        const nodes = list.objects.filter((o) => o.type === 'N');
        expect(nodes).toHaveLength(50);
        // The first node made is the deepest: 50 links from __main__ (the global `head` is one),
        // named by its most durable reference.
        expect(nodes[0].label).toBe(`head${'.next'.repeat(MAX_LABEL_HOPS - 1)}…(+${50 - MAX_LABEL_HOPS - 1}).next`);
        expect(nodes[50 - MAX_LABEL_HOPS].label).toBe(`head${'.next'.repeat(MAX_LABEL_HOPS - 1)}`);
        expect(nodes[49 - MAX_LABEL_HOPS].label).toBe(`head${'.next'.repeat(MAX_LABEL_HOPS)}`);
        expect(nodes[48 - MAX_LABEL_HOPS].label).toBe(`head${'.next'.repeat(MAX_LABEL_HOPS - 1)}…(+1).next`);
        expect(Math.max(...nodes.map((o) => o.label.length))).toBeLessThan(40);
        // Chains repeat labels per link: bounded too.
        for (const o of nodes) for (const l of o.chain ?? []) expect(l.toLabel.length + l.fromLabel.length).toBeLessThan(80);
    });
});

describe('the cyclic GC', () => {
    const src = ['import gc', 'class N:', '    pass', 'a = N()', 'b = N()', 'a.other = b', 'b.other = a', 'del a, b', 'gc.collect()', 'print("end")'].join('\n');
    it('a cycle freed by gc.collect() is collected, generation 2, reason manual', () => {
        const r = report(src);
        const a = byLabel(r, 'a');
        expect(a.fate).toBe('collected');
        expect(a.death?.cause).toBe('gc');
        expect(a.death?.generation).toBe(2);
        expect(a.death?.reason).toBe('manual');
        expect(a.death?.line).toBe(9);
        // Late lifetime: unreachable since `del a, b` (line 8).
        expect(a.unreachableLine).toBe(8);
        const f = r.findings.find((x) => x.kind === 'late/reference-cycle' && x.objects.includes(a.id));
        expect(f?.message).toMatch(/unreachable since line 8/);
        expect(r.collections.some((c) => c.reason === 'manual' && c.generation === 2)).toBe(true);
    });

    it('cycles made by the same line in a loop are one finding, not one per cycle', () => {
        const r = report(['import gc', 'class P:', '    pass', 'for i in range(5):', '    a = P()', '    b = P()', '    a.o = b', '    b.o = a', 'del a, b', 'x = [0]', 'gc.collect()'].join('\n'));
        const late = r.findings.filter((f) => f.kind === 'late/reference-cycle');
        expect(late).toHaveLength(1);
        expect(late[0].message).toMatch(/^5 reference cycles made here \(10 objects; e\.g\. a \(P\)\): unreachable since line \d+ but freed only by an? (manual|automatic) collection/);
    });

    it('a finding about shutdown names the phase, never "line 0" or a step number; no finding blames a defaults tuple', () => {
        const reg = report(['class Plugin:', '    registry = []', '    def __init__(self, name, owner=None):', '        self.name = name', '        Plugin.registry.append(self)', "p = Plugin('a')", 'del p'].join('\n'));
        const late = reg.findings.find((x) => x.kind === 'late/class-registry');
        // Held by the class until shutdown (audit #29: what held it, and the step that freed it).
        expect(late?.message).toMatch(/^2 objects held by Plugin \(Plugin\.registry, Plugin\.registry\[0\]\): kept by a class-level registry until shutdown; freed during the teardown collection$/);
        for (const f of reg.findings) {
            expect(f.message).not.toMatch(/line 0|\(step /);
            expect(f.related?.every((x) => x.line > 0) ?? true).toBe(true);
            // `owner=None` gives __init__ a defaults tuple; advice to "use None as the default" would be nonsense.
            expect(f.message).not.toMatch(/__defaults__/);
        }
        const text = formatText(reg, { color: false });
        expect(text).not.toMatch(/\(line 0\)/);
    });
});

describe('survivors and chains', () => {
    // CPython (3.8-3.13, checked with a __del__ that writes through a default-argument os.write)
    // frees a sys attribute when sys itself is wiped, after every module's globals and sys.stdout
    // are gone: the object outlives the program, its finalizer cannot be seen.
    it('an object stored on sys outlives the program and its chain starts at sys', () => {
        const r = report('import sys\nclass N: pass\nsys.keep = N()\n');
        const o = r.objects.find((x) => x.type === 'N')!;
        expect(o.label).toBe('sys.keep');
        expect(o.survivesExit).toBe(false);
        expect(o.outlivesProgram).toBe(true);
        expect(o.phase).toBe('wipe-sys-builtins');
        expect(o.chainInfo?.root?.name).toBe('sys');
        expect(o.chainInfo?.path).toBe('sys.keep');
        expect(o.chain?.[o.chain.length - 1].edge).toBe('keep');
        const f = r.findings.find((x) => x.kind === 'outlives-program')!;
        expect(f.severity).toBe('warning');
        expect(f.line).toBe(3);
    });

    it('on 2.7 an object stored on sys is never freed', () => {
        const r = report('import sys\nclass N(object): pass\nsys.keep = N()\n', '2.7');
        const o = r.objects.find((x) => x.type === 'N')!;
        expect(o.outlivesProgram).toBe(true);
        expect(o.chainInfo?.root?.name).toBe('sys');
    });

    it('an object stored on builtins is finalized at shutdown, not a survivor (3.x)', () => {
        const r = report('import builtins\nclass N:\n    def __del__(self):\n        print("del")\nbuiltins.keep = N()\n');
        const o = r.objects.find((x) => x.type === 'N')!;
        expect(o.label).toBe('builtins.keep');
        expect(o.survivesExit).toBe(false);
        expect(o.fate).toBe('finalized-at-shutdown');
        expect(r.summary.surviving).toBe(0);
    });

    it('chains at any step: a global, then a local of a live frame', () => {
        const src = 'class N: pass\ndef f(o):\n    keep = o\n    print("in f")\nx = N()\nf(x)\n';
        const res = simulate(src);
        const { report: r, context } = buildReportWithContext(src, res);
        const x = byLabel(r, 'x');
        // While f runs, x is reachable from __main__ (shortest) — ask when f binds `keep`.
        const keepAt = res.events.kind.findIndex((k, i) => k === 10 && eventString(res.events, i) === 'keep');
        expect(keepAt).toBeGreaterThan(0);
        // Shortest chain while f runs: f's parameter (one link) beats __main__ → __dict__ → x.
        const c = chainAt(context, x.id, keepAt)!;
        expect(c.root).toMatchObject({ kind: 'frame', name: 'f()' });
        expect(c.path).toBe('f:o');
        expect(c.links.map((l) => l.edge)).toEqual(['o']);
        // After f returned: the global.
        const afterF = res.events.kind.findIndex((k, i) => k === 18 && i > keepAt) + 3;
        const g = chainAt(context, x.id, afterF)!;
        expect(g.root?.name).toBe('__main__');
        expect(g.path).toBe('x');
        expect(g.links.map((l) => l.edge)).toEqual(['__dict__', 'x']);
        expect(g.links[1].line).toBe(5);
        expect(chainAt(context, x.id, res.events.kind.length + 10)).toBeNull();
    });

    it('os._exit: everything still alive survives with reason os-exit', () => {
        const r = report('import os\nclass N: pass\nx = N()\nos._exit(0)\n');
        const x = byLabel(r, 'x');
        expect(x.fate).toBe('survives-exit');
        expect(x.survivorReason).toBe('os-exit');
    });
});

describe('expectations', () => {
    const src = [
        'import gc',
        'class N:',
        '    def __del__(self):',
        '        pass',
        'a = N()  # expect: collected',
        'b = N()',
        'a.other = b',
        'b.other = a',
        'del a, b',
        'gc.collect()',
        'c = N()  # expect: freed',
        '# expect: finalized, dies',
        'e = N()',
        'f = 1  # expect: freed',
        'g = N()  # expect: vanishes',
    ].join('\n');
    const r = report(src);
    it('reports where the engine disagrees', () => {
        const byLine = new Map(r.expectations.map((e) => [e.line, e]));
        expect(byLine.get(5)?.status).toBe('ok');
        expect(byLine.get(11)?.status).toBe('mismatch');
        expect(byLine.get(11)?.actual[0].fate).toBe('finalized-at-shutdown');
        expect(byLine.get(12)?.status).toBe('ok');
        expect(byLine.get(14)?.status).toBe('no-object');
        expect(byLine.get(15)?.status).toBe('invalid');
        const mism = r.findings.filter((f) => f.kind === 'expectation-mismatch');
        expect(mism.map((f) => f.line).sort()).toEqual([11, 14, 15]);
        expect(mism.every((f) => f.severity === 'error')).toBe(true);
        expect(r.summary.expectations).toEqual({ ok: 2, failed: 3 });
    });
});

describe('formats', () => {
    const src = 'import os, gc\nclass N: pass\nkeep = N()\nkeep.items = [N()]\na = N()\na.me = a\ndel a\ngc.collect()\nos._exit(0)\n';
    const r = report(src);

    it('SARIF 2.1.0 has the required structure', () => {
        const s = toSarif(r) as any;
        expect(s.version).toBe('2.1.0');
        expect(s.$schema).toMatch(/sarif-2\.1\.0/);
        expect(Array.isArray(s.runs)).toBe(true);
        const run = s.runs[0];
        expect(run.tool.driver.name).toBe('ExitScope');
        const rules = run.tool.driver.rules as any[];
        expect(rules.length).toBe(Object.keys(FINDING_KINDS).length);
        const ids = new Set(rules.map((x) => x.id));
        expect(ids.size).toBe(rules.length);
        for (const rule of rules) {
            expect(typeof rule.id).toBe('string');
            expect(rule.helpUri).toMatch(/^https:\/\//);
            expect(rule.shortDescription.text.length).toBeGreaterThan(0);
            expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration.level);
        }
        expect(run.results.length).toBe(r.findings.length);
        expect(run.results.length).toBeGreaterThan(0);
        for (const res of run.results) {
            expect(ids.has(res.ruleId)).toBe(true);
            expect(rules[res.ruleIndex].id).toBe(res.ruleId);
            expect(typeof res.message.text).toBe('string');
            expect(['none', 'note', 'warning', 'error']).toContain(res.level);
            for (const loc of [...res.locations, ...res.relatedLocations]) {
                const p = loc.physicalLocation;
                expect(p.artifactLocation.uri).toBe('t.pyscn');
                expect(Number.isInteger(p.region.startLine) && p.region.startLine >= 1).toBe(true);
                expect(Number.isInteger(p.region.startColumn) && p.region.startColumn >= 1).toBe(true);
            }
            const relIds = res.relatedLocations.map((x: any) => x.id);
            expect(new Set(relIds).size).toBe(relIds.length);
            for (const cf of res.codeFlows ?? []) for (const tf of cf.threadFlows) expect(tf.locations.length).toBeGreaterThan(0);
        }
        const held = run.results.find((x: any) => x.ruleId === 'survives-exit/os-exit');
        expect(held.relatedLocations.length).toBeGreaterThan(0);
        expect(held.codeFlows).toBeDefined();
    });

    it('DOT is accepted by Graphviz (when installed)', () => {
        const dot = formatDot(r);
        expect(dot.startsWith('digraph heap {')).toBe(true);
        expect(dot).toContain('keep.items[0]');
        const probe = spawnSync('dot', ['-V']);
        if (probe.error) return; // Graphviz not installed here
        const out = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
        expect(out.stderr).toBe('');
        expect(out.status).toBe(0);
        expect(out.stdout).toContain('<svg');
    });

    it('HTML is one self-contained file', () => {
        const html = formatHtml(r);
        expect(html).toMatch(/^<!DOCTYPE html>/);
        expect(html).toContain('<svg');
        expect(html).not.toMatch(/<script|<link |src="http/);
        expect(html).toContain('keep.items[0]');
    });

    it('text is plain unless colour is asked for', () => {
        const plain = formatText(r);
        expect(plain).not.toContain('\x1b[');
        expect(plain).toContain('survive exit');
        expect(formatText(r, { color: true })).toContain('\x1b[');
    });

    it('text gives the pymalloc summary and each finding\'s chain', () => {
        const plain = formatText(r);
        const line = plain.split('\n').find((l) => l.startsWith('memory (pymalloc model):'))!;
        expect(line).toContain(`${r.memory!.atExit.arenas} arena`);
        expect(line).toMatch(/peak \d+(\.\d)? (B|KiB|MiB) in objects/);
        const f = r.findings.find((x) => r.objects.find((o) => o.id === x.objects[0])?.chain?.length)!;
        const o = r.objects.find((x) => x.id === f.objects[0])!;
        expect(plain).toContain(`chain from ${o.chainInfo!.root!.kind} ${o.chainInfo!.root!.name}:`);
        expect(formatText({ ...r, memory: undefined })).not.toContain('memory (pymalloc model)');
    });

    it('a finding names first what the program named: the instance, then its class, then paths, shorter first', () => {
        const src = 'import os\nclass Connection:\n    def __del__(self):\n        pass\nconn = Connection()\nos._exit(0)\n';
        const f = buildReport(src, simulate(src, { python: '3.13' })).findings.find((x) => x.kind === 'survives-exit/os-exit')!;
        expect(f.message).toMatch(/^\d+ objects \(conn, Connection, Connection\.__d/);
        const cyc = 'import gc\nclass Job:\n    pass\njob = Job()\njob.log = [job]\ndel job\ngc.collect()\n';
        const g = buildReport(cyc, simulate(cyc, { python: '2.7' })).findings.find((x) => x.kind === 'late/reference-cycle')!;
        expect(g.message).toMatch(/^job \(Job\) and 2 more objects of the same cycle \(job\.(__dict__|log), job\.(__dict__|log)\)/);
    });

    it('text gives the arenas\' size apart from the blocks malloc holds (a class object is over 512 bytes)', () => {
        const src = 'class Connection(object):\n    pass\nconn = Connection()\nimport os\nos._exit(0)\n';
        const rep = buildReport(src, simulate(src, { python: '3.8' }));
        const line = formatText(rep).split('\n').find((l) => l.startsWith('memory (pymalloc model):'))!;
        expect(rep.memory!.atExit.mallocBytes).toBeGreaterThan(0);
        expect(line).toContain(`1 arena (256.0 KiB) and `);
        expect(line).toContain(' of larger blocks from malloc still held');
        const bare = { ...rep, memory: { ...rep.memory!, atExit: { ...rep.memory!.atExit, mallocBytes: 0, heldBytes: 256 * 1024 } } };
        expect(formatText(bare)).toContain('1 arena (256.0 KiB) still held');
    });
});

describe('CLI', () => {
    it('check: exit 1 with a survivor, 0 without, 2 on a scenario that cannot be simulated', async () => {
        const { runCheck, runReport } = await import('../../src/cli/report');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-report-'));
        const bad = path.join(dir, 'bad.pyscn');
        const good = path.join(dir, 'good.pyscn');
        const broken = path.join(dir, 'broken.pyscn');
        fs.writeFileSync(bad, 'import gc\nclass N: pass\nkeep = N()\nkeep.me = keep\ngc.freeze()\n');
        fs.writeFileSync(good, 'class N: pass\nx = N()\ndel x\n');
        fs.writeFileSync(broken, 'x = (\n');
        const out: string[] = [];
        const err: string[] = [];
        const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
        const codes = [runCheck([good], io), runCheck([bad, good], io), runCheck([broken], io), runReport([bad, '--format', 'json', '-o', path.join(dir, 'r.json')], io)];
        expect(codes).toEqual([0, 1, 2, 0]);
        expect(out.join('')).toMatch(/bad\.pyscn: FAIL/);
        // --fail-on: a late lifetime (a note) fails only with info; a survivor (a warning) not with error.
        const late = path.join(dir, 'late.pyscn');
        fs.writeFileSync(late, 'import gc\nclass N(object): pass\na = N()\na.me = a\ndel a\ngc.collect()\n');
        expect([runCheck([late], io), runCheck([late, '--fail-on', 'info'], io), runCheck([bad, '--fail-on', 'error'], io), runCheck([bad, '--fail-on=warning'], io)]).toEqual([0, 1, 0, 1]);
        expect(out.join('')).toMatch(/late\.pyscn: FAIL \(Python 3\.13: .*note.*\) — line 3: note: /);
        expect(runCheck([late, '--fail-on', 'notes'], io)).toBe(2);
        expect(err.join('')).toContain("--fail-on takes error, warning, info, not 'notes'");
        expect(err.join('')).toMatch(/broken\.pyscn:\d+:\d+: error: /);
        const rep = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
        expect(rep.schemaVersion).toBe(1);
    });

    it('check: exit 1 when written bytes never reach their file', async () => {
        const { runCheck } = await import('../../src/cli/report');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-check-files-'));
        const lost = path.join(dir, 'lost.pyscn');
        const kept = path.join(dir, 'kept.pyscn');
        fs.writeFileSync(lost, 'import gc\nclass H: pass\nh = H()\nh.f = open("out.txt", "w")\nh.f.write("data")\nh.h = h\ndel h\ngc.collect()\n');
        fs.writeFileSync(kept, 'with open("out.txt", "w") as f:\n    f.write("data")\n');
        const out: string[] = [];
        const io = { out: (s: string) => void out.push(s), err: () => undefined };
        expect([runCheck([kept], io), runCheck([lost], io)]).toEqual([0, 1]);
        expect(out[0]).toMatch(/kept\.pyscn: ok /);
        expect(out[1]).toMatch(/lost\.pyscn: FAIL \(Python 3\.\d+: .*, 4 bytes never reach their files\) — line 4: warning: 4 bytes written to 'out\.txt' through h\.f/);
        expect(fs.readdirSync(dir).sort()).toEqual(['kept.pyscn', 'lost.pyscn']);
    });

    it('report: EXITSCOPE_TIMING=1 prints each stage on stderr; html warns past 100,000 objects', async () => {
        const { runReport, largeHtmlWarning, LARGE_HTML_OBJECTS } = await import('../../src/cli/report');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-timing-'));
        const file = path.join(dir, 's.pyscn');
        fs.writeFileSync(file, 'class N: pass\nx = N()\n');
        const err: string[] = [];
        const io = { out: () => undefined, err: (t: string) => void err.push(t) };
        const timing = process.env.EXITSCOPE_TIMING;
        let codes: number[];
        try {
            process.env.EXITSCOPE_TIMING = '1';
            codes = [runReport([file, '-o', path.join(dir, 'a.txt')], io)];
            delete process.env.EXITSCOPE_TIMING;
            codes.push(runReport([file, '-o', path.join(dir, 'b.txt')], io));
        } finally {
            if (timing === undefined) delete process.env.EXITSCOPE_TIMING;
            else process.env.EXITSCOPE_TIMING = timing;
        }
        expect(codes).toEqual([0, 0]);
        expect(err.join('')).toMatch(/^exitscope: simulate \d+ ms\nexitscope: report \d+ ms\nexitscope: format text \d+ ms\n$/);
        expect(largeHtmlWarning(LARGE_HTML_OBJECTS)).toBeNull();
        expect(largeHtmlWarning(400016)).toMatch(/all 400,016 objects/);
    });
});

describe('scale', () => {
    it('buildReport handles a 300,000-object churn run', () => {
        const src = 'class N:\n    pass\nfor i in range(300000):\n    x = N()\n';
        const r = simulate(src, { maxSteps: 5_000_000 });
        const rep = buildReport(src, r, { graph: false });
        expect(rep.summary.created).toBeGreaterThanOrEqual(300000);
        expect(rep.summary.freed).toBeGreaterThanOrEqual(299999);
        // Its speed is measured by `npm run bench`, not asserted here.
    });
});

describe('json in pieces', () => {
    it('jsonChunks is the report, with one compact line per element of a large array', async () => {
        const { formatJson, jsonChunks } = await import('../../src/report/formats/json');
        const src = 'class N: pass\nxs = [N() for i in range(1500)]\nimport sys\nsys.k = N()\n';
        const r = buildReport(src, simulate(src));
        expect(r.objects.length).toBeGreaterThan(1000);
        const text = [...jsonChunks(r)].join('');
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r)));
        expect(JSON.parse([...jsonChunks(r, false)].join(''))).toEqual(JSON.parse(JSON.stringify(r)));
        expect(formatJson(r)).toBe(text);
        // Every object of `objects` (and node of the graph) is on a line of its own, so
        // `grep '"label":"sys.k"'` finds it; the graph's numeric columns are one line each.
        const lines = text.split('\n');
        const k = r.objects.find((o) => o.label === 'sys.k')!;
        const mine = lines.filter((l) => l.includes(`"id":${k.id},`) && l.includes('"label":"sys.k"'));
        expect(mine.length).toBe(2);
        expect(JSON.parse(mine.find((l) => l.includes('"fate"'))!.replace(/,$/, ''))).toEqual(JSON.parse(JSON.stringify(k)));
        expect(lines.find((l) => l.trimStart().startsWith('"from": ['))).toBeDefined();
        expect(lines.length).toBeGreaterThan(r.objects.length);
    });
});

describe('caveats', () => {
    it('a run with automatic collections says their timing is approximate; one without says nothing', () => {
        const auto = report('import gc\ngc.set_threshold(5)\nclass N:\n    pass\nfor i in range(40):\n    n = N()\n    n.me = n\n');
        expect(auto.collections.some((c) => c.reason === 'automatic')).toBe(true);
        expect(auto.caveats.length).toBe(1);
        expect(auto.caveats[0]).toMatch(/Automatic collections/);
        const manual = report('import gc\nclass N:\n    pass\nn = N()\nn.me = n\ndel n\ngc.collect()\n');
        expect(manual.caveats).toEqual([]);
    });
});

describe('long chains', () => {
    it('a chain down a 100-node linked list keeps its first and last links and says how many were left out', () => {
        const src = 'class Node:\n    def __init__(self, nxt):\n        self.next = nxt\nhead = None\nfor i in range(100):\n    head = Node(head)\nimport sys\nsys.keep = head\n';
        const r = report(src);
        const nodes = r.objects.filter((o) => o.type === 'Node');
        const deepest = nodes[0];
        expect(deepest.chainInfo?.root?.name).toBe('sys');
        expect(deepest.chain!.length).toBe(24);
        expect(deepest.chainInfo!.elided).toBe(77);
        expect(deepest.chain![deepest.chain!.length - 1].to).toBe(deepest.id);
        expect(deepest.chainInfo!.path.startsWith('sys.keep.next')).toBe(true);
        const near = nodes[95];
        expect(near.chainInfo!.path).toBe('sys.keep.next.next.next.next');
        expect(near.chainInfo!.elided).toBe(0);
    });
});

describe('exitscope report --format html', () => {
    it('writes the interactive heap graph page when the webview is built, else the static page', async () => {
        const fs = await import('node:fs');
        const os = await import('node:os');
        const path = await import('node:path');
        const { runReport } = await import('../../src/cli/report');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-html-'));
        const src = path.join(dir, 's.pyscn');
        fs.writeFileSync(src, 'import sys\nclass N: pass\nsys.keep = N()\n');
        const out = path.join(dir, 'r.html');
        expect(runReport([src, '--format', 'html', '-o', out])).toBe(0);
        const html = fs.readFileSync(out, 'utf8');
        expect(html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>')).toBe(true);
        expect(html).toContain('sys.keep');
        const built = fs.existsSync(path.join(__dirname, '../../dist/webview.js'));
        if (built) expect(html).toContain('cytoscape');
        else expect(html).toContain('<svg');
    });

    it('--compare V: the heap graph on V beside this one, with the comparison the editor panes get; alone when V cannot run it', async () => {
        const fs = await import('node:fs');
        const os = await import('node:os');
        const path = await import('node:path');
        const { runReport } = await import('../../src/cli/report');
        const { compareReports } = await import('../../src/report/compareReports');
        if (!fs.existsSync(path.join(__dirname, '../../dist/webview.js'))) return;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-html-'));
        const errs: string[] = [];
        const io = { out: () => {}, err: (t: string) => void errs.push(t) };
        const src = path.join(__dirname, '../../examples/09-registry-on-class.pyscn');
        const out = path.join(dir, 'c.html');
        expect(runReport([src, '--format', 'html', '--compare', '3.13,2.7', '-o', out], io)).toBe(0);
        const html = fs.readFileSync(out, 'utf8');
        const { unpackJson } = await import('../../src/report/columnarJson');
        // The reports are packed (data-encoding="columnar"), the comparison is plain JSON.
        const embedded = (id: string) => {
            const m = html.match(new RegExp(`id="${id}"([^>]*)>([^<]*)</script>`))!;
            const json = JSON.parse(m[2]);
            return m[1].includes('data-encoding="columnar"') ? (unpackJson(json) as Record<string, any>) : json;
        };
        const [a, b] = [embedded('exitscope-report-a'), embedded('exitscope-report-b')];
        expect([a.profile, b.profile]).toEqual(['3.13', '2.7']);
        const c = embedded('exitscope-comparison');
        const want = compareReports(a, b);
        expect(c.profiles).toEqual(['3.13', '2.7']);
        expect(c.pairs).toEqual([...want.aToB]);
        expect(c.aDiffers).toEqual(want.aDiffers);
        // the registry's plugins survive exit on 2.7 and are finalized on 3.13
        expect(want.bDiffers.some((d) => b.objects.find((o: { id: number }) => o.id === d.id).fate === 'survives-exit')).toBe(true);
        expect(html.match(/class="compare-pane"/g)).toHaveLength(2);
        expect(errs.join('')).toBe('');
        // complex numbers are refused on 2.7: the page shows 3.13 alone and says why
        const cx = path.join(dir, 'cx.pyscn');
        fs.writeFileSync(cx, 'z = complex(1, 2)\nprint(z)\n');
        expect(runReport([cx, '--format', 'html', '--compare', '2.7', '-o', out], io)).toBe(0);
        expect(errs.join('')).toMatch(/the page shows Python 3\.13 alone: on Python 2\.7 the scenario cannot be simulated:\n.*cx\.pyscn:1:\d+: error: /);
        const alone = fs.readFileSync(out, 'utf8');
        expect(alone).toContain('id="exitscope-report"');
        expect(alone).not.toContain('id="exitscope-comparison"');
    });
});

describe('decode pairs each dropped reference with the reference that was taken', () => {
    // A synthetic log: object 2 referenced by 1 (six list slots: more than a per-target bucket
    // holds, so they move to the hash table) and by 3 and 4 (bucket), dropped in other orders.
    const log = new EventLog();
    for (const id of [1, 2, 3, 4]) log.push(EventKind.Alloc, 0, 1, 1, id, 0, 'object');
    const slots = ['[0]', '[1]', '[2]', '[3]', '[4]', '[5]'];
    for (const s of slots) log.push(EventKind.RefAdd, 0, 2, 1, 1, 2, s);
    log.push(EventKind.RefAdd, 0, 3, 1, 3, 2, 'a');
    log.push(EventKind.RefAdd, 0, 3, 1, 4, 2, 'b');
    log.push(EventKind.RefAdd, 0, 3, 1, 3, 4, 'c');
    const dropped: [number, number, string][] = [[1, 2, '[3]'], [1, 2, '[0]'], [4, 2, 'b'], [1, 2, '[5]'], [3, 4, 'c'], [1, 2, 'nomatch'], [3, 2, 'a']];
    const delAt = new Map<string, number>();
    for (const [s, t, l] of dropped) {
        delAt.set(`${s}>${t}:${l}`, log.length);
        log.push(EventKind.RefDel, 0, 4, 1, s, t, l);
    }
    const d = decode(log.toData());
    const edge = (s: number, t: number, l: string) => [...Array(d.edges.count).keys()].find((e) => d.edges.src[e] === s && d.edges.tgt[e] === t && d.edges.labelTable[d.edges.labelIndex[e]] === l)!;

    it('by source and label, in and beyond the per-target bucket', () => {
        for (const key of ['1>2:[3]', '1>2:[0]', '4>2:b', '1>2:[5]', '3>4:c', '3>2:a']) {
            const [st, l] = key.split(':');
            const [s, t] = st.split('>').map(Number);
            expect(d.edges.del[edge(s, t, l)], key).toBe(delAt.get(key));
        }
    });

    it('a label with no open edge takes the newest open edge of the same ends', () => {
        // After [3], [0] and [5] went, the newest open 1→2 edge is [4].
        expect(d.edges.del[edge(1, 2, '[4]')]).toBe(delAt.get('1>2:nomatch'));
        expect(d.edges.del[edge(1, 2, '[1]')]).toBe(NEVER);
        expect(d.edges.del[edge(1, 2, '[2]')]).toBe(NEVER);
    });
});

describe('the end of the program is the last line __main__ ran', () => {
    const endLine = (src: string, python = '3.13') => buildReport(src, simulate(src, { python }), {}).timeline.find((p) => p.phase === 'running')?.endLine;
    it('after lines that allocate nothing, not the line of the last object event', () => {
        // The last object event is in __init__ (line 4); lines 6-7 allocate nothing.
        const src = 'class P:\n    reg = []\n    def __init__(self):\n        P.reg.append(self)\nP()\nx = 1\ny = None\n';
        for (const v of ['2.7', '3.8', '3.13']) expect(endLine(src, v)).toBe(7);
    });
    it('where it raised, or called sys.exit or os._exit (from a function: the calling line)', () => {
        expect(endLine('a = 1\nraise ValueError(a)\nb = 2\n')).toBe(2);
        expect(endLine('import sys\ndef f():\n    sys.exit(3)\nx = 1\nf()\ny = 2\n')).toBe(5);
        expect(endLine('import os\nx = [1]\nos._exit(0)\nprint(x)\n')).toBe(3);
        expect(endLine('for i in range(3):\n    x = i\n')).toBe(2);
    });
});

describe('threads in the report (issue 16 item 4: each object\'s thread, thread stacks as roots)', () => {
    const src = [
        'import threading',
        'class R(object):',
        '    def __init__(self, n): self.n = n',
        '    def __del__(self): print("del", self.n)',
        'made_in_main = R("main")',
        'box = []',
        'def work():',
        '    mine = R("worker")',
        '    box.append(R("kept"))',
        '    del mine',
        '    global made_in_main',
        '    made_in_main = None',
        't = threading.Thread(target=work, name="w1")',
        't.start()',
        't.join()',
        'print("end")',
    ].join('\n') + '\n';
    for (const python of ['2.7', '3.8', '3.13']) {
        it(`${python}: made on, freed on, and the frames of the thread that ran them`, () => {
            const r = buildReport(src, simulate(src, { python }), {});
            const by = (label: string) => r.objects.find((o) => o.label === label)!;
            expect(by('made_in_main').thread).toBeUndefined();
            expect(by('made_in_main').death?.thread).toBe('w1');
            expect(by('work:mine').thread).toBe('w1');
            expect(by('work:mine').death?.thread).toBe('w1');
            expect(by('box[0]').thread).toBe('w1');
            expect(by('box').thread).toBeUndefined();
            const frames = r.graph!.nodes.filter((n) => n.kind === 'frame');
            expect(frames.find((n) => n.label === 'work()')?.thread).toBe('w1');
            expect(formatText(r)).toMatch(/work:mine .*freed at line 10 .*__del__ ×1; made on thread w1; freed on thread w1\n/);
            const main = frames.find((n) => n.label === '<module>()');
            expect(main).toBeDefined();
            expect(main!.thread).toBeUndefined();
        });
    }
});
