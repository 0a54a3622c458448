/*
 * events.ts
 *
 * The one record of a simulation. Reports, diagnostics and the heap graph are views derived from
 * this log; nothing else records facts about a run.
 *
 * Stored column-wise (one array per field) so that a run of a million events stays compact and can
 * be posted across a worker boundary as plain arrays.
 */

export const enum EventKind {
    /** a: object id, b: type id (the class object), s: type name. */
    Alloc = 1,
    /** a: object id. b: DeathCause. */
    Dealloc = 2,
    /** a: object id; `__del__` starts. */
    FinalizerStart = 3,
    /** a: object id. */
    FinalizerEnd = 4,
    /** b: generation, s: trigger ('automatic' | 'gc.collect' | 'shutdown'). */
    GcStart = 5,
    /** a: number collected, b: number uncollectable. */
    GcEnd = 6,
    /** s: phase name (see Phase). */
    PhaseChange = 7,
    /** s: text written; b: 1 stdout, 2 stderr. */
    Output = 8,
    /** s: message (uncaught exception summary or engine error). */
    Error = 9,
    /** a: source object id, b: target object id, s: edge label. A reference is created. */
    RefAdd = 10,
    /** a: source object id, b: target object id, s: edge label. A reference is dropped. */
    RefDel = 11,
    /** a: weakref id, b: referent id. A weakref callback is called. */
    WeakrefCallback = 12,
    /** a: callable id. An atexit handler is called. */
    AtexitCall = 13,
    /** a: object id. The object was resurrected by its finalizer. */
    Resurrect = 14,
    /** a: object id; b: 1 when it goes to gc.garbage. */
    Uncollectable = 15,
    /** a: object id, s: first name or path the object was bound to (its label). */
    Label = 16,
    /** a: frame node id, s: function qualname. A frame starts (its locals are a root). */
    FrameEnter = 17,
    /** a: frame node id. The frame returned or was unwound. */
    FrameExit = 18,
}

/** Why an object was deallocated (Dealloc's b field). */
export const enum DeathCause {
    /** its reference count reached zero */
    Refcount = 0,
    /** cleared by the cyclic GC (tp_clear broke the cycle that kept it) */
    GcClear = 1,
}

/** The named steps of a run, in CPython's order (Py_FinalizeEx steps are separate phases). */
export type Phase =
    | 'running'
    | 'system-exit'
    | 'atexit'
    | 'pre-teardown-gc'
    | 'delete-special'
    | 'remove-modules'
    | 'restore-builtins'
    | 'teardown-gc'
    | 'wipe-modules'
    | 'wipe-sys-builtins'
    | 'final-gc'
    | 'after-exit';

export interface EventLogData {
    kind: number[];
    step: number[];
    line: number[];
    col: number[];
    a: number[];
    b: number[];
    s: (string | null)[];
}

export class EventLog {
    readonly kind: number[] = [];
    readonly step: number[] = [];
    readonly line: number[] = [];
    readonly col: number[] = [];
    readonly a: number[] = [];
    readonly b: number[] = [];
    readonly s: (string | null)[] = [];

    get length(): number {
        return this.kind.length;
    }

    push(kind: EventKind, step: number, line: number, col: number, a: number, b: number, s: string | null): void {
        this.kind.push(kind);
        this.step.push(step);
        this.line.push(line);
        this.col.push(col);
        this.a.push(a);
        this.b.push(b);
        this.s.push(s);
    }

    toData(): EventLogData {
        return { kind: this.kind, step: this.step, line: this.line, col: this.col, a: this.a, b: this.b, s: this.s };
    }
}
