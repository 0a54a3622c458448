/*
 * dot.ts — Graphviz DOT of the heap when the program finished running (or at any event index):
 * program objects coloured by fate, roots (modules, frames) as boxes, reference labels on edges.
 * Every string is a quoted ID from escape/dot.ts.
 */
import type { Report } from '../types';
import { heapAt, FATE_FILL } from './heap';
import { dotString } from '../../escape/dot';

const FILL = FATE_FILL;

export function formatDot(r: Report, at?: number): string {
    const v = heapAt(r, at);
    const out: string[] = [];
    out.push(`digraph heap {`);
    out.push(`  graph [rankdir=LR, fontname="Helvetica", label=${dotString(`${r.file} — Python ${r.profile} — heap at event ${v.at}${v.truncated ? ` (${v.truncated} nodes not shown)` : ''}`)}, labelloc=t];`);
    out.push(`  node [fontname="Helvetica", fontsize=10, shape=ellipse, style=filled, fillcolor="#ffffff"];`);
    out.push(`  edge [fontname="Helvetica", fontsize=9];`);
    for (const n of v.nodes) {
        const attrs: string[] = [];
        if (n.kind === 'module' || n.kind === 'frame') {
            attrs.push('shape=box', 'fillcolor="#e6e6e6"', `label=${dotString(n.kind === 'module' ? `module ${n.label}` : `frame ${n.label}`)}`);
        } else {
            attrs.push(`label=${dotString(`${n.label}\n${n.type}${n.fate ? `\n${n.fate}` : ''}`)}`, `fillcolor=${dotString(FILL[n.fate ?? ''] ?? '#ffffff')}`);
            if (n.survives) attrs.push('penwidth=2', 'color="#b85450"');
        }
        out.push(`  n${n.id} [${attrs.join(', ')}];`);
    }
    for (const e of v.edges) out.push(`  n${e.from} -> n${e.to} [label=${dotString(e.label)}, tooltip=${dotString(`line ${e.line}`)}];`);
    out.push('}');
    return out.join('\n') + '\n';
}
