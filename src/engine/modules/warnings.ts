/*
 * warnings.ts
 *
 * The `warnings` module (Lib/warnings.py over Python/_warnings.c; interp/warnings.ts is the C
 * part every warning goes through):
 *
 *   - warn(message, category=None, stacklevel=1, source=None) — _warnings.warn (a built-in); a
 *     Warning instance gives its class as the category; a category that is no Warning subclass
 *     is CPython's TypeError (2.7: ValueError).
 *   - filters: the list the C code reads while the module is imported, of 5-tuples (action, None,
 *     category, None or a module name, lineno), starting as each version's defaults behind the
 *     command-line options' entries.
 *   - simplefilter(action, category=Warning, lineno=0, append=False): 3.x's _add_filter moves an
 *     equal entry to the front (or appends it once); 2.7 inserts or appends a new one every time.
 *     filterwarnings with neither message nor module pattern does the same on 3.x; patterns (and
 *     2.7's filterwarnings, which always compiles them) are refused. resetwarnings empties the list.
 *     3.x counts each change (_filters_mutated), which empties every `__warningregistry__` at its
 *     next warning; 2.7 does not.
 *   - catch_warnings(record=False): `__enter__` keeps the module's list in `_filters` and gives
 *     the module a copy, and `showwarning`; `record=True` returns a new list that collects a
 *     WarningMessage per shown warning (holding the Warning instance and, 3.x, the `source`
 *     object) until `__exit__` puts the list and showwarning back. 3.11+ `action`, `category`,
 *     `lineno`, `append` apply a simplefilter on entry.
 *   - WarningMessage, showwarning, formatwarning (the source line of the scenario's own file),
 *     defaultaction, onceregistry.
 * The Python functions are built-ins of the `function` type: no frames of warnings.py show in a
 * traceback. Not modelled (refused by name): warn_explicit, the module's private names.
 */

import type { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyList, PyTuple } from '../runtime/containers';
import { PyInt, PyStr } from '../runtime/values';
import { PyBuiltin, type KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { getAttr, setAttr } from '../interp/attrs';
import { repr, str } from '../interp/format';
import { truthy } from '../interp/ops';
import { OutStreamObject } from '../builtins/modules';
import { unsupportedAt } from '../names/refuse';
import { warnContext, warnExplicit, warningsState, initialFilters, filterTuple } from '../interp/warnings';
import { pythonClass, pyFunctionType, recordedIn } from './stdTypes';

const ACTIONS = new Set(['error', 'ignore', 'always', 'default', 'module', 'once']);

/** Positional-or-keyword arguments by name: `names[i]` from args[i] or the keyword; extra ones refused. */
function bind(it: Interpreter, fname: string, names: string[], args: PyObject[], kwargs: KwArgs): (PyObject | undefined)[] {
    if (args.length > names.length) throw unsupportedAt(it, `warnings.${fname} with ${args.length} positional arguments`);
    const out: (PyObject | undefined)[] = names.map((_, i) => args[i]);
    for (const [k, v] of kwargs ?? []) {
        const i = names.indexOf(k);
        if (i < 0 || out[i] !== undefined) throw unsupportedAt(it, `warnings.${fname} with the keyword argument ${k}`);
        out[i] = v;
    }
    return out;
}

export function createWarningsModule(it: Interpreter): PyModule {
    const m = it.newModule('warnings');
    const py3 = it.profile.major === 3;
    const st = warningsState(it);
    const fn = (name: string, impl: (args: PyObject[], kwargs: KwArgs) => PyObject): PyBuiltin => {
        const f = new PyBuiltin(pyFunctionType(it), name, (_s, args, kwargs) => impl(args, kwargs));
        f.id = it.heap.newId();
        return f;
    };
    const setFn = (name: string, f: PyObject): void => {
        if (recordedIn(it, 'warnings', name)) m.dict.set(it.heap, it.str(name), f);
    };

    // `filters = _warnings.filters`: the C state's list, which keeps the reference it made.
    const filters = it.list(initialFilters(it).map((f) => filterTuple(it, f)));
    m.dict.set(it.heap, it.str('filters'), filters);
    st.cFilters = filters;
    const mutated = (): void => {
        if (py3) st.mutations++;
    };
    const filterList = (): PyList => {
        const l = m.dict.getStr('filters');
        if (!(l instanceof PyList)) throw unsupportedAt(it, 'warnings.filters that is not a list');
        return l;
    };

    // warn (_warnings.warn)
    const warnNames = py3 ? ['message', 'category', 'stacklevel', 'source'] : ['message', 'category', 'stacklevel'];
    m.dict.set(
        it.heap,
        it.str('warn'),
        it.builtin('warn', (_s, args, kwargs) => {
            if (!py3 && kwargs?.has('source')) throw it.error('TypeError', "'source' is an invalid keyword argument for this function");
            const [message, cat, level, source] = bind(it, 'warn', warnNames, args, kwargs);
            if (message === undefined) throw unsupportedAt(it, 'warnings.warn() without a message');
            let category: PyObject = cat === undefined || cat === it.None ? it.T.UserWarning : cat;
            if (message.type.isSubtypeOf(it.T.Warning)) category = message.type;
            if (!(category instanceof PyType) || !category.isSubtypeOf(it.T.Warning)) {
                if (py3) throw it.error('TypeError', `category must be a Warning subclass, not '${category.type.name}'`);
                throw it.error('ValueError', 'category is not a subclass of Warning');
            }
            let stacklevel = 1;
            if (level !== undefined) {
                if (!(level instanceof PyInt) || level.type !== it.T.int) throw unsupportedAt(it, `warnings.warn with a stacklevel of type '${level.type.name}'`);
                stacklevel = Number(level.v);
            }
            warnExplicit(it, category, message, warnContext(it, stacklevel), source === undefined || source === it.None ? null : source, false);
            return it.None;
        }),
    );

    // _add_filter (3.x: an equal entry moves to the front, or is appended once; 2.7: always added)
    const addFilter = (action: PyObject, category: PyObject, lineno: PyObject, append: boolean): void => {
        if (!(action instanceof PyStr) || !ACTIONS.has(action.v)) throw unsupportedAt(it, `a warnings filter with the action ${repr(it, action)}`);
        if (!(lineno instanceof PyInt) || lineno.type !== it.T.int || Number(lineno.v) < 0) throw unsupportedAt(it, `a warnings filter with the lineno ${repr(it, lineno)}`);
        if (!(category instanceof PyType) || !category.isSubtypeOf(it.T.Warning)) throw unsupportedAt(it, `a warnings filter with the category ${repr(it, category)}`);
        const list = filterList();
        const item = filterTuple(it, { action: action.v, message: null, category, module: null, lineno: Number(lineno.v) });
        const same = (o: PyObject): boolean =>
            o instanceof PyTuple && o.items.length === 5 && o.items[0] instanceof PyStr && o.items[0].v === action.v && o.items[1] === it.None && o.items[2] === category && o.items[3] === it.None && o.items[4] instanceof PyInt && o.items[4].v === (lineno as PyInt).v;
        const idx = py3 ? list.items.findIndex(same) : -1;
        if (append) {
            if (idx < 0) {
                list.items.push(item);
                it.heap.adopt(list, item, `[${list.items.length - 1}]`);
            } else it.decref(item);
        } else {
            if (idx >= 0) {
                const old = list.items.splice(idx, 1)[0];
                it.heap.release(list, old, `[${idx}]`);
            }
            list.items.unshift(item);
            it.heap.adopt(list, item, '[0]');
        }
        mutated();
    };

    setFn(
        'simplefilter',
        fn('simplefilter', (args, kwargs) => {
            const [action, category, lineno, append] = bind(it, 'simplefilter', ['action', 'category', 'lineno', 'append'], args, kwargs);
            if (action === undefined) throw unsupportedAt(it, 'warnings.simplefilter() without an action');
            addFilter(action, category ?? it.T.Warning, lineno ?? it.int(0), append !== undefined && truthy(it, append));
            return it.None;
        }),
    );
    setFn(
        'filterwarnings',
        fn('filterwarnings', (args, kwargs) => {
            const [action, message, category, module, lineno, append] = bind(it, 'filterwarnings', ['action', 'message', 'category', 'module', 'lineno', 'append'], args, kwargs);
            const empty = (o: PyObject | undefined): boolean => o === undefined || (o instanceof PyStr && o.v === '');
            // 2.7 compiles even empty patterns (re objects in the filters); 3.x only non-empty ones.
            if (!py3 || !empty(message) || !empty(module)) throw unsupportedAt(it, 'warnings.filterwarnings with a message or module pattern (regular expressions)');
            if (action === undefined) throw unsupportedAt(it, 'warnings.filterwarnings() without an action');
            addFilter(action, category ?? it.T.Warning, lineno ?? it.int(0), append !== undefined && truthy(it, append));
            return it.None;
        }),
    );
    setFn(
        'resetwarnings',
        fn('resetwarnings', (args, kwargs) => {
            bind(it, 'resetwarnings', [], args, kwargs);
            const list = filterList();
            const old = list.items.splice(0);
            for (let i = 0; i < old.length; i++) it.heap.release(list, old[i], `[${i}]`);
            mutated();
            return it.None;
        }),
    );

    // formatwarning / showwarning (the scenario's own lines as linecache would read them)
    const sourceLine = (filename: PyObject, lineno: PyObject, line: PyObject | undefined): string | null => {
        if (line !== undefined && line !== it.None) return str(it, line);
        if (filename instanceof PyStr && lineno instanceof PyInt && filename.v === warnContext(it, 1).filename) return it.sourceLines[Number(lineno.v) - 1] ?? '';
        throw unsupportedAt(it, 'warnings.formatwarning of a line outside the scenario');
    };
    const format = (args: PyObject[], kwargs: KwArgs, fname: string, names: string[]): [string, PyObject | undefined] => {
        const [message, category, filename, lineno, a4, a5] = bind(it, fname, names, args, kwargs);
        if (message === undefined || !(category instanceof PyType) || filename === undefined || lineno === undefined) throw unsupportedAt(it, `warnings.${fname} without its four arguments`);
        const line = fname === 'formatwarning' ? a4 : a5;
        let s = `${str(it, filename)}:${str(it, lineno)}: ${category.name}: ${str(it, message)}\n`;
        const text = sourceLine(filename, lineno, line)?.trim();
        if (text) s += `  ${text}\n`;
        return [s, fname === 'showwarning' ? a4 : undefined];
    };
    setFn(
        'formatwarning',
        fn('formatwarning', (args, kwargs) => it.str(format(args, kwargs, 'formatwarning', ['message', 'category', 'filename', 'lineno', 'line'])[0])),
    );
    const showwarning = fn('showwarning', (args, kwargs) => {
        const [s, file] = format(args, kwargs, 'showwarning', ['message', 'category', 'filename', 'lineno', 'file', 'line']);
        if (file !== undefined && file !== it.None) throw unsupportedAt(it, 'warnings.showwarning to a file');
        const stderr = it.sysModule.dict.getStr('stderr');
        if (stderr instanceof OutStreamObject) stderr.stream.write(s);
        return it.None;
    });
    st.showwarningOrig = showwarning;
    setFn('showwarning', showwarning);
    if (recordedIn(it, 'warnings', 'defaultaction')) {
        const d = it.str('default');
        m.dict.set(it.heap, it.str('defaultaction'), d);
        it.decref(d);
    }
    if (recordedIn(it, 'warnings', 'onceregistry')) {
        const d = it.dict();
        m.dict.set(it.heap, it.str('onceregistry'), d);
        it.decref(d);
    }

    // WarningMessage
    const detail = py3 ? ['message', 'category', 'filename', 'lineno', 'file', 'line', 'source'] : ['message', 'category', 'filename', 'lineno', 'file', 'line'];
    const warningMessage = pythonClass(it, 'warnings', 'WarningMessage', null, {
        __init__: (self, args, kwargs) => {
            const vals = bind(it, 'WarningMessage', detail, args, kwargs);
            if (vals.slice(0, 4).some((v) => v === undefined)) throw unsupportedAt(it, 'warnings.WarningMessage without its four arguments');
            detail.forEach((name, i) => setAttr(it, self, name, vals[i] ?? it.None));
            const cat = vals[1]!;
            const cname = cat instanceof PyType ? it.str(cat.name) : cat === it.None || !truthy(it, cat) ? it.incref(it.None) : null;
            if (!cname) throw unsupportedAt(it, 'a warnings.WarningMessage whose category is not a class');
            setAttr(it, self, '_category_name', cname);
            it.decref(cname);
            return it.None;
        },
        __str__: (self) => {
            const get = (n: string): PyObject => getAttr(it, self, n);
            const parts = ['message', '_category_name', 'filename', 'lineno', 'line'].map((n) => {
                const v = get(n);
                try {
                    return n === 'lineno' ? str(it, v) : repr(it, v);
                } finally {
                    it.decref(v);
                }
            });
            return it.str(`{message : ${parts[0]}, category : ${parts[1]}, filename : ${parts[2]}, lineno : ${parts[3]}, line : ${parts[4]}}`);
        },
    });
    st.warningMessage = warningMessage;
    setFn('WarningMessage', warningMessage);

    // catch_warnings
    const cwNames = it.profile.minor >= 11 ? ['record', 'module', 'action', 'category', 'lineno', 'append'] : ['record', 'module'];
    const catchWarnings = pythonClass(it, 'warnings', 'catch_warnings', null, {
        __init__: (self, args, kwargs) => {
            // 3.x: keyword-only; 2.7: (record=False, module=None).
            if (py3 && args.length) throw unsupportedAt(it, 'warnings.catch_warnings with positional arguments');
            const vals = bind(it, 'catch_warnings', cwNames, args, kwargs);
            if (vals[1] !== undefined && vals[1] !== it.None) throw unsupportedAt(it, 'warnings.catch_warnings(module=...)');
            setAttr(it, self, '_record', it.bool(vals[0] !== undefined && truthy(it, vals[0])));
            setAttr(it, self, '_module', m);
            setAttr(it, self, '_entered', it.False);
            if (it.profile.minor >= 11 && py3) {
                if (vals[2] !== undefined && vals[2] !== it.None) {
                    const f = it.tuple([it.incref(vals[2]), it.incref(vals[3] ?? it.T.Warning), it.incref(vals[4] ?? it.int(0)), it.bool(vals[5] !== undefined && truthy(it, vals[5]))]);
                    setAttr(it, self, '_filter', f);
                    it.decref(f);
                } else setAttr(it, self, '_filter', it.None);
            }
            return it.None;
        },
        __repr__: (self) => {
            const rec = getAttr(it, self, '_record');
            const on = truthy(it, rec);
            it.decref(rec);
            return it.str(on ? 'catch_warnings(record=True)' : 'catch_warnings()');
        },
        __enter__: (self) => {
            const entered = getAttr(it, self, '_entered');
            const twice = truthy(it, entered);
            it.decref(entered);
            if (twice) throw unsupportedAt(it, 'entering a warnings.catch_warnings twice');
            setAttr(it, self, '_entered', it.True);
            const old = filterList();
            setAttr(it, self, '_filters', old);
            const copy = it.list(old.items.map((x) => it.incref(x)));
            m.dict.set(it.heap, it.str('filters'), copy);
            it.decref(copy);
            mutated();
            const sw = m.dict.getStr('showwarning') ?? it.None;
            setAttr(it, self, '_showwarning', sw);
            const rec = getAttr(it, self, '_record');
            const record = truthy(it, rec);
            it.decref(rec);
            if (py3 && it.profile.minor >= 11) {
                const f = getAttr(it, self, '_filter');
                try {
                    if (f instanceof PyTuple) addFilter(f.items[0], f.items[1], f.items[2], truthy(it, f.items[3]));
                } finally {
                    it.decref(f);
                }
            }
            if (!record) return it.None;
            // The module's _showwarnmsg_impl (2.7: showwarning) becomes log.append.
            const log = it.list([]);
            st.logs.push(log);
            it.heap.acquire(m, log, '_showwarnmsg_impl');
            m.dict.set(it.heap, it.str('showwarning'), showwarning);
            return log;
        },
        __exit__: (self) => {
            const saved = getAttr(it, self, '_filters');
            m.dict.set(it.heap, it.str('filters'), saved);
            it.decref(saved);
            mutated();
            const sw = getAttr(it, self, '_showwarning');
            m.dict.set(it.heap, it.str('showwarning'), sw);
            it.decref(sw);
            const rec = getAttr(it, self, '_record');
            const record = truthy(it, rec);
            it.decref(rec);
            if (record) {
                const log = st.logs.pop();
                if (log) it.heap.release(m, log, '_showwarnmsg_impl');
            }
            return it.None;
        },
    });
    setFn('catch_warnings', catchWarnings);
    return m;
}
