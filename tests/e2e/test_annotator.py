"""End-to-end tests of the annotator (issue 2), run in every browser of E2E_BROWSERS.

Each test gets a fresh browser profile (see conftest.py), so local storage starts empty.
Offsets in files are Unicode code points, end exclusive: Python's ``text[start:end]``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


STAT = "1,524 violence-related fatalities"
CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"
STAT2 = "1,463 injuries"
OUTER = "Pakistan witnessed 1,524 violence-related fatalities and 1,463 injuries"
LABELS = ("claim", "denial", "statistic")
FORMAT = "text-annotator/annotations"


def assert_highlighted(app, item: dict, quote: str, label: str):
    marks = app.marks(item["id"])
    assert marks, f"no mark.hl carries data-ids ~ {item['id']}"
    assert "".join(m["text"] for m in marks) == quote, f"marks of {item['id']} read {marks}, want {quote!r}"
    assert all(label in m["classes"] for m in marks), f"marks of {item['id']} lack class {label}: {marks}"


# 1 ---------------------------------------------------------------------------------------


def test_article_text_and_statistic_by_key(app, seed_text):
    assert app.article_text() == seed_text, "article#article textContent differs from seed-article.txt"
    assert app.driver.find_elements(By.CSS_SELECTOR, "article#article div.para"), "no div.para in the article"
    assert app.items() == [], "a fresh profile starts with no annotations"

    app.select_text(STAT)
    app.press("3")
    item = app.wait_item(STAT, "statistic")

    assert "Statistic" in item["text"], f"list item should name its label: {item}"
    assert app.counts() == {"claim": 0, "denial": 0, "statistic": 1}
    assert_highlighted(app, item, STAT, "statistic")
    assert app.driver.find_elements(By.CSS_SELECTOR, "article#article mark.hl.statistic")
    # Marking must not change the text.
    assert app.article_text() == seed_text
    app.wait_stored(present=[item["id"]])
    app.wait_saved()


# 2 ---------------------------------------------------------------------------------------


def test_claim_button_retag_and_delete(app):
    claim = app.tag(CLAIM, "claim", how="button")
    assert app.counts()["claim"] == 1
    assert_highlighted(app, claim, CLAIM, "claim")

    # Retag with the button: pick it in the list, no text selected.
    app.activate_item(claim["id"])
    app.click_button("Denial")
    app.wait(lambda: app.item_by_quote(CLAIM)["label"] == "denial", "retag to denial via the Denial button")
    retagged = app.item_by_quote(CLAIM)
    assert retagged["id"] == claim["id"], "retagging must keep the annotation's id"
    assert app.counts() == {"claim": 0, "denial": 1, "statistic": 0}
    assert_highlighted(app, retagged, CLAIM, "denial")
    assert not any("claim" in m["classes"] for m in app.marks(claim["id"])), "old label class must go"

    # Retag with the keys 1 then 2 (the annotation stays selected).
    app.activate_item(claim["id"])
    app.press("1")
    app.wait(lambda: app.item_by_quote(CLAIM)["label"] == "claim", "retag to claim via key 1")
    app.press("2")
    app.wait(lambda: app.item_by_quote(CLAIM)["label"] == "denial", "retag to denial via key 2")
    assert app.item_by_quote(CLAIM)["id"] == claim["id"]

    # Two more, then delete one with the Delete key and one with the Delete button.
    stat = app.tag(STAT, "statistic", how="key")
    stat2 = app.tag(STAT2, "statistic", how="button")
    assert len(app.items()) == 3

    app.activate_item(stat["id"])
    app.press(Keys.DELETE)
    app.wait(lambda: stat["id"] not in [i["id"] for i in app.items()], "Delete key removes the selected annotation")
    assert app.marks(stat["id"]) == [], "highlight of a deleted annotation must go"

    app.activate_item(stat2["id"])
    app.click_button("Delete")
    app.wait(lambda: stat2["id"] not in [i["id"] for i in app.items()], "Delete button removes the selected annotation")
    assert app.marks(stat2["id"]) == []

    left = app.items()
    assert [(i["id"], i["label"]) for i in left] == [(claim["id"], "denial")]
    assert app.counts() == {"claim": 0, "denial": 1, "statistic": 0}
    app.wait_stored(present=[claim["id"]], absent=[stat["id"], stat2["id"]])


# 3 ---------------------------------------------------------------------------------------


def test_reload_keeps_annotations(app, seed_text):
    a = app.tag(CLAIM, "claim", how="button")
    b = app.tag(STAT, "statistic")
    c = app.tag(DENIAL, "denial")
    app.activate_item(b["id"])
    app.press(Keys.DELETE)
    app.wait(lambda: len(app.items()) == 2, "deletion of the statistic")
    app.wait_stored(present=[a["id"], c["id"]], absent=[b["id"]])
    app.wait_saved()
    before = [(i["id"], i["label"], i["text"]) for i in app.items()]

    app.reload()

    assert app.article_text() == seed_text
    app.wait(lambda: len(app.items()) == 2, "annotations restored after reload")
    after = [(i["id"], i["label"], i["text"]) for i in app.items()]
    assert after == before, "same ids, labels and quotes after reload"
    assert app.counts() == {"claim": 1, "denial": 1, "statistic": 0}
    assert_highlighted(app, app.item_by_quote(CLAIM), CLAIM, "claim")
    assert_highlighted(app, app.item_by_quote(DENIAL), DENIAL, "denial")
    assert app.marks(b["id"]) == []
    app.wait_saved()
    # List is in text order.
    starts = [seed_text.index(q) for q in (DENIAL, CLAIM)]
    assert [i["id"] for i in app.items()] == [x["id"] for _, x in sorted(zip(starts, (c, a)))]


# 4 ---------------------------------------------------------------------------------------


def check_native_file(data: dict, seed_text: str):
    assert data.get("format") == FORMAT, f"format field: {data.get('format')!r}"
    assert data.get("version") == 2, f"version field: {data.get('version')!r}"
    doc = data.get("document")
    assert isinstance(doc, dict), "document object"
    if "text" in doc:
        assert doc["text"] == seed_text, "document.text must be the article text exactly"
    if "length" in doc:
        assert doc["length"] == len(seed_text), "document.length in code points"
    assert isinstance(data.get("annotations"), list)
    for a in data["annotations"]:
        for key in ("id", "start", "end", "quote", "label", "note", "created", "modified"):
            assert key in a, f"annotation lacks {key}: {a}"
        assert a["label"] in LABELS
        assert 0 <= a["start"] < a["end"] <= len(seed_text), f"offsets out of range: {a}"
        assert seed_text[a["start"]:a["end"]] == a["quote"], f"text[start:end] != quote for {a}"


def test_export_file_offsets(app, seed_text):
    made = {
        CLAIM: app.tag(CLAIM, "claim", how="button"),
        STAT: app.tag(STAT, "statistic"),
        DENIAL: app.tag(DENIAL, "denial"),
    }
    path, data = app.export()
    assert path.name == "seed-article.annotations.json"
    check_native_file(data, seed_text)
    got = {a["quote"]: a for a in data["annotations"]}
    assert set(got) == set(made), f"exported quotes {list(got)}"
    for quote, item in made.items():
        a = got[quote]
        assert a["id"] == item["id"]
        assert a["label"] == item["label"]
        assert a["start"] == seed_text.index(quote) and a["end"] == a["start"] + len(quote)
    assert [a["id"] for a in data["annotations"]] == [i["id"] for i in app.items()], "file and list in text order"


def test_selection_across_paragraphs_has_exact_offsets(app, seed_text):
    quote = "connect with us on WhatsApp\n\n\"Pakistan hoped for cooperation"
    assert quote in seed_text
    app.tag(quote, "claim", how="button")
    _, data = app.export()
    check_native_file(data, seed_text)
    (a,) = data["annotations"]
    assert a["quote"] == quote
    assert a["start"] == seed_text.index(quote)


# 5 ---------------------------------------------------------------------------------------

# The bad annotation is the second one in the file (index 1): the alert must name the
# problem and where it is.
AT_SECOND = r"(annotations\[1\]|annotation #?2\b)"
BAD_CASES = {
    # name: regexes (case-insensitive) that must all match the #notice text
    "not_json": (r"line\W{0,3}5\b",),
    "quote_mismatch": (r"quote", AT_SECOND),
    "version_99": (r"version", r"\b99\b"),
    "offset_out_of_range": (r"range|length|beyond|outside|exceed|past|end", AT_SECOND),
    "too_large_50MB": (r"too large",),
}


def build_bad_file(case: str, exported: dict, seed_text: str, tmp_path) -> Path:
    path = tmp_path / f"{case}.annotations.json"
    extra = {
        "id": "e2e-extra-annotation",
        "start": seed_text.index("Rs10 billion"),
        "end": seed_text.index("Rs10 billion") + len("Rs10 billion"),
        "quote": "Rs10 billion",
        "label": "statistic",
        "note": "",
        "created": "2024-01-01T00:00:00Z",
        "modified": "2024-01-01T00:00:00Z",
    }
    good = json.loads(json.dumps(exported))
    good["annotations"] = [extra] + good["annotations"]
    if case == "not_json":
        path.write_text(
            '{\n  "format": "text-annotator/annotations",\n  "version": 1,\n  "annotations": [\n'
            '    {"id": "x", oops}\n  ]\n}\n',
            encoding="utf-8",
        )
    elif case == "quote_mismatch":
        good["annotations"][1]["quote"] = "this is not the text at these offsets"
        path.write_text(json.dumps(good, indent=2), encoding="utf-8")
    elif case == "version_99":
        good["version"] = 99
        path.write_text(json.dumps(good, indent=2), encoding="utf-8")
    elif case == "offset_out_of_range":
        good["annotations"][1]["end"] = len(seed_text) + 10
        path.write_text(json.dumps(good, indent=2), encoding="utf-8")
    elif case == "too_large_50MB":
        # A well-formed file (so only its size is wrong), 50 MB of padding in a note.
        size = 50 * 1024 * 1024
        head = json.dumps({k: v for k, v in good.items() if k != "annotations"})[:-1]
        head += ', "annotations": [], "padding": "'
        tail = '"}\n'
        with open(path, "w", encoding="utf-8") as f:
            f.write(head)
            remaining = size - len(head.encode()) - len(tail)
            chunk = "x" * (1 << 20)
            while remaining > 0:
                f.write(chunk[: min(remaining, len(chunk))])
                remaining -= len(chunk)
            f.write(tail)
        assert path.stat().st_size >= 50 * 1024 * 1024
    else:
        raise ValueError(case)
    return path


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_import_bad_file_changes_nothing(app, seed_text, tmp_path, case):
    kept = app.tag(STAT, "statistic")
    app.wait_stored(present=[kept["id"]])
    _, exported = app.export()
    path = build_bad_file(case, exported, seed_text, tmp_path)

    list_before = app.items()
    storage_before = app.storage()
    notice_before = app.notice() or ""
    app.import_file(path)

    patterns = BAD_CASES[case]
    app.wait(
        lambda: (app.notice() or "") != notice_before and (app.notice() or "").strip(),
        "an alert in #notice (role=alert) after importing a bad file",
        timeout=30,
    )
    for pattern in patterns:
        assert re.search(pattern, app.notice(), re.I), f"#notice should match /{pattern}/i: {app.notice()!r}"
    assert app.items() == list_before, "a bad file must not change the annotation list"
    assert app.storage() == storage_before, "a bad file must not change local storage"
    assert app.marks("e2e-extra-annotation") == []
    assert app.article_text() == seed_text


# 6 ---------------------------------------------------------------------------------------


def test_import_exported_file_into_fresh_profile(app, new_app, seed_text):
    a = app.tag(CLAIM, "claim", how="button")
    b = app.tag(STAT, "statistic")
    path, data = app.export()
    check_native_file(data, seed_text)
    want = [(i["id"], i["label"], i["text"]) for i in app.items()]

    other = new_app()  # a second browser with its own fresh profile
    assert other.items() == [] and other.storage() == {}, "the fresh profile starts empty"
    other.import_file(path)
    other.wait(lambda: len(other.items()) == 2, "both annotations imported")
    assert [(i["id"], i["label"], i["text"]) for i in other.items()] == want
    assert other.counts() == {"claim": 1, "denial": 0, "statistic": 1}
    assert_highlighted(other, other.item_by_quote(CLAIM), CLAIM, "claim")
    assert_highlighted(other, other.item_by_quote(STAT), STAT, "statistic")
    other.wait(lambda: (other.info() or "").strip() != "", "#info summarises the import")
    assert not (other.notice() or "").strip(), f"no alert after a good import: {other.notice()!r}"
    other.wait_stored(present=[a["id"], b["id"]])
    other.reload()
    other.wait(lambda: len(other.items()) == 2, "imported annotations survive a reload")


# 7 ---------------------------------------------------------------------------------------


def test_nothing_selected_does_nothing_and_says_why(app):
    app.clear_selection()
    app.press("3")
    app.wait(lambda: (app.notice() or "").strip() != "", "#notice explains why nothing was tagged")
    assert re.search(r"select", app.notice(), re.I), f"notice should say to select text: {app.notice()!r}"
    assert app.items() == []
    assert app.counts() == {"claim": 0, "denial": 0, "statistic": 0}


def test_selection_outside_article_does_nothing(app):
    heading = app.js("const h = document.querySelector('h1, header'); return h ? h.textContent.trim() : null;")
    assert heading, "expected some text outside the article (a heading)"
    word = heading.split()[0]
    app.select_text(word, root="h1, header")
    app.press("3")
    app.wait(lambda: (app.notice() or "").strip() != "", "#notice explains that the selection is outside the article")
    assert app.items() == []


def test_nested_annotations_both_listed_and_reachable(app):
    outer = app.tag(OUTER, "claim", how="button")
    inner = app.tag(STAT, "statistic")
    items = app.items()
    assert [i["id"] for i in items] == [outer["id"], inner["id"]], "both listed, in text order (outer starts first)"

    both = [m for m in app.marks(inner["id"]) if outer["id"] in m["ids"]]
    assert "".join(m["text"] for m in both) == STAT, f"the nested marks carry both ids: {app.marks(inner['id'])}"
    assert "".join(m["text"] for m in app.marks(outer["id"])) == OUTER

    for target in (inner, outer, inner):
        app.activate_item(target["id"])
        sel = [m for m in app.marks(target["id"])]
        assert sel and all("selected" in m["classes"] for m in sel), f"marks of {target['id']} get class selected"
    # Each stays reachable: retag the outer one, delete the inner one.
    app.activate_item(outer["id"])
    app.press("2")
    app.wait(lambda: app.items()[0]["label"] == "denial", "retag the outer annotation")
    app.activate_item(inner["id"])
    app.press(Keys.DELETE)
    app.wait(lambda: [i["id"] for i in app.items()] == [outer["id"]], "delete the inner annotation")
    assert "".join(m["text"] for m in app.marks(outer["id"])) == OUTER


# 8 ---------------------------------------------------------------------------------------


def test_click_highlight_selects_its_annotation(app):
    a = app.tag(CLAIM, "claim", how="button")
    b = app.tag(STAT, "statistic")
    app.activate_item(a["id"])
    mark = app.driver.find_element(By.CSS_SELECTOR, f'article#article mark.hl[data-ids~="{b["id"]}"]')
    app.click(mark)
    app.wait_current(b["id"])
    assert all("selected" in m["classes"] for m in app.marks(b["id"]))
    assert not any("selected" in m["classes"] for m in app.marks(a["id"]))


def test_list_item_enter_selects(app):
    a = app.tag(CLAIM, "claim", how="button")
    app.tag(STAT, "statistic")
    btn = app.item(a["id"]).find_element(By.TAG_NAME, "button")
    app.driver.execute_script("arguments[0].focus();", btn)
    app.press(Keys.ENTER)
    app.wait_current(a["id"])


# real selection ---------------------------------------------------------------------------


def test_real_mouse_selection_double_click_and_drag(app, seed_text):
    app.double_click_text("Khost")
    app.wait(lambda: app.selection_text().strip() == "Khost", "double-click selects the word")
    app.press("1")
    item = app.wait_item("Khost", "claim")
    assert_highlighted(app, item, "Khost", "claim")

    phrase = "a six-year high record"
    app.drag_select(phrase)
    app.wait(lambda: app.selection_text() == phrase, f"mouse drag selects {phrase!r} (got {app.selection_text()!r})")
    app.press("3")
    item2 = app.wait_item(phrase, "statistic")
    assert_highlighted(app, item2, phrase, "statistic")

    _, data = app.export()
    check_native_file(data, seed_text)
    assert sorted(a["quote"] for a in data["annotations"]) == sorted(["Khost", phrase])
