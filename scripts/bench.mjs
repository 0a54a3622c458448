#!/usr/bin/env node
// `npm run bench`: wall time of `exitscope run` and `exitscope report` against real CPython on the
// churn scenario, as ratios, and the report's peak memory, each with its target (issue 17) and a
// PASS/FAIL word. Reports the best of N runs for each side (the machine may be busy); python3.13
// is looked up under ~/.pyenv/versions/3.13.*, then on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scenario = join(root, 'scripts/bench/churn.pyscn');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function findPython() {
    const base = join(process.env.EXITSCOPE_PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
    if (existsSync(base)) {
        const v = readdirSync(base).filter((d) => d.startsWith('3.13')).sort().pop();
        if (v) return join(base, v, 'bin/python');
    }
    // A python3.13 on PATH counts only if it really runs (pyenv shims may not).
    const probe = spawnSync('python3.13', ['-S', '-c', 'pass']);
    return probe.status === 0 ? 'python3.13' : null;
}

const maxRssFile = join(tmpdir(), `exitscope-bench-maxrss-${process.pid}`);
const withMaxRss = (args) => ['--require', join(root, 'scripts/bench/maxrss.cjs'), ...args];

/** Best wall time of RUNS runs, the last run's stdout, and the highest peak memory seen (bytes; node commands only). */
function best(cmd, args, env) {
    let bestMs = Infinity;
    let out = null;
    let peak = 0;
    for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, EXITSCOPE_MAXRSS_FILE: maxRssFile, ...env }, maxBuffer: 1 << 26 });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
        out = r.stdout;
        bestMs = Math.min(bestMs, ms);
        if (existsSync(maxRssFile)) {
            peak = Math.max(peak, Number(readFileSync(maxRssFile, 'utf8')));
            rmSync(maxRssFile);
        }
    }
    return { ms: bestMs, out, peak };
}

/** `  NAME: VALUE (target: at most LIMIT): PASS|FAIL` */
function verdict(name, value, limit, unit) {
    const ok = value <= limit;
    console.log(`${name}: ${value.toFixed(2)}${unit} (target: at most ${limit}${unit}): ${ok ? 'PASS' : 'FAIL'}`);
    return ok;
}
const mb = (bytes) => bytes / 2 ** 20;

const engine = best(process.execPath, withMaxRss([join(root, 'dist/cli.js'), 'run', scenario]), {});
console.log(`exitscope run churn.pyscn: ${engine.ms.toFixed(0)} ms (best of ${RUNS})`);
const py = findPython();
if (!py) {
    console.log('python3.13 not found: ratio not measured');
    process.exit(0);
}
const cpython = best(py, ['-S', scenario], { PYTHONHASHSEED: '0' });
console.log(`python3.13 -S churn.pyscn:      ${cpython.ms.toFixed(0)} ms (best of ${RUNS})`);
if (cpython.out !== engine.out) console.log(`WARNING: outputs differ\n  engine: ${JSON.stringify(engine.out)}\n  python: ${JSON.stringify(cpython.out)}`);
verdict('ratio (run / CPython)', engine.ms / cpython.ms, 3, 'x');

// `exitscope report` on the same churn scenario (issue 4: within 10x of CPython's run time). The
// default format (text: summary and findings) is the command the target is about; JSON writes
// every object's record (hundreds of megabytes for this run) and is shown for information.
const report = best(process.execPath, withMaxRss([join(root, 'dist/cli.js'), 'report', scenario, '-o', '/dev/null']), {});
console.log(`exitscope report churn.pyscn:    ${report.ms.toFixed(0)} ms (best of ${RUNS})`);
verdict('ratio (report / CPython run)', report.ms / cpython.ms, 10, 'x');
verdict('report peak memory', mb(report.peak), 1024, ' MB');
// Where the report's time goes (one more run, EXITSCOPE_TIMING=1 prints each stage on stderr).
const split = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'report', scenario, '-o', '/dev/null'], { encoding: 'utf8', env: { ...process.env, EXITSCOPE_TIMING: '1' } });
console.log(`  stages: ${split.stderr.trim().split('\n').map((l) => l.replace(/^exitscope: /, '')).join(', ')}`);
const json = best(process.execPath, withMaxRss([join(root, 'dist/cli.js'), 'report', scenario, '--format', 'json', '-o', '/dev/null']), {});
console.log(`exitscope report --format json:  ${json.ms.toFixed(0)} ms (best of ${RUNS}; every object's record), peak memory ${mb(json.peak).toFixed(0)} MB`);
console.log(`ratio (json report / CPython): ${(json.ms / cpython.ms).toFixed(2)}x`);
