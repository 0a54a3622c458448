// The fate recording of one scenario on one CPython (used by scripts/record-cpython.mjs).
//
// Runs an instrumented copy of the scenario (scripts/fates/fates.ts `instrument`) under
// scripts/fates/probe.py with `python -S -v` and reads, from stderr, when each observable object
// died (`parseProbeOutput`). The instrumented run must print exactly what the plain run printed
// on stdout, with the same exit status; otherwise the probe changed the program and its fates are
// not used (`unusable` says why).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { exitStatus } from '../scenario-dir.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROBE = path.join(HERE, 'probe.py');
const TIMEOUT_MS = 120_000;

let fatesModule = null;

/** scripts/fates/fates.ts, bundled once per process. */
async function loadFates() {
    if (fatesModule) return fatesModule;
    const outfile = path.join(os.tmpdir(), `exitscope-fates-${process.pid}.mjs`);
    await build({ entryPoints: [path.join(HERE, 'fates.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
    fatesModule = await import(pathToFileURL(outfile).href);
    fs.rmSync(outfile, { force: true });
    return fatesModule;
}

function run(exe, args, cwd, env) {
    return new Promise((resolve) => {
        const child = spawn(exe, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
        const out = [];
        const err = [];
        let timedOut = false;
        child.stdout.on('data', (b) => out.push(b));
        child.stderr.on('data', (b) => err.push(b));
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
        }, TIMEOUT_MS);
        child.on('error', (e) => {
            clearTimeout(timer);
            resolve({ stdout: '', stderr: String(e), exitCode: -1, timedOut: false });
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: exitStatus(code, signal), timedOut });
        });
    });
}

/**
 * @param {string} exe the CPython
 * @param {string} version its profile ('2.7', '3.13'…)
 * @param {string} file the scenario
 * @param {{ stdout: string, exitCode: number }} plain what the uninstrumented run printed
 * @param {Record<string, string>} env the recording environment (childEnv)
 * @param {{ cwd?: string, flags?: string[], normalise?: (stdout: string) => string }} [opts] the
 *   plain run's directory (a scenario with files runs in its own tmpfs directory), its
 *   `# exitscope: flags`, and how its stdout was normalised before it was stored
 * @returns {Promise<{ objects: Record<string, string> } | { unusable: string }>}
 */
export async function recordFates(exe, version, file, plain, env, opts = {}) {
    const { instrument, parseProbeOutput } = await loadFates();
    const source = fs.readFileSync(file, 'utf8');
    const instrumented = instrument(source);
    if (instrumented === null) return { unusable: 'the engine cannot parse the scenario' };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-fates-'));
    const copy = path.join(dir, path.basename(file));
    fs.writeFileSync(copy, instrumented);
    const code = `exec((lambda f: (f.read(), f.close())[0])(open(${JSON.stringify(PROBE)})), {'__builtins__': __builtins__})`;
    try {
        const r = await run(exe, ['-S', '-v', ...(opts.flags ?? []), '-c', code, copy, path.basename(file)], opts.cwd ?? path.dirname(file), env);
        if (r.timedOut) return { unusable: `the instrumented run timed out (${TIMEOUT_MS / 1000} s)` };
        if (opts.normalise) r.stdout = opts.normalise(r.stdout);
        if (r.stdout !== plain.stdout || r.exitCode !== plain.exitCode) {
            return { unusable: r.exitCode !== plain.exitCode ? `the instrumented run exited ${r.exitCode}, not ${plain.exitCode}` : 'the instrumented run printed something else on stdout' };
        }
        const [major, minor] = version.split('.').map(Number);
        return parseProbeOutput(r.stderr, major, minor);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
