"""Team sync step of the browser benchmark (bench/run.py step 9).

Two fresh browser profiles of the same kind ("A" and "B") and a throwaway
CouchDB-compatible server (pouchdb-server, started by
``tests/e2e/sync_server.py``'s ``SyncServer`` on 127.0.0.1: database ``desk``,
members alice and bob), everything on loopback:

1. A opens the generated 1 MB text and imports its 10,000 annotations (the
   Open/Import steps of run.py), connects as alice (Team sync → Connect) and
   clicks "Share with team" on that text. Measured in A: the click → A's
   status back to "Synced" with every record on the server (the server's
   document count is polled from here; it must reach the annotation count + 1,
   the text's record).
2. First sync: B (a fresh profile showing the sample article) connects as bob
   to that database. Measured in B: the Connect click (its submit event) →
   the shared text appears in B's Documents list, is opened at once (the
   row's open button is clicked in the page, in the same frame) → B shows
   the whole text and lists all the annotations (the counts in #counts, or
   the list heading), then that frame is painted.
3. One change A → B: both with the shared text open and synced; A selects
   two words (run.py's selection script) and WebDriver presses "1"; B, scrolled to
   the same paragraph, checks every animation frame for one more annotation
   and a changed set of highlights in that paragraph; then that frame is
   painted. Delay = (B's performance.timeOrigin + paint time) − (A's
   performance.timeOrigin + the keydown's timeStamp). Both clocks are this
   machine's; the wall time from just before the key press to the end of the
   WebDriver call that saw it in B is reported beside it as an upper bound.
   Repeated DELAYS times; median reported.

Targets (Team sync issue): first sync ≤ 10 s on loopback, one change ≤ 2 s.
Everything is bounded; a part that cannot run says why.
"""

from __future__ import annotations

import statistics
import sys
import time
import traceback
from pathlib import Path

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

REPO = Path(__file__).resolve().parents[1]
WORKLOAD = "1m/10000"
DELAYS = 5
TARGETS = {"sync_first_ms": 10_000, "sync_change_ms": 2_000}
USERS = {"A": ("alice", "alice-pw"), "B": ("bob", "bob-pw")}

#: Installed once per page (after run.py's JS_INSTALL): the Team sync status
#: line's changes with their times, and the times of form submits and key presses.
JS_WATCH = r"""
if (window.__sync) return 'present';
const S = window.__sync = {log: [], submits: [], origin: performance.timeOrigin};
const read = () => { const e = document.getElementById('sync-status'); return e ? e.textContent.trim() : null; };
let last = read();
S.log.push({t: performance.now(), s: last});
S.check = () => { const s = read(); if (s !== last) { last = s; S.log.push({t: performance.now(), s}); } };
const box = document.querySelector('.team-sync');
if (box) new MutationObserver(S.check).observe(box, {subtree: true, childList: true, characterData: true});
setInterval(S.check, 50);  // in case the panel is re-created outside the observed box
document.addEventListener('submit', e => S.submits.push(e.timeStamp), true);
S.status = read;
return 'installed';
"""

#: B: after the Connect click, each frame: is the shared text listed? open it
#: (in this frame); then: whole text shown and `n` annotations counted? then
#: report after that frame is painted.
JS_ARM_FIRST = r"""
const [docId, n, len16, maxMs] = arguments;
const S = window.__sync, B = window.__bench;
const st = S.first = {done: false, frames: 0};
const t0 = performance.now();
const shown = () => {
  const a = document.getElementById('article'); if (!a) return false;
  const last = a.lastElementChild;  // run.py's check: the last group's start + its length
  if (last && last.dataset && last.dataset.u16 !== undefined && +last.dataset.u16 + last.textContent.length === len16) return true;
  return st.frames % 30 === 0 && a.textContent.length === len16;
};
// Progress every 500 ms (diagnostics): annotations shown, and the documents in B's local
// PouchDB copy (read with PouchDB's info(), found through indexedDB.databases()).
st.progress = [];
let local = null, db = null;
const sample = setInterval(() => {
  st.progress.push({t: performance.now(), shown: B.counts().total, local});
  if (!window.PouchDB) return;
  if (db) db.info().then(i => { local = i.doc_count; }, () => {});
  else if (indexedDB.databases) indexedDB.databases().then(list => {
    const d = list.find(x => /^_pouch_annotator-sync-/.test(x.name));
    if (d && !db) db = new PouchDB(d.name.slice('_pouch_'.length), {skip_setup: true});
  });
}, 500);
const finish = (extra) => { clearInterval(sample); Object.assign(st, extra, {counts: B.counts(), log: S.log.slice(), notice: B.notice(), info: B.info()}); st.done = true; };
const tick = () => {
  st.frames++;
  const now = performance.now();
  if (now - t0 > maxMs) return finish({timeout: true});
  if (st.tListed === undefined) {
    const row = document.querySelector('ul.doc-list li[data-doc-id="' + docId + '"]');
    const open = row && row.querySelector('button.doc-open');
    if (open) {
      st.tListed = now;
      st.sharedMark = !!row.querySelector('.doc-shared');
      open.click();
      st.tOpenClick = performance.now();
    }
  } else if (st.tAllRaf === undefined) {
    const c = B.counts();
    if (st.tFirstAnn === undefined && c.total > 0 && shown()) st.tFirstAnn = now;
    if ((c.total === n || c.heading === n) && document.querySelector('#article mark.hl') && shown()) {
      st.tAllRaf = now;
      return B.afterPaint(t => finish({tAll: t}));
    }
  }
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
return true;
"""

#: Waits (async) for S.<key>.done, at most `ms`.
JS_WAIT_DONE = r"""
const [key, ms, done] = arguments;
const t0 = performance.now();
const poll = () => {
  const st = window.__sync && window.__sync[key];
  if (st && st.done) return done(st);
  if (performance.now() - t0 > ms) return done(null);
  setTimeout(poll, 5);
};
poll();
"""

#: B: scrolls the paragraph starting at code point `start` to the middle and
#: watches each frame for one more annotation and changed highlights in it.
JS_ARM_CHANGE = r"""
const [start, maxMs, done] = arguments;
const S = window.__sync, B = window.__bench;
const para = () => document.querySelector('#article .para[data-start="' + start + '"]');
const sig = () => { const p = para(); return p ? Array.from(p.querySelectorAll('mark.hl')).map(m => m.dataset.ids + '@' + m.textContent.length).join('|') : null; };
const p = para();
if (!p) return done({error: 'no paragraph starting at ' + start + ' in B'});
p.scrollIntoView({block: 'center'});
B.raf2().then(() => {
  const st = S.change = {done: false, before: B.counts(), sig0: sig(), frames: 0};
  const t0 = performance.now();
  const want = st.before.total + 1;
  const tick = () => {
    st.frames++;
    const now = performance.now();
    if (now - t0 > maxMs) { Object.assign(st, {timeout: true, after: B.counts()}); st.done = true; return; }
    const c = B.counts();
    if ((c.total === want || c.heading === want) && sig() !== st.sig0) {
      st.tRaf = now;
      return B.afterPaint(t => { Object.assign(st, {tDone: t, after: B.counts()}); st.done = true; });
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  done({armed: true, before: st.before});
});
"""

#: A: the next keydown's timeStamp (and that the edit shows in A's counts).
JS_ARM_KEY = r"""
const S = window.__sync, B = window.__bench;
S.key = null;
const before = B.counts().total;
const h = e => {
  window.removeEventListener('keydown', h, true);
  S.key = {t: e.timeStamp, key: e.key, before};
};
window.addEventListener('keydown', h, true);
return before;
"""


def _ms(v):
    return None if v is None else round(v, 1)


def _status(s) -> str | None:
    try:
        return s.js("const e = document.getElementById('sync-status'); return e ? e.textContent.trim() : null;")
    except WebDriverException:
        return None


def _error(s) -> str:
    try:
        return s.js("const e = document.getElementById('sync-error'); return e ? e.textContent.trim() : '';") or ""
    except WebDriverException:
        return ""


def _connect(s, url: str, who: str) -> None:
    """Opens the Team sync panel and fills the form; installs the watcher. Does not submit."""
    d = s.driver
    if not d.find_elements(By.CSS_SELECTOR, ".team-form"):
        d.find_element(By.CSS_SELECTOR, ".team-toggle").click()
    if not s.wait(lambda: d.find_elements(By.CSS_SELECTOR, ".team-form"), 10):
        raise RuntimeError("the Team sync form did not open")
    form = d.find_element(By.CSS_SELECTOR, ".team-form")
    user, pw = USERS[who]
    for name, val in (("url", url), ("db", "desk"), ("user", user), ("password", pw)):
        e = form.find_element(By.NAME, name)
        e.clear()
        e.send_keys(val)
    s.js(JS_WATCH)


def _submit(s) -> None:
    s.driver.find_element(By.CSS_SELECTOR, ".team-form button[type=submit]").click()


def _wait_status(s, want: str, timeout: float) -> bool:
    return bool(s.wait(lambda: _status(s) == want, timeout, poll=0.05))


def _first_after(log: list, t: float, want: str):
    for e in log:
        if e["t"] >= t and e["s"] == want:
            return e["t"]
    return None


def _last(log: list, want: str):
    ts = [e["t"] for e in log if e["s"] == want]
    return ts[-1] if ts else None


def _share(a, server, doc_id: str, n: int, timeout: float) -> dict:
    """A clicks Share with team on the open text: → every record on the server and A Synced."""
    base_count = server.doc_count()
    expected = base_count + n + 1
    btns = [b for b in a.driver.find_elements(By.CSS_SELECTOR, f'ul.doc-list li[data-doc-id="{doc_id}"] .doc-actions button')
            if b.text.strip() == "Share with team"]
    if not btns:
        return {"status": "error: no Share with team button on the opened text's row"}
    a.js("window.__bench.clicks.length = 0;")
    t_py = time.monotonic()
    btns[0].click()
    seen, last_change, count = None, time.monotonic(), base_count
    while time.monotonic() - t_py < timeout:
        c = server.doc_count()
        if c != count:
            count, last_change = c, time.monotonic()
        if c >= expected:
            seen = time.monotonic() - t_py
            break
        if time.monotonic() - last_change > 20:
            break  # nothing arrived for 20 s
        time.sleep(0.05)
    out = {"records_expected": expected - base_count, "records_on_server": count - base_count}
    if seen is None:
        out["status"] = (f"incomplete: the server holds {count - base_count:,} of {expected - base_count:,} records "
                         f"{time.monotonic() - t_py:.0f} s after Share (A: {_status(a)!r} {_error(a)!r})")
        return out
    out["server_complete_wall_ms"] = round(seen * 1000)
    if not _wait_status(a, "Synced", max(10.0, timeout - seen)):
        out["status"] = f"timeout: A's status stayed {_status(a)!r} after the server had every record"
        return out
    time.sleep(0.3)
    w = a.js("return {log: window.__sync.log.slice(), clicks: window.__bench.clicks.slice(), notice: window.__bench.notice()};")
    click = w["clicks"][0]["t"] if w["clicks"] else None
    synced = _last(w["log"], "Synced")
    syncing = _first_after(w["log"], click, "Syncing…") if click is not None else None
    out.update({"status": "ok", "click_to_synced_ms": _ms(synced - click) if (click is not None and synced is not None) else None,
                "click_to_syncing_ms": _ms(syncing - click) if syncing is not None else None,
                "status_log": [{"t": _ms(e["t"] - click) if click is not None else _ms(e["t"]), "s": e["s"]}
                               for e in w["log"] if click is None or e["t"] >= click - 1][:40],
                "notice": w["notice"] or None})
    return out


def _first_sync(b, server_url: str, doc_id: str, n: int, len16: int, timeout: float) -> dict:
    _connect(b, server_url, "B")
    b.js(JS_ARM_FIRST, doc_id, n, len16, int(timeout * 1000))
    m0 = b.cdp_metrics()
    t_py = time.monotonic()
    _submit(b)
    r = None
    while r is None and time.monotonic() - t_py < timeout + 15:
        r = b.js_async(JS_WAIT_DONE, "first", 60_000, timeout=75)
    wall = time.monotonic() - t_py
    cdp = type(b).cdp_delta(m0, b.cdp_metrics())
    if not r:
        return {"status": f"timeout: nothing reported in {wall:.0f} s (B: {_status(b)!r})"}
    sub = b.js("return window.__sync.submits.slice();")
    t0 = sub[0] if sub else None
    log = r.get("log") or []
    rel = (lambda t: _ms(t - t0) if (t is not None and t0 is not None) else None)
    out = {
        "wall_ms": round(wall * 1000),
        "b_main_thread_ms": cdp or "n/a (Chromium only)",
        "counts": r.get("counts"),
        "listed_ms": rel(r.get("tListed")),
        "opened_ms": rel(r.get("tOpenClick")),
        "first_annotation_shown_ms": rel(r.get("tFirstAnn")),
        "b_first_synced_ms": rel(_first_after(log, t0, "Synced")) if t0 is not None else None,
        "shared_mark_in_b": r.get("sharedMark"),
        "notice": r.get("notice") or None,
        "info": r.get("info") or None,
    }
    out["progress"] = [{"t": rel(p["t"]), "shown": p["shown"], "local_docs": p["local"]} for p in r.get("progress") or []]
    # B's replication state after that (it may still be pulling when everything is shown).
    _wait_status(b, "Synced", 30)
    time.sleep(0.3)
    log = b.js("return window.__sync.log.slice();")
    out["b_last_synced_ms"] = rel(_last(log, "Synced"))
    out["status_log"] = [{"t": rel(e["t"]), "s": e["s"]} for e in log][:40]
    if r.get("timeout") or r.get("tAll") is None:
        out["status"] = (f"timeout: B did not list all {n:,} annotations in {timeout:.0f} s "
                         f"(listed: {out['listed_ms'] is not None}, counts {r.get('counts')}, status {_status(b)!r}, "
                         f"error {_error(b)!r})")
        return out
    out["status"] = "ok"
    out["ms"] = rel(r["tAll"])
    out["open_to_all_ms"] = _ms(r["tAll"] - r["tOpenClick"])
    return out


def _changes(a, b, bench, runs: int, timeout: float) -> dict:
    rows, errors = [], []
    for i in range(runs):
        sel = a.js_async(bench.JS_SELECT_AND_ARM, (i + 0.5) / runs, timeout=20)
        if not sel or sel.get("error") or not sel.get("para"):
            errors.append(f"change {i}: selection in A: {sel}")
            continue
        armed = b.js_async(JS_ARM_CHANGE, sel["para"], int(timeout * 1000), timeout=20)
        if not armed or armed.get("error"):
            errors.append(f"change {i}: B: {armed}")
            continue
        a.js(JS_ARM_KEY)
        t_py = time.time()
        ActionChains(a.driver).send_keys("1").perform()
        r = b.js_async(JS_WAIT_DONE, "change", int(timeout * 1000) + 2000, timeout=timeout + 10)
        t_seen = time.time()
        k = a.js("return {key: window.__sync.key, origin: performance.timeOrigin, now: window.__bench.counts().total};")
        b_origin = b.js("return performance.timeOrigin;")
        if not k["key"]:
            errors.append(f"change {i}: A saw no keydown")
            continue
        if not r or r.get("timeout") or r.get("tDone") is None:
            errors.append(f"change {i}: B did not show it within {timeout:.0f} s (A counts {k['key']['before']} → {k['now']}; "
                          f"B {(r or {}).get('after')}; A {_status(a)!r}, B {_status(b)!r})")
            continue
        t_key_abs = k["origin"] + k["key"]["t"]
        delay = (b_origin + r["tDone"]) - t_key_abs
        rows.append({"ms": round(delay, 1), "in_b_dom_to_painted_ms": _ms(r["tDone"] - r["tRaf"]),
                     "wall_upper_bound_ms": round((t_seen - t_py) * 1000), "text": sel.get("text"), "para": sel["para"],
                     "a_added": k["now"] == k["key"]["before"] + 1, "b_counts": (r.get("after") or {}).get("total")})
        time.sleep(0.5)
    out = {"runs": rows}
    if rows:
        ms = [r["ms"] for r in rows]
        out.update({"status": "ok", "median_ms": round(statistics.median(ms), 1), "min_ms": min(ms), "max_ms": max(ms),
                    "wall_upper_bound_median_ms": round(statistics.median(r["wall_upper_bound_ms"] for r in rows))})
    else:
        out["status"] = "error: no change reached B" + (f" ({errors[0]})" if errors else "")
    if errors:
        out["errors"] = errors
    return out


def step_sync(name: str, base: str, manifest: dict, opts, budget, workdir: Path, bench) -> dict:
    """The whole step for one browser kind. `bench` is run.py (Session, step_open_text, ...)."""
    out: dict = {"workload": WORKLOAD, "what": {
        "push": "A (1 MB text and its 10,000 annotations open, connected as alice): click Share with team → "
                "A's status back to Synced, the server holding every record (annotations + the text)",
        "first": "B (fresh profile) connects as bob to the database holding that text and its annotations: "
                 "Connect click → shared text listed in B, opened at once → all annotations listed and the frame painted",
        "change": f"both with the shared text open and synced: A tags two words (key 1) → the new highlight painted in B; "
                  f"keydown timeStamp to B's paint, across the two pages' timeOrigins; median of {DELAYS}"}}
    a_key = manifest.get("annotations", {}).get(WORKLOAD)
    t = manifest.get("texts", {}).get(WORKLOAD.split("/")[0])
    if not a_key or not t:
        return {**out, "status": f"n/a: workload {WORKLOAD} not generated (BENCH_SIZES must include 1m, BENCH_COUNTS 10000)"}
    sys.path.insert(0, str(REPO / "tests" / "e2e"))
    try:
        from sync_server import SyncServer  # tests/e2e/sync_server.py
    except ImportError as e:
        return {**out, "status": f"n/a: tests/e2e/sync_server.py not importable ({e})"}
    wdir = Path(opts.workloads).resolve()
    text_path, ann_path, len16 = wdir / t["file"], wdir / a_key["file"], t["utf16_units"]
    server = a = b = None
    try:
        server = SyncServer(data_dir=Path(workdir) / f"couch-{name}")
        server.start()
        out["server"] = f"pouchdb-server {server.url} (tests/e2e/sync_server.py, LevelDB in a temporary directory)"
        a = bench.Session(name, workdir)
        out["version"] = a.version
        out["user_agent"] = a.js("return navigator.userAgent;")
        if not a.open_app(base):
            return {**out, "status": "timeout: app not ready in A"}
        opened = bench.step_open_text(a, text_path, len16, opts.open_timeout)
        if opened.get("status") != "ok":
            return {**out, "status": f"A: open: {opened.get('status')}"}
        imp = bench.step_import(a, ann_path, a_key["count"], opts.import_timeout)
        if imp.get("status") != "ok":
            return {**out, "status": f"A: import: {imp.get('status')}"}
        n = (imp.get("counts") or {}).get("total") or a_key["count"]
        out["annotations"] = n
        doc_id = a.js("const li = document.querySelector('ul.doc-list li.current'); return li ? li.dataset.docId : null;")
        out["doc_id"] = doc_id
        if not doc_id:
            return {**out, "status": "error: no current row in A's Documents list"}
        _connect(a, server.url, "A")
        _submit(a)
        if not _wait_status(a, "Synced", 30):
            return {**out, "status": f"A did not connect: {_status(a)!r} {_error(a)!r}"}
        bench.log(f"{name}: sync: A connected; sharing {n:,} annotations")
        out["push"] = _share(a, server, doc_id, n, timeout=min(180.0, max(30.0, budget.left() - 60)))
        seqs = out["server_update_seq"] = {"after_push": server.admin_get("/desk").get("update_seq")}
        if out["push"].get("status") != "ok":
            return {**out, "status": f"A: share: {out['push']['status']}"}
        bench.log(f"{name}: sync: A pushed in {out['push'].get('click_to_synced_ms')} ms; B connects")
        b = bench.Session(name, workdir)
        if not b.open_app(base):
            return {**out, "status": "timeout: app not ready in B"}
        out["first"] = _first_sync(b, server.url, doc_id, n, len16, timeout=min(120.0, max(20.0, budget.left() - 40)))
        seqs["after_first_sync"] = server.admin_get("/desk").get("update_seq")
        if out["first"].get("status") != "ok":
            return {**out, "status": f"B: first sync: {out['first']['status']}"}
        bench.log(f"{name}: sync: first sync in B {out['first'].get('ms')} ms; changes A → B")
        _wait_status(a, "Synced", 20)
        _wait_status(b, "Synced", 20)
        time.sleep(1.0)
        out["change"] = _changes(a, b, bench, DELAYS, timeout=15.0)
        out["server_records_at_end"] = server.doc_count()
        seqs["end"] = server.admin_get("/desk").get("update_seq")
        out["status"] = "ok"
        return out
    except (TimeoutException, WebDriverException) as e:
        return {**out, "status": f"error: {type(e).__name__}: {(str(e).strip().splitlines() or [''])[0][:200]}", "traceback": traceback.format_exc(limit=4)}
    except Exception as e:
        return {**out, "status": f"error: {type(e).__name__}: {str(e)[:300]}", "traceback": traceback.format_exc(limit=4)}
    finally:
        for s in (b, a):
            if s is not None:
                s.quit()
        if server is not None:
            if server.running:
                out.setdefault("server_log_tail", server.tail(5))
            server.close()


def table_rows(res: dict, bnames: list[str], fmt_ms) -> list[tuple]:
    """(measure, workload, target, cells) rows for run.py's table."""
    syncs = {b: (res["browsers"][b].get("sync") or {}) for b in bnames}
    if not any(syncs.values()):
        return []
    wl = "1m/10000 shared"

    def cell(b, part, fn):
        s = syncs[b]
        p = s.get(part) or {}
        if p.get("status") == "ok":
            return fn(p)
        return str(p.get("status") or s.get("status") or "n/a").replace("\n", " ").replace("|", "/")[:300]

    rows = [
        ("9 team sync: A shares the text → A Synced, all records on the server", wl, "",
         [cell(b, "push", lambda p: f"{fmt_ms(p.get('click_to_synced_ms'))} (Syncing… at {fmt_ms(p.get('click_to_syncing_ms'))}; "
                                    f"{p['records_on_server']:,} records; "
                                    f"server complete at {fmt_ms(p.get('server_complete_wall_ms'))} wall)") for b in bnames]),
        ("9 team sync: first sync, B connects → all annotations listed in B", wl, "≤ 10 s",
         [cell(b, "first", lambda p: f"{fmt_ms(p['ms'], TARGETS['sync_first_ms'])} (listed {fmt_ms(p.get('listed_ms'))}, "
                                     f"opened → all {fmt_ms(p.get('open_to_all_ms'))}; B Synced at {fmt_ms(p.get('b_last_synced_ms'))})")
          for b in bnames]),
        (f"9 team sync: one change A → B painted (median of {DELAYS})", wl, "≤ 2 s",
         [cell(b, "change", lambda p: f"{fmt_ms(p['median_ms'], TARGETS['sync_change_ms'])} (min {fmt_ms(p['min_ms'])}, "
                                      f"max {fmt_ms(p['max_ms'])}, n={len(p['runs'])}; wall bound {fmt_ms(p['wall_upper_bound_median_ms'])})")
          for b in bnames]),
    ]
    return rows


NOTE = ("Team sync (9): pouchdb-server 4.2.0 on 127.0.0.1 (tests/e2e/sync_server.py), two fresh profiles A and B of the "
        "same browser. First sync = B connects to a database holding the 1 MB text and its 10,000 annotations: Connect "
        "click → text listed in B (opened at once) → every annotation listed and that frame painted. One change = A's "
        "keydown (key 1 on two selected words) → the new highlight painted in B, across the two pages' timeOrigins; "
        "the wall bound is the WebDriver time from before the key press to the call that saw it in B. ✅/❌ on both "
        "browsers (the issue's targets are not Chromium-specific).")
