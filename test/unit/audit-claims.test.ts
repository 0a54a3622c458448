/*
 * audit-claims.test.ts
 *
 * The false and misleading claims of the explanations audit (../shared/reference/
 * explanations-audit/README.md, rows #N), each checked on the audit's own probe, recorded from
 * the real interpreters under test/conformance/scenarios/audit/ (the fates and stderr there are
 * compared with CPython by fates.test.ts and conformance.test.ts; this file checks what the
 * report *says* about them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { FINDING_KINDS, objectSentence } from '../../src/report/explain';
import type { Report } from '../../src/report/types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function reportOf(rel: string, python: string): Report {
    const file = path.join(ROOT, rel);
    const source = fs.readFileSync(file, 'utf8');
    const result = simulate(source, { python, fileName: path.basename(file) });
    return buildReport(source, result, { graph: false });
}

const audit = (name: string) => `test/conformance/scenarios/audit/${name}.pyscn`;
const text = (id: string) => FINDING_KINDS[id].explanation;

describe('explanations audit: the corrected claims', () => {
    it('#1 held-by-sys: sys is wiped before the last collection; an object on sys is freed then', () => {
        const t = text('survives-exit/held-by-sys').text;
        expect(t).not.toContain('after the last collection that could run finalizers');
        expect(t).toContain('wiping sys');
        // p01 (3.13): sys.keep is finalized by the sys wipe, not kept forever.
        const r = reportOf(audit('p01_sys_keep'), '3.13');
        const keep = r.objects.find((o) => o.label === 'sys.keep')!;
        expect(keep.fate).toBe('finalized-at-shutdown');
        expect(keep.phase).toBe('wipe-sys-builtins');
    });

    it('#6 live-frame: an uncaught error does not leave a live frame (p04: the local is finalized at delete-special)', () => {
        expect(text('survives-exit/live-frame').text).not.toMatch(/os\._exit or an error/);
        const r = reportOf(audit('p04_uncaught_error_frame'), '3.12');
        expect(r.objects.filter((o) => o.survivorReason === 'live-frame')).toEqual([]);
    });

    it('#7 unrecorded-holder: gc.callbacks is released after the last collection, an acyclic holder is then freed (p05)', () => {
        const t = text('survives-exit/unrecorded-holder').text;
        expect(t).not.toContain('atexit list');
        expect(t).toContain('an acyclic object is then freed');
        const r = reportOf(audit('p05_gc_callbacks_holder'), '3.12');
        const acyclic = r.objects.find((o) => o.type === 'Watcher' && o.allocLine === 20)!;
        expect(acyclic.survivesExit).toBe(false);
    });

    it('#8/N1 2.7: a class is a leaked cycle (no collection after module cleanup), one note per class, no "C state" blame', () => {
        for (const rel of [audit('p01b_sys_keep_27'), ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => /^0\d.*\.pyscn$/.test(f)).map((f) => `examples/${f}`)]) {
            const r = reportOf(rel, '2.7');
            expect(r.findings.filter((f) => f.kind === 'survives-exit/unrecorded-holder').map((f) => f.message), rel).toEqual([]);
            const classes = r.findings.filter((f) => f.kind === 'survives-exit/leaked-class');
            for (const f of classes) expect(f.severity).toBe('note');
            // One finding per class: its methods, dict and defaults are listed in it.
            const classIds = new Set(r.objects.filter((o) => (o.type === 'type' || o.type === 'classobj') && o.owner === 'user').map((o) => o.id));
            expect(classes.length, rel).toBeLessThanOrEqual(classIds.size);
            expect(r.findings.filter((f) => /^survives-exit\/(leaked-cycle|unrecorded-holder)$/.test(f.kind) && r.objects.find((o) => o.id === f.objects[0])?.type === 'function'), rel).toEqual([]);
        }
    });

    it('#10 created-after-last-gc: the version note says 3.10+ collects once more', () => {
        expect(text('survives-exit/created-after-last-gc').versions).toMatch(/3\.10\+: interpreter_clear runs one more collection/);
        // p07 3.12: the cycles created by final-gc's finalizers are freed by interpreter-clear-gc.
        const r = reportOf(audit('p07_created_by_shutdown_finalizer'), '3.12');
        expect(r.objects.filter((o) => o.survivorReason === 'created-after-last-gc' && o.type === 'N')).toEqual([]);
    });

    it('#18 leaked-cycle: gc.disable() is not a cause (p12: the cycle is collected at exit anyway)', () => {
        expect(text('survives-exit/leaked-cycle').text).not.toContain('the GC was disabled, ');
        for (const v of ['3.8', '3.13']) {
            const r = reportOf(audit('p12_gc_disabled_at_exit'), v);
            expect(r.objects.filter((o) => o.owner === 'user' && o.type === 'N' && o.survivesExit), v).toEqual([]);
        }
        // 2.7 collects at exit too (gc disabled or not): the dropped cycle with __del__ is found
        // uncollectable (gc.garbage); the global one becomes garbage only when __main__ is wiped,
        // after that collection, and no collection follows.
        const r27 = reportOf(audit('p12_gc_disabled_at_exit'), '2.7');
        expect(r27.objects.find((o) => o.label === 'a')!.survivorReason).toBe('uncollectable-cycle');
        expect(r27.objects.find((o) => o.label === 'g')!.survivorReason).toBe('leaked-cycle');
    });

    it('#22/N2 no saved-traceback notes for the tracebacks only the interpreter keeps (p04 sys.last_*, p04b SystemExit)', () => {
        for (const p of ['p04_uncaught_error_frame', 'p04b_sys_exit_in_function']) {
            const r = reportOf(audit(p), '3.12');
            expect(r.findings.filter((f) => f.kind === 'late/saved-traceback').map((f) => f.message), p).toEqual([]);
        }
        // A traceback the program saves is still reported (p14: saved = [e]).
        expect(reportOf(audit('p14_saved_traceback'), '3.12').findings.some((f) => f.kind === 'late/saved-traceback')).toBe(true);
    });

    it('#27/N6 no default-argument note for the defaults of __del__ (the shutdown-safe idiom)', () => {
        for (const p of ['p01_sys_keep', 'p02_builtins_keep', 'p03_other_module', 'p10_resurrect']) {
            const r = reportOf(audit(p), '3.12');
            expect(r.findings.filter((f) => f.kind === 'late/default-argument').map((f) => f.message), p).toEqual([]);
        }
    });

    it('#23 saved-traceback: 2.7 exceptions carry no traceback', () => {
        expect(text('late/saved-traceback').versions).toContain('2.7: exceptions carry no traceback');
    });

    it('#31/#32 outlives-program: 3.x keeps __main__ globals; 2.7 finalizes objects on sys at the sys wipe', () => {
        const k = text('outlives-program');
        expect(k.text).not.toContain('every module’s globals have been set to None');
        expect(k.text).toContain('3.x still has __main__');
        expect(k.versions).not.toContain('never finalized');
        const r = reportOf(audit('p01b_sys_keep_27'), '2.7');
        const keep = r.objects.find((o) => o.label === 'sys.keep')!;
        expect(keep.fate).toBe('finalized-at-shutdown');
        expect(keep.phase).toBe('wipe-sys-builtins');
    });

    it('#39/#40 object sentences: collected objects are not all cycle members; finalizer and free phases apart', () => {
        const base = { label: 'x', type: 'N', survivorReason: null, finalizers: [] as { line: number; phase: string }[] };
        const collected = objectSentence({ ...base, fate: 'collected', phase: 'running', death: { line: 3, cause: 'gc', lastReference: null, generation: 2, reason: 'manual' } });
        expect(collected).not.toContain('is in a reference cycle');
        expect(collected).toContain('freed by the cyclic GC');
        const late = objectSentence({ ...base, fate: 'finalized-at-shutdown', phase: 'final-gc', finalizers: [{ line: 5, phase: 'teardown-gc' }], death: { line: 0, cause: 'gc', lastReference: null, generation: 2, reason: 'shutdown' } });
        expect(late).not.toContain('lives until interpreter shutdown and is finalized during');
        // each phase in the words the views use, never the engine's ids
        expect(late).toContain('freed during shutdown (the final collection)');
        expect(late).toContain('ran once (shutdown: the teardown collection)');
        expect(late).not.toMatch(/final-gc|teardown-gc/);
        // while the program runs, the line, not the phase's name ("ran once (the program)" before)
        expect(objectSentence({ ...base, fate: 'freed', phase: 'running', finalizers: [{ line: 7, phase: 'running' }], death: { line: 7, cause: 'refcount', lastReference: null, generation: null, reason: null } })).toContain('ran once (at line 7).');
    });

    it('#48 2.7: the tuple a print statement prints is a temporary, freed at once', () => {
        const r = reportOf('examples/04-globals-at-exit-2-vs-3.pyscn', '2.7');
        expect(r.objects.filter((o) => o.type === 'tuple' && o.survivesExit)).toEqual([]);
    });

    it('#50 examples/03: __del__ runs at the sys wipe on 2.7 too (no "3.4+")', () => {
        expect(fs.readFileSync(path.join(ROOT, 'examples/03-kept-on-sys.pyscn'), 'utf8')).not.toContain('(3.4+)');
    });
});

describe('explanations audit: causes decided by the logged mechanism (session 3)', () => {
    const find = (r: Report, kind: string) => r.findings.filter((f) => f.kind === kind);
    const obj = (r: Report, label: string) => r.objects.find((o) => o.label === label)!;

    it('#9/#14 DEBUG_SAVEALL: what gc.garbage keeps is gc-garbage, __main__ included (p09 3.x: g never finalized), not "C state" or a leaked cycle', () => {
        for (const v of ['3.8', '3.12', '3.13']) {
            const r = reportOf(audit('p09_debug_saveall'), v);
            expect(r.objects.find((o) => o.allocLine === 14 && o.type === 'N')!.survivorReason, v).toBe('gc-garbage');
            expect(r.objects.find((o) => o.allocLine === 19 && o.type === 'N')!.survivorReason, v).toBe('gc-garbage');
            expect(r.objects.filter((o) => o.survivorReason === 'unrecorded-holder'), v).toEqual([]);
        }
        // 2.7 without SAVEALL: objects kept by a legacy uncollectable entry are that cycle's, not DEBUG_SAVEALL's (p08).
        const r27 = reportOf(audit('p08_uncollectable_cycle'), '2.7');
        expect(r27.objects.filter((o) => o.survivorReason === 'gc-garbage').map((o) => o.label)).toEqual([]);
        expect(r27.objects.filter((o) => o.survivorReason === 'uncollectable-cycle').length).toBeGreaterThan(0);
    });

    it('#9/#5/N5 tracing runtimes: dropped garbage waits for a collection; live objects are one note, not a warning each (p18)', () => {
        for (const v of ['pypy', 'jython']) {
            const r = reportOf(audit('p18_tracing'), v);
            expect(obj(r, 'b').survivorReason, v).toBe('pending-collection');
            expect(r.objects.filter((o) => o.survivorReason === 'unrecorded-holder' || o.survivorReason === 'held-by-module'), v).toEqual([]);
            const alive = find(r, 'survives-exit/alive-at-exit');
            expect(alive.length, v).toBe(1);
            expect(alive[0].severity).toBe('note');
            expect(r.findings.filter((f) => f.kind.startsWith('survives-exit/') && f.severity !== 'note'), v).toEqual([]);
        }
    });

    it('M2/#17 gc.freeze(): frozen objects and what the frozen __main__ dict holds (created after the freeze too) are frozen, one finding at the gc.freeze() line (p11)', () => {
        for (const v of ['3.8', '3.12', '3.13']) {
            const r = reportOf(audit('p11_freeze'), v);
            for (const label of ['a', 'c', 'after', 'd']) expect(obj(r, label).survivorReason, `${v} ${label}`).toBe('frozen');
            const frozen = find(r, 'survives-exit/frozen');
            expect(frozen.length, v).toBe(1);
            expect(frozen[0].line).toBe(17);
            expect(find(r, 'survives-exit/leaked-cycle'), v).toEqual([]);
        }
        expect(text('survives-exit/frozen').text).toContain('including objects created after the freeze');
    });

    it('M2 3.8: a garbage set kept whole because a finalizer of the last collection resurrected part of it is "revived", with the 3.8/3.9 difference', () => {
        const r = reportOf(audit('p07_created_by_shutdown_finalizer'), '3.8');
        expect(obj(r, 'm').survivorReason).toBe('revived');
        expect(obj(r, 'k').survivorReason).toBe('revived');
        expect(text('survives-exit/revived').versions).toContain('3.8');
        // 3.12 frees them in interpreter_clear's collection: not survivors, and not "resurrected" either.
        const r12 = reportOf(audit('p07_created_by_shutdown_finalizer'), '3.12');
        expect(obj(r12, 'm').survivesExit).toBe(false);
        expect(find(r12, 'resurrection')).toEqual([]);
    });

    it('#29 late notes never say "unreachable since line 0": held until shutdown, freed in the named step (p15, p20)', () => {
        for (const p of ['p15_late_kinds', 'p20_fates_no_finalizer', 'p14_saved_traceback']) {
            for (const v of ['2.7', '3.12']) {
                const r = reportOf(audit(p), v);
                for (const f of r.findings) expect(f.message, `${p} ${v}`).not.toMatch(/since line 0\b/);
            }
        }
        const r = reportOf(audit('p20_fates_no_finalizer'), '3.12');
        expect(find(r, 'late/default-argument')[0].message).toMatch(/kept by a default argument until shutdown; freed during the final collection$/);
    });

    it('#33/M4 an instance on sys keeps its class and, through __globals__, all of __main__: one warning on the sys attribute (p20)', () => {
        for (const v of ['3.8', '3.12', '3.13']) {
            const r = reportOf(audit('p20_fates_no_finalizer'), v);
            const out = find(r, 'outlives-program');
            expect(out.length, v).toBe(1);
            expect(out[0].line, v).toBe(21);
            expect(out[0].message).toMatch(/^sys\.keep \(C\) and 5 objects it holds/);
            expect(out[0].message).toContain('sys.keep holds its class C');
            expect(out[0].message).toContain('__globals__');
            const held = new Set(out[0].objects);
            for (const label of ['d', "d['k']", 'C.registry', 'f.__defaults__[0]']) expect(held.has(obj(r, label).id), `${v} ${label}`).toBe(true);
        }
    });

    it('#34 outlives-program is decided by when __del__ ran: run in an intact world, then freed late, is no lost cleanup (p24 3.x)', () => {
        for (const v of ['3.8', '3.12', '3.13']) {
            const r = reportOf(audit('p24_resurrect_on_sys'), v);
            const p = obj(r, 'p');
            expect(p.finalizers[0].phase, v).toBe('teardown-gc');
            expect(p.outlivesProgram, v).toBe(false);
            expect(find(r, 'outlives-program'), v).toEqual([]);
        }
    });

    it('#37/M5 a resurrection in a shutdown collection is a finding (p24 3.x: onto sys.saved in teardown-gc)', () => {
        for (const v of ['3.8', '3.12', '3.13']) {
            const res = find(reportOf(audit('p24_resurrect_on_sys'), v), 'resurrection');
            expect(res.length, v).toBe(1);
            expect(res[0].message).toContain('resurrected the object during the teardown collection; it is freed later (during the final collection)');
        }
    });

    it('M1 a __del__ that fails at shutdown is a warning naming the exception and the step, silent on 3.x, reported on 2.7 (p16, p01)', () => {
        const r = reportOf(audit('p16_del_uses_globals'), '3.12');
        const fails = find(r, 'finalizer-fails');
        expect(fails.map((f) => f.line).sort()).toEqual([30, 31]);
        for (const f of fails) {
            expect(f.severity).toBe('warning');
            expect(f.message).toContain("TypeError: 'NoneType' object is not callable");
            expect(f.message).toContain('CPython prints nothing');
        }
        expect(r.stderr).toBe('');
        // Where CPython does print it (2.7's 'Exception … ignored', 3.x before sys.stderr is gone).
        for (const v of ['2.7', '3.12']) {
            const f = find(reportOf('test/conformance/scenarios/shutdown/del_raises_at_exit.pyscn', v), 'finalizer-fails');
            expect(f.length, v).toBe(1);
            expect(f[0].message, v).toContain('RuntimeError: fail in b');
            expect(f[0].message, v).toContain('reports it as unraisable');
        }
    });

    it('N2 no findings on the exception and tuples created inside a failing __del__ (p01)', () => {
        for (const v of ['2.7', '3.12']) {
            const r = reportOf(audit(v === '2.7' ? 'p01b_sys_keep_27' : 'p01_sys_keep'), v);
            const internal = new Set(r.objects.filter((o) => /^<(TypeError|AttributeError|tuple)@/.test(o.label)).map((o) => o.id));
            expect(r.findings.filter((f) => f.objects.some((id) => internal.has(id))).map((f) => f.message), v).toEqual([]);
        }
    });

    it('N3 one finding per cycle: a closure cycle is one note listing its members (p17)', () => {
        for (const v of ['3.8', '3.12']) {
            const r = reportOf(audit('p17_closure_cycle_frame'), v);
            const c = find(r, 'late/closure-cycle');
            expect(c.length, v).toBe(1);
            expect(c[0].objectCount, v).toBeGreaterThan(3);
        }
    });

    it('N4 os._exit: one finding at the os._exit() line, not one per object (p13)', () => {
        for (const v of ['2.7', '3.12']) {
            const r = reportOf(audit('p13_os_exit'), v);
            const f = find(r, 'survives-exit/os-exit');
            expect(f.length, v).toBe(1);
            expect(f[0].line, v).toBe(23);
            expect(f[0].severity).toBe('note');
        }
    });

    it('#51 Jython runs no atexit handler (measured: not even a file it writes appears); PyPy does (tracing/atexit_side_effect, recorded)', () => {
        const rel = 'test/conformance/scenarios/tracing/atexit_side_effect.pyscn';
        const rec = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/conformance/expected/tracing/atexit_side_effect.pyscn.json'), 'utf8')) as { results: Record<string, { files?: Record<string, unknown> }> };
        expect(Object.keys(rec.results.jython.files ?? {})).toEqual([]);
        expect(Object.keys(rec.results.pypy.files ?? {})).toEqual(['written_by_atexit.txt']);
        expect(reportOf(rel, 'jython').tracing!.note).toContain('runs no atexit handler');
        expect(reportOf(rel, 'pypy').tracing!.note).toContain('atexit handlers run');
    });

    it('#54 a native block whose owner was freed is a leak Valgrind calls lost or reachable by chance; one whose owner is never freed is still reachable (p23, 3.13)', () => {
        const r = reportOf(audit('p23_native_blocks'), '3.13');
        // Valgrind 3.19 on 3.13 (audit probes/p23_native_blocks.out): the block of the owner freed while
        // running definitely lost, that of the owner freed at shutdown still reachable;
        // scripts/probes/native_owner_freed.py gets the opposite for both (memory reused or not): the
        // report claims neither for an owner that was freed.
        expect(r.native!.blocks.map((b) => [b.label, b.atExit, b.ownerFreedLine !== null, b.ownerFreedIn !== null])).toEqual([
            ['owner freed while running', 'owner-freed', true, false],
            ['owner freed at shutdown', 'owner-freed', false, true],
            ['owner never freed', 'still-reachable', false, false],
        ]);
        expect(r.native!.totals['owner-freed'].bytes).toBe(4099 + 4111);
        expect(r.native!.totals['still-reachable'].bytes).toBe(4127);
        const sev = r.findings.filter((f) => f.kind.startsWith('native/')).map((f) => [f.kind, f.severity]);
        expect(sev).toEqual([
            ['native/owner-freed', 'warning'],
            ['native/owner-freed', 'note'],
            ['native/still-reachable', 'note'],
        ]);
        const msg = r.findings.find((f) => f.kind === 'native/owner-freed')!.message;
        expect(msg).toContain('definitely lost, or as still reachable if the freed memory still holds the pointer at exit');
    });

    it('#21 a local kept by a saved traceback is not called cycle garbage "unreachable since line 21": the frame object holds it (p14 3.x)', () => {
        for (const v of ['3.8', '3.12', '3.13']) {
            const r = reportOf(audit('p14_saved_traceback'), v);
            const local = r.objects.find((o) => o.allocLine === 17 && o.type === 'N')!;
            expect(local.label, v).toBe('saved[0].__traceback__.tb_frame.f_locals[\'local\']');
            const about = r.findings.filter((f) => f.objects.includes(local.id) && f.kind.startsWith('late/'));
            expect(about.map((f) => f.kind), v).toEqual(['late/saved-traceback']);
            expect(about[0].message, v).toMatch(/^\d objects held by saved /);
        }
    });

    it('#49/M3 a refcount death delayed by a traceback that kept the frame is a note (examples/07: line 14 to line 22 on 3.x)', () => {
        for (const v of ['3.8', '3.13']) {
            const f = reportOf('examples/07-traceback-keeps-frame.pyscn', v).findings.filter((x) => x.kind === 'late/saved-traceback');
            expect(f.length, v).toBe(1);
            expect(f[0].message, v).toMatch(/the frame ended at line 14, .* alive until line 22, when the traceback was released$/);
            expect(f[0].message, v).not.toMatch(/\bsteps?\b/);
        }
        // 2.7: sys.exc_info() keeps it to the end of the module (CPython prints 'Big freed' last).
        const f27 = reportOf('examples/07-traceback-keeps-frame.pyscn', '2.7').findings.filter((x) => x.kind === 'late/saved-traceback');
        expect(f27[0].message).toMatch(/alive until line 23, /);
        // The reference that started the death is the frame's local (released with the traceback at
        // line 22), not the `self` its own __del__ held while it ran.
        for (const v of ['3.8', '3.13']) {
            const big = reportOf('examples/07-traceback-keeps-frame.pyscn', v).objects.find((o) => o.type === 'Big')!;
            expect(big.finalizers.length, v).toBe(1);
            expect(big.death?.lastReference?.edge, v).toBe('big');
            expect(big.death?.lastReference?.line, v).toBe(22);
        }
    });

    it('item 3: with other profiles simulated, each finding\'s version line is the diff of their simulated fates, checked here against those runs', () => {
        const rel = audit('p20_fates_no_finalizer');
        const source = fs.readFileSync(path.join(ROOT, rel), 'utf8');
        const r = buildReport(source, simulate(source, { python: '3.12', fileName: 'p20.pyscn' }), { graph: false, compareWith: ['2.7', '3.13'] });
        const out = r.findings.find((f) => f.kind === 'outlives-program')!;
        const note = out.explanation.versions!;
        expect(note).toMatch(/^Simulated on other versions: /);
        expect(note).toContain('3.13: the same');
        // 2.7 leaks the class and its registry (no collection after module cleanup): the note says how many, from the 2.7 run.
        const r27 = reportOf(rel, '2.7');
        const ids = new Set(out.objects);
        const here = r.objects.filter((o) => ids.has(o.id));
        const never27 = here.filter((o) => r27.objects.find((x) => x.allocLine === o.allocLine && x.allocColumn === o.allocColumn && x.type === o.type)?.fate === 'survives-exit').length;
        expect(never27).toBeGreaterThan(0);
        expect(note).toContain(`2.7: ${here.length - never27} of ${here.length} freed during shutdown, ${never27} of ${here.length} never freed`);
        // Without other profiles the kind's own (prose) line stays.
        expect(reportOf(rel, '3.12').findings.find((f) => f.kind === 'outlives-program')!.explanation.versions).toBe(text('outlives-program').versions);
    });
    it('#41 a finding title keeps its case inside a sentence ("interpreter C state"); a c-alloc block no object holds is not blamed on it (p23)', () => {
        const base = { label: 'x', type: 'N', fate: 'survives-exit', phase: null, death: null, finalizers: [] };
        expect(objectSentence({ ...base, survivorReason: 'unrecorded-holder' })).toBe('x (N) is never freed: held by interpreter C state.');
        expect(objectSentence({ ...base, survivorReason: 'frozen' })).toContain('frozen by gc.freeze()');
        for (const v of ['3.8', '3.13']) {
            const r = reportOf(audit('p23_native_blocks'), v);
            const lost = r.objects.find((o) => o.label === 'owner freed while running')!;
            expect(lost.survivorReason, v).toBe('native-unfreed');
            expect(lost.explanation, v).toContain('allocated by C code that never frees it');
            expect(r.findings.filter((f) => f.kind === 'survives-exit/unrecorded-holder'), v).toEqual([]);
            expect(r.findings.some((f) => f.kind === 'native/owner-freed' && f.severity === 'warning'), v).toBe(true);
        }
    });

    it('finalizer-at-shutdown names the finalizer the log recorded: an io object has no __del__ (iobase_finalize calls close()), a class instance does', () => {
        const r = reportOf('test/conformance/scenarios/files/globals_at_shutdown.pyscn', '3.12');
        const io = r.findings.filter((f) => f.kind === 'finalizer-at-shutdown');
        expect(io.length).toBeGreaterThan(0);
        for (const f of io) {
            expect(f.message).toContain('iobase_finalize');
            expect(f.message).not.toContain('__del__');
        }
        const raw = r.objects.find((o) => o.label === 'log.buffer.raw')!;
        expect(raw.finalizers.map((f) => f.kind)).toEqual(['iobase_finalize']);
        const del = reportOf(audit('p03_other_module'), '3.12').objects.filter((o) => o.finalizers.length);
        expect(del.length).toBeGreaterThan(0);
        for (const o of del) expect(o.finalizers.every((f) => f.kind === '__del__')).toBe(true);
    });

    it('2.7 atexit: after a failing handler, Lib/atexit.py\'s _run_exitfuncs frame is in a cycle with its exc_info; what it holds is a leaked cycle, not "interpreter C state" (atexit/failing_handler; its fates are checked against CPython by fates.test.ts)', () => {
        const r = reportOf('test/conformance/scenarios/atexit/failing_handler.pyscn', '2.7');
        const ok = r.objects.find((o) => o.label === 'ok')!;
        expect(ok.fate).toBe('survives-exit');
        expect(ok.survivorReason).toBe('leaked-cycle');
        expect(r.findings.filter((f) => f.kind === 'survives-exit/unrecorded-holder')).toEqual([]);
        // A SystemExit as the last error leaves the cycle garbage: the shutdown collection frees it.
        const source = 'from __future__ import print_function\nimport atexit, sys\nclass N(object):\n    def __del__(self):\n        print("del N")\ndef leave(n):\n    sys.exit(3)\natexit.register(leave, N())\n';
        const r2 = buildReport(source, simulate(source, { python: '2.7', fileName: 'x.pyscn' }), { graph: false });
        const n = r2.objects.find((o) => o.type === 'N')!;
        expect(n.phase).toBe('pre-teardown-gc');
        expect(n.death?.cause).toBe('gc');
    });
});
