/*
 * view.ts
 *
 * computeView: what the graph shows at one moment, as plain data the renderer syncs into
 * cytoscape. From the live sets (timeline.ts) it applies, in order: namespace-dict folding,
 * the program's objects shown and the rest folded away unless it holds one of them (roots,
 * definitions, interpreter objects: "internals"), filters, reference cycles (SCCs, drawn as
 * compound groups with why they were or were not collected, collapsible into one node),
 * summaries of large containers (`[…1,000 more items]`, expandable), the change highlights of
 * the last move (born, dying with its reason, references added and removed), search and cursor
 * matches, and a hard cap on the number of nodes so a huge heap never freezes the panel.
 * Pure: no DOM, no cytoscape.
 */

import { phaseText } from '../../src/report/phaseNames';
import { deathReason } from './card';
import { fateBadge, fateClass } from './fates';
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
    /** Show the interpreter's objects and the program's definitions (functions, classes,
     *  modules, namespaces) even when they hold none of the program's objects. Off (the default):
     *  they are folded away, and drawn only where they hold something of the program's. */
    internals: boolean;
    /** Draw a module's or class's `__dict__` as part of its owner. */
    foldNamespaces: boolean;
}

export const DEFAULT_FILTERS: Filters = {
    onlySurvivors: false,
    onlyCycles: false,
    hideFreed: true,
    internals: false,
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
     *  of being drawn as compound boxes (which cytoscape lays out slowly, and which overlap
     *  in a crowded picture). Default 80. */
    compoundLimit?: number;
    phaseAt?: (t: number) => string;
    /** Shown whatever the filters (the selection and the chain that retains it). */
    pinned?: ReadonlySet<number>;
    /** The selected object's retaining chain, highlighted (model node and edge indices). */
    path?: { nodes: ReadonlySet<number>; edges: ReadonlySet<number> };
    /** Above this many of the program's objects shown, each allocation site with several live
     *  objects is drawn as one node ("660 × Node · line 16"). Default 150; Infinity: never. */
    aggregateAbove?: number;
    /** Sites (model.sites indices) the user expanded: drawn object by object. */
    expandedSites?: ReadonlySet<number>;
    /** Comparing with another profile: object id → its fate there, for the objects whose fate
     *  differs (class `differs`, and a last label line `≠ 2.7: survives exit`). */
    differs?: { profile: string; fates: ReadonlyMap<number, string> };
}

export type VKind = NodeKind | 'summary' | 'cycle' | 'aggregate';

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
    /** Why the cycle was or was not collected, from its members' reports ("collected at line 21"). */
    reason: string;
}

export interface View {
    t: number;
    nodes: VNode[];
    edges: VEdge[];
    groups: VGroup[];
    /** Search matches: shown (model indices) and over the whole run (capped at 1000). */
    matches: number[];
    allMatches: number[];
    stats: { live: number; shown: number; summarized: number; truncated: number; ghosts: number; groups: number; program: number; folded: number; aggregated: number };
}

/** Node heights by number of label lines (12 px text, 15 px a line, padding). */
const LINE_H = 15;
const NODE_PAD = 12;
export function nodeHeight(label: string): number {
    return label.split('\n').length * LINE_H + NODE_PAD;
}

/** A container with more references than this shows its first SUMMARY_KEEP and `[…N more items]`. */
export const SUMMARY_THRESHOLD = 24;
export const SUMMARY_KEEP = 8;

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

/** A node's label as drawn: its text and, in a comparing pane, a last line with its fate on the
 *  other profile where that differs (`≠ 2.7: survives exit`). The layout sizes nodes by it. */
export function labelText(model: HeapModel, v: number, differs?: { profile: string; fates: ReadonlyMap<number, string> }): string {
    const id = model.nodes[v].obj?.id;
    const other = id !== undefined && differs ? differs.fates.get(id) : undefined;
    return other === undefined ? nodeText(model, v) : `${nodeText(model, v)}\n≠ ${differs!.profile}: ${other.replace(/-/g, ' ')}`;
}

/** What a node says: its name, its type (with `#k` when the program made several), and for
 *  the program's objects what will happen to it (the fate badge). Roots say what they are. */
export function nodeText(model: HeapModel, v: number): string {
    const n = model.nodes[v];
    if (n.root) {
        const what = n.root === 'globals' ? `${n.label} globals` : n.root === 'frame' ? `frame ${n.label}` : n.root === 'modules' ? 'sys.modules' : n.root === 'traceback' ? 'saved traceback' : n.label;
        // A thread's stack: its frames say whose they are.
        return n.thread ? `${clip(what, 28)}\n${clip(`on ${n.thread}`, 28)}` : clip(what, 28);
    }
    const name = displayName(n.label, n.type, n.allocLine);
    const lines = [clip(name, 28)];
    if (n.role === 'definition') {
        if (n.kind === 'function' || n.kind === 'method') lines[0] = clip(`def ${n.label}`, 28);
        else if (n.kind === 'class') lines[0] = clip(`class ${n.label}`, 28);
        else lines.push(n.type);
    } else {
        const many = (model.typeCount.get(n.type) ?? 0) > 1 && n.ordinal > 0;
        lines.push(clip(many ? `${n.type} #${n.ordinal}` : n.type, 28));
    }
    if (n.obj && n.role !== 'interp') lines.push(clip(fateBadge(n.obj), 30));
    return lines.join('\n');
}

/** `<Node@16:5>` (never bound to a name) reads as `Node (line 16)`. */
function displayName(label: string, type: string, line: number): string {
    const m = /^<(.+)@(\d+):\d+>$/.exec(label);
    if (m) return `${m[1]} (line ${m[2]})`;
    return label || `${type} (line ${line})`;
}

export function widthOf(label: string): number {
    let m = 0;
    for (const line of label.split('\n')) m = Math.max(m, line.length);
    return Math.max(70, Math.min(210, m * 6.8 + 18));
}

/** Why a cycle was or was not collected, from its members' reports, as of event t. */
export function cycleReason(model: HeapModel, members: readonly number[], t: number): string {
    const objs = members.map((v) => model.nodes[v].obj).filter((o): o is NonNullable<typeof o> => !!o);
    if (!objs.length) return 'made by the interpreter';
    const parts: string[] = [];
    const unreach = objs.filter((o) => o.unreachableSince !== null && o.unreachableSince <= t);
    if (unreach.length) {
        const line = unreach.find((o) => o.unreachableLine)?.unreachableLine;
        parts.push(`unreachable${line ? ` since line ${line}` : ''}`);
    } else parts.push('reachable');
    if (objs.some((o) => o.survivesExit)) parts.push('survives exit');
    else {
        const col = objs.find((o) => o.fate === 'collected');
        const sd = objs.find((o) => o.fate === 'finalized-at-shutdown' || o.fate === 'freed-at-shutdown');
        if (col?.death) parts.push(`collected${col.death.line > 0 ? ` at line ${col.death.line}` : ''}${col.death.reason === 'manual' || col.death.reason === 'gc.collect' ? ' by gc.collect()' : ''}`);
        else if (sd) parts.push(`freed in ${phaseText(sd.phase)}`);
    }
    return parts.join(' · ');
}

export function computeView(model: HeapModel, tl: Timeline, pos: Positions, o: ViewOptions): View {
    const N = model.nodes.length;
    const f = o.filters;
    const threshold = o.summaryThreshold ?? SUMMARY_THRESHOLD;
    const keep = o.summaryKeep ?? SUMMARY_KEEP;
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
    const pinned = o.pinned ?? new Set<number>();
    // 0 hidden; 1 shown; 2 folded unless it holds a shown object (roots, definitions, the
    // interpreter's objects: "internals")
    const state = new Uint8Array(N);
    const liveList = tl.nodes.list;
    const liveCount = tl.nodes.size;
    for (let k = 0; k < liveCount; k++) {
        const v = liveList[k];
        if (rep(v) !== v) continue;
        const n = nodes[v];
        state[v] = n.role === 'program' || f.internals || pinned.has(v) ? 1 : 2;
    }
    if (f.onlySurvivors) {
        for (let k = 0; k < liveCount; k++) {
            const v = liveList[k];
            if (state[v] === 1 && !pinned.has(v) && !nodes[v].survives && !model.survivorChainNodes.has(v) && !hasFoldedChainNode(model, v)) state[v] = 0;
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
    // Unfold what holds a shown object: its holder, and the holder's holder, up to a root (a root
    // is where the story starts: it does not pull in what holds it, e.g. sys.modules).
    {
        const inOf = new Map<number, number[]>();
        for (let i = 0; i < es.length; i++) {
            if (model.eFlags[es[i]] & EDGE_WEAK) continue;
            let l = inOf.get(tgts[i]);
            if (!l) inOf.set(tgts[i], (l = []));
            l.push(srcs[i]);
        }
        const work: number[] = [];
        for (let k = 0; k < liveCount; k++) {
            const v = liveList[k];
            if (state[v] === 1 && !nodes[v].root) work.push(v);
        }
        while (work.length) {
            const d = work.pop()!;
            for (const s of inOf.get(d) ?? []) {
                if (state[s] !== 2) continue;
                state[s] = 1;
                if (!nodes[s].root) work.push(s);
            }
        }
    }
    let folded = 0;
    for (let v = 0; v < N; v++) {
        if (state[v] === 2) folded++;
        state[v] = state[v] === 1 ? 1 : 0;
    }
    // Big heaps: one node per allocation site (its live objects counted), expandable.
    const aggOf = new Int32Array(N).fill(-1);
    const aggs: { site: number; members: number[] }[] = [];
    {
        let shownProgram = 0;
        for (let k = 0; k < liveCount; k++) if (state[liveList[k]] && nodes[liveList[k]].role === 'program') shownProgram++;
        if (shownProgram > (o.aggregateAbove ?? 150)) {
            const bySite = new Map<number, number[]>();
            for (let k = 0; k < liveCount; k++) {
                const v = liveList[k];
                const si = model.siteOf[v];
                if (!state[v] || si < 0 || pinned.has(v) || o.expandedSites?.has(si)) continue;
                let l = bySite.get(si);
                if (!l) bySite.set(si, (l = []));
                l.push(v);
            }
            for (const [site, members] of [...bySite].sort((a, b) => a[0] - b[0])) {
                if (members.length < 4) continue;
                members.sort((a, b) => a - b);
                for (const v of members) {
                    aggOf[v] = aggs.length;
                    state[v] = 0;
                }
                aggs.push({ site, members });
            }
        }
    }
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
            groups.push({ id: '', members: [], collapsed: false, survivors: 0, reason: '' });
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
        g.reason = cycleReason(model, g.members, t);
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
        const other = n.obj && o.differs ? o.differs.fates.get(n.obj.id) : undefined;
        const label = labelText(model, v, o.differs);
        const classes = [`k-${n.kind}`, ...extra];
        if (other !== undefined) classes.push('differs');
        if (n.root) classes.push('root', `r-${n.root}`);
        else classes.push(`role-${n.role}`);
        if (n.survives) classes.push('survivor');
        if (n.obj && n.role !== 'interp') classes.push(`fate-${fateClass(n.obj)}`);
        if (n.role === 'interp') classes.push('interp');
        if (o.path?.nodes.has(v)) classes.push('on-path');
        if (o.cursorLine > 0 && n.allocLine === o.cursorLine) classes.push('cursor');
        if (q) {
            if (matchesQuery(model, v, q)) classes.push('match');
            else classes.push('dim');
        }
        return { id: nodeId(model, v), v, kind: n.kind, label, x: pos.x[v], y: pos.y[v], w: widthOf(label), h: nodeHeight(label), classes };
    };
    const usedGroup = new Uint8Array(G);
    let shownNow = 0;
    for (let d = 0; d < D; d++) shownNow += shown[d];
    const compounds = shownNow <= (o.compoundLimit ?? 80);
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
            const label = `cycle · ${gr.members.length} objects\n${gr.reason}`;
            outNodes.push({ id: `${gr.id}c`, v: -1, kind: 'cycle', label, x: x / gr.members.length, y: y / gr.members.length, w: widthOf(label), h: nodeHeight(label) + 6, classes: ['cycle-collapsed', ...(gr.survivors ? ['survivor'] : [])], ref: gr.members.length });
        } else if (usedGroup[g]) {
            outNodes.push({ id: gr.id, v: -1, kind: 'cycle', label: `cycle · ${gr.members.length} objects · ${gr.reason}`, x: 0, y: 0, w: 0, h: 0, classes: ['cycle-group', ...(gr.survivors ? ['survivor-group'] : [])], ref: gr.members.length });
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
            if (o.path?.edges.has(e)) classes.push('on-path');
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
        outNodes.push({ id, v: -1, kind: 'summary', label, x: pos.x[a] + COL_WIDTH, y: ly === undefined ? pos.y[a] : ly + ROW_HEIGHT, w: widthOf(label), h: nodeHeight(label), classes: ['summary'], ref: a });
        outEdges.push({ id: `${id}e`, source: nodeId(model, a), target: id, label: `${s.rest} more`, classes: ['summary-edge'], e: -1 });
    }
    // Aggregates: a node per site, references to and from its objects merged (`[0]…[659] ×660`).
    let aggregated = 0;
    if (aggs.length) {
        const aggId = (a: number) => `a${aggs[a].site}`;
        for (let a = 0; a < aggs.length; a++) {
            const { site, members } = aggs[a];
            const st = model.sites[site];
            aggregated += members.length;
            const fates = new Map<string, number>();
            let survivors = 0;
            for (const v of members) {
                const ob = nodes[v].obj!;
                const c = fateClass(ob);
                fates.set(c, (fates.get(c) ?? 0) + 1);
                if (nodes[v].survives) survivors++;
            }
            const top = [...fates].sort((x, y) => y[1] - x[1])[0][0];
            const sample = members.find((v) => fateClass(nodes[v].obj!) === top)!;
            const badge = fateBadge(nodes[sample].obj!) + (fates.size > 1 ? ` (${fates.get(top)})` : '');
            const label = `${members.length.toLocaleString('en-US')} × ${st.type}\nline ${st.line}\n${badge}`;
            const classes = ['aggregate', `fate-${top}`];
            if (survivors) classes.push('survivor');
            if (q && members.some((v) => matchesQuery(model, v, q))) classes.push('match');
            outNodes.push({ id: aggId(a), v: -1, kind: 'aggregate', label, x: pos.siteX ? pos.siteX[site] : pos.x[st.first], y: pos.siteY ? pos.siteY[site] : pos.y[st.first], w: widthOf(label), h: nodeHeight(label), classes, ref: site });
        }
        const merged = new Map<string, { source: string; target: string; labels: string[]; count: number }>();
        for (let i = 0; i < es.length; i++) {
            const sa = aggOf[srcs[i]];
            const da = aggOf[tgts[i]];
            if (sa < 0 && da < 0) continue;
            const source = sa >= 0 ? aggId(sa) : shown[srcs[i]] && state[srcs[i]] ? nodeId(model, srcs[i]) : null;
            const target = da >= 0 ? aggId(da) : shown[tgts[i]] && state[tgts[i]] ? nodeId(model, tgts[i]) : null;
            if (!source || !target) continue;
            const key = `${source}>${target}`;
            let m = merged.get(key);
            if (!m) merged.set(key, (m = { source, target, labels: [], count: 0 }));
            m.count++;
            const l = model.edgeLabel(es[i]);
            if (m.labels.length < 2 && !m.labels.includes(l)) m.labels.push(l);
        }
        for (const [key, m] of merged) {
            const label = m.count > 1 ? `${m.labels.join(', ')}${m.count > m.labels.length ? '…' : ''} ×${m.count.toLocaleString('en-US')}` : m.labels[0];
            outEdges.push({ id: `ae${key}`, source: m.source, target: m.target, label, classes: ['merged', ...(m.source === m.target ? ['loop'] : [])], e: -1 });
        }
    }
    // Dying nodes (fade out with their reason) and ghosts of the freed.
    const shownIds = new Set<number>();
    for (const vn of outNodes) if (vn.v >= 0) shownIds.add(vn.v);
    let ghosts = 0;
    const dyingSet = new Set<number>();
    // In a big heap what a phase frees goes by site too: "✝ 660 × Node · line 16".
    const dyingBySite = new Map<number, number[]>();
    if (aggs.length || dying.length > (o.aggregateAbove ?? 150)) {
        for (const v of dying) {
            const si = model.siteOf[v];
            if (si < 0 || o.expandedSites?.has(si) || pinned.has(v)) continue;
            let l = dyingBySite.get(si);
            if (!l) dyingBySite.set(si, (l = []));
            l.push(v);
        }
        for (const [si, ms] of dyingBySite) {
            if (ms.length < 4 || f.onlySurvivors || f.onlyCycles) continue;
            const st = model.sites[si];
            const reason = deathReason(nodes[ms[0]], phaseAt);
            const label = `✝ ${ms.length.toLocaleString('en-US')} × ${st.type}\nline ${st.line}\n${reason}`;
            outNodes.push({ id: `ad${si}`, v: -1, kind: 'aggregate', label, x: (pos.siteX ? pos.siteX[si] : pos.x[st.first]) + 24, y: (pos.siteY ? pos.siteY[si] : pos.y[st.first]) + 24, w: widthOf(label), h: nodeHeight(label), classes: ['aggregate', 'dying'], reason, ref: si });
            for (const v of ms) dyingSet.add(v);
        }
    }
    for (const v of dying.slice(0, 300)) {
        const n = nodes[v];
        if ((fold && n.owner !== v) || (!f.internals && n.role !== 'program')) continue;
        if (f.onlySurvivors || f.onlyCycles || dyingSet.has(v)) continue;
        const vn = makeNode(v, ['dying']);
        vn.reason = deathReason(n, phaseAt);
        vn.label = `${vn.label}\n✝ ${vn.reason}`;
        vn.h = nodeHeight(vn.label);
        vn.w = widthOf(vn.label);
        outNodes.push(vn);
        shownIds.add(v);
        dyingSet.add(v);
    }
    if (!f.hideFreed && !f.onlySurvivors && !f.onlyCycles) {
        const dead: number[] = [];
        for (let v = 0; v < N; v++) {
            const n = nodes[v];
            if (n.obj && n.diedAt <= t && !dyingSet.has(v) && (!fold || n.owner === v) && (f.internals || n.role === 'program')) dead.push(v);
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
        stats: { live: liveCount, shown: outNodes.length, summarized, truncated, ghosts, groups: G, program: aggregated + outNodes.filter((n) => n.v >= 0 && nodes[n.v].role === 'program' && !n.classes.includes('ghost') && !n.classes.includes('dying')).length, folded, aggregated },
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
