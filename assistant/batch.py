"""Batch runs: questions in (JSONL or one JSON array), one answer record out per question.

No answer is lost: each record is written and flushed as soon as it is made; SIGINT or SIGTERM
stops the run after the current question with everything so far on disk; ``--resume`` skips the
ids already in the output. A bad line (not JSON, a wrong type, a question over the cap, an id
that is not valid Unicode, an answer that failed) becomes that line's error record and the run
goes on.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .guard import (
    MAX_BATCH_ARRAY_BYTES,
    MAX_BATCH_LINE_BYTES,
    history_problem,
    question_problem,
    year_problem,
)

FORMAT = ('expected JSONL (one {"id": ..., "question": ...} object per line) '
          "or one JSON array of such objects")


class BatchError(Exception):
    """The batch cannot run at all (unreadable input, output path problem); one line for the user."""


@dataclass(frozen=True)
class Item:
    """One input question: its position (line or array item), its parsed value or why it has none."""

    n: int
    value: object = None
    problem: str | None = None
    where: str = "line"


def check_paths(source: Path, out: Path | None, resume: bool) -> None:
    """Refuse, before anything is loaded, a batch whose input or output cannot work."""
    if not source.is_file():
        raise BatchError(f"{source}: no such batch file")
    if out is None:
        if resume:
            raise BatchError("--resume needs --out (the answers file to continue)")
        return
    if out.is_dir():
        raise BatchError(f"--out {out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise BatchError(f"--out {out}: the folder {out.parent} does not exist")
    if out.exists() and os.path.samefile(out, source) or out.resolve() == source.resolve():
        raise BatchError(f"--out {out} is the input file; write the answers to another file")
    if not os.access(out if out.exists() else out.parent, os.W_OK):
        raise BatchError(f"--out {out}: not writable")


def read_items(source: Path) -> Iterator[Item]:
    """The questions of a batch file, one Item per non-blank line (or per array element)."""
    with source.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"["):
        yield from _array_items(source)
        return
    with source.open("rb") as fh:
        n = 0
        while True:
            raw = fh.readline(MAX_BATCH_LINE_BYTES + 1)
            if not raw:
                return
            n += 1
            if len(raw) > MAX_BATCH_LINE_BYTES and not raw.endswith(b"\n"):
                size = len(raw) + _skip_line(fh)
                yield Item(n, problem=f"the line is {size:,} bytes; the limit is {MAX_BATCH_LINE_BYTES:,}")
                continue
            if n == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                yield Item(n, json.loads(raw.decode("utf-8")))
            except UnicodeDecodeError as exc:
                yield Item(n, problem=f"not UTF-8 ({exc.reason} at byte {exc.start})")
            except ValueError as exc:
                yield Item(n, problem=f"not JSON ({exc}); {FORMAT}")


def _skip_line(fh) -> int:
    skipped = 0
    while chunk := fh.readline(1 << 20):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _array_items(source: Path) -> Iterator[Item]:
    size = source.stat().st_size
    if size > MAX_BATCH_ARRAY_BYTES:
        raise BatchError(f"{source}: a JSON array of {size:,} bytes is over the {MAX_BATCH_ARRAY_BYTES:,} "
                         "limit; write one question per line (JSONL)")
    try:
        data = json.loads(source.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BatchError(f"{source}: not a valid JSON array ({exc}); {FORMAT}") from exc
    if not isinstance(data, list):
        raise BatchError(f"{source}: {FORMAT}")
    for n, value in enumerate(data, start=1):
        yield Item(n, value, where="item")


def done_ids(out: Path) -> set:
    """Ids already answered in an output file; a torn last line (a killed run) is cut off first."""
    if not out.exists():
        return set()
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with out.open("r+b") as fh:
            fh.truncate(keep)
        data = data[:keep]
    ids = set()
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("id"), (str, int)):
            ids.add(record["id"])
    return ids


def item_id(item: Item):
    """The record id: the item's own id (a string or an integer), else its line number."""
    value = item.value
    qid = value.get("id", item.n) if isinstance(value, dict) else item.n
    return qid if isinstance(qid, (str, int)) and not isinstance(qid, bool) else item.n


def answer_item(item: Item, assistant, years: tuple[int, ...], failed: dict, default_year: int | None) -> dict:
    """The output record of one item: the answer, or {"id", "error"} naming the line."""
    qid = item_id(item)
    where = f"{item.where} {item.n}"
    if item.problem:
        return {"id": qid, "error": f"{where}: {item.problem}"}
    value = item.value
    if not isinstance(value, dict):
        return {"id": qid, "error": f"{where}: not a JSON object; {FORMAT}"}
    problems = []
    if "id" in value and (not isinstance(value["id"], (str, int)) or isinstance(value["id"], bool)):
        problems.append("id must be a string or an integer")
    question = value.get("question")
    if isinstance(question, str) and not question.strip():
        problems.append("no question")
    else:
        problems.append(question_problem(question) if question is not None else "no question")
    history = value.get("history")
    problems.append(history_problem(history))
    year = value.get("year", default_year)
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        problems.append("year must be a number such as 2025")
    else:
        problems.append(year_problem(year, years, failed))
    problems = [p for p in problems if p]
    if problems:
        return {"id": qid, "error": f"{where}: {'; '.join(problems)}"}
    try:
        return {"id": qid, **assistant.ask(question, history=history, year=year).to_json()}
    except BaseException as exc:  # one failed answer is that line's error (a Rust panic is a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return {"id": qid, "error": f"{where}: could not answer ({type(exc).__name__})"}


def dumps(record: dict) -> str:
    """One JSON line; text that is not valid Unicode (a lone surrogate) is written escaped."""
    try:
        line = json.dumps(record, ensure_ascii=False)
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record, ensure_ascii=True)
    return line + "\n"


class StopFlag:
    """Set by SIGINT/SIGTERM while installed: the run stops after the question being answered."""

    def __init__(self):
        self.signal: int | None = None
        self._old = {}

    def __enter__(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._old[sig] = signal.signal(sig, self._set)
        return self

    def _set(self, signum, frame):
        self.signal = signum

    def __exit__(self, *exc):
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        return False


@dataclass
class BatchResult:
    written: int = 0
    skipped: int = 0
    errors: int = 0
    stopped_by: int | None = None


def run_batch(items: Iterator[Item], assistant, out, years, failed, default_year, skip: set,
              progress=None) -> BatchResult:
    """Answer every item into ``out`` (a text file), flushing each record; stops early on a signal."""
    result = BatchResult()
    with StopFlag() as stop:
        for item in items:
            if item_id(item) in skip:
                result.skipped += 1
                continue
            record = answer_item(item, assistant, years, failed, default_year)
            out.write(dumps(record))
            out.flush()
            result.written += 1
            result.errors += "error" in record
            if progress:
                progress()
            if stop.signal is not None:
                result.stopped_by = stop.signal
                break
    return result


def ask_batch(args, load, check_year) -> int:
    """``assistant ask --batch IN [--out OUT] [--resume]``: paths are checked before anything loads."""
    import sys

    from tqdm import tqdm

    source, out_path = Path(args.batch), Path(args.out) if args.out else None
    check_paths(source, out_path, args.resume)
    items = read_items(source)
    first = next(items, None)  # a broken JSON array is refused here, before the index loads
    opened = load()
    check_year(args.year, opened.years, opened.failed)
    skip = done_ids(out_path) if args.resume and out_path else set()
    out = out_path.open("a" if args.resume else "w", encoding="utf-8", buffering=1) if out_path else sys.stdout
    bar = tqdm(desc="ask", unit="q", file=sys.stderr)
    try:
        chain = iter(()) if first is None else _chain(first, items)
        result = run_batch(chain, opened.assistant, out, opened.years, opened.failed, args.year, skip,
                           progress=bar.update)
    finally:
        bar.close()
        if out is not sys.stdout:
            out.close()
    if result.skipped:
        print(f"{result.skipped} question(s) already answered in {out_path}; skipped", file=sys.stderr)
    if result.errors:
        print(f"{result.errors} line(s) had errors; see their records", file=sys.stderr)
    if result.stopped_by is not None:
        name = signal.Signals(result.stopped_by).name
        print(f"stopped by {name} after {result.written} answer(s), all written"
              + (f"; continue with --resume --out {out_path}" if out_path else ""), file=sys.stderr)
        return 128 + result.stopped_by
    return 0


def _chain(first: Item, rest: Iterator[Item]) -> Iterator[Item]:
    yield first
    yield from rest
