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
