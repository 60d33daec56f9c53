"""Index: a FAISS vector index and a BM25 index over passages, each with fit/search.

Both take what they are given (vectors, term lists) and answer with row numbers
and scores; numpy stays in this module and ``store``. The vector index is exact
(flat inner product) while the corpus is small and switches to HNSW past
``HNSW_THRESHOLD`` rows, where exact search stops being cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

HNSW_THRESHOLD = 20_000
HNSW_M = 32


class Scored(NamedTuple):
    """Rows (best first) and their scores."""

    rows: np.ndarray
    scores: np.ndarray


class VectorIndex:
    """Inner-product search over L2-normalized vectors (cosine similarity)."""

    def __init__(self, index=None):
        self.index = index

    @property
    def kind(self) -> str:
        import faiss

        return "hnsw" if isinstance(self.index, faiss.IndexHNSWFlat) else "flat"

    def __len__(self) -> int:
        return 0 if self.index is None else int(self.index.ntotal)

    @classmethod
    def fit(cls, vectors: np.ndarray, hnsw_threshold: int = HNSW_THRESHOLD) -> VectorIndex:
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        if len(vectors) >= hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        return cls(index)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> Scored:
        """The k nearest rows; ``allowed`` (bool per row) restricts the search."""
        import faiss

        if len(self) == 0 or k <= 0:
            return Scored(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
        query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            ids = np.flatnonzero(allowed).astype(np.int64)
            if len(ids) == 0:
                return Scored(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
            selector = faiss.IDSelectorBatch(ids)
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(64, 2 * k))
            else:
                params = faiss.SearchParameters(sel=selector)
            k = min(k, len(ids))
        elif self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(64, 2 * k))
        scores, rows = self.index.search(query, min(k, len(self)), params=params)
        keep = rows[0] >= 0
        return Scored(rows[0][keep].astype(np.int64), scores[0][keep])

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        import faiss

        return cls(faiss.read_index(str(path)))


class LexicalIndex:
    """BM25 (bm25s, Lucene variant) over term lists from the Sudachi tokenizer."""

    def __init__(self, bm25):
        self.bm25 = bm25

    @classmethod
    def fit(cls, documents: list[list[str]]) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        # bm25s cannot index an empty document list; one empty row keeps shapes valid.
        bm25.index([terms or [""] for terms in documents] or [[""]], show_progress=False)
        return cls(bm25)

    def scores(self, terms: list[str], allowed: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every row for a query; unknown terms score nothing."""
        vocab = self.bm25.vocab_dict
        known = [t for t in terms if t in vocab]
        n = self.bm25.scores["num_docs"]
        if not known:
            return np.zeros(n, dtype=np.float32)
        scores = np.asarray(self.bm25.get_scores(known), dtype=np.float32)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0).astype(np.float32)
        return scores

    def search(self, terms: list[str], k: int, allowed: np.ndarray | None = None) -> Scored:
        """Rows with a positive score, best first (ties by row order)."""
        scores = self.scores(terms, allowed)
        order = np.argsort(-scores, kind="stable")
        order = order[scores[order] > 0][:k]
        return Scored(order.astype(np.int64), scores[order])

    def save(self, path: Path) -> None:
        self.bm25.save(str(path))

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(path)))
