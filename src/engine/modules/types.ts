/*
 * types.ts
 *
 * The `types` module (Lib/types.py, pure Python): names for the interpreter's own types, found
 * there as `type(...)` of a sample (`GeneratorType = type(_g())`, `FunctionType = type(_f)`). The
 * module holds the static type objects, so nothing it binds is ever freed. A name the profile's
 * `types` has (names/cpython-names.json) whose type the engine does not model is left out, and is
 * refused where it is used (`new_class`…).
 *
 * `SimpleNamespace` (3.3+, Objects/namespaceobject.c): a GC-tracked object whose only state is its
 * `__dict__`, made with it and filled from the keywords; `==` compares the dicts, it is
 * unhashable, and its repr lists the attributes (`namespace(a=1, b=V(x))`, sorted by name on 3.8,
 * in the dict's order since; `namespace(...)` inside itself). Positional arguments (3.13's mapping)
 * and subclasses are refused.
 */

import type { PyType } from '../runtime/types';
import type { PyModule } from '../runtime/frames';
import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyDict } from '../runtime/containers';
import { PyStr } from '../runtime/values';
import { PyExtObject } from '../runtime/extobject';
import type { Interpreter } from '../interp/interpreter';
import { repr } from '../interp/format';
import { unsupportedAt } from '../names/refuse';
import { mappingProxyType } from '../builtins/mappingproxy';
import { namesFor } from '../names/table';
import { stdType } from './stdTypes';

/** A types.SimpleNamespace: its `__dict__` (ns_dict), made with the object. */
class Namespace extends PyExtObject {
    override get hasDict(): boolean {
        return true;
    }
    override get hashNotImplemented(): boolean {
        return true;
    }
    /** namespace_richcompare: two namespaces are equal when their dicts are. */
    override get comparedItems(): readonly PyObject[] | null {
        return this.attrs ? [this.attrs] : null;
    }
    override traverse(visit: Visit): void {
        this.visitAttrs(visit);
    }
    override clear(r: Refs): void {
        this.clearAttrs(r);
    }
}

function createSimpleNamespace(it: Interpreter): PyType {
    const sorted = it.profile.stdlib.namespaceReprSorted;
    const t: PyType = stdType(it, {
        name: 'SimpleNamespace',
        module: 'types',
        ctor: (args, kwargs) => {
            if (args.length) throw unsupportedAt(it, 'types.SimpleNamespace with positional arguments');
            const o = it.heap.register(new Namespace(t));
            const d = o.instanceDict(it)!;
            for (const [k, v] of kwargs ?? []) d.set(it.heap, it.str(k), v);
            return o;
        },
        repr: (self, seen) => {
            if (seen.has(self)) return 'namespace(...)';
            seen.add(self);
            try {
                const d = (self as Namespace).attrs as PyDict;
                let entries = Array.from(d.entries()).filter((e) => e.k instanceof PyStr);
                if (sorted) entries = [...entries].sort((a, b) => ((a.k as PyStr).v < (b.k as PyStr).v ? -1 : (a.k as PyStr).v > (b.k as PyStr).v ? 1 : 0));
                return `namespace(${entries.map((e) => `${(e.k as PyStr).v}=${repr(it, e.v, seen)}`).join(', ')})`;
            } finally {
                seen.delete(self);
            }
        },
    });
    return t;
}

/** types.NAME -> the engine's built-in type of that name (T key), per the names CPython gives them. */
const TYPE_NAMES: Record<string, string> = {
    FunctionType: 'function',
    LambdaType: 'function',
    CodeType: 'code',
    GeneratorType: 'generator',
    MethodType: 'method',
    UnboundMethodType: 'method',
    BuiltinFunctionType: 'builtin_function_or_method',
    BuiltinMethodType: 'builtin_function_or_method',
    ModuleType: 'module',
    TracebackType: 'traceback',
    FrameType: 'frame',
    CellType: 'cell',
    NoneType: 'NoneType',
    EllipsisType: 'ellipsis',
    NotImplementedType: 'NotImplementedType',
    // 2.7's aliases of the built-in types.
    TypeType: 'type',
    ObjectType: 'object',
    IntType: 'int',
    FloatType: 'float',
    BooleanType: 'bool',
    ComplexType: 'complex',
    StringType: 'str',
    TupleType: 'tuple',
    ListType: 'list',
    DictType: 'dict',
    DictionaryType: 'dict',
    SliceType: 'slice',
    XRangeType: 'range',
};

export function createTypesModule(it: Interpreter): PyModule {
    const m = it.newModule('types');
    const recorded = namesFor(it.profile.name).modules.get('types');
    for (const [name, key] of Object.entries(TYPE_NAMES)) {
        if (!recorded?.has(name)) continue;
        const t = (it.T as Record<string, PyType | undefined>)[key];
        if (t) m.dict.set(it.heap, it.str(name), t);
    }
    if (recorded?.has('SimpleNamespace')) m.dict.set(it.heap, it.str('SimpleNamespace'), createSimpleNamespace(it));
    // types.MappingProxyType = type(type.__dict__) (2.7: DictProxyType).
    for (const name of ['MappingProxyType', 'DictProxyType']) if (recorded?.has(name)) m.dict.set(it.heap, it.str(name), mappingProxyType(it));
    return m;
}
