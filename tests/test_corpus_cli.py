"""`assistant corpus add | list | remove | check` end to end, in a scratch root (never the real corpus/).

Refusals (undecodable, empty, nothing readable, duplicate) and injected failures at
every step of an add or a remove must leave the corpus files, the manifest and the
index byte for byte as they were.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.corpus_ops import STEPS, add_document, prepare, remove_document
from assistant.documents import CorpusError
from assistant.store import build_index

from .conftest import CORPUS_DIR, ROOT, FakeEmbedder

DOCS = Path(__file__).resolve().parent / "documents"


def _state(root: Path) -> dict[str, str]:
    """sha256 of every file under the root (corpus, manifest, index), and no leftovers."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".cache" not in p.parts}


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    shutil.copytree(CORPUS_DIR, tmp_path / "corpus")
    return tmp_path


def _fake_build(corpus_dir: Path, index_dir: Path) -> None:
    build_index(corpus_dir, index_dir, FakeEmbedder())


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root, timeout=600)


def test_check_prints_programs_amounts_units_ratios_flags_and_parents(root):
    result = _cli(root, "corpus", "check", str(DOCS / "pipe_aoba_r8.txt"), "--issuer", "あおば市健康局")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"file: {DOCS / 'pipe_aoba_r8.txt'}  encoding: utf-8  layout: pipe-table"
    assert lines[1] == "id: pipe_aoba_r8  fiscal_year: 2026  issuer: あおば市健康局  title: 令和8年度 在宅療養関連事業 予算要求の概要"
    assert "  [10] 在宅療養家族支援事業  予算 45,000千円（4,500万円）  補助率 1/2  上限 1,500千円（150万円）  区分 新規" in lines
    assert "  [11] 運営費補助  予算 21,600千円（2,160万円）  親 訪問看護ステーション支援事業" in lines
    assert lines[-1] == "8 programs with an amount or ratio (8 passages), 16 facts, 0 warnings"
    assert _state(root) == _state(root)  # nothing written
    assert not (root / "index").exists()


@pytest.mark.parametrize("name,data,message", [
    ("bad.bin", bytes(range(256)) * 4, "bad.bin: cannot decode the file as text"),
    ("empty.txt", b" \n\n", "empty.txt: the file is empty"),
    ("prose.txt", "令和8年度の在宅医療について\n在宅医療を進めます。\n".encode(),
     "prose.txt: no program with an amount or a subsidy ratio could be read (looked for:"),
])
def test_add_refuses_with_one_line_and_changes_nothing(root, name, data, message):
    (root / name).write_bytes(data)
    before = _state(root)
    result = _cli(root, "corpus", "add", str(root / name))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert _state(root) == before


def test_add_refuses_the_same_content_twice(root):
    shutil.copy(CORPUS_DIR / "fy2020_zaitaku_ryoyo_yosan.txt", root / "renamed.txt")
    before = _state(root)
    result = _cli(root, "corpus", "add", str(root / "renamed.txt"))
    assert result.returncode == 2
    assert "same content is already in the corpus (document 'fy2020')" in result.stderr
    assert _state(root) == before


def test_index_build_fails_on_a_hand_registered_document_that_yields_nothing(root):
    (root / "corpus" / "prose.txt").write_text("令和8年度の在宅医療\n在宅医療を進めます。\n", encoding="utf-8")
    with (root / "corpus" / "documents.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[document]]\nid = "prose"\nfile = "prose.txt"\nfiscal_year = 2026\n')
    result = _cli(root, "index", "build")
    assert result.returncode == 2
    assert "fy2025: 16 programs with an amount or ratio (25 passages), 45 facts, 0 warnings [seed]" in result.stdout
    assert "prose: 0 programs with an amount or ratio (0 passages), 0 facts, 0 warnings [outline]" in result.stdout
    assert "prose.txt: no program with an amount or a subsidy ratio could be read" in result.stderr
    assert not (root / "index").exists()


@pytest.mark.parametrize("step", STEPS)
def test_injected_failure_at_any_step_of_add_changes_nothing(root, step):
    _fake_build(root / "corpus", root / "index")
    before = _state(root)
    candidate = prepare(root / "corpus", DOCS / "outline_midori_r8.txt", issuer="みどり県健康福祉部")
    with pytest.raises(CorpusError, match=f"injected failure at step '{step}'; nothing was changed"):
        add_document(root / "corpus", root / "index", candidate, _fake_build, fail_at=step)
    assert _state(root) == before
    assert sorted(p.name for p in root.iterdir()) == ["corpus", "index"]


@pytest.mark.parametrize("step", STEPS)
def test_injected_failure_at_any_step_of_remove_changes_nothing(root, step):
    _fake_build(root / "corpus", root / "index")
    before = _state(root)
    with pytest.raises(CorpusError, match="nothing was changed"):
        remove_document(root / "corpus", root / "index", "fy2020", _fake_build, fail_at=step)
    assert _state(root) == before


def test_add_then_remove_restores_the_corpus(root):
    original = _state(root)
    candidate = prepare(root / "corpus", DOCS / "columns_kawabe_r8.txt", issuer="かわべ県保健福祉部", doc_id="kawabe")
    corpus = add_document(root / "corpus", root / "index", candidate, _fake_build)
    assert corpus.years() == (2020, 2025, 2026)
    assert (root / "corpus" / "columns_kawabe_r8.txt").read_bytes() == (DOCS / "columns_kawabe_r8.txt").read_bytes()
    assert 'id = "kawabe"\ntitle = "令和8年度 当初予算案の概要"\nfile = "columns_kawabe_r8.txt"\nfiscal_year = 2026\n' \
        in (root / "corpus" / "documents.toml").read_text(encoding="utf-8")
    remove_document(root / "corpus", root / "index", "kawabe", _fake_build)
    after = {k: v for k, v in _state(root).items() if not k.startswith("index")}
    assert after == original


def test_cp932_and_euc_jp_are_detected_and_recorded(root):
    # EUC-JP (JIS X 0208) has no Ⅰ or ①, so the pipe table stands in for it.
    for source, encoding, programs in (("outline_midori_r8.txt", "cp932", 15), ("pipe_aoba_r8.txt", "euc_jp", 8)):
        name = f"{encoding}.txt"
        (root / name).write_bytes((DOCS / source).read_text(encoding="utf-8").encode(encoding))
        candidate = prepare(root / "corpus", root / name)
        assert candidate.encoding == encoding
        assert candidate.entry["encoding"] == encoding
        assert candidate.counts.programs == programs


@pytest.mark.slow
def test_add_list_programs_remove_with_the_real_model(root, real_embedder):
    (root / ".cache").symlink_to(ROOT / ".cache")
    before = _state(root)
    failed = _cli(root, "corpus", "add", str(DOCS / "outline_midori_r8.txt"), "--fail-at", "index-swap")
    assert failed.returncode == 2 and "injected failure at step 'index-swap'; nothing was changed" in failed.stderr
    assert _state(root) == before and sorted(p.name for p in root.iterdir()) == [".cache", "corpus"]
    added = _cli(root, "corpus", "add", str(DOCS / "outline_midori_r8.txt"), "--issuer", "みどり県健康福祉部",
                 "--id", "midori")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added 'midori' (2026, 15 programs, 19 facts, 0 warnings)")
    listing = _cli(root, "corpus", "list").stdout.splitlines()
    assert listing[-1].split("\t") == ["midori", "2026", "みどり県健康福祉部", "令和8年度 在宅医療の推進に係る予算の概要",
                                       "outline_midori_r8.txt", "outline", "15 programs", "19 facts", "0 warnings"]
    assert _cli(root, "index", "status").returncode == 0
    rows = json.loads(_cli(root, "programs", "--year", "2026", "--format", "json").stdout)
    first = rows[0]
    assert (first["name"], first["budget_thousand_yen"], first["unit"], first["budget_as_written"],
            first["document"], first["issuer"]) == ("在宅医療推進事業", 177_000, "百万円", "177百万円", "midori",
                                                    "みどり県健康福祉部")
    again = _cli(root, "corpus", "add", str(DOCS / "outline_midori_r8.txt"))
    assert again.returncode == 2 and "document 'midori'" in again.stderr
    failed = _cli(root, "corpus", "remove", "midori", "--fail-at", "index-swap")
    assert failed.returncode == 2 and "nothing was changed" in failed.stderr
    assert len(json.loads(_cli(root, "programs", "--year", "2026", "--format", "json").stdout)) == 15
    removed = _cli(root, "corpus", "remove", "midori")
    assert removed.returncode == 0, removed.stderr
    assert not (root / "corpus" / "outline_midori_r8.txt").exists()
    assert _cli(root, "index", "status").returncode == 0
