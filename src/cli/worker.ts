/*
 * worker.ts → dist/cli-worker.js: the command, in the worker thread main.ts starts (a large
 * stack for deep Python recursion, a heap limit whose breach fails the worker, not the process).
 */

import { parentPort, workerData } from 'node:worker_threads';
import { runCli } from './commands';

const argv = (workerData as { argv: string[] }).argv;
const exitCode = runCli(argv);
parentPort!.postMessage({ exitCode });
