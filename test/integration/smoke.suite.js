// Smoke suite for the harness: runs inside a real VS Code extension host (code-server via
// scripts/vscode-host/run-tests.mjs, or desktop VS Code via runDesktop.mjs) against the fixture
// extension in fixture-extension/ and the workspace in workspace/.
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { getDocUri, openDoc, waitForDiagnostics } = require('./helper');

suite('fixture extension (smoke)', () => {
    test('vscode.version is a version string', () => {
        assert.strictEqual(typeof vscode.version, 'string');
        assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    });

    test('opening sample.pyscn publishes a Warning on line 1 from source "fixture"', async () => {
        const editor = await openDoc('sample.pyscn');
        assert.ok(editor.document.uri.path.endsWith('/sample.pyscn'));
        const diagnostics = await waitForDiagnostics(getDocUri('sample.pyscn'));
        assert.strictEqual(diagnostics.length, 1);
        const [diagnostic] = diagnostics;
        assert.strictEqual(diagnostic.range.start.line, 0, 'line 1 is line index 0');
        assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
        assert.strictEqual(diagnostic.source, 'fixture');
    });

    test('hovering sample.pyscn shows "fixture hover"', async () => {
        const hovers = await vscode.commands.executeCommand(
            'vscode.executeHoverProvider', getDocUri('sample.pyscn'), new vscode.Position(0, 2));
        const texts = hovers.flatMap(hover => hover.contents.map(part => (typeof part === 'string' ? part : part.value)));
        assert.ok(texts.includes('fixture hover'), `hover texts: ${JSON.stringify(texts)}`);
    });

    test('command exitscopeFixture.hello returns its greeting', async () => {
        const result = await vscode.commands.executeCommand('exitscopeFixture.hello');
        assert.strictEqual(result, 'hello from fixture');
    });

    test('workspace trust matches the launcher mode (--restricted => Restricted Mode)', () => {
        const restricted = process.env.EXITSCOPE_TEST_RESTRICTED === '1';
        assert.strictEqual(vscode.workspace.isTrusted, !restricted);
    });

    test('the fixture extension is active', () => {
        const extension = vscode.extensions.getExtension('exitscope-test.exitscope-fixture');
        assert.ok(extension, 'exitscope-test.exitscope-fixture is installed');
        assert.strictEqual(extension.isActive, true);
    });
});
