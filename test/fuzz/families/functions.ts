/*
 * functions.ts
 *
 * Functions: bodies built from the other families (their names are locals, freed when the frame
 * ends, in an order that changed in 3.11), arguments (stolen into the callee frame from 3.11),
 * return values kept or dropped, default arguments and function attributes that keep objects as
 * long as the function lives, closures, lambdas, loops.
 */

import type { Family } from './family';
import type { Program } from '../program';

/** Filled in by families/index.ts: the families that may write inside a function body. */
export const nested: { pick: ((p: Program) => Family) | null } = { pick: null };

export const func: Family = {
    name: 'function',
    weight: 8,
    emit(p) {
        const f = p.name('fn');
        const nargs = p.rng.int(3);
        const params = Array.from({ length: nargs }, (_, i) => `p${i}`);
        let ret: string | null = null;
        p.func(`def ${f}(${params.join(', ')}):`, () => {
            for (const q of params) p.bind({ name: q, kind: 'inst', label: q });
            const n = p.rng.range(1, 4);
            for (let k = 0; k < n; k++) {
                for (let tries = 0; tries < 5; tries++) if (nested.pick!(p).emit(p)) break;
            }
            if (p.rng.chance(0.3)) p.line(`print('in ${f}')`);
            const locals = p.live().filter((l) => l.kind !== 'func' && !params.includes(l.name));
            if (locals.length && p.rng.chance(0.5)) {
                ret = p.rng.pick(locals).name;
                p.line(`return ${ret}`);
            }
        });
        p.bind({ name: f, kind: 'func', label: f });
        const calls = p.rng.chance(0.2) ? 2 : 1;
        for (let c = 0; c < calls; c++) {
            const args = params.map(() => p.newObject().expr).join(', ');
            if (ret && p.rng.chance(0.7)) {
                const v = p.name('res');
                p.line(`${v} = ${f}(${args})`);
                p.bind({ name: v, kind: 'other', label: v });
            } else {
                p.line(`${f}(${args})`);
            }
        }
        return true;
    },
};

export const defaultArg: Family = {
    name: 'default-arg',
    weight: 2,
    emit(p) {
        const f = p.name('fd');
        const o = p.newObject();
        p.func(`def ${f}(x=${o.expr}):`, () => p.line('return x.name'));
        p.line(`print('default', ${f}())`);
        p.bind({ name: f, kind: 'func', label: f });
        if (p.rng.chance(0.4)) {
            const o2 = p.newObject();
            p.line(`${f}.attr = ${o2.expr}`);
        }
        return true;
    },
};

export const closure: Family = {
    name: 'closure',
    weight: 3,
    inFunction: true,
    emit(p) {
        const f = p.name('outer');
        const o = p.newObject();
        const g = p.name('get');
        p.func(`def ${f}():`, () => {
            p.line(`held = ${o.expr}`);
            if (p.rng.chance(0.5)) p.line('return lambda: held.name');
            else {
                p.func('def inner():', () => p.line('return held.name'));
                p.line('return inner');
            }
        });
        p.line(`${g} = ${f}()`);
        if (p.rng.chance(0.6)) p.line(`print('closure', ${g}())`);
        p.bind({ name: g, kind: 'other', label: o.label });
        p.bind({ name: f, kind: 'func', label: f });
        return true;
    },
};

export const loop: Family = {
    name: 'loop',
    weight: 5,
    inFunction: true,
    emit(p) {
        p.use('Node');
        const v = p.name('it');
        const lbl = p.label('l');
        const n = p.rng.range(2, 4);
        switch (p.rng.int(4)) {
            case 0:
                p.block(`for ${v} in range(${n}):`, () => p.line(`tmp = Node('${lbl}_%d' % ${v})`));
                p.bind({ name: 'tmp', kind: 'inst', cls: 'Node', label: lbl });
                break;
            case 1: {
                const items = Array.from({ length: n }, () => p.newObject().expr);
                p.block(`for ${v} in [${items.join(', ')}]:`, () => p.line(`print('visit', ${v}.name)`));
                p.bind({ name: v, kind: 'inst', label: lbl });
                break;
            }
            case 2: {
                const w = p.name('k');
                p.line(`${w} = 0`);
                p.block(`while ${w} < ${n}:`, () => {
                    p.line(`cur = Node('${lbl}_%d' % ${w})`);
                    p.line(`${w} += 1`);
                    if (p.rng.chance(0.3)) p.block(`if ${w} == ${n - 1}:`, () => p.line('break'));
                });
                p.bind({ name: 'cur', kind: 'inst', cls: 'Node', label: lbl });
                break;
            }
            default: {
                const items = Array.from({ length: n }, () => p.newObject().expr);
                const lst = p.name('seq');
                p.line(`${lst} = [${items.join(', ')}]`);
                p.block(`for ${v} in ${lst}:`, () => p.block(`if ${v}.name.endswith('1'):`, () => p.line('continue')));
                p.bind({ name: lst, kind: 'list', label: lst });
                p.bind({ name: v, kind: 'inst', label: lbl });
            }
        }
        return true;
    },
};

export const withFamily: Family = {
    name: 'with',
    weight: 3,
    inFunction: true,
    emit(p) {
        p.use('Ctx');
        const v = p.name('cm');
        const lbl = p.label('w');
        const raises = p.rng.chance(0.25);
        if (raises) {
            p.block('try:', () => {
                p.block(`with Ctx('${lbl}') as ${v}:`, () => p.line("raise KeyError('in with')"));
            });
            p.block('except KeyError:', () => p.line("print('with raised')"));
        } else {
            p.block(`with Ctx('${lbl}') as ${v}:`, () => p.line(`print('inside', ${v}.name)`));
        }
        p.bind({ name: v, kind: 'other', label: lbl });
        return true;
    },
};
