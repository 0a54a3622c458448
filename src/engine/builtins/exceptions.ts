/*
 * exceptions.ts
 *
 * Objects/exceptions.c: the built-in exception classes of each version (their hierarchy is the one
 * recorded from the real interpreters, names/cpython-names.json) and the classes with a C struct
 * of their own: StopIteration (value), SystemExit (code), ImportError (msg, name, path), OSError
 * (errno, strerror, filename, filename2; 2.7's EnvironmentError), SyntaxError (msg, filename,
 * lineno, offset, text, end_lineno, end_offset, print_file_and_line), NameError (name) and
 * AttributeError (obj, name) on 3.10+. Their tp_new / tp_init / tp_str / tp_repr are here, with
 * PEP 3151's errno -> subclass choice in OSError_new, and PyErr_SetFromErrnoWithFilenameObject
 * (`oserrorFromErrno`) for engine code that fails like a system call.
 *
 * A struct's fields are references: traversed and cleared before BaseException's own (dict,
 * args, traceback, cause, context), in the order the struct's *_clear function lists them.
 */

import { msg } from '../messages';
import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyStr } from '../runtime/values';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { PyException } from '../runtime/instances';
import { PyTraceback } from '../runtime/frames';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { PyRaise } from '../interp/signals';
import { unsupportedAt } from '../names/refuse';
import { repr, str } from '../interp/format';
import { collect } from '../interp/ops';
import { sequenceTupleItems } from '../interp/lengthHint';
import { namesFor, classKey, recordedAttributes, type ProfileNames } from '../names/table';
import { arity } from './args';
import { suggestName } from '../interp/suggestions';

// ------------------------------------------------------------------------------------------------
// the hierarchy

/**
 * Creates every built-in exception class `names` records (BaseException first), in dependency
 * order, with the recorded MRO. Aliases (3.x IOError and EnvironmentError are OSError) are names of
 * the same class: they are bound in builtins by `installBuiltinNames`.
 */
export function createExceptionTypes(names: ProfileNames, mk: (name: string, base: PyType, mro: string[], module: string) => PyType, types: Record<string, PyType>): void {
    const isException = (key: string): boolean => {
        const t = names.types.get(key);
        return !!t && t.mro.includes('BaseException') && t.mro.every((k) => k === 'object' || (names.types.get(k)?.mro.includes('BaseException') ?? false));
    };
    const make = (key: string): PyType | null => {
        if (types[key]) return types[key];
        const rec = names.types.get(key)!;
        if (key === 'BaseException') return null;
        const base = make(rec.mro[1]) ?? types.BaseException;
        for (const k of rec.mro.slice(2)) make(k);
        return mk(key, base, [...rec.mro], rec.module);
    };
    for (const desc of names.builtins.values()) {
        const key = classKey(desc);
        if (key && key !== 'BaseException' && isException(key)) make(key);
    }
}

// ------------------------------------------------------------------------------------------------
// structs

/** The classes whose instances carry fields beyond BaseException's, and those fields in *_clear order. */
const STRUCTS: Record<string, readonly string[]> = {
    StopIteration: ['value'],
    SystemExit: ['code'],
    ImportError: ['msg', 'name', 'path'],
    // 2.7: EnvironmentError holds them (IOError and OSError derive from it); 3.x: OSError.
    EnvironmentError: ['errno', 'strerror', 'filename'],
    OSError: ['errno', 'strerror', 'filename', 'filename2', 'characters_written'],
    SyntaxError: ['msg', 'filename', 'lineno', 'offset', 'text', 'end_lineno', 'end_offset', 'print_file_and_line'],
    NameError: ['name'],
    AttributeError: ['obj', 'name'],
    UnicodeEncodeError: [],
    UnicodeDecodeError: [],
    UnicodeTranslateError: [],
    BaseExceptionGroup: [],
};

export interface ExcStruct {
    /** The class that defines the struct (OSError, SyntaxError, …), or 'BaseException'. */
    readonly kind: string;
    /** Field names (index = position in PyException.fields); only those this version defines. */
    readonly fields: readonly string[];
}

const BASE_STRUCT: ExcStruct = { kind: 'BaseException', fields: [] };
const structCache = new WeakMap<PyType, ExcStruct>();
const fieldsCache = new Map<string, Map<string, readonly string[]>>();

/** The struct of an exception class: the nearest built-in base that has one. */
export function structOf(it: Interpreter, t: PyType): ExcStruct {
    let s = structCache.get(t);
    if (s) return s;
    s = BASE_STRUCT;
    for (const c of t.mro) {
        if (c.isHeap || !(c.name in STRUCTS) || it.T[c.name] !== c) continue;
        // A class defines its struct in this version when its own __dict__ has the struct's
        // members (2.7's OSError has none: EnvironmentError's struct is the one).
        const fields = structFields(it, c.name);
        if (STRUCTS[c.name].length && !fields.length) continue;
        s = { kind: c.name, fields };
        break;
    }
    structCache.set(t, s);
    return s;
}

/** The struct's fields this version has: the members recorded in the class's own __dict__. */
function structFields(it: Interpreter, kind: string): readonly string[] {
    let byKind = fieldsCache.get(it.profile.name);
    if (!byKind) fieldsCache.set(it.profile.name, (byKind = new Map()));
    let f = byKind.get(kind);
    if (!f) {
        const own = namesFor(it.profile.name).types.get(kind)?.own ?? new Set<string>();
        f = STRUCTS[kind].filter((n) => own.has(n));
        byKind.set(kind, f);
    }
    return f;
}

function fieldIndex(s: ExcStruct, name: string): number {
    return s.fields.indexOf(name);
}

/** Sets field `name` (a new reference is taken; null clears it). */
function setField(it: Interpreter, e: PyException, s: ExcStruct, name: string, v: PyObject | null): void {
    const i = fieldIndex(s, name);
    if (i < 0) return;
    if (!e.fields) {
        e.fields = new Array<PyObject | null>(s.fields.length).fill(null);
        e.fieldNames = s.fields;
    }
    const old = e.fields[i];
    if (v) it.heap.acquire(e, v, name);
    e.fields[i] = v;
    if (old) it.heap.release(e, old, name);
}

export function getField(e: PyException, s: ExcStruct, name: string): PyObject | null {
    const i = fieldIndex(s, name);
    return i < 0 || !e.fields ? null : e.fields[i];
}

/** `e.args = items` (new references taken), releasing the old tuple after the store. */
function setArgs(it: Interpreter, e: PyException, items: PyObject[]): void {
    const old = e.args;
    e.args = it.tuple(items.map((a) => it.incref(a)));
    it.heap.adopt(e, e.args, 'args');
    if (old) it.heap.release(e, old, 'args');
}

function typeNameOf(it: Interpreter, t: PyType): string {
    return t.isHeap ? t.name : tpName(it, t);
}

/** tp_name: 2.7's built-in exception classes are `exceptions.KeyError`. */
export function tpName(_it: Interpreter, t: PyType): string {
    if (t.tpName) return t.tpName;
    return !t.isHeap && t.module === 'exceptions' ? `exceptions.${t.name}` : t.name;
}

function noKeywords(it: Interpreter, t: PyType, kwargs: KwArgs): void {
    if (kwargs && kwargs.size) throw it.error('TypeError', msg(it.profile, 'excNoKeywords', typeNameOf(it, t), typeNameOf(it, t)));
}

/** Keyword arguments a struct's __init__ accepts (3.x ImportError, 3.10+ NameError/AttributeError). */
function takeKeywords(it: Interpreter, t: PyType, kwargs: KwArgs, allowed: readonly string[]): Map<string, PyObject> {
    const out = new Map<string, PyObject>();
    if (!kwargs) return out;
    if (!allowed.length) noKeywords(it, t, kwargs);
    for (const [k, v] of kwargs) {
        if (!allowed.includes(k)) {
            const hint = suggestName(allowed, k);
            throw it.error('TypeError', msg(it.profile, 'badKeyword', typeNameOf(it, t), k, hint ? `. Did you mean '${hint}'?` : ''));
        }
        out.set(k, v);
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
// tp_new and tp_init

/** OSError subclasses that override __init__ but not __new__ parse their arguments in __init__ (oserror_use_init). */
function oserrorUseInit(it: Interpreter, t: PyType): boolean {
    const init = t.lookup('__init__');
    const osInit = it.T.OSError.dict.getStr('__init__');
    const nu = t.lookup('__new__');
    return init !== osInit && nu === it.T.OSError.dict.getStr('__new__');
}

/**
 * tp_new of an exception class (BaseException_new, OSError_new): a new instance of `t` (or, for
 * OSError itself, of the subclass PEP 3151 maps its errno to) with `args` set.
 */
export function exceptionNew(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyException {
    const s = structOf(it, t);
    if (s.kind === 'UnicodeEncodeError' || s.kind === 'UnicodeDecodeError' || s.kind === 'UnicodeTranslateError' || s.kind === 'BaseExceptionGroup') {
        throw unsupportedAt(it, `${t.name}()`);
    }
    if ((s.kind === 'OSError' || s.kind === 'EnvironmentError') && it.profile.pep3151 && !oserrorUseInit(it, t)) {
        noKeywords(it, t, kwargs);
        if (t === it.T.OSError && args.length >= 2 && args.length <= 5 && args[0] instanceof PyInt) {
            const sub = namesFor(it.profile.name).errnoClasses.get(Number(args[0].v));
            if (sub && it.T[sub]) t = it.T[sub];
        }
        const e = allocException(it, t);
        oserrorInit(it, e, args);
        return e;
    }
    const e = allocException(it, t);
    // OSError subclasses that parse in __init__ start with empty args, as 2.7's exceptions all do.
    const stored = it.profile.exceptionNewStoresArgs && s.kind !== 'OSError';
    e.args = it.tuple(stored ? args.map((a) => it.incref(a)) : []);
    it.heap.adopt(e, e.args, 'args');
    if (it.profile.exceptionMessageAttr) setMessage27(it, e, []);
    return e;
}

function allocException(it: Interpreter, t: PyType): PyException {
    return it.instance(t) as PyException;
}

/** 2.7: BaseException.message is args[0] for one argument, else '' (set by new and init). */
function setMessage27(it: Interpreter, e: PyException, args: PyObject[]): void {
    const old = e.message;
    const m = args.length === 1 ? args[0] : it.str('');
    it.heap.acquire(e, m, 'message');
    e.message = m;
    if (old) it.heap.release(e, old, 'message');
}

/** BaseException_init. */
function baseInit(it: Interpreter, e: PyException, args: PyObject[], kwargs: KwArgs): void {
    noKeywords(it, e.type, kwargs);
    setArgs(it, e, args);
    if (it.profile.exceptionMessageAttr) setMessage27(it, e, args);
}

/** oserror_parse_args + oserror_init (3.3+), or 2.7's EnvironmentError_init after BaseException_init. */
function oserrorInit(it: Interpreter, e: PyException, args: PyObject[]): void {
    const s = structOf(it, e.type);
    const n = args.length;
    if (!it.profile.pep3151) {
        if (n <= 1 || n > 3) return;
        setField(it, e, s, 'errno', args[0]);
        setField(it, e, s, 'strerror', args[1]);
        if (n === 3) {
            setField(it, e, s, 'filename', args[2]);
            setArgs(it, e, args.slice(0, 2));
        }
        return;
    }
    let items = args;
    if (n >= 2 && n <= 5) {
        const [errno, strerror, filename, , filename2] = args;
        if (filename && filename !== it.None) {
            if (e.type === it.T.BlockingIOError && filename instanceof PyInt) {
                setField(it, e, s, 'characters_written', filename);
            } else {
                setField(it, e, s, 'filename', filename);
                if (filename2 && filename2 !== it.None) setField(it, e, s, 'filename2', filename2);
                // filename, filename2 and winerror are removed from the args tuple.
                items = args.slice(0, 2);
            }
        }
        setField(it, e, s, 'errno', errno);
        setField(it, e, s, 'strerror', strerror);
    }
    setArgs(it, e, items);
}

/** The built-in __init__ of each struct (installed on its class). */
function structInit(it: Interpreter, kind: string, e: PyException, args: PyObject[], kwargs: KwArgs): void {
    const s = structOf(it, e.type);
    switch (kind) {
        case 'BaseException':
            baseInit(it, e, args, kwargs);
            return;
        case 'StopIteration':
            baseInit(it, e, args, kwargs);
            setField(it, e, s, 'value', args[0] ?? it.None);
            return;
        case 'SystemExit':
            baseInit(it, e, args, kwargs);
            setField(it, e, s, 'code', args.length === 0 ? it.None : args.length === 1 ? args[0] : e.args);
            return;
        case 'ImportError': {
            const kw = takeKeywords(it, e.type, kwargs, ['name', 'path']);
            baseInit(it, e, args, null);
            setField(it, e, s, 'msg', args.length === 1 ? args[0] : null);
            setField(it, e, s, 'name', kw.get('name') ?? null);
            setField(it, e, s, 'path', kw.get('path') ?? null);
            return;
        }
        case 'NameError': {
            const kw = takeKeywords(it, e.type, kwargs, s.fields.includes('name') ? ['name'] : []);
            baseInit(it, e, args, null);
            setField(it, e, s, 'name', kw.get('name') ?? null);
            return;
        }
        case 'AttributeError': {
            const kw = takeKeywords(it, e.type, kwargs, s.fields.includes('name') ? ['name', 'obj'] : []);
            baseInit(it, e, args, null);
            setField(it, e, s, 'name', kw.get('name') ?? null);
            setField(it, e, s, 'obj', kw.get('obj') ?? null);
            return;
        }
        case 'EnvironmentError':
        case 'OSError':
            if (!it.profile.pep3151) {
                baseInit(it, e, args, kwargs);
                oserrorInit(it, e, args);
            } else if (oserrorUseInit(it, e.type)) {
                noKeywords(it, e.type, kwargs);
                oserrorInit(it, e, args);
            }
            return;
        case 'SyntaxError': {
            baseInit(it, e, args, kwargs);
            if (args.length >= 1) setField(it, e, s, 'msg', args[0]);
            if (args.length === 2) {
                const info = collect(it, args[1]);
                try {
                    const wide = s.fields.includes('end_lineno');
                    if (info.length !== 4 && !(wide && info.length === 6)) throw unsupportedAt(it, `SyntaxError() details of ${info.length} items`);
                    const names = ['filename', 'lineno', 'offset', 'text', 'end_lineno', 'end_offset'];
                    info.forEach((v, i) => setField(it, e, s, names[i], v));
                } finally {
                    for (const v of info) it.decref(v);
                }
            }
            return;
        }
    }
    baseInit(it, e, args, kwargs);
}

/** `T(*args, **kwargs)` for a built-in exception class: tp_new, then tp_init. */
export function constructException(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyException {
    const e = exceptionNew(it, t, args, kwargs);
    try {
        structInit(it, structOf(it, e.type).kind, e, args, kwargs);
    } catch (err) {
        it.decref(e);
        throw err;
    }
    return e;
}

// ------------------------------------------------------------------------------------------------
// str and repr

function basename(path: string): string {
    const i = path.lastIndexOf('/');
    return i < 0 ? path : path.slice(i + 1);
}

/** BaseException_str. */
function baseStr(it: Interpreter, e: PyException): string {
    const args = e.args?.items ?? [];
    if (args.length === 0) return '';
    if (args.length === 1) return str(it, args[0]);
    return repr(it, e.args!);
}

/** The built-in __str__ of each struct. */
function structStr(it: Interpreter, kind: string, e: PyException): string {
    const s = structOf(it, e.type);
    switch (kind) {
        case 'KeyError': {
            const args = e.args?.items ?? [];
            return args.length === 1 ? repr(it, args[0]) : baseStr(it, e);
        }
        case 'ImportError': {
            const m = getField(e, s, 'msg');
            return m instanceof PyStr && m.type === it.T.str ? m.v : baseStr(it, e);
        }
        case 'EnvironmentError':
        case 'OSError': {
            const errno = getField(e, s, 'errno');
            const strerror = getField(e, s, 'strerror');
            const filename = getField(e, s, 'filename');
            const filename2 = getField(e, s, 'filename2');
            const en = errno ? str(it, errno) : 'None';
            const se = strerror ? str(it, strerror) : 'None';
            if (filename) {
                if (filename2) return `[Errno ${en}] ${se}: ${repr(it, filename)} -> ${repr(it, filename2)}`;
                return `[Errno ${en}] ${se}: ${repr(it, filename)}`;
            }
            if (errno && strerror) return `[Errno ${en}] ${se}`;
            return baseStr(it, e);
        }
        case 'SyntaxError': {
            const m = getField(e, s, 'msg') ?? it.None;
            const fn = getField(e, s, 'filename');
            const ln = getField(e, s, 'lineno');
            const file = fn instanceof PyStr ? basename(fn.v) : null;
            const line = ln instanceof PyInt && ln.type === it.T.int ? String(ln.v) : null;
            const text = str(it, m);
            if (file !== null && line !== null) return `${text} (${file}, line ${line})`;
            if (file !== null) return `${text} (${file})`;
            if (line !== null) return `${text} (line ${line})`;
            return text;
        }
    }
    return baseStr(it, e);
}

/** str(e) for an exception whose class does not define __str__ in Python. */
export function exceptionStr(it: Interpreter, e: PyException): string {
    const m = e.type.lookup('__str__');
    const kind = m ? STR_OWNER.get(m) : undefined;
    return structStr(it, kind ?? 'BaseException', e);
}

/** BaseException_repr: `Name(args…)`; 2.7 and 3.6 keep the 1-tuple comma: `KeyError('a',)`. */
export function exceptionRepr(it: Interpreter, e: PyException, seen?: Set<PyObject>): string {
    const args = e.args?.items ?? [];
    const name = e.type.name;
    if (args.length === 1 && !it.profile.exceptionReprTupleComma) return `${name}(${repr(it, args[0], seen)})`;
    return `${name}(${args.map((a) => repr(it, a, seen)).join(', ')}${args.length === 1 ? ',' : ''})`;
}

/** Which struct's __str__ a built-in `__str__` method is (filled by installExceptionMethods). */
const STR_OWNER = new WeakMap<PyObject, string>();

// ------------------------------------------------------------------------------------------------
// attributes (the structs' members and BaseException's getsets)

/**
 * `e.name` for the exception attributes that are not in its `__dict__`: a new reference, or
 * null when `name` is none of them (the caller goes on with the generic lookup).
 */
export function exceptionGetAttr(it: Interpreter, e: PyException, name: string): PyObject | null {
    switch (name) {
        case 'args':
            return e.args ? it.incref(e.args) : it.tuple([]);
        case '__traceback__':
            return it.profile.exceptionHasTraceback ? (e.traceback ? it.incref(e.traceback) : it.None) : null;
        case '__cause__':
            return it.profile.exceptionHasTraceback ? (e.cause ? it.incref(e.cause) : it.None) : null;
        case '__context__':
            return it.profile.exceptionHasTraceback ? (e.context ? it.incref(e.context) : it.None) : null;
        case '__suppress_context__':
            return it.profile.exceptionHasTraceback ? it.bool(e.suppressContext) : null;
        case 'message':
            return it.profile.exceptionMessageAttr ? it.incref(e.message ?? it.str('')) : null;
    }
    const s = structOf(it, e.type);
    const i = fieldIndex(s, name);
    if (i < 0) return null;
    const v = e.fields?.[i] ?? null;
    if (name === 'characters_written') {
        if (!v) throw it.error('AttributeError', 'characters_written');
        return it.incref(v);
    }
    return it.incref(v ?? it.None);
}

/** `e.name = value` for those attributes; false when `name` is none of them. */
export function exceptionSetAttr(it: Interpreter, e: PyException, name: string, value: PyObject | null): boolean {
    switch (name) {
        case 'args': {
            if (!value) throw it.error('TypeError', 'args may not be deleted');
            const items = sequenceTupleItems(it, value);
            try {
                setArgs(it, e, items);
            } finally {
                for (const x of items) it.decref(x);
            }
            return true;
        }
        case '__traceback__':
            if (!it.profile.exceptionHasTraceback) return false;
            if (!value) throw it.error('TypeError', '__traceback__ may not be deleted');
            if (value !== it.None && !(value instanceof PyTraceback)) throw it.error('TypeError', '__traceback__ must be a traceback or None');
            setLink(it, e, 'traceback', '__traceback__', value);
            return true;
        case '__cause__':
        case '__context__': {
            if (!it.profile.exceptionHasTraceback) return false;
            const what = name === '__cause__' ? 'cause' : 'context';
            if (!value) throw it.error('TypeError', `${name} may not be deleted`);
            if (value !== it.None && !(value instanceof PyException)) throw it.error('TypeError', `exception ${what} must be None or derive from BaseException`);
            setLink(it, e, what, name, value);
            if (what === 'cause') e.suppressContext = true;
            return true;
        }
        case '__suppress_context__':
            if (!it.profile.exceptionHasTraceback) return false;
            if (!value) throw it.error('TypeError', "can't delete attribute");
            if (value !== it.True && value !== it.False) throw it.error('TypeError', 'attribute value type must be bool');
            e.suppressContext = value === it.True;
            return true;
        case 'message':
            if (!it.profile.exceptionMessageAttr) return false;
            if (!value) throw it.error('TypeError', 'message attribute may not be deleted');
            {
                const old = e.message;
                it.heap.acquire(e, value, 'message');
                e.message = value;
                if (old) it.heap.release(e, old, 'message');
            }
            return true;
    }
    const s = structOf(it, e.type);
    if (fieldIndex(s, name) < 0) return false;
    if (name === 'characters_written' && !(value instanceof PyInt)) {
        if (!value) {
            if (!getField(e, s, name)) throw it.error('AttributeError', 'characters_written');
            setField(it, e, s, name, null);
            return true;
        }
        throw it.error('TypeError', `'${value.type.name}' object cannot be interpreted as an integer`);
    }
    setField(it, e, s, name, value === null ? null : value);
    return true;
}

function setLink(it: Interpreter, e: PyException, field: 'traceback' | 'cause' | 'context', label: string, value: PyObject): void {
    const old = e[field];
    const v = value === it.None ? null : value;
    if (v) it.heap.acquire(e, v, label);
    e[field] = v;
    if (old) it.heap.release(e, old, label);
}

// ------------------------------------------------------------------------------------------------
// methods

type Method = (self: PyException, args: PyObject[], kwargs: KwArgs) => PyObject;

function install(it: Interpreter, t: PyType, name: string, fn: Method): PyObject {
    const b = it.builtin(name, (self, args, kwargs) => fn(self as PyException, args, kwargs), t.name, true);
    t.dict.set(it.heap, it.str(name), b);
    return b;
}

/** Installs __new__, __init__, __str__, __repr__ and the methods of BaseException and of each struct. */
export function installExceptionMethods(it: Interpreter): void {
    const T = it.T;
    const names = namesFor(it.profile.name);
    const base = T.BaseException;
    // tp_new (tp_new_wrapper): a static method taking the class, in the dict of every class
    // that has its own (recorded) `__new__`; it refuses a class that is not a subtype of its own.
    for (const t of Object.values(T)) {
        if (!t.isSubtypeOf(base) || !names.types.get(t.name)?.own.has('__new__')) continue;
        t.dict.set(
            it.heap,
            it.str('__new__'),
            it.builtin('__new__', (_self, args, kwargs) => {
                const cls = args[0];
                if (!(cls instanceof PyType)) throw it.error('TypeError', `${tpName(it, t)}.__new__(X): X is not a type object (${cls?.type.name ?? 'NoneType'})`);
                if (!cls.isSubtypeOf(t)) throw it.error('TypeError', `${tpName(it, t)}.__new__(${tpName(it, cls)}): ${tpName(it, cls)} is not a subtype of ${tpName(it, t)}`);
                return exceptionNew(it, cls, args.slice(1), kwargs);
            }),
        );
    }
    install(it, base, '__repr__', (self) => it.str(exceptionRepr(it, self)));
    for (const kind of ['BaseException', ...Object.keys(STRUCTS)]) {
        const t = T[kind];
        if (!t || t.name !== kind) continue;
        install(it, t, '__init__', (self, args, kwargs) => {
            structInit(it, kind, self, args, kwargs);
            return it.None;
        });
    }
    for (const kind of ['BaseException', 'KeyError', 'ImportError', 'EnvironmentError', 'OSError', 'SyntaxError']) {
        const t = T[kind];
        if (!t || t.name !== kind || !names.types.get(kind)?.own.has('__str__')) continue;
        STR_OWNER.set(install(it, t, '__str__', (self) => it.str(structStr(it, kind, self))), kind);
    }
    if (it.profile.exceptionHasTraceback) {
        install(it, base, 'with_traceback', (self, args) => {
            arity(it, 'with_traceback', args, 1, 1);
            exceptionSetAttr(it, self, '__traceback__', args[0]);
            return it.incref(self);
        });
    }
    if (recordedAttributes(names, 'BaseException').has('add_note')) {
        install(it, base, 'add_note', (self, args) => {
            arity(it, 'add_note', args, 1, 1);
            addNote(it, self, args[0]);
            return it.None;
        });
    }
    if (recordedAttributes(names, 'BaseException').has('__getitem__')) {
        // 2.7: e[i] is e.args[i].
        install(it, base, '__getitem__', (self, args) => {
            arity(it, '__getitem__', args, 1, 1);
            const items = self.args?.items ?? [];
            const i = args[0] instanceof PyInt ? Number(args[0].v) : NaN;
            const j = i < 0 ? i + items.length : i;
            if (!(j >= 0 && j < items.length)) throw it.error('IndexError', 'tuple index out of range');
            return it.incref(items[j]);
        });
    }
}

/** BaseException.add_note (3.11+): appends to the `__notes__` list in the exception's __dict__. */
function addNote(it: Interpreter, e: PyException, note: PyObject): void {
    if (!(note instanceof PyStr)) throw it.error('TypeError', `note must be a str, not '${note.type.name}'`);
    if (!e.attrs) {
        e.attrs = it.dict();
        e.attrs.namespace = true;
        it.heap.adopt(e, e.attrs, '__dict__');
    }
    let notes = e.attrs.getStr('__notes__');
    if (!notes) {
        notes = it.list([]);
        e.attrs.set(it.heap, it.str('__notes__'), notes);
        it.decref(notes);
    }
    if (!(notes instanceof PyList)) throw it.error('TypeError', 'Cannot add note: __notes__ is not a list');
    it.heap.acquire(notes, note, `[${notes.items.length}]`);
    notes.items.push(note);
}

/** The notes PyErr_Display prints under the exception (3.11+): the `__notes__` strings. */
export function exceptionNotes(it: Interpreter, e: PyException): string[] {
    const notes = e.attrs instanceof PyDict ? e.attrs.getStr('__notes__') : null;
    if (!notes) return [];
    if (!(notes instanceof PyList || notes instanceof PyTuple)) return [repr(it, notes)];
    return notes.items.map((n) => (n instanceof PyStr ? n.v : repr(it, n)));
}

// ------------------------------------------------------------------------------------------------
// raising from native code

/**
 * PyErr_SetFromErrnoWithFilenameObjects: `OSError(errno, os.strerror(errno)[, filename[, None,
 * filename2]])`, which PEP 3151 turns into FileNotFoundError and friends. Returns the signal.
 */
export function oserrorFromErrno(
    it: Interpreter,
    errno: number,
    filename: PyObject | null = null,
    filename2: PyObject | null = null,
    /** 2.7 raises IOError from file objects and open(), OSError from the os module (3.x: the same class). */
    py2Class: 'IOError' | 'OSError' = 'OSError',
): PyRaise {
    const names = namesFor(it.profile.name);
    const text = names.strerror.get(errno) ?? `Unknown error ${errno}`;
    const args: PyObject[] = [it.int(errno), it.str(text)];
    if (filename) args.push(filename);
    if (filename && filename2) args.push(it.None, filename2);
    const t = it.profile.pep3151 ? it.T.OSError : it.T[py2Class];
    return new PyRaise(constructException(it, t, args, null));
}

/**
 * The eval loop's NameError (format_exc_check_arg): 3.10+ records the missing name in
 * `NameError.name` (for the "Did you mean" hint).
 */
export function nameError(it: Interpreter, message: string, name: string): PyRaise {
    const r = it.error('NameError', message);
    if (it.profile.exceptionNameContext) setField(it, r.exc, structOf(it, r.exc.type), 'name', it.str(name));
    return r;
}

/**
 * set_attribute_error_context (3.10+): an AttributeError leaving an attribute lookup on `obj`
 * gets `name` and `obj` unless it has them already; `obj` is a reference, so a saved exception
 * keeps the object alive.
 */
export function attributeErrorContext(it: Interpreter, r: PyRaise, obj: PyObject, name: string): PyRaise {
    if (!it.profile.exceptionNameContext || !r.exc.type.isSubtypeOf(it.T.AttributeError)) return r;
    const e = r.exc;
    const s = structOf(it, e.type);
    if (getField(e, s, 'name') || getField(e, s, 'obj')) return r;
    setField(it, e, s, 'name', it.str(name));
    setField(it, e, s, 'obj', obj);
    return r;
}

/**
 * pythonrun.c handle_system_exit: the process status a SystemExit asks for (its `code`: None is 0,
 * an int is taken modulo 256, anything else is printed to stderr and gives 1).
 */
export function systemExitStatus(it: Interpreter, e: PyException): number {
    const code = getField(e, structOf(it, e.type), 'code') ?? it.None;
    if (code === it.None) return 0;
    if (code instanceof PyInt) {
        // handle_system_exit: exit((int)PyLong_AsLong(code)). Past a C long that is -1 (status
        // 255) with an OverflowError left set, which later versions report on the way out.
        const v = BigInt(code.v);
        if (v >= 1n << 63n || v < -(1n << 63n)) {
            const overflow = 'OverflowError: Python int too large to convert to C long\n';
            if (it.profile.exitStatusOverflowReport === 'printed') it.stderr.write(overflow);
            else if (it.profile.exitStatusOverflowReport === 'threading-shutdown') it.stderr.write('Exception ignored on threading shutdown:\n' + overflow);
            return 255;
        }
        return Number(BigInt.asUintN(8, v));
    }
    it.stderr.write(str(it, code) + '\n');
    return 1;
}

/** The exception class a name gives in this version, for engine code (null when it has none). */
export function exceptionClass(it: Interpreter, name: string): PyType | null {
    const t = it.T[name];
    return t && t.isSubtypeOf(it.T.BaseException) ? t : null;
}
