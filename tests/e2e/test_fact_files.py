"""End-to-end: fact-check files (issue 13). A brat file shaped like an argument-mining
corpus comes in (Claim/Premise entities, supports/attacks relations, a Stance attribute, a
trailing tab on an R line, an event line), with the Premise label mapped through the
usual choice and the attacks relation type through the same kind of choice; and the brat, W3C and CSV exports of a document with a link, a verdict and
a speaker carry all three."""

from __future__ import annotations

import csv
import io
import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_a11y_keyboard import inject_axe, run_axe
from test_formats import export_as

CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"
STAT = "1,524 violence-related fatalities"


def links_of_selected(app) -> list[str]:
    return app.js("""
        const l = document.querySelector('section[aria-label="Selected annotation"] ul[aria-label="Links"]');
        return l ? [...l.querySelectorAll('button.link-other')].map(b => b.textContent) : [];
    """)


def test_argument_mining_brat_file_is_imported_with_its_relations_mapped(app, tmp_path):
    seed = app.seed
    c, p, q = seed.index(CLAIM), seed.index(DENIAL), seed.index(STAT)
    ann = (
        f"T1\tClaim {c} {c + len(CLAIM)}\t{CLAIM}\n"
        f"T2\tPremise {p} {p + len(DENIAL)}\t{DENIAL}\n"
        f"T3\tPremise {q} {q + len(STAT)}\t{STAT}\n"
        "R1\tsupports Arg1:T3 Arg2:T1\t\n"
        "R2\tattacks Arg1:T2 Arg2:T1\n"
        "A1\tStance T1 For\n"
        "E1\tArgue:T1\n"
        "#1\tAnnotatorNotes T2\tfrom the corpus\n"
    )
    (tmp_path / "essay01.ann").write_text(ann, encoding="utf-8")
    (tmp_path / "essay01.txt").write_text(seed, encoding="utf-8", newline="")
    inp = app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Import annotations"]')
    inp.send_keys(f"{tmp_path / 'essay01.ann'}\n{tmp_path / 'essay01.txt'}")
    app.wait(lambda: "Premise" in app.notice(), "the unknown entity type is asked about")
    app.click_button("Map to Statistic")
    # Then the relation type we do not have, with the kind its name means chosen first.
    app.wait(lambda: "“attacks” (1 relation" in app.notice(), "the unknown relation type is asked about")
    choice = Select(app.driver.find_element(By.CSS_SELECTOR, 'select[aria-label="“attacks” becomes"]'))
    assert choice.first_selected_option.text == "contradicts"
    assert len(app.items()) == 0, "nothing is imported before the choice"
    inject_axe(app)
    serious = [v["id"] for v in run_axe(app, "the relation type choice") if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe: {serious}"
    app.click_button("Import with these link types")
    app.wait(lambda: len(app.items()) == 3, "three annotations imported")
    info = app.info()
    for needle in ("attacks → contradicts", "Relations: 2 read as links, 0 left out.", "Stance", "1 event line"):
        assert needle in info, f"{needle!r} in the import report {info!r}"
    claim = next(i["id"] for i in app.items() if i["label"] == "claim")
    app.activate_item(claim)
    app.wait(lambda: sorted(links_of_selected(app)) == sorted([
        f"← contradicted by Statistic: “{DENIAL}”", f"← supported by Statistic: “{STAT}”"]),
        "the claim is contradicted and supported, as the corpus says")


def test_brat_w3c_and_csv_exports_carry_links_verdicts_and_speakers(app):
    claim = app.tag(CLAIM, "claim")["id"]
    denial = app.tag(DENIAL, "denial")["id"]
    app.activate_item(claim)
    app.fill_selected(Speaker="Khawaja Asif", Verdict="Mostly false")
    app.wait(lambda: "Verdict: Mostly false" in app.item(claim).text, "verdict set")
    app.activate_item(denial)
    app.press("l")
    app.wait(lambda: "Linking from Denial" in app.info(), "l starts a link")
    app.click(app.item(claim).find_element(By.TAG_NAME, "button"))
    app.wait(lambda: "Linked:" in app.info(), "linked")

    files = export_as(app, "brat")
    ann = files["seed-article.ann"].decode("utf-8")
    t = {line.split("\t")[2]: line.split("\t")[0] for line in ann.splitlines() if line.startswith("T")}
    assert f"R1\tDenies Arg1:{t[DENIAL]} Arg2:{t[CLAIM]}" in ann.splitlines(), ann
    assert f"A1\tVerdict {t[CLAIM]} Mostly_false" in ann.splitlines(), ann
    assert any(line.endswith(f"Speaker {t[CLAIM]}\tKhawaja Asif") for line in ann.splitlines()), ann
    conf = files["annotation.conf"].decode("utf-8")
    assert "[relations]" in conf and "Denies\tArg1:" in conf and "Value:True|Mostly_true" in conf, conf

    w = json.loads(export_as(app, "w3c")["seed-article.w3c.jsonld"])
    items = w["first"]["items"]
    by_id = {i["id"].rsplit(":", 1)[-1]: i for i in items if i.get("motivation") != "linking"}
    assert {"type": "TextualBody", "purpose": "assessing", "value": "Mostly false"} in by_id[claim]["body"]
    assert {"type": "TextualBody", "purpose": "identifying", "value": "Khawaja Asif"} in by_id[claim]["body"]
    link = next(i for i in items if i.get("motivation") == "linking")
    assert link["target"] == [f"urn:x-annotator:{denial}", f"urn:x-annotator:{claim}"] and link["body"]["value"] == "denies"

    rows = list(csv.DictReader(io.StringIO(export_as(app, "csv")["seed-article.annotations.csv"].decode("utf-8-sig"), newline="")))
    row = {r["id"]: r for r in rows}
    assert (row[claim]["speaker"], row[claim]["verdict"]) == ("Khawaja Asif", "Mostly false")
    assert row[denial]["links"] == f"denies:{claim}"
