"""``assistant corpus add | list | remove | check``, and the per-document counts of ``index build``.

``cli.py`` calls ``register`` to add the ``corpus`` subcommand and ``report_documents``
before an index build; everything else about managing the corpus lives here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .documents import CorpusError
from .layouts import DocumentCounts, nothing_read
from .units import reading as yen_reading


def _settings(args: argparse.Namespace):
    from .settings import Settings, project_root

    root = Path(args.root) if args.root else project_root()
    return Settings.for_root(root, model=getattr(args, "model", None))


def _builder(settings):
    """Builds the index of a (staged) corpus into a (staged) index folder with the settings' model."""
    from .embed import load_embedder
    from .store import build_index

    def build(corpus_dir: Path, index_dir: Path) -> None:
        # Loaded only once the change is known to be valid (a refused add never builds the model).
        build_index(corpus_dir, index_dir, load_embedder(settings.model, settings.cache_dir), progress=True)

    return build


def count_line(c: DocumentCounts) -> str:
    return (f"{c.document_id}: {c.programs} programs with an amount or ratio ({c.passages} passages), "
            f"{c.facts} facts, {len(c.warnings)} warnings [{c.layout}]")


def report_documents(corpus_dir: Path, out=sys.stdout) -> None:
    """Print what each document yields; a document that yields no program fails the build."""
    from .corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    failures = []
    for c in corpus.counts:
        print(count_line(c), file=out)
        for warning in c.warnings:
            print(f"  warning: {c.file}: {warning}", file=out)
        if message := nothing_read(c, str(corpus_dir / c.file)):
            failures.append(message)
    if failures:
        raise CorpusError("; ".join(failures))


def _money(fact) -> str:
    text = fact.as_written or fact.value
    return f"{text}（{yen_reading(fact.yen)}）" if fact.yen is not None and fact.unit != "円" else text


def print_reading(candidate, out=sys.stdout) -> None:
    """What `check` shows: the document's entry, then per program its amounts, ratios, flags and parent."""
    entry, reading = candidate.entry, candidate.reading
    print(f"file: {candidate.source}  encoding: {candidate.encoding}  layout: {reading.layout}", file=out)
    print(f"id: {entry['id']}  fiscal_year: {entry['fiscal_year']}  issuer: {entry['issuer'] or '-'}  "
          f"title: {entry['title']}", file=out)
    names = {p.id: p.name for p in reading.parsed.passages}
    by_program: dict[str, list] = {}
    for fact in reading.facts:
        by_program.setdefault(fact.program_id, []).append(fact)
    for p in reading.parsed.passages:
        facts = by_program.get(p.id, [])
        budget = next((_money(f) for f in facts if f.kind == "budget"), "金額記載なし")
        parts = [f"予算 {budget}"]
        parts += [f"前年度 {_money(f)}" for f in facts if f.kind == "previous_budget"]
        parts += [f"補助率 {f.value}" + (f"（{f.condition}）" if f.condition else "")
                  for f in facts if f.kind == "subsidy_rate"]
        parts += [f"上限 {_money(f)}" for f in facts if f.kind == "cap"]
        if p.flags:
            parts.append("区分 " + "・".join(p.flags))
        if p.parent_id:
            parts.append(f"親 {names.get(p.parent_id, p.parent_id)}")
        if p.repeat_of:
            parts.append(f"再掲 of {names.get(p.repeat_of, p.repeat_of)}")
        print(f"  [{p.line_start}] {p.name}  " + "  ".join(parts), file=out)
    c = candidate.counts
    print(f"{c.programs} programs with an amount or ratio ({c.passages} passages), {c.facts} facts, "
          f"{len(c.warnings)} warnings", file=out)
    for warning in reading.warnings:
        print(f"  warning: {warning}", file=out)
    if candidate.duplicate_of:
        print(f"  note: the same content is already in the corpus (document '{candidate.duplicate_of}')", file=out)


def cmd_check(args: argparse.Namespace) -> int:
    from .corpus_ops import prepare

    settings = _settings(args)
    candidate = prepare(settings.corpus_dir, Path(args.file), args.title, args.fiscal_year, args.issuer, args.id)
    print_reading(candidate)
    if message := nothing_read(candidate.counts, args.file):
        print(f"error: {message}", file=sys.stderr)
        return 1
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from .corpus_ops import add_document, check_addable, prepare

    settings = _settings(args)
    candidate = prepare(settings.corpus_dir, Path(args.file), args.title, args.fiscal_year, args.issuer, args.id)
    check_addable(candidate, settings.corpus_dir, args.id is not None)
    corpus = add_document(settings.corpus_dir, settings.index_dir, candidate, _builder(settings),
                          fail_at=args.fail_at)
    entry = candidate.entry
    print(f"added '{entry['id']}' ({entry['fiscal_year']}, {candidate.counts.programs} programs, "
          f"{candidate.counts.facts} facts, {len(candidate.counts.warnings)} warnings) as "
          f"{settings.corpus_dir / entry['file']}; index rebuilt: {len(corpus.passages)} passages")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from .corpus_ops import remove_document

    settings = _settings(args)
    corpus = remove_document(settings.corpus_dir, settings.index_dir, args.id, _builder(settings),
                             fail_at=args.fail_at)
    print(f"removed '{args.id}'; index rebuilt: {len(corpus.passages)} passages")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .corpus import load_corpus

    settings = _settings(args)
    corpus = load_corpus(settings.corpus_dir)
    counts = {c.document_id: c for c in corpus.counts}
    for d in corpus.documents:
        c = counts[d.id]
        print(f"{d.id}\t{d.fiscal_year}\t{d.issuer or '-'}\t{d.title}\t{d.file}\t{c.layout}\t"
              f"{c.programs} programs\t{c.facts} facts\t{len(c.warnings)} warnings")
    for error in corpus.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if corpus.errors else 0


def register(sub) -> None:
    """Add the ``corpus`` subcommand (add / list / remove / check) to the CLI's subparsers."""
    from .corpus_ops import STEPS

    corpus = sub.add_parser("corpus", help="add, list, remove or check budget documents")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", required=True)
    for name, func, helptext in (("add", cmd_add, "copy a document into corpus/, register it, rebuild the index"),
                                 ("check", cmd_check, "dry run: what would be read from a document")):
        p = corpus_sub.add_parser(name, help=helptext)
        p.add_argument("file")
        p.add_argument("--title", help="document title (default: its first line)")
        p.add_argument("--fiscal-year", type=int, help="fiscal year (default: stated in the text)")
        p.add_argument("--issuer", help="who issued it, e.g. 東京都保健医療局")
        p.add_argument("--id", help="manifest id (default: from the file name)")
        p.add_argument("--model", help=argparse.SUPPRESS)
        p.add_argument("--fail-at", choices=STEPS, help=argparse.SUPPRESS)  # tests: injected failure
        p.set_defaults(func=func)
    remove = corpus_sub.add_parser("remove", help="unregister a document, delete its file, rebuild the index")
    remove.add_argument("id")
    remove.add_argument("--model", help=argparse.SUPPRESS)
    remove.add_argument("--fail-at", choices=STEPS, help=argparse.SUPPRESS)
    remove.set_defaults(func=cmd_remove)
    listing = corpus_sub.add_parser("list", help="registered documents with what was read from each")
    listing.set_defaults(func=cmd_list)
