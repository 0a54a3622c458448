/*
 * classes.ts
 *
 * `class` statements: __build_class__ runs the body as a function with a fresh namespace dict as
 * its locals, then type_new copies that namespace into the new type's dict (dropping
 * `__qualname__` and `__classcell__`) and fills the `__class__` cell that `super()` uses.
 */

import { docstringOf } from '../parser/docstring';
import type * as ast from '../parser/ast';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyStr } from '../runtime/values';
import { PyList, PyTuple, PyDict } from '../runtime/containers';
import { PyFunction, PyCell } from '../runtime/callables';
import type { Interpreter } from './interpreter';
import { Frame } from './frame';
import { codeFor } from './exec';
import { cached, evalExpr, unsupported } from './eval';
import { runFrame, call, unwindStack, materializeFrame } from './calls';
import { typeNew, calculateMetaclass, isSubclassable, internalTuple } from './typeobject';
import { FreeKind, FreeLists } from '../runtime/freelists';
import { typeMethod } from './slots';
import { PyMethodWrapper } from '../runtime/callables';
import { EventKind } from '../events';
import { isClassicClass, refuseClassicBody, classicClassNew } from './classobject';

export function buildClass(it: Interpreter, f: Frame, node: ast.ClassDef): PyObject {
    const base0 = f.stack.length;
    for (const b of node.bases) {
        if (b.kind === 'Starred') throw unsupported(b, 'starred class bases');
        f.stack.push(evalExpr(it, f, b));
    }
    const bases = f.stack.slice(base0);
    // Class keywords: `metaclass=` (3.x) and the rest, for __init_subclass__ (3.6+).
    let explicitMeta: PyObject | null = null;
    let kwargs: Map<string, PyObject> | null = null;
    for (const k of node.keywords) {
        if (k.arg === null) throw unsupported(k, 'class keyword unpacking (**)');
        const v = evalExpr(it, f, k.value);
        f.stack.push(v);
        if (k.arg === 'metaclass') explicitMeta = v;
        else (kwargs ??= new Map()).set(k.arg, v);
    }
    let basesTuple: PyTuple | null = null;
    try {
        // (With several bases, type_new picks the one whose layout the others extend: mro.ts bestBase.)
        const base = (bases.length ? bases[0] : it.T.object) as PyType;
        for (let i = 0; i < bases.length; i++) {
            const b = bases[i];
            if (!(b instanceof PyType)) throw it.error('TypeError', `bases must be types`);
            if (!isSubclassable(b)) throw unsupported(node.bases[i], `subclassing the built-in type '${b.name}'`);
        }
        // __build_class__ (2.7: BUILD_TUPLE) packs the bases into a tuple before the body runs.
        if (bases.length) basesTuple = internalTuple(it, bases);
        const bodyNs = runClassBody(it, f, node, bases, explicitMeta instanceof PyType ? explicitMeta : null, kwargs);
        try {
            const { ns, classCell } = bodyNs;
            // 2.7: `__metaclass__` in the class body chooses the metaclass.
            let metaObj: PyObject | null = explicitMeta;
            if (metaObj === null && it.profile.metaclassAttribute) metaObj = ns.getStr('__metaclass__');
            // ... or, for a class without bases, the module's global `__metaclass__`.
            if (metaObj === null && it.profile.metaclassAttribute && bases.length === 0) metaObj = f.globals.getStr('__metaclass__');
            const classic = isClassicClass(it, bases, metaObj);
            if (classic) refuseClassicBody(node, ns);
            // A metaclass that is a class: the most derived one among it and the bases' (a plain callable is just called).
            const meta = metaObj === null || metaObj instanceof PyType ? calculateMetaclass(it, (metaObj as PyType | null) ?? (base.classic ? it.T.type : base.type), bases as PyType[]) : metaObj;
            it.at(node);
            let cls: PyObject;
            if (classic) {
                const bt = basesTuple;
                basesTuple = null;
                cls = classicClassNew(it, node.name, bases as PyType[], bt, ns);
            } else if (meta === it.T.type) {
                // The bases tuple becomes the class's tp_bases. Type creation's temporaries
                // (profiles.ts classCreationTemps), among them the metatype's (name, bases,
                // namespace) argument tuple, live while type_new runs.
                const temps = classTemps(it);
                for (const k of temps) it.heap.allocInternal(k);
                try {
                    const bt = basesTuple;
                    basesTuple = null;
                    cls = typeNew(it, it.T.type, node.name, base, ns, kwargs, bt);
                } finally {
                    for (let i = temps.length - 1; i >= 0; i--) it.heap.freeInternal(temps[i]);
                }
            } else {
                // The metaclass is called like any class: its __call__ (type_call: __new__, then __init__).
                const basesTuple = it.tuple(bases.map((b) => it.incref(b)));
                f.stack.push(basesTuple);
                cls = call(it, meta, [it.str(node.name), basesTuple, ns], kwargs);
            }
            if (classCell && cls instanceof PyType) {
                classCell.ref = it.incref(cls);
                it.heap.adopt(classCell, cls, '__class__');
            }
            return cls;
        } finally {
            if (bodyNs.classCell) it.decref(bodyNs.classCell);
            it.decref(bodyNs.ns);
        }
    } finally {
        if (basesTuple) it.decref(basesTuple);
        unwindStack(it, f, base0);
    }
}

/**
 * __build_class__'s first half: the namespace (`__prepare__`), then the class body run as a
 * function with that dict as its locals; returns the namespace and the `__class__` cell.
 */
function runClassBody(it: Interpreter, f: Frame, node: ast.ClassDef, bases: PyObject[], meta: PyType | null, kwargs: Map<string, PyObject> | null): { ns: PyDict; classCell: PyCell | null } {
    const code = codeFor(it, node, f.nameCode);
    it.at(node);
    // MAKE_FUNCTION for the class body (a real function object, freed after the class is built).
    const bodyFn = it.heap.register(new PyFunction(it.T.function, code, f.globals, node.name));
    it.heap.acquire(bodyFn, f.globals, '__globals__');
    f.stack.push(bodyFn);
    // __prepare__: the namespace (a plain dict unless the metaclass defines __prepare__).
    let ns: PyDict;
    const prepare = meta !== null && meta.isHeap ? typeMethod(meta, '__prepare__') : null;
    if (prepare !== null) {
        const basesTuple = it.tuple(bases.map((b) => it.incref(b)));
        f.stack.push(basesTuple);
        const r = prepare instanceof PyMethodWrapper ? call(it, prepare.func!, prepare.isClassMethod ? [meta!, it.str(node.name), basesTuple] : [it.str(node.name), basesTuple], kwargs) : call(it, prepare, [it.str(node.name), basesTuple], kwargs);
        if (!(r instanceof PyDict) || r.type !== it.T.dict) {
            it.decref(r);
            throw unsupported(node, 'a __prepare__ that returns something other than a dict');
        }
        ns = r;
    } else {
        ns = it.dict();
    }
    ns.namespace = true;
    f.stack.push(ns);
    it.incref(ns);
    ns.set(it.heap, it.str('__module__'), f.globals.getStr('__name__') ?? it.str('__main__'));
    if (it.profile.classBodyQualname) ns.set(it.heap, it.str('__qualname__'), it.str(code.qualname));
    // 3.13's compiler: the class statement's first line (its first decorator's), stored before
    // the body runs (a constant: nothing is allocated).
    if (it.profile.classBodyMetadata) {
        const first = it.int(node.decorators.length ? node.decorators[0].line : node.line);
        ns.set(it.heap, it.str('__firstlineno__'), first);
        it.decref(first);
    }
    // compiler_body: a docstring is stored as `__doc__` before the rest of the body runs.
    const docNode = docstringOf(node.body);
    if (docNode) {
        const doc = it.str(docNode.value.value);
        ns.set(it.heap, it.str('__doc__'), doc);
        it.decref(doc);
    }
    const frame = new Frame(code, f.globals, it.frame);
    frame.nodeId = it.heap.newId();
    it.log.push(EventKind.FrameEnter, it.step, it.line, it.col, frame.nodeId, 0, code.qualname);
    frame.localsDict = it.incref(ns);
    // ≤3.10 the body runs in a frame object (kept afterwards as its code's zombie frame).
    if (it.profile.frameObjectPerCall) materializeFrame(it, frame);
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
    try {
        it.decref(runFrame(it, code, frame));
        // ... and after it, the sorted names its methods assign through `self` (a constant tuple).
        if (it.profile.classBodyMetadata) {
            const names = cached(it, node, () => {
                const t = new PyTuple(it.T.tuple, staticAttributes(node).map((n) => it.str(n)));
                t.id = it.heap.newId();
                return t;
            });
            ns.set(it.heap, it.str('__static_attributes__'), names);
        }
    } catch (e) {
        if (classCell) it.decref(classCell);
        it.decref(ns);
        throw e;
    }
    return { ns, classCell };
}

/** The free-list kinds of type creation's temporaries, in allocation order. */
function classTemps(it: Interpreter): FreeKind[] {
    const t = it.profile.classCreationTemps;
    const kinds: FreeKind[] = [];
    for (let i = 0; i < t.list; i++) kinds.push(FreeKind.List);
    for (let i = 0; i < t.dict; i++) kinds.push(FreeKind.Dict);
    t.tuple.forEach((n, i) => {
        for (let j = 0; j < n; j++) kinds.push(FreeLists.tupleKind(i + 1));
    });
    for (let i = 0; i < (t.cfunction ?? 0); i++) kinds.push(FreeKind.CFunction);
    return kinds;
}

export { PyObject };

const staticAttributeCache = new WeakMap<ast.ClassDef, string[]>();

/**
 * 3.13's `__static_attributes__` (compiler.c): every `self.NAME` stored (an assignment target,
 * augmented or annotated) in a function nested anywhere in the class body, however deep, but not
 * in a nested class, which has its own; `self` literally, whatever the method's first parameter
 * is called. Sorted.
 */
export function staticAttributes(node: ast.ClassDef): string[] {
    let names = staticAttributeCache.get(node);
    if (names) return names;
    const found = new Set<string>();
    const target = (e: ast.Expr): void => {
        if (e.kind === 'Attribute' && e.value.kind === 'Name' && e.value.id === 'self') found.add(e.attr);
        else if (e.kind === 'Tuple' || e.kind === 'List') e.elts.forEach(target);
        else if (e.kind === 'Starred') target(e.value);
    };
    const stmts = (body: ast.Stmt[], inFunction: boolean): void => {
        for (const s of body) stmt(s, inFunction);
    };
    const stmt = (s: ast.Stmt, inFunction: boolean): void => {
        switch (s.kind) {
            case 'FunctionDef': stmts(s.body, true); return;
            case 'ClassDef': return;
            case 'Assign': if (inFunction) s.targets.forEach(target); return;
            case 'AugAssign': case 'AnnAssign': if (inFunction) target(s.target); return;
            case 'For': if (inFunction) target(s.target); stmts(s.body, inFunction); stmts(s.orelse, inFunction); return;
            case 'While': case 'If': stmts(s.body, inFunction); stmts(s.orelse, inFunction); return;
            case 'With': if (inFunction) for (const i of s.items) if (i.optionalVars) target(i.optionalVars); stmts(s.body, inFunction); return;
            case 'Try': stmts(s.body, inFunction); for (const h of s.handlers) stmts(h.body, inFunction); stmts(s.orelse, inFunction); stmts(s.finalbody, inFunction); return;
            default: return;
        }
    };
    stmts(node.body, false);
    names = Array.from(found).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    staticAttributeCache.set(node, names);
    return names;
}
