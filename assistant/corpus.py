"""Corpus: documents → passages → facts, with lookups the later stages share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .documents import Document, load_documents
from .facts import Fact
from .layouts import DocumentCounts, counts, read_document
from .passages import Passage


@dataclass(frozen=True)
class Corpus:
    """Every passage and fact of the corpus, and the files that could not be read."""

    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    facts: tuple[Fact, ...]
    errors: tuple[str, ...] = ()
    counts: tuple[DocumentCounts, ...] = ()  # per document: layout, programs, facts, warnings
    _by_id: dict[str, Passage] = field(default_factory=dict, repr=False, compare=False)
    _facts_by: dict[str, tuple[Fact, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({p.id: p for p in self.passages})
        grouped: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            grouped[fact.program_id].append(fact)
        self._facts_by.update({k: tuple(v) for k, v in grouped.items()})

    def passage(self, passage_id: str) -> Passage:
        return self._by_id[passage_id]

    def get(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    def facts_for(self, passage_id: str, kind: str | None = None) -> tuple[Fact, ...]:
        facts = self._facts_by.get(passage_id, ())
        return tuple(f for f in facts if kind is None or f.kind == kind)

    def children(self, passage_id: str) -> tuple[Passage, ...]:
        return tuple(p for p in self.passages if p.parent_id == passage_id)

    def document(self, document_id: str) -> Document:
        return next(d for d in self.documents if d.id == document_id)

    def budget(self, passage_id: str) -> int | None:
        """The program's own budget amount in 千円 (its first budget fact), if stated."""
        facts = self.facts_for(passage_id, "budget")
        return facts[0].amount if facts else None

    def years(self) -> tuple[int, ...]:
        """The fiscal years of which programs were read (a registered document that yielded none adds none)."""
        return tuple(sorted({p.fiscal_year for p in self.passages}))

    def _within_budgeted(self, passage: Passage) -> bool:
        """Whether an ancestor states a budget (then this amount is a part of it, not an addition)."""
        parent = self.get(passage.parent_id) if passage.parent_id else None
        while parent is not None:
            if self.budget(parent.id) is not None:
                return True
            parent = self.get(parent.parent_id) if parent.parent_id else None
        return False

    def total(self, year: int) -> int:
        """Sum of program budgets of a year; 再掲 entries and breakdowns are never counted twice."""
        return sum(
            self.budget(p.id) or 0
            for p in self.passages
            if p.fiscal_year == year and p.repeat_of is None and not self._within_budgeted(p)
        )


def load_corpus(corpus_dir: Path) -> Corpus:
    """Read, split and extract the whole corpus; unreadable files are listed in ``errors``."""
    loaded = load_documents(corpus_dir)
    passages: list[Passage] = []
    facts: list[Fact] = []
    read: list[DocumentCounts] = []
    for document in loaded.documents:
        reading = read_document(document)
        passages.extend(reading.parsed.passages)
        facts.extend(reading.facts)
        read.append(counts(reading))
    return Corpus(loaded.documents, tuple(passages), tuple(facts), loaded.errors, tuple(read))
