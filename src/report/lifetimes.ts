/*
 * lifetimes.ts
 *
 * For every object: type, label, allocation site, birth and death, fate, the reference whose
 * removal freed it or the collection that did, and the finalizer / weakref-callback / atexit /
 * resurrection events that concern it. Pure functions of the decoded log.
 */

import { DeathCause, eventString } from '../engine/events';
import { NEVER, labelIndexOf, phaseAt, isShutdownPhase, type Decoded, type FinalizerRun, type RareFields } from './decode';
import type { HeapIndex } from './graph';
import { fallbackLabel, type Labels } from './labels';
import type { CollectionReport, DeathInfo, EventRef, Fate, FinalizerRunReport, ObjectReport, PhaseSpan } from './types';

/** The per-object record: the report's ObjectReport (index = node), built once and completed by buildReport. */
export type Lifetime = ObjectReport;

/**
 * Shared empty list (never mutated) so that 10⁵ objects without events allocate nothing. It has
 * object elements, like the lists it stands in for: code that reads both sees one array shape
 * (a second one costs a deoptimization of the loop over every object).
 */
const NONE: never[] = emptyObjectList();

function emptyObjectList(): never[] {
    const list: unknown[] = [null];
    list.pop();
    return list as never[];
}

/** Shutdown phases that come after every module's globals were wiped (and sys.stdout is gone). */
const LATE_PHASES = new Set(['wipe-sys-builtins', 'final-gc', 'interpreter-clear', 'interpreter-clear-gc', 'gc-fini', 'clear-sys-dict', 'after-exit']);

export function labelOf(d: Decoded, labels: Labels, node: number): string {
    return labels.byNode[node] ?? fallbackLabel(d, node);
}

export function collectionsOf(d: Decoded): CollectionReport[] {
    return d.collections.map((c) => ({
        index: c.index,
        generation: c.generation,
        reason: c.reason,
        phase: phaseAt(d, c.start),
        startAt: c.start,
        endAt: c.end,
        step: d.log.step[c.start],
        line: d.log.line[c.start],
        column: d.log.col[c.start],
        collected: c.collected,
        uncollectable: c.uncollectable,
    }));
}

export function timelineOf(d: Decoded, mainEndLine = 0): PhaseSpan[] {
    const st = d.log.step;
    const last = d.length ? st[d.length - 1] : 0;
    return d.phases.map((p) => ({
        phase: p.phase,
        startAt: p.start,
        endAt: p.end,
        startStep: st[p.start] ?? 0,
        endStep: p.end < d.length ? st[p.end] : last,
        ...(p.phase === 'running' && mainEndLine > 0 ? { endLine: mainEndLine } : {}),
    }));
}

/** Module dicts (a module's `__dict__`), by node: the interpreter made them, with their module. */
function moduleDicts(d: Decoded, g: HeapIndex): Uint8Array {
    const nObj = d.objects.length;
    const out = new Uint8Array(nObj);
    const E = d.edges;
    const DICT = labelIndexOf(E, '__dict__');
    for (let e = 0; e < E.count; e++) {
        if (E.labelIndex[e] !== DICT) continue;
        const s = g.srcNode(e);
        const t = g.tgtNode(e);
        if (s >= 0 && t >= 0 && s < nObj && t < nObj && d.objects.type(s) === 'module') out[t] = 1;
    }
    return out;
}

/**
 * Objects the interpreter made for itself: start-up objects, modules and their dicts, sys.modules,
 * what importing a modelled standard-library module allocated (its classes, functions, constants),
 * and what the interpreter allocates outside any line of the program (line 0: shutdown's own calls).
 */
function interpreterOwned(d: Decoded, node: number, moduleDict: boolean): boolean {
    const O = d.objects;
    const at = O.alloc[node];
    return moduleDict || at < d.runningStart || O.type(node) === 'module' || O.id[node] === d.sysModulesDict
        || d.log.line[at] === 0 || insideSpan(d.importSpans, at);
}

/** Whether event index `at` falls in one of the sorted [begin, end) pairs of `spans`. */
function insideSpan(spans: number[], at: number): boolean {
    let lo = 0;
    let hi = spans.length >> 1;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (spans[2 * mid + 1] <= at) lo = mid + 1;
        else hi = mid;
    }
    return lo < spans.length >> 1 && spans[2 * lo] <= at;
}

function finalizerRuns(d: Decoded, runs: FinalizerRun[]): FinalizerRunReport[] {
    const out: FinalizerRunReport[] = [];
    for (const f of runs) {
        const at = f.start;
        out.push({ at, kind: f.kind, step: d.log.step[at], line: d.log.line[at], column: d.log.col[at], phase: phaseAt(d, at), collection: f.collection >= 0 ? f.collection : null, output: f.output, ...(f.failed !== null ? { failed: f.failed } : {}) });
    }
    return out;
}

function eventRef(d: Decoded, kind: EventRef['kind'], at: number): EventRef {
    return { kind, at, step: d.log.step[at], line: d.log.line[at], column: d.log.col[at], phase: phaseAt(d, at) };
}

/** Weakref callbacks, atexit calls, resurrections and the uncollectable event, in log order. */
function eventsOf(d: Decoded, node: number, rare: RareFields | null): EventRef[] {
    const uncollectable = d.objects.uncollectable[node];
    if (!rare?.weakrefCallbacks && !rare?.atexitCalls && !rare?.resurrections && !rare?.revived && uncollectable < 0) return NONE;
    const events: EventRef[] = [];
    const id = d.objects.id[node];
    for (const at of rare?.weakrefCallbacks ?? []) {
        const e = eventRef(d, 'weakref-callback', at);
        e.other = d.log.a[at] === id ? d.log.b[at] : d.log.a[at];
        events.push(e);
    }
    for (const at of rare?.atexitCalls ?? []) events.push(eventRef(d, 'atexit-call', at));
    for (const at of rare?.resurrections ?? []) events.push(eventRef(d, 'resurrect', at));
    for (const at of rare?.revived ?? []) events.push(eventRef(d, 'revived', at));
    if (uncollectable >= 0) events.push(eventRef(d, 'uncollectable', uncollectable));
    events.sort((x, y) => x.at - y.at);
    return events;
}

/** The reference whose removal dropped a refcount death's count to zero, when recorded. */
function lastReferenceOf(d: Decoded, g: HeapIndex, labels: Labels, node: number): DeathInfo['lastReference'] {
    const lastRef = d.objects.lastRef[node];
    if (lastRef < 0) return null;
    const from = d.log.a[lastRef];
    const fn = g.nodeOf(from);
    return {
        from,
        fromLabel: fn >= 0 ? labelOf(d, labels, fn) : String(from),
        edge: eventString(d.log, lastRef) ?? '',
        line: d.log.line[lastRef],
        column: d.log.col[lastRef],
        step: d.log.step[lastRef],
    };
}

/** The thread that made the object, when not the main thread (issue 16: each object's thread). */
function threadOf(d: Decoded, node: number): { thread?: string } {
    const t = d.threads.allocated.get(node);
    return t === undefined ? {} : { thread: d.threads.names[t] };
}

function deathOf(d: Decoded, g: HeapIndex, labels: Labels, node: number): DeathInfo {
    const O = d.objects;
    const gc = O.cause[node] === DeathCause.GcClear;
    const coll = gc && O.collection[node] >= 0 ? d.collections[O.collection[node]] : null;
    const at = O.death[node];
    return {
        at,
        step: d.log.step[at],
        line: d.log.line[at],
        column: d.log.col[at],
        cause: gc ? 'gc' : 'refcount',
        ...(d.threads.freed.has(node) ? { thread: d.threads.names[d.threads.freed.get(node)!] } : {}),
        lastReference: gc ? null : lastReferenceOf(d, g, labels, node),
        collection: coll ? coll.index : null,
        generation: coll ? coll.generation : null,
        reason: coll ? coll.reason : null,
    };
}

function ranDuringShutdown(finalizers: FinalizerRunReport[]): boolean {
    for (const f of finalizers) if (isShutdownPhase(f.phase)) return true;
    return false;
}

/** The fate of an object that died in `phase`; a shutdown death is "finalized" when a finalizer ran during shutdown. */
function fateOf(phase: string, cause: DeathInfo['cause'], finalizedAtShutdown: boolean): Fate {
    if (!isShutdownPhase(phase)) return cause === 'gc' ? 'collected' : 'freed';
    return finalizedAtShutdown ? 'finalized-at-shutdown' : 'freed-at-shutdown';
}

/**
 * Every object's record, index = node. The fields that need the survivor analysis or a chain
 * (survivorReason, unreachableSince/Line, chain, chainInfo, explanation) are left empty here and
 * filled in by buildReport: one object per Python object, in its final shape from the start.
 */
export function computeLifetimes(d: Decoded, g: HeapIndex, labels: Labels): Lifetime[] {
    const dicts = moduleDicts(d, g);
    const O = d.objects;
    const n = O.length;
    const { line, col, step } = d.log;
    const out: Lifetime[] = new Array(n);
    for (let i = 0; i < n; i++) {
        const rare = O.rare(i);
        const alloc = O.alloc[i];
        const finalizers = rare?.finalizers ? finalizerRuns(d, rare.finalizers) : NONE;
        // Asked of every object with a finalizer, not only of shutdown deaths (rare, and late in the loop).
        const finalizedAtShutdown = finalizers.length > 0 && ranDuringShutdown(finalizers);
        let fate: Fate = 'survives-exit';
        let phase: string | null = null;
        let death: DeathInfo | null = null;
        if (O.death[i] !== NEVER) {
            phase = phaseAt(d, O.death[i]);
            death = deathOf(d, g, labels, i);
            fate = fateOf(phase, death.cause, finalizedAtShutdown);
        }
        const survives = fate === 'survives-exit';
        out[i] = {
            id: O.id[i],
            type: O.type(i),
            typeId: O.typeId[i],
            label: labelOf(d, labels, i),
            owner: interpreterOwned(d, i, dicts[i] === 1) ? 'interpreter' : 'user',
            allocLine: line[alloc],
            allocColumn: col[alloc],
            allocStep: step[alloc],
            allocAt: alloc,
            fate,
            survivesExit: survives,
            // Decided by when its __del__ ran, if it has one (audit #34: a finalizer run in an intact
            // world, then a late free after a resurrection, is no lost cleanup).
            outlivesProgram: survives || (finalizers.length ? LATE_PHASES.has(finalizers[0].phase) : phase !== null && LATE_PHASES.has(phase)),
            phase,
            death,
            finalizers,
            events: eventsOf(d, i, rare),
            ...threadOf(d, i),
            survivorReason: null,
            unreachableSince: null,
            unreachableLine: null,
            chain: null,
            chainInfo: null,
            explanation: '',
        };
    }
    return out;
}
