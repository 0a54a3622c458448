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
    /** a: object id; s: which finalizer starts (FinalizerKind: `__del__`, `gen_close`, `iobase_finalize`). */
    FinalizerStart = 3,
    /** a: object id; b: 1 when it raised (s: the exception, `Type: message`, which CPython reports as unraisable or not at all). */
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
    /** a: frame node id, s: function qualname, b: 1 for a generator's frame (see GenResume). A frame starts (its locals are a root). */
    FrameEnter = 17,
    /** a: frame node id. The frame returned or was unwound. */
    FrameExit = 18,
    /** a: an object gc.freeze() moved into the permanent generation (never collected, shutdown included). */
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
    /** a: an object gc.unfreeze() moved back from the permanent generation. */
    Unfreeze = 23,
    /**
     * Bytes reached a file in the run's directory (a write(2): io/state.ts). a: the object that
     * wrote them (FileIO, or 2.7's file), b: how many, s: the file's path as opened.
     */
    FileWrite = 24,
    /**
     * Bytes the program wrote that will never reach their file: a buffer freed or left behind
     * unflushed (io/state.ts). a: the object whose buffer held them, b: how many,
     * s: `path\u0000reason`.
     */
    FileLost = 25,
    /**
     * Output that preemption could interleave differently (threads/races.ts): line/col: a write by
     * one thread; a: the line of a write by another thread while both were runnable; b: the fd;
     * s: "<this thread>\t<the other thread>".
     */
    ThreadRace = 26,
    /**
     * A daemon thread frozen at finalization (threads/shutdown.ts), one event per frame of its
     * stack: a: the frame's node id; line: where the thread stopped; s: the thread's name.
     */
    ThreadFrozen = 27,
    /**
     * a: an object the running collection found unreachable (its weakrefs were cleared) but does
     * not free: a finalizer made it reachable again (3.9+ handle_resurrected_objects; 3.8 keeps the
     * whole set), or DEBUG_SAVEALL put it in gc.garbage (b: 1).
     */
    Revived = 28,
    /**
     * The import of a modelled standard-library module (builtins/modules.ts importModule): b: 1 when
     * it begins, 0 when it ends (also when it raised); s: the module's name. Everything allocated
     * between the two is the module's own (its classes, functions, constants), as in CPython, where
     * importing `threading` creates them: the report counts them as the interpreter's, not the program's.
     */
    ModuleImport = 29,
    /**
     * a: a generator's frame node, b: the line it is suspended at. The generator is resumed
     * (gen_send_ex): its frame goes on the thread's stack, above the caller's, until the matching
     * GenSuspend.
     */
    GenResume = 30,
    /** a: the generator's frame node. Its frame leaves the stack (it yielded, returned or raised). */
    GenSuspend = 31,
    /**
     * Another thread runs from here on (threads/scheduler.ts runSlice: it took "the GIL", or gave it
     * back): a: its number (0: the main thread, then in start order), s: its name. What is allocated,
     * freed or entered until the next ThreadSwitch happens on that thread.
     */
    ThreadSwitch = 32,
    /**
     * An ordered walk of a set whose items' hashes the engine cannot know (3.x str and bytes hashes
     * are randomized per process; identity hashes are addresses): CPython's order may differ from
     * the simulated one (runtime/setobject.ts). a: the set's id; b: 0 iterate, 1 repr, 2 pop, 3 release.
     */
    SetOrder = 33,
    /**
     * The program read the virtual clock (threads/virtualClock.ts: time.time(), monotonic(),
     * perf_counter() and their _ns forms): CPython reads a real one, so what is computed from the
     * value differs from run to run. s: the function's name.
     */
    ClockRead = 34,
}

/**
 * The finalizer a FinalizerStart names (its s field): a class's `__del__` (slot_tp_finalize /
 * 2.7 slot_tp_del), a paused generator's close() (_PyGen_Finalize → gen_close, which runs its
 * finally blocks), an io object's tp_finalize (iobase_finalize, which calls close()).
 */
export type FinalizerKind = '__del__' | 'gen_close' | 'iobase_finalize';

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
    /** threading._shutdown (wait_for_thread_shutdown): the main thread joins the non-daemon threads. */
    | 'wait-for-threads'
    | 'atexit'
    /** _PyRuntimeState_SetFinalizing: daemon threads still alive never run again (frozen). */
    | 'daemon-freeze'
    | 'pre-teardown-gc'
    | 'delete-special'
    | 'remove-modules'
    | 'restore-builtins'
    | 'teardown-gc'
    | 'wipe-modules'
    | 'wipe-sys-builtins'
    | 'final-gc'
    /** 3.10+ interpreter_clear: interpreter state released (atexit state, codecs, thread states). */
    | 'interpreter-clear'
    /** 3.10+: interpreter_clear's "last garbage collection on this interpreter". */
    | 'interpreter-clear-gc'
    /** _PyGC_Fini: gc.garbage and gc.callbacks released. */
    | 'gc-fini'
    /** 3.10+: PyDict_Clear of the sys and builtins dicts. */
    | 'clear-sys-dict'
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
 * Events in the log's first chunk (7 columns × 4 bytes × 4K = 112 KB); each next chunk is twice
 * the size of the one before, up to MAX_CHUNK (1.8 MB). The editor simulates a scenario on every
 * edit, most of them a few thousand events: a first chunk of 64K events zero-filled 1.8 MB of fresh
 * memory per run for nothing (and counted as external memory, which makes V8 collect sooner).
 */
const FIRST_CHUNK = 1 << 12;
const MAX_CHUNK = 1 << 16;
/** Entries of the string-interning cache (a power of two). */
const RECENT = 64;

/** One chunk: a typed array per column. */
class Chunk {
    readonly kind: Int32Array;
    readonly step: Int32Array;
    readonly line: Int32Array;
    readonly col: Int32Array;
    readonly a: Int32Array;
    readonly b: Int32Array;
    readonly sIdx: Int32Array;

    constructor(readonly size: number) {
        this.kind = new Int32Array(size);
        this.step = new Int32Array(size);
        this.line = new Int32Array(size);
        this.col = new Int32Array(size);
        this.a = new Int32Array(size);
        this.b = new Int32Array(size);
        this.sIdx = new Int32Array(size);
    }
}

type Column = Exclude<keyof Chunk, 'size'>;

/**
 * Stored column-wise in typed arrays from the start, in chunks: a long run (five million events)
 * never copies its log while it grows, and `toData` joins the chunks once into one array per
 * column (28 bytes an event, instead of seven boxed array slots).
 */
export class EventLog {
    private readonly chunks: Chunk[] = [];
    /**
     * The chunk being filled. The first one is made by the first push (`cap` starts at 0), so a
     * CountingLog (`exitscope run`, the names pass's scratch interpreter) allocates none.
     */
    private cur: Chunk | null = null;
    /** Next free index in `cur`, and its size. */
    private pos = 0;
    private cap = 0;
    /** Events in the chunks before `cur`. */
    private done = 0;
    private readonly strings: string[] = [];
    private readonly stringIndex = new Map<string, number>();
    private readonly recentStr: (string | null)[] = new Array<string | null>(RECENT).fill(null);
    private readonly recentIdx = new Int32Array(RECENT);

    get length(): number {
        return this.done + this.pos;
    }

    push(kind: EventKind, step: number, line: number, col: number, a: number, b: number, s: string | null): void {
        let i = this.pos;
        if (i === this.cap) {
            this.nextChunk();
            i = 0;
        }
        const c = this.cur!;
        c.kind[i] = kind;
        c.step[i] = step;
        c.line[i] = line;
        c.col[i] = col;
        c.a[i] = a;
        c.b[i] = b;
        c.sIdx[i] = s === null ? -1 : this.intern(s);
        this.pos = i + 1;
    }

    private nextChunk(): void {
        const size = this.cur === null ? FIRST_CHUNK : Math.min(MAX_CHUNK, this.cap * 2);
        this.done += this.pos;
        this.cur = new Chunk(size);
        this.chunks.push(this.cur);
        this.cap = size;
        this.pos = 0;
    }

    /**
     * The index of `s` in the strings table. Most strings are edge labels repeating a few names
     * (attributes, locals) millions of times: a small cache, by length and two characters,
     * answers most of them with one comparison (usually of the same string object) before the
     * Map's hash lookup. ('' reads NaN characters, which `& mask` turns into slot 0.)
     */
    private intern(s: string): number {
        const slot = (s.length + (s.charCodeAt(0) << 2) + (s.charCodeAt(s.length >> 1) << 1)) & (RECENT - 1);
        if (this.recentStr[slot] === s) return this.recentIdx[slot];
        let k = this.stringIndex.get(s);
        if (k === undefined) {
            k = this.strings.length;
            this.strings.push(s);
            this.stringIndex.set(s, k);
        }
        this.recentStr[slot] = s;
        this.recentIdx[slot] = k;
        return k;
    }

    kindAt(i: number): number {
        for (const c of this.chunks) {
            if (i < c.size) return c.kind[i];
            i -= c.size;
        }
        return -1;
    }

    /** The column-wise form that crosses worker boundaries and feeds reports. */
    toData(): EventLogData {
        const n = this.length;
        if (n === 0) return emptyEventLog();
        const join = (col: Column): Int32Array => {
            if (this.chunks.length === 1) return this.chunks[0][col].slice(0, n);
            const out = new Int32Array(n);
            let at = 0;
            for (const c of this.chunks) {
                const len = Math.min(c.size, n - at);
                out.set(len === c.size ? c[col] : c[col].subarray(0, len), at);
                at += len;
            }
            return out;
        };
        return {
            kind: join('kind'),
            step: join('step'),
            line: join('line'),
            col: join('col'),
            a: join('a'),
            b: join('b'),
            sIdx: join('sIdx'),
            strings: this.strings.slice(),
        };
    }
}

/**
 * A log that keeps nothing but its length (`exitscope run` needs no events; the collector still
 * compares lengths to see whether finalizers did anything). Writing and interning millions of
 * events was a fifth of a long run's time.
 */
export class CountingLog extends EventLog {
    private count = 0;
    override get length(): number {
        return this.count;
    }
    override push(): void {
        this.count++;
    }
    override kindAt(): number {
        return -1;
    }
    override toData(): EventLogData {
        return emptyEventLog();
    }
}
