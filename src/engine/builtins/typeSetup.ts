/*
 * typeSetup.ts
 *
 * Creates the built-in (static) type objects. They are atomic: never counted, never freed,
 * like CPython's static types. Their methods are installed by builtins/methods.ts.
 */

import { PyType, type Layout } from '../runtime/types';
import { PyDict } from '../runtime/containers';

export const EXCEPTION_TREE: [string, string][] = [
    ['Exception', 'BaseException'],
    ['SystemExit', 'BaseException'],
    ['KeyboardInterrupt', 'BaseException'],
    ['GeneratorExit', 'BaseException'],
    ['ArithmeticError', 'Exception'],
    ['ZeroDivisionError', 'ArithmeticError'],
    ['OverflowError', 'ArithmeticError'],
    ['LookupError', 'Exception'],
    ['KeyError', 'LookupError'],
    ['IndexError', 'LookupError'],
    ['ValueError', 'Exception'],
    ['UnicodeError', 'ValueError'],
    ['TypeError', 'Exception'],
    ['AttributeError', 'Exception'],
    ['NameError', 'Exception'],
    ['UnboundLocalError', 'NameError'],
    ['RuntimeError', 'Exception'],
    ['RecursionError', 'RuntimeError'],
    ['NotImplementedError', 'RuntimeError'],
    ['StopIteration', 'Exception'],
    ['AssertionError', 'Exception'],
    ['ImportError', 'Exception'],
    ['ModuleNotFoundError', 'ImportError'],
    ['OSError', 'Exception'],
    ['ReferenceError', 'Exception'],
    ['MemoryError', 'Exception'],
    ['Warning', 'Exception'],
    ['UserWarning', 'Warning'],
    ['DeprecationWarning', 'Warning'],
    ['ResourceWarning', 'Warning'],
    ['RuntimeWarning', 'Warning'],
];

const PLAIN_TYPES: [string, Layout][] = [
    ['int', 'int'],
    ['float', 'float'],
    ['complex', 'complex'],
    ['str', 'str'],
    ['bytes', 'bytes'],
    ['NoneType', 'none'],
    ['ellipsis', 'ellipsis'],
    ['NotImplementedType', 'notimplemented'],
    ['list', 'list'],
    ['tuple', 'tuple'],
    ['dict', 'dict'],
    ['set', 'set'],
    ['frozenset', 'frozenset'],
    ['function', 'function'],
    ['builtin_function_or_method', 'builtin'],
    ['method', 'method'],
    ['cell', 'cell'],
    ['module', 'module'],
    ['frame', 'frame'],
    ['traceback', 'traceback'],
    ['code', 'code'],
    ['list_iterator', 'iterator'],
    ['list_reverseiterator', 'iterator'],
    ['tuple_iterator', 'iterator'],
    ['str_iterator', 'iterator'],
    ['set_iterator', 'iterator'],
    ['dict_keyiterator', 'iterator'],
    ['dict_valueiterator', 'iterator'],
    ['dict_itemiterator', 'iterator'],
    ['dict_keys', 'iterator'],
    ['dict_values', 'iterator'],
    ['dict_items', 'iterator'],
    ['range', 'range'],
    ['range_iterator', 'iterator'],
    ['enumerate', 'iterator'],
    ['zip', 'iterator'],
    ['reversed', 'iterator'],
    ['slice', 'slice'],
    ['property', 'property'],
    ['staticmethod', 'staticmethod'],
    ['classmethod', 'classmethod'],
    ['super', 'super'],
    ['weakref', 'weakref'],
    ['weakproxy', 'weakref'],
    ['native', 'native'],
];

export type TypeName =
    | 'type'
    | 'object'
    | 'bool'
    | 'BaseException'
    | (typeof PLAIN_TYPES)[number][0];

export type BuiltinTypes = Record<string, PyType> & {
    type: PyType;
    object: PyType;
    bool: PyType;
    BaseException: PyType;
};

/** `typeNames`: the profile's names for types that a version calls differently (2.7 `instancemethod`). */
export function createBuiltinTypes(typeNames: Readonly<Record<string, string>> = {}): BuiltinTypes {
    const types: Record<string, PyType> = {};
    // Bootstrap: `type` and `dict` refer to each other; patch after construction.
    const mk = (name: string, base: PyType | null, layout: Layout): PyType => {
        const dict = new PyDict(null as unknown as PyType);
        dict.namespace = true;
        const t = new PyType(types.type ?? null, typeNames[name] ?? name, base, dict, layout, false);
        t.mro = base ? [t, ...base.mro] : [t];
        types[name] = t;
        return t;
    };
    const object = mk('object', null, 'object');
    const type = mk('type', object, 'type');
    type.type = type;
    object.type = type;
    for (const [name, layout] of PLAIN_TYPES) mk(name, object, layout);
    mk('bool', types.int, 'bool');
    mk('BaseException', object, 'exception');
    for (const [name, base] of EXCEPTION_TREE) mk(name, types[base], 'exception');
    for (const t of Object.values(types)) t.dict.type = types.dict;
    return types as BuiltinTypes;
}
