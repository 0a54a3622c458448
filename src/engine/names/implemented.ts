/*
 * implemented.ts
 *
 * What the engine implements under a profile, found by building it rather than by a second list
 * that could drift: a scratch interpreter (one per profile, made once per process) is set up like
 * a scenario's, an importable module is imported into it when first asked about, and the static refusal pass
 * (refusals.ts) asks it whether a built-in name, a module attribute, an attribute of a built-in
 * class or of a literal's value exists. Nothing a scenario runs ever touches the scratch one.
 */

import { PROFILES } from '../profiles';
import { IoState } from '../io/state';
import { parseAnnotations } from '../annotations';
import type { PyObject } from '../runtime/object';
import type { PyStr } from '../runtime/values';
import { PyModule } from '../runtime/frames';
import { Interpreter } from '../interp/interpreter';
import { setUpInterpreter } from '../interp/setup';
import { lookupAttr } from '../interp/attrs';
import { importModule } from '../builtins/modules';
import { SUPPORTED_MODULES } from '../modules/supported';
import { PyRaise, EngineStop } from '../interp/signals';

/** The kinds of values a literal evaluates to (their attributes are known before the run). */
export type LiteralKind = 'str' | 'bytes' | 'int' | 'float' | 'list' | 'tuple' | 'dict' | 'set';

export interface Implemented {
    /** Names bound in the builtins module at start-up. */
    readonly builtins: ReadonlySet<string>;
    /** The attributes of an importable module (or recorded submodule such as os.path), or null. */
    module(name: string): ReadonlySet<string> | null;
    /** Does `NAME.attr` find something, for the built-in bound to NAME? */
    builtinAttr(name: string, attr: string): boolean;
    /** Does `literal.attr` find something? */
    literalAttr(kind: LiteralKind, attr: string): boolean;
}

const cache = new Map<string, Implemented>();

/** The engine's names under `profileName` (built on first use). */
export function implementedFor(profileName: string): Implemented {
    let impl = cache.get(profileName);
    if (!impl) {
        impl = build(profileName);
        cache.set(profileName, impl);
    }
    return impl;
}

function build(profileName: string): Implemented {
    const it = new Interpreter({ profile: PROFILES[profileName], maxSteps: 1000, timeLimitMs: Infinity, memory: null, fileName: '<names>', recordEdges: false, keepEvents: false });
    // An empty run directory (the io and os modules read it when imported).
    it.io = new IoState(parseAnnotations('', Object.keys(PROFILES)).flags, '<names>', new Uint8Array());
    setUpInterpreter(it);
    const builtins = new Set<string>();
    for (const e of it.builtinsDict.entries()) builtins.add((e.k as PyStr).v);
    // Modules are imported into it when first asked about, not all up front: most scenarios ask
    // about one or two, and importing every module is most of a short run's start-up.
    const modules = new Map<string, ReadonlySet<string>>();
    const asked = new Set<string>();
    // A module's dict, and what module_getattro finds beside it.
    const keysOf = (m: PyModule): Set<string> => new Set([...Array.from(m.dict.entries(), (e) => (e.k as PyStr).v), '__dict__', '__class__']);
    const load = (name: string): void => {
        if (asked.has(name)) return;
        asked.add(name);
        if (name === '__future__' || !SUPPORTED_MODULES.has(name)) return;
        let m: PyModule;
        try {
            m = importModule(it, name, { line: 1, col: 1, endLine: 1, endCol: 1 });
        } catch (e) {
            // builtins under 2.7 and __builtin__ under 3.x: not importable there.
            if (e instanceof PyRaise || e instanceof EngineStop) return;
            throw e;
        }
        modules.set(name, keysOf(m));
        // Submodules bound as attributes (os.path) have tables of their own.
        for (const e of m.dict.entries()) if (e.v instanceof PyModule && e.v !== m) modules.set(`${name}.${(e.k as PyStr).v}`, keysOf(e.v));
    };
    const has = (o: PyObject, attr: string): boolean => {
        try {
            const v = lookupAttr(it, o, attr);
            it.decref(v);
            return v !== null;
        } catch (e) {
            // A getter that raises exists (it is implemented; what it does is the run's business).
            if (e instanceof PyRaise) return true;
            if (e instanceof EngineStop) return false;
            throw e;
        }
    };
    const samples: Record<LiteralKind, () => PyObject> = {
        str: () => it.str('x'),
        bytes: () => (it.profile.bytesAreStr ? it.str('x') : it.bytes(new Uint8Array([120]))),
        int: () => it.int(1),
        float: () => it.float(1.5),
        list: () => it.list([]),
        tuple: () => it.tuple([]),
        dict: () => it.dict(),
        set: () => it.set(),
    };
    const memo = new Map<string, boolean>();
    const remembered = (key: string, f: () => boolean): boolean => {
        let r = memo.get(key);
        if (r === undefined) memo.set(key, (r = f()));
        return r;
    };
    return {
        builtins,
        module: (name) => {
            // (A submodule's table comes with its parent's import: os.path with os.)
            load(name.split('.')[0]);
            return modules.get(name) ?? (name === 'builtins' || name === '__builtin__' ? builtins : null);
        },
        builtinAttr: (name, attr) =>
            remembered(`b:${name}.${attr}`, () => {
                const v = it.builtinsDict.getStr(name);
                return v !== null && has(v, attr);
            }),
        literalAttr: (kind, attr) =>
            remembered(`l:${kind}.${attr}`, () => {
                const o = samples[kind]();
                try {
                    return has(o, attr);
                } finally {
                    it.decref(o);
                }
            }),
    };
}
