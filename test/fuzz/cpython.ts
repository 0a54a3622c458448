/*
 * cpython.ts
 *
 * Running a generated program on the real interpreter, as the recorder does (`python -S`, every
 * PYTHON* variable dropped, PYTHONHASHSEED set, cwd = the program's folder, stdin closed), with
 * the results cached on disk (`.fuzz-cache/`, git-ignored) keyed by the interpreter's full version,
 * the hash seed and the program's text: a re-run costs nothing.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: a plain ES module shared with the recorder
import { childEnv, findCPythons } from '../../scripts/record-cpython.mjs';
import type { RunOutput } from './compare';
import { PROGRAM_FILE } from './engine';

export interface Interpreter {
    exe: string;
    /** Full version (3.13.0): part of the cache key. */
    full: string;
}

export interface CPythonRun extends RunOutput {
    timedOut: boolean;
}

const TIMEOUT_MS = 20_000;
const MAX_OUTPUT = 1 << 20;

export function interpreters(): Map<string, Interpreter> {
    return findCPythons() as Map<string, Interpreter>;
}

export class CPythonRunner {
    private readonly dir: string;
    private tmp = 0;
    /** Runs made (cache misses) and answered from the cache. */
    readonly stats = { runs: 0, cached: 0 };

    constructor(
        readonly cacheRoot: string | null,
        readonly maxParallel: number,
    ) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exitscope-fuzz-'));
    }

    private active = 0;
    private readonly waiting: (() => void)[] = [];

    private async slot<T>(fn: () => Promise<T>): Promise<T> {
        while (this.active >= this.maxParallel) await new Promise<void>((r) => this.waiting.push(r));
        this.active++;
        try {
            return await fn();
        } finally {
            this.active--;
            this.waiting.shift()?.();
        }
    }

    private cacheFile(py: Interpreter, seed: string, source: string): string | null {
        if (!this.cacheRoot) return null;
        const h = createHash('sha1').update(source).digest('hex');
        return path.join(this.cacheRoot, 'cpython', py.full, seed, h.slice(0, 2), h.slice(2) + '.json');
    }

    /** Runs `source` under `py` with PYTHONHASHSEED=`seed` (or returns the cached result). */
    async run(py: Interpreter, source: string, seed: string): Promise<CPythonRun> {
        const file = this.cacheFile(py, seed, source);
        if (file && fs.existsSync(file)) {
            try {
                const r = JSON.parse(fs.readFileSync(file, 'utf8')) as CPythonRun;
                this.stats.cached++;
                return r;
            } catch {
                /* a torn write: run again */
            }
        }
        const r = await this.slot(() => this.spawn(py, source, seed));
        this.stats.runs++;
        if (file && !r.timedOut) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const part = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(part, JSON.stringify(r));
            fs.renameSync(part, file);
        }
        return r;
    }

    private spawn(py: Interpreter, source: string, seed: string): Promise<CPythonRun> {
        const dir = path.join(this.dir, String(this.tmp++));
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, PROGRAM_FILE), source);
        return new Promise((resolve) => {
            const child = spawn(py.exe, ['-S', PROGRAM_FILE], { cwd: dir, env: childEnv(seed), stdio: ['ignore', 'pipe', 'pipe'] });
            const out: Buffer[] = [];
            const err: Buffer[] = [];
            let outLen = 0;
            let errLen = 0;
            let timedOut = false;
            child.stdout.on('data', (b: Buffer) => {
                if (outLen < MAX_OUTPUT) out.push(b);
                outLen += b.length;
            });
            child.stderr.on('data', (b: Buffer) => {
                if (errLen < MAX_OUTPUT) err.push(b);
                errLen += b.length;
            });
            const timer = setTimeout(() => {
                timedOut = true;
                child.kill('SIGKILL');
            }, TIMEOUT_MS);
            const done = (r: CPythonRun): void => {
                clearTimeout(timer);
                fs.rmSync(dir, { recursive: true, force: true });
                resolve(r);
            };
            child.on('error', (e) => done({ stdout: '', stderr: String(e), exitCode: -1, timedOut: false }));
            child.on('close', (code) =>
                done({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1, timedOut }),
            );
        });
    }

    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
