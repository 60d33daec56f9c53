"""The learned intent model: trains on given rows, caches by their hash, retrains when they change."""

from __future__ import annotations

import json

from assistant.intent_model import IntentModel, inputs_hash, out_of_fold, training_rows
from assistant.intents import INTENTS

ROWS = [("ACP推進事業の予算はいくら", "amount"), ("研修の予算はいくら", "amount"), ("予算額を教えて", "amount"),
        ("補助率は何分の何", "ratio"), ("補助率を教えて", "ratio"), ("研修の補助率は", "ratio"),
        ("がん検診の予算", "abstain"), ("保育園の補助", "abstain"), ("がん検診はある", "abstain")] * 2


def test_model_reads_the_trained_kinds():
    model = IntentModel.train(ROWS)
    assert set(model.labels) == {"amount", "ratio", "abstain"}
    p = model.probabilities("防犯機器の予算はいくら")
    assert max(p, key=p.get) == "amount" and abs(sum(p.values()) - 1) < 1e-3
    assert max(model.probabilities("補助率は"), key=model.probabilities("補助率は").get) == "ratio"


def test_cache_is_keyed_by_the_inputs(tmp_path):
    first = IntentModel.load_or_train(ROWS, tmp_path)
    files = list((tmp_path / "intent-model").glob("*.joblib"))
    assert [f.stem for f in files] == [inputs_hash(ROWS)]
    again = IntentModel.load_or_train(ROWS, tmp_path)
    assert again.probabilities("予算は") == first.probabilities("予算は")
    changed = ROWS + [("いつまで", "period"), ("実施期間は", "period")]
    IntentModel.load_or_train(changed, tmp_path)
    assert [f.stem for f in (tmp_path / "intent-model").glob("*.joblib")] == [inputs_hash(changed)]  # stale one gone
    (tmp_path / "intent-model" / f"{inputs_hash(changed)}.joblib").write_bytes(b"not a model")
    assert "period" in IntentModel.load_or_train(changed, tmp_path).labels  # a corrupt cache is retrained


def test_training_rows_take_dev_only(tmp_path):
    path = tmp_path / "q.jsonl"
    lines = [{"split": "dev", "question": "予算は", "kind": "amount"}, {"split": "holdout", "question": "秘密", "kind": "ratio"},
             {"split": "test", "question": "非公開", "kind": "ratio"}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    rows = training_rows(path, INTENTS)
    assert ("予算は", "amount") in rows and not any(t in ("秘密", "非公開") for t, _ in rows)
    assert len(rows) == 1 + sum(len(i.examples) for i in INTENTS)


def test_out_of_fold_never_sees_the_question():
    texts = [t for t, _ in ROWS[:9]]
    probs = out_of_fold(ROWS, texts, folds=3)
    assert len(probs) == 9 and all(abs(sum(p.values()) - 1) < 1e-3 for p in probs)
