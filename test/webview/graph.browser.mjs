// Browser tests of the heap graph webview in headless Chromium (playwright-core).
//
//   node test/webview/graph.browser.mjs
//
// Builds dist/webview.js, runs the engine on a few scenarios to get recorded reports, loads each
// in a standalone page (src/extension/panel/standaloneHtml.ts) and checks nodes, edges, cycle
// groups, survivor marks, the timeline against the event log, search, filters, summaries, the
// lifetime card, editor sync messages, keyboard control, exports, the CSP and themes.
// Screenshots go to test-results/webview/*.png. Prints "N passed, M failed"; exits 1 on failure.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'test-results', 'webview');
mkdirSync(out, { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
await esbuild.build({ entryPoints: [join(root, 'test/webview/gen-report.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: join(out, '.gen.cjs'), logLevel: 'warning' });
const gen = createRequire(import.meta.url)(join(out, '.gen.cjs'));

const scenarios = {
    cycle: 'examples/02-cycle-until-collection.pyscn',
    survivors: 'test/webview/scenarios/survivors.pyscn',
    loop: 'examples/01-reassign-frees-previous.pyscn',
    registry: 'examples/09-registry-on-class.pyscn',
    big: 'test/webview/scenarios/linked-list-2000.pyscn',
};
const reports = {};
const pages = {};
for (const [name, file] of Object.entries(scenarios)) {
    reports[name] = gen.reportFor(readFileSync(join(root, file), 'utf8'), file);
    for (const theme of name === 'big' ? ['light'] : ['light', 'dark', 'high-contrast']) {
        const p = join(out, `${name}-${theme}.html`);
        writeFileSync(p, gen.pageFor(reports[name], root, theme));
        pages[`${name}-${theme}`] = p;
    }
}
// The side-by-side page (--format html --compare 2.7): the registry example on 3.13 and 2.7.
reports['registry-2.7'] = gen.reportFor(readFileSync(join(root, scenarios.registry), 'utf8'), scenarios.registry, undefined, '2.7');
pages['compare'] = join(out, 'compare-registry.html');
writeFileSync(pages['compare'], gen.comparePageFor(reports.registry, reports['registry-2.7'], root));

let passed = 0;
let failed = 0;
const failures = [];
async function check(name, fn) {
    try {
        await fn();
        passed++;
        console.log(`  ok   ${name}`);
    } catch (e) {
        failed++;
        failures.push(name);
        console.log(`  FAIL ${name}\n       ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 3).join('\n       ')}`);
    }
}
function assert(cond, msg) {
    if (!cond) throw new Error(msg);
}
function eq(a, b, msg) {
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    if (sa !== sb) throw new Error(`${msg}: expected ${sb}, got ${sa}`);
}

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
const narrow = await browser.newContext({ viewport: { width: 400, height: 760 } });

async function open(key, ctx = context) {
    const page = await ctx.newPage();
    const problems = [];
    page.on('console', (m) => {
        const t = m.text();
        if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(t)) problems.push(t);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(`file://${pages[key]}`);
    await page.waitForFunction(() => window.exitscope && window.exitscope.view() && window.exitscope.view().nodes);
    return { page, problems };
}

/** Live ids at t straight from the report's intervals (the event log as the report recorded it). */
function liveIds(report, t) {
    return report.graph.nodes.filter((n) => n.bornAt <= t && (n.diedAt === null || n.diedAt > t)).map((n) => n.id);
}
const shot = (page, name) => page.screenshot({ path: join(out, `${name}.png`) });

// ------------------------------------------------------------------ cycle scenario
console.log('cycle (examples/02)');
{
    const { page, problems } = await open('cycle-light');
    const r = reports.cycle;
    const nodeNamed = (label) => r.objects.find((o) => o.label === label && o.type === 'Node');
    const a = r.objects.filter((o) => o.type === 'Node')[0];
    const b = r.objects.filter((o) => o.type === 'Node')[1];
    // the moment gc.collect() starts: both alive, unreachable, still in their cycle
    const col = r.collections.find((c) => c.startAt <= a.death.at && a.death.at <= c.endAt);
    const tCycle = col.startAt;
    await check('opens on the last moment with the program’s objects: the cycle before gc.collect() (the program’s end has none)', async () => {
        const t = await page.evaluate(() => window.exitscope.time());
        assert(t < tCycle && t >= b.allocAt, `opened at ${t}, collection at ${tCycle}`);
        const labels = await page.evaluate(() => window.exitscope.cy().nodes().map((n) => n.data('label')));
        assert(labels.some((l) => /^a\nNode #1\n♻ collected at line 21$/.test(l)), `labels ${JSON.stringify(labels)}`);
        assert(labels.some((l) => /^cycle · 2 objects · unreachable since line 19 · collected at line 21/.test(l)), `cycle label in ${JSON.stringify(labels)}`);
        await shot(page, 'cycle-light-opening');
    });
    await check('a cycle is drawn as a compound group with both objects and their peer edges', async () => {
        await page.evaluate((t) => window.exitscope.seek(t), tCycle);
        const v = await page.evaluate(() => {
            const cy = window.exitscope.cy();
            return {
                groups: cy.nodes('.cycle-group').map((g) => ({ id: g.id(), kids: g.children().map((c) => c.id()).sort() })),
                peer: cy.edges().filter((e) => e.data('label') === 'peer').map((e) => `${e.source().id()}>${e.target().id()}`).sort(),
            };
        });
        eq(v.groups, [{ id: `g${Math.min(a.id, b.id)}`, kids: [`n${a.id}`, `n${b.id}`].sort() }], 'groups');
        eq(v.peer, [`n${a.id}>n${b.id}`, `n${b.id}>n${a.id}`].sort(), 'peer edges');
        await shot(page, 'cycle-light-before-collect');
    });
    await check('before `del a, b` the module globals reference both objects (edges labelled a and b)', async () => {
        const t = Math.max(...r.graph.edges.addedAt.filter((_, i) => r.graph.labels[r.graph.edges.label[i]] === 'b'));
        await page.evaluate((t) => window.exitscope.seek(t), t);
        const labels = await page.evaluate(() => window.exitscope.cy().edges().map((e) => `${e.source().id()}-${e.data('label')}->${e.target().id()}`));
        const main = r.graph.nodes.find((n) => n.type === 'module' && n.label === '__main__');
        assert(labels.includes(`n${main.id}-a->n${a.id}`), `no __main__ -a-> edge in ${labels}`);
        assert(labels.includes(`n${main.id}-b->n${b.id}`), 'no __main__ -b-> edge');
    });
    await check('the collapsed cycle is one node, and expands again', async () => {
        await page.evaluate((t) => window.exitscope.seek(t), tCycle);
        const gid = `g${Math.min(a.id, b.id)}`;
        await page.evaluate((g) => window.exitscope.collapse(g), gid);
        let ids = await page.evaluate(() => window.exitscope.cy().nodes().map((n) => n.id()));
        assert(ids.includes(`${gid}c`) && !ids.includes(`n${a.id}`), `collapsed: ${ids}`);
        await shot(page, 'cycle-light-collapsed');
        await page.evaluate((g) => window.exitscope.tap(`${g}c`), gid);
        ids = await page.evaluate(() => window.exitscope.cy().nodes().map((n) => n.id()));
        assert(!ids.includes(`${gid}c`) && ids.includes(`n${a.id}`), 'expanded again');
    });
    await check('moving the timeline changes the live set exactly as the event log says', async () => {
        const ts = [];
        for (let t = 0; t < r.graph.eventCount; t += 3) ts.push(t);
        ts.push(r.graph.eventCount - 1, tCycle, a.death.at, 0);
        for (const t of ts) {
            const got = await page.evaluate((t) => {
                window.exitscope.seek(t);
                const tl = window.exitscope.timeline();
                const m = window.exitscope.model();
                return Array.from(tl.nodes.list.subarray(0, tl.nodes.size)).map((v) => m.nodes[v].id).sort((x, y) => x - y);
            }, t);
            eq(got, liveIds(r, t).sort((x, y) => x - y), `live set at ${t}`);
            // every live user object is drawn (nothing is summarised or folded here)
            const drawn = await page.evaluate(() => window.exitscope.cy().nodes().map((n) => n.id()));
            for (const o of r.objects) {
                const alive = o.allocAt <= t && (!o.death || o.death.at > t);
                if (alive && o.type === 'Node') assert(drawn.includes(`n${o.id}`), `live ${o.label} (${o.id}) not drawn at ${t}`);
            }
        }
    });
    await check('what was just freed fades out with its reason', async () => {
        await page.evaluate((t) => window.exitscope.seek(t), a.death.at);
        const dying = await page.evaluate(() => window.exitscope.view().nodes.filter((n) => n.classes.includes('dying')).map((n) => [n.id, n.reason]));
        assert(dying.some(([id, reason]) => id === `n${a.id}` && /collected: gen 2/.test(reason)), `dying: ${JSON.stringify(dying)}`);
        await shot(page, 'cycle-light-collected');
    });
    await check('step forward and back stop at changes; keyboard moves the timeline', async () => {
        await page.evaluate((t) => window.exitscope.seek(t), tCycle);
        await page.focus('#cy');
        await page.keyboard.press('ArrowRight');
        const t1 = await page.evaluate(() => window.exitscope.time());
        assert(t1 > tCycle, 'ArrowRight moved forward');
        await page.keyboard.press('ArrowLeft');
        eq(await page.evaluate(() => window.exitscope.time()), tCycle, 'ArrowLeft back');
        await page.keyboard.press('Home');
        eq(await page.evaluate(() => window.exitscope.time()), 0, 'Home');
        await page.keyboard.press('End');
        eq(await page.evaluate(() => window.exitscope.time()), r.graph.eventCount - 1, 'End');
    });
    await check('clicking a node asks the host to reveal its allocation line; ] jumps to its next event', async () => {
        await page.evaluate((t) => window.exitscope.seek(t), a.allocAt);
        await page.evaluate((id) => window.exitscope.tap(`n${id}`), a.id);
        const sent = await page.evaluate(() => window.exitscope.app.host.sent.filter((m) => m.type === 'revealLine'));
        eq(sent[sent.length - 1].line, a.allocLine, 'revealLine line');
        await page.focus('#cy');
        await page.keyboard.press(']');
        const t = await page.evaluate(() => window.exitscope.time());
        assert(t > a.allocAt, `] moved to ${t}`);
    });
    await check('the cursor line highlights the objects allocated there', async () => {
        await page.evaluate((t) => window.exitscope.seek(t), tCycle);
        await page.evaluate((line) => window.postMessage({ type: 'cursor', uri: window.exitscope.state().uri, line }, '*'), a.allocLine);
        await page.waitForTimeout(100);
        const hl = await page.evaluate(() => window.exitscope.cy().nodes('.cursor').map((n) => n.id()));
        eq(hl, [`n${a.id}`], 'cursor highlight');
    });
    await check('hovering shows the lifetime card with the report’s explanation', async () => {
        await page.evaluate((id) => window.exitscope.hover(`n${id}`), a.id);
        const text = await page.evaluate(() => document.getElementById('card').textContent);
        assert(text.includes(a.explanation), `card: ${text}`);
        await page.evaluate(() => window.exitscope.hover(null));
    });
    await check('comparing with another profile: differing objects outlined and labelled, the selection told to the host, nothing echoed', async () => {
        await page.evaluate((id) => window.postMessage({ type: 'compare', otherProfile: '2.7', differs: [{ id, otherFate: 'survives-exit' }] }, '*'), a.id);
        await page.waitForFunction((id) => window.exitscope.cy().getElementById(`n${id}`).hasClass('differs'), a.id);
        const s = await page.evaluate((id) => {
            const n = window.exitscope.cy().getElementById(`n${id}`);
            return { label: n.data('label'), outline: n.style('outline-style'), others: window.exitscope.cy().nodes('.differs').length };
        }, a.id);
        assert(s.label.endsWith('≠ 2.7: survives exit'), `label: ${s.label}`);
        eq(s.outline, 'dashed', 'outline style');
        eq(s.others, 1, 'only the differing object is outlined');
        const sent = () => page.evaluate(() => window.exitscope.app.host.sent.filter((m) => m.type === 'selection'));
        await page.evaluate(() => window.exitscope.select(null));
        const before = (await sent()).length;
        await page.evaluate((id) => window.exitscope.select(id), a.id);
        const after = await sent();
        eq(after.length, before + 1, 'one selection message for the user’s selection');
        eq(after[after.length - 1].objectId, a.id, 'selected id');
        const note = await page.evaluate(() => document.querySelector('.details .differs-note')?.textContent);
        eq(note, 'On Python 2.7: survives exit', 'details note');
        const legend = await page.evaluate(() => document.querySelector('.differs-item')?.textContent);
        eq(legend, '≠ 1 fares otherwise on 2.7', 'legend entry');
        await shot(page, 'compare-differs');
        // what the other pane did is carried out, not echoed back
        await page.evaluate(() => window.exitscope.select(null));
        const n0 = (await sent()).length;
        await page.evaluate((id) => window.postMessage({ type: 'selectObject', objectId: id }, '*'), a.id);
        await page.waitForFunction((id) => window.exitscope.state().selected === id, a.id);
        const phase = await page.evaluate(() => window.exitscope.moments().at(-1));
        await page.evaluate((p) => window.postMessage({ type: 'seekPhase', phase: p }, '*'), phase.phase);
        await page.waitForFunction((at) => window.exitscope.time() === at, phase.at);
        eq((await sent()).length, n0, 'no selection message for the host’s own requests');
        await page.evaluate(() => window.postMessage({ type: 'compare', otherProfile: null, differs: [] }, '*'));
        await page.waitForFunction(() => window.exitscope.cy().nodes('.differs').length === 0);
        await page.evaluate(() => window.exitscope.select(null));
    });
    await check('invalid messages are ignored and logged to the host', async () => {
        await page.evaluate(() => window.postMessage({ type: 'report', uri: 1 }, '*'));
        await page.waitForTimeout(100);
        const logs = await page.evaluate(() => window.exitscope.app.host.sent.filter((m) => m.type === 'log').map((m) => m.message));
        assert(logs.some((m) => /report\.uri/.test(m)), `logs: ${logs}`);
    });
    await check('no CSP violations, page errors or network requests', async () => eq(problems, [], 'problems'));
    await page.close();
}

// ------------------------------------------------------------------ survivors scenario
console.log('survivors (os._exit, a big list)');
{
    const { page, problems } = await open('survivors-light');
    const r = reports.survivors;
    const a = r.objects.find((o) => o.type === 'Node' && o.label === 'a');
    const list = r.objects.find((o) => o.type === 'list' && o.label === 'items');
    await check('survivors carry the double red border and the ⚠ badge after exit', async () => {
        const s = await page.evaluate((id) => {
            const n = window.exitscope.cy().getElementById(`n${id}`);
            return { cls: n.classes(), border: n.style('border-style'), label: n.data('label') };
        }, a.id);
        assert(s.cls.includes('survivor'), 'survivor class');
        eq(s.border, 'double', 'border style');
        assert(s.label.endsWith('⚠ survives exit'), `badge in ${s.label}`);
    });
    await check('a 40-item list is summarised as […32 more items] and expands on click', async () => {
        const sum = await page.evaluate(() => window.exitscope.view().nodes.filter((n) => n.kind === 'summary').map((n) => [n.id, n.label]));
        eq(sum, [[`s${list.id}`, '[…32 more items]']], 'summary');
        await shot(page, 'survivors-light-exit');
        await page.evaluate((id) => window.exitscope.tap(`s${id}`), list.id);
        const items = await page.evaluate((id) => window.exitscope.cy().edges(`[source = "n${id}"]`).length, list.id);
        eq(items, 40, 'expanded list references');
        await page.evaluate(() => window.exitscope.app.graph.fit());
        await shot(page, 'survivors-light-expanded');
    });
    await check('search by label and by type', async () => {
        await page.evaluate(() => window.exitscope.setSearch('type:list'));
        eq(await page.evaluate(() => window.exitscope.view().matches.length), 1, 'type:list');
        await page.evaluate(() => window.exitscope.setSearch('item'));
        const n = await page.evaluate(() => window.exitscope.view().allMatches.length);
        assert(n >= 40, `item matches ${n}`);
        assert((await page.evaluate(() => window.exitscope.cy().nodes('.match').length)) >= 40, 'highlighted matches');
        await page.evaluate(() => window.exitscope.setSearch(''));
    });
    await check('Enter right after typing a search selects the first match (no stale matches)', async () => {
        // Typing and Enter within one frame: the pending render must be flushed before matching.
        await page.evaluate(() => {
            const input = document.getElementById('search');
            input.value = 'type:list';
            input.dispatchEvent(new Event('input'));
            input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        });
        // The first of all matches (alive now or not) is selected: a list, found by the new search.
        const type = await page.evaluate(() => {
            const app = window.exitscope.app;
            const v = app.model.byId.get(app.state.selected);
            return v === undefined ? null : app.model.nodes[v].type;
        });
        eq(type, 'list', 'selected type after Enter');
        await page.evaluate(() => window.exitscope.setSearch(''));
    });
    await check('filters: only cycles, only survivors, internals folded and shown', async () => {
        await page.evaluate(() => window.exitscope.setFilter('onlyCycles', true));
        let ids = await page.evaluate(() => window.exitscope.view().nodes.filter((n) => n.v >= 0).map((n) => n.id));
        const b = r.objects.find((o) => o.type === 'Node' && o.label !== 'a' && o.allocLine === 13);
        eq(ids.sort(), [`n${a.id}`, `n${b.id}`].sort(), 'only cycles');
        await page.evaluate(() => window.exitscope.setFilter('onlyCycles', false));
        let kinds = await page.evaluate(() => window.exitscope.view().nodes.map((n) => n.kind));
        assert(!kinds.includes('function'), `functions are folded by default: ${kinds}`);
        await page.evaluate(() => window.exitscope.setFilter('internals', true));
        kinds = await page.evaluate(() => window.exitscope.view().nodes.map((n) => n.kind));
        assert(kinds.includes('function') && kinds.includes('class'), `internals shown: ${kinds}`);
        await page.evaluate(() => window.exitscope.setFilter('internals', false));
        await page.evaluate(() => window.exitscope.select(null)); // a selection is always drawn
        await page.evaluate(() => window.exitscope.setFilter('onlySurvivors', true));
        // survivors, plus the roots and holders of the chains that keep them
        ids = await page.evaluate(() => {
            const m = window.exitscope.model();
            return window.exitscope.view().nodes.filter((n) => n.v >= 0 && !n.classes.includes('survivor') && !n.classes.includes('root') && !m.survivorChainNodes.has(n.v)).map((n) => n.id);
        });
        eq(ids, [], 'only survivors: non-survivors left');
        await page.evaluate(() => window.exitscope.setFilter('onlySurvivors', false));
    });
    await check('exports: PNG (base64) and SVG of the current view', async () => {
        const svg = await page.evaluate(() => window.exitscope.svg());
        assert(svg.startsWith('<svg') && svg.includes('[…') === false ? true : svg.startsWith('<svg'), 'svg');
        writeFileSync(join(out, 'survivors-export.svg'), svg);
        const png = await page.evaluate(() => window.exitscope.png());
        assert(png.length > 1000 && Buffer.from(png, 'base64').subarray(1, 4).toString() === 'PNG', 'png');
    });
    await check('view state survives a reload (step, selection, filters)', async () => {
        const t = Math.floor(r.graph.eventCount / 2);
        await page.evaluate((t) => window.exitscope.seek(t), t);
        await page.evaluate((id) => window.exitscope.app.selectObject(id), a.id);
        await page.evaluate(() => window.exitscope.setFilter('internals', true));
        // The page saves its state on a 250 ms timer: wait until the saved copy holds all three
        // (a fixed pause is not enough on a loaded machine).
        await page.waitForFunction(
            ([t, id]) => {
                const s = JSON.parse(sessionStorage.getItem('exitscope.viewState') || 'null');
                return s !== null && s.at === t && s.selected === id && s.filters.internals === true;
            },
            [t, a.id],
            { timeout: 10_000 },
        );
        await page.reload();
        await page.waitForFunction(() => window.exitscope && window.exitscope.view());
        eq(await page.evaluate(() => window.exitscope.time()), t, 'time after reload');
        eq(await page.evaluate(() => window.exitscope.state().selected), a.id, 'selection after reload');
        eq(await page.evaluate(() => window.exitscope.state().filters.internals), true, 'filter after reload');
        await page.evaluate(() => window.exitscope.setFilter('internals', false));
    });
    await check('no CSP violations, page errors or network requests', async () => eq(problems, [], 'problems'));
    await page.close();
}

// ------------------------------------------------------------------ themes
console.log('themes');
for (const theme of ['dark', 'high-contrast']) {
    const { page, problems } = await open(`survivors-${theme}`);
    await check(`${theme}: renders with theme colours and no errors`, async () => {
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert(bg !== 'rgb(255, 255, 255)', `background ${bg}`);
        await shot(page, `survivors-${theme}-exit`);
        eq(problems, [], 'problems');
    });
    await page.close();
}
{
    const { page } = await open('cycle-light');
    await check('restyles when the body theme class changes', async () => {
        await page.evaluate(() => window.exitscope.seek(70));
        const before = await page.evaluate(() => window.exitscope.cy().nodes()[0].style('color'));
        await page.evaluate(() => {
            document.body.className = 'vscode-dark';
        });
        await page.waitForTimeout(100);
        const after = await page.evaluate(() => window.exitscope.cy().nodes()[0].style('color'));
        assert(before !== after, `label colour unchanged: ${before}`);
        const r = reports.cycle;
        const a = r.objects.find((o) => o.type === 'Node');
        await page.evaluate((t) => window.exitscope.seek(t), a.death.at - 1);
        await page.evaluate(() => window.exitscope.app.graph.fit());
        await shot(page, 'cycle-dark-before-collect');
    });
    await page.close();
}
{
    const { page } = await open('loop-light');
    await check('loop: rebinding frees the previous object (refcount 0 after line N)', async () => {
        const r = reports.loop;
        const res = r.objects.filter((o) => o.type === 'Resource');
        const first = res[0];
        await page.evaluate((t) => window.exitscope.seek(t), first.death.at);
        const dying = await page.evaluate(() => window.exitscope.view().nodes.filter((n) => n.classes.includes('dying')).map((n) => n.reason));
        assert(dying.includes(`refcount 0 after line ${first.death.line}`), `dying ${dying}`);
        await page.evaluate(() => window.exitscope.app.graph.fit());
        await shot(page, 'loop-light-rebind');
    });
    await page.close();
}

// ------------------------------------------------------------------ a 400 px panel
console.log('narrow panel (400 px), phases, retainers');
/** Everything the panel must keep readable: no horizontal overflow, no clipped control, labels
 *  at 11 px or more, some of the program's objects inside the graph's visible area. */
async function readability(page) {
    return page.evaluate(() => {
        const x = window.exitscope;
        const cy = x.cy();
        const W = document.documentElement.clientWidth;
        const clipped = [...document.querySelectorAll('.toolbar button, .toolbar input, .phases button, .timeline button, .timeline select')]
            .filter((el) => el.offsetParent !== null)
            .map((el) => ({ id: el.id || el.textContent, r: el.getBoundingClientRect() }))
            .filter(({ r }) => r.left < 0 || r.right > W + 0.5)
            .map(({ id }) => id);
        const box = document.getElementById('cy').getBoundingClientRect();
        const inside = cy.nodes('.role-program, .aggregate').filter((n) => {
            const b = n.renderedBoundingBox();
            return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= box.width && b.y2 <= box.height;
        }).length;
        return { scrollWidth: document.documentElement.scrollWidth, W, clipped, labelPx: cy.zoom() * 12, inside, program: x.view().stats.program };
    });
}
for (const key of ['registry', 'cycle', 'survivors']) {
    const { page, problems } = await open(`${key}-light`, narrow);
    await check(`${key} at 400 px: no overflow, no clipped control, labels ≥ 11 px, objects in view`, async () => {
        await page.evaluate(() => window.exitscope.fit());
        const r = await readability(page);
        assert(r.scrollWidth <= r.W, `document ${r.scrollWidth} px wide in a ${r.W} px panel`);
        eq(r.clipped, [], 'clipped controls');
        assert(r.labelPx >= 11 - 1e-9, `labels ${r.labelPx} px at Fit`);
        assert(r.inside > 0, `no program object inside the viewport (${r.program} drawn)`);
        await shot(page, `${key}-400-opening`);
        // the menu opens inside the panel
        await page.click('#more');
        const m = await page.evaluate(() => document.getElementById('menu').getBoundingClientRect().toJSON());
        assert(m.left >= 0 && m.right <= 400.5, `menu ${JSON.stringify(m)}`);
        await shot(page, `${key}-400-menu`);
        await page.keyboard.press('Escape');
        eq(problems, [], 'problems');
    });
    await page.close();
}
{
    const { page } = await open('registry-light', narrow);
    const r = reports.registry;
    await check('the phase strip steps through shutdown: each chip shows what its phase freed fading out', async () => {
        const ms = await page.evaluate(() => window.exitscope.moments());
        eq(ms[0].chip, 'program end', 'first chip');
        eq(await page.evaluate(() => window.exitscope.time()), ms[0].at, 'opens on the program end');
        const teardown = ms.findIndex((m) => m.freed > 0);
        assert(teardown > 0, `a chip frees something: ${JSON.stringify(ms)}`);
        await page.click(`.phases .chip >> nth=${teardown}`);
        eq(await page.evaluate(() => window.exitscope.time()), ms[teardown].at, 'time after the chip');
        eq(await page.evaluate(() => document.querySelector('.phases .chip[aria-pressed=true]').textContent), ms[teardown].chip + (ms[teardown].freed ? `−${ms[teardown].freed}` : ''), 'pressed chip');
        const dying = await page.evaluate(() => window.exitscope.view().nodes.filter((n) => n.classes.includes('dying')).length);
        eq(dying, ms[teardown].freed, 'dying nodes');
        await shot(page, 'registry-400-teardown');
        await page.focus('#cy');
        await page.keyboard.press('PageUp');
        eq(await page.evaluate(() => window.exitscope.time()), ms[teardown - 1].at, 'PageUp: the previous chip');
    });
    await check('selecting an object shows its shortest chain (highlighted) and its retainers, with the line of each reference', async () => {
        const p0 = r.objects.find((o) => o.label === 'Plugin.registry[0]');
        await page.evaluate((id) => window.exitscope.select(id), p0.id);
        const d = await page.evaluate(() => ({ text: document.getElementById('details').innerText, hidden: document.getElementById('details').hidden, path: window.exitscope.cy().edges('.on-path').map((e) => e.data('label')) }));
        assert(!d.hidden, 'details shown');
        for (const s of ['Held by', '—Plugin→', '—registry→', '—[0]→', 'Retainers', 'line ']) assert(d.text.includes(s), `${s} not in ${d.text}`);
        eq(d.path.sort(), ['Plugin', '[0]', 'registry'].sort(), 'highlighted chain');
        await shot(page, 'registry-400-retainers');
        await page.click('#details button.link >> text=/^line \\d+$/');
        const sent = await page.evaluate(() => window.exitscope.app.host.sent.filter((m) => m.type === 'revealLine').pop());
        assert(sent && sent.line > 0, 'a line button reveals the line');
    });
    await check('keyboard: ↓ selects the next object and announces it', async () => {
        await page.focus('#cy');
        await page.keyboard.press('Escape');
        await page.keyboard.press('ArrowDown');
        const sel = await page.evaluate(() => window.exitscope.state().selected);
        assert(sel !== null, 'something selected');
        const said = await page.evaluate(() => document.getElementById('announce').textContent);
        assert(/^Selected /.test(said), `announced ${said}`);
    });
    await page.close();
}
{
    const { page } = await open('cycle-light');
    await check('after exit nothing is left: the canvas says so and offers the nearest moment with objects', async () => {
        await page.keyboard.press('End');
        await page.focus('#cy');
        await page.keyboard.press('End');
        const e = await page.evaluate(() => ({ hidden: document.getElementById('empty').hidden, text: document.getElementById('empty').innerText }));
        assert(!e.hidden && /Nothing the program made is alive/.test(e.text), `empty: ${JSON.stringify(e)}`);
        await shot(page, 'cycle-light-empty-after-exit');
        await page.click('#nearest');
        const after = await page.evaluate(() => ({ program: window.exitscope.view().stats.program, hidden: document.getElementById('empty').hidden }));
        assert(after.program > 0 && after.hidden, `after the button: ${JSON.stringify(after)}`);
    });
    await page.close();
}
{
    // Red-team X3: the standalone page takes a report only from its own window.
    const { page } = await open('cycle-light');
    await check('a report posted from another window (an iframe) is ignored; the page’s own is taken', async () => {
        const spoof = { ...reports.loop, file: 'SPOOFED.pyscn' };
        const count = () => page.evaluate(() => window.exitscope.view().nodes.length);
        const before = await count();
        const msg = { type: 'report', uri: 'x', fileName: 'SPOOFED.pyscn', version: 1, report: spoof, preserveView: false };
        await page.evaluate(() => {
            const f = document.createElement('iframe');
            f.srcdoc = '';
            document.body.append(f);
        });
        await page.waitForFunction(() => document.querySelector('iframe')?.contentDocument?.readyState === 'complete');
        // A script of the iframe's own posts to the page (event.source is the iframe's window).
        const frame = page.frames().find((f) => f !== page.mainFrame());
        await frame.evaluate((m) => parent.postMessage(m, '*'), msg);
        await page.waitForTimeout(1500);
        assert(!(await page.evaluate(() => document.body.innerText)).includes('SPOOFED'), 'the spoofed report is shown');
        eq(await count(), before, 'nodes after the spoof');
        // The control: the same message from the page itself replaces the report.
        await page.evaluate((m) => window.postMessage(m, '*'), msg);
        await page.waitForFunction((n) => document.body.innerText.includes('SPOOFED') || window.exitscope.view().nodes.length !== n, before, { timeout: 10000 });
    });
    await page.close();
}
{
    // two panes of 500 px: each lays out top to bottom, as beside an editor
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 860 } })).newPage();
    const problems = [];
    page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`file://${pages.compare}`);
    await page.waitForFunction(() => window.exitscopePanes && window.exitscopePanes.length === 2 && window.exitscopePanes.every((p) => p.view() && p.view().nodes));
    const label = (pane, id) => page.evaluate(([p, i]) => window.exitscopePanes[p].model().nodes.find((n) => n.id === i)?.label, [pane, id]);
    const byLabel = (pane, l) => page.evaluate(([p, x]) => window.exitscopePanes[p].model().nodes.find((n) => n.label === x)?.id, [pane, l]);
    await check('side-by-side page: both profiles drawn, each pane outlines the objects that fare otherwise in the other', async () => {
        const titles = await page.evaluate(() => [...document.querySelectorAll('.compare-title')].map((e) => e.textContent));
        eq(titles, ['Python 3.13', 'Python 2.7'], 'pane titles');
        // both open on the end of the program: after its last line, `print('end of script')` (2.7's
        // last object event is in __init__), read from the example so that its comments may grow
        const lastLine = readFileSync(join(root, 'examples/09-registry-on-class.pyscn'), 'utf8').split('\n').findIndex((l) => l.startsWith("print('end of script')")) + 1;
        const readouts = await page.evaluate(() => [...document.querySelectorAll('.compare-pane .readout')].map((e) => e.textContent.split(' · ')[0]));
        eq(readouts, [`end of the program (line ${lastLine})`, `end of the program (line ${lastLine})`], 'readouts');
        const c = await page.evaluate(() => JSON.parse(document.getElementById('exitscope-comparison').textContent));
        const outlined = await page.evaluate(() => window.exitscopePanes.map((p) => p.cy().nodes('.differs').length));
        assert(outlined[0] > 0 && outlined[1] > 0, `outlined: ${outlined}`);
        // The fates in each report decide what is outlined: a survivor on 2.7 whose match on 3.13 is freed.
        const a = await byLabel(0, 'Plugin.registry[0]');
        const b = await byLabel(1, 'Plugin.registry[0]');
        eq(c.pairs.find(([x]) => x === a)?.[1], b, 'the registry entry is matched across the panes');
        const fates = [reports.registry.objects.find((o) => o.id === a).fate, reports['registry-2.7'].objects.find((o) => o.id === b).fate];
        assert(fates[0] !== fates[1], `fates ${fates}`);
        eq(c.bDiffers.find((d) => d.id === b)?.otherFate, fates[0], 'the 2.7 pane is told the 3.13 fate');
        const legends = await page.evaluate(() => [...document.querySelectorAll('.differs-item')].map((e) => e.textContent));
        eq(legends, [`≠ ${c.aDiffers.length} fare${c.aDiffers.length === 1 ? 's' : ''} otherwise on 2.7`, `≠ ${c.bDiffers.length} fare${c.bDiffers.length === 1 ? 's' : ''} otherwise on 3.13`], 'legends');
        // the fate line a comparison adds is laid out: no two nodes overlap in either pane
        const overlaps = await page.evaluate(() => window.exitscopePanes.map((p) => {
            const bbs = p.cy().nodes().filter((n) => !n.isParent()).map((n) => [n.data('label').split('\n')[0], n.boundingBox({ includeLabels: false, includeOverlays: false })]);
            const out = [];
            for (let i = 0; i < bbs.length; i++) for (let j = i + 1; j < bbs.length; j++) {
                const [a, b] = [bbs[i][1], bbs[j][1]];
                if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push(`${bbs[i][0]} / ${bbs[j][0]}`);
            }
            return out;
        }));
        eq(overlaps, [[], []], 'overlapping nodes');
        const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
        eq(ids.filter((x, i) => ids.indexOf(x) !== i), [], 'duplicate ids');
    });
    await check('side-by-side page: selecting an object or a phase in one pane shows the match and the phase in the other', async () => {
        const a = await byLabel(0, 'Plugin.registry[0]');
        await page.evaluate((id) => window.exitscopePanes[0].tap(`n${id}`), a);
        await page.waitForFunction(() => window.exitscopePanes[1].state().selected !== null);
        eq(await label(1, await page.evaluate(() => window.exitscopePanes[1].state().selected)), 'Plugin.registry[0]', 'followed in the 2.7 pane');
        // ...and in view there, once its details have narrowed the graph and the layout has turned
        await page.waitForTimeout(600);
        const inView = await page.evaluate(() => {
            const p = window.exitscopePanes[1];
            const bb = p.cy().nodes(':selected').renderedBoundingBox();
            const [cx, cy] = [(bb.x1 + bb.x2) / 2, (bb.y1 + bb.y2) / 2];
            return cx >= 0 && cy >= 0 && cx <= p.cy().width() && cy <= p.cy().height() ? true : JSON.stringify(bb);
        });
        eq(inView, true, 'the followed object is in view in the 2.7 pane (its centre)');
        const note = await page.evaluate(() => [...document.querySelectorAll('.details .differs-note')].map((e) => e.textContent));
        assert(note.some((n) => /^On Python 3\.13: /.test(n)), `notes: ${note}`);
        await shot(page, 'compare-side-by-side');
        // the last phase chip of the 3.13 pane, clicked: the 2.7 pane moves to the same phase
        const last = await page.evaluate(() => window.exitscopePanes[0].moments().at(-1));
        await page.locator('.compare-pane').nth(0).locator('.phases button').last().click();
        await page.waitForFunction((at) => window.exitscopePanes[0].time() === at, last.at);
        const other = await page.evaluate((ph) => window.exitscopePanes[1].moments().find((m) => m.phase === ph), last.phase);
        assert(other, `2.7 has a ${last.phase} moment`);
        await page.waitForFunction((at) => window.exitscopePanes[1].time() === at, other.at);
        // keys go to the pane last pointed at, not to both
        const t = await page.evaluate(() => window.exitscopePanes.map((p) => p.time()));
        await page.locator('.compare-pane').nth(1).locator('.readout').click();
        await page.keyboard.press('Home');
        await page.waitForTimeout(200);
        const t2 = await page.evaluate(() => window.exitscopePanes.map((p) => p.time()));
        eq(t2[0], t[0], 'the 3.13 pane did not take the 2.7 pane\'s key');
        assert(t2[1] !== t[1], `the 2.7 pane took its key: ${t} -> ${t2}`);
        eq(problems, [], 'problems');
    });
    await page.close();
}
{
    const { page, problems } = await open('big-light', narrow);
    await check('2,000 objects: one node per allocation site, readable at Fit, a site expands on click', async () => {
        const r = await readability(page);
        const agg = await page.evaluate(() => window.exitscope.cy().nodes('.aggregate').map((n) => n.data('label').split('\n')[0]));
        assert(agg.includes('660 × Node') && agg.includes('660 × dict'), `aggregates ${agg}`);
        assert(r.scrollWidth <= r.W && r.labelPx >= 11 - 1e-9 && r.inside > 0, JSON.stringify(r));
        await shot(page, 'big-400-opening');
        const node = await page.evaluate(() => window.exitscope.cy().nodes('.aggregate').filter((n) => n.data('label').startsWith('660 × Node'))[0].id());
        await page.evaluate((id) => window.exitscope.tap(id), node);
        const drawn = await page.evaluate(() => window.exitscope.cy().nodes().filter((n) => n.data('label').includes('Node #')).length);
        assert(drawn >= 8, `expanded: ${drawn} Node objects drawn`);
        eq(problems, [], 'problems');
    });
    await page.close();
}

await browser.close();
console.log(`\n${passed} passed, ${failed} failed`);
if (failed) {
    console.log(`failed: ${failures.join('; ')}`);
    process.exit(1);
}
