// Entry point that @vscode/test-electron loads in the extension host (`extensionTestsPath`):
// runs the same mocha suites as the code-server driver, with the same runner (driver/runMocha.js).
// The suite is EXITSCOPE_TEST_SUITE (a file or folder) or, by default, smoke.suite.js beside this.
'use strict';

const path = require('path');
const { runSuites } = require('./driver/runMocha');

async function run() {
    const suite = process.env.EXITSCOPE_TEST_SUITE || path.join(__dirname, 'smoke.suite.js');
    const result = await runSuites({
        suite,
        timeoutMs: Number(process.env.EXITSCOPE_TEST_TIMEOUT) || undefined,
    });
    for (const test of result.tests) {
        console.log(`  ${test.state === 'passed' ? 'ok  ' : test.state === 'failed' ? 'FAIL' : 'skip'} ${test.title}`);
        if (test.error) console.log(`         ${test.error.split('\n').join('\n         ')}`);
    }
    console.log(`${result.passed} passed, ${result.failed} failed`);
    if (result.failed > 0 || result.passed === 0) {
        throw new Error(`${result.failed} of ${result.passed + result.failed} tests failed`);
    }
}

module.exports = { run };
