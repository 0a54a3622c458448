/*
 * unmodelled.ts
 *
 * "Never invent a Python error" for the standard-library modules of modules/*.ts: a name their
 * real module (or one of its classes) has, recorded in names/cpython-names.json, that the engine
 * does not model yet stops the run with the engine's "not supported in scenarios yet" error where
 * it is looked up, instead of an AttributeError CPython would not raise. (A static pass over the
 * whole program, names/refusals.ts, is the builtins work of issue 13; this is the run-time net.)
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { EngineStop } from '../interp/signals';
import { namesFor, recordedAttributes } from '../names/table';

const MODELLED = new Set(['functools', 'collections', 'contextlib', 'itertools', 'types', 'copy', 'json', 'random', 'typing', 'logging', 'traceback', 'operator', 'warnings']);

/** Throws the engine's unsupported error when `obj.name` exists in CPython but not here. */
export function refuseUnmodelled(it: Interpreter, obj: PyObject, name: string): void {
    const names = namesFor(it.profile.name);
    let what: string | null = null;
    if (obj instanceof PyModule) {
        if (MODELLED.has(obj.name) && names.modules.get(obj.name)?.has(name)) what = `${obj.name}.${name}`;
    } else {
        const t = obj instanceof PyType ? obj : obj.type;
        if (!t.isHeap && MODELLED.has(t.module) && recordedAttributes(names, `${t.module}.${t.qualname}`).has(name)) what = `${t.module}.${t.qualname}.${name}`;
    }
    if (what !== null) throw new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: ${what}`, line: it.line || 1, col: it.col || 1 });
}
