/*
 * labels.ts
 *
 * A readable name for every object: the first name or path it was bound to, derived from the
 * first reference to it whose holder already had a name, recursively (an object stored in a list
 * that is only later bound to `x.child` becomes `x.child[0]` at that moment).
 *
 * Notation:
 *   x             a global of __main__
 *   sys.keep      a global (attribute) of another module
 *   x.attr        an attribute (instance __dict__, slots, class attribute: N.registry)
 *   lst[2]        a list or tuple item;   d['k'], d[3]   a dict entry
 *   f:x           local variable x of a call to f (qualname: C.method:self)
 *   a.b(key)      other labelled references keep the engine's edge label: (key), {item}, …
 *   <N@3:5>       never bound to a name: type and allocation line:column
 * Namespace dicts (`__dict__` of a module, class or instance) are transparent: `x.attr`, not
 * `x.__dict__.attr`. A Label event from the engine, when present, wins.
 */

import type { Decoded } from './decode';
import type { HeapIndex } from './graph';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONSTRUCTION = /(^|\.)(__init__|__new__|__del__|__post_init__)$/;

export interface Labels {
    /** label by node; null when never bound and for frames (use fallbackLabel). */
    byNode: (string | null)[];
    /** The edge that gave the label (-1 if none). */
    viaEdge: Int32Array;
}

/** The label of a node never bound to a name: `<type@line:col>`, or `qualname()` for a frame. */
export function fallbackLabel(d: Decoded, node: number): string {
    const o = d.objects[node];
    if (!o) {
        const q = d.frames.qualname[node - d.objects.length];
        return q !== undefined ? `${q}()` : '?';
    }
    return `<${o.type}@${d.log.line[o.alloc]}:${d.log.col[o.alloc]}>`;
}

export function computeLabels(d: Decoded, g: HeapIndex): Labels {
    const N = g.nodeCount;
    const nObj = d.objects.length;
    const byNode: (string | null)[] = new Array(N).fill(null);
    const viaEdge = new Int32Array(N).fill(-1);
    // Prefix for the children of a namespace dict (module/class/instance __dict__), by dict node.
    const nsPrefix = new Map<number, string>();
    const mainModule = [...d.moduleNames.entries()].find(([, n]) => n === '__main__')?.[0] ?? -1;

    // Frames (hundreds of thousands in a long run) are named `qualname()` by fallbackLabel, on demand.
    for (let i = 0; i < nObj; i++) {
        const o = d.objects[i];
        const m = d.moduleNames.get(o.id);
        if (m !== undefined) byNode[i] = m;
        else if (o.id === d.sysModulesDict) byNode[i] = 'sys.modules';
        else if (o.engineLabel) byNode[i] = o.engineLabel;
    }

    const childName = (src: number, e: number): string | null => {
        const label = d.edges.label[e];
        const tgt = g.tgtNode(e);
        if (src >= nObj) {
            const q = d.frames.qualname[src - nObj];
            // `self` of a constructor or finalizer is the object being made or unmade: wait for a real name.
            if (label === 'self' && CONSTRUCTION.test(q)) return null;
            return `${q}:${label}`;
        }
        const srcObj = d.objects[src];
        const tgtObj = tgt < nObj ? d.objects[tgt] : undefined;
        if (srcObj.id === d.sysModulesDict && tgtObj?.type === 'module') return label;
        const pl = byNode[src];
        if (pl === null) return null;
        if (label === '__dict__' && tgtObj?.type === 'dict') {
            nsPrefix.set(tgt, srcObj.id === mainModule ? '' : `${pl}.`);
            return `${pl}.__dict__`;
        }
        const ns = nsPrefix.get(src);
        if (ns !== undefined && IDENT.test(label)) return ns + label;
        const c = label.charAt(0);
        if (c === '[' || c === '(' || c === '{') return pl + label;
        return `${pl}.${label}`;
    };

    const stack: number[] = [];
    const assign = (node: number, e: number, name: string, t: number) => {
        byNode[node] = name;
        viaEdge[node] = e;
        stack.push(node);
        // Propagate to children already referenced (created before their holder got a name).
        while (stack.length) {
            const u = stack.pop()!;
            for (const ce of g.outEdgesAt(u, t)) {
                const v = g.tgtNode(ce);
                if (v < 0 || v >= nObj) continue;
                if (byNode[v] !== null) {
                    // A namespace dict named by a Label event or earlier: still record its prefix.
                    if (d.edges.label[ce] === '__dict__' && !nsPrefix.has(v)) childName(u, ce);
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
    for (let i = 0; i < nObj; i++) if (byNode[i] !== null && d.moduleNames.has(d.objects[i].id)) assign(i, -1, byNode[i]!, d.objects[i].alloc);

    const E = d.edges;
    for (let e = 0; e < E.count; e++) {
        const tgt = g.tgtNode(e);
        if (tgt < 0 || tgt >= nObj) continue;
        const src = g.srcNode(e);
        if (src < 0) continue;
        if (byNode[tgt] !== null) {
            if (E.label[e] === '__dict__' && !nsPrefix.has(tgt) && byNode[src] !== null) childName(src, e);
            continue;
        }
        const nm = childName(src, e);
        if (nm === null) continue;
        assign(tgt, e, nm, E.add[e]);
    }
    return { byNode, viaEdge };
}
