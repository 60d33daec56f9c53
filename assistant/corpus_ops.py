"""Adding and removing corpus documents, all or nothing.

``prepare`` reads a candidate file (encoding detected, fiscal year from the options
or the text, duplicate content refused by hash) and reads its programs with the
same readers the corpus uses, refusing a document from which nothing can be read.
``add_document`` and ``remove_document`` stage the new corpus and a freshly built
index beside the live ones, then swap them in; a failure at any step (injectable
with ``fail_at`` for tests) puts back whatever had been changed, so the corpus
folder, its manifest and the index are either all updated or all as they were.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus, load_corpus
from .documents import CorpusError, Document, decode, detect_year, era_label, load_manifest
from .layouts import DocumentCounts, counts, nothing_read, read_document
from .normalize import fold
from .reader import Reading

# What the amounts are, as a document's title states it (the first found is recorded as its status).
STATUS_WORDS = ("予算額（案）", "予算案", "当初予算", "予算要求", "要求額", "決算額", "予算額", "予算")
STEPS = ("build", "copy", "manifest", "index-swap")
_YEAR = re.compile(r"(?:(?P<era>令和|平成)(?P<n>\d{1,2}|元)|(?P<west>20\d\d))年度")
_ERA_BASE = {"令和": 2018, "平成": 1988}
Builder = Callable[[Path, Path], object]


class InjectedFailure(RuntimeError):
    """Raised by ``fail_at``: a test's stand-in for a crash at a given step."""


@dataclass(frozen=True)
class Candidate:
    """A file about to be added: its entry, how it decodes, and what was read from it."""

    source: Path
    data: bytes
    entry: dict
    encoding: str
    reading: Reading
    counts: DocumentCounts
    duplicate_of: str | None


def detect_encoding(data: bytes, name: str) -> str:
    """The file's encoding: UTF-8 (BOM or not) if it decodes as such, else charset-normalizer's pick."""
    decode(data, name)  # empty or undecodable: a clear error naming the file
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp932", "euc_jp", "shift_jis"]).best()
    if best is None:
        raise CorpusError(f"{name}: cannot tell the encoding (tried UTF-8, CP932/Shift_JIS, EUC-JP)")
    return {"shift_jis": "cp932"}.get(best.encoding, best.encoding)


def stated_year(lines: tuple[str, ...]) -> int | None:
    """The fiscal year a document states: its legend line, else the first 令和N年度 / 20NN年度 near the top."""
    if stated := detect_year(lines):
        return stated.fiscal_year
    for line in lines[:15]:
        if m := _YEAR.search(fold(line)):
            if m["west"]:
                return int(m["west"])
            return _ERA_BASE[m["era"]] + (1 if m["n"] == "元" else int(m["n"]))
    return None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _slug(stem: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z_\-]+", "_", stem).strip("_").lower()
    return slug or "doc"


def prepare(corpus_dir: Path, path: Path, title: str | None = None, fiscal_year: int | None = None,
            issuer: str | None = None, doc_id: str | None = None) -> Candidate:
    """Read a file as ``corpus add`` would, without changing anything."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the file ({exc.strerror})") from exc
    encoding = detect_encoding(data, str(path))
    lines = tuple(decode(data, str(path), encoding).split("\n"))
    entries = load_manifest(corpus_dir) if corpus_dir.is_dir() else []
    duplicate = next((e.get("id") or Path(e["file"]).stem for e in entries
                      if (corpus_dir / e["file"]).is_file() and _sha((corpus_dir / e["file"]).read_bytes()) == _sha(data)),
                     None)
    year = fiscal_year or stated_year(lines)
    if not year:
        raise CorpusError(f"{path}: no fiscal year stated in the text (looked for 「令和N年度」 or 「20NN年度」 "
                          "in the first lines); pass --fiscal-year")
    ids = {e.get("id") or Path(e["file"]).stem for e in entries}
    new_id = doc_id or _slug(path.stem)
    if doc_id is None:
        k = 1
        while new_id in ids:
            k += 1
            new_id = f"{_slug(path.stem)}_{k}"
    file = path.name if path.suffix == ".txt" else f"{new_id}.txt"
    files = {e["file"] for e in entries}
    if file in files or (corpus_dir / file).exists():
        file = f"{new_id}.txt"
    head = fold("".join(lines[:8]))
    status = next((s for s in STATUS_WORDS if fold(s) in head), "")
    entry = {"id": new_id, "title": title or next((ln.strip() for ln in lines if ln.strip()), path.stem),
             "file": file, "fiscal_year": int(year), "era": era_label(int(year)), "status": status,
             "issuer": issuer or ""}
    if encoding not in ("utf-8", "utf-8-sig"):
        entry["encoding"] = encoding
    document = Document(id=new_id, title=entry["title"], file=file, fiscal_year=int(year), era=entry["era"],
                        status=status, issuer=entry["issuer"], lines=lines, sha256=_sha(data))
    reading = read_document(document)
    return Candidate(path, data, entry, encoding, reading, counts(reading), duplicate)


def check_addable(candidate: Candidate, corpus_dir: Path, doc_id_given: bool) -> None:
    """Refuse a duplicate, a taken id, or a document from which nothing can be read."""
    if candidate.duplicate_of:
        raise CorpusError(f"{candidate.source}: the same content is already in the corpus "
                          f"(document '{candidate.duplicate_of}'); not added")
    ids = {e.get("id") or Path(e["file"]).stem for e in load_manifest(corpus_dir)} if corpus_dir.is_dir() else set()
    if doc_id_given and candidate.entry["id"] in ids:
        raise CorpusError(f"{candidate.source}: a document with id '{candidate.entry['id']}' is already registered")
    if message := nothing_read(candidate.counts, str(candidate.source)):
        raise CorpusError(message)


def _toml_entry(entry: dict) -> str:
    lines = ["", "[[document]]"]
    for key, value in entry.items():
        lines.append(f"{key} = {value}" if isinstance(value, int) else f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _manifest_text(corpus_dir: Path) -> str:
    manifest = corpus_dir / "documents.toml"
    if manifest.exists():
        return manifest.read_text(encoding="utf-8")
    return "".join(_toml_entry(e) for e in load_manifest(corpus_dir)).lstrip("\n")


def _without_entry(text: str, doc_id: str) -> str:
    """The manifest text with one [[document]] block removed (comments elsewhere kept)."""
    import tomllib

    blocks = re.split(r"(?m)^(?=\[\[document\]\]\s*$)", text)

    def block_id(block: str) -> str | None:
        if not block.startswith("[[document]]"):
            return None
        entry = tomllib.loads(block)["document"][0]
        return entry.get("id") or Path(entry["file"]).stem

    return "".join(b for b in blocks if block_id(b) != doc_id).rstrip("\n") + "\n"


class _Transaction:
    """Changes to the live corpus and index, each with its undo, undone in reverse on failure."""

    def __init__(self, fail_at: str | None):
        self.fail_at = fail_at
        self.undo: list[Callable[[], None]] = []

    def step(self, name: str) -> None:
        if self.fail_at == name:
            raise InjectedFailure(f"injected failure at step '{name}'")

    def rollback(self) -> None:
        for undo in reversed(self.undo):
            undo()


def _replace_file(path: Path, data: bytes, txn: _Transaction) -> None:
    old = path.read_bytes() if path.exists() else None
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_bytes(data)
    tmp.replace(path)
    txn.undo.append(lambda: path.write_bytes(old) if old is not None else path.unlink(missing_ok=True))


def _swap_index(staged: Path, index_dir: Path, txn: _Transaction) -> Path | None:
    backup = None
    if index_dir.exists():
        backup = index_dir.with_name(f".{index_dir.name}-old-{uuid.uuid4().hex[:8]}")
        index_dir.rename(backup)
        txn.undo.append(lambda: backup.rename(index_dir))
    txn.step("index-swap")
    staged.rename(index_dir)
    txn.undo.append(lambda: shutil.rmtree(index_dir, ignore_errors=True))
    return backup


def _apply(corpus_dir: Path, index_dir: Path, manifest: str, files: dict[str, bytes | None],
           build: Builder, fail_at: str | None) -> Corpus:
    """Stage the corpus with ``files`` written (bytes) or removed (None) and ``manifest``, build its
    index beside the live one, then swap both in; all or nothing."""
    staging = corpus_dir.parent / f".corpus-staging-{uuid.uuid4().hex[:8]}"
    txn = _Transaction(fail_at)
    try:
        shutil.copytree(corpus_dir, staging / corpus_dir.name)
        staged = staging / corpus_dir.name
        for name, data in files.items():
            (staged / name).unlink(missing_ok=True) if data is None else (staged / name).write_bytes(data)
        (staged / "documents.toml").write_text(manifest, encoding="utf-8")
        corpus = load_corpus(staged)
        if corpus.errors:
            raise CorpusError("; ".join(corpus.errors))
        build(staged, staging / "index")
        txn.step("build")
        for name, data in files.items():
            if data is None:
                old = (corpus_dir / name).read_bytes()
                (corpus_dir / name).unlink()
                txn.undo.append(lambda name=name, old=old: (corpus_dir / name).write_bytes(old))
            else:
                _replace_file(corpus_dir / name, data, txn)
        txn.step("copy")
        _replace_file(corpus_dir / "documents.toml", manifest.encode("utf-8"), txn)
        txn.step("manifest")
        backup = _swap_index(staging / "index", index_dir, txn)
    except BaseException as exc:
        txn.rollback()
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, (CorpusError, InjectedFailure, OSError)):
            raise CorpusError(f"{exc}; nothing was changed (corpus, manifest and index are as they were)") from exc
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    return corpus


def add_document(corpus_dir: Path, index_dir: Path, candidate: Candidate, build: Builder,
                 fail_at: str | None = None) -> Corpus:
    """Copy the candidate into the corpus, register it and rebuild the index; all or nothing."""
    manifest = _manifest_text(corpus_dir).rstrip("\n") + "\n" + _toml_entry(candidate.entry)
    return _apply(corpus_dir, index_dir, manifest, {candidate.entry["file"]: candidate.data}, build, fail_at)


def remove_document(corpus_dir: Path, index_dir: Path, doc_id: str, build: Builder,
                    fail_at: str | None = None) -> Corpus:
    """Unregister a document, delete its file and rebuild the index; all or nothing."""
    entries = load_manifest(corpus_dir)
    entry = next((e for e in entries if (e.get("id") or Path(e["file"]).stem) == doc_id), None)
    if entry is None:
        known = ", ".join(e.get("id") or Path(e["file"]).stem for e in entries)
        raise CorpusError(f"no document with id '{doc_id}' in {corpus_dir / 'documents.toml'} (ids: {known})")
    if len(entries) == 1:
        raise CorpusError(f"'{doc_id}' is the only document; the corpus cannot be left empty")
    manifest = _without_entry(_manifest_text(corpus_dir), doc_id)
    shared = any(e is not entry and e["file"] == entry["file"] for e in entries)
    files = {} if shared else {entry["file"]: None}
    return _apply(corpus_dir, index_dir, manifest, files, build, fail_at)
