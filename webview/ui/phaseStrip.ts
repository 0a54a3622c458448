/*
 * phaseStrip.ts — the moments a user steps through, as a row of chips that wraps in a narrow
 * panel: the end of the program, then each shutdown phase with how many of the program's
 * objects it frees ("atexit −1"). Clicking a chip shows the heap after that phase with what it
 * freed fading out; PageDown/PageUp step through them.
 */

import type { Moment } from '../model/moments';
import { h } from './dom';

export class PhaseStrip {
    readonly el: HTMLDivElement;
    private chips: HTMLButtonElement[] = [];
    private moments: Moment[] = [];

    constructor(private readonly onPick: (m: Moment) => void) {
        this.el = h('div', { class: 'phases', role: 'group', 'aria-label': 'The end of the program and the shutdown phases' });
    }

    setMoments(ms: Moment[]): void {
        this.moments = ms;
        this.chips = ms.map((m, i) => {
            const freed = m.freed ? `−${m.freed}` : '';
            const b = h(
                'button',
                {
                    type: 'button',
                    class: `chip${m.phase === 'running' ? ' chip-end' : ''}`,
                    title: `${m.title}${m.phase === 'running' ? '' : `: ${m.freed} of the program’s objects freed`}`,
                    'aria-label': `${m.chip}${m.phase === 'running' ? '' : `, ${m.freed} freed`}`,
                    'aria-pressed': 'false',
                    'data-phase': m.phase,
                    onclick: () => this.onPick(this.moments[i]),
                },
                h('span', { class: 'chip-text', text: m.chip }),
                freed ? h('span', { class: 'chip-count', text: freed }) : null,
            );
            return b;
        });
        const parts: Node[] = [];
        this.chips.forEach((c, i) => {
            if (i > 0) parts.push(h('span', { class: 'chip-sep', 'aria-hidden': 'true', text: '›' }));
            parts.push(c);
        });
        this.el.replaceChildren(...parts);
    }

    /** The moment whose span holds t (from, at], or -1 before the end of the program. */
    indexAt(t: number): number {
        for (let i = this.moments.length - 1; i >= 0; i--) {
            const m = this.moments[i];
            if (t === m.at || (t > m.from && t <= m.at && i > 0)) return i;
        }
        return -1;
    }

    setTime(t: number): void {
        const i = this.indexAt(t);
        this.chips.forEach((c, k) => c.setAttribute('aria-pressed', String(k === i)));
    }

    /** The next (dir 1) or previous (dir -1) moment from t. */
    step(t: number, dir: number): Moment | null {
        const ms = this.moments;
        if (!ms.length) return null;
        if (dir > 0) return ms.find((m) => m.at > t) ?? null;
        for (let i = ms.length - 1; i >= 0; i--) if (ms[i].at < t) return ms[i];
        return null;
    }
}
