/*
 * cli.ts — the differential fuzzer (`npm run fuzz -- …`).
 *
 *   npm run fuzz -- --seeds 0-999 --python 3.13        generate, run on CPython and the engine, compare
 *   npm run fuzz -- --seeds 0-9999 --python all --jobs 2
 *   npm run fuzz -- --seeds 0-999 --python 2.7 --reduce 5    also shrink up to 5 failures per profile
 *   npm run fuzz -- --show 123 --python 3.11           print one program, CPython's and the engine's output
 *   npm run fuzz -- --record-sample                    (re)write the CI sample under test/fuzz/sample/
 *   npm run fuzz -- --sample-divergences               rewrite the sample's known-divergences.json from the engine
 *   npm run fuzz -- --first-count --seeds 0-199 --python 2.7   the gen0 count at the first statement, CPython vs engine
 *   npm run fuzz -- --count-survey --seeds 0-199 --python 3.13  statements whose count delta differs, grouped by kind
 *
 * Options: --families a,b (only these statement families), --jobs N (CPython processes at once,
 * default 2: the machine is shared), --out DIR (failures; default .fuzz-cache/failures), --no-cache.
 * CPython's outputs are cached in .fuzz-cache/ (git-ignored), so a re-run only costs the engine.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate, dialectOf } from './generate';
import { CPythonRunner, interpreters, type Interpreter } from './cpython';
import { check, type Verdict } from './differential';
import { reduce } from './reduce';
import { firstDifference, normaliseStderr } from './compare';
import { runEngine } from './engine';
import { FAMILIES } from './families/index';
import { recordSample, writeSampleDivergences } from './sample';
import { countProbe, countSurvey, firstCountSurvey } from './probe';

const REPO = path.resolve(__dirname_(), '..', '..');
const ALL_PROFILES = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

function __dirname_(): string {
    // Bundled into a temporary file by scripts/fuzz.mjs, which passes the repository's location.
    return process.env.EXITSCOPE_FUZZ_DIR ?? path.join(process.cwd(), 'test', 'fuzz');
}

interface Options {
    seeds: [number, number];
    profiles: string[];
    jobs: number;
    reduce: number;
    families: string[] | undefined;
    show: number | null;
    out: string;
    cache: boolean;
    recordSample: boolean;
    sampleDivergences: boolean;
    quiet: boolean;
    countProbe: string | null;
    firstCount: boolean;
    countSurvey: boolean;
}

function usage(msg: string): never {
    console.error(`fuzz: ${msg}\nusage: npm run fuzz -- --seeds A-B [--python V[,V…]|all] [--jobs N] [--reduce [N]] [--families a,b] [--show SEED] [--out DIR] [--no-cache] [--record-sample] [--sample-divergences] [--first-count] [--count-survey] [--count-probe FILE]`);
    process.exit(2);
}

function parseArgs(argv: string[]): Options {
    const o: Options = { seeds: [0, 99], profiles: ['3.13'], jobs: 2, reduce: 0, families: undefined, show: null, out: path.join(REPO, '.fuzz-cache', 'failures'), cache: true, recordSample: false, sampleDivergences: false, quiet: false, countProbe: null, firstCount: false, countSurvey: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => {
            const v = argv[++i];
            if (v === undefined) usage(`${a} needs a value`);
            return v;
        };
        if (a === '--seeds') {
            const m = /^(\d+)(?:-(\d+))?$/.exec(value());
            if (!m) usage('--seeds takes A-B (or one seed)');
            o.seeds = [Number(m[1]), Number(m[2] ?? m[1])];
            if (o.seeds[1] < o.seeds[0]) usage('--seeds: B is below A');
        } else if (a === '--python') {
            const v = value();
            o.profiles = v === 'all' ? ALL_PROFILES : v.split(',');
            for (const p of o.profiles) if (!ALL_PROFILES.includes(p)) usage(`unknown profile ${p} (${ALL_PROFILES.join(' ')} or all)`);
        } else if (a === '--jobs') o.jobs = Math.max(1, Number(value()) | 0);
        else if (a === '--reduce') {
            const next = argv[i + 1];
            o.reduce = next !== undefined && /^\d+$/.test(next) ? Number(argv[++i]) : 5;
        } else if (a === '--families') {
            o.families = value().split(',');
            const known = new Set([...FAMILIES.map((f) => f.name), 'ending']);
            for (const f of o.families) if (!known.has(f)) usage(`unknown family ${f} (${[...known].join(' ')})`);
        } else if (a === '--show') o.show = Number(value());
        else if (a === '--out') o.out = path.resolve(value());
        else if (a === '--no-cache') o.cache = false;
        else if (a === '--record-sample') o.recordSample = true;
        else if (a === '--sample-divergences') o.sampleDivergences = true;
        else if (a === '--quiet') o.quiet = true;
        else if (a === '--count-probe') o.countProbe = value();
        else if (a === '--first-count') o.firstCount = true;
        else if (a === '--count-survey') o.countSurvey = true;
        else usage(`unknown option ${a}`);
    }
    return o;
}

interface ProfileStats {
    generated: number;
    match: number;
    differ: number;
    nondeterministic: number;
    unsupported: number;
    invalid: number;
    timeout: number;
    /** Per family: [programs using it, of them differing]. */
    byFamily: Map<string, [number, number]>;
    /** Differences grouped by where they first show. */
    groups: Map<string, number[]>;
    failures: { seed: number; verdict: Verdict & { kind: 'differ' }; source: string }[];
    refused: Map<string, number[]>;
}

function newStats(): ProfileStats {
    return { generated: 0, match: 0, differ: 0, nondeterministic: 0, unsupported: 0, invalid: 0, timeout: 0, byFamily: new Map(), groups: new Map(), failures: [], refused: new Map() };
}

/** Where a difference first shows, with numbers and labels masked: failures of one cause group together. */
function groupKey(v: Verdict & { kind: 'differ' }): string {
    const mask = (s: string): string => s.replace(/\d+/g, '#');
    const s = v.streams[0];
    if (s === 'exit') return `exit: engine ${v.engine.exitCode} vs python ${v.cpython.exitCode}`;
    const [a, b] = s === 'stdout' ? [v.engine.stdout, v.cpython.stdout] : [normaliseStderr(v.engine.stderr), normaliseStderr(v.cpython.stderr)];
    return `${s}: ${mask(firstDifference(a, b, 'engine', 'python').replace(/^line \d+: /, ''))}`;
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(n, items.length) }, async () => {
            while (next < items.length) await fn(items[next++]);
        }),
    );
}

function describeFailure(profile: string, seed: number, source: string, v: Verdict & { kind: 'differ' }): string {
    const parts = [`# profile ${profile}, seed ${seed}: ${v.streams.join(', ')} differ`, source, '---- CPython stdout', v.cpython.stdout, '---- engine stdout', v.engine.stdout];
    parts.push(`---- exit: CPython ${v.cpython.exitCode}, engine ${v.engine.exitCode}`);
    parts.push('---- CPython stderr', v.cpython.stderr, '---- engine stderr', v.engine.stderr);
    if (v.engine.error) parts.push(`---- engine error: ${v.engine.error.kind}: ${v.engine.error.message} (line ${v.engine.error.line})`);
    return parts.join('\n');
}

async function fuzz(o: Options, runner: CPythonRunner, pys: Map<string, Interpreter>): Promise<number> {
    const seeds: number[] = [];
    for (let s = o.seeds[0]; s <= o.seeds[1]; s++) seeds.push(s);
    let anyDiffer = 0;
    for (const profile of o.profiles) {
        const py = pys.get(profile);
        if (!py) {
            console.error(`fuzz: no CPython ${profile} found (pyenv)`);
            return 2;
        }
        const st = newStats();
        const started = Date.now();
        let done = 0;
        await pool(seeds, o.jobs * 3, async (seed) => {
            const g = generate(seed, dialectOf(profile), { only: o.families });
            const v = await check(runner, py, profile, g.source);
            st.generated++;
            st[v.kind]++;
            if (v.kind === 'unsupported') {
                const key = v.message.replace(/\d+/g, '#');
                st.refused.set(key, [...(st.refused.get(key) ?? []), seed]);
            }
            if (v.kind === 'match' || v.kind === 'differ') {
                for (const f of g.families) {
                    const e = st.byFamily.get(f) ?? [0, 0];
                    e[0]++;
                    if (v.kind === 'differ') e[1]++;
                    st.byFamily.set(f, e);
                }
            }
            if (v.kind === 'differ') {
                st.failures.push({ seed, verdict: v, source: g.source });
                const key = groupKey(v);
                st.groups.set(key, [...(st.groups.get(key) ?? []), seed]);
                const dir = path.join(o.out, profile);
                fs.mkdirSync(dir, { recursive: true });
                fs.writeFileSync(path.join(dir, `${seed}.txt`), describeFailure(profile, seed, g.source, v));
            }
            if (++done % 200 === 0 && !o.quiet) process.stderr.write(`  ${profile}: ${done}/${seeds.length} (${Math.round((Date.now() - started) / 1000)} s)\n`);
        });
        const compared = st.match + st.differ;
        const pct = compared ? ((100 * st.differ) / compared).toFixed(2) : '0.00';
        console.log(
            `${profile}: ${st.generated} programs, ${compared} compared, ${st.differ} differ (${pct}%), ${st.nondeterministic} nondeterministic, ${st.unsupported} refused by the engine, ${st.invalid} rejected by CPython, ${st.timeout} timed out`,
        );
        const groups = [...st.groups.entries()].sort((a, b) => b[1].length - a[1].length);
        for (const [key, ss] of groups.slice(0, 15)) console.log(`  ${String(ss.length).padStart(4)}  ${key.slice(0, 150)}  [seeds ${ss.slice(0, 6).join(' ')}${ss.length > 6 ? ' …' : ''}]`);
        for (const [key, ss] of st.refused) console.log(`  refused ${ss.length}: ${key.slice(0, 120)} [seeds ${ss.slice(0, 6).join(' ')}]`);
        if (st.differ && !o.quiet) {
            const fam = [...st.byFamily.entries()].filter(([, [, d]]) => d > 0).sort((a, b) => b[1][1] / b[1][0] - a[1][1] / a[1][0]);
            console.log(`  differing share by family: ${fam.map(([f, [n, d]]) => `${f} ${d}/${n}`).join(', ')}`);
        }
        for (const f of st.failures.slice(0, o.reduce)) {
            const r = await reduce(runner, py, profile, f.source, f.verdict);
            const file = path.join(o.out, profile, `${f.seed}.min.py`);
            fs.writeFileSync(file, r.source);
            console.log(`  reduced seed ${f.seed} in ${r.tests} tests: ${r.source.split('\n').length - 1} lines → ${path.relative(process.cwd(), file)}`);
        }
        anyDiffer += st.differ;
    }
    if (!o.quiet) console.log(`CPython runs: ${runner.stats.runs} made, ${runner.stats.cached} from the cache`);
    return anyDiffer ? 1 : 0;
}

async function show(o: Options, runner: CPythonRunner, pys: Map<string, Interpreter>): Promise<number> {
    for (const profile of o.profiles) {
        const g = generate(o.show!, dialectOf(profile), { only: o.families });
        console.log(`#### seed ${o.show} on ${profile} (families: ${g.families.join(', ')})\n${g.source}`);
        const py = pys.get(profile)!;
        const cp = await runner.run(py, g.source, '0');
        const en = runEngine(g.source, profile);
        console.log(`---- CPython ${py.full} (exit ${cp.exitCode})\n${cp.stdout}${cp.stderr ? `---- stderr\n${cp.stderr}` : ''}`);
        console.log(`---- engine (exit ${en.exitCode})\n${en.stdout}${en.stderr ? `---- stderr\n${en.stderr}` : ''}${en.error ? `---- error ${en.error.kind}: ${en.error.message}\n` : ''}`);
    }
    return 0;
}

async function main(): Promise<void> {
    const o = parseArgs(process.argv.slice(2));
    const pys = interpreters();
    const runner = new CPythonRunner(o.cache ? path.join(REPO, '.fuzz-cache') : null, o.jobs);
    let code = 0;
    try {
        if (o.recordSample) code = await recordSample(runner, pys, REPO);
        else if (o.sampleDivergences) code = writeSampleDivergences(path.join(REPO, 'test', 'fuzz', 'sample'));
        else if (o.countProbe) code = await countProbe(runner, pys, o.profiles, fs.readFileSync(o.countProbe, 'utf8'));
        else if (o.countSurvey) code = await countSurvey(runner, pys, o.profiles, o.seeds);
        else if (o.firstCount) code = await firstCountSurvey(runner, pys, o.profiles, o.seeds);
        else if (o.show !== null) code = await show(o, runner, pys);
        else code = await fuzz(o, runner, pys);
    } finally {
        runner.dispose();
    }
    process.exit(code);
}

main().catch((e) => {
    console.error(e?.stack ?? String(e));
    process.exit(2);
});
