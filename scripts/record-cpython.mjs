#!/usr/bin/env node
// Records what real CPython prints for each conformance scenario.
//
//   node scripts/record-cpython.mjs [--check] [--root DIR] [--no-fates | --fates-only] [paths or dirs...]
//
// Default input: every test/conformance/scenarios/**/*.pyscn.
// --root DIR: another set of recordings laid out the same way, DIR/scenarios/**/*.pyscn recorded
// into DIR/expected/ (the real-program corpus: `--root test/corpus --no-fates`).
// --no-fates: skip the instrumented fates run (only the conformance suite's fates test reads them).
// --fates-only: keep the stored recording (stdout, exit code, stderr, files) and record only the
//   fates again, each instrumented run checked against the stored stdout and exit code.
// For each scenario and each profile version it targets, runs
// `python -S <file>` (cwd = the scenario's folder, stdin from /dev/null,
// stdout/stderr piped, PYTHONUNBUFFERED unset, PYTHONDONTWRITEBYTECODE=1)
// once per PYTHONHASHSEED in 0, 1, 4242 (2.7: three times without it, see SEEDS_27). If stdout, stderr or the exit code
// differ between seeds the scenario is reported as nondeterministic and not
// written. Otherwise test/conformance/expected/<relative path>.json is written
// with stdout, the exit code and the whole of stderr (memory addresses masked
// as `0x…`: normaliseStderr), and for each CPython version the fates of the
// objects the scenario creates: an instrumented run (scripts/fates/) reports
// which statement, collection or shutdown step freed each one, or that none did.
//
// --check: re-run and compare with the stored JSON without writing; exits 1
// on any difference (the "live" check against the installed interpreters).
//
// Which versions a scenario targets: a `# versions: 3.8-3.13` or
// `# versions: 2.7 3.11 3.12` comment in the first 10 lines (ranges allowed).
// Default: 3.8-3.13, plus 2.7 when the file contains
// `from __future__ import print_function`.
//
// Interpreters: <pyenv root>/versions/<v>.* (highest patch release wins),
// pyenv root = $EXITSCOPE_PYENV_ROOT or ~/.pyenv.
//
// Files (Issue 13): a scenario that declares files (`# exitscope: file NAME "…"`) or may open,
// list or change any (annotations.ts usesFiles) runs in a fresh directory on tmpfs holding a copy
// of it and its declared files (scripts/scenario-dir.mjs), with the options of its
// `# exitscope: flags …` annotation; the directory's final contents are recorded as `files`
// (path → text, { base64 }, { dir: true }), and the directory's real path in stdout and stderr is
// replaced by the engine's /tmp/exitscope.
//
// Tracing-GC runtimes (Issue 8): a header may also name `pypy` and `jython`
// (never implied by ranges or the default). They run as `pypy3 -S` and
// `jython -S` found on PATH (Debian packages pypy3, jython); jython gets a
// longer timeout (the JVM is slow to start). Only scenarios written to be
// deterministic there belong to them (explicit gc.collect(), exit, atexit).

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_DIR, exitStatus, loadAnnotationParser, makeRunDir, normalisePaths, removeRunDir, snapshot, tmpfsRoot } from './scenario-dir.mjs';
import { recordFates } from './fates/record.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `let`: --root points both at another tree (see the header).
let SCENARIO_ROOT = path.join(REPO, 'test', 'conformance', 'scenarios');
let EXPECTED_ROOT = path.join(REPO, 'test', 'conformance', 'expected');

/** Profile versions, oldest first. */
export const PROFILES = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];
const DEFAULT_VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];
/** Other runtimes a header may name: profile -> executable on PATH. */
export const RUNTIMES = { pypy: 'pypy3', jython: 'jython' };
const RUNTIME_TIMEOUT_MS = { jython: 120_000 };
const SEEDS = ['0', '1', '4242'];
/** No PYTHONHASHSEED in the environment (see SEEDS_27). */
const DEFAULT_SEED = 'unset';
/**
 * Scenarios with threads run 5 times per seed: a schedule CPython does not print the same way
 * every time (preemption, who gets the GIL) is refused as nondeterministic, never recorded.
 */
const THREAD_REPEATS = 5;
const USES_THREADS = /^\s*(?:import|from)\s+(?:threading|_thread|thread|queue|Queue|concurrent)\b/m;
/**
 * Python 2.7 randomizes str hashes only when asked (`-R`, or PYTHONHASHSEED set to a number other
 * than 0): a user's run has the hash secret zero, so 2.7 runs three times without PYTHONHASHSEED
 * (what differs between them, an address-dependent order, is still refused).
 */
const SEEDS_27 = [DEFAULT_SEED, DEFAULT_SEED, DEFAULT_SEED];
function seedsFor(plan, version) {
    const seeds = version === '2.7' ? SEEDS_27 : SEEDS;
    return plan.threads ? seeds.flatMap((s) => new Array(THREAD_REPEATS).fill(s)) : seeds;
}
const POOL_SIZE = 4;
const TIMEOUT_MS = 20_000;
const MAX_OUTPUT = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Version header

/**
 * Versions a scenario targets, newest first.
 * @param {string} source
 * @returns {{ versions: string[], error?: string }}
 */
export function targetVersions(source) {
    const lines = source.split(/\r?\n/).slice(0, 10);
    for (const line of lines) {
        const m = /^\s*#\s*versions\s*:\s*(.*?)\s*$/.exec(line);
        if (!m) continue;
        const wanted = new Set();
        const tokens = m[1].replace(/\s*-\s*/g, '-').split(/[\s,]+/).filter(Boolean);
        if (tokens.length === 0) return { versions: [], error: 'empty "# versions:" header' };
        for (const tok of tokens) {
            const range = /^(\d+\.\d+)\s*-\s*(\d+\.\d+)$/.exec(tok);
            if (range) {
                const lo = PROFILES.indexOf(range[1]);
                const hi = PROFILES.indexOf(range[2]);
                if (lo < 0 || hi < 0 || lo > hi) return { versions: [], error: `bad version range "${tok}"` };
                for (let i = lo; i <= hi; i++) wanted.add(PROFILES[i]);
            } else if (PROFILES.includes(tok) || tok in RUNTIMES) {
                wanted.add(tok);
            } else {
                return { versions: [], error: `unknown version "${tok}" (profiles: ${PROFILES.join(' ')} ${Object.keys(RUNTIMES).join(' ')})` };
            }
        }
        return { versions: [...PROFILES.filter((v) => wanted.has(v)).reverse(), ...Object.keys(RUNTIMES).filter((r) => wanted.has(r))] };
    }
    const versions = [...DEFAULT_VERSIONS];
    if (/^\s*from\s+__future__\s+import\s+[^\n#]*\bprint_function\b/m.test(source)) versions.unshift('2.7');
    return { versions: versions.reverse() };
}

// ---------------------------------------------------------------------------
// Interpreters

function pyenvRoot() {
    return process.env.EXITSCOPE_PYENV_ROOT || path.join(os.homedir(), '.pyenv');
}

function comparePatch(a, b) {
    const pa = a.split('.').map((x) => parseInt(x, 10));
    const pb = b.split('.').map((x) => parseInt(x, 10));
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] || 0) - (pb[i] || 0);
        if (d !== 0) return d;
    }
    return 0;
}

/**
 * The pyenv CPython of each profile version (highest patch release).
 * @returns {Map<string, { exe: string, full: string }>} profile -> interpreter
 */
export function findCPythons() {
    const root = pyenvRoot();
    // Accept either a pyenv root (with versions/) or a directory of version folders.
    const dirs = [path.join(root, 'versions'), root];
    const found = new Map();
    for (const dir of dirs) {
        let names;
        try {
            names = fs.readdirSync(dir);
        } catch {
            continue;
        }
        for (const profile of PROFILES) {
            if (found.has(profile)) continue;
            const candidates = names
                .filter((n) => new RegExp(`^${profile.replace('.', '\\.')}\\.\\d+$`).test(n))
                .sort(comparePatch);
            for (let i = candidates.length - 1; i >= 0; i--) {
                const exe = path.join(dir, candidates[i], 'bin', 'python');
                if (fs.existsSync(exe)) {
                    found.set(profile, { exe, full: candidates[i] });
                    break;
                }
            }
        }
        if (found.size > 0) break;
    }
    return found;
}

/** @returns {Map<string, { exe: string, full: string }>} profile -> interpreter (CPythons, pypy3, jython) */
export function findInterpreters() {
    const found = findCPythons();
    // pypy3 / jython from PATH; `python` records the implementation and its version.
    for (const [profile, exe] of Object.entries(RUNTIMES)) {
        for (const dir of (process.env.PATH || '').split(path.delimiter)) {
            const full = path.join(dir, exe);
            if (!dir || !fs.existsSync(full)) continue;
            const v = spawnSync(full, ['--version'], { encoding: 'utf8', timeout: 120_000 });
            const text = `${v.stdout || ''}${v.stderr || ''}`;
            const m = profile === 'pypy' ? /PyPy (\d+\.\d+\.\d+)/.exec(text) : /Jython (\S+)/.exec(text);
            found.set(profile, { exe: full, full: `${profile} ${m ? m[1] : text.trim().split('\n')[0]}` });
            break;
        }
    }
    return found;
}

// ---------------------------------------------------------------------------
// Running

/** The environment a recording runs in (exported for scripts/record-chains.mjs). */
export function childEnv(seed) {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) {
        // Drop every PYTHON* variable (PYTHONUNBUFFERED, PYTHONPATH, PYTHONWARNINGS,
        // PYTHONMALLOC, PYTHONDEVMODE, ...): they change what a user normally gets.
        if (k.startsWith('PYTHON') || v === undefined) continue;
        env[k] = v;
    }
    env.PYTHONDONTWRITEBYTECODE = '1';
    if (seed !== DEFAULT_SEED) env.PYTHONHASHSEED = seed;
    return env;
}

/**
 * @returns {Promise<{ stdout: string, stderr: string, exitCode: number, timedOut: boolean, signal: string|null }>}
 */
function runOnce(exe, file, seed, timeoutMs = TIMEOUT_MS, { cwd = path.dirname(file), flags = [] } = {}) {
    return new Promise((resolve) => {
        const child = spawn(exe, ['-S', ...flags, path.basename(file)], {
            cwd,
            env: childEnv(seed),
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const out = [];
        const err = [];
        let outLen = 0;
        let errLen = 0;
        let timedOut = false;
        child.stdout.on('data', (b) => {
            if (outLen < MAX_OUTPUT) out.push(b);
            outLen += b.length;
        });
        child.stderr.on('data', (b) => {
            if (errLen < MAX_OUTPUT) err.push(b);
            errLen += b.length;
        });
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
        }, timeoutMs);
        child.on('error', (e) => {
            clearTimeout(timer);
            resolve({ stdout: '', stderr: String(e), exitCode: -1, timedOut: false, signal: null, spawnError: true });
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({
                stdout: Buffer.concat(out).toString('utf8'),
                stderr: Buffer.concat(err).toString('utf8'),
                exitCode: exitStatus(code, signal),
                timedOut,
                signal,
            });
        });
    });
}

/**
 * stderr as the conformance suite compares it: memory addresses masked (`0x…`, they vary run to
 * run), the scenario's folder dropped from file names (3.9+ print the script's absolute path in
 * tracebacks and warnings, 2.7 and 3.8 the name given on the command line), the interpreter's library folder written
 * `<stdlib>/` (2.7's atexit.py frames), and line endings normalised. The engine's stderr goes
 * through the same function in the conformance test.
 * @param {string} stderr
 * @param {string} [scenarioDir] absolute folder of the scenario
 */
export function normaliseStderr(stderr, scenarioDir) {
    let s = stderr.replace(/\r\n/g, '\n');
    if (scenarioDir) s = s.split(scenarioDir + path.sep).join('');
    return s.replace(/File "[^"\n]*\/lib\/(?:python|pypy)[0-9.]*\//g, 'File "<stdlib>/').replace(/0x[0-9a-fA-F]+/g, '0x…');
}

/**
 * stdout as the conformance suite compares it: a traceback printed there by the `traceback` module
 * names the scenario as stderr's does, without its folder (3.9+ print the script's absolute path;
 * a scenario with files runs in a directory normalisePaths already calls /tmp/exitscope). Only
 * `File "…` mentions change: a path the program prints otherwise is its own output.
 * @param {string} stdout
 * @param {string} scenarioDir absolute folder of the scenario
 */
export function normaliseStdout(stdout, scenarioDir) {
    let s = stdout;
    for (const dir of [scenarioDir, ENGINE_DIR]) s = s.split(`File "${dir}${path.sep}`).join('File "');
    return s;
}

/** Runs `tasks` (functions returning promises) with at most `n` in flight. */
async function pool(tasks, n) {
    const results = new Array(tasks.length);
    let next = 0;
    async function worker() {
        while (next < tasks.length) {
            const i = next++;
            results[i] = await tasks[i]();
        }
    }
    await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
    return results;
}

// ---------------------------------------------------------------------------
// Scenario discovery

function walk(dir, acc) {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) walk(p, acc);
        else if (ent.isFile() && ent.name.endsWith('.pyscn')) acc.push(p);
    }
    return acc;
}

function collectScenarios(args) {
    const inputs = args.length ? args : [SCENARIO_ROOT];
    const files = new Set();
    for (const input of inputs) {
        const abs = path.resolve(input);
        let st;
        try {
            st = fs.statSync(abs);
        } catch {
            throw new Error(`no such file or directory: ${input}`);
        }
        if (st.isDirectory()) walk(abs, []).forEach((f) => files.add(f));
        else files.add(abs);
    }
    const list = [...files].sort();
    for (const f of list) {
        const rel = path.relative(SCENARIO_ROOT, f);
        if (rel.startsWith('..') || path.isAbsolute(rel)) {
            throw new Error(`${f}: not under ${path.relative(REPO, SCENARIO_ROOT)}`);
        }
    }
    return list;
}

// ---------------------------------------------------------------------------
// Main

function stableJson(record) {
    const results = {};
    for (const v of Object.keys(record.results)) {
        const r = record.results[v];
        results[v] = {
            python: r.python,
            stdout: r.stdout,
            exitCode: r.exitCode,
            stderr: r.stderr,
        };
        if (r.files) results[v].files = r.files;
        if (r.fates) results[v].fates = r.fates;
    }
    return JSON.stringify({ scenario: record.scenario, results }, null, 2) + '\n';
}

function firstDifference(a, b, labelA = 'stored', labelB = 'live') {
    const la = a.split('\n');
    const lb = b.split('\n');
    for (let i = 0; i < Math.max(la.length, lb.length); i++) {
        if (la[i] !== lb[i]) {
            return `line ${i + 1}: ${labelA} ${JSON.stringify(la[i] ?? '<none>')} vs ${labelB} ${JSON.stringify(lb[i] ?? '<none>')}`;
        }
    }
    return 'identical';
}

async function main() {
    const argv = process.argv.slice(2);
    const check = argv.includes('--check');
    const noFates = argv.includes('--no-fates');
    const fatesOnly = argv.includes('--fates-only');
    const rootAt = argv.indexOf('--root');
    if (rootAt >= 0) {
        const root = argv[rootAt + 1];
        if (!root || root.startsWith('--') || !fs.existsSync(path.join(path.resolve(root), 'scenarios'))) {
            console.error(`--root needs a directory holding scenarios/ (got ${JSON.stringify(root ?? '')})`);
            process.exit(2);
        }
        SCENARIO_ROOT = path.join(path.resolve(root), 'scenarios');
        EXPECTED_ROOT = path.join(path.resolve(root), 'expected');
    }
    const args = argv.filter((a, i) => a !== '--check' && a !== '--no-fates' && a !== '--fates-only' && (rootAt < 0 || (i !== rootAt && i !== rootAt + 1)));
    if (args.some((a) => a.startsWith('--')) || (fatesOnly && (noFates || check))) {
        console.error(`usage: node scripts/record-cpython.mjs [--check] [--root DIR] [--no-fates | --fates-only] [paths or dirs...]`);
        process.exit(2);
    }

    let files;
    try {
        files = collectScenarios(args);
    } catch (e) {
        console.error(String(e.message || e));
        process.exit(2);
    }
    const interpreters = findInterpreters();
    const { parseAnnotations, usesFiles } = await loadAnnotationParser();
    let tmpfs = null;

    const problems = []; // lines to print; any makes the exit status non-zero
    const plans = []; // { file, rel, versions }
    for (const file of files) {
        const rel = path.relative(SCENARIO_ROOT, file).split(path.sep).join('/');
        const source = fs.readFileSync(file, 'utf8');
        const { versions, error } = targetVersions(source);
        if (error) {
            problems.push(`${rel}: ${error}`);
            continue;
        }
        const missing = versions.filter((v) => !interpreters.has(v));
        if (missing.length) {
            problems.push(`${rel}: no interpreter for ${missing.join(', ')} under ${pyenvRoot()}`);
            continue;
        }
        const annotations = parseAnnotations(source, [...PROFILES, ...Object.keys(RUNTIMES)]);
        const bad = annotations.problems.filter((p) => p.scope === 'run');
        if (bad.length) {
            problems.push(...bad.map((p) => `${rel}:${p.line}: ${p.message}`));
            continue;
        }
        const files = usesFiles(source, annotations);
        if (files && !tmpfs) {
            tmpfs = tmpfsRoot();
            if (tmpfs.error) {
                problems.push(`${rel}: ${tmpfs.error}`);
                continue;
            }
        }
        plans.push({ file, rel, versions, files, annotations, threads: USES_THREADS.test(source) });
    }

    // One task per (scenario, version, seed).
    const tasks = [];
    if (fatesOnly) plans.splice(0, plans.length, ...plans.filter((plan) => storedRecording(plan, problems)));
    const runs = new Map(); // `${rel}\0${version}` -> results per seed
    for (const plan of plans) {
        if (fatesOnly) continue;
        for (const v of plan.versions) {
            const key = `${plan.rel}\0${v}`;
            const seeds = seedsFor(plan, v);
            runs.set(key, new Array(seeds.length));
            seeds.forEach((seed, i) => {
                tasks.push(async () => {
                    const timeout = RUNTIME_TIMEOUT_MS[v] ?? TIMEOUT_MS;
                    const flags = plan.annotations.flags.argv;
                    if (!plan.files) {
                        runs.get(key)[i] = await runOnce(interpreters.get(v).exe, plan.file, seed, timeout, { flags });
                        return;
                    }
                    const dir = makeRunDir(tmpfs.root, plan.file, plan.annotations);
                    try {
                        const r = await runOnce(interpreters.get(v).exe, plan.file, seed, timeout, { cwd: dir, flags });
                        // stderr's file names relative (as normaliseStderr makes them), any other
                        // mention of the directory (os.getcwd(), an error's path) the engine's.
                        r.stdout = normalisePaths(r.stdout, dir);
                        r.stderr = normalisePaths(r.stderr.split(dir + path.sep).join(''), dir);
                        r.files = snapshot(dir, plan.file);
                        runs.get(key)[i] = r;
                    } finally {
                        removeRunDir(dir);
                    }
                });
            });
        }
    }
    await pool(tasks, POOL_SIZE);

    let written = 0;
    let unchanged = 0;
    let matched = 0;
    let recordings = 0;
    const records = [];
    for (const plan of plans) {
        if (fatesOnly) {
            const record = storedRecording(plan, problems);
            for (const r of Object.values(record.results)) delete r.fates;
            recordings += Object.keys(record.results).length;
            records.push({ plan, record });
            continue;
        }
        const record = { scenario: plan.rel, results: {} };
        let ok = true;
        for (const v of plan.versions) {
            const results = runs.get(`${plan.rel}\0${v}`);
            const bad = results.find((r) => r.timedOut || r.spawnError);
            if (bad) {
                problems.push(
                    `${plan.rel}: ${bad.timedOut ? `timed out (${(RUNTIME_TIMEOUT_MS[v] ?? TIMEOUT_MS) / 1000} s)` : `could not run: ${bad.stderr}`} on ${v}`,
                );
                ok = false;
                continue;
            }
            const seeds = seedsFor(plan, v);
            const base = results[0];
            const differing = results
                .map((r, i) => ({ r, seed: seeds[i] }))
                .filter(({ r }) => r.stdout !== base.stdout || r.exitCode !== base.exitCode || normaliseStderr(r.stderr, path.dirname(plan.file)) !== normaliseStderr(base.stderr, path.dirname(plan.file)) || JSON.stringify(r.files) !== JSON.stringify(base.files));
            if (differing.length) {
                const seedList = [seeds[0], ...differing.map((d) => d.seed)].join(' vs ');
                problems.push(
                    `${plan.rel}: nondeterministic on ${v} (PYTHONHASHSEED ${seedList}; ` +
                        (differing[0].r.exitCode !== base.exitCode
                            ? `exit ${base.exitCode} vs ${differing[0].r.exitCode})`
                            : JSON.stringify(differing[0].r.files) !== JSON.stringify(base.files)
                              ? `final files ${JSON.stringify(base.files)} vs ${JSON.stringify(differing[0].r.files)})`
                              : differing[0].r.stdout !== base.stdout
                              ? `${firstDifference(base.stdout, differing[0].r.stdout, `seed ${seeds[0]}`, `seed ${differing[0].seed}`)})`
                              : `stderr ${firstDifference(normaliseStderr(base.stderr, path.dirname(plan.file)), normaliseStderr(differing[0].r.stderr, path.dirname(plan.file)), `seed ${seeds[0]}`, `seed ${differing[0].seed}`)})`),
                );
                ok = false;
                continue;
            }
            record.results[v] = {
                python: interpreters.get(v).full,
                stdout: normaliseStdout(base.stdout, path.dirname(plan.file)),
                exitCode: base.exitCode,
                stderr: normaliseStderr(base.stderr, path.dirname(plan.file)),
                ...(plan.files ? { files: base.files } : {}),
            };
        }
        if (!ok) continue;
        recordings += plan.versions.length;
        records.push({ plan, record });
    }

    // Fates (scripts/fates/): an instrumented run per CPython version reports when each object dies.
    const fateTasks = [];
    for (const { plan, record } of records) {
        if (noFates) break;
        for (const v of plan.versions) {
            if (!PROFILES.includes(v) || !record.results[v]) continue;
            const r = record.results[v];
            fateTasks.push(async () => {
                const flags = plan.annotations.flags.argv;
                if (!plan.files) {
                    r.fates = await recordFates(interpreters.get(v).exe, v, plan.file, r, childEnv(SEEDS[0]), { flags });
                    return;
                }
                // In a fresh run directory of its own, as the plain run: never in the scenario's folder.
                const dir = makeRunDir(tmpfs.root, plan.file, plan.annotations);
                try {
                    r.fates = await recordFates(interpreters.get(v).exe, v, plan.file, r, childEnv(SEEDS[0]), { cwd: dir, flags, normalise: (out) => normalisePaths(out, dir) });
                } finally {
                    removeRunDir(dir);
                }
            });
        }
    }
    await pool(fateTasks, POOL_SIZE);

    for (const { plan, record } of records) {
        const text = stableJson(record);
        const outFile = path.join(EXPECTED_ROOT, plan.rel + '.json');
        let stored = null;
        try {
            stored = fs.readFileSync(outFile, 'utf8');
        } catch {
            /* not recorded yet */
        }
        if (check) {
            if (stored === null) {
                problems.push(`${plan.rel}: no expected file (${path.relative(REPO, outFile)})`);
                continue;
            }
            if (stored === text) {
                matched++;
                continue;
            }
            let old;
            try {
                old = JSON.parse(stored);
            } catch {
                problems.push(`${plan.rel}: stored JSON is not valid`);
                continue;
            }
            const diffs = [];
            const versions = new Set([...Object.keys(old.results || {}), ...Object.keys(record.results)]);
            for (const v of versions) {
                const a = old.results?.[v];
                const b = record.results[v];
                if (!a) diffs.push(`${v} not stored`);
                else if (!b) diffs.push(`${v} stored but no longer targeted`);
                else {
                    if (a.python !== b.python) diffs.push(`${v}: recorded with ${a.python}, live ${b.python}`);
                    if (a.exitCode !== b.exitCode) diffs.push(`${v}: exit code ${a.exitCode} stored, ${b.exitCode} live`);
                    if (a.stdout !== b.stdout) diffs.push(`${v}: stdout ${firstDifference(a.stdout, b.stdout)}`);
                    if (a.stderr !== b.stderr) diffs.push(`${v}: stderr ${firstDifference(a.stderr ?? '', b.stderr)}`);
                    if (JSON.stringify(a.files) !== JSON.stringify(b.files)) diffs.push(`${v}: final files ${JSON.stringify(a.files)} stored, ${JSON.stringify(b.files)} live`);
                    if (JSON.stringify(a.fates) !== JSON.stringify(b.fates)) diffs.push(`${v}: fates ${firstDifference(JSON.stringify(a.fates ?? null, null, 1), JSON.stringify(b.fates ?? null, null, 1))}`);
                }
            }
            if (diffs.length === 0) diffs.push('formatting differs from what the recorder writes');
            problems.push(`${plan.rel}: differs from stored recording: ${diffs.join('; ')}`);
        } else if (stored === text) {
            unchanged++;
        } else {
            fs.mkdirSync(path.dirname(outFile), { recursive: true });
            fs.writeFileSync(outFile, text);
            written++;
        }
    }

    // Orphans: expected files whose scenario is gone (only when scanning the whole corpus).
    if (args.length === 0 && fs.existsSync(EXPECTED_ROOT)) {
        const scen = new Set(files.map((f) => path.relative(SCENARIO_ROOT, f).split(path.sep).join('/')));
        const orphans = [];
        (function scan(dir) {
            for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, ent.name);
                if (ent.isDirectory()) scan(p);
                else if (ent.name.endsWith('.pyscn.json')) {
                    const rel = path.relative(EXPECTED_ROOT, p).split(path.sep).join('/').replace(/\.json$/, '');
                    if (!scen.has(rel)) orphans.push(rel);
                }
            }
        })(EXPECTED_ROOT);
        for (const o of orphans) problems.push(`${o}.json: expected file without a scenario`);
    }

    for (const p of problems) console.error(p);
    const failed = problems.length;
    if (check) {
        console.log(
            `check: ${matched}/${files.length} scenarios match the stored recordings (${recordings} version runs × ${SEEDS.length} seeds)` +
                (failed ? `, ${failed} problem(s)` : ''),
        );
    } else {
        console.log(
            `recorded ${plans.length - countFailed(plans, problems)} of ${files.length} scenarios ` +
                `(${recordings} version recordings × ${SEEDS.length} seeds): ${written} written, ${unchanged} unchanged` +
                (failed ? `, ${failed} problem(s)` : ''),
        );
    }
    process.exit(failed ? 1 : 0);
}

/**
 * --fates-only: the stored recording of a plan (parsed once), or null with a problem when there
 * is none.
 */
const storedRecordings = new Map();
function storedRecording(plan, problems) {
    if (storedRecordings.has(plan.rel)) return storedRecordings.get(plan.rel);
    let record = null;
    try {
        record = JSON.parse(fs.readFileSync(path.join(EXPECTED_ROOT, plan.rel + '.json'), 'utf8'));
    } catch {
        problems.push(`${plan.rel}: --fates-only needs a stored recording`);
    }
    storedRecordings.set(plan.rel, record);
    return record;
}

function countFailed(plans, problems) {
    const bad = new Set();
    for (const p of problems) {
        for (const plan of plans) if (p.startsWith(plan.rel + ':')) bad.add(plan.rel);
    }
    return bad.size;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
    main().catch((e) => {
        console.error(e && e.stack ? e.stack : String(e));
        process.exit(2);
    });
}
