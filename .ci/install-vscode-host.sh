#!/usr/bin/env bash
# Installs what the VS Code host tests need on a fresh Debian machine:
#   - Debian: libkrb5-dev (builds code-server's native `kerberos` module), chromium (the workbench)
#   - .vscode-test/code-server/: Node 24 + code-server (scripts/vscode-host/install.mjs, cached)
# Safe to run again: apt is skipped when both packages are there, install.mjs is a no-op
# once its stamp file matches.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "install-vscode-host: apt-get install ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "install-vscode-host: libkrb5-dev and chromium already installed"
fi

node scripts/vscode-host/install.mjs
