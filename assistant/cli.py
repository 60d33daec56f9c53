"""Command line: help-desk lookups and batch runs (``assistant --help``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .documents import CorpusError
from .settings import Settings, project_root


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


def _settings(args: argparse.Namespace) -> Settings:
    root = Path(args.root) if args.root else project_root()
    return Settings.for_root(root, model=getattr(args, "model", None))


def cmd_programs(args: argparse.Namespace) -> int:
    from .corpus import load_corpus
    from .programs import format_rows, program_rows

    corpus = load_corpus(_settings(args).corpus_dir)
    for error in corpus.errors:
        print(f"warning: {error}", file=sys.stderr)
    print(format_rows(program_rows(corpus, args.year), args.format))
    return 0


def _embedder(settings: Settings):
    from .embed import load_embedder

    return load_embedder(settings.model, settings.cache_dir)


def _report(line: str) -> None:
    print(line, file=sys.stderr)


def open_retriever(settings: Settings, progress: bool = True):
    """The retriever over a fresh index, building the index first if it is missing or stale."""
    from .retrieve import Retriever
    from .store import ensure_index

    embedder = _embedder(settings)
    index = ensure_index(settings.corpus_dir, settings.index_dir, embedder, progress=progress,
                         report=_report if progress else None)
    return Retriever(index, embedder)


def cmd_index_build(args: argparse.Namespace) -> int:
    from .store import build_index

    settings = _settings(args)
    from .corpus_cli import report_documents
    report_documents(settings.corpus_dir)  # per-document counts; a document yielding nothing fails
    manifest = build_index(settings.corpus_dir, settings.index_dir, _embedder(settings), progress=True)
    for error in manifest.corpus_errors:
        print(f"warning: {error}", file=sys.stderr)
    print(f"indexed {manifest.passages} passages and {manifest.facts} facts with {manifest.model_id} "
          f"(dim {manifest.dim}, {manifest.vector_index}) in {manifest.build_seconds:.1f}s -> {settings.index_dir}")
    return 0


def cmd_index_status(args: argparse.Namespace) -> int:
    from .store import read_manifest, staleness

    settings = _settings(args)
    model_id = _embedder(settings).model_id
    reason = staleness(settings.index_dir, settings.corpus_dir, model_id)
    if reason:
        print(f"stale: {reason}")
        return 1
    m = read_manifest(settings.index_dir)
    print(f"fresh: {m.passages} passages, {m.facts} facts, {m.model_id} (dim {m.dim}, {m.vector_index}), built {m.built_at}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    import json

    question = _question(args.question)
    retriever = open_retriever(_settings(args))
    _check_year(args.year, retriever.index.corpus.years(), {})
    hits = retriever.search(question, k=args.k, year=args.year)
    corpus = retriever.index.corpus
    if args.json:
        print(json.dumps([hit_json(h, corpus) for h in hits], ensure_ascii=False, indent=1))
        return 0
    for h in hits:
        p = h.passage
        row = hit_json(h, corpus)
        budget = f"{row['budget_thousand_yen']:,}千円" if row["budget_thousand_yen"] is not None else "金額記載なし"
        rates = "、".join(row["subsidy_rates"]) or "-"
        print(f"{h.rank:>2}. [{p.fiscal_year}] {p.name}  {budget}  補助率 {rates}")
        print(f"    score {h.score:.4f}  bm25 {_fmt(h.bm25_score)} (#{h.bm25_rank or '-'})  "
              f"dense {_fmt(h.dense_score)} (#{h.dense_rank or '-'})  name {h.name_match:.2f}  {p.id}")
    return 0


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def hit_json(hit, corpus) -> dict:
    """A search hit as JSON: the program, its key facts and each side's score."""
    from .programs import rate_label

    p = hit.passage
    parent = corpus.get(p.parent_id) if p.parent_id else None
    return {
        "rank": hit.rank, "id": p.id, "name": p.name, "fiscal_year": p.fiscal_year,
        "parent": parent.name if parent else None, "section": p.section,
        "budget_thousand_yen": corpus.budget(p.id),
        "subsidy_rates": [rate_label(f.value, f.condition) for f in corpus.facts_for(p.id, "subsidy_rate")],
        "score": round(hit.score, 6), "bm25_score": hit.bm25_score, "bm25_rank": hit.bm25_rank,
        "dense_score": hit.dense_score, "dense_rank": hit.dense_rank, "name_match": hit.name_match,
        "lines": [list(s) for s in p.spans],
    }


def _assistant(settings: Settings, progress: bool = True):
    from .opening import open_assistant

    return open_assistant(settings, _report, progress=progress)


def _question(text: str | None, hint: str = "") -> str:
    """The command-line question, cleaned (undecodable bytes dropped) and checked against the cap."""
    from .guard import clean_question, question_problem

    problem = question_problem(text or "")
    if problem:
        raise UserError(problem)
    question = clean_question(text or "")
    if not question.strip():
        raise UserError(f"the question is empty{hint}")
    return question


def _check_year(year, years, failed) -> None:
    from .guard import year_problem

    problem = year_problem(year, years, failed)
    if problem:
        raise UserError(problem)


def cmd_ask(args: argparse.Namespace) -> int:
    import json

    settings = _settings(args)
    if args.batch:
        from .batch import ask_batch

        return ask_batch(args, lambda: _assistant(settings), _check_year)
    if args.resume or args.out:
        raise UserError(f"{'--resume' if args.resume else '--out'} goes with --batch")
    question = _question(args.question, " (or use --batch FILE)")
    opened = _assistant(settings)
    _check_year(args.year, opened.years, opened.failed)
    answer = opened.assistant.ask(question, year=args.year)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
    else:
        print(answer.text)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import compare_snapshot, load_questions, run_eval, table, write_reports, write_snapshot

    settings = _settings(args)
    root = settings.corpus_dir.parent
    questions_path = Path(args.questions) if args.questions else root / "eval" / "questions.jsonl"
    try:
        questions = load_questions(questions_path, args.split)
    except (OSError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    if not questions:
        raise UserError(f"no questions in split {args.split!r} of {questions_path}")
    if args.calibrate and args.split != "dev":
        raise UserError("--calibrate fits on dev only: test and holdout are never trained on")
    assistant = _assistant(settings).assistant
    if args.shadow or args.calibrate:  # every answer as the rules give it, scored but never withheld
        assistant.composer.use_policy = False
    results = run_eval(assistant, questions)
    reports = root / "eval" / "reports"
    report = Path(args.report) if args.report else reports / f"{args.split}.json"
    summary = write_reports(results, args.split, report, reports / f"summary-{args.split}.md")
    print(table(summary, args.split))
    print(f"\nreport: {report}  summary: {reports / f'summary-{args.split}.md'}")
    if args.calibrate:
        from .calibrate import calibrate
        from .intent_model import training_rows
        from .intents import INTENTS

        print(calibrate(results, training_rows(questions_path, INTENTS), dump=reports / "calibration-dev.json"))
    if args.snapshot:
        write_snapshot(results, Path(args.snapshot))
        print(f"snapshot: {args.snapshot} ({len(results)} answers)")
    if args.compare:
        changed = compare_snapshot(results, Path(args.compare))
        print(f"compared with {args.compare}: {len(changed)} of {len(results)} answers differ"
              + (": " + " ".join(changed[:40]) if changed else ""))
        return 1 if changed else 0
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Answers questions about Tokyo's home medical care (在宅療養) budget programs.",
    )
    parser.add_argument("--root", help="project folder with corpus/ and index/ (default: this checkout)")
    sub = parser.add_subparsers(dest="command", required=True)

    programs = sub.add_parser("programs", help="list every program with amount, ratios, flags, parent")
    programs.add_argument("--year", type=int, help="fiscal year, e.g. 2025 or 2020")
    programs.add_argument("--format", choices=("table", "json", "csv"), default="table")
    programs.set_defaults(func=cmd_programs)

    index = sub.add_parser("index", help="build or check the search index")
    index_sub = index.add_subparsers(dest="index_command", required=True)
    build = index_sub.add_parser("build", help="build the index (FAISS + BM25) from the corpus")
    build.add_argument("--model", help="sentence-transformers model: 'default', a local folder or a cached hub id")
    build.set_defaults(func=cmd_index_build)
    status = index_sub.add_parser("status", help="say whether the index is fresh (exit 1 if stale)")
    status.add_argument("--model", help="model the index should have been built with")
    status.set_defaults(func=cmd_index_status)

    search = sub.add_parser("search", help="rank programs for a question (hybrid BM25 + dense)")
    search.add_argument("question")
    search.add_argument("--year", type=int, help="only this fiscal year (2025 or 2020)")
    search.add_argument("-k", type=int, default=10, help="how many programs (default 10)")
    search.add_argument("--json", action="store_true", help="one JSON array")
    search.add_argument("--model", help=argparse.SUPPRESS)
    search.set_defaults(func=cmd_search)

    ask = sub.add_parser("ask", help="answer a question from the documents' facts")
    ask.add_argument("question", nargs="?", help="the question (Japanese or English)")
    ask.add_argument("--year", type=int, help="answer for this fiscal year (2025 or 2020)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--batch", metavar="IN.jsonl",
                     help='questions, one {"id": …, "question": …} per line (or one JSON array of them)')
    ask.add_argument("--out", metavar="OUT.jsonl", help="where batch answers go (default: stdout); "
                     "each answer is written as it is made")
    ask.add_argument("--resume", action="store_true", help="continue a stopped batch: skip the ids already in --out")
    ask.add_argument("--model", help=argparse.SUPPRESS)
    ask.set_defaults(func=cmd_ask)

    ev = sub.add_parser("eval", help="run the eval set: retrieval and answer accuracy")
    ev.add_argument("--split", choices=("dev", "test", "holdout", "all"), default="test")
    ev.add_argument("--report", metavar="PATH", help="JSON report path (default eval/reports/SPLIT.json)")
    ev.add_argument("--questions", metavar="PATH", help=argparse.SUPPRESS)
    ev.add_argument("--shadow", action="store_true", help="answer without the clarify/decline policy (scores only)")
    ev.add_argument("--calibrate", action="store_true", help="fit the confidence model on dev (data/confidence.json)")
    ev.add_argument("--snapshot", metavar="PATH", help="also write every answer in full (JSONL) to PATH")
    ev.add_argument("--compare", metavar="PATH", help="exit 1 if any answer differs from the snapshot at PATH")
    ev.add_argument("--model", help=argparse.SUPPRESS)
    ev.set_defaults(func=cmd_eval)
    from .corpus_cli import register
    register(sub)  # assistant corpus add | list | remove | check
    return parser


def _problems() -> tuple[type[Exception], ...]:
    from .batch import BatchError
    from .e5model import ModelBuildError
    from .embed import ModelError
    from .store import IndexProblem

    return (IndexProblem, ModelError, ModelBuildError, BatchError)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UserError, CorpusError, *_problems()) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
