"""The input guard: one cap and one clean-up for every entry point (issue 16, items 6, 14, 15)."""

from __future__ import annotations

from assistant.guard import (
    MAX_QUESTION_CHARS,
    clean_question,
    history_problem,
    prepare,
    question_problem,
    strip_markup,
    year_problem,
)


def test_markup_is_removed_but_brackets_are_kept():
    assert strip_markup("<script>x</script>ACP推進事業の予算は？") == "ACP推進事業の予算は？"
    assert strip_markup('<img src=x onerror="alert(1)">予算<!-- c -->は<b>？</b>') == "予算は？"
    assert strip_markup("<style>p{}</style><p>補助率</p>") == "補助率"
    assert strip_markup("<ACP>の予算 1/2 < 3/4 と 5 > 3") == "<ACP>の予算 1/2 < 3/4 と 5 > 3"


def test_clean_question_drops_surrogates_and_caps():
    assert clean_question("ACP\udcff\udcfeの予算") == "ACPの予算"
    assert len(clean_question("予" * (MAX_QUESTION_CHARS * 2))) == MAX_QUESTION_CHARS
    question, history = prepare("補助率は？\ud800", ["ACP\udcff", 3, *[f"q{i}" for i in range(40)]])
    assert question == "補助率は？" and history[-1] == "q39" and len(history) == 20
    assert prepare("x", []) == ("x", None)


def test_problems_are_said():
    assert question_problem("x" * MAX_QUESTION_CHARS) is None
    assert question_problem("x" * (MAX_QUESTION_CHARS + 1)) == "the question is 1,001 characters long; the limit is 1,000"
    assert question_problem(5) == "the question must be a string"
    assert history_problem(None) is None and history_problem(["a"]) is None
    assert "list of strings" in history_problem([1, None]) and "list of strings" in history_problem("a")
    assert year_problem(None, (2020, 2025)) is None and year_problem(2020, (2020, 2025)) is None
    assert year_problem(1999, (2020, 2025)) == "no document covers FY1999; the documents answer for FY2025, FY2020"
    assert year_problem(2020, (2025,), {2020: "x.txt: cannot read"}).startswith(
        "the FY2020 document could not be loaded (x.txt: cannot read)")
