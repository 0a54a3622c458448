/*
 * syntax-errors.test.ts
 *
 * Programs that do not compile on some versions, against what the real interpreters print
 * (test/unit/fixtures/syntax-errors.json, recorded by scripts/record-syntax-errors.mjs): the
 * SyntaxError's message, line and caret column, per version. Where the engine does not reproduce
 * a version's caret it must refuse, statically and at the construct, never print another caret.
 * A program outside the grammar the engine parses (the union of the versions') is the scenario's
 * own static syntax error (exit 2, like any diagnostic): right as long as CPython refuses it too.
 * Only what a version refuses to compile is compared here; what it runs is the conformance suite's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/syntax-errors.json'), 'utf8')) as {
    pythons: Record<string, string>;
    cases: Record<string, { source: string; results: Record<string, { exitCode: number; stdout: string; stderr: string }> }>;
};

const totals = { matched: 0, other: 0 };

/**
 * Static errors whose message is the engine's own, not the version's SyntaxError message (every
 * other static error must carry CPython's message and line: the editor shows it).
 */
const STATIC_WORDING_DIFFERS: Record<string, string> = {
    'starred-subscript-15': "a slice after a starred subscript item (`d[*a:1]`): the engine's parser says \"expected ']'\", CPython \"invalid syntax\"",
};

describe('SyntaxErrors as each CPython prints them', () => {
    for (const version of Object.keys(fixture.pythons)) {
        it(`Python ${version}: every recorded program, or a positioned refusal`, () => {
            const wrong: string[] = [];
            let matched = 0;
            let refused = 0;
            let staticErrors = 0;
            for (const [name, c] of Object.entries(fixture.cases)) {
                const want = c.results[version];
                // Only what this version refuses to compile (a program it runs is the conformance suite's).
                if (want.exitCode !== 1 || !/^SyntaxError: /m.test(want.stderr)) continue;
                const r = simulate(c.source, { python: version, fileName: 'snippet.py' });
                const refusal = r.errors.find((e) => e.kind === 'unsupported');
                if (refusal) {
                    refused++;
                    expect(refusal.message).toMatch(/^not supported in scenarios yet: /);
                    expect(refusal.line).toBeGreaterThan(0);
                    continue;
                }
                const syntax = r.errors.find((e) => e.kind === 'syntax');
                if (syntax) {
                    // The engine's grammar (the union of the versions') refuses it too: a static
                    // error, in this version's words (3.8/3.9's legacy print/exec messages…).
                    staticErrors++;
                    const message = want.stderr.trimEnd().split('\n').pop()!.replace(/^SyntaxError: /, '');
                    const line = Number(/line (\d+)/.exec(want.stderr)?.[1]);
                    if (!(name in STATIC_WORDING_DIFFERS) && (syntax.message !== message || syntax.line !== line)) {
                        wrong.push(`${name} ${JSON.stringify(c.source)}: CPython says ${JSON.stringify(message)} at line ${line}, the static error ${JSON.stringify(syntax.message)} at line ${syntax.line}`);
                    }
                    continue;
                }
                if (r.stdout === want.stdout && r.stderr === want.stderr && r.exitCode === want.exitCode) matched++;
                else wrong.push(`${name} ${JSON.stringify(c.source)}: CPython ${JSON.stringify(want.stderr)}, engine ${JSON.stringify(r.stderr)}`);
            }
            expect(wrong).toEqual([]);
            totals.matched += matched;
            totals.other += refused + staticErrors;
        });
    }
    it('most recorded errors are reproduced exactly, not refused', () => {
        expect(totals.matched).toBeGreaterThan(totals.other);
    });
});
