/*
 * warnings.ts
 *
 * Python/_warnings.c as far as the engine's warnings need it (today: ResourceWarning from a file
 * object's finalizer, `PyErr_ResourceWarning(source, 1, "unclosed file %R", source)`):
 *
 *   setup_context   the innermost Python frame gives the globals, file name and line; with no
 *                   frame (shutdown) sys.__dict__, "sys":1 (3.13: "<sys>":0). The module's
 *                   `__warningregistry__` dict is created on first use, even when the warning
 *                   is then ignored (it holds `{'version': N}` only).
 *   warn_explicit   the filter action: the command line's `-W ACTION` (or `-X dev`: default)
 *                   when given, otherwise the default filters, which ignore ResourceWarning; then
 *                   the registry (default: once per (text, category, lineno); module: once per
 *                   (text, category, 0); once: per (text, category); always: every time).
 *   show            through the Python `warnings` module while it is in sys.modules (the
 *                   command-line options imported it at start-up; it is gone once
 *                   finalize_remove_modules has cleared sys.modules): "file:line: Category: text",
 *                   the source line, and for a warning with a source object "ResourceWarning:
 *                   Enable tracemalloc to get the object allocation traceback"; later the C
 *                   fallback (show_warning), which prints the first line and the source line only.
 *                   Nothing is printed once sys.stderr is None (wipe of sys).
 *
 * `-W error` is refused by the annotation parser (a warning raised as an exception from a
 * finalizer is not modelled).
 */

import type { PyObject } from '../runtime/object';
import { PyDict } from '../runtime/containers';
import type { Interpreter } from './interpreter';
import { OutStreamObject } from '../builtins/modules';

/** The filters' version: one per `-W`/`-X dev` option processed at start-up (warnings._filters_mutated). */
function filtersVersion(it: Interpreter): number {
    const argv = it.io.flags.argv;
    let n = 0;
    for (let i = 0; i < argv.length; i++) if (argv[i] === '-W' || (argv[i] === '-X' && argv[i + 1] === 'dev')) n++;
    return n;
}

/** warnings.warn(message, category, stacklevel=1, source=source) from C code. */
export function warn(it: Interpreter, category: string, message: string, source: PyObject | null): void {
    const cat = it.T[category];
    if (!cat) return;
    // setup_context
    const frame = it.frame;
    const globals = frame ? frame.globals : it.sysModule.dict;
    // (3.9+ print the script's absolute path; file names are compared relative, as tracebacks print them.)
    const filename = frame ? frame.filename : it.profile.warningNoFrame.filename;
    const lineno = frame ? frame.line : it.profile.warningNoFrame.lineno;
    let registry = globals.getStr('__warningregistry__');
    if (!(registry instanceof PyDict)) {
        registry = it.dict();
        globals.set(it.heap, it.str('__warningregistry__'), registry);
        it.decref(registry);
    }
    const reg = registry as PyDict;
    // already_warned: a registry from an older filters version is emptied first.
    const version = filtersVersion(it);
    const v = reg.getStr('version');
    if (!v || (v as { v?: unknown }).v !== version) {
        reg.clearItems(it.heap);
        reg.set(it.heap, it.str('version'), it.int(version));
    }
    const action = it.io.flags.warnings ?? 'ignore';
    const text = it.str(message);
    const key = it.tuple([text, it.incref(cat), it.int(lineno)]);
    try {
        if (reg.get(key)) return;
        if (action === 'ignore') return;
        if (action !== 'always') {
            reg.set(it.heap, key, it.True);
            if (action === 'once' || action === 'module') {
                const alt = action === 'once' ? it.tuple([text, it.incref(cat)]) : it.tuple([text, it.incref(cat), it.int(0)]);
                const seen = reg.get(alt) !== null;
                if (!seen) reg.set(it.heap, alt, it.True);
                it.decref(alt);
                if (seen) return;
            }
        }
    } finally {
        it.decref(key);
    }
    show(it, category, message, filename, lineno, frame !== null, source !== null);
}

function show(it: Interpreter, category: string, message: string, filename: string, lineno: number, inScenario: boolean, hasSource: boolean): void {
    const stderr = it.sysModule.dict.getStr('stderr');
    if (!(stderr instanceof OutStreamObject)) return;
    let out = `${filename}:${lineno}: ${category}: ${message}\n`;
    const line = inScenario ? it.sourceLines[lineno - 1]?.trim() : undefined;
    if (line) out += `  ${line}\n`;
    // The Python-level formatter (warnings._formatwarnmsg_impl) adds the tracemalloc hint when
    // `import tracemalloc` works: while imports work, or once an earlier warning imported it.
    if (hasSource && warningsModuleLoaded(it)) {
        const importsWork = !it.io.warningsModuleRemoved && !AFTER_REMOVE.has(it.phase);
        if (importsWork) it.io.tracemallocImported = true;
        if (it.io.tracemallocImported) out += `${category}: Enable tracemalloc to get the object allocation traceback\n`;
    }
    stderr.stream.write(out);
}

/**
 * Is the Python `warnings` module in sys.modules (else the C fallback, show_warning, prints)? The
 * command-line options import it at start-up (3.x); finalize_remove_modules removes it right after
 * __main__, and nothing imports it again.
 */
function warningsModuleLoaded(it: Interpreter): boolean {
    if (!it.io.flags.argv.length || it.profile.major === 2) return false;
    return !it.io.warningsModuleRemoved;
}

/** Phases in which the import system no longer works (sys.modules is being or has been emptied). */
const AFTER_REMOVE = new Set(['remove-modules', 'restore-builtins', 'teardown-gc', 'wipe-modules', 'wipe-sys-builtins', 'final-gc', 'after-exit']);
