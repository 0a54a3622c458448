/*
 * format.ts
 *
 * repr(), str(), `%` formatting and format specs, producing the text CPython prints.
 */

import { PyDescriptor } from '../runtime/descriptors';
import { NativeObject } from '../runtime/nativeObject';
import { bytesLiteral, PyByteArray } from '../runtime/bytearrayobject';
import { complexRepr } from './complexobject';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyFloat, PyComplex, PyStr, PyBytes, PySingleton } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet } from '../runtime/containers';
import { PyInstance, PyException } from '../runtime/instances';
import { PyFunction, PyBuiltin, PyMethod, PyCell, PyProperty } from '../runtime/callables';
import { PyModule, PyFrameObject, PyTraceback } from '../runtime/frames';
import { PyCode, codeRepr } from './codeobject';
import { PyIter, PyRange } from '../runtime/iterators';
import { PyGenerator, generatorRepr } from './genobject';
import type { Interpreter } from './interpreter';
import { exceptionStr, exceptionRepr, tpName } from '../builtins/exceptions';
import { userMethod, callMethod } from './slots';
import { checkDecimalDigits } from './longobject';
import { classicRepr } from './classobject';
import { structSeqRepr } from '../builtins/structseq';
import { getItem } from './items';

/** A stable fake address for default reprs (real ones vary between runs anyway). */
export function addr(o: PyObject): string {
    return '0x' + (0x7f0000000000 + o.id * 16).toString(16);
}

/** float_repr: the shortest string that round-trips, in Python's layout. */
export function floatRepr(v: number): string {
    if (Number.isNaN(v)) return 'nan';
    if (v === Infinity) return 'inf';
    if (v === -Infinity) return '-inf';
    if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
    const [mant, expStr] = v.toExponential().split('e');
    const exp = parseInt(expStr, 10);
    const neg = mant.startsWith('-');
    const digits = mant.replace('-', '').replace('.', '');
    let out: string;
    if (exp < -4 || exp >= 16) {
        const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
        out = m + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
    } else if (exp >= digits.length - 1) {
        out = digits + '0'.repeat(exp - digits.length + 1) + '.0';
    } else if (exp >= 0) {
        out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
    } else {
        out = '0.' + '0'.repeat(-exp - 1) + digits;
    }
    return neg ? '-' + out : out;
}

/** Python 2's str(float): '%.12g'. */
function floatStr2(v: number): string {
    if (!Number.isFinite(v)) return floatRepr(v);
    let s = formatG(v, 12, false);
    if (!/[.e]/.test(s) && !s.includes('n')) s += '.0';
    return s;
}

export function strRepr(s: string): string {
    const q = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = q;
    for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (ch === q || ch === '\\') out += '\\' + ch;
        else if (ch === '\n') out += '\\n';
        else if (ch === '\r') out += '\\r';
        else if (ch === '\t') out += '\\t';
        else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
        else out += ch;
    }
    return out + q;
}

/** bytes_repr (2.7's str repr has no `b` prefix). */
function bytesRepr(b: Uint8Array, py2: boolean): string {
    const lit = bytesLiteral(b);
    return py2 ? lit.slice(1) : lit;
}

function typeRepr(it: Interpreter, t: PyType): string {
    // A static type's repr takes its module from tp_name ("_io.TextIOWrapper", "weakref.ReferenceType");
    // built-in ones have none (their `module` is never set, so it keeps the class default __main__).
    const mod = t.isHeap || (t.module !== '__main__' && t.module !== '__builtin__') ? t.module : 'builtins';
    if (!t.isHeap && it.profile.major === 2) return `<type '${tpName(it, t)}'>`;
    return mod === 'builtins' ? `<class '${t.name}'>` : `<class '${mod}.${t.qualname}'>`;
}

/** The text of a `__repr__` / `__str__` result (a new reference, released here): it must be a str. */
function strResult(it: Interpreter, r: PyObject, method: string): string {
    try {
        if (!(r instanceof PyStr)) throw it.error('TypeError', `${method} returned non-string (type ${r.type.name})`);
        return r.v;
    } finally {
        it.decref(r);
    }
}

/** repr(o) as a JS string. Recursion into containers is guarded like Py_ReprEnter. */
export function repr(it: Interpreter, o: PyObject, seen: Set<PyObject> = new Set()): string {
    it.checkSignals();
    return tpRepr(it, o, seen);
}

/** The type's tp_repr without PyObject_Repr's signal check (object_str calls it directly). */
function tpRepr(it: Interpreter, o: PyObject, seen: Set<PyObject> = new Set()): string {
    // A class's __repr__ (slot_tp_repr) before the native repr of its base.
    if (o.type.isHeap || o instanceof PyInstance) {
        const m = userMethod(it, o, '__repr__');
        if (m !== null) return strResult(it, callMethod(it, m, o, []), '__repr__');
    }
    return nativeRepr(it, o, seen);
}

/** The built-in types' repr (`list.__repr__`, `object.__repr__`…): no `__repr__` dispatch on `o` itself. */
export function nativeRepr(it: Interpreter, o: PyObject, seen: Set<PyObject> = new Set()): string {
    const own = o.type.nativeRepr;
    if (own !== null) return own(o, seen);
    if (o instanceof PyStr) return strRepr(o.v);
    if (o instanceof PyInt) {
        if (o.type === it.T.bool) return o.v ? 'True' : 'False';
        // 2.7: values past a C long are longs (repr `…L`); below, ints (even when held as a bigint here).
        const text = String(o.v);
        checkDecimalDigits(it, o.v, text);
        return text + (it.profile.major === 2 && typeof o.v === 'bigint' && (o.v >= 1n << 63n || o.v < -(1n << 63n)) ? 'L' : '');
    }
    if (o instanceof PyFloat) return floatRepr(o.v);
    if (o instanceof PyComplex) return complexRepr(o);
    if (o instanceof PySingleton) return o.name;
    if (o instanceof PyBytes) return bytesRepr(o.v, it.profile.major === 2);
    if (o instanceof PyList || o instanceof PyTuple || o instanceof PyDict || o instanceof PySet) {
        if (seen.has(o)) return o instanceof PyList ? '[...]' : o instanceof PyDict ? '{...}' : '(...)';
        seen.add(o);
        try {
            if (o instanceof PyList) return '[' + o.items.map((x) => repr(it, x, seen)).join(', ') + ']';
            if (o instanceof PyTuple) {
                const named = o.type !== it.T.tuple ? structSeqRepr(it, o) : null;
                if (named !== null) return named;
                const parts = o.items.map((x) => repr(it, x, seen));
                return '(' + parts.join(', ') + (parts.length === 1 ? ',)' : ')');
            }
            if (o instanceof PyDict) {
                if (o.slots27?.orderUnknown) it.sets.dictOrderShown(o, 'repr');
                return '{' + Array.from(o.entries(), (e) => repr(it, e.k, seen) + ': ' + repr(it, e.v, seen)).join(', ') + '}';
            }
            if (o.table.orderUnknown) it.sets.orderShown(o, 'repr');
            const items = o.items().map((x) => repr(it, x, seen));
            const frozen = o.type === it.T.frozenset;
            if (it.profile.major === 2) return (frozen ? 'frozenset' : 'set') + '([' + items.join(', ') + '])';
            if (!items.length) return frozen ? 'frozenset()' : 'set()';
            return frozen ? 'frozenset({' + items.join(', ') + '})' : '{' + items.join(', ') + '}';
        } finally {
            seen.delete(o);
        }
    }
    if (o instanceof PyType) return o.classic ? classicRepr(o, addr(o))! : typeRepr(it, o);
    if (o instanceof PyInstance) {
        if (o instanceof PyException) return exceptionRepr(it, o, seen);
        // A weakref (an instance-like object here, as its type dispatches special methods): weakref_repr.
        const wr = (it.moduleState.get('weakref.repr') as ((o: PyObject) => string | null) | undefined)?.(o);
        if (wr) return wr;
        if (o.type.classic) return classicRepr(o, addr(o))!;
        const mod = o.type.module;
        return `<${mod}.${o.type.qualname} object at ${addr(o)}>`;
    }
    if (o instanceof PyFunction) return `<function ${o.qualname} at ${addr(o)}>`;
    if (o instanceof PyMethod) {
        const f = o.func as PyFunction;
        return `<bound method ${f.qualname ?? '?'} of ${repr(it, o.self!, seen)}>`;
    }
    if (o instanceof PyBuiltin) {
        if (o.self) return `<built-in method ${o.name} of ${tpName(it, o.self.type)} object at ${addr(o.self)}>`;
        return `<built-in function ${o.name}>`;
    }
    if (o instanceof PyModule) return o.name === 'sys' || o.name === 'builtins' || o.name === 'gc' || o.name === 'atexit' ? `<module '${o.name}' (built-in)>` : `<module '${o.name}'>`;
    if (o instanceof PyCell) return `<cell at ${addr(o)}: ${o.ref ? `${o.ref.type.name} object at ${addr(o.ref)}` : 'empty'}>`;
    if (o instanceof PyRange) {
        return o.step === 1n ? `range(${o.start}, ${o.stop})` : `range(${o.start}, ${o.stop}, ${o.step})`;
    }
    if (o instanceof PyIter && o.kind.startsWith('view_')) {
        const d = o.seq as PyDict;
        const name = o.type.name;
        const parts = Array.from(d.entries(), (e) =>
            o.kind === 'view_keys' ? repr(it, e.k, seen) : o.kind === 'view_values' ? repr(it, e.v, seen) : `(${repr(it, e.k, seen)}, ${repr(it, e.v, seen)})`,
        );
        return `${name}([${parts.join(', ')}])`;
    }
    if (o instanceof PyGenerator) return generatorRepr(it, o, addr(o));
    if (o instanceof PyFrameObject) return `<frame at ${addr(o)}, file '${o.data.filename}', line ${o.data.line}, code ${o.data.name}>`;
    if (o instanceof PyTraceback) return `<traceback object at ${addr(o)}>`;
    if (o instanceof PyCode) return codeRepr(it, o, addr(o));
    if (o instanceof PyProperty) return `<property object at ${addr(o)}>`;
    // getset_repr and member_repr (descrobject.c): the class's tp_name.
    if (o instanceof PyDescriptor) return `<${o.type.name === 'member_descriptor' ? 'member' : 'attribute'} '${o.attr}' of '${o.owner ? tpName(it, o.owner) : '?'}' objects>`;
    if (o instanceof NativeObject) return o.reprText(it);
    return `<${o.type.name} object at ${addr(o)}>`;
}

/** str(o) as a JS string. */
export function str(it: Interpreter, o: PyObject): string {
    it.checkSignals();
    if (o.type.isHeap || o instanceof PyInstance) {
        const m = userMethod(it, o, '__str__');
        if (m !== null) return strResult(it, callMethod(it, m, o, []), '__str__');
    }
    if (o instanceof PyStr) return o.v;
    // 2.7's bytearray_str: the bytes themselves (3.x: the repr).
    if (o instanceof PyByteArray && it.profile.bytesAreStr) return String.fromCharCode(...o.v);
    // class_str: a classic class prints as `module.Name`.
    if (o instanceof PyType && o.classic) return `${o.module}.${o.name}`;
    // 2.7's int and float have a tp_str of their own (3.x: str() is the repr, a subclass's __repr__ included).
    if (o instanceof PyFloat && it.profile.numbersHaveStr) return floatStr2(o.v);
    if (o instanceof PyInt && it.profile.numbersHaveStr && o.type !== it.T.bool) return String(o.v);
    if (o instanceof PyInt && typeof o.v === 'bigint' && o.type === it.T.int) {
        const text = String(o.v);
        checkDecimalDigits(it, o.v, text);
        return text;
    }
    if (o instanceof PyInstance) {
        if (o instanceof PyException) return exceptionStr(it, o);
    }
    if (o instanceof NativeObject) {
        const own = o.strText(it);
        if (own !== null) return own;
    }
    return tpRepr(it, o);
}

// ------------------------------------------------------------------------------------------------
// number formatting

/** '%.{p}g' formatting. */
export function formatG(v: number, p: number, alt: boolean): string {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    if (p === 0) p = 1;
    if (v === 0) return alt ? '0.' + '0'.repeat(p - 1) : Object.is(v, -0) ? '-0' : '0';
    const exp = Math.floor(Math.log10(Math.abs(Number(v.toExponential(p - 1)))));
    let s: string;
    if (exp < -4 || exp >= p) {
        s = v.toExponential(p - 1);
        let [m, e] = s.split('e');
        if (!alt && m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
        const en = parseInt(e, 10);
        s = m + 'e' + (en < 0 ? '-' : '+') + String(Math.abs(en)).padStart(2, '0');
    } else {
        s = v.toFixed(Math.max(0, p - 1 - exp));
        if (!alt && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    }
    return s;
}

function formatE(v: number, p: number, upper: boolean): string {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    const [m, e] = v.toExponential(p).split('e');
    const en = parseInt(e, 10);
    const s = m + 'e' + (en < 0 ? '-' : '+') + String(Math.abs(en)).padStart(2, '0');
    return upper ? s.toUpperCase() : s;
}

function toNumber(it: Interpreter, o: PyObject, conv: string): number | bigint {
    if (o instanceof PyInt) return o.v;
    if (o instanceof PyFloat) return o.v;
    throw it.error('TypeError', `%${conv} format: a ${conv === 'd' || conv === 'i' || conv === 'x' || conv === 'o' ? 'real number' : 'real number'} is required, not ${o.type.name}`);
}

function intDigits(v: number | bigint, radix: number): string {
    if (typeof v === 'number') return Math.trunc(v).toString(radix);
    return v.toString(radix);
}

interface Spec {
    fill: string;
    align: string;
    sign: string;
    alt: boolean;
    zero: boolean;
    width: number;
    grouping: string;
    precision: number;
    type: string;
}

function parseSpec(it: Interpreter, spec: string): Spec {
    const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su.exec(spec);
    if (!m) throw it.error('ValueError', `Invalid format specifier '${spec}'`);
    return {
        fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '),
        align: m[2] ?? (m[5] ? '=' : ''),
        sign: m[3] ?? '-',
        alt: !!m[4],
        zero: !!m[5],
        width: m[6] ? parseInt(m[6], 10) : 0,
        grouping: m[7] ?? '',
        precision: m[8] !== undefined ? parseInt(m[8], 10) : -1,
        type: m[9] ?? '',
    };
}

function group(intPart: string, sep: string): string {
    if (!sep) return intPart;
    return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function pad(s: string, spec: Spec, defaultAlign: string, signLen = 0): string {
    const len = [...s].length;
    if (len >= spec.width) return s;
    const n = spec.width - len;
    const align = spec.align || defaultAlign;
    const f = spec.fill;
    if (align === '<') return s + f.repeat(n);
    if (align === '>') return f.repeat(n) + s;
    if (align === '^') return f.repeat(Math.floor(n / 2)) + s + f.repeat(n - Math.floor(n / 2));
    return s.slice(0, signLen) + f.repeat(n) + s.slice(signLen);
}

function signed(neg: boolean, body: string, sign: string): [string, number] {
    const s = neg ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    return [s + body, s.length];
}

/** format(value, spec) for the built-in types; user __format__ is called by the caller. */
export function formatSpec(it: Interpreter, o: PyObject, specText: string): string {
    // PyObject_Format's fast path returns an exact str as it is (no PyObject_Str).
    if (specText === '') return o instanceof PyStr && o.type === it.T.str ? o.v : str(it, o);
    const spec = parseSpec(it, specText);
    if (o instanceof PyInt && o.type !== it.T.bool || (o instanceof PyInt && spec.type && spec.type !== 's')) {
        const v = (o as PyInt).v;
        const t = spec.type || 'd';
        if ('eEfFgG%'.includes(t)) return formatFloatSpec(it, Number(v), spec);
        const neg = v < 0;
        const abs = typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v);
        let body: string;
        if (t === 'd' || t === 'n') {
            const digits = intDigits(abs, 10);
            checkDecimalDigits(it, abs, digits);
            body = group(digits, spec.grouping);
        }
        else if (t === 'x') body = (spec.alt ? '0x' : '') + intDigits(abs, 16);
        else if (t === 'X') body = (spec.alt ? '0X' : '') + intDigits(abs, 16).toUpperCase();
        else if (t === 'o') body = (spec.alt ? '0o' : '') + intDigits(abs, 8);
        else if (t === 'b') body = (spec.alt ? '0b' : '') + intDigits(abs, 2);
        else if (t === 'c') body = String.fromCodePoint(Number(abs));
        else throw it.error('ValueError', `Unknown format code '${t}' for object of type 'int'`);
        const [s, sl] = signed(neg, body, spec.sign);
        return pad(s, spec, '>', sl);
    }
    if (o instanceof PyFloat || o instanceof PyInt) return formatFloatSpec(it, Number((o as PyFloat).v), spec);
    const s = str(it, o);
    if (spec.type && spec.type !== 's') throw it.error('ValueError', `Unknown format code '${spec.type}' for object of type '${o.type.name}'`);
    const cut = spec.precision >= 0 ? [...s].slice(0, spec.precision).join('') : s;
    return pad(cut, spec, '<');
}

function formatFloatSpec(it: Interpreter, v: number, spec: Spec): string {
    const neg = v < 0 || Object.is(v, -0);
    const a = Math.abs(v);
    const p = spec.precision;
    let body: string;
    switch (spec.type) {
        case 'f':
        case 'F':
            body = Number.isFinite(a) ? a.toFixed(p < 0 ? 6 : p) : a === Infinity ? 'inf' : 'nan';
            break;
        case 'e':
        case 'E':
            body = formatE(a, p < 0 ? 6 : p, spec.type === 'E');
            break;
        case 'g':
        case 'G':
            body = formatG(a, p < 0 ? 6 : p, spec.alt);
            break;
        case '%':
            body = (a * 100).toFixed(p < 0 ? 6 : p) + '%';
            break;
        case '':
            body = p < 0 ? floatRepr(a) : formatG(a, p, false);
            if (p >= 0 && !/[.e]/.test(body) && Number.isFinite(a)) body = body;
            break;
        default:
            throw it.error('ValueError', `Unknown format code '${spec.type}' for object of type 'float'`);
    }
    if (spec.grouping && Number.isFinite(a)) {
        const [ip, fp] = body.split('.');
        body = group(ip, spec.grouping) + (fp !== undefined ? '.' + fp : '');
    }
    const [s, sl] = signed(neg, body, spec.sign);
    return pad(s, spec, '>', sl);
}

// ------------------------------------------------------------------------------------------------
// `%` formatting (printf-style)

export function percentFormat(it: Interpreter, fmt: string, arg: PyObject): string {
    const owned: PyObject[] = [];
    try {
        return percentFormatArgs(it, fmt, arg, owned);
    } finally {
        for (const v of owned) it.decref(v);
    }
}

/** percentFormat's loop; `owned` collects the values a mapping lookup returned as new references. */
function percentFormatArgs(it: Interpreter, fmt: string, arg: PyObject, owned: PyObject[]): string {
    const args = arg instanceof PyTuple ? arg.items : [arg];
    const mapping = arg instanceof PyDict ? arg : null;
    let ai = 0;
    let out = '';
    const next = (): PyObject => {
        if (ai >= args.length) throw it.error('TypeError', 'not enough arguments for format string');
        return args[ai++];
    };
    const re = /%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/gy;
    let i = 0;
    while (i < fmt.length) {
        const pct = fmt.indexOf('%', i);
        if (pct < 0) {
            out += fmt.slice(i);
            break;
        }
        out += fmt.slice(i, pct);
        re.lastIndex = pct;
        const m = re.exec(fmt);
        if (!m) throw it.error('ValueError', `unsupported format character '${fmt[pct + 1] ?? ''}' (0x${(fmt.charCodeAt(pct + 1) || 0).toString(16)}) at index ${pct + 1}`);
        i = re.lastIndex;
        const [, key, flags, widthS, precS, conv] = m;
        if (conv === '%') {
            out += '%';
            continue;
        }
        // A `(key)` makes the looked-up value the specifier's only argument (unicode_format_arg:
        // ctx->args = dict[key], arglen -1), so a `*` after it takes that value.
        let keyed: PyObject[] | null = null;
        if (key !== undefined) {
            if (!mapping) throw it.error('TypeError', 'format requires a mapping');
            if (mapping.type === it.T.dict) {
                const v = mapping.get(it.str(key));
                if (!v) throw it.error('KeyError', key);
                keyed = [v];
            } else {
                // PyObject_GetItem: a dict subclass's own lookup (defaultdict's __missing__, a __getitem__).
                const k = it.str(key);
                let v: PyObject;
                try {
                    v = getItem(it, mapping, k);
                } finally {
                    it.decref(k);
                }
                owned.push(v);
                keyed = [v];
            }
        }
        const take = (): PyObject => {
            if (!keyed) return next();
            const v = keyed.shift();
            if (!v) throw it.error('TypeError', 'not enough arguments for format string');
            return v;
        };
        // `*` width/precision come from the arguments (unicode_format_arg_parse): an int, a negative
        // width left-justifies, a negative precision counts as 0.
        const starArg = (): number => {
            const v = take();
            if (!(v instanceof PyInt)) throw it.error('TypeError', '* wants int');
            return Number(v.v);
        };
        let width = 0;
        let starLeft = false;
        if (widthS === '*') {
            width = starArg();
            if (width < 0) {
                starLeft = true;
                width = -width;
            }
        } else if (widthS) width = parseInt(widthS, 10);
        let prec = -1;
        if (precS === '*') prec = Math.max(0, starArg());
        else if (precS !== undefined) prec = parseInt(precS, 10);
        const value = take();
        const left = flags.includes('-') || starLeft;
        const zero = flags.includes('0') && !left;
        const plus = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '-';
        let body: string;
        let signLen = 0;
        switch (conv) {
            case 's':
                // unicode_format_arg_format: an exact str is used as it is (no PyObject_Str).
                body = value instanceof PyStr && value.type === it.T.str ? value.v : str(it, value);
                if (prec >= 0) body = body.slice(0, prec);
                break;
            case 'r':
            case 'a':
                body = repr(it, value);
                if (prec >= 0) body = body.slice(0, prec);
                break;
            case 'c':
                body = value instanceof PyStr ? value.v : String.fromCodePoint(Number((value as PyInt).v));
                break;
            case 'd':
            case 'i':
            case 'u': {
                const n = toNumber(it, value, conv);
                const iv = typeof n === 'number' ? Math.trunc(n) : n;
                const neg = iv < 0;
                const digits = intDigits(typeof iv === 'bigint' ? (iv < 0n ? -iv : iv) : Math.abs(iv), 10);
                checkDecimalDigits(it, iv, digits);
                [body, signLen] = signed(neg, prec > digits.length ? digits.padStart(prec, '0') : digits, plus);
                break;
            }
            case 'x':
            case 'X':
            case 'o': {
                const n = toNumber(it, value, conv);
                const neg = n < 0;
                const radix = conv === 'o' ? 8 : 16;
                let digits = intDigits(typeof n === 'bigint' ? (n < 0n ? -n : n) : Math.abs(n), radix);
                if (conv === 'X') digits = digits.toUpperCase();
                if (flags.includes('#')) digits = (conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X') + digits;
                [body, signLen] = signed(neg, digits, plus);
                break;
            }
            default: {
                const n = Number(toNumber(it, value, conv));
                const neg = n < 0 || Object.is(n, -0);
                const a = Math.abs(n);
                const p = prec < 0 ? 6 : prec;
                let b: string;
                if (conv === 'f' || conv === 'F') b = Number.isFinite(a) ? a.toFixed(p) : a === Infinity ? 'inf' : 'nan';
                else if (conv === 'e' || conv === 'E') b = formatE(a, p, conv === 'E');
                else b = formatG(a, p, flags.includes('#'));
                [body, signLen] = signed(neg, b, plus);
            }
        }
        if (body.length < width) {
            if (left) body = body + ' '.repeat(width - body.length);
            else if (zero && conv !== 's' && conv !== 'r' && conv !== 'c') body = body.slice(0, signLen) + '0'.repeat(width - body.length) + body.slice(signLen);
            else body = ' '.repeat(width - body.length) + body;
        }
        out += body;
    }
    if (!mapping && ai < args.length && !(arg instanceof PyTuple && args.length === 0)) {
        if (arg instanceof PyTuple || ai === 0) throw it.error('TypeError', 'not all arguments converted during string formatting');
    }
    return out;
}
