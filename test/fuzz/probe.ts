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
