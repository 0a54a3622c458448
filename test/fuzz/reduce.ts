/*
 * reduce.ts
 *
 * Delta debugging (ddmin) over a program's statement tree: first the top-level statements, then,
 * level by level, the bodies of what is left (an emptied body becomes `pass`). A candidate is kept
 * only while it still fails the same way: the engine and CPython still differ on the same streams,
 * CPython reports no exception type the original did not, and the engine does not refuse it.
 */

import type { CPythonRunner, Interpreter } from './cpython';
import { check, type Verdict } from './differential';
import { exceptionNames } from './compare';

interface TreeNode {
    line: string;
    children: TreeNode[];
}

function indentOf(line: string): number {
    return line.length - line.trimStart().length;
}

/** The program as a tree of statements by indentation (a decorator line belongs to its def). */
export function parseTree(source: string): TreeNode[] {
    const root: TreeNode = { line: '', children: [] };
    const stack: { node: TreeNode; indent: number }[] = [{ node: root, indent: -1 }];
    let pendingDecorator: string[] = [];
    for (const line of source.replace(/\n$/, '').split('\n')) {
        if (!line.trim()) continue;
        const ind = indentOf(line);
        while (stack[stack.length - 1].indent >= ind) stack.pop();
        if (line.trimStart().startsWith('@')) {
            pendingDecorator.push(line);
            continue;
        }
        const node: TreeNode = { line: [...pendingDecorator, line].join('\n'), children: [] };
        pendingDecorator = [];
        stack[stack.length - 1].node.children.push(node);
        stack.push({ node, indent: ind });
    }
    return root.children;
}

export function renderTree(nodes: TreeNode[]): string {
    const out: string[] = [];
    const walk = (ns: TreeNode[]): void => {
        for (const n of ns) {
            out.push(n.line);
            if (n.children.length) walk(n.children);
            else if (n.line.trimEnd().endsWith(':')) out.push(n.line.split('\n').pop()!.match(/^\s*/)![0] + '    pass');
        }
    };
    walk(nodes);
    return out.join('\n') + '\n';
}

export interface Failure {
    streams: string;
    exceptions: Set<string>;
}

export function failureOf(v: Verdict): Failure | null {
    if (v.kind !== 'differ') return null;
    return { streams: v.streams.join(','), exceptions: exceptionNames(v.cpython.stderr) };
}

/** Does `v` fail the same way as `original`? */
function sameFailure(original: Failure, v: Verdict): boolean {
    const f = failureOf(v);
    if (!f || f.streams !== original.streams) return false;
    for (const e of f.exceptions) if (!original.exceptions.has(e)) return false;
    return true;
}

/** ddmin over `list` (mutated in place through `set`): keeps the smallest failing sublist found. */
async function ddmin(list: TreeNode[], set: (l: TreeNode[]) => void, fails: () => Promise<boolean>): Promise<TreeNode[]> {
    let cur = list;
    let n = 2;
    while (cur.length >= 1) {
        if (cur.length === 1) {
            set([]);
            if (await fails()) cur = [];
            else set(cur);
            break;
        }
        const size = Math.ceil(cur.length / n);
        let reduced = false;
        for (let i = 0; i * size < cur.length; i++) {
            const candidate = [...cur.slice(0, i * size), ...cur.slice((i + 1) * size)];
            set(candidate);
            if (await fails()) {
                cur = candidate;
                n = Math.max(n - 1, 2);
                reduced = true;
                break;
            }
        }
        set(cur);
        if (!reduced) {
            if (n >= cur.length) break;
            n = Math.min(cur.length, n * 2);
        }
    }
    return cur;
}

export interface ReduceResult {
    source: string;
    tests: number;
}

/** Shrinks `source` while it keeps failing on `profile` the way it fails now. */
export async function reduce(runner: CPythonRunner, py: Interpreter, profile: string, source: string, original: Verdict, budget = 400): Promise<ReduceResult> {
    const want = failureOf(original);
    if (!want) return { source, tests: 0 };
    const header = source.startsWith('from __future__') ? source.slice(0, source.indexOf('\n') + 1) : '';
    const root = { children: parseTree(source.slice(header.length)) };
    const render = (): string => header + renderTree(root.children);
    let tests = 0;
    const fails = async (): Promise<boolean> => {
        if (tests >= budget) return false;
        tests++;
        // One hash seed while reducing; the result is checked under both at the end.
        return sameFailure(want, await check(runner, py, profile, render(), ['0']));
    };
    const level = async (holder: { children: TreeNode[] }): Promise<void> => {
        holder.children = await ddmin(holder.children, (l) => (holder.children = l), fails);
        for (const child of holder.children) if (child.children.length) await level(child);
    };
    // Twice: removing an inner statement can make an outer one removable.
    for (let pass = 0; pass < 2; pass++) await level(root);
    const result = render();
    const final = await check(runner, py, profile, result);
    return { source: sameFailure(want, final) ? result : source, tests };
}
