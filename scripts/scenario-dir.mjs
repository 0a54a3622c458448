// The directory a scenario that uses files runs in when the recorder runs it under real CPython:
// a fresh directory on tmpfs holding a copy of the scenario and the files and directories its
// `# exitscope: file|dir` annotations declare, created in the order the engine creates them in its
// in-memory directory (src/engine/io/memdir.ts). After the run, `snapshot` reads back every entry
// for the recording, and `normalisePaths` puts the engine's fixed directory name in place of the
// real one in what the run printed.
//
// Why tmpfs: the engine's directory is a RAM file system, and Linux's tmpfs is the one whose
// behaviour it copies: os.listdir() lists the newest entry first (a name re-created or renamed moves
// to the front), st_blksize is 4096 (the size of a BufferedWriter's buffer). On ext4 the listing
// order is a hash order and would differ between machines. The directory is /dev/shm unless
// EXITSCOPE_TMPFS names another tmpfs mount.
//
// The annotations are read by the engine's own parser (src/engine/annotations.ts), bundled once.
// exitStatus (at the end) is how both recorders store a child's end.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the engine says a scenario runs (os.getcwd()); SCENARIO_DIR in src/engine/io/memdir.ts. */
export const ENGINE_DIR = '/tmp/exitscope';
const TMPFS_MAGIC = 0x01021994;

let parser = null;

/** The engine's annotation parser (`parseAnnotations`, `usesFiles`), bundled from the sources. */
export async function loadAnnotationParser() {
    if (parser) return parser;
    const outfile = path.join(os.tmpdir(), `exitscope-annotations-${process.pid}.mjs`);
    await build({ entryPoints: [path.join(REPO, 'src/engine/annotations.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
    try {
        parser = await import(pathToFileURL(outfile).href);
    } finally {
        fs.rmSync(outfile, { force: true });
    }
    return parser;
}

/** The tmpfs directory run directories are made in, or an error message. */
export function tmpfsRoot() {
    const root = process.env.EXITSCOPE_TMPFS || '/dev/shm';
    try {
        if (fs.statfsSync(root).type === TMPFS_MAGIC) return { root };
    } catch {
        /* reported below */
    }
    return { error: `${root} is not a tmpfs mount: scenarios that use files are recorded on tmpfs (set EXITSCOPE_TMPFS to a tmpfs directory)` };
}

/**
 * Makes a fresh run directory: the scenario (under its own name) first, then the declared
 * directories and files in source order, each parent before its children.
 * @returns {string} the directory
 */
export function makeRunDir(root, scenarioFile, annotations) {
    const dir = fs.mkdtempSync(path.join(root, 'exitscope-'));
    fs.copyFileSync(scenarioFile, path.join(dir, path.basename(scenarioFile)));
    const decls = [...annotations.dirs.map((d) => ({ ...d, dir: true })), ...annotations.files].sort((a, b) => a.line - b.line);
    for (const d of decls) {
        const parts = d.path.split('/');
        for (let i = 1; i < parts.length; i++) {
            const p = path.join(dir, ...parts.slice(0, i));
            if (!fs.existsSync(p)) fs.mkdirSync(p);
        }
        if (d.dir) fs.mkdirSync(path.join(dir, d.path));
        else fs.writeFileSync(path.join(dir, d.path), d.data);
    }
    return dir;
}

/**
 * Every entry of the run directory after the run, as the engine's result lists them
 * (SimulationResult.files): `path` → the content as text when it is UTF-8, `{ base64 }` otherwise,
 * `{ dir: true }` for a directory. The scenario itself is left out while it is unchanged (null when
 * it was removed). Keys sorted, so the JSON is stable.
 */
export function snapshot(dir, scenarioFile) {
    const own = path.basename(scenarioFile);
    const original = fs.readFileSync(scenarioFile);
    const out = {};
    (function walk(rel) {
        for (const name of fs.readdirSync(path.join(dir, rel))) {
            const r = rel ? `${rel}/${name}` : name;
            const st = fs.lstatSync(path.join(dir, r));
            if (st.isDirectory()) {
                out[r] = { dir: true };
                walk(r);
            } else {
                const data = fs.readFileSync(path.join(dir, r));
                if (r === own && data.equals(original)) continue;
                out[r] = fileContent(data);
            }
        }
    })('');
    if (!fs.existsSync(path.join(dir, own))) out[own] = null;
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

function fileContent(data) {
    const text = data.toString('utf8');
    return Buffer.from(text, 'utf8').equals(data) ? text : { base64: data.toString('base64') };
}

/** The run directory's real path replaced by ENGINE_DIR (3.9+ print absolute script paths in tracebacks and warnings). */
export function normalisePaths(text, dir) {
    let out = text;
    for (const p of new Set([fs.realpathSync(dir), dir])) out = out.split(p).join(ENGINE_DIR);
    return out;
}

export function removeRunDir(dir) {
    fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A child's end as the recordings store it: its exit status, or minus the number of the signal
 * that killed it, as subprocess's returncode says it (-2: SIGINT, 3.8+'s uncaught
 * KeyboardInterrupt; -9: a timeout's SIGKILL); -1 when neither is known.
 * @param {number|null} code
 * @param {string|null} signal
 */
export function exitStatus(code, signal) {
    if (code !== null) return code;
    const n = signal ? os.constants.signals[signal] : undefined;
    return n ? -n : -1;
}
