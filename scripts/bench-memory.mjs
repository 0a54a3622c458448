#!/usr/bin/env node
// bench-memory.mjs — how close the pymalloc model (src/report/beyond.ts, memory section) comes to
// real CPython's sys._debugmallocstats() at the end of a scenario's main module.
//
//   node scripts/bench-memory.mjs [--json]
//
// For each scenario below and each CPython 3.x profile with a pyenv interpreter, runs
// `python -S` on a copy of the scenario with `sys._debugmallocstats()` appended (stderr:
// "# arenas allocated current", and the pools per size class), and compares with the model at
// the end of the 'running' phase: arenas = start-up arenas (measured per version, profiles.ts)
// plus the arenas the model holds, pools = start-up pools + the model's pools in use.
// Not modelled (the main sources of difference): list item arrays and dict key tables (separate
// pymalloc blocks), dicts' size growing with their keys, and the interpreter's own allocations.
// Prints one line per case and the mean absolute difference (the figure `npm run bench` shows).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const tmp = mkdtempSync(join(tmpdir(), 'exitscope-mem-'));

// Bundle the engine + report once (esbuild is a devDependency).
const bundle = join(tmp, 'engine.cjs');
const entry = join(tmp, 'entry.ts');
writeFileSync(entry, `export { simulate } from ${JSON.stringify(join(root, 'src/engine/index'))};\nexport { buildReport } from ${JSON.stringify(join(root, 'src/report/report'))};\nexport { PROFILES } from ${JSON.stringify(join(root, 'src/engine/profiles'))};\n`);
const esb = spawnSync(join(root, 'node_modules/.bin/esbuild'), [entry, '--bundle', '--platform=node', '--format=cjs', `--outfile=${bundle}`, '--log-level=warning'], { encoding: 'utf8' });
if (esb.status !== 0) {
    console.error(esb.stderr);
    process.exit(2);
}
const { simulate, buildReport, PROFILES } = createRequire(import.meta.url)(bundle);

const SCENARIOS = {
    'empty': 'pass\n',
    'keep-1-in-1000': 'class C(object):\n    pass\nxs = [C() for i in range(20000)]\nkeep = xs[::1000]\nxs = None\n',
    'free-all': 'class C(object):\n    pass\nxs = [C() for i in range(20000)]\nxs = None\n',
    'dicts-and-lists': 'data = [{"k": [i]} for i in range(5000)]\n',
    'live-instances': 'class P(object):\n    def __init__(self, x):\n        self.x = x\nps = [P(i) for i in range(10000)]\n',
};
const VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

function interpreter(v) {
    const dir = join(homedir(), '.pyenv/versions');
    if (!existsSync(dir)) return null;
    const names = readdirSync(dir).filter((n) => n.startsWith(v + '.') && /^\d+\.\d+\.\d+$/.test(n)).sort();
    const exe = names.length ? join(dir, names[names.length - 1], 'bin/python') : null;
    return exe && existsSync(exe) ? exe : null;
}

function real(exe, source) {
    const f = join(tmp, 'scenario.py');
    writeFileSync(f, source + '\nimport sys\nsys._debugmallocstats()\n');
    const r = spawnSync(exe, ['-S', f], { encoding: 'utf8', env: { PATH: process.env.PATH, PYTHONHASHSEED: '0' } });
    const t = r.stderr;
    const arenas = Number((/# arenas allocated current\s*=\s*([\d,]+)/.exec(t)?.[1] ?? 'NaN').replace(/,/g, ''));
    let pools = 0;
    for (const line of t.split('\n')) {
        const m = /^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
        if (m) pools += Number(m[3]);
    }
    return { arenas, pools };
}

function model(v, source) {
    const result = simulate(source, { python: v, keepEvents: true });
    const rep = buildReport(source, result, { graph: false });
    const m = rep.memory;
    const p = PROFILES[v].memory;
    const endRun = rep.timeline.find((s) => s.phase === 'running')?.endAt ?? Infinity;
    let i = m.series.at.length - 1;
    while (i > 0 && m.series.at[i] > endRun) i--;
    const pools = p.startupPools + m.series.pools[i];
    // The program's pools live in arenas of their own next to the start-up ones (pymalloc fills the
    // fullest usable arena first, so start-up arenas stay mostly full).
    const arenas = p.startupArenas + m.series.arenas[i];
    return { arenas, pools, liveBytes: m.series.liveBytes[i], heldBytes: m.series.heldBytes[i] };
}

const rows = [];
for (const v of VERSIONS) {
    const exe = interpreter(v);
    if (!exe) continue;
    for (const [name, src] of Object.entries(SCENARIOS)) {
        const r = real(exe, src);
        const m = model(v, src);
        rows.push({ version: v, scenario: name, realArenas: r.arenas, modelArenas: m.arenas, realPools: r.pools, modelPools: m.pools });
    }
}
if (!rows.length) {
    console.log('bench-memory: no pyenv CPython 3.x interpreters found; nothing to compare');
    process.exit(0);
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const arenaErr = mean(rows.map((r) => Math.abs(r.realArenas - r.modelArenas)));
const poolErr = mean(rows.map((r) => Math.abs(r.realPools - r.modelPools) / Math.max(1, r.realPools)));
if (json) console.log(JSON.stringify({ rows, meanAbsArenaDiff: arenaErr, meanRelPoolDiff: poolErr }, null, 2));
else {
    for (const r of rows) console.log(`${r.version.padEnd(5)} ${r.scenario.padEnd(16)} arenas real ${String(r.realArenas).padStart(3)} model ${String(r.modelArenas).padStart(3)}   pools real ${String(r.realPools).padStart(5)} model ${String(r.modelPools).padStart(5)}`);
    console.log(`memory model vs sys._debugmallocstats(): mean |arena difference| ${arenaErr.toFixed(2)}, mean pool difference ${(poolErr * 100).toFixed(1)}% (${rows.length} cases)`);
}
