// Compare Python Versions: objects matched across two profiles' reports, and whose fate differs
// (src/report/compareReports.ts), on a gallery example whose point is that difference.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { compareReports } from '../../src/report/compareReports';

const ROOT = path.resolve(__dirname, '../..');
const reportOf = (rel: string, python: string) => {
    const source = fs.readFileSync(path.join(ROOT, rel), 'utf8');
    return buildReport(source, simulate(source, { python, fileName: path.basename(rel) }), { graph: false });
};

describe('compareReports', () => {
    it('matches the objects of 3.13 and 2.7 by allocation site and lists those whose fate differs, both ways', () => {
        const a = reportOf('examples/02-cycle-until-collection.pyscn', '3.13');
        const b = reportOf('examples/02-cycle-until-collection.pyscn', '2.7');
        const c = compareReports(a, b);
        const node = (r: typeof a, label: string) => r.objects.find((o) => o.type === 'Node' && o.label === label)!;
        // the cycle a <-> b with __del__: collected on 3.13 (PEP 442), gc.garbage on 2.7
        expect(node(a, 'a').fate).toBe('collected');
        expect(node(b, 'a').fate).toBe('survives-exit');
        expect(c.aToB.get(node(a, 'a').id)).toBe(node(b, 'a').id);
        expect(c.bToA.get(node(b, 'b').id)).toBe(node(a, 'b').id);
        expect(c.aDiffers).toContainEqual({ id: node(a, 'a').id, otherFate: 'survives-exit' });
        expect(c.bDiffers).toContainEqual({ id: node(b, 'a').id, otherFate: 'collected' });
        // every listed difference is real: the matched object's fate differs, or there is none
        for (const d of c.aDiffers) {
            const mine = a.objects.find((o) => o.id === d.id)!;
            const theirs = c.aToB.has(d.id) ? b.objects.find((o) => o.id === c.aToB.get(d.id))! : null;
            if (theirs) expect(theirs.fate).not.toBe(mine.fate);
            else expect(d.otherFate).toBe('not-created');
        }
    });

    it('lists nothing for a report compared with itself', () => {
        const a = reportOf('examples/04-globals-at-exit-2-vs-3.pyscn', '3.12');
        const c = compareReports(a, a);
        expect(c.aDiffers).toEqual([]);
        expect(c.aToB.size).toBeGreaterThan(0);
    });
});
