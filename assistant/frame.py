"""Frame: what the assistant understood a question to ask — the one typed record between understanding and answering.

Built from the parsed question, the programs chosen and how each was found, so that the
confidence and the answer-or-ask policy judge the understanding, not the wording of the reply.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import normalize

# The answer kinds of the handlers, as the attribute asked for and the aggregation over programs.
ATTRIBUTE = {"amount": "budget", "ratio": "subsidy_rate", "cap": "cap", "criterion": "criterion", "target": "target",
             "period": "period", "method": "method", "survey": "survey", "content": "content", "theme": "content",
             "new": "content", "count": "budget", "total": "budget", "change": "budget"}
AGGREGATION = {"theme": "list", "new": "list", "count": "count", "total": "sum", "change": "difference"}


@dataclass(frozen=True)
class IntentScore:
    """One intent of the question, with its probability and where it came from (rule cue, chat)."""

    name: str
    p: float
    source: str


@dataclass(frozen=True)
class ProgramPick:
    """A program the answer is about and how it was resolved, with the ranking evidence where retrieved."""

    id: str
    name: str
    how: str  # named | chat | stated | retrieved | set | none
    score: float | None = None
    margin: float | None = None  # relative lead of the first hit over the second
    agree: bool | None = None  # BM25 and dense both ranked it first
    coverage: float | None = None  # share of the question's topic words found in the program's text


@dataclass(frozen=True)
class Frame:
    """The typed understanding of one question."""

    language: str
    intents: tuple[IntentScore, ...]
    attribute: str
    aggregation: str
    programs: tuple[ProgramPick, ...]
    years: tuple[int, ...]
    years_how: str  # asked | chat | filter | latest
    constraints: tuple[tuple[str, str], ...]
    scope_issue: str | None
    follow_up: bool
    topic: tuple[str, ...]
    unknown: tuple[str, ...]
    kind: str
    declined: bool
    chars: int = 0  # the question's length
    model: tuple[tuple[str, float], ...] = ()  # the intent model's probabilities, largest first (empty: no model)

    def model_p(self, label: str) -> float:
        return next((p for name, p in self.model if name == label), 0.0)

    @property
    def primary(self) -> str:
        return self.intents[0].name if self.intents else "content"


def coverage(topic: tuple[str, ...], text: str) -> float | None:
    """Share of a question's topic words (two characters or more) that occur in a program's text."""
    words = {normalize(t).lower() for t in topic if len(t) >= 2}
    if not words:
        return None
    text = normalize(text).lower()
    return round(sum(w in text for w in words) / len(words), 4)


def build_frame(q, a, d, corpus, year_filter: int | None = None, model: dict[str, float] | None = None) -> Frame:
    """The frame of an answered (or declined) question: ``q`` parsed, ``a`` the handlers' arguments, ``d`` the draft."""
    intents = tuple(IntentScore(i, 1.0, "rule") for i in q.intents)
    evidence = d.evidence
    hits = evidence.get("hits", ())
    how = evidence.get("resolved") or ("set" if d.kind in AGGREGATION else "none")
    picks = []
    for n, (p, score) in enumerate(d.programs):
        text = " ".join(x for x in (p.name, p.text, p.section or "", p.group or "") if x)
        if p.parent_id and (parent := corpus.get(p.parent_id)) is not None:
            text += " " + parent.name
        margin = agree = None
        if how in ("retrieved", "stated") and hits and hits[0].passage.id == p.id:
            second = hits[1].score if len(hits) > 1 else 0.0
            margin = round((hits[0].score - second) / hits[0].score, 4) if hits[0].score else 0.0
            agree = hits[0].bm25_rank == 1 and hits[0].dense_rank == 1
        picks.append(ProgramPick(p.id, p.name, how if n == 0 else "also", round(score, 6), margin, agree,
                                 coverage(a.topic, text) if a is not None else None))
    constraints = []
    if q.threshold:
        constraints.append(("threshold", f"{q.threshold[0]}{q.threshold[1]}"))
    if q.top_k:
        constraints.append(("top", str(q.top_k)))
    if "new" in q.intents:
        constraints.append(("flag", "新規"))
    years_how = "asked" if q.years else "filter" if year_filter else "latest"
    years = tuple(a.years) if a is not None else tuple(q.years)
    aggregation = AGGREGATION.get(d.kind, "none")
    if q.superlative and d.kind in ("amount", "theme"):
        aggregation = q.superlative
    return Frame(language="en" if q.english else "ja", intents=intents, attribute=ATTRIBUTE.get(d.kind, d.kind),
                 aggregation=aggregation, programs=tuple(picks), years=years, years_how=years_how,
                 constraints=tuple(constraints), scope_issue=evidence.get("scope"), follow_up=bool(a and a.ctx),
                 topic=tuple(a.topic) if a is not None else (), unknown=tuple(a.unknown) if a is not None else (),
                 kind=d.kind, declined=d.abstained, chars=len(q.text),
                 model=tuple(sorted((model or {}).items(), key=lambda kv: -kv[1])))
