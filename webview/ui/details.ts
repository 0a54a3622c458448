/*
 * details.ts — the side panel for the selected object: what it is, what will happen to it, the
 * shortest chain that holds it at the moment shown (highlighted in the graph too) with the line
 * that made each reference, and its retainers tree (who references it, expandable to the roots),
 * as DevTools' Retainers view. The words come from the Report; this file only lays them out.
 */

import type { HeapModel } from '../model/heapModel';
import { fateBadge, fateClass } from '../model/fates';
import { nodeText } from '../model/view';
import { retainersOf, type RetainerPath } from '../model/retainers';
import type { Timeline } from '../model/timeline';
import { h } from './dom';

export interface DetailsHandlers {
    revealLine(line: number): void;
    select(v: number): void;
}

const MAX_DEPTH = 8;
const MAX_ROWS = 40;

function nameOf(model: HeapModel, v: number): string {
    return nodeText(model, v).split('\n')[0];
}

function lineButton(line: number, on: DetailsHandlers): HTMLElement {
    if (line <= 0) return h('span', { class: 'dim', text: '' });
    return h('button', { type: 'button', class: 'link', title: `Show line ${line} in the editor`, 'aria-label': `Show line ${line} in the editor`, onclick: () => on.revealLine(line) }, `line ${line}`);
}

function nodeButton(model: HeapModel, v: number, on: DetailsHandlers): HTMLElement {
    const name = nameOf(model, v);
    return h('button', { type: 'button', class: 'link obj', title: `Select ${name}`, onclick: () => on.select(v) }, name);
}

/** The panel's content for node v at the timeline's current moment. */
export function renderDetails(el: HTMLElement, model: HeapModel, tl: Timeline, v: number, path: RetainerPath, cycle: { others: number[]; reason: string } | null, on: DetailsHandlers, compared: { profile: string; fate: string } | null = null): void {
    const n = model.nodes[v];
    const parts: HTMLElement[] = [];
    const lines = nodeText(model, v).split('\n');
    parts.push(h('h2', { text: lines[0] }));
    parts.push(h('div', { class: 'sub', text: lines.slice(1, n.obj ? 2 : undefined).join(' · ') }));
    if (n.obj) {
        parts.push(h('div', { class: `badge fate-${fateClass(n.obj)}`, text: fateBadge(n.obj) }));
        if (compared) parts.push(h('div', { class: 'differs-note', text: `On Python ${compared.profile}: ${compared.fate === 'not-created' ? 'not created' : compared.fate.replace(/-/g, ' ')}` }));
        parts.push(h('div', { class: 'row' }, h('span', { text: 'Made at ' }), lineButton(n.obj.allocLine, on), ...(n.obj.thread ? [h('span', { text: ` on thread ${n.obj.thread}` })] : [])));
        // Freed on another thread: its finalizer ran (and printed) there.
        const freedOn = n.obj.death?.thread;
        if (freedOn) parts.push(h('div', { class: 'row' }, h('span', { text: `Freed on thread ${freedOn}, ` }), lineButton(n.obj.death!.line, on)));
    }
    if (n.thread) parts.push(h('div', { class: 'row', text: `On thread ${n.thread}` }));
    if (!tl.isNodeLive(v)) {
        parts.push(h('p', { class: 'dim', text: 'Not alive at this moment.' }));
    } else if (n.root) {
        parts.push(h('p', { text: 'A root: what it references stays alive.' }));
    } else if (path.root >= 0) {
        parts.push(h('h3', { text: 'Held by (shortest chain)' }));
        const ol = h('ol', { class: 'chain', 'aria-label': 'Shortest chain of references from a root' });
        ol.append(h('li', {}, nodeButton(model, path.nodes[0], on)));
        for (let i = 0; i < path.edges.length; i++) {
            const e = path.edges[i];
            ol.append(h('li', {}, h('span', { class: 'edge', text: `—${model.edgeLabel(e)}→ ` }), nodeButton(model, path.nodes[i + 1], on), h('span', { text: ' ' }), lineButton(model.eLine[e], on)));
        }
        parts.push(ol);
    } else if (path.unrecorded) {
        parts.push(h('p', { text: 'No recorded reference holds it: only the interpreter does.' }));
    } else {
        parts.push(h('p', { text: 'No root reaches it: it is unreachable, waiting for the cyclic garbage collector.' }));
    }
    if (cycle) parts.push(h('p', { class: 'cycle' }, h('strong', { text: 'In a cycle' }), ` with ${cycle.others.map((w) => nameOf(model, w)).slice(0, 4).join(', ')}${cycle.others.length > 4 ? '…' : ''}: ${cycle.reason}.`));
    if (tl.isNodeLive(v) && !n.root) {
        parts.push(h('h3', { text: 'Retainers' }));
        const tree = h('ul', { class: 'tree', role: 'tree', 'aria-label': 'Retainers: who references this object' });
        let rows = 0;
        const grow = (ul: HTMLElement, u: number, depth: number, seen: Set<number>) => {
            for (const r of retainersOf(model, tl, u)) {
                if (rows++ >= MAX_ROWS) {
                    ul.append(h('li', { class: 'dim', text: '…' }));
                    return;
                }
                const li = h('li', { role: 'treeitem' });
                const label = h('span', { class: 'edge', text: ` .${r.label} ` });
                const more = !r.root && depth < MAX_DEPTH && !seen.has(r.from);
                if (more) {
                    const sub = h('ul', { role: 'group' });
                    sub.hidden = depth > 0;
                    const tog = h('button', { type: 'button', class: 'twisty', 'aria-expanded': String(!sub.hidden), 'aria-label': 'Expand' }, sub.hidden ? '▸' : '▾');
                    tog.addEventListener('click', () => {
                        sub.hidden = !sub.hidden;
                        tog.textContent = sub.hidden ? '▸' : '▾';
                        tog.setAttribute('aria-expanded', String(!sub.hidden));
                        if (!sub.hidden && !sub.childElementCount) grow(sub, r.from, depth + 1, new Set([...seen, r.from]));
                    });
                    li.append(tog, nodeButton(model, r.from, on), label, lineButton(r.line, on));
                    if (!sub.hidden) grow(sub, r.from, depth + 1, new Set([...seen, r.from]));
                    li.append(sub);
                } else {
                    li.append(h('span', { class: 'twisty', text: r.root ? '●' : '·', 'aria-hidden': 'true' }), nodeButton(model, r.from, on), label, lineButton(r.line, on));
                }
                ul.append(li);
            }
            if (!ul.childElementCount) ul.append(h('li', { class: 'dim', text: 'nothing references it now' }));
        };
        grow(tree, v, 0, new Set([v]));
        parts.push(tree);
    }
    if (n.obj?.explanation) parts.push(h('details', {}, h('summary', { text: 'Why' }), h('p', { text: n.obj.explanation })));
    el.replaceChildren(...parts);
}
