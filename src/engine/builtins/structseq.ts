/*
 * structseq.ts
 *
 * Objects/structseq.c: the named tuples of C (sys.version_info, …). A struct sequence type is a
 * static subclass of tuple whose fields are also read-only attributes, with its own repr
 * (`sys.version_info(major=3, minor=13, …)`) and the n_fields / n_sequence_fields /
 * n_unnamed_fields class attributes.
 */

import { ObjFlag, type PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyDict, PyTuple, indexLabel } from '../runtime/containers';
import { PyProperty } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import { repr } from '../interp/format';

const FIELDS = new WeakMap<PyType, readonly string[]>();

/** A struct sequence type `module.name` with these fields (PyStructSequence_NewType). */
export function newStructSeqType(it: Interpreter, module: string, name: string, fields: readonly string[]): PyType {
    const d = new PyDict(it.T.dict);
    d.namespace = true;
    const t = new PyType(it.T.type, name, it.T.tuple, d, 'tuple', false);
    t.mro = [t, ...it.T.tuple.mro];
    t.module = module;
    t.id = it.heap.newId();
    fields.forEach((f, i) => {
        const getter = it.builtin(f, (_self, args) => it.incref((args[0] as PyTuple).items[i]));
        const p = new PyProperty(it.T.property, getter, null, null);
        p.id = it.heap.newId();
        p.flags |= ObjFlag.Atomic; // static, like the type
        d.set(it.heap, it.str(f), p);
    });
    for (const [k, n] of [['n_fields', fields.length], ['n_sequence_fields', fields.length], ['n_unnamed_fields', 0]] as const) d.set(it.heap, it.str(k), it.int(n));
    FIELDS.set(t, fields);
    return t;
}

/** A new struct sequence of type `t` (PyStructSequence_New); takes the value references. */
export function newStructSeq(it: Interpreter, t: PyType, values: PyObject[]): PyTuple {
    const tup = it.heap.register(new PyTuple(t, values));
    values.forEach((v, i) => it.heap.adopt(tup, v, indexLabel(i)));
    return tup;
}

/** structseq_repr, or null when `o` is not a struct sequence. */
export function structSeqRepr(it: Interpreter, o: PyTuple): string | null {
    const fields = FIELDS.get(o.type);
    if (!fields) return null;
    const parts = fields.map((f, i) => `${f}=${repr(it, o.items[i])}`);
    return `${o.type.module}.${o.type.name}(${parts.join(', ')})`;
}
