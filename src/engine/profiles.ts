/*
 * profiles.ts
 *
 * Every behaviour that differs between CPython versions lives in this one table. The engine reads
 * a Profile; it never tests a version number. Each field names the CPython mechanism it models and
 * the evidence (see shared/reference/cpython-lifetimes.md and test/conformance).
 */


import type { SetRules } from './runtime/setobject';
import type { FStringErrorStyle, SyntaxFeature } from './parser/ast';
export type InstanceAttrOrder =
    /** ≤3.10: the instance __dict__ is a real dict; attributes die in that dict's insertion order. */
    | 'dict-insertion'
    /** 3.11+: inline values; attributes die in the class's shared-keys order (first seen by the class). */
    | 'shared-keys';

export type AtexitErrorStyle = 'py2' | 'run_exitfuncs' | 'unraisable-colon' | 'unraisable-callback';

import type { FreeListProfile, FreeListState, FreeListWalk } from './runtime/freelists';
import type { CompilerAllocations } from './interp/compile';
import type { ConstCacheProfile } from './interp/compilerConsts';
import type { SuggestionRules } from './interp/suggestions';

/**
 * What importing a module costs beyond the module object and its dict (measured with gc disabled,
 * `python -S`): `allocs` net GC allocations; `deps` hidden modules imported with it, charged once
 * (after the module's own allocations up to `garbage.at`); `garbage` a class the import creates
 * and drops (left as cyclic garbage for the next collection), made when the module's own count
 * reaches `at[key]` (key: the churning imports before it, '' or 'os'; measured by bisecting a
 * gc.set_threshold set just before the import for the first collection that finds it).
 */
export interface ImportCost {
    allocs: number;
    deps?: string[];
    /**
     * How many free objects of each kind beyond the start-up state (profile freeLists.initial, or
     * the state the previous churning import left) the import's churn takes instead of allocating
     * (with its dependencies; measured with that kind's free list drained, then filled, before
     * importing: the count drops by as many): what compiling `__main__` left there (interp/compile.ts,
     * compilerKeys.ts) saves that many counted allocations, and the rest stays free after the
     * import (collector.ts chargeImport). Without it, the import takes every dict and list
     * compiling left (interp/compile.ts takeCompileSpare). (2.7; on 3.x the imports that churn go
     * through the lists as measured walks instead: FREE_LISTS `walks`, runtime/freelists.ts
     * FreeListWalk.)
     */
    absorbs?: FreeListState;
    garbage?: { module: string; name: string; methods: string[]; at: Readonly<Record<string, number>>; aliveFor: number };
    /**
     * Objects of a kind with a free list the new module keeps, which the lists supply when they
     * hold one (not in `allocs`): a built-in module's ModuleSpec (in `allocs`) has an instance dict
     * ≤3.10 and, 3.11+, its `_uninitialized_submodules` list instead.
     */
    keeps?: { dict?: number; list?: number };
}

/**
 * The trashcan (Py_TRASHCAN_BEGIN/END around list, tuple, dict, frame, instance… deallocs), which
 * decides when a dealloc nested in another is set aside on the delete-later list, and when that list
 * is emptied (runtime/heap.ts). It bounds `__del__` chains too: a `__del__` that drops a new
 * instance of its class nests one dealloc per call.
 */
export type TrashcanProfile =
    /**
     * 2.7–3.12: tstate->trash_delete_nesting. A dealloc that starts `unwindLevel` deep is deposited;
     * END destroys the chain once the nesting is back to 0; _PyTrash_thread_destroy_chain runs each
     * deposited object's whole dealloc (BEGIN again) at nesting 1. A `__del__` chain is at most
     * `unwindLevel` deep, far below the recursion limit: it never ends (measured: 3.8–3.12 loop for ever).
     * `subtypeBracket` (2.7): subtype_dealloc raises the nesting by one around BEGIN and around END,
     * so an instance's check sees one level more (49 deep, measured) and its END never destroys the
     * chain: the next list/tuple/dict/frame dealloc ending at nesting 0 does.
     */
    | { counter: 'nesting'; unwindLevel: number; subtypeBracket: boolean }
    /**
     * 3.13: tstate->c_recursion_remaining, from Py_C_RECURSION_LIMIT (10000 on Linux). BEGIN deposits
     * when at most `headroom` units remain, else spends one; END gives it back and destroys the chain
     * when more than 2×headroom remain. Entering the eval loop from C (the module, a finalizer) spends
     * PY_EVAL_C_STACK_UNITS (2); a Python-to-Python call spends none. So a `__del__` chain costs 3 units
     * a level and reaches the recursion limit (1000 frames) long before the headroom: RecursionError
     * (measured: `__del__` #1000 fails; with the limit raised past 3316 the trashcan defers instead).
     */
    | { counter: 'c-stack'; limit: number; headroom: number; evalEntryUnits: number };

/** Which Python implementation a profile models (Issue 8: beyond one CPython process). */
export type Runtime = 'cpython' | 'pypy' | 'jython';

/**
 * A tracing garbage collector (PyPy, Jython; gc/tracing.ts). Reference counts are still kept, so the
 * report knows when an object became unreachable, but a count reaching zero does not free it: it is
 * garbage pending a later collection. No automatic collections are simulated (their timing depends
 * on the nursery size and the JVM), so only an explicit `gc.collect()` frees and finalizes.
 */
export interface TracingGc {
    /** Name used in messages ("PyPy's incminimark GC", "the JVM's collector"). */
    collector: string;
    /**
     * PyPy: `gc.collect()` runs the finalizers of unreachable objects at once, ordered as PyPy's
     * finalizer ordering does (measured with pypy3 7.3.11: an object reachable from another
     * finalizable garbage object is finalized one collection later; of a cycle, one per collection).
     * Jython: `gc.collect()` calls System.gc(); `__del__` runs on the JVM finalizer thread at an
     * unspecified later time (measured: batches printed several statements later, in no stable order),
     * so the engine runs none of them and reports them as "may run at any later collection, or never".
     */
    collectRunsFinalizers: boolean;
    /** What `gc.collect()` returns: PyPy None; Jython -2 (measured). */
    collectResult: 'none' | number;
    /**
     * Whether atexit handlers run at exit. Debian's Jython 2.7.3 runs none (measured: a handler
     * that prints, flushes, creates a directory or writes a file leaves no trace; audit #51);
     * PyPy runs them as CPython does.
     */
    atexitHandlersRun: boolean;
}

/**
 * pymalloc (Objects/obmalloc.c), enough to show that memory freed by objects stays held by the
 * process. Sizes per type are `sys.getsizeof` of a fresh object (it already includes the GC header:
 * 32 bytes in 2.7, 16 in 3.x, plus the 3.11+ pre-header), measured with `python -S` (report/memory.ts).
 */
export interface MemoryProfile {
    /** false: no pymalloc (PyPy, Jython): the report shows no arena/pool series. */
    pymalloc: boolean;
    arenaSize: number;
    poolSize: number;
    /** Size-class granularity: 8 bytes in 2.7, 16 in 3.8+ (64-bit). */
    alignment: number;
    /** Requests above this go to the system malloc. */
    smallThreshold: number;
    gcHeader: number;
    /** Block size by type name; types not listed use `sizes.object` (non-GC) or `sizes.instance`. */
    sizes: Record<string, number>;
    /** Arenas and pools in use when `__main__` starts (`python -S`, sys._debugmallocstats()). */
    startupArenas: number;
    startupPools: number;
    /**
     * Embedding (Py_InitializeEx/Py_FinalizeEx cycles): bytes the process keeps per cycle that no
     * object accounts for (interned strings, static type state, arenas never returned), measured
     * with test/embedding/host.c (RSS growth per cycle after the first, scenario `pass`), or null.
     */
    embedCycleLeakBytes: number | null;
}

/** How a traceback printer underlines the expression that raised (PEP 657; interp/tracebackCarets.ts). */
export interface CaretStyle {
    /** A call's `(...)` is the `^` part and its callee `~` (3.13's traceback module). */
    callAnchors: boolean;
    /** A range over several lines prints each of them underlined (3.13's traceback module); else only the first. */
    multiLine: boolean;
    /**
     * 3.13's traceback module: no carets when the lines hold `name = call(...)` or
     * `return f(...)` and the call is the whole range (`_should_show_carets`).
     */
    callStatementElision: boolean;
}

/** The SyntaxWarnings the compiler prints before running the script (parser/compileWarnings.ts). */
export interface SyntaxWarningRules {
    /** 3.8+: calling or subscripting a literal, a bad literal index, `is` with a literal ("perhaps you missed a comma?"). */
    literalChecks: boolean;
    /** 3.12+: the `is` warning names the literal's type (`"is" with 'int' literal`). */
    isLiteralNamesType: boolean;
    /** `assert (x, "msg")` warns; 3.8/3.9 not when the tuple is all constants (folded before the check). */
    assertConstantTuple: boolean;
}

/** Per-version facts of the standard-library modules (Lib/functools.py, Modules/_functoolsmodule.c…). */
export interface StdlibProfile {
    /**
     * 3.8's weakref.finalize.__init__ is `(*args, **kwargs)`: it unpacks self, obj and func from the
     * args tuple (UNPACK_EX: an iterator and a list) and makes the rest a tuple again with
     * `tuple(args)`; 3.9+ has positional-only parameters and takes `*args` as it comes.
     */
    finalizeInitUnpacksArgs: boolean;
    /** functools.WRAPPER_ASSIGNMENTS: what update_wrapper copies (3.12 adds `__type_params__`). */
    wrapperAssignments: readonly string[];
    /** update_wrapper sets `wrapper.__wrapped__` (3.2+) and skips a missing attribute (3.2+; 2.7 raises). */
    setsWrapped: boolean;
    /** partial_new flattens a partial of a partial (3.5+: `part->dict == NULL` and exact type). */
    partialFlattens: boolean;
    /** 2.7: `partial.keywords` is None when no keyword was given (3.x: an empty dict). */
    partialKeywordsNone: boolean;
    /** 2.7's partial has the default repr; 3.x `functools.partial(<fn>, args, k=v)`. */
    partialRepr: boolean;
    /** operator.itemgetter/attrgetter/methodcaller reprs `operator.itemgetter(1)` (3.5+); 2.7's are the default `<operator.itemgetter object at 0x…>`. */
    operatorReprs: boolean;
    /** types.SimpleNamespace's repr lists the attributes sorted by name (3.8; in the dict's order since 3.9). */
    namespaceReprSorted: boolean;
    /** functools.lru_cache (3.2+). */
    lruCache: boolean;
    /** functools.cache and `wrapper.cache_parameters` (3.9+). */
    cacheParameters: boolean;
    /** contextlib's generator manager keeps func/args/kwds/__doc__ until __enter__ and resets a re-raised exception's traceback (3.x); 2.7's GeneratorContextManager holds only gen. */
    generatorCMStoresCall: boolean;
    /**
     * _GeneratorContextManager.__exit__ lets through the RuntimeError PEP 479 made of a StopIteration
     * thrown in when `isinstance(value, StopIteration)` (3.9+); 3.8 tests `type is StopIteration`, so
     * a subclass comes out as the RuntimeError.
     */
    cmStopIterationSubclasses: boolean;
    /** contextlib.ExitStack and suppress (3.3+/3.4+). */
    exitStack: boolean;
    /**
     * functools.total_ordering's converters: 2.7 new lambdas written with the operators (`__ne__`
     * too); 3.8 shared functions calling `self.__lt__(other)`; 3.9+ `type(self).__lt__(self, other)`
     * with every converter passing NotImplemented through.
     */
    totalOrdering: 'lambdas' | 'bound' | 'type';
    /**
     * functools.cached_property's `__init__`: an RLock in `lock`, taken around the first computation
     * (3.8-3.11); `__module__` copied from the function (3.13+).
     */
    cachedProperty: { lock: boolean; setsModule: boolean };
    /**
     * itertools' names that changed with 3.x: tee's types (2.7 `tee`/`tee_dataobject`), zip_longest (2.7 `izip_longest`), sys.maxsize (2.7 `maxint`) in islice's messages;
     * `grouperCheck`: a `_grouper` the groupby has moved past gives nothing (3.x `currgrouper`; 2.7 compares its key with the groupby's current one).
     */
    itertools: { teeName: string; teeDataName: string; zipLongestName: string; maxsizeName: string; filterfalseName: string; grouperCheck: boolean };
    /** collections.namedtuple (3.x; 2.7's is built from source by exec: refused): `_replace` of an unknown field raises (3.13 TypeError, before ValueError); `__match_args__` (3.10+). */
    namedtuple: { replaceError: 'ValueError' | 'TypeError'; matchArgs: boolean } | null;
    /** logging.getLogger('root') is the root logger (3.9+; 3.8 makes a logger named 'root' under it). */
    loggingRootByName: boolean;
    /** collections.OrderedDict (the C one, 3.x; 2.7's pure-Python one is refused): its repr, `OrderedDict([(k, v)])` before 3.12, `OrderedDict({k: v})` since. */
    odictRepr: 'list' | 'dict' | null;
}

/**
 * Lib/threading.py as each version has it, where it shows: the two frames of a thread's traceback
 * (`_bootstrap_inner` calling `self.run()`, `run` calling the target), the private attribute
 * names of Thread (2.7 mangles `__target` to `_Thread__target`), default names, excepthook.
 */
export interface ThreadingPy {
    bootstrapInner: { name: string; line: number };
    runLine: number;
    /** 3.13's traceback carets under the two stdlib lines (null: none shown). */
    carets: { bootstrap: string; run: string } | null;
    /** Prefix of Thread's private attributes: `_` (3.x) or `_Thread__` (2.7). */
    privatePrefix: string;
    /** 3.10+: "Thread-1 (target)" for an unnamed thread with a target. */
    nameShowsTarget: boolean;
    /** Thread.run calls the target when it `is not None` (3.10+, bpo-41149); before, only when it is true. */
    runTestsNotNone: boolean;
    /** 3.8+: threading.excepthook; 2.7 writes "Exception in thread N:\n<traceback>\n" itself. */
    excepthook: boolean;
    /** 3.13: Barrier(parties) raises ValueError for parties < 1 (before: a barrier never released). */
    barrierChecksParties: boolean;
}

const TPY3 = { privatePrefix: '_', excepthook: true, carets: null, barrierChecksParties: false };
export const THREADING_PY: Record<string, ThreadingPy> = {
    '2.7': { bootstrapInner: { name: '__bootstrap_inner', line: 801 }, runLine: 754, carets: null, privatePrefix: '_Thread__', nameShowsTarget: false, runTestsNotNone: false, excepthook: false, barrierChecksParties: false },
    '3.8': { ...TPY3, bootstrapInner: { name: '_bootstrap_inner', line: 932 }, runLine: 870, nameShowsTarget: false, runTestsNotNone: false },
    '3.9': { ...TPY3, bootstrapInner: { name: '_bootstrap_inner', line: 980 }, runLine: 917, nameShowsTarget: false, runTestsNotNone: false },
    '3.10': { ...TPY3, bootstrapInner: { name: '_bootstrap_inner', line: 1016 }, runLine: 953, nameShowsTarget: true, runTestsNotNone: true },
    '3.11': { ...TPY3, bootstrapInner: { name: '_bootstrap_inner', line: 1045 }, runLine: 982, nameShowsTarget: true, runTestsNotNone: true },
    '3.12': { ...TPY3, bootstrapInner: { name: '_bootstrap_inner', line: 1073 }, runLine: 1010, nameShowsTarget: true, runTestsNotNone: true },
    '3.13': { ...TPY3, bootstrapInner: { name: '_bootstrap_inner', line: 1041 }, runLine: 992, nameShowsTarget: true, runTestsNotNone: true, barrierChecksParties: true, carets: { bootstrap: '~~~~~~~~^^', run: '~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^' } },
};

/**
 * Lib/concurrent/futures/_base.py and thread.py as each version has them, where they show: the
 * lines of their traceback entries (threads/futuresBase.ts, futuresThread.ts) and, 3.11+, the
 * carets drawn under them (by source line; none under a line not listed).
 */
export interface FuturesPy {
    /** Future.result: `raise CancelledError()` (done when called; after the wait), `return self.__get_result()` (same), `raise TimeoutError()`. */
    result: { cancelled: [number, number]; getResult: [number, number]; timeout: number };
    /** Future.exception: `raise CancelledError()` ×2, `raise TimeoutError()`. */
    exception: { cancelled: [number, number]; timeout: number };
    /** __get_result's `raise self._exception`. */
    getResult: number;
    /** set_result's and set_exception's `raise InvalidStateError(…)`. */
    setResult: number;
    setException: number;
    /** thread.py: _WorkItem.run's `result = self.fn(*self.args, **self.kwargs)`. */
    workItemRun: number;
    /** thread.py: ThreadPoolExecutor.__init__'s ValueError (max_workers) and TypeError (initializer). */
    init: [number, number];
    /** thread.py: submit's RuntimeErrors (after shutdown; after interpreter shutdown). */
    submit: [number, number];
    /** Executor.map's result_iterator `yield …` and (3.10+) _result_or_cancel's `return fut.result(timeout)`. */
    mapYield: number;
    resultOrCancel: number | null;
    carets: Record<string, string> | null;
}

const FUTURES_CARETS_311: Record<string, string> = {
    'return self.__get_result()': '       ^^^^^^^^^^^^^^^^^^^',
    'result = self.fn(*self.args, **self.kwargs)': '         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    'yield _result_or_cancel(fs.pop())': '      ^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    'return fut.result(timeout)': '       ^^^^^^^^^^^^^^^^^^^',
};
const FUTURES_311 = {
    result: { cancelled: [447, 454], getResult: [449, 456], timeout: 458 },
    exception: { cancelled: [483, 490], timeout: 494 },
    getResult: 401,
    setResult: 544,
    setException: 559,
    workItemRun: 58,
    init: [144, 147],
    submit: [167, 169],
    mapYield: 619,
    resultOrCancel: 317,
    carets: FUTURES_CARETS_311,
} as FuturesPy;
/**
 * Lib/weakref.py's finalize where it shows in a traceback (builtins/weakrefModule.ts): the line
 * of `__call__`'s `return info.func(*info.args, **(info.kwargs or {}))` and of `_exitfunc`'s
 * `f()`, and the carets drawn under them (3.11+).
 */
export interface WeakrefPy {
    callLine: number;
    exitfuncLine: number;
    carets: Record<string, string> | null;
}

const WEAKREF_CARETS_311 = { 'return info.func(*info.args, **(info.kwargs or {}))': '       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^' };
export const WEAKREF_PY: Record<string, WeakrefPy> = {
    '3.8': { callLine: 566, exitfuncLine: 642, carets: null },
    '3.9': { callLine: 591, exitfuncLine: 667, carets: null },
    '3.10': { callLine: 591, exitfuncLine: 667, carets: null },
    '3.11': { callLine: 590, exitfuncLine: 666, carets: WEAKREF_CARETS_311 },
    '3.12': { callLine: 590, exitfuncLine: 666, carets: WEAKREF_CARETS_311 },
    '3.13': { callLine: 590, exitfuncLine: 666, carets: { 'return info.func(*info.args, **(info.kwargs or {}))': '       ~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^', 'f()': '~^^' } },
};

/**
 * Where a KeyError leaves Lib/weakref.py's WeakKeyDictionary and Lib/_weakrefset.py's WeakSet (the
 * lookup of `ref(key)` in `self.data`): the line of each method, and the carets 3.11+ draw under
 * its source line (keyed by the source). Measured from CPython's tracebacks.
 */
export interface WeakKeyPy {
    getitem: number;
    delitem: number;
    pop: number;
    /** _weakrefset.py's WeakSet.remove. */
    remove: number;
    carets: Record<string, string> | null;
}

const WEAKKEY_CARETS_311 = { 'return self.data[ref(key)]': '       ~~~~~~~~~^^^^^^^^^^', 'del self.data[ref(key)]': '    ~~~~~~~~~^^^^^^^^^^', 'return self.data.pop(ref(key), *args)': '       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^' };
const WEAKKEY_311: WeakKeyPy = { getitem: 415, delitem: 412, pop: 505, remove: 113, carets: WEAKKEY_CARETS_311 };
export const WEAKKEY_PY: Record<string, WeakKeyPy> = {
    '2.7': { getitem: 363, delitem: 360, pop: 478, remove: 111, carets: null },
    '3.8': { getitem: 383, delitem: 380, pop: 473, remove: 109, carets: null },
    '3.9': { getitem: 416, delitem: 413, pop: 506, remove: 114, carets: null },
    '3.10': { getitem: 416, delitem: 413, pop: 506, remove: 114, carets: null },
    '3.11': WEAKKEY_311,
    '3.12': WEAKKEY_311,
    '3.13': { ...WEAKKEY_311, carets: { ...WEAKKEY_CARETS_311, 'return self.data.pop(ref(key), *args)': '       ~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^', 'self.data.remove(ref(item))': '~~~~~~~~~~~~~~~~^^^^^^^^^^^' } },
};

/** The WeakKeyDictionary/WeakSet lines of the profile's version (null: no CPython source to show). */
export function weakKeyPyOf(p: { major: number; minor: number; runtime: Runtime }): WeakKeyPy | null {
    return p.runtime === 'cpython' ? (WEAKKEY_PY[`${p.major}.${p.minor}`] ?? null) : null;
}

/**
 * Lib/collections/__init__.py's ChainMap (3.3+) where an exception leaves it: the lines of
 * `__missing__`'s raise, `__getitem__`'s `return self.__missing__(key)`, and of the lookups in
 * `self.maps[0]` that `__delitem__`, `pop` and `popitem` turn into their own KeyError two lines
 * below; the carets 3.11+ draw (keyed by source). `iterFromkeys`: `__iter__` merges
 * `dict.fromkeys(mapping)` (3.9+) rather than the mapping itself (3.8); `newChildKwargs`:
 * `new_child(m=None, **kwargs)` (3.10+). Measured from CPython's tracebacks and sources.
 */
export interface ChainMapPy {
    missing: number;
    getitem: number;
    delitem: number;
    pop: number;
    popitem: number;
    carets: Record<string, string> | null;
    iterFromkeys: boolean;
    newChildKwargs: boolean;
}

const CHAINMAP_GETITEM_SOURCE = 'return self.__missing__(key)            # support subclasses that define __missing__';
const CHAINMAP_CARETS_311 = { [CHAINMAP_GETITEM_SOURCE]: '       ^^^^^^^^^^^^^^^^^^^^^', 'del self.maps[0][key]': '    ~~~~~~~~~~~~^^^^^', 'return self.maps[0].pop(key, *args)': '       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^', 'return self.maps[0].popitem()': '       ^^^^^^^^^^^^^^^^^^^^^^' };
export const CHAINMAP_PY: Record<string, ChainMapPy> = {
    '3.8': { missing: 890, getitem: 898, delitem: 951, pop: 965, popitem: 958, carets: null, iterFromkeys: false, newChildKwargs: false },
    '3.9': { missing: 933, getitem: 941, delitem: 994, pop: 1008, popitem: 1001, carets: null, iterFromkeys: true, newChildKwargs: false },
    '3.10': { missing: 978, getitem: 986, delitem: 1042, pop: 1056, popitem: 1049, carets: null, iterFromkeys: true, newChildKwargs: true },
    '3.11': { missing: 998, getitem: 1006, delitem: 1062, pop: 1076, popitem: 1069, carets: CHAINMAP_CARETS_311, iterFromkeys: true, newChildKwargs: true },
    '3.12': { missing: 1006, getitem: 1014, delitem: 1070, pop: 1084, popitem: 1077, carets: CHAINMAP_CARETS_311, iterFromkeys: true, newChildKwargs: true },
    '3.13': {
        missing: 1008,
        getitem: 1016,
        delitem: 1072,
        pop: 1086,
        popitem: 1079,
        carets: { [CHAINMAP_GETITEM_SOURCE]: '       ~~~~~~~~~~~~~~~~^^^^^', 'del self.maps[0][key]': '    ~~~~~~~~~~~~^^^^^', 'return self.maps[0].pop(key, *args)': '       ~~~~~~~~~~~~~~~~^^^^^^^^^^^^', 'return self.maps[0].popitem()': '       ~~~~~~~~~~~~~~~~~~~~^^' },
        iterFromkeys: true,
        newChildKwargs: true,
    },
};

/** ChainMap's lines of the profile's version (null: 2.7 has no ChainMap). */
export function chainMapPyOf(p: { major: number; minor: number; runtime: Runtime }): ChainMapPy | null {
    return p.runtime === 'cpython' && p.major === 3 ? (CHAINMAP_PY[`3.${p.minor}`] ?? null) : null;
}

/** Lib/weakref.py's finalize lines of the profile's version (null: 2.7 has no finalize). */
export function weakrefPyOf(p: { major: number; minor: number }): WeakrefPy | null {
    return p.major === 3 ? (WEAKREF_PY[`3.${p.minor}`] ?? null) : null;
}

/** Lib/concurrent/futures of the profile's version (null: 2.7 has none). */
export function futuresPyOf(p: { major: number; minor: number }): FuturesPy | null {
    return p.major === 3 ? (FUTURES_PY[`3.${p.minor}`] ?? null) : null;
}

export const FUTURES_PY: Record<string, FuturesPy> = {
    '3.8': { result: { cancelled: [435, 442], getResult: [437, 444], timeout: 446 }, exception: { cancelled: [471, 478], timeout: 482 }, getResult: 389, setResult: 532, setException: 547, workItemRun: 57, init: [141, 144], submit: [179, 181], mapYield: 619, resultOrCancel: null, carets: null },
    '3.9': { result: { cancelled: [437, 444], getResult: [439, 446], timeout: 448 }, exception: { cancelled: [473, 480], timeout: 484 }, getResult: 391, setResult: 534, setException: 549, workItemRun: 58, init: [144, 147], submit: [167, 169], mapYield: 609, resultOrCancel: null, carets: null },
    '3.10': { result: { cancelled: [449, 456], getResult: [451, 458], timeout: 460 }, exception: { cancelled: [485, 492], timeout: 496 }, getResult: 403, setResult: 546, setException: 561, workItemRun: 58, init: [144, 147], submit: [167, 169], mapYield: 621, resultOrCancel: 319, carets: null },
    '3.11': FUTURES_311,
    '3.12': { ...FUTURES_311, init: [147, 150], submit: [170, 172] },
    '3.13': {
        ...FUTURES_311,
        init: [147, 150],
        submit: [170, 172],
        carets: {
            'return self.__get_result()': '       ~~~~~~~~~~~~~~~~~^^',
            'yield _result_or_cancel(fs.pop())': '      ~~~~~~~~~~~~~~~~~^^^^^^^^^^',
            'return fut.result(timeout)': '       ~~~~~~~~~~^^^^^^^^^',
        },
    },
};

export interface ThreadLocalProfile {
    /**
     * 3.13: each local's `localdicts` holds the ldicts (a cycle through a local is collectable) and
     * a thread's sentinel weakrefs free them, last used first; ≤3.12 a `_localdummy` in the thread
     * state's dict owns each ldict (invisible to the collector), freed in first-use order.
     */
    sentinels: boolean;
    /** 3.9+: _PyThreadState_DeleteExcept clears the frozen daemon threads' states right after atexit; 3.8 at interpreter clear. */
    daemonStatesClearedAfterAtexit: boolean;
}

/** Objects/descrobject.c's mappingproxy per version (builtins/mappingproxy.ts). */
export interface MappingProxyRow {
    /** tp_name: mappingproxy (2.7: dictproxy). */
    typeName: string;
    /** What the repr wraps the mapping's repr in: `mappingproxy(...)` (2.7: `dict_proxy(...)`). */
    reprName: string;
    /** 3.12+: tp_hash hashes the mapping ("unhashable type: 'dict'"); before, the proxy is unhashable itself. */
    hashesMapping: boolean;
    /** 3.9+: `|` unwraps either side, `__reversed__` is the mapping's. */
    unionAndReversed: boolean;
    /** 3.8 and 2.7 call the mapping's methods through getattr (a bound method each call); 3.9+ by vectorcall. */
    callBindsMethod: boolean;
    /** 2.7: has_key, iterkeys, itervalues, iteritems. */
    py2Methods: boolean;
    /** 3.x: `types.MappingProxyType(mapping)` constructs one (2.7's dictproxy has no tp_new). */
    constructible: boolean;
}

export interface Profile {
    name: string;
    /** Lib/threading.py of this version (threads/threadingModule.ts). */
    threadingPy: ThreadingPy;
    /** 3.13: _queue.SimpleQueue stores items in a ring buffer (released front to back), not a list. */
    simpleQueueRingBuffer: boolean;
    /** threading.local's per-thread dicts (threads/threadLocal.ts). */
    threadLocal: ThreadLocalProfile;
    /** cpython, or one of the tracing-GC runtimes (pypy, jython). */
    runtime: Runtime;
    /** null: reference counting frees at once (CPython). Set: see TracingGc. */
    tracingGc: TracingGc | null;
    memory: MemoryProfile;
    major: 2 | 3;
    minor: number;
    /** Version string printed by `sys.version_info` based code paths. */
    fullVersion: string;

    // ---- frames and calls
    /** 3.11+: `_PyEvalFramePushAndInit` steals the arguments into the callee frame; ≤3.10 the caller pops them after return. */
    argsStolenIntoFrame: boolean;
    /** 3.11+: `_PyFrame_ClearLocals` also clears cells after plain locals ("a d c"); ≤3.10 frame_dealloc clears f_localsplus (locals, then cells). */
    cellsAfterLocals: boolean;
    /** 3.7+: LOAD_METHOD/CALL_METHOD avoid creating a bound method for `obj.meth(...)`. */
    loadMethod: boolean;
    /**
     * Which `obj.meth(...)` calls the compiler makes method calls (maybe_optimize_method_call); the
     * others load a bound method (LOAD_ATTR) that lives while the call runs. Never one with `*args`
     * or `**kwargs`; `keywords`: one with keyword arguments (3.11+; ≤3.10 CALL_METHOD takes none);
     * `maxStack`: only while positional + keyword arguments (+1 with keywords) stay under
     * STACK_USE_GUIDELINE (3.10+: 30). Measured with dis on 3.8-3.13. (3.11+ CALL and 2.7's
     * call_function release a bound method before the call, replacing it by its self and
     * function: only CALL_FUNCTION_EX and ≤3.10's calls keep it alive while the call runs.)
     */
    methodCall: { keywords: boolean; maxStack: number | null };
    /** ≤3.10: every call creates a frame *object* (a GC-capable allocation); 3.11+ frames are lazily materialized. */
    frameObjectPerCall: boolean;
    /**
     * 3.8+: a frame object is not tracked by the collector while its frame runs (≤3.10
     * _PyFrame_New_NoTrack, tracked after the eval loop returns when something still holds it;
     * 3.11+ made untracked on demand, tracked by take_ownership when the frame ends), so it joins
     * generation 0 when the function returns, not when it was called. ≤3.10 a generator's frame
     * is tracked from the start. 2.7's PyFrame_New tracks every frame at once. Measured with
     * gc.is_tracked(sys._getframe()) and a traceback's tb_frame.
     */
    runningFrameUntracked: boolean;
    /** ≤3.11: comprehensions run in their own function frame; 3.12+ inlined (PEP 709). */
    comprehensionFrames: boolean;
    /** 2.7: list comprehensions run in the enclosing scope and leave their variable bound. */
    listCompLeaksVariable: boolean;
    /** 2.7: zip(), dict.keys()… return lists. */
    builtinsReturnLists: boolean;
    /** 2.7: `b'…'` literals are plain str. */
    bytesAreStr: boolean;
    /**
     * Names of the weakref types and the module their repr names: `weakref`/`weakproxy` (builtins)
     * up to 3.9, `weakref.ReferenceType`/`weakref.ProxyType` from 3.10 (type(weakref.ref(x)).__name__).
     */
    weakrefTypes: { ref: string; proxy: string; callableProxy: string; module: string };
    /** Types this version names differently (type(x).__name__), by the engine's name (2.7: `instancemethod`, `file`). */
    typeNames: Readonly<Record<string, string>>;
    /** 2.7: calling a bound method puts a new reference to its self on the value stack for the call. */
    boundMethodCallHoldsSelf: boolean;
    /** 3.11+: ast_opt turns `'%s' % (a, b)` into an f-string (temporaries die one by one). */
    percentFormatAsFString: boolean;

    // ---- the data model (interp/slots.ts, interp/typeobject.ts)
    /** The truth-value method: `__bool__` (3.x), `__nonzero__` (2.7). */
    truthMethod: '__bool__' | '__nonzero__';
    /** 2.7: `__nonzero__` may return an int (3.x `__bool__` must return a bool). */
    truthMayBeInt: boolean;
    /** The iterator protocol's method: `__next__` (3.x), `next` (2.7). */
    nextMethod: '__next__' | 'next';
    /**
     * PyObject_LengthHint (interp/lengthHint.ts): how list(), tuple(), list.extend, sorted(), `[*x]`
     * and `f(*x)` ask an iterable its size before iterating it. `api`: 3.x's (a TypeError from
     * `__len__` or `__length_hint__` means "no hint", NotImplemented too, a result that is not an
     * int is a TypeError, a negative one a ValueError) or 2.7's (a TypeError or AttributeError
     * means no hint, a result that is not a number too; an old-style instance is asked only its
     * `__len__`); null where the runtime's own paths are not modelled (PyPy and Jython ask at other
     * points). `listInitLen`: 3.8-3.9 list.__init__ first asks `__len__` to preallocate
     * (list_preallocate_exact), then list_extend asks again. Measured on 2.7 and 3.8-3.13.
     */
    lengthHint: { api: '3' | '2.7' | null; listInitLen: boolean };
    /** 2.7 ext_do_call: `f(*t)` takes a tuple subclass as it is (PyTuple_Check); 3.x makes an exact tuple by iterating it. */
    starArgsTupleSubclass: boolean;
    /** 3.x object.__ne__ answers the inverse of `__eq__`; 2.7 `!=` without `__ne__` compares identities. */
    neDelegatesToEq: boolean;
    /** 3.x slot_tp_iter: `__iter__ = None` means "not iterable"; 2.7 calls the None (TypeError: not callable). */
    iterNoneNotIterable: boolean;
    /** 3.8/3.9: complex still has nb_floor_divide and nb_remainder, raising their own TypeError (3.10 removed them: the generic one). */
    complexFloorDivRaises: boolean;
    /** 3.11+: iter() of an ASCII-only str is a `str_ascii_iterator` (unicode_ascii_iter), else `str_iterator`. */
    strAsciiIterator: boolean;
    /** object_new / object_init's rules for extra arguments (2.7: "object() takes no parameters", a warning when both are overridden). */
    objectArgsStyle: 'py2' | 'py3';
    /** 2.7: a class body's `__metaclass__` chooses the metaclass (3.x: the `metaclass=` keyword). */
    metaclassAttribute: boolean;
    /** 2.7: a class without bases or metaclass is a classic class (interp/classobject.ts). */
    classicClasses: boolean;
    /**
     * 3.3+ (PEP 3155): a class body stores `__qualname__` in its namespace (type_new takes it out),
     * and classes, functions and built-in functions have `__qualname__`; 2.7 has none of it.
     */
    classBodyQualname: boolean;
    /** What a class's `__dict__` gives: Objects/descrobject.c's mappingproxy (2.7: dictproxy), builtins/mappingproxy.ts. */
    mappingProxy: MappingProxyRow;
    /**
     * tp_new_wrapper's "X.__new__(C) is not safe" check names the nearest class of C without a Python
     * `__new__` (3.x: it may be a heap class, "use C.__new__()"); 2.7 names C's first built-in base.
     */
    newSafetyUsesHeapBase: boolean;
    /** 3.6+ (PEP 487): type_new calls `__set_name__` and `__init_subclass__`; class keywords go to `__init_subclass__`. */
    initSubclass: boolean;
    /** 2.7: int and float have their own tp_str (3.x: str() of a number is its repr, a subclass's `__repr__` included). */
    numbersHaveStr: boolean;
    /** 3.4+ object.__format__ refuses a non-empty format spec (2.7 formats str(self) with it). */
    objectFormatRejectsSpec: boolean;
    /** 3.7+ (PEP 560): `C[x]` calls `C.__class_getitem__(x)`. */
    classGetItem: boolean;
    /** 3.9+: `list[int]` makes a types.GenericAlias (not modelled: refused). */
    builtinGenericAlias: boolean;

    // ---- objects
    /**
     * The `__dict__` of a built-in type's subclass instance: a combined dict (insertion order) up
     * to 3.10; from 3.11 a split table over the class's shared keys (released in that key order)
     * when the base has no variable-size part (list, dict, set, str, float: Py_TPFLAGS_MANAGED_DICT),
     * from 3.12 for every base (tuple and int too). Measured (datamodel/subclass_dealloc_order).
     */
    subtypeDictSharedKeys: 'never' | 'itemsize0' | 'always';
    instanceAttrOrder: InstanceAttrOrder;
    /** ≤3.10: the instance `__dict__` is a separate GC container (counted by gc.collect and by gen0 counts). */
    instanceDictIsObject: boolean;
    /**
     * ≤3.10: `weakref.proxy(o[, callback])` is a METH_VARARGS built-in, its arguments packed in a
     * tuple for the call; 3.11+ Argument Clinic makes it METH_FASTCALL (measured: a 2-tuple
     * allocated after a full collection emptied the free lists, or not).
     */
    weakrefProxyPacksArguments: boolean;
    /**
     * 3.11+: Argument Clinic's `print(*args, sep, end, file, flush)` packs the positional arguments
     * in a tuple (_PyArg_UnpackKeywordsWithVararg), freed after the call; ≤3.10 print reads them
     * off the stack (measured: the tuple's size is found on its free list after a print).
     */
    printPacksArguments: boolean;
    /** 3.6+: dicts keep insertion order; 2.7 iterates (and deallocates) in hash-table slot order. */
    dictInsertionOrdered: boolean;
    /** 3.12+: None, bools, small ints and interned strings are immortal (getrefcount = 4294967295). */
    immortalObjects: boolean;
    /**
     * PyObject_Hash of numbers and tuples: 3.x reduces numbers modulo 2**61 - 1 and hashes tuples
     * with xxHash (3.8+); 2.7 hashes ints as themselves, longs digit by digit, floats by frexp parts
     * and tuples with the classic multiply-xor. 3.10+ hash a NaN by identity (bpo-43475), before 0;
     * 3.12+ hash None to a constant (gh-99540), before by identity.
     */
    hashing: { numbers: 'modular' | 'py27'; tuples: 'xxhash' | 'classic'; nanByIdentity: boolean; noneConstant: boolean };
    /**
     * How Objects/setobject.c lays out a set's hash table, whose slot order is every walk's order
     * (runtime/setobject.ts). 3.9's set_add_entry never reuses a dummy slot (3.8 and 3.10+ take the last one on the probe path, 2.7 the first); the
     * 3.9+ compiler makes a display of more than two constants a frozenset constant merged into the
     * new set; 2.7 probes without linear probes, grows at two thirds, keeps pop's finger in slot 0.
     */
    sets: SetRules;
    /** 3.x: a class body defining `__eq__` without `__hash__` gets `__hash__ = None` (type_ready_set_hash). */
    eqWithoutHashUnhashable: boolean;
    /**
     * Copying a clean dict into an empty one clones its keys (no `__eq__` between them) rather than
     * inserting each (2.7): PyDict_Copy (`d.copy()`, `d | e`) from 3.6, dict_merge (`dict(d)`,
     * `update`, `{**d}`) from 3.10.
     */
    dictClones: { copy: boolean; merge: boolean };

    /**
     * Traceback carets (3.11+): `c`, the C printer (unraisable and atexit errors; every traceback
     * in 3.11/3.12; none in 3.13); `excepthook`, an uncaught exception's (3.13: the traceback module).
     */
    tracebackCarets: { c: CaretStyle | null; excepthook: CaretStyle | null };
    /** Compile-time SyntaxWarnings written to stderr before the script runs. */
    syntaxWarnings: SyntaxWarningRules;
    /**
     * 3.13: a new module's dict is GC-tracked as it is created, ahead of the module object, so it
     * precedes its module in the collector's lists (measured: gc.get_objects() order, and
     * gc.is_tracked(type(sys)('m').__dict__) True); ≤3.12 it is tracked only when a container is
     * stored in it, after the module.
     */
    moduleDictTrackedAtCreation: boolean;

    /**
     * The line a `with` statement's exit runs at (the __exit__ call and the releases after it):
     * 'body-end' (2.7-3.9: the cleanup bytecode follows the body and carries its last line, even
     * when an exception left the body earlier), 'with-statement' (3.10+ compile the exit at the
     * `with` line: compiler_with's SET_LOC(c, s)). Measured with sys._getframe(1).f_lineno in __exit__.
     */
    withExitLine: 'body-end' | 'with-statement';
    /**
     * The line (and position) a decorator is called at — what sys._getframe(1).f_lineno shows in
     * it and a traceback through it: 'decorator' (3.11+: each call carries its decorator
     * expression's location, so stacked ones run bottom-up at their own lines), 'statement'
     * (3.8-3.10: the `def`/`class` line, compiler_visit_expr restoring the statement's line after
     * each expression), 'last-expression' (2.7: the compiler only moves the line forward, so the
     * calls carry the line of the last header expression to start on a later line: the last
     * decorator, a default, a base). Measured with sys._getframe(1).f_lineno in the decorator.
     */
    decoratorCallLine: 'decorator' | 'statement' | 'last-expression';

    // ---- exceptions
    /** 3.x: `except E as e` unbinds `e` at handler end; 2.7 keeps it bound. */
    exceptNameCleared: boolean;
    /**
     * 2.7 (ceval.c, bpo-7853): an exception leaving a `with` block becomes the frame's handled
     * exception (set_exc_info, replacing the one the frame held, whose traceback goes) before
     * `__exit__` runs, and stays as an except clause's does; 3.x handles it only during the call.
     */
    withExitSetsExcInfo: boolean;
    /** 3.x: exceptions carry `__traceback__` (a traceback object referencing frames). */
    exceptionHasTraceback: boolean;
    /**
     * 3.8+ PyErr_WriteUnraisable: an exception without a traceback (raised before its frame ran: a
     * `__del__` over the recursion limit, or called with the wrong arguments) gets one for the
     * frame running when it was reported (_PyTraceBack_FromFrame), shown like any traceback.
     */
    unraisableTracebackFromFrame: boolean;
    /** 3.10+: a call's argument errors name the function by its qualified name (`A.f() takes…`); before, by co_name. */
    argErrorsNameQualname: boolean;
    /**
     * Frames the C traceback printer needs below the recursion limit to show a source line (it runs
     * Python code to open and decode the file); with fewer the line is silently left out. Measured
     * with a `__del__` failing at growing depths: 3.12+ 2; 3.8–3.11 5, where C calls share the counter.
     */
    sourceLineFrames: number;
    /** 3.12+: uncaught exceptions also set `sys.last_exc`. */
    setsLastExc: boolean;
    /**
     * 3.13: _PyErr_Display prints an uncaught exception through Lib/traceback.py
     * (`_print_exception_bltin`), importing `traceback` first if the program has not (its
     * importAllocations cost); printing then allocates `base` GC objects (linecache's first read
     * imports tokenize and ast) and about `perEntry` more per traceback entry, chained ones
     * included. Measured with gc.get_count() from an atexit handler, `traceback` imported before
     * the raise. Enough to start collections before atexit runs. null: the C printer (≤3.12).
     */
    errDisplayAllocations: { base: number; perEntry: number } | null;
    /** 3.11+: a printed traceback names an exception class of `__main__` without the module (`AppError: x`). */
    exceptionNameOmitsMain: boolean;
    /**
     * PEP 3151 (3.3+): OSError(errno, …) is created as the subclass its errno maps to
     * (FileNotFoundError…), IOError and EnvironmentError are OSError, a None filename is not
     * stored, filename2 exists; 2.7's EnvironmentError_init keeps whatever third argument it gets.
     */
    pep3151: boolean;
    /**
     * bpo-42536 (3.8.8+, 3.9.2+, 3.10): enumerate, zip and dict-items iterators re-track a result
     * tuple they reuse after the collector untracked it; 2.7 leaves it untracked.
     */
    recycledTupleRetracked: boolean;
    /** PEP 618 (3.10+): zip(..., strict=True). */
    zipStrict: boolean;
    /** 3.x: BaseException_new stores the arguments as `args` (2.7: only __init__ does, so a subclass __init__ that skips it leaves `()`). */
    exceptionNewStoresArgs: boolean;
    /** 2.7: BaseException.message (args[0] of a one-argument exception, else ''). */
    exceptionMessageAttr: boolean;
    /** 2.7 (and ≤3.6): BaseException_repr prints the args tuple, `KeyError('a',)`. */
    exceptionReprTupleComma: boolean;
    /**
     * 3.10+: the eval loop sets NameError.name, and a failed attribute lookup sets
     * AttributeError.name and AttributeError.obj (a reference: the exception keeps the object alive).
     */
    exceptionNameContext: boolean;

    // ---- generators (Objects/genobject.c)
    /** 3.7+ (PEP 479): a StopIteration raised inside a generator becomes `RuntimeError: generator raised StopIteration`. */
    generatorStopAsRuntimeError: boolean;
    /** 3.3+: `return value` and `yield from` in a generator; 2.7 refuses both (SyntaxError). */
    generatorReturnValue: boolean;
    /**
     * sys.exit(n) with n past a C long: status 255 and the OverflowError PyLong_AsLong left set,
     * which 3.12 prints bare and 3.13 as an unraisable of wait_for_thread_shutdown (both before atexit).
     */
    exitStatusOverflowReport: 'silent' | 'printed' | 'threading-shutdown';
    /**
     * CVE-2020-10735 (3.8.14+, 3.9.14+, 3.10.7+, 3.11+): the default of sys.set_int_max_str_digits,
     * 0 where a version has no limit (2.7).
     */
    intMaxStrDigits: number;
    /** Where the caret of a decimal literal over the limit points: 3.8 the literal, 3.9 the line's first column, 3.10+ none. */
    intLiteralLimitCaret: 'literal' | 'line-start' | 'none';
    /** 3.x: sys.setrecursionlimit and os._exit take their int through Argument Clinic (_PyLong_AsInt); 2.7 through PyArg_ParseTuple "i". */
    clinicIntArgs: boolean;
    /** 3.8+ long_pow: pow(a, -n, m) is the modular inverse's power (bpo-36027); 2.7 refuses a negative exponent. */
    powModInverse: boolean;
    /** The grammar features after the oldest profiles that this version's compiler accepts (the parser accepts all; see ast.Module.gated). */
    syntax: ReadonlySet<SyntaxFeature>;
    /**
     * Which grammar the scenario is parsed with (parser.ts ParseOptions): 2.7's has the print and
     * exec statements, backticks, `<>`, `except E, e`, `raise E, V` (and Py_FlushLine after
     * `__main__`, printStatement.ts); Python 3's syntax is gated there with 2.7's messages.
     */
    grammar: 'python2' | 'python3';
    /** How this compiler words and places its error for a PEP 701 f-string (3.12+ accept them: 'pep701' in syntax). */
    fstringErrors: FStringErrorStyle;
    /**
     * MAXSTACK of the LL(1) parser (Parser/parser.c: 1,500 in 2.7, 1,700 in 3.8), whose stack holds
     * one entry per nonterminal open above the token being read (pgenStack.ts): about 99 nested
     * parentheses overflow it. null: 3.9+'s PEG parser (and Jython's) has no such stack.
     */
    pgenParserStack: number | null;
    /**
     * Names CPython's `__main__` has from the start that the engine's does not model (refused where
     * a scenario names them): dir() of the module still lists them.
     */
    mainModuleUnmodelled: readonly string[];
    /** How the exception display suggests a name for a NameError/AttributeError (3.10+; interp/tracebackSuggestions.ts), or null. */
    tracebackSuggestions: SuggestionRules | null;
    /** 3.13: the compiler stores `__firstlineno__` and `__static_attributes__` in every class namespace. */
    classBodyMetadata: boolean;
    /** 3.12+ gen_close: a generator never started is only marked finished; its frame (the arguments) lives until the generator is freed. */
    genCloseCreatedNoThrow: boolean;
    /** 3.13 gen_close: a generator suspended outside every try/with/except has its locals cleared, no GeneratorExit thrown (measured: 3.12.1 still throws). */
    genCloseClearsOutsideTry: boolean;
    /** 3.13: close() returns the value the generator returned after catching GeneratorExit. */
    genCloseReturnsValue: boolean;
    /**
     * ≤3.11 _gen_throw: when the `yield from` subiterator a throw() was delegated to finishes
     * (returns or raises), the C code pops it off the delegating frame's stack before resuming
     * that frame, so its last reference goes at the throw() call's line; 3.12+ leaves it to the
     * frame (CLEANUP_THROW), at the `yield from` line.
     */
    genThrowPopsSubiterator: boolean;
    /** 3.12+: throw(type, value[, tb]) warns (DeprecationWarning, shown in __main__) that only throw(exc) stays. */
    throwSignatureDeprecated: boolean;
    /** 3.x: a generator suspended in an except block keeps the exception it handles (gi_exc_state); 2.7's YIELD_VALUE resets the thread's exception state (reset_exc_info), dropping it. */
    genKeepsExcState: boolean;

    // ---- finalizers and weakrefs
    /** Py_TRASHCAN_BEGIN/END: what bounds nested deallocations (runtime/heap.ts). */
    trashcan: TrashcanProfile;
    /**
     * Recursion-depth units a `__del__` called from a dealloc costs: 2.7 3 (slot_tp_del and
     * instance_dealloc call the bound method through PyObject_Call, whose check says "while calling
     * a Python object", then the function, then its frame: measured, a classic class's `__del__`
     * chain fails at call 334); 3.x 1 (the frame).
     */
    finalizerCallDepth: number;
    /** PEP 442 (3.4+): `__del__` runs at most once per object. */
    finalizeOnce: boolean;
    /** 3.x: on refcount death `__del__` runs before weakref callbacks; 2.7 the reverse. */
    delBeforeWeakrefCallbacks: boolean;
    /** 2.7: a cycle containing an object with `__del__` is uncollectable and goes to gc.garbage. */
    legacyDelCyclesUncollectable: boolean;

    // ---- cyclic GC
    thresholds: [number, number, number];
    /** 3.12+: an allocation crossing the threshold schedules a collection for the next eval-breaker check. */
    gcAtEvalBreaker: boolean;
    /** gc.collect() counts instance dicts (≤3.10). */
    collectCountsInstanceDicts: boolean;
    /** 3.9+: handle_resurrected_objects frees the rest of the garbage even when a finalizer resurrects. */
    handlesResurrection: boolean;
    /**
     * gc.get_count() CPython has when `__main__` starts running (`python -S file`), minus the two GC
     * objects (module, dict) our `import gc` allocates: FINDINGS §0 "first statement after import gc".
     */
    startupGcCounts: [number, number, number];
    /**
     * gc.get_stats()[0] when `__main__` starts (`python -S`): the collections of generation 0 during
     * start-up and the objects they collected (generations 1 and 2 start at zero). Measured.
     */
    startupGcStats: [collections: number, collected: number];
    /**
     * Net GC allocations an import makes beyond the module object and its dict (measured with gc
     * disabled, `python -S`). `deps` are hidden modules imported with it, charged once (weakref and os
     * share `_collections_abc` in 3.x, `UserDict`/`_abcoll`/`abc` in 2.7). They can start collections.
     */
    importAllocations: Record<string, ImportCost>;
    /**
     * The free lists (runtime/freelists.ts): capacities, occupancy when `__main__` starts (measured
     * after `import gc`: allocate k objects of a kind, see how many the count misses) and after the
     * imports that churn through many objects.
     */
    freeLists: FreeListProfile;
    /**
     * Temporaries type creation allocates and frees besides the namespace dict, by kind. 3.x,
     * measured: after a full collection emptied the free lists, one list filled with six objects,
     * then `class B(A)` (A a class with a subclass already): how many fewer objects the count sees
     * than with no list filled, less what the class keeps (its dict, its (A,) bases and (B, A,
     * object) MRO tuples): the metatype's (name, bases, namespace) argument tuple, the dict copy
     * type_new_set_names walks, the bound `__init_subclass__` super() gives (a built-in method:
     * 3.8 has a free list for them), and ≤3.10 the (type, type) argument tuple of that super();
     * no list, nor tuples of other sizes. 2.7 the tuples, and the MRO through three lists.
     */
    classCreationTemps: { list: number; dict: number; tuple: readonly number[]; cfunction?: number };
    /**
     * The dicts and lists compiling `__main__` keeps per symtable block and per compiler unit, and
     * the ones start-up leaves free beyond what compiling a program without blocks uses (interp/compile.ts).
     */
    compilerAllocations: CompilerAllocations;
    /** What the standard-library modules the engine models look like in this version (modules/*.ts). */
    stdlib: StdlibProfile;

    // ---- atexit and shutdown
    /** 3.x: PyRun_SimpleFile calls flush_io() when `__main__` finishes, before atexit; 2.7 flushes only at exit. */
    flushIoAfterMain: boolean;
    /**
     * 3.8+ (bpo-1054041): `__main__` ending with an exception whose type is exactly
     * KeyboardInterrupt (run_eval_code_obj sets _Py_UnhandledKeyboardInterrupt; a subclass does
     * not) makes Py_RunMain, after Py_FinalizeEx, kill the process with SIGINT (exit_sigint): a
     * signal death, status 130 in a shell. 2.7 exits 1 like any other uncaught exception.
     */
    uncaughtKeyboardInterruptKills: boolean;
    /**
     * 2.7's PyEval_EvalCodeEx checks the number of positional arguments before it binds the
     * keywords (`f(1, b=2)` on `def f():` says it takes no arguments); 3.x's binds the keywords
     * first and checks the count after (`got an unexpected keyword argument 'b'`).
     */
    positionalCountBeforeKeywords: boolean;
    /**
     * ≤3.9 (2.7 too): a module's code object's co_firstlineno is the line of its first instruction
     * (the first statement's; a leading comment is skipped), 3.10+ always 1. Measured with
     * sys._getframe().f_code.co_firstlineno.
     */
    moduleFirstLineIsFirstStatement: boolean;
    atexitErrorStyle: AtexitErrorStyle;
    /** 2.7: handlers registered during exit still run (pop until empty); 3.x: never. */
    atexitRunsLateRegistrations: boolean;
    /**
     * method_richcompare: two bound methods are equal when their functions are and their `__self__`
     * is the same object (3.8+, bpo-1617161), or compares equal (2.7 instancemethod_richcompare).
     */
    methodEqSelfByIdentity: boolean;
    /** 2.7: the shutdown collection runs even when gc is disabled. */
    shutdownGcIgnoresDisable: boolean;
    /** 3.x: `finalize_modules` collects after clearing modules; 2.7 never collects after PyImport_Cleanup. */
    collectsAfterModuleCleanup: boolean;
    /** 3.10+: interpreter_clear runs one more collection after finalize_modules' last one (gc/finalize.ts). */
    interpreterClearCollects: boolean;
    /** 3.10+: interpreter_clear ends with PyDict_Clear of the sys and builtins dicts (after _PyGC_Fini). */
    clearsSysDictAtEnd: boolean;

    // ---- files (io/*.ts; measured with the scenarios under test/conformance/scenarios/files)
    /**
     * 3.x: open() builds io objects (Modules/_io: FileIO, Buffered*, TextIOWrapper), GC-tracked, with
     * iobase_finalize as tp_finalize; 2.7: the `file` type (Objects/fileobject.c) over a C stdio
     * FILE, not GC-tracked, closed by its dealloc without a finalizer or warning.
     */
    fileObjects: 'io' | 'stdio';
    /** setup_context with no Python frame (shutdown): the file name and line a warning reports. */
    warningNoFrame: { filename: string; lineno: number };
    /**
     * _warnings.c init_filters: the filters a non-debug build starts with, as (action, category,
     * module or null) — 3.x shows DeprecationWarning in __main__ and hides it elsewhere, with
     * PendingDeprecationWarning, ImportWarning and ResourceWarning; 2.7 hides DeprecationWarning
     * everywhere, PendingDeprecationWarning, ImportWarning and BytesWarning.
     */
    warningFilters: readonly (readonly [string, string, string | null])[];
    /**
     * TextIOWrapper.write: 3.8–3.12 write the pending bytes out first when the new ones would take
     * them past the chunk size (8192); 3.13 appends, then writes everything once the chunk is full.
     */
    textFlushBeforeOverflow: boolean;
    /** BufferedWriter.write: 3.13 sends a write of at least buffer_size bytes straight to the file; before, only more than buffer_size. */
    bufferedWriteThroughAtSize: boolean;
    /** 3.12: buffered objects get an instance dict when created (one more dict allocation per open()). */
    bufferedHasDict: boolean;
    /** 3.12+: _io.IncrementalNewlineDecoder is a GC type (tracked, and its inner decoder is reached through it). */
    newlineDecoderIsGc: boolean;
    /** 3.11+: open() rejects mode 'U' as invalid; before, it was accepted with a DeprecationWarning (the engine refuses it). */
    openRejectsU: boolean;
    /** 3.9+: truncate() on a buffered object that is not writable raises UnsupportedOperation('truncate'); 3.8 lets FileIO refuse it. */
    bufferedTruncateChecksWritable: boolean;
    /**
     * GC allocations open() (and 2.7's close()) make beyond the objects the engine creates:
     * argument parsing, codec lookups, temporaries that end in free lists. Measured with gc
     * disabled (files/gc_counts.pyscn); they move gen0's count, so they can start collections.
     * 3.8 and 3.9 also import `_bootlocale` on the first text open (importAllocations).
     */
    fileAllocations: { openText: number; openBinary: number; close: number };
}

const SIZES_38: Record<string, number> = {
    object: 16, instance: 48, dict: 64, list: 56, tuple: 48, set: 216, function: 136, type: 1064, cell: 40, method: 64, float: 24,
    weakref: 72, module: 72, frame: 432, traceback: 64, generator: 120, code: 144, list_iterator: 48, property: 80, staticmethod: 32, classmethod: 32,
};

const mem3: MemoryProfile = {
    pymalloc: true,
    arenaSize: 256 * 1024,
    poolSize: 4 * 1024,
    alignment: 16,
    smallThreshold: 512,
    gcHeader: 16,
    sizes: SIZES_38,
    startupArenas: 4,
    startupPools: 254,
    embedCycleLeakBytes: null,
};

const mem310: MemoryProfile = { ...mem3, arenaSize: 1024 * 1024, poolSize: 16 * 1024 };


// ---- The 3.x compiler's constant cache (interp/compilerConsts.ts, constCache.ts), per version
// from compile.c/assemble.c: which co_* tuples makecode merges, which bytes assemble merges, how
// constant defaults are folded. tupleBase: what the start-up figures already hold of the replay
// (startupGcCounts was measured with a program of its own): set so that the first gc.get_count()
// of `npm run fuzz -- --first-count --seeds 0-199` is CPython's for most programs (one or two
// allocations; the free lists' start-up sizes 1-19 measured with python -S, PYTHONUNBUFFERED unset).
const CC_38: ConstCacheProfile = {
    tupleBase: 2, codeTuples: 'varnames', mergedBytes: [], tupleFold: 'peephole', removeUnusedConsts: false, constDisplays: false,
    qualnameConst: true, linetableColumns: false, directiveSize: 3, inlinedComprehensions: false, classBodyMetadata: false,
};
const CC_311: ConstCacheProfile = {
    ...CC_38, tupleBase: 3, codeTuples: 'localsplus', mergedBytes: ['exceptiontable', 'linetable', 'bytecode'], tupleFold: 'cfg', removeUnusedConsts: false,
    constDisplays: true, qualnameConst: false, linetableColumns: true, directiveSize: 5,
};
const CONST_CACHE: Record<string, ConstCacheProfile> = {
    '3.8': CC_38,
    '3.9': { ...CC_38, tupleBase: 1, constDisplays: true },
    '3.10': { ...CC_38, tupleBase: 1, constDisplays: true, tupleFold: 'cfg', mergedBytes: ['linetable', 'bytecode'], directiveSize: 5 },
    '3.11': CC_311,
    '3.12': { ...CC_311, removeUnusedConsts: true, inlinedComprehensions: true },
    '3.13': { ...CC_311, removeUnusedConsts: true, inlinedComprehensions: true, classBodyMetadata: true },
};

// ---- Free lists (runtime/freelists.ts). Occupancy measured with `python -S` (gc disabled):
// create 100 objects of a kind and keep them; the gen0 count misses as many as the list held.
// `initial`: before any import (3.x; `import gc` then takes a dict for its module); afterImports:
// after `from __future__ import …` (which imports the module __future__), and on 2.7 after the
// imports whose Python code churns through many objects, by their sequence; on 3.x those imports
// (weakref, os; atexit on its own) are walks through the lists (runtime/freelists.ts FreeListWalk,
// measured by scripts/measure-import-walks.py; `allocs` there: the count after the imports
// before it in the sequence, CPython's with the collector disabled). Tuples by size 1, 2, 3…
// (3.x tuples: sizes 1-19, measured with a program whose own compile leaves them as it found them
// (its names and constants tuples of 20 items or more), since compiling __main__ is replayed
// against them: interp/compilerConsts.ts.) Frames (≤3.10): the frame list holds none at start-up
// and five after `import weakref` or `import os` (importlib's nested calls free frames whose code
// already has its zombie frame): measured by a 100-deep recursion of a new function, whose count
// misses as many frames as the list supplied.
const FL_CAP_3: FreeListProfile['capacity'] = { list: 80, dict: 80, tuple: 2000, frame: 200, method: 0, cfunction: 0 };
/** [list, dict, tuples of 1, 2, 3…] */
function st(list: number, dict: number, ...tuple: number[]): FreeListState {
    return { list, dict, tuple };
}
function fl(cap: FreeListProfile['capacity'], initial: FreeListState, afterImports: Record<string, FreeListState>, collectClearsListsAndDicts = true, walks?: Record<string, FreeListWalk>, standaloneWalks?: Record<string, FreeListWalk>): FreeListProfile {
    return { capacity: cap, initial, afterImports, collectClearsListsAndDicts, walks, standaloneWalks };
}
const FREE_LISTS: Record<string, FreeListProfile> = {
    '2.7': fl({ ...FL_CAP_3, method: 256, cfunction: 256 }, { ...st(4, 1, 0, 16, 1, 3, 1, 1, 0), frame: 0, method: 1, cfunction: 0 }, {
        // (The module's code keeps three 2-tuples the free list supplied: measured on 23 programs.)
        __future__: st(4, 1, 0, 13, 1, 3, 1, 1, 0),
        weakref: st(3, 0, 1, 22, 6, 6, 2, 3, 3),
        os: st(2, 0, 22, 28, 10, 4, 2, 1, 0),
        'os+weakref': st(3, 0, 1, 8, 1, 2, 1, 1, 0),
        'weakref+os': st(2, 0, 22, 14, 8, 4, 2, 1, 0),
    }, /* 2.7's clear_freelists() leaves lists and dicts alone */ false),
    '3.8': fl({ ...FL_CAP_3, method: 256, cfunction: 256 }, { ...st(4, 6, 3, 6, 3, 3, 2, 4, 1, 2, 1, 3, 1, 1, 0, 1, 0, 1, 3, 2, 3), frame: 0, method: 7, cfunction: 2 }, {
        __future__: st(2, 4, 2, 1, 2, 1, 0, 3, 1),
    }, true, {
        weakref: { empty: st(1, 5, 1, 26, 3, 3, 2, 1, 11, 9, 7, 1, 2, 3, 2, 3, 2, 0, 0, 2, 1), depth: st(5, 80, 134, 182, 109, 48, 32, 21, 23, 21, 7, 1, 4, 3, 3, 3, 3, 0, 0, 2, 1), frame: 5 },
        os: { empty: st(2, 6, 11, 20, 8, 4, 2, 1, 11, 7, 3, 1, 1, 2, 0, 3, 2, 0, 1, 1, 1), depth: st(7, 80, 143, 198, 104, 45, 25, 18, 21, 17, 10, 8, 5, 4, 5, 4, 4, 5, 3, 2, 1), frame: 5 },
        'os+weakref': { empty: st(1, 5, 1, 26, 3, 2, 1, 0, 2, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0), depth: st(3, 45, 67, 91, 57, 32, 20, 14, 9, 10, 0, 0, 1, 1, 2, 0, 1, 0, 0, 0, 0), frame: 5, allocs: 562 },
        'weakref+os': { empty: st(2, 6, 11, 20, 8, 4, 2, 1, 2, 2, 3, 1, 0, 2, 0, 1, 0, 0, 1, 0, 0), depth: st(5, 29, 76, 107, 52, 30, 14, 12, 7, 8, 10, 8, 3, 4, 5, 2, 2, 5, 3, 1, 0), frame: 5, allocs: 437 },
    }, { atexit: { empty: st(3, 3, 2, 2, 2), depth: st(3, 5, 2, 2, 2) } }),
    '3.9': fl(FL_CAP_3, { ...st(4, 6, 4, 6, 3, 3, 2, 4, 1, 2, 1, 3, 1, 1, 0, 1, 0, 1, 3, 2, 3), frame: 0 }, {
        __future__: st(2, 5, 2, 1, 2, 1, 0, 3, 1),
    }, true, {
        weakref: { empty: st(2, 6, 1, 29, 3, 3, 2, 1, 10, 4, 7, 7, 2, 4, 4, 3, 2, 1, 0, 2, 2), depth: st(7, 80, 153, 212, 124, 50, 47, 24, 33, 16, 9, 9, 4, 5, 5, 4, 2, 2, 0, 2, 2), frame: 5 },
        os: { empty: st(2, 8, 9, 22, 10, 5, 3, 2, 11, 2, 1, 4, 2, 2, 0, 3, 2, 0, 1, 1, 2), depth: st(7, 80, 149, 204, 111, 49, 31, 21, 24, 11, 9, 12, 6, 5, 5, 4, 3, 5, 3, 2, 2), frame: 5 },
        'os+weakref': { empty: st(2, 6, 1, 29, 3, 3, 0, 0, 2, 2, 0, 0, 1, 1, 2, 0, 0, 1, 0, 0, 2), depth: st(5, 50, 78, 118, 69, 33, 32, 14, 17, 10, 1, 1, 3, 2, 2, 1, 0, 2, 0, 0, 2), frame: 5, allocs: 691 },
        'weakref+os': { empty: st(2, 8, 9, 22, 10, 5, 3, 2, 2, 2, 1, 1, 2, 1, 0, 1, 1, 0, 1, 0, 1), depth: st(5, 30, 74, 110, 56, 32, 18, 12, 7, 7, 8, 8, 6, 4, 4, 2, 2, 5, 3, 1, 1), frame: 5, allocs: 447 },
    }, { atexit: { empty: st(3, 4, 2, 2, 2), depth: st(3, 6, 2, 2, 2) } }),
    '3.10': fl(FL_CAP_3, { ...st(5, 7, 4, 7, 3, 3, 2, 4, 1, 1, 2, 2, 1, 1, 0, 0, 1, 2, 3, 1, 3), frame: 0 }, {
        __future__: st(2, 5, 2, 2, 2, 1, 0, 3, 1),
    }, true, {
        weakref: { empty: st(2, 6, 1, 29, 3, 3, 2, 1, 10, 4, 7, 7, 2, 3, 4, 2, 3, 2, 0, 0, 2), depth: st(7, 80, 140, 190, 128, 52, 46, 24, 31, 17, 9, 10, 4, 5, 5, 3, 4, 3, 0, 1, 2), frame: 5 },
        os: { empty: st(2, 8, 10, 22, 10, 5, 3, 2, 11, 2, 1, 7, 2, 1, 0, 1, 2, 0, 1, 1, 1), depth: st(7, 80, 146, 179, 111, 55, 29, 20, 24, 12, 9, 13, 7, 6, 4, 3, 5, 5, 3, 2, 1), frame: 5 },
        'os+weakref': { empty: st(2, 6, 1, 29, 3, 3, 0, 0, 2, 2, 0, 0, 1, 1, 2, 0, 0, 1, 0, 0, 2), depth: st(5, 56, 68, 118, 70, 33, 32, 14, 17, 10, 1, 1, 3, 2, 2, 1, 0, 2, 0, 0, 2), frame: 5, allocs: 693 },
        'weakref+os': { empty: st(2, 8, 10, 22, 10, 5, 3, 2, 2, 2, 1, 1, 2, 1, 0, 1, 1, 0, 1, 1, 0), depth: st(5, 34, 74, 107, 53, 36, 17, 11, 9, 7, 8, 5, 7, 5, 3, 3, 3, 5, 3, 1, 0), frame: 5, allocs: 451 },
    }, { atexit: { empty: st(3, 4, 2, 2, 2), depth: st(3, 6, 2, 2, 2) } }),
    '3.11': fl({ ...FL_CAP_3, frame: 0 }, st(4, 8, 3, 6, 3, 1, 1, 3, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0), {
        __future__: st(2, 6, 2, 2, 2, 0, 0, 2, 1),
    }, true, {
        weakref: { empty: st(1, 4, 2, 29, 3, 2, 1, 0, 0, 2, 1, 0, 1, 3, 1, 0, 0, 1, 0, 1, 1), depth: st(11, 80, 92, 140, 70, 35, 34, 17, 17, 15, 3, 1, 2, 4, 1, 1, 0, 2, 0, 1, 1) },
        os: { empty: st(2, 4, 3, 13, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), depth: st(12, 80, 40, 49, 13, 3, 2, 2, 5, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0) },
        'os+weakref': { empty: st(1, 4, 2, 29, 3, 2, 2, 0, 1, 2, 1, 0, 1, 3, 1, 0, 0, 1, 0, 1, 1), depth: st(9, 47, 66, 129, 63, 33, 34, 15, 14, 11, 3, 1, 2, 4, 1, 1, 0, 2, 0, 1, 1), allocs: 747 },
        'weakref+os': { empty: st(2, 4, 3, 13, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), depth: st(10, 23, 14, 38, 6, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), allocs: 193 },
    }, { atexit: { empty: st(2, 2, 2, 2, 2), depth: st(3, 3, 2, 2, 2) } }),
    '3.12': fl({ ...FL_CAP_3, frame: 0 }, st(5, 9, 3, 6, 3, 2, 1, 3, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0), {
        __future__: st(2, 7, 2, 2, 2, 0, 0, 2, 1),
    }, true, {
        weakref: { empty: st(3, 4, 2, 29, 3, 2, 1, 0, 0, 3, 0, 0, 1, 3, 1, 0, 0, 1, 0, 1, 1), depth: st(13, 80, 95, 141, 66, 40, 32, 17, 18, 16, 2, 1, 2, 4, 1, 1, 0, 2, 0, 1, 1) },
        os: { empty: st(5, 4, 3, 13, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), depth: st(15, 80, 44, 50, 13, 5, 2, 2, 5, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0) },
        'os+weakref': { empty: st(4, 4, 2, 29, 3, 3, 2, 0, 1, 3, 0, 0, 1, 3, 1, 0, 0, 1, 0, 1, 1), depth: st(12, 47, 65, 129, 59, 37, 32, 15, 15, 12, 2, 1, 2, 4, 1, 1, 0, 2, 0, 1, 1), allocs: 771 },
        'weakref+os': { empty: st(5, 4, 3, 13, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), depth: st(13, 23, 14, 38, 6, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), allocs: 195 },
    }, { atexit: { empty: st(2, 2, 2, 2, 2), depth: st(3, 3, 2, 2, 2) } }),
    '3.13': fl({ ...FL_CAP_3, frame: 0 }, st(5, 9, 6, 6, 3, 5, 1, 3, 2, 5, 1, 0, 3, 4, 3, 1, 2, 2, 1, 2, 2), {
        __future__: st(2, 7, 2, 2, 2, 3, 0, 2, 2),
    }, true, {
        weakref: { empty: st(3, 4, 2, 31, 2, 2, 4, 10, 6, 4, 1, 8, 2, 9, 4, 4, 1, 2, 3, 2, 1), depth: st(13, 80, 142, 201, 115, 61, 50, 37, 27, 21, 3, 9, 3, 10, 5, 5, 1, 3, 3, 2, 1) },
        os: { empty: st(5, 4, 8, 22, 12, 6, 2, 6, 8, 2, 4, 5, 2, 8, 2, 1, 1, 2, 2, 2, 0), depth: st(15, 80, 142, 173, 110, 57, 31, 26, 20, 16, 9, 12, 7, 9, 5, 4, 1, 3, 4, 3, 1) },
        'os+weakref': { empty: st(4, 4, 2, 31, 2, 1, 2, 2, 2, 1, 0, 2, 0, 0, 2, 3, 0, 1, 0, 0, 1), depth: st(12, 47, 66, 132, 59, 38, 35, 18, 16, 10, 2, 3, 1, 1, 2, 4, 0, 2, 0, 0, 1), allocs: 728 },
        'weakref+os': { empty: st(5, 4, 8, 22, 12, 6, 2, 2, 2, 2, 4, 2, 1, 0, 0, 1, 1, 1, 1, 1, 0), depth: st(13, 23, 66, 104, 54, 35, 18, 11, 7, 8, 9, 9, 6, 1, 2, 4, 1, 2, 3, 2, 1), allocs: 426 },
    }, { atexit: { empty: st(2, 2, 2, 2, 2), depth: st(3, 3, 2, 2, 2) } }),
};

/** types.py's `class _C: def _m(self): pass` … `del _C` (imported by weakref via _weakrefset from 3.9). */
function TYPES_C(first: number, afterOs: number): ImportCost['garbage'] {
    // (The offset depends on how full the free lists are: 'os' when os was imported before.)
    // types.py also makes an instance, a bound method, a coroutine and an async generator (and
    // drops them) before `del _C`: about four allocations while the class is still alive.
    return { module: 'types', name: '_C', methods: ['_m'], at: { '': first, os: afterOs }, aliveFor: 4 };
}
/** Grammar per version (Grammar/python.gram): what 3.8 has, and what each later version adds. */
const SYNTAX_38: ReadonlySet<SyntaxFeature> = new Set<SyntaxFeature>([
    'fstring', 'stringPrefix', 'underscoreNumber', 'kwOnlyParams', 'posOnlyParams', 'annotations', 'nonlocal', 'raiseFrom',
    'starred', 'unpacking', 'walrus', 'matMult', 'classKeywords', 'async', 'printFunction', 'positionalAfterStar',
]);
/** 3.9's PEG parser takes `with (a as b, c as d):` (documented from 3.10). */
const SYNTAX_39: ReadonlySet<SyntaxFeature> = new Set<SyntaxFeature>([...SYNTAX_38, 'parenthesizedWith']);
const SYNTAX_311: ReadonlySet<SyntaxFeature> = new Set<SyntaxFeature>([...SYNTAX_39, 'starredSubscript', 'exceptStar']);
const SYNTAX_312: ReadonlySet<SyntaxFeature> = new Set<SyntaxFeature>([...SYNTAX_311, 'pep701']);

/** setobject.c of 3.10-3.13 (runtime/setobject.ts); 3.8 and 3.9 differ in one row each. */
const SETS_3: SetRules = { order: 'table', linearProbes: 9, shiftFirst: true, reuseDummies: 'last', growth: 'fifths', mergeIntoEmpty: true, pop: 'finger', displayFolded: true, frozensetHash: 'shuffle', differenceShortcuts: true, dummyPurge: 'quarter', resultType: 'basetype', issupersetIterates: true, issubsetStops: true, emptyFrozensetSingleton: 'none' };
const SETS_27: SetRules = { order: 'table', linearProbes: 0, shiftFirst: false, reuseDummies: 'first', growth: 'thirds', mergeIntoEmpty: false, pop: 'slot0', displayFolded: false, frozensetHash: 'classic', differenceShortcuts: false, dummyPurge: 'fifth', resultType: 'type', issupersetIterates: false, issubsetStops: false, emptyFrozensetSingleton: 'kept' };
const MAPPING_PROXY_3: MappingProxyRow = { typeName: 'mappingproxy', reprName: 'mappingproxy', hashesMapping: false, unionAndReversed: true, callBindsMethod: false, py2Methods: false, constructible: true };

const base3: Omit<Profile, 'name' | 'minor' | 'fullVersion'> = {
    threadingPy: THREADING_PY['3.8'],
    simpleQueueRingBuffer: false,
    threadLocal: { sentinels: false, daemonStatesClearedAfterAtexit: true },
    syntax: SYNTAX_38,
    grammar: 'python3',
    fstringErrors: '3.8',
    pgenParserStack: null,
    mainModuleUnmodelled: ['__annotations__', '__cached__', '__loader__', '__package__', '__spec__'],
    tracebackSuggestions: null,
    classBodyMetadata: false,
    powModInverse: true,
    clinicIntArgs: true,
    intMaxStrDigits: 4300,
    intLiteralLimitCaret: 'none',
    exitStatusOverflowReport: 'silent',
    typeNames: {},
    weakrefTypes: { ref: 'ReferenceType', proxy: 'ProxyType', callableProxy: 'CallableProxyType', module: 'weakref' },
    major: 3,
    runtime: 'cpython',
    tracingGc: null,
    memory: mem3,
    argsStolenIntoFrame: false,
    cellsAfterLocals: false,
    loadMethod: true,
    methodCall: { keywords: true, maxStack: 30 },
    frameObjectPerCall: true,
    runningFrameUntracked: true,
    comprehensionFrames: true,
    percentFormatAsFString: false,
    truthMethod: '__bool__',
    truthMayBeInt: false,
    nextMethod: '__next__',
    lengthHint: { api: '3', listInitLen: false },
    starArgsTupleSubclass: false,
    neDelegatesToEq: true,
    iterNoneNotIterable: true,
    complexFloorDivRaises: false,
    strAsciiIterator: false,
    classGetItem: true,
    objectFormatRejectsSpec: true,
    numbersHaveStr: false,
    objectArgsStyle: 'py3',
    initSubclass: true,
    newSafetyUsesHeapBase: true,
    metaclassAttribute: false,
    classicClasses: false,
    classBodyQualname: true,
    mappingProxy: MAPPING_PROXY_3,
    builtinGenericAlias: true,
    listCompLeaksVariable: false,
    builtinsReturnLists: false,
    bytesAreStr: false,
    boundMethodCallHoldsSelf: false,
    subtypeDictSharedKeys: 'never',
    instanceAttrOrder: 'dict-insertion',
    instanceDictIsObject: true,
    weakrefProxyPacksArguments: true,
    printPacksArguments: false,
    dictInsertionOrdered: true,
    immortalObjects: false,
    hashing: { numbers: 'modular', tuples: 'xxhash', nanByIdentity: false, noneConstant: false },
    sets: SETS_3,
    eqWithoutHashUnhashable: true,
    dictClones: { copy: true, merge: false },
    syntaxWarnings: { literalChecks: true, isLiteralNamesType: false, assertConstantTuple: true },
    tracebackCarets: { c: null, excepthook: null },
    moduleDictTrackedAtCreation: false,
    withExitLine: 'body-end',
    decoratorCallLine: 'statement',
    exceptNameCleared: true,
    withExitSetsExcInfo: false,
    exceptionHasTraceback: true,
    unraisableTracebackFromFrame: true,
    argErrorsNameQualname: true,
    sourceLineFrames: 5,
    setsLastExc: false,
    errDisplayAllocations: null,
    exceptionNameOmitsMain: false,
    pep3151: true,
    recycledTupleRetracked: true,
    zipStrict: false,
    exceptionNewStoresArgs: true,
    exceptionMessageAttr: false,
    exceptionReprTupleComma: false,
    exceptionNameContext: false,
    generatorStopAsRuntimeError: true,
    generatorReturnValue: true,
    genCloseCreatedNoThrow: false,
    genCloseClearsOutsideTry: false,
    genCloseReturnsValue: false,
    genThrowPopsSubiterator: true,
    throwSignatureDeprecated: false,
    genKeepsExcState: true,
    trashcan: { counter: 'nesting', unwindLevel: 50, subtypeBracket: false },
    finalizerCallDepth: 1,
    finalizeOnce: true,
    delBeforeWeakrefCallbacks: true,
    legacyDelCyclesUncollectable: false,
    thresholds: [700, 10, 10],
    gcAtEvalBreaker: false,
    collectCountsInstanceDicts: true,
    handlesResurrection: true,
    startupGcCounts: [304, 7, 0],
    startupGcStats: [7, 0],
    importAllocations: {},
    stdlib: {
        finalizeInitUnpacksArgs: false,
        wrapperAssignments: ['__module__', '__name__', '__qualname__', '__doc__', '__annotations__'],
        setsWrapped: true,
        partialFlattens: true,
        partialKeywordsNone: false,
        partialRepr: true,
        operatorReprs: true,
        namespaceReprSorted: false,
        lruCache: true,
        cacheParameters: true,
        generatorCMStoresCall: true,
        cmStopIterationSubclasses: true,
        exitStack: true,
        totalOrdering: 'type',
        cachedProperty: { lock: true, setsModule: false },
        itertools: { teeName: '_tee', teeDataName: '_tee_dataobject', zipLongestName: 'zip_longest', maxsizeName: 'sys.maxsize', filterfalseName: 'filterfalse', grouperCheck: true },
        namedtuple: { replaceError: 'ValueError', matchArgs: true },
        loggingRootByName: true,
        odictRepr: 'list',
    },
    flushIoAfterMain: true,
    uncaughtKeyboardInterruptKills: true,
    positionalCountBeforeKeywords: false,
    moduleFirstLineIsFirstStatement: true,
    freeLists: FREE_LISTS['3.8'],
    classCreationTemps: { list: 0, dict: 1, tuple: [0, 1, 1], cfunction: 1 },
    compilerAllocations: { dictsPerBlock: 1, listsPerBlock: 2, dictsPerUnit: 5, dictsPerInlinedComprehension: 0, spareDicts: 0, spareLists: 0, keyTuples: null, constCache: CONST_CACHE['3.8'] },
    atexitErrorStyle: 'run_exitfuncs',
    atexitRunsLateRegistrations: false,
    methodEqSelfByIdentity: true,
    shutdownGcIgnoresDisable: false,
    collectsAfterModuleCleanup: true,
    interpreterClearCollects: true,
    clearsSysDictAtEnd: true,
    fileObjects: 'io',
    warningNoFrame: { filename: 'sys', lineno: 1 },
    warningFilters: [
        ['default', 'DeprecationWarning', '__main__'],
        ['ignore', 'DeprecationWarning', null],
        ['ignore', 'PendingDeprecationWarning', null],
        ['ignore', 'ImportWarning', null],
        ['ignore', 'ResourceWarning', null],
    ],
    textFlushBeforeOverflow: true,
    bufferedWriteThroughAtSize: false,
    bufferedHasDict: false,
    newlineDecoderIsGc: false,
    openRejectsU: false,
    bufferedTruncateChecksWritable: true,
    fileAllocations: { openText: 5, openBinary: 3, close: 0 },
};

/** suggestions.c of 3.10 and 3.11; 3.12 adds `self.NAME` and the standard-library modules (tracebackSuggestions.ts). */
const SUGGEST_310: SuggestionRules = { candidates: 'sequential-varnames', selfAttribute: null, stdlibModules: false, hideUnderscored: false };
const SUGGEST_312: SuggestionRules = { ...SUGGEST_310, selfAttribute: 'after-varnames', stdlibModules: true };

const py311: Partial<Profile> = {
    moduleFirstLineIsFirstStatement: false,
    tracebackSuggestions: SUGGEST_310,
    withExitLine: 'with-statement',
    decoratorCallLine: 'decorator',
    syntax: SYNTAX_311,
    fstringErrors: '3.10',
    strAsciiIterator: true,
    dictClones: { copy: true, merge: true },
    hashing: { numbers: 'modular', tuples: 'xxhash', nanByIdentity: true, noneConstant: false },
    exceptionNameContext: true,
    subtypeDictSharedKeys: 'itemsize0',
    openRejectsU: true,
    classCreationTemps: { list: 0, dict: 1, tuple: [0, 0, 1], cfunction: 1 },
    argsStolenIntoFrame: true,
    percentFormatAsFString: true,
    cellsAfterLocals: true,
    frameObjectPerCall: false,
    instanceAttrOrder: 'shared-keys',
    instanceDictIsObject: false,
    weakrefProxyPacksArguments: false,
    printPacksArguments: true,
    collectCountsInstanceDicts: false,
    atexitErrorStyle: 'unraisable-colon',
    exceptionNameOmitsMain: true,
    tracebackCarets: { c: { callAnchors: false, multiLine: false, callStatementElision: false }, excepthook: { callAnchors: false, multiLine: false, callStatementElision: false } },
    // embedCycleLeakBytes: test/embedding/host.c against pyenv 3.11.7, scenario `pass`, under
    // Valgrind with PYTHONMALLOC=malloc: 1,256 bytes in 7 blocks still in use at exit after 1, 2, 6
    // and 12 cycles alike, so a cycle itself keeps nothing (audit #56; the RSS growth once measured
    // here, ~1.3 KB per cycle over 30 cycles and ~90 B over 1,000, is allocator fragmentation).
    // Checked by test/unit/beyond-embedding.test.ts when valgrind is installed.
    memory: { ...mem310, sizes: { ...SIZES_38, instance: 56, dict: 64, function: 152, type: 1688, weakref: 80 }, startupArenas: 1, startupPools: 63, embedCycleLeakBytes: 0 },
};

const py312: Partial<Profile> = {
    sourceLineFrames: 2,
    genThrowPopsSubiterator: false,
    stdlib: { ...base3.stdlib, wrapperAssignments: [...base3.stdlib.wrapperAssignments, '__type_params__'], cachedProperty: { lock: false, setsModule: false }, odictRepr: 'dict' },
    ...py311,
    tracebackSuggestions: SUGGEST_312,
    syntax: SYNTAX_312,
    exitStatusOverflowReport: 'printed',
    hashing: { numbers: 'modular', tuples: 'xxhash', nanByIdentity: true, noneConstant: true },
    subtypeDictSharedKeys: 'always',
    mappingProxy: { ...MAPPING_PROXY_3, hashesMapping: true },
    fileAllocations: { openText: 5, openBinary: 4, close: 0 },
    bufferedHasDict: true,
    newlineDecoderIsGc: true,
    comprehensionFrames: false,
    // + u_fasthidden; start-up leaves one list spare.
    compilerAllocations: { dictsPerBlock: 1, listsPerBlock: 2, dictsPerUnit: 6, dictsPerInlinedComprehension: 0, spareDicts: 0, spareLists: 1, keyTuples: null, constCache: CONST_CACHE['3.12'] },
    immortalObjects: true,
    syntaxWarnings: { literalChecks: true, isLiteralNamesType: true, assertConstantTuple: true },
    setsLastExc: true,
    gcAtEvalBreaker: true,
    genCloseCreatedNoThrow: true,
    throwSignatureDeprecated: true,
    memory: { ...mem310, sizes: { ...SIZES_38, instance: 48, function: 160, type: 1704, weakref: 80 }, startupArenas: 2, startupPools: 63 },
};

/** 2.7: 256 KiB arenas, 4 KiB pools, 8-byte size classes, 32-byte PyGC_Head (measured sys.getsizeof). */
const PY27_MEMORY: MemoryProfile = {
    ...mem3,
    alignment: 8,
    gcHeader: 32,
    sizes: { object: 16, instance: 64, dict: 280, list: 72, tuple: 56, set: 232, function: 120, type: 904, cell: 56, method: 80, float: 24, weakref: 88, module: 56, frame: 448, traceback: 64, generator: 96, code: 128 },
    // 2.7's sys._debugmallocstats() prints nothing without a debug build: start-up arenas not measured.
    startupArenas: 4,
    startupPools: 254,
};

export const PROFILES: Record<string, Profile> = {
    '2.7': {
        ...base3,
        name: '2.7',
        runningFrameUntracked: false,
        warningFilters: [
            ['ignore', 'DeprecationWarning', null],
            ['ignore', 'PendingDeprecationWarning', null],
            ['ignore', 'ImportWarning', null],
            ['ignore', 'BytesWarning', null],
        ],
        decoratorCallLine: 'last-expression',
        freeLists: FREE_LISTS['2.7'],
        classCreationTemps: { list: 3, dict: 0, tuple: [1, 1, 1, 1] },
        compilerAllocations: { dictsPerBlock: 1, listsPerBlock: 2, dictsPerUnit: 9, dictsPerInlinedComprehension: 0, spareDicts: 1, spareLists: 1, keyTuples: { tupleBase: 2 }, constCache: null },
        threadingPy: THREADING_PY['2.7'],
        threadLocal: { sentinels: false, daemonStatesClearedAfterAtexit: false },
        syntax: new Set<SyntaxFeature>(),
        grammar: 'python2',
        pgenParserStack: 1500,
        mainModuleUnmodelled: [],
        powModInverse: false,
        clinicIntArgs: false,
        intMaxStrDigits: 0,
        weakrefTypes: { ref: 'weakref', proxy: 'weakproxy', callableProxy: 'weakcallableproxy', module: '__builtin__' },
        typeNames: {
            method: 'instancemethod',
            TextIOWrapper: 'file',
            list_iterator: 'listiterator',
            list_reverseiterator: 'listreverseiterator',
            tuple_iterator: 'tupleiterator',
            set_iterator: 'setiterator',
            dict_keyiterator: 'dictionary-keyiterator',
            dict_valueiterator: 'dictionary-valueiterator',
            dict_itemiterator: 'dictionary-itemiterator',
            range_iterator: 'rangeiterator',
            // 2.7's str has no tp_iter: iter('ab') is the sequence iterator.
            str_iterator: 'iterator',
            callable_iterator: 'callable-iterator',
        },
        stdlib: { finalizeInitUnpacksArgs: false, wrapperAssignments: ['__module__', '__name__', '__doc__'], setsWrapped: false, partialFlattens: false, partialKeywordsNone: true, partialRepr: false, operatorReprs: false, namespaceReprSorted: false, lruCache: false, cacheParameters: false, generatorCMStoresCall: false, cmStopIterationSubclasses: false, exitStack: false, totalOrdering: 'lambdas', cachedProperty: { lock: false, setsModule: false }, itertools: { teeName: 'tee', teeDataName: 'tee_dataobject', zipLongestName: 'izip_longest', maxsizeName: 'maxint', filterfalseName: 'ifilterfalse', grouperCheck: false }, namedtuple: null, loggingRootByName: false, odictRepr: null },
        startupGcCounts: [529, 3, 0],
        startupGcStats: [0, 0],
        importAllocations: { traceback: { allocs: 44, deps: ['<abc>', 'os', 'warnings', 'types'] }, __future__: { allocs: 49, absorbs: st(0, 3, 7, 0, 1, 3, 12, 1) }, atexit: { allocs: 6, absorbs: st(0, 0, 2, 0, 0, 0, 0, 0, 1) }, weakref: { allocs: 181, deps: ['<abc>'], absorbs: st(80, 80, 356, 203, 104, 55, 40, 28, 16, 11, 4, 3) }, os: { allocs: 685, deps: ['<abc>', 'warnings'], absorbs: st(80, 80, 428, 277, 132, 52, 40, 26, 24, 24, 9, 7) }, '<abc>': { allocs: 1461 }, warnings: { allocs: 4, deps: ['<abc>', 'os'] }, functools: { allocs: 92 }, operator: { allocs: 123 }, collections: { allocs: 180, deps: ['<abc>', 'itertools', 'operator'] }, itertools: { allocs: 160 }, types: { allocs: 13 }, copy: { allocs: 110, deps: ['<abc>', 'weakref'] }, json: { allocs: 850 }, random: { allocs: 499, deps: ['<abc>', 'os', 'warnings', 'itertools'] }, contextlib: { allocs: 95, deps: ['<abc>', 'os', 'warnings'] } },
        major: 2,
        minor: 7,
        fullVersion: '2.7.18',
        loadMethod: false,
        truthMethod: '__nonzero__',
        truthMayBeInt: true,
        nextMethod: 'next',
        lengthHint: { api: '2.7', listInitLen: false },
        starArgsTupleSubclass: true,
        neDelegatesToEq: false,
        iterNoneNotIterable: false,
        complexFloorDivRaises: false,
        classGetItem: false,
        objectFormatRejectsSpec: false,
        numbersHaveStr: true,
        objectArgsStyle: 'py2',
        initSubclass: false,
        newSafetyUsesHeapBase: false,
        metaclassAttribute: true,
        classicClasses: true,
        classBodyQualname: false,
        mappingProxy: { typeName: 'dictproxy', reprName: 'dict_proxy', hashesMapping: false, unionAndReversed: false, callBindsMethod: true, py2Methods: true, constructible: false },
        builtinGenericAlias: false,
        listCompLeaksVariable: true,
        syntaxWarnings: { literalChecks: false, isLiteralNamesType: false, assertConstantTuple: true },
        builtinsReturnLists: true,
        bytesAreStr: true,
        boundMethodCallHoldsSelf: true,
        dictInsertionOrdered: false,
        hashing: { numbers: 'py27', tuples: 'classic', nanByIdentity: false, noneConstant: false },
        sets: SETS_27,
        eqWithoutHashUnhashable: false,
        dictClones: { copy: false, merge: false },
        exceptNameCleared: false,
        withExitSetsExcInfo: true,
        exceptionHasTraceback: false,
        unraisableTracebackFromFrame: false,
        argErrorsNameQualname: false,
        pep3151: false,
        recycledTupleRetracked: false,
        exceptionNewStoresArgs: false,
        exceptionMessageAttr: true,
        exceptionReprTupleComma: true,
        generatorStopAsRuntimeError: false,
        generatorReturnValue: false,
        genKeepsExcState: false,
        trashcan: { counter: 'nesting', unwindLevel: 50, subtypeBracket: true },
        finalizerCallDepth: 3,
        finalizeOnce: false,
        delBeforeWeakrefCallbacks: false,
        legacyDelCyclesUncollectable: true,
        handlesResurrection: false,
        atexitErrorStyle: 'py2',
        flushIoAfterMain: false,
        uncaughtKeyboardInterruptKills: false,
        positionalCountBeforeKeywords: true,
        moduleFirstLineIsFirstStatement: true,
        atexitRunsLateRegistrations: true,
        methodEqSelfByIdentity: false,
        shutdownGcIgnoresDisable: true,
        collectsAfterModuleCleanup: false,
        interpreterClearCollects: false,
        clearsSysDictAtEnd: false,
        memory: PY27_MEMORY,
        fileObjects: 'stdio',
        // (open()'s argument tuple and close's bound method are counted as the calls' own allocations: runtime/freelists.ts.)
        fileAllocations: { openText: 1, openBinary: 1, close: 0 },
    },
    '3.8': { ...base3, mappingProxy: { ...MAPPING_PROXY_3, unionAndReversed: false, callBindsMethod: true }, methodCall: { keywords: false, maxStack: null }, lengthHint: { api: '3', listInitLen: true }, complexFloorDivRaises: true, sets: { ...SETS_3, displayFolded: false, issupersetIterates: false, issubsetStops: false, emptyFrozensetSingleton: 'fini' }, threadLocal: { sentinels: false, daemonStatesClearedAfterAtexit: false }, pgenParserStack: 1700, argErrorsNameQualname: false, intLiteralLimitCaret: 'literal', stdlib: { ...base3.stdlib, finalizeInitUnpacksArgs: true, namespaceReprSorted: true, cacheParameters: false, cmStopIterationSubclasses: false, totalOrdering: 'bound', namedtuple: { replaceError: 'ValueError', matchArgs: false }, loggingRootByName: false }, builtinGenericAlias: false, weakrefTypes: { ref: 'weakref', proxy: 'weakproxy', callableProxy: 'weakcallableproxy', module: 'builtins' }, name: '3.8', freeLists: FREE_LISTS['3.8'], startupGcCounts: [304, 7, 0], importAllocations: { 'concurrent.futures': { allocs: 309 }, typing: { allocs: 2140, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types', 'functools', 'contextlib'] }, queue: { allocs: 117, deps: ['<abc>', 'os', 'itertools', 'threading', 'collections', 'operator'] }, threading: { allocs: 625, deps: ['<abc>', 'os', 'itertools'] }, traceback: { allocs: 1647, deps: ['<abc>', 'itertools', 'collections', 'operator', 'functools', 'os', 'types'] }, __future__: { allocs: 61 }, atexit: { allocs: 6, keeps: { dict: 1 } }, weakref: { allocs: 570, deps: ['<abc>'] }, os: { allocs: 430, deps: ['<abc>'] }, warnings: { allocs: 133 }, '<abc>': { allocs: 823 }, _bootlocale: { allocs: 68 }, operator: { allocs: 238 }, collections: { allocs: 816, deps: ['<abc>', 'itertools', 'operator'] }, itertools: { allocs: 197 }, types: { allocs: 115 }, copy: { allocs: 236, deps: ['<abc>', 'weakref'] }, json: { allocs: 3849, deps: ['operator'] }, random: { allocs: 473, deps: ['<abc>', 'os', 'itertools'] }, logging: { allocs: 2173, deps: ['<abc>', 'os', 'weakref', 'itertools', 'collections', 'operator', 'types', 'functools', 'warnings'] }, functools: { allocs: 415, deps: ['<abc>', 'itertools', 'collections', 'operator'] }, contextlib: { allocs: 301 } }, minor: 8, fullVersion: '3.8.18', handlesResurrection: false, interpreterClearCollects: false, clearsSysDictAtEnd: false, syntaxWarnings: { ...base3.syntaxWarnings, assertConstantTuple: false }, bufferedTruncateChecksWritable: false, fileAllocations: { openText: 6, openBinary: 4, close: 0 } },
    '3.9': { ...base3, sets: { ...SETS_3, reuseDummies: 'never', issupersetIterates: false, issubsetStops: false, emptyFrozensetSingleton: 'fini' }, methodCall: { keywords: false, maxStack: null }, lengthHint: { api: '3', listInitLen: true }, complexFloorDivRaises: true, stdlib: { ...base3.stdlib, namedtuple: { replaceError: 'ValueError', matchArgs: false } }, syntax: SYNTAX_39, fstringErrors: '3.9', argErrorsNameQualname: false, intLiteralLimitCaret: 'line-start', weakrefTypes: { ref: 'weakref', proxy: 'weakproxy', callableProxy: 'weakcallableproxy', module: 'builtins' }, memory: { ...mem3, startupPools: 250 }, name: '3.9', compilerAllocations: { ...base3.compilerAllocations, constCache: CONST_CACHE['3.9'] }, threadingPy: THREADING_PY['3.9'], freeLists: FREE_LISTS['3.9'], startupGcCounts: [328, 7, 0], importAllocations: { 'concurrent.futures': { allocs: 307 }, typing: { allocs: 2469, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types', 'functools', 'contextlib'] }, queue: { allocs: 161, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types', 'threading'] }, threading: { allocs: 533, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types'] }, traceback: { allocs: 1696, deps: ['<abc>', 'itertools', 'collections', 'operator', 'functools', 'os', 'types'] }, __future__: { allocs: 62 }, atexit: { allocs: 6, keeps: { dict: 1 } }, weakref: { allocs: 699, deps: ['<abc>'], garbage: TYPES_C(348, 296) }, os: { allocs: 439, deps: ['<abc>'] }, warnings: { allocs: 134 }, '<abc>': { allocs: 922 }, _bootlocale: { allocs: 64 }, operator: { allocs: 238 }, collections: { allocs: 878, deps: ['<abc>', 'itertools', 'operator'] }, itertools: { allocs: 197 }, types: { allocs: 117 }, copy: { allocs: 123, deps: ['<abc>', 'weakref'] }, json: { allocs: 4015, deps: ['operator'] }, random: { allocs: 494, deps: ['<abc>', 'os', 'itertools'] }, logging: { allocs: 2214, deps: ['<abc>', 'os', 'weakref', 'itertools', 'collections', 'operator', 'types', 'functools', 'warnings'] }, functools: { allocs: 368, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types'] }, contextlib: { allocs: 227 } }, minor: 9, fullVersion: '3.9.18', interpreterClearCollects: false, clearsSysDictAtEnd: false, syntaxWarnings: { ...base3.syntaxWarnings, assertConstantTuple: false } },
    '3.10': { ...base3, sets: { ...SETS_3, issupersetIterates: false, issubsetStops: false }, methodCall: { keywords: false, maxStack: 30 }, moduleFirstLineIsFirstStatement: false, withExitLine: 'with-statement', syntax: SYNTAX_39, fstringErrors: '3.10', memory: { ...mem310, sizes: { ...SIZES_38, function: 144, type: 1072 }, startupArenas: 2, startupPools: 80 }, name: '3.10', compilerAllocations: { ...base3.compilerAllocations, constCache: CONST_CACHE['3.10'] }, threadingPy: THREADING_PY['3.10'], freeLists: FREE_LISTS['3.10'], startupGcCounts: [528, 7, 0], importAllocations: { 'concurrent.futures': { allocs: 307 }, typing: { allocs: 2633, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types', 'functools', 'contextlib'] }, queue: { allocs: 210, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types', 'threading'] }, threading: { allocs: 552, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types'] }, traceback: { allocs: 1728, deps: ['<abc>', 'itertools', 'collections', 'operator', 'functools', 'os', 'types'] }, __future__: { allocs: 61 }, atexit: { allocs: 6, keeps: { dict: 1 } }, weakref: { allocs: 700, deps: ['<abc>'], garbage: TYPES_C(339, 291) }, os: { allocs: 442, deps: ['<abc>'] }, warnings: { allocs: 132 }, '<abc>': { allocs: 829 }, operator: { allocs: 238 }, collections: { allocs: 826, deps: ['<abc>', 'itertools', 'operator'] }, itertools: { allocs: 203 }, types: { allocs: 115 }, copy: { allocs: 128, deps: ['<abc>', 'weakref'] }, json: { allocs: 3916, deps: ['operator'] }, random: { allocs: 304, deps: ['<abc>', 'os', 'itertools', 'operator', 'warnings'] }, logging: { allocs: 2258, deps: ['<abc>', 'os', 'weakref', 'itertools', 'collections', 'operator', 'types', 'functools', 'warnings'] }, functools: { allocs: 382, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types'] }, contextlib: { allocs: 273 } }, minor: 10, fullVersion: '3.10.13', tracebackSuggestions: SUGGEST_310, atexitErrorStyle: 'unraisable-colon', hashing: { numbers: 'modular', tuples: 'xxhash', nanByIdentity: true, noneConstant: false }, dictClones: { copy: true, merge: true }, exceptionNameContext: true, zipStrict: true },
    '3.11': { ...base3, ...py311, sets: { ...SETS_3, issubsetStops: false }, name: '3.11', compilerAllocations: { ...base3.compilerAllocations, constCache: CONST_CACHE['3.11'] }, threadingPy: THREADING_PY['3.11'], freeLists: FREE_LISTS['3.11'], startupGcCounts: [448, 6, 0], startupGcStats: [6, 24], importAllocations: { 'concurrent.futures': { allocs: 284 }, typing: { allocs: 2948, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types', 'functools', 'contextlib', 'os', 'warnings'] }, queue: { allocs: 215, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types', 'threading'] }, threading: { allocs: 522, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types'] }, traceback: { allocs: 2191, deps: ['<abc>', 'itertools', 'collections', 'operator', 'functools', 'os', 'types', 'contextlib'] }, __future__: { allocs: 50 }, atexit: { allocs: 6, keeps: { list: 1 } }, weakref: { allocs: 741, deps: ['<abc>'], garbage: TYPES_C(320, 333) }, os: { allocs: 205, deps: ['<abc>'] }, warnings: { allocs: 141 }, '<abc>': { allocs: 542 }, operator: { allocs: 234 }, collections: { allocs: 888, deps: ['<abc>', 'itertools', 'operator'] }, itertools: { allocs: 199 }, types: { allocs: 114 }, copy: { allocs: 111, deps: ['<abc>', 'weakref'] }, json: { allocs: 3762, deps: ['operator'] }, random: { allocs: 339, deps: ['<abc>', 'os', 'itertools', 'operator', 'warnings'] }, logging: { allocs: 2860, deps: ['<abc>', 'os', 'weakref', 'itertools', 'collections', 'operator', 'types', 'functools', 'warnings'] }, functools: { allocs: 370, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types'] }, contextlib: { allocs: 294, deps: ['os'] } }, minor: 11, fullVersion: '3.11.7' },
    '3.12': { ...base3, ...py312, name: '3.12', threadingPy: THREADING_PY['3.12'], freeLists: FREE_LISTS['3.12'], startupGcCounts: [515, 3, 0], startupGcStats: [3, 24], importAllocations: { 'concurrent.futures': { allocs: 287 }, typing: { allocs: 2899, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types', 'functools', 'contextlib', 'os', 'warnings'] }, queue: { allocs: 214, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types', 'threading'] }, threading: { allocs: 528, deps: ['<abc>', 'os', 'itertools', 'collections', 'operator', 'functools', 'types'] }, traceback: { allocs: 2209, deps: ['<abc>', 'itertools', 'collections', 'operator', 'functools', 'os', 'types', 'contextlib'] }, __future__: { allocs: 50 }, atexit: { allocs: 6, keeps: { list: 1 } }, weakref: { allocs: 764, deps: ['<abc>'], garbage: TYPES_C(322, 334) }, os: { allocs: 207, deps: ['<abc>'] }, warnings: { allocs: 147 }, '<abc>': { allocs: 566 }, operator: { allocs: 234 }, collections: { allocs: 898, deps: ['<abc>', 'itertools', 'operator'] }, itertools: { allocs: 228 }, types: { allocs: 115 }, copy: { allocs: 98, deps: ['<abc>', 'weakref'] }, json: { allocs: 3811, deps: ['operator'] }, random: { allocs: 371, deps: ['<abc>', 'os', 'itertools', 'operator', 'warnings'] }, logging: { allocs: 2868, deps: ['<abc>', 'os', 'weakref', 'itertools', 'collections', 'operator', 'types', 'functools', 'warnings'] }, functools: { allocs: 361, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types'] }, contextlib: { allocs: 291, deps: ['os'] } }, minor: 12, fullVersion: '3.12.1' },
    '3.13': {
        ...base3,
        ...py312,
        name: '3.13',
        stdlib: { ...py312.stdlib!, cachedProperty: { lock: false, setsModule: true }, namedtuple: { replaceError: 'TypeError', matchArgs: true } },
        classBodyMetadata: true,
        tracebackSuggestions: { candidates: 'combined-f-locals', selfAttribute: 'first', stdlibModules: true, hideUnderscored: true },
        freeLists: FREE_LISTS['3.13'],
        threadingPy: THREADING_PY['3.13'],
        // 3.13 keeps one more dict while it compiles an inlined comprehension.
        compilerAllocations: { dictsPerBlock: 1, listsPerBlock: 2, dictsPerUnit: 6, dictsPerInlinedComprehension: 1, spareDicts: 0, spareLists: 1, keyTuples: null, constCache: CONST_CACHE['3.13'] },
        moduleDictTrackedAtCreation: true,
        errDisplayAllocations: { base: 2081, perEntry: 3 },
        exitStatusOverflowReport: 'threading-shutdown',
        startupGcCounts: [523, 2, 0],
        simpleQueueRingBuffer: true,
        threadLocal: { sentinels: true, daemonStatesClearedAfterAtexit: true },
        startupGcStats: [2, 24],
        importAllocations: { 'concurrent.futures': { allocs: 297 }, queue: { allocs: 142, deps: ['<abc>', 'os', 'itertools', 'types', 'warnings', 'threading', 'collections', 'operator'] }, threading: { allocs: 716, deps: ['<abc>', 'os', 'itertools', 'types', 'warnings'] }, traceback: { allocs: 1989, deps: ['<abc>', 'itertools', 'collections', 'operator', 'functools', 'os', 'types', 'contextlib', 'warnings'] }, __future__: { allocs: 47 }, atexit: { allocs: 6, keeps: { list: 1 } }, weakref: { allocs: 736, deps: ['<abc>'], garbage: TYPES_C(317, 290) }, os: { allocs: 423, deps: ['<abc>'] }, warnings: { allocs: 160 }, '<abc>': { allocs: 827 }, operator: { allocs: 231 }, collections: { allocs: 851, deps: ['<abc>', 'itertools', 'operator'] }, itertools: { allocs: 225 }, types: { allocs: 109 }, copy: { allocs: 101, deps: ['<abc>', 'weakref'] }, json: { allocs: 4105, deps: ['operator'] }, random: { allocs: 313, deps: ['<abc>', 'os', 'itertools', 'operator'] }, logging: { allocs: 2662, deps: ['<abc>', 'os', 'weakref', 'itertools', 'collections', 'operator', 'types', 'functools', 'warnings'] }, typing: { allocs: 1470, deps: ['<abc>', 'itertools', 'collections', 'operator', 'types', 'functools'] }, functools: { allocs: 408, deps: ['<abc>', 'itertools', 'collections', 'operator'] }, contextlib: { allocs: 375, deps: ['os'] } },
        minor: 13,
        fullVersion: '3.13.0',
        thresholds: [2000, 10, 10],
        atexitErrorStyle: 'unraisable-callback',
        tracebackCarets: { c: null, excepthook: { callAnchors: true, multiLine: true, callStatementElision: true } },
        genCloseClearsOutsideTry: true,
        genCloseReturnsValue: true,
        trashcan: { counter: 'c-stack', limit: 10000, headroom: 50, evalEntryUnits: 2 },
        warningNoFrame: { filename: '<sys>', lineno: 0 },
        textFlushBeforeOverflow: false,
        bufferedWriteThroughAtSize: true,
        bufferedHasDict: false,
        memory: { ...mem310, sizes: { ...SIZES_38, instance: 48, function: 160, type: 1712, weakref: 80 }, startupArenas: 2, startupPools: 77 },
    },
};

// ---- Tracing-GC runtimes (Issue 8). Their language rows start from the CPython version they
// implement (PyPy 7.3.11 is Python 3.9.16; Jython 2.7.3 is Python 2.7); only the memory-management
// rows differ. Automatic collections are not simulated (thresholds 0).
const NO_PYMALLOC: MemoryProfile = { ...mem3, pymalloc: false, startupArenas: 0, startupPools: 0 };

PROFILES.pypy = {
    ...PROFILES['3.9'],
    name: 'pypy',
    lengthHint: { api: null, listInitLen: false },
    runtime: 'pypy',
    sets: { ...SETS_3, order: 'insertion' },
    fullVersion: '3.9.16',
    tracingGc: { collector: "PyPy's incminimark GC", collectRunsFinalizers: true, collectResult: 'none', atexitHandlersRun: true },
    thresholds: [0, 0, 0],
    memory: NO_PYMALLOC,
};
PROFILES.jython = {
    ...PROFILES['2.7'],
    name: 'jython',
    lengthHint: { api: null, listInitLen: false },
    runtime: 'jython',
    sets: { ...SETS_27, order: 'insertion' },
    fullVersion: '2.7.3',
    pgenParserStack: null,
    tracingGc: { collector: "the JVM's garbage collector", collectRunsFinalizers: false, collectResult: -2, atexitHandlersRun: false },
    thresholds: [0, 0, 0],
    memory: NO_PYMALLOC,
};

/** The CPython profiles (version numbers), oldest first. */
export const CPYTHON_PROFILES: readonly string[] = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];
/** The tracing-GC runtimes. */
export const TRACING_PROFILES: readonly string[] = ['pypy', 'jython'];

export const DEFAULT_PROFILE = '3.13';

export function getProfile(name: string | undefined): Profile | undefined {
    return PROFILES[name ?? DEFAULT_PROFILE];
}
