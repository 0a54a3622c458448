#!/usr/bin/env node
// Shows, for each given scenario, the engine's stdout next to CPython's recording (a debugging aid).
// Usage: node scripts/conformance-diff.mjs [--python 3.13] test/conformance/scenarios/refcount/x.pyscn ...
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { simulate } = require('../dist/engine.js');
const args = process.argv.slice(2);
let version = '3.13';
const files = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--python') version = args[++i];
    else files.push(args[i]);
}
for (const f of files) {
    const exp = f.replace('/scenarios/', '/expected/')+ '.json';
    if (!existsSync(exp)) continue;
    const rec = JSON.parse(readFileSync(exp, 'utf8')).results[version];
    if (!rec) continue;
    const r = simulate(readFileSync(f, 'utf8'), { python: version, fileName: f });
    if (r.stdout === rec.stdout && r.exitCode === rec.exitCode) continue;
    console.log(`=== ${f} (${version}) exit ${r.exitCode} vs ${rec.exitCode}`);
    const a = r.stdout.split('\n');
    const b = rec.stdout.split('\n');
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i] !== b[i]) console.log(`  ${i + 1}: engine ${JSON.stringify(a[i])}\n  ${' '.repeat(String(i + 1).length)}  python ${JSON.stringify(b[i])}`);
    }
    if (r.errors.length) console.log('  errors:', r.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('; '));
    const errTail = r.stderr.trim().split('\n').slice(-2).join(' | ');
    if (errTail) console.log('  stderr:', errTail);
}
