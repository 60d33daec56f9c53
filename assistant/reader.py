"""The general structure reader's common part: items → passages, line owners and facts.

The layout readers (``outline``, ``pipetable``, ``columns``) each turn a document's
lines into ``Item``s — a name, its level, tags, amounts with units, ratios and caps,
and the lines it owns; ``build_reading`` then gives them ids and parents and makes
the same ``Passage`` and ``Fact`` records the seed parser makes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .documents import Document
from .facts import Fact, rate_clauses
from .normalize import fold, normalize
from .passages import ParsedDocument, Passage
from .units import Amount, find_amounts, in_unit

# Tags as written → the flag recorded: 【新規】 (新) <新規> ［拡充］ 【再掲】 …
TAG_WORDS = {"新規": "新規", "新": "新規", "拡充": "拡充", "継続": "継続", "再掲": "再掲",
             "一部再掲": "一部再掲", "廃止": "廃止", "終了": "終了"}
_TAG = re.compile(r"【(?P<a>[^】]{1,4})】|\((?P<b>[^)]{1,4})\)|[<〈](?P<c>[^>〉]{1,4})[>〉]|[\[［](?P<d>[^\]］]{1,4})[\]］]")
_LEADING_TAG = re.compile(r"^\s*(新規|拡充|継続|再掲)[\s・:]+(?=\S)")
_RATE = re.compile(r"補助率\s*[:]?\s*(?P<text>.*?)(?=(?:補助)?上限|基準額|$)")
_CAP = re.compile(r"(?:補助)?上限(?:額)?\s*[:]?\s*(?P<cond>(?:\d+\D{0,6}?(?:当たり|あたり))?[^\d、,()]{0,12}?)\s*(?=\d)")


CHANGE_WORDS = ("増減", "増(△)減", "増(▲)減", "増△減", "比較", "差引", "前年度比", "対前年", "伸び率", "増減率")
PREVIOUS_WORDS = ("前年度", "前年", "昨年度", "前回")
CURRENT_WORDS = ("要求額", "予算額", "当年度", "本年度", "当初予算", "見積額", "予算案", "計上額")
_YEAR_HEAD = re.compile(r"^(?:令和|R)(?P<n>\d{1,2}|元)(?:年度)?")


def amount_column(header: str, fiscal_year: int) -> str | None:
    """'current', 'previous' or 'change' for an amount column header, else None.

    Year-labelled headers (「R8予算額」, 「令和7年度」) are told apart by the document's fiscal year.
    """
    text = re.sub(r"\s+", "", fold(header))
    if any(w in text for w in CHANGE_WORDS):
        return "change"
    if m := _YEAR_HEAD.match(text):
        year = 2018 + (1 if m["n"] == "元" else int(m["n"]))
        return {fiscal_year: "current", fiscal_year - 1: "previous"}.get(year)
    if any(w in text for w in PREVIOUS_WORDS):
        return "previous"
    if any(w in text for w in CURRENT_WORDS):
        return "current"
    return None


@dataclass
class Item:
    """One program (or heading) as a layout reader found it."""

    name: str
    line: int
    level: int
    flags: list[str] = field(default_factory=list)
    amount: Amount | None = None
    amount_line: int = 0
    current_label: str = ""
    previous: Amount | None = None
    previous_line: int = 0
    previous_label: str = ""
    rates: list[tuple[str, str, int]] = field(default_factory=list)
    caps: list[tuple[Amount, str, int]] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)
    section: str = ""
    group: str = ""
    parent: Item | None = None


@dataclass(frozen=True)
class Reading:
    """What a reader read from one document: passages, facts and warnings."""

    layout: str
    parsed: ParsedDocument
    facts: tuple[Fact, ...]
    warnings: tuple[str, ...] = ()


def split_tags(text: str) -> tuple[str, list[str]]:
    """Remove tags such as 【新規】 / (新) / <拡充> from a name; return (name, flags)."""
    flags: list[str] = []
    cut: list[tuple[int, int]] = []
    for m in _TAG.finditer(fold(text)):
        word = next(g for g in m.groups() if g is not None).strip()
        if word in TAG_WORDS:
            cut.append((m.start(), m.end()))
            if TAG_WORDS[word] not in flags:
                flags.append(TAG_WORDS[word])
    folded = fold(text)
    if m := _LEADING_TAG.match(folded):  # 「新規 在宅…事業」: the tag as a leading word
        cut.append((m.start(), m.end()))
        if TAG_WORDS[m[1]] not in flags:
            flags.append(TAG_WORDS[m[1]])
    name = "".join(ch for i, ch in enumerate(text) if not any(s <= i < e for s, e in cut))
    return re.sub(r"\s+", " ", name).strip(), flags


def read_rates(item: Item, text: str, line: int) -> None:
    """補助率 and 補助上限 stated in a line (or a table cell) of an item."""
    folded = fold(text)
    for m in _RATE.finditer(folded):
        for cond, value in rate_clauses(m["text"]):
            item.rates.append((cond, value, line))
    for m in _CAP.finditer(folded):
        amounts = find_amounts(text[m.end():])
        if amounts and amounts[0][1] == 0:
            item.caps.append((amounts[0][0], m["cond"].strip(), line))


TOTAL_NAMES = ("合計", "小計", "計", "総計", "総額", "合計額", "再掲除く合計")


def drop_totals(items: list[Item], warnings: list[str]) -> list[Item]:
    """Remove 合計/小計 rows (they are not programs); a grand total that is not the sum of the
    top-level programs before it is a warning."""
    kept: list[Item] = []
    for item in items:
        if re.sub(r"\s+", "", fold(item.name)) not in TOTAL_NAMES:
            kept.append(item)
            continue
        top = min((it.level for it in kept), default=item.level)
        listed = sum(it.amount.yen for it in kept if it.level == top and it.amount and "再掲" not in it.flags)
        if item.amount and item.name.strip().startswith(("合", "総")) and listed != item.amount.yen:
            warnings.append(f"line {item.line}: 「{item.name.strip()}」 {item.amount.as_written} is not the sum of "
                            f"the programs above ({in_unit(listed, item.amount.unit)}); some amounts may be misread")
    return kept


def attach(items: list[Item]) -> None:
    """Parents by level: each item's parent is the nearest earlier item of a lower level."""
    stack: list[Item] = []
    for item in items:
        while stack and stack[-1].level >= item.level:
            stack.pop()
        item.parent = stack[-1] if stack else None
        stack.append(item)


def _spans(lines: set[int]) -> tuple[tuple[int, int], ...]:
    spans: list[list[int]] = []
    for n in sorted(lines):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return tuple((s, e) for s, e in spans)


def build_reading(document: Document, layout: str, items: list[Item], warnings: list[str]) -> Reading:
    """Passages, owners and facts of the items a layout reader found."""
    raw = document.lines
    ids: dict[int, str] = {}
    seen: Counter[str] = Counter()
    for item in items:
        base = (ids[id(item.parent)] if item.parent else document.id) + "/" + re.sub(r"\s+", "", fold(item.name))
        seen[base] += 1
        ids[id(item)] = base if seen[base] == 1 else f"{base}~{seen[base]}"
    originals: dict[str, str] = {}
    for item in items:
        if not any("再掲" in f for f in item.flags):
            originals.setdefault(normalize(item.name), ids[id(item)])
    passages, facts, owners = [], [], {}
    counts: Counter[tuple[str, str, int]] = Counter()

    def add(pid: str, kind: str, value: str, line: int, **extra) -> None:
        counts[(pid, kind, line)] += 1
        n = counts[(pid, kind, line)]
        facts.append(Fact(id=f"{pid}#{kind}@{line}" + (f".{n}" if n > 1 else ""), program_id=pid,
                          document_id=document.id, fiscal_year=document.fiscal_year, kind=kind, value=value,
                          text=raw[line - 1].strip() if 0 < line <= len(raw) else "",
                          line_start=line, line_end=line, **extra))

    def money(pid: str, kind: str, amount: Amount, line: int, condition: str = "") -> None:
        add(pid, kind, amount.as_written, line, condition=condition, amount=amount.thousand_yen,
            yen=amount.yen, unit=amount.unit, as_written=amount.as_written)

    for item in items:
        pid = ids[id(item)]
        key = normalize(item.name)
        repeat_of = originals.get(key) if any("再掲" in f for f in item.flags) else None
        lines = {n for n in item.lines | {item.line} if 0 < n <= len(raw) and raw[n - 1].strip()}
        for n in sorted(lines):
            owners.setdefault(n, pid)
        spans = _spans(lines)
        passages.append(Passage(
            id=pid, document_id=document.id, fiscal_year=document.fiscal_year, section=item.section,
            group=item.group, name=item.name, parent_id=ids[id(item.parent)] if item.parent else None,
            flags=tuple(item.flags), repeat_of=repeat_of,
            text="\n".join(raw[n - 1].rstrip() for n in sorted(lines)), spans=spans,
        ))
        if item.amount is not None:
            money(pid, "budget", item.amount, item.amount_line or item.line, item.current_label)
        if item.previous is not None:
            money(pid, "previous_budget", item.previous, item.previous_line or item.line, item.previous_label)
        for cond, value, line in item.rates:
            add(pid, "subsidy_rate", value, line, condition=cond)
        for amount, cond, line in item.caps:
            money(pid, "cap", amount, line, cond)
    parsed = ParsedDocument(document, tuple(passages), owners)
    return Reading(layout, parsed, tuple(facts), tuple(warnings))
