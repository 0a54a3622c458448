/*
 * objects.ts
 *
 * Single objects: bound to a name, temporaries that die within their statement, names dropped or
 * rebound (the new object is built before the old one dies), attributes set in varying orders
 * (instance attributes are released in the dict's order up to 3.10, shared-keys order from 3.11).
 */

import type { Family } from './family';
import type { Program } from '../program';

const ATTRS = ['a', 'b', 'c', 'd'];

/** Attributes any instance takes (a Slot only has the slots it declares; an unknown class may be one). */
function attrNames(p: Program, cls: string | undefined): string[] {
    return cls && cls !== 'Slot' ? ATTRS : ['ref', 'other'];
}

export const object: Family = {
    name: 'object',
    weight: 10,
    inFunction: true,
    emit(p) {
        const o = p.newObject({ plain: true });
        const name = p.name('x');
        p.line(`${name} = ${o.expr}`);
        p.bind({ name, kind: 'inst', cls: o.cls, label: o.label });
        return true;
    },
};

export const temporary: Family = {
    name: 'temporary',
    weight: 4,
    inFunction: true,
    emit(p) {
        const a = p.newObject();
        switch (p.rng.int(4)) {
            case 0:
                p.line(a.expr);
                break;
            case 1:
                p.line(`print('temp', ${a.expr}.name)`);
                break;
            case 2: {
                const b = p.newObject();
                p.line(`print(${a.expr}.name + ${b.expr}.name)`);
                break;
            }
            default:
                p.use('Node');
                p.line(`print('touch', Node('${p.label('t')}').touch())`);
        }
        return true;
    },
};

export const drop: Family = {
    name: 'drop',
    weight: 9,
    inFunction: true,
    emit(p) {
        const live = p.live().filter((l) => l.kind !== 'func');
        if (!live.length) return false;
        const l = p.rng.pick(live);
        switch (p.rng.int(3)) {
            case 0:
                p.line(`del ${l.name}`);
                p.unbind(l.name);
                break;
            case 1:
                p.line(`${l.name} = None`);
                p.unbind(l.name);
                break;
            default: {
                const o = p.newObject();
                p.line(`${l.name} = ${o.expr}`);
                p.bind({ name: l.name, kind: 'inst', cls: o.cls, label: o.label });
            }
        }
        return true;
    },
};

export const attrs: Family = {
    name: 'attrs',
    weight: 6,
    inFunction: true,
    emit(p) {
        const insts = p.live('inst').filter((l) => l.cls !== 'Plain' || p.rng.chance(0.5));
        if (!insts.length) return false;
        const target = p.rng.pick(insts);
        const names = p.rng.shuffle(attrNames(p, target.cls)).slice(0, p.rng.range(1, 3));
        for (const a of names) {
            const o = p.newObject();
            p.line(`${target.name}.${a} = ${o.expr}`);
        }
        if (p.rng.chance(0.25)) p.line(`del ${target.name}.${p.rng.pick(names)}`);
        else if (p.rng.chance(0.2)) {
            const o = p.newObject();
            p.line(`${target.name}.${p.rng.pick(names)} = ${o.expr}`);
        }
        return true;
    },
};
