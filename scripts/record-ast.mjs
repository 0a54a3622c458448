// Records CPython's own parse of the snippets below into test/unit/fixtures/ast/NN-name.json,
// for test/unit/parser.cpython.test.ts. Run: node scripts/record-ast.mjs [path/to/python3.13]
//
// Each fixture holds the source and the pre-order list of CPython's positioned nodes as
// [type, line, col, endLine, endCol], with columns converted from CPython's 0-based UTF-8 byte
// offsets to our 1-based UTF-16 columns. Nodes our tree does not keep (argument and return
// annotations) are skipped with their subtrees. The JSON files are generated: never edit them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const python = process.argv[2] ?? join(homedir(), '.pyenv/versions/3.13.0/bin/python');
const outDir = new URL('../test/unit/fixtures/ast/', import.meta.url).pathname;

const SNIPPETS = {
    'assign-chain': 'a = b = c\nx, *y = 1, 2, 3\n[p, q] = r\n',
    'aug-ann': 'x += 1\ny: int = 2\nz.w: str\nv[0] //= 3\n',
    'arith': 'r = -a ** 2 + b * c // d % e @ f - ~g\ns = a << 1 | b >> 2 & c ^ d\n',
    'compare-bool': 'ok = 1 < x <= 3 != y and not z or w is not None and k not in m\n',
    'ifexp-lambda': 'f = lambda a, b=1, *c, d, **e: a if b else c\ng = lambda: 0\n',
    'calls': 'f(a, *b, c=1, **d)\ng()(1)[2].h\nk(x, y,)\n',
    'subscripts': 'a[1]\na[1:2]\na[::3]\na[:, 1:]\na[x, y]\na[:]\n',
    'displays': 'l = [1, *a, 2]\nt = (1,)\ne = ()\ns = {1, 2}\nd = {1: 2, **m, 3: 4}\nn = {}\n',
    'comprehensions': 'a = [x * y for x in r if x for y in x]\nb = {k: v for k, v in d}\nc = {s for s in t}\n',
    'strings': 's = "a" \'b\'\nb = b"x" b"y"\nr = r"\\n"\nt = """tri\nple"""\n',
    'fstrings': 'x = f"a{b}c"\ny = f"{b!r:>{w}} z" "d"\nz = f"{a}{b}"\n',
    'fstring-debug': 'q = f"{x=}"\nw = f"{x = !s}"\n',
    'numbers': 'n = 0x1F + 0o17 + 0b101 + 1_000 + 1.5e3 + 2j + .5 + 1.\n',
    'constants': 'a = None, True, False, ...\n',
    'walrus': 'if (n := len(a)) > 10:\n    pass\nprint(y := 2)\n',
    'def-simple': 'def f(a, b):\n    return a + b\n',
    'def-params': 'def f(a, /, b, c=1, *args, d, e=2, **kw):\n    pass\n',
    'def-kwonly': 'def g(*, a, b=1):\n    return\n',
    'decorators': '@dec\n@dec2(1)\ndef f():\n    pass\n\n@cls_dec\nclass C:\n    pass\n',
    'class': 'class C(B, D):\n    x = 1\n    def m(self):\n        return self.x\n',
    'if-elif-else': 'if a:\n    x = 1\nelif b:\n    x = 2\nelif c:\n    pass\nelse:\n    x = 3\n',
    'while-else': 'while x:\n    x -= 1\n    if x: break\n    continue\nelse:\n    done()\n',
    'for-else': 'for i, (j, k) in enumerate(z):\n    pass\nelse:\n    pass\n',
    'try-full': 'try:\n    a()\nexcept (A, B) as e:\n    raise X from e\nexcept C:\n    raise\nelse:\n    b()\nfinally:\n    c()\n',
    'try-finally': 'try:\n    pass\nfinally:\n    x = 1\n',
    'with': 'with a as b, c as (d, e):\n    pass\nwith f():\n    pass\n',
    'with-parens': 'with (a as b, c):\n    pass\n',
    'imports': 'import os\nimport os.path as p, sys\nfrom gc import (collect, disable as d)\nfrom sys import *\n',
    'future': 'from __future__ import print_function\nprint("x")\n',
    'global-nonlocal': 'def f():\n    global g\n    x = 1\n    def h():\n        nonlocal x\n        x = 2\n',
    'del-assert': 'del a, b.c, d[0]\nassert x, "msg"\nassert y\n',
    'semicolons': 'a = 1; b = 2;\npass\n',
    'continuation': 'x = 1 + \\\n    2\ny = (1 +\n     2)\n',
    'nested-fn': 'def outer():\n    v = 1\n    def inner():\n        return v\n    return inner\n',
    'starred-call': 'f(*a, *b, **c, **d)\nprint(*[1, 2], sep="")\n',
    'dict-unpack': 'm = {**a, "k": 1, **b}\n',
    'tuple-return': 'def f():\n    return 1, 2\n',
    'slices-step': 'x = a[1:2:3]\ny = a[::-1]\n',
    'comments': '# lead\nx = 1  # trailing\n\n# end\n',
    'unicode': 'café = "naïve"\nx = café\n',
    'genexp-call': 'sum(x for x in y)\n',
    'lambda-default-kw': 'f = lambda *, k=1: k\n',
    'attribute-chain': 'a.b.c = d.e(f).g\n',
};

// Pre-order over CPython's fields, positions converted to UTF-16 columns (1-based).
const PROGRAM = String.raw`
import ast, json, sys
src = sys.stdin.read()
lines = src.splitlines(keepends=True)
def col(line, byte_off):
    text = lines[line - 1].encode('utf-8')[:byte_off].decode('utf-8')
    return len(text.encode('utf-16-le')) // 2 + 1
out = []
def visit(node):
    if hasattr(node, 'lineno') and node.lineno is not None:
        out.append([type(node).__name__, node.lineno, col(node.lineno, node.col_offset),
                    node.end_lineno, col(node.end_lineno, node.end_col_offset)])
    for field, value in ast.iter_fields(node):
        if field in ('annotation', 'returns') and not isinstance(node, ast.AnnAssign):
            continue
        if isinstance(value, ast.AST):
            visit(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    visit(item)
tree = ast.parse(src)
for stmt in tree.body:
    visit(stmt)
print(json.dumps(out))
`;

mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (f.endsWith('.json')) rmSync(join(outDir, f));
const version = execFileSync(python, ['-S', '-c', 'import sys; print(sys.version.split()[0])']).toString().trim();
let n = 0;
for (const [name, source] of Object.entries(SNIPPETS)) {
    const nodes = JSON.parse(execFileSync(python, ['-S', '-c', PROGRAM], { input: source }).toString());
    const file = `${String(++n).padStart(2, '0')}-${name}.json`;
    const rows = nodes.map((row) => '  ' + JSON.stringify(row)).join(',\n');
    const text = `{\n "python": ${JSON.stringify(version)},\n "source": ${JSON.stringify(source)},\n "nodes": [\n${rows}\n ]\n}\n`;
    writeFileSync(join(outDir, file), text);
}
console.log(`recorded ${n} fixtures with CPython ${version} into ${outDir}`);
