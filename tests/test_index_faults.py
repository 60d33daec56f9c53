"""Index and manifest faults, run as a user runs them (issue 16, items 8-11)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CLI = [sys.executable, "-m", "assistant.cli"]
QUESTION = "ACP推進事業の予算は？"


def run(*args, prefix=(), **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, *CLI, *args], cwd=ROOT, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory, real_embedder) -> Path:
    """A scratch root with a good index, copied (not rebuilt) by each test."""
    from assistant.store import build_index

    root = tmp_path_factory.mktemp("faults_root")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    build_index(root / "corpus", root / "index", real_embedder)
    return root


@pytest.fixture()
def root(built, tmp_path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(built, target)
    (target / ".cache").symlink_to(ROOT / ".cache")
    return target


def live_build(root: Path) -> Path:
    return root / "index" / "builds" / json.loads((root / "index" / "current.json").read_text())["build"]


def test_corrupt_index_is_reported_and_rebuilt(root):
    (live_build(root) / "corpus.json").write_text("garbage", encoding="utf-8")
    out = run("--root", str(root), "ask", QUESTION)
    assert out.returncode == 0 and "16,884" in out.stdout and "Traceback" not in out.stderr
    assert "the index is corrupt: " in out.stderr and "corpus.json is corrupt (checksum mismatch)" in out.stderr
    assert "rebuilding it" in out.stderr
    again = run("--root", str(root), "ask", QUESTION)
    assert again.returncode == 0 and "corrupt" not in again.stderr  # the rebuilt index is good


def test_wrong_type_manifest_is_reported_and_rebuilt(root):
    path = live_build(root) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "artifacts": ["corpus.json"]}), encoding="utf-8")
    out = run("--root", str(root), "ask", QUESTION)
    assert out.returncode == 0 and "16,884" in out.stdout and "Traceback" not in out.stderr
    assert "manifest.json is corrupt (wrong type of artifacts)" in out.stderr and "building the index" in out.stderr


def test_stale_temporary_build_is_removed(root):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = root / "index" / "builds" / f".tmp-20261201T000000-deadbeef-p{dead.pid}"
    stale.mkdir()
    (stale / "vectors.faiss").write_bytes(b"half a build")
    out = run("--root", str(root), "ask", QUESTION)
    assert out.returncode == 0 and "16,884" in out.stdout
    assert not stale.exists() and f"removed {stale}, left by an interrupted build" in out.stderr


def _read_only(prefix_root: Path):
    """How to run a command that cannot write where files are not writable, also as root."""
    if os.geteuid() != 0:
        return ()
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner")


def _chmod_tree(path: Path, mode_dirs: int, mode_files: int) -> None:
    for p in [path, *path.rglob("*")]:
        p.chmod(mode_dirs if p.is_dir() else mode_files)


def test_read_only_stale_index_answers_with_a_warning(root):
    manifest = root / "corpus" / "documents.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")  # now stale
    prefix = _read_only(root)
    _chmod_tree(root / "index", 0o555, 0o444)
    try:
        out = run("--root", str(root), "ask", QUESTION, prefix=prefix)
    finally:
        _chmod_tree(root / "index", 0o755, 0o644)
    assert out.returncode == 0 and "16,884" in out.stdout and "Traceback" not in out.stderr
    assert f"warning: {root / 'index'} is not writable, so the index cannot be rebuilt" in out.stderr
    assert "answering from the last good index" in out.stderr


def test_read_only_folder_without_index_is_one_line(root):
    shutil.rmtree(root / "index")
    prefix = _read_only(root)
    root.chmod(0o555)
    try:
        out = run("--root", str(root), "ask", QUESTION, prefix=prefix)
    finally:
        root.chmod(0o755)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines[-1].startswith(f"error: {root / 'index'} is not writable")
    assert "no usable index to answer from" in lines[-1]


@pytest.mark.parametrize("broken", ["syntax", "duplicate"])
def test_broken_manifest_answers_from_last_good_index(root, broken):
    manifest = root / "corpus" / "documents.toml"
    text = manifest.read_text(encoding="utf-8")
    if broken == "syntax":
        manifest.write_text(text + "\n[[document]\n", encoding="utf-8")
    else:
        manifest.write_text(text.replace('id = "fy2020"', 'id = "fy2025"'), encoding="utf-8")
    out = run("--root", str(root), "ask", QUESTION)
    assert out.returncode == 0 and "16,884" in out.stdout and "Traceback" not in out.stderr
    warning = next(line for line in out.stderr.splitlines() if line.startswith("warning: cannot rebuild"))
    assert "documents.toml" in warning and ("invalid manifest" if broken == "syntax" else "duplicate") in warning
    assert "answering from the last good index" in warning
    build = run("--root", str(root), "index", "build")
    assert build.returncode == 2 and "documents.toml" in build.stderr and "Traceback" not in build.stderr
