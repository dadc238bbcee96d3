"""End-to-end tests of Team sync (CouchDB replication through PouchDB), in every
browser of E2E_BROWSERS.

One pouchdb-server per module (tests/e2e/sync_server.py, seeded with the database
`desk`, members alice and bob, and carol who is not a member); each test starts on an
empty `desk`. Two people are two WebDriver sessions with their own fresh profiles: A
(alice) and B (bob).

1. live: A and B connect; A shares the sample article; B sees it in Documents marked
   Shared and opens it; A tags a span and B sees it within 10 s; B retags it and A sees
   the new label. A shares a text file with an annotation: B gets the document (its
   text and the annotation).
2. partition and heal: the server stops (both say Offline); A retags X, then B retags X
   differently; A edits Y's note, then B deletes Y; the server comes back: both show
   B's label for X and no Y, and the server keeps no conflict.
3. killed during a sync: A imports 2,000 annotations on the shared article and the
   server is killed (SIGKILL) while they are being sent (its data, read after the kill,
   holds some but not all of them); after a restart B has exactly those 2,000 (no
   duplicate ids) and the server keeps no conflict.
4. refused: carol (not a member), alice with a wrong password, nobody (anonymous) and a
   server that is not CouchDB each get an alert and no sync; nothing is stored for
   that server, and the annotation made before stays. Then alice connects.
5. two tabs of one profile while offline: each tab tags a span, both tabs show both;
   when the server is back, B gets both.

Tests 2, 3 and 5 also expect every page to say Offline while the server is down; a
page that does not is reported at the end of the test, after the rest has run.
"""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import TIMEOUT, norm_ws, poll_until
from sync_server import DB, USERS, SyncServer
from test_documents import SEED_ID, open_doc, open_text_file, write_text
from test_two_tabs import edit_note

CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"
STAT = "1,524 violence-related fatalities"
STAT2 = "1,463 injuries"

NOT_CONNECTED = "Not connected"
CONNECTING = "Connecting…"
SYNCED = "Synced"
OFFLINE = "Offline — changes are kept and will be sent"

LIVE = 10.0  # the bound for a change to reach the other person
SYNC = max(TIMEOUT, 30.0)  # catching up after an outage
KEYS = {"claim": "1", "denial": "2", "statistic": "3"}


# --------------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def sync_server():
    server = SyncServer()
    try:
        server.start()
    except Exception as e:
        server.close()
        pytest.fail(f"the CouchDB test server did not start: {e}", pytrace=False)
    yield server
    server.close()


@pytest.fixture
def server(sync_server, request, artifacts_dir):
    """The module's server, running, with `desk` empty (as seeded)."""
    if not sync_server.running:
        sync_server.start()
    sync_server.reset_db()
    yield sync_server
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        try:
            shutil.copy(sync_server.log_path, artifacts_dir / f"{stem}.couch.log")
            print(f"\n[e2e] server log: {artifacts_dir}/{stem}.couch.log")
        except OSError:
            pass


# --------------------------------------------------------------------------- the panel

JS_TEAM = r"""
const toggle = Array.from(document.querySelectorAll('button[aria-expanded]'))
  .find(b => b.textContent.replace(/\s+/g, ' ').trim() === 'Team sync');
const region = document.querySelector('[role=region][aria-label="Team sync"]');
const st = document.querySelector('#sync-status');
const er = document.querySelector('#sync-error');
return {expanded: toggle ? toggle.getAttribute('aria-expanded') : null,
        region: !!region,
        status: st ? st.textContent.replace(/\s+/g, ' ').trim() : null,
        statusRole: st ? st.getAttribute('role') : null,
        error: er ? er.textContent.replace(/\s+/g, ' ').trim() : null,
        errorRole: er ? er.getAttribute('role') : null,
        buttons: region ? Array.from(region.querySelectorAll('button')).map(b => b.textContent.trim()) : []};
"""

# The input of the Team sync region whose label reads exactly `name`.
JS_FIELD = r"""
const name = arguments[0];
const region = document.querySelector('[role=region][aria-label="Team sync"]');
if (!region) return null;
return Array.from(region.querySelectorAll('input')).find(i =>
  Array.from(i.labels || []).some(l => l.textContent.replace(/\s+/g, ' ').trim() === name)) || null;
"""

# Document rows: id, whether a visible "Shared" mark is in the row, its buttons' names.
JS_ROWS = r"""
const ul = document.querySelector('ul[aria-label="Documents"]');
if (!ul) return null;
const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
return Array.from(ul.querySelectorAll(':scope > li[data-doc-id]')).map(li => ({
  id: li.getAttribute('data-doc-id'),
  shared: Array.from(li.querySelectorAll('*')).some(el => el.tagName !== 'BUTTON' && !el.closest('button')
      && Array.from(el.childNodes).some(n => n.nodeType === 3 && n.data.trim() === 'Shared') && visible(el)),
  buttons: Array.from(li.querySelectorAll('button')).map(b => b.getAttribute('aria-label') || b.textContent.trim()),
}));
"""

JS_IDB_NAMES = r"""
const done = arguments[arguments.length - 1];
if (!indexedDB.databases) { done({error: 'indexedDB.databases() is not supported'}); return; }
indexedDB.databases().then(list => done(list.map(d => d.name)), e => done({error: String(e)}));
"""

SETTINGS_KEY = "text-annotator.v2.sync"  # core/src/sync/connect.rs


def team(app) -> dict:
    return app.js(JS_TEAM)


def status(app) -> str | None:
    return team(app)["status"]


def open_panel(app):
    t = team(app)
    assert t["expanded"] is not None, "a 'Team sync' button with aria-expanded"
    if t["expanded"] != "true":
        app.click_button("Team sync")
        app.wait(lambda: team(app)["region"] and team(app)["expanded"] == "true",
                 "the Team sync region opens (aria-expanded=true)")
    t = team(app)
    assert t["statusRole"] == "status" and t["errorRole"] == "alert", f"status and alert roles: {t}"


def field(app, name: str):
    el = app.js(JS_FIELD, name)
    assert el is not None, f"no input labelled {name!r} in the Team sync region"
    return el


def region_button(app, name: str):
    region = app.driver.find_element(By.CSS_SELECTOR, '[role=region][aria-label="Team sync"]')
    for b in region.find_elements(By.TAG_NAME, "button"):
        if b.text.strip() == name:
            return b
    raise AssertionError(f"no button {name!r} in the Team sync region: {team(app)['buttons']}")


def fill_and_connect(app, url: str, user: str, password: str, db: str = DB):
    open_panel(app)
    assert field(app, "Password").get_attribute("type") == "password"
    for name, value in (("Server URL", url), ("Database", db), ("User name", user), ("Password", password)):
        el = field(app, name)
        el.clear()
        if value:
            el.send_keys(value)
    app.click(region_button(app, "Connect"))


def wait_status(app, *want: str, timeout: float = SYNC, who: str = ""):
    app.wait(lambda: status(app) in want, f"{who} Team sync status in {want} (now {status(app)!r}, "
             f"alert {team(app)['error']!r})", timeout=timeout)


def rows(app) -> dict:
    got = app.js(JS_ROWS)
    assert got is not None, 'no <ul aria-label="Documents">'
    return {r["id"]: r for r in got}


def share(app, doc_id: str):
    li = app.driver.find_element(By.CSS_SELECTOR, f'ul[aria-label="Documents"] > li[data-doc-id="{doc_id}"]')
    found = [b for b in li.find_elements(By.TAG_NAME, "button")
             if (b.get_attribute("aria-label") or b.text).strip().startswith("Share with team")]
    assert len(found) == 1, f"one 'Share with team' button for {doc_id}: {rows(app).get(doc_id)}"
    name = found[0].accessible_name
    assert name is None or name.startswith("Share with team"), f"its accessible name: {name!r}"
    app.click(found[0])
    app.wait(lambda: rows(app)[doc_id]["shared"], f"{doc_id} marked Shared in the sharer's list")
    app.wait(lambda: not any(n.startswith("Share with team") for n in rows(app)[doc_id]["buttons"]),
             f"no 'Share with team' on {doc_id} once shared")


def wait_shared(app, doc_id: str, timeout: float = LIVE):
    app.wait(lambda: rows(app).get(doc_id, {}).get("shared"),
             f"{doc_id} listed and marked Shared (rows: {rows(app)})", timeout=timeout)


def labels(app) -> dict:
    """Annotation id -> label, as listed."""
    return {i["id"]: i["label"] for i in app.items()}


def wait_labels(app, want: dict, absent=(), timeout: float = SYNC, who: str = ""):
    """Waits until every id of `want` is listed with its label and none of `absent` is."""
    def ok():
        got = labels(app)
        return all(got.get(k) == v for k, v in want.items()) and not any(k in got for k in absent)

    app.wait(ok, f"{who} lists {want} and not {list(absent)}", timeout=timeout)


def retag(app, ann_id: str, label: str):
    app.activate_item(ann_id)
    app.press(KEYS[label])
    app.wait(lambda: labels(app).get(ann_id) == label, f"{ann_id} retagged {label}")


def delete(app, ann_id: str):
    app.activate_item(ann_id)
    app.press(Keys.DELETE)
    app.wait(lambda: ann_id not in labels(app), f"{ann_id} deleted")


def stored_live(app, doc_id: str = SEED_ID) -> dict:
    """The annotations stored in local storage for `doc_id` (record and journals merged), by id."""
    rec = app.stored_records().get(doc_id) or {"annotations": []}
    return {a["id"]: a for a in rec["annotations"]}


def idb_names(app) -> list[str]:
    got = app.driver.execute_async_script(JS_IDB_NAMES)
    assert isinstance(got, list), f"indexedDB.databases(): {got}"
    return got


def sync_dbs(app) -> list[str]:
    """IndexedDB databases of team sync (PouchDB names them _pouch_<name>; the app annotator-sync-…)."""
    return [n for n in idb_names(app) if "pouch" in n.lower() or "sync" in n.lower()]


def server_annotations(server: SyncServer, doc_id: str = SEED_ID) -> dict:
    prefix = f"ann:{doc_id}:"
    return {d["_id"][len(prefix):]: d for d in server.docs() if d["_id"].startswith(prefix)}


def wait_no_conflicts(server: SyncServer, timeout: float = 15):
    last = []

    def none_left():
        last[:] = server.conflicts()
        return not last

    poll_until(none_left, f"the server to keep no conflicts (still {last[:10]}, {len(last)})", timeout=timeout,
               interval=0.2)


def pair(new_app, server: SyncServer):
    """A (alice) and B (bob) connected, A's sample article shared, B has it open and marked Shared."""
    a, b = new_app(), new_app()
    fill_and_connect(a, server.url, "alice", USERS["alice"])
    fill_and_connect(b, server.url, "bob", USERS["bob"])
    connect_done(a, "A")
    connect_done(b, "B")
    assert SEED_ID in rows(a) and not rows(a)[SEED_ID]["shared"], f"A's sample article, not yet shared: {rows(a)}"
    share(a, SEED_ID)
    wait_shared(b, SEED_ID)
    open_doc(b, SEED_ID)
    assert b.article_text() == a.article_text()
    return a, b


def connect_done(app, who: str):
    wait_status(app, SYNCED, who=who)
    t = team(app)
    assert not t["error"] and "Disconnect" in t["buttons"] and "Connect" not in t["buttons"], f"{who} connected: {t}"
    for name in ("Server URL", "Database", "User name", "Password"):
        el = field(app, name) if app.js(JS_FIELD, name) else None
        assert el is None or not el.is_enabled() or not el.is_displayed(), f"{who}: {name} still editable while connected"


OFFLINE_WAIT = max(TIMEOUT, 10.0)  # PouchDB's next request fails at once; its retries start at 0.5 s


def expect_offline(problems: list, *pages):
    """Waits until each (name, app, window handle or None) says Offline. A page that does
    not is noted in `problems` (asserted at the end of the test), so the rest of the
    scenario still runs and reports what it finds."""
    for who, app, handle in pages:
        if handle:
            app.driver.switch_to.window(handle)
        try:
            wait_status(app, OFFLINE, timeout=OFFLINE_WAIT, who=who)
        except AssertionError:
            problems.append(f"{who}: the server is down but the status says {status(app)!r}, "
                            f"not {OFFLINE!r} (alert {team(app)['error']!r})")


def no_problems(problems: list):
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- 1. live


def test_live_share_tag_retag_and_a_shared_text_file(new_app, server, tmp_path):
    a, b = pair(new_app, server)
    assert not b.items(), "B starts with no annotations on the sample article"

    t0 = time.monotonic()
    x = a.tag(CLAIM, "claim")
    b.wait(lambda: labels(b).get(x["id"]) == "claim", f"A's claim {x['id']} reaches B", timeout=LIVE)
    reached = time.monotonic() - t0
    assert norm_ws(CLAIM) in next(i["text"] for i in b.items() if i["id"] == x["id"])
    assert [m["text"] for m in b.marks(x["id"])], f"B highlights {x['id']} in the article"
    assert "".join(m["text"] for m in b.marks(x["id"])) == CLAIM

    retag(b, x["id"], "denial")
    a.wait(lambda: labels(a).get(x["id"]) == "denial", "B's retag (denial) reaches A", timeout=LIVE)
    for who, app in (("A", a), ("B", b)):
        assert labels(app) == {x["id"]: "denial"}, f"{who}: {labels(app)}"
        wait_status(app, SYNCED, who=who)
    anns = server_annotations(server)
    assert set(anns) == {x["id"]} and anns[x["id"]]["label"] == "denial", f"server: {anns}"
    assert f"doc:{SEED_ID}" in {d["_id"] for d in server.docs()}
    print(f"\n[sync] a tag reached the other browser in {reached:.1f}s")

    # A link is a record of its own: A links a new statistic to X while B notes X; both arrive.
    # B is still typing when A's statistic and link arrive: what B typed stays, and is stored.
    b.activate_item(x["id"])
    b_note = b.driver.find_element(By.ID, "note-editor")
    b.click(b_note)
    b_note.send_keys("noted by B")
    y = a.tag(STAT, "statistic")
    a.activate_item(y["id"])
    a.press("l")
    a.wait(lambda: "Linking from Statistic" in a.info(), "l starts a link in A")
    a.click(a.item(x["id"]).find_element(By.TAG_NAME, "button"))
    links = lambda app: (stored_live(app).get(y["id"]) or {}).get("links") or []  # noqa: E731
    b.wait(lambda: [l["to"] for l in links(b)] == [x["id"]], "A's link reaches B while B types", timeout=LIVE)
    assert b_note.get_property("value") == "noted by B", "what B was typing is kept when A's changes arrive"
    ActionChains(b.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    for who, app in (("A", a), ("B", b)):
        app.wait(lambda: [l["to"] for l in links(app)] == [x["id"]], f"{who} stores the link {y['id']} → {x['id']}", timeout=LIVE)
        app.wait(lambda: (stored_live(app).get(x["id"]) or {}).get("note") == "noted by B", f"{who} stores B's note on X",
                 timeout=LIVE)
    assert any(d["_id"].startswith(f"link:{SEED_ID}:") for d in server.docs()), "the link is a record on the server"
    assert "links" not in server_annotations(server)[y["id"]], "the annotation's record holds no links"

    # A changes X's note while B types another: B keeps its text and is told; saving stores B's.
    b.activate_item(x["id"])
    b_note = b.driver.find_element(By.ID, "note-editor")
    b.click(b_note)
    b_note.send_keys(Keys.END, " (B again)")
    edit_note(a, x["id"], ", then A")
    told = lambda: " ".join(e.text for e in b.driver.find_elements(By.CSS_SELECTOR, ".changed-elsewhere"))  # noqa: E731
    b.wait(lambda: "Changed elsewhere while you typed (now “noted by B, then A”)" in told(),
           "B is told that X's note changed while B typed", timeout=LIVE)
    assert b_note.get_property("value") == "noted by B (B again)", "B's text is kept"
    ActionChains(b.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    b.wait(lambda: not told(), "saving clears the message")
    for who, app in (("A", a), ("B", b)):
        app.wait(lambda: (stored_live(app).get(x["id"]) or {}).get("note") == "noted by B (B again)",
                 f"{who} stores B's saved note", timeout=LIVE)

    # A text file, annotated before it is shared: B gets its text and the annotation.
    text = "Field note\nThe river rose 2 metres overnight, the mayor said.\nNobody was hurt.\n"
    doc = open_text_file(a, write_text(tmp_path / "field-note.txt", text), text)
    note = a.tag("The river rose 2 metres overnight", "statistic")
    share(a, doc)
    wait_shared(b, doc)
    assert rows(b)[SEED_ID]["shared"], "the sample article stays shared in B's list"
    open_doc(b, doc, text)
    b.wait(lambda: labels(b) == {note["id"]: "statistic"}, "B shows the shared file's annotation")
    assert [m["text"] for m in b.marks(note["id"])] == ["The river rose 2 metres overnight"]
    assert not (b.notice() or "").strip(), f"no alert in B: {b.notice()!r}"


# --------------------------------------------------------------------------- 2. partition


def test_partition_and_heal_later_edit_wins_and_no_conflicts_stay(new_app, server):
    a, b = pair(new_app, server)
    x = a.tag(STAT, "statistic")
    y = a.tag(DENIAL, "denial")
    wait_labels(b, {x["id"]: "statistic", y["id"]: "denial"}, timeout=LIVE, who="B")
    for who, app in (("A", a), ("B", b)):
        wait_status(app, SYNCED, who=who)

    problems: list = []
    server.stop()
    expect_offline(problems, ("A", a, None), ("B", b, None))
    retag(a, x["id"], "claim")
    retag(b, x["id"], "denial")  # later: wins
    edit_note(a, y["id"], "checked offline by A")
    delete(b, y["id"])  # later: wins
    a.wait_idle()
    b.wait_idle()
    assert labels(a) == {x["id"]: "claim", y["id"]: "denial"}, f"A offline: {labels(a)}"
    assert labels(b) == {x["id"]: "denial"}, f"B offline: {labels(b)}"

    server.start()
    for who, app in (("A", a), ("B", b)):
        wait_labels(app, {x["id"]: "denial"}, absent=[y["id"]], who=who)
    for who, app in (("A", a), ("B", b)):
        wait_status(app, SYNCED, who=who)
        assert labels(app) == {x["id"]: "denial"}, f"{who} after healing: {labels(app)}"
        app.wait(lambda: set(stored_live(app)) == {x["id"]} and stored_live(app)[x["id"]]["label"] == "denial",
                 f"{who} stores X as denial and no Y")
    wait_no_conflicts(server)
    anns = server_annotations(server)
    assert set(anns) == {x["id"]} and anns[x["id"]]["label"] == "denial", f"server: {anns}"
    no_problems(problems)


# --------------------------------------------------------------------------- 3. killed


JS_LIST_SIZES = r"""
return Array.from(document.querySelectorAll('ol[aria-label="Annotations"] > li'))
  .map(li => ({id: li.getAttribute('data-id'), size: li.getAttribute('aria-setsize')}));
"""


def many_annotations(seed: str, n: int) -> list[dict]:
    """`n` distinct spans of the sample article: runs of 1 to 6 words."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", seed)]
    spans = []
    for k in range(6):
        for i in range(len(words) - k):
            spans.append((words[i][0], words[i + k][1]))
    assert len(spans) >= n, f"only {len(spans)} spans"
    out = []
    for i, (s, e) in enumerate(spans[:n]):
        out.append({"id": f"bulk-{i:04}", "start": s, "end": e, "quote": seed[s:e],
                    "label": ("claim", "denial", "statistic")[i % 3], "note": "",
                    "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"})
    return out


def test_server_killed_while_2000_annotations_sync(new_app, server, seed_text, tmp_path):
    n = 2000
    a, b = pair(new_app, server)
    anns = many_annotations(seed_text, n)
    path = tmp_path / "bulk.annotations.json"
    path.write_text(json.dumps({"format": "text-annotator/annotations", "version": 1, "annotations": anns}),
                    encoding="utf-8")
    assert server_annotations(server) == {}, "no annotation on the server before the import"
    before = server.doc_count()
    a.import_file(path)

    # Kill the server once part of the import has reached it.
    poll_until(lambda: server.doc_count() > before, "the first of A's imported annotations to reach the server",
               timeout=SYNC, interval=0.02)
    server.stop(kill=True)
    # What the server holds after the kill, read by a second server on its data (on a port A and
    # B do not know, so nothing more arrives): part of the import, not all of it.
    with SyncServer(data_dir=server.data_dir) as reader:
        at_kill = len(server_annotations(reader))
    print(f"\n[sync] server killed with {at_kill}/{n} annotations received")
    assert 0 < at_kill < n, f"the server must be killed in the middle of the sync: it held {at_kill} of {n}"
    a.wait(lambda: sum(a.counts().values()) == n, f"A shows the {n} imported annotations", timeout=SYNC)
    problems: list = []
    expect_offline(problems, ("A (unsent annotations)", a, None))

    server.start()
    b.wait(lambda: sum(b.counts().values()) == n, f"B shows {n} annotations", timeout=max(SYNC, 60))
    for who, app in (("A", a), ("B", b)):
        wait_status(app, SYNCED, who=who, timeout=max(SYNC, 60))
    assert b.counts() == a.counts() == {"claim": 667, "denial": 667, "statistic": 666}
    sizes = {i["size"] for i in b.js(JS_LIST_SIZES)}
    assert sizes == {str(n)}, f"B's list says it holds {sizes} annotations (aria-setsize), not {n}"
    b.wait(lambda: set(stored_live(b)) == {x["id"] for x in anns}, f"B stores the {n} annotations")
    for key, raw in b.storage().items():  # each stored part (record, journals) lists an id once
        ids = [x["id"] for x in json.loads(raw).get("annotations", [])]
        assert len(ids) == len(set(ids)), f"{key} lists {len(ids) - len(set(ids))} duplicate id(s)"
    on_server = server_annotations(server)
    assert set(on_server) == {x["id"] for x in anns}, f"the server has {len(on_server)} of {n}"
    wait_no_conflicts(server)
    no_problems(problems)


# --------------------------------------------------------------------------- 4. refused


def test_refused_connections_store_nothing_and_keep_work(app, server, base_url):
    kept = app.tag(STAT, "statistic")
    app.wait_stored(present=[kept["id"]])
    app.wait_saved()
    before_items = app.items()
    before_rows = rows(app)
    assert sync_dbs(app) == [], f"no team sync database before: {idb_names(app)}"

    cases = [
        ("carol, not a member", server.url, "carol", USERS["carol"], r"member"),
        ("alice, wrong password", server.url, "alice", "not-alice-pw", r"password"),
        ("anonymous", server.url, "", "", r"sign in|anonymous"),
        ("not a CouchDB server", base_url.rstrip("/"), "alice", USERS["alice"], r"CouchDB"),
    ]
    for what, url, user, password, pattern in cases:
        fill_and_connect(app, url, user, password)
        app.wait(lambda: re.search(pattern, team(app)["error"] or "", re.I) and status(app) != CONNECTING,
                 f"{what}: an alert matching /{pattern}/ (alert {team(app)['error']!r}, status {status(app)!r})")
        t = team(app)
        assert t["status"] == NOT_CONNECTED, f"{what}: status {t['status']!r}"
        assert "Connect" in t["buttons"] and "Disconnect" not in t["buttons"], f"{what}: {t['buttons']}"
        assert sync_dbs(app) == [], f"{what}: nothing stored for the server, but IndexedDB has {idb_names(app)}"
        assert app.js("return localStorage.getItem(arguments[0]);", SETTINGS_KEY) is None, \
            f"{what}: no team sync settings kept"
        assert app.items() == before_items, f"{what}: the annotations changed: {app.items()}"
        now_rows = rows(app)
        assert {k: v["shared"] for k, v in now_rows.items()} == {k: v["shared"] for k, v in before_rows.items()}
        assert not any(n.startswith("Share with team") for r in now_rows.values() for n in r["buttons"]), \
            f"{what}: no Share with team while not connected: {now_rows}"

    # The right password: in, with the annotation made before still there (not shared).
    fill_and_connect(app, server.url, "alice", USERS["alice"])
    connect_done(app, "alice")
    assert app.items() == before_items
    assert [n for n in sync_dbs(app) if "annotator-sync" in n], f"the local copy exists now: {idb_names(app)}"
    assert server_annotations(server) == {}, "an unshared document is not sent"


# --------------------------------------------------------------------------- 5. two tabs


def test_two_tabs_of_one_profile_tag_offline_then_the_other_person_gets_both(new_app, server):
    a, b = pair(new_app, server)
    url = a.driver.current_url
    assert f"#doc={SEED_ID}" in url, url
    tab1 = a.driver.current_window_handle
    a.driver.switch_to.new_window("tab")
    tab2 = a.driver.current_window_handle
    a.driver.get(url)
    a.wait_ready()
    open_panel(a)
    wait_status(a, SYNCED, who="A's second tab")
    assert rows(a)[SEED_ID]["shared"]

    problems: list = []
    server.stop()
    expect_offline(problems, ("A tab 1", a, tab1), ("A tab 2", a, tab2), ("B", b, None))

    a.driver.switch_to.window(tab1)
    one = a.tag(CLAIM, "claim")
    a.driver.switch_to.window(tab2)
    a.wait(lambda: labels(a).get(one["id"]) == "claim", "tab 2 shows tab 1's tag")
    two = a.tag(STAT2, "statistic")
    want = {one["id"]: "claim", two["id"]: "statistic"}
    a.driver.switch_to.window(tab1)
    wait_labels(a, want, timeout=TIMEOUT, who="A tab 1")
    assert labels(b) == {}, f"B cannot have them yet: {labels(b)}"

    server.start()
    wait_labels(b, want, who="B")
    for h, who in ((tab1, "A tab 1"), (tab2, "A tab 2")):
        a.driver.switch_to.window(h)
        wait_status(a, SYNCED, who=who)
        assert labels(a) == want, f"{who}: {labels(a)}"
    wait_status(b, SYNCED, who="B")
    assert labels(b) == want
    wait_no_conflicts(server)
    assert {k: v["label"] for k, v in server_annotations(server).items()} == want
    no_problems(problems)


# --------------------------------------------------------------------------- 6. bad input


def test_records_not_ours_are_counted_and_a_misfit_annotation_is_reported(app, server, seed_text):
    """The database holds records this app did not write (skipped, counted in the panel) and an
    annotation of the shared article whose quote is not the text at its offsets (not applied, an
    alert names it); everything else arrives, and nothing of mine is lost."""
    mine = app.tag(STAT, "statistic")
    start = seed_text.index(CLAIM)
    good = {"id": "from-elsewhere", "start": start, "end": start + len(CLAIM), "quote": CLAIM, "label": "claim",
            "note": "", "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"}
    misfit = dict(good, id="misfit", quote=CLAIM[::-1])  # as long as the span, but not its text
    for i, ann in enumerate((good, misfit)):
        body = dict(ann, _id=f"ann:{SEED_ID}:{ann['id']}", type="annotation", hlc=f"1767225600000-00000{i}-other")
        server.admin("PUT", f"/{DB}/{body['_id']}", body)
    server.admin("PUT", f"/{DB}/design-notes", {"title": "a record some other tool wrote"})
    server.admin("PUT", f"/{DB}/ann-like", {"type": "annotation", "start": 1})
    fill_and_connect(app, server.url, "alice", USERS["alice"])
    connect_done(app, "A")
    share(app, SEED_ID)
    app.wait(lambda: labels(app).get("from-elsewhere") == "claim", "the team's good annotation arrives")
    app.wait(lambda: "misfit" in (app.notice() or ""), f"an alert names the misfit annotation (alert {app.notice()!r})")
    assert "did not fit this text" in app.notice()
    assert "misfit" not in labels(app) and labels(app).get(mine["id"]) == "statistic", labels(app)
    app.wait(lambda: "2 record(s)" in app.driver.find_element(By.CSS_SELECTOR, 'section[aria-label="Team sync"]').text,
             "the panel counts the 2 records this app did not write")
    # My own annotation went to the team; the misfit stays on the server untouched (it is not mine to fix).
    app.wait(lambda: mine["id"] in server_annotations(server), "my annotation reaches the server")
    assert server_annotations(server)["misfit"]["quote"] == misfit["quote"]
