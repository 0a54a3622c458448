/*
 * main.ts — the `exitscope` command line.
 *
 *   exitscope run FILE [--python VERSION] [--max-steps N]
 *
 * `run` writes exactly what `pythonVERSION FILE` writes to stdout, the program's error output to
 * stderr, and exits with the program's exit code. A scenario that cannot be simulated gives
 * `FILE:LINE:COL: error: message` on stderr and exit code 2.
 */

import * as fs from 'node:fs';
import { simulate, DEFAULT_MAX_STEPS } from '../engine/index';
import { PROFILES, DEFAULT_PROFILE } from '../engine/profiles';
import { runReport, runCheck } from './report';

const HELP = `exitscope — simulate what CPython does with every object of a scenario

Usage:
  exitscope run FILE [options]       print what CPython prints for FILE, exit with its status
  exitscope report FILE [options]    every object's lifetime, what survives exit and why
      --format text|json|sarif|dot|html   (default text)   -o OUT   write to OUT instead of stdout
      --color | --no-color                 ANSI colour (default: when stdout is a terminal)
      --compare V,V…                       also explain how other versions differ
  exitscope check FILE... [--python V]
      one line per file; exit 1 when objects survive exit or an expectation fails

Options:
  --python VERSION   CPython profile: ${Object.keys(PROFILES).join(', ')} (default ${DEFAULT_PROFILE})
  --max-steps N      step budget before the run is stopped (default ${DEFAULT_MAX_STEPS.toLocaleString('en-US')})
  --embedded N       run FILE N times in one process, Py_FinalizeEx/Py_InitializeEx between runs,
                     as an application embedding Python does (pypy and jython: not applicable)
  -h, --help         show this help
  --version          show the exitscope version

Exit status: the simulated program's own status; 2 when the scenario cannot be simulated
(syntax error, unsupported construct, step budget) or the command line is wrong.`;

interface Args {
    command: string | null;
    files: string[];
    python: string;
    maxSteps: number;
    embedded: number | undefined;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args | 'help' | 'version' {
    const out: Args = { command: null, files: [], python: DEFAULT_PROFILE, maxSteps: DEFAULT_MAX_STEPS, embedded: undefined };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => {
            const v = argv[++i];
            if (v === undefined) throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === '-h' || a === '--help') return 'help';
        if (a === '--version') return 'version';
        if (a === '--python') out.python = value();
        else if (a.startsWith('--python=')) out.python = a.slice(9);
        else if (a === '--max-steps') out.maxSteps = Number(value());
        else if (a.startsWith('--max-steps=')) out.maxSteps = Number(a.slice(12));
        else if (a === '--embedded') out.embedded = Number(value());
        else if (a.startsWith('--embedded=')) out.embedded = Number(a.slice(11));
        else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        else if (!out.command) out.command = a;
        else out.files.push(a);
    }
    if (!PROFILES[out.python]) throw new UsageError(`unknown Python version '${out.python}' (choose one of ${Object.keys(PROFILES).join(', ')})`);
    if (!Number.isInteger(out.maxSteps) || out.maxSteps <= 0) throw new UsageError('--max-steps takes a positive whole number');
    checkEmbedded(out.embedded, out.python);
    return out;
}

/** `--embedded N`: 1…50 cycles, CPython profiles only. */
export function checkEmbedded(n: number | undefined, python: string): void {
    if (n === undefined) return;
    if (!Number.isInteger(n) || n < 1 || n > 50) throw new UsageError('--embedded takes a whole number of cycles from 1 to 50');
    if (PROFILES[python]?.runtime !== 'cpython') throw new UsageError(`--embedded models CPython's Py_InitializeEx/Py_FinalizeEx; not available for ${python}`);
}

function readScenario(file: string): string {
    try {
        return fs.readFileSync(file, 'utf8');
    } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
}

function cmdRun(args: Args): number {
    if (args.files.length !== 1) throw new UsageError('run takes exactly one FILE');
    const file = args.files[0];
    const source = readScenario(file);
    const r = simulate(source, { python: args.python, maxSteps: args.maxSteps, fileName: file, recordEdges: false, keepEvents: false, embedded: args.embedded });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    for (const e of r.errors) process.stderr.write(`${file}:${e.line}:${e.col}: error: ${e.message}\n`);
    return r.exitCode;
}

export function main(argv: string[]): number {
    if (argv[0] === 'report') return runReport(argv.slice(1));
    if (argv[0] === 'check') return runCheck(argv.slice(1));
    try {
        const args = parseArgs(argv);
        if (args === 'help') {
            process.stdout.write(HELP + '\n');
            return 0;
        }
        if (args === 'version') {
            process.stdout.write('exitscope 0.1.0\n');
            return 0;
        }
        switch (args.command) {
            case 'run':
                return cmdRun(args);
            case null:
                throw new UsageError('missing command (try --help)');
            default:
                throw new UsageError(`unknown command '${args.command}' (try --help)`);
        }
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`exitscope: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

// Flush before exiting: process.exit would cut a large piped stdout short.
const code = main(process.argv.slice(2));
process.exitCode = code;
