/*
 * io.ts — what the command line reads and writes, with every failure a clear message:
 *
 * - scenarios are read up to the size limit the editor uses too (a larger file, a directory, a
 *   device that never ends: a message, not an out-of-memory abort) and decoded as CPython decodes
 *   source files (PEP 263: UTF-8, a coding declaration, a BOM);
 * - output goes to a file descriptor with synchronous writes (this runs in a worker thread; the
 *   launcher's process.stdout is not ours), retrying when a non-blocking pipe is full; a reader
 *   that went away (`| head`) ends the output quietly instead of an EPIPE stack trace;
 * - `-o FILE` that cannot be opened or written is `exitscope: cannot write FILE: …`, exit 2.
 */

import * as fs from 'node:fs';
import { MAX_SOURCE_BYTES } from '../engine/index';
import { PROFILES, DEFAULT_PROFILE } from '../engine/profiles';
import { decodeSource } from '../engine/parser/sourceEncoding';
import type { EngineError } from '../engine/api';

/** A problem with the command line or its files: `exitscope: message` on stderr, exit 2. */
export class CliError extends Error {}

/** The reader of our output went away (EPIPE): stop writing, exit without a word. */
export class ClosedOutput extends Error {}

/** Where a command writes: stdout and stderr (tests capture them). */
export interface CliIo {
    out(text: string): void;
    err(text: string): void;
}

const ERRNO_TEXT: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EMFILE: 'too many open files',
    ENAMETOOLONG: 'file name too long',
};

/** `ENOENT (no such file or directory)` for a Node error. */
export function describeError(e: unknown): string {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code) return ERRNO_TEXT[code] ? `${ERRNO_TEXT[code]} (${code})` : code;
    return (e as Error)?.message ?? String(e);
}

/** Writes all of `text` to `fd` (retrying while a non-blocking pipe is full). */
function writeAll(fd: number, text: string): void {
    let buf = Buffer.from(text, 'utf8');
    let spins = 0;
    while (buf.length) {
        let n: number;
        try {
            n = fs.writeSync(fd, buf);
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'EAGAIN') {
                // A non-blocking pipe is full: wait a little for the reader.
                Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(50, ++spins));
                continue;
            }
            if (code === 'EPIPE' || code === 'ECONNRESET') throw new ClosedOutput();
            throw e;
        }
        spins = 0;
        buf = buf.subarray(n);
    }
}

/** Large strings are written in pieces (one Buffer of a 500 MB string would double it in memory). */
export function writeText(fd: number, text: string): void {
    const PIECE = 1 << 22;
    for (let i = 0; i < text.length; i += PIECE) writeAll(fd, text.slice(i, i + PIECE));
}

/** The process's own stdout and stderr. */
export const fdIo: CliIo = {
    out: (text) => writeText(1, text),
    err: (text) => {
        try {
            writeText(2, text);
        } catch (e) {
            if (!(e instanceof ClosedOutput)) throw e;
        }
    },
};

/** An output target: stdout (through `io`) or a file opened now; `write` then `close`. */
export interface OutputTarget {
    write(text: string): void;
    close(): void;
}

export function openOutput(out: string | null, io: CliIo): OutputTarget {
    if (out === null) return { write: (t) => io.out(t), close: () => undefined };
    let fd: number;
    try {
        fd = fs.openSync(out, 'w');
    } catch (e) {
        throw new CliError(`cannot write ${out}: ${describeError(e)}`);
    }
    return {
        write: (t) => {
            try {
                writeText(fd, t);
            } catch (e) {
                if (e instanceof ClosedOutput) throw e;
                throw new CliError(`cannot write ${out}: ${describeError(e)}`);
            }
        },
        close: () => fs.closeSync(fd),
    };
}

/** The scenario's text, or a CliError (unreadable, too large) / the EngineError of a bad encoding. */
export function readScenario(file: string, python: string): { text: string } | { error: EngineError } {
    let fd: number;
    try {
        fd = fs.openSync(file, 'r');
    } catch (e) {
        throw new CliError(`cannot read ${file}: ${describeError(e)}`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
        // Read up to one byte past the limit: /dev/zero or a FIFO need not end.
        for (;;) {
            const buf = Buffer.allocUnsafe(1 << 20);
            let n: number;
            try {
                n = fs.readSync(fd, buf, 0, buf.length, null);
            } catch (e) {
                throw new CliError(`cannot read ${file}: ${describeError(e)}`);
            }
            if (n === 0) break;
            chunks.push(buf.subarray(0, n));
            total += n;
            if (total > MAX_SOURCE_BYTES) {
                throw new CliError(`cannot simulate ${file}: it is larger than ${MAX_SOURCE_BYTES / 2 ** 20} MB (the limit for scenarios, in the editor too)`);
            }
        }
    } finally {
        fs.closeSync(fd);
    }
    const decoded = decodeSource(Buffer.concat(chunks, total), PROFILES[python] ?? PROFILES[DEFAULT_PROFILE], file);
    return decoded.error ? { error: decoded.error } : { text: decoded.text! };
}

/** `FILE:LINE:COL: error: message` lines for engine errors, with how to raise a budget. */
export function engineErrorLines(file: string, errors: readonly EngineError[]): string {
    return errors.map((e) => `${file}:${e.line}:${e.col}: error: ${e.message}${budgetHint(e)}\n`).join('');
}

function budgetHint(e: EngineError): string {
    switch (e.budget) {
        case 'time':
            return ' [--max-seconds N raises the budget]';
        case 'steps':
            return ' [--max-steps N raises the budget]';
        case 'memory':
            return ' [--max-memory MB raises the budget]';
        default:
            return '';
    }
}
