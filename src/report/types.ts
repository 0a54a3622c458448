/*
 * types.ts
 *
 * The Report: plain, JSON-serializable data shared by the CLI, editor diagnostics, hovers and the
 * heap graph. Documented in SCHEMA.md (keep the two in step).
 *
 * Time: `at` fields are event indices into the engine's log (0-based), `step` fields are statements
 * executed. Lines and columns are 1-based source positions (0 when the engine had no position:
 * start-up and parts of shutdown).
 */

import type { FinalizerKind } from '../engine/events';

export const REPORT_SCHEMA_VERSION = 1;

export type Fate =
    /** its reference count reached zero while the program ran */
    | 'freed'
    /** freed by the cyclic GC while the program ran (a collection: automatic or gc.collect()) */
    | 'collected'
    /** died during shutdown (atexit, module teardown, shutdown collections) and its __del__ ran then */
    | 'finalized-at-shutdown'
    /** died during shutdown without a finalizer running then */
    | 'freed-at-shutdown'
    /** never deallocated: still allocated when the interpreter is gone */
    | 'survives-exit';

export type SurvivorReason =
    | 'held-by-sys'
    | 'held-by-builtins'
    | 'held-by-module'
    | 'live-frame'
    /** held by a frame of a daemon thread frozen at finalization (never resumed, never cleared) */
    | 'daemon-thread'
    | 'unrecorded-holder'
    | 'created-after-last-gc'
    | 'uncollectable-cycle'
    | 'gc-garbage'
    | 'resurrected'
    | 'frozen'
    | 'leaked-cycle'
    /** found garbage by the last collection that looked at it, but kept: a finalizer referenced the set (3.8 keeps all of it) */
    | 'revived'
    /** tracing runtimes: unreachable, waiting for a collection that never comes */
    | 'pending-collection'
    /** tracing runtimes: still reachable when the process ends (nothing is freed or finalized at exit) */
    | 'alive-at-exit'
    | 'os-exit'
    | 'run-stopped'
    /** a native block (`# exitscope: c-alloc`) nothing frees: reported by the native section, no finding of its own */
    | 'native-unfreed';

export type Severity = 'error' | 'warning' | 'note';

export interface SourcePos {
    line: number;
    column: number;
}

export interface ChainRoot {
    /** module: a module's globals (sys, builtins, __main__…); frame: a live frame's locals;
     *  interpreter: sys.modules; unrecorded: held by a reference the log does not show
     *  (interpreter C state, a temporary on the value stack, a C-level registry). */
    kind: 'module' | 'frame' | 'interpreter' | 'unrecorded';
    id: number;
    name: string;
}

export interface ChainLink {
    from: number;
    fromLabel: string;
    /** The reference: attribute or global name, `[0]`, `['k']`, local name, `__dict__`, `tb_frame`… */
    edge: string;
    to: number;
    toLabel: string;
    /** Where and when this reference was created. */
    line: number;
    column: number;
    step: number;
    at: number;
}

export interface Chain {
    /** The time the chain holds at. */
    at: number;
    step: number;
    root: ChainRoot | null;
    links: ChainLink[];
    /** Links left out of the middle of a very long chain (links then holds the first and last ones). */
    elided: number;
    /** The chain as one Python-ish expression: `sys.keep`, `f:x.items[2]`. */
    path: string;
}

export interface FinalizerRunReport {
    at: number;
    /** Which finalizer: `__del__`, `gen_close` (a paused generator closed: its finally blocks run), `iobase_finalize` (an io object's close()). */
    kind: FinalizerKind;
    step: number;
    line: number;
    column: number;
    phase: string;
    /** The collection that ran it (index into collections), or null when it ran from a refcount death. */
    collection: number | null;
    output: string;
    /** The exception it raised (`Type: message`: CPython reports it as unraisable, or prints nothing once sys.stderr is gone). */
    failed?: string;
}

export interface EventRef {
    /** revived: a collection found it garbage, but a finalizer (or DEBUG_SAVEALL) kept it. */
    kind: 'weakref-callback' | 'atexit-call' | 'resurrect' | 'uncollectable' | 'revived';
    at: number;
    step: number;
    line: number;
    column: number;
    phase: string;
    /** The other object involved (the weakref, or the referent), when known. */
    other?: number;
}

export interface DeathInfo {
    at: number;
    step: number;
    line: number;
    column: number;
    cause: 'refcount' | 'gc';
    /** The thread that freed it, when not the main thread (its finalizer ran there). */
    thread?: string;
    /** For a refcount death: the reference whose removal dropped the count to zero, when recorded. */
    lastReference: { from: number; fromLabel: string; edge: string; line: number; column: number; step: number } | null;
    /** For a GC death: the collection. */
    collection: number | null;
    generation: number | null;
    reason: string | null;
}

export interface ObjectReport {
    id: number;
    type: string;
    typeId: number;
    label: string;
    /** 'user' objects were created by the program; 'interpreter' ones at start-up or are modules and their dicts. */
    owner: 'user' | 'interpreter';
    allocLine: number;
    allocColumn: number;
    allocStep: number;
    allocAt: number;
    fate: Fate;
    survivesExit: boolean;
    /**
     * Freed only at the very end of shutdown (when sys and builtins are wiped, or by the last
     * collection after them): every module's globals and sys.stdout are already gone, so a
     * finalizer cannot do its work. CPython still frees the memory; the program never sees it.
     */
    outlivesProgram: boolean;
    /** Phase in which it died (null for survivors). */
    phase: string | null;
    death: DeathInfo | null;
    finalizers: FinalizerRunReport[];
    events: EventRef[];
    /** The thread that made it, when not the main thread. */
    thread?: string;
    /** For survivors: why it is still there. */
    survivorReason: SurvivorReason | null;
    /** Unreachable from every root at `unreachableSince` (event index) long before it died (cycle garbage), or null. */
    unreachableSince: number | null;
    unreachableLine: number | null;
    /** Survivors: the chain at exit; objects freed at shutdown: the chain when the program finished running. */
    chain: ChainLink[] | null;
    chainInfo: Omit<Chain, 'links'> | null;
    explanation: string;
}

export interface DocLink {
    title: string;
    url: string;
}

export interface Explanation {
    title: string;
    text: string;
    fix: string;
    docs: DocLink[];
    /** How other Python versions differ, when known or measured (Explain on other versions). */
    versions?: string;
}

export interface RelatedLocation {
    line: number;
    column: number;
    message: string;
}

export interface Finding {
    /** Rule id: see findingKinds in explain.ts. */
    kind: string;
    severity: Severity;
    message: string;
    line: number;
    column: number;
    /** Objects concerned (ids; capped at 100, see objectCount). */
    objects: number[];
    objectCount: number;
    related: RelatedLocation[];
    explanation: Explanation;
}

export type ExpectationWord =
    | 'freed'
    | 'collected'
    | 'finalized-at-shutdown'
    | 'freed-at-shutdown'
    | 'survives-exit'
    | 'at-shutdown'
    | 'dies'
    | 'finalized'
    | 'not-finalized';

export interface ExpectationResult {
    line: number;
    column: number;
    /** The comment text after `expect:`. */
    text: string;
    expected: string[];
    /** 'ok', 'mismatch', 'no-object' (nothing allocated there), 'invalid' (unknown word). */
    status: 'ok' | 'mismatch' | 'no-object' | 'invalid';
    /** Observed fate per object checked (first few). */
    actual: { id: number; label: string; fate: Fate; finalized: boolean }[];
    message: string;
}

export interface PhaseSpan {
    phase: string;
    startAt: number;
    endAt: number;
    startStep: number;
    endStep: number;
    /** `running` only: the last line of the program's `__main__` that ran (the heap graph's "end of the program"). */
    endLine?: number;
}

export interface CollectionReport {
    index: number;
    generation: number;
    reason: string;
    phase: string;
    startAt: number;
    endAt: number;
    step: number;
    line: number;
    column: number;
    collected: number;
    uncollectable: number;
}

export interface HeapGraph {
    /** Node ids (objects and frames) with their lifetime in event time. */
    /** `thread`: a frame's thread, when not the main thread (the graph draws thread stacks as roots). */
    nodes: { id: number; kind: 'object' | 'frame'; type: string; label: string; bornAt: number; diedAt: number | null; thread?: string }[];
    /** Reference edges, column-wise: edge i goes from[i] → to[i], labelled label[i], alive for
     *  addedAt[i] ≤ t < removedAt[i] (removedAt -1: still there at the end), created at line[i]:column[i]. */
    edges: { from: number[]; to: number[]; label: number[]; addedAt: number[]; removedAt: number[]; line: number[]; column: number[] };
    /** String table for edge labels. */
    labels: string[];
    /** step by event index is not stored; use timeline to map event ranges to steps. */
    eventCount: number;
}

export interface Summary {
    created: number;
    freed: number;
    collected: number;
    finalizedAtShutdown: number;
    freedAtShutdown: number;
    surviving: number;
    finalizersRun: number;
    collections: number;
    findings: { error: number; warning: number; note: number };
    expectations: { ok: number; failed: number };
    events: number;
    steps: number;
}

export interface VersionDiff {
    profile: string;
    exitCode: number;
    /** Objects (matched by allocation site and order) whose fate differs from this report's profile. */
    differences: { line: number; column: number; type: string; label: string; fate: Fate; otherFate: Fate | 'not-created' }[];
    summary: Summary;
    /** Files of the run's directory whose final content differs there (null: absent). */
    files?: { path: string; bytes: number | null; otherBytes: number | null; otherText?: string }[];
}

/** PyPy's documentation of the consequences of a tracing GC (Issue 8). */
export const DOCS_PYPY_GC: DocLink = {
    title: 'PyPy: differences related to garbage collection strategies',
    url: 'https://doc.pypy.org/en/latest/cpython_differences.html#differences-related-to-garbage-collection-strategies',
};

export interface Report {
    schemaVersion: number;
    file: string;
    profile: string;
    stdout: string;
    stderr: string;
    exitCode: number;
    /** `budget`: for kind 'budget', which one stopped the run (steps, time, memory) or `limit` (the engine's). */
    errors: { kind: string; budget?: string; message: string; line: number; col: number }[];
    summary: Summary;
    timeline: PhaseSpan[];
    collections: CollectionReport[];
    objects: ObjectReport[];
    findings: Finding[];
    expectations: ExpectationResult[];
    graph: HeapGraph | null;
    /** Where this run depends on something the simulation approximates (said, never guessed silently). */
    caveats: string[];
    versions?: VersionDiff[];
    /** Tracing-GC profiles (pypy, jython): objects pending collection, resources still open over time. */
    tracing?: import('./beyond').TracingSection;
    /** Native blocks declared with `# exitscope: c-alloc` and their leak-checker classification at exit. */
    native?: import('./beyond').NativeSection;
    /** pymalloc model: live object bytes vs memory held from the OS (CPython profiles). */
    memory?: import('./beyond').MemorySection;
    /** Embedded runs (`embedded: N`): what each Py_FinalizeEx cycle leaves behind. */
    embedded?: import('./beyond').EmbeddedSection;
    /** The run's directory: declared files, what was written to each and when, what was lost, the final contents. */
    files?: import('./files').FilesSection;
}
