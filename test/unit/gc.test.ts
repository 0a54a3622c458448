/*
 * gc.test.ts — unit tests for the cyclic collector (src/engine/gc/collector.ts).
 */
import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/engine/index';

function run(src: string, python = '3.13', maxSteps?: number): string {
    const r = simulate(src, { python, maxSteps });
    expect(r.errors).toEqual([]);
    return r.stdout;
}

describe('collector', () => {
    it('finds exactly the unreachable set', () => {
        const out = run(`import gc
class N(object):
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print('del', self.name)
gc.collect()
a = N('a'); b = N('b'); a.o = b; b.o = a
keep = N('keep'); keep.me = keep
c = N('c'); c.me = c
del a, b, c
print('collect', gc.collect())
print('again', gc.collect())
print(keep.name)
`);
        expect(out).toBe('del a\ndel b\ndel c\ncollect 3\nagain 0\nkeep\ndel keep\n');
    });

    it('counts instance dicts in <=3.10 (mechanistically: they are objects there)', () => {
        const src = `import gc
class P(object):
    pass
gc.collect()
x = P(); y = P(); x.o = y; y.o = x
del x, y
print(gc.collect())
`;
        expect(run(src, '3.10')).toBe('4\n');
        expect(run(src, '3.13')).toBe('2\n');
    });

    it('rescues to the tail: list traversal last->first, dict insertion order', () => {
        const out = run(`import gc
class N(object):
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print('del', self.name)
gc.collect()
a = N('a'); b = N('b'); c = N('c'); d = N('d'); e = N('e')
holder = [a, c, e]
keep = {4: d, 2: b}
del a, b, c, d, e
gc.collect()
ring = [holder[0], keep[2], holder[1], keep[4], holder[2]]
for i in range(5):
    ring[i].nxt = ring[(i + 1) % 5]
del ring, holder, keep
print('collect', gc.collect())
`);
        expect(out).toBe('del e\ndel c\ndel a\ndel d\ndel b\ncollect 5\n');
    });

    it('runs weakref callbacks before any __del__ and every __del__ before clearing', () => {
        const out = run(`import gc, weakref
class N(object):
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print('del', self.name, self.o.name)
def cb(r):
    print('cb')
gc.collect()
a = N('a'); b = N('b'); a.o = b; b.o = a
r = weakref.ref(a, cb)
del a, b
print('collect', gc.collect())
`);
        expect(out).toBe('cb\ndel a b\ndel b a\ncollect 2\n');
    });

    it('gc.collect() inside a collection returns 0', () => {
        const out = run(`import gc
class N(object):
    def __del__(self):
        print('inner', gc.collect())
gc.collect()
n = N(); n.me = n
del n
print('outer', gc.collect())
`);
        expect(out).toBe('inner 0\nouter 1\n');
    });

    it('the trashcan bounds recursion when a 300,000-object cycle is cleared', () => {
        const out = run(
            `import gc
gc.disable()
first = [None]
cur = first
for i in range(300000):
    nxt = [None]
    cur[0] = nxt
    cur = nxt
cur[0] = first
del first, cur, nxt
print(gc.collect())
`,
            '3.13',
            5_000_000,
        );
        expect(out).toBe('300001\n');
    });
});
