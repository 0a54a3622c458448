/*
 * app.ts
 *
 * The heap graph panel: toolbar (search, filters, layout, fit, export), timeline (scrubber,
 * play, step, jump to the selected object's next event), the graph, the legend and the lifetime
 * card. Talks to its host only through HostApi and the typed protocol.
 */

import cytoscape from 'cytoscape';
import { PROTOCOL_VERSION, parseHostMessage, type HostToWebview, type ReportFormat, type ReportMessage } from '../src/protocol';
import type { Report } from '../src/report/types';
import { GraphView } from './graph/graphView';
import { computePositions } from './graph/positions';
import { readPalette } from './graph/style';
import type { HostApi } from './hostApi';
import { lifetimeCard } from './model/card';
import { HeapModel, NEVER } from './model/heapModel';
import { phaseGroup, PHASE_GROUP_TEXT } from './model/kinds';
import type { Positions } from './model/layout';
import { Timeline } from './model/timeline';
import { computeView, nodeId, type Filters, type View } from './model/view';
import { defaultViewState, sanitizeViewState, type LayoutName, type ViewState } from './model/viewState';
import { h } from './ui/dom';
import { buildLegend } from './ui/legend';
import { TimelineBar } from './ui/timelineBar';

const FILTER_TEXT: [keyof Filters, string, string][] = [
    ['onlySurvivors', 'Only survivors', 'Show only objects that survive exit and the chains that keep them'],
    ['onlyCycles', 'Only cycles', 'Show only objects in reference cycles'],
    ['hideFreed', 'Hide freed', 'Hide objects freed before this moment (off: show them faded)'],
    ['hideFunctions', 'Hide functions', 'Hide functions and bound methods'],
    ['hideClasses', 'Hide classes', 'Hide class objects'],
    ['hideModules', 'Hide modules', 'Hide module objects'],
    ['hideInterpreter', 'Hide interpreter objects', 'Hide objects the interpreter made (sys.path, gc.garbage…) unless they hold the program’s objects'],
    ['foldNamespaces', 'Fold __dict__', 'Draw a module’s or class’s __dict__ as part of its owner'],
];

const SPEEDS = [1, 4, 16, 64];

export class App {
    private state: ViewState;
    private report: Report | null = null;
    private model: HeapModel | null = null;
    private tl: Timeline | null = null;
    private pos: Positions | null = null;
    private posKey = '';
    private layoutEngine = '';
    private uri = '';
    private fileName = '';
    private t = 0;
    private prevT = -1;
    private view: View | null = null;
    private cursorLine = 0;
    private playing: number | null = null;
    private speed = 1;
    private requestId = 1;
    private selectedEvents: number[] = [];
    private matchIndex = -1;
    private saveTimer: number | null = null;
    private renderQueued = false;
    private readonly graph: GraphView;
    private readonly bar: TimelineBar;
    private readonly els: Record<string, HTMLElement> = {};
    private readonly filterBoxes = new Map<keyof Filters, HTMLInputElement>();
    /** Timings for the benchmark: ms for the last report load and the last render. */
    readonly perf = { load: 0, layout: 0, view: 0, sync: 0, firstPaintAt: 0 };

    constructor(
        private readonly root: HTMLElement,
        private readonly host: HostApi,
    ) {
        this.state = sanitizeViewState(host.getState());
        this.bar = new TimelineBar((t, commit) => this.seek(t, commit ? 'commit' : 'drag'));
        this.buildDom();
        this.graph = new GraphView(this.els.cy, {
            onTap: (id, dbl) => this.onTap(id, dbl),
            onBackgroundTap: () => this.selectObject(null),
            onHover: (id, x, y) => this.onHover(id, x, y),
            onViewport: () => this.saveStateSoon(),
        });
        new MutationObserver(() => this.onThemeChange()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
        host.onMessage((m) => this.onMessage(m));
        document.addEventListener('keydown', (e) => this.onKey(e));
        window.addEventListener('resize', () => this.graph.cy.resize());
        host.post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    }

    // ------------------------------------------------------------------ DOM

    private buildDom(): void {
        const btn = (id: string, text: string, label: string, onClick: () => void, extra: Record<string, string> = {}) => {
            const b = h('button', { type: 'button', id, title: label, 'aria-label': label, onclick: onClick, ...extra }, text);
            this.els[id] = b;
            return b;
        };
        const search = h('input', { type: 'search', id: 'search', placeholder: 'Search label or type (type:Node, line:12)', 'aria-label': 'Search objects by label or type', value: this.state.search });
        search.addEventListener('input', () => {
            this.state.search = search.value;
            this.matchIndex = -1;
            this.queueRender();
        });
        search.addEventListener('keydown', (e) => {
            if (e.key === 'Enter') {
                e.preventDefault();
                this.nextMatch(e.shiftKey ? -1 : 1);
            } else if (e.key === 'Escape') {
                search.value = '';
                this.state.search = '';
                this.queueRender();
                this.graph.container.focus();
            }
        });
        this.els.search = search;
        const matchInfo = h('span', { id: 'matchInfo', class: 'match-info', 'aria-live': 'polite' });
        this.els.matchInfo = matchInfo;
        const filters = h('div', { class: 'group filters', role: 'group', 'aria-label': 'Filters' });
        for (const [key, text, title] of FILTER_TEXT) {
            const box = h('input', { type: 'checkbox', id: `f-${key}` });
            box.checked = this.state.filters[key];
            box.addEventListener('change', () => {
                this.state.filters[key] = box.checked;
                if (key === 'foldNamespaces' || key === 'hideInterpreter') this.posKey = '';
                this.render(false);
            });
            this.filterBoxes.set(key, box);
            filters.append(h('label', { title, for: `f-${key}` }, box, text));
        }
        const layout = h('select', { id: 'layout', 'aria-label': 'Layout' }, h('option', { value: 'force', text: 'Force-directed' }), h('option', { value: 'layered', text: 'Layered' }));
        layout.value = this.state.layout;
        layout.addEventListener('change', () => {
            this.state.layout = layout.value as LayoutName;
            this.posKey = '';
            this.render(false);
            this.graph.fit();
        });
        this.els.layout = layout;
        const exportSel = h(
            'select',
            { id: 'export', 'aria-label': 'Export' },
            h('option', { value: '', text: 'Export…' }),
            h('option', { value: 'png', text: 'Image (PNG)' }),
            h('option', { value: 'svg', text: 'Image (SVG)' }),
            ...(['json', 'sarif', 'html', 'text', 'dot'] as ReportFormat[]).map((f) => h('option', { value: `report:${f}`, text: `Report (${f.toUpperCase()})`, disabled: !this.host.reportFormats.includes(f) })),
        );
        exportSel.addEventListener('change', () => {
            const v = exportSel.value;
            exportSel.value = '';
            if (v === 'png' || v === 'svg') this.exportImage(v);
            else if (v.startsWith('report:')) this.exportReport(v.slice(7) as ReportFormat);
        });
        this.els.export = exportSel;
        const toolbar = h(
            'div',
            { class: 'toolbar', role: 'toolbar', 'aria-label': 'Heap graph tools' },
            h('div', { class: 'group' }, search, btn('prevMatch', '↑', 'Previous match (Shift+Enter)', () => this.nextMatch(-1)), btn('nextMatch', '↓', 'Next match (Enter)', () => this.nextMatch(1)), matchInfo),
            h('span', { class: 'sep' }),
            filters,
            h('span', { class: 'sep' }),
            h(
                'div',
                { class: 'group' },
                layout,
                btn('fit', 'Fit', 'Fit the graph in view (F)', () => this.graph.fit()),
                btn('zoomSel', 'Zoom to selection', 'Zoom to the selected object (Z)', () => this.zoomToSelection()),
                btn('zoomIn', '+', 'Zoom in (+)', () => this.graph.zoomBy(1.25)),
                btn('zoomOut', '−', 'Zoom out (−)', () => this.graph.zoomBy(0.8)),
                btn('collapseAll', 'Collapse cycles', 'Collapse every reference cycle into one node', () => this.collapseAll(true)),
                btn('expandAll', 'Expand cycles', 'Expand every collapsed cycle', () => this.collapseAll(false)),
                exportSel,
                btn('legendBtn', 'Legend', 'Show or hide the legend (L)', () => this.toggleLegend(), { 'aria-pressed': String(this.state.legend) }),
                btn('refresh', '⟳', 'Simulate again', () => this.host.post({ type: 'refresh' })),
            ),
        );
        const readout = h('span', { class: 'readout', id: 'readout', 'aria-live': 'off' });
        this.els.readout = readout;
        const speed = h('select', { id: 'speed', 'aria-label': 'Playback speed' }, ...SPEEDS.map((s) => h('option', { value: String(s), text: `${s}×` })));
        speed.addEventListener('change', () => (this.speed = Number(speed.value)));
        const timeline = h(
            'div',
            { class: 'timeline', role: 'group', 'aria-label': 'Timeline' },
            h(
                'div',
                { class: 'row' },
                btn('start', '|◁', 'Start of the run (Home)', () => this.seek(0, 'commit')),
                btn('back', '◁', 'Step back (←; Shift+← 10 steps)', () => this.step(-1)),
                btn('play', '▶', 'Play or pause (Space)', () => this.togglePlay()),
                btn('fwd', '▷', 'Step forward (→; Shift+→ 10 steps)', () => this.step(1)),
                btn('end', '▷|', 'After exit: what is left when the interpreter is gone (End)', () => this.seek(this.lastT(), 'commit')),
                btn('objPrev', '◁●', 'Previous event of the selected object ([)', () => this.objectEvent(-1)),
                btn('objNext', '●▷', 'Next event of the selected object (])', () => this.objectEvent(1)),
                speed,
                this.bar.el,
                readout,
            ),
        );
        const legend = h('aside', { class: 'legend', id: 'legend', 'aria-label': 'Legend' });
        legend.hidden = !this.state.legend;
        this.els.legend = legend;
        const cy = h('div', { id: 'cy', tabindex: 0, role: 'application', 'aria-label': 'Heap graph. Arrow keys move the timeline; Tab into the toolbar for filters.' });
        this.els.cy = cy;
        const card = h('div', { class: 'card', id: 'card', role: 'tooltip' });
        this.els.card = card;
        const status = h('div', { class: 'status', id: 'status', role: 'status', 'aria-live': 'polite' });
        this.els.status = status;
        const banner = h('div', { class: 'banner', id: 'banner', role: 'alert' });
        this.els.banner = banner;
        const live = h('div', { class: 'sr-only', id: 'announce', 'aria-live': 'polite' });
        this.els.announce = live;
        this.root.append(toolbar, timeline, h('div', { class: 'main' }, h('div', { class: 'graph-area' }, cy, card, status, banner, live), legend));
        this.renderLegend();
    }

    private renderLegend(): void {
        this.els.legend.replaceChildren(...buildLegend(readPalette()));
    }

    private onThemeChange(): void {
        this.graph.restyle();
        this.renderLegend();
    }

    private toggleLegend(): void {
        this.state.legend = !this.state.legend;
        this.els.legend.hidden = !this.state.legend;
        this.els.legendBtn.setAttribute('aria-pressed', String(this.state.legend));
        this.graph.cy.resize();
        this.saveStateSoon();
    }

    // ------------------------------------------------------------------ messages

    private onMessage(raw: unknown): void {
        const parsed = parseHostMessage(raw);
        if (!parsed.ok) {
            this.host.post({ type: 'log', level: 'warn', message: `ignored a message: ${parsed.error}` });
            return;
        }
        const m: HostToWebview = parsed.message;
        switch (m.type) {
            case 'report':
                this.setReport(m);
                break;
            case 'cursor':
                if (m.uri === this.uri || !this.uri) {
                    this.cursorLine = m.line;
                    this.queueRender();
                }
                break;
            case 'selectObject': {
                if (!this.model) break;
                const v = this.model.byId.get(m.objectId);
                if (v === undefined) break;
                const at = m.at ?? (this.tl?.isNodeLive(v) ? this.t : this.model.nodes[v].bornAt);
                this.selectObject(m.objectId);
                this.seek(at, 'commit');
                this.graph.reveal(nodeId(this.model, v));
                break;
            }
            case 'theme':
                for (const c of ['vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light']) document.body.classList.remove(c);
                document.body.classList.add(m.kind === 'light' ? 'vscode-light' : m.kind === 'dark' ? 'vscode-dark' : m.kind === 'high-contrast' ? 'vscode-high-contrast' : 'vscode-high-contrast-light');
                break;
            case 'result':
                this.status(m.message);
                break;
        }
    }

    setReport(m: ReportMessage): void {
        const t0 = performance.now();
        const sameFile = m.uri === this.state.uri;
        if (!(m.preserveView && sameFile) && !(sameFile && !this.report)) {
            const keep = this.state;
            this.state = { ...defaultViewState(m.uri), filters: keep.filters, layout: keep.layout, legend: keep.legend };
        }
        this.state.uri = m.uri;
        this.uri = m.uri;
        this.fileName = m.fileName;
        if (!m.report || !m.report.graph) {
            this.showBanner(m.error ?? (m.report ? 'This report has no heap graph (simulate with reference edges recorded).' : 'No report yet.'), true);
            if (!m.report) return;
        } else this.showBanner('');
        this.report = m.report;
        this.model = new HeapModel(m.report);
        this.tl = new Timeline(this.model, m.report.timeline, 0, [...m.report.collections.flatMap((c) => [c.startAt, c.endAt]), ...m.report.objects.flatMap((o) => o.finalizers.map((f) => f.at))]);
        this.bar.setPhases(m.report.timeline, this.model.eventCount);
        this.posKey = '';
        this.perf.load = performance.now() - t0;
        const last = this.lastT();
        this.t = this.state.at < 0 ? last : Math.min(this.state.at, last);
        this.prevT = -1;
        const restoring = this.state.zoom !== null && this.state.pan !== null;
        this.render(false);
        if (restoring) this.graph.cy.viewport({ zoom: this.state.zoom!, pan: this.state.pan! });
        else this.legibleFit();
        if (this.state.selected !== null) {
            const v = this.model.byId.get(this.state.selected);
            if (v !== undefined) {
                this.graph.select(nodeId(this.model, v));
                this.selectedEvents = this.model.eventsOf(v);
                this.bar.setMarks(this.selectedEvents);
            } else this.state.selected = null;
        }
        if (!this.perf.firstPaintAt) requestAnimationFrame(() => (this.perf.firstPaintAt = performance.now()));
        this.saveStateSoon();
    }

    // ------------------------------------------------------------------ time

    private lastT(): number {
        return Math.max(0, (this.model?.eventCount ?? 1) - 1);
    }

    /** Moves the timeline. 'drag' renders without animation and without saving state. */
    seek(t: number, mode: 'commit' | 'drag' | 'play' = 'commit'): void {
        if (!this.tl) return;
        const nt = Math.max(0, Math.min(this.lastT(), Math.round(t)));
        if (nt === this.t && mode !== 'commit') return;
        // Highlight what happened at this moment: the changes since the previous stop (playing:
        // since the previous frame, so nothing that happened in between goes unseen).
        const prevStop = this.tl.prevStop(nt);
        this.prevT = mode === 'play' && this.t < nt ? Math.min(this.t, prevStop) : prevStop < nt ? prevStop : -1;
        this.t = nt;
        this.state.at = nt >= this.lastT() ? -1 : nt;
        if (mode === 'drag') this.queueRender();
        else this.render(true);
        if (mode === 'commit' && this.view && this.view.nodes.length && this.graph.cy.nodes(':visible').length) this.keepInView();
    }

    /** Fits the graph, but never so small that labels cannot be read: then it centres on what
     *  matters most (the selection, the survivors, or __main__) at a readable zoom. */
    private legibleFit(): void {
        const cy = this.graph.cy;
        this.graph.fit();
        const MIN = cy.nodes().length > 1500 ? 0.85 : 0.65;
        if (cy.zoom() >= MIN || !cy.nodes().length) return;
        let focus = cy.nodes(':selected');
        if (focus.empty()) focus = cy.nodes('.survivor');
        if (focus.empty()) focus = cy.nodes('.r-globals');
        if (focus.empty()) focus = cy.nodes();
        // centre on the focus's top-left part, at a zoom where labels are readable
        let x = Infinity;
        let y = Infinity;
        focus.forEach((n) => {
            const p = n.position();
            if (p.y < y || (p.y === y && p.x < x)) {
                x = p.x;
                y = p.y;
            }
        });
        const W = cy.width();
        const H = cy.height();
        cy.viewport({ zoom: MIN, pan: { x: W / 2 - MIN * x, y: H / 3 - MIN * y } });
    }

    /** After a jump, fit the view when nothing shown is on screen. */
    private keepInView(): void {
        const cy = this.graph.cy;
        const ext = cy.extent();
        const anyIn = cy.nodes().some((n) => {
            const p = (n as cytoscape.NodeSingular).position();
            return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2;
        });
        if (!anyIn) this.legibleFit();
    }

    private step(dir: number, times = 1): void {
        if (!this.tl) return;
        let t = this.t;
        for (let i = 0; i < times; i++) t = dir > 0 ? this.tl.nextStop(t) : this.tl.prevStop(t);
        this.seek(t, 'commit');
    }

    private togglePlay(): void {
        if (this.playing !== null) {
            clearInterval(this.playing);
            this.playing = null;
            this.els.play.textContent = '▶';
            this.els.play.setAttribute('aria-label', 'Play');
            return;
        }
        if (this.t >= this.lastT()) this.seek(0, 'commit');
        this.els.play.textContent = '⏸';
        this.els.play.setAttribute('aria-label', 'Pause');
        this.playing = window.setInterval(() => {
            if (!this.tl || this.t >= this.lastT()) {
                this.togglePlay();
                return;
            }
            let t = this.t;
            for (let i = 0; i < this.speed; i++) t = this.tl.nextStop(t);
            this.seek(t, 'play');
        }, 350);
    }

    private objectEvent(dir: number): void {
        if (!this.selectedEvents.length) {
            this.status('Select an object first');
            return;
        }
        const ev = this.selectedEvents;
        const t = dir > 0 ? ev.find((x) => x > this.t) : [...ev].reverse().find((x) => x < this.t);
        if (t === undefined) this.status(dir > 0 ? 'No later event for this object' : 'No earlier event for this object');
        else this.seek(t, 'commit');
    }

    // ------------------------------------------------------------------ rendering

    private queueRender(): void {
        if (this.renderQueued) return;
        this.renderQueued = true;
        requestAnimationFrame(() => this.flushRender());
    }

    /** Renders now if a render is pending (e.g. Enter right after typing a search must see its matches). */
    private flushRender(): void {
        if (!this.renderQueued) return;
        this.renderQueued = false;
        this.render(false);
    }

    private phaseAt = (t: number): string => {
        const ph = this.report?.timeline ?? [];
        let name = 'start-up';
        for (const p of ph) if (p.startAt <= t) name = p.phase;
        return name;
    };

    render(animate: boolean): void {
        if (!this.model || !this.tl) return;
        const key = `${this.state.layout}|${this.state.filters.foldNamespaces}|${this.state.filters.hideInterpreter}`;
        if (key !== this.posKey) {
            const t0 = performance.now();
            const r = computePositions(this.model, this.state.layout, this.state.filters.foldNamespaces, this.state.filters.hideInterpreter);
            this.pos = r.pos;
            this.layoutEngine = r.engine;
            this.posKey = key;
            this.perf.layout = performance.now() - t0;
        }
        const t1 = performance.now();
        this.tl.seek(this.t);
        this.view = computeView(this.model, this.tl, this.pos!, {
            t: this.t,
            prevT: this.prevT,
            filters: this.state.filters,
            collapsed: new Set(this.state.collapsed),
            expanded: new Map(this.state.expanded),
            search: this.state.search,
            cursorLine: this.cursorLine,
            phaseAt: this.phaseAt,
        });
        const t2 = performance.now();
        this.graph.sync(this.view, animate);
        if (this.state.selected !== null) {
            const el = this.graph.cy.getElementById(`n${this.state.selected}`);
            if (el.nonempty() && !el.selected()) el.select();
        }
        this.perf.view = t2 - t1;
        this.perf.sync = performance.now() - t2;
        this.updateReadout();
        if (animate) this.saveStateSoon();
    }

    private updateReadout(): void {
        if (!this.model || !this.tl || !this.view) return;
        const phase = this.phaseAt(this.t);
        const group = PHASE_GROUP_TEXT[phaseGroup(phase)];
        const s = this.view.stats;
        const step = this.tl.stepAt(this.t);
        const text = `step ${step} · event ${this.t}/${this.lastT()} · ${phase}${group !== phase ? ` (${group})` : ''}`;
        this.els.readout.textContent = `${text} · ${s.live} alive`;
        this.bar.setTime(this.t, text);
        const parts = [`${this.view.nodes.length} shown of ${s.live} alive`];
        if (s.groups) parts.push(`${s.groups} cycle${s.groups === 1 ? '' : 's'}`);
        if (s.summarized) parts.push(`${s.summarized} in summaries`);
        if (s.truncated) parts.push(`${s.truncated} more not drawn: use search or filters`);
        if (!this.view.nodes.length && s.live > 0) parts.push(this.t >= this.lastT() ? 'nothing the program made is left after exit (interpreter objects hidden)' : 'only interpreter objects are alive (hidden by a filter)');
        parts.push(`layout: ${this.layoutEngine}`);
        if (this.fileName) parts.unshift(this.fileName.split(/[\\/]/).pop() ?? '');
        this.els.status.textContent = parts.join(' · ');
        if (this.state.search) {
            const live = this.view.matches.length;
            const all = this.view.allMatches.length;
            this.els.matchInfo.textContent = `${live} shown, ${all}${all >= 1000 ? '+' : ''} in run`;
        } else this.els.matchInfo.textContent = '';
    }

    private status(text: string): void {
        this.els.announce.textContent = text;
        this.els.status.textContent = text;
    }

    private showBanner(text: string, error = false): void {
        this.els.banner.textContent = text;
        this.els.banner.classList.toggle('show', !!text);
        this.els.banner.classList.toggle('error', error);
    }

    // ------------------------------------------------------------------ interaction

    private onTap(id: string, dbl: boolean): void {
        if (!this.model) return;
        if (id.startsWith('s')) {
            // a summary: show 200 more of the container's references
            const ownerId = Number(id.slice(1));
            const cur = new Map(this.state.expanded);
            cur.set(ownerId, (cur.get(ownerId) ?? 8) + 200);
            this.state.expanded = [...cur];
            this.render(false);
            return;
        }
        if (id.startsWith('g')) {
            const gid = id.endsWith('c') ? id.slice(0, -1) : id;
            this.toggleCollapse(gid);
            return;
        }
        const objId = Number(id.slice(1));
        this.selectObject(objId);
        const v = this.model.byId.get(objId);
        const n = v !== undefined ? this.model.nodes[v] : null;
        if (n && n.allocLine > 0) this.host.post({ type: 'revealLine', uri: this.uri, line: n.allocLine, column: n.obj?.allocColumn ?? 1, preserveFocus: !dbl });
    }

    private toggleCollapse(gid: string): void {
        const set = new Set(this.state.collapsed);
        if (set.has(gid)) set.delete(gid);
        else set.add(gid);
        this.state.collapsed = [...set];
        this.render(false);
        this.saveStateSoon();
    }

    private collapseAll(collapse: boolean): void {
        if (!this.view) return;
        const set = new Set(this.state.collapsed);
        for (const g of this.view.groups) {
            if (collapse) set.add(g.id);
            else set.delete(g.id);
        }
        this.state.collapsed = [...set];
        this.render(false);
        this.saveStateSoon();
    }

    selectObject(objId: number | null): void {
        this.state.selected = objId;
        if (!this.model) return;
        const v = objId === null ? undefined : this.model.byId.get(objId);
        this.graph.select(v === undefined ? null : nodeId(this.model, v));
        this.selectedEvents = v === undefined ? [] : this.model.eventsOf(v);
        this.bar.setMarks(this.selectedEvents);
        if (v !== undefined) {
            const n = this.model.nodes[v];
            this.els.announce.textContent = `Selected ${n.type} ${n.label}${n.survives ? ', survives exit' : ''}`;
        }
        this.saveStateSoon();
    }

    private zoomToSelection(): void {
        const sel = this.graph.cy.$(':selected');
        if (sel.nonempty()) this.graph.fit(sel.map((e) => e.id()));
        else this.status('Nothing selected');
    }

    private nextMatch(dir: number): void {
        this.flushRender();
        if (!this.model || !this.view) return;
        const all = this.view.allMatches;
        if (!all.length) {
            this.status('No match');
            return;
        }
        this.matchIndex = (this.matchIndex + dir + all.length) % all.length;
        const v = all[this.matchIndex];
        const n = this.model.nodes[v];
        if (!this.tl!.isNodeLive(v)) this.seek(n.bornAt, 'commit');
        this.selectObject(n.id);
        this.graph.reveal(nodeId(this.model, v));
        this.status(`Match ${this.matchIndex + 1} of ${all.length}: ${n.type} ${n.label}${n.diedAt !== NEVER && !this.tl!.isNodeLive(v) ? ' (not alive now)' : ''}`);
    }

    private onHover(id: string | null, x: number, y: number): void {
        const card = this.els.card;
        if (!id || !this.model || !this.tl || !id.startsWith('n')) {
            card.classList.remove('show');
            return;
        }
        const v = this.model.byId.get(Number(id.slice(1)));
        if (v === undefined) return;
        const c = lifetimeCard(this.model.nodes[v], this.phaseAt, (t) => this.tl!.stepAt(t));
        card.replaceChildren(
            h('div', { class: 'title', text: c.title }),
            h('div', { class: 'subtitle', text: c.subtitle }),
            h('table', {}, ...c.rows.map((r) => h('tr', {}, h('td', { text: r.label }), h('td', { text: r.value })))),
        );
        if (c.explanation) card.append(h('div', { class: 'explanation', text: c.explanation }));
        card.classList.toggle('survives', c.survives);
        const W = this.els.cy.clientWidth;
        const H = this.els.cy.clientHeight;
        card.classList.add('show');
        const cw = card.offsetWidth;
        const ch = card.offsetHeight;
        card.style.left = `${Math.max(4, Math.min(W - cw - 4, x + 16))}px`;
        card.style.top = `${Math.max(4, Math.min(H - ch - 4, y + 16))}px`;
    }

    private onKey(e: KeyboardEvent): void {
        const tgt = e.target as HTMLElement;
        if (tgt && (tgt.tagName === 'INPUT' || tgt.tagName === 'SELECT' || tgt.tagName === 'TEXTAREA')) {
            if (tgt.getAttribute('type') !== 'checkbox') return;
        }
        if (tgt && tgt.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
        let handled = true;
        switch (e.key) {
            case 'ArrowRight':
                this.step(1, e.shiftKey ? 10 : 1);
                break;
            case 'ArrowLeft':
                this.step(-1, e.shiftKey ? 10 : 1);
                break;
            case 'Home':
                this.seek(0, 'commit');
                break;
            case 'End':
                this.seek(this.lastT(), 'commit');
                break;
            case ' ':
                this.togglePlay();
                break;
            case ']':
                this.objectEvent(1);
                break;
            case '[':
                this.objectEvent(-1);
                break;
            case '/':
                (this.els.search as HTMLInputElement).focus();
                break;
            case 'f':
                this.graph.fit();
                break;
            case 'z':
                this.zoomToSelection();
                break;
            case '+':
            case '=':
                this.graph.zoomBy(1.25);
                break;
            case '-':
                this.graph.zoomBy(0.8);
                break;
            case 'l':
                this.toggleLegend();
                break;
            case 'c': {
                const sel = this.graph.cy.$('node:selected');
                const parent = sel.nonempty() ? sel.parent() : null;
                if (parent && parent.nonempty()) this.toggleCollapse(parent[0].id());
                else this.status('The selected object is not in a cycle');
                break;
            }
            case 'Escape':
                this.selectObject(null);
                this.els.card.classList.remove('show');
                break;
            default:
                handled = false;
        }
        if (handled) e.preventDefault();
    }

    // ------------------------------------------------------------------ export and state

    private baseName(): string {
        const f = (this.fileName || this.report?.file || 'scenario').split(/[\\/]/).pop() ?? 'scenario';
        return `${f.replace(/\.pyscn$/, '')}-heap-${this.t}`;
    }

    exportImage(format: 'png' | 'svg'): void {
        const p = readPalette();
        if (format === 'png') {
            const data = this.graph.png(p.bg);
            this.host.post({ type: 'saveImage', requestId: this.requestId++, format, fileName: `${this.baseName()}.png`, data, encoding: 'base64' });
        } else {
            const data = this.graph.svg(p.bg, p.fg);
            this.host.post({ type: 'saveImage', requestId: this.requestId++, format, fileName: `${this.baseName()}.svg`, data, encoding: 'utf8' });
        }
    }

    private exportReport(format: ReportFormat): void {
        this.host.post({ type: 'exportReport', requestId: this.requestId++, format });
    }

    private saveStateSoon(): void {
        if (this.saveTimer !== null) return;
        this.saveTimer = window.setTimeout(() => {
            this.saveTimer = null;
            this.state.zoom = this.graph.cy.zoom();
            this.state.pan = { ...this.graph.cy.pan() };
            this.host.setState(this.state);
        }, 250);
    }

    // ------------------------------------------------------------------ test hooks

    testApi() {
        return {
            app: this,
            view: () => this.view,
            time: () => this.t,
            seek: (t: number) => this.seek(t, 'commit'),
            state: () => this.state,
            setSearch: (q: string) => {
                (this.els.search as HTMLInputElement).value = q;
                this.state.search = q;
                this.render(false);
            },
            setFilter: (k: keyof Filters, on: boolean) => {
                this.state.filters[k] = on;
                const box = this.filterBoxes.get(k);
                if (box) box.checked = on;
                this.render(false);
            },
            cy: () => this.graph.cy,
            cytoscape,
            model: () => this.model,
            timeline: () => this.tl,
            perf: () => this.perf,
            svg: () => this.graph.svg(readPalette().bg, readPalette().fg),
            png: () => this.graph.png(readPalette().bg),
            collapse: (gid: string) => this.toggleCollapse(gid),
            tap: (id: string) => this.onTap(id, false),
            hover: (id: string | null) => this.onHover(id, 100, 100),
        };
    }
}
