// Issue 8, tracing-GC runtimes: the pypy and jython profiles defer frees to an explicit collection.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { PROFILES } from '../../src/engine/profiles';
import { buildReport } from '../../src/report/report';
import { MAY_RUN_LATER } from '../../src/report/beyond';

const LOOP = `
import gc
class Resource(object):
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("close %d" % self.n)
r = None
for i in range(4):
    r = Resource(i)
print("loop done")
`;

function run(src: string, python: string) {
    const result = simulate(src, { python });
    expect(result.errors).toEqual([]);
    return { result, report: buildReport(src, result) };
}

describe('tracing-GC profiles', () => {
    it('are rows of the profile table', () => {
        expect(PROFILES.pypy.runtime).toBe('pypy');
        expect(PROFILES.pypy.tracingGc?.collectRunsFinalizers).toBe(true);
        expect(PROFILES.jython.runtime).toBe('jython');
        expect(PROFILES.jython.major).toBe(2);
        expect(PROFILES['3.13'].tracingGc).toBeNull();
    });

    it('CPython closes each previous resource at once; PyPy keeps them open and never finalizes at exit', () => {
        expect(run(LOOP, '3.13').result.stdout).toBe('close 0\nclose 1\nclose 2\nloop done\nclose 3\n');
        const { result, report } = run(LOOP, 'pypy');
        expect(result.stdout).toBe('loop done\n');
        const t = report.tracing!;
        expect(t.runtime).toBe('pypy');
        const res = t.pending.filter((p) => p.type === 'Resource');
        expect(res.map((p) => p.hasFinalizer)).toEqual([true, true, true]);
        expect(res.every((p) => p.collectedAt === null && p.when.includes(MAY_RUN_LATER))).toBe(true);
        expect(t.peakOpenResources).toBe(3);
        expect(Math.max(...t.series.openResources)).toBe(3);
        const f = report.findings.find((x) => x.kind === 'pending-finalization')!;
        expect(f.line).toBe(10);
        expect(f.objectCount).toBe(3);
        expect(f.explanation.docs[0].url).toContain('differences-related-to-garbage-collection-strategies');
        expect(f.explanation.fix).toMatch(/with/);
    });

    it('an explicit gc.collect() on PyPy frees pending garbage and runs finalizers (returns None)', () => {
        const { result, report } = run(LOOP + 'print(gc.collect())\nprint("after")\n', 'pypy');
        expect(result.stdout).toBe('loop done\nclose 0\nclose 1\nclose 2\nNone\nafter\n');
        const res = report.tracing!.pending.filter((p) => p.type === 'Resource');
        expect(res.every((p) => p.collectedAt !== null)).toBe(true);
        expect(report.tracing!.series.openResources.at(-1)).toBe(0);
        expect(report.objects.filter((o) => o.type === 'Resource' && o.fate === 'collected').length).toBe(3);
    });

    it('PyPy finalizer ordering: an object reachable from another finalizable one waits a collection', () => {
        const src = `import gc
class R(object):
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del %d" % self.n)
a = R(1); b = R(2)
a.o = b
del a, b
gc.collect()
print("next")
gc.collect()
`;
        expect(run(src, 'pypy').result.stdout).toBe('del 1\nnext\ndel 2\n');
    });

    it("Jython: gc.collect() is a hint (returns -2), finalizers are not run, atexit handlers are not run (audit #51)", () => {
        const src = `from __future__ import print_function
import gc, atexit
class R(object):
    def __del__(self):
        print("del")
atexit.register(lambda: print("atexit"))
r = R()
r = None
print(gc.collect())
`;
        const { result, report } = run(src, 'jython');
        expect(result.stdout).toBe('-2\n');
        expect(report.tracing!.pending.find((p) => p.type === 'R')!.when).toContain(MAY_RUN_LATER);
        // The handler is never called (its lambda is no atexit-call event), and the note says so.
        expect(report.objects.some((o) => o.events.some((e) => e.kind === 'atexit-call'))).toBe(false);
        expect(report.tracing!.note).toContain('runs no atexit handler');
        expect(run(src, 'pypy').report.tracing!.note).toContain('atexit handlers run;');
    });

    it('CPython reports have no tracing section', () => {
        expect(run(LOOP, '3.12').report.tracing).toBeUndefined();
    });
});
