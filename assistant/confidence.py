"""Confidence: how likely an answer is right, from its frame's evidence — a small logistic model fitted on dev.

The features say how the program was found (named, from the chat, retrieved and by what
margin, whether BM25 and dense agree), how much of the question the program's text covers,
and what was asked. The weights live in ``data/confidence.json``, written by
``assistant eval --split dev --calibrate`` (never from test or holdout); answering needs no
scikit-learn, only the stored weights.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .frame import Frame
from .lexicon import DATA_DIR

HOW = ("named", "chat", "stated", "retrieved", "set", "none")
KINDS = ("amount", "ratio", "cap", "criterion", "target", "period", "method", "survey", "content", "theme", "new",
         "count", "total", "change", "subsidy_rate", "budget")
# The answer kinds as the intent model's labels (the eval's kinds).
LABEL = {"budget": "amount", "subsidy_rate": "ratio", "base_amount": "cap", "criterion": "cap", "schedule": "period",
         "scheme": "method"}
# A wrong answer costs the user this many times what a declined answerable question costs:
# the threshold maximizes correct - COST_OF_WRONG * wrong on dev.
COST_OF_WRONG = 3.0


def features(frame: Frame) -> dict[str, float]:
    """The frame's evidence as numbers in [0, 1]."""
    first = frame.programs[0] if frame.programs else None
    how = first.how if first else "none"
    f = {f"how={h}": float(how == h) for h in HOW}
    f["margin"] = first.margin if first is not None and first.margin is not None else 0.0
    f["agree"] = float(bool(first and first.agree))
    cov = first.coverage if first is not None else None
    f["coverage"] = cov if cov is not None else 1.0
    f["coverage_none"] = float(cov == 0.0)
    f["coverage_low"] = float(cov is not None and cov < 0.5)
    f["unknown"] = min(len(frame.unknown), 4) / 4
    f["topic"] = min(len(frame.topic), 8) / 8
    f["english"] = float(frame.language == "en")
    f.update({f"kind={k}": float(frame.kind == k) for k in KINDS})
    f["intents"] = min(len(frame.intents), 4) / 4
    f["no_intent"] = float(not frame.intents)
    f["follow_up"] = float(frame.follow_up)
    f["programs"] = min(len(frame.programs), 6) / 6
    f["years_asked"] = float(frame.years_how == "asked")
    f["length"] = min(frame.chars, 200) / 200
    # What the learned intent model reads, where there is one: how likely the kind answered, and "not answerable".
    f["has_model"] = float(bool(frame.model))
    f["p_kind"] = frame.model_p(LABEL.get(frame.kind, frame.kind))
    f["p_abstain"] = frame.model_p("abstain")
    f["model_agrees"] = float(bool(frame.model) and frame.model[0][0] == LABEL.get(frame.kind, frame.kind))
    return f


@dataclass(frozen=True)
class Scorer:
    """A fitted logistic model over ``features``, with the threshold under which an answer is not given."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def __call__(self, frame: Frame) -> float:
        x = features(frame)
        z = self.bias + sum(w * x.get(name, 0.0) for name, w in self.weights.items())
        return round(1.0 / (1.0 + math.exp(-z)), 4)

    @classmethod
    def load(cls, with_model: bool = True, path: Path | None = None) -> Scorer | None:
        """The stored model — the variant fitted with or without the intent model's features — or None when
        there is none yet (then every answer is given, unscored)."""
        path = path or DATA_DIR / "confidence.json"
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data.get("with_model" if with_model else "without_model", data)
        return cls(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))


def best_threshold(probs: list[float], correct: list[bool], cost: float = COST_OF_WRONG) -> float:
    """The threshold (on a 0.05 grid) that maximizes correct - cost * wrong over answered questions."""
    best, best_t = None, 0.0
    for step in range(0, 20):
        t = step / 20
        kept = [c for p, c in zip(probs, correct) if p >= t]
        utility = sum(kept) - cost * (len(kept) - sum(kept))
        if best is None or utility > best:
            best, best_t = utility, t
    return best_t


def fit(frames: list[Frame], correct: list[bool], seed: int = 0) -> tuple[dict, list[float]]:
    """Fit on answered dev questions; the threshold is chosen on 5-fold out-of-fold probabilities.

    Returns the model as stored and the out-of-fold probabilities (for the calibration report).
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows = [features(f) for f in frames]
    names = sorted(rows[0])
    x = np.array([[row[n] for n in names] for row in rows], dtype=float)
    y = np.array(correct, dtype=int)
    model = LogisticRegression(C=1.0, max_iter=2000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    oof = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1].tolist()
    model.fit(x, y)
    threshold = best_threshold(oof, correct)
    stored = {"weights": {n: round(float(w), 6) for n, w in zip(names, model.coef_[0])},
              "bias": round(float(model.intercept_[0]), 6), "threshold": threshold,
              "trained_on": {"answered": len(frames), "correct": int(y.sum()), "cost_of_wrong": COST_OF_WRONG}}
    return stored, oof
