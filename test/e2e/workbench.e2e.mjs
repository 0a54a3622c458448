#!/usr/bin/env node
// End-to-end check of ExitScope as a person uses it: a real VS Code (code-server) with the built
// extension (package.json, dist/, media/, … copied into a fresh extensions dir, as the launcher
// does), the workspace test/integration/workspace, driven in headless Chromium by playwright-core.
// Each step saves a screenshot under test-results/e2e/ (git-ignored); the last line is
// `N passed, M failed`; exit 0 when all passed, 1 when a step failed, 3 on the overall timeout.
//
//   npm run build && node test/e2e/workbench.e2e.mjs [--timeout 240]
//
// Needs `node scripts/vscode-host/install.mjs` first. Steps: open kept_on_sys.pyscn from the
// Explorer, see the warning squiggle under `Cache()` and the Problems count, read the Problems
// panel, hover line 9 and read the explanation, run "ExitScope: Show Heap Graph" from the command
// palette, look inside the webview (window.exitscope, the webview's read-only test handle) for
// sys.cache and its outlives-program finding, then open examples/05-finalizer-never-runs.pyscn
// and see the panel follow it and mark the objects that survive exit.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
    installExtensionCopy,
    log,
    makeSessionDir,
    openWorkbench,
    startCodeServer,
} from '../../scripts/vscode-host/host.mjs';
import { REPO_ROOT } from '../../scripts/vscode-host/paths.mjs';
import {
    createRun,
    explorerRow,
    expectIncludes,
    graphState,
    heapGraphFrame,
    oneLine,
    openFromExplorer,
    poll,
    problemsLabel,
    runFromPalette,
    searchGraph,
} from './steps.mjs';

const WORKSPACE = path.join(REPO_ROOT, 'test', 'integration', 'workspace');
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const STEP_TIMEOUT_MS = 30_000;

const { values: options } = parseArgs({ options: { timeout: { type: 'string', default: '240' } } });
const dirs = makeSessionDir('exitscope-e2e-');
const run = createRun({ name: 'e2e', screenshots: SCREENSHOTS, timeoutSeconds: Number(options.timeout), dirs });
const { step } = run;

/** Hides the bottom panel (Problems) if it is open: Ctrl+J toggles it, from the editor. */
async function hidePanel(page) {
    const panel = page.locator('.part.panel .markers-panel');
    if (!(await panel.isVisible())) return;
    await page.locator('.editor-instance .view-line', { hasText: 'import sys' }).first().click();
    await page.keyboard.press('Control+J');
    await panel.waitFor({ state: 'hidden', timeout: 5000 });
}

try {
    installExtensionCopy(REPO_ROOT, dirs.extensions);
    const server = await startCodeServer({ dirs, workspace: WORKSPACE });
    run.onCleanUp(() => server.stop());
    const workbench = await openWorkbench({ server, dirs, folder: WORKSPACE });
    run.onCleanUp(() => workbench.close());
    const page = workbench.page;
    run.setPage(page);
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    log(`workbench on ${server.url} after ${((Date.now() - run.started) / 1000).toFixed(1)} s`);

    await step('workbench-loaded', async () => {
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await explorerRow(page, 'kept_on_sys.pyscn').waitFor({ timeout: 60_000 });
        await explorerRow(page, 'examples').waitFor();
        return 'Explorer lists kept_on_sys.pyscn and examples/';
    }, { critical: true });

    await step('open-from-explorer', async () => {
        await openFromExplorer(page, 'kept_on_sys.pyscn', 'import sys');
        await page.locator('.editor-instance .view-lines', { hasText: 'sys.cache = Cache()' }).first().waitFor();
        return 'editor shows kept_on_sys.pyscn';
    }, { critical: true });

    await step('diagnostics-squiggle', async () => {
        await page.locator('.editor-instance .squiggly-warning').first().waitFor();
        const label = await poll('"Warnings: 1" in the status bar', async () => {
            const l = await problemsLabel(page);
            return l.includes('Warnings: 1') ? l : undefined;
        });
        return `warning squiggle shown; status bar "${label}"`;
    });

    await step('problems-panel', async () => {
        await page.locator('[id="status.problems"] a, [id="status.problems"]').first().click();
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'sys.cache' }).first();
        await row.waitFor();
        const text = oneLine(await row.innerText());
        expectIncludes(text, 'sys.cache', 'Problems panel message');
        expectIncludes(text, 'exitscope', 'Problems panel source');
        expectIncludes(text, '[Ln 9, Col 13]', 'Problems panel position');
        // Put the focus back in the editor so the squiggle, the panel and the hover show together.
        await page.locator('.editor-instance .view-line', { hasText: 'sys.cache = Cache()' }).first().click();
        // The CodeLens above line 1 may be refreshing: let it come back for the screenshot.
        await page.locator('.editor-instance .codelens-decoration', { hasText: 'Show heap graph' }).first().waitFor({ timeout: 5000 }).catch(() => {});
        return `"${text.slice(0, 140)}"`;
    });

    await step('hover-explanation', async () => {
        await hidePanel(page); // more room for the hover
        // Where `Cache()` is drawn on line 9: a DOM Range over its characters (the .view-line
        // spans the editor's whole width, and the inline hint after the code is part of it).
        // Measured again on every attempt: the lines move while the CodeLens above line 1 refreshes.
        const line9 = page.locator('.editor-instance .view-line', { hasText: 'sys.cache = Cache()' }).first();
        const measure = () => line9.evaluate((el) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.textContent.indexOf('Cache'); // case-sensitive: not sys.cache
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + 'Cache'.length);
                const r = range.getBoundingClientRect();
                return r.width > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
            }
            return null;
        });
        // Case-sensitive, and only in our part: the marker part of the hover already says "exitscope".
        const hover = page.locator('.monaco-hover:visible', { hasText: /ExitScope[\s\S]*born at line 9:13/ }).first();
        const codeLens = page.locator('.editor-instance .codelens-decoration', { hasText: 'Show heap graph' }).first();
        // Rest the mouse on Cache() and wait; if no hover with our part shows, move away and retry.
        await poll('the ExitScope hover', async () => {
            await codeLens.waitFor({ timeout: 5000 }).catch(() => {});
            const target = await measure();
            if (!target) throw new Error('Cache() is not drawn on line 9');
            await page.mouse.move(target.x - 6, target.y);
            await page.mouse.move(target.x, target.y, { steps: 3 });
            try {
                await hover.waitFor({ timeout: 6000 });
                return true;
            } catch (err) {
                await page.mouse.move(0, 0);
                await page.keyboard.press('Escape');
                throw err;
            }
        }, 45_000);
        const text = oneLine(await hover.innerText());
        expectIncludes(text, 'sys.cache', 'hover');
        expectIncludes(text, 'born at line 9:13', 'hover');
        if (!/sys/.test(text) || !/(shutdown|exit)/i.test(text)) throw new Error(`hover has no explanation: ${text}`);
        return `"${text.slice(0, 160)}…"`;
    });

    await step('command-palette', async () => {
        await page.mouse.move(0, 0);
        await page.keyboard.press('Escape');
        await page.locator('.editor-instance .view-line', { hasText: 'import sys' }).first().click();
        await hidePanel(page); // more room for the graph
        await runFromPalette(page, 'ExitScope: Show Heap Graph');
        await page.locator('.tabs-container .tab', { hasText: 'Heap: kept_on_sys.pyscn' }).first().waitFor();
        return 'ran "ExitScope: Show Heap Graph"; tab "Heap: kept_on_sys.pyscn" opened';
    });

    await step('heap-graph', async () => {
        const frame = await heapGraphFrame(page);
        await poll('the report of kept_on_sys.pyscn in the webview', async () => (await graphState(frame)).uri.endsWith('kept_on_sys.pyscn'));
        // The panel opens after exit, when nothing of kept_on_sys is left: search for sys.cache
        // and press Enter, which moves the timeline to its birth and selects it.
        const state = await searchGraph(frame, 'sys.cache');
        if (!state.findings.some(f => f.startsWith('outlives-program@9') && f.includes('sys.cache'))) {
            throw new Error(`no outlives-program finding for sys.cache on line 9: ${JSON.stringify(state.findings)}`);
        }
        // The canvas is drawn (not an empty panel): cytoscape renders into <canvas> layers.
        const canvases = await frame.locator('canvas').count();
        if (canvases === 0) throw new Error('no canvas in the webview');
        await frame.locator('#fit').click(); // the whole graph in view, sys.cache selected
        await page.waitForTimeout(500); // let the animation settle for the screenshot
        return `${state.profile} at ${state.readout}: ${state.nodes} nodes, ${state.edges} edges (${state.nodeLabels.join('; ')}); finding ${state.findings[0].slice(0, 60)}`;
    });

    await step('heap-graph-survivors', async () => {
        // Focus the scenario's editor group (else the Explorer opens the file over the panel),
        // then open an example from the Explorer: the panel follows the active scenario.
        const search = (await heapGraphFrame(page)).locator('#search');
        await search.fill('');
        await search.press('Escape');
        await page.locator('.editor-instance .view-line', { hasText: 'import sys' }).first().click();
        const examples = explorerRow(page, 'examples');
        if ((await examples.getAttribute('aria-expanded')) !== 'true') await examples.click();
        await openFromExplorer(page, '05-finalizer-never-runs.pyscn', 'os._exit');
        await page.locator('.tabs-container .tab', { hasText: 'Heap: 05-finalizer-never-runs.pyscn' }).first().waitFor();
        const frame = await heapGraphFrame(page);
        const state = await poll('the graph of 05-finalizer-never-runs.pyscn', async () => {
            const s = await graphState(frame);
            return s.uri.endsWith('05-finalizer-never-runs.pyscn') && s.nodes > 0 ? s : undefined;
        });
        if (state.survivors.length === 0) throw new Error(`the report has no survivors: ${JSON.stringify(state.summary)}`);
        if (state.survivorNodes.length === 0) throw new Error(`no node is marked as a survivor: ${JSON.stringify(state.nodeLabels)}`);
        await page.waitForTimeout(500);
        return `${state.survivors.length} objects survive exit; ${state.survivorNodes.length} survivor nodes (${state.survivorNodes.slice(0, 4).join('; ')})`;
    });
} catch (err) {
    if (!/^critical step/.test(err.message)) await run.finish(err);
}
await run.finish();
