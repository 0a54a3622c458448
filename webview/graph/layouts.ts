/*
 * layouts.ts
 *
 * The one file that knows about layout extensions. Positions are computed once per report for
 * every node ever alive (webview/model/layout.ts: layered by distance from the roots, rows reused
 * once their occupant died), then optionally refined:
 *
 *   force   → fcose (cytoscape-fcose) when registered, else cytoscape's built-in cose, on graphs
 *             small enough for it to finish quickly (FORCE_LIMIT); larger ones keep the layered
 *             positions (a force layout of 20,000 nodes would freeze the panel).
 *   layered → dagre (cytoscape-dagre) when registered, else the built-in lifetime-aware layered
 *             layout (better than `breadthfirst` here: it reuses the rows of dead objects).
 *
 * To enable the extensions: `npm install cytoscape-fcose cytoscape-dagre` and uncomment the
 * imports and `cytoscape.use` calls below. Nothing else changes.
 */

import cytoscape from 'cytoscape';
// import fcose from 'cytoscape-fcose';
// import dagre from 'cytoscape-dagre';

let registered = false;

export function registerLayoutExtensions(): void {
    if (registered) return;
    registered = true;
    // cytoscape.use(fcose);
    // cytoscape.use(dagre);
}

export function hasLayout(name: string): boolean {
    registerLayoutExtensions();
    try {
        return typeof cytoscape('layout', name) === 'function';
    } catch {
        return false;
    }
}

/** Largest node count the force refinement runs on (fcose is much faster than cose). */
export function forceLimit(): number {
    return hasLayout('fcose') ? 2500 : 220;
}

/** Options for refining the layered positions (already set as presets on the nodes). */
export function forceLayoutOptions(): cytoscape.LayoutOptions {
    if (hasLayout('fcose')) {
        return { name: 'fcose', quality: 'default', randomize: false, animate: false, nodeRepulsion: 9000, idealEdgeLength: 90, nodeSeparation: 90, fit: false } as unknown as cytoscape.LayoutOptions;
    }
    return {
        name: 'cose',
        animate: false,
        randomize: false,
        fit: false,
        numIter: 800,
        nodeRepulsion: () => 12000,
        idealEdgeLength: () => 70,
        edgeElasticity: () => 120,
        nodeOverlap: 30,
        componentSpacing: 30,
        nestingFactor: 1.2,
        gravity: 8,
        initialTemp: 200,
        coolingFactor: 0.97,
    } as unknown as cytoscape.LayoutOptions;
}

export function layeredLayoutOptions(): cytoscape.LayoutOptions | null {
    if (hasLayout('dagre')) return { name: 'dagre', rankDir: 'LR', nodeSep: 20, rankSep: 80, animate: false, fit: false } as unknown as cytoscape.LayoutOptions;
    return null;
}
