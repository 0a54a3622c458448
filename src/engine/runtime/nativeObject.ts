/*
 * nativeObject.ts
 *
 * Objects of C types whose behaviour the engine implements in TypeScript (the io classes): like a
 * C type, such an object gives its own repr (tp_repr) and, when it is an iterator, its own
 * tp_iter/tp_iternext. The interpreter's generic paths (format.ts repr, ops.ts getIter/iterNext)
 * ask these before giving up, so a new C type needs no new case there. A type with an instance
 * `__dict__` (tp_dictoffset) gives it through `instanceDict` (attrs.ts reads and stores there).
 */

import { PyObject } from './object';
import type { PyDict } from './containers';
import type { Interpreter } from '../interp/interpreter';

export abstract class NativeObject extends PyObject {
    /** tp_repr. */
    abstract reprText(it: Interpreter): string;

    /** Is tp_hash PyObject_HashNotImplemented (a mutable value type: bytearray)? Such objects are no dict key. */
    get hashNotImplemented(): boolean {
        return false;
    }

    /** The object an "unhashable type" error names (3.12+'s mappingproxy hashes its mapping). */
    unhashableAs(): PyObject {
        return this;
    }

    /** tp_str when the type has its own (null: the repr). */
    strText(_it: Interpreter): string | null {
        return null;
    }

    /** The instance `__dict__` if the type has one and it exists (tp_dictoffset). */
    existingDict(): PyDict | null {
        return null;
    }

    /** The instance `__dict__`, created on first use; null when the type has none (attribute stores then fail). */
    instanceDict(_it: Interpreter): PyDict | null {
        return null;
    }

    /** tp_iter: a new reference, or null when the type is not iterable. */
    nativeIter(_it: Interpreter): PyObject | null {
        return null;
    }

    /** tp_iternext: a new reference, or null when exhausted. Only called on what nativeIter returned. */
    nativeNext(_it: Interpreter): PyObject | null {
        return null;
    }
}
