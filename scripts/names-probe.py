# Run by scripts/record-names.mjs under every interpreter (`python -S names-probe.py MOD...`):
# prints, as JSON, every name the interpreter defines in the places a scenario can reach:
# dir(builtins), dir() of each module named on the command line, and for every class found
# there (and a few types reached through values) its own __dict__ names and its MRO.
# Written for 2.7, 3.x, PyPy and Jython alike (no f-strings, no 3-only syntax).
import sys
try:
    import builtins as B
    BUILTINS_NAME = 'builtins'
except ImportError:
    import __builtin__ as B
    BUILTINS_NAME = '__builtin__'
import json

# Modules whose classes are keyed by their bare name.
BARE_MODULES = ('builtins', '__builtin__', 'exceptions')


def type_key(t):
    mod = getattr(t, '__module__', None) or '?'
    name = getattr(t, '__qualname__', None) or t.__name__
    if mod in BARE_MODULES:
        return t.__name__
    return mod + '.' + name


types = {}


def record_type(t):
    key = type_key(t)
    if key in types:
        return key
    types[key] = None  # placeholder against cycles
    try:
        own = sorted(str(k) for k in vars(t).keys())
    except Exception:
        own = []
    mro = []
    for c in getattr(t, '__mro__', (t,)):
        mro.append(record_type(c) if c is not t else key)
    bases = [record_type(b) for b in getattr(t, '__bases__', ())]
    types[key] = {'own': own, 'mro': mro, 'bases': bases, 'name': t.__name__, 'module': str(getattr(t, '__module__', None))}
    return key


def describe(name, v):
    # "typename", or "typename=classkey" for a class (its own names are recorded under types).
    d = type(v).__name__
    if isinstance(v, type) and not name.startswith('_'):
        d += '=' + record_type(v)
    return d


def module_names(m):
    out = {}
    for n in dir(m):
        try:
            v = getattr(m, n)
        except Exception:
            out[n] = '?'
            continue
        out[n] = describe(n, v)
    return out


result = {
    'version': '%d.%d.%d' % tuple(sys.version_info[:3]),
    'implementation': getattr(getattr(sys, 'implementation', None), 'name', None) or ('jython' if sys.platform.startswith('java') else 'cpython'),
    'builtins': module_names(B),
    'modules': {},
}

for name in sys.argv[1:]:
    if name in ('builtins', '__builtin__'):
        continue
    try:
        __import__(name)
        m = sys.modules[name]
    except Exception:
        continue
    result['modules'][name] = module_names(m)


class _C(object):
    def m(self):
        pass


def _gen():
    yield 1


def _cell():
    x = 1

    def inner():
        return x
    return inner.__closure__[0]


def _tb():
    try:
        raise ValueError
    except ValueError:
        return sys.exc_info()[2]


# Types reached through values rather than through a name.
VALUE_TYPES = [
    lambda: type(lambda: 0),
    lambda: type(len),
    lambda: type([].append),
    lambda: type(_C().m),
    lambda: type(sys),
    lambda: type(None),
    lambda: type(Ellipsis),
    lambda: type(NotImplemented),
    lambda: type(iter([])),
    lambda: type(reversed([])),
    lambda: type(iter(())),
    lambda: type(iter('')),
    lambda: type(iter(set())),
    lambda: type(iter({})),
    lambda: type(iter({}.values())),
    lambda: type(iter({}.items())),
    lambda: type(iter(range(0))),
    lambda: type({}.keys()),
    lambda: type({}.values()),
    lambda: type({}.items()),
    lambda: type({}.viewkeys()),
    lambda: type({}.viewvalues()),
    lambda: type({}.viewitems()),
    lambda: type(_gen()),
    lambda: type(_cell()),
    lambda: type(_tb()),
    lambda: type(_tb().tb_frame),
    lambda: type(_gen.__code__),
    lambda: type(sys.stdout),
    lambda: type(object.__dict__),
    lambda: type(iter(bytearray())),
    lambda: type(iter(b'')),
    lambda: type(vars(_C)['m'].__get__),
    lambda: type(sys.version_info),
    lambda: type(sys.flags),
    lambda: type(sys.float_info),
    lambda: type(iter(int, 1)),
    lambda: type(reversed(())),
    lambda: type(reversed({})),
    lambda: type(reversed({}.values())),
    lambda: type(reversed({}.items())),
]
for f in VALUE_TYPES:
    try:
        record_type(f())
    except Exception:
        pass

# Errno to OSError subclass (PEP 3151, 3.3+) and os.strerror, for OSError(errno, ...).
errno_classes = {}
strerror = {}
try:
    import os
    for n in range(0, 200):
        try:
            strerror[str(n)] = os.strerror(n)
        except Exception:
            pass
        try:
            t = type(OSError(n, 'x'))
            if t is not OSError:
                errno_classes[str(n)] = t.__name__
        except Exception:
            pass
except Exception:
    pass
result['errnoClasses'] = errno_classes
result['strerror'] = strerror
result['types'] = types

sys.stdout.write(json.dumps(result, sort_keys=True))
sys.stdout.write('\n')
