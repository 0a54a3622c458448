/*
 * warnings.ts
 *
 * Python/_warnings.c: `warnings.warn` (modules/warnings.ts) and the engine's own warnings
 * (ResourceWarning from a file object's finalizer, `PyErr_ResourceWarning(source, 1, "unclosed
 * file %R", source)`) both go through warn_explicit:
 *
 *   setup_context   the frame `stacklevel` calls up gives the globals, file name, line and module
 *                   (`__name__`); with no frame (shutdown, or a stacklevel beyond the stack)
 *                   sys.__dict__, "sys":1 (3.13: "<sys>":0). The module's `__warningregistry__`
 *                   dict is created on first use, even when the warning is then ignored.
 *   warn_explicit   already_warned: a key (text, category, lineno) in the registry stops it (3.x:
 *                   a registry of an older filters version is emptied first and holds
 *                   `{'version': N}`; 2.7 registries have no version, so a warning seen once stays
 *                   silent after any filter change). The action: the first filter (action,
 *                   message, category, module, lineno) whose category the warning's is a subclass
 *                   of, message and module None or equal, lineno 0 or equal; else `defaultaction`.
 *                   The filters are the `warnings` module's `filters` list once it is imported
 *                   (catch_warnings swaps it), else the C state: each version's defaults
 *                   (profile warningFilters) behind one `(ACTION, None, Warning, None, 0)` per
 *                   `-W ACTION` or `-X dev`, the last option first. "error" raises the warning;
 *                   "ignore" returns (2.7 after storing the key); anything else but "always"
 *                   stores the key, "once" also (text, category), "module" (text, category, 0).
 *   show            through the Python `warnings` module while it is in sys.modules (imported by
 *                   the program, or by the command-line options at start-up, until
 *                   finalize_remove_modules clears sys.modules): a replaced `showwarning` is
 *                   called; inside `catch_warnings(record=True)` a WarningMessage is appended to
 *                   the log; else "file:line: Category: text", the source line, and for a warning
 *                   with a source object "Category: Enable tracemalloc to get the object allocation
 *                   traceback". Otherwise the C fallback (show_warning) prints the first line and
 *                   the source line only. Nothing is printed once sys.stderr is None (wipe of sys).
 *
 * `-W error` is refused by the annotation parser, and "error" for a warning raised from a
 * finalizer (an exception CPython reports as unraisable) is refused here.
 */

import type { PyObject } from '../runtime/object';
import { PyDict, PyList, PyTuple } from '../runtime/containers';
import { PyInt, PyStr } from '../runtime/values';
import { PyType } from '../runtime/types';
import { PyModule } from '../runtime/frames';
import type { FrameData } from '../runtime/frames';
import type { Interpreter } from './interpreter';
import { OutStreamObject } from '../builtins/modules';
import { PyRaise } from './signals';
import type { PyException } from '../runtime/instances';
import { str } from './format';
import { call } from './calls';
import { unsupportedAt } from '../names/refuse';

/** Where a warning is attributed (setup_context). */
export interface WarnContext {
    globals: PyDict;
    filename: string;
    lineno: number;
    /** globals['__name__'], matched against a filter's module. */
    module: string;
    /** Is the line one of the scenario's (its source line is shown)? */
    inScenario: boolean;
}

/** The state the `warnings` module shares with the C code (modules/warnings.ts keeps it). */
export interface WarningsState {
    /** _filters_mutated() calls so far (simplefilter, filterwarnings, resetwarnings, catch_warnings). */
    mutations: number;
    /** The module's original `showwarning` (a replaced one is called instead of printing). */
    showwarningOrig: PyObject | null;
    /** catch_warnings(record=True) logs, innermost last (the module's `_showwarnmsg_impl` is log.append). */
    logs: PyList[];
    /** WarningMessage (Lib/warnings.py's class), made by the module. */
    warningMessage: PyType | null;
    /**
     * The C state's filters list (`_warnings.filters`), which the module's first `filters` is: the
     * C code reads it when the module is not in sys.modules (at shutdown), with whatever
     * simplefilter did to it in place. Held by the interpreter for good.
     */
    cFilters: PyList | null;
}

export function warningsState(it: Interpreter): WarningsState {
    let s = it.moduleState.get('warnings') as WarningsState | undefined;
    if (!s) {
        s = { mutations: 0, showwarningOrig: null, logs: [], warningMessage: null, cFilters: null };
        it.moduleState.set('warnings', s);
    }
    return s;
}

/** The command-line options that add a filter, in the order CPython processes them (`-X dev` first). */
function optionActions(it: Interpreter): string[] {
    const argv = it.io.flags.argv;
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) if (argv[i] === '-X' && argv[i + 1] === 'dev') out.push('default');
    for (let i = 0; i < argv.length; i++) if (argv[i] === '-W' && argv[i + 1]) out.push(argv[i + 1]);
    return out;
}

/** The filters' version (warnings._filters_mutated): one per command-line option, then one per change. */
function filtersVersion(it: Interpreter): number {
    return optionActions(it).length + warningsState(it).mutations;
}

export interface Filter {
    action: string;
    message: string | null;
    category: PyType;
    module: string | null;
    lineno: number;
}

/** The filters CPython starts with: the version's defaults behind one entry per option, the last option first. */
export function initialFilters(it: Interpreter): Filter[] {
    const out: Filter[] = [];
    for (const action of optionActions(it)) out.unshift({ action, message: null, category: it.T.Warning, module: null, lineno: 0 });
    for (const [action, cat, module] of it.profile.warningFilters) {
        const category = it.T[cat];
        if (category) out.push({ action, message: null, category, module, lineno: 0 });
    }
    return out;
}

/** A filter as the 5-tuple the `filters` list holds (new reference). */
export function filterTuple(it: Interpreter, f: Filter): PyTuple {
    const opt = (s: string | null): PyObject => (s === null ? it.None : it.str(s));
    return it.tuple([it.str(f.action), opt(f.message), it.incref(f.category), opt(f.module), it.int(f.lineno)]);
}

/** The `warnings` module while it is in sys.modules (null before it is imported and once removed). */
export function warningsModule(it: Interpreter): PyModule | null {
    const m = it.modules.getStr('warnings');
    return m instanceof PyModule ? m : null;
}

/** The filters now: the module's `filters` attribute while it is in sys.modules, else the C state's list. */
function currentFilters(it: Interpreter): Filter[] {
    const m = warningsModule(it);
    const list = m ? m.dict.getStr('filters') : warningsState(it).cFilters;
    if (!list) return initialFilters(it);
    if (!(list instanceof PyList)) throw unsupportedAt(it, 'warnings.filters that is not a list');
    return list.items.map((item) => {
        const t = item instanceof PyTuple ? item.items : null;
        const field = (o: PyObject): string | null => (o === it.None ? null : o instanceof PyStr ? o.v : badFilter());
        const badFilter = (): never => {
            throw unsupportedAt(it, 'a warnings filter other than (action, None or str, category, None or str, lineno)');
        };
        if (!t || t.length !== 5 || !(t[0] instanceof PyStr) || !(t[2] instanceof PyType) || !(t[4] instanceof PyInt)) return badFilter();
        return { action: t[0].v, message: field(t[1]), category: t[2], module: field(t[3]), lineno: Number(t[4].v) };
    });
}

/** setup_context(stacklevel): the frame `stacklevel` calls up, or sys.__dict__ past the stack. */
export function warnContext(it: Interpreter, stacklevel: number): WarnContext {
    let frame: FrameData | null = it.frame;
    for (let i = 1; i < stacklevel && frame; i++) frame = frame.back;
    if (!frame) {
        const nf = it.profile.warningNoFrame;
        return { globals: it.sysModule.dict, filename: nf.filename, lineno: nf.lineno, module: 'sys', inScenario: false };
    }
    const name = frame.globals.getStr('__name__');
    // (3.9+ print the script's absolute path; file names are compared relative, as tracebacks print them.)
    return { globals: frame.globals, filename: frame.filename, lineno: frame.line, module: name instanceof PyStr ? name.v : '<string>', inScenario: true };
}

/** warnings.warn(message, category, stacklevel=1, source=source) from C code. */
export function warn(it: Interpreter, category: string, message: string, source: PyObject | null): void {
    const cat = it.T[category];
    if (!cat) return;
    const text = it.str(message);
    try {
        warnExplicit(it, cat, text, warnContext(it, 1), source, true);
    } finally {
        it.decref(text);
    }
}

/**
 * warn_explicit. `message` is the text (any object) or a Warning instance (then its class is the
 * category and its str() the text). `fromC`: raised by the engine's own code (a finalizer), where
 * "error" is not modelled.
 */
export function warnExplicit(it: Interpreter, category: PyType, message: PyObject, ctx: WarnContext, source: PyObject | null, fromC: boolean): void {
    const isInstance = message.type.isSubtypeOf(it.T.Warning);
    if (isInstance) category = message.type;
    const text = isInstance ? it.str(str(it, message)) : it.incref(message);
    const py2 = it.profile.major === 2;
    // The module's __warningregistry__, created on first use.
    let registry = ctx.globals.getStr('__warningregistry__');
    if (!(registry instanceof PyDict)) {
        registry = it.dict();
        ctx.globals.set(it.heap, it.str('__warningregistry__'), registry);
        it.decref(registry);
    }
    const reg = registry as PyDict;
    if (!py2) {
        // already_warned: a registry from an older filters version is emptied first.
        const version = filtersVersion(it);
        const v = reg.getStr('version');
        if (!v || (v as { v?: unknown }).v !== version) {
            reg.clearItems(it.heap);
            reg.set(it.heap, it.str('version'), it.int(version));
        }
    }
    const key = it.tuple([it.incref(text), it.incref(category), it.int(ctx.lineno)]);
    try {
        if (reg.get(key)) return;
        const action = filterAction(it, category, text, ctx);
        if (action === 'error') {
            if (fromC) throw unsupportedAt(it, `the "error" warnings action for a ${category.name} the interpreter raises`);
            throw new PyRaise(warningInstance(it, category, message, isInstance) as PyException);
        }
        if (action === 'ignore' && !py2) return;
        if (action !== 'always') {
            reg.set(it.heap, key, it.True);
            if (action === 'ignore') return;
            if (action === 'once' || action === 'module') {
                const alt = action === 'once' ? it.tuple([it.incref(text), it.incref(category)]) : it.tuple([it.incref(text), it.incref(category), it.int(0)]);
                const seen = reg.get(alt) !== null;
                if (!seen) reg.set(it.heap, alt, it.True);
                it.decref(alt);
                if (seen) return;
            } else if (action !== 'default') throw unsupportedAt(it, `the warnings action ${JSON.stringify(action)}`);
        }
    } finally {
        it.decref(key);
        it.decref(text);
    }
    show(it, category, message, isInstance, ctx, source);
}

/** get_filter: the first matching filter's action, else `defaultaction`. */
function filterAction(it: Interpreter, category: PyType, text: PyObject, ctx: WarnContext): string {
    const textStr = text instanceof PyStr ? text.v : null;
    for (const f of currentFilters(it)) {
        if (f.message !== null && f.message !== textStr) continue;
        if (!category.isSubtypeOf(f.category)) continue;
        if (f.module !== null && f.module !== ctx.module) continue;
        if (f.lineno !== 0 && f.lineno !== ctx.lineno) continue;
        return f.action;
    }
    const d = warningsModule(it)?.dict.getStr('defaultaction');
    return d instanceof PyStr ? d.v : 'default';
}

/** The Warning instance: `message` itself, or `category(message)` (new reference). */
function warningInstance(it: Interpreter, category: PyType, message: PyObject, isInstance: boolean): PyObject {
    return isInstance ? it.incref(message) : call(it, category, [message], null);
}

function show(it: Interpreter, category: PyType, message: PyObject, isInstance: boolean, ctx: WarnContext, source: PyObject | null): void {
    const m = warningsModule(it);
    const st = warningsState(it);
    const loaded = m !== null || warningsModuleLoaded(it);
    if (m) {
        const sw = m.dict.getStr('showwarning');
        const log = st.logs.length ? st.logs[st.logs.length - 1] : null;
        if (sw && sw !== st.showwarningOrig) {
            // A replaced showwarning is called (3.x: with file and line None too).
            const w = warningInstance(it, category, message, isInstance);
            const args = [w, category, it.str(ctx.filename), it.int(ctx.lineno)];
            if (it.profile.major === 3) args.push(it.None, it.None);
            try {
                it.decref(call(it, sw, args, null));
            } finally {
                it.decref(w);
                it.decref(args[2]);
                it.decref(args[3]);
            }
            return;
        }
        if (log && st.warningMessage) {
            const w = warningInstance(it, category, message, isInstance);
            const args = [w, category, it.str(ctx.filename), it.int(ctx.lineno), it.None, it.None];
            if (it.profile.major === 3) args.push(source ?? it.None);
            let wm: PyObject;
            try {
                wm = call(it, st.warningMessage, args, null);
            } finally {
                it.decref(w);
                it.decref(args[2]);
                it.decref(args[3]);
            }
            log.items.push(wm);
            it.heap.adopt(log, wm, `[${log.items.length - 1}]`);
            return;
        }
    }
    const stderr = it.sysModule.dict.getStr('stderr');
    if (!(stderr instanceof OutStreamObject)) return;
    let out = `${ctx.filename}:${ctx.lineno}: ${category.name}: ${str(it, message)}\n`;
    const line = ctx.inScenario ? it.sourceLines[ctx.lineno - 1]?.trim() : undefined;
    if (line) out += `  ${line}\n`;
    // The Python-level formatter (warnings._formatwarnmsg_impl) adds the tracemalloc hint when
    // `import tracemalloc` works: while imports work, or once an earlier warning imported it.
    if (source !== null && loaded && it.profile.major === 3) {
        const importsWork = !it.io.warningsModuleRemoved && !AFTER_REMOVE.has(it.phase);
        if (importsWork) it.io.tracemallocImported = true;
        if (it.io.tracemallocImported) out += `${category.name}: Enable tracemalloc to get the object allocation traceback\n`;
    }
    stderr.stream.write(out);
}

/**
 * Did the command-line options import the `warnings` module at start-up (3.x), and is it still in
 * sys.modules? finalize_remove_modules removes it right after __main__, and nothing imports it again.
 */
function warningsModuleLoaded(it: Interpreter): boolean {
    if (!it.io.flags.argv.length || it.profile.major === 2) return false;
    return !it.io.warningsModuleRemoved;
}

/** Phases in which the import system no longer works (sys.modules is being or has been emptied). */
const AFTER_REMOVE = new Set(['remove-modules', 'restore-builtins', 'teardown-gc', 'wipe-modules', 'wipe-sys-builtins', 'final-gc', 'after-exit']);
