// Bundles the CLI, the engine library, the extension, its analysis worker and the webview with
// esbuild. `--production` minifies; `--watch` rebuilds on change. Entry points that do not exist
// yet are skipped, so a partial tree still builds.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * JSON files as one string given to JSON.parse instead of esbuild's object literal: V8 parses the
 * string literal at a glance and JSON.parse is several times faster than compiling the literal
 * (the recorded names table is 350 KB: this is part of every CLI run's start-up).
 */
const jsonAsString = {
    name: 'json-as-string',
    setup(build) {
        build.onLoad({ filter: /\.json$/ }, (args) => ({
            contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
            loader: 'js',
        }));
    },
};

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    plugins: [jsonAsString],
};

const builds = [
    { ...node, entryPoints: ['src/engine/index.ts'], outfile: 'dist/engine.js' },
    { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
    { ...node, entryPoints: ['src/cli/worker.ts'], outfile: 'dist/cli-worker.js' },
    { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
    { ...node, entryPoints: ['src/extension/worker.ts'], outfile: 'dist/worker.js' },
    {
        ...node,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        entryPoints: ['webview/main.ts'],
        outfile: 'dist/webview.js',
    },
].filter((b) => existsSync(b.entryPoints[0]));

for (const options of builds) {
    if (watch) {
        const ctx = await esbuild.context(options);
        await ctx.watch();
    } else {
        await esbuild.build(options);
    }
}

// The CLI's V8 code cache (src/cli/codeCache.ts): one report on an example, with the cache written
// afterwards, so later commands skip compiling what it compiled. A failure only costs that saving.
if (!watch && existsSync('dist/cli.js') && existsSync('dist/cli-worker.js')) {
    rmSync('dist/cli-worker.js.v8cache', { force: true });
    const r = spawnSync(process.execPath, ['dist/cli.js', 'report', 'examples/03-kept-on-sys.pyscn'], {
        env: { ...process.env, EXITSCOPE_WRITE_CODE_CACHE: '1' },
        encoding: 'utf8',
    });
    if (r.status !== 0 || !existsSync('dist/cli-worker.js.v8cache')) console.warn(`build: no code cache for the CLI (${r.stderr || r.error || `exit ${r.status}`})`);
}
