// Heap graph webview benchmark, measured in headless Chromium (playwright-core).
//
//   node scripts/bench-webview.mjs
//
//   heap-200   a tree of 200 objects, small cycles: first paint, pan/zoom, scrub
//   heap-2k    the same with 2,000 objects (drawn one node per allocation site): first paint ≤ 1 s
//   heap-20k   20,000 objects in containers and cycles: first paint and scrub, by site
//   steps-100k a loop of 100,000 steps allocating and freeing: scrub (random seeks) latency
//
// Times are wall-clock in this machine's Chromium (software rendering, --disable-gpu).

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test-results', 'webview', 'bench');
mkdirSync(out, { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
await esbuild.build({ entryPoints: [join(root, 'test/webview/gen-report.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: join(out, '.gen.cjs'), logLevel: 'warning' });
const gen = createRequire(import.meta.url)(join(out, '.gen.cjs'));

const tree = (n) => `
class Tree:
    def __init__(self, i):
        self.i = i
        self.left = None
        self.right = None
        self.buddy = None


nodes = [Tree(0)]
root = nodes[0]
for i in range(1, ${n}):
    t = Tree(i)
    parent = nodes[(i - 1) // 2]
    if i % 2 == 1:
        parent.left = t
    else:
        parent.right = t
    if i % 10 == 0:
        t.buddy = parent
        parent.buddy = t
    nodes.append(t)
nodes = None
import os
os._exit(0)
`;

const SCENARIOS = {
    'heap-200': tree(200),
    'heap-2k': tree(2000),
    'steps-100k': `
class Box:
    pass


keep = []
for i in range(50000):
    x = [i]
    if i % 1000 == 0:
        keep.append(x)
`,
    'heap-20k': `
class Item:
    def __init__(self, i):
        self.i = i
        self.peer = None


groups = {}
for g in range(20):
    items = []
    for i in range(1000):
        items.append(Item(i))
    items[0].peer = items[1]
    items[1].peer = items[0]
    groups[g] = items
import os
os._exit(0)
`,
};

const results = {};
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});

for (const [name, src] of Object.entries(SCENARIOS)) {
    const t0 = Date.now();
    const report = gen.reportFor(src, `${name}.pyscn`, 5_000_000);
    const buildMs = Date.now() - t0;
    if (report.errors.length) throw new Error(`${name}: ${JSON.stringify(report.errors)}`);
    const file = join(out, `${name}.html`);
    writeFileSync(file, gen.pageFor(report, root, 'light'));
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => window.exitscope && window.exitscope.perf().firstPaintAt > 0, null, { timeout: 120_000 });
    const r = await page.evaluate(() => {
        const x = window.exitscope;
        const v = x.view();
        return { perf: x.perf(), stats: v.stats, drawn: x.cy().nodes().length, edges: x.cy().edges().length, events: x.model().eventCount, nodesEver: x.model().nodes.length };
    });
    const res = {
        reportBuildMs: buildMs,
        objects: report.objects.length,
        nodesEverAlive: r.nodesEver,
        events: r.events,
        steps: report.summary.steps,
        firstPaintMs: Math.round(r.perf.firstPaintAt),
        layoutMs: Math.round(r.perf.layout),
        viewMs: Math.round(r.perf.view * 10) / 10,
        syncMs: Math.round(r.perf.sync * 10) / 10,
        liveAtEnd: r.stats.live,
        drawnNodes: r.drawn,
        drawnEdges: r.edges,
        summarized: r.stats.summarized,
        truncated: r.stats.truncated,
    };
    // Pan and zoom: 90 animation frames of panning and zooming, frame times measured.
    res.panZoom = await page.evaluate(
        () =>
            new Promise((done) => {
                const cy = window.exitscope.cy();
                cy.fit();
                const times = [];
                let last = performance.now();
                let i = 0;
                const frame = () => {
                    const now = performance.now();
                    times.push(now - last);
                    last = now;
                    if (i < 45) cy.panBy({ x: 6, y: 3 });
                    else cy.zoom({ level: cy.zoom() * (i < 68 ? 1.03 : 0.97), renderedPosition: { x: 600, y: 400 } });
                    if (++i < 90) requestAnimationFrame(frame);
                    else {
                        times.shift();
                        times.sort((a, b) => a - b);
                        done({ frames: times.length, medianMs: Math.round(times[times.length >> 1] * 10) / 10, p95Ms: Math.round(times[Math.floor(times.length * 0.95)] * 10) / 10, maxMs: Math.round(times[times.length - 1] * 10) / 10 });
                    }
                };
                requestAnimationFrame(frame);
            }),
    );
    // Scrub: 200 random seeks (each: seek + view + cytoscape sync), then 200 single steps.
    res.scrub = await page.evaluate(() => {
        const x = window.exitscope;
        const n = x.model().eventCount;
        let seed = 42;
        const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
        const seekTimes = [];
        const viewTimes = [];
        const syncTimes = [];
        for (let k = 0; k < 200; k++) {
            const t0 = performance.now();
            x.seek(rnd());
            seekTimes.push(performance.now() - t0);
            viewTimes.push(x.perf().view);
            syncTimes.push(x.perf().sync);
        }
        const stepTimes = [];
        x.seek(Math.floor(n / 2));
        for (let k = 0; k < 200; k++) {
            const t0 = performance.now();
            x.seek(x.timeline().nextStop(x.time()));
            stepTimes.push(performance.now() - t0);
        }
        const stat = (a) => {
            a.sort((p, q) => p - q);
            return { medianMs: Math.round(a[a.length >> 1] * 10) / 10, p95Ms: Math.round(a[Math.floor(a.length * 0.95)] * 10) / 10, maxMs: Math.round(a[a.length - 1] * 10) / 10 };
        };
        return { randomSeek: stat(seekTimes), randomSeekView: stat(viewTimes), randomSeekSync: stat(syncTimes), step: stat(stepTimes), checkpointEvery: x.timeline().K };
    });
    res.errors = errors;
    await page.screenshot({ path: join(out, `${name}.png`) });
    results[name] = res;
    console.log(name, JSON.stringify(res, null, 1));
    await page.close();
}
await browser.close();
writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log('\nscenario      objects  first paint  scrub (random seek) median / p95   step median');
for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(12)} ${String(r.objects).padStart(8)} ${String(r.firstPaintMs).padStart(9)} ms   ${String(r.scrub.randomSeek.medianMs).padStart(8)} / ${r.scrub.randomSeek.p95Ms} ms${' '.repeat(14)}${r.scrub.step.medianMs} ms`);
}
const ok = results['heap-2k'].firstPaintMs <= 1000;
console.log(`\nheap graph first paint, 2,000 objects: ${results['heap-2k'].firstPaintMs} ms (target: at most 1000 ms): ${ok ? 'PASS' : 'FAIL'}`);
