"""Grounding: check that every number in an answer comes from its cited lines.

A number passes if it is written in a cited source line, in the name of a
cited program or document, or is a recorded derivation (difference, percent,
sum, count, 万円 reading, western year) that recomputes from cited figures.
"""

from __future__ import annotations

import re

from .answer import Answer
from .corpus import Corpus
from .render import numbers_in

UNIT_SCALES = {10.0, 1_000.0, 10_000.0, 100_000.0}  # 万円, million yen, 千万円, 億円 → 千円
SOURCES_LINE = re.compile(r"^(出典|Sources):")


def _recomputes(derived, cited: set[str]) -> bool:
    inputs = [i.replace(",", "") for i in derived.inputs]
    kind, value = derived.kind, derived.value
    if kind == "count":
        return str(len(inputs)) == value
    numbers = [float(i) for i in inputs if re.fullmatch(r"\d+(\.\d+)?", i)]
    if kind == "scaled":  # a number the question wrote, in 千円: 1,000万円 → 10,000千円
        return inputs[0] in cited and numbers[1] in UNIT_SCALES and round(numbers[0] * numbers[1]) == int(value)
    if kind != "western_year" and not all(i in cited for i in inputs):
        return False
    if kind == "sum":
        return int(sum(numbers)) == int(value)
    if kind == "average":
        return f"{sum(numbers) / len(numbers):.1f}".rstrip("0").rstrip(".") == value
    if kind == "difference":
        return round(abs(numbers[0] - numbers[1]), 6) == float(value)  # 70.7 - 46.5 is 24.200000000000003
    if kind == "ratio":  # 「何倍」: the first amount over the second
        return bool(numbers[1]) and f"{numbers[0] / numbers[1]:.2f}" == value
    if kind == "percent":
        return f"{abs(numbers[0] - numbers[1]) / numbers[1] * 100:.1f}" == value
    if kind == "western_year":
        return int(numbers[0]) + 2018 == int(value)
    if kind == "yen":
        yen = numbers[0] * 1000
        candidates = {f"{yen / 1e6:.1f}", f"{yen / 1e9:.2f}", str(round(yen / 10_000)),
                      str(int(yen // 100_000_000)), str(round((yen % 100_000_000) / 10_000))}
        return value in candidates
    return False


def ungrounded(answer: Answer, corpus: Corpus) -> list[str]:
    """Numbers in the answer text that no cited line or valid derivation accounts for."""
    cited: set[str] = set()
    for c in answer.citations:
        cited.update(numbers_in(c.text))
    for p in answer.programs:
        cited.update(numbers_in(p.name))
    # The documents' own labels (令和7年度, FY2025) may always be named.
    for doc in corpus.documents:
        cited.update(numbers_in(f"{doc.title} {doc.era} {doc.status} {doc.fiscal_year}"))
    # Numbers the user wrote (a threshold such as 100,000千円) may be echoed, "012" read as 12.
    asked = numbers_in(answer.question)
    cited.update(asked)
    cited.update(n.lstrip("0") for n in asked if re.fullmatch(r"0+\d+", n))
    # Derivations may build on each other (the 万円 reading of a sum): verify in order.
    for d in answer.derived:
        if _recomputes(d, cited):
            cited.add(d.value.replace(",", ""))
    allowed = cited
    shown = [line for line in answer.text.split("\n") if not SOURCES_LINE.match(line)]
    # The closing "what I can answer" line names no figures from the documents.
    return [n for line in shown for n in numbers_in(line) if n not in allowed]
