// Records the parser-stack depth CPython 2.7's and 3.8's LL(1) parsers need for every scenario,
// corpus program and example, and for the snippets below, into test/unit/fixtures/pgen-depth.json,
// for test/unit/pgen-stack.test.ts (which checks src/engine/parser/pgenStack.ts against it).
// The depths come from the interpreters' own `parser` module (scripts/pgen-depth.py): the
// concrete syntax tree's depth above each token is what Parser/parser.c keeps on its stack.
// Run: node scripts/record-pgen-depth.mjs. The JSON file is generated: never edit it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const PYTHONS = { '2.7': '2.7.18', '3.8': '3.8.18' };
const out = join(root, 'test/unit/fixtures/pgen-depth.json');

// One construct each, nested a few times: the depth grows by the same chain per level, so a small
// nesting checks the chain that 99 levels overflow with.
const SNIPPETS = {
    parens: 'x = (((1)))\n',
    lists: 'x = [[[1], 2]]\n',
    dicts: 'x = {1: {2: {3: 4}}}\n',
    sets: 'x = {1, {2}}\n',
    calls: 'x = f(g(h(1), k=2), *a, **b)\n',
    subscripts: 'x = a[b[1:2]][::3][1:2, 3]\n',
    attributes: 'x = a.b.c(d).e\n',
    nots: 'x = not not not a\n',
    unary: 'x = - - ~ +a\n',
    power: 'x = a ** b ** -c\n',
    arith: 'x = a + b * c - d // e % f | g ^ h & i << j\n',
    compare: 'x = a < b <= c != d is not e not in f\n',
    boolops: 'x = a or b and c or not d\n',
    ifelse: 'x = a if b else c if d else e\n',
    lambdas: 'x = lambda a, b=1, *c, **d: lambda: a\n',
    comprehensions: 'x = [a for b in c if d if e for f in g]\ny = {a: b for c in d}\nz = {a for b in c}\nw = (a for b in c if d)\n',
    genexp_arg: 'x = f(a for b in c)\n',
    tuples: 'x = (1, (2, 3)), ()\ny, z = 1, 2\n',
    parenthesized_ops: 'x = (a + b) * (c or d)\n',
    yields: 'def f():\n    yield\n    yield a\n    x = yield b\n    y = (yield c)\n',
    statements: 'del a, b\nassert a, b\nraise a\nglobal q\npass\n',
    imports: 'import a.b as c, d\nfrom e import f as g, h\nfrom i import *\n',
    compound: 'if a:\n    b = (1)\nelif c:\n    pass\nelse:\n    d = [2]\nwhile e:\n    break\nelse:\n    f()\n',
    for_try_with: 'for a, b in c:\n    continue\ntry:\n    pass\nexcept E as e:\n    pass\nfinally:\n    pass\nwith a as b, c:\n    pass\n',
    same_line: 'if a: b = 1; c = (2)\nx = 1; y = [2]\n',
    defs: '@d\n@e.f(g, h=1)\ndef f(a, b=(1), *c, **d):\n    return a, b\nclass C(B):\n    x = 1\n',
    augassign: 'x += (1)\ny[0] *= a, b\n',
    strings: 'x = "a" "b"\ny = b"c"\n',
    py3_starred: 'a, *b = c\nx = [*a, *b]\ny = {**a, 1: 2}\nf(*a, *b)\n',
    py3_walrus: 'if (n := f(a)) > 1:\n    pass\nwhile (m := g()):\n    pass\nx = [y := 1, y]\n',
    py3_annotations: 'x: int = (1)\ndef f(a: int = 1, *, b) -> int:\n    return b\n',
    py3_kwonly_lambda: 'x = lambda *, k=1: k\ny = lambda *a: a\n',
    py2_print: 'print a, (b)\nprint >>f, c\nprint\n',
    py2_backticks: 'x = `a`\n',
    py2_except_comma: 'try:\n    pass\nexcept E, e:\n    pass\n',
    py2_classes: 'class C:\n    pass\nclass D(C, object):\n    pass\n',
};

function scenarioFiles() {
    const files = [];
    const walk = (dir) => {
        for (const name of readdirSync(dir).sort()) {
            const p = join(dir, name);
            if (statSync(p).isDirectory()) walk(p);
            else if (name.endsWith('.pyscn')) files.push(p);
        }
    };
    for (const dir of ['test/conformance/scenarios', 'test/corpus/scenarios', 'examples']) walk(join(root, dir));
    return files;
}

const files = scenarioFiles();
const tmp = mkdtempSync(join(tmpdir(), 'pgen-'));
const snippetPaths = Object.entries(SNIPPETS).map(([name, source]) => {
    const p = join(tmp, `${name}.py`);
    writeFileSync(p, source);
    return [name, p];
});
const result = { pythons: PYTHONS, files: {}, snippets: {} };
for (const [v, full] of Object.entries(PYTHONS)) {
    const python = join(homedir(), `.pyenv/versions/${full}/bin/python`);
    const run = (paths) => JSON.parse(execFileSync(python, ['-S', join(root, 'scripts/pgen-depth.py'), ...paths], { maxBuffer: 64 << 20 }).toString());
    const depths = run(files);
    for (const f of files) (result.files[relative(root, f)] ??= {})[v] = depths[f];
    const snip = run(snippetPaths.map(([, p]) => p));
    for (const [name, p] of snippetPaths) (result.snippets[name] ??= { source: SNIPPETS[name] })[v] = snip[p];
}
rmSync(tmp, { recursive: true, force: true });
// One line per file: the fixture stays readable in a diff.
const block = (obj) => '{\n' + Object.entries(obj).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n') + '\n }';
writeFileSync(out, `{\n "pythons": ${JSON.stringify(PYTHONS)},\n "files": ${block(result.files)},\n "snippets": ${block(result.snippets)}\n}\n`);
console.log(`recorded ${files.length} files and ${snippetPaths.length} snippets into ${relative(root, out)}`);
