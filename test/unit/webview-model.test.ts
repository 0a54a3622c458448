import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { HeapModel, NEVER } from '../../webview/model/heapModel';
import { Timeline, sortOperations } from '../../webview/model/timeline';
import { stronglyConnected, csrOf } from '../../webview/model/scc';
import { layeredLayout } from '../../webview/model/layout';
import { computeView, DEFAULT_FILTERS, type ViewOptions } from '../../webview/model/view';
import { deathReason, lifetimeCard } from '../../webview/model/card';
import { kindOfType } from '../../webview/model/kinds';
import { sanitizeViewState, defaultViewState } from '../../webview/model/viewState';
import { toSvg } from '../../webview/graph/svgExport';
import { miniReport, reportOf } from '../webview/fixtures';
import { liveProgramCounts, moments, openingMoment, programEnd } from '../../webview/model/moments';
import { retainersOf, shortestRetainerPath } from '../../webview/model/retainers';
import { fateBadge, fateClass } from '../../webview/model/fates';

const opts = (t: number, extra: Partial<ViewOptions> = {}): ViewOptions => ({ t, prevT: -1, filters: { ...DEFAULT_FILTERS }, collapsed: new Set(), expanded: new Map(), search: '', cursorLine: 0, ...extra });

/** Live node ids at t, computed the slow way (straight from the intervals). */
function liveAt(r: ReturnType<typeof miniReport>, t: number): number[] {
    return r.graph!.nodes.filter((n) => n.bornAt <= t && (n.diedAt === null || n.diedAt > t)).map((n) => n.id).sort((a, b) => a - b);
}

describe('kinds', () => {
    it('classifies types', () => {
        expect(kindOfType('list')).toBe('list');
        expect(kindOfType('dict')).toBe('dict');
        expect(kindOfType('type')).toBe('class');
        expect(kindOfType('ReferenceType')).toBe('weakref');
        expect(kindOfType('list_iterator')).toBe('native');
        expect(kindOfType('method')).toBe('method');
        expect(kindOfType('Node')).toBe('instance');
        expect(kindOfType('ValueError')).toBe('instance');
    });
});

describe('timeline: snapshots and replay', () => {
    // A random heap: 300 nodes with random lifetimes, 900 random edges.
    let seed = 7;
    const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
    };
    const T = 2000;
    const nodes = Array.from({ length: 300 }, (_, i) => {
        const born = rnd(T);
        const died = rnd(3) === 0 ? null : born + 1 + rnd(T - born);
        return { id: 100 + i, type: 'Obj', born, died: died !== null && died < T ? died : null };
    });
    const edges: [number, number, string, number, number][] = [];
    for (let k = 0; k < 900; k++) {
        const a = nodes[rnd(300)];
        const b = nodes[rnd(300)];
        const add = Math.max(a.born, b.born) + rnd(50);
        edges.push([a.id, b.id, `f${k % 7}`, add, rnd(2) ? -1 : add + 1 + rnd(400)]);
    }
    const r = miniReport(nodes, edges, T);
    const model = new HeapModel(r);

    it('matches the intervals at every probe, whatever the seek order (checkpoints every 64 ops)', () => {
        const tl = new Timeline(model, r.timeline, 64);
        const probes = [0, 5, T - 1, 1000, 999, 1001, 3, 1500, 20, 1999, 700];
        for (let i = 0; i < 200; i++) probes.push(rnd(T));
        for (const t of probes) {
            tl.seek(t);
            const got = Array.from(tl.nodes.list.subarray(0, tl.nodes.size)).map((v) => model.nodes[v].id).sort((a, b) => a - b);
            expect(got).toEqual(liveAt(r, t));
            for (let e = 0; e < model.edgeCount; e++) {
                const live = model.eAdd[e] <= t && t < model.eDel[e];
                expect(tl.isEdgeLive(e)).toBe(live);
            }
        }
    });

    it('bounds the work per seek by the checkpoint spacing', () => {
        const tl = new Timeline(model, r.timeline, 64);
        for (let i = 0; i < 100; i++) {
            tl.seek(rnd(T));
            expect(tl.lastSeekOps).toBeLessThanOrEqual(64 * 2);
        }
    });

    it('orders operations by time, additions before deletions, then as pushed (counting sort and its fallback)', () => {
        for (const spread of [50, 5_000, 1 << 30]) {
            const times: number[] = [];
            const codes: number[] = [];
            for (let i = 0; i < 3000; i++) {
                times.push(rnd(spread) - 3);
                codes.push((i << 2) | rnd(4));
            }
            const order = [...times.keys()].sort((a, b) => times[a] - times[b] || (codes[a] & 1) - (codes[b] & 1) || a - b);
            const got = sortOperations(times, codes);
            expect(Array.from(got.times)).toEqual(order.map((i) => times[i]));
            expect(Array.from(got.codes)).toEqual(order.map((i) => codes[i]));
        }
        expect(sortOperations([], [])).toEqual({ times: new Int32Array(0), codes: new Int32Array(0) });
    });

    it('steps between stops and reports changes', () => {
        const tl = new Timeline(model, r.timeline);
        const s = tl.nextStop(0);
        expect(s).toBeGreaterThan(0);
        expect(tl.prevStop(s)).toBeLessThan(s);
        const ch = tl.changesBetween(0, T);
        expect(ch.born.length).toBe(nodes.filter((n) => n.born > 0).length);
    });
});

describe('strongly connected components', () => {
    it('finds cycles and self-loops, iteratively (a 200,000-long chain does not overflow)', () => {
        const { start, adj } = csrOf(6, [0, 1, 2, 3, 4, 5], [1, 2, 0, 3, 5, 4]);
        const r = stronglyConnected(6, start, adj);
        expect(r.comp[0]).toBe(r.comp[1]);
        expect(r.comp[1]).toBe(r.comp[2]);
        expect(r.comp[4]).toBe(r.comp[5]);
        expect(r.comp[3]).not.toBe(r.comp[0]);
        expect(r.cyclic[r.comp[3]]).toBe(1); // self-loop
        expect(r.cyclic[r.comp[0]]).toBe(1);
        const n = 200_000;
        const from = Array.from({ length: n }, (_, i) => i);
        const to = from.map((i) => (i + 1) % n);
        const big = csrOf(n, from, to);
        const rr = stronglyConnected(n, big.start, big.adj);
        expect(rr.count).toBe(1);
        expect(rr.size[0]).toBe(n);
        const line = csrOf(n, from.slice(0, n - 1), to.slice(0, n - 1));
        expect(stronglyConnected(n, line.start, line.adj).count).toBe(n);
    });
});

describe('view', () => {
    const mod = { id: 1, type: 'module', label: '__main__', born: 0 };
    it('draws a cycle as a group, collapses it, and marks survivors', () => {
        const r = miniReport(
            [mod, { id: 2, type: 'Node', label: 'a', born: 1, survives: true }, { id: 3, type: 'Node', label: 'b', born: 2 }, { id: 4, type: 'list', label: 'xs', born: 2 }],
            [
                [1, 2, 'a', 1, -1],
                [2, 3, 'peer', 3, -1],
                [3, 2, 'peer', 4, -1],
                [1, 4, 'xs', 2, -1],
            ],
            10,
        );
        const model = new HeapModel(r);
        const tl = new Timeline(model, r.timeline);
        const pos = layeredLayout(model);
        tl.seek(9);
        const v = computeView(model, tl, pos, opts(9));
        expect(v.groups.length).toBe(1);
        expect(v.groups[0].id).toBe('g2');
        expect(v.nodes.find((n) => n.id === 'n2')!.parent).toBe('g2');
        expect(v.nodes.find((n) => n.id === 'n2')!.classes).toContain('survivor');
        expect(v.nodes.find((n) => n.id === 'n1')!.classes).toContain('root');
        const c = computeView(model, tl, pos, opts(9, { collapsed: new Set(['g2']) }));
        expect(c.nodes.some((n) => n.id === 'n2' || n.id === 'n3')).toBe(false);
        const g = c.nodes.find((n) => n.id === 'g2c')!;
        expect(g.label).toMatch(/cycle · 2 objects/);
        expect(g.classes).toContain('survivor');
        expect(c.edges.map((e) => `${e.source}>${e.target}:${e.label}`).sort()).toEqual(['n1>g2c:a', 'n1>n4:xs']);
        // only cycles / only survivors
        const oc = computeView(model, tl, pos, opts(9, { filters: { ...DEFAULT_FILTERS, onlyCycles: true } }));
        expect(oc.nodes.filter((n) => n.v >= 0).map((n) => n.id).sort()).toEqual(['n2', 'n3']);
        const os = computeView(model, tl, pos, opts(9, { filters: { ...DEFAULT_FILTERS, onlySurvivors: true } }));
        // the survivor and the root that holds it
        expect(os.nodes.filter((n) => n.v >= 0).map((n) => n.id).sort()).toEqual(['n1', 'n2']);
    });

    it('summarises large containers and expands them on demand', () => {
        const nodes = [mod, { id: 2, type: 'list', label: 'xs', born: 1 }];
        const edges: [number, number, string, number, number][] = [[1, 2, 'xs', 1, -1]];
        for (let i = 0; i < 1000; i++) {
            nodes.push({ id: 10 + i, type: 'Item', label: `xs[${i}]`, born: 2 });
            edges.push([2, 10 + i, `[${i}]`, 2, -1]);
        }
        const r = miniReport(nodes, edges, 5);
        const model = new HeapModel(r);
        const tl = new Timeline(model, r.timeline);
        tl.seek(4);
        const pos = layeredLayout(model);
        const v = computeView(model, tl, pos, opts(4));
        const s = v.nodes.find((n) => n.kind === 'summary')!;
        expect(s.label).toBe('[…992 more items]');
        expect(v.nodes.filter((n) => n.kind === 'instance').length).toBe(8);
        expect(v.stats.summarized).toBe(992);
        const e = computeView(model, tl, pos, opts(4, { expanded: new Map([[2, 208]]) }));
        expect(e.nodes.filter((n) => n.kind === 'instance').length).toBe(208);
        expect(e.nodes.find((n) => n.kind === 'summary')!.label).toBe('[…792 more items]');
    });

    it('caps the number of nodes drawn', () => {
        const nodes = [mod];
        const edges: [number, number, string, number, number][] = [];
        for (let i = 0; i < 5000; i++) nodes.push({ id: 10 + i, type: 'Obj', label: `o${i}`, born: 1 });
        const r = miniReport(nodes, edges, 3);
        const model = new HeapModel(r);
        const tl = new Timeline(model, r.timeline);
        tl.seek(2);
        const v = computeView(model, tl, layeredLayout(model), opts(2, { maxNodes: 1000 }));
        expect(v.nodes.length).toBe(1000);
        // (the module holds none of them: folded, not counted)
        expect(v.stats.truncated).toBe(4000);
    });

    it('searches, filters and highlights changes', () => {
        const r = miniReport(
            [mod, { id: 2, type: 'function', label: 'f', born: 1 }, { id: 3, type: 'Node', label: 'a', born: 2, died: 5 }, { id: 4, type: 'Node', label: 'b', born: 4 }],
            [
                [1, 2, 'f', 1, -1],
                [1, 3, 'a', 2, 5],
                [1, 4, 'b', 4, -1],
            ],
            8,
        );
        const model = new HeapModel(r);
        const tl = new Timeline(model, r.timeline);
        const pos = layeredLayout(model);
        tl.seek(5);
        const v = computeView(model, tl, pos, opts(5, { prevT: 4, search: 'node' }));
        const a = v.nodes.find((n) => n.id === 'n3')!;
        expect(a.classes).toContain('dying');
        expect(a.reason).toBe('refcount 0 after line 3');
        expect(v.edges.some((e) => e.id === 'x1' && e.classes.includes('edge-removed'))).toBe(true);
        expect(v.matches.map((x) => model.nodes[x].id)).toEqual([4]);
        expect(v.allMatches.map((x) => model.nodes[x].id)).toEqual([3, 4]);
        // the function f holds none of the program's objects: folded away unless internals are shown
        expect(v.nodes.some((n) => n.id === 'n2')).toBe(false);
        expect(v.stats.folded).toBeGreaterThan(0);
        const all = computeView(model, tl, pos, opts(5, { search: 'node', filters: { ...DEFAULT_FILTERS, internals: true } }));
        expect(all.nodes.find((n) => n.id === 'n2')!.classes).toContain('dim');
        const ghosts = computeView(model, tl, pos, opts(7, { filters: { ...DEFAULT_FILTERS, hideFreed: false } }));
        tl.seek(7);
        expect(computeView(model, tl, pos, opts(7, { filters: { ...DEFAULT_FILTERS, hideFreed: false } })).nodes.find((n) => n.id === 'n3')!.classes).toContain('ghost');
        expect(ghosts).toBeTruthy();
        const born = computeView(model, tl, pos, opts(7, { prevT: 3 }));
        expect(born.nodes.find((n) => n.id === 'n4')!.classes).toContain('born');
    });
});

describe('layout', () => {
    it('reuses rows of dead objects and keeps positions for all time', () => {
        const nodes = [{ id: 1, type: 'module', label: '__main__', born: 0 }];
        const edges: [number, number, string, number, number][] = [];
        for (let i = 0; i < 1000; i++) {
            nodes.push({ id: 10 + i, type: 'list', label: `x`, born: 1 + 2 * i, died: 2 + 2 * i } as never);
            edges.push([1, 10 + i, 'x', 1 + 2 * i, 2 + 2 * i]);
        }
        const model = new HeapModel(miniReport(nodes, edges, 3000));
        const pos = layeredLayout(model);
        const ys = new Set<number>();
        for (let v = 1; v < model.nodes.length; v++) ys.add(pos.y[v]);
        expect(ys.size).toBe(1);
    });
});

describe('cards and reasons', () => {
    it('explains deaths and survivors from a real report', () => {
        const r = reportOf(readFileSync('examples/02-cycle-until-collection.pyscn', 'utf8'));
        const model = new HeapModel(r);
        const a = model.nodes.find((n) => n.obj && n.type === 'Node')!;
        expect(deathReason(a, () => 'running')).toBe('collected: gen 2 (gc.collect())');
        const card = lifetimeCard(a, () => 'running', () => 0);
        expect(card.rows.find((x) => x.label === 'Fate')!.value).toMatch(/cyclic GC/);
        expect(card.explanation.length).toBeGreaterThan(10);
        const r3 = reportOf(readFileSync('test/webview/scenarios/survivors.pyscn', 'utf8'));
        const m3 = new HeapModel(r3);
        const aNode = m3.nodes.find((n) => n.type === 'Node' && n.label === 'a')!;
        expect(aNode.survives).toBe(true);
        expect(aNode.diedAt).toBe(NEVER);
        expect(lifetimeCard(aNode, () => 'x', () => 0).survives).toBe(true);
        const tmp = m3.nodes.find((n) => n.label === 'tmp')!;
        expect(deathReason(tmp, () => 'running')).toMatch(/^refcount 0 after line 18$/);
        const r4 = reportOf(readFileSync('examples/01-reassign-frees-previous.pyscn', 'utf8'));
        const m4 = new HeapModel(r4);
        expect(m4.nodes.find((n) => n.type === 'module' && n.label === '__main__')!.root).toBe('globals');
        expect(m4.nodes.find((n) => n.type === 'module' && n.label === 'sys')!.root).toBe('sys');
        const dying = m4.nodes.find((n) => n.obj && n.obj.phase === 'remove-modules' && n.obj.death?.lastReference?.fromLabel === '__main__.__dict__');
        if (dying) expect(deathReason(dying, () => 'remove-modules')).toBe('cleared with __main__');
    });
});

describe('view state and SVG', () => {
    it('sanitizes stored state', () => {
        expect(sanitizeViewState(undefined)).toEqual(defaultViewState());
        const s = sanitizeViewState({ version: 2, at: 12, zoom: -1, filters: { onlyCycles: true, bogus: 1 }, layout: 'weird', collapsed: ['g1', 3], expanded: [[1, 2], ['x']] });
        expect(s.at).toBe(12);
        expect(s.zoom).toBeNull();
        expect(s.filters.onlyCycles).toBe(true);
        expect(s.layout).toBe('layered');
        // a version-1 state (opened after exit, other filters) starts afresh on the same file
        expect(sanitizeViewState({ version: 1, uri: 'file:x', at: -1, filters: { hideFunctions: true } })).toEqual({ ...defaultViewState('file:x') });
        expect(s.collapsed).toEqual(['g1']);
        expect(s.expanded).toEqual([[1, 2]]);
    });
    it('serializes nodes and edges to SVG', () => {
        const svg = toSvg(
            [
                { x: 0, y: 0, w: 100, h: 40, shape: 'round-rectangle', fill: '#f00', fillOpacity: 0.2, stroke: '#f00', strokeWidth: 6, strokeStyle: 'double', opacity: 1, label: 'Node\n<a>', color: '#000', compound: false },
                { x: 200, y: 0, w: 60, h: 40, shape: 'ellipse', fill: '#0f0', fillOpacity: 0.2, stroke: '#0f0', strokeWidth: 1, strokeStyle: 'dashed', opacity: 1, label: 'set', color: '#000', compound: false },
            ],
            [{ x1: 50, y1: 0, x2: 170, y2: 0, color: '#555', width: 1, style: 'solid', label: 'peer', opacity: 1, arrow: true }],
            '#fff',
            '#000',
        );
        expect(svg).toMatch(/^<svg xmlns/);
        expect(svg).toContain('&lt;a&gt;');
        expect(svg).toContain('<ellipse');
        expect(svg).toContain('marker-end="url(#a0)"');
        expect((svg.match(/<rect/g) ?? []).length).toBe(3); // background + double border
    });
});

describe('the moment that matters', () => {
    it('opens at the end of the program with every object and its fate; the strip lists the phases that free something', () => {
        const r = reportOf(readFileSync('examples/09-registry-on-class.pyscn', 'utf8'));
        const model = new HeapModel(r);
        const live = liveProgramCounts(model);
        const t = openingMoment(r, model, live);
        expect(t).toBe(programEnd(r));
        expect(r.timeline.find((p) => p.phase === 'running')!.endAt).toBe(t + 1);
        const ms = moments(r, model);
        expect(ms[0]).toMatchObject({ phase: 'running', chip: 'program end', at: t });
        expect(ms[ms.length - 1].phase).toBe('after-exit');
        // every program object dies in exactly one chip's span, and the chips say how many
        const plugins = model.nodes.filter((n) => n.role === 'program');
        expect(ms.reduce((a, m) => a + m.freed, 0)).toBe(plugins.filter((n) => n.diedAt > t && n.diedAt !== NEVER).length);
        const tl = new Timeline(model, r.timeline);
        tl.seek(t);
        const v = computeView(model, tl, layeredLayout(model), opts(t));
        const instances = v.nodes.filter((n) => n.v >= 0 && model.nodes[n.v].type === 'Plugin');
        expect(instances.length).toBe(2);
        for (const n of instances) {
            expect(n.classes).toContain('fate-finalized');
            expect(n.label.split('\n')[2]).toBe(fateBadge(model.nodes[n.v].obj!));
            expect(n.label).toMatch(/^Plugin\.registry\[\d\]\nPlugin #\d\n✦ __del__ in /);
        }
        // the class that holds the registry is unfolded; functions that hold nothing are not
        expect(v.nodes.some((n) => n.v >= 0 && model.nodes[n.v].kind === 'class')).toBe(true);
        expect(v.nodes.some((n) => n.v >= 0 && model.nodes[n.v].kind === 'function')).toBe(false);
    });

    it('when nothing of the program is left at its end, opens on the last moment that has objects (a cycle before its collection)', () => {
        const r = reportOf(readFileSync('examples/02-cycle-until-collection.pyscn', 'utf8'));
        const model = new HeapModel(r);
        const live = liveProgramCounts(model);
        expect(live[programEnd(r)]).toBe(0);
        const t = openingMoment(r, model, live);
        const collection = r.collections.find((c) => c.reason === 'manual')!;
        expect(t).toBeLessThan(collection.startAt);
        const tl = new Timeline(model, r.timeline);
        tl.seek(t);
        const v = computeView(model, tl, layeredLayout(model), opts(t));
        expect(v.groups.length).toBe(1);
        expect(v.groups[0].reason).toMatch(/^unreachable since line 19 · collected at line 21/);
        expect(v.stats.program).toBe(2);
    });

    it('fates: class, glyph and words from the report', () => {
        const r = reportOf(readFileSync('examples/03-kept-on-sys.pyscn', 'utf8'));
        const cache = r.objects.find((o) => o.type === 'Cache')!;
        expect(fateClass(cache)).toBe('outlives');
        expect(fateBadge(cache)).toBe('◆ freed when sys wiped');
        const r5 = reportOf(readFileSync('examples/05-finalizer-never-runs.pyscn', 'utf8'));
        const conn = r5.objects.find((o) => o.survivesExit)!;
        expect(fateBadge(conn)).toBe('⚠ survives exit');
    });
});

describe('retainers', () => {
    it('the shortest chain from a root and the retainers of each holder, at the moment shown', () => {
        const r = reportOf(readFileSync('examples/09-registry-on-class.pyscn', 'utf8'));
        const model = new HeapModel(r);
        const tl = new Timeline(model, r.timeline);
        tl.seek(programEnd(r));
        const p0 = model.nodes.findIndex((n) => n.label === 'Plugin.registry[0]');
        const path = shortestRetainerPath(model, tl, p0);
        expect(model.nodes[path.root].label).toBe('__main__');
        expect(path.edges.map((e) => model.edgeLabel(e))).toEqual(['Plugin', 'registry', '[0]']);
        expect(path.nodes[path.nodes.length - 1]).toBe(p0);
        for (const e of path.edges) expect(model.eLine[e]).toBeGreaterThan(0);
        const rs = retainersOf(model, tl, p0);
        expect(rs.map((x) => `${model.nodes[x.from].label} .${x.label}`)).toEqual(['Plugin.registry .[0]']);
        // after the class dies in shutdown, nothing holds the instances any more
        const registry = model.nodes.findIndex((n) => n.label === 'Plugin.registry');
        tl.seek(model.nodes[registry].diedAt);
        if (tl.isNodeLive(p0)) expect(shortestRetainerPath(model, tl, p0).root).toBe(-1);
    });

    it('an unreachable cycle has retainers but no root', () => {
        const r = reportOf(readFileSync('examples/02-cycle-until-collection.pyscn', 'utf8'));
        const model = new HeapModel(r);
        const live = liveProgramCounts(model);
        const tl = new Timeline(model, r.timeline);
        tl.seek(openingMoment(r, model, live));
        const a = model.nodes.findIndex((n) => n.label === 'a');
        const p = shortestRetainerPath(model, tl, a);
        expect(p.root).toBe(-1);
        expect(p.unreachable).toBe(true);
        expect(retainersOf(model, tl, a).map((x) => `${model.nodes[x.from].label} .${x.label}`)).toEqual(['b .peer']);
    });
});

describe('big heaps', () => {
    it('one node per allocation site, with the references between sites merged; a site expands on demand', () => {
        const nodes = [mod0(), { id: 2, type: 'list', label: 'xs', born: 1 }];
        const edges: [number, number, string, number, number][] = [[1, 2, 'xs', 1, -1]];
        for (let i = 0; i < 500; i++) {
            nodes.push({ id: 10 + i, type: 'Item', label: `xs[${i}]`, born: 2, line: 7 } as never);
            edges.push([2, 10 + i, `[${i}]`, 2, -1]);
        }
        const r = miniReport(nodes, edges, 5);
        const model = new HeapModel(r);
        const tl = new Timeline(model, r.timeline);
        tl.seek(4);
        const pos = layeredLayout(model);
        const v = computeView(model, tl, pos, opts(4, { aggregateAbove: 150 }));
        const agg = v.nodes.filter((n) => n.kind === 'aggregate');
        expect(agg.length).toBe(1);
        expect(agg[0].label.split('\n')[0]).toBe('500 × Item');
        expect(v.stats.aggregated).toBe(500);
        expect(v.stats.program).toBe(501);
        expect(v.edges.find((e) => e.target === agg[0].id)!.label).toBe('[0], [1]… ×500');
        const site = model.siteOf[model.byId.get(10)!];
        const e = computeView(model, tl, pos, opts(4, { aggregateAbove: 150, expandedSites: new Set([site]) }));
        expect(e.nodes.filter((n) => n.kind === 'aggregate').length).toBe(0);
        expect(e.stats.summarized).toBe(492);
    });
});

function mod0() {
    return { id: 1, type: 'module', label: '__main__', born: 0 };
}

describe('thread stacks in the heap graph (issue 16 item 4)', () => {
    it('a frame of another thread says whose stack it is; the main thread\'s frames do not', async () => {
        const { nodeText } = await import('../../webview/model/view');
        const src = 'import threading\ndef work():\n    x = [1]\n    ev.wait()\nev = threading.Event()\nt = threading.Thread(target=work, name="w1")\nt.daemon = True\nt.start()\n';
        const model = new HeapModel(reportOf(src));
        const frame = (label: string) => model.nodes.findIndex((n) => n.kind === 'frame' && n.label === label);
        expect(nodeText(model, frame('work()'))).toBe('frame work()\non w1');
        expect(nodeText(model, frame('<module>()'))).toBe('frame <module>()');
    });
});
