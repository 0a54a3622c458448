/*
 * visible.ts
 *
 * Text a program chose (names, dict keys, attribute names, messages, file names) shown as it
 * reads, never as what it would do: every character that is not printable (Python's
 * `str.isprintable`: controls, format characters such as bidi overrides, surrogates, private use,
 * unassigned, line/paragraph separators and spaces other than ' ') becomes the escape Python's
 * `repr` writes for it (`\x1b`, `\n`, `\u202e`, `\U000e0001`). Every output format's escaping module
 * starts from this; it is the one place that decides what "not printable" means.
 */

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?! )\p{Zs}/gu;
/** Printable ASCII only: nothing to do (the common case, tested without the Unicode regex). */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(ch: string): string {
    const short = SHORT[ch];
    if (short) return short;
    const cp = ch.codePointAt(0)!;
    if (cp < 0x100) return '\\x' + cp.toString(16).padStart(2, '0');
    if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
    return '\\U' + cp.toString(16).padStart(8, '0');
}

/** `s` with every non-printable character written as its Python escape. */
export function visible(s: string): string {
    if (PLAIN_ASCII.test(s)) return s;
    return s.replace(NOT_PRINTABLE, escapeOne);
}

/** Does `s` hold a character `visible` would escape? */
export function hasInvisible(s: string): boolean {
    if (PLAIN_ASCII.test(s)) return false;
    NOT_PRINTABLE.lastIndex = 0;
    const found = NOT_PRINTABLE.test(s);
    NOT_PRINTABLE.lastIndex = 0;
    return found;
}
