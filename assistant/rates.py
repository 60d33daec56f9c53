"""Programs by subsidy rate: 「補助率1/2の事業は？」, "Which programs have a 10/10 rate?".

The rate asked for is matched against each part of a written rate (「1/2または3/4」 has 1/2
and 3/4), so a program whose rate includes it is listed with its conditions; a question for a
*flat* rate (「一律」, "flat", "only") lists only programs whose one written rate is exactly it.
"""

from __future__ import annotations

import re
import unicodedata

from .describe import program_summary
from .render import Derived
from .views import Args, era, plural

RATE_ASKED = re.compile(r"(?<![\d/])(\d{1,2})\s*[/／]\s*(\d{1,2})(?![\d/])|(\d{1,2})\s*分\s*の\s*(\d{1,2})")


FLAT = re.compile(r"一律|無条件|\bflat\b|\bonly\b|のみ|だけ", re.IGNORECASE)


def asked_rate(text: str) -> str | None:
    """The one rate a question names, as the documents write it (「2分の1」 → "1/2"), else None."""
    text = unicodedata.normalize("NFKC", text)
    found = list(dict.fromkeys(f"{m[1]}/{m[2]}" if m[1] else f"{m[4]}/{m[3]}" for m in RATE_ASKED.finditer(text)))
    # "a flat rate of 1/2 (not '1/2 or 3/4')": the first rate is the one asked for, the rest are exclusions.
    return found[0] if len(found) == 1 or (found and FLAT.search(text)) else None


def asks_by_rate(a: Args) -> str | None:
    """The rate, when a question asks which (or how many) programs have it rather than one program's rate."""
    if "ratio" not in a.q.intents or a.named or a.ctx:
        return None
    if not (plural(a.q) or "count" in a.q.intents or "theme" in a.q.intents
            or re.search(r"どの事業|which|what programs", a.q.text, re.IGNORECASE)):
        return None
    return asked_rate(a.q.text)


def by_rate(a: Args, rate: str) -> None:
    """List (and count) the programs of a year whose written subsidy rate includes ``rate``."""
    d, c = a.d, a.c
    d.kind = "count" if "count" in a.q.intents else "ratio"
    year = a.years[0] if a.years else c.latest
    flat = bool(FLAT.search(a.q.text))
    programs = []
    for p in c.corpus.passages:
        if p.fiscal_year != year or p.repeat_of:
            continue
        rates = c.corpus.facts_for(p.id, "subsidy_rate")
        if flat:
            hit = len(rates) == 1 and rates[0].value == rate and not rates[0].condition
        else:
            hit = any(rate in re.split(r"または|又は|、|,", f.value) for f in rates)
        if hit:
            programs.append(p)
    if not programs:
        d.abstain(f"（補助率{rate}と書かれた事業は{era(a, year)}の資料にありません）" if not a.q.english
                  else f"(no program in the {era(a, year)} document has a subsidy rate of {rate})")
        return
    count = [Derived("count", str(len(programs)), tuple(p.id for p in programs))]
    kind = "flat " if flat else ""
    if a.q.english:
        d.say(f"{len(programs)} program(s)/menu(s) in the {era(a, year)} document have a {kind}subsidy rate of {rate}"
              + ("" if flat else " (alone or with another rate or a condition)") + ":", count)
    else:
        d.say(f"{era(a, year)}の資料で補助率{rate}が{'一律に' if flat else ''}示されている事業・メニューは{len(programs)}件です"
              + ("" if flat else "（条件付き・他の率との併記を含む）") + "。", count)
    for p in programs:
        d.say(program_summary(a, p))
