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

import { edgeLabel, type Decoded } from './decode';
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
        edge: edgeLabel(d.edges, e),
        to: d.edges.tgt[e],
        toLabel: labelOf(d, labels, t),
        line: d.log.line[at],
        column: d.log.col[at],
        step: d.log.step[at],
        at,
    };
}

/**
 * The chain as an expression: `sys.keep`, `x.items[2]`, `f:tmp.next`. `fromFrame[i]`: link i leaves a
 * frame object reached inside the chain (`tb_frame`, `gi_frame`), whose locals Python code reads as
 * `frame.f_locals['x']`, not as attributes.
 */
export function chainPath(root: ChainRoot | null, links: { edge: string; toType?: string }[], d?: Decoded, fromFrame?: boolean[]): string {
    if (!root) return '(unreachable)';
    let p: string;
    let ns: string | null = null;
    if (root.kind === 'module') {
        p = root.name;
    } else if (root.kind === 'frame') p = root.name.replace(/\(\)$/, '');
    else p = root.name;
    let first = true;
    for (let i = 0; i < links.length; i++) {
        const l = links[i];
        // A namespace dict is transparent inside a path (`x.attr`, not `x.__dict__.attr`), but the
        // path of the dict itself names it.
        if (l.edge === '__dict__' && i === links.length - 1) {
            p = root.kind === 'frame' && first ? `${p}:__dict__` : `${p === '' ? '__main__' : p}.__dict__`;
            ns = null;
            first = false;
            continue;
        }
        if (l.edge === '__dict__') {
            ns = root.kind === 'module' && first && root.name === '__main__' ? '' : p + '.';
            first = false;
            continue;
        }
        if (root.kind === 'frame' && first) p = `${p}:${l.edge}`;
        else if (fromFrame?.[i] && IDENT.test(l.edge)) p = `${p}.f_locals['${l.edge}']`;
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

const HEAD_LINKS = 8;
const TAIL_LINKS = MAX_CHAIN_LINKS - HEAD_LINKS;

/**
 * Builds the Chain from its edges, root first. A long chain (a 300,000-node linked list) keeps
 * only its first and last links: `edges` may already be elided, with `elided` links left out
 * between `edges[HEAD_LINKS - 1]` and `edges[HEAD_LINKS]`.
 */
function finish(d: Decoded, g: HeapIndex, labels: Labels, t: number, root: RootRef | null, edges: number[], elided = 0): Chain {
    if (!elided && edges.length > MAX_CHAIN_LINKS) {
        elided = edges.length - MAX_CHAIN_LINKS;
        edges = [...edges.slice(0, HEAD_LINKS), ...edges.slice(edges.length - TAIL_LINKS)];
    }
    const links = edges.map((e) => link(d, g, labels, e));
    const fromFrame = edges.map((e) => {
        const s = g.srcNode(e);
        return s >= d.objects.length || (s >= 0 && d.objects.type(s) === 'frame');
    });
    const cr = root ? rootOut(d, labels, root) : null;
    let path: string;
    if (!elided) {
        path = chainPath(cr, links, d, fromFrame);
    } else {
        const head = chainPath(cr, links.slice(0, HEAD_LINKS), d, fromFrame);
        path = `${head}…${pathSuffix(links.slice(HEAD_LINKS), fromFrame.slice(HEAD_LINKS))}`;
        if (path.length > 160) path = `${path.slice(0, 60)}…${path.slice(-90)}`;
    }
    return { at: t, step: d.log.step[Math.min(t, d.length - 1)] ?? 0, root: cr, links, elided, path };
}

/** The tail of a chain as an expression suffix: `.next[2].value`. */
function pathSuffix(links: { edge: string }[], fromFrame: boolean[]): string {
    let out = '';
    for (let i = 0; i < links.length; i++) {
        const l = links[i];
        if (l.edge === '__dict__') continue;
        const c = l.edge.charAt(0);
        out += fromFrame[i] && IDENT.test(l.edge) ? `.f_locals['${l.edge}']` : c === '[' || c === '(' || c === '{' ? l.edge : `.${l.edge}`;
    }
    return out;
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
    // Depths and the first links from the root are shared by every object below the same
    // ancestor: memoised per search, so chains down a 300,000-node linked list cost O(n) in all.
    const memo = memoFor(reach, g.nodeCount);
    const depth = depthOf(memo, g, reach, node, rn);
    const root = reach.roots.get(rn) ?? null;
    if (depth <= MAX_CHAIN_LINKS) {
        const all: number[] = [];
        let u = node;
        while (u !== rn) {
            const e = reach.parentEdge[u];
            if (e < 0) break;
            all.push(e);
            u = g.srcNode(e);
        }
        return finish(d, g, labels, reach.t, root, all.reverse());
    }
    const tail: number[] = [];
    let u = node;
    for (let k = 0; k < TAIL_LINKS; k++) {
        const e = reach.parentEdge[u];
        tail.push(e);
        u = g.srcNode(e);
    }
    return finish(d, g, labels, reach.t, root, [...pathUp(g, reach, memo.headEnd[node], rn), ...tail.reverse()], depth - MAX_CHAIN_LINKS);
}

/** The edges from `rn` down to `node` (root first). */
function pathUp(g: HeapIndex, reach: Reach, node: number, rn: number): number[] {
    const out: number[] = [];
    for (let u = node; u !== rn; ) {
        const e = reach.parentEdge[u];
        if (e < 0) break;
        out.push(e);
        u = g.srcNode(e);
    }
    return out.reverse();
}

interface ChainMemo {
    depth: Int32Array;
    /**
     * The node at depth HEAD_LINKS on the way from the root (the node itself when shallower): the
     * path down to it is the chain's head. A node number, not an array per node.
     */
    headEnd: Int32Array;
}

const memos = new WeakMap<Reach, ChainMemo>();

function memoFor(reach: Reach, n: number): ChainMemo {
    let m = memos.get(reach);
    if (!m) {
        m = { depth: new Int32Array(n).fill(-1), headEnd: new Int32Array(n) };
        memos.set(reach, m);
    }
    return m;
}

/** Depth of `node` below its root `rn` (number of links), filling the memo along the way. */
function depthOf(m: ChainMemo, g: HeapIndex, reach: Reach, node: number, rn: number): number {
    const pending: number[] = [];
    let v = node;
    while (v !== rn && m.depth[v] < 0) {
        const e = reach.parentEdge[v];
        if (e < 0) break;
        pending.push(v);
        v = g.srcNode(e);
    }
    let base = v === rn ? 0 : Math.max(0, m.depth[v]);
    // v's head end (v itself when it is the root or a node the walk could not pass).
    let headEnd = v !== rn && m.depth[v] >= 0 ? m.headEnd[v] : v;
    let headLen = Math.min(base, HEAD_LINKS);
    if (v === rn) {
        m.depth[rn] = 0;
        m.headEnd[rn] = rn;
    }
    for (let i = pending.length - 1; i >= 0; i--) {
        const w = pending[i];
        base++;
        if (headLen < HEAD_LINKS) {
            headLen++;
            headEnd = w;
        }
        m.depth[w] = base;
        m.headEnd[w] = headEnd;
    }
    return Math.max(0, m.depth[node]);
}
