// The pyscenario TextMate grammar, tokenized with VS Code's own vscode-textmate and the built-in
// Python grammar, both taken from the code-server install of the integration harness
// (.vscode-test/; skipped when it is not installed).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VSCODE = path.join(ROOT, '.vscode-test/code-server/node_modules/code-server/lib/vscode');
const PYTHON_GRAMMAR = path.join(VSCODE, 'extensions/python/syntaxes/MagicPython.tmLanguage.json');
const available = existsSync(path.join(VSCODE, 'node_modules/vscode-textmate')) && existsSync(PYTHON_GRAMMAR);

const GRAMMARS: Record<string, string> = {
    'source.pyscenario': path.join(ROOT, 'media/language/pyscenario.tmLanguage.json'),
    'annotation.injection.pyscenario': path.join(ROOT, 'media/language/pyscenario-annotations.injection.json'),
    'source.python': PYTHON_GRAMMAR,
};

async function tokenizer() {
    const req = createRequire(path.join(VSCODE, 'package.json'));
    const tm = req('vscode-textmate');
    const onig = req('vscode-oniguruma');
    const wasm = readFileSync(path.join(VSCODE, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new tm.Registry({
        onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
        loadGrammar: async (scope: string) => (GRAMMARS[scope] ? tm.parseRawGrammar(readFileSync(GRAMMARS[scope], 'utf8'), GRAMMARS[scope]) : null),
        getInjections: (scope: string) => (scope === 'source.pyscenario' ? ['annotation.injection.pyscenario'] : []),
    });
    const grammar = await registry.loadGrammar('source.pyscenario');
    return (text: string) => {
        let state = tm.INITIAL;
        const out: { text: string; scopes: string[] }[] = [];
        for (const line of text.split('\n')) {
            const r = grammar.tokenizeLine(line, state);
            for (const t of r.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
            state = r.ruleStack;
        }
        return out;
    };
}

const scopeOf = (tokens: { text: string; scopes: string[] }[], text: string) => tokens.find((t) => t.text.trim() === text)?.scopes ?? [];

describe.skipIf(!available)('pyscenario grammar', () => {
    it('highlights Python through source.python', async () => {
        const tokenize = await tokenizer();
        const tokens = tokenize('class Node:\n    def __del__(self):\n        print("x")\n');
        expect(scopeOf(tokens, 'class')).toContain('storage.type.class.python');
        expect(scopeOf(tokens, 'def')).toContain('storage.type.function.python');
    });

    it('highlights a trailing # expect: annotation and its words', async () => {
        const tokenize = await tokenizer();
        const tokens = tokenize("a = Node('a')  # expect: collected, not-finalized\n");
        expect(scopeOf(tokens, 'expect')).toContain('keyword.other.annotation.expect.pyscenario');
        expect(scopeOf(tokens, 'collected')).toContain('constant.language.fate.pyscenario');
        expect(scopeOf(tokens, 'not-finalized')).toContain('constant.language.fate.pyscenario');
        expect(tokens.some((t) => t.scopes.some((s) => s.startsWith('string.quoted')))).toBe(true);
    });

    it('highlights whole-line # exitscope: and # versions: annotations, flags unknown fate words', async () => {
        const tokenize = await tokenizer();
        const tokens = tokenize('# exitscope: python=2.7\n# versions: 2.7 vs 3.x\n# expect: frede\n');
        expect(scopeOf(tokens, 'exitscope')).toContain('keyword.other.annotation.exitscope.pyscenario');
        expect(scopeOf(tokens, 'python')).toContain('variable.parameter.annotation.pyscenario');
        expect(scopeOf(tokens, '2.7')).toEqual(expect.arrayContaining([expect.stringMatching(/constant\.numeric/)]));
        expect(scopeOf(tokens, 'versions')).toContain('keyword.other.annotation.versions.pyscenario');
        expect(scopeOf(tokens, 'frede')).toContain('invalid.illegal.expectation.pyscenario');
    });

    it('leaves "# expect:" inside a string alone', async () => {
        const tokenize = await tokenizer();
        const tokens = tokenize("s = '# expect: freed'\n");
        expect(tokens.some((t) => t.scopes.includes('keyword.other.annotation.expect.pyscenario'))).toBe(false);
    });
});

describe('language files', () => {
    it('the snippets, language configuration and grammars are valid JSON', () => {
        for (const f of ['snippets.json', 'language-configuration.json', 'pyscenario.tmLanguage.json', 'pyscenario-annotations.injection.json']) {
            expect(() => JSON.parse(readFileSync(path.join(ROOT, 'media/language', f), 'utf8'))).not.toThrow();
        }
        const config = JSON.parse(readFileSync(path.join(ROOT, 'media/language/language-configuration.json'), 'utf8'));
        expect(new RegExp(config.indentationRules.increaseIndentPattern).test('class A:  # c')).toBe(true);
        expect(new RegExp(config.indentationRules.decreaseIndentPattern).test('    else:')).toBe(true);
    });

    it('package.json points at files that exist', () => {
        const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
        const c = pkg.contributes;
        const paths = [pkg.icon, c.languages[0].configuration, c.languages[0].icon.light, ...c.grammars.map((g: { path: string }) => g.path), ...c.snippets.map((s: { path: string }) => s.path), c.viewsContainers.activitybar[0].icon, ...c.walkthroughs[0].steps.map((s: { media: { markdown: string } }) => s.media.markdown)];
        for (const p of paths) expect(existsSync(path.join(ROOT, p)), p).toBe(true);
        for (const s of c.walkthroughs[0].steps) {
            const name = JSON.parse(decodeURIComponent(s.description.match(/openExample\?([^)]+)\)/)[1]))[0];
            expect(existsSync(path.join(ROOT, 'examples', `${name}.pyscn`)), name).toBe(true);
        }
        expect(pkg.capabilities).toMatchObject({ untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
        for (const cmd of c.commands) expect(pkg.activationEvents).toContain(`onCommand:${cmd.command}`);
    });
});
