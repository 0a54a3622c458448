/*
 * messages.ts
 *
 * Error messages whose wording changed between CPython versions, in one table: each message lists
 * the wordings in force from a given version on. The engine asks `msg(profile, id, …args)`; it
 * never tests a version number to choose words.
 */

import type { Profile } from './profiles';

type Template = (...a: string[]) => string;

/** [first version the wording applies to ('2.7' | '3.8' | …), template], oldest first. */
const TABLE: Record<string, [string, Template][]> = {
    /** A source byte the default encoding cannot decode: (byte as \\xNN, file, line) */
    nonAsciiSource: [['2.7', (b, f, l) => `Non-ASCII character '${b}' in file ${f} on line ${l}, but no encoding declared; see http://python.org/dev/peps/pep-0263/ for details`]],
    nonUtf8Source: [
        ['3.8', (b, f, l) => `Non-UTF-8 code starting with '${b}' in file ${f} on line ${l}, but no encoding declared; see http://python.org/dev/peps/pep-0263/ for details`],
        ['3.11', (b, f, l) => `Non-UTF-8 code starting with '${b}' in file ${f} on line ${l}, but no encoding declared; see https://peps.python.org/pep-0263/ for details`],
    ],
    unboundLocal: [
        ['2.7', (n) => `local variable '${n}' referenced before assignment`],
        ['3.11', (n) => `cannot access local variable '${n}' where it is not associated with a value`],
    ],
    unboundFree: [
        ['2.7', (n) => `free variable '${n}' referenced before assignment in enclosing scope`],
        ['3.11', (n) => `cannot access free variable '${n}' where it is not associated with a value in enclosing scope`],
    ],
    globalNotDefined: [
        ['2.7', (n) => `global name '${n}' is not defined`],
        ['3.8', (n) => `name '${n}' is not defined`],
    ],
    nameNotDefined: [['2.7', (n) => `name '${n}' is not defined`]],
    tooManyToUnpack: [
        ['2.7', () => 'too many values to unpack'],
        ['3.8', (n) => `too many values to unpack (expected ${n})`],
    ],
    notEnoughToUnpack: [
        ['2.7', (n, got) => `need more than ${got} value${got === '1' ? '' : 's'} to unpack`],
        ['3.8', (n, got) => `not enough values to unpack (expected ${n}, got ${got})`],
    ],
    /** (type name, '1' when 2.7 reaches PySequence_GetItem: a type with sequence slots, an index key) */
    /** PyByteArray_Concat / bytearray_iconcat with an operand that exports no buffer: (left type, right type) */
    bytearrayConcat: [
        ['2.7', (a, b) => `can't concat ${a} to ${b}`],
        ['3.8', (a, b) => `can't concat ${b} to ${a}`],
    ],
    /** A bytearray subscript that is neither an int nor a slice: (key type) */
    bytearrayIndices: [
        ['2.7', () => 'bytearray indices must be integers'],
        ['3.8', (t) => `bytearray indices must be integers or slices, not ${t}`],
    ],
    /** FileIO.readinto of an object that is no writable buffer: (type) */
    fileioReadintoArg: [
        ['3.8', (t) => `readinto() argument must be read-write bytes-like object, not ${t}`],
        ['3.12', (t) => `readinto() argument 1 must be read-write bytes-like object, not ${t}`],
    ],
    /** BufferedReader.readinto of an object that is no writable buffer: (type) */
    bufferedReadintoArg: [['3.8', (t) => `readinto() argument must be read-write bytes-like object, not ${t}`]],
    /** 3.8/3.9 complex_int_div and complex_remainder (3.10+: the generic unsupported-operand TypeError). */
    complexFloorDiv: [['3.8', () => "can't take floor of complex number."]],
    complexMod: [['3.8', () => "can't mod complex numbers."]],
    /** int() / float() of a complex: (target type) */
    complexConvert: [
        ['3.8', (t) => `can't convert complex to ${t}`],
        ['3.10', (t) => (t === 'int' ? "int() argument must be a string, a bytes-like object or a real number, not 'complex'" : "float() argument must be a string or a real number, not 'complex'")],
    ],
    /** best_base: two bases whose instance layouts cannot be combined (2.7's build_class prefixes a metaclass's TypeError). */
    layoutConflict: [
        ['2.7', () => 'Error when calling the metaclass bases\n    multiple bases have instance lay-out conflict'],
        ['3.8', () => 'multiple bases have instance lay-out conflict'],
    ],
    notSubscriptable: [
        ['2.7', (t, seq) => (seq === '1' ? `'${t}' object does not support indexing` : `'${t}' object has no attribute '__getitem__'`)],
        ['3.8', (t) => `'${t}' object is not subscriptable`],
    ],
    /** Too few positional arguments: (function, missing count, names list, takes) */
    missingPositional: [
        ['2.7', (f, _n, _names, takes, given) => `${f} takes exactly ${takes} argument${takes === '1' ? '' : 's'} (${given} given)`],
        ['3.8', (f, n, names) => `${f} missing ${n} required positional argument${n === '1' ? '' : 's'}: ${names}`],
    ],
    /**
     * A function with no parameters at all (no *args, no **kwargs) given any argument: 2.7's
     * PyEval_EvalCodeEx checks this first, counting keyword arguments too; 3.x has no such check
     * (the generic messages below apply): (function, given) → '' there.
     */
    functionTakesNoArguments: [
        ['2.7', (f, given) => `${f} takes no arguments (${given} given)`],
        ['3.8', () => ''],
    ],
    /** Too many positional arguments: (function, takes range, given, takes, hasDefaults, plural, keyword count); 2.7 counts the keywords as given */
    tooManyPositional: [
        ['2.7', (f, _range, given, takes, hasDefaults, _plural, kwcount) => `${f} takes ${hasDefaults === '1' ? 'at most' : 'exactly'} ${takes} argument${takes === '1' ? '' : 's'} (${Number(given) + Number(kwcount)} given)`],
        ['3.8', (f, range, given, _takes, _d, plural) => `${f} takes ${range} positional argument${plural === '1' ? 's' : ''} but ${given} ${given === '1' ? 'was' : 'were'} given`],
    ],
    reraiseNothing: [
        ['2.7', () => 'exceptions must be old-style classes or derived from BaseException, not NoneType'],
        ['3.8', () => 'No active exception to reraise'],
    ],
    /** int <-> str over sys.get_int_max_str_digits(): (limit) and (limit, digits) */
    intStrLimit: [
        ['2.7', (l) => `Exceeds the limit (${l}) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`],
        ['3.11', (l) => `Exceeds the limit (${l} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`],
    ],
    strIntLimit: [
        ['2.7', (l, n) => `Exceeds the limit (${l}) for integer string conversion: value has ${n} digits; use sys.set_int_max_str_digits() to increase the limit`],
        ['3.11', (l, n) => `Exceeds the limit (${l} digits) for integer string conversion: value has ${n} digits; use sys.set_int_max_str_digits() to increase the limit`],
    ],
    /** PyArg "i" / clinic int of a float */
    intArgGotFloat: [
        ['2.7', () => 'integer argument expected, got float'],
        ['3.10', () => "'float' object cannot be interpreted as an integer"],
    ],
    /** sys.setrecursionlimit below 1 */
    recursionLimitTooLow: [
        ['2.7', () => 'recursion limit must be positive'],
        ['3.8', () => 'recursion limit must be greater or equal than 1'],
    ],
    /** gc.set_threshold with a wrong argument count: (count given) */
    setThresholdArity: [
        ['2.7', (n) => (n === '0' ? 'set_threshold() takes at least 1 argument (0 given)' : `set_threshold() takes at most 3 arguments (${n} given)`)],
        ['3.13', () => 'gc.set_threshold requires 1 to 3 arguments'],
    ],
    /** ternary_op when no operand's nb_power applies: (base, exp, mod type names) */
    ternaryPowOperands: [
        ['2.7', (a, b, c) => `unsupported operand type(s) for pow(): '${a}', '${b}', '${c}'`],
        ['3.10', (a, b, c) => `unsupported operand type(s) for ** or pow(): '${a}', '${b}', '${c}'`],
    ],
    /** PyLong_AsDouble of an int beyond the float range. */
    intTooLargeForFloat: [
        ['2.7', () => 'long int too large to convert to float'],
        ['3.8', () => 'int too large to convert to float'],
    ],
    /** long_true_divide with a quotient beyond the float range. */
    intDivisionTooLarge: [
        ['2.7', () => 'long/long too large for a float'],
        ['3.8', () => 'integer division result too large for a float'],
    ],
    indexOverflow: [
        ['2.7', () => "cannot fit 'long' into an index-sized integer"],
        ['3.8', () => "cannot fit 'int' into an index-sized integer"],
    ],
    intDivisionByZero: [['2.7', () => 'integer division or modulo by zero']],
    intModuloByZero: [
        ['2.7', () => 'integer division or modulo by zero'],
        ['3.11', () => 'integer modulo by zero'],
    ],
    trueDivisionByZero: [
        ['2.7', () => 'integer division or modulo by zero'],
        ['3.8', () => 'division by zero'],
    ],
    strConcat: [
        ['2.7', (t) => `cannot concatenate 'str' and '${t}' objects`],
        ['3.8', (t) => `can only concatenate str (not "${t}") to str`],
    ],
    propertyNoSetter: [
        ['2.7', () => "can't set attribute"],
        ['3.10', (n) => `can't set attribute '${n}'`],
        ['3.11', (n, t) => `property '${n}' of '${t}' object has no setter`],
    ],
    propertyNoDeleter: [
        ['2.7', () => "can't delete attribute"],
        ['3.11', (n, t) => `property '${n}' of '${t}' object has no deleter`],
    ],
    noAttributeNoDict: [
        ['2.7', (t, n) => `'${t}' object has no attribute '${n}'`],
        ['3.13', (t, n) => `'${t}' object has no attribute '${n}' and no __dict__ for setting new attributes`],
    ],
    /** (type name, '1' if __enter__ is missing, '1' if __exit__ is missing): 2.7's SETUP_WITH looks up __exit__ first. */
    notContextManager: [
        ['2.7', (_t, noEnter, noExit) => (noExit === '1' ? '__exit__' : '__enter__')],
        ['3.8', (_t, noEnter) => (noEnter === '1' ? '__enter__' : '__exit__')],
        ['3.11', (t) => `'${t}' object does not support the context manager protocol`],
    ],
    moduleNoAttribute: [
        ['2.7', (_m, n) => `'module' object has no attribute '${n}'`],
        ['3.8', (m, n) => `module '${m}' has no attribute '${n}'`],
    ],
    emptyMinMax: [
        ['2.7', (f) => `${f}() arg is an empty sequence`],
        ['3.12', (f) => `${f}() iterable argument is empty`],
    ],
    /** _PyArg_NoKeywords: (2.7's name: `reversed()`, tp_name `exceptions.ValueError`; 3.x's: `reversed`, `ValueError`). */
    excNoKeywords: [
        ['2.7', (f27) => `${f27} does not take keyword arguments`],
        ['3.8', (_f27, f3) => `${f3}() takes no keyword arguments`],
    ],
    /** A METH_O method called with another number of arguments: (name, qualname, given); 3.9+ name the method by its qualname (_PyObject_FunctionStr). */
    methodOneArgument: [
        ['2.7', (n, _q, g) => `${n}() takes exactly one argument (${g} given)`],
        ['3.9', (_n, q, g) => `${q}() takes exactly one argument (${g} given)`],
    ],
    /** A METH_NOARGS method called with arguments: (name, qualname, given). */
    methodNoArguments: [
        ['2.7', (n, _q, g) => `${n}() takes no arguments (${g} given)`],
        ['3.9', (_n, q, g) => `${q}() takes no arguments (${g} given)`],
    ],
    /** Keywords given to a METH_O or METH_NOARGS method: (name, qualname). */
    methodNoKeywords: [
        ['2.7', (n) => `${n}() takes no keyword arguments`],
        ['3.9', (_n, q) => `${q}() takes no keyword arguments`],
    ],
    /** Keywords given to a METH_VARARGS method (_PyArg_NoKeywords until 3.10, the method's qualname since): (name, qualname). */
    varargsNoKeywords: [
        ['2.7', (n) => `${n}() takes no keyword arguments`],
        ['3.11', (_n, q) => `${q}() takes no keyword arguments`],
    ],
    /** A keyword a C function does not know: (function, keyword, suggestion ". Did you mean 'x'?" or ''). */
    badKeyword: [
        ['2.7', (_f, k) => `'${k}' is an invalid keyword argument for this function`],
        ['3.8', (f, k) => `'${k}' is an invalid keyword argument for ${f}()`],
        ['3.13', (f, k, hint) => `${f}() got an unexpected keyword argument '${k}'${hint}`],
    ],
    /** gen.throw() of something that is not an exception: (type name) */
    throwNotException: [
        ['2.7', (t) => `exceptions must be classes, or instances, not ${t}`],
        ['3.8', (t) => `exceptions must be classes or instances deriving from BaseException, not ${t}`],
    ],
    /** A `__len__` (or `__index__`-like) result that is not an int: (type) */
    notAnInteger: [
        ['2.7', () => 'an integer is required'],
        ['3.8', (t) => `'${t}' object cannot be interpreted as an integer`],
    ],
    hashNotInt: [
        ['2.7', () => 'an integer is required'],
        ['3.8', () => '__hash__ method should return an integer'],
    ],
    /** PyArg_UnpackTuple: (function, '' | 'at least ' | 'at most ', count, given). */
    unpackCount: [
        ['2.7', (f, which, n, got) => `${f} expected ${which}${n} arguments, got ${got}`],
        ['3.8', (f, which, n, got) => `${f} expected ${which}${n} argument${n === '1' ? '' : 's'}, got ${got}`],
    ],
    /** A required argument missing (getargs / Argument Clinic): (function, name, position). */
    missingArg: [
        ['2.7', (_f, name, pos) => `Required argument '${name}' (pos ${pos}) not found`],
        ['3.8', (f, name, pos) => `${f}() missing required argument '${name}' (pos ${pos})`],
        ['3.11', (f, name) => `${f}() missing required argument '${name}'`],
    ],
    /** (function, most, given) */
    takesAtMost: [['2.7', (f, n, got) => `${f}() takes at most ${n} arguments (${got} given)`]],
    /** zip(**kwargs): no keywords before `strict` (3.10), then a keyword zip does not know. (keyword, suggestion) */
    zipKeyword: [
        ['2.7', () => 'zip() takes no keyword arguments'],
        ['3.10', (k) => `'${k}' is an invalid keyword argument for zip()`],
        ['3.13', (k, hint) => `zip() got an unexpected keyword argument '${k}'${hint}`],
    ],
    notAnIndex: [
        ['2.7', (t) => `'${t}' object cannot be interpreted as an index`],
        ['3.8', (t) => `'${t}' object cannot be interpreted as an integer`],
    ],
    notAnIterator: [
        ['2.7', (t) => `${t} object is not an iterator`],
        ['3.8', (t) => `'${t}' object is not an iterator`],
    ],
    typeNotSubscriptable: [
        ['2.7', () => "'type' object has no attribute '__getitem__'"],
        ['3.8', () => `'type' object is not subscriptable`],
        ['3.11', (t) => `type '${t}' is not subscriptable`],
    ],
    initSubclassNoKeywords: [
        ['2.7', () => '__init_subclass__() takes no keyword arguments'],
        ['3.9', (cls) => `${cls}.__init_subclass__() takes no keyword arguments`],
    ],
    iterNotCallable: [
        ['2.7', () => 'iter(v, w): v must be callable'],
        ['3.12', () => 'iter(object, sentinel): object must be callable'],
        ['3.13', () => 'iter(v, w): v must be callable'],
    ],
    notReversible: [
        ['2.7', () => 'argument to reversed() must be a sequence'],
        ['3.8', (t) => `'${t}' object is not reversible`],
    ],
    mapTooFewArgs: [
        ['2.7', () => 'map() requires at least two args'],
        ['3.8', () => 'map() must have at least two arguments.'],
    ],
    takesNoArguments: [
        ['2.7', () => 'object() takes no parameters'],
        ['3.8', (t) => `${t}() takes no arguments`],
    ],
};

/** The exception class raised where the type of error itself changed between versions. */
const TYPE_TABLE: Record<string, [string, string][]> = {
    /** Py_EnterRecursiveCall: RecursionError is 3.5+. */
    recursion: [
        ['2.7', 'RuntimeError'],
        ['3.8', 'RecursionError'],
    ],
    /** A failed import: ModuleNotFoundError is 3.6+. */
    moduleNotFound: [
        ['2.7', 'ImportError'],
        ['3.8', 'ModuleNotFoundError'],
    ],
    notContextManager: [
        ['2.7', 'AttributeError'],
        ['3.11', 'TypeError'],
    ],
};

function rank(v: string): number {
    const [a, b] = v.split('.').map(Number);
    return a * 100 + b;
}

function pick<T>(profile: Profile, rows: [string, T][]): T {
    const r = profile.major * 100 + profile.minor;
    let chosen = rows[0][1];
    for (const [since, t] of rows) if (rank(since) <= r) chosen = t;
    return chosen;
}

export function msg(profile: Profile, id: keyof typeof TABLE, ...args: (string | number)[]): string {
    return pick(profile, TABLE[id])(...args.map(String));
}

export function errorType(profile: Profile, id: keyof typeof TYPE_TABLE): string {
    return pick(profile, TYPE_TABLE[id]);
}
