#!/usr/bin/env node
// Proof that a change did not alter behaviour: hashes every output the engine and the report
// produce over every scenario we have, so a speed change can be compared against the commit it
// started from (0 differences, or the list of what differs).
//
//   node scripts/hash-outputs.mjs [--root DIR] [--out FILE] [--shard I/N] [--no-churn]
//   node scripts/hash-outputs.mjs --compare A.json B.json
//
// --root is the tree whose src/ is bundled (default: this one), so a scratch worktree of the base
// commit can be hashed by the same script. For every conformance scenario, example, embedding
// scenario × every enabled profile, and every fuzz-sample program on its own profiles, it hashes:
//   run     stdout, stderr, exit code, errors and final files of a run without an event log
//           (the `exitscope run` path: CountingLog),
//   events  every column of the event log without reference edges, and with them,
//   report  text and SARIF (built without the graph, as the CLI does), JSON and DOT (with it),
//           for runs of at most REPORT_EVENTS events.
// The churn benchmark is hashed on 3.13 (run, events with edges, text report) unless --no-churn.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { Worker, isMainThread } from 'node:worker_threads';
import { bundleSources } from './bundle-sources.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
};

if (args[0] === '--compare') {
    const [a, b] = [JSON.parse(readFileSync(args[1], 'utf8')), JSON.parse(readFileSync(args[2], 'utf8'))];
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    let diffs = 0;
    for (const k of [...keys].sort()) {
        if (a[k] === b[k]) continue;
        diffs++;
        if (diffs <= 50) console.log(`differs: ${k}${a[k] === undefined ? ' (only in B)' : b[k] === undefined ? ' (only in A)' : ''}`);
    }
    console.log(`${keys.size} hashes compared, ${diffs} differences`);
    process.exit(diffs ? 1 : 0);
}

// Hashing runs in a worker with a large stack, as the CLI runs commands (src/cli/limits.ts): on
// the main thread's 1 MB stack, deep recursions (redteam/I2*, refcount/del_unraisable_*) and the
// churn benchmark's shutdown overflow it at a point that depends on the JIT's state, so their
// hashes differed from run to run of the same build.
if (isMainThread) {
    const worker = new Worker(new URL(import.meta.url), { argv: args, resourceLimits: { stackSizeMb: 512 } });
    process.exitCode = await new Promise((done) => worker.on('exit', done));
} else {
    await hashAll();
}

async function hashAll() {
const root = resolve(opt('--root', here));
const out = opt('--out', join(tmpdir(), `hash-outputs-${process.pid}.json`));
const [shard, shards] = (opt('--shard', '0/1')).split('/').map(Number);

// Bundle the engine and the report from the root's sources (esbuild from this tree's install).
const bundle = join(tmpdir(), `hash-outputs-bundle-${process.pid}.cjs`);
bundleSources(
    root,
    `
            export { simulate, ENABLED_PROFILES } from './src/engine/index';
            export { buildReport } from './src/report/report';
            export { formatReport } from './src/report/formats/index';
            export { jsonChunks } from './src/report/formats/json';`,
    bundle,
);
const E = createRequire(import.meta.url)(bundle);

function walk(dir) {
    let files = [];
    let entries;
    try {
        entries = readdirSync(dir).sort();
    } catch {
        return files;
    }
    for (const e of entries) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) files = files.concat(walk(p));
        else if (e.endsWith('.pyscn')) files.push(p);
    }
    return files;
}

const scenarios = ['test/conformance/scenarios', 'examples', 'test/embedding/scenarios', 'test/fuzz/sample', 'test/webview/scenarios', 'test/integration/workspace']
    .flatMap((d) => walk(join(root, d)));

const h = () => createHash('sha256');
const digest = (hash) => hash.digest('hex').slice(0, 24);
function hashEvents(ev) {
    const hash = h();
    for (const col of ['kind', 'step', 'line', 'col', 'a', 'b', 'sIdx']) hash.update(new Uint8Array(ev[col].buffer, ev[col].byteOffset, ev[col].byteLength));
    // String by string (a long run's table does not fit in one JSON string).
    for (const s of ev.strings) hash.update(`${s.length}:`).update(s);
    return digest(hash);
}
function hashRun(r) {
    const hash = h().update(`${r.stdout.length}:`).update(r.stdout).update(`${r.stderr.length}:`).update(r.stderr);
    hash.update(JSON.stringify([r.exitCode, r.errors, r.cycles?.map((c) => [c.runResult, c.endedProcess, c.stdout.length, c.stderr.length]) ?? null]));
    for (const f of r.files ?? []) {
        hash.update(JSON.stringify([f.path, f.kind, f.data?.length ?? -1]));
        if (f.data) hash.update(f.data);
    }
    return digest(hash);
}
const hashText = (s) => digest(h().update(s));

const result = {};
let n = 0;
const t0 = Date.now();
// Reports of runs larger than this many events (a 200,000-list trashcan scenario) are not built:
// their JSON with graph takes minutes and gigabytes per profile; their event logs are hashed.
const REPORT_EVENTS = 200_000;
function one(file, profile, fileName, source, extra = {}) {
    const key = `${relative(root, file)}@${profile}`;
    const base = { python: profile, fileName, timeLimitMs: 120_000, ...extra };
    try {
        result[`${key} run`] = hashRun(E.simulate(source, { ...base, recordEdges: false, keepEvents: false }));
        result[`${key} events`] = hashEvents(E.simulate(source, { ...base, recordEdges: false }).events);
        let full = E.simulate(source, { ...base, recordEdges: true });
        result[`${key} events+edges`] = hashEvents(full.events);
        if (full.events.kind.length > REPORT_EVENTS) {
            result[`${key} reports`] = `skipped: ${full.events.kind.length} events`;
            return;
        }
        let report = E.buildReport(source, full, { file: fileName, graph: false });
        result[`${key} text`] = hashText(E.formatReport(report, 'text', { color: false }));
        result[`${key} sarif`] = hashText(E.formatReport(report, 'sarif'));
        report = E.buildReport(source, full, { file: fileName, graph: true });
        full = null;
        const json = h();
        for (const chunk of E.jsonChunks(report)) json.update(chunk);
        result[`${key} json`] = digest(json);
        result[`${key} dot`] = hashText(E.formatReport(report, 'dot'));
    } catch (e) {
        result[`${key} crash`] = hashText(String(e && e.stack ? e.message : e));
    } finally {
        n++;
    }
}

// The fuzz sample's programs run on the profiles they were generated for (py2: 2.7; py3: the
// oldest and newest 3.x), the rest on every profile.
const profilesOf = (file) => (file.includes('/fuzz/sample/py2/') ? ['2.7'] : file.includes('/fuzz/sample/py3/') ? ['3.8', '3.13'] : E.ENABLED_PROFILES);
// A conformance scenario is hashed on the CPython versions it was recorded for (and PyPy/Jython):
// outside them it may be a program CPython could not run either (2.7's range(10**30) is a list).
function recordedOn(file, profile) {
    const rel = relative(join(root, 'test/conformance/scenarios'), file);
    if (rel.startsWith('..') || profile === 'pypy' || profile === 'jython') return true;
    try {
        return profile in JSON.parse(readFileSync(join(root, 'test/conformance/expected', `${rel}.json`), 'utf8')).results;
    } catch {
        return true;
    }
}
const todo = [];
for (const file of scenarios) for (const profile of profilesOf(file)) todo.push([file, profile]);
for (let i = shard; i < todo.length; i += shards) {
    const [file, profile] = todo[i];
    if (!recordedOn(file, profile)) {
        result[`${relative(root, file)}@${profile} skipped`] = 'not recorded on this version';
        continue;
    }
    const source = readFileSync(file, 'utf8');
    const fileName = relative(root, file);
    if (process.env.HASH_PROGRESS) process.stderr.write(`${fileName}@${profile} ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB\n`);
    // Embedding scenarios are also run as embedded processes (three cycles).
    one(file, profile, fileName, source);
    if (file.includes('test/embedding/')) one(file + '#embedded', profile, fileName, source, { embedded: 3 });
}
if (!args.includes('--no-churn') && shard === 0) {
    const churn = join(root, 'scripts/bench/churn.pyscn');
    const source = readFileSync(churn, 'utf8');
    const key = 'scripts/bench/churn.pyscn@3.13';
    const base = { python: '3.13', fileName: 'churn.pyscn', timeLimitMs: 600_000 };
    result[`${key} run`] = hashRun(E.simulate(source, { ...base, recordEdges: false, keepEvents: false }));
    const full = E.simulate(source, { ...base, recordEdges: true });
    result[`${key} events+edges`] = hashEvents(full.events);
    result[`${key} text`] = hashText(E.formatReport(E.buildReport(source, full, { file: 'churn.pyscn', graph: false }), 'text', { color: false }));
}
writeFileSync(out, JSON.stringify(result, null, 0));
console.log(`${n} runs (shard ${shard}/${shards}), ${Object.keys(result).length} hashes, ${((Date.now() - t0) / 1000).toFixed(0)} s -> ${out}`);
}
