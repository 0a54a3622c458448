/* json.ts — the Report as JSON (SCHEMA.md). */
import type { Report } from '../types';

export function formatJson(report: Report, pretty = true): string {
    return JSON.stringify(report, null, pretty ? 2 : undefined) + '\n';
}

/**
 * The same JSON in pieces, for reports too large for one string (a 300,000-object run exceeds
 * V8's string limit): large arrays are written one element at a time.
 */
export function* jsonChunks(report: Report, pretty = true): Generator<string> {
    const indent = pretty ? 2 : undefined;
    const nl = pretty ? '\n' : '';
    const pad = pretty ? '  ' : '';
    const keys = Object.keys(report) as (keyof Report)[];
    yield '{' + nl;
    for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        const value = report[key] as unknown;
        const sep = k < keys.length - 1 ? ',' : '';
        if (Array.isArray(value) && value.length > 1000) {
            yield `${pad}${JSON.stringify(key)}: [${nl}`;
            for (let i = 0; i < value.length; i++) {
                const item = JSON.stringify(value[i], null, indent);
                yield (pretty ? pad + pad + item.replace(/\n/g, '\n' + pad + pad) : item) + (i < value.length - 1 ? ',' : '') + nl;
            }
            yield `${pad}]${sep}${nl}`;
        } else {
            const text = JSON.stringify(value, null, indent) ?? 'null';
            yield `${pad}${JSON.stringify(key)}: ${pretty ? text.replace(/\n/g, '\n' + pad) : text}${sep}${nl}`;
        }
    }
    yield '}\n';
}
