/*
 * names.test.ts
 *
 * "No invented Python errors", enumerated: every name each profile's real interpreter defines
 * where a scenario can reach it (src/engine/names/cpython-names.json, recorded by
 * scripts/record-names.mjs) is either implemented by the engine (and is what CPython has there:
 * same type of value) or refused, statically at its position when the name is written in the
 * program, and at run time when it is reached dynamically. Never a NameError or AttributeError.
 * A name recorded later that nobody handled is refused; a module added to SUPPORTED_MODULES
 * without a recording fails here.
 */
import { describe, expect, it } from 'vitest';
import { simulate, ENABLED_PROFILES } from '../../src/engine/index';
import { namesFor, classKey, recordedAttributes, recordedInterpreter } from '../../src/engine/names/table';
import { implementedFor } from '../../src/engine/names/implemented';
import { SUPPORTED_MODULES } from '../../src/engine/modules/supported';
import { PROFILES } from '../../src/engine/profiles';
import { IoState } from '../../src/engine/io/state';
import { parseAnnotations } from '../../src/engine/annotations';
import { Interpreter } from '../../src/engine/interp/interpreter';
import { setUpInterpreter } from '../../src/engine/interp/setup';
import { getAttr, getAttrOrNull } from '../../src/engine/interp/attrs';
import { importModule } from '../../src/engine/builtins/modules';
import { EngineStop, PyRaise } from '../../src/engine/interp/signals';
import type { PyObject } from '../../src/engine/runtime/object';
import { parse } from '../../src/engine/parser/parser';
import { analyzeScopes } from '../../src/engine/parser/scopes';
import { codeFor } from '../../src/engine/interp/exec';
import { Frame } from '../../src/engine/interp/frame';
import { runFrame } from '../../src/engine/interp/calls';
import { typeKey } from '../../src/engine/names/refuse';
import type { PyStr } from '../../src/engine/runtime/values';

/** Values of the types a scenario meets without naming them (run in the engine; bound as globals). */
const SAMPLES = `
import sys, gc, weakref, atexit, os
def f():
    pass
class C(object):
    def m(self):
        pass
c = C()
samples = [1, 1.5, True, 'x', b'x', [], (), {}, set(), frozenset(), None, f, c, c.m, len, [].append, C, sys,
           iter([]), iter(()), iter(''), iter(set()), iter({}), iter(range(2)), reversed([]), range(3), slice(1),
           {}.keys(), {}.values(), {}.items(), iter({}.items()), iter({}.values()), enumerate([]), zip(), map(f, []), filter(f, []),
           reversed(()), iter(f, 1), ValueError(1), OSError(2, 'x'), KeyError(), StopIteration(), SystemExit(),
           SyntaxError('x'), property(f), staticmethod(f), classmethod(f), super(C, c), sys.stdout, sys.version_info,
           weakref.ref(C), weakref.proxy(c), Ellipsis, NotImplemented]
`;

/** Runs SAMPLES in a fresh interpreter and returns the sample values. */
function samples(profile: string): { it: Interpreter; values: PyObject[] } {
    const it = fresh(profile);
    const src = PROFILES[profile].major === 2 ? SAMPLES.replace('zip(), map(f, []), filter(f, []),', '') : SAMPLES;
    const parsed = parse(src);
    it.scopes = analyzeScopes(parsed.module);
    it.sourceLines = src.split('\n');
    const code = codeFor(it, parsed.module, null);
    const frame = new Frame(code, it.mainModule.dict, null);
    frame.localsDict = it.incref(it.mainModule.dict);
    it.decref(runFrame(it, code, frame));
    const list = it.mainModule.dict.getStr('samples') as unknown as { items: PyObject[] };
    return { it, values: list.items };
}

const UNSUPPORTED = 'not supported in scenarios yet: ';
/** Names that cannot be written as an identifier in some version (Jython's gc has a `class`). */
const KEYWORDS = new Set(
    'False None True and as assert async await break class continue def del elif else except exec finally for from global if import in is lambda nonlocal not or pass print raise return try while with yield'.split(' '),
);

/**
 * Implemented names whose value is of another type than CPython's, with the profiles and the
 * reason. Each entry must still differ there (a fixed one fails the test until removed).
 */
const PY3 = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];
const TYPE_DIVERGENCES: Record<string, { in: string[]; why: string }> = {
    'weakref.WeakKeyDictionary': { in: [...PY3], why: 'its metaclass is abc.ABCMeta (collections.abc.MutableMapping); the engine has no abc module' },
    'weakref.WeakValueDictionary': { in: [...PY3], why: 'its metaclass is abc.ABCMeta (collections.abc.MutableMapping); the engine has no abc module' },
    'atexit.register': { in: ['2.7'], why: "2.7's atexit is Lib/atexit.py (a Python function); the engine models it natively" },
    'os.makedirs': { in: ['2.7', ...PY3], why: "Lib/os.py's makedirs is a Python function; the engine models it natively (io/)" },
    // Lib/functools.py and Lib/contextlib.py define these in Python (classes under abc.ABCMeta);
    // the engine models them natively (src/engine/modules/).
    'functools.update_wrapper': { in: ['2.7', ...PY3], why: 'a Python function in Lib/functools.py; native in the engine' },
    'functools.wraps': { in: ['2.7', ...PY3], why: 'a Python function in Lib/functools.py; native in the engine' },
    'functools.lru_cache': { in: [...PY3], why: 'a Python function in Lib/functools.py; native in the engine' },
    'functools.cache': { in: PY3.slice(1), why: 'a Python function in Lib/functools.py; native in the engine' },
    'contextlib.contextmanager': { in: ['2.7', ...PY3], why: 'a Python function in Lib/contextlib.py; native in the engine' },
    'contextlib.ExitStack': { in: [...PY3], why: "its metaclass is abc.ABCMeta (AbstractContextManager); the engine's is type" },
    'contextlib._GeneratorContextManager': { in: [...PY3], why: "its metaclass is abc.ABCMeta (AbstractContextManager); the engine's is type" },
    'contextlib.closing': { in: [...PY3], why: "its metaclass is abc.ABCMeta (AbstractContextManager); the engine's is type" },
    'contextlib.suppress': { in: [...PY3], why: "its metaclass is abc.ABCMeta (AbstractContextManager); the engine's is type" },
    'contextlib.nullcontext': { in: [...PY3], why: "its metaclass is abc.ABCMeta (AbstractContextManager); the engine's is type" },
    'contextlib.redirect_stdout': { in: [...PY3], why: "its metaclass is abc.ABCMeta (AbstractContextManager); the engine's is type" },
    'contextlib.redirect_stderr': { in: [...PY3], why: "its metaclass is abc.ABCMeta (AbstractContextManager); the engine's is type" },
    'functools.total_ordering': { in: ['2.7', ...PY3], why: 'a Python function in Lib/functools.py; native in the engine' },
    'collections.namedtuple': { in: [...PY3], why: 'a Python function in Lib/collections/__init__.py; native in the engine' },
    'collections.ChainMap': { in: [...PY3], why: 'its metaclass is abc.ABCMeta (collections.abc.MutableMapping); the engine has no abc module' },
    'atexit._run_exitfuncs': { in: ['2.7'], why: "2.7's atexit is Lib/atexit.py (a Python function); the engine models it natively" },
};
// 2.7: UserDict.UserDict is an old-style class, and so are its subclasses (`classobj`).
for (const k of ['weakref.WeakKeyDictionary', 'weakref.WeakValueDictionary']) TYPE_DIVERGENCES[k].in.push('2.7');

const PROXY_TYPES = new Set(['weakproxy', 'weakcallableproxy', 'weakref.ProxyType', 'weakref.CallableProxyType']);

/**
 * Modules CPython writes in Python (Lib/threading.py, Lib/queue.py) that the engine models
 * natively: their functions and classes are not compared by type (names still are).
 */
const PYTHON_LEVEL_MODULES = new Set(['threading', 'queue', 'Queue', 'copy', 'json', 'random', 'typing', 'logging']);

/** Attributes whose getter raises for the sample value in CPython too. */
const EXPECTED_RAISES = new Set(['OSError.characters_written', 'FileNotFoundError.characters_written']);

function diverges(profile: string, name: string): boolean {
    return TYPE_DIVERGENCES[name]?.in.includes(profile) ?? false;
}

function fresh(profile: string): Interpreter {
    const it = new Interpreter({ profile: PROFILES[profile], maxSteps: 10_000, timeLimitMs: Infinity, memory: null, fileName: 'probe.pyscn', recordEdges: false, keepEvents: false });
    it.io = new IoState(parseAnnotations('', Object.keys(PROFILES)).flags, 'probe.pyscn', new Uint8Array());
    setUpInterpreter(it);
    return it;
}

/** getattr at run time: the value, or the engine's refusal; a Python exception is a failure. */
function dynamicLookup(it: Interpreter, obj: PyObject, name: string): 'found' | 'refused' | string {
    try {
        // Both paths the evaluator takes: the lookup that raises, and the one that answers null.
        const v = getAttr(it, obj, name);
        it.decref(v);
        const w = getAttrOrNull(it, obj, name);
        if (w === null) return `AttributeError (invented): ${name}`;
        it.decref(w);
        return 'found';
    } catch (e) {
        if (e instanceof EngineStop) return e.error.kind === 'unsupported' && e.error.message.startsWith(UNSUPPORTED) ? 'refused' : `engine error ${e.error.message}`;
        if (e instanceof PyRaise) return `Python ${e.exc.type.name} (invented?) for ${name}`;
        throw e;
    }
}

function isIdentifier(n: string): boolean {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !KEYWORDS.has(n);
}

describe('recorded names: implemented or refused, never an invented error', () => {
    it('every profile has a recording, from the interpreter it models', () => {
        for (const p of ENABLED_PROFILES) expect(recordedInterpreter(p), p).not.toBeNull();
    });

    for (const profile of ENABLED_PROFILES) {
        describe(profile, () => {
            const names = namesFor(profile);
            const impl = implementedFor(profile);

            it('builtins: the engine binds only names this version has', () => {
                const extra = [...impl.builtins].filter((n) => !names.builtins.has(n) && !names.site.has(n));
                expect(extra).toEqual([]);
            });

            // PyPy's and Jython's own implementation types are not what the engine models (it runs
            // them with 3.9's and 2.7's objects): only their names are checked.
            const cpython = PROFILES[profile].runtime === 'cpython';

            it.runIf(cpython)('builtins: each implemented name has the type CPython gives it', () => {
                const list = [...impl.builtins].filter((n) => isIdentifier(n) && names.builtins.has(n)).sort();
                const src = list.map((n) => `print(type(${n}).__name__)`).join('\n') + '\n';
                const r = simulate(src, { python: profile, recordEdges: false, keepEvents: false });
                expect(r.errors, r.errors.map((e) => e.message).join('\n')).toEqual([]);
                const got = r.stdout.split('\n');
                const wrong: string[] = [];
                list.forEach((n, i) => {
                    const want = names.builtins.get(n)!.split('=')[0];
                    if ((got[i] !== want) !== diverges(profile, `builtins.${n}`)) wrong.push(`${n}: engine ${got[i]}, CPython ${want}`);
                });
                expect(wrong.join('\n')).toBe('');
            });

            it('builtins: each other name is refused statically at its position, and at run time', () => {
                const refused = [...names.builtins.keys(), ...names.site.keys()].filter((n) => !impl.builtins.has(n)).sort();
                const written = refused.filter(isIdentifier);
                const r = simulate(written.map((n) => `${n}\n`).join(''), { python: profile });
                expect(r.exitCode).toBe(2);
                expect(r.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual(written.map((n, i) => `${i + 1}:1 ${UNSUPPORTED}${n}`));
                const it2 = fresh(profile);
                const bad = refused.map((n) => [n, dynamicLookup(it2, it2.builtinsModule, n)]).filter(([, v]) => v !== 'refused');
                expect(bad.map((x) => x.join(': ')).join('\n')).toBe('');
            });

            it('modules: every importable module is recorded', () => {
                for (const m of SUPPORTED_MODULES) {
                    if (m === '__future__') continue;
                    const importable = impl.module(m) !== null;
                    if (importable && m !== 'builtins' && m !== '__builtin__') expect(names.modules.has(m), `${m} has no recording (scripts/record-names.mjs)`).toBe(true);
                }
            });

            for (const m of SUPPORTED_MODULES) {
                if (m === '__future__' || m === 'builtins' || m === '__builtin__') continue;
                it(`modules: ${m}: implemented attributes have CPython's types, the others are refused`, () => {
                    const recorded = names.modules.get(m);
                    const mine = impl.module(m);
                    if (!recorded || !mine) return;
                    const have = [...mine].filter((n) => recorded.has(n) && isIdentifier(n)).sort();
                    const r = simulate(`import ${m}\n` + have.map((n) => `print(type(${m}.${n}).__name__)`).join('\n') + '\n', { python: profile, recordEdges: false, keepEvents: false });
                    expect(r.errors, r.errors.map((e) => e.message).join('\n')).toEqual([]);
                    const got = r.stdout.split('\n');
                    const wrong: string[] = [];
                    if (cpython && !PYTHON_LEVEL_MODULES.has(m)) have.forEach((n, i) => {
                        const want = recorded.get(n)!.split('=')[0];
                        if ((got[i] !== want) !== diverges(profile, `${m}.${n}`)) wrong.push(`${m}.${n}: engine ${got[i]}, CPython ${want}`);
                    });
                    expect(wrong.join('\n')).toBe('');
                    const refused = [...recorded.keys()].filter((n) => !mine.has(n)).sort();
                    const written = refused.filter(isIdentifier);
                    const s = simulate(`import ${m}\n` + written.map((n) => `${m}.${n}\n`).join(''), { python: profile });
                    expect(s.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual(written.map((n, i) => `${i + 2}:1 ${UNSUPPORTED}${m}.${n}`));
                    const f = simulate(written.map((n) => `from ${m} import ${n}\n`).join(''), { python: profile });
                    expect(f.errors.map((e) => `${e.line} ${e.message}`)).toEqual(written.map((n, i) => `${i + 1} ${UNSUPPORTED}${m}.${n}`));
                    const it2 = fresh(profile);
                    const mod = importModule(it2, m, { line: 1, col: 1, endLine: 1, endCol: 1 });
                    const bad = refused.map((n) => [n, dynamicLookup(it2, mod, n)]).filter(([, v]) => v !== 'refused');
                    expect(bad.map((x) => x.join(': ')).join('\n')).toBe('');
                });
            }

            it.runIf(cpython)('values of every type: each recorded attribute is found or refused at run time', () => {
                const { it: it2, values } = samples(profile);
                const problems: string[] = [];
                const seen = new Set<string>();
                for (const v of values) {
                    // An instance of a scenario's class has the attributes of its built-in bases.
                    const key = typeKey(v.type.mro.find((t) => !t.isHeap)!);
                    if (seen.has(key)) continue;
                    seen.add(key);
                    // proxy_getattr forwards every name to the referent (CPython too raises
                    // AttributeError for `weakref.proxy(c).__add__`): its type's names are not
                    // what a lookup finds; the referent's are, and they are checked as `c`.
                    if (PROXY_TYPES.has(key)) continue;
                    if (!names.types.has(key)) {
                        problems.push(`${key}: no recording for this type (add a value of it to names-probe.py)`);
                        continue;
                    }
                    for (const a of [...recordedAttributes(names, key)].sort()) {
                        const d = dynamicLookup(it2, v, a);
                        if (d !== 'found' && d !== 'refused' && !EXPECTED_RAISES.has(`${key}.${a}`)) problems.push(`${key}.${a}: ${d}`);
                    }
                }
                expect(problems.join('\n')).toBe('');
            });

            it('classes bound in builtins: every recorded attribute is implemented or refused (statically on the name)', () => {
                const problems: string[] = [];
                const it2 = fresh(profile);
                for (const [name, desc] of names.builtins) {
                    const key = classKey(desc);
                    if (!key || !impl.builtins.has(name) || !isIdentifier(name)) continue;
                    const cls = it2.builtinsDict.getStr(name)!;
                    const attrs = [...recordedAttributes(names, key)].filter(isIdentifier).sort();
                    const missing = attrs.filter((a) => !impl.builtinAttr(name, a));
                    for (const a of attrs) {
                        const d = dynamicLookup(it2, cls, a);
                        if (d !== 'found' && d !== 'refused') problems.push(`${name}.${a}: ${d}`);
                        if ((d === 'refused') !== missing.includes(a)) problems.push(`${name}.${a}: static says ${missing.includes(a) ? 'missing' : 'present'}, run time ${d}`);
                    }
                    if (!missing.length) continue;
                    const r = simulate(missing.map((a) => `${name}.${a}\n`).join(''), { python: profile });
                    const got = r.errors.map((e) => `${e.line}:${e.col}`);
                    missing.forEach((a, i) => {
                        if (!got.includes(`${i + 1}:1`) || !r.errors[got.indexOf(`${i + 1}:1`)].message.endsWith(`.${a}`)) problems.push(`${name}.${a}: not refused statically`);
                    });
                }
                expect(problems.join('\n')).toBe('');
            });
        });
    }
});
