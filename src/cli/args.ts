/*
 * args.ts — the options of every command, parsed in one place.
 *
 * Budgets: `--max-seconds S` (wall-clock budget of the simulation, default 60), `--max-steps N`
 * (a statement budget, off unless given; at most 1,000,000,000), `--max-memory MB` (the heap of
 * the worker thread the command runs in; the simulation stops at a share of it, see limits.ts).
 */

import { MAX_STEPS_LIMIT, DEFAULT_TIME_LIMIT_MS } from '../engine/index';
import { PROFILES, DEFAULT_PROFILE } from '../engine/profiles';
import { FORMATS, type FormatName } from '../report/formats/index';
import { CliError } from './io';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from './limits';

export interface Opts {
    command: string | null;
    files: string[];
    python: string;
    format: FormatName;
    out: string | null;
    /** Statement budget, or undefined (none). */
    maxSteps: number | undefined;
    timeLimitMs: number;
    /** --max-memory in MB, or undefined (the default heap). */
    maxMemoryMb: number | undefined;
    color: boolean | null;
    compare: string[];
    embedded: number | undefined;
    /** check: the least severe finding that fails a scenario (--fail-on; default warning). */
    failOn: FailOn;
    help: boolean;
    version: boolean;
}

const MAX_SECONDS = 24 * 3600;

/** `check --fail-on`: error (failed expectations only), warning (the default), info (every finding). */
export const FAIL_ON = ['error', 'warning', 'info'] as const;
export type FailOn = (typeof FAIL_ON)[number];

function wholeNumber(a: string, v: string, min: number, max: number): number {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${a} takes a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, not '${v}'`);
    return n;
}

export function parseOptions(argv: string[]): Opts {
    const o: Opts = {
        command: null,
        files: [],
        python: DEFAULT_PROFILE,
        format: 'text',
        out: null,
        maxSteps: undefined,
        timeLimitMs: DEFAULT_TIME_LIMIT_MS,
        maxMemoryMb: undefined,
        color: null,
        compare: [],
        embedded: undefined,
        failOn: 'warning',
        help: false,
        version: false,
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const eq = a.indexOf('=');
        const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
        const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
        const value = (): string => {
            if (inline !== undefined) return inline;
            const v = argv[++i];
            if (v === undefined) throw new CliError(`${a} needs a value`);
            return v;
        };
        switch (name) {
            case '-h':
            case '--help':
                o.help = true;
                break;
            case '--version':
                o.version = true;
                break;
            case '--python':
                o.python = value();
                break;
            case '--format':
            case '-f': {
                const f = value();
                if (!(FORMATS as readonly string[]).includes(f)) throw new CliError(`unknown format '${f}' (choose one of ${FORMATS.join(', ')})`);
                o.format = f as FormatName;
                break;
            }
            case '-o':
            case '--output':
                o.out = value();
                break;
            case '--max-steps':
                o.maxSteps = wholeNumber(name, value(), 1, MAX_STEPS_LIMIT);
                break;
            case '--max-seconds': {
                const v = value();
                const s = Number(v);
                if (!Number.isFinite(s) || s <= 0 || s > MAX_SECONDS) throw new CliError(`--max-seconds takes a number of seconds above 0, up to ${MAX_SECONDS}, not '${v}'`);
                o.timeLimitMs = Math.round(s * 1000);
                break;
            }
            case '--max-memory':
                o.maxMemoryMb = wholeNumber(name, value(), MIN_MEMORY_MB, MAX_MEMORY_MB);
                break;
            case '--color':
                o.color = true;
                break;
            case '--no-color':
                o.color = false;
                break;
            case '--embedded': {
                const v = value();
                const n = Number(v);
                if (!Number.isInteger(n) || n < 1 || n > 50) throw new CliError('--embedded takes a whole number of cycles from 1 to 50');
                o.embedded = n;
                break;
            }
            case '--fail-on': {
                const v = value();
                if (!(FAIL_ON as readonly string[]).includes(v)) throw new CliError(`--fail-on takes ${FAIL_ON.join(', ')}, not '${v}'`);
                o.failOn = v as FailOn;
                break;
            }
            case '--compare':
                o.compare = value().split(',').map((s) => s.trim()).filter(Boolean);
                break;
            default:
                if (a.startsWith('-') && a !== '-') throw new CliError(`unknown option ${a}`);
                if (!o.command) o.command = a;
                else o.files.push(a);
        }
    }
    if (o.help || o.version) return o;
    if (!PROFILES[o.python]) throw new CliError(`unknown Python version '${o.python}' (choose one of ${Object.keys(PROFILES).join(', ')})`);
    for (const v of o.compare) if (!PROFILES[v]) throw new CliError(`unknown Python version '${v}' in --compare`);
    if (o.embedded !== undefined && PROFILES[o.python]?.runtime !== 'cpython') throw new CliError(`--embedded models CPython's Py_InitializeEx/Py_FinalizeEx; not available for ${o.python}`);
    return o;
}
