/*
 * gcops.ts
 *
 * The gc module as programs use it: collections (the count they return includes whatever the
 * interpreter itself left as cyclic garbage), generation counts, thresholds that make automatic
 * collections happen mid-program, disabling the collector, gc.garbage, and gc.callbacks (3.x)
 * that print each collection's phase and figures.
 */

import type { Family } from './family';

export const collect: Family = {
    name: 'collect',
    weight: 12,
    inFunction: true,
    emit(p) {
        const gc = p.need('gc');
        switch (p.rng.weighted([
            ['print', 6],
            ['bare', 2],
            ['gen', 2],
            ['bound', 1],
        ] as const)) {
            case 'print':
                p.line(`print('gc', ${gc}.collect())`);
                break;
            case 'bare':
                p.line(`${gc}.collect()`);
                break;
            case 'gen': {
                const g = p.rng.int(3);
                p.line(`print('gc${g}', ${gc}.collect(${g}))`);
                break;
            }
            default: {
                const n = p.name('n');
                p.line(`${n} = ${gc}.collect()`, `print('collected', ${n})`);
            }
        }
        return true;
    },
};

export const count: Family = {
    name: 'count',
    weight: 3,
    emit(p) {
        const gc = p.need('gc');
        p.line(p.rng.pick([`print('count', ${gc}.get_count())`, `print('count0', ${gc}.get_count()[0] > 0)`, `print('collect+count', ${gc}.collect(), ${gc}.get_count())`]));
        return true;
    },
};

export const threshold: Family = {
    name: 'threshold',
    weight: 3,
    emit(p) {
        const gc = p.need('gc');
        p.use('Node');
        const t = p.rng.pick([1, 2, 3, 5, 10, 25, 100]);
        const n = p.rng.range(3, 12);
        const lbl = p.label('t');
        const i = p.name('i');
        const v = p.name('tv');
        p.line(`${gc}.set_threshold(${t}${p.rng.chance(0.3) ? `, ${p.rng.range(1, 10)}, ${p.rng.range(1, 10)}` : ''})`);
        if (p.rng.chance(0.3)) p.line(`print('threshold', ${gc}.get_threshold())`);
        p.block(`for ${i} in range(${n}):`, () => {
            p.line(`${v} = Node('${lbl}_%d' % ${i})`);
            if (p.rng.chance(0.7)) p.line(`${v}.ref = ${v}`);
        });
        p.line(`del ${v}`);
        if (p.rng.chance(0.5)) p.line(`${gc}.set_threshold(${p.py2 ? 700 : p.rng.pick([700, 2000])})`);
        return true;
    },
};

export const disable: Family = {
    name: 'disable',
    weight: 3,
    emit(p) {
        const gc = p.need('gc');
        if (p.state.gcDisabled) {
            p.line(`${gc}.enable()`);
            p.state.gcDisabled = false;
        } else {
            p.line(`${gc}.disable()`);
            p.state.gcDisabled = true;
        }
        if (p.rng.chance(0.3)) p.line(`print('enabled', ${gc}.isenabled())`);
        return true;
    },
};

export const garbage: Family = {
    name: 'garbage',
    weight: 2,
    emit(p) {
        const gc = p.need('gc');
        p.line(p.rng.pick([`print('garbage', len(${gc}.garbage))`, `print('garbage', [type(g).__name__ for g in ${gc}.garbage])`]));
        return true;
    },
};

export const callbacks: Family = {
    name: 'callbacks',
    weight: 3,
    dialects: ['py3'],
    emit(p) {
        const gc = p.need('gc');
        if (p.state.gcCallbacks) {
            p.line(`${gc}.callbacks.remove(gccb)`);
            p.state.gcCallbacks = false;
            return true;
        }
        p.use('gccb');
        p.line(`${gc}.callbacks.append(gccb)`);
        p.state.gcCallbacks = true;
        return true;
    },
};
