// Shared by the extension-*.test.ts files: real reports from the engine, as the worker builds them.
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import type { Report } from '../../src/report/types';
import type { AnalysisResult } from '../../src/extension/analysis/protocol';

export function reportOf(source: string, python = '3.13', options: { compareWith?: string[]; maxSteps?: number } = {}): Report {
    return buildReport(source, simulate(source, { python, maxSteps: options.maxSteps, fileName: 'test.pyscn' }), { file: 'test.pyscn', compareWith: options.compareWith, maxSteps: options.maxSteps });
}

export function resultOf(source: string, python = '3.13'): AnalysisResult {
    return { kind: 'report', report: reportOf(source, python), python, maxSteps: 1_000_000, ms: 1 };
}

export const CYCLE_IN_GLOBALS = `class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

    def __del__(self):
        print('del', self.name)


a = Node('a')
b = Node('b')
a.peer = b
b.peer = a
print('end of script')
`;

export const CYCLE_COLLECTED = `import gc


class Node:
    def __init__(self):
        self.peer = None


a = Node()  # expect: collected
b = Node()  # expect: freed
a.peer = b
b.peer = a
del a, b
gc.collect()
`;

export const KEPT_ON_SYS = `import sys


class Cache:
    def __del__(self):
        print('cache flushed')


sys.cache = Cache()
print('end of script')
`;

export const LOOP = `class R:
    pass


for i in range(3):
    r = R()
print('done')
`;
