"""Phrases: the answer stage's sentences by message id, in Japanese and English, from ``data/messages.toml``."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from .lexicon import DATA_DIR, LexiconError


def read_messages(path: Path) -> dict[str, dict[str, str]]:
    """Both languages' phrases; refuses an id missing in one language or with other placeholders."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    ja, en = data.get("ja") or {}, data.get("en") or {}
    if missing := sorted(set(ja) ^ set(en)):
        raise LexiconError(f"{path}: message(s) {', '.join(missing)} are not in both languages")
    for key in ja:
        if set(re.findall(r"\{(\w+)\}", ja[key])) != set(re.findall(r"\{(\w+)\}", en[key])):
            raise LexiconError(f"{path}: message {key} has different placeholders in ja and en")
    return {"ja": ja, "en": en}


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    return read_messages(DATA_DIR / "messages.toml")


def phrase(key: str, english: bool, **values: str) -> str:
    """The message ``key`` in the question's language, with its placeholders filled."""
    return messages()["en" if english else "ja"][key].format(**values)
