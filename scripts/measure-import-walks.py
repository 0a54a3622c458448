# Measures how importing a module that runs a lot of Python code (weakref, os) walks through the
# free lists of CPython 3.8-3.13 (src/engine/runtime/freelists.ts FreeListWalk; profiles.ts
# FREE_LISTS `walks`). For each kind with a free list (list, dict, tuples of 1-19 items) the
# import allocates and frees in an order that does not depend on how full the list is; what does
# depend on it is how many of its allocations the list cannot supply (fresh objects: the gen0
# count rises by one each) and how full the list is afterwards. Both follow from two numbers:
#   empty: how many free objects of the kind there are after the import when the list started
#          empty (it draws the list empty at some point and ends this much above zero), and
#   depth: how far below its starting occupancy the import draws the list at most (a start at or
#          above `depth` never runs dry): fresh allocations = max(0, depth - start); afterwards
#          the list holds max(start + empty - depth, empty).
# Method (python -S, gc disabled, PYTHONHASHSEED=0): after the imports before it, drain every list
# (keep 200 lists and dicts and 400 tuples of each size alive), import, and read the lists with
# sys._debugmallocstats(): that is `empty`. Then fill the lists instead (free 40 lists and dicts
# and 150 tuples of each size; then 100 and 400) and import: a list that ends above `empty` never
# ran dry, so depth = empty - (after - before). A list that ends at `empty` from every start ran dry
# from all of them: depth is at least the fullest start (80 for dicts, their capacity: every
# measured dict walk that empties from 80 holds `empty` afterwards whatever the start).
# The check column compares the gen0 count difference between the drained and the filled runs with
# the fresh allocations the numbers predict (CPython's is one higher in every run: the drained
# program's own bookkeeping, not the import).
# `atexit` (a key of its own) is measured the same way; its walk is the same after weakref or os,
# and theirs the same after it (profiles.ts `standaloneWalks`). Not measured here: the frame free
# list (<=3.10, `frame: 5` after weakref or os) and each walk's `allocs` (the count the import adds
# in `import gc; gc.disable(); <the sequence>`, CPython's, set so that the engine's equals it).
# Usage: python3 scripts/measure-import-walks.py [3.8,3.9,...] [weakref,os,os+weakref,weakref+os,atexit]
import os
import re
import subprocess
import sys
import tempfile

VERSIONS = {'3.8': '3.8.18', '3.9': '3.9.18', '3.10': '3.10.13', '3.11': '3.11.7', '3.12': '3.12.1', '3.13': '3.13.0'}
KINDS = ['list', 'dict'] + list(range(1, 20))
PROGRAM = '''import sys as _s
import gc as _gc
_gc.disable()
%s
_keep = []
_n, _m = %d, %d
if _n:
    _tmp = [[] for _i in range(_n)] + [{} for _i in range(_n)]
    for _k in range(1, 20):
        _tmp += [(_i,) * _k for _i in range(_m)]
    del _tmp
else:
    _keep += [[] for _i in range(200)] + [{} for _i in range(200)]
    for _k in range(1, 20):
        _keep += [(_i,) * _k for _i in range(400)]
_c0 = _gc.get_count()[0]
_s._debugmallocstats()
import %s
_c1 = _gc.get_count()[0]
_s._debugmallocstats()
print(_c1 - _c0)
'''


def parse(block):
    d = {}
    for m in re.finditer(r'(\d+) free (PyDictObjects|PyListObjects|(\d+)-sized PyTupleObjects)', block):
        k = m.group(2)
        d['dict' if k.startswith('PyDict') else 'list' if k.startswith('PyList') else int(m.group(3))] = int(m.group(1))
    return d


def run(version, prior, module, fill):
    # As the recorder runs a program (scripts/record-cpython.mjs childEnv): its own empty folder.
    python = os.path.expanduser('~/.pyenv/versions/%s/bin/python' % VERSIONS[version])
    source = PROGRAM % (''.join('import %s\n' % p for p in prior), fill[0], fill[1], module)
    env = {k: v for k, v in os.environ.items() if not k.startswith('PYTHON')}
    env.update(PYTHONDONTWRITEBYTECODE='1', PYTHONHASHSEED='0')
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, 'prog.py'), 'w') as f:
            f.write(source)
        r = subprocess.run([python, '-S', 'prog.py'], cwd=d, capture_output=True, text=True, env=env)
    blocks = r.stderr.split('Small block threshold')[1:]
    if len(blocks) != 2:
        raise SystemExit('%s: %s' % (version, r.stderr[-500:]))
    return parse(blocks[0]), parse(blocks[1]), int(r.stdout.split()[0])


def walk(version, key):
    *prior, module = key.split('+')
    drained = run(version, prior, module, (0, 0))
    fills = [run(version, prior, module, f) for f in ((40, 150), (100, 400))]
    empty, depth = {}, {}
    for k in KINDS:
        empty[k] = drained[1].get(k, 0)
        depth[k] = fills[-1][0].get(k, 0)
        for before, after, _ in fills:
            if after.get(k, 0) > empty[k]:
                depth[k] = empty[k] - (after.get(k, 0) - before.get(k, 0))
                break
        if drained[0].get(k, 0) > depth[k]:
            raise SystemExit('%s %s: the drained start holds %d %s, above the depth %d' % (version, key, drained[0][k], k, depth[k]))

    def fresh(start):
        return sum(max(0, depth[k] - start.get(k, 0)) for k in KINDS)

    check = ' '.join('%d/%d' % (drained[2] - c, fresh(drained[0]) - fresh(b)) for b, _, c in fills)
    return empty, depth, check


def st(s):
    return 'st(%s)' % ', '.join(str(s[k]) for k in KINDS)


if __name__ == '__main__':
    versions = sys.argv[1].split(',') if len(sys.argv) > 1 else list(VERSIONS)
    keys = sys.argv[2].split(',') if len(sys.argv) > 2 else ['weakref', 'os', 'os+weakref', 'weakref+os']
    for v in versions:
        print("'%s':" % v)
        for key in keys:
            empty, depth, check = walk(v, key)
            print("    '%s': { empty: %s, depth: %s }, // count check (CPython/model): %s" % (key, st(empty), st(depth), check))
