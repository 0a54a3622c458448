/*
 * lifetimes.ts
 *
 * For every object: type, label, allocation site, birth and death, fate, the reference whose
 * removal freed it or the collection that did, and the finalizer / weakref-callback / atexit /
 * resurrection events that concern it. Pure functions of the decoded log.
 */

import { DeathCause, eventString } from '../engine/events';
import { NEVER, phaseAt, isShutdownPhase, type Decoded, type ObjRec } from './decode';
import type { HeapIndex } from './graph';
import { fallbackLabel, type Labels } from './labels';
import type { CollectionReport, DeathInfo, EventRef, Fate, FinalizerRunReport, PhaseSpan } from './types';

export interface Lifetime {
    node: number;
    rec: ObjRec;
    label: string;
    owner: 'user' | 'interpreter';
    fate: Fate;
    phase: string | null;
    death: DeathInfo | null;
    finalizers: FinalizerRunReport[];
    events: EventRef[];
}

/** Shared empty list (never mutated) so that 10⁵ objects without events allocate nothing. */
const NONE: never[] = [];

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

export function timelineOf(d: Decoded): PhaseSpan[] {
    const st = d.log.step;
    const last = d.length ? st[d.length - 1] : 0;
    return d.phases.map((p) => ({
        phase: p.phase,
        startAt: p.start,
        endAt: p.end,
        startStep: st[p.start] ?? 0,
        endStep: p.end < d.length ? st[p.end] : last,
    }));
}

/** Objects the interpreter made for itself: start-up objects, modules and their dicts, sys.modules. */
export function interpreterOwned(d: Decoded, g: HeapIndex): Uint8Array {
    const nObj = d.objects.length;
    const out = new Uint8Array(nObj);
    for (let i = 0; i < nObj; i++) {
        const o = d.objects[i];
        if (o.alloc < d.runningStart || o.type === 'module' || o.id === d.sysModulesDict) out[i] = 1;
    }
    const E = d.edges;
    for (let e = 0; e < E.count; e++) {
        if (E.label[e] !== '__dict__') continue;
        const s = g.srcNode(e);
        const t = g.tgtNode(e);
        if (s >= 0 && t >= 0 && s < nObj && t < nObj && d.objects[s].type === 'module') out[t] = 1;
    }
    return out;
}

function pos(d: Decoded, at: number) {
    return { at, step: d.log.step[at], line: d.log.line[at], column: d.log.col[at] };
}

export function computeLifetimes(d: Decoded, g: HeapIndex, labels: Labels): Lifetime[] {
    const owned = interpreterOwned(d, g);
    const out: Lifetime[] = new Array(d.objects.length);
    for (let i = 0; i < d.objects.length; i++) {
        const o = d.objects[i];
        const finalizers: FinalizerRunReport[] = o.finalizers
            ? o.finalizers.map((f) => ({ ...pos(d, f.start), phase: phaseAt(d, f.start), collection: f.collection >= 0 ? f.collection : null, output: f.output }))
            : NONE;
        const hasEvents = o.weakrefCallbacks || o.atexitCalls || o.resurrections || o.uncollectable >= 0;
        const events: EventRef[] = hasEvents ? [] : NONE;
        for (const at of o.weakrefCallbacks ?? []) {
            const other = d.log.a[at] === o.id ? d.log.b[at] : d.log.a[at];
            events.push({ kind: 'weakref-callback', ...pos(d, at), phase: phaseAt(d, at), other });
        }
        for (const at of o.atexitCalls ?? []) events.push({ kind: 'atexit-call', ...pos(d, at), phase: phaseAt(d, at) });
        for (const at of o.resurrections ?? []) events.push({ kind: 'resurrect', ...pos(d, at), phase: phaseAt(d, at) });
        if (o.uncollectable >= 0) events.push({ kind: 'uncollectable', ...pos(d, o.uncollectable), phase: phaseAt(d, o.uncollectable) });
        if (hasEvents) events.sort((x, y) => x.at - y.at);

        let fate: Fate;
        let phase: string | null = null;
        let death: DeathInfo | null = null;
        if (o.death === NEVER) fate = 'survives-exit';
        else {
            phase = phaseAt(d, o.death);
            const gc = o.cause === DeathCause.GcClear;
            const coll = o.collection >= 0 ? d.collections[o.collection] : null;
            let lastReference: DeathInfo['lastReference'] = null;
            if (!gc && o.lastRef >= 0) {
                const from = d.log.a[o.lastRef];
                const fn = g.nodeOf(from);
                lastReference = {
                    from,
                    fromLabel: fn >= 0 ? labelOf(d, labels, fn) : String(from),
                    edge: eventString(d.log, o.lastRef) ?? '',
                    line: d.log.line[o.lastRef],
                    column: d.log.col[o.lastRef],
                    step: d.log.step[o.lastRef],
                };
            }
            const at = o.death;
            death = {
                at,
                step: d.log.step[at],
                line: d.log.line[at],
                column: d.log.col[at],
                cause: gc ? 'gc' : 'refcount',
                lastReference,
                collection: gc && coll ? coll.index : null,
                generation: gc && coll ? coll.generation : null,
                reason: gc && coll ? coll.reason : null,
            };
            if (isShutdownPhase(phase)) {
                // Finalized during this shutdown death: a finalizer run in a shutdown phase.
                const finAtShutdown = finalizers.some((f) => isShutdownPhase(f.phase));
                fate = finAtShutdown ? 'finalized-at-shutdown' : 'freed-at-shutdown';
            } else fate = gc ? 'collected' : 'freed';
        }
        out[i] = {
            node: i,
            rec: o,
            label: labelOf(d, labels, i),
            owner: owned[i] ? 'interpreter' : 'user',
            fate,
            phase,
            death,
            finalizers,
            events,
        };
    }
    return out;
}
