"""The frame, the confidence model, the answer-or-ask policy and the three outcomes: hand values and real answers."""

from __future__ import annotations

import json

import pytest

from assistant.answer import Draft
from assistant.assistant import Assistant
from assistant.compose import Composer
from assistant.confidence import Scorer, best_threshold, features
from assistant.frame import Frame, IntentScore, ProgramPick, coverage
from assistant.outcomes import Scored, calibration, outcome, rates, risk_coverage
from assistant.phrases import read_messages


def _frame(**kw) -> Frame:
    base = dict(language="ja", intents=(IntentScore("amount", 1.0, "rule"),), attribute="budget", aggregation="none",
                programs=(ProgramPick("p", "P", "retrieved", 0.03, 0.5, True, 1.0),), years=(2025,), years_how="latest",
                constraints=(), scope_issue=None, follow_up=False, topic=("ACP",), unknown=(), kind="amount",
                declined=False, chars=20)
    return Frame(**{**base, **kw})


def test_outcome_of_each_case():
    assert outcome(Scored("amount", False, False, True, None)) == "correct"
    assert outcome(Scored("amount", False, False, False, None)) == "wrong"
    assert outcome(Scored("amount", False, True, False, None)) == "declined"
    assert outcome(Scored("abstain", True, True, True, None)) == "correct"  # declined where gold is silent
    assert outcome(Scored("abstain", True, False, False, None)) == "wrong"  # answered where gold is silent


def test_rates_and_risk_coverage_hand_values():
    scored = [Scored("amount", False, False, True, 0.9), Scored("amount", False, False, False, 0.2),
              Scored("abstain", True, True, True, None), Scored("ratio", False, True, False, None)]
    r = rates(scored)["overall"]
    assert (r["correct"], r["wrong"], r["declined"]) == (0.5, 0.25, 0.25)
    rows = {row["threshold"]: row for row in risk_coverage(scored)}
    assert rows[0.0]["wrong"] == 0.25 and rows[0.0]["answered"] == 0.5
    # at 0.3 the wrong answer (0.2) is withheld: it becomes declined, the right one (0.9) stays
    assert (rows[0.3]["correct"], rows[0.3]["wrong"], rows[0.3]["declined"], rows[0.3]["answered"]) == (0.5, 0.0, 0.5, 0.25)
    cal = calibration(scored)
    assert cal["answered"] == 2 and cal["ece"] == round(0.5 * 0.2 + 0.5 * 0.1, 4)  # |0.2-0| and |0.9-1|


def test_best_threshold_weighs_a_wrong_answer_three_times():
    # keeping 0.4 adds one right and one wrong: worth it at cost 1, not at cost 3
    probs, right = [0.9, 0.9, 0.4, 0.4], [True, True, True, False]
    assert best_threshold(probs, right, cost=3.0) == 0.45
    assert best_threshold(probs, right, cost=1.0) == 0.0


def test_scorer_is_a_logistic_of_the_features():
    scorer = Scorer({"coverage": 2.0, "how=retrieved": -1.0}, 0.0, 0.5)
    assert scorer(_frame()) == round(1 / (1 + 2.718281828459045 ** -1.0), 4)  # 2*1.0 - 1
    low = _frame(programs=(ProgramPick("p", "P", "retrieved", 0.03, 0.0, False, 0.0),))
    assert scorer(low) == 0.2689 and features(low)["coverage_none"] == 1.0


def test_coverage_counts_topic_words_in_the_program_text():
    assert coverage(("ACP", "普及", "災害", "x"), "ACP推進事業 普及啓発") == 0.6667  # x: one character, not counted
    assert coverage((), "anything") is None


def test_stored_model_loads(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"weights": {"agree": 1.5}, "bias": -0.5, "threshold": 0.4}), encoding="utf-8")
    scorer = Scorer.load(path=path)
    assert scorer.threshold == 0.4 and scorer(_frame()) == round(1 / (1 + 2.718281828459045 ** -1.0), 4)
    assert Scorer.load(path=tmp_path / "none.json") is None


def test_messages_must_exist_in_both_languages(tmp_path):
    from assistant.lexicon import LexiconError

    path = tmp_path / "m.toml"
    path.write_text('[ja]\na = "x {n}"\nb = "y"\n[en]\na = "x"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="not in both languages"):
        read_messages(path)
    path.write_text('[ja]\na = "x {n}"\n[en]\na = "x"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="different placeholders"):
        read_messages(path)


@pytest.fixture(scope="module")
def assistant(composer) -> Assistant:
    return Assistant(composer)


@pytest.mark.parametrize("question", ["ああああ", "12345", "😀😀😀", "\x01\x02\x03", "？？？"])
def test_meaningless_input_is_declined(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.programs and not answer.facts
    assert answer.frame.scope_issue == "no-content" and "読み取れませんでした" in answer.text


@pytest.mark.parametrize(("question", "english"), [("その補助率は？", False), ("What is its budget?", True),
                                                   ("この事業の対象は？", False)])
def test_first_turn_follow_up_asks_what_it_refers_to(assistant, question, english):
    answer = assistant.ask(question)
    assert answer.abstained and answer.clarify is not None and not answer.facts
    assert answer.frame.scope_issue == "no-referent"
    assert ("program" in answer.text) == english and answer.to_json()["clarify"]["question"] == answer.text


def test_the_same_follow_up_after_a_turn_answers(assistant):
    answer = assistant.ask("その補助率は？", history=["入退院時連携支援事業の予算は？"])
    assert not answer.abstained and "1/2または3/4" in answer.text
    assert answer.frame.programs[0].how == "chat"


def test_a_named_program_is_resolved_as_named_with_full_coverage(assistant):
    answer = assistant.ask("入退院時連携支援事業の補助率と対象は？")
    first = answer.frame.programs[0]
    assert (first.how, first.coverage) == ("named", 1.0)
    assert answer.frame.attribute == "subsidy_rate" and answer.frame.language == "ja"
    assert json.loads(json.dumps(answer.to_json()))["frame"]["programs"][0]["how"] == "named"


def test_low_confidence_with_close_candidates_asks_which(retriever):
    # A scorer that doubts every retrieved answer: the policy must ask, naming the close candidates.
    composer = Composer(retriever.index.corpus, retriever, scorer=Scorer({"how=retrieved": -5.0}, 0.0, 0.5))
    answer = composer.answer("在宅医療の研修の予算は？")
    if answer.clarify is not None and answer.clarify.options:
        options = answer.clarify.options
        assert 2 <= len(options) <= 3 and all(o.label in answer.text for o in options)
        assert all(o.question.startswith(f"「{o.label}」") for o in options)
        assert composer.answer(options[0].question).frame.programs[0].how == "named"
    else:
        assert answer.abstained and "確かな答えが見つかりませんでした" in answer.text
    assert not answer.facts and answer.confidence is not None and answer.confidence < 0.5


def test_a_confident_answer_is_kept(retriever):
    composer = Composer(retriever.index.corpus, retriever, scorer=Scorer({"how=named": 5.0}, 0.0, 0.5))
    answer = composer.answer("ACP推進事業の予算は？")
    assert not answer.abstained and answer.confidence > 0.99 and "16,884千円" in answer.text


def test_draft_clarify_drops_the_guess(corpus):
    from assistant.answer import Option
    from assistant.policy import clarify

    d = Draft(corpus, english=False)
    d.say("guess")
    d.cite("fy2025", 1, 1)
    clarify(d, False, (Option("A", "「A」の予算額は？"), Option("B", "「B」の予算額は？")))
    answer = d.finish("q")
    assert answer.abstained and answer.text == "どの事業についての質問ですか？ 「A」、それとも「B」ですか？"
    assert not answer.citations and [o.label for o in answer.clarify.options] == ["A", "B"]


@pytest.mark.parametrize("question", ["1999年度のACP推進事業の予算は？", "What was the ACP budget in FY1999?",
                                      "平成30年度のACP推進事業の予算は？"])
def test_a_year_no_document_has_is_declined_naming_the_years(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.facts
    assert ("FY2025 and FY2020" in answer.text) or ("令和7年度" in answer.text and "令和2年度" in answer.text)


def test_what_can_be_answered_names_the_manifest_documents(corpus):
    from assistant.answer import can_answer

    ja, en = can_answer(corpus, False), can_answer(corpus, True)
    for doc in corpus.documents:
        assert doc.title in ja and doc.issuer in ja and f"FY{doc.fiscal_year}" in en
    assert ja.index("令和7年度予算額") < ja.index("令和2年度）予算案")  # latest first


def test_times_is_the_ratio_of_the_amounts_recorded_as_derived():
    from assistant.render import change_text

    text, derived = change_text(1_170_671, 936_792, False, times=True)
    assert text.endswith("、1.25倍") and ("ratio", "1.25") in [(d.kind, d.value) for d in derived]
    text, _ = change_text(16_884, 20_933, True, times=True)
    assert text.endswith("(×0.81)")
    assert "倍" not in change_text(16_884, 20_933, False)[0]


@pytest.mark.parametrize(("question", "figures"), [
    ("令和7年度の総額は令和2年度の何倍？", ["936,792千円", "1,170,671千円", "1.25倍"]),
    ("How many times larger is the FY2025 total budget than FY2020?", ["936,792", "1,170,671", "×1.25"]),
    ("ACP推進事業の予算は令和2年度の何倍？", ["20,933千円", "16,884千円", "0.81倍"]),
])
def test_how_many_times_is_answered_and_grounded(assistant, question, figures):
    from assistant.grounding import ungrounded

    answer = assistant.ask(question)
    assert not answer.abstained and all(f in answer.text for f in figures)
    assert ungrounded(answer, assistant.corpus) == []


@pytest.mark.parametrize("question", ["How much is Tokyo spending on heatstroke shelters this summer?",
                                      "Is there a subsidy for cancer screening?", "今年のがん検診の予算は？"])
def test_an_outside_topic_is_not_taken_for_a_pointer_or_for_no_question(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and answer.clarify is None and answer.frame.scope_issue is None
    assert answer.text.startswith(("The documents do not contain", "資料には該当する情報が見つかりませんでした"))
