/*
 * main.ts → dist/cli.js — the `exitscope` command line: a launcher that runs the command
 * (commands.ts) in a worker thread, so that
 *   - the simulation has a stack deep enough for CPython's recursion limits (limits.ts), and
 *   - a run that exhausts the heap despite the memory budget ends with a message and exit 2,
 *     where the main thread would abort the process.
 * It loads nothing else (the worker loads the engine), so starting it costs one thread. The worker
 * starts in this same small file, which loads the command bundle with V8's code cache (codeCache.ts).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, isMainThread } from 'node:worker_threads';
import { STACK_MB, requestedMemoryMb } from './limits';
import { runBundle } from './codeCache';

function say(text: string): void {
    try {
        fs.writeSync(2, text);
    } catch {
        // stderr is gone too: nothing to tell
    }
}

function launch(): void {
    const argv = process.argv.slice(2);
    const memoryMb = requestedMemoryMb(argv);
    let exitCode: number | null = null;
    const worker = new Worker(__filename, {
        workerData: { argv },
        resourceLimits: { stackSizeMb: STACK_MB, ...(memoryMb ? { maxOldGenerationSizeMb: memoryMb } : {}) },
        stdout: false,
        stderr: false,
    });
    worker.on('message', (m: { exitCode?: number }) => {
        if (typeof m?.exitCode === 'number') exitCode = m.exitCode;
    });
    worker.on('error', (e: Error & { code?: string }) => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
            say(`exitscope: error: out of memory: the simulation and its report need more than the ${memoryMb ? `${memoryMb} MB given` : 'memory Node allows by default'} (--max-memory MB raises it; --max-steps or --max-seconds make the run shorter)\n`);
        } else {
            say(`exitscope: internal error: ${e?.message ?? String(e)}\n`);
        }
        exitCode = 2;
    });
    worker.on('exit', (code) => {
        process.exitCode = exitCode ?? (code === 0 ? 0 : 2);
    });
}

if (isMainThread) launch();
else runBundle(path.join(__dirname, 'cli-worker.js'));
