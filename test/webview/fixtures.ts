// Shared by the webview unit tests: reports built from scenarios at test time, and tiny
// hand-made reports with exactly known heaps.
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import type { HeapGraph, ObjectReport, Report } from '../../src/report/types';

export function reportOf(source: string, file = 'test.pyscn'): Report {
    return buildReport(source, simulate(source, { fileName: file }), { file });
}

export interface MiniNode {
    id: number;
    type: string;
    label?: string;
    born: number;
    died?: number | null;
    survives?: boolean;
    user?: boolean;
    frame?: boolean;
    /** Allocation line (default: the id, so every object is its own allocation site). */
    line?: number;
}

/** A report with just a heap graph: nodes and edges [from, to, label, added, removed(-1)]. */
export function miniReport(nodes: MiniNode[], edges: [number, number, string, number, number][], eventCount: number): Report {
    const labels: string[] = [];
    const li = (s: string) => {
        let i = labels.indexOf(s);
        if (i < 0) i = labels.push(s) - 1;
        return i;
    };
    const graph: HeapGraph = {
        nodes: nodes.map((n) => ({ id: n.id, kind: n.frame ? 'frame' : 'object', type: n.type, label: n.label ?? `${n.type}#${n.id}`, bornAt: n.born, diedAt: n.died ?? null })),
        edges: { from: [], to: [], label: [], addedAt: [], removedAt: [], line: [], column: [] },
        labels,
        eventCount,
    };
    for (const [f, t, l, a, r] of edges) {
        graph.edges.from.push(f);
        graph.edges.to.push(t);
        graph.edges.label.push(li(l));
        graph.edges.addedAt.push(a);
        graph.edges.removedAt.push(r);
        graph.edges.line.push(1);
        graph.edges.column.push(1);
    }
    const objects: ObjectReport[] = nodes
        .filter((n) => n.user !== false && !n.frame && n.type !== 'module')
        .map((n) => ({
            id: n.id,
            type: n.type,
            typeId: 1,
            label: n.label ?? `${n.type}#${n.id}`,
            owner: 'user',
            allocLine: n.line ?? n.id,
            allocColumn: 1,
            allocStep: n.born,
            allocAt: n.born,
            fate: n.survives ? 'survives-exit' : 'freed',
            survivesExit: !!n.survives,
            phase: n.survives ? null : 'running',
            death: n.died != null ? { at: n.died, step: n.died, line: 3, column: 1, cause: 'refcount', lastReference: null, collection: null, generation: null, reason: null } : null,
            finalizers: [],
            events: [],
            survivorReason: n.survives ? 'held-by-module' : null,
            unreachableSince: null,
            unreachableLine: null,
            chain: null,
            chainInfo: null,
            explanation: '',
            outlivesProgram: false,
        }) as unknown as ObjectReport);
    return {
        schemaVersion: 1,
        caveats: [],
        file: 'mini.pyscn',
        profile: '3.13',
        stdout: '',
        stderr: '',
        exitCode: 0,
        errors: [],
        summary: { created: 0, freed: 0, collected: 0, finalizedAtShutdown: 0, freedAtShutdown: 0, surviving: 0, finalizersRun: 0, collections: 0, findings: { error: 0, warning: 0, note: 0 }, expectations: { ok: 0, failed: 0 }, events: eventCount, steps: eventCount },
        timeline: [{ phase: 'running', startAt: 0, endAt: eventCount, startStep: 0, endStep: eventCount }],
        collections: [],
        objects,
        findings: [],
        expectations: [],
        graph,
    };
}
