"""Shared views of the answer stage: the handlers' arguments, labels, era names, and fact lines.

Public in one place so that handlers never import each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer import Draft
from .facts import Fact
from .passages import Passage
from .question import Query
from .render import Derived, amount_text, glossed, with_western_years

LABELS = {
    "budget": ("予算額", "Budget"), "subsidy_rate": ("補助率", "Subsidy rate"),
    "base_amount": ("基準額", "Base amount"), "cap": ("上限額", "Cap"), "target": ("対象", "Eligibility"),
    "period": ("実施期間", "Period"), "method": ("実施方法", "Method"), "scheme": ("補助の枠組み", "Funding scheme"),
    "survey": ("調査結果", "Survey"), "criterion": ("給付基準", "Provision standard"),
    "schedule": ("スケジュール", "Schedule"),
}


INTENT_KINDS = {
    "amount": ("budget",), "ratio": ("subsidy_rate",), "cap": ("cap", "base_amount"),
    "criterion": ("criterion",), "target": ("target",), "period": ("period", "schedule"),
    "method": ("method", "scheme"), "survey": ("survey",),
}


DETAIL_INTENTS = ("ratio", "cap", "criterion", "target", "period", "method", "survey")


@dataclass
class Args:
    c: object  # Composer
    q: Query
    d: Draft
    years: list[int]
    schedule_years: list[int]
    topic: tuple[str, ...]
    unknown: tuple[str, ...]
    named: list[Passage]
    ctx: list[Passage]
    scope: list[tuple[int, str, str]]
    # 「もう一つの…」 / "the other one": the chat's programs, which the question asks to look past.
    avoid: tuple[str, ...] = ()


def plural(q: Query) -> bool:
    """The question asks about several programs (「…の事業は？」「どれ」, "which programs").

    「…する事業は、いくらの予算？」 asks the amount of the one program it describes: 事業は before いくら is one.
    """
    return bool(re.search(r"事業は(?!.*いくら)|どれ(?!だけ|くらい|ぐらい|ほど)|それぞれ|一覧|すべて|全て|全部|挙げて|which programs|what programs"
                          r"|programs", q.text, re.I))


def era(a: Args, year: int) -> str:
    doc = next(doc for doc in a.c.corpus.documents if doc.fiscal_year == year)
    return f"FY{year}（{doc.era}）" if a.q.english else doc.era


def status(a: Args, year: int) -> str:
    doc = next(doc for doc in a.c.corpus.documents if doc.fiscal_year == year)
    return doc.status


def say_fact(a: Args, f: Fact, label: bool = True, about: Passage | None = None) -> str:
    """A fact as a labelled line, with its 万円 reading or western years; cites it.

    When the fact belongs to a sub-program of the program asked about, it says so:
    a ratio of one menu is not the ratio of the whole program.
    """
    english = a.q.english
    derived: list[Derived] = []
    owner = ""
    if about is not None and f.program_id != about.id:
        child = a.c.corpus.get(f.program_id)
        if child is not None:
            owner = f"［{'sub-program' if english else '内訳'}「{child.name}」］"
    if f.kind in ("budget", "base_amount", "cap") and f.amount is not None:
        value, derived = amount_text(f.amount, english)
        if english:
            value += f" (「{f.value}」)"  # the document's own figure, for checking against the source
    else:
        value = f.value
    cond = f"（{f.condition}）" if f.condition and f.kind not in ("budget", "method") and f.condition != "対象" else ""
    if f.kind == "survey":
        cond = f" {f.condition}"
    note = f"［{f.note}］" if f.note and f.kind in ("budget", "subsidy_rate", "survey") else ""
    if english and f.kind == "subsidy_rate" and "または" in value:
        value = f"{value} ({value.replace('または', ' or ')})"
    text = f"{value}{cond}{note}{owner}"
    if f.kind in ("period", "schedule", "survey"):
        text, more = with_western_years(text)
        derived += more
    a.d.use(f)
    if f.kind == "survey":
        cite_survey_context(a, f)
    a.d.derived.extend(derived)
    text = glossed(text, english)
    if not label:
        return text
    name = LABELS[f.kind][1 if english else 0]
    return f"- {name}: {text}"


# Asking what decides a figure (「どんな場合」, "what determines"), not the figure itself.
CONDITION = re.compile(r"どんな場合|どういう場合|どのような場合|どんなとき|どんな時|条件|何で決ま|どう決ま|基準は何|違いは何"
                       r"|\d+/\d+\s*(に|と)なる(の|場合|とき)|\d+/\d+\s*(rather than|instead of|ではなく)\s*\d+/\d+"
                       r"|under what condition|what condition|what determines|what decides|decides (whether|which|if)"
                       r"|when (does|is) it|which cases?|in what cases?",
                       re.IGNORECASE)


def missing_fact(a: Args, p: Passage, intent: str) -> str:
    rates = a.c.facts(p, "subsidy_rate") if intent == "ratio" and CONDITION.search(a.q.text) else []
    if rates:  # the ratio is stated; what decides between its values is not
        values = "、".join(say_fact(a, f, label=False) for f in rates)
        if a.q.english:
            return f"The subsidy rate of 「{p.name}」 is stated ({values}), but not the conditions that decide it."
        return f"「{p.name}」の補助率は {values} と示されていますが、どの場合にどの率になるかは資料に書かれていません。"
    label = {"amount": ("予算額", "budget"), "ratio": ("補助率", "subsidy rate"), "cap": ("基準額・上限", "cap or base amount"),
             "criterion": ("給付基準", "provision standard"), "target": ("対象", "eligibility"),
             "period": ("実施期間", "period"), "method": ("実施方法", "method"), "survey": ("調査結果", "survey figures")}[intent]
    if a.q.english:
        return f"The {era(a, p.fiscal_year)} document states no {label[1]} for 「{p.name}」."
    return f"「{p.name}」の{label[0]}は{era(a, p.fiscal_year)}の資料に示されていません。"


def program_lines(a: Args, programs: list[Passage]) -> list[str]:
    out = []
    for p in programs:
        parent = a.c.corpus.get(p.parent_id) if p.parent_id else None
        extra = f"（{'part of' if a.q.english else '親事業'}: {parent.name}）" if parent else ""
        flags = f"［{'・'.join(p.flags)}］" if p.flags else ""
        label = "Program" if a.q.english else "事業"
        where = "／".join(x for x in (p.section, p.group) if x)
        where = f"（{'under' if a.q.english else '施策'}: {where}）" if where else ""
        out.append(f"- {label}: {p.name}{glossed(flags, a.q.english) if flags else ''}{extra} — {era(a, p.fiscal_year)}{where}")
    return out


def say_count(a: Args, programs: list[Passage], english: str, japanese: str) -> None:
    """Say how many programs there are ({n} in the templates), recording the count as derived."""
    n = str(len(programs))
    a.d.say((english if a.q.english else japanese).format(n=n), [Derived("count", n, tuple(p.id for p in programs))])


def cite_survey_context(a: Args, f: Fact) -> None:
    """A survey figure's question line (Q …) and source line (出典 …) are part of its evidence."""
    lines = a.c.corpus.document(f.document_id).lines
    for n in range(max(1, f.line_start - 6), min(len(lines), f.line_end + 6) + 1):
        text = lines[n - 1].strip()
        if text.startswith("Q") or text.startswith("出典"):
            end = n + 1 if text.startswith("出典") and n < len(lines) and lines[n].strip().startswith("東京都") else n
            a.d.cite(f.document_id, n, end)
