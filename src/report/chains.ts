/*
 * chains.ts
 *
 * "What keeps this object alive?": the shortest chain of strong references from a root (a module's
 * globals, a live frame's locals, sys.modules, or a holder the log does not show) to an object at
 * any moment, each link with its label and the place the reference was created. Weak references
 * are skipped: they cannot keep anything alive.
 *
 * Two ways in: `chainAt` (one object, backwards search over its ancestors only: cheap at any t) and
 * `chainFromReach` (many objects at the same t: one forward search, then a walk per object).
 */

import type { Decoded } from './decode';
import type { HeapIndex, Reach, RootRef } from './graph';
import type { Labels } from './labels';
import { labelOf } from './lifetimes';
import type { Chain, ChainLink, ChainRoot } from './types';

/** Longest chain kept whole; longer ones keep the first and last links. */
export const MAX_CHAIN_LINKS = 24;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function link(d: Decoded, g: HeapIndex, labels: Labels, e: number): ChainLink {
    const at = d.edges.add[e];
    const s = g.srcNode(e);
    const t = g.tgtNode(e);
    return {
        from: d.edges.src[e],
        fromLabel: labelOf(d, labels, s),
        edge: d.edges.label[e],
        to: d.edges.tgt[e],
        toLabel: labelOf(d, labels, t),
        line: d.log.line[at],
        column: d.log.col[at],
        step: d.log.step[at],
        at,
    };
}

/** The chain as an expression: `sys.keep`, `x.items[2]`, `f:tmp.next`. */
export function chainPath(root: ChainRoot | null, links: { edge: string; toType?: string }[], d?: Decoded): string {
    if (!root) return '(unreachable)';
    let p: string;
    let ns: string | null = null;
    if (root.kind === 'module') {
        p = root.name;
    } else if (root.kind === 'frame') p = root.name.replace(/\(\)$/, '');
    else p = root.name;
    let first = true;
    for (const l of links) {
        if (l.edge === '__dict__') {
            ns = root.kind === 'module' && first && root.name === '__main__' ? '' : p + '.';
            first = false;
            continue;
        }
        if (root.kind === 'frame' && first) p = `${p}:${l.edge}`;
        else if (ns !== null && IDENT.test(l.edge)) p = ns + l.edge;
        else {
            const c = l.edge.charAt(0);
            p = c === '[' || c === '(' || c === '{' ? p + l.edge : `${p}.${l.edge}`;
        }
        ns = null;
        first = false;
    }
    void d;
    return p === '' ? '__main__' : p;
}

function rootOut(d: Decoded, labels: Labels, r: RootRef): ChainRoot {
    if (r.kind === 'unrecorded') return { kind: r.kind, id: r.id, name: labelOf(d, labels, r.node) };
    return { kind: r.kind, id: r.id, name: r.name };
}

function finish(d: Decoded, g: HeapIndex, labels: Labels, t: number, root: RootRef | null, edges: number[]): Chain {
    const links = edges.map((e) => link(d, g, labels, e));
    const cr = root ? rootOut(d, labels, root) : null;
    const path = chainPath(cr, links);
    let elided = 0;
    let kept = links;
    if (links.length > MAX_CHAIN_LINKS) {
        const head = 8;
        const tail = MAX_CHAIN_LINKS - head;
        elided = links.length - MAX_CHAIN_LINKS;
        kept = [...links.slice(0, head), ...links.slice(links.length - tail)];
    }
    return { at: t, step: d.log.step[Math.min(t, d.length - 1)] ?? 0, root: cr, links: kept, elided, path: elided ? shortenPath(path) : path };
}

function shortenPath(p: string): string {
    return p.length > 160 ? `${p.slice(0, 60)}…${p.slice(-90)}` : p;
}

/** The chain that keeps object `id` alive at event index t; null if it is not alive then. */
export function chainAt(d: Decoded, g: HeapIndex, labels: Labels, id: number, t: number): Chain | null {
    const node = g.nodeOf(id);
    const r = g.chainAt(node, t);
    if (!r) return null;
    return finish(d, g, labels, t, r.root, r.edges);
}

/** Chains for many objects at the same t from one forward search. */
export function chainFromReach(d: Decoded, g: HeapIndex, labels: Labels, reach: Reach, node: number): Chain | null {
    if (!g.aliveAt(node, reach.t)) return null;
    const rn = reach.rootOf[node];
    if (rn < 0) return finish(d, g, labels, reach.t, null, []);
    const edges: number[] = [];
    let u = node;
    while (u !== rn) {
        const e = reach.parentEdge[u];
        if (e < 0) break;
        edges.push(e);
        u = g.srcNode(e);
    }
    edges.reverse();
    return finish(d, g, labels, reach.t, reach.roots.get(rn) ?? null, edges);
}
