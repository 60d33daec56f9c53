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
ITEM_CUE = re.compile(r"メニュー|内訳|取組例|取り組み例|例は|例が|例を|項目|○|sub-?menus?|sub-?programs?|\bitems?\b"
                      r"|\bexamples?\b|\bmenus?\b|\bcomponents?\b", re.IGNORECASE)
# Words of a heading the question may name, with English forms for English questions.
HEADING_WORDS = (("取組例", r"取組例|取り組み例|examples?"), ("補助メニュー", r"補助メニュー|メニュー|menus?"),
                 ("事業内容", r"事業内容|activities"), ("事業概要", r"事業概要|overview"))
HEADING = re.compile(r"^\s*(■|<|〈)|^\s*【[^】]*】\s*$|^\s*(事業概要|事業内容|補助メニュー|現状・課題|目的|スケジュール|取組イメージ|実施期間|実施方法)\s*$")
BULLET = re.compile(r"○|^\s+-\s|^\s*-\s*✓|^\s*-\s*・")


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


def list_items(lines: list[str], p: Passage, question: str) -> tuple[str, list[tuple[int, str]]]:
    """(what was counted, [(line number, item text)]) for the list a question asks about."""
    numbers = _lines(lines, p)
    for heading, cue in HEADING_WORDS:
        if re.search(cue, question, re.IGNORECASE):
            found = _under_heading(lines, numbers, heading)
            if found:
                return heading, [(n, lines[n - 1].strip().lstrip("-✓・ ")) for n in found]
    # The entry's own bullets: ○ items (several may share a line) and indented - items.
    first_start, first_end = p.spans[0]
    out: list[tuple[int, str]] = []
    for n in range(first_start + 1, first_end + 1):
        raw = lines[n - 1]
        if "○" in raw:
            out.extend((n, part.strip()) for part in raw.split("○")[1:] if part.strip())
        elif BULLET.search(raw) and not raw.strip().startswith("〈"):
            out.append((n, raw.strip().lstrip("-✓・ ")))
    return "items", out
