"""End-to-end tests of documents and persistence (issue 7), in every browser of E2E_BROWSERS.

1. Open a text file (CRLF, emoji, Urdu; and one with a UTF-8 BOM), annotate it and the
   sample article, reload, switch back: everything is there; the URL hash names the open
   document and back/forward switch documents. Dropping a file on the page opens it too.
2. Bad files (empty, white space only, binary, invalid UTF-8, UTF-16, over 50 MB) are
   refused with a clear alert; the library and storage stay as they were.
3. HTML in a pasted text's title or in a file name shows as text, never as markup.
4. Rename, delete (confirmed) and "Undo delete"; delete the sample and restore it.
5. "Export all" then "Import backup" into a fresh profile; importing twice adds nothing;
   bad backups (conflicting ids, id not of its text, bad quote, not JSON) change nothing.
6. Two windows on the same profile edit the same document, one after the other and at the
   same moment (one script edits both before either hears of the other): both edits
   survive, a deletion in one window disappears in the other and stays deleted.
7. Local storage full before an edit: alert, "Not saved", work kept in memory and
   downloadable, the stored record untouched; after space is freed, saved and reloaded.
8. A corrupt stored record (and a corrupt library) is backed up once (exact value),
   reported and downloadable, and the backup survives the next save.
9. A schema-1 record is migrated on load.
10. A ~3 MB text goes to IndexedDB (not local storage) and survives a reload.

Tests marked xfail document app bugs found here (their reasons say where); remove the
marker once the bug is fixed (the strict ones then fail as XPASS to remind you).

Offsets in stored records are Unicode code points, end exclusive (Python ``text[start:end]``).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import SEED_PATH, merged_records, poll_until

PREFIX = "text-annotator."
LIBRARY_KEY = "text-annotator.v2.library"
DOC_KEY = "text-annotator.v2.doc."
TEXT_KEY = "text-annotator.v2.text."
V1_KEY = "text-annotator.v1.doc."
BACKUP_PREFIX = "text-annotator.backup."
SEED_TITLE = "Pakistan's defence minister on the Afghan Taliban (sample article)"
NATIVE_FORMAT = "text-annotator/annotations"
BUNDLE_FORMAT = "text-annotator/bundle"

STAT = "1,524 violence-related fatalities"
STAT2 = "1,463 injuries"
CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"

# A small text file with CRLF line endings, an emoji (outside the BMP) and Urdu (RTL).
FIELD_TEXT = (
    "Field report \u2014 3 May\r\n"
    "The minister said the dam will open \U0001F642 next week, officials confirmed.\r\n"
    "\r\n"
    "\u0627\u0631\u062f\u0648 \u0645\u06cc\u06ba \u062e\u0628\u0631: "
    "\u0648\u0632\u06cc\u0631 \u0646\u06d2 \u06a9\u06c1\u0627 \u06a9\u06c1 \u0688\u06cc\u0645 \u06a9\u06be\u0644\u06d2 \u06af\u0627\u06d4\r\n"
    "Last line, without a line break at the end"
)
FIELD_QUOTE = "the dam will open \U0001F642 next week"
URDU_QUOTE = "\u0648\u0632\u06cc\u0631 \u0646\u06d2 \u06a9\u06c1\u0627"


# --------------------------------------------------------------------------- helpers


def doc_id_for(text: str) -> str:
    """64-bit FNV-1a of the UTF-8 text as 16 hex digits (the app's document id)."""
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


SEED_ID = doc_id_for(SEED_PATH.read_bytes().decode("utf-8"))

JS_DOCS = r"""
const ul = document.querySelector('details.documents ul[aria-label="Documents"]');
if (!ul) return null;
return Array.from(ul.children).filter(li => li.matches('li[data-doc-id]')).map(li => {
  const b = li.querySelector('button');
  return {id: li.getAttribute('data-doc-id'),
          title: b ? b.textContent.replace(/\s+/g, ' ').trim() : null,
          current: b ? b.getAttribute('aria-current') : null,
          text: li.textContent.replace(/\s+/g, ' ').trim()};
});
"""

JS_ALL_STORAGE = r"""
const prefix = arguments[0];
const out = {};
for (let i = 0; i < localStorage.length; i++) {
  const k = localStorage.key(i);
  if (k.startsWith(prefix)) out[k] = localStorage.getItem(k);
}
return out;
"""

# Fills local storage to its quota with keys outside the app's prefix; returns the keys.
JS_FILL_QUOTA = r"""
const keys = [];
let size = 1 << 20, n = 0, total = 0;
while (size >= 1) {
  const k = 'e2e-junk.' + n;
  try {
    localStorage.setItem(k, 'x'.repeat(size));
    keys.push(k); n++; total += size;
  } catch (e) {
    size = Math.floor(size / 2);
  }
}
// Prove it is full: even a tiny new entry is refused.
let full = false;
try { localStorage.setItem('e2e-junk.probe', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'); localStorage.removeItem('e2e-junk.probe'); }
catch (e) { full = true; }
return {keys, total, full};
"""

# The text stored in IndexedDB (db "text-annotator", store "texts") under a key, or null.
JS_IDB_TEXT = r"""
const [id, done] = [arguments[0], arguments[arguments.length - 1]];
const req = indexedDB.open('text-annotator');
req.onerror = () => done({error: String(req.error)});
req.onsuccess = () => {
  const db = req.result;
  if (!db.objectStoreNames.contains('texts')) { db.close(); done({error: 'no store texts'}); return; }
  const g = db.transaction('texts').objectStore('texts').get(id);
  g.onsuccess = () => { const v = g.result; db.close(); done({value: v === undefined ? null : v}); };
  g.onerror = () => { db.close(); done({error: String(g.error)}); };
};
"""

# Drops a text file on the article (a synthetic drag and drop with a real File).
JS_DROP = r"""
const [name, text] = arguments;
const dt = new DataTransfer();
dt.items.add(new File([text], name, {type: 'text/plain'}));
const target = document.querySelector('article#article');
for (const type of ['dragenter', 'dragover', 'drop']) {
  target.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
}
return true;
"""


def docs(app) -> list[dict]:
    got = app.js(JS_DOCS)
    assert got is not None, 'no <details class="documents"> with <ul aria-label="Documents">'
    return got


def doc_ids(app) -> list[str]:
    return [d["id"] for d in docs(app)]


def doc_entry(app, doc_id: str) -> dict:
    found = [d for d in docs(app) if d["id"] == doc_id]
    assert found, f"document {doc_id} not listed: {docs(app)}"
    return found[0]


def all_storage(app) -> dict:
    return app.js(JS_ALL_STORAGE, PREFIX)


def settled_storage(app) -> dict:
    """Our local storage once the app has written everything (the undo history too, ~400 ms
    after the last change): read when it has no work pending."""
    app.wait_idle()
    return all_storage(app)


def settle_windows(app, *handles):
    """Waits until the app is idle in every window of `handles` one after the other with local
    storage unchanged over the round: every write is done and each window has taken in the
    others' (a storage event is dispatched at once to the other windows); leaves the last
    window current."""

    def settled():
        before = all_storage(app)
        for h in handles:
            app.driver.switch_to.window(h)
            app.wait_idle()
        return all_storage(app) == before

    poll_until(settled, f"windows {handles} idle with local storage unchanged over a round")


def record(app, doc_id: str) -> dict | None:
    """The stored record of a document as the app reads it: the whole record merged
    with every journal of later edits (the legacy shared one and those per tab;
    header fields from whichever is stored, the record first)."""
    keys = [DOC_KEY + doc_id] + app.journal_keys(doc_id)
    raws = {k: app.js("return localStorage.getItem(arguments[0]);", k) for k in keys}
    raws = {k: r for k, r in raws.items() if r is not None}
    parts = [json.loads(r) for r in raws.values()]
    if not parts:
        return None
    merged = merged_records(raws)[doc_id]
    rec = dict(parts[0])
    rec["annotations"] = merged["annotations"]
    rec["deleted"] = [{"id": i, "at": t} for i, t in sorted(merged["deleted"].items())]
    rec["rev"] = max(p.get("rev", 0) for p in parts)
    return rec


def stored_annotations(app, doc_id: str) -> list[dict]:
    rec = record(app, doc_id)
    return [] if rec is None else rec.get("annotations", [])


def library(app) -> dict:
    raw = app.js("return localStorage.getItem(arguments[0]);", LIBRARY_KEY)
    assert raw is not None, f"{LIBRARY_KEY} missing"
    return json.loads(raw)


def current_hash_id(app) -> str | None:
    return app.js("const m = location.hash.match(/^#doc=([0-9a-f]{16})$/); return m ? m[1] : null;")


def doc_title(app) -> str:
    return app.js("const h = document.querySelector('h2.doc-title'); return h ? h.innerText : null;")


def wait_open(app, doc_id: str, text: str | None = None, timeout: float = 30):
    """Waits until `doc_id` is the open document: marked current in the list, named by the hash."""

    def ok():
        cur = [d["id"] for d in docs(app) if d["current"] == "page"]
        if cur != [doc_id] or current_hash_id(app) != doc_id:
            return False
        return text is None or app.article_text() == text

    app.wait(ok, f"document {doc_id} open (aria-current=page, #doc={doc_id}); docs={docs(app)} hash={current_hash_id(app)}", timeout=timeout)


def open_doc(app, doc_id: str, text: str | None = None):
    """Opens a listed document with its button in the Documents list."""
    li = app.driver.find_element(By.CSS_SELECTOR, f'ul[aria-label="Documents"] > li[data-doc-id="{doc_id}"]')
    app.click(li.find_element(By.TAG_NAME, "button"))
    wait_open(app, doc_id, text)


def choose_text_file(app, path: Path):
    inp = app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Open text file"]')
    inp.send_keys(str(path))


def open_text_file(app, path: Path, text: str, timeout: float = 30) -> str:
    """Opens `path` with the "Open text file" input; returns its document id."""
    choose_text_file(app, path)
    doc_id = doc_id_for(text)
    wait_open(app, doc_id, text, timeout=timeout)
    return doc_id


def write_text(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def li_button(app, doc_id: str, name: str):
    """The button named exactly `name` (aria-label, else text) inside a document's list item."""
    li = app.driver.find_element(By.CSS_SELECTOR, f'ul[aria-label="Documents"] > li[data-doc-id="{doc_id}"]')
    for b in li.find_elements(By.TAG_NAME, "button"):
        if (b.get_attribute("aria-label") or b.text or "").strip() == name or b.text.strip() == name:
            return b
    raise AssertionError(f"no button {name!r} in the list item of {doc_id}: {li.get_attribute('outerHTML')}")


def clear_downloads(app):
    for f in app.download_dir.iterdir():
        f.unlink()


def wait_download(app, pattern: str, timeout: float = 30) -> tuple[Path, bytes]:
    """Waits for one complete download whose name matches `pattern` (fullmatch)."""

    def done():
        files = list(app.download_dir.iterdir())
        if any(f.name.endswith((".crdownload", ".part", ".tmp")) for f in files):
            return False
        hits = [f for f in files if re.fullmatch(pattern, f.name) and f.stat().st_size > 0]
        return hits[0] if hits else False

    path = app.wait(done, f"a download named /{pattern}/ in {app.download_dir}", timeout=timeout)
    return path, stable_bytes(path)


def stable_bytes(path: Path) -> bytes:
    """The file's bytes once two reads in a row agree (a file still being written grows)."""
    last = [None]

    def same():
        now = path.read_bytes()
        agree, last[0] = now == last[0], now
        return agree

    poll_until(same, f"{path} to stop changing", interval=0.2)
    return last[0]


def wait_notice(app, *patterns: str, timeout: float = 30) -> str:
    app.wait(
        lambda: all(re.search(p, app.notice() or "", re.I) for p in patterns),
        f"#notice (role=alert) to match {patterns}",
        timeout=timeout,
    )
    return app.notice()


def check_record_offsets(rec: dict, text: str):
    for a in rec["annotations"]:
        assert text[a["start"]:a["end"]] == a["quote"], f"text[start:end] != quote for {a}"


# --------------------------------------------------------------------------- 1. open, switch, reload


def test_open_text_file_annotate_switch_reload_and_navigate(app, seed_text, tmp_path):
    path = write_text(tmp_path / "field-report.txt", FIELD_TEXT)
    assert b"\r\n" in path.read_bytes()
    wait_open(app, SEED_ID, seed_text)
    field_id = open_text_file(app, path, FIELD_TEXT)
    assert field_id != SEED_ID
    assert doc_title(app) == "field-report", f"title from the file name: {doc_title(app)!r}"
    assert app.items() == [], "a new document starts with no annotations"
    assert set(doc_ids(app)) == {SEED_ID, field_id}

    made = app.tag(FIELD_QUOTE, "claim")
    urdu = app.tag(URDU_QUOTE, "denial")
    app.wait_saved()
    app.wait(lambda: len(stored_annotations(app, field_id)) == 2, "both annotations of the file stored")
    rec = record(app, field_id)
    check_record_offsets(rec, FIELD_TEXT)
    got = {a["id"]: a for a in rec["annotations"]}
    assert got[made["id"]]["quote"] == FIELD_QUOTE
    assert got[made["id"]]["start"] == FIELD_TEXT.index(FIELD_QUOTE), "code point offset (emoji counts 1)"
    assert got[urdu["id"]]["quote"] == URDU_QUOTE
    # The text is kept exactly (CRLF and all).
    stored_text = app.js("return localStorage.getItem(arguments[0]);", TEXT_KEY + field_id)
    assert stored_text == FIELD_TEXT, "the stored text must be the file's text exactly"

    open_doc(app, SEED_ID, seed_text)
    assert doc_title(app) == SEED_TITLE
    assert app.items() == [], "the sample article has its own (empty) annotation list"
    stat = app.tag(STAT, "statistic")
    app.wait_saved()
    app.wait_stored(present=[stat["id"]])

    app.reload()
    wait_open(app, SEED_ID, seed_text)
    app.wait(lambda: [i["id"] for i in app.items()] == [stat["id"]], "the sample's annotation after reload")
    app.wait(lambda: set(doc_ids(app)) == {SEED_ID, field_id}, "both documents listed after reload")
    field_li, seed_li = doc_entry(app, field_id), doc_entry(app, SEED_ID)
    assert field_li["title"] == "field-report"
    assert re.search(r"\b1 claim\b", field_li["text"]) and re.search(r"\b1 denial\b", field_li["text"]), field_li
    assert re.search(r"\b0 statistic\b", field_li["text"]), field_li
    assert re.search(r"\b1 statistic\b", seed_li["text"]) and re.search(r"\b0 claim\b", seed_li["text"]), seed_li

    open_doc(app, field_id, FIELD_TEXT)
    app.wait(lambda: len(app.items()) == 2, "the file's annotations after switching back")
    assert {i["id"] for i in app.items()} == {made["id"], urdu["id"]}
    marks = app.marks(made["id"])
    assert "".join(m["text"] for m in marks) == FIELD_QUOTE, f"highlight of the file's claim: {marks}"
    assert [a["quote"] for a in stored_annotations(app, field_id) if a["id"] == made["id"]] == [FIELD_QUOTE]
    assert app.js("return location.hash;") == f"#doc={field_id}"

    # Back goes to the sample (the entry before), forward to the file again.
    app.driver.back()
    wait_open(app, SEED_ID, seed_text)
    app.wait(lambda: [i["id"] for i in app.items()] == [stat["id"]], "back shows the sample with its annotation")
    app.driver.forward()
    wait_open(app, field_id, FIELD_TEXT)
    app.wait(lambda: {i["id"] for i in app.items()} == {made["id"], urdu["id"]}, "forward shows the file again")

    # A deep link opens that document on load.
    app.driver.get(app.base_url + f"#doc={SEED_ID}")
    app.reload()
    wait_open(app, SEED_ID, seed_text)


def test_open_text_file_with_bom_removes_it_and_says_so(app, tmp_path):
    text = "Caf\u00e9 notes\nThe council said rents rose 12% in a year.\n"
    path = write_text(tmp_path / "bom-notes.txt", text, bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    doc_id = open_text_file(app, path, text)
    app.wait(lambda: re.search(r"byte order mark", app.info() or "", re.I), "#info mentions the removed byte order mark")
    assert not (app.notice() or "").strip(), f"no alert for a BOM: {app.notice()!r}"
    assert "\ufeff" not in app.article_text()
    item = app.tag("rents rose 12% in a year", "statistic")
    app.wait_stored(present=[item["id"]])
    (a,) = stored_annotations(app, doc_id)
    assert text[a["start"]:a["end"]] == a["quote"] == "rents rose 12% in a year", "offsets exclude the BOM"


def test_drop_a_text_file_on_the_page_opens_it(app):
    text = "Dropped text\nThe mayor denied the report.\n"
    app.js(JS_DROP, "dropped.txt", text)
    doc_id = doc_id_for(text)
    wait_open(app, doc_id, text)
    assert doc_title(app) == "dropped"


# --------------------------------------------------------------------------- 2. bad files

BAD_FILES = {
    # name: (file name, bytes or size, regexes the alert must match)
    "empty": ("empty.txt", b"", (r"empty",)),
    "whitespace_only": ("blank.txt", b"  \r\n\t\n   \n", (r"only spaces|white ?space|no text",)),
    "binary": ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, (r"binary|not a text file",)),
    "invalid_utf8": ("latin1.txt", b"abc\xff\xfe def", (r"UTF-8", r"line 1, column 4|byte 3")),
    "utf16_bom": ("utf16.txt", "Hello UTF-16 text".encode("utf-16"), (r"UTF-16",)),
    "over_50MB": ("huge.txt", 50 * 1024 * 1024 + 1024, (r"too large", r"50 MB")),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_text_file_is_refused_and_changes_nothing(app, seed_text, tmp_path, case):
    name, content, patterns = BAD_FILES[case]
    path = tmp_path / name
    if isinstance(content, int):
        line = b"A long report line that repeats to make the file very large.\n"
        with open(path, "wb") as f:
            written = 0
            block = line * (1 << 14)
            while written < content:
                f.write(block)
                written += len(block)
        assert path.stat().st_size > 50 * 1024 * 1024
    else:
        path.write_bytes(content)

    kept = app.tag(STAT, "statistic")
    app.wait_stored(present=[kept["id"]])
    app.wait_saved()
    storage_before = settled_storage(app)  # first: the list's counts follow the save
    docs_before = docs(app)
    assert not (app.notice() or "").strip()

    choose_text_file(app, path)
    notice = wait_notice(app, *patterns, timeout=60)
    assert name in notice, f"the alert should name the file {name}: {notice!r}"
    app.wait_idle()  # anything the refused file might still have started is done
    assert docs(app) == docs_before, "a refused file must not change the library"
    assert all_storage(app) == storage_before, "a refused file must not change local storage"
    assert app.article_text() == seed_text
    assert [i["id"] for i in app.items()] == [kept["id"]]
    assert current_hash_id(app) == SEED_ID


# --------------------------------------------------------------------------- 3. HTML in a title


def test_pasted_text_with_html_title_is_shown_as_text(app):
    title = 'Memo <b>bold</b><img src=x onerror="window.__pwned=1">'
    body = "Pasted body: the ministry said exports grew by 4%.\nSecond line."
    app.click_button("Paste text")
    dialog = app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, "[role=dialog]"), "the paste dialog")[0]
    dialog.find_element(By.CSS_SELECTOR, "input[name=title]").send_keys(title)
    dialog.find_element(By.CSS_SELECTOR, "textarea[name=text]").send_keys(body)
    app.click_button("Open this text")
    doc_id = doc_id_for(body)
    wait_open(app, doc_id, body)
    assert not app.driver.find_elements(By.CSS_SELECTOR, "[role=dialog]"), "the dialog closes"

    def check():
        assert doc_title(app) == title, f"h2.doc-title shows the title literally: {doc_title(app)!r}"
        assert app.js("return document.querySelector('h2.doc-title').querySelectorAll('*').length;") == 0
        assert doc_entry(app, doc_id)["title"] == title
        assert app.js("return document.querySelectorAll('ul[aria-label=\"Documents\"] img, ul[aria-label=\"Documents\"] b').length;") == 0
        assert app.js("return document.querySelectorAll('img[src=x], img[src=\"x\"]').length;") == 0
        app.wait_idle()
        assert app.js("return typeof window.__pwned;") == "undefined", "markup in a title ran script"

    check()
    assert library(app)["documents"][-1]["title"] == title
    app.reload()
    wait_open(app, doc_id, body)
    check()


def test_file_name_with_html_is_shown_as_text(app, tmp_path):
    name = "<img src=x onerror=window.__pwned=2>"
    text = "A file with a strange name.\nThe minister said nothing.\n"
    doc_id = open_text_file(app, write_text(tmp_path / f"{name}.txt", text), text)
    assert doc_title(app) == name, f"title from the file name, literally: {doc_title(app)!r}"
    assert doc_entry(app, doc_id)["title"] == name
    assert app.js("return document.querySelectorAll('h2.doc-title *, ul[aria-label=\"Documents\"] img').length;") == 0
    app.wait_idle()
    assert app.js("return typeof window.__pwned;") == "undefined", "markup in a file name ran script"
    li_button(app, doc_id, f"Rename \u201c{name}\u201d")  # the accessible names carry it as text too


# --------------------------------------------------------------------------- 4. rename, delete, undo, restore


def test_rename_delete_undo_and_restore_sample(app, seed_text, tmp_path):
    text = "Alpha article\nThe governor claimed the bridge was finished on time.\n"
    alpha = open_text_file(app, write_text(tmp_path / "alpha.txt", text), text)
    a = app.tag("the bridge was finished on time", "claim")
    app.wait_stored(present=[a["id"]])
    app.wait_saved()

    # Rename.
    app.click(li_button(app, alpha, "Rename \u201calpha\u201d"))
    field = app.wait(
        lambda: [i for i in app.driver.find_elements(By.CSS_SELECTOR, f'li[data-doc-id="{alpha}"] input')
                 if (i.get_attribute("aria-label") or "").startswith("New title for")],
        "the rename input (aria-label starting 'New title for')",
    )[0]
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("Bridge story")
    app.click(li_button(app, alpha, "Save title"))
    app.wait(lambda: doc_entry(app, alpha)["title"] == "Bridge story", "the new title in the list")
    app.wait(lambda: doc_title(app) == "Bridge story", "the new title over the article")
    assert [d["title"] for d in library(app)["documents"] if d["id"] == alpha] == ["Bridge story"]

    # Delete asks first; Cancel keeps it.
    app.click(li_button(app, alpha, "Delete document \u201cBridge story\u201d"))
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, f'li[data-doc-id="{alpha}"] [role=group]'), "confirm group")
    app.click(li_button(app, alpha, "Cancel"))
    app.wait(lambda: doc_entry(app, alpha)["title"] == "Bridge story", "Cancel keeps the document")
    assert alpha in doc_ids(app)

    app.click(li_button(app, alpha, "Delete document \u201cBridge story\u201d"))
    app.wait(lambda: app.driver.find_elements(By.CSS_SELECTOR, f'li[data-doc-id="{alpha}"] [role=group]'), "confirm group")
    app.click(li_button(app, alpha, "Yes, delete"))
    app.wait(lambda: alpha not in doc_ids(app), "the document leaves the list")
    wait_open(app, SEED_ID, seed_text)
    assert alpha not in [d["id"] for d in library(app)["documents"]], "the stored library no longer lists it"
    app.wait(lambda: re.search(r"Bridge story", app.info() or ""), "#info says what was deleted")
    undo = app.button("Undo delete")
    assert app.js("return document.querySelector('#info').contains(arguments[0]);", undo), "Undo delete sits in #info"

    app.click(undo)
    app.wait(lambda: alpha in doc_ids(app), "Undo delete lists the document again")
    wait_open(app, alpha, text)
    app.wait(lambda: [i["id"] for i in app.items()] == [a["id"]], "its annotation is back")
    assert doc_entry(app, alpha)["title"] == "Bridge story"
    assert [x["quote"] for x in stored_annotations(app, alpha)] == ["the bridge was finished on time"]

    # The sample article: annotate, delete, restore (annotations kept).
    open_doc(app, SEED_ID, seed_text)
    s = app.tag(STAT, "statistic")
    app.wait_stored(present=[s["id"]])
    open_doc(app, alpha, text)
    assert not app.driver.find_elements(By.XPATH, "//button[normalize-space()='Restore the sample article']")
    app.click(li_button(app, SEED_ID, f"Delete document \u201c{SEED_TITLE}\u201d"))
    app.click(app.wait(lambda: li_button(app, SEED_ID, "Yes, delete"), "confirm the sample's deletion"))
    app.wait(lambda: SEED_ID not in doc_ids(app), "the sample leaves the list")
    wait_open(app, alpha, text)
    restore = app.wait(lambda: app.button("Restore the sample article"), "Restore the sample article button")
    app.click(restore)
    app.wait(lambda: SEED_ID in doc_ids(app), "the sample is listed again")
    app.wait(lambda: not app.driver.find_elements(By.XPATH, "//button[normalize-space()='Restore the sample article']"),
             "the restore button goes once the sample is back")
    open_doc(app, SEED_ID, seed_text)
    app.wait(lambda: [i["id"] for i in app.items()] == [s["id"]], "the sample keeps its annotation")
    app.reload()
    assert set(doc_ids(app)) == {SEED_ID, alpha}


# --------------------------------------------------------------------------- 5. export all / import backup


def test_export_all_and_import_backup_into_fresh_profile_twice(app, new_app, seed_text, tmp_path):
    text = "Beta report\nOfficials denied that 300 homes were flooded.\n"
    beta = open_text_file(app, write_text(tmp_path / "beta.txt", text), text)
    b = app.tag("300 homes were flooded", "statistic")
    app.wait_stored(present=[b["id"]])
    open_doc(app, SEED_ID, seed_text)
    c = app.tag(CLAIM, "claim")
    d = app.tag(DENIAL, "denial")
    app.wait_stored(present=[c["id"], d["id"]])
    app.wait_saved()

    clear_downloads(app)
    app.click_button("Export all")
    path, raw = wait_download(app, r"annotator-library-\d{4}-\d{2}-\d{2}\.json")
    bundle = json.loads(raw)
    assert bundle["format"] == BUNDLE_FORMAT
    by_id = {x["meta"]["id"]: x for x in bundle["documents"]}
    assert set(by_id) == {SEED_ID, beta}
    assert by_id[beta]["text"] == text and by_id[SEED_ID]["text"] == seed_text
    for x in bundle["documents"]:
        check_record_offsets(x, x["text"])
    assert {a["id"] for a in by_id[beta]["annotations"]} == {b["id"]}
    assert {a["id"] for a in by_id[SEED_ID]["annotations"]} == {c["id"], d["id"]}

    other = new_app()
    assert doc_ids(other) == [SEED_ID] and other.items() == []
    backup_input = other.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Import backup"]')
    backup_input.send_keys(str(path))
    other.wait(lambda: set(doc_ids(other)) == {SEED_ID, beta}, "both documents listed after the import", timeout=30)
    other.wait(lambda: {i["id"] for i in other.items()} == {c["id"], d["id"]}, "the open sample shows its imported annotations")
    other.wait(lambda: (other.info() or "").strip(), "#info summarises the import")
    assert not (other.notice() or "").strip(), f"no alert after a good import: {other.notice()!r}"
    open_doc(other, beta, text)
    other.wait(lambda: [i["id"] for i in other.items()] == [b["id"]], "beta's annotation imported")
    assert re.search(r"\b1 statistic\b", doc_entry(other, beta)["text"])
    assert re.search(r"\b1 claim\b.*\b1 denial\b", doc_entry(other, SEED_ID)["text"])
    storage_once = {k: v for k, v in settled_storage(other).items() if k.startswith(DOC_KEY)}

    info_before = other.info()
    backup_input = other.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Import backup"]')
    backup_input.send_keys(str(path))
    other.wait(lambda: (other.info() or "") != info_before and (other.info() or "").strip(), "#info after the second import", timeout=30)
    assert re.search(r"\b0 new\b", other.info()), f"the second import adds nothing new: {other.info()!r}"
    other.wait_idle()
    assert sorted(doc_ids(other)) == sorted([SEED_ID, beta]), "no duplicate documents"
    assert [i["id"] for i in other.items()] == [b["id"]], "no duplicate annotations"
    for doc_id, want in ((beta, {b["id"]}), (SEED_ID, {c["id"], d["id"]})):
        got = [a["id"] for a in stored_annotations(other, doc_id)]
        assert sorted(got) == sorted(want), f"stored annotations of {doc_id} after two imports: {got}"
        assert [a["id"] for a in json.loads(storage_once[DOC_KEY + doc_id])["annotations"]] == [
            a["id"] for a in stored_annotations(other, doc_id)
        ]
    open_doc(other, SEED_ID, seed_text)
    assert sorted(i["id"] for i in other.items()) == sorted([c["id"], d["id"]])
    other.reload()
    assert set(doc_ids(other)) == {SEED_ID, beta}


BAD_BUNDLES = {
    # name: (how to spoil a good bundle, regexes the alert must match)
    "conflicting_ids": ("conflict", (r"conflicting ids", r"documents\[2\]\.meta\.id")),
    "id_not_of_text": ("id", (r"does not match the text", r"documents\[1\]\.meta\.id")),
    "quote_mismatch": ("quote", (r"quote", r"documents\[0\]\.annotations\[0\]")),
    "not_json": ("json", (r"JSON|line",)),
}


@pytest.mark.parametrize("case", list(BAD_BUNDLES))
def test_bad_backup_is_refused_and_changes_nothing(app, seed_text, tmp_path, case):
    text = "Gamma report\nThe agency said 40 flights were cancelled.\n"
    gamma = open_text_file(app, write_text(tmp_path / "gamma.txt", text), text)
    g = app.tag("40 flights were cancelled", "statistic")
    app.wait_stored(present=[g["id"]])
    clear_downloads(app)
    app.click_button("Export all")
    _, raw = wait_download(app, r"annotator-library-\d{4}-\d{2}-\d{2}\.json")
    bundle = json.loads(raw)
    by_id = {x["meta"]["id"]: x for x in bundle["documents"]}
    bundle["documents"] = [by_id[gamma], by_id[SEED_ID]]
    how, patterns = BAD_BUNDLES[case]
    if how == "conflict":
        other = json.loads(json.dumps(by_id[gamma]))
        other["text"] = "A different text that claims the same id.\n"
        other["annotations"] = []
        bundle["documents"].append(other)
    elif how == "id":
        bundle["documents"][1]["text"] = seed_text.replace("Khawaja Asif", "Khawaja A.", 1)
    elif how == "quote":
        bundle["documents"][0]["annotations"][0]["quote"] = "not the text at these offsets"
    path = tmp_path / f"bad-{case}.json"
    path.write_text("{ not json" if how == "json" else json.dumps(bundle), encoding="utf-8")

    # Change what is stored after the export, so a refused import that wrote anything shows.
    app.tag("The agency said", "claim")
    app.wait_saved()
    # Storage first: the list's counts change with the save that follows an edit.
    storage_before = settled_storage(app)
    docs_before, items_before = docs(app), app.items()
    app.driver.find_element(By.CSS_SELECTOR, 'input[type=file][aria-label="Import backup"]').send_keys(str(path))
    notice = wait_notice(app, *patterns)
    assert path.name in notice, f"the alert names the file: {notice!r}"
    app.wait_idle()
    assert docs(app) == docs_before and app.items() == items_before
    assert all_storage(app) == storage_before, "a refused backup must not change local storage"


# --------------------------------------------------------------------------- 6. two windows


def test_two_windows_edit_the_same_document(app, seed_text):
    drv = app.driver
    wait_open(app, SEED_ID, seed_text)
    win_a = drv.current_window_handle
    drv.switch_to.new_window("window")
    win_b = drv.current_window_handle
    drv.get(app.base_url + f"#doc={SEED_ID}")
    app.wait_ready()
    wait_open(app, SEED_ID, seed_text)

    def in_a():
        drv.switch_to.window(win_a)

    def in_b():
        drv.switch_to.window(win_b)

    # B selects first; A tags; B tags at once (before or after it hears of A's write).
    in_b()
    app.select_text(CLAIM)
    in_a()
    app.select_text(STAT)
    app.press("3")
    in_b()
    app.press("1")

    def ids_shown():
        return {i["id"] for i in app.items()}

    app.wait(lambda: len(ids_shown()) == 2, "window B lists both annotations")
    ids = ids_shown()
    stat_id = [i["id"] for i in app.items() if i["label"] == "statistic"]
    claim_id = [i["id"] for i in app.items() if i["label"] == "claim"]
    assert len(stat_id) == 1 and len(claim_id) == 1, f"B's list: {app.items()}"
    stat_id, claim_id = stat_id[0], claim_id[0]
    in_a()
    app.wait(lambda: ids_shown() == ids, "window A lists both annotations")
    app.wait(lambda: {a["id"] for a in stored_annotations(app, SEED_ID)} == ids, "storage holds both")
    check_record_offsets(record(app, SEED_ID), seed_text)

    # Delete B's claim in A: it disappears in B.
    app.activate_item(claim_id)
    app.press(Keys.DELETE)
    app.wait(lambda: ids_shown() == {stat_id}, "A deletes the claim")
    in_b()
    app.wait(lambda: ids_shown() == {stat_id}, "the deletion made in A reaches B")

    # B edits again: the deleted claim must not come back.
    d = app.tag(DENIAL, "denial")
    app.wait_saved()
    app.wait(lambda: {a["id"] for a in stored_annotations(app, SEED_ID)} == {stat_id, d["id"]}, "storage after B's edit")
    rec = record(app, SEED_ID)
    assert claim_id in {t["id"] for t in rec.get("deleted", [])}, f"the deletion is remembered: {rec.get('deleted')}"
    assert ids_shown() == {stat_id, d["id"]}
    in_a()
    app.wait(lambda: ids_shown() == {stat_id, d["id"]}, "A gets B's new denial, and the claim stays deleted")
    settle_windows(app, win_a, win_b)
    for win in (win_a, win_b):
        drv.switch_to.window(win)
        assert ids_shown() == {stat_id, d["id"]}
    assert {a["id"] for a in stored_annotations(app, SEED_ID)} == {stat_id, d["id"]}
    app.reload()
    app.wait(lambda: ids_shown() == {stat_id, d["id"]}, "after reload")


# Edits two same-origin windows in one script run (window A opened window B as window.__peer):
# each edit selects a string (if given) in its window and dispatches a key there. Both
# windows compute and write their change before either can hear of the other's write
# (storage events are queued as later tasks), which is "at the same moment" made exact.
JS_SIMULTANEOUS = r"""
const edits = arguments[0];
function selectIn(win, needle) {
  const doc = win.document;
  const root = doc.querySelector('article#article');
  const walker = doc.createTreeWalker(root, win.NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const idx = text.indexOf(needle);
  if (idx < 0) throw new Error('not found: ' + needle);
  const at = (pos, isEnd) => {
    for (const [n, off] of nodes) {
      if (isEnd ? (pos > off && pos <= off + n.data.length) : (pos >= off && pos < off + n.data.length)) return [n, pos - off];
    }
  };
  const [sn, so] = at(idx, false), [en, eo] = at(idx + needle.length, true);
  const range = doc.createRange();
  range.setStart(sn, so);
  range.setEnd(en, eo);
  const sel = win.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}
for (const [peer, needle, key] of edits) {
  const win = peer ? window.__peer : window;
  if (needle) selectIn(win, needle);
  win.document.dispatchEvent(new win.KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
}
return true;
"""


LATE_MERGE_BUG = (
    "app bug (src/components/app.rs on_storage_event + AppAction::External in src/state.rs): a storage "
    "event heard after a local edit was dispatched but before its autosave ran (Yew yields to the "
    "browser between render and effects; a background window's setTimeout is throttled) replaces the "
    "model's annotations with merge(last written record, other tab's record), so the unsaved local "
    "edit is dropped and never written; see test_storage_event_between_an_edit_and_its_save_keeps_the_edit"
)


def test_two_windows_edit_at_the_same_moment(app, seed_text, request):
    """Both windows edit before either hears of the other's write: no edit and no deletion
    is lost once the windows have heard of each other."""
    drv = app.driver
    wait_open(app, SEED_ID, seed_text)
    win_a = drv.current_window_handle
    before = set(drv.window_handles)
    assert app.js("window.__peer = window.open(arguments[0], 'peer'); return !!window.__peer;",
                  app.base_url + f"#doc={SEED_ID}"), "window.open was refused"
    app.wait(lambda: len(set(drv.window_handles) - before) == 1, "the second window")
    (win_b,) = set(drv.window_handles) - before
    drv.switch_to.window(win_b)
    app.wait_ready()
    wait_open(app, SEED_ID, seed_text)

    def ids_shown():
        return {i["id"] for i in app.items()}

    def stored_ids():
        return {a["id"] for a in stored_annotations(app, SEED_ID)}

    def labelled(label):
        return {i["id"] for i in app.items() if i["label"] == label}

    drv.switch_to.window(win_a)
    app.js(JS_SIMULTANEOUS, [[False, STAT, "3"], [True, CLAIM, "1"]])
    app.wait(lambda: len(ids_shown()) == 2, "A lists both (its own and B's)", timeout=20)
    stat_id, claim_id = labelled("statistic"), labelled("claim")
    assert len(stat_id) == 1 and len(claim_id) == 1, app.items()
    (stat_id,), (claim_id,) = stat_id, claim_id
    both = {stat_id, claim_id}
    app.wait(lambda: stored_ids() == both, "storage holds both", timeout=20)
    drv.switch_to.window(win_b)
    app.wait(lambda: ids_shown() == both, "B lists both", timeout=20)

    # A deletes the statistic while B tags a denial, at the same moment.
    drv.switch_to.window(win_a)
    app.activate_item(stat_id)
    app.js(JS_SIMULTANEOUS, [[False, None, "Delete"], [True, DENIAL, "2"]])
    app.wait(lambda: stat_id not in ids_shown() and len(ids_shown()) == 2, "A: statistic deleted, B's denial in", timeout=20)
    (denial_id,) = labelled("denial")
    want = {claim_id, denial_id}
    app.wait(lambda: stored_ids() == want, "storage: the deletion and the denial", timeout=20)
    drv.switch_to.window(win_b)
    app.wait(lambda: ids_shown() == want, "B drops the statistic A deleted", timeout=20)
    settle_windows(app, win_a, win_b)  # anything still travelling between the windows
    for win in (win_a, win_b):
        drv.switch_to.window(win)
        assert ids_shown() == want, f"{'A' if win == win_a else 'B'} after settling: {app.items()}"
    assert stored_ids() == want
    assert stat_id in {t["id"] for t in record(app, SEED_ID).get("deleted", [])}

    # B edits again: the statistic stays deleted everywhere.
    stat2 = app.tag(STAT2, "statistic")
    app.wait_saved()
    want.add(stat2["id"])
    app.wait(lambda: stored_ids() == want, "storage after B's next edit")
    drv.switch_to.window(win_a)
    app.wait(lambda: ids_shown() == want, "A after B's next edit")


# Another tab's write is heard (a real StorageEvent dispatched at this window) after this tab's
# edit was dispatched but before Yew rendered it and ran the autosave effect.
JS_EDIT_THEN_HEAR = r"""
const [key, other, needle, label] = arguments;
const old = localStorage.getItem(key);
localStorage.setItem(key, other);  // what the other tab wrote
const root = document.querySelector('article#article');
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const nodes = [];
let text = '';
while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
const idx = text.indexOf(needle);
const at = (pos, isEnd) => {
  for (const [n, off] of nodes) {
    if (isEnd ? (pos > off && pos <= off + n.data.length) : (pos >= off && pos < off + n.data.length)) return [n, pos - off];
  }
};
const [sn, so] = at(idx, false), [en, eo] = at(idx + needle.length, true);
const range = document.createRange();
range.setStart(sn, so);
range.setEnd(en, eo);
getSelection().removeAllRanges();
getSelection().addRange(range);
document.dispatchEvent(new KeyboardEvent('keydown', {key: label, bubbles: true, cancelable: true}));
window.dispatchEvent(new StorageEvent('storage', {key, oldValue: old, newValue: other, url: location.href,
                                                  storageArea: localStorage}));
return true;
"""


def test_storage_event_between_an_edit_and_its_save_keeps_the_edit(app, seed_text):
    first = app.tag(STAT, "statistic")
    app.wait_saved()
    app.wait_stored(present=[first["id"]])
    rec = record(app, SEED_ID)
    start = seed_text.index(STAT2)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    theirs = dict(rec, rev=rec["rev"] + 1, annotations=rec["annotations"] + [{
        "id": "other-tab-annotation", "start": start, "end": start + len(STAT2), "quote": STAT2,
        "label": "statistic", "note": "", "created": now, "modified": now,
    }])
    app.js(JS_EDIT_THEN_HEAR, DOC_KEY + SEED_ID, json.dumps(theirs), DENIAL, "2")
    app.wait(lambda: "other-tab-annotation" in {i["id"] for i in app.items()}, "the other tab's annotation arrives")
    app.wait_idle()
    labels = sorted(i["label"] for i in app.items())
    assert labels == ["denial", "statistic", "statistic"], f"this tab's denial must survive: {app.items()}"
    app.wait(lambda: sorted(a["label"] for a in stored_annotations(app, SEED_ID)) == labels, "storage holds all three", timeout=5)


def test_switching_documents_after_a_failed_save_keeps_the_work(app, seed_text, tmp_path):
    text = "Gamma\nThe river rose three metres overnight.\n"
    gamma = open_text_file(app, write_text(tmp_path / "gamma.txt", text), text)
    open_doc(app, SEED_ID, seed_text)
    first = app.tag(STAT, "statistic")
    app.wait_saved()
    settled_storage(app)
    filled = app.js(JS_FILL_QUOTA)
    try:
        assert filled["full"], f"local storage could not be filled: {filled['total']} bytes written"
        second = app.tag(CLAIM, "claim")
        wait_notice(app, r"full")
        app.wait(lambda: app.save_status().strip() == "Not saved", "save-status says Not saved")
        app.wait_idle()  # the undo history's write (later) has failed too and said so
        # The switch is refused while the last change is not saved: the work exists only in this tab.
        li = app.driver.find_element(By.CSS_SELECTOR, f'ul[aria-label="Documents"] > li[data-doc-id="{gamma}"]')
        app.click(li.find_element(By.TAG_NAME, "button"))
        notice = wait_notice(app, r"not saved yet", r"Download a copy", r"before switching documents")
        app.wait_idle()
        assert current_hash_id(app) == SEED_ID, f"the switch must be refused, but the URL names {current_hash_id(app)}"
        assert [d["id"] for d in docs(app) if d["current"] == "page"] == [SEED_ID], f"still the sample: {docs(app)}"
        assert app.article_text() == seed_text
        assert {first["id"], second["id"]} <= {i["id"] for i in app.items()}, "the unsaved annotation is lost"
        assert app.notice() == notice, "the refusal stays said"
    finally:
        app.js("for (const k of arguments[0]) localStorage.removeItem(k);", filled["keys"])
    third = app.tag(DENIAL, "denial")
    app.wait_saved()
    app.wait_stored(present=[first["id"], second["id"], third["id"]])
    open_doc(app, gamma, text)  # saved again: switching is allowed
    open_doc(app, SEED_ID, seed_text)
    app.reload()
    app.wait(lambda: second["id"] in {i["id"] for i in app.items()}, "the once-unsaved annotation after reload", timeout=5)


# --------------------------------------------------------------------------- 8. corrupt record


def test_corrupt_record_is_backed_up_reported_and_kept(app, seed_text):
    corrupt = '{"format": "text-annotator/annotations", "version": 1, "annotations": [ {"id": "x", oops'
    lib = {
        "format": "text-annotator/library",
        "version": 2,
        "documents": [{"id": SEED_ID, "title": SEED_TITLE, "name": "seed-article", "length": len(seed_text),
                       "counts": {"claim": 1, "denial": 0, "statistic": 0}, "modified": "", "created": "", "seed": True}],
    }
    app.js(
        "localStorage.clear(); localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem(arguments[2], arguments[3]);",
        LIBRARY_KEY, json.dumps(lib), DOC_KEY + SEED_ID, corrupt,
    )
    app.reload()
    notice = wait_notice(app, r"could not be read|unreadable|corrupt")
    backups = {k: v for k, v in all_storage(app).items() if k.startswith(BACKUP_PREFIX)}
    assert backups, f"a backup key {BACKUP_PREFIX}* must hold the corrupt value; storage={all_storage(app)}"
    assert set(backups.values()) == {corrupt}, "the backup holds the exact corrupt value"
    (backup_key,) = backups
    assert backup_key.endswith(DOC_KEY + SEED_ID)
    assert backup_key in notice, f"the alert names the backup key: {notice!r}"
    assert app.js("return localStorage.getItem(arguments[0]);", DOC_KEY + SEED_ID) == corrupt, "not overwritten on load"
    assert app.article_text() == seed_text and app.items() == []

    # Met again (another reload) before any edit: still reported, not backed up twice.
    app.reload()
    wait_notice(app, r"could not be read|unreadable|corrupt")
    again = {k: v for k, v in all_storage(app).items() if k.startswith(BACKUP_PREFIX)}
    assert list(again) == [backup_key], f"one backup of one unreadable value, not one per load: {list(again)}"
    assert backup_key in app.notice()

    clear_downloads(app)
    app.click_button("Download the unreadable data")
    _, data = wait_download(app, re.escape(backup_key) + r"(\.json)?")
    assert data.decode("utf-8") == corrupt, "the download is the unreadable data, unchanged"

    item = app.tag(STAT, "statistic")
    app.wait_saved()
    app.wait_stored(present=[item["id"]])
    after = settled_storage(app)
    assert after.get(backup_key) == corrupt, "saving a new annotation must not destroy the backup"
    assert all(v == corrupt for k, v in after.items() if k.startswith(BACKUP_PREFIX))
    rec = record(app, SEED_ID)
    assert [a["id"] for a in rec["annotations"]] == [item["id"]]
    app.reload()
    app.wait(lambda: [i["id"] for i in app.items()] == [item["id"]], "the new annotation after reload")
    assert all_storage(app).get(backup_key) == corrupt


def test_corrupt_library_is_backed_up_and_the_list_rebuilt(app, seed_text, tmp_path):
    plain = "Plain notes\nNobody has annotated this text yet.\n"
    plain_id = open_text_file(app, write_text(tmp_path / "plain.txt", plain), plain)
    marked = "Marked notes\nThe mayor claimed the budget was balanced.\n"
    marked_id = open_text_file(app, write_text(tmp_path / "marked.txt", marked), marked)
    m = app.tag("the budget was balanced", "claim")
    app.wait_stored(present=[m["id"]])
    open_doc(app, SEED_ID, seed_text)
    s = app.tag(STAT, "statistic")
    app.wait_stored(present=[s["id"]])
    app.wait_saved()
    settled_storage(app)

    broken = '{"format": "text-annotator/library", "version": 2, "documents": [ {"id": '
    app.js("localStorage.setItem(arguments[0], arguments[1]);", LIBRARY_KEY, broken)
    app.reload()
    notice = wait_notice(app, r"list of documents could not be read")
    backups = {k: v for k, v in all_storage(app).items() if k.startswith(BACKUP_PREFIX)}
    assert list(backups.values()) == [broken], f"the unreadable list is kept exactly: {backups}"
    (backup_key,) = backups
    assert backup_key in notice
    app.wait(lambda: set(doc_ids(app)) == {SEED_ID, plain_id, marked_id},
             "every stored document is listed again (annotated or not)")
    json.loads(all_storage(app)[LIBRARY_KEY])  # the rebuilt list was written
    open_doc(app, marked_id, marked)
    app.wait(lambda: [i["id"] for i in app.items()] == [m["id"]], "its annotation")
    open_doc(app, plain_id, plain)
    open_doc(app, SEED_ID, seed_text)
    app.wait(lambda: [i["id"] for i in app.items()] == [s["id"]], "the sample's annotation")

    app.reload()
    app.wait_idle()
    assert not (app.notice() or "").strip(), f"the rebuilt list reads fine on the next start: {app.notice()!r}"
    assert [k for k in all_storage(app) if k.startswith(BACKUP_PREFIX)] == [backup_key]
    assert set(doc_ids(app)) == {SEED_ID, plain_id, marked_id}


# --------------------------------------------------------------------------- 9. migration


def test_v1_record_is_migrated(app, seed_text):
    quote = STAT
    start = seed_text.index(quote)
    v1 = {
        "format": NATIVE_FORMAT,
        "version": 1,
        "offset_unit": "unicode code points, end exclusive",
        "document": {"id": SEED_ID, "title": SEED_TITLE, "name": "seed-article", "length": len(seed_text)},
        "annotations": [{
            "id": "v1-annotation-1", "start": start, "end": start + len(quote), "quote": quote,
            "label": "statistic", "note": "from schema 1", "created": "2025-01-02T03:04:05Z",
            "modified": "2025-01-02T03:04:05Z",
        }],
    }
    app.js(
        "localStorage.clear(); localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem('other-app.key', 'keep me');",
        V1_KEY + SEED_ID, json.dumps(v1),
    )
    app.reload()
    app.wait(lambda: [i["id"] for i in app.items()] == ["v1-annotation-1"], "the v1 annotation appears")
    item = app.item_by_quote(quote, "statistic")
    assert "".join(m["text"] for m in app.marks(item["id"])) == quote
    assert not (app.notice() or "").strip(), f"no alert for a clean migration: {app.notice()!r}"
    storage = all_storage(app)
    assert LIBRARY_KEY in storage and DOC_KEY + SEED_ID in storage, f"v2 keys after migration: {list(storage)}"
    lib = json.loads(storage[LIBRARY_KEY])
    assert lib["version"] == 2 and [d["id"] for d in lib["documents"]] == [SEED_ID]
    rec = json.loads(storage[DOC_KEY + SEED_ID])
    assert [(a["id"], a["start"], a["end"], a["quote"], a["note"]) for a in rec["annotations"]] == [
        ("v1-annotation-1", start, start + len(quote), quote, "from schema 1")
    ]
    assert app.js("return localStorage.getItem('other-app.key');") == "keep me", "other keys are left alone"
    assert re.search(r"\b1 statistic\b", doc_entry(app, SEED_ID)["text"])
    app.reload()
    app.wait(lambda: [i["id"] for i in app.items()] == ["v1-annotation-1"], "still one annotation after another reload")


# --------------------------------------------------------------------------- 10. large text in IndexedDB


def big_text(target_bytes: int = 3 * 1024 * 1024) -> str:
    parts, size, n = [], 0, 0
    while size < target_bytes:
        para = (f"Paragraph {n}: the committee reported {n * 7 % 1000} cases in district {n % 97}, "
                f"caf\u00e9 owners said \u2014 \u201cprices rose\u201d; officials denied it. " * 3).strip() + "\n\n"
        parts.append(para)
        size += len(para.encode("utf-8"))
        n += 1
    parts.append("The end of the large report.")
    return "".join(parts)


def test_large_text_goes_to_indexeddb_and_survives_reload(app, tmp_path):
    app.driver.set_script_timeout(60)
    text = big_text()
    assert len(text.encode("utf-8")) > 3 * 1024 * 1024
    path = write_text(tmp_path / "large-report.txt", text)
    doc_id = open_text_file(app, path, text, timeout=120)
    assert app.js("return localStorage.getItem(arguments[0]);", TEXT_KEY + doc_id) is None, "a large text is not in local storage"
    got = app.driver.execute_async_script(JS_IDB_TEXT, doc_id)
    assert "error" not in got, got
    assert got["value"] == text, "IndexedDB holds the exact text"
    item = app.tag("The end of the large report", "claim")
    app.wait_stored(present=[item["id"]])
    app.wait_saved()
    (a,) = stored_annotations(app, doc_id)
    assert text[a["start"]:a["end"]] == "The end of the large report"

    app.reload()
    wait_open(app, doc_id, text, timeout=120)
    app.wait(lambda: [i["id"] for i in app.items()] == [item["id"]], "the annotation of the large text after reload")
    assert re.search(r"\b1 claim\b", doc_entry(app, doc_id)["text"])
