"""Passages: split a budget document into one passage per program (事業).

Two layouts are handled: the FY2025 overview marks programs as ``- **name【amount】**``
bullets, the FY2020 one as ``■name【amount】``. Both put section headings as
plain lines and groups as 【…】 lines. Sub-programs are indented ``-`` or ``○``
items whose name ends in 事業/研修 (or is flagged 新規); detail pages (FY2025)
start at an ``R7予算額（案）：…千円`` line and are merged into the program they
describe. Patterns are matched on the folded line (see ``normalize.fold``) and
names are sliced from the original line, so what is displayed is the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .documents import Document
from .normalize import fold, normalize


@dataclass(frozen=True)
class Passage:
    """One program: where it sits in its document and its source text."""

    id: str
    document_id: str
    fiscal_year: int
    section: str
    group: str
    name: str
    parent_id: str | None
    flags: tuple[str, ...]
    repeat_of: str | None
    text: str
    spans: tuple[tuple[int, int], ...]

    @property
    def line_start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def line_end(self) -> int:
        return max(e for _, e in self.spans)


@dataclass(frozen=True)
class ParsedDocument:
    """A document's passages and, per line, the id of the program that owns it."""

    document: Document
    passages: tuple[Passage, ...]
    owners: dict[int, str]


@dataclass
class _Program:
    name: str
    folded: str
    flags: list[str]
    section: str
    group: str
    parent: _Program | None
    line: int
    has_amount: bool
    spans: list[tuple[int, int]] = field(default_factory=list)
    children: list[_Program] = field(default_factory=list)
    id: str = ""
    repeat_of: _Program | None = None

    @property
    def key(self) -> str:
        return normalize(self.folded)

    @property
    def root(self) -> _Program:
        return self.parent.root if self.parent else self


_LEGEND = re.compile(r"^\s*【\s*】\s*:")
_GROUP = re.compile(r"^\s*【([^】]+)】\s*$")
_BULLET = re.compile(r"^\s*-\s*\*\*")  # FY2025: - **name**
_SQUARE = re.compile(r"^\s*■")  # FY2020: ■name
_SUB = re.compile(r"^(?:\s+-\s+|\s*○)(?P<item>.+)$")
_NUMBERED = re.compile(r"^\s*(?P<n>\d{1,2})\s+(?P<item>\S.*)$")
_ANCHOR = re.compile(r"^\s*R\d+予算額(?:\(案\))?\s*:\s*(?P<amount>[\d,]+)千円")
_AMOUNT = re.compile(r"【\s*(?P<amount>[\d,]+)\s*千円\s*】")
_MARK = re.compile(r"[<〈](?P<body>[^>〉]*)[>〉]|\((?P<paren>新規|再掲|一部再掲)\)|【新規】")
_FLAG_WORDS = ("新規", "一部再掲", "再掲")
_PROGRAM_END = re.compile(r"(事業|研修)$")
_PAGE_HEAD = ("現状・課題", "目的")
_PAGE_SECTIONS = ("スケジュール", "事業概要", "取組イメージ", "現状・課題", "目的", "補助メニュー")


def _flags(marks: list[str]) -> list[str]:
    flags: list[str] = []
    for mark in marks:
        for part in re.split(r"[・,、]", mark):
            part = part.strip()
            if part and not part.startswith("補助率") and part not in flags:
                flags.append(part)
    return flags


def parse_item(raw: str, folded: str) -> tuple[str, str, list[str], bool]:
    """Split a program item into (display name, folded name, flags, has amount).

    The name ends at the first mark (<新規>, 〈補助率…〉, 【…千円】) or at a
    trailing （…補助…） scheme note; 「広域連携支援・東京都…」 keeps only the
    program part before the 「・」.
    """
    end = len(folded)
    marks: list[str] = []
    for match in _MARK.finditer(folded):
        body = match["body"] if match["body"] is not None else (match["paren"] or "新規")
        if match["body"] is None or any(w in body for w in _FLAG_WORDS):
            marks.append(body)
        end = min(end, match.start()) if match.start() > 0 else end
    amount = _AMOUNT.search(folded)
    if amount:
        end = min(end, amount.start())
    start = 4 if folded.startswith("【新規】") else 0
    name = folded[start:end]
    scheme = re.match(r"^(.+?(?:事業|支援))\((.*補助.*)\)\s*$", name)
    if scheme:
        end = start + len(scheme[1])
    dot = re.match(r"^(.{4,}?(?:支援|事業|研修))・", folded[start:end])
    if dot:
        end = start + len(dot[1])
    return raw[start:end].strip(), folded[start:end].strip(), _flags(marks), bool(amount)


def _is_heading(folded: list[str], i: int) -> bool:
    """A plain line that introduces programs: short, no sentence punctuation."""
    text = folded[i].strip()
    if not text or folded[i][0].isspace() or len(text) > 30:
        return False
    if text[0] in "-■○●・※<〈(【✓➤" or re.search(r"[、。<>〈〉「」:]", text):
        return False
    for j in range(i + 1, len(folded)):
        nxt = folded[j]
        if not nxt.strip() or _LEGEND.match(nxt):
            continue
        return bool(_BULLET.match(nxt) or _SQUARE.match(nxt) or _GROUP.match(nxt))
    return False


def _pages(folded: list[str]) -> list[tuple[int, int, int | None]]:
    """Detail pages as (start, anchor, title line) indices; a page runs to the next."""
    pages: list[tuple[int, int, int | None]] = []
    for a, line in enumerate(folded):
        if not _ANCHOR.match(line):
            continue
        start, title = a, None
        k = _prev_nonblank(folded, a)
        if k is not None and folded[k].strip() in _PAGE_HEAD:
            start, k = k, _prev_nonblank(folded, k)
        floor = pages[-1][1] if pages else -1
        if k is not None and k > floor and _is_title(folded[k]):
            start, title = k, k
        pages.append((start, a, title))
    return pages


def _prev_nonblank(folded: list[str], i: int) -> int | None:
    for k in range(i - 1, -1, -1):
        if folded[k].strip():
            return k
    return None


def _is_title(line: str) -> bool:
    text = line.strip()
    return (
        bool(text)
        and not line[0].isspace()
        and text not in _PAGE_SECTIONS
        and len(text) <= 60
        and not re.search(r"[、。]", text)
        and text[0] not in "-■○●・※<〈✓➤"
    )


class _Parser:
    def __init__(self, document: Document):
        self.doc = document
        self.raw = list(document.lines)
        self.folded = [fold(line) for line in self.raw]
        self.programs: list[_Program] = []
        self.owner: dict[int, _Program] = {}

    def new(self, raw: str, folded: str, section: str, group: str,
            parent: _Program | None, line: int) -> _Program:
        name, fname, flags, has_amount = parse_item(raw, folded)
        program = _Program(name, fname, flags, section, group, parent, line, has_amount)
        if parent:
            parent.children.append(program)
        self.programs.append(program)
        return program

    def overview(self, end: int) -> None:
        section = group = ""
        top: _Program | None = None
        sub: _Program | None = None
        for i in range(end):
            raw, folded = self.raw[i], self.folded[i]
            if not folded.strip() or _LEGEND.match(folded):
                continue
            if _GROUP.match(folded) and "千円" not in folded:
                group, top, sub = raw.strip()[1:-1].strip(), None, None
                continue
            if _BULLET.match(folded) or _SQUARE.match(folded):
                top = sub = None
                for r, f in self._items(raw, folded):
                    top = self.new(r, f, section, group, None, i + 1)
                    top.spans.append((i + 1, i + 1))
                self.owner[i + 1] = top
                continue
            if _is_heading(self.folded, i):
                section, group, top, sub = raw.strip(), "", None, None
                continue
            if top is None:
                continue
            sub_match = _SUB.match(folded)
            if sub_match and folded.count("○") <= 1:
                start = sub_match.start("item")
                item_raw, item_folded = raw[start:], folded[start:]
                _, fname, flags, _ = parse_item(item_raw, item_folded)
                sub = None
                if _PROGRAM_END.search(fname) or "新規" in flags:
                    sub = self.new(item_raw, item_folded, section, group, top, i + 1)
            holder = sub or top
            self.owner[i + 1] = holder
            for program in (top, sub) if sub else (top,):
                s, _ = program.spans[-1] if program.spans else (i + 1, i + 1)
                if program.spans:
                    program.spans[-1] = (s, i + 1)
                else:
                    program.spans.append((i + 1, i + 1))

    @staticmethod
    def _items(raw: str, folded: str) -> list[tuple[str, str]]:
        """Program items of a bullet line: one, or several joined by ■."""
        if _SQUARE.match(folded):
            start = folded.index("■") + 1
            return [(raw[start:], folded[start:])]
        items = []
        for match in re.finditer(r"\*\*(.+?)\*\*", folded):
            items.append((raw[match.start(1):match.end(1)], folded[match.start(1):match.end(1)]))
        return items

    def detail(self, start: int, anchor: int, title: int | None, end: int) -> None:
        """Merge one detail page into the program it describes."""
        while end > start and not self.folded[end - 1].strip():
            end -= 1
        target = self._page_target(start, anchor, title)
        root = target.root
        heads = [i for i in range(start, end) if _NUMBERED.match(self.folded[i])]
        children: dict[int, _Program] = {}
        for i in heads:
            m = _NUMBERED.match(self.folded[i])
            item_raw = self.raw[i][m.start("item"):]
            item_folded = self.folded[i][m.start("item"):]
            key = normalize(parse_item(item_raw, item_folded)[1])
            child = next((c for c in root.children if c.key == key), None)
            if child is None:
                child = self.new(item_raw, item_folded, root.section, root.group, root, i + 1)
            children[i] = child
        if title is not None and "(" in self.folded[title] and target is root:
            paren = self.folded[title][self.folded[title].index("(") + 1:].rstrip(") ")
            target = self._child_named(root, paren) or root
        bounds = heads + [end]
        head_end = heads[0] if heads else end
        root.spans.append((start + 1, end))
        if target is not root:
            target.spans.append((start + 1, head_end))
        for i in range(start, head_end):
            self.owner[i + 1] = target
        for i, j in zip(bounds, bounds[1:]):
            child = children[i]
            child.spans.append((i + 1, j))
            for k in range(i, j):
                self.owner[k + 1] = child

    def _child_named(self, root: _Program, text: str) -> _Program | None:
        key = normalize(text)
        for child in root.children:
            if child.key.startswith(key) or key.startswith(re.sub("事業$", "", child.key)):
                return child
        return None

    def _page_target(self, start: int, anchor: int, title: int | None) -> _Program:
        """The program a detail page describes: by title, else by amount, else by words."""
        if title is not None:
            text = self.folded[title].strip()
            key = normalize(text)
            base = normalize(text.split("(")[0])
            for program in self.programs:
                if program.key == key:
                    return program
            tops = [p for p in self.programs if p.parent is None and not p.repeat_of]
            best = max(tops, key=lambda p: fuzz.ratio(p.key, base), default=None)
            if best is not None and fuzz.ratio(best.key, base) >= 85:
                return best
        amount = _ANCHOR.match(self.folded[anchor])["amount"]
        same = [p for p in self.programs
                if p.has_amount and re.search(rf"【{re.escape(amount)}千円】",
                                              self.folded[p.line - 1].replace(" ", ""))]
        if len(same) == 1:
            return same[0]
        page = normalize("".join(self.folded[start:anchor + 40]))
        return max((p for p in self.programs if p.parent is None),
                   key=lambda p: _bigram_overlap(p.key, page))

    def link_repeats(self) -> None:
        """Point 再掲 entries (and unmarked repeats with no amount) at the original."""
        for index, program in enumerate(self.programs):
            explicit = any("再掲" in f for f in program.flags)
            if not explicit and (program.has_amount or program.flags):
                continue
            # An unmarked entry is a repeat only of one listed before it.
            candidates = self.programs if explicit else self.programs[:index]
            for other in candidates:
                if (other is not program and other.key == program.key
                        and other.repeat_of is None
                        and not any("再掲" in f for f in other.flags)):
                    program.repeat_of = other
                    break

    def assign_ids(self) -> None:
        seen: dict[str, int] = {}
        for program in self.programs:
            base = (program.parent.id if program.parent else self.doc.id) + "/" + \
                re.sub(r"\s+", "", program.folded)
            seen[base] = seen.get(base, 0) + 1
            program.id = base if seen[base] == 1 else f"{base}~{seen[base]}"

    def passage(self, program: _Program) -> Passage:
        spans = tuple(sorted(set(program.spans)))
        lines = sorted({n for s, e in spans for n in range(s, e + 1) if self.raw[n - 1].strip()})
        return Passage(
            id=program.id,
            document_id=self.doc.id,
            fiscal_year=self.doc.fiscal_year,
            section=program.section,
            group=program.group,
            name=program.name,
            parent_id=program.parent.id if program.parent else None,
            flags=tuple(program.flags),
            repeat_of=program.repeat_of.id if program.repeat_of else None,
            text="\n".join(self.raw[n - 1].rstrip() for n in lines),
            spans=spans,
        )


def _bigram_overlap(name: str, text: str) -> float:
    grams = {name[i:i + 2] for i in range(len(name) - 1)}
    return sum(g in text for g in grams) / max(len(grams), 1)


def parse_document(document: Document) -> ParsedDocument:
    """Turn one document into program passages and a line → program map."""
    parser = _Parser(document)
    pages = _pages(parser.folded)
    overview_end = pages[0][0] if pages else len(parser.raw)
    parser.overview(overview_end)
    parser.link_repeats()
    starts = [p[0] for p in pages] + [len(parser.raw)]
    for (start, anchor, title), end in zip(pages, starts[1:]):
        parser.detail(start, anchor, title, end)
    parser.assign_ids()
    passages = tuple(parser.passage(p) for p in parser.programs)
    owners = {line: program.id for line, program in parser.owner.items()}
    return ParsedDocument(document, passages, owners)
