// Test-driver extension (a test fixture, never shipped). scripts/vscode-host/run-tests.mjs copies
// it into code-server's extensions folder beside the extension under test. It activates on `*`,
// and when the environment names a suite it runs that suite with mocha inside this extension
// host, against the real `vscode` API, then writes the result JSON the launcher waits for:
//
//   EXITSCOPE_TEST_SUITE    compiled suite: a .js file, or a folder of *.test.js / *.suite.js
//   EXITSCOPE_TEST_RESULT   where to write {passed, failed, pending, tests:[{title, state, error}]}
//   EXITSCOPE_MOCHA_PATH    the mocha package folder (our repo's node_modules/mocha)
//   EXITSCOPE_TEST_TIMEOUT  per-test timeout in ms (default 20000)
//
// Progress goes to `<result>.events` (one JSON object a line), so the launcher can tell which
// test was running when a run times out.
'use strict';

const fs = require('fs');
const { runSuites, describeError } = require('./runMocha');

function writeJsonAtomically(file, value) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
    fs.renameSync(tmp, file);
}

async function runOnce(suite, resultFile) {
    const eventsFile = `${resultFile}.events`;
    const record = event => {
        try {
            fs.appendFileSync(eventsFile, JSON.stringify({ time: Date.now(), ...event }) + '\n');
        } catch {
            // progress is best effort
        }
    };
    record({ event: 'driver-start', pid: process.pid });
    let result;
    try {
        result = await runSuites({
            suite,
            mochaDir: process.env.EXITSCOPE_MOCHA_PATH,
            timeoutMs: Number(process.env.EXITSCOPE_TEST_TIMEOUT) || undefined,
            onEvent: record,
        });
    } catch (err) {
        result = { passed: 0, failed: 1, pending: 0, tests: [{ title: `load ${suite}`, state: 'failed', error: describeError(err) }] };
    }
    record({ event: 'driver-end' });
    writeJsonAtomically(resultFile, result);
}

function activate() {
    const suite = process.env.EXITSCOPE_TEST_SUITE;
    const resultFile = process.env.EXITSCOPE_TEST_RESULT;
    if (!suite || !resultFile) return;
    // A reloaded window starts a second extension host: run the suite only once per launch.
    try {
        fs.writeFileSync(`${resultFile}.lock`, String(process.pid), { flag: 'wx' });
    } catch {
        return;
    }
    // Do not hold up activation (and so the other extensions) while the suite runs.
    setTimeout(() => {
        runOnce(suite, resultFile).catch(err => {
            writeJsonAtomically(resultFile, { passed: 0, failed: 1, pending: 0, tests: [{ title: 'test driver', state: 'failed', error: describeError(err) }] });
        });
    }, 0);
}

function deactivate() {}

module.exports = { activate, deactivate };
