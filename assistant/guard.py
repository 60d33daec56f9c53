"""Input guard: the size limits and the clean-up shared by every entry point (CLI, batch, API, UI).

One place for the limits, so the command line, a batch file, the web API and the chat box
refuse the same input. ``prepare`` is what ``Assistant.ask`` applies to every question:
lone surrogates (undecodable bytes from a terminal) are dropped and HTML markup is removed,
so the language of the answer is decided on the question's own text, never on its tags.
"""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 1_000  # a question (or one history turn) longer than this is refused
MAX_HISTORY_TURNS = 20  # earlier questions kept for a follow-up (the answer stage looks at the last few)
MAX_BATCH_LINE_BYTES = 64 * 1024  # one batch line: a question, an id, a year and a history
MAX_BATCH_ARRAY_BYTES = 32 * 1024 * 1024  # a batch given as one JSON array is read whole
MAX_ANSWER_CHARS = 50_000  # feedback: an answer this long did not come from the assistant

_SURROGATES = re.compile("[\ud800-\udfff]")
# Markup only: HTML comments, script/style elements with their content, and tags of known HTML
# elements, so that a question about 「<ACP>」 or "1/2 < 3/4" keeps its text.
_ELEMENTS = ("a|abbr|b|body|br|button|code|div|em|embed|font|form|h[1-6]|head|hr|html|i|iframe|img|input|"
             "label|li|link|meta|object|ol|option|p|pre|s|select|small|span|strong|sub|sup|svg|table|tbody|"
             "td|textarea|th|thead|title|tr|u|ul|video|audio|source|math|details|summary|marquee|base")
_MARKUP = re.compile(r"<!--.*?(?:-->|$)|<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)"
                     rf"|</?(?:{_ELEMENTS})(?:[\s/][^<>]*)?>", re.I | re.S)


def strip_markup(text: str) -> str:
    """The text without HTML tags, comments and script/style elements."""
    return _MARKUP.sub("", text)


def clean_question(text: str) -> str:
    """A question as the assistant reads it: no lone surrogates, no markup, at most the cap."""
    return strip_markup(_SURROGATES.sub("", text))[:MAX_QUESTION_CHARS]


def question_problem(text: object) -> str | None:
    """Why a question is refused before it is answered (not text, too long), or None."""
    if not isinstance(text, str):
        return "the question must be a string"
    if len(text) > MAX_QUESTION_CHARS:
        return f"the question is {len(text):,} characters long; the limit is {MAX_QUESTION_CHARS:,}"
    return None


def history_problem(history: object) -> str | None:
    """Why a chat history is refused (not a list of strings, a turn too long), or None."""
    if history is None:
        return None
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        return "history must be a list of strings (the earlier questions)"
    if any(len(h) > MAX_QUESTION_CHARS for h in history):
        return f"a history turn is longer than {MAX_QUESTION_CHARS:,} characters"
    return None


def prepare(question: str, history: list[str] | None) -> tuple[str, list[str] | None]:
    """The question and history as answered: cleaned, the history's last turns only."""
    if history:
        history = [clean_question(h) for h in history if isinstance(h, str)][-MAX_HISTORY_TURNS:]
    return clean_question(question), history or None


def year_problem(year: int | None, years: tuple[int, ...], failed: dict[int, str] | None = None) -> str | None:
    """Why a fiscal year cannot be answered for (no document, or its document failed to load), or None."""
    if year is None or year in years:
        return None
    have = "FY" + ", FY".join(str(y) for y in sorted(years, reverse=True)) if years else "no year"
    if failed and year in failed:
        return f"the FY{year} document could not be loaded ({failed[year]}); the documents answer for {have}"
    return f"no document covers FY{year}; the documents answer for {have}"
