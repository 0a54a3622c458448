/*
 * fates.ts
 *
 * What will happen to an object, as the graph draws it: a category (colour, border pattern and
 * glyph, so colour is never the only cue) and a short badge ("⚠ survives exit", "✦ __del__ at
 * atexit handlers", "♻ collected at line 21"). Everything comes from the Report's fields (fate,
 * phase, death, finalizers, outlivesProgram); nothing here explains. Pure.
 */

import type { ObjectReport } from '../../src/report/types';
import { phaseChip } from '../../src/report/phaseNames';

export type FateClass = 'survives' | 'outlives' | 'finalized' | 'shutdown' | 'collected' | 'freed';

export const FATE_CLASSES: readonly FateClass[] = ['survives', 'outlives', 'finalized', 'shutdown', 'collected', 'freed'];

/** Legend text and glyph per category (the glyph leads the badge, for colour-blind readers). */
export const FATE_INFO: Record<FateClass, { glyph: string; legend: string; color: string; border: string }> = {
    survives: { glyph: '⚠', legend: 'survives exit (never freed)', color: '--es-fate-survives', border: 'double' },
    outlives: { glyph: '◆', legend: 'outlives the program (freed after sys is wiped)', color: '--es-fate-outlives', border: 'dashed' },
    finalized: { glyph: '✦', legend: '__del__ runs during shutdown', color: '--es-fate-finalized', border: 'solid' },
    shutdown: { glyph: '○', legend: 'freed during shutdown', color: '--es-fate-shutdown', border: 'solid' },
    collected: { glyph: '♻', legend: 'collected by the cyclic GC', color: '--es-fate-collected', border: 'dotted' },
    freed: { glyph: '✓', legend: 'freed while the program runs', color: '--es-fate-freed', border: 'solid' },
};

export function fateClass(o: ObjectReport): FateClass {
    if (o.survivesExit || o.fate === 'survives-exit') return 'survives';
    if (o.outlivesProgram) return 'outlives';
    switch (o.fate) {
        case 'finalized-at-shutdown':
            return 'finalized';
        case 'freed-at-shutdown':
            return 'shutdown';
        case 'collected':
            return 'collected';
        default:
            return 'freed';
    }
}

/** The badge: glyph and what happens, in a few words (the node's last label line). */
export function fateBadge(o: ObjectReport): string {
    const c = fateClass(o);
    const g = FATE_INFO[c].glyph;
    const d = o.death;
    switch (c) {
        case 'survives':
            return `${g} survives exit`;
        case 'outlives':
            return `${g} freed when ${phaseChip(o.phase ?? 'wipe-sys-builtins')}`;
        case 'finalized': {
            const f = o.finalizers.find((x) => x.phase !== 'running');
            return `${g} __del__ in ${phaseChip(f?.phase ?? o.phase ?? 'shutdown')}`;
        }
        case 'shutdown':
            return `${g} freed in ${phaseChip(o.phase ?? 'shutdown')}`;
        case 'collected':
            return `${g} collected${d && d.line > 0 ? ` at line ${d.line}` : ''}`;
        default:
            return `${g} freed${d && d.line > 0 ? ` at line ${d.line}` : ''}`;
    }
}
