"""FAISS and BM25 indexes against reference computations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.index import LexicalIndex, VectorIndex

DOCS = [["在宅", "医療", "医療"], ["家族", "支援"], ["在宅", "家族", "支援", "支援"], ["研修"]]


def reference_bm25(query, docs, k1=1.2, b=0.75):
    """Lucene BM25 (as in Lucene ≥ 8, without the (k1 + 1) factor), written out."""
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    scores = []
    for doc in docs:
        s = 0.0
        for term in set(query):
            df = sum(term in d for d in docs)
            if df == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = doc.count(term)
            s += idf * tf / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        scores.append(s)
    return scores


@pytest.mark.parametrize("query", [["支援"], ["在宅", "支援"], ["医療"], ["家族", "研修", "在宅"]])
def test_bm25_matches_reference(query):
    index = LexicalIndex.fit(DOCS)
    assert index.scores(query) == pytest.approx(reference_bm25(query, DOCS), rel=1e-5)


def test_bm25_hand_value():
    # "研修" in doc 3: df=1, N=4, idf=ln(1+3.5/1.5); tf=1, dl=1, avgdl=2.5
    idf = math.log(1 + 3.5 / 1.5)
    expected = idf * 1 / (1 + 1.2 * (0.25 + 0.75 * 1 / 2.5))
    assert LexicalIndex.fit(DOCS).scores(["研修"])[3] == pytest.approx(expected, rel=1e-6)


def test_bm25_unknown_terms_and_filter():
    index = LexicalIndex.fit(DOCS)
    assert index.search(["unknown"], 5).rows.tolist() == []
    assert index.search([], 5).rows.tolist() == []
    allowed = np.array([True, False, True, True])
    assert index.search(["支援"], 5, allowed).rows.tolist() == [2]
    assert index.search(["支援"], 5).rows.tolist() == [2, 1]  # tf 2 (0.535·idf) beats tf 1 (0.495·idf)


def test_bm25_round_trip(tmp_path):
    index = LexicalIndex.fit(DOCS)
    index.save(tmp_path / "bm25")
    again = LexicalIndex.load(tmp_path / "bm25")
    assert again.scores(["支援", "在宅"]).tolist() == index.scores(["支援", "在宅"]).tolist()


def _vectors(n=300, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_flat_is_exact_inner_product():
    v = _vectors()
    index = VectorIndex.fit(v)
    assert index.kind == "flat"
    q = v[7]
    found = index.search(q, 5)
    expected = np.argsort(-(v @ q))[:5]
    assert found.rows.tolist() == expected.tolist()
    assert found.scores == pytest.approx((v @ q)[expected], rel=1e-5)


def test_hnsw_past_threshold_and_filter():
    v = _vectors()
    index = VectorIndex.fit(v, hnsw_threshold=100)
    assert index.kind == "hnsw"
    q = v[42]
    assert index.search(q, 1).rows.tolist() == [42]
    allowed = np.arange(len(v)) % 2 == 1
    found = index.search(q, 10, allowed)
    assert len(found.rows) == 10 and all(r % 2 == 1 for r in found.rows)
    exact = np.flatnonzero(allowed)[np.argsort(-(v[allowed] @ q))[:10]]
    assert len(set(found.rows.tolist()) & set(exact.tolist())) >= 8  # approximate, but close


def test_vector_filter_and_round_trip(tmp_path):
    v = _vectors(20)
    index = VectorIndex.fit(v)
    allowed = np.zeros(20, dtype=bool)
    allowed[[3, 5]] = True
    assert sorted(index.search(v[0], 10, allowed).rows.tolist()) == [3, 5]
    assert index.search(v[0], 10, np.zeros(20, dtype=bool)).rows.tolist() == []
    index.save(tmp_path / "v.faiss")
    assert VectorIndex.load(tmp_path / "v.faiss").search(v[0], 3).rows.tolist() == index.search(v[0], 3).rows.tolist()
