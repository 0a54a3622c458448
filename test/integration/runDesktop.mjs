#!/usr/bin/env node
// Runs the integration suites in DESKTOP VS Code through @vscode/test-electron. It downloads
// VS Code, so it only works where the internet is reachable (a developer's desktop, hosted CI);
// on our offline machines use scripts/vscode-host/run-tests.mjs (code-server) instead.
// On a Linux box without a display, wrap it in `xvfb-run -a`.
//
//   node test/integration/runDesktop.mjs [--extension <dir>] [--suite <file|folder>]
//        [--workspace <folder>] [--vscode-version stable|insiders|1.90.0]
//
// Defaults: the fixture extension, smoke.suite.js and test/integration/workspace. For ExitScope:
// --extension . --suite out/test/integration (after building the extension and the suites).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
    options: {
        extension: { type: 'string', default: path.join(here, 'fixture-extension') },
        suite: { type: 'string', default: path.join(here, 'smoke.suite.js') },
        workspace: { type: 'string', default: path.join(here, 'workspace') },
        'vscode-version': { type: 'string', default: 'stable' },
    },
});

try {
    await runTests({
        version: options['vscode-version'],
        extensionDevelopmentPath: path.resolve(options.extension),
        extensionTestsPath: path.join(here, 'index.js'),
        // --disable-extensions turns off every other installed extension, not the one under test.
        launchArgs: [path.resolve(options.workspace), '--disable-extensions'],
        extensionTestsEnv: {
            EXITSCOPE_TEST_SUITE: path.resolve(options.suite),
            EXITSCOPE_TEST_RESTRICTED: '0',
        },
    });
} catch (err) {
    console.error(`Integration tests failed: ${err.message ?? err}`);
    process.exit(1);
}
