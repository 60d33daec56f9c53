"""Reciprocal-rank fusion and program-name matching, with hand-computed values."""

from __future__ import annotations

import pytest

from assistant.passages import Passage
from assistant.retrieve import name_keys, name_matches, rrf


def test_rrf_exact_values():
    fused = rrf([["a", "b", "c"], ["b", "a"]], k=60)
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert set(fused) == {"a", "b", "c"}


def test_rrf_k_changes_weights():
    fused = rrf([["x", "y"]], k=0)
    assert (fused["x"], fused["y"]) == (1.0, 0.5)


def test_rrf_empty():
    assert rrf([]) == {}
    assert rrf([[], []]) == {}


def _p(pid: str, name: str) -> Passage:
    return Passage(pid, "d", 2025, "", "", name, None, (), None, name, ((1, 1),))


@pytest.mark.parametrize("name,keys", [
    ("ACP推進事業", {"acp推進事業", "acp推進"}),
    ("東京都多職種連携ポータルサイト（仮称）の運営",
     {"東京都多職種連携ポータルサイト(仮称)の運営", "東京都多職種連携ポータルサイトの運営"}),
])
def test_name_keys(name, keys):
    assert name_keys(name) == keys


def test_name_matches_exact_variant_and_nested():
    passages = [
        _p("a", "小児等在宅医療推進研修事業"),
        _p("b", "小児等在宅医療推進事業"),
        _p("c", "東京都多職種連携ポータルサイト（仮称）の運営"),
        _p("d", "ACP推進事業"),
    ]
    assert name_matches("小児等在宅医療推進研修事業の予算", passages) == {"a": 1.0}
    assert name_matches("東京都多職種連携ポータルサイトの運営の予算", passages) == {"c": 1.0}
    assert name_matches("ＡＣＰ推進の予算は？", passages) == {"d": 1.0}
    assert name_matches("家族を支援する事業は？", passages) == {}


def test_name_matches_fuzzy_typo():
    passages = [_p("t", "東都在宅療養推進会議等の開催")]  # typo as in the FY2020 document
    strength = name_matches("東京都在宅療養推進会議等の開催について", passages)["t"]
    assert 0 < strength < 1
