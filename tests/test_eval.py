"""The eval harness: gold checks, ranx metrics, and the accuracy floor on the test split."""

from __future__ import annotations

import hashlib

import pytest

from assistant.answer import Answer, Citation
from assistant.assistant import Assistant
from assistant.evaluate import Question, Result, check, load_questions, retrieval_metrics, run_eval, summarize
from assistant.facts import Fact
from assistant.render import Derived

from .conftest import ROOT

QUESTIONS = ROOT / "eval" / "questions.jsonl"

# Floors on the splits never tuned on, measured with `assistant eval --split test|holdout`.
# test (147 questions, batches 1-3): 2026-11-23 0.782 / 0.737 / 0.757; 2026-11-24 0.900 / 0.875 / 0.946, R@5 0.987;
# later that day 0.909 / 0.900 / 0.973, R@5 0.987.
# holdout, batch 4 (410 questions written blind): 2026-11-24 first measurement 0.831 / 0.785 / 0.753;
# then 0.837 / 0.789 / 0.773; then 0.837 / 0.804 / 0.845, R@5 0.948.
# holdout grown to 806 with the blind batches 6 and 7 (2026-11-24, later session): 0.880 / 0.884 / 0.915,
# R@5 0.979 (batch 4 part 0.872 / 0.878 / 0.887).
# holdout grown to 1,252 with the blind batch 8 (2026-11-24, third session): 0.880 / 0.893 / 0.915 before any change
# that session, 0.893 / 0.901 / 0.926, R@5 0.981 after.
# holdout grown to 1,603 and then 1,991 with the blind batches 9 and 10 (2026-11-24, fourth session): 0.892 / 0.898 /
# 0.935 and 0.897 / 0.913 / 0.940 before that session's changes reached them, 0.897 / 0.913 / 0.941, R@5 0.981 after.
# test the same session: 0.918 / 0.902 / 1.000, R@5 0.987.
# holdout grown to 2,377 with the blind batch 11 (2026-11-24, fifth session): 0.905 / 0.917 / 0.938 when it was added
# (batch 11's half 0.939 / 0.943 / 0.917, measured before any change to it), 0.905 / 0.917 / 0.943, R@5 0.982 after
# (the 1,991 questions of before 0.899 / 0.912 / 0.947); test unchanged. The floors below are for the 2,377.
# (fact accuracy / abstention precision / recall)
# 2026-12-08 (answer stage restructured, frame, confidence and policy; three outcomes): holdout 0.905 / 0.915 / 0.943,
# R@5 0.982, correct / wrong / declined 0.916 / 0.059 / 0.025; test 0.918 / 0.902 / 1.000, 0.939 / 0.034 / 0.027.
# Raise them when the assistant improves; never lower them to pass. Wrong-rate ceilings: lower them when it improves.
FLOORS = {
    "test": {"fact_accuracy": 0.915, "abstention_precision": 0.90, "abstention_recall": 0.99, "hybrid_recall@5": 0.98,
             "correct": 0.938},
    "holdout": {"fact_accuracy": 0.90, "abstention_precision": 0.915, "abstention_recall": 0.94, "hybrid_recall@5": 0.98,
                "correct": 0.915},
}
WRONG_CEILINGS = {"test": 0.035, "holdout": 0.059}


def _q(**kw) -> Question:
    base = dict(id="x", split="dev", lang="ja", kind="amount", question="q", relevant={}, expect={}, abstain=False)
    return Question(**{**base, **kw})


def _fact(**kw) -> Fact:
    base = dict(id="f", program_id="p", document_id="fy2025", fiscal_year=2025, kind="budget", value="16,884千円")
    return Fact(**{**base, **kw})


def test_question_set_shape():
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 150
    assert sum(q.abstain for q in questions) / len(questions) >= 0.2
    assert len({q.dialog for q in questions if q.dialog}) >= 15
    assert {q.split for q in questions} == {"dev", "test", "holdout"}
    assert {q.lang for q in questions} == {"ja", "en"}


def _split_of(key: str) -> str:
    """The split rule written down in eval/README.md (by hash of the question or dialog id)."""
    h, n = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16), int(key[1:])
    small, batch4_end, batch6 = (400, 2000, (3000, 9000)) if key[0] == "q" else (40, 200, (300, 900))
    if n < small:
        return "test" if h % 3 == 0 else "dev"
    if n < batch4_end or batch6[0] <= n < batch6[1]:
        return "holdout" if h % 2 == 0 else "dev"
    return "dev"


def test_every_line_is_in_the_split_its_id_hashes_to():
    # A line moved to dev by hand (to tune on it) would break the unseen splits' purpose.
    wrong = [q.id for q in load_questions(QUESTIONS) if q.split != _split_of(q.dialog or q.id)]
    assert wrong == []


def test_malformed_question_line_names_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "question": "x"}\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"q.jsonl:2"):
        load_questions(path)


def test_check_requires_figures_in_text_and_facts():
    q = _q(expect={"amounts": [16884], "ratios": ["1/2"]})
    good = Answer("q", "16,884千円、補助率 1/2", False, "amount",
                  facts=(_fact(amount=16884), _fact(kind="subsidy_rate", value="1/2")))
    assert check(q, good) == []
    text_only = Answer("q", "16,884千円、補助率 1/2", False, "amount")
    assert check(q, text_only) == ["amount 16884 not in facts", "ratio 1/2 not in facts"]
    assert check(q, Answer("q", "x", True, "amount")) == ["abstained"]
    assert check(_q(abstain=True), Answer("q", "x", True, "amount")) == []
    assert check(_q(abstain=True), good) == ["answered where the documents say nothing"]


def test_check_accepts_a_derived_percentage_gap():
    q = _q(kind="survey", expect={"percents": [70.7, 24.2]})
    facts = (_fact(kind="survey", value="70.7%", percent=70.7),)
    gap = Answer("q", "70.7% … 24.2ポイント", False, "survey", facts=facts,
                 derived=(Derived("difference", "24.2", ("70.7", "46.5")),))
    assert check(q, gap) == []
    assert check(q, Answer("q", "70.7% … 24.2ポイント", False, "survey", facts=facts)) == ["24.2% not in facts"]


def test_check_count_needs_a_derived_count():
    q = _q(kind="count", expect={"count": 11})
    assert check(q, Answer("q", "11件です", False, "count", derived=(Derived("count", "11", ("a",) * 11),))) == []
    assert check(q, Answer("q", "11件です", False, "count")) == ["count 11 not given"]


def _result(qid, relevant, run) -> Result:
    answer = Answer("q", "", False, "amount", citations=(Citation("d", "t", 1, 1, ""),))
    r = Result(_q(id=qid, relevant=relevant), answer, 0.01, [], [])
    r.runs = {"bm25": run, "dense": run, "hybrid": run}
    return r


def test_retrieval_metrics_hand_values():
    results = [
        _result("a", {"x": 2, "y": 1}, {"y": 3.0, "x": 2.0}),  # asked-about program second
        _result("b", {"z": 2}, {"z": 3.0}),  # first
    ]
    m = retrieval_metrics(results)["hybrid"]
    assert m["recall@1-l2"] == 0.5  # (0 + 1) / 2
    assert m["recall@5-l2"] == 1.0
    assert m["mrr@10-l2"] == 0.75  # (1/2 + 1) / 2
    assert m["questions"] == 2


def test_summary_abstention_precision_recall():
    def res(gold, said):
        return Result(_q(abstain=gold), Answer("q", "", said, "amount"), 0.1, [] if gold == said else ["x"], [])
    s = summarize([res(True, True), res(True, False), res(False, True), res(False, False)])
    assert (s["abstention_precision"], s["abstention_recall"]) == (0.5, 0.5)
    assert s["fact_accuracy"] == 0.5


@pytest.fixture(scope="module")
def assistant(composer) -> Assistant:
    return Assistant(composer)


@pytest.mark.parametrize("split", ["test", "holdout"])
def test_unseen_split_meets_the_floor(assistant, split):
    floors = FLOORS[split]
    results = run_eval(assistant, load_questions(QUESTIONS, split), progress=False)
    s = summarize(results)
    assert s["grounding"] == 1.0
    assert s["fact_accuracy"] >= floors["fact_accuracy"]
    assert s["abstention_precision"] >= floors["abstention_precision"]
    assert s["abstention_recall"] >= floors["abstention_recall"]
    assert set(s["retrieval"]) == {"bm25", "dense", "hybrid", "assistant"}
    assert s["retrieval"]["hybrid"]["recall@5-l2"] >= floors["hybrid_recall@5"]
    outcomes = s["outcomes"]["overall"]
    assert outcomes["correct"] >= floors["correct"]
    assert outcomes["wrong"] <= WRONG_CEILINGS[split]
    assert round(outcomes["correct"] + outcomes["wrong"] + outcomes["declined"], 3) == 1.0
