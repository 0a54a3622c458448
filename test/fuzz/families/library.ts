/*
 * library.ts
 *
 * The helper classes and functions generated statements rely on, each written once per program
 * (Program.use) before its first use. Every finalizable object prints its own label when
 * finalized, so the output shows the exact order CPython finalizes in.
 */

import type { Program, ModuleName } from '../program';

export type LibName =
    | 'Node'
    | 'Plain'
    | 'Slot'
    | 'Sub'
    | 'Res'
    | 'Bad'
    | 'Holder'
    | 'mkcb'
    | 'bye'
    | 'show'
    | 'boom'
    | 'gccb'
    | 'fails'
    | 'Ctx';

interface LibDef {
    deps?: LibName[];
    modules?: ModuleName[];
    source: (p: Program) => string;
}

/** `class X(object):` or, in 3.x, sometimes `class X:` (the same thing there). */
function classHeader(p: Program, name: string, base = 'object'): string {
    if (base === 'object' && !p.py2 && p.rng.chance(0.5)) return `class ${name}:`;
    return `class ${name}(${base}):`;
}

/** The body of a `__del__` that prints the object's label (in one of the spellings programs use). */
function delPrint(p: Program, what: string): string {
    return p.rng.pick([`print('${what} %s' % self.name)`, `print('${what}', self.name)`]);
}

export const LIBRARY: Record<LibName, LibDef> = {
    Node: {
        source: (p) =>
            [
                classHeader(p, 'Node'),
                '    def __init__(self, name):',
                '        self.name = name',
                '    def touch(self):',
                '        return self.name',
                '    def __del__(self):',
                `        ${delPrint(p, 'del')}`,
            ].join('\n'),
    },
    Plain: {
        source: (p) => [classHeader(p, 'Plain'), '    def __init__(self, name):', '        self.name = name'].join('\n'),
    },
    Slot: {
        source: (p) =>
            [
                classHeader(p, 'Slot'),
                `    __slots__ = (${p.rng.shuffle(["'name'", "'ref'", "'other'"]).join(', ')}, '__weakref__')`,
                '    def __init__(self, name):',
                '        self.name = name',
                '    def __del__(self):',
                `        ${delPrint(p, 'del slot')}`,
            ].join('\n'),
    },
    Sub: {
        deps: ['Node'],
        source: (p) =>
            [
                classHeader(p, 'Sub', 'Node'),
                '    def __init__(self, name):',
                '        Node.__init__(self, name)',
                "        self.tag = name + '!'",
                ...(p.rng.chance(0.5) ? ['    def __del__(self):', `        ${delPrint(p, 'del sub')}`] : []),
            ].join('\n'),
    },
    Res: {
        deps: ['Node'],
        source: (p) =>
            [
                'graveyard = []',
                classHeader(p, 'Res', 'Node'),
                '    def __del__(self):',
                `        ${delPrint(p, 'resurrect')}`,
                '        graveyard.append(self)',
            ].join('\n'),
    },
    Bad: {
        deps: ['Node'],
        source: (p) => [classHeader(p, 'Bad', 'Node'), '    def __del__(self):', `        ${delPrint(p, 'del bad')}`, '        raise ValueError(self.name)'].join('\n'),
    },
    Holder: {
        source: (p) =>
            [
                classHeader(p, 'Holder'),
                '    def __init__(self, name, *items):',
                '        self.name = name',
                '        self.items = list(items)',
                '    def __del__(self):',
                "        print('del holder %s of %d' % (self.name, len(self.items)))",
            ].join('\n'),
    },
    mkcb: {
        source: () => ['def mkcb(label):', '    def cb(ref):', "        print('callback %s' % label)", '    return cb'].join('\n'),
    },
    bye: {
        source: () => ["def bye(name, n=0, tag='-'):", "    print('bye %s %s %s' % (name, n, tag))"].join('\n'),
    },
    show: {
        source: () => ['def show(obj):', "    print('show %s' % obj.name)"].join('\n'),
    },
    boom: {
        source: () => ['def boom(msg):', "    print('boom %s' % msg)", '    raise RuntimeError(msg)'].join('\n'),
    },
    gccb: {
        source: (p) =>
            [
                'def gccb(phase, info):',
                p.rng.pick([
                    "    print('gccb', phase, info['generation'], info['collected'], info['uncollectable'])",
                    "    print('gccb %s %d' % (phase, info['generation']))",
                    "    if phase == 'stop':\n        print('gccb stop', info['collected'])",
                ]),
            ].join('\n'),
    },
    fails: {
        deps: ['Node'],
        source: () => ['def fails(label):', '    local = Node(label)', "    raise ValueError('fails ' + label)"].join('\n'),
    },
    Ctx: {
        source: (p) =>
            [
                classHeader(p, 'Ctx'),
                '    def __init__(self, name):',
                '        self.name = name',
                '    def __enter__(self):',
                "        print('enter %s' % self.name)",
                '        return self',
                '    def __exit__(self, *exc):',
                "        print('exit %s' % self.name)",
                '        return False',
                '    def __del__(self):',
                "        print('del ctx %s' % self.name)",
            ].join('\n'),
    },
};
