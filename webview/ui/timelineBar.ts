/*
 * timelineBar.ts
 *
 * The scrubber: one band per phase (running, atexit, module teardown, final collections, after
 * exit; short shutdown phases get a minimum width so they can be hit), a thumb, and marks for the
 * selected object's events. Pointer and keyboard (role=slider) control.
 */

import { phaseGroup } from '../model/kinds';
import { phaseText } from '../../src/report/phaseNames';
import type { PhaseSpan } from '../../src/report/types';
import { h } from './dom';

interface Segment {
    phase: string;
    start: number;
    end: number;
    x0: number;
    x1: number;
}

const MIN_FRAC = 0.035;

export class TimelineBar {
    readonly el: HTMLDivElement;
    private readonly thumb: HTMLDivElement;
    private readonly marks: HTMLDivElement;
    private segs: Segment[] = [];
    private last = 0;
    private dragging = false;

    constructor(private readonly onSeek: (t: number, commit: boolean) => void) {
        this.thumb = h('div', { class: 'thumb' });
        this.marks = h('div', { class: 'marks' });
        this.el = h('div', { class: 'scrubber', role: 'slider', tabindex: 0, 'aria-label': 'Timeline: event index (arrow keys step, Home and End jump)', 'aria-valuemin': 0, 'aria-valuemax': 0, 'aria-valuenow': 0 });
        this.el.append(h('div', { class: 'track' }), this.marks, this.thumb);
        this.el.addEventListener('pointerdown', (e) => {
            this.dragging = true;
            this.el.setPointerCapture(e.pointerId);
            this.onSeek(this.timeAt(e.clientX), false);
        });
        this.el.addEventListener('pointermove', (e) => {
            if (this.dragging) this.onSeek(this.timeAt(e.clientX), false);
        });
        const end = (e: PointerEvent) => {
            if (!this.dragging) return;
            this.dragging = false;
            this.onSeek(this.timeAt(e.clientX), true);
        };
        this.el.addEventListener('pointerup', end);
        this.el.addEventListener('pointercancel', end);
    }

    setPhases(phases: PhaseSpan[], eventCount: number): void {
        this.last = Math.max(0, eventCount - 1);
        const spans: { phase: string; start: number; end: number }[] = [];
        const sorted = [...phases].sort((a, b) => a.startAt - b.startAt);
        if (!sorted.length || sorted[0].startAt > 0) spans.push({ phase: 'start-up', start: 0, end: sorted.length ? sorted[0].startAt : eventCount });
        for (const p of sorted) spans.push({ phase: p.phase, start: p.startAt, end: Math.max(p.startAt + 1, p.endAt) });
        const total = Math.max(1, eventCount);
        const raw = spans.map((s) => Math.max(MIN_FRAC, (s.end - s.start) / total));
        const sum = raw.reduce((a, b) => a + b, 0);
        let x = 0;
        this.segs = spans.map((s, i) => {
            const w = raw[i] / sum;
            const seg = { ...s, x0: x, x1: x + w };
            x += w;
            return seg;
        });
        this.el.querySelectorAll('.band').forEach((b) => b.remove());
        for (const s of this.segs) {
            const g = s.phase === 'start-up' ? 'running' : phaseGroup(s.phase);
            const band = h('div', { class: `band p-${g}`, title: phaseText(s.phase), text: '' });
            band.style.left = `${s.x0 * 100}%`;
            band.style.width = `${(s.x1 - s.x0) * 100}%`;
            this.el.insertBefore(band, this.el.firstChild);
        }
        this.el.setAttribute('aria-valuemax', String(this.last));
    }

    /** Fraction of the bar (0..1) at event t. */
    fracOf(t: number): number {
        for (const s of this.segs) {
            if (t < s.end || s === this.segs[this.segs.length - 1]) {
                const f = s.end > s.start ? Math.min(1, Math.max(0, (t - s.start) / (s.end - s.start))) : 0;
                return s.x0 + f * (s.x1 - s.x0);
            }
        }
        return 0;
    }

    timeAt(clientX: number): number {
        const r = this.el.getBoundingClientRect();
        const f = Math.min(1, Math.max(0, (clientX - r.left) / Math.max(1, r.width)));
        for (const s of this.segs) {
            if (f <= s.x1 || s === this.segs[this.segs.length - 1]) {
                const g = s.x1 > s.x0 ? (f - s.x0) / (s.x1 - s.x0) : 0;
                return Math.min(this.last, Math.max(0, Math.round(s.start + g * (s.end - 1 - s.start))));
            }
        }
        return 0;
    }

    setTime(t: number, text: string): void {
        this.thumb.style.left = `${this.fracOf(t) * 100}%`;
        this.el.setAttribute('aria-valuenow', String(t));
        this.el.setAttribute('aria-valuetext', text);
    }

    setMarks(ts: number[]): void {
        this.marks.replaceChildren(
            ...ts.slice(0, 400).map((t) => {
                const m = h('div', { class: 'objmark' });
                m.style.left = `${this.fracOf(t) * 100}%`;
                return m;
            }),
        );
    }
}
