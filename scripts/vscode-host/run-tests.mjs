#!/usr/bin/env node
// Runs a mocha suite inside a REAL VS Code extension host (code-server) with our extension loaded.
//
//   node scripts/vscode-host/run-tests.mjs --extension <dir> --suite <compiled suite .js | folder>
//        --workspace <folder> [--restricted] [--timeout 300] [--keep]
//
// How: copies the extension under test and the test-driver extension (test/integration/driver)
// into a fresh extensions dir, starts code-server on a free loopback port, and opens the
// workbench in headless Chromium, which starts the extension host. The driver activates on `*`,
// runs the suite with mocha (tdd UI) and writes a result JSON, which this script waits for,
// prints (`N passed, M failed` last) and turns into the exit code:
//   0 all passed, 1 a test failed or no test ran, 2 usage/setup error, 3 timeout.
// Needs `node scripts/vscode-host/install.mjs` first (cached; a no-op when done).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
    assertInstalled,
    extensionHostLogs,
    installExtensionCopy,
    log,
    logTail,
    makeSessionDir,
    openWorkbench,
    startCodeServer,
} from './host.mjs';
import { REPO_ROOT } from './paths.mjs';

/** The driver activates on `*`, about 2-6 s after the page loads. */
const DRIVER_START_TIMEOUT_MS = 60_000;
const DRIVER_DIR = path.join(REPO_ROOT, 'test', 'integration', 'driver');
const USAGE = 'usage: node scripts/vscode-host/run-tests.mjs --extension <dir> --suite <file.js|folder> ' +
    '--workspace <folder> [--restricted] [--timeout <seconds, default 300>] [--test-timeout <ms>] [--keep]';

function usageError(message) {
    console.error(`${message}\n${USAGE}`);
    process.exit(2);
}

let options;
try {
    ({ values: options } = parseArgs({
        options: {
            extension: { type: 'string', multiple: true },
            suite: { type: 'string' },
            workspace: { type: 'string' },
            restricted: { type: 'boolean', default: false },
            timeout: { type: 'string', default: '300' },
            'test-timeout': { type: 'string' },
            keep: { type: 'boolean', default: false },
            help: { type: 'boolean', short: 'h', default: false },
        },
    }));
} catch (err) {
    usageError(err.message);
}
if (options.help) {
    console.log(USAGE);
    process.exit(0);
}
if (!options.extension?.length || !options.suite || !options.workspace) usageError('--extension, --suite and --workspace are required');
const timeoutSeconds = Number(options.timeout);
if (!(timeoutSeconds > 0)) usageError(`--timeout must be a number of seconds, not ${options.timeout}`);
const suite = path.resolve(options.suite);
const workspace = path.resolve(options.workspace);
if (!fs.existsSync(suite)) usageError(`suite ${suite} not found`);
if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) usageError(`workspace ${workspace} is not a folder`);

try {
    assertInstalled();
} catch (err) {
    console.error(`[vscode-host] ERROR: ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exit(2);
}

const started = Date.now();
const dirs = makeSessionDir();
const resultFile = path.join(dirs.root, 'result.json');
const eventsFile = `${resultFile}.events`;
let server;
let workbench;
let finished = false;

async function cleanUp() {
    await workbench?.close();
    await server?.stop();
}

function printDiagnostics() {
    console.error(logTail(dirs.log));
    for (const file of extensionHostLogs(dirs.userData)) console.error(logTail(file, 30));
    console.error(logTail(dirs.browserLog, 20));
    console.error(logTail(eventsFile, 20));
    console.error(`[vscode-host] kept ${dirs.root} for inspection`);
}

/**
 * Stops everything and exits. `summary` (the `N passed, M failed` line) is printed last, after
 * any logs, so it is the final line of the output.
 */
async function finish(code, { diagnostics = false, summary = undefined } = {}) {
    if (finished) return;
    finished = true;
    await cleanUp();
    if (diagnostics) printDiagnostics();
    else if (!options.keep) fs.rmSync(dirs.root, { recursive: true, force: true });
    log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (summary) console.log(summary);
    process.exit(code);
}

// Never hang: the overall deadline, and a hard stop if cleaning up itself hangs.
const deadline = setTimeout(() => {
    console.error(`[vscode-host] TIMEOUT: no result after ${timeoutSeconds} s`);
    setTimeout(() => {
        console.error('[vscode-host] clean-up hung; killing code-server and exiting');
        if (server) {
            try {
                process.kill(-server.child.pid, 'SIGKILL');
            } catch {
                // already gone
            }
        }
        console.log('0 passed, 1 failed');
        process.exit(3);
    }, 30_000);
    finish(3, { diagnostics: true, summary: timeoutSummary() });
}, timeoutSeconds * 1000);
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
        clearTimeout(deadline);
        console.error(`[vscode-host] ${signal}: stopping`);
        finish(130);
    });
}

/** On timeout, count the tests the driver reported so far, plus the one that was running. */
function timeoutSummary() {
    let passed = 0;
    let failed = 0;
    let running;
    try {
        for (const line of fs.readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean)) {
            const event = JSON.parse(line);
            if (event.event === 'pass') passed++;
            if (event.event === 'fail') failed++;
            running = event.event === 'start' ? event.title : undefined;
        }
    } catch {
        // no events: the driver never started
    }
    if (running) console.error(`[vscode-host] still running at the timeout: ${running}`);
    return `${passed} passed, ${failed + 1} failed`;
}

function printResult(result) {
    for (const test of result.tests ?? []) {
        const mark = test.state === 'passed' ? 'ok  ' : test.state === 'failed' ? 'FAIL' : 'skip';
        console.log(`  ${mark} ${test.title}${test.durationMs !== undefined ? ` (${test.durationMs} ms)` : ''}`);
        if (test.error) console.log(test.error.split('\n').map(line => `         ${line}`).join('\n'));
    }
}

function summaryLine(result) {
    const pending = result.pending ? `, ${result.pending} skipped` : '';
    return `${result.passed ?? 0} passed, ${result.failed ?? 0} failed${pending}`;
}

try {
    const extensions = options.extension.map(dir => installExtensionCopy(dir, dirs.extensions));
    const driver = installExtensionCopy(DRIVER_DIR, dirs.extensions);
    log(`extensions: ${[...extensions, driver].map(e => e.id).join(', ')}`);

    server = await startCodeServer({
        dirs,
        workspace,
        restricted: options.restricted,
        env: {
            EXITSCOPE_TEST_SUITE: suite,
            EXITSCOPE_TEST_RESULT: resultFile,
            EXITSCOPE_MOCHA_PATH: path.join(REPO_ROOT, 'node_modules', 'mocha'),
            EXITSCOPE_TEST_RESTRICTED: options.restricted ? '1' : '0',
            ...(options['test-timeout'] ? { EXITSCOPE_TEST_TIMEOUT: options['test-timeout'] } : {}),
        },
    });
    log(`code-server on ${server.url} (${options.restricted ? 'Restricted Mode' : 'trusted'}) after ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`);

    workbench = await openWorkbench({ server, dirs, folder: workspace });
    const opened = Date.now();
    log(`workbench opened after ${((opened - started) / 1000).toFixed(1)} s; waiting for ${path.relative(REPO_ROOT, suite)}`);
    // Fail fast when the driver cannot start, rather than at the overall timeout.
    let driverError;
    workbench.page.on('console', message => {
        const text = message.text();
        if (text.includes(`Activating extension '${driver.id}' failed`)) driverError = `the test driver failed to activate: ${text}`;
        if (/extension host .*terminated unexpectedly/i.test(text)) driverError = `the extension host crashed: ${text}`;
    });

    for (;;) {
        if (fs.existsSync(resultFile)) break;
        if (server.exited) throw new Error(`code-server exited (${JSON.stringify(server.exited)}) before the suite finished`);
        if (driverError && !fs.existsSync(resultFile)) throw new Error(driverError);
        if (!fs.existsSync(eventsFile) && Date.now() - opened > DRIVER_START_TIMEOUT_MS) {
            throw new Error(`the test driver did not start within ${DRIVER_START_TIMEOUT_MS / 1000} s of opening the workbench`);
        }
        await new Promise(resolve => setTimeout(resolve, 200));
    }
    clearTimeout(deadline);
    log(`suite finished after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    printResult(result);
    const ran = (result.passed ?? 0) + (result.failed ?? 0);
    if (ran === 0) console.error('[vscode-host] no test ran');
    const ok = result.failed === 0 && ran > 0;
    await finish(ok ? 0 : 1, { diagnostics: !ok, summary: summaryLine(result) });
} catch (err) {
    clearTimeout(deadline);
    console.error(`[vscode-host] ERROR: ${err.stack ?? err}`);
    // Before code-server runs there are no logs to show (startCodeServer's errors carry its log).
    await finish(2, { diagnostics: Boolean(server), summary: '0 passed, 1 failed' });
}
