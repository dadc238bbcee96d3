"""End-to-end: the annotated page export (issue 13). A document with a claim (speaker,
verdict), a denial that denies it and a note that looks like a script is exported as
one HTML file; opened from file:// in the browser it shows the title, the highlights
with their labels in text, the fact-check as sentences, and runs no script."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"


def test_annotated_page_is_static_escaped_and_readable(app):
    claim = app.tag(CLAIM, "claim")["id"]
    denial = app.tag(DENIAL, "denial")["id"]
    app.activate_item(claim)
    app.fill_selected(Verdict="False")
    app.wait(lambda: "Verdict: False" in app.item(claim).text, "the verdict is set")
    app.activate_item(denial)
    note = app.driver.find_element(By.ID, "note-editor")
    app.click(note)
    note.send_keys("<script>document.title='pwned'</script>")
    app.press(Keys.TAB)
    app.activate_item(denial)
    app.press("l")
    app.wait(lambda: "Linking from Denial" in app.info(), "l starts a link")
    app.click(app.item(claim).find_element(By.TAG_NAME, "button"))
    app.wait(lambda: "Linked:" in app.info(), "the denial denies the claim")
    app.wait_saved()

    target = app.download_dir / "seed-article.annotated.html"
    for f in app.download_dir.iterdir():
        f.unlink()
    Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Export format"]')).select_by_value("html")
    app.click_button("Export")
    app.wait(lambda: target.is_file() and target.stat().st_size > 0 and target.read_text(encoding="utf-8").rstrip().endswith("</html>"),
             "the annotated page download")

    app.driver.get(target.as_uri())
    app.wait(lambda: app.js("return document.readyState") == "complete", "the page loads from file://")
    assert app.js("return document.scripts.length") == 0, "no script in the page"
    assert app.js("return document.title") != "pwned", "the note is text, not a script"
    h1 = app.driver.find_element(By.TAG_NAME, "h1").text
    assert "Pakistan" in h1, h1
    marks = app.js("return [...document.querySelectorAll('article mark')].map(m => [m.className, m.textContent])")
    assert ["claim", CLAIM] in marks and ["denial", DENIAL] in marks, marks
    tags = app.js("return [...document.querySelectorAll('article .tag')].map(t => t.textContent)")
    assert "[Claim]" in tags and "[Denial]" in tags, tags
    review = app.driver.find_element(By.CSS_SELECTOR, "dl.review").text
    assert "Verdict: False" in review, review
    assert f"It denies the claim “{CLAIM}”." in review, review
    assert "<script>document.title='pwned'</script>" in review, "the note is shown as text"
