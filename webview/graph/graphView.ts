/*
 * graphView.ts
 *
 * The cytoscape side: one core, kept in step with a View (model/view.ts) by diffing element ids,
 * so moving the timeline adds and removes a few elements instead of rebuilding the graph.
 * Positions come from the precomputed layout and never change while scrubbing.
 */

import cytoscape from 'cytoscape';
import type { View } from '../model/view';
import { graphStyle, readPalette } from './style';
import { toSvg, type SvgEdge, type SvgNode } from './svgExport';

export interface GraphHandlers {
    onTap(id: string, dbl: boolean): void;
    onBackgroundTap(): void;
    onHover(id: string | null, x: number, y: number): void;
    onViewport(): void;
}

/** Above this many elements, cheaper rendering (straight edges, texture while panning). */
const BIG = 1500;

export class GraphView {
    readonly cy: cytoscape.Core;
    private readonly sig = new Map<string, string>();
    private big = false;
    private lastTap = { id: '', time: 0 };

    constructor(
        readonly container: HTMLElement,
        private readonly handlers: GraphHandlers,
    ) {
        this.cy = cytoscape({
            container,
            elements: [],
            style: graphStyle(readPalette(), false),
            wheelSensitivity: 0.4,
            minZoom: 0.02,
            maxZoom: 4,
            boxSelectionEnabled: false,
            selectionType: 'single',
            autoungrabify: false,
            textureOnViewport: false,
        });
        this.cy.on('tap', 'node', (e) => {
            const id = (e.target as cytoscape.NodeSingular).id();
            const now = Date.now();
            const dbl = this.lastTap.id === id && now - this.lastTap.time < 350;
            this.lastTap = { id, time: now };
            this.handlers.onTap(id, dbl);
        });
        this.cy.on('tap', (e) => {
            if (e.target === this.cy) this.handlers.onBackgroundTap();
        });
        this.cy.on('mouseover', 'node', (e) => {
            const p = e.renderedPosition ?? (e.target as cytoscape.NodeSingular).renderedPosition();
            this.handlers.onHover((e.target as cytoscape.NodeSingular).id(), p.x, p.y);
        });
        this.cy.on('mouseout', 'node', () => this.handlers.onHover(null, 0, 0));
        this.cy.on('viewport', () => this.handlers.onViewport());
    }

    restyle(): void {
        this.cy.style(graphStyle(readPalette(), this.big));
    }

    /** Makes the graph show `view`. Returns the number of elements added and removed. */
    sync(view: View, animate: boolean): { added: number; removed: number } {
        const cy = this.cy;
        const big = view.nodes.length + view.edges.length > BIG;
        if (big !== this.big) {
            this.big = big;
            this.restyle();
            // cytoscape reads these renderer options live
            (cy as unknown as { _private: { renderer: { textureOnViewport: boolean; hideEdgesOnViewport: boolean } } })._private.renderer.textureOnViewport = big;
            (cy as unknown as { _private: { renderer: { hideEdgesOnViewport: boolean } } })._private.renderer.hideEdgesOnViewport = view.edges.length > 6000;
        }
        const want = new Set<string>();
        for (const n of view.nodes) want.add(n.id);
        for (const e of view.edges) want.add(e.id);
        let added = 0;
        let removed = 0;
        const fresh: cytoscape.ElementDefinition[] = [];
        cy.batch(() => {
            const gone = cy.collection();
            cy.elements().forEach((el) => {
                if (!want.has(el.id())) gone.merge(el);
            });
            // Children before their (removed) parents would be deleted with them: detach first.
            gone.nodes().children().forEach((c) => {
                if (want.has(c.id())) (c as cytoscape.NodeSingular).move({ parent: null });
            });
            removed = gone.length;
            for (const el of gone) this.sig.delete(el.id());
            cy.remove(gone);
            // Parents (cycle groups) first, so children can name them.
            const nodes = [...view.nodes].sort((a, b) => (a.classes.includes('cycle-group') ? 0 : 1) - (b.classes.includes('cycle-group') ? 0 : 1));
            for (const n of nodes) {
                const classes = n.classes.join(' ');
                const sig = `${n.label}|${classes}|${n.parent ?? ''}|${n.x},${n.y}|${n.w}`;
                const el = cy.getElementById(n.id);
                if (el.empty()) {
                    if (n.classes.includes('cycle-group')) {
                        cy.add({ group: 'nodes', data: { id: n.id, label: n.label, w: n.w, h: n.h, v: n.v }, classes });
                        this.sig.set(n.id, sig);
                        added++;
                        continue;
                    }
                    fresh.push({
                        group: 'nodes',
                        data: { id: n.id, label: n.label, w: n.w, h: n.h, parent: n.parent, v: n.v },
                        position: { x: n.x, y: n.y },
                        classes: animate && !big && n.classes.includes('born') ? `${classes} fade` : classes,
                    });
                    this.sig.set(n.id, sig);
                    added++;
                    continue;
                }
                if (this.sig.get(n.id) === sig) continue;
                this.sig.set(n.id, sig);
                el.data({ label: n.label, w: n.w, h: n.h });
                el.classes(classes);
                const node = el as cytoscape.NodeSingular;
                const parentId = node.parent().length ? node.parent()[0].id() : undefined;
                if (parentId !== n.parent) node.move({ parent: n.parent ?? null });
                if (!n.classes.includes('cycle-group')) node.position({ x: n.x, y: n.y });
            }
            if (fresh.length) cy.add(fresh);
            const freshEdges: cytoscape.ElementDefinition[] = [];
            for (const e of view.edges) {
                const classes = e.classes.join(' ');
                const sig = `${e.source}>${e.target}|${e.label}|${classes}`;
                const el = cy.getElementById(e.id);
                if (!el.empty()) {
                    if (this.sig.get(e.id) === sig) continue;
                    const ed = el as cytoscape.EdgeSingular;
                    if (ed.source().id() !== e.source || ed.target().id() !== e.target) {
                        cy.remove(el);
                    } else {
                        el.data('label', e.label);
                        el.classes(classes);
                        this.sig.set(e.id, sig);
                        continue;
                    }
                }
                freshEdges.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label }, classes: animate && !big && e.classes.includes('edge-added') ? `${classes} fade` : classes });
                this.sig.set(e.id, sig);
                added++;
            }
            if (freshEdges.length) cy.add(freshEdges);
        });
        if (animate && !big) {
            const fading = cy.elements('.fade');
            if (fading.length) requestAnimationFrame(() => requestAnimationFrame(() => fading.removeClass('fade')));
        }
        return { added, removed };
    }

    /** Fits `ids` (default: every node) in the container's visible area, at most at `maxZoom`. */
    fit(ids?: string[], maxZoom = 1.6): void {
        let eles = this.cy.nodes();
        if (ids && ids.length) {
            eles = this.cy.collection();
            for (const id of ids) eles.merge(this.cy.getElementById(id));
        }
        if (!eles.length) return;
        // A reveal still panning towards where a node was before a relayout would undo this fit
        // (a followed selection in a comparing pane opens its details, narrowing the graph).
        this.cy.stop(true, false);
        // The box from positions and sizes: cytoscape's own bounding box measures every label,
        // which costs seconds on thousands of nodes.
        let x1 = Infinity;
        let y1 = Infinity;
        let x2 = -Infinity;
        let y2 = -Infinity;
        eles.forEach((n) => {
            if (n.isEdge() || (n as cytoscape.NodeSingular).isParent()) return;
            const p = (n as cytoscape.NodeSingular).position();
            const w = (Number(n.data('w')) || 60) / 2;
            const h = (Number(n.data('h')) || 40) / 2;
            x1 = Math.min(x1, p.x - w);
            x2 = Math.max(x2, p.x + w);
            y1 = Math.min(y1, p.y - h);
            y2 = Math.max(y2, p.y + h);
        });
        if (!Number.isFinite(x1)) return;
        const W = this.container.clientWidth || 800;
        const H = this.container.clientHeight || 600;
        const pad = 24;
        const zoom = Math.min(maxZoom, Math.max(this.cy.minZoom(), Math.min((W - 2 * pad) / Math.max(1, x2 - x1), (H - 2 * pad) / Math.max(1, y2 - y1))));
        this.cy.viewport({ zoom, pan: { x: W / 2 - zoom * (x1 + x2) / 2, y: H / 2 - zoom * (y1 + y2) / 2 } });
    }

    zoomBy(f: number): void {
        const cy = this.cy;
        cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: this.container.clientWidth / 2, y: this.container.clientHeight / 2 } });
    }

    select(id: string | null): void {
        this.cy.$(':selected').unselect();
        if (id) this.cy.getElementById(id).select();
    }

    /** Centres a node unless it is already comfortably in view. */
    reveal(id: string): void {
        const el = this.cy.getElementById(id);
        if (el.empty()) return;
        const bb = el.renderedBoundingBox();
        const w = this.container.clientWidth;
        const h = this.container.clientHeight;
        if (bb.x1 < 0 || bb.y1 < 0 || bb.x2 > w || bb.y2 > h) this.cy.animate({ center: { eles: el } }, { duration: 200 });
    }

    png(bg: string): string {
        return this.cy.png({ output: 'base64', full: true, bg, scale: 2, maxWidth: 8000, maxHeight: 8000 }) as unknown as string;
    }

    svg(bg: string, fg: string): string {
        const nodes: SvgNode[] = [];
        const edges: SvgEdge[] = [];
        const num = (v: unknown) => parseFloat(String(v)) || 0;
        this.cy.nodes().forEach((n) => {
            const compound = n.isParent();
            const bb = compound ? n.boundingBox({ includeLabels: false }) : null;
            const p = n.position();
            const borderStyle = String(n.style('border-style'));
            nodes.push({
                x: bb ? (bb.x1 + bb.x2) / 2 : p.x,
                y: bb ? (bb.y1 + bb.y2) / 2 : p.y,
                w: bb ? bb.w : n.width(),
                h: bb ? bb.h : n.height(),
                shape: String(n.style('shape')),
                fill: String(n.style('background-color')),
                fillOpacity: num(n.style('background-opacity')),
                stroke: String(n.style('border-color')),
                strokeWidth: num(n.style('border-width')),
                strokeStyle: (['solid', 'dashed', 'dotted', 'double'].includes(borderStyle) ? borderStyle : 'solid') as SvgNode['strokeStyle'],
                opacity: num(n.style('opacity')),
                label: String(n.data('label') ?? ''),
                color: String(n.style('color')),
                compound,
            });
        });
        this.cy.edges().forEach((e) => {
            const s = e.sourceEndpoint();
            const t = e.targetEndpoint();
            const ls = String(e.style('line-style'));
            edges.push({
                x1: s.x,
                y1: s.y,
                x2: t.x,
                y2: t.y,
                color: String(e.style('line-color')),
                width: num(e.style('width')),
                style: (ls === 'dashed' || ls === 'dotted' ? ls : 'solid') as SvgEdge['style'],
                label: String(e.data('label') ?? ''),
                opacity: num(e.style('opacity')),
                arrow: String(e.style('target-arrow-shape')) !== 'none',
            });
        });
        return toSvg(nodes, edges, bg, fg);
    }

    destroy(): void {
        this.cy.destroy();
    }
}
