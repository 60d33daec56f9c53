"""Evaluate: run the question set, score retrieval and answers, write the reports.

Retrieval is scored with ranx (Recall@1/@5 and MRR@10 on the programs a
question asks about, nDCG@10 on graded relevance) for BM25 alone, dense alone
and hybrid, on the same questions. Answers are scored on the expected figures
(in the text and in the structured fields), abstention, grounding and latency.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .answer import Answer
from .grounding import ungrounded
from .outcomes import Scored, calibration, rates, risk_coverage
from .outcomes import table as outcome_table

METRICS = ["recall@1-l2", "recall@5-l2", "mrr@10-l2", "ndcg@10"]
MODES = ("bm25", "dense", "hybrid")
# Counts and totals are answered by filtering the whole program table, not by retrieval.
NOT_RETRIEVAL = ("count", "total")


@dataclass(frozen=True)
class Question:
    """One line of the question set."""

    id: str
    split: str
    lang: str
    kind: str
    question: str
    relevant: dict[str, int]
    expect: dict
    abstain: bool
    dialog: str | None = None
    turn: int | None = None
    year: int | None = None


def load_questions(path: Path, split: str = "all") -> list[Question]:
    """Questions of a split, dialog turns in order; a bad line is a clear error naming it."""
    questions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            fields = {k: data.get(k) for k in Question.__dataclass_fields__}
            q = Question(**{**fields, "relevant": data.get("relevant") or {}, "expect": data.get("expect") or {}})
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a valid question line ({exc})") from exc
        if split == "all" or q.split == split:
            questions.append(q)
    return questions


def _amount_forms(value: int) -> tuple[str, str]:
    return f"{value:,}", str(value)


def check(q: Question, answer: Answer) -> list[str]:
    """What the answer misses of the gold: an empty list is a correct answer."""
    if q.abstain:
        return [] if answer.abstained else ["answered where the documents say nothing"]
    if answer.abstained:
        return ["abstained"]
    text, low = answer.text, answer.text.lower()
    flat = text.replace(",", "")
    derived = {d.value.replace(",", "") for d in answer.derived}
    amounts = {f.amount for f in answer.facts if f.amount is not None}
    misses = []
    for value in q.expect.get("amounts", []):
        if str(value) not in flat:
            misses.append(f"amount {value} not in text")
        elif value not in amounts and str(value) not in derived:
            misses.append(f"amount {value} not in facts")
    rates = {f.value for f in answer.facts if f.kind == "subsidy_rate"}
    for value in q.expect.get("ratios", []):
        if value not in text:
            misses.append(f"ratio {value} not in text")
        elif value not in rates:
            misses.append(f"ratio {value} not in facts")
    for value in q.expect.get("years", []):
        if str(value) not in text:
            misses.append(f"year {value} not in text")
    for value in q.expect.get("targets", []):
        if value.lower() not in low:
            misses.append(f"'{value}' not in text")
    percents = {f.percent for f in answer.facts if f.percent is not None}
    for value in q.expect.get("percents", []):
        if f"{value}" not in text:
            misses.append(f"{value}% not in text")
        elif value not in percents and f"{value}" not in derived:  # a gap between two figures is derived
            misses.append(f"{value}% not in facts")
    if "count" in q.expect:
        n = str(q.expect["count"])
        if n not in derived or not any(form in text for form in (f"{n}件", f": {n} ", f" {n} ")):
            misses.append(f"count {n} not given")
    names = {p.name for p in answer.programs}
    for value in q.expect.get("names", []):
        if value not in text or value not in names:
            misses.append(f"program {value} not listed")
    return misses


@dataclass
class Result:
    question: Question
    answer: Answer
    seconds: float
    misses: list[str]
    ungrounded: list[str]
    runs: dict[str, dict[str, float]] = field(default_factory=dict)
    clarify_first_ok: bool | None = None  # a clarifying question: would its first option have been right?


def run_eval(assistant, questions: list[Question], progress: bool = True) -> list[Result]:
    """Ask every question (dialog turns with their history) and score each answer."""
    from tqdm import tqdm

    composer = assistant.composer
    histories: dict[str, list[str]] = {}
    results = []
    for q in tqdm(questions, desc="eval", disable=not progress, unit="q"):
        history = histories.get(q.dialog, []) if q.dialog else []
        started = time.perf_counter()
        answer = assistant.ask(q.question, history=history, year=q.year)
        seconds = time.perf_counter() - started
        if q.dialog:
            histories[q.dialog] = history + [q.question]
        result = Result(q, answer, seconds, check(q, answer), ungrounded(answer, assistant.corpus))
        if answer.clarify is not None and answer.clarify.options:
            first = assistant.ask(answer.clarify.options[0].question, history=history, year=q.year)
            result.clarify_first_ok = not first.abstained and not check(q, first)
        if q.relevant:
            # What the assistant picked, for every question with gold programs (dialogs included).
            result.runs["assistant"] = {p.id: float(len(answer.programs) - i) for i, p in enumerate(answer.programs)}
        if q.relevant and not q.dialog and q.kind not in NOT_RETRIEVAL:
            from .question import parse

            parsed = parse(q.question)
            year = composer.search_year(parsed)
            for mode in MODES:
                hits = composer.hits(parsed, k=10, year=year, mode=mode)
                result.runs[mode] = {h.passage.id: float(10 - i) for i, h in enumerate(hits)}
        results.append(result)
    return results


def retrieval_metrics(results: list[Result]) -> dict[str, dict[str, float]]:
    """ranx metrics per retrieval mode over the questions that have relevant programs."""
    from ranx import Qrels, Run, evaluate

    out = {}
    for mode in MODES + ("assistant",):
        scored = [r for r in results if mode in r.runs]
        if not scored:
            continue
        qrels = Qrels({r.question.id: dict(r.question.relevant) for r in scored})
        run = Run({r.question.id: r.runs[mode] or {"-": 0.0} for r in scored})
        values = evaluate(qrels, run, METRICS, make_comparable=True)
        out[mode] = {m: round(float(v), 4) for m, v in values.items()} | {"questions": len(scored)}
    return out


def scored_of(r: Result) -> Scored:
    """What the outcome rates need of one result."""
    return Scored(r.question.kind, r.question.abstain, r.answer.abstained, not r.misses, r.answer.confidence)


def _share(num: int, den: int) -> float:
    return round(num / den, 4) if den else 1.0


def summarize(results: list[Result]) -> dict:
    """All headline numbers of a run."""
    answerable = [r for r in results if not r.question.abstain]
    gold_abstain = [r for r in results if r.question.abstain]
    said_abstain = [r for r in results if r.answer.abstained]
    tp = sum(1 for r in gold_abstain if r.answer.abstained)
    kinds: dict[str, list[bool]] = {}
    for r in answerable:
        kinds.setdefault(r.question.kind, []).append(not r.misses)
    latencies = sorted(r.seconds for r in results)
    scored = [scored_of(r) for r in results]
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else 0.0
    return {
        "questions": len(results),
        "retrieval": retrieval_metrics(results),
        "fact_accuracy": _share(sum(not r.misses for r in answerable), len(answerable)),
        "fact_accuracy_by_kind": {k: _share(sum(v), len(v)) for k, v in sorted(kinds.items())},
        "abstention_precision": _share(tp, len(said_abstain)),
        "abstention_recall": _share(tp, len(gold_abstain)),
        "grounding": _share(sum(not r.ungrounded for r in results), len(results)),
        "latency_median_s": round(statistics.median(latencies), 4) if latencies else 0.0,
        "latency_p95_s": round(p95, 4),
        "correct": sum(not r.misses for r in results),
        "outcomes": rates(scored),
        "risk_coverage": risk_coverage(scored),
        "calibration": calibration(scored),
        "clarify": {"asked": sum(r.clarify_first_ok is not None for r in results),
                    "first_option_right": sum(bool(r.clarify_first_ok) for r in results)},
    }


def report_json(results: list[Result], summary: dict, split: str) -> dict:
    return {
        "split": split,
        "metrics": summary,
        "results": [
            {"id": r.question.id, "kind": r.question.kind, "lang": r.question.lang, "question": r.question.question,
             "ok": not r.misses, "misses": r.misses, "ungrounded": r.ungrounded, "abstained": r.answer.abstained,
             "gold_abstain": r.question.abstain, "seconds": round(r.seconds, 4), "confidence": r.answer.confidence,
             "clarify": r.answer.to_json()["clarify"],
             "programs": [p.id for p in r.answer.programs[:5]], "answer": r.answer.text}
            for r in results
        ],
    }


def table(summary: dict, split: str) -> str:
    """The printed (and Markdown) summary table."""
    lines = [f"### Eval: split `{split}`, {summary['questions']} questions", "",
             "| retrieval | questions | Recall@1 | Recall@5 | MRR@10 | nDCG@10 |", "| --- | --- | --- | --- | --- | --- |"]
    for mode, m in summary["retrieval"].items():
        lines.append(f"| {mode} | {m['questions']} | {m['recall@1-l2']:.3f} | {m['recall@5-l2']:.3f} | "
                     f"{m['mrr@10-l2']:.3f} | {m['ndcg@10']:.3f} |")
    lines += ["", "| answers | value |", "| --- | --- |",
              f"| fact accuracy | {summary['fact_accuracy']:.3f} |",
              f"| abstention precision | {summary['abstention_precision']:.3f} |",
              f"| abstention recall | {summary['abstention_recall']:.3f} |",
              f"| grounding | {summary['grounding']:.3f} |",
              f"| latency median / p95 (s) | {summary['latency_median_s']:.3f} / {summary['latency_p95_s']:.3f} |",
              "", "| kind | fact accuracy |", "| --- | --- |"]
    lines += [f"| {k} | {v:.3f} |" for k, v in summary["fact_accuracy_by_kind"].items()]
    lines += outcome_table(summary)
    return "\n".join(lines)


def write_reports(results: list[Result], split: str, report: Path, summary_md: Path) -> dict:
    """Write the JSON report and the Markdown summary; returns the summary."""
    summary = summarize(results)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(report_json(results, summary, split), ensure_ascii=False, indent=1), encoding="utf-8")
    failures = [r for r in results if r.misses or r.ungrounded]
    md = [table(summary, split), "", f"Failures: {len(failures)} (details in `{report.name}`)", ""]
    if split == "dev":
        for r in failures[:60]:
            md.append(f"- `{r.question.id}` [{r.question.kind}] {r.question.question} — "
                      f"{'; '.join(r.misses + [f'ungrounded {n}' for n in r.ungrounded])}")
    else:
        # The committed summary of a split that is never tuned on names no failing question: a reader
        # who saw them could no longer use the split to catch overfitting. They stay in the JSON report.
        by_kind = Counter(r.question.kind for r in failures)
        md.append("By kind: " + ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items())))
    summary_md.parent.mkdir(parents=True, exist_ok=True)
    summary_md.write_text("\n".join(md) + "\n", encoding="utf-8")
    return summary


def snapshot_rows(results: list[Result]) -> list[dict]:
    """Every answer in full (text, abstention, programs, facts, citations), for refactor checks."""
    rows = []
    for r in results:
        data = r.answer.to_json()
        rows.append({"id": r.question.id, "answer": data["answer"], "abstained": data["abstained"],
                     "kind": data["kind"], "programs": [p["id"] for p in data["programs"]],
                     "facts": [[f["program_id"], f["kind"], f["value"], f["source"]["line_start"]]
                               for f in data["facts"]],
                     "citations": [[c["document"], c["line_start"], c["line_end"]] for c in data["citations"]]})
    return rows


def write_snapshot(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in snapshot_rows(results):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def compare_snapshot(results: list[Result], path: Path) -> list[str]:
    """Ids whose answer differs from the snapshot in any field (missing ids count as different)."""
    before = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            before[row["id"]] = row
    return [row["id"] for row in snapshot_rows(results) if before.get(row["id"]) != row]
