"""Intents: the kinds of answer a question can ask for, their cues and fix-ups, from ``data/intents.toml``.

The cues are data beside their example questions (Duckling's rules beside a corpus), so
adding a cue is a data change that the examples test; the loader refuses a file that
contradicts itself (a cue claimed by two intents without a declared share, a fix-up that
names an unknown intent, a pattern that does not compile).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .lexicon import DATA_DIR, LexiconError


@dataclass(frozen=True)
class Intent:
    """One kind of answer: its cues (regex alternatives) and example questions."""

    name: str
    asks: str
    cues: tuple[str, ...]
    examples: tuple[str, ...]
    counter: tuple[str, ...]
    pattern: re.Pattern


@dataclass(frozen=True)
class Fixup:
    """A correction after matching: with these intents and this wording, lead with some and drop others."""

    why: str
    all: tuple[str, ...]
    any: tuple[str, ...]
    match: re.Pattern | None
    unless: re.Pattern | None
    lead: tuple[str, ...]
    drop: tuple[str, ...]

    def applies(self, intents: list[str], text: str) -> bool:
        return (all(i in intents for i in self.all) and (not self.any or any(i in intents for i in self.any))
                and (self.match is None or bool(self.match.search(text)))
                and (self.unless is None or not self.unless.search(text)))

    def apply(self, intents: list[str]) -> list[str]:
        return list(self.lead) + [i for i in intents if i not in self.lead and i not in self.drop]


def bounded(cues: tuple[str, ...]) -> str:
    """One pattern of the cues; an English cue is wrapped in word boundaries ("ratio" must not match "cooperation")."""
    return "|".join(rf"\b(?:{c})" if c.isascii() and re.search("[a-z]", c) else c for c in cues)


def _compile(path: Path, where: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise LexiconError(f"{path}: {where}: pattern does not compile ({exc})") from exc


def _fixup_pattern(path: Path, n: int, entry: dict, key: str, patterns: dict[str, re.Pattern]) -> re.Pattern | None:
    value = entry.get(key)
    if value is None:
        return None
    if value.startswith("@"):
        if value[1:] not in patterns:
            raise LexiconError(f"{path}: fixup {n} names unknown pattern {value}")
        return patterns[value[1:]]
    return _compile(path, f"fixup {n} {key}", value)


def read_intents(path: Path) -> tuple[tuple[Intent, ...], tuple[Fixup, ...], dict[str, re.Pattern]]:
    """Intents in priority order, fix-ups in order, and named patterns; refuses contradictions."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    patterns = {name: _compile(path, f"[patterns] {name}", "|".join(alts))
                for name, alts in (data.get("patterns") or {}).items()}
    intents: list[Intent] = []
    owner: dict[str, str] = {}
    for entry in data.get("intent", []):
        name = entry.get("name")
        if not name or any(i.name == name for i in intents):
            raise LexiconError(f"{path}: intent {name!r} is unnamed or defined twice")
        cues = tuple(entry.get("cues") or ())
        if not cues:
            raise LexiconError(f"{path}: intent {name!r} has no cues")
        shares = set(entry.get("shares") or ())
        for cue in cues:
            if cue in owner and cue not in shares:
                raise LexiconError(f"{path}: cue {cue!r} is claimed by {owner[cue]!r} and {name!r}; "
                                   f"list it in {name!r}'s `shares` if both are meant")
            owner.setdefault(cue, name)
        intents.append(Intent(name, entry.get("asks", ""), cues, tuple(entry.get("examples") or ()),
                              tuple(entry.get("counter") or ()), _compile(path, f"intent {name}", bounded(cues))))
    known = {i.name for i in intents}
    fixups = []
    for n, entry in enumerate(data.get("fixup", []), start=1):
        named = [*entry.get("all", []), *entry.get("any", []), *entry.get("lead", []), *entry.get("drop", [])]
        if unknown := [i for i in named if i not in known]:
            raise LexiconError(f"{path}: fixup {n} names unknown intent(s) {', '.join(unknown)}")
        if set(entry.get("lead", [])) & set(entry.get("drop", [])):
            raise LexiconError(f"{path}: fixup {n} both leads with and drops an intent")

        fixups.append(Fixup(entry.get("why", ""), tuple(entry.get("all", [])), tuple(entry.get("any", [])),
                            _fixup_pattern(path, n, entry, "match", patterns),
                            _fixup_pattern(path, n, entry, "unless", patterns), tuple(entry.get("lead", [])),
                            tuple(entry.get("drop", []))))
    return tuple(intents), tuple(fixups), patterns


@lru_cache(maxsize=1)
def intents_data() -> tuple[tuple[Intent, ...], tuple[Fixup, ...], dict[str, re.Pattern]]:
    """The package's own intents file (read once)."""
    return read_intents(DATA_DIR / "intents.toml")


INTENTS, FIXUPS, PATTERNS = intents_data()
COVERAGE = PATTERNS["coverage"]
TIMES = PATTERNS["times"]


def match_intents(text: str) -> list[str]:
    """The intents whose cues the text matches, in priority order, after the fix-ups."""
    found = [i.name for i in INTENTS if i.pattern.search(text)]
    for fix in FIXUPS:
        if fix.applies(found, text):
            found = fix.apply(found)
    return found


def is_intent_word(word: str) -> bool:
    """An English word that only says what kind of answer is wanted ("total", "increase")."""
    return any(i.pattern.fullmatch(word) or i.pattern.match(word) and len(word) <= 12
               and i.pattern.match(word).end() == len(word) for i in INTENTS)
