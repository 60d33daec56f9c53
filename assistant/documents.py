"""Documents: the corpus manifest, decoding of source files, fiscal-year detection."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .normalize import fold


class CorpusError(Exception):
    """A corpus file or the manifest cannot be used; the message names the file."""


@dataclass(frozen=True)
class Document:
    """One source document: its manifest entry and its lines as received."""

    id: str
    title: str
    file: str
    fiscal_year: int
    era: str
    status: str
    issuer: str
    lines: tuple[str, ...]
    sha256: str


# Only Japanese encodings are expected here. A strict decode is an exact test,
# where a detector would only guess: random bytes fail every one of these.
ENCODINGS = ("utf-8-sig", "cp932", "euc_jp")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, name: str, preferred: str | None = None) -> str:
    """Decode UTF-8 (with or without BOM), Shift_JIS/CP932 or EUC-JP text.

    ``preferred`` (from the manifest, where ``corpus add`` recorded what it detected)
    is tried first; it matters for the rare bytes that decode in more than one.
    """
    if not data.strip():
        raise CorpusError(f"{name}: the file is empty")
    for encoding in ((preferred,) if preferred else ()) + ENCODINGS:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _CONTROL.search(text):
            return text.replace("\r\n", "\n").replace("\r", "\n")
    raise CorpusError(
        f"{name}: cannot decode the file as text (tried {', '.join(ENCODINGS)})"
    )


_ERA_BASE = {"令和": 2018, "平成": 1988}
# The legend line that states what the 【】 amounts mean, e.g.
# 「【 】：令和7年度 予算額（案）」 or 「【】: 2020年度（令和2年度）予算案」.
_LEGEND = re.compile(
    r"【\s*】\s*:\s*(?:(?P<west>\d{4})年度\s*\(?)?\s*"
    r"(?P<era>令和|平成)(?P<n>\d+|元)年度\)?\s*(?P<status>予算額\(案\)|予算案|予算額|決算額)?"
)


@dataclass(frozen=True)
class YearStatement:
    """What a legend line says: the fiscal year, its era label and the budget status."""

    fiscal_year: int
    era: str
    status: str
    line: int


def detect_year(lines: tuple[str, ...] | list[str]) -> YearStatement | None:
    """Find the fiscal year stated in a document's legend line, if any."""
    for number, line in enumerate(lines, start=1):
        match = _LEGEND.search(fold(line))
        if not match:
            continue
        n = 1 if match["n"] == "元" else int(match["n"])
        year = _ERA_BASE[match["era"]] + n
        if match["west"] and int(match["west"]) != year:
            continue  # contradictory legend; keep looking rather than guess
        status = (match["status"] or "").replace("(", "（").replace(")", "）")
        return YearStatement(year, f"{match['era']}{match['n']}年度", status, number)
    return None


def era_label(year: int) -> str:
    """令和 label of a western fiscal year (2025 → 令和7年度)."""
    if year >= 2019:
        return f"令和{year - 2018}年度"
    return f"平成{year - 1988}年度"


def load_document(path: Path, entry: dict) -> Document:
    """Read one manifest entry's file; the year comes from the entry or the text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the file ({exc.strerror})") from exc
    lines = tuple(decode(data, str(path), entry.get("encoding")).split("\n"))
    stated = detect_year(lines)
    year = entry.get("fiscal_year") or (stated.fiscal_year if stated else None)
    if not year:
        raise CorpusError(
            f"{path}: no fiscal year in the manifest and none stated in the text "
            "(expected a legend line such as 「【 】：令和7年度 予算額（案）」)"
        )
    return Document(
        id=entry.get("id") or path.stem,
        title=entry.get("title") or path.stem,
        file=path.name,
        fiscal_year=int(year),
        era=entry.get("era") or (stated.era if stated else era_label(int(year))),
        status=entry.get("status") or (stated.status if stated else ""),
        issuer=entry.get("issuer", ""),
        lines=lines,
        sha256=hashlib.sha256(data).hexdigest(),
    )


@dataclass(frozen=True)
class LoadResult:
    """Documents that loaded, and one message per file that did not."""

    documents: tuple[Document, ...]
    errors: tuple[str, ...]


def load_manifest(corpus_dir: Path) -> list[dict]:
    """Entries of ``documents.toml``; without a manifest, every ``*.txt`` file."""
    manifest = corpus_dir / "documents.toml"
    if not manifest.exists():
        return [{"file": p.name} for p in sorted(corpus_dir.glob("*.txt"))]
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{manifest}: invalid manifest ({exc})") from exc
    entries = data.get("document", [])
    for entry in entries:
        if "file" not in entry:
            raise CorpusError(f"{manifest}: an entry has no 'file' ({entry})")
    return entries


def load_documents(corpus_dir: Path) -> LoadResult:
    """Load every document of the corpus; a bad file is reported, the rest still load."""
    documents, errors = [], []
    for entry in load_manifest(corpus_dir):
        try:
            documents.append(load_document(corpus_dir / entry["file"], entry))
        except CorpusError as exc:
            errors.append(str(exc))
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        raise CorpusError(f"{corpus_dir / 'documents.toml'}: duplicate document ids {ids}")
    return LoadResult(tuple(documents), tuple(errors))
