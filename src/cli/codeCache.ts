/*
 * codeCache.ts — loads the command bundle (dist/cli-worker.js) in the worker thread with V8's code
 * cache, so a command does not compile the engine again on every start.
 *
 * Compiling the 1.4 MB bundle and the functions a first simulation runs costs about 45 ms of CPU
 * of every `exitscope` command (a `print(1)` scenario takes under 0.4 s in all). `npm run build`
 * runs one command with EXITSCOPE_WRITE_CODE_CACHE=1, which saves what V8 compiled next to the
 * bundle (`cli-worker.js.v8cache`); later commands hand it to V8 instead of compiling.
 *
 * V8 rejects a cache made by another Node version or with other V8 flags (then the bundle is just
 * compiled), but it checks only the source's length, so the file also records the bundle's size
 * and modification time (as CPython's .pyc files do): a rebuilt bundle ignores an older cache.
 * No engine import here: this runs before the bundle is loaded.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire, wrap } from 'node:module';

/** `size mtime` of the bundle, the cache's first line. */
function stamp(file: string): string {
    const st = fs.statSync(file);
    return `${st.size} ${st.mtimeMs}\n`;
}

/** The cache's V8 data, when it was made from this very bundle; else undefined. */
function readCache(cacheFile: string, expected: string): Buffer | undefined {
    let data: Buffer;
    try {
        data = fs.readFileSync(cacheFile);
    } catch {
        return undefined;
    }
    const nl = data.indexOf(10);
    return nl > 0 && data.toString('latin1', 0, nl + 1) === expected ? data.subarray(nl + 1) : undefined;
}

/** Runs the CommonJS bundle `file` (its top level runs the command), with the code cache when there is a valid one. */
export function runBundle(file: string): void {
    const cacheFile = `${file}.v8cache`;
    const expected = stamp(file);
    const cachedData = readCache(cacheFile, expected);
    const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
    const module = { exports: {} };
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
    if (process.env.EXITSCOPE_WRITE_CODE_CACHE === '1') {
        // After the command ran: the cache holds every function it compiled, not only the top level.
        // Written aside and renamed: a command starting meanwhile reads the old file or the new one.
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(expected, 'latin1'), script.createCachedData()]));
        fs.renameSync(tmp, cacheFile);
    }
}
