"""The shared corpus (emoji, ZWJ sequences, flags, combining marks, Urdu RTL, CRLF): open
each text, tag every expected span by selecting it, reload, export, and check that every
exported annotation has exactly the corpus offsets and text[start:end] == quote in code points."""

import json
from pathlib import Path

from test_documents import open_text_file

CORPUS = Path(__file__).resolve().parents[1] / "fixtures"


def test_corpus_spans_export_with_exact_code_point_offsets(app):
    for name in ("unicode-mixed.txt", "unicode-mixed-crlf.txt"):
        raw = (CORPUS / name).read_bytes().decode("utf-8")
        exp = json.loads((CORPUS / name.replace(".txt", ".expected.json")).read_text(encoding="utf-8"))
        open_text_file(app, CORPUS / name, raw)
        labels = ["claim", "denial", "statistic"]
        for k, s in enumerate(exp["spans"]):
            app.tag(s["quote"], labels[k % 3])
        app.reload()
        app.wait(lambda: len(app.items()) == len(exp["spans"]), "annotations back after reload")
        for f in app.download_dir.iterdir():
            f.unlink()
        app.click_button("Export")
        def done():
            fs = [f for f in app.download_dir.iterdir() if f.name.endswith(".annotations.json")]
            try:
                return json.loads(fs[0].read_text(encoding="utf-8")) if fs else False
            except ValueError:
                return False
        data = app.wait(done, "export", timeout=20)
        cps = list(raw)
        got = sorted((a["start"], a["end"], a["quote"]) for a in data["annotations"])
        want = sorted((s["start"], s["end"], s["quote"]) for s in exp["spans"])
        for a in data["annotations"]:
            assert "".join(cps[a["start"]:a["end"]]) == a["quote"], a
        assert got == want, (got, want)
