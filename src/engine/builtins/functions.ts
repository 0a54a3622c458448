/*
 * functions.ts
 *
 * The built-in functions of the scenario subset (print, len, isinstance, sorted, …).
 * Each takes borrowed arguments and returns a new reference.
 */

import { builtinDir } from './dirObject';
import { refuseLongType27 } from '../interp/longobject';
import { msg } from '../messages';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyFloat, PyComplex, PyStr, codePointCount } from '../runtime/values';
import { PyList, PyTuple, PyDict, indexLabel } from '../runtime/containers';
import { ternaryPow } from '../interp/longobject';
import { PyInstance } from '../runtime/instances';
import { PyFunction, PyBuiltin, PyMethod, PyProperty, PyMethodWrapper, PySuper, PyCell, type KwArgs } from '../runtime/callables';
import { PyRange } from '../runtime/iterators';
import type { Interpreter } from '../interp/interpreter';
import { call, callSpecial } from '../interp/calls';
import { getAttrOrNull, getAttr, setAttr, delAttr, bindDescriptor } from '../interp/attrs';
import { truthy, compare, getIter, iterNext, iterNextOrStop, collect, length, binaryOp, equals, isIterator, isCallable } from '../interp/ops';
import { listExtendItems } from '../interp/lengthHint';
import { newCallIter } from './iterobject';
import { map27, filter27, zip27 } from './bltinIterators';
import { repr, str } from '../interp/format';
import { formatValue } from '../interp/formatValue';
import { PyRaise, dropRaise } from '../interp/signals';
import { arity, kw, onlyKw, toInt, noKwargs } from './args';
import { OutStreamObject } from './modules';
import { Frame } from '../interp/frame';
import { pyHash } from '../interp/hash';
import { constructBuiltin } from './methods';
import { installIntFormat } from './intFormat';
import { allocTuple, freeTuple } from '../interp/callTemporaries';

type Fn = (args: PyObject[], kwargs: KwArgs) => PyObject;

/** Installs the built-in functions into the builtins dict. */
export function installBuiltinFunctions(it: Interpreter, d: PyDict): void {
    const def = (name: string, fn: Fn): void => {
        d.set(it.heap, it.str(name), it.builtin(name, (_self, args, kwargs) => fn(args, kwargs)));
    };

    def('print', (args, kwargs) => {
        if (!it.profile.printPacksArguments) return print(args, kwargs);
        allocTuple(it, args.length);
        try {
            return print(args, kwargs);
        } finally {
            freeTuple(it, args.length);
        }
    });
    const print = (args: PyObject[], kwargs: KwArgs): PyObject => {
        onlyKw(it, 'print', kwargs, ['sep', 'end', 'file', 'flush']);
        const sepO = kw(kwargs, 'sep');
        const endO = kw(kwargs, 'end');
        const fileO = kw(kwargs, 'file');
        const sep = sepO && sepO !== it.None ? (sepO as PyStr).v : ' ';
        const end = endO && endO !== it.None ? (endO as PyStr).v : '\n';
        // print() writes each argument, each separator and the end with its own write() call
        // (what a file object's buffering sees). 2.7's print statement is printStatement.ts.
        const target = fileO && fileO !== it.None ? fileO : (it.sysModule.dict.getStr('stdout') ?? null);
        if (target === null) throw it.error('RuntimeError', 'lost sys.stdout');
        if (target !== it.None) {
            args.forEach((a, i) => {
                if (i) writeObject(it, target, sep);
                writeObject(it, target, a);
            });
            writeObject(it, target, end);
        }
        const fl = kw(kwargs, 'flush');
        if (fl && truthy(it, fl)) flushFile(it, fileO && fileO !== it.None ? fileO : null);
        return it.None;
    };
    def('len', (args) => {
        arity(it, 'len', args, 1, 1);
        return it.int(length(it, args[0]));
    });
    def('repr', (args) => {
        arity(it, 'repr', args, 1, 1);
        return it.str(repr(it, args[0]));
    });
    def('id', (args) => {
        arity(it, 'id', args, 1, 1);
        return it.int(0x7f0000000000 + args[0].id * 16);
    });
    def('hash', (args) => {
        arity(it, 'hash', args, 1, 1);
        return it.int(pyHash(it, args[0]));
    });
    def('isinstance', (args) => {
        arity(it, 'isinstance', args, 2, 2);
        return it.bool(isInstanceOf(it, args[0], args[1]));
    });
    def('issubclass', (args) => {
        arity(it, 'issubclass', args, 2, 2);
        const [a, b] = args;
        if (!(a instanceof PyType)) throw it.error('TypeError', 'issubclass() arg 1 must be a class');
        // A classic class is no subclass of object (classobject.c class_is_subclass).
        const check = (t: PyObject): boolean => (t instanceof PyTuple ? t.items.some(check) : t instanceof PyType && a.isSubtypeOf(t) && !(a.classic && !t.classic));
        return it.bool(check(b));
    });
    def('hasattr', (args) => {
        arity(it, 'hasattr', args, 2, 2);
        const name = attrName(it, args[1], 'hasattr');
        try {
            const v = getAttrOrNull(it, args[0], name);
            if (v) {
                it.decref(v);
                return it.True;
            }
            return it.False;
        } catch (e) {
            if (e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.AttributeError)) {
                dropRaise(it, e);
                return it.False;
            }
            throw e;
        }
    });
    def('getattr', (args) => {
        arity(it, 'getattr', args, 2, 3);
        const name = attrName(it, args[1], 'getattr');
        if (args.length === 2) return getAttr(it, args[0], name);
        // With a default, _PyObject_LookupAttr (2.7: a lazy PyErr_Format, cleared): a missing
        // attribute makes no exception object unless a class's own hooks raise one.
        try {
            return getAttrOrNull(it, args[0], name) ?? it.incref(args[2]);
        } catch (e) {
            if (e instanceof PyRaise && e.exc.type.isSubtypeOf(it.T.AttributeError)) {
                dropRaise(it, e);
                return it.incref(args[2]);
            }
            throw e;
        }
    });
    def('setattr', (args) => {
        arity(it, 'setattr', args, 3, 3);
        setAttr(it, args[0], attrName(it, args[1], 'setattr'), args[2]);
        return it.None;
    });
    def('delattr', (args) => {
        arity(it, 'delattr', args, 2, 2);
        delAttr(it, args[0], attrName(it, args[1], 'delattr'));
        return it.None;
    });
    def('callable', (args) => {
        arity(it, 'callable', args, 1, 1);
        const o = args[0];
        return it.bool(isCallable(it, o));
    });
    def('abs', (args) => {
        arity(it, 'abs', args, 1, 1);
        const o = args[0];
        if (o instanceof PyInt) return it.int(typeof o.v === 'bigint' ? (o.v < 0n ? -o.v : o.v) : Math.abs(o.v));
        if (o instanceof PyFloat) return it.float(Math.abs(o.v));
        if (o instanceof PyComplex) return it.float(Math.hypot(o.re, o.im));
        const r = callSpecial(it, o, '__abs__', []);
        if (r) return r;
        throw it.error('TypeError', `bad operand type for abs(): '${o.type.name}'`);
    });
    def('round', (args) => {
        arity(it, 'round', args, 1, 2);
        const o = args[0];
        const nd = args.length > 1 && args[1] !== it.None ? toInt(it, args[1]) : null;
        if (o instanceof PyInt) return it.int(o.v);
        if (!(o instanceof PyFloat)) throw it.error('TypeError', `type ${o.type.name} doesn't define __round__ method`);
        if (nd === null) {
            const r = roundHalfEven(o.v);
            return it.profile.major === 2 ? it.float(roundHalfAway(o.v)) : it.int(r);
        }
        const m = Math.pow(10, nd);
        return it.float(Number((Math.round(o.v * m) / m).toFixed(Math.max(0, nd))));
    });
    def('divmod', (args) => {
        arity(it, 'divmod', args, 2, 2);
        const q = binaryOp(it, 'FloorDiv', args[0], args[1]);
        const r = binaryOp(it, 'Mod', args[0], args[1]);
        return it.tuple([q, r]);
    });
    def('pow', (args) => {
        arity(it, 'pow', args, 2, 3);
        if (args.length === 3 && args[2] !== it.None) return ternaryPow(it, args[0], args[1], args[2]);
        return binaryOp(it, 'Pow', args[0], args[1]);
    });
    def('chr', (args) => it.str(String.fromCodePoint(toInt(it, args[0]))));
    def('ord', (args) => {
        const s = args[0];
        if (!(s instanceof PyStr) || codePointCount(s.v) !== 1) throw it.error('TypeError', `ord() expected a character`);
        return it.int(s.v.codePointAt(0)!);
    });
    installIntFormat(it, def);
    def('format', (args) => {
        arity(it, 'format', args, 1, 2);
        return it.str(formatValue(it, args[0], args.length > 1 ? (args[1] as PyStr).v : ''));
    });
    def('iter', (args) => {
        if (args.length < 1 || args.length > 2) throw it.error('TypeError', msg(it.profile, 'unpackCount', 'iter', args.length < 1 ? 'at least ' : 'at most ', args.length < 1 ? 1 : 2, args.length));
        if (args.length === 1) return getIter(it, args[0]);
        if (!isCallable(it, args[0])) throw it.error('TypeError', msg(it.profile, 'iterNotCallable'));
        return newCallIter(it, args[0], args[1]);
    });
    def('next', (args) => {
        if (args.length < 1 || args.length > 2) throw it.error('TypeError', msg(it.profile, 'unpackCount', 'next', args.length < 1 ? 'at least ' : 'at most ', args.length < 1 ? 1 : 2, args.length));
        if (!isIterator(it, args[0])) throw it.error('TypeError', msg(it.profile, 'notAnIterator', args[0].type.name));
        let v: PyObject | null;
        try {
            v = iterNextOrStop(it, args[0]);
        } catch (e) {
            // builtin_next: with a default, a StopIteration (whatever its value) gives the default.
            if (args.length < 2 || !(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.StopIteration)) throw e;
            dropRaise(it, e);
            v = null;
        }
        if (v) return v;
        if (args.length > 1) return it.incref(args[1]);
        throw it.error('StopIteration');
    });
    if (it.profile.builtinsReturnLists) {
        // 2.7: map, filter and zip build lists (bltinIterators.ts).
        def('map', (args, kwargs) => map27(it, args, kwargs));
        def('filter', (args, kwargs) => filter27(it, args, kwargs));
        def('zip', (args, kwargs) => zip27(it, args, kwargs));
    }
    // 2.7's builtin_reduce (3.x has it in functools; setup unbinds it there).
    def('reduce', (args, kwargs) => {
        noKwargs(it, 'reduce', kwargs);
        if (args.length < 2 || args.length > 3) throw it.error('TypeError', msg(it.profile, 'unpackCount', 'reduce', args.length < 2 ? 'at least ' : 'at most ', args.length < 2 ? 2 : 3, args.length));
        const [func, seq] = args;
        let iter: PyObject;
        try {
            iter = getIter(it, seq);
        } catch (e) {
            if (!(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.TypeError)) throw e;
            dropRaise(it, e);
            throw it.error('TypeError', 'reduce() arg 2 must support iteration');
        }
        let result: PyObject | null = args.length > 2 ? it.incref(args[2]) : null;
        try {
            for (let item = iterNext(it, iter); item; item = iterNext(it, iter)) {
                if (result === null) {
                    result = item;
                    continue;
                }
                const prev: PyObject = result;
                result = null;
                try {
                    result = call(it, func, [prev, item], null);
                } finally {
                    it.decref(prev);
                    it.decref(item);
                }
            }
        } catch (e) {
            if (result) it.decref(result);
            throw e;
        } finally {
            it.decref(iter);
        }
        if (result === null) throw it.error('TypeError', 'reduce() of empty sequence with no initial value');
        return result;
    });
    def('sorted', (args, kwargs) => {
        arity(it, 'sorted', args, 1, 1);
        onlyKw(it, 'sort', kwargs, ['key', 'reverse']);
        // Without a key, the result does not show the order a set was iterated in (no caveat).
        const l = it.list(orderless(it, !kw(kwargs, 'key'), () => listExtendItems(it, args[0])));
        // builtin_sorted calls the new list's sort through PyObject_GetAttr: a bound built-in
        // method alive while the sort runs (a key function sees it).
        const sort = bindDescriptor(it, it.T.list.lookup('sort')!, l, it.T.list);
        try {
            sortList(it, l, kw(kwargs, 'key'), kw(kwargs, 'reverse'));
        } catch (e) {
            it.decref(l);
            throw e;
        } finally {
            it.decref(sort);
        }
        return l;
    });
    const minmax = (name: 'min' | 'max') => (args: PyObject[], kwargs: KwArgs): PyObject => {
        onlyKw(it, name, kwargs, ['key', 'default']);
        const key = kw(kwargs, 'key');
        const items = args.length === 1 ? orderless(it, !key, () => collect(it, args[0])) : args.map((a) => it.incref(a));
        try {
            if (!items.length) {
                const d = kw(kwargs, 'default');
                if (d) return it.incref(d);
                throw it.error('ValueError', msg(it.profile, 'emptyMinMax', name));
            }
            let best = items[0];
            let bestKey = key && key !== it.None ? call(it, key, [best], null) : it.incref(best);
            for (let i = 1; i < items.length; i++) {
                const k = key && key !== it.None ? call(it, key, [items[i]], null) : it.incref(items[i]);
                if (compare(it, name === 'min' ? 'Lt' : 'Gt', k, bestKey)) {
                    it.decref(bestKey);
                    bestKey = k;
                    best = items[i];
                } else it.decref(k);
            }
            it.decref(bestKey);
            return it.incref(best);
        } finally {
            for (const x of items) it.decref(x);
        }
    };
    def('min', minmax('min'));
    def('max', minmax('max'));
    def('sum', (args, kwargs) => {
        arity(it, 'sum', args, 1, 2);
        let acc: PyObject = args[1] ?? kw(kwargs, 'start') ?? it.int(0);
        it.incref(acc);
        const iter = getIter(it, args[0]);
        try {
            for (let x = iterNext(it, iter); x; x = iterNext(it, iter)) {
                // A built-in loop runs no statement: element work for the budgets (sum(range(10**12))).
                it.work(1);
                const r = binaryOp(it, 'Add', acc, x);
                it.decref(acc);
                it.decref(x);
                acc = r;
            }
        } finally {
            it.decref(iter);
        }
        return acc;
    });
    const anyAll = (isAny: boolean) => (args: PyObject[]): PyObject => {
        // (The iterator is made quietly: which item decides is not shown.)
        arity(it, isAny ? 'any' : 'all', args, 1, 1);
        const iter = orderless(it, true, () => getIter(it, args[0]));
        try {
            for (let x = iterNext(it, iter); x; x = iterNext(it, iter)) {
                it.work(1);
                const t = truthy(it, x);
                it.decref(x);
                if (t === isAny) return it.bool(isAny);
            }
        } finally {
            it.decref(iter);
        }
        return it.bool(!isAny);
    };
    def('any', anyAll(true));
    def('all', anyAll(false));
    def('globals', () => it.incref((it.frame as Frame).globals));
    const locals = (): PyObject => {
        const f = it.frame as Frame;
        if (f.localsDict) return it.incref(f.localsDict);
        const d = it.dict();
        // map_to_dict: a cell or free variable contributes its cell's contents.
        f.code.names.forEach((n, i) => {
            const slot = f.locals[i];
            const v = f.code.isCell[i] ? ((slot as PyCell | null)?.ref ?? null) : slot;
            if (v) d.set(it.heap, it.str(n), v);
        });
        return d;
    };
    def('locals', (args, kwargs) => {
        noKwargs(it, 'locals', kwargs);
        arity(it, 'locals', args, 0, 0);
        return locals();
    });
    def('dir', (args, kwargs) => {
        noKwargs(it, 'dir', kwargs);
        arity(it, 'dir', args, 0, 1);
        return builtinDir(it, args.length ? args[0] : null, locals);
    });
    def('vars', (args, kwargs) => {
        noKwargs(it, 'vars', kwargs);
        arity(it, 'vars', args, 0, 1);
        if (!args.length) return locals();
        // builtin_vars: any lookup failure (an AttributeError) becomes its own TypeError.
        try {
            return getAttr(it, args[0], '__dict__');
        } catch (e) {
            if (!(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.AttributeError)) throw e;
            dropRaise(it, e);
            throw it.error('TypeError', 'vars() argument must have __dict__ attribute');
        }
    });
    if (it.profile.builtinsReturnLists) {
        // 2.7: range() is a function building a list (xrange is the lazy type).
        def('range', (args, kwargs) => constructBuiltin(it, it.T.range, args, kwargs));
    }
    def('exit', (args) => {
        const e = it.newException(it.T.SystemExit, args);
        throw new PyRaise(e);
    });
    d.set(it.heap, it.str('quit'), d.getStr('exit')!);
}

export function isInstanceOf(it: Interpreter, o: PyObject, cls: PyObject): boolean {
    if (o instanceof PyInt && typeof o.v === 'bigint') refuseLongType27(it, o);
    if (cls instanceof PyTuple) return cls.items.some((c) => isInstanceOf(it, o, c));
    if (!(cls instanceof PyType)) throw it.error('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
    return o.type.isSubtypeOf(cls);
}

function attrName(it: Interpreter, o: PyObject, fname: string): string {
    if (o instanceof PyStr) return o.v;
    throw it.error('TypeError', `attribute name must be string, not '${o.type.name}'`);
    void fname;
}

function roundHalfEven(v: number): number {
    const f = Math.floor(v);
    const d = v - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
}

function roundHalfAway(v: number): number {
    return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** list.sort(key=None, reverse=False): stable, comparing with `<`. */
/**
 * list_sort_impl: the list is emptied while it sorts (a key or comparison sees `[]`); what it holds
 * afterwards is released, the sorted items put back, and a list that was given items meanwhile is
 * "list modified during sort" (unless a comparison raised first).
 */
export function sortList(it: Interpreter, l: PyList, key: PyObject | null, reverse: PyObject | null): void {
    const items = l.items;
    const during: PyObject[] = [];
    l.items = during;
    let err: unknown = null;
    let order: number[] | null = null;
    const keys: PyObject[] = [];
    try {
        for (const x of items) keys.push(key && key !== it.None ? call(it, key, [x], null) : it.incref(x));
        const idx = items.map((_, i) => i);
        const rev = reverse ? truthy(it, reverse) : false;
        idx.sort((a, b) => {
            if (err) return 0;
            try {
                const [x, y] = rev ? [keys[b], keys[a]] : [keys[a], keys[b]];
                if (compare(it, 'Lt', x, y)) return -1;
                if (compare(it, 'Lt', y, x)) return 1;
                // Equal keys keep their original order, with or without reverse=True.
                return a - b;
            } catch (e) {
                err = e;
                return 0;
            }
        });
        order = idx;
    } catch (e) {
        err = e;
    } finally {
        for (const k of keys) it.decref(k);
    }
    const modified = l.items !== during || during.length !== 0;
    const final = l.items;
    l.items = !err && order ? order.map((i) => items[i]) : items;
    for (let i = final.length - 1; i >= 0; i--) it.heap.release(l, final[i], indexLabel(i));
    if (err) throw err;
    if (modified) throw it.error('ValueError', 'list modified during sort');
}

/**
 * PyFile_WriteObject(v, f, Py_PRINT_RAW), one piece of a print() call (an argument, a separator, the
 * end). 2.7's sys.stdout is a `file`, written directly (file_PyObject_Print). Anything else, 3.x's
 * io.TextIOWrapper included, is written through its `write` attribute, looked up *before* the
 * piece is converted: the bound method (a builtin_function_or_method for an io object, a GC
 * allocation) is alive while the argument's `__str__` runs, and is released after the call.
 */
function writeObject(it: Interpreter, file: PyObject, piece: PyObject | string): void {
    if (file instanceof OutStreamObject && it.profile.fileObjects === 'stdio') {
        file.stream.write(typeof piece === 'string' ? piece : str(it, piece));
        return;
    }
    // PyFile_WriteObject: the bound write method, then PyObject_Str of the piece (a separator or
    // the end is a new str: PyFile_WriteString), whose signal check may collect (3.12+).
    const w = getAttr(it, file, 'write');
    try {
        if (typeof piece === 'string') it.checkSignals();
        const text = typeof piece === 'string' ? piece : str(it, piece);
        it.decref(call(it, w, [it.str(text)], null));
    } finally {
        it.decref(w);
    }
}

export function writeTo(it: Interpreter, file: PyObject | null, text: string, writes = 1): void {
    const target = file ?? it.sysModule.dict.getStr('stdout');
    if (!target) throw it.error('RuntimeError', 'lost sys.stdout');
    if (target === it.None) return;
    if (target instanceof OutStreamObject) {
        target.stream.write(text, writes);
        return;
    }
    const w = getAttr(it, target, 'write');
    try {
        it.decref(call(it, w, [it.str(text)], null));
    } finally {
        it.decref(w);
    }
}

export function flushFile(it: Interpreter, file: PyObject | null): void {
    const target = file ?? it.sysModule.dict.getStr('stdout');
    if (target instanceof OutStreamObject) target.stream.flush();
    else if (target && target !== it.None) {
        const f = getAttr(it, target, 'flush');
        try {
            it.decref(call(it, f, [], null));
        } finally {
            it.decref(f);
        }
    }
}

export { PyInstance, PyProperty, PyMethodWrapper, PySuper, equals, noKwargs };

/** Runs `f` (which iterates a set) without a set-order caveat when `quiet`: its result does not show the order. */
function orderless<T>(it: Interpreter, quiet: boolean, f: () => T): T {
    if (!quiet) return f();
    it.sets.quiet++;
    try {
        return f();
    } finally {
        it.sets.quiet--;
    }
}
