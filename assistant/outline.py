"""Numbered outlines: 「1 在宅医療推進事業(177百万円)」, sub-items ア / (1) / ① / ■ / ○, totals in 億円.

Levels come from the order in which numbering kinds first appear (1 → ア → ① …).
PDF-extraction damage is repaired before reading: an amount split over two lines
(「(120百」 / 「万円)」) is joined, a number alone on its line takes the next line as
its name, a name continued on the next line is joined, and amounts printed on lines
of their own after two items' names (interleaved columns) go to those items in order.
"""

from __future__ import annotations

import re

from .documents import Document
from .normalize import fold
from .reader import Item, Reading, amount_column, attach, build_reading, drop_totals, read_rates, split_tags
from .units import Amount, find_amounts, in_unit, legend_unit, make_amount

# (kind, pattern): the label and the rest of the line.
LABELS = (
    ("roman", re.compile(r"^(?P<label>[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|第\d{1,2}(?=[\s章節部]))[章節部]?\s*(?P<rest>.*)$")),
    ("paren-digit", re.compile(r"^\((?P<label>\d{1,2})\)\s*(?P<rest>.*)$")),
    ("digit-close", re.compile(r"^(?P<label>\d{1,2})\)\s*(?P<rest>.*)$")),
    ("digit", re.compile(r"^(?P<label>\d{1,2})(?:[.．、]\s*|\s+|$)(?P<rest>(?!\d).*)$")),
    ("paren-kana", re.compile(r"^\((?P<label>[ア-ン])\)\s*(?P<rest>.*)$")),
    ("kana", re.compile(r"^(?P<label>[ア-ン])(?:[.．、]\s*|\s+|$)(?P<rest>.*)$")),
    ("circled", re.compile(r"^(?P<label>[①-⑳])\s*(?P<rest>.*)$")),
    ("square", re.compile(r"^(?P<label>[■◆□◇])\s*(?P<rest>.+)$")),
    ("bullet", re.compile(r"^(?P<label>[○●◎・\-])\s*(?P<rest>.+)$")),  # an item only if it states an amount
)
# Words before an amount that make it something other than the item's budget (a cap, a part, a unit price).
NOT_THE_BUDGET = ("上限", "うち", "内訳", "当たり", "あたり", "単価", "基準額", "国費", "国庫")
_FOOTER = re.compile(r"^(?:-\s*\d+\s*-|\d+\s*/\s*\d+|\d+ページ|P\.\s*\d+)$")
_TOTAL = re.compile(r"(合計|総額|総計|小計|^計|\s計)")
_AMOUNT_ONLY = re.compile(r"^[(【]?\s*[\d,.]+\s*(?:億円|百万円|千円|万円|円)\s*[)】]?$")
_TRAILING = re.compile(r"\s(?P<number>[△▲]?\d{1,3}(?:,\d{3})+|[△▲]?\d+)\s*$")


def join_split_lines(raw: list[str]) -> list[tuple[int, int, str]]:
    """(first line number, last line number, text) with an unclosed （…） continued on the next line joined."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(raw):
        text, n = raw[i].rstrip(), i + 1
        while fold(text).count("(") > fold(text).count(")") and i + 1 < len(raw) and raw[i + 1].strip():
            nxt = fold(raw[i + 1]).strip()
            if ")" not in nxt or len(nxt) > 20:
                break
            i += 1
            text += raw[i].strip()
        out.append((n, i + 1, text))
        i += 1
    return out


_KEEP = re.compile(r"[①-⑳ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]")


def label_fold(text: str) -> str:
    """``fold``, but circled and roman numerals stay as written (NFKC would make ① a 1)."""
    folded = list(fold(text))
    for m in _KEEP.finditer(text):
        folded[m.start()] = m[0]
    return "".join(folded)


def _label(folded: str) -> tuple[str, str, int] | None:
    """(kind, label, offset of the rest) of an outline line."""
    for kind, pattern in LABELS:
        if m := pattern.match(folded):
            return kind, m["label"], m.start("rest")
    return None


def _name_and_amount(raw: str, item: Item, line: int) -> str:
    """Take the item's amount (the first with a unit outside a 補助上限 clause) and return its name."""
    name_end = len(raw)
    for amount, start, _ in find_amounts(raw):
        before = fold(raw[:start])
        if any(w in before[-8:] for w in NOT_THE_BUDGET) or "前年" in before[-8:]:
            continue
        if item.amount is None:
            item.amount, item.amount_line = amount, line
            opener = max(before.rfind("("), before.rfind("【"), before.rfind(":"))
            name_end = opener if opener >= 0 and before[opener + 1:].strip() == "" else start
        break
    for amount, start, _ in find_amounts(raw):
        if "前年" in fold(raw[:start])[-8:] and item.previous is None:
            item.previous, item.previous_line, item.previous_label = amount, line, "前年度"
            name_end = min(name_end, max(fold(raw[:start]).rfind("("), 0) or start)
    return raw[:name_end]


class _Outline:
    def __init__(self, document: Document):
        self.doc = document
        self.items: list[Item] = []
        self.kinds: list[str] = []
        self.warnings: list[str] = []
        self.section = ""
        self.totals: dict[str, tuple[Amount, int]] = {}  # section → (total, line)
        self.pending_label: tuple[int, str] | None = None
        self.legend: str | None = None  # 「(単位:千円)」: the unit of bare trailing numbers
        self.current: Item | None = None

    def level(self, kind: str) -> int:
        if kind in self.kinds:
            del self.kinds[self.kinds.index(kind) + 1:]
        else:
            self.kinds.append(kind)
        return len(self.kinds)

    def trailing(self, text: str) -> re.Match | None:
        """「在宅医療推進事業 177,000」 under a legend: the bare number at the end of an item line."""
        m = _TRAILING.search(fold(text)) if self.legend else None
        before = fold(text)[:m.start()].split() if m else []
        # Several trailing numbers are columns whose meaning is not stated here: not read.
        return m if m and before and not _TRAILING.search(" " + before[-1]) else None

    def new_item(self, n: int, level: int, text: str) -> Item:
        item = Item(name="", line=n, level=level, section=self.section)
        item.lines.add(n)
        if not find_amounts(text) and (m := self.trailing(text)):
            item.amount = make_amount(m["number"], self.legend, f"{m['number']}{self.legend}")
            item.amount_line, text = n, text[:m.start()]
        name, item.flags = split_tags(_name_and_amount(text, item, n))
        item.name = name.strip(" 　:・")
        read_rates(item, text, n)
        self.items.append(item)
        self.current = item
        return item

    def amount_only(self, n: int, text: str) -> None:
        """An amount on a line of its own: the first same-level item still without one."""
        pending = [it for it in self.items if it.amount is None and it.line < n]
        if not pending:
            self.warnings.append(f"line {n}: amount 「{text.strip()}」 belongs to no item; not read")
            return
        last = self.items[-1]
        run = []
        for it in reversed(self.items):
            if it.level != last.level or it.amount is not None and it is not last:
                break
            run.append(it)
        target = next((it for it in reversed(run) if it.amount is None), None) or pending[-1]
        amounts = find_amounts(text)
        if not amounts:
            self.warnings.append(f"line {n}: 「{text.strip()}」 is not an amount; not read")
            return
        target.amount, target.amount_line = amounts[0][0], n
        target.lines.add(n)

    def line(self, n: int, raw: str) -> None:
        for part in split_columns(raw):
            self.one_line(n, part)

    def one_line(self, n: int, raw: str) -> None:
        folded = label_fold(raw).strip()
        text = raw.strip()
        if not folded or _FOOTER.match(folded):
            return
        if unit := legend_unit(folded):
            self.legend = unit
            return
        if _AMOUNT_ONLY.match(folded):
            self.amount_only(n, text)
            return
        label = _label(folded)
        if label and label[0] == "bullet" and not find_amounts(text) and not self.trailing(text):
            label = None  # 「○ …」 without an amount is a line of description
        if self.pending_label and not label:
            start, kind = self.pending_label
            self.pending_label = None
            item = self.new_item(start, self.level(kind), text)
            item.lines.add(n)
            return
        if label:
            kind, _, offset = label
            rest = text[offset:]
            if kind == "roman":
                self.section = split_tags(_strip_amounts(rest))[0]
                if amounts := find_amounts(rest):
                    self.totals[self.section] = (amounts[0][0], n)
                self.current = None
                return
            if not rest.strip():
                self.pending_label = (n, kind)
                return
            self.new_item(n, self.level(kind), rest)
            return
        if self.current is None:
            return
        item = self.current
        item.lines.add(n)
        if _TOTAL.search(folded):
            return
        amounts = find_amounts(text)
        # 「在宅療養支援病床確保」 / 「事業(120百万円)」: the name continued on the next line.
        if item.amount is None and len(item.lines) == 2 and amounts and not re.search(r"[、。]", folded):
            cont = split_tags(_name_and_amount(text, item, n))[0].strip(" :")
            # 「予算額 177百万円」 on the next line is the amount, not more of the name.
            if cont and not amount_column(cont, self.doc.fiscal_year):
                item.name = (item.name + cont).strip()
        for amount, start, _ in amounts:
            if "前年" in fold(text[:start])[-8:] and item.previous is None:
                item.previous, item.previous_line, item.previous_label = amount, n, "前年度"
        read_rates(item, text, n)


_GAP = re.compile(r"(?:\s{2,}|\u3000+)(?=\S)")


def split_columns(raw: str) -> list[str]:
    """「1 A事業(10百万円)    2 B事業(5百万円)」: two items side by side (two PDF columns on one line)."""
    label = _label(label_fold(raw).strip())
    if label is None or label[0] in ("roman", "bullet", "square"):
        return [raw]
    parts, start = [], 0
    for gap in _GAP.finditer(raw):
        rest = raw[gap.end():]
        other = _label(label_fold(rest).strip())
        if other and other[0] == label[0] and find_amounts(raw[start:gap.start()]) and find_amounts(rest):
            parts.append(raw[start:gap.start()])
            start = gap.end()
    return parts + [raw[start:]]


def _strip_amounts(text: str) -> str:
    for _, start, end in reversed(find_amounts(text)):
        text = text[:start] + text[end:]
    return re.sub(r"[(（]\s*[)）]", "", text).strip()


def read_outline(document: Document) -> Reading:
    reader = _Outline(document)
    for n, last, text in join_split_lines(list(document.lines)):
        reader.line(n, text)
        if last > n and reader.current is not None and n in reader.current.lines:
            reader.current.lines.update(range(n, last + 1))
    for item in reader.items:
        if not item.name:
            reader.warnings.append(f"line {item.line}: an item with no name; not read")
    reader.items = [it for it in reader.items if it.name]
    reader.items = drop_totals(reader.items, reader.warnings)
    attach(reader.items)
    for section, (total, n) in reader.totals.items():
        tops = [it for it in reader.items if it.section == section and it.parent is None
                and it.amount is not None and "再掲" not in it.flags]
        listed = sum(it.amount.yen for it in tops)
        if tops and listed != total.yen:
            reader.warnings.append(f"line {n}: the total of 「{section}」 ({total.as_written}) is not the sum of its "
                                   f"programs ({in_unit(listed, total.unit)}); some amounts may be misread")
    return build_reading(document, "outline", reader.items, reader.warnings)
