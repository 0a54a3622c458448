#!/usr/bin/env node
// End-to-end check of the packaged extension: packages the VSIX with @vscode/vsce (or takes one
// given with --vsix), installs it into a fresh extensions dir with
// `code-server --install-extension X.vsix --extensions-dir D`, starts code-server on that dir,
// opens kept_on_sys.pyscn from the Explorer and checks that the `exitscope` Warning appears
// (status bar count, squiggle, Problems panel) and that the heap graph opens from the minified
// webview bundle. Screenshots under test-results/e2e-vsix/; the last line is `N passed, M failed`.
//
//   node test/e2e/vsix.e2e.mjs [--vsix exitscope-0.1.0.vsix] [--timeout 300]
//
// Without --vsix, `vsce package` runs the production build (vscode:prepublish) in this tree and
// writes the VSIX into a temporary folder; the development build of dist/ is restored afterwards.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
    assertInstalled,
    log,
    makeSessionDir,
    openWorkbench,
    startCodeServer,
} from '../../scripts/vscode-host/host.mjs';
import { CODE_SERVER_ENTRY, NODE_BIN, REPO_ROOT } from '../../scripts/vscode-host/paths.mjs';
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
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'e2e-vsix');
const STEP_TIMEOUT_MS = 30_000;
const VSCE = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

const { values: options } = parseArgs({ options: { vsix: { type: 'string' }, timeout: { type: 'string', default: '300' } } });
const dirs = makeSessionDir('exitscope-e2e-vsix-');
const run = createRun({ name: 'e2e-vsix', screenshots: SCREENSHOTS, timeoutSeconds: Number(options.timeout), dirs });
const { step } = run;
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;

/** Runs a command to completion (bounded), throwing with its output when it fails. */
function exec(command, args, { cwd = REPO_ROOT, env = process.env, timeoutMs = 180_000 } = {}) {
    const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.error || result.status !== 0) {
        throw new Error(`${path.basename(command)} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})\n${output.trim().split('\n').slice(-30).join('\n')}`);
    }
    return output;
}

try {
    assertInstalled();
    let vsix = options.vsix ? path.resolve(options.vsix) : path.join(dirs.root, `${manifest.name}-${manifest.version}.vsix`);

    await step('package', async () => {
        if (options.vsix) {
            if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found`);
            return `using ${path.relative(REPO_ROOT, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(1)} KiB)`;
        }
        if (!fs.existsSync(VSCE)) throw new Error(`${VSCE} not found: npm install`);
        try {
            // The same flags as `npm run package`; non-interactive (stdin closed).
            exec(process.execPath, [VSCE, 'package', '--no-dependencies', '--skip-license', '--out', vsix]);
        } finally {
            // vscode:prepublish left a minified dist/: put the development build back.
            exec(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')]);
        }
        return `${path.basename(vsix)}: ${(fs.statSync(vsix).size / 1024).toFixed(1)} KiB`;
    }, { critical: true });

    await step('install-extension', async () => {
        const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VSCODE_')));
        const output = exec(NODE_BIN, [CODE_SERVER_ENTRY, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix], {
            env: { ...baseEnv, NODE_OPTIONS: '', CODE_SERVER_CONFIG: path.join(dirs.root, 'config.yaml') },
            timeoutMs: 120_000,
        });
        const folder = fs.readdirSync(dirs.extensions).find(name => name.toLowerCase().startsWith(`${extensionId}-`));
        if (!folder) throw new Error(`no ${extensionId}-* folder in ${dirs.extensions}:\n${output}`);
        const installed = path.join(dirs.extensions, folder);
        for (const file of ['package.json', 'dist/extension.js', 'dist/worker.js', 'dist/webview.js', 'media/webview.css', 'examples/03-kept-on-sys.pyscn']) {
            if (!fs.existsSync(path.join(installed, file))) throw new Error(`${file} is missing in the installed extension ${installed}`);
        }
        for (const unwanted of ['node_modules', 'src', 'test', 'webview', 'scripts', 'dist/cli.js', 'dist/extension.js.map', 'media/screenshots']) {
            if (fs.existsSync(path.join(installed, unwanted))) throw new Error(`${unwanted} should not be in the VSIX`);
        }
        // vsce rewrote the README's relative image links to the repository (the Marketplace
        // cannot show images from inside the VSIX).
        const readme = fs.readFileSync(path.join(installed, 'readme.md'), 'utf8');
        const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map(m => m[1]);
        const relative = images.filter(url => !/^https:\/\//.test(url));
        if (relative.length) throw new Error(`README images not rewritten to https URLs: ${relative.join(', ')}`);
        if (!fs.existsSync(path.join(dirs.extensions, 'extensions.json'))) throw new Error('code-server wrote no extensions.json');
        return `${folder} (${fs.readdirSync(installed).sort().join(', ')})`;
    }, { critical: true });

    const server = await startCodeServer({ dirs, workspace: WORKSPACE });
    run.onCleanUp(() => server.stop());
    const workbench = await openWorkbench({ server, dirs, folder: WORKSPACE });
    run.onCleanUp(() => workbench.close());
    const page = workbench.page;
    run.setPage(page);
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    log(`workbench on ${server.url} after ${((Date.now() - run.started) / 1000).toFixed(1)} s`);

    await step('open-scenario', async () => {
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await explorerRow(page, 'kept_on_sys.pyscn').waitFor({ timeout: 60_000 });
        await openFromExplorer(page, 'kept_on_sys.pyscn', 'import sys');
        return 'opened kept_on_sys.pyscn from the Explorer';
    }, { critical: true });

    await step('exitscope-diagnostic', async () => {
        const label = await poll('"Warnings: 1" in the status bar', async () => {
            const l = await problemsLabel(page);
            return l.includes('Warnings: 1') ? l : undefined;
        }, 45_000);
        await page.locator('.editor-instance .squiggly-warning').first().waitFor();
        await page.locator('[id="status.problems"] a, [id="status.problems"]').first().click();
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'exitscope' }).first();
        await row.waitFor();
        const text = oneLine(await row.innerText());
        expectIncludes(text, 'sys.cache', 'Problems panel message');
        expectIncludes(text, 'outlives-program', 'Problems panel code');
        return `status bar "${label}"; Problems: "${text}"`;
    });

    await step('heap-graph', async () => {
        await page.locator('.editor-instance .view-line', { hasText: 'import sys' }).first().click();
        await runFromPalette(page, 'ExitScope: Show Heap Graph');
        const frame = await heapGraphFrame(page);
        const state = await poll('the report of kept_on_sys.pyscn in the webview', async () => {
            const s = await graphState(frame);
            return s.uri.endsWith('kept_on_sys.pyscn') && s.findings.length > 0 ? s : undefined;
        });
        if (!state.findings.some(f => f.startsWith('outlives-program'))) throw new Error(`no outlives-program finding: ${JSON.stringify(state.findings)}`);
        // Draw it: search for sys.cache, Enter moves the timeline to its birth and selects it.
        const drawn = await searchGraph(frame, 'sys.cache');
        return `${state.profile}, ${state.findings.length} finding; ${drawn.nodes} nodes at "${drawn.readout}"`;
    });
} catch (err) {
    if (!/^critical step/.test(err.message)) await run.finish(err);
}
await run.finish();
