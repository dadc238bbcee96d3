"""The browser's own limit, for ratios: a plain-DOM page with the workload's text as
paragraphs and its spans as ``<mark>`` elements, built with one ``innerHTML``;
adding a span re-renders its paragraph. Measured in the same run (a fresh
browser of the same kind) with the same steps as the app: navigation → painted
(fetch + parse of the same native JSON file, build, two frames), renderer
memory after GC, scrolling top to bottom, and adding one span (key → painted
frame). ``renderer_pss`` reads the memory of the page's renderer process from
``/proc`` (Linux), the same way for the app and the limit.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

LIMIT_HTML = "__limit.html"

_PAGE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>limit</title>
<style>
body { font: 17px/1.7 Georgia, serif; margin: 0 1rem; }
#article { max-width: 40rem; white-space: pre-wrap; }
.para { margin: 0; }
mark { background: rgba(29,95,191,.14); color: inherit; text-decoration: underline; }
mark.denial { background: rgba(179,38,30,.13); } mark.statistic { background: rgba(30,122,60,.15); }
</style></head>
<body><article id="article"></article>
<script>
const B = window.__bench = {longtasks: [], marks: {}};
try { new PerformanceObserver(l => { for (const e of l.getEntries()) B.longtasks.push({t: e.startTime, dur: e.duration}); })
  .observe({type: 'longtask', buffered: true}); B.longtaskSupported = true; } catch (e) { B.longtaskSupported = false; }
B.raf2 = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))));
const esc = s => s.replace(/[&<>]/g, c => c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;');
// Code point offsets of the file → UTF-16 string positions.
function cpToU16(text) { const m = []; let u = 0; for (const ch of text) { m.push(u); u += ch.length; } m.push(u); return m; }
function paragraphs(text) {
  const out = []; let s = 0; const re = /[\r\n]+/g; let m;
  while ((m = re.exec(text))) { const e = m.index + m[0].length; if (e < text.length) { out.push([s, e]); s = e; } }
  out.push([s, text.length]); return out;
}
function renderPara(p) {
  const cuts = new Set([p.s, p.e]);
  for (const a of p.anns) { cuts.add(Math.max(a.s, p.s)); cuts.add(Math.min(a.e, p.e)); }
  const cs = [...cuts].sort((x, y) => x - y); let h = '';
  for (let i = 0; i + 1 < cs.length; i++) {
    const [s, e] = [cs[i], cs[i + 1]], t = esc(B.text.slice(s, e));
    const cov = p.anns.filter(a => a.s <= s && a.e >= e);
    if (!cov.length) { h += t; continue; }
    let inner = t; for (const a of cov) inner = `<mark class="${a.label}">${inner}</mark>`;
    h += inner;
  }
  return h;
}
fetch(new URLSearchParams(location.search).get('data')).then(r => r.json()).then(d => {
  const text = B.text = d.document.text, u = cpToU16(text);
  const ps = B.paras = paragraphs(text).map(([s, e]) => ({s, e, anns: []}));
  const starts = ps.map(p => p.s);
  const find = x => { let lo = 0, hi = ps.length - 1; while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= x) lo = mid; else hi = mid - 1; } return lo; };
  for (const a of d.annotations) {
    const s = u[a.start], e = u[a.end];
    for (let i = find(s); i < ps.length && ps[i].s < e; i++) ps[i].anns.push({s, e, label: a.label});
  }
  B.find = find;
  document.getElementById('article').innerHTML = ps.map((p, i) => `<p class="para" data-i="${i}">${renderPara(p)}</p>`).join('');
  B.marks.built = performance.now();
  B.raf2().then(t => { B.marks.painted = t; B.count = d.annotations.length; });
});
// Key 1: tag the selected text: one span more, its paragraph re-rendered.
document.addEventListener('keydown', e => {
  if (e.key !== '1') return;
  const sel = getSelection(); if (!sel.rangeCount) return;
  const r = sel.getRangeAt(0), el = r.startContainer.parentElement.closest('.para'); if (!el) return;
  const p = B.paras[+el.dataset.i];
  const pre = document.createRange(); pre.setStart(el, 0); pre.setEnd(r.startContainer, r.startOffset);
  const s = p.s + pre.toString().length, len = r.toString().length;
  p.anns.push({s, e: s + len, label: 'claim'}); B.count++;
  el.innerHTML = renderPara(p);
  sel.removeAllRanges();
  const t = e.timeStamp;
  requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => { B.lastEdit = performance.now() - t; }; ch.port2.postMessage(0); });
});
</script></body></html>
"""

JS_WAIT_LIMIT = r"""
const done = arguments[arguments.length - 1];
const t0 = performance.now();
(function poll() {
  const B = window.__bench;
  if (B && B.marks.painted) return done({painted: B.marks.painted, built: B.marks.built, count: B.count});
  if (performance.now() - t0 > 120000) return done({timeout: true});
  setTimeout(poll, 20);
})();
"""

JS_LIMIT_EDIT_RESULT = r"""
const done = arguments[arguments.length - 1];
const t0 = performance.now();
(function poll() {
  const B = window.__bench;
  if (B.lastEdit != null) return done({ms: B.lastEdit});
  if (performance.now() - t0 > 10000) return done({timeout: true});
  setTimeout(poll, 5);
})();
"""


def install(dist: Path, ann_path: Path) -> str:
    """Writes the limit page into the served `dist` and links the workload file
    beside it; returns the page's path relative to the server root."""
    (dist / LIMIT_HTML).write_text(_PAGE, encoding="utf-8")
    data = dist / f"__limit-{ann_path.name}"
    if not data.exists():
        try:
            os.symlink(ann_path.resolve(), data)
        except OSError:
            shutil.copy(ann_path, data)
    return f"{LIMIT_HTML}?data={data.name}"


def uninstall(dist: Path) -> None:
    """Removes what `install` wrote, so a measured build (`BENCH_DIST`) is left as it was."""
    for f in [dist / LIMIT_HTML, *dist.glob("__limit-*")]:
        try:
            f.unlink()
        except FileNotFoundError:
            pass


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", encoding="utf-8") as f:
                parents[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    out, todo = set(), [root]
    while todo:
        p = todo.pop()
        for c, pp in parents.items():
            if pp == p and c not in out:
                out.add(c)
                todo.append(c)
    return out


def renderer_pss(root_pid: int | None) -> dict | None:
    """The largest PSS (bytes) among the renderer / content processes under
    `root_pid` (the driver's process): the page's renderer."""
    if not root_pid or not os.path.isdir("/proc"):
        return None
    best = None
    for pid in _descendants(root_pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            if "--type=renderer" not in cmd and "-contentproc" not in cmd:
                continue
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
                pss = next((int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:")), None)
        except OSError:
            continue
        if pss is not None and (best is None or pss > best["pss"]):
            best = {"pid": pid, "pss": pss}
    return best
