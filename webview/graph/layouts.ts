/*
 * layouts.ts
 *
 * The one file that knows about cytoscape layout extensions: cytoscape-dagre (layered, for
 * small heaps: crossing reduction) and cytoscape-fcose (force-directed, good with cycles).
 * positions.ts decides which runs; every option here is deterministic (no randomisation).
 */

import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';

let registered = false;

export function registerLayoutExtensions(): void {
    if (registered) return;
    registered = true;
    cytoscape.use(dagre);
    cytoscape.use(fcose);
}

export function hasLayout(name: string): boolean {
    registerLayoutExtensions();
    try {
        return typeof cytoscape('layout', name) === 'function';
    } catch {
        return false;
    }
}

/** Dagre's crossing reduction costs ~2 ms a node here: above this the linear layered layout runs. */
export const DAGRE_LIMIT = 160;

/** Largest node count the force layout runs on. */
export function forceLimit(): number {
    return hasLayout('fcose') ? 1500 : 220;
}

export function forceLayoutOptions(): cytoscape.LayoutOptions {
    if (hasLayout('fcose')) {
        return { name: 'fcose', quality: 'default', randomize: false, animate: false, nodeRepulsion: 9000, idealEdgeLength: 110, nodeSeparation: 90, fit: false, packComponents: false } as unknown as cytoscape.LayoutOptions;
    }
    return { name: 'cose', animate: false, randomize: false, fit: false, numIter: 800, nodeRepulsion: () => 12000, idealEdgeLength: () => 70 } as unknown as cytoscape.LayoutOptions;
}

export function layeredLayoutOptions(dir: 'LR' | 'TB' = 'LR'): cytoscape.LayoutOptions | null {
    if (!hasLayout('dagre')) return null;
    return { name: 'dagre', rankDir: dir, nodeSep: dir === 'LR' ? 24 : 30, rankSep: dir === 'LR' ? 70 : 60, edgeSep: 10, ranker: 'network-simplex', animate: false, fit: false } as unknown as cytoscape.LayoutOptions;
}
