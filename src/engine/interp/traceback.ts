/*
 * traceback.ts
 *
 * Printing exceptions the way PyErr_Print / PyErr_WriteUnraisable do (stderr only; the
 * conformance suite compares stdout and exit codes, so this aims to be readable and close).
 */

import type { PyObject } from '../runtime/object';
import { PyException } from '../runtime/instances';
import { PyTraceback } from '../runtime/frames';
import type { Interpreter } from './interpreter';
import { str, repr } from './format';

function tracebackLines(it: Interpreter, tb: PyTraceback | null): string {
    let out = '';
    const seen = new Set<PyTraceback>();
    for (let t = tb; t && !seen.has(t); t = t.next) {
        seen.add(t);
        const name = t.frame?.data.name ?? '?';
        const shortName = name.includes('.') && !name.startsWith('<') ? name.split('.').pop()! : name;
        out += `  File "${t.frame?.data.filename ?? it.fileName}", line ${t.line}, in ${it.profile.major === 3 && it.profile.minor >= 11 ? shortName : shortName}\n`;
        const src = it.sourceLines[t.line - 1];
        if (src !== undefined && src.trim()) out += `    ${src.trim()}\n`;
    }
    return out;
}

/** The last line: `ValueError: message` (or just the type name when the message is empty). */
export function exceptionSummary(it: Interpreter, e: PyObject): string {
    const t = e.type;
    const name = t.isHeap && t.module !== 'builtins' ? `${t.module === '__main__' ? '__main__.' : ''}${t.qualname}` : t.name;
    let msg: string;
    try {
        msg = str(it, e);
    } catch {
        msg = `<exception str() failed>`;
    }
    return msg ? `${name}: ${msg}` : name;
}

/** PyErr_Display with the cause/context chain. */
export function formatException(it: Interpreter, e: PyException, seen = new Set<PyException>(), tb27: PyObject | null = null): string {
    seen.add(e);
    let out = '';
    if (it.profile.major === 3) {
        const cause = e.cause as PyException | null;
        const ctx = e.context as PyException | null;
        if (cause && !seen.has(cause)) {
            out += formatException(it, cause, seen) + '\nThe above exception was the direct cause of the following exception:\n\n';
        } else if (ctx && !e.suppressContext && !seen.has(ctx)) {
            out += formatException(it, ctx, seen) + '\nDuring handling of the above exception, another exception occurred:\n\n';
        }
    }
    const tb = (e.traceback ?? tb27) as PyTraceback | null;
    if (tb) out += 'Traceback (most recent call last):\n' + tracebackLines(it, tb);
    out += exceptionSummary(it, e) + '\n';
    return out;
}

/** PyErr_WriteUnraisable for an exception raised in `__del__` or a weakref callback. */
export function writeUnraisable(it: Interpreter, e: PyException, where: PyObject | null, what = 'Exception ignored in', tb27: PyObject | null = null): void {
    let head = where ? `${what}: ${safeRepr(it, where)}\n` : `${what}:\n`;
    if (it.profile.major === 2) head = `${what} ${where ? safeRepr(it, where) : ''} ignored\n`;
    it.stderr.write(head + (it.profile.major === 2 ? '' : formatException(it, e, new Set(), tb27)));
}

function safeRepr(it: Interpreter, o: PyObject): string {
    try {
        return repr(it, o);
    } catch {
        return '<object repr() failed>';
    }
}
