"""End-to-end: the ClaimReview export (issue 13). A claim with a speaker and a verdict,
the document's Source URL, Publisher, Published and Review URL and the fact-checking
organisation give a schema.org ClaimReview with Google's required fields; the file is
expanded by a JSON-LD processor (PyLD) against a schema.org context kept in the tests
(a subset of https://schema.org/docs/jsonldcontext.jsonld with the terms used; no
network). Without a Review URL the export says what is missing and marks drafts."""

from __future__ import annotations

import json
from pathlib import Path

from pyld import jsonld
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"
CONTEXT = json.loads((Path(__file__).parent / "schemaorg-context.jsonld").read_text(encoding="utf-8"))
S = "http://schema.org/"


def offline_loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise RuntimeError(f"no network in tests: {url}")


def set_field(app, name: str, value: str):
    box = app.driver.find_element(By.CSS_SELECTOR, "details.doc-details")
    if not box.get_attribute("open"):
        app.click(box.find_element(By.TAG_NAME, "summary"))
    f = app.driver.find_element(By.CSS_SELECTOR, f'input[aria-label="{name}"]')
    app.click(f)
    f.send_keys(Keys.CONTROL, "a")
    f.send_keys(value, Keys.TAB)


def export_claimreview(app) -> dict:
    target = app.download_dir / "seed-article.claimreview.jsonld"
    for f in app.download_dir.iterdir():
        f.unlink()
    Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Export format"]')).select_by_value("claimreview")
    app.click_button("Export")

    def done():
        try:
            return json.loads(target.read_text(encoding="utf-8")) if target.is_file() else False
        except ValueError:
            return False

    return app.wait(done, "the ClaimReview download")


def test_claimreview_has_googles_required_fields_and_expands_as_json_ld(app):
    claim = app.tag(CLAIM, "claim")["id"]
    app.tag(DENIAL, "denial")
    app.activate_item(claim)
    app.fill_selected(Speaker="Khawaja Asif", Verdict="Misleading")
    app.wait(lambda: "Verdict: Misleading" in app.item(claim).text, "the verdict is set")

    # Without a Review URL: drafts, and the export says so.
    data = export_claimreview(app)
    review = next(n for n in data["@graph"] if n["@type"] == "ClaimReview")
    assert review["creativeWorkStatus"] == "Draft" and "url" not in review
    app.wait(lambda: "Review URL is not set" in app.info(), "the export says what is missing")

    for name, value in (("Source URL", "https://www.geo.tv/latest/1"), ("Publisher", "Geo News"), ("Published", "2024-05-01"),
                        ("Review URL", "https://factcheck.example/asif-ttp"), ("Fact-checking organisation", "Example Desk")):
        set_field(app, name, value)
    app.wait(lambda: app.info() in ("Document details saved.", "Fact-checking organisation saved."), "details saved")
    app.wait(lambda: app.driver.find_element(By.CSS_SELECTOR, 'input[aria-label="Fact-checking organisation"]').get_attribute("value")
             == "Example Desk", "the organisation is kept")
    data = export_claimreview(app)
    reviews = [n for n in data["@graph"] if n["@type"] == "ClaimReview"]
    claims = [n for n in data["@graph"] if n["@type"] == "Claim"]
    assert len(reviews) == 1 and [c["text"] for c in claims] == [DENIAL]
    r = reviews[0]
    # Google's required fields.
    assert r["claimReviewed"] == CLAIM and r["reviewRating"]["alternateName"] == "Misleading"
    assert r["url"] == "https://factcheck.example/asif-ttp" and "creativeWorkStatus" not in r
    assert r["author"] == {"@type": "Organization", "name": "Example Desk"}
    assert r["itemReviewed"]["author"] == {"@type": "Person", "name": "Khawaja Asif"}
    app_ = r["itemReviewed"]["appearance"]
    assert (app_["url"], app_["publisher"]["name"], app_["datePublished"]) == ("https://www.geo.tv/latest/1", "Geo News", "2024-05-01")

    # A JSON-LD processor reads it as schema.org terms.
    expanded = jsonld.expand(data, {"documentLoader": offline_loader})
    by_type = {n["@type"][0]: n for n in expanded}
    er = by_type[S + "ClaimReview"]
    assert er[S + "claimReviewed"][0]["@value"] == CLAIM
    assert er[S + "reviewRating"][0][S + "alternateName"][0]["@value"] == "Misleading"
    assert er[S + "url"][0]["@id"] == "https://factcheck.example/asif-ttp"
    assert er[S + "itemReviewed"][0]["@type"] == [S + "Claim"]
