import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/engine';

describe('standard-library names the engine does not model yet', () => {
    it('stop the run with the unsupported error at their line, not an AttributeError', () => {
        const cases: [string, string, number][] = [
            ['import functools\n\n@functools.singledispatch\ndef f(x):\n    pass\n', 'functools.singledispatch', 3],
            ['import itertools\nx = 1\nitertools.pairwise([1, 2])\n', 'itertools.pairwise', 3],
            ['from collections import UserDict\n', 'collections.UserDict', 1],
            ['import collections\nd = collections.deque()\nd.insert(0, 1)\n', 'deque.insert', 3],
            ['import contextlib\nwith contextlib.AsyncExitStack():\n    pass\n', 'contextlib.AsyncExitStack', 2],
            ['import operator\nx = [1]\nprint(operator.length_hint(x))\n', 'operator.length_hint', 3],
            ['import warnings\nwarnings.filterwarnings("ignore", message="old.*")\n', 'warnings.filterwarnings with a message or module pattern (regular expressions)', 2],
            ['import warnings\nwarnings.warn_explicit("m", UserWarning, "f", 1)\n', 'warnings.warn_explicit', 2],
        ];
        for (const [src, what, line] of cases) {
            const r = simulate(src, { python: '3.13' });
            expect(r.errors.map((e) => [e.kind, e.message, e.line])).toEqual([['unsupported', `not supported in scenarios yet: ${what}`, line]]);
            expect(r.stderr).not.toMatch(/AttributeError/);
        }
    });

    it('leave a name the real module lacks to CPython\'s AttributeError', () => {
        const r = simulate('import functools\nprint(functools.nope)\n', { python: '3.13' });
        expect(r.errors).toEqual([]);
        expect(r.stderr).toMatch(/AttributeError: module 'functools' has no attribute 'nope'/);
        // 2.7 has no lru_cache at all: CPython's own AttributeError.
        const r27 = simulate('import functools\nfunctools.lru_cache\n', { python: '2.7' });
        expect(r27.errors).toEqual([]);
        expect(r27.stderr).toMatch(/AttributeError: 'module' object has no attribute 'lru_cache'/);
    });
});
