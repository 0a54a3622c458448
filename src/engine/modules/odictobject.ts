/*
 * odictobject.ts
 *
 * collections.OrderedDict (3.x, Objects/odictobject.c): a dict subclass whose entries stay where
 * the dict put them (dealloc, dict_traverse and `clear()` release the values in that storage
 * order) while a linked list of nodes gives the iteration order: a node per key, appended when a
 * key is added, unlinked when it is removed, moved by `move_to_end`. (A node's own reference to its
 * key, _odictnode_KEY, is not modelled: it never outlives the dict's.) Iteration, views, `reversed`, the repr, `popitem(last=)`
 * and `==` between two OrderedDicts (order-sensitive) follow the links. A subclass's instances
 * carry the same storage (PyType.allocSubtype). 2.7's OrderedDict (pure Python, a linked list of
 * lists) is refused.
 */

import type { PyObject, Refs, Visit } from '../runtime/object';
import type { PyType } from '../runtime/types';
import { PyDict, keyOf, type DictEntry, type UserHash } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import { PyDictSub } from '../runtime/subtypes';
import type { Interpreter } from '../interp/interpreter';
import { call } from '../interp/calls';
import { repr } from '../interp/format';
import { truthy, newDictIter } from '../interp/ops';
import { keyError } from '../interp/items';
import { allocInstance } from '../interp/typeobject';
import { newWrapper } from '../builtins/slotWrappers';
import { arity } from '../builtins/args';
import { stdType } from './stdTypes';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DictClass = new (...args: any[]) => PyDict;

/** The node list over a dict class: PyDict for OrderedDict itself, PyDictSub for its subclasses. */
function Ordered<B extends DictClass>(Base: B) {
    return class extends Base {
        /** The nodes, first to last (each holds a reference to its key). */
        nodes: DictEntry[] = [];
        /** While the dict's own storage order is wanted (dealloc, clear, traverse). */
        storageOrder = false;

        override get linkedOrder(): readonly DictEntry[] | null {
            return this.nodes;
        }
        override entries(): Iterable<DictEntry> {
            return this.storageOrder ? super.entries() : this.nodes;
        }
        override set(r: Refs, key: PyObject, value: PyObject, hash?: UserHash, distinct = false): void {
            const n = this.map.size;
            super.set(r, key, value, hash, distinct);
            if (this.map.size === n) return;
            // _odict_add_new_node: the new entry is the dict's last; its node takes a key reference.
            let last: DictEntry | undefined;
            for (const e of this.map.values()) last = e;
            this.nodes.push(last!);
        }
        override pop(key: PyObject): DictEntry | null {
            const e = super.pop(key);
            if (e) this.unlink(e);
            return e;
        }
        unlink(e: DictEntry): void {
            const i = this.nodes.indexOf(e);
            if (i >= 0) this.nodes.splice(i, 1);
        }
        override clearItems(r: Refs): void {
            // _odict_clear_nodes, then the dict's entries in storage order.
            this.nodes = [];
            this.storageOrder = true;
            try {
                super.clearItems(r);
            } finally {
                this.storageOrder = false;
            }
        }
        override traverse(visit: Visit): void {
            this.storageOrder = true;
            try {
                super.traverse(visit);
            } finally {
                this.storageOrder = false;
            }
        }
    };
}

export class PyOrderedDict extends Ordered(PyDict) {}
export class PyOrderedDictSub extends Ordered(PyDictSub) {}

type Od = PyOrderedDict | PyOrderedDictSub;

export function createOrderedDictType(it: Interpreter): PyType {
    const dictUpdate = it.T.dict.dict.getStr('update')!;
    const od = (o: PyObject): Od => o as Od;
    const lastArg = (args: PyObject[], kwargs: KwArgs, i: number): boolean => {
        const v = args[i] ?? kwargs?.get('last') ?? it.True;
        return truthy(it, v);
    };
    const odictRepr = (self: PyObject, seen: Set<PyObject>): string => {
            const d = od(self);
            const name = self.type.name;
            if (!d.nodes.length) return `${name}()`;
            if (seen.has(d)) return '...';
            seen.add(d);
            try {
                if (it.profile.stdlib.odictRepr === 'dict') return `${name}({${d.nodes.map((e) => `${repr(it, e.k, seen)}: ${repr(it, e.v, seen)}`).join(', ')}})`;
                return `${name}([${d.nodes.map((e) => `(${repr(it, e.k, seen)}, ${repr(it, e.v, seen)})`).join(', ')}])`;
            } finally {
                seen.delete(d);
            }
        };
    const t: PyType = stdType(it, {
        name: 'OrderedDict',
        module: 'collections',
        base: it.T.dict,
        methods: {
            move_to_end: (self, args, kwargs) => {
                arity(it, 'move_to_end', args, 1, 2);
                const d = od(self);
                const e = d.map.get(keyOf(args[0], d));
                if (!e) throw keyError(it, args[0]);
                const i = d.nodes.indexOf(e);
                d.nodes.splice(i, 1);
                if (lastArg(args, kwargs, 1)) d.nodes.push(e);
                else d.nodes.unshift(e);
                return it.None;
            },
            popitem: (self, args, kwargs) => {
                arity(it, 'popitem', args, 0, 1);
                const d = od(self);
                if (!d.nodes.length) throw it.error('KeyError', 'dictionary is empty');
                const node = lastArg(args, kwargs, 0) ? d.nodes[d.nodes.length - 1] : d.nodes[0];
                const key = it.incref(node.k);
                const e = d.pop(key)!;
                // The entry's references (key, value) now belong to the tuple.
                it.heap.forget(d, e.v, d.labelFor(e.k));
                const tup = it.tuple([e.k, e.v]);
                it.decref(key);
                return tup;
            },
            copy: (self) => call(it, self.type, [self], null),
            __reversed__: (self) => newDictIter(it, od(self), 'dict_keys', true),
            // (Found by a subclass through its MRO: odict_repr with the subclass's name.)
            __repr__: (self) => it.str(odictRepr(self, new Set())),
        },
        ctor: (args: PyObject[], kwargs: KwArgs) => {
            arity(it, 'OrderedDict', args, 0, 1);
            const d = it.heap.register(new PyOrderedDict(t));
            if (args.length || (kwargs && kwargs.size)) {
                try {
                    it.decref(call(it, dictUpdate, [d, ...args], kwargs));
                } catch (e) {
                    it.decref(d);
                    throw e;
                }
            }
            return d;
        },
        repr: (self, seen) => odictRepr(self, seen),
    });
    // A subclass's instances: the OrderedDict storage plus the subclass's parts.
    t.allocSubtype = (cls) => {
        const o = new PyOrderedDictSub(cls);
        return o;
    };
    newWrapper(it, t, (cls, args, kwargs) => {
        void args;
        void kwargs;
        return cls.isHeap ? allocInstance(it, cls) : it.heap.register(new PyOrderedDict(cls));
    });
    return t;
}
