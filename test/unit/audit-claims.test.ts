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
            const classIds = new Set(r.objects.filter((o) => o.type === 'type' && o.owner === 'user').map((o) => o.id));
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
        expect(late).toContain('(final-gc');
        expect(late).toContain('(teardown-gc)');
    });

    it('#48 2.7: the tuple a print statement prints is a temporary, freed at once', () => {
        const r = reportOf('examples/04-globals-at-exit-2-vs-3.pyscn', '2.7');
        expect(r.objects.filter((o) => o.type === 'tuple' && o.survivesExit)).toEqual([]);
    });

    it('#50 examples/03: __del__ runs at the sys wipe on 2.7 too (no "3.4+")', () => {
        expect(fs.readFileSync(path.join(ROOT, 'examples/03-kept-on-sys.pyscn'), 'utf8')).not.toContain('(3.4+)');
    });
});
