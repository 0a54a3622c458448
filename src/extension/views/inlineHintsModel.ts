/*
 * inlineHintsModel.ts
 *
 * The text shown after the end of a line that allocates objects: `freed at line 42`,
 * `survives exit`, `3×: 2 freed, 1 finalized at shutdown`. One hint per line, for the most
 * relevant allocation site; definitions (`def`, `class`) get none. Pure.
 */

import type { Report } from '../../report/types';
import { fateCounts, isDefinitionNoise, representative, shortFate, sitesOnLine } from './lifetimeText';

/** What the object's __del__ printed, for the hint: the point of most gallery examples. */
function printed(o: Report['objects'][number]): string {
    const f = o.finalizers.find((x) => x.output.trim());
    if (!f) return '';
    const out = f.output.trim().split('\n')[0];
    return ` · __del__ prints ${JSON.stringify(out.length > 40 ? `${out.slice(0, 39)}…` : out)}`;
}

export interface HintData {
    /** 1-based line. */
    line: number;
    text: string;
    /** The fate of the representative object (views colour survivors differently). */
    fate: string;
}

export function inlineHints(report: Report): HintData[] {
    const lines = [...new Set(report.objects.filter((o) => o.owner === 'user' && o.allocLine > 0).map((o) => o.allocLine))].sort((a, b) => a - b);
    const out: HintData[] = [];
    for (const line of lines) {
        const site = sitesOnLine(report.objects, line).find((g) => !isDefinitionNoise(g.objects[0]));
        if (!site) continue;
        const o = representative(site);
        const fates = new Set(site.objects.map((x) => x.fate));
        const text = site.objects.length > 1 && fates.size > 1 ? `${site.objects.length}× ${site.type}: ${fateCounts(site.objects)}` : `${site.objects.length > 1 ? `${site.objects.length}× ` : ''}${shortFate(o)}`;
        out.push({ line, text: text + printed(o), fate: o.fate });
    }
    return out;
}
