/*
 * json.ts
 *
 * The `json` module: dumps/dump (JSONEncoder: dicts, lists and tuples, str with ensure_ascii
 * escapes, int, float repr, True/False/None; `sort_keys`, `indent`, `separators`; keys that are
 * int/float/bool/None become strings; a container met again while it is being encoded is a
 * "Circular reference detected" ValueError) and loads/load (JSONDecoder: new dicts, lists, str,
 * int, float, bools and None). dump writes the encoded text to the file with one write() (CPython
 * writes it in chunks; the file's final content is the same). Not modelled (refused): `default=`,
 * `cls=`, `object_hook`, `allow_nan=False`, and 2.7's decoder (it makes `unicode` strings, a type
 * the engine does not have).
 */

import type { PyObject } from '../runtime/object';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { PyInt, PyFloat, PyStr } from '../runtime/values';
import type { KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { getAttr } from '../interp/attrs';
import { repr } from '../interp/format';
import { truthy, compare } from '../interp/ops';
import { unsupportedAt } from '../names/refuse';
import { arity } from '../builtins/args';
import { defineFn } from '../builtins/modules';

interface EncodeOptions {
    sortKeys: boolean;
    indent: string | null;
    itemSep: string;
    keySep: string;
    ensureAscii: boolean;
}

function encodeString(s: string, ascii: boolean): string {
    let out = '"';
    for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (ch === '"') out += '\\"';
        else if (ch === '\\') out += '\\\\';
        else if (ch === '\n') out += '\\n';
        else if (ch === '\r') out += '\\r';
        else if (ch === '\t') out += '\\t';
        else if (ch === '\b') out += '\\b';
        else if (ch === '\f') out += '\\f';
        else if (c < 0x20 || (ascii && c > 0x7e)) {
            const hex = (u: number): string => '\\u' + u.toString(16).padStart(4, '0');
            if (c > 0xffff) {
                const v = c - 0x10000;
                out += hex(0xd800 | (v >> 10)) + hex(0xdc00 | (v & 0x3ff));
            } else out += hex(c);
        } else out += ch;
    }
    return out + '"';
}

function encodeFloat(it: Interpreter, f: PyFloat): string {
    if (Number.isNaN(f.v)) return 'NaN';
    if (f.v === Infinity) return 'Infinity';
    if (f.v === -Infinity) return '-Infinity';
    return repr(it, f);
}

function encode(it: Interpreter, o: PyObject, opt: EncodeOptions): string {
    const active = new Set<PyObject>();
    const walk = (x: PyObject, level: number): string => {
        if (x === it.None) return 'null';
        if (x === it.True) return 'true';
        if (x === it.False) return 'false';
        if (x instanceof PyStr) return encodeString(x.v, opt.ensureAscii);
        if (x instanceof PyInt) return String(x.v);
        if (x instanceof PyFloat) return encodeFloat(it, x);
        const isList = x instanceof PyList || x instanceof PyTuple;
        if (!isList && !(x instanceof PyDict)) {
            if (it.profile.major === 2) throw it.error('TypeError', `${repr(it, x)} is not JSON serializable`);
            throw it.error('TypeError', `Object of type ${x.type.name} is not JSON serializable`);
        }
        if (active.has(x)) throw it.error('ValueError', 'Circular reference detected');
        active.add(x);
        try {
            const nl = opt.indent === null ? '' : '\n' + opt.indent.repeat(level + 1);
            const close = opt.indent === null ? '' : '\n' + opt.indent.repeat(level);
            if (isList) {
                const items = (x as PyList).items;
                if (!items.length) return '[]';
                return '[' + nl + items.map((v) => walk(v, level + 1)).join(opt.itemSep + nl) + close + ']';
            }
            const d = x as PyDict;
            let entries = [...d.entries()].map((e) => ({ k: e.k, v: e.v }));
            if (!entries.length) return '{}';
            if (opt.sortKeys) entries = entries.sort((a, b) => (compare(it, 'Lt', a.k, b.k) ? -1 : compare(it, 'Lt', b.k, a.k) ? 1 : 0));
            const parts = entries.map((e) => {
                let key: string;
                if (e.k instanceof PyStr) key = e.k.v;
                else if (e.k === it.True) key = 'true';
                else if (e.k === it.False) key = 'false';
                else if (e.k === it.None) key = 'null';
                else if (e.k instanceof PyInt) key = String(e.k.v);
                else if (e.k instanceof PyFloat) key = encodeFloat(it, e.k);
                else throw it.error('TypeError', it.profile.major === 2 ? `key ${repr(it, e.k)} is not a string` : `keys must be str, int, float, bool or None, not ${e.k.type.name}`);
                return encodeString(key, opt.ensureAscii) + opt.keySep + walk(e.v, level + 1);
            });
            return '{' + nl + parts.join(opt.itemSep + nl) + close + '}';
        } finally {
            active.delete(x);
        }
    };
    return walk(o, 0);
}

function encodeOptions(it: Interpreter, kwargs: KwArgs): EncodeOptions {
    const opt: EncodeOptions = { sortKeys: false, indent: null, itemSep: ', ', keySep: ': ', ensureAscii: true };
    let separators: PyObject | null = null;
    for (const [k, v] of kwargs ?? []) {
        switch (k) {
            case 'sort_keys':
                opt.sortKeys = truthy(it, v);
                break;
            case 'ensure_ascii':
                opt.ensureAscii = truthy(it, v);
                break;
            case 'indent':
                if (v === it.None) break;
                if (v instanceof PyInt) opt.indent = ' '.repeat(Math.max(0, Number(v.v)));
                else if (v instanceof PyStr) opt.indent = v.v;
                else throw unsupportedAt(it, `json indent=${v.type.name}`);
                break;
            case 'separators':
                separators = v === it.None ? null : v;
                break;
            case 'skipkeys':
            case 'check_circular':
                if (k === 'skipkeys' ? truthy(it, v) : !truthy(it, v)) throw unsupportedAt(it, `json ${k}=${repr(it, v)}`);
                break;
            default:
                throw unsupportedAt(it, `json.dumps(${k}=…)`);
        }
    }
    // 3.4+: with an indent the item separator loses its trailing space.
    if (opt.indent !== null && it.profile.major === 3) opt.itemSep = ',';
    if (separators) {
        if (!(separators instanceof PyTuple) || separators.items.length !== 2 || !separators.items.every((s) => s instanceof PyStr)) throw unsupportedAt(it, 'json separators other than a tuple of two str');
        opt.itemSep = (separators.items[0] as PyStr).v;
        opt.keySep = (separators.items[1] as PyStr).v;
    }
    return opt;
}

/** JSONDecoder: a new object for the text (raises ValueError / JSONDecodeError on bad input). */
function decode(it: Interpreter, text: string): PyObject {
    let i = 0;
    const fail = (what: string): never => {
        const before = text.slice(0, i);
        const line = before.split('\n').length;
        const col = i - before.lastIndexOf('\n');
        throw unsupportedAt(it, `json decoding errors (${what}: line ${line} column ${col} (char ${i}))`);
    };
    const ws = (): void => {
        while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
    };
    const value = (): PyObject => {
        ws();
        const c = text[i];
        if (c === '{') {
            i++;
            const d = it.dict();
            ws();
            if (text[i] === '}') {
                i++;
                return d;
            }
            for (;;) {
                ws();
                if (text[i] !== '"') fail('Expecting property name enclosed in double quotes');
                const k = str();
                ws();
                if (text[i] !== ':') fail("Expecting ':' delimiter");
                i++;
                const v = value();
                d.set(it.heap, k, v);
                it.decref(k);
                it.decref(v);
                ws();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i] === '}') {
                    i++;
                    return d;
                }
                fail("Expecting ',' delimiter");
            }
        }
        if (c === '[') {
            i++;
            const items: PyObject[] = [];
            ws();
            if (text[i] === ']') {
                i++;
                return it.list(items);
            }
            for (;;) {
                items.push(value());
                ws();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i] === ']') {
                    i++;
                    return it.list(items);
                }
                fail("Expecting ',' delimiter");
            }
        }
        if (c === '"') return str();
        for (const [lit, v] of [['null', it.None], ['true', it.True], ['false', it.False], ['NaN', null], ['Infinity', null], ['-Infinity', null]] as const) {
            if (text.startsWith(lit, i)) {
                i += lit.length;
                return v ?? it.float(lit === 'NaN' ? NaN : lit === 'Infinity' ? Infinity : -Infinity);
            }
        }
        const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
        if (!m) return fail('Expecting value');
        i += m[0].length;
        if (m[2] || m[3]) return it.float(Number(m[0]));
        const n = BigInt(m[0]);
        return it.int(n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);
    };
    const str = (): PyStr => {
        i++;
        let out = '';
        for (;;) {
            if (i >= text.length) fail('Unterminated string starting at');
            const ch = text[i++];
            if (ch === '"') break;
            if (ch !== '\\') {
                out += ch;
                continue;
            }
            const e = text[i++];
            const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
            if (e === 'u') {
                out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
                i += 4;
            } else if (e in map) out += map[e];
            else fail('Invalid \\escape');
        }
        return it.str(out);
    };
    const v = value();
    ws();
    if (i < text.length) {
        it.decref(v);
        fail('Extra data');
    }
    return v;
}

export function createJsonModule(it: Interpreter): PyModule {
    const m = it.newModule('json');
    const py2 = it.profile.major === 2;
    defineFn(it, m, 'dumps', (args, kwargs) => {
        arity(it, 'dumps', args, 1, 1);
        return it.str(encode(it, args[0], encodeOptions(it, kwargs)));
    });
    defineFn(it, m, 'dump', (args, kwargs) => {
        arity(it, 'dump', args, 2, 2);
        const text = encode(it, args[0], encodeOptions(it, kwargs));
        const write = getAttr(it, args[1], 'write');
        try {
            it.decref(call(it, write, [it.str(text)], null));
        } finally {
            it.decref(write);
        }
        return it.None;
    });
    const loads = (s: PyObject, kwargs: KwArgs): PyObject => {
        if (kwargs && kwargs.size) throw unsupportedAt(it, `json.loads(${[...kwargs.keys()][0]}=…)`);
        if (py2) throw unsupportedAt(it, "json decoding on Python 2.7 (it returns 'unicode' strings)");
        if (!(s instanceof PyStr)) throw unsupportedAt(it, `json.loads of a '${s.type.name}'`);
        return decode(it, s.v);
    };
    defineFn(it, m, 'loads', (args, kwargs) => {
        arity(it, 'loads', args, 1, 1);
        return loads(args[0], kwargs);
    });
    defineFn(it, m, 'load', (args, kwargs) => {
        arity(it, 'load', args, 1, 1);
        const read = getAttr(it, args[0], 'read');
        let text: PyObject;
        try {
            text = call(it, read, [], null);
        } finally {
            it.decref(read);
        }
        try {
            return loads(text, kwargs);
        } finally {
            it.decref(text);
        }
    });
    return m;
}
