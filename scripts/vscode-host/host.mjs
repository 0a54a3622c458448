// Starts and stops a real VS Code (code-server) with a given set of extensions, and opens its
// workbench in headless Chromium. Used by run-tests.mjs (extension-host tests) and by
// test/e2e/workbench.e2e.mjs (clicking through the workbench). See shared/vscode-host.md.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
    CHROMIUM,
    CHROMIUM_ARGS,
    CODE_SERVER_ENTRY,
    NODE_BIN,
    REPO_ROOT,
    STAMP_FILE,
} from './paths.mjs';

export function log(message) {
    console.log(`[vscode-host] ${message}`);
}

/** Throws with the fix when install.mjs has not run. */
export function assertInstalled() {
    if (!fs.existsSync(STAMP_FILE) || !fs.existsSync(NODE_BIN) || !fs.existsSync(CODE_SERVER_ENTRY)) {
        throw new Error('code-server is not installed: run `node scripts/vscode-host/install.mjs` ' +
            '(or `bash .ci/install-vscode-host.sh` on a fresh machine)');
    }
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
    }
}

/** A fresh temporary folder with user-data/, extensions/ and chromium-profile/ inside. */
export function makeSessionDir(prefix = 'exitscope-vscode-') {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const dirs = {
        root,
        userData: path.join(root, 'user-data'),
        extensions: path.join(root, 'extensions'),
        chromiumProfile: path.join(root, 'chromium-profile'),
        log: path.join(root, 'code-server.log'),
        browserLog: path.join(root, 'browser-console.log'),
    };
    for (const dir of [dirs.userData, dirs.extensions, dirs.chromiumProfile]) fs.mkdirSync(dir, { recursive: true });
    return dirs;
}

/**
 * Copies an extension folder into `extensionsDir/<publisher>.<name>-<version>/`, the layout
 * code-server scans (no extensions.json is written, so copied folders are all picked up).
 * Copies package.json, the package.json `files` entries when present, otherwise the folder of
 * `main`, dist/, out/, media/ and the usual top-level documents that exist.
 * @returns {{ id: string, folder: string }}
 */
export function installExtensionCopy(extensionDir, extensionsDir) {
    const source = path.resolve(extensionDir);
    const manifestFile = path.join(source, 'package.json');
    if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found`);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const key of ['publisher', 'name', 'version']) {
        if (!manifest[key]) throw new Error(`${manifestFile} has no "${key}"`);
    }
    const id = `${manifest.publisher}.${manifest.name}`;
    const target = path.join(extensionsDir, `${id}-${manifest.version}`);
    fs.mkdirSync(target, { recursive: true });

    const entries = new Set(['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'LICENSE.md']);
    if (Array.isArray(manifest.files)) {
        for (const entry of manifest.files) entries.add(entry.replace(/^\.\//, '').replace(/\/\*\*?$/, ''));
    } else {
        for (const dir of ['dist', 'out', 'media']) entries.add(dir);
    }
    for (const key of ['main', 'browser']) {
        if (manifest[key]) entries.add(path.normalize(manifest[key]).split(path.sep)[0]);
    }
    if (manifest.icon) entries.add(manifest.icon);
    for (const entry of entries) {
        const from = path.join(source, entry);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(target, entry), { recursive: true, dereference: true });
    }
    if (manifest.main) {
        const main = path.join(target, manifest.main);
        if (![main, `${main}.js`].some(file => fs.existsSync(file))) {
            throw new Error(`${id}: main ${manifest.main} is missing in ${source} (build the extension first?)`);
        }
    }
    return { id, folder: target };
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** User settings that keep the workbench quiet and offline. */
function writeUserSettings(userDataDir, { restricted }) {
    const settings = {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.enableExperiments': false,
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'git.enabled': false,
        'chat.disableAIFeatures': true,
        'security.workspace.trust.enabled': restricted,
        // In Restricted Mode, skip the "Do you trust the authors?" modal: stay restricted.
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'never',
    };
    const userDir = path.join(userDataDir, 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/**
 * Starts code-server in its own process group and waits until it answers /healthz.
 * @param {{ dirs: ReturnType<typeof makeSessionDir>, workspace: string, restricted?: boolean,
 *           env?: Record<string, string>, readyTimeoutMs?: number }} options
 */
export async function startCodeServer({ dirs, workspace, restricted = false, env = {}, readyTimeoutMs = 60_000 }) {
    assertInstalled();
    writeUserSettings(dirs.userData, { restricted });
    const port = await freePort();
    const args = [
        CODE_SERVER_ENTRY,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        '--user-data-dir', dirs.userData,
        '--extensions-dir', dirs.extensions,
    ];
    if (!restricted) args.push('--disable-workspace-trust');
    args.push(workspace);

    // Drop the VS Code variables of a terminal this may run in: with VSCODE_IPC_HOOK_CLI set,
    // code-server would hand the folder to that editor instead of starting.
    const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VSCODE_')));
    // code-server leaves vscode-ipc-*.sock files in TMPDIR: keep them in the session folder.
    const tmpDir = path.join(dirs.root, 'tmp');
    fs.mkdirSync(tmpDir, { recursive: true });
    const logFd = fs.openSync(dirs.log, 'a');
    const child = spawn(NODE_BIN, args, {
        cwd: REPO_ROOT,
        detached: true, // own process group, killed as a whole in stop()
        stdio: ['ignore', logFd, logFd],
        env: {
            ...baseEnv,
            ...env,
            CODE_SERVER_CONFIG: path.join(dirs.root, 'config.yaml'),
            TMPDIR: tmpDir,
            NODE_OPTIONS: '',
        },
    });
    fs.closeSync(logFd);
    let exited = null;
    child.on('exit', (code, signal) => {
        exited = { code, signal };
    });

    const server = {
        port,
        url: `http://127.0.0.1:${port}/`,
        child,
        get exited() {
            return exited;
        },
        stop: () => stopProcessGroup(child),
    };

    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
        if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)})\n${logTail(dirs.log)}`);
        try {
            const response = await fetch(`${server.url}healthz`, { signal: AbortSignal.timeout(2000) });
            if (response.ok) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) {
            await server.stop();
            throw new Error(`code-server did not answer within ${readyTimeoutMs} ms\n${logTail(dirs.log)}`);
        }
        await sleep(200);
    }
    return server;
}

/** SIGTERM to the whole group, SIGKILL after 5 s. Never throws. */
export async function stopProcessGroup(child) {
    if (child.exitCode !== null || child.signalCode !== null) {
        killGroup(child.pid, 'SIGKILL'); // leftovers such as extension hosts
        return;
    }
    const exited = new Promise(resolve => child.once('exit', resolve));
    killGroup(child.pid, 'SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
    killGroup(child.pid, 'SIGKILL');
    if (timedOut) await Promise.race([exited, sleep(2000)]);
}

function killGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
    } catch {
        // already gone
    }
}

/** The last `lines` lines of a file, or a note that there is none. */
export function logTail(file, lines = 40) {
    try {
        const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
        return `--- last ${Math.min(lines, text.length)} lines of ${file} ---\n${text.slice(-lines).join('\n')}`;
    } catch {
        return `(no ${file})`;
    }
}

/** Extension host logs that code-server wrote under the user-data dir. */
export function extensionHostLogs(userDataDir) {
    const found = [];
    const walk = dir => {
        let entries = [];
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
            return;
        }
        for (const entry of entries) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (/exthost\.log$|^remoteexthost\.log$/i.test(entry.name)) found.push(full);
        }
    };
    walk(path.join(userDataDir, 'logs'));
    return found;
}

/**
 * Launches headless Chromium (Debian's, via playwright-core) with a fresh profile and opens
 * the workbench on `folder`. Page console errors go to dirs.browserLog.
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function openWorkbench({ server, dirs, folder, viewport = { width: 1400, height: 900 } }) {
    const { chromium } = await import('playwright-core');
    const context = await chromium.launchPersistentContext(dirs.chromiumProfile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport,
        timeout: 60_000,
    });
    const page = context.pages()[0] ?? await context.newPage();
    const browserLog = fs.createWriteStream(dirs.browserLog, { flags: 'a' });
    page.on('console', message => {
        if (message.type() === 'error' || message.type() === 'warning') browserLog.write(`[${message.type()}] ${message.text()}\n`);
    });
    page.on('pageerror', error => browserLog.write(`[pageerror] ${error.stack ?? error}\n`));
    await page.goto(`${server.url}?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    let closed = false;
    return {
        context,
        page,
        close: async () => {
            if (closed) return;
            closed = true;
            await Promise.race([context.close().catch(() => {}), sleep(10_000)]);
            browserLog.end();
        },
    };
}
