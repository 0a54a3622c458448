/*
 * exceptions.ts
 *
 * Raised and caught exceptions. A frame that raised stays alive while its traceback does: keeping
 * the exception (`saved = e`, 3.x) makes a cycle exception → traceback → frame → locals that only
 * the collector frees; 2.7 keeps the last handled exception in sys.exc_info until the frame ends.
 */

import type { Family } from './family';

export const exception: Family = {
    name: 'exception',
    weight: 7,
    inFunction: true,
    emit(p) {
        p.use('fails');
        const e = p.name('e');
        const shape = p.rng.weighted([
            ['caught', 4],
            ['saved', 3],
            ['finally', 2],
            ['exc-info', 1],
            ['chained', p.py2 ? 0 : 1],
            ['local-raise', 2],
        ] as const);
        if (shape === 'finally') {
            const o = p.newObject();
            const v = p.name('fx');
            p.block('try:', () => {
                p.line(`${v} = ${o.expr}`);
                p.line(`raise KeyError('${o.label}')`);
            });
            p.block('except KeyError:', () => p.line("print('keyerror')"));
            p.block('finally:', () => p.line(`print('finally')`));
            p.bind({ name: v, kind: 'inst', cls: o.cls, label: o.label });
            return true;
        }
        if (shape === 'local-raise') {
            const o = p.newObject();
            p.block('try:', () => p.line(`raise ValueError(${o.expr}.name)`));
            p.block(`except ValueError as ${e}:`, () => p.line(`print('caught', ${e}.args[0])`));
            return true;
        }
        const lbl = p.label('f');
        p.block('try:', () => p.line(`fails('${lbl}')`));
        p.block(`except ValueError as ${e}:`, () => {
            p.line(`print('caught', ${e})`);
            if (shape === 'saved') {
                const s = p.name('saved');
                p.line(`${s} = ${e}`);
                p.bind({ name: s, kind: 'exc', label: lbl });
            } else if (shape === 'exc-info') {
                const sys = p.need('sys');
                const s = p.name('tb');
                p.line(`${s} = ${sys}.exc_info()[2]`);
                p.bind({ name: s, kind: 'other', label: lbl });
            } else if (shape === 'chained') {
                p.block('try:', () => p.line(`raise RuntimeError('wrapped') from ${e}`));
                p.block('except RuntimeError as w:', () => p.line("print('chained', w.__cause__ is not None)"));
            }
        });
        return true;
    },
};
