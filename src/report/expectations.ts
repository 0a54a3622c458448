/*
 * expectations.ts
 *
 * `# expect: WORD[, WORD…]` comments state what the author believes happens to the object
 * allocated on that line (or, for a comment alone on its line, on the next line with code).
 *
 * Vocabulary (any one word must hold for every object checked; several words must all hold):
 *   freed                  refcount reached zero while the program ran
 *   collected              freed by the cyclic GC while the program ran
 *   finalized-at-shutdown  died during shutdown and its __del__ ran then
 *   freed-at-shutdown      died during shutdown without a finalizer running then
 *   at-shutdown            either of the two above
 *   survives-exit          never freed
 *   dies                   anything but survives-exit
 *   finalized              its __del__ ran (at any time)
 *   not-finalized          its __del__ never ran
 * Which objects: the first object of a user-defined class allocated on the line (by column, then
 * order), else the first allocation on the line; every object allocated at that same line, column
 * and type (a loop allocates many) is checked.
 *
 * Per profile (Issue 8): `# expect: freed | pypy,jython: survives-exit` — segments separated by `|`;
 * a segment starting `NAMES:` (profile names) applies to those profiles, the bare one to all others.
 */

/** The part of an expectation text that applies to `profile` (null: none applies). */
export function expectationFor(text: string, profile: string | undefined): string | null {
    if (!text.includes('|')) return text;
    let fallback: string | null = null;
    for (const seg of text.split('|')) {
        const m = /^\s*([\w.]+(?:\s*,\s*[\w.]+)*)\s*:\s*(.*)$/.exec(seg);
        if (m) {
            if (profile !== undefined && m[1].split(/\s*,\s*/).includes(profile)) return m[2].trim();
        } else if (fallback === null) fallback = seg.trim();
    }
    return fallback;
}

import type { Lifetime } from './lifetimes';
import type { ExpectationResult, ExpectationWord } from './types';

export const EXPECTATION_WORDS: readonly ExpectationWord[] = ['freed', 'collected', 'finalized-at-shutdown', 'freed-at-shutdown', 'survives-exit', 'at-shutdown', 'dies', 'finalized', 'not-finalized'];

const EXPECT_RE = /^#?\s*expect\s*:\s*(.*)$/i;
const BUILTIN_TYPES = new Set(['native', 'dict', 'list', 'tuple', 'set', 'frozenset', 'function', 'method', 'instancemethod', 'cell', 'frame', 'traceback', 'module', 'type', 'classobj', 'generator', 'code', 'builtin_function_or_method', 'list_iterator', 'tuple_iterator', 'range_iterator', 'dict_keyiterator', 'super', 'property', 'staticmethod', 'classmethod']);

export interface CommentLike {
    line: number;
    col: number;
    text: string;
}

function holds(word: ExpectationWord, l: Lifetime): boolean {
    const fin = l.finalizers.length > 0;
    switch (word) {
        case 'at-shutdown':
            return l.fate === 'finalized-at-shutdown' || l.fate === 'freed-at-shutdown';
        case 'dies':
            return l.fate !== 'survives-exit';
        case 'finalized':
            return fin;
        case 'not-finalized':
            return !fin;
        default:
            return l.fate === word;
    }
}

function userObjectsByLine(lifetimes: Lifetime[], log: { line: ArrayLike<number> }): Map<number, Lifetime[]> {
    const byLine = new Map<number, Lifetime[]>();
    for (const l of lifetimes) {
        if (l.owner !== 'user') continue;
        const ln = log.line[l.allocAt];
        let arr = byLine.get(ln);
        if (!arr) byLine.set(ln, (arr = []));
        arr.push(l);
    }
    return byLine;
}

export function checkExpectations(comments: CommentLike[], lifetimes: Lifetime[], sourceLines: string[], log: { line: ArrayLike<number>; col: ArrayLike<number> }, profile?: string): ExpectationResult[] {
    // Most runs have no `# expect:` comment: index the objects by line only when one needs it.
    let byLineIndex: Map<number, Lifetime[]> | null = null;
    const byLine = (): Map<number, Lifetime[]> => (byLineIndex ??= userObjectsByLine(lifetimes, log));
    const out: ExpectationResult[] = [];
    for (const c of comments) {
        const m = EXPECT_RE.exec(c.text.trim());
        if (!m) continue;
        const chosen = expectationFor(m[1].trim(), profile);
        if (chosen === null) continue;
        const text = chosen;
        const words = text.split(/[\s,]+/).filter(Boolean).map((w) => w.toLowerCase());
        const bad = words.filter((w) => !(EXPECTATION_WORDS as readonly string[]).includes(w));
        const base = { line: c.line, column: c.col, text, expected: words };
        if (!words.length || bad.length) {
            out.push({ ...base, status: 'invalid', actual: [], message: `unknown expectation ${bad.length ? bad.map((w) => `'${w}'`).join(', ') : '(empty)'}; use one of ${EXPECTATION_WORDS.join(', ')}` });
            continue;
        }
        let line = c.line;
        const before = (sourceLines[c.line - 1] ?? '').slice(0, Math.max(0, c.col - 1));
        if (!before.trim()) {
            // A comment alone on its line applies to the next line with code.
            for (let k = c.line + 1; k <= sourceLines.length; k++) {
                const s = sourceLines[k - 1].trim();
                if (s && !s.startsWith('#')) {
                    line = k;
                    break;
                }
            }
        }
        const cands = byLine().get(line) ?? [];
        if (!cands.length) {
            out.push({ ...base, status: 'no-object', actual: [], message: `no object is allocated on line ${line}` });
            continue;
        }
        const sorted = [...cands].sort((x, y) => log.col[x.allocAt] - log.col[y.allocAt] || x.allocAt - y.allocAt);
        const primary = sorted.find((l) => !BUILTIN_TYPES.has(l.type)) ?? sorted[0];
        const pc = log.col[primary.allocAt];
        const checked = cands.filter((l) => log.col[l.allocAt] === pc && l.type === primary.type);
        const failing = checked.filter((l) => !words.every((w) => holds(w as ExpectationWord, l)));
        const show = (failing.length ? failing : checked).slice(0, 5).map((l) => ({ id: l.id, label: l.label, fate: l.fate, finalized: l.finalizers.length > 0 }));
        if (failing.length) {
            const f = failing[0];
            // Fates as words ("survives exit"), after a colon so the grammar holds for one object or many.
            const fates = [...new Set(failing.map((l) => l.fate.replace(/-/g, ' ') + (l.finalizers.length ? ' (finalized)' : '')))].join(', ');
            out.push({ ...base, status: 'mismatch', actual: show, message: `expected ${words.join(', ')}, but ${failing.length === 1 ? f.label : `${failing.length} of ${checked.length} ${f.type} objects`}: ${fates}` });
        } else out.push({ ...base, status: 'ok', actual: show, message: `${checked.length} ${primary.type} object${checked.length === 1 ? '' : 's'}: ${words.join(', ')}` });
    }
    return out;
}
