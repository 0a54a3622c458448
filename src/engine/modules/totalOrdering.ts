/*
 * totalOrdering.ts
 *
 * functools.total_ordering (Lib/functools.py, pure Python): a class decorator that finds the
 * comparisons the class defines (the roots), picks one (`max(roots)`: __lt__, then __le__, __gt__,
 * __ge__) and sets the missing ones on the class, each computed from the root and `==`/`!=`.
 *
 * 3.x: the twelve converters are module-level functions (`_gt_from_lt`…) shared by every class;
 * `opfunc.__name__ = opname` renames the shared function and `setattr(cls, opname, opfunc)` stores
 * it in the class dict, so the class holds functools' function (never freed). They call the root
 * as `type(self).__lt__(self, other)` and pass NotImplemented through (3.9+); 3.8 calls
 * `self.__lt__(other)` and two of them (`_le_from_lt`, `_ge_from_gt`) have no NotImplemented check
 * (profiles.ts stdlib.totalOrdering). The roots are the comparisons not inherited from `object`.
 *
 * 2.7: a new lambda per class and operation (also `__ne__`), written with the operators
 * (`lambda self, other: self < other or self == other`); the roots are the comparisons in
 * `dir(cls)` (2.7's `object` has none).
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyBuiltin } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { getAttr, setAttr } from '../interp/attrs';
import { compareObj, truthy } from '../interp/ops';
import type { CmpOpName } from '../parser/ast';
import { unsupportedAt } from '../names/refuse';
import { arity } from '../builtins/args';
import { pyFunctionType } from './stdTypes';

type Op = '__lt__' | '__le__' | '__gt__' | '__ge__';
/** How a converter combines the root's result r with `==`/`!=` (Lib/functools.py's bodies). */
type Combine = 'notR_and_ne' | 'r_or_eq' | 'notR' | 'notR_or_eq' | 'r_and_ne';

/** _convert: root -> [(opname, converter name, combination)], in the order they are set. */
const CONVERT: Record<Op, [Op, string, Combine][]> = {
    __lt__: [['__gt__', '_gt_from_lt', 'notR_and_ne'], ['__le__', '_le_from_lt', 'r_or_eq'], ['__ge__', '_ge_from_lt', 'notR']],
    __le__: [['__ge__', '_ge_from_le', 'notR_or_eq'], ['__lt__', '_lt_from_le', 'r_and_ne'], ['__gt__', '_gt_from_le', 'notR']],
    __gt__: [['__lt__', '_lt_from_gt', 'notR_and_ne'], ['__ge__', '_ge_from_gt', 'r_or_eq'], ['__le__', '_le_from_gt', 'notR']],
    __ge__: [['__le__', '_le_from_ge', 'notR_or_eq'], ['__gt__', '_gt_from_ge', 'r_and_ne'], ['__lt__', '_lt_from_ge', 'notR']],
};

/**
 * The 2.7 lambdas: root -> [(opname, form)], `__ne__` included. With R the root's operator and
 * EQ `self == other`: A `not (R or EQ)`, B `R or EQ`, C `not EQ`, D `not R`, E `not R or EQ`,
 * F `R and not EQ`.
 */
type Form27 = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
const CONVERT27: Record<Op, [string, Form27][]> = {
    __lt__: [['__gt__', 'A'], ['__le__', 'B'], ['__ne__', 'C'], ['__ge__', 'D']],
    __le__: [['__ge__', 'E'], ['__lt__', 'F'], ['__ne__', 'C'], ['__gt__', 'D']],
    __gt__: [['__lt__', 'A'], ['__ge__', 'B'], ['__ne__', 'C'], ['__le__', 'D']],
    __ge__: [['__le__', 'E'], ['__gt__', 'F'], ['__ne__', 'C'], ['__lt__', 'D']],
};

const OPS: Op[] = ['__lt__', '__le__', '__gt__', '__ge__'];

/** The class's own comparisons (not object's); a built-in base's are not modelled. */
function roots(it: Interpreter, cls: PyType): Op[] {
    const out: Op[] = [];
    for (const t of cls.mro) {
        if (t === it.T.object) continue;
        if (!t.isHeap) throw unsupportedAt(it, `functools.total_ordering on a subclass of the built-in type '${t.name}'`);
    }
    for (const op of OPS) if (cls.mro.some((t) => t !== it.T.object && t.dict.getStr(op) !== null)) out.push(op);
    return out;
}

/** The 3.x converters, made once with the module (they are its globals `_gt_from_lt`…). */
export function installTotalOrdering(it: Interpreter, m: PyModule): void {
    const mode = it.profile.stdlib.totalOrdering;
    const fnType = pyFunctionType(it);
    const converters = new Map<string, PyBuiltin>();
    if (mode !== 'lambdas') {
        for (const [root, list] of Object.entries(CONVERT) as [Op, [Op, string, Combine][]][]) {
            for (const [, name, how] of list) {
                const f = it.heap.register(new PyBuiltin(fnType, name, (s, args) => convert(it, root, how, s ? [s, ...args] : args), null, true));
                converters.set(name, f);
                m.dict.set(it.heap, it.str(name), f);
            }
        }
    }
    const decorator = it.builtin('total_ordering', (_s, args) => {
        arity(it, 'total_ordering', args, 1, 1);
        const cls = args[0];
        if (!(cls instanceof PyType)) throw unsupportedAt(it, 'functools.total_ordering of something other than a class');
        const found = roots(it, cls);
        if (!found.length) throw it.error('ValueError', 'must define at least one ordering operation: < > <= >=');
        const root = found.reduce((a, b) => (a > b ? a : b));
        if (mode === 'lambdas') {
            for (const [opname, form] of CONVERT27[root]) {
                if (cls.mro.some((t) => t !== it.T.object && t.dict.getStr(opname) !== null)) continue;
                const f = it.heap.register(new PyBuiltin(fnType, opname, (s, a) => lambda27(it, CMP[root], form, s ? [s, ...a] : a), null, true));
                setAttr(it, cls, opname, f);
                it.decref(f);
            }
            return it.incref(cls);
        }
        for (const [opname, name] of CONVERT[root]) {
            if (found.includes(opname)) continue;
            const f = converters.get(name)!;
            f.name = opname;
            setAttr(it, cls, opname, f);
        }
        return it.incref(cls);
    });
    m.dict.set(it.heap, it.str('total_ordering'), decorator);
    it.decref(decorator);
}

const CMP: Record<Op, CmpOpName> = { __lt__: 'Lt', __le__: 'LtE', __gt__: 'Gt', __ge__: 'GtE' };

/** One converter's body: the root's result, NotImplemented passed through, then the combination. */
function convert(it: Interpreter, root: Op, how: Combine, args: PyObject[]): PyObject {
    arity(it, root, args, 2, 2);
    const [self, other] = args;
    const mode = it.profile.stdlib.totalOrdering;
    // 3.9+: type(self).__lt__(self, other); 3.8: self.__lt__(other).
    let r: PyObject;
    if (mode === 'type') {
        const m = getAttr(it, self.type, root);
        try {
            r = call(it, m, [self, other], null);
        } finally {
            it.decref(m);
        }
    } else {
        const m = getAttr(it, self, root);
        try {
            r = call(it, m, [other], null);
        } finally {
            it.decref(m);
        }
    }
    // 3.8's _le_from_lt and _ge_from_gt return `op_result or self == other` without the check.
    const checks = mode === 'type' || how !== 'r_or_eq';
    if (checks && r === it.NotImplemented) return r;
    const rel = (op: CmpOpName): PyObject => compareObj(it, op, self, other);
    const t = truthy(it, r);
    switch (how) {
        case 'notR_and_ne':
            it.decref(r);
            return t ? it.False : rel('NotEq');
        case 'r_or_eq':
            if (t) return r;
            it.decref(r);
            return rel('Eq');
        case 'notR':
            it.decref(r);
            return it.bool(!t);
        case 'notR_or_eq':
            it.decref(r);
            return !t ? it.True : rel('Eq');
        case 'r_and_ne':
            if (!t) return r;
            it.decref(r);
            return rel('NotEq');
    }
}

/** A 2.7 lambda's expression (the operators, so reflected methods take part as in CPython). */
function lambda27(it: Interpreter, op: CmpOpName, form: Form27, args: PyObject[]): PyObject {
    arity(it, '<lambda>', args, 2, 2);
    const [self, other] = args;
    const truthOf = (o: PyObject): boolean => {
        try {
            return truthy(it, o);
        } finally {
            it.decref(o);
        }
    };
    const R = (): PyObject => compareObj(it, op, self, other);
    const EQ = (): PyObject => compareObj(it, 'Eq', self, other);
    switch (form) {
        case 'A':
            return it.bool(!(truthOf(R()) || truthOf(EQ())));
        case 'B': {
            const r = R();
            if (truthy(it, r)) return r;
            it.decref(r);
            return EQ();
        }
        case 'C':
            return it.bool(!truthOf(EQ()));
        case 'D':
            return it.bool(!truthOf(R()));
        case 'E':
            return !truthOf(R()) ? it.True : EQ();
        case 'F': {
            const r = R();
            if (!truthy(it, r)) return r;
            it.decref(r);
            return it.bool(!truthOf(EQ()));
        }
    }
}
