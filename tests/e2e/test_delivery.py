"""End-to-end tests of delivery (issue 6), in every browser of E2E_BROWSERS:

* the single-file build opened by file:// URL (no server): tag, reload, export, import;
* the release build hosted under a sub-path (/tools/annotator/);
* offline after the first visit (service worker), and the new-version messages;
* the Content-Security-Policy: present, strict, enforced, and silent during normal use;
* user and file content (annotation files, local storage) full of script payloads never runs
  and shows literally.

Environment, besides conftest.py's: E2E_SINGLE, the single file (default
<repo>/dist-single/annotator.html, built by scripts/build-single.sh).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from test_formats import export_as  # noqa: E402
from conftest import DIST, REPO, STORAGE_PREFIX, _Handler, norm_ws, record_key_doc_id

sys.path.insert(0, str(REPO / "scripts"))
import post_build  # noqa: E402  (scripts/post_build.py: the CSP hash of inline scripts)

SINGLE = Path(os.environ.get("E2E_SINGLE") or REPO / "dist-single" / "annotator.html").resolve()
SUB_PATH = "/tools/annotator/"
STAT = "1,524 violence-related fatalities"
CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"
VERSION_META = re.compile(r'(<meta name="annotator-version" content=")([^"]+)(">)')
SW_WAIT = 30  # seconds: installing the service worker fetches the whole app


# --------------------------------------------------------------------------- servers


class StaticServer:
    """Serves `root` under `prefix` on 127.0.0.1; can stop and start again on the same port,
    records every requested path, and can delay the app's page (a slow network)."""

    def __init__(self, root: Path, prefix: str = "/"):
        assert prefix.startswith("/") and prefix.endswith("/")
        self.root, self.prefix = root, prefix
        self.port = 0
        self.paths: list[str] = []
        self.page_delay = 0.0
        self.httpd = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def start(self):
        server = self

        class Handler(_Handler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(server.root), **kw)

            def translate_path(self, path):
                p = urllib.parse.urlsplit(path).path
                if p + "/" == server.prefix:  # the prefix without its slash: redirected to it
                    return super().translate_path("/")
                if not p.startswith(server.prefix):
                    return str(server.root / "__outside_the_prefix__")
                return super().translate_path("/" + p[len(server.prefix):])

            def do_GET(self):
                p = urllib.parse.urlsplit(self.path).path
                server.paths.append(p)
                if server.page_delay and p in (server.prefix, server.prefix + "index.html"):
                    time.sleep(server.page_delay)
                super().do_GET()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, name="e2e-delivery-http", daemon=True).start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        with socket.socket() as s:  # nothing answers on the port any more
            assert s.connect_ex(("127.0.0.1", self.port)) != 0, "the server still accepts connections"


@pytest.fixture
def dist_copy(tmp_path) -> Path:
    """A private copy of the release build, which a test may turn into a "new version"."""
    if not (DIST / "index.html").is_file():
        pytest.fail(f"{DIST}/index.html is missing: build the app first (trunk build --release)", pytrace=False)
    # (.stage: trunk's staging directory, present while a build runs)
    return Path(shutil.copytree(DIST, tmp_path / "site", ignore=shutil.ignore_patterns(".stage")))


@pytest.fixture
def server(dist_copy):
    s = StaticServer(dist_copy, SUB_PATH).start()
    yield s
    s.stop()


def deploy_new_version(site: Path, new: str) -> str:
    """Turns the build in `site` into version `new`, as a rebuild would (the version is in
    index.html's meta and in sw.js, so the browser sees a new service worker); returns the old."""
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    m = VERSION_META.search(html)
    assert m, "dist/index.html has no <meta name=annotator-version> (scripts/post_build.py did not run)"
    old = m.group(2)
    index.write_text(VERSION_META.sub(lambda m: m.group(1) + new + m.group(3), html), encoding="utf-8")
    sw = site / "sw.js"
    text = sw.read_text(encoding="utf-8")
    assert text.count(json.dumps(old)) == 1, "sw.js does not carry the build's version"
    sw.write_text(text.replace(json.dumps(old), json.dumps(new)), encoding="utf-8")
    return old


# --------------------------------------------------------------------------- helpers

JS_CACHES = r"""
const done = arguments[arguments.length - 1];
(async () => {
  const out = {};
  for (const name of await caches.keys()) {
    out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  }
  return out;
})().then(done, (e) => done({error: String(e)}));
"""

JS_SW_SCOPE = r"""
const done = arguments[arguments.length - 1];
navigator.serviceWorker.getRegistration().then((r) => done(r ? r.scope : null), (e) => done('error ' + e));
"""

# Records CSP violations from now on (the page's own listener, in every browser).
JS_WATCH_CSP = r"""
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""

JS_CSP = r"""
const m = document.querySelector('meta[http-equiv="Content-Security-Policy" i]');
if (!m) return null;
const all = Array.from(document.querySelectorAll('script, link[rel=stylesheet], link[rel=modulepreload], link[rel=preload], style'));
return {content: m.getAttribute('content'), before: all.every((el) => m.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)};
"""


def open_at(new_app, url: str):
    app = new_app(open_page=False)
    app.base_url = url
    app.open()
    return app


def reload_page(app):
    """Reloads as F5 does (location.reload()). WebDriver's refresh is a forced reload in
    Firefox, which bypasses service workers by design, as Shift+F5 does."""
    app.js("window.__beforeReload = true; setTimeout(() => location.reload(), 0);")
    app.wait(
        lambda: app.js("return window.__beforeReload === undefined && document.readyState === 'complete';"),
        "the page to reload",
        timeout=SW_WAIT,
    )
    app.wait_ready()


def wait_controlled(app):
    app.wait(
        lambda: app.js("return !!(navigator.serviceWorker && navigator.serviceWorker.controller);"),
        "a service worker to control the page",
        timeout=SW_WAIT,
    )


def banner(app) -> str:
    return norm_ws(app.js("const b = document.getElementById('update-banner'); return b ? b.textContent : null;") or "")


def page_version(app) -> str | None:
    return app.js("const m = document.querySelector('meta[name=annotator-version]'); return m && m.content;")


def csp_directives(content: str) -> dict[str, list[str]]:
    out = {}
    for part in content.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def check_csp(app) -> dict[str, list[str]]:
    """The page has a strict CSP meta that precedes every script and stylesheet."""
    got = app.js(JS_CSP)
    assert got, "no <meta http-equiv=Content-Security-Policy>"
    assert got["before"], "the CSP meta must come before every script and stylesheet"
    d = csp_directives(got["content"])
    assert d.get("default-src") == ["'self'"], d
    assert d.get("object-src") == ["'none'"] and d.get("base-uri") == ["'none'"], d
    assert "'wasm-unsafe-eval'" in d.get("script-src", []), d
    allowed = re.compile(r"^('self'|'none'|'wasm-unsafe-eval'|'sha256-[A-Za-z0-9+/]+=*'|data:|blob:)$")
    # Team sync talks to a team's CouchDB: connect-src (and only it) also allows https servers and
    # plain http on this machine, exactly these. Scripts, styles and everything else stay the app's own.
    team_sync = ["https:", "http://127.0.0.1:*", "http://localhost:*"]
    assert [s for s in d.get("connect-src", []) if s != "'self'"] == team_sync, d
    for name, sources in d.items():
        bad = [s for s in sources if not allowed.match(s) and not (name == "connect-src" and s in team_sync)]
        assert not bad, f"{name} allows {bad}: only the app's own files (no remote hosts, no unsafe-*)"
    return d


def csp_console_errors(app) -> list[str]:
    """Chromium's console messages about CSP (geckodriver cannot read the console)."""
    if app.browser != "chromium":
        return []
    return [e["message"] for e in app.driver.get_log("browser") if "Content Security Policy" in e["message"]]


def assert_csp_enforced(app):
    """An injected inline script must not run (and is reported as a violation)."""
    app.js(JS_WATCH_CSP)
    app.js("const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.appendChild(s);")
    app.wait(lambda: app.js("return window.__cspViolations.length > 0;"), "a CSP violation report for an injected script")
    assert app.js("return window.__inline === undefined;"), "an injected inline script ran: the CSP is not enforced"


def tag_reload_export_import(app):
    """The issue's round trip: tag with key 3, reload, find it again, export, delete, import;
    CSP violations are watched all along (the caller checks the last stretch)."""
    app.js(JS_WATCH_CSP)
    item = app.tag(STAT, "statistic", how="key")
    app.wait_stored(present=[item["id"]])
    app.wait_saved()  # the crash-safe copy (IndexedDB) works here too, file:// included
    assert app.js("return window.__cspViolations;") == [], "CSP violations during normal use"
    app.reload()
    app.js(JS_WATCH_CSP)
    app.wait(lambda: [i["id"] for i in app.items()] == [item["id"]], "the annotation after a reload")
    path, data = app.export()
    assert [a["id"] for a in data["annotations"]] == [item["id"]]
    app.activate_item(item["id"])
    app.press(Keys.DELETE)
    app.wait(lambda: app.items() == [], "the annotation deleted")
    app.import_file(path)
    app.wait(lambda: [(i["id"], i["label"]) for i in app.items()] == [(item["id"], "statistic")], "the import restores it")
    return item


def rare_parts_round_trip(app, item):
    """A format other than the native one (the rare parts, a second module loaded on first
    use): not loaded before, then a W3C export and its import give the annotation back."""
    files = export_as(app, "w3c")
    (path,) = [app.download_dir / n for n in files]
    kept = app.workdir / path.name
    kept.write_bytes(files[path.name])
    app.activate_item(item["id"])
    app.press(Keys.DELETE)
    app.wait(lambda: all(i["id"] != item["id"] for i in app.items()), "the annotation deleted")
    app.import_file(kept)
    back = (item["text"], item["label"])
    app.wait(lambda: back in [(i["text"], i["label"]) for i in app.items()], "the W3C import restores it")


def rare_requests(app) -> list[str]:
    return app.js("return performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /rare/.test(n));")


def test_rare_parts_load_on_first_use_and_work_offline_after(app):
    """The first visit does not download the rare parts; the first W3C export loads them
    (and works). (Offline, from the service worker's cache: test_opens_offline_after_the_first_visit.)"""
    assert rare_requests(app) == [], "the first load fetched the rare parts"
    item = app.tag(STAT, "statistic", how="key")
    app.wait_saved()
    rare_parts_round_trip(app, item)
    names = [n.rsplit("/", 1)[-1] for n in rare_requests(app)]
    assert {"rare-loader.js", "annotator-rare.js", "annotator-rare_bg.wasm"} <= set(names), names


def test_rare_parts_that_cannot_load_say_so_change_nothing_and_load_next_time(new_app, server, dist_copy):
    """A deployment whose rare parts cannot be fetched: the export says so, nothing is
    downloaded and nothing changes; once the file is back, the next try works."""
    wasm = dist_copy / "annotator-rare_bg.wasm"
    aside = dist_copy.parent / "annotator-rare_bg.wasm.aside"
    wasm.rename(aside)
    app = open_at(new_app, server.url)
    item = app.tag(STAT, "statistic", how="key")
    app.wait_saved()
    for f in app.download_dir.iterdir():
        f.unlink()
    Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Export format"]')).select_by_value("w3c")
    app.click_button("Export")
    app.wait(lambda: "could not be loaded" in (app.notice() or ""), "the export says the rare parts could not be loaded")
    assert "Nothing was downloaded" in app.notice()
    assert list(app.download_dir.iterdir()) == []
    assert [(i["id"], i["label"]) for i in app.items()] == [(item["id"], "statistic")]
    aside.rename(wasm)
    rare_parts_round_trip(app, item)


# --------------------------------------------------------------------------- single file


def test_single_file_works_from_file_url(new_app, seed_text):
    if not SINGLE.is_file():
        pytest.fail(f"{SINGLE} is missing: run scripts/build-single.sh (or set E2E_SINGLE)", pytrace=False)
    app = open_at(new_app, SINGLE.as_uri())
    assert app.js("return location.protocol;") == "file:"
    assert app.article_text() == seed_text, "the default article is built in"
    # Everything is inside the file: no other file or host was asked for anything.
    assert app.js("return performance.getEntriesByType('resource').map((e) => e.name);") == []
    assert app.js("return getComputedStyle(document.querySelector('#article')).whiteSpace;") == "pre-wrap", "styles inlined"
    check_csp(app)

    item = tag_reload_export_import(app)
    rare_parts_round_trip(app, item)

    # No service worker from file://, and the version message stays quiet.
    assert app.js("return !(navigator.serviceWorker && navigator.serviceWorker.controller);")
    assert banner(app) == ""
    assert app.js("return window.__cspViolations;") == [], "CSP violations during normal use"
    assert csp_console_errors(app) == []
    assert_csp_enforced(app)

    # Team sync needs PouchDB, which a file:// page cannot load: Connect says so, and asks nothing of anyone.
    app.click(app.driver.find_element(By.CSS_SELECTOR, "button.team-toggle"))
    form = app.wait(lambda: app.driver.find_element(By.CSS_SELECTOR, 'section[aria-label="Team sync"] form'), "Team sync panel")
    for name, value in [("url", "http://127.0.0.1:9"), ("db", "desk"), ("user", "alice"), ("password", "pw")]:
        form.find_element(By.NAME, name).send_keys(value)
    app.click(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    app.wait(lambda: "needs the served app" in app.driver.find_element(By.ID, "sync-error").text, "Connect refuses in the single file")
    assert app.driver.find_element(By.ID, "sync-status").text == "Not connected"
    assert app.js("return performance.getEntriesByType('resource').map((e) => e.name);") == []


# --------------------------------------------------------------------------- sub-path


def test_release_build_under_a_sub_path(new_app, server, seed_text):
    app = open_at(new_app, server.url)
    assert app.article_text() == seed_text
    item = app.tag(STAT, "statistic")
    app.wait_stored(present=[item["id"]])
    app.reload()
    app.wait(lambda: [i["id"] for i in app.items()] == [item["id"]], "the annotation after a reload")

    resources = app.js("return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);")
    assert any(r.endswith(".wasm") for r in resources), resources
    # (the page names its favicon, relatively: no request for /favicon.ico either)
    outside = [p for p in resources + server.paths if not p.startswith(SUB_PATH)]
    assert outside == [], f"asset URLs must be relative: requests outside {SUB_PATH}: {outside}"
    scope = app.driver.execute_async_script(JS_SW_SCOPE)
    assert scope == server.url, f"the service worker's scope is the app's directory, got {scope!r}"

    # The prefix without its slash redirects to the app.
    app.driver.get(server.url.rstrip("/"))
    app.wait_ready()
    assert app.js("return location.pathname;") == SUB_PATH


# --------------------------------------------------------------------------- offline


def test_opens_offline_after_the_first_visit(new_app, server, seed_text):
    app = open_at(new_app, server.url)
    item = app.tag(STAT, "statistic")
    app.wait_stored(present=[item["id"]])
    wait_controlled(app)
    cached = app.driver.execute_async_script(JS_CACHES)
    assert len(cached) == 1, f"one cache for this version: {cached}"
    (paths,) = cached.values()
    for f in [p.relative_to(server.root).as_posix() for p in server.root.rglob("*") if p.is_file()]:
        if f != "sw.js":
            assert SUB_PATH + f in paths, f"{f} is not cached: {paths}"

    server.stop()
    reload_page(app)  # the server is gone: the service worker answers from its cache
    assert app.article_text() == seed_text
    app.wait(lambda: [i["id"] for i in app.items()] == [item["id"]], "the stored annotation, offline")
    claim = app.tag(CLAIM, "claim", how="button")
    app.wait_stored(present=[item["id"], claim["id"]])
    app.wait_saved()
    # A new visit (not a reload) works offline too.
    app.driver.get(server.url)
    app.wait_ready()
    app.wait(lambda: len(app.items()) == 2, "both annotations on a new offline visit")
    assert banner(app) == "", "no version message when nothing changed"
    # The rare parts, never loaded by this page, come from the cache too.
    rare_parts_round_trip(app, claim)


def test_new_version_is_loaded_on_the_next_visit_and_said(new_app, server, dist_copy):
    app = open_at(new_app, server.url)
    wait_controlled(app)
    assert banner(app) == "", "no version message on a first visit"
    v1 = page_version(app)
    assert v1, "the page carries its version (meta annotator-version)"

    deploy_new_version(dist_copy, "v2-test")
    app.driver.get(server.url)  # the next visit
    app.wait_ready()
    assert page_version(app) == "v2-test", "the next visit runs the new version (network first)"
    app.wait(lambda: "A new version was loaded" in banner(app), "the message that a new version was loaded")
    # The new service worker takes over and keeps only the new version.
    app.wait(
        lambda: [n.endswith(" v2-test") for n in app.driver.execute_async_script(JS_CACHES)] == [True],
        "the cache of the new version only",
        timeout=SW_WAIT,
    )
    app.click_button("Dismiss")
    app.wait(lambda: banner(app) == "", "Dismiss hides the message")

    server.stop()
    reload_page(app)
    assert page_version(app) == "v2-test", "offline, the new version opens from the cache"
    assert banner(app) == "", "the message is said once"


def test_page_from_the_cache_offers_the_new_version(new_app, server, dist_copy):
    """On a network slower than the service worker's patience (3 s) the page comes from the
    cache; the new version installs meanwhile and the page offers a reload."""
    app = open_at(new_app, server.url)
    wait_controlled(app)
    v1 = page_version(app)

    deploy_new_version(dist_copy, "v2-slow")
    server.page_delay = 6.0
    app.driver.get(server.url)
    app.wait_ready()
    assert page_version(app) == v1, "a slow network gets the cached page"
    app.wait(
        lambda: "A new version is available" in banner(app),
        "the offer to reload into the new version",
        timeout=SW_WAIT,
    )
    app.click_button("Reload")
    app.wait(lambda: page_version(app) == "v2-slow", "the reload runs the new version", timeout=SW_WAIT)
    app.wait_ready()
    app.wait(lambda: "A new version was loaded" in banner(app), "the message that a new version was loaded")


# --------------------------------------------------------------------------- CSP


def test_csp_is_strict_enforced_and_quiet_in_normal_use(app):
    d = check_csp(app)
    # Every inline script of the served page is allowed by its hash (trunk's loader), and
    # nothing else: no 'unsafe-inline'.
    html = (DIST / "index.html").read_text(encoding="utf-8")
    hashes = {post_build.csp_hash(s) for s in post_build.inline_scripts(html)}
    assert hashes and hashes <= set(d["script-src"]), f"inline scripts {hashes} vs script-src {d['script-src']}"
    assert app.js("return document.styleSheets.length > 0 && getComputedStyle(document.body).margin === '0px';"), "stylesheet applied"

    app.js(JS_WATCH_CSP)
    claim = app.tag(CLAIM, "claim", how="button")
    app.tag(STAT, "statistic", how="key")
    app.activate_item(claim["id"])
    app.press("2")
    app.wait(lambda: app.item_by_quote(CLAIM)["label"] == "denial", "retag")
    path, _ = app.export()
    app.press(Keys.DELETE)
    app.wait(lambda: len(app.items()) == 1, "delete")
    app.import_file(path)
    app.wait(lambda: len(app.items()) == 2, "import")
    assert app.js("return window.__cspViolations;") == [], "CSP violations during normal use"
    assert csp_console_errors(app) == [], "CSP errors in the console (load included)"
    assert_csp_enforced(app)


# --------------------------------------------------------------------------- XSS

PAYLOADS = [
    "<script>window.__pwned = 'script'</script><script>alert(1)</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "javascript:window.__pwned = 'js'",
    '"><svg onload="window.__pwned = \'svg\'"></svg><a href="javascript:window.__pwned=1">x</a>',
    "<iframe src=\"javascript:window.__pwned = 'iframe'\"></iframe>",
]

# <script> elements but those the app adds itself to load its parts on first use.
SCRIPTS_NOT_OURS = r"Array.from(document.scripts).filter((s) => !/\/(rare-loader|pouchdb\.min|team-sync)\.js$/.test(s.src)).length"

JS_INJECTED = r"""
return {
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  // (the payloads' <svg onload> would show up under handlers; the app draws SVG charts itself)
  elements: Array.from(document.querySelectorAll('img, iframe, object, embed, [href^="javascript:" i], [src^="javascript:" i]')).map((e) => e.outerHTML),
  handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).map((e) => e.tagName),
  scripts: SCRIPTS_NOT_OURS,
};
""".replace("SCRIPTS_NOT_OURS", SCRIPTS_NOT_OURS)


def assert_nothing_ran(app, scripts_before: int):
    got = app.js(JS_INJECTED)
    assert got["pwned"] is None, f"a payload ran: window.__pwned = {got['pwned']!r}"
    assert got["elements"] == [], f"payload markup became elements: {got['elements']}"
    assert got["handlers"] == [], f"elements with inline event handlers: {got['handlers']}"
    assert got["scripts"] == scripts_before, "new <script> elements appeared"


def payload_annotations(seed_text: str) -> list[dict]:
    quotes = [STAT, CLAIM, DENIAL]
    labels = ["statistic", "claim", "denial"]
    out = []
    for i, (q, label) in enumerate(zip(quotes, labels)):
        start = seed_text.index(q)
        out.append({
            "id": PAYLOADS[i + 1] + f" #{i}",
            "start": start, "end": start + len(q), "quote": q, "label": label,
            "note": PAYLOADS[i] + " " + PAYLOADS[(i + 3) % len(PAYLOADS)],
            "created": PAYLOADS[(i + 2) % len(PAYLOADS)], "modified": PAYLOADS[(i + 4) % len(PAYLOADS)],
        })
    return out


def native_file(annotations: list[dict], **extra) -> str:
    return json.dumps({"format": "text-annotator/annotations", "version": 1, "annotations": annotations, **extra})


def check_items_literal(app, anns: list[dict]):
    items = {i["id"]: i for i in app.items()}
    assert set(items) == {a["id"] for a in anns}, f"ids must come back exactly: {list(items)}"
    for a in anns:
        # (the list shows up to 200 characters of a note)
        assert norm_ws(a["note"])[:150] in items[a["id"]]["text"], f"note shown literally in {items[a['id']]}"


def test_script_payloads_in_files_and_storage_never_run(app, seed_text, tmp_path):
    scripts_before = app.js("return " + SCRIPTS_NOT_OURS + ";")
    anns = payload_annotations(seed_text)
    # The file's own name is shown too ("Imported 3 annotations from …").
    name = "<img src=x onerror=alert(7)>.json"
    path = tmp_path / name
    path.write_text(native_file(anns, document={"title": PAYLOADS[0], "name": PAYLOADS[1]}), encoding="utf-8")
    app.import_file(path)
    app.wait(lambda: len(app.items()) == 3, "the three imported annotations")
    assert_nothing_ran(app, scripts_before)
    check_items_literal(app, anns)
    assert name in (app.info() or "") + (app.notice() or ""), f"file name shown literally: info={app.info()!r}"
    # Selecting one puts its note in the note editor as text.
    # (conftest's activate_item builds a CSS selector from the id, which these ids break)
    button = app.js(
        "return Array.from(document.querySelectorAll('ol[aria-label=Annotations] > li'))"
        ".find((li) => li.getAttribute('data-id') === arguments[0]).querySelector('button');",
        anns[0]["id"],
    )
    app.click(button)
    app.wait_current(anns[0]["id"])
    assert app.driver.find_element(By.ID, "note-editor").get_attribute("value") == anns[0]["note"]
    assert_nothing_ran(app, scripts_before)

    # A refused file whose fields are markup: the message quotes them as text.
    bad = dict(anns[0], label="<img src=x onerror=alert(6)>")
    bad_path = tmp_path / "bad.annotations.json"
    bad_path.write_text(native_file([bad]), encoding="utf-8")
    app.import_file(bad_path)
    app.wait(lambda: "<img src=x onerror=alert(6)>" in app.notice(), "the refusal quoting the bad label literally")
    assert_nothing_ran(app, scripts_before)

    # A crafted record in local storage, then a reload.
    app.wait_stored(present=[anns[0]["id"]])
    (doc_id,) = {record_key_doc_id(k) for k in app.storage()} - {None}
    key = STORAGE_PREFIX + doc_id
    journals = app.journal_keys(doc_id)
    record = json.loads(app.storage().get(key) or app.storage()[journals[0]])
    # The crafted record replaces everything stored: no journal beside it, and nothing
    # in the crash-safe copy (start-up would otherwise merge the real ones back in).
    app.remove_stored(journals + [key])
    stored = payload_annotations(seed_text)
    for a in stored:
        a["id"] = "stored " + a["id"]
        a["note"] = "<img src=x onerror=\"window.__pwned='storage'\"> " + a["note"]
    record["annotations"] = stored
    app.js("localStorage.setItem(arguments[0], arguments[1]);", key, json.dumps(record))
    app.reload()
    scripts_now = app.js("return " + SCRIPTS_NOT_OURS + ";")
    assert_nothing_ran(app, scripts_now)
    check_items_literal(app, stored)

    # An unreadable crafted record: kept aside, and the reason quotes it as text.
    app.js(
        "localStorage.setItem(arguments[0], arguments[1]);",
        key,
        json.dumps({"format": "<img src=x onerror=alert(5)>", "version": 1, "annotations": []}),
    )
    app.reload()
    app.wait(lambda: "<img src=x onerror=alert(5)>" in (app.notice() or ""), "the unreadable record's reason, literally")
    assert_nothing_ran(app, scripts_now)
    assert app.items() == []



ARTICLE_PAYLOAD = (
    "<script>window.__pwned = 'article script'</script>\n"
    "<img src=x onerror=\"window.__pwned = 'article img'\">\n\n"
    "<a href=\"javascript:window.__pwned = 'article link'\">click me</a> javascript:alert(1)\n"
    "<svg onload=\"window.__pwned = 'article svg'\"></svg> &lt;b&gt;entities stay as typed&lt;/b&gt; &amp; <b>bold?</b>\n"
)


def test_script_payloads_in_an_opened_text_never_run(app, tmp_path):
    assert app.driver.find_elements(By.CSS_SELECTOR, 'input[type=file][aria-label="Open text file"]'), \
        "no 'Open text file' input"
    scripts_before = app.js("return " + SCRIPTS_NOT_OURS + ";")
    path = tmp_path / "<img src=x onerror=alert(8)>.txt"
    path.write_text(ARTICLE_PAYLOAD, encoding="utf-8", newline="")
    app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Open text file"]').send_keys(str(path))
    app.wait(lambda: app.article_text() == ARTICLE_PAYLOAD, "the opened text, shown literally")
    assert_nothing_ran(app, scripts_before)
    title = app.js("return document.querySelector('.doc-title').textContent;")
    assert "<img src=x onerror=alert(8)>" in title, f"the title from the file name, literally: {title!r}"

    quote = "<script>window.__pwned = 'article script'</script>"
    item = app.tag(quote, "claim", how="button")
    assert "".join(m["text"] for m in app.marks(item["id"])) == quote
    app.wait_stored(present=[item["id"]])
    app.reload()
    app.wait(lambda: app.article_text() == ARTICLE_PAYLOAD, "the opened text after a reload")
    app.wait(lambda: [i["id"] for i in app.items()] == [item["id"]], "its annotation after a reload")
    assert_nothing_ran(app, app.js("return " + SCRIPTS_NOT_OURS + ";"))
