#!/usr/bin/env node
// Records every name a scenario can reach in each real interpreter, for the engine's "no invented
// Python errors" rule (src/engine/names/): dir(builtins) (with and without `-S`: the names `site`
// adds), dir() of every module a scenario may import (src/engine/modules/supported.ts, plus the
// submodules listed below), every class found there with its own __dict__ names and MRO, the
// errno -> OSError subclass map (PEP 3151) and os.strerror.
//
//   node scripts/record-names.mjs [--check]
//
// Writes src/engine/names/cpython-names.json (--check: compare with it, exit 1 on a difference).
// Interpreters: the pyenv CPythons of every profile, pypy3 and jython from PATH (as the
// conformance recorder finds them); all of them are needed.
//
// Adding a module: add it to SUPPORTED_MODULES (or to SUBMODULES for `os.path`-like ones) and
// re-run this script.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findInterpreters, childEnv } from './record-cpython.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(REPO, 'src', 'engine', 'names', 'cpython-names.json');
const PROBE = path.join(REPO, 'scripts', 'names-probe.py');

/** Profiles in table order: CPython oldest first, then the other runtimes. */
export const NAME_PROFILES = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', 'pypy', 'jython'];
const CPYTHON = NAME_PROFILES.slice(0, 7);

/** Modules reached as attributes of a supported module that get a table of their own. */
const SUBMODULES = ['os.path', 'concurrent.futures'];

/** The modules of src/engine/modules/supported.ts (the one list of importable modules). */
export function supportedModules() {
    const src = fs.readFileSync(path.join(REPO, 'src', 'engine', 'modules', 'supported.ts'), 'utf8');
    const body = /new Set\(\[([\s\S]*?)\]\)/.exec(src);
    if (!body) throw new Error('cannot read SUPPORTED_MODULES from supported.ts');
    return [...body[1].matchAll(/'([^']+)'/g)].map((m) => m[1]).filter((m) => m !== '__future__');
}

function probe(exe, args, env) {
    const r = spawnSync(exe, [...args, PROBE, ...supportedModules(), ...SUBMODULES], {
        cwd: path.dirname(PROBE),
        env,
        encoding: 'utf8',
        timeout: 180_000,
        maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`${exe} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    return JSON.parse(r.stdout);
}

// ---------------------------------------------------------------------------
// Version specs: "*" (every profile the container exists in) or "2.7 3.8-3.10 pypy".

/** @param {string[]} present profiles (table order) @param {string[]} universe */
export function encodeSpec(present, universe) {
    if (present.length === universe.length && present.every((p, i) => p === universe[i])) return '*';
    const parts = [];
    let i = 0;
    while (i < present.length) {
        const p = present[i];
        const ci = CPYTHON.indexOf(p);
        if (ci < 0) {
            parts.push(p);
            i++;
            continue;
        }
        let j = i;
        while (j + 1 < present.length && CPYTHON.indexOf(present[j + 1]) === CPYTHON.indexOf(present[j]) + 1) j++;
        parts.push(j > i ? `${p}-${present[j]}` : p);
        i = j + 1;
    }
    return parts.join(' ');
}

/**
 * A value per profile, collapsed: the value itself when it is the same in every profile of the
 * universe, else `{spec: value}`.
 * @param {Map<string, unknown>} byProfile @param {string[]} universe
 */
function versioned(byProfile, universe) {
    const groups = new Map();
    for (const p of universe) {
        if (!byProfile.has(p)) continue;
        const k = JSON.stringify(byProfile.get(p));
        if (k === undefined) throw new Error(`no value for ${p}: ${[...byProfile.keys()]}`);
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k).push(p);
    }
    if (groups.size === 1) {
        const [[k, ps]] = [...groups];
        if (ps.length === universe.length) return JSON.parse(k);
    }
    const out = {};
    for (const [k, ps] of groups) out[encodeSpec(ps, universe)] = JSON.parse(k);
    return out;
}

/** name -> versioned value, over the profiles in `universe`, from `get(profile)` maps. */
function versionedMap(universe, get) {
    const names = new Set();
    for (const p of universe) for (const n of Object.keys(get(p) ?? {})) names.add(n);
    const out = {};
    for (const n of [...names].sort()) {
        const by = new Map();
        for (const p of universe) {
            const m = get(p);
            if (m && Object.hasOwn(m, n)) by.set(p, m[n]);
        }
        out[n] = versioned(by, universe);
    }
    return out;
}

/** name -> spec, for sets of names (a type's own __dict__). */
function specMap(universe, get) {
    const names = new Set();
    for (const p of universe) for (const n of get(p) ?? []) names.add(n);
    const out = {};
    for (const n of [...names].sort()) out[n] = encodeSpec(universe.filter((p) => (get(p) ?? []).includes(n)), universe);
    return out;
}

function build(raw) {
    const profiles = NAME_PROFILES.filter((p) => raw[p]);
    const out = {
        comment: 'Recorded by scripts/record-names.mjs from the real interpreters; do not edit.',
        profiles: Object.fromEntries(profiles.map((p) => [p, `${raw[p].implementation} ${raw[p].version}`])),
        builtins: versionedMap(profiles, (p) => raw[p].builtins),
        site: versionedMap(profiles, (p) => raw[p].site),
        modules: {},
        types: {},
        errnoClasses: versionedMap(profiles, (p) => raw[p].errnoClasses),
        strerror: versionedMap(profiles, (p) => raw[p].strerror),
    };
    const modNames = new Set();
    for (const p of profiles) for (const m of Object.keys(raw[p].modules)) modNames.add(m);
    for (const m of [...modNames].sort()) {
        const universe = profiles.filter((p) => raw[p].modules[m]);
        out.modules[m] = { in: encodeSpec(universe, profiles), names: versionedMap(universe, (p) => raw[p].modules[m]) };
    }
    const typeKeys = new Set();
    for (const p of profiles) for (const k of Object.keys(raw[p].types)) typeKeys.add(k);
    for (const k of [...typeKeys].sort()) {
        const universe = profiles.filter((p) => raw[p].types[k]);
        const t = (p) => raw[p].types[k];
        out.types[k] = {
            in: encodeSpec(universe, profiles),
            name: versioned(new Map(universe.map((p) => [p, t(p).name])), universe),
            module: versioned(new Map(universe.map((p) => [p, t(p).module])), universe),
            mro: versioned(new Map(universe.map((p) => [p, t(p).mro])), universe),
            own: specMap(universe, (p) => t(p).own),
        };
    }
    return out;
}

function main() {
    const check = process.argv.includes('--check');
    const old = fs.existsSync(OUT) ? JSON.parse(fs.readFileSync(OUT, 'utf8')) : null;
    const interpreters = findInterpreters();
    const raw = {};
    for (const p of NAME_PROFILES) {
        const found = interpreters.get(p);
        if (!found) throw new Error(`${p}: no interpreter found (every profile is recorded together)`);
        const env = childEnv('0');
        process.stderr.write(`${p}: ${found.exe}\n`);
        const r = probe(found.exe, ['-S'], env);
        // The names `site` adds to builtins (exit, quit, help, …): scenarios run without -S.
        const withSite = probe(found.exe, [], env);
        r.site = {};
        for (const [n, d] of Object.entries(withSite.builtins)) if (!(n in r.builtins)) r.site[n] = d;
        raw[p] = r;
    }
    const text = JSON.stringify(build(raw), null, 1) + '\n';
    if (check) {
        const same = old && JSON.stringify(old) === JSON.stringify(JSON.parse(text));
        console.log(same ? 'names: recording matches the interpreters' : 'names: recording differs from the interpreters (re-run scripts/record-names.mjs)');
        process.exit(same ? 0 : 1);
    }
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, text);
    console.log(`wrote ${path.relative(REPO, OUT)} (${(text.length / 1024).toFixed(0)} KB)`);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) main();
