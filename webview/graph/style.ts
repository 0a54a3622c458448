/*
 * style.ts
 *
 * Cytoscape's styles live in JS, so the theme is read from CSS variables (media/webview.css maps
 * --vscode-* to --es-*) with getComputedStyle, and the graph is restyled whenever the body's
 * theme class changes (VS Code swaps vscode-light / vscode-dark / vscode-high-contrast).
 */

import type cytoscape from 'cytoscape';
import { ALL_KINDS, KIND_STYLE } from '../model/kinds';

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
    highContrast: boolean;
}

const VARS = ['--es-blue', '--es-green', '--es-orange', '--es-yellow', '--es-purple', '--es-teal', '--es-grey'];

export function readPalette(el: Element = document.body): Palette {
    const cs = getComputedStyle(el);
    const v = (name: string, dflt: string) => cs.getPropertyValue(name).trim() || dflt;
    const kind: Record<string, string> = {};
    for (const name of VARS) kind[name] = v(name, '#888888');
    return {
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
                'font-size': 11,
                'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif',
                color: p.fg,
                width: 'data(w)',
                height: 'data(h)',
                'background-color': p.muted,
                'background-opacity': fillOpacity,
                'border-width': 1.5,
                'border-color': p.muted,
                'min-zoomed-font-size': big ? 9 : 5,
                'transition-property': 'opacity',
                'transition-duration': 280,
            },
        },
    ];
    for (const k of ALL_KINDS) {
        const c = kindColor(p, k);
        s.push({ selector: `node.k-${k}`, style: { shape: KIND_STYLE[k].shape as cytoscape.Css.NodeShape, 'background-color': c, 'border-color': c } });
    }
    s.push(
        { selector: 'node.interp', style: { 'background-opacity': 0.04, color: p.muted, 'border-style': 'dashed' } },
        { selector: 'node.root', style: { 'border-width': 3, 'font-weight': 'bold' } },
        { selector: 'node.survivor', style: { 'border-style': 'double', 'border-width': 7, 'border-color': p.red, color: p.fg, 'font-weight': 'bold' } },
        { selector: 'node.born', style: { 'underlay-color': p.born, 'underlay-opacity': 0.45, 'underlay-padding': 6, 'underlay-shape': 'round-rectangle' } },
        { selector: 'node.fade', style: { opacity: 0 } },
        { selector: 'node.dying', style: { opacity: 0.55, 'border-style': 'dashed', 'border-color': p.red, 'border-width': 2, color: p.fg } },
        { selector: 'node.ghost', style: { opacity: 0.3, 'border-style': 'dotted' } },
        { selector: 'node.cursor', style: { 'underlay-color': p.cursor, 'underlay-opacity': 0.4, 'underlay-padding': 7 } },
        { selector: 'node.match', style: { 'underlay-color': p.match, 'underlay-opacity': 0.55, 'underlay-padding': 6 } },
        { selector: 'node.dim', style: { opacity: 0.28 } },
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
                'font-size': 10,
                color: p.muted,
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
        { selector: 'node:selected', style: { 'overlay-color': p.focus, 'overlay-opacity': 0.18, 'overlay-padding': 5, 'border-color': p.focus } },
        { selector: 'node.survivor:selected', style: { 'border-color': p.red } },
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
                'font-size': 9,
                color: p.fg,
                'text-background-color': p.bg,
                'text-background-opacity': 0.85,
                'text-background-padding': '1px',
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
        { selector: 'edge:selected', style: { 'line-color': p.focus, 'target-arrow-color': p.focus, width: 2.5 } },
    );
    return s;
}
