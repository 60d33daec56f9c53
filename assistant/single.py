"""Single: the asked figures of one program (budget, rate, cap, target, period, method, survey), or why not.
"""

from __future__ import annotations

import re

from .describe import evidence, evidence_head
from .facts import Fact
from .normalize import normalize
from .passages import Passage
from .pick import named_parts
from .render import Derived, amount_text, change_text
from .survey import survey_facts, survey_gap, survey_pick
from .views import CONDITION, INTENT_KINDS, LABELS, Args, era, missing_fact, program_lines, say_fact, status


def facts_answer(a: Args, programs: list[Passage], intents: list[str], both_years: bool) -> None:
    c, d, q = a.c, a.d, a.q
    d.kind = intents[0]
    intents = list(dict.fromkeys(intents))
    if "cap" in intents and "amount" in intents:
        intents.remove("amount")
    if "ratio" in intents and CONDITION.search(q.text):
        # 「3/4になるのはどんな病院？」 asks what decides the rate; 「どんな病院」 is that condition, not the target.
        intents = ["ratio"]
    if q.superlative and len(programs) > 1 and "amount" in intents:
        ranked = [p for p in programs if c.corpus.budget(p.id) is not None]
        if ranked:
            pick = max if q.superlative == "max" else min
            programs = [pick(ranked, key=lambda p: c.corpus.budget(p.id))]
    main = programs[0]
    # 「その事業の予算は？」 after a menu without an amount of its own asks for the program it belongs to;
    # 「そのメニューだけの予算は？」 still asks for the menu's own, which is not stated.
    parent = c.corpus.get(main.parent_id) if main.parent_id else None
    if intents == ["amount"] and a.ctx and not a.named and not a.topic and parent and c.corpus.budget(main.id) is None \
            and c.corpus.budget(parent.id) is not None and not PART.search(q.text) \
            and not re.search(r"メニュー|\bmenus?\b|内訳|項目|窓口|desk|研修|training", q.text, re.I):
        d.programs.clear()
        programs = [parent] + [x for x in programs[1:] if x.id != parent.id]
        main = parent
    # 「ACP推進事業と参入促進事業、どちらが大きい？」: the amounts of every program named.
    # A menu named with its parent (「…推進事業の中の小児等…事業」) is one thing asked about, not two.
    several = intents == ["amount"] and len({p.name for p in programs}) >= 2 and len(a.named) >= 2 and not both_years \
        and not any(p.parent_id in {x.id for x in programs} for p in programs)
    if both_years and (not a.years or "change" in q.intents):  # 「令和2年度から変わった？」 names the baseline
        programs = [p for p in (c.in_year(main, y) for y in sorted(c.corpus.years(), reverse=True)) if p]
    head: list[str] = []
    body: list[str] = []
    answered = 0
    if "survey" in intents and "period" in intents:
        intents.remove("period")  # 「いつの調査」 asks for the survey's date, given with its figures
    if intents == ["survey"] and not c.facts(main, "survey"):
        survey = survey_facts(c.corpus, main.fiscal_year)
        if survey:
            main = c.corpus.passage(survey[0].program_id)
            programs = [main]
            d.programs.clear()
    survey_shown: list[Fact] = []
    for p in programs if both_years or several else [main]:
        d.program(p)
        for intent in intents:
            facts = _facts_for(a, p, intent)
            if intent == "survey" and p == main:
                survey_shown = facts
            if not facts:
                fallback = evidence(a, p, intent) if intent in ("target", "method") else []
                if fallback:
                    answered += 1
                    head.append(evidence_head(a, p, intent))
                    body.extend(fallback)
                    continue
                head.append(missing_fact(a, p, intent))
                if intent == "amount":
                    body.extend(_parent_total(a, p) or _whole_total(a, p))
                continue
            answered += 1
            head.append(_headline(a, p, intent, facts))
            body.extend(say_fact(a, f, about=p) for f in facts)
    if not answered:
        d.abstained = True
        d.lines.extend(head[:1])
        d.abstain()
        d.lines.extend(body)
        return
    if "amount" in intents and not a.years and not both_years and not several:
        body.extend(_other_year(a, main))
    if several and COMPARATIVE.search(q.text):
        budgeted = [p for p in programs if c.corpus.budget(p.id) is not None]
        if len(budgeted) == 2 and c.corpus.budget(budgeted[0].id) != c.corpus.budget(budgeted[1].id):
            big = max(budgeted, key=lambda p: c.corpus.budget(p.id))
            head.append(f"The larger is 「{big.name}」." if q.english else f"大きいのは「{big.name}」です。")
    body.extend(survey_gap(a, survey_shown))
    d.lines.extend([" ".join(dict.fromkeys(head))] + program_lines(a, programs if both_years or several else [main])
                   + body)


COMPARATIVE = re.compile(r"larger|bigger|more|higher|smaller|less|lower|どちら|どっち|多い|少ない|大きい|小さい", re.I)


PART = re.compile(r"のうち|うち、|(?<!どれ)だけ|のみ|単独|内訳|part of|portion|alone|only|specifically|on its own|just (for|the|on)\b"
                  r"|how much of (the|its|that|this)\b"
                  r"|\bin the (?!(fy\s*\d+ |fiscal \d+ |r\d+ )?budget)[^?]*\b(program|project)",
                  re.IGNORECASE)


def _asks_for_part(a: Args, p: Passage) -> bool:
    """「ACP推進事業のうち普及啓発だけの予算」: an amount for a part of a program, named by words not in its name."""
    if _names_a_listed_part(a, p):
        return True
    if not PART.search(a.q.text):
        return False
    name = normalize(p.name)
    words = [t for t in (a.topic if a.q.english else a.c.tokenizer.nouns(a.q.text))
             if len(t) >= 2 and t not in a.c.generic and t not in a.unknown]
    return any(normalize(t) not in name for t in words)


def _names_a_listed_part(a: Args, p: Passage) -> bool:
    """「シンポジウムの予算は？」 of 在宅療養研修事業: the question names one of the items the program lists.

    Only the whole program's amount is stated, so an amount for a listed item (a ○ item,
    a bullet of its 事業内容) is not in the documents. Target, cap and rate lines are not items.
    """
    # In English the glossary maps every word of a long question, context included ("our clinic does home
    # visits…"): only a question that singles out a part ("under the …", "what do the … cost") is taken as one.
    if a.q.english and not re.search(r"\b(under|within|part of|in|of) (the|its|that|this)\b"
                                     r"(?! (R\d|FY|fiscal|budget|document|year|proposal|\d))|\bwhat (do|does) the\b.*\bcost",
                                     a.q.text, re.IGNORECASE):
        return False
    items, named = named_parts(a, p)
    # 「24時間診療体制とオンライン病診連携を進める事業」 describes the whole program by all its items, and
    # 「24時間診療体制をつくる事業」 by one: a program described by what it does, not a part of it.
    if named and not PART.search(a.q.text) and re.search(
            r"([るたすぐつうくむ][^、。？?\s]{0,6}?|の)(事業|取組|取り組み)|\b(program|project|initiative)s? (that|which)\b", a.q.text):
        return False
    return bool(named) and not (len(named) >= 2 and len(named) == len(items))


def _facts_for(a: Args, p: Passage, intent: str) -> list[Fact]:
    c = a.c
    kinds = INTENT_KINDS[intent]
    facts = c.facts(p, *kinds, family=intent != "amount")
    if intent == "amount":
        if _asks_for_part(a, p):
            return []  # only the whole program's amount is stated
        own = [f for f in facts if f.program_id == p.id]
        return own[:1]
    if intent == "survey":  # about all the figures of the survey page, whichever program matched
        facts = survey_facts(c.corpus, p.fiscal_year)
        return survey_pick(a, facts) if facts else []
    if intent == "period" and a.schedule_years:
        eras = [f"令和{y - 2018}年度" for y in a.schedule_years]
        facts = [f for f in facts if any(e in f.text for e in eras)]
    if intent == "method" and not facts:
        # 「基金の区市町村計画として実施」 is written as a note on the subsidy rate: how the menu is run.
        facts = [f for f in c.facts(p, "subsidy_rate") if re.search(r"として実施|により実施|基金|包括補助", f.note)][:1]
    if intent == "ratio" and facts and not _item_matches(a, p, facts):
        return []
    if intent == "ratio" and facts and CONDITION.search(a.q.text) and not any(f.condition for f in facts):
        return []  # 「3/4になるのはどんな場合？」: the ratio is stated, what decides it is not
    return facts


def _item_matches(a: Args, p: Passage, facts: list[Fact]) -> bool:
    """A ratio that applies to one listed item only does not answer a question about another item."""
    items = [f for f in facts if f.condition and not re.search(r"年|期間", f.condition)]
    if len(items) != len(facts) or not a.topic:
        return True
    _, named = named_parts(a, p)
    if named:  # 「オンライン病診連携の補助率は？」 where the rate is written on the 24時間 item only
        return any(normalize(f.condition) in normalize(text) for f in items for text in named)
    lines = [normalize(line) for line in p.text.split("\n")[1:]]
    def overlap(text: str) -> int:
        return sum(t in text for t in a.topic)
    best_condition = max(overlap(normalize(f.condition)) for f in items)
    best_other = max((overlap(line) for line in lines if not any(normalize(f.condition) in line for f in items)),
                     default=0)
    return best_condition >= best_other


def _headline(a: Args, p: Passage, intent: str, facts: list[Fact]) -> str:
    english = a.q.english
    derived: list[Derived] = []
    name = f"「{p.name}」"
    if intent == "amount":
        f = facts[0]
        value, derived = amount_text(f.amount, english)
        a.d.derived.extend(derived)
        if english:
            return f"The {era(a, p.fiscal_year)} budget ({status(a, p.fiscal_year)}) of {name} is {value}."
        return f"{name}の{era(a, p.fiscal_year)}{status(a, p.fiscal_year)}は {value} です。"
    values = "、".join(dict.fromkeys(say_fact(a, f, label=False, about=p) for f in facts))
    label = LABELS["method" if intent == "method" else facts[0].kind][1 if english else 0]
    if english:
        return f"{label} of {name} ({era(a, p.fiscal_year)}): {values}."
    return f"{name}（{era(a, p.fiscal_year)}）の{label}: {values}。"


def _other_year(a: Args, p: Passage) -> list[str]:
    out = []
    for y in a.c.corpus.years():
        if y == p.fiscal_year:
            continue
        other = a.c.in_year(p, y)
        if other is None:
            continue
        facts = a.c.facts(other, "budget", family=False)[:1]
        if facts:
            a.d.program(other)
            value, derived = amount_text(facts[0].amount, a.q.english)
            a.d.use(facts[0])
            a.d.derived.extend(derived)
            text, more = change_text(a.c.corpus.budget(p.id), facts[0].amount, a.q.english)
            a.d.derived.extend(more)
            if a.q.english:
                out.append(f"- {era(a, y)}: {value} (this year vs then: {text})")
            else:
                out.append(f"- {era(a, y)}は {value} でした（{text}）。")
    return out


def _whole_total(a: Args, p: Passage) -> list[str]:
    """The program's own amount, said as the whole when a part of it was asked for."""
    facts = a.c.facts(p, "budget", family=False)[:1]
    if not facts or not _asks_for_part(a, p):
        return []
    a.d.use(facts[0])
    value, derived = amount_text(facts[0].amount, a.q.english)
    a.d.derived.extend(derived)
    if a.q.english:
        return [f"- Only the whole program's amount is stated: {value}."]
    return [f"- 示されているのは事業全体の {value} だけです。"]


def _parent_total(a: Args, p: Passage) -> list[str]:
    parent = a.c.corpus.get(p.parent_id) if p.parent_id else None
    if not parent:
        return []
    facts = a.c.facts(parent, "budget", family=False)
    if not facts:
        return []
    a.d.use(facts[-1])
    value, derived = amount_text(facts[-1].amount, a.q.english)
    a.d.derived.extend(derived)
    if a.q.english:
        return [f"- Only the whole program 「{parent.name}」 has a stated amount: {value}."]
    return [f"- 金額が示されているのは親事業「{parent.name}」全体の {value} です。"]


def quoted_figures(a: Args) -> list[Fact]:
    """Facts whose figure the question quotes (「46.5%って何の数字？」, "the 70.7% figure")."""
    quoted = re.findall(r"(\d+(?:\.\d+)?)\s*%|([\d,]{4,})\s*(?:千円|thousand)", normalize(a.q.text))
    if not quoted or a.q.threshold:
        return []
    found = []
    for pct, amount in quoted:
        for f in a.c.corpus.facts:
            if pct and f.percent is not None and f"{f.percent}" == pct:
                found.append(f)
            elif amount and f.amount is not None and f.amount == int(amount.replace(",", "")):
                found.append(f)
    return found


def figures(a: Args, facts: list[Fact]) -> None:
    """Say what a quoted figure is: its program, year, label and source."""
    d = a.d
    d.kind = facts[0].kind
    for f in facts:
        p = a.c.corpus.passage(f.program_id)
        d.program(p)
        label = LABELS[f.kind][1 if a.q.english else 0]
        if a.q.english:
            d.say(f"{f.value} is the {label.lower()} of 「{p.name}」 in the {era(a, f.fiscal_year)} document: {say_fact(a, f, label=False)}")
        else:
            d.say(f"{f.value} は{era(a, f.fiscal_year)}の資料にある「{p.name}」の{label}です: {say_fact(a, f, label=False)}")
