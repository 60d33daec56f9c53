"""The package's shape: no import cycle, no private name across modules, answer-stage modules under 300 lines."""

from __future__ import annotations

import ast

from .conftest import ROOT

PKG = ROOT / "assistant"
ANSWER_STAGE = ("compose", "topics", "dispatch", "views", "pick", "single", "themes", "counts", "pairs", "changes",
                "describe", "rates", "survey", "items", "frame", "confidence", "policy", "intents", "lexicon",
                "phrases", "intent_model", "question", "glossary", "render", "answer")


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """{module: [(imported module, names)]} for every relative import, at any depth (lazy ones too)."""
    out = {}
    for path in PKG.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.append((node.module, [a.name for a in node.names]))
                else:  # from . import x
                    found += [(a.name, []) for a in node.names]
        out[path.stem] = found
    return out


def test_no_import_cycle():
    graph = {m: {dep for dep, _ in deps} for m, deps in _imports().items()}
    state: dict[str, int] = {}

    def visit(m: str, trail: list[str]) -> list[str] | None:
        state[m] = 1
        for dep in sorted(graph.get(m, ())):
            if state.get(dep) == 1:
                return trail + [m, dep]
            if dep in graph and not state.get(dep) and (cycle := visit(dep, trail + [m])):
                return cycle
        state[m] = 2
        return None

    cycles = [c for m in sorted(graph) if not state.get(m) and (c := visit(m, []))]
    assert cycles == []


def test_no_private_name_crosses_a_module():
    crossing = [f"{m} imports {dep}.{n}" for m, deps in _imports().items() for dep, names in deps
                for n in names if n.startswith("_")]
    assert crossing == []


def test_answer_stage_modules_are_short():
    long = {m: n for m in ANSWER_STAGE if (n := len((PKG / f"{m}.py").read_text(encoding="utf-8").splitlines())) >= 300}
    assert long == {}
