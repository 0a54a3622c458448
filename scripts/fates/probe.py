# The fate probe (scripts/record-fates.mjs): runs an instrumented copy of a conformance scenario
# as `__main__` and reports, on stderr, every observable object the scenario creates and when it
# dies, so that CPython itself says which statement, collection or shutdown step freed it.
#
#   python -S -v -c "exec((lambda f: (f.read(), f.close())[0])(open(PROBE)), {'__builtins__': __builtins__})" INSTRUMENTED NAME
#
# (The file is closed explicitly: an unclosed one warns, and the warning registry lands in __main__.)
#
# INSTRUMENTED is the scenario with `'@@fp'.p(LINE)` appended to every simple statement and
# `return X` / `raise X` rewritten to `'@@fp'.r(X, LINE)`; after compiling, the constant '@@fp'
# is replaced by the probe object in every code object, so the probe is reached without a name
# lookup (no global added to __main__, nothing that can fail during shutdown).
#
# Each probe scans the young GC generations for objects it has not seen and attaches a weakref
# with a callback to each one that can carry one. The weakrefs live in a list held by an untracked
# code object's constants (a cycle the collector cannot see), so they outlive every step of
# shutdown: a callback fires whenever its object dies, even after sys and builtins are cleared.
# Everything the callbacks use is bound as a default argument.
#
# Lines written (fd 2, after flushing sys.stderr so that `python -v` markers and gc DEBUG_STATS
# lines stay in order):
#   @@new N TYPE ALLOCLINE PROBELINE [NAME]  object N first seen; ALLOCLINE from tracemalloc (3.x),
#                                      on 2.7 the caller of its __init__ or the probe's line, or -1
#                                      and NAME for a function or class
#   @@die N LINE MAIN                  object N's weakref callback ran: LINE, the innermost line of
#                                      the scenario executing then (0: none); MAIN 1 when the
#                                      scenario's module code was on the stack
#   @@mainend                          the scenario's module code finished (or raised)
#
# Watchers are GC objects: each one would move the automatic collections. The probe raises
# threshold 0 by the number of watchers made since the last collection, so a collection starts
# at the same allocation as in an uninstrumented run (the recorder checks that stdout is the same).

import sys
import gc

def _fate_probe_main():
    import posix
    import _weakref
    gc_mod = sys.modules.pop('gc', None)
    py3 = sys.version_info[0] >= 3
    path, name = sys.argv[1], sys.argv[2]
    sys.argv[:] = [name]
    f = open(path)
    src = f.read()
    f.close()
    f = None
    scen = name
    write = posix.write
    getframe = sys._getframe
    err = sys.stderr
    if hasattr(err, 'reconfigure'):
        # 3.8's stderr is block-buffered on a pipe: `-v` and DEBUG_STATS lines would wait in its
        # buffer while those written after the sys wipe (straight to C's stderr) overtake them.
        err.reconfigure(line_buffering=True)
    get_count = gc.get_count
    get_threshold = gc.get_threshold
    set_threshold = gc.set_threshold
    isenabled = gc.isenabled
    disable = gc.disable
    enable = gc.enable
    get_objects = gc.get_objects
    # "gc: collecting generation N..." / "gc: done" around every collection, on stderr.
    gc.set_debug(gc.DEBUG_STATS)
    ref = _weakref.ref
    if py3:
        import _tracemalloc
        tm_start = _tracemalloc.start
        tm_trace = _tracemalloc._get_object_traceback
    else:
        tm_start = None
        tm_trace = None

    # A list the collector never frees: held by the constants of an untracked code object that
    # the list holds in turn.
    anchor = []
    proto = (lambda: None).__code__
    if py3:
        holder = proto.replace(co_consts=(anchor,))
    else:
        holder = type(proto)(proto.co_argcount, proto.co_nlocals, proto.co_stacksize, proto.co_flags,
                             proto.co_code, (anchor,), proto.co_names, proto.co_varnames,
                             proto.co_filename, proto.co_name, proto.co_firstlineno, proto.co_lnotab)
    anchor.append(holder)

    state = {'n': 0, 'c': get_count(), 'w': 0, 't': get_threshold()[0], 'set': None}
    watched = {}
    key_of = {}
    skip = set()

    # Builtins are bound as defaults too: they are None or gone by the last steps of shutdown.
    def emit(text, write=write, err=err):
        try:
            err.flush()
        except:
            pass
        write(2, text.encode('ascii', 'replace') if py3 else text)

    def died(r, getframe=getframe, key_of=key_of, scen=scen, emit=emit, isenabled=isenabled,
             disable=disable, enable=enable, id=id, get_count=get_count, state=state):
        was = isenabled()
        disable()
        try:
            before = get_count()
            line = 0
            main = 0
            try:
                # (No frame above the callback when a collection or shutdown step calls it from
                # C; late in shutdown the frame machinery may fail: the death is still reported.)
                f = getframe(0).f_back
                while f is not None:
                    if f.f_code.co_filename == scen:
                        if not line:
                            line = f.f_lineno
                        if f.f_code.co_name == '<module>':
                            main = 1
                    f = f.f_back
            except:
                pass
            f = None
            emit('@@die %d %d %d\n' % (key_of.get(id(r), -1), line, main))
            after = get_count()
            if after[1] == before[1] and after[2] == before[2]:
                state['w'] += after[0] - before[0]
        except:
            pass
        if was:
            enable()

    def observable(o, type=type, getattr=getattr, isinstance=isinstance, getframe=getframe):
        code = getattr(o, '__code__', None) if type(o).__name__ == 'function' else None
        if code is not None and not code.co_flags & 1:
            # A class body's function (no CO_OPTIMIZED): the interpreter's, gone once the class is made.
            return -1
        if tm_trace is not None:
            tb = tm_trace(o)
            if not tb:
                return -1
            frame = tb[0]
            return frame[1] if frame[0] == scen else -1
        # 2.7: what the scenario made (its classes, their instances, its functions and methods).
        t = type(o)
        if t.__name__ == 'instancemethod' and o.__name__[:2] == '__' and o.__name__[-2:] == '__':
            # A bound __init__/__del__ the interpreter made to call a slot (slot_tp_init…).
            return -1
        f = getframe(3)
        while f is not None:
            if f.f_code.co_name == '__del__' and f.f_locals.get('self') is o:
                # Being finalized: 2.7 cleared its weakrefs (and called their callbacks) before __del__.
                return -1
            f = f.f_back
        mod = getattr(t, '__module__', None)
        if t.__name__ in ('function', 'instancemethod', 'generator'):
            code = getattr(o, 'func_code', None) or getattr(o, 'gi_code', None)
            if code is None:
                fn = getattr(o, 'im_func', None)
                code = getattr(fn, 'func_code', None)
            return 0 if code is not None and code.co_filename == scen else -1
        if isinstance(o, type) or t.__name__ == 'classobj':
            return 0 if getattr(o, '__module__', None) == '__main__' else -1
        return 0 if mod == '__main__' else -1

    def alloc_line_27(o, at, getframe=getframe):
        # 2.7 has no tracemalloc: an instance first seen inside its own __init__ was made on the
        # line that called it, a function on its code's first line; a class has no line (-1).
        t = type(o).__name__
        if t == 'function':
            return o.func_code.co_firstlineno
        if t == 'classobj' or isinstance(o, type):
            return -1
        f = getframe(3)
        if f.f_code.co_name == '__init__' and f.f_locals.get('self') is o and f.f_back is not None:
            return f.f_back.f_lineno
        return at

    def scan(line, id=id, type=type, TypeError=TypeError, observable=observable):
        c = get_count()
        last = state['c']
        start0 = c[0]
        # A collection since the last probe moved young objects on (and reset the compensation).
        collected = c[1] != last[1] or c[2] != last[2]
        if collected:
            state['w'] = 0
        if py3:
            gens = (0, 1, 2) if c[2] != last[2] else (0, 1) if c[1] != last[1] else (0,)
        else:
            gens = (None,)
        made = 0
        for g in gens:
            # Walked one generation at a time and never stored in a container of ours: a list
            # get_objects() returns skips itself, but would list a container we made before.
            objs = get_objects(g) if g is not None else get_objects()
            for o in objs:
                i = id(o)
                w = watched.get(i)
                if w is not None and w() is o:
                    continue
                t = type(o)
                if t in skip:
                    continue
                at = observable(o)
                if at < 0:
                    continue
                try:
                    r = ref(o, died)
                except TypeError:
                    skip.add(t)
                    continue
                n = state['n']
                state['n'] = n + 1
                anchor.append(r)
                watched[i] = r
                key_of[id(r)] = n
                made += 1
                if tm_trace is None:
                    at = alloc_line_27(o, line)
                label = getattr(o, '__name__', '') if at < 0 else ''
                emit('@@new %d %s %d %d %s\n' % (n, t.__name__, at, line, label))
            objs = None
            o = None
        state['c'] = get_count()
        compensate(state['c'][0] - start0, collected)

    def compensate(added, collected):
        # What the probe itself left allocated (watchers, a first frame per code object on 3.10-)
        # counts towards the next automatic collection: lift threshold 0 by as much, so that the
        # collection starts at the same allocation of the program as without the probe.
        cur = get_threshold()
        if cur[0] != state['set']:
            state['t'] = cur[0]
        state['w'] += added
        if state['t'] and state['w'] > 0:
            set_threshold(state['t'] + state['w'], cur[1], cur[2])
            state['set'] = state['t'] + state['w']
        elif collected and state['set'] is not None:
            set_threshold(state['t'], cur[1], cur[2])
            state['set'] = None

    class FateProbe(object):
        def p(self, line, isenabled=isenabled, disable=disable, enable=enable, scan=scan):
            # Never raises: a probe inside a __del__ at shutdown must not change what it does.
            was = isenabled()
            disable()
            try:
                scan(line)
            except:
                pass
            if was:
                enable()

        def r(self, value, line):
            self.p(line)
            return value

    probe = FateProbe()

    def patch(code):
        consts = tuple(probe if c == '@@fp' and type(c) is str else patch(c) if type(c) is type(code) else c for c in code.co_consts)
        if py3:
            return code.replace(co_consts=consts)
        return type(code)(code.co_argcount, code.co_nlocals, code.co_stacksize, code.co_flags,
                          code.co_code, consts, code.co_names, code.co_varnames, code.co_filename,
                          code.co_name, code.co_firstlineno, code.co_lnotab, code.co_freevars,
                          code.co_cellvars)

    import __main__
    g = __main__.__dict__
    g['__file__'] = name
    if py3:
        g['__cached__'] = None
    code = patch(compile(src, name, 'exec', 0, True))
    src = None
    anchor.append(probe)
    anchor.append(emit)
    if gc_mod is not None:
        # The scenario's own `import gc` makes a fresh module; this one only lends its functions.
        gc_mod.__dict__.clear()
    if tm_start is not None:
        tm_start(1)
    state['c'] = get_count()
    return code, g, emit


_fate_code, _fate_globals, _fate_emit = _fate_probe_main()
del _fate_probe_main
del gc
try:
    exec(_fate_code, _fate_globals)
finally:
    # This namespace outlives everything (the probe's functions are its globals' users): it must
    # not keep __main__'s dict.
    _fate_code = _fate_globals = None
    _fate_emit('@@mainend\n')
