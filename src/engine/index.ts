/*
 * index.ts
 *
 * The engine's entry point: simulate a scenario under a profile and return what CPython would
 * print, its exit code and the event log of the run.
 */

import { parse } from './parser/parser';
import { analyzeScopes } from './parser/scopes';
import { PROFILES, DEFAULT_PROFILE } from './profiles';
import type { EngineError, SimulateOptions, SimulationResult } from './api';
import { Interpreter } from './interp/interpreter';
import { setUpInterpreter } from './interp/setup';
import { runMain } from './interp/main';
import type { EventLogData } from './events';

export type { EngineError, SimulateOptions, SimulationResult } from './api';

/** Profiles the engine claims to simulate exactly (checked by the conformance suite). */
export const ENABLED_PROFILES: readonly string[] = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

export const DEFAULT_MAX_STEPS = 1_000_000;

export interface FullSimulationResult extends SimulationResult {
    events: EventLogData;
}

export function simulate(source: string, options: SimulateOptions = {}): FullSimulationResult {
    const profileName = options.python ?? DEFAULT_PROFILE;
    const profile = PROFILES[profileName];
    const empty: EventLogData = { kind: [], step: [], line: [], col: [], a: [], b: [], s: [] };
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
    const parsed = parse(source);
    const errors: EngineError[] = parsed.diagnostics.map((d) => ({ kind: d.category, message: d.message, line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol }));
    if (!errors.length) {
        const scopes = analyzeScopes(parsed.module);
        for (const d of scopes.diagnostics) errors.push({ kind: d.category, message: d.message, line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol });
        if (!errors.length) {
            const it = new Interpreter({
                profile,
                maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
                fileName: options.fileName ?? 'scenario.pyscn',
                recordEdges: options.recordEdges ?? true,
            });
            it.scopes = scopes;
            it.sourceLines = source.split(/\r?\n/);
            setUpInterpreter(it);
            const outcome = runMain(it, parsed.module);
            return {
                profile: profileName,
                stdout: it.stdout.written,
                stderr: it.stderr.written,
                exitCode: outcome.exitCode,
                errors: outcome.error ? [outcome.error] : [],
                events: options.keepEvents === false ? empty : it.log.toData(),
            };
        }
    }
    return { profile: profileName, stdout: '', stderr: '', exitCode: 2, errors, events: empty };
}
