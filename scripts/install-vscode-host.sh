#!/usr/bin/env bash
# Installs the VS Code used by the extension-host tests, UI tests and `npm start`:
# code-server 4.100.3 (= VS Code 1.100.3) into ${VBOT_HOST_DIR:-<repo>/.vscode-host}/cs, plus the
# Debian packages it needs. Idempotent and quiet: prints nothing when everything is in place.
#
# Why it is done this way:
# - @vscode/test-electron downloads VS Code from Microsoft; CI and dev boxes here reach only the
#   npm registry and Debian, so we use code-server from npm and Debian's chromium.
# - 4.100.3 is the last code-server whose engines.node is 20 (newer ones need Node 22/24).
# - code-server's own postinstall would npm-install lib/vscode with scripts, and @vscode/ripgrep's
#   script downloads rg from GitHub. So: install with --ignore-scripts, link Debian's rg where
#   @vscode/ripgrep looks, then run the native builds (`npm rebuild`, via node-gyp, hence
#   build-essential/python3/pkg-config/libkrb5-dev) and the rest of postinstall by hand.
# - npm_config_yes: node-pty's install script runs `npx node-gyp`, which cancels without a TTY.
# - The completion test is the last thing the install produces that matters (node-pty's pty.node),
#   so an interrupted install is simply redone; a lock stops two parallel runs from racing.
set -euo pipefail

CS_VERSION=4.100.3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST_DIR=${VBOT_HOST_DIR:-$ROOT/.vscode-host}
PREFIX=$HOST_DIR/cs
CS=$PREFIX/node_modules/code-server
APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev ripgrep chromium)

die() { echo "install-vscode-host: $*" >&2; exit 1; }

installed() { [ -f "$CS/out/node/entry.js" ] && [ -f "$CS/lib/vscode/node_modules/node-pty/build/Release/pty.node" ]; }

ensure_apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing Debian packages (${missing[*]}) and not root; install them: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  local log; log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2; rm -f "$log"
    die "apt-get install ${missing[*]} failed"
  fi
  rm -f "$log"
}

install_code_server() {
  command -v node >/dev/null || die "node is not on PATH (need Node 20)"
  node --version | grep -q '^v20\.' || die "code-server $CS_VERSION needs Node 20 on PATH, found $(node --version)"
  export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  local npm=(npm --loglevel=error)
  mkdir -p "$PREFIX"
  [ -f "$PREFIX/package.json" ] || echo '{ "name": "vbot-vscode-host", "private": true }' >"$PREFIX/package.json"
  (cd "$PREFIX" && "${npm[@]}" install --ignore-scripts "code-server@$CS_VERSION")
  # argon2 (only for --hashed-password) tries a GitHub prebuilt first, then builds from source.
  (cd "$PREFIX" && "${npm[@]}" rebuild argon2)
  cd "$CS/lib/vscode"
  "${npm[@]}" install --omit=dev --ignore-scripts
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  "${npm[@]}" rebuild
  # The rest of code-server's ci/build/npm-postinstall.sh.
  rm -rf node_modules.asar && ln -s node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  (cd extensions && "${npm[@]}" install --omit=dev)
  # Smoke test with a throw-away config dir (code-server writes a default config.yaml otherwise).
  local xdg; xdg=$(mktemp -d)
  XDG_CONFIG_HOME=$xdg XDG_DATA_HOME=$xdg node "$CS/out/node/entry.js" --version | grep -q "^$CS_VERSION " \
    || { rm -rf "$xdg"; die "code-server installed but does not run"; }
  rm -rf "$xdg"
}

ensure_apt_packages
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing although the chromium package is installed"
installed && exit 0

mkdir -p "$HOST_DIR"
exec 9>"$HOST_DIR/.install.lock"
flock 9
installed && exit 0   # another run finished it while we waited for the lock

LOG=$HOST_DIR/install.log
started=$SECONDS
set +e   # (errexit is ignored inside an `if` condition, so the subshell enables it itself)
(set -e; install_code_server) >"$LOG" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ] || ! installed; then
  tail -n 40 "$LOG" >&2
  die "code-server $CS_VERSION install failed (full log: $LOG)"
fi
echo "install-vscode-host: code-server $CS_VERSION installed into $PREFIX in $((SECONDS - started))s"
