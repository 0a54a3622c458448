/*
 * compareReports.ts
 *
 * Two reports of one scenario on two profiles, side by side (ExitScope: Compare Python Versions):
 * which object of one is which object of the other, and whose fate differs. Objects are matched
 * as the version notes match them (report.ts objectKeys: allocation line, column, type and order
 * at that site), so the panes and the notes never disagree. Pure: no vscode, no DOM.
 */

import { objectKeys } from './report';
import type { Fate, Report } from './types';

export interface ReportComparison {
    /** Object id in `a` → the matching object's id in `b` (and the reverse). */
    aToB: Map<number, number>;
    bToA: Map<number, number>;
    /** Objects of `a` whose fate differs in `b` ('not-created': `b` has no matching object), and the reverse. */
    aDiffers: { id: number; otherFate: Fate | 'not-created' }[];
    bDiffers: { id: number; otherFate: Fate | 'not-created' }[];
}

export function compareReports(a: Report, b: Report): ReportComparison {
    const ka = objectKeys(a.objects);
    const kb = objectKeys(b.objects);
    const out: ReportComparison = { aToB: new Map(), bToA: new Map(), aDiffers: [], bDiffers: [] };
    for (const [k, oa] of ka) {
        const ob = kb.get(k);
        if (!ob) {
            out.aDiffers.push({ id: oa.id, otherFate: 'not-created' });
            continue;
        }
        out.aToB.set(oa.id, ob.id);
        out.bToA.set(ob.id, oa.id);
        if (oa.fate !== ob.fate) {
            out.aDiffers.push({ id: oa.id, otherFate: ob.fate });
            out.bDiffers.push({ id: ob.id, otherFate: oa.fate });
        }
    }
    for (const [k, ob] of kb) if (!ka.has(k)) out.bDiffers.push({ id: ob.id, otherFate: 'not-created' });
    return out;
}
