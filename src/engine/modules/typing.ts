/*
 * typing.ts
 *
 * The `typing` module, as far as programs about lifetimes use it: `TypeVar` (a Python class
 * before 3.12, `_typing.TypeVar` in C since): an object holding its name, its constraints tuple
 * and its bound, with the `~T` repr. Annotations themselves are not kept by the engine. Every
 * other name of the real module (`Any`, `Optional`, `List`, `Generic`, `Protocol`…) stops the run
 * where it is used (names/cpython-names.json).
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import type { PyModule } from '../runtime/frames';
import { PyExtObject } from '../runtime/extobject';
import type { Interpreter } from '../interp/interpreter';
import { truthy } from '../interp/ops';
import { arity } from '../builtins/args';
import { stdType, recordedIn } from './stdTypes';
import { namesFor } from '../names/table';

class PyTypeVar extends PyExtObject {
    covariant = false;
    contravariant = false;
    constructor(
        type: PyType,
        public name: PyStr,
        public constraints: PyObject | null,
        public bound: PyObject | null,
    ) {
        super(type);
    }
    override traverse(visit: Visit): void {
        if (this.constraints) visit(this.constraints);
        if (this.bound) visit(this.bound);
    }
    override clear(r: Refs): void {
        const { constraints, bound } = this;
        this.constraints = this.bound = null;
        if (bound) r.release(this, bound, '__bound__');
        if (constraints) r.release(this, constraints, '__constraints__');
    }
}

export function createTypingModule(it: Interpreter): PyModule {
    // (2.7 has no typing module: CPython's ImportError.)
    if (!namesFor(it.profile.name).modules.has('typing')) throw it.error('ImportError', 'No module named typing');
    const m = it.newModule('typing');
    const tv = (self: PyObject): PyTypeVar => self as PyTypeVar;
    const t: PyType = stdType(it, {
        name: 'TypeVar',
        module: 'typing',
        members: {
            __name__: (self) => it.incref(tv(self).name),
            __constraints__: (self) => it.incref(tv(self).constraints ?? it.tuple([])),
            __bound__: (self) => it.incref(tv(self).bound ?? it.None),
            __covariant__: (self) => it.bool(tv(self).covariant),
            __contravariant__: (self) => it.bool(tv(self).contravariant),
        },
        ctor: (args, kwargs) => {
            arity(it, 'TypeVar', args, 1, Infinity);
            const name = args[0];
            if (!(name instanceof PyStr)) throw it.error('TypeError', 'TypeVar name must be a string');
            let bound: PyObject | null = null;
            let co = false;
            let contra = false;
            for (const [k, v] of kwargs ?? []) {
                if (k === 'bound') bound = v === it.None ? null : v;
                else if (k === 'covariant') co = truthy(it, v);
                else if (k === 'contravariant') contra = truthy(it, v);
                else throw it.error('TypeError', `TypeVar.__init__() got an unexpected keyword argument '${k}'`);
            }
            if (co && contra) throw it.error('ValueError', 'Bivariant types are not supported.');
            const cons = args.slice(1);
            if (cons.length === 1) throw it.error('TypeError', 'A single constraint is not allowed');
            if (cons.length && bound) throw it.error('TypeError', 'Constraints cannot be combined with bound=...');
            const ct = it.tuple(cons.map((c) => it.incref(c)));
            const o = it.heap.register(new PyTypeVar(t, it.incref(name) as PyStr, ct, bound));
            it.heap.adopt(o, ct, '__constraints__');
            if (bound) it.heap.acquire(o, bound, '__bound__');
            o.covariant = co;
            o.contravariant = contra;
            return o;
        },
        repr: (self) => `${tv(self).covariant ? '+' : tv(self).contravariant ? '-' : '~'}${tv(self).name.v}`,
    });
    if (recordedIn(it, 'typing', 'TypeVar')) m.dict.set(it.heap, it.str('TypeVar'), t);
    return m;
}
