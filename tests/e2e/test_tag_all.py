"""End-to-end: tag all occurrences (issue 12). Shift+1 with "Kabul" selected tags all
four in the sample article in one undo step and says how many; the toolbar's
"Tag all occurrences…" asks for the label (keyboard only); with Snap to words on,
"Afghan" does not tag the "Afghan" inside "Afghanistan"."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import chord


def quotes(app) -> list[tuple[str, str]]:
    return sorted((i["label"], i["text"]) for i in app.items())


def test_shift_1_tags_every_occurrence_in_one_undo_step(app):
    app.select_text("Kabul")
    chord(app, Keys.SHIFT, "1")
    app.wait(lambda: len(app.items()) == 4, "Shift+1 tags the four occurrences of Kabul")
    assert all(i["label"] == "claim" for i in app.items())
    assert app.info() == "Tagged 4 occurrences of “Kabul” as Claim.", app.info()
    assert "Tagged 4 occurrences" in app.js("return document.getElementById('announce').textContent")
    # Again with another occurrence selected: nothing left, said so.
    app.select_text("Kabul", 2)
    chord(app, Keys.SHIFT, "1")
    app.wait(lambda: app.info() == "Every occurrence of “Kabul” is already tagged Claim.", "nothing left to tag")
    assert len(app.items()) == 4
    app.clear_selection()
    chord(app, Keys.CONTROL, "z")
    app.wait(lambda: len(app.items()) == 0, "one Ctrl+Z takes all four back")
    chord(app, Keys.CONTROL, Keys.SHIFT, "z")
    app.wait(lambda: len(app.items()) == 4, "Ctrl+Shift+Z brings them back")


def test_the_toolbar_button_asks_for_the_label_by_keyboard_and_snaps_to_words(app):
    app.click(app.driver.find_element(By.XPATH, "//label[contains(., 'Snap to words')]/input"))
    app.select_text("Afghan", 3)  # in "the Afghan interim government"
    button = app.button("Tag all occurrences…")
    app.js("arguments[0].focus()", button)
    app.press(Keys.ENTER)
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, '[role=group][aria-label="Tag all occurrences as"]'),
             "the button asks for the label")
    assert button.get_attribute("aria-expanded") == "true"
    app.press(Keys.TAB, Keys.TAB)  # Tag all as Claim → Tag all as Denial
    app.wait(lambda: app.js("return document.activeElement.textContent") == "Tag all as Denial", "Tab reaches Denial")
    app.press(Keys.ENTER)
    app.wait(lambda: len(app.items()) > 0, "the denials are tagged")
    texts = [t for _, t in quotes(app)]
    assert len(texts) == 4, f"the four whole words “Afghan”, not “Afghanistan”: {texts}"
    assert all(label == "denial" for label, _ in quotes(app))
    assert app.info() == "Tagged 4 occurrences of “Afghan” as Denial.", app.info()
    assert not app.driver.find_elements(By.CSS_SELECTOR, ".tag-all-menu"), "the menu closes"
    # Escape closes the menu without tagging.
    app.select_text("Asif")
    app.js("arguments[0].focus()", app.button("Tag all occurrences…"))
    app.press(Keys.ENTER)
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, ".tag-all-menu"), "the menu opens")
    app.press(Keys.TAB, Keys.ESCAPE)
    app.wait(lambda: not app.driver.find_elements(By.CSS_SELECTOR, ".tag-all-menu"), "Escape closes it")
    assert len(app.items()) == 4
