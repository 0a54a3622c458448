/*
 * formatValue.ts
 *
 * format(value, spec): a user `__format__` wins; otherwise the built-in format spec rules.
 * PyObject_Format looks `__format__` up with _PyObject_LookupSpecial: the user's method is called
 * through a bound method object that lives while it runs (lookupSpecial.ts).
 */

import { PyObject } from '../runtime/object';
import { PyStr } from '../runtime/values';
import { PyInstance } from '../runtime/instances';
import type { Interpreter } from './interpreter';
import { userMethod } from './slots';
import { bindDescriptor } from './attrs';
import { callBoundHook } from './lookupSpecial';
import { formatSpec } from './format';

export function formatValue(it: Interpreter, v: PyObject, spec: string): string {
    if (v.type.isHeap || v instanceof PyInstance) {
        const m = userMethod(it, v, '__format__');
        if (m !== null) {
            const r = callBoundHook(it, bindDescriptor(it, m, v, v.type), [it.str(spec)]);
            try {
                if (!(r instanceof PyStr)) throw it.error('TypeError', `__format__ must return a str, not ${r.type.name}`);
                return r.v;
            } finally {
                it.decref(r);
            }
        }
        // The inherited C __format__ (object's: str(self), and 3.4+ no format spec at all; a
        // built-in base's), bound to the instance for the call: a builtin_function_or_method alive
        // while the class's __str__/__repr__ runs. (A built-in type's own value runs no Python
        // code in its __format__, so its bound method is not made: nothing could see it.)
        const inherited = v.type.lookup('__format__');
        const bound = inherited !== null ? bindDescriptor(it, inherited, v, v.type) : null;
        try {
            if (spec !== '' && it.profile.objectFormatRejectsSpec && v instanceof PyInstance) {
                throw it.error('TypeError', `unsupported format string passed to ${v.type.name}.__format__`);
            }
            return formatSpec(it, v, spec);
        } finally {
            if (bound !== null) it.decref(bound);
        }
    }
    return formatSpec(it, v, spec);
}
