"""Programs by subsidy rate: which rate a question names, and which programs are listed for it."""

import pytest

from assistant.assistant import Assistant
from assistant.rates import asked_rate


@pytest.mark.parametrize("text, rate", [
    ("補助率1/2の事業は？", "1/2"),
    ("補助率が2分の1の事業はいくつ？", "1/2"),
    ("補助率１０／１０の事業", "10/10"),  # full-width, as people type on Japanese keyboards
    ("Which programs have a 10/10 rate?", "10/10"),
    ("1/2 or 3/4?", None),  # two rates and no 'flat': not one rate asked for
    ("a flat rate of 1/2 (not '1/2 or 3/4')", "1/2"),
    ("令和7年度の予算は？", None),
    ("2025/10/01", None),  # a date is not a rate
])
def test_asked_rate(text, rate):
    assert asked_rate(text) == rate


@pytest.fixture(scope="module")
def assistant(composer) -> Assistant:
    return Assistant(composer)


def _names(answer) -> set[str]:
    return {p.name for p in answer.programs}


def test_programs_with_a_rate_include_conditional_and_combined_rates(assistant):
    answer = assistant.ask("令和2年度で補助率が1/2の事業はどれ？")
    assert not answer.abstained and "4件" in answer.text
    assert _names(answer) >= {"区市町村在宅療養推進事業", "在宅療養環境整備支援事業",
                              "在宅人工呼吸器使用者療養支援事業", "入退院時連携支援事業"}


def test_a_flat_rate_excludes_conditional_and_combined_rates(assistant):
    answer = assistant.ask("Which FY2020 programs have a flat subsidy rate of 1/2?")
    assert _names(answer) == {"在宅療養環境整備支援事業", "在宅人工呼吸器使用者療養支援事業"}


def test_a_rate_no_program_has_is_declined(assistant):
    assert assistant.ask("補助率2/3の事業はどれ？").abstained


def test_one_programs_rate_is_still_a_rate_question(assistant):
    answer = assistant.ask("入退院時連携支援事業の補助率は1/2？")
    assert answer.kind == "ratio" and "1/2または3/4" in answer.text
