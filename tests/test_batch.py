"""Batch runs and command-line input, run as a user runs them (issue 16, items 1-7, 12, 14, 15)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time

import pytest

from assistant.guard import MAX_BATCH_LINE_BYTES, MAX_QUESTION_CHARS

from .conftest import ROOT

CLI = [sys.executable, "-m", "assistant.cli"]


def run(*args, cwd=ROOT, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def root(tmp_path_factory, real_embedder):
    """A scratch checkout with its index built once (the model cache is the repo's)."""
    from assistant.store import build_index

    root = tmp_path_factory.mktemp("batch_root")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    (root / ".cache").symlink_to(ROOT / ".cache")
    build_index(root / "corpus", root / "index", real_embedder)
    return root


def records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_out_same_as_input_is_refused_and_input_kept(root, tmp_path):
    batch = tmp_path / "in.jsonl"
    text = "".join(json.dumps({"id": i, "question": "ACP推進事業の予算は？"}) + "\n" for i in range(11))
    batch.write_text(text, encoding="utf-8")
    for out in (batch, tmp_path / "." / "in.jsonl"):
        result = run("--root", str(root), "ask", "--batch", str(batch), "--out", str(out))
        assert result.returncode == 2 and "is the input file" in result.stderr
    (tmp_path / "link.jsonl").symlink_to(batch)
    result = run("--root", str(root), "ask", "--batch", str(batch), "--out", str(tmp_path / "link.jsonl"))
    assert result.returncode == 2 and "is the input file" in result.stderr
    assert batch.read_text(encoding="utf-8") == text


def test_out_in_missing_folder_is_refused_before_loading(tmp_path):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": 1, "question": "ACP推進事業の予算は？"}\n', encoding="utf-8")
    # An empty root has no corpus and no index: loading anything would fail with another message.
    result = run("--root", str(tmp_path), "ask", "--batch", str(batch), "--out", str(tmp_path / "no" / "out.jsonl"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: --out {tmp_path / 'no' / 'out.jsonl'}: the folder {tmp_path / 'no'} does not exist"


def test_every_bad_line_is_its_own_error_record(root, tmp_path):
    lines = [
        b"\xef\xbb\xbf" + json.dumps({"id": "bom", "question": "ACP推進事業の予算は？"}).encode(),
        b'{"id": "\\ud800", "question": "ACP"}',
        json.dumps({"id": "hist", "question": "補助率は？", "history": [1, None]}).encode(),
        b'{"id": "y1999", "question": "ACP", "year": 1999}',
        b'{"id": "yabc", "question": "ACP", "year": "abc"}',
        b'{"id": ["a"], "question": "ACP"}',
        b'[1, 2]',
        b'{broken',
        b'{"id": "bytes", "question": "\xff\xfe"}',
        b'',
        json.dumps({"id": "long", "question": "x" * (MAX_QUESTION_CHARS + 1)}).encode(),
        json.dumps({"id": "huge", "question": "y" * (MAX_BATCH_LINE_BYTES * 3)}).encode(),
        json.dumps({"id": "last", "question": "がん検診の予算は？"}, ensure_ascii=False).encode(),
    ]
    batch = tmp_path / "in.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    result = run("--root", str(root), "ask", "--batch", str(batch), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    got = {r["id"] if not isinstance(r["id"], int) else f"#{r['id']}": r for r in records(out)}
    assert "16,884" in got["bom"]["answer"]  # the BOM is accepted
    assert "answer" in got["\ud800"]  # an id that is not valid Unicode is kept (escaped), the line answered
    assert "history must be a list of strings" in got["hist"]["error"]
    assert "FY1999" in got["y1999"]["error"] and "FY2025, FY2020" in got["y1999"]["error"]
    assert "year must be a number" in got["yabc"]["error"]
    assert "id must be a string or an integer" in got["#6"]["error"]
    assert "line 7: not a JSON object" in got["#7"]["error"]
    assert "line 8: not JSON" in got["#8"]["error"]
    assert "line 9: not UTF-8" in got["#9"]["error"]
    assert f"the limit is {MAX_QUESTION_CHARS:,}" in got["long"]["error"]
    assert "line 12: the line is" in got["#12"]["error"] and f"{MAX_BATCH_LINE_BYTES:,}" in got["#12"]["error"]
    assert got["last"]["abstained"] is True
    assert len(got) == 12  # the blank line is skipped, every other line has its record


def test_json_array_is_accepted_and_a_broken_one_is_one_line(root, tmp_path):
    batch = tmp_path / "in.json"
    batch.write_text(json.dumps([{"id": "a", "question": "ACP推進事業の予算は？"}, {"id": "b", "question": ""}],
                                ensure_ascii=False, indent=2), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("--root", str(root), "ask", "--batch", str(batch), "--out", str(out))
    assert result.returncode == 0, result.stderr
    got = records(out)
    assert [r["id"] for r in got] == ["a", "b"] and "16,884" in got[0]["answer"]
    assert got[1]["error"] == "item 2: no question"
    batch.write_text('[{"id": "a", "question": "x"},', encoding="utf-8")
    result = run("--root", str(tmp_path), "ask", "--batch", str(batch), "--out", str(out))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "not a valid JSON array" in result.stderr and "expected JSONL" in result.stderr


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_keeps_every_answer_and_resume_finishes(root, tmp_path, stop):
    questions = ["ACP推進事業の予算は？", "入退院時連携支援事業の補助率と対象は？", "家族を支援する事業は？"]
    ids = [f"q{i}" for i in range(400)]
    batch = tmp_path / "in.jsonl"
    batch.write_text("".join(json.dumps({"id": i, "question": questions[n % 3]}, ensure_ascii=False) + "\n"
                             for n, i in enumerate(ids)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([*CLI, "--root", str(root), "ask", "--batch", str(batch), "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        # Answers reach the file while the run goes on (flushed per record), not only at the end.
        while not (out.exists() and out.read_text(encoding="utf-8").count("\n") >= 3):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no answers written"
            time.sleep(0.05)
        proc.send_signal(stop)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + stop, stderr
    assert f"stopped by {stop.name}" in stderr and "--resume" in stderr and "Traceback" not in stderr
    first = records(out)  # every line is a whole record
    assert 3 <= len(first) < len(ids)
    assert [r["id"] for r in first] == ids[:len(first)] and all("answer" in r for r in first)

    result = run("--root", str(root), "ask", "--batch", str(batch), "--out", str(out), "--resume")
    assert result.returncode == 0, result.stderr
    assert f"{len(first)} question(s) already answered" in result.stderr
    assert [r["id"] for r in records(out)] == ids
    assert records(out)[:len(first)] == first


def test_resume_needs_out(tmp_path):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": 1, "question": "x"}\n', encoding="utf-8")
    result = run("--root", str(tmp_path), "ask", "--batch", str(batch), "--resume")
    assert result.returncode == 2 and "--resume needs --out" in result.stderr


def test_question_with_invalid_utf8_is_answered(root):
    result = subprocess.run([*CLI, "--root", str(root), "ask", "ACP推進事業の予算は？".encode() + b"\xff\xfe"],
                            cwd=ROOT, capture_output=True, timeout=600)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert "16,884" in result.stdout.decode() and b"Traceback" not in result.stderr


def test_question_over_the_cap_is_refused(tmp_path):
    result = run("--root", str(tmp_path), "ask", "予" * (MAX_QUESTION_CHARS + 1))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: the question is {MAX_QUESTION_CHARS + 1:,} characters long; "
                                     f"the limit is {MAX_QUESTION_CHARS:,}")


def test_markup_does_not_switch_the_language(root):
    result = run("--root", str(root), "ask", "<script>x</script>ACP推進事業の予算は？", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)["answer"]
    assert answer.startswith("「ACP推進事業」の令和7年度予算額（案）は 16,884千円")


def test_unknown_year_names_the_years(root):
    result = run("--root", str(root), "ask", "ACP推進事業の予算は？", "--year", "1999")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == \
        "error: no document covers FY1999; the documents answer for FY2025, FY2020"


def test_year_whose_document_failed_is_named(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(ROOT / "corpus", root / "corpus")
    (root / ".cache").symlink_to(ROOT / ".cache")
    (root / "corpus" / "fy2020_zaitaku_ryoyo_yosan.txt").write_bytes(bytes(range(256)) * 4)
    result = run("--root", str(root), "ask", "ACP推進事業の予算は？", "--year", "2020")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "warning: " in result.stderr and "fy2020_zaitaku_ryoyo_yosan.txt: cannot decode" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the FY2020 document could not be loaded (") and "FY2025" in last
    result = run("--root", str(root), "ask", "ACP推進事業の予算は？")
    assert result.returncode == 0 and "16,884" in result.stdout and "warning: " in result.stderr


def test_search_checks_question_and_year(root):
    result = run("--root", str(root), "search", "ACP", "--year", "2030")
    assert result.returncode == 2 and "FY2030" in result.stderr and "Traceback" not in result.stderr


def test_out_or_resume_without_batch_is_refused(tmp_path):
    for flag in (["--out", str(tmp_path / "o.jsonl")], ["--resume"]):
        result = run("--root", str(tmp_path), "ask", "ACP推進事業の予算は？", *flag)
        assert result.returncode == 2 and result.stderr.strip() == f"error: {flag[0]} goes with --batch"
