"""Lexicon: the answer stage's word lists, loaded once from ``data/words.toml`` with checks.

Lists live in a data file, each with what it is for, so that a word is added in one
place and a list cannot quietly hold a word twice.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LISTS = ("generic_ja", "generic_en", "shared", "broad", "heading_stop", "survey_words")


class LexiconError(ValueError):
    """A data file of the answer stage is malformed or contradicts itself."""


def read_words(path: Path) -> dict[str, frozenset[str]]:
    """Every list of a words file; refuses a missing list, a repeated word or an empty word."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    out = {}
    for name in LISTS:
        entry = data.get(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("words"), list) or not entry.get("why"):
            raise LexiconError(f"{path}: [{name}] needs `why` and a `words` list")
        words = entry["words"]
        seen: set[str] = set()
        for w in words:
            if not isinstance(w, str) or not w.strip() or w != w.strip():
                raise LexiconError(f"{path}: [{name}] has an empty or padded word {w!r}")
            if w in seen:
                raise LexiconError(f"{path}: [{name}] lists {w!r} twice")
            seen.add(w)
        out[name] = frozenset(words)
    extra = set(data) - set(LISTS)
    if extra:
        raise LexiconError(f"{path}: unknown list(s) {', '.join(sorted(extra))}")
    return out


@lru_cache(maxsize=1)
def words() -> dict[str, frozenset[str]]:
    """The package's own word lists (read once)."""
    return read_words(DATA_DIR / "words.toml")


GENERIC = words()["generic_ja"]
EN_GENERIC = words()["generic_en"]
SHARED_WORDS = words()["shared"]
BROAD = words()["broad"]
HEADING_STOP = words()["heading_stop"]
SURVEY_WORDS = words()["survey_words"]
