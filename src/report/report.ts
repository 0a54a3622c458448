/*
 * report.ts
 *
 * buildReport: the event log of one simulation → a plain-data Report (JSON-serializable) with
 * every object's lifetime, the findings (survivors, late lifetimes, shutdown finalizers,
 * resurrections, failing expectations), expectations, summary counts, the phase timeline and a
 * compact heap graph from which the heap at any moment can be rebuilt.
 *
 * `explainOnOtherVersions` is the one place that simulates again: the same source under other
 * profiles, diffed object by object (matched by allocation site and order).
 */

import { eventString } from '../engine/events';
import { parse } from '../engine/parser/parser';
import { MAX_SOURCE_BYTES, simulate, type FullSimulationResult } from '../engine/index';
import { PROFILES } from '../engine/profiles';
import { NEVER, decode, isClassTypeName, isShutdownPhase, labelIndexOf, phaseAt, type Decoded } from './decode';
import { phaseText } from './phaseNames';
import { HeapIndex, type Reach } from './graph';
import { computeLabels, type Labels } from './labels';
import { collectionsOf, computeLifetimes, labelOf, timelineOf, type Lifetime } from './lifetimes';
import { analyzeSurvivors, topBelowRoot, type CycleGroup, type LateKind, type SurvivorAnalysis } from './survivors';
import { chainAt as chainAtRaw, chainFromReach } from './chains';
import { FINDING_KINDS, SentenceMemo, finalizerName, lateKind, lowerFirst, survivorKind, type FindingKind } from './explain';
import { checkExpectations } from './expectations';
import { embeddedSection, memorySection, nativeFindings, nativeSection, pendingFindings, tracingSection } from './beyond';
import { filesSection, fileFindings, fileVersionsNote, fileDifferences } from './files';
import { REPORT_SCHEMA_VERSION, type Chain, type Fate, type Finding, type HeapGraph, type ObjectReport, type Report, type Summary, type VersionDiff } from './types';

/**
 * Classes, functions and their namespaces always die in CPython's last collections (they sit in
 * cycles with their module): that is not worth a warning. Program data that does is.
 */
const INFRASTRUCTURE_TYPES = new Set(['type', 'classobj', 'function', 'builtin_function_or_method', 'method', 'instancemethod', 'cell', 'module', 'frame', 'traceback', 'code', 'property', 'staticmethod', 'classmethod']);
function isInfrastructure(o: ObjectReport): boolean {
    return INFRASTRUCTURE_TYPES.has(o.type) || (o.type === 'dict' && o.label.endsWith('.__dict__')) || (o.type === 'tuple' && /__(defaults|closure)__$/.test(o.label));
}

export interface ReportOptions {
    /** File name shown in the report (default 'scenario.pyscn'). */
    file?: string;
    /** Include the heap graph (default true). */
    graph?: boolean;
    /** Include interpreter-owned objects (start-up objects, modules) in `objects` (default false). */
    includeInterpreterObjects?: boolean;
    /** Chains are computed for at most this many objects (default 2000); others get chain null (use chainAt). */
    maxChains?: number;
    /** Other profiles to simulate and diff against (Explain on other versions). */
    compareWith?: string[];
    /** Step budget for the comparison runs. */
    maxSteps?: number;
    /** Time budget for each comparison run. */
    timeLimitMs?: number;
    /** Include the pymalloc memory series (default true). */
    memory?: boolean;
}

const MAX_FINDING_OBJECTS = 100;

/** What buildReport computed, kept for on-demand queries (hovers: chain at a step). */
export interface ReportContext {
    decoded: Decoded;
    heap: HeapIndex;
    labels: Labels;
    /** Every object's record by node (user and interpreter objects); buildReport completes and lists the user ones. */
    lifetimes: Lifetime[];
}

export function analyze(result: Pick<FullSimulationResult, 'events'>): ReportContext {
    const decoded = decode(result.events);
    const heap = new HeapIndex(decoded);
    const labels = computeLabels(decoded, heap);
    const lifetimes = computeLifetimes(decoded, heap, labels);
    return { decoded, heap, labels, lifetimes };
}

/** The chain keeping object `id` alive at event index `at` (any time; cheap). */
export function chainAt(ctx: ReportContext, id: number, at: number): Chain | null {
    return chainAtRaw(ctx.decoded, ctx.heap, ctx.labels, id, at);
}

export function buildReport(source: string, result: FullSimulationResult, options: ReportOptions = {}): Report {
    return buildReportWithContext(source, result, options).report;
}

export function buildReportWithContext(source: string, result: FullSimulationResult, options: ReportOptions = {}): { report: Report; context: ReportContext } {
    const ctx = analyze(result);
    const { decoded: d, lifetimes } = ctx;
    const profile = PROFILES[result.profile];
    const major = profile?.major ?? 3;
    const stopped = result.errors.length > 0;
    const surv = analyzeSurvivors(d, ctx.heap, lifetimes, { stopped, major, tracing: profile?.tracingGc != null });
    const sourceLines = source.split(/\r\n|\r|\n/);

    // ---- objects, the summary's counts, findings
    const objects = completeObjects(ctx, surv, options);
    const summary = emptySummary(d);
    const candidates = countUserObjects(summary, lifetimes, surv);
    const groups = new FindingGroups(d, ctx.heap, lifetimes, new ShutdownHolders(d, ctx.heap, lifetimes, surv.runEnd));
    for (const v of candidates) groups.addObject(lifetimes[v], v, surv);
    groups.addTracebackDelays(surv);
    const findings = groups.findings(surv);
    findings.push(...raceFindings(d));
    findings.push(...setOrderFindings(d));
    findings.push(...clockFindings(d));

    // ---- expectations
    // The run parsed the source once already; parse again only for results made without comments.
    const comments = result.comments ?? (result.errors.some((e) => e.budget === 'limit' && e.line === 1 && source.length > MAX_SOURCE_BYTES) ? [] : parse(source).comments);
    // Only failing expectations look objects up by id: index them then, not 400,000 objects every run.
    let byIdIndex: Map<number, ObjectReport> | null = null;
    const byId = (): Map<number, ObjectReport> => (byIdIndex ??= new Map(objects.map((o) => [o.id, o])));
    const expectations = checkExpectations(comments, lifetimes, sourceLines, d.log, result.profile);
    for (const e of expectations) {
        if (e.status === 'ok') continue;
        const k = FINDING_KINDS['expectation-mismatch'];
        findings.push({
            kind: k.id,
            severity: k.severity,
            message: e.message,
            line: e.line,
            column: e.column,
            objects: e.actual.map((a) => a.id),
            objectCount: e.actual.length,
            related: e.actual.slice(0, 5).flatMap((a) => {
                const o = byId().get(a.id);
                return o ? [{ line: o.allocLine, column: o.allocColumn, message: `${o.label}: ${o.fate}` }] : [];
            }),
            explanation: k.explanation,
        });
    }
    findings.sort(findingOrder);

    // Issue 8 sections (tracing GC, native blocks, pymalloc, embedding) and their findings.
    const tracing = profile ? tracingSection(d.log, profile, objects) : null;
    const native = nativeSection(d.log, objects);
    if (tracing) findings.push(...pendingFindings(tracing));
    if (native) findings.push(...nativeFindings(native));
    // The run's directory, and why written bytes never reached a file.
    const files = filesSection(source, d.log, d.phases, objects, result.files);
    const lostFindings = files ? fileFindings(files, objects) : [];
    findings.push(...lostFindings);
    if (tracing || native || lostFindings.length) findings.sort(findingOrder);

    countFindings(summary, findings, expectations);
    const collections = collectionsOf(d);
    const report: Report = {
        schemaVersion: REPORT_SCHEMA_VERSION,
        file: options.file ?? 'scenario.pyscn',
        profile: result.profile,
        stdout: result.stdout,
        stderr: result.stderr,
        exitCode: result.exitCode,
        errors: result.errors.map((e) => ({ kind: e.kind, ...(e.budget ? { budget: e.budget } : {}), message: e.message, line: e.line, col: e.col })),
        summary,
        timeline: timelineOf(d, result.mainEndLine),
        collections,
        objects,
        findings,
        expectations,
        graph: options.graph === false ? null : heapGraph(d, ctx.heap, ctx.labels),
        caveats: [...caveatsOf(collections), ...raceCaveats(d), ...setOrderCaveats(d), ...clockCaveats(d)],
    };
    if (tracing) report.tracing = tracing;
    if (native) report.native = native;
    const memory = profile && options.memory !== false ? memorySection(d.log, d.memoryEvents, profile, d.maxId) : null;
    if (memory) report.memory = memory;
    if (profile && result.cycles && result.cycleEvents) report.embedded = embeddedSection(profile, result.cycles, result.cycleEvents);
    if (files) report.files = files;
    if (options.compareWith?.length) {
        const otherFates: OtherFates[] = [];
        report.versions = explainOnOtherVersions(source, report, options.compareWith, options, otherFates);
        // Each finding's "other versions" line: what the same objects did on the profiles just
        // simulated (issue 14 item 3), not the kind's prose.
        const baseKeys = objectKeys(objects);
        for (const f of findings) {
            const note = simulatedVersionsNote(report.profile, baseKeys, f, otherFates);
            if (note) f.explanation = { ...f.explanation, versions: note };
        }
        // The file findings' version note: what the other profiles leave in the file.
        for (const f of findings) {
            if (!f.kind.startsWith('file-unflushed/')) continue;
            const path = files?.files.find((x) => x.lost.some((l) => f.objects.includes(l.id)))?.path;
            const note = path ? fileVersionsNote(path, report.versions) : null;
            if (note) f.explanation = { ...f.explanation, versions: note };
        }
    }
    return { report, context: ctx };
}

const SEVERITY_RANK = { error: 0, warning: 1, note: 2 } as const;

/** Findings are listed errors first, then by position, then by kind. */
function findingOrder(a: Finding, b: Finding): number {
    return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.line - b.line || a.column - b.column || a.kind.localeCompare(b.kind);
}

/**
 * Completes each object's record (computeLifetimes left out what needs the survivor analysis and
 * the chains) and returns those the report lists.
 */
function completeObjects(ctx: ReportContext, surv: SurvivorAnalysis, options: ReportOptions): ObjectReport[] {
    const { decoded: d, heap: g, labels, lifetimes } = ctx;
    const objects: ObjectReport[] = [];
    const sentences = new SentenceMemo();
    let chainsLeft = options.maxChains ?? 2000;
    for (let v = 0; v < lifetimes.length; v++) {
        const rep = lifetimes[v];
        const user = rep.owner === 'user';
        if (!user && !options.includeInterpreterObjects) continue;
        rep.survivorReason = surv.reasons[v];
        const reach = chainsLeft > 0 && user ? chainReach(surv, rep, v) : null;
        if (reach) {
            const chain = chainFromReach(d, g, labels, reach, v);
            chainsLeft--;
            if (chain) {
                rep.chain = chain.links;
                rep.chainInfo = { at: chain.at, step: chain.step, root: chain.root, elided: chain.elided, path: chain.path };
            }
        }
        const gi = surv.groupOf[v];
        const since = gi >= 0 ? surv.groups[gi].since : null;
        if (since !== null) {
            rep.unreachableSince = since;
            rep.unreachableLine = d.log.line[since];
        }
        rep.explanation = sentences.of(rep);
        objects.push(rep);
    }
    return objects;
}

/**
 * Counts every user object into the summary and returns the nodes of those that may have a
 * finding (most have none: FindingGroups looks at these only). The loop has no branch that only a
 * rare object takes: one first taken late in a loop over 10⁵ objects discards its compiled code.
 */
function countUserObjects(s: Summary, lifetimes: ObjectReport[], surv: SurvivorAnalysis): number[] {
    const fates = [0, 0, 0, 0, 0];
    const candidates: number[] = [];
    for (let v = 0; v < lifetimes.length; v++) {
        const o = lifetimes[v];
        if (o.owner !== 'user') continue;
        fates[fateSlot(o.fate)]++;
        s.finalizersRun += o.finalizers.length;
        if (mayHaveFinding(o, v, surv)) candidates.push(v);
    }
    s.created = fates[0] + fates[1] + fates[2] + fates[3] + fates[4];
    [s.freed, s.collected, s.finalizedAtShutdown, s.freedAtShutdown, s.surviving] = fates;
    return candidates;
}

/** Summary slot of a fate: freed, collected, finalized at shutdown, freed at shutdown, surviving. */
function fateSlot(f: Fate): number {
    if (f === 'freed') return 0;
    if (f === 'collected') return 1;
    if (f === 'finalized-at-shutdown') return 2;
    return f === 'freed-at-shutdown' ? 3 : 4;
}

/** Every condition under which FindingGroups.addObject files an object (some loosened). */
function mayHaveFinding(o: ObjectReport, node: number, surv: SurvivorAnalysis): boolean {
    return o.survivorReason !== null || lateGroupOf(o, node, surv) !== null || surv.heldUntilShutdown[node] !== null || o.outlivesProgram || o.fate === 'finalized-at-shutdown' || o.events.length > 0;
}

/** Where an object's chain comes from: survivors at exit; objects freed during shutdown, when the program finished running (what kept them until then). */
function chainReach(surv: SurvivorAnalysis, o: ObjectReport, node: number): Reach | null {
    if (o.death === null) return surv.endReach;
    return surv.heldUntilShutdown[node] !== null || (o.phase !== null && isShutdownPhase(o.phase)) ? surv.runEndReach : null;
}

interface FindingGroup {
    kind: FindingKind;
    objs: ObjectReport[];
    /** Set for a finding per cause (a cycle, the object holding them, a gc.freeze() call): what the message names. */
    cause?: Cause;
    /** For cycles: the cycle groups the finding covers (a loop makes one cycle per iteration). */
    cycles?: Set<number>;
}

/** One cause several objects share: the finding lists them, named after it. */
interface Cause {
    what: 'cycle' | 'holder' | 'all';
    /** 'holder': the object that keeps the others (its label even when it is not in the finding). */
    holder?: ObjectReport;
    /** Where the finding points (a gc.freeze() or os._exit() call) instead of the first object. */
    at?: { line: number; column: number; message: string };
    /** 'holder' at shutdown: what kept the objects until a late shutdown step (ShutdownHolders). */
    until?: ShutdownHolder;
    /** A frame object that kept locals after its function ended: from (event) to their death (event). */
    delay?: { from: number; until: number };
}

/** Allocation line × SITE_COLUMNS + column: one number per allocation site (exact below 2²⁶ lines and columns). */
const SITE_COLUMNS = 2 ** 26;

/** Cause keys (one finding per kind and key): a cycle group, a holder node, everything, a source line. */
const causeKey = {
    cycle: (gi: number) => gi * 4,
    holder: (node: number) => node * 4 + 1,
    all: 2,
    line: (line: number) => line * 4 + 3,
};

/**
 * Findings grouped by kind and cause (one per cycle, per holder, per gc.freeze() call…) or, for
 * kinds without one, by allocation site (line, column, type), in the order their first objects
 * come. Indexed by the kind object, then a number: no key string is built for the 10⁴ objects of a
 * finding.
 */
class FindingGroups {
    private readonly index = new Map<FindingKind, Map<number, Map<string, FindingGroup>>>();
    private readonly byCause = new Map<FindingKind, Map<number, FindingGroup>>();
    private readonly ordered: FindingGroup[] = [];
    /** Allocation site of the first member filed of each cycle group → a small number (cycleKey). */
    private readonly cycleSites = new Map<number, number>();
    private readonly siteIndex = new Map<number, number>();
    /** Objects a leaked class holds (its __dict__, methods, defaults): one finding with the class. */
    private readonly heldByClass: { kind: FindingKind; root: number; o: ObjectReport }[] = [];

    constructor(
        private readonly d: Decoded,
        private readonly heap: HeapIndex,
        private readonly lifetimes: ObjectReport[],
        private readonly holders: ShutdownHolders,
    ) {}

    private add(kind: FindingKind, o: ObjectReport): void {
        let bySite = this.index.get(kind);
        if (!bySite) this.index.set(kind, (bySite = new Map()));
        const site = o.allocLine * SITE_COLUMNS + o.allocColumn;
        let byType = bySite.get(site);
        if (!byType) bySite.set(site, (byType = new Map()));
        let gr = byType.get(o.type);
        if (!gr) {
            byType.set(o.type, (gr = { kind, objs: [] }));
            this.ordered.push(gr);
        }
        gr.objs.push(o);
    }

    /**
     * Cycles made by the same code are one cause: keyed by the allocation site of the first member
     * filed, so a loop that makes a cycle per iteration gives one finding, not 10,000 (audit N3
     * asked for one finding per cycle instead of one per allocation site; both hold this way).
     */
    private cycleKey(gi: number, o: ObjectReport): number {
        let idx = this.cycleSites.get(gi);
        if (idx === undefined) {
            const site = o.allocLine * SITE_COLUMNS + o.allocColumn;
            idx = this.siteIndex.get(site);
            if (idx === undefined) this.siteIndex.set(site, (idx = this.siteIndex.size));
            this.cycleSites.set(gi, idx);
        }
        return causeKey.cycle(idx);
    }

    private addCycle(kind: FindingKind, gi: number, o: ObjectReport): FindingGroup {
        const gr = this.addCause(kind, this.cycleKey(gi, o), o, () => ({ what: 'cycle' }));
        (gr.cycles ??= new Set()).add(gi);
        return gr;
    }

    private addCause(kind: FindingKind, key: number, o: ObjectReport, cause: () => Cause): FindingGroup {
        let byKey = this.byCause.get(kind);
        if (!byKey) this.byCause.set(kind, (byKey = new Map()));
        let gr = byKey.get(key);
        if (!gr) {
            byKey.set(key, (gr = { kind, objs: [], cause: cause() }));
            this.ordered.push(gr);
        }
        // The holder leads its finding.
        if (gr.cause?.holder === o) gr.objs.unshift(o);
        else gr.objs.push(o);
        return gr;
    }

    /** Files a user object under every finding it has. */
    addObject(o: ObjectReport, node: number, surv: SurvivorAnalysis): void {
        const root = o.chainInfo?.root;
        if (o.survivorReason === 'leaked-cycle' && root?.kind === 'unrecorded' && root.id !== o.id) this.heldByClass.push({ kind: FINDING_KINDS['survives-exit/leaked-class'], root: root.id, o });
        else if (o.survivorReason === 'leaked-cycle' && isClassTypeName(o.type) && root?.id === o.id) this.add(FINDING_KINDS['survives-exit/leaked-class'], o);
        else if (o.survivorReason) this.addSurvivor(o, node, surv);
        const grp = lateGroupOf(o, node, surv);
        // One finding per cycle (audit N3: a closure cycle was 5-6 notes, one per allocation site).
        if (grp) this.addCycle(lateKind(grp.kind), surv.groupOf[node], o);
        const held = surv.heldUntilShutdown[node];
        if (held && !unremarkableHolder(held, o)) {
            // One finding per holder (the object under the root when the program finished: `saved`, `C`, `f`).
            const top = surv.runEndReach && surv.runEndReach.rootOf[node] >= 0 ? topBelowRoot(this.d, this.heap, surv.runEndReach, node) : -1;
            if (top >= 0 && top < this.lifetimes.length) this.addCause(lateKind(held), causeKey.holder(top), o, () => ({ what: 'holder', holder: this.lifetimes[top] }));
            else this.add(lateKind(held), o);
        }
        // Objects created during shutdown (the exception and tuples of a failing __del__) did not outlive the program (audit N2).
        // A native block's story is its owner's and the native section's: one freed by a C exit hook
        // (freed=at-exit) is cleanup working as meant, not an object parked on sys.
        if (o.outlivesProgram && !o.survivorReason && !isInfrastructure(o) && o.type !== 'native' && o.allocAt <= surv.runEnd) this.addOutlives(o, node);
        else if (o.fate === 'finalized-at-shutdown') this.add(FINDING_KINDS['finalizer-at-shutdown'], o);
        if (!o.survivorReason && this.resurrected(o, node)) this.add(FINDING_KINDS.resurrection, o);
        // Audit M1: a __del__ that raises during shutdown (what it uses is gone), silent or not.
        if (o.finalizers.some((f) => f.failed !== undefined && isShutdownPhase(f.phase))) this.add(FINDING_KINDS['finalizer-fails'], o);
    }

    /**
     * A finalizer made the object reachable again: 2.7 logs a Resurrect; 3.x's collector logs
     * Revived (it survived the collection that found it garbage), and the object was resurrected
     * when, at the end of that collection, a root reaches it again (audit #37/M5: in a shutdown
     * collection too; what 3.8 keeps only because another object was resurrected is not).
     */
    private resurrected(o: ObjectReport, node: number): boolean {
        for (const e of o.events) {
            if (e.kind === 'resurrect') return true;
            if (e.kind !== 'revived' || o.events.some((x) => x.kind === 'uncollectable')) continue;
            const c = this.d.collections.find((x) => x.start <= e.at && e.at <= x.end);
            if (!c) continue;
            const reach = this.heap.reachAt(c.end);
            const root = reach.rootOf[node];
            if (root >= 0 && reach.roots.get(root)?.kind !== 'unrecorded') return true;
        }
        return false;
    }

    /**
     * Audit #49/M3: locals a frame object kept after its function ended (a traceback held the frame:
     * `saved = e`), freed by their reference count when that went away while the program ran. The
     * frame object takes the locals over when its frame ends (releaseFrame logs those references),
     * so these are the objects whose last holders were frame objects. One note per frame object.
     */
    addTracebackDelays(surv: SurvivorAnalysis): void {
        const { d, heap: g } = this;
        const O = d.objects;
        const E = d.edges;
        // Frame objects are rare (tracebacks, sys._getframe): compare type indexes, not names, over 10⁵ objects.
        const frameType = O.typeTable.indexOf('frame');
        if (frameType < 0) return;
        for (let f = 0; f < O.length; f++) {
            if (O.typeIndex[f] !== frameType || this.lifetimes[f].owner !== 'user') continue;
            for (const e of g.allOutEdges(f)) {
                const v = g.tgtNode(e);
                if (v < 0 || v >= O.length) continue;
                const o = this.lifetimes[v];
                const death = O.death[v];
                if (o.owner !== 'user' || o.fate !== 'freed' || o.death?.cause !== 'refcount' || death > surv.runEnd) continue;
                // Held by frame objects only (a traceback's frames) when this one let go (then its
                // count dropped to zero: its __del__, if any, ran before the free).
                const released = Math.min(E.del[e], g.died(f));
                if (released > death) continue;
                const holders = g.inEdgesAt(v, released - 1);
                if (!holders.length || holders.some((h) => g.srcNode(h) < 0 || g.srcNode(h) >= O.length || O.type(g.srcNode(h)) !== 'frame')) continue;
                const frame = this.lifetimes[f];
                this.addCause(FINDING_KINDS['late/saved-traceback'], causeKey.holder(f), o, () => ({ what: 'holder', holder: frame, delay: { from: E.add[e], until: released } }));
            }
        }
    }

    /** A survivor under its reason's finding, one per cause where the analysis found one. */
    private addSurvivor(o: ObjectReport, node: number, surv: SurvivorAnalysis): FindingGroup | void {
        // Reported by the native section (beyond.ts nativeFindings).
        if (o.survivorReason === 'native-unfreed') return;
        const kind = survivorKind(o.survivorReason!);
        const d = this.d;
        const cause = surv.causeOf[node];
        switch (o.survivorReason) {
            case 'pending-collection':
                // What the interpreter made during shutdown, and temporaries never bound to a name
                // (a class body's function and namespace, a call's argument tuple), are no garbage
                // the program can act on (audit N2, #53); objects with __del__ have pending-finalization.
                if (o.allocAt > surv.runEnd || o.allocLine === 0 || o.label.startsWith('<')) return;
                return this.add(kind, o);
            case 'alive-at-exit':
                return this.addCause(kind, causeKey.all, o, () => ({ what: 'all' }));
            case 'os-exit':
                return this.addCause(kind, causeKey.all, o, () => {
                    const p = d.phases.find((x) => x.phase === 'os-exit');
                    return { what: 'all', ...(p ? { at: { line: d.log.line[p.start], column: d.log.col[p.start], message: 'os._exit() ends the process here' } } : {}) };
                });
            case 'frozen': {
                const at = cause >= 0 ? (d.objects.rare(cause)?.frozenAt ?? -1) : -1;
                if (at < 0) return this.add(kind, o);
                return this.addCause(kind, causeKey.line(d.log.line[at]), o, () => ({ what: 'all', at: { line: d.log.line[at], column: d.log.col[at], message: 'gc.freeze() froze them here' } }));
            }
            case 'leaked-cycle':
            case 'revived': {
                const gi = surv.groupOf[node];
                return gi >= 0 ? this.addCycle(kind, gi, o) : this.add(kind, o);
            }
            default:
                if (cause < 0 || !this.lifetimes[cause]) return this.add(kind, o);
                return this.addCause(kind, causeKey.holder(cause), o, () => ({ what: 'holder', holder: this.lifetimes[cause] }));
        }
    }

    /**
     * Outlives the program: one finding per object that kept them all until the late shutdown step
     * (audit #33/M4: an instance on sys keeps its class, and through its methods' __globals__ all
     * of __main__; the warning belongs on that sys attribute, not on every global).
     */
    private addOutlives(o: ObjectReport, node: number): void {
        const kind = FINDING_KINDS['outlives-program'];
        const h = this.holders.of(node);
        if (!h || !this.lifetimes[h.node]) return this.add(kind, o);
        const gr = this.addCause(kind, causeKey.holder(h.node), o, () => ({ what: 'holder', holder: this.lifetimes[h.node], until: h }));
        if (gr.cause?.until) {
            gr.cause.until.viaGlobals ||= h.viaGlobals;
            gr.cause.until.viaClass ??= h.viaClass;
        }
    }

    findings(surv: SurvivorAnalysis): Finding[] {
        if (this.heldByClass.length) {
            const byRoot = new Map<number, FindingGroup>();
            for (const gr of this.ordered) if (gr.kind.id === 'survives-exit/leaked-class') byRoot.set(gr.objs[0].id, gr);
            for (const h of this.heldByClass) {
                const gr = byRoot.get(h.root);
                if (gr && gr.kind === h.kind) gr.objs.push(h.o);
                else this.add(h.kind, h.o);
            }
            this.heldByClass.length = 0;
        }
        return this.ordered.map((gr) => makeFinding(gr, this.d, surv));
    }
}

/** Who kept an object until a late shutdown step (ShutdownHolders). */
interface ShutdownHolder {
    /** The object directly under the root (`sys.keep`). */
    node: number;
    /** The shutdown step that released it (the last one whose start still reached the object). */
    released: string;
    /** The class the holder is an instance of, when the chain goes through it (an instance holds its class). */
    viaClass: string | null;
    /** Whether the chain goes through a function's __globals__ (a module's whole namespace). */
    viaGlobals: boolean;
}

/**
 * For objects that die in the late shutdown steps: the chain that held them longest, found at the
 * start of the last shutdown step before they died (or were finalized) where a root still reached
 * them; its holder is the object directly under the root (`sys.keep`). An object reached only
 * from a class that nothing recorded references is held through an instance of that class (an
 * instance holds a strong reference to its heap type, which the log does not record as an
 * edge). One reachability pass per shutdown step, computed when first asked.
 */
class ShutdownHolders {
    private readonly reaches = new Map<number, { reach: Reach; viaInstance: Int32Array; clsOf: Int32Array }>();
    private readonly starts: { phase: string; start: number }[];
    private readonly dictLabel: number;
    private readonly globalsLabel: number;

    constructor(
        private readonly d: Decoded,
        private readonly g: HeapIndex,
        private readonly lifetimes: ObjectReport[],
        runEnd: number,
    ) {
        this.starts = d.phases.filter((p) => p.start > runEnd && isShutdownPhase(p.phase)).map((p) => ({ phase: p.phase, start: p.start }));
        this.dictLabel = labelIndexOf(d.edges, '__dict__');
        this.globalsLabel = labelIndexOf(d.edges, '__globals__');
    }

    /**
     * Reachability at t, and for what no root reaches through recorded references: the instance
     * (reached from a root) whose class holds it, and that class. A class is reached from a root
     * in CPython through each of its instances (ob_type), which the log does not record as an edge.
     */
    private at(t: number): { reach: Reach; viaInstance: Int32Array; clsOf: Int32Array } {
        const hit = this.reaches.get(t);
        if (hit) return hit;
        const { d, g } = this;
        const O = d.objects;
        const nObj = O.length;
        const reach = g.reachAt(t);
        const viaInstance = new Int32Array(nObj).fill(-1);
        const clsOf = new Int32Array(nObj).fill(-1);
        const held = (v: number) => reach.rootOf[v] >= 0 && reach.roots.get(reach.rootOf[v])?.kind !== 'unrecorded';
        const unreachedClass = new Map<number, number>();
        for (const v of reach.unreachable) if (v < nObj && isClassTypeName(O.type(v))) unreachedClass.set(O.id[v], v);
        for (const v of reach.roots.keys()) if (v < nObj && reach.roots.get(v)!.kind === 'unrecorded' && isClassTypeName(O.type(v))) unreachedClass.set(O.id[v], v);
        const queue: number[] = [];
        if (unreachedClass.size) {
            for (let v = 0; v < nObj; v++) {
                const cls = unreachedClass.get(O.typeId[v]);
                if (cls === undefined || viaInstance[cls] >= 0 || !g.aliveAt(v, t) || !held(v)) continue;
                viaInstance[cls] = v;
                clsOf[cls] = cls;
                queue.push(cls);
            }
        }
        for (let h = 0; h < queue.length; h++) {
            const u = queue[h];
            for (let k = g.outBegin(u); k < g.outEnd(u); k++) {
                const e = g.outEdge(k);
                if (!g.edgeAliveAt(e, t)) continue;
                const w = g.tgtNode(e);
                if (w < 0 || w >= nObj || viaInstance[w] >= 0 || held(w)) continue;
                viaInstance[w] = viaInstance[u];
                clsOf[w] = clsOf[u];
                queue.push(w);
            }
        }
        const r = { reach, viaInstance, clsOf };
        this.reaches.set(t, r);
        return r;
    }

    of(node: number): ShutdownHolder | null {
        const o = this.lifetimes[node];
        const until = o.finalizers.length ? o.finalizers[0].at : o.death ? o.death.at : this.d.length;
        for (let k = this.starts.length - 1; k >= 0; k--) {
            const t = this.starts[k].start;
            if (t >= until) continue;
            const { reach, viaInstance, clsOf } = this.at(t);
            const root = reach.rootOf[node];
            const released = this.starts[k].phase;
            if (root >= 0 && reach.roots.get(root)?.kind !== 'unrecorded') {
                return { node: topBelowRoot(this.d, this.g, reach, node, this.dictLabel), released, viaClass: null, viaGlobals: this.pathHas(reach, node) };
            }
            const inst = viaInstance[node];
            if (inst < 0) continue;
            // The part of the chain from the class to the object is not in reach (it is unreachable there).
            return { node: topBelowRoot(this.d, this.g, reach, inst, this.dictLabel), released, viaClass: this.lifetimes[clsOf[node]].label, viaGlobals: this.globalsFrom(clsOf[node], node, t) };
        }
        return null;
    }

    /** Whether the chain to v in `reach` has a __globals__ reference. */
    private pathHas(reach: Reach, v: number): boolean {
        if (this.globalsLabel < 0) return false;
        for (let u = v, guard = 0; guard < this.g.nodeCount; guard++) {
            const e = reach.parentEdge[u];
            if (e < 0) return false;
            if (this.d.edges.labelIndex[e] === this.globalsLabel) return true;
            u = this.g.srcNode(e);
            if (u < 0) return false;
        }
        return false;
    }

    /** Whether every path from `from` to `to` at t needs a __globals__ reference (`to` is not reached without one). */
    private globalsFrom(from: number, to: number, t: number): boolean {
        if (this.globalsLabel < 0 || from === to) return false;
        const { g, d } = this;
        const seen = new Set<number>([from]);
        const queue = [from];
        for (let h = 0; h < queue.length; h++) {
            const u = queue[h];
            for (let k = g.outBegin(u); k < g.outEnd(u); k++) {
                const e = g.outEdge(k);
                if (!g.edgeAliveAt(e, t) || d.edges.labelIndex[e] === this.globalsLabel) continue;
                const w = g.tgtNode(e);
                if (w === to) return false;
                if (w >= 0 && !seen.has(w)) {
                    seen.add(w);
                    queue.push(w);
                }
            }
        }
        return true;
    }
}

function phaseOfDeath(o: ObjectReport): string | null {
    return o.finalizers.length ? o.finalizers[0].phase : o.phase;
}

/**
 * Holders that are not the program's doing (audit #22): the traceback the interpreter keeps for an
 * uncaught exception (sys.last_*) or a SystemExit on its way out. (What a defaults tuple holds is
 * decided in survivors.ts heldUntilShutdownOf.)
 */
function unremarkableHolder(kind: LateKind, o: ObjectReport): boolean {
    if (kind !== 'saved-traceback') return false;
    const path = o.chainInfo?.path ?? o.label;
    return path.startsWith('sys.last_') || path.startsWith('<SystemExit@');
}

/** The cycle group of a GC death when the group was garbage while the program still ran, else null. */
function lateGroupOf(o: ObjectReport, node: number, surv: SurvivorAnalysis): CycleGroup | null {
    const gi = surv.groupOf[node];
    if (gi < 0 || !o.death || o.death.cause !== 'gc') return null;
    const grp = surv.groups[gi];
    // Cycles found by a shutdown collection right after teardown made them garbage are normal;
    // report cycles that were garbage while the program still ran.
    return grp.since === null || grp.since <= surv.runEnd ? grp : null;
}

/**
 * Where event t happened, in a finding's words: `at line N` while the program runs; during
 * shutdown the phase (`during the teardown collection`): there is no line of the program then, and
 * internal step numbers mean nothing to a reader.
 */
function whereAt(d: Decoded, t: number): string {
    const m = momentOf(d, t);
    return m.line ? `at line ${m.line}` : `during ${phaseText(m.phase)}`;
}

/** `line N` while the program runs, else the shutdown phase's name (`module teardown`). */
function momentAt(d: Decoded, t: number): string {
    const m = momentOf(d, t);
    return m.line ? `line ${m.line}` : phaseText(m.phase);
}

/** Event t's moment: its line while the program runs (0 during shutdown, or where the log has no line), and its phase. */
function momentOf(d: Decoded, t: number): { line: number; phase: string } {
    const phase = phaseAt(d, t);
    return { line: isShutdownPhase(phase) ? 0 : d.log.line[t], phase };
}

/** "X (T)", "N T objects allocated here (e.g. X)", "X (T) and the N objects of its cycle (…)": the objects a finding is about. */
function whatOf(gr: FindingGroup): string {
    const objs = gr.objs;
    const o = objs[0];
    const n = objs.length;
    const some = (list: ObjectReport[], from: number) => `${list.slice(from, from + 3).map((x) => x.label).join(', ')}${n > from + 3 ? ', …' : ''}`;
    if (n === 1) return `${o.label} (${o.type})`;
    switch (gr.cause?.what) {
        case 'cycle': {
            const c = gr.cycles?.size ?? 1;
            if (c > 1) return `${c} reference cycles made here (${n} objects; e.g. ${o.label} (${o.type}))`;
            // Name the cycle by what the program named (2.7 makes a classic instance's dict before it).
            const named = byNamePreference(objs);
            return `${named[0].label} (${named[0].type}) and ${n - 1} more object${n === 2 ? '' : 's'} of the same cycle (${some(named, 1)})`;
        }
        case 'holder':
            return gr.cause.holder === o ? `${o.label} (${o.type}) and ${n - 1} object${n === 2 ? '' : 's'} it holds (${some(objs, 1)})` : `${n} objects held by ${gr.cause.holder?.label} (${some(objs, 0)})`;
        case 'all':
            return `${n} objects (${some(byNamePreference(objs), 0)})`;
    }
    return objs.every((x) => x.type === o.type) ? `${n} ${o.type} objects allocated here (e.g. ${o.label})` : `${o.label} (${o.type}) with ${n - 1} object${n === 2 ? '' : 's'} it holds (${some(objs, 1)})`;
}

/**
 * The objects in the order a reader recognises them (stable): what the program bound to a plain
 * name (`conn`, `job`) before the classes and functions it defined, then attribute paths
 * (`Connection.__dict__`, shorter first), then the unnamed (`<dict@8:1>`). Allocation order would name a class's
 * methods before the instance the finding is about.
 */
function byNamePreference(objs: ObjectReport[]): ObjectReport[] {
    const rank = (x: ObjectReport): number => {
        if (x.label.startsWith('<')) return 3;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(x.label)) return 2;
        return x.type === 'type' || x.type === 'function' || x.type === 'classobj' || x.type === 'module' ? 1 : 0;
    };
    // Among paths, the shorter first: `job.log` before `job.log.buffer.raw`.
    const depth = (x: ObjectReport): number => x.label.split(/[.[(]/).length;
    return objs.map((x, i) => ({ x, i, r: rank(x), k: depth(x) })).sort((a, b) => a.r - b.r || a.k - b.k || a.i - b.i).map((e) => e.x);
}

function makeFinding(gr: FindingGroup, d: Decoded, surv: SurvivorAnalysis): Finding {
    const { kind, objs, cause } = gr;
    const o = objs[0];
    const n = objs.length;
    const what = whatOf(gr);
    let message: string;
    const related: Finding['related'] = [];
    const frozen = kind.id === 'survives-exit/daemon-thread' && o.chainInfo?.root ? d.frozenFrames.get(o.chainInfo.root.id) : undefined;
    if (frozen) {
        message = `${what} ${n === 1 ? 'is' : 'are'} never freed: frozen in daemon thread ${frozen.thread} at line ${frozen.line}`;
        if (o.chainInfo?.path) message += ` (${o.chainInfo.path})`;
        related.push({ line: frozen.line, column: 1, message: `${frozen.thread} stopped here for good` });
    } else if (kind.id.startsWith('survives-exit/')) {
        message = `${what} ${n === 1 ? 'is' : 'are'} never freed: ${lowerFirst(kind.explanation.title)}`;
        if (o.chainInfo?.path && o.chainInfo.root && o.chainInfo.path !== o.label) message += ` (held by ${o.chainInfo.path})`;
    } else if (cause?.delay) {
        const { from, until } = cause.delay;
        const names = objs.map((x) => x.label).slice(0, 3).join(', ') + (n > 3 ? ', …' : '');
        message = `${names}: the frame ended at line ${d.log.line[from]}, but a saved traceback still referenced its frame object, which kept ${n === 1 ? 'this local' : `these ${n} locals`} alive until line ${d.log.line[until]}, when the traceback was released`;
        related.push({ line: d.log.line[from], column: d.log.col[from], message: 'the frame ended here; its frame object took the locals over' });
        related.push({ line: d.log.line[until], column: d.log.col[until], message: 'freed here' });
    } else if (kind.id.startsWith('late/')) {
        if (o.death?.cause === 'gc' && o.unreachableSince !== null && o.unreachableSince <= surv.runEnd) {
            message = `${what}: unreachable since ${momentAt(d, o.unreachableSince)} but freed only by ${o.death.reason === 'automatic' ? 'an' : 'a'} ${o.death.reason} collection of generation ${o.death.generation} ${whereAt(d, o.death.at)}`;
            if (o.unreachableLine) related.push({ line: o.unreachableLine, column: d.log.col[o.unreachableSince], message: 'last outside reference dropped here' });
            if (o.death.line) related.push({ line: o.death.line, column: o.death.column, message: `collected here (generation ${o.death.generation}, ${o.death.reason})` });
        } else if (o.death && o.phase && isShutdownPhase(o.phase)) {
            // Audit #29: held until shutdown (never "unreachable since line 0").
            message = `${what}: ${lowerFirst(kind.explanation.title)} until shutdown; freed during ${phaseText(o.phase)}`;
        } else if (o.death?.cause === 'gc') {
            message = `${what}: freed only by the cyclic GC (${o.death.reason}, generation ${o.death.generation}) ${whereAt(d, o.death.at)}`;
        } else {
            message = `${what} is kept until shutdown (${phaseText(o.phase)}): ${lowerFirst(kind.explanation.title)}${o.chainInfo ? ` (${o.chainInfo.path})` : ''}`;
        }
    } else if (kind.id === 'outlives-program' && cause?.until && cause.holder) {
        const u = cause.until;
        // The object may be its own holder (a global of sys): then what holds it is the root module.
        const root = o.chainInfo?.root;
        const h = cause.holder === o && root?.kind === 'module' ? `the ${root.name} module` : cause.holder.label;
        const cls = u.viaClass;
        const holder = cause.holder.label;
        const how = cls ? `; ${holder} holds its class ${cls}${u.viaGlobals ? ', and through its functions’ __globals__ the whole module namespace they were defined in' : ''}` : u.viaGlobals ? `; through a function’s __globals__ ${holder} holds the whole module namespace the function was defined in` : '';
        const fin = o.finalizers.length > 0 ? 'finalized' : 'freed';
        const death = phaseOfDeath(o);
        const end = death === u.released ? `${fin} then` : `${fin} during ${phaseText(death)}`;
        message = `${what}: kept alive by ${h} until ${phaseText(u.released)}, when other modules’ globals are already None; ${end}${how}`;
    } else if (kind.id === 'finalizer-at-shutdown') {
        message = `${what}: ${[...new Set(objs.map((x) => finalizerName(x.finalizers[0]?.kind)))].join(' / ')} runs only at shutdown (${[...new Set(objs.map((x) => phaseText(x.phase)))].join(', ')})`;
    } else if (kind.id === 'finalizer-fails') {
        const f = o.finalizers.find((x) => x.failed !== undefined && isShutdownPhase(x.phase))!;
        const reported = /Exception ignored in|^Exception .* ignored$/m.test(f.output);
        const name = finalizerName(f.kind);
        message = `${what}: ${name} raises ${f.failed} during ${phaseText(f.phase)}: the rest of its ${name} never runs; ${reported ? 'CPython reports it as unraisable on stderr' : 'CPython prints nothing (sys.stderr is already gone)'}`;
    } else if (kind.id === 'resurrection') {
        const during = o.events.find((e) => e.kind === 'revived' || e.kind === 'resurrect');
        message = `${what}: __del__ resurrected the object${during && isShutdownPhase(during.phase) ? ` during ${phaseText(during.phase)}` : ''}${o.death ? `; it is freed later (${whereAt(d, o.death.at)}) without another __del__ call` : ''}`;
    } else message = `${what}: ${lowerFirst(kind.explanation.title)}`;
    if (o.chain) {
        for (const l of o.chain) related.push({ line: l.line, column: l.column, message: `${l.fromLabel} —${l.edge}→ ${l.toLabel}` });
    }
    for (const f of o.finalizers) related.push({ line: f.line, column: f.column, message: `${finalizerName(f.kind)} runs here (${f.phase})` });
    // The other objects of one cause, where they were allocated.
    if (cause) for (const x of objs.slice(1, 10)) related.push({ line: x.allocLine, column: x.allocColumn, message: `${x.label} (${x.type}) allocated here` });
    if (cause?.at) related.unshift({ line: cause.at.line, column: cause.at.column, message: cause.at.message });
    const at = cause?.at ?? (cause?.what === 'holder' && cause.holder && !cause.delay ? { line: cause.holder.allocLine, column: cause.holder.allocColumn } : { line: o.allocLine, column: o.allocColumn });
    return {
        kind: kind.id,
        severity: kind.severity,
        message,
        line: at.line,
        column: at.column,
        objects: objs.slice(0, MAX_FINDING_OBJECTS).map((x) => x.id),
        objectCount: n,
        related: related.filter((r) => r.line > 0),
        explanation: kind.explanation,
    };
}

function emptySummary(d: Decoded): Summary {
    return {
        created: 0,
        freed: 0,
        collected: 0,
        finalizedAtShutdown: 0,
        freedAtShutdown: 0,
        surviving: 0,
        finalizersRun: 0,
        collections: d.collections.length,
        findings: { error: 0, warning: 0, note: 0 },
        expectations: { ok: 0, failed: 0 },
        events: d.length,
        steps: d.length ? d.log.step[d.length - 1] : 0,
    };
}

function countFindings(s: Summary, findings: Finding[], expectations: Report['expectations']): void {
    for (const f of findings) s.findings[f.severity]++;
    for (const e of expectations) {
        if (e.status === 'ok') s.expectations.ok++;
        else s.expectations.failed++;
    }
}

function heapGraph(d: Decoded, g: HeapIndex, labels: Labels): HeapGraph {
    const nodes: HeapGraph['nodes'] = [];
    for (let v = 0; v < g.nodeCount; v++) {
        const frame = g.isFrame(v);
        const died = g.died(v);
        const thread = frame ? d.threads.frames.get(v - d.objects.length) : undefined;
        nodes.push({
            id: g.idOf(v),
            kind: frame ? 'frame' : 'object',
            type: frame ? 'frame' : d.objects.type(v),
            label: labelOf(d, labels, v),
            bornAt: g.born(v),
            diedAt: died === NEVER ? null : died,
            ...(thread === undefined ? {} : { thread: d.threads.names[thread] }),
        });
    }
    const E = d.edges;
    // The graph's labels in order of first use: by labelTable index, its graph index + 1 (0: not yet used).
    const graphLabel = new Int32Array(E.labelTable.length);
    const labelsOut: string[] = [];
    const edges: HeapGraph['edges'] = { from: [], to: [], label: [], addedAt: [], removedAt: [], line: [], column: [] };
    for (let e = 0; e < E.count; e++) {
        const k = E.labelIndex[e];
        if (graphLabel[k] === 0) {
            labelsOut.push(E.labelTable[k]);
            graphLabel[k] = labelsOut.length;
        }
        const li = graphLabel[k] - 1;
        edges.from.push(E.src[e]);
        edges.to.push(E.tgt[e]);
        edges.label.push(li);
        edges.addedAt.push(E.add[e]);
        edges.removedAt.push(E.del[e] === NEVER ? -1 : E.del[e]);
        edges.line.push(d.log.line[E.add[e]]);
        edges.column.push(d.log.col[E.add[e]]);
    }
    return { nodes, edges, labels: labelsOut, eventCount: d.length };
}

/** The fate of every user object on another profile, by objectKeys' key. */
export interface OtherFates {
    profile: string;
    fates: Map<string, Fate>;
}

/** Objects matched across profiles by allocation site, type and order at that site. */
export function objectKeys(objs: readonly ObjectReport[]): Map<string, ObjectReport> {
    const seen = new Map<string, number>();
    const m = new Map<string, ObjectReport>();
    for (const o of objs) {
        if (o.owner !== 'user') continue;
        const b = `${o.allocLine}:${o.allocColumn}:${o.type}`;
        const k = seen.get(b) ?? 0;
        seen.set(b, k + 1);
        m.set(`${b}#${k}`, o);
    }
    return m;
}

const FATE_WORDS: Record<Fate | 'not-created', string> = {
    freed: 'freed by its reference count while the program runs',
    collected: 'collected by the cyclic GC while the program runs',
    'finalized-at-shutdown': 'finalized during shutdown',
    'freed-at-shutdown': 'freed during shutdown',
    'survives-exit': 'never freed',
    'not-created': 'not created',
};

/**
 * A finding's objects on the other simulated profiles: profiles where they all fare as here are
 * "the same", the others list what their objects do instead (grouped, in profile order).
 */
export function simulatedVersionsNote(profile: string, baseKeys: Map<string, ObjectReport>, f: Finding, others: OtherFates[]): string | null {
    if (!others.length || !f.objects.length) return null;
    const keyOf = new Map<number, string>();
    for (const [k, o] of baseKeys) keyOf.set(o.id, k);
    const keys = f.objects.map((id) => keyOf.get(id)).filter((k): k is string => k !== undefined);
    if (!keys.length) return null;
    const mine = new Map(keys.map((k) => [k, baseKeys.get(k)!.fate]));
    const describe = (fateOf: (k: string) => Fate | 'not-created'): string => {
        const counts = new Map<Fate | 'not-created', number>();
        for (const k of keys) counts.set(fateOf(k), (counts.get(fateOf(k)) ?? 0) + 1);
        if (counts.size === 1) return `${keys.length === 1 ? '' : keys.length === 2 ? 'both ' : `all ${keys.length} `}${FATE_WORDS[[...counts.keys()][0]]}`;
        return [...counts].map(([fate, n]) => `${n} of ${keys.length} ${FATE_WORDS[fate]}`).join(', ');
    };
    const byOutcome = new Map<string, string[]>();
    for (const o of others) {
        const fateOf = (k: string) => o.fates.get(k) ?? 'not-created';
        const outcome = keys.every((k) => fateOf(k) === mine.get(k)) ? 'the same' : describe(fateOf);
        const list = byOutcome.get(outcome) ?? [];
        list.push(o.profile);
        byOutcome.set(outcome, list);
    }
    return `Simulated on other versions: ${[...byOutcome].map(([outcome, ps]) => `${ps.join(', ')}: ${outcome}`).join('; ')} (here, ${profile}: ${describe((k) => mine.get(k)!)}).`;
}

/** Simulates the same source under other profiles and lists objects whose fate differs. */
export function explainOnOtherVersions(source: string, base: Report, versions: string[], options: ReportOptions = {}, fatesOut?: OtherFates[]): VersionDiff[] {
    const out: VersionDiff[] = [];
    const mine = objectKeys(base.objects);
    for (const v of versions) {
        if (v === base.profile || !PROFILES[v]) continue;
        const r = simulate(source, { python: v, maxSteps: options.maxSteps, timeLimitMs: options.timeLimitMs, fileName: options.file });
        const other = buildReport(source, r, { ...options, compareWith: undefined, graph: false, maxChains: 0 });
        const theirs = objectKeys(other.objects);
        fatesOut?.push({ profile: v, fates: new Map([...theirs].map(([k, o]) => [k, o.fate])) });
        const differences: VersionDiff['differences'] = [];
        for (const [k, o] of mine) {
            const t = theirs.get(k);
            const otherFate: Fate | 'not-created' = t ? t.fate : 'not-created';
            if (otherFate !== o.fate) differences.push({ line: o.allocLine, column: o.allocColumn, type: o.type, label: o.label, fate: o.fate, otherFate });
            if (differences.length >= 200) break;
        }
        const files = fileDifferences(base.files, other.files);
        out.push({ profile: v, exitCode: other.exitCode, differences, summary: other.summary, ...(files.length ? { files } : {}) });
    }
    return out;
}

/**
 * Output that thread preemption could reorder (the engine's ThreadRace events, threads/races.ts):
 * an Information finding at each of the two writes, pointing at the other.
 */
function raceFindings(d: Decoded): Finding[] {
    const k = FINDING_KINDS['thread-race'];
    const out: Finding[] = [];
    const log = d.log;
    for (const i of d.races) {
        const [me, other] = (eventString(log, i) ?? '?\t?').split('\t');
        const line = log.line[i];
        const otherLine = log.a[i];
        const stream = log.b[i] === 2 ? 'stderr' : 'stdout';
        const make = (l: number, lt: string, o: number, ot: string): Finding => ({
            kind: k.id,
            severity: k.severity,
            message: `the ${stream} output of line ${l} (${lt}) and of line ${o} (${ot}) can come out in either order: both threads were runnable and nothing orders them, so preemption decides`,
            line: l,
            column: 1,
            objects: [],
            objectCount: 0,
            related: [{ line: o, column: 1, message: `the other write (${ot})` }],
            explanation: k.explanation,
        });
        out.push(make(line, me, otherLine, other));
        if (otherLine !== line) out.push(make(otherLine, other, line, me));
    }
    return out;
}

function raceCaveats(d: Decoded): string[] {
    if (!d.races.length) return [];
    const lines = [...new Set(d.races.flatMap((i) => [d.log.a[i], d.log.line[i]]))].sort((a, b) => a - b);
    return [
        `Threads: the output of lines ${lines.join(', ')} is one possible interleaving. The simulation switches threads only where one blocks or ends; ` +
            'CPython also preempts a running thread every sys.getswitchinterval() (5 ms) when another one waits, so these lines can come out in another order.',
    ];
}

const SET_ORDER_CAUSE: Record<string, string> = {
    str: 'its strings\u2019 hashes are randomized per process (PYTHONHASHSEED)',
    bytes: 'its bytes objects\u2019 hashes are randomized per process (PYTHONHASHSEED)',
    identity: 'its items are hashed by identity, that is by their memory address',
};
const SET_ORDER_WHAT = [
    'a set is iterated here', 'a set is printed here', 'a set is popped from here', 'a set frees its items here, running their __del__ methods,',
    'a dict is iterated here', 'a dict is printed here', 'a dict is popped from here', 'a dict frees its entries here, running their __del__ methods,',
];
const DICT_ORDER_CAUSE = 'Python 2.7 dicts keep their keys in hash-table slot order, and its keys hashed by identity hash to their memory addresses';

/**
 * Information findings for events of one kind, one per line (its first event there): the
 * set-order and clock-value notes, which say where the simulation shows one possibility of many.
 */
function lineNotes(d: Decoded, events: number[], kind: keyof typeof FINDING_KINDS, message: (i: number) => string): Finding[] {
    const k = FINDING_KINDS[kind];
    const out: Finding[] = [];
    const seen = new Set<number>();
    const log = d.log;
    for (const i of events) {
        const line = log.line[i];
        if (seen.has(line)) continue;
        seen.add(line);
        out.push({
            kind: k.id,
            severity: k.severity,
            message: message(i),
            line,
            column: log.col[i] + 1,
            objects: [],
            objectCount: 0,
            related: [],
            explanation: k.explanation,
        });
    }
    return out;
}

/** The lines of `events`, sorted, and whether there are several ("line 3" / "lines 3, 5"). */
function noteLines(d: Decoded, events: number[]): { lines: string; several: boolean } {
    const lines = [...new Set(events.map((i) => d.log.line[i]))].sort((a, b) => a - b);
    return { lines: `line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`, several: lines.length > 1 };
}

/**
 * A set shown in slot order while its items' hashes are not CPython's (runtime/setobject.ts,
 * interp/hash.ts setContext): an Information finding per line, as the threads' race note.
 */
function setOrderFindings(d: Decoded): Finding[] {
    return lineNotes(d, d.setOrders, 'set-order', (i) => {
        const cause = d.log.b[i] >= 4 ? DICT_ORDER_CAUSE : (SET_ORDER_CAUSE[eventString(d.log, i) ?? 'identity'] ?? SET_ORDER_CAUSE.identity);
        return `${SET_ORDER_WHAT[d.log.b[i]] ?? SET_ORDER_WHAT[0]} in the simulation's order, but CPython's can differ from run to run: ${cause}`;
    });
}

function setOrderCaveats(d: Decoded): string[] {
    const sets = d.setOrders.filter((i) => d.log.b[i] < 4);
    const dicts = d.setOrders.filter((i) => d.log.b[i] >= 4);
    const out: string[] = [];
    if (sets.length) {
        out.push(
            `Sets: the order shown at ${noteLines(d, sets).lines} is one possible order. A set iterates in its hash table's slot order; ` +
                'Python 3 randomizes str and bytes hashes per process, and identity hashes are addresses, so CPython can show these sets in another order on each run.',
        );
    }
    if (dicts.length) {
        out.push(
            `Dicts: the order shown at ${noteLines(d, dicts).lines} is one possible order. A Python 2.7 dict iterates in its hash table's slot order, ` +
                'and a key hashed by identity (an instance of a class without __hash__) hashes to its address, so CPython 2.7 can show these dicts in another order on each run (Python 3 dicts keep insertion order).',
        );
    }
    return out;
}

/**
 * A reading of the virtual clock (threads/virtualClock.ts): an Information finding per line, as
 * the set-order note, since what is computed from it is not what CPython computes.
 */
function clockFindings(d: Decoded): Finding[] {
    return lineNotes(
        d,
        d.clockReads,
        'clock-value',
        (i) => `time.${eventString(d.log, i) ?? 'time'}() reads the simulation's virtual clock here; CPython reads a real clock, so a value printed from it (a timestamp, an elapsed time) differs from run to run and from the simulation's`,
    );
}

function clockCaveats(d: Decoded): string[] {
    if (!d.clockReads.length) return [];
    const { lines, several } = noteLines(d, d.clockReads);
    return [
        `Clock: ${lines} read${several ? '' : 's'} the simulation's virtual clock, which starts at a fixed time and moves only with time.sleep, timeouts and 1 \u00b5s per reading. ` +
            'CPython reads real clocks, so timestamps and elapsed times computed from these readings are not the ones CPython prints (comparisons such as elapsed >= the time slept agree).',
    ];
}

/**
 * Automatic collections are triggered by CPython's allocation counter. The engine counts every
 * allocation of the program's objects and containers exactly, but CPython also counts a few
 * internal ones (the first multi-part print allocates stdout's pending-write list, a class's first
 * instance, dict/list/tuple free-list reuse); with small thresholds that can move an automatic
 * collection by an iteration or two (measured: test/conformance/known-divergences.json).
 */
function caveatsOf(collections: { reason: string }[]): string[] {
    const out: string[] = [];
    if (collections.some((c) => c.reason === 'automatic')) {
        out.push(
            'Automatic collections: their timing follows the allocations of the program’s own objects and containers, as CPython’s counter does; ' +
                'CPython also counts a few interpreter-internal allocations (stdout’s write buffer, free-list reuse, a class’s first instance), ' +
                'so with very small thresholds a collection can come an iteration or two earlier or later in real CPython. ' +
                'gc.collect() and the shutdown collections are exact.',
        );
    }
    return out;
}
