"""Pipe tables: 「| No | 細事業名 | 内容 | 要求額 | 前年度予算額 |」 under a 「(単位:千円)」 legend
(tab-separated rows are read the same way).

Columns are told apart by their header words: the name (事業名/細事業名/事業/区分), the
content (内容/概要), this year's amount (要求額/予算額/当年度/本年度) and last year's
(前年度…). Bare numbers take the unit of the header cell (「要求額(千円)」) or of the
legend; with neither, the cell is not read and a warning says so. A row broken over
several lines is joined until it has as many cells as the header; repeated header
rows (page breaks) are skipped. Inline sub-amounts in the content cell
(「運営費補助(21,600千円)」) become sub-items of the row's program.
"""

from __future__ import annotations

import re

from .documents import Document
from .normalize import fold
from .reader import (
    TAG_WORDS,
    Item,
    Reading,
    amount_column,
    attach,
    build_reading,
    drop_totals,
    read_rates,
    split_tags,
)
from .units import bare_amount, find_amounts, is_bare_number, legend_unit

NAME_WORDS = ("細事業名", "事業名", "事業", "項目", "名称")
KIND_WORDS = ("区分", "新規・拡充", "種別")
CONTENT_WORDS = ("内容", "概要", "説明")
_FOOTER = re.compile(r"^(?:-\s*\d+\s*-|\d+\s*/\s*\d+|\d+)$")
_RULE = re.compile(r"^\|?[\s:\-|]+\|?$")
_SUB = re.compile(r"(?P<name>[^、,。()\s]{2,30})\((?P<amount>[\d,.]+\s*(?:億円|百万円|千円|万円|円))\)")


def is_table_line(line: str) -> bool:
    """A pipe-table row (「| … |」, or two or more 「|」) or a tab-separated one."""
    text = line.strip()
    return text.startswith("|") or text.count("|") >= 2 or "\t" in line.strip(" \u3000\r\n")


def _cells(line: str) -> list[str]:
    if "|" not in line:
        return [c.strip() for c in line.strip(" \u3000\r\n").split("\t")]
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return [c.strip() for c in text.split("|")]


def _role(cell: str, fiscal_year: int = 0) -> str:
    folded = fold(cell)
    if column := amount_column(folded, fiscal_year):
        return column
    if any(w in folded for w in CONTENT_WORDS):
        return "content"
    if any(w in folded for w in NAME_WORDS):
        return "name"
    if any(w in folded for w in KIND_WORDS):
        return "kind"
    if folded.strip().lower() in ("no", "no.", "番号", "#"):
        return "no"
    return "other"


def is_header(cells: list[str]) -> bool:
    roles = [_role(c) for c in cells]
    if "name" not in roles and "kind" in roles:
        roles[roles.index("kind")] = "name"  # 「区分」 is the name column when there is no 事業名
    return "name" in roles and any(r in ("current", "previous") or "予算" in c
                                   or re.match(r"^(?:令和|R)\d", fold(c).strip()) for r, c in zip(roles, cells))


def _roles(cells: list[str], fiscal_year: int) -> list[str]:
    roles = [_role(c, fiscal_year) for c in cells]
    if "name" not in roles and "kind" in roles:
        roles[roles.index("kind")] = "name"
    return roles


def _rows(lines: list[str]) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of every table line, broken rows joined."""
    rows: list[tuple[int, int, list[str]]] = []
    width = 0
    for n, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or _RULE.match(text):
            continue
        if rows and width and len(rows[-1][2]) < width and rows[-1][1] == n - 1 and not text.startswith("|"):
            first, _, cells = rows[-1]  # a row broken over lines: the cell goes on
            more = _cells(text)
            cells[-1] += more[0]
            rows[-1] = (first, n, cells + more[1:])
        elif is_table_line(line):
            cells = _cells(line)
            if is_header(cells):
                width = len(cells)
            rows.append((n, n, cells))
    return rows


def read_pipe_table(document: Document) -> Reading:
    lines = list(document.lines)
    legend = None
    roles: list[str] = []
    units: list[str | None] = []
    items: list[Item] = []
    warnings: list[str] = []
    table_rows = {first: (last, cells) for first, last, cells in _rows(lines)}
    covered = {k for first, (last, _) in table_rows.items() for k in range(first, last + 1)}
    section = ""
    for n, line in enumerate(lines, start=1):
        if unit := legend_unit(line):
            legend = unit
        if n not in table_rows:
            text = line.strip()
            after = next((x for x in lines[n:] if x.strip()), "")
            if text and n not in covered and is_table_line(after) and not legend_unit(text) \
                    and len(text) <= 40 and not re.search(r"[、。|]", text) and not _FOOTER.match(fold(text)):
                section = text
            continue
        last, cells = table_rows[n]
        if is_header(cells):
            roles = _roles(cells, document.fiscal_year)
            units = [legend_unit(c) or next((u for u in ("百万円", "千円", "億円", "円")
                                             if f"({u})" in fold(c)), None) for c in cells]
            continue
        if not roles:
            continue
        items.extend(_row_items(n, last, cells, roles, units, legend, section, warnings, lines))
    items = drop_totals(items, warnings)
    attach(items)
    return build_reading(document, "pipe-table", items, warnings)


def _row_items(n: int, last: int, cells: list[str], roles: list[str], units: list[str | None],
               legend: str | None, section: str, warnings: list[str], lines: list[str]) -> list[Item]:
    indented = False
    while len(cells) > len(roles) and cells and not cells[0]:
        cells, indented = cells[1:], True  # a tab-indented row: a breakdown of the row above
    by_role: dict[str, tuple[str, str | None, str]] = {}
    for cell, role, unit, head in zip(cells, roles, units, roles):
        by_role.setdefault(role, (cell, unit, head))
    name_cell = by_role.get("name", ("", None, ""))[0]
    if not name_cell:
        return []
    name, flags = split_tags(name_cell)
    level = 1
    if m := re.match(r"^[・\-○└]\s*|^\((?:\d{1,2}|[ア-ン])\)\s*|^[①-⑳]\s*", name):
        name, level = name[m.end():], 2  # a breakdown row under the program above
    level = 2 if indented else level
    kind = by_role.get("kind", ("", None, ""))[0]
    for word in re.split(r"[・/、\s]+", fold(kind)):
        flag = TAG_WORDS.get(word.strip("【】()<>"))
        if flag and flag not in flags:
            flags.append(flag)
    item = Item(name=name, line=n, level=level, flags=flags, section=section)
    item.lines.update(range(n, last + 1))
    header = [c for c in lines[:n] if is_table_line(c) and is_header(_cells(c))]
    labels = dict(zip(roles, _cells(header[-1]))) if header else {}
    for role in ("current", "previous"):
        if role not in by_role:
            continue
        cell, unit = by_role[role][0], by_role[role][1] or legend
        if not cell or cell in ("-", "―", "－", "—") or not (is_bare_number(cell) or find_amounts(cell)):
            continue
        amount = bare_amount(cell, unit)
        if amount is None:
            warnings.append(f"line {n}: 「{cell}」 ({labels.get(role, role)}) of 「{name}」 has no unit "
                            "(no 単位 legend or unit in the header); not read as an amount")
            continue
        if role == "current":
            item.amount, item.amount_line, item.current_label = amount, n, labels.get(role, "")
        else:
            item.previous, item.previous_line, item.previous_label = amount, n, labels.get(role, "")
    content = by_role.get("content", ("", None, ""))[0]
    read_rates(item, content, n)
    subs = []
    for m in _SUB.finditer(fold(content)):
        sub_name = content[m.start("name"):m.end("name")]
        if any(w in sub_name for w in ("上限", "補助率", "当たり", "あたり", "単価", "基準額")):
            continue
        amounts = find_amounts(content[m.start("amount"):m.end("amount")])
        sub = Item(name=split_tags(sub_name)[0], line=n, level=2, section=section)
        sub.amount, sub.amount_line = amounts[0][0], n
        subs.append(sub)
    return [item, *subs]


def looks_like_pipe_table(lines: list[str]) -> bool:
    return any(is_table_line(line) and is_header(_cells(line)) for line in lines)
