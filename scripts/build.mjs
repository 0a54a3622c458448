// Bundles the CLI, the engine library, the extension, its analysis worker and the webview with
// esbuild. `--production` minifies; `--watch` rebuilds on change. Entry points that do not exist
// yet are skipped, so a partial tree still builds.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

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
