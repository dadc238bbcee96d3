"""End-to-end: the open document's details (issue 12) — "Source URL", "Publisher",
"Published" — set by keyboard, shown under the title and in the Documents list,
kept across a reload, carried into the exported native file (version 2), taken back
with Ctrl+Z, and a bad value refused with a message and nothing changed."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import chord

URL = "https://www.dawn.com/news/1835000"


def field(app, name: str):
    return app.driver.find_element(By.CSS_SELECTOR, f'details.doc-details input[aria-label="{name}"]')


def open_details(app):
    box = app.driver.find_element(By.CSS_SELECTOR, "details.doc-details")
    if not box.get_attribute("open"):
        app.click(box.find_element(By.TAG_NAME, "summary"))
    app.wait(lambda: field(app, "Source URL").is_displayed(), "the details open")


def library_details(app) -> dict:
    raw = app.js("return localStorage.getItem('text-annotator.v2.library')")
    docs = json.loads(raw)["documents"]
    d = next(d for d in docs if d.get("seed"))
    return {k: d.get(k, "") for k in ("source_url", "publisher", "published")}


def source_line(app) -> str:
    els = app.driver.find_elements(By.CSS_SELECTOR, 'ul[aria-label="Documents"] li.current .doc-source')
    return els[0].get_attribute("title") if els else ""


def test_details_by_keyboard_kept_exported_undone_and_checked(app):
    open_details(app)
    f = field(app, "Source URL")
    app.click(f)
    app.press(URL, Keys.TAB, "Dawn", Keys.TAB, "2024-05-01", Keys.TAB)
    app.wait(lambda: library_details(app) == {"source_url": URL, "publisher": "Dawn", "published": "2024-05-01"},
             "the three details are stored with the document")
    app.wait(lambda: source_line(app) == f"Dawn · 2024-05-01 · {URL}", "the Documents list shows them")
    summary = app.driver.find_element(By.CSS_SELECTOR, "details.doc-details summary").text
    assert "Dawn · 2024-05-01" in summary, summary

    app.reload()
    open_details(app)
    assert field(app, "Publisher").get_attribute("value") == "Dawn"
    assert field(app, "Published").get_attribute("value") == "2024-05-01"
    _, data = app.export()
    assert data["version"] == 2
    assert (data["document"]["source_url"], data["document"]["publisher"], data["document"]["published"]) == (URL, "Dawn", "2024-05-01")

    # A date that does not exist: refused with a message, nothing changes.
    p = field(app, "Published")
    app.click(p)
    p.send_keys(Keys.CONTROL, "a")
    p.send_keys("2024-02-30", Keys.TAB)
    app.wait(lambda: "is not a date" in app.notice(), "a bad date is refused with a message")
    assert library_details(app)["published"] == "2024-05-01"
    # Fix it; then Ctrl+Z takes that change back (one step), the URL stays.
    p = field(app, "Published")
    app.click(p)
    p.send_keys(Keys.CONTROL, "a")
    p.send_keys("2024-05-02", Keys.TAB)
    app.wait(lambda: library_details(app)["published"] == "2024-05-02", "the corrected date is stored")
    app.clear_selection()
    chord(app, Keys.CONTROL, "z")
    app.wait(lambda: library_details(app)["published"] == "2024-05-01", "Ctrl+Z restores the previous date")
    assert library_details(app)["source_url"] == URL
    app.wait(lambda: field(app, "Published").get_attribute("value") == "2024-05-01", "the field shows it")

    # Not a web address.
    u = field(app, "Source URL")
    app.click(u)
    u.send_keys(Keys.CONTROL, "a")
    u.send_keys("www.dawn.com", Keys.TAB)
    app.wait(lambda: "is not a web address" in app.notice(), "a URL without http(s) is refused")
    assert library_details(app)["source_url"] == URL
