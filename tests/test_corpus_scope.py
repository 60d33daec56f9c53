"""A new document beside the seeds: years from what was read, totals, links within one issuer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.corpus import load_corpus
from assistant.links import issuer_key, year_links
from assistant.programs import format_rows, program_rows

from .conftest import CORPUS_DIR

DOCS = Path(__file__).resolve().parent / "documents"


def _with(tmp_path: Path, name: str, entry: str, text: str | None = None) -> Path:
    shutil.copytree(CORPUS_DIR, tmp_path / "corpus")
    target = tmp_path / "corpus" / name
    if text is None:
        shutil.copy(DOCS / name, target)
    else:
        target.write_text(text, encoding="utf-8")
    with (tmp_path / "corpus" / "documents.toml").open("a", encoding="utf-8") as fh:
        fh.write(f'\n[[document]]\nfile = "{name}"\n{entry}\n')
    return tmp_path / "corpus"


def test_years_are_those_with_programs_read(tmp_path):
    corpus_dir = _with(tmp_path, "empty2026.txt", 'id = "e"\nfiscal_year = 2026',
                       text="令和8年度 予算の概要\n在宅医療を進めます。\n")
    corpus = load_corpus(corpus_dir)
    assert {d.fiscal_year for d in corpus.documents} == {2020, 2025, 2026}
    assert corpus.years() == (2020, 2025)


def test_a_fy2026_outline_beside_the_seeds(tmp_path):
    corpus_dir = _with(tmp_path, "outline_midori_r8.txt", 'id = "midori"\nfiscal_year = 2026\nissuer = "みどり県健康福祉部"')
    corpus = load_corpus(corpus_dir)
    assert corpus.years() == (2020, 2025, 2026)
    # Top-level programs only (sub-items are parts of their parent's amount), the 再掲 entry once.
    assert corpus.total(2026) == (177 + 58 + 120 + 50 + 85 + 15 + 20) * 1000
    assert (corpus.total(2025), corpus.total(2020)) == (1_170_671, 936_792)
    seeds = load_corpus(CORPUS_DIR)
    assert [p for p in corpus.passages if p.fiscal_year != 2026] == list(seeds.passages)
    links = year_links(corpus)
    assert not any(pid.startswith("midori/") for pid in links)
    assert year_links(seeds) == {k: v for k, v in links.items()}


@pytest.mark.parametrize("issuer,linked", [("東京都保健医療局", True), ("みどり県健康福祉部", False)])
def test_same_issuer_links_across_years_other_issuer_does_not(tmp_path, issuer, linked):
    text = "令和8年度 在宅療養の推進\n1 ACP推進事業(18百万円)\n2 在宅療養研修事業(12百万円)\n"
    corpus_dir = _with(tmp_path, "r8.txt", f'id = "r8"\nfiscal_year = 2026\nissuer = "{issuer}"', text=text)
    links = year_links(load_corpus(corpus_dir))
    expected = {2020: "fy2020/ACP推進事業", 2025: "fy2025/ACP推進事業"} if linked else None
    assert links.get("r8/ACP推進事業") == expected
    assert links["fy2025/ACP推進事業"].get(2026) == ("r8/ACP推進事業" if linked else None)


@pytest.mark.parametrize("issuer,key", [
    ("東京都保健医療局", "東京都"), ("東京都福祉保健局", "東京都"), ("京都府健康福祉部", "京都府"),
    ("みどり県 健康福祉部", "みどり県"), ("あおば市健康局", "あおば市"), ("", ""),
])
def test_issuer_key(issuer, key):
    assert issuer_key(issuer) == key


def test_program_table_shows_the_documents_unit(tmp_path):
    corpus_dir = _with(tmp_path, "columns_kawabe_r8.txt", 'id = "kawabe"\nfiscal_year = 2026\nissuer = "かわべ県保健福祉部"')
    rows = program_rows(load_corpus(corpus_dir), 2026)
    row = next(r for r in rows if r.name == "在宅医療連携推進事業")
    assert (row.document, row.issuer, row.unit, row.budget_as_written, row.budget_thousand_yen,
            row.previous_budget_thousand_yen, row.previous_budget_as_written) == (
        "kawabe", "かわべ県保健福祉部", "百万円", "150百万円", 150_000, 120_000, "120百万円")
    table = format_rows(rows, "table").splitlines()
    assert any("150,000（150百万円）" in line and "在宅医療連携推進事業" in line for line in table)
    csv_lines = format_rows(rows, "csv").splitlines()
    assert csv_lines[0].endswith(",document,issuer,unit,budget_as_written,previous_budget_thousand_yen,"
                                 "previous_budget_as_written")
