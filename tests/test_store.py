"""The persisted index: round trip, staleness, corruption, atomic builds (fake embedder)."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.retrieve import Retriever
from assistant.store import IndexProblem, build_index, ensure_index, load_index, staleness

from .conftest import CORPUS_DIR, FakeEmbedder


@pytest.fixture()
def corpus_copy(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target


def _build(corpus_dir, index_dir, embedder=None):
    return build_index(corpus_dir, index_dir, embedder or FakeEmbedder())


def test_round_trip_same_results(corpus_copy, tmp_path, corpus):
    index_dir = tmp_path / "index"
    manifest = _build(corpus_copy, index_dir)
    assert (manifest.passages, manifest.dim, manifest.vector_index) == (len(corpus.passages), 64, "flat")
    assert set(manifest.artifacts) >= {"corpus.json", "vectors.faiss"}
    loaded = load_index(index_dir)
    assert loaded.corpus.passages == corpus.passages
    assert loaded.corpus.facts == corpus.facts
    questions = ["入退院時連携支援事業の補助率", "家族を支援する事業", "ACP"]
    first = [[h.passage.id for h in Retriever(loaded, FakeEmbedder()).search(q)] for q in questions]
    _build(corpus_copy, index_dir)  # rebuild: same corpus, same results
    again = [[h.passage.id for h in Retriever(load_index(index_dir), FakeEmbedder()).search(q)] for q in questions]
    assert first == again


def test_staleness(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    assert "no index" in staleness(index_dir, corpus_copy, FakeEmbedder.model_id)
    _build(corpus_copy, index_dir)
    assert staleness(index_dir, corpus_copy, FakeEmbedder.model_id) is None
    assert "model" in staleness(index_dir, corpus_copy, "other/model")
    (corpus_copy / "fy2020_zaitaku_ryoyo_yosan.txt").write_text("【】: 2020年度（令和2年度）予算案\n■新事業【1千円】\n",
                                                                encoding="utf-8")
    assert "corpus changed" in staleness(index_dir, corpus_copy, FakeEmbedder.model_id)


def test_corrupt_artifact_is_detected(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    _build(corpus_copy, index_dir)
    build = index_dir / "builds" / json.loads((index_dir / "current.json").read_text())["build"]
    with (build / "vectors.faiss").open("r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff\xff\xff\xff")
    with pytest.raises(IndexProblem, match="vectors.faiss is corrupt"):
        load_index(index_dir)
    # ensure_index rebuilds rather than failing
    assert len(ensure_index(corpus_copy, index_dir, FakeEmbedder()).corpus.passages) > 0


def test_missing_artifact_and_bad_pointer(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    _build(corpus_copy, index_dir)
    build = index_dir / "builds" / json.loads((index_dir / "current.json").read_text())["build"]
    (build / "corpus.json").unlink()
    with pytest.raises(IndexProblem, match="missing"):
        load_index(index_dir)
    (index_dir / "current.json").write_text("{not json")
    with pytest.raises(IndexProblem, match="corrupt"):
        load_index(index_dir)


def test_interrupted_build_leaves_previous_index(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    _build(corpus_copy, index_dir)
    before = load_index(index_dir).manifest
    with pytest.raises(RuntimeError):
        build_index(corpus_copy, index_dir, FakeEmbedder(fail_after=0))
    after = load_index(index_dir)
    assert after.manifest == before
    assert not [p for p in (index_dir / "builds").iterdir() if p.name.startswith(".tmp-")]


def test_hnsw_chosen_past_threshold(corpus_copy, tmp_path):
    manifest = build_index(corpus_copy, tmp_path / "index", FakeEmbedder(), hnsw_threshold=10)
    assert manifest.vector_index == "hnsw"
    loaded = load_index(tmp_path / "index")
    hits = Retriever(loaded, FakeEmbedder()).search("ACP推進事業", k=3)
    assert hits[0].passage.name == "ACP推進事業"


def test_year_filter_with_fake_embedder(corpus_copy, tmp_path):
    _build(corpus_copy, tmp_path / "index")
    retriever = Retriever(load_index(tmp_path / "index"), FakeEmbedder())
    for mode in ("hybrid", "bm25", "dense"):
        hits = retriever.search("在宅療養研修", k=20, year=2020, mode=mode)
        assert hits and {h.passage.fiscal_year for h in hits} == {2020}


def test_repeats_are_folded_into_the_original(corpus_copy, tmp_path):
    _build(corpus_copy, tmp_path / "index")
    retriever = Retriever(load_index(tmp_path / "index"), FakeEmbedder())
    ids = [h.passage.id for h in retriever.search("在宅療養研修事業", k=45)]
    assert "fy2025/在宅療養研修事業" in ids
    assert not any(i.startswith("fy2025/在宅療養研修事業~") for i in ids)
    assert len(ids) == len(set(ids))


def test_empty_corpus_is_a_clear_error(tmp_path):
    (tmp_path / "corpus").mkdir()
    with pytest.raises(IndexProblem, match="no passages"):
        build_index(tmp_path / "corpus", tmp_path / "index", FakeEmbedder())


def test_stale_temporary_builds_are_cleaned(corpus_copy, tmp_path):
    import os
    import subprocess
    import time

    from assistant.housekeeping import STALE_TMP_SECONDS, clean_stale_builds

    index_dir = tmp_path / "index"
    builds = index_dir / "builds"
    dead = subprocess.Popen(["true"])
    dead.wait()
    folders = {name: builds / name for name in (f".tmp-a-p{dead.pid}", f".tmp-b-p{os.getpid()}", ".tmp-old", ".tmp-new")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    old = time.time() - STALE_TMP_SECONDS - 60
    os.utime(folders[".tmp-old"], (old, old))
    assert sorted(clean_stale_builds(index_dir)) == [".tmp-a-p" + str(dead.pid), ".tmp-old"]
    assert folders[f".tmp-b-p{os.getpid()}"].is_dir() and folders[".tmp-new"].is_dir()  # a live build, a young one
    os.utime(folders[".tmp-new"], (old, old))
    said = []
    ensure_index(corpus_copy, index_dir, FakeEmbedder(), report=said.append)
    assert any(".tmp-new, left by an interrupted build" in line for line in said)
    assert [p.name for p in builds.iterdir() if p.name.startswith(".tmp-")] == [f".tmp-b-p{os.getpid()}"]


def test_wrong_type_manifest_is_corrupt(corpus_copy, tmp_path):
    from assistant.store import read_manifest

    index_dir = tmp_path / "index"
    _build(corpus_copy, index_dir)
    path = index_dir / "builds" / json.loads((index_dir / "current.json").read_text())["build"] / "manifest.json"
    good = json.loads(path.read_text())
    for bad in ([], {**good, "artifacts": ["x"]}, {**good, "dim": "64"}, {**good, "corpus": {"a": 1}}):
        path.write_text(json.dumps(bad))
        with pytest.raises(IndexProblem, match="manifest.json is corrupt"):
            read_manifest(index_dir)
    said = []
    assert ensure_index(corpus_copy, index_dir, FakeEmbedder(), report=said.append).corpus.passages
    assert said and said[0].startswith("building the index (") and "manifest.json is corrupt" in said[0]


def test_corrupt_index_is_reported(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    _build(corpus_copy, index_dir)
    build = index_dir / "builds" / json.loads((index_dir / "current.json").read_text())["build"]
    (build / "corpus.json").write_text("garbage", encoding="utf-8")
    said = []
    ensure_index(corpus_copy, index_dir, FakeEmbedder(), report=said.append)
    assert said == [f"the index is corrupt: {build / 'corpus.json'} is corrupt (checksum mismatch); rebuilding it"]
