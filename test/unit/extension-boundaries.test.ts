// Layering: the engine and the report never import `vscode`, DOM APIs or Node modules a worker
// would not have; the extension's pure models (files named *Model.ts, annotations.ts, analysis/
// except analysisService.ts) never import `vscode` either, so they run under vitest.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function files(dir: string): string[] {
    const out: string[] = [];
    for (const name of readdirSync(path.join(ROOT, dir))) {
        const rel = path.join(dir, name);
        if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...files(rel));
        else if (rel.endsWith('.ts')) out.push(rel);
    }
    return out;
}

/** Module specifiers of import/export-from/require/dynamic import statements. */
function imports(source: string): string[] {
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const out: string[] = [];
    const re = /^\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
    for (const m of code.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    return out;
}

const DOM = /\b(?:document|window|navigator|localStorage)\s*\.|\bHTMLElement\b|\bacquireVsCodeApi\b/;

describe('layering', () => {
    const core = [...files('src/engine'), ...files('src/report')];

    it('finds the engine and report sources', () => {
        expect(core.length).toBeGreaterThan(20);
    });

    it.each(core)('%s imports no vscode, node: modules or DOM', (file) => {
        const src = readFileSync(path.join(ROOT, file), 'utf8');
        for (const spec of imports(src)) {
            expect(spec, `${file} imports ${spec}`).not.toBe('vscode');
            expect(spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads', 'http', 'net'].includes(spec), `${file} imports ${spec}`).toBe(false);
            expect(spec.startsWith('.') || spec.startsWith('..'), `${file} imports the package ${spec}`).toBe(true);
        }
        expect(DOM.test(src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')), `${file} uses DOM APIs`).toBe(false);
    });

    const pure = files('src/extension').filter((f) => /Model\.ts$|\/annotations\.ts$|\/sourceSpans\.ts$|\/lifetimeText\.ts$|\/language\/|\/analysis\/(?!analysisService)/.test(f));

    it('finds the pure extension modules', () => {
        expect(pure.length).toBeGreaterThanOrEqual(12);
    });

    it.each(pure)('%s (pure) imports no vscode', (file) => {
        const specs = imports(readFileSync(path.join(ROOT, file), 'utf8'));
        expect(specs).not.toContain('vscode');
        for (const s of specs) if (s.startsWith('.')) expect(s.includes('/views/diagnostics') && !s.includes('Model'), `${file} imports the adapter ${s}`).toBe(false);
    });

    it('only src/extension imports vscode', () => {
        for (const dir of ['src/engine', 'src/report', 'src/cli']) {
            for (const f of files(dir)) expect(imports(readFileSync(path.join(ROOT, f), 'utf8'))).not.toContain('vscode');
        }
    });
});
