/*
 * tracebackSuggestions.ts
 *
 * The "Did you mean: 'x'?" (and 3.12+'s "Did you forget to import 'x'?") that CPython's exception
 * display appends to a NameError or AttributeError message (suggestions.c `_Py_Offer_Suggestions`
 * on 3.10-3.12, traceback.py `_compute_suggestion_error` on 3.13; Profile.tracebackSuggestions
 * says which rules apply). The candidates come from the exception's context: `NameError.name`
 * and the innermost traceback frame, `AttributeError.name`/`.obj` and dir() of the object.
 */

import type { PyObject } from '../runtime/object';
import { PyException } from '../runtime/instances';
import { PyTraceback } from '../runtime/frames';
import { PyStr } from '../runtime/values';
import { PyDict } from '../runtime/containers';
import type { Interpreter } from './interpreter';
import { Frame } from './frame';
import { getAttrOrNull } from './attrs';
import { PyRaise, dropRaise } from './signals';
import { suggestName } from './suggestions';
import { EngineStop } from './signals';
import { dirNames, mainNames, sortNames } from '../builtins/dirObject';
import { getField, structOf } from '../builtins/exceptions';
import { namesFor } from '../names/table';
import stdlibModuleNames from '../names/stdlib-module-names.json';

/** The text to append to the exception's message line ('' for none). */
export function suggestionTrailer(it: Interpreter, e: PyException): string {
    const rules = it.profile.tracebackSuggestions;
    if (!rules) return '';
    const isName = e.type.isSubtypeOf(it.T.NameError);
    const isAttr = !isName && e.type.isSubtypeOf(it.T.AttributeError);
    if (!isName && !isAttr) return '';
    const s = structOf(it, e.type);
    const nameObj = getField(e, s, 'name');
    if (!(nameObj instanceof PyStr)) return '';
    const name = nameObj.v;
    let suggestion: string | null;
    try {
        suggestion = isName ? forNameError(it, e, name) : forAttributeError(it, e, s, name);
    } catch (x) {
        // Computed while the traceback is printed, outside any statement: a dir() the engine
        // refuses is reported at the line that raised (the innermost traceback entry), not line 1.
        if (x instanceof EngineStop && it.line === 0) {
            const tb = innermostEntry(e);
            if (tb && tb.line > 0 && !tb.stdlib) Object.assign(x.error, { line: tb.line, col: tb.node?.col ?? 1 });
        }
        throw x;
    }
    let out = suggestion !== null ? `. Did you mean: '${suggestion}'?` : '';
    if (isName && rules.stdlibModules && stdlibModules(it).has(name)) out += suggestion !== null ? ` Or did you forget to import '${name}'?` : `. Did you forget to import '${name}'?`;
    return out;
}

function stdlibModules(it: Interpreter): ReadonlySet<string> {
    const key = 'suggestions.stdlib';
    let s = it.moduleState.get(key) as Set<string> | undefined;
    if (!s) {
        s = new Set((stdlibModuleNames as Record<string, string[]>)[it.profile.name] ?? []);
        it.moduleState.set(key, s);
    }
    return s;
}

/** The innermost entry of the exception's traceback (where it was raised), or null. */
function innermostEntry(e: PyException): PyTraceback | null {
    let tb = e.traceback as PyTraceback | null;
    if (!(tb instanceof PyTraceback)) return null;
    while (tb.next) tb = tb.next;
    return tb;
}

/** The innermost frame of the exception's traceback (where the name was looked up). */
function innermostFrame(e: PyException): Frame | null {
    const data = innermostEntry(e)?.frame?.data;
    return data instanceof Frame ? data : null;
}

function dictNames(d: PyDict | null): string[] {
    if (!d) return [];
    const out: string[] = [];
    for (const e of d.entries()) if (e.k instanceof PyStr) out.push(e.k.v);
    return out;
}

/** The frame's bound local names in localsplus order (frame.f_locals; a module or class body: its dict). */
function frameLocals(f: Frame): { names: string[]; value: (n: string) => PyObject | null } {
    if (f.localsDict) {
        const d = f.localsDict;
        return { names: dictNames(d), value: (n) => d.getStr(n) ?? null };
    }
    const names: string[] = [];
    const values = new Map<string, PyObject>();
    f.names.forEach((n, i) => {
        const slot = f.locals[i];
        const v = f.code.isCell[i] ? ((slot as { ref?: PyObject | null } | null)?.ref ?? null) : slot;
        if (v) {
            names.push(n);
            values.set(n, v);
        }
    });
    return { names, value: (n) => values.get(n) ?? null };
}

/** The builtins' names as the real interpreter has them (the engine's dict lacks the unmodelled ones). */
function builtinNames(it: Interpreter): string[] {
    const names = dictNames(it.builtinsDict);
    const have = new Set(names);
    for (const n of namesFor(it.profile.name).builtins.keys()) if (!have.has(n)) names.push(n);
    return names;
}

/** The globals' names, and for __main__ those CPython's has that the engine does not model. */
function globalNames(it: Interpreter, d: PyDict): string[] {
    return d === it.mainModule.dict ? mainNames(it, d) : dictNames(d);
}

/** Has the method's `self` an attribute `name`? (PyObject_HasAttr: errors count as no.) */
function selfHas(it: Interpreter, self: PyObject | null, name: string): boolean {
    if (!self) return false;
    try {
        const v = getAttrOrNull(it, self, name);
        if (v) it.decref(v);
        return v !== null;
    } catch (x) {
        if (!(x instanceof PyRaise)) throw x;
        dropRaise(it, x);
        return false;
    }
}

function forNameError(it: Interpreter, e: PyException, name: string): string | null {
    const rules = it.profile.tracebackSuggestions!;
    const f = innermostFrame(e);
    if (!f) return null;
    if (rules.candidates === 'combined-f-locals') {
        const locals = frameLocals(f);
        if (rules.selfAttribute === 'first' && locals.names.includes('self') && selfHas(it, locals.value('self'), name)) return `self.${name}`;
        return suggestName([...locals.names, ...globalNames(it, f.globals), ...builtinNames(it)], name);
    }
    const varnames = f.localsDict ? [] : f.code.scope.varnames;
    const fromLocals = suggestName(varnames, name);
    if (fromLocals !== null) return fromLocals;
    if (rules.selfAttribute === 'after-varnames' && varnames.includes('self') && selfHas(it, frameLocals(f).value('self'), name)) return `self.${name}`;
    return suggestName(globalNames(it, f.globals), name) ?? suggestName(builtinNames(it), name);
}

function forAttributeError(it: Interpreter, e: PyException, s: ReturnType<typeof structOf>, name: string): string | null {
    const obj = getField(e, s, 'obj');
    if (!obj) return null;
    let names: string[];
    try {
        names = sortNames(dirNames(it, obj));
    } catch (x) {
        // PyObject_Dir failing: no suggestion (an EngineStop, a dir() the engine cannot give, goes on up).
        if (!(x instanceof PyRaise)) throw x;
        dropRaise(it, x);
        return null;
    }
    if (it.profile.tracebackSuggestions!.hideUnderscored && !name.startsWith('_')) {
        const f = innermostFrame(e);
        const self = f ? frameLocals(f).value('self') : null;
        if (self !== obj) names = names.filter((n) => !n.startsWith('_'));
    }
    return suggestName(names, name);
}
