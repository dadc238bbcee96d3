#!/usr/bin/env bash
# Installs whatever is missing (pinned versions) and runs every test:
#   1. host `cargo test` of the pure model (unit + property tests);
#   2. wasm-bindgen-test browser tests in headless Chromium and Firefox;
#   3. end-to-end WebDriver tests of the release build (and of the single file,
#      scripts/build-single.sh) in Chromium and Firefox.
# Env: E2E_BROWSERS=chromium,firefox (default both); SKIP_E2E=1 to skip step 3.
set -uo pipefail
source "$(dirname "$0")/tools.sh"
set +e
ensure_test_tools || { echo "tool installation failed" >&2; exit 1; }
cd "$ROOT"

failed=()
step() {
  local name="$1"; shift
  log "$name"
  if ! "$@"; then failed+=("$name"); fi
}

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export SE_OFFLINE=true

step "host tests (cargo test)" cargo test --workspace --quiet
step "browser tests in Chromium (wasm-bindgen-test)" \
  env -u GECKODRIVER CHROMEDRIVER="$CHROMEDRIVER" cargo test --target wasm32-unknown-unknown --test browser
step "browser tests in Firefox (wasm-bindgen-test)" \
  env -u CHROMEDRIVER GECKODRIVER="$GECKODRIVER" cargo test --target wasm32-unknown-unknown --test browser
if [ "${SKIP_E2E:-0}" != 1 ]; then
  if build_release; then
    step "single-file build (scripts/build-single.sh)" bash scripts/build-single.sh
    step "end-to-end tests (WebDriver: ${E2E_BROWSERS:=chromium,firefox})" \
      env E2E_DIST="$ROOT/dist" E2E_SINGLE="$ROOT/dist-single/annotator.html" E2E_BROWSERS="$E2E_BROWSERS" \
      python3 -m pytest -q -p no:cacheprovider tests/e2e
  else
    failed+=("release build (trunk)")
  fi
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
log "all tests passed"
