"""Shared fixtures: the real corpus, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import Corpus, load_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)
