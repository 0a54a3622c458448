/*
 * table.ts
 *
 * The names each real interpreter defines where a scenario can reach them, as recorded by
 * scripts/record-names.mjs into cpython-names.json: dir(builtins) (and what `site` adds), dir() of
 * every importable module, every class found there with its own __dict__ names and MRO, PEP 3151's
 * errno -> OSError subclass map and os.strerror. The engine builds its exception hierarchy from it
 * and refuses every recorded name it does not implement (names/refusals.ts), so that a missing
 * feature never surfaces as a NameError or AttributeError CPython would not raise.
 *
 * The JSON stores each fact once for all profiles: a value that differs between profiles is an
 * object `{spec: value}`, a spec being "*" (every profile the container exists in) or profile
 * names and ranges ("2.7 3.8-3.10 pypy"). `namesFor(profile)` decodes one profile, each entry when
 * first asked for.
 */

import data from './cpython-names.json';

/** A class as recorded: its `__name__`, MRO (type keys, itself first) and own `__dict__` names. */
export interface RecordedType {
    readonly key: string;
    readonly name: string;
    /** `__module__` ('builtins', 2.7's 'exceptions' and '__builtin__', 'weakref', …). */
    readonly module: string;
    readonly mro: readonly string[];
    readonly own: ReadonlySet<string>;
}

/** What the tables are asked: one entry by name (nothing enumerates them). */
export interface Lookup<T> {
    get(key: string): T | undefined;
    has(key: string): boolean;
}

/**
 * Entries decoded when first asked for. A run asks about a few of the recorded modules and a few
 * dozen of the classes; decoding all of them for every profile was a tenth of a short run.
 */
class LazyTable<R, T> implements Lookup<T> {
    private readonly done = new Map<string, T | undefined>();

    constructor(
        private readonly raw: Record<string, R>,
        private readonly decodeOne: (key: string, rec: R) => T | undefined,
    ) {}

    get(key: string): T | undefined {
        if (this.done.has(key)) return this.done.get(key);
        const rec = Object.prototype.hasOwnProperty.call(this.raw, key) ? this.raw[key] : undefined;
        const v = rec === undefined ? undefined : this.decodeOne(key, rec);
        this.done.set(key, v);
        return v;
    }

    has(key: string): boolean {
        return this.get(key) !== undefined;
    }
}

/** A recorded class; its own names (up to a few hundred) are decoded on first use. */
class LazyType implements RecordedType {
    private ownSet: ReadonlySet<string> | null = null;

    constructor(
        readonly key: string,
        readonly name: string,
        readonly module: string,
        readonly mro: readonly string[],
        private readonly rawOwn: Record<string, string>,
        private readonly profile: string,
    ) {}

    get own(): ReadonlySet<string> {
        if (this.ownSet === null) {
            const own = new Set<string>();
            for (const [name, spec] of Object.entries(this.rawOwn)) if (inSpec(spec, this.profile)) own.add(name);
            this.ownSet = own;
        }
        return this.ownSet;
    }
}

export interface ProfileNames {
    readonly profile: string;
    /** dir(builtins) under `-S`: name -> "typename" of its value, "type=KEY" for a class. */
    readonly builtins: ReadonlyMap<string, string>;
    /** Names `site` adds to builtins (exit, quit, help, …). */
    readonly site: ReadonlyMap<string, string>;
    /** Importable modules (and recorded submodules such as os.path): name -> (attribute -> description). */
    readonly modules: Lookup<ReadonlyMap<string, string>>;
    readonly types: Lookup<RecordedType>;
    /** PEP 3151 (3.3+): OSError(errno, …) is an instance of this subclass. */
    readonly errnoClasses: ReadonlyMap<number, string>;
    /** os.strerror(errno). */
    readonly strerror: ReadonlyMap<number, string>;
}

type Versioned<T> = T | Record<string, T>;

interface RawTable {
    profiles: Record<string, string>;
    builtins: Record<string, Versioned<string>>;
    site: Record<string, Versioned<string>>;
    modules: Record<string, { in: string; names: Record<string, Versioned<string>> }>;
    types: Record<string, { in: string; name: Versioned<string>; module: Versioned<string>; mro: Versioned<string[]>; own: Record<string, string> }>;
    errnoClasses: Record<string, Versioned<string>>;
    strerror: Record<string, Versioned<string>>;
}

const RAW = data as unknown as RawTable;

/** CPython profiles in range order (a spec range "3.8-3.13" runs over these). */
const CPYTHON_ORDER = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

/** The interpreter a profile's names were recorded from (`cpython 3.13.0`), or null. */
export function recordedInterpreter(profile: string): string | null {
    return RAW.profiles[profile] ?? null;
}

const specCache = new Map<string, ReadonlySet<string>>();

/** The profiles a spec names ("*" is resolved by the caller). */
function specProfiles(spec: string): ReadonlySet<string> {
    let s = specCache.get(spec);
    if (!s) {
        const out = new Set<string>();
        for (const tok of spec.split(' ')) {
            const dash = tok.indexOf('-');
            if (dash < 0) {
                out.add(tok);
                continue;
            }
            const lo = CPYTHON_ORDER.indexOf(tok.slice(0, dash));
            const hi = CPYTHON_ORDER.indexOf(tok.slice(dash + 1));
            for (let i = lo; i >= 0 && i <= hi; i++) out.add(CPYTHON_ORDER[i]);
        }
        s = out;
        specCache.set(spec, s);
    }
    return s;
}

/** Is `profile` in `spec`, given that the container exists in `profile`? */
function inSpec(spec: string, profile: string): boolean {
    return spec === '*' || specProfiles(spec).has(profile);
}

function isVersionMap<T>(v: Versioned<T>): v is Record<string, T> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value for `profile`, or undefined when absent there. */
function valueFor<T>(v: Versioned<T>, profile: string): T | undefined {
    if (!isVersionMap(v)) return v;
    for (const [spec, value] of Object.entries(v)) if (inSpec(spec, profile)) return value;
    return undefined;
}

function decodeMap(raw: Record<string, Versioned<string>>, profile: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [name, v] of Object.entries(raw)) {
        const value = valueFor(v, profile);
        if (value !== undefined) out.set(name, value);
    }
    return out;
}

function decodeNumbered(raw: Record<string, Versioned<string>>, profile: string): Map<number, string> {
    const out = new Map<number, string>();
    for (const [k, v] of decodeMap(raw, profile)) out.set(Number(k), v);
    return out;
}

/** The recordings' profile for an engine profile (every engine profile has its own recording). */
function recordedProfile(profile: string): string {
    if (RAW.profiles[profile]) return profile;
    throw new Error(`internal: no recorded names for profile ${profile} (run scripts/record-names.mjs)`);
}

const decoded = new Map<string, ProfileNames>();

/** The recorded names of one profile (decoded on first use). */
export function namesFor(profileName: string): ProfileNames {
    let n = decoded.get(profileName);
    if (n) return n;
    const p = recordedProfile(profileName);
    const modules = new LazyTable(RAW.modules, (_m, rec) => (inSpec(rec.in, p) ? decodeMap(rec.names, p) : undefined));
    const types = new LazyTable(RAW.types, (key, rec) =>
        inSpec(rec.in, p) ? new LazyType(key, valueFor(rec.name, p)!, valueFor(rec.module, p)!, valueFor(rec.mro, p)!, rec.own, p) : undefined,
    );
    n = {
        profile: p,
        builtins: decodeMap(RAW.builtins, p),
        site: decodeMap(RAW.site, p),
        modules,
        types,
        errnoClasses: decodeNumbered(RAW.errnoClasses, p),
        strerror: decodeNumbered(RAW.strerror, p),
    };
    decoded.set(profileName, n);
    return n;
}

/** The class key of a "type=KEY" description, or null for a non-class value. */
export function classKey(description: string): string | null {
    const eq = description.indexOf('=');
    return eq < 0 ? null : description.slice(eq + 1);
}

const attrCache = new WeakMap<ProfileNames, Map<string, ReadonlySet<string>>>();

/** dir() of a recorded class: its own names and its MRO's (empty when the class is not recorded). */
export function recordedAttributes(names: ProfileNames, key: string): ReadonlySet<string> {
    let byKey = attrCache.get(names);
    if (!byKey) attrCache.set(names, (byKey = new Map()));
    let s = byKey.get(key);
    if (!s) {
        const out = new Set<string>();
        const t = names.types.get(key);
        if (t) for (const k of t.mro) for (const n of names.types.get(k)?.own ?? []) out.add(n);
        s = out;
        byKey.set(key, s);
    }
    return s;
}
