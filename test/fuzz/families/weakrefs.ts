/*
 * weakrefs.ts
 *
 * weakref.ref with and without callbacks (3.x runs __del__ before the callback on refcount death,
 * 2.7 the reverse; in a collection every callback runs before any __del__), proxies, the weak
 * containers (WeakValueDictionary, WeakKeyDictionary, WeakSet) and weakref.finalize (at exit it
 * runs pending finalizers newest first; atexit=False ones never).
 */

import type { Family } from './family';
import type { Program } from '../program';

/** An object to refer to weakly: an existing instance, or a new one bound to a name. */
function target(p: Program): { name: string; label: string } {
    const insts = p.live('inst');
    if (insts.length && p.rng.chance(0.6)) {
        const t = p.rng.pick(insts);
        return { name: t.name, label: t.label };
    }
    const o = p.newObject({ plain: true });
    const name = p.name('w');
    p.line(`${name} = ${o.expr}`);
    p.bind({ name, kind: 'inst', cls: o.cls, label: o.label });
    return { name, label: o.label };
}

export const weakref: Family = {
    name: 'weakref',
    weight: 8,
    inFunction: true,
    emit(p) {
        const wr = p.need('weakref');
        const t = target(p);
        const r = p.name('r');
        if (p.rng.chance(0.7)) {
            p.use('mkcb');
            p.line(`${r} = ${wr}.ref(${t.name}, mkcb('${t.label}'))`);
        } else {
            p.line(`${r} = ${wr}.ref(${t.name})`);
        }
        p.bind({ name: r, kind: 'weakref', label: t.label });
        if (p.rng.chance(0.3)) p.line(`print('alive', ${r}() is not None)`);
        return true;
    },
};

export const weakcheck: Family = {
    name: 'weakcheck',
    weight: 4,
    inFunction: true,
    emit(p) {
        const refs = p.live('weakref', 'proxy', 'finalizer');
        if (!refs.length) return false;
        const r = p.rng.pick(refs);
        if (r.kind === 'weakref') p.line(`print('ref ${r.label}', ${r.name}() is None)`);
        else if (r.kind === 'finalizer') p.line(`print('fin alive', ${r.name}.alive)`);
        else {
            p.block('try:', () => p.line(`print('proxy', ${r.name}.name)`));
            p.block('except ReferenceError:', () => p.line("print('proxy dead')"));
        }
        return true;
    },
};

export const proxy: Family = {
    name: 'proxy',
    weight: 3,
    inFunction: true,
    emit(p) {
        const wr = p.need('weakref');
        const t = target(p);
        const r = p.name('px');
        p.line(`${r} = ${wr}.proxy(${t.name})`);
        p.bind({ name: r, kind: 'proxy', label: t.label });
        return true;
    },
};

export const weakcontainer: Family = {
    name: 'weakcontainer',
    weight: 4,
    emit(p) {
        const wr = p.need('weakref');
        const kind = p.rng.pick(['WeakValueDictionary', 'WeakKeyDictionary', 'WeakSet']);
        const c = p.name('wc');
        p.line(`${c} = ${wr}.${kind}()`);
        const n = p.rng.range(1, 3);
        const held: string[] = [];
        for (let i = 0; i < n; i++) {
            const t = target(p);
            held.push(t.name);
            if (kind === 'WeakValueDictionary') p.line(`${c}['${t.label}'] = ${t.name}`);
            else if (kind === 'WeakKeyDictionary') p.line(`${c}[${t.name}] = '${t.label}'`);
            else p.line(`${c}.add(${t.name})`);
        }
        p.line(`print('${kind}', len(${c}))`);
        if (kind === 'WeakValueDictionary' && p.rng.chance(0.5)) p.line(`print('keys', sorted(${c}.keys()))`);
        p.bind({ name: c, kind: 'other', label: c });
        return true;
    },
};

export const finalize: Family = {
    name: 'finalize',
    weight: 6,
    dialects: ['py3'],
    emit(p) {
        const wr = p.need('weakref');
        const t = target(p);
        const f = p.name('f');
        const call = p.rng.weighted([
            ['print', 4],
            ['bye', 3],
            ['show', 1],
        ] as const);
        let expr: string;
        if (call === 'print') expr = `${wr}.finalize(${t.name}, print, 'finalize', '${t.label}')`;
        else if (call === 'bye') {
            p.use('bye');
            expr = `${wr}.finalize(${t.name}, bye, '${t.label}'${p.rng.chance(0.5) ? `, n=${p.rng.range(1, 9)}` : ''})`;
        } else {
            // A finalizer whose arguments hold the object keeps it alive until exit.
            p.use('show');
            expr = `${wr}.finalize(${t.name}, show, ${t.name})`;
        }
        const bound = p.rng.chance(0.7);
        p.line(bound ? `${f} = ${expr}` : expr);
        if (bound) {
            p.bind({ name: f, kind: 'finalizer', label: t.label });
            const after = p.rng.weighted([
                ['none', 5],
                ['atexit-false', 2],
                ['detach', 1],
                ['call', 1],
                ['peek', 1],
            ] as const);
            if (after === 'atexit-false') p.line(`${f}.atexit = False`);
            else if (after === 'detach') p.line(`print('detached', ${f}.detach() is not None)`);
            else if (after === 'call') p.line(`${f}()`);
            else if (after === 'peek') p.line(`print('peek', ${f}.peek() is not None)`);
        }
        return true;
    },
};
