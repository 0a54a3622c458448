// Runs mocha suites (tdd UI) in the current process and returns a plain result object:
//   { passed, failed, pending, tests: [{ title, state: 'passed'|'failed'|'pending', error, durationMs }] }
// Used by the test-driver extension (code-server) and by ../index.js (@vscode/test-electron), so
// both hosts run the same suites the same way. Plain CommonJS: it runs unbundled in the host.
'use strict';

const fs = require('fs');
const path = require('path');

/**
 * Loads mocha's CommonJS build. mocha >= 11 ships `lib/mocha.cjs` behind an ESM `index.js`;
 * older ones have `lib/mocha.js`. Requiring the CJS build keeps suites on `require`, so the
 * extension host's interception of `require('vscode')` applies to them.
 * @param {string | undefined} mochaDir folder of the mocha package; default: resolved from here
 */
function loadMocha(mochaDir) {
    const dir = mochaDir || path.dirname(require.resolve('mocha/package.json'));
    for (const candidate of ['lib/mocha.cjs', 'lib/mocha.js']) {
        const file = path.join(dir, candidate);
        if (fs.existsSync(file)) return require(file);
    }
    return require(dir);
}

/** A file, or every `*.test.js` / `*.suite.js` under a folder (sorted, so the order is stable). */
function findSuiteFiles(target) {
    if (!fs.statSync(target).isDirectory()) return [target];
    const files = [];
    for (const entry of fs.readdirSync(target, { withFileTypes: true, recursive: true })) {
        if (entry.isFile() && /\.(test|suite)\.c?js$/.test(entry.name)) {
            files.push(path.join(entry.parentPath ?? entry.path, entry.name));
        }
    }
    return files.sort();
}

function describeError(err) {
    if (!err) return undefined;
    return String(err.stack || err.message || err);
}

/**
 * @param {{ suite: string, mochaDir?: string, timeoutMs?: number, grep?: string,
 *           onEvent?: (event: object) => void }} options
 * @returns {Promise<{ passed: number, failed: number, pending: number, tests: object[] }>}
 */
function runSuites(options) {
    const Mocha = loadMocha(options.mochaDir);
    const mocha = new Mocha({
        ui: 'tdd',
        color: false,
        timeout: options.timeoutMs || 20000,
        // A quiet reporter: results are collected from the runner events below.
        reporter: function QuietReporter() {},
        grep: options.grep || undefined,
    });
    const files = findSuiteFiles(path.resolve(options.suite));
    if (files.length === 0) throw new Error(`no *.test.js or *.suite.js files under ${options.suite}`);
    for (const file of files) mocha.addFile(file);

    const result = { passed: 0, failed: 0, pending: 0, tests: [] };
    const onEvent = options.onEvent || (() => {});
    return new Promise((resolve, reject) => {
        let runner;
        try {
            runner = mocha.run(() => resolve(result));
        } catch (err) {
            reject(err);
            return;
        }
        runner.on('test', test => onEvent({ event: 'start', title: test.fullTitle() }));
        runner.on('pass', test => {
            result.passed++;
            result.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
            onEvent({ event: 'pass', title: test.fullTitle() });
        });
        runner.on('pending', test => {
            result.pending++;
            result.tests.push({ title: test.fullTitle(), state: 'pending' });
        });
        // Also fires for failing hooks (then `test` is the hook, e.g. '"before all" hook').
        runner.on('fail', (test, err) => {
            result.failed++;
            result.tests.push({ title: test.fullTitle(), state: 'failed', error: describeError(err), durationMs: test.duration });
            onEvent({ event: 'fail', title: test.fullTitle() });
        });
    });
}

module.exports = { loadMocha, findSuiteFiles, runSuites, describeError };
