/*
 * classes.ts
 *
 * `class` statements: __build_class__ runs the body as a function with a fresh namespace dict as
 * its locals, then type_new copies that namespace into the new type's dict (dropping
 * `__qualname__` and `__classcell__`) and fills the `__class__` cell that `super()` uses.
 */

import type * as ast from '../parser/ast';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { PyFunction, PyCell } from '../runtime/callables';
import type { Interpreter } from './interpreter';
import { Frame } from './frame';
import { codeFor } from './exec';
import { evalExpr, unsupported } from './eval';
import { runFrame } from './calls';
import { EventKind } from '../events';
import { installKeyProtocol } from './hash';

export function buildClass(it: Interpreter, f: Frame, node: ast.ClassDef): PyType {
    const base0 = f.stack.length;
    if (node.keywords.length) throw unsupported(node.keywords[0], 'class keywords');
    for (const b of node.bases) f.stack.push(evalExpr(it, f, b));
    const bases = f.stack.slice(base0);
    if (bases.length > 1) throw unsupported(node.bases[1], 'multiple inheritance');
    const base = bases.length ? bases[0] : it.T.object;
    if (!(base instanceof PyType)) throw it.error('TypeError', `bases must be types`);
    if (!base.isHeap && base.layout !== 'object' && base.layout !== 'exception') {
        throw unsupported(node.bases[0], `subclassing the built-in type '${base.name}'`);
    }
    const code = codeFor(it, node, f.nameCode);
    it.at(node);
    // MAKE_FUNCTION for the class body (a real function object, freed after the class is built).
    const bodyFn = it.heap.register(new PyFunction(it.T.function, code, f.globals, node.name));
    it.heap.acquire(bodyFn, f.globals, '__globals__');
    f.stack.push(bodyFn);
    // __prepare__: the namespace.
    const ns = it.dict();
    ns.namespace = true;
    f.stack.push(ns);
    ns.set(it.heap, it.str('__module__'), it.str('__main__'));
    ns.set(it.heap, it.str('__qualname__'), it.str(code.qualname));
    const frame = new Frame(code, f.globals, it.frame);
    frame.nodeId = it.heap.newId();
    it.log.push(EventKind.FrameEnter, it.step, it.line, it.col, frame.nodeId, 0, code.qualname);
    frame.localsDict = it.incref(ns);
    let classCell: PyCell | null = null;
    if (code.scope.cellvars.length || code.scope.freevars.length) {
        frame.cells = new Map();
        if (code.scope.cellvars.includes('__class__')) {
            classCell = it.heap.register(new PyCell(it.T.cell, null, '__class__'));
            frame.cells.set('__class__', classCell);
        }
        for (const name of code.scope.freevars) {
            const outer = f.code.isFast ? f.locals[f.code.slot(name)] : f.classCell(name);
            if (outer) frame.cells.set(name, outer);
        }
    }
    let type: PyType;
    try {
        it.decref(runFrame(it, code, frame));
        type = typeNew(it, node, code.qualname, base, ns);
        if (classCell) {
            classCell.ref = it.incref(type);
            it.heap.adopt(classCell, type, '__class__');
        }
    } finally {
        if (classCell) it.decref(classCell);
        f.stack.length = base0;
        it.decref(ns);
        it.decref(bodyFn);
        for (const b of bases) it.decref(b);
    }
    return type;
}

/** type_new: a heap type whose dict is a copy of the namespace. */
function typeNew(it: Interpreter, node: ast.ClassDef, qualname: string, base: PyType, ns: PyDict): PyType {
    const dict = it.dict();
    dict.namespace = true;
    const slots = ns.getStr('__slots__');
    for (const e of ns.entries()) {
        const k = (e.k as PyStr).v;
        if (k === '__qualname__' || k === '__classcell__') continue;
        dict.set(it.heap, e.k, e.v);
    }
    // type_ready_set_hash: `__eq__` without `__hash__` in the body makes instances unhashable (3.x).
    if (it.profile.eqWithoutHashUnhashable && dict.getStr('__eq__') && !dict.getStr('__hash__')) dict.set(it.heap, it.str('__hash__'), it.None);
    const layout = base.isSubtypeOf(it.T.BaseException) ? 'exception' : 'instance';
    const t = new PyType(it.T.type, node.name, base, dict, layout, true);
    t.qualname = qualname;
    t.mro = [t, ...base.mro];
    installKeyProtocol(it, t);
    it.heap.register(t);
    it.heap.adopt(t, dict, '__dict__');
    if (base.isHeap) it.heap.acquire(t, base, '__base__');
    // The MRO tuple holds the type itself: classes are always part of a cycle.
    t.mroHeld = true;
    it.heap.incref(t);
    if (slots) {
        const names = slots instanceof PyStr ? [slots.v] : slots instanceof PyList || slots instanceof PyTuple ? slots.items.map((x) => (x as PyStr).v) : [];
        t.slotNames = names.filter((n) => n !== '__dict__' && n !== '__weakref__');
        const baseHasDict = base.isHeap ? base.instancesHaveDict : layout === 'exception';
        t.instancesHaveDict = names.includes('__dict__') || baseHasDict;
    } else {
        t.instancesHaveDict = true;
    }
    return t;
}

export { PyObject };
