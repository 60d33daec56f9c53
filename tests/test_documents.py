"""Reading the corpus: manifest, encodings, fiscal-year detection, bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.corpus import load_corpus
from assistant.documents import CorpusError, decode, detect_year, load_documents

from .conftest import CORPUS_DIR

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_manifest_entries(corpus):
    docs = {d.id: d for d in corpus.documents}
    assert set(docs) == {"fy2025", "fy2020"}
    assert (docs["fy2025"].fiscal_year, docs["fy2025"].era, docs["fy2025"].status) == (2025, "令和7年度", "予算額（案）")
    assert (docs["fy2020"].fiscal_year, docs["fy2020"].era, docs["fy2020"].status) == (2020, "令和2年度", "予算案")
    assert corpus.errors == ()


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the checkout")
@pytest.mark.parametrize("seed,copy", [
    ("000_0f0e66cbedaeb88e.txt", "fy2025_zaitaku_ryoyo_yosan.txt"),
    ("002_49a49ab68373ddfc.txt", "fy2020_zaitaku_ryoyo_yosan.txt"),
])
def test_corpus_copies_are_unchanged(seed, copy):
    assert (SEEDS / seed).read_bytes() == (CORPUS_DIR / copy).read_bytes()


@pytest.mark.parametrize("line,year,era,status", [
    ("【 】：令和7年度 予算額（案）", 2025, "令和7年度", "予算額（案）"),
    ("【】: 2020年度（令和2年度）予算案", 2020, "令和2年度", "予算案"),
    ("【　】：令和６年度　予算額", 2024, "令和6年度", "予算額"),
    ("【】：令和元年度 予算案", 2019, "令和元年度", "予算案"),
    ("【 】：平成31年度 予算案", 2019, "平成31年度", "予算案"),
])
def test_detect_year_from_legend(line, year, era, status):
    stated = detect_year(["", "本文", line])
    assert (stated.fiscal_year, stated.era, stated.status, stated.line) == (year, era, status, 3)


def test_detect_year_absent():
    assert detect_year(["令和7年度に実施", "【252,777千円】"]) is None


def _corpus_with(tmp_path: Path, files: dict[str, bytes], manifest: str | None = None) -> Path:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    if manifest is not None:
        (tmp_path / "documents.toml").write_text(manifest, encoding="utf-8")
    return tmp_path


def test_year_from_text_when_manifest_has_none(tmp_path):
    data = (CORPUS_DIR / "fy2020_zaitaku_ryoyo_yosan.txt").read_bytes()
    corpus_dir = _corpus_with(tmp_path, {"new.txt": data}, '[[document]]\nid = "x"\nfile = "new.txt"\n')
    (doc,) = load_documents(corpus_dir).documents
    assert (doc.id, doc.fiscal_year, doc.era, doc.status) == ("x", 2020, "令和2年度", "予算案")


def test_no_year_anywhere_names_the_file(tmp_path):
    corpus_dir = _corpus_with(tmp_path, {"undated.txt": "■事業【1,000千円】\n".encode()})
    result = load_documents(corpus_dir)
    assert result.documents == ()
    assert len(result.errors) == 1 and "undated.txt" in result.errors[0] and "fiscal year" in result.errors[0]


@pytest.mark.parametrize("encoding", ["cp932", "shift_jis", "utf-8-sig", "euc_jp"])
def test_encodings_parse_identically(tmp_path, corpus, encoding):
    text = (CORPUS_DIR / "fy2025_zaitaku_ryoyo_yosan.txt").read_text(encoding="utf-8")
    if encoding in ("shift_jis", "euc_jp"):
        text = text.replace("～", "〜")  # JIS X 0208 has only the wave dash
    # ✓ and ➤ have no JIS code and become "?"; the parse must not depend on them.
    data = text.encode(encoding, errors="strict" if encoding == "utf-8-sig" else "replace")
    corpus_dir = _corpus_with(tmp_path, {"fy2025.txt": data},
                              '[[document]]\nid = "fy2025"\nfile = "fy2025.txt"\n')
    copy = load_corpus(corpus_dir)
    assert copy.errors == ()
    original = [(p.id, p.spans, p.flags, p.parent_id) for p in corpus.passages if p.document_id == "fy2025"]
    assert [(p.id, p.spans, p.flags, p.parent_id) for p in copy.passages] == original
    facts = [(f.id, f.value, f.amount) for f in corpus.facts if f.document_id == "fy2025"]
    assert [(f.id, f.value, f.amount) for f in copy.facts] == facts


def test_empty_and_undecodable_files_are_reported_and_the_rest_loads(tmp_path):
    good = (CORPUS_DIR / "fy2020_zaitaku_ryoyo_yosan.txt").read_bytes()
    corpus_dir = _corpus_with(tmp_path, {
        "a_good.txt": good,
        "b_empty.txt": b"  \n",
        "c_binary.txt": bytes(range(256)) * 4,
    })
    result = load_corpus(corpus_dir)
    assert [d.file for d in result.documents] == ["a_good.txt"]
    assert len(result.passages) > 10
    assert any("b_empty.txt" in e and "empty" in e for e in result.errors)
    assert any("c_binary.txt" in e and "cannot decode" in e for e in result.errors)


def test_decode_rejects_binary():
    with pytest.raises(CorpusError, match="blob.bin"):
        decode(b"\x00\x01\xff\xfe\x80garbage", "blob.bin")


def test_missing_file_in_manifest(tmp_path):
    corpus_dir = _corpus_with(tmp_path, {}, '[[document]]\nid = "gone"\nfile = "gone.txt"\n')
    result = load_documents(corpus_dir)
    assert "gone.txt" in result.errors[0]


def test_invalid_manifest_is_a_clear_error(tmp_path):
    shutil.copy(CORPUS_DIR / "fy2020_zaitaku_ryoyo_yosan.txt", tmp_path)
    (tmp_path / "documents.toml").write_text("[[document]\nfile=", encoding="utf-8")
    with pytest.raises(CorpusError, match="documents.toml"):
        load_documents(tmp_path)
