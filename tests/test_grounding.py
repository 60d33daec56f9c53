"""Grounding: numbers pass only when cited or recomputed from cited figures (exact hand-made cases)."""

from __future__ import annotations

from assistant.answer import Answer, Citation
from assistant.grounding import ungrounded
from assistant.render import Derived


def _answer(text, derived=(), question="q", cited="L1: 70.7% 家族に負担をかける / 46.5% 急変時の対応が不安"):
    return Answer(question, text, False, "survey", citations=(Citation("fy2025", "t", 107, 108, cited),),
                  derived=tuple(derived))


def test_cited_numbers_pass_and_others_do_not(corpus):
    assert ungrounded(_answer("70.7% と 46.5%"), corpus) == []
    assert ungrounded(_answer("70.7% と 50.0%"), corpus) == ["50.0"]


def test_a_difference_of_decimals_recomputes(corpus):
    gap = Derived("difference", "24.2", ("70.7", "46.5"))  # 70.7 - 46.5 is 24.200000000000003 in floats
    assert ungrounded(_answer("差は24.2ポイント", [gap]), corpus) == []
    wrong = Derived("difference", "24.3", ("70.7", "46.5"))
    assert ungrounded(_answer("差は24.3ポイント", [wrong]), corpus) == ["24.3"]


def test_a_threshold_the_question_wrote_may_be_restated_in_thousand_yen(corpus):
    scaled = Derived("scaled", "10000", ("1,000", "10"))  # 1,000万円 → 10,000千円
    question = "予算が1,000万円以上の事業は？"
    assert ungrounded(_answer("10,000千円以上", [scaled], question=question), corpus) == []
    odd_scale = Derived("scaled", "7000", ("1,000", "7"))
    assert ungrounded(_answer("7,000千円以上", [odd_scale], question=question), corpus) == ["7000"]
    unasked = Derived("scaled", "20000", ("2,000", "10"))  # 2,000 was never written in the question
    assert ungrounded(_answer("20,000千円以上", [unasked], question=question), corpus) == ["20000"]


def test_a_number_the_question_wrote_with_leading_zeros_may_be_echoed(corpus):
    # hypothesis found 「予算over0１２」: the threshold 012 was restated as 12
    assert ungrounded(_answer("12千円超の事業", question="予算over0１２"), corpus) == []
    assert ungrounded(_answer("13千円超の事業", question="予算over0１２"), corpus) == ["13"]
