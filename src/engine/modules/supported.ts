/*
 * The modules a scenario may import. Everything else is reported as
 * "not supported in scenarios yet: import X" at the import statement.
 * `__builtin__` is 2.7's name for `builtins`; `__future__` only carries flags.
 */
export const SUPPORTED_MODULES: ReadonlySet<string> = new Set([
    '__future__',
    'gc',
    'sys',
    'atexit',
    'weakref',
    'builtins',
    '__builtin__',
    'os',
    'io',
    'functools',
    'collections',
    'contextlib',
    'threading',
    '_thread',
    'thread',
    'queue',
    'Queue',
    'time',
    'itertools',
    'types',
    'copy',
    'json',
    'random',
    'typing',
    'logging',
    'traceback',
    'concurrent',
    'operator',
    'warnings',
]);
