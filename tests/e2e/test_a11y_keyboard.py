"""End-to-end tests of keyboard-only annotation, undo/redo, notes, search and
filters, the help dialog, touch-sized screens, right-to-left text and an
automated accessibility check (issue 5). Run in every browser of E2E_BROWSERS.

The accessibility check injects axe-core from the npm registry, installed by
``scripts/tools.sh`` (``ensure_test_tools``) into ``<repo>/.tools/node_modules``.
WebDriver's execute_script is not subject to the page's Content-Security-Policy
(in both Chromium and Firefox), so the strict CSP of the app stays as it is.

Caret positions are read from the window Selection as UTF-16 offsets into the
article's text and converted to code points with the text itself.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import REPO, chord

AXE_JS = Path(os.environ.get("E2E_AXE_JS") or REPO / ".tools" / "node_modules" / "axe-core" / "axe.min.js")
FIXTURE_URDU = REPO / "tests" / "fixtures" / "unicode-mixed.txt"
URDU = "1,524 افراد ہلاک ہوئے"

STAT = "1,524 violence-related fatalities"
CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"
OUTER = "Pakistan witnessed 1,524 violence-related fatalities and 1,463 injuries"
CTRL = Keys.CONTROL

# --------------------------------------------------------------------------- page helpers

# Anchor and focus of the window selection as UTF-16 offsets into the article
# text (null when the selection is not inside the article).
JS_CARET = r"""
const art = document.querySelector('article#article');
const sel = window.getSelection();
const caret = document.getElementById('kbd-caret');
const out = {active: document.activeElement ? document.activeElement.id : null,
             caretShown: !!caret && getComputedStyle(caret).display !== 'none'};
if (!sel.rangeCount || !art.contains(sel.anchorNode) || !art.contains(sel.focusNode)) return out;
function off(node, o) { const r = document.createRange(); r.setStart(art, 0); r.setEnd(node, o); return r.toString().length; }
out.anchor = off(sel.anchorNode, sel.anchorOffset);
out.focus = off(sel.focusNode, sel.focusOffset);
out.text = sel.toString();
return out;
"""

JS_ACTIVE = r"""
const el = document.activeElement;
if (!el || el === document.body) return {tag: 'body', desc: 'body'};
function ring(e) { const s = getComputedStyle(e);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'transparent'; }
const label = el.closest('label');
const name = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 40);
const r = el.getBoundingClientRect();
return {tag: el.tagName.toLowerCase(), id: el.id, name: name,
        desc: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + name + '"',
        visible: ring(el) || (!!label && ring(label)),
        onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
        inDialog: !!el.closest('[role=dialog]')};
"""

JS_QUOTES = r"""
return Array.from(document.querySelectorAll('ol[aria-label="Annotations"] > li')).map(li => ({
  id: li.getAttribute('data-id'), label: li.getAttribute('data-label'),
  quote: (li.querySelector('q.quote') || {}).textContent,
  note: li.querySelector('.note') ? li.querySelector('.note').textContent : null}));
"""

JS_ARTICLE_MARKS = r"""
const out = {claim: 0, denial: 0, statistic: 0, ids: []};
for (const m of document.querySelectorAll('article#article mark.hl')) {
  for (const l of ['claim', 'denial', 'statistic']) if (m.classList.contains(l)) out[l]++;
  for (const id of (m.getAttribute('data-ids') || '').split(/\s+/)) if (id && !out.ids.includes(id)) out.ids.push(id);
}
return out;
"""

JS_RECT = r"""
const r = arguments[0].getBoundingClientRect();
return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height};
"""

JS_SELECTION_RECT = r"""
const sel = window.getSelection();
if (!sel.rangeCount || sel.isCollapsed) return null;
const r = sel.getRangeAt(0).getBoundingClientRect();
return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height};
"""

JS_AXE_RUN = r"""
const done = arguments[arguments.length - 1];
if (!window.axe) { done({error: 'axe is not loaded'}); return; }
const brief = v => ({id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                             summary: (n.failureSummary || '').slice(0, 300)}))});
axe.run(document).then(
  r => done({violations: r.violations.map(brief), incomplete: r.incomplete.map(brief),
             passes: r.passes.map(v => v.id), inapplicable: r.inapplicable.length}),
  e => done({error: String(e)}));
"""


def u16_to_cp(text: str, u16: int) -> int:
    """Code point index of a UTF-16 offset into `text`."""
    n = 0
    for i, ch in enumerate(text):
        if n >= u16:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def caret(app) -> dict:
    """The selection in the article, in code points of the article text."""
    c = app.js(JS_CARET)
    if "focus" in c:
        text = app.article_text()
        c["anchor"] = u16_to_cp(text, c["anchor"])
        c["focus"] = u16_to_cp(text, c["focus"])
    return c


def wait_caret(app, pos: int, why: str, anchor: int | None = None) -> dict:
    def ok():
        c = caret(app)
        return c if c.get("focus") == pos and (anchor is None or c.get("anchor") == anchor) else False

    try:
        return app.wait(ok, why, timeout=5)
    except AssertionError as e:
        raise AssertionError(f"{e}\n  caret={caret(app)} (wanted focus {pos}, anchor {anchor})") from None


def press_until_caret(app, keys: tuple, target: int, limit: int = 60):
    """Presses the chord until the caret is at `target` (fails on overshoot)."""
    for _ in range(limit):
        before = caret(app).get("focus")
        if before == target:
            return
        assert before is not None and before < target, f"caret at {before} went past {target}"
        chord(app, *keys)
        app.wait(lambda: caret(app).get("focus") != before, f"{keys} to move the caret from {before}", timeout=5)
    raise AssertionError(f"caret never reached {target}: {caret(app)}")


def quotes(app) -> list[dict]:
    return app.js(JS_QUOTES)


def quote_of(app, ann_id: str) -> str | None:
    for q in quotes(app):
        if q["id"] == ann_id:
            return q["quote"]
    return None


def note_of(app, ann_id: str) -> str | None:
    for q in quotes(app):
        if q["id"] == ann_id:
            return q["note"]
    return None


def label_of(app, ann_id: str) -> str | None:
    for q in quotes(app):
        if q["id"] == ann_id:
            return q["label"]
    return None


def ids(app) -> list[str]:
    return [i["id"] for i in app.items()]


def current(app) -> list[str]:
    return [i["id"] for i in app.items() if i["current"] == "true"]


def wait_current(app, ann_id: str | None, why: str):
    want = [ann_id] if ann_id else []
    app.wait(lambda: current(app) == want, f"{why}: aria-current on {want}")


def announced(app) -> str:
    return app.js("const a = document.getElementById('announce'); return a ? a.textContent : null;") or ""


def active(app) -> dict:
    return app.js(JS_ACTIVE)


def focus_article(app):
    app.js("document.querySelector('article#article').focus();")
    app.wait(lambda: active(app).get("id") == "article", "the article has focus")


def stored_annotations(app) -> dict:
    """Every stored live annotation (our storage prefix), by id."""
    out = {}
    for rec in app.stored_records().values():
        for a in rec["annotations"]:
            out[a["id"]] = a
    return out


def dialog_open(app) -> bool:
    return bool(app.driver.find_elements(By.CSS_SELECTOR, '[role=dialog][aria-modal="true"]'))


def new_ids(app, before: set) -> list[str]:
    return [i for i in ids(app) if i not in before]


# --------------------------------------------------------------------------- 1. keyboard only


def test_tab_from_page_start_reaches_article_with_visible_focus(app):
    app.js("window.scrollTo(0, 0); if (document.activeElement && document.activeElement.blur) document.activeElement.blur();")
    stops = []
    for _ in range(80):
        ActionChains(app.driver).send_keys(Keys.TAB).perform()
        a = active(app)
        stops.append(a)
        if a.get("id") == "article":
            break
    path = " → ".join(s["desc"] for s in stops)
    assert stops and stops[-1].get("id") == "article", f"Tab never reached article#article: {path}"
    assert stops[0]["tag"] == "a" and "Skip" in stops[0]["name"], f"the first Tab stop should be the skip link: {path}"
    assert stops[0]["onScreen"], "the skip link must show on screen when focused"
    no_ring = [s["desc"] for s in stops if not s["visible"]]
    assert not no_ring, f"Tab stops without a visible focus indicator: {no_ring} (path {path})"
    # The first caret key places the caret (at the top of the visible text) and shows it.
    chord(app, Keys.ARROW_RIGHT)
    app.wait(lambda: caret(app).get("caretShown") and "focus" in caret(app), "a visible caret after the first arrow key")


def test_skip_link_moves_focus_to_article_and_keeps_the_document_link(app):
    app.js("window.scrollTo(0, 0); if (document.activeElement && document.activeElement.blur) document.activeElement.blur();")
    link = app.js("return location.hash")
    assert link.startswith("#doc="), f"the URL names the open document: {link!r}"
    ActionChains(app.driver).send_keys(Keys.TAB).perform()
    assert "Skip" in active(app)["name"], f"first Tab stop: {active(app)}"
    ActionChains(app.driver).send_keys(Keys.ENTER).perform()
    app.wait(lambda: active(app).get("id") == "article", "Enter on the skip link focuses the article")
    assert not (app.notice() or "").strip(), f"the skip link must not raise a notice: {app.notice()!r}"
    assert app.article_text() == app.seed, "the skip link must keep the document open"
    assert app.js("return location.hash") == link, (
        f"the skip link replaced the document link {link!r} with {app.js('return location.hash')!r}: "
        "a reload or a bookmark then opens another document"
    )


def test_keyboard_only_tag_retag_delete_undo_redo(app):
    seed = app.seed
    focus_article(app)

    # Caret movement: Ctrl+Home, Ctrl+Right by word, arrows by grapheme, Home/End.
    chord(app, CTRL, Keys.HOME)
    wait_caret(app, 0, "Ctrl+Home puts the caret at the start", anchor=0)
    assert caret(app)["caretShown"], "a visible caret marker while the article has focus"
    chord(app, CTRL, Keys.ARROW_RIGHT)
    wait_caret(app, seed.index("Defence"), "Ctrl+Right moves to the next word")
    chord(app, CTRL, Keys.ARROW_RIGHT)
    chord(app, CTRL, Keys.ARROW_RIGHT)
    k = seed.index("Khawaja")
    wait_caret(app, k, "two more Ctrl+Right reach 'Khawaja'")
    chord(app, Keys.ARROW_RIGHT)
    wait_caret(app, k + 1, "ArrowRight moves by one character", anchor=k + 1)
    chord(app, Keys.ARROW_LEFT)
    wait_caret(app, k, "ArrowLeft moves back by one character", anchor=k)
    chord(app, CTRL, Keys.ARROW_LEFT)
    wait_caret(app, seed.index("Minister"), "Ctrl+Left moves to the previous word start")
    chord(app, Keys.END)
    wait_caret(app, seed.index("\n"), "End moves to the end of the line")
    chord(app, Keys.HOME)
    wait_caret(app, 0, "Home moves to the start of the line")
    # Up/Down move by visual line (the first paragraph wraps at 70ch).
    press_until_caret(app, (CTRL, Keys.ARROW_RIGHT), seed.index("Khawaja"))
    chord(app, Keys.ARROW_DOWN)
    app.wait(lambda: caret(app).get("focus", 0) > k + 20, "ArrowDown moves the caret one visual line down")
    down = caret(app)["focus"]
    assert down < seed.index("\n"), f"ArrowDown stays in the wrapped first paragraph: {down}"
    chord(app, Keys.ARROW_UP)
    app.wait(lambda: caret(app).get("focus", 10**6) < down, "ArrowUp moves back up")
    assert abs(caret(app)["focus"] - k) <= 3, f"Down then Up returns near the start column: {caret(app)} vs {k}"
    chord(app, CTRL, Keys.HOME)
    press_until_caret(app, (CTRL, Keys.ARROW_RIGHT), k)

    # Shift+Ctrl+Right twice selects two words; 1 tags them as a claim.
    chord(app, Keys.SHIFT, CTRL, Keys.ARROW_RIGHT)
    chord(app, Keys.SHIFT, CTRL, Keys.ARROW_RIGHT)
    sel = wait_caret(app, seed.index("has slammed"), "Shift+Ctrl+Right extends the selection by words", anchor=k)
    assert sel["text"] == "Khawaja Asif ", f"the window selection (painted by the browser) reads {sel['text']!r}"
    before = set(ids(app))
    chord(app, "1")
    app.wait(lambda: len(new_ids(app, before)) == 1, "key 1 adds one annotation")
    (claim,) = new_ids(app, before)
    assert label_of(app, claim) == "claim"
    assert quote_of(app, claim) == "Khawaja Asif", "the trailing space of the selection is trimmed"
    app.wait(lambda: "Khawaja Asif" in announced(app), "the addition is announced in #announce")
    assert active(app).get("id") == "article", "focus stays in the article after tagging"

    # [ … ] marks a span without Shift: the start at the caret, then the end.
    chord(app, CTRL, Keys.HOME)
    wait_caret(app, 0, "Ctrl+Home")
    chord(app, Keys.END)
    chord(app, Keys.ARROW_RIGHT)
    chord(app, Keys.ARROW_RIGHT)
    wait_caret(app, seed.index("Asif made"), "End, Right, Right reach the next paragraph (over the blank line)")
    rs = seed.index("Rs10 billion")
    press_until_caret(app, (CTRL, Keys.ARROW_RIGHT), rs)
    chord(app, "[")
    app.wait(lambda: "Start marked" in (app.info() or ""), "[ says the start is marked")
    chord(app, CTRL, Keys.ARROW_RIGHT)
    chord(app, CTRL, Keys.ARROW_RIGHT)
    wait_caret(app, seed.index("to shift"), "caret moved two words on")
    chord(app, "]")
    sel = wait_caret(app, seed.index("to shift"), "] selects from the mark to the caret", anchor=rs)
    assert sel["text"] == "Rs10 billion ", f"[ … ] selection reads {sel['text']!r}"
    before = set(ids(app))
    chord(app, "3")
    app.wait(lambda: len(new_ids(app, before)) == 1, "key 3 adds one annotation")
    (stat,) = new_ids(app, before)
    assert label_of(app, stat) == "statistic" and quote_of(app, stat) == "Rs10 billion"
    assert ids(app) == [claim, stat], "the list is in text order"

    # j/k and Alt+Down/Up move the selected annotation in text order.
    chord(app, Keys.ESCAPE)
    wait_current(app, None, "Escape clears the selection")
    chord(app, "j")
    wait_current(app, claim, "j selects the first annotation")
    app.wait(lambda: "Khawaja Asif" in announced(app), "the selection is announced")
    chord(app, "j")
    wait_current(app, stat, "j selects the next annotation")
    chord(app, "j")
    wait_current(app, stat, "j on the last annotation stays there")
    chord(app, "k")
    wait_current(app, claim, "k selects the previous annotation")
    chord(app, Keys.ALT, Keys.ARROW_DOWN)
    wait_current(app, stat, "Alt+ArrowDown selects the next annotation")
    chord(app, Keys.ALT, Keys.ARROW_UP)
    wait_current(app, claim, "Alt+ArrowUp selects the previous annotation")
    assert app.js("return !!document.querySelector('article#article mark.hl.selected')"), "the selected highlight is marked"

    # 2 retags the selected annotation (same id).
    chord(app, "2")
    app.wait(lambda: label_of(app, claim) == "denial", "key 2 retags the selected annotation as a denial")
    assert ids(app) == [claim, stat]
    assert app.counts() == {"claim": 0, "denial": 1, "statistic": 1}

    # Delete, then undo/redo it with every shortcut and with the buttons.
    chord(app, Keys.DELETE)
    app.wait(lambda: ids(app) == [stat], "Delete removes the selected annotation")
    app.wait(lambda: "Deleted" in announced(app), "the deletion is announced")
    chord(app, CTRL, "z")
    app.wait(lambda: ids(app) == [claim, stat], "Ctrl+Z restores the deleted annotation")
    assert label_of(app, claim) == "denial" and quote_of(app, claim) == "Khawaja Asif"
    app.wait(lambda: "Undone" in announced(app), "the undo is announced")
    chord(app, CTRL, Keys.SHIFT, "z")
    app.wait(lambda: ids(app) == [stat], "Ctrl+Shift+Z redoes the deletion")
    chord(app, CTRL, "z")
    app.wait(lambda: ids(app) == [claim, stat], "Ctrl+Z again")
    chord(app, CTRL, "y")
    app.wait(lambda: ids(app) == [stat], "Ctrl+Y redoes the deletion")
    assert app.button("Redo").get_attribute("disabled") is not None, "Redo is disabled with nothing to redo"
    app.click_button("Undo")
    app.wait(lambda: ids(app) == [claim, stat], "the Undo button restores it")
    app.click_button("Redo")
    app.wait(lambda: ids(app) == [stat], "the Redo button deletes it again")
    app.click_button("Undo")
    app.wait(lambda: ids(app) == [claim, stat], "the Undo button restores it again")
    # Undo of the retag.
    chord(app, CTRL, "z")
    app.wait(lambda: label_of(app, claim) == "claim", "Ctrl+Z undoes the retag")
    assert app.counts() == {"claim": 1, "denial": 0, "statistic": 1}
    assert [m for m in app.marks(claim) if "claim" in m["classes"]], "the highlight is a claim again"
    app.wait_stored(present=[claim, stat])
    app.wait_saved()

    # The history survives a reload: undo and redo go on where they were.
    app.reload()
    app.wait(lambda: ids(app) == [claim, stat], "annotations restored after reload")
    assert label_of(app, claim) == "claim"
    assert app.button("Undo").get_attribute("disabled") is None, "Undo is enabled after reload (history kept)"
    chord(app, CTRL, "z")
    app.wait(lambda: ids(app) == [claim], "Ctrl+Z after reload undoes the addition of the statistic")
    chord(app, CTRL, Keys.SHIFT, "z")
    app.wait(lambda: ids(app) == [claim, stat], "Ctrl+Shift+Z after reload redoes it")
    chord(app, CTRL, "y")
    app.wait(lambda: label_of(app, claim) == "denial", "the redo stack survived the reload too (retag)")
    app.click_button("Redo")
    app.wait(lambda: ids(app) == [stat], "…and the deletion after it")
    app.click_button("Undo")
    app.wait(lambda: ids(app) == [claim, stat], "Undo button after reload")
    app.wait_stored(present=[claim, stat])


# --------------------------------------------------------------------------- 2. notes, search, filters


def test_note_search_and_label_filters(app):
    stat = app.tag(STAT, "statistic")["id"]
    claim = app.tag(CLAIM, "claim")["id"]
    denial = app.tag(DENIAL, "denial")["id"]
    counts = {"claim": 1, "denial": 1, "statistic": 1}
    assert app.counts() == counts

    # Labels are told apart without colour: each has its own underline style.
    styles = app.js("const out = {}; for (const l of ['claim', 'denial', 'statistic']) {"
                    "  const m = document.querySelector('article#article mark.hl.inner-' + l);"
                    "  out[l] = m ? getComputedStyle(m).textDecorationStyle : null; } return out;")
    assert None not in styles.values() and len(set(styles.values())) == 3, f"underline styles per label: {styles}"

    # Pick the statistic by clicking its highlight (focus goes to the article), Enter opens its note.
    mark = app.driver.find_element(By.CSS_SELECTOR, f'article#article mark.hl[data-ids~="{stat}"]')
    app.click(mark)
    wait_current(app, stat, "clicking the highlight selects it")
    if active(app).get("id") != "article":
        focus_article(app)  # some browsers do not focus a tabindex ancestor on click
    chord(app, Keys.ENTER)
    app.wait(lambda: active(app).get("id") == "note-editor", "Enter focuses the note editor #note-editor")
    panel = app.driver.find_element(By.CSS_SELECTOR, 'section[aria-label="Selected annotation"]')
    assert panel.find_element(By.ID, "note-editor").tag_name == "textarea"
    ActionChains(app.driver).send_keys("Checked against", Keys.ENTER, "the ministry's figures").perform()
    note = "Checked against\nthe ministry's figures"
    chord(app, CTRL, Keys.ENTER)
    app.wait(lambda: app.js("return !!document.activeElement.closest('li[data-id=\"' + arguments[0] + '\"]')", stat),
             "Ctrl+Enter commits and returns focus to the list item")
    app.wait(lambda: note_of(app, stat), "the note shows in the list")
    assert note_of(app, stat) == note, f"the list shows the note {note_of(app, stat)!r}, typed {note!r}"
    app.wait(lambda: stored_annotations(app).get(stat, {}).get("note") == note, "the multi-line note is stored exactly")
    assert app.driver.find_element(By.ID, "note-editor").get_attribute("value") == note

    # The note edit is one undo step.
    chord(app, CTRL, "z")
    app.wait(lambda: note_of(app, stat) in (None, ""), "Ctrl+Z undoes the note")
    app.wait(lambda: stored_annotations(app).get(stat, {}).get("note") == "", "the undone note is stored")
    chord(app, CTRL, Keys.SHIFT, "z")
    app.wait(lambda: note_of(app, stat) == note, "Ctrl+Shift+Z redoes the note")
    app.wait(lambda: stored_annotations(app).get(stat, {}).get("note") == note, "the redone note is stored")

    # Search by note text, then by quote text.
    search = app.driver.find_element(By.CSS_SELECTOR, 'input[aria-label="Search annotations"]')
    app.click(search)
    search.send_keys("ministry")
    app.wait(lambda: ids(app) == [stat], "searching a word of the note shows only that annotation")
    assert app.counts() == counts, "counts stay while searching"
    heading = app.driver.find_element(By.ID, "list-heading").text
    assert "1 of 3" in heading, f"the heading says how many are shown: {heading!r}"
    chord(app, CTRL, "a")
    search.send_keys("Kabul")
    app.wait(lambda: ids(app) == [denial], "searching a word of a quote finds it")
    chord(app, CTRL, "a")
    chord(app, Keys.BACKSPACE)
    app.wait(lambda: set(ids(app)) == {stat, claim, denial}, "an empty search shows all again")

    # Label filters hide and show list items and highlights; counts stay.
    def toggle(label):
        box = app.driver.find_element(By.CSS_SELECTOR, f'input[type=checkbox][aria-label="Show {label}"]')
        app.click(box)
        return box

    box = toggle("Claim")
    assert not box.is_selected()
    app.wait(lambda: set(ids(app)) == {stat, denial}, "unticking Show Claim hides claims in the list")
    app.wait(lambda: app.js(JS_ARTICLE_MARKS)["claim"] == 0, "…and their highlights")
    assert claim not in app.js(JS_ARTICLE_MARKS)["ids"]
    assert app.js(JS_ARTICLE_MARKS)["statistic"] > 0 and app.js(JS_ARTICLE_MARKS)["denial"] > 0
    assert app.counts() == counts, "counts stay while filtering"
    toggle("Statistic")
    app.wait(lambda: ids(app) == [denial], "unticking Show Statistic too")
    app.wait(lambda: app.js(JS_ARTICLE_MARKS)["statistic"] == 0, "statistic highlights hidden")
    assert app.counts() == counts
    toggle("Claim")
    toggle("Statistic")
    app.wait(lambda: set(ids(app)) == {stat, claim, denial}, "ticking them again shows all")
    marks = app.js(JS_ARTICLE_MARKS)
    assert all(marks[l] > 0 for l in ("claim", "denial", "statistic")), f"every highlight is back: {marks}"


# --------------------------------------------------------------------------- 3. shortcuts vs typing


def test_shortcuts_never_fire_while_typing(app):
    claim = app.tag(CLAIM, "claim")["id"]
    app.activate_item(claim)
    counts = app.counts()

    search = app.driver.find_element(By.CSS_SELECTOR, 'input[aria-label="Search annotations"]')
    app.click(search)
    search.send_keys("123jk?[]")
    app.wait(lambda: search.get_attribute("value") == "123jk?[]", "the search box takes the keys as text")
    for _ in range(8):
        search.send_keys(Keys.BACKSPACE)
    search.send_keys(Keys.DELETE)
    app.wait(lambda: search.get_attribute("value") == "", "Backspace edits the search text")
    assert app.counts() == counts, "typing digits in the search box must not tag"
    assert ids(app) == [claim], "Backspace/Delete in the search box must not delete the selected annotation"
    assert label_of(app, claim) == "claim", "typing digits in the search box must not retag"
    assert current(app) == [claim], "j/k in the search box must not move the selection"
    assert not dialog_open(app), "? in the search box must not open the help"

    # The note editor: digits, brackets, j/k, ?, Backspace and Delete are text there.
    app.activate_item(claim)
    editor = app.driver.find_element(By.ID, "note-editor")
    app.click(editor)
    editor.send_keys("123 j k ? [ ]")
    editor.send_keys(Keys.BACKSPACE, Keys.BACKSPACE, Keys.HOME, Keys.DELETE)
    app.wait(lambda: editor.get_attribute("value") == "23 j k ? [", "the note editor takes the keys as text")
    assert app.counts() == counts and ids(app) == [claim] and label_of(app, claim) == "claim"
    assert not dialog_open(app)
    chord(app, Keys.ESCAPE)
    app.wait(lambda: next(q for q in quotes(app) if q["id"] == claim)["note"] == "23 j k ? [", "Escape commits the note")
    assert current(app) == [claim], "Escape in the note editor leaves the annotation selected"
    assert app.counts() == counts and ids(app) == [claim]


# --------------------------------------------------------------------------- 4. help dialog

HELP_MUST_LIST = ("1 / 2 / 3", "Delete", "Escape", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "j / k", "Alt", "Enter",
                  "Home / End", "Shift", "[", "]", "?")


def test_help_dialog_traps_and_returns_focus(app):
    focus_article(app)
    chord(app, "?")
    app.wait(lambda: dialog_open(app), "? opens the help dialog")
    dialog = app.driver.find_element(By.CSS_SELECTOR, '[role=dialog][aria-modal="true"]')
    labelled = dialog.get_attribute("aria-labelledby")
    assert labelled and app.driver.find_element(By.ID, labelled).text.strip(), "the dialog is labelled by its heading"
    text = dialog.text
    missing = [k for k in HELP_MUST_LIST if k not in text]
    assert not missing, f"the help does not list {missing}"
    app.wait(lambda: active(app)["inDialog"], "focus moves into the dialog")
    for keys in [(Keys.TAB,), (Keys.TAB,), (Keys.SHIFT, Keys.TAB), (Keys.TAB,), (Keys.SHIFT, Keys.TAB)]:
        chord(app, *keys)
        assert active(app)["inDialog"], f"{keys} let focus leave the dialog: {active(app)}"
        assert dialog_open(app)
    chord(app, "j")
    assert dialog_open(app), "other shortcuts are inert while the dialog is open"
    chord(app, Keys.ESCAPE)
    app.wait(lambda: not dialog_open(app), "Escape closes the dialog")
    app.wait(lambda: active(app).get("id") == "article", "focus returns to the article")

    # The same from the toolbar button; the Close button closes it too.
    btn = app.button("Keyboard help")
    app.js("arguments[0].focus();", btn)
    chord(app, Keys.ENTER)
    app.wait(lambda: dialog_open(app), "the Keyboard help button opens the dialog")
    app.wait(lambda: active(app)["inDialog"], "focus moves into the dialog")
    chord(app, Keys.ESCAPE)
    app.wait(lambda: not dialog_open(app), "Escape closes it")
    app.wait(lambda: app.js("return document.activeElement === arguments[0]", btn), "focus returns to the Keyboard help button")
    chord(app, Keys.ENTER)
    app.wait(lambda: dialog_open(app), "opens again")
    app.wait(lambda: active(app).get("name") == "Close", "focus on Close")
    chord(app, Keys.ENTER)
    app.wait(lambda: not dialog_open(app), "Enter on Close closes it")
    app.wait(lambda: app.js("return document.activeElement === arguments[0]", btn), "focus returns to the button")


# --------------------------------------------------------------------------- 5. axe-core


def inject_axe(app):
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing at {AXE_JS}: run `source scripts/tools.sh; ensure_test_tools` "
            "(npm install --prefix .tools axe-core) or set E2E_AXE_JS",
            pytrace=False,
        )
    csp = app.js("const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m ? m.content : null;")
    assert csp and "script-src 'self'" in csp and "unsafe-eval" not in csp.replace("wasm-unsafe-eval", ""), \
        f"the page's strict CSP is in force while axe runs: {csp!r}"
    src = AXE_JS.read_text(encoding="utf-8")
    version = app.js(src + "\n;return window.axe ? window.axe.version : null;")
    assert version, "axe-core did not load through execute_script (blocked by the CSP?)"
    return version


def run_axe(app, where: str) -> list[dict]:
    app.driver.set_script_timeout(120)
    res = app.driver.execute_async_script(JS_AXE_RUN)
    assert "error" not in res, f"axe failed on {where}: {res['error']}"
    vs = res["violations"]
    assert len(res["passes"]) >= 20 and "color-contrast" in res["passes"], f"axe checked too little: {res['passes']}"
    # WCAG 2.5.3 (label in name): experimental in axe-core 4.11, on by default in 4.14; every control
    # with an aria-label must say its visible text too.
    assert "label-content-name-mismatch" in res["passes"], f"axe did not check label in name: {res['passes']}"
    print(f"\n[axe] {app.browser} {where}: {len(res['passes'])} rules pass, {res['inapplicable']} inapplicable; "
          f"needs review: " + (", ".join(f"{v['id']} ({len(v['nodes'])})" for v in res["incomplete"]) or "none"))
    if vs:
        print(f"\n[axe] {app.browser} {where}: {len(vs)} violation(s)")
        for v in vs:
            print(f"  {v['impact']:>8}  {v['id']}: {v['help']} ({len(v['nodes'])} node(s))")
            for n in v["nodes"][:5]:
                print(f"            {n['target']}  {n['html'][:120]}")
                if n["summary"]:
                    print("              " + n["summary"].replace("\n", " | ")[:240])
    else:
        print(f"\n[axe] {app.browser} {where}: no violations")
    return vs


# axe leaves the contrast of highlights with a background gradient (nested ones)
# "to review": compute it here for every highlight style on the page, text
# against the blended background (WCAG 1.4.3, 4.5:1) and the underline, the
# label's cue besides colour, against it (1.4.11, 3:1).
JS_HIGHLIGHT_CONTRAST = r"""
function parse(c) { const m = (c || '').match(/rgba?\(([^)]+)\)/); if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
function over(top, under) { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); }
function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); }
function ratio(a, b) { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
const page = parse(getComputedStyle(document.body).backgroundColor);
const seen = {};
for (const m of document.querySelectorAll('article#article mark.hl, .legend mark.hl')) {
  const key = Array.from(m.classList).filter(c => c !== 'selected' && c !== 'sample').sort().join(' ');
  if (seen[key]) continue;
  const s = getComputedStyle(m);
  let bg = over(parse(s.backgroundColor) || [0, 0, 0, 0], page);
  for (const g of (s.backgroundImage.match(/rgba?\([^)]+\)/g) || []).slice(0, 1)) bg = over(parse(g), bg);
  seen[key] = {text: Math.round(ratio(parse(s.color), bg) * 100) / 100,
               line: Math.round(ratio(parse(s.textDecorationColor), bg) * 100) / 100};
}
return seen;
"""


def serious(vs: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): " + ", ".join(n["target"] for n in v["nodes"][:6])
            for v in vs if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_no_serious_violations(app, theme):
    stat = app.tag(STAT, "statistic")["id"]
    claim = app.tag(CLAIM, "claim")["id"]
    app.tag(DENIAL, "denial")
    app.tag(OUTER, "claim")  # overlaps the statistic: a darker nested highlight
    app.activate_item(stat)
    editor = app.driver.find_element(By.ID, "note-editor")
    app.click(editor)
    editor.send_keys("A note, shown in the list")
    chord(app, CTRL, Keys.ENTER)
    app.wait(lambda: (next(q for q in quotes(app) if q["id"] == stat)["note"] or "").startswith("A note"), "note saved")
    # A link, and a second one being made: the Links list and the Relation choice are checked too.
    app.press("l")
    app.wait(lambda: "Linking from Statistic" in app.info(), "l starts a link")
    app.click(app.item(claim).find_element(By.TAG_NAME, "button"))
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, 'ul[aria-label="Links"] li'), "the link is listed")
    app.press("l")
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, 'select[aria-label="Relation"]'), "Relation while linking")
    # Open the summary (chart) so it is checked too.
    for s in app.driver.find_elements(By.CSS_SELECTOR, "details.summary:not([open]) > summary"):
        app.click(s)
    # The Team sync panel (its form, status line and alert) is checked too.
    app.click(app.driver.find_element(By.CSS_SELECTOR, "button.team-toggle"))
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, 'section[aria-label="Team sync"] form'), "Team sync panel open")

    Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Colour theme"]')).select_by_value(theme)
    app.wait(lambda: app.js("return document.documentElement.getAttribute('data-theme')") == theme, f"data-theme={theme}")
    bg = app.js("return getComputedStyle(document.body).backgroundColor")
    want_bg = {"light": "rgb(255, 255, 255)", "dark": "rgb(22, 22, 22)"}[theme]
    assert bg == want_bg, f"body background in the {theme} theme is {bg}"
    assert current(app) == [stat], "an annotation is selected while checking"
    # Keyboard focus in the article shows the caret and the focus ring.
    focus_article(app)

    version = inject_axe(app)
    print(f"\n[axe] axe-core {version}")
    main_vs = run_axe(app, f"main view, {theme} theme, annotation selected")

    chord(app, "?")
    app.wait(lambda: dialog_open(app), "help dialog open")
    dialog_vs = run_axe(app, f"help dialog, {theme} theme")
    chord(app, Keys.ESCAPE)
    app.wait(lambda: not dialog_open(app), "help closed")

    contrast = app.js(JS_HIGHLIGHT_CONTRAST)
    print(f"[contrast] {app.browser} {theme}: {contrast}")
    assert len(contrast) >= 4, f"highlight styles checked: {contrast}"
    low = {k: v for k, v in contrast.items() if v["text"] < 4.5 or v["line"] < 3.0}
    assert not low, f"highlights below 4.5:1 (text) or 3:1 (underline) in the {theme} theme: {low}"

    bad = serious(main_vs) + [f"[dialog] {s}" for s in serious(dialog_vs)]
    assert not bad, f"axe-core reports serious/critical violations in the {theme} theme: {bad}"


def system_dark_reduced_motion(browser_name, new_app, new_app_firefox):
    """The app as seen by someone whose system is dark and asks for reduced motion."""
    if browser_name == "chromium":
        app = new_app()
        app.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-color-scheme", "value": "dark"}, {"name": "prefers-reduced-motion", "value": "reduce"}]})
        return app
    # Firefox takes these only as preferences of a new profile.
    return new_app_firefox({"layout.css.prefers-color-scheme.content-override": 0, "ui.prefersReducedMotion": 1})


@pytest.fixture
def new_app_firefox(request, browser_name, base_url, seed_text, artifacts_dir, tmp_path):
    """Factory: a Firefox with extra profile preferences, on the app (cleaned up like ``new_app``)."""
    from selenium import webdriver

    import conftest

    made = []

    def make(prefs: dict):
        binary, drv = conftest.firefox_paths()
        workdir = tmp_path / f"ff-{len(made)}"
        (workdir / "downloads").mkdir(parents=True)
        opts = webdriver.FirefoxOptions()
        opts.binary_location = binary
        opts.add_argument("-headless")
        opts.add_argument(f"--width={conftest.WINDOW[0]}")
        opts.add_argument(f"--height={conftest.WINDOW[1]}")
        for k, v in prefs.items():
            opts.set_preference(k, v)
        service = webdriver.FirefoxService(executable_path=drv, log_output=str(workdir / "geckodriver.log"))
        a = conftest.App(webdriver.Firefox(options=opts, service=service), "firefox", base_url,
                         workdir / "downloads", workdir, seed_text)
        made.append(a)
        a.open()
        return a

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, a in enumerate(made):
        if failed:
            a.dump_artifacts(artifacts_dir, f"{request.node.name}-prefs-{i}")
        try:
            a.driver.quit()
        except Exception:
            pass


def test_theme_follows_system_with_a_toggle_and_reduced_motion(browser_name, new_app, new_app_firefox):
    app = system_dark_reduced_motion(browser_name, new_app, new_app_firefox)
    theme = Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Colour theme"]'))
    bg = lambda: app.js("return getComputedStyle(document.body).backgroundColor")  # noqa: E731
    assert theme.first_selected_option.get_attribute("value") == "auto", "the theme follows the system by default"
    app.wait(lambda: bg() == "rgb(22, 22, 22)", "a dark system gives the dark theme")
    theme.select_by_value("light")
    app.wait(lambda: bg() == "rgb(255, 255, 255)", "the toggle overrides the system")
    app.reload()
    theme = Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Colour theme"]'))
    assert theme.first_selected_option.get_attribute("value") == "light", "the choice is kept"
    app.wait(lambda: bg() == "rgb(255, 255, 255)", "the light theme after reload")
    theme.select_by_value("auto")
    app.wait(lambda: bg() == "rgb(22, 22, 22)", "back to the system's dark")
    # Reduced motion: the keyboard caret does not blink.
    focus_article(app)
    chord(app, Keys.ARROW_RIGHT)
    app.wait(lambda: caret(app).get("caretShown"), "the caret shows")
    anim = app.js("return getComputedStyle(document.getElementById('kbd-caret')).animationName")
    assert anim == "none", f"the caret still animates ({anim}) although reduced motion is asked for"


# --------------------------------------------------------------------------- 6. touch-sized viewport

PHONE = (375, 667)


def phone_viewport(app):
    """A 375×667 CSS-pixel viewport. Chromium: device emulation (mobile, touch, DPR 2).
    Firefox: a popup window of that size (a normal headless window is at least 500 px wide)."""
    if app.browser == "chromium":
        app.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True})
        app.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
        app.reload()
    else:
        main = app.driver.current_window_handle
        app.js("window.open(arguments[0], 'phone', 'popup,width=' + arguments[1] + ',height=' + arguments[2]);",
               app.base_url, *PHONE)
        app.wait(lambda: len(app.driver.window_handles) > 1, "the phone-sized popup window opens")
        app.driver.switch_to.window([h for h in app.driver.window_handles if h != main][0])
        app.wait_ready()
    size = app.js("return [innerWidth, innerHeight]")
    assert tuple(size) == PHONE, f"viewport is {size}, wanted {PHONE}"


def intersects(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def tap(app, el):
    """A touch tap in the middle of `el` (W3C pointer actions of type touch)."""
    r = app.js(JS_RECT, el)
    x, y = int(r["left"] + r["width"] / 2), int(r["top"] + r["height"] / 2)
    ab = ActionBuilder(app.driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    ab.pointer_action.move_to_location(x, y)
    ab.pointer_action.pointer_down()
    ab.pointer_action.pointer_up()
    ab.perform()


JS_ON_TOP = r"""
const [r, sel] = arguments;
const e = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
return !!e && !!e.closest(sel);
"""


@pytest.mark.parametrize("where", ["middle", "bottom"])
def test_phone_viewport_tag_buttons_reachable_without_covering_selection(app, where):
    phone_viewport(app)
    assert app.js("return document.documentElement.scrollWidth <= innerWidth"), "no horizontal scrolling at 375 px"
    app.select_text(STAT)
    # The selection in the middle of the screen, or as low as a reader scrolls it (just above the tag buttons).
    if where == "middle":
        app.js("const r = window.getSelection().getRangeAt(0).getBoundingClientRect();"
               "window.scrollBy(0, r.top - innerHeight / 2);")
    else:
        app.js("const r = window.getSelection().getRangeAt(0).getBoundingClientRect();"
               "window.scrollBy(0, r.bottom - innerHeight + 8);")
    sel = app.js(JS_SELECTION_RECT)
    assert sel and sel["width"] > 0, "a selection with a rectangle"
    tag_group = app.js("return arguments[0].parentElement;", app.button("Claim"))
    bar = app.js(JS_RECT, tag_group)
    print(f"\n[phone] {app.browser} {where}: selection={sel} tag buttons={bar}")
    for name in ("Claim", "Denial", "Statistic"):
        b = app.button(name)
        r = app.js(JS_RECT, b)
        assert r["top"] >= 0 and r["bottom"] <= PHONE[1] and r["left"] >= 0 and r["right"] <= PHONE[0], \
            f"the {name} button is not on screen with the selection in view: {r}"
        assert r["height"] >= 24 and r["width"] >= 24, f"the {name} button is too small to tap (WCAG 2.5.8): {r}"
        hit = app.js("const r = arguments[0].getBoundingClientRect();"
                     "const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
                     "return !!e && arguments[0].contains(e);", b)
        assert hit, f"the {name} button is covered"
    if where == "middle":
        assert not intersects(sel, bar), f"the tag buttons {bar} cover the selection {sel}"
        assert app.js(JS_ON_TOP, sel, "article#article"), "something covers the selected text"
    else:
        # Scrolled to the bottom edge, the bar may cover it; the page must let it scroll clear of the bar.
        app.js("window.scrollBy(0, arguments[0]);", max(0.0, sel["bottom"] - bar["top"] + 8))
        sel = app.js(JS_SELECTION_RECT)
        bar = app.js(JS_RECT, tag_group)
        assert not intersects(sel, bar), f"the selection {sel} cannot be scrolled clear of the tag buttons {bar}"
    before = set(ids(app))
    tap(app, app.button("Statistic"))
    app.wait(lambda: len(new_ids(app, before)) == 1, "tapping Statistic tags the selection")
    (new,) = new_ids(app, before)
    assert label_of(app, new) == "statistic" and quote_of(app, new) == STAT


# --------------------------------------------------------------------------- 7. Urdu (RTL)


def test_urdu_span_in_opened_file_is_rtl_and_tagged(app):
    inputs = app.driver.find_elements(By.CSS_SELECTOR, 'input[type=file][aria-label="Open text file"]')
    assert inputs, 'no input[type=file][aria-label="Open text file"]'
    with open(FIXTURE_URDU, encoding="utf-8", newline="") as f:
        text = f.read()
    expected = json.loads((FIXTURE_URDU.parent / "unicode-mixed.expected.json").read_text(encoding="utf-8"))
    span = next(s for s in expected["spans"] if s["quote"] == URDU)
    inputs[0].send_keys(str(FIXTURE_URDU))
    app.wait(lambda: app.article_text() == text, "the opened file is shown exactly")
    app.wait(lambda: ids(app) == [], "a new document starts without annotations")

    app.select_text(URDU)
    before = set(ids(app))
    chord(app, "3")
    app.wait(lambda: len(new_ids(app, before)) == 1, "key 3 tags the Urdu span")
    (new,) = new_ids(app, before)
    assert label_of(app, new) == "statistic"
    assert quote_of(app, new) == URDU, f"the list shows the quote {quote_of(app, new)!r}"
    marks = app.marks(new)
    assert "".join(m["text"] for m in marks) == URDU, f"highlight reads {marks}"
    app.wait(lambda: new in stored_annotations(app), "stored")
    a = stored_annotations(app)[new]
    assert (a["start"], a["end"], a["quote"]) == (span["start"], span["end"], URDU), f"stored offsets {a} vs {span}"
    assert text[a["start"]:a["end"]] == URDU

    para = app.js(
        "const m = document.querySelector('article#article mark.hl[data-ids~=\"' + arguments[0] + '\"]');"
        "const p = m && m.closest('.para');"
        "return p ? {dir: p.getAttribute('dir'), direction: getComputedStyle(p).direction,"
        "            text: p.textContent} : null;", new)
    assert para, "the highlight sits in a paragraph"
    # Each paragraph's direction is decided once from its first letter, as dir=auto would.
    assert para["dir"] == "rtl", f"the Urdu paragraph carries dir=rtl: {para}"
    assert para["direction"] == "rtl", f"the Urdu paragraph's computed direction is {para['direction']}"
    ltr = app.js("const p = document.querySelector('article#article .para');"
                 "return {dir: p.getAttribute('dir'), direction: getComputedStyle(p).direction};")
    assert ltr == {"dir": "ltr", "direction": "ltr"}, f"the English first paragraph stays left-to-right: {ltr}"


# --------------------------------------------------------------------------- list size and position

JS_LIST_POSITIONS = r"""
const ol = document.querySelector('ol[aria-label="Annotations"]');
return {start: ol.getAttribute('start'),
        items: Array.from(ol.children).filter(li => li.tagName === 'LI').map(li => ({
          id: li.getAttribute('data-id'), current: li.getAttribute('aria-current'),
          pos: li.getAttribute('aria-posinset'), size: li.getAttribute('aria-setsize')}))};
"""


def test_windowed_list_items_say_their_position_in_the_whole_list(app, seed_text, tmp_path):
    """The list renders a window of about 100 items; each item carries aria-posinset
    (1-based, in the whole filtered list) and aria-setsize (that list's length)."""
    import re

    labels = ["claim", "denial", "statistic"]
    words = list(re.finditer(r"\w+", seed_text))[:300]
    assert len(words) == 300, "the sample article has at least 300 words"
    anns = [{"id": f"many-{i:03}", "start": m.start(), "end": m.end(), "quote": m.group(0), "label": labels[i % 3],
             "note": "", "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"}
            for i, m in enumerate(words)]
    path = tmp_path / "many.annotations.json"
    path.write_text(json.dumps({"format": "text-annotator/annotations", "version": 1, "annotations": anns}), encoding="utf-8")
    app.import_file(path)
    app.wait(lambda: app.counts() == {"claim": 100, "denial": 100, "statistic": 100}, "the 300 imported annotations")

    got = app.js(JS_LIST_POSITIONS)
    assert 0 < len(got["items"]) < 300, f"a window of the list is rendered, not all 300: {len(got['items'])}"
    assert [(i["id"], i["pos"], i["size"]) for i in got["items"]] == \
        [(f"many-{n:03}", str(n + 1), "300") for n in range(len(got["items"]))]

    # Select the 251st annotation in the text: the window moves to show it.
    target = "many-250"
    app.click(app.driver.find_element(By.CSS_SELECTOR, f'article#article mark[data-ids~="{target}"]'))
    app.wait(lambda: any(i["id"] == target and i["current"] == "true" for i in app.js(JS_LIST_POSITIONS)["items"]),
             "the selected annotation is listed (the window moved)")
    got = app.js(JS_LIST_POSITIONS)
    first = int(got["items"][0]["id"].split("-")[1])
    assert first > 0, f"the window no longer starts at the first annotation: {got['items'][:2]}"
    assert got["start"] == str(first + 1), "the ordered list's numbering starts at the window's first position"
    assert [(i["id"], i["pos"], i["size"]) for i in got["items"]] == \
        [(f"many-{n:03}", str(n + 1), "300") for n in range(first, first + len(got["items"]))]
    (sel,) = [i for i in got["items"] if i["current"] == "true"]
    assert (sel["pos"], sel["size"]) == ("251", "300")

    # Filtered: hide claims (every third); positions count only what is shown.
    app.click(app.driver.find_element(By.CSS_SELECTOR, 'input[type=checkbox][aria-label="Show Claim"]'))
    shown = [a["id"] for a in anns if a["label"] != "claim"]
    app.wait(lambda: all(i["size"] == "200" for i in app.js(JS_LIST_POSITIONS)["items"]), "aria-setsize of the filtered list")
    got = app.js(JS_LIST_POSITIONS)
    assert got["items"], "the filtered list shows items"
    for i in got["items"]:
        assert i["pos"] == str(shown.index(i["id"]) + 1), f"aria-posinset in the filtered list: {i}"
