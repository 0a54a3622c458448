/*
 * interpreter.ts
 *
 * The interpreter's state and the object factories every other part uses. Statement execution,
 * expression evaluation, calls and attribute access live in their own files and take the
 * Interpreter as their first argument.
 *
 * Reference discipline (as in CPython's eval loop): every evaluation returns a NEW reference that
 * its caller owns and must release; values held while more code runs are pushed on the frame's
 * value stack so that an exception unwinding the frame releases them top-down, as CPython does.
 */

import { EventKind, EventLog, CountingLog, type Phase } from '../events';
import type { Profile } from '../profiles';
import { PyObject, ObjFlag } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyFloat, PyComplex, PyStr, PyBytes, PySingleton } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet, indexLabel } from '../runtime/containers';
import { SlotTable27 } from '../runtime/dict27';
import type { SetContext } from '../runtime/setobject';
import { setContext } from './hash';
import { PyInstance, PyException } from '../runtime/instances';
import { PyClassicInstance } from '../runtime/classobject';
import { PyBuiltin, type NativeImpl } from '../runtime/callables';
import { FrameData, PyModule } from '../runtime/frames';
import { Heap, type HeapHooks } from '../runtime/heap';
import { createBuiltinTypes, type BuiltinTypes } from '../builtins/typeSetup';
import { constructException } from '../builtins/exceptions';
import { OutStream } from './output';
import { PyRaise, EngineStop } from './signals';
import type { MemoryBudget } from '../api';
import { BUDGET_MESSAGES, CHECK_STEPS, CHECK_WORK, MAX_ITEMS, MAX_STRING, beyondAddressSpace, budgetStop, slotBytes } from './budget';
import type { CodeInfo } from './code';
import { STR_INTERN_MAX } from './nodeCache';
import type * as ast from '../parser/ast';
import type { ScopeTable } from '../parser/scopes';
import type { IoState } from '../io/state';

export interface InterpreterOptions {
    profile: Profile;
    /** Statement budget (Infinity: none). */
    maxSteps: number;
    /** Wall-clock budget in milliseconds. */
    timeLimitMs: number;
    memory: MemoryBudget | null;
    fileName: string;
    recordEdges: boolean;
    /** Keep the event log (false: only its length is counted, see CountingLog). */
    keepEvents: boolean;
}

const SMALL_INT_MIN = -5;
const SMALL_INT_MAX = 256;

export class Interpreter {
    readonly profile: Profile;
    readonly log: EventLog;
    readonly heap: Heap;
    readonly T: BuiltinTypes;
    readonly None: PySingleton;
    readonly True: PyInt;
    readonly False: PyInt;
    readonly Ellipsis: PySingleton;
    readonly NotImplemented: PySingleton;
    readonly stdout: OutStream;
    readonly stderr: OutStream;
    readonly fileName: string;
    readonly maxSteps: number;

    /** Issue 8 hook: native blocks declared by `# exitscope: c-alloc` (engine/native.ts), or null. */
    native: import('../native').NativeRuntime | null = null;
    /** The run's directory, interpreter options and unflushed file buffers (io/state.ts). */
    io!: IoState;
    /** Statements executed so far (the step budget counts these). */
    step = 0;
    /** Element work done inside built-ins (items created or visited), for the budget checks. */
    workDone = 0;
    /** The statement / work count at which the budgets are looked at next (see budget.ts). */
    private stepCheckAt: number;
    private workCheckAt = CHECK_WORK;
    private readonly timeLimitMs: number;
    private readonly deadline: number;
    private readonly memory: MemoryBudget | null;
    /** Position of what is being evaluated now (events take it). */
    line = 0;
    /** The last line `__main__`'s frame ran, once it has ended (0 until then). */
    mainEndLine = 0;
    col = 0;
    /**
     * The expression being evaluated at (line, col), set where an operation may raise (a call, an
     * attribute, a subscript, an operator): a traceback entry keeps it for 3.11+'s carets
     * (co_positions of the instruction). null: the statement itself.
     */
    node: ast.Range | null = null;
    /**
     * Where a JavaScript error (not a Python exception) was first seen while frames unwound: the
     * position it is reported at (frames restore `line` and `col` as they unwind).
     */
    faultLine = 0;
    faultCol = 0;
    phase: Phase = 'running';
    /** The frame being executed. */
    frame: FrameData | null = null;
    depth = 0;
    recursionLimit = 1000;
    /** sys.get_int_max_str_digits() (0: no limit); set from the profile at start-up. */
    intMaxStrDigits = 0;
    /** The exceptions being handled, innermost last (sys.exc_info()), and the frame handling each. */
    readonly handled: PyException[] = [];
    readonly handledFrames: FrameData[] = [];
    /** 2.7: the traceback of each handled exception (sys.exc_info()[2]); null in 3.x. */
    readonly handledTbs: (PyObject | null)[] = [];
    /** `from __future__ import …` names of the main module. */
    readonly futures = new Set<string>();
    /** Scope analysis of the scenario (set before running). */
    scopes!: ScopeTable;
    /** Source lines, for tracebacks. */
    sourceLines: string[] = [];
    /**
     * Whether a traceback printed now shows source lines: 3.x `_Py_DisplaySourceLine` imports `io`
     * to read the file, which fails once finalize_remove_modules has emptied sys.modules (gc/finalize.ts).
     */
    sourceReadable = true;
    /** 3.12+: a collection requested by an allocation, run at the next eval-breaker check. */
    gcPending = false;
    /** Runs the collection requested by the allocation counter (installed by the collector). */
    runScheduledGc: () => void = () => {};

    builtinsDict!: PyDict;
    builtinsModule!: PyModule;
    mainModule!: PyModule;
    sysModule!: PyModule;
    /** sys.modules, in import order. */
    modules!: PyDict;
    /** Code objects per scope node. */
    readonly codes = new Map<ast.Node, CodeInfo>();
    /** Extension state for modules (gc, atexit, weakref…), keyed by module name. */
    readonly moduleState = new Map<string, unknown>();
    /** Labels already given to objects (first name or path each was bound to). */
    private readonly labelled = new Set<number>();

    private readonly smallInts: PyInt[] = [];
    private readonly strCache = new Map<string, PyStr>();

    constructor(opts: InterpreterOptions) {
        this.profile = opts.profile;
        this.sets = setContext(this);
        this.fileName = opts.fileName;
        this.log = opts.keepEvents ? new EventLog() : new CountingLog();
        this.maxSteps = opts.maxSteps;
        this.timeLimitMs = opts.timeLimitMs;
        this.deadline = Date.now() + opts.timeLimitMs;
        this.memory = opts.memory;
        this.stepCheckAt = Math.min(this.maxSteps, CHECK_STEPS);
        this.T = createBuiltinTypes(this.profile);
        this.heap = new Heap(this.profile, this.log, () => new PyObject(this.T.object), opts.recordEdges);
        const where = () => ({ step: this.step, line: this.line, col: this.col });
        this.stdout = new OutStream(1, true, this.log, where);
        this.stderr = new OutStream(2, false, this.log, where);
        const T = this.T;
        this.None = this.atomic(new PySingleton(T.NoneType, 'None'));
        this.Ellipsis = this.atomic(new PySingleton(T.ellipsis, 'Ellipsis'));
        this.NotImplemented = this.atomic(new PySingleton(T.NotImplementedType, 'NotImplemented'));
        this.False = this.atomic(new PyInt(T.bool, 0));
        this.True = this.atomic(new PyInt(T.bool, 1));
        for (let i = SMALL_INT_MIN; i <= SMALL_INT_MAX; i++) this.smallInts.push(this.atomic(new PyInt(T.int, i)));
        for (const t of Object.values(T)) t.id = this.heap.newId();
    }

    setHooks(hooks: HeapHooks): void {
        this.heap.hooks = hooks;
    }

    private atomic<T extends PyObject>(o: T): T {
        o.id = this.heap.newId();
        return o;
    }

    // ------------------------------------------------------------------ positions, steps, phases

    position(): { step: number; line: number; col: number } {
        return { step: this.step, line: this.line, col: this.col };
    }

    at(node: ast.Range): void {
        this.line = node.line;
        this.col = node.col;
        this.node = node;
    }

    tick(node: ast.Range): void {
        this.tickAt(node.line, node.col);
    }

    /** `tick` at a position given directly (compiled statements capture their node's, see exec.ts). */
    tickAt(line: number, col: number): void {
        this.line = line;
        this.col = col;
        this.node = null;
        if (++this.step > this.stepCheckAt) this.checkBudgets();
    }

    /** `n` units of element work inside a built-in (a loop over items that runs no statement). */
    work(n: number): void {
        if ((this.workDone += n) > this.workCheckAt) this.checkBudgets();
    }

    /** The statement, time and memory budgets (every CHECK_STEPS statements or CHECK_WORK work). */
    checkBudgets(): void {
        if (this.step > this.maxSteps) throw budgetStop('steps', BUDGET_MESSAGES.steps(this.maxSteps), this.line, this.col);
        if (Date.now() > this.deadline) throw budgetStop('time', BUDGET_MESSAGES.time(this.timeLimitMs), this.line, this.col);
        const m = this.memory;
        if (m) {
            const used = m.used();
            if (used > m.limitBytes) throw budgetStop('memory', BUDGET_MESSAGES.memory(used, m.limitBytes), this.line, this.col);
        }
        this.stepCheckAt = Math.min(this.maxSteps, this.step + CHECK_STEPS);
        this.workCheckAt = this.workDone + CHECK_WORK;
    }

    /**
     * Before building a container of `n` items (`what`: 'a list', 'a tuple'…) whose CPython form
     * takes `cpythonBytes`: MemoryError where CPython's allocator refuses at once, a budget stop
     * where the engine cannot hold it or the memory budget would be passed. Counts as work.
     */
    reserveItems(n: number, what: string, cpythonBytes = n * 8): void {
        if (beyondAddressSpace(cpythonBytes)) throw this.error('MemoryError');
        if (n > MAX_ITEMS) throw budgetStop('limit', BUDGET_MESSAGES.items(n, what), this.line, this.col);
        this.reserveBytes(slotBytes(n));
        this.work(n);
    }

    /** A container being built item by item reached `n` items (called every 4096): work, and the limit. */
    grewTo(n: number, what: string): void {
        if (n >= MAX_ITEMS) throw budgetStop('limit', BUDGET_MESSAGES.items(n, what), this.line, this.col);
        this.work(4096);
    }

    /** Before building a string of `n` characters (CPython: `bytes` bytes). */
    reserveString(n: number, cpythonBytes = n): void {
        if (beyondAddressSpace(cpythonBytes)) throw this.error('MemoryError');
        if (n > MAX_STRING) throw budgetStop('limit', BUDGET_MESSAGES.string(n), this.line, this.col);
        this.reserveBytes(n * 2);
        this.work(n >> 4);
    }

    /** Would `bytes` more pass the memory budget? (Only large requests ask the host.) */
    private reserveBytes(bytes: number): void {
        const m = this.memory;
        if (!m || bytes < 1 << 20) return;
        const used = m.used();
        if (used + bytes > m.limitBytes) throw budgetStop('memory', BUDGET_MESSAGES.memory(used + bytes, m.limitBytes), this.line, this.col);
    }

    /** PUSH_EXC_INFO: `exc` (an owned reference, with its 2.7 traceback) is being handled by `frame`. */
    pushHandled(exc: PyException, frame: FrameData, tb: PyObject | null): void {
        this.handled.push(exc);
        this.handledFrames.push(frame);
        this.handledTbs.push(tb);
    }

    /** POP_EXCEPT: the innermost handled exception is released. */
    popHandled(): void {
        const exc = this.handled.pop();
        this.handledFrames.pop();
        const tb = this.handledTbs.pop();
        if (exc) this.decref(exc);
        if (tb) this.decref(tb);
    }

    /** The eval breaker: 3.12+ runs a scheduled collection here (loop back-edges, calls, function entry). */
    evalBreaker(): void {
        if (this.gcPending) {
            this.gcPending = false;
            this.runScheduledGc();
        }
    }

    /**
     * PyErr_CheckSignals, which PyObject_Str and PyObject_Repr call before anything else: 3.12+
     * runs a collection an allocation scheduled here too (signalmodule.c, "Opportunistically check
     * if the GC is scheduled"), so `print(x)` collects inside the call, after its write method is
     * bound and before anything is written, where the eval breaker would wait for the call's end.
     */
    checkSignals(): void {
        if (this.gcPending) this.evalBreaker();
    }

    setPhase(phase: Phase): void {
        this.phase = phase;
        this.log.push(EventKind.PhaseChange, this.step, this.line, this.col, 0, 0, phase);
    }

    /** Records the first name or path an object was bound to (its readable label). */
    label(o: PyObject, name: string): void {
        if (o.flags & ObjFlag.Atomic || this.labelled.has(o.id)) return;
        this.labelled.add(o.id);
        this.log.push(EventKind.Label, this.step, this.line, this.col, o.id, 0, name);
    }

    // ------------------------------------------------------------------ factories (return new references)

    int(v: number | bigint): PyInt {
        if (typeof v === 'number' && v >= SMALL_INT_MIN && v <= SMALL_INT_MAX && Number.isInteger(v)) {
            return this.smallInts[v - SMALL_INT_MIN];
        }
        return this.atomic(new PyInt(this.T.int, v));
    }

    bool(b: boolean): PyInt {
        return b ? this.True : this.False;
    }

    float(v: number): PyFloat {
        return this.atomic(new PyFloat(this.T.float, v));
    }

    complex(re: number, im: number): PyComplex {
        return this.atomic(new PyComplex(this.T.complex, re, im));
    }

    str(s: string): PyStr {
        if (s.length <= STR_INTERN_MAX) {
            let c = this.strCache.get(s);
            if (!c) {
                c = this.atomic(new PyStr(this.T.str, s));
                this.strCache.set(s, c);
            }
            return c;
        }
        return this.atomic(new PyStr(this.T.str, s));
    }

    bytes(b: Uint8Array): PyBytes {
        return this.atomic(new PyBytes(this.T.bytes, b));
    }

    /** A new list that takes over the given references. */
    list(items: PyObject[]): PyList {
        const l = this.heap.register(new PyList(this.T.list, items));
        for (let i = 0; i < items.length; i++) this.heap.adopt(l, items[i], indexLabel(i));
        return l;
    }

    /** A new tuple that takes over the given references. */
    tuple(items: PyObject[]): PyTuple {
        const t = this.heap.register(new PyTuple(this.T.tuple, items));
        for (let i = 0; i < items.length; i++) this.heap.adopt(t, items[i], indexLabel(i));
        return t;
    }

    /** A new empty dict (created untracked, as PyDict_New does). */
    dict(): PyDict {
        const d = new PyDict(this.T.dict);
        if (!this.profile.dictInsertionOrdered) d.slots27 = new SlotTable27(this.sets.dictHash27, this.sets.dictOrderShown);
        return this.heap.register(d, false);
    }

    /** Every set's table rules and hashing (interp/hash.ts setContext). */
    readonly sets: SetContext;

    set(frozen = false): PySet {
        return this.heap.register(new PySet(frozen ? this.T.frozenset : this.T.set, this.sets));
    }

    instance(type: PyType): PyInstance {
        return type.isSubtypeOf(this.T.BaseException) ? this.newInstance(type, new PyException(type)) : this.plainInstance(type);
    }

    /** `instance(type)` for a class known not to be an exception class. */
    plainInstance(type: PyType): PyInstance {
        if (type.classic) {
            // PyInstance_NewRaw: the instance dict first, then the instance holding it.
            const d = this.dict();
            d.namespace = true;
            const o = this.newInstance(type, new PyClassicInstance(type));
            o.attrs = d;
            this.heap.adopt(o, d, '__dict__');
            return o;
        }
        return this.newInstance(type, new PyInstance(type));
    }

    private newInstance(type: PyType, o: PyInstance): PyInstance {
        this.heap.incref(type);
        return this.heap.register(o);
    }

    /** A built-in function (static: never freed). */
    builtin(name: string, impl: NativeImpl, ownerName: string | null = null, isMethod = false): PyBuiltin {
        return this.atomic(new PyBuiltin(isMethod ? this.T.method_descriptor : this.T.builtin_function_or_method, name, impl, null, isMethod, ownerName));
    }

    // ------------------------------------------------------------------ exceptions

    excType(name: string): PyType {
        const t = this.T[name];
        if (!t) throw new Error(`internal: no exception type ${name}`);
        return t;
    }

    /** `type(*args)` for an exception class (new reference; `args` borrowed): see builtins/exceptions.ts. */
    newException(type: PyType, args: PyObject[]): PyException {
        return constructException(this, type, args, null);
    }

    /** `raise TypeError(msg)` from native code: returns the signal to throw. */
    error(typeName: string, message?: string): PyRaise {
        const args = message === undefined ? [] : [this.str(message)];
        const e = this.newException(this.excType(typeName), args);
        e.unnormalized = 'message';
        return new PyRaise(e);
    }

    isInstance(o: PyObject, t: PyType): boolean {
        return o.type === t || o.type.isSubtypeOf(t);
    }

    incref<T extends PyObject>(o: T): T {
        this.heap.incref(o);
        return o;
    }

    decref(o: PyObject | null): void {
        if (o) this.heap.decref(o);
    }

    newModule(name: string): PyModule {
        const d = this.dict();
        d.namespace = true;
        if (this.profile.moduleDictTrackedAtCreation) this.heap.track(d);
        const m = this.heap.register(new PyModule(this.T.module, name, d));
        this.heap.adopt(m, d, '__dict__');
        d.set(this.heap, this.str('__name__'), this.str(name));
        return m;
    }
}
