"""Outcomes: each eval answer as correct, wrong or declined; risk–coverage and calibration of the confidence.

A wrong answer (a figure or program missing from what gold expects, or an answer where gold
says the documents are silent) costs the user more than a declined one, so the three are
reported apart; a clarifying question counts as declined.
"""

from __future__ import annotations

from typing import NamedTuple

CORRECT, WRONG, DECLINED = "correct", "wrong", "declined"
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


class Scored(NamedTuple):
    """What the rates need of one result."""

    kind: str
    gold_abstain: bool
    declined: bool
    ok: bool  # the gold check passed
    confidence: float | None


def outcome(s: Scored) -> str:
    """Declining where gold is silent is correct; declining an answerable question is declined."""
    if s.declined:
        return CORRECT if s.gold_abstain else DECLINED
    return CORRECT if s.ok and not s.gold_abstain else WRONG


def _share(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def rates(scored: list[Scored]) -> dict:
    """Correct, wrong and declined rates, overall and per kind."""
    def of(group: list[Scored]) -> dict:
        found = [outcome(s) for s in group]
        return {"n": len(group), **{name: _share(found.count(name), len(group)) for name in (CORRECT, WRONG, DECLINED)}}

    kinds = sorted({s.kind for s in scored})
    return {"overall": of(scored), "by_kind": {k: of([s for s in scored if s.kind == k]) for k in kinds}}


def risk_coverage(scored: list[Scored], thresholds: tuple[float, ...] = THRESHOLDS) -> list[dict]:
    """If answers under a confidence threshold were declined: coverage and the three rates at each threshold."""
    rows = []
    for t in thresholds:
        moved = [s._replace(declined=s.declined or (s.confidence is not None and s.confidence < t)) for s in scored]
        found = [outcome(s) for s in moved]
        rows.append({"threshold": t, "answered": _share(sum(not s.declined for s in moved), len(moved)),
                     **{name: _share(found.count(name), len(found)) for name in (CORRECT, WRONG, DECLINED)}})
    return rows


def calibration(scored: list[Scored], bins: int = 5) -> dict:
    """Reliability of the confidence over answered questions: per-bin accuracy and expected calibration error."""
    answered = [s for s in scored if not s.declined and s.confidence is not None]
    rows, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        group = [s for s in answered if lo <= s.confidence < hi or (b == bins - 1 and s.confidence == 1.0)]
        if not group:
            continue
        mean = sum(s.confidence for s in group) / len(group)
        acc = sum(outcome(s) == CORRECT for s in group) / len(group)
        ece += len(group) / len(answered) * abs(mean - acc)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(group), "confidence": round(mean, 3), "correct": round(acc, 3)})
    return {"bins": rows, "ece": round(ece, 4), "answered": len(answered)}


def table(summary: dict) -> list[str]:
    """Markdown lines for the outcome rates, risk–coverage and calibration."""
    o = summary["outcomes"]["overall"]
    lines = ["", "| outcome | rate |", "| --- | --- |",
             f"| correct | {o['correct']:.3f} |", f"| wrong (answered, not right) | {o['wrong']:.3f} |",
             f"| declined (answerable, but declined or clarified) | {o['declined']:.3f} |"]
    if (c := summary.get("clarify")) and c["asked"]:
        lines.append(f"| clarifying questions asked / first option right | {c['asked']} / {c['first_option_right']} |")
    lines += ["", "| kind | n | correct | wrong | declined |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {k} | {v['n']} | {v['correct']:.3f} | {v['wrong']:.3f} | {v['declined']:.3f} |"
              for k, v in summary["outcomes"]["by_kind"].items()]
    lines += ["", "Risk–coverage (declining answers whose confidence is under the threshold):", "",
              "| threshold | answered | correct | wrong | declined |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r['threshold']:.1f} | {r['answered']:.3f} | {r['correct']:.3f} | {r['wrong']:.3f} | {r['declined']:.3f} |"
              for r in summary["risk_coverage"]]
    cal = summary["calibration"]
    lines += ["", f"Calibration over {cal['answered']} answers: expected calibration error {cal['ece']:.3f}", "",
              "| confidence bin | n | mean confidence | correct |", "| --- | --- | --- | --- |"]
    lines += [f"| {r['bin']} | {r['n']} | {r['confidence']:.3f} | {r['correct']:.3f} |" for r in cal["bins"]]
    return lines
