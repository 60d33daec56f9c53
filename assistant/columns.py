"""Flattened three-column tables: 当年度 / 前年度 / 増(△)減, one cell per line.

PDF extraction of a table with columns 区分 / 当年度 / 前年度 / 増(△)減 gives each
cell its own line. Rows are headings ``1`` / ``(1)`` / ``ア`` with names, and three
number lines; the numbers of a row may come before or after its name. Page
footers repeat the column headers; they are skipped. The column order is taken
from the header lines, so 前年度 first is read correctly too. A name and its
numbers are paired in reading order: numbers after an unpaired name are that
name's; numbers before any unpaired name wait for the next name.
"""

from __future__ import annotations

import re

from .documents import Document
from .normalize import fold
from .outline import label_fold
from .reader import Item, Reading, amount_column, attach, build_reading, drop_totals, read_rates, split_tags
from .units import find_legend, is_bare_number, legend_unit, make_amount

NAME_HEADS = ("区分", "事業名", "項目", "事業", "事業名等")
AMOUNT_HEADS = ("当年度", "本年度", "予算額", "要求額", "当初予算額", "前年度", "前年度予算額", "増(△)減", "増△減",
                "増減", "比較", "差引", "増(▲)減", "比較増減")
_YEAR_HEAD = re.compile(r"(?:令和|R)\d{1,2}(?:年度)?(?:当初)?(?:予算額?|要求額)?")
_LABEL = re.compile(r"^(?:\((?P<pd>\d{1,2})\)|(?P<d>\d{1,2})(?=\s|$)|(?P<k>[ア-ン])(?=\s|$)|(?P<c>[①-⑳]))\s*(?P<rest>.*)$")
_FOOTER = re.compile(r"^(?:-\s*\d+\s*-|\d+\s*/\s*\d+|\(単位.*\)|単位.*)$")
_NEW = ("皆増", "新規")


def _header_word(folded: str, fiscal_year: int) -> str | None:
    """'name', 'current', 'previous' or 'change' for a column-header line, else None."""
    text = re.sub(r"\s+", "", folded)
    text = re.sub(r"\(.*?円\)$", "", text)  # 「当年度(百万円)」
    if text in NAME_HEADS:
        return "name"
    if text in AMOUNT_HEADS or _YEAR_HEAD.fullmatch(text):
        return amount_column(text, fiscal_year) or "other"
    return None


def header_lines(lines: list[str], fiscal_year: int) -> dict[int, list[str]]:
    """Column-header lines (0-based index → roles): 「区分」「当年度」「前年度」「増(△)減」 one per line
    next to each other, or all on one line. A lone 「令和8年度 予算」 title is not a header."""
    found: dict[int, list[str]] = {}
    for i, line in enumerate(lines):
        tokens = fold(line).split()
        words = [_header_word(t, fiscal_year) for t in tokens]
        if tokens and all(words) and (len(tokens) > 1 or _header_word(fold(line), fiscal_year)):
            found[i] = [w for w in words if w]
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    position = {i: k for k, i in enumerate(nonblank)}
    keep = {}
    for i, words in found.items():
        k = position[i]
        neighbours = [nonblank[j] for j in (k - 1, k + 1) if 0 <= j < len(nonblank)]
        if len(words) > 1 and sum(w != "name" for w in words) >= 2 or any(j in found for j in neighbours):
            keep[i] = words
    return keep


def _value(text: str) -> bool:
    folded = fold(text).strip()
    return is_bare_number(folded) or folded in ("-", "―", "皆増", "皆減")


def read_columns(document: Document) -> Reading:
    lines = list(document.lines)
    legend = find_legend(lines)
    order: list[str] = []
    labels: dict[str, str] = {}
    items: list[Item] = []
    warnings: list[str] = []
    kinds: list[str] = []
    pending_name: Item | None = None  # a name still waiting for its numbers
    numbers: list[tuple[int, str]] = []  # numbers still waiting for their name
    label_only: tuple[int, str] | None = None

    def level(kind: str) -> int:
        if kind in kinds:
            del kinds[kinds.index(kind) + 1:]
        else:
            kinds.append(kind)
        return len(kinds)

    def assign(item: Item, values: list[tuple[int, str]]) -> None:
        columns = order or ["current", "previous", "change"]
        for (n, text), column in zip(values, columns):
            item.lines.add(n)
            if column not in ("current", "previous") or fold(text).strip() in ("-", "―", "皆増", "皆減"):
                continue
            amount = make_amount(text, legend, f"{text.strip()}{legend}") if legend else None
            if amount is None:
                warnings.append(f"line {n}: 「{text.strip()}」 of 「{item.name}」 has no unit "
                                "(no 単位 legend); not read as an amount")
                continue
            label = labels.get(column, column)
            if column == "current":
                item.amount, item.amount_line, item.current_label = amount, n, label
            else:
                item.previous, item.previous_line, item.previous_label = amount, n, label

    headers = header_lines(lines, document.fiscal_year)
    for n, raw in enumerate(lines, start=1):
        folded = label_fold(raw).strip()
        if not folded or _FOOTER.match(fold(folded)) or legend_unit(folded) and len(folded) < 12:
            continue
        if n - 1 in headers:
            tokens = fold(folded).split()
            for word, token in zip(headers[n - 1], tokens if len(tokens) == len(headers[n - 1]) else [folded]):
                if word != "name" and (word not in order or word == "other") and len(order) < 3:
                    order.append(word)
                    labels.setdefault(word, token)
            continue
        cells = folded.split()
        if _value(folded) or (len(cells) == 3 and all(_value(c) for c in cells)):
            numbers.extend((n, c) for c in cells)
            if len(numbers) >= 3:
                values, numbers[:] = numbers[:3], numbers[3:]
                if pending_name is not None:
                    assign(pending_name, values)
                    pending_name = None
                else:
                    numbers[:0] = values  # before its name: wait for it
                    if len(numbers) > 3:
                        warnings.append(f"line {n}: numbers with no row name; not read")
                        numbers[:] = numbers[-3:]
            continue
        m = _LABEL.match(folded)
        if m and not m["rest"].strip():
            label_only = (n, next(k for k in ("pd", "d", "k", "c") if m[k]))
            continue
        if m:
            kind, start, rest = next(k for k in ("pd", "d", "k", "c") if m[k]), n, raw.strip()[m.start("rest"):]
        elif label_only:
            (start, kind), rest = label_only, raw.strip()
        elif pending_name is not None and pending_name.lines == {n - 1} and not numbers \
                and not re.search(r"[、。]", folded):
            pending_name.name += split_tags(raw.strip())[0]  # a name continued on the next line
            pending_name.lines.add(n)
            continue
        elif items and not re.search(r"[、。]", folded) and len(folded) <= 40:
            kind, start, rest = (kinds[-1] if kinds else "d"), n, raw.strip()
        else:
            if items:
                items[-1].lines.add(n)
                read_rates(items[-1], raw, n)
            continue
        label_only = None
        trailing = rest.split()
        values = []
        while trailing and _value(trailing[-1]) and len(values) < 3:
            values.insert(0, (n, trailing.pop()))
        if len(values) == 3:
            rest = " ".join(trailing)
        else:
            values = []
        name, flags = split_tags(rest)
        item = Item(name=name, line=start, level=level(kind), flags=flags)
        item.lines.update({start, n})
        items.append(item)
        if values:
            assign(item, values)
        elif len(numbers) == 3:
            assign(item, numbers[:])
            numbers.clear()
        else:
            pending_name = item
    if numbers:
        warnings.append(f"line {numbers[0][0]}: numbers with no row name; not read")
    items = drop_totals(items, warnings)
    attach(items)
    return build_reading(document, "columns", items, warnings)


def looks_like_columns(lines: list[str], fiscal_year: int = 0) -> bool:
    """Header lines naming this year's and last year's column, each on a line of its own."""
    words = [w for found in header_lines(lines, fiscal_year).values() for w in found]
    return "current" in words and "previous" in words
