#!/usr/bin/env bash
# `npm start`: try the extension by hand in a real VS Code (code-server in your browser) against the
# local VBot sandbox. Ctrl+C stops both.
#   VBOT_SANDBOX_PORT (8787)  VBOT_CODE_PORT (8080)
#   VBOT_SANDBOX_URL          use an already running API instead of starting the sandbox
#
# Why it is built like this:
# - code-server has no --extensionDevelopmentPath flag; the extension is loaded as a development
#   extension through the `payload` parameter of the workbench URL, so the printed URL is the way
#   in (opening the bare address gives a VS Code without the extension).
# - State (user data, settings, extension storage, the demo workspace) persists in
#   .vscode-host/start/, so signing in once survives restarts; delete that folder to start over.
# - The extension's cache lives in its globalStorage, which code-server keeps on the server side in
#   <user-data-dir>/User/globalStorage/<extension id, lower case>/. Seeding it from
#   test/sandbox/demoCache.ts (the demo account's projects) shows cached customer types before the
#   first sign-in, as if the user had imported them.
# - Each child runs in its own session (setsid) so Ctrl+C reaches this script only, and cleanup
#   stops each child's whole process group (tsx's node, code-server's extension host). macOS has no
#   setsid: perl's setpgrp gives the child its own process group there, which is all cleanup needs.
# - On a machine without apt-get, install-vscode-host.sh says what is missing (--no-browser: your own
#   browser opens the workbench, so no headless Chromium is needed for this).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
HOST_DIR=${VBOT_HOST_DIR:-$ROOT/.vscode-host}
STATE=$HOST_DIR/start
CODE_SERVER=$HOST_DIR/cs/node_modules/code-server/out/node/entry.js
SANDBOX_PORT=${VBOT_SANDBOX_PORT:-8787}
CODE_PORT=${VBOT_CODE_PORT:-8080}
EXTENSION_ID=vbotcrm.vbot-crm
DEMO_VBOT_ID=VB-DEMO-0001

pids=()
cleanup() {
  trap - EXIT INT TERM
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in ${pids[@]+"${pids[@]}"}; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && return
    sleep 0.1
  done
  for pid in ${pids[@]+"${pids[@]}"}; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo; echo "stopping..."; exit 130' INT
trap 'exit 143' TERM

die() { echo "start: $*" >&2; exit 1; }
# detached <cmd…> &: <cmd> in a process group of its own whose id is $! (exec keeps the background subshell's pid).
detached() { if command -v setsid >/dev/null; then exec setsid "$@"; else exec perl -e 'setpgrp(0, 0); exec @ARGV or die "$ARGV[0]: $!\n"' "$@"; fi; }

# wait_for <log> <extended regex> <pid> <seconds>: prints the first match in the log, or dies with
# the log's tail when the process ends or time runs out.
wait_for() {
  local log=$1 re=$2 pid=$3 deadline=$((SECONDS + $4)) hit
  while :; do
    hit=$(grep -oE "$re" "$log" | head -n 1 || true)
    [ -n "$hit" ] && { echo "$hit"; return; }
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$log" >&2
      die "gave up waiting for /$re/ in $log"
    fi
    sleep 0.2
  done
}

bash scripts/install-vscode-host.sh --no-browser
node esbuild.mjs
mkdir -p "$STATE/user-data/User" "$STATE/extensions" "$STATE/xdg-config" "$STATE/xdg-data" "$STATE/workspace"
: >"$STATE/config.yaml"

# 1. The VBot API: the sandbox (it prints "Base URL : http://127.0.0.1:PORT/v2.0", and "Admin key: KEY",
#    the key its /__sandbox/ admin API wants in the X-Sandbox-Admin-Key header).
SANDBOX_ADMIN_KEY=
if [ -n "${VBOT_SANDBOX_URL:-}" ]; then
  SANDBOX_URL=$VBOT_SANDBOX_URL
else
  detached npx tsx test/sandbox/main.ts --port "$SANDBOX_PORT" >"$STATE/sandbox.log" 2>&1 &
  pids+=($!)
  SANDBOX_URL=$(wait_for "$STATE/sandbox.log" 'Base URL *: *[^[:space:]]+' $! 60 | sed -E 's/^Base URL *: *//')
  SANDBOX_ADMIN_KEY=$(wait_for "$STATE/sandbox.log" 'Admin key *: *[^[:space:]]+' "${pids[0]}" 10 | sed -E 's/^Admin key *: *//')
fi

# 2. User settings: the sandbox URL and demo VBotID (always), quiet defaults (only if unset).
node - "$STATE/user-data/User/settings.json" "$SANDBOX_URL" "$DEMO_VBOT_ID" <<'EOF'
const fs = require('fs');
const [file, baseUrl, vbotId] = process.argv.slice(2);
let settings = {};
if (fs.existsSync(file)) {
  try { settings = JSON.parse(fs.readFileSync(file, 'utf8')); }
  catch { fs.copyFileSync(file, file + '.bak'); console.error(`start: ${file} was not plain JSON; saved as .bak and rewritten`); }
}
const quiet = {
  'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off',
  'update.mode': 'none', 'extensions.ignoreRecommendations': true, 'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false, 'chat.commandCenter.enabled': false, 'git.openRepositoryInParentFolders': 'never',
};
fs.writeFileSync(file, JSON.stringify({ ...quiet, ...settings, 'vbotCrm.baseUrl': baseUrl, 'vbotCrm.vbotId': vbotId }, null, 2));
EOF
# code-server is a remote window: the machine-scoped base URL and VBotID are read from the remote machine settings.
# With the sandbox, also a profile "demo-v3" for its API v3 (project SALES, its customer fields): sign in on it
# with the demo API key the sandbox prints.
mkdir -p "$STATE/user-data/Machine"
node -e '
const [file, baseUrl, vbotId, own] = process.argv.slice(1);
const settings = { "vbotCrm.baseUrl": baseUrl, "vbotCrm.vbotId": vbotId };
if (own === "1") settings["vbotCrm.profiles"] = [{ name: "demo-v3", baseUrl: baseUrl.replace(/\/v2\.0$/, "/v3.0"), vbotId, apiVersion: "v3", projectCode: "SALES" }];
require("fs").writeFileSync(file, JSON.stringify(settings, null, 2));
' "$STATE/user-data/Machine/settings.json" "$SANDBOX_URL" "$DEMO_VBOT_ID" "$([ -n "$SANDBOX_ADMIN_KEY" ] && echo 1 || echo 0)"

# 3. Demo cache, only on first start (the extension owns it afterwards).
CACHE_DIR=$STATE/user-data/User/globalStorage/$EXTENSION_ID
if [ ! -e "$CACHE_DIR/customer-types.json" ]; then
  mkdir -p "$CACHE_DIR"
  npx tsx test/sandbox/demoCache.ts "$CACHE_DIR/customer-types.json"
fi
[ -f "$STATE/workspace/README.md" ] || echo "# VBot CRM demo workspace" >"$STATE/workspace/README.md"

# 4. code-server, isolated from ~/.config and ~/.local (XDG_*), no marketplace (EXTENSIONS_GALLERY).
detached env EXTENSIONS_GALLERY='{}' XDG_CONFIG_HOME="$STATE/xdg-config" XDG_DATA_HOME="$STATE/xdg-data" \
  node "$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$CODE_PORT" --config "$STATE/config.yaml" \
  --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened >"$STATE/code-server.log" 2>&1 &
pids+=($!)
wait_for "$STATE/code-server.log" 'HTTP server listening' $! 60 >/dev/null

URL=$(node -e '
const [port, folder, ext] = process.argv.slice(1);
const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const payload = JSON.stringify([["extensionDevelopmentPath", remote(ext)]]);
console.log(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
' "$CODE_PORT" "$STATE/workspace" "$ROOT")

cat <<EOF

VBot CRM is running.
  Open     : $URL
  VBot API : $SANDBOX_URL${SANDBOX_ADMIN_KEY:+
  Admin key: $SANDBOX_ADMIN_KEY (X-Sandbox-Admin-Key header, for $(echo "$SANDBOX_URL" | sed -E 's#^([a-z]+://[^/]+).*#\1#')/__sandbox/…)}
  Sign in  : demo / demo123   (VBotID $DEMO_VBOT_ID is preset in the user settings)${SANDBOX_ADMIN_KEY:+
  API v3   : profile "demo-v3" (VBot: Switch Profile…), API key demo-v3-api-key-0001: the customer fields of SALES}
  Logs     : $STATE/code-server.log${pids[1]:+, $STATE/sandbox.log}
  State    : $STATE (delete it to start over)
After a rebuild (npm run build), run "Developer: Reload Window" in VS Code to load the new code.
Press Ctrl+C to stop.
EOF

# Stop everything as soon as either child ends on its own.
set +e
if [ "${BASH_VERSINFO[0]}${BASH_VERSINFO[1]}" -ge 43 ]; then wait -n "${pids[@]}"
else while kill -0 "${pids[@]}" 2>/dev/null; do sleep 1; done; fi   # bash < 4.3 (macOS's /bin/bash) has no wait -n
echo "start: a background process ended; see the logs above. Stopping." >&2
exit 1
