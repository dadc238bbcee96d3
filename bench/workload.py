#!/usr/bin/env python3
"""Deterministic benchmark workloads for the annotator (issue 4).

Builds long texts from the seed article's paragraphs and annotation files in
the app's native format, all from one seed, with the standard library only:

* texts of ~50 KB, ~1 MB and ~5 MB (UTF-8 bytes): the seed article's
  paragraphs in a seeded shuffle, grouped into numbered sections
  ("Section 12. ..."), with a line of non-ASCII text (Urdu, emoji with ZWJ
  sequences and flags, combining accents) every ~20 KB;
* 100, 1,000 and 10,000 word-aligned annotations of 3-12 words each, labels
  cycling claim/denial/statistic in text order, ~5 % of them overlapping
  another one (dense combinations such as 10,000 on 50 KB cannot avoid
  overlaps: the manifest reports the real share);
* links: one per five annotations (2,000 at 10,000), each from a denial to
  the claim just before it (``denies``), spread evenly over the text;
* every file is the app's native annotation format, offsets in Unicode code
  points (Python ``str`` indices), end exclusive, ``quote == text[start:end]``,
  and the document id is 64-bit FNV-1a of the UTF-8 text
  (``core/src/model/mod.rs`` ``doc_id_for``).

Usage::

    python3 bench/workload.py OUT_DIR [--seed 1] [--sizes 50k,1m,5m] [--counts 100,1000,10000]

Writes ``OUT_DIR/text-<size>.txt``, ``OUT_DIR/ann-<size>-<count>.annotations.json``
and ``OUT_DIR/manifest.json``. The same seed always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_ARTICLE = REPO / "assets" / "seed-article.txt"

FORMAT = "text-annotator/annotations"
VERSION = 2
LABELS = ("claim", "denial", "statistic")

#: Target sizes in UTF-8 bytes, by the name used in file names and tables.
SIZES = {"50k": 50_000, "1m": 1_000_000, "5m": 5_000_000}
#: Annotations on the default (seed) article itself: the one workload the app
#: can import without opening a file, so the harness can be checked end to end.
SEED_COUNT = 30
COUNTS = (100, 1_000, 10_000)
#: One link per this many annotations.
ANNOTATIONS_PER_LINK = 5
#: A non-ASCII line about every this many bytes.
UNICODE_EVERY = 20_000
#: Share of annotations placed to overlap another one.
OVERLAP_SHARE = 0.05
MIN_WORDS, MAX_WORDS = 3, 12

#: Non-ASCII lines: Urdu (RTL), emoji incl. ZWJ sequences, a flag, a keycap,
#: skin tones, combining accents (decomposed, so offsets differ from NFC),
#: CJK and astral math letters.
UNICODE_LINES = (
    "پاکستان کے وزیر دفاع خواجہ آصف نے کہا 👩\u200d👩\u200d👧 🇵🇰 Cafe\u0301 re\u0301sume\u0301 — 1,524 ہلاکتیں 📊",
    "Na\u0308ive co\u0302te\u0301 👨\u200d💻 🏳\ufe0f\u200d🌈 👍🏽 1\ufe0f\u20e3 افغان طالبان حکومت 中文 𝐀𝐁𝐂 e\u0301e\u0301e\u0301",
    "اسلام آباد 🧑\u200d🤝\u200d🧑 🇦🇫 🇵🇰 Zoe\u0308 A\u030a ngstro\u0308m — دہشت گرد حملے 789 👩🏾\u200d🔬",
)


def fnv1a64(text: str) -> str:
    """64-bit FNV-1a of the UTF-8 bytes of `text`, as 16 lower-case hex digits
    (the app's document id, ``annotator_core::model::doc_id_for``)."""
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def seed_paragraphs(seed_text: str) -> list[str]:
    """The seed article's paragraphs (blank-line separated), stripped."""
    return [p.strip() for p in seed_text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def build_text(target_bytes: int, seed: int, seed_text: str) -> str:
    """A text of about `target_bytes` UTF-8 bytes (a little over): numbered
    sections of 6-14 seed paragraphs each (seeded shuffle), paragraphs
    separated by blank lines, a non-ASCII line every ~20 KB."""
    rng = random.Random(f"text:{seed}:{target_bytes}")
    paras = seed_paragraphs(seed_text)
    out: list[str] = []
    size = 0
    next_unicode = UNICODE_EVERY
    section = 0
    unicode_n = 0
    while size < target_bytes:
        section += 1
        pick = rng.sample(paras, k=min(len(paras), rng.randint(6, 14)))
        words = pick[0].split()[: rng.randint(3, 7)]
        heading = f"Section {section}. " + " ".join(w.strip(",.\"'") for w in words)
        for block in [heading, *pick]:
            out.append(block)
            size += len(block.encode("utf-8")) + 2
            if size >= next_unicode:
                line = UNICODE_LINES[unicode_n % len(UNICODE_LINES)] + f" ({unicode_n + 1})"
                out.append(line)
                size += len(line.encode("utf-8")) + 2
                unicode_n += 1
                next_unicode += UNICODE_EVERY
            if size >= target_bytes:
                break
    return "\n\n".join(out) + "\n"


@dataclass
class Words:
    """Word boundaries of a text, in code points: word i is
    ``text[starts[i]:ends[i]]``; ``line[i]`` numbers the line it is on."""

    starts: list[int]
    ends: list[int]
    line: list[int]


def words_of(text: str) -> Words:
    starts, ends, line = [], [], []
    ln = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            if c == "\n":
                ln += 1
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        starts.append(i)
        ends.append(j)
        line.append(ln)
        i = j
    return Words(starts, ends, line)


def _span(w: Words, first: int, count: int) -> tuple[int, int] | None:
    """Word indices [first, last] of a run of `count` words starting at
    `first`, kept on one line (shortened, or moved back, when the line is
    too short); None if the line has fewer than MIN_WORDS words."""
    n = len(w.starts)
    first = max(0, min(first, n - 1))
    ln = w.line[first]
    lo = first
    while lo > 0 and w.line[lo - 1] == ln:
        lo -= 1
    hi = first
    while hi + 1 < n and w.line[hi + 1] == ln:
        hi += 1
    line_words = hi - lo + 1
    if line_words < MIN_WORDS:
        return None
    count = min(count, line_words)
    if first + count - 1 > hi:
        if hi - first + 1 >= MIN_WORDS:
            count = hi - first + 1  # shorten rather than move into the previous words
        else:
            first = hi - count + 1
    return first, first + count - 1


def build_annotations(text: str, words: Words, n: int, seed: int) -> tuple[list[dict], dict]:
    """`n` word-aligned annotations over `text` and statistics about them.

    Base annotations (95 %) are spread evenly: the word sequence is cut into
    equal chunks, one annotation of 3-12 words per chunk at a random offset,
    so they do not overlap as long as chunks are longer than 12 words. The
    other 5 % each start inside a base annotation and run past or stay
    inside it. Labels cycle claim, denial, statistic in text order."""
    rng = random.Random(f"ann:{seed}:{len(text)}:{n}")
    n_words = len(words.starts)
    n_overlap = round(n * OVERLAP_SHARE)
    n_base = n - n_overlap
    spans: set[tuple[int, int]] = set()
    base: list[tuple[int, int]] = []
    chunk = n_words / max(1, n_base)
    attempts = 0
    i = 0
    while len(base) < n_base and attempts < n_base * 20:
        attempts += 1
        lo = int(i * chunk) % n_words
        i += 1
        count = rng.randint(MIN_WORDS, MAX_WORDS)
        room = max(0, int(chunk) - count)
        sp = _span(words, lo + (rng.randint(0, room) if room else 0), count)
        if sp is None:
            continue
        cp = (words.starts[sp[0]], words.ends[sp[1]])
        if cp in spans:
            continue
        spans.add(cp)
        base.append(sp)
    extra: list[tuple[int, int]] = []
    attempts = 0
    while len(extra) < n_overlap and attempts < n_overlap * 50 + 50:
        attempts += 1
        host = base[rng.randrange(len(base))]
        host_len = host[1] - host[0] + 1
        first = host[0] + rng.randint(1, max(1, host_len - 1))
        sp = _span(words, first, rng.randint(MIN_WORDS, MAX_WORDS))
        if sp is None:
            continue
        cp = (words.starts[sp[0]], words.ends[sp[1]])
        if cp in spans:
            continue
        spans.add(cp)
        extra.append(sp)
    cps = sorted(spans, key=lambda s: (s[0], -s[1]))
    anns = []
    for k, (s, e) in enumerate(cps):
        stamp = f"2026-01-01T{(k // 3600) % 24:02d}:{(k // 60) % 60:02d}:{k % 60:02d}.000Z"
        anns.append(
            {
                "id": f"bench-{k + 1:06d}",
                "start": s,
                "end": e,
                "quote": text[s:e],
                "label": LABELS[k % 3],
                "note": "",
                "created": stamp,
                "modified": stamp,
            }
        )
    # Links: denial -> the claim just before it in text order, evenly spread.
    denials = [k for k in range(1, len(anns)) if anns[k]["label"] == "denial" and anns[k - 1]["label"] == "claim"]
    n_links = min(len(anns) // ANNOTATIONS_PER_LINK, len(denials))
    step = len(denials) / n_links if n_links else 0
    for j in range(n_links):
        k = denials[int(j * step)]
        anns[k]["links"] = [{"to": anns[k - 1]["id"], "type": "denies"}]
    stats = overlap_stats(cps)
    stats["placed_to_overlap"] = len(extra)
    stats["links"] = n_links
    return anns, stats


def overlap_stats(spans: list[tuple[int, int]]) -> dict:
    """How many spans overlap at least one other, and the deepest nesting."""
    ordered = sorted(spans)
    overlapping = [False] * len(ordered)
    max_end, max_i = -1, -1
    for i, (s, e) in enumerate(ordered):
        if s < max_end:
            overlapping[i] = True
            overlapping[max_i] = True
        if e > max_end:
            max_end, max_i = e, i
    # depth: sweep over boundaries
    events = sorted([(s, 1) for s, _ in ordered] + [(e, -1) for _, e in ordered])
    depth = best = 0
    for _, d in events:
        depth += d
        best = max(best, depth)
    n = len(ordered)
    return {
        "overlapping": sum(overlapping),
        "overlapping_share": round(sum(overlapping) / n, 4) if n else 0.0,
        "max_depth": best,
    }


def native_file(text: str, title: str, name: str, anns: list[dict]) -> dict:
    """The app's native annotation file for `text` with `anns`."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "offset_unit": "unicode code points, end exclusive",
        "document": {"id": fnv1a64(text), "title": title, "name": name, "length": len(text), "text": text},
        "annotations": anns,
    }


def check_file(data: dict) -> None:
    """Asserts the invariants the app's importer checks (cheap self-test)."""
    text = data["document"]["text"]
    assert data["document"]["length"] == len(text)
    assert data["document"]["id"] == fnv1a64(text)
    ids = set()
    for a in data["annotations"]:
        assert a["id"] not in ids, a["id"]
        ids.add(a["id"])
        assert 0 <= a["start"] < a["end"] <= len(text), a
        assert text[a["start"] : a["end"]] == a["quote"], a
        assert a["label"] in LABELS
        n_words = len(a["quote"].split())
        assert MIN_WORDS <= n_words <= MAX_WORDS, (n_words, a)
    for a in data["annotations"]:
        for link in a.get("links", []):
            assert link["to"] in ids and link["to"] != a["id"] and link["type"] == "denies", (a["id"], link)


def generate(out_dir: Path, seed: int = 1, sizes=("seed", "50k", "1m", "5m"), counts=COUNTS, quiet=False) -> dict:
    """Writes every workload into `out_dir` and returns the manifest. Size
    ``seed`` is the default article exactly (doc id of the app's own text),
    with [`SEED_COUNT`] annotations."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(SEED_ARTICLE, encoding="utf-8", newline="") as f:
        seed_text = f.read()
    manifest = {"seed": seed, "generator": "bench/workload.py", "texts": {}, "annotations": {}}
    for size in sizes:
        if size == "seed":
            text, name, title = seed_text, "seed-article", "Seed article"
        else:
            text = build_text(SIZES[size], seed, seed_text)
            name = f"text-{size}"
            title = f"Benchmark text {size} (seed {seed})"
        raw = text.encode("utf-8")
        (out_dir / f"{name}.txt").write_bytes(raw)
        words = words_of(text)
        manifest["texts"][size] = {
            "file": f"{name}.txt",
            "title": title,
            "name": name,
            "doc_id": fnv1a64(text),
            "bytes": len(raw),
            "code_points": len(text),
            "utf16_units": len(text.encode("utf-16-le")) // 2,
            "paragraphs": text.count("\n\n") + 1,
            "words": len(words.starts),
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
        for n in [SEED_COUNT] if size == "seed" else counts:
            anns, stats = build_annotations(text, words, n, seed)
            data = native_file(text, title, name, anns)
            check_file(data)
            fname = f"ann-{size}-{n}.annotations.json"
            blob = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
            (out_dir / fname).write_bytes(blob)
            manifest["annotations"][f"{size}/{n}"] = {
                "file": fname,
                "text": size,
                "count": len(anns),
                "bytes": len(blob),
                **stats,
                "sha256": hashlib.sha256(blob).hexdigest(),
            }
            if not quiet:
                print(
                    f"  {fname}: {len(anns)} annotations, {stats['overlapping_share']:.1%} overlapping, "
                    f"max depth {stats['max_depth']}, {len(blob) / 1e6:.1f} MB",
                    file=sys.stderr,
                )
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sizes", default="seed,50k,1m,5m", help="comma list of seed," + ",".join(SIZES))
    ap.add_argument("--counts", default=",".join(map(str, COUNTS)))
    args = ap.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    bad = [s for s in sizes if s not in SIZES and s != "seed"]
    if bad:
        ap.error(f"unknown sizes {bad}")
    counts = [int(c) for c in args.counts.split(",") if c]
    generate(args.out_dir, args.seed, sizes, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
