/*
 * suggestions.ts
 *
 * Python/suggestions.c: the "Did you mean …?" candidate CPython picks for a mistyped name, by a
 * Levenshtein distance where a case flip costs less than any other edit, limited to a third of
 * the characters involved. 3.13 puts it in the message of an unexpected keyword argument.
 */

const MAX_CANDIDATE_ITEMS = 750;
const MAX_STRING_SIZE = 40;
const MOVE_COST = 2;
const CASE_COST = 1;

function substitutionCost(a: number, b: number): number {
    if ((a & 31) !== (b & 31)) return MOVE_COST;
    if (a === b) return 0;
    const la = a >= 65 && a <= 90 ? a + 32 : a;
    const lb = b >= 65 && b <= 90 ? b + 32 : b;
    return la === lb ? CASE_COST : MOVE_COST;
}

/** levenshtein_distance over UTF-8 bytes, giving up (max + 1) once no match within `max` is possible. */
function levenshtein(as: Uint8Array, bs: Uint8Array, max: number): number {
    let a = as;
    let b = bs;
    let lo = 0;
    while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
    a = a.subarray(lo);
    b = b.subarray(lo);
    let ea = a.length;
    let eb = b.length;
    while (ea && eb && a[ea - 1] === b[eb - 1]) {
        ea--;
        eb--;
    }
    a = a.subarray(0, ea);
    b = b.subarray(0, eb);
    if (a.length === 0 || b.length === 0) return (a.length + b.length) * MOVE_COST;
    if (a.length > MAX_STRING_SIZE || b.length > MAX_STRING_SIZE) return max + 1;
    if (b.length < a.length) [a, b] = [b, a];
    if ((b.length - a.length) * MOVE_COST > max) return max + 1;
    const buffer: number[] = [];
    for (let i = 0; i < a.length; i++) buffer.push((i + 1) * MOVE_COST);
    let result = 0;
    for (let bi = 0; bi < b.length; bi++) {
        const code = b[bi];
        let distance = (result = bi * MOVE_COST);
        let minimum = Infinity;
        for (let i = 0; i < a.length; i++) {
            const substitute = distance + substitutionCost(code, a[i]);
            distance = buffer[i];
            const insertDelete = Math.min(result, distance) + MOVE_COST;
            result = Math.min(insertDelete, substitute);
            buffer[i] = result;
            if (result < minimum) minimum = result;
        }
        if (minimum > max) return max + 1;
    }
    return result;
}

/** calculate_suggestions: the closest candidate to `name`, or null. */
export function suggestName(candidates: readonly string[], name: string): string | null {
    if (candidates.length >= MAX_CANDIDATE_ITEMS) return null;
    const enc = new TextEncoder();
    const n = enc.encode(name);
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const item of candidates) {
        if (item === name) continue;
        const s = enc.encode(item);
        const max = Math.min(Math.floor(((n.length + s.length + 3) * MOVE_COST) / 6), bestDistance - 1);
        const d = levenshtein(n, s, max);
        if (d > max) continue;
        if (best === null || d < bestDistance) {
            best = item;
            bestDistance = d;
        }
    }
    return best;
}

/**
 * How a version's exception display adds "Did you mean …?" to a NameError or AttributeError
 * (Profile.tracebackSuggestions): 3.10-3.12 in C (suggestions.c: the frame's co_varnames, then
 * 3.12's `self.NAME` when the method's `self` has it, then the globals, then the builtins, one
 * list after the other); 3.13 through traceback.py (`self.NAME` first, then one list of f_locals,
 * globals and builtins; an AttributeError hides `_names` unless the wrong name is one or the
 * object is the frame's `self`). 3.12+ add "Did you forget to import 'NAME'?" when the name is a
 * standard-library module. The unraisable hook never suggests.
 */
export interface SuggestionRules {
    candidates: 'sequential-varnames' | 'combined-f-locals';
    /** Where `self.NAME` is tried: after the varnames (3.12), first (3.13), or never. */
    selfAttribute: 'after-varnames' | 'first' | null;
    stdlibModules: boolean;
    hideUnderscored: boolean;
}
