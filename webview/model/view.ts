/*
 * view.ts
 *
 * computeView: what the graph shows at one moment, as plain data the renderer syncs into
 * cytoscape. From the live sets (timeline.ts) it applies, in order: namespace-dict folding,
 * filters, reference cycles (SCCs, drawn as compound groups, collapsible into one node),
 * summaries of large containers (`[…1,000 more items]`, expandable), the change highlights of
 * the last move (born, dying with its reason, references added and removed), search and cursor
 * matches, and a hard cap on the number of nodes so a huge heap never freezes the panel.
 * Pure: no DOM, no cytoscape.
 */

import { deathReason } from './card';
import { EDGE_STRUCTURAL, EDGE_WEAK, NEVER, type HeapModel } from './heapModel';
import { COL_WIDTH, ROW_HEIGHT, type Positions } from './layout';
import { csrOf, stronglyConnected } from './scc';
import type { Timeline } from './timeline';
import type { NodeKind } from './kinds';

export interface Filters {
    /** Only survivors of exit and the objects on the chains that keep them. */
    onlySurvivors: boolean;
    /** Only objects in reference cycles. */
    onlyCycles: boolean;
    /** Hide objects that died before this moment (off: show them as ghosts). */
    hideFreed: boolean;
    hideFunctions: boolean;
    hideClasses: boolean;
    hideModules: boolean;
    /** Hide objects the interpreter made (sys.path, gc.garbage…) unless they hold the program's objects. */
    hideInterpreter: boolean;
    /** Draw a module's or class's `__dict__` as part of its owner. */
    foldNamespaces: boolean;
}

export const DEFAULT_FILTERS: Filters = {
    onlySurvivors: false,
    onlyCycles: false,
    hideFreed: true,
    hideFunctions: false,
    hideClasses: false,
    hideModules: false,
    hideInterpreter: true,
    foldNamespaces: true,
};

export interface ViewOptions {
    t: number;
    /** What changed in (prevT, t] is highlighted (born, dying, references added and removed). -1: nothing. */
    prevT: number;
    filters: Filters;
    /** Collapsed cycle groups (group ids). */
    collapsed: ReadonlySet<string>;
    /** Containers whose summary was expanded: object id → references shown. */
    expanded: ReadonlyMap<number, number>;
    search: string;
    cursorLine: number;
    summaryThreshold?: number;
    summaryKeep?: number;
    maxNodes?: number;
    ghostCap?: number;
    /** Above this many nodes shown, cycles are marked on their members (class `in-cycle`) instead
     *  of being drawn as compound boxes, which cytoscape lays out slowly. Default 600. */
    compoundLimit?: number;
    phaseAt?: (t: number) => string;
}

export type VKind = NodeKind | 'summary' | 'cycle';

export interface VNode {
    id: string;
    /** Model node index, -1 for summaries and groups. */
    v: number;
    kind: VKind;
    label: string;
    x: number;
    y: number;
    w: number;
    h: number;
    parent?: string;
    classes: string[];
    /** Why it just died (dying nodes). */
    reason?: string;
    /** Summaries: the container's model index; groups: member count. */
    ref?: number;
}

export interface VEdge {
    id: string;
    source: string;
    target: string;
    label: string;
    classes: string[];
    /** Model edge index, -1 for merged or summary edges. */
    e: number;
}

export interface VGroup {
    id: string;
    members: number[];
    collapsed: boolean;
    survivors: number;
}

export interface View {
    t: number;
    nodes: VNode[];
    edges: VEdge[];
    groups: VGroup[];
    /** Search matches: shown (model indices) and over the whole run (capped at 1000). */
    matches: number[];
    allMatches: number[];
    stats: { live: number; shown: number; summarized: number; truncated: number; ghosts: number; groups: number };
}

const NODE_H = 40;

export function nodeId(model: HeapModel, v: number): string {
    return `n${model.nodes[v].id}`;
}

export function edgeId(e: number): string {
    return `e${e}`;
}

export function matchesQuery(model: HeapModel, v: number, q: string): boolean {
    if (!q) return false;
    const n = model.nodes[v];
    const m = /^(type|line|id):\s*(.+)$/i.exec(q);
    if (m) {
        const key = m[1].toLowerCase();
        const val = m[2].trim();
        if (key === 'type') return n.type.toLowerCase() === val.toLowerCase();
        if (key === 'line') return n.allocLine === Number(val);
        return String(n.id) === val;
    }
    const ql = q.toLowerCase();
    return n.label.toLowerCase().includes(ql) || n.type.toLowerCase().includes(ql);
}

function clip(s: string, n: number): string {
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function nodeText(model: HeapModel, v: number): string {
    const n = model.nodes[v];
    const top = n.root ? `«${n.root === 'modules' ? 'sys.modules' : n.root}» ${n.type === 'frame' ? 'frame' : n.type}` : n.type;
    return `${clip(n.survives ? `⚠ ${top}` : top, 30)}\n${clip(n.label, 30)}`;
}

function widthOf(label: string): number {
    let m = 0;
    for (const line of label.split('\n')) m = Math.max(m, line.length);
    return Math.max(64, Math.min(210, m * 6.6 + 22));
}

export function computeView(model: HeapModel, tl: Timeline, pos: Positions, o: ViewOptions): View {
    const N = model.nodes.length;
    const f = o.filters;
    const threshold = o.summaryThreshold ?? 24;
    const keep = o.summaryKeep ?? 8;
    const maxNodes = o.maxNodes ?? 2500;
    const ghostCap = o.ghostCap ?? 300;
    const phaseAt = o.phaseAt ?? (() => 'running');
    const t = o.t;
    const nodes = model.nodes;
    const fold = f.foldNamespaces;
    const rep = (v: number) => {
        const w = nodes[v].owner;
        return fold && w !== v && tl.isNodeLive(w) ? w : v;
    };
    const passesKind = (v: number) => {
        const k = nodes[v].kind;
        if (f.hideFunctions && (k === 'function' || k === 'method')) return false;
        if (f.hideClasses && k === 'class') return false;
        if (f.hideModules && k === 'module') return false;
        return true;
    };
    // 0 hidden, 1 shown, 2 interpreter object shown only if it holds a shown object
    const state = new Uint8Array(N);
    const liveList = tl.nodes.list;
    const liveCount = tl.nodes.size;
    for (let k = 0; k < liveCount; k++) {
        const v = liveList[k];
        if (rep(v) !== v || !passesKind(v)) continue;
        const n = nodes[v];
        if (f.hideInterpreter && !n.obj && !(n.root && n.root !== 'modules')) state[v] = 2;
        else state[v] = 1;
    }
    if (f.onlySurvivors) {
        for (let k = 0; k < liveCount; k++) {
            const v = liveList[k];
            if (state[v] && !nodes[v].survives && !model.survivorChainNodes.has(v) && !hasFoldedChainNode(model, v)) state[v] = 0;
        }
    }
    // Live references between candidates.
    const eList = tl.edges.list;
    const eCount = tl.edges.size;
    const es: number[] = [];
    const srcs: number[] = [];
    const tgts: number[] = [];
    for (let k = 0; k < eCount; k++) {
        const e = eList[k];
        const a = model.eFrom[e];
        const b = model.eTo[e];
        if (!tl.isNodeLive(a) || !tl.isNodeLive(b)) continue;
        const s = rep(a);
        const d = rep(b);
        if (s === d && (a !== s || b !== d)) continue; // the fold itself
        if (!state[s] || !state[d]) continue;
        es.push(e);
        srcs.push(s);
        tgts.push(d);
    }
    for (let i = 0; i < es.length; i++) if (state[srcs[i]] === 2 && state[tgts[i]] === 1 && nodes[tgts[i]].obj) state[srcs[i]] = 3;
    for (let v = 0; v < N; v++) state[v] = state[v] === 1 || state[v] === 3 ? 1 : 0;
    // Reference cycles among shown non-root nodes (strong, non-structural references).
    const local = new Int32Array(N).fill(-1);
    const locals: number[] = [];
    for (let k = 0; k < liveCount; k++) {
        const v = liveList[k];
        if (state[v] && !nodes[v].root) {
            local[v] = locals.length;
            locals.push(v);
        }
    }
    const cf: number[] = [];
    const ct: number[] = [];
    for (let i = 0; i < es.length; i++) {
        const e = es[i];
        if (model.eFlags[e] & (EDGE_WEAK | EDGE_STRUCTURAL)) continue;
        if (!state[srcs[i]] || !state[tgts[i]]) continue;
        const a = local[srcs[i]];
        const b = local[tgts[i]];
        if (a >= 0 && b >= 0) {
            cf.push(a);
            ct.push(b);
        }
    }
    const { start, adj } = csrOf(locals.length, cf, ct);
    const scc = stronglyConnected(locals.length, start, adj);
    const groupOfComp = new Int32Array(scc.count).fill(-1);
    const groups: VGroup[] = [];
    const groupOf = new Int32Array(N).fill(-1);
    for (let i = 0; i < locals.length; i++) {
        const c = scc.comp[i];
        if (!scc.cyclic[c]) continue;
        let g = groupOfComp[c];
        if (g < 0) {
            g = groupOfComp[c] = groups.length;
            groups.push({ id: '', members: [], collapsed: false, survivors: 0 });
        }
        groups[g].members.push(locals[i]);
        groupOf[locals[i]] = g;
    }
    for (const g of groups) {
        let minId = Infinity;
        for (const v of g.members) {
            minId = Math.min(minId, nodes[v].id);
            if (nodes[v].survives) g.survivors++;
        }
        g.id = `g${minId}`;
        g.collapsed = o.collapsed.has(g.id);
    }
    if (f.onlyCycles) for (let v = 0; v < N; v++) if (state[v] && groupOf[v] < 0) state[v] = 0;

    // Display vertices: model nodes (0..N-1), collapsed groups (N + g), summaries (N + G + s).
    const G = groups.length;
    const disp = (v: number) => (groupOf[v] >= 0 && groups[groupOf[v]].collapsed ? N + groupOf[v] : v);
    const dSrc: number[] = [];
    const dTgt: number[] = [];
    const dEdge: number[] = [];
    const dLabel: string[] = [];
    const merged = new Map<string, number>();
    for (let i = 0; i < es.length; i++) {
        if (!state[srcs[i]] || !state[tgts[i]]) continue;
        const a = disp(srcs[i]);
        const b = disp(tgts[i]);
        const e = es[i];
        if (a >= N || b >= N) {
            if (a === b) continue; // inside a collapsed cycle
            const key = `${a}>${b}`;
            const j = merged.get(key);
            const label = model.edgeLabel(e);
            if (j !== undefined) {
                const parts = dLabel[j].split(', ');
                if (parts.length < 3 && !parts.includes(label)) dLabel[j] += `, ${label}`;
                else if (parts.length === 3 && !dLabel[j].endsWith('…')) dLabel[j] += ', …';
                continue;
            }
            merged.set(key, dSrc.length);
            dEdge.push(-1 - e);
            dLabel.push(label);
        } else {
            dEdge.push(e);
            dLabel.push(model.edgeLabel(e));
        }
        dSrc.push(a);
        dTgt.push(b);
    }
    const D = N + G;
    const shown = new Uint8Array(D);
    for (let v = 0; v < N; v++) if (state[v] && disp(v) === v) shown[v] = 1;
    for (let g = 0; g < G; g++) if (groups[g].collapsed) shown[N + g] = 1;
    // Summaries: a node with more than `threshold` references out keeps the first ones.
    const outCount = new Int32Array(D);
    for (let i = 0; i < dSrc.length; i++) outCount[dSrc[i]]++;
    const edgeOn = new Uint8Array(dSrc.length).fill(1);
    const summaries: { owner: number; rest: number; lastY: number }[] = [];
    const seen = new Int32Array(D);
    const summaryOf = new Map<number, number>();
    for (let i = 0; i < dSrc.length; i++) {
        const a = dSrc[i];
        if (outCount[a] <= threshold || a >= N) continue;
        const limit = o.expanded.get(nodes[a].id) ?? keep;
        if (seen[a]++ < limit) continue;
        edgeOn[i] = 0;
        let s = summaryOf.get(a);
        if (s === undefined) {
            summaryOf.set(a, (s = summaries.length));
            summaries.push({ owner: a, rest: 0, lastY: -Infinity });
        }
        summaries[s].rest++;
    }
    let summarized = 0;
    if (summaries.length) {
        // Hide what only the summarised references held (and what only those held, …).
        const indeg = new Int32Array(D);
        const outOf: number[][] = [];
        for (let i = 0; i < dSrc.length; i++) {
            indeg[dTgt[i]]++;
            (outOf[dSrc[i]] ??= []).push(i);
        }
        const work: number[] = [];
        for (let i = 0; i < dSrc.length; i++) if (!edgeOn[i]) work.push(i);
        while (work.length) {
            const i = work.pop()!;
            const b = dTgt[i];
            if (--indeg[b] > 0 || !shown[b] || (b < N && nodes[b].root)) continue;
            shown[b] = 0;
            summarized++;
            for (const j of outOf[b] ?? []) {
                if (edgeOn[j]) {
                    edgeOn[j] = 0;
                    work.push(j);
                }
            }
        }
    }
    // Highlights of the last move.
    const born = new Set<number>();
    const dying: number[] = [];
    const added = new Set<number>();
    const removed: number[] = [];
    if (o.prevT >= 0 && o.prevT < t) {
        const ch = tl.changesBetween(o.prevT, t, 4000);
        for (const v of ch.born) if (tl.isNodeLive(v)) born.add(v);
        for (const v of ch.died) if (!tl.isNodeLive(v)) dying.push(v);
        for (const e of ch.edgesAdded) if (tl.isEdgeLive(e)) added.add(e);
        for (const e of ch.edgesRemoved) if (!tl.isEdgeLive(e)) removed.push(e);
    }
    // Cap the number of nodes: roots first, then breadth-first from them, then by birth.
    let shownCount = 0;
    for (let d = 0; d < D; d++) shownCount += shown[d];
    let truncated = 0;
    if (shownCount > maxNodes) {
        const order: number[] = [];
        const inOrder = new Uint8Array(D);
        const adjOut: number[][] = [];
        for (let i = 0; i < dSrc.length; i++) if (edgeOn[i]) (adjOut[dSrc[i]] ??= []).push(dTgt[i]);
        const pushV = (d: number) => {
            if (!shown[d] || inOrder[d]) return;
            inOrder[d] = 1;
            order.push(d);
        };
        for (let v = 0; v < N; v++) if (nodes[v].root) pushV(v);
        for (let q = 0; q < order.length && order.length < maxNodes; q++) for (const w of adjOut[order[q]] ?? []) pushV(w);
        for (let d = 0; d < D && order.length < maxNodes; d++) pushV(d);
        for (let k = maxNodes; k < order.length; k++) shown[order[k]] = 0;
        for (let d = 0; d < D; d++) if (shown[d] && !inOrder[d]) shown[d] = 0;
        truncated = shownCount - Math.min(shownCount, maxNodes);
    }

    // ---- output
    const q = o.search.trim();
    const outNodes: VNode[] = [];
    const outEdges: VEdge[] = [];
    const matches: number[] = [];
    const idOfDisp = (d: number): string => (d < N ? nodeId(model, d) : `${groups[d - N].id}c`);
    const makeNode = (v: number, extra: string[]): VNode => {
        const n = nodes[v];
        const label = nodeText(model, v);
        const classes = [`k-${n.kind}`, ...extra];
        if (n.root) classes.push('root', `r-${n.root}`);
        if (n.survives) classes.push('survivor');
        if (!n.obj && !n.root) classes.push('interp');
        if (o.cursorLine > 0 && n.allocLine === o.cursorLine) classes.push('cursor');
        if (q) {
            if (matchesQuery(model, v, q)) classes.push('match');
            else classes.push('dim');
        }
        return { id: nodeId(model, v), v, kind: n.kind, label, x: pos.x[v], y: pos.y[v], w: widthOf(label), h: NODE_H, classes };
    };
    const usedGroup = new Uint8Array(G);
    let shownNow = 0;
    for (let d = 0; d < D; d++) shownNow += shown[d];
    const compounds = shownNow <= (o.compoundLimit ?? 600);
    for (let v = 0; v < N; v++) {
        if (!shown[v]) continue;
        const vn = makeNode(v, born.has(v) ? ['born'] : []);
        const g = groupOf[v];
        if (g >= 0 && !groups[g].collapsed) {
            if (compounds) {
                vn.parent = groups[g].id;
                usedGroup[g] = 1;
            } else vn.classes.push('in-cycle');
        }
        if (vn.classes.includes('match')) matches.push(v);
        outNodes.push(vn);
    }
    for (let g = 0; g < G; g++) {
        const gr = groups[g];
        if (gr.collapsed) {
            if (!shown[N + g]) continue;
            let x = 0;
            let y = 0;
            for (const v of gr.members) {
                x += pos.x[v];
                y += pos.y[v];
            }
            const label = `cycle · ${gr.members.length} objects${gr.survivors ? `\n⚠ ${gr.survivors} survive exit` : ''}`;
            outNodes.push({ id: `${gr.id}c`, v: -1, kind: 'cycle', label, x: x / gr.members.length, y: y / gr.members.length, w: widthOf(label), h: NODE_H + 6, classes: ['cycle-collapsed', ...(gr.survivors ? ['survivor'] : [])], ref: gr.members.length });
        } else if (usedGroup[g]) {
            outNodes.push({ id: gr.id, v: -1, kind: 'cycle', label: `cycle · ${gr.members.length}`, x: 0, y: 0, w: 0, h: 0, classes: ['cycle-group', ...(gr.survivors ? ['survivor-group'] : [])], ref: gr.members.length });
        }
    }
    const isShown = (d: number) => shown[d] === 1;
    const lastChildY = new Map<number, number>();
    for (let i = 0; i < dSrc.length; i++) {
        if (!edgeOn[i] || !isShown(dSrc[i]) || !isShown(dTgt[i])) continue;
        const e = dEdge[i];
        const classes: string[] = [];
        if (e >= 0) {
            if (model.eFlags[e] & EDGE_WEAK) classes.push('weak');
            if (added.has(e)) classes.push('edge-added');
        } else classes.push('merged');
        outEdges.push({ id: e >= 0 ? edgeId(e) : `m${dSrc[i]}_${dTgt[i]}`, source: idOfDisp(dSrc[i]), target: idOfDisp(dTgt[i]), label: dLabel[i], classes, e: e >= 0 ? e : -1 });
        if (summaryOf.has(dSrc[i]) && dTgt[i] < N) lastChildY.set(dSrc[i], Math.max(lastChildY.get(dSrc[i]) ?? -Infinity, pos.y[dTgt[i]]));
    }
    for (const s of summaries) {
        if (!isShown(s.owner)) continue;
        const a = s.owner;
        const n = nodes[a];
        const container = n.kind === 'list' || n.kind === 'dict' || n.kind === 'tuple' || n.kind === 'set';
        const label = container ? `[…${s.rest.toLocaleString('en-US')} more items]` : `…${s.rest.toLocaleString('en-US')} more references`;
        const ly = lastChildY.get(a);
        const id = `s${n.id}`;
        outNodes.push({ id, v: -1, kind: 'summary', label, x: pos.x[a] + COL_WIDTH, y: ly === undefined ? pos.y[a] : ly + ROW_HEIGHT, w: widthOf(label), h: 30, classes: ['summary'], ref: a });
        outEdges.push({ id: `${id}e`, source: nodeId(model, a), target: id, label: `${s.rest} more`, classes: ['summary-edge'], e: -1 });
    }
    // Dying nodes (fade out with their reason) and ghosts of the freed.
    const shownIds = new Set<number>();
    for (const vn of outNodes) if (vn.v >= 0) shownIds.add(vn.v);
    let ghosts = 0;
    const dyingSet = new Set<number>();
    for (const v of dying.slice(0, 300)) {
        const n = nodes[v];
        if ((fold && n.owner !== v) || !passesKind(v) || (f.hideInterpreter && !n.obj && !n.root)) continue;
        if (f.onlySurvivors || f.onlyCycles) continue;
        const vn = makeNode(v, ['dying']);
        vn.reason = deathReason(n, phaseAt);
        vn.label = `${vn.label}\n✝ ${vn.reason}`;
        vn.h = NODE_H + 14;
        vn.w = widthOf(vn.label);
        outNodes.push(vn);
        shownIds.add(v);
        dyingSet.add(v);
    }
    if (!f.hideFreed && !f.onlySurvivors && !f.onlyCycles) {
        const dead: number[] = [];
        for (let v = 0; v < N; v++) {
            const n = nodes[v];
            if (n.obj && n.diedAt <= t && !dyingSet.has(v) && (!fold || n.owner === v) && passesKind(v)) dead.push(v);
        }
        dead.sort((a, b) => nodes[b].diedAt - nodes[a].diedAt);
        for (const v of dead.slice(0, ghostCap)) {
            const vn = makeNode(v, ['ghost']);
            vn.reason = deathReason(nodes[v], phaseAt);
            outNodes.push(vn);
            shownIds.add(v);
            ghosts++;
        }
    }
    for (const e of removed.slice(0, 300)) {
        const a = rep(model.eFrom[e]);
        const b = rep(model.eTo[e]);
        const sa = shownIds.has(a) || (shown[a] === 1 && state[a] === 1);
        const sb = shownIds.has(b) || (shown[b] === 1 && state[b] === 1);
        if (!sa || !sb || a === b) continue;
        if (disp(a) !== a || disp(b) !== b) continue;
        outEdges.push({ id: `x${e}`, source: nodeId(model, a), target: nodeId(model, b), label: model.edgeLabel(e), classes: ['edge-removed'], e });
    }
    const allMatches: number[] = [];
    if (q) for (let v = 0; v < N && allMatches.length < 1000; v++) if ((!fold || nodes[v].owner === v) && matchesQuery(model, v, q)) allMatches.push(v);
    return {
        t,
        nodes: outNodes,
        edges: outEdges,
        groups,
        matches,
        allMatches,
        stats: { live: liveCount, shown: outNodes.length, summarized, truncated, ghosts, groups: G },
    };
}

function hasFoldedChainNode(model: HeapModel, v: number): boolean {
    // A module whose __dict__ is on a chain is on it too.
    for (let k = model.outStart[v]; k < model.outStart[v + 1]; k++) {
        const w = model.eTo[model.outList[k]];
        if (w !== v && model.nodes[w].owner === v && model.survivorChainNodes.has(w)) return true;
    }
    return false;
}

/** Never used as a time: NEVER re-exported for tests. */
export { NEVER };
