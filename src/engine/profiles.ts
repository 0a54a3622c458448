/*
 * profiles.ts
 *
 * Every behaviour that differs between CPython versions lives in this one table. The engine reads
 * a Profile; it never tests a version number. Each field names the CPython mechanism it models and
 * the evidence (see shared/reference/cpython-lifetimes.md and test/conformance).
 */

export type InstanceAttrOrder =
    /** ≤3.10: the instance __dict__ is a real dict; attributes die in that dict's insertion order. */
    | 'dict-insertion'
    /** 3.11+: inline values; attributes die in the class's shared-keys order (first seen by the class). */
    | 'shared-keys';

export type AtexitErrorStyle = 'py2' | 'run_exitfuncs' | 'unraisable-colon' | 'unraisable-callback';

export interface Profile {
    name: string;
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
    /** ≤3.10: every call creates a frame *object* (a GC-capable allocation); 3.11+ frames are lazily materialized. */
    frameObjectPerCall: boolean;
    /** ≤3.11: comprehensions run in their own function frame; 3.12+ inlined (PEP 709). */
    comprehensionFrames: boolean;
    /** 2.7: list comprehensions run in the enclosing scope and leave their variable bound. */
    listCompLeaksVariable: boolean;
    /** 2.7: zip(), dict.keys()… return lists. */
    builtinsReturnLists: boolean;
    /** 2.7: `b'…'` literals are plain str. */
    bytesAreStr: boolean;
    /** 2.7: calling a bound method puts a new reference to its self on the value stack for the call. */
    boundMethodCallHoldsSelf: boolean;
    /** 3.11+: ast_opt turns `'%s' % (a, b)` into an f-string (temporaries die one by one). */
    percentFormatAsFString: boolean;

    // ---- objects
    instanceAttrOrder: InstanceAttrOrder;
    /** ≤3.10: the instance `__dict__` is a separate GC container (counted by gc.collect and by gen0 counts). */
    instanceDictIsObject: boolean;
    /** 3.6+: dicts keep insertion order; 2.7 iterates (and deallocates) in hash-table slot order. */
    dictInsertionOrdered: boolean;
    /** 3.12+: None, bools, small ints and interned strings are immortal (getrefcount = 4294967295). */
    immortalObjects: boolean;

    // ---- exceptions
    /** 3.x: `except E as e` unbinds `e` at handler end; 2.7 keeps it bound. */
    exceptNameCleared: boolean;
    /** 3.x: exceptions carry `__traceback__` (a traceback object referencing frames). */
    exceptionHasTraceback: boolean;
    /** 3.12+: uncaught exceptions also set `sys.last_exc`. */
    setsLastExc: boolean;

    // ---- finalizers and weakrefs
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
     * Net GC allocations an import makes beyond the module object and its dict (measured with gc
     * disabled, `python -S`). `deps` are hidden modules imported with it, charged once (weakref and os
     * share `_collections_abc` in 3.x, `UserDict`/`_abcoll`/`abc` in 2.7). They can start collections.
     */
    importAllocations: Record<string, { allocs: number; deps?: string[] }>;

    // ---- atexit and shutdown
    atexitErrorStyle: AtexitErrorStyle;
    /** 2.7: handlers registered during exit still run (pop until empty); 3.x: never. */
    atexitRunsLateRegistrations: boolean;
    /** 2.7: the shutdown collection runs even when gc is disabled. */
    shutdownGcIgnoresDisable: boolean;
    /** 3.x: `finalize_modules` collects after clearing modules; 2.7 never collects after PyImport_Cleanup. */
    collectsAfterModuleCleanup: boolean;
}

const base3: Omit<Profile, 'name' | 'minor' | 'fullVersion'> = {
    major: 3,
    argsStolenIntoFrame: false,
    cellsAfterLocals: false,
    loadMethod: true,
    frameObjectPerCall: true,
    comprehensionFrames: true,
    percentFormatAsFString: false,
    listCompLeaksVariable: false,
    builtinsReturnLists: false,
    bytesAreStr: false,
    boundMethodCallHoldsSelf: false,
    instanceAttrOrder: 'dict-insertion',
    instanceDictIsObject: true,
    dictInsertionOrdered: true,
    immortalObjects: false,
    exceptNameCleared: true,
    exceptionHasTraceback: true,
    setsLastExc: false,
    finalizeOnce: true,
    delBeforeWeakrefCallbacks: true,
    legacyDelCyclesUncollectable: false,
    thresholds: [700, 10, 10],
    gcAtEvalBreaker: false,
    collectCountsInstanceDicts: true,
    handlesResurrection: true,
    startupGcCounts: [303, 7, 0],
    importAllocations: {},
    atexitErrorStyle: 'run_exitfuncs',
    atexitRunsLateRegistrations: false,
    shutdownGcIgnoresDisable: false,
    collectsAfterModuleCleanup: true,
};

const py311: Partial<Profile> = {
    argsStolenIntoFrame: true,
    percentFormatAsFString: true,
    cellsAfterLocals: true,
    frameObjectPerCall: false,
    instanceAttrOrder: 'shared-keys',
    instanceDictIsObject: false,
    collectCountsInstanceDicts: false,
    atexitErrorStyle: 'unraisable-colon',
};

const py312: Partial<Profile> = {
    ...py311,
    comprehensionFrames: false,
    immortalObjects: true,
    setsLastExc: true,
    gcAtEvalBreaker: true,
};

export const PROFILES: Record<string, Profile> = {
    '2.7': {
        ...base3,
        name: '2.7',
        startupGcCounts: [528, 3, 0],
        importAllocations: { atexit: { allocs: 6 }, weakref: { allocs: 181, deps: ['<abc>'] }, os: { allocs: 689, deps: ['<abc>'] }, '<abc>': { allocs: 1461 } },
        major: 2,
        minor: 7,
        fullVersion: '2.7.18',
        loadMethod: false,
        listCompLeaksVariable: true,
        builtinsReturnLists: true,
        bytesAreStr: true,
        boundMethodCallHoldsSelf: true,
        dictInsertionOrdered: false,
        exceptNameCleared: false,
        exceptionHasTraceback: false,
        finalizeOnce: false,
        delBeforeWeakrefCallbacks: false,
        legacyDelCyclesUncollectable: true,
        handlesResurrection: false,
        atexitErrorStyle: 'py2',
        atexitRunsLateRegistrations: true,
        shutdownGcIgnoresDisable: true,
        collectsAfterModuleCleanup: false,
    },
    '3.8': { ...base3, name: '3.8', startupGcCounts: [303, 7, 0], importAllocations: { atexit: { allocs: 5 }, weakref: { allocs: 571, deps: ['<abc>'] }, os: { allocs: 432, deps: ['<abc>'] }, '<abc>': { allocs: 823 } }, minor: 8, fullVersion: '3.8.18', handlesResurrection: false },
    '3.9': { ...base3, name: '3.9', startupGcCounts: [327, 7, 0], importAllocations: { atexit: { allocs: 6 }, weakref: { allocs: 705, deps: ['<abc>'] }, os: { allocs: 441, deps: ['<abc>'] }, '<abc>': { allocs: 922 } }, minor: 9, fullVersion: '3.9.18' },
    '3.10': { ...base3, name: '3.10', startupGcCounts: [527, 7, 0], importAllocations: { atexit: { allocs: 5 }, weakref: { allocs: 707, deps: ['<abc>'] }, os: { allocs: 445, deps: ['<abc>'] }, '<abc>': { allocs: 829 } }, minor: 10, fullVersion: '3.10.13', atexitErrorStyle: 'unraisable-colon' },
    '3.11': { ...base3, ...py311, name: '3.11', startupGcCounts: [447, 6, 0], importAllocations: { atexit: { allocs: 5 }, weakref: { allocs: 743, deps: ['<abc>'] }, os: { allocs: 204, deps: ['<abc>'] }, '<abc>': { allocs: 542 } }, minor: 11, fullVersion: '3.11.7' },
    '3.12': { ...base3, ...py312, name: '3.12', startupGcCounts: [514, 3, 0], importAllocations: { atexit: { allocs: 5 }, weakref: { allocs: 767, deps: ['<abc>'] }, os: { allocs: 207, deps: ['<abc>'] }, '<abc>': { allocs: 566 } }, minor: 12, fullVersion: '3.12.1' },
    '3.13': {
        ...base3,
        ...py312,
        name: '3.13',
        startupGcCounts: [522, 2, 0],
        importAllocations: { atexit: { allocs: 5 }, weakref: { allocs: 740, deps: ['<abc>'] }, os: { allocs: 423, deps: ['<abc>'] }, '<abc>': { allocs: 827 } },
        minor: 13,
        fullVersion: '3.13.0',
        thresholds: [2000, 10, 10],
        atexitErrorStyle: 'unraisable-callback',
    },
};

export const DEFAULT_PROFILE = '3.13';

export function getProfile(name: string | undefined): Profile | undefined {
    return PROFILES[name ?? DEFAULT_PROFILE];
}
