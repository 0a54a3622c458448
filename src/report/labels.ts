/*
 * labels.ts
 *
 * A readable name for every object: the name or path of its most durable reference (the one
 * that held it longest: `nodes[42]`, not the loop variable `n` that named each of 300 objects for
 * one iteration), else the first name it was bound to; derived from the reference whose holder
 * already had a name, recursively (an object stored in a list that is only later bound to
 * `x.child` becomes `x.child[0]` at that moment).
 *
 * Notation:
 *   x             a global of __main__
 *   sys.keep      a global (attribute) of another module
 *   x.attr        an attribute (instance __dict__, slots, class attribute: N.registry)
 *   lst[2]        a list or tuple item;   d['k'], d[3]   a dict entry
 *   f:x           local variable x of a call to f (qualname: C.method:self)
 *   a.b(key)      other labelled references keep the engine's edge label: (key), {item}, …
 *   f(raw)        a C field that Python code cannot reach by that name (the engine labels it in parentheses)
 *   <N@3:5>       never bound to a name: type and allocation line:column
 *   head.next.next.next…(+995).next
 *                 a path deeper than MAX_LABEL_HOPS links (a global's name is one) keeps its first
 *                 MAX_LABEL_HOPS links and its last one, with the number left out: a 300,000-node linked list would otherwise
 *                 give labels of O(n) characters each, O(n²) in all (every chain link repeats them)
 * Namespace dicts (`__dict__` of a module, class or instance) are transparent: `x.attr`, not
 * `x.__dict__.attr`. A Label event from the engine, when present, wins.
 */

import type { Decoded } from './decode';
import { isWeakEdge, type HeapIndex } from './graph';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Links of a path kept whole in a label; deeper paths are shortened (see the notation above). */
export const MAX_LABEL_HOPS = 4;
const CONSTRUCTION = /(^|\.)(__init__|__new__|__del__|__post_init__)$/;

export interface Labels {
    /** label by node; null when never bound and for frames (use fallbackLabel). */
    byNode: (string | null)[];
    /** The edge that gave the label (-1 if none). */
    viaEdge: Int32Array;
}

/** The label of a node never bound to a name: `<type@line:col>`, or `qualname()` for a frame. */
export function fallbackLabel(d: Decoded, node: number): string {
    const O = d.objects;
    if (!(node >= 0 && node < O.length)) {
        const q = d.frames.qualname[node - O.length];
        return q !== undefined ? `${q}()` : '?';
    }
    return `<${O.type(node)}@${d.log.line[O.alloc[node]]}:${d.log.col[O.alloc[node]]}>`;
}

/** Per edge label (by labelTable index): a bare name, or one that starts with a subscript `[`, `(`, `{`. */
const IS_IDENT = 1;
const IS_SUBSCRIPT = 2;

function labelShapes(table: string[]): Uint8Array {
    const out = new Uint8Array(table.length);
    for (let k = 0; k < table.length; k++) {
        const c = table[k].charAt(0);
        out[k] = (IDENT.test(table[k]) ? IS_IDENT : 0) | (c === '[' || c === '(' || c === '{' ? IS_SUBSCRIPT : 0);
    }
    return out;
}

/** 1 for each id (≤ maxId) that names a module: a typed-array test instead of a Map lookup per object. */
function moduleIdMask(d: Decoded): Uint8Array {
    const out = new Uint8Array(d.maxId + 1);
    for (const id of d.moduleNames.keys()) if (id >= 0 && id <= d.maxId) out[id] = 1;
    return out;
}

/** Whether frame f runs a constructor or finalizer; one regex test per distinct qualname. */
function constructorFrames(d: Decoded): (f: number) => boolean {
    const state = new Uint8Array(d.frames.length); // 0 unknown, 1 constructor, 2 other
    const byQualname = new Map<string, boolean>();
    return (f) => {
        if (state[f] === 0) {
            const q = d.frames.qualname[f];
            let ctor = byQualname.get(q);
            if (ctor === undefined) byQualname.set(q, (ctor = CONSTRUCTION.test(q)));
            state[f] = ctor ? 1 : 2;
        }
        return state[f] === 1;
    };
}

/**
 * Per object node, the strong reference into it that stayed longest while the program ran (the
 * order in which shutdown clears references says nothing about the program), the earliest on
 * ties; -1 when none. A constructor's or finalizer's `self` never
 * counts (it is the object being made or unmade, not a name for it).
 */
function durableReferences(d: Decoded, g: HeapIndex, nObj: number, SELF: number, isConstructorFrame: (f: number) => boolean): Int32Array {
    const E = d.edges;
    const best = new Int32Array(nObj).fill(-1);
    const life = new Float64Array(nObj).fill(-1);
    const weak = new Uint8Array(E.labelTable.length);
    for (let k = 0; k < weak.length; k++) weak[k] = isWeakEdge(E.labelTable[k]) ? 1 : 0;
    const running = d.phases.find((p) => p.phase === 'running');
    const end = running ? running.end : d.length;
    for (let e = 0; e < E.count; e++) {
        const tgt = g.tgtNode(e);
        if (tgt < 0 || tgt >= nObj) continue;
        const src = g.srcNode(e);
        if (src < 0 || src === tgt || weak[E.labelIndex[e]]) continue;
        if (src >= nObj && E.labelIndex[e] === SELF && isConstructorFrame(src - nObj)) continue;
        const l = Math.max(0, Math.min(E.del[e], end) - E.add[e]);
        if (l > life[tgt]) {
            life[tgt] = l;
            best[tgt] = e;
        }
    }
    return best;
}

/** No namespace-dict prefix; the prefix of __main__'s dict (''); otherwise the owner's node. */
const NO_NS = -1;
const MAIN_NS = -2;

export function computeLabels(d: Decoded, g: HeapIndex): Labels {
    const N = g.nodeCount;
    const nObj = d.objects.length;
    const E = d.edges;
    const byNode: (string | null)[] = new Array(N).fill(null);
    const viaEdge = new Int32Array(N).fill(-1);
    // The namespace-dict prefix of the children of a module/class/instance __dict__, by dict node:
    // the owner's node (its name never changes once set), so `owner.attr` is built in one step.
    const nsOwner = new Int32Array(N).fill(NO_NS);
    // Links from the named root to each node's label (a namespace dict is transparent: 0), and for
    // a label deeper than MAX_LABEL_HOPS the node whose (whole) label it starts with.
    const hops = new Int32Array(N);
    const anchor = new Int32Array(N).fill(-1);
    const mainModule = [...d.moduleNames.entries()].find(([, n]) => n === '__main__')?.[0] ?? -1;
    const shapes = labelShapes(E.labelTable);
    const DICT = E.labelTable.indexOf('__dict__');
    const SELF = E.labelTable.indexOf('self');
    const isModuleId = moduleIdMask(d);
    const moduleNameOf = (id: number): string | undefined => (id >= 0 && id <= d.maxId && isModuleId[id] === 0 ? undefined : d.moduleNames.get(id));
    const isConstructorFrame = constructorFrames(d);
    const FRAME = d.objects.typeTable.indexOf('frame');

    // Frames (hundreds of thousands in a long run) are named `qualname()` by fallbackLabel, on demand.
    const O = d.objects;
    for (let i = 0; i < nObj; i++) {
        const m = moduleNameOf(O.id[i]);
        if (m !== undefined) byNode[i] = m;
        else if (O.id[i] === d.sysModulesDict) byNode[i] = 'sys.modules';
        else {
            const engineLabel = O.rare(i)?.engineLabel;
            if (engineLabel) byNode[i] = engineLabel;
        }
    }

    /**
     * The label of `tgt` reached from `src` by edge e: `prefix` (the label of node `p`) followed by
     * `seg`. Records the depth of the new label and shortens one deeper than MAX_LABEL_HOPS.
     */
    const extend = (tgt: number, p: number, seg: string): string => {
        const h = hops[p] + 1;
        if (tgt >= 0) hops[tgt] = h;
        if (h <= MAX_LABEL_HOPS) return byNode[p] + seg;
        const a = hops[p] === MAX_LABEL_HOPS ? p : anchor[p];
        if (tgt >= 0) anchor[tgt] = a;
        // One link past the limit leaves nothing out: the whole path is shorter than an ellipsis.
        return h === MAX_LABEL_HOPS + 1 ? byNode[p] + seg : `${byNode[a]}…(+${h - MAX_LABEL_HOPS - 1})${seg}`;
    };

    const childName = (src: number, e: number): string | null => {
        const li = E.labelIndex[e];
        const label = E.labelTable[li];
        const tgt = g.tgtNode(e);
        if (src >= nObj) {
            // `self` of a constructor or finalizer is the object being made or unmade: wait for a real name.
            if (li === SELF && isConstructorFrame(src - nObj)) return null;
            if (tgt >= 0) hops[tgt] = 1;
            return `${d.frames.qualname[src - nObj]}:${label}`;
        }
        const srcId = O.id[src];
        const tgtType = tgt >= 0 && tgt < nObj ? O.type(tgt) : undefined;
        if (srcId === d.sysModulesDict && tgtType === 'module') return label;
        const pl = byNode[src];
        if (pl === null) return null;
        if (li === DICT && tgtType === 'dict') {
            nsOwner[tgt] = srcId === mainModule ? MAIN_NS : src;
            // Transparent in paths: the dict is as deep as its owner.
            hops[tgt] = hops[src];
            anchor[tgt] = anchor[src];
            return `${pl}.__dict__`;
        }
        const ns = nsOwner[src];
        if (ns !== NO_NS && shapes[li] & IS_IDENT) {
            if (ns === MAIN_NS) {
                if (tgt >= 0) hops[tgt] = 1;
                return label;
            }
            return extend(tgt, ns, `.${label}`);
        }
        // A frame object reached through `tb_frame`/`gi_frame`: its locals are `f_locals` entries.
        if (O.typeIndex[src] === FRAME && shapes[li] & IS_IDENT) return extend(tgt, src, `.f_locals['${label}']`);
        return extend(tgt, src, shapes[li] & IS_SUBSCRIPT ? label : `.${label}`);
    };

    // The most durable strong reference into each object: the one alive longest (first on ties).
    const durable = durableReferences(d, g, nObj, SELF, isConstructorFrame);
    let durableOnly = true;
    const stack: number[] = [];
    const assign = (node: number, e: number, name: string, t: number) => {
        byNode[node] = name;
        viaEdge[node] = e;
        stack.push(node);
        // Propagate to children already referenced (created before their holder got a name).
        while (stack.length) {
            const u = stack.pop()!;
            for (let k = g.outBegin(u), end = g.outEnd(u); k < end; k++) {
                const ce = g.outEdge(k);
                if (E.add[ce] > t) break;
                if (!g.edgeAliveAt(ce, t)) continue;
                const v = g.tgtNode(ce);
                if (v < 0 || v >= nObj) continue;
                if (durableOnly && durable[v] !== ce && byNode[v] === null) continue;
                if (byNode[v] !== null) {
                    // A namespace dict named by a Label event or earlier: still record its prefix.
                    if (E.labelIndex[ce] === DICT && nsOwner[v] === NO_NS) childName(u, ce);
                    continue;
                }
                const nm = childName(u, ce);
                if (nm === null) continue;
                byNode[v] = nm;
                viaEdge[v] = ce;
                stack.push(v);
            }
        }
    };

    // Seed: nodes named up-front propagate from the moment they exist.
    for (let i = 0; i < nObj; i++) if (byNode[i] !== null && moduleNameOf(O.id[i]) !== undefined) assign(i, -1, byNode[i]!, O.alloc[i]);

    // Two passes: the durable references name what they can; then the first name, for the rest.
    for (const pass of [true, false]) {
        durableOnly = pass;
        for (let e = 0; e < E.count; e++) {
            const tgt = g.tgtNode(e);
            if (tgt < 0 || tgt >= nObj) continue;
            const src = g.srcNode(e);
            if (src < 0) continue;
            if (byNode[tgt] !== null) {
                if (E.labelIndex[e] === DICT && nsOwner[tgt] === NO_NS && byNode[src] !== null) childName(src, e);
                continue;
            }
            if (pass && durable[tgt] !== e) continue;
            const nm = childName(src, e);
            if (nm === null) continue;
            assign(tgt, e, nm, E.add[e]);
        }
    }
    return { byNode, viaEdge };
}
