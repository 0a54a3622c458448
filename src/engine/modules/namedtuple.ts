/*
 * namedtuple.ts
 *
 * collections.namedtuple (3.x, Lib/collections/__init__.py): a class factory. Each call builds a
 * new heap class deriving from tuple (type_new: it is freed like any class once nothing holds it,
 * through the collector, since a class is always in a cycle with its MRO), with `__slots__ = ()`
 * (instances have no `__dict__`: a namedtuple is a tuple subclass instance holding its items),
 * `_fields`, `_field_defaults`, a `__new__` that packs its arguments into the tuple
 * (`_tuple_new(_cls, (x, y))`), `_make`, `_replace`, `_asdict` (a dict), `__repr__`
 * (`P(x=1, y=2)`), `__getnewargs__`, `__match_args__` (3.10+) and one read-only descriptor per
 * field (`_tuplegetter(i, 'Alias for field number i')`). In CPython the methods are Python
 * functions; here they are native (their tracebacks lack collections/__init__.py frames).
 * `rename=True` and `module=` are refused. 2.7's namedtuple (a class built from a source template
 * by exec) is refused.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyTuple } from '../runtime/containers';
import { PyStr } from '../runtime/values';
import { PyProperty, PyBuiltin, type KwArgs } from '../runtime/callables';
import { PyMethodWrapper } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { repr } from '../interp/format';
import { collect } from '../interp/ops';
import { sequenceTupleItems } from '../interp/lengthHint';
import { typeNew } from '../interp/typeobject';
import { unsupportedAt } from '../names/refuse';
import { arity } from '../builtins/args';
import { pyFunctionType, stdType } from './stdTypes';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '));

/** The field names: a string split at commas and whitespace, or an iterable of str. */
function fieldNames(it: Interpreter, o: PyObject): string[] {
    if (o instanceof PyStr) return o.v.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
    const items = collect(it, o);
    try {
        return items.map((x) => {
            if (!(x instanceof PyStr)) throw it.error('TypeError', 'Type names and field names must be strings');
            return x.v;
        });
    } finally {
        for (const x of items) it.decref(x);
    }
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function quotedList(names: string[]): string {
    const q = names.map((n) => `'${n}'`);
    if (q.length === 1) return q[0];
    if (q.length === 2) return `${q[0]} and ${q[1]}`;
    return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** `_collections._tuplegetter`: the fields' descriptor type (a property here, with its own name). */
function tupleGetterType(it: Interpreter): PyType {
    let t = it.moduleState.get('collections.tuplegetter') as PyType | undefined;
    if (!t) {
        t = stdType(it, { name: '_tuplegetter', module: '_collections', base: it.T.property });
        t.layout = it.T.property.layout;
        it.moduleState.set('collections.tuplegetter', t);
    }
    return t;
}

export function createNamedtuple(it: Interpreter): PyObject {
    return it.builtin('namedtuple', (_s, args, kwargs) => {
        arity(it, 'namedtuple', args, 2, 2);
        const typename = args[0];
        if (!(typename instanceof PyStr)) throw it.error('TypeError', 'Type names and field names must be strings');
        let defaults: PyObject[] = [];
        for (const [k, v] of kwargs ?? []) {
            if (k === 'defaults') {
                if (v !== it.None) defaults = collect(it, v);
            } else if (k === 'rename' || k === 'module') {
                if (v !== it.None && v !== it.False) throw unsupportedAt(it, `collections.namedtuple(${k}=…)`);
            } else throw it.error('TypeError', `namedtuple() got an unexpected keyword argument '${k}'`);
        }
        const fields = fieldNames(it, args[1]);
        for (const name of [typename.v, ...fields]) {
            if (!IDENT.test(name)) throw it.error('ValueError', `Type names and field names must be valid identifiers: ${repr(it, it.str(name))}`);
            if (KEYWORDS.has(name)) throw it.error('ValueError', `Type names and field names cannot be a keyword: ${repr(it, it.str(name))}`);
        }
        const seen = new Set<string>();
        for (const name of fields) {
            if (name.startsWith('_')) throw it.error('ValueError', `Field names cannot start with an underscore: ${repr(it, it.str(name))}`);
            if (seen.has(name)) throw it.error('ValueError', `Encountered duplicate field name: ${repr(it, it.str(name))}`);
            seen.add(name);
        }
        if (defaults.length > fields.length) {
            for (const d of defaults) it.decref(d);
            throw it.error('TypeError', 'Got more default values than field names');
        }
        try {
            return makeClass(it, typename.v, fields, defaults);
        } finally {
            for (const d of defaults) it.decref(d);
        }
    });
}

function makeClass(it: Interpreter, typename: string, fields: string[], defaults: PyObject[]): PyType {
    const n = fields.length;
    const tupleNew = it.T.tuple.dict.getStr('__new__')!;
    const qual = (m: string): string => (it.profile.argErrorsNameQualname ? `${typename}.${m}` : m);
    const firstDefault = n - defaults.length;
    /** `_tuple_new(cls, items)`. */
    const newInstance = (cls: PyObject, items: PyObject[]): PyObject => {
        const t = it.tuple(items.map((x) => it.incref(x)));
        try {
            return call(it, tupleNew, [cls, t], null);
        } finally {
            it.decref(t);
        }
    };
    /** `__new__(_cls, x, y=…)`: the arguments bound as a Python function binds them. */
    const newImpl = (_s: PyObject | null, args: PyObject[], kwargs: KwArgs): PyObject => {
        if (!args.length) throw it.error('TypeError', `${qual('__new__')}() missing 1 required positional argument: '_cls'`);
        const [cls, ...pos] = args;
        if (pos.length > n) {
            const takes = defaults.length ? `from ${firstDefault + 1} to ${n + 1} positional arguments` : `${plural(n + 1, 'positional argument')}`;
            throw it.error('TypeError', `${qual('__new__')}() takes ${takes} but ${pos.length + 1} were given`);
        }
        const bound: (PyObject | undefined)[] = [...pos];
        for (const [k, v] of kwargs ?? []) {
            const i = fields.indexOf(k);
            if (i < 0) throw it.error('TypeError', `${qual('__new__')}() got an unexpected keyword argument '${k}'`);
            if (bound[i] !== undefined) throw it.error('TypeError', `${qual('__new__')}() got multiple values for argument '${k}'`);
            bound[i] = v;
        }
        const missing: string[] = [];
        for (let i = 0; i < n; i++) {
            if (bound[i] !== undefined) continue;
            if (i >= firstDefault) bound[i] = defaults[i - firstDefault];
            else missing.push(fields[i]);
        }
        if (missing.length) throw it.error('TypeError', `${qual('__new__')}() missing ${plural(missing.length, 'required positional argument')}: ${quotedList(missing)}`);
        return newInstance(cls, bound as PyObject[]);
    };
    const ns = it.dict();
    ns.namespace = true;
    const put = (k: string, v: PyObject): void => {
        ns.set(it.heap, it.str(k), v);
        it.decref(v);
    };
    // The methods are Python functions in CPython: native ones of the `function` type here.
    const fnType = pyFunctionType(it);
    const pyFn = (name: string, impl: (self: PyObject | null, args: PyObject[], kwargs: KwArgs) => PyObject, isMethod: boolean): PyObject => it.heap.register(new PyBuiltin(fnType, name, impl, null, isMethod, typename));
    const method = (name: string, fn: (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject): PyObject => pyFn(name, (self, a, k) => fn(self!, a, k), true);
    const fieldTuple = (): PyTuple => it.tuple(fields.map((f) => it.str(f)));
    put('__doc__', it.str(`${typename}(${fields.join(', ')})`));
    put('__slots__', it.tuple([]));
    put('_fields', fieldTuple());
    const fd = it.dict();
    for (let i = 0; i < defaults.length; i++) fd.set(it.heap, it.str(fields[firstDefault + i]), defaults[i]);
    put('_field_defaults', fd);
    put('__new__', pyFn('__new__', newImpl, false));
    const make = pyFn('_make', (_s, args) => {
        arity(it, '_make', args, 2, 2);
        const items = sequenceTupleItems(it, args[1]);
        try {
            if (items.length !== n) throw it.error('TypeError', `Expected ${n} arguments, got ${items.length}`);
            return newInstance(args[0], items);
        } finally {
            for (const x of items) it.decref(x);
        }
    }, false);
    const cm = new PyMethodWrapper(it.T.classmethod, make, true);
    it.heap.register(cm);
    it.heap.adopt(cm, make, '__func__');
    put('_make', cm);
    put(
        '_replace',
        method('_replace', (self, args, kwargs) => {
            arity(it, '_replace', args, 0, 0);
            const items = (self as PyTuple).items.slice();
            const extra: string[] = [];
            for (const [k, v] of kwargs ?? []) {
                const i = fields.indexOf(k);
                if (i < 0) extra.push(k);
                else items[i] = v;
            }
            if (extra.length) {
                const what = `Got unexpected field names: [${extra.map((x) => `'${x}'`).join(', ')}]`;
                throw it.error(it.profile.stdlib.namedtuple!.replaceError, what);
            }
            return newInstance(self.type, items);
        }),
    );
    put(
        '__repr__',
        method('__repr__', (self) => {
            const items = (self as PyTuple).items;
            return it.str(`${self.type.name}(${fields.map((f, i) => `${f}=${repr(it, items[i])}`).join(', ')})`);
        }),
    );
    put(
        '_asdict',
        method('_asdict', (self) => {
            const d = it.dict();
            (self as PyTuple).items.forEach((v, i) => d.set(it.heap, it.str(fields[i]), v));
            return d;
        }),
    );
    put('__getnewargs__', method('__getnewargs__', (self) => it.tuple((self as PyTuple).items.map((x) => it.incref(x)))));
    if (it.profile.stdlib.namedtuple!.matchArgs) put('__match_args__', fieldTuple());
    const getterType = tupleGetterType(it);
    fields.forEach((f, i) => {
        // _tuplegetter(i, doc) (3.8+, C): a read-only data descriptor returning self[i].
        const get = it.builtin(f, (_s, a) => it.incref((a[0] as PyTuple).items[i]));
        const set = it.builtin(f, () => {
            throw it.error('AttributeError', "can't set attribute");
        });
        const del = it.builtin(f, () => {
            throw it.error('AttributeError', "can't delete attribute");
        });
        const p = new PyProperty(getterType, get, set, del);
        it.heap.register(p);
        const doc = it.str(`Alias for field number ${i}`);
        p.doc = doc;
        it.heap.adopt(p, doc, '__doc__');
        put(f, p);
    });
    const t = typeNew(it, it.T.type, typename, it.T.tuple, ns, null);
    it.decref(ns);
    return t;
}
