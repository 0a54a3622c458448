/*
 * index.ts
 *
 * Every statement family the generator draws from. A new mechanism (files, generators, threads,
 * a standard-library module) is a new module here, listed once its feature is supported by the
 * engine on every profile it targets.
 */

import type { Family } from './family';
import type { Program } from '../program';
import { object, temporary, drop, attrs } from './objects';
import { container, mutate } from './containers';
import { cycle } from './cycles';
import { collect, count, threshold, disable, garbage, callbacks } from './gcops';
import { weakref, weakcheck, proxy, weakcontainer, finalize } from './weakrefs';
import { atexitFamily } from './atexit';
import { exception } from './exceptions';
import { func, defaultArg, closure, loop, withFamily, nested } from './functions';
import { sysattr, registry, importFamily } from './globals';
import { resurrect } from './resurrection';

export type { Family } from './family';

export const FAMILIES: readonly Family[] = [
    object,
    temporary,
    drop,
    attrs,
    container,
    mutate,
    cycle,
    collect,
    count,
    threshold,
    disable,
    garbage,
    callbacks,
    weakref,
    weakcheck,
    proxy,
    weakcontainer,
    finalize,
    atexitFamily,
    exception,
    func,
    defaultArg,
    closure,
    loop,
    withFamily,
    sysattr,
    registry,
    importFamily,
    resurrect,
];

/** Picks a family for the current point (module level or a function body) by weight. */
export function pickFamily(p: Program, allowed: readonly Family[]): Family {
    const fams = allowed.filter((f) => (!f.dialects || f.dialects.includes(p.dialect)) && (!p.inFunction || f.inFunction));
    return p.rng.weighted(fams.map((f) => [f, f.weight] as const));
}

nested.pick = (p) => pickFamily(p, FAMILIES);
