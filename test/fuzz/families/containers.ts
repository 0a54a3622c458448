/*
 * containers.ts
 *
 * Lists, tuples and dicts of finalizable objects, built as displays, comprehensions or append
 * loops, then mutated (items deleted, popped, cleared, sliced). Release orders differ by container:
 * list and tuple last to first, dict in insertion order (2.7: hash-table slot order).
 */

import type { Family } from './family';
import type { Program } from '../program';

function items(p: Program, n: number): { exprs: string[]; labels: string[] } {
    const exprs: string[] = [];
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
        const o = p.newObject();
        exprs.push(o.expr);
        labels.push(o.label);
    }
    return { exprs, labels };
}

export const container: Family = {
    name: 'container',
    weight: 10,
    inFunction: true,
    emit(p) {
        const n = p.rng.range(1, 4);
        const shape = p.rng.pick(['lst', 'tup', 'd', 'nest', 'comp', 'acc']);
        const name = p.name(shape);
        if (shape === 'lst') {
            p.line(`${name} = [${items(p, n).exprs.join(', ')}]`);
            p.bind({ name, kind: 'list', label: name });
        } else if (shape === 'tup') {
            const { exprs } = items(p, n);
            p.line(`${name} = (${exprs.join(', ')}${exprs.length === 1 ? ',' : ''})`);
            p.bind({ name, kind: 'tuple', label: name });
        } else if (shape === 'd') {
            const { exprs } = items(p, n);
            const intKeys = p.rng.chance(0.3);
            const keys = exprs.map((_, i) => (intKeys ? String(p.rng.range(0, 20) * 2 + i) : `'k${i}'`));
            p.line(`${name} = {${exprs.map((e, i) => `${keys[i]}: ${e}`).join(', ')}}`);
            p.bind({ name, kind: 'dict', label: name });
        } else if (shape === 'nest') {
            const a = items(p, n).exprs;
            const b = items(p, p.rng.range(1, 2)).exprs;
            p.line(`${name} = [[${a.join(', ')}], (${b.join(', ')},)]`);
            p.bind({ name, kind: 'list', label: name });
        } else if (shape === 'comp') {
            p.use('Node');
            const lbl = p.label('c');
            p.line(`${name} = [Node('${lbl}_%d' % i) for i in range(${n + 1})]`);
            p.bind({ name, kind: 'list', label: name });
        } else {
            p.use('Node');
            const lbl = p.label('a');
            const v = p.name('i');
            p.line(`${name} = []`);
            p.block(`for ${v} in range(${n + 1}):`, () => p.line(`${name}.append(Node('${lbl}_%d' % ${v}))`));
            p.bind({ name, kind: 'list', label: name });
        }
        return true;
    },
};

export const mutate: Family = {
    name: 'mutate',
    weight: 7,
    inFunction: true,
    emit(p) {
        const targets = p.live('list', 'dict');
        if (!targets.length) return false;
        const t = p.rng.pick(targets);
        if (t.kind === 'list') {
            const ops = [
                `del ${t.name}[0]`,
                `${t.name}.pop()`,
                `print('popped', ${t.name}.pop().name)`,
                `del ${t.name}[:]`,
                `${t.name}.reverse()`,
                `${t.name}[0:1] = []`,
                `${t.name}.append(${p.newObject().expr})`,
                `${t.name}.insert(0, ${p.newObject().expr})`,
                `${t.name} *= 1`,
                `print('len', len(${t.name}))`,
            ];
            if (!p.py2) ops.push(`${t.name}.clear()`);
            const op = p.rng.pick(ops);
            // Popping from an empty list would raise: guard the ones that need an item.
            if (/pop\(\)|\[0\]/.test(op)) p.block(`if ${t.name}:`, () => p.line(op));
            else p.line(op);
        } else {
            switch (p.rng.int(6)) {
                case 0:
                    p.block(`for k in list(${t.name}):`, () => p.line(`del ${t.name}[k]`));
                    break;
                case 1:
                    p.line(`${t.name}.clear()`);
                    break;
                case 2:
                    p.line(`${t.name}['new'] = ${p.newObject().expr}`);
                    break;
                case 3:
                    p.block(`if ${t.name}:`, () => p.line(`${t.name}.popitem()`));
                    break;
                case 4:
                    p.line(`${t.name}.update({'u': ${p.newObject().expr}})`);
                    break;
                default:
                    p.line(`print('keys', len(${t.name}))`);
            }
        }
        return true;
    },
};
