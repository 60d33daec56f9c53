"""Opening the assistant for the CLI and the web app: index problems and corpus errors said plainly.

``open_assistant`` loads the model and the index (rebuilding a missing, stale or corrupt one),
passes every problem to ``report`` as one line, and returns what the entry points need to
check a requested fiscal year: the years the documents cover and the years whose document
failed to load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .settings import Settings


@dataclass
class Opened:
    """The loaded assistant, and the fiscal years it can and cannot answer for."""

    assistant: object
    years: tuple[int, ...]
    failed: dict[int, str] = field(default_factory=dict)
    corpus_errors: tuple[str, ...] = ()


def failed_years(corpus_dir: Path, errors: tuple[str, ...]) -> dict[int, str]:
    """{fiscal year: error} for manifest entries whose file failed to load (year from the manifest)."""
    from .documents import CorpusError, load_manifest

    try:
        entries = load_manifest(corpus_dir)
    except (CorpusError, OSError):
        return {}
    failed = {}
    for entry in entries:
        year, name = entry.get("fiscal_year"), str(entry.get("file", ""))
        if isinstance(year, int) and name:
            for error in errors:
                if str(corpus_dir / name) in error or error.startswith(name):
                    failed[year] = error
    return failed


def open_assistant(settings: Settings, report: Callable[[str], None], progress: bool = True) -> Opened:
    """Load the assistant; every index problem and corpus error goes to ``report`` as one line."""
    from .assistant import Assistant

    assistant = Assistant.load(settings, progress=progress, report=report)
    index = assistant.composer.retriever.index
    errors = tuple(index.manifest.corpus_errors)
    for error in errors:
        report(f"warning: {error}")
    return Opened(assistant, index.corpus.years(), failed_years(settings.corpus_dir, errors), errors)
