/*
 * cycles.ts
 *
 * Reference cycles of many shapes (self-loop, pair, ring, chain with a back link, a tree with
 * parent links, a list or dict containing itself, a cycle through a container, a bound method or
 * a closure), with or without finalizers, kept or dropped. Only the collector frees a dropped
 * cycle: when, and in which order it finalizes the members, follows its lists.
 */

import type { Family } from './family';
import type { Program, NewObject } from '../program';

/** The attribute that links two objects (Slot instances only have `ref` and `other`). */
function link(p: Program, o: NewObject): string {
    return o.cls === 'Slot' ? p.rng.pick(['ref', 'other']) : p.rng.pick(['ref', 'other', 'peer']);
}

function objs(p: Program, n: number): NewObject[] {
    return Array.from({ length: n }, () => p.newObject({ plain: true }));
}

export const cycle: Family = {
    name: 'cycle',
    weight: 14,
    inFunction: true,
    emit(p) {
        const names: string[] = [];
        const shape = p.rng.pick(['self', 'pair', 'ring', 'chain', 'tree', 'list', 'dict', 'via-list', 'method', 'closure']);
        const bindInst = (name: string, o: NewObject): void => {
            names.push(name);
            p.bind({ name, kind: 'inst', cls: o.cls, label: o.label });
        };
        switch (shape) {
            case 'self': {
                const [o] = objs(p, 1);
                const n = p.name('s');
                p.line(`${n} = ${o.expr}`, `${n}.${link(p, o)} = ${n}`);
                bindInst(n, o);
                break;
            }
            case 'pair': {
                const [a, b] = objs(p, 2);
                const na = p.name('a');
                const nb = p.name('b');
                const sep = p.rng.chance(0.5) ? '; ' : '\n';
                p.line(`${na} = ${a.expr}${sep}${nb} = ${b.expr}`);
                p.line(`${na}.${link(p, a)} = ${nb}${sep}${nb}.${link(p, b)} = ${na}`);
                bindInst(na, a);
                bindInst(nb, b);
                break;
            }
            case 'ring': {
                p.use('Node');
                const n = p.rng.range(2, 6);
                const name = p.name('ring');
                const lbl = p.label('r');
                const i = p.name('i');
                p.line(`${name} = [Node('${lbl}_%d' % ${i}) for ${i} in range(${n})]`);
                const forward = p.rng.chance(0.6);
                p.block(`for ${i} in range(${n}):`, () =>
                    p.line(forward ? `${name}[${i}].ref = ${name}[(${i} + 1) % ${n}]` : `${name}[(${i} + 1) % ${n}].ref = ${name}[${i}]`),
                );
                names.push(name);
                p.bind({ name, kind: 'list', label: name });
                break;
            }
            case 'chain': {
                const os = objs(p, p.rng.range(3, 5));
                const ns = os.map(() => p.name('c'));
                os.forEach((o, k) => p.line(`${ns[k]} = ${o.expr}`));
                for (let k = 0; k + 1 < os.length; k++) p.line(`${ns[k]}.${link(p, os[k])} = ${ns[k + 1]}`);
                const back = p.rng.int(os.length - 1);
                p.line(`${ns[os.length - 1]}.${link(p, os[os.length - 1])} = ${ns[back]}`);
                os.forEach((o, k) => bindInst(ns[k], o));
                break;
            }
            case 'tree': {
                p.use('Holder');
                const root = p.name('root');
                const kids = objs(p, p.rng.range(2, 3));
                p.line(`${root} = Holder('${p.label('h')}', ${kids.map((k) => k.expr).join(', ')})`);
                p.block(`for kid in ${root}.items:`, () => p.line(`kid.${p.rng.chance(0.5) ? 'ref' : 'other'} = ${root}`));
                names.push(root);
                p.bind({ name: root, kind: 'other', label: root });
                break;
            }
            case 'list': {
                const [o] = objs(p, 1);
                const n = p.name('l');
                p.line(`${n} = [${o.expr}]`, `${n}.append(${n})`);
                names.push(n);
                p.bind({ name: n, kind: 'list', label: n });
                break;
            }
            case 'dict': {
                const [o] = objs(p, 1);
                const n = p.name('dc');
                p.line(`${n} = {'v': ${o.expr}}`, `${n}['self'] = ${n}`);
                names.push(n);
                p.bind({ name: n, kind: 'dict', label: n });
                break;
            }
            case 'via-list': {
                const [a, b] = objs(p, 2);
                const n = p.name('v');
                p.line(`${n} = ${a.expr}`, `${n}.${link(p, a)} = [${n}, ${b.expr}]`);
                bindInst(n, a);
                break;
            }
            case 'method': {
                p.use('Node');
                const lbl = p.label('m');
                const n = p.name('m');
                p.line(`${n} = Node('${lbl}')`, `${n}.cb = ${n}.touch`);
                bindInst(n, { expr: '', label: lbl, cls: 'Node' });
                break;
            }
            default: {
                p.use('Node');
                const f = p.name('make');
                const lbl = p.label('cl');
                p.func(`def ${f}():`, () => {
                    p.line(`n = Node('${lbl}')`);
                    p.func('def inner():', () => p.line('return n.name'));
                    p.line('n.fn = inner');
                    p.line(p.rng.chance(0.5) ? 'return n' : 'return None');
                });
                const keep = p.rng.chance(0.4);
                if (keep) {
                    const n = p.name('k');
                    p.line(`${n} = ${f}()`);
                    p.bind({ name: n, kind: 'other', label: lbl });
                } else {
                    p.line(`${f}()`);
                }
                p.bind({ name: f, kind: 'func', label: f });
                return true;
            }
        }
        // Mostly drop the cycle at once (only the collector can free it now).
        if (names.length && p.rng.chance(0.7)) {
            p.line(`del ${names.join(', ')}`);
            for (const n of names) p.unbind(n);
        }
        return true;
    },
};
