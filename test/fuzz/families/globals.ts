/*
 * globals.ts
 *
 * Objects kept where module teardown meets them late: on `sys` (wiped last; its finalizers can no
 * longer print), in `builtins` (restored from the start-up copy), on a class (a registry lives as
 * long as the class), and a module import in the middle of the program (each import leaves its own
 * objects, and cyclic garbage, in the collector's lists).
 */

import type { Family } from './family';
import type { ModuleName } from '../program';

export const sysattr: Family = {
    name: 'sys-builtins',
    weight: 4,
    emit(p) {
        const where = p.rng.pick(['sys', 'builtins'] as const);
        const m = p.need(where);
        const attr = p.name('keep');
        const o = p.newObject();
        p.line(p.rng.chance(0.3) ? `${m}.${attr} = [${o.expr}]` : `${m}.${attr} = ${o.expr}`);
        return true;
    },
};

export const registry: Family = {
    name: 'registry',
    weight: 2,
    emit(p) {
        p.use('Node');
        p.line(`Node.registry = getattr(Node, 'registry', [])`);
        p.line(`Node.registry.append(${p.newObject().expr})`);
        return true;
    },
};

export const importFamily: Family = {
    name: 'import',
    weight: 3,
    emit(p) {
        const m = p.rng.pick<ModuleName>(['gc', 'os', 'weakref', 'atexit', 'sys']);
        p.importHere(m);
        return true;
    },
};
