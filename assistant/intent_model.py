"""Intent model: a learned, probabilistic reading of what a question asks, beside the rule cues.

Logistic regression over character n-grams of the folded question (Snips' probabilistic
parser beside its deterministic one), with an ``abstain`` class for what the documents do not
answer (Snips' None intent). Trained only on the intents' example questions and the eval's
**dev** split — never test or holdout — and cached under the cache folder by the hash of
its inputs, like the index: deterministic, rebuilt when the data changes, no network.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .normalize import canonical

VERSION = 1
SEED = 0


def training_rows(questions_path: Path, intents) -> list[tuple[str, str]]:
    """(text, label) rows: the intents' examples, then dev questions labelled with their gold kind."""
    rows = [(q, i.name) for i in intents for q in i.examples]
    for line in questions_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        if data.get("split") == "dev" and data.get("question") and data.get("kind"):
            rows.append((data["question"], data["kind"]))
    return rows


def inputs_hash(rows: list[tuple[str, str]]) -> str:
    blob = json.dumps([VERSION, rows], ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    # Character n-grams need no tokenizer and read Japanese and English alike; sublinear tf keeps a
    # repeated character from dominating.
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True, lowercase=True)
    return make_pipeline(vectorizer, LogisticRegression(C=10.0, max_iter=1000, tol=1e-3, random_state=SEED))


class IntentModel:
    """Probabilities over the answer kinds (and ``abstain``) for a question's text."""

    def __init__(self, pipeline):
        self.pipeline = pipeline
        self.labels = tuple(str(c) for c in pipeline.classes_)

    def probabilities(self, text: str) -> dict[str, float]:
        probs = self.pipeline.predict_proba([canonical(text)])[0]
        return {label: round(float(p), 4) for label, p in zip(self.labels, probs)}

    @classmethod
    def train(cls, rows: list[tuple[str, str]]) -> IntentModel:
        pipeline = _pipeline()
        pipeline.fit([canonical(t) for t, _ in rows], [label for _, label in rows])
        return cls(pipeline)

    @classmethod
    def load_or_train(cls, rows: list[tuple[str, str]], cache_dir: Path) -> IntentModel:
        """The cached model for these rows, trained and written atomically when missing or stale."""
        import joblib

        path = cache_dir / "intent-model" / f"{inputs_hash(rows)}.joblib"
        if path.exists():
            try:
                return cls(joblib.load(path))
            except Exception:  # a truncated or foreign file: retrain rather than fail the answer
                path.unlink(missing_ok=True)
        model = cls.train(rows)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump(model.pipeline, tmp)
        tmp.replace(path)
        for old in path.parent.glob("*.joblib"):
            if old != path:
                old.unlink(missing_ok=True)
        return model


def out_of_fold(rows: list[tuple[str, str]], texts: list[str], folds: int = 5) -> list[dict[str, float]]:
    """Probabilities for ``texts`` (dev questions among ``rows``) from models that did not see them.

    The confidence is fitted on these, so that it learns how the model does on unseen questions.
    """
    import zlib

    fold_of = {t: zlib.crc32(t.encode("utf-8")) % folds for t in texts}
    out: dict[str, dict[str, float]] = {}
    for k in range(folds):
        train = [(t, label) for t, label in rows if fold_of.get(t) != k]
        model = IntentModel.train(train)
        for t in texts:
            if fold_of[t] == k:
                out[t] = model.probabilities(t)
    return [out[t] for t in texts]
