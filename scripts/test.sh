#!/usr/bin/env bash
# Installs whatever is missing (pinned versions) and runs every test:
#   0. lints: `cargo clippy` (warnings are errors) and `cargo fmt --check`;
#   1. host `cargo test` of the pure model (unit + property tests), and the
#      agreement figures cross-checked against scikit-learn (tests/crosscheck), and the
#      build hook (tests/build: scripts/post_build.py's steps fail when they do not apply;
#      its patched glue decoder against TextDecoder, with node's test runner);
#   2. wasm-bindgen-test browser tests in headless Chromium and Firefox; a clone of the
#      committed HEAD built with plain `trunk build --release` (what a fresh clone needs);
#   3. the release build's size against bench/budget.toml (scripts/size_budget.py: the first
#      load's parts and each later-loaded file, gzip bytes); end-to-end WebDriver tests of the
#      release build (and of the single file,
#      scripts/build-single.sh): one pytest process per browser, side by side, each
#      with its own log and temp dir (the server of each takes a free port): headless
#      Chromium (chromedriver) and Firefox ESR (geckodriver) run the whole suite, WebKit
#      (WebKitGTK's MiniBrowser driven by WebKitWebDriver, on a virtual X display of
#      `xvfb-run -a`) the subset listed in tests/e2e/webkit.py.
# Env: E2E_BROWSERS=chromium,firefox,webkit (the default); SKIP_E2E=1 to skip step 3.
# A failed install step stops it at once, naming the step (exit 1); a browser named in
# E2E_BROWSERS whose binary or driver (for WebKit: or xvfb-run) is missing fails the
# end-to-end step (never a skip).
set -uo pipefail
source "$(dirname "$0")/tools.sh"
if ! ensure_test_tools; then
  printf '\nFAILED: tool installation (the step is named above); no test was run\n' >&2
  exit 1
fi
# From here on a failed step is noted and the next one runs; the script fails at the end.
set +e
cd "$ROOT"

failed=()
step() {
  local name="$1"; shift
  log "$name"
  if ! "$@"; then failed+=("$name"); fi
}

# The end-to-end suite once per browser of the comma list $1, the browsers side by
# side: each pytest process writes its own log and temp dir; all must pass, and the
# log of each one that failed is printed.
e2e_in_parallel() {
  local out; out="$(mktemp -d "${TMPDIR:-/tmp}/e2e-run.XXXXXX")"
  local browsers=() pids=() b i rc=0
  IFS=, read -r -a browsers <<<"$1"
  for b in "${browsers[@]}"; do
    b="${b// /}"; [ -n "$b" ] || continue
    log "end-to-end tests in $b (log: $out/$b.log)"
    # WebKit has no headless mode: its pytest process gets its own virtual X display
    # (-noreset: the server stays up between one test's browser and the next one's).
    local display=()
    [ "$b" = webkit ] && display=("$E2E_XVFB_RUN" -a -s "-screen 0 1280x1024x24 -noreset")
    E2E_DIST="$ROOT/dist" E2E_SINGLE="$ROOT/dist-single/annotator.html" E2E_BROWSERS="$b" \
      E2E_ARTIFACTS="$out/$b-artifacts" \
      "${display[@]}" python3 -m pytest -q -p no:cacheprovider --basetemp="$out/$b-tmp" tests/e2e >"$out/$b.log" 2>&1 &
    pids+=("$!:$b")
  done
  for i in "${pids[@]}"; do
    if wait "${i%%:*}"; then
      log "end-to-end tests in ${i#*:}: passed ($(tail -n 1 "$out/${i#*:}.log"))"
    else
      rc=1
      log "end-to-end tests in ${i#*:}: FAILED; its log ($out/${i#*:}.log):"
      cat "$out/${i#*:}.log" >&2
    fi
  done
  return "$rc"
}

# A clone of the committed HEAD (no work-tree changes, no .tools/, no script run in it) builds
# with plain `trunk build --release`, as a Trunk user's fresh clone does. PATH keeps the tools
# tools.sh installed (trunk, wasm-bindgen at Cargo.lock's version, wasm-opt), as a Trunk user
# has them; trunk takes them from PATH when their versions fit and downloads nothing, so no
# --offline. The clone has its own cargo target dir: a full release compile (~2.5 min here).
fresh_clone_build() {
  local dir rc=0 head
  head="$(git -C "$ROOT" rev-parse HEAD)" || return 1
  dir="$(mktemp -d "${TMPDIR:-/tmp}/fresh-clone.XXXXXX")"
  log "cloning $head into $dir (uncommitted changes are not in it)"
  { git clone --quiet --no-checkout "$ROOT" "$dir/annotator" &&
      git -C "$dir/annotator" checkout --quiet --detach "$head" &&
      (cd "$dir/annotator" && env -u CARGO_TARGET_DIR trunk build --release) &&
      [ -f "$dir/annotator/dist/index.html" ] && [ -f "$dir/annotator/dist/pouchdb.min.js" ]; } || rc=1
  rm -rf "$dir"
  return "$rc"
}

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export SE_OFFLINE=true

step "lint (cargo clippy, warnings are errors)" cargo clippy --workspace --all-targets -- -D warnings
step "format (cargo fmt --check)" cargo fmt --all -- --check
step "host tests (cargo test)" cargo test --workspace --quiet
step "agreement cross-check with scikit-learn (pytest tests/crosscheck)" python3 -m pytest -q -p no:cacheprovider tests/crosscheck
step "build hook's steps (pytest tests/build)" python3 -m pytest -q -p no:cacheprovider tests/build
step "patched glue decoder against TextDecoder (node --test tests/build)" node --test tests/build/
step "browser tests in Chromium (wasm-bindgen-test)" \
  env -u GECKODRIVER CHROMEDRIVER="$CHROMEDRIVER" cargo test --target wasm32-unknown-unknown --test browser
step "browser tests in Firefox (wasm-bindgen-test)" \
  env -u CHROMEDRIVER GECKODRIVER="$GECKODRIVER" cargo test --target wasm32-unknown-unknown --test browser
step "fresh clone of HEAD: plain trunk build --release" fresh_clone_build
if [ "${SKIP_E2E:-0}" != 1 ]; then
  if build_release; then
    step "size budget of the release build (scripts/size_budget.py, bench/budget.toml)" python3 scripts/size_budget.py dist
    step "single-file build (scripts/build-single.sh)" bash scripts/build-single.sh
    step "end-to-end tests (WebDriver: ${E2E_BROWSERS:=chromium,firefox,webkit})" e2e_in_parallel "$E2E_BROWSERS"
  else
    failed+=("release build (trunk)")
  fi
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
log "all tests passed"
