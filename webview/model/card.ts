/*
 * card.ts
 *
 * Words for a node: why it just disappeared ("refcount 0 after line 17", "collected: gen 2",
 * "cleared with __main__") and its lifetime card (the facts the editor hover shows, from the
 * Report). Pure.
 */

import type { ObjectReport } from '../../src/report/types';
import { NEVER, type MNode } from './heapModel';
import { ROOT_TEXT } from './kinds';

const FATE_TEXT: Record<string, string> = {
    freed: 'freed (reference count reached zero)',
    collected: 'collected by the cyclic GC',
    'finalized-at-shutdown': 'finalized at shutdown',
    'freed-at-shutdown': 'freed at shutdown',
    'survives-exit': 'survives interpreter exit',
};

const TEARDOWN = new Set(['delete-special', 'remove-modules', 'restore-builtins', 'wipe-modules', 'wipe-sys-builtins']);

/** Why a node died, in a few words. `phaseAt(t)` names the phase running at event t. */
export function deathReason(n: MNode, phaseAt: (t: number) => string): string {
    if (n.diedAt === NEVER) return '';
    if (n.kind === 'frame' && !n.obj) return 'frame returned';
    const o = n.obj;
    const d = o?.death;
    if (!o || !d) return `freed during ${phaseAt(n.diedAt)}`;
    if (d.cause === 'gc') return `collected: gen ${d.generation ?? '?'}${d.reason === 'shutdown' ? ' (shutdown)' : d.reason === 'manual' || d.reason === 'gc.collect' ? ' (gc.collect())' : ''}`;
    const phase = o.phase ?? phaseAt(d.at);
    const from = d.lastReference?.fromLabel ?? '';
    if (TEARDOWN.has(phase)) {
        const m = /^(.*)\.__dict__$/.exec(from);
        if (m) return `cleared with ${m[1]}`;
        return `cleared in ${phase}`;
    }
    if (d.line > 0) return `refcount 0 after line ${d.line}`;
    return `refcount 0 (${phase})`;
}

export interface CardRow {
    label: string;
    value: string;
}

export interface LifetimeCard {
    title: string;
    subtitle: string;
    rows: CardRow[];
    explanation: string;
    survives: boolean;
}

export function lifetimeCard(n: MNode, phaseAt: (t: number) => string, stepAt: (t: number) => number): LifetimeCard {
    const o: ObjectReport | null = n.obj;
    const rows: CardRow[] = [];
    if (n.root) rows.push({ label: 'Root', value: ROOT_TEXT[n.root] });
    if (o) {
        rows.push({ label: 'Allocated', value: `line ${o.allocLine}${o.allocColumn ? `:${o.allocColumn}` : ''} (step ${o.allocStep})` });
        rows.push({ label: 'Fate', value: FATE_TEXT[o.fate] ?? o.fate });
        if (o.death) {
            const where = o.death.line > 0 ? `line ${o.death.line}` : o.phase ?? '';
            rows.push({ label: 'Died', value: `${deathReason(n, phaseAt)} — ${where}, step ${o.death.step}` });
        }
        if (o.survivorReason) rows.push({ label: 'Why it survives', value: o.survivorReason.replace(/-/g, ' ') });
        for (const f of o.finalizers.slice(0, 3)) rows.push({ label: '__del__', value: `runs at line ${f.line} (${f.phase})${f.output ? `: ${JSON.stringify(f.output.slice(0, 60))}` : ''}` });
        if (o.chainInfo?.path) rows.push({ label: 'Held by', value: o.chainInfo.path });
        if (o.unreachableSince !== null) rows.push({ label: 'Unreachable since', value: `line ${o.unreachableLine ?? '?'} (event ${o.unreachableSince})` });
    } else {
        rows.push({ label: 'Born', value: `event ${n.bornAt} (step ${stepAt(n.bornAt)})` });
        rows.push({ label: 'Died', value: n.diedAt === NEVER ? 'never (still allocated after exit)' : `${deathReason(n, phaseAt)}, event ${n.diedAt}` });
        rows.push({ label: 'Owner', value: n.kind === 'frame' ? 'a running frame (its locals are roots)' : 'the interpreter' });
    }
    return {
        title: n.label,
        subtitle: n.type,
        rows,
        explanation: o?.explanation ?? '',
        survives: n.survives,
    };
}
