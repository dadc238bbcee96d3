#!/usr/bin/env python3
"""Where an edit's time goes: a Chromium CPU profile of a few edits, top
functions by self time (a diagnostic next to ``bench/run.py``, not part of
``scripts/bench.sh``).

The app's default article must be the workload's text (a build made with
``BENCH_EMBED_SIZES``, or any build once "Open text file" exists — then pass
``--open``). For Rust function names, build without stripping them, e.g. in a
copy of the tree: ``data-wasm-opt="0" data-keep-debug="true"`` on the rust
``<link>`` of index.html; otherwise wasm frames show as ``wasm-function[N]``.

Usage::

    python3 bench/profile_edits.py --dist DIST --annotations bench-results/workloads/ann-1m-10000.annotations.json \\
        [--text bench-results/workloads/text-1m.txt --open] [--edits 5] [--top 40]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (sets SE_OFFLINE before selenium is imported)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dist", required=True)
    ap.add_argument("--annotations", required=True)
    ap.add_argument("--text", help="the text file (with --open)")
    ap.add_argument("--open", action="store_true", help="open --text with the Open text file input first")
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--out", help="write the raw .cpuprofile here (loads in Chromium DevTools)")
    ap.add_argument("--import-only", action="store_true", help="profile the import instead of edits")
    ap.add_argument("--open-profile", action="store_true", help="with --open: profile opening the text too")
    o = ap.parse_args(argv)

    data = json.loads(Path(o.annotations).read_text(encoding="utf-8"))
    n = len(data["annotations"])
    len16 = len(data["document"]["text"].encode("utf-16-le")) // 2
    server, base = bench.make_server(Path(o.dist))
    s = bench.Session("chromium", Path(tempfile.mkdtemp(prefix="bench-prof-")))
    try:
        if not s.open_app(base, timeout=120):
            print("app not ready", file=sys.stderr)
            return 1
        if o.open:
            if o.open_profile:
                s.driver.execute_cdp_cmd("Profiler.enable", {})
                s.driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 200})
                s.driver.execute_cdp_cmd("Profiler.start", {})
            r = bench.step_open_text(s, Path(o.text), len16, 120)
            print("open:", r.get("status"), r.get("ms"), file=sys.stderr)
        d = s.driver
        if not o.open_profile:
            d.execute_cdp_cmd("Profiler.enable", {})
            d.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 200})
        if o.import_only and not o.open_profile:
            d.execute_cdp_cmd("Profiler.start", {})
        r = bench.step_import(s, Path(o.annotations), n, 180)
        print("import:", r.get("status"), r.get("ms"), "ms", r.get("main_thread_ms"), file=sys.stderr)
        if r.get("status") != "ok":
            return 1
        lat = collections.defaultdict(list)
        # one warm-up round outside the profile
        for i in range(0 if o.import_only else o.edits + 1):
            if i == 1:
                d.execute_cdp_cmd("Profiler.start", {})
            s.js_async(bench.JS_SELECT_AND_ARM, (i + 0.5) / (o.edits + 1), timeout=20)
            for kind, key in (("add", "1"), ("retag", "2"), ("delete", Keys.DELETE)):
                s.js(bench.JS_ARM, kind, 1200)
                ActionChains(d).send_keys(key).perform()
                res = s.js_async(bench.JS_EDIT_RESULT, 20000, timeout=30)
                if i and res and res.get("ok"):
                    lat[kind].append(round(res["tDone"] - res["tEvent"], 1))
            time.sleep(0.2)
        prof = d.execute_cdp_cmd("Profiler.stop", {})["profile"]
        if o.out:
            Path(o.out).write_text(json.dumps(prof), encoding="utf-8")
        nodes = {x["id"]: x for x in prof["nodes"]}
        dt = collections.Counter()
        for sid, delta in zip(prof["samples"], prof["timeDeltas"]):
            dt[sid] += delta
        self_us = collections.Counter()
        for nid, us in dt.items():
            cf = nodes[nid]["callFrame"]
            name = cf["functionName"] or "(anonymous)"
            url = cf.get("url", "").rsplit("/", 1)[-1]
            self_us[f"{name}  [{url}]" if url else name] += us
        # Inclusive time: each sample counts once for every distinct function on its stack.
        parent = {c: x["id"] for x in prof["nodes"] for c in x.get("children", [])}
        incl_us = collections.Counter()
        for nid, us in dt.items():
            seen = set()
            k = nid
            while k is not None:
                cf = nodes[k]["callFrame"]
                name = cf["functionName"] or "(anonymous)"
                if name not in seen:
                    seen.add(name)
                    incl_us[name] += us
                k = parent.get(k)
        total = sum(self_us.values())
        print(f"latency ms per kind: {dict(lat)}")
        what = "the import" if o.import_only else f"{o.edits} rounds of add+retag+delete"
        print(f"profiled {total / 1000:.0f} ms over {what}; top self time:")
        for name, us in self_us.most_common(o.top):
            print(f"  {us / 1000:9.1f} ms  {100 * us / total:5.1f}%  {name[:150]}")
        print("top inclusive time:")
        for name, us in incl_us.most_common(o.top):
            print(f"  {us / 1000:9.1f} ms  {100 * us / total:5.1f}%  {name[:150]}")
    finally:
        s.quit()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
