"""Hybrid retrieval over the real corpus with the real model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import CORPUS_DIR, ROOT

FAMILY = {"fy2025/区市町村在宅療養推進事業/在宅療養患者家族支援事業", "fy2025/区市町村在宅療養推進事業"}


@pytest.mark.parametrize("question", ["家族を支援する事業は？", "which programs support families?"])
def test_family_support_first(retriever, question):
    assert retriever.search(question, k=5)[0].passage.id in FAMILY


def test_disaster_first(retriever):
    assert retriever.search("災害に備える取り組み", k=5)[0].passage.id == "fy2025/災害時在宅医療提供体制強化事業"


def test_medical_association_finds_fy2020_entries_written_with_variant(retriever):
    hits = retriever.search("東京都医師会と連携した研修", k=5)
    top = [h.passage for h in hits[:3]]
    assert any(p.fiscal_year == 2020 and "醫" in p.group for p in top)


def test_year_filter(retriever):
    hits = retriever.search("在宅療養研修事業の予算", k=20, year=2020)
    assert hits and all(h.passage.fiscal_year == 2020 for h in hits)
    assert hits[0].passage.id == "fy2020/在宅療養研修事業"


def test_named_program_variant_across_years(retriever):
    hits = retriever.search("東京都多職種連携ポータルサイトの運営", k=3)
    assert {h.passage.id for h in hits[:2]} == {
        "fy2025/東京都多職種連携ポータルサイトの運営", "fy2020/東京都多職種連携ポータルサイト(仮称)の運営"}
    assert all(h.name_match > 0 for h in hits[:2])


def test_hits_carry_both_scores(retriever):
    hit = retriever.search("入退院時連携支援事業の補助率", k=3)[0]
    assert hit.passage.id == "fy2025/入退院時連携強化事業/入退院時連携支援事業"
    assert hit.bm25_score > 0 and 0 < hit.dense_score <= 1 and hit.rank == 1


def test_english_question_bm25_no_junk(retriever):
    assert retriever.search("xylophone quantum zebra", k=5, mode="bm25") == []


def test_search_cli_json(tmp_path):
    shutil.copytree(CORPUS_DIR, tmp_path / "corpus")
    shutil.copytree(ROOT / ".cache", tmp_path / ".cache")  # built by the session fixture
    cmd = [sys.executable, "-m", "assistant.cli", "--root", str(tmp_path)]
    out = subprocess.run(cmd + ["search", "ACP推進事業の予算は？", "--json", "-k", "3", "--year", "2025"],
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert hits[0]["id"] == "fy2025/ACP推進事業" and hits[0]["budget_thousand_yen"] == 16884
    assert {"bm25_score", "dense_score", "score"} <= set(hits[0])
    status = subprocess.run(cmd + ["index", "status"], capture_output=True, text=True, timeout=300)
    assert status.returncode == 0 and status.stdout.startswith("fresh")
