/*
 * cachedProperty.ts
 *
 * functools.cached_property (3.8+, Lib/functools.py, a Python class): a non-data descriptor whose
 * instance dict holds `func`, `attrname` (set by `__set_name__` when the class is created),
 * `__doc__` (the function's), and per version an RLock in `lock` (3.8-3.11) or `__module__`
 * (3.13+). `__get__` reads `instance.__dict__` (on 3.11+ that materializes the instance's dict
 * object, as the Python code does) and, when the name is missing there, calls `func(instance)` and
 * stores the result in that dict: from then on the instance dict holds the value (it wins over a
 * non-data descriptor), until `del obj.name` removes it. The lock (3.8-3.11) is only held, not
 * taken: a second thread computing the same property at the same moment is not modelled.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyDict } from '../runtime/containers';
import { PyStr } from '../runtime/values';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { getAttr, setAttr } from '../interp/attrs';
import { repr } from '../interp/format';
import { PyRaise, dropRaise } from '../interp/signals';
import { arity } from '../builtins/args';
import { lockKit } from '../threads/syncPrimitives';
import { schedulerOf } from '../threads/scheduler';
import { unsupportedAt } from '../names/refuse';
import { pythonClass } from './stdTypes';

export function createCachedProperty(it: Interpreter): PyType {
    const p = it.profile.stdlib.cachedProperty;
    const attr = (self: PyObject, name: string): PyObject => getAttr(it, self, name);
    /** `raise TypeError(msg) from None`. */
    const typeErrorFromNone = (message: string): PyRaise => {
        const r = it.error('TypeError', message);
        r.exc.suppressContext = true;
        return r;
    };
    return pythonClass(it, 'functools', 'cached_property', null, {
        __init__: (self, args) => {
            arity(it, '__init__', args, 1, 1);
            const func = args[0];
            setAttr(it, self, 'func', func);
            setAttr(it, self, 'attrname', it.None);
            const doc = getAttr(it, func, '__doc__');
            setAttr(it, self, '__doc__', doc);
            it.decref(doc);
            if (p.lock) {
                const lock = lockKit(it, schedulerOf(it)).newRLock();
                setAttr(it, self, 'lock', lock);
                it.decref(lock);
            }
            if (p.setsModule) {
                const mod = getAttr(it, func, '__module__');
                setAttr(it, self, '__module__', mod);
                it.decref(mod);
            }
            return it.None;
        },
        __set_name__: (self, args) => {
            arity(it, '__set_name__', args, 2, 2);
            const name = args[1];
            const cur = attr(self, 'attrname');
            try {
                if (cur === it.None) setAttr(it, self, 'attrname', name);
                else if (!(cur instanceof PyStr && name instanceof PyStr && cur.v === name.v)) {
                    throw it.error('TypeError', `Cannot assign the same cached_property to two different names (${repr(it, cur)} and ${repr(it, name)}).`);
                }
            } finally {
                it.decref(cur);
            }
            return it.None;
        },
        __get__: (self, args) => {
            arity(it, '__get__', args, 1, 2);
            const instance = args[0];
            if (instance === it.None) return it.incref(self);
            const name = attr(self, 'attrname');
            try {
                if (name === it.None) throw it.error('TypeError', 'Cannot use cached_property instance without calling __set_name__ on it.');
                let cache: PyObject;
                try {
                    cache = getAttr(it, instance, '__dict__');
                } catch (e) {
                    if (!(e instanceof PyRaise) || !e.exc.type.isSubtypeOf(it.T.AttributeError)) throw e;
                    dropRaise(it, e);
                    throw typeErrorFromNone(`No '__dict__' attribute on ${repr(it, it.str(instance.type.name))} instance to cache ${repr(it, name)} property.`);
                }
                try {
                    if (!(cache instanceof PyDict)) throw unsupportedAt(it, 'functools.cached_property over an instance __dict__ that is not a dict');
                    const found = cache.get(name);
                    if (found) return it.incref(found);
                    const func = attr(self, 'func');
                    let val: PyObject;
                    try {
                        val = call(it, func, [instance], null);
                    } finally {
                        it.decref(func);
                    }
                    cache.set(it.heap, name, val);
                    return val;
                } finally {
                    it.decref(cache);
                }
            } finally {
                it.decref(name);
            }
        },
    });
}
