// A tiny extension used only to prove the VS Code host harness (scripts/vscode-host/) works:
//   - command `exitscopeFixture.hello` returns 'hello from fixture' and shows it in a message;
//   - every opened *.pyscn file gets one Warning diagnostic on line 1, source `fixture`;
//   - hovering a *.pyscn file shows "fixture hover".
'use strict';

const vscode = require('vscode');

const HELLO = 'hello from fixture';
const WARNING = 'fixture warning: this line is only here for the harness';

function isScenario(document) {
    return document.uri.path.endsWith('.pyscn');
}

function activate(context) {
    const diagnostics = vscode.languages.createDiagnosticCollection('fixture');
    context.subscriptions.push(diagnostics);

    const publish = document => {
        if (!isScenario(document)) return;
        const line = document.lineAt(0);
        const diagnostic = new vscode.Diagnostic(line.range, WARNING, vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'fixture';
        diagnostics.set(document.uri, [diagnostic]);
    };
    vscode.workspace.textDocuments.forEach(publish);
    context.subscriptions.push(
        vscode.workspace.onDidOpenTextDocument(publish),
        vscode.workspace.onDidCloseTextDocument(document => diagnostics.delete(document.uri)),
        vscode.commands.registerCommand('exitscopeFixture.hello', () => {
            vscode.window.showInformationMessage(HELLO);
            return HELLO;
        }),
        vscode.languages.registerHoverProvider({ pattern: '**/*.pyscn' }, {
            provideHover: () => new vscode.Hover('fixture hover'),
        }),
    );
}

function deactivate() {}

module.exports = { activate, deactivate };
