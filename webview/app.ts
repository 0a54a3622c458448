/*
 * app.ts
 *
 * The heap graph panel. It opens on the moment that matters (the end of the program, before
 * atexit), every object drawn with what will happen to it; the phase strip steps through the
 * shutdown phases; selecting an object shows what retains it. Layout of the panel, top to
 * bottom, all of it wrapping so nothing is ever wider than the panel:
 *
 *   toolbar   search · Fit · Internals · ⋯ (filters, layout, zoom, cycles, export, legend)
 *   phases    program end › atexit −1 › teardown −3 › … (ui/phaseStrip.ts)
 *   fates     the colours, patterns and glyphs of the fates present (always visible)
 *   timeline  step controls and the scrubber; the readout (line and phase) under it
 *   main      the graph (an empty moment says so and offers the nearest one with objects)
 *             and the details of the selection (ui/details.ts: chain, retainers)
 *   status    one line
 *
 * Talks to its host only through HostApi and the typed protocol.
 */

import cytoscape from 'cytoscape';
import { PROTOCOL_VERSION, parseHostMessage, type HostToWebview, type ReportFormat, type ReportMessage } from '../src/protocol';
import { phaseText } from '../src/report/phaseNames';
import type { Report } from '../src/report/types';
import { GraphView } from './graph/graphView';
import { computePositions, type Direction } from './graph/positions';
import { MIN_LEGIBLE_ZOOM, readPalette } from './graph/style';
import type { HostApi } from './hostApi';
import { lifetimeCard } from './model/card';
import { FATE_CLASSES, FATE_INFO, fateClass } from './model/fates';
import { HeapModel, NEVER } from './model/heapModel';
import type { Positions } from './model/layout';
import { LineIndex } from './model/lines';
import { liveProgramCounts, moments, nearestWithObjects, openingMoment, type Moment } from './model/moments';
import { shortestRetainerPath } from './model/retainers';
import { Timeline } from './model/timeline';
import { computeView, nodeId, nodeText, type Filters, type View } from './model/view';
import { defaultViewState, sanitizeViewState, type LayoutName, type ViewState } from './model/viewState';
import { renderDetails } from './ui/details';
import { h } from './ui/dom';
import { buildLegend } from './ui/legend';
import { PhaseStrip } from './ui/phaseStrip';
import { TimelineBar } from './ui/timelineBar';

const FILTER_TEXT: [keyof Filters, string, string][] = [
    ['onlySurvivors', 'Only survivors', 'Show only objects that survive exit and the chains that keep them'],
    ['onlyCycles', 'Only cycles', 'Show only objects in reference cycles'],
    ['hideFreed', 'Hide freed', 'Hide objects freed before this moment (off: show them faded)'],
    ['internals', 'Show internals', 'Show the interpreter’s objects and the program’s functions, classes and modules even where they hold none of its objects'],
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
    private moments: Moment[] = [];
    private live: Int32Array = new Int32Array(0);
    private lines: LineIndex | null = null;
    /** A big heap: one node per allocation site (positions.ts decides, once per report). */
    private bySite = false;
    /** The hidden legend was not built for the current palette. */
    private legendStale = true;
    /** Roots on the left (a wide panel) or on top (a narrow one). */
    private dir: Direction = 'LR';
    /** Comparing with another profile's pane: its name and, per object id, the fate there where it differs. */
    private compare: { profile: string; fates: Map<number, string> } | null = null;
    /** Counts comparisons received (the layout is keyed by it). */
    private compareVersion = 0;
    /** Set while carrying out what the other pane did, so nothing is echoed back to it. */
    private following = false;
    private readonly graph: GraphView;
    private readonly bar: TimelineBar;
    private readonly strip: PhaseStrip;
    private readonly els: Record<string, HTMLElement> = {};
    private readonly filterBoxes = new Map<keyof Filters, HTMLInputElement>();
    /** The pane that gets the keyboard (the only one, except on the comparison page). */
    private static keyTarget: HTMLElement | null = null;
    /** Timings for the benchmark: ms for the last report load and the last render. */
    readonly perf = { load: 0, layout: 0, view: 0, sync: 0, firstPaintAt: 0 };

    constructor(
        private readonly root: HTMLElement,
        private readonly host: HostApi,
    ) {
        this.state = sanitizeViewState(host.getState());
        this.bar = new TimelineBar((t, commit) => this.seek(t, commit ? 'commit' : 'drag'));
        this.strip = new PhaseStrip((m) => {
            this.seek(m.at, 'commit', m.from);
            this.tellPeer(m.phase);
        });
        this.buildDom();
        if (root.dataset.pane) suffixIds(root, `-${root.dataset.pane}`);
        // On a page of two panes (webview/comparePage.ts) keys go to the pane last pointed at or focused.
        App.keyTarget ??= root;
        root.addEventListener('pointerdown', () => (App.keyTarget = root), true);
        root.addEventListener('focusin', () => (App.keyTarget = root));
        this.graph = new GraphView(this.els.cy, {
            onTap: (id, dbl) => this.onTap(id, dbl),
            onBackgroundTap: () => this.selectObject(null),
            onHover: (id, x, y) => this.onHover(id, x, y),
            onViewport: () => this.saveStateSoon(),
        });
        new MutationObserver(() => this.onThemeChange()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
        host.onMessage((m) => this.onMessage(m));
        document.addEventListener('keydown', (e) => {
            if (App.keyTarget === root) this.onKey(e);
        });
        document.addEventListener('click', (e) => {
            const menu = this.els.menu;
            if (!menu.hidden && !menu.contains(e.target as Node) && e.target !== this.els.more) this.toggleMenu(false);
        });
        // The graph area changes size with the panel, and when the details of a selection open
        // under it (a narrow panel): keep the selection, or some of the picture, in view.
        const ro = new ResizeObserver(() => {
            this.graph.cy.resize();
            if (!this.model) return;
            if (this.wantedDir() !== this.dir) {
                this.render(false);
                this.fit();
                return;
            }
            const sel = this.state.selected === null ? undefined : this.model.byId.get(this.state.selected);
            if (sel !== undefined && this.graph.cy.getElementById(nodeId(this.model, sel)).nonempty()) this.graph.reveal(nodeId(this.model, sel));
            else if (this.view && this.view.nodes.length) this.keepInView();
        });
        ro.observe(this.els.cy);
        host.post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    }

    // ------------------------------------------------------------------ DOM

    private buildDom(): void {
        const btn = (id: string, text: string, label: string, onClick: () => void, extra: Record<string, string> = {}) => {
            const b = h('button', { type: 'button', id, title: label, 'aria-label': label, onclick: onClick, ...extra }, text);
            this.els[id] = b;
            return b;
        };
        const search = h('input', { type: 'search', id: 'search', placeholder: 'Search objects', 'aria-label': 'Search objects by name or type (type:Node, line:12)', title: 'Search by name or type; type:Node, line:12 and id:5 also work', value: this.state.search });
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

        // The menu: everything that is not needed every minute, so the toolbar fits in 400 px.
        const filters = h('div', { class: 'menu-group', role: 'group', 'aria-label': 'Filters' });
        for (const [key, text, title] of FILTER_TEXT) {
            const box = h('input', { type: 'checkbox', id: `f-${key}` });
            box.checked = this.state.filters[key];
            box.addEventListener('change', () => this.setFilter(key, box.checked));
            this.filterBoxes.set(key, box);
            filters.append(h('label', { title, for: `f-${key}` }, box, text));
        }
        const layout = h('select', { id: 'layout', 'aria-label': 'Layout' }, h('option', { value: 'layered', text: 'Layout: layered' }), h('option', { value: 'force', text: 'Layout: force (fcose)' }));
        layout.value = this.state.layout;
        layout.addEventListener('change', () => {
            this.state.layout = layout.value as LayoutName;
            this.posKey = '';
            this.render(false);
            this.fit();
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
        const menu = h(
            'div',
            { class: 'menu', id: 'menu', role: 'dialog', 'aria-label': 'More tools' },
            filters,
            h(
                'div',
                { class: 'menu-group', role: 'group', 'aria-label': 'View' },
                layout,
                btn('zoomSel', 'Zoom to selection', 'Zoom to the selected object (Z)', () => this.zoomToSelection()),
                btn('zoomIn', 'Zoom in', 'Zoom in (+)', () => this.graph.zoomBy(1.25)),
                btn('zoomOut', 'Zoom out', 'Zoom out (−)', () => this.graph.zoomBy(0.8)),
                btn('collapseAll', 'Collapse cycles', 'Collapse every reference cycle into one node', () => this.collapseAll(true)),
                btn('expandAll', 'Expand cycles', 'Expand every collapsed cycle', () => this.collapseAll(false)),
                btn('regroup', 'Group by site', 'Draw a big heap one node per allocation site again', () => {
                    this.state.expandedSites = [];
                    this.render(false);
                }),
            ),
            h('div', { class: 'menu-group', role: 'group', 'aria-label': 'Output' }, exportSel, btn('legendBtn', 'Legend', 'Show or hide the full legend (L)', () => this.toggleLegend(), { 'aria-pressed': String(this.state.legend) }), btn('refresh', 'Simulate again', 'Simulate again', () => this.host.post({ type: 'refresh' }))),
        );
        menu.hidden = true;
        this.els.menu = menu;
        const toolbar = h(
            'div',
            { class: 'toolbar', role: 'toolbar', 'aria-label': 'Heap graph tools' },
            h('div', { class: 'group search-group' }, search, btn('prevMatch', '↑', 'Previous match (Shift+Enter)', () => this.nextMatch(-1)), btn('nextMatch', '↓', 'Next match (Enter)', () => this.nextMatch(1)), matchInfo),
            h(
                'div',
                { class: 'group' },
                btn('fit', 'Fit', 'Fit the graph in view, at a readable size (F)', () => this.fit()),
                btn('internals', 'Internals', 'Show or fold the interpreter’s objects and the program’s definitions (I)', () => this.setFilter('internals', !this.state.filters.internals), { 'aria-pressed': String(this.state.filters.internals) }),
                btn('more', '⋯', 'More: filters, layout, zoom, cycles, export, legend', () => this.toggleMenu(), { 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'menu' }),
            ),
            menu,
        );
        const fates = h('div', { class: 'fates', id: 'fates', 'aria-label': 'What will happen to each object' });
        this.els.fates = fates;
        const readout = h('div', { class: 'readout', id: 'readout', 'aria-live': 'off' });
        this.els.readout = readout;
        const speed = h('select', { id: 'speed', 'aria-label': 'Playback speed' }, ...SPEEDS.map((s) => h('option', { value: String(s), text: `${s}×` })));
        speed.addEventListener('change', () => (this.speed = Number(speed.value)));
        const timeline = h(
            'div',
            { class: 'timeline', role: 'group', 'aria-label': 'Timeline' },
            h(
                'div',
                { class: 'row' },
                h(
                    'div',
                    { class: 'controls' },
                    btn('start', '|◁', 'Start of the run (Home)', () => this.seek(0, 'commit')),
                    btn('back', '◁', 'Step back (←; Shift+← 10 steps)', () => this.step(-1)),
                    btn('play', '▶', 'Play or pause (Space)', () => this.togglePlay()),
                    btn('fwd', '▷', 'Step forward (→; Shift+→ 10 steps)', () => this.step(1)),
                    btn('end', '▷|', 'After exit: what is left when the interpreter is gone (End)', () => this.seek(this.lastT(), 'commit')),
                    btn('objPrev', '◁●', 'Previous event of the selected object ([)', () => this.objectEvent(-1)),
                    btn('objNext', '●▷', 'Next event of the selected object (])', () => this.objectEvent(1)),
                    speed,
                ),
                this.bar.el,
            ),
            readout,
        );
        const legend = h('aside', { class: 'legend', id: 'legend', 'aria-label': 'Legend' });
        legend.hidden = !this.state.legend;
        this.els.legend = legend;
        const cy = h('div', { id: 'cy', class: 'cy', tabindex: 0, role: 'application', 'aria-label': 'Heap graph. Up and down arrows select objects, left and right move the timeline, Page Down steps through the shutdown phases.', 'aria-describedby': 'readout' });
        this.els.cy = cy;
        const card = h('div', { class: 'card', id: 'card', role: 'tooltip' });
        this.els.card = card;
        const empty = h('div', { class: 'empty', id: 'empty', role: 'status' });
        empty.hidden = true;
        this.els.empty = empty;
        const status = h('div', { class: 'status', id: 'status', role: 'status', 'aria-live': 'polite' });
        this.els.status = status;
        const banner = h('div', { class: 'banner', id: 'banner', role: 'alert' });
        this.els.banner = banner;
        const live = h('div', { class: 'sr-only', id: 'announce', 'aria-live': 'polite' });
        this.els.announce = live;
        const details = h('aside', { class: 'details', id: 'details', 'aria-label': 'Selected object: what holds it' });
        details.hidden = true;
        this.els.details = details;
        this.root.append(toolbar, this.strip.el, fates, timeline, h('div', { class: 'main' }, h('div', { class: 'graph-area' }, cy, card, empty, banner, live), details, legend), status);
        this.renderLegend();
    }

    private toggleMenu(open?: boolean): void {
        const menu = this.els.menu;
        const show = open ?? menu.hidden;
        menu.hidden = !show;
        this.els.more.setAttribute('aria-expanded', String(show));
        if (show) (menu.querySelector('input,select,button') as HTMLElement | null)?.focus();
    }

    private setFilter(key: keyof Filters, on: boolean): void {
        this.state.filters[key] = on;
        const box = this.filterBoxes.get(key);
        if (box) box.checked = on;
        if (key === 'internals') this.els.internals.setAttribute('aria-pressed', String(on));
        if (key === 'foldNamespaces' || key === 'internals') this.posKey = '';
        this.render(false);
        if (key === 'foldNamespaces' || key === 'internals') this.fit();
        this.saveStateSoon();
    }

    /** The full legend is built when it is shown (it is hidden by default: not before the first paint). */
    private renderLegend(): void {
        this.legendStale = this.els.legend.hidden;
        if (!this.legendStale) this.els.legend.replaceChildren(...buildLegend(readPalette()));
        this.renderFates();
    }

    /** The fate legend: only the fates present in this report, each with its glyph and pattern. */
    private renderFates(): void {
        const p = readPalette();
        const present = new Set(this.model ? this.model.nodes.filter((n) => n.obj && n.role === 'program').map((n) => fateClass(n.obj!)) : []);
        const items = FATE_CLASSES.filter((c) => present.has(c)).map((c) => {
            const sw = h('span', { class: `swatch fate-${c}`, 'aria-hidden': 'true' });
            sw.style.borderColor = p.fate[c];
            sw.style.background = p.fate[c] + '33';
            return h('span', { class: 'fate-item', title: FATE_INFO[c].legend }, sw, `${FATE_INFO[c].glyph} ${FATE_INFO[c].legend}`);
        });
        if (this.compare) {
            const n = this.compare.fates.size;
            items.push(h('span', { class: 'fate-item differs-item', title: `Dashed outline: the object fares otherwise on Python ${this.compare.profile}` }, h('span', { class: 'swatch differs-swatch', 'aria-hidden': 'true' }), `≠ ${n} fare${n === 1 ? 's' : ''} otherwise on ${this.compare.profile}`));
        }
        this.els.fates.replaceChildren(...items);
        this.els.fates.hidden = !items.length;
    }

    private onThemeChange(): void {
        this.graph.restyle();
        this.renderLegend();
    }

    private toggleLegend(): void {
        this.state.legend = !this.state.legend;
        this.els.legend.hidden = !this.state.legend;
        if (this.state.legend && this.legendStale) this.renderLegend();
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
                this.following = true;
                try {
                    this.selectObject(m.objectId);
                } finally {
                    this.following = false;
                }
                this.seek(at, 'commit');
                this.graph.reveal(nodeId(this.model, v));
                break;
            }
            case 'compare':
                this.compare = m.otherProfile === null ? null : { profile: m.otherProfile, fates: new Map(m.differs.map((d) => [d.id, d.otherFate])) };
                this.compareVersion++;
                this.renderFates();
                this.status(this.compare ? `Compared with Python ${this.compare.profile}: ${m.differs.length} object${m.differs.length === 1 ? '' : 's'} fare${m.differs.length === 1 ? 's' : ''} otherwise there (dashed outline)` : 'Comparison ended');
                this.queueRender();
                break;
            case 'seekPhase': {
                // The same chip, else the chip whose span holds that phase's start here.
                const start = this.report?.timeline.find((x) => x.phase === m.phase)?.startAt;
                const mo = this.moments.find((x) => x.phase === m.phase) ?? (start === undefined ? undefined : this.moments.find((x) => x.from < start && start <= x.at));
                if (mo) this.seek(mo.at, 'commit', mo.from);
                else this.status(`This profile has no ${phaseText(m.phase)} phase`);
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
        this.moments = moments(m.report, this.model);
        this.strip.setMoments(this.moments);
        this.live = liveProgramCounts(this.model);
        this.lines = new LineIndex(m.report, this.model);
        this.renderFates();
        this.posKey = '';
        this.perf.load = performance.now() - t0;
        const last = this.lastT();
        this.t = this.state.at === null ? openingMoment(m.report, this.model, this.live) : Math.min(this.state.at, last);
        this.prevT = -1;
        const restoring = this.state.zoom !== null && this.state.pan !== null;
        if (this.state.selected !== null) {
            const v = this.model.byId.get(this.state.selected);
            if (v !== undefined) {
                this.selectedEvents = this.model.eventsOf(v);
                this.bar.setMarks(this.selectedEvents);
            } else this.state.selected = null;
        }
        this.render(false);
        if (restoring) this.graph.cy.viewport({ zoom: this.state.zoom!, pan: this.state.pan! });
        else this.fit();
        if (!this.perf.firstPaintAt)
            requestAnimationFrame(() => {
                this.perf.firstPaintAt = performance.now();
                // On the same clock as a Chromium trace (scripts/profile-webview.mjs reads it there).
                performance.mark('exitscope-first-paint');
            });
        this.saveStateSoon();
    }

    // ------------------------------------------------------------------ time

    private lastT(): number {
        return Math.max(0, (this.model?.eventCount ?? 1) - 1);
    }

    /** Moves the timeline. 'drag' renders without animation and without saving state. `from`:
     *  highlight everything that happened after it (a phase chip: all the phase freed). */
    seek(t: number, mode: 'commit' | 'drag' | 'play' = 'commit', from?: number): void {
        if (!this.tl) return;
        const nt = Math.max(0, Math.min(this.lastT(), Math.round(t)));
        if (nt === this.t && mode !== 'commit') return;
        // Highlight what happened at this moment: the changes since the previous stop (playing:
        // since the previous frame, so nothing that happened in between goes unseen).
        const prevStop = this.tl.prevStop(nt);
        if (from !== undefined) this.prevT = from < nt ? from : -1;
        else this.prevT = mode === 'play' && this.t < nt ? Math.min(this.t, prevStop) : prevStop < nt ? prevStop : -1;
        this.t = nt;
        this.state.at = nt;
        if (mode === 'drag') this.queueRender();
        else this.render(true);
        if (mode === 'commit' && this.view && this.view.nodes.length && this.graph.cy.nodes(':visible').length) this.keepInView();
    }

    /** Fits the graph in the visible area, but never so small that labels fall under 11 px: then
     *  it shows what matters most (the selection, the survivors, the program's objects) at a
     *  readable zoom, from the roots when that still shows it. */
    fit(): void {
        const cy = this.graph.cy;
        this.graph.fit(undefined, 1.25);
        if (cy.zoom() >= MIN_LEGIBLE_ZOOM || !cy.nodes().length) return;
        let focus = cy.nodes(':selected');
        if (focus.empty()) focus = cy.nodes('.survivor, .fate-outlives');
        if (focus.empty()) focus = cy.nodes('.role-program');
        if (focus.empty()) focus = cy.nodes();
        const lr = this.dir === 'LR';
        let fx = Infinity;
        let fy = Infinity;
        focus.forEach((n) => {
            const p = (n as cytoscape.NodeSingular).position();
            const before = lr ? p.x < fx || (p.x === fx && p.y < fy) : p.y < fy || (p.y === fy && p.x < fx);
            if (before) {
                fx = p.x;
                fy = p.y;
            }
        });
        let x1 = Infinity;
        let y1 = Infinity;
        let x2 = -Infinity;
        let y2 = -Infinity;
        cy.nodes().forEach((n) => {
            const nn = n as cytoscape.NodeSingular;
            if (nn.isParent()) return;
            const p = nn.position();
            const w = Number(n.data('w') || 80) / 2;
            const hh = Number(n.data('h') || 40) / 2;
            x1 = Math.min(x1, p.x - w);
            x2 = Math.max(x2, p.x + w);
            y1 = Math.min(y1, p.y - hh);
            y2 = Math.max(y2, p.y + hh);
        });
        const Z = MIN_LEGIBLE_ZOOM;
        // Per axis: the whole extent centred if it fits; else from the start (where the roots
        // are) if the focus is still on screen from there; else the focus centred.
        const axis = (lo: number, hi: number, f: number, size: number) => {
            if (Z * (hi - lo) <= size - 24) return size / 2 - (Z * (lo + hi)) / 2;
            if (Z * (f - lo) + 90 < size) return 12 - Z * lo;
            return size / 2 - Z * f;
        };
        cy.viewport({ zoom: Z, pan: { x: axis(x1, x2, fx, cy.width()), y: axis(y1, y2, fy, cy.height()) } });
    }

    /** After a jump, fit the view when nothing shown is on screen. */
    private keepInView(): void {
        const cy = this.graph.cy;
        const ext = cy.extent();
        const anyIn = cy.nodes().some((n) => {
            const p = (n as cytoscape.NodeSingular).position();
            return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2;
        });
        if (!anyIn) this.fit();
    }

    private step(dir: number, times = 1): void {
        if (!this.tl) return;
        let t = this.t;
        for (let i = 0; i < times; i++) t = dir > 0 ? this.tl.nextStop(t) : this.tl.prevStop(t);
        this.seek(t, 'commit');
    }

    private stepMoment(dir: number): void {
        const m = this.strip.step(this.t, dir);
        if (m) {
            this.seek(m.at, 'commit', m.from);
            this.tellPeer(m.phase);
        } else this.status(dir > 0 ? 'No later phase' : 'No earlier phase');
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
        const f = this.state.filters;
        this.dir = this.wantedDir();
        // A comparison adds a label line to the nodes that differ: they are laid out at that size.
        const key = `${this.state.layout}|${f.foldNamespaces}|${f.internals}|${this.dir}|${this.compareVersion}`;
        if (key !== this.posKey) {
            const t0 = performance.now();
            const r = computePositions(this.model, this.state.layout, f.foldNamespaces, f.internals, this.dir, this.compare ?? undefined);
            this.pos = r.pos;
            this.bySite = r.bySite;
            this.layoutEngine = r.engine;
            this.posKey = key;
            this.perf.layout = performance.now() - t0;
        }
        const t1 = performance.now();
        this.tl.seek(this.t);
        const sel = this.state.selected === null ? undefined : this.model.byId.get(this.state.selected);
        const selLive = sel !== undefined && this.tl.isNodeLive(sel);
        const path = selLive ? shortestRetainerPath(this.model, this.tl, sel) : null;
        const pinned = new Set<number>(path ? path.nodes : sel !== undefined && selLive ? [sel] : []);
        this.view = computeView(this.model, this.tl, this.pos!, {
            t: this.t,
            prevT: this.prevT,
            filters: f,
            collapsed: new Set(this.state.collapsed),
            expanded: new Map(this.state.expanded),
            search: this.state.search,
            cursorLine: this.cursorLine,
            phaseAt: this.phaseAt,
            pinned,
            path: path ? { nodes: new Set(path.nodes), edges: new Set(path.edges) } : undefined,
            expandedSites: new Set(this.state.expandedSites),
            aggregateAbove: this.bySite ? 0 : Infinity,
            differs: this.compare ?? undefined,
        });
        const t2 = performance.now();
        this.graph.sync(this.view, animate);
        if (sel !== undefined) {
            const el = this.graph.cy.getElementById(nodeId(this.model, sel));
            if (el.nonempty() && !el.selected()) el.select();
        }
        this.perf.view = t2 - t1;
        this.perf.sync = performance.now() - t2;
        this.updateReadout();
        this.updateEmpty();
        this.updateDetails(sel, path);
        this.strip.setTime(this.t);
        if (animate) this.saveStateSoon();
    }

    /** Top-to-bottom in a panel narrower than this: three columns of objects do not fit across. */
    private wantedDir(): Direction {
        const w = this.els.cy.clientWidth || window.innerWidth;
        return w >= 640 ? 'LR' : 'TB';
    }

    private momentText(t: number): string {
        const phase = this.phaseAt(t);
        const line = this.lines?.lineAt(t) ?? 0;
        if (phase === 'running' || phase === 'start-up') return `line ${line || '?'}`;
        return phaseText(phase);
    }

    private updateReadout(): void {
        if (!this.model || !this.tl || !this.view) return;
        const s = this.view.stats;
        const m = this.moments[this.strip.indexAt(this.t)];
        // The end of the program is after the last line __main__ ran, not where the last object
        // event happened (a function's line, when the program's last lines allocate nothing).
        const endLine = this.report?.timeline.find((p) => p.phase === 'running')?.endLine;
        const where = m && m.at === this.t && m.phase === 'running' ? `end of the program (${endLine ? `line ${endLine}` : this.momentText(this.t)})` : this.momentText(this.t);
        const program = this.live[this.t] ?? 0;
        const text = `${where} · ${program} of the program’s objects alive`;
        this.els.readout.textContent = text;
        this.bar.setTime(this.t, text);
        const parts: string[] = [];
        if (this.fileName) parts.push(this.fileName.split(/[\\/]/).pop() ?? '');
        parts.push(`${s.program} shown`);
        if (s.folded && !this.state.filters.internals) parts.push(`${s.folded} internals folded`);
        if (s.groups) parts.push(`${s.groups} cycle${s.groups === 1 ? '' : 's'}`);
        if (s.summarized) parts.push(`${s.summarized} in summaries`);
        if (s.truncated) parts.push(`${s.truncated} more not drawn: use search or filters`);
        parts.push(`layout: ${this.layoutEngine}`);
        this.els.status.textContent = parts.join(' · ');
        this.els.status.title = this.els.status.textContent;
        if (this.state.search) {
            const live = this.view.matches.length;
            const all = this.view.allMatches.length;
            this.els.matchInfo.textContent = `${live} shown, ${all}${all >= 1000 ? '+' : ''} in run`;
        } else this.els.matchInfo.textContent = '';
    }

    /** Never a blank canvas without a word: say why, and offer the nearest moment with objects. */
    private updateEmpty(): void {
        const el = this.els.empty;
        if (!this.view || !this.model) return;
        if (this.view.stats.program > 0) {
            el.hidden = true;
            return;
        }
        const parts: Node[] = [];
        const aliveNow = this.live[this.t] ?? 0;
        const filtered = this.state.filters.onlyCycles || this.state.filters.onlySurvivors;
        if (!this.live.some((x) => x > 0)) {
            parts.push(h('p', { text: 'This program makes no objects of its own: there is nothing to draw.' }));
        } else if (aliveNow > 0 && filtered) {
            parts.push(h('p', { text: `No object at ${this.momentText(this.t)} passes the filters (${aliveNow} alive).` }));
            parts.push(
                h('button', {
                    type: 'button',
                    id: 'clearFilters',
                    onclick: () => {
                        this.setFilter('onlyCycles', false);
                        this.setFilter('onlySurvivors', false);
                    },
                    text: 'Clear the filters',
                }),
            );
        } else {
            const t = nearestWithObjects(this.live, this.t);
            parts.push(h('p', { text: `Nothing the program made is alive at ${this.momentText(this.t)}${this.t >= this.lastT() ? ' (after exit)' : ''}.` }));
            const where = this.momentText(t);
            const go = where === this.momentText(this.t) ? (t < this.t ? 'Back to the last moment with objects' : 'On to the next moment with objects') : `Go to ${where}`;
            if (t >= 0) parts.push(h('button', { type: 'button', id: 'nearest', onclick: () => this.seek(t, 'commit'), text: `${go} (${this.live[t]} object${this.live[t] === 1 ? '' : 's'})` }));
        }
        el.replaceChildren(...parts);
        el.hidden = false;
    }

    private updateDetails(sel: number | undefined, path: ReturnType<typeof shortestRetainerPath> | null): void {
        const el = this.els.details;
        if (sel === undefined || !this.model || !this.tl) {
            el.hidden = true;
            return;
        }
        const g = this.view?.groups.find((x) => x.members.includes(sel));
        renderDetails(el, this.model, this.tl, sel, path ?? { root: -1, edges: [], nodes: [sel], unreachable: false, unrecorded: false }, g ? { others: g.members.filter((x) => x !== sel), reason: g.reason } : null, {
            revealLine: (line) => this.host.post({ type: 'revealLine', uri: this.uri, line, column: 1, preserveFocus: true }),
            select: (v) => {
                this.selectObject(this.model!.nodes[v].id);
                this.render(false);
                this.graph.reveal(nodeId(this.model!, v));
            },
        }, this.comparedFate(sel));
        el.hidden = false;
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
        if (id.startsWith('a')) {
            // an allocation site's objects: draw them one by one
            const site = Number(id.startsWith('ad') ? id.slice(2) : id.slice(1));
            if (Number.isInteger(site)) {
                this.state.expandedSites = [...new Set([...this.state.expandedSites, site])];
                this.render(false);
                this.saveStateSoon();
            }
            return;
        }
        const objId = Number(id.slice(1));
        this.selectObject(objId);
        this.render(false);
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
        const changed = this.state.selected !== objId;
        this.state.selected = objId;
        if (!this.model) return;
        const v = objId === null ? undefined : this.model.byId.get(objId);
        this.graph.select(v === undefined ? null : nodeId(this.model, v));
        this.selectedEvents = v === undefined ? [] : this.model.eventsOf(v);
        this.bar.setMarks(this.selectedEvents);
        if (v !== undefined) {
            const n = this.model.nodes[v];
            this.els.announce.textContent = `Selected ${nodeText(this.model, v).replace(/\n/g, ', ')}${n.diedAt !== NEVER && !this.tl?.isNodeLive(v) ? ' (not alive now)' : ''}`;
        }
        if (changed && objId === null) this.render(false);
        if (changed) this.tellPeer();
        this.saveStateSoon();
    }

    /** The selected object's fate on the compared profile, where it differs. */
    private comparedFate(v: number): { profile: string; fate: string } | null {
        const id = this.model?.nodes[v].obj?.id;
        const fate = id === undefined ? undefined : this.compare?.fates.get(id);
        return fate === undefined ? null : { profile: this.compare!.profile, fate };
    }

    /** Tells a comparing pane (through the host) what the user selected and which phase is shown. */
    private tellPeer(phase?: string): void {
        if (!this.compare || this.following) return;
        this.host.post({ type: 'selection', objectId: this.state.selected, phase: phase ?? this.phaseAt(this.t) });
    }

    /** Up/Down arrows: the next or previous shown object in reading order (column by column). */
    private selectNeighbour(dir: number): void {
        if (!this.view || !this.model) return;
        const ns = this.view.nodes.filter((n) => n.v >= 0 && !n.classes.includes('ghost')).sort((a, b) => a.x - b.x || a.y - b.y);
        if (!ns.length) return;
        const cur = ns.findIndex((n) => this.model!.nodes[n.v].id === this.state.selected);
        const next = ns[cur < 0 ? (dir > 0 ? 0 : ns.length - 1) : (cur + dir + ns.length) % ns.length];
        this.selectObject(this.model.nodes[next.v].id);
        this.render(false);
        this.graph.reveal(next.id);
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
        this.render(false);
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
            case 'ArrowDown':
                this.selectNeighbour(1);
                break;
            case 'ArrowUp':
                this.selectNeighbour(-1);
                break;
            case 'PageDown':
            case '>':
                this.stepMoment(1);
                break;
            case 'PageUp':
            case '<':
                this.stepMoment(-1);
                break;
            case 'Enter': {
                const v = this.state.selected === null ? undefined : this.model?.byId.get(this.state.selected);
                const n = v === undefined ? null : this.model!.nodes[v];
                if (n && n.allocLine > 0) this.host.post({ type: 'revealLine', uri: this.uri, line: n.allocLine, column: n.obj?.allocColumn ?? 1, preserveFocus: false });
                else handled = false;
                break;
            }
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
                this.fit();
                break;
            case 'i':
                this.setFilter('internals', !this.state.filters.internals);
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
                if (!this.els.menu.hidden) this.toggleMenu(false);
                else {
                    this.selectObject(null);
                    this.els.card.classList.remove('show');
                }
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
            seek: (t: number, from?: number) => this.seek(t, 'commit', from),
            state: () => this.state,
            moments: () => this.moments,
            setSearch: (q: string) => {
                (this.els.search as HTMLInputElement).value = q;
                this.state.search = q;
                this.render(false);
            },
            setFilter: (k: keyof Filters, on: boolean) => this.setFilter(k, on),
            select: (id: number | null) => {
                this.selectObject(id);
                this.render(false);
            },
            fit: () => this.fit(),
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

/** Makes the ids inside one pane of the comparison page unique (`search` → `search-b`), with the
 *  references to them (aria-describedby, aria-controls, label for), so each pane's accessible names
 *  point into that pane. The stylesheet selects classes inside a pane, never these ids. */
function suffixIds(root: HTMLElement, suffix: string): void {
    for (const el of root.querySelectorAll<HTMLElement>('[id]')) el.id += suffix;
    for (const attr of ['aria-describedby', 'aria-controls', 'aria-labelledby', 'for']) {
        for (const el of root.querySelectorAll<HTMLElement>(`[${attr}]`)) {
            el.setAttribute(attr, el.getAttribute(attr)!.split(/\s+/).map((id) => (root.querySelector(`#${CSS.escape(id + suffix)}`) ? id + suffix : id)).join(' '));
        }
    }
}
