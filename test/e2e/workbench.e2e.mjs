#!/usr/bin/env node
// End-to-end check of the workbench as a person uses it: a real VS Code (code-server) with the
// fixture extension, driven in headless Chromium by playwright-core. Each step saves a
// screenshot under test-results/e2e/ (git-ignored); the last line is `N passed, M failed`.
//
//   node test/e2e/workbench.e2e.mjs [--timeout 180]
//
// Needs `node scripts/vscode-host/install.mjs` first. Steps: open sample.pyscn from the Explorer,
// see the warning squiggle and the Problems count, read the Problems panel, hover line 1, run a
// command from the command palette.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
    installExtensionCopy,
    log,
    logTail,
    makeSessionDir,
    openWorkbench,
    startCodeServer,
} from '../../scripts/vscode-host/host.mjs';
import { REPO_ROOT } from '../../scripts/vscode-host/paths.mjs';

const FIXTURE = path.join(REPO_ROOT, 'test', 'integration', 'fixture-extension');
const WORKSPACE = path.join(REPO_ROOT, 'test', 'integration', 'workspace');
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const STEP_TIMEOUT_MS = 30_000;

const { values: options } = parseArgs({ options: { timeout: { type: 'string', default: '180' } } });
const started = Date.now();
const dirs = makeSessionDir('exitscope-e2e-');
let server;
let workbench;
let page;
const results = [];

async function cleanUp() {
    await workbench?.close();
    await server?.stop();
}

// Never hang: stop everything after --timeout seconds.
const deadline = setTimeout(async () => {
    console.error(`[e2e] TIMEOUT after ${options.timeout} s`);
    setTimeout(() => process.exit(3), 20_000);
    await cleanUp();
    console.error(logTail(dirs.log));
    console.log(`${results.filter(r => r.ok).length} passed, ${results.filter(r => !r.ok).length + 1} failed`);
    process.exit(3);
}, Number(options.timeout) * 1000);

/** Runs one step, then saves `NN-name.png` (or `NN-name-FAILED.png`). */
async function step(name, body) {
    const index = String(results.length + 1).padStart(2, '0');
    const stepStarted = Date.now();
    let error;
    let detail;
    try {
        detail = await body();
    } catch (err) {
        error = err;
    }
    const file = path.join(SCREENSHOTS, `${index}-${name}${error ? '-FAILED' : ''}.png`);
    try {
        await page.screenshot({ path: file, timeout: 10_000 });
    } catch (err) {
        console.error(`[e2e] screenshot ${file} failed: ${err.message}`);
    }
    results.push({ name, ok: !error });
    const ms = Date.now() - stepStarted;
    if (error) {
        console.log(`  FAIL ${name} (${ms} ms) -> ${path.relative(REPO_ROOT, file)}`);
        console.log(`         ${String(error.message ?? error).split('\n').join('\n         ')}`);
    } else {
        console.log(`  ok   ${name} (${ms} ms)${detail ? `: ${detail}` : ''} -> ${path.relative(REPO_ROOT, file)}`);
    }
}

function expectIncludes(text, expected, what) {
    if (!text.includes(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)} in ${JSON.stringify(text)}`);
}

try {
    fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    installExtensionCopy(FIXTURE, dirs.extensions);
    server = await startCodeServer({ dirs, workspace: WORKSPACE });
    workbench = await openWorkbench({ server, dirs, folder: WORKSPACE });
    page = workbench.page;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    log(`workbench on ${server.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    await step('workbench-loaded', async () => {
        await page.locator('.monaco-workbench').waitFor();
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sample.pyscn' }).waitFor();
        return 'Explorer lists sample.pyscn';
    });

    await step('open-from-explorer', async () => {
        const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sample.pyscn' });
        await row.click();
        await page.locator('.tabs-container .tab', { hasText: 'sample.pyscn' }).waitFor();
        await page.locator('.editor-instance .view-lines', { hasText: 'class Node' }).waitFor();
        // A single click opens a preview editor; keep it open when the focus moves away.
        await row.dblclick();
        return 'editor shows sample.pyscn';
    });

    await step('warning-squiggle', async () => {
        await page.locator('.editor-instance .squiggly-warning').first().waitFor();
        const problems = page.locator('[id="status.problems"]');
        await problems.waitFor();
        const label = (await problems.getAttribute('aria-label')) ?? (await problems.innerText());
        expectIncludes(label, 'Warnings: 1', 'status bar problems');
        return `squiggle shown; status bar "${label}"`;
    });

    await step('problems-panel', async () => {
        await page.locator('[id="status.problems"] a, [id="status.problems"]').first().click();
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'fixture warning' }).first();
        await row.waitFor();
        const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
        expectIncludes(text, 'fixture warning', 'Problems panel');
        expectIncludes(text, 'fixture [Ln 1, Col 1]', 'Problems panel source and position');
        return `"${text}"`;
    });

    await step('hover', async () => {
        const firstLine = page.locator('.editor-instance .view-line', { hasText: 'class Node' }).first();
        const box = await firstLine.boundingBox();
        if (!box) throw new Error('line 1 is not visible');
        await page.mouse.move(box.x + 20, box.y + box.height / 2);
        const hover = page.locator('.monaco-hover:visible', { hasText: 'fixture hover' }).first();
        await hover.waitFor();
        const text = (await hover.innerText()).replace(/\s+/g, ' ').trim();
        expectIncludes(text, 'fixture hover', 'hover');
        return `"${text.slice(0, 120)}"`;
    });

    await step('command-palette', async () => {
        await page.mouse.move(0, 0);
        await page.keyboard.press('Escape');
        await page.locator('.editor-instance .view-lines').first().click();
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget:visible input');
        await input.waitFor();
        await input.pressSequentially('ExitScope Fixture: Hello', { delay: 10 });
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'ExitScope Fixture: Hello' }).first().waitFor();
        return 'palette lists "ExitScope Fixture: Hello"';
    });

    await step('command-ran', async () => {
        await page.keyboard.press('Enter');
        const toast = page.locator('.notification-toast', { hasText: 'hello from fixture' }).first();
        await toast.waitFor();
        return `notification "${(await toast.innerText()).split('\n')[0]}"`;
    });
} catch (err) {
    console.error(`[e2e] ERROR: ${err.stack ?? err}`);
    console.error(logTail(dirs.log));
    results.push({ name: 'setup', ok: false });
}

clearTimeout(deadline);
await cleanUp();
const failed = results.filter(r => !r.ok).length;
if (failed === 0) fs.rmSync(dirs.root, { recursive: true, force: true });
else console.error(`[e2e] kept ${dirs.root} (code-server.log, browser-console.log)`);
log(`total ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(REPO_ROOT, SCREENSHOTS)}/`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
