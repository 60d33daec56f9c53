"""Items: the entries a program's text lists — its menus, ○ items, 取組例 — counted and quoted.

「区市町村在宅療養推進事業の補助メニューはいくつ？」 and 「取組例は何個？」 are answered from the
document's own lists: the lines under a heading the question names (■取組例, 補助メニュー), or
else the bullet items (○, indented -) of the program's entry. Continuation lines in
parentheses belong to the item above them.
"""

from __future__ import annotations

import re

from .normalize import normalize
from .passages import Passage

# A question that counts the entries of a list rather than programs.
ITEM_CUE = re.compile(r"メニュー|内訳|取組(?!は)|取り組み(?!は)|取り組み例|例は|例が|例を|項目|○|何本立て|中身|構成|種類|何型|sub-?menus?|sub-?programs?"
                      r"|\bitems?\b|\bexamples?\b|\bmenus?\b|\bcomponents?\b|\bparts\b|\btypes\b|\bkinds\b|\bactivities\b|\bservices\b",
                      re.IGNORECASE)
# Cues that point at a list inside one program even when the program is only described, not named.
LIST_CUE = re.compile(r"取組例|取り組み例|例は|○|何本立て|中身|構成|種類|何型|\bexamples\b|\bcomponents\b|\bparts\b|make up|made up of"
                      r"|\btypes\b|\bkinds\b", re.IGNORECASE)
# 「BCPは何種類？」: entries defined as 「機関型BCP：…」 in a note.
KINDS_CUE = re.compile(r"種類|何型|types|kinds", re.IGNORECASE)
# Words of a heading the question may name, with English forms for English questions.
HEADING_WORDS = (("取組例", r"取組例|取り組み例|examples?"), ("補助メニュー", r"補助メニュー|メニュー|menus?"),
                 ("事業内容", r"事業内容|activities"), ("事業概要", r"事業概要|overview"))
HEADING = re.compile(r"^\s*(■|<|〈)|^\s*【[^】]*】\s*$|^\s*(事業概要|事業内容|補助メニュー|現状・課題|目的|スケジュール|取組イメージ|実施期間|実施方法)\s*$")
BULLET = re.compile(r"^\s+-\s|^\s*-\s*✓|^\s*-\s*・|^\s*\(\d+\)")
# ○ and ①… mark items that may share one line: 「○多職種連携連絡会の運営 ○在宅療養推進研修」.
ITEM_MARK = re.compile(r"[○①-⑳]")


def _marked(raw: str) -> list[str]:
    """The ○/① items of a line (none when it has no such mark)."""
    return [part.strip() for part in ITEM_MARK.split(raw)[1:] if part.strip()]


def _lines(lines: list[str], p: Passage) -> list[int]:
    return [n for start, end in p.spans for n in range(start, end + 1)]


def _under_heading(lines: list[str], numbers: list[int], heading: str) -> list[int]:
    """Line numbers of the entries under the first heading line that holds ``heading``."""
    for i, n in enumerate(numbers):
        text = lines[n - 1]
        if heading in text and len(normalize(text)) <= len(heading) + 4:
            items = []
            for m in numbers[i + 1:]:
                raw = lines[m - 1].strip()
                if not raw:
                    continue
                if HEADING.match(lines[m - 1]):
                    break
                if raw.startswith(("(", "（", "※")) and items:
                    continue  # a note or continuation of the item above
                items.append(m)
            return items
    return []


def _definitions(lines: list[str], numbers: list[int], question: str) -> list[tuple[int, str]]:
    """Lines that define a kind of the question's term: 「機関型BCP：自機関のBCP」 for 「BCPは何種類？」."""
    terms = {t.lower() for t in re.findall(r"[A-Za-z]{2,}|[\u30a0-\u30ff]{2,}|[\u4e00-\u9fff]{2,}", question)}
    out = []
    for n in numbers:
        head, sep, _ = lines[n - 1].partition("：")
        if sep and any(t in head.lower() for t in terms):
            out.append((n, lines[n - 1].strip().lstrip("-※ ")))
    return out if len(out) >= 2 else []


def list_items(lines: list[str], p: Passage, question: str) -> tuple[str, list[tuple[int, str]]]:
    """(what was counted, [(line number, item text)]) for the list a question asks about."""
    numbers = _lines(lines, p)
    for heading, cue in HEADING_WORDS:
        if re.search(cue, question, re.IGNORECASE):
            found = _under_heading(lines, numbers, heading)
            if found:
                return heading, [(n, lines[n - 1].strip().lstrip("-✓・ ")) for n in found]
    if KINDS_CUE.search(question):
        defined = _definitions(lines, numbers, question)
        if defined:
            return "種類", defined
    # The entry's own bullets: ○ items (several may share a line), indented - items, (1)/① items.
    first_start, first_end = p.spans[0]
    out: list[tuple[int, str]] = []
    for n in range(first_start + 1, first_end + 1):
        raw = lines[n - 1]
        if ITEM_MARK.search(raw):
            out.extend((n, part) for part in _marked(raw))
        elif BULLET.search(raw) and not raw.strip().startswith("〈"):
            out.append((n, raw.strip().lstrip("-✓・ ")))
    return "items", out


def listed_parts(lines: list[str], p: Passage) -> list[str]:
    """Every listed item of a program, detail pages included: ○ items, bullets, (1) items, 取組例."""
    out: list[str] = []
    for start, end in p.spans:
        for n in range(start + 1, end + 1):
            raw = lines[n - 1]
            if ITEM_MARK.search(raw):
                out.extend(_marked(raw))
            elif BULLET.search(raw) or re.match(r"^\s*-\s", raw):
                out.append(raw.strip().lstrip("-✓・ "))
    return out


def entry_overview(lines: list[str], p: Passage) -> str:
    """A program's own entry — its name and description lines — without the items it lists."""
    start, end = p.spans[0]
    kept = [ITEM_MARK.split(line)[0] for line in lines[start - 1:end] if not re.match(r"^\s+-\s", line)]
    return normalize(p.name + "".join(kept))
