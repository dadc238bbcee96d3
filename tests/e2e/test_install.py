"""End-to-end tests of installing the app (issue 24), in every browser of E2E_BROWSERS, against
the release build served by conftest.py's server:

* the page links its favicon and its web app manifest by relative URLs; favicon.ico, the
  manifest and every icon it lists answer 200 with their content type, and the browser decodes
  each icon at the size the manifest states;
* the service worker caches them with the rest of the app, so the installed app opens offline
  with its icons (test_delivery.py's offline test opens it with the server stopped);
* in Chromium, also its own checks (DevTools protocol; the other browsers have no such API):
  the manifest parses with no error and lists the icons, and the page has no installability
  error once the service worker controls it.
"""

from __future__ import annotations

import json
import urllib.parse

from test_delivery import JS_CACHES, SW_WAIT, wait_controlled

ICO_TYPES = ("image/x-icon", "image/vnd.microsoft.icon")
MANIFEST_TYPE = "application/manifest+json"

# Fetches each URL (status, content type, body as text when asked) and loads it as an image
# (its natural size, or null when the browser cannot decode it). Async: WebDriver's callback last.
JS_PROBE = r"""
const [urls, asText, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const image = (url) => new Promise((resolve) => {
  const img = new Image();
  img.onload = () => resolve({width: img.naturalWidth, height: img.naturalHeight});
  img.onerror = () => resolve(null);
  img.src = url;
});
(async () => {
  const out = {};
  for (const url of urls) {
    const r = await fetch(url, {cache: 'no-store'});
    const body = await r.text();
    out[url] = {
      status: r.status,
      type: (r.headers.get('content-type') || '').split(';')[0].trim().toLowerCase(),
      text: asText ? body : null,
      image: asText ? null : await image(url),
    };
  }
  return out;
})().then(done, (e) => done({error: String(e)}));
"""

JS_LINKS = r"""
return Array.from(document.querySelectorAll('link[rel~=icon], link[rel=manifest], link[rel=apple-touch-icon]'))
  .map((l) => ({rel: l.rel, attr: l.getAttribute('href'), href: l.href}));
"""


def probe(app, urls: list[str], as_text: bool = False) -> dict:
    got = app.driver.execute_async_script(JS_PROBE, urls, as_text)
    assert got and "error" not in got, f"fetching {urls}: {got}"
    return got


def manifest_and_icons(app) -> tuple[str, dict, list[str]]:
    """The manifest's URL, its content, and the absolute URL of every icon it lists."""
    links = app.js(JS_LINKS)
    manifests = [link for link in links if link["rel"] == "manifest"]
    assert len(manifests) == 1, f"one <link rel=manifest>: {links}"
    url = manifests[0]["href"]
    got = probe(app, [url], as_text=True)[url]
    assert got["status"] == 200 and got["type"] == MANIFEST_TYPE, f"the manifest answered {got['status']} {got['type']}"
    manifest = json.loads(got["text"])
    return url, manifest, [urllib.parse.urljoin(url, icon["src"]) for icon in manifest["icons"]]


def test_favicon_manifest_and_icons_load(app):
    links = app.js(JS_LINKS)
    # Relative hrefs, so the app installs from any sub-path.
    assert all(not link["attr"].startswith(("/", "http")) for link in links), links
    favicon = app.base_url + "favicon.ico"
    assert any(link["rel"] == "icon" and link["href"] == favicon for link in links), f"no <link rel=icon> for {favicon}: {links}"

    url, manifest, icons = manifest_and_icons(app)
    assert url == app.base_url + "manifest.webmanifest"
    assert manifest["display"] == "standalone"
    assert urllib.parse.urljoin(url, manifest["start_url"]) == app.base_url
    assert urllib.parse.urljoin(url, manifest["scope"]) == app.base_url

    got = probe(app, [favicon] + icons)
    ico = got[favicon]
    assert ico["status"] == 200 and ico["type"] in ICO_TYPES, f"favicon.ico answered {ico['status']} {ico['type']}"
    assert ico["image"], "the browser cannot decode favicon.ico"
    for icon, icon_url in zip(manifest["icons"], icons):
        res = got[icon_url]
        assert res["status"] == 200, f"{icon['src']} answered {res['status']}"
        assert res["type"] == icon["type"], f"{icon['src']} is served as {res['type']}, the manifest says {icon['type']}"
        assert res["image"], f"the browser cannot decode {icon['src']}"
        if icon["sizes"] != "any":
            assert f"{res['image']['width']}x{res['image']['height']}" == icon["sizes"], f"{icon['src']}: {res['image']}"

    if app.browser == "chromium":  # Chromium's own parse of the manifest (DevTools protocol)
        got = app.driver.execute_cdp_cmd("Page.getAppManifest", {})
        assert got["url"] == url, got["url"]
        assert got["errors"] == [], f"Chromium finds errors in the manifest: {got['errors']}"
        assert [icon["src"] for icon in json.loads(got["data"])["icons"]] == [icon["src"] for icon in manifest["icons"]]


def test_installable_once_the_service_worker_controls_the_page(app):
    _, _, icons = manifest_and_icons(app)
    wait_controlled(app)
    cached = app.driver.execute_async_script(JS_CACHES)
    assert len(cached) == 1, f"one cache for this version: {cached}"
    (paths,) = cached.values()
    for url in [app.base_url + "favicon.ico", app.base_url + "manifest.webmanifest"] + icons:
        assert urllib.parse.urlsplit(url).path in paths, f"{url} is not cached: {paths}"

    if app.browser == "chromium":  # Chromium's installability check (DevTools protocol)
        last: dict = {}

        def installable():
            last.clear()
            last.update(app.driver.execute_cdp_cmd("Page.getInstallabilityErrors", {}))
            return last.get("installabilityErrors") == []

        try:
            app.wait(installable, "Chromium to find no installability error", timeout=SW_WAIT)
        except AssertionError as e:
            raise AssertionError(f"{e}\nlast answer: {last}") from None
