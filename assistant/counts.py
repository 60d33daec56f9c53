"""Counts and totals: how many programs (or listed items) match, and the sum of their budgets.
"""

from __future__ import annotations

import re

from .describe import program_summary
from .intents import TIMES
from .pairs import compared, count_compared
from .passages import Passage
from .pick import focus
from .render import Derived, amount_text, change_text, glossed
from .themes import OWN_BUDGET, WITH_MENUS, in_scope, strong_hits, topic_nouns
from .views import Args, era, say_count, say_fact

# 「補助率が示されている事業はいくつ？」: which kind of fact a counted program must state.
COUNT_BY_FACT = (
    (r"補助率|subsidy rate", "subsidy_rate", ("補助率が示されている事業・メニュー", "programs/menus with a stated subsidy rate")),
    (r"対象|eligib|target", "target", ("対象が示されている事業・メニュー", "programs/menus with stated eligibility")),
    (r"実施期間|期間|period", "period", ("実施期間が示されている事業", "programs with a stated period")),
    (r"基準額|上限|cap|base amount", "base_amount cap", ("基準額・上限が示されている事業・メニュー", "programs/menus with a base amount or cap")),
)


def _counted(a: Args, year: int) -> tuple[list[Passage], str]:
    c, q = a.c, a.q
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of]
    scope = [s for s in a.scope if s[0] == year]
    if scope:
        pool = [p for p in pool if in_scope(p, scope)]
    for cue, kinds, labels in COUNT_BY_FACT:
        if re.search(cue, q.text, re.I) and not re.search(r"予算額?が(示|書|ある)|stated budget", q.text, re.I):
            chosen = [p for p in pool if c.facts(p, *kinds.split(), family=False)]
            return chosen, labels[1 if q.english else 0]
    if "new" in q.intents:
        fresh = [p for p in pool if "新規" in p.flags]
        if OWN_BUDGET.search(q.text) and not WITH_MENUS.search(q.text):  # 「新規事業のうち独自の予算額があるもの」
            return ([p for p in fresh if c.corpus.budget(p.id) is not None],
                    "予算額が示された新規事業" if not q.english else "new programs with a stated budget")
        return fresh, ("新規の事業・メニュー" if not q.english else "new programs/menus")
    if topic_nouns(a) and not q.threshold:  # 「ACPに関する事業はいくつ？」: count the programs on the topic
        themed = {h.passage.id for h in strong_hits(a, year)}
        pool = [p for p in pool if p.id in themed] or pool
    budgeted = [p for p in pool if c.corpus.budget(p.id) is not None]
    if q.threshold:
        return _over_threshold(a, budgeted)
    return budgeted, ("予算額が示されている事業" if not q.english else "programs with a stated budget")


def _over_threshold(a: Args, budgeted: list[Passage]) -> tuple[list[Passage], str]:
    """The programs whose stated budget passes the question's threshold, with a label saying so."""
    cmp, value = a.q.threshold
    ops = {">=": lambda x: x >= value, ">": lambda x: x > value, "<": lambda x: x < value, "<=": lambda x: x <= value}
    chosen = [p for p in budgeted if ops[cmp](a.c.corpus.budget(p.id))]
    if a.q.threshold_written and a.q.threshold_written[1] != 1:  # 1,000万円 said as 10,000千円: a recorded conversion
        a.d.derived.append(Derived("scaled", str(value), (a.q.threshold_written[0], str(a.q.threshold_written[1]))))
    label = f"予算額が{value:,}千円{ {'>=': '以上', '>': '超', '<': '未満', '<=': '以下'}[cmp]}の事業"
    return chosen, (label if not a.q.english else f"programs with a budget {cmp} {value:,} thousand yen")


def count(a: Args) -> None:
    d, c = a.d, a.c
    d.kind = "count"
    if (pairs := compared(a)) is not None and not a.q.threshold:
        return count_compared(a, pairs)
    year = a.years[0] if a.years else c.latest
    programs, label = _counted(a, year)
    say_count(a, programs, f"{era(a, year)}: {{n}} {label} (entries listed again, 再掲, are counted once).",
               f"{era(a, year)}の{label}は{{n}}件です（再掲は重複して数えません）。")
    if not a.q.threshold and "new" not in a.q.intents:
        # Which programs count depends on what one counts: say the other tallies too.
        scope = [s for s in a.scope if s[0] == year]
        listed = [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of
                  and (not scope or in_scope(p, scope))]
        tops = [p for p in listed if not p.parent_id]
        more = [Derived("count", str(len(tops)), tuple(p.id for p in tops)),
                Derived("count", str(len(listed)), tuple(p.id for p in listed))]
        if a.q.english:
            d.say(f"The document lists {len(tops)} programs ({len(listed)} including sub-programs/menus), "
                  "each counted once.", more)
        else:
            d.say(f"資料に掲載された事業は{len(tops)}件、内訳のメニューを含めると{len(listed)}件です（再掲を除く）。", more)
    for p in programs:
        d.say(program_summary(a, p))


def count_items(a: Args) -> bool:
    """「補助メニューはいくつ？」「取組例は何個？」: count the entries a program lists. False if it lists none."""
    from .items import list_items

    programs = focus(a)
    if not programs:
        return a.d.abstained
    p = programs[0]
    doc = a.c.corpus.document(p.document_id)
    entries: list[tuple[int, str]] = []
    what, source = "対象", p
    if re.search(r"対象|target|eligib|who can", a.q.text, re.IGNORECASE):
        # 「研修の対象として挙がっている機関は何種類？」: the entries of the stated target list, 「等」 not counted
        for f in a.c.facts(p, "target"):
            entries += [(f.line_start, part.strip()) for part in re.split(r"[、,]", re.sub(r"\s*等\s*$", "", f.value))
                        if part.strip()]
    if not entries:  # the program's own list, else its parent's
        for source in [p] + ([a.c.corpus.passage(p.parent_id)] if p.parent_id else []):
            what, entries = list_items(list(doc.lines), source, a.q.text)
            if entries:
                break
    if not entries:
        a.d.programs.clear()
        return False
    a.d.kind = "count"
    label = {"items": ("掲げられている項目", "items"), "種類": ("種類", "types"), "対象": ("対象として挙げられているもの", "listed targets"),
             "取組例": ("取組例", "examples (取組例)"), "補助メニュー": ("補助メニュー", "subsidy menus (補助メニュー)")
             }.get(what, (what, what))
    n = str(len(entries))
    derived = [Derived("count", n, tuple(f"L{line}:{text}" for line, text in entries))]
    if a.q.english:
        a.d.say(f"「{source.name}」 ({era(a, source.fiscal_year)}) lists {n} {label[1]}:", derived)
    else:
        a.d.say(f"「{source.name}」（{era(a, source.fiscal_year)}）の{label[0]}は{n}件です。", derived)
    for line, text in entries:
        a.d.cite(source.document_id, line, line)
        a.d.say(f"- {glossed(text, a.q.english)}")
    return True


def total_of(a: Args, year: int) -> tuple[list[Passage], str]:
    c = a.c
    pool = [p for p in c.corpus.passages if p.fiscal_year == year and not p.repeat_of
            and c.corpus.budget(p.id) is not None]
    scope = [s for s in a.scope if s[0] == year]
    if scope:
        chosen = [p for p in pool if in_scope(p, scope)]
        return chosen, "・".join(f"「{v}」" for _, _, v in scope)
    if "new" in a.q.intents:
        return [p for p in pool if "新規" in p.flags], ("新規事業" if not a.q.english else "new programs")
    if a.q.threshold and not a.named:  # 「1億円を超える事業の予算を合計すると」
        return _over_threshold(a, pool)
    # Named in the question, or the programs the chat was just about when the question points at them
    # ("what do they add up to?"); "the same total for FY2020" is about the whole budget again.
    pointed = a.ctx if re.search(r"\b(they|them|those|these|both)\b|それら|これら|その\d?つ|両方|二つ|2つ", a.q.text, re.I) else []
    if a.named or pointed:
        named = {(c.in_year(p, year) or p).id for p in (a.named or pointed)}
        chosen = [p for p in pool if p.id in named]
        if chosen:
            return chosen, "・".join(f"「{p.name}」" for p in chosen)
    if topic_nouns(a):
        # 「ACPに関する事業の予算の合計」: the programs the topic matches, not the whole budget.
        ranked = [h.passage.id for h in strong_hits(a, year)]
        chosen = sorted((p for p in pool if p.id in ranked), key=lambda p: ranked.index(p.id))
        if (n := _stated_number(a.q.text)) and len(chosen) > n:
            chosen = chosen[:n]  # 「ICTを使った取組2つの予算を足すと」: the two that match best
        if chosen:
            return chosen, ("「" + "・".join(topic_nouns(a)[:3]) + "」に関する事業" if not a.q.english
                            else "the programs on this topic")
    return pool, ("予算額が示された全事業" if not a.q.english else "all programs with a stated budget")


def _stated_number(text: str) -> int | None:
    """How many programs a question says it is about (「2つ」, "the two", "three programs")."""
    m = re.search(r"([2-9２-９]|二|三|四)\s*(つ|事業|件)|\b(two|three|four|both)\b", text, re.IGNORECASE)
    if not m:
        return None
    word = (m[1] or m[3]).lower()
    return {"二": 2, "三": 3, "四": 4, "two": 2, "both": 2, "three": 3, "four": 4}.get(word) or int(
        word.translate(str.maketrans("２３４５６７８９", "23456789")))


def total(a: Args, with_change: bool) -> None:
    d, c = a.d, a.c
    d.kind = "total"
    years = sorted(c.corpus.years(), reverse=True) if with_change else (a.years or [c.latest])
    sums = {}
    for year in years:
        programs, label = total_of(a, year)
        if not programs:
            continue
        facts = [c.facts(p, "budget", family=False)[0] for p in programs]
        value = sum(f.amount for f in facts)
        sums[year] = value
        text, readings = amount_text(value, a.q.english)
        derived = [Derived("sum", str(value), tuple(str(f.amount) for f in facts))] + readings
        if a.q.english:
            d.say(f"{era(a, year)} total of {label} ({len(programs)} programs, 再掲 counted once): {text}.", derived)
        else:
            d.say(f"{era(a, year)}の{label}（{len(programs)}事業、再掲は除く）の予算額の合計は {text} です。", derived)
        d.derived.append(Derived("count", str(len(programs)), tuple(p.id for p in programs)))
        if re.search(r"平均|average|mean", a.q.text, re.I):
            mean = f"{value / len(facts):,.1f}".rstrip("0").rstrip(".")
            d.derived.append(Derived("average", mean.replace(",", ""), tuple(str(f.amount) for f in facts)))
            d.say(f"Average per program: {mean} thousand yen." if a.q.english else f"事業ごとの平均は {mean}千円です。")
        for p, f in zip(programs, facts):
            d.program(p)
            d.say(f"  - {p.name}: {say_fact(a, f, label=False)}")
    if not sums:
        d.abstain()
        return
    if len(sums) == 2:
        new_year, old_year = sorted(sums, reverse=True)
        text, derived = change_text(sums[new_year], sums[old_year], a.q.english, times=bool(TIMES.search(a.q.text)))
        old_text = f"{sums[old_year]:,}" + (" thousand yen" if a.q.english else "千円")
        new_text = f"{sums[new_year]:,}" + (" thousand yen" if a.q.english else "千円")
        head = (f"Total budget: {era(a, old_year)} {old_text} → {era(a, new_year)} {new_text}, {text}." if a.q.english
                else f"予算額の合計は {era(a, old_year)} {old_text} → {era(a, new_year)} {new_text}、{text}です。")
        d.lines.insert(0, head)
        d.derived.extend(derived)
