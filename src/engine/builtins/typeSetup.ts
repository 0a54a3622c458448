/*
 * typeSetup.ts
 *
 * Creates the built-in (static) type objects. They are atomic: never counted, never freed,
 * like CPython's static types. Their methods are installed by builtins/methods.ts.
 */

import { PyType, type Layout } from '../runtime/types';
import { PyDict } from '../runtime/containers';
import type { Profile } from '../profiles';
import { namesFor } from '../names/table';
import { createExceptionTypes } from './exceptions';

const PLAIN_TYPES: [string, Layout][] = [
    ['int', 'int'],
    ['float', 'float'],
    ['complex', 'complex'],
    ['str', 'str'],
    ['bytes', 'bytes'],
    ['bytearray', 'native'],
    ['bytearray_iterator', 'native'],
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
    // An unbound method of a built-in type (`str.join`), a slot wrapper (`object.__init__`) and one
    // bound to an object (`(1).__add__`): the types CPython gives them (descrobject.c).
    ['method_descriptor', 'builtin'],
    ['wrapper_descriptor', 'builtin'],
    ['method-wrapper', 'builtin'],
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
    ['str_ascii_iterator', 'iterator'],
    ['set_iterator', 'iterator'],
    ['dict_keyiterator', 'iterator'],
    ['dict_valueiterator', 'iterator'],
    ['dict_itemiterator', 'iterator'],
    ['dict_keys', 'iterator'],
    ['dict_values', 'iterator'],
    ['dict_items', 'iterator'],
    ['range', 'range'],
    ['range_iterator', 'iterator'],
    ['longrange_iterator', 'iterator'],
    ['generator', 'generator'],
    ['iterator', 'iterator'],
    ['dict_reversekeyiterator', 'iterator'],
    ['dict_reversevalueiterator', 'iterator'],
    ['dict_reverseitemiterator', 'iterator'],
    ['enumerate', 'iterator'],
    ['zip', 'iterator'],
    ['reversed', 'iterator'],
    ['map', 'iterator'],
    ['filter', 'iterator'],
    ['callable_iterator', 'iterator'],
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

/**
 * The profile's built-in types: the engine's own list above (named as the profile names them:
 * 2.7 `instancemethod`), and every exception class the profile's interpreter defines, with its
 * recorded MRO (builtins/exceptions.ts). Each type's `__module__` is the recorded one.
 */
export function createBuiltinTypes(profile: Profile): BuiltinTypes {
    const typeNames = profile.typeNames;
    const names = namesFor(profile.name);
    const types: Record<string, PyType> = {};
    // Bootstrap: `type` and `dict` refer to each other; patch after construction.
    const mk = (name: string, base: PyType | null, layout: Layout): PyType => {
        const dict = new PyDict(null as unknown as PyType);
        dict.namespace = true;
        const t = new PyType(types.type ?? null, typeNames[name] ?? name, base, dict, layout, false);
        t.mro = base ? [t, ...base.mro] : [t];
        const module = names.types.get(t.name)?.module;
        if (module) t.module = module;
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
    createExceptionTypes(
        names,
        (name, base, mro) => {
            const t = mk(name, base, 'exception');
            t.mro = mro.map((k) => (k === name ? t : types[k]));
            return t;
        },
        types,
    );
    for (const t of Object.values(types)) t.dict.type = types.dict;
    return types as BuiltinTypes;
}
