"""End-to-end: the speaker and verdict of an annotation (issue 12, first part),
set from the keyboard, shown in the list (as text), searchable, undoable,
kept across a reload and carried in the exported native file."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import chord

CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"


def field(app, name: str):
    panel = app.driver.find_element(By.CSS_SELECTOR, 'section[aria-label="Selected annotation"]')
    return panel.find_element(By.CSS_SELECTOR, f'input[aria-label="{name}"]')


def item_text(app, ann_id: str) -> str:
    return app.item(ann_id).text


def stored(app, ann_id: str) -> dict:
    for rec in app.stored_records().values():
        for a in rec["annotations"]:
            if a["id"] == ann_id:
                return a
    return {}


def test_speaker_and_verdict_by_keyboard_survive_reload_and_export(app):
    claim = app.tag(CLAIM, "claim")["id"]
    app.activate_item(claim)
    app.clear_selection()
    app.press(Keys.ENTER)  # opens the note editor; Tab moves on to Speaker, then Verdict
    app.wait(lambda: app.js("return document.activeElement && document.activeElement.id") == "note-editor", "Enter opens the note")
    app.press(Keys.TAB)
    app.wait(lambda: app.js("return document.activeElement.getAttribute('aria-label')") == "Speaker", "Tab reaches Speaker")
    app.press("Khawaja Asif", Keys.TAB)
    app.wait(lambda: app.js("return document.activeElement.getAttribute('aria-label')") == "Verdict", "Tab reaches Verdict")
    app.press("Mostly false", Keys.TAB)
    app.wait(lambda: "Speaker: Khawaja Asif" in item_text(app, claim) and "Verdict: Mostly false" in item_text(app, claim),
             "the list shows speaker and verdict as text")
    app.wait(lambda: stored(app, claim).get("speaker") == "Khawaja Asif" and stored(app, claim).get("verdict") == "Mostly false",
             "speaker and verdict are stored")

    # The verdict field offers the usual verdicts; the speaker field the speakers used.
    options = app.js("return [...document.querySelectorAll('#verdict-choices option')].map(o => o.value)")
    assert "Misleading" in options and "Unverifiable" in options, options
    denial = app.tag(DENIAL, "denial")["id"]
    app.activate_item(denial)
    speakers = app.js("return [...document.querySelectorAll('#speaker-suggestions option')].map(o => o.value)")
    assert speakers == ["Khawaja Asif"], speakers

    # Search finds the claim by its speaker.
    search = app.driver.find_element(By.CSS_SELECTOR, 'input[aria-label="Search annotations"]')
    search.send_keys("asif")
    app.wait(lambda: [i["id"] for i in app.items()] == [claim], "search by speaker")
    app.js("const s = arguments[0]; s.value = ''; s.dispatchEvent(new InputEvent('input', {bubbles: true}));", search)
    app.wait(lambda: len(app.items()) == 2, "search cleared")

    # One undo step per change: undoing the verdict keeps the speaker.
    app.clear_selection()
    chord(app, Keys.CONTROL, "z")  # the denial's tag
    app.wait(lambda: len(app.items()) == 1, "Ctrl+Z undoes the denial")
    chord(app, Keys.CONTROL, "z")  # then the verdict (committed on its own when the field was left)
    app.wait(lambda: "Verdict:" not in item_text(app, claim) and "Speaker: Khawaja Asif" in item_text(app, claim),
             "Ctrl+Z undoes the verdict and keeps the speaker")
    chord(app, Keys.CONTROL, Keys.SHIFT, "z")
    app.wait(lambda: "Verdict: Mostly false" in item_text(app, claim), "Ctrl+Shift+Z redoes it")
    app.wait_saved()

    app.reload()
    app.wait(lambda: "Speaker: Khawaja Asif" in item_text(app, claim), "after reload the list shows the speaker")
    app.activate_item(claim)
    assert field(app, "Speaker").get_attribute("value") == "Khawaja Asif"
    assert field(app, "Verdict").get_attribute("value") == "Mostly false"

    _, data = app.export()
    exported = {a["id"]: a for a in data["annotations"]}
    assert exported[claim]["speaker"] == "Khawaja Asif" and exported[claim]["verdict"] == "Mostly false"

    # The summary counts claims by verdict and names the speakers.
    app.click(app.driver.find_element(By.CSS_SELECTOR, "details.summary > summary"))
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, "dl.verdicts"), "the summary opens with claims by verdict")
    verdicts = app.driver.find_element(By.CSS_SELECTOR, "dl.verdicts").text
    assert "Mostly false" in verdicts and "No verdict yet" in verdicts, verdicts
    assert "Khawaja Asif" in app.driver.find_element(By.CSS_SELECTOR, "dl.speakers").text


def test_verdict_filter_shows_only_claims_with_that_verdict(app):
    from selenium.webdriver.support.ui import Select

    claim = app.tag(CLAIM, "claim")["id"]
    denial = app.tag(DENIAL, "denial")["id"]
    app.activate_item(claim)
    v = field(app, "Verdict")
    app.click(v)
    v.send_keys("Misleading", Keys.TAB)
    app.wait(lambda: "Verdict: Misleading" in item_text(app, claim), "the verdict is set")
    choice = Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Verdict filter"]'))
    choice.select_by_visible_text("Misleading")
    app.wait(lambda: [i["id"] for i in app.items()] == [claim], "only the misleading claim is listed")
    assert not app.driver.find_elements(By.CSS_SELECTOR, f'mark.hl[data-ids~="{denial}"]'), "and highlighted"
    choice.select_by_visible_text("No verdict")
    app.wait(lambda: [i["id"] for i in app.items()] == [denial], "No verdict lists the denial")
    choice.select_by_visible_text("Any verdict")
    app.wait(lambda: len(app.items()) == 2, "Any verdict lists both")
