"""End-to-end harness: serves the release build and drives it in real browsers.

Run: ``python3 -m pytest -q tests/e2e`` (after ``trunk build --release``).

Environment (all optional):
  E2E_DIST          directory to serve (default: <repo>/dist)
  E2E_BROWSERS      comma list of browsers: "chromium", "firefox", "webkit" (default
                    chromium,firefox); a named browser whose binary or driver (or, for
                    webkit, display) is missing is an error of the run (exit 4), never a
                    skip. WebKit runs the subset listed in webkit.py (the rest is deselected)
                    and needs an X display: run it under `xvfb-run -a`
  CHROMEDRIVER      chromedriver path (default /usr/bin/chromedriver, then PATH)
  GECKODRIVER       geckodriver path (default ~/.cargo/bin/geckodriver, then PATH)
  E2E_CHROMIUM_BIN  chromium binary (default /usr/bin/chromium)
  E2E_FIREFOX_BIN   firefox binary (default /usr/bin/firefox-esr)
  WEBKITWEBDRIVER   WebKitWebDriver path (default /usr/bin/WebKitWebDriver)
  E2E_WEBKIT_BIN    WebKitGTK's MiniBrowser (default /usr/lib/<arch>/webkit2gtk-4.1/MiniBrowser)
  E2E_XVFB_RUN      xvfb-run, named when webkit finds no display (default /usr/bin/xvfb-run)
  E2E_TIMEOUT       seconds for each explicit wait (default 10)
  E2E_ARTIFACTS     where screenshots/page sources/driver logs of failed tests go
                    (default: a fresh directory under the system temp dir)

Selenium never downloads drivers or browsers here: SE_OFFLINE is forced on and
every driver gets an explicit Service(executable_path) and binary_location.
Each test gets a fresh browser profile, so local storage starts empty.

Waiting: never a fixed sleep. `App.wait(cond)` for what the page shows, `wait_idle`
for "everything the last action started is done" (the app's `<body data-idle>`),
`poll_until` for what no page shows (a server's data, a file).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

os.environ["SE_OFFLINE"] = "true"  # before selenium is imported anywhere

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.actions.action_builder import ActionBuilder  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

import webkit  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("E2E_DIST") or REPO / "dist")
SEED_PATH = REPO / "assets" / "seed-article.txt"
TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "10"))
# A document's annotations are stored as its record (`…v2.doc.<id>`) plus the
# journals of edits since the record was last written whole: the legacy shared
# `…v2.delta.<id>` and one per tab, `…v2.delta.<id>.<tab>` (document ids are ASCII
# letters, digits, `-` and `_`, so the first `.` after the prefix ends the id).
STORAGE_PREFIX = "text-annotator.v2.doc."
JOURNAL_PREFIX = "text-annotator.v2.delta."
_DOC_ID = re.compile(r"[A-Za-z0-9_-]+")
EXPORT_NAME = "seed-article.annotations.json"
KNOWN_BROWSERS = ("chromium", "firefox", "webkit")
WINDOW = (1280, 1000)


def _browsers() -> list[str]:
    raw = os.environ.get("E2E_BROWSERS", "chromium,firefox")
    names = [b.strip().lower() for b in raw.split(",") if b.strip()]
    unknown = [b for b in names if b not in KNOWN_BROWSERS]
    if unknown:
        raise pytest.UsageError(f"E2E_BROWSERS has unknown browser(s) {unknown}; known: {KNOWN_BROWSERS}")
    return names


BROWSERS = _browsers()


def _first_executable(*candidates) -> str | None:
    for c in candidates:
        if not c:
            continue
        p = Path(os.path.expanduser(str(c)))
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
    return None


def _locate(env: str, *defaults) -> str | None:
    """The executable named by $env (authoritative when set: None if it is not one), else
    the first default found."""
    given = os.environ.get(env)
    if given:
        return _first_executable(given)
    return _first_executable(*defaults)


def chromium_paths() -> tuple[str | None, str | None]:
    binary = _locate("E2E_CHROMIUM_BIN", "/usr/bin/chromium", shutil.which("chromium"))
    drv = _locate("CHROMEDRIVER", "/usr/bin/chromedriver", shutil.which("chromedriver"))
    return binary, drv


def firefox_paths() -> tuple[str | None, str | None]:
    binary = _locate("E2E_FIREFOX_BIN", "/usr/bin/firefox-esr", shutil.which("firefox-esr"), shutil.which("firefox"))
    drv = _locate("GECKODRIVER", "~/.cargo/bin/geckodriver", shutil.which("geckodriver"))
    return binary, drv


def webkit_paths() -> tuple[str | None, str | None]:
    binary = _locate("E2E_WEBKIT_BIN", *webkit.MINIBROWSER_DEFAULTS)
    drv = _locate("WEBKITWEBDRIVER", *webkit.DRIVER_DEFAULTS, shutil.which("WebKitWebDriver"))
    return binary, drv


PATHS = {"chromium": (chromium_paths, "CHROMEDRIVER"), "firefox": (firefox_paths, "GECKODRIVER"),
         "webkit": (webkit_paths, "WEBKITWEBDRIVER")}


def _missing(name: str) -> list[str]:
    """What browser `name` lacks to run here (its binary, its driver, webkit's display), said for people."""
    paths, drv_env = PATHS[name]
    binary, drv = paths()
    bin_env = f"E2E_{name.upper()}_BIN"
    no_display = webkit.display_problem() if name == "webkit" else None
    out = [no_display] if no_display else []
    for what, found, env in (("browser binary", binary, bin_env), ("driver", drv, drv_env)):
        if not found:
            given = os.environ.get(env)
            out.append(f"{name}: {what} not found" + (f" (${env}={given!r} is not an executable file)" if given
                                                      else f" (set ${env}, or install it: scripts/tools.sh)"))
    return out


def pytest_configure(config):
    """A browser named in E2E_BROWSERS (or by default) must be here: its absence is an
    error of the whole run, never a skip (a skipped browser would pass as tested)."""
    missing = [m for b in BROWSERS for m in _missing(b)]
    if missing:
        raise pytest.UsageError("E2E_BROWSERS names browsers that cannot run here:\n  " + "\n  ".join(missing))


@pytest.hookimpl(tryfirst=True)  # before -k/-m, which would hide subset entries from the check
def pytest_collection_modifyitems(config, items):
    """WebKit runs only webkit.WEBKIT_SUBSET: its other tests are deselected (not skipped).
    A subset entry whose file was collected but names no test there is an error."""
    if "webkit" not in BROWSERS:
        return
    keep, drop, seen = [], [], set()
    for item in items:
        key = f"{item.path.name}::{getattr(item, 'originalname', item.name)}"
        seen.add(key)
        cs = getattr(item, "callspec", None)
        is_webkit = cs is not None and cs.params.get("browser_name") == "webkit"
        (drop if is_webkit and key not in webkit.WEBKIT_SUBSET else keep).append(item)
    files = {item.path.name for item in items}
    stale = [k for k in webkit.WEBKIT_SUBSET if k.split("::")[0] in files and k not in seen]
    if stale:
        raise pytest.UsageError(f"webkit.WEBKIT_SUBSET names tests that do not exist: {stale}")
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# --------------------------------------------------------------------------- waiting


def poll_until(cond, message: str, timeout: float | None = None, interval: float = 0.05):
    """Waits until `cond()` is truthy (checked every `interval` s) and returns it; fails
    with `message` after `timeout` s (default E2E_TIMEOUT). For what no page shows: a
    server's data, a downloaded file."""
    try:
        return WebDriverWait(None, timeout or TIMEOUT, poll_frequency=interval).until(lambda _: cond())
    except TimeoutException:
        raise AssertionError(f"timed out ({timeout or TIMEOUT}s): {message}") from None


# `<body data-idle>` (src/browser/busy.rs): "true" when the app has no work pending (no save
# or undo-history write waiting, no file being read or imported, no document being opened,
# stored or exported, no article drawing in steps); "false" while any is. Set from the start
# (with `data-ready`). Team sync is not counted: it runs for as long as it is on.
JS_IDLE = "return document.body.dataset.ready === 'true' && document.body.dataset.idle === 'true';"


def wait_idle(driver, timeout: float | None = None):
    """Waits until the app in `driver`'s current window has no work pending (`<body
    data-idle="true">`): whatever an action started is then done, saved and drawn. Use it
    instead of a sleep before checking that something did NOT happen (a refused file changed
    nothing, nothing is duplicated), or that the state after an action is final. Work starts
    in the event that asks for it, so right after an action (a key, a click, a chosen file)
    the page is already busy with it."""
    try:
        WebDriverWait(driver, timeout or TIMEOUT, poll_frequency=0.05).until(lambda d: d.execute_script(JS_IDLE))
    except TimeoutException:
        raise AssertionError(
            f"timed out ({timeout or TIMEOUT}s): the app to be idle (<body data-ready=true data-idle=true>); "
            f"body: {driver.execute_script('return JSON.stringify(document.body.dataset);')}"
        ) from None


# --------------------------------------------------------------------------- server


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".css": "text/css",
        ".html": "text/html",
        ".svg": "image/svg+xml",
        ".txt": "text/plain",
        # the manifest and icons (as a static host serves them; not left to /etc/mime.types)
        ".webmanifest": "application/manifest+json",
        ".png": "image/png",
        ".ico": "image/x-icon",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):  # quiet; failures show up in the tests
        pass


@pytest.fixture(scope="session")
def seed_text() -> str:
    # newline="" keeps the text exact (no CRLF translation).
    with open(SEED_PATH, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(scope="session")
def base_url() -> str:
    if not (DIST / "index.html").is_file():
        pytest.fail(f"{DIST}/index.html is missing: build the app first (trunk build --release) or set E2E_DIST", pytrace=False)
    handler = functools.partial(_Handler, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="e2e-http", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()


# --------------------------------------------------------------------------- browsers


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    d = os.environ.get("E2E_ARTIFACTS")
    p = Path(d) if d else Path(tempfile.mkdtemp(prefix="e2e-artifacts-"))
    p.mkdir(parents=True, exist_ok=True)
    return p


@pytest.fixture(params=BROWSERS)
def browser_name(request) -> str:
    """Each browser of E2E_BROWSERS (each checked to be here by pytest_configure)."""
    return request.param


def _make_chromium(workdir: Path, download_dir: Path):
    binary, drv = chromium_paths()
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    profile = workdir / "profile"
    profile.mkdir()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-sync",
        "--disable-extensions",
        "--password-store=basic",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        opts.add_argument(arg)
    opts.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
        },
    )
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=drv, log_output=str(workdir / "chromedriver.log"))
    d = webdriver.Chrome(options=opts, service=service)
    try:
        d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    except WebDriverException:
        pass  # the prefs above still apply
    return d


def _make_firefox(workdir: Path, download_dir: Path):
    binary, drv = firefox_paths()
    opts = webdriver.FirefoxOptions()
    opts.binary_location = binary
    opts.add_argument("-headless")
    opts.add_argument(f"--width={WINDOW[0]}")
    opts.add_argument(f"--height={WINDOW[1]}")
    # geckodriver creates a fresh temporary profile per session; these prefs go into it.
    for k, v in {
        "browser.download.folderList": 2,
        "browser.download.dir": str(download_dir),
        "browser.download.useDownloadDir": True,
        "browser.helperApps.neverAsk.saveToDisk": "application/json",
        "browser.download.always_ask_before_handling_new_types": False,
        "browser.download.manager.showWhenStarting": False,
        "browser.download.alwaysOpenPanel": False,
        "browser.shell.checkDefaultBrowser": False,
        "app.update.auto": False,
        "app.update.enabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.enabled": False,
        "network.captive-portal-service.enabled": False,
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
        "browser.safebrowsing.downloads.enabled": False,
    }.items():
        opts.set_preference(k, v)
    service = webdriver.FirefoxService(executable_path=drv, log_output=str(workdir / "geckodriver.log"))
    return webdriver.Firefox(options=opts, service=service)


def _make_webkit(workdir: Path, download_dir: Path):
    binary, drv = webkit_paths()
    return webkit.make_webkit(webdriver, binary, drv, workdir, download_dir, WINDOW)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def new_app(request, browser_name, base_url, seed_text, artifacts_dir, tmp_path):
    """Factory: ``new_app()`` starts a browser with a fresh profile and opens the app."""
    made: list[App] = []

    def make(open_page: bool = True) -> App:
        workdir = Path(tempfile.mkdtemp(prefix=f"e2e-{browser_name}-", dir=tmp_path))
        download_dir = workdir / "downloads"
        download_dir.mkdir()
        maker = {"chromium": _make_chromium, "firefox": _make_firefox, "webkit": _make_webkit}[browser_name]
        driver = maker(workdir, download_dir)
        app = App(driver, browser_name, base_url, download_dir, workdir, seed_text)
        made.append(app)
        if open_page:
            app.open()
        return app

    yield make

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, app in enumerate(made):
        if failed:
            app.dump_artifacts(artifacts_dir, f"{request.node.name}-{i}")
        try:
            app.driver.quit()
        except Exception:
            pass
        shutil.rmtree(app.workdir, ignore_errors=True)


@pytest.fixture
def app(new_app) -> App:
    """The app open in a fresh browser profile (clean local storage)."""
    return new_app()


@pytest.fixture
def driver(app):
    """The WebDriver behind ``app`` (parametrized over E2E_BROWSERS)."""
    return app.driver


# --------------------------------------------------------------------------- page object

JS_READY = "return !!document.querySelector('article#article') && document.body.dataset.ready === 'true';"

# Selects the n-th occurrence of a string across the text nodes under a root element.
JS_SELECT = r"""
const [needle, occurrence, rootSelector] = arguments;
const root = document.querySelector(rootSelector);
if (!root) return {error: 'no element ' + rootSelector};
const active = document.activeElement;
if (active && active !== document.body && active.blur) active.blur();
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const nodes = [];
let text = '';
while (walker.nextNode()) {
  const n = walker.currentNode;
  nodes.push([n, text.length]);
  text += n.data;
}
let idx = -1, from = 0;
for (let i = 0; i <= occurrence; i++) {
  idx = text.indexOf(needle, from);
  if (idx < 0) return {error: 'text not found: ' + needle};
  from = idx + 1;
}
const end = idx + needle.length;
function locate(pos, isEnd) {
  for (const [n, off] of nodes) {
    const len = n.data.length;
    if (isEnd ? (pos > off && pos <= off + len) : (pos >= off && pos < off + len)) return [n, pos - off];
  }
  return null;
}
const s = locate(idx, false), e = locate(end, true);
const range = document.createRange();
range.setStart(s[0], s[1]);
range.setEnd(e[0], e[1]);
const sel = window.getSelection();
sel.removeAllRanges();
sel.addRange(range);
return {text: range.toString(), utf16: idx, nodes: nodes.length};
"""

# Viewport rectangle of the n-th occurrence of a string inside the article (after scrolling it to the middle).
JS_TEXT_RECTS = r"""
const [needle, occurrence] = arguments;
const root = document.querySelector('article#article');
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const nodes = [];
let text = '';
while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
let idx = -1, from = 0;
for (let i = 0; i <= occurrence; i++) { idx = text.indexOf(needle, from); if (idx < 0) return null; from = idx + 1; }
function rangeOf(pos, len) {
  const r = document.createRange();
  for (const [n, off] of nodes) {
    if (pos >= off && pos < off + n.data.length) { r.setStart(n, pos - off); r.setEnd(n, pos - off + len); return r; }
  }
  return null;
}
const first = rangeOf(idx, 1);
first.startContainer.parentElement.scrollIntoView({block: 'center'});
const a = rangeOf(idx, 1).getBoundingClientRect();
const b = rangeOf(idx + needle.length - 1, 1).getBoundingClientRect();
return {first: {left: a.left, right: a.right, top: a.top, bottom: a.bottom},
        last: {left: b.left, right: b.right, top: b.top, bottom: b.bottom}};
"""

JS_LIST = r"""
const ol = document.querySelector('ol[aria-label="Annotations"]');
if (!ol) return null;
return Array.from(ol.children).filter(li => li.tagName === 'LI').map(li => ({
  id: li.getAttribute('data-id'),
  label: li.getAttribute('data-label'),
  text: li.textContent.replace(/\s+/g, ' ').trim(),
  current: li.getAttribute('aria-current'),
}));
"""

JS_MARKS = r"""
const id = arguments[0];
return Array.from(document.querySelectorAll('article#article mark.hl'))
  .filter(m => (m.getAttribute('data-ids') || '').split(/\s+/).includes(id))
  .map(m => ({text: m.textContent, classes: Array.from(m.classList),
              ids: (m.getAttribute('data-ids') || '').split(/\s+/).filter(Boolean)}));
"""

JS_STORAGE = r"""
const prefixes = arguments[0];
const out = {};
for (let i = 0; i < localStorage.length; i++) {
  const k = localStorage.key(i);
  if (prefixes.some(p => k.startsWith(p))) out[k] = localStorage.getItem(k);
}
return out;
"""


def record_key_doc_id(key: str) -> str | None:
    """The document id of a stored record key (`…doc.<id>`) or journal key
    (`…delta.<id>` or `…delta.<id>.<tab>`), else None."""
    if key.startswith(STORAGE_PREFIX):
        rest = key[len(STORAGE_PREFIX):]
        return rest if _DOC_ID.fullmatch(rest) else None
    if key.startswith(JOURNAL_PREFIX):
        doc_id, dot, tab = key[len(JOURNAL_PREFIX):].partition(".")
        if dot and not tab:
            return None  # "…delta.<id>." names no tab
        return doc_id if _DOC_ID.fullmatch(doc_id) else None
    return None


def is_journal_key(key: str, doc_id: str) -> bool:
    """Whether `key` is a journal of document `doc_id`: the legacy shared key or a per-tab one."""
    exact = JOURNAL_PREFIX + doc_id
    return key == exact or (key.startswith(exact + ".") and len(key) > len(exact) + 1)


def merged_records(values: dict) -> dict:
    """Document id -> {"annotations": [...], "deleted": {id: at}}: each stored record
    merged with EVERY journal of that document (the legacy `…delta.<id>` and the
    per-tab `…delta.<id>.<tab>`) as the app reads them: the union by id, the later
    `modified` wins; a tombstone removes versions not modified after it.
    Unreadable values are skipped."""
    parts: dict = {}
    for key, raw in sorted(values.items()):
        doc_id = record_key_doc_id(key)
        if doc_id is None:
            continue
        try:
            rec = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(rec, dict) and isinstance(rec.get("annotations"), list):
            parts.setdefault(doc_id, []).append(rec)
    out = {}
    for doc_id, recs in parts.items():
        by_id, deleted = {}, {}
        for rec in recs:
            for a in rec["annotations"]:
                if isinstance(a, dict) and "id" in a:
                    old = by_id.get(a["id"])
                    if old is None or str(a.get("modified", "")) > str(old.get("modified", "")):
                        by_id[a["id"]] = a
            for d in rec.get("deleted") or []:
                if isinstance(d, dict) and "id" in d:
                    deleted[d["id"]] = max(deleted.get(d["id"], ""), str(d.get("at", "")))
        live = [a for a in by_id.values() if a["id"] not in deleted or str(a.get("modified", "")) > deleted[a["id"]]]
        live.sort(key=lambda a: (a.get("start", 0), -a.get("end", 0), a["id"]))
        out[doc_id] = {"annotations": live, "deleted": deleted}
    return out

# Removes keys from local storage AND from the app's crash-safe copy of it (IndexedDB
# "text-annotator", store "kv"), so a reload does not write them back: what a test means
# by "the store holds only this". Async: the last argument is WebDriver's callback.
JS_REMOVE_STORED = r"""
const [keys, done] = [arguments[0], arguments[arguments.length - 1]];
for (const k of keys) localStorage.removeItem(k);
const req = indexedDB.open('text-annotator');
req.onerror = () => done({error: String(req.error)});
req.onsuccess = () => {
  const db = req.result;
  if (!db.objectStoreNames.contains('kv')) { db.close(); done({removed: 0}); return; }
  const tx = db.transaction('kv', 'readwrite');
  for (const k of keys) tx.objectStore('kv').delete(k);
  tx.oncomplete = () => { db.close(); done({removed: keys.length}); };
  tx.onabort = () => { db.close(); done({error: String(tx.error)}); };
};
"""

JS_BUTTON_CANDIDATES = r"""
const name = arguments[0];
const list = document.querySelector('ol[aria-label="Annotations"]');
return Array.from(document.querySelectorAll('button, [role=button], input[type=button], input[type=submit]'))
  .filter(b => !(list && list.contains(b)))
  .filter(b => (b.getAttribute('aria-label') || '').trim() === name
            || (b.textContent || '').replace(/\s+/g, ' ').trim() === name
            || (b.value || '') === name);
"""


def chord(app, *keys):
    """Presses keys[-1] while holding the modifiers keys[:-1]."""
    ac = ActionChains(app.driver)
    for m in keys[:-1]:
        ac.key_down(m)
    ac.send_keys(keys[-1])
    for m in reversed(keys[:-1]):
        ac.key_up(m)
    ac.perform()


def norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


class App:
    """Helpers that use the app the way a person (or a script) would."""

    def __init__(self, driver, browser: str, base_url: str, download_dir: Path, workdir: Path, seed: str):
        self.driver = driver
        self.browser = browser
        self.base_url = base_url
        self.download_dir = download_dir
        self.workdir = workdir
        self.seed = seed

    # -- waiting
    def wait(self, cond, message: str, timeout: float | None = None):
        def safe(_):
            try:
                return cond()
            except StaleElementReferenceException:
                return False

        try:
            return WebDriverWait(self.driver, timeout or TIMEOUT, poll_frequency=0.05).until(safe)
        except TimeoutException:
            raise AssertionError(f"timed out ({timeout or TIMEOUT}s): {message}\n{self.state_summary()}") from None

    def state_summary(self) -> str:
        try:
            return (
                f"  list={self.items()}\n  notice={self.notice()!r}\n  info={self.info()!r}\n"
                f"  save-status={self.save_status()!r}"
            )
        except Exception as e:  # the page may be gone
            return f"  (no state: {e})"

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    # -- loading
    def open(self):
        self.driver.get(self.base_url)
        self.wait_ready()

    def wait_ready(self):
        self.wait(lambda: self.js(JS_READY), "app ready (article#article and body[data-ready=true])", timeout=max(TIMEOUT, 30))

    def wait_idle(self, timeout: float | None = None):
        """See `wait_idle`: the app in the current window has no work pending."""
        wait_idle(self.driver, timeout)

    def reload(self):
        self.driver.refresh()
        self.wait_ready()

    # -- reading the page
    def article_text(self) -> str:
        return self.js("return document.querySelector('article#article').textContent;")

    def items(self) -> list[dict]:
        items = self.js(JS_LIST)
        assert items is not None, 'no <ol aria-label="Annotations"> on the page'
        return items

    def item(self, ann_id: str):
        return self.driver.find_element(By.CSS_SELECTOR, f'ol[aria-label="Annotations"] > li[data-id="{ann_id}"]')

    def item_by_quote(self, quote: str, label: str | None = None) -> dict:
        q = norm_ws(quote)
        found = [i for i in self.items() if q in i["text"] and (label is None or i["label"] == label)]
        assert found, f"no list item with quote {quote!r} (label {label}) in {self.items()}"
        return found[0]

    def wait_item(self, quote: str, label: str) -> dict:
        q = norm_ws(quote)
        self.wait(
            lambda: any(q in i["text"] and i["label"] == label for i in self.items()),
            f"a list item labelled {label} with quote {quote!r}",
        )
        return self.item_by_quote(quote, label)

    def count(self, label: str) -> int:
        txt = self.driver.find_element(By.CSS_SELECTOR, f"#counts [data-label={label}] .count").text
        return int(txt.strip())

    def counts(self) -> dict:
        return {label: self.count(label) for label in ("claim", "denial", "statistic")}

    def marks(self, ann_id: str) -> list[dict]:
        return self.js(JS_MARKS, ann_id)

    def notice(self) -> str:
        return self.js("const n = document.querySelector('[role=alert]#notice'); return n ? n.textContent : null;")

    def info(self) -> str:
        return self.js("const n = document.querySelector('#info'); return n ? n.textContent : null;")

    def save_status(self) -> str:
        return self.js("const n = document.querySelector('[role=status]#save-status'); return n ? n.textContent : null;")

    def storage(self) -> dict:
        """Our stored annotation values: records and journals, by key."""
        return self.js(JS_STORAGE, [STORAGE_PREFIX, JOURNAL_PREFIX])

    def remove_stored(self, keys) -> None:
        """Removes `keys` from local storage and from the app's crash-safe copy of it."""
        res = self.driver.execute_async_script(JS_REMOVE_STORED, list(keys))
        assert res and "error" not in res, f"removing {keys}: {res}"

    def journal_keys(self, doc_id: str) -> list[str]:
        """Every stored journal key of document `doc_id` (legacy and per tab)."""
        return sorted(k for k in self.storage() if is_journal_key(k, doc_id))

    def stored_records(self) -> dict:
        """Document id -> its stored annotations and tombstones (record + journal merged)."""
        return merged_records(self.storage())

    def wait_stored(self, present=(), absent=()):
        """Waits until the stored annotation records (our prefix) hold every id in `present`
        as a live annotation and none in `absent` (deleted ids may stay as tombstones)."""

        def stored_ids():
            return {a["id"] for rec in self.stored_records().values() for a in rec["annotations"]}

        def ok():
            ids = stored_ids()
            return all(i in ids for i in present) and not any(i in ids for i in absent)

        self.wait(ok, f"local storage to hold {list(present)} and not {list(absent)}; storage={self.storage()}")

    def wait_saved(self):
        self.wait(lambda: re.match(r"\s*Saved\b", self.save_status() or ""), "save-status says Saved")

    # -- acting
    def select_text(self, needle: str, occurrence: int = 0, root: str = "article#article") -> dict:
        res = self.js(JS_SELECT, needle, occurrence, root)
        assert res and "error" not in res, f"could not select {needle!r}: {res}"
        assert res["text"] == needle, f"selection reads {res['text']!r}, wanted {needle!r}"
        return res

    def clear_selection(self):
        self.js("window.getSelection().removeAllRanges(); if (document.activeElement && document.activeElement.blur) document.activeElement.blur();")

    def press(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    def button(self, name: str):
        cands = self.js(JS_BUTTON_CANDIDATES, name)
        seen = []
        for el in cands:
            try:
                acc = el.accessible_name
            except WebDriverException:
                acc = None  # driver cannot compute names: the text match must do
            if acc is None or acc.strip() == name:
                return el
            seen.append(acc)
        raise AssertionError(f"no button with accessible name exactly {name!r} (text matches had names {seen})")

    def click(self, el):
        """Clicks like a person who first scrolls the element to the middle (the header is sticky)."""
        self.js("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", el)
        el.click()

    def click_button(self, name: str):
        self.click(self.button(name))

    def fill_selected(self, **fields: str):
        """Types into the Selected annotation panel's fields by accessible name
        (`Speaker="…"`, `Verdict="…"`), leaving each with Tab (which commits it)."""
        panel = self.driver.find_element(By.CSS_SELECTOR, 'section[aria-label="Selected annotation"]')
        for name, value in fields.items():
            f = panel.find_element(By.CSS_SELECTOR, f'input[aria-label="{name}"]')
            self.click(f)
            f.send_keys(value, Keys.TAB)

    def activate_item(self, ann_id: str):
        """Clicks the list item's button and waits until it is the current one."""
        self.click(self.item(ann_id).find_element(By.TAG_NAME, "button"))
        self.wait_current(ann_id)

    def wait_current(self, ann_id: str):
        self.wait(
            lambda: [i["id"] for i in self.items() if i["current"] == "true"] == [ann_id],
            f"list item {ann_id} to be the only one with aria-current=true",
        )

    def tag(self, quote: str, label: str, how: str = "key", occurrence: int = 0) -> dict:
        """Selects `quote` in the article and tags it; returns the new list item."""
        before = {i["id"] for i in self.items()}
        self.select_text(quote, occurrence)
        if how == "key":
            self.press({"claim": "1", "denial": "2", "statistic": "3"}[label])
        else:
            self.click_button(label.capitalize())
        self.wait(lambda: len({i["id"] for i in self.items()} - before) == 1, f"one new annotation for {quote!r}")
        new = [i for i in self.items() if i["id"] not in before][0]
        assert new["label"] == label, f"new annotation {new} should be a {label}"
        assert norm_ws(quote) in new["text"], f"new list item {new} should show the quote {quote!r}"
        return new

    def import_file(self, path: Path):
        inp = self.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Import annotations"]')
        inp.send_keys(str(path))

    def export(self) -> tuple[Path, dict]:
        target = self.download_dir / EXPORT_NAME
        for f in self.download_dir.iterdir():
            f.unlink()
        self.click_button("Export")

        def done():
            names = [f.name for f in self.download_dir.iterdir()]
            if any(n.endswith((".crdownload", ".part", ".tmp")) for n in names):
                return False
            if not target.is_file() or target.stat().st_size == 0:
                return False
            try:
                return json.loads(target.read_text(encoding="utf-8"))
            except ValueError:
                return False  # still being written

        data = self.wait(done, f"download of {EXPORT_NAME} in {self.download_dir}", timeout=max(TIMEOUT, 20))
        return target, data

    # -- real pointer input
    def _text_rects(self, needle: str, occurrence: int = 0) -> dict:
        rects = self.js(JS_TEXT_RECTS, needle, occurrence)
        assert rects, f"{needle!r} not found in the article"
        return rects

    def double_click_text(self, word: str, occurrence: int = 0):
        self.clear_selection()
        r = self._text_rects(word, occurrence)
        x = (r["first"]["left"] + r["last"]["right"]) / 2
        y = (r["first"]["top"] + r["first"]["bottom"]) / 2
        ab = ActionBuilder(self.driver)
        ab.pointer_action.move_to_location(int(x), int(y))
        ab.pointer_action.double_click()
        ab.perform()

    def drag_select(self, phrase: str, occurrence: int = 0):
        self.clear_selection()
        r = self._text_rects(phrase, occurrence)
        f, l = r["first"], r["last"]
        x0, y0 = f["left"] + min(2.0, (f["right"] - f["left"]) / 4), (f["top"] + f["bottom"]) / 2
        x1, y1 = l["right"] - min(2.0, (l["right"] - l["left"]) / 4), (l["top"] + l["bottom"]) / 2
        ab = ActionBuilder(self.driver)
        ab.pointer_action.move_to_location(int(round(x0)), int(round(y0)))
        ab.pointer_action.pointer_down()
        ab.pointer_action.move_to_location(int((x0 + x1) / 2), int((y0 + y1) / 2))
        ab.pointer_action.move_to_location(int(round(x1)), int(round(y1)))
        ab.pointer_action.pointer_up()
        ab.perform()

    def selection_text(self) -> str:
        return self.js("return window.getSelection().toString();")

    # -- diagnostics
    def dump_artifacts(self, where: Path, stem: str):
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)
        try:
            self.driver.save_screenshot(str(where / f"{stem}.png"))
            (where / f"{stem}.html").write_text(self.driver.page_source, encoding="utf-8")
        except Exception:
            pass
        if self.browser == "chromium":
            try:
                logs = self.driver.get_log("browser")
                (where / f"{stem}.console.txt").write_text(
                    "\n".join(f"{e.get('level')} {e.get('message')}" for e in logs), encoding="utf-8"
                )
            except Exception:
                pass
        for log in self.workdir.glob("*driver.log"):
            try:
                shutil.copy(log, where / f"{stem}.{log.name}")
            except Exception:
                pass
        print(f"\n[e2e] artifacts of the failure: {where}/{stem}.*")
