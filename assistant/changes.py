"""Changes and extremes: a budget between years, and the largest or smallest programs.
"""

from __future__ import annotations

from .counts import total, total_of
from .intents import TIMES
from .pairs import budget_in_all_years
from .passages import Passage
from .pick import focus
from .render import Derived, amount_text, change_text
from .themes import topic_nouns
from .views import Args, era, missing_fact, program_lines, say_fact


def change(a: Args) -> None:
    """How a program's budget changed between the two years (both values, difference, percentage)."""
    d, c = a.d, a.c
    d.kind = "change"
    if not a.named and not a.ctx and not topic_nouns(a):
        return total(a, True)
    # 「令和2年度から」 names the baseline, not the program's year: search all years.
    programs = focus(Args(**{**a.__dict__, "years": []}))
    if programs is None:
        return
    years = sorted(c.corpus.years(), reverse=True)
    if not a.named and not a.ctx and not budget_in_all_years(c, programs[0], years):
        # A budget change is asked of a program with amounts: among the close hits, take the first that has them.
        for h in c.hits(a.q, k=3):
            if budget_in_all_years(c, h.passage, years):
                d.programs.clear()
                d.program(h.passage, h.score)
                programs = [h.passage]
                break
    versions = [c.in_year(programs[0], y) for y in years]
    if any(v is None for v in versions):
        present = next(v for v in versions if v)
        missing = [era(a, y) for y, v in zip(years, versions) if v is None]
        d.abstain(f"「{present.name}」は{'・'.join(missing)}の資料にないため比較できません。" if not a.q.english else
                  f"「{present.name}」 is not in the {' / '.join(missing)} document, so no change can be given.")
        return
    budgets = [c.facts(v, "budget", family=False)[:1] for v in versions]
    if not all(budgets):
        d.abstain(missing_fact(a, versions[[bool(b) for b in budgets].index(False)], "amount"))
        return
    new_f, old_f = budgets[0][0], budgets[1][0]
    text, derived = change_text(new_f.amount, old_f.amount, a.q.english, times=bool(TIMES.search(a.q.text)))
    d.derived.extend(derived)
    new_v, new_d = amount_text(new_f.amount, a.q.english)
    old_v, old_d = amount_text(old_f.amount, a.q.english)
    d.derived.extend(new_d + old_d)
    if a.q.english:
        d.say(f"「{versions[0].name}」: {era(a, years[0])} {new_v} vs {era(a, years[1])} {old_v} — {text}.")
    else:
        d.say(f"「{versions[0].name}」は {era(a, years[1])} {old_v} → {era(a, years[0])} {new_v}、{text}です。")
    for v, f in zip(versions, (new_f, old_f)):
        d.program(v)
        d.say(f"- {v.name}（{era(a, v.fiscal_year)}）: {say_fact(a, f, label=False)}")


def extreme(a: Args) -> None:
    """The program with the largest (or smallest) stated budget of a year or a section."""
    d, c = a.d, a.c
    d.kind = "amount"
    year = a.years[0] if a.years else c.latest
    programs, label = total_of(a, year)
    if not programs:
        return d.abstain()
    ranked = sorted(programs, key=lambda x: c.corpus.budget(x.id), reverse=a.q.superlative == "max")
    if a.q.top_k and 1 < a.q.top_k < len(ranked):
        return _top_k(a, year, programs, ranked[:a.q.top_k])
    p = ranked[0]
    f = c.facts(p, "budget", family=False)[0]
    d.program(p)
    word = ("largest" if a.q.superlative == "max" else "smallest") if a.q.english else \
        ("最も大きい" if a.q.superlative == "max" else "最も小さい")
    value = say_fact(a, f, label=False)
    n = str(len(programs))
    counted = [Derived("count", n, tuple(x.id for x in programs))]
    if a.q.english:
        d.say(f"The {word} budget among the {n} programs with a stated amount in the {era(a, year)} document: 「{p.name}」, {value}.", counted)
    else:
        d.say(f"{era(a, year)}の予算額が示された{n}事業のうち、{word}のは「{p.name}」の {value} です。", counted)
    d.lines.extend(program_lines(a, [p]))


def _top_k(a: Args, year: int, programs: list[Passage], top: list[Passage]) -> None:
    """The first N programs by stated budget (「上位3事業」, "the two largest")."""
    d, c = a.d, a.c
    n, k = str(len(programs)), str(len(top))
    counted = [Derived("count", n, tuple(x.id for x in programs)), Derived("count", k, tuple(x.id for x in top))]
    big = a.q.superlative == "max"
    if a.q.english:
        d.say(f"The {k} {'largest' if big else 'smallest'} budgets among the {n} programs with a stated amount "
              f"in the {era(a, year)} document:", counted)
    else:
        d.say(f"{era(a, year)}の予算額が示された{n}事業のうち、予算額が{'大きい' if big else '小さい'}順に{k}事業:", counted)
    for p in top:  # in ranked order; bullets, as a rank number would be a figure no fact holds
        d.program(p)
        d.say(f"- 「{p.name}」: {say_fact(a, c.facts(p, 'budget', family=False)[0], label=False)}")
