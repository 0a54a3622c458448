/*
 * logging.ts
 *
 * The `logging` module (Lib/logging/__init__.py, pure Python), for what programs about exit use:
 *   - the logger tree: the root logger (WARNING) and `getLogger(name)`, each logger's parent the
 *     nearest existing ancestor (Manager._fixupParents / _fixupChildren), `setLevel`, `propagate`,
 *     `disabled`, `handlers`; a record goes to every handler up the tree (callHandlers) whose level
 *     it reaches, or to `lastResort` (a stderr handler at WARNING, message only) when none exists;
 *   - StreamHandler (to `sys.stderr` as it is when the handler is made, or the given stream):
 *     `stream.write(msg + terminator)` then `flush()`; Formatter with the `%` style over the record's
 *     attributes (name, levelname, levelno, message, msg, args, lineno, funcName, module, filename,
 *     pathname, threadName, processName);
 *   - basicConfig (once, unless `force=True`, 3.8+) and the module functions (`logging.info`…),
 *     which call basicConfig() first when the root logger has no handler;
 *   - `shutdown`, registered with atexit when the module is imported (so it runs after the
 *     program's own exit handlers registered later): every handler still alive, newest first, is
 *     flushed and closed. A logger keeps working after that (a StreamHandler's close leaves the
 *     stream open), so a `__del__` that logs during interpreter teardown still writes, as in CPython.
 * Loggers and handlers are objects of the module's classes, which hold them as CPython does (the
 * manager's dict holds every logger, a logger its handlers, a handler its stream and formatter).
 * The record (LogRecord) is not built as an object. Refused: timestamps and ids in formats
 * (`asctime`, `created`, `msecs`, `relativeCreated`, `thread`, `process`), `{`/`$` styles,
 * FileHandler and the other handlers, filters, `exc_info`/`exception()`, `extra`, `stack_info`.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyDict, PyList } from '../runtime/containers';
import { PyInt, PyStr } from '../runtime/values';
import type { KwArgs } from '../runtime/callables';
import type { PyModule } from '../runtime/frames';
import { PyExtObject } from '../runtime/extobject';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { getAttr } from '../interp/attrs';
import { repr, str } from '../interp/format';
import { binaryOp, truthy } from '../interp/ops';
import { unsupportedAt } from '../names/refuse';
import { arity } from '../builtins/args';
import { defineFn, setModuleAttr, importModule } from '../builtins/modules';
import { registerExitFunc } from '../builtins/atexitModule';
import { Frame } from '../interp/frame';
import { stdType, recordedIn } from './stdTypes';

const LEVELS: [string, number][] = [
    ['CRITICAL', 50],
    ['FATAL', 50],
    ['ERROR', 40],
    ['WARNING', 30],
    ['WARN', 30],
    ['INFO', 20],
    ['DEBUG', 10],
    ['NOTSET', 0],
];
const LEVEL_NAME = new Map<number, string>([
    [50, 'CRITICAL'],
    [40, 'ERROR'],
    [30, 'WARNING'],
    [20, 'INFO'],
    [10, 'DEBUG'],
    [0, 'NOTSET'],
]);
const NONDETERMINISTIC = new Set(['asctime', 'created', 'msecs', 'relativeCreated', 'thread', 'process', 'taskName']);

class LoggerObject extends PyExtObject {
    level = 0;
    propagate = true;
    disabled = false;
    parent: LoggerObject | null = null;
    /** The root's manager (Logger.manager): its loggerDict holds every logger getLogger made. */
    loggerDict: PyDict | null = null;
    constructor(
        type: PyType,
        readonly name: string,
        public handlers: PyList | null,
    ) {
        super(type);
    }
    override get hasDict(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.parent) visit(this.parent);
        if (this.handlers) visit(this.handlers);
        if (this.loggerDict) visit(this.loggerDict);
        this.visitAttrs(visit);
    }
    override clear(r: Refs): void {
        const { parent, handlers, loggerDict } = this;
        this.parent = null;
        this.handlers = null;
        this.loggerDict = null;
        this.clearAttrs(r);
        if (parent) r.release(this, parent, 'parent');
        if (handlers) r.release(this, handlers, 'handlers');
        if (loggerDict) r.release(this, loggerDict, 'manager.loggerDict');
    }
}

class HandlerObject extends PyExtObject {
    level = 0;
    closed = false;
    /** lastResort (_StderrHandler): writes to whatever sys.stderr is when it emits. */
    toStderr = false;
    constructor(
        type: PyType,
        public stream: PyObject | null,
        public formatter: PyObject | null,
    ) {
        super(type);
    }
    override get hasDict(): boolean {
        return true;
    }
    override traverse(visit: Visit): void {
        if (this.stream) visit(this.stream);
        if (this.formatter) visit(this.formatter);
        this.visitAttrs(visit);
    }
    override clear(r: Refs): void {
        const { stream, formatter } = this;
        this.stream = this.formatter = null;
        this.clearAttrs(r);
        if (stream) r.release(this, stream, 'stream');
        if (formatter) r.release(this, formatter, 'formatter');
    }
}

class FormatterObject extends PyExtObject {
    constructor(
        type: PyType,
        public fmt: PyStr,
    ) {
        super(type);
    }
    override get hasDict(): boolean {
        return true;
    }
}

interface LoggingState {
    root: LoggerObject;
    loggers: Map<string, LoggerObject>;
    /** The manager's loggerDict (held by the root logger): every logger made by getLogger. */
    loggerDict: PyDict;
    /** _handlerList: every handler made, oldest first (weak references: a dead one is skipped). */
    handlerList: HandlerObject[];
    disable: number;
    lastResort: HandlerObject;
    loggerType: PyType;
    handlerType: PyType;
    formatterType: PyType;
}

export function createLoggingModule(it: Interpreter): PyModule {
    if (it.profile.major === 2) throw unsupportedAt(it, "import logging on Python 2.7 (its handlers' messages and shutdown differ)");
    // logging imports threading (whose shutdown then runs at exit) before it is itself registered.
    it.decref(importModule(it, 'threading', { line: it.line, col: it.col, endLine: it.line, endCol: it.col }));
    const m = it.newModule('logging');
    const has = (n: string): boolean => recordedIn(it, 'logging', n);
    const lg = (o: PyObject): LoggerObject => o as LoggerObject;
    const hd = (o: PyObject): HandlerObject => o as HandlerObject;

    const checkLevel = (o: PyObject): number => {
        if (o instanceof PyInt && o.type !== it.T.bool) return Number(o.v);
        if (o instanceof PyStr) {
            const found = LEVELS.find(([n]) => n === o.v);
            if (!found) throw it.error('ValueError', `Unknown level: ${repr(it, o)}`);
            return found[1];
        }
        throw it.error('TypeError', `Level not an integer or a valid string: ${repr(it, o)}`);
    };
    const levelName = (n: number): string => LEVEL_NAME.get(n) ?? `Level ${n}`;

    // ---- Formatter
    const formatterType: PyType = stdType(it, {
        name: 'Formatter',
        module: 'logging',
        ctor: (args, kwargs) => {
            arity(it, 'Formatter', args, 0, 3);
            const fmt = args[0] ?? kwargs?.get('fmt') ?? it.None;
            const datefmt = args[1] ?? kwargs?.get('datefmt') ?? it.None;
            const style = args[2] ?? kwargs?.get('style') ?? null;
            if (style && !(style instanceof PyStr && style.v === '%')) throw unsupportedAt(it, `logging.Formatter(style=${repr(it, style)})`);
            if (datefmt !== it.None) throw unsupportedAt(it, 'logging.Formatter(datefmt=…) (timestamps)');
            const f = fmt === it.None ? it.str('%(message)s') : fmt;
            if (!(f instanceof PyStr)) throw unsupportedAt(it, `logging.Formatter of a '${f.type.name}'`);
            for (const mm of f.v.matchAll(/%\((\w+)\)/g)) if (NONDETERMINISTIC.has(mm[1])) throw unsupportedAt(it, `logging formats with %(${mm[1]}) (times and ids of the run)`);
            const o = it.heap.register(new FormatterObject(formatterType, f === fmt ? (it.incref(f) as PyStr) : f));
            return o;
        },
    });
    /** Formatter.format(record): `fmt % record.__dict__` with `message` set. */
    const format = (fmtr: FormatterObject, rec: Map<string, PyObject>): string => {
        const d = it.dict();
        try {
            for (const [k, v] of rec) d.set(it.heap, it.str(k), v);
            const r = binaryOp(it, 'Mod', fmtr.fmt, d);
            try {
                return (r as PyStr).v;
            } finally {
                it.decref(r);
            }
        } finally {
            it.decref(d);
        }
    };

    // ---- handlers
    const st = {} as LoggingState;
    const setFormatter = (h: HandlerObject, f: PyObject): void => {
        const old = h.formatter;
        h.formatter = f === it.None ? null : f;
        if (h.formatter) it.heap.acquire(h, h.formatter, 'formatter');
        if (old) it.heap.release(h, old, 'formatter');
    };
    const newHandler = (t: PyType, stream: PyObject | null, level: number): HandlerObject => {
        const h = it.heap.register(new HandlerObject(t, stream, null));
        if (stream) it.heap.acquire(h, stream, 'stream');
        h.level = level;
        st.handlerList.push(h);
        return h;
    };
    const handlerType: PyType = stdType(it, {
        name: 'StreamHandler',
        module: 'logging',
        methods: {
            setLevel: (self, args) => {
                arity(it, 'setLevel', args, 1, 1);
                hd(self).level = checkLevel(args[0]);
                return it.None;
            },
            setFormatter: (self, args) => {
                arity(it, 'setFormatter', args, 1, 1);
                setFormatter(hd(self), args[0]);
                return it.None;
            },
            flush: (self) => {
                flushHandler(hd(self));
                return it.None;
            },
            close: (self) => {
                hd(self).closed = true;
                return it.None;
            },
        },
        members: {
            level: (self) => it.int(hd(self).level),
            stream: (self) => it.incref(hd(self).stream ?? it.None),
            formatter: (self) => it.incref(hd(self).formatter ?? it.None),
            terminator: () => it.str('\n'),
        },
        ctor: (args, kwargs) => {
            arity(it, 'StreamHandler', args, 0, 1);
            let stream = args[0] ?? kwargs?.get('stream') ?? it.None;
            if (stream === it.None) stream = it.sysModule.dict.getStr('stderr') ?? it.None;
            return newHandler(handlerType, stream, 0);
        },
    });
    const streamOf = (h: HandlerObject): PyObject | null => (h.toStderr ? it.sysModule.dict.getStr('stderr') : h.stream);
    const flushHandler = (h: HandlerObject): void => {
        const s = streamOf(h);
        if (!s || s === it.None) return;
        const f = getAttr(it, s, 'flush');
        try {
            it.decref(call(it, f, [], null));
        } finally {
            it.decref(f);
        }
    };
    const emit = (h: HandlerObject, rec: Map<string, PyObject>, defaultFormatter: FormatterObject): void => {
        const text = format((h.formatter as FormatterObject | null) ?? defaultFormatter, rec);
        const s = streamOf(h);
        if (!s || s === it.None) return;
        const w = getAttr(it, s, 'write');
        try {
            it.decref(call(it, w, [it.str(text + '\n')], null));
        } finally {
            it.decref(w);
        }
        flushHandler(h);
    };

    // ---- loggers
    const loggerMethods: Record<string, (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject> = {};
    const loggerType: PyType = stdType(it, {
        name: 'Logger',
        module: 'logging',
        methods: loggerMethods,
        members: {
            name: (self) => it.str(lg(self).name),
            level: (self) => it.int(lg(self).level),
            parent: (self) => it.incref(lg(self).parent ?? it.None),
            propagate: (self) => it.bool(lg(self).propagate),
            disabled: (self) => it.bool(lg(self).disabled),
            handlers: (self) => it.incref(lg(self).handlers ?? it.None),
        },
        setters: {
            level: (self, v) => {
                lg(self).level = checkLevel(v);
            },
            propagate: (self, v) => {
                lg(self).propagate = truthy(it, v);
            },
            disabled: (self, v) => {
                lg(self).disabled = truthy(it, v);
            },
        },
        repr: (self) => {
            const l = lg(self);
            return `<${l === st.root ? 'RootLogger' : 'Logger'} ${l.name} (${levelName(effectiveLevel(l))})>`;
        },
    });
    const effectiveLevel = (l: LoggerObject): number => {
        for (let c: LoggerObject | null = l; c; c = c.parent) if (c.level) return c.level;
        return 0;
    };
    const setParent = (l: LoggerObject, p: LoggerObject): void => {
        const old = l.parent;
        l.parent = p;
        it.heap.acquire(l, p, 'parent');
        if (old) it.heap.release(l, old, 'parent');
    };
    const newLogger = (name: string): LoggerObject => {
        const hl = it.list([]);
        const l = it.heap.register(new LoggerObject(loggerType, name, hl));
        it.heap.adopt(l, hl, 'handlers');
        return l;
    };
    const getLogger = (name: string | null): LoggerObject => {
        if (name === null || name === '' || (name === 'root' && it.profile.stdlib.loggingRootByName)) return st.root;
        const found = st.loggers.get(name);
        if (found) return found;
        const l = newLogger(name);
        st.loggers.set(name, l);
        st.loggerDict.set(it.heap, it.str(name), l);
        it.decref(l);
        // _fixupParents: the nearest existing ancestor; _fixupChildren: loggers below this one.
        let parent: LoggerObject = st.root;
        for (let i = name.lastIndexOf('.'); i > 0; i = name.lastIndexOf('.', i - 1)) {
            const p = st.loggers.get(name.slice(0, i));
            if (p) {
                parent = p;
                break;
            }
        }
        setParent(l, parent);
        for (const c of st.loggers.values()) {
            if (c !== l && c.name.startsWith(name + '.') && c.parent && !c.parent.name.startsWith(name)) {
                setParent(l, c.parent);
                setParent(c, l);
            }
        }
        return l;
    };
    /** Logger._log: the record's attributes, then callHandlers. */
    const log = (l: LoggerObject, level: number, args: PyObject[], kwargs: KwArgs): void => {
        for (const k of kwargs?.keys() ?? []) throw unsupportedAt(it, `logging calls with ${k}=…`);
        if (l.disabled || st.disable >= level || level < effectiveLevel(l)) return;
        const [msgObj, ...rest] = args;
        let msgArgs: PyObject = it.tuple(rest.map((x) => it.incref(x)));
        if (rest.length === 1 && rest[0] instanceof PyDict) {
            it.decref(msgArgs);
            msgArgs = it.incref(rest[0]);
        }
        try {
            let message = str(it, msgObj);
            if (rest.length) {
                const r = binaryOp(it, 'Mod', it.str(message), msgArgs);
                message = (r as PyStr).v;
                it.decref(r);
            }
            const file = it.fileName.split('/').pop() ?? it.fileName;
            const rec = new Map<string, PyObject>([
                ['name', it.str(l.name)],
                ['msg', msgObj],
                ['args', msgArgs],
                ['levelname', it.str(levelName(level))],
                ['levelno', it.int(level)],
                ['pathname', it.str(it.fileName)],
                ['filename', it.str(file)],
                ['module', it.str(file.replace(/\.[^.]*$/, ''))],
                ['lineno', it.int(it.line)],
                ['funcName', it.str(it.frame instanceof Frame ? it.frame.code.name : '<module>')],
                ['threadName', it.str('MainThread')],
                ['processName', it.str('MainProcess')],
                ['message', it.str(message)],
            ]);
            let found = 0;
            for (let c: LoggerObject | null = l; c; c = c.propagate ? c.parent : null) {
                for (const h of [...(c.handlers?.items ?? [])]) {
                    found++;
                    if (level >= hd(h).level) emit(hd(h), rec, defaultFormatter);
                }
            }
            if (!found && level >= st.lastResort.level) emit(st.lastResort, rec, defaultFormatter);
        } finally {
            it.decref(msgArgs);
        }
    };
    const defaultFormatter = it.heap.register(new FormatterObject(formatterType, it.str('%(message)s')));

    const levelMethod = (level: number) => (self: PyObject, args: PyObject[], kwargs: KwArgs): PyObject => {
        arity(it, 'log', args, 1, Infinity);
        log(lg(self), level, args, kwargs);
        return it.None;
    };
    Object.assign(loggerMethods, {
        debug: levelMethod(10),
        info: levelMethod(20),
        warning: levelMethod(30),
        error: levelMethod(40),
        critical: levelMethod(50),
        fatal: levelMethod(50),
        log: (self: PyObject, args: PyObject[], kwargs: KwArgs) => {
            arity(it, 'log', args, 2, Infinity);
            const level = args[0];
            if (!(level instanceof PyInt)) throw it.error('TypeError', 'level must be an integer');
            log(lg(self), Number(level.v), args.slice(1), kwargs);
            return it.None;
        },
        setLevel: (self: PyObject, args: PyObject[]) => {
            arity(it, 'setLevel', args, 1, 1);
            lg(self).level = checkLevel(args[0]);
            return it.None;
        },
        getEffectiveLevel: (self: PyObject) => it.int(effectiveLevel(lg(self))),
        isEnabledFor: (self: PyObject, args: PyObject[]) => {
            arity(it, 'isEnabledFor', args, 1, 1);
            const level = checkLevel(args[0]);
            const l = lg(self);
            return it.bool(!l.disabled && st.disable < level && level >= effectiveLevel(l));
        },
        addHandler: (self: PyObject, args: PyObject[]) => {
            arity(it, 'addHandler', args, 1, 1);
            const hl = lg(self).handlers!;
            if (!hl.items.includes(args[0])) {
                hl.items.push(it.incref(args[0]));
                it.heap.adopt(hl, args[0], `[${hl.items.length - 1}]`);
            }
            return it.None;
        },
        removeHandler: (self: PyObject, args: PyObject[]) => {
            arity(it, 'removeHandler', args, 1, 1);
            const hl = lg(self).handlers!;
            const i = hl.items.indexOf(args[0]);
            if (i >= 0) {
                const [h] = hl.items.splice(i, 1);
                it.heap.release(hl, h, `[${i}]`);
            }
            return it.None;
        },
        hasHandlers: (self: PyObject) => {
            for (let c: LoggerObject | null = lg(self); c; c = c.propagate ? c.parent : null) if (c.handlers?.items.length) return it.True;
            return it.False;
        },
        getChild: (self: PyObject, args: PyObject[]) => {
            arity(it, 'getChild', args, 1, 1);
            const l = lg(self);
            const suffix = str(it, args[0]);
            return it.incref(getLogger(l === st.root ? suffix : `${l.name}.${suffix}`));
        },
    });
    for (const [k, fn] of Object.entries(loggerMethods)) loggerType.dict.set(it.heap, it.str(k), it.builtin(k, (self, a, kw) => fn(self!, a, kw), 'Logger', true));

    // ---- state
    st.loggers = new Map();
    st.loggerDict = it.dict();
    st.handlerList = [];
    st.disable = 0;
    st.loggerType = loggerType;
    st.handlerType = handlerType;
    st.formatterType = formatterType;
    st.root = newLogger('root');
    st.root.level = 30;
    st.root.loggerDict = st.loggerDict;
    it.heap.adopt(st.root, st.loggerDict, 'manager.loggerDict');
    // lastResort: _StderrHandler(WARNING), writing to whatever sys.stderr is.
    st.lastResort = it.heap.register(new HandlerObject(handlerType, null, null));
    st.lastResort.level = 30;
    st.lastResort.toStderr = true;
    it.moduleState.set('logging', st);

    const basicConfig = (kwargs: KwArgs): void => {
        const kw = new Map(kwargs ?? []);
        const take = (k: string): PyObject | null => {
            const v = kw.get(k) ?? null;
            kw.delete(k);
            return v;
        };
        const force = take('force');
        if (force && truthy(it, force)) {
            for (const h of [...st.root.handlers!.items]) {
                loggerMethods.removeHandler(st.root, [h], null);
                hd(h).closed = true;
            }
        }
        if (st.root.handlers!.items.length === 0) {
            if (take('handlers') || take('filename')) throw unsupportedAt(it, 'logging.basicConfig(handlers=…/filename=…)');
            const stream = take('stream');
            const fs = take('format') ?? it.str('%(levelname)s:%(name)s:%(message)s');
            const style = take('style');
            const datefmt = take('datefmt');
            const h = call(it, handlerType, stream ? [stream] : [], null);
            const fmt = call(it, formatterType, [fs, datefmt ?? it.None, ...(style ? [style] : [])], null);
            setFormatter(hd(h), fmt);
            it.decref(fmt);
            loggerMethods.addHandler(st.root, [h], null);
            it.decref(h);
            const level = take('level');
            if (level) st.root.level = checkLevel(level);
            if (kw.size) throw it.error('ValueError', `Unrecognised argument(s): ${[...kw.keys()].join(', ')}`);
        }
    };

    // ---- the module's names
    for (const [name, level] of LEVELS) setModuleAttr(it, m, name, it.int(level));
    // The module's globals own what the module made (root, lastResort, _defaultFormatter).
    m.dict.set(it.heap, it.str('root'), st.root);
    it.decref(st.root);
    m.dict.set(it.heap, it.str('Logger'), loggerType);
    m.dict.set(it.heap, it.str('StreamHandler'), handlerType);
    m.dict.set(it.heap, it.str('Formatter'), formatterType);
    m.dict.set(it.heap, it.str('lastResort'), st.lastResort);
    it.decref(st.lastResort);
    m.dict.set(it.heap, it.str('_defaultFormatter'), defaultFormatter);
    it.decref(defaultFormatter);
    defineFn(it, m, 'getLogger', (args) => {
        arity(it, 'getLogger', args, 0, 1);
        const n = args[0] ?? it.None;
        if (n !== it.None && !(n instanceof PyStr)) throw it.error('TypeError', 'A logger name must be a string');
        return it.incref(getLogger(n === it.None ? null : (n as PyStr).v));
    });
    defineFn(it, m, 'basicConfig', (args, kwargs) => {
        arity(it, 'basicConfig', args, 0, 0);
        basicConfig(kwargs);
        return it.None;
    });
    defineFn(it, m, 'getLevelName', (args) => {
        arity(it, 'getLevelName', args, 1, 1);
        const a = args[0];
        if (a instanceof PyInt) return it.str(levelName(Number(a.v)));
        if (a instanceof PyStr) {
            const f = LEVELS.find(([n]) => n === a.v);
            return f ? it.int(f[1]) : it.str(`Level ${a.v}`);
        }
        return it.str(`Level ${str(it, a)}`);
    });
    defineFn(it, m, 'disable', (args) => {
        arity(it, 'disable', args, 0, 1);
        st.disable = args.length ? checkLevel(args[0]) : 50;
        return it.None;
    });
    for (const [name, level] of [['debug', 10], ['info', 20], ['warning', 30], ['warn', 30], ['error', 40], ['critical', 50], ['fatal', 50]] as const) {
        if (!has(name)) continue;
        defineFn(it, m, name, (args, kwargs) => {
            arity(it, name, args, 1, Infinity);
            if (!st.root.handlers!.items.length) basicConfig(null);
            log(st.root, level, args, kwargs);
            return it.None;
        });
    }
    /** shutdown(handlerList=_handlerList): newest first, flush and close each handler still alive. */
    const shutdown = it.builtin('shutdown', () => {
        for (const h of [...st.handlerList].reverse()) {
            if (h.rc <= 0) continue;
            flushHandler(h);
            h.closed = true;
        }
        return it.None;
    });
    m.dict.set(it.heap, it.str('shutdown'), shutdown);
    // `atexit.register(shutdown)` at import.
    registerExitFunc(it, shutdown, [], null);
    return m;
}
