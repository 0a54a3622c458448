/*
 * index.ts
 *
 * The engine's entry point: simulate a scenario under a profile and return what CPython would
 * print, its exit code and the event log of the run.
 */

import { parse } from './parser/parser';
import type { Comment } from './parser/tokens';
import { analyzeScopes } from './parser/scopes';
import { compileWarnings, formatCompileWarning } from './parser/compileWarnings';
import { PROFILES, DEFAULT_PROFILE } from './profiles';
import type { EngineError, SimulateOptions, SimulationResult } from './api';
import { Interpreter } from './interp/interpreter';
import { setUpInterpreter } from './interp/setup';
import { runMain } from './interp/main';
import { eventString, emptyEventLog, type EventLogData } from './events';

import { installTracingGc } from './gc/tracing';
import { DEFAULT_TIME_LIMIT_MS, MAX_SOURCE_BYTES, BUDGET_MESSAGES } from './interp/budget';
import { NativeRuntime, parseNativeAnnotations } from './native';
import type { EmbedCycle } from './api';

export type { EngineError, SimulateOptions, SimulationResult, EmbedCycle, MemoryBudget } from './api';

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
    const parsed = parse(source);
    const errors: EngineError[] = parsed.diagnostics.map((d) => ({ kind: d.category, message: d.message, line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol }));
    if (!errors.length) {
        const scopes = analyzeScopes(parsed.module);
        for (const d of scopes.diagnostics) errors.push({ kind: d.category, message: d.message, line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol });
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
            it.sourceLines = source.split(/\r?\n/);
            setUpInterpreter(it);
            // Issue 8: tracing-GC runtimes and native blocks (no effect on ordinary scenarios).
            if (profile.tracingGc) installTracingGc(it);
            const natives = parseNativeAnnotations(source, parsed.comments);
            if (natives.errors.length) return { profile: profileName, stdout: '', stderr: '', exitCode: 2, errors: natives.errors, events: empty };
            if (natives.annotations.length) it.native = new NativeRuntime(it, natives.annotations);
            // The compiler's SyntaxWarnings come before anything the script prints.
            for (const w of compileWarnings(parsed.module, profile.syntaxWarnings)) it.stderr.write(formatCompileWarning(it.fileName, w, it.sourceLines));
            const outcome = runMain(it, parsed.module);
            return {
                comments: parsed.comments,
                profile: profileName,
                stdout: it.stdout.written,
                stderr: it.stderr.written,
                exitCode: outcome.exitCode,
                errors: outcome.error ? [outcome.error] : [],
                events: options.keepEvents === false ? empty : it.log.toData(),
            };
        }
    }
    return { comments: parsed.comments, profile: profileName, stdout: '', stderr: '', exitCode: 2, errors, events: empty };
}
