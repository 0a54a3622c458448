/*
 * columnarJson.ts
 *
 * A compact transport encoding of any JSON value, for the heap graph page: the report's arrays
 * of objects (the objects, the graph's nodes, each object's chain of references) become columns,
 * repeated rows are stored once, and repeated strings once. A browser parses a page byte by byte
 * before it can run anything, so the embedded report's size is what its first paint waits for:
 * the 2,000-object benchmark's report is 5.3 MB as JSON, mostly key names and the chains that
 * share their prefixes (every object's chain repeats its parent's), and a fraction of that packed.
 *
 *   unpackJson(JSON.parse(JSON.stringify(packJson(v)))) is JSON-equal to v: the same JSON text,
 *   keys in the same order (rows that are equal may come back as one shared object).
 *
 * Encoding: plain values and objects (each value packed) are themselves; every array is a tagged
 * tuple, so the unpacker knows what it reads:
 *   ['r', [...]]                   the elements as they are (no object or array among them)
 *   ['p', [...]]                   each element packed (a mixed array)
 *   ['i', deltas]                  integers, each as its difference from the one before (the first as is)
 *   ['s', dict, idx]               strings (and nulls: -1), each distinct one stored once
 *   ['o', shapes, shapeOf, cols]   objects (and nulls: shapeOf -1) as columns: shapes are the key
 *                                  sequences met, shapeOf each row's; cols[k] packs the values of
 *                                  key k over the rows that have it, in row order
 *   ['a', lengths, inner]          arrays (and nulls: -1) concatenated into one packed array
 *   ['t', from, shared, own, inner] arrays that start as earlier ones do: list i is the first
 *                                  shared[i] elements of list from[i], then its own[i] elements
 *                                  (-1: null) from the packed concatenation of those
 *   ['u', rows, idx]               rows repeated: the distinct ones packed, then each row's index
 *
 * No DOM and no Node: the page's script (webview/hostApi.ts) unpacks what the CLI and the panel
 * (src/extension/panel/standaloneHtml.ts) packed.
 */

export type Packed = null | boolean | number | string | Packed[] | { [key: string]: Packed };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An array of this many rows or more is looked at for repeated rows and strings. */
const MIN_REPEAT = 8;

/** o[k] = v, also for the key `__proto__` (a JSON key like any other: assigning it would set the prototype). */
function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
    if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
    else o[k] = v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What JSON.stringify writes for an array element: undefined and functions become null. */
function element(v: unknown): unknown {
    return v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v;
}

/** The keys JSON.stringify writes, in its order. */
function keysOf(o: Record<string, unknown>): string[] {
    return Object.keys(o).filter((k) => {
        const v = o[k];
        return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
    });
}

/** A JSON number as JSON.stringify writes it (NaN and the infinities are null, -0 is 0). */
function plain(v: unknown): Json {
    if (typeof v === 'number') return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    return v as Json;
}

export function packJson(value: unknown): Packed {
    if (Array.isArray(value)) return packArray(value.map(element));
    if (isRecord(value)) {
        if (typeof value.toJSON === 'function') return packJson(JSON.parse(JSON.stringify(value)));
        const out: { [key: string]: Packed } = {};
        for (const k of keysOf(value)) setKey(out, k, packJson(value[k]));
        return out;
    }
    return plain(value);
}

function packArray(a: unknown[], repeated = false): Packed[] {
    let objects = 0;
    let arrays = 0;
    let strings = 0;
    let nulls = 0;
    for (const v of a) {
        if (v === null) nulls++;
        else if (Array.isArray(v)) arrays++;
        else if (isRecord(v) && typeof v.toJSON !== 'function') objects++;
        else if (typeof v === 'string') strings++;
    }
    const n = a.length;
    if (n && objects + nulls === n && objects) return repeated ? packRows(a) : packColumns(a);
    if (n && arrays + nulls === n && arrays) return packLists(a as (unknown[] | null)[]);
    if (n >= MIN_REPEAT && strings + nulls === n && strings) {
        const index = new Map<string, number>();
        const dict: string[] = [];
        const idx = a.map((v) => {
            if (v === null) return -1;
            let i = index.get(v as string);
            if (i === undefined) index.set(v as string, (i = dict.push(v as string) - 1));
            return i;
        });
        if (dict.length * 2 <= n) return ['s', dict, idx];
    }
    if (objects || arrays) return ['p', a.map(packJson)];
    if (n >= MIN_REPEAT && a.every((v) => Number.isSafeInteger(v) && !Object.is(v, -0))) {
        // Integers that grow or stay close (ids, event times): each as the step from the one before.
        const deltas = (a as number[]).map((v, i) => (i ? v - (a[i - 1] as number) : v));
        let plainLength = 0;
        let deltaLength = 0;
        for (let i = 0; i < n; i++) {
            plainLength += String(a[i]).length;
            deltaLength += String(deltas[i]).length;
        }
        if (deltaLength * 5 <= plainLength * 4) return ['i', deltas];
    }
    return ['r', a.map(plain)];
}

/**
 * Arrays (and nulls), concatenated. When lists start as earlier ones do (a chain of references
 * is its holder's chain and one more link), each is stored as the start of an earlier list and
 * its own elements: a trie of the lists' elements finds, for each list, the earlier one sharing
 * its longest start.
 */
function packLists(a: (unknown[] | null)[]): Packed[] {
    const lengths: number[] = [];
    const inner: unknown[] = [];
    for (const v of a) {
        if (v === null) lengths.push(-1);
        else {
            lengths.push(v.length);
            for (const x of v) inner.push(element(x));
        }
    }
    const plain: Packed[] = ['a', lengths, packArray(inner, true)];
    if (inner.length < MIN_REPEAT || inner.length < 2 * a.length) return plain;
    interface Trie {
        list: number;
        next: Map<string, Trie>;
    }
    const root: Trie = { list: -1, next: new Map() };
    const from: number[] = [];
    const shared: number[] = [];
    const own: number[] = [];
    const ownInner: unknown[] = [];
    let at = 0;
    for (let i = 0; i < a.length; i++) {
        const len = lengths[i];
        if (len < 0) {
            from.push(-1);
            shared.push(0);
            own.push(-1);
            continue;
        }
        let node = root;
        let d = 0;
        const keys = inner.slice(at, at + len).map((x) => JSON.stringify(x));
        for (; d < len; d++) {
            const child = node.next.get(keys[d]);
            if (!child) break;
            node = child;
        }
        from.push(d ? node.list : -1);
        shared.push(d);
        own.push(len - d);
        for (let k = d; k < len; k++) {
            const child: Trie = { list: i, next: new Map() };
            node.next.set(keys[k], child);
            node = child;
            ownInner.push(inner[at + k]);
        }
        at += len;
    }
    // Worth it only when most elements come from earlier lists.
    if (ownInner.length * 2 > inner.length) return plain;
    return ['t', from, shared, own, packArray(ownInner, true)];
}

/** Rows of objects (and nulls): columns, after storing repeated rows once. */
function packRows(a: unknown[]): Packed[] {
    if (a.length >= MIN_REPEAT) {
        const index = new Map<string, number>();
        const rows: unknown[] = [];
        const idx = a.map((v) => {
            const key = JSON.stringify(v);
            let i = index.get(key);
            if (i === undefined) index.set(key, (i = rows.push(v) - 1));
            return i;
        });
        if (rows.length * 2 <= a.length) return ['u', packColumns(rows), idx];
    }
    return packColumns(a);
}

function packColumns(a: unknown[]): Packed[] {
    const shapes: string[][] = [];
    const shapeIndex = new Map<string, number>();
    const shapeOf: number[] = [];
    const columns = new Map<string, unknown[]>();
    for (const v of a) {
        if (v === null) {
            shapeOf.push(-1);
            continue;
        }
        const o = v as Record<string, unknown>;
        const keys = keysOf(o);
        const sk = keys.join('\u0000');
        let s = shapeIndex.get(sk);
        if (s === undefined) shapeIndex.set(sk, (s = shapes.push(keys) - 1));
        shapeOf.push(s);
        for (const k of keys) {
            let col = columns.get(k);
            if (!col) columns.set(k, (col = []));
            col.push(element(o[k]));
        }
    }
    const cols: { [key: string]: Packed } = {};
    for (const [k, col] of columns) setKey(cols, k, packArray(col));
    return ['o', shapes, shapeOf, cols];
}

export function unpackJson(p: Packed): unknown {
    if (Array.isArray(p)) return unpackArray(p);
    if (p !== null && typeof p === 'object') {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(p)) setKey(out, k, unpackJson(p[k]));
        return out;
    }
    return p;
}

function unpackArray(p: Packed[]): unknown[] {
    switch (p[0]) {
        case 'r':
            return p[1] as Packed[];
        case 'p':
            return (p[1] as Packed[]).map(unpackJson);
        case 'i': {
            const deltas = p[1] as number[];
            const out = new Array<number>(deltas.length);
            let v = 0;
            for (let i = 0; i < deltas.length; i++) out[i] = v += deltas[i];
            return out;
        }
        case 's': {
            const dict = p[1] as string[];
            return (p[2] as number[]).map((i) => (i < 0 ? null : dict[i]));
        }
        case 'a': {
            const lengths = p[1] as number[];
            const inner = unpackArray(p[2] as Packed[]);
            const out: unknown[] = [];
            let at = 0;
            for (const n of lengths) {
                if (n < 0) out.push(null);
                else {
                    out.push(inner.slice(at, at + n));
                    at += n;
                }
            }
            return out;
        }
        case 't': {
            const from = p[1] as number[];
            const shared = p[2] as number[];
            const own = p[3] as number[];
            const inner = unpackArray(p[4] as Packed[]);
            const out: (unknown[] | null)[] = [];
            let at = 0;
            for (let i = 0; i < own.length; i++) {
                if (own[i] < 0) {
                    out.push(null);
                    continue;
                }
                const list = shared[i] ? out[from[i]]!.slice(0, shared[i]) : [];
                for (let k = 0; k < own[i]; k++) list.push(inner[at + k]);
                at += own[i];
                out.push(list);
            }
            return out;
        }
        case 'u': {
            const rows = unpackArray(p[1] as Packed[]);
            return (p[2] as number[]).map((i) => rows[i]);
        }
        case 'o': {
            const shapes = p[1] as string[][];
            const shapeOf = p[2] as number[];
            const packed = p[3] as { [key: string]: Packed[] };
            const names = Object.keys(packed);
            const columns = names.map((k) => unpackArray(packed[k]));
            const column = new Map(names.map((k, i) => [k, i]));
            // Each row starts as a copy of its shape's template, so it is made with all its keys at
            // once (one hidden class per shape, no transitions), then its values are filled in from
            // the next unread entry of each of its columns.
            const templates = shapes.map((keys) => Object.fromEntries(keys.map((k) => [k, null])) as Record<string, unknown>);
            const shapeColumns = shapes.map((keys) => keys.map((k) => column.get(k)!));
            const next = new Int32Array(names.length);
            const out = new Array<unknown>(shapeOf.length);
            for (let r = 0; r < shapeOf.length; r++) {
                const s = shapeOf[r];
                if (s < 0) {
                    out[r] = null;
                    continue;
                }
                const o = { ...templates[s] };
                const keys = shapes[s];
                const cols = shapeColumns[s];
                for (let j = 0; j < keys.length; j++) o[keys[j]] = columns[cols[j]][next[cols[j]]++];
                out[r] = o;
            }
            return out;
        }
        default:
            throw new Error(`not a packed array: ${JSON.stringify(p[0])}`);
    }
}
