#!/usr/bin/env node
// Where `exitscope run` / `exitscope report` spend their CPU and what they allocate, on the churn
// benchmark (or another scenario), measured in a way a loaded machine does not distort much:
// V8's sampling heap profiler (bytes allocated per function, objects that scavenges collected
// included: the same program allocates the same bytes whatever the load) or its CPU profiler
// (relative self time per function), plus the CPU time (user + system) of the simulations.
//
//   node scripts/profile-churn.mjs [--mode run|report] [--measure alloc|cpu|none] [--reps N]
//                                  [--root DIR] [--top N] [--out FILE] [FILE.pyscn]
//
// --mode run: the `exitscope run` path (no event log, no reference edges); report: a run with
// edges, buildReport and the text format, as `exitscope report` does. --root: the tree whose
// src/ is bundled (default: this one), so that a scratch copy of another commit can be measured
// by the same script (`git archive COMMIT | tar -x -C DIR`, with node_modules linked). --out
// writes the raw .cpuprofile / .heapprofile (for Chrome DevTools). Each profile runs in a worker
// with a 512 MB stack, as the CLI runs commands. Allocation figures by function are clearer with
// `node --no-turbo-inlining scripts/profile-churn.mjs ...` (inlined callees are otherwise counted
// in their callers).
import { createRequire } from 'node:module';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Session } from 'node:inspector';
import { bundleSources } from './bundle-sources.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');

if (isMainThread) {
    const args = process.argv.slice(2);
    const opt = (name, dflt) => {
        const i = args.indexOf(name);
        return i >= 0 ? args[i + 1] : dflt;
    };
    const file = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--'))).pop() ?? join(here, 'scripts/bench/churn.pyscn');
    const root = resolve(opt('--root', here));
    const bundle = join(tmpdir(), `profile-churn-${process.pid}.cjs`);
    bundleSources(root, `export { simulate } from './src/engine/index'; export { buildReport } from './src/report/report'; export { formatReport } from './src/report/formats/index';`, bundle);
    const data = { bundle, file, mode: opt('--mode', 'run'), measure: opt('--measure', 'alloc'), reps: Number(opt('--reps', '1')), top: Number(opt('--top', '30')), out: opt('--out', null) };
    const worker = new Worker(new URL(import.meta.url), { workerData: data, resourceLimits: { stackSizeMb: 512 } });
    worker.on('message', (m) => console.log(m));
    process.exitCode = await new Promise((done) => worker.on('exit', done));
    rmSync(bundle, { force: true });
} else {
    const { bundle, file, mode, measure, reps, top, out } = workerData;
    const E = createRequire(import.meta.url)(bundle);
    const source = readFileSync(file, 'utf8');
    const options = { python: '3.13', fileName: file.split('/').pop(), timeLimitMs: 600_000 };
    const once = () => {
        if (mode === 'run') return E.simulate(source, { ...options, recordEdges: false, keepEvents: false }).stdout;
        const full = E.simulate(source, { ...options, recordEdges: true });
        const text = E.formatReport(E.buildReport(source, full, { file: options.fileName, graph: false }), 'text', { color: false });
        return `${full.stdout}(text report: ${text.length} characters)`;
    };
    const session = new Session();
    session.connect();
    const post = (method, params = {}) => new Promise((ok, fail) => session.post(method, params, (e, r) => (e ? fail(e) : ok(r))));
    if (measure === 'cpu') {
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 200 });
        await post('Profiler.start');
    } else if (measure === 'alloc') {
        await post('HeapProfiler.enable');
        await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let stdout = '';
    for (let i = 0; i < reps; i++) stdout = once();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    parentPort.postMessage(`${mode} ×${reps}: wall ${wall.toFixed(0)} ms, CPU user ${(cpu.user / 1000).toFixed(0)} ms + system ${(cpu.system / 1000).toFixed(0)} ms; output ${JSON.stringify(stdout.slice(0, 100))}`);
    const where = (cf) => `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
    const table = (byKey, total, fmt) =>
        [...byKey]
            .sort((a, b) => b[1] - a[1])
            .slice(0, top)
            .map(([k, v]) => `${fmt(v, total).padStart(9)}  ${k}`)
            .join('\n');
    if (measure === 'cpu') {
        const { profile } = await post('Profiler.stop');
        if (out) writeFileSync(out, JSON.stringify(profile));
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        const self = new Map();
        let total = 0;
        for (let i = 0; i < profile.samples.length; i++) {
            const d = profile.timeDeltas[i] || 0;
            const k = where(byId.get(profile.samples[i]).callFrame);
            self.set(k, (self.get(k) ?? 0) + d);
            total += d;
        }
        parentPort.postMessage(`self time (share of the samples, the bundle's line numbers):\n${table(self, total, (v, t) => `${((100 * v) / t).toFixed(1)}%`)}`);
    } else if (measure === 'alloc') {
        const { profile } = await post('HeapProfiler.stopSampling');
        if (out) writeFileSync(out, JSON.stringify(profile));
        const self = new Map();
        let total = 0;
        const visit = (n) => {
            total += n.selfSize;
            const k = where(n.callFrame);
            self.set(k, (self.get(k) ?? 0) + n.selfSize);
            for (const c of n.children) visit(c);
        };
        visit(profile.head);
        const mb = (v) => `${(v / 2 ** 20).toFixed(1)} MB`;
        parentPort.postMessage(`allocated (sampled): ${mb(total)}, by allocating function:\n${table(self, total, mb)}`);
    }
}
