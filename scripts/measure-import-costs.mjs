#!/usr/bin/env node
// Compares what an import sequence adds to the collector's generation-0 count in real CPython and in
// the engine (profiles.ts importAllocations, gc/collector.ts chargeImport), the collector disabled:
//
//   node scripts/measure-import-costs.mjs [--python 3.8,3.13] SEQUENCE...
//
// A SEQUENCE is a module or modules joined by `+` (`contextlib`, `functools+contextlib`): the
// program is `import gc; gc.disable()` then each import, and the count each one adds is printed,
// CPython's (the median of PYTHONHASHSEED 0, 1 and 4242, `python -S`) then the engine's. An
// `ImportCost.allocs` is set so that the standalone import of its module is exact on every profile
// (each module measured after the modules it depends on were set); sequences of several share
// dependencies CPython imports once and stay within about 100. Needs `npm run build` (dist/engine.js).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { findCPythons, childEnv } from './record-cpython.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { simulate } = createRequire(import.meta.url)(path.join(REPO, 'dist', 'engine.js'));
const args = process.argv.slice(2);
let versions = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];
const seqs = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--python') versions = args[++i].split(',');
    else seqs.push(args[i]);
}
const pythons = findCPythons();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-costs-'));
const file = path.join(dir, 't.py');
for (const seq of seqs) {
    const mods = seq.split('+');
    let src = 'import gc\ngc.disable()\nc0 = gc.get_count()[0]\n';
    mods.forEach((m, i) => (src += `import ${m}\nc${i + 1} = gc.get_count()[0]\n`));
    src += `print(${mods.map((_, i) => `c${i + 1} - c${i}`).join(', ')})\n`;
    fs.writeFileSync(file, src);
    const row = [];
    for (const v of versions) {
        const py = pythons.get(v);
        if (!py) continue;
        const runs = ['0', '1', '4242'].map((seed) => spawnSync(py.exe, ['-S', file], { cwd: dir, env: childEnv(seed), encoding: 'utf8' }).stdout.trim());
        const real = runs.sort()[1];
        const engine = simulate(src, { python: v, fileName: 't.py' }).stdout.trim();
        row.push(`${v}: ${real === engine ? `same ${real}` : `CPython ${real}, engine ${engine}`}`);
    }
    console.log(`${seq.padEnd(28)} ${row.join('   ')}`);
}
fs.rmSync(dir, { recursive: true, force: true });
