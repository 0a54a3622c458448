/*
 * html.ts — one self-contained HTML file: the heap graph when the program finished (inline SVG,
 * layered by distance from the roots), the findings with their explanations and chains, and the
 * object table. No scripts, no external resources. (The cytoscape heap-graph panel replaces the
 * graph view later; it reads the same Report.)
 */
import type { Report } from '../types';
import { heapAt, FATE_FILL } from './heap';
import { htmlText } from '../../escape/html';
import { exitStatusText } from '../phaseNames';

const FILL = FATE_FILL;

/** Every string in the page is program data or our words: all of it through escape/html.ts. */
const esc = htmlText;

function svgGraph(r: Report): string {
    const v = heapAt(r, undefined, 150);
    if (!v.nodes.length) return '<p>No objects were alive when the program finished.</p>';
    const depth = new Map<number, number>();
    const out = new Map<number, number[]>();
    for (const e of v.edges) {
        let a = out.get(e.from);
        if (!a) out.set(e.from, (a = []));
        a.push(e.to);
    }
    const hasIn = new Set(v.edges.map((e) => e.to));
    const queue: number[] = [];
    for (const n of v.nodes) if (n.kind !== 'object' || !hasIn.has(n.id)) {
        depth.set(n.id, 0);
        queue.push(n.id);
    }
    for (let i = 0; i < queue.length; i++) {
        for (const t of out.get(queue[i]) ?? []) {
            if (depth.has(t)) continue;
            depth.set(t, depth.get(queue[i])! + 1);
            queue.push(t);
        }
    }
    for (const n of v.nodes) if (!depth.has(n.id)) depth.set(n.id, 1);
    const cols = new Map<number, number[]>();
    for (const n of v.nodes) {
        const d = depth.get(n.id)!;
        let c = cols.get(d);
        if (!c) cols.set(d, (c = []));
        c.push(n.id);
    }
    const W = 170;
    const H = 46;
    const pos = new Map<number, { x: number; y: number }>();
    let maxRows = 0;
    for (const [d, ids] of cols) {
        ids.forEach((id, i) => pos.set(id, { x: 20 + d * (W + 60), y: 20 + i * (H + 18) }));
        maxRows = Math.max(maxRows, ids.length);
    }
    const width = 40 + (Math.max(...cols.keys()) + 1) * (W + 60);
    const height = 40 + maxRows * (H + 18);
    const parts: string[] = [];
    parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica,Arial,sans-serif" font-size="11">`);
    parts.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>');
    for (const e of v.edges) {
        const a = pos.get(e.from)!;
        const b = pos.get(e.to)!;
        const x1 = a.x + W;
        const y1 = a.y + H / 2;
        const x2 = b.x;
        const y2 = b.y + H / 2;
        parts.push(`<g><title>${esc(`${e.label} (line ${e.line})`)}</title><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#555" marker-end="url(#arrow)"/><text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 3}" text-anchor="middle" fill="#333">${esc(e.label)}</text></g>`);
    }
    for (const n of v.nodes) {
        const p = pos.get(n.id)!;
        const fill = n.kind === 'object' ? FILL[n.fate ?? ''] ?? '#fff' : '#e6e6e6';
        const stroke = n.survives ? '#b85450' : '#888';
        const title = n.kind === 'object' ? `${n.label} (${n.type}): ${n.fate}` : `${n.kind} ${n.label}`;
        parts.push(`<g><title>${esc(title)}</title><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="${n.kind === 'object' ? 10 : 2}" fill="${fill}" stroke="${stroke}" stroke-width="${n.survives ? 2 : 1}"/>` +
            `<text x="${p.x + 8}" y="${p.y + 18}" font-weight="bold">${esc(clip(n.kind === 'object' ? n.label : `${n.kind} ${n.label}`, 26))}</text>` +
            `<text x="${p.x + 8}" y="${p.y + 34}" fill="#444">${esc(clip(n.kind === 'object' ? `${n.type} · ${n.fate}` : '', 28))}</text></g>`);
    }
    parts.push('</svg>');
    return parts.join('\n') + (v.truncated ? `<p>${v.truncated} more nodes not shown.</p>` : '');
}

function clip(s: string, n: number): string {
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function formatHtml(r: Report): string {
    const s = r.summary;
    const findings = r.findings
        .map((f) => {
            const o = r.objects.find((x) => x.id === f.objects[0]);
            const chain = o?.chain?.length
                ? `<ol class="chain"><li>${esc(o.chainInfo?.root?.name ?? '')}</li>${o.chain.map((l) => `<li>—${esc(l.edge)}→ ${esc(l.toLabel)} <span class="dim">(line ${l.line})</span></li>`).join('')}</ol>`
                : '';
            return `<div class="finding ${f.severity}"><div><b>${esc(f.severity)}</b> line ${f.line}: ${esc(f.message)} <code>${esc(f.kind)}</code></div>${chain}<p>${esc(f.explanation.text)}</p><p><b>Fix:</b> ${esc(f.explanation.fix)}</p>${f.explanation.versions ? `<p><b>Versions:</b> ${esc(f.explanation.versions)}</p>` : ''}<p>${f.explanation.docs.map((d) => `<a href="${esc(d.url)}">${esc(d.title)}</a>`).join(' · ')}</p></div>`;
        })
        .join('\n');
    const rows = r.objects
        .slice(0, 500)
        .map((o) => `<tr class="${esc(o.fate)}"><td>${o.allocLine}:${o.allocColumn}</td><td>${esc(o.type)}</td><td>${esc(o.label)}</td><td>${esc(o.fate)}${o.survivorReason ? ` (${esc(o.survivorReason)})` : ''}</td><td>${esc(o.explanation)}</td></tr>`)
        .join('\n');
    const exps = r.expectations.map((e) => `<li class="${e.status === 'ok' ? 'ok' : 'bad'}">line ${e.line}: ${esc(e.status)} — ${esc(e.message)}</li>`).join('');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ExitScope report: ${esc(r.file)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;margin:1.5em;color:#222}
.dim{color:#777}.finding{border-left:4px solid #999;padding:.3em .8em;margin:.8em 0;background:#fafafa}
.finding.error{border-color:#c0392b}.finding.warning{border-color:#e0a800}.finding.note{border-color:#3a7bd5}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
tr.survives-exit{background:#f8cecc}tr.collected{background:#d9e8f7}tr.finalized-at-shutdown{background:#fff2cc}
.graph{overflow:auto;border:1px solid #ddd;max-height:70vh}.chain{font-family:monospace}li.bad{color:#c0392b}li.ok{color:#2e7d32}
</style></head><body>
<h1>${esc(r.file)} <span class="dim">Python ${esc(r.profile)}, ${exitStatusText(r.exitCode)}</span></h1>
<p>${s.created} objects created: ${s.freed} freed, ${s.collected} collected by the GC, ${s.finalizedAtShutdown} finalized at shutdown, ${s.freedAtShutdown} freed at shutdown, <b>${s.surviving} survive exit</b>.</p>
${r.errors.map((e) => `<p class="finding error">line ${e.line}: ${esc(e.message)}</p>`).join('')}
<h2>Heap when the program finished</h2><div class="graph">${svgGraph(r)}</div>
<h2>Findings (${r.findings.length})</h2>${findings || '<p>None.</p>'}
${exps ? `<h2>Expectations</h2><ul>${exps}</ul>` : ''}
<h2>Objects</h2><table><tr><th>line</th><th>type</th><th>label</th><th>fate</th><th>why</th></tr>${rows}</table>
${r.objects.length > 500 ? `<p class="dim">${r.objects.length - 500} more objects in the JSON report.</p>` : ''}
<h2>Timeline</h2><p>${r.timeline.map((p) => `${esc(p.phase)} (steps ${p.startStep}–${p.endStep})`).join(' → ')}</p>
</body></html>
`;
}
