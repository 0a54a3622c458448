/*
 * chainProbe.ts
 *
 * The chains a real interpreter can check: for objects freed during shutdown, the chain that held
 * them when the program finished running, when its path is a plain Python expression (a module
 * root, attributes, and list/tuple/dict subscripts, nothing elided). scripts/record-chains.mjs
 * evaluates these paths in CPython at the end of the program; test/conformance/chains.test.ts checks
 * that the engine's chains lead where CPython's do.
 */

import { isShutdownPhase } from './decode';
import type { Report } from './types';

/** `x`, `sys.keep`, `registry.items[2]`, `N.cache['k']`, `d[3].next` — nothing else. */
const EVALUABLE = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[(?:-?\d+|'[^'\\\n]*'|"[^"\\\n]*")\])*$/;

export interface EvaluableChain {
    id: number;
    type: string;
    path: string;
}

export function evaluableChains(report: Report): EvaluableChain[] {
    const shutdown = report.timeline.find((p) => isShutdownPhase(p.phase));
    if (!shutdown) return [];
    const out: EvaluableChain[] = [];
    for (const o of report.objects) {
        const c = o.chainInfo;
        if (o.owner !== 'user' || o.survivesExit || !c || !c.root || c.root.kind !== 'module' || c.elided) continue;
        if (c.at >= shutdown.startAt || c.path === '__main__' || !EVALUABLE.test(c.path)) continue;
        out.push({ id: o.id, type: o.type, path: c.path });
    }
    return out;
}
