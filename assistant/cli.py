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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UserError, CorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
