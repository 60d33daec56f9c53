"""Pairs: the same program in two years — which went up or down, and by how much.
"""

from __future__ import annotations

import re

from .passages import Passage
from .render import change_text
from .views import Args, era, say_count, say_fact

UP = re.compile(r"増え|増加|増額|伸び|上が|多くな|increase|grew|grow|went up|go up|rose|more money|higher|larger|bigger", re.I)


DOWN = re.compile(r"減っ|減少|減額|下が|少なくな|decrease|fell|went down|go down|cut|less money|lower|smaller|shrank", re.I)


BOTH = re.compile(r"(?<!の)両方(?!を)|両年度|どちらにも|どちらの年度にも|いずれの年度にも|both (years|documents|fy)|in both", re.I)


def budget_in_all_years(c, p: Passage, years: list[int]) -> bool:
    versions = [c.in_year(p, y) for y in years]
    return all(v is not None and c.corpus.budget(v.id) is not None for v in versions)


def compared(a: Args) -> list[tuple[Passage, Passage]] | None:
    """Programs with a stated amount in both years, as (latest, earlier) pairs — or None when not asked.

    「両年度に金額がある事業で、予算が増えたのはいくつ？」 counts over programs matched across years.
    """
    c, q = a.c, a.q
    both = BOTH.search(q.text) or (len(set(a.years)) >= 2 and "change" in q.intents)
    if not both and not ("change" in q.intents and (UP.search(q.text) or DOWN.search(q.text))):
        return None
    years = sorted(c.corpus.years(), reverse=True)
    pairs = [(p, c.in_year(p, years[1])) for p in c.corpus.passages
             if p.fiscal_year == years[0] and not p.repeat_of and budget_in_all_years(c, p, years)]
    which = _direction(q.text)
    if which == "up":
        pairs = [(n, o) for n, o in pairs if c.corpus.budget(n.id) > c.corpus.budget(o.id)]
    elif which == "down":
        pairs = [(n, o) for n, o in pairs if c.corpus.budget(n.id) < c.corpus.budget(o.id)]
    return pairs


def _direction(text: str) -> str:
    """"up" / "down" when a question asks for budgets that rose or fell (not both), else ""."""
    up, down = UP.search(text), DOWN.search(text)
    return "up" if up and not down else "down" if down and not up else ""


def count_compared(a: Args, pairs: list[tuple[Passage, Passage]]) -> None:
    """How many (and which) programs went up, went down, or have amounts in both years."""
    d, c = a.d, a.c
    d.kind = "count"
    years = sorted(c.corpus.years(), reverse=True)
    which = _direction(a.q.text)
    if a.q.superlative and pairs:
        return _most_changed(a, pairs, which)
    label = {"up": ("予算が増えた事業", "programs whose budget went up"),
             "down": ("予算が減った事業", "programs whose budget went down"),
             "": ("両年度とも予算額が示されている事業", "programs with a stated budget in both years")}[which]
    say_count(a, [n for n, _ in pairs],
               f"Of the programs with a stated amount in both {era(a, years[1])} and {era(a, years[0])}, "
               f"{{n}} are {label[1]}.",
               f"{era(a, years[1])}と{era(a, years[0])}の両方に予算額がある事業のうち、{label[0]}は{{n}}件です。"
               if which else f"{label[0]}は{{n}}件です。")
    for new_p, old_p in pairs:
        _say_pair(a, new_p, old_p)


def _say_pair(a: Args, new_p: Passage, old_p: Passage) -> None:
    """One program's line of a cross-year list: earlier amount → latest amount (difference, percent)."""
    d, c = a.d, a.c
    new_f = c.facts(new_p, "budget", family=False)[0]
    old_f = c.facts(old_p, "budget", family=False)[0]
    text, derived = change_text(new_f.amount, old_f.amount, a.q.english)
    d.derived.extend(derived)
    d.program(new_p)
    d.program(old_p)
    d.say(f"- {new_p.name}: {say_fact(a, old_f, label=False)} → {say_fact(a, new_f, label=False)}（{text}）")


def _most_changed(a: Args, pairs: list[tuple[Passage, Passage]], which: str) -> None:
    """「両年度に予算がある事業で一番増えたのは？」: the pair with the largest rise (fall, or change)."""
    d, c = a.d, a.c
    d.kind = "change"
    diff = {n.id: c.corpus.budget(n.id) - c.corpus.budget(o.id) for n, o in pairs}
    if which == "up":
        new_p, old_p = max(pairs, key=lambda pair: diff[pair[0].id])
    elif which == "down":
        new_p, old_p = min(pairs, key=lambda pair: diff[pair[0].id])
    else:
        pick = max if a.q.superlative == "max" else min
        new_p, old_p = pick(pairs, key=lambda pair: abs(diff[pair[0].id]))
    years = sorted(c.corpus.years(), reverse=True)
    most = {"up": ("増加額が最も大きい", "the largest increase"), "down": ("減少額が最も大きい", "the largest decrease"),
            "": ("増減額が最も大きい" if a.q.superlative == "max" else "増減額が最も小さい",
                 "the largest change" if a.q.superlative == "max" else "the smallest change")}[which]
    if a.q.english:
        d.say(f"Of the programs with a stated budget in both {era(a, years[1])} and {era(a, years[0])}, "
              f"{most[1]} is:")
    else:
        d.say(f"{era(a, years[1])}と{era(a, years[0])}の両方に予算額がある事業のうち、{most[0]}のは次の事業です。")
    _say_pair(a, new_p, old_p)
