/*
 * probe.ts
 *
 * `npm run fuzz -- --count-probe FILE [--python V…]`: where do the engine's allocation counts part
 * from CPython's? The program is instrumented after each module-level statement to print the change
 * of gc.get_count()[0] (the collector disabled, so the count only moves by allocations and
 * deallocations), run on both, and the statements whose deltas differ are listed. This is how the
 * per-version allocation model (free lists, class creation, imports) is measured and checked.
 */

import type { CPythonRunner, Interpreter } from './cpython';
import { runEngine } from './engine';
import { parseTree } from './reduce';
import { generate, dialectOf } from './generate';

const MARK = '@@count';

export function instrument(source: string): { source: string; labels: string[] } {
    const header = source.startsWith('from __future__') ? source.slice(0, source.indexOf('\n') + 1) : '';
    const out: string[] = [header + 'import gc as __gc', '__gc.disable()', '__c0 = __gc.get_count()[0]'];
    const labels: string[] = [];
    for (const n of parseTree(source.slice(header.length))) {
        const text = n.line;
        out.push(text);
        const walk = (ns: typeof n.children): void => {
            for (const c of ns) {
                out.push(c.line);
                walk(c.children);
            }
        };
        walk(n.children);
        labels.push(text.split('\n').pop()!.trim());
        out.push(`__c1 = __gc.get_count()[0]`, `print('${MARK}', __c1 - __c0)`, '__c0 = __gc.get_count()[0]');
    }
    return { source: out.join('\n') + '\n', labels };
}

function deltas(stdout: string): string[] {
    return stdout
        .split('\n')
        .filter((l) => l.startsWith(MARK))
        .map((l) => l.slice(MARK.length + 1));
}

export async function countProbe(runner: CPythonRunner, pys: Map<string, Interpreter>, profiles: string[], source: string): Promise<number> {
    const { source: probe, labels } = instrument(source);
    let differ = 0;
    for (const profile of profiles) {
        const cp = await runner.run(pys.get(profile)!, probe, '0');
        const en = runEngine(probe, profile);
        const a = deltas(cp.stdout);
        const b = deltas(en.stdout);
        const rows: string[] = [];
        let sumA = 0;
        let sumB = 0;
        for (let i = 0; i < labels.length; i++) {
            sumA += Number(a[i] ?? 0);
            sumB += Number(b[i] ?? 0);
            if (a[i] !== b[i]) rows.push(`  ${labels[i].slice(0, 60).padEnd(60)} CPython ${a[i] ?? '-'}  engine ${b[i] ?? '-'}`);
        }
        console.log(`${profile}: ${rows.length} of ${labels.length} statements differ (total CPython ${sumA}, engine ${sumB})${cp.exitCode || en.exitCode ? ` exit ${cp.exitCode}/${en.exitCode}` : ''}`);
        for (const r of rows) console.log(r);
        if (en.error) console.log(`  engine error: ${en.error.message}`);
        if (cp.stderr.trim()) console.log(`  CPython stderr: ${cp.stderr.trim().split('\n').pop()}`);
        differ += rows.length;
    }
    return differ ? 1 : 0;
}

/**
 * `npm run fuzz -- --first-count --seeds A-B [--python V…]`: how far the engine's gen0 count at the
 * first statement is from CPython's over generated programs. Each program gets
 * `print(gc.get_count())` as its first statement (after a `from __future__` line), so the figure
 * is start-up plus compiling that program (interp/compile.ts, compilerKeys.ts, compilerConsts.ts), before anything
 * runs; the histogram is of CPython's count minus the engine's (a collection while compiling shows
 * as a difference near the threshold).
 */
export async function firstCountSurvey(runner: CPythonRunner, pys: Map<string, Interpreter>, profiles: string[], seeds: [number, number]): Promise<number> {
    const probe = "import gc as _g0\nprint('@@', _g0.get_count())\n";
    let differ = 0;
    for (const profile of profiles) {
        const hist = new Map<number, number[]>();
        let same = 0;
        let unusable = 0;
        for (let seed = seeds[0]; seed <= seeds[1]; seed++) {
            const src = generate(seed, dialectOf(profile)).source;
            const cut = src.startsWith('from __future__') ? src.indexOf('\n') + 1 : 0;
            const program = src.slice(0, cut) + probe + src.slice(cut);
            const cp = await runner.run(pys.get(profile)!, program, '0');
            const en = runEngine(program, profile);
            const a = /^@@ \((\d+), (\d+), (\d+)\)$/m.exec(cp.stdout);
            const b = /^@@ \((\d+), (\d+), (\d+)\)$/m.exec(en.stdout);
            if (!a || !b) {
                unusable++;
                continue;
            }
            if (a[0] === b[0]) same++;
            const d = Number(a[1]) - Number(b[1]);
            hist.set(d, [...(hist.get(d) ?? []), seed]);
        }
        const total = seeds[1] - seeds[0] + 1 - unusable;
        differ += total - same;
        console.log(`${profile}: first gc.get_count() equal in ${same} of ${total} programs${unusable ? ` (${unusable} printed no count)` : ''}; CPython minus engine (gen0):`);
        for (const [d, ss] of [...hist.entries()].sort((x, y) => y[1].length - x[1].length).slice(0, 12)) console.log(`  ${String(d).padStart(5)}: ${String(ss.length).padStart(4)}  [seeds ${ss.slice(0, 6).join(' ')}${ss.length > 6 ? ' …' : ''}]`);
    }
    return differ ? 1 : 0;
}

/**
 * `npm run fuzz -- --count-survey --seeds A-B [--python V…]`: the count probe over many generated
 * programs, its differing statements grouped by their text with names and numbers masked, so the
 * statement kinds whose allocations the engine counts differently rank by how many programs they
 * touch (each group shows its most common CPython/engine delta pairs).
 */
export async function countSurvey(runner: CPythonRunner, pys: Map<string, Interpreter>, profiles: string[], seeds: [number, number]): Promise<number> {
    const mask = (s: string): string => s.replace(/'[^']*'/g, "'…'").replace(/\b[A-Za-z_]+\d+\b/g, 'v').replace(/\d+/g, '#');
    let differ = 0;
    for (const profile of profiles) {
        const groups = new Map<string, { seeds: number[]; deltas: Map<string, number> }>();
        let programs = 0;
        let touched = 0;
        const all: number[] = [];
        for (let s = seeds[0]; s <= seeds[1]; s++) all.push(s);
        let next = 0;
        await Promise.all(
            Array.from({ length: 2 }, async () => {
                while (next < all.length) {
                    const seed = all[next++];
                    const { source: probe, labels } = instrument(generate(seed, dialectOf(profile)).source);
                    const cp = await runner.run(pys.get(profile)!, probe, '0');
                    const en = runEngine(probe, profile);
                    const a = deltas(cp.stdout);
                    const b = deltas(en.stdout);
                    programs++;
                    let any = false;
                    for (let i = 0; i < Math.min(a.length, b.length, labels.length); i++) {
                        if (a[i] === b[i]) continue;
                        any = true;
                        const key = mask(labels[i]);
                        const g = groups.get(key) ?? { seeds: [] as number[], deltas: new Map<string, number>() };
                        if (!g.seeds.includes(seed)) g.seeds.push(seed);
                        const d = `${a[i]}/${b[i]}`;
                        g.deltas.set(d, (g.deltas.get(d) ?? 0) + 1);
                        groups.set(key, g);
                    }
                    if (any) touched++;
                }
            }),
        );
        differ += touched;
        console.log(`${profile}: ${touched} of ${programs} programs have a statement whose count delta differs (CPython/engine):`);
        for (const [key, g] of [...groups.entries()].sort((x, y) => y[1].seeds.length - x[1].seeds.length).slice(0, 40)) {
            const ds = [...g.deltas.entries()].sort((x, y) => y[1] - x[1]).slice(0, 4).map(([d, n]) => `${d}×${n}`).join(' ');
            console.log(`  ${String(g.seeds.length).padStart(4)}  ${key.slice(0, 70).padEnd(70)} ${ds}  [seeds ${g.seeds.sort((x, y) => x - y).slice(0, 5).join(' ')}]`);
        }
    }
    return differ ? 1 : 0;
}
