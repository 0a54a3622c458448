/* legend.ts — what every shape, colour and mark in the graph means. */

import { ALL_KINDS, KIND_STYLE } from '../model/kinds';
import { kindColor, type Palette } from '../graph/style';
import { h, svg } from './dom';

function swatch(shape: string, fill: string, stroke: string, opts: { dash?: string; double?: boolean; width?: number; halo?: string; opacity?: number } = {}): SVGElement {
    const W = 30;
    const H = 18;
    const kids: Element[] = [];
    if (opts.halo) kids.push(svg('rect', { x: 0, y: 0, width: W, height: H, rx: 6, fill: opts.halo, 'fill-opacity': 0.5 }));
    const common = { fill, 'fill-opacity': 0.25, stroke, 'stroke-width': opts.width ?? 1.5, ...(opts.dash ? { 'stroke-dasharray': opts.dash } : {}) };
    const body = () => {
        if (shape === 'ellipse') return svg('ellipse', { cx: W / 2, cy: H / 2, rx: W / 2 - 3, ry: H / 2 - 3, ...common });
        if (shape.endsWith('diamond')) return svg('polygon', { points: `${W / 2},2 ${W - 3},${H / 2} ${W / 2},${H - 2} 3,${H / 2}`, ...common });
        if (shape.endsWith('hexagon')) return svg('polygon', { points: `8,2 ${W - 8},2 ${W - 3},${H / 2} ${W - 8},${H - 2} 8,${H - 2} 3,${H / 2}`, ...common });
        if (shape.endsWith('octagon')) return svg('polygon', { points: `8,2 ${W - 8},2 ${W - 3},6 ${W - 3},${H - 6} ${W - 8},${H - 2} 8,${H - 2} 3,${H - 6} 3,6`, ...common });
        if (shape.endsWith('pentagon')) return svg('polygon', { points: `${W / 2},2 ${W - 3},7 ${W - 7},${H - 2} 7,${H - 2} 3,7`, ...common });
        if (shape === 'tag') return svg('polygon', { points: `3,3 ${W - 9},3 ${W - 3},${H / 2} ${W - 9},${H - 3} 3,${H - 3}`, ...common });
        if (shape === 'cut-rectangle') return svg('polygon', { points: `7,3 ${W - 7},3 ${W - 3},7 ${W - 3},${H - 7} ${W - 7},${H - 3} 7,${H - 3} 3,${H - 7} 3,7`, ...common });
        if (shape === 'right-rhomboid') return svg('polygon', { points: `3,3 ${W - 8},3 ${W - 3},${H - 3} 8,${H - 3}`, ...common });
        if (shape === 'line') return svg('line', { x1: 2, y1: H / 2, x2: W - 4, y2: H / 2, stroke, 'stroke-width': opts.width ?? 1.5, ...(opts.dash ? { 'stroke-dasharray': opts.dash } : {}) });
        const rx = shape.startsWith('round') || shape === 'barrel' || shape.startsWith('bottom') ? 5 : 0;
        return svg('rect', { x: 3, y: 3, width: W - 6, height: H - 6, rx, ...common });
    };
    kids.push(body());
    if (opts.double) kids.push(svg('rect', { x: 6, y: 6, width: W - 12, height: H - 12, rx: 3, fill: 'none', stroke, 'stroke-width': 1.2 }));
    const el = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, 'aria-hidden': 'true' }, ...kids);
    if (opts.opacity !== undefined) el.setAttribute('opacity', String(opts.opacity));
    return el;
}

export function buildLegend(p: Palette): HTMLElement[] {
    const li = (sw: SVGElement, text: string) => h('li', {}, sw, h('span', { text }));
    const kinds = h('ul', { 'aria-label': 'Node kinds', class: 'kinds' }, ...ALL_KINDS.map((k) => li(swatch(KIND_STYLE[k].shape, kindColor(p, k), kindColor(p, k)), KIND_STYLE[k].description)));
    const orange = p.kind['--es-orange'];
    const marks = h(
        'ul',
        { 'aria-label': 'Marks' },
        li(swatch('round-rectangle', p.red, p.red, { double: true, width: 2.5 }), '⚠ + red double border: survives interpreter exit (never freed)'),
        li(swatch('round-rectangle', p.muted, p.fg, { width: 3 }), '«root», thick border: module globals, live frame, sys, builtins, atexit registry, saved traceback'),
        li(swatch('round-rectangle', p.kind['--es-blue'], p.kind['--es-blue'], { halo: p.born }), 'green halo: created by the last step'),
        li(swatch('round-rectangle', p.muted, p.red, { dash: '4 3', opacity: 0.6 }), 'faded, dashed red, ✝ reason: just freed (and why)'),
        li(swatch('round-rectangle', p.muted, p.muted, { dash: '1 3', opacity: 0.4 }), 'faint, dotted: freed earlier (“Hide freed” off)'),
        li(swatch('round-rectangle', p.muted, p.muted, { dash: '3 3' }), 'dashed, faint: made by the interpreter'),
        li(swatch('round-rectangle', orange, orange, { dash: '5 3' }), 'dashed box: a reference cycle (click it or press C to collapse)'),
        li(swatch('octagon', orange, orange, { dash: '5 3', width: 2.5 }), 'cycle collapsed into one node (click to expand)'),
        li(swatch('round-rectangle', orange, orange, { halo: orange }), 'orange halo: in a cycle (large graphs, instead of a box)'),
        li(swatch('round-rectangle', 'transparent', p.muted, { dash: '2 2', width: 2 }), '[…N more items]: summarised references (click to show more)'),
        li(swatch('round-rectangle', p.muted, p.muted, { halo: p.cursor }), 'blue halo: allocated on the editor’s cursor line'),
        li(swatch('round-rectangle', p.muted, p.muted, { halo: p.match }), 'orange halo: matches the search'),
    );
    const edges = h(
        'ul',
        { 'aria-label': 'References' },
        li(swatch('line', '', p.muted), 'reference, labelled with the attribute, key or index'),
        li(swatch('line', '', p.muted, { dash: '4 3' }), 'weak reference (keeps nothing alive)'),
        li(swatch('line', '', p.born, { width: 3 }), 'reference made by the last step'),
        li(swatch('line', '', p.red, { dash: '1 3', width: 2 }), 'reference dropped by the last step'),
    );
    return [h('h2', { text: 'Objects' }), kinds, h('h2', { text: 'Marks' }), marks, h('h2', { text: 'References' }), edges];
}
