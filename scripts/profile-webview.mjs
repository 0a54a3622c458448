#!/usr/bin/env node
// The heap graph's first paint measured by what load hardly changes: the renderer main thread's
// CPU time from navigation to the panel's first paint (the thread durations of its top-level
// tasks in a Chromium trace, up to the `exitscope-first-paint` mark webview/app.ts sets), with
// the wall time beside it. Pages are loaded in interleaved rounds, so two builds compared on a
// busy machine share its load; medians are printed.
//
//   node scripts/bench-webview.mjs            (writes test-results/webview/bench/*.html)
//   node scripts/profile-webview.mjs [--runs 5] PAGE.html [OTHER.html …]
//
// A page of another commit: build it there (its bench writes its own pages) and pass both; the
// mark exists since 8c99f08 (an older page never reports a first paint here).
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } });
if (!positionals.length) {
    console.error('usage: node scripts/profile-webview.mjs [--runs N] PAGE.html [OTHER.html …]');
    process.exit(2);
}
const pages = positionals.map((p) => resolve(p));
const traceFile = join(tmpdir(), `exitscope-webview-trace-${process.pid}.json`);
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const results = new Map(pages.map((p) => [p, { cpu: [], wall: [] }]));
for (let round = 0; round < Number(values.runs); round++) {
    for (const file of pages) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
        await browser.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'toplevel', 'blink.user_timing', 'loading'] });
        await page.goto(`file://${file}`);
        await page.waitForFunction(() => window.exitscope && window.exitscope.perf().firstPaintAt > 0, null, { timeout: 120_000 });
        const wall = await page.evaluate(() => window.exitscope.perf().firstPaintAt);
        await browser.stopTracing();
        await page.close();
        const trace = JSON.parse(readFileSync(traceFile, 'utf8'));
        const events = trace.traceEvents ?? trace;
        const mark = events.find((e) => e.name === 'exitscope-first-paint');
        const parse = mark && events.find((e) => e.pid === mark.pid && e.name === 'ParseHTML');
        if (!mark || !parse) throw new Error(`${file}: no first-paint mark or HTML parsing in the trace`);
        // Top-level tasks of the renderer's main thread (nested ones are inside them).
        const tasks = events.filter((e) => e.pid === mark.pid && e.tid === parse.tid && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')).sort((a, b) => a.ts - b.ts);
        const start = events.find((e) => e.pid === mark.pid && e.name === 'navigationStart')?.ts ?? tasks[0].ts;
        let cpu = 0;
        let end = -Infinity;
        for (const t of tasks) {
            if (t.ts > mark.ts) break;
            if (t.ts < end || t.ts + t.dur < start) continue;
            end = t.ts + t.dur;
            cpu += (t.tdur ?? t.dur) / 1000;
        }
        results.get(file).cpu.push(Math.round(cpu));
        results.get(file).wall.push(Math.round(wall));
    }
}
await browser.close();
rmSync(traceFile, { force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log('page                                      main-thread CPU to first paint (median)   first paint (median)');
for (const [file, r] of results) {
    console.log(`${file.length > 40 ? `…${file.slice(-39)}` : file.padEnd(40)}  ${String(median(r.cpu)).padStart(6)} ms ${JSON.stringify(r.cpu).padEnd(26)}  ${String(median(r.wall)).padStart(6)} ms ${JSON.stringify(r.wall)}`);
}
