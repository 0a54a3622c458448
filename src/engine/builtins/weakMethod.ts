/*
 * weakMethod.ts
 *
 * weakref.WeakMethod (Lib/weakref.py, 3.4+): a weak reference to a bound method. A plain
 * `weakref.ref(obj.meth)` dies at once (the bound method is a temporary); a WeakMethod is a `ref`
 * subclass to the method's `__self__` that also keeps a weak reference to its `__func__`
 * (`_func_ref`). Both weakrefs share one callback (`_cb`), which runs the user's callback once,
 * with the WeakMethod, when the object or the function dies first; calling the WeakMethod rebuilds
 * the bound method while both live. `_cb` reaches the WeakMethod through a weak reference of its
 * own, so nothing here forms a cycle: the WeakMethod lives as long as the program holds it.
 *
 * Modelled natively: the WeakMethod (with its `_func_ref` and the user's callback) is a PyWeakref;
 * `_cb`, its closure cells and `self_wr` are not separate objects here (they only matter to
 * gc.get_count()).
 */

import { PyObject, ObjFlag, type Refs, type Visit } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict } from '../runtime/containers';
import { PyMethod, type KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { newBoundMethod } from '../interp/attrs';
import { equals } from '../interp/ops';
import { pyHash } from '../interp/hash';
import { PyWeakref, checkWeakrefable, insertRef, WEAKREFABLE_STD_TYPES } from '../gc/weakrefs';
import { newRef } from './weakrefModule';
import { setModuleAttr } from './modules';
import { arity } from './args';

class PyWeakMethod extends PyWeakref {
    /** `_func_ref`: a weakref to the method's function, with the same callback. */
    funcRef: PyWeakref | null = null;
    /** `_alive`: cleared by the first callback. */
    alive = true;
    /** The user's callback (held, in CPython, by `_cb`'s closure). */
    userCallback: PyObject | null = null;
    /**
     * `self_wr = ref(self)`, made by `__new__` and held by `_cb`'s closure: the WeakMethod's own
     * callback-less ref, so `weakref.ref(wm)` returns this shared one (get_basic_refs).
     */
    selfRef: PyWeakref | null = null;

    override traverse(visit: Visit): void {
        super.traverse(visit);
        if (this.funcRef) visit(this.funcRef);
        if (this.userCallback) visit(this.userCallback);
        if (this.selfRef) visit(this.selfRef);
    }
    override clear(r: Refs): void {
        super.clear(r);
        const { funcRef, userCallback, selfRef } = this;
        this.funcRef = null;
        this.userCallback = null;
        this.selfRef = null;
        if (funcRef) r.release(this, funcRef, '_func_ref');
        if (userCallback) r.release(this, userCallback, 'callback');
        if (selfRef) r.release(this, selfRef, '(_cb self_wr)');
    }
}

/** Installs `weakref.WeakMethod`, a subclass of the module's `ref` type. */
export function installWeakMethod(it: Interpreter, m: PyModule, refType: PyType, ctors: Map<PyType, (args: PyObject[], kwargs: KwArgs) => PyObject>): void {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const t = new PyType(it.T.type, 'WeakMethod', refType, d, 'instance', false);
    t.mro = [t, ...refType.mro];
    t.module = 'weakref';
    t.id = it.heap.newId();
    // `__slots__` names `__weakref__`: a WeakMethod can be referred to weakly.
    WEAKREFABLE_STD_TYPES.add(t);
    const method = (name: string, fn: (self: PyWeakMethod, args: PyObject[]) => PyObject): void => {
        d.set(it.heap, it.str(name), it.builtin(name, (self, args) => fn(self as PyWeakMethod, args), 'WeakMethod', true));
    };
    method('__call__', (self, args) => {
        arity(it, 'WeakMethod', args, 0, 0);
        const obj = self.referent;
        const func = self.funcRef?.referent ?? null;
        if (!obj || !func) return it.None;
        return newBoundMethod(it, func, obj);
    });
    method('__eq__', (self, args) => {
        const other = args[0];
        if (!(other instanceof PyWeakMethod)) return it.NotImplemented;
        if (!self.alive || !other.alive) return it.bool(self === other);
        const same = (a: PyObject | null | undefined, b: PyObject | null | undefined): boolean => (a && b ? equals(it, a, b) : a === b);
        return it.bool(same(self.referent, other.referent) && same(self.funcRef?.referent, other.funcRef?.referent));
    });
    method('__hash__', (self) => {
        if (self.hash) return it.incref(self.hash);
        if (!self.referent) throw it.error('TypeError', 'weak object has gone away');
        self.hash = it.int(pyHash(it, self.referent));
        return it.incref(self.hash);
    });
    ctors.set(t, (args, kwargs) => {
        arity(it, 'WeakMethod', args, 1, 2);
        const meth = args[0];
        const callback = args[1] ?? kwargs?.get('callback') ?? it.None;
        if (!(meth instanceof PyMethod)) throw it.error('TypeError', `argument should be a bound method, not <class '${meth.type.name}'>`);
        const obj = meth.self!;
        const func = meth.func!;
        // `ref.__new__(cls, obj, _cb)`: the WeakMethod is the object's weakref with callback _cb.
        let wm: PyWeakMethod | null = null;
        const cb = it.builtin('_cb', (_self, cbArgs) => {
            void cbArgs;
            const self = wm;
            if (self === null || self.flags & ObjFlag.Freed || !self.alive) return it.None;
            self.alive = false;
            const user = self.userCallback;
            if (user !== null) it.decref(call(it, user, [self], null));
            return it.None;
        });
        checkWeakrefable(it, obj);
        wm = it.heap.register(new PyWeakMethod(t, obj, cb, false));
        insertRef(obj, wm, false);
        if (callback !== it.None) {
            wm.userCallback = callback;
            it.heap.acquire(wm, callback, 'callback');
        }
        wm.funcRef = newRef(it, func, cb);
        it.heap.adopt(wm, wm.funcRef, '_func_ref');
        wm.selfRef = newRef(it, wm, null);
        it.heap.adopt(wm, wm.selfRef, '(_cb self_wr)');
        return wm;
    });
    setModuleAttr(it, m, 'WeakMethod', t);
}

