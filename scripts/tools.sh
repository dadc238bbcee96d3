#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing, at pinned
# versions; skips what is already present. Sourced by serve.sh and test.sh.
# Usage: source scripts/tools.sh; ensure_build_tools; ensure_test_tools
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
GECKODRIVER_VERSION="0.37.1"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen version the app is locked to (the CLI must match it exactly).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# npm package NAME@VERSION into .tools/ unless that version (and the file FILE inside it, if given)
# is already there. Extra arguments go to npm (e.g. --ignore-scripts).
npm_pin() {
  local name="$1" version="$2" file="${3:-}"; shift 3 || shift $#
  local dir="$TOOLS/node_modules/$name"
  if grep -q "\"version\": \"$version\"" "$dir/package.json" 2>/dev/null && { [ -z "$file" ] || [ -f "$dir/$file" ]; }; then
    return 0
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  log "npm install $name@$version into .tools/"
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{"private":true}' > "$TOOLS/package.json"
  npm install --silent "$@" --prefix "$TOOLS" "$name@$version" >/dev/null
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_build_tools() {
  command -v cargo >/dev/null || { echo "rustup/cargo is required: https://rustup.rs" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    log "cargo install trunk@$TRUNK_VERSION (takes several minutes once)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
  local wbg; wbg="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$\| $wbg "; then
    log "cargo install wasm-bindgen-cli $wbg (takes a few minutes once)"
    # Not --locked: one locked dependency of the CLI is missing from the registry.
    cargo install --force wasm-bindgen-cli --version "$wbg"
  fi
  # PouchDB (npm, pinned): the browser side of team sync. Its dist/pouchdb.min.js is copied into
  # the build by index.html and loaded only when a person turns sync on (never committed).
  npm_pin pouchdb 9.0.0 dist/pouchdb.min.js --ignore-scripts
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "npm install binaryen@$BINARYEN_VERSION (wasm-opt) into .tools/"
    mkdir -p "$TOOLS"
    (cd "$TOOLS" && [ -f package.json ] || echo '{"private":true}' > "$TOOLS/package.json")
    npm install --silent --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

ensure_test_tools() {
  ensure_build_tools
  # The lint steps of scripts/test.sh.
  local comp
  for comp in clippy rustfmt; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$comp"; then
      log "rustup component add $comp"
      rustup component add "$comp"
    fi
  done
  apt_install chromium chromium-driver firefox-esr
  if ! geckodriver --version 2>/dev/null | grep -q "$GECKODRIVER_VERSION"; then
    log "cargo install geckodriver@$GECKODRIVER_VERSION"
    cargo install --locked "geckodriver@$GECKODRIVER_VERSION"
  fi
  if ! python3 -c 'import selenium, pytest, pyld' 2>/dev/null; then
    log "pip install -r tests/e2e/requirements.txt"
    python3 -m pip install -q -r "$ROOT/tests/e2e/requirements.txt"
  fi
  # scikit-learn, the reference the agreement figures are cross-checked against (tests/crosscheck).
  if ! python3 -c 'import sklearn' 2>/dev/null; then
    log "pip install -r tests/crosscheck/requirements.txt"
    python3 -m pip install -q -r "$ROOT/tests/crosscheck/requirements.txt"
  fi
  # axe-core (npm) for the accessibility check of the end-to-end tests
  # (tests/e2e/test_a11y_keyboard.py injects .tools/node_modules/axe-core/axe.min.js).
  npm_pin axe-core 4.14.1 axe.min.js
  # pouchdb-server (npm, pinned): the CouchDB-compatible server the team-sync tests and the
  # benchmark start on 127.0.0.1 (tests/e2e/sync_server.py). Its native leveldown ships prebuilt.
  npm_pin pouchdb-server 4.2.0 "" --ignore-scripts
  export CHROMEDRIVER=/usr/bin/chromedriver
  export GECKODRIVER="$(command -v geckodriver)"
}

# Release build of the app into dist/ (relative asset URLs).
build_release() {
  log "trunk build --release"
  (cd "$ROOT" && trunk build --release --offline)
}
