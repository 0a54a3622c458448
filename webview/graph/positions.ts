/*
 * positions.ts
 *
 * Positions for every node ever alive, computed once per report and layout setting, so that
 * scrubbing the timeline never moves anything. Which nodes take part: those view.ts can draw
 * (with internals folded: the program's objects and what holds them, up to a root).
 *
 *   layered (default) → roots in a column on the left, objects to the right by distance from the
 *            roots. Small heaps (≤ DAGRE_LIMIT nodes) are laid out by dagre (cytoscape-dagre:
 *            crossing reduction, edges straightened), then the roots are put back in one column;
 *            larger ones by the linear lifetime-aware layered layout (model/layout.ts), which
 *            also reuses the rows of dead objects (a loop that makes 100,000 objects takes a few).
 *   force   → fcose (cytoscape-fcose) started from the layered positions, on heaps small enough
 *            for it (layouts.ts), with randomisation off: the same report gives the same picture.
 *
 * Every engine is deterministic (no random seeds: inputs are in node order).
 */

import cytoscape from 'cytoscape';
import { EDGE_WEAK, type HeapModel } from '../model/heapModel';
import { COL_WIDTH, ROW_HEIGHT, displayable, durableParents, layeredLayout, type Positions } from '../model/layout';
import { labelText, nodeHeight, nodeText, SUMMARY_KEEP, SUMMARY_THRESHOLD, widthOf } from '../model/view';
import type { LayoutName } from '../model/viewState';
import { liveProgramCounts } from '../model/moments';
import { DAGRE_LIMIT, forceLayoutOptions, forceLimit, layeredLayoutOptions } from './layouts';

export interface PositionResult {
    pos: Positions;
    /** What laid it out, in words for the status line ("layered", "layered (dagre)", "force (fcose)"). */
    engine: string;
    /** A big heap: drawn one node per allocation site (view.ts aggregates), laid out as such. */
    bySite: boolean;
}

/** More of the program's objects alive at once than this: the heap is drawn by allocation site. */
export const SITE_MODE_ABOVE = 150;
/** A site with fewer objects than this over the whole run is never grouped. */
export const SITE_MIN = 4;

/** LR: roots in a column on the left (a wide panel); TB: roots in a row on top (a narrow one). */
export type Direction = 'LR' | 'TB';

/** `differs`: a comparing pane's other fates, whose extra label line makes those nodes bigger. */
export function computePositions(model: HeapModel, layout: LayoutName, fold: boolean, internals = false, dir: Direction = 'LR', differs?: { profile: string; fates: ReadonlyMap<number, string> }): PositionResult {
    const include = displayable(model, fold, internals);
    let peak = 0;
    for (const c of liveProgramCounts(model)) peak = Math.max(peak, c);
    if (peak > SITE_MODE_ABOVE) return sitePositions(model, fold, include, dir);
    const base = layeredLayout(model, fold, include);
    if (dir === 'TB') {
        // ranks go down, rows go across
        for (let v = 0; v < base.x.length; v++) {
            const x = base.x[v];
            base.x[v] = (base.y[v] / ROW_HEIGHT) * (COL_WIDTH * 0.92);
            base.y[v] = (x / COL_WIDTH) * (ROW_HEIGHT * 1.55);
        }
    }
    const reps: number[] = [];
    for (let v = 0; v < model.nodes.length; v++) if (include[v] && (!fold || model.nodes[v].owner === v)) reps.push(v);
    const opts = layout === 'force' ? (reps.length <= forceLimit() ? forceLayoutOptions() : null) : reps.length <= DAGRE_LIMIT ? layeredLayoutOptions(dir) : null;
    if (!opts || reps.length < 2) return { pos: base, engine: layout === 'force' && reps.length > forceLimit() ? 'layered (too many objects for force)' : 'layered', bySite: false };
    const rep = (v: number) => (fold ? model.nodes[v].owner : v);
    const els: cytoscape.ElementDefinition[] = [];
    for (const v of reps) {
        const text = labelText(model, v, differs);
        els.push({ group: 'nodes', data: { id: `n${v}`, w: widthOf(text) + 16, h: nodeHeight(text) + 12 }, position: { x: base.x[v], y: base.y[v] } });
    }
    // A container with many objects shows its first ones and a summary (view.ts): only those go
    // to the layout; the rest wait in a grid beside them, placed afterwards, for "show more".
    const parent = durableParents(model, fold, include);
    const kids = new Map<number, number[]>();
    for (const v of reps) if (parent[v] >= 0) (kids.get(parent[v]) ?? kids.set(parent[v], []).get(parent[v])!).push(v);
    const later = new Map<number, number[]>();
    for (const [p, ks] of kids) if (ks.length > SUMMARY_THRESHOLD) later.set(p, ks.slice(SUMMARY_KEEP));
    const waiting = new Set<number>();
    for (const ks of later.values()) for (const v of ks) waiting.add(v);
    if (waiting.size) {
        const keep = els.filter((el) => !waiting.has(Number(String(el.data.id).slice(1))));
        els.length = 0;
        els.push(...keep);
    }
    if (layout === 'layered') {
        // dagre lays out the durable holders' forest (model/layout.ts durableParents): a tidy
        // tree per root; the other references are drawn over it without moving anything.
        for (const v of reps) if (parent[v] >= 0 && !waiting.has(v) && !waiting.has(parent[v])) els.push({ group: 'edges', data: { id: `p${v}`, source: `n${parent[v]}`, target: `n${v}` } });
    } else {
        const seen = new Set<string>();
        for (let e = 0; e < model.edgeCount; e++) {
            if (model.eFlags[e] & EDGE_WEAK) continue;
            const a = rep(model.eFrom[e]);
            const b = rep(model.eTo[e]);
            if (a === b || !include[a] || !include[b] || waiting.has(a) || waiting.has(b)) continue;
            const key = `${a}>${b}`;
            if (seen.has(key)) continue;
            seen.add(key);
            els.push({ group: 'edges', data: { id: `e${key}`, source: `n${a}`, target: `n${b}` } });
        }
    }
    const cy = cytoscape({ headless: true, elements: els, styleEnabled: true, style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)' } }] });
    try {
        cy.layout(opts).run();
    } catch {
        cy.destroy();
        return { pos: base, engine: 'layered', bySite: false };
    }
    if (layout === 'layered') rootsFirst(model, cy, dir);
    else lineUpLonelyNodes(cy);
    const x = Float64Array.from(base.x);
    const y = Float64Array.from(base.y);
    const posOf = new Map<number, { x: number; y: number }>();
    cy.nodes().forEach((n) => {
        posOf.set(Number(n.id().slice(1)), { ...n.position() });
    });
    // the waiting ones: a grid after the container's last laid-out object
    for (const [p, ks] of later) {
        const shownKids = kids.get(p)!.slice(0, SUMMARY_KEEP).map((v) => posOf.get(v)).filter((q): q is { x: number; y: number } => !!q);
        const base = shownKids.length ? shownKids[shownKids.length - 1] : posOf.get(p) ?? { x: 0, y: 0 };
        ks.forEach((v, i) => {
            const col = i % 4;
            const row = Math.floor(i / 4) + 1;
            posOf.set(v, dir === 'LR' ? { x: base.x + col * COL_WIDTH * 0.85, y: base.y + row * ROW_HEIGHT } : { x: base.x + (col + 1) * COL_WIDTH * 0.85, y: base.y + (row - 1) * ROW_HEIGHT });
        });
    }
    for (let v = 0; v < model.nodes.length; v++) {
        const p = posOf.get(rep(v));
        if (!p) continue;
        x[v] = p.x;
        y[v] = p.y;
    }
    cy.destroy();
    return { pos: { x, y, layer: base.layer }, engine: layout === 'layered' ? 'layered (dagre)' : 'force (fcose)', bySite: false };
}

/**
 * A big heap, laid out by allocation site: the roots, the sites (each the place of its "N × Type"
 * node) and the few objects from small sites, as dagre lays out the durable holders between them;
 * an expanded site's objects in a grid under its node, by creation order. Computed once: the
 * picture never moves while scrubbing, whatever is grouped at each moment.
 */
function sitePositions(model: HeapModel, fold: boolean, include: Uint8Array, dir: Direction): PositionResult {
    const N = model.nodes.length;
    const rep = (v: number) => (fold ? model.nodes[v].owner : v);
    const grouped = (v: number) => model.siteOf[v] >= 0 && model.sites[model.siteOf[v]].count >= SITE_MIN;
    // the frames of one function (a call per object made) share a place too
    const unit = (v: number) => (grouped(v) ? `s${model.siteOf[v]}` : model.nodes[v].kind === 'frame' ? `f${model.nodes[v].label}` : `n${v}`);
    const parent = durableParents(model, fold, include);
    const units = new Map<string, { w: number; h: number }>();
    const edges = new Set<string>();
    for (let v = 0; v < N; v++) {
        if (!include[v] || rep(v) !== v) continue;
        const u = unit(v);
        if (!units.has(u)) {
            const text = grouped(v) ? `${model.sites[model.siteOf[v]].count} × ${model.nodes[v].type}\nline 0\n${'x'.repeat(24)}` : nodeText(model, v);
            units.set(u, { w: widthOf(text) + 16, h: nodeHeight(text) + 12 });
        }
        if (parent[v] >= 0) {
            const pu = unit(parent[v]);
            if (pu !== u) edges.add(`${pu}>${u}`);
        }
    }
    const els: cytoscape.ElementDefinition[] = [];
    for (const [id, d] of units) els.push({ group: 'nodes', data: { id, w: d.w, h: d.h } });
    for (const k of edges) {
        const [a, b] = k.split('>');
        els.push({ group: 'edges', data: { id: `e${k}`, source: a, target: b } });
    }
    const cy = cytoscape({ headless: true, elements: els, styleEnabled: true, style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)' } }] });
    const opts = units.size <= DAGRE_LIMIT * 2 ? layeredLayoutOptions(dir) : null;
    let engine = 'by allocation site (dagre)';
    try {
        if (opts) cy.layout(opts).run();
        else throw new Error('too many');
    } catch (err) {
        engine = `by allocation site (grid${opts ? `: ${String(err)}` : ''})`;
        cy.layout({ name: 'grid', rows: dir === 'TB' ? undefined : undefined, avoidOverlap: true, fit: false, sort: (a: cytoscape.NodeSingular, b: cytoscape.NodeSingular) => a.id().localeCompare(b.id()) } as unknown as cytoscape.LayoutOptions).run();
    }
    const at = new Map<string, { x: number; y: number }>();
    cy.nodes().forEach((n) => {
        at.set(n.id(), { ...n.position() });
    });
    cy.destroy();
    const x = new Float64Array(N);
    const y = new Float64Array(N);
    const rank = new Int32Array(model.sites.length);
    const GRID = 6;
    for (let v = 0; v < N; v++) {
        const r = rep(v);
        const p = at.get(unit(r));
        if (!p) {
            x[v] = -COL_WIDTH;
            y[v] = v * 4;
            continue;
        }
        if (grouped(r) && r === v) {
            // the k-th object of its site: row and column of a grid under the site's node
            const k = rank[model.siteOf[v]]++;
            x[v] = p.x + (k % GRID) * (COL_WIDTH * 0.8) - (COL_WIDTH * 0.8 * (GRID - 1)) / 2;
            y[v] = p.y + (Math.floor(k / GRID) + 1) * ROW_HEIGHT;
        } else {
            x[v] = p.x;
            y[v] = p.y;
        }
    }
    for (let v = 0; v < N; v++) {
        const r = rep(v);
        if (r !== v) {
            x[v] = x[r];
            y[v] = y[r];
        }
    }
    const siteX = new Float64Array(model.sites.length);
    const siteY = new Float64Array(model.sites.length);
    model.sites.forEach((st, i) => {
        const p = at.get(`s${i}`) ?? { x: x[st.first], y: y[st.first] };
        siteX[i] = p.x;
        siteY[i] = p.y;
    });
    return { pos: { x, y, layer: new Int32Array(N), siteX, siteY }, engine, bySite: true };
}

/** Dagre ranks a root next to its first child; a reader wants every root in the first rank (a
 *  column on the left, or a row on top), in dagre's order, and the objects after them. */
function rootsFirst(model: HeapModel, cy: cytoscape.Core, dir: Direction): void {
    const isRoot = (n: cytoscape.NodeSingular) => !!model.nodes[Number(n.id().slice(1))].root;
    const roots = cy.nodes().filter((n) => isRoot(n));
    const others = cy.nodes().filter((n) => !isRoot(n));
    if (!roots.length) return;
    const lr = dir === 'LR';
    // along: the rank axis (x for LR); across: the other one
    const along = (n: cytoscape.NodeSingular) => (lr ? n.position().x : n.position().y);
    const across = (n: cytoscape.NodeSingular) => (lr ? n.position().y : n.position().x);
    const sizeAlong = (n: cytoscape.NodeSingular) => (lr ? n.width() : n.height());
    const sizeAcross = (n: cytoscape.NodeSingular) => (lr ? n.height() : n.width());
    let min = Infinity;
    others.forEach((n) => {
        min = Math.min(min, along(n) - sizeAlong(n) / 2);
    });
    if (!Number.isFinite(min)) min = 0;
    const end = min - (lr ? 70 : 60);
    const sorted = roots.toArray().sort((a, b) => across(a as cytoscape.NodeSingular) - across(b as cytoscape.NodeSingular) || a.id().localeCompare(b.id())) as cytoscape.NodeSingular[];
    // side by side in the first rank, each near its dagre place when there is room
    let next = -Infinity;
    for (const n of sorted) {
        const s = sizeAcross(n);
        const want = Math.max(across(n), next + s / 2 + 16);
        const a = end - sizeAlong(n) / 2;
        n.position(lr ? { x: a, y: want } : { x: want, y: a });
        next = want + s / 2;
    }
}

/** Nodes with no references at all would be flung far away by a force layout: line them up above the rest. */
function lineUpLonelyNodes(cy: cytoscape.Core): void {
    const lonely = cy.nodes().filter((n) => n.degree(false) === 0);
    const rest = cy.nodes().filter((n) => n.degree(false) > 0);
    if (!lonely.length || !rest.length) return;
    const bb = rest.boundingBox({});
    lonely.forEach((n, i) => {
        n.position({ x: bb.x1 + (i % 6) * 180, y: bb.y1 - 90 - Math.floor(i / 6) * 70 });
    });
}
