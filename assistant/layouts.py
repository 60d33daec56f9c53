"""Which reader reads a document: the seed parser, or one of the general layouts.

A document written in the seeds' own layout (``- **name【…千円】**`` bullets or
``■name【…千円】`` lines) goes to ``passages`` + ``facts`` exactly as before, so
their parse never changes. Otherwise the first layout whose signature is found
reads it: a pipe table with a name and an amount column, or a flattened table with
当年度 and 前年度 header lines; anything else goes to the numbered-outline reader,
the most general one (and a document it reads nothing from is refused loudly).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .columns import looks_like_columns, read_columns
from .documents import Document
from .facts import Fact, extract_facts
from .normalize import fold
from .outline import read_outline
from .passages import parse_document
from .pipetable import looks_like_pipe_table, read_pipe_table
from .reader import Reading

LAYOUTS = ("seed", "pipe-table", "columns", "outline")
_SEED_ITEM = re.compile(r"^\s*(?:-\s*\*\*|■).*【\s*[\d,]+\s*千円\s*】")
MONEY_KINDS = ("budget", "base_amount", "cap")


def detect_layout(lines: tuple[str, ...] | list[str], fiscal_year: int = 0) -> str:
    """The layout of a document's lines (one of ``LAYOUTS``); the general outline reader is the fallback."""
    lines = list(lines)
    if any(_SEED_ITEM.match(fold(line)) for line in lines):
        return "seed"
    if looks_like_pipe_table(lines):
        return "pipe-table"
    if looks_like_columns(lines, fiscal_year):
        return "columns"
    return "outline"


def _with_unit(fact: Fact) -> Fact:
    """A seed fact in 千円 gains its yen value and the unit as written."""
    if fact.kind not in MONEY_KINDS or fact.amount is None:
        return fact
    return replace(fact, yen=fact.amount * 1000, unit="千円", as_written=f"{fact.amount:,}千円")


def read_document(document: Document) -> Reading:
    """Passages, facts and warnings of one document, by the reader its layout needs."""
    layout = detect_layout(document.lines, document.fiscal_year)
    if layout == "pipe-table":
        return read_pipe_table(document)
    if layout == "columns":
        return read_columns(document)
    if layout == "outline":
        return read_outline(document)
    parsed = parse_document(document)
    return Reading("seed", parsed, tuple(_with_unit(f) for f in extract_facts(parsed)), ())


@dataclass(frozen=True)
class DocumentCounts:
    """What was read from one document: for `index build`, `corpus list` and `corpus check`."""

    document_id: str
    file: str
    layout: str
    programs: int  # passages with an amount or a ratio of their own
    passages: int
    facts: int
    warnings: tuple[str, ...]


def counts(reading: Reading) -> DocumentCounts:
    doc = reading.parsed.document
    with_figure = {f.program_id for f in reading.facts if f.kind in ("budget", "subsidy_rate")}
    return DocumentCounts(doc.id, doc.file, reading.layout, len(with_figure), len(reading.parsed.passages),
                          len(reading.facts), reading.warnings)


def nothing_read(counts: DocumentCounts, name: str | None = None) -> str | None:
    """The loud-failure message for a document from which no program can be read, else None."""
    if counts.programs:
        return None
    return (f"{name or counts.file}: no program with an amount or a subsidy ratio could be read "
            f"(looked for: 【…千円】 bullets or ■ items, a pipe table with 事業名 and 要求額/予算額 columns, "
            f"a 当年度/前年度 column table, numbered items with amounts such as 「1 …事業(177百万円)」; "
            f"read as layout '{counts.layout}': {counts.passages} passages, {counts.facts} facts"
            + (f", {len(counts.warnings)} warnings, first: {counts.warnings[0]}" if counts.warnings else "") + ")")
