/*
 * refuse.ts
 *
 * The run-time half of "no invented Python errors": when a name lookup fails at run time (a
 * builtin name the static pass could not see, an attribute reached dynamically: `getattr(gc,
 * name)`, a module or object passed around, a method of a built-in type), and the name is one the
 * profile's interpreter defines there (names/table.ts), the run stops with the engine's "not
 * supported in scenarios yet" error instead of a NameError or AttributeError CPython would not raise.
 * Only failed lookups come here: nothing is added to the paths that find what they look for.
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { EngineStop } from '../interp/signals';
import { namesFor, recordedAttributes, type ProfileNames } from './table';

export const UNSUPPORTED = 'not supported in scenarios yet: ';

/** The engine error for `what`, at the position being evaluated. */
export function unsupportedAt(it: Interpreter, what: string): EngineStop {
    return new EngineStop({ kind: 'unsupported', message: UNSUPPORTED + what, line: it.line || 1, col: it.col || 1 });
}

/** The recorded table's key of a type: its name for built-in types, `module.qualname` otherwise. */
export function typeKey(t: PyType): string {
    const m = t.module;
    return m === 'builtins' || m === '__builtin__' || m === 'exceptions' || m === '__main__' ? t.name : `${m}.${t.qualname}`;
}

/** The module's recorded names (builtins: dir(builtins) and what `site` adds), or null. */
function moduleNames(names: ProfileNames, module: string): ((n: string) => boolean) | null {
    if (module === 'builtins' || module === '__builtin__') return (n) => names.builtins.has(n) || names.site.has(n);
    const m = names.modules.get(module);
    return m ? (n) => m.has(n) : null;
}

/** A built-in name the interpreter defines but the engine does not: the run stops. */
export function refuseBuiltinName(it: Interpreter, name: string): void {
    const names = namesFor(it.profile.name);
    if (names.builtins.has(name) || names.site.has(name)) throw unsupportedAt(it, name);
}

/**
 * `obj.name` was not found: when the interpreter would have found it (a module's recorded
 * attribute, a recorded attribute of a built-in class in the MRO of `obj` or of its type, or of
 * `type` for a class), the run stops naming it (`gc.get_stats`, `str.casefold`, `type.mro`).
 */
export function refuseAttribute(it: Interpreter, obj: PyObject, name: string): void {
    const what = recordedAttributeOwner(it, obj, name);
    if (what) throw unsupportedAt(it, `${what}.${name}`);
}

/** Who defines a recorded attribute the engine lacks ("gc", "str", "type"), or null. */
export function recordedAttributeOwner(it: Interpreter, obj: PyObject, name: string): string | null {
    const names = namesFor(it.profile.name);
    if (obj instanceof PyModule) {
        const has = moduleNames(names, obj.name);
        if (has?.(name)) return obj.name;
    }
    const owner = builtinOwner(names, obj instanceof PyType ? obj.mro : obj.type.mro, name);
    if (owner) return owner;
    // A class also has its metatype's attributes (type.mro, type.__subclasses__…).
    if (obj instanceof PyType) return builtinOwner(names, obj.type.mro, name);
    return null;
}

/** The first built-in class of `mro` whose recorded attributes include `name`, by its name. */
function builtinOwner(names: ProfileNames, mro: readonly PyType[], name: string): string | null {
    for (const t of mro) {
        if (t.isHeap) continue;
        const key = typeKey(t);
        if (names.types.has(key) && recordedAttributes(names, key).has(name)) {
            // Name the class that defines it, not the most derived one (`object.__sizeof__`).
            for (const k of names.types.get(key)!.mro) if (names.types.get(k)?.own.has(name)) return names.types.get(k)!.name;
            return t.name;
        }
    }
    return null;
}
