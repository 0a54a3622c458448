/*
 * operator.ts
 *
 * The `operator` module: Lib/operator.py over Modules/_operator.c (3.x; the Python definitions are
 * replaced by `from _operator import *`, so every function is a built-in one and each dunder name
 * is the same object: `__add__ = add`), or the C module `operator` (2.7, whose dunder names are
 * built-in functions of their own). The functions do what the operators do (PyNumber_Add,
 * PyObject_RichCompare, PyObject_GetItem…), so they raise what the operators raise.
 *
 * The three C objects are GC-tracked and hold, as their structs do:
 *   - itemgetter(item, *items): `item`, the one key itself, or the arguments tuple when several;
 *   - attrgetter(attr, *attrs): `attr`, a tuple of the names, a dotted name split into a tuple of
 *     its parts (attrgetter_new);
 *   - methodcaller(name, *args, **kwds): `name`, `args` (a new tuple: the arguments after the
 *     name) and `kwds` (the call's keyword dict, or NULL without keywords), released in that order
 *     by its dealloc; each call looks the method up on the object and calls it with them.
 * 3.x reprs are `operator.itemgetter(1)`, `operator.attrgetter('a.b')`,
 * `operator.methodcaller('m', 1, k=2)` (recursion shown as `operator.itemgetter(...)`); 2.7's are
 * the default `<operator.itemgetter object at 0x…>` (profile stdlib.operatorReprs).
 *
 * Not modelled (refused by name, names/cpython-names.json): length_hint, 2.7's div/idiv, truediv
 * and the `isCallable`/`sequenceIncludes`/slice functions, `__reduce__` of the getters.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyInt, PyStr } from '../runtime/values';
import { PyDict, PyTuple } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import { PyExtObject } from '../runtime/extobject';
import type { OperatorName, CmpOpName } from '../parser/ast';
import type { Interpreter } from '../interp/interpreter';
import { repr } from '../interp/format';
import { binaryOp, unaryOp, compareObj, truthy, contains, equals, getIter, iterNext } from '../interp/ops';
import { getItem, setItem, delItem } from '../interp/items';
import { getAttr } from '../interp/attrs';
import { call } from '../interp/calls';
import { numberIndex } from '../builtins/intFormat';
import { arity, noKwargs } from '../builtins/args';
import { unsupportedAt } from '../names/refuse';
import { stdType, recordedIn } from './stdTypes';

// ------------------------------------------------------------------------------------------------
// itemgetter, attrgetter, methodcaller

/**
 * itemgetter and attrgetter: one reference, `item` (the key itself, or the arguments tuple when
 * `nitems` > 1) or `attr` (the tuple of names), released by the dealloc.
 */
class Getter extends PyExtObject {
    constructor(
        type: PyType,
        public held: PyObject | null,
        readonly nitems: number,
        private readonly field: string,
    ) {
        super(type);
    }
    override traverse(visit: Visit): void {
        if (this.held) visit(this.held);
    }
    override clear(r: Refs): void {
        const v = this.held;
        this.held = null;
        if (v) r.release(this, v, `(${this.field})`);
    }
    /** `fn` of each element (new references) as a new tuple; those made so far released on an error. */
    collect(it: Interpreter, items: readonly PyObject[], fn: (x: PyObject) => PyObject): PyObject {
        const got: PyObject[] = [];
        try {
            for (const x of items) got.push(fn(x));
        } catch (e) {
            for (const x of got) it.decref(x);
            throw e;
        }
        return it.tuple(got);
    }
}

class MethodCaller extends PyExtObject {
    constructor(
        type: PyType,
        public name: PyStr | null,
        public args: PyTuple | null,
        public kwds: PyDict | null,
    ) {
        super(type);
    }
    override traverse(visit: Visit): void {
        if (this.args) visit(this.args);
        if (this.kwds) visit(this.kwds);
    }
    /** methodcaller_dealloc: name, args, kwds. */
    override clear(r: Refs): void {
        const { name, args, kwds } = this;
        this.name = null;
        this.args = null;
        this.kwds = null;
        if (name) r.release(this, name, '(name)');
        if (args) r.release(this, args, '(args)');
        if (kwds) r.release(this, kwds, '(kwds)');
    }
}

/** The getters take exactly one positional argument; other calls are refused (their messages differ by version). */
function oneArg(it: Interpreter, name: string, args: PyObject[], kwargs: KwArgs): PyObject {
    if (args.length !== 1 || (kwargs && kwargs.size)) throw unsupportedAt(it, `calling operator.${name} with other than one positional argument`);
    return args[0];
}

/** dotted_getattr: a name, or a tuple of names looked up one after the other. */
function dottedGetattr(it: Interpreter, obj: PyObject, attr: PyObject): PyObject {
    if (attr instanceof PyTuple) {
        let o = it.incref(obj);
        for (const n of attr.items) {
            try {
                const next = getAttr(it, o, (n as PyStr).v);
                it.decref(o);
                o = next;
            } catch (e) {
                it.decref(o);
                throw e;
            }
        }
        return o;
    }
    return getAttr(it, obj, (attr as PyStr).v);
}

/** Repr guarded against recursion (Py_ReprEnter): `operator.itemgetter(...)` when nested in itself. */
function guarded(self: PyObject, seen: Set<PyObject>, tpName: string, body: () => string): string {
    if (seen.has(self)) return `${tpName}(...)`;
    seen.add(self);
    try {
        return body();
    } finally {
        seen.delete(self);
    }
}

function createGetterTypes(it: Interpreter): { itemgetter: PyType; attrgetter: PyType; methodcaller: PyType } {
    const reprs = it.profile.stdlib.operatorReprs;
    const itemgetter: PyType = stdType(it, {
        name: 'itemgetter',
        module: 'operator',
        methods: {
            __call__: (self, args, kwargs) => {
                const obj = oneArg(it, 'itemgetter', args, kwargs);
                const g = self as Getter;
                it.incref(g);
                try {
                    if (g.nitems === 1) return getItem(it, obj, g.held!);
                    return g.collect(it, (g.held as PyTuple).items, (key) => getItem(it, obj, key));
                } finally {
                    it.decref(g);
                }
            },
        },
        ctor: (args, kwargs) => {
            noKwargs(it, 'itemgetter', kwargs);
            if (args.length === 0) throw unsupportedAt(it, 'operator.itemgetter() without arguments');
            // itemgetter_new: one key is held itself, several as the arguments tuple.
            const item = args.length === 1 ? it.incref(args[0]) : it.tuple(args.map((a) => it.incref(a)));
            const g = it.heap.register(new Getter(itemgetter, item, args.length, 'item'));
            it.heap.adopt(g, item, '(item)');
            return g;
        },
        repr: reprs
            ? (self, seen) => {
                  const g = self as Getter;
                  return guarded(g, seen, 'operator.itemgetter', () => (g.nitems === 1 ? `operator.itemgetter(${repr(it, g.held!, seen)})` : `operator.itemgetter${repr(it, g.held!, seen)}`));
              }
            : undefined,
    });

    const attrgetter: PyType = stdType(it, {
        name: 'attrgetter',
        module: 'operator',
        methods: {
            __call__: (self, args, kwargs) => {
                const obj = oneArg(it, 'attrgetter', args, kwargs);
                const g = self as Getter;
                const names = (g.held as PyTuple).items;
                it.incref(g);
                try {
                    if (names.length === 1) return dottedGetattr(it, obj, names[0]);
                    return g.collect(it, names, (n) => dottedGetattr(it, obj, n));
                } finally {
                    it.decref(g);
                }
            },
        },
        ctor: (args, kwargs) => {
            noKwargs(it, 'attrgetter', kwargs);
            if (args.length === 0) throw unsupportedAt(it, 'operator.attrgetter() without arguments');
            const names: PyObject[] = [];
            for (const a of args) {
                if (!(a instanceof PyStr)) {
                    for (const x of names) it.decref(x);
                    throw it.error('TypeError', 'attribute name must be a string');
                }
                // A dotted name becomes a tuple of its parts (new strings); a plain one is held itself.
                names.push(a.v.includes('.') ? it.tuple(a.v.split('.').map((part) => it.str(part))) : it.incref(a));
            }
            const attr = it.tuple(names);
            const g = it.heap.register(new Getter(attrgetter, attr, names.length, 'attr'));
            it.heap.adopt(g, attr, '(attr)');
            return g;
        },
        repr: reprs
            ? (self, seen) => {
                  const g = self as Getter;
                  const joined = (g.held as PyTuple).items.map((n) => (n instanceof PyTuple ? n.items.map((p) => (p as PyStr).v).join('.') : (n as PyStr).v));
                  const quoted = joined.map((s) => repr(it, it.str(s)));
                  return guarded(g, seen, 'operator.attrgetter', () => `operator.attrgetter(${quoted.join(', ')})`);
              }
            : undefined,
    });

    const methodcaller: PyType = stdType(it, {
        name: 'methodcaller',
        module: 'operator',
        methods: {
            __call__: (self, args, kwargs) => {
                const obj = oneArg(it, 'methodcaller', args, kwargs);
                const mc = self as MethodCaller;
                it.incref(mc);
                try {
                    const method = getAttr(it, obj, mc.name!.v);
                    let kw: KwArgs = null;
                    if (mc.kwds && mc.kwds.size) {
                        kw = new Map();
                        for (const e of mc.kwds.entries()) kw.set((e.k as PyStr).v, e.v);
                    }
                    try {
                        return call(it, method, [...mc.args!.items], kw);
                    } finally {
                        it.decref(method);
                    }
                } finally {
                    it.decref(mc);
                }
            },
        },
        ctor: (args, kwargs) => {
            if (args.length < 1) throw it.error('TypeError', 'methodcaller needs at least one argument, the method name');
            const name = args[0];
            if (!(name instanceof PyStr)) throw it.error('TypeError', 'method name must be a string');
            // mc->kwds: the keyword dict the call made (NULL without keywords); mc->args a new tuple.
            let kwds: PyDict | null = null;
            if (kwargs && kwargs.size) {
                kwds = it.dict();
                for (const [k, v] of kwargs) kwds.set(it.heap, it.str(k), v);
            }
            const rest = it.tuple(args.slice(1).map((a) => it.incref(a)));
            const mc = it.heap.register(new MethodCaller(methodcaller, it.incref(name), rest, kwds));
            it.heap.adopt(mc, name, '(name)');
            it.heap.adopt(mc, rest, '(args)');
            if (kwds) it.heap.adopt(mc, kwds, '(kwds)');
            return mc;
        },
        repr: reprs
            ? (self, seen) => {
                  const mc = self as MethodCaller;
                  return guarded(mc, seen, 'operator.methodcaller', () => {
                      const parts = [repr(it, mc.name!, seen), ...mc.args!.items.map((a) => repr(it, a, seen))];
                      if (mc.kwds) for (const e of mc.kwds.entries()) parts.push(`${(e.k as PyStr).v}=${repr(it, e.v, seen)}`);
                      return `operator.methodcaller(${parts.join(', ')})`;
                  });
              }
            : undefined,
    });
    return { itemgetter, attrgetter, methodcaller };
}

// ------------------------------------------------------------------------------------------------
// the functions

const BINARY: [string, OperatorName][] = [
    ['add', 'Add'],
    ['sub', 'Sub'],
    ['mul', 'Mult'],
    ['matmul', 'MatMult'],
    ['floordiv', 'FloorDiv'],
    ['mod', 'Mod'],
    ['pow', 'Pow'],
    ['lshift', 'LShift'],
    ['rshift', 'RShift'],
    ['and_', 'BitAnd'],
    ['or_', 'BitOr'],
    ['xor', 'BitXor'],
];

const COMPARE: [string, CmpOpName][] = [
    ['lt', 'Lt'],
    ['le', 'LtE'],
    ['eq', 'Eq'],
    ['ne', 'NotEq'],
    ['ge', 'GtE'],
    ['gt', 'Gt'],
];

/** PySequence_Check for the types the engine has: what concat and countOf accept without a refusal. */
function isBuiltinSequence(it: Interpreter, o: PyObject): boolean {
    const T = it.T;
    return o.type === T.list || o.type === T.tuple || o.type === T.str || o.type === T.bytes || o.type === T.bytearray;
}

export function createOperatorModule(it: Interpreter): PyModule {
    const m = it.newModule('operator');
    const py3 = it.profile.major === 3;
    const defined = new Map<string, PyObject>();
    const impls = new Map<string, [number, number, (args: PyObject[]) => PyObject]>();
    const builtin = (name: string, min: number, max: number, fn: (args: PyObject[]) => PyObject): PyObject =>
        it.builtin(name, (_s, args, kwargs) => {
            noKwargs(it, name, kwargs);
            arity(it, name, args, min, max);
            return fn(args);
        });
    const def = (name: string, min: number, max: number, fn: (args: PyObject[]) => PyObject): void => {
        if (!recordedIn(it, 'operator', name)) return;
        const b = builtin(name, min, max, fn);
        defined.set(name, b);
        impls.set(name, [min, max, fn]);
        m.dict.set(it.heap, it.str(name), b);
    };
    // 3.x's true division is the `/` operator; 2.7's operator.div/truediv are not modelled.
    const binary = py3 ? [...BINARY, ['truediv', 'Div'] as [string, OperatorName]] : BINARY;
    for (const [name, op] of binary) {
        def(name, 2, 2, (a) => binaryOp(it, op, a[0], a[1]));
        def(`i${name.replace(/_$/, '')}`, 2, 2, (a) => binaryOp(it, op, a[0], a[1], true));
    }
    for (const [name, op] of COMPARE) def(name, 2, 2, (a) => compareObj(it, op, a[0], a[1]));
    def('neg', 1, 1, (a) => unaryOp(it, 'USub', a[0]));
    def('pos', 1, 1, (a) => unaryOp(it, 'UAdd', a[0]));
    def('invert', 1, 1, (a) => unaryOp(it, 'Invert', a[0]));
    def('inv', 1, 1, (a) => unaryOp(it, 'Invert', a[0]));
    def('abs', 1, 1, (a) => call(it, it.builtinsDict.getStr('abs')!, [a[0]], null));
    def('not_', 1, 1, (a) => it.bool(!truthy(it, a[0])));
    def('truth', 1, 1, (a) => it.bool(truthy(it, a[0])));
    def('is_', 2, 2, (a) => it.bool(a[0] === a[1]));
    def('is_not', 2, 2, (a) => it.bool(a[0] !== a[1]));
    def('contains', 2, 2, (a) => it.bool(contains(it, a[0], a[1])));
    def('getitem', 2, 2, (a) => getItem(it, a[0], a[1]));
    def('setitem', 3, 3, (a) => {
        setItem(it, a[0], a[1], a[2]);
        return it.None;
    });
    def('delitem', 2, 2, (a) => {
        delItem(it, a[0], a[1]);
        return it.None;
    });
    def('index', 1, 1, (a) => {
        const o = a[0];
        if (o instanceof PyInt && o.type === it.T.int) return it.incref(o);
        // PyNumber_Index keeps an int subclass (bool) up to 3.9 and makes an exact int since.
        if (o instanceof PyInt) throw unsupportedAt(it, `operator.index of a '${o.type.name}'`);
        return it.int(numberIndex(it, o));
    });
    for (const name of ['concat', 'iconcat']) {
        def(name, 2, 2, (a) => {
            if (!isBuiltinSequence(it, a[0]) || !isBuiltinSequence(it, a[1])) throw unsupportedAt(it, `operator.${name} of a '${a[0].type.name}' and a '${a[1].type.name}'`);
            return binaryOp(it, 'Add', a[0], a[1], name === 'iconcat');
        });
    }
    // PySequence_Count / PySequence_Index: iterate, comparing with identity first, then ==.
    const scan = (name: string, seq: PyObject, x: PyObject, first: boolean): number => {
        const iter = getIter(it, seq);
        let n = 0;
        let i = 0;
        try {
            for (;;) {
                const item = iterNext(it, iter);
                if (item === null) break;
                let hit: boolean;
                try {
                    hit = item === x || equals(it, item, x);
                } finally {
                    it.decref(item);
                }
                if (hit) {
                    if (first) return i;
                    n++;
                }
                i++;
            }
        } finally {
            it.decref(iter);
        }
        if (first) throw it.error('ValueError', 'sequence.index(x): x not in sequence');
        void name;
        return n;
    };
    def('countOf', 2, 2, (a) => it.int(scan('countOf', a[0], a[1], false)));
    def('indexOf', 2, 2, (a) => it.int(scan('indexOf', a[0], a[1], true)));
    if (recordedIn(it, 'operator', 'call')) {
        // operator.call(obj, /, *args, **kwargs) (3.11+).
        const b = it.builtin('call', (_s, args, kwargs) => {
            if (args.length < 1) throw unsupportedAt(it, 'operator.call() without arguments');
            return call(it, args[0], args.slice(1), kwargs);
        });
        defined.set('call', b);
        m.dict.set(it.heap, it.str('call'), b);
    }

    const { itemgetter, attrgetter, methodcaller } = createGetterTypes(it);
    m.dict.set(it.heap, it.str('itemgetter'), itemgetter);
    m.dict.set(it.heap, it.str('attrgetter'), attrgetter);
    m.dict.set(it.heap, it.str('methodcaller'), methodcaller);

    // The dunder names: 3.x binds the same functions (`__add__ = add`), 2.7 has functions of their own.
    for (const [name, fn] of defined) {
        const core = name.replace(/_$/, '');
        const dunder = `__${core}__`;
        if (!recordedIn(it, 'operator', dunder)) continue;
        const impl = impls.get(name);
        if (py3 || !impl) m.dict.set(it.heap, it.str(dunder), fn);
        else m.dict.set(it.heap, it.str(dunder), builtin(dunder, ...impl));
    }
    return m;
}
