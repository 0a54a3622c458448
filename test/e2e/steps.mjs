// Shared by the end-to-end checks (workbench.e2e.mjs, vsix.e2e.mjs): named steps that each save a
// screenshot, an overall deadline so a run never hangs, and the `N passed, M failed` summary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, logTail } from '../../scripts/vscode-host/host.mjs';
import { REPO_ROOT } from '../../scripts/vscode-host/paths.mjs';

/**
 * @param {{ name: string, screenshots: string, timeoutSeconds: number, dirs: { root: string, log: string, browserLog: string } }} options
 */
export function createRun({ name, screenshots, timeoutSeconds, dirs }) {
    const started = Date.now();
    const results = [];
    const cleanUps = [];
    let page;
    let finished = false;

    fs.rmSync(screenshots, { recursive: true, force: true });
    fs.mkdirSync(screenshots, { recursive: true });

    async function cleanUp() {
        for (const fn of cleanUps.splice(0).reverse()) {
            try {
                await Promise.race([fn(), sleep(15_000)]);
            } catch {
                // best effort
            }
        }
    }

    function summary(extraFailed = 0) {
        const failed = results.filter(r => !r.ok).length + extraFailed;
        return { passed: results.length - results.filter(r => !r.ok).length, failed };
    }

    // Never hang: stop everything after timeoutSeconds, and exit hard if stopping hangs too.
    const deadline = setTimeout(async () => {
        console.error(`[${name}] TIMEOUT after ${timeoutSeconds} s`);
        setTimeout(() => {
            console.log(`${summary(1).passed} passed, ${summary(1).failed} failed`);
            process.exit(3);
        }, 30_000).unref();
        finished = true;
        await cleanUp();
        console.error(logTail(dirs.log));
        console.error(`[${name}] kept ${dirs.root}`);
        const s = summary(1);
        console.log(`${s.passed} passed, ${s.failed} failed`);
        process.exit(3);
    }, timeoutSeconds * 1000);

    for (const signal of ['SIGINT', 'SIGTERM']) {
        process.on(signal, async () => {
            console.error(`[${name}] ${signal}: stopping`);
            await cleanUp();
            process.exit(130);
        });
    }

    return {
        started,
        results,
        /** Run `fn` (async) when the run ends, last registered first. */
        onCleanUp(fn) {
            cleanUps.push(fn);
        },
        setPage(p) {
            page = p;
        },
        /** Runs one step, then saves `NN-name.png` (or `NN-name-FAILED.png`). A failed step
         *  does not stop the run unless `critical` is set (then later steps are skipped). */
        async step(stepName, body, { critical = false } = {}) {
            if (finished) return undefined;
            const index = String(results.length + 1).padStart(2, '0');
            const stepStarted = Date.now();
            let error;
            let detail;
            try {
                detail = await body();
            } catch (err) {
                error = err;
            }
            const file = path.join(screenshots, `${index}-${stepName}${error ? '-FAILED' : ''}.png`);
            if (page) {
                try {
                    await page.screenshot({ path: file, timeout: 10_000 });
                } catch (err) {
                    console.error(`[${name}] screenshot ${file} failed: ${err.message}`);
                }
            }
            // Failed steps' screenshots also go to the session folder, which is kept on failure
            // (the next run empties the screenshots folder).
            if (error && fs.existsSync(file)) fs.copyFileSync(file, path.join(dirs.root, path.basename(file)));
            results.push({ name: stepName, ok: !error, ms: Date.now() - stepStarted });
            const ms = Date.now() - stepStarted;
            if (error) {
                console.log(`  FAIL ${stepName} (${ms} ms) -> ${path.relative(REPO_ROOT, file)}`);
                console.log(`         ${String(error.message ?? error).split('\n').join('\n         ')}`);
                if (critical) throw new Error(`critical step ${stepName} failed`);
            } else {
                console.log(`  ok   ${stepName} (${ms} ms)${detail ? `: ${detail}` : ''} -> ${path.relative(REPO_ROOT, file)}`);
            }
            return detail;
        },
        /** Stops everything, prints the summary as the last line and exits 0 (all passed) or 1. */
        async finish(setupError) {
            if (finished) return;
            finished = true;
            clearTimeout(deadline);
            if (setupError) {
                console.error(`[${name}] ERROR: ${setupError.stack ?? setupError}`);
                console.error(logTail(dirs.log));
                console.error(logTail(dirs.browserLog, 20));
            }
            await cleanUp();
            const s = summary(setupError ? 1 : 0);
            if (s.failed === 0) fs.rmSync(dirs.root, { recursive: true, force: true });
            else console.error(`[${name}] kept ${dirs.root} (code-server.log, browser-console.log, user-data/logs)`);
            log(`${name}: total ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(REPO_ROOT, screenshots)}/`);
            console.log(`${s.passed} passed, ${s.failed} failed`);
            process.exit(s.failed === 0 ? 0 : 1);
        },
    };
}

export function expectIncludes(text, expected, what) {
    if (!text.includes(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)} in ${JSON.stringify(text)}`);
}

export function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

/** The status bar's problems item, e.g. "Errors: 0, Warnings: 1, Infos: 0" (its aria-label). */
export async function problemsLabel(page) {
    const problems = page.locator('[id="status.problems"]');
    await problems.waitFor();
    return (await problems.getAttribute('aria-label')) ?? (await problems.innerText());
}

/** Polls `fn` until it returns a truthy value (returned) or `timeoutMs` passes (throws `what`). */
export async function poll(what, fn, timeoutMs = 30_000, intervalMs = 250) {
    const until = Date.now() + timeoutMs;
    let last;
    for (;;) {
        try {
            const value = await fn();
            if (value) return value;
        } catch (err) {
            last = err;
        }
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
        await sleep(intervalMs);
    }
}

// ---- the workbench, as a person drives it

/** An Explorer row (file or folder) by its exact name. */
export function explorerRow(page, name) {
    return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"], .explorer-folders-view .monaco-list-row:has(.label-name:text-is("${name}"))`).first();
}

/** Opens a file from the Explorer as a person does: single click (preview), double click (pin). */
export async function openFromExplorer(page, name, firstLineText) {
    const row = explorerRow(page, name);
    await row.scrollIntoViewIfNeeded();
    await row.click();
    await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor();
    await page.locator('.editor-instance .view-lines', { hasText: firstLineText }).first().waitFor();
    await row.dblclick();
}

/** Runs a command from the command palette (F1), by its full title. */
export async function runFromPalette(page, title) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget:visible input');
    await input.waitFor();
    await input.pressSequentially(title, { delay: 10 });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
}

/**
 * The heap graph webview's document: the workbench hosts a webview in an outer iframe
 * (`…/webview/…/index.html?…&extensionId=exitscope.exitscope…`) and the page itself in an inner
 * frame; the inner one has `window.exitscope` (webview/main.ts, a read-only test handle).
 */
export async function heapGraphFrame(page, timeoutMs = 30_000) {
    return poll('the heap graph webview frame', async () => {
        for (const frame of page.frames()) {
            const parent = frame.parentFrame();
            if (!parent || !/webview/i.test(parent.url()) || !parent.url().includes('exitscope')) continue;
            if (await frame.evaluate(() => typeof window.exitscope === 'object').catch(() => false)) return frame;
        }
        return undefined;
    }, timeoutMs);
}

/** What the graph shows, read through the webview's test handle. */
export function graphState(frame) {
    return frame.evaluate(() => {
        const x = window.exitscope;
        const report = x.app.report;
        const cy = x.cy();
        const label = n => String(n.data('label') ?? n.id()).replace(/\s+/g, ' ');
        return {
            uri: x.state().uri ?? '',
            file: report ? report.file : '',
            profile: report ? report.profile : '',
            nodes: cy.nodes().length,
            edges: cy.edges().length,
            nodeLabels: cy.nodes().map(label),
            selected: cy.nodes(':selected').map(label),
            survivorNodes: cy.nodes('.survivor').map(label),
            survivors: report ? report.objects.filter(o => o.survivesExit).map(o => o.label ?? String(o.id)) : [],
            findings: report ? report.findings.map(f => `${f.kind}@${f.line}: ${f.message}`) : [],
            summary: report ? report.summary : null,
            readout: (document.getElementById('readout')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        };
    });
}

/**
 * Types `query` into the heap graph's search box and presses Enter, which moves the timeline to
 * the match's birth and selects it; resolves with the graph state once a node matching `label`
 * is selected. Enter only acts on matches the webview has already rendered (its input handler
 * re-renders on the next frame), so wait for the match count first and press Enter again if needed.
 */
export async function searchGraph(frame, query, label = query) {
    const search = frame.locator('#search');
    await search.fill(query);
    await frame.locator('#matchInfo', { hasText: /[1-9]\d* in run/ }).waitFor({ timeout: 10_000 });
    return poll(`${label} selected in the graph`, async () => {
        const s = await graphState(frame);
        if (s.selected.some(l => l.includes(label))) return s;
        await search.press('Enter');
        await sleep(500);
        const after = await graphState(frame);
        return after.selected.some(l => l.includes(label)) ? after : undefined;
    }, 15_000);
}

/**
 * What must be visible in the heap graph (issue 18): no horizontal overflow, no toolbar, phase
 * strip or timeline control clipped, node labels at 11 px or more, and some of the program's
 * objects (or site groups) inside the graph's visible area. Returns the measures; throws on a
 * broken promise.
 */
export async function assertReadable(frame, what) {
    const r = await frame.evaluate(() => {
        const x = window.exitscope;
        const cy = x.cy();
        const W = document.documentElement.clientWidth;
        const clipped = [...document.querySelectorAll('.toolbar button, .toolbar input, .phases button, .timeline button, .timeline select')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => {
                const b = el.getBoundingClientRect();
                return b.left < 0 || b.right > W + 0.5;
            })
            .map((el) => el.id || el.textContent);
        const box = document.getElementById('cy').getBoundingClientRect();
        const program = cy.nodes('.role-program, .aggregate');
        const inside = program.filter((n) => {
            const b = n.renderedBoundingBox();
            return b.x1 >= -1 && b.y1 >= -1 && b.x2 <= box.width + 1 && b.y2 <= box.height + 1;
        });
        const fontPx = inside.length ? Math.min(...inside.map((n) => parseFloat(n.style('font-size')) * cy.zoom())) : 0;
        return {
            width: W,
            scrollWidth: document.documentElement.scrollWidth,
            clipped,
            nodes: cy.nodes().length,
            program: program.length,
            inside: inside.length,
            fontPx: Math.round(fontPx * 100) / 100,
            labels: inside.map((n) => String(n.data('label')).split('\n')[0]).slice(0, 6),
            time: x.time(),
            readout: (document.getElementById('readout')?.textContent ?? '').trim(),
        };
    });
    const fail = (m) => {
        throw new Error(`${what}: ${m} (${JSON.stringify(r)})`);
    };
    if (r.scrollWidth > r.width) fail(`the panel content is ${r.scrollWidth} px wide in ${r.width} px`);
    if (r.clipped.length) fail(`clipped controls: ${r.clipped.join(', ')}`);
    if (r.inside === 0) fail('none of the program’s objects is inside the visible graph');
    if (r.fontPx < 11 - 1e-6) fail(`labels are ${r.fontPx} px`);
    return r;
}
