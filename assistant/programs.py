"""The program table: every program with its amount, ratios, flags and parent."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass

from .corpus import Corpus


@dataclass(frozen=True)
class ProgramRow:
    """One row of the help desk's lookup table."""

    id: str
    fiscal_year: int
    section: str
    group: str
    name: str
    budget_thousand_yen: int | None
    subsidy_rates: tuple[str, ...]
    flags: tuple[str, ...]
    parent: str | None
    repeat_of: str | None
    lines: str
    document: str = ""  # the manifest id
    issuer: str = ""
    unit: str = ""  # the budget's unit as written (千円, 百万円, …)
    budget_as_written: str = ""  # 「177百万円」
    previous_budget_thousand_yen: int | None = None  # where the document states last year's amount
    previous_budget_as_written: str = ""


def rate_label(value: str, condition: str) -> str:
    """「1/2（4年目以降）」: a ratio with its condition, as shown to users."""
    return f"{value}（{condition}）" if condition else value


def program_rows(corpus: Corpus, year: int | None = None) -> list[ProgramRow]:
    """Rows for every program of a year (or all years), in document order."""
    rows = []
    issuers = {d.id: d.issuer for d in corpus.documents}
    for p in corpus.passages:
        if year is not None and p.fiscal_year != year:
            continue
        parent = corpus.get(p.parent_id) if p.parent_id else None
        rates = tuple(rate_label(f.value, f.condition) for f in corpus.facts_for(p.id, "subsidy_rate"))
        budget = next(iter(corpus.facts_for(p.id, "budget")), None)
        previous = next(iter(corpus.facts_for(p.id, "previous_budget")), None)
        rows.append(ProgramRow(
            id=p.id, fiscal_year=p.fiscal_year, section=p.section, group=p.group,
            name=p.name, budget_thousand_yen=corpus.budget(p.id), subsidy_rates=rates,
            flags=p.flags, parent=parent.name if parent else None, repeat_of=p.repeat_of,
            lines=",".join(f"{s}-{e}" for s, e in p.spans),
            document=p.document_id, issuer=issuers.get(p.document_id, ""),
            # An index built before units were recorded has seed facts without a unit: those are 千円.
            unit=(budget.unit or "千円") if budget else "", budget_as_written=(budget.as_written or budget.value) if budget else "",
            previous_budget_thousand_yen=previous.amount if previous else None,
            previous_budget_as_written=(previous.as_written or previous.value) if previous else "",
        ))
    return rows


EXTRA_COLUMNS = ("document", "issuer", "unit", "budget_as_written", "previous_budget_thousand_yen",
                 "previous_budget_as_written")
COLUMNS = ("fiscal_year", "name", "budget_thousand_yen", "subsidy_rates", "flags", "parent", "section")
HEADERS = {"fiscal_year": "年度", "name": "事業名", "budget_thousand_yen": "予算額(千円)",
           "subsidy_rates": "補助率", "flags": "区分", "parent": "親事業", "section": "施策"}


def _cell(row: ProgramRow, column: str) -> str:
    value = getattr(row, column)
    if column == "budget_thousand_yen":
        if value is None:
            return "-"
        return f"{value:,}" + (f"（{row.budget_as_written}）" if row.unit not in ("", "千円") else "")
    if column == "flags":
        # An unmarked entry repeating an earlier one of the same name (FY2020 layout).
        value = tuple(value) + (("再掲(同名)",) if row.repeat_of and "再掲" not in "".join(value) else ())
    if isinstance(value, tuple):
        return "、".join(value)
    return "" if value is None else str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_rows(rows: list[ProgramRow], fmt: str) -> str:
    """Render rows as an aligned table, JSON (one array) or CSV."""
    if fmt == "json":
        return json.dumps([row.__dict__ for row in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", *COLUMNS, "repeat_of", "lines", *EXTRA_COLUMNS])
        for row in rows:
            cells = [_cell(row, c) if c != "budget_thousand_yen" else row.budget_thousand_yen for c in COLUMNS]
            extra = [getattr(row, c) if getattr(row, c) is not None else "" for c in EXTRA_COLUMNS]
            writer.writerow([row.id, *cells, row.repeat_of or "", row.lines, *extra])
        return out.getvalue()
    table = [[HEADERS[c] for c in COLUMNS]] + [[_cell(r, c) for c in COLUMNS] for r in rows]
    widths = [max(_width(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = []
    for line in table:
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(line, widths)]
        cells[2] = " " * (widths[2] - _width(line[2])) + line[2]  # amounts right-aligned
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
