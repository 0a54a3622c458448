#!/usr/bin/env node
// Records what real CPython finds at the end of each scenario's chain paths, so that the tests can
// check the report's chains ("what keeps this object alive?") against the real interpreter.
//
//   node scripts/record-chains.mjs [--check] [SCENARIO…]
//
// With scenario paths, only those are run and their results merged into the stored file.
//
// For every conformance scenario and CPython version that has a recording in
// test/conformance/expected/ and whose simulated stdout equals it, the engine's report lists the
// objects freed during shutdown with the chain that held them when the program finished running
// (`chainInfo.path`, e.g. `registry.items[2]`, `sys.keep`, `N.cache['k']`). The paths that are plain
// Python expressions (module roots, no elision) are evaluated by real CPython at the end of the
// program: the scenario runs under `python -S` with a probe appended that evaluates each path in
// `__main__`'s globals (or the named module) and prints the type of what it finds. A scenario that
// never reaches its end (sys.exit, os._exit, an uncaught exception) gets no probe result.
//
// Written: test/conformance/expected-chains.json, { scenario: { version: { path: [type, class] } } }
// where `type` is type(obj).__name__ and `class` is obj.__class__.__name__ (they differ for 2.7's
// old-style instances). --check: compare with the stored file instead; exit 1 on any difference.
//
// The engine side is recomputed by test/conformance/chains.test.ts; only CPython's answers are stored.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PROFILES as CPYTHON, RUNTIMES, childEnv, findCPythons } from './record-cpython.mjs';
import { loadAnnotationParser, makeRunDir, removeRunDir, tmpfsRoot } from './scenario-dir.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONF = path.join(REPO, 'test', 'conformance');
const OUT = path.join(CONF, 'expected-chains.json');
const MARK = '@@exitscope-chains ';

/** The engine and report modules, bundled from the sources into a temporary ES module. */
async function loadEngine() {
    const entry = path.join(os.tmpdir(), `exitscope-chains-entry-${process.pid}.ts`);
    const outfile = path.join(os.tmpdir(), `exitscope-chains-${process.pid}.mjs`);
    fs.writeFileSync(entry, `export { simulate } from ${JSON.stringify(path.join(REPO, 'src/engine/index.ts'))};\nexport { evaluableChains } from ${JSON.stringify(path.join(REPO, 'src/report/chainProbe.ts'))};\nexport { buildReport } from ${JSON.stringify(path.join(REPO, 'src/report/report.ts'))};\n`);
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
    const mod = await import(pathToFileURL(outfile).href);
    fs.rmSync(entry, { force: true });
    fs.rmSync(outfile, { force: true });
    return mod;
}

/**
 * A chain path as hops: [["name", "x"], ["attr", "items"], ["item", 2], ["item", "k"]]. The same
 * grammar as src/report/chainProbe.ts accepts.
 */
function hops(p) {
    const out = [];
    const re = /^([A-Za-z_]\w*)|\.([A-Za-z_]\w*)|\[(-?\d+|'[^'\\\n]*'|"[^"\\\n]*")\]/y;
    let m;
    while (re.lastIndex < p.length && (m = re.exec(p))) {
        if (m[1] !== undefined) out.push(['name', m[1]]);
        else if (m[2] !== undefined) out.push(['attr', m[2]]);
        else out.push(['item', /^-?\d+$/.test(m[3]) ? Number(m[3]) : m[3].slice(1, -1)]);
    }
    if (re.lastIndex !== p.length) throw new Error(`record-chains: cannot parse chain path ${p}`);
    return out;
}

/**
 * Python 2.7/3.x code appended to the scenario: follows each path the way the chain means it, by
 * the reference itself rather than by attribute lookup: `C.m` is the entry of C's __dict__ (the
 * staticmethod or classmethod object, not what the descriptor returns), `x.a` the instance's
 * __dict__ entry or slot, `[k]` a subscript; the first name is a global of __main__ or a module.
 */
function probe(paths) {
    return `

def __exitscope_probe(paths):
    import sys
    main = sys.modules['__main__'].__dict__
    def attr(x, k):
        if k == '__dict__':
            # A class's __dict__ attribute is a read-only proxy of its dict: the dict is its referent.
            d = x.__dict__
            if type(d).__name__ in ('mappingproxy', 'dictproxy'):
                import gc
                d = [r for r in gc.get_referents(d) if type(r) is dict][0]
            return d
        d = getattr(x, '__dict__', None)
        try:
            if d is not None and k in d:
                return d[k]
        except TypeError:
            pass
        return getattr(x, k)
    found = []
    for p in paths:
        try:
            name = p[0][1]
            x = main[name] if name in main else sys.modules[name]
            for kind, k in p[1:]:
                x = attr(x, k) if kind == 'attr' else x[k]
            t = type(x).__name__
            try:
                c = x.__class__.__name__
            except Exception:
                c = t
            found.append([t, c])
        except Exception as e:
            found.append(['!' + type(e).__name__, ''])
    sys.stdout.write('\\n${MARK}' + repr(found) + '\\n')
    sys.stdout.flush()
__exitscope_probe(${JSON.stringify(paths.map(hops))})
`;
}

function listRecordings() {
    const out = [];
    const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith('.pyscn.json')) out.push(p);
        }
    };
    walk(path.join(CONF, 'expected'));
    return out.sort();
}

const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));
const { simulate, buildReport, evaluableChains } = await loadEngine();
const { parseAnnotations } = await loadAnnotationParser();
// Each probe runs in a fresh directory holding the scenario's declared files, as the recorder runs
// it (scenario-dir.mjs): never in test/conformance/scenarios, which the files it writes would litter.
const runRoot = tmpfsRoot().root ?? os.tmpdir();
const interpreters = findCPythons();
const recorded = {};
let probes = 0;
let paths = 0;
for (const f of listRecordings()) {
    const rec = JSON.parse(fs.readFileSync(f, 'utf8'));
    const file = path.join(CONF, 'scenarios', rec.scenario);
    if (!fs.existsSync(file)) continue;
    if (only.length && !only.includes(file)) continue;
    const source = fs.readFileSync(file, 'utf8');
    for (const v of CPYTHON) {
        const want = rec.results[v];
        if (!want) continue;
        const exe = interpreters.get(v)?.exe;
        if (!exe) continue;
        const res = simulate(source, { python: v, fileName: rec.scenario });
        if (res.errors.length || res.stdout !== want.stdout) continue;
        const chains = evaluableChains(buildReport(source, res, { graph: false }));
        if (!chains.length) continue;
        const list = [...new Set(chains.map((c) => c.path))];
        const dir = makeRunDir(runRoot, file, parseAnnotations(source, [...CPYTHON, ...Object.keys(RUNTIMES)]));
        const script = path.join(dir, path.basename(file));
        fs.writeFileSync(script, source + probe(list));
        const r = spawnSync(exe, ['-S', script], { cwd: dir, encoding: 'utf8', input: '', env: childEnv('0'), timeout: 20_000 });
        removeRunDir(dir);
        probes++;
        const line = (r.stdout || '').split('\n').find((l) => l.startsWith(MARK));
        if (!line) continue; // the program did not reach its end
        // repr() of a list of [str, str] lists: Python 2 may prefix u'' — normalise to JSON.
        const found = JSON.parse(line.slice(MARK.length).replace(/u?'([^']*)'/g, '"$1"'));
        const byPath = {};
        list.forEach((p, i) => {
            byPath[p] = found[i];
            paths++;
        });
        (recorded[rec.scenario] ??= {})[v] = byPath;
    }
}
const stored = only.length && fs.existsSync(OUT) ? JSON.parse(fs.readFileSync(OUT, 'utf8')) : {};
for (const f of only) delete stored[path.relative(path.join(CONF, 'scenarios'), f)];
const merged = only.length ? Object.fromEntries(Object.entries({ ...stored, ...recorded }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : recorded;
const text = JSON.stringify(merged, null, 1) + '\n';
if (check) {
    const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (old !== text) {
        console.error(`record-chains: ${path.relative(REPO, OUT)} differs from what CPython shows now (re-run without --check)`);
        process.exit(1);
    }
    console.log(`record-chains: ${paths} paths in ${probes} runs match`);
} else {
    fs.writeFileSync(OUT, text);
    console.log(`record-chains: ${paths} paths from ${probes} CPython runs → ${path.relative(REPO, OUT)}`);
}
