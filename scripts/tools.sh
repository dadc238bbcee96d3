#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing, at pinned
# versions; skips what is already present. Sourced by serve.sh and test.sh.
# Usage: source scripts/tools.sh; ensure_build_tools || exit 1; ensure_test_tools || exit 1
#
# Every install step is checked twice: the command must succeed, and afterwards
# the tool must be there at its version. A step that fails says which one it was
# ("FAILED install step: …") and the ensure_* function returns 1 at once, so the
# script that called it stops instead of running the tests without the tool.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
GECKODRIVER_VERSION="0.37.1"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf '\033[1;31m==> FAILED %s\033[0m\n' "$*" >&2; }

# Whether the output of a command holds a fixed string (read whole: `cmd | grep -q`
# under pipefail fails when grep stops reading first).
says() { local out; out="$("${@:2}" 2>/dev/null)" || return 1; [[ "$out" == *"$1"* ]]; }

# ensure NAME CHECK INSTALL...: nothing when CHECK (a command) succeeds; else runs the
# install step INSTALL, then CHECK again. Returns 1 naming the step when either fails.
ensure() {
  local name="$1" check="$2"; shift 2
  if $check; then return 0; fi
  log "$name"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" != 0 ]; then
    fail "install step: $name (exit $rc)"
    return 1
  fi
  if ! $check; then
    fail "install step: $name: it ended without error, but '$check' still fails"
    return 1
  fi
}

# The wasm-bindgen version the app is locked to (the CLI must match it exactly).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
has_debs() { local p; for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || return 1; done; }
has_cmd() { command -v "$1" >/dev/null; }

# Whether npm package NAME is in .tools/ at VERSION (with the file FILE inside it, if given).
has_pin() {
  local dir="$TOOLS/node_modules/$1" file="${3:-}"
  grep -q "\"version\": \"$2\"" "$dir/package.json" 2>/dev/null && { [ -z "$file" ] || [ -f "$dir/$file" ]; }
}
# npm_install NAME@VERSION [npm arguments]: into .tools/.
npm_install() {
  mkdir -p "$TOOLS" && { [ -f "$TOOLS/package.json" ] || echo '{"private":true}' > "$TOOLS/package.json"; } &&
    npm install --silent "${@:2}" --prefix "$TOOLS" "$1" >/dev/null
}
# npm package NAME@VERSION into .tools/ unless that version (and the file FILE inside it, if
# given) is already there. Extra arguments go to npm (e.g. --ignore-scripts).
npm_pin() {
  local name="$1" version="$2" file="${3:-}"; shift 3 || shift $#
  ensure "apt-get install nodejs npm" "has_cmd npm" apt_install nodejs npm || return
  ensure "npm install $name@$version into .tools/" "has_pin $name $version $file" npm_install "$name@$version" "$@"
}

has_wasm_target() { says wasm32-unknown-unknown rustup target list --installed; }
has_trunk() { says "$TRUNK_VERSION" trunk --version; }
has_wasm_bindgen() { says " $(wasm_bindgen_version)" wasm-bindgen --version; }
has_wasm_opt() { says "version ${BINARYEN_VERSION%%.*}" wasm-opt --version; }
has_component() { says "$1" rustup component list --installed; }
has_geckodriver() { says "$GECKODRIVER_VERSION" geckodriver --version; }
has_py() { python3 -c "import $1" 2>/dev/null; }

ensure_build_tools() {
  command -v cargo >/dev/null || { fail "rustup/cargo is required: https://rustup.rs"; return 1; }
  ensure "rustup target add wasm32-unknown-unknown" has_wasm_target rustup target add wasm32-unknown-unknown || return
  ensure "cargo install trunk@$TRUNK_VERSION (takes several minutes once)" has_trunk \
    cargo install --locked "trunk@$TRUNK_VERSION" || return
  # Not --locked: one locked dependency of the CLI is missing from the registry.
  ensure "cargo install wasm-bindgen-cli $(wasm_bindgen_version) (takes a few minutes once)" has_wasm_bindgen \
    cargo install --force wasm-bindgen-cli --version "$(wasm_bindgen_version)" || return
  ensure "apt-get install nodejs npm" "has_cmd npm" apt_install nodejs npm || return
  ensure "npm install binaryen@$BINARYEN_VERSION (wasm-opt) into .tools/" has_wasm_opt npm_install "binaryen@$BINARYEN_VERSION"
}

ensure_test_tools() {
  ensure_build_tools || return
  # The lint steps of scripts/test.sh.
  local comp
  for comp in clippy rustfmt; do
    ensure "rustup component add $comp" "has_component $comp" rustup component add "$comp" || return
  done
  ensure "apt-get install chromium chromium-driver firefox-esr" "has_debs chromium chromium-driver firefox-esr" \
    apt_install chromium chromium-driver firefox-esr || return
  # WebKit for the end-to-end tests: WebKitWebDriver driving WebKitGTK's MiniBrowser (which comes
  # with libwebkit2gtk-4.1-0), on the virtual X display of xvfb-run (MiniBrowser has no headless mode).
  ensure "apt-get install webkit2gtk-driver xvfb" "has_debs webkit2gtk-driver xvfb" \
    apt_install webkit2gtk-driver xvfb || return
  ensure "cargo install geckodriver@$GECKODRIVER_VERSION" has_geckodriver \
    cargo install --locked "geckodriver@$GECKODRIVER_VERSION" || return
  ensure "pip install -r tests/e2e/requirements.txt" "has_py selenium,pytest,pyld" \
    python3 -m pip install -q -r "$ROOT/tests/e2e/requirements.txt" || return
  # scikit-learn, the reference the agreement figures are cross-checked against (tests/crosscheck).
  ensure "pip install -r tests/crosscheck/requirements.txt" "has_py sklearn" \
    python3 -m pip install -q -r "$ROOT/tests/crosscheck/requirements.txt" || return
  # axe-core (npm) for the accessibility check of the end-to-end tests
  # (tests/e2e/test_a11y_keyboard.py injects .tools/node_modules/axe-core/axe.min.js).
  npm_pin axe-core 4.14.1 axe.min.js || return
  # pouchdb-server (npm, pinned): the CouchDB-compatible server the team-sync tests and the
  # benchmark start on 127.0.0.1 (tests/e2e/sync_server.py). Its native leveldown ships prebuilt.
  npm_pin pouchdb-server 4.2.0 "" --ignore-scripts || return
  # What the browser steps are given; each must be there (the drivers' browsers too).
  export CHROMEDRIVER=/usr/bin/chromedriver
  GECKODRIVER="$(command -v geckodriver)" || true
  export GECKODRIVER
  # WebKit's three may be pointed elsewhere (the e2e suite reads the same variables).
  export WEBKITWEBDRIVER="${WEBKITWEBDRIVER:-/usr/bin/WebKitWebDriver}"
  export E2E_WEBKIT_BIN="${E2E_WEBKIT_BIN:-/usr/lib/$(uname -m)-linux-gnu/webkit2gtk-4.1/MiniBrowser}"
  export E2E_XVFB_RUN="${E2E_XVFB_RUN:-/usr/bin/xvfb-run}"
  local tool
  for tool in /usr/bin/chromium "$CHROMEDRIVER" /usr/bin/firefox-esr "$GECKODRIVER" \
    "$WEBKITWEBDRIVER" "$E2E_WEBKIT_BIN" "$E2E_XVFB_RUN"; do
    if [ -z "$tool" ] || [ ! -f "$tool" ] || [ ! -x "$tool" ]; then
      fail "tool check: '${tool:-geckodriver}' is not an executable file after the install steps"
      return 1
    fi
  done
}

# Release build of the app into dist/ (relative asset URLs).
build_release() {
  log "trunk build --release"
  (cd "$ROOT" && trunk build --release --offline)
}
