#!/usr/bin/env bash
# Installs the VS Code used by the extension-host tests, UI tests and `npm start`:
# code-server 4.100.3 (= VS Code 1.100.3) into ${VBOT_HOST_DIR:-<repo>/.vscode-host}/cs, plus the
# Debian packages it needs. Idempotent and quiet: prints nothing when everything is in place.
#   --no-browser  for `npm start` (your own browser opens the workbench): on a machine without apt-get,
#                 do not ask for the headless Chromium the tests drive. (On Debian it is installed anyway.)
# Without apt-get (macOS, Fedora, Arch, …) nothing is installed for you: it checks for the same tools
# (rg, a C/C++ toolchain, python3, Kerberos headers on Linux, Chromium or Chrome; $CHROMIUM or
# $CHROME_PATH name a browser elsewhere) and, if any is missing, says which and where to get it.
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
# VBOT_CS_VERSION, VBOT_CS_PREFIX, VBOT_CS_NODE_MAJOR: another code-server, elsewhere, on another Node
# (NODEDIR = that Node's folder with include/, for node-gyp); install-vscode-host-latest.sh sets them.
set -euo pipefail

CS_VERSION=${VBOT_CS_VERSION:-4.100.3}
NODE_MAJOR=${VBOT_CS_NODE_MAJOR:-20}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST_DIR=${VBOT_HOST_DIR:-$ROOT/.vscode-host}
PREFIX=${VBOT_CS_PREFIX:-$HOST_DIR/cs}
CS=$PREFIX/node_modules/code-server
APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev ripgrep chromium)

die() { echo "install-vscode-host: $*" >&2; exit 1; }

NEED_BROWSER=1
[ "${1:-}" = --no-browser ] && NEED_BROWSER=0
# The platform part of code-server's bin script names (code-linux.sh, code-darwin.sh).
PLATFORM=linux
[ "$(uname -s)" = Darwin ] && PLATFORM=darwin

has_apt() { command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; }

# A Chromium or Chrome for playwright; keep in step with findChromium() in test/harness/codeServer.ts.
find_browser() {
  local c
  for c in "${CHROMIUM:-}" "${CHROME_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome \
    /usr/bin/google-chrome-stable /snap/bin/chromium "/Applications/Chromium.app/Contents/MacOS/Chromium" \
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}

# No apt-get: name what is missing and where to get it, instead of failing on apt-get.
check_without_apt() {
  local missing=()
  if ! installed; then
    command -v rg >/dev/null || missing+=("ripgrep (rg on the PATH; code-server's search): macOS: brew install ripgrep; Fedora: sudo dnf install ripgrep; Arch: sudo pacman -S ripgrep; or https://github.com/BurntSushi/ripgrep/releases")
    { command -v c++ >/dev/null && command -v make >/dev/null; } || missing+=("a C/C++ compiler and make (node-gyp builds code-server's native modules): macOS: xcode-select --install; Fedora: sudo dnf install gcc-c++ make; Arch: sudo pacman -S base-devel")
    command -v python3 >/dev/null || missing+=("python3 (node-gyp): macOS: xcode-select --install or brew install python; Fedora: sudo dnf install python3; Arch: sudo pacman -S python")
    if [ "$PLATFORM" = linux ] && ! command -v krb5-config >/dev/null; then
      missing+=("Kerberos development files (krb5-config; code-server's kerberos module): Fedora: sudo dnf install krb5-devel; Arch: sudo pacman -S krb5; openSUSE: sudo zypper install krb5-devel")
    fi
  fi
  if [ "$NEED_BROWSER" = 1 ] && ! find_browser >/dev/null; then
    missing+=("Chromium or Google Chrome (headless, for the host and UI tests; npm start does not need it): https://www.google.com/chrome/ or macOS: brew install --cask chromium; Fedora: sudo dnf install chromium. Installed somewhere else? CHROMIUM=/path/to/chrome npm test")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  {
    echo "install-vscode-host: this machine has no apt-get (not Debian or Ubuntu), so nothing is installed for you."
    echo "npm start and npm test run VS Code as code-server $CS_VERSION from npm, which needs, and this machine lacks:"
    local m
    for m in "${missing[@]}"; do echo "  - $m"; done
    echo "Install them and run the command again (code-server itself then installs into ${PREFIX})."
    echo "On Windows, use WSL 2 with Ubuntu or Debian: there these commands install what they need themselves."
    echo "With a desktop VS Code you need none of this: open the folder and press F5 (CONTRIBUTING.md)."
  } >&2
  exit 1
}

# (Newer code-server's node-pty ships prebuilds, so there the marker the smoke test leaves is the last thing.)
installed() { [ -f "$CS/out/node/entry.js" ] && grep -q "\"version\": \"$CS_VERSION\"" "$CS/package.json" \
  && { [ -f "$CS/lib/vscode/node_modules/node-pty/build/Release/pty.node" ] || [ -f "$CS/.vbot-installed" ]; }; }

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
  command -v node >/dev/null || die "node is not on PATH (need Node $NODE_MAJOR)"
  node --version | grep -q "^v$NODE_MAJOR\." || die "code-server $CS_VERSION needs Node $NODE_MAJOR on PATH, found $(node --version) (nvm install $NODE_MAJOR, or https://nodejs.org/en/download)"
  if [ -n "${NODEDIR:-}" ]; then export npm_config_nodedir=$NODEDIR; fi   # node-gyp headers of a Node from npm
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
  (cd bin/remote-cli && ln -sf "code-$PLATFORM.sh" code-server)
  (cd bin/helpers && ln -sf "browser-$PLATFORM.sh" browser.sh)
  (cd extensions && "${npm[@]}" install --omit=dev)
  # Smoke test with a throw-away config dir (code-server writes a default config.yaml otherwise).
  local xdg; xdg=$(mktemp -d)
  XDG_CONFIG_HOME=$xdg XDG_DATA_HOME=$xdg node "$CS/out/node/entry.js" --version | grep -q "^$CS_VERSION " \
    || { rm -rf "$xdg"; die "code-server installed but does not run"; }
  rm -rf "$xdg"
  touch "$CS/.vbot-installed"
}

if has_apt; then
  ensure_apt_packages
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing although the chromium package is installed"
else
  check_without_apt
fi
installed && exit 0

HOST_DIR=$(dirname "$PREFIX")   # lock and log next to the install (.vscode-host/ for the default one)
mkdir -p "$HOST_DIR"
exec 9>"$HOST_DIR/.install.lock"
if command -v flock >/dev/null; then flock 9; fi   # (macOS has no flock: no guard against two parallel runs there)
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
