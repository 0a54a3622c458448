// Records what each CPython prints for programs that do not compile — the SyntaxError's text,
// line and caret — into test/unit/fixtures/syntax-errors.json, for test/unit/syntax-errors.test.ts.
// Each snippet runs as `snippet.py` in a scratch directory with `python -S` (PYTHONUNBUFFERED unset).
// Run: node scripts/record-syntax-errors.mjs. The JSON file is generated: never edit it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test/unit/fixtures/syntax-errors.json');
const PYTHONS = { '2.7': '2.7.18', '3.8': '3.8.18', '3.9': '3.9.18', '3.10': '3.10.13', '3.11': '3.11.7', '3.12': '3.12.1', '3.13': '3.13.0' };

// Starred subscripts (PEP 646, 3.11): where each older parser puts its caret depends on the
// parser (LL(1), 3.9's PEG, 3.10's second pass) and on the context.
const STARRED = [
    'd[*a] = 1', 'd[*a, 0] = 1', 'd[*a,] = 1', 'd[0, *a] = 1', 'd[*a.b] = 1', 'd[*a.b.c]', 'd[*(a)]',
    'x = d[*a]', 'print(d[*a])', 'd[*a][0]', 'd[*a + b]', 'd[*a, *b]', 'd[*f(1, 2)]', 'd[1:2, *a]', 'd[*a:1]',
    'f(d[*a])', 'f(x, d[*a])', 'f(k=d[*a])', '[d[*a]]', '(d[*a])', 'd[*a] + 1', 'y = [d[*a]]', 'if d[*a]: pass',
    'def g():\n    return d[*a]', 'f(d[0, *a])', 'f(d[*a, 0])', 'f(d[*a.b])', 'f(d[*a]).x', 'x = f(d[*a])', '{d[*a]}',
    'f(*d[*a])', 'f(d[*a], 1)', 'f(g(d[*a]))', 'd[e[*a]]', 'x = d[e[*a]]', '{1: d[*a]}', 'x = {1: d[*a]}',
    'lambda: d[*a]', 'f(lambda: d[*a])', 'x = d[*a] if b else c', 'x = [i for i in d[*a]]', 'd[*a] = f(1)',
    'x = d[0][*a]', 'x = (d)[*a]', 'del d[*a]', 'f(d[*a][0])', 'x = d[*a, 0][1]', 'd[0, *a][1]',
    'x = 1\nd[*a] = 2', 'x = (1,\n     d[*a])',
];

// Python 2 forms, which each 3.x words its own way.
const PYTHON2 = [
    'print "x"', 'print x', 'print "a", b', 'print >>f, "x"', 'print', 'x = 1\nprint x,', 'exec "x = 1"', 'exec code in d',
    'x = `1`', 'x = 1 <> 2', 'x = 0777', 'x = 10L', 'x = 0xffL', "x = ur'a'",
    'try:\n    pass\nexcept ValueError, e:\n    pass', 'raise ValueError, "v"', 'def f((a, b)):\n    pass',
    'lambda (a, b): a', 'import sys\nprint sys.argv',
];

const numbered = (prefix, list) => list.map((src, i) => [`${prefix}-${String(i + 1).padStart(2, '0')}`, src + '\n']);
const CASES = Object.fromEntries([...numbered('starred-subscript', STARRED), ...numbered('python2-form', PYTHON2)]);

const dir = mkdtempSync(join(tmpdir(), 'syntax-errors-'));
const env = { ...process.env };
delete env.PYTHONUNBUFFERED;
const result = {};
for (const [name, source] of Object.entries(CASES)) {
    writeFileSync(join(dir, 'snippet.py'), source);
    const results = {};
    for (const [v, full] of Object.entries(PYTHONS)) {
        const python = join(homedir(), `.pyenv/versions/${full}/bin/python`);
        const r = spawnSync(python, ['-S', 'snippet.py'], { cwd: dir, env, encoding: 'utf8' });
        // 3.9+ name the script by its absolute path: the scratch directory is not part of the answer.
        results[v] = { exitCode: r.status, stdout: r.stdout, stderr: r.stderr.split(`${dir}/`).join('') };
    }
    result[name] = { source, results };
}
rmSync(dir, { recursive: true, force: true });
const lines = Object.entries(result).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
writeFileSync(out, `{\n "pythons": ${JSON.stringify(PYTHONS)},\n "cases": {\n${lines.join(',\n')}\n }\n}\n`);
console.log(`recorded ${Object.keys(CASES).length} programs on ${Object.keys(PYTHONS).join(', ')} into ${relative(root, out)}`);
