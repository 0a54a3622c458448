/*
 * positions.ts
 *
 * Positions for every node ever alive, computed once per report and layout: the lifetime-aware
 * layered layout (model/layout.ts), refined by a force-directed or dagre layout run headless on
 * the union of all references when the graph is small enough (see layouts.ts).
 */

import cytoscape from 'cytoscape';
import type { HeapModel } from '../model/heapModel';
import { layeredLayout, type Positions } from '../model/layout';
import { EDGE_WEAK } from '../model/heapModel';
import { nodeText } from '../model/view';

function nodeWidth(model: HeapModel, v: number): number {
    let m = 0;
    for (const line of nodeText(model, v).split('\n')) m = Math.max(m, line.length);
    return Math.max(64, Math.min(210, m * 6.6 + 22));
}
import type { LayoutName } from '../model/viewState';
import { forceLayoutOptions, forceLimit, layeredLayoutOptions } from './layouts';

export function computePositions(model: HeapModel, layout: LayoutName, fold: boolean, hideInterpreter = true): { pos: Positions; engine: string } {
    const base = layeredLayout(model, fold);
    const reps: number[] = [];
    // The refinement sees the nodes the view can show (interpreter objects only when not hidden).
    const include = (v: number) => !hideInterpreter || !!model.nodes[v].obj || (!!model.nodes[v].root && model.nodes[v].root !== 'modules');
    for (let v = 0; v < model.nodes.length; v++) if ((!fold || model.nodes[v].owner === v) && include(v)) reps.push(v);
    const opts = layout === 'force' ? (reps.length <= forceLimit() ? forceLayoutOptions() : null) : layeredLayoutOptions();
    if (!opts || reps.length < 2) return { pos: base, engine: layout === 'force' ? `layered (too many nodes for ${reps.length > 0 ? 'force' : ''} layout)`.replace(' ()', '') : 'layered' };
    const rep = (v: number) => (fold ? model.nodes[v].owner : v);
    const els: cytoscape.ElementDefinition[] = [];
    for (const v of reps) els.push({ group: 'nodes', data: { id: `n${v}`, w: nodeWidth(model, v) + 20, h: 56 }, position: { x: base.x[v], y: base.y[v] } });
    const seen = new Set<string>();
    for (let e = 0; e < model.edgeCount; e++) {
        if (model.eFlags[e] & EDGE_WEAK) continue;
        const a = rep(model.eFrom[e]);
        const b = rep(model.eTo[e]);
        if (a === b || !include(a) || !include(b)) continue;
        const key = `${a}>${b}`;
        if (seen.has(key)) continue;
        seen.add(key);
        els.push({ group: 'edges', data: { id: `e${key}`, source: `n${a}`, target: `n${b}` } });
    }
    const cy = cytoscape({ headless: true, elements: els, styleEnabled: true, style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)' } }] });
    try {
        cy.layout(opts).run();
    } catch {
        cy.destroy();
        return { pos: base, engine: 'layered' };
    }
    // Nodes with no references at all (a module nobody touches, an idle frame) would be flung far
    // away by the force layout: line them up above the rest instead.
    const lonely = cy.nodes().filter((n) => n.degree(false) === 0);
    const rest = cy.nodes().filter((n) => n.degree(false) > 0);
    if (lonely.length && rest.length) {
        const bb = rest.boundingBox({});
        lonely.forEach((n, i) => {
            n.position({ x: bb.x1 + (i % 8) * 170, y: bb.y1 - 90 - Math.floor(i / 8) * 60 });
        });
    }
    const x = new Float64Array(model.nodes.length);
    const y = new Float64Array(model.nodes.length);
    const posById = new Map<number, { x: number; y: number }>();
    cy.nodes().forEach((n) => {
        posById.set(Number(n.id().slice(1)), n.position());
    });
    for (let v = 0; v < model.nodes.length; v++) {
        const p = posById.get(rep(v)) ?? { x: base.x[v], y: base.y[v] };
        x[v] = p.x;
        y[v] = p.y;
    }
    cy.destroy();
    return { pos: { x, y, layer: base.layer }, engine: String((opts as { name: string }).name) };
}
