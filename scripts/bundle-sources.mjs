// Bundles modules of a tree's sources (`root`/src/…, e.g. a `git archive` copy of another commit)
// into one CommonJS file with esbuild from this tree's install, for the scripts that hash or
// profile the engine and the report of any commit with the same code (hash-outputs.mjs,
// profile-churn.mjs). `exports`: the entry's source, `export { … } from './src/…'` lines.
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');

export function bundleSources(root, exports, outfile) {
    createRequire(join(here, 'package.json'))('esbuild').buildSync({
        stdin: { contents: exports, resolveDir: root, loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        outfile,
        logLevel: 'error',
    });
}
