#!/usr/bin/env bash
# `npm test`: every test of the project, in order of cost, ending with one line
# "N passed, N failed" for the whole run. Sets up what a fresh machine lacks first
# (Debian packages and code-server, see install-vscode-host.sh); npm packages come from `npm ci`.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
passed=0 failed=0

count_tap() { # adds the "# pass N" / "# fail N" lines of a TAP file to the totals
  local p f
  p=$(grep -E '^# pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  f=$(grep -E '^# fail [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + p)) failed=$((failed + f))
}
count_json() { # adds {passed, failed} of a host/UI suite result; a missing file is one failure
  if [ -s "$1" ]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log((r.passed|0)+" "+(r.failed|0))' "$1")
    passed=$((passed + p)) failed=$((failed + f))
  else
    echo "!! $2 produced no result"; failed=$((failed + 1))
  fi
}
step() { echo; echo "=== $*"; }

step "type check"
if npx tsc --noEmit; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "lint and format (ESLint, Prettier)"
if npm run --silent lint; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "unit tests (Node test runner, real HTTP against the sandbox)"
# --test-timeout: a test (and a test file) that hangs fails after 2 minutes instead of holding up the run;
# tests that start processes or servers end them in after/afterEach/finally, so a failure cannot hang either.
node --import tsx --test --test-concurrency=2 --test-timeout=120000 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/unit.tap" test/unit/*.test.ts
count_tap "$results/unit.tap"

step "build"
if ! node esbuild.mjs --tests; then
  echo "build failed"; failed=$((failed + 1))
else
  step "install the real VS Code (code-server) if missing"
  if bash scripts/install-vscode-host.sh; then
    step "extension-host tests (real VS Code, real SecretStorage, sandbox over HTTP)"
    VBOT_RESULT_FILE="$results/host.json" npx tsx test/harness/runHostTests.ts
    count_json "$results/host.json" "extension-host tests"

    step "UI tests (the workbench driven like a person, screenshots in test-results/)"
    VBOT_RESULT_FILE="$results/ui.json" npx tsx test/ui/workbench.ui.ts
    count_json "$results/ui.json" "UI tests"
    VBOT_RESULT_FILE="$results/ui-as-code.json" npx tsx test/ui/asCode.ui.ts
    count_json "$results/ui-as-code.json" "UI tests (types as code, history, undo)"
    VBOT_RESULT_FILE="$results/ui-as-code-language.json" npx tsx test/ui/asCodeLanguage.ui.ts
    count_json "$results/ui-as-code-language.json" "UI tests (vbot-types.json: problems, CodeLens, quick fix)"
    VBOT_RESULT_FILE="$results/ui-untrusted.json" npx tsx test/ui/untrusted.ui.ts
    count_json "$results/ui-untrusted.json" "UI tests (untrusted workspace)"
    VBOT_RESULT_FILE="$results/ui-check-api.json" npx tsx test/ui/checkApi.ui.ts
    count_json "$results/ui-check-api.json" "UI tests (API compatibility check)"
    VBOT_RESULT_FILE="$results/ui-import.json" npx tsx test/ui/import.ui.ts
    count_json "$results/ui-import.json" "UI tests (import: list only or create on VBot; CSV separator)"
    VBOT_RESULT_FILE="$results/ui-history.json" npx tsx test/ui/history.ui.ts
    count_json "$results/ui-history.json" "UI tests (the History view, undo of any entry, restore)"
    VBOT_RESULT_FILE="$results/ui-keyboard.json" npx tsx test/ui/keyboard.ui.ts
    count_json "$results/ui-keyboard.json" "UI tests (keys in the tree, title-bar commands ask)"
    VBOT_RESULT_FILE="$results/ui-signed-out.json" npx tsx test/ui/signedOut.ui.ts
    count_json "$results/ui-signed-out.json" "UI tests (signed-out state, Open Settings)"
    VBOT_RESULT_FILE="$results/ui-retry.json" npx tsx test/ui/retry.ui.ts
    count_json "$results/ui-retry.json" "UI tests (sign in before the questions, Retry)"
    VBOT_RESULT_FILE="$results/ui-accounts.json" npx tsx test/ui/accounts.ui.ts
    count_json "$results/ui-accounts.json" "UI tests (the Accounts menu)"
    VBOT_RESULT_FILE="$results/ui-multi-select.json" npx tsx test/ui/multiSelect.ui.ts
    count_json "$results/ui-multi-select.json" "UI tests (multi-select, progress in the view)"
    VBOT_RESULT_FILE="$results/ui-walkthrough.json" npx tsx test/ui/walkthrough.ui.ts
    count_json "$results/ui-walkthrough.json" "UI tests (walkthrough, welcome views, view title)"
    VBOT_RESULT_FILE="$results/ui-fields.json" npx tsx test/ui/fieldsTree.ui.ts
    count_json "$results/ui-fields.json" "UI tests (customer fields: tree, edit, delete with its count)"
    VBOT_RESULT_FILE="$results/ui-fields-as-code.json" npx tsx test/ui/fieldsAsCode.ui.ts
    count_json "$results/ui-fields-as-code.json" "UI tests (choice lists as code: plan with drift, apply)"
    VBOT_RESULT_FILE="$results/ui-f5.json" npx tsx test/ui/runExtension.ui.ts
    count_json "$results/ui-f5.json" "UI tests (F5: launch.json's Run Extension in code-server)"
    # Last: packaging replaces dist/extension.js with the minified build.
    VBOT_RESULT_FILE="$results/ui-vsix.json" npx tsx test/ui/vsix.ui.ts
    count_json "$results/ui-vsix.json" "UI tests (packaged .vsix installed with --install-extension)"
  else
    echo "could not install code-server"; failed=$((failed + 1))
  fi

  # The newest VS Code too (its version: scripts/install-vscode-host-latest.sh), on its own Node from npm:
  # the host tests that run every command once, and the packaged .vsix as a user installs it.
  step "the newest VS Code: install (code-server and its Node, if missing)"
  t=$SECONDS
  if bash scripts/install-vscode-host-latest.sh; then
    echo "(install step: $((SECONDS - t))s)"
    step "the newest VS Code: extension-host tests, every command once"
    t=$SECONDS
    node esbuild.mjs --tests >/dev/null   # the .vsix step above left the minified build (and the .vsix) in dist/
    VBOT_VSCODE_HOST=latest VBOT_TEST_SUBSET=every-command VBOT_RESULT_FILE="$results/host-latest.json" npx tsx test/harness/runHostTests.ts
    count_json "$results/host-latest.json" "extension-host tests on the newest VS Code"
    echo "(host tests on the newest VS Code: $((SECONDS - t))s)"
    step "the newest VS Code: UI tests with the packaged .vsix (screenshots in test-results/ui-vsix-latest/)"
    t=$SECONDS
    VBOT_VSCODE_HOST=latest VBOT_RESULT_FILE="$results/ui-vsix-latest.json" npx tsx test/ui/vsix.ui.ts   # packages again (~15 s)
    count_json "$results/ui-vsix-latest.json" "UI tests (packaged .vsix) on the newest VS Code"
    echo "(.vsix UI tests on the newest VS Code: $((SECONDS - t))s)"
  else
    echo "could not install the newest code-server"; failed=$((failed + 1))
  fi
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
