/* json.ts — the Report as JSON (SCHEMA.md). */
import type { Report } from '../types';

/** Arrays longer than this are written one compact element per line. */
const LONG_ARRAY = 1000;

/** The whole report as one string (`jsonChunks` joined: the same layout whichever is used). */
export function formatJson(report: Report, pretty = true): string {
    return [...jsonChunks(report, pretty)].join('');
}

/**
 * The report as JSON in pieces, for reports too large for one string (a 300,000-object run exceeds
 * V8's string limit). Pretty layout: objects indented by two spaces, except that an array of plain
 * values (the heap graph's columns, the memory series) is one line, and a long array of objects
 * (`objects`, the graph's nodes) has one compact element per line: a third of the size of fully
 * indented JSON, and one `grep` away from any object. Pieces are batched to about a megabyte, so a
 * writer makes few system calls.
 */
export function* jsonChunks(report: Report, pretty = true): Generator<string> {
    let buf = '';
    for (const piece of pretty ? prettyPieces(report, '') : compactPieces(report)) {
        buf += piece;
        if (buf.length >= 1 << 20) {
            yield buf;
            buf = '';
        }
    }
    yield buf + '\n';
}

function isPlain(v: unknown): boolean {
    return v === null || typeof v !== 'object';
}

/** Keys JSON.stringify would write (skips undefined and functions). */
function entries(o: object): [string, unknown][] {
    return Object.entries(o).filter(([, v]) => v !== undefined && typeof v !== 'function');
}

function* prettyPieces(v: unknown, indent: string): Generator<string> {
    if (isPlain(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        yield JSON.stringify(v) ?? 'null';
        return;
    }
    const inner = indent + '  ';
    if (Array.isArray(v)) {
        if (v.length === 0) return void (yield '[]');
        if (v.every(isPlain)) return void (yield JSON.stringify(v));
        yield '[\n';
        const long = v.length > LONG_ARRAY;
        for (let i = 0; i < v.length; i++) {
            yield inner;
            if (long) yield JSON.stringify(v[i]) ?? 'null';
            else yield* prettyPieces(v[i] ?? null, inner);
            yield i < v.length - 1 ? ',\n' : '\n';
        }
        yield indent + ']';
        return;
    }
    const es = entries(v as object);
    if (es.length === 0) return void (yield '{}');
    yield '{\n';
    for (let k = 0; k < es.length; k++) {
        yield `${inner}${JSON.stringify(es[k][0])}: `;
        yield* prettyPieces(es[k][1], inner);
        yield k < es.length - 1 ? ',\n' : '\n';
    }
    yield indent + '}';
}

/** Compact JSON, split at the elements of long arrays only. */
function* compactPieces(v: unknown): Generator<string> {
    if (isPlain(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        yield JSON.stringify(v) ?? 'null';
        return;
    }
    if (Array.isArray(v)) {
        if (v.length <= LONG_ARRAY) return void (yield JSON.stringify(v));
        yield '[';
        for (let i = 0; i < v.length; i++) {
            if (i) yield ',';
            yield* compactPieces(v[i] ?? null);
        }
        yield ']';
        return;
    }
    const es = entries(v as object);
    yield '{';
    for (let k = 0; k < es.length; k++) {
        if (k) yield ',';
        yield JSON.stringify(es[k][0]) + ':';
        yield* compactPieces(es[k][1]);
    }
    yield '}';
}
