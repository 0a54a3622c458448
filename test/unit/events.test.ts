/*
 * The event log's storage: chunked columns joined once, and the strings table (each distinct
 * string once, indices in first-seen order, whatever the lookup cache in front of the Map does).
 */
import { describe, expect, it } from 'vitest';
import { EventKind, EventLog, eventString } from '../../src/engine/events';

describe('EventLog', () => {
    it('keeps every event across chunk boundaries, in order', () => {
        const log = new EventLog();
        const n = (1 << 16) * 2 + 17; // two full chunks and part of a third
        for (let i = 0; i < n; i++) log.push(EventKind.RefAdd, i, i + 1, i % 7, i * 3, -i | 0, i % 5 === 0 ? null : `s${i % 3}`);
        expect(log.length).toBe(n);
        const d = log.toData();
        expect(d.kind.length).toBe(n);
        for (const i of [0, 1, (1 << 16) - 1, 1 << 16, (1 << 17) + 3, n - 1]) {
            expect([d.kind[i], d.step[i], d.line[i], d.col[i], d.a[i], d.b[i]]).toEqual([EventKind.RefAdd, i, i + 1, i % 7, i * 3, -i | 0]);
            expect(eventString(d, i)).toBe(i % 5 === 0 ? null : `s${i % 3}`);
        }
    });

    it('interns strings in first-seen order, whatever its lookup cache holds', () => {
        const log = new EventLog();
        // 300 distinct names (far more than the cache has entries, so many share an entry), each
        // seen several times in varying order, some built at run time (distinct string objects).
        const names = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? ['n', String(i)].join('') : `n${i}`));
        const seq: string[] = [];
        for (let r = 0; r < 4; r++) for (let i = 0; i < names.length; i++) seq.push(names[(i * (r + 1) * 7) % names.length]);
        seq.push('', 'next', 'self', '', 'next');
        for (const s of seq) log.push(EventKind.RefAdd, 0, 1, 0, 1, 2, s);
        const d = log.toData();
        expect(d.strings).toEqual([...new Set(seq)]);
        expect(seq.map((_, i) => eventString(d, i))).toEqual(seq);
    });
});
