"""Two tabs of the app on the same document in ONE browser session (one profile, so
local storage is shared), editing at the same time.

Each tab is told of the other's writes by `storage` events; these tests hold those
events back in both tabs before any edit (a capture listener on window that stops
them: it runs before the app's own listener at the target), so each tab writes
without having seen the other's change, as when the tabs race. After both have
saved, both are reloaded: whatever either tab saved must be read back, and the two
tabs (and the stored records, and the export) must agree.

  a. each tab tags a different span: both annotations survive;
  b. tab A deletes an annotation made before the split while tab B edits its note:
     both tabs show the same outcome after a reload;
  c. both retag the same annotation to different labels: the same label in both tabs
     (the later edit's, by the merge rule: the later `modified` wins).
"""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import norm_ws

CLAIM = "He had also dismissed the possibility of negotiations with the TTP."
DENIAL = "a claim denied by Kabul"
STAT = "1,524 violence-related fatalities"

# Holds back storage events in this page (until it is reloaded), counting them: a
# capture listener on window that stops each event. Firefox runs capture listeners
# at the target (window) before the app's listener; Chromium (156 here) runs the
# listeners on window in the order they were added, whatever their phase, so there
# it must be added before the app's: as a script evaluated on each new document of
# the tab (DevTools protocol), after which the tab is reloaded.
HOLD_SOURCE = r"""
if (!('__heldStorageEvents' in window) && sessionStorage.getItem('e2e-hold-storage-events') !== 'off') {
  window.__heldStorageEvents = 0;
  window.addEventListener('storage', e => { e.stopImmediatePropagation(); window.__heldStorageEvents++; }, true);
}
"""
JS_HOLD_STORAGE_EVENTS = HOLD_SOURCE + "return window.__heldStorageEvents;"
# Lets the tab's next documents see storage events again (sessionStorage is per tab).
JS_RELEASE_STORAGE_EVENTS = "sessionStorage.setItem('e2e-hold-storage-events', 'off');"
# Whether a storage event reaches a listener the page added on window (as the
# app's is) after the holding one was installed: it must not.
JS_HOLD_ORDER = r"""
const log = [];
const late = e => log.push('late listener');
window.addEventListener('storage', late);
const before = window.__heldStorageEvents;
window.dispatchEvent(new StorageEvent('storage', {key: 'e2e-order-check', newValue: null}));
window.removeEventListener('storage', late);
if (window.__heldStorageEvents === before + 1) { window.__heldStorageEvents = before; log.push('held'); }
return log;
"""

class Tabs:
    """Two tabs (window handles) of one App's browser, both on the document open in
    the app, both holding storage events back; `on(name)` switches to one."""

    def __init__(self, app):
        self.app = app
        self.preload = {}
        url = app.driver.current_url
        assert "#doc=" in url, f"the app names the open document in its URL: {url}"
        self.handles = {"A": app.driver.current_window_handle}
        self._hold("A")
        app.reload()
        app.driver.switch_to.new_window("tab")
        self.handles["B"] = app.driver.current_window_handle
        self._hold("B")
        app.driver.get(url)
        app.wait_ready()
        assert app.driver.current_url == url
        for name in self.handles:
            app = self.on(name)
            # (a tab may already have held back the other's writes as it loaded)
            assert isinstance(app.js(JS_HOLD_STORAGE_EVENTS), int), f"tab {name}: storage events are not held back"
            assert app.js(JS_HOLD_ORDER) == ["held"], f"tab {name}: storage events are not held back"

    def _hold(self, name: str):
        """In Chromium, the holding listener is added to each new document of the
        current tab, before the app's scripts run."""
        if self.app.browser == "chromium":
            res = self.app.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOLD_SOURCE})
            self.preload[name] = res["identifier"]

    def on(self, name: str):
        self.app.driver.switch_to.window(self.handles[name])
        return self.app

    def held(self, name: str) -> int:
        return self.on(name).js("return window.__heldStorageEvents || 0;")

    def reload_both(self):
        """Reloads both tabs (A, then B); the reloaded pages see every storage event."""
        for name in self.handles:
            self.on(name).js(JS_RELEASE_STORAGE_EVENTS)
        for name in self.handles:
            app = self.on(name)
            app.reload()
            assert app.js("return window.__heldStorageEvents === undefined;"), f"tab {name} still holds storage events back"

    def items_by_id(self, name: str) -> dict:
        return {i["id"]: i for i in self.on(name).items()}


def save(app, present=(), absent=()):
    """Waits until this tab's change is stored and its status says Saved."""
    app.wait_stored(present=present, absent=absent)
    app.wait_saved()


def check_isolated(tabs: Tabs, other: str, ann_id: str, before: dict | None, held_before: int):
    """The other tab was sent the write as a storage event (it had held back
    `held_before` before it), held it back, and still shows its own state of
    `ann_id` (None: not listed)."""
    app = tabs.on(other)
    app.wait(lambda: tabs.held(other) > held_before, f"tab {other} received (and held back) a storage event")
    app.wait_idle()  # had the app heard the event, what it started would be done and shown by now
    now = tabs.items_by_id(other).get(ann_id)
    assert (now and (now["label"], now["text"])) == (before and (before["label"], before["text"])), \
        f"tab {other} must not show the other tab's change of {ann_id} before a reload: {before} -> {now}"


def edit_note(app, ann_id: str, note: str):
    app.activate_item(ann_id)
    editor = app.driver.find_element(By.ID, "note-editor")
    app.click(editor)
    editor.send_keys(note)
    # Ctrl+Enter commits the note.
    ActionChains(app.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    app.wait(lambda: note in next((i["text"] for i in app.items() if i["id"] == ann_id), ""),
             f"the note {note!r} shown on {ann_id}")


def both_agree(tabs: Tabs) -> dict:
    """Both tabs list the same annotations (id, label, text); returns tab A's, by id."""
    a = {k: (v["label"], v["text"]) for k, v in tabs.items_by_id("A").items()}
    b = {k: (v["label"], v["text"]) for k, v in tabs.items_by_id("B").items()}
    assert a == b, f"after a reload the two tabs differ:\n  A={a}\n  B={b}"
    return tabs.items_by_id("A")


def stored_live(app) -> dict:
    return {a["id"]: a for rec in app.stored_records().values() for a in rec["annotations"]}


def test_each_tab_tags_a_different_span_both_survive(app):
    tabs = Tabs(app)

    held_b = tabs.held("B")
    a = tabs.on("A").tag(CLAIM, "claim")
    save(tabs.on("A"), present=[a["id"]])
    check_isolated(tabs, "B", a["id"], None, held_b)

    held_a = tabs.held("A")
    b = tabs.on("B").tag(STAT, "statistic")
    save(tabs.on("B"), present=[b["id"]])
    check_isolated(tabs, "A", b["id"], None, held_a)

    tabs.reload_both()
    for name in ("A", "B"):
        got = tabs.items_by_id(name)
        assert {a["id"], b["id"]} <= set(got), \
            f"tab {name} after a reload lists {sorted(got)}; wanted both {a['id']} (tab A's) and {b['id']} (tab B's)"
    listed = both_agree(tabs)
    assert listed[a["id"]]["label"] == "claim" and listed[b["id"]]["label"] == "statistic"

    app = tabs.on("A")
    stored = stored_live(app)
    assert {a["id"], b["id"]} <= set(stored), f"stored: {sorted(stored)}; storage={app.storage()}"
    _, data = app.export()
    exported = {x["id"]: x for x in data["annotations"]}
    assert {a["id"], b["id"]} <= set(exported), f"exported: {sorted(exported)}"
    assert exported[a["id"]]["label"] == "claim" and exported[b["id"]]["label"] == "statistic"


def test_delete_in_one_tab_note_in_the_other_same_outcome(app):
    first = app.tag(DENIAL, "denial")
    save(app, present=[first["id"]])
    ann = first["id"]
    tabs = Tabs(app)
    assert ann in tabs.items_by_id("B"), "tab B loads the annotation made before it was opened"

    before_b = tabs.items_by_id("B")[ann]
    held_b = tabs.held("B")
    app = tabs.on("A")
    app.activate_item(ann)
    app.press(Keys.DELETE)
    app.wait(lambda: ann not in tabs.items_by_id("A"), "tab A deletes the annotation")
    save(app, absent=[ann])
    check_isolated(tabs, "B", ann, before_b, held_b)

    app = tabs.on("B")
    edit_note(app, ann, "Edited in tab B")
    app.wait(lambda: stored_live(app).get(ann, {}).get("note") == "Edited in tab B", "tab B's note edit is stored")
    app.wait_saved()

    tabs.reload_both()
    listed = both_agree(tabs)
    stored = stored_live(tabs.on("A"))
    # The note was written after the deletion, so by the merge rule it brings the
    # annotation back (a tombstone wins only over versions not modified after it).
    assert ann in listed, f"the note edited after the deletion keeps the annotation: {listed}"
    assert "Edited in tab B" in listed[ann]["text"]
    assert ann in stored and stored[ann].get("note") == "Edited in tab B", f"stored: {stored}"


def test_both_tabs_retag_the_same_annotation_same_label(app):
    first = app.tag(STAT, "statistic")
    save(app, present=[first["id"]])
    ann = first["id"]
    tabs = Tabs(app)
    assert tabs.items_by_id("B")[ann]["label"] == "statistic"
    before_b = tabs.items_by_id("B")[ann]
    held_b = tabs.held("B")

    app = tabs.on("A")
    app.activate_item(ann)
    app.press("1")
    app.wait(lambda: tabs.items_by_id("A")[ann]["label"] == "claim", "tab A retags it as a claim")
    app.wait(lambda: stored_live(app).get(ann, {}).get("label") == "claim", "tab A's retag is stored")
    app.wait_saved()
    check_isolated(tabs, "B", ann, before_b, held_b)

    app = tabs.on("B")
    app.activate_item(ann)
    app.press("2")
    app.wait(lambda: tabs.items_by_id("B")[ann]["label"] == "denial", "tab B retags it as a denial")
    app.wait(lambda: stored_live(app).get(ann, {}).get("label") == "denial", "tab B's retag is stored")
    app.wait_saved()

    tabs.reload_both()
    listed = both_agree(tabs)
    # Tab B's retag is the later one: it wins in both tabs and in storage.
    assert listed[ann]["label"] == "denial", f"after a reload: {listed[ann]}"
    assert norm_ws(STAT) in listed[ann]["text"]
    assert stored_live(tabs.on("A"))[ann]["label"] == "denial"
