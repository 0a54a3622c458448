/*
 * dirObject.ts
 *
 * dir() — PyObject_Dir (Objects/object.c): without an argument the sorted names of the current
 * scope (_dir_locals); with one, the type's `__dir__` (looked up on the type), its result made a
 * list and sorted. The `__dir__`s CPython's types have:
 *   - object.__dir__ (typeobject.c): the instance's `__dict__` keys, then merge_class_dict of its
 *     class: the class's own `__dict__` keys and, recursively, its bases';
 *   - type.__dir__: merge_class_dict of the class itself (not its metaclass);
 *   - module.__dir__: the module dict's own `__dir__` function if it has one, else its keys.
 * Classes written in Python contribute their real dicts. A built-in class contributes the names
 * the real interpreter's class has (the names table, recorded from each version:
 * names/cpython-names.json), not the engine's, which models fewer methods; the same for a
 * built-in module's names. A built-in class the table does not know stops the run as unsupported
 * rather than giving a list CPython would not give.
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { PyList, PyDict, PyTuple } from '../runtime/containers';
import { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { bindDescriptor, getAttrOrNull } from '../interp/attrs';
import { getIter, iterNext } from '../interp/ops';
import { EngineStop } from '../interp/signals';
import { namesFor, recordedAttributes } from '../names/table';

/** Modules whose classes the names table keys by their bare name (scripts/names-probe.py). */
const BARE_MODULES = new Set(['builtins', '__builtin__', 'exceptions']);

/** The names table's key for a built-in class. */
function recordedKey(t: PyType): string {
    return BARE_MODULES.has(t.module) ? t.name : `${t.module}.${t.qualname}`;
}

function unsupported(it: Interpreter, what: string): EngineStop {
    return new EngineStop({ kind: 'unsupported', message: `not supported in scenarios yet: dir() of ${what}`, line: it.line || 1, col: it.col || 1 });
}

/**
 * merge_class_dict: a class's own names and, recursively, its bases'. A built-in class's are the
 * recorded ones, its whole MRO at once (recordedAttributes).
 */
function mergeClassNames(it: Interpreter, t: PyType, out: Set<string>): void {
    if (!t.isHeap) {
        const names = namesFor(it.profile.name);
        const key = recordedKey(t);
        if (!names.types.has(key)) throw unsupported(it, `an object of the built-in class ${t.name}`);
        for (const n of recordedAttributes(names, key)) out.add(n);
        return;
    }
    for (const e of t.dict.entries()) if (e.k instanceof PyStr) out.add(e.k.v);
    const bases = t.basesTuple instanceof PyTuple ? t.basesTuple.items : t.base ? [t.base] : [];
    for (const b of bases) if (b instanceof PyType) mergeClassNames(it, b, out);
}

/** A module's names: the engine's own dict for a module the scenario wrote, the recorded ones for a built-in module. */
function moduleNames(it: Interpreter, m: PyModule): string[] {
    const own = m.dict.getStr('__dir__');
    if (own) return listOfNames(it, call(it, own, [], null));
    if (m === it.mainModule) return mainNames(it, m.dict);
    const rec = namesFor(it.profile.name).modules.get(m.name);
    if (!rec) throw unsupported(it, `the module ${m.name}`);
    return Array.from(rec.keys());
}

/** The main module's names: its dict's, and those CPython's has that the engine does not model. */
export function mainNames(it: Interpreter, d: PyDict): string[] {
    const names = Array.from(d.entries(), (e) => String((e.k as PyStr).v));
    for (const n of it.profile.mainModuleUnmodelled) if (!d.getStr(n)) names.push(n);
    return names;
}

/** PySequence_List of what a `__dir__` returned (any iterable), as strings to sort. */
function listOfNames(it: Interpreter, result: PyObject): string[] {
    try {
        const names: string[] = [];
        const iter = getIter(it, result);
        try {
            for (let x = iterNext(it, iter); x !== null; x = iterNext(it, iter)) {
                const ok = x instanceof PyStr;
                if (ok) names.push((x as PyStr).v);
                it.decref(x);
                if (!ok) throw unsupported(it, 'an object whose __dir__ returns something other than strings');
            }
        } finally {
            it.decref(iter);
        }
        return names;
    } finally {
        it.decref(result);
    }
}

/** The names dir(obj) lists, unsorted (object.__dir__, type.__dir__, module.__dir__ or the class's own). */
export function dirNames(it: Interpreter, obj: PyObject): string[] {
    const custom = obj.type.isHeap ? obj.type.lookup('__dir__') : null;
    if (custom && !(obj instanceof PyType)) {
        // A Python __dir__ on the class (found on the type, bound to the instance). 2.7 takes
        // only a list from it; 3.x makes any iterable one.
        // _PyObject_LookupSpecial binds it: a bound method object, released after the call.
        const bound = bindDescriptor(it, custom, obj, obj.type);
        let result: PyObject;
        try {
            result = call(it, bound, [], null);
        } finally {
            it.decref(bound);
        }
        if (it.profile.major === 2 && !(result instanceof PyList)) {
            const tn = result.type.name;
            it.decref(result);
            throw it.error('TypeError', `__dir__() must return a list, not ${tn}`);
        }
        return listOfNames(it, result);
    }
    if (obj instanceof PyModule) return moduleNames(it, obj);
    const out = new Set<string>();
    if (obj instanceof PyType) {
        mergeClassNames(it, obj, out);
        return Array.from(out);
    }
    // object.__dir__: PyObject_GetAttr(self, '__dict__') (which makes an instance's dict if it
    // has none yet), then the class.
    const d = getAttrOrNull(it, obj, '__dict__');
    if (d) {
        if (d instanceof PyDict) for (const e of d.entries()) if (e.k instanceof PyStr) out.add(e.k.v);
        it.decref(d);
    }
    mergeClassNames(it, obj.type, out);
    return Array.from(out);
}

/** Code-point order, as PyList_Sort compares str objects. */
export function sortNames(names: string[]): string[] {
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** builtin_dir: a new sorted list. `locals` is what locals() gives in the calling frame (no argument). */
export function builtinDir(it: Interpreter, obj: PyObject | null, locals: () => PyObject): PyList {
    let names: string[];
    if (obj === null) {
        const d = locals();
        try {
            if (d === it.mainModule.dict) names = mainNames(it, it.mainModule.dict);
            else names = d instanceof PyDict ? Array.from(d.entries(), (e) => String((e.k as PyStr).v)) : listOfNames(it, it.incref(d));
        } finally {
            it.decref(d);
        }
    } else names = dirNames(it, obj);
    return it.list(sortNames(names).map((n) => it.str(n)));
}
