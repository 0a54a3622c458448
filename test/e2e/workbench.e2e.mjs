#!/usr/bin/env node
// End-to-end check of ExitScope as a person uses it: a real VS Code (code-server) with the built
// extension (package.json, dist/, media/, … copied into a fresh extensions dir, as the launcher
// does), the workspace test/integration/workspace, driven in headless Chromium by playwright-core.
// Each step saves a screenshot under test-results/e2e/ (git-ignored); the last line is
// `N passed, M failed`; exit 0 when all passed, 1 when a step failed, 3 on the overall timeout.
//
//   npm run build && node test/e2e/workbench.e2e.mjs [--timeout 360]
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
    assertReadable,
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
// Generous: the machine may be shared (a loaded one takes 30 s to open an editor).
const STEP_TIMEOUT_MS = 60_000;

const { values: options } = parseArgs({ options: { timeout: { type: 'string', default: '360' } } });
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
        // Case-sensitive, and only in our part (the marker part of the hover already says
        // "exitscope"): fix first, the lifetime, and "ExitScope · Python 3.13" at the end.
        const hover = page.locator('.monaco-hover:visible', { hasText: /Fix[\s\S]*born at line 9:13[\s\S]*ExitScope/ }).first();
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
        // The panel opens at the end of the program: sys.cache is drawn, held by sys.
        const opened = await poll('sys.cache drawn at the end of the program', async () => {
            const s = await graphState(frame);
            return s.nodeLabels.some((l) => l.startsWith('sys.cache')) ? s : undefined;
        });
        if (!/end of the program/.test(opened.readout)) throw new Error(`opened at "${opened.readout}"`);
        await assertReadable(frame, 'kept_on_sys at its opening');
        // Search still works: Enter selects the match.
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

    // ---------------------------------------------------------------- issue 18: the states
    // (each step's screenshot is the state named: opening, each shutdown phase, retainers,
    // dark, high contrast, a 400 px panel, 2,000 objects)
    let frame;
    await step('graph-opening', async () => {
        const examples = explorerRow(page, 'examples');
        if ((await examples.getAttribute('aria-expanded')) !== 'true') await examples.click();
        await page.locator('.editor-instance .view-line').first().click();
        await openFromExplorer(page, '09-registry-on-class.pyscn', 'registry');
        await page.locator('.tabs-container .tab', { hasText: 'Heap: 09-registry-on-class.pyscn' }).first().waitFor();
        frame = await heapGraphFrame(page);
        await poll('the graph of 09-registry-on-class.pyscn', async () => {
            const s = await graphState(frame);
            return s.uri.endsWith('09-registry-on-class.pyscn') && s.nodes > 0;
        });
        const moments = await frame.evaluate(() => window.exitscope.moments());
        const t = await frame.evaluate(() => window.exitscope.time());
        if (t !== moments[0].at) throw new Error(`opened at event ${t}, not the end of the program (${moments[0].at})`);
        const r = await assertReadable(frame, 'opening');
        const badges = await frame.evaluate(() => window.exitscope.cy().nodes('.role-program').map((n) => String(n.data('label')).split('\n').pop()));
        if (!badges.every((b) => /^[⚠◆✦○♻✓] /.test(b))) throw new Error(`objects without a fate badge: ${badges}`);
        await page.waitForTimeout(300);
        return `${r.width} px panel at "${r.readout}": ${r.inside}/${r.program} objects in view, labels ${r.fontPx} px (${r.labels.join('; ')}); badges ${[...new Set(badges)].join(' | ')}`;
    });

    const chips = frame ? await frame.evaluate(() => window.exitscope.moments().map((m) => ({ chip: m.chip, at: m.at, freed: m.freed }))) : [];
    for (let i = 1; i < chips.length; i++) {
        await step(`graph-phase-${i}-${chips[i].chip.replace(/\W+/g, '-')}`, async () => {
            await frame.locator('.phases .chip').nth(i).click();
            const s = await frame.evaluate(() => ({ t: window.exitscope.time(), dying: window.exitscope.view().nodes.filter((n) => n.classes.includes('dying')).length, readout: document.getElementById('readout').textContent, empty: !document.getElementById('empty').hidden }));
            if (s.t !== chips[i].at) throw new Error(`chip ${chips[i].chip} went to ${s.t}, not ${chips[i].at}`);
            if (s.dying !== chips[i].freed) throw new Error(`${chips[i].freed} freed in ${chips[i].chip} but ${s.dying} drawn fading out`);
            await page.waitForTimeout(400);
            return `"${s.readout}": ${s.dying} object(s) fading out${s.empty ? '; the canvas says nothing is left and offers the nearest moment' : ''}`;
        });
    }

    await step('graph-retainers', async () => {
        await frame.locator('.phases .chip').first().click();
        const id = await frame.evaluate(() => window.exitscope.model().nodes.find((n) => n.label === 'Plugin.registry[0]').id);
        await frame.evaluate((x) => window.exitscope.select(x), id);
        const d = await frame.evaluate(() => ({ text: document.getElementById('details').innerText.replace(/\s+/g, ' '), path: window.exitscope.cy().edges('.on-path').map((e) => e.data('label')) }));
        for (const s of ['Held by', '—Plugin→', '—registry→', '—[0]→', 'Retainers']) if (!d.text.includes(s)) throw new Error(`"${s}" not in the details: ${d.text}`);
        if (d.path.length !== 3) throw new Error(`highlighted chain ${d.path}`);
        await page.waitForTimeout(300);
        return `chain ${d.path.join(' → ')}; "${d.text.slice(0, 120)}…"`;
    });

    await step('graph-compare-versions', async () => {
        // Issue 18 item 6: the same scenario on 3.13 and 2.7 in two panes, kept in step.
        await page.locator('.tabs-container .tab', { hasText: /^09-registry-on-class\.pyscn/ }).first().click();
        await runFromPalette(page, 'ExitScope: Compare Heap Graphs on Two Python Versions');
        const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Python 2.7' }).first();
        await pick.waitFor();
        await pick.click();
        await page.locator('.tabs-container .tab', { hasText: 'Python 2.7' }).first().waitFor();
        const panes = await poll('both panes with their reports', async () => {
            const found = {};
            for (const f of page.frames()) {
                const parent = f.parentFrame();
                if (!parent || !/webview/i.test(parent.url()) || !parent.url().includes('exitscope')) continue;
                const s = await f.evaluate(() => window.exitscope && window.exitscope.app.report ? { profile: window.exitscope.app.report.profile, differs: window.exitscope.cy().nodes('.differs').length } : null).catch(() => null);
                if (s && s.differs > 0) found[s.profile] = f;
            }
            return found['3.13'] && found['2.7'] ? found : undefined;
        });
        // Selecting Plugin.registry[0] in the 3.13 pane selects its match in the 2.7 pane.
        const id = await panes['3.13'].evaluate(() => window.exitscope.model().nodes.find((n) => n.label === 'Plugin.registry[0]').id);
        // (graph-retainers left it selected: select it afresh, as a click on it would)
        await panes['3.13'].evaluate(() => window.exitscope.select(null));
        await panes['3.13'].evaluate((x) => window.exitscope.select(x), id);
        const other = await poll('the 2.7 pane follows the selection', async () => {
            const s = await panes['2.7'].evaluate(() => {
                const x = window.exitscope;
                const sel = x.state().selected;
                const n = sel === null ? null : x.model().nodes.find((m) => m.id === sel);
                return n ? { label: n.label, note: document.querySelector('.details .differs-note')?.textContent ?? '', differs: x.cy().nodes('.differs').map((m) => String(m.data('label')).split('\n').pop()) } : null;
            });
            return s && s.label === 'Plugin.registry[0]' ? s : undefined;
        });
        if (!/^On Python 3\.13: /.test(other.note)) throw new Error(`no note of the 3.13 fate: ${JSON.stringify(other)}`);
        await page.waitForTimeout(500);
        return `2.7 pane selected ${other.label} ("${other.note}"); outlined there: ${other.differs.slice(0, 4).join('; ')}`;
    });
    await step('graph-compare-closed', async () => {
        // a middle click on its tab closes it, as in any VS Code (its × is cut off in a narrow group)
        await page.locator('.tabs-container .tab', { hasText: 'Python 2.7' }).first().click({ button: 'middle' });
        await poll('the comparison to end', async () => (await page.locator('.tabs-container .tab', { hasText: 'Python' }).count()) === 0);
        await poll('the main pane without outlines', async () => (await frame.evaluate(() => window.exitscope.cy().nodes('.differs').length)) === 0);
        return 'closing the 2.7 pane ended the comparison: no outlines left in the 3.13 pane';
    });

    /** Switches the colour theme with the theme picker (Ctrl+K Ctrl+T), as a person does. */
    async function pickTheme(name) {
        // The picker can close under the keyboard (a CI run saw its input turn inert, then hidden, while
        // the workbench settled after the compare pane closed): a person would open it again, so do we.
        let last;
        for (let attempt = 1; attempt <= 3; attempt++) {
            try {
                await page.keyboard.press('Escape');
                await page.locator('.tabs-container .tab', { hasText: '09-registry-on-class.pyscn' }).first().click();
                await page.waitForTimeout(300);
                await page.keyboard.press('Control+K');
                await page.keyboard.press('Control+T');
                const input = page.locator('.quick-input-widget:visible input');
                await input.waitFor({ timeout: 10000 });
                await input.fill(name, { timeout: 10000 });
                const row = page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: new RegExp(`^${name}$`) }).first();
                await row.waitFor({ timeout: 10000 });
                await row.click({ timeout: 10000 });
                return;
            } catch (e) {
                last = e;
                console.log(`  ..   theme picker attempt ${attempt} for ${name} failed: ${String(e.message).split('\n')[0]}`);
            }
        }
        throw last;
    }
    for (const [theme, cls] of [['Dark Modern', 'vscode-dark'], ['Dark High Contrast', 'vscode-high-contrast']]) {
        await step(`graph-theme-${cls}`, async () => {
            await pickTheme(theme);
            await poll(`the webview in ${theme}`, async () => frame.evaluate((c) => document.body.classList.contains(c), cls));
            await page.waitForTimeout(500);
            const c = await frame.evaluate(() => {
                const n = window.exitscope.cy().nodes('.role-program')[0];
                return { fg: n.style('color'), bg: getComputedStyle(document.body).backgroundColor };
            });
            if (c.fg === c.bg) throw new Error(`labels are the background colour: ${JSON.stringify(c)}`);
            const r = await assertReadable(frame, theme);
            return `${theme}: label colour ${c.fg} on ${c.bg}; ${r.inside} objects in view at ${r.fontPx} px`;
        });
    }
    await pickTheme('Light Modern').catch(() => {});
    await poll('the webview back in a light theme', async () => frame.evaluate(() => document.body.classList.contains('vscode-light'))).catch(() => {});

    await step('graph-400px', async () => {
        // The panel beside the editor in a 900 px window with the sidebar hidden: about 400 px.
        await page.setViewportSize({ width: 900, height: 900 });
        await page.keyboard.press('Control+B');
        await page.waitForTimeout(800);
        await frame.evaluate(() => window.exitscope.fit());
        const r = await assertReadable(frame, '400 px panel');
        if (r.width > 460) throw new Error(`the panel is ${r.width} px wide`);
        return `${r.width} px: ${r.inside} objects in view at ${r.fontPx} px, no control clipped`;
    });

    await step('graph-2000-objects', async () => {
        await page.keyboard.press('Control+B');
        await page.setViewportSize({ width: 1400, height: 900 });
        // focus the editor group (its tab), so the Explorer opens the file there, not over the panel
        await page.locator('.tabs-container .tab', { hasText: '09-registry-on-class.pyscn' }).first().click();
        const started = Date.now();
        await openFromExplorer(page, 'linked-list-2000.pyscn', 'linked list');
        await page.locator('.tabs-container .tab', { hasText: 'Heap: linked-list-2000.pyscn' }).first().waitFor();
        frame = await heapGraphFrame(page);
        const s = await poll('the 2,000-object graph', async () => {
            const g = await graphState(frame);
            return g.uri.endsWith('linked-list-2000.pyscn') && g.nodes > 0 ? g : undefined;
        }, 60_000);
        const ms = Date.now() - started;
        const perf = await frame.evaluate(() => window.exitscope.perf());
        const agg = await frame.evaluate(() => window.exitscope.cy().nodes('.aggregate').map((n) => String(n.data('label')).split('\n')[0]));
        if (!agg.includes('660 × Node')) throw new Error(`no site group for the 660 Nodes: ${agg}`);
        const r = await assertReadable(frame, '2,000 objects');
        await page.waitForTimeout(300);
        return `${s.summary.created} objects: drawn as ${agg.join(', ')}; ${r.inside} in view at ${r.fontPx} px; panel painted ${ms} ms after opening the file (webview: load ${Math.round(perf.load)} ms, layout ${Math.round(perf.layout)} ms, sync ${Math.round(perf.sync)} ms)`;
    });
} catch (err) {
    if (!/^critical step/.test(err.message)) await run.finish(err);
}
await run.finish();
