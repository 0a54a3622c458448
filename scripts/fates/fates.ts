/*
 * fates.ts
 *
 * The fate recording (scripts/record-cpython.mjs, probe.py) and its check
 * (test/conformance/fates.test.ts): when each object a scenario creates dies in real CPython —
 * which statement, which collection, which shutdown step — or that it never does, compared with
 * the simulation's fate, phase and death for the same object.
 *
 *   instrument(source)       the scenario with a probe after every simple statement (probe.py);
 *   parseProbeOutput(...)    the probe's stderr → { object key → fate } at CPython's granularity;
 *   engineFates(report)      the same map from the engine's report.
 *
 * An object is keyed `LINE:TYPE#K`: its allocation line (tracemalloc; on 2.7 the probe's best
 * knowledge, see probe.py), its type's name, and K, its rank among the objects of that line and
 * type in the order they were first seen. A fate is one of:
 *   `running L`, `running L gcG`  freed while the program runs, at line L (the innermost line of
 *                                 the scenario executing then), by a collection of generation G;
 *   `exit`, `exit gc`             after the program's end, before teardown (SystemExit disposal,
 *                                 atexit handlers and their arguments);
 *   a shutdown step (FATE_PHASES) or `never`.
 * Steps CPython does not mark are merged (remove-modules holds restore-builtins; after-last-gc
 * holds _PyGC_Fini and the final PyDict_Clear of sys and builtins).
 */

import type * as ast from '../../src/engine/parser/ast';
import { parse } from '../../src/engine/parser/parser';
import { EventKind, type EventLogData } from '../../src/engine/events';
import type { ObjectReport, Report } from '../../src/report/types';

export const PROBE_CONST = "'@@fp'";

/** Shutdown steps CPython's `-v` markers and gc DEBUG_STATS lines tell apart, in order. */
export const FATE_PHASES = [
    'exit',
    'pre-teardown-gc',
    'delete-special',
    'remove-modules',
    'teardown-gc',
    'wipe-modules',
    'wipe-sys-builtins',
    'final-gc',
    'interpreter-clear',
    'interpreter-clear-gc',
    'after-last-gc',
] as const;

/** The engine's phases as CPython can observe them. */
const PHASE_CLASS: Record<string, string> = {
    running: 'running',
    'system-exit': 'exit',
    // threading._shutdown, after __main__ and before the atexit handlers: no marker tells it apart.
    'wait-for-threads': 'exit',
    atexit: 'exit',
    // _PyThreadState_DeleteExcept, right after the atexit handlers: no marker tells it apart.
    'daemon-freeze': 'exit',
    'pre-teardown-gc': 'pre-teardown-gc',
    'delete-special': 'delete-special',
    'remove-modules': 'remove-modules',
    'restore-builtins': 'remove-modules',
    'teardown-gc': 'teardown-gc',
    'wipe-modules': 'wipe-modules',
    'wipe-sys-builtins': 'wipe-sys-builtins',
    'final-gc': 'final-gc',
    'interpreter-clear': 'interpreter-clear',
    'interpreter-clear-gc': 'interpreter-clear-gc',
    'gc-fini': 'after-last-gc',
    'clear-sys-dict': 'after-last-gc',
    'after-exit': 'after-last-gc',
};

const SIMPLE = new Set(['Expr', 'Assign', 'AugAssign', 'AnnAssign', 'Delete', 'Pass', 'Import', 'ImportFrom', 'Global', 'Nonlocal', 'Assert', 'Break', 'Continue', 'Return', 'Raise']);

interface Edit {
    line: number;
    col: number;
    text: string;
    /** At one position, lower first: applied from the end, the first applied ends up last. */
    order: number;
}

/**
 * The scenario with `; '@@fp'.p(LINE)` after every simple statement and the values of `return`
 * and `raise` wrapped in `'@@fp'.r((VALUE), LINE)`, positions unchanged (probe.py swaps the
 * constant for the probe). null when the engine cannot parse the scenario.
 */
export function instrument(source: string): string | null {
    const parsed = parse(source);
    if (parsed.diagnostics.some((d) => d.category === 'syntax')) return null;
    const edits: Edit[] = [];
    const visitBody = (body: ast.Stmt[]): void => {
        for (const s of body) visitStmt(s);
    };
    const wrap = (e: ast.Expr, line: number): void => {
        edits.push({ line: e.line, col: e.col, text: `${PROBE_CONST}.r((`, order: 1 });
        edits.push({ line: e.endLine, col: e.endCol, text: `), ${line})`, order: 1 });
    };
    const visitStmt = (s: ast.Stmt): void => {
        if (SIMPLE.has(s.kind)) {
            // A probe after a future import would make the next one illegal.
            if (s.kind === 'ImportFrom' && s.module === '__future__') return;
            if (s.kind === 'Return' && s.value) wrap(s.value, s.line);
            if (s.kind === 'Raise' && s.exc) wrap(s.exc, s.line);
            edits.push({ line: s.endLine, col: s.endCol, text: `; ${PROBE_CONST}.p(${s.line})`, order: 0 });
            return;
        }
        const n = s as unknown as Record<string, unknown>;
        for (const key of ['body', 'orelse', 'finalbody']) if (Array.isArray(n[key])) visitBody(n[key] as ast.Stmt[]);
        if (Array.isArray(n.handlers)) for (const h of n.handlers as ast.ExceptHandler[]) visitBody(h.body);
    };
    visitBody(parsed.module.body);
    const lines = source.split('\n');
    edits.sort((a, b) => b.line - a.line || b.col - a.col || a.order - b.order);
    for (const e of edits) {
        const l = lines[e.line - 1];
        lines[e.line - 1] = l.slice(0, e.col - 1) + e.text + l.slice(e.col - 1);
    }
    return lines.join('\n');
}

export interface RecordedFates {
    /** object key → fate */
    objects: Record<string, string>;
}

interface Seen {
    type: string;
    line: number;
    fate: string;
}

/** CPython's markers of the shutdown steps (`python -v`), per major version. */
function markerPhase(line: string, major: number, current: string): string | null {
    if (major === 2) {
        if (/^# clear |^# restore /.test(line)) return current === 'exit' || current === 'pre-teardown-gc' ? 'delete-special' : null;
        if (line === '# cleanup __main__') return 'wipe-modules';
        if (line === '# cleanup sys' || line === '# cleanup __builtin__') return 'wipe-sys-builtins';
        return null;
    }
    if (/^# clear |^# restore /.test(line)) return current === 'exit' || current === 'pre-teardown-gc' ? 'delete-special' : null;
    if (line.startsWith('# cleanup[2] removing ')) return 'remove-modules';
    const wipe = /^# cleanup\[3\] wiping (\S+)/.exec(line);
    if (wipe) return wipe[1] === 'sys' || wipe[1] === 'builtins' ? 'wipe-sys-builtins' : current === 'wipe-sys-builtins' ? null : 'wipe-modules';
    return null;
}

/**
 * The probe's stderr (with `-v` and DEBUG_STATS lines) → each object's fate. `minor` tells
 * which collections 3.x has after the sys wipe (3.10+: one more in interpreter_clear).
 */
export function parseProbeOutput(stderr: string, major: number, minor: number): RecordedFates {
    const objs = new Map<number, Seen>();
    let phase = 'running';
    let inGc = -1;
    /** Shutdown collections seen since the sys/builtins wipe. */
    let lateGcs = 0;
    for (const raw of stderr.split('\n')) {
        const line = raw.replace(/\r$/, '');
        let m: RegExpExecArray | null;
        if ((m = /^@@new (\d+) (\S+) (-?\d+) (\d+)/.exec(line))) {
            objs.set(Number(m[1]), { type: m[2], line: Number(m[3]), fate: 'never' });
        } else if ((m = /^@@die (-?\d+) (\d+) (\d)/.exec(line))) {
            const o = objs.get(Number(m[1]));
            if (!o || o.fate !== 'never') continue;
            const at = Number(m[2]);
            if (phase === 'running') o.fate = inGc >= 0 ? `running ${at} gc${inGc}` : `running ${at}`;
            else if (phase === 'exit') o.fate = inGc >= 0 ? (at === 0 ? 'pre-teardown-gc' : 'exit gc') : 'exit';
            else if (inGc >= 0 && phase === 'remove-modules') o.fate = 'teardown-gc';
            else if (inGc >= 0 && phase === 'wipe-sys-builtins') o.fate = lateGcs === 1 ? 'final-gc' : 'interpreter-clear-gc';
            // 3.10+: the collection interpreter_clear runs (its `gc: collecting` came after final-gc's `gc: done`).
            else if (inGc >= 0 && phase === 'interpreter-clear') o.fate = 'interpreter-clear-gc';
            else o.fate = phase;
        } else if (line === '@@mainend') {
            phase = 'exit';
        } else if ((m = /^gc: collecting generation (\d)/.exec(line))) {
            inGc = Number(m[1]);
            if (phase === 'wipe-sys-builtins' || phase === 'after-last-gc' || phase === 'interpreter-clear') lateGcs++;
        } else if (line.startsWith('gc: done')) {
            inGc = -1;
            if (lateGcs > 0) phase = major === 3 && minor >= 10 && lateGcs === 1 ? 'interpreter-clear' : 'after-last-gc';
        } else if (phase !== 'running' && line.startsWith('# ')) {
            const p = markerPhase(line, major, phase);
            if (p && lateGcs === 0) phase = p;
        }
    }
    return { objects: keyed([...objs.values()].map((o) => ({ key: `${o.line}:${o.type}`, fate: o.fate }))) };
}

/** `LINE:TYPE` → `LINE:TYPE#K` in first-seen order. */
function keyed(items: { key: string; fate: string }[]): Record<string, string> {
    const count = new Map<string, number>();
    const out: Record<string, string> = {};
    for (const it of items) {
        const k = count.get(it.key) ?? 0;
        count.set(it.key, k + 1);
        out[`${it.key}#${k}`] = it.fate;
    }
    return out;
}

/**
 * For each event of the log, the line the probe's callback would report for it: the line of the
 * innermost frame still on CPython's stack. The engine positions what a returning frame releases
 * (its locals, its stack) at the callee's last line; CPython has popped that frame by then, so
 * the innermost frame is the caller, at the line of the call. A frame's line moves only when one
 * of its own statements starts (a new step while it is innermost).
 */
export function cpythonLines(log: EventLogData): Int32Array {
    const n = log.kind.length;
    const genFrames = new Set<number>();
    const out = new Int32Array(n);
    const stack: { node: number; line: number; lastStep: number }[] = [{ node: -1, line: 0, lastStep: -1 }];
    for (let i = 0; i < n; i++) {
        let kind = log.kind[i];
        const step = log.step[i];
        let top = stack[stack.length - 1];
        // A generator's frame is on the stack while it runs (GenResume … GenSuspend), not from
        // its creation (FrameEnter, b 1) to its clearing (FrameExit).
        if (kind === EventKind.GenResume) {
            // It resumes at the line where it stopped (b).
            if (step > top.lastStep) top.line = log.line[i];
            stack.push({ node: log.a[i], line: log.b[i] || log.line[i], lastStep: step });
            out[i] = log.line[i];
            continue;
        }
        if (kind === EventKind.GenSuspend) kind = EventKind.FrameExit;
        else if ((kind === EventKind.FrameEnter && log.b[i] === 1) || (kind === EventKind.FrameExit && genFrames.has(log.a[i]))) {
            if (kind === EventKind.FrameEnter) genFrames.add(log.a[i]);
            out[i] = top.line;
            continue;
        }
        if (kind === EventKind.FrameEnter) {
            if (log.a[i] === stack[0].node || (stack.length === 1 && log.sIdx[i] >= 0 && log.strings[log.sIdx[i]] === '<module>')) {
                stack[0].node = log.a[i];
            } else {
                if (step > top.lastStep) top.line = log.line[i];
                stack.push({ node: log.a[i], line: log.line[i], lastStep: step });
            }
            out[i] = log.line[i];
            continue;
        }
        if (kind === EventKind.FrameExit) {
            let k = stack.length - 1;
            while (k > 0 && stack[k].node !== log.a[i]) k--;
            if (k > 0) {
                stack.length = k;
                // What the frame releases now is released at the caller's line.
                stack[k - 1].lastStep = Math.max(stack[k - 1].lastStep, step);
            }
            top = stack[stack.length - 1];
            out[i] = top.line;
            continue;
        }
        if (step > top.lastStep) {
            top.lastStep = step;
            top.line = log.line[i];
        }
        out[i] = top.line;
    }
    return out;
}

/** The fate CPython's probe would report for an engine object. */
export function engineFate(o: ObjectReport, report: Report, clearsWeakrefsBeforeDel = false, lineAt?: Int32Array): string {
    const at = (index: number, fallback: number): number => (lineAt && index >= 0 && index < lineAt.length ? lineAt[index] : fallback);
    if (o.phase === 'os-exit') return 'never';
    // 2.7's subtype_dealloc clears weakrefs (calling their callbacks) before __del__, which may
    // resurrect: the callback reports the first attempt.
    const firstAttempt = clearsWeakrefsBeforeDel ? o.events.find((e) => e.kind === 'resurrect' && !report.collections.some((c) => c.startAt <= e.at && e.at <= c.endAt)) : undefined;
    if (firstAttempt && (!o.death || firstAttempt.at < o.death.at)) {
        const cls = PHASE_CLASS[firstAttempt.phase] ?? firstAttempt.phase;
        return cls === 'running' ? `running ${at(firstAttempt.at, firstAttempt.line)}` : cls;
    }
    // A weakref callback fires when the collector first finds the object garbage, even if a
    // finalizer then makes it reachable again (handle_weakrefs runs before finalize_garbage).
    const resurrectedInGc = o.events.find((e) => (e.kind === 'revived' || e.kind === 'resurrect') && report.collections.some((c) => c.startAt <= e.at && e.at <= c.endAt));
    if (!o.death && !resurrectedInGc) return 'never';
    let gc: number | null = o.death?.cause === 'gc' ? o.death.generation : null;
    // A collection's victims die where it started (the line that triggered it).
    let line = o.death?.collection != null ? collectionLine(report, o.death.collection, at) : o.death ? at(o.death.at, o.death.line) : 0;
    // What a reference count frees while a collection runs (a finalizer's frame, what tp_clear
    // drops) dies between its `gc: collecting` and `gc: done` markers: the probe reports it as that collection's.
    if (o.death && gc === null) {
        const during = report.collections.findIndex((c) => c.startAt <= o.death!.at && o.death!.at <= c.endAt);
        if (during >= 0) {
            gc = report.collections[during].generation;
            line = collectionLine(report, during, at);
        }
    }
    let phase = o.phase ?? 'running';
    if (resurrectedInGc && (!o.death || resurrectedInGc.at < o.death.at)) {
        const c = report.collections.find((x) => x.startAt <= resurrectedInGc.at && resurrectedInGc.at <= x.endAt)!;
        gc = c.generation;
        line = collectionLine(report, report.collections.indexOf(c), at);
        phase = c.phase;
    }
    const cls = PHASE_CLASS[phase] ?? phase;
    if (cls === 'running') return gc !== null ? `running ${line} gc${gc}` : `running ${line}`;
    if (cls === 'exit') return gc !== null ? 'exit gc' : 'exit';
    return cls;
}

function collectionLine(report: Report, index: number, at: (index: number, fallback: number) => number): number {
    const c = report.collections[index];
    return at(c.startAt, c.line);
}

/** How the engine's objects are keyed like the probe keys them on a version. */
export interface EngineKeying {
    /** The type's name as `type(o).__name__` prints it (2.7: `instancemethod`). */
    typeName: (engineType: string) => string;
    /**
     * 2.7 (no tracemalloc): the probe sees an object made while a compound statement's header runs
     * (a def's defaults, a for's iterable) only at the end of the next statement; `nextLine`
     * gives that statement's line for an allocation step. Classes have no line (-1).
     */
    lineOf27?: Keying27;
    /** cpythonLines of the run's log: the line CPython's stack shows at each event. */
    lineAt?: Int32Array;
    /** valueProbeLines of the scenario: with it, objects no probe could see are left out. */
    valueProbes?: Set<number>;
    /** The run's log and where its probes run: with them, what a probe sees again is keyed too. */
    seen?: { log: EventLogData; probes: ProbeFinder };
}

/** Whether CPython's probe can see an engine object: a weakref-able type, alive at a statement's end. */
const NOT_WEAKREFABLE = new Set(['list', 'dict', 'tuple', 'str', 'int', 'float', 'bytes', 'bool', 'NoneType', 'cell', 'frame', 'traceback', 'code', 'weakref', 'weakproxy', 'ReferenceType', 'ProxyType', 'property', 'staticmethod', 'classmethod', 'slice', 'range', 'list_iterator', 'tuple_iterator', 'dict_keys', 'dict_values', 'dict_items', 'module', 'native']);

/** The engine's fates under the recording's keys (user objects CPython's probe could see). */
export function engineFates(report: Report, keying: EngineKeying): Record<string, string> {
    const items: { key: string; fate: string }[] = [];
    for (const o of report.objects) {
        if (o.owner !== 'user' || NOT_WEAKREFABLE.has(o.type)) continue;
        // The probe runs when a simple statement ends, and on a `return`/`raise` value: what is
        // made and freed within one other statement (a built-in's bound method called at once, a C
        // __enter__ special_lookup bound) is never seen.
        if (keying.valueProbes && o.death && o.death.step === o.allocStep && o.phase === 'running' && !keying.valueProbes.has(o.allocLine)) continue;
        let line = o.allocLine;
        const l27 = keying.lineOf27;
        if (l27) {
            if (o.type === 'type' || o.type === 'classobj') line = -1;
            else if (o.type === 'function') line = l27.decoratedDefs.get(line) ?? line;
            else line = l27.probeLine(o.allocAt) ?? line;
        }
        items.push({ key: `${line}:${keying.typeName(o.type)}`, fate: engineFate(o, report, !!keying.lineOf27, keying.lineAt) });
        const again = keying.seen ? seenAgainWhileClosed(o, keying.seen, !!l27) : null;
        if (again !== null) items.push({ key: `${l27 ? again : o.allocLine}:${keying.typeName(o.type)}`, fate: 'never' });
        const inGc = keying.seen && !l27 ? seenAgainInCollection(o, report, keying.seen) : false;
        if (inGc) items.push({ key: `${o.allocLine}:${keying.typeName(o.type)}`, fate: items[items.length - 1].fate });
    }
    return keyed(items);
}

/**
 * A suspended generator closed at its last reference: gen_dealloc clears its weak references
 * before _PyGen_Finalize, so a probe that runs in its finally blocks (or with exits) sees it again
 * as a new object, and the weak reference made then is never cleared (gen_dealloc frees it
 * without another PyObject_ClearWeakRefs): CPython records that one as never freed. The line of
 * that probe, or null. (2.7 closes a generator the collector frees in gen_dealloc as well; 3.x
 * finalizes it before freeing it: seenAgainInCollection.)
 */
function seenAgainWhileClosed(o: ObjectReport, seen: { log: EventLogData; probes: ProbeFinder }, py2: boolean): number | null {
    if (o.type !== 'generator' || (o.death?.cause !== 'refcount' && !(py2 && o.death))) return null;
    const { log, probes } = seen;
    for (const f of o.finalizers) {
        if (f.kind !== 'gen_close' || (f.collection !== null && !py2)) continue;
        let end = f.at + 1;
        while (end < log.kind.length && !(log.kind[end] === EventKind.FinalizerEnd && log.a[end] === o.id)) end++;
        const p = probes.first(f.at);
        if (p && p.at < end) return p.line;
    }
    return null;
}

/**
 * An object a probe watched before a collection that finds it garbage, whose `__del__` then runs
 * from its deallocation (another finalizer of that collection, a generator's close, dropped its
 * last reference before finalize_garbage reached it): handle_weakrefs cleared its weak references
 * (the callback reported its death there), and subtype_dealloc tracks it in generation 0 again
 * while its `__del__` runs, so a probe in that `__del__` sees it as a new object, whose weak
 * reference reports it dying when the dealloc completes. (A finalizer finalize_garbage calls runs
 * on an object kept in the collector's own list, which no probe scans.)
 */
function seenAgainInCollection(o: ObjectReport, report: Report, seen: { log: EventLogData; probes: ProbeFinder }): boolean {
    const f = o.finalizers.find((x) => x.kind === '__del__' && x.collection !== null);
    if (!f || !o.death) return false;
    const c = report.collections[f.collection!];
    if (o.allocAt >= c.startAt) return false;
    const { log, probes } = seen;
    const before = probes.first(o.allocAt, o.id);
    if (!before || before.at >= c.startAt) return false;
    // Nested in another finalizer's run: called from the dealloc that finalizer's releases caused.
    let open = 0;
    for (let i = c.startAt; i < f.at; i++) {
        if (log.kind[i] === EventKind.FinalizerStart) open++;
        else if (log.kind[i] === EventKind.FinalizerEnd) open--;
    }
    if (open <= 0) return false;
    let end = f.at + 1;
    while (end < log.kind.length && !(log.kind[end] === EventKind.FinalizerEnd && log.a[end] === o.id)) end++;
    const p = probes.first(f.at);
    return p !== null && p.at < end;
}

/** How 2.7's probe keys what it sees (no tracemalloc): see keying27. */
export interface Keying27 {
    decoratedDefs: Map<number, number>;
    /** The line 2.7's probe keys an object made at this event by; null when no probe sees it. */
    probeLine: (allocAt: number) => number | null;
}

/**
 * 2.7's probe keys an object by the line of the probe that first sees it (alloc_line_27 in
 * probe.py): the first simple statement to end after the object was made — the statement that
 * made it, a compound header's next statement, or one in a function that statement calls (its
 * `__str__`, an operator method) — except in an `__init__` called on it, where the probe takes
 * the caller's line (`return`/`raise` probes, one frame deeper, do not).
 */
export function keying27(source: string, log: EventLogData, probes = probeFinder(source, log)): Keying27 {
    const { decoratedDefs } = compoundHeaderLines(source);
    return { decoratedDefs, probeLine: (allocAt) => probes.first(allocAt, log.a[allocAt])?.line ?? null };
}

/** Where the fate probe runs next after an event (see probeFinder). */
export interface ProbeFinder {
    /**
     * The first probe after event `from`: its line as 2.7's probe keys what it first sees there,
     * and the event where its statement ended; null when none runs, or when `objId` dies first.
     */
    first: (from: number, objId?: number) => { line: number; at: number } | null;
}

/**
 * The probe runs when a simple statement ends (and on a `return`/`raise` value). Followed through
 * the log: a statement has ended when the next one starts in the same frame or its frame returns.
 */
export function probeFinder(source: string, log: EventLogData): ProbeFinder {
    const { step, line, kind } = log;
    const lineAt = cpythonLines(log);
    const genFrames = new Set<number>();
    for (let i = 0; i < kind.length; i++) if (kind[i] === EventKind.FrameEnter && log.b[i] === 1) genFrames.add(log.a[i]);
    const { compoundHeaders } = compoundHeaderLines(source);
    const valueLines = valueProbeLines(source);
    /** The object a frame entered at event `i` binds to its local `self` (the RefAdds that follow its FrameEnter), or -1. */
    const selfOf = (i: number): number => {
        for (let j = i + 1; j < kind.length && kind[j] === EventKind.RefAdd && log.a[j] === log.a[i]; j++) {
            if (log.sIdx[j] >= 0 && log.strings[log.sIdx[j]] === 'self') return log.b[j];
        }
        return -1;
    };
    const first = (from: number, objId = -1): { line: number; at: number } | null => {
        // The frames on the stack since then: each one's statement running (0: none yet) and the
        // line it calls from (f_lineno: a line of a statement written over several).
        const frames = [{ name: '', line: lineAt[from], callLine: line[from], called: false, self: -1 }];
        /** The line keyed when the innermost frame's statement ends, or null when no probe runs there. */
        const ended = (): number | null => {
            const top = frames[frames.length - 1];
            if (!top.line || compoundHeaders.has(top.line)) return null;
            // (probe.py alloc_line_27: only the instance an `__init__` runs on takes the caller's line.)
            if (top.called && top.name.endsWith('__init__') && top.self === objId && !valueLines.has(top.line) && frames.length > 1) return frames[frames.length - 2].callLine;
            return top.line;
        };
        let cur = step[from];
        for (let i = from + 1; i < step.length; i++) {
            const k = kind[i];
            if (step[i] !== cur) {
                // A statement starts in the innermost frame: the one it ran before has ended.
                cur = step[i];
                const at = ended();
                if (at !== null) return { line: at, at: i };
                frames[frames.length - 1].line = line[i];
            }
            // (A generator's frame is on the stack while it runs: see cpythonLines.)
            if ((k === EventKind.FrameEnter && log.b[i] === 1) || (k === EventKind.FrameExit && genFrames.has(log.a[i]))) continue;
            if (k === EventKind.FrameEnter || k === EventKind.GenResume) {
                frames[frames.length - 1].callLine = line[i];
                frames.push({ name: k === EventKind.FrameEnter && log.sIdx[i] >= 0 ? log.strings[log.sIdx[i]] : '', line: 0, callLine: 0, called: true, self: k === EventKind.FrameEnter ? selfOf(i) : -1 });
                continue;
            }
            if (k === EventKind.FrameExit || k === EventKind.GenSuspend) {
                const at = ended();
                if (at !== null) return { line: at, at: i };
                frames.pop();
                if (!frames.length) return null;
                continue;
            }
            if (k === EventKind.Dealloc && log.a[i] === objId) return null;
        }
        return null;
    };
    return { first };
}

/**
 * Lines holding a compound statement's header (def, class, for, while, if, with, try…), and for
 * each decorated def its first decorator's line (2.7's co_firstlineno, the probe's line for it).
 */
export function compoundHeaderLines(source: string): { compoundHeaders: Set<number>; decoratedDefs: Map<number, number> } {
    const out = new Set<number>();
    const decoratedDefs = new Map<number, number>();
    walkStatements(source, (s) => {
        if (SIMPLE.has(s.kind)) return;
        out.add(s.line);
        if (s.kind === 'FunctionDef' || s.kind === 'ClassDef') for (const d of s.decorators) out.add(d.line);
        if (s.kind === 'FunctionDef' && s.decorators.length) decoratedDefs.set(s.line, Math.min(...s.decorators.map((d) => d.line)));
    });
    return { compoundHeaders: out, decoratedDefs };
}

/** Lines of the `return X` / `raise X` statements, whose value the probe sees (instrument wraps it). */
export function valueProbeLines(source: string): Set<number> {
    const out = new Set<number>();
    walkStatements(source, (s) => {
        if ((s.kind === 'Return' && s.value) || (s.kind === 'Raise' && s.exc)) out.add(s.line);
    });
    return out;
}

function walkStatements(source: string, fn: (s: ast.Stmt) => void): void {
    const visit = (body: ast.Stmt[]): void => {
        for (const s of body) {
            fn(s);
            if (SIMPLE.has(s.kind)) continue;
            const n = s as unknown as Record<string, unknown>;
            for (const key of ['body', 'orelse', 'finalbody']) if (Array.isArray(n[key])) visit(n[key] as ast.Stmt[]);
            if (Array.isArray(n.handlers)) for (const h of n.handlers as ast.ExceptHandler[]) visit(h.body);
        }
    };
    visit(parse(source).module.body);
}
