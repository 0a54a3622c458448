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

    it('interns strings in first-seen order, telling apart strings that share a cache slot', () => {
        const log = new EventLog();
        // Same length (same cache slot), different text; built at run time so they are distinct objects.
        const names = ['next', 'self', 'prev', 'next', 'data', 'self', ['ne', 'xt'].join(''), 'a'.repeat(36), 'b'.repeat(4)];
        for (const s of names) log.push(EventKind.RefAdd, 0, 1, 0, 1, 2, s);
        const d = log.toData();
        expect(d.strings).toEqual(['next', 'self', 'prev', 'data', 'a'.repeat(36), 'bbbb']);
        expect(names.map((_, i) => eventString(d, i))).toEqual(names);
        expect(Array.from(d.sIdx)).toEqual([0, 1, 2, 0, 3, 1, 0, 4, 5]);
    });
});
