"""Housekeeping of the index folder: whether it can be written, and temporary builds left by a killed build."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

TMP_PREFIX = ".tmp-"
STALE_TMP_SECONDS = 3600  # a temporary build without a builder pid is stale after this long
_TMP_PID = re.compile(r"-p(\d+)$")


def _builder_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user
    return True


def clean_stale_builds(index_dir: Path) -> list[str]:
    """Remove temporary build folders left by a killed build; returns their names.

    A temporary folder is named after the process building it; it is stale once that process is
    gone (or, for a folder without a process id, after ``STALE_TMP_SECONDS``). A build in progress
    in another process is left alone.
    """
    builds = Path(index_dir) / "builds"
    removed = []
    try:
        candidates = [p for p in builds.iterdir() if p.name.startswith(TMP_PREFIX) and p.is_dir()]
    except OSError:
        return removed
    for tmp in candidates:
        match = _TMP_PID.search(tmp.name)
        try:
            stale = (not _builder_alive(int(match[1]))) if match else \
                time.time() - tmp.stat().st_mtime > STALE_TMP_SECONDS
        except OSError:
            continue
        if stale:
            shutil.rmtree(tmp, ignore_errors=True)
            if not tmp.exists():
                removed.append(tmp.name)
    return removed


def writable(path: Path) -> bool:
    """Whether ``path`` (or, while it does not exist yet, its nearest existing parent) can be written."""
    path = Path(path).absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return os.access(path, os.W_OK | os.X_OK)
