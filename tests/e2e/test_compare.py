"""End-to-end: compare with a colleague's file (issue 14). Tag five spans, compare
with a prepared colleague file (two equal, one boundary difference, one label
difference, one only-theirs; my fifth is only mine), read the Agreement table, step
through the Differences with j, accept one, keep one, undo, export the agreement CSV
and parse it with Python's csv module; axe checks the comparison view."""

from __future__ import annotations

import csv
import io
import json
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import chord
from test_a11y_keyboard import inject_axe, run_axe
from test_documents import clear_downloads, wait_download

MINE = [
    ("slammed the Afghan Taliban-led government", "claim"),   # equal
    ("a claim denied by Kabul", "denial"),                    # equal
    ("offered to grant Rs10 billion", "claim"),               # theirs: "even offered to grant Rs10 billion"
    ("BBC Urdu", "statistic"),                                # theirs: a claim
    ("despite repeated requests made by Islamabad", "claim"),  # only mine
]
THEIRS = [
    ("slammed the Afghan Taliban-led government", "claim"),
    ("a claim denied by Kabul", "denial"),
    ("even offered to grant Rs10 billion", "claim"),
    ("BBC Urdu", "claim"),
    ("Pakistan could target terrorist hideouts", "claim"),    # only theirs
]


def colleague_file(seed_text: str, tmp_path):
    anns = []
    for i, (quote, label) in enumerate(THEIRS):
        start = seed_text.index(quote)  # Python str indices are code points, as the format's offsets
        anns.append({"id": f"col-{i}", "start": start, "end": start + len(quote), "quote": quote, "label": label,
                     "note": "", "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"})
    path = tmp_path / "colleague.annotations.json"
    path.write_text(json.dumps({"format": "text-annotator/annotations", "version": 2, "annotations": anns}), encoding="utf-8")
    return path


def differences(app) -> list[dict]:
    return app.js("""return Array.from(document.querySelectorAll('ol[aria-label="Differences"] > li')).map(li => ({
        kind: li.dataset.kind, text: li.querySelector('.diff-show').textContent, current: li.getAttribute('aria-current')}));""")


def table(app) -> dict:
    """The Agreement table: row name → cells by column header."""
    return app.js("""const t = document.querySelector('[role=region][aria-label="Agreement"] table.figures');
        const heads = Array.from(t.querySelectorAll('thead th')).map(th => th.textContent.trim());
        const out = {};
        for (const tr of t.querySelectorAll('tbody tr')) {
          const cells = Array.from(tr.children).map(c => c.textContent.trim());
          out[cells[0]] = Object.fromEntries(heads.map((h, i) => [h, cells[i]]));
        }
        return out;""")


def diff_button(app, index: int, name: str):
    items = app.driver.find_elements(By.CSS_SELECTOR, 'ol[aria-label="Differences"] > li')
    return [b for b in items[index].find_elements(By.TAG_NAME, "button") if b.text == name][0]


def test_compare_read_step_settle_undo_and_export(app, seed_text, tmp_path):
    for quote, label in MINE:
        app.tag(quote, label)
    inp = app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label^="Compare with"]')
    inp.send_keys(str(colleague_file(seed_text, tmp_path)))
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, '[role=region][aria-label="Agreement"]'), "the Agreement region")
    assert len(app.items()) == 5, "comparing changes nothing of mine"
    t = table(app)
    assert t["All labels"]["Exact"] == "2" and t["All labels"]["Overlap"] == "1", t
    assert t["All labels"]["Only mine"] == "1" and t["All labels"]["Only theirs"] == "1" and t["All labels"]["Label differs"] == "1", t
    assert t["All labels"]["F1 (exact)"] == "0.400", t  # 2·2 / (5 + 5)
    assert t["All labels"]["F1 (overlap)"] == "0.600", t  # 2·3 / (5 + 5)
    assert set(t) == {"All labels", "Claim", "Denial", "Statistic"}, t
    kinds = [d["kind"] for d in differences(app)]
    assert kinds == ["only mine", "label differs", "boundaries differ", "only theirs"], kinds
    # Their spans are drawn in the article, outlined; the text is unchanged.
    assert app.driver.find_elements(By.CSS_SELECTOR, "article#article .theirs[data-theirs]")
    assert app.article_text() == seed_text

    # j steps through the differences, selecting mine and scrolling to it.
    app.clear_selection()
    app.js("document.activeElement && document.activeElement.blur()")
    app.press("j")
    app.wait(lambda: differences(app)[0]["current"] == "true", "j selects the first difference")
    app.press("j")
    app.wait(lambda: differences(app)[1]["current"] == "true", "j moves to the second")
    assert "BBC Urdu" in differences(app)[1]["text"]
    shot = os.environ.get("E2E_COMPARE_SCREENSHOT")
    if shot:  # the README's picture of a comparison
        app.js("document.querySelector('[role=region][aria-label=\"Agreement\"]').scrollIntoView({block: 'start'});"
               "document.querySelector('article#article [data-theirs]').scrollIntoView({block: 'center'});")
        app.driver.save_screenshot(shot)

    # Accept theirs on the label difference: my BBC Urdu becomes a claim, one undo step.
    app.click(diff_button(app, 1, "Accept theirs"))
    app.wait(lambda: len(differences(app)) == 3, "the accepted difference is gone")
    assert app.item_by_quote("BBC Urdu")["label"] == "claim"
    app.wait(lambda: table(app)["All labels"]["Exact"] == "3", "the figures update at once")
    # Keep mine on the only-mine difference.
    app.click(diff_button(app, 0, "Keep mine"))
    app.wait(lambda: [d["kind"] for d in differences(app)] == ["boundaries differ", "only theirs"], "kept one set aside")
    assert len(app.items()) == 5
    # Undo takes back the accepted label.
    chord(app, Keys.CONTROL, "z")
    app.wait(lambda: app.item_by_quote("BBC Urdu")["label"] == "statistic", "Ctrl+Z undoes Accept theirs")
    app.wait(lambda: table(app)["All labels"]["Exact"] == "2", "and the figures follow")
    assert [d["kind"] for d in differences(app)] == ["label differs", "boundaries differ", "only theirs"]

    violations = []
    inject_axe(app)
    violations = run_axe(app, "the comparison view")
    assert not violations, [v["id"] for v in violations]

    # Export agreement: a row per label, a row per remaining difference.
    clear_downloads(app)
    app.click_button("Export agreement")
    _, data = wait_download(app, r".*-agreement\.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    figures = {r["label"]: r for r in rows if r["row"] == "figures"}
    assert set(figures) == {"all", "claim", "denial", "statistic"}, figures.keys()
    assert figures["all"]["exact"] == "2" and figures["all"]["f1_exact"] == "0.4000", figures["all"]
    diffs = [r for r in rows if r["row"] == "difference"]
    assert [d["kind"] for d in diffs] == ["label differs", "boundaries differ", "only theirs"], diffs
    assert diffs[1]["theirs_quote"] == "even offered to grant Rs10 billion", diffs[1]

    # Escape closes the comparison; my work stays as it is.
    app.js("document.activeElement && document.activeElement.blur()")
    app.press(Keys.ESCAPE)
    app.wait(lambda: not app.driver.find_elements(By.CSS_SELECTOR, '[role=region][aria-label="Agreement"]'), "Escape closes it")
    assert not app.driver.find_elements(By.CSS_SELECTOR, "article#article .theirs")
    assert len(app.items()) == 5 and app.item_by_quote("BBC Urdu")["label"] == "statistic"


def test_a_file_for_another_text_is_refused_and_an_empty_one_too(app, tmp_path):
    app.tag("BBC Urdu", "claim")
    other = tmp_path / "other.annotations.json"
    other.write_text(json.dumps({"format": "text-annotator/annotations", "version": 2, "annotations": [
        {"id": "x", "start": 0, "end": 18, "quote": "Weather in Oslo is", "label": "claim",
         "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"}]}), encoding="utf-8")
    inp = app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label^="Compare with"]')
    inp.send_keys(str(other))
    app.wait(lambda: "could be placed in this text" in (app.notice() or ""), "a clear message")
    assert not app.driver.find_elements(By.CSS_SELECTOR, '[role=region][aria-label="Agreement"]')
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    inp.send_keys(str(empty))
    app.wait(lambda: "empty.json is empty" in (app.notice() or ""), "an empty file is said to be empty")
    assert len(app.items()) == 1


def test_two_files_at_once_give_a_pairwise_table_and_a_choice_of_file(app, seed_text, tmp_path):
    for quote, label in MINE[:2]:
        app.tag(quote, label)
    first = colleague_file(seed_text, tmp_path)
    second = tmp_path / "second.annotations.json"
    data = json.loads(first.read_text(encoding="utf-8"))
    data["annotations"] = data["annotations"][:2]  # the two I tagged too
    second.write_text(json.dumps(data), encoding="utf-8")
    inp = app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label^="Compare with"]')
    inp.send_keys(f"{first}\n{second}")
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, 'table[aria-label="Pairwise agreement"]'), "the pairwise table")
    rows = app.js("""return Array.from(document.querySelectorAll('table[aria-label="Pairwise agreement"] tbody tr'))
        .map(tr => Array.from(tr.children).map(c => c.textContent.trim()));""")
    assert [r[0] for r in rows] == ["Mine", "colleague.annotations.json", "second.annotations.json"], rows
    assert rows[0][3] == "F1 1.000 · αu 1.000", rows  # mine and the second file hold the same two spans
    assert rows[1][3] == rows[2][2] != "F1 1.000 · αu 1.000", rows
    assert len(differences(app)) == 3, "against the first file: three of theirs are not mine"
    select = app.driver.find_element(By.XPATH, "//label[contains(., 'Differences against')]/select")
    app.click(select)
    select.find_elements(By.TAG_NAME, "option")[1].click()
    app.wait(lambda: differences(app) == [], "no differences against the second file")
    assert "second.annotations.json" in app.js(
        "return document.querySelector('[role=region][aria-label=\"Agreement\"] h3').textContent")
