"""Links: the same program across fiscal years.

Names drift between documents: 「東京都多職種連携ポータルサイト（仮称）の運営」 (FY2020)
is 「東京都多職種連携ポータルサイトの運営」 (FY2025); the FY2020 document writes
「東都在宅療養推進会議等の開催」. Programs are matched by name without （…）
notes, exactly first, then fuzzily, one to one, top level with top level, and only
between documents of one issuer (``issuer_key``).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .corpus import Corpus
from .normalize import normalize
from .passages import Passage

FUZZY_MIN = 85
# The government a bureau belongs to: 「東京都保健医療局」 and 「東京都福祉保健局」 are one issuer
# (the bureau was renamed), 「みどり県健康福祉部」 another. Prefecture names end in 都道府県;
# 京都府 must not be read as 京都 + 府.
_GOVERNMENT = re.compile(r"^(東京都|北海道|京都府|大阪府|.{2,3}?県|.{1,6}?[市区町村])")


def issuer_key(issuer: str) -> str:
    """The government part of an issuer (「東京都保健医療局」 → 「東京都」); the whole name otherwise."""
    text = normalize(issuer)
    m = _GOVERNMENT.match(text)
    return m[1] if m else text


def link_key(name: str) -> str:
    return re.sub(r"\([^)]*\)", "", normalize(name))


def _candidates(corpus: Corpus, year: int) -> list[Passage]:
    return [p for p in corpus.passages if p.fiscal_year == year and p.repeat_of is None]


def year_links(corpus: Corpus) -> dict[str, dict[int, str]]:
    """For each program id, the id of the same program in each other year."""
    links: dict[str, dict[int, str]] = {}
    years = corpus.years()
    issuers = {d.id: issuer_key(d.issuer) for d in corpus.documents}
    for i, a_year in enumerate(years):
        for b_year in years[i + 1:]:
            a_list, b_list = _candidates(corpus, a_year), _candidates(corpus, b_year)
            pairs: list[tuple[float, str, str]] = []
            for a in a_list:
                for b in b_list:
                    if (a.parent_id is None) != (b.parent_id is None):
                        continue
                    if issuers.get(a.document_id) != issuers.get(b.document_id):
                        continue  # programs link across years only within one issuer
                    ka, kb = link_key(a.name), link_key(b.name)
                    score = 101.0 if ka == kb else fuzz.ratio(ka, kb)
                    if score >= FUZZY_MIN:
                        pairs.append((score, a.id, b.id))
            used: set[str] = set()
            for _, a_id, b_id in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
                if a_id in used or b_id in used:
                    continue
                used.update((a_id, b_id))
                links.setdefault(a_id, {})[b_year] = b_id
                links.setdefault(b_id, {})[a_year] = a_id
    return links
