/*
 * mangle.ts
 *
 * Private name mangling, as CPython's compiler and symtable apply _Py_Mangle (Python/compile.c):
 * inside a class body, and in every function, lambda and comprehension nested in it (but not in a
 * nested class, which has its own), an identifier `__spam` that does not end in `__` is read and
 * written as `_Class__spam`, the class's name stripped of leading underscores (a class named only
 * of underscores mangles nothing). It applies to names, attribute names, parameters, `except ...
 * as`, `global`/`nonlocal`, import bindings, and the name a `def` or `class` binds — but not to the
 * function's or class's own `__name__`/`__qualname__` (their `bindName` carries the mangled one),
 * nor to keyword argument names in calls, nor to strings (`getattr(self, '__spam')`).
 * `__slots__` entries are mangled at run time by type_new (interp/typeobject.ts).
 *
 * The pass rewrites the tree once after parsing, before scope analysis, so every later stage sees
 * the names CPython's code object holds.
 */

import type { Module, Node } from './ast';

/** _Py_Mangle: `name` as written inside class `className`, or `name` itself when it is not private. */
export function mangle(className: string | null, name: string): string {
    if (className === null || !name.startsWith('__') || name.endsWith('__') || name.includes('.')) return name;
    const stripped = className.replace(/^_+/, '');
    return stripped === '' ? name : `_${stripped}${name}`;
}

/** Rewrites every private name of `module` in place. */
export function manglePrivateNames(module: Module): void {
    for (const s of module.body) visit(s as Node, null);
}

type AnyNode = Node & Record<string, unknown>;

function visit(node: Node, cls: string | null): void {
    const n = node as AnyNode;
    switch (node.kind) {
        case 'Name':
            node.id = mangle(cls, node.id);
            return;
        case 'Attribute':
            node.attr = mangle(cls, node.attr);
            visit(node.value, cls);
            return;
        case 'arg':
            node.name = mangle(cls, node.name);
            return;
        case 'ExceptHandler':
            if (node.name !== null) node.name = mangle(cls, node.name);
            break;
        case 'Global':
        case 'Nonlocal':
            node.names = node.names.map((x) => mangle(cls, x));
            return;
        case 'alias': {
            // The name bound: the alias, or a plain module name (a dotted one binds its first part,
            // which has no dot and is left alone here as CPython's dotted-name rule leaves it).
            const bound = node.asname ?? node.name;
            const m = mangle(cls, bound);
            if (m !== bound && (node.asname !== null || !node.name.includes('.'))) node.asname = m;
            return;
        }
        case 'FunctionDef': {
            const m = mangle(cls, node.name);
            if (m !== node.name) node.bindName = m;
            break;
        }
        case 'ClassDef': {
            const m = mangle(cls, node.name);
            if (m !== node.name) node.bindName = m;
            // Decorators, bases and keywords belong to the enclosing scope; the body to the class.
            for (const d of node.decorators) visit(d, cls);
            for (const b of node.bases) visit(b, cls);
            for (const k of node.keywords) visit(k.value, cls);
            for (const s of node.body) visit(s, node.name);
            return;
        }
    }
    for (const key in n) {
        const v = n[key];
        if (Array.isArray(v)) {
            for (const x of v) if (isNode(x)) visit(x, cls);
        } else if (isNode(v)) visit(v, cls);
    }
}

function isNode(v: unknown): v is Node {
    return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';
}
