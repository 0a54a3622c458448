/*
 * style.ts
 *
 * Cytoscape's styles live in JS, so the theme is read from CSS variables (media/webview.css maps
 * --vscode-* to --es-*) with getComputedStyle, and the graph is restyled whenever the body's
 * theme class changes (VS Code swaps vscode-light / vscode-dark / vscode-high-contrast).
 */

import type cytoscape from 'cytoscape';
import { FATE_CLASSES, FATE_INFO, type FateClass } from '../model/fates';
import { ALL_KINDS, KIND_STYLE } from '../model/kinds';

/** Node and edge labels are 12 px at zoom 1: below this zoom they would be under 11 px. */
export const LABEL_PX = 12;
export const MIN_LABEL_PX = 11;
export const MIN_LEGIBLE_ZOOM = MIN_LABEL_PX / LABEL_PX;

export interface Palette {
    bg: string;
    fg: string;
    muted: string;
    border: string;
    focus: string;
    red: string;
    match: string;
    cursor: string;
    born: string;
    kind: Record<string, string>;
    /** Fate colours (Okabe–Ito, safe for colour-blind readers; each fate also has its own border pattern and glyph). */
    fate: Record<FateClass, string>;
    highContrast: boolean;
}

const VARS = ['--es-blue', '--es-green', '--es-orange', '--es-yellow', '--es-purple', '--es-teal', '--es-grey'];

export function readPalette(el: Element = document.body): Palette {
    const cs = getComputedStyle(el);
    const v = (name: string, dflt: string) => cs.getPropertyValue(name).trim() || dflt;
    const kind: Record<string, string> = {};
    for (const name of VARS) kind[name] = v(name, '#888888');
    const fate = {} as Record<FateClass, string>;
    for (const c of FATE_CLASSES) fate[c] = v(FATE_INFO[c].color, '#888888');
    return {
        fate,
        bg: v('--es-bg', '#ffffff'),
        fg: v('--es-fg', '#1f1f1f'),
        muted: v('--es-muted', '#666666'),
        border: v('--es-border', '#c8c8c8'),
        focus: v('--es-focus', '#005fb8'),
        red: v('--es-red', '#c72e2e'),
        match: v('--es-match', '#d18616'),
        cursor: v('--es-cursor', '#0066ff'),
        born: v('--es-born', '#2e9e3a'),
        kind,
        highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
    };
}

export function kindColor(p: Palette, kind: string): string {
    const k = KIND_STYLE[kind as keyof typeof KIND_STYLE];
    return k ? p.kind[k.color] ?? p.muted : p.muted;
}

export function graphStyle(p: Palette, big: boolean): cytoscape.StylesheetJson {
    const fillOpacity = p.highContrast ? 0 : 0.16;
    const s: cytoscape.StylesheetJson = [
        {
            selector: 'node',
            style: {
                label: 'data(label)',
                'text-wrap': 'wrap',
                'text-valign': 'center',
                'text-halign': 'center',
                'font-size': LABEL_PX,
                'line-height': 1.25,
                'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif',
                color: p.fg,
                width: 'data(w)',
                height: 'data(h)',
                'background-color': p.muted,
                'background-opacity': fillOpacity,
                'border-width': 1.5,
                'border-color': p.muted,
                'min-zoomed-font-size': big ? 9 : 6,
                'transition-property': 'opacity',
                'transition-duration': 280,
            },
        },
    ];
    for (const k of ALL_KINDS) {
        const c = kindColor(p, k);
        s.push({ selector: `node.k-${k}`, style: { shape: KIND_STYLE[k].shape as cytoscape.Css.NodeShape, 'background-color': c, 'border-color': c } });
    }
    // What will happen to each object: colour, border pattern and width together.
    const fateWidth: Record<FateClass, number> = { survives: 7, outlives: 4, finalized: 4, shutdown: 2.5, collected: 3.5, freed: 1.5 };
    for (const c of FATE_CLASSES) {
        s.push({ selector: `node.fate-${c}`, style: { 'border-color': p.fate[c], 'border-style': FATE_INFO[c].border as cytoscape.Css.LineStyle, 'border-width': fateWidth[c], 'background-color': p.fate[c], 'background-opacity': p.highContrast ? 0 : 0.18 } });
    }
    s.push(
        { selector: 'node.interp', style: { 'background-opacity': 0.04, color: p.muted, 'border-style': 'dashed' } },
        { selector: 'node.role-definition', style: { 'background-opacity': 0.06, 'border-width': 1.5, 'border-color': p.muted, 'border-style': 'solid' } },
        { selector: 'node.root', style: { 'border-width': 3, 'font-weight': 'bold' } },
        { selector: 'node.survivor', style: { 'border-style': 'double', 'border-width': 7, 'border-color': p.fate.survives, color: p.fg, 'font-weight': 'bold' } },
        { selector: 'node.born', style: { 'underlay-color': p.born, 'underlay-opacity': 0.45, 'underlay-padding': 6, 'underlay-shape': 'round-rectangle' } },
        { selector: 'node.fade', style: { opacity: 0 } },
        { selector: 'node.dying', style: { opacity: 0.55, 'border-style': 'dashed', 'border-color': p.red, 'border-width': 2, color: p.fg } },
        { selector: 'node.ghost', style: { opacity: 0.3, 'border-style': 'dotted' } },
        { selector: 'node.cursor', style: { 'underlay-color': p.cursor, 'underlay-opacity': 0.4, 'underlay-padding': 7 } },
        { selector: 'node.match', style: { 'underlay-color': p.match, 'underlay-opacity': 0.55, 'underlay-padding': 6 } },
        { selector: 'node.dim', style: { opacity: 0.28 } },
        // Fares otherwise on the compared profile: a dashed outline outside the fate's border.
        { selector: 'node.differs', style: { 'outline-color': p.fg, 'outline-style': 'dashed', 'outline-width': 2.5, 'outline-offset': 4, 'outline-opacity': 0.9 } },
        {
            selector: 'node.cycle-group',
            style: {
                shape: 'round-rectangle',
                'background-color': p.kind['--es-orange'],
                'background-opacity': 0.07,
                'border-style': 'dashed',
                'border-width': 1.5,
                'border-color': p.kind['--es-orange'],
                label: 'data(label)',
                'text-valign': 'top',
                'text-halign': 'center',
                'font-size': LABEL_PX,
                color: p.fg,
                'text-wrap': 'wrap',
                'text-max-width': '260px',
                padding: '14px',
            },
        },
        { selector: 'node.in-cycle', style: { 'underlay-color': p.kind['--es-orange'], 'underlay-opacity': 0.3, 'underlay-padding': 5 } },
        { selector: 'node.cycle-group.survivor-group', style: { 'border-color': p.red } },
        {
            selector: 'node.cycle-collapsed',
            style: { shape: 'round-octagon', 'background-color': p.kind['--es-orange'], 'border-color': p.kind['--es-orange'], 'border-width': 3, 'border-style': 'dashed' },
        },
        { selector: 'node.cycle-collapsed.survivor', style: { 'border-style': 'double', 'border-width': 7, 'border-color': p.red } },
        { selector: 'node.summary', style: { shape: 'round-rectangle', 'background-opacity': 0, 'border-style': 'dotted', 'border-width': 2, 'border-color': p.muted, color: p.muted, 'font-style': 'italic' } },
        { selector: 'node.on-path', style: { 'underlay-color': p.focus, 'underlay-opacity': 0.35, 'underlay-padding': 7, 'underlay-shape': 'round-rectangle' } },
        { selector: 'node:selected', style: { 'overlay-color': p.focus, 'overlay-opacity': 0.2, 'overlay-padding': 6 } },
        {
            selector: 'edge',
            style: {
                width: 1.3,
                'line-color': p.muted,
                'target-arrow-color': p.muted,
                'target-arrow-shape': 'triangle',
                'arrow-scale': 0.9,
                'curve-style': big ? 'straight' : 'bezier',
                label: 'data(label)',
                'font-size': LABEL_PX,
                color: p.fg,
                'text-background-color': p.bg,
                'text-background-opacity': 0.9,
                'text-background-padding': '2px',
                'text-background-shape': 'roundrectangle',
                'min-zoomed-font-size': big ? 10 : 6,
                'transition-property': 'opacity',
                'transition-duration': 280,
            },
        },
        { selector: 'edge.weak', style: { 'line-style': 'dashed', 'target-arrow-shape': 'vee' } },
        { selector: 'edge.edge-added', style: { width: 2.6, 'line-color': p.born, 'target-arrow-color': p.born } },
        { selector: 'edge.edge-removed', style: { 'line-style': 'dotted', 'line-color': p.red, 'target-arrow-color': p.red, opacity: 0.7 } },
        { selector: 'edge.summary-edge', style: { 'line-style': 'dotted' } },
        { selector: 'edge.merged', style: { width: 2 } },
        { selector: 'edge.fade', style: { opacity: 0 } },
        { selector: 'edge.on-path', style: { 'line-color': p.focus, 'target-arrow-color': p.focus, width: 3.5, 'z-index': 10 } },
        { selector: 'edge:selected', style: { 'line-color': p.focus, 'target-arrow-color': p.focus, width: 2.5 } },
    );
    return s;
}
