/*
 * gcModule.ts
 *
 * The `gc` module (Modules/gcmodule.c): collect, enable/disable, counts and thresholds, debug flags
 * (DEBUG_SAVEALL), gc.garbage and gc.callbacks (real list objects owned by the collector state),
 * freeze/unfreeze, get_referents/get_referrers, is_tracked, get_objects.
 */

import type { PyObject } from '../runtime/object';
import { ObjFlag, GEN_UNTRACKED } from '../runtime/object';
import type { PyModule } from '../runtime/frames';
import { PyBuiltin } from '../runtime/callables';
import { PyInt } from '../runtime/values';
import { PyTuple } from '../runtime/containers';
import type { Interpreter } from '../interp/interpreter';
import { defineFn, setModuleAttr } from './modules';
import { tracingCollect } from '../gc/tracing';
import { arity, toInt, kw, toCInt } from './args';
import { msg } from '../messages';
import { viaTpCall } from '../interp/callTemporaries';
import {
    collectGeneration,
    gcState,
    freeze,
    unfreeze,
    trackedObjects,
    DEBUG_STATS,
    DEBUG_COLLECTABLE,
    DEBUG_UNCOLLECTABLE,
    DEBUG_SAVEALL,
    DEBUG_LEAK,
    DEBUG_INSTANCES,
    DEBUG_OBJECTS,
} from '../gc/collector';

export function createGcModule(it: Interpreter): PyModule {
    const m = it.newModule('gc');
    const heap = it.heap;
    const st = gcState(it);
    const py3 = it.profile.major === 3;

    defineFn(it, m, 'collect', (args, kwargs) => {
        arity(it, 'collect', args, 0, 1);
        const g = args[0] ?? kw(kwargs, 'generation');
        const gen = g ? toInt(it, g) : 2;
        if (gen < 0 || gen > 2) throw it.error('ValueError', 'invalid generation');
        if (it.profile.tracingGc) return tracingCollect(it);
        return it.int(collectGeneration(it, gen, 'manual'));
    });
    defineFn(it, m, 'enable', () => {
        heap.enabled = true;
        return it.None;
    });
    defineFn(it, m, 'disable', () => {
        heap.enabled = false;
        return it.None;
    });
    defineFn(it, m, 'isenabled', () => it.bool(heap.enabled));
    defineFn(it, m, 'get_count', () => it.tuple(heap.counts.map((c) => it.int(c))));
    defineFn(it, m, 'get_threshold', () => it.tuple(heap.thresholds.map((c) => it.int(c))));
    // METH_VARARGS: no vectorcall, so the call packs its arguments in a tuple (interp/callTemporaries.ts).
    defineFn(it, m, 'set_threshold', (args) =>
        viaTpCall(it, args.length, 0, () => {
            if (args.length < 1 || args.length > 3) throw it.error('TypeError', msg(it.profile, 'setThresholdArity', String(args.length)));
            // PyArg_ParseTuple "i|ii": every argument is converted before any threshold changes.
            const values = args.map((a) => toCInt(it, a, 'getargs'));
            for (let i = 0; i < values.length; i++) heap.thresholds[i] = values[i];
            return it.None;
        }),
    );
    defineFn(it, m, 'set_debug', (args) => {
        arity(it, 'set_debug', args, 1, 1);
        st.debug = toInt(it, args[0]);
        return it.None;
    });
    defineFn(it, m, 'get_debug', () => it.int(st.debug));
    defineFn(it, m, 'is_tracked', (args) => {
        arity(it, 'is_tracked', args, 1, 1);
        const o = args[0];
        if (o instanceof PyBuiltin) return it.True;
        // Constant tuples (co_consts) are created tracked at compile time; the engine keeps them as
        // static objects, so they count as tracked until the first collection untracks them.
        if (o instanceof PyTuple && o.flags & ObjFlag.Atomic) return it.bool(st.collections === 0 && o.items.length > 0);
        return it.bool(!(o.flags & ObjFlag.Atomic) && o.isGcType() && o.gen !== GEN_UNTRACKED);
    });
    if (py3 && it.profile.minor >= 9) {
        defineFn(it, m, 'is_finalized', (args) => {
            arity(it, 'is_finalized', args, 1, 1);
            return it.bool((args[0].flags & ObjFlag.Finalized) !== 0);
        });
    }
    defineFn(it, m, 'get_referents', (args) => {
        const out: PyObject[] = [];
        for (const o of args) {
            // A constant tuple is atomic here (shared, never freed) but a GC type to CPython.
            if ((o.flags & ObjFlag.Atomic && !(o instanceof PyTuple)) || !o.isGcType()) continue;
            o.traverse((child) => out.push(it.incref(child)));
        }
        return it.list(out);
    });
    defineFn(it, m, 'get_referrers', (args) => {
        const targets = new Set(args);
        const out: PyObject[] = [];
        for (const o of trackedObjects(it, null)) {
            let hit = false;
            o.traverse((child) => {
                if (targets.has(child)) hit = true;
            });
            if (hit) out.push(it.incref(o));
        }
        return it.list(out);
    });
    defineFn(it, m, 'get_objects', (args, kwargs) => {
        const g = args[0] ?? kw(kwargs, 'generation');
        const gen = g && g !== it.None ? toInt(it, g) : null;
        if (gen !== null && (gen < 0 || gen > 2)) throw it.error('ValueError', gen < 0 ? 'generation parameter must be positive' : 'generation parameter must be less than the number of available generations (3)');
        return it.list(trackedObjects(it, gen).map((o) => it.incref(o)));
    });
    if (py3) {
        defineFn(it, m, 'freeze', () => {
            freeze(it);
            return it.None;
        });
        defineFn(it, m, 'unfreeze', () => {
            unfreeze(it);
            return it.None;
        });
        defineFn(it, m, 'get_freeze_count', () => it.int(heap.permanent.size()));
        defineFn(it, m, 'get_stats', (args) => {
            arity(it, 'get_stats', args, 0, 0);
            return it.list(
                st.stats.map(([collections, collected, uncollectable]) => {
                    const d = it.dict();
                    d.set(heap, it.str('collections'), it.int(collections));
                    d.set(heap, it.str('collected'), it.int(collected));
                    d.set(heap, it.str('uncollectable'), it.int(uncollectable));
                    return d;
                }),
            );
        });
    }
    setModuleAttr(it, m, 'garbage', it.incref(st.garbage));
    if (py3) setModuleAttr(it, m, 'callbacks', it.incref(st.callbacks));
    const consts: [string, number][] = [
        ['DEBUG_STATS', DEBUG_STATS],
        ['DEBUG_COLLECTABLE', DEBUG_COLLECTABLE],
        ['DEBUG_UNCOLLECTABLE', DEBUG_UNCOLLECTABLE],
        ['DEBUG_SAVEALL', DEBUG_SAVEALL],
        ['DEBUG_LEAK', DEBUG_LEAK],
    ];
    if (!py3) consts.push(['DEBUG_INSTANCES', DEBUG_INSTANCES], ['DEBUG_OBJECTS', DEBUG_OBJECTS]);
    for (const [name, v] of consts) setModuleAttr(it, m, name, it.int(v));
    return m;
}

export { PyInt };
