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
    kind: number[];
    step: number[];
    line: number[];
    col: number[];
    a: number[];
    b: number[];
    s: (string | null)[];
}

/** Integers stored per event: kind, step, line, col, a, b, and the index of its string (-1: none). */
const STRIDE = 7;

export class EventLog {
    private buf = new Int32Array(STRIDE * 4096);
    private n = 0;
    private readonly strings: string[] = [];

    get length(): number {
        return this.n;
    }

    push(kind: EventKind, step: number, line: number, col: number, a: number, b: number, s: string | null): void {
        let buf = this.buf;
        const o = this.n * STRIDE;
        if (o + STRIDE > buf.length) {
            const grown = new Int32Array(buf.length * 2);
            grown.set(buf);
            this.buf = buf = grown;
        }
        buf[o] = kind;
        buf[o + 1] = step;
        buf[o + 2] = line;
        buf[o + 3] = col;
        buf[o + 4] = a;
        buf[o + 5] = b;
        if (s === null) {
            buf[o + 6] = -1;
        } else {
            buf[o + 6] = this.strings.length;
            this.strings.push(s);
        }
        this.n++;
    }

    kindAt(i: number): number {
        return this.buf[i * STRIDE];
    }

    /** The column-wise form (plain arrays) that crosses worker boundaries and feeds reports. */
    toData(): EventLogData {
        const n = this.n;
        const buf = this.buf;
        const d: EventLogData = {
            kind: new Array(n),
            step: new Array(n),
            line: new Array(n),
            col: new Array(n),
            a: new Array(n),
            b: new Array(n),
            s: new Array(n),
        };
        for (let i = 0, o = 0; i < n; i++, o += STRIDE) {
            d.kind[i] = buf[o];
            d.step[i] = buf[o + 1];
            d.line[i] = buf[o + 2];
            d.col[i] = buf[o + 3];
            d.a[i] = buf[o + 4];
            d.b[i] = buf[o + 5];
            const si = buf[o + 6];
            d.s[i] = si < 0 ? null : this.strings[si];
        }
        return d;
    }
}
