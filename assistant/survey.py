"""Survey: the opinion-poll figures a question asks for, their gap, and their cited context.

The FY2025 family-support page quotes two figures of a public opinion survey
(R5 保健医療に関する世論調査): a question about them may name one reason, ask for
the top one, the gap between them, or an item the survey does not have.
"""

from __future__ import annotations

import re

from .facts import Fact
from .lexicon import SURVEY_WORDS
from .normalize import normalize
from .render import Derived
from .views import Args


def survey_facts(corpus, year: int) -> list[Fact]:
    """Every survey figure of a year's document: they stand on one detail page, whichever program shares it."""
    return [f for f in corpus.facts if f.kind == "survey" and f.fiscal_year == year]





def survey_pick(a: Args, facts: list[Fact]) -> list[Fact]:
    """The survey figures a question asks for; none when it asks for an item the survey lacks."""
    q = a.q
    if q.top_n and q.top_n > len(facts) and not re.search(r"上位|top", q.text, re.I):
        return []
    if re.search(r"費用|お金|経済的|金銭|cost|money|financial|expens", q.text, re.IGNORECASE):
        return []  # a reason about money: no survey figure names one
    asks_reasons = re.search(r"難し|無理|理由|困難|why|reasons?|hard|difficult", q.text, re.IGNORECASE)
    if q.english and not asks_reasons and len([w for w in a.unknown if len(w) >= 4]) >= 2:
        return []  # English words the glossary cannot map name an item the survey does not have
    about_source = re.search(r"いつ|どこ|出典|どの調査|which survey|when|source|from what", q.text, re.I)
    nouns = set(a.c.tokenizer.nouns(q.text))
    # Items are Japanese topic nouns (for English, the glossary's Japanese terms) beyond the survey's own words.
    items = [t for t in a.topic if t not in SURVEY_WORDS and t not in a.c.generic and len(t) >= 2
             and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) and (q.english or t in nouns)]
    matched = [f for f in facts if any(t in normalize(f.condition) for t in a.topic
                                       if t not in ("在宅", "療養") and len(t) >= 2)]
    if GAP.search(q.text) and len(facts) >= 2:
        return facts  # a gap needs both figures
    if items and not about_source:
        hits = [f for f in facts if any(t in normalize(f.condition) for t in items)]
        if not hits:
            return []
        return hits
    if matched and not about_source and len(matched) < len(facts) and not q.superlative:
        return matched
    if q.top_n and q.top_n >= 2 and not re.search(r"上位|top", q.text, re.I):  # 「2番目に多い理由」: that one figure
        return [sorted(facts, key=lambda f: f.percent or 0, reverse=True)[q.top_n - 1]]
    if q.superlative == "max" or q.top_n == 1:
        return [max(facts, key=lambda f: f.percent or 0)]
    return facts


GAP = re.compile(r"差|開き|違い|ポイント(高|低|多|少|上|下)|difference|gap|more than|higher|lower|points", re.IGNORECASE)


def survey_gap(a: Args, facts: list[Fact]) -> list[str]:
    """「上位2つは何ポイント差？」: the gap between the two survey figures shown, as a recorded derivation."""
    shown = [f for f in facts if f.percent is not None]
    if len(shown) < 2 or not GAP.search(a.q.text):
        return []
    hi, lo = sorted(shown, key=lambda f: -f.percent)[:2]
    gap = f"{hi.percent - lo.percent:.1f}"
    a.d.derived.append(Derived("difference", gap, (str(hi.percent), str(lo.percent))))
    if a.q.english:
        return [f"- Gap: {hi.percent}% − {lo.percent}% = {gap} percentage points."]
    return [f"- 差: {hi.percent}% − {lo.percent}% = {gap}ポイント"]
