#!/usr/bin/env python3
"""The import step alone, for comparing builds (a diagnostic next to ``bench/run.py``,
not part of ``scripts/bench.sh``): each round opens a fresh browser per build, in turn,
opens the text, imports the annotations and records what ``bench/run.py`` records for
the import (listed and painted, every highlight drawn, the longest task or timer-probe
block, Chromium's main-thread counters) and the CPU time the page's renderer (content)
process and its main thread spent on it (Linux ``schedstat``: time on a CPU, so other
work on a busy machine weighs less on it than on the wall-clock times). With ``--profile`` a last round per build takes
a Chromium CPU profile of the import and prints the self time of the wasm-bindgen glue's
string functions and of the top functions.

Usage::

    python3 bench/import_variants.py --workloads bench-results/workloads --size 1m --count 10000 \\
        --rounds 5 [--browser chromium] [--profile] NAME=DIST [NAME=DIST ...]
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (sets SE_OFFLINE before selenium is imported)
import limit  # noqa: E402

GLUE_NAMES = ("getStringFromWasm0", "getCachedStringFromWasm0", "decodeText", "decode")


def cpu_ms(pid: int) -> tuple[float, float] | None:
    """CPU time (ms) of process `pid`'s main thread and of all its threads."""
    def on_cpu(path: str) -> float:
        with open(path, encoding="ascii") as f:
            return int(f.read().split()[0]) / 1e6

    try:
        main = on_cpu(f"/proc/{pid}/task/{pid}/schedstat")
        total = 0.0
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                total += on_cpu(f"/proc/{pid}/task/{tid}/schedstat")
            except OSError:
                pass  # a thread that ended meanwhile
        return main, total
    except OSError:
        return None


def one_import(name: str, base: str, text: Path, ann: Path, len16: int, n: int, profile: bool) -> dict:
    s = bench.Session(name, Path(tempfile.mkdtemp(prefix="bench-variants-")))
    try:
        if not s.open_app(base, timeout=120):
            return {"status": "app not ready"}
        o = bench.step_open_text(s, text, len16, 120)
        if o.get("status") != "ok":
            return {"status": f"open: {o.get('status')}"}
        if profile:
            d = s.driver
            d.execute_cdp_cmd("Profiler.enable", {})
            d.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 100})
            d.execute_cdp_cmd("Profiler.start", {})
        proc = getattr(s.service, "process", None)
        renderer = limit.renderer_pss(proc.pid if proc is not None else None)
        c0 = cpu_ms(renderer["pid"]) if renderer else None
        r = bench.step_import(s, ann, n, 180)
        c1 = cpu_ms(renderer["pid"]) if renderer else None
        if c0 and c1:
            r["cpu_main_ms"], r["cpu_process_ms"] = round(c1[0] - c0[0], 1), round(c1[1] - c0[1], 1)
        if profile:
            r["profile"] = s.driver.execute_cdp_cmd("Profiler.stop", {})["profile"]
        r["version"] = s.version
        return r
    finally:
        s.quit()


def self_times(prof: dict) -> collections.Counter:
    nodes = {x["id"]: x for x in prof["nodes"]}
    out = collections.Counter()
    for sid, delta in zip(prof["samples"], prof["timeDeltas"]):
        cf = nodes[sid]["callFrame"]
        out[cf["functionName"] or "(anonymous)"] += delta / 1000
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workloads", required=True)
    ap.add_argument("--size", default="1m")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--browser", default="chromium")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("builds", nargs="+", help="NAME=DIST")
    o = ap.parse_args(argv)

    wl = Path(o.workloads).resolve()
    text, ann = wl / f"text-{o.size}.txt", wl / f"ann-{o.size}-{o.count}.annotations.json"
    len16 = len(text.read_text(encoding="utf-8").encode("utf-16-le")) // 2
    builds = [b.split("=", 1) for b in o.builds]
    servers = {name: bench.make_server(Path(dist)) for name, dist in builds}
    rows: dict[str, list[dict]] = {name: [] for name, _ in builds}
    try:
        for i in range(o.rounds):
            for name, _ in builds:
                r = one_import(o.browser, servers[name][1], text, ann, len16, o.count, False)
                rows[name].append(r)
                cdp = r.get("main_thread_ms") or {}
                print(f"round {i + 1} {name}: {r.get('status')} listed+painted {r.get('ms')} ms, all drawn {r.get('all_drawn_ms')} ms, "
                      f"longest task {r.get('longest_task_ms')} / block {r.get('longest_block_ms')} ms, "
                      f"script {cdp.get('ScriptDuration')} ms, CPU main thread {r.get('cpu_main_ms')} / process {r.get('cpu_process_ms')} ms "
                      f"({r.get('version')})", file=sys.stderr)
        print(f"\n{o.browser}, {o.size} / {o.count}, {o.rounds} rounds, medians (min-max):")
        for name, _ in builds:
            ok = [r for r in rows[name] if r.get("status") == "ok"]

            def med(key, sub=None):
                v = [(r.get(key) or {}).get(sub) if sub else r.get(key) for r in ok]
                v = [x for x in v if x is not None]
                return f"{statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f})" if v else "n/a"

            print(f"  {name:12} listed+painted {med('ms')} ms | all drawn {med('all_drawn_ms')} ms | longest task "
                  f"{med('longest_task_ms')} ms | longest block {med('longest_block_ms')} ms | script {med('main_thread_ms', 'ScriptDuration')} ms"
                  f" | CPU main thread {med('cpu_main_ms')} ms, process {med('cpu_process_ms')} ms"
                  f" | {len(ok)}/{len(rows[name])} ok")
        if o.profile and o.browser == "chromium":
            print("\nCPU profile of one import per build (self time, ms):")
            for name, _ in builds:
                r = one_import(o.browser, servers[name][1], text, ann, len16, o.count, True)
                st = self_times(r["profile"]) if r.get("profile") else collections.Counter()
                total = sum(st.values())
                glue = {k: round(st[k], 1) for k in GLUE_NAMES if st[k]}
                print(f"  {name}: total {total:.0f} ms, glue string functions {glue} (sum {sum(glue.values()):.1f} ms)")
                for fn, ms in st.most_common(o.top):
                    print(f"      {ms:8.1f} ms  {fn[:100]}")
    finally:
        for server, _ in servers.values():
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
