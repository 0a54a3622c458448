/*
 * svgExport.ts
 *
 * A small SVG serializer for the current view: shapes, borders (double borders for survivors),
 * edge lines with arrowheads and labels, compound cycle groups. It takes plain data (positions and
 * resolved colours read from cytoscape by graphView.ts), so it is pure and unit-tested.
 */

import { xmlText } from '../../src/escape/xml';

export interface SvgNode {
    x: number;
    y: number;
    w: number;
    h: number;
    shape: string;
    fill: string;
    fillOpacity: number;
    stroke: string;
    strokeWidth: number;
    strokeStyle: 'solid' | 'dashed' | 'dotted' | 'double';
    opacity: number;
    label: string;
    color: string;
    /** Compound groups are drawn first and have their label at the top. */
    compound: boolean;
}

export interface SvgEdge {
    x1: number;
    y1: number;
    x2: number;
    y2: number;
    color: string;
    width: number;
    style: 'solid' | 'dashed' | 'dotted';
    label: string;
    opacity: number;
    arrow: boolean;
}

/** Labels and values as XML text (escape/xml.ts: markup characters and what XML 1.0 forbids). */
export const escapeXml = xmlText;

const r2 = (n: number) => Math.round(n * 100) / 100;

function polygon(cx: number, cy: number, w: number, h: number, sides: number, rot = 0): string {
    const pts: string[] = [];
    for (let i = 0; i < sides; i++) {
        const a = rot + (2 * Math.PI * i) / sides;
        pts.push(`${r2(cx + (w / 2) * Math.cos(a))},${r2(cy + (h / 2) * Math.sin(a))}`);
    }
    return pts.join(' ');
}

function shapeElement(n: SvgNode, attrs: string, inset = 0): string {
    const w = Math.max(1, n.w - 2 * inset);
    const h = Math.max(1, n.h - 2 * inset);
    const x = n.x - w / 2;
    const y = n.y - h / 2;
    const s = n.shape;
    if (s === 'ellipse') return `<ellipse cx="${r2(n.x)}" cy="${r2(n.y)}" rx="${r2(w / 2)}" ry="${r2(h / 2)}" ${attrs}/>`;
    if (s.endsWith('diamond')) return `<polygon points="${polygon(n.x, n.y, w, h, 4)}" ${attrs}/>`;
    if (s.endsWith('hexagon')) return `<polygon points="${polygon(n.x, n.y, w, h, 6)}" ${attrs}/>`;
    if (s.endsWith('octagon')) return `<polygon points="${polygon(n.x, n.y, w, h, 8, Math.PI / 8)}" ${attrs}/>`;
    if (s.endsWith('pentagon')) return `<polygon points="${polygon(n.x, n.y, w, h, 5, -Math.PI / 2)}" ${attrs}/>`;
    const rx = s.startsWith('round') || s === 'barrel' || s === 'bottom-round-rectangle' ? Math.min(8, h / 4) : 0;
    return `<rect x="${r2(x)}" y="${r2(y)}" width="${r2(w)}" height="${r2(h)}" rx="${rx}" ${attrs}/>`;
}

function text(x: number, y: number, label: string, color: string, size: number, anchorTop = false): string {
    const lines = label.split('\n');
    const lh = size * 1.25;
    const y0 = anchorTop ? y : y - ((lines.length - 1) * lh) / 2;
    const spans = lines.map((l, i) => `<tspan x="${r2(x)}" y="${r2(y0 + i * lh)}">${escapeXml(l)}</tspan>`).join('');
    return `<text text-anchor="middle" dominant-baseline="central" font-size="${size}" fill="${color}">${spans}</text>`;
}

export function toSvg(nodes: SvgNode[], edges: SvgEdge[], bg: string, fg: string): string {
    const pad = 20;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const n of nodes) {
        minX = Math.min(minX, n.x - n.w / 2);
        minY = Math.min(minY, n.y - n.h / 2 - (n.compound ? 14 : 0));
        maxX = Math.max(maxX, n.x + n.w / 2);
        maxY = Math.max(maxY, n.y + n.h / 2);
    }
    if (!nodes.length) minX = minY = maxX = maxY = 0;
    const W = r2(maxX - minX + 2 * pad);
    const H = r2(maxY - minY + 2 * pad);
    const out: string[] = [];
    out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="${r2(minX - pad)} ${r2(minY - pad)} ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">`);
    out.push(`<rect x="${r2(minX - pad)}" y="${r2(minY - pad)}" width="${W}" height="${H}" fill="${escapeXml(bg)}"/>`);
    const colors = [...new Set(edges.map((e) => e.color))];
    out.push('<defs>');
    colors.forEach((c, i) => out.push(`<marker id="a${i}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${escapeXml(c)}"/></marker>`));
    out.push('</defs>');
    const dash = (s: string, w: number) => (s === 'dashed' ? ` stroke-dasharray="${w * 4} ${w * 3}"` : s === 'dotted' ? ` stroke-dasharray="${w} ${w * 2}"` : '');
    const drawNode = (n: SvgNode) => {
        const g: string[] = [`<g opacity="${n.opacity}">`];
        const fill = `fill="${escapeXml(n.fill)}" fill-opacity="${n.fillOpacity}"`;
        if (n.strokeStyle === 'double') {
            const sw = Math.max(1, n.strokeWidth / 3);
            g.push(shapeElement(n, `${fill} stroke="${escapeXml(n.stroke)}" stroke-width="${r2(sw)}"`));
            g.push(shapeElement(n, `fill="none" stroke="${escapeXml(n.stroke)}" stroke-width="${r2(sw)}"`, sw * 2));
        } else {
            g.push(shapeElement(n, `${fill} stroke="${escapeXml(n.stroke)}" stroke-width="${r2(n.strokeWidth)}"${dash(n.strokeStyle, n.strokeWidth)}`));
        }
        if (n.label) g.push(n.compound ? text(n.x, n.y - n.h / 2 - 8, n.label, n.color, 10) : text(n.x, n.y, n.label, n.color, 11));
        g.push('</g>');
        out.push(g.join(''));
    };
    for (const n of nodes) if (n.compound) drawNode(n);
    for (const e of edges) {
        const m = colors.indexOf(e.color);
        out.push(
            `<g opacity="${e.opacity}"><line x1="${r2(e.x1)}" y1="${r2(e.y1)}" x2="${r2(e.x2)}" y2="${r2(e.y2)}" stroke="${escapeXml(e.color)}" stroke-width="${e.width}"${dash(e.style, e.width)}${e.arrow ? ` marker-end="url(#a${m})"` : ''}/>` +
                (e.label ? `<text x="${r2((e.x1 + e.x2) / 2)}" y="${r2((e.y1 + e.y2) / 2 - 4)}" text-anchor="middle" font-size="9" fill="${escapeXml(fg)}" stroke="${escapeXml(bg)}" stroke-width="3" paint-order="stroke">${escapeXml(e.label)}</text>` : '') +
                '</g>',
        );
    }
    for (const n of nodes) if (!n.compound) drawNode(n);
    out.push('</svg>');
    return out.join('\n');
}
