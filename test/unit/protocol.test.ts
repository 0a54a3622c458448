import { describe, expect, it } from 'vitest';
import { parseHostMessage, parseWebviewMessage, validateReport, PROTOCOL_VERSION } from '../../src/protocol';
import { miniReport, reportOf } from '../webview/fixtures';
import { readFileSync } from 'node:fs';

const report = miniReport([{ id: 1, type: 'module', label: '__main__', born: 0 }, { id: 2, type: 'list', born: 1 }], [[1, 2, 'xs', 1, -1]], 5);

describe('protocol: webview → extension', () => {
    it('accepts every well-formed message', () => {
        const ok: unknown[] = [
            { type: 'ready', protocolVersion: PROTOCOL_VERSION },
            { type: 'revealLine', uri: 'file:///a.pyscn', line: 3, column: 1, preserveFocus: true },
            { type: 'saveImage', requestId: 1, format: 'png', fileName: 'a.png', data: 'AAAA', encoding: 'base64' },
            { type: 'exportReport', requestId: 2, format: 'sarif' },
            { type: 'refresh' },
            { type: 'log', level: 'warn', message: 'x' },
            { type: 'selection', objectId: 7, phase: 'running' },
            { type: 'selection', objectId: null, phase: 'teardown-gc' },
        ];
        for (const m of ok) expect(parseWebviewMessage(m)).toEqual({ ok: true, message: m });
    });
    it('rejects unknown types, missing and mistyped fields', () => {
        const bad: [unknown, RegExp][] = [
            [null, /expected an object/],
            [[], /expected an object/],
            [{ type: 'nope' }, /unknown message type/],
            [{}, /unknown message type/],
            [{ type: 'toString' }, /unknown message type/],
            [{ type: 'revealLine', uri: 'u', line: -1, column: 1, preserveFocus: true }, /revealLine\.line/],
            [{ type: 'revealLine', uri: 'u', line: 1.5, column: 1, preserveFocus: true }, /revealLine\.line/],
            [{ type: 'revealLine', uri: 3, line: 1, column: 1, preserveFocus: true }, /revealLine\.uri/],
            [{ type: 'saveImage', requestId: 1, format: 'gif', fileName: 'a', data: '', encoding: 'base64' }, /format/],
            [{ type: 'exportReport', requestId: 1, format: 'pdf' }, /format/],
            [{ type: 'ready' }, /protocolVersion/],
            [{ type: 'log', level: 'debug', message: 'x' }, /level/],
            [{ type: 'selection', objectId: 1.5, phase: 'running' }, /selection\.objectId/],
            [{ type: 'selection', objectId: 1 }, /selection\.phase/],
        ];
        for (const [m, re] of bad) {
            const r = parseWebviewMessage(m);
            expect(r.ok).toBe(false);
            if (!r.ok) expect(r.error).toMatch(re);
        }
    });
});

describe('protocol: extension → webview', () => {
    it('accepts reports, cursor, selection, theme and results', () => {
        const ok: unknown[] = [
            { type: 'report', uri: 'file:///a', fileName: 'a', version: 1, report, preserveView: true },
            { type: 'report', uri: 'file:///a', fileName: 'a', version: 1, report: null, error: 'syntax error', preserveView: false },
            { type: 'cursor', uri: 'file:///a', line: 0 },
            { type: 'selectObject', objectId: 4 },
            { type: 'selectObject', objectId: 4, at: 10 },
            { type: 'theme', kind: 'high-contrast-light' },
            { type: 'result', requestId: 3, ok: false, message: 'Cancelled' },
            { type: 'compare', otherProfile: '2.7', differs: [{ id: 3, otherFate: 'survives-exit' }, { id: 4, otherFate: 'not-created' }] },
            { type: 'compare', otherProfile: null, differs: [] },
            { type: 'seekPhase', phase: 'atexit' },
        ];
        for (const m of ok) expect(parseHostMessage(m).ok).toBe(true);
        // a fate the views do not know is refused
        expect(parseHostMessage({ type: 'compare', otherProfile: '2.7', differs: [{ id: 3, otherFate: 'gone' }] }).ok).toBe(false);
    });
    it('rejects malformed reports', () => {
        const broken = structuredClone(report);
        (broken.graph!.edges.to as number[]).pop();
        const r = parseHostMessage({ type: 'report', uri: 'u', fileName: 'a', version: 1, report: broken, preserveView: true });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error).toMatch(/edges\.to: length/);
        expect(parseHostMessage({ type: 'theme', kind: 'purple' }).ok).toBe(false);
        expect(parseHostMessage({ type: 'report', uri: 'u', fileName: 'a', version: 1, report: { ...report, objects: [{ id: 'x' }] }, preserveView: true }).ok).toBe(false);
        expect(validateReport({ ...report, graph: { ...report.graph, nodes: [{ id: 1, kind: 'thing' }] } })).toMatch(/kind/);
    });
    it('accepts a real report built by the engine', () => {
        const src = readFileSync('examples/02-cycle-until-collection.pyscn', 'utf8');
        expect(validateReport(reportOf(src))).toBeNull();
    });
});
