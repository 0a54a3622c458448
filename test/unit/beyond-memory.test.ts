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
});
