import { describe, expect, it } from 'vitest';
import { EXPLAIN_VERSIONS, HOVER_COMMANDS, SHOW_HEAP_GRAPH, commandUri, hoverMarkdown, prose } from '../../src/extension/views/hoverModel';
import { codeLenses, summaryTitle } from '../../src/extension/views/codeLensModel';
import { inlineHints } from '../../src/extension/views/inlineHintsModel';
import { fateGroups } from '../../src/extension/views/objectsModel';
import { versionsMarkdown } from '../../src/extension/views/versionsModel';
import { lifetimeLine } from '../../src/extension/views/lifetimeText';
import { scenarioTemplate } from '../../src/extension/language/scenarioTemplate';
import { CYCLE_COLLECTED, CYCLE_IN_GLOBALS, KEPT_ON_SYS, LOOP, reportOf, resultOf } from './extension-helpers';

const URI = 'file:///w/cycle.pyscn';

describe('hoverMarkdown', () => {
    it('describes the objects allocated on a line, with trusted command links', () => {
        const md = hoverMarkdown(reportOf(CYCLE_COLLECTED), 9, URI)!;
        expect(md).toMatch(/\*\*`a`\*\* · `Node`/);
        expect(md).toMatch(/born at line 9:5, collected by the cyclic GC at line 14/);
        // the diagnostic on this line (shown at the top of the same hover) leads with the fix and
        // the title: the hover part says neither again, only the explanation
        expect(md).not.toContain('Freed only by the cyclic GC');
        expect(md).not.toMatch(/\*\*Fix/);
        const finding = reportOf(CYCLE_COLLECTED).findings.find((f) => f.line === 9)!;
        expect(md).toContain(prose(finding.explanation.text));
        expect(md).toContain('](https://docs.python.org/3/library/gc.html)');
        const links = [...md.matchAll(/\]\((command:[^)]+)\)/g)].map((m) => m[1]);
        expect(links.length).toBe(2);
        for (const l of links) expect(HOVER_COMMANDS).toContain(l.slice('command:'.length, l.indexOf('?')));
        const args = JSON.parse(decodeURIComponent(links[0].slice(links[0].indexOf('?') + 1)));
        expect(args).toEqual([{ uri: URI, objectId: expect.any(Number), line: 9 }]);
        expect(links[0]).toBe(commandUri(SHOW_HEAP_GRAPH, args[0]));
        expect(links[1].startsWith(`command:${EXPLAIN_VERSIONS}?`)).toBe(true);
        expect(md).not.toMatch(/Expectation failed/); // that one is on line 10
        expect(hoverMarkdown(reportOf(CYCLE_COLLECTED), 10, URI)).toMatch(/\*\*Expectation failed:\*\* expected freed/);
    });

    it('shows the chain from its root for a survivor, and escapes __del__', () => {
        const md = hoverMarkdown(reportOf(KEPT_ON_SYS, '2.7'), 9, URI)!;
        expect(md).toBeTruthy();
        const md313 = hoverMarkdown(reportOf(CYCLE_IN_GLOBALS, '3.13'), 10, URI)!;
        expect(md313).toContain('finalized at shutdown');
        // the object first (its diagnostic leads with the fix); what its __del__ did; no step numbers
        expect(md313).toMatch(/^\*\*`a`\*\* · `Node`/);
        // the phase once (in the lifetime line), not again for __del__ or the chain
        expect(md313).toContain('finalized at shutdown (the teardown collection)');
        expect(md313).toContain('\\_\\_del\\_\\_ printed \\"del a\\" then');
        expect(md313.match(/teardown collection/g)).toHaveLength(1);
        expect(md313).not.toMatch(/\bstep \d/);
        const survivor = hoverMarkdown(reportOf(CYCLE_IN_GLOBALS, '2.7'), 10, URI)!;
        expect(survivor).toContain('never freed');
    });

    it('summarizes a site that allocates many objects (a loop)', () => {
        const md = hoverMarkdown(reportOf(LOOP), 6, URI)!;
        expect(md).toMatch(/3 objects here: 1 finalized at shutdown, 2 freed|3 objects here: 1 freed at shutdown, 2 freed/);
    });

    it('is undefined on a line that allocates nothing', () => {
        expect(hoverMarkdown(reportOf(LOOP), 3, URI)).toBeUndefined();
    });

    it('prose() escapes Markdown emphasis', () => {
        expect(prose('its __del__ ran *once*')).toBe('its \\_\\_del\\_\\_ ran \\*once\\*');
    });
});

describe('code lenses', () => {
    it('counts, profile and heap graph', () => {
        const r = resultOf(CYCLE_COLLECTED);
        const lenses = codeLenses(r, URI, false);
        expect(lenses.map((l) => l.command)).toEqual(['exitscope.selectPythonVersion', 'workbench.view.extension.exitscope', 'exitscope.showHeapGraph']);
        expect(lenses[0].title).toBe('$(versions) Python 3.13');
        expect(lenses[1].title).toMatch(/^\d+ created · \d+ freed · 2 collected · \d+ finalized at shutdown · \d+ freed at shutdown · 0 surviving$/);
        expect(codeLenses(resultOf('x = 1\n', '2.7'), URI, true)[0].title).toBe('$(versions) Python 2.7 (set in file)');
    });

    it('say why there is nothing to count', () => {
        expect(summaryTitle({ kind: 'failure', message: 'x', python: '3.13', maxSteps: 1 })).toMatch(/analysis failed/);
        expect(summaryTitle(resultOf('x = (\n'))).toMatch(/not simulated \(syntax error at line \d+\)/);
        expect(codeLenses(resultOf('x = (\n'), URI, false).map((l) => l.command)).not.toContain('exitscope.showHeapGraph');
    });
});

describe('inline hints', () => {
    it('one hint per allocating line, none on definitions', () => {
        const hints = inlineHints(reportOf(CYCLE_COLLECTED));
        expect(hints.find((h) => h.line === 9)).toEqual({ line: 9, text: 'collected at line 14', fate: 'collected' });
        expect(hints.find((h) => h.line === 4)).toBeUndefined(); // class Node:
        expect(hints.find((h) => h.line === 5)).toBeUndefined(); // def __init__
    });

    it('say "survives exit" and summarize loops', () => {
        expect(inlineHints(reportOf(CYCLE_IN_GLOBALS, '2.7')).find((h) => h.line === 10)).toMatchObject({ text: 'survives exit', fate: 'survives-exit' });
        const loop = inlineHints(reportOf(LOOP)).find((h) => h.line === 6)!;
        expect(loop.text).toMatch(/^3× R: 1 (finalized|freed) at shutdown, 2 freed$/);
    });
});

describe('objects view model', () => {
    it('groups user objects by fate, survivors first, without definitions', () => {
        const groups = fateGroups(reportOf(CYCLE_IN_GLOBALS, '2.7'));
        expect(groups[0].fate).toBe('survives-exit');
        const labels = groups.flatMap((g) => g.objects.map((o) => o.label));
        expect(labels).toContain('a');
        expect(labels).not.toContain('Node.__init__');
        const a = groups[0].objects.find((o) => o.label === 'a')!;
        expect(a).toMatchObject({ line: 10, column: 5 });
        expect(a.description).toBe('Node · line 10 · survives exit');
        expect(fateGroups(reportOf(CYCLE_IN_GLOBALS, '2.7'), true).flatMap((g) => g.objects.map((o) => o.label))).toContain('Node.__init__');
    });
});

describe('versions explanation', () => {
    it('tables the object fate per version and lists differences', () => {
        const r = reportOf(CYCLE_IN_GLOBALS, '3.13', { compareWith: ['2.7', '3.12'] });
        const a = r.objects.find((o) => o.label === 'a')!;
        const md = versionsMarkdown(r, 'cycle.pyscn', a.id);
        expect(md).toContain('| 3.13 (current) | finalized at shutdown |');
        expect(md).toContain('| 2.7 | **survives exit** |');
        expect(md).toContain('| 3.12 | finalized at shutdown (same) |');
        expect(md).toContain('### Python 2.7');
        expect(lifetimeLine(a)).toMatch(/^born at line 10:5, finalized at shutdown/);
    });
});

describe('scenario template', () => {
    it('is a valid scenario whose expectations hold', () => {
        const r = reportOf(scenarioTemplate('3.13'));
        expect(r.errors).toEqual([]);
        expect(r.expectations.length).toBe(2);
        expect(r.expectations.every((e) => e.status === 'ok')).toBe(true);
    });
});
