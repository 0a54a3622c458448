/*
 * generate.ts
 *
 * A generated lifetime program: seed + dialect → source. The program is a sequence of statements
 * drawn from the families (families/index.ts), then an ending (normal end, exit, uncaught
 * exception). The same seed and dialect always give the same program.
 */

import { Rng } from './rng';
import { Program, type Dialect } from './program';
import { FAMILIES, pickFamily, type Family } from './families/index';
import { ending } from './families/endings';

export interface Generated {
    seed: number;
    dialect: Dialect;
    source: string;
    /** Families that wrote statements, in first-use order. */
    families: string[];
}

export interface GenerateOptions {
    /** Restrict to these family names (plus what they need). */
    only?: readonly string[];
}

export function generate(seed: number, dialect: Dialect, options: GenerateOptions = {}): Generated {
    const rng = new Rng(seed * 2 + (dialect === 'py2' ? 1 : 0));
    const p = new Program(rng, dialect);
    const allowed: readonly Family[] = options.only ? FAMILIES.filter((f) => options.only!.includes(f.name)) : FAMILIES;
    const families: string[] = [];
    const n = rng.range(4, 14);
    for (let k = 0; k < n; k++) {
        for (let tries = 0; tries < 8; tries++) {
            const f = pickFamily(p, allowed);
            if (f.emit(p)) {
                if (!families.includes(f.name)) families.push(f.name);
                break;
            }
        }
    }
    if (!options.only || options.only.includes('ending')) ending(p);
    return { seed, dialect, source: p.source(), families };
}

/** The dialect a profile's programs are written in. */
export function dialectOf(profile: string): Dialect {
    return profile === '2.7' ? 'py2' : 'py3';
}
