// The one parser of `# exitscope:` comments (src/engine/annotations.ts): files, directories,
// interpreter flags, c-alloc, and the header settings, with their problems.
import { describe, expect, it } from 'vitest';
import { parseAnnotations, normalizeDeclaredPath, usesFiles } from '../../src/engine/annotations';

const PROFILES = ['2.7', '3.12', '3.13'];
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('file annotations', () => {
    it('declares a file with a str literal, stored as utf-8', () => {
        const a = parseAnnotations('# exitscope: file counterfile "41"\nx = 1\n', PROFILES);
        expect(a.problems).toEqual([]);
        expect(a.files.map((f) => [f.path, text(f.data), f.line])).toEqual([['counterfile', '41', 1]]);
        const u = parseAnnotations('# exitscope: file u.txt "é\\u20ac"\n', PROFILES);
        expect(Array.from(u.files[0].data)).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac]);
    });

    it('decodes Python escapes, bytes literals, raw strings and adjacent literals', () => {
        const a = parseAnnotations(
            [
                '# exitscope: file a.txt "line 1\\nline 2\\t\\x41\\\\"',
                "# exitscope: file b.bin b'\\x00\\xff' b\"!\"",
                "# exitscope: file c.txt r'\\n' 'x'",
                '# exitscope: file d.txt """tri"ple"""',
            ].join('\n'),
            PROFILES,
        );
        expect(a.problems).toEqual([]);
        expect(text(a.files[0].data)).toBe('line 1\nline 2\tA\\');
        expect(Array.from(a.files[1].data)).toEqual([0, 255, 33]);
        expect(text(a.files[2].data)).toBe('\\nx');
        expect(text(a.files[3].data)).toBe('tri"ple');
    });

    it('takes quoted names, subdirectories, empty files and directories', () => {
        const a = parseAnnotations('# exitscope: file "my notes.txt" "n"\n# exitscope: file sub/./in.txt\n# exitscope: dir out\n', PROFILES);
        expect(a.problems).toEqual([]);
        expect(a.files.map((f) => [f.path, f.data.length])).toEqual([
            ['my notes.txt', 1],
            ['sub/in.txt', 0],
        ]);
        expect(a.dirs).toEqual([{ path: 'out', line: 3 }]);
    });

    it('refuses paths outside the directory, duplicates, bad contents and trailing annotations', () => {
        const bad = (src: string): string[] => parseAnnotations(src, PROFILES).problems.map((p) => p.message);
        expect(bad('# exitscope: file /etc/passwd "x"')[0]).toMatch(/not a path inside the scenario's directory/);
        expect(bad('# exitscope: file ../up "x"')[0]).toMatch(/not a path inside/);
        expect(bad('# exitscope: file a "x"\n# exitscope: file a "y"')[0]).toMatch(/declared twice/);
        expect(bad('# exitscope: file a "x"\n# exitscope: file a/b "y"')[0]).toMatch(/a is declared as a file/);
        expect(bad('# exitscope: file a 41')[0]).toMatch(/Python string literal/);
        expect(bad('# exitscope: file a "x" b"y"')[0]).toMatch(/cannot mix str and bytes/);
        expect(bad('# exitscope: file a "unterminated')[0]).toMatch(/unterminated/);
        expect(bad('# exitscope: file a f"x"')[0]).toMatch(/not a string prefix/);
        expect(bad('# exitscope: file')[0]).toMatch(/missing name/);
        expect(bad('x = 1  # exitscope: file a "x"')[0]).toMatch(/takes a line of its own/);
        expect(bad('# exitscope: dir d "content"')[0]).toMatch(/has no content/);
        const p = parseAnnotations('# exitscope: file /etc/passwd "x"', PROFILES).problems[0];
        expect([p.line, p.scope]).toEqual([1, 'run']);
    });

    it('normalizes declared paths lexically', () => {
        expect(normalizeDeclaredPath('a//b/./c')).toBe('a/b/c');
        expect(normalizeDeclaredPath('./')).toBeNull();
        expect(normalizeDeclaredPath('a/../b')).toBeNull();
        expect(normalizeDeclaredPath('/abs')).toBeNull();
    });
});

describe('flags annotation', () => {
    it('reads -W ACTION and -X dev into filters and the argv given to CPython', () => {
        expect(parseAnnotations('# exitscope: flags -W default', PROFILES).flags).toEqual({ warnings: 'default', devMode: false, argv: ['-W', 'default'], line: 1 });
        expect(parseAnnotations('# exitscope: flags -Walways', PROFILES).flags.warnings).toBe('always');
        expect(parseAnnotations('# exitscope: flags -X dev', PROFILES).flags).toEqual({ warnings: 'default', devMode: true, argv: ['-X', 'dev'], line: 1 });
        expect(parseAnnotations('# exitscope: flags -X dev -W ignore', PROFILES).flags).toMatchObject({ warnings: 'ignore', devMode: true, argv: ['-X', 'dev', '-W', 'ignore'] });
        expect(parseAnnotations('x = 1\n', PROFILES).flags).toEqual({ warnings: null, devMode: false, argv: [], line: 0 });
    });

    it('refuses what it does not model', () => {
        const bad = (src: string): string => parseAnnotations(src, PROFILES).problems[0]?.message ?? '';
        expect(bad('# exitscope: flags -W error')).toMatch(/not supported in scenarios yet: -W error/);
        expect(bad('# exitscope: flags -W default::ResourceWarning')).toMatch(/not supported/);
        expect(bad('# exitscope: flags -X importtime')).toMatch(/not supported in scenarios yet: -X importtime/);
        expect(bad('# exitscope: flags -O')).toMatch(/not supported in scenarios yet: -O/);
        expect(bad('# exitscope: flags')).toMatch(/no options/);
        expect(bad('# exitscope: flags -W default\n# exitscope: flags -X dev')).toMatch(/given twice/);
    });
});

describe('the other annotations, through the same parser', () => {
    it('keeps the header settings and their problems (settings scope)', () => {
        const a = parseAnnotations('# exitscope: python=2.7, max-steps=500\n', PROFILES);
        expect([a.python, a.maxSteps, a.problems]).toEqual(['2.7', 500, []]);
        const b = parseAnnotations('# exitscope: python=3.5\n', PROFILES);
        expect(b.problems.map((p) => p.scope)).toEqual(['settings']);
    });

    it('parses c-alloc, also in the header lines, without calling it an unknown setting', () => {
        const a = parseAnnotations('buf = None  # exitscope: c-alloc 4K "zlib" freed=with\n', PROFILES);
        expect(a.problems).toEqual([]);
        expect(a.cAllocs).toEqual([{ line: 1, commentLine: 1, size: 4096, label: 'zlib', freed: 'with' }]);
    });

    it('does not read a # inside a string as an annotation', () => {
        expect(parseAnnotations('s = "# exitscope: file a \\"x\\""\n', PROFILES).files).toEqual([]);
    });

    it('reports an unknown annotation below the header', () => {
        const src = `${'x = 1\n'.repeat(12)}# exitscope: files a "x"\n`;
        expect(parseAnnotations(src, PROFILES).problems[0].message).toMatch(/unknown exitscope annotation 'files'/);
    });
});

describe('usesFiles (which scenarios the recorder runs in a fresh directory)', () => {
    const uses = (src: string): boolean => usesFiles(src, parseAnnotations(src, PROFILES));
    it('is true for declared files, open(), file() and os file functions', () => {
        expect(uses('# exitscope: file a "x"\npass\n')).toBe(true);
        expect(uses('f = open("x")\n')).toBe(true);
        expect(uses('import os\nos.listdir(".")\n')).toBe(true);
        expect(uses('import os\nos.path.exists("x")\n')).toBe(true);
    });
    it('is false for scenarios that touch no file', () => {
        expect(uses('import os\nos._exit(0)\n')).toBe(false);
        expect(uses('x = [1]\nprint(x)\n')).toBe(false);
    });
});
