"""The command line, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from .conftest import ROOT


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_programs_table():
    out = run("programs", "--year", "2025")
    assert out.returncode == 0, out.stderr
    assert "区市町村在宅療養推進事業" in out.stdout and "252,777" in out.stdout
    assert "620,000" not in out.stdout


def test_programs_json_and_csv():
    rows = json.loads(run("programs", "--format", "json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert by_id["fy2020/入退院時連携強化事業"]["budget_thousand_yen"] == 222_185
    child = by_id["fy2025/入退院時連携強化事業/入退院時連携支援事業"]
    assert child["subsidy_rates"] == ["1/2または3/4"] and child["parent"] == "入退院時連携強化事業"
    table = list(csv.DictReader(io.StringIO(run("programs", "--format", "csv", "--year", "2020").stdout)))
    assert {r["fiscal_year"] for r in table} == {"2020"}
    assert "12306" in {r["budget_thousand_yen"] for r in table}


def test_bad_corpus_is_one_clear_line(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "documents.toml").write_text("[[document]\n", encoding="utf-8")
    out = run("--root", str(tmp_path), "programs")
    assert out.returncode == 2
    assert out.stderr.startswith("error: ") and "documents.toml" in out.stderr
    assert "Traceback" not in out.stderr


def _scratch_root(tmp_path):
    import shutil

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / ".cache").symlink_to(ROOT / ".cache")  # the model built by the session fixtures
    shutil.copytree(ROOT / "eval", tmp_path / "eval", ignore=shutil.ignore_patterns("reports"))
    return tmp_path


def test_ask_json_and_batch(tmp_path, real_embedder):
    root = _scratch_root(tmp_path)
    out = run("--root", str(root), "ask", "ACP推進事業の予算は？", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["programs"][0]["budget_thousand_yen"] == 16884 and not data["abstained"]
    batch = root / "in.jsonl"
    batch.write_text('{"id": "a", "question": "ACP推進事業の予算は？"}\n{broken\n{"id": "c", "question": ""}\n'
                     '{"id": "d", "question": "がん検診の予算は？"}\n', encoding="utf-8")
    out = run("--root", str(root), "ask", "--batch", str(batch), "--out", str(root / "out.jsonl"))
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in (root / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", 2, "c", "d"]
    assert "16,884" in records[0]["answer"]
    assert "error" in records[1] and "line 2" in records[1]["error"]
    assert "error" in records[2]
    assert records[3]["abstained"] is True
    empty = run("--root", str(root), "ask", "  ")
    assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr


def test_eval_cli_writes_reports(tmp_path, real_embedder):
    root = _scratch_root(tmp_path)
    out = run("--root", str(root), "eval", "--split", "test")
    assert out.returncode == 0, out.stderr
    summary = (root / "eval" / "reports" / "summary-test.md").read_text(encoding="utf-8")
    table = out.stdout.split("\n\nreport:")[0].strip()
    assert summary.startswith(table)
    # The test split is never tuned on, so its committed summary must not name failing questions.
    assert "By kind:" in summary and "\n- `" not in summary
    report = json.loads((root / "eval" / "reports" / "test.json").read_text(encoding="utf-8"))
    assert report["metrics"]["grounding"] == 1.0 and len(report["results"]) == report["metrics"]["questions"]


def test_corrupt_index_is_rebuilt_not_a_traceback(tmp_path, real_embedder):
    root = _scratch_root(tmp_path)
    assert run("--root", str(root), "index", "build").returncode == 0
    builds = [p for p in (root / "index" / "builds").iterdir()]
    (builds[0] / "corpus.json").write_text("garbage", encoding="utf-8")
    status = run("--root", str(root), "index", "status")
    assert status.returncode == 0  # status checks freshness; corruption is found on load
    out = run("--root", str(root), "ask", "ACP推進事業の予算は？")
    assert out.returncode == 0 and "16,884" in out.stdout and "Traceback" not in out.stderr
