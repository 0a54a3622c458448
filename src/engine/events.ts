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
    /** a: number of objects moved to the permanent generation by gc.freeze() (they are never collected). */
    Freeze = 19,
    /**
     * Tracing-GC profiles (gc/tracing.ts): a: object id. Its reference count reached zero but it is
     * not freed: it is unreachable garbage pending a later collection (a Dealloc follows if one runs).
     * b: 1 when its type defines a finalizer (`__del__`) that has not run.
     */
    PendingGarbage = 20,
    /**
     * A native (C-allocated) block declared by a `# exitscope: c-alloc` annotation (engine/native.ts),
     * logged right after the block's own Alloc (type name 'native'). a: block id, b: size in bytes,
     * s: `label\u0000freed-mode\u0000owner id` (freed-mode: never | at-exit | with).
     */
    NativeAlloc = 21,
    /** Embedded profiles: a Py_FinalizeEx/Py_InitializeEx boundary. a: the cycle (1-based) that starts. */
    EmbedCycle = 22,
}

/** Why an object was deallocated (Dealloc's b field). */
export const enum DeathCause {
    /** its reference count reached zero */
    Refcount = 0,
    /** cleared by the cyclic GC (tp_clear broke the cycle that kept it) */
    GcClear = 1,
    /** a native block released by its C owner (engine/native.ts) */
    NativeFree = 2,
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
    /** os._exit(): the process ends at once (no atexit, no finalizers, no flush); 'after-exit' follows. */
    | 'os-exit'
    | 'after-exit';

export interface EventLogData {
    kind: Int32Array;
    step: Int32Array;
    line: Int32Array;
    col: Int32Array;
    a: Int32Array;
    b: Int32Array;
    /** Index of the event's string in `strings`, or -1 (none). Read it with `eventString`. */
    sIdx: Int32Array;
    /** Each distinct string once (edge labels repeat millions of times in a long run). */
    strings: string[];
}

/** The string of event `i` (an edge label, a type name, output text…), or null. */
export function eventString(log: EventLogData, i: number): string | null {
    const k = log.sIdx[i];
    return k < 0 ? null : log.strings[k];
}

/** An empty log (a run that could not start). */
export function emptyEventLog(): EventLogData {
    const z = new Int32Array(0);
    return { kind: z, step: z, line: z, col: z, a: z, b: z, sIdx: z, strings: [] };
}

/**
 * Stored column-wise in typed arrays from the start: `toData` then hands out views with no copy,
 * and a run of five million events costs 28 bytes each instead of seven boxed array slots.
 */
export class EventLog {
    private cap = 4096;
    private kind: Int32Array = new Int32Array(this.cap);
    private step: Int32Array = new Int32Array(this.cap);
    private line: Int32Array = new Int32Array(this.cap);
    private col: Int32Array = new Int32Array(this.cap);
    private a: Int32Array = new Int32Array(this.cap);
    private b: Int32Array = new Int32Array(this.cap);
    private sIdx: Int32Array = new Int32Array(this.cap);
    private n = 0;
    private readonly strings: string[] = [];
    private readonly stringIndex = new Map<string, number>();

    get length(): number {
        return this.n;
    }

    private grow(): void {
        const cap = this.cap * 2;
        const g = (old: Int32Array): Int32Array => {
            const x = new Int32Array(cap);
            x.set(old);
            return x;
        };
        this.kind = g(this.kind);
        this.step = g(this.step);
        this.line = g(this.line);
        this.col = g(this.col);
        this.a = g(this.a);
        this.b = g(this.b);
        this.sIdx = g(this.sIdx);
        this.cap = cap;
    }

    push(kind: EventKind, step: number, line: number, col: number, a: number, b: number, s: string | null): void {
        const i = this.n;
        if (i === this.cap) this.grow();
        this.kind[i] = kind;
        this.step[i] = step;
        this.line[i] = line;
        this.col[i] = col;
        this.a[i] = a;
        this.b[i] = b;
        if (s === null) {
            this.sIdx[i] = -1;
        } else {
            let k = this.stringIndex.get(s);
            if (k === undefined) {
                k = this.strings.length;
                this.strings.push(s);
                this.stringIndex.set(s, k);
            }
            this.sIdx[i] = k;
        }
        this.n = i + 1;
    }

    kindAt(i: number): number {
        return this.kind[i];
    }

    /** The column-wise form that crosses worker boundaries and feeds reports (views, not copies). */
    toData(): EventLogData {
        const n = this.n;
        return {
            kind: this.kind.subarray(0, n),
            step: this.step.subarray(0, n),
            line: this.line.subarray(0, n),
            col: this.col.subarray(0, n),
            a: this.a.subarray(0, n),
            b: this.b.subarray(0, n),
            sIdx: this.sIdx.subarray(0, n),
            strings: this.strings.slice(),
        };
    }
}
