// Issue 8, the memory manager: a pymalloc model fed by the event log.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';
import { PROFILES } from '../../src/engine/profiles';
import { buildReport } from '../../src/report/report';
import { objectSize } from '../../src/report/beyond';

function mem(src: string, python: string) {
    const r = simulate(src, { python });
    expect(r.errors).toEqual([]);
    return buildReport(src, r).memory!;
}

const KEEP_ONE = `class C(object):
    pass
xs = [C() for i in range(5000)]
keep = xs[::1000]
xs = None
`;

describe('pymalloc model', () => {
    it('uses the measured arena/pool sizes per version', () => {
        expect([PROFILES['3.9'].memory.arenaSize, PROFILES['3.9'].memory.poolSize]).toEqual([256 * 1024, 4096]);
        expect([PROFILES['3.10'].memory.arenaSize, PROFILES['3.10'].memory.poolSize]).toEqual([1024 * 1024, 16384]);
        expect(PROFILES['2.7'].memory.alignment).toBe(8);
        expect(objectSize(PROFILES['3.11'], 'C')).toBe(56);
        expect(objectSize(PROFILES['3.12'], 'dict')).toBe(64);
        expect(PROFILES.pypy.memory.pymalloc).toBe(false);
    });

    it('memory freed by objects stays held: a few survivors pin their pools and arenas', () => {
        const m = mem(KEEP_ONE, '3.9');
        expect(m.peak.liveBytes).toBeGreaterThan(5000 * 48);
        // After freeing 4995 of 5000 instances (and their dicts) live bytes drop a lot…
        expect(m.atExit.liveBytes).toBeLessThan(m.peak.liveBytes / 10);
        // …but the arenas the 5 survivors sit in are still held from the OS.
        expect(m.atExit.arenas).toBeGreaterThanOrEqual(1);
        expect(m.atExit.heldBytes).toBeGreaterThan(m.atExit.liveBytes * 10);
        expect(m.series.at.length).toBe(m.series.liveBytes.length);
        expect(m.series.heldBytes.every((h, i) => h >= m.series.liveBytes[i] - m.atExit.mallocBytes)).toBe(true);
    });

    it('freeing everything returns whole arenas', () => {
        const m = mem('class C(object):\n    pass\nxs = [C() for i in range(5000)]\nxs = None\n', '3.13');
        expect(m.peak.heldBytes).toBeGreaterThanOrEqual(1024 * 1024);
        const peakAt = m.series.heldBytes.indexOf(m.peak.heldBytes);
        const after = Math.min(...m.series.heldBytes.slice(peakAt));
        // after `xs = None` the emptied arenas went back to the OS
        expect(after).toBeLessThan(m.peak.heldBytes);
    });

    it('no pymalloc section on tracing runtimes', () => {
        const r = simulate('x = [1]\n', { python: 'pypy' });
        expect(buildReport('x = [1]\n', r).memory).toBeUndefined();
    });

    it('the series has a point where held memory changes and at each phase change, not one per event', () => {
        const r = simulate(KEEP_ONE, { python: '3.13' });
        const rep = buildReport(KEEP_ONE, r);
        const m = rep.memory!;
        const allocs = r.events.kind.filter((k) => k === 1 /* Alloc */).length;
        expect(m.series.at.length).toBeGreaterThan(2);
        expect(m.series.at.length).toBeLessThan(allocs / 10);
        const phaseStarts = new Set(rep.timeline.map((p) => p.startAt));
        for (let i = 1; i < m.series.at.length; i++) {
            const changed = m.series.arenas[i] !== m.series.arenas[i - 1] || m.series.pools[i] !== m.series.pools[i - 1] || m.series.heldBytes[i] !== m.series.heldBytes[i - 1];
            // An unchanged point is the last memory event before a phase change.
            const beforePhase = [...phaseStarts].some((s) => s > m.series.at[i] && !r.events.kind.slice(m.series.at[i] + 1, s).some((k) => k === 1 || k === 2));
            expect(changed || beforePhase, `point ${i} at event ${m.series.at[i]}`).toBe(true);
        }
        // The state when the program stops running is a point of its own.
        const running = rep.timeline.find((p) => p.phase === 'running')!;
        let lastMemoryEvent = running.endAt - 1;
        while (r.events.kind[lastMemoryEvent] !== 1 && r.events.kind[lastMemoryEvent] !== 2) lastMemoryEvent--;
        expect(m.series.at).toContain(lastMemoryEvent);
    });
});
