#!/usr/bin/env node
// The differential fuzzer: bundles test/fuzz/cli.ts (with the engine's sources) into a temporary
// module and runs it. See test/fuzz/cli.ts for the options (`npm run fuzz -- --seeds 0-999 --python 3.13`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the repository (in the git-ignored cache), so `esbuild`, which the recorder's helpers
// import, resolves from its node_modules.
const outfile = path.join(REPO, '.fuzz-cache', `fuzz-${process.pid}.mjs`);
await build({ entryPoints: [path.join(REPO, 'test', 'fuzz', 'cli.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error', sourcemap: 'inline', external: ['esbuild'] });
process.env.EXITSCOPE_FUZZ_DIR = path.join(REPO, 'test', 'fuzz');
process.on('exit', () => fs.rmSync(outfile, { force: true }));
await import(pathToFileURL(outfile).href);
