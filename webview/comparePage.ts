/*
 * comparePage.ts
 *
 * The standalone comparison page (`exitscope report --format html --compare V`): two heap graphs of
 * one scenario on two profiles, kept in step as the editor's two panes are
 * (src/extension/panel/comparePanes.ts). Each pane has its own StandaloneHost reading its own
 * embedded report; this page plays the extension's part between them: it tells each pane which
 * of its objects fare otherwise on the other profile (the embedded comparison, computed once by
 * src/report/compareReports.ts), and when the user selects an object or a shutdown phase in one
 * pane, the other shows the same phase and the matching object.
 */

import type { StandaloneComparison, WebviewToHost } from '../src/protocol';
import { StandaloneHost } from './hostApi';

export interface ComparePane {
    root: HTMLElement;
    host: StandaloneHost;
}

/** The embedded comparison, or null on a page of one report. */
export function readComparison(): StandaloneComparison | null {
    const el = document.getElementById('exitscope-comparison');
    if (!el || !el.textContent) return null;
    try {
        return JSON.parse(el.textContent) as StandaloneComparison;
    } catch {
        return null;
    }
}

/** The two panes' hosts, linked. */
export function linkPanes(c: StandaloneComparison, roots: [HTMLElement, HTMLElement]): [ComparePane, ComparePane] {
    const a = new StandaloneHost('exitscope-report-a', 'exitscope.viewState.a');
    const b = new StandaloneHost('exitscope-report-b', 'exitscope.viewState.b');
    a.afterReport = [{ type: 'compare', otherProfile: c.profiles[1], differs: c.aDiffers }];
    b.afterReport = [{ type: 'compare', otherProfile: c.profiles[0], differs: c.bDiffers }];
    const aToB = new Map(c.pairs);
    const bToA = new Map(c.pairs.map(([x, y]) => [y, x]));
    const follow = (to: StandaloneHost, map: Map<number, number>) => (m: WebviewToHost) => {
        if (m.type !== 'selection') return;
        // What heapPanel.follow posts: the phase, then the matching object (if there is one).
        to.deliver({ type: 'seekPhase', phase: m.phase });
        const id = m.objectId === null ? undefined : map.get(m.objectId);
        if (id !== undefined) to.deliver({ type: 'selectObject', objectId: id });
    };
    a.onSend = follow(b, aToB);
    b.onSend = follow(a, bToA);
    return [
        { root: roots[0], host: a },
        { root: roots[1], host: b },
    ];
}
