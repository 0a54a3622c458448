/*
 * moments.ts
 *
 * The moments a user steps through: the end of the program proper (the last event before
 * atexit: what the panel opens on) and then each shutdown phase, as the phase strip shows them,
 * with how many of the program's objects go in each. And the nearest moment that has objects,
 * for a step where nothing the program made is alive (the canvas is never left empty without
 * saying so and offering one). Pure: no DOM.
 */

import type { Report } from '../../src/report/types';
import { runEndAt } from '../../src/report/formats/heap';
import { phaseChip, phaseText } from '../../src/report/phaseNames';
import { NEVER, type HeapModel } from './heapModel';

export interface Moment {
    /** The phase (first of a merged run: `delete-special` … `restore-builtins` are one chip). */
    phase: string;
    /** The chip's text and its accessible description. */
    chip: string;
    title: string;
    /** The event shown (the last one of the phase); changes in (from, at] are highlighted. */
    at: number;
    from: number;
    /** Program objects freed in (from, at]. */
    freed: number;
}

/** The program's own objects (not its definitions, not the interpreter's), as a flag array. */
export function programObjects(model: HeapModel): Uint8Array {
    const out = new Uint8Array(model.nodes.length);
    for (let v = 0; v < model.nodes.length; v++) if (model.nodes[v].role === 'program') out[v] = 1;
    return out;
}

export function programEnd(report: Report): number {
    return runEndAt(report);
}

export function moments(report: Report, model: HeapModel): Moment[] {
    const end = programEnd(report);
    const mine = programObjects(model);
    const deaths: number[] = [];
    for (let v = 0; v < model.nodes.length; v++) if (mine[v] && model.nodes[v].diedAt !== NEVER) deaths.push(model.nodes[v].diedAt);
    deaths.sort((a, b) => a - b);
    const countIn = (from: number, at: number) => upper(deaths, at) - upper(deaths, from);
    const out: Moment[] = [{ phase: 'running', chip: phaseChip('running'), title: 'The last step of the program, before atexit and shutdown', at: end, from: -1, freed: 0 }];
    const last = Math.max(0, model.eventCount - 1);
    const phases = [...report.timeline].filter((p) => p.startAt > end && p.phase !== 'running').sort((a, b) => a.startAt - b.startAt);
    const atexitCalls = report.objects.some((o) => o.events.some((e) => e.kind === 'atexit-call'));
    // A phase that frees none of the program's objects is folded into the next chip (its changes
    // are shown with that chip's), except the moments a reader looks for: atexit handlers that
    // run, sys.exit()/os._exit(), and after exit.
    let from = end;
    for (let i = 0; i < phases.length; i++) {
        const p = phases[i];
        const at = Math.min(last, Math.max(p.startAt, p.endAt - 1));
        const keep = i === phases.length - 1 || countIn(from, at) > 0 || (p.phase === 'atexit' && atexitCalls) || p.phase === 'os-exit' || p.phase === 'system-exit';
        if (!keep) continue;
        const prev = out[out.length - 1];
        const chip = phaseChip(p.phase);
        if (prev.phase !== 'running' && prev.chip === chip) {
            prev.at = at;
            prev.freed = countIn(prev.from, at);
        } else out.push({ phase: p.phase, chip, title: phaseText(p.phase), at, from, freed: countIn(from, at) });
        from = at;
    }
    return out;
}

/** How many program objects are alive at each event (prefix sums of births and deaths). */
export function liveProgramCounts(model: HeapModel): Int32Array {
    const n = Math.max(1, model.eventCount);
    const delta = new Int32Array(n + 1);
    const mine = programObjects(model);
    for (let v = 0; v < model.nodes.length; v++) {
        if (!mine[v]) continue;
        const nd = model.nodes[v];
        if (nd.bornAt >= 0 && nd.bornAt < n) delta[nd.bornAt]++;
        if (nd.diedAt !== NEVER && nd.diedAt < n) delta[nd.diedAt]--;
    }
    const live = new Int32Array(n);
    let c = 0;
    for (let t = 0; t < n; t++) {
        c += delta[t];
        live[t] = c;
    }
    return live;
}

/** The event nearest t (earlier first at equal distance) where some program object is alive, or -1. */
export function nearestWithObjects(live: Int32Array, t: number): number {
    if (t >= 0 && t < live.length && live[t] > 0) return t;
    for (let d = 1; d < live.length; d++) {
        if (t - d >= 0 && t - d < live.length && live[t - d] > 0) return t - d;
        if (t + d < live.length && t + d >= 0 && live[t + d] > 0) return t + d;
    }
    return -1;
}

/** Where the panel opens: the end of the program; or, when nothing of the program is alive
 *  then, the moment just before the program's last objects started to go (after the last
 *  birth, before the first death that follows it: a cycle still whole before its collection). */
export function openingMoment(report: Report, model: HeapModel, live: Int32Array): number {
    const end = programEnd(report);
    if (end >= 0 && end < live.length && live[end] > 0) return end;
    const mine = programObjects(model);
    let lastBirth = -1;
    for (let v = 0; v < model.nodes.length; v++) if (mine[v] && model.nodes[v].bornAt <= end) lastBirth = Math.max(lastBirth, model.nodes[v].bornAt);
    if (lastBirth < 0) {
        const any = nearestWithObjects(live, end);
        return any >= 0 ? any : end;
    }
    let firstDeath = NEVER;
    for (let v = 0; v < model.nodes.length; v++) {
        const d = model.nodes[v].diedAt;
        if (mine[v] && d !== NEVER && d > lastBirth && d < firstDeath) firstDeath = d;
    }
    let t = firstDeath === NEVER ? lastBirth : firstDeath - 1;
    // inside a collection (it clears references before it frees): the moment before it starts
    const c = report.collections.find((x) => x.startAt <= t && t <= x.endAt);
    if (c && c.startAt - 1 >= lastBirth) t = c.startAt - 1;
    else {
        // a refcount death: back to before its last references were dropped (`del saved`)
        const dropped = new Uint8Array(Math.max(1, model.eventCount));
        const added = new Uint8Array(Math.max(1, model.eventCount));
        for (let e = 0; e < model.edgeCount; e++) {
            if (!mine[model.eTo[e]]) continue;
            if (model.eDel[e] !== NEVER && model.eDel[e] < dropped.length) dropped[model.eDel[e]] = 1;
            if (model.eAdd[e] < added.length) added[model.eAdd[e]] = 1;
        }
        while (t > lastBirth && dropped[t] && !added[t]) t--;
    }
    return live[t] > 0 ? t : lastBirth;
}

function upper(sorted: number[], t: number): number {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}
