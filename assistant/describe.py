"""Describe: what a program does — its description lines, detail-page sections, sub-programs and key figures.

Also the lines that speak to a question when no structured fact answers it
(who a program is for, how it is carried out) and its background (現状・課題).
"""

from __future__ import annotations

import re

from .normalize import normalize
from .passages import Passage
from .render import glossed
from .views import Args, era, program_lines, say_fact


def evidence(a: Args, p: Passage, intent: str) -> list[str]:
    """Source lines of the program that speak to the question, when no fact of that kind exists."""
    # Cue words of lines that state who a program is for, or how it is carried out.
    cues = {"target": r"対象|向け|に対し|対し、", "method": r"により実施|による|委託|包括補助|採択|弁護士|電話|基金|計画として実施"}[intent]
    lines = []
    for start, end in p.spans:
        for n in range(start, end + 1):
            raw = a.c.corpus.document(p.document_id).lines[n - 1]
            text = normalize(raw)
            if not text or n == p.spans[0][0] and len(p.spans) == 1 and not re.search(cues, raw):
                continue
            score = sum(t in text for t in a.topic) + (2 if re.search(cues, raw) else 0)
            if score >= 2:
                lines.append((score, n, raw.strip()))
    lines.sort(key=lambda x: (-x[0], x[1]))
    out = []
    for _, n, raw in sorted(lines[:3], key=lambda x: x[1]):
        a.d.cite(p.document_id, n, n)
        out.append(f"- {glossed(raw.lstrip('-・ ○'), a.q.english)}")
    return out


def evidence_head(a: Args, p: Passage, intent: str) -> str:
    if a.q.english:
        return f"From the description of 「{p.name}」 ({era(a, p.fiscal_year)}):"
    return f"「{p.name}」（{era(a, p.fiscal_year)}）の記載:"


BACKGROUND = re.compile(r"背景|課題|問題|現状|なぜ|どうして|必要(性|なの|な理由)|why|background|problems?|challenges?|issues?",
                        re.IGNORECASE)


HEADERS = re.compile(r"^\s*[<〈■]?\s*(事業概要|事業内容|取組例|目的|実施方法|補助メニュー)\s*[>〉]?\s*$")


SKIP = re.compile(r"^\s*(現状・課題|スケジュール|取組イメージ|R\d+予算額)")


def _says_more_than_its_name(line: str, name: str) -> bool:
    rest = normalize(line).replace(normalize(name), "")
    rest = re.sub(r"[-*■\s・【】\[\]<>〈〉]|[\d,]+千円|新規|再掲|一部再掲", "", rest)
    return len(rest) >= 6 and "**" not in line.replace(f"**{name}", "", 1).replace("**", "", 1)


BACKGROUND_HEAD = re.compile(r"^\s*現状・課題\s*$")


BACKGROUND_END = re.compile(HEADERS.pattern + r"|^\s*(スケジュール|取組イメージ|Q\s)")


BUDGET_LINE = re.compile(r"^\s*R\d+予算額")


def _under_headings(lines, spans, start: re.Pattern, stop: re.Pattern, skip: re.Pattern | None = None,
                    take: int = 4) -> list[int]:
    """The first ``take`` non-empty lines after each ``start`` heading, until a ``stop`` line; ``skip`` lines don't count."""
    out = []
    for first, last in spans:
        taking = 0
        for n in range(first, last + 1):
            raw = lines[n - 1]
            if start.match(raw):
                taking = take
            elif stop.match(raw):
                taking = 0
            elif raw.strip() and taking and not (skip and skip.match(raw)):
                out.append(n)
                taking -= 1
    return out


def description(a: Args, p: Passage, limit: int = 14) -> list[int]:
    """Line numbers that say what a program does: its overview lines, the detail page's
    事業概要/事業内容/取組例 sections, and the lines that match the question's topic."""
    lines = a.c.corpus.document(p.document_id).lines
    first_start, first_end = p.spans[0]
    chosen = [n for n in range(first_start + 1, first_end + 1) if lines[n - 1].strip()][:10]
    chosen += _under_headings(lines, p.spans[1:], HEADERS, SKIP)
    if BACKGROUND.search(a.q.text):  # 「なぜ必要？」「背景は？」: the detail page's 現状・課題 lines
        chosen += _under_headings(lines, p.spans, BACKGROUND_HEAD, BACKGROUND_END, skip=BUDGET_LINE)
    scored = []
    for start, end in p.spans:
        for n in range(start, end + 1):
            text = normalize(lines[n - 1])
            score = sum(t in text for t in a.topic)
            if text and score >= 2:
                scored.append((score, n))
    chosen += [n for _, n in sorted(scored, key=lambda x: (-x[0], x[1]))[:4]]
    out = []
    titles = {start for start, _ in p.spans}  # the program's own line and detail-page titles
    # A one-line entry says what it does on its title line: 「広域連携支援・東京都地域医療構想調整会議…の開催」.
    if _says_more_than_its_name(lines[first_start - 1], p.name):
        out.append(first_start)
    for n in chosen:
        if n not in out and n not in titles and not SKIP.match(lines[n - 1]):
            out.append(n)
    return sorted(out)[:limit]


def content(a: Args, programs: list[Passage]) -> None:
    """What a program does: its description lines, sub-programs and key figures."""
    d, c = a.d, a.c
    d.kind = "content"
    p = programs[0]
    doc = c.corpus.document(p.document_id)
    if a.q.english:
        d.say(f"「{p.name}」 ({era(a, p.fiscal_year)}) — from the document:")
    else:
        d.say(f"「{p.name}」（{era(a, p.fiscal_year)}）の内容は次のとおりです。")
    d.lines.extend(program_lines(a, [p]))
    d.program(p)
    # Entries that list the program again (再掲) often carry its details: include theirs.
    again = [r for r in c.corpus.passages if r.repeat_of == p.id]
    shown_lines: list[int] = []
    for source in [p] + again:
        for n in description(a, source):
            if n not in shown_lines and doc.lines[n - 1].strip():
                shown_lines.append(n)
                d.cite(p.document_id, n, n)
                d.say(f"- {glossed(doc.lines[n - 1].strip().replace('**', '').lstrip('-・ ○✓'), a.q.english)}")
    children = c.corpus.children(p.id)
    if children:
        label = "Sub-programs" if a.q.english else "内訳"
        d.say(f"- {label}: " + "、".join(glossed(ch.name + ("［" + "・".join(ch.flags) + "］" if ch.flags else ""), a.q.english)
                                         for ch in children))
        for ch in children:
            d.program(ch, 0.5)
            for n in description(a, ch, limit=6 if len(children) <= 2 else 3):
                if not any(n in range(s, e + 1) for s, e in p.spans[:1]):
                    d.cite(ch.document_id, n, n)
                    d.say(f"  - {glossed(doc.lines[n - 1].strip().replace('**', '').lstrip('-・ ○✓'), a.q.english)}")
    budget = c.facts(p, "budget", family=False)[:1]
    if budget:
        d.say(say_fact(a, budget[0]))
    shown = c.facts(p, "subsidy_rate", "target", "period", family=False)[:4]
    # Facts that speak to the question's own words (「Web情報室は初年度に何を」 → its schedule row).
    name = normalize(p.name)
    asked = [t for t in a.topic if t not in name]
    shown += [f for f in c.facts(p, "schedule", "method", "scheme", "criterion")
              if asked and any(t in normalize(f.text) for t in asked) and f not in shown]
    for f in shown:
        d.say(say_fact(a, f, about=p))


def program_summary(a: Args, p: Passage, describe: bool = False) -> str:
    c, d = a.c, a.d
    d.program(p)
    parts = []
    budget = c.facts(p, "budget", family=False)[:1]
    if budget:
        parts.append(say_fact(a, budget[0], label=False))
    rates = c.facts(p, "subsidy_rate", family=False)
    if rates:
        parts.append(("subsidy rate " if a.q.english else "補助率 ") + "、".join(say_fact(a, f, label=False) for f in rates))
    parent = c.corpus.get(p.parent_id) if p.parent_id else None
    flags = glossed("・".join(p.flags), a.q.english) if p.flags else ""
    head = f"- {p.name}" + (f"［{flags}］" if flags else "") + (f"（{'part of ' if a.q.english else ''}{parent.name}{'' if a.q.english else 'の内訳'}）" if parent else "")
    line = head + (": " + " / ".join(parts) if parts else "")
    if describe:
        lines = c.corpus.document(p.document_id).lines
        about = [n for n in description(a, p, limit=6) if len(lines[n - 1].strip()) >= 15][:1]
        for n in about:
            d.cite(p.document_id, n, n)
            line += "\n  - " + glossed(lines[n - 1].strip().lstrip("-・ ○✓〈例〉"), a.q.english)
    return line
