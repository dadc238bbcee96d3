"""End-to-end: the phone screen (issue 24). At 375×667 CSS px (Chromium: device emulation,
mobile, touch, DPR 2; Firefox: a popup window of that size, see `phone_viewport`):

* the article starts in the top third of the first screen: the less used top-bar controls
  (export, import, view options, help, theme) are behind "Menu";
* "Menu" is a disclosure (aria-expanded, aria-controls): Enter or Space opens it, Tab moves
  through its controls, Escape closes it and returns focus, a tap outside closes it; its
  controls keep their names and work; axe-core finds no serious violation with it open;
* nothing scrolls sideways, with the sidebar's panels open and unbroken long text (a URL, a
  long word) in an annotation's note, speaker and verdict;
* a selection is tagged with a touch tap (Chromium: CDP `Input.dispatchTouchEvent`; Firefox:
  WebDriver touch actions), also when the browser collapses the selection during the tap,
  and on a touch screen the hints name no keys.

At 1280×800 the Menu button is not shown and every control sits in the top bar.
"""

from __future__ import annotations

import re

from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import chord
from test_a11y_keyboard import JS_RECT, PHONE, dialog_open, inject_axe, phone_viewport, run_axe, serious
from test_compare import colleague_file

# The controls behind "Menu", in Tab order: (accessible name, tag).
MENU_CONTROLS = [("Export format", "select"), ("Export", "button"), ("Import annotations", "input"),
                 ("Snap to words", "input"), ("Keyboard help", "button"), ("Colour theme", "select")]
ALWAYS_SHOWN = ("Claim", "Denial", "Statistic", "Undo", "Menu")
LONG_URL = "https://example.org/fact-checks/" + "a-very-long-path-segment-without-spaces-" * 6 + "?q=" + "x" * 80
LONG_WORD = "Rechtsschutzversicherungsgesellschaftenvorstandsvorsitzender" * 3
# Key names a touch hint must not contain.
KEY_WORDS = re.compile(r"\b(press|key|keys|Ctrl|Shift|Enter|Escape|Alt|Tab)\b|(^|\s)[123l?](\s|,|$)", re.I)

# The accessible name and tag of the focused element (what the Tab order test compares).
JS_FOCUSED = r"""
const el = document.activeElement;
if (!el || el === document.body) return null;
const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
return {tag: el.tagName.toLowerCase(),
        name: (el.getAttribute('aria-label') || label || el.textContent || '').replace(/\s+/g, ' ').trim()};
"""

# Elements that reach past the right edge of the viewport (what scrolls sideways), for the message.
JS_WIDE = r"""
const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
  if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && r.right > innerWidth + 0.5 && !clipped(e)) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : '') + ' right=' + Math.round(r.right));
}
return out.slice(-8);
"""


def menu_button(app):
    # By text: hidden (on a wide screen) it has no accessible name; on a phone its name is checked.
    return app.driver.find_element(By.XPATH, "//header//button[normalize-space()='Menu']")


def menu_panel(app):
    ctl = menu_button(app).get_attribute("aria-controls")
    assert ctl, "the Menu button names the panel it controls (aria-controls)"
    panels = app.driver.find_elements(By.ID, ctl)
    assert len(panels) == 1, f"aria-controls={ctl!r} names no element"
    return panels[0]


def expanded(app) -> str:
    return menu_button(app).get_attribute("aria-expanded")


def control(app, name: str):
    """A top-bar control by accessible name (button text, aria-label, or its label's text)."""
    if name in ("Export", "Keyboard help"):  # by text: a hidden control has no accessible name
        return app.driver.find_element(By.XPATH, f"//header//button[normalize-space()='{name}']")
    if name == "Snap to words":
        return app.driver.find_element(By.XPATH, "//label[contains(., 'Snap to words')]/input")
    return app.driver.find_element(By.CSS_SELECTOR, f'[aria-label="{name}"]')


def shown(app, name: str):
    """What a person sees of the control: the file input is drawn by its label ("Import…")."""
    el = control(app, name)
    return app.js("return arguments[0].closest('label.file-btn');", el) if name == "Import annotations" else el


def on_screen(app, el) -> bool:
    r = app.js(JS_RECT, el)
    return el.is_displayed() and r["width"] > 0 and r["left"] >= 0 and r["right"] <= PHONE[0] and r["top"] >= 0 \
        and r["bottom"] <= PHONE[1]


def assert_no_sideways_scroll(app, where: str):
    """scrollWidth <= innerWidth, and the viewport is still the phone's: a mobile browser
    zooms out (widening innerWidth) to show a page wider than the screen."""
    sw, iw = app.js("return [document.documentElement.scrollWidth, innerWidth];")
    too_wide = app.js(JS_WIDE)
    assert iw == PHONE[0], f"{where}: the viewport widened to {iw} px (zoomed out): too wide: {too_wide}"
    assert sw <= iw, f"{where}: the page scrolls sideways (scrollWidth {sw} > innerWidth {iw}); too wide: {too_wide}"


def focused(app) -> dict | None:
    return app.js(JS_FOCUSED)


def is_focused(app, el) -> bool:
    return app.js("return document.activeElement === arguments[0];", el)


def touch_tap(app, el):
    """A real touch tap in the middle of `el`."""
    r = app.js(JS_RECT, el)
    touch_tap_at(app, r["left"] + r["width"] / 2, r["top"] + r["height"] / 2)


def touch_tap_at(app, x: float, y: float):
    """A real touch tap at viewport point (x, y): Chromium's touch input (CDP), Firefox's
    WebDriver touch actions."""
    if app.browser == "chromium":
        app.driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        app.driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        return
    ab = ActionBuilder(app.driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    ab.pointer_action.move_to_location(int(x), int(y))
    ab.pointer_action.pointer_down()
    ab.pointer_action.pointer_up()
    ab.perform()


def watch_pointers(app):
    app.js("window.__pointers = []; document.addEventListener('pointerdown', e => __pointers.push(e.pointerType), true);")


# --------------------------------------------------------------------------- the first screen


def test_phone_article_in_top_third_with_tag_buttons_and_undo_shown(app):
    phone_viewport(app)
    top = app.js("return document.querySelector('article#article').getBoundingClientRect().top;")
    print(f"\n[phone] {app.browser}: the article starts at {top:.0f} px of {PHONE[1]}")
    assert top < PHONE[1] / 3, f"the article starts at {top:.0f} px, below the top third ({PHONE[1] / 3:.0f} px)"
    assert_no_sideways_scroll(app, "the default article")
    for name in ALWAYS_SHOWN:
        assert on_screen(app, app.button(name)), f"{name} is not on the first screen: {app.js(JS_RECT, app.button(name))}"
    assert expanded(app) == "false", "the menu starts closed"
    assert not menu_panel(app).is_displayed(), "the closed menu's panel is hidden"
    for name, _ in MENU_CONTROLS:
        assert not shown(app, name).is_displayed(), f"{name} shows although the menu is closed"


def test_desktop_shows_every_control_and_no_menu_button(app):
    app.driver.set_window_size(1280, 800)
    assert app.js("return innerWidth") >= 1200
    assert not menu_button(app).is_displayed(), "the Menu button shows on a wide screen"
    header = app.js(JS_RECT, app.driver.find_element(By.CSS_SELECTOR, "header.top"))
    for name, _ in MENU_CONTROLS:
        target = shown(app, name)
        r = app.js(JS_RECT, target)
        assert target.is_displayed() and header["top"] <= r["top"] and r["bottom"] <= header["bottom"], \
            f"{name} is not in the top bar on a wide screen: {r} (top bar {header})"


# --------------------------------------------------------------------------- the menu


def test_phone_menu_by_keyboard_and_its_controls_work(app, tmp_path):
    phone_viewport(app)
    btn = menu_button(app)
    assert btn.tag_name == "button" and btn.get_attribute("aria-controls") == menu_panel(app).get_attribute("id")
    app.js("arguments[0].focus();", btn)
    chord(app, Keys.ENTER)
    app.wait(lambda: expanded(app) == "true", "Enter on Menu opens it (aria-expanded=true)")
    app.wait(lambda: menu_panel(app).is_displayed(), "the open menu's panel shows")
    assert_no_sideways_scroll(app, "the open menu")
    for name, _ in MENU_CONTROLS:
        target = shown(app, name)
        assert on_screen(app, target), f"{name} is not on screen in the open menu: {app.js(JS_RECT, target)}"
    # Tab moves through the menu's controls in order.
    for name, tag in MENU_CONTROLS:
        chord(app, Keys.TAB)
        app.wait(lambda: focused(app) == {"tag": tag, "name": name}, f"Tab reaches {name} ({tag}); focus: {focused(app)}")
    chord(app, Keys.ESCAPE)
    app.wait(lambda: expanded(app) == "false", "Escape closes the menu")
    app.wait(lambda: is_focused(app, menu_button(app)), f"Escape puts focus back on Menu; focus: {focused(app)}")
    assert not menu_panel(app).is_displayed()
    chord(app, Keys.SPACE)
    app.wait(lambda: expanded(app) == "true" and menu_panel(app).is_displayed(), "Space on Menu opens it")
    chord(app, Keys.ESCAPE)
    app.wait(lambda: expanded(app) == "false" and is_focused(app, menu_button(app)), "Escape on the button closes it")
    chord(app, Keys.ENTER)
    app.wait(lambda: menu_panel(app).is_displayed(), "Enter opens it again")
    x, y = PHONE[0] / 2, PHONE[1] * 0.75
    assert app.js("return !!document.elementFromPoint(arguments[0], arguments[1]).closest('article#article');", x, y)
    touch_tap_at(app, x, y)
    app.wait(lambda: expanded(app) == "false" and not menu_panel(app).is_displayed(), "a tap on the article closes it")
    app.js("arguments[0].focus();", menu_button(app))

    # Its controls work: theme, help (focus comes back into the menu), export, import.
    chord(app, Keys.ENTER)
    app.wait(lambda: menu_panel(app).is_displayed(), "the menu opens again")
    Select(control(app, "Colour theme")).select_by_value("dark")
    app.wait(lambda: app.js("return document.documentElement.dataset.theme") == "dark", "the theme follows the menu's choice")
    help_btn = app.button("Keyboard help")
    app.js("arguments[0].focus();", help_btn)
    chord(app, Keys.ENTER)
    app.wait(lambda: dialog_open(app), "Keyboard help opens the dialog")
    chord(app, Keys.ESCAPE)
    app.wait(lambda: not dialog_open(app) and is_focused(app, help_btn), "the dialog closes, focus back on Keyboard help")
    assert expanded(app) == "true", "closing the dialog leaves the menu open"

    inject_axe(app)
    violations = serious(run_axe(app, "phone, menu open"))
    assert not violations, f"axe-core: serious violations on the phone with the menu open: {violations}"

    item = app.tag("Kabul", "claim")
    exported, data = app.export()
    assert [a["id"] for a in data["annotations"]] == [item["id"]], f"the menu's Export wrote {data}"
    kept = tmp_path / "kabul.annotations.json"
    kept.write_bytes(exported.read_bytes())
    app.activate_item(item["id"])
    app.press(Keys.DELETE)
    app.wait(lambda: app.items() == [], "the annotation is deleted")
    assert not menu_panel(app).is_displayed(), "the press on the list closed the menu"
    touch_tap(app, menu_button(app))
    app.wait(lambda: menu_panel(app).is_displayed(), "a tap on Menu opens it")
    app.import_file(kept)
    app.wait(lambda: [i["id"] for i in app.items()] == [item["id"]], "the menu's Import brings it back")


# --------------------------------------------------------------------------- nothing scrolls sideways


def test_phone_nothing_scrolls_sideways_with_panels_and_long_text(app, seed_text, tmp_path):
    phone_viewport(app)
    assert_no_sideways_scroll(app, "the default article")
    item = app.tag("Kabul", "claim")
    app.activate_item(item["id"])
    app.fill_selected(Speaker=LONG_WORD, Verdict=LONG_WORD)
    note = app.driver.find_element(By.ID, "note-editor")
    app.click(note)
    note.send_keys(f"See {LONG_URL} and {LONG_WORD}", Keys.TAB)
    app.wait(lambda: "See https://example.org/fact-checks/" in app.item_by_quote("Kabul")["text"],
             "the list shows the note with the long URL")
    assert_no_sideways_scroll(app, "a note, speaker and verdict of unbroken long text")
    app.click(app.driver.find_element(By.XPATH, "//summary[contains(., 'Document details')]"))
    app.wait(lambda: app.driver.find_element(By.CSS_SELECTOR, '[aria-label="Source URL"]').is_displayed(), "details open")
    assert_no_sideways_scroll(app, "the document details")
    app.click_button("Team sync")
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, '[role=region][aria-label="Team sync"]'), "the team panel")
    assert_no_sideways_scroll(app, "the team sync panel")
    app.click(app.driver.find_element(By.XPATH, "//summary[normalize-space()='Summary']"))
    assert_no_sideways_scroll(app, "the summary")
    compare = app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Compare with another annotator\'s files"]')
    compare.send_keys(str(colleague_file(seed_text, tmp_path)))
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, '[role=region][aria-label="Agreement"]'), "the comparison")
    assert_no_sideways_scroll(app, "the comparison (agreement table and differences)")
    app.click(menu_button(app))
    app.wait(lambda: menu_panel(app).is_displayed(), "the menu opens")
    assert_no_sideways_scroll(app, "everything open, with the menu")


# --------------------------------------------------------------------------- touch


def visible_hints(app) -> list[str]:
    return app.js("return Array.from(document.querySelectorAll('.sidebar .hint, .sidebar p.empty'))"
                  ".map(p => p.innerText.trim()).filter(Boolean);")


def test_phone_touch_selection_is_tagged_by_a_tap(app):
    phone_viewport(app)
    coarse = app.js("return matchMedia('(pointer: coarse)').matches;")
    if app.browser == "chromium":
        assert coarse, "Chromium's touch emulation makes the main pointer coarse"
    hints = visible_hints(app)
    assert len(hints) >= 2, f"the sidebar's hints: {hints}"
    if coarse:
        keyed = [h for h in hints if KEY_WORDS.search(h)]
        assert not keyed, f"touch hints name keys: {keyed}"
        assert sum("tap Claim, Denial or Statistic" in h for h in hints) == 2, f"touch hints say what to tap: {hints}"
    else:
        assert any("press 1" in h for h in hints), f"with a fine pointer the hints name the keys: {hints}"
    watch_pointers(app)
    app.select_text("Kabul")  # what a long press on the word selects
    touch_tap(app, app.button("Claim"))
    app.wait(lambda: len(app.items()) == 1, "a tap on Claim tags the touch selection")
    (item,) = app.items()
    assert item["label"] == "claim" and "Kabul" in item["text"], f"the tag: {item}"
    assert app.js("return __pointers;")[-1] == "touch", f"the tap was a touch: {app.js('return __pointers;')}"


def test_phone_tap_tags_the_selection_the_browser_collapses_during_the_tap(app):
    """Some phone browsers collapse the selection when a tap lands elsewhere, before the
    button's click: the selection as it was when the finger came down is tagged."""
    phone_viewport(app)
    watch_pointers(app)
    app.js("document.addEventListener('pointerup', () => getSelection().removeAllRanges(), true);")
    app.select_text("Islamabad")
    touch_tap(app, app.button("Statistic"))
    app.wait(lambda: len(app.items()) == 1, "the tap tags the selection it started on")
    (item,) = app.items()
    assert item["label"] == "statistic" and "Islamabad" in item["text"], f"the tag: {item}"
    # The held selection went with that tap: with no text selected, a tap on Denial retags
    # the selected annotation and adds none.
    app.activate_item(item["id"])
    assert not app.selection_text()
    touch_tap(app, app.button("Denial"))
    app.wait(lambda: [i["label"] for i in app.items()] == ["denial"], "a tap on Denial retags the selected annotation")
    app.wait_idle()
    assert [i["id"] for i in app.items()] == [item["id"]], f"a tap with no text selected added one: {app.items()}"
