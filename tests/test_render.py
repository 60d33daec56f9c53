"""Figures as users read them, and the grounding check, with hand-computed values."""

from __future__ import annotations

import pytest

from assistant.answer import Answer, Citation
from assistant.corpus import Corpus
from assistant.grounding import ungrounded
from assistant.question import parse, parse_years
from assistant.render import Derived, amount_text, change_text, with_western_years, yen_reading


@pytest.mark.parametrize("thousand,english,text", [
    (16_884, False, "約1,688万円"),
    (252_777, False, "約2億5,278万円"),
    (600_000, False, "約6億円"),
    (100, False, "約10万円"),
    (16_884, True, "about ¥16.9 million"),
    (1_170_671, True, "about ¥1.17 billion"),
])
def test_yen_reading(thousand, english, text):
    assert yen_reading(thousand, english)[0] == text


def test_amount_and_change_text():
    assert amount_text(20_933, False)[0] == "20,933千円（約2,093万円）"
    text, derived = change_text(16_884, 20_933, False)
    assert text == "4,049千円の減少（-19.3%）"
    assert [(d.kind, d.value) for d in derived] == [("difference", "4049"), ("percent", "19.3")]
    assert change_text(17_220, 5_058, True)[0] == "an increase of 12,162 thousand yen (+240.5%)"


def test_western_years():
    text, derived = with_western_years("令和7年度～令和9年度")
    assert text == "令和7年度（2025年度）～令和9年度（2027年度）"
    assert [d.value for d in derived] == ["2025", "2027"]


@pytest.mark.parametrize("question,years", [
    ("令和7年度の予算", (2025,)),
    ("R2の予算", (2020,)),
    ("2020年度（令和2年度）", (2020,)),
    ("FY2025 budget", (2025,)),
    ("令和元年度", (2019,)),
    ("予算はいくら", ()),
    ("令和2年度と7年度でどう違う？", (2020, 2025)),  # the second year keeps the era of the first
    ("令和7年度～令和9年度", (2025, 2027)),
    ("1999年度の予算", (1999,)),  # an earlier year with a fiscal-year mark
    ("FY1999 budget", (1999,)),
    ("1999 beds", ()),  # a bare 19xx is a figure
])
def test_parse_years(question, years):
    assert parse_years(question) == years


@pytest.mark.parametrize("question,intent", [
    ("ACP推進事業の予算は？", "amount"),
    ("補助率は？", "ratio"),
    ("対象は？", "target"),
    ("いつまで実施する？", "period"),
    ("How many new programs are there?", "count"),
    ("What was the combined budget?", "total"),
    ("Which programs support families?", "theme"),
    ("cooperation with the medical association", None),  # "ratio" must not match inside a word
    ("令和2年度と7年度でどう違う？", "change"),
    ("How much lower is that than in FY2020?", "change"),
])
def test_intents(question, intent):
    intents = parse(question).intents
    assert intent in intents if intent else "ratio" not in intents


@pytest.mark.parametrize("question,absent", [
    ("What does the program that helps when patients leave hospital do?", "period"),  # 'when' joins a clause
    ("令和2年度に新規で始まった事業はどれ？", "period"),  # which programs are new, not when they began
    ("What is the standard for how many generators get covered?", "count"),  # the 給付基準
])
def test_intents_not_taken_from_look_alike_words(question, absent):
    assert absent not in parse(question).intents


@pytest.mark.parametrize("question", ["When does the disaster program end?", "Until when does it run?",
                                      "Tell me when it starts", "いつまで？"])
def test_when_asks_for_a_period(question):
    assert "period" in parse(question).intents


@pytest.mark.parametrize("question,unsupported", [
    ("防犯機器の補助は、いくつの医療機関が使える見込み？", True),  # a count of recipients is never stated
    ("セミナーはどこで開かれる？", True),
    ("最期をどこでどう迎えたいか話し合う取組は？", False),  # どこで here is no venue
    ("包括補助のどの区分で実施される？", False),  # どの区分 is no ward
])
def test_unsupported_details(question, unsupported):
    assert parse(question).unsupported is unsupported


def _answer(text: str, cited: str, derived=()) -> Answer:
    return Answer("q", text, False, "amount", citations=(Citation("fy2025", "t", 1, 1, cited),),
                  derived=tuple(derived))


EMPTY = Corpus((), (), ())


def test_grounding_flags_an_invented_number():
    assert ungrounded(_answer("予算は 16,884千円 です", "【16,884千円】"), EMPTY) == []
    assert ungrounded(_answer("予算は 16,885千円 です", "【16,884千円】"), EMPTY) == ["16885"]


def test_grounding_recomputes_derivations():
    good = _answer("差は 4,049千円", "【16,884千円】【20,933千円】", [Derived("difference", "4049", ("16884", "20933"))])
    assert ungrounded(good, EMPTY) == []
    wrong = _answer("差は 4,050千円", "【16,884千円】【20,933千円】", [Derived("difference", "4050", ("16884", "20933"))])
    assert ungrounded(wrong, EMPTY) == ["4050"]
    uncited = _answer("合計 30千円", "【10千円】", [Derived("sum", "30", ("10", "20"))])
    assert ungrounded(uncited, EMPTY) == ["30"]


def test_grounding_ignores_the_sources_line():
    assert ungrounded(_answer("予算は 5千円\n出典: 資料 L96-143", "【5千円】"), EMPTY) == []
