// The ExitScope extension in a real VS Code extension host (code-server via
// scripts/vscode-host/run-tests.mjs, or desktop VS Code via runDesktop.mjs):
//
//   node scripts/build.mjs
//   node scripts/vscode-host/run-tests.mjs --extension . --suite test/integration/extension.suite.js \
//       --workspace test/integration/workspace
//
// Fixtures (test/integration/workspace): kept_on_sys.pyscn (an object stored on sys),
// cycle_globals.pyscn (two Nodes with __del__ in a cycle, kept by module globals: Information on
// 3.13, a Warning on 2.7), broken.pyscn (a syntax error), long_loop.pyscn (a loop a small statement
// budget cuts), examples/ (a link to the gallery), redteam/ (red-team C1 and X1 of issue 20).
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { getDocUri, openDoc, waitFor } = require('./helper');

const EXTENSION_ID = 'exitscope.exitscope';
const SOURCE = 'exitscope';
const { Error: ERROR, Warning: WARNING, Information: INFORMATION } = vscode.DiagnosticSeverity;

function ours(uri) {
    return vscode.languages.getDiagnostics(uri).filter(d => d.source === SOURCE);
}

/** Waits until the document's exitscope diagnostics satisfy `check` (returns them). */
function diagnosticsWhere(uri, what, check, timeoutMs = 30000) {
    return waitFor(what, () => {
        const diagnostics = ours(uri);
        return diagnostics.length > 0 && check(diagnostics) ? diagnostics : undefined;
    }, timeoutMs);
}

function describe(diagnostics) {
    return JSON.stringify(diagnostics.map(d => `${d.severity}@${d.range.start.line}:${d.range.start.character} ${d.code && d.code.value} ${d.message}`));
}

async function setPythonVersion(version) {
    await vscode.workspace.getConfiguration('exitscope').update('pythonVersion', version, vscode.ConfigurationTarget.Global);
}

async function closeAll() {
    // Untitled scenarios are dirty: revert them so closing never asks to save.
    for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Timings measured in the host go to test-results/extension-integration-timing.json. */
function recordTiming(what, ms) {
    const file = path.join(__dirname, '..', '..', 'test-results', 'extension-integration-timing.json');
    let data = {};
    try {
        data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
        // first run
    }
    data[what] = ms;
    data.vscode = vscode.version;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(data, null, 2));
}

function hoverText(hovers) {
    return hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
}

suite('ExitScope extension', function () {
    this.timeout(60000);

    suiteSetup(async () => {
        await setPythonVersion(undefined);
    });

    suiteTeardown(async () => {
        await setPythonVersion(undefined);
        await closeAll();
    });

    test('activates on a scenario, with the pyscenario language', async () => {
        const editor = await openDoc('kept_on_sys.pyscn');
        assert.strictEqual(editor.document.languageId, 'pyscenario');
        const extension = vscode.extensions.getExtension(EXTENSION_ID);
        assert.ok(extension, `${EXTENSION_ID} is installed`);
        await waitFor('the extension to activate', () => extension.isActive, 20000);
        const commands = await vscode.commands.getCommands(true);
        for (const c of extension.packageJSON.contributes.commands) assert.ok(commands.includes(c.command), `${c.command} is registered`);
    });

    test('kept_on_sys.pyscn: a Warning on the allocation of the object kept on sys, with docs and chain', async () => {
        const uri = getDocUri('kept_on_sys.pyscn');
        await openDoc('kept_on_sys.pyscn');
        const diagnostics = await diagnosticsWhere(uri, 'a Warning on line 9', ds => ds.some(d => d.range.start.line === 8));
        const d = diagnostics.find(x => x.range.start.line === 8);
        assert.strictEqual(d.severity, WARNING, describe(diagnostics));
        assert.strictEqual(d.source, SOURCE);
        assert.strictEqual(d.range.start.character, 12, 'starts at Cache()');
        assert.strictEqual(d.range.end.character, 19, 'ends after Cache()');
        assert.ok(d.message.includes('sys.cache'), d.message);
        assert.ok(d.code && typeof d.code === 'object', 'code has a documentation link');
        assert.strictEqual(typeof d.code.value, 'string');
        assert.ok(d.code.target instanceof vscode.Uri);
        assert.strictEqual(d.code.target.scheme, 'https');
        assert.ok(d.relatedInformation && d.relatedInformation.length > 0, 'related information walks the chain');
        for (const r of d.relatedInformation) assert.strictEqual(r.location.uri.toString(), uri.toString());
        assert.ok(d.relatedInformation.some(r => r.message.includes('cache') && r.location.range.start.line === 8), JSON.stringify(d.relatedInformation.map(r => r.message)));
    });

    test('cycle_globals.pyscn on 3.13: Information (finalized at shutdown) on lines 10 and 11, no Warning', async () => {
        const uri = getDocUri('cycle_globals.pyscn');
        await openDoc('cycle_globals.pyscn');
        const diagnostics = await diagnosticsWhere(uri, 'Information on lines 10 and 11', ds => ds.filter(d => d.severity === INFORMATION).length >= 2);
        assert.deepStrictEqual(diagnostics.filter(d => d.severity === WARNING || d.severity === ERROR), [], describe(diagnostics));
        const info = diagnostics.filter(d => d.severity === INFORMATION);
        assert.deepStrictEqual(info.map(d => d.range.start.line).sort((x, y) => x - y), [9, 10], describe(diagnostics));
        for (const d of info) {
            assert.strictEqual(d.code.value, 'finalizer-at-shutdown');
            assert.ok(d.code.target.toString().startsWith('https://docs.python.org/'), d.code.target.toString());
            assert.ok(d.relatedInformation.length > 0);
        }
    });

    test('broken.pyscn: a syntax Error at line 3, column 18', async () => {
        const uri = getDocUri('broken.pyscn');
        await openDoc('broken.pyscn');
        const diagnostics = await diagnosticsWhere(uri, 'a syntax error', ds => ds.some(d => d.severity === ERROR));
        const d = diagnostics[0];
        assert.strictEqual(d.severity, ERROR);
        assert.strictEqual(d.range.start.line, 2);
        assert.strictEqual(d.range.start.character, 17);
        assert.strictEqual(d.code.value, 'syntax-error');
        assert.match(d.message, /was never closed/);
    });

    test('hover on an allocating line: lifetime, explanation, chain and trusted command links', async () => {
        const uri = getDocUri('kept_on_sys.pyscn');
        await openDoc('kept_on_sys.pyscn');
        const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(8, 14));
        const text = hoverText(hovers);
        assert.match(text, /\*\*`sys\.cache`\*\* · `Cache`/, text);
        assert.match(text, /born at line 9:13/);
        assert.ok(text.includes('command:exitscope.showHeapGraph?'), text);
        assert.ok(text.includes('command:exitscope.explainVersions?'), text);
        const markdown = hovers.flatMap(h => h.contents).find(c => typeof c !== 'string' && c.value.includes('ExitScope'));
        assert.ok(markdown, 'a MarkdownString');
        if (markdown.isTrusted !== undefined) {
            assert.deepStrictEqual(markdown.isTrusted, { enabledCommands: ['exitscope.showHeapGraph', 'exitscope.explainVersions'] });
        }
        const none = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(1, 0));
        assert.ok(!hoverText(none).includes('ExitScope'), 'no hover on a blank line');
    });

    test('red-team C1: a 140,000,000-item list gives an Error diagnostic and the extension host lives on', async () => {
        const uri = getDocUri('redteam/c1-list-repeat.pyscn');
        await openDoc('redteam/c1-list-repeat.pyscn');
        const diagnostics = await diagnosticsWhere(uri, 'an Error on line 3', ds => ds.some(d => d.severity === ERROR), 60000);
        const d = diagnostics.find(x => x.severity === ERROR);
        assert.strictEqual(d.range.start.line, 2, describe(diagnostics));
        assert.match(d.message, /140,000,000/, d.message);
        // The host (and the analysis worker) still answer: another scenario gets its diagnostics.
        const other = getDocUri('cycle_globals.pyscn');
        await openDoc('cycle_globals.pyscn');
        await diagnosticsWhere(other, 'diagnostics after C1', ds => ds.length > 0);
        assert.ok(vscode.extensions.getExtension(EXTENSION_ID).isActive);
    });

    test('red-team X1: a name with backticks, an image and a command link stays text in the hover', async () => {
        const uri = getDocUri('redteam/x1-hover-injection.pyscn');
        await openDoc('redteam/x1-hover-injection.pyscn');
        await diagnosticsWhere(uri, 'the analysis of x1', () => true).catch(() => undefined);
        let seen = 0;
        for (const [line, character] of [[7, 14], [6, 4]]) {
            const hovers = await waitFor(`a hover on line ${line + 1}`, async () => {
                const h = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
                return hoverText(h).includes('ExitScope') ? h : undefined;
            }, 30000);
            const text = hoverText(hovers);
            seen += text.includes('evil') ? 1 : 0;
            // No Markdown image or link whose target the program chose.
            assert.ok(!/!\[[^\]]*\]\(/.test(text), `an image in the hover: ${text}`);
            assert.ok(!text.includes('](https://evil'), text);
            // Every link is one of our commands with the arguments we built (this document's uri).
            for (const m of text.matchAll(/\]\(([a-z]+):([^)\s]*)\)/g)) {
                if (m[1] !== 'command') continue;
                const [command, query] = m[2].split('?');
                assert.ok(['exitscope.showHeapGraph', 'exitscope.explainVersions'].includes(command), `link to ${command}`);
                const args = query ? JSON.parse(decodeURIComponent(query)) : [];
                for (const a of [].concat(args)) if (a && typeof a === 'object' && 'uri' in a) assert.strictEqual(String(a.uri), uri.toString(), `a command link with the uri ${a.uri}`);
            }
        }
        assert.ok(seen > 0, 'the hover shows the hostile name (as text)');
    });

    test('code lenses at the top: profile, counts, heap graph', async () => {
        const uri = getDocUri('cycle_globals.pyscn');
        await openDoc('cycle_globals.pyscn');
        const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 10);
        const mine = lenses.filter(l => l.command && /exitscope/.test(l.command.command));
        const titles = mine.map(l => l.command.title);
        assert.ok(titles.includes('$(versions) Python 3.13'), JSON.stringify(titles));
        assert.ok(titles.some(t => /^\d+ created · \d+ freed · \d+ collected · 2 finalized at shutdown · \d+ freed at shutdown · 0 surviving$/.test(t)), JSON.stringify(titles));
        assert.ok(titles.includes('$(type-hierarchy) Show heap graph'), JSON.stringify(titles));
        for (const l of mine) assert.strictEqual(l.range.start.line, 0);
    });

    test('changing exitscope.pythonVersion to 2.7 turns the cycle into a Warning, and back', async () => {
        const uri = getDocUri('cycle_globals.pyscn');
        await openDoc('cycle_globals.pyscn');
        await diagnosticsWhere(uri, '3.13 diagnostics', ds => !ds.some(d => d.severity === WARNING));
        await setPythonVersion('2.7');
        // One finding per cause (issue 14): the a ⇄ b cycle is one Warning, at its first allocation.
        const on27 = await diagnosticsWhere(uri, 'a Warning on line 10 under 2.7', ds => ds.some(d => d.severity === WARNING && d.range.start.line === 9));
        const a = on27.find(d => d.range.start.line === 9 && d.severity === WARNING);
        assert.match(a.code.value, /^survives-exit\//);
        assert.match(a.message, /never freed/);
        assert.match(a.message, /\bb\b/, 'the Warning names both objects of the cycle');
        const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 10);
        assert.ok(lenses.some(l => l.command && l.command.title === '$(versions) Python 2.7'));
        await setPythonVersion('3.13');
        await diagnosticsWhere(uri, 'no Warning again under 3.13', ds => !ds.some(d => d.severity === WARNING));
    });

    test('# exitscope: python=2.7 in the file overrides the setting; edits recompute diagnostics', async () => {
        const content = fs.readFileSync(getDocUri('cycle_globals.pyscn').fsPath, 'utf8');
        const document = await vscode.workspace.openTextDocument({ language: 'pyscenario', content });
        const editor = await vscode.window.showTextDocument(document);
        await diagnosticsWhere(document.uri, 'untitled 3.13 diagnostics', ds => ds.some(d => d.severity === INFORMATION) && !ds.some(d => d.severity === WARNING));
        await editor.edit(b => b.insert(new vscode.Position(0, 0), '# exitscope: python=2.7\n'));
        const started = Date.now();
        const warned = await diagnosticsWhere(document.uri, 'Warnings from the 2.7 annotation', ds => ds.some(d => d.severity === WARNING && d.range.start.line === 10));
        recordTiming('edit to diagnostics (ms, includes the 250 ms debounce)', Date.now() - started);
        assert.ok(warned.length > 0);
        await editor.edit(b => b.insert(new vscode.Position(document.lineCount, 0), 'x = (\n'));
        await diagnosticsWhere(document.uri, 'a syntax error after the edit', ds => ds.some(d => d.severity === ERROR && d.code.value === 'syntax-error'));
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('the Objects view lists the active scenario by fate', async () => {
        await openDoc('cycle_globals.pyscn');
        await vscode.commands.executeCommand('workbench.view.extension.exitscope');
        const api = vscode.extensions.getExtension(EXTENSION_ID).exports;
        const groups = await waitFor('object groups', () => {
            const g = api.objects.getChildren();
            return g.length ? g : undefined;
        });
        const finalized = groups.find(g => g.group.fate === 'finalized-at-shutdown');
        assert.ok(finalized, JSON.stringify(groups.map(g => g.group.fate)));
        const children = api.objects.getChildren(finalized);
        assert.deepStrictEqual(children.map(c => c.node.label).sort(), ['a', 'b']);
        const item = api.objects.getTreeItem(children[0]);
        assert.strictEqual(item.command.command, 'vscode.open');
        await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
        assert.strictEqual(vscode.window.activeTextEditor.selection.active.line, children[0].node.line - 1);
    });

    test('every contributed command runs', async () => {
        const uri = getDocUri('cycle_globals.pyscn');
        await openDoc('cycle_globals.pyscn');
        const out = path.join(os.tmpdir(), `exitscope-it-${process.pid}`);
        fs.mkdirSync(out, { recursive: true });
        const ran = new Set();
        const run = async (command, ...args) => {
            ran.add(command);
            return vscode.commands.executeCommand(command, ...args);
        };

        const graph = await run('exitscope.showHeapGraph', { uri: uri.toString(), objectId: undefined, line: 10 });
        assert.ok(graph && graph.shown === 'panel', JSON.stringify(graph));
        assert.strictEqual(typeof graph.objectId, 'number', 'line 10 selects the object allocated there');
        await waitFor('the heap graph panel tab', () => vscode.window.tabGroups.all.flatMap(g => g.tabs)
            .some(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('exitscope.heapGraph')));

        await openDoc('cycle_globals.pyscn');
        const versions = await run('exitscope.explainVersions', { uri: uri.toString(), line: 10 });
        assert.match(versions, /\| 3\.13 \(current\) \| finalized at shutdown \|/);
        assert.match(versions, /\| 2\.7 \| \*\*survives exit\*\* \|/);

        // Compare: the heap graph twice, on 3.13 and on 2.7, titled with their profiles.
        await openDoc('cycle_globals.pyscn');
        const compared = await run('exitscope.compareVersions', { uri: uri.toString(), profile: '2.7' });
        assert.deepStrictEqual(compared && compared.compared, ['3.13', '2.7'], JSON.stringify(compared));
        const panes = await waitFor('the two heap graph panes', () => {
            const tabs = vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.input instanceof vscode.TabInputWebview);
            const main = tabs.find(t => t.input.viewType.endsWith('exitscope.heapGraph') && /Python 3\.13/.test(t.label));
            const other = tabs.find(t => t.input.viewType.endsWith('exitscope.heapGraphCompare') && /Python 2\.7/.test(t.label));
            return main && other ? { main, other } : undefined;
        });
        // Closing the second pane ends the comparison: the main pane's title loses its profile.
        await vscode.window.tabGroups.close(panes.other);
        await waitFor('the comparison to end', () => vscode.window.tabGroups.all.flatMap(g => g.tabs)
            .some(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('exitscope.heapGraph') && !/Python/.test(t.label)));

        for (const format of ['json', 'sarif', 'dot', 'html']) {
            await openDoc('cycle_globals.pyscn');
            const target = vscode.Uri.file(path.join(out, `cycle.${format}`));
            const written = await run('exitscope.exportReport', format, target);
            assert.strictEqual(written, target.toString());
            const text = fs.readFileSync(target.fsPath, 'utf8');
            if (format === 'json') assert.strictEqual(JSON.parse(text).profile, '3.13');
            if (format === 'sarif') assert.strictEqual(JSON.parse(text).version, '2.1.0');
            if (format === 'dot') assert.match(text, /^(strict )?digraph/);
            if (format === 'html') assert.match(text, /<html/i);
        }

        const version = await run('exitscope.selectPythonVersion', '3.12');
        assert.strictEqual(version, '3.12');
        assert.strictEqual(vscode.workspace.getConfiguration('exitscope').get('pythonVersion'), '3.12');
        await setPythonVersion(undefined);

        const created = await run('exitscope.newScenario');
        assert.ok(created.startsWith('untitled:'), created);
        assert.strictEqual(vscode.window.activeTextEditor.document.languageId, 'pyscenario');
        const fresh = vscode.window.activeTextEditor.document;
        const diagnostics = await waitFor('template diagnostics', () => {
            const u = vscode.extensions.getExtension(EXTENSION_ID).exports.service.latest(fresh.uri);
            return u && u.result.kind === 'report' ? u.result.report : undefined;
        }, 30000);
        assert.deepStrictEqual(diagnostics.expectations.map(e => e.status), ['ok', 'ok']);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

        const example = await run('exitscope.openExample', '02-cycle-until-collection');
        assert.ok(typeof example === 'string' && example.startsWith('untitled:'), String(example));
        // The example's own document (the active editor may still be the template being closed).
        const exampleDoc = await waitFor('the example document', () => vscode.workspace.textDocuments.find(d => d.uri.toString() === example));
        assert.match(exampleDoc.getText(), /gc\.collect\(\)/);
        await vscode.window.showTextDocument(exampleDoc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

        assert.strictEqual(await run('exitscope.refresh'), true);

        // A run cut by the editor's statement budget says so; Run to the End finishes it.
        const config = vscode.workspace.getConfiguration('exitscope');
        await config.update('maxSteps', 200, vscode.ConfigurationTarget.Global);
        try {
            const loop = (await openDoc('long_loop.pyscn')).document;
            const cut = await waitFor('the cut run', () => {
                const u = vscode.extensions.getExtension(EXTENSION_ID).exports.service.latest(loop.uri);
                return u && u.result.kind === 'report' && u.result.report.errors.some(e => e.kind === 'budget') ? u.result.report : undefined;
            }, 30000);
            assert.ok(cut.errors.every(e => e.line >= 3 && e.line <= 4), JSON.stringify(cut.errors));
            const end = await run('exitscope.runToEnd', { uri: loop.uri.toString() });
            assert.strictEqual(end.kind, 'report', JSON.stringify(end));
            assert.deepStrictEqual(end.errors, []);
        } finally {
            await config.update('maxSteps', undefined, vscode.ConfigurationTarget.Global);
        }

        const contributed = vscode.extensions.getExtension(EXTENSION_ID).packageJSON.contributes.commands.map(c => c.command);
        assert.deepStrictEqual(contributed.filter(c => !ran.has(c)), [], 'every contributed command was run');
        fs.rmSync(out, { recursive: true, force: true });
    });

    test('inline hints can be switched off and on without errors', async () => {
        await openDoc('cycle_globals.pyscn');
        const config = vscode.workspace.getConfiguration('exitscope');
        await config.update('inlineHints', false, vscode.ConfigurationTarget.Global);
        await config.update('inlineHints', undefined, vscode.ConfigurationTarget.Global);
        assert.strictEqual(vscode.workspace.getConfiguration('exitscope').get('inlineHints'), true);
    });
});
