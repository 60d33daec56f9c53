"""Calibrate: fit the confidence model on dev answers given without the policy, and store it as package data.

Run as ``assistant eval --split dev --calibrate``. Only dev is ever fitted on; the
threshold is chosen on out-of-fold probabilities, so the reported dev figures are not
the model scoring its own training answers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

from .confidence import fit
from .evaluate import scored_of
from .lexicon import DATA_DIR
from .outcomes import CORRECT, calibration, outcome, risk_coverage


def calibrate(results: list, rows: list[tuple[str, str]] | None = None, path: Path | None = None,
              dump: Path | None = None) -> str:
    """Fit on the answered results (``evaluate.Result``), write the model, and say what it does on dev.

    With the intent model's training ``rows``, each frame's model probabilities are replaced by
    out-of-fold ones, so the confidence learns how far to trust the model on questions it has not seen.
    """
    path = path or DATA_DIR / "confidence.json"
    answered = [r for r in results if not r.answer.abstained and r.answer.frame is not None]
    frames = [r.answer.frame for r in answered]
    if rows and any(f.model for f in frames):
        from .intent_model import out_of_fold

        probs = out_of_fold(rows, [r.question.question for r in answered])
        frames = [replace(f, model=tuple(sorted(p.items(), key=lambda kv: -kv[1]))) for f, p in zip(frames, probs)]
    if len({outcome(scored_of(r)) for r in answered}) < 2:
        raise ValueError("calibration needs both right and wrong answers among the answered questions")
    correct = [outcome(scored_of(r)) == CORRECT for r in answered]
    if dump is not None:  # the fitting data, to study the model without re-running the eval
        dump.write_text(json.dumps([{"frame": asdict(f), "correct": c} for f, c in zip(frames, correct)],
                                   ensure_ascii=False), encoding="utf-8")
    stored, oof = fit(frames, correct)
    # For a Composer built without the intent model: the same fit, without its features.
    bare, _ = fit([replace(f, model=()) for f in frames], correct)
    stored["trained_on"]["questions"] = sorted({r.question.split for r in results})
    path.write_text(json.dumps({"with_model": stored, "without_model": bare}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    by_id = {id(r): p for r, p in zip(answered, oof)}
    scored = [scored_of(r)._replace(confidence=by_id.get(id(r))) for r in results]
    cal = calibration(scored)
    lines = [f"confidence model: {path} (answered {len(answered)}, of them right {sum(correct)}; "
             f"threshold {stored['threshold']:.2f}; out-of-fold ECE {cal['ece']:.3f})",
             "  out-of-fold on dev, declining under each threshold: threshold answered correct wrong declined"]
    lines += [f"    {row['threshold']:.1f} {row['answered']:.3f} {row['correct']:.3f} {row['wrong']:.3f} {row['declined']:.3f}"
              for row in risk_coverage(scored)]
    without, chosen = risk_coverage(scored, (0.0, stored["threshold"]))
    for name, row in (("without policy", without), ("with threshold (out-of-fold)", chosen)):
        lines.append(f"  dev {name}: " + " / ".join(f"{k} {row[k]:.3f}" for k in ("correct", "wrong", "declined")))
    return "\n".join(lines)

