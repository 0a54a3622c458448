/*
 * formatValue.ts
 *
 * format(value, spec): a user `__format__` wins; otherwise the built-in format spec rules.
 */

import { PyObject } from '../runtime/object';
import { PyStr } from '../runtime/values';
import { PyInstance } from '../runtime/instances';
import { PyFunction } from '../runtime/callables';
import type { Interpreter } from './interpreter';
import { callSpecial } from './calls';
import { lookupSpecial } from './attrs';
import { formatSpec } from './format';

export function formatValue(it: Interpreter, v: PyObject, spec: string): string {
    if (v instanceof PyInstance && lookupSpecial(it, v, '__format__') instanceof PyFunction) {
        const r = callSpecial(it, v, '__format__', [it.str(spec)])!;
        try {
            if (!(r instanceof PyStr)) throw it.error('TypeError', `__format__ must return a str, not ${r.type.name}`);
            return r.v;
        } finally {
            it.decref(r);
        }
    }
    return formatSpec(it, v, spec);
}
