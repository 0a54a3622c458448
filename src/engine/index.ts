/*
 * index.ts
 *
 * The engine's entry point: simulate a scenario under a profile and return what CPython would
 * print, its exit code and the event log of the run.
 */

import { parse } from './parser/parser';
import type { Comment } from './parser/tokens';
import { analyzeScopes } from './parser/scopes';
import { manglePrivateNames } from './parser/mangle';
import { findRefusals } from './names/refusals';
import { compileWarnings, formatCompileWarning } from './parser/compileWarnings';
import { PROFILES, DEFAULT_PROFILE } from './profiles';
import type { EngineError, SimulateOptions, SimulationResult } from './api';
import { Interpreter } from './interp/interpreter';
import { setUpInterpreter } from './interp/setup';
import { runMain } from './interp/main';
import { eventString, emptyEventLog, type EventLogData } from './events';

import { installTracingGc } from './gc/tracing';
import { DEFAULT_TIME_LIMIT_MS, MAX_SOURCE_BYTES, BUDGET_MESSAGES } from './interp/budget';
import { NativeRuntime } from './native';
import { parseAnnotations, type Annotations } from './annotations';
import { IoState } from './io/state';
import type { Profile } from './profiles';
import type { EmbedCycle, FileEntry } from './api';

export type { EngineError, SimulateOptions, SimulationResult, EmbedCycle, MemoryBudget, FileEntry } from './api';

/** Profiles the engine claims to simulate exactly (checked by the conformance suite). */
export const ENABLED_PROFILES: readonly string[] = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', 'pypy', 'jython'];

export { DEFAULT_TIME_LIMIT_MS, MAX_STEPS_LIMIT, MAX_SOURCE_BYTES } from './interp/budget';

export interface FullSimulationResult extends SimulationResult {
    events: EventLogData;
    /** The scenario's comments (annotations, `# expect:`), from the one parse of the run; absent when it was not parsed. */
    comments?: Comment[];
    /** Embedded runs: the event log of every cycle (events above is the first cycle's). */
    cycleEvents?: EventLogData[];
}

/** Most cycles an embedded run simulates. */
export const MAX_EMBED_CYCLES = 50;

export function simulate(source: string, options: SimulateOptions = {}): FullSimulationResult {
    if (options.embedded !== undefined) return simulateEmbedded(source, options);
    return simulateOnce(source, options);
}

/**
 * An embedding application: Py_InitializeEx, PyRun_SimpleFile(scenario), Py_FinalizeEx, N times.
 * Each cycle is a fresh interpreter (what the process keeps from earlier cycles, i.e. objects never
 * freed and native blocks, is what the report's `embedded` section accumulates). SystemExit ends
 * the process through Py_Exit (after that cycle's Py_FinalizeEx), as does os._exit.
 */
function simulateEmbedded(source: string, options: SimulateOptions): FullSimulationResult {
    const n = Math.max(1, Math.min(MAX_EMBED_CYCLES, Math.floor(options.embedded ?? 1)));
    const deadline = Date.now() + (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
    const cycles: EmbedCycle[] = [];
    const cycleEvents: EventLogData[] = [];
    let first: FullSimulationResult | null = null;
    let exitCode = 0;
    let stdout = '';
    let stderr = '';
    for (let c = 1; c <= n; c++) {
        // One time budget for the whole process, not one per cycle.
        const timeLimitMs = Math.max(0, deadline - Date.now());
        // Each cycle's events tell how it ended (and feed the report).
        const r = simulateOnce(source, { ...options, embedded: undefined, timeLimitMs, keepEvents: true });
        if (!first) first = r;
        stdout += r.stdout;
        stderr += r.stderr;
        cycleEvents.push(r.events);
        const phases = new Set<string | null>();
        for (let i = 0; i < r.events.kind.length; i++) if (r.events.kind[i] === 7 /* PhaseChange */) phases.add(eventString(r.events, i));
        const ended = r.errors.length > 0 || phases.has('system-exit') || phases.has('os-exit');
        cycles.push({ cycle: c, stdout: r.stdout, stderr: r.stderr, runResult: r.exitCode === 0 || ended ? 0 : -1, endedProcess: ended });
        if (ended) {
            exitCode = r.exitCode;
            if (r.errors.length) return { ...r, stdout, stderr, cycles, cycleEvents };
            break;
        }
    }
    return { ...first!, stdout, stderr, exitCode, cycles, cycleEvents };
}

function simulateOnce(source: string, options: SimulateOptions): FullSimulationResult {
    const profileName = options.python ?? DEFAULT_PROFILE;
    const profile = PROFILES[profileName];
    const empty: EventLogData = emptyEventLog();
    if (!profile) {
        return {
            profile: profileName,
            stdout: '',
            stderr: '',
            exitCode: 2,
            errors: [{ kind: 'internal', message: `unknown Python version '${profileName}' (choose one of ${Object.keys(PROFILES).join(', ')})`, line: 1, col: 1 }],
            events: empty,
        };
    }
    if (source.length > MAX_SOURCE_BYTES) {
        return { profile: profileName, stdout: '', stderr: '', exitCode: 2, errors: [{ kind: 'budget', budget: 'limit', message: BUDGET_MESSAGES.source(source.length), line: 1, col: 1 }], events: empty };
    }
    const parsed = parse(source, { python2: profile.grammar === 'python2', minor: profile.minor });
    const errors: EngineError[] = parsed.diagnostics.map((d) => ({ kind: d.category, message: d.message, line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol }));
    if (!errors.length) {
        manglePrivateNames(parsed.module);
        const scopes = analyzeScopes(parsed.module);
        for (const d of scopes.diagnostics) errors.push({ kind: d.category, message: d.message, line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol });
        // Names the profile's interpreter defines and the engine does not implement (names/).
        if (!errors.length) errors.push(...findRefusals(parsed.module, scopes, profileName));
        if (!errors.length) {
            const it = new Interpreter({
                profile,
                maxSteps: options.maxSteps ?? Infinity,
                timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
                memory: options.memory ?? null,
                fileName: options.fileName ?? 'scenario.pyscn',
                recordEdges: options.recordEdges ?? true,
                keepEvents: options.keepEvents !== false,
            });
            it.scopes = scopes;
            it.sourceLines = source.split(/\r\n|\r|\n/);
            const annotations = parseAnnotations(source, Object.keys(PROFILES), parsed.comments);
            const annotationErrors = annotationErrorsOf(annotations, profile, it.fileName);
            if (annotationErrors.length) return { comments: parsed.comments, profile: profileName, stdout: '', stderr: '', exitCode: 2, errors: annotationErrors, events: empty };
            it.io = runDirectory(annotations, it.fileName, source);
            setUpInterpreter(it);
            // Issue 8: tracing-GC runtimes and native blocks (no effect on ordinary scenarios).
            if (profile.tracingGc) installTracingGc(it);
            if (annotations.cAllocs.length) it.native = new NativeRuntime(it, annotations.cAllocs);
            // The compiler's SyntaxWarnings come before anything the script prints.
            for (const w of compileWarnings(parsed.module, profile.syntaxWarnings)) it.stderr.write(formatCompileWarning(it.fileName, w, it.sourceLines));
            const outcome = runMain(it, parsed.module);
            return {
                comments: parsed.comments,
                profile: profileName,
                stdout: it.stdout.written,
                stderr: it.stderr.written,
                exitCode: outcome.exitCode,
                mainEndLine: it.mainEndLine,
                errors: outcome.error ? [outcome.error] : [],
                events: options.keepEvents === false ? empty : it.log.toData(),
                files: finalFiles(it.io),
            };
        }
    }
    return { comments: parsed.comments, profile: profileName, stdout: '', stderr: '', exitCode: 2, errors, events: empty };
}

/** The annotations' problems that stop the run (file, dir, flags, c-alloc), and options a profile lacks. */
function annotationErrorsOf(a: Annotations, profile: Profile, fileName: string): EngineError[] {
    const errors: EngineError[] = a.problems.filter((p) => p.scope === 'run').map((p) => ({ kind: 'syntax', message: p.message, line: p.line, col: p.col }));
    const own = scenarioName(fileName);
    for (const d of [...a.files, ...a.dirs]) {
        if (d.path === own || d.path.startsWith(own + '/')) errors.push({ kind: 'syntax', message: `the run's directory already holds the scenario itself as '${own}'`, line: d.line, col: 1 });
    }
    if (a.flags.devMode && profile.major === 2) {
        errors.push({ kind: 'unsupported', message: `not supported in scenarios yet: -X dev on Python ${profile.fullVersion} (python2.7 rejects -X)`, line: a.flags.line, col: 1 });
    }
    return errors;
}

/** The scenario's name in its directory (the file name without its folder). */
function scenarioName(fileName: string): string {
    return fileName.split(/[\\/]/).pop() || 'scenario.pyscn';
}

/** The run's directory: the scenario itself under its file name, then the declared entries in source order. */
function runDirectory(a: Annotations, fileName: string, source: string): IoState {
    const name = scenarioName(fileName);
    const data = new TextEncoder().encode(source);
    const io = new IoState(a.flags, name, data);
    io.dir.addFile(name, data);
    const decls = [...a.dirs.map((d) => ({ line: d.line, path: d.path, data: null as Uint8Array | null })), ...a.files.map((f) => ({ line: f.line, path: f.path, data: f.data }))];
    decls.sort((x, y) => x.line - y.line);
    for (const d of decls) {
        if (d.data) io.dir.addFile(d.path, d.data);
        else io.dir.addDir(d.path);
    }
    return io;
}

function finalFiles(io: IoState): FileEntry[] {
    const { entries, scenarioRemoved } = io.finalEntries();
    const out: FileEntry[] = entries.map((e) => (e.kind === 'file' ? { path: e.path, kind: 'file', data: e.data } : { path: e.path, kind: 'dir' }));
    if (scenarioRemoved) out.push({ path: io.scenarioName, kind: 'removed' });
    return out;
}
