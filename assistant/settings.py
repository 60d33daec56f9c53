"""Settings: the one object that carries paths and choices down the pipeline.

Library code takes its values from here; only ``app.py`` and the CLI build it
(from command-line options), so nothing below them reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_MODEL = "default"


@dataclass(frozen=True)
class Settings:
    """Where the corpus, index, model cache and user data live, and which model to use."""

    corpus_dir: Path
    index_dir: Path
    cache_dir: Path
    data_dir: Path
    model: str = DEFAULT_MODEL

    @classmethod
    def for_root(cls, root: Path, **overrides) -> Settings:
        """The standard layout of a project checkout rooted at ``root``."""
        root = Path(root)
        settings = cls(
            corpus_dir=root / "corpus",
            index_dir=root / "index",
            cache_dir=root / ".cache",
            data_dir=root / "data",
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def project_root() -> Path:
    """The checkout this package runs from (the CLI's default root)."""
    here = Path.cwd()
    if (here / "corpus").is_dir():
        return here
    return Path(__file__).resolve().parent.parent
