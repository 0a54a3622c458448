/*
 * commands.ts — `exitscope run | report | check`, as the worker thread runs them (see main.ts).
 *
 *   exitscope run FILE [--python VERSION] [--max-seconds S] [--max-steps N] [--max-memory MB] [--embedded N]
 *
 * `run` writes exactly what `pythonVERSION FILE` writes to stdout, the program's error output to
 * stderr, and exits with the program's exit code. A scenario that cannot be simulated gives
 * `FILE:LINE:COL: error: message` on stderr and exit code 2.
 */

import { simulate, DEFAULT_TIME_LIMIT_MS, MAX_STEPS_LIMIT, MAX_SOURCE_BYTES } from '../engine/index';
import { PROFILES, DEFAULT_PROFILE } from '../engine/profiles';
import { parseOptions } from './args';
import { CliError, engineErrorLines, fdIo, readScenario, type CliIo } from './io';
import { SIMULATION_SHARE } from './limits';
import { guard, runCheck, runReport, simulateOptions } from './report';

const HELP = `exitscope — simulate what CPython does with every object of a scenario

Usage:
  exitscope run FILE [options]       print what CPython prints for FILE, exit with its status
  exitscope report FILE [options]    every object's lifetime, what survives exit and why
      --format text|json|sarif|dot|html   (default text)   -o OUT   write to OUT instead of stdout
      --color | --no-color                 ANSI colour (default: when stdout is a terminal)
      --compare V,V…                       also explain how other versions differ (html: the
                                           heap graph on the first V beside this one's)
  exitscope check FILE... [--python V] [--fail-on error|warning|info]
      one line per file; exit 1 when a finding at or above --fail-on (default warning:
      survives exit, outlives the program) or a failed expectation (error) is present

Options:
  --python VERSION   CPython profile: ${Object.keys(PROFILES).join(', ')} (default ${DEFAULT_PROFILE})
  --max-seconds S    stop a simulation still running after S seconds (default ${DEFAULT_TIME_LIMIT_MS / 1000})
  --max-steps N      also stop it after N statements (at most ${MAX_STEPS_LIMIT.toLocaleString('en-US')}; default: no limit)
  --max-memory MB    memory for the simulation and its report (default: Node's heap limit)
  --embedded N       run FILE N times in one process, Py_FinalizeEx/Py_InitializeEx between runs,
                     as an application embedding Python does (pypy and jython: not applicable)
  -h, --help         show this help
  --version          show the exitscope version

Scenarios larger than ${MAX_SOURCE_BYTES / 2 ** 20} MB are refused (in the editor too).
Exit status: the simulated program's own status (128+N when CPython's process ends by signal N,
as a shell reports it: 130 after an uncaught KeyboardInterrupt on 3.8+); 2 when the scenario cannot
be simulated (syntax error, unsupported construct, a budget or limit reached) or the command line
is wrong.`;

function cmdRun(argv: string[], io: CliIo): number {
    const o = parseOptions(argv);
    if (o.files.length !== 1) throw new CliError('run takes exactly one FILE');
    const file = o.files[0];
    const read = readScenario(file, o.python);
    if ('error' in read) {
        io.err(engineErrorLines(file, [read.error]));
        return 2;
    }
    const r = simulate(read.text, { ...simulateOptions(o, file, SIMULATION_SHARE.run), recordEdges: false, keepEvents: false, embedded: o.embedded });
    io.out(r.stdout);
    io.err(r.stderr);
    io.err(engineErrorLines(file, r.errors));
    // A signal death (a negative code: minus the signal) is reported as a shell shows it.
    return r.exitCode < 0 ? 128 - r.exitCode : r.exitCode;
}

export function runCli(argv: string[], io: CliIo = fdIo): number {
    if (argv[0] === 'report') return runReport(argv.slice(1), io);
    if (argv[0] === 'check') return runCheck(argv.slice(1), io);
    return guard(io, () => {
        const o = parseOptions(argv);
        if (o.help) {
            io.out(HELP + '\n');
            return 0;
        }
        if (o.version) {
            io.out('exitscope 0.1.0\n');
            return 0;
        }
        switch (o.command) {
            case 'run':
                return cmdRun(argv, io);
            case null:
                throw new CliError('missing command (try --help)');
            default:
                throw new CliError(`unknown command '${o.command}' (try --help)`);
        }
    });
}
