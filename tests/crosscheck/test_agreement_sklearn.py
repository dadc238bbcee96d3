"""Cross-check of the agreement figures (core/src/agreement) with scikit-learn.

For random pairs of files (fixed seeds) the Rust example `agreement_pairs`
prints the labels of the matched pairs and of the unmatched units, and the
overall figures. We check:

* Cohen's kappa against `sklearn.metrics.cohen_kappa_score(y_mine, y_theirs)`
  on the labels of the matched pairs (our None = sklearn's NaN, when every pair
  has one and the same label on both sides);
* the overlap precision, recall and F1 against scikit-learn's micro averages.
  Align every matched pair (mine label, theirs label), every unit only in mine
  as (label, "none") and every unit only in theirs as ("none", label); with
  y_true = theirs (the reference), y_pred = mine and labels = the three real
  labels (so "none" is never a class of its own), micro-averaging gives
  TP = pairs with the same label = tp, TP + FP = every non-"none" prediction =
  |mine| and TP + FN = every non-"none" truth = |theirs|. So micro precision =
  tp/|mine|, recall = tp/|theirs| and F1 = 2tp/(|mine| + |theirs|): exactly our
  overlap figures, which this test verifies numerically.

Run: python3 -m pytest -q tests/crosscheck
"""

import json
import math
import random
import subprocess
import warnings
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

ROOT = Path(__file__).resolve().parents[2]
LABELS = ["claim", "denial", "statistic"]


def run(tmp_path, mine, theirs, text_len):
    (tmp_path / "mine.json").write_text(json.dumps(mine))
    (tmp_path / "theirs.json").write_text(json.dumps(theirs))
    out = subprocess.run(
        ["cargo", "run", "-q", "-p", "annotator-core", "--example", "agreement_pairs", "--",
         str(tmp_path / "mine.json"), str(tmp_path / "theirs.json"), str(text_len)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


def unit(start, length, label):
    return {"start": start, "end": start + length, "label": label}


def independent(rng, text_len):
    """Two unrelated files: few pairs, many unmatched units."""
    def one():
        n = rng.randint(0, 30)
        return [unit(rng.randrange(text_len - 60), rng.randint(1, 60), rng.choice(LABELS)) for _ in range(n)]
    return one(), one()


def related(rng, text_len):
    """Theirs made from mine: boundaries moved, labels sometimes changed, units
    dropped and added, so there are many pairs and kappa means something."""
    mine = [unit(rng.randrange(text_len - 60), rng.randint(1, 60), rng.choice(LABELS[:2] if rng.random() < 0.5 else LABELS))
            for _ in range(rng.randint(5, 40))]
    theirs = []
    for u in mine:
        if rng.random() < 0.15:
            continue
        start = max(0, u["start"] + rng.randint(-5, 5)) if rng.random() < 0.5 else u["start"]
        end = max(start + 1, u["end"] + rng.randint(-5, 5)) if rng.random() < 0.5 else max(start + 1, u["end"])
        label = rng.choice(LABELS) if rng.random() < 0.3 else u["label"]
        theirs.append({"start": start, "end": end, "label": label})
    theirs += [unit(rng.randrange(text_len - 60), rng.randint(1, 60), rng.choice(LABELS)) for _ in range(rng.randint(0, 5))]
    rng.shuffle(theirs)
    return mine, theirs


CASES = [("independent", s) for s in range(8)] + [("related", s) for s in range(12)]


@pytest.mark.parametrize("kind,seed", CASES)
def test_kappa_and_overlap_f1_agree_with_sklearn(tmp_path, kind, seed):
    rng = random.Random(seed)
    text_len = 1000
    mine, theirs = (independent if kind == "independent" else related)(rng, text_len)
    out = run(tmp_path, mine, theirs, text_len)
    fig, counts = out["figures"], out["figures"]["counts"]
    y_mine, y_theirs = out["y_mine"], out["y_theirs"]

    # The example's output accounts for every unit once.
    assert len(y_mine) + len(out["only_mine"]) == len(mine) == counts["mine_total"]
    assert len(y_theirs) + len(out["only_theirs"]) == len(theirs) == counts["theirs_total"]
    tp = counts["exact"] + counts["overlap"]
    assert tp == sum(a == b for a, b in zip(y_mine, y_theirs))

    # Cohen's kappa on the matched pairs' labels.
    if not y_mine:
        assert fig["kappa"] is None
    else:
        with warnings.catch_warnings():  # sklearn warns when it returns NaN (one label only)
            warnings.simplefilter("ignore")
            expected = cohen_kappa_score(y_mine, y_theirs)
        if math.isnan(expected):
            assert fig["kappa"] is None
        else:
            assert fig["kappa"] == pytest.approx(expected, abs=1e-12)

    # Overlap P/R/F1 = micro averages over the aligned vectors (see the module doc).
    y_pred = y_mine + out["only_mine"] + ["none"] * len(out["only_theirs"])
    y_true = y_theirs + ["none"] * len(out["only_mine"]) + out["only_theirs"]
    if not y_true:
        assert fig["f1_overlap"] is None
        return
    micro = dict(labels=LABELS, average="micro", zero_division=0)
    assert fig["f1_overlap"] == pytest.approx(f1_score(y_true, y_pred, **micro), abs=1e-12)
    assert fig["f1_overlap"] == pytest.approx(2 * tp / (len(mine) + len(theirs)), abs=1e-12)
    if mine:
        assert fig["precision_overlap"] == pytest.approx(precision_score(y_true, y_pred, **micro), abs=1e-12)
    else:
        assert fig["precision_overlap"] is None
    if theirs:
        assert fig["recall_overlap"] == pytest.approx(recall_score(y_true, y_pred, **micro), abs=1e-12)
    else:
        assert fig["recall_overlap"] is None


def test_some_cases_have_a_nontrivial_kappa(tmp_path):
    """Guard against a generator that never exercises kappa."""
    rng = random.Random(3)
    mine, theirs = related(rng, 1000)
    out = run(tmp_path, mine, theirs, 1000)
    assert out["figures"]["kappa"] is not None and 0.0 < out["figures"]["kappa"] < 1.0


def test_one_label_everywhere_is_nan_in_sklearn_and_none_here(tmp_path):
    mine = [unit(0, 10, "claim"), unit(20, 10, "claim")]
    theirs = [unit(2, 8, "claim"), unit(20, 8, "claim")]
    out = run(tmp_path, mine, theirs, 100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(cohen_kappa_score(out["y_mine"], out["y_theirs"]))
    assert out["figures"]["kappa"] is None
    assert out["figures"]["f1_overlap"] == 1.0 and out["figures"]["f1_exact"] == 0.0
