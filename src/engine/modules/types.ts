/*
 * types.ts
 *
 * The `types` module (Lib/types.py, pure Python): names for the interpreter's own types, found
 * there as `type(...)` of a sample (`GeneratorType = type(_g())`, `FunctionType = type(_f)`). The
 * module holds the static type objects, so nothing it binds is ever freed. A name the profile's
 * `types` has (names/cpython-names.json) whose type the engine does not model is left out, and is
 * refused where it is used (`new_class`, `SimpleNamespace`, `MappingProxyType`…).
 */

import type { PyType } from '../runtime/types';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { namesFor } from '../names/table';

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
    return m;
}
