"""Answer: compose a reply from extracted facts only, with citations; abstain when unsupported.

The answer's first line is the direct answer with its figure; then the facts
used and their sources. A figure either is copied from a fact or is recorded
as ``Derived`` (difference, percentage, sum, count, 万円 reading), so every
number can be traced to cited lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .corpus import Corpus
from .facts import Fact
from .passages import Passage
from .programs import rate_label
from .render import Derived

ABSTAIN_JA = "資料には該当する情報が見つかりませんでした。"
ABSTAIN_EN = "The documents do not contain this information."
CAN_ANSWER_JA = ("この資料（{documents}）から答えられるのは、"
                 "各事業の予算額、補助率、基準額・上限、対象、実施期間、事業内容、新規事業、年度間の増減、"
                 "世論調査の数値です。")
CAN_ANSWER_EN = ("These documents ({documents}) "
                 "answer: program budgets, subsidy rates, base amounts and caps, eligibility, periods, "
                 "what programs do, new programs, changes between the years, and survey figures.")


def document_names(corpus: Corpus, english: bool = False) -> str:
    """The documents that yielded programs, latest first, as 「issuer「title」」 (with FY in English)."""
    years = set(corpus.years())
    docs = sorted((d for d in corpus.documents if d.fiscal_year in years), key=lambda d: -d.fiscal_year)
    if english:
        return "; ".join(f"{d.issuer}「{d.title}」, FY{d.fiscal_year}" for d in docs)
    return "、".join(f"{d.issuer}「{d.title}」" for d in docs)


def can_answer(corpus: Corpus, english: bool) -> str:
    """What the corpus can answer, naming its documents from the manifest (issuer, title, year)."""
    return (CAN_ANSWER_EN if english else CAN_ANSWER_JA).format(documents=document_names(corpus, english))


@dataclass(frozen=True)
class Citation:
    """Lines of a source document that an answer relies on."""

    document_id: str
    document_title: str
    line_start: int
    line_end: int
    text: str


@dataclass(frozen=True)
class ProgramRef:
    """A program an answer is about, with its key figures."""

    id: str
    name: str
    fiscal_year: int
    parent: str | None
    budget_thousand_yen: int | None
    subsidy_rates: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Option:
    """One choice of a clarifying question: what to show, and the question it stands for."""

    label: str
    question: str


@dataclass(frozen=True)
class Clarify:
    """A clarifying question with its 2–3 options, returned instead of a guess."""

    question: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Answer:
    """What the assistant says, what it is based on, and whether it declined to answer."""

    question: str
    text: str
    abstained: bool
    kind: str
    programs: tuple[ProgramRef, ...] = ()
    facts: tuple[Fact, ...] = ()
    citations: tuple[Citation, ...] = ()
    derived: tuple[Derived, ...] = ()
    confidence: float | None = None  # how likely the answer is right (None: a decline, or not scored)
    clarify: Clarify | None = None
    frame: object = None  # the Frame the answer was composed from (frame.Frame; not imported, to keep answer a leaf)

    @property
    def headline(self) -> str:
        return self.text.split("\n", 1)[0]

    def to_json(self) -> dict:
        """The JSON object of the CLI and batch output."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "kind": self.kind,
            "programs": [{**asdict(p), "subsidy_rates": list(p.subsidy_rates)} for p in self.programs],
            "facts": [
                {"program_id": f.program_id, "kind": f.kind, "value": f.value, "condition": f.condition,
                 "note": f.note, "amount": f.amount, "text": f.text,
                 "source": {"document": f.document_id, "line_start": f.line_start, "line_end": f.line_end}}
                for f in self.facts
            ],
            "citations": [{"document": c.document_id, **asdict(c)} for c in self.citations],
            "derived": [asdict(d) for d in self.derived],
            "confidence": self.confidence,
            "frame": asdict(self.frame) if self.frame is not None else None,
            "clarify": None if self.clarify is None else {
                "question": self.clarify.question,
                "options": [{"label": o.label, "question": o.question} for o in self.clarify.options]},
        }


@dataclass
class Draft:
    """An answer being composed: lines, and the facts, lines and programs behind them."""

    corpus: Corpus
    english: bool
    kind: str = "content"
    lines: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    cited: list[tuple[str, int, int]] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    programs: list[tuple[Passage, float]] = field(default_factory=list)
    abstained: bool = False
    # How the answer was reached (how its program was resolved, the ranking behind it): read by the frame.
    evidence: dict = field(default_factory=dict)
    clarify: Clarify | None = None
    confidence: float | None = None

    def say(self, line: str, derived: list[Derived] | None = None) -> None:
        self.lines.append(line)
        self.derived.extend(derived or [])

    def use(self, *facts: Fact) -> None:
        for fact in facts:
            if fact not in self.facts:
                self.facts.append(fact)
                self.cite(fact.document_id, fact.line_start, fact.line_end)

    def cite(self, document_id: str, start: int, end: int) -> None:
        key = (document_id, start, end)
        if key not in self.cited:
            self.cited.append(key)

    def program(self, passage: Passage, score: float = 1.0) -> None:
        if all(p.id != passage.id for p, _ in self.programs):
            self.programs.append((passage, score))
            self.cite(passage.document_id, passage.spans[0][0], passage.spans[0][0])

    def abstain(self, reason: str = "") -> None:
        self.abstained = True
        head = ABSTAIN_EN if self.english else ABSTAIN_JA
        self.lines.insert(0, f"{head} {reason}".strip())
        self.lines.append(can_answer(self.corpus, self.english))

    def finish(self, question: str, frame=None) -> Answer:
        corpus = self.corpus
        citations = []
        for document_id, start, end in sorted(self.cited):
            doc = corpus.document(document_id)
            text = "\n".join(doc.lines[n - 1].rstrip() for n in range(start, end + 1) if doc.lines[n - 1].strip())
            citations.append(Citation(document_id, doc.title, start, end, text))
        refs = []
        for passage, score in self.programs:
            parent = corpus.get(passage.parent_id) if passage.parent_id else None
            rates = tuple(rate_label(f.value, f.condition) for f in corpus.facts_for(passage.id, "subsidy_rate"))
            refs.append(ProgramRef(passage.id, passage.name, passage.fiscal_year, parent.name if parent else None,
                                   corpus.budget(passage.id), rates, round(score, 6)))
        sources = self._sources(citations)
        text = "\n".join(self.lines + ([sources] if sources and not self.abstained else []))
        return Answer(question, text, self.abstained, self.kind, tuple(refs), tuple(self.facts),
                      tuple(citations), tuple(self.derived), self.confidence, self.clarify, frame)

    def _sources(self, citations: list[Citation]) -> str:
        if not citations:
            return ""
        label = "Sources" if self.english else "出典"
        parts = []
        for c in citations:
            lines = f"L{c.line_start}" if c.line_start == c.line_end else f"L{c.line_start}-{c.line_end}"
            parts.append(f"{c.document_title} {lines}")
        return f"{label}: " + "／".join(dict.fromkeys(parts))
