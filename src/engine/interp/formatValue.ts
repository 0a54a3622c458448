/*
 * formatValue.ts
 *
 * format(value, spec): a user `__format__` wins; otherwise the built-in format spec rules.
 */

import { PyObject } from '../runtime/object';
import { PyStr } from '../runtime/values';
import { PyInstance } from '../runtime/instances';
import type { Interpreter } from './interpreter';
import { userMethod, callMethod } from './slots';
import { formatSpec } from './format';

export function formatValue(it: Interpreter, v: PyObject, spec: string): string {
    if (v.type.isHeap || v instanceof PyInstance) {
        const m = userMethod(it, v, '__format__');
        if (m !== null) {
            const r = callMethod(it, m, v, [it.str(spec)]);
            try {
                if (!(r instanceof PyStr)) throw it.error('TypeError', `__format__ must return a str, not ${r.type.name}`);
                return r.v;
            } finally {
                it.decref(r);
            }
        }
        // object.__format__: str(self), and (3.4+) no format spec at all.
        if (spec !== '' && it.profile.objectFormatRejectsSpec && v instanceof PyInstance) {
            throw it.error('TypeError', `unsupported format string passed to ${v.type.name}.__format__`);
        }
    }
    return formatSpec(it, v, spec);
}
