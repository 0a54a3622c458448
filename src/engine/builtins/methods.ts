/*
 * methods.ts
 *
 * Methods of the built-in types (list, dict, str, set, tuple, object, exceptions) and the
 * constructors of built-in types (`list(x)`, `int('3')`, `property(f)`, …). Removal methods
 * release what they remove in CPython's order (list.clear last → first, dict.clear in order).
 */

import { refuseLongType27 } from '../interp/longobject';
import { typeOf } from '../interp/classobject';
import { msg } from '../messages';
import { PyObject } from '../runtime/object';
import { PyType } from '../runtime/types';
import { PyInt, PyFloat, PyComplex, PyStr, PyBytes } from '../runtime/values';
import { PyList, PyTuple, PyDict, PySet, indexLabel } from '../runtime/containers';
import { setCopy, setCopyMethod, setUpdateInternal, setUnionMulti, setIntersectionMulti, setIntersectionUpdateMulti, setDifferenceMulti, setDifferenceUpdateAny, setSymmetricDifferenceAny, setSymmetricDifferenceUpdateAny, setIsSubset, setIsSuperset, setIsDisjoint, withSetKey, frozensetNew } from '../interp/setobject';
import { viaTpCall } from '../interp/callTemporaries';
import { PyInstance, PyException } from '../runtime/instances';
import { PyProperty, PyMethodWrapper, PySuper, PyFunction, type KwArgs } from '../runtime/callables';
import { PyRange, PySlice } from '../runtime/iterators';
import { bufferOf } from '../runtime/bytearrayobject';
import { unsupportedAt, typeKey } from '../names/refuse';
import { namesFor, recordedAttributes } from '../names/table';
import type { Interpreter } from '../interp/interpreter';
import { Frame } from '../interp/frame';
import { call } from '../interp/calls';
import { checkStringDigits } from '../interp/longobject';
import { truthy, collect, equals, getIter, iterNext, dictView, compare, newDictIter, forEachItem } from '../interp/ops';
import { listExtend, listExtendItems, listInitItems, sequenceTupleItems, sequenceFastItems } from '../interp/lengthHint';
import { repr, str, floatRepr } from '../interp/format';
import { formatValue } from '../interp/formatValue';
import { setDictItem, unhashable } from '../interp/eval';
import { keyError, getItem } from '../interp/items';
import { getAttr, getAttrOrNull, setAttr, delAttr } from '../interp/attrs';
import { arity, kw, toInt, noKwargs } from './args';
import { sortList } from './functions';
import { installExceptionMethods, constructException } from './exceptions';
import { newClass } from './slotWrappers';
import { newProperty } from './descrobject';
import { enumerateNew, reversedNew, installEnumObjects } from './enumobject';
import { zipNew, mapNew, filterNew, installBltinIterators } from './bltinIterators';
import { installIterObjects } from './iterobject';

type Method = (self: PyObject, args: PyObject[], kwargs: KwArgs) => PyObject;

/**
 * Gives the built-in type `t` these methods, each only where the profile's interpreter has it
 * (names/cpython-names.json: 2.7's list has no `copy`, 3.x's dict no `has_key`): a method the
 * version lacks stays an AttributeError, as there.
 */
export function install(it: Interpreter, t: PyType, methods: Record<string, Method>): void {
    const names = namesFor(it.profile.name);
    const key = typeKey(t);
    const recorded = names.types.has(key) ? recordedAttributes(names, key) : null;
    for (const [name, fn] of Object.entries(methods)) {
        if (recorded && !recorded.has(name)) continue;
        t.dict.set(it.heap, it.str(name), it.builtin(name, (self, args, kwargs) => fn(self!, args, kwargs), t.name, true));
    }
}

function listIndex(it: Interpreter, l: PyList, o: PyObject | undefined, dflt: number): number {
    if (!o) return dflt;
    let i = toInt(it, o);
    if (i < 0) i += l.items.length;
    return i;
}

export function installMethods(it: Interpreter): void {
    const T = it.T;
    const h = it.heap;
    /** METH_NOARGS: `name() takes no arguments (N given)`. */
    const noArgs = (name: string, args: PyObject[], f: () => PyObject): PyObject => {
        if (args.length) throw it.error('TypeError', `${name}() takes no arguments (${args.length} given)`);
        return f();
    };

    install(it, T.list, {
        append(self, args) {
            arity(it, 'append', args, 1, 1);
            const l = self as PyList;
            if ((l.items.length & 0xfff) === 0xfff) it.grewTo(l.items.length + 1, 'a list');
            h.acquire(l, args[0], indexLabel(l.items.length));
            l.items.push(args[0]);
            return it.None;
        },
        extend(self, args) {
            arity(it, 'extend', args, 1, 1);
            const l = self as PyList;
            listExtend(it, l, args[0]);
            return it.None;
        },
        insert(self, args) {
            arity(it, 'insert', args, 2, 2);
            const l = self as PyList;
            let i = toInt(it, args[0]);
            if (i < 0) i = Math.max(0, i + l.items.length);
            i = Math.min(i, l.items.length);
            if ((l.items.length & 0xfff) === 0xfff) it.grewTo(l.items.length + 1, 'a list');
            h.acquire(l, args[1], indexLabel(i));
            l.items.splice(i, 0, args[1]);
            return it.None;
        },
        pop(self, args) {
            arity(it, 'pop', args, 0, 1);
            const l = self as PyList;
            if (!l.items.length) throw it.error('IndexError', 'pop from empty list');
            const i = listIndex(it, l, args[0], l.items.length - 1);
            if (i < 0 || i >= l.items.length) throw it.error('IndexError', 'pop index out of range');
            const [v] = l.items.splice(i, 1);
            h.forget(l, v, indexLabel(i));
            return v;
        },
        remove(self, args) {
            arity(it, 'remove', args, 1, 1);
            const l = self as PyList;
            for (let i = 0; i < l.items.length; i++) {
                if (equals(it, l.items[i], args[0])) {
                    const [v] = l.items.splice(i, 1);
                    h.release(l, v, indexLabel(i));
                    return it.None;
                }
            }
            throw it.error('ValueError', it.profile.major === 3 && it.profile.minor >= 12 ? 'list.remove(x): x not in list' : 'list.remove(x): x not in list');
        },
        clear(self) {
            (self as PyList).clear(h);
            return it.None;
        },
        index(self, args) {
            const l = self as PyList;
            for (let i = 0; i < l.items.length; i++) if (equals(it, l.items[i], args[0])) return it.int(i);
            throw it.error('ValueError', `${repr(it, args[0])} is not in list`);
        },
        count(self, args) {
            return it.int((self as PyList).items.filter((x) => equals(it, x, args[0])).length);
        },
        reverse(self) {
            (self as PyList).items.reverse();
            return it.None;
        },
        sort(self, args, kwargs) {
            arity(it, 'sort', args, 0, 0);
            sortList(it, self as PyList, kw(kwargs, 'key'), kw(kwargs, 'reverse'));
            return it.None;
        },
        copy(self) {
            return it.list((self as PyList).items.map((x) => it.incref(x)));
        },
    });

    install(it, T.tuple, {
        index(self, args) {
            const t = self as PyTuple;
            for (let i = 0; i < t.items.length; i++) if (equals(it, t.items[i], args[0])) return it.int(i);
            throw it.error('ValueError', 'tuple.index(x): x not in tuple');
        },
        count(self, args) {
            return it.int((self as PyTuple).items.filter((x) => equals(it, x, args[0])).length);
        },
    });

    install(it, T.dict, {
        get(self, args) {
            arity(it, 'get', args, 1, 2);
            const v = getKey(it, self as PyDict, args[0]);
            return it.incref(v ?? args[1] ?? it.None);
        },
        setdefault(self, args) {
            arity(it, 'setdefault', args, 1, 2);
            const d = self as PyDict;
            const v = getKey(it, d, args[0]);
            if (v) return it.incref(v);
            const dv = args[1] ?? it.None;
            setDictItem(it, d, args[0], dv);
            return it.incref(dv);
        },
        update(self, args, kwargs) {
            arity(it, 'update', args, 0, 1);
            const d = self as PyDict;
            if (args.length) updateFrom(it, d, args[0]);
            if (kwargs) for (const [k, v] of kwargs) d.set(h, it.str(k), v);
            return it.None;
        },
        pop(self, args) {
            arity(it, 'pop', args, 1, 2);
            const d = self as PyDict;
            getKey(it, d, args[0]);
            const e = d.pop(args[0]);
            if (!e) {
                if (args.length > 1) return it.incref(args[1]);
                throw keyError(it, args[0]);
            }
            it.decref(e.k);
            h.forget(d, e.v, d.labelFor(e.k));
            return e.v;
        },
        popitem(self) {
            const d = self as PyDict;
            const chosen = d.popitemEntry();
            if (!chosen) throw it.error('KeyError', 'popitem(): dictionary is empty');
            const last = chosen.e;
            d.pop(last.k);
            d.popitemDone(chosen.slot);
            h.forget(d, last.v, d.labelFor(last.k));
            return it.tuple([last.k, last.v]);
        },
        clear(self) {
            (self as PyDict).clearItems(h);
            return it.None;
        },
        copy(self) {
            const n = it.dict();
            const src = self as PyDict;
            const clone = n.clonesFrom(src, it.profile.dictClones.copy);
            for (const e of src.entries()) n.set(h, e.k, e.v, src.storedHash(e.k), clone);
            return n;
        },
        keys(self) {
            if ((self as PyDict).slots27?.orderUnknown) it.sets.dictOrderShown(self, 'iterate');
            return it.profile.major === 2 ? it.list(Array.from((self as PyDict).entries(), (e) => it.incref(e.k))) : dictView(it, self as PyDict, 'view_keys');
        },
        values(self) {
            if ((self as PyDict).slots27?.orderUnknown) it.sets.dictOrderShown(self, 'iterate');
            return it.profile.major === 2 ? it.list(Array.from((self as PyDict).entries(), (e) => it.incref(e.v))) : dictView(it, self as PyDict, 'view_values');
        },
        items(self) {
            if ((self as PyDict).slots27?.orderUnknown) it.sets.dictOrderShown(self, 'iterate');
            return it.profile.major === 2 ? it.list(Array.from((self as PyDict).entries(), (e) => it.tuple([it.incref(e.k), it.incref(e.v)]))) : dictView(it, self as PyDict, 'view_items');
        },
        // 2.7 only (install skips what the version lacks).
        has_key(self, args) {
            if (args.length !== 1) throw it.error('TypeError', `has_key() takes exactly one argument (${args.length} given)`);
            return it.bool(getKey(it, self as PyDict, args[0]) !== null);
        },
        iterkeys: (self, args) => noArgs('iterkeys', args, () => newDictIter(it, self as PyDict, 'dict_keys', false)),
        itervalues: (self, args) => noArgs('itervalues', args, () => newDictIter(it, self as PyDict, 'dict_values', false)),
        iteritems: (self, args) => noArgs('iteritems', args, () => newDictIter(it, self as PyDict, 'dict_items', false)),
        viewkeys: (self, args) => noArgs('viewkeys', args, () => dictView(it, self as PyDict, 'view_keys')),
        viewvalues: (self, args) => noArgs('viewvalues', args, () => dictView(it, self as PyDict, 'view_values')),
        viewitems: (self, args) => noArgs('viewitems', args, () => dictView(it, self as PyDict, 'view_items')),
    });

    // Objects/setobject.c's methods (interp/setobject.ts): METH_O ones take one operand, the
    // METH_VARARGS ones (union, intersection, difference, their _update forms, update) pack their
    // arguments in a tuple for the call (3.13's Argument Clinic `*others` too).
    const S = (o: PyObject): PySet => o as PySet;
    const setMethods = (owner: string) => {
        const q = (name: string): string => `${owner}.${name}`;
        const varargs = (name: string, fn: (so: PySet, args: PyObject[]) => PyObject): Method => (self, args, kwargs) => {
            if (kwargs && kwargs.size) throw it.error('TypeError', msg(it.profile, 'varargsNoKeywords', name, q(name)));
            return viaTpCall(it, args.length, 0, () => fn(S(self), args));
        };
        const one = (name: string, fn: (so: PySet, other: PyObject) => PyObject): Method => (self, args, kwargs) => {
            if (kwargs && kwargs.size) throw it.error('TypeError', msg(it.profile, 'methodNoKeywords', name, q(name)));
            if (args.length !== 1) throw it.error('TypeError', msg(it.profile, 'methodOneArgument', name, q(name), args.length));
            return fn(S(self), args[0]);
        };
        const none = (name: string, fn: (so: PySet) => PyObject): Method => (self, args, kwargs) => {
            if (kwargs && kwargs.size) throw it.error('TypeError', msg(it.profile, 'methodNoKeywords', name, q(name)));
            if (args.length) throw it.error('TypeError', msg(it.profile, 'methodNoArguments', name, q(name), args.length));
            return fn(S(self));
        };
        return { varargs, one, none };
    };
    const common = (m: ReturnType<typeof setMethods>): Record<string, Method> => ({
        union: m.varargs('union', (so, a) => setUnionMulti(it, so, a)),
        intersection: m.varargs('intersection', (so, a) => setIntersectionMulti(it, so, a)),
        difference: m.varargs('difference', (so, a) => setDifferenceMulti(it, so, a)),
        symmetric_difference: m.one('symmetric_difference', (so, o) => setSymmetricDifferenceAny(it, so, o)),
        issubset: m.one('issubset', (so, o) => it.bool(setIsSubset(it, so, o))),
        issuperset: m.one('issuperset', (so, o) => it.bool(setIsSuperset(it, so, o))),
        isdisjoint: m.one('isdisjoint', (so, o) => it.bool(setIsDisjoint(it, so, o))),
    });
    const sm = setMethods('set');
    install(it, T.set, {
        ...common(sm),
        add: sm.one('add', (so, k) => {
            addKey(it, so, k);
            return it.None;
        }),
        discard: sm.one('discard', (so, k) => {
            discardKey(it, so, k);
            return it.None;
        }),
        remove: sm.one('remove', (so, k) => {
            if (!discardKey(it, so, k)) throw keyError(it, k);
            return it.None;
        }),
        pop: sm.none('pop', (so) => {
            const v = so.popFirst();
            if (!v) throw it.error('KeyError', 'pop from an empty set');
            h.forget(so, v, '{item}');
            return v;
        }),
        clear: sm.none('clear', (so) => {
            so.clear(h);
            return it.None;
        }),
        update: sm.varargs('update', (so, a) => {
            for (const o of a) setUpdateInternal(it, so, o);
            return it.None;
        }),
        intersection_update: sm.varargs('intersection_update', (so, a) => {
            setIntersectionUpdateMulti(it, so, a);
            return it.None;
        }),
        difference_update: sm.varargs('difference_update', (so, a) => {
            for (const o of a) setDifferenceUpdateAny(it, so, o);
            return it.None;
        }),
        symmetric_difference_update: sm.one('symmetric_difference_update', (so, o) => {
            setSymmetricDifferenceUpdateAny(it, so, o);
            return it.None;
        }),
        copy: sm.none('copy', (so) => setCopy(it, so)),
    });
    const fm = setMethods('frozenset');
    install(it, T.frozenset, {
        ...common(fm),
        copy: fm.none('copy', (so) => setCopyMethod(it, so)),
    });

    installStrMethods(it);

    // object's methods are slot wrappers: builtins/slotWrappers.ts.

    installExceptionMethods(it);
    installEnumObjects(it);
    installIterObjects(it);
    installBltinIterators(it);

    install(it, T.float, {
        is_integer(self) {
            return it.bool(Number.isInteger((self as PyFloat).v));
        },
    });
    install(it, T.int, {
        bit_length(self) {
            const v = (self as PyInt).v;
            return it.int(v === 0 || v === 0n ? 0 : (typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v)).toString(2).length);
        },
    });
}

function require_attrs(): { getAttr: typeof getAttr; setAttr: typeof setAttr; delAttr: typeof delAttr } {
    return { getAttr, setAttr, delAttr };
}

function getKey(it: Interpreter, d: PyDict, k: PyObject): PyObject | null {
    try {
        return d.get(k);
    } catch (e) {
        throw unhashable(it, e, k);
    }
}

/** set_discard_key, retried with a frozenset copy of a set key: false when `k` is not there (TypeError for an unhashable key). */
function discardKey(it: Interpreter, s: PySet, k: PyObject): boolean {
    try {
        return withSetKey(it, k, (key) => s.discard(it.heap, key));
    } catch (e) {
        throw unhashable(it, e, k);
    }
}

function addKey(it: Interpreter, s: PySet, k: PyObject): void {
    try {
        s.add(it.heap, k);
    } catch (e) {
        throw unhashable(it, e, k);
    }
}

/**
 * set_update_internal: each item of `src` added as it is taken; an unhashable one stops it there,
 * its reference and the iterator's dropped (what was added stays).
 */
export function addEach(it: Interpreter, s: PySet, src: PyObject): void {
    setUpdateInternal(it, s, src);
}

/** A new set (or frozenset) of the items of `src`: make_new_set, freed again when an item fails. */
export function newSetFrom(it: Interpreter, s: PySet, src: PyObject): PySet {
    try {
        addEach(it, s, src);
    } catch (e) {
        it.decref(s);
        throw e;
    }
    return s;
}

function updateFrom(it: Interpreter, d: PyDict, src: PyObject): void {
    if (src instanceof PyDict) {
        const clone = d.clonesFrom(src, it.profile.dictClones.merge);
        for (const e of Array.from(src.entries())) setDictItem(it, d, e.k, e.v, src.storedHash(e.k), clone);
        return;
    }
    // dict_update_arg: anything with a `keys` attribute is merged as a mapping (dict_merge's
    // generic path: PyMapping_Keys, then `src[key]` for each), the rest as a sequence of pairs.
    const keysAttr = getAttrOrNull(it, src, 'keys');
    if (keysAttr !== null) {
        it.decref(keysAttr);
        mergeMapping(it, d, src);
        return;
    }
    for (const pair of collect(it, src)) {
        const items = collect(it, pair);
        it.decref(pair);
        if (items.length !== 2) {
            for (const x of items) it.decref(x);
            throw it.error('ValueError', `dictionary update sequence element has length ${items.length}; 2 is required`);
        }
        setDictItem(it, d, items[0], items[1]);
        it.decref(items[0]);
        it.decref(items[1]);
    }
}

/** dict_merge of a mapping that is not a dict: its keys() as a list, then each `src[key]` stored. */
function mergeMapping(it: Interpreter, d: PyDict, src: PyObject): void {
    const keysMethod = getAttr(it, src, 'keys');
    let keys: PyObject[];
    try {
        const r = call(it, keysMethod, [], null);
        try {
            keys = collect(it, r);
        } finally {
            it.decref(r);
        }
    } finally {
        it.decref(keysMethod);
    }
    try {
        for (const k of keys) {
            const v = getItem(it, src, k);
            try {
                setDictItem(it, d, k, v);
            } finally {
                it.decref(v);
            }
        }
    } finally {
        for (const k of keys) it.decref(k);
    }
}

function installStrMethods(it: Interpreter): void {
    const s = (o: PyObject): string => (o as PyStr).v;
    const strArg = (o: PyObject | undefined, name: string): string => {
        if (!(o instanceof PyStr)) throw it.error('TypeError', `${name}() argument must be str, not ${o?.type.name ?? 'None'}`);
        return o.v;
    };
    install(it, it.T.str, {
        join(self, args) {
            const parts = sequenceFastItems(it, args[0]);
            try {
                return it.str(parts.map((p, i) => {
                    if (!(p instanceof PyStr)) throw it.error('TypeError', `sequence item ${i}: expected str instance, ${p.type.name} found`);
                    return p.v;
                }).join(s(self)));
            } finally {
                for (const p of parts) it.decref(p);
            }
        },
        split(self, args, kwargs) {
            const sepO = args[0] ?? kw(kwargs, 'sep');
            const max = args[1] ? toInt(it, args[1]) : -1;
            let parts: string[];
            if (!sepO || sepO === it.None) parts = s(self).split(/\s+/).filter((x) => x);
            else {
                const sep = strArg(sepO, 'split');
                parts = s(self).split(sep);
                if (max >= 0 && parts.length > max + 1) parts = [...parts.slice(0, max), parts.slice(max).join(sep)];
            }
            return it.list(parts.map((p) => it.str(p)));
        },
        strip(self, args) {
            return it.str(stripChars(s(self), args[0], true, true, it));
        },
        lstrip(self, args) {
            return it.str(stripChars(s(self), args[0], true, false, it));
        },
        rstrip(self, args) {
            return it.str(stripChars(s(self), args[0], false, true, it));
        },
        upper(self) {
            return it.str(s(self).toUpperCase());
        },
        lower(self) {
            return it.str(s(self).toLowerCase());
        },
        title(self) {
            return it.str(s(self).replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()));
        },
        capitalize(self) {
            const v = s(self);
            return it.str(v ? v[0].toUpperCase() + v.slice(1).toLowerCase() : v);
        },
        startswith(self, args) {
            const a = args[0];
            const opts = a instanceof PyTuple ? a.items.map((x) => s(x)) : [strArg(a, 'startswith')];
            return it.bool(opts.some((o) => s(self).startsWith(o)));
        },
        endswith(self, args) {
            const a = args[0];
            const opts = a instanceof PyTuple ? a.items.map((x) => s(x)) : [strArg(a, 'endswith')];
            return it.bool(opts.some((o) => s(self).endsWith(o)));
        },
        replace(self, args) {
            arity(it, 'replace', args, 2, 3);
            const count = args[2] ? toInt(it, args[2]) : -1;
            let out = s(self);
            const a = strArg(args[0], 'replace');
            const b = strArg(args[1], 'replace');
            if (count < 0) out = out.split(a).join(b);
            else for (let i = 0; i < count; i++) out = out.replace(a, b);
            return it.str(out);
        },
        find(self, args) {
            return it.int(s(self).indexOf(strArg(args[0], 'find')));
        },
        index(self, args) {
            const i = s(self).indexOf(strArg(args[0], 'index'));
            if (i < 0) throw it.error('ValueError', 'substring not found');
            return it.int(i);
        },
        count(self, args) {
            const sub = strArg(args[0], 'count');
            if (!sub) return it.int(s(self).length + 1);
            return it.int(s(self).split(sub).length - 1);
        },
        isdigit(self) {
            return it.bool(/^[0-9]+$/.test(s(self)));
        },
        isalpha(self) {
            return it.bool(/^[A-Za-z]+$/.test(s(self)));
        },
        isupper(self) {
            return it.bool(/[A-Z]/.test(s(self)) && s(self) === s(self).toUpperCase());
        },
        islower(self) {
            return it.bool(/[a-z]/.test(s(self)) && s(self) === s(self).toLowerCase());
        },
        isspace(self) {
            return it.bool(/^\s+$/.test(s(self)));
        },
        center(self, args) {
            const w = toInt(it, args[0]);
            const fill = args[1] ? s(args[1]) : ' ';
            const v = s(self);
            const n = Math.max(0, w - v.length);
            const left = Math.floor(n / 2) + (n % 2 && w % 2 ? 1 : 0);
            return it.str(fill.repeat(left) + v + fill.repeat(n - left));
        },
        ljust(self, args) {
            return it.str(s(self).padEnd(toInt(it, args[0]), args[1] ? s(args[1]) : ' '));
        },
        rjust(self, args) {
            return it.str(s(self).padStart(toInt(it, args[0]), args[1] ? s(args[1]) : ' '));
        },
        zfill(self, args) {
            const v = s(self);
            const w = toInt(it, args[0]);
            const sign = v[0] === '-' || v[0] === '+' ? v[0] : '';
            return it.str(sign + v.slice(sign.length).padStart(w - sign.length, '0'));
        },
        splitlines(self) {
            return it.list(s(self).split(/\r?\n/).filter((x, i, a) => i < a.length - 1 || x).map((p) => it.str(p)));
        },
        format(self, args, kwargs) {
            return it.str(strFormat(it, s(self), args, kwargs));
        },
        encode(self) {
            return it.bytes(new TextEncoder().encode(s(self)));
        },
    });
    install(it, it.T.bytes, {
        decode(self) {
            return it.str(new TextDecoder().decode((self as PyBytes).v));
        },
    });
}

function stripChars(v: string, chars: PyObject | undefined, left: boolean, right: boolean, it: Interpreter): string {
    const set = chars && chars !== it.None ? (chars as PyStr).v : null;
    const isStrip = (c: string): boolean => (set === null ? /\s/.test(c) : set.includes(c));
    let a = 0;
    let b = v.length;
    if (left) while (a < b && isStrip(v[a])) a++;
    if (right) while (b > a && isStrip(v[b - 1])) b--;
    return v.slice(a, b);
}

/** str.format: `{}`, `{0}`, `{name}`, `{x.attr}`, `{x[0]}`, conversions and specs. */
function strFormat(it: Interpreter, fmt: string, args: PyObject[], kwargs: KwArgs): string {
    let auto = 0;
    let out = '';
    let i = 0;
    const { getAttr } = require_attrs();
    while (i < fmt.length) {
        const c = fmt[i];
        if (c === '{' && fmt[i + 1] === '{') {
            out += '{';
            i += 2;
            continue;
        }
        if (c === '}' && fmt[i + 1] === '}') {
            out += '}';
            i += 2;
            continue;
        }
        if (c !== '{') {
            out += c;
            i++;
            continue;
        }
        const end = fmt.indexOf('}', i);
        if (end < 0) throw it.error('ValueError', "Single '{' encountered in format string");
        const field = fmt.slice(i + 1, end);
        i = end + 1;
        const m = /^([^!:.[]*)((?:\.[A-Za-z_]\w*|\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/s.exec(field)!;
        const [, name, path, conv, spec] = m;
        let v: PyObject;
        if (name === '') v = args[auto++];
        else if (/^\d+$/.test(name)) v = args[parseInt(name, 10)];
        else v = kwargs?.get(name) as PyObject;
        if (!v) throw it.error(name === '' || /^\d+$/.test(name) ? 'IndexError' : 'KeyError', name === '' || /^\d+$/.test(name) ? 'Replacement index out of range for positional args tuple' : `'${name}'`);
        it.incref(v);
        for (const part of path.match(/\.[A-Za-z_]\w*|\[[^\]]*\]/g) ?? []) {
            let next: PyObject;
            if (part[0] === '.') next = getAttr(it, v, part.slice(1));
            else {
                const key = part.slice(1, -1);
                next = getItem(it, v, /^\d+$/.test(key) ? it.int(parseInt(key, 10)) : it.str(key));
            }
            it.decref(v);
            v = next;
        }
        let text: string;
        if (conv === 'r' || conv === 'a') text = formatValue(it, it.str(repr(it, v)), spec ?? '');
        else if (conv === 's') text = formatValue(it, it.str(str(it, v)), spec ?? '');
        else text = formatValue(it, v, spec ?? '');
        it.decref(v);
        out += text;
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
// constructors of built-in types

/** `T(args)` for a built-in type T: a new reference. */
export function constructBuiltin(it: Interpreter, t: PyType, args: PyObject[], kwargs: KwArgs): PyObject {
    const T = it.T;
    const name = t.name;
    // Types implemented by the gc/weakref/atexit modules register their constructors here.
    const native = (it.moduleState.get('native.new') as Map<PyType, (a: PyObject[], k: KwArgs) => PyObject> | undefined)?.get(t);
    if (native) return native(args, kwargs);
    if (t.isSubtypeOf(T.BaseException)) return constructException(it, t, args, kwargs);
    switch (name) {
        case 'object':
            if (args.length || kwargs?.size) throw it.error('TypeError', msg(it.profile, 'takesNoArguments', 'object'));
            return it.instance(T.object);
        case 'int': {
            if (!args.length) return it.int(0);
            const o = args[0];
            const baseArg = args[1] ?? kwargs?.get('base');
            if (baseArg && !(o instanceof PyStr)) throw unsupportedAt(it, 'int() of a non-str with an explicit base');
            if (o instanceof PyInt) return it.int(o.v);
            if (o instanceof PyComplex) throw it.error('TypeError', msg(it.profile, 'complexConvert', 'int'));
            if (o instanceof PyFloat) {
                if (!Number.isFinite(o.v)) throw it.error(Number.isNaN(o.v) ? 'ValueError' : 'OverflowError', Number.isNaN(o.v) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
                const tr = Math.trunc(o.v);
                return it.int(Number.isSafeInteger(tr) ? tr : BigInt(tr));
            }
            if (o instanceof PyStr) {
                const base = baseArg ? toInt(it, baseArg) : 10;
                const txt = o.v.trim().replace(/_/g, '');
                const ok = base === 10 ? /^[+-]?\d+$/.test(txt) : true;
                const v = ok ? parseBig(txt, base) : null;
                if (v === null) throw it.error('ValueError', `invalid literal for int() with base ${base}: ${repr(it, o)}`);
                checkStringDigits(it, txt.replace(/^[+-]/, '').length, base);
                return it.int(v);
            }
            const r = callDunder(it, o, '__int__');
            if (r) return r;
            throw it.error('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${o.type.name}'`);
        }
        case 'float': {
            if (!args.length) return it.float(0);
            const o = args[0];
            if (o instanceof PyInt || o instanceof PyFloat) return it.float(Number(o.v));
            if (o instanceof PyComplex) throw it.error('TypeError', msg(it.profile, 'complexConvert', 'float'));
            if (o instanceof PyStr) {
                const txt = o.v.trim().toLowerCase();
                const v = txt === 'inf' || txt === '+inf' || txt === 'infinity' ? Infinity : txt === '-inf' || txt === '-infinity' ? -Infinity : txt === 'nan' ? NaN : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(txt) ? Number(txt) : null;
                if (v === null) throw it.error('ValueError', `could not convert string to float: ${repr(it, o)}`);
                return it.float(v);
            }
            throw it.error('TypeError', `float() argument must be a string or a real number, not '${o.type.name}'`);
        }
        case 'bool':
            return it.bool(args.length ? truthy(it, args[0]) : false);
        case 'str':
            if (!args.length) return it.str('');
            return it.str(str(it, args[0]));
        case 'bytes': {
            if (!args.length) return it.bytes(new Uint8Array());
            // PyBytes_FromObject: an object exporting a buffer is copied.
            const view = bufferOf(it, args[0]);
            if (view !== null) return it.bytes(view.slice());
            if (args[0] instanceof PyStr) return it.bytes(new TextEncoder().encode((args[0] as PyStr).v));
            if (args[0] instanceof PyInt) return it.bytes(new Uint8Array(Number((args[0] as PyInt).v)));
            return it.bytes(Uint8Array.from(listExtendItems(it, args[0]).map((x) => Number((x as PyInt).v))));
        }
        case 'list':
            return it.list(args.length ? listInitItems(it, args[0]) : []);
        case 'tuple':
            if (args.length && args[0].type === it.T.tuple) return it.incref(args[0]);
            return it.tuple(args.length ? sequenceTupleItems(it, args[0]) : []);
        case 'dict': {
            const d = it.dict();
            try {
                if (args.length) updateFrom(it, d, args[0]);
                if (kwargs) for (const [k, v] of kwargs) d.set(it.heap, it.str(k), v);
            } catch (e) {
                it.decref(d);
                throw e;
            }
            return d;
        }
        case 'set': {
            const s = it.set();
            return args.length ? newSetFrom(it, s, args[0]) : s;
        }
        case 'frozenset':
            return frozensetNew(it, args);
        case 'range': {
            arity(it, 'range', args, 1, 3);
            if (it.profile.major === 2) {
                const n = args.map((a) => toInt(it, a));
                const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
                if (step === 0) throw it.error('ValueError', 'range() arg 3 must not be zero');
                // get_len_of_range, then PyList_New(n): a list too big fails before any item is made.
                const len = step > 0 ? (start < stop ? Math.floor((stop - start - 1) / step) + 1 : 0) : start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
                it.reserveItems(len, 'a list');
                const items: PyObject[] = [];
                for (let i = start; step > 0 ? i < stop : i > stop; i += step) items.push(it.int(i));
                return it.list(items);
            }
            // range_new: PyNumber_Index of each argument, kept as ints of any size.
            const n = args.map((a) => {
                toInt(it, a);
                return BigInt((a as PyInt).v);
            });
            const [start, stop, step] = n.length === 1 ? [0n, n[0], 1n] : [n[0], n[1], n[2] ?? 1n];
            if (step === 0n) throw it.error('ValueError', 'range() arg 3 must not be zero');
            return new PyRange(T.range, start, stop, step);
        }
        case 'type':
            if (args.length === 1 && !(kwargs && kwargs.size)) {
                refuseLongType27(it, args[0]);
                return it.incref(typeOf(it, args[0]));
            }
            if (args.length !== 3) throw it.error('TypeError', 'type() takes 1 or 3 arguments');
            return newClass(it, T.type, args, kwargs);
        case 'property':
            return newProperty(it, t, args, kwargs);
        case 'staticmethod':
        case 'classmethod': {
            arity(it, name, args, 1, 1);
            const w = it.heap.register(new PyMethodWrapper(t, null, name === 'classmethod'));
            w.func = args[0];
            it.heap.acquire(w, args[0], '__func__');
            return w;
        }
        case 'super':
            return makeSuper(it, args);
        case 'slice': {
            noKwargs(it, 'slice', kwargs);
            if (args.length < 1 || args.length > 3) throw it.error('TypeError', msg(it.profile, 'unpackCount', 'slice', args.length < 1 ? 'at least ' : 'at most ', args.length < 1 ? 1 : 3, args.length));
            const [a, b, c] = args.length === 1 ? [it.None, args[0], it.None] : [args[0], args[1], args[2] ?? it.None];
            const sl = new PySlice(T.slice, a, b, c);
            sl.id = it.heap.newId();
            return sl;
        }
        case 'enumerate':
            return enumerateNew(it, t, args, kwargs);
        case 'reversed':
            return reversedNew(it, t, args, kwargs);
        case 'zip':
            return zipNew(it, t, args, kwargs);
        case 'map':
            return mapNew(it, t, args, kwargs);
        case 'filter':
            return filterNew(it, t, args, kwargs);
    }
    // A built-in type the engine has but cannot make yet: refused, never a TypeError of our own.
    throw unsupportedAt(it, `${name}()`);
}

function parseBig(txt: string, base: number): number | bigint | null {
    let neg = false;
    let t = txt;
    if (t[0] === '-' || t[0] === '+') {
        neg = t[0] === '-';
        t = t.slice(1);
    }
    if (base === 16) t = t.replace(/^0x/i, '');
    if (base === 8) t = t.replace(/^0o/i, '');
    if (base === 2) t = t.replace(/^0b/i, '');
    if (!t) return null;
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
    let v = 0n;
    for (const ch of t.toLowerCase()) {
        const d = digits.indexOf(ch);
        if (d < 0) return null;
        v = v * BigInt(base) + BigInt(d);
    }
    if (neg) v = -v;
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function callDunder(it: Interpreter, o: PyObject, name: string): PyObject | null {
    const m = o.type.lookup(name);
    if (!m || !(m instanceof PyFunction)) return null;
    return call(it, m, [o], null);
}

/** super() with no arguments uses the `__class__` cell and the first argument of the calling frame. */
function makeSuper(it: Interpreter, args: PyObject[]): PyObject {
    let startType: PyObject;
    let obj: PyObject;
    if (args.length === 0) {
        const f = it.frame as Frame;
        const code = f.code;
        const cellSlot = code.freeSlots.find((s) => code.names[s] === '__class__');
        if (cellSlot === undefined) throw it.error('RuntimeError', 'super(): __class__ cell not found');
        const cell = f.locals[cellSlot] as { ref: PyObject | null } | null;
        if (!cell?.ref) throw it.error('RuntimeError', 'super(): empty __class__ cell');
        startType = cell.ref;
        const first = f.locals[0];
        if (!first) throw it.error('RuntimeError', 'super(): no arguments');
        obj = first instanceof PyFunction ? first : first;
        const argCell = f.locals[0] as { ref?: PyObject | null };
        if (code.isCell[0] && argCell && 'ref' in argCell) obj = argCell.ref!;
    } else {
        [startType, obj] = args;
    }
    if (!(startType instanceof PyType)) throw it.error('TypeError', 'super() argument 1 must be a type');
    if (startType.classic) throw it.error('TypeError', 'super() argument 1 must be type, not classobj');
    const objType = obj instanceof PyType && obj.isSubtypeOf(startType) ? obj : obj.type;
    const s = it.heap.register(new PySuper(it.T.super, startType, null, null));
    it.heap.acquire(s, startType, '__thisclass__');
    s.obj = obj;
    it.heap.acquire(s, obj, '__self__');
    s.objType = objType;
    it.heap.acquire(s, objType, '__self_class__');
    return s;
}

export { PyInstance, getIter, iterNext, compare, floatRepr };
