/*
 * resurrection.ts
 *
 * A `__del__` that stores its object in a global list: the object comes back to life. PEP 442
 * (3.4+) never finalizes it again; 2.7 calls `__del__` each time it dies; 3.8 keeps a whole
 * collected set alive when one member resurrects, 3.9+ frees the rest.
 */

import type { Family } from './family';

export const resurrect: Family = {
    name: 'resurrect',
    weight: 3,
    emit(p) {
        p.use('Res');
        const v = p.name('z');
        const lbl = p.label('z');
        p.line(`${v} = Res('${lbl}')`);
        if (p.rng.chance(0.5)) p.line(`${v}.ref = ${v}`);
        p.line(`del ${v}`);
        switch (p.rng.int(3)) {
            case 0:
                p.line("print('graveyard', [g.name for g in graveyard])");
                break;
            case 1:
                p.line('del graveyard[:]');
                break;
            default:
                p.line('graveyard.pop() if graveyard else None');
        }
        return true;
    },
};
