"""Store: build the search index from the corpus, persist it atomically, load and verify it.

Layout under the index folder::

    current.json              which build is live (replaced atomically)
    builds/<build id>/        manifest.json, corpus.json, vectors.faiss, bm25/

A build is written into a fresh folder and made live by replacing
``current.json`` in one ``os.replace``; an interrupted build never touches the
live one. The manifest records what the index was built from (schema, model,
corpus file hashes) so a stale index is detected, and a checksum of every
artifact so a corrupt one is refused rather than silently used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .corpus import Corpus, load_corpus
from .documents import CorpusError, Document
from .facts import Fact
from .housekeeping import TMP_PREFIX, clean_stale_builds, writable
from .index import HNSW_THRESHOLD, LexicalIndex, VectorIndex
from .passages import Passage
from .tokenize import Tokenizer

SCHEMA_VERSION = 2
REBUILD_HINT = "; run `assistant index build`"
_FIELD_TYPES = {"int": int, "str": str, "float": (int, float), "dict[str, str]": dict, "tuple[str, ...]": tuple}


class IndexProblem(Exception):
    """The index is missing, stale or corrupt; the message says which and how to fix it."""


@dataclass(frozen=True)
class Manifest:
    """What an index was built from and what it holds."""

    schema_version: int
    model_id: str
    dim: int
    corpus: dict[str, str]
    artifacts: dict[str, str]
    built_at: str
    vector_index: str
    passages: int
    facts: int
    build_seconds: float
    corpus_errors: tuple[str, ...] = ()


@dataclass
class LoadedIndex:
    """A verified index: the corpus it covers, both search indexes, and its manifest."""

    manifest: Manifest
    corpus: Corpus
    vectors: VectorIndex
    lexical: LexicalIndex
    chunk_rows: list[int]  # passage row of each vector


def corpus_hashes(corpus_dir: Path) -> dict[str, str]:
    """sha256 of the manifest and of every text file in the corpus folder."""
    files = sorted(p for p in corpus_dir.glob("*") if p.suffix in (".txt", ".toml") and p.is_file())
    return {p.name: _file_hash(p) for p in files}


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:  # an unreadable file is reported by the corpus loader; here it is only "changed"
        return f"unreadable ({exc.strerror})"


def passage_text(passage: Passage, corpus: Corpus) -> str:
    """What is embedded and BM25-indexed for a passage: its name, context and text."""
    parent = corpus.get(passage.parent_id) if passage.parent_id else None
    head = "。".join(x for x in (passage.name, parent.name if parent else "", passage.section, passage.group) if x)
    return f"{head}\n{passage.text}"


CHUNK_LINES = 4


def passage_chunks(passage: Passage, corpus: Corpus) -> list[str]:
    """Texts embedded for a passage: its head, then its lines in windows of ``CHUNK_LINES``.

    One vector per window keeps a long passage (a program with a detail page)
    from being averaged into a blur; a passage scores by its best window.
    """
    parent = corpus.get(passage.parent_id) if passage.parent_id else None
    head = "。".join(x for x in (passage.name, parent.name if parent else "", passage.section, passage.group) if x)
    lines = [line for line in passage.text.split("\n") if line.strip()]
    windows = ["\n".join(lines[i:i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES)]
    return [head] + [f"{passage.name}\n{w}" for w in windows]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _artifact_files(build: Path) -> list[Path]:
    return sorted(p for p in build.rglob("*") if p.is_file() and p.name != "manifest.json")


def build_index(corpus_dir: Path, index_dir: Path, embedder, tokenizer: Tokenizer | None = None,
                progress: bool = False, hnsw_threshold: int = HNSW_THRESHOLD) -> Manifest:
    """Build the index of a corpus and make it live; returns its manifest."""
    started = time.perf_counter()
    corpus = load_corpus(corpus_dir)
    if not corpus.passages:
        raise IndexProblem(f"{corpus_dir}: no passages to index ({'; '.join(corpus.errors) or 'empty corpus'})")
    tokenizer = tokenizer or Tokenizer()
    texts = [passage_text(p, corpus) for p in corpus.passages]
    chunks = [(row, chunk) for row, p in enumerate(corpus.passages) for chunk in passage_chunks(p, corpus)]
    vectors = embedder.encode_passages([c for _, c in chunks], progress=progress)
    chunk_rows = [row for row, _ in chunks]
    terms = [tokenizer.terms(t) for t in texts]

    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    clean_stale_builds(index_dir)
    build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    tmp = builds / f"{TMP_PREFIX}{build_id}-p{os.getpid()}"
    tmp.mkdir()
    try:
        vector_index = VectorIndex.fit(vectors, hnsw_threshold)
        vector_index.save(tmp / "vectors.faiss")
        LexicalIndex.fit(terms).save(tmp / "bm25")
        payload = {
            "documents": [asdict(d) for d in corpus.documents],
            "passages": [asdict(p) for p in corpus.passages],
            "chunk_rows": chunk_rows,
            "facts": [asdict(f) for f in corpus.facts],
        }
        (tmp / "corpus.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        manifest = Manifest(
            schema_version=SCHEMA_VERSION,
            model_id=embedder.model_id,
            dim=int(vectors.shape[1]),
            corpus=corpus_hashes(corpus_dir),
            artifacts={str(p.relative_to(tmp)): _sha256(p) for p in _artifact_files(tmp)},
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            vector_index=vector_index.kind,
            passages=len(corpus.passages),
            facts=len(corpus.facts),
            build_seconds=round(time.perf_counter() - started, 3),
            corpus_errors=corpus.errors,
        )
        (tmp / "manifest.json").write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        final = builds / build_id
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _write_atomic(index_dir / "current.json", json.dumps({"build": build_id}))
    _prune(builds, keep=build_id)
    return manifest


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _prune(builds: Path, keep: str) -> None:
    for old in builds.iterdir():
        if old.name != keep and not old.name.startswith(TMP_PREFIX):
            shutil.rmtree(old, ignore_errors=True)


def _live_build(index_dir: Path) -> Path:
    pointer = index_dir / "current.json"
    if not pointer.exists():
        raise IndexProblem(f"no index in {index_dir}{REBUILD_HINT}")
    try:
        build = index_dir / "builds" / json.loads(pointer.read_text(encoding="utf-8"))["build"]
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexProblem(f"{pointer} is corrupt ({exc}){REBUILD_HINT}") from exc
    if not build.is_dir():
        raise IndexProblem(f"{build} is missing{REBUILD_HINT}")
    return build


def read_manifest(index_dir: Path) -> Manifest:
    """The live build's manifest."""
    path = _live_build(index_dir) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"a JSON {type(data).__name__}, not an object")
        data["corpus_errors"] = tuple(data.get("corpus_errors", ()))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexProblem(f"{path} is corrupt ({exc}){REBUILD_HINT}") from exc
    wrong = [f.name for f in fields(Manifest) if not isinstance(getattr(manifest, f.name), _FIELD_TYPES[f.type])]
    if wrong or not all(isinstance(k, str) and isinstance(v, str) for d in (manifest.corpus, manifest.artifacts)
                        for k, v in d.items()):
        raise IndexProblem(f"{path} is corrupt (wrong type of {', '.join(wrong) or 'a checksum'}){REBUILD_HINT}")
    return manifest



def staleness(index_dir: Path, corpus_dir: Path, model_id: str) -> str | None:
    """Why the index must be rebuilt (missing, schema, model or corpus changed), or None."""
    try:
        manifest = read_manifest(index_dir)
    except IndexProblem as exc:
        return str(exc)
    if manifest.schema_version != SCHEMA_VERSION:
        return f"index schema {manifest.schema_version} != {SCHEMA_VERSION}"
    if manifest.model_id != model_id:
        return f"index built with model {manifest.model_id!r}, settings ask for {model_id!r}"
    if manifest.corpus != corpus_hashes(corpus_dir):
        return "the corpus changed since the index was built"
    return None


def load_index(index_dir: Path) -> LoadedIndex:
    """Load the live build, verifying every artifact against its checksum."""
    build = _live_build(index_dir)
    manifest = read_manifest(index_dir)
    present = {str(p.relative_to(build)) for p in _artifact_files(build)}
    if present != set(manifest.artifacts):
        raise IndexProblem(f"{build}: artifacts {sorted(present ^ set(manifest.artifacts))} missing or "
                           f"unexpected{REBUILD_HINT}")
    for name, digest in manifest.artifacts.items():
        if _sha256(build / name) != digest:
            raise IndexProblem(f"{build / name} is corrupt (checksum mismatch){REBUILD_HINT}")
    try:
        data = json.loads((build / "corpus.json").read_text(encoding="utf-8"))
        corpus = Corpus(
            documents=tuple(Document(**{**d, "lines": tuple(d["lines"])}) for d in data["documents"]),
            passages=tuple(Passage(**{**p, "flags": tuple(p["flags"]),
                                      "spans": tuple(tuple(s) for s in p["spans"])}) for p in data["passages"]),
            facts=tuple(Fact(**f) for f in data["facts"]),
        )
        vectors = VectorIndex.load(build / "vectors.faiss")
        lexical = LexicalIndex.load(build / "bm25")
        chunk_rows = [int(r) for r in data["chunk_rows"]]
    except Exception as exc:  # any unreadable artifact is a corrupt index, reported as such
        raise IndexProblem(f"{build}: cannot load the index ({exc}){REBUILD_HINT}") from exc
    if len(vectors) != len(chunk_rows) or vectors.index.d != manifest.dim or \
            set(chunk_rows) != set(range(len(corpus.passages))):
        raise IndexProblem(f"{build}: vector index does not match its manifest{REBUILD_HINT}")
    return LoadedIndex(manifest, corpus, vectors, lexical, chunk_rows)


def _said(problem: Exception) -> str:
    return str(problem).removesuffix(REBUILD_HINT)


def ensure_index(corpus_dir: Path, index_dir: Path, embedder, progress: bool = False,
                 report=None) -> LoadedIndex:
    """Load the index, building it first when it is missing, stale or corrupt.

    ``report`` (a callable taking one line) hears why the index is being rebuilt, and when the
    last good index is used instead: the index folder is read-only, or the corpus manifest is
    broken (a syntax error, a duplicate id). Without a usable index either way, ``IndexProblem``.
    """
    say = report or (lambda line: None)
    index_dir = Path(index_dir)
    can_write = writable(index_dir / "builds") and writable(index_dir)
    if can_write:
        for name in clean_stale_builds(index_dir):
            say(f"removed {index_dir / 'builds' / name}, left by an interrupted build")
    reason = staleness(index_dir, corpus_dir, embedder.model_id)
    if reason is None:
        try:
            return load_index(index_dir)
        except IndexProblem as exc:  # corrupt: rebuilt below, the corpus is the source of truth
            reason = _said(exc)
            if can_write:
                say(f"the index is corrupt: {reason}; rebuilding it")
    elif can_write:
        say(f"building the index ({_said(IndexProblem(reason))})")
    if not can_write:
        return _last_good(index_dir, f"{index_dir} is not writable, so the index cannot be rebuilt ({reason})", say)
    try:
        build_index(corpus_dir, index_dir, embedder, progress=progress)
    except (CorpusError, IndexProblem) as exc:
        return _last_good(index_dir, f"cannot rebuild the index: {_said(exc)}", say)
    return load_index(index_dir)


def _last_good(index_dir: Path, problem: str, say) -> LoadedIndex:
    """The live index as it is, with a warning; or IndexProblem naming both problems."""
    try:
        index = load_index(index_dir)
    except IndexProblem as exc:
        raise IndexProblem(f"{problem}; and there is no usable index to answer from ({_said(exc)})") from None
    say(f"warning: {problem}; answering from the last good index (built {index.manifest.built_at})")
    return index
